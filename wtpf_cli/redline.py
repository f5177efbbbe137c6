"""Gather the versions between two points of the history and attribute their changes (the redline's core)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .attribute import Attributor
from .draft import ParseCache, read_draft
from .errors import WorkspaceStateError
from .history import CommitInfo, utc_stamp
from .model import Document, Redline, Revision
from .versions import Resolved, list_versions, resolve_version
from .workspace import Workspace, decode_text


@dataclass(frozen=True, slots=True)
class RedlineRequest:
    """Options of a redline, resolved at the edge."""

    from_ref: str
    to_ref: str | None = None
    single_author: str | None = None


@dataclass(frozen=True, slots=True)
class RedlineResult:
    """A redline and the two ends it compares."""

    redline: Redline
    old: Resolved
    new: Resolved
    commits: int


# Versions of the draft read by one git process: few processes, and the bytes of only a few versions held at once.
_READ_AHEAD = 8


class _Reader:
    """Parses each distinct version of the draft once."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cache: dict[str, Document] = {}
        self.chunks = ParseCache()
        self.planned: list[str] = []  # commits whose draft is read ahead, in the order `at` will ask for them
        self.fetched: dict[str, tuple[str, bytes] | None] = {}  # commit -> (blob id, bytes), read ahead

    def prefetch(self, shas: list[str]) -> None:
        """Read the draft at these commits ahead, _READ_AHEAD at a time in one git process (`at` parses each)."""
        self.planned = list(shas)

    def at(self, sha: str) -> Document:
        path = self.ws.draft_repo_path
        if sha not in self.fetched and sha in self.planned:
            k = self.planned.index(sha)
            batch = self.planned[k : k + _READ_AHEAD]
            del self.planned[k : k + _READ_AHEAD]
            self.fetched.update(zip(batch, self.ws.history.read_files(batch, path), strict=True))
        got = self.fetched.pop(sha) if sha in self.fetched else None
        blob = got[0] if got is not None else self.ws.history.blob_id(sha, path)
        if blob is None:
            raise WorkspaceStateError(f"{path} does not exist at {sha[:12]}")
        doc = self.cache.get(blob)
        if doc is None:
            data = got[1] if got is not None else self.ws.history.read_file(sha, path) or b""
            where = f"{path}@{sha[:12]}"
            doc = read_draft(decode_text(data, where), path=where, cache=self.chunks)
            self.cache[blob] = doc
        return doc

    def working(self) -> Document:
        text = decode_text(self.ws.draft_path.read_bytes(), str(self.ws.draft_path))
        return read_draft(text, path=str(self.ws.draft_path), cache=self.chunks)


def draft_reader(ws: Workspace) -> _Reader:
    """A reader of the draft at commits (`.at(sha)`) and in the work tree (`.working()`), parsing each once."""
    return _Reader(ws)


def working_revision(ws: Workspace) -> Revision:
    """Uncommitted edits count as the secretariat's, dated by the draft file's modification time."""
    mtime = int(ws.draft_path.stat().st_mtime)
    return Revision(ws.config.secretariat, utc_stamp(mtime))


def load_version(ws: Workspace, ref: str | None) -> tuple[Resolved, Document]:
    """The parsed document of one version (None: the working draft)."""
    resolved = resolve_version(ws, ref)
    reader = _Reader(ws)
    return resolved, (reader.working() if resolved.sha is None else reader.at(resolved.sha))


def make_redline(ws: Workspace, request: RedlineRequest) -> RedlineResult:
    """Attributed changes from FROM to TO, walking the first-parent commits in between."""
    versions = list_versions(ws)
    old = resolve_version(ws, request.from_ref, versions)
    new = resolve_version(ws, request.to_ref, versions)
    reader = _Reader(ws)
    if old.sha is None:
        raise WorkspaceStateError("FROM must be a stamped version or a commit, not the working draft")
    head = ws.history.head()
    to_sha = new.sha if new.sha is not None else head
    commits = 0
    last_date = ""
    merged: list[str] = []  # contributions merged by the commits walked: their comments go in the redline
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
    reader.prefetch([old.sha, *(c.sha for c in chain)])
    att = Attributor(reader.at(old.sha))
    if walk:
        assert to_sha is not None
        if ancestor:
            merged = list(dict.fromkeys(ws.history.trailer_values(old.sha, to_sha, "Wtpf-Merged")))
        for c in chain:
            rev = Revision(ws.source_of(c.author), c.date)
            att.apply(reader.at(c.sha), rev)
            commits += 1
            last_date = c.date
    if new.sha is None:
        doc = reader.working()
        if list(doc.blocks) != att.blocks:
            rev = working_revision(ws)
            att.apply(doc, rev)
            last_date = max(last_date, rev.date)
    single_date = last_date or dt.datetime(1970, 1, 1, tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    redline = att.redline(request.single_author, single_date)
    if merged:
        from .comments import attach_comments, contribution_comments
        from .contributions import find_contribution

        found = [sc for ident in merged for sc in contribution_comments(ws, find_contribution(ws, ident))]
        if request.single_author is not None:
            found = [replace(sc, author=request.single_author) for sc in found]
        redline, warnings = attach_comments(redline, found)
        redline = replace(redline, warnings=(*redline.warnings, *warnings))
    return RedlineResult(redline, old, new, commits)
