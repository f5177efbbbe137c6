"""The attribution's state: each token, paragraph mark and table of the versions so far, with the revisions that
inserted and deleted it (deleted items stay in place)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from wtpf_cli.model import Block, FormatChange, KindChange, Paragraph, ParaProps, Revision, Table, Token


class TokenItem:
    """A token, with the revisions that inserted and deleted it (None: in FROM / still standing) and any change of
    its formatting since FROM."""

    __slots__ = ("dele", "fmt", "ins", "key", "token")

    def __init__(self, token: Token, key: Hashable, ins: Revision | None = None) -> None:
        self.token = token
        self.key = key
        self.ins = ins
        self.dele: Revision | None = None
        self.fmt: FormatChange | None = None


class MarkItem:
    """A paragraph mark: the properties of the paragraph it ends, its revisions, and any change of its kind since
    FROM."""

    __slots__ = ("dele", "ins", "key", "kind", "props")

    def __init__(self, props: ParaProps, ins: Revision | None = None) -> None:
        self.props = props
        self.key: Hashable = ("\u00b6", props.container)
        self.ins = ins
        self.dele: Revision | None = None
        self.kind: KindChange | None = None


class RowItem:
    """A table row: its cells' tokens, whether it is a heading row, and its revisions."""

    __slots__ = ("cells", "dele", "header", "ins")

    def __init__(self, cells: list[list[TokenItem]], header: bool, ins: Revision | None = None) -> None:
        self.cells = cells
        self.header = header
        self.ins = ins
        self.dele: Revision | None = None

    def key(self) -> Hashable:
        """What the row diff compares: the standing tokens of each cell."""
        return tuple([tuple([t.token for t in cell if t.dele is None]) for cell in self.cells])  # (lists: faster)


class TableItem:
    """A table: its rows (deleted ones kept in place) and its column alignment."""

    __slots__ = ("align", "key", "rows")

    def __init__(self, rows: list[RowItem], align: tuple[str | None, ...]) -> None:
        self.rows = rows
        self.align = align
        self.key: Hashable = ("\u229e",)

    @property
    def dele(self) -> Revision | None:
        """A table is gone once all its rows are deleted (the revision of the last row stands for it)."""
        if self.rows and all(r.dele is not None for r in self.rows):
            return self.rows[-1].dele
        return None


Item = TokenItem | MarkItem | TableItem
# A group of items showing one block; a block of FROM that no diff has touched stays a Block (no items yet).
Group = list[Item] | Block


def token_key(container: str, token: Token) -> Hashable:
    """What the diff compares for a token: its container and its fields."""
    # The token's fields rather than the token: a tuple of strings and a frozenset hashes and compares in C.
    return (container, token.text, token.marks, token.href, token.note)


def cell_items(cell: Sequence[Token], ins: Revision | None) -> list[TokenItem]:
    """The items of a table cell's tokens, inserted by `ins`."""
    return [TokenItem(t, token_key("cell", t), ins) for t in cell]


def block_items(block: Block, ins: Revision | None) -> list[Item]:
    """The items of a block (its tokens and mark, or its table), inserted by `ins`."""
    if isinstance(block, Paragraph):
        c = block.props.container
        items: list[Item] = [TokenItem(t, (c, t.text, t.marks, t.href, t.note), ins) for t in block.tokens]
        items.append(MarkItem(block.props, ins))
        return items
    rows = [RowItem(row_cells(row, ins), k < block.header_rows, ins) for k, row in enumerate(block.rows)]
    return [TableItem(rows, block.align)]


def row_cells(row: Sequence[Sequence[Token]], ins: Revision | None) -> list[list[TokenItem]]:
    """The items of each cell of a table row, inserted by `ins`."""
    return [cell_items(cell, ins) for cell in row]


def block_keys(blocks: Sequence[Block]) -> list[Hashable]:
    """The keys of the items block_items would make of these blocks (token_key, mark and table keys)."""
    keys: list[Hashable] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            c = block.props.container
            keys.extend([(c, t.text, t.marks, t.href, t.note) for t in block.tokens])
            keys.append(("\u00b6", c))
        else:
            keys.append(("\u229e",))
    return keys


def block_payload(blocks: Sequence[Block]) -> list[Token | ParaProps | Table]:
    """What each of those items holds: a token, a paragraph mark's properties or a table."""
    out: list[Token | ParaProps | Table] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.extend(block.tokens)
            out.append(block.props)
        else:
            out.append(block)
    return out
