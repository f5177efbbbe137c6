"""Replay a chain of versions and attribute every inserted and deleted token to the revision that made it.

The state is a flat sequence of items (tokens, paragraph marks, tables) in which deleted items stay in place,
grouped so that each group shows exactly one block of the latest version. Each new version is compared block by
block (hashes); only the changed runs of blocks are diffed token by token. Text inserted after FROM and deleted
again before TO disappears, since it is in neither; each remaining insertion keeps the revision that made it.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from wtpf_cli.diff.sequences import ChainDiffer, Edit, diff_inner, diff_sequences, unalign, widen
from wtpf_cli.model import (
    Block,
    Document,
    Paragraph,
    ParaProps,
    RBlock,
    Redline,
    Revision,
    RParagraph,
    RRow,
    RRun,
    RTable,
    Table,
    Token,
)


class _Tok:
    __slots__ = ("dele", "ins", "key", "token")

    def __init__(self, token: Token, key: Hashable, ins: Revision | None = None) -> None:
        self.token = token
        self.key = key
        self.ins = ins
        self.dele: Revision | None = None


class _Mark:
    __slots__ = ("dele", "ins", "key", "props")

    def __init__(self, props: ParaProps, ins: Revision | None = None) -> None:
        self.props = props
        self.key: Hashable = ("\u00b6", props.container)
        self.ins = ins
        self.dele: Revision | None = None


class _Row:
    __slots__ = ("cells", "dele", "header", "ins")

    def __init__(self, cells: list[list[_Tok]], header: bool, ins: Revision | None = None) -> None:
        self.cells = cells
        self.header = header
        self.ins = ins
        self.dele: Revision | None = None

    def key(self) -> Hashable:
        return tuple(tuple(t.token for t in cell if t.dele is None) for cell in self.cells)


class _Table:
    __slots__ = ("align", "key", "rows")

    def __init__(self, rows: list[_Row], align: tuple[str | None, ...]) -> None:
        self.rows = rows
        self.align = align
        self.key: Hashable = ("\u229e",)

    @property
    def dele(self) -> Revision | None:
        """A table is gone once all its rows are deleted (the revision of the last row stands for it)."""
        if self.rows and all(r.dele is not None for r in self.rows):
            return self.rows[-1].dele
        return None


_Item = _Tok | _Mark | _Table
# A group of items showing one block; a block of FROM that no diff has touched stays a Block (no items yet).
_Group = list[_Item] | Block


def _tok_key(container: str, token: Token) -> Hashable:
    # The token's fields rather than the token: a tuple of strings and a frozenset hashes and compares in C.
    return (container, token.text, token.marks, token.href, token.note)


def _cell_items(cell: Sequence[Token], ins: Revision | None) -> list[_Tok]:
    return [_Tok(t, _tok_key("cell", t), ins) for t in cell]


def _block_items(block: Block, ins: Revision | None) -> list[_Item]:
    if isinstance(block, Paragraph):
        c = block.props.container
        items: list[_Item] = [_Tok(t, (c, t.text, t.marks, t.href, t.note), ins) for t in block.tokens]
        items.append(_Mark(block.props, ins))
        return items
    rows = [_Row(_row_cells(row, ins), k < block.header_rows, ins) for k, row in enumerate(block.rows)]
    return [_Table(rows, block.align)]


def _row_cells(row: Sequence[Sequence[Token]], ins: Revision | None) -> list[list[_Tok]]:
    return [_cell_items(cell, ins) for cell in row]


def _new_keys(blocks: Sequence[Block]) -> list[Hashable]:
    keys: list[Hashable] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            c = block.props.container
            keys.extend([(c, t.text, t.marks, t.href, t.note) for t in block.tokens])
            keys.append(("\u00b6", c))
        else:
            keys.append(("\u229e",))
    return keys


def _new_payload(blocks: Sequence[Block]) -> list[Token | ParaProps | Table]:
    out: list[Token | ParaProps | Table] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.extend(block.tokens)
            out.append(block.props)
        else:
            out.append(block)
    return out


def _visible(item: _Item) -> bool:
    return item.dele is None


def _regions(edits: list[Edit]) -> Iterable[tuple[bool, int, int, int, int]]:
    """Coalesce a block diff into equal runs and changed regions (old a0:a1 replaced by new b0:b1)."""
    pending: list[Edit] = []
    for e in edits:
        if e.op == "equal":
            if pending:
                yield False, pending[0].a0, pending[-1].a1, pending[0].b0, pending[-1].b1
                pending = []
            yield True, e.a0, e.a1, e.b0, e.b1
        else:
            pending.append(e)
    if pending:
        yield False, pending[0].a0, pending[-1].a1, pending[0].b0, pending[-1].b1


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: parsing, attribution and rendering make hundreds of thousands of
    small objects that live on and hold no cycles, and every few hundred of them the collector would walk the
    younger ones again (a fifth of the attribution's time in a 100,000-word redline, 5% of a whole redline).
    Reference counting still frees what is dropped."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Attributor:
    """Accumulates versions of a document and the revisions between them."""

    def __init__(self, first: Document) -> None:
        self.first_meta = first.meta
        self.meta = first.meta
        self.blocks: list[Block] = list(first.blocks)
        self.groups: list[_Group] = list(first.blocks)  # items are made only for blocks that a diff touches
        self.sources: list[str] = []
        self.differ = ChainDiffer(self.blocks)  # block diffs of each version with the one before

    def apply(self, doc: Document, rev: Revision) -> None:
        """Move to the next version `doc`, attributing its changes to `rev`."""
        with collector_paused():
            self._apply(doc, rev)

    def _apply(self, doc: Document, rev: Revision) -> None:
        new_blocks = list(doc.blocks)
        self.meta = doc.meta
        if new_blocks == self.blocks:
            return
        if rev.author not in self.sources:
            self.sources.append(rev.author)
        edits = self.differ.diff_next(new_blocks)
        groups: list[_Group] = []
        carry: list[_Item] = []  # invisible items waiting for the next group
        old_groups = self.groups
        for equal, a0, a1, b0, b1 in _regions(edits):
            if equal:
                if carry:
                    groups.append(carry + _items(old_groups[a0]))
                    carry = []
                    a0 += 1
                groups.extend(old_groups[a0:a1])
                continue
            # The whole changed run at once: text may move between its blocks (splits, merges).
            items = [item for g in old_groups[a0:a1] for item in _items(g)]
            if carry:
                items = carry + items
                carry = []
            out = _merge(items, new_blocks[b0:b1], rev)
            new_groups, trailing = _regroup(out)
            if new_groups:
                new_groups[-1].extend(trailing)
                groups.extend(new_groups)
            elif groups:
                groups[-1] = _items(groups[-1]) + trailing
            else:
                carry = trailing
        if carry:
            if groups:
                groups[-1] = _items(groups[-1]) + carry
            else:
                groups.append(carry)
        self.groups = groups
        self.blocks = new_blocks

    def redline(self, single_author: str | None = None, single_date: str | None = None) -> Redline:
        """Freeze the accumulated state as a Redline from the first version to the latest."""
        remap = None
        if single_author is not None:
            remap = Revision(single_author, single_date or "")
        with collector_paused():
            blocks = _freeze(self.groups, remap)
        sources = (single_author,) if single_author is not None and self.sources else tuple(self.sources)
        return Redline(self.meta, self.first_meta, tuple(blocks), sources)


def _items(group: _Group) -> list[_Item]:
    """The items of a group, made from its block if no diff has touched it yet."""
    return group if isinstance(group, list) else _block_items(group, None)


def _token_rank(t: Hashable) -> int:
    """Words and tables align first (0), then line breaks (1), then spaces (2)."""
    if isinstance(t, Token) and t.text.isspace():
        return 1 if t.text == "\n" else 2
    return 0


def _merge(items: list[_Item], new_blocks: Sequence[Block], rev: Revision) -> list[_Item]:
    """Diff the visible items of a region against new blocks and apply the edits in place (equal runs copied as
    slices: only marks, tables and changed items are visited one by one)."""
    visible_idx = [i for i, item in enumerate(items) if item.dele is None]
    visible = items if len(visible_idx) == len(items) else [items[i] for i in visible_idx]
    new_keys = _new_keys(new_blocks)
    _key_tables(visible, new_blocks, new_keys)
    old_keys = [item.key for item in visible]
    payload = _new_payload(new_blocks)
    edits = _window_edits(old_keys, new_keys)
    if edits is None:
        edits = _whole_edits(visible, old_keys, new_keys, payload)
    return _apply_edits(items, visible_idx, visible, edits, payload, new_keys, rev)


# Fewer common items than this around a change: the whole region is diffed (a window would save little).
_WINDOW_MIN = 24
# Words kept around the changed middle of a region, so that its first and last equalities hold a word of their own.
_WINDOW_MARGIN = 4


def _key_rank(key: Hashable) -> int:
    """_token_rank of the item with this key: words and tables 0, line breaks and paragraph marks 1, spaces 2."""
    head = key[0]  # type: ignore[index]
    if head == "\u00b6":
        return 1
    if head == "\u229e":
        return 0
    text: str = key[1]  # type: ignore[index]
    return 1 if text == "\n" else 2 if text.isspace() else 0


def _common_prefix(a: list[Hashable], b: list[Hashable]) -> int:
    """How many leading items a and b share (slices compared in C, halving the step)."""
    lo, hi = 0, min(len(a), len(b))  # a[:lo] == b[:lo]; the first difference is before hi
    if a[:hi] == b[:hi]:
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _window_edits(old_keys: list[Hashable], new_keys: list[Hashable]) -> list[Edit] | None:
    """The edits of a region found by diffing only a window around its changes (diff_inner), or None where that
    may differ from the whole diff, or would save little, or a paragraph mark comes or goes (_stranded_words)."""
    n, m = len(old_keys), len(new_keys)
    p = _common_prefix(old_keys, new_keys)
    if p == n == m:
        return None
    s = _common_prefix(old_keys[: p - 1 : -1] if p else old_keys[::-1], new_keys[: p - 1 : -1] if p else new_keys[::-1])
    if p + s < _WINDOW_MIN:
        return None
    need = _WINDOW_MARGIN
    start = 0  # the window starts after the word that ends the common prefix left out
    words = 0
    for i in range(p - 1, -1, -1):
        if _key_rank(old_keys[i]) == 0:
            words += 1
            if words > need:
                start = i + 1
                break
    stop = n  # ... and stops before the word that starts the common suffix left out
    words = 0
    for i in range(n - s, n):
        if _key_rank(old_keys[i]) == 0:
            words += 1
            if words > need:
                stop = i
                break
    if start == 0 and stop == n:
        return None
    after = n - stop
    win_a, win_b = old_keys[start:stop], new_keys[start : m - after]
    ra, rb = list(map(_key_rank, win_a)), list(map(_key_rank, win_b))
    top = max(max(ra, default=0), max(rb, default=0))
    if top < 2:  # the whole region's highest rank is not known from the window
        return None
    inner = diff_inner(win_a, win_b, (ra, rb), top, before=start > 0, after=after > 0)
    if inner is None:
        return None
    for e in inner:
        if (e.op == "delete" and 1 in ra[e.a0 : e.a1]) or (e.op == "insert" and 1 in rb[e.b0 : e.b1]):
            return None  # a line break or paragraph mark comes or goes: see _stranded_words on the whole
    return widen(inner, start, after)


def _whole_edits(
    visible: list[_Item], old_keys: list[Hashable], new_keys: list[Hashable], payload: list[Token | ParaProps | Table]
) -> list[Edit]:
    """The edits of a region: the visible items diffed against the new ones, stranded words unaligned."""
    old_ranks = [
        ((1 if (x := it.token.text) == "\n" else 2 if x.isspace() else 0) if type(it) is _Tok else 1)
        if type(it) is not _Table
        else 0
        for it in visible
    ]
    new_ranks = [
        ((1 if p.text == "\n" else 2 if p.text.isspace() else 0) if type(p) is Token else 1)
        if type(p) is not Table
        else 0
        for p in payload
    ]
    edits = diff_sequences(old_keys, new_keys, ranks=(old_ranks, new_ranks))
    original = [getattr(item, "ins", None) is None for item in visible]
    return unalign(edits, _stranded_words(edits, old_keys, new_keys, original, (old_ranks, new_ranks)))


def _apply_edits(
    items: list[_Item],
    visible_idx: list[int],
    visible: list[_Item],
    edits: list[Edit],
    payload: list[Token | ParaProps | Table],
    new_keys: list[Hashable],
    rev: Revision,
) -> list[_Item]:
    """The region's items after the edits: equal runs copied as slices, changed items visited one by one."""
    nv = len(visible_idx)
    specials = [k for k, it in enumerate(visible) if type(it) is not _Tok]
    out: list[_Item] = []
    pos = 0  # next index into items not yet copied

    for e in edits:
        if e.op == "insert":
            # after any deleted items already standing here: deletion first, then insertion
            nxt = visible_idx[e.a0] if e.a0 < nv else len(items)
            if pos < nxt:
                out.extend(items[pos:nxt])
                pos = nxt
            for j in range(e.b0, e.b1):
                p = payload[j]
                if type(p) is Token:
                    out.append(_Tok(p, new_keys[j], rev))  # its key: _tok_key of its container
                elif type(p) is ParaProps:
                    out.append(_Mark(p, rev))
                else:
                    assert isinstance(p, Table)
                    out.extend(_block_items(p, rev))
            continue
        if e.op == "equal":
            # marks take the new paragraph's properties; tables are merged row by row; tokens stay as they are
            for k in specials[bisect_left(specials, e.a0) : bisect_left(specials, e.a1)]:
                item = visible[k]
                p = payload[e.b0 + (k - e.a0)]
                if isinstance(item, _Mark):
                    assert isinstance(p, ParaProps)
                    item.props = p
                elif isinstance(item, _Table):
                    assert isinstance(p, Table)
                    _merge_table(item, p, rev)
            last = visible_idx[e.a1 - 1] + 1
            out.extend(items[pos:last])
            pos = last
            continue
        for k in range(e.a0, e.a1):
            idx = visible_idx[k]
            if pos < idx:
                out.extend(items[pos:idx])
            item = items[idx]
            pos = idx + 1
            kept = _delete(item, rev)
            if kept is not None:
                out.append(kept)
    out.extend(items[pos:])
    return out


