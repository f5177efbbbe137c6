"""The committed delegate corpus (``tests/delegates/<case>/``): what each case holds, and that LibreOffice makes it
again.

Without LibreOffice: every case of ``delegates/cases.py`` has its folder, with ``case.toml`` and ``expected.md``
as ``make.py`` writes them, and each delegate's file, as pandoc reads it with its changes accepted, has the
structure of ``base.md`` with that file's substitutions: the file and the expected Markdown, made apart (one
by LibreOffice, the other by hand), agree. With LibreOffice: the files made again hold what the committed ones
hold (``docx_content``'s normalised view: text, styles, lists, rows, notes, formatting, links, comments, and
every tracked change's kind and author; not zip bytes, ids or dates), and each tracked file's Reject All, as
LibreOffice reads it (paragraphs, their styles and list labels), is the base, where LibreOffice records the
edit whole (``rejects_to_base``; where it does not, ``note`` says what it leaves).

These tests check the corpus, not wtpf's merge: that is for the tests that add the files to a workspace made
by ``support.delegates.build_base`` and compare report.md with ``expected.md`` (``support.markdown_ast``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from delegates.cases import CASES
from delegates.corpus import Case
from delegates.make import case_toml, expected_markdown, file_names, make, substituted

from support.delegates import BASE_MD, build_base
from support.docx_content import read_content
from support.libreoffice import LibreOffice, LoDoc
from support.markdown_ast import docx_structure, structure

CORPUS = Path(__file__).resolve().parent / "delegates"
NAMES = [case.name for case in CASES]


def test_every_case_folder_belongs_to_a_case() -> None:
    folders = {path.parent.name for path in CORPUS.glob("*/case.toml")}
    assert folders == set(NAMES)


@pytest.mark.parametrize("case", CASES, ids=NAMES)
def test_the_case_folder_is_what_make_writes(case: Case) -> None:
    folder = CORPUS / case.name
    assert (folder / "case.toml").read_text(encoding="utf-8") == case_toml(case)
    assert (folder / "expected.md").read_text(encoding="utf-8") == expected_markdown(case)
    assert sorted(path.name for path in folder.glob("*.docx")) == sorted(file_names(case))
    described = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    assert [(f["file"], f["source"], f["tracking"]) for f in described["files"]] == [
        (name, f.source, f.tracking) for name, f in zip(file_names(case), case.files, strict=True)
    ]


@pytest.mark.parametrize("case", [case for case in CASES if case.pandoc_accept], ids=lambda case: case.name)
def test_each_delegate_file_accepted_reads_as_the_expected_markdown(case: Case) -> None:
    base = BASE_MD.read_text(encoding="utf-8")
    for name, delegate in zip(file_names(case), case.files, strict=True):
        expected = structure(substituted(base, delegate.alone, case.name))
        assert docx_structure(CORPUS / case.name / name, "accept") == expected, name


def test_the_cases_cover_every_kind_in_each_place_tracked_and_not() -> None:
    single = [case for case in CASES if len(case.files) == 1 and case.kind != "mixed"]
    kinds = {(case.kind, case.position) for case in single}
    assert {(kind, position, tracking) for kind, position in kinds for tracking in (True, False)} == {
        (case.kind, case.position, case.files[0].tracking) for case in single
    }
    assert {position for kind, position in kinds if kind == "row-insert"} == {"first", "middle", "last"}
    assert sum(len(case.files) == 2 for case in CASES) >= 4


# -- with LibreOffice --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def remade(libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case made again, in a temporary folder."""
    out = tmp_path_factory.mktemp("corpus")
    make(out, [], libreoffice)
    return out


@pytest.mark.parametrize("case", CASES, ids=NAMES)
def test_libreoffice_makes_the_same_files_again(remade: Path, case: Case) -> None:
    for name in file_names(case):
        committed, again = read_content(CORPUS / case.name / name), read_content(remade / case.name / name)
        assert again.lines() == committed.lines(), f"{case.name}/{name} differs: run tests/delegates/make.py"


def styled(doc: LoDoc) -> list[tuple[str, str]]:
    """Each paragraph LibreOffice shows, with its style and its list label (empty ones left out: LibreOffice
    keeps one where it rejects a paragraph mark of its own beside a footnote)."""
    return [(style, line) for style, line in zip(doc.styles, doc.labelled_body(), strict=True) if line.strip()]


@pytest.fixture(scope="module")
def base_read(libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """The base build as LibreOffice reads it."""
    _, base = build_base(tmp_path_factory.mktemp("base"))
    return styled(libreoffice.read(base, "none"))


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.rejects_to_base and any(f.tracking for f in case.files)],
    ids=lambda case: case.name,
)
def test_a_tracked_file_rejected_is_the_base(
    libreoffice: LibreOffice, base_read: list[tuple[str, str]], case: Case
) -> None:
    for name, delegate in zip(file_names(case), case.files, strict=True):
        if delegate.tracking:
            assert styled(libreoffice.read(CORPUS / case.name / name, "reject")) == base_read, name
