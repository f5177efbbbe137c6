"""Settle bracketed alternatives left by a merge: keep one, or write new text, with a reason, as a commit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from wtpf_cli.errors import UsageError, WorkspaceStateError
from wtpf_cli.merging.layout import PARAGRAPH_BREAK
from wtpf_cli.store.contributions import list_contributions, render_contribution, source_identity
from wtpf_cli.store.files import decode_text, encode_like
from wtpf_cli.store.sources import check_source_name
from wtpf_cli.store.transaction import Transaction
from wtpf_cli.store.workspace import Workspace, require_clean, workspace_lock

_EMPTY = ("(nothing)", "(delete)")
_OPENING = re.compile(r"\[\[([^\[\]:\n]+): ")  # "[[Brazil: ", as threeway.py writes an alternative


@dataclass(frozen=True, slots=True)
class Passage:
    """One bracketed passage: alternatives side by side, each with its source."""

    number: int
    start: int
    end: int
    line: int
    alternatives: tuple[tuple[str, str], ...]

    def listing(self) -> str:
        """The alternatives on one line, each after its source (a paragraph break inside one shown as ¶)."""
        return "  |  ".join(
            f"{src}: {' '.join(PARAGRAPH_BREAK.sub(' ¶ ', body).split())}" for src, body in self.alternatives
        )


def find_passages(text: str) -> list[Passage]:
    """Bracketed passages of a draft, numbered from 1 in reading order."""
    passages: list[Passage] = []
    group: list[tuple[int, int, str, str]] = []

    def close() -> None:
        if group:
            start, end = group[0][0], group[-1][1]
            line = text.count("\n", 0, start) + 1
            alts = tuple((src.strip(), body) for _s, _e, src, body in group)
            passages.append(Passage(len(passages) + 1, start, end, line, alts))
            group.clear()

    for start, end, src, body in alternatives(text):
        if group and text[group[-1][1] : start] != " ":
            close()
        group.append((start, end, src, body))
    close()
    return passages


def alternatives(text: str) -> Iterator[tuple[int, int, str, str]]:
    """The outermost alternatives `[[source: text]]` of a draft: (start, end, source, text). An alternative may hold
    whole brackets of its own: a note reference or a link's text, and the alternatives of an earlier conflict (a
    change to words already in brackets is bracketed around the whole earlier bracket)."""
    pos = 0
    while (m := _OPENING.search(text, pos)) is not None:
        end = _closing(text, m.end())
        if end is None:
            pos = m.start() + 2
            continue
        yield m.start(), end + 2, m.group(1), text[m.end() : end]
        pos = end + 2


def _closing(text: str, pos: int) -> int | None:
    """Where the "]]" that closes an alternative whose text starts at pos stands, or None."""
    depth = 0  # single brackets open inside the alternative
    nested = 0  # alternatives open inside it
    while pos < len(text):
        opened = _OPENING.match(text, pos)
        if opened is not None:
            nested += 1
            pos = opened.end()
            continue
        ch = text[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            if depth:
                depth -= 1
            elif text.startswith("]]", pos):
                if not nested:
                    return pos
                nested -= 1
                pos += 2
                continue
            else:
                return None
        pos += 1
    return None


@dataclass(frozen=True, slots=True)
class Resolution:
    """What `wtpf resolve` did."""

    passage: Passage
    text: str
    commit: str


def resolve_passage(
    ws: Workspace,
    number: int,
    *,
    keep: str | None = None,
    text: str | None = None,
    reason: str,
    source: str | None = None,
) -> Resolution:
    """Replace passage `number` by one alternative (`keep` = its source) or by new `text`, and commit."""
    if (keep is None) == (text is None):
        raise UsageError("give either --keep SOURCE or --text TEXT")
    if not reason.strip():
        raise UsageError("--reason must record why the passage is settled this way")
    source = check_source_name(source) if source is not None else None
    with workspace_lock(ws):
        require_clean(ws, "resolve")
        raw = ws.draft_path.read_bytes()
        draft = decode_text(raw, str(ws.draft_path))
        passages = find_passages(draft)
        if not 1 <= number <= len(passages):
            raise WorkspaceStateError(f"there is no bracketed passage {number} (the draft has {len(passages)})")
        p = passages[number - 1]
        if keep is not None:
            chosen = [body for src, body in p.alternatives if src.lower() == keep.strip().lower()]
            if not chosen:
                names = ", ".join(src for src, _ in p.alternatives)
                raise UsageError(f"passage {number} has no alternative from {keep!r} (it has: {names})")
            new_text = "" if chosen[0] in _EMPTY else chosen[0]
            author = source_identity(ws, keep.strip()) if source is None else source_identity(ws, source)
        else:
            new_text = (text or "").strip()
            author = source_identity(ws, source) if source else ws.secretariat_identity()
        settled = settled_text(draft, p, new_text)
        files: dict[str, bytes | None] = {ws.draft_repo_path: encode_like(settled, raw)}
        files.update(_update_dispositions(ws, p, keep, reason.strip(), settled))
        kept = f"kept {keep}'s text" if keep else "new text"
        signer = ws.tool_identity()
        change = Transaction.start(ws.history, "resolve")
        sha = change.commit(
            files,
            f"Resolve bracketed passage {number} (line {p.line}): {kept}\n\n{reason.strip()}\n\n"
            f"Wtpf-Resolution: {kept}",
            author,
            signer,
        )
        change.apply()
        return Resolution(p, new_text, sha)


def settled_text(draft: str, p: Passage, new_text: str) -> str:
    """The draft with passage `p` replaced by `new_text`."""
    before, after = draft[: p.start], draft[p.end :]
    if not new_text.strip() and before.endswith("\n\n") and (after.startswith("\n\n") or not after.strip()):
        # Whole paragraphs taken out: one blank line between the paragraphs around them, not the blank lines
        # before and after the ones taken out.
        head, after = before.rstrip("\n"), after.lstrip("\n")
        before = head + ("\n\n" if after else "\n")
    return before + new_text + after


def _update_dispositions(
    ws: Workspace, p: Passage, keep: str | None, reason: str, settled: str
) -> dict[str, bytes | None]:
    """Contributions whose alternative this settles: merged if kept, otherwise not retained (for that part);
    their new contribution.toml by repo path."""
    changed: dict[str, bytes | None] = {}
    sources = {src.lower() for src, _ in p.alternatives}
    others = find_passages(settled)  # the draft without passage p
    still_open = {src.lower() for q in others for src, _ in q.alternatives}
    for c in reversed(list_contributions(ws)):
        if c.status != "in-brackets" or c.source.lower() not in sources:
            continue
        kept = keep is not None and keep.strip().lower() == c.source.lower()
        applied = c.applied + (1 if kept else 0)
        if c.source.lower() in still_open:
            status, why = "in-brackets", ""
        elif applied >= c.changes:
            status, why = "merged", ""
        elif applied > 0:
            status, why = "partly-merged", f"passage settled: {reason}"
        else:
            status, why = "not-retained", reason
        updated = replace(c, status=status, applied=applied, reason=why)
        changed[ws.repo_path(f"contributions/{c.id}/contribution.toml")] = render_contribution(updated).encode()
        sources.discard(c.source.lower())
    return changed