def _stranded_words(
    edits: list[Edit],
    old_keys: list[Hashable],
    new_keys: list[Hashable],
    original: list[bool],
    ranks: tuple[list[int], list[int]],
) -> set[int]:
    """Old indices of the few words that open a paragraph which is otherwise deleted (or otherwise new) and loses
    (or gains) its paragraph mark: typically its number. Shown deleted and re-inserted, the paragraph goes as a
    whole, as Word's Compare shows it, instead of lending its number to its neighbour across a deleted mark
    (which readers such as pandoc do not join). Only words of FROM are moved so: an insertion keeps its author."""
    equal = [e for e in edits if e.op == "equal"]
    starts_a = [e.a0 for e in equal]
    starts_b = [e.b0 for e in equal]

    def to_new(k: int) -> int | None:
        x = bisect_right(starts_a, k) - 1
        return equal[x].b0 + k - equal[x].a0 if x >= 0 and k < equal[x].a1 else None

    def to_old(k: int) -> int | None:
        x = bisect_right(starts_b, k) - 1
        return equal[x].a0 + k - equal[x].b0 if x >= 0 and k < equal[x].b1 else None

    fold: set[int] = set()

    def scan(keys: list[Hashable], marks: Iterable[int], mapping: Callable[[int], int | None], to_old: bool) -> None:
        # Only the paragraphs whose mark is deleted (old side) or inserted (new side): their marks lie in the
        # diff's changes, and each paragraph starts after the paragraph mark or table before it.
        rank = ranks[0] if to_old else ranks[1]
        for i in marks:
            if rank[i] != 1 or keys[i][0] != "\u00b6":  # type: ignore[index]
                continue
            start = i
            while start > 0 and keys[start - 1][0] not in ("\u00b6", "\u229e"):  # type: ignore[index]
                start -= 1
            span = range(start, i)
            mapped = [mapping(k) for k in span]
            kept = [k for k, t in zip(span, mapped, strict=True) if t is not None]
            words = [k for k in span if rank[k] == 0]
            kept_words = [k for k in kept if rank[k] == 0]
            lead = 0
            while lead < len(span) and mapped[lead] is not None:
                lead += 1
            olds = [k if to_old else mapped[k - start] for k in kept]
            if (
                kept_words
                and 2 * len(kept_words) < len(words)
                and len(kept) == lead  # all kept words lead the paragraph
                and all(original[o] for o in olds)  # type: ignore[index]
            ):
                fold.update(olds)  # type: ignore[arg-type]

    scan(old_keys, (k for e in edits if e.op == "delete" for k in range(e.a0, e.a1)), to_new, True)
    scan(new_keys, (k for e in edits if e.op == "insert" for k in range(e.b0, e.b1)), to_old, False)
    return fold


