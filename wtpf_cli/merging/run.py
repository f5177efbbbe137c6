"""Merge contributions into the current draft, in order of receipt, one commit each, authored by the source.

Each contribution states what its source proposes as a whole draft (proposals.py). Its changes against the version
it commented on are re-anchored on the current draft, which may have moved on (threeway.py): a change whose words
another source has changed since is kept in brackets beside the current text, labelled with who last changed those
words; a change whose context is gone altogether is listed in the report, never dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate, repeat

from wtpf_cli._collector import collector_paused
from wtpf_cli.attribution.comments import contribution_comments
from wtpf_cli.diff.sequences import diff_sequences
from wtpf_cli.errors import UsageError
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.merging._read_ahead import ReadAhead
from wtpf_cli.merging.anchors import anchor_comments
from wtpf_cli.merging.blockmd import LeftOut as Unholdable
from wtpf_cli.merging.layout import TextLayout, text_layout
from wtpf_cli.merging.proposals import proposal_of
from wtpf_cli.merging.threeway import BaseMap, Hunk, three_way_merge
from wtpf_cli.store.comments import comments_path, render_comments
from wtpf_cli.store.contributions import Contribution, list_contributions, render_contribution, source_identity
from wtpf_cli.store.files import decode_text, encode_like, uses_crlf
from wtpf_cli.store.git import Identity
from wtpf_cli.store.transaction import Transaction
from wtpf_cli.store.workspace import Workspace, require_clean, workspace_lock


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Something a contribution proposed that the merge did not place, and why."""

    kind: str  # "edit": not placed in the draft; "mapping": left out by the reading of the file; "comment"
    text: str
    reason: str

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {"kind": self.kind, "text": self.text, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one contribution in a merge: its edits applied, bracketed (conflicts) and left out (with
    their reasons), and the comments it keeps."""

    contribution: Contribution
    changes: int
    applied: int
    conflicts: tuple[Hunk, ...]
    unplaced: tuple[Hunk, ...]
    commit: str | None
    status: str
    warnings: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    comments: int = 0  # comments kept (anchored or not)

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "id": self.contribution.id,
            "source": self.contribution.source,
            "status": self.status,
            "disposition": self.contribution.disposition(),
            "changes": self.changes,
            "applied": self.applied,
            "bracketed": len(self.conflicts),
            "left_out": len(self.left_out),
            "left_out_edits": [x.as_json() for x in self.left_out],
            "comments": self.comments,
            "conflicts": [h.new for h in self.conflicts],
            "unplaced": [h.new for h in self.unplaced],
            "commit": self.commit,
            "warnings": list(self.warnings),
        }


def left_out_of(
    c: Contribution, base: list[str], unplaced: list[Hunk], mapping: Sequence[Unholdable], gone: list[str]
) -> tuple[LeftOut, ...]:
    """What a merge of `c` left out: edits whose words were deleted from the draft (shown with a word of the base on
    each side), edits the reading of its file could not hold, comments on words no longer in the draft."""
    since = f"since {c.on_version}" if c.on_version else "since its base"
    return (
        *(LeftOut("edit", _shown(h, base), f"its words were deleted from the draft {since}") for h in unplaced),
        *(LeftOut("mapping", f"{x.what} of {x.words!r}", x.reason) for x in mapping),
        *(LeftOut("comment", text, "the words it is on are no longer in the draft") for text in gone),
    )


def _shown(h: Hunk, base: list[str]) -> str:
    """A change as 'old words' -> 'new words', with the word of the base before it and the one after it."""
    lo, hi = h.start, h.end
    while lo > 0 and (lo == h.start or base[lo].isspace()):
        lo -= 1
    while hi < len(base) and (hi == h.end or base[hi - 1].isspace()):
        hi += 1
    before, after = "".join(base[lo : h.start]), "".join(base[h.end : hi])
    return f"{(before + h.old + after).strip()!r} -> {(before + h.new + after).strip()!r}"


def merge_contributions(
    ws: Workspace,
    ids: list[str] | None = None,
    *,
    stop_on_conflict: bool = False,
    progress: Callable[[Contribution], None] | None = None,
) -> list[Outcome]:
    """Apply pending contributions in order of receipt, one commit each, authored by the source."""
    outcomes: list[Outcome] = []
    ahead = ReadAhead(ws)
    try:
        with collector_paused():  # a merge's layouts and maps hold no cycles; resumed per commit, it walked them all
            _merge_pending(ws, ids, stop_on_conflict, progress, outcomes, ahead)
    finally:
        ahead.close()
    return outcomes


def _merge_pending(
    ws: Workspace,
    ids: list[str] | None,
    stop_on_conflict: bool,
    progress: Callable[[Contribution], None] | None,
    outcomes: list[Outcome],
    ahead: ReadAhead,
) -> None:
    """merge_contributions under the workspace lock, appending to `outcomes`."""
    with workspace_lock(ws):
        require_clean(ws, "merge")
        # Every contribution's commit is made on the last (as objects); the draft, the records and the branch
        # then move once, so that an interrupted merge leaves all of them as before or all merged.
        change = Transaction.start(ws.history, "merge")
        raw = ws.draft_path.read_bytes()
        draft = decode_text(raw, str(ws.draft_path))
        if uses_crlf(raw):  # merged on LF text (as proposals come); written back with CRLF by encode_like
            draft = draft.replace("\r\n", "\n")
        pending = [c for c in list_contributions(ws) if c.status == "pending"]
        run = _Run()
        run.removals.start = change.tip
        if ids:
            wanted = set(ids)
            pending = [c for c in pending if c.id in wanted or c.symbol in wanted]
            missing = wanted - {c.id for c in pending} - {c.symbol for c in pending}
            if missing:
                raise UsageError(f"not pending or unknown: {', '.join(sorted(missing))}")
        run.ahead = ahead
        crlf = uses_crlf(raw)
        ahead.submit(ws, pending, lambda c: run.base_of(ws, c, crlf)[0])
        for c in pending:
            if progress:
                progress(c)
            if c.kind == "letter":
                outcomes.append(_note_letter(ws, c, change))
                continue
            outcome, draft = _merge_one(ws, c, stop_on_conflict, change, draft, raw, run)
            outcomes.append(outcome)
        change.apply()


@dataclass
class _Blames:
    """The blame of the draft at the last commit it was read for: the merge's commits form a straight line, so the
    blame at a later one is that of the commits since (one `git blame` of the whole history per merge run, not
    per contribution), or, for a commit of this run, what its edits made of the blame before it (see moved)."""

    sha: str | None = None
    lines: list[Identity] = field(default_factory=list)

    def at(self, ws: Workspace, sha: str, path: str) -> list[Identity]:
        """blame_authors(sha, path), sha being this commit or one after it."""
        if sha != self.sha:
            h, since = ws.history, self.sha
            self.lines = h.blame_authors_since(sha, path, since, self.lines) if since else h.blame_authors(sha, path)
            self.sha = sha
        return self.lines

    def moved(
        self, parent: str, sha: str, old: str, new: str, edits: list[tuple[int, int, str]], who: Identity
    ) -> None:
        """Follow commit `sha`, which made `edits` (characters [start, end) of `old` replaced by text, in order) to
        the draft at `parent`, authored by `who`; nothing when the blame held is not that of `parent`."""
        if self.sha != parent or len(self.lines) != _line_count(old):
            return
        self.lines = _lines_after(old, new, edits, self.lines, who)
        self.sha = sha


_NOBODY = Identity("", "")


def _line_count(text: str) -> int:
    """The number of lines git blame gives for a text."""
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def _lines_after(
    old: str, new: str, edits: list[tuple[int, int, str]], authors: list[Identity], who: Identity
) -> list[Identity]:
    """The blame of `new`, made from `old` by `edits` (characters [start, end) replaced by text, in order, not
    overlapping) in a commit by `who`, given `authors`, the blame of `old`: lines away from the edits keep their
    author; the lines around each edit are diffed as git's line diff does, a line paired with an old one keeping
    its author, any other being `who`'s."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    was = [*authors, *repeat(_NOBODY, len(old_lines) - len(authors))]  # the line after a last line feed
    regions: list[list[int]] = []  # old lines [l0, l1) became new lines [n0, n1)
    shift = line = counted = 0

    def line_of(pos: int) -> int:
        """The line of `old` holding character pos (positions asked in increasing order)."""
        nonlocal line, counted
        line += old.count("\n", counted, pos)
        counted = pos
        return line

    for start, end, text in edits:
        l0, l1 = line_of(start), line_of(end) + 1
        n0 = l0 + shift
        shift += text.count("\n") - (l1 - 1 - l0)
        if regions and regions[-1][1] > l0:
            regions[-1][1], regions[-1][3] = l1, l1 + shift
        else:
            regions.append([l0, l1, n0, l1 + shift])
    out: list[Identity] = []
    pos = 0
    for l0, l1, n0, n1 in regions:
        out += was[pos:l0]
        got = [who] * (n1 - n0)
        for e in diff_sequences(_ended(old_lines, l0, l1), _ended(new_lines, n0, n1)):
            if e.op == "equal":
                got[e.b0 : e.b1] = was[l0 + e.a0 : l0 + e.a1]
        out += got
        pos = l1
    out += was[pos:]
    return out[: _line_count(new)]


def _ended(lines: list[str], start: int, end: int) -> list[str]:
    """lines[start:end] with their line feeds, as git's line diff compares them: the last line of a text that does
    not end with a line feed differs from the same words with one."""
    out = [line + "\n" for line in lines[start:end]]
    if end == len(lines) and out:
        out[-1] = lines[-1]
    return out


class _Positions:
    """The character offset and the line of each token of a laid-out text, found from its paragraphs."""

    def __init__(self, layout: TextLayout) -> None:
        self.layout = layout
        self.starts = [start for start, _end in layout.spans]
        self.chars = list(accumulate(map(len, layout.keys), initial=0))
        self.lines = list(accumulate((key.count("\n") for key in layout.keys), initial=0))

    def _paragraph(self, k: int) -> tuple[int, list[str]]:
        """The paragraph of token k, and its tokens before k."""
        p = max(bisect_right(self.starts, k) - 1, 0)
        return p, self.layout.tokens[self.starts[p] : k] if self.starts else []

    def char(self, k: int) -> int:
        """The character offset of token k (the text's length for the end)."""
        p, before = self._paragraph(k)
        return self.chars[p] + sum(map(len, before))

    def line(self, k: int) -> int:
        """The line of token k (line feeds before it)."""
        p, before = self._paragraph(k)
        return self.lines[p] + "".join(before).count("\n")


@dataclass
class _Removals:
    """Who took the words of a base version out of the draft: in this merge run, the contributions merged on that
    base (by base token: what each merge's base map no longer covers); before the run, the commit after the last that
    held each line of the base (one `git blame --reverse` per base, asked only for a bracket where the draft holds
    none of the base's words)."""

    start: str | None = None  # the draft's commit when the run began
    in_run: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # base commit -> (lo, hi, source)
    before: dict[str, list[str | None]] = field(default_factory=dict)  # base commit -> per line, who took it out

    def took_out(self, base: str, tokens: tuple[tuple[int, int], ...], source: str) -> None:
        """Record that a merge of `source` on the base at commit `base` took these base tokens out."""
        self.in_run.setdefault(base, []).extend((lo, hi, source) for lo, hi in tokens)

    def source(self, ws: Workspace, base: str, token: int, line: int, head: str) -> str | None:
        """Who took base token `token` (on line `line`, 0-based, of the base's file) out; None where not known."""
        for lo, hi, source in self.in_run.get(base, ()):
            if lo <= token < hi:
                return source
        if base not in self.before:
            self.before[base] = ws.history.removed_lines(base, self.start, ws.draft_repo_path) if self.start else []
        lines = self.before[base]
        sha = lines[line] if line < len(lines) else None
        if sha is None:  # it stood when the run began; taken out by a merge on another base: one more question
            since = ws.history.removed_lines(base, head, ws.draft_repo_path)
            sha = since[line] if line < len(since) else None
        return ws.source_of(ws.history.commit_info(sha).author) if sha else None


@dataclass
class _Run:
    """What a merge run keeps from one contribution to the next: the blame of the draft, the last base read (commit,
    text with front matter, body) and the base map of the draft."""

    blames: _Blames = field(default_factory=_Blames)
    base: tuple[str, str, str] | None = None
    tracked: BaseMap | None = None
    ahead: ReadAhead | None = None
    removals: _Removals = field(default_factory=_Removals)

    def base_of(self, ws: Workspace, c: Contribution, crlf: bool) -> tuple[str, str]:
        """The draft at the version `c` comments on (with front matter, LF line ends if crlf) and its body."""
        if self.base is None or self.base[0] != c.on_commit:
            path = ws.draft_repo_path
            full = decode_text(ws.history.read_file(c.on_commit, path) or b"", f"{path}@{c.on_commit[:10]}")
            full = full.replace("\r\n", "\n") if crlf else full
            self.base = (c.on_commit, full, split_front_matter(full).body)
        return self.base[1], self.base[2]


def _merge_one(
    ws: Workspace,
    c: Contribution,
    stop_on_conflict: bool,
    change: Transaction,
    current_full: str,
    raw: bytes,
    run: _Run,
) -> tuple[Outcome, str]:
    """Merge one contribution onto `current_full` (the draft at the change's tip) as a commit of `change`."""
    path = ws.draft_repo_path
    crlf = uses_crlf(raw)
    base_full, base = run.base_of(ws, c, crlf)
    parts = split_front_matter(current_full)
    head_body = current_full[len(current_full) - len(parts.body) :] if parts.body else ""
    front = current_full[: len(current_full) - len(head_body)]
    offer = (run.ahead.take(c) if run.ahead else None) or proposal_of(ws, c, base_full)
    proposal = offer.body.replace("\r\n", "\n") if crlf else offer.body
    head = change.tip
    blame: list[Identity] | None = None  # read at the first label: a contribution without conflicts needs none
    at: _Positions | None = None  # of the body's tokens, as merge_text splits it

    def laid_out_body() -> TextLayout:
        """The body's layout: that of the run's base map, or split again (cached)."""
        known = run.tracked.layout_for(base, parts.body) if run.tracked else None
        return known or text_layout(parts.body)

    front_lines = front.count("\n")

    def label(pos: int) -> str:
        """The source of the current words at token `pos`: who last changed that line."""
        nonlocal blame, at
        if blame is None:
            blame = run.blames.at(ws, head, path) if head else []
        at = at or _Positions(laid_out_body())
        line = front_lines + at.line(pos)
        who = blame[line] if 0 <= line < len(blame) else None
        return ws.source_of(who) if who and who.name else ws.config.secretariat

    def removed(lo: int, hi: int) -> str | None:
        """The source that took the base's tokens [lo, hi) out of the draft since the base (of the first word among
        them), None where that cannot be told."""
        tokens = text_layout(base).tokens
        first = next((k for k in range(lo, hi) if tokens[k].strip()), None)
        if first is None or not head:
            return None
        line = base_full[: len(base_full) - len(base)].count("\n") + _Positions(text_layout(base)).line(first)
        return run.removals.source(ws, c.on_commit, first, line, head)

    done = three_way_merge(base, parts.body, proposal, c.source, label, run.tracked, removed)
    merged, applied, conflicts, unplaced = done.text, done.applied, done.conflicts, done.unplaced
    changes = applied + len(conflicts) + len(unplaced)
    if conflicts and stop_on_conflict:
        left = left_out_of(c, text_layout(base).tokens, unplaced, offer.left_out, [])
        outcome = Outcome(c, changes, 0, tuple(conflicts), tuple(unplaced), None, "pending", offer.warnings, left)
        return outcome, current_full
    kept = anchor_comments(merged, contribution_comments(ws, c), c.id)
    if changes == 0:
        status = "noted" if kept else "merged"
    elif unplaced:
        status = "partly-merged"
    elif conflicts:
        status = "in-brackets"
    else:
        status = "merged"
    updated = replace(c, status=status, changes=changes, applied=applied)
    new_full = front + merged
    trailer = f"\n\nWtpf-Contribution: {c.id}\nWtpf-Merged: {c.id}" + (f"\nWtpf-Symbol: {c.symbol}" if c.symbol else "")
    what = f"{c.symbol} " if c.symbol else ""
    files = {
        path: encode_like(new_full, raw),
        ws.repo_path(f"contributions/{c.id}/contribution.toml"): render_contribution(updated).encode(),
    }
    if kept:
        files[comments_path(ws, c.id)] = render_comments(kept).encode()
    noted = f", {len(kept)} comment(s) kept" if kept else ""
    subject = (
        f"Note {len(kept)} comment(s) {what}from {c.source}"
        if status == "noted"
        else f"Merge {what}from {c.source}: {applied} of {changes} changes applied"
        + (f", {len(conflicts)} in brackets" if conflicts else "")
        + noted
    )
    sha = change.commit(
        files, subject + trailer, source_identity(ws, c.source), ws.tool_identity(), f"{c.received}T12:00:00Z"
    )
    if head and run.blames.sha == head:  # the blame at this commit follows from the edits just made
        at = at or _Positions(laid_out_body())
        edits = [(len(front) + at.char(lo), len(front) + at.char(hi), text) for lo, hi, text in done.edits]
        run.blames.moved(head, sha, current_full, new_full, edits, source_identity(ws, c.source))
    run.tracked = done.to_merged
    run.removals.took_out(c.on_commit, done.taken_out, c.source)
    left = left_out_of(
        c,
        text_layout(base).tokens,
        unplaced,
        offer.left_out,
        [f"{k.text!r} on {k.sent_on!r}" for k in kept if not k.anchor],
    )
    outcome = Outcome(
        updated, changes, applied, tuple(conflicts), tuple(unplaced), sha, status, offer.warnings, left, len(kept)
    )
    return outcome, new_full


def _note_letter(ws: Workspace, c: Contribution, change: Transaction) -> Outcome:
    """Take a letter (no edits, no comments on words): noted, as a commit by its source, until marked done."""
    updated = replace(c, status="noted")
    trailer = f"\n\nWtpf-Contribution: {c.id}" + (f"\nWtpf-Symbol: {c.symbol}" if c.symbol else "")
    what = f"{c.symbol} " if c.symbol else ""
    sha = change.commit(
        {ws.repo_path(f"contributions/{c.id}/contribution.toml"): render_contribution(updated).encode()},
        f"Note the letter {what}from {c.source}" + trailer,
        source_identity(ws, c.source),
        ws.tool_identity(),
        f"{c.received}T12:00:00Z",
    )
    return Outcome(updated, 0, 0, (), (), sha, "noted")
