"""The reader of Word revision marks: small .docx files built here, one per construct, with exact views; and the
safety checks of the package reader (each hostile file is refused with a one-line InputRejected)."""

from __future__ import annotations

import gc
import io
import random
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from wtpf_cli.errors import InputRejected
from wtpf_cli.ooxml.inspection import inspect_docx, render_inspection_json, render_inspection_text
from wtpf_cli.ooxml.package import LIMITS, PackageLimits, open_docx
from wtpf_cli.ooxml.revisions import Inspection
from wtpf_cli.ooxml.views import text_view

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
D1 = "2024-05-01T10:00:00Z"
D2 = "2024-05-02T11:30:00Z"


def xml(text: str) -> bytes:
    """Well-formed XML bytes (checked with lxml) from a string."""
    return etree.tostring(etree.fromstring(text.encode()), xml_declaration=True, encoding="UTF-8", standalone=True)


def make_docx(
    path: Path,
    body: str,
    *,
    footnotes: str | None = None,
    endnotes: str | None = None,
    comments: str | None = None,
    comments_extended: str | None = None,
    main: str = "word/document.xml",
    hyperlink: bool = False,
) -> Path:
    """A minimal .docx: the body's XML inside w:document, and the given note and comment parts."""
    parts: dict[str, bytes] = {main: xml(f"<w:document {NS}><w:body>{body}</w:body></w:document>")}
    rels = []
    extra = {
        "footnotes": footnotes and f"<w:footnotes {NS}>{footnotes}</w:footnotes>",
        "endnotes": endnotes and f"<w:endnotes {NS}>{endnotes}</w:endnotes>",
        "comments": comments and f"<w:comments {NS}>{comments}</w:comments>",
        "commentsExtended": comments_extended and f"<w15:commentsEx {NS}>{comments_extended}</w15:commentsEx>",
    }
    for number, (kind, content) in enumerate(extra.items(), start=1):
        if content:
            parts[f"word/{kind}.xml"] = xml(content)
            rel_type = (
                "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
                if kind == "commentsExtended"
                else f"{REL}/{kind}"
            )
            rels.append(f'<Relationship Id="rId{number}" Type="{rel_type}" Target="{kind}.xml"/>')
    if hyperlink:
        rels.append(
            f'<Relationship Id="rId9" Type="{REL}/hyperlink" Target="http://example.invalid/x" TargetMode="External"/>'
        )
    folder, name = main.rsplit("/", 1)
    parts[f"{folder}/_rels/{name}.rels"] = xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    )
    parts["_rels/.rels"] = xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="{main}"/></Relationships>'
    )
    parts["[Content_Types].xml"] = xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main}" ContentType="{MAIN_TYPE}"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name_, data in parts.items():
            archive.writestr(name_, data)
    return path


def p(content: str, ppr: str = "") -> str:
    """A paragraph."""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{content}</w:p>"


def r(text: str) -> str:
    """A run of plain text."""
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def dr(text: str) -> str:
    """A run of deleted text."""
    return f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'


def ins(content: str, author: str = "Brazil", date: str | None = D1, rev: int = 1) -> str:
    """A w:ins around runs."""
    when = f' w:date="{date}"' if date else ""
    return f'<w:ins w:id="{rev}" w:author="{author}"{when}>{content}</w:ins>'


def dele(content: str, author: str = "ISOC", date: str | None = D2, rev: int = 2) -> str:
    """A w:del around runs."""
    when = f' w:date="{date}"' if date else ""
    return f'<w:del w:id="{rev}" w:author="{author}"{when}>{content}</w:del>'


def mark(tag: str, author: str = "Brazil") -> str:
    """Paragraph properties whose paragraph mark is inserted or deleted."""
    return f'<w:rPr><w:{tag} w:id="90" w:author="{author}" w:date="{D1}"/></w:rPr>'


def read(tmp_path: Path, body: str, **parts: str) -> Inspection:
    """Build a .docx from the body XML and read it."""
    return inspect_docx(make_docx(tmp_path / "t.docx", body, **parts))


def views(found: Inspection) -> tuple[list[str], list[str]]:
    """The accept and reject views."""
    return text_view(found, "accept"), text_view(found, "reject")