def _key_tables(old: list[_Item], new_blocks: Sequence[Block], new_keys: list[Hashable]) -> None:
    """Give tables keys so that only similar tables (sharing words) align, each with at most one other."""
    old_tables = [t for t in old if isinstance(t, _Table)]
    if not old_tables:
        return
    new_pos = [k for k, key in enumerate(new_keys) if key == ("\u229e",)]
    new_tables = [b for b in new_blocks if isinstance(b, Table)]
    old_words = [
        _table_words([[[t.token for t in c if t.dele is None] for c in r.cells] for r in tb.rows]) for tb in old_tables
    ]
    new_words = [_table_words(tb.rows) for tb in new_tables]
    pairs = dict(_lcs_pairs(len(old_tables), len(new_tables), lambda x, y: bool(old_words[x] & new_words[y])))
    paired_new = {y: x for x, y in pairs.items()}
    for x, tb in enumerate(old_tables):
        tb.key = ("\u229e", x) if x in pairs else ("\u229e", "old", x)
    for y, pos in enumerate(new_pos):
        new_keys[pos] = ("\u229e", paired_new[y]) if y in paired_new else ("\u229e", "new", y)


def _delete(item: _Item, rev: Revision) -> _Item | None:
    """Delete a visible item: text inserted since FROM vanishes, older text is marked deleted."""
    if isinstance(item, _Table):
        rows = [r for r in (_delete_row(r, rev) for r in item.rows) if r is not None]
        if not rows:
            return None
        item.rows = rows
        return item
    if item.ins is not None:
        return None
    item.dele = rev
    return item


