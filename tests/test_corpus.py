"""Our reader against other programs over the public corpus in ../shared/corpus/docx.

- Open-XML-PowerTools ``oxpt/RP/X.docx`` with ``X-Accepted.docx`` and ``X-Rejected.docx`` siblings (made by its
  revision processor): our accept and reject views of X have the words of our plain view of the siblings.
- Every other file: agreement with ``oracle.json``, which holds LibreOffice's text (``accept``/``reject``: list
  labels written into the text, footnote anchors as their numbers, date fields recomputed, formulas left out) and
  pandoc's plain-text output (``pandoc_accept``/``pandoc_reject``: tables drawn with rules, notes as ``[n]`` with
  their text at the end, list labels, formulas as TeX). Both are brought to body words (labels, rules and note
  texts taken out, note anchors as numbers); where the two readers agree with each other we must give the same
  words; where they disagree we must give the words of one of them (or of pandoc's syntax tree, read live through
  ``support.pandoc``). Files LibreOffice could not open are compared with pandoc alone.
- The authors LibreOffice reports are ours; the comments pandoc reads are ours.

A case we cannot match is an ``xfail(strict=True)`` with its reason; pass counts are printed at the end.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wtpf_cli.ooxml.inspection import inspect_docx
from wtpf_cli.ooxml.revisions import Inspection
from wtpf_cli.ooxml.views import roman_numeral, text_view

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "docx"
ORACLE = CORPUS / "oracle.json"
ABSENT = f"the shared corpus is absent: no {ORACLE}"
VIEWS = ("accept", "reject")

MATH = (
    "Office Math: LibreOffice leaves formulas out of its text and pandoc writes them as TeX (2\\pi r^{2}); "
    "we give the formula's own characters (A=2πr2)"
)
FIELDS = (
    "date fields: LibreOffice recomputes them (today's date) and pandoc drops the w:fldSimple result; "
    "we give the results stored in the file (2/7/2020, and the inserted 2/8/2020)"
)
INSERTED_ROW = (
    "a table row marked inserted (w:trPr/w:ins) holds untracked text ('2' and a deleted '1'): rejecting the row's "
    "insertion removes the whole row, as Word does; LibreOffice and pandoc keep the untracked '21'"
)
KNOWN_TEXT: dict[tuple[str, str], str] = {
    **{("oxpt/FA/RevTracking/008-InsertedFieldCode.docx", view): FIELDS for view in VIEWS},
    **{
        (name, view): MATH
        for view in VIEWS
        for name in (
            "oxpt/FA/RevTracking/011-InsertedMathChar.docx",
            "oxpt/FA/RevTracking/012-DeletedMathChar.docx",
            "oxpt/RP/RP013-Deleted-Math-Control-Char-Accepted.docx",
            "oxpt/RP/RP013-Deleted-Math-Control-Char-Rejected.docx",
            "oxpt/RP/RP014-Inserted-Math-Control-Char-Accepted.docx",
            "oxpt/RP/RP014-Inserted-Math-Control-Char-Rejected.docx",
        )
    },
    ("oxpt/RP/RP001-Tracked-Revisions-01.docx", "reject"): INSERTED_ROW,
    ("oxpt/RP/RP001-Tracked-Revisions-02.docx", "reject"): INSERTED_ROW,
}

LO_SKIPS = "LibreOffice does not import this revision, so it reports no author; we read it: "
KNOWN_AUTHORS: dict[str, str] = {
    **dict.fromkeys(
        (
            "oxpt/FA/RevTracking/011-InsertedMathChar.docx",
            "oxpt/FA/RevTracking/012-DeletedMathChar.docx",
            "oxpt/RP/RP013-Deleted-Math-Control-Char.docx",
            "oxpt/RP/RP014-Inserted-Math-Control-Char.docx",
        ),
        LO_SKIPS + "an insertion or deletion inside a formula (m:r)",
    ),
    **dict.fromkeys(
        ("oxpt/FA/RevTracking/015-InsertedContentControl.docx", "oxpt/RP/RP017-Inserted-CC.docx"),
        LO_SKIPS + "a content control inserted (w:customXmlInsRangeStart)",
    ),
    "oxpt/RP/RP004-Deleted-Text-in-CC.docx": LO_SKIPS + "a deletion inside a content control (w:sdt)",
    **dict.fromkeys(
        ("oxpt/FA/RevTracking/020-SectionPropertiesChange.docx", "oxpt/RP/RP027-Change-Section.docx"),
        LO_SKIPS + "a section properties change (w:sectPrChange)",
    ),
    **dict.fromkeys(
        (
            "oxpt/FA/RevTracking/021-TableGridChange.docx",
            "oxpt/FA/RevTracking/022-TablePropertiesChange.docx",
            "oxpt/FA/RevTracking/024-RowPropertiesChange.docx",
            "oxpt/RP/RP028-Table-Grid-Change.docx",
            "oxpt/RP/RP029-Table-Row-Props-Change.docx",
            "oxpt/RP/RP030-Table-Row-Props-Change.docx",
            "oxpt/RP/RP031-Table-Prop-Change.docx",
            "oxpt/RP/RP032-Table-Prop-Change.docx",
            "oxpt/RP/RP033-Table-Prop-Ex-Change.docx",
        ),
        LO_SKIPS + "table, row and cell property changes (w:tblPrChange, w:tblPrExChange, w:trPrChange, w:tcPrChange)",
    ),
    "oxpt/RP/RP021-Inserted-Numbering-Properties.docx": LO_SKIPS + "inserted numbering properties (w:numPr/w:ins)",
    "oxpt/RP/RP024-ParagraphMark-rPr-Change.docx": LO_SKIPS + "a paragraph mark's run properties change",
    "oxpt/RP/RP026-NumberingChange.docx": LO_SKIPS + "an inserted LISTNUM field without result text",
    "oxpt/RP/RP037-Changed-Style-Para-Props.docx": LO_SKIPS + "changes in a style definition (styles.xml)",
    "oxpt/RP/RP051-Arabic.docx": (
        "LibreOffice reports no tracked changes in this file and shows one text for accept and reject, matching "
        "neither Power Tools sibling (still so with its dates rewritten as plain UTC); we read its 172 changes, "
        "and our views match the siblings"
    ),
}
KNOWN_COMMENTS: dict[str, str] = {
    "poi/comment.docx": "a comment with a reference mark but no range: pandoc reads comments only from their ranges",
}

RESULTS: dict[str, list[bool]] = {}


def _load_oracle() -> dict[str, dict[str, Any]]:
    """oracle.json, or nothing when the corpus is absent."""
    if not ORACLE.is_file():
        return {}
    data: dict[str, dict[str, Any]] = json.loads(ORACLE.read_text(encoding="utf-8"))
    return data


ORACLE_DATA = _load_oracle()


def _sibling_stems() -> list[str]:
    """The oxpt/RP files X that have both X-Accepted.docx and X-Rejected.docx."""
    folder = CORPUS / "oxpt" / "RP"
    if not folder.is_dir():
        return []
    return sorted(
        path.stem
        for path in folder.glob("*.docx")
        if not path.stem.endswith(("-Accepted", "-Rejected"))
        and (folder / f"{path.stem}-Accepted.docx").is_file()
        and (folder / f"{path.stem}-Rejected.docx").is_file()
    )


SIBLINGS = _sibling_stems()
SIBLING_FILES = {f"oxpt/RP/{stem}.docx" for stem in SIBLINGS}
OTHER_FILES = sorted(name for name in ORACLE_DATA if name not in SIBLING_FILES)


def _params(cases: Iterable[tuple[str, ...]], known: dict[Any, str], key: Any = None) -> list[Any]:
    """pytest params, the known misses marked xfail(strict) with their reason; one skip when the corpus is absent."""
    out = []
    for case in cases:
        found = known.get(case if key is None else key(case))
        marks = [pytest.mark.xfail(strict=True, reason=found)] if found else []
        out.append(pytest.param(*case, id="-".join(case), marks=marks))
    return out or [pytest.param(*(None,) * 2, id="corpus-absent", marks=pytest.mark.skip(reason=ABSENT))]


@functools.cache
def inspection(name: str) -> Inspection:
    """Our reading of a corpus file (cached: each file is read once per session)."""
    return inspect_docx(CORPUS / name)


def words(texts: Iterable[str]) -> list[str]:
    """Whitespace-separated words; a non-breaking hyphen counts as a hyphen (we write w:noBreakHyphen as '-')."""
    return [word.replace("\u2011", "-") for text in texts for word in text.split()]


_LO_LABEL = re.compile(r"^[ \t]{4,}(?:[•◦▪■□●○–-]|\d+(?:\.\d+)*[.)]?|[a-zA-Z]{1,5}[.)])[ \t]")
_PANDOC_LABEL = re.compile(r"^\s*(?:[-*+]|\(?\d+[.)]|\(?[a-zA-Z]{1,5}[.)])\s+")
_PANDOC_RULE = re.compile(r"^[-=+|:]+$")
_PANDOC_NOTE_REF = re.compile(r"\[(\d+)\]")
_PANDOC_NOTES = re.compile(r"^\[1\]\s")


def lo_words(text: str) -> list[str]:
    """LibreOffice's text as body words: list labels taken out."""
    return words(_LO_LABEL.sub("", line) for line in text.split("\n"))


