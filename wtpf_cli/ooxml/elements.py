"""Small builders for WordprocessingML elements; each docstring starts with the tag it makes."""

from __future__ import annotations

from lxml import etree

from wtpf_cli.ooxml.wordml import W_NS

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"w": W_NS, "r": R_NS}

Element = etree._Element


def w(tag: str) -> str:
    """The Clark name of a w: tag."""
    return f"{{{W_NS}}}{tag}"


def el(tag: str, attrs: dict[str, str] | None = None, *children: Element) -> Element:
    """<w:TAG w:attr=...> with children; attribute names are w: names unless they contain '{'."""
    e = etree.Element(w(tag), nsmap=NSMAP)
    for k, v in (attrs or {}).items():
        e.set(k if k.startswith("{") else w(k), v)
    for c in children:
        e.append(c)
    return e


def val(tag: str, value: str) -> Element:
    """<w:TAG w:val="value"/>."""
    return el(tag, {"val": value})


def text(content: str, *, deleted: bool = False) -> Element:
    """<w:t> or <w:delText> (ECMA-376 17.3.3.7: deleted run content must be delText), spaces preserved."""
    e = el("delText" if deleted else "t")
    e.text = content
    if content[:1].isspace() or content[-1:].isspace():
        e.set(f"{{{XML_NS}}}space", "preserve")
    return e


def run_properties(
    style: str | None = None,
    *,
    bold: bool = False,
    italic: bool = False,
    strike: bool = False,
    mono: bool = False,
    rtl: bool = False,
    change: Element | None = None,
) -> Element | None:
    """<w:rPr> in schema order (rStyle, rFonts, b, bCs, i, iCs, strike, rtl, rPrChange), or None when empty; a
    right-to-left run (rtl) is bold and italic by bCs and iCs too, which Word applies to complex scripts (ECMA-376
    17.3.2.2)."""
    children: list[Element] = []
    if style:
        children.append(val("rStyle", style))
    if mono:
        children.append(el("rFonts", {"ascii": "Courier New", "hAnsi": "Courier New", "cs": "Courier New"}))
    if bold:
        children.append(el("b"))
        if rtl:
            children.append(el("bCs"))
    if italic:
        children.append(el("i"))
        if rtl:
            children.append(el("iCs"))
    if strike:
        children.append(el("strike"))
    if rtl:
        children.append(el("rtl"))  # ECMA-376 17.3.2.30: the run's text is laid out right to left
    if change is not None:
        children.append(change)
    return el("rPr", None, *children) if children else None


def format_change(rev_id: int, author: str, date: str, previous: Element | None) -> Element:
    """<w:rPrChange> holding the run's properties before (ECMA-376 17.13.5.31; an empty <w:rPr/> for none)."""
    return revision("rPrChange", rev_id, author, date, previous if previous is not None else el("rPr"))


def kind_change(rev_id: int, author: str, date: str, previous: Element) -> Element:
    """<w:pPrChange> holding the paragraph's properties before (ECMA-376 17.13.5.29), a <w:pPr> without rPr."""
    return revision("pPrChange", rev_id, author, date, previous)


def move_range_start(tag: str, range_id: int, author: str, date: str, name: str) -> Element:
    """<w:moveFromRangeStart> or <w:moveToRangeStart> (ECMA-376 17.13.5.24, 17.13.5.28): where a named move's
    source or destination begins; its name pairs the two."""
    attrs = {"id": str(range_id), "author": author}
    if date:
        attrs["date"] = date
    attrs["name"] = name
    return el(tag, attrs)


def move_range_end(tag: str, range_id: int) -> Element:
    """<w:moveFromRangeEnd> or <w:moveToRangeEnd> (ECMA-376 17.13.5.23, 17.13.5.27): where it ends."""
    return el(tag, {"id": str(range_id)})


def run(content: str, rpr: Element | None = None, *, deleted: bool = False) -> Element:
    """<w:r> holding text; a newline becomes <w:br/>."""
    r = el("r")
    if rpr is not None:
        r.append(rpr)
    for k, line in enumerate(content.split("\n")):
        if k:
            r.append(el("br"))
        if line:
            r.append(text(line, deleted=deleted))
    return r


def page_break_run() -> Element:
    """<w:r> with <w:br w:type="page"/>: what follows starts a new page."""
    return el("r", None, el("br", {"type": "page"}))


def footnote_reference_run(note_id: int) -> Element:
    """<w:r> with <w:footnoteReference w:id=N/> in the FootnoteReference style."""
    return el(
        "r",
        None,
        el("rPr", None, val("rStyle", "FootnoteReference")),
        el("footnoteReference", {"id": str(note_id)}),
    )


def footnote_ref_mark_run() -> Element:
    """<w:r> with <w:footnoteRef/>: the number at the start of a footnote's text."""
    return el("r", None, el("rPr", None, val("rStyle", "FootnoteReference")), el("footnoteRef"))


def revision(tag: str, rev_id: int, author: str, date: str, *children: Element) -> Element:
    """<w:ins> or <w:del> (or any w:CT_TrackChange tag) with id, author and date."""
    attrs = {"id": str(rev_id), "author": author}
    if date:
        attrs["date"] = date
    return el(tag, attrs, *children)


def ins(rev_id: int, author: str, date: str, *children: Element) -> Element:
    """<w:ins> around inserted runs (ECMA-376 17.13.5.18)."""
    return revision("ins", rev_id, author, date, *children)