def _delete_row(row: _Row, rev: Revision) -> _Row | None:
    if row.dele is not None:
        return row
    if row.ins is not None:
        return None
    for cell in row.cells:
        cell[:] = [t for t in cell if t.dele is not None or t.ins is None]
        for t in cell:
            if t.dele is None:
                t.dele = rev
    row.dele = rev
    return row


def _merge_tokens(items: list[_Tok], new: Sequence[Token], rev: Revision) -> list[_Tok]:
    """Token diff of one table cell."""
    visible_idx = [i for i, t in enumerate(items) if t.dele is None]
    old_keys = [items[i].token for i in visible_idx]
    edits = diff_sequences(old_keys, list(new), rank=_token_rank)
    out: list[_Tok] = []
    pos = 0
    for e in edits:
        if e.op == "insert":
            nxt = visible_idx[e.a0] if e.a0 < len(visible_idx) else len(items)
            out.extend(items[pos:nxt])
            pos = max(pos, nxt)
            out.extend(_Tok(t, _tok_key("cell", t), rev) for t in new[e.b0 : e.b1])
            continue
        for k in range(e.a0, e.a1):
            idx = visible_idx[k]
            out.extend(items[pos:idx])
            pos = idx + 1
            item = items[idx]
            if e.op == "equal":
                out.append(item)
            elif item.ins is None:
                item.dele = rev
                out.append(item)
    out.extend(items[pos:])
    return out


