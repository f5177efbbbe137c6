"""Which version a Word contribution was made from: the origin every .docx wtpf writes carries (custom document
properties), `--on` checked against it, and for a file without it the version it is most alike; a file from
another document refused, a file made on an older version merged with its own edits only."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from support.cli import git, wtpf
from support.delegates import build_base
from wtpf_cli.ooxml.origin import CUSTOM_PART, read_origin
from wtpf_cli.ooxml.package import open_docx

CORPUS = Path(__file__).resolve().parent / "delegates"
DELEGATE = CORPUS / "words-replace-middle-tracked" / "delegate.docx"  # "remains slow" -> "remains very slow"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def stamped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The workspace of the delegate corpus (base.md stamped First Draft) and its build."""
    return build_base(tmp_path_factory.mktemp("base"))


@pytest.fixture
def ws(stamped: tuple[Path, Path], tmp_path: Path) -> Path:
    root = tmp_path / "report"
    shutil.copytree(stamped[0], root)
    return root


def rewritten(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of a .docx with each part given by change(name, bytes) (None leaves the part out)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def without_origin(source: Path, target: Path) -> Path:
    return rewritten(source, target, lambda name, data: None if name == CUSTOM_PART else data)


def origin_set(source: Path, target: Path, name: str, value: str) -> Path:
    def change(part: str, data: bytes) -> bytes:
        if part != CUSTOM_PART:
            return data
        return re.sub(rf'(name="{re.escape(name)}"><vt:lpwstr>)[^<]*', rf"\g<1>{value}", data.decode()).encode()

    return rewritten(source, target, change)


def second_draft(ws: Path) -> None:
    """Brazil's change committed after the First Draft, then the next version stamped (Preliminary Second Draft,
    WTPF-IEG/1/2)."""
    draft = ws / "report.md"
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("guide the work", "guide all the work"), encoding="utf-8")
    git("-c", "user.name=Brazil", "-c", "user.email=d@brazil.example", "commit", "-qam", "Brazil", cwd=ws)
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=ws)


def test_a_build_carries_report_version_symbol_and_commit_and_is_the_same_bytes_every_time(ws: Path) -> None:
    first, again = ws.parent / "first.docx", ws.parent / "again.docx"
    wtpf("build", "First Draft", "-o", str(first), cwd=ws)
    wtpf("build", "First Draft", "-o", str(again), cwd=ws)
    assert first.read_bytes() == again.read_bytes()
    tag = git("rev-parse", "wtpf-ieg-1/first-draft^{commit}", cwd=ws).strip()
    origin = read_origin(open_docx(first))
    assert origin is not None
    assert (origin.report, origin.version, origin.symbol, origin.commit, origin.document) == (
        "wtpf-ieg-1",
        "First Draft",
        "WTPF-IEG/1/1",
        tag,
        "build",
    )


def test_a_redline_carries_the_version_it_leads_to_and_an_annex_says_it_is_one(ws: Path) -> None:
    second_draft(ws)
    redline, annex = ws.parent / "redline.docx", ws.parent / "annex.docx"
    wtpf("redline", "First Draft", "latest", "-o", str(redline), cwd=ws)
    wtpf("contribution", "list", "--format", "docx", "-o", str(annex), cwd=ws)
    tag = git("rev-parse", "HEAD", cwd=ws).strip()
    made = read_origin(open_docx(redline))
    assert made is not None and (made.version, made.commit, made.document) == (
        "Preliminary Second Draft",
        tag,
        "redline",
    )
    listed = read_origin(open_docx(annex))
    assert listed is not None and (listed.report, listed.version, listed.document) == ("wtpf-ieg-1", "", "annex")
    refused = wtpf("contribution", "add", str(annex), "--source", "Brazil", cwd=ws, check=3)
    assert "is an annex of the report, not a draft of it" in refused.err and len(refused.err.splitlines()) == 1


def test_a_file_made_on_the_first_draft_added_after_the_next_version_merges_only_its_own_edits(ws: Path) -> None:
    second_draft(ws)
    added = wtpf("contribution", "add", str(DELEGATE), "--source", "Senegal", "--received", "2012-06-02", cwd=ws)
    assert "on First Draft" in added.out and "alike" not in added.out
    wtpf("merge", cwd=ws)
    text = (ws / "report.md").read_text(encoding="utf-8")
    assert "guide all the work" in text  # Brazil's change since the First Draft stands
    assert "remains very slow" in text  # Senegal's own edit is in


