"""Read Word revision marks: each tracked change and comment of a .docx, its text with all changes accepted or rejected.

The walk is our own (python-docx's ``paragraph.text`` drops inserted and deleted text) and iterative: an explicit
stack, never recursion over the document's nesting. Paragraphs come in document order: the body (table cells row
by row, where the table stands), then footnotes, then endnotes.
"""

from __future__ import annotations

import bisect
import dataclasses
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal, TypeAlias

from lxml import etree

from wtpf_cli.errors import InputRejected
from wtpf_cli.ooxml.package import DocxPackage

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"

ChangeKind: TypeAlias = Literal[
    "insertion",
    "deletion",
    "paragraph-insertion",
    "paragraph-deletion",
    "row-insertion",
    "row-deletion",
    "cell-insertion",
    "cell-deletion",
    "move-from",
    "move-to",
    "format",
]
View: TypeAlias = Literal["accept", "reject"]
PartKind: TypeAlias = Literal["document", "footnotes", "endnotes"]
PARTS: tuple[PartKind, ...] = ("document", "footnotes", "endnotes")
ChangePart: TypeAlias = Literal["document", "footnotes", "endnotes", "styles", "numbering"]

FORMAT_CHANGES = (
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tblPrExChange",
    "tcPrChange",
    "trPrChange",
    "tblGridChange",
    "numberingChange",
)
_RUN_KINDS: dict[str, ChangeKind] = {
    "ins": "insertion",
    "del": "deletion",
    "moveFrom": "move-from",
    "moveTo": "move-to",
}
_MARK_KINDS: dict[str, ChangeKind] = {
    "ins": "paragraph-insertion",
    "del": "paragraph-deletion",
    "moveFrom": "move-from",
    "moveTo": "move-to",
}
_CONTAINER_RANGES = {
    "customXmlInsRangeStart": "content control inserted",
    "customXmlDelRangeStart": "content control deleted",
    "customXmlMoveFromRangeStart": "content control moved from",
    "customXmlMoveToRangeStart": "content control moved to",
}
_REVISION_TAGS = {f"{W}{tag}" for tag in ("ins", "del", "moveFrom", "moveTo", *FORMAT_CHANGES)}
_NOTE_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
_CONTAINERS = {f"{W}{tag}" for tag in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")}
ANCHOR_LIMIT = 10_000  # characters of a comment's anchor text kept (a longer anchor is cut, with an ellipsis)
_SKIPPED = {f"{W}{tag}" for tag in ("drawing", "pict", "object", "txbxContent")} | {f"{MC}AlternateContent"}


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph's text, inserted and/or deleted or plain; ``note`` marks a note reference (no text)."""

    text: str
    inserted: bool = False
    deleted: bool = False
    change: int | None = None
    note: str | None = None
    marks: frozenset[str] = frozenset()  # "strong", "em": direct bold and italic of the run

    def kept(self, view: View) -> bool:
        """Whether this piece stays when all changes are accepted or rejected."""
        return not (self.deleted if view == "accept" else self.inserted)


@dataclass(frozen=True)
class Para:
    """One paragraph: its pieces, the state of its mark and of what holds it (row, cell or note reference)."""

    index: int
    part: PartKind
    where: str
    segments: tuple[Segment, ...]
    mark_inserted: bool = False
    mark_deleted: bool = False
    held_inserted: bool = False
    held_deleted: bool = False
    flow: int = 0
    style: str | None = None

    def text(self, view: View | None = None) -> str:
        """The paragraph's own text in a view (None: everything, inserted and deleted)."""
        return "".join(s.text for s in self.segments if view is None or s.kept(view))

    def kept(self, view: View) -> bool:
        """Whether the paragraph exists in a view (its row, cell or note is not removed)."""
        return not (self.held_deleted if view == "accept" else self.held_inserted)

    def mark_kept(self, view: View) -> bool:
        """Whether the paragraph mark stays in a view (else the paragraph joins the next)."""
        return not (self.mark_deleted if view == "accept" else self.mark_inserted)


@dataclass(frozen=True)
class Change:
    """A tracked change: kind, author, date as written (None when absent), its text and where it is."""

    kind: ChangeKind
    author: str
    date: str | None
    text: str
    part: ChangePart
    paragraph: int | None
    where: str
    detail: str = ""
    revision_id: str | None = None


@dataclass(frozen=True)
class Comment:
    """A comment: its id, author, initials, date, text, the text it is anchored on, and its parent for a reply."""

    comment_id: str
    author: str
    initials: str | None
    date: str | None
    text: str
    anchor: str
    paragraph: int | None
    parent_id: str | None = None
    done: bool = False


@dataclass(frozen=True)
class Inspection:
    """What a Word file holds: paragraphs with their revision state, tracked changes, comments and warnings."""

    paragraphs: tuple[Para, ...]
    changes: tuple[Change, ...]
    comments: tuple[Comment, ...]
    warnings: tuple[str, ...]

    def authors(self) -> tuple[str, ...]:
        """The named authors of tracked changes, sorted, each once."""
        return tuple(sorted({change.author for change in self.changes if change.author}))


_NO_MARKS: frozenset[str] = frozenset()
_MARK_SETS = {
    (False, False): _NO_MARKS,
    (True, False): frozenset({"strong"}),
    (False, True): frozenset({"em"}),
    (True, True): frozenset({"strong", "em"}),
}
_B, _I, _VAL, _RPR, _PPR, _TCPR = f"{W}b", f"{W}i", f"{W}val", f"{W}rPr", f"{W}pPr", f"{W}tcPr"
_PLAIN_CONSTANTS = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
_NUMBERING_CHANGES = {f"{W}numberingChange", f"{W}ins"}
_PARAGRAPH_MARK_CHANGES = {"ins", "del", "moveFrom", "moveTo", "rPrChange"}
_NOTE_REFERENCES = {f"{W}footnoteReference": "footnotes", f"{W}endnoteReference": "endnotes"}
_ID = f"{W}id"
_T, _DEL_TEXT, _TRPR, _TBLPREX, _R = f"{W}t", f"{W}delText", f"{W}trPr", f"{W}tblPrEx", f"{W}r"
_RPR_CHANGE, _PSTYLE, _PPR_CHANGE, _NUMPR, _SECTPR = (
    f"{W}rPrChange",
    f"{W}pStyle",
    f"{W}pPrChange",
    f"{W}numPr",
    f"{W}sectPr",
)


def _run_properties(rpr: etree._Element) -> tuple[frozenset[str], etree._Element | None]:
    """A run's direct bold and italic (its first w:b, w:i, unless w:val turns them off) and its first w:rPrChange."""
    bold = italic = change = None
    for child in rpr:  # (an lxml tag filter costs more to set up than it saves here)
        tag = child.tag
        if tag == _B:
            bold = child if bold is None else bold
        elif tag == _I:
            italic = child if italic is None else italic
        elif tag == _RPR_CHANGE and change is None:
            change = child
    strong = bold is not None and bold.get(_VAL, "true").lower() not in ("0", "false", "off")
    em = italic is not None and italic.get(_VAL, "true").lower() not in ("0", "false", "off")
    return _MARK_SETS[strong, em], change


def text_view(
    inspection: Inspection,
    view: str,
    *,
    parts: Iterable[PartKind] = PARTS,
    note_marks: bool = False,
    render: Callable[[Segment], str] | None = None,
) -> list[str]:
    """Paragraph texts with all changes accepted or rejected: removed marks join paragraphs, removed rows drop."""
    if view not in ("accept", "reject"):
        raise ValueError(f"view must be 'accept' or 'reject', not {view!r}")
    mode: View = "accept" if view == "accept" else "reject"
    wanted = set(parts)
    out: list[str] = []
    pending: str | None = None
    pending_flow = -1
    counters: dict[str, int] = {}
    accept = mode == "accept"
    for para in inspection.paragraphs:
        if para.part not in wanted or (para.held_deleted if accept else para.held_inserted):  # not para.kept(mode)
            continue
        if note_marks:
            text = _para_text(para, mode, counters, render)
        else:  # _para_text without counters, inlined: three views of every contribution in a merge
            pieces: list[str] = []
            for segment in para.segments:
                if not (segment.deleted if accept else segment.inserted):
                    pieces.append(render(segment) if render is not None else segment.text)
            text = "".join(pieces)
        if pending is not None:
            if pending_flow == para.flow:
                text = pending + text
            else:
                out.append(pending)
            pending = None
        if para.mark_deleted if accept else para.mark_inserted:  # not para.mark_kept(mode)
            pending, pending_flow = text, para.flow
            continue
        out.append(text)
    if pending is not None:
        out.append(pending)
    return out


def _para_text(
    para: Para, view: View, counters: dict[str, int] | None, render: Callable[[Segment], str] | None = None
) -> str:
    """The text of a paragraph in a view; with ``counters``, note references as their numbers (1, 2… / i, ii…)."""
    pieces: list[str] = []
    for segment in para.segments:
        if not segment.kept(view):
            continue
        if segment.note is not None and counters is not None:
            kind = segment.note.split(":", 1)[0]
            counters[kind] = counters.get(kind, 0) + 1
            pieces.append(roman_numeral(counters[kind]) if kind == "endnotes" else str(counters[kind]))
        else:
            pieces.append(render(segment) if render is not None else segment.text)
    return "".join(pieces)


def roman_numeral(number: int) -> str:
    """Lower-case Roman numerals, Word's default for endnote numbers."""
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l")):
        count, number = divmod(number, value)
        out += letters * count
    for value, letters in ((40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def read_inspection(package: DocxPackage) -> Inspection:
    """Read every paragraph, tracked change and comment of a checked .docx package."""
    return _Reader(package).read()


@dataclass(slots=True, eq=False)
class _Ctx:
    """What the walk knows at an element: its part and place, and the revisions around it.

    Never changed once made: where something differs the walk makes a new one (by the methods below: a frozen
    dataclass and ``dataclasses.replace`` cost a fifth of the walk, one context per run and per table cell).
    """

    part: PartKind
    where: str
    inserted: bool = False
    deleted: bool = False
    change: int | None = None
    collect: tuple[int, ...] = ()
    held_inserted: bool = False
    held_deleted: bool = False
    held_changes: tuple[int, ...] = ()
    marks: frozenset[str] = frozenset()
    variants: dict[frozenset[str], _Ctx] = field(default_factory=dict, init=False, repr=False)  # made by marked

    def copy(
        self,
        *,
        where: str | None = None,
        inserted: bool | None = None,
        deleted: bool | None = None,
        change: int | None = None,
        collect: tuple[int, ...] | None = None,
        held_inserted: bool | None = None,
        held_deleted: bool | None = None,
        held_changes: tuple[int, ...] | None = None,
        marks: frozenset[str] | None = None,
    ) -> _Ctx:
        """A new context with the fields given changed (``change`` is set when given, None keeps it)."""
        return _Ctx(
            self.part,
            self.where if where is None else where,
            self.inserted if inserted is None else inserted,
            self.deleted if deleted is None else deleted,
            self.change if change is None else change,
            self.collect if collect is None else collect,
            self.held_inserted if held_inserted is None else held_inserted,
            self.held_deleted if held_deleted is None else held_deleted,
            self.held_changes if held_changes is None else held_changes,
            self.marks if marks is None else marks,
        )

    def marked(self, marks: frozenset[str]) -> _Ctx:
        """This context inside a run with these direct marks (made once per mark set: most runs are alike)."""
        here = self.variants.get(marks)
        if here is None:
            here = self.variants[marks] = self.copy(marks=marks)
        return here


_Piece: TypeAlias = "tuple[str, bool, bool, int | None, str | None, frozenset[str]]"


@dataclass
class _ChangeDraft:
    """A change being read: its text grows as the walk meets it."""

    kind: ChangeKind
    author: str
    date: str | None
    part: ChangePart
    paragraph: int | None
    where: str
    detail: str
    revision_id: str | None
    pieces: list[str] = field(default_factory=list)


class _ParaDraft:
    """A paragraph being read: its pieces as (text, inserted, deleted, change, note, marks), Segments once merged."""

    __slots__ = (
        "ctx",
        "index",
        "last_change",
        "mark_deleted",
        "mark_inserted",
        "marks",
        "own_changes",
        "segments",
        "style",
    )

    def __init__(self, index: int, ctx: _Ctx) -> None:
        self.index = index
        self.ctx = ctx
        self.segments: list[_Piece] = []
        self.mark_inserted = False
        self.mark_deleted = False
        self.style: str | None = None
        self.own_changes: list[int] = []
        self.marks: list[tuple[ChangeKind, etree._Element]] = []
        self.last_change: int | None = None


_Work: TypeAlias = "tuple[etree._Element, _Ctx] | Callable[[], None]"
_Handler: TypeAlias = "Callable[[_Reader, etree._Element, _Ctx, list[_Work]], None]"
_Bound: TypeAlias = "Callable[[etree._Element, _Ctx, list[_Work]], None]"
# Handlers that queue an element's children (the others only read the element itself).
_QUEUEING = {"p", "tbl", "tr", "tc", "sdt", "ins", "del", "moveFrom", "moveTo", "r", "ruby"}


def _constant(text: str) -> _Handler:
    """A handler that emits a fixed text (a tab, a line break, a non-breaking hyphen)."""

    def handler(reader: _Reader, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        reader.emit(text, ctx)

    return handler


class _Reader:
    """The walk over one package; builds the Inspection."""

    def __init__(self, package: DocxPackage) -> None:
        self.package = package
        self.paragraphs: list[Para] = []
        self.changes: list[_ChangeDraft] = []
        self.warnings: list[str] = []
        self.para: _ParaDraft | None = None
        self.next_index = 0
        self.flow = 0
        self.fields: list[bool] = []  # open complex fields: True once past "separate" (showing the result)
        self.hidden_fields = 0  # how many of them are still in their instruction (False): text shows when 0
        self.note_refs: dict[str, tuple[bool, bool]] = {}
        # Comment anchors: the text met while any comment is open, once, with each open comment's start in it
        # (appending each piece to every open anchor took quadratic time with many unclosed comments).
        self.open_comments: dict[str, int] = {}
        self.anchor_pieces: list[str] = []
        self.anchor_ends: list[int] = []  # the character offset after each piece
        self.anchors: dict[str, tuple[str, int | None]] = {}
        self.comment_paragraph: dict[str, int | None] = {}
        self.tables = 0
        self.ordinals: dict[etree._Element, int] = {}  # rows and cells numbered once per parent, not per element
        # Each tag's handler, looked up once per tag; and, per kind of holder, the handlers of the children it
        # handles in place rather than through the stack (None: the stack takes that child and those after it).
        self.dispatch: dict[object, _Bound] = {}
        self.ignored: dict[object, bool] = {}  # whether the walk ignores a tag, for the tags met
        self.in_run: dict[object, _Bound | None] = {}
        self.in_revision: dict[object, _Bound | None] = {f"{W}r": self.on_r}
        revision = self.on_revision
        self.in_paragraph: dict[object, _Bound | None] = {
            f"{W}r": self.on_r,
            **{f"{W}{tag}": revision for tag in ("ins", "del", "moveFrom", "moveTo")},
        }
        self.in_cell: dict[object, _Bound | None] = {f"{W}p": self.on_p}
        self.in_row: dict[object, _Bound | None] = {f"{W}tc": self.on_tc}
        self.in_table: dict[object, _Bound | None] = {f"{W}tr": self.on_tr}
        self.in_body: dict[object, _Bound | None] = {f"{W}p": self.on_p, f"{W}tbl": self.on_tbl}

    def read(self) -> Inspection:
        """Walk the main document, then the notes, then read the comments."""
        main = self.package.main_document_name
        root = self.package.part(main)
        if root is not None and str(root.tag).startswith(STRICT_W):
            raise InputRejected(
                "a Strict Open XML document, which is not read: save it in Word as a Word Document (.docx)",
                path=str(self.package.path),
            )
        body = root.find(f"{W}body") if root is not None else None
        if body is not None:
            self.walk(body, _Ctx(part="document", where="body"))
        for kind in ("footnotes", "endnotes"):
            self.read_notes(main, kind)
        comments = self.read_comments(main)
        self.read_definitions(main)
        self.check_other_parts(main)
        changes = tuple(
            Change(
                kind=d.kind,
                author=d.author,
                date=d.date,
                text="".join(d.pieces),
                part=d.part,
                paragraph=d.paragraph,
                where=d.where,
                detail=d.detail,
                revision_id=d.revision_id,
            )
            for d in self.changes
        )
        return Inspection(tuple(self.paragraphs), changes, comments, tuple(dict.fromkeys(self.warnings)))

    # -- the walk ---------------------------------------------------------------------------------------------------

    def walk(self, root: etree._Element, ctx: _Ctx) -> None:
        """Visit the children of ``root`` in document order with an explicit stack."""
        self.fields = []
        self.hidden_fields = 0
        stack: list[_Work] = []
        self.handle_in_place(list(root), ctx, stack, self.in_body)
        dispatch = self.dispatch
        while stack:
            item = stack.pop()
            if callable(item):
                item()
                continue
            element, here = item
            tag = element.tag
            handler = dispatch.get(tag)
            if handler is None:
                handler = dispatch[tag] = self.resolve(tag)[0]
            handler(element, here, stack)
        if self.fields:
            self.warnings.append(f"a field is not closed in the {ctx.part} part")

    def handle_in_place(
        self,
        children: list[etree._Element],
        ctx: _Ctx,
        stack: list[_Work],
        handlers: dict[object, _Bound | None],
    ) -> None:
        """Handle children in order without the stack while their handlers allow it; queue the rest on the stack.

        Equal to queueing them all: a child that queues work of its own gets the siblings after it queued beneath
        that work. Each holder handles in place only kinds of children nested a fixed number of levels below it (the
        body, a table, its rows, their cells, a paragraph, a revision in it, a run in that), so there is no recursion
        over the document's nesting: a table in a cell, a revision in a revision go through the stack.
        """
        for position, child in enumerate(children):
            tag = child.tag
            try:
                handler = handlers[tag]
            except KeyError:
                found, queues = self.resolve(tag)
                handler = handlers[tag] = None if queues else found
            if handler is None:
                stack.extend([(c, ctx) for c in reversed(children[position:])])
                return
            depth = len(stack)
            handler(child, ctx, stack)
            if len(stack) != depth:
                stack[depth:depth] = [(c, ctx) for c in reversed(children[position + 1 :])]
                return

    def resolve(self, tag: object) -> tuple[_Bound, bool]:
        """The handler of a tag, and whether it may queue work on the stack."""
        if not isinstance(tag, str):
            return self.ignore, False
        if tag.startswith(W):
            name = tag[len(W) :]
            handler = self.handlers.get(name)
            if handler is not None:
                return types.MethodType(handler, self), name in _QUEUEING
            if tag in _CONTAINERS:
                return self.on_container, True
            if tag in _SKIPPED:
                return self.on_skipped, False
            return self.ignore, False
        if tag.startswith(M):
            local = tag.rsplit("}", 1)[-1]
            if local == "t":
                return self.on_math_text, False
            if local.endswith("Pr"):
                return self.ignore, False
            return self.on_math, True
        if tag == f"{MC}AlternateContent":
            return self.on_skipped, False
        return self.ignore, False

    def push(self, stack: list[_Work], children: Sequence[etree._Element], ctx: _Ctx) -> None:
        """Queue children to be visited next, in order."""
        stack.extend((child, ctx) for child in reversed(children))

    def ignore(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """An element the walk neither reads nor enters (properties, bookmarks, proofing marks, other namespaces)."""

    def on_container(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A hyperlink, smart tag, custom XML, simple field or bidi container: its content, not its properties."""
        self.push(stack, [c for c in el if not _local(c).endswith("Pr")], ctx)

    def on_skipped(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A drawing, picture, embedded object, text box or alternate content: left out."""
        self.skip(el, ctx)

    def skip(self, el: etree._Element, ctx: _Ctx) -> None:
        """Leave out drawings and text boxes, warning when they hold revisions."""
        if any(e.tag in _REVISION_TAGS for e in el.iter()):
            self.warnings.append(f"tracked changes inside a drawing or text box in the {ctx.part} part are not read")

    # block level

    def on_p(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A paragraph: its mark's revision and formatting changes, then its content."""
        if not (ctx.collect or ctx.held_changes or self.open_comments or self.hidden_fields) and self.read_plain(
            el, ctx
        ):
            return
        children = list(el)
        index = self.next_index
        self.next_index += 1
        draft = _ParaDraft(index, ctx)
        outer = self.para
        self.para = draft
        for child in children:  # the first w:pPr (nearly always the first child); the walk ignores the others
            if child.tag == _PPR:
                self.paragraph_properties(child, draft, ctx)
                break
        depth = len(stack)
        self.handle_in_place(children, ctx, stack, self.in_paragraph)
        if len(stack) == depth:  # all handled in place: the paragraph ends now
            self.end_paragraph(draft)
            self.para = outer
            return

        def leave() -> None:
            self.end_paragraph(draft)
            self.para = outer

        stack.insert(depth, leave)  # beneath the content the stack took

    def read_plain(self, paragraph: etree._Element, ctx: _Ctx) -> bool:
        """Read a plain paragraph in one loop, giving what the walk gives; False, with nothing read, if it is not one.

        Plain: no revision or formatting change in its properties, and runs of text, tabs, breaks and note
        references with direct formatting at most (an optional first w:rPr without a w:rPrChange), among elements
        the walk ignores (bookmarks, proofing marks). Most paragraphs of a report are; a handler call per element
        cost four times this. The caller makes sure no revision, held row or cell, comment anchor or field
        instruction is open around it, so its text goes to the paragraph alone.
        """
        inserted, deleted, change = ctx.inserted, ctx.deleted, ctx.change
        ignored = self.ignored
        segments: list[Segment] = []
        texts: list[str] = []  # the text pieces since the last note reference: one segment (see _merged_segments)
        first_marks = _NO_MARKS
        style: str | None = None
        properties = False
        notes: list[tuple[str, tuple[bool, bool]]] | None = None
        for child in paragraph:
            tag = child.tag
            if tag == _R:
                marks = _NO_MARKS
                first = True
                for part in child:
                    tag = part.tag
                    if tag in (_T, _DEL_TEXT):
                        text = part.text
                        if text:
                            if not texts:
                                first_marks = marks
                            texts.append(text)
                    elif tag in _PLAIN_CONSTANTS:
                        if not texts:
                            first_marks = marks
                        texts.append(_PLAIN_CONSTANTS[tag])
                    elif tag == _RPR:
                        if not first:
                            return False  # a second w:rPr: its w:rPrChange would count
                        marks, format_change = _run_properties(part)
                        if format_change is not None:
                            return False
                    elif tag in _NOTE_REFERENCES:
                        key = f"{_NOTE_REFERENCES[tag]}:{part.get(_ID, '')}"
                        notes = notes or []
                        notes.append((key, (inserted or ctx.held_inserted, deleted or ctx.held_deleted)))
                        if texts:
                            segments.append(Segment("".join(texts), inserted, deleted, change, None, first_marks))
                            texts = []
                        segments.append(Segment("", inserted, deleted, change, key, _NO_MARKS))
                    elif not (ignored.get(tag) or self.ignores(tag)):
                        return False
                    first = False
            elif tag == _PPR and not properties:
                properties = True
                for part in child:
                    tag = part.tag
                    if tag == _PSTYLE:
                        if style is None:
                            style = part.get(_VAL)
                            if style is None:
                                return False  # a w:pStyle without w:val: the next one does not count
                    elif tag == _NUMPR:
                        for numbering in part:  # (a loop: a generator costs more on two children)
                            if numbering.tag in _NUMBERING_CHANGES:
                                return False
                    elif tag == _RPR:
                        for mark in part:
                            if _local(mark) in _PARAGRAPH_MARK_CHANGES:
                                return False
                    elif tag in (_PPR_CHANGE, _SECTPR):
                        return False
            elif not (ignored.get(tag) or self.ignores(tag)):
                return False
        if texts:
            segments.append(Segment("".join(texts), inserted, deleted, change, None, first_marks))
        if notes:
            self.note_refs.update(notes)
        index = self.next_index
        self.next_index += 1
        self.paragraphs.append(
            Para(
                index,
                ctx.part,
                ctx.where,
                tuple(segments),
                False,
                False,
                ctx.held_inserted,
                ctx.held_deleted,
                self.flow,
                style,
            )
        )
        return True

    def ignores(self, tag: object) -> bool:
        """Whether the walk ignores elements of this tag (found once per tag, and kept in ``self.ignored``)."""
        found = self.ignored.get(tag)
        if found is None:
            found = self.ignored[tag] = self.resolve(tag)[0] == self.ignore
        return found

    def paragraph_properties(self, ppr: etree._Element, draft: _ParaDraft, ctx: _Ctx) -> None:
        """Read a paragraph's style, mark revision, and formatting changes."""
        # One pass over w:pPr for the first of each child the reader needs (a search per child, or an lxml tag
        # filter, cost more than the rest of the paragraph); the changes are then recorded in the order the reader
        # has always given them.
        style = rpr = change = None
        numbering_holders: list[etree._Element] = []
        sections: list[etree._Element] = []
        for child in ppr:
            tag = child.tag
            if tag == _PSTYLE:
                style = child if style is None else style
            elif tag == _RPR:
                rpr = child if rpr is None else rpr
            elif tag == _PPR_CHANGE:
                change = child if change is None else change
            elif tag == _NUMPR:
                numbering_holders.append(child)
            elif tag == _SECTPR:
                sections.append(child)
        if style is not None:
            draft.style = style.get(_VAL)
        if rpr is not None:
            for child in rpr:
                local = _local(child)
                kind = _MARK_KINDS.get(local)
                if kind is not None:
                    if local in ("ins", "moveTo"):
                        draft.mark_inserted = True
                    else:
                        draft.mark_deleted = True
                    draft.marks.append((kind, child))  # recorded when the paragraph ends, after its content
                elif local == "rPrChange":
                    draft.own_changes.append(
                        self.new_change("format", child, ctx, draft.index, detail="rPrChange (paragraph mark)")
                    )
        if change is not None:
            draft.own_changes.append(self.new_change("format", change, ctx, draft.index, detail="pPrChange"))
        if numbering_holders:
            numbering = _first_grandchild(numbering_holders, f"{W}numberingChange")
            if numbering is not None:
                draft.own_changes.append(
                    self.new_change("format", numbering, ctx, draft.index, detail="numberingChange")
                )
            numbered = _first_grandchild(numbering_holders, f"{W}ins")
            if numbered is not None:
                draft.own_changes.append(
                    self.new_change("format", numbered, ctx, draft.index, detail="numbering inserted")
                )
        sect = _first_grandchild(sections, f"{W}sectPrChange") if sections else None
        if sect is not None:
            self.new_change("format", sect, ctx, draft.index, detail="sectPrChange")

    def end_paragraph(self, draft: _ParaDraft) -> None:
        """Close a paragraph: give its text to the changes that hold it and to open comment anchors."""
        ctx = draft.ctx
        for kind, element in draft.marks:
            detail = "paragraph mark" if kind.startswith("move") else ""
            draft.own_changes.append(self.new_change(kind, element, ctx, draft.index, detail=detail))
        segments = _merged_segments(draft.segments)
        self.paragraphs.append(
            Para(
                draft.index,
                ctx.part,
                ctx.where,
                segments,
                draft.mark_inserted,
                draft.mark_deleted,
                ctx.held_inserted,
                ctx.held_deleted,
                self.flow,
                draft.style,
            )
        )
        if draft.own_changes or ctx.held_changes:
            text = "".join(s.text for s in segments)
            for index in (*draft.own_changes, *ctx.held_changes):
                pieces = self.changes[index].pieces
                if pieces and text:
                    pieces.append(" ")
                pieces.append(text)
        if self.open_comments:
            self.anchor_text("\n")

    def on_tbl(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A table: its property and grid changes, then its rows."""
        self.tables += 1
        where = f"table {self.tables}" if ctx.where == "body" else f"{ctx.where}, table {self.tables}"
        here = ctx.copy(where=where)
        for holder, detail in (("tblPr", "tblPrChange"), ("tblGrid", "tblGridChange")):
            found = el.find(f"{W}{holder}/{W}{detail}")
            if found is not None:
                self.new_change("format", found, here, self.next_index, detail=detail)
        self.flow += 1

        def leave() -> None:
            self.flow += 1

        stack.append(leave)
        depth = len(stack)
        self.handle_in_place(list(el), here, stack, self.in_table)
        if len(stack) == depth:
            stack.pop()
            leave()

    def on_tr(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A table row: inserted or deleted rows hold their cells' paragraphs."""
        row_number = self.ordinal(el)
        table = ctx.where.split(", row")[0]
        here = ctx.copy(where=f"{table}, row {row_number}")
        trpr = ex_change = None
        for child in el:  # the first w:trPr, and the first w:tblPrExChange in any w:tblPrEx
            tag = child.tag
            if tag == _TRPR:
                trpr = child if trpr is None else trpr
            elif tag == _TBLPREX and ex_change is None:
                ex_change = _first_grandchild([child], f"{W}tblPrExChange")
        if trpr is not None:
            for child in trpr:
                local = _local(child)
                if local in ("ins", "del"):
                    kind: ChangeKind = "row-insertion" if local == "ins" else "row-deletion"
                    index = self.new_change(kind, child, here, self.next_index)
                    here = here.copy(
                        held_inserted=here.held_inserted or local == "ins",
                        held_deleted=here.held_deleted or local == "del",
                        held_changes=(*here.held_changes, index),
                    )
                elif local == "trPrChange":
                    self.new_change("format", child, here, self.next_index, detail="trPrChange")
        if ex_change is not None:
            self.new_change("format", ex_change, here, self.next_index, detail="tblPrExChange")
        self.handle_in_place(list(el), here, stack, self.in_row)

    def on_tc(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A table cell: its own flow of paragraphs; inserted or deleted cells hold them."""
        cell_number = self.ordinal(el)
        here = ctx.copy(where=f"{ctx.where}, cell {cell_number}")
        children = list(el)
        tcpr = None
        for child in children:
            if child.tag == _TCPR:
                tcpr = child
                break
        if tcpr is not None:
            for child in tcpr:
                local = _local(child)
                if local in ("cellIns", "cellDel"):
                    kind: ChangeKind = "cell-insertion" if local == "cellIns" else "cell-deletion"
                    index = self.new_change(kind, child, here, self.next_index)
                    here = here.copy(
                        held_inserted=here.held_inserted or local == "cellIns",
                        held_deleted=here.held_deleted or local == "cellDel",
                        held_changes=(*here.held_changes, index),
                    )
                elif local in ("tcPrChange", "cellMerge"):
                    self.new_change("format", child, here, self.next_index, detail=local)
        self.flow += 1
        depth = len(stack)
        self.handle_in_place(children, here, stack, self.in_cell)
        if len(stack) == depth:  # all handled in place: the cell ends now
            self.flow += 1
            return

        def leave() -> None:
            self.flow += 1

        stack.insert(depth, leave)  # beneath the content the stack took

    def on_sdt(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A content control (block, row, cell or run level): its content."""
        content = el.find(f"{W}sdtContent")
        if content is not None:
            self.push(stack, list(content), ctx)

    def on_sect_pr(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """The body's last section properties: a change to them is a formatting change."""
        change = el.find(f"{W}sectPrChange")
        if change is not None:
            self.new_change("format", change, ctx, max(self.next_index - 1, 0), detail="sectPrChange")

    def on_custom_xml_range(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A content control or custom XML element itself inserted, deleted or moved: its text is unaffected."""
        what = _CONTAINER_RANGES[_local(el)]
        paragraph = self.current_index()
        self.new_change("format", el, ctx, self.next_index if paragraph is None else paragraph, detail=what)

    def on_alt_chunk(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """An imported chunk (altChunk) is not read."""
        self.warnings.append(f"an imported document chunk (altChunk) in the {ctx.part} part is not read")

    # run level

    def on_revision(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """w:ins, w:del, w:moveFrom, w:moveTo around runs: their content is inserted or deleted."""
        local = _local(el)
        kind = _RUN_KINDS[local]
        index = self.join_or_new_change(kind, el, ctx)
        inserted = local in ("ins", "moveTo")
        here = ctx.copy(
            inserted=ctx.inserted or inserted,
            deleted=ctx.deleted or not inserted,
            change=index,
            collect=(*ctx.collect, index),
        )
        self.handle_in_place(list(el), here, stack, self.in_revision)

    def on_r(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A run: a formatting change of the run, then its content."""
        children = list(el)
        marks, change, first = _NO_MARKS, None, True
        for child in children:
            if child.tag == _RPR:  # the first w:rPr gives the marks; a w:rPrChange counts in any of them
                if first:
                    marks, change = _run_properties(child)
                    first = False
                elif change is None:
                    change = _first_grandchild([child], _RPR_CHANGE)
        here = ctx.marked(marks)
        if change is not None:
            index = self.new_change("format", change, ctx, self.current_index(), detail="rPrChange")
            here = here.copy(collect=(*ctx.collect, index))
        self.handle_in_place(children, here, stack, self.in_run)

    def on_text(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """w:t and w:delText (also w:t in deleted or moved-from text): the text."""
        text = el.text
        para = self.para
        if not text or para is None or self.hidden_fields:
            return
        para.segments.append((text, ctx.inserted, ctx.deleted, ctx.change, None, ctx.marks))
        para.last_change = ctx.change
        for index in ctx.collect:
            self.changes[index].pieces.append(text)
        if self.open_comments:
            self.anchor_text(text)

    def on_fld_char(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A complex field's begin, separate or end: only the result shows, never the instruction."""
        kind = el.get(f"{W}fldCharType")
        if kind == "begin":
            self.fields.append(False)
            self.hidden_fields += 1
        elif kind == "separate" and self.fields and not self.fields[-1]:
            self.fields[-1] = True
            self.hidden_fields -= 1
        elif kind == "end" and self.fields and not self.fields.pop():
            self.hidden_fields -= 1
        numbering = el.find(f"{W}numberingChange")
        if numbering is not None:
            self.new_change("format", numbering, ctx, self.current_index(), detail="numberingChange (field)")

    def on_note_reference(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A footnote or endnote reference: its note lives and dies with it."""
        kind = "footnotes" if _local(el) == "footnoteReference" else "endnotes"
        key = f"{kind}:{el.get(f'{W}id', '')}"
        self.note_refs[key] = (ctx.inserted or ctx.held_inserted, ctx.deleted or ctx.held_deleted)
        if self.para is not None and self.visible():
            self.para.segments.append(("", ctx.inserted, ctx.deleted, ctx.change, key, _NO_MARKS))

    def on_comment_start(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """The start of the text a comment is anchored on."""
        comment_id = el.get(f"{W}id", "")
        self.open_comments[comment_id] = len(self.anchor_pieces)
        self.comment_paragraph[comment_id] = self.current_index()

    def on_comment_end(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """The end of a comment's anchor."""
        comment_id = el.get(f"{W}id", "")
        start = self.open_comments.pop(comment_id, None)
        if start is not None:
            self.anchors[comment_id] = (self.anchor_since(start).strip("\n"), self.comment_paragraph.get(comment_id))

    def on_comment_reference(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A comment's reference mark: where a comment without a range stands."""
        comment_id = el.get(f"{W}id", "")
        self.comment_paragraph.setdefault(comment_id, self.current_index())

    def on_ruby(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """Phonetic guide text: the base text only."""
        base = el.find(f"{W}rubyBase")
        if base is not None:
            self.push(stack, list(base), ctx)

    def on_sym(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A symbol character: its code as written (symbol fonts use the private use area, as LibreOffice shows)."""
        try:
            code = int(el.get(f"{W}char", ""), 16)
        except ValueError:
            return
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            self.emit(chr(code), ctx)

    def on_tab(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A tab character in a run (tab stops live in w:pPr, which the walk does not enter)."""
        self.emit("\t", ctx)

    handlers: ClassVar[dict[str, _Handler]] = {
        "p": on_p,
        "tbl": on_tbl,
        "tr": on_tr,
        "tc": on_tc,
        "sdt": on_sdt,
        "sectPr": on_sect_pr,
        "altChunk": on_alt_chunk,
        "customXmlInsRangeStart": on_custom_xml_range,
        "customXmlDelRangeStart": on_custom_xml_range,
        "customXmlMoveFromRangeStart": on_custom_xml_range,
        "customXmlMoveToRangeStart": on_custom_xml_range,
        "ins": on_revision,
        "del": on_revision,
        "moveFrom": on_revision,
        "moveTo": on_revision,
        "r": on_r,
        "t": on_text,
        "delText": on_text,
        "fldChar": on_fld_char,
        "footnoteReference": on_note_reference,
        "endnoteReference": on_note_reference,
        "commentRangeStart": on_comment_start,
        "commentRangeEnd": on_comment_end,
        "commentReference": on_comment_reference,
        "ruby": on_ruby,
        "sym": on_sym,
        "tab": on_tab,
        "ptab": _constant("\t"),
        "br": _constant("\n"),
        "cr": _constant("\n"),
        "noBreakHyphen": _constant("-"),
    }

    def on_math_text(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """Office Math text (m:t); revisions inside math runs are read as in text runs."""
        self.emit(el.text or "", ctx)

    def on_math(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """Another Office Math element (its property elements, named ``…Pr``, are skipped): its content."""
        self.push(stack, list(el), ctx)

    # helpers

    def ordinal(self, el: etree._Element) -> int:
        """The number of an element among its parent's children of the same tag (1, 2, …).

        The siblings are numbered all at once when the first is met: counting the preceding siblings of each
        would take quadratic time on a row of many thousand cells (a small file that reads for minutes).
        """
        number = self.ordinals.get(el)
        if number is None:
            parent = el.getparent()
            if parent is None:
                return 1
            tag, count = el.tag, 0
            for child in parent:
                if child.tag == tag:
                    count += 1
                    self.ordinals[child] = count
            number = self.ordinals[el]
        return number

    def visible(self) -> bool:
        """Whether text here shows: not inside a complex field's instruction."""
        return self.hidden_fields == 0

    def current_index(self) -> int | None:
        """The index of the paragraph being read."""
        return self.para.index if self.para is not None else None

    def emit(self, text: str, ctx: _Ctx) -> None:
        """Add text to the current paragraph, the changes around it and the open comment anchors."""
        if not text or self.para is None or not self.visible():
            return
        self.para.segments.append((text, ctx.inserted, ctx.deleted, ctx.change, None, ctx.marks))
        self.para.last_change = ctx.change
        for index in ctx.collect:
            self.changes[index].pieces.append(text)
        self.anchor_text(text)

    def anchor_text(self, text: str) -> None:
        """Keep text for the comment anchors open here (once, whatever their number)."""
        if self.open_comments:
            self.anchor_pieces.append(text)
            self.anchor_ends.append((self.anchor_ends[-1] if self.anchor_ends else 0) + len(text))

    def anchor_since(self, start: int) -> str:
        """The anchor text from piece ``start`` on, at most ANCHOR_LIMIT characters (an ellipsis marks the cut)."""
        begin = self.anchor_ends[start - 1] if start else 0
        stop = bisect.bisect_right(self.anchor_ends, begin + ANCHOR_LIMIT, lo=start)
        text = "".join(self.anchor_pieces[start : stop + 1])
        return text if len(text) <= ANCHOR_LIMIT else text[:ANCHOR_LIMIT] + "…"

    def new_change(
        self, kind: ChangeKind, el: etree._Element, ctx: _Ctx, paragraph: int | None, *, detail: str = ""
    ) -> int:
        """Record a change read from a revision element; return its index."""
        self.changes.append(
            _ChangeDraft(
                kind=kind,
                author=el.get(f"{W}author", ""),
                date=el.get(f"{W}date"),
                part=ctx.part,
                paragraph=paragraph,
                where=ctx.where,
                detail=detail,
                revision_id=el.get(f"{W}id"),
            )
        )
        return len(self.changes) - 1

    def join_or_new_change(self, kind: ChangeKind, el: etree._Element, ctx: _Ctx) -> int:
        """Continue the change just before (same kind, author and date, nothing between) or record a new one."""
        para = self.para
        if para is not None and para.last_change is not None:
            last = self.changes[para.last_change]
            if (
                last.kind == kind
                and last.author == el.get(f"{W}author", "")
                and last.date == el.get(f"{W}date")
                and last.paragraph == para.index
                and para.last_change not in ctx.collect
            ):
                return para.last_change
        return self.new_change(kind, el, ctx, self.current_index())

    # notes, comments, other parts

    def read_notes(self, main: str, kind: Literal["footnotes", "endnotes"]) -> None:
        """Footnote or endnote paragraphs, each note held by its reference's revision state."""
        name = self.package.related_part(main, kind)
        root = self.package.part(name) if name else None
        if root is None:
            return
        tag = f"{W}{kind[:-1]}"
        for note in root.iter(tag):
            if note.get(f"{W}type") in _NOTE_SEPARATORS:
                continue
            note_id = note.get(f"{W}id", "")
            key = f"{kind}:{note_id}"
            if key not in self.note_refs:
                continue  # a note nothing refers to is not shown by Word
            inserted, deleted = self.note_refs[key]
            self.flow += 1
            ctx = _Ctx(part=kind, where=f"{kind[:-1]} {note_id}", held_inserted=inserted, held_deleted=deleted)
            self.walk(note, ctx)
        self.flow += 1

    def read_comments(self, main: str) -> tuple[Comment, ...]:
        """The comments with their anchors, authors, dates and reply parents."""
        name = self.package.related_part(main, "comments")
        root = self.package.part(name) if name else None
        if root is None:
            if self.comment_paragraph:
                self.warnings.append("the document refers to comments but has no comments part")
            return ()
        parents, done = self.comment_threads(main)
        out: list[Comment] = []
        para_ids: dict[str, str] = {}
        for comment in root.iter(f"{W}comment"):
            comment_id = comment.get(f"{W}id", "")
            paragraphs = comment.findall(f".//{W}p")
            if paragraphs:
                para_id = paragraphs[-1].get(f"{W14}paraId")
                if para_id:
                    para_ids[para_id.upper()] = comment_id
            anchor, paragraph = self.anchors.get(comment_id, ("", self.comment_paragraph.get(comment_id)))
            out.append(
                Comment(
                    comment_id=comment_id,
                    author=comment.get(f"{W}author", ""),
                    initials=comment.get(f"{W}initials"),
                    date=comment.get(f"{W}date"),
                    text="\n".join(t for t in (_plain_text(p).strip() for p in paragraphs) if t),
                    anchor=anchor,
                    paragraph=paragraph,
                    done=bool(paragraphs) and (paragraphs[-1].get(f"{W14}paraId") or "").upper() in done,
                )
            )
        last_para = {comment_id: para_id for para_id, comment_id in para_ids.items()}
        return tuple(
            dataclasses.replace(c, parent_id=para_ids.get(parents.get(last_para.get(c.comment_id, ""), "")))
            for c in out
        )

    def comment_threads(self, main: str) -> tuple[dict[str, str], set[str]]:
        """From commentsExtended.xml: each reply's parent paragraph id, and the ids of resolved comments."""
        name = self.package.related_part(main, "commentsExtended")
        root = self.package.part(name) if name else None
        parents: dict[str, str] = {}
        done: set[str] = set()
        if root is None:
            return parents, done
        for entry in root.iter(f"{W15}commentEx"):
            para_id = (entry.get(f"{W15}paraId") or "").upper()
            parent = entry.get(f"{W15}paraIdParent")
            if parent:
                parents[para_id] = parent.upper()
            if entry.get(f"{W15}done") in ("1", "true", "on"):
                done.add(para_id)
        return parents, done

    def read_definitions(self, main: str) -> None:
        """Formatting changes in style and numbering definitions (text unaffected)."""
        changes = {f"{W}{tag}" for tag in FORMAT_CHANGES}
        for kind, holders in (("styles", ("style",)), ("numbering", ("abstractNum", "num"))):
            name = self.package.related_part(main, kind)
            root = self.package.part(name) if name else None
            if root is None:
                continue
            for holder in root.iter(*(f"{W}{tag}" for tag in holders)):
                label = holder.get(f"{W}styleId") or holder.get(f"{W}abstractNumId") or holder.get(f"{W}numId") or ""
                for found in holder.iter(*changes):
                    self.changes.append(
                        _ChangeDraft(
                            kind="format",
                            author=found.get(f"{W}author", ""),
                            date=found.get(f"{W}date"),
                            part="styles" if kind == "styles" else "numbering",
                            paragraph=None,
                            where=f"{_local(holder)} {label}",
                            detail=_local(found),
                            revision_id=found.get(f"{W}id"),
                        )
                    )

    def check_other_parts(self, main: str) -> None:
        """Warn about tracked changes in headers and footers, which are not read."""
        for rel in self.package.relationships(main):
            kind = rel.rel_type.rsplit("/", 1)[-1]
            if rel.external or kind not in ("header", "footer"):
                continue
            root = self.package.part(rel.target)
            if root is not None and any(e.tag in _REVISION_TAGS for e in root.iter()):
                self.warnings.append(f"tracked changes in {rel.target} ({kind}) are not read")


def _local(el: etree._Element) -> str:
    """An element's tag without its namespace."""
    tag = el.tag
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def _plain_text(p: etree._Element) -> str:
    """A comment paragraph's text as it reads with its own changes accepted."""
    pieces: list[str] = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if any(_local(a) in ("del", "moveFrom") for a in el.iterancestors()):
            continue
        local = _local(el)
        pieces.append(el.text or "" if local == "t" else "\t" if local == "tab" else "\n")
    return "".join(pieces)


def _first_grandchild(holders: list[etree._Element], tag: str) -> etree._Element | None:
    """The first child with ``tag`` of any of ``holders``, in document order (ElementPath's ``holder/tag``)."""
    for holder in holders:
        for child in holder:
            if child.tag == tag:
                return child
    return None


def _merged_segments(pieces: list[_Piece]) -> tuple[Segment, ...]:
    """Segments from a paragraph's pieces, neighbours of the same state and change joined (linear in the text).

    A joined segment keeps its first piece's marks; a note reference is never joined.
    """
    count = len(pieces)
    if count == 1:
        return (Segment(*pieces[0]),)
    out: list[Segment] = []
    start = 0
    while start < count:
        text, inserted, deleted, change, note, marks = pieces[start]
        stop = start + 1
        if note is None:
            while stop < count:
                nxt = pieces[stop]
                if nxt[4] is not None or nxt[1] != inserted or nxt[2] != deleted or nxt[3] != change:
                    break
                stop += 1
            if stop > start + 1:
                text = "".join([piece[0] for piece in pieces[start:stop]])
        out.append(Segment(text, inserted, deleted, change, note, marks))
        start = stop
    return tuple(out)
