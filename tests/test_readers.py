"""The independent readers (LibreOffice, pandoc) are right, so other tests can trust them as oracles.

The corpus at ../shared/corpus/docx holds Word files with tracked changes whose right answers are known:
``oxpt/RP/X.docx`` comes with ``X-Accepted.docx`` and ``X-Rejected.docx``, made by Word, and ``oracle.json``
records what LibreOffice 7.4 and pandoc 3.9 read in each file. Texts are compared as word sequences.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from support import words
from support.libreoffice import LibreOffice, LibreOfficeError, LoDoc
from support.pandoc import PandocDoc, pandoc_read

# Each RP stem below has -Accepted and -Rejected siblings; between them they cover inserted and deleted
# text, paragraph marks (inserted, deleted, both), table rows and cells, merged cells, moves, field codes,
# footnotes and changes at the end of the document.
SIBLING_STEMS = [
    "RP002-Deleted-Text",
    "RP003-Inserted-Text",
    "RP005-Deleted-Paragraph-Mark",
    "RP006-Inserted-Paragraph-Mark",
    "RP007-Multiple-Deleted-Para-Mark",
    "RP009-Deleted-Table-Row",
    "RP010-Inserted-Table-Row",
    "RP015-MoveFrom-MoveTo",
    "RP019-Deleted-Field-Code",
    "RP020-Inserted-Field-Code",
    "RP034-Deleted-Cells",
    "RP036-Vert-Merged-Cells",
    "RP040-Deleted-Paras-at-End",
    "RP047-Inserted-and-Deleted-Paragraph-Mark",
    "RP049-Deleted-Para-Before-Table",
    "RP050-Deleted-Footnote",
    "RP052-Deleted-Para-Mark",
]
SIBLING = {"accept": "Accepted", "reject": "Rejected"}


def known(reason: str) -> Any:
    """A known divergence of a reader from Word; strict, so a reader that starts to agree is noticed."""
    return pytest.mark.xfail(reason=reason, strict=True)


def except_known(known_cases: dict[str, str]) -> list[Any]:
    """SIBLING_STEMS with the known divergences (stem -> reason) marked, appended where missing."""
    cases: list[Any] = [stem for stem in SIBLING_STEMS if stem not in known_cases]
    return cases + [pytest.param(stem, marks=known(reason)) for stem, reason in known_cases.items()]


LO_ACCEPT_STEMS = except_known({"RP004-Deleted-Text-in-CC": "LO 7.4 keeps text deleted in a content control"})
LO_REJECT_STEMS = except_known({"RP018-MoveFrom-MoveTo-CC": "LO 7.4 mishandles moves in content controls"})
PANDOC_ACCEPT_STEMS = except_known(
    {"RP005-Deleted-Paragraph-Mark": "pandoc does not join the paragraphs around a deleted paragraph mark"}
)
PANDOC_REJECT_STEMS = except_known({"RP034-Deleted-Cells": "pandoc misses a cell of the Rejected sibling"})

# Files whose tracked changes LibreOffice read when oracle.json was recorded (its `error` is empty).
AUTHORED_FILES = [
    "pandoc/track_changes_insertion.docx",
    "pandoc/track_changes_deletion.docx",
    "pandoc/track_changes_move.docx",
    "pandoc/paragraph_insertion_deletion.docx",
    "docx-revisions/OXML_TrackChanges_Test.docx",
    "poi/delins.docx",
]


def oracle(corpus: Path) -> dict[str, Any]:
    recorded: dict[str, Any] = json.loads((corpus / "oracle.json").read_text(encoding="utf-8"))
    return recorded


def rp(corpus: Path, stem: str, view: str | None = None) -> Path:
    name = f"{stem}-{SIBLING[view]}.docx" if view else f"{stem}.docx"
    return corpus / "oxpt" / "RP" / name


def lo_words(doc: LoDoc) -> list[str]:
    return words(doc.labelled_body())


def note_words(doc: LoDoc | PandocDoc) -> list[str]:
    notes = doc.footnotes + doc.endnotes if isinstance(doc, LoDoc) else doc.footnotes
    return words(notes)


# -- LibreOffice and pandoc against Word's own accepted and rejected copies ---------------------------------


def check_libreoffice(libreoffice: LibreOffice, corpus: Path, stem: str, view: str) -> None:
    seen = libreoffice.read(rp(corpus, stem), view)
    expected = libreoffice.read(rp(corpus, stem, view), "none")
    assert seen.changes, "the original has tracked changes"
    assert expected.changes == [], "the sibling has none"
    assert seen.remaining_changes == 0
    assert lo_words(seen) == lo_words(expected)
    assert note_words(seen) == note_words(expected)


def check_pandoc(corpus: Path, stem: str, view: str) -> None:
    seen = pandoc_read(rp(corpus, stem), view)
    expected = pandoc_read(rp(corpus, stem, view), "accept")
    assert seen.words() == expected.words()
    assert note_words(seen) == note_words(expected)


@pytest.mark.parametrize("stem", LO_ACCEPT_STEMS)
def test_libreoffice_accept_view_matches_the_accepted_sibling(
    libreoffice: LibreOffice, corpus: Path, stem: str
) -> None:
    check_libreoffice(libreoffice, corpus, stem, "accept")


@pytest.mark.parametrize("stem", LO_REJECT_STEMS)
def test_libreoffice_reject_view_matches_the_rejected_sibling(
    libreoffice: LibreOffice, corpus: Path, stem: str
) -> None:
    check_libreoffice(libreoffice, corpus, stem, "reject")


@pytest.mark.parametrize("stem", PANDOC_ACCEPT_STEMS)
def test_pandoc_accept_view_matches_the_accepted_sibling(corpus: Path, stem: str) -> None:
    check_pandoc(corpus, stem, "accept")


@pytest.mark.parametrize("stem", PANDOC_REJECT_STEMS)
def test_pandoc_reject_view_matches_the_rejected_sibling(corpus: Path, stem: str) -> None:
    check_pandoc(corpus, stem, "reject")


# -- the readers against oracle.json and against each other -------------------------------------------------


@pytest.mark.parametrize("name", AUTHORED_FILES)
def test_libreoffice_names_the_authors_oracle_json_records(libreoffice: LibreOffice, corpus: Path, name: str) -> None:
    recorded = oracle(corpus)[name]
    doc = libreoffice.read(corpus / name, "none")
    assert doc.authors == recorded["authors"]
    assert len(doc.changes) == recorded["changes"]
    assert sorted({change["type"] for change in doc.changes}) == recorded["change_types"]
    assert all(change["date"] for change in doc.changes)


@pytest.mark.parametrize(
    "name",
    [
        "docx-revisions/OXML_TrackChanges_Test.docx",
        "pandoc/track_changes_move.docx",
        "poi/delins.docx",  # bulleted lists
        "oxpt/RP/RP022-NumberingChange.docx",  # numbered and bulleted lists
        "oxpt/RP/RP036-Vert-Merged-Cells.docx",  # a table
    ],
)
@pytest.mark.parametrize("view", ["accept", "reject"])
def test_libreoffice_reads_the_text_oracle_json_records(
    libreoffice: LibreOffice, corpus: Path, name: str, view: str
) -> None:
    assert lo_words(libreoffice.read(corpus / name, view)) == oracle(corpus)[name][view].split()


# Not OXML_TrackChanges_Test.docx: it has <w:t>DRAFT </w:t> without xml:space="preserve", whose trailing space
# LibreOffice (like Word) drops and pandoc keeps.
BOTH_READERS_AGREE = [
    "docx-revisions/tricky-track-changes.docx",
    "pandoc/track_changes_insertion.docx",
    "pandoc/track_changes_deletion.docx",
    "pandoc/track_changes_move.docx",
    "oxpt/RP/RP047-Inserted-and-Deleted-Paragraph-Mark.docx",
]


@pytest.mark.parametrize(
    ("name", "view"),
    [(name, view) for name in BOTH_READERS_AGREE for view in SIBLING]
    + [
        ("pandoc/paragraph_insertion_deletion.docx", "reject"),
        pytest.param(
            "pandoc/paragraph_insertion_deletion.docx",
            "accept",
            marks=known("pandoc does not join the paragraphs around a deleted paragraph mark; LO does"),
        ),
    ],
)
def test_libreoffice_and_pandoc_read_the_same_words(
    libreoffice: LibreOffice, corpus: Path, name: str, view: str
) -> None:
    assert libreoffice.read(corpus / name, view).words() == pandoc_read(corpus / name, view).words()


@pytest.mark.parametrize("name", AUTHORED_FILES[:5])
def test_pandoc_names_the_same_authors_as_libreoffice(libreoffice: LibreOffice, corpus: Path, name: str) -> None:
    changes = pandoc_read(corpus / name, "all").changes
    assert sorted({change["author"] for change in changes}) == libreoffice.read(corpus / name, "none").authors


def test_tables_are_read_cell_by_cell_row_by_row(libreoffice: LibreOffice, corpus: Path) -> None:
    table = rp(corpus, "RP999-Table")  # a 4 x 3 table holding 1 2 3 / 4 5 6 / 7 8 9 / A B C
    expected = list("123456789ABC")
    assert libreoffice.read(table, "none").words() == expected
    assert pandoc_read(table, "accept").words() == expected


def test_footnotes_and_endnotes_are_read_apart_from_the_body(libreoffice: LibreOffice, corpus: Path) -> None:
    with_endnotes = corpus / "oxpt" / "RC" / "RC007-Endnotes-After.docx"
    lo, pandoc = libreoffice.read(with_endnotes, "none"), pandoc_read(with_endnotes, "accept")
    text = "Video provides a powerful way to help you prove your point."
    assert lo.words() == pandoc.words() == text.split()
    assert lo.footnotes == []
    assert [words([note]) for note in lo.endnotes] == [words([note]) for note in pandoc.footnotes]
    assert lo.endnotes[1] == " This is an endnote with a change.\nThis endnote has multiple paragraphs."

    deleted_footnote = rp(corpus, "RP050-Deleted-Footnote")
    assert libreoffice.read(deleted_footnote, "reject").footnotes == [" This is a test."]
    assert libreoffice.read(deleted_footnote, "accept").footnotes == []
    assert pandoc_read(deleted_footnote, "reject").footnotes == ["This is a test."]
    assert pandoc_read(deleted_footnote, "accept").footnotes == []


# -- LibreOffice as a service: comments, failures, crashes, PDF, the input left alone -----------------------


def test_libreoffice_reads_documents_with_comments(libreoffice: LibreOffice, corpus: Path) -> None:
    # Debian's no-GUI LibreOffice aborts when it lays out comments; the worker reads them and then drops them.
    name = corpus / "pandoc" / "comments.docx"
    lo, pandoc = libreoffice.read(name, "accept"), pandoc_read(name, "all")
    assert lo.words() == pandoc.words()
    lo_comments = sorted((c["author"], words([c["text"]])) for c in lo.comments)
    assert lo_comments == sorted((c["author"], words([c["text"]])) for c in pandoc.comments)
    assert len(lo_comments) == 5

    scrubbed = corpus / "pandoc" / "track_changes_scrubbed_metadata.docx"  # comment + changes by "Author"
    for view in ("accept", "reject"):
        assert libreoffice.read(scrubbed, view).words() == pandoc_read(scrubbed, view).words()
    assert libreoffice.read(scrubbed, "none").authors == ["Author"]


def test_a_file_libreoffice_cannot_read_fails_alone(libreoffice: LibreOffice, corpus: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes((corpus / "poi" / "delins.docx").read_bytes()[:3000])
    with pytest.raises(LibreOfficeError, match=r"broken\.docx"):
        libreoffice.read(broken, "accept")
    with pytest.raises(LibreOfficeError, match="no such file"):
        libreoffice.read(tmp_path / "missing.docx", "accept")
    assert libreoffice.read(rp(corpus, "RP003-Inserted-Text"), "accept").words()


def test_libreoffice_comes_back_after_soffice_dies(libreoffice: LibreOffice, corpus: Path) -> None:
    import os
    import signal

    libreoffice.start()
    starts, pid = libreoffice.starts, libreoffice.soffice_pid
    assert pid is not None
    os.killpg(pid, signal.SIGKILL)
    doc = libreoffice.read(rp(corpus, "RP003-Inserted-Text"), "accept")
    assert doc.words() == libreoffice.read(rp(corpus, "RP003-Inserted-Text", "accept"), "none").words()
    assert libreoffice.starts == starts + 1
    assert libreoffice.soffice_pid not in (None, pid)


def test_reading_leaves_the_input_file_alone(libreoffice: LibreOffice, corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.docx"
    shutil.copyfile(corpus / "pandoc" / "track_changes_insertion.docx", source)
    before = source.read_bytes()
    libreoffice.read(source, "accept")
    libreoffice.to_pdf(source, tmp_path / "out.pdf")
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.docx", "out.pdf"]  # no lock files either


def test_libreoffice_exports_a_pdf_showing_the_changes(libreoffice: LibreOffice, corpus: Path, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    source = corpus / "pandoc" / "track_changes_deletion.docx"
    pdf = libreoffice.to_pdf(source, tmp_path / "marked.pdf")
    accepted = libreoffice.to_pdf(source, tmp_path / "accepted.pdf", view="accept")

    def pdf_words(path: Path) -> list[str]:
        assert path.read_bytes()[:5] == b"%PDF-"
        run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
        return run.stdout.split()

    # The marked-up PDF still shows the deleted words (struck through); the accepted one does not.
    all_words = libreoffice.read(source, "none").words()
    assert pdf_words(pdf) == all_words
    assert pdf_words(accepted) == libreoffice.read(source, "accept").words() != all_words
