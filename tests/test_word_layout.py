"""The Word files' page layout, read back from LibreOffice's PDF rendering (pdftotext, page by page): the cover
without the running header, table rows that never break across pages, captions kept with their tables, a space
between a footnote's number and its text, and the annexes (disposition of contributions, provenance) with the
symbol and date of their version on the cover and compact tables."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from support.cli import init_report, wtpf
from support.libreoffice import LibreOffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TABLES = 14
CAPTIONS = 30


def pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")][: _page_count(pdf)]


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def part(docx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(name))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layout") / "demo"
    wtpf("demo", str(root), cwd=root.parent)
    return root


def write_body(root: Path, body: str) -> None:
    text = (root / "report.md").read_text(encoding="utf-8")
    (root / "report.md").write_text(text[: text.index("---\n", 4) + 4] + body, encoding="utf-8")


def tall_rows_body() -> str:
    """Tables of rows several lines high, with more and more text between them: some row meets the foot of a
    page."""
    out = ["# 1 Tables", ""]
    for i in range(1, TABLES + 1):
        out += [f"1.{i}. " + "Filler text for the page. " * (9 * i % 40 + 4), ""]
        out += [f"**Table {i} – Rows**", "", f"| Head{i} | Value |", "|:--|:--|"]
        for j in range(1, 4):
            out.append(f"| RowStart{i}x{j} " + "cell text " * (25 + 7 * j) + f"RowEnd{i}x{j} | {j} |")
        out.append("")
    return "\n".join(out)


def captions_body() -> str:
    """Captioned tables of one-line rows after paragraphs of 3 to 31 lines' worth: some caption meets the foot of
    a page."""
    out = ["# 1 Tables", ""]
    for i in range(1, CAPTIONS + 1):
        out += [f"1.{i}. " + "Filler text for the page. " * (7 * (i % 5) + 3), ""]
        out += [f"**Table {i} – Caption number {i}**", "", f"| Head{i} | Value |", "|:--|:--|"]
        out += [f"| Row {j} of table {i} | {j} |" for j in range(1, 4)]
        out.append("")
    return "\n".join(out)


def test_the_cover_page_has_no_running_header_and_the_next_pages_have_it(
    demo: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    wtpf("build", "Third Draft", "-o", str(tmp_path / "clean.docx"), cwd=demo)
    sect = part(tmp_path / "clean.docx", "word/document.xml").find(f"{W}body/{W}sectPr")
    assert sect is not None and sect.find(f"{W}titlePg") is not None
    text = pages(libreoffice.to_pdf(tmp_path / "clean.docx", tmp_path / "clean.pdf"))
    header = "WTPF-IEG/2/2 — Third Draft"
    assert header not in text[0] and text[0].startswith("WTPF-IEG/2/2 31 August 2012")
    assert all(page.startswith(header) for page in text[1:]), [page[:40] for page in text]


def test_a_redline_s_first_page_and_the_cover_after_it_have_no_running_header(
    demo: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    wtpf("redline", "First Draft", "Third Draft", "-o", str(tmp_path / "redline.docx"), cwd=demo)
    text = pages(libreoffice.to_pdf(tmp_path / "redline.docx", tmp_path / "redline.pdf"))
    header = "WTPF-IEG/2/2 — Third Draft"
    assert text[0].startswith("Revision marks from First Draft") and header not in text[0]
    assert text[1].startswith("WTPF-IEG/1/2WTPF-IEG/2/2") and header not in text[1]  # the cover, its symbol changed
    assert all(page.startswith(header) for page in text[2:]), [page[:40] for page in text]
    assert text[2].endswith(" 2")  # the report's pages are numbered from its cover, the first page left out


def built_pages(tmp_path: Path, body: str, libreoffice: LibreOffice) -> list[str]:
    """The pages of a report with `body`, built as .docx and printed by LibreOffice."""
    root = init_report(tmp_path)
    write_body(root, body)
    wtpf("build", "-o", str(tmp_path / "tables.docx"), cwd=root)
    text = pages(libreoffice.to_pdf(tmp_path / "tables.docx", tmp_path / "tables.pdf"))
    assert len(text) > 5
    return text


def test_no_table_row_breaks_across_pages(tmp_path: Path, libreoffice: LibreOffice) -> None:
    text = built_pages(tmp_path, tall_rows_body(), libreoffice)
    where = {word: n for n, page in enumerate(text) for word in re.findall(r"\bRow(?:Start|End)\d+x\d+", page)}
    for i in range(1, TABLES + 1):
        for j in range(1, 4):
            assert where[f"RowStart{i}x{j}"] == where[f"RowEnd{i}x{j}"], f"table {i}, row {j} breaks across pages"
    rows = part(tmp_path / "tables.docx", "word/document.xml").iter(f"{W}tr")
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)


def test_each_caption_stays_on_the_page_of_its_table(tmp_path: Path, libreoffice: LibreOffice) -> None:
    text = built_pages(tmp_path, captions_body(), libreoffice)
    for i in range(1, CAPTIONS + 1):
        caption = next(n for n, page in enumerate(text) if f"Table {i} – Caption number {i}" in page)
        assert f"Head{i}" in text[caption].split(f"Caption number {i}", 1)[1], f"table {i}: caption left behind"


def test_a_footnote_s_text_starts_after_a_space_behind_its_number(demo: Path, tmp_path: Path) -> None:
    wtpf("build", "Third Draft", "-o", str(tmp_path / "clean.docx"), cwd=demo)
    notes = [n for n in part(tmp_path / "clean.docx", "word/footnotes.xml") if n.get(f"{W}type") is None]
    assert len(notes) >= 3
    for note in notes:
        runs = note.findall(f"{W}p")[0].findall(f"{W}r")
        assert runs[0].find(f"{W}footnoteRef") is not None
        assert "".join(runs[1].itertext()) == " ", etree.tostring(note)[:300]


def test_a_word_file_sent_back_unchanged_leaves_the_footnotes_as_they_were(tmp_path: Path) -> None:
    from support.delegates import build_base

    root, docx = build_base(tmp_path)  # its footnotes: a space after each number, as Word writes them too
    before = (root / "report.md").read_text(encoding="utf-8")
    assert "[^1]: Source: regional registries, 2012." in before
    wtpf("contribution", "add", str(docx), "--source", "Brazil", "--received", "2012-05-10", cwd=root)
    wtpf("merge", cwd=root)
    assert (root / "report.md").read_text(encoding="utf-8") == before  # the space is no edit of the note


def test_the_annexes_carry_the_symbol_and_date_of_their_version_on_the_cover(
    demo: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    wtpf("contribution", "list", "--format", "docx", "-o", str(tmp_path / "disposition.docx"), cwd=demo)
    wtpf("blame", "Second Draft", "--format", "docx", "-o", str(tmp_path / "provenance.docx"), cwd=demo)
    for name, symbol, date, version in (
        ("disposition", "WTPF-IEG/2/2", "31 August 2012", "Annex to the Third Draft"),  # the last stamped version
        ("provenance", "WTPF-IEG/1/10", "3 July 2012", "Annex to the Second Draft"),
    ):
        cover = pages(libreoffice.to_pdf(tmp_path / f"{name}.docx", tmp_path / f"{name}.pdf"))[0]
        assert cover.startswith(f"{symbol} {date} Original: English"), cover[:80]
        assert version in cover and "(no symbol)" not in cover and "(undated)" not in cover


def test_the_disposition_annex_lists_the_contributions_symbols_not_their_ids(demo: Path) -> None:
    wtpf("contribution", "list", "-o", "annex.md", cwd=demo)
    table = [line for line in (demo / "annex.md").read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    assert table[0] == "| Symbol | Source | Received | On | Kind | Disposition |"
    symbols = [row.split("|")[1].strip() for row in table[2:]]
    assert symbols[:5] == ["WTPF-IEG/1/3", "WTPF-IEG/1/4", "WTPF-IEG/1/5", "WTPF-IEG/1/6", "WTPF-IEG/1/7"]
    assert symbols[5:] == ["", "", "", ""]  # the later contributions have none: left blank, never their ids
    assert "2012-05-07-russian-federation" not in (demo / "annex.md").read_text(encoding="utf-8")


def test_the_provenance_annex_has_one_row_per_paragraph_and_is_no_longer_than_the_report(
    demo: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    wtpf("build", "Third Draft", "-o", str(tmp_path / "report.docx"), cwd=demo)
    wtpf("blame", "Third Draft", "-o", str(tmp_path / "annex.docx"), cwd=demo)
    report = libreoffice.to_pdf(tmp_path / "report.docx", tmp_path / "report.pdf")
    annex = libreoffice.to_pdf(tmp_path / "annex.docx", tmp_path / "annex.pdf")
    assert _page_count(annex) <= _page_count(report), (_page_count(annex), _page_count(report))
    import json

    paragraphs = json.loads(wtpf("blame", "Third Draft", "--json", cwd=demo).out)["paragraphs"]
    (table,) = part(tmp_path / "annex.docx", "word/document.xml").iter(f"{W}tbl")
    rows = table.findall(f"{W}tr")
    assert len(rows) == 1 + len(paragraphs)
    cells = [["".join(c.itertext()) for c in row.findall(f"{W}tc")] for row in rows]
    assert all(any(row[c].strip() for row in cells[1:]) for c in range(len(cells[0]))), "an empty column"
    widths = [int(g.get(f"{W}w")) for g in table.iter(f"{W}gridCol")]  # type: ignore[arg-type]
    assert widths[1] > widths[0] and widths[2] > widths[0], widths  # sized by content: the text is widest


def test_table_columns_are_as_wide_as_their_content_needs(demo: Path, tmp_path: Path) -> None:
    wtpf("build", "Third Draft", "-o", str(tmp_path / "clean.docx"), cwd=demo)
    tables = list(part(tmp_path / "clean.docx", "word/document.xml").iter(f"{W}tbl"))
    registries = [t for t in tables if "Service region" in "".join(t.itertext())]
    assert len(registries) == 1
    widths = [int(g.get(f"{W}w")) for g in registries[0].iter(f"{W}gridCol")]  # type: ignore[arg-type]
    # Registry (IANA, APNIC...) is narrow; service regions and free-pool states are long phrases
    assert sum(widths) == 9638 and widths[0] < widths[1] / 2 and widths[0] < widths[2] / 2, widths
