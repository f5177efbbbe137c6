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
        '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/><w:del w:id="9" w:author="ARIN" w:date="2012-05-15T18:45:00Z"/>'
        "</w:trPr><w:tc>"
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


# The writer's fast path: the XML-text twins in _xmltext.py write exactly what lxml serializes for the builders.

REV = ("Russian Federation & <Partners>", "2012-05-11T16:05:00Z")


def _twins() -> list[tuple[str, etree._Element, str]]:
    from wtpf_cli.ooxml import _xmltext as X

    def rpr_e() -> etree._Element | None:  # a new element each time: appending moves an lxml element
        return E.run_properties("Hyperlink", bold=True, italic=True, strike=True, mono=True)

    rpr_x = X.run_properties("Hyperlink", bold=True, italic=True, strike=True, mono=True)
    cases: list[tuple[str, etree._Element, str]] = []
    for content in ("shall", " will ", "a\nb", "\n", "x\n", "", "R&D <b> \"q\" 'a' \r é\t"):
        for deleted in (False, True):
            cases.append(
                (
                    f"run {content!r} {deleted}",
                    E.run(content, rpr_e(), deleted=deleted),
                    X.run(content, rpr_x, deleted=deleted),
                )
            )
            cases.append((f"bare run {content!r}", E.run(content, deleted=deleted), X.run(content, deleted=deleted)))
    for style, flags in (("VerbatimChar", {}), (None, {"bold": True}), (None, {"italic": True, "strike": True})):
        e = E.run_properties(style, **flags)
        assert e is not None
        cases.append((f"rPr {style} {flags}", e, X.run_properties(style, **flags)))
    for date in (REV[1], ""):
        cases.append(("ins", E.ins(7, REV[0], date, E.run("w")), X.ins(7, REV[0], date, X.run("w"))))
        cases.append(("empty del", E.delete(3, REV[0], date), X.delete(3, REV[0], date)))
    for num, jc in ((None, None), ((1, 100), "right")):
        mark_e, mark_x = E.delete(2, *REV), X.delete(2, *REV)
        cases.append(
            (
                "pPr",
                E.paragraph_properties("BodyText", num=num, jc=jc, mark=mark_e),
                X.paragraph_properties("BodyText", num=num, jc=jc, mark=mark_x),
            )
        )
        cases.append(
            (
                "pPr bare",
                E.paragraph_properties("Heading1", num=num, jc=jc),
                X.paragraph_properties("Heading1", num=num, jc=jc),
            )
        )
        cases.append(
            (
                "pPr keep with next, ending a section",
                E.paragraph_properties(
                    "BodyText", num=num, jc=jc, keep_next=True, section=E.el("sectPr", None, E.el("titlePg"))
                ),
                X.paragraph_properties(
                    "BodyText", num=num, jc=jc, keep_next=True, section="<w:sectPr><w:titlePg/></w:sectPr>"
                ),
            )
        )
    cases.append(
        (
            "p",
            E.paragraph(E.paragraph_properties("BodyText"), E.run("a")),
            X.paragraph(X.paragraph_properties("BodyText"), X.run("a")),
        )
    )
    cases.append(("hyperlink", E.hyperlink("rId100", E.run("x")), X.hyperlink("rId100", X.run("x"))))
    cases.append(("empty hyperlink", E.hyperlink("rId101"), X.hyperlink("rId101")))
    cases.append(("page break", E.page_break_run(), X.page_break_run()))
    cases.append(("footnote ref", E.footnote_reference_run(2), X.footnote_reference_run(2)))
    cases.append(("footnote mark", E.footnote_ref_mark_run(), X.footnote_ref_mark_run()))
    cases.append(
        (
            "footnote",
            E.footnote(3, E.paragraph(E.paragraph_properties("FootnoteText"))),
            X.footnote(3, X.paragraph(X.paragraph_properties("FootnoteText"))),
        )
    )
    cases.append(("tblPr", E.table_properties("WtpfTable"), X.table_properties("WtpfTable")))
    cases.append(("tblGrid", E.table_grid([3212, 3213]), X.table_grid([3212, 3213])))
    for header, mark in ((True, True), (False, False)):
        cell_e = E.table_cell(100, E.paragraph(E.paragraph_properties("TableText")))
        cell_x = X.table_cell(100, X.paragraph(X.paragraph_properties("TableText")))
        cases.append(
            (
                "tr",
                E.table_row([cell_e], header=header, mark=E.ins(9, *REV) if mark else None),
                X.table_row([cell_x], header=header, mark=X.ins(9, *REV) if mark else ""),
            )
        )
    cases.append(("tbl", E.el("tbl", None, E.table_properties("T")), X.table(X.table_properties("T"))))
    for date in (REV[1], ""):
        cases.append(
            (
                "rPrChange",
                E.format_change(5, REV[0], date, E.run_properties(None, bold=True)),
                X.format_change(5, REV[0], date, X.run_properties(None, bold=True)),
            )
        )
        cases.append(("rPrChange empty", E.format_change(5, REV[0], date, None), X.format_change(5, REV[0], date, "")))
        cases.append(
            (
                "pPrChange",
                E.kind_change(6, REV[0], date, E.paragraph_properties("ListParagraph", num=(0, 1))),
                X.kind_change(6, REV[0], date, X.paragraph_properties("ListParagraph", num=(0, 1))),
            )
        )
        for tag in ("moveFromRangeStart", "moveToRangeStart"):
            cases.append(
                (
                    tag,
                    E.move_range_start(tag, 8, REV[0], date, "move1"),
                    X.move_range_start(tag, 8, REV[0], date, "move1"),
                )
            )
        cases.append(
            (
                "moveTo",
                E.revision("moveTo", 9, REV[0], date, E.run("w")),
                X.revision("moveTo", 9, REV[0], date, X.run("w")),
            )
        )
    for tag in ("moveFromRangeEnd", "moveToRangeEnd"):
        cases.append((tag, E.move_range_end(tag, 8), X.move_range_end(tag, 8)))
    rpr_change_e = E.format_change(3, *REV, E.run_properties("Hyperlink", italic=True))
    rpr_change_x = X.format_change(3, *REV, X.run_properties("Hyperlink", italic=True))
    e = E.run_properties("Hyperlink", bold=True, change=rpr_change_e)
    assert e is not None
    cases.append(("rPr with rPrChange", e, X.run_properties("Hyperlink", bold=True, change=rpr_change_x)))
    e = E.run_properties(change=E.format_change(3, *REV, None))
    assert e is not None
    cases.append(("rPr only rPrChange", e, X.run_properties(change=X.format_change(3, *REV, ""))))
    cases.append(
        (
            "pPr with marks and pPrChange",
            E.paragraph_properties(
                "Heading2",
                mark=[E.delete(2, *REV), E.revision("moveTo", 3, *REV)],
                change=E.kind_change(4, *REV, E.paragraph_properties("BodyText")),
            ),
            X.paragraph_properties(
                "Heading2",
                mark=X.delete(2, *REV) + X.revision("moveTo", 3, *REV),
                change=X.kind_change(4, *REV, X.paragraph_properties("BodyText")),
            ),
        )
    )
    cases.append(("range start", E.comment_range_start(4), X.comment_range_start(4)))
    cases.append(("range end", E.comment_range_end(4), X.comment_range_end(4)))
    cases.append(("comment ref", E.comment_reference_run(4), X.comment_reference_run(4)))
    return cases


def test_the_xml_text_twins_write_what_lxml_serializes_for_the_element_builders() -> None:
    for name, element, text in _twins():
        # as the writer serializes a part: UTF-8, so non-ASCII characters as they are
        assert etree.tostring(element, encoding="unicode").replace(" " + NS, "") == text, name


def test_the_xml_text_twins_refuse_control_characters_as_lxml_does() -> None:
    import pytest

    from wtpf_cli.ooxml import _xmltext as X

    for bad in ("a\x0bb", "\x01", "\ufffe"):
        with pytest.raises(ValueError, match="XML compatible"):
            E.run(bad)
        with pytest.raises(ValueError, match="XML compatible"):
            X.run(bad)
        with pytest.raises(ValueError, match="XML compatible"):
            X.ins(1, bad, "")
