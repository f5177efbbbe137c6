"""Tables attributed: similar tables paired by the words they share, then row by row, rows edited in place cell by
cell."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence

from wtpf_cli.attribution.formatting import restyle, restyled
from wtpf_cli.attribution.items import Item, RowItem, TableItem, TokenItem, row_cells, token_key
from wtpf_cli.diff.sequences import diff_sequences, text_rank
from wtpf_cli.model import Block, Revision, Table, Token


def key_tables(old: list[Item], new_blocks: Sequence[Block], new_keys: list[Hashable]) -> None:
    """Give tables keys so that only similar tables (sharing words) align, each with at most one other."""
    old_tables = [t for t in old if isinstance(t, TableItem)]
    if not old_tables:
        return
    new_pos = [k for k, key in enumerate(new_keys) if key == ("\u229e",)]
    new_tables = [b for b in new_blocks if isinstance(b, Table)]
    new_words = [_table_words(tb.rows) for tb in new_tables]
    if len(old_tables) == len(new_tables) == 1:  # one table edited: whether it shares a word, found at its first
        pairs = {} if new_words[0].isdisjoint(_standing_words(old_tables[0])) else {0: 0}
    else:
        old_words = [set(_standing_words(tb)) for tb in old_tables]
        pairs = dict(_lcs_pairs(len(old_tables), len(new_tables), lambda x, y: bool(old_words[x] & new_words[y])))
    paired_new = {y: x for x, y in pairs.items()}
    for x, tb in enumerate(old_tables):
        tb.key = ("\u229e", x) if x in pairs else ("\u229e", "old", x)
    for y, pos in enumerate(new_pos):
        new_keys[pos] = ("\u229e", paired_new[y]) if y in paired_new else ("\u229e", "new", y)


def delete_row(row: RowItem, rev: Revision) -> RowItem | None:
    """Delete a row: one inserted since FROM vanishes, an older one is marked deleted with its tokens."""
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


def _token_rank(t: Hashable) -> int:
    """Words and tables align first (0), then line breaks (1), then spaces (2)."""
    return text_rank(t.text) if isinstance(t, Token) else 0


def _merge_tokens(items: list[TokenItem], new: Sequence[Token], rev: Revision) -> list[TokenItem]:
    """Token diff of one table cell."""
    visible_idx = [i for i, t in enumerate(items) if t.dele is None]
    old_keys = [items[i].token for i in visible_idx]
    if len(old_keys) == len(new) and old_keys == list(new):  # a cell the row's edit left alone: nothing to do
        return list(items)
    edits = restyled(
        diff_sequences(old_keys, list(new), rank=_token_rank), lambda i, j: old_keys[i:j], lambda i, j: list(new[i:j])
    )
    out: list[TokenItem] = []
    pos = 0
    for e in edits:
        if e.op == "insert":
            nxt = visible_idx[e.a0] if e.a0 < len(visible_idx) else len(items)
            out.extend(items[pos:nxt])
            pos = max(pos, nxt)
            out.extend(TokenItem(t, token_key("cell", t), rev) for t in new[e.b0 : e.b1])
            continue
        for k in range(e.a0, e.a1):
            idx = visible_idx[k]
            out.extend(items[pos:idx])
            pos = idx + 1
            item = items[idx]
            if e.op == "equal":
                out.append(item)
            elif e.op == "restyle":  # the same words formatted anew
                token = new[e.b0 + k - e.a0]
                restyle(item, token, token_key("cell", token), rev)
                out.append(item)
            elif item.ins is None:
                item.dele = rev
                out.append(item)
    out.extend(items[pos:])
    return out


def merge_table(table: TableItem, new: Table, rev: Revision) -> None:
    """Row diff of two tables; rows replaced one for one are diffed cell by cell."""
    table.align = new.align
    visible = [r for r in table.rows if r.dele is None]
    old_keys = [r.key() for r in visible]
    new_keys: list[Hashable] = list(new.rows)
    edits = diff_sequences(old_keys, new_keys)
    # Row positions in the full list, to keep deleted rows where they stand.
    full_index = {id(r): i for i, r in enumerate(table.rows)}
    visible_idx = [full_index[id(r)] for r in visible]
    out: list[RowItem] = []
    pos = 0

    def flush_to(limit: int) -> None:
        nonlocal pos
        while pos < limit:
            out.append(table.rows[pos])
            pos += 1

    def add_new(j: int) -> None:
        out.append(RowItem(row_cells(new.rows[j], rev), j < new.header_rows, rev))

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
                kept = delete_row(table.rows[idx], rev)
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


def _align_rows(old: list[RowItem], new: list[tuple[tuple[Token, ...], ...]]) -> list[tuple[int, int]]:
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


def _standing_words(table: TableItem) -> Iterator[Token]:
    """The words of a table as it stands (as _table_words gives them, one by one)."""
    return (t.token for r in table.rows for c in r.cells for t in c if t.dele is None and not t.token.text.isspace())


def _table_words(rows: Iterable[Iterable[Iterable[Token]]]) -> set[Token]:
    return {t for row in rows for cell in row for t in cell if not t.text.isspace()}
