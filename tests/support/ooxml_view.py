"""A small reader of WordprocessingML revision marks, written for the tests independently of the writer.

It reads word/document.xml and word/footnotes.xml of a .docx and gives, paragraph by paragraph, the text with
all changes accepted or rejected, and every revision with its author and date. Moved text reads as deleted where it
moved from and inserted where it moved to (with the move's name), a formatting change (w:rPrChange) as the run's
formatting before and after, a paragraph kind change (w:pPrChange) as its style and numbering before.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import SUMMARY_STYLE_IDS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Segment:
    text: str
    kind: str  # "plain", "ins", "del" (moved text too: "del" where it moved from, "ins" where it moved to)
    author: str = ""
    date: str = ""
    move: str = ""  # the name of the move (w:moveFrom / w:moveTo) holding it
    formatting: str = ""  # its formatting ("b i", see _formatting)
    was: str | None = None  # with a w:rPrChange: its formatting before
    formatted_by: str = ""


@dataclass
class Para:
    segments: list[Segment] = field(default_factory=list)
    mark: str = "plain"  # "plain", "ins", "del"
    mark_author: str = ""
    mark_move: str = ""
    row: str = "plain"  # for a table cell paragraph: its row's revision
    style: str = ""
    part: str = "document"
    numbering: str = ""  # "numId/ilvl" of its w:numPr
    was: str | None = None  # with a w:pPrChange: its style and numbering before ("BodyText", "ListParagraph 1/0")
    kind_author: str = ""


@dataclass
class Revision:
    tag: str
    id: str
    author: str
    date: str
    text: str


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _seg_text(r: etree._Element) -> str:
    out = []
    for c in r.iter():
        if c.tag in (W + "t", W + "delText"):
            out.append(c.text or "")
        elif c.tag == W + "br":
            out.append("\n")
        elif c.tag == W + "tab":
            out.append("\t")
        elif c.tag == W + "footnoteReference":
            out.append(f"[^{c.get(W + 'id')}]")
    return "".join(out)


_CHANGES = {"ins": "ins", "del": "del", "moveFrom": "del", "moveTo": "ins"}


def _formatting(rpr: etree._Element | None) -> str:
    """A run's formatting in short: b, i, strike, and its character style (code, link)."""
    if rpr is None:
        return ""
    out = [tag for tag in ("b", "i", "strike") if rpr.find(W + tag) is not None]
    style = rpr.find(W + "rStyle")
    if style is not None and style.get(W + "val") in ("VerbatimChar", "Hyperlink"):
        out.append("code" if style.get(W + "val") == "VerbatimChar" else "link")
    return " ".join(out)


def _numbering(ppr: etree._Element) -> str:
    num = ppr.find(W + "numPr")
    if num is None:
        return ""
    ilvl, num_id = num.find(W + "ilvl"), num.find(W + "numId")
    return f"{num_id.get(W + 'val') if num_id is not None else ''}/{ilvl.get(W + 'val') if ilvl is not None else ''}"


def _paragraph(p: etree._Element, row: str, part: str) -> Para:
    para = Para(row=row, part=part)
    ppr = p.find(W + "pPr")
    if ppr is not None:
        st = ppr.find(W + "pStyle")
        para.style = st.get(W + "val", "") if st is not None else ""
        para.numbering = _numbering(ppr)
        rpr = ppr.find(W + "rPr")
        if rpr is not None:
            for tag in ("ins", "moveTo", "moveFrom", "del"):  # the last one found decides (del after moveTo)
                m = rpr.find(W + tag)
                if m is not None:
                    para.mark = _CHANGES[tag]
                    para.mark_author = m.get(W + "author", "")
                    if tag.startswith("move"):
                        para.mark_move = tag
        change = ppr.find(W + "pPrChange")
        if change is not None:
            before = change.find(W + "pPr")
            style = before.find(W + "pStyle") if before is not None else None
            numbering = _numbering(before) if before is not None else ""
            was = style.get(W + "val", "") if style is not None else ""
            para.was = f"{was} {numbering}".strip()
            para.kind_author = change.get(W + "author", "")

    def walk(node: etree._Element, kind: str, author: str, date: str, move: str) -> None:
        for c in node:
            if c.tag == W + "r":
                text = _seg_text(c)
                if text:
                    rpr = c.find(W + "rPr")
                    seg = Segment(text, kind, author, date, move, _formatting(rpr))
                    change = rpr.find(W + "rPrChange") if rpr is not None else None
                    if change is not None:
                        seg.was = _formatting(change.find(W + "rPr"))
                        seg.formatted_by = change.get(W + "author", "")
                    para.segments.append(seg)
            elif c.tag in (W + "ins", W + "del", W + "moveFrom", W + "moveTo"):
                tag = c.tag[len(W) :]
                name = tag if tag.startswith("move") else move
                walk(c, _CHANGES[tag], c.get(W + "author", ""), c.get(W + "date", ""), name)
            elif c.tag in (W + "hyperlink", W + "smartTag", W + "fldSimple"):
                walk(c, kind, author, date, move)
            elif c.tag == W + "sdt":
                content = c.find(W + "sdtContent")
                if content is not None:
                    walk(content, kind, author, date, move)

    walk(p, "plain", "", "", "")
    return para


