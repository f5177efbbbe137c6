"""Gather the versions between two points of the history and attribute their changes (the redline's core)."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from wtpf_cli._forked import Forked, Receive, Send, spare_core
from wtpf_cli.attribution.attributor import Attributor
from wtpf_cli.errors import WorkspaceStateError
from wtpf_cli.markdown._chunks import ParseCache, parse_draft_part
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.model import Block, Document, Paragraph, ParaProps, Redline, Revision, Table, Token
from wtpf_cli.store.files import decode_text
from wtpf_cli.store.git import CommitInfo, utc_stamp
from wtpf_cli.store.versions import Resolved, list_versions, resolve_version
from wtpf_cli.store.workspace import Workspace


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
# A draft smaller than this is parsed in one process: a second would not pay for itself.
_PARSE_AHEAD_MIN_BYTES = 64_000


class _Reader:
    """Parses each distinct version of the draft once."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cache: dict[str, Document] = {}
        self.chunks = ParseCache()
        self.planned: list[str] = []  # commits whose draft is read ahead, in the order `at` will ask for them
        self.fetched: dict[str, tuple[str, bytes] | None] = {}  # commit -> (blob id, bytes), read ahead
        self.ahead: _ParsedAhead | None = None  # the versions parsed by a second process, if one is at it

    def prefetch(self, shas: list[str]) -> None:
        """Read the draft at these commits ahead, _READ_AHEAD at a time in one git process (`at` parses each)."""
        self.planned = list(shas)

    def raw(self, sha: str) -> tuple[str, bytes]:
        """(blob id, bytes) of the draft at `sha`."""
        path = self.ws.draft_repo_path
        if sha not in self.fetched and sha in self.planned:
            k = self.planned.index(sha)
            batch = self.planned[k : k + _READ_AHEAD]
            del self.planned[k : k + _READ_AHEAD]
            self.fetched.update(zip(batch, self.ws.history.read_files(batch, path), strict=True))
        got = self.fetched.pop(sha) if sha in self.fetched else None
        if got is None:
            blob = self.ws.history.blob_id(sha, path)
            if blob is None:
                raise WorkspaceStateError(f"{path} does not exist at {sha[:12]}")
            got = (blob, self.ws.history.read_file(sha, path) or b"")
        return got

    def at(self, sha: str) -> Document:
        if self.ahead is not None:
            doc = self.ahead.take(("at", sha))
            if doc is not None:
                return doc
            self.ahead = None
        blob, data = self.raw(sha)
        return self.parse(sha, blob, data)

    def parse(self, sha: str, blob: str, data: bytes, part: tuple[int, Send, Receive] | None = None) -> Document:
        """The document of the draft at `sha` (its blob and bytes), parsed once per blob; with `part` (k, and the
        other process's mailbox), only part k of 2 of its chunks is parsed here and the other part received
        (part 0 sends first: the two sides never both wait to send)."""
        doc = self.cache.get(blob)
        if doc is None:
            where = f"{self.ws.draft_repo_path}@{sha[:12]}"
            text = decode_text(data, where)
            parsed = None
            if part is not None:
                k, send, receive = part
                mine = parse_draft_part(text, path=where, cache=self.chunks, part=k, parts=2)
                if k == 0:
                    send(mine)
                    parsed = receive()
                else:
                    parsed = receive()
                    send(mine)
            doc = read_draft(text, path=where, cache=self.chunks, parsed=parsed)
            self.cache[blob] = doc
        return doc

    def working(self) -> Document:
        if self.ahead is not None:
            doc = self.ahead.take(("working", ""))
            self.ahead = None
            if doc is not None:
                return doc
        text = decode_text(self.ws.draft_path.read_bytes(), str(self.ws.draft_path))
        return read_draft(text, path=str(self.ws.draft_path), cache=self.chunks)


_T = TypeVar("_T")
# A new paragraph as it travels: its properties, its key and the numbers of its tokens (a table goes as it is).
_SentBlock = tuple[ParaProps, int, bytes] | Table


class _BlockNumbers:
    """Numbers of blocks and tokens that two processes agree on: FROM's blocks by position (both parsed FROM,
    alike), each later block and each token by order of first sending. A version then travels as the tokens and
    blocks not sent before and a list of block numbers: a block or a token crosses once per run, and pickle builds
    few objects (unpickling a frozen dataclass is a Python call per object)."""

    def __init__(self, first: tuple[Block, ...]) -> None:
        self.blocks: list[Block] = list(first)  # by number (and holding them, so their ids stay theirs)
        self.numbers: dict[int, int] = {}  # id(block) -> number
        for k, b in enumerate(first):
            self.numbers.setdefault(id(b), k)
        self.tokens: list[Token] = []  # by number
        self.token_numbers: dict[int, int] = {}  # id(token) -> number

    def encode(self, blocks: tuple[Block, ...]) -> tuple[list[Token], list[_SentBlock], bytes]:
        """(tokens and blocks not sent before, the numbers of all blocks) for `decode`."""
        new_blocks: list[Block] = []
        new_tokens: list[Token] = []
        numbers = _numbered(blocks, self.numbers, self.blocks, new_blocks)
        new: list[_SentBlock] = [
            (b.props, b.key, _numbered(b.tokens, self.token_numbers, self.tokens, new_tokens).tobytes())
            if isinstance(b, Paragraph)
            else b
            for b in new_blocks
        ]
        return new_tokens, new, numbers.tobytes()

    def decode(
        self, new_tokens: list[Token], new: list[_SentBlock], numbers: bytes, cache: ParseCache
    ) -> tuple[Block, ...]:
        """The blocks `encode` was given (equal ones, shared as the sender's were), tokens shared with `cache`."""
        self.tokens.extend(map(cache.shared, new_tokens))
        token = self.tokens.__getitem__
        for b in new:
            if isinstance(b, Table):
                self.blocks.append(b)
            else:
                props, key, token_numbers = b
                self.blocks.append(Paragraph(props, tuple(map(token, array("i", token_numbers))), key))
        return tuple(map(self.blocks.__getitem__, array("i", numbers)))


