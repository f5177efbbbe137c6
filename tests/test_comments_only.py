"""Contributions of comments only (a Word file with comments and no edits, CriticMarkup with only {>> <<}, a
letter) are taken by `wtpf merge`: their comments are kept under the source, anchored on the draft's words, and
shown as Word comments (and HTML notes) in the working draft's build and in redlines until marked done; no
contribution stays pending. Real git workspaces, the command line in a subprocess, LibreOffice as the reader."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from support.cli import git, revise, wtpf
from support.delegates import build_base
from support.libreoffice import LibreOffice

DELEGATES = Path(__file__).parent / "delegates"
SENEGAL = DELEGATES / "comments-only-middle-tracked" / "delegate.docx"  # comments on "RIPE", "Exchange points"


def workspace_with(tmp_path: Path, *files: tuple[Path, str]) -> Path:
    """The delegates' base workspace with `files` (path, source) added in order, one day apart."""
    root, _docx = build_base(tmp_path)
    for k, (path, source) in enumerate(files):
        wtpf("contribution", "add", str(path), "--source", source, "--received", f"2012-05-1{k}", cwd=root)
    return root


def comment_anchors(docx: Path) -> list[str]:
    """The text each Word comment of a file covers, in order (read from document.xml)."""
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    found = []
    for m in re.finditer(r'<w:commentRangeStart w:id="(\d+)"/>', xml):
        end = xml.index(f'<w:commentRangeEnd w:id="{m.group(1)}"/>', m.end())
        found.append("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml[m.end() : end])))
    return found


def body(root: Path) -> str:
    return (root / "report.md").read_text(encoding="utf-8").split("---\n", 2)[2]


def test_a_word_file_of_comments_only_is_taken_and_its_comments_kept_under_the_source(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, (SENEGAL, "Senegal"))
    before = body(root)
    report = json.loads(wtpf("merge", "--json", cwd=root).out)
    assert [(o["status"], o["applied"], o["comments"]) for o in report] == [("noted", 0, 2)]
    assert body(root) == before
    assert git("log", "-1", "--format=%an", cwd=root).strip() == "Senegal"
    assert "contributions/2012-05-10-senegal/comments.toml" in git("show", "--name-only", "--format=", cwd=root)
    listed = wtpf("comments", "list", cwd=root).out.splitlines()
    assert listed == [
        '2012-05-10-senegal:1  Senegal  on "Exchange points": Délégation du Sénégal: Define.',
        '2012-05-10-senegal:2  Senegal  on "RIPE": Délégation du Sénégal: Check the year.',
    ]
    row = json.loads(wtpf("contribution", "list", "--json", cwd=root).out)[0]
    assert row["disposition"] == "comments noted"
    assert "Contributions     0 pending, 0 late, 1 noted; 2 open comment(s)" in wtpf("status", cwd=root).out
    revise(root)
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=root)  # First Draft superseded: CT001 would find it pending
    wtpf("check", cwd=root)


def test_the_working_draft_build_shows_open_comments_under_the_source_until_marked_done(
    tmp_path: Path, libreoffice: LibreOffice
) -> None:
    root = workspace_with(tmp_path, (SENEGAL, "Senegal"))
    wtpf("merge", cwd=root)
    wtpf("build", "-o", "draft.docx", cwd=root)
    seen = libreoffice.read(root / "draft.docx")
    assert [(c["author"], c["text"]) for c in seen.comments] == [
        ("Senegal", "Délégation du Sénégal: Define."),
        ("Senegal", "Délégation du Sénégal: Check the year."),
    ]
    assert comment_anchors(root / "draft.docx") == ["Exchange points", "RIPE"]
    wtpf("build", "--format", "html", "-o", "draft.html", cwd=root)
    page = (root / "draft.html").read_text(encoding="utf-8")
    assert page.count('class="comment"') == 2 and "Check the year." in page and ">Senegal<" in page
    wtpf("build", "First Draft", "-o", "posted.docx", cwd=root)  # a stamped version is built as posted
    assert libreoffice.read(root / "posted.docx").comments == []
    wtpf("comments", "done", "2012-05-10-senegal:2", "--reason", "Year checked", cwd=root)
    wtpf("build", "-o", "draft2.docx", cwd=root)
    assert [c["text"] for c in libreoffice.read(root / "draft2.docx").comments] == ["Délégation du Sénégal: Define."]
    wtpf("comments", "done", "2012-05-10-senegal", cwd=root)
    row = json.loads(wtpf("contribution", "list", "--json", cwd=root).out)[0]
    assert (row["status"], row["disposition"]) == ("done", "comments noted, done")
    wtpf("build", "-o", "draft3.docx", cwd=root)
    assert libreoffice.read(root / "draft3.docx").comments == []
    assert wtpf("comments", "list", cwd=root).out.strip() == "No open comments."


def test_the_redline_covering_the_merge_shows_the_comments_under_the_source(
    tmp_path: Path, libreoffice: LibreOffice
) -> None:
    root = workspace_with(tmp_path, (SENEGAL, "Senegal"))
    wtpf("merge", cwd=root)
    wtpf("redline", "First Draft", "-o", "redline.docx", cwd=root)
    seen = libreoffice.read(root / "redline.docx")
    assert {c["author"] for c in seen.comments} == {"Senegal"} and len(seen.comments) == 2
    wtpf("redline", "First Draft", "--format", "html", "-o", "redline.html", cwd=root)
    assert "Check the year." in (root / "redline.html").read_text(encoding="utf-8")


