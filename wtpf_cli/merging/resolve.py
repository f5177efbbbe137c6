"""Settle bracketed alternatives left by a merge: keep one, or write new text, with a reason, as a commit."""

from __future__ import annotations

from dataclasses import dataclass, replace

from wtpf_cli.errors import UsageError, WorkspaceStateError
from wtpf_cli.merging.threeway import ALTERNATIVE_RE
from wtpf_cli.store.contributions import list_contributions, render_contribution, source_identity
from wtpf_cli.store.files import decode_text, encode_like
from wtpf_cli.store.sources import check_source_name
from wtpf_cli.store.transaction import Transaction
from wtpf_cli.store.workspace import Workspace, require_clean, workspace_lock

_EMPTY = ("(nothing)", "(delete)")


@dataclass(frozen=True, slots=True)
class Passage:
    """One bracketed passage: alternatives side by side, each with its source."""

    number: int
    start: int
    end: int
    line: int
    alternatives: tuple[tuple[str, str], ...]


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

    for m in ALTERNATIVE_RE.finditer(text):
        if group and text[group[-1][1] : m.start()] != " ":
            close()
        group.append((m.start(), m.end(), m.group(1), m.group(2)))
    close()
    return passages


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
        settled = draft[: p.start] + new_text + draft[p.end :]
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
