"""Speed only: the versions after FROM parsed in a second process while this one attributes their changes.

A redline or a blame made with it must equal the one DraftReader alone gives (`WTPF_JOBS=1`), errors included:
tests/test_redline_ahead.py compares them, and the block numbers both processes agree on. `_forked.spare_core`
decides whether a second process runs at all.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Mapping
from itertools import chain
from typing import Any, TypeVar

from wtpf_cli._forked import Forked, Receive, Send, spare_core
from wtpf_cli.attribution.draft_reader import Changed, DraftReader, PartsParsed
from wtpf_cli.markdown._chunks import ParseCache, parse_draft_part
from wtpf_cli.model import Block, Document, Paragraph, ParaProps, Table, Token
from wtpf_cli.store.workspace import Workspace

# A draft smaller than this is parsed in one process: a second would not pay for itself.
PARSE_AHEAD_MIN_BYTES = 64_000

_T = TypeVar("_T")
# A new paragraph as it travels: its properties, its key and the numbers of its tokens; a new table: its
# alignments, heading rows and key, and the numbers of the tokens of each cell of each row.
_SentParagraph = tuple[ParaProps, int, bytes]
_SentTable = tuple[tuple[str | None, ...], int, int, tuple[tuple[tuple[int, ...], ...], ...]]
_SentBlock = _SentParagraph | _SentTable


class BlockNumbers:
    """Numbers of blocks and tokens that two processes agree on: FROM's blocks by position (both parsed FROM,
    alike), each later block and each token by order of first sending. A version then travels as the tokens and
    blocks not sent before and a list of block numbers: a block or a token crosses once per run, and pickle builds
    few objects (unpickling a frozen dataclass is a Python call per object). A table's tokens travel by number too:
    a cell edited sends the table again, but of its tokens only the cell's new ones."""

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
        new: list[_SentBlock] = []
        for b in new_blocks:
            if isinstance(b, Paragraph):
                tokens = _numbered(b.tokens, self.token_numbers, self.tokens, new_tokens)
                new.append((b.props, b.key, tokens.tobytes()))
            else:
                number = self._token_number(new_tokens)
                rows = tuple([tuple([tuple(map(number, cell)) for cell in row]) for row in b.rows])
                new.append((b.align, b.header_rows, b.key, rows))
        return new_tokens, new, numbers.tobytes()

    def _token_number(self, new_tokens: list[Token]) -> Callable[[Token], int]:
        """The number of a token, one not sent before numbered and added to `new_tokens`."""
        return _number_of(self.token_numbers, self.tokens, new_tokens)

    def decode(
        self, new_tokens: list[Token], new: list[_SentBlock], numbers: bytes, cache: ParseCache
    ) -> tuple[Block, ...]:
        """The blocks `encode` was given (equal ones, shared as the sender's were), tokens shared with `cache`."""
        self.tokens.extend(map(cache.shared, new_tokens))
        token = self.tokens.__getitem__
        for b in new:
            if len(b) == 3:
                props, key, token_numbers = b
                self.blocks.append(Paragraph(props, tuple(map(token, array("i", token_numbers))), key))
            else:
                align, header_rows, key, numbered = b
                rows = tuple([tuple([tuple(map(token, cell)) for cell in row]) for row in numbered])
                self.blocks.append(Table(rows, align, header_rows, key))
        return tuple(map(self.blocks.__getitem__, array("i", numbers)))


def _number_of(numbers: dict[int, int], held: list[_T], new: list[_T]) -> Callable[[_T], int]:
    """The number of an item (by id), numbering one not numbered before as _numbered does."""

    def number(x: _T) -> int:
        n = numbers.get(id(x))
        if n is None:
            n = numbers[id(x)] = len(held)
            held.append(x)
            new.append(x)
        return n

    return number


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


def _halves(reader: DraftReader, part: int, send: Send, receive: Receive) -> PartsParsed:
    """DraftReader.parse's `parsed`: part `part` of 2 of the text's chunks parsed here and sent, the other part
    received (part 0 sends first: the two sides never both wait to send)."""

    def parsed(text: str, where: str) -> Mapping[str, Any] | None:
        mine = parse_draft_part(text, path=where, cache=reader.chunks, part=part, parts=2)
        if part == 0:
            send(mine)
            received: Mapping[str, Any] | None = receive()
        else:
            received = receive()
            send(mine)
        return received

    return parsed