def test_a_criticmarkup_file_of_comments_only_is_noted_without_touching_the_draft(tmp_path: Path) -> None:
    root, _docx = build_base(tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    critic = tmp_path / "kenya.md"
    critic.write_text(
        text.replace("| RIPE | exhausted |", "| RIPE | {==exhausted==}{>>Since when?<<} |").replace(
            "keep local traffic local.", "keep local traffic local. {>>Really?<<}"
        ),
        encoding="utf-8",
    )
    wtpf("contribution", "add", str(critic), "--source", "Kenya", "--received", "2012-05-12", cwd=root)
    before = body(root)
    report = json.loads(wtpf("merge", "--json", cwd=root).out)
    assert [(o["status"], o["changes"], o["comments"]) for o in report] == [("noted", 0, 2)]
    assert body(root) == before
    wtpf("build", "-o", "draft.docx", cwd=root)
    assert comment_anchors(root / "draft.docx") == ["local.", "exhausted"]
    xml = zipfile.ZipFile(root / "draft.docx").read("word/document.xml").decode()
    ripe_row = next(r for r in re.findall(r"<w:tr>.*?</w:tr>", xml) if ">RIPE<" in r)
    assert "commentRangeStart" in ripe_row  # the second "exhausted", as the comment's row says, not ARIN's


def test_a_letter_is_noted_then_done_and_never_left_pending(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("The Internet Society welcomes the draft and has no amendments.\n", encoding="utf-8")
    root = workspace_with(tmp_path, (letter, "Internet Society"))
    report = json.loads(wtpf("merge", "--json", cwd=root).out)
    assert [(o["status"], o["disposition"]) for o in report] == [("noted", "comments noted")]
    assert git("log", "-1", "--format=%an", cwd=root).strip() == "Internet Society"
    revise(root)
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=root)
    wtpf("check", cwd=root)
    wtpf("comments", "done", "2012-05-10-internet-society", "--reason", "Thanked in the cover note", cwd=root)
    row = json.loads(wtpf("contribution", "list", "--json", cwd=root).out)[0]
    assert row["disposition"] == "comments noted, done: Thanked in the cover note"


def test_a_comment_on_words_gone_from_the_draft_is_kept_unanchored_and_counted_as_left_out(tmp_path: Path) -> None:
    root = workspace_with(tmp_path)
    draft = root / "report.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("Exchange points", "IXPs"), encoding="utf-8")
    git("commit", "-qam", "Secretariat: IXPs", cwd=root)
    wtpf("contribution", "add", str(SENEGAL), "--source", "Senegal", "--on", "First Draft", cwd=root)
    run = wtpf("merge", "--json", cwd=root)
    outcome = json.loads(run.out)[0]
    assert (outcome["status"], outcome["comments"], outcome["left_out"]) == ("noted", 2, 1)
    assert outcome["left_out_edits"] == [
        {
            "kind": "comment",
            "text": "'Délégation du Sénégal: Define.' on 'Exchange points'",
            "reason": "the words it is on are no longer in the draft",
        }
    ]
    listed = wtpf("comments", "list", cwd=root).out
    assert 'on "Exchange points" (those words are gone from the draft): Délégation du Sénégal: Define.' in listed
    built = wtpf("build", "-o", "draft.docx", cwd=root)
    assert "a comment from Senegal is anchored on words no longer in the text: ''" not in built.err
    assert comment_anchors(root / "draft.docx") == ["RIPE"]


def test_a_comment_is_anchored_on_its_words_where_the_draft_moved_them(tmp_path: Path) -> None:
    root = workspace_with(tmp_path)
    draft = root / "report.md"
    text = draft.read_text(encoding="utf-8")
    moved = text.replace("- Exchange points keep local traffic local.\n", "").replace(
        "2.2. The steps", "2.1bis. Exchange points keep local traffic local, as agreed.\n\n2.2. The steps"
    )
    assert moved != text
    draft.write_text(moved, encoding="utf-8")
    git("commit", "-qam", "Secretariat: the exchange points in a paragraph", cwd=root)
    wtpf("contribution", "add", str(SENEGAL), "--source", "Senegal", "--on", "First Draft", cwd=root)
    assert json.loads(wtpf("merge", "--json", cwd=root).out)[0]["left_out"] == 0
    wtpf("build", "-o", "draft.docx", cwd=root)
    assert comment_anchors(root / "draft.docx") == ["Exchange points", "RIPE"]


@pytest.mark.parametrize("kind", ["word", "criticmarkup"])
def test_comments_of_a_contribution_with_edits_are_kept_and_marked_done_too(kind: str, tmp_path: Path) -> None:
    if kind == "word":
        root = workspace_with(tmp_path, (DELEGATES / "mixed-words-and-comments-tracked" / "delegate.docx", "Senegal"))
        expected = ["shall discuss", "APNIC"]
    else:
        root, _docx = build_base(tmp_path)
        text = (root / "report.md").read_text(encoding="utf-8")
        critic = tmp_path / "kenya.md"
        critic.write_text(
            text.replace("will discuss", "{~~will~>shall~~} {==discuss==}{>>Stronger?<<}"), encoding="utf-8"
        )
        wtpf("contribution", "add", str(critic), "--source", "Kenya", "--received", "2012-05-12", cwd=root)
        expected = ["discuss"]
    outcome = json.loads(wtpf("merge", "--json", cwd=root).out)[0]
    assert outcome["status"] == "merged" and outcome["comments"] == len(expected)
    wtpf("build", "-o", "draft.docx", cwd=root)
    assert comment_anchors(root / "draft.docx") == expected
    ident = outcome["id"]
    wtpf("comments", "done", ident, cwd=root)
    wtpf("build", "-o", "draft2.docx", cwd=root)
    assert comment_anchors(root / "draft2.docx") == []
    assert json.loads(wtpf("contribution", "show", ident, "--json", cwd=root).out)["status"] == "merged"