def pandoc_words(text: str, note_mark: Any) -> list[str]:
    """pandoc's plain text as body words: list labels, table rules and the notes at the end out, anchors as marks."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if _PANDOC_NOTES.match(line):
            lines = lines[:number]
            break
    out: list[str] = []
    for line in lines:
        line = _PANDOC_NOTE_REF.sub(lambda m: note_mark(int(m.group(1))), _PANDOC_LABEL.sub("", line))
        out.extend(word for word in words([line.replace("|", " ")]) if not _PANDOC_RULE.match(word))
    return out


def note_marker(found: Inspection) -> Any:
    """How LibreOffice writes the n-th note anchor here: 1, 2… for footnotes, i, ii… for endnotes."""
    kinds = {s.note.split(":", 1)[0] for p in found.paragraphs for s in p.segments if s.note}
    if kinds == {"endnotes"}:
        return roman_numeral
    if kinds == {"footnotes"}:
        return str
    return lambda n: f"[{n}]"


def record(group: str, ok: bool) -> None:
    """Count a case for the summary."""
    RESULTS.setdefault(group, []).append(ok)


@pytest.fixture(scope="module", autouse=True)
def summary(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print the pass counts of each group when the module is done."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not RESULTS:
        return
    with capture.global_and_fixture_disabled():  # the lines reach the terminal even under output capture
        reporter.write_line("")
        for group, outcomes in sorted(RESULTS.items()):
            reporter.write_line(f"corpus {group}: {sum(outcomes)}/{len(outcomes)} agree")


# -- RP files with Accepted/Rejected siblings --------------------------------------------------------------------------


@pytest.mark.parametrize(("stem", "view"), _params(((stem, view) for stem in SIBLINGS for view in VIEWS), {}))
def test_rp_views_match_the_power_tools_siblings(stem: str, view: str) -> None:
    sibling = f"oxpt/RP/{stem}-{'Accepted' if view == 'accept' else 'Rejected'}.docx"
    ours = words(text_view(inspection(f"oxpt/RP/{stem}.docx"), view))
    theirs = words(text_view(inspection(sibling), "accept"))
    record(f"RP siblings ({view})", ours == theirs)
    assert ours == theirs


# -- the other files against LibreOffice and pandoc --------------------------------------------------------------------


def _live_pandoc_words(name: str, view: str) -> list[str] | None:
    """pandoc's syntax tree of the file, flattened (tables row by row, notes out), or None without pandoc."""
    try:
        from support.pandoc import PandocError, pandoc_read
    except ImportError:  # pragma: no cover - tests/support is always there
        return None
    try:
        return words(pandoc_read(CORPUS / name, view).body)
    except PandocError:
        return None


