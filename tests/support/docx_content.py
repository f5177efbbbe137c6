"""What a .docx holds, read from its XML for the tests: blocks, lists, rows, notes, formatting and tracked changes.

Independent of LibreOffice and of wtpf. ``read_content(path)`` gives the body as paragraphs and tables (rows,
cells), the footnotes and the comments, each run with its tracked change (``w:ins``, ``w:del``, ``w:moveFrom``,
``w:moveTo`` and who made it), bold, italic, a formatting change (``w:rPrChange``), link target and footnote
reference; each paragraph with its style, list (``w:numPr``), paragraph-mark change and ``w:pPrChange``.

``Content.lines()`` is a normalised text view, one line per paragraph or row (after the custom document
properties), that leaves out what a writer may choose freely (revision, comment and footnote ids, dates,
rsids, run splits, zip entries): two files with the same lines hold the same thing. Notation::

    ¶ Heading1 | 1 Introduction                       a paragraph: its style | its text
    ¶ ListParagraph list=2:decimal@1 | ...             numId 2 (its numbering format at level 1)
    ¶ TextBody mark=ins:A pPr=A:Heading1 | ...         paragraph mark inserted by A; style changed by A from Heading1
    {+new+|A} {-old-|A} {>moved>|A} {<moved<|A}        inserted, deleted, moved to, moved from, by A
    **bold** *italic* {~reformatted~|A} [words](url)   formatting, a formatting change by A, a link
    [^1]  ⟦c1 ... ⟧                                    a footnote reference (1st note), a comment's range
    row mark=ins:A | cell | cell                       a table row, inserted by A
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
CHANGES = {"ins": "+", "del": "-", "moveTo": ">", "moveFrom": "<"}
HIDDEN = {"accept": ("del", "moveFrom"), "reject": ("ins", "moveTo"), "none": ()}
ZWJ = "\u200d"


@dataclass(frozen=True)
class Run:
    """A piece of text with one set of attributes."""

    text: str
    change: tuple[str, str] | None = None  # ("ins" | "del" | "moveTo" | "moveFrom", author)
    bold: bool = False
    italic: bool = False
    reformatted_by: str | None = None  # the author of a w:rPrChange
    link: str | None = None
    note: int | None = None  # a footnote reference: the note's place among the notes (1, 2, ...)
    comment: str | None = None  # "⟦c1" or "⟧": a comment range starts or ends

    def render(self) -> str:
        if self.note is not None:
            text = f"[^{self.note}]"
        elif self.comment is not None:
            text = self.comment
        else:
            text = self.text.replace(ZWJ, "<ZWJ>")
            text = f"**{text}**" if self.bold else text
            text = f"*{text}*" if self.italic else text
            text = f"[{text}]({self.link})" if self.link else text
        if self.reformatted_by is not None:
            text = f"{{~{text}~|{self.reformatted_by}}}"
        if self.change is not None:
            sign = CHANGES[self.change[0]]
            text = f"{{{sign}{text}{sign}|{self.change[1]}}}"
        return text


@dataclass
class Paragraph:
    style: str = ""
    numbering: tuple[str, str, int] | None = None  # (numId, numFmt at its level, level)
    mark: tuple[str, str] | None = None  # the paragraph mark's change
    style_change: tuple[str, str] | None = None  # (author, the style before) of a w:pPrChange
    runs: list[Run] = field(default_factory=list)

    def text(self, view: str = "accept") -> str:
        """The text with the changes accepted, rejected (``"reject"``) or all shown (``"none"``)."""
        hidden = HIDDEN[view]
        return "".join(
            run.text for run in self.runs if run.note is None and not (run.change and run.change[0] in hidden)
        )

    def line(self) -> str:
        head = ["¶", self.style or "-"]
        if self.numbering is not None:
            num_id, fmt, level = self.numbering
            head.append(f"list={num_id}:{fmt}@{level}")
        if self.mark is not None:
            head.append(f"mark={self.mark[0]}:{self.mark[1]}")
        if self.style_change is not None:
            head.append(f"pPr={self.style_change[0]}:{self.style_change[1] or '-'}")
        return " ".join(head) + " | " + "".join(run.render() for run in merged(self.runs))


@dataclass
class Row:
    cells: list[list[Paragraph]]
    mark: tuple[str, str] | None = None

    def line(self) -> str:
        head = "row" + (f" mark={self.mark[0]}:{self.mark[1]}" if self.mark else "")
        cells = [" / ".join("".join(r.render() for r in merged(p.runs)) for p in cell) for cell in self.cells]
        return " | ".join([head, *cells])


@dataclass
class Table:
    rows: list[Row]


@dataclass
class Content:
    body: list[Paragraph | Table]
    footnotes: list[list[Paragraph]]  # in the order of footnotes.xml, separators left out
    comments: list[tuple[str, str]]  # (author, text) in the order of comments.xml
    track_revisions: bool
    properties: dict[str, str] = field(default_factory=dict)  # docProps/custom.xml: name → value

    def paragraphs(self) -> list[Paragraph]:
        """The body's paragraphs, table cells' included, in order."""
        out: list[Paragraph] = []
        for block in self.body:
            if isinstance(block, Paragraph):
                out.append(block)
            else:
                out.extend(p for row in block.rows for cell in row.cells for p in cell)
        return out

    def paragraph(self, needle: str, view: str = "accept") -> Paragraph:
        """The first body paragraph whose text in ``view`` holds ``needle``."""
        for paragraph in self.paragraphs():
            if needle in paragraph.text(view):
                return paragraph
        raise LookupError(f"no paragraph holds {needle!r} ({view})")

    def tables(self) -> list[Table]:
        return [block for block in self.body if isinstance(block, Table)]

    def runs(self) -> list[Run]:
        """Every run of the body and the notes."""
        paragraphs = self.paragraphs() + [p for note in self.footnotes for p in note]
        return [run for paragraph in paragraphs for run in paragraph.runs]

    def authors(self) -> set[str]:
        """Everyone a tracked change in the body or the notes names."""
        found = {run.change[1] for run in self.runs() if run.change}
        found |= {run.reformatted_by for run in self.runs() if run.reformatted_by is not None}
        for paragraph in self.paragraphs() + [p for note in self.footnotes for p in note]:
            found |= {paragraph.mark[1]} if paragraph.mark else set()
            found |= {paragraph.style_change[0]} if paragraph.style_change else set()
        found |= {row.mark[1] for table in self.tables() for row in table.rows if row.mark}
        return found

    def lines(self) -> list[str]:
        """The normalised text view (see the module's docstring)."""
        out = [f"trackRevisions={'on' if self.track_revisions else 'off'}"]
        out.extend(f"property {name} = {value}" for name, value in sorted(self.properties.items()))
        for block in self.body:
            if isinstance(block, Paragraph):
                out.append(block.line())
            else:
                out.append("table")
                out.extend("  " + row.line() for row in block.rows)
        for number, note in enumerate(self.footnotes, 1):
            out.extend(f"[^{number}]: " + p.line() for p in note)
        out.extend(f"comment {author}: {text}" for author, text in self.comments)
        return out


def merged(runs: list[Run]) -> list[Run]:
    """Neighbouring runs with the same attributes as one."""
    out: list[Run] = []
    for run in runs:
        if out and run.note is None and run.comment is None and out[-1].note is None and out[-1].comment is None:
            last = out[-1]
            if (last.change, last.bold, last.italic, last.reformatted_by, last.link) == (
                run.change,
                run.bold,
                run.italic,
                run.reformatted_by,
                run.link,
            ):
                out[-1] = Run(last.text + run.text, run.change, run.bold, run.italic, run.reformatted_by, run.link)
                continue
        out.append(run)
    return out


# -- reading ----------------------------------------------------------------------------------------------------


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def _on(element: etree._Element | None, tag: str) -> bool:
    """A toggle property (``w:b``, ``w:i``) that is there and not switched off."""
    if element is None:
        return False
    found = element.find(W + tag)
    return found is not None and found.get(W + "val", "true") not in ("false", "0", "off")


def _change(element: etree._Element | None) -> tuple[str, str] | None:
    """The first ``w:ins``/``w:del``/``w:moveFrom``/``w:moveTo`` child of ``element`` as (kind, author)."""
    if element is None:
        return None
    for child in element:
        kind = etree.QName(child).localname
        if kind in CHANGES:
            return kind, child.get(W + "author", "")
    return None


class _Reader:
    def __init__(self, package: zipfile.ZipFile) -> None:
        names = set(package.namelist())
        self.links: dict[str, str] = {}
        rels = "word/_rels/document.xml.rels"
        if rels in names:
            for rel in _parse(package.read(rels)):
                if rel.get("Type", "").endswith("/hyperlink"):
                    self.links[rel.get("Id", "")] = rel.get("Target", "")
        self.formats: dict[str, dict[int, str]] = {}
        if "word/numbering.xml" in names:
            self.formats = _numbering_formats(_parse(package.read("word/numbering.xml")))
        self.note_order: dict[str, int] = {}
        self.comment_order: dict[str, int] = {}

    def paragraph(self, p: etree._Element) -> Paragraph:
        para = Paragraph()
        ppr = p.find(W + "pPr")
        if ppr is not None:
            style = ppr.find(W + "pStyle")
            para.style = style.get(W + "val", "") if style is not None else ""
            num = ppr.find(W + "numPr")
            if num is not None and num.find(W + "numId") is not None:
                num_id = num.find(W + "numId").get(W + "val", "")  # type: ignore[union-attr]
                level_el = num.find(W + "ilvl")
                level = int(level_el.get(W + "val", "0")) if level_el is not None else 0
                para.numbering = (num_id, self.formats.get(num_id, {}).get(level, "?"), level)
            para.mark = _change(ppr.find(W + "rPr"))
            change = ppr.find(W + "pPrChange")
            if change is not None:
                old = change.find(f"{W}pPr/{W}pStyle")
                para.style_change = (change.get(W + "author", ""), old.get(W + "val", "") if old is not None else "")
        self.walk(p, para, None, None)
        return para

    def walk(self, node: etree._Element, para: Paragraph, change: tuple[str, str] | None, link: str | None) -> None:
        for child in node:
            kind = etree.QName(child).localname
            if kind == "r":
                self.run(child, para, change, link)
            elif kind in CHANGES:
                self.walk(child, para, (kind, child.get(W + "author", "")), link)
            elif kind == "hyperlink":
                target = self.links.get(child.get(R + "id", ""), "#" + child.get(W + "anchor", ""))
                self.walk(child, para, change, target)
            elif kind in ("smartTag", "fldSimple", "customXml"):
                self.walk(child, para, change, link)
            elif kind == "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.walk(content, para, change, link)
            elif kind == "commentRangeStart":
                number = self.comment_order.setdefault(child.get(W + "id", ""), len(self.comment_order) + 1)
                para.runs.append(Run("", change, comment=f"⟦c{number}"))
            elif kind == "commentRangeEnd":
                para.runs.append(Run("", change, comment="⟧"))

    def run(self, r: etree._Element, para: Paragraph, change: tuple[str, str] | None, link: str | None) -> None:
        rpr = r.find(W + "rPr")
        bold, italic = _on(rpr, "b"), _on(rpr, "i")
        reformat = rpr.find(W + "rPrChange") if rpr is not None else None
        by = reformat.get(W + "author", "") if reformat is not None else None
        for child in r:
            kind = etree.QName(child).localname
            if kind in ("t", "delText"):
                para.runs.append(Run(child.text or "", change, bold, italic, by, link))
            elif kind in ("tab", "br", "cr"):
                para.runs.append(Run("\t" if kind == "tab" else "\n", change, bold, italic, by, link))
            elif kind == "footnoteReference":
                number = self.note_order.setdefault(child.get(W + "id", ""), len(self.note_order) + 1)
                para.runs.append(Run("", change, reformatted_by=by, note=number))

    def body(self, body: etree._Element) -> list[Paragraph | Table]:
        out: list[Paragraph | Table] = []
        for element in body:
            if element.tag == W + "p":
                out.append(self.paragraph(element))
            elif element.tag == W + "tbl":
                rows = [
                    Row(
                        [[self.paragraph(p) for p in tc.iter(W + "p")] for tc in tr.findall(W + "tc")],
                        _change(tr.find(W + "trPr")),
                    )
                    for tr in element.findall(W + "tr")
                ]
                out.append(Table(rows))
            elif element.tag in (W + "sdt", W + "customXml"):
                content = element.find(W + "sdtContent")
                out.extend(self.body(content if content is not None else element))
        return out


def _numbering_formats(numbering: etree._Element) -> dict[str, dict[int, str]]:
    """numId → level → numFmt (``bullet``, ``decimal``...), through its abstract numbering and overrides."""
    abstract: dict[str, dict[int, str]] = {}
    for definition in numbering.findall(W + "abstractNum"):
        levels = {}
        for lvl in definition.findall(W + "lvl"):
            fmt = lvl.find(W + "numFmt")
            levels[int(lvl.get(W + "ilvl", "0"))] = fmt.get(W + "val", "") if fmt is not None else ""
        abstract[definition.get(W + "abstractNumId", "")] = levels
    formats: dict[str, dict[int, str]] = {}
    for num in numbering.findall(W + "num"):
        ref = num.find(W + "abstractNumId")
        formats[num.get(W + "numId", "")] = dict(abstract.get(ref.get(W + "val", "") if ref is not None else "", {}))
    return formats


def read_content(path: Path) -> Content:
    """What ``path`` holds (see the module's docstring)."""
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        reader = _Reader(package)
        document = _parse(package.read("word/document.xml"))
        body_element = document.find(W + "body")
        body = reader.body(body_element if body_element is not None else document)
        notes: dict[str, list[Paragraph]] = {}
        if "word/footnotes.xml" in names:
            for note in _parse(package.read("word/footnotes.xml")).findall(W + "footnote"):
                if note.get(W + "type") not in ("separator", "continuationSeparator", "continuationNotice"):
                    notes[note.get(W + "id", "")] = [reader.paragraph(p) for p in note.findall(W + "p")]
        comments: list[tuple[str, str]] = []
        if "word/comments.xml" in names:
            for element in _parse(package.read("word/comments.xml")).findall(W + "comment"):
                text = "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in element.iter(W + "p"))
                comments.append((element.get(W + "author", ""), text))
        settings = _parse(package.read("word/settings.xml")) if "word/settings.xml" in names else None
        properties = {}
        if "docProps/custom.xml" in names:
            for prop in _parse(package.read("docProps/custom.xml")):
                properties[prop.get("name", "")] = "".join(prop.itertext())
    track = settings is not None and _on(settings, "trackRevisions")
    ordered = sorted(notes.items(), key=lambda item: reader.note_order.get(item[0], len(notes) + 1))
    return Content(body, [paragraphs for _, paragraphs in ordered], comments, track, properties)


if __name__ == "__main__":  # python tests/support/docx_content.py FILE.docx: the normalised view
    import sys

    print("\n".join(read_content(Path(sys.argv[1])).lines()))
