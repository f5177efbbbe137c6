"""Speed only: the element builders of elements.py as XML text, for the writer's hot path; each docstring starts
with the tag.

Each function returns exactly what lxml serializes for its twin in elements.py placed under a root that declares
the w: and r: prefixes (tests/test_elements.py checks every pair), so that a document is byte-identical whichever
path made it. Building text instead of lxml elements, one C call per element, is what makes rendering a large
document fast. Text that lxml would refuse (control characters) is passed to the element builder, which raises
lxml's own error.
"""

from __future__ import annotations

import re

from wtpf_cli.ooxml import elements as E

# What lxml refuses in text and attribute values: C0 controls but tab, LF and CR; U+FFFE and U+FFFF; surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)


def escape_text(content: str) -> str:
    """Character data as lxml writes it (&, <, > and CR escaped); refuses what lxml refuses."""
    if _NOT_XML.search(content):
        E.text(content)  # raises lxml's ValueError (or UnicodeEncodeError for a lone surrogate)
    if "&" in content or "<" in content or ">" in content or "\r" in content:
        return content.translate(_TEXT_ESCAPES)
    return content


def escape_attr(value: str) -> str:
    """An attribute value as lxml writes it between double quotes."""
    if _NOT_XML.search(value):
        E.el("t", {"val": value})  # raises lxml's error
    return value.translate(_ATTR_ESCAPES)


def _t(line: str, deleted: bool) -> str:
    tag = "w:delText" if deleted else "w:t"
    space = ' xml:space="preserve"' if line[:1].isspace() or line[-1:].isspace() else ""
    return f"<{tag}{space}>{escape_text(line)}</{tag}>"