def kinds(found: Inspection) -> list[tuple[str, str, str | None, str]]:
    """Each change as (kind, author, date, text)."""
    return [(c.kind, c.author, c.date, c.text) for c in found.changes]


# -- runs ------------------------------------------------------------------------------------------------------------


def test_inserted_and_deleted_runs(tmp_path: Path) -> None:
    found = read(tmp_path, p(r("The ") + ins(r("new ")) + dele(dr("old ")) + r("text.")))
    assert views(found) == (["The new text."], ["The old text."])
    assert kinds(found) == [("insertion", "Brazil", D1, "new "), ("deletion", "ISOC", D2, "old ")]
    assert found.changes[0].paragraph == 0 and found.changes[0].part == "document"


def test_adjacent_runs_of_one_change_are_one_change(tmp_path: Path) -> None:
    found = read(tmp_path, p(ins(r("one "), rev=1) + ins(r("two"), rev=3) + r(" end")))
    assert kinds(found) == [("insertion", "Brazil", D1, "one two")]


def test_word16_w_t_inside_deleted_and_moved_from_text(tmp_path: Path) -> None:
    body = p(r("A ") + dele(r("gone ")) + r("B")) + p(
        '<w:moveFrom w:id="5" w:author="ITU" w:date="2024-01-01T00:00:00Z">' + r("moved ") + "</w:moveFrom>" + r("C")
    )
    body += p(r("D ") + '<w:moveTo w:id="6" w:author="ITU" w:date="2024-01-01T00:00:00Z">' + r("moved") + "</w:moveTo>")
    found = read(tmp_path, body)
    assert views(found) == (["A B", "C", "D moved"], ["A gone B", "moved C", "D "])
    assert [c.kind for c in found.changes] == ["deletion", "move-from", "move-to"]
    assert found.changes[1].text == "moved "


def test_insertion_deleted_by_another_author(tmp_path: Path) -> None:
    found = read(tmp_path, p(r("x ") + ins(dele(dr("brief"), author="USA"), author="Brazil") + r(" y")))
    assert views(found) == (["x  y"], ["x  y"])
    assert kinds(found) == [("insertion", "Brazil", D1, "brief"), ("deletion", "USA", D2, "brief")]


def test_hyperlink_with_revisions_inside(tmp_path: Path) -> None:
    body = p(r("See ") + '<w:hyperlink r:id="rId9">' + dele(dr("old")) + ins(r("new")) + "</w:hyperlink>" + r("."))
    found = inspect_docx(make_docx(tmp_path / "t.docx", body, hyperlink=True))
    assert views(found) == (["See new."], ["See old."])


def test_smart_tag_and_custom_xml_keep_their_text(tmp_path: Path) -> None:
    body = p(
        '<w:smartTag w:uri="urn:x" w:element="place"><w:smartTagPr/>'
        + r("Geneva")
        + "</w:smartTag>"
        + r(", ")
        + '<w:customXml w:element="c">'
        + ins(r("2013"))
        + "</w:customXml>"
    )
    assert views(read(tmp_path, body)) == (["Geneva, 2013"], ["Geneva, "])


# -- fields, content controls, special characters --------------------------------------------------------------------


def fld(kind: str) -> str:
    """A run with a complex field character."""
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def instr(text: str, deleted: bool = False) -> str:
    """A run with a field instruction."""
    tag = "delInstrText" if deleted else "instrText"
    return f'<w:r><w:{tag} xml:space="preserve">{text}</w:{tag}></w:r>'


def test_fields_show_their_result_not_their_instruction(tmp_path: Path) -> None:
    simple = '<w:fldSimple w:instr=" DATE "><w:r><w:t>1/2/2013</w:t></w:r></w:fldSimple>'
    complex_ = fld("begin") + instr(" REF x \\h ") + fld("separate") + r("Annex 1") + fld("end")
    nested = (
        (fld("begin") + instr(" IF ") + fld("begin") + instr(" PAGE ") + fld("separate") + r("3") + fld("end"))
        + instr(' = 3 "yes" ')
        + fld("separate")
        + r("yes")
        + fld("end")
    )
    found = read(tmp_path, p(r("On ") + simple + r(", see ") + complex_ + r(": ") + nested))
    assert views(found) == (["On 1/2/2013, see Annex 1: yes"], ["On 1/2/2013, see Annex 1: yes"])


