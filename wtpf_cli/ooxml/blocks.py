"""A Word file's blocks in a view (Accept All or Reject All), as a merge holds them against a Markdown draft: each
body paragraph with what its style and numbering make it (a heading of a level, an item of a bullet or numbered
list at a level, body text...), each table with its rows and cells, each note with its paragraphs.

A paragraph whose mark the view removes is joined to the next one of the same flow, as Word joins them: the joined
paragraph is shaped as the first when the first keeps text, as the second when the first is all gone (a paragraph
deleted whole). Rows and notes the view removes are left out, and so are empty paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter

from wtpf_cli.ooxml.revisions import Inspection, Para, Segment, View

_IN_TABLE = re.compile(r"table (\d+), row (\d+), cell (\d+)")
_QUOTE_STYLES = {"blockquote", "quote", "quotations", "intensequote", "blocktext"}
_CODE_STYLES = {"sourcecode", "preformattedtext", "htmlpreformatted"}
_LIST_STYLES = {"listparagraph"}
_ZWJ = (
    "\u200d"  # LibreOffice types one into the first cell of a row it inserts; at a paragraph's start it joins nothing
)


@dataclass(frozen=True, slots=True)
class Shape:
    """What a paragraph is: kind "heading" (level 1-9), "item" (level 0-8 of a "bullet" or "ordered" list, which
    is its abstract numbering, numbered from start), "cont" (a list paragraph without a number: more of an item),
    "quote", "code" or "para"; and its style."""

    kind: str
    style: str = ""
    level: int = 0
    list_kind: str = ""
    list_id: str = ""
    start: int = 1


@dataclass(slots=True)
class WordBlock:
    """A body paragraph (its shape, its pieces in the view, the paragraphs it is made of, whether a tracked change
    restyled it) or a table (``rows``: each row's cells' pieces, cell paragraphs joined by a space)."""

    shape: Shape
    segments: Sequence[Segment]
    paras: list[Para] = field(default_factory=list)
    restyled: bool = False
    rows: list[list[list[Segment]]] | None = None


@dataclass(slots=True)
class WordView:
    """The blocks of the body in order, and the notes (key "footnotes:ID" -> each paragraph's pieces)."""

    blocks: list[WordBlock]
    notes: dict[str, list[Sequence[Segment]]]


_TABLE = Shape("table")
_DELETED, _INSERTED = attrgetter("deleted"), attrgetter("inserted")
_SPACE = Segment(" ")


def word_view(found: Inspection, view: View) -> WordView:
    """The blocks of a read Word file with all its changes accepted or rejected."""
    accept = view == "accept"
    removed = _DELETED if accept else _INSERTED
    blocks: list[WordBlock] = []
    notes: dict[str, list[Sequence[Segment]]] = {}
    tables: dict[str, tuple[WordBlock, dict[int, dict[int, list[Segment]]]]] = {}
    shapes: dict[tuple[str | None, tuple[str, int] | None], Shape] = {}
    pending: tuple[Sequence[Segment], Para, bool] | None = None  # a paragraph whose mark is gone, and the next

    def place(segments: Sequence[Segment], para: Para, restyled: bool) -> None:
        if para.part != "document":
            paragraphs = notes.setdefault(_note_key(para), [])
            # Word, and our writer, put a space between a note's number and its text: not the note's text.
            paragraphs.append(segments if paragraphs else _after_separator(segments))
            return
        where = para.where
        if where != "body":
            found_cell = _cell_place(where)
            if found_cell is not None:
                table, row, cell = found_cell
                known = tables.get(table)
                if known is None:
                    known = tables[table] = (WordBlock(_TABLE, [], [], rows=[]), {})
                    blocks.append(known[0])
                known[0].paras.append(para)
                cells = known[1].setdefault(row, {})
                text = cells.get(cell)
                cells[cell] = list(segments) if text is None else [*text, _SPACE, *segments]
                return
        if not _holds_something(segments):
            return  # an empty paragraph: nothing a Markdown draft can hold (Word puts one after a table)
        key = (para.style, para.numbering)
        shape = shapes.get(key)
        if shape is None:
            shape = shapes[key] = shape_of(found, para)
        blocks.append(WordBlock(shape, segments, [para], restyled))

    plain: dict[str | None, Shape] = {}  # the shapes of paragraphs without numbering of their own, by style
    for para in found.paragraphs:
        if pending is None and len(para.segments) == 1 and para.where == "body" and para.part == "document":
            # Most paragraphs of a report: one piece of text, nothing tracked around it (what place() would do).
            only = para.segments[0]
            text = only.text
            if (
                not (only.deleted if accept else only.inserted)
                and not (para.held_deleted or para.held_inserted or para.mark_deleted or para.mark_inserted)
                and text
                and not text.isspace()
                and text[0] != _ZWJ
                and para.numbering is None
            ):
                shape = plain.get(para.style)
                if shape is None:
                    shape = plain[para.style] = shape_of(found, para)
                blocks.append(WordBlock(shape, para.segments, [para], para.style_change is not None))
                continue
        if para.held_deleted if accept else para.held_inserted:
            continue
        segments: Sequence[Segment] = para.segments
        if any(map(removed, segments)):
            segments = [s for s in segments if not removed(s)]
        if segments and segments[0].text.startswith(_ZWJ):
            segments = [Segment(segments[0].text[1:], *_rest(segments[0])), *segments[1:]]
        restyled = para.style_change is not None
        if pending is not None:
            before, first, first_restyled = pending
            pending = None
            if first.flow == para.flow:
                if any(s.text.strip() or s.note is not None for s in before):
                    para, restyled = _joined(first, para), first_restyled
                segments = [*before, *segments]
            else:
                place(before, first, first_restyled)
        if para.mark_deleted if accept else para.mark_inserted:
            pending = (segments, para, restyled)
            continue
        place(segments, para, restyled)
    if pending is not None:
        place(*pending)
    for block, rows in tables.values():
        block.rows = [[cells[n] for n in sorted(cells)] for _r, cells in sorted(rows.items())]
    return WordView(blocks, notes)


@lru_cache(maxsize=4096)
def _cell_place(where: str) -> tuple[str, int, int] | None:
    """The table, row and cell of a paragraph placed as "table 7, row 4, cell 2", or None: read once per place (the
    files of one merge share their tables' places)."""
    found = _IN_TABLE.match(where)
    return None if found is None else (found.group(1), int(found.group(2)), int(found.group(3)))


def _holds_something(segments: Sequence[Segment]) -> bool:
    """Whether a paragraph holds text, a note reference or an image."""
    return any((s.text and not s.text.isspace()) or s.note is not None or s.marks for s in segments)


def shape_of(found: Inspection, para: Para) -> Shape:
    """What a paragraph's style and numbering (its own, or its style's) make it."""
    style = para.style or ""
    info = found.styles.get(style)
    name = style.lower().replace(" ", "")
    label = (info.name if info else style).lower().replace(" ", "")
    heading = info.heading if info is not None else _heading_of_id(style)
    if heading:
        return Shape("heading", style, heading)
    numbering = para.numbering if para.numbering is not None else (info.numbering if info else None)
    if numbering is not None and numbering[0] in found.lists:
        lists = found.lists[numbering[0]]
        level = min(numbering[1], len(lists.formats) - 1)
        number_format = lists.formats[level]
        if number_format != "none":
            kind = "bullet" if number_format == "bullet" else "ordered"
            return Shape("item", style, level, kind, lists.abstract, lists.starts[level])
    if name in _QUOTE_STYLES or label in _QUOTE_STYLES:
        return Shape("quote", style)
    if name in _CODE_STYLES or label in _CODE_STYLES:
        return Shape("code", style)
    if name in _LIST_STYLES or label in _LIST_STYLES:
        return Shape("cont", style)
    return Shape("para", style)


def _heading_of_id(style: str) -> int:
    """The heading level a style id names without a definition ("Heading2"), else 0."""
    if style.startswith("Heading") and style[7:].isdigit() and len(style) == 8:
        return int(style[7:])
    return 0


def _after_separator(segments: Sequence[Segment]) -> Sequence[Segment]:
    """A note's first paragraph without the space that separates it from the note's number."""
    first = next((k for k, s in enumerate(segments) if s.text or s.note is not None), None)
    if first is None or not segments[first].text.startswith(" "):
        return segments
    rest = replace(segments[first], text=segments[first].text[1:])
    return [*segments[:first], *([rest] if rest.text else []), *segments[first + 1 :]]


def _note_key(para: Para) -> str:
    """The key of the note a note paragraph belongs to ("footnotes:ID", as its reference names it)."""
    return f"{para.part}:{para.where.rsplit(' ', 1)[-1]}"


def _joined(first: Para, second: Para) -> Para:
    """The paragraph made of two joined by a removed mark: shaped as the first (the second's text follows)."""
    return Para(
        second.index,
        second.part,
        second.where,
        second.segments,
        second.mark_inserted,
        second.mark_deleted,
        second.held_inserted,
        second.held_deleted,
        second.flow,
        first.style,
        first.numbering,
        first.style_change,
    )


def _rest(segment: Segment) -> tuple[bool, bool, int | None, str | None, frozenset[str], str | None]:
    """A segment's fields after its text."""
    return segment.inserted, segment.deleted, segment.change, segment.note, segment.marks, segment.href