def read_paragraphs(path: Path, *, summary: bool = False) -> list[Para]:
    """Body paragraphs (table cells row-major, in place), then footnote paragraphs; the first page of a redline
    (its summary) only with `summary`."""
    return [p for p in _all_paragraphs(path) if summary or p.style not in SUMMARY_STYLE_IDS]


def _all_paragraphs(path: Path) -> list[Para]:
    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("word/document.xml"), _parser())
        notes = (
            etree.fromstring(z.read("word/footnotes.xml"), _parser()) if "word/footnotes.xml" in z.namelist() else None
        )
    paras: list[Para] = []
    body = doc.find(W + "body")
    assert body is not None
    for el in body:
        if el.tag == W + "p":
            paras.append(_paragraph(el, "plain", "document"))
        elif el.tag == W + "tbl":
            for tr in el.iter(W + "tr"):
                trpr = tr.find(W + "trPr")
                row = "plain"
                if trpr is not None:
                    if trpr.find(W + "ins") is not None:
                        row = "ins"
                    if trpr.find(W + "del") is not None:
                        row = "del"
                for tc in tr.findall(W + "tc"):
                    for p in tc.findall(W + "p"):
                        paras.append(_paragraph(p, row, "document"))
    if notes is not None:
        for fn in notes.findall(W + "footnote"):
            if fn.get(W + "type") in ("separator", "continuationSeparator"):
                continue
            for p in fn.findall(W + "p"):
                paras.append(_paragraph(p, "plain", "footnotes"))
    return paras


def view(paras: list[Para], mode: str) -> list[str]:
    """Paragraph texts with all changes accepted ('accept') or rejected ('reject'); empty ones dropped."""
    drop = "del" if mode == "accept" else "ins"
    out: list[str] = []
    pending = ""
    for p in paras:
        if p.row == drop:
            continue
        text = pending + "".join(s.text for s in p.segments if s.kind != drop)
        if p.mark == drop and p.row == "plain":
            pending = text  # the paragraph mark goes: this text joins the next paragraph
            continue
        pending = ""
        out.append(text)
    if pending:
        out.append(pending)
    return [t for t in out if t.strip()]


REVISION_TAGS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange")


def revisions(path: Path) -> list[Revision]:
    """Every w:ins/w:del/w:moveFrom/w:moveTo/w:rPrChange/w:pPrChange (runs, paragraph marks, rows) in document and
    footnotes, with its text."""
    out: list[Revision] = []
    with zipfile.ZipFile(path) as z:
        for name in ("word/document.xml", "word/footnotes.xml"):
            if name not in z.namelist():
                continue
            root = etree.fromstring(z.read(name), _parser())
            for tag in REVISION_TAGS:
                for e in root.iter(W + tag):
                    text = "".join(_seg_text(r) for r in e.iter(W + "r"))
                    out.append(Revision(tag, e.get(W + "id", ""), e.get(W + "author", ""), e.get(W + "date", ""), text))
    return out


def _segment(s: Segment) -> str:
    text = s.text
    if s.was is not None:  # formatted anew: <<text|before>after|Source>>
        text = f"<<{text}|{s.was or 'plain'}>{s.formatting or 'plain'}|{s.formatted_by}>>"
    if s.kind == "ins":
        return f"{{>{text}>|{s.author}}}" if s.move == "moveTo" else f"{{+{text}+|{s.author}}}"
    if s.kind == "del":
        if s.move == "moveFrom":
            return f"[<{text}<|{s.author}]"
        return f"{{>[-{text}-|{s.author}]>}}" if s.move == "moveTo" else f"[-{text}-|{s.author}]"
    return text


def notation(paras: list[Para]) -> str:
    """A reviewable text form: {+inserted+|Source} [-deleted-|Source], moved from [<text<|Source] and to
    {>text>|Source} (a deletion inside a move {>[-text-|Source]>}), <<text|plain>b|Source>> formatted anew, marks as
    ¶, rows as +row/-row, a style changed as "Heading2 (was BodyText|Source): ..."."""
    lines = []
    for p in paras:
        line = "".join(_segment(s) for s in p.segments)
        if p.mark == "ins":
            line += f"{{>¶>|{p.mark_author}}}" if p.mark_move == "moveTo" else f"{{+¶+|{p.mark_author}}}"
        elif p.mark == "del":
            line += f"[<¶<|{p.mark_author}]" if p.mark_move == "moveFrom" else f"[-¶-|{p.mark_author}]"
        style = p.style if p.was is None else f"{p.style} {p.numbering}".strip() + f" (was {p.was}|{p.kind_author})"
        prefix = f"{style}: " if style else ""
        if p.row != "plain":
            prefix = f"{p.row}-row {prefix}"
        if p.part != "document":
            prefix = f"[{p.part}] {prefix}"
        lines.append(prefix + line)
    return "\n".join(lines) + "\n"
