"""Render a Redline (or a clean document: a redline without revisions) as a .docx package."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from lxml import etree

from wtpf_cli.languages import RTL_BMP, RTL_CHAR, TEMPLATE_LANG, first_strong_rtl, is_rtl, run_directions, word_lang
from wtpf_cli.model import (
    BODY,
    FormatChange,
    KindChange,
    ParaProps,
    RBlock,
    RComment,
    Redline,
    Revision,
    RParagraph,
    RRun,
    RTable,
    Summary,
    Token,
)
from wtpf_cli.ooxml import _xmltext as X
from wtpf_cli.ooxml import elements as E
from wtpf_cli.ooxml._plain_runs import one_run_text
from wtpf_cli.ooxml.columns import column_widths
from wtpf_cli.ooxml.origin import CUSTOM_PART, CUSTOM_REL, CUSTOM_TYPE, custom_xml

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# zlib's fastest level: much faster than the default on a large document, for a somewhat larger file (still
# deterministic: the same zlib gives the same bytes; BENCHMARKS.md has the figures).
ZIP_LEVEL = 1
TEXT_WIDTH = 9638  # twips between the template's margins on A4
_ALIGN = {"left": "left", "center": "center", "right": "right"}
_RUN_FORMAT = attrgetter("token.marks", "token.href", "ins", "dele", "token.note", "formatted")  # alike: one w:r
_Group = tuple[list[RRun], int, bool]  # runs written as one w:r, the index of the first, right to left


@dataclass
class _Part:
    """Relationships collected for one XML part (document or footnotes)."""

    name: str
    links: dict[str, str] = field(default_factory=dict)  # href -> rId

    def link(self, href: str) -> str:
        rid = self.links.get(href)
        if rid is None:
            rid = f"rId{100 + len(self.links)}"
            self.links[href] = rid
        return rid


@dataclass
class _Ids:
    """Counters that must be unique across the whole package (ECMA-376 17.13.4: revision ids)."""

    revision: int = 0
    notes: dict[str, int] = field(default_factory=dict)
    lists: dict[int, int] = field(default_factory=dict)  # ordered list id -> numId

    def next_revision(self) -> int:
        self.revision += 1
        return self.revision


class DocxRenderer:
    """Turns Redline blocks into WordprocessingML and packs it into the house template.

    The body and footnotes are built as XML text by the twins of the element builders (xmltext.py), which write
    exactly what lxml would serialize for the elements; the template's parts go through lxml."""

    def __init__(self, template: Path) -> None:
        self.template = template
        self.ids = _Ids()
        self.list_starts: dict[int, tuple[int, int]] = {}  # numId -> (ilvl, start)
        self.comments: list[E.Element] = []
        self.first_comment = 0  # the first comment's id: above every footnote's (see render)
        self._rprs: dict[tuple[frozenset[str], bool, bool], str] = {}
        self.rtl = False  # the document's language is written right to left: every paragraph is
        self.para_rtl = False  # the paragraph _inline wrote last is laid out right to left

    # -- runs ------------------------------------------------------------------------------------------------

    def _rpr(self, token: Token, rtl: bool = False) -> str:
        key = (token.marks, bool(token.href), rtl)
        found = self._rprs.get(key)
        if found is None:
            found = self._rprs[key] = _run_properties(token.marks, token.href is not None, rtl=rtl)
        return found

    def _formatted_rpr(self, token: Token, change: FormatChange, rtl: bool = False) -> str:
        """The run's properties with its properties before in w:rPrChange (ECMA-376 17.13.5.31)."""
        before = _run_properties(change.marks, token.href is not None, rtl=rtl)
        rev = change.rev
        made = X.format_change(self.ids.next_revision(), rev.author, rev.date, before)
        return _run_properties(token.marks, token.href is not None, made, rtl=rtl)

    def _wrap(self, kind: str, rev: Revision, content: str) -> str:
        if rev.move:  # ECMA-376 17.13.5.22/17.13.5.25: moved run content, in a named move's range
            tag = "moveTo" if kind == "ins" else "moveFrom"
            return X.revision(tag, self.ids.next_revision(), rev.author, rev.date, content)
        maker = X.ins if kind == "ins" else X.delete
        return maker(self.ids.next_revision(), rev.author, rev.date, content)

    def _inline(self, runs: Sequence[RRun], part: _Part, comments: tuple[RComment, ...] = ()) -> list[str]:
        """Runs grouped by formatting, revision, link and direction; insertions and deletions inside hyperlinks;
        comment ranges around the runs they cover. Sets para_rtl."""
        if not comments and not self.rtl and (text := one_run_text(runs)) is not None:  # (most paragraphs)
            self.para_rtl = False
            return [X.run(text, self._rpr(runs[0].token))]
        out: list[str] = []
        starts: dict[int, list[int]] = {}
        ends: dict[int, list[int]] = {}
        for c in comments:
            cid = self.first_comment + len(self.comments)
            self.comments.append(E.comment(cid, c.author, c.date, c.initials, c.text))
            starts.setdefault(c.start, []).append(cid)
            ends.setdefault(max(c.end, c.start + 1), []).append(cid)
        bounds = set(starts) | set(ends)
        link_href: str | None = None
        link_children: list[str] = []

        def close_link() -> None:
            nonlocal link_href, link_children
            if link_href is not None:
                out.append(X.hyperlink(part.link(link_href), "".join(link_children)))
            link_href, link_children = None, []

        self.para_rtl = self.rtl
        groups = _groups(runs, bounds, run_directions([r.token.text for r in runs], True) if self.rtl else None)
        texts = [m[0].token.text if len(m) == 1 else "".join([r.token.text for r in m]) for m, _, _ in groups]
        whole = texts[0] if len(texts) == 1 else "".join(texts)
        if not self.rtl and not whole.isascii() and RTL_BMP.search(whole):
            # Right-to-left words in a left-to-right document: the paragraph takes the direction of its first
            # letter, and its runs are split by direction.
            self.para_rtl = first_strong_rtl(whole) is True
            groups = _groups(runs, bounds, run_directions([r.token.text for r in runs], self.para_rtl))
            texts = [m[0].token.text if len(m) == 1 else "".join([r.token.text for r in m]) for m, _, _ in groups]
        end_of_all = groups[-1][1] + len(groups[-1][0]) if groups else 0
        ranges = _move_ranges(groups)
        range_ids: dict[tuple[str, str], int] = {}
        for g, ((members, first_index, rtl), text) in enumerate(zip(groups, texts, strict=True)):
            for cid in starts.get(first_index, []):
                (link_children if link_href is not None else out).append(X.comment_range_start(cid))
            first = members[0]
            href = first.token.href
            if href != link_href:
                close_link()
                link_href = href
            deleted = first.dele is not None and not first.dele.move  # moved-away text is w:t, as Word writes it
            if first.token.note is not None:
                note_id = self.ids.notes.setdefault(first.token.note, len(self.ids.notes) + 1)
                element = X.footnote_reference_run(note_id)
            else:
                fmt = first.formatted
                rpr = self._rpr(first.token, rtl) if fmt is None else self._formatted_rpr(first.token, fmt, rtl)
                element = X.run(text, rpr, deleted=deleted)
            # A token inserted and later deleted within the range never reaches here (attribute.py drops it);
            # one inserted by X and deleted by Y after FROM cannot exist either. So one wrapper at most,
            # except for text that was in FROM (ins None) and is deleted, or moved and then deleted (Word writes
            # that deletion inside the move).
            if first.ins is not None and first.dele is not None and first.ins.move:
                wrapped = self._wrap("ins", first.ins, self._wrap("del", first.dele, element))
            elif first.ins is not None and first.dele is not None:
                wrapped = self._wrap("del", first.dele, self._wrap("ins", first.ins, element))
            elif first.ins is not None:
                wrapped = self._wrap("ins", first.ins, element)
            elif first.dele is not None:
                wrapped = self._wrap("del", first.dele, element)
            else:
                wrapped = element
            target = link_children if link_href is not None else out
            for tag, rev in ranges.get((g, "start"), ()):  # ECMA-376 17.13.5.23-17.13.5.28: around the moved runs
                range_id = range_ids[tag, rev.move] = self.ids.next_revision()
                target.append(X.move_range_start(f"{tag}RangeStart", range_id, rev.author, rev.date, rev.move))
            target.append(wrapped)
            for tag, rev in ranges.get((g, "end"), ()):
                target.append(X.move_range_end(f"{tag}RangeEnd", range_ids[tag, rev.move]))
            after = first_index + len(members)
            for cid in ends.get(after, []):
                target = link_children if link_href is not None else out
                target.append(X.comment_range_end(cid))
                target.append(X.comment_reference_run(cid))
        close_link()
        for cid in [c for pos, ids in ends.items() if pos > end_of_all for c in ids]:
            out.append(X.comment_range_end(cid))
            out.append(X.comment_reference_run(cid))
        return out

    # -- paragraphs and tables -------------------------------------------------------------------------------

    def _num(self, p: ParaProps) -> tuple[int, int] | None:
        if p.list_kind == "bullet":
            return (min(p.list_level, 8), 1)
        if p.list_kind == "ordered":
            num_id = self.ids.lists.get(p.list_id)
            if num_id is None:
                num_id = 100 + len(self.ids.lists)
                self.ids.lists[p.list_id] = num_id
                self.list_starts[num_id] = (min(p.list_level, 8), p.list_start)
            return (min(p.list_level, 8), num_id)
        return None

    def _mark(self, ins: Revision | None, dele: Revision | None) -> str:
        if ins is not None and ins.move:  # a paragraph moved here (and perhaps deleted since): del, then moveTo
            moved = self._wrap("ins", ins, "")
            return (X.delete(self.ids.next_revision(), dele.author, dele.date) if dele else "") + moved
        if dele is not None:
            return (
                self._wrap("del", dele, "") if dele.move else X.delete(self.ids.next_revision(), dele.author, dele.date)
            )
        if ins is not None:
            return X.ins(self.ids.next_revision(), ins.author, ins.date)
        return ""

    def _kind_change(self, change: KindChange, bidi: bool) -> str:
        """w:pPrChange with the paragraph's properties before (ECMA-376 17.13.5.29)."""
        old = change.props
        before = X.paragraph_properties(
            old.style, num=self._num(old) if old.list_kind else None, jc=_ALIGN.get(old.align or ""), bidi=bidi
        )
        return X.kind_change(self.ids.next_revision(), change.rev.author, change.rev.date, before)

    def paragraph(self, para: RParagraph, part: _Part, *, lead: str = "", keep_next: bool = False) -> str:
        props = para.props
        num = self._num(props) if props.list_kind else None
        mark = self._mark(para.ins, para.dele) if para.ins or para.dele else ""  # (its revision id comes first)
        content = "".join(self._inline(para.runs, part, para.comments))  # (sets para_rtl)
        change = self._kind_change(para.kind_change, self.para_rtl) if para.kind_change is not None else ""
        ppr = X.paragraph_properties(
            props.style,
            num=num,
            jc=_ALIGN.get(props.align or ""),
            mark=mark,
            bidi=self.para_rtl,
            keep_next=keep_next,
            change=change,
        )
        return X.paragraph(ppr, lead + content)

    def table(self, table: RTable, part: _Part) -> str:
        ncols = max((len(r.cells) for r in table.rows), default=1) or 1
        texts = [
            ["".join(r.token.text for r in row.cells[c]) for row in table.rows if c < len(row.cells)]
            for c in range(ncols)
        ]
        widths = column_widths(texts, TEXT_WIDTH)
        parts = [X.table_properties("WtpfTable", bidi_visual=self.rtl), X.table_grid(widths)]
        for row in table.rows:
            cells = []
            for c, cell in enumerate(row.cells):
                width = widths[c]
                align = table.align[c] if c < len(table.align) else None
                mark = self._mark(row.ins, row.dele)  # (its revision id comes first)
                notes = row.comments[c] if c < len(row.comments) else ()  # contributors' comments on the cell
                content = "".join(self._inline(cell, part, notes))
                style = "TableHeading" if row.header else "TableText"
                ppr = X.paragraph_properties(style, jc=_ALIGN.get(align or ""), mark=mark, bidi=self.para_rtl)
                cells.append(X.table_cell(width, X.paragraph(ppr, content)))
            parts.append(X.table_row(cells, header=row.header, mark=self._mark(row.ins, row.dele)))
        return X.table("".join(parts))

    def summary(self, summary: Summary) -> list[str]:
        """The first page: the summary's title, lines and table, then a page break; plain paragraphs in the
        RevisionSummary styles, outside the tracked changes (Accept All and Reject All leave them as they are), laid
        out in the document's direction."""
        rtl = self.rtl

        def para(style: str, content: str, jc: str | None = None) -> str:
            return X.paragraph(X.paragraph_properties(style, jc=jc, bidi=rtl), content)

        out = [para("RevisionSummaryTitle", X.run(summary.title, X.run_properties(rtl=rtl)))]
        out.extend(para("RevisionSummary", X.run(line, X.run_properties(rtl=rtl))) for line in summary.lines)
        if len(summary.table) > 1:
            ncols = len(summary.table[0])
            first, last = 1900, 2900  # the source and the dates; the counts share the rest
            widths = [first, *[(TEXT_WIDTH - first - last) // max(ncols - 2, 1)] * (ncols - 2), last]
            rows = [X.table_properties("WtpfTable", bidi_visual=rtl), X.table_grid(widths)]
            for k, row in enumerate(summary.table):
                rpr = X.run_properties(bold=k == 0, rtl=rtl)
                cells = [
                    X.table_cell(
                        widths[c],
                        para("RevisionSummaryTable", X.run(text, rpr), "right" if 0 < c < ncols - 1 else None),
                    )
                    for c, text in enumerate(row)
                ]
                rows.append(X.table_row(cells, header=k == 0))
            out.append(X.table("".join(rows)))
        # The page ends a section of its own, with no header or footer (ECMA-376 17.6.18, 17.10.5): the report's
        # cover that follows stays without the running header (titlePg) and its pages are numbered from 1.
        out.append(
            X.paragraph(X.paragraph_properties("RevisionSummary", bidi=rtl, section=_unmarked_section(self.template)))
        )
        return out

    # -- the package -----------------------------------------------------------------------------------------

    def render(
        self,
        redline: Redline,
        *,
        header_text: str,
        core: dict[str, str],
        summary: Summary | None = None,
        custom: Mapping[str, str] | None = None,
    ) -> bytes:
        self.rtl = is_rtl(redline.meta.language)
        doc_part = _Part("document")
        note_part = _Part("footnotes")
        # Comment ids above every footnote id (footnotes take 1..N, one per note): LibreOffice 7.4 mixes a comment
        # up with the footnote of the same id (or the one after), emptying, repeating or shifting the notes after
        # it, wherever the comment's range stands (tests/test_revision_marks.py).
        containers = {b.props.container for b in redline.blocks if isinstance(b, RParagraph)}
        self.first_comment = len(containers - {BODY}) + 1
        body: list[str] = self.summary(summary) if summary is not None else []
        self.summary_first = summary is not None
        notes: dict[str, list[RParagraph]] = {}
        previous_was_table = False
        captions = _before_tables(redline.blocks)
        for block in redline.blocks:
            if isinstance(block, RTable):
                if previous_was_table:
                    body.append(X.paragraph(X.paragraph_properties("BodyText", bidi=self.rtl)))
                body.append(self.table(block, doc_part))
                previous_was_table = True
                continue
            if block.props.container != BODY:
                notes.setdefault(block.props.container[3:], []).append(block)
                continue
            body.append(self.paragraph(block, doc_part, keep_next=id(block) in captions))
            previous_was_table = False
        if previous_was_table:
            body.append(X.paragraph(X.paragraph_properties("BodyText", bidi=self.rtl)))
        footnotes: list[str] = []
        for label, note_id in self.ids.notes.items():
            paras = notes.get(label, [])
            rendered = [
                self.paragraph(p, note_part, lead=_NOTE_NUMBER if k == 0 else "") for k, p in enumerate(paras)
            ] or [X.paragraph(X.paragraph_properties("FootnoteText", bidi=self.rtl), _NOTE_NUMBER)]
            footnotes.append(X.footnote(note_id, "".join(rendered)))
        return self._pack(body, footnotes, doc_part, note_part, header_text, core, redline.meta.language, custom or {})

    def _pack(
        self,
        body: list[str],
        footnotes: list[str],
        doc_part: _Part,
        note_part: _Part,
        header_text: str,
        core: dict[str, str],
        language: str = "English",
        custom: Mapping[str, str] | None = None,
    ) -> bytes:
        with zipfile.ZipFile(self.template) as src:
            names = src.namelist()
            parts = {n: src.read(n) for n in names}
        parts["word/document.xml"] = _document_xml(parts["word/document.xml"], body, first_section=self.summary_first)
        parts["word/footnotes.xml"] = _footnotes_xml(parts["word/footnotes.xml"], footnotes)
        parts["word/numbering.xml"] = _numbering_xml(parts["word/numbering.xml"], self.list_starts)
        parts["word/header1.xml"] = _header_xml(parts["word/header1.xml"], header_text, self.rtl)
        parts["docProps/core.xml"] = _core_xml(core)
        tags = word_lang(language)
        if tags != TEMPLATE_LANG:
            parts["word/styles.xml"] = _styles_xml(parts["word/styles.xml"], tags)
        parts["word/_rels/document.xml.rels"] = _add_links(parts["word/_rels/document.xml.rels"], doc_part)
        if self.comments:
            root = E.el("comments", None, *self.comments)
            parts["word/comments.xml"] = _xml(root)
            names.append("word/comments.xml")
            parts["word/_rels/document.xml.rels"] = _add_relationship(
                parts["word/_rels/document.xml.rels"], "rId99", COMMENTS_REL, "comments.xml"
            )
            parts["[Content_Types].xml"] = _add_override(
                parts["[Content_Types].xml"], "/word/comments.xml", COMMENTS_CT
            )
        if custom:
            _add_custom_properties(parts, names, custom)
        if note_part.links:
            name = "word/_rels/footnotes.xml.rels"
            empty = f'<Relationships xmlns="{PKG_REL_NS}"/>'.encode()
            parts[name] = _add_links(parts.get(name, empty), note_part)
            if name not in names:
                names.append(name)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for n in names:
                info = zipfile.ZipInfo(n, date_time=FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                dst.writestr(info, parts[n], compresslevel=ZIP_LEVEL)
        return out.getvalue()


_NS_DECLARATION = re.compile(r' xmlns:\w+="[^"]*"')


def _unmarked_section(template: Path) -> str:
    """<w:sectPr> of the template's page without its header and footer references or titlePg: a first section
    with neither header nor footer (ECMA-376 17.10.5)."""
    with zipfile.ZipFile(template) as src:
        sect = _parse(src.read("word/document.xml")).find(f"{E.w('body')}/{E.w('sectPr')}")
    if sect is None:
        return ""
    for child in list(sect):
        if etree.QName(child).localname in ("headerReference", "footerReference", "titlePg"):
            sect.remove(child)
    return _NS_DECLARATION.sub("", etree.tostring(sect, encoding="unicode"))  # (declared on the part's root)


def _before_cols(sect: E.Element) -> int:
    """Where pgNumType goes in w:sectPr (ECMA-376 17.6.17: after pgSz, pgMar, paperSrc, pgBorders, lnNumType)."""
    names = [etree.QName(child).localname for child in sect]
    return names.index("cols") if "cols" in names else len(names)


# A footnote's number, then a space before its text, as Word writes a new footnote.
_NOTE_NUMBER = X.footnote_ref_mark_run() + X.run(" ")


def _before_tables(blocks: Iterable[RBlock]) -> set[int]:
    """The ids of the body paragraphs right before a table: its caption (or the sentence that introduces it),
    kept on the table's page (keepNext)."""
    found: set[int] = set()
    last: RParagraph | None = None
    for block in blocks:
        if isinstance(block, RTable):
            if last is not None:
                found.add(id(last))
            last = None
        elif block.props.container == BODY:
            last = block
    return found


def _run_properties(marks: frozenset[str], linked: bool, change: str = "", *, rtl: bool = False) -> str:
    """w:rPr of a run of these marks, in a link or not, right to left or not (with a w:rPrChange)."""
    style = "Hyperlink" if linked else ("VerbatimChar" if "code" in marks else None)
    return X.run_properties(
        style,
        bold="strong" in marks,
        italic="em" in marks,
        strike="strike" in marks,
        mono="code" in marks and linked,
        rtl=rtl,
        change=change,
    )


def _xml(root: E.Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _parse(data: bytes) -> E.Element:
    # Our own template: still parsed without entities or network access.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser)


_MARK = "wtpf-content-goes-here"


def _with_content(root: E.Element, parent: E.Element, index: int, content: list[str]) -> bytes:
    """The part serialized by lxml with the XML text `content` as children of `parent` at `index`.

    A marker element holds the place; `content` uses the w: and r: prefixes, which the template declares on its
    root with the namespaces of elements.NSMAP (checked here: otherwise the text would not mean the same)."""
    for prefix, uri in E.NSMAP.items():
        if root.nsmap.get(prefix) != uri:
            raise AssertionError(f"the template does not declare {prefix}: as {uri} on its root")
    parent.insert(index, E.el(_MARK))
    head, tail = _xml(root).split(f"<w:{_MARK}/>".encode())
    return head + "".join(content).encode() + tail


def _document_xml(template: bytes, body_children: list[str], *, first_section: bool = False) -> bytes:
    """The document part: the template's with `body_children` (after a `first_section` of their own, the last
    section's pages numbered from 1)."""
    root = _parse(template)
    body = root.find(E.w("body"))
    assert body is not None
    sect = body.find(E.w("sectPr"))
    for child in list(body):
        body.remove(child)
    if sect is not None:
        if first_section:
            sect.insert(_before_cols(sect), E.el("pgNumType", {"start": "1"}))
        body.append(sect)
    return _with_content(root, body, 0, body_children)


def _footnotes_xml(template: bytes, notes: list[str]) -> bytes:
    root = _parse(template)
    return _with_content(root, root, len(root), notes)


def _numbering_xml(template: bytes, starts: dict[int, tuple[int, int]]) -> bytes:
    root = _parse(template)
    for num_id, (ilvl, start) in sorted(starts.items()):
        root.append(
            E.el(
                "num",
                {"numId": str(num_id)},
                E.val("abstractNumId", "20"),
                E.el("lvlOverride", {"ilvl": str(ilvl)}, E.val("startOverride", str(start))),
            )
        )
    return _xml(root)


def _header_xml(template: bytes, header_text: str, rtl: bool = False) -> bytes:
    root = _parse(template)
    p = root.find(E.w("p"))
    assert p is not None
    for r in p.findall(E.w("r")):
        p.remove(r)
    if rtl:
        ppr = p.find(E.w("pPr"))
        assert ppr is not None
        ppr.insert(1, E.el("bidi"))  # after pStyle (schema order)
    p.append(E.run(header_text, E.run_properties(rtl=True) if RTL_CHAR.search(header_text) else None))
    return _xml(root)


def _styles_xml(template: bytes, tags: tuple[str, str, str]) -> bytes:
    """The template's styles with the document's languages as the default of every run (docDefaults' w:lang:
    val, eastAsia, bidi), which spelling and hyphenation follow."""
    root = _parse(template)
    lang = root.find(f"{E.w('docDefaults')}/{E.w('rPrDefault')}/{E.w('rPr')}/{E.w('lang')}")
    assert lang is not None
    for name, tag in zip(("val", "eastAsia", "bidi"), tags, strict=True):
        lang.set(E.w(name), tag)
    return _xml(root)


def _add_links(rels: bytes, part: _Part) -> bytes:
    root = _parse(rels)
    for href, rid in part.links.items():
        rel = etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship")
        rel.set("Id", rid)
        rel.set("Type", HYPERLINK_REL)
        rel.set("Target", href)
        rel.set("TargetMode", "External")
    return _xml(root)


def _add_relationship(rels: bytes, rid: str, rel_type: str, target: str) -> bytes:
    root = _parse(rels)
    rel = etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship")
    rel.set("Id", rid)
    rel.set("Type", rel_type)
    rel.set("Target", target)
    return _xml(root)


def _add_override(types: bytes, part_name: str, content_type: str) -> bytes:
    root = _parse(types)
    o = etree.SubElement(root, f"{{{CT_NS}}}Override")
    o.set("PartName", part_name)
    o.set("ContentType", content_type)
    return _xml(root)


def _core_xml(core: dict[str, str]) -> bytes:
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    dc = "http://purl.org/dc/elements/1.1/"
    dcterms = "http://purl.org/dc/terms/"
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    root = etree.Element(f"{{{cp}}}coreProperties", nsmap={"cp": cp, "dc": dc, "dcterms": dcterms, "xsi": xsi})
    for ns, tag, key in (
        (dc, "title", "title"),
        (dc, "subject", "subject"),
        (dc, "creator", "creator"),
        (cp, "keywords", "keywords"),
        (dc, "description", "description"),
        (cp, "lastModifiedBy", "creator"),
    ):
        e = etree.SubElement(root, f"{{{ns}}}{tag}")
        e.text = core.get(key, "")
    if core.get("language", "und") != "und":
        etree.SubElement(root, f"{{{dc}}}language").text = core["language"]  # a tag such as en-GB (RFC 4646)
    for tag in ("created", "modified"):
        e = etree.SubElement(root, f"{{{dcterms}}}{tag}")
        e.set(f"{{{xsi}}}type", "dcterms:W3CDTF")
        e.text = core.get("date", "2000-01-01T00:00:00Z")
    return _xml(root)


def _add_custom_properties(parts: dict[str, bytes], names: list[str], custom: Mapping[str, str]) -> None:
    """docProps/custom.xml with these properties, and its relationship and content type."""
    parts[CUSTOM_PART] = custom_xml(custom)
    names.append(CUSTOM_PART)
    parts["_rels/.rels"] = _add_relationship(parts["_rels/.rels"], "rIdCustom", CUSTOM_REL, CUSTOM_PART)
    parts["[Content_Types].xml"] = _add_override(parts["[Content_Types].xml"], f"/{CUSTOM_PART}", CUSTOM_TYPE)


def core_date(iso_date: str) -> str:
    """A front-matter date as a W3CDTF timestamp (fixed, never the wall clock: invariant 5)."""
    try:
        day = dt.date.fromisoformat(iso_date)
    except ValueError:
        return "2000-01-01T00:00:00Z"
    return f"{day.isoformat()}T00:00:00Z"


def render_docx(
    redline: Redline,
    template: Path,
    *,
    header_text: str,
    core: dict[str, str],
    summary: Summary | None = None,
    custom: Mapping[str, str] | None = None,
) -> bytes:
    """The .docx bytes of a redline in the house template (with `summary`, a first page saying what it changed;
    with `custom`, those custom document properties)."""
    return DocxRenderer(template).render(redline, header_text=header_text, core=core, summary=summary, custom=custom)


def _move_ranges(groups: list[_Group]) -> dict[tuple[int, str], list[tuple[str, Revision]]]:
    """Where each move's range starts and ends among a paragraph's groups: (group, "start" or "end") -> the moves
    (moveFrom or moveTo, and the revision naming it) whose range starts before that group or ends after it."""
    first: dict[tuple[str, str], tuple[int, Revision]] = {}
    last: dict[tuple[str, str], int] = {}
    for g, (members, _, _) in enumerate(groups):
        ins, dele = members[0].ins, members[0].dele
        if (ins is None or not ins.move) and (dele is None or not dele.move):
            continue  # (most groups)
        for tag, rev in (("moveTo", ins), ("moveFrom", dele)):
            if rev is not None and rev.move:
                first.setdefault((tag, rev.move), (g, rev))
                last[tag, rev.move] = g
    out: dict[tuple[int, str], list[tuple[str, Revision]]] = {}
    for (tag, name), (g, rev) in first.items():
        out.setdefault((g, "start"), []).append((tag, rev))
        out.setdefault((last[tag, name], "end"), []).insert(0, (tag, rev))
    return out


def _groups(runs: Sequence[RRun], bounds: set[int], directions: list[bool] | None) -> list[_Group]:
    """Runs of the same formatting, revisions, link (and direction, where `directions` gives each run's) as one
    group, a footnote reference alone; comment boundaries (`bounds`) split groups too."""
    groups: list[_Group] = []
    if directions is None:
        keyed: Iterable[tuple[tuple[object, ...], list[RRun], bool]] = (
            (key, list(same), False) for key, same in groupby(runs, _RUN_FORMAT)
        )
    else:
        pairs = groupby(zip(runs, directions, strict=True), lambda pair: (_RUN_FORMAT(pair[0]), pair[1]))
        keyed = ((key, [r for r, _ in same], rtl) for (key, rtl), same in pairs)
    k = 0
    for key, members, rtl in keyed:
        if key[4] is not None:
            groups.extend(([m], k + x, rtl) for x, m in enumerate(members))
        elif bounds:
            start = 0
            for x in range(1, len(members)):
                if k + x in bounds:
                    groups.append((members[start:x], k + start, rtl))
                    start = x
            groups.append((members[start:], k + start, rtl))
        else:
            groups.append((members, k, rtl))
        k += len(members)
    return groups
