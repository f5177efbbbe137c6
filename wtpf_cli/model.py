"""Plain data passed between the stages: read -> parse -> diff -> attribute -> render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BODY = "body"


@dataclass(frozen=True, slots=True)
class Token:
    """A word, a space or a punctuation mark, with its inline formatting."""

    text: str
    marks: frozenset[str] = frozenset()  # "strong", "em", "code", "strike"
    href: str | None = None
    note: str | None = None  # footnote label: this token is a footnote reference

    def __reduce__(self) -> tuple[type[Token], tuple[str, frozenset[str], str | None, str | None]]:
        # Rebuilt by one call, not dataclasses' generic __setstate__ (a Python loop per object): a redline sends
        # parsed versions from one process to another.
        return (Token, (self.text, self.marks, self.href, self.note))


@dataclass(frozen=True, slots=True)
class ParaProps:
    """What a paragraph mark carries: its Word style, its container and its list numbering."""

    style: str
    container: str = BODY  # "body" or "fn:<label>"
    list_kind: str | None = None  # "bullet" | "ordered"
    list_level: int = 0
    list_id: int = 0  # which ordered list instance, so that numbering restarts per list
    list_start: int = 1
    align: str | None = None  # "left" | "center" | "right"

    def __reduce__(self) -> tuple[type[ParaProps], tuple[str, str, str | None, int, int, int, str | None]]:
        # (as Token.__reduce__)
        p = (self.style, self.container, self.list_kind, self.list_level, self.list_id, self.list_start, self.align)
        return (ParaProps, p)


@dataclass(frozen=True, slots=True, eq=False)
class Paragraph:
    """A block of inline tokens ending with a paragraph mark."""

    props: ParaProps
    tokens: tuple[Token, ...]
    key: int = 0

    def __hash__(self) -> int:
        return self.key

    def __reduce__(self) -> tuple[type[Paragraph], tuple[ParaProps, tuple[Token, ...], int]]:
        # (as Token.__reduce__)
        return (Paragraph, (self.props, self.tokens, self.key))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Paragraph)
            and self.key == other.key
            and self.props == other.props
            and self.tokens == other.tokens
        )


@dataclass(frozen=True, slots=True, eq=False)
class Table:
    """A table: rows of cells, each cell one line of tokens; the first `header_rows` rows are headings."""

    rows: tuple[tuple[tuple[Token, ...], ...], ...]
    align: tuple[str | None, ...]
    header_rows: int = 1
    key: int = 0

    def __hash__(self) -> int:
        return self.key

    def __reduce__(self) -> tuple[type[Table], tuple[Any, ...]]:
        # (as Token.__reduce__)
        return (Table, (self.rows, self.align, self.header_rows, self.key))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Table)
            and self.key == other.key
            and self.rows == other.rows
            and self.align == other.align
            and self.header_rows == other.header_rows
        )


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Meta:
    """The front matter of a draft."""

    title: str = ""
    version: str = ""
    symbol: str = ""
    date: str = ""  # ISO date, YYYY-MM-DD
    language: str = "English"
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed draft: its metadata and its blocks (cover, body, then footnote paragraphs)."""

    meta: Meta
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Revision:
    """Who made a change and when (UTC, YYYY-MM-DDThh:mm:ssZ); `move` names the move it is part of, if any (a
    deletion is then where the text moved from, an insertion where it moved to)."""

    author: str
    date: str
    move: str = ""


@dataclass(frozen=True, slots=True)
class FormatChange:
    """The same words formatted anew (Word's "Formatted"): their marks before, and the revision that changed them."""

    marks: frozenset[str]
    rev: Revision


@dataclass(frozen=True, slots=True)
class KindChange:
    """The same paragraph made another kind (a heading, a list item...): its properties before, and the revision."""

    props: ParaProps
    rev: Revision


@dataclass(frozen=True, slots=True)
class RRun:
    """A token in a redline, with the revision that inserted and/or deleted it, and any change of its formatting."""

    token: Token
    ins: Revision | None = None
    dele: Revision | None = None
    formatted: FormatChange | None = None


@dataclass(frozen=True, slots=True)
class RComment:
    """A contributor's comment, anchored on runs [start, end) of its paragraph."""

    author: str
    date: str
    text: str
    start: int
    end: int
    initials: str = ""


@dataclass(frozen=True, slots=True)
class RParagraph:
    """A paragraph of a redline: runs and a paragraph mark that may itself be inserted or deleted (or its kind
    changed)."""

    props: ParaProps
    runs: tuple[RRun, ...]
    ins: Revision | None = None
    dele: Revision | None = None
    comments: tuple[RComment, ...] = ()
    kind_change: KindChange | None = None


@dataclass(frozen=True, slots=True)
class RRow:
    """A table row of a redline; a row inserted or deleted as a whole carries that revision."""

    cells: tuple[tuple[RRun, ...], ...]
    ins: Revision | None = None
    dele: Revision | None = None
    header: bool = False
    comments: tuple[tuple[RComment, ...], ...] = ()  # contributors' comments, cell by cell (none past the last)


@dataclass(frozen=True, slots=True)
class RTable:
    """A table of a redline."""

    rows: tuple[RRow, ...]
    align: tuple[str | None, ...]


RBlock = RParagraph | RTable


@dataclass(frozen=True, slots=True)
class Summary:
    """The first page of a Word redline, outside its tracked changes: a title, lines of text, and a table (a row of
    headings, then a row for each source)."""

    title: str
    lines: tuple[str, ...]
    table: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Redline:
    """Attributed differences between two documents, ready to render; `meta` is the newer one's."""

    meta: Meta
    old_meta: Meta
    blocks: tuple[RBlock, ...]
    sources: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())