def test_a_file_without_its_origin_is_taken_as_made_from_the_version_it_is_most_alike(ws: Path) -> None:
    second_draft(ws)
    bare = without_origin(DELEGATE, ws.parent / "bare.docx")
    added = wtpf("contribution", "add", str(bare), "--source", "Senegal", "--received", "2012-06-02", cwd=ws)
    assert "on First Draft" in added.out
    line = next(line for line in added.out.splitlines() if "alike" in line)
    found = re.search(
        r"taken as made from First Draft \(WTPF-IEG/1/1\), (\d+)% alike; Preliminary Second Draft is (\d+)% alike", line
    )
    assert found is not None and int(found.group(1)) > int(found.group(2)) >= 50
    wtpf("merge", cwd=ws)
    text = (ws / "report.md").read_text(encoding="utf-8")
    assert "guide all the work" in text and "remains very slow" in text


def test_a_markdown_copy_of_the_first_draft_added_after_the_next_version_merges_only_its_own_edits(ws: Path) -> None:
    first = git("show", "wtpf-ieg-1/first-draft:report.md", cwd=ws)
    assert "remains slow" in first
    second_draft(ws)
    copy = ws.parent / "senegal.md"
    copy.write_text(first.replace("remains slow", "remains very slow"), encoding="utf-8")
    added = wtpf("contribution", "add", str(copy), "--source", "Senegal", "--received", "2012-06-02", cwd=ws)
    assert "on First Draft" in added.out and "taken as made from First Draft (WTPF-IEG/1/1)" in added.out
    wtpf("merge", cwd=ws)
    text = (ws / "report.md").read_text(encoding="utf-8")
    assert "guide all the work" in text  # Brazil's change since the First Draft stands
    assert "remains very slow" in text
    assert git("log", "-1", "--format=%an", cwd=ws).strip() == "Senegal"


def test_a_letter_in_markdown_is_on_the_last_version(ws: Path) -> None:
    second_draft(ws)
    letter = ws.parent / "letter.md"
    letter.write_text("Dear Secretariat,\n\nWe support the draft as it stands.\n", encoding="utf-8")
    added = wtpf("contribution", "add", str(letter), "--source", "Senegal", "--received", "2012-06-02", cwd=ws)
    row = json.loads(wtpf("contribution", "list", "--json", cwd=ws).out)[0]
    assert (row["on"], row["kind"]) == ("Preliminary Second Draft", "letter") and "alike" not in added.out


def test_an_on_that_contradicts_the_file_is_refused_with_exit_2_and_one_that_agrees_is_taken(ws: Path) -> None:
    second_draft(ws)
    refused = wtpf("contribution", "add", str(DELEGATE), "--source", "Senegal", "--on", "WTPF-IEG/1/2", cwd=ws, check=2)
    assert refused.err.count("\n") == 1
    assert "--on 'WTPF-IEG/1/2' contradicts the file, which was made from First Draft (WTPF-IEG/1/1)" in refused.err
    added = wtpf("contribution", "add", str(DELEGATE), "--source", "Senegal", "--on", "first-draft", cwd=ws)
    assert "on First Draft" in added.out


def _tracked_insertion(name: str, data: bytes) -> bytes:
    """document.xml with a word inserted, tracked, at the start of its first paragraph."""
    if name != "word/document.xml":
        return data
    root = etree.fromstring(data)
    paragraph = next(root.iter(f"{W}p"))
    inserted = etree.fromstring(
        f'<w:ins xmlns:w="{W[1:-1]}" w:id="900" w:author="Someone" w:date="2012-05-01T00:00:00Z">'
        "<w:r><w:t>Draft </w:t></w:r></w:ins>"
    )
    paragraph.insert(1, inserted)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def test_a_word_file_of_another_document_is_refused_with_exit_3_naming_the_best_score(ws: Path, tmp_path: Path) -> None:
    _other, built = build_base(tmp_path / "other", body="# Minutes\n\nThe meeting opened at ten and closed at noon.\n")
    edited = rewritten(without_origin(built, tmp_path / "bare.docx"), tmp_path / "edited.docx", _tracked_insertion)
    refused = wtpf("contribution", "add", str(edited), "--source", "Senegal", cwd=ws, check=3)
    assert refused.err.count("\n") == 1
    assert re.search(r"matches no version of this report well enough \(best: First Draft, \d+% alike\)", refused.err)
    assert not (ws / "contributions").exists()


