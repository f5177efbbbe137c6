"""A redline: the versions between two points of the history gathered, and their changes attributed in turn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from wtpf_cli._collector import collector_paused
from wtpf_cli.attribution._parse_ahead import ParsedAhead, parse_ahead
from wtpf_cli.attribution.attributor import Attributor
from wtpf_cli.attribution.draft_reader import DraftReader, working_revision
from wtpf_cli.errors import WorkspaceStateError
from wtpf_cli.model import Document, Redline, Revision
from wtpf_cli.store.faults import checkpoint
from wtpf_cli.store.git import CommitInfo
from wtpf_cli.store.versions import Resolved, list_versions, resolve_version
from wtpf_cli.store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class RedlineRequest:
    """Options of a redline, resolved at the edge: `moves` marks paragraphs moved as moves (else as deleted and
    inserted); `summary` gives a Word redline its first page."""

    from_ref: str
    to_ref: str | None = None
    single_author: str | None = None
    moves: bool = True
    summary: bool = True


@dataclass(frozen=True, slots=True)
class RedlineResult:
    """A redline and the two ends it compares."""

    redline: Redline
    old: Resolved
    new: Resolved
    commits: int


def make_redline(ws: Workspace, request: RedlineRequest) -> RedlineResult:
    """Attributed changes from FROM to TO, walking the first-parent commits in between."""
    with collector_paused():  # the whole walk: resumed after each commit, it would walk every item again
        return _make_redline(ws, request)


def _make_redline(ws: Workspace, request: RedlineRequest) -> RedlineResult:
    versions = list_versions(ws)
    old = resolve_version(ws, request.from_ref, versions)
    new = resolve_version(ws, request.to_ref, versions)
    if old.sha is None:
        raise WorkspaceStateError("FROM must be a stamped version or a commit, not the working draft")
    head = ws.history.head()
    to_sha = new.sha if new.sha is not None else head
    chain: list[CommitInfo] = []
    walk = to_sha is not None and to_sha != old.sha
    ancestor = walk and to_sha is not None and ws.history.is_ancestor(old.sha, to_sha)
    if walk:
        assert to_sha is not None
        if ancestor:
            chain = ws.history.commits_touching(old.sha, to_sha, ws.draft_repo_path)
        else:
            # Not on one line of history: compare the two ends directly, as TO's author's change.
            chain = [ws.history.commit_info(to_sha)]
    with versions_after(ws, old.sha, [c.sha for c in chain], new.sha is None) as (first, drafts):
        return _attributed(ws, request, drafts, first, old, new, chain, walk and ancestor, to_sha)


@contextmanager
def versions_after(
    ws: Workspace, first_sha: str, shas: list[str], working: bool, size: int = 0
) -> Iterator[tuple[Document, DraftReader | ParsedAhead]]:
    """The document of the draft at `first_sha`, and a reader of the versions after it (`shas` in turn, then the
    working draft if `working`), parsed ahead in a second process where one pays (a draft of `size` bytes or more,
    or as large as the first)."""
    reader = DraftReader(ws)
    first_raw = reader.raw(first_sha)
    ahead = parse_ahead(ws, reader, (first_sha, *first_raw), shas, working, size)  # None: all parsed here
    reader.prefetch(shas)
    try:
        if ahead is not None:
            checkpoint("ahead")
        first = reader.parse(first_sha, *first_raw) if ahead is None else ahead.first(first_sha, *first_raw)
        yield first, (reader if ahead is None else ahead)
    finally:
        if ahead is not None:
            ahead.close()


def _attributed(
    ws: Workspace,
    request: RedlineRequest,
    drafts: DraftReader | ParsedAhead,
    first: Document,
    old: Resolved,
    new: Resolved,
    chain: list[CommitInfo],
    ancestor: bool,
    to_sha: str | None,
) -> RedlineResult:
    """make_redline from FROM's document on: the versions of `chain` attributed in turn."""
    commits = 0
    last_date = ""
    merged: list[str] = []  # contributions merged by the commits walked: their comments go in the redline
    att = Attributor(first, moves=request.moves)
    if ancestor:
        assert old.sha is not None and to_sha is not None
        merged = list(dict.fromkeys(ws.history.trailer_values(old.sha, to_sha, "Wtpf-Merged")))
    for c in chain:
        rev = Revision(ws.source_of(c.author), c.date)
        doc, changed = drafts.changes_at(c.sha)
        att.apply(doc, rev, changed)
        commits += 1
        last_date = c.date
    if new.sha is None:
        doc, changed = drafts.working_changes()  # after the last commit's version: changed since it
        if list(doc.blocks) != att.blocks:
            rev = working_revision(ws)
            att.apply(doc, rev, changed)
            last_date = max(last_date, rev.date)
    single_date = last_date or dt.datetime(1970, 1, 1, tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    redline = att.redline(request.single_author, single_date)
    if merged:
        # Imported here: a redline that covers no merged contribution never loads the contribution records.
        from wtpf_cli.attribution.comments import attach_comments, comments_of

        found = [sc for ident in merged for sc in comments_of(ws, ident, new.sha)]
        if request.single_author is not None:
            found = [replace(sc, author=request.single_author) for sc in found]
        redline, warnings = attach_comments(redline, found)
        redline = replace(redline, warnings=(*redline.warnings, *warnings))
    return RedlineResult(redline, old, new, commits)
