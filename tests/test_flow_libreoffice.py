"""The real flow: the .docx of a version goes to three delegations, who edit it in LibreOffice with Track Changes
on (two of them on the same words, one with a comment); the secretariat adds the three files, merges, stamps and
posts a redline in which each delegation's changes stand under its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from support import words
from support.cli import git, stamped_report, wtpf
from support.libreoffice import LibreOffice
from support.ooxml_view import read_paragraphs, revisions
from support.pandoc import pandoc_read

BODY = """# 1 Introduction

1.1. The Forum will discuss the issues raised in Resolution 101.

1.2. IPv6 adoption remains slow in most regions.

- Internet exchange points keep local traffic local.
- Open participation of all stakeholders.

| Region | IPv4 status |
|:--|--:|
| ARIN | exhausted |
"""


SEC = "ITU Secretariat"


def nonempty(paras: list[str]) -> list[str]:
    return [" ".join(p.split()) for p in paras if p.strip()]


def first_draft(tmp_path: Path) -> tuple[Path, str]:
    """A workspace whose draft holds BODY, stamped First Draft (WTPF-IEG/1/2); and the draft's front matter."""
    root = tmp_path / "report"
    title = "Report of the Secretary-General"
    wtpf("init", str(root), "--title", title, "--symbol-prefix", "WTPF-IEG/1", "--secretariat", SEC, cwd=tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    head = text[: text.index("---\n", 4) + 4]
    (root / "report.md").write_text(head + BODY, encoding="utf-8")
    git("commit", "-qam", "First draft", cwd=root)
    wtpf("stamp", "next", "--symbol", "WTPF-IEG/1/2", "--date", "2012-04-13", cwd=root)
    return root, head


def test_three_delegations_edit_in_libreoffice_and_the_redline_attributes_each(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    root, _ = first_draft(tmp_path)
    built = wtpf("build", "First Draft", "-o", str(tmp_path / "v1.docx"), cwd=root)
    assert built.code == 0
    v1 = tmp_path / "v1.docx"
    edits = {
        "Brazil": ([("will discuss", "shall discuss")], [("Resolution 101", "Add Resolution 102 and 133.")]),
        "United States": ([("will discuss", "may discuss")], []),
        "ARIN": ([("remains slow", "remains very slow"), ("exhausted", "waiting list")], []),
    }
    for n, (source, (replacements, comments)) in enumerate(edits.items()):
        out = tmp_path / f"{source}.docx"
        libreoffice.edit(
            v1,
            out,
            author=f"Delegate of {source}",
            replacements=replacements,
            comments=comments,
            date=f"2012-05-1{n}T09:00:00",
        )
        wtpf("contribution", "add", str(out), "--source", source, "--received", f"2012-05-1{n}", cwd=root)
    wtpf("merge", cwd=root)
    draft = (root / "report.md").read_text(encoding="utf-8")
    assert "1.1. The Forum [[Brazil: shall]] [[United States: may]] discuss" in draft
    assert "remains very slow" in draft and "| ARIN | waiting list |" in draft
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=root)
    wtpf("build", "Preliminary Second Draft", "-o", str(tmp_path / "v2.docx"), cwd=root)
    wtpf("redline", "First Draft", "Preliminary Second Draft", "-o", str(tmp_path / "r.docx"), cwd=root)
    redline = tmp_path / "r.docx"

    inserted = {(s.author, s.text.strip()) for p in read_paragraphs(redline) for s in p.segments if s.kind == "ins"}
    assert any(a == "Brazil" and "shall" in t for a, t in inserted)
    assert any(a == "United States" and "may" in t for a, t in inserted)
    assert ("ARIN", "very") in inserted or any(a == "ARIN" and "very" in t for a, t in inserted)
    assert {r.author for r in revisions(redline)} >= {"Brazil", "United States", "ARIN"}
    with zipfile.ZipFile(redline) as z:
        comments = z.read("word/comments.xml").decode()
    assert 'w:author="Brazil"' in comments and "Add Resolution 102 and 133." in comments

    accepted, rejected = libreoffice.read(redline, "accept"), libreoffice.read(redline, "reject")
    assert nonempty(accepted.body) == nonempty(libreoffice.read(tmp_path / "v2.docx", "none").body)
    assert nonempty(rejected.body) == nonempty(libreoffice.read(v1, "none").body)
    assert pandoc_read(redline, "accept").words() == pandoc_read(tmp_path / "v2.docx", "accept").words()
    assert pandoc_read(redline, "reject").words() == pandoc_read(v1, "accept").words()
    assert "Brazil" in words(c["author"] for c in libreoffice.read(redline, "none").changes)


def test_the_secretariat_moves_reformats_and_restyles_and_each_reader_sees_it_under_its_name(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    """One commit moves a paragraph, bolds a word and makes a list item body text; the Word redline marks a move,
    a formatting change and a paragraph change under the secretariat, after a first page that says so; with
    --no-moves and --no-summary it has neither, and pandoc reads both right."""
    root, head = first_draft(tmp_path)
    moved = "1.2. IPv6 adoption remains slow in most regions.\n\n"
    body = BODY.replace(moved, "").replace("local.\n", "**local**.\n").replace("- Open", "\nOpen")
    (root / "report.md").write_text(head + body.replace("| Region", moved.replace("1.2", "1.3") + "| Region"))
    wtpf("commit", "--source", "ITU Secretariat", "--date", "2012-05-30", "-m", "Restructure", cwd=root)
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=root)
    wtpf("build", "Preliminary Second Draft", "-o", str(tmp_path / "new.docx"), cwd=root)
    wtpf("build", "First Draft", "-o", str(tmp_path / "old.docx"), cwd=root)
    wtpf("redline", "First Draft", "Preliminary Second Draft", "-o", str(tmp_path / "r.docx"), cwd=root)
    options = ("--no-moves", "--no-summary", "-o", str(tmp_path / "plain.docx"))
    wtpf("redline", "First Draft", "Preliminary Second Draft", *options, cwd=root)
    redline, plain = tmp_path / "r.docx", tmp_path / "plain.docx"

    seen = libreoffice.read(redline, "none", summary=True)
    assert seen.body[0] == "Revision marks from First Draft (WTPF-IEG/1/2) to Preliminary Second Draft (WTPF-IEG/1/3)"
    kinds = {(c["type"], c["author"], (c["text"] or "").strip()) for c in seen.changes}
    assert ("Delete", "ITU Secretariat", moved.strip()) in kinds  # the move, read as a deletion and an insertion
    assert ("Format", "ITU Secretariat", "local") in kinds
    assert ("ParagraphFormat", "ITU Secretariat", "Open participation of all stakeholders.") in kinds
    with zipfile.ZipFile(plain) as z:
        assert b"w:moveTo" not in z.read("word/document.xml") and b"RevisionSummary" not in z.read("word/document.xml")
    for path in (redline, plain):
        for view, clean in (("accept", tmp_path / "new.docx"), ("reject", tmp_path / "old.docx")):
            got, want = libreoffice.read(path, view, emphasis=True), libreoffice.read(clean, "none", emphasis=True)
            assert nonempty(got.body) == nonempty(want.body) and nonempty(got.emphasis) == nonempty(want.emphasis)
            assert pandoc_read(path, view).words() == pandoc_read(clean, "accept").words()


def test_a_loose_numbered_list_is_numbered_on_in_word_and_in_the_redline_after_an_item_is_added(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    # Items separated by blank lines are one list (CommonMark 5.3) however the draft is cut for reading.
    root = stamped_report(tmp_path, "# 1 Goals\n\n1. Connect the unconnected.\n\n1. Lower costs.\n\n1. Train staff.\n")
    wtpf("build", "First Draft", "-o", str(tmp_path / "v1.docx"), cwd=root)
    v1 = libreoffice.read(tmp_path / "v1.docx", "none")
    assert nonempty(v1.labelled_body())[-3:] == ["1. Connect the unconnected.", "2. Lower costs.", "3. Train staff."]
    draft = root / "report.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("1. Lower", "1. Share data.\n\n1. Lower"), "utf-8")
    git("commit", "-qam", "An item added", cwd=root)
    wtpf("redline", "First Draft", "-o", str(tmp_path / "r.docx"), cwd=root)
    accepted = libreoffice.read(tmp_path / "r.docx", "accept")
    assert nonempty(accepted.labelled_body())[-4:] == [
        "1. Connect the unconnected.",
        "2. Share data.",
        "3. Lower costs.",
        "4. Train staff.",
    ]