def test_a_file_of_another_report_or_of_a_version_not_held_here_is_refused_with_exit_3(ws: Path) -> None:
    foreign = origin_set(DELEGATE, ws.parent / "foreign.docx", "wtpf.report", "wtpf-other")
    refused = wtpf("contribution", "add", str(foreign), "--source", "Senegal", cwd=ws, check=3)
    assert "was made from another report (wtpf-other), not this one (wtpf-ieg-1)" in refused.err
    unknown = origin_set(DELEGATE, ws.parent / "unknown.docx", "wtpf.commit", "0" * 40)
    unknown = origin_set(unknown, ws.parent / "unknown2.docx", "wtpf.version", "Fifth Draft")
    refused = wtpf("contribution", "add", str(unknown), "--source", "Senegal", cwd=ws, check=3)
    assert "was made from Fifth Draft, which this workspace does not hold" in refused.err


def test_a_file_whose_commit_is_not_here_is_taken_by_its_version_name_with_a_note(ws: Path) -> None:
    moved = origin_set(DELEGATE, ws.parent / "moved.docx", "wtpf.commit", "1" * 40)
    added = wtpf("contribution", "add", str(moved), "--source", "Senegal", cwd=ws)
    assert "on First Draft" in added.out
    assert "its commit is not in this repository: taken as First Draft by its name" in added.out


def test_a_word_letter_that_is_like_no_version_is_still_a_letter(ws: Path, tmp_path: Path) -> None:
    _other, built = build_base(tmp_path / "other", body="# Letter\n\nWe thank the secretariat for its work.\n")
    letter = without_origin(built, tmp_path / "letter.docx")
    added = wtpf("contribution", "add", str(letter), "--source", "Senegal", cwd=ws)
    assert "letter, on First Draft" in added.out


def test_a_redline_without_its_origin_is_held_to_the_version_it_leads_to_and_its_first_page_passed_over(
    ws: Path,
) -> None:
    """A delegate returns the posted redline, its properties lost: its first page (the summary of changes) is not
    the draft's, so the file is as alike to the Preliminary Second Draft as a copy, and proposes nothing."""
    second_draft(ws)
    redline = ws.parent / "redline.docx"
    wtpf("redline", "First Draft", "latest", "-o", str(redline), cwd=ws)
    bare = without_origin(redline, ws.parent / "bare.docx")
    added = wtpf("contribution", "add", str(bare), "--source", "Kenya", "--received", "2012-06-02", cwd=ws)
    alike = re.search(r"taken as made from Preliminary Second Draft \(WTPF-IEG/1/2\), (\d+)% alike", added.out)
    assert alike is not None and int(alike.group(1)) >= 90, added.out
    [outcome] = json.loads(wtpf("merge", "--json", cwd=ws).out)
    assert (outcome["changes"], outcome["left_out"]) == (0, 0)


def test_a_markdown_draft_with_an_edit_in_most_of_its_paragraphs_is_a_revised_draft_not_a_letter(
    tmp_path: Path,
) -> None:
    # Most lines differ from the First Draft's, but nearly all of its words are the draft's: its edits apply.
    body = "".join(
        f"1.{k}. The Forum discusses point {k} of the agenda, in the light of the opinions.\n\n" for k in range(5)
    )
    root, _docx = build_base(tmp_path, body)
    text = (root / "report.md").read_text(encoding="utf-8")
    copy = tmp_path / "revised.md"
    copy.write_text(text.replace("opinions.", "draft opinions.", 4), encoding="utf-8")
    wtpf("contribution", "add", str(copy), "--source", "Senegal", "--received", "2012-05-02", cwd=root)
    row = json.loads(wtpf("contribution", "list", "--json", cwd=root).out)[0]
    assert row["kind"] == "revised-draft"
    wtpf("merge", cwd=root)
    assert (root / "report.md").read_text(encoding="utf-8").count("draft opinions.") == 4