def test_inserted_and_deleted_fields(tmp_path: Path) -> None:
    inserted = ins(fld("begin") + instr(" DATE ") + fld("separate") + r("2/8/2020") + fld("end"))
    deleted = dele(fld("begin") + instr(" TIME ", deleted=True) + fld("separate") + dr("10:00") + fld("end"))
    found = read(tmp_path, p(r("a ") + inserted + r(" b ") + deleted + r(" c")))
    assert views(found) == (["a 2/8/2020 b  c"], ["a  b 10:00 c"])
    assert kinds(found) == [("insertion", "Brazil", D1, "2/8/2020"), ("deletion", "ISOC", D2, "10:00")]


def test_content_controls_block_and_run_level(tmp_path: Path) -> None:
    block = (
        "<w:sdt><w:sdtPr><w:id w:val='1'/></w:sdtPr><w:sdtContent>"
        + p(r("In ") + ins(r("control")))
        + ("</w:sdtContent></w:sdt>")
    )
    run_level = p(r("Run ") + "<w:sdt><w:sdtPr/><w:sdtContent>" + dele(dr("level")) + "</w:sdtContent></w:sdt>")
    assert views(read(tmp_path, block + run_level)) == (["In control", "Run "], ["In ", "Run level"])


def test_tabs_breaks_hyphens_symbols(tmp_path: Path) -> None:
    content = (
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t>"
        '<w:softHyphen/><w:sym w:font="Symbol" w:char="03A9"/><w:lastRenderedPageBreak/></w:r>'
    )
    found = read(tmp_path, p(content) + p(ins("<w:r><w:tab/><w:t>x</w:t></w:r>")))
    assert views(found) == (["a\tb\nc-dΩ", "\tx"], ["a\tb\nc-dΩ", ""])


# -- paragraph marks, tables -----------------------------------------------------------------------------------------


def test_deleted_paragraph_mark_joins_on_accept(tmp_path: Path) -> None:
    found = read(tmp_path, p(r("you want to add."), mark("del")) + p(r("You can also type.")))
    assert views(found) == (["you want to add.You can also type."], ["you want to add.", "You can also type."])
    assert [(c.kind, c.paragraph) for c in found.changes] == [("paragraph-deletion", 0)]


def test_inserted_paragraph_mark_joins_on_reject(tmp_path: Path) -> None:
    found = read(tmp_path, p(r("This is a"), mark("ins")) + p(r(" split paragraph.")))
    assert views(found) == (["This is a", " split paragraph."], ["This is a split paragraph."])


def test_whole_inserted_and_deleted_paragraphs(tmp_path: Path) -> None:
    body = p(r("First."))
    body += p(ins(r("Inserted paragraph.")), mark("ins"))
    body += p(r("Middle."))
    body += p(dele(dr("Deleted paragraph.")), mark("del", author="ISOC"))
    body += p(r("Last."))
    found = read(tmp_path, body)
    assert views(found) == (
        ["First.", "Inserted paragraph.", "Middle.", "Last."],
        ["First.", "Middle.", "Deleted paragraph.", "Last."],
    )
    assert [c.kind for c in found.changes] == ["insertion", "paragraph-insertion", "deletion", "paragraph-deletion"]


def test_marks_and_moves_as_marks(tmp_path: Path) -> None:
    moved = '<w:rPr><w:moveFrom w:id="7" w:author="ITU" w:date="2024-01-01T00:00:00Z"/></w:rPr>'
    found = read(tmp_path, p(r("a"), moved) + p(r("b")))
    assert views(found) == (["ab"], ["a", "b"])
    assert [(c.kind, c.detail) for c in found.changes] == [("move-from", "paragraph mark")]


def cell(content: str) -> str:
    """A table cell with one paragraph."""
    return f'<w:tc><w:tcPr><w:tcW w:w="100" w:type="dxa"/></w:tcPr>{p(content)}</w:tc>'


def row(*cells: str, trpr: str = "") -> str:
    """A table row."""
    return f"<w:tr>{f'<w:trPr>{trpr}</w:trPr>' if trpr else ''}{''.join(cells)}</w:tr>"


