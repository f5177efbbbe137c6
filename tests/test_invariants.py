"""The six invariants of PRODUCT.md, read back by independent readers: LibreOffice (UNO: Accept All / Reject All)
and pandoc (--track-changes=accept|reject), on the demo's redlines and on every golden case."""

from __future__ import annotations

import itertools
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from support import words
from support.libreoffice import LibreOffice
from support.ooxml_view import REVISION_TAGS, read_paragraphs, revisions
from support.pandoc import pandoc_read
from support.workspaces import commit_body, new_workspace
from wtpf_cli.attribution.redline import RedlineRequest
from wtpf_cli.demo import run_demo
from wtpf_cli.render.documents import build, redline_docx
from wtpf_cli.store.workspace import Workspace, open_workspace

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
DEMO_SOURCES = {"ITU Secretariat", "Brazil", "Russian Federation", "United States", "ARIN", "Internet Society"}
PAIRS = [
    ("First Draft", "Third Draft"),
    ("First Draft", "Preliminary Second Draft"),
    ("Preliminary Second Draft", "Second Draft"),
    ("Second Draft", "Third Draft"),
]
CASES = Path(__file__).parent / "cases"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("demo") / "ws"
    run_demo(root)
    return open_workspace(root)


@pytest.fixture(scope="module")
def outputs(demo: Workspace, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Clean builds of every version and the redlines of PAIRS."""
    out = tmp_path_factory.mktemp("out")
    files: dict[str, Path] = {}
    for name in {n for pair in PAIRS for n in pair}:
        files[name] = build(demo, name, out / f"{name}.docx").value.path
    for old, new in PAIRS:
        written, _ = redline_docx(demo, RedlineRequest(old, new), out / f"{old} to {new}.docx")
        files[f"{old}>{new}"] = written.path
    return files


def nonempty(paras: list[str]) -> list[str]:
    return [" ".join(p.split()) for p in paras if p.strip()]


# -- invariant 1: accept all = new, reject all = old ---------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_libreoffice_accept_all_gives_the_newer_version_and_reject_all_the_older(
    libreoffice: LibreOffice, outputs: dict[str, Path], old: str, new: str
) -> None:
    redline = outputs[f"{old}>{new}"]
    accepted = libreoffice.read(redline, "accept")
    rejected = libreoffice.read(redline, "reject")
    clean_new = libreoffice.read(outputs[new], "none")
    clean_old = libreoffice.read(outputs[old], "none")
    assert accepted.changes, "the redline has tracked changes"
    assert nonempty(accepted.body) == nonempty(clean_new.body)
    assert nonempty(rejected.body) == nonempty(clean_old.body)
    assert accepted.footnotes == clean_new.footnotes
    assert rejected.footnotes == clean_old.footnotes
    assert accepted.labels == clean_new.labels or len(accepted.body) != len(clean_new.body)


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_pandoc_accept_gives_the_newer_words_and_reject_the_older(outputs: dict[str, Path], old: str, new: str) -> None:
    redline = outputs[f"{old}>{new}"]
    assert pandoc_read(redline, "accept").words() == pandoc_read(outputs[new], "accept").words()
    assert pandoc_read(redline, "reject").words() == pandoc_read(outputs[old], "accept").words()


def golden_cases() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "old.md").exists())


@pytest.mark.parametrize("name", golden_cases())
def test_each_golden_case_accepts_and_rejects_cleanly_in_libreoffice_and_pandoc(
    libreoffice: LibreOffice, tmp_path: Path, name: str
) -> None:
    folder = CASES / name
    ws = new_workspace(tmp_path / "ws", (folder / "old.md").read_text(encoding="utf-8"))
    base = ws.history.head()
    assert base is not None
    if (folder / "mid.md").exists():
        commit_body(ws, (folder / "mid.md").read_text(encoding="utf-8"), "Brazil", "2012-02-01T10:00:00Z")
    head = commit_body(ws, (folder / "new.md").read_text(encoding="utf-8"), "ARIN", "2012-03-01T10:00:00Z")
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")
    old = build(ws, base, tmp_path / "old.docx").value.path
    new = build(ws, head, tmp_path / "new.docx").value.path
    for view, clean in (("accept", new), ("reject", old)):
        got, want = libreoffice.read(redline.path, view), libreoffice.read(clean, "none")
        assert nonempty(got.body) == nonempty(want.body), view
        assert got.footnotes == want.footnotes, view
        assert pandoc_read(redline.path, view).words() == pandoc_read(clean, "accept").words(), view


# -- invariant 2: every change has its true source and a UTC date ----------------------------------------------------


def test_every_change_is_authored_by_a_source_of_the_history_with_a_utc_date(
    libreoffice: LibreOffice, outputs: dict[str, Path]
) -> None:
    redline = outputs["First Draft>Third Draft"]
    ours = revisions(redline)
    assert {r.author for r in ours} == DEMO_SOURCES
    assert all(DATE_RE.match(r.date) for r in ours)
    seen = libreoffice.read(redline, "none").changes
    assert {c["author"] for c in seen} == DEMO_SOURCES
    assert all(str(c["date"]).startswith("2012-") for c in seen)


def test_changes_between_two_versions_carry_only_the_sources_that_made_them(outputs: dict[str, Path]) -> None:
    # Between the Second and Third Drafts only Brazil, ISOC and the Secretariat committed (drafts/README.md).
    authors = {r.author for r in revisions(outputs["Second Draft>Third Draft"])}
    assert authors == {"Brazil", "Internet Society", "ITU Secretariat"}


def test_a_rewording_of_another_sources_insertion_shows_both_names(outputs: dict[str, Path]) -> None:
    # The Russian Federation added 3.1.4; the United States later reworded it.
    paras = read_paragraphs(outputs["First Draft>Third Draft"])
    para = next(p for p in paras if "Tunis Agenda recognizes" in "".join(s.text for s in p.segments))
    authors = {s.author for s in para.segments if s.kind == "ins"}
    assert {"Russian Federation", "United States"} <= authors


# -- invariant 3: opens without repair --------------------------------------------------------------------------------


def parts(path: Path) -> dict[str, etree._Element]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n), parser) for n in ("word/document.xml", "word/footnotes.xml")}


@pytest.mark.parametrize("key", ["First Draft>Third Draft", "Second Draft>Third Draft"])
def test_the_redline_is_well_formed_for_word(outputs: dict[str, Path], key: str) -> None:
    trees = parts(outputs[key])
    tags = (*REVISION_TAGS, "moveFromRangeStart", "moveToRangeStart")
    ids = Counter(e.get(W + "id") for t in trees.values() for tag in tags for e in t.iter(W + tag))
    assert ids and max(ids.values()) == 1, "revision ids are unique across the package"
    for tree in trees.values():  # each move's source and destination ranges share its name, once each
        names = {
            kind: Counter(e.get(W + "name") for e in tree.iter(f"{W}{kind}RangeStart"))
            for kind in ("moveFrom", "moveTo")
        }
        assert names["moveFrom"] == names["moveTo"] and set(names["moveTo"].values()) <= {1}
        ends = {kind: {e.get(W + "id") for e in tree.iter(f"{W}{kind}RangeEnd")} for kind in ("moveFrom", "moveTo")}
        for kind in ("moveFrom", "moveTo"):
            assert {e.get(W + "id") for e in tree.iter(f"{W}{kind}RangeStart")} == ends[kind]
    for tree in trees.values():
        for d in tree.iter(W + "del"):
            assert d.find(f".//{W}t") is None, "deleted text is in w:delText"
        for i in tree.iter(W + "ins"):
            assert i.find(f".//{W}delText") is None
        for h in tree.iter(W + "hyperlink"):
            assert not [a for a in h.iterancestors() if a.tag in (W + "ins", W + "del")], "revisions go inside links"
    for p in read_paragraphs(outputs[key]):
        kinds = {s.kind for s in p.segments if s.text.strip()}
        if kinds == {"del"} and p.row == "plain":
            assert p.mark == "del", f"a deleted paragraph has its mark deleted: {p.segments[0].text!r}"
    with zipfile.ZipFile(outputs[key]) as z:
        assert z.testzip() is None
        notes = etree.fromstring(z.read("word/footnotes.xml"))
        refs = {e.get(W + "id") for e in trees["word/document.xml"].iter(W + "footnoteReference")}
        defined = {e.get(W + "id") for e in notes.iter(W + "footnote")}
        assert refs <= defined


def test_libreoffice_loads_every_output_without_error(libreoffice: LibreOffice, outputs: dict[str, Path]) -> None:
    for path in outputs.values():
        assert libreoffice.read(path, "none").body


# -- invariant 4: word granularity ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["First Draft>Third Draft", "Preliminary Second Draft>Second Draft"])
def test_changes_are_whole_words_never_letters(outputs: dict[str, Path], key: str) -> None:
    for p in read_paragraphs(outputs[key]):
        for hidden in ("del", "ins"):  # the accept view hides deletions, the reject view insertions
            segs = [s for s in p.segments if s.kind != hidden and s.text]
            for a, b in itertools.pairwise(segs):
                if a.kind != b.kind:
                    assert not (a.text[-1].isalnum() and b.text[0].isalnum()), (a.text, b.text)


# -- invariant 5: deterministic ---------------------------------------------------------------------------------------


def test_the_same_redline_twice_gives_identical_bytes(demo: Workspace, tmp_path: Path) -> None:
    a, _ = redline_docx(demo, RedlineRequest("First Draft", "Third Draft"), tmp_path / "a.docx")
    b, _ = redline_docx(demo, RedlineRequest("First Draft", "Third Draft"), tmp_path / "b.docx")
    assert a.path.read_bytes() == b.path.read_bytes()


def test_two_demo_runs_give_byte_identical_documents(tmp_path: Path) -> None:
    one = run_demo(tmp_path / "one").value
    two = run_demo(tmp_path / "two").value
    assert one.redline.path.read_bytes() == two.redline.path.read_bytes()
    assert one.clean.path.read_bytes() == two.clean.path.read_bytes()
    assert one.page.path.suffix == ".html"
    assert one.page.path.read_bytes() == two.page.path.read_bytes()
    with zipfile.ZipFile(one.redline.path) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# -- the demo itself ---------------------------------------------------------------------------------------------


def test_the_demos_redline_shows_a_move_a_formatting_change_a_paragraph_kind_change_and_its_first_page(
    outputs: dict[str, Path],
) -> None:
    paras = read_paragraphs(outputs["First Draft>Third Draft"], summary=True)
    assert paras[0].style == "RevisionSummaryTitle"
    title = "".join(s.text for s in paras[0].segments)
    assert title == "Revision marks from First Draft (WTPF-IEG/1/2) to Third Draft (WTPF-IEG/2/2)"
    moved = [p for p in paras if any(s.move == "moveTo" for s in p.segments)]
    assert len(moved) == 1 and "cost of international connectivity" in "".join(s.text for s in moved[0].segments)
    assert moved[0].mark_author == "ITU Secretariat"
    assert [(s.text, s.formatted_by) for p in paras for s in p.segments if s.was is not None] == [
        ("non-binding", "United States")
    ]
    assert {(p.was, p.kind_author) for p in paras if p.was is not None} == {("ListParagraph 1/0", "ITU Secretariat")}


def test_the_demo_has_three_or_more_versions_and_four_or_more_sources(demo: Workspace) -> None:
    from wtpf_cli.store.versions import list_versions

    assert len(list_versions(demo)) >= 3
    authors = {r.author for r in revisions(next(iter((demo.root / "out").glob("*redline*.docx"))))}
    assert len(authors) >= 4 and "ITU Secretariat" in authors


def test_words_helper_splits_on_whitespace() -> None:
    assert words(["a  b", "c"]) == ["a", "b", "c"]
