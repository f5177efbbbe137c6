"""The walk's handlers of block-level elements: paragraphs (their marks and properties), tables, rows and cells,
content controls, section properties (ECMA-376 Part 1, §17.3.1, §17.4, §17.13)."""

from __future__ import annotations

from lxml import etree

from wtpf_cli.ooxml._plain_paragraph import read_plain
from wtpf_cli.ooxml._records import para, segment
from wtpf_cli.ooxml.revisions import ChangeKind, Segment
from wtpf_cli.ooxml.walk import (
    Context,
    Handler,
    ParaDraft,
    Piece,
    Walk,
    Work,
    first_grandchild,
    local_name,
    numbering_of,
)
from wtpf_cli.ooxml.wordml import NUMPR, PPR, PPR_CHANGE, PSTYLE, RPR, SECTPR, VAL, W

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
_TCPR, _TRPR, _TBLPREX = f"{W}tcPr", f"{W}trPr", f"{W}tblPrEx"


def on_p(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A paragraph: its mark's revision and formatting changes, then its content."""
    # A plain paragraph with nothing open around it is read in one loop (_plain_paragraph.py), as the rest would.
    if not (
        ctx.collect or ctx.held_changes or walk.open_comments or walk.hidden_fields or walk.field_href
    ) and read_plain(walk, el, ctx):
        return
    children = list(el)
    index = walk.next_index
    walk.next_index += 1
    draft = ParaDraft(index, ctx)
    outer = walk.para
    walk.para = draft
    for child in children:  # the first w:pPr (nearly always the first child); the walk ignores the others
        if child.tag == PPR:
            _paragraph_properties(walk, child, draft, ctx)
            break
    depth = len(stack)
    walk.handle_in_place(children, ctx, stack, walk.in_paragraph)
    if len(stack) == depth:  # all handled in place: the paragraph ends now
        _end_paragraph(walk, draft)
        walk.para = outer
        return

    def leave() -> None:
        _end_paragraph(walk, draft)
        walk.para = outer

    stack.insert(depth, leave)  # beneath the content the stack took


def _paragraph_properties(walk: Walk, ppr: etree._Element, draft: ParaDraft, ctx: Context) -> None:
    """Read a paragraph's style, mark revision, and formatting changes."""
    # One pass over w:pPr for the first of each child the reader needs (a search per child, or an lxml tag
    # filter, cost more than the rest of the paragraph); the changes are then recorded in the order the reader
    # has always given them.
    style = rpr = change = None
    numbering_holders: list[etree._Element] = []
    sections: list[etree._Element] = []
    for child in ppr:
        tag = child.tag
        if tag == PSTYLE:
            style = child if style is None else style
        elif tag == RPR:
            rpr = child if rpr is None else rpr
        elif tag == PPR_CHANGE:
            change = child if change is None else change
        elif tag == NUMPR:
            numbering_holders.append(child)
        elif tag == SECTPR:
            sections.append(child)
    if style is not None:
        draft.style = style.get(VAL)
    if numbering_holders:
        draft.numbering = numbering_of(numbering_holders[0])
    if rpr is not None:
        for child in rpr:
            local = local_name(child)
            kind = _MARK_KINDS.get(local)
            if kind is not None:
                if local in ("ins", "moveTo"):
                    draft.mark_inserted = True
                else:
                    draft.mark_deleted = True
                draft.marks.append((kind, child))  # recorded when the paragraph ends, after its content
            elif local == "rPrChange":
                draft.own_changes.append(
                    walk.new_change("format", child, ctx, draft.index, detail="rPrChange (paragraph mark)")
                )
    if change is not None:
        draft.own_changes.append(walk.new_change("format", change, ctx, draft.index, detail="pPrChange"))
        draft.style_change = style_before(change)
    if numbering_holders:
        numbering = first_grandchild(numbering_holders, f"{W}numberingChange")
        if numbering is not None:
            draft.own_changes.append(walk.new_change("format", numbering, ctx, draft.index, detail="numberingChange"))
        numbered = first_grandchild(numbering_holders, f"{W}ins")
        if numbered is not None:
            draft.own_changes.append(walk.new_change("format", numbered, ctx, draft.index, detail="numbering inserted"))
    sect = first_grandchild(sections, f"{W}sectPrChange") if sections else None
    if sect is not None:
        walk.new_change("format", sect, ctx, draft.index, detail="sectPrChange")


def style_before(change: etree._Element) -> str:
    """The paragraph style a w:pPrChange says the paragraph had before ("" when it names none)."""
    for old in change:
        if old.tag == PPR:
            for child in old:
                if child.tag == PSTYLE:
                    return child.get(VAL) or ""
    return ""


def _end_paragraph(walk: Walk, draft: ParaDraft) -> None:
    """Close a paragraph: give its text to the changes that hold it and to open comment anchors."""
    ctx = draft.ctx
    for kind, element in draft.marks:
        detail = "paragraph mark" if kind.startswith("move") else ""
        draft.own_changes.append(walk.new_change(kind, element, ctx, draft.index, detail=detail))
    segments = _merged_segments(draft.segments)
    walk.paragraphs.append(
        para(
            draft.index,
            ctx.part,
            ctx.where,
            segments,
            draft.mark_inserted,
            draft.mark_deleted,
            ctx.held_inserted,
            ctx.held_deleted,
            walk.flow,
            draft.style,
            draft.numbering,
            draft.style_change,
        )
    )
    if draft.own_changes or ctx.held_changes:
        text = "".join(s.text for s in segments)
        for index in (*draft.own_changes, *ctx.held_changes):
            pieces = walk.changes[index].pieces
            if pieces and text:
                pieces.append(" ")
            pieces.append(text)
    if walk.open_comments:
        walk.anchor_text("\n")


def on_tbl(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A table: its property and grid changes, then its rows."""
    walk.tables += 1
    where = f"table {walk.tables}" if ctx.where == "body" else f"{ctx.where}, table {walk.tables}"
    here = ctx.copy(where=where)
    for holder, detail in (("tblPr", "tblPrChange"), ("tblGrid", "tblGridChange")):
        found = el.find(f"{W}{holder}/{W}{detail}")
        if found is not None:
            walk.new_change("format", found, here, walk.next_index, detail=detail)
    walk.flow += 1

    def leave() -> None:
        walk.flow += 1

    stack.append(leave)
    depth = len(stack)
    walk.handle_in_place(list(el), here, stack, walk.in_table)
    if len(stack) == depth:
        stack.pop()
        leave()


def on_tr(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A table row: inserted or deleted rows hold their cells' paragraphs."""
    row_number = walk.ordinal(el)
    table = ctx.where.split(", row")[0]
    here = ctx.copy(where=f"{table}, row {row_number}")
    trpr = ex_change = None
    for child in el:  # the first w:trPr, and the first w:tblPrExChange in any w:tblPrEx
        tag = child.tag
        if tag == _TRPR:
            trpr = child if trpr is None else trpr
        elif tag == _TBLPREX and ex_change is None:
            ex_change = first_grandchild([child], f"{W}tblPrExChange")
    if trpr is not None:
        for child in trpr:
            local = local_name(child)
            if local in ("ins", "del"):
                kind: ChangeKind = "row-insertion" if local == "ins" else "row-deletion"
                index = walk.new_change(kind, child, here, walk.next_index)
                here = here.copy(
                    held_inserted=here.held_inserted or local == "ins",
                    held_deleted=here.held_deleted or local == "del",
                    held_changes=(*here.held_changes, index),
                )
            elif local == "trPrChange":
                walk.new_change("format", child, here, walk.next_index, detail="trPrChange")
    if ex_change is not None:
        walk.new_change("format", ex_change, here, walk.next_index, detail="tblPrExChange")
    walk.handle_in_place(list(el), here, stack, walk.in_row)


def on_tc(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A table cell: its own flow of paragraphs; inserted or deleted cells hold them."""
    cell_number = walk.ordinal(el)
    here = ctx.copy(where=f"{ctx.where}, cell {cell_number}")
    children = list(el)
    tcpr = None
    for child in children:
        if child.tag == _TCPR:
            tcpr = child
            break
    if tcpr is not None:
        for child in tcpr:
            local = local_name(child)
            if local in ("cellIns", "cellDel"):
                kind: ChangeKind = "cell-insertion" if local == "cellIns" else "cell-deletion"
                index = walk.new_change(kind, child, here, walk.next_index)
                here = here.copy(
                    held_inserted=here.held_inserted or local == "cellIns",
                    held_deleted=here.held_deleted or local == "cellDel",
                    held_changes=(*here.held_changes, index),
                )
            elif local in ("tcPrChange", "cellMerge"):
                walk.new_change("format", child, here, walk.next_index, detail=local)
    walk.flow += 1
    depth = len(stack)
    walk.handle_in_place(children, here, stack, walk.in_cell)
    if len(stack) == depth:  # all handled in place: the cell ends now
        walk.flow += 1
        return

    def leave() -> None:
        walk.flow += 1

    stack.insert(depth, leave)  # beneath the content the stack took


def on_sdt(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A content control (block, row, cell or run level): its content."""
    content = el.find(f"{W}sdtContent")
    if content is not None:
        walk.push(stack, list(content), ctx)


def on_sect_pr(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """The body's last section properties: a change to them is a formatting change."""
    change = el.find(f"{W}sectPrChange")
    if change is not None:
        walk.new_change("format", change, ctx, max(walk.next_index - 1, 0), detail="sectPrChange")


def on_custom_xml_range(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """A content control or custom XML element itself inserted, deleted or moved: its text is unaffected."""
    what = _CONTAINER_RANGES[local_name(el)]
    paragraph = walk.current_index()
    walk.new_change("format", el, ctx, walk.next_index if paragraph is None else paragraph, detail=what)


def on_alt_chunk(walk: Walk, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
    """An imported chunk (altChunk) is not read."""
    walk.warnings.append(f"an imported document chunk (altChunk) in the {ctx.part} part is not read")


def _merged_segments(pieces: list[Piece]) -> tuple[Segment, ...]:
    """Segments from a paragraph's pieces, neighbours of the same state, change, marks and link joined (linear in
    the text); a note reference is never joined."""
    count = len(pieces)
    if count == 1:
        return (segment(*pieces[0]),)
    out: list[Segment] = []
    start = 0
    while start < count:
        text, inserted, deleted, change, note, marks, href = pieces[start]
        stop = start + 1
        if note is None:
            while stop < count:
                nxt = pieces[stop]
                if (
                    nxt[4] is not None
                    or nxt[1] != inserted
                    or nxt[2] != deleted
                    or nxt[3] != change
                    or nxt[5] != marks
                    or nxt[6] != href
                ):
                    break
                stop += 1
            if stop > start + 1:
                text = "".join([piece[0] for piece in pieces[start:stop]])
        out.append(segment(text, inserted, deleted, change, note, marks, href))
        start = stop
    return tuple(out)


BLOCK_HANDLERS: dict[str, Handler] = {
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
}