def test_table_cells_row_major_with_inserted_and_deleted_rows(tmp_path: Path) -> None:
    table = "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w='100'/><w:gridCol w:w='100'/></w:tblGrid>"
    table += row(cell(r("A1")), cell(r("B1")))
    table += row(cell(ins(r("A2"))), cell(ins(r("B2"))), trpr=f'<w:ins w:id="3" w:author="Brazil" w:date="{D1}"/>')
    table += row(cell(dele(dr("A3"))), cell(r("B3")), trpr=f'<w:del w:id="4" w:author="ISOC" w:date="{D2}"/>')
    table += "</w:tbl>"
    found = read(tmp_path, p(r("Before")) + table + p(r("After")))
    assert views(found) == (["Before", "A1", "B1", "A2", "B2", "After"], ["Before", "A1", "B1", "A3", "B3", "After"])
    rows = [(c.kind, c.text, c.where) for c in found.changes if c.kind.startswith("row")]
    assert rows == [("row-insertion", "A2 B2", "table 1, row 2"), ("row-deletion", "A3 B3", "table 1, row 3")]
    assert found.paragraphs[3].where == "table 1, row 2, cell 1"


def test_deleted_mark_does_not_join_across_a_table(tmp_path: Path) -> None:
    table = "<w:tbl><w:tblPr/><w:tblGrid/>" + row(cell(r("cell"))) + "</w:tbl>"
    found = read(tmp_path, p(r("text"), mark("del")) + table + p(r("after")))
    assert text_view(found, "accept") == ["text", "cell", "after"]


def test_inserted_and_deleted_cells(tmp_path: Path) -> None:
    gone = f'<w:tc><w:tcPr><w:cellDel w:id="5" w:author="ISOC" w:date="{D2}"/></w:tcPr>{p(r("old"))}</w:tc>'
    new = f'<w:tc><w:tcPr><w:cellIns w:id="6" w:author="Brazil" w:date="{D1}"/></w:tcPr>{p(r("new"))}</w:tc>'
    found = read(tmp_path, "<w:tbl><w:tblPr/><w:tblGrid/>" + row(cell(r("keep")), gone, new) + "</w:tbl>")
    assert views(found) == (["keep", "new"], ["keep", "old"])


# -- formatting changes -----------------------------------------------------------------------------------------------


def test_formatting_changes_are_reported_and_leave_the_text(tmp_path: Path) -> None:
    def change(tag: str, inner: str = "") -> str:
        return f'<w:{tag} w:id="9" w:author="USA" w:date="{D1}">{inner}</w:{tag}>'

    run = f"<w:r><w:rPr><w:b/>{change('rPrChange', '<w:rPr/>')}</w:rPr><w:t>bold</w:t></w:r>"
    ppr = (
        '<w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/>'
        + f'<w:numberingChange w:id="8" w:author="USA" w:date="{D1}" w:original="1."/></w:numPr>'
        + change("pPrChange", "<w:pPr/>")
    )
    table = (
        f"<w:tbl><w:tblPr>{change('tblPrChange', '<w:tblPr/>')}</w:tblPr>"
        '<w:tblGrid><w:gridCol w:w="1"/><w:tblGridChange w:id="10"><w:tblGrid/></w:tblGridChange></w:tblGrid>'
        f"<w:tr><w:trPr>{change('trPrChange', '<w:trPr/>')}</w:trPr>"
        f"<w:tc><w:tcPr>{change('tcPrChange', '<w:tcPr/>')}</w:tcPr>{p(r('cell'))}</w:tc></w:tr></w:tbl>"
    )
    sect = f"<w:sectPr><w:pgSz w:w='11906'/>{change('sectPrChange', '<w:sectPr/>')}</w:sectPr>"
    found = read(tmp_path, p(run, ppr) + table + sect)
    assert views(found) == (["bold", "cell"], ["bold", "cell"])
    assert {c.kind for c in found.changes} == {"format"}
    expected = ["rPrChange", "numberingChange", "pPrChange", "tblPrChange", "tblGridChange", "trPrChange"]
    assert sorted(c.detail for c in found.changes) == sorted([*expected, "tcPrChange", "sectPrChange"])
    assert next(c for c in found.changes if c.detail == "rPrChange").text == "bold"
    assert found.authors() == ("USA",)  # tblGridChange has no author and does not count


