"""The draft at the commits of the history and in the work tree, read in turn: each version as read_draft reads it,
with the blocks that changed since the version read before."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from wtpf_cli.errors import WorkspaceStateError
from wtpf_cli.markdown._chunks import ParseCache
from wtpf_cli.markdown._series import BlockSplice, DraftSeries
from wtpf_cli.model import Document, Revision
from wtpf_cli.store.git import utc_stamp
from wtpf_cli.store.versions import Resolved, resolve_version
from wtpf_cli.store.workspace import Workspace

# Chunks of a draft's text parsed elsewhere (markdown._chunks.parse_draft_part), from its text and its name in messages.
PartsParsed = Callable[[str, str], Mapping[str, Any] | None]
# The blocks of a version that changed since the version read before: (a0, a1, b0, b1), the old blocks a0:a1
# replaced by the new blocks b0:b1, every other block the same object; None where that is not known.
Changed = list[BlockSplice] | None


class DraftReader:
    """Reads the versions of the draft in turn, each from its changes since the one read before where it can
    (markdown/_series.py: speed only)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.chunks = ParseCache()
        self.series = DraftSeries(self.chunks)
        self.planned: list[str] = []  # commits whose draft is read ahead, in the order `at` will ask for them
        self.place: dict[str, int] = {}  # their places in `planned`
        self.taken = 0  # how many of them have been read
        self.fetched: dict[str, tuple[str, bytes] | None] = {}  # commit -> (blob id, bytes), read ahead
        self.stream: Iterator[tuple[str, bytes] | None] | None = None  # the drafts of `planned`, in order

    def prefetch(self, shas: list[str]) -> None:
        """Read the draft at these commits ahead, in one git process, each while the one before is parsed."""
        self.planned = list(shas)
        self.place = {sha: k for k, sha in enumerate(shas)}
        self.taken = 0
        self.stream = None

    def raw(self, sha: str) -> tuple[str, bytes]:
        """(blob id, bytes) of the draft at `sha`."""
        path = self.ws.draft_repo_path
        k = self.place.get(sha, -1)
        if sha not in self.fetched and k >= self.taken:
            if self.stream is None:
                self.stream = self.ws.history.read_files_ahead(self.planned, path)
            for s in self.planned[self.taken : k + 1]:
                self.fetched[s] = next(self.stream)
            self.taken = k + 1
        got = self.fetched.pop(sha) if sha in self.fetched else None
        if got is None:
            blob = self.ws.history.blob_id(sha, path)
            if blob is None:
                raise WorkspaceStateError(f"{path} does not exist at {sha[:12]}")
            got = (blob, self.ws.history.read_file(sha, path) or b"")
        return got

    def at(self, sha: str) -> Document:
        """The document of the draft at commit `sha`."""
        return self.changes_at(sha)[0]

    def changes_at(self, sha: str) -> tuple[Document, Changed]:
        """The document of the draft at commit `sha`, and the blocks that changed since the version read before."""
        _blob, data = self.raw(sha)
        return self.series.read(data, f"{self.ws.draft_repo_path}@{sha[:12]}")

    def parse(self, sha: str, blob: str, data: bytes, parsed: PartsParsed | None = None) -> Document:
        """The document of the draft at `sha` (its blob and bytes); `parsed` gives the chunks of the text that
        another process parsed (the redline's second process, attribution/_parse_ahead.py)."""
        return self.series.read(data, f"{self.ws.draft_repo_path}@{sha[:12]}", parsed)[0]

    def working(self) -> Document:
        """The document of the draft in the work tree."""
        return self.working_changes()[0]

    def working_changes(self) -> tuple[Document, Changed]:
        """The document of the draft in the work tree, and the blocks that changed since the version read before."""
        return self.series.read(self.ws.draft_path.read_bytes(), str(self.ws.draft_path))


def working_revision(ws: Workspace) -> Revision:
    """Uncommitted edits count as the secretariat's, dated by the draft file's modification time."""
    mtime = int(ws.draft_path.stat().st_mtime)
    return Revision(ws.config.secretariat, utc_stamp(mtime))


def load_version(ws: Workspace, ref: str | None) -> tuple[Resolved, Document]:
    """The parsed document of one version (None: the working draft)."""
    resolved = resolve_version(ws, ref)
    reader = DraftReader(ws)
    return resolved, (reader.working() if resolved.sha is None else reader.at(resolved.sha))
