"""The Word revision reader as it was before its fast walk (commit 91150e2): the reference the fast one must equal.

Every element is visited through one explicit stack, one handler call per element, a context copied per run; its
results (paragraphs, segments, changes, comments, warnings) are what ``wtpf_cli.ooxml.reader`` must still give.
Only the walk is kept here; the data classes are the reader's own, so the two results compare with ``==``.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal, TypeAlias

from lxml import etree

from wtpf_cli.errors import InputRejected
from wtpf_cli.ooxml.definitions import link_targets, read_lists, read_styles
from wtpf_cli.ooxml.package import DocxPackage
from wtpf_cli.ooxml.reader import _NOTE_SEPARATORS
from wtpf_cli.ooxml.revisions import (
    PARTS,
    Change,
    ChangeKind,
    ChangePart,
    Comment,
    Inspection,
    Para,
    PartKind,
    Segment,
    View,
)
from wtpf_cli.ooxml.views import roman_numeral
from wtpf_cli.ooxml.walk import _CONTAINERS, _SKIPPED, ANCHOR_LIMIT
from wtpf_cli.ooxml.walk_blocks import _CONTAINER_RANGES, _MARK_KINDS
from wtpf_cli.ooxml.walk_runs import (
    _RUN_KINDS,
    hyperlink_target,  # (what a field's instruction links to: not the walk)
)
from wtpf_cli.ooxml.wordml import FORMAT_CHANGES, MC, STRICT_W, W14, W15, M, W
from wtpf_cli.ooxml.wordml import REVISION_TAGS as _REVISION_TAGS


def read_inspection_reference(package: DocxPackage) -> Inspection:
    """Read a checked .docx package the way the reader did before its fast walk."""
    return _Reader(package).read()


def text_view_reference(
    inspection: Inspection,
    view: str,
    *,
    parts: Iterable[PartKind] = PARTS,
    note_marks: bool = False,
    render: Callable[[Segment], str] | None = None,
) -> list[str]:
    """text_view as it was: paragraph texts with all changes accepted or rejected."""
    if view not in ("accept", "reject"):
        raise ValueError(f"view must be 'accept' or 'reject', not {view!r}")
    mode: View = "accept" if view == "accept" else "reject"
    wanted = set(parts)
    out: list[str] = []
    pending: str | None = None
    pending_flow = -1
    counters: dict[str, int] = {}
    for para in inspection.paragraphs:
        if para.part not in wanted or not para.kept(mode):
            continue
        text = _para_text(para, mode, counters if note_marks else None, render)
        if pending is not None:
            if pending_flow == para.flow:
                text = pending + text
            else:
                out.append(pending)
            pending = None
        if not para.mark_kept(mode):
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


_OFF = ("0", "false", "off")
# Each run property that makes a mark, and the values of its w:val that mean none.
_PROPERTY_MARKS = {
    "strike": ("strike", _OFF),
    "color": ("colour", ("auto",)),
    "sz": ("font size", ()),
    "highlight": ("highlighting", ("none",)),
    "u": ("underline", ("none",)),
    "vertAlign": ("raised or lowered text", ("baseline",)),
}
_CHARACTER_STYLES = {
    "VerbatimChar": "code",
    "SourceText": "code",
    "Strong": "strong",
    "StrongEmphasis": "strong",
    "Emphasis": "em",
}


def _run_marks(rpr: etree._Element | None) -> frozenset[str]:
    """The marks of a run: bold and italic (the first w:b, w:i unless w:val turns them off), its character style,
    strikethrough and what Markdown cannot hold (any such property set)."""
    if rpr is None:
        return frozenset()
    marks = set()
    for tag, mark in (("b", "strong"), ("i", "em")):
        el = rpr.find(f"{W}{tag}")
        if el is not None and el.get(f"{W}val", "true").lower() not in _OFF:
            marks.add(mark)
    for child in rpr:
        local = _local(child)
        value = (child.get(f"{W}val") or "").lower()
        if local == "rStyle" and child.get(f"{W}val", "") in _CHARACTER_STYLES:
            marks.add(_CHARACTER_STYLES[child.get(f"{W}val", "")])
        elif local == "shd":
            fill = (child.get(f"{W}fill") or "auto").lower()
            if (value or "clear") not in ("clear", "nil") or fill not in ("auto", ""):
                marks.add("shading")
        elif local in _PROPERTY_MARKS and value not in _PROPERTY_MARKS[local][1]:
            marks.add(_PROPERTY_MARKS[local][0])
    return frozenset(marks)


@dataclass(frozen=True)
class _Ctx:
    """What the walk knows at an element: its part and place, and the revisions around it."""

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
    href: str | None = None


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


@dataclass
class _ParaDraft:
    """A paragraph being read."""

    index: int
    ctx: _Ctx
    segments: list[Segment] = field(default_factory=list)
    mark_inserted: bool = False
    mark_deleted: bool = False
    style: str | None = None
    numbering: tuple[str, int] | None = None
    style_change: str | None = None
    own_changes: list[int] = field(default_factory=list)
    marks: list[tuple[ChangeKind, etree._Element]] = field(default_factory=list)
    last_change: int | None = None


_Work: TypeAlias = "tuple[etree._Element, _Ctx] | Callable[[], None]"
_Handler: TypeAlias = "Callable[[_Reader, etree._Element, _Ctx, list[_Work]], None]"


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
        self.instructions: list[str] = []  # each open field's instruction so far
        self.field_links: list[bool] = []  # whether each open field links its result (a HYPERLINK field)
        self.links_open: list[str] = []  # their targets, innermost last
        self.note_refs: dict[str, tuple[bool, bool]] = {}
        # Comment anchors: the text met while any comment is open, once, with each open comment's start in it
        # (appending each piece to every open anchor took quadratic time with many unclosed comments).
        self.open_comments: dict[str, int] = {}
        self.anchor_pieces: list[str] = []
        self.anchor_ends: list[int] = []  # the character offset after each piece
        self.anchors: dict[str, tuple[str, int | None]] = {}
        self.comment_paragraph: dict[str, int | None] = {}
        self.tables = 0
        self.links: dict[str, str] = {}
        self.ordinals: dict[etree._Element, int] = {}  # rows and cells numbered once per parent, not per element

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
            self.links = link_targets(self.package, main)
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
        lists, styles = read_lists(self.package, main), read_styles(self.package, main)
        warnings = tuple(dict.fromkeys(self.warnings))
        return Inspection(tuple(self.paragraphs), changes, comments, warnings, lists, styles)

    # -- the walk ---------------------------------------------------------------------------------------------------

    def walk(self, root: etree._Element, ctx: _Ctx) -> None:
        """Visit the children of ``root`` in document order with an explicit stack."""
        self.fields = []
        self.hidden_fields = 0
        stack: list[_Work] = [(child, ctx) for child in reversed(root)]
        while stack:
            item = stack.pop()
            if callable(item):
                item()
                continue
            element, here = item
            self.visit(element, here, stack)
        if self.fields:
            self.warnings.append(f"a field is not closed in the {ctx.part} part")

    def push(self, stack: list[_Work], children: Sequence[etree._Element], ctx: _Ctx) -> None:
        """Queue children to be visited next, in order."""
        stack.extend((child, ctx) for child in reversed(children))

    def visit(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """Handle one element: emit its text, open revisions, queue its children."""
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag.startswith(W):
            name = tag[len(W) :]
            handler = self.handlers.get(name)
            if handler is not None:
                handler(self, el, ctx, stack)
            elif tag in _CONTAINERS:
                self.push(stack, [c for c in el if not _local(c).endswith("Pr")], ctx)
            elif tag in _SKIPPED:
                self.skip(el, ctx)
        elif tag.startswith(M):
            self.visit_math(el, ctx, stack)
        elif tag == f"{MC}AlternateContent":
            self.skip(el, ctx)

    def skip(self, el: etree._Element, ctx: _Ctx) -> None:
        """Leave out drawings and text boxes, warning when they hold revisions; an image piece in their place."""
        if self.para is not None and self.visible():
            image = Segment(
                "", ctx.inserted, ctx.deleted, ctx.change, marks=frozenset({"image"}), href=self.field_href(ctx)
            )
            self.para.segments.append(image)
        if any(e.tag in _REVISION_TAGS for e in el.iter()):
            self.warnings.append(f"tracked changes inside a drawing or text box in the {ctx.part} part are not read")

    # block level

    def on_p(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A paragraph: its mark's revision and formatting changes, then its content."""
        index = self.next_index
        self.next_index += 1
        draft = _ParaDraft(index=index, ctx=ctx)
        outer = self.para
        self.para = draft
        ppr = el.find(f"{W}pPr")
        if ppr is not None:
            self.paragraph_properties(ppr, draft, ctx)

        def leave() -> None:
            self.end_paragraph(draft)
            self.para = outer

        stack.append(leave)
        self.push(stack, [c for c in el if c.tag != f"{W}pPr"], ctx)

    def paragraph_properties(self, ppr: etree._Element, draft: _ParaDraft, ctx: _Ctx) -> None:
        """Read a paragraph's style, mark revision, and formatting changes."""
        style = ppr.find(f"{W}pStyle")
        if style is not None:
            draft.style = style.get(f"{W}val")
        numbered_by = ppr.find(f"{W}numPr")
        if numbered_by is not None:
            num_id, level = numbered_by.find(f"{W}numId"), numbered_by.find(f"{W}ilvl")
            if num_id is not None and num_id.get(f"{W}val") is not None:
                ilvl = level.get(f"{W}val", "") if level is not None else ""
                number = int(ilvl) if ilvl.isdigit() and len(ilvl) < 3 else 0
                draft.numbering = (num_id.get(f"{W}val", ""), number)
        rpr = ppr.find(f"{W}rPr")
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
        change = ppr.find(f"{W}pPrChange")
        if change is not None:
            draft.own_changes.append(self.new_change("format", change, ctx, draft.index, detail="pPrChange"))
            before = change.find(f"{W}pPr/{W}pStyle")
            draft.style_change = (before.get(f"{W}val") or "") if before is not None else ""
        numbering = ppr.find(f"{W}numPr/{W}numberingChange")
        if numbering is not None:
            draft.own_changes.append(self.new_change("format", numbering, ctx, draft.index, detail="numberingChange"))
        numbered = ppr.find(f"{W}numPr/{W}ins")
        if numbered is not None:
            draft.own_changes.append(self.new_change("format", numbered, ctx, draft.index, detail="numbering inserted"))
        sect = ppr.find(f"{W}sectPr/{W}sectPrChange")
        if sect is not None:
            self.new_change("format", sect, ctx, draft.index, detail="sectPrChange")

    def end_paragraph(self, draft: _ParaDraft) -> None:
        """Close a paragraph: give its text to the changes that hold it and to open comment anchors."""
        ctx = draft.ctx
        for kind, element in draft.marks:
            detail = "paragraph mark" if kind.startswith("move") else ""
            draft.own_changes.append(self.new_change(kind, element, ctx, draft.index, detail=detail))
        para = Para(
            index=draft.index,
            part=ctx.part,
            where=ctx.where,
            segments=tuple(_merge_segments(draft.segments)),
            mark_inserted=draft.mark_inserted,
            mark_deleted=draft.mark_deleted,
            held_inserted=ctx.held_inserted,
            held_deleted=ctx.held_deleted,
            flow=self.flow,
            style=draft.style,
            numbering=draft.numbering,
            style_change=draft.style_change,
        )
        self.paragraphs.append(para)
        text = para.text()
        for index in (*draft.own_changes, *ctx.held_changes):
            pieces = self.changes[index].pieces
            if pieces and text:
                pieces.append(" ")
            pieces.append(text)
        self.anchor_text("\n")

    def on_tbl(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A table: its property and grid changes, then its rows."""
        self.tables += 1
        where = f"table {self.tables}" if ctx.where == "body" else f"{ctx.where}, table {self.tables}"
        here = dataclasses.replace(ctx, where=where)
        for holder, detail in (("tblPr", "tblPrChange"), ("tblGrid", "tblGridChange")):
            found = el.find(f"{W}{holder}/{W}{detail}")
            if found is not None:
                self.new_change("format", found, here, self.next_index, detail=detail)
        self.flow += 1

        def leave() -> None:
            self.flow += 1

        stack.append(leave)
        rows = [c for c in el if c.tag not in (f"{W}tblPr", f"{W}tblGrid")]
        self.push(stack, rows, dataclasses.replace(here, where=where))

    def on_tr(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A table row: inserted or deleted rows hold their cells' paragraphs."""
        row_number = self.ordinal(el)
        table = ctx.where.split(", row")[0]
        here = dataclasses.replace(ctx, where=f"{table}, row {row_number}")
        trpr = el.find(f"{W}trPr")
        if trpr is not None:
            for child in trpr:
                local = _local(child)
                if local in ("ins", "del"):
                    kind: ChangeKind = "row-insertion" if local == "ins" else "row-deletion"
                    index = self.new_change(kind, child, here, self.next_index)
                    here = dataclasses.replace(
                        here,
                        held_inserted=here.held_inserted or local == "ins",
                        held_deleted=here.held_deleted or local == "del",
                        held_changes=(*here.held_changes, index),
                    )
                elif local == "trPrChange":
                    self.new_change("format", child, here, self.next_index, detail="trPrChange")
        ex_change = el.find(f"{W}tblPrEx/{W}tblPrExChange")
        if ex_change is not None:
            self.new_change("format", ex_change, here, self.next_index, detail="tblPrExChange")
        self.push(stack, [c for c in el if c.tag not in (f"{W}trPr", f"{W}tblPrEx")], here)

    def on_tc(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A table cell: its own flow of paragraphs; inserted or deleted cells hold them."""
        cell_number = self.ordinal(el)
        here = dataclasses.replace(ctx, where=f"{ctx.where}, cell {cell_number}")
        tcpr = el.find(f"{W}tcPr")
        if tcpr is not None:
            for child in tcpr:
                local = _local(child)
                if local in ("cellIns", "cellDel"):
                    kind: ChangeKind = "cell-insertion" if local == "cellIns" else "cell-deletion"
                    index = self.new_change(kind, child, here, self.next_index)
                    here = dataclasses.replace(
                        here,
                        held_inserted=here.held_inserted or local == "cellIns",
                        held_deleted=here.held_deleted or local == "cellDel",
                        held_changes=(*here.held_changes, index),
                    )
                elif local in ("tcPrChange", "cellMerge"):
                    self.new_change("format", child, here, self.next_index, detail=local)
        self.flow += 1

        def leave() -> None:
            self.flow += 1

        stack.append(leave)
        self.push(stack, [c for c in el if c.tag != f"{W}tcPr"], here)

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
        here = dataclasses.replace(
            ctx,
            inserted=ctx.inserted or inserted,
            deleted=ctx.deleted or not inserted,
            change=index,
            collect=(*ctx.collect, index),
        )
        self.push(stack, list(el), here)

    def on_r(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A run: a formatting change of the run, then its content."""
        here = dataclasses.replace(ctx, marks=_run_marks(el.find(f"{W}rPr")))
        change = el.find(f"{W}rPr/{W}rPrChange")
        if change is not None:
            index = self.new_change("format", change, ctx, self.current_index(), detail="rPrChange")
            here = dataclasses.replace(here, collect=(*ctx.collect, index))
        self.push(stack, [c for c in el if c.tag != f"{W}rPr"], here)

    def on_text(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """w:t and w:delText (also w:t in deleted or moved-from text): the text."""
        self.emit(el.text or "", ctx)

    def on_instruction(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """w:instrText and w:delInstrText: a field's instruction, until its result starts (not deleted)."""
        if self.fields and not self.fields[-1] and not ctx.deleted:
            self.instructions[-1] += el.text or ""

    def field_href(self, ctx: _Ctx) -> str | None:
        """The link of text here: its hyperlink's, else the innermost HYPERLINK field's whose result it is in."""
        return ctx.href or (self.links_open[-1] if self.links_open else None)

    def on_fld_char(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A complex field's begin, separate or end: only the result shows, never the instruction."""
        kind = el.get(f"{W}fldCharType")
        if kind == "begin":
            self.fields.append(False)
            self.instructions.append("")
            self.field_links.append(False)
            self.hidden_fields += 1
        elif kind == "separate" and self.fields and not self.fields[-1]:
            self.fields[-1] = True
            self.hidden_fields -= 1
            href = hyperlink_target(self.instructions[-1])
            if href is not None:
                self.field_links[-1] = True
                self.links_open.append(href)
        elif kind == "end" and self.fields:
            if not self.fields.pop():
                self.hidden_fields -= 1
            self.instructions.pop()
            if self.field_links.pop():
                self.links_open.pop()
        numbering = el.find(f"{W}numberingChange")
        if numbering is not None:
            self.new_change("format", numbering, ctx, self.current_index(), detail="numberingChange (field)")

    def on_note_reference(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A footnote or endnote reference: its note lives and dies with it."""
        kind = "footnotes" if _local(el) == "footnoteReference" else "endnotes"
        key = f"{kind}:{el.get(f'{W}id', '')}"
        self.note_refs[key] = (ctx.inserted or ctx.held_inserted, ctx.deleted or ctx.held_deleted)
        if self.para is not None and self.visible():
            self.para.segments.append(Segment("", ctx.inserted, ctx.deleted, ctx.change, note=key))

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

    def on_hyperlink(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A hyperlink: its content, linked to its target or anchor."""
        rid = el.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        anchor = el.get(f"{W}anchor")
        target = self.links.get(rid) if rid else None
        if target and anchor and "#" not in target:
            target = f"{target}#{anchor}"  # Word's link to a place in another document
        href = target or (f"#{anchor}" if anchor else None)
        here = ctx if href is None else dataclasses.replace(ctx, href=href)
        self.push(stack, [c for c in el if not _local(c).endswith("Pr")], here)

    def on_simple_field(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """A simple field: its result, linked for a HYPERLINK field."""
        href = hyperlink_target(el.get(f"{W}instr", ""))
        here = ctx if href is None else dataclasses.replace(ctx, href=href)
        self.push(stack, [c for c in el if not _local(c).endswith("Pr")], here)

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
        "instrText": on_instruction,
        "delInstrText": on_instruction,
        "footnoteReference": on_note_reference,
        "endnoteReference": on_note_reference,
        "commentRangeStart": on_comment_start,
        "commentRangeEnd": on_comment_end,
        "commentReference": on_comment_reference,
        "ruby": on_ruby,
        "hyperlink": on_hyperlink,
        "fldSimple": on_simple_field,
        "sym": on_sym,
        "tab": on_tab,
        "ptab": _constant("\t"),
        "br": _constant("\n"),
        "cr": _constant("\n"),
        "noBreakHyphen": _constant("-"),
    }

    def visit_math(self, el: etree._Element, ctx: _Ctx, stack: list[_Work]) -> None:
        """Office Math: its text (m:t), with revisions inside math runs; property elements are skipped."""
        local = _local(el)
        if local == "t":
            self.emit(el.text or "", ctx)
        elif not local.endswith("Pr"):
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
            counts: dict[object, int] = {}
            for child in parent:
                counts[child.tag] = counts.get(child.tag, 0) + 1
                if child.tag == el.tag:
                    self.ordinals[child] = counts[child.tag]
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
        self.para.segments.append(
            Segment(text, ctx.inserted, ctx.deleted, ctx.change, marks=ctx.marks, href=self.field_href(ctx))
        )
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
            self.links = link_targets(self.package, name)
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
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _plain_text(p: etree._Element) -> str:
    """A comment paragraph's text as it reads with its own changes accepted."""
    pieces: list[str] = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if any(_local(a) in ("del", "moveFrom") for a in el.iterancestors()):
            continue
        local = _local(el)
        pieces.append(el.text or "" if local == "t" else "\t" if local == "tab" else "\n")
    return "".join(pieces)


def _merge_segments(segments: list[Segment]) -> list[Segment]:
    """Join neighbouring pieces of the same state, change, marks and link (each run joined once: linear)."""
    out: list[Segment] = []
    run: list[Segment] = []

    def close() -> None:
        if run:
            out.append(run[0] if len(run) == 1 else dataclasses.replace(run[0], text="".join(s.text for s in run)))
            run.clear()

    for segment in segments:
        if run and segment.note is None and run[0].note is None:
            first = run[0]
            state = (first.inserted, first.deleted, first.change, first.marks, first.href)
            if state == (segment.inserted, segment.deleted, segment.change, segment.marks, segment.href):
                run.append(segment)
                continue
        close()
        run.append(segment)
    close()
    return out