# -- notes, comments, scrubbed files ---------------------------------------------------------------------------------


def note(kind: str, note_id: int, content: str) -> str:
    """A footnote or endnote with one paragraph."""
    return f'<w:{kind} w:id="{note_id}">{p(content)}</w:{kind}>'


SEPARATOR = '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'


def test_footnotes_and_endnotes_with_revisions(tmp_path: Path) -> None:
    body = p(r("Text") + '<w:r><w:footnoteReference w:id="1"/></w:r>' + r(" more"))
    body += p(r("Gone") + dele('<w:r><w:footnoteReference w:id="2"/></w:r>') + r(" and end"))
    body += p(r("E") + '<w:r><w:endnoteReference w:id="1"/></w:r>')
    footnotes = SEPARATOR + note("footnote", 1, r("Note ") + ins(r("one"))) + note("footnote", 2, r("Dropped note"))
    found = read(tmp_path, body, footnotes=footnotes, endnotes=note("endnote", 1, r("End note")))
    assert views(found) == (
        ["Text more", "Gone and end", "E", "Note one", "End note"],
        ["Text more", "Gone and end", "E", "Note ", "Dropped note", "End note"],
    )
    assert text_view(found, "accept", parts=("document",), note_marks=True) == ["Text1 more", "Gone and end", "Ei"]
    assert text_view(found, "reject", parts=("document",), note_marks=True) == ["Text1 more", "Gone2 and end", "Ei"]
    assert [(c.kind, c.part, c.where) for c in found.changes] == [
        ("deletion", "document", "body"),
        ("insertion", "footnotes", "footnote 1"),
    ]


def comment(comment_id: int, author: str, text: str, para_id: str, date: str | None = D1) -> str:
    """A comment with one paragraph."""
    when = f' w:date="{date}"' if date else ""
    return (
        f'<w:comment w:id="{comment_id}" w:author="{author}" w:initials="{author[:2]}"{when}>'
        f'<w:p w14:paraId="{para_id}"><w:r><w:annotationRef/></w:r>{r(text)}</w:p></w:comment>'
    )


def test_comments_with_anchors_and_replies(tmp_path: Path) -> None:
    body = p(
        r("The ")
        + '<w:commentRangeStart w:id="0"/>'
        + r("digital ")
        + ins(r("divide"))
        + '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
        + '<w:r><w:commentReference w:id="1"/></w:r>'
        + r(" narrows.")
    )
    comments = comment(0, "Brazil", "Say which divide.", "1A2B3C4D") + comment(1, "ITU", "Agreed.", "5E6F7A8B", None)
    extended = (
        '<w15:commentEx w15:paraId="1A2B3C4D" w15:done="0"/>'
        '<w15:commentEx w15:paraId="5E6F7A8B" w15:paraIdParent="1A2B3C4D" w15:done="1"/>'
    )
    found = read(tmp_path, body, comments=comments, comments_extended=extended)
    first, reply = found.comments
    assert (first.comment_id, first.author, first.initials, first.date, first.text) == (
        "0",
        "Brazil",
        "Br",
        D1,
        "Say which divide.",
    )
    assert (first.anchor, first.paragraph, first.parent_id, first.done) == ("digital divide", 0, None, False)
    assert (reply.author, reply.date, reply.parent_id, reply.done, reply.anchor) == ("ITU", None, "0", True, "")
    assert render_inspection_text(found)[-1] == "reply 1 to 0 ITU (no date): Agreed. (resolved)"
    assert views(found) == (["The digital divide narrows."], ["The digital  narrows."])


def test_scrubbed_file_author_without_dates(tmp_path: Path) -> None:
    found = read(tmp_path, p(r("a ") + ins(r("test"), author="Author", date=None) + dele(dr("dummy"), "Author", None)))
    assert kinds(found) == [("insertion", "Author", None, "test"), ("deletion", "Author", None, "dummy")]
    assert render_inspection_text(found) == ["insertion Author (no date): test", "deletion Author (no date): dummy"]