def _numbered(items: Iterable[_T], numbers: dict[int, int], held: list[_T], new: list[_T]) -> array[int]:
    """The numbers of `items` (by id), numbering those not numbered before in order: appended to `held` (which
    keeps them alive, so that their ids stay theirs) and to `new`."""
    out = array("i")
    get = numbers.get
    for x in items:
        n = get(id(x))
        if n is None:
            n = numbers[id(x)] = len(held)
            held.append(x)
            new.append(x)
        out.append(n)
    return out


class _ParsedAhead:
    """The versions after FROM parsed in a forked process while this one attributes their changes: parsing is
    two-fifths of a redline's work and needs nothing from the attribution. FROM is parsed half here and half
    there, each half then sent to the other (both then hold the same blocks, so block numbers agree); the child
    sends each later version as its new blocks and numbers (_BlockNumbers). If the child stops early, the reader
    parses the rest here, where errors are raised as always."""

    def __init__(self, forked: Forked) -> None:
        self.forked = forked
        # FROM's block numbers and the cache whose tokens the versions received share: once FROM is parsed here
        self.receiver: tuple[_BlockNumbers, ParseCache] | None = None

    def begin(self, first: Document, cache: ParseCache) -> None:
        """FROM as parsed here (with `cache`): the blocks numbered 0, 1, ... in the child's messages."""
        self.receiver = (_BlockNumbers(first.blocks), cache)

    @staticmethod
    def start(
        ws: Workspace,
        first: tuple[str, str, bytes],
        shas: list[str],
        working: bool,
        fetched: dict[str, tuple[str, bytes] | None],
    ) -> _ParsedAhead | None:
        """Fork the parser of `shas` (then of the working draft if `working`), FROM being `first` (commit, blob,
        bytes), some versions already read (`fetched`); None where there is no second process to be had."""

        def produce(send: Send, receive: Receive) -> None:
            ws.history.after_fork()
            reader = _Reader(ws)
            reader.fetched.update(fetched)
            reader.prefetch(shas)
            numbers = _BlockNumbers(reader.parse(*first, part=(1, send, receive)).blocks)
            for sha in shas:
                doc = reader.at(sha)
                send((("at", sha), doc.meta, doc.warnings, *numbers.encode(doc.blocks)))
            if working:
                doc = reader.working()
                send((("working", ""), doc.meta, doc.warnings, *numbers.encode(doc.blocks)))

        forked = Forked.start(produce)
        return None if forked is None else _ParsedAhead(forked)

    def take(self, what: tuple[str, str]) -> Document | None:
        """The next version parsed ahead if it is `what`, else None (the child is then stopped)."""
        msg = self.forked.receive()
        if msg is None or msg[0] != what or self.receiver is None:
            self.forked.close()
            return None
        _what, meta, warnings, new_tokens, new, numbers = msg
        block_numbers, cache = self.receiver
        return Document(meta, block_numbers.decode(new_tokens, new, numbers, cache), warnings)

    def close(self) -> None:
        self.forked.close()


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
    shas = [c.sha for c in chain]
    # FROM and the next version first: the child (if any) starts on that version as soon as it has parsed FROM.
    reader.prefetch([old.sha, *shas[:1]])
    first_raw = reader.raw(old.sha)
    ahead = None
    if len(first_raw[1]) >= _PARSE_AHEAD_MIN_BYTES and len(shas) + (new.sha is None) >= 2 and spare_core():
        ahead = _ParsedAhead.start(ws, (old.sha, *first_raw), shas, new.sha is None, reader.fetched)
        reader.fetched = {}
    reader.prefetch(shas)
    try:
        if ahead is None:
            first = reader.parse(old.sha, *first_raw)
        else:
            first = reader.parse(old.sha, *first_raw, part=(0, ahead.forked.send, ahead.forked.receive))
            ahead.begin(first, reader.chunks)
            reader.ahead = ahead
        return _attributed(ws, request, reader, first, old, new, chain, walk and ancestor, to_sha)
    finally:
        if ahead is not None:
            ahead.close()


def _attributed(
    ws: Workspace,
    request: RedlineRequest,
    reader: _Reader,
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
    att = Attributor(first)
    if ancestor:
        assert old.sha is not None and to_sha is not None
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
        from wtpf_cli.attribution.comments import attach_comments, contribution_comments
        from wtpf_cli.store.contributions import find_contribution

        found = [sc for ident in merged for sc in contribution_comments(ws, find_contribution(ws, ident))]
        if request.single_author is not None:
            found = [replace(sc, author=request.single_author) for sc in found]
        redline, warnings = attach_comments(redline, found)
        redline = replace(redline, warnings=(*redline.warnings, *warnings))
    return RedlineResult(redline, old, new, commits)