def delete(rev_id: int, author: str, date: str, *children: Element) -> Element:
    """<w:del> around deleted runs (ECMA-376 17.13.5.14)."""
    return revision("del", rev_id, author, date, *children)


def paragraph_properties(
    style: str,
    *,
    num: tuple[int, int] | None = None,
    jc: str | None = None,
    mark: Element | list[Element] | None = None,
    bidi: bool = False,
    keep_next: bool = False,
    change: Element | None = None,
    section: Element | None = None,
) -> Element:
    """<w:pPr>: pStyle, keepNext, numPr (ilvl, numId), bidi, jc, rPr holding the paragraph mark's revisions, the
    sectPr of a section ending here, and pPrChange, in schema order."""
    ppr = el("pPr", None, val("pStyle", style))
    if keep_next:  # ECMA-376 17.3.1.15: on the same page as the next paragraph (a caption with its table)
        ppr.append(el("keepNext"))
    if num is not None:
        ilvl, num_id = num
        ppr.append(el("numPr", None, val("ilvl", str(ilvl)), val("numId", str(num_id))))
    if bidi:
        ppr.append(el("bidi"))  # ECMA-376 17.3.1.6: a right-to-left paragraph
    if jc:
        ppr.append(val("jc", jc))
    if mark is not None:
        # ECMA-376 17.13.5.15/17.13.5.16: an inserted or deleted paragraph mark is w:ins/w:del in pPr/rPr (a moved
        # one w:moveFrom/w:moveTo, 17.13.5.21/17.13.5.26; in the order ins, del, moveFrom, moveTo).
        ppr.append(el("rPr", None, *(mark if isinstance(mark, list) else [mark])))
    if section is not None:
        ppr.append(section)
    if change is not None:
        ppr.append(change)
    return ppr


def paragraph(ppr: Element, *content: Element) -> Element:
    """<w:p> with properties and content."""
    return el("p", None, ppr, *content)


def hyperlink(rel_id: str, *content: Element) -> Element:
    """<w:hyperlink r:id=...>; revisions go inside it, never around it."""
    h = el("hyperlink")
    h.set(f"{{{R_NS}}}id", rel_id)
    for c in content:
        h.append(c)
    return h


def table_properties(style: str, *, bidi_visual: bool = False) -> Element:
    """<w:tblPr> with the table style, bidiVisual for a table laid out right to left (its first column on the
    right, ECMA-376 17.4.1), full width and the usual look flags."""
    return el(
        "tblPr",
        None,
        val("tblStyle", style),
        *([el("bidiVisual")] if bidi_visual else []),
        el("tblW", {"w": "5000", "type": "pct"}),
        el(
            "tblLook",
            {
                "val": "04A0",
                "firstRow": "1",
                "lastRow": "0",
                "firstColumn": "0",
                "lastColumn": "0",
                "noHBand": "0",
                "noVBand": "1",
            },
        ),
    )


def table_grid(widths: list[int]) -> Element:
    """<w:tblGrid> with one gridCol per column (twips)."""
    return el("tblGrid", None, *(el("gridCol", {"w": str(x)}) for x in widths))


def table_row(cells: list[Element], *, header: bool = False, mark: Element | None = None) -> Element:
    """<w:tr> with trPr: cantSplit (a row never breaks across pages, ECMA-376 17.4.6), tblHeader for heading rows,
    w:ins/w:del for a row inserted or deleted (17.13.5.x)."""
    tr = el("tr")
    props: list[Element] = [el("cantSplit")]
    if header:
        props.append(el("tblHeader"))
    if mark is not None:
        props.append(mark)
    tr.append(el("trPr", None, *props))
    for c in cells:
        tr.append(c)
    return tr


def table_cell(width: int, *paragraphs: Element) -> Element:
    """<w:tc> with its width and paragraphs (a cell must hold at least one w:p)."""
    return el("tc", None, el("tcPr", None, el("tcW", {"w": str(width), "type": "dxa"})), *paragraphs)


def footnote(note_id: int, *paragraphs: Element) -> Element:
    """<w:footnote w:id=N> holding paragraphs."""
    return el("footnote", {"id": str(note_id)}, *paragraphs)


def comment_range_start(comment_id: int) -> Element:
    """<w:commentRangeStart w:id=N/>: where the commented words begin (ECMA-376 17.13.4.4)."""
    return el("commentRangeStart", {"id": str(comment_id)})


def comment_range_end(comment_id: int) -> Element:
    """<w:commentRangeEnd w:id=N/>: where the commented words end."""
    return el("commentRangeEnd", {"id": str(comment_id)})


def comment_reference_run(comment_id: int) -> Element:
    """<w:r> with <w:commentReference w:id=N/> in the CommentReference style, after the range end."""
    return el(
        "r", None, el("rPr", None, val("rStyle", "CommentReference")), el("commentReference", {"id": str(comment_id)})
    )


def comment(comment_id: int, author: str, date: str, initials: str, content: str) -> Element:
    """<w:comment> with id, author, date and initials, holding one CommentText paragraph per line of text."""
    attrs = {"id": str(comment_id), "author": author, "initials": initials or author[:3]}
    if date:
        attrs["date"] = date
    paragraphs = []
    for k, line in enumerate(content.split("\n") or [""]):
        lead = (
            [el("r", None, el("rPr", None, val("rStyle", "CommentReference")), el("annotationRef"))] if k == 0 else []
        )
        paragraphs.append(paragraph(paragraph_properties("CommentText"), *lead, run(line)))
    return el("comment", attrs, *paragraphs)