def test_math_text_and_revisions_in_math_runs(tmp_path: Path) -> None:
    math = (
        "<m:oMathPara><m:oMath><m:r><m:t>A=</m:t></m:r>"
        f'<m:r><w:ins w:id="1" w:author="Brazil" w:date="{D1}"><m:t>2</m:t></w:ins></m:r>'
        "<m:r><m:t>πr</m:t></m:r></m:oMath></m:oMathPara>"
    )
    found = read(tmp_path, p(math))
    assert views(found) == (["A=2πr"], ["A=πr"])


def test_revisions_in_text_boxes_are_warned_about(tmp_path: Path) -> None:
    box = "<w:r><w:drawing><w:txbxContent>" + p(ins(r("boxed"))) + "</w:txbxContent></w:drawing></w:r>"
    found = read(tmp_path, p(r("Text") + box))
    assert views(found) == (["Text"], ["Text"])
    assert found.warnings == ("tracked changes inside a drawing or text box in the document part are not read",)


def test_strict_open_xml_is_refused(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", p(r("x")))
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["word/document.xml"] = b'<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"/>'
    rejected(write_zip(tmp_path / "strict.docx", entries), "Strict Open XML")


# -- the inspect renderings -------------------------------------------------------------------------------------------


def test_render_text_and_json(tmp_path: Path) -> None:
    body = p(r("The ") + ins(r("new ")) + dele(dr("old ")) + r("text."), mark("del")) + p(r("Next"))
    body = body.replace("</w:p>", '<w:commentRangeStart w:id="3"/></w:p>', 1)
    comments = comment(3, "ISOC", "Why?", "00000001")
    found = read(tmp_path, body, comments=comments)
    assert render_inspection_text(found) == [
        f"insertion Brazil {D1}: new ",
        f"deletion ISOC {D2}: old ",
        f"paragraph-deletion Brazil {D1}: The new old text.",
        f"comment 3 ISOC {D1}: Why?",
    ]
    assert render_inspection_text(found, "accept") == ["The new text.Next"]
    data = render_inspection_json(found)
    assert data["counts"] == {"insertion": 1, "deletion": 1, "paragraph-deletion": 1, "comments": 1}
    assert data["changes"][0] == {
        "kind": "insertion",
        "author": "Brazil",
        "date": D1,
        "text": "new ",
        "part": "document",
        "paragraph": 0,
        "where": "body",
        "detail": "",
        "id": "1",
    }
    assert render_inspection_json(found, "reject") == {
        "view": "reject",
        "paragraphs": ["The old text.", "Next"],
        "warnings": [],
    }
    with pytest.raises(ValueError):
        text_view(found, "all")


def test_main_document_found_through_relationships(tmp_path: Path) -> None:
    found = inspect_docx(make_docx(tmp_path / "t.docx", p(r("Elsewhere")), main="word/main.xml"))
    assert text_view(found, "accept") == ["Elsewhere"]
    assert open_docx(tmp_path / "t.docx").main_document_name == "word/main.xml"


# -- safety -----------------------------------------------------------------------------------------------------------


def rejected(path: Path, match: str, limits: PackageLimits = LIMITS) -> InputRejected:
    """Assert that opening and reading ``path`` is refused with a one-line message matching ``match``."""
    with pytest.raises(InputRejected, match=match) as caught:
        inspect_docx(path) if limits is LIMITS else open_docx(path, limits)
    line = caught.value.one_line()
    assert "\n" not in line and line.startswith(str(path))
    assert caught.value.exit_code == 3
    return caught.value


def write_zip(path: Path, entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A zip with exactly these entries."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def test_dtd_and_entities_are_refused(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", p(r("x")))
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["word/document.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        + f"<w:document {NS}><w:body>{p('<w:r><w:t>&lol2;</w:t></w:r>')}</w:body></w:document>".encode()
    )
    rejected(write_zip(tmp_path / "dtd.docx", entries), "DTD")


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    entries = {f"word/media/f{n}.txt": b"x" for n in range(LIMITS.max_entries + 1)}
    rejected(write_zip(tmp_path / "many.docx", entries, zipfile.ZIP_STORED), "1,001 entries")


def test_a_ratio_bomb_is_refused(tmp_path: Path) -> None:
    rejected(write_zip(tmp_path / "bomb.docx", {"word/document.xml": b"\0" * 2_000_000}), "expands more than 100:1")


def test_oversized_parts_are_refused_before_decompressing(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "big.docx", {"a.xml": b"<a/>" * 300, "b.xml": b"<b/>" * 300})
    rejected(path, "'a.xml' is 1,200 bytes", PackageLimits(max_part_bytes=1_000))
    rejected(path, "more than the 2,000 bytes allowed", PackageLimits(max_total_bytes=2_000))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.xml", "'..' segment"),
        ("word/../../evil.xml", "'..' segment"),
        ("/etc/evil.xml", "absolute path"),
        ("C:/evil.xml", "absolute path"),
        ("word\\evil.xml", "backslash"),
    ],
)
def test_unsafe_names_are_refused(tmp_path: Path, name: str, reason: str) -> None:
    rejected(write_zip(tmp_path / "bad.docx", {"[Content_Types].xml": b"<Types/>", name: b"x"}), reason)


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<a/>")
        archive.writestr("word/Document.xml", b"<b/>")
    (tmp_path / "dup.docx").write_bytes(buffer.getvalue())
    rejected(tmp_path / "dup.docx", "differ only in case")