def run_properties(
    style: str | None = None,
    *,
    bold: bool = False,
    italic: bool = False,
    strike: bool = False,
    mono: bool = False,
    rtl: bool = False,
    change: str = "",
) -> str:
    """<w:rPr> in schema order (rStyle, rFonts, b, bCs, i, iCs, strike, rtl, rPrChange), or '' when empty; a
    right-to-left run (rtl) is bold and italic by bCs and iCs too."""
    parts = []
    if style:
        parts.append(f'<w:rStyle w:val="{escape_attr(style)}"/>')
    if mono:
        parts.append('<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>" if rtl else "<w:b/>")
    if italic:
        parts.append("<w:i/><w:iCs/>" if rtl else "<w:i/>")
    if strike:
        parts.append("<w:strike/>")
    if rtl:
        parts.append("<w:rtl/>")
    if change:
        parts.append(change)
    return "<w:rPr>" + "".join(parts) + "</w:rPr>" if parts else ""


def format_change(rev_id: int, author: str, date: str, previous: str) -> str:
    """<w:rPrChange> holding the run's properties before (ECMA-376 17.13.5.31; an empty <w:rPr/> for none)."""
    return revision("rPrChange", rev_id, author, date, previous or "<w:rPr/>")


def kind_change(rev_id: int, author: str, date: str, previous: str) -> str:
    """<w:pPrChange> holding the paragraph's properties before (ECMA-376 17.13.5.29), a <w:pPr> without rPr."""
    return revision("pPrChange", rev_id, author, date, previous)


def move_range_start(tag: str, range_id: int, author: str, date: str, name: str) -> str:
    """<w:moveFromRangeStart> or <w:moveToRangeStart> (ECMA-376 17.13.5.24, 17.13.5.28): where a named move's
    source or destination begins; its name pairs the two."""
    dated = f' w:date="{escape_attr(date)}"' if date else ""
    return f'<w:{tag} w:id="{range_id}" w:author="{escape_attr(author)}"{dated} w:name="{escape_attr(name)}"/>'


def move_range_end(tag: str, range_id: int) -> str:
    """<w:moveFromRangeEnd> or <w:moveToRangeEnd> (ECMA-376 17.13.5.23, 17.13.5.27): where it ends."""
    return f'<w:{tag} w:id="{range_id}"/>'


def run(content: str, rpr: str = "", *, deleted: bool = False) -> str:
    """<w:r> holding text; a newline becomes <w:br/> (`rpr` from run_properties)."""
    if "\n" in content:
        inner = "<w:br/>".join(_t(line, deleted) if line else "" for line in content.split("\n"))
    else:
        inner = _t(content, deleted) if content else ""
    return f"<w:r>{rpr}{inner}</w:r>" if rpr or inner else "<w:r/>"


def page_break_run() -> str:
    """<w:r> with <w:br w:type="page"/>: what follows starts a new page."""
    return '<w:r><w:br w:type="page"/></w:r>'


def footnote_reference_run(note_id: int) -> str:
    """<w:r> with <w:footnoteReference w:id=N/> in the FootnoteReference style."""
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'


FOOTNOTE_REF_MARK_RUN = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'


def footnote_ref_mark_run() -> str:
    """<w:r> with <w:footnoteRef/>: the number at the start of a footnote's text."""
    return FOOTNOTE_REF_MARK_RUN


def revision(tag: str, rev_id: int, author: str, date: str, content: str = "") -> str:
    """<w:ins> or <w:del> (or any w:CT_TrackChange tag) with id, author and date, around `content`."""
    dated = f' w:date="{escape_attr(date)}"' if date else ""
    head = f'<w:{tag} w:id="{rev_id}" w:author="{escape_attr(author)}"{dated}'
    return f"{head}>{content}</w:{tag}>" if content else head + "/>"


def ins(rev_id: int, author: str, date: str, content: str = "") -> str:
    """<w:ins> around inserted runs (ECMA-376 17.13.5.18)."""
    return revision("ins", rev_id, author, date, content)


def delete(rev_id: int, author: str, date: str, content: str = "") -> str:
    """<w:del> around deleted runs (ECMA-376 17.13.5.14)."""
    return revision("del", rev_id, author, date, content)


def paragraph_properties(
    style: str,
    *,
    num: tuple[int, int] | None = None,
    jc: str | None = None,
    mark: str = "",
    bidi: bool = False,
    keep_next: bool = False,
    change: str = "",
    section: str = "",
) -> str:
    """<w:pPr>: pStyle, keepNext, numPr (ilvl, numId), bidi, jc, rPr holding the paragraph mark's revisions, the
    sectPr of a section ending here, and pPrChange, in schema order."""
    out = f'<w:pPr><w:pStyle w:val="{escape_attr(style)}"/>'
    if keep_next:  # ECMA-376 17.3.1.15: on the same page as the next paragraph (a caption with its table)
        out += "<w:keepNext/>"
    if num is not None:
        out += f'<w:numPr><w:ilvl w:val="{num[0]}"/><w:numId w:val="{num[1]}"/></w:numPr>'
    if bidi:
        out += "<w:bidi/>"
    if jc:
        out += f'<w:jc w:val="{escape_attr(jc)}"/>'
    if mark:
        # ECMA-376 17.13.5.15/17.13.5.16: an inserted or deleted paragraph mark is w:ins/w:del in pPr/rPr (a moved
        # one w:moveFrom/w:moveTo, 17.13.5.21/17.13.5.26; in the order ins, del, moveFrom, moveTo).
        out += f"<w:rPr>{mark}</w:rPr>"
    return out + section + change + "</w:pPr>"


def paragraph(ppr: str, content: str = "") -> str:
    """<w:p> with properties and content."""
    return f"<w:p>{ppr}{content}</w:p>"


def hyperlink(rel_id: str, content: str = "") -> str:
    """<w:hyperlink r:id=...>; revisions go inside it, never around it."""
    head = f'<w:hyperlink r:id="{escape_attr(rel_id)}"'
    return f"{head}>{content}</w:hyperlink>" if content else head + "/>"


TABLE_LOOK = (
    '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" '
    'w:noVBand="1"/>'
)


def table_properties(style: str, *, bidi_visual: bool = False) -> str:
    """<w:tblPr> with the table style, bidiVisual for a table laid out right to left, full width and the usual
    look flags."""
    bidi = "<w:bidiVisual/>" if bidi_visual else ""
    width = '<w:tblW w:w="5000" w:type="pct"/>'
    return f'<w:tblPr><w:tblStyle w:val="{escape_attr(style)}"/>{bidi}{width}{TABLE_LOOK}</w:tblPr>'


def table_grid(widths: list[int]) -> str:
    """<w:tblGrid> with one gridCol per column (twips)."""
    cols = "".join(f'<w:gridCol w:w="{x}"/>' for x in widths)
    return f"<w:tblGrid>{cols}</w:tblGrid>" if cols else "<w:tblGrid/>"


def table_row(cells: list[str], *, header: bool = False, mark: str = "") -> str:
    """<w:tr> with trPr: cantSplit (a row never breaks across pages, ECMA-376 17.4.6), tblHeader for heading rows,
    w:ins/w:del for a row inserted or deleted (17.13.5.x)."""
    props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + mark
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def table_cell(width: int, content: str) -> str:
    """<w:tc> with its width and paragraphs (a cell must hold at least one w:p)."""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'


def table(content: str) -> str:
    """<w:tbl> around its properties, grid and rows."""
    return f"<w:tbl>{content}</w:tbl>"


def footnote(note_id: int, content: str) -> str:
    """<w:footnote w:id=N> holding paragraphs."""
    return f'<w:footnote w:id="{note_id}">{content}</w:footnote>' if content else f'<w:footnote w:id="{note_id}"/>'


def comment_range_start(comment_id: int) -> str:
    """<w:commentRangeStart w:id=N/>: where the commented words begin (ECMA-376 17.13.4.4)."""
    return f'<w:commentRangeStart w:id="{comment_id}"/>'


def comment_range_end(comment_id: int) -> str:
    """<w:commentRangeEnd w:id=N/>: where the commented words end."""
    return f'<w:commentRangeEnd w:id="{comment_id}"/>'


def comment_reference_run(comment_id: int) -> str:
    """<w:r> with <w:commentReference w:id=N/> in the CommentReference style, after the range end."""
    return f'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="{comment_id}"/></w:r>'