class ParsedAhead:
    """DraftReader's `changes_at` and `working_changes` for a redline, the versions after FROM parsed by a forked
    child while this process attributes their changes (parsing needs nothing from the attribution). FROM is parsed
    half here and half there, each half then sent to the other (both then hold the same blocks, so block numbers
    agree); the child sends each later version as the blocks that changed since the version before, by number
    (BlockNumbers: new ones in full). If the child stops early, the reader parses the rest here, where errors are
    raised as always."""

    def __init__(self, reader: DraftReader, forked: Forked) -> None:
        self.reader = reader
        self.forked = forked
        self.live = True  # whether the next version may still come from the child
        self.numbers: BlockNumbers | None = None  # FROM's block numbers, once FROM is parsed here
        self.last: tuple[Block, ...] = ()  # the blocks of the version taken last

    def first(self, sha: str, blob: str, data: bytes) -> Document:
        """FROM (commit, blob, bytes), parsed half here and half in the child."""
        doc = self.reader.parse(sha, blob, data, _halves(self.reader, 0, self.forked.send, self.forked.receive))
        self.numbers = BlockNumbers(doc.blocks)
        self.last = doc.blocks
        return doc

    def changes_at(self, sha: str) -> tuple[Document, Changed]:
        """The document of the draft at commit `sha` and its changed blocks: the child's, or parsed here."""
        found = self._take(("at", sha))
        return found if found is not None else self.reader.changes_at(sha)

    def working_changes(self) -> tuple[Document, Changed]:
        """The document of the draft in the work tree and its changed blocks: the child's, or parsed here."""
        found = self._take(("working", ""))
        self.live = False
        return found if found is not None else self.reader.working_changes()

    def _take(self, what: tuple[str, str]) -> tuple[Document, Changed] | None:
        """The next version parsed ahead if it is `what`, else None (the child is then stopped, and the reader
        here reads the next version whole: it has not read the ones before)."""
        if not self.live:
            return None
        msg = self.forked.receive()
        if msg is None or msg[0] != what or self.numbers is None:
            self.forked.close()
            self.live = False
            self.reader.series.forget()
            return None
        _what, meta, warnings, ranges, new_tokens, new, numbers = msg
        blocks = self.numbers.decode(new_tokens, new, numbers, self.reader.chunks)
        if ranges is None:
            self.last = blocks
            return Document(meta, blocks, warnings), None
        pieces: list[tuple[Block, ...]] = []
        changed: list[tuple[int, int, int, int]] = []
        at = taken = gained = 0
        for a0, a1, n in ranges:
            pieces += [self.last[at:a0], blocks[taken : taken + n]]
            changed.append((a0, a1, a0 + gained, a0 + gained + n))
            at, taken, gained = a1, taken + n, gained + n - (a1 - a0)
        pieces.append(self.last[at:])
        self.last = tuple(chain.from_iterable(pieces))
        return Document(meta, self.last, warnings), changed

    def close(self) -> None:
        """Stop the child if it is still at work."""
        self.forked.close()


def _sent(what: tuple[str, str], found: tuple[Document, Changed], numbers: BlockNumbers) -> tuple[Any, ...]:
    """What the child sends of one version: its front matter and warnings, and its changed blocks (all of them where
    the changes are not known) as BlockNumbers encodes them, with the ranges they replace (None: all)."""
    doc, changed = found
    if changed is None:
        return (what, doc.meta, doc.warnings, None, *numbers.encode(doc.blocks))
    ranges = [(a0, a1, b1 - b0) for a0, a1, b0, b1 in changed]
    blocks = tuple(b for _a0, _a1, b0, b1 in changed for b in doc.blocks[b0:b1])
    return (what, doc.meta, doc.warnings, ranges, *numbers.encode(blocks))


def parse_ahead(
    ws: Workspace, reader: DraftReader, first: tuple[str, str, bytes], shas: list[str], working: bool, size: int = 0
) -> ParsedAhead | None:
    """A forked parser of FROM's other half, then of `shas` (then of the working draft if `working`), FROM being
    `first` (commit, blob, bytes) and the versions `reader` has read so far handed over; None where one process does
    all the work: a small draft (FROM, and `size`, the bytes of another version), fewer than two versions after
    FROM, no spare core, or no child could start."""
    if working and len(shas) == 1 and _unchanged_since(ws, shas[0]):
        working = False  # the work tree holds the last commit's draft: one version after FROM, read for nothing
    if max(len(first[2]), size) < PARSE_AHEAD_MIN_BYTES or len(shas) + working < 2 or not spare_core():
        return None
    fetched, reader.fetched = reader.fetched, {}

    def produce(send: Send, receive: Receive) -> None:
        ws.history.after_fork()
        child = DraftReader(ws)
        child.fetched.update(fetched)
        child.prefetch(shas)
        numbers = BlockNumbers(child.parse(*first, _halves(child, 1, send, receive)).blocks)
        for sha in shas:
            send(_sent(("at", sha), child.changes_at(sha), numbers))
        if working:
            send(_sent(("working", ""), child.working_changes(), numbers))

    forked = Forked.start(produce)
    return None if forked is None else ParsedAhead(reader, forked)


def _unchanged_since(ws: Workspace, sha: str) -> bool:
    """Whether the draft in the work tree is the one of commit `sha` (by git's blob id of its bytes)."""
    try:
        data = ws.draft_path.read_bytes()
    except OSError:
        return False
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == ws.history.blob_id(sha, ws.draft_repo_path)
