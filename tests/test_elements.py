"""Exact XML of the WordprocessingML element builders."""

from __future__ import annotations

from lxml import etree

from wtpf_cli.ooxml import elements as E

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def xml(e: etree._Element) -> str:
    return etree.tostring(e).decode().replace(" " + NS, "")


def test_an_insertion_wraps_runs_with_id_author_and_date() -> None:
    e = E.ins(7, "Brazil", "2012-05-11T16:05:00Z", E.run("shall"))
    assert (
        xml(e) == '<w:ins w:id="7" w:author="Brazil" w:date="2012-05-11T16:05:00Z"><w:r><w:t>shall</w:t></w:r></w:ins>'
    )


def test_a_deleted_run_holds_its_text_in_deltext() -> None:
    e = E.delete(3, "ARIN", "2012-05-15T18:45:00Z", E.run(" will", deleted=True))
    assert xml(e) == (
        '<w:del w:id="3" w:author="ARIN" w:date="2012-05-15T18:45:00Z"><w:r>'
        '<w:delText xml:space="preserve"> will</w:delText></w:r></w:del>'
    )


def test_a_scrubbed_revision_has_no_date_attribute() -> None:
    assert xml(E.ins(1, "Author", "")) == '<w:ins w:id="1" w:author="Author"/>'


def test_run_properties_follow_schema_order() -> None:
    rpr = E.run_properties("Hyperlink", bold=True, italic=True, strike=True, mono=True)
    assert rpr is not None
    assert [c.tag.split("}")[1] for c in rpr] == ["rStyle", "rFonts", "b", "i", "strike"]
    assert E.run_properties() is None


def test_a_newline_in_a_run_becomes_a_break() -> None:
    assert xml(E.run("a\nb")) == "<w:r><w:t>a</w:t><w:br/><w:t>b</w:t></w:r>"


def test_an_inserted_paragraph_mark_sits_in_the_paragraph_properties() -> None:
    ppr = E.paragraph_properties("BodyText", num=(1, 100), jc="right", mark=E.ins(2, "ISOC", "2012-05-21T10:10:00Z"))
    assert xml(ppr) == (
        '<w:pPr><w:pStyle w:val="BodyText"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="100"/></w:numPr>'
        '<w:jc w:val="right"/><w:rPr><w:ins w:id="2" w:author="ISOC" w:date="2012-05-21T10:10:00Z"/></w:rPr></w:pPr>'
    )


def test_a_deleted_table_row_is_marked_in_the_row_properties() -> None:
    tr = E.table_row(
        [E.table_cell(100, E.paragraph(E.paragraph_properties("TableText")))],
        header=True,
        mark=E.delete(9, "ARIN", "2012-05-15T18:45:00Z"),
    )
    assert xml(tr).startswith(
        '<w:tr><w:trPr><w:tblHeader/><w:del w:id="9" w:author="ARIN" w:date="2012-05-15T18:45:00Z"/></w:trPr><w:tc>'
    )


def test_a_hyperlink_holds_the_revision_inside_it() -> None:
    h = E.hyperlink("rId100", E.ins(4, "ARIN", "2012-06-25T17:30:00Z", E.run("ARIN")))
    assert xml(h) == (
        '<w:hyperlink r:id="rId100"><w:ins w:id="4" w:author="ARIN" w:date="2012-06-25T17:30:00Z">'
        "<w:r><w:t>ARIN</w:t></w:r></w:ins></w:hyperlink>"
    )


def test_a_footnote_reference_run_uses_the_reference_style() -> None:
    assert xml(E.footnote_reference_run(2)) == (
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="2"/></w:r>'
    )