def test_files_that_are_not_docx_are_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_text("Dear secretariat,\nplease find our comments.\n")
    rejected(tmp_path / "notes.docx", "a text file: not a Word .docx file")
    (tmp_path / "scan.docx").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    rejected(tmp_path / "scan.docx", "a PDF file: not a Word .docx file")
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    rejected(tmp_path / "old.docx", "password-protected Word file.*not a Word .docx file")
    (tmp_path / "empty.docx").write_bytes(b"")
    rejected(tmp_path / "empty.docx", "an empty file: not a Word .docx file")
    rejected(write_zip(tmp_path / "plain.docx", {"readme.txt": b"hello"}), "without \\[Content_Types\\].xml")


def test_missing_main_document_is_refused(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", p(r("x")))
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist() if name != "word/document.xml"}
    rejected(write_zip(tmp_path / "nomain.docx", entries), "no main Word document")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    deep = "<w:sdt><w:sdtContent>" * 200 + p(r("deep")) + "</w:sdtContent></w:sdt>" * 200
    path = make_docx(tmp_path / "t.docx", p(r("x")))
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["word/document.xml"] = f"<w:document {NS}><w:body>{deep}</w:body></w:document>".encode()
    rejected(write_zip(tmp_path / "deep.docx", entries), "nested deeper than 256 levels")


