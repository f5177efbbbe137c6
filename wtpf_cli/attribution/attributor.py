"""Replay a chain of versions and attribute every inserted and deleted token to the revision that made it.

The state is a flat sequence of items (tokens, paragraph marks, tables: items.py) in which deleted items stay in
place, grouped so that each group shows exactly one block of the latest version. Each new version is compared block
by block (hashes); only the changed runs of blocks are diffed token by token. Text inserted after FROM and deleted
again before TO disappears, since it is in neither; each remaining insertion keeps the revision that made it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import replace

from wtpf_cli._collector import collector_paused
from wtpf_cli.attribution._window import window_edits
from wtpf_cli.attribution.formatting import rekind, restyle, restyled
from wtpf_cli.attribution.freeze import freeze
from wtpf_cli.attribution.items import (
    Group,
    Item,
    MarkItem,
    TableItem,
    TokenItem,
    block_items,
    block_keys,
    block_payload,
)
from wtpf_cli.attribution.moves import find_moves
from wtpf_cli.attribution.sentence_moves import mark_moved, sentence_moves
from wtpf_cli.attribution.tables import delete_row, key_tables, merge_table
from wtpf_cli.diff._chained import ChainDiffer
from wtpf_cli.diff.sequences import Edit, diff_sequences, unalign
from wtpf_cli.diff.sequences import regions as diff_regions
from wtpf_cli.model import Block, Document, ParaProps, Redline, Revision, Table, Token


class Attributor:
    """Accumulates versions of a document and the revisions between them (with `moves`, a paragraph or a sentence a
    commit moves is marked as moved, else as deleted and inserted)."""

    def __init__(self, first: Document, *, moves: bool = True) -> None:
        self.first_meta = first.meta
        self.meta = first.meta
        self.blocks: list[Block] = list(first.blocks)
        self.groups: list[Group] = list(first.blocks)  # items are made only for blocks that a diff touches
        self.sources: list[str] = []
        # Block diffs of each version with the one before: diff_sequences(self.blocks, new blocks), faster.
        self.differ = ChainDiffer(self.blocks)
        self.moves = moves
        self.moved = 0  # moves named so far: move1, move2...

    def apply(self, doc: Document, rev: Revision, changed: list[tuple[int, int, int, int]] | None = None) -> None:
        """Move to the next version `doc`, attributing its changes to `rev`; `changed` says which of its blocks
        changed since the version before (draft_reader.Changed; None: any may have)."""
        with collector_paused():
            self._apply(doc, rev, changed)

    def _apply(self, doc: Document, rev: Revision, changed: list[tuple[int, int, int, int]] | None) -> None:
        new_blocks = list(doc.blocks)
        self.meta = doc.meta
        if new_blocks == self.blocks:
            return
        if rev.author not in self.sources:
            self.sources.append(rev.author)
        edits = self.differ.diff_next(new_blocks, changed)
        regions = list(diff_regions(edits))
        moved_in = self._move(regions, new_blocks, rev) if self.moves else {}
        groups: list[Group] = []
        carry: list[Item] = []  # invisible items waiting for the next group
        old_groups = self.groups
        region_items: list[list[Item]] = []  # the items of each changed region, where sentences may have moved
        vanished: list[list[TokenItem]] = []  # runs of words inserted since FROM and taken out again
        for equal, a0, a1, b0, b1 in regions:
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
            staying = [b for b in range(b0, b1) if b not in moved_in] if moved_in else None
            if staying is None or len(staying) == b1 - b0:
                out = _merge(items, new_blocks[b0:b1], rev, vanished)
                new_groups, trailing = _regroup(out)
            else:  # the paragraphs moved in take their places among the others
                out = _merge(items, [new_blocks[b] for b in staying], rev, vanished)
                others, trailing = _regroup(out)
                rest = iter(others)
                new_groups = [moved_in[b] if b in moved_in else next(rest) for b in range(b0, b1)]
            region_items.append(out)
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
        if self.moves:
            for taken, put in sentence_moves(region_items, rev, vanished):
                if taken[0].dele is rev:  # words of FROM taken out where they were: a move
                    self.moved += 1
                    mark_moved(taken, put, replace(rev, move=f"move{self.moved}"))
                else:  # words inserted (or moved) since FROM: where they went, still whoever put them in
                    mark_moved(taken, put, None)

    def _move(
        self, regions: list[tuple[bool, int, int, int, int]], new_blocks: list[Block], rev: Revision
    ) -> dict[int, list[Item]]:
        """Mark the paragraphs this version moves as moved away (in the old groups) and return the items of each
        where it now stands, by its new index (moves.py finds them among the changed regions)."""
        old_side: list[tuple[int, int, Block]] = []
        new_side: list[tuple[int, int, Block]] = []
        for n, (equal, a0, a1, b0, b1) in enumerate(regions):
            if not equal:
                old_side.extend((a, n, self.blocks[a]) for a in range(a0, a1))
                new_side.extend((b, n, new_blocks[b]) for b in range(b0, b1))
        moved_in: dict[int, list[Item]] = {}
        for a, b in find_moves(old_side, new_side):
            self.moved += 1
            move = replace(rev, move=f"move{self.moved}")
            items = self.groups[a] = _items(self.groups[a])
            moved_in[b] = _moved_items(items, new_blocks[b], move, rev)
            _move_away(items, move)
        return moved_in

    def redline(self, single_author: str | None = None, single_date: str | None = None) -> Redline:
        """Freeze the accumulated state as a Redline from the first version to the latest."""
        remap = None
        if single_author is not None:
            remap = Revision(single_author, single_date or "")
        with collector_paused():
            blocks = freeze(self.groups, remap)
        sources = (single_author,) if single_author is not None and self.sources else tuple(self.sources)
        return Redline(self.meta, self.first_meta, tuple(blocks), sources)


def _items(group: Group) -> list[Item]:
    """The items of a group, made from its block if no diff has touched it yet."""
    return group if isinstance(group, list) else block_items(group, None)


def _moved_items(items: list[Item], block: Block, move: Revision, rev: Revision) -> list[Item]:
    """The items of a paragraph where it moved to: its standing items copied, diffed with its new text (so that
    words put in show as insertions by `rev`), those of FROM marked as moved there by `move`. Words taken out show
    only where it moved from: LibreOffice 7.4 reads a deletion inside a move (w:del in w:moveTo, as Word writes it)
    as text that stays after Accept All."""
    copies: list[Item] = []
    for item in items:
        if item.dele is not None:
            continue
        if isinstance(item, TokenItem):
            token = TokenItem(item.token, item.key, item.ins)
            token.fmt = item.fmt
            copies.append(token)
        elif isinstance(item, MarkItem):
            mark = MarkItem(item.props, item.ins)
            mark.kind = item.kind
            copies.append(mark)
    out = []
    for item in _merge(copies, [block], rev):
        if isinstance(item, TokenItem | MarkItem):
            if item.dele is not None:
                continue
            if item.ins is None:
                item.ins = move
        out.append(item)
    return out


def _move_away(items: list[Item], move: Revision) -> None:
    """Mark a paragraph's standing items as moved away by `move`: those of FROM; the others (inserted since FROM, or
    moved here since) vanish from here, as an insertion deleted does."""
    kept: list[Item] = []
    for item in items:
        if isinstance(item, TokenItem | MarkItem) and item.dele is None:
            if item.ins is not None:
                continue
            item.dele = move
        kept.append(item)
    items[:] = kept


def _merge(
    items: list[Item], new_blocks: Sequence[Block], rev: Revision, vanished: list[list[TokenItem]] | None = None
) -> list[Item]:
    """Diff the visible items of a region against new blocks and apply the edits in place (equal runs copied as
    slices: only marks, tables and changed items are visited one by one); each run of words inserted since FROM
    that the edits take out again is added to `vanished`, if given."""
    visible_idx = [i for i, item in enumerate(items) if item.dele is None]
    visible = items if len(visible_idx) == len(items) else [items[i] for i in visible_idx]
    new_keys = block_keys(new_blocks)
    key_tables(visible, new_blocks, new_keys)
    old_keys = [item.key for item in visible]
    payload = block_payload(new_blocks)
    edits = window_edits(old_keys, new_keys)  # _whole_edits, faster where it can be sure of it (else None)
    if edits is None:
        edits = _whole_edits(visible, old_keys, new_keys, payload)
    if len(edits) > 1:
        edits = restyled(edits, lambda i, j: _item_tokens(visible[i:j]), lambda i, j: _tokens(payload[i:j]))
    return _apply_edits(items, visible_idx, visible, edits, payload, new_keys, rev, vanished)


def _item_tokens(items: list[Item]) -> list[Token] | None:
    """The tokens of items, or None if a paragraph mark or a table is among them."""
    tokens = [x.token for x in items if type(x) is TokenItem]
    return tokens if len(tokens) == len(items) else None


def _tokens(payload: list[Token | ParaProps | Table]) -> list[Token] | None:
    """The tokens of a payload, or None if a paragraph mark or a table is among them."""
    tokens = [x for x in payload if type(x) is Token]
    return tokens if len(tokens) == len(payload) else None


def _whole_edits(
    visible: list[Item], old_keys: list[Hashable], new_keys: list[Hashable], payload: list[Token | ParaProps | Table]
) -> list[Edit]:
    """The edits of a region: the visible items diffed against the new ones, stranded words unaligned."""
    # Tokens ranked by diff.sequences.text_rank, written out inline (once per token of every changed region),
    # paragraph marks 1, tables 0.
    old_ranks = [
        ((1 if (x := it.token.text) == "\n" else 2 if x.isspace() else 0) if type(it) is TokenItem else 1)
        if type(it) is not TableItem
        else 0
        for it in visible
    ]
    new_ranks = [
        ((1 if p.text == "\n" else 2 if p.text.isspace() else 0) if type(p) is Token else 1)
        if type(p) is not Table
        else 0
        for p in payload
    ]
    # top=2: only spaces fold into the changes around them, never a paragraph mark, even in a region without a
    # space (cover lines of one token each: a symbol, a date).
    edits = diff_sequences(old_keys, new_keys, ranks=(old_ranks, new_ranks), top=2)
    original = [getattr(item, "ins", None) is None for item in visible]
    return unalign(edits, _stranded_words(edits, old_keys, new_keys, original, (old_ranks, new_ranks)))


def _apply_edits(
    items: list[Item],
    visible_idx: list[int],
    visible: list[Item],
    edits: list[Edit],
    payload: list[Token | ParaProps | Table],
    new_keys: list[Hashable],
    rev: Revision,
    vanished: list[list[TokenItem]] | None = None,
) -> list[Item]:
    """The region's items after the edits: equal runs copied as slices, changed items visited one by one."""
    nv = len(visible_idx)
    specials = [k for k, it in enumerate(visible) if type(it) is not TokenItem]
    out: list[Item] = []
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
                    out.append(TokenItem(p, new_keys[j], rev))  # its key: token_key of its container
                elif type(p) is ParaProps:
                    out.append(MarkItem(p, rev))
                else:
                    assert isinstance(p, Table)
                    out.extend(block_items(p, rev))
            continue
        if e.op == "equal":
            # marks take the new paragraph's properties; tables are merged row by row; tokens stay as they are
            for k in specials[bisect_left(specials, e.a0) : bisect_left(specials, e.a1)]:
                item = visible[k]
                p = payload[e.b0 + (k - e.a0)]
                if isinstance(item, MarkItem):
                    assert isinstance(p, ParaProps)
                    if item.props != p:
                        rekind(item, p, rev)
                elif isinstance(item, TableItem):
                    assert isinstance(p, Table)
                    merge_table(item, p, rev)
            last = visible_idx[e.a1 - 1] + 1
            out.extend(items[pos:last])
            pos = last
            continue
        restyling = e.op == "restyle"
        gone: list[TokenItem] = []
        for k in range(e.a0, e.a1):
            idx = visible_idx[k]
            if pos < idx:
                out.extend(items[pos:idx])
            item = items[idx]
            pos = idx + 1
            if restyling:  # the same words formatted anew
                j = e.b0 + k - e.a0
                restyle(item, payload[j], new_keys[j], rev)  # type: ignore[arg-type]
                out.append(item)
                continue
            kept = _delete(item, rev)
            if kept is not None:
                out.append(kept)
            elif type(item) is TokenItem:
                gone.append(item)
        if gone and vanished is not None:
            vanished.append(gone)
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
    starts_a, ends_a = [e.a0 for e in equal], [e.a1 for e in equal]
    starts_b, ends_b = [e.b0 for e in equal], [e.b1 for e in equal]

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
        starts, ends = (starts_a, ends_a) if to_old else (starts_b, ends_b)
        after = 0  # the paragraph starts here or later: after the mark scanned last (marks come in order)
        for i in marks:
            if rank[i] != 1 or keys[i][0] != "\u00b6":  # type: ignore[index]
                continue
            x = bisect_right(starts, i - 1) - 1  # the last equality starting in the paragraph or before it
            if x < 0 or ends[x] <= after:  # none of its items equal on the other side: none kept, none to fold
                after = i + 1
                continue
            start = i
            while start > 0 and keys[start - 1][0] not in ("\u00b6", "\u229e"):  # type: ignore[index]
                start -= 1
            after = i + 1
            if ends[x] <= start:  # (the same test, the paragraph's start now known)
                continue
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


def _delete(item: Item, rev: Revision) -> Item | None:
    """Delete a visible item: text inserted since FROM vanishes, older text is marked deleted."""
    if isinstance(item, TableItem):
        rows = [r for r in (delete_row(r, rev) for r in item.rows) if r is not None]
        if not rows:
            return None
        item.rows = rows
        return item
    if item.ins is not None:  # inserted or moved here since FROM (see _moved_items)
        return None
    item.dele = rev
    return item


def _regroup(items: list[Item]) -> tuple[list[list[Item]], list[Item]]:
    """Split items into groups ending at each visible paragraph mark or table; return trailing invisibles."""
    ends = [i + 1 for i, item in enumerate(items) if type(item) is not TokenItem and item.dele is None]
    groups = [items[s:e] for s, e in zip([0, *ends], ends, strict=False)]
    return groups, items[ends[-1] if ends else 0 :]