def _merge_table(table: _Table, new: Table, rev: Revision) -> None:
    """Row diff of two tables; rows replaced one for one are diffed cell by cell."""
    table.align = new.align
    visible = [r for r in table.rows if r.dele is None]
    old_keys = [r.key() for r in visible]
    new_keys: list[Hashable] = list(new.rows)
    edits = diff_sequences(old_keys, new_keys)
    # Row positions in the full list, to keep deleted rows where they stand.
    full_index = {id(r): i for i, r in enumerate(table.rows)}
    visible_idx = [full_index[id(r)] for r in visible]
    out: list[_Row] = []
    pos = 0

    def flush_to(limit: int) -> None:
        nonlocal pos
        while pos < limit:
            out.append(table.rows[pos])
            pos += 1

    def add_new(j: int) -> None:
        out.append(_Row(_row_cells(new.rows[j], rev), j < new.header_rows, rev))

    k = 0
    while k < len(edits):
        e = edits[k]
        if e.op == "equal":
            for n in range(e.a1 - e.a0):
                idx = visible_idx[e.a0 + n]
                flush_to(idx)
                row = table.rows[idx]
                pos = idx + 1
                row.header = (e.b0 + n) < new.header_rows
                out.append(row)
            k += 1
            continue
        dels = e if e.op == "delete" else None
        ins = e if e.op == "insert" else None
        if k + 1 < len(edits) and edits[k + 1].op != "equal" and edits[k + 1].op != e.op:
            if dels is None:
                dels = edits[k + 1]
            else:
                ins = edits[k + 1]
            k += 1
        k += 1
        a0, a1 = (dels.a0, dels.a1) if dels else (ins.a0 if ins else 0, ins.a0 if ins else 0)
        b0, b1 = (ins.b0, ins.b1) if ins else (0, 0)
        old_rows = [table.rows[visible_idx[i]] for i in range(a0, a1)]
        pairs = _align_rows(old_rows, list(new.rows[b0:b1]))
        i, j = a0, b0

        def next_visible(i: int) -> int:
            return visible_idx[i] if i < len(visible_idx) else len(table.rows)

        for pi, pj in [*((a0 + x, b0 + y) for x, y in pairs), (a1, b1)]:
            while i < pi:  # rows of the old table with no counterpart: deleted
                idx = visible_idx[i]
                flush_to(idx)
                pos = idx + 1
                kept = _delete_row(table.rows[idx], rev)
                if kept is not None:
                    out.append(kept)
                i += 1
            if j < pj:
                flush_to(next_visible(i))
            while j < pj:  # rows of the new table with no counterpart: inserted
                add_new(j)
                j += 1
            if pi < a1:  # a row edited in place: diff cell by cell
                idx = visible_idx[pi]
                flush_to(idx)
                pos = idx + 1
                row = table.rows[idx]
                for c, cell in enumerate(row.cells):
                    row.cells[c] = _merge_tokens(cell, new.rows[pj][c], rev)
                row.header = pj < new.header_rows
                out.append(row)
                i, j = pi + 1, pj + 1
    flush_to(len(table.rows))
    table.rows = out