def test_a_damaged_part_is_refused(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", p(r("x")))
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["word/document.xml"] = b"<w:document><unclosed>"
    rejected(write_zip(tmp_path / "broken.docx", entries), "malformed XML")


# Regressions found by tests/fuzz_docx.py: each input is the minimal form of a mutated file that raised an
# exception other than InputRejected.


def _stored_docx(tmp_path: Path, name: str, document: bytes) -> tuple[Path, bytearray]:
    """A .docx with every entry stored (uncompressed) and ``document`` as word/document.xml's bytes."""
    path = make_docx(tmp_path / "t.docx", p(r("x")))
    with zipfile.ZipFile(path) as archive:
        entries = {entry: archive.read(entry) for entry in archive.namelist()}
    entries["word/document.xml"] = document
    out = write_zip(tmp_path / name, entries, zipfile.ZIP_STORED)
    return out, bytearray(out.read_bytes())


def _header(blob: bytearray, signature: bytes, entry: str) -> int:
    """The offset of the local (PK\\x03\\x04) or central (PK\\x01\\x02) header of an entry."""
    name_at = 30 if signature == b"PK\x03\x04" else 46
    at = blob.find(signature)
    while blob[at + name_at : at + name_at + len(entry)] != entry.encode():
        at = blob.find(signature, at + 1)
    return at


def test_fuzz_corrupt_deflate_data_is_refused(tmp_path: Path) -> None:
    """Deflate data that refers back before its start raised zlib.error ("invalid distance too far back")."""
    dictionary = b"<w:p><w:r><w:t>" * 20
    packer = zlib.compressobj(wbits=-15, zdict=dictionary)
    data = packer.compress(dictionary[:40]) + packer.flush()  # all back-references into the missing dictionary
    path, blob = _stored_docx(tmp_path, "deflate.docx", data)
    local = _header(blob, b"PK\x03\x04", "word/document.xml") + 8  # compression method: stored -> deflated
    central = _header(blob, b"PK\x01\x02", "word/document.xml") + 10
    blob[local : local + 2] = blob[central : central + 2] = (8).to_bytes(2, "little")
    path.write_bytes(bytes(blob))
    rejected(path, "cannot decompress the part 'word/document.xml'.*invalid distance too far back")


def test_fuzz_unknown_zip_version_is_refused(tmp_path: Path) -> None:
    """A central directory entry needing zip version 25.5 raised NotImplementedError while listing the zip."""
    path, blob = _stored_docx(tmp_path, "version.docx", xml(f"<w:document {NS}><w:body/></w:document>"))
    at = _header(blob, b"PK\x01\x02", "word/document.xml") + 6  # version needed to extract
    blob[at : at + 2] = (255).to_bytes(2, "little")
    path.write_bytes(bytes(blob))
    rejected(path, "a damaged zip archive .*zip file version 25.5")


def _noise(count: int, seed: int) -> list[str]:
    """Distinct short words, so that a long generated part does not compress past the 100:1 ratio limit."""
    generator = random.Random(seed)
    return ["".join(generator.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)) for _ in range(count)]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "<w:tbl><w:tr>" + "".join(f'<w:tc w:x="{w}"/>' for w in _noise(20_000, 1)) + "</w:tr></w:tbl>",
            id="a row of 20,000 cells (each counted its preceding siblings)",
        ),
        pytest.param(
            "<w:tbl>" + "".join(f'<w:tr w:x="{w}"/>' for w in _noise(20_000, 2)) + "</w:tbl>",
            id="a table of 20,000 rows",
        ),
        pytest.param(
            "<w:p>"
            + "".join(f'<w:commentRangeStart w:id="{i}"/>' for i in range(20_000))
            + "".join(f"<w:r><w:t>{w}</w:t></w:r>" for w in _noise(20_000, 3))
            + "</w:p>",
            id="20,000 comments never closed (each piece of text went to every open anchor)",
        ),
        pytest.param(
            "<w:p>"
            + '<w:r><w:fldChar w:fldCharType="begin"/><w:fldChar w:fldCharType="separate"/></w:r>' * 20_000
            + "".join(f"<w:r><w:t>{w}</w:t></w:r>" for w in _noise(20_000, 4))
            + "</w:p>",
            id="20,000 open fields (visibility checked every one of them)",
        ),
    ],
)
def test_fuzz_small_files_read_in_linear_time(tmp_path: Path, body: str) -> None:
    """Found while fuzzing: files of ~100 KB that took 25-50 s to read because of quadratic walks."""
    path = make_docx(tmp_path / "t.docx", body)
    began = time.monotonic()
    inspect_docx(path)
    assert time.monotonic() - began < 5


def test_a_very_long_comment_anchor_is_cut(tmp_path: Path) -> None:
    words = _noise(3_000, 5)
    body = p('<w:commentRangeStart w:id="1"/>' + "".join(r(w + " ") for w in words) + '<w:commentRangeEnd w:id="1"/>')
    found = read(tmp_path, body, comments=comment(1, "Brazil", "long", "0A0A0A0A"))
    anchor = found.comments[0].anchor
    assert len(anchor) == 10_001 and anchor.endswith("…") and anchor.startswith(" ".join(words[:100]))


def test_a_read_file_is_freed_by_reference_counting_alone(tmp_path: Path) -> None:
    """The walk's bound handlers made a cycle that held every paragraph and the parsed document until the cyclic
    collector ran (a merge reads dozens of files with it paused)."""
    note = '<w:r><w:footnoteReference w:id="1"/></w:r>'
    body = p(r("Plain") + note) + p(ins(r("new"))) + "<w:tbl><w:tr><w:tc>" + p(r("cell")) + "</w:tc></w:tr></w:tbl>"
    path = make_docx(tmp_path / "t.docx", body, footnotes=f'<w:footnote w:id="1">{p(r("note"))}</w:footnote>')
    gc.collect()
    gc.disable()
    try:
        found = inspect_docx(path)
        assert text_view(found, "accept")[1:] == ["new", "cell", "note"]
        del found
        assert gc.collect() == 0
    finally:
        gc.enable()