@pytest.mark.parametrize(
    ("name", "view"), _params(((name, view) for name in OTHER_FILES for view in VIEWS), KNOWN_TEXT)
)
def test_oracle_text_agreement(name: str, view: str) -> None:
    entry = ORACLE_DATA[name]
    found = inspection(name)
    mark = note_marker(found)
    ours = words(text_view(found, view, parts=("document",), note_marks=True))
    pandoc = pandoc_words(entry[f"pandoc_{view}"], mark)
    if "error" in entry:  # LibreOffice could not open it: pandoc alone
        record("oracle, pandoc only (LibreOffice failed)", ours == pandoc)
        assert ours == pandoc, entry["error"]
        return
    office = lo_words(entry[view])
    if office == pandoc:
        record("oracle, LibreOffice and pandoc agree", ours == office)
        assert ours == office
        return
    ok = ours in (office, pandoc)
    if not ok:
        live = _live_pandoc_words(name, view)
        ok = live is not None and words(text_view(found, view, parts=("document",))) == live
    record("oracle, LibreOffice and pandoc disagree (we match one)", ok)
    assert ok, f"ours differ from LibreOffice and from pandoc: {' '.join(ours)[:300]}"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_AUTHORS[name])])
        if name in KNOWN_AUTHORS
        else pytest.param(name, id=name)
        for name in sorted(ORACLE_DATA)
        if "authors" in ORACLE_DATA[name]
    ]
    or [pytest.param(None, id="corpus-absent", marks=pytest.mark.skip(reason=ABSENT))],
)
def test_oracle_authors(name: str) -> None:
    ours = list(inspection(name).authors())
    record("authors as LibreOffice", ours == ORACLE_DATA[name]["authors"])
    assert ours == ORACLE_DATA[name]["authors"]


def _comment_files() -> list[str]:
    """Corpus files with a comments part that we read comments from."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        str(path.relative_to(CORPUS))
        for path in CORPUS.rglob("*.docx")
        if inspection(str(path.relative_to(CORPUS))).comments
    )


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_COMMENTS[name])])
        if name in KNOWN_COMMENTS
        else pytest.param(name, id=name)
        for name in _comment_files()
    ]
    or [pytest.param(None, id="corpus-absent", marks=pytest.mark.skip(reason=ABSENT))],
)
def test_comments_as_pandoc_reads_them(name: str) -> None:
    from support.pandoc import pandoc_read

    theirs = [(c["author"], c["date"], c["text"]) for c in pandoc_read(CORPUS / name, "all").comments]
    ours = [(c.author, c.date, c.text) for c in inspection(name).comments]
    record("comments as pandoc", ours == theirs)
    assert ours == theirs


def test_the_corpus_is_what_these_tests_expect() -> None:
    if not ORACLE_DATA:
        pytest.skip(ABSENT)
    assert len(SIBLINGS) == 51, SIBLINGS
    missing = [name for name, _view in KNOWN_TEXT if name not in OTHER_FILES]
    assert not missing, f"known misses name files not in the corpus: {missing}"
    assert not [name for name in KNOWN_AUTHORS if name not in ORACLE_DATA]
