"""A small reader of WordprocessingML revision marks, written for the tests independently of the writer.

It reads word/document.xml and word/footnotes.xml of a .docx and gives, paragraph by paragraph, the text with
all changes accepted or rejected, and every revision with its author and date.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Segment:
    text: str
    kind: str  # "plain", "ins", "del"
    author: str = ""
    date: str = ""


@dataclass
class Para:
    segments: list[Segment] = field(default_factory=list)
    mark: str = "plain"  # "plain", "ins", "del"
    mark_author: str = ""
    row: str = "plain"  # for a table cell paragraph: its row's revision
    style: str = ""
    part: str = "document"


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


def _paragraph(p: etree._Element, row: str, part: str) -> Para:
    para = Para(row=row, part=part)
    ppr = p.find(W + "pPr")
    if ppr is not None:
        st = ppr.find(W + "pStyle")
        para.style = st.get(W + "val", "") if st is not None else ""
        rpr = ppr.find(W + "rPr")
        if rpr is not None:
            for tag, kind in (("ins", "ins"), ("del", "del")):
                m = rpr.find(W + tag)
                if m is not None:
                    para.mark = kind
                    para.mark_author = m.get(W + "author", "")

    def walk(node: etree._Element, kind: str, author: str, date: str) -> None:
        for c in node:
            if c.tag == W + "r":
                text = _seg_text(c)
                if text:
                    para.segments.append(Segment(text, kind, author, date))
            elif c.tag in (W + "ins", W + "del"):
                k = "ins" if c.tag == W + "ins" else "del"
                walk(c, k, c.get(W + "author", ""), c.get(W + "date", ""))
            elif c.tag in (W + "hyperlink", W + "smartTag", W + "fldSimple"):
                walk(c, kind, author, date)
            elif c.tag == W + "sdt":
                content = c.find(W + "sdtContent")
                if content is not None:
                    walk(content, kind, author, date)

    walk(p, "plain", "", "")
    return para


def read_paragraphs(path: Path) -> list[Para]:
    """Body paragraphs (table cells row-major, in place), then footnote paragraphs."""
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


def revisions(path: Path) -> list[Revision]:
    """Every w:ins/w:del (runs, paragraph marks, rows) in document and footnotes, with its text."""
    out: list[Revision] = []
    with zipfile.ZipFile(path) as z:
        for name in ("word/document.xml", "word/footnotes.xml"):
            if name not in z.namelist():
                continue
            root = etree.fromstring(z.read(name), _parser())
            for tag in ("ins", "del"):
                for e in root.iter(W + tag):
                    text = "".join(_seg_text(r) for r in e.iter(W + "r"))
                    out.append(Revision(tag, e.get(W + "id", ""), e.get(W + "author", ""), e.get(W + "date", ""), text))
    return out


def notation(paras: list[Para]) -> str:
    """A reviewable text form: {+inserted+|Source} [-deleted-|Source], marks as ¶, rows as +row/-row."""
    lines = []
    for p in paras:
        parts = []
        for s in p.segments:
            if s.kind == "ins":
                parts.append(f"{{+{s.text}+|{s.author}}}")
            elif s.kind == "del":
                parts.append(f"[-{s.text}-|{s.author}]")
            else:
                parts.append(s.text)
        line = "".join(parts)
        if p.mark == "ins":
            line += f"{{+¶+|{p.mark_author}}}"
        elif p.mark == "del":
            line += f"[-¶-|{p.mark_author}]"
        prefix = f"{p.style}: " if p.style else ""
        if p.row != "plain":
            prefix = f"{p.row}-row {prefix}"
        if p.part != "document":
            prefix = f"[{p.part}] {prefix}"
        lines.append(prefix + line)
    return "\n".join(lines) + "\n"