def _lcs_pairs(n: int, m: int, match: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """The longest chain of pairs (i, j), increasing in both, for which match(i, j) holds."""
    table = [[False] * m for _ in range(n)]
    for x in range(n):
        for y in range(m):
            table[x][y] = match(x, y)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for x in range(n - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            best[x][y] = max(best[x + 1][y], best[x][y + 1], best[x + 1][y + 1] + 1 if table[x][y] else 0)
    pairs = []
    x = y = 0
    while x < n and y < m:
        if table[x][y] and best[x][y] == best[x + 1][y + 1] + 1:
            pairs.append((x, y))
            x, y = x + 1, y + 1
        elif best[x + 1][y] >= best[x][y + 1]:
            x += 1
        else:
            y += 1
    return pairs


def _align_rows(old: list[_Row], new: list[tuple[tuple[Token, ...], ...]]) -> list[tuple[int, int]]:
    """Rows to diff cell by cell: same number of cells and at least one word in common."""
    old_words = [
        {t.token for cell in r.cells for t in cell if t.dele is None and not t.token.text.isspace()} for r in old
    ]
    new_words = [{t for cell in r for t in cell if not t.text.isspace()} for r in new]
    return _lcs_pairs(
        len(old),
        len(new),
        lambda x, y: len(old[x].cells) == len(new[y]) and bool(old_words[x] & new_words[y]),
    )


def _table_words(rows: Iterable[Iterable[Iterable[Token]]]) -> set[Token]:
    return {t for row in rows for cell in row for t in cell if not t.text.isspace()}


def _regroup(items: list[_Item]) -> tuple[list[list[_Item]], list[_Item]]:
    """Split items into groups ending at each visible paragraph mark or table; return trailing invisibles."""
    ends = [i + 1 for i, item in enumerate(items) if type(item) is not _Tok and item.dele is None]
    groups = [items[s:e] for s, e in zip([0, *ends], ends, strict=False)]
    return groups, items[ends[-1] if ends else 0 :]


def _freeze(groups: list[_Group], remap: Revision | None) -> list[RBlock]:
    def r(rev: Revision | None) -> Revision | None:
        return rev if rev is None or remap is None else remap

    out: list[RBlock] = []
    runs: list[RRun] = []
    plain: _PlainRuns = {}
    for group in groups:
        if isinstance(group, list):
            runs = _freeze_items(group, r, out, runs, plain)
        elif runs:  # deleted tokens waiting for this block's paragraph mark
            runs = _freeze_items(_block_items(group, None), r, out, runs, plain)
        else:
            out.append(_plain_block(group, plain))
    if runs:
        raise AssertionError("tokens after the last paragraph mark")
    return out


def _freeze_items(
    items: list[_Item],
    r: Callable[[Revision | None], Revision | None],
    out: list[RBlock],
    runs: list[RRun],
    plain: _PlainRuns,
) -> list[RRun]:
    """Freeze items onto `out`; return the runs still waiting for a paragraph mark."""
    get = plain.get
    add = runs.append
    for item in items:
        kind = type(item)
        if kind is _Tok:
            if item.ins is None and item.dele is None:  # type: ignore[union-attr]
                add(get(id(item.token)) or _plain_run(item.token, plain))  # type: ignore[union-attr]
            else:
                add(RRun(item.token, r(item.ins), r(item.dele)))  # type: ignore[union-attr]
        elif kind is _Mark:
            out.append(RParagraph(item.props, tuple(runs), r(item.ins), r(item.dele)))  # type: ignore[union-attr]
            runs = []
            add = runs.append
        else:
            assert isinstance(item, _Table)
            if runs:  # cannot happen: every paragraph ends with its mark
                raise AssertionError("tokens before a table without a paragraph mark")
            rows = tuple(
                RRow(
                    tuple(tuple(RRun(t.token, r(t.ins), r(t.dele)) for t in cell) for cell in row.cells),
                    r(row.ins),
                    r(row.dele),
                    row.header,
                )
                for row in item.rows
            )
            out.append(RTable(rows, item.align))
    return runs


# One unrevised run per token object, shared wherever the token occurs (the parser shares equal tokens); the runs
# keep their tokens alive, so the ids stay theirs while the mapping lives.
_PlainRuns = dict[int, RRun]


def _plain_run(token: Token, plain: _PlainRuns) -> RRun:
    run = plain[id(token)] = RRun(token)
    return run


def _plain_block(block: Block, plain: _PlainRuns) -> RBlock:
    """A block with no revisions, as a redline block."""
    if isinstance(block, Paragraph):
        return RParagraph(block.props, tuple([plain.get(id(t)) or _plain_run(t, plain) for t in block.tokens]))
    rows = tuple(
        RRow(
            tuple([tuple([plain.get(id(t)) or _plain_run(t, plain) for t in cell]) for cell in row]),
            None,
            None,
            k < block.header_rows,
        )
        for k, row in enumerate(block.rows)
    )
    return RTable(rows, block.align)


def unchanged(doc: Document) -> Redline:
    """A redline with no revisions: what a clean build renders."""
    plain: _PlainRuns = {}
    return Redline(doc.meta, doc.meta, tuple([_plain_block(b, plain) for b in doc.blocks]), ())
