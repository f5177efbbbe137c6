"""The redline's revision language beyond insertions and deletions: moves, formatting changes, paragraph kind
changes, the first page, and comments beside footnotes, read back by LibreOffice (UNO), pandoc and our own reader."""

from __future__ import annotations

import contextlib
import re
import time
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import wtpf_cli
from support.libreoffice import LibreOffice
from support.ooxml_view import read_paragraphs
from support.pandoc import pandoc_json, pandoc_read
from support.workspaces import commit_body, new_workspace
from wtpf_cli.attribution import moves
from wtpf_cli.attribution.redline import RedlineRequest
from wtpf_cli.markdown.tokens import plain_tokens
from wtpf_cli.model import Meta, Paragraph, ParaProps, RComment, Redline, RParagraph, RRun, Token
from wtpf_cli.ooxml.writer import render_docx
from wtpf_cli.render.documents import build, redline_docx
from wtpf_cli.resources import template_path
from wtpf_cli.store.workspace import Workspace

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

OLD = """# 1 Introduction

1.1. The Forum will discuss the issues raised in Resolution 101.

1.2. Internet exchange points keep local traffic local and lower the cost of transit.

# 1.3 Scope

The opinions of the Forum are non-binding.

# 2 Principles

2.1. The report guides the discussion of the Forum.
"""
# Brazil moves 1.2 into section 2 (renumbered), bolds "non-binding", makes 1.3 a heading of level 2.
NEW = """# 1 Introduction

1.1. The Forum will discuss the issues raised in Resolution 101.

## 1.3 Scope

The opinions of the Forum are **non-binding**.

# 2 Principles

2.1. The report guides the discussion of the Forum.

2.2. Internet exchange points keep local traffic local and lower the cost of transit.
"""


def nonempty(texts: list[str]) -> list[str]:
    return [" ".join(t.split()) for t in texts if t.strip()]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, str, str]:
    ws = new_workspace(tmp_path_factory.mktemp("marks") / "ws", OLD)
    base = ws.history.head()
    assert base is not None
    head = commit_body(ws, NEW, "Brazil", "2012-05-11T16:05:00Z")
    return ws, base, head


def test_libreoffice_lists_the_move_the_formatting_and_the_paragraph_change_under_their_source(
    libreoffice: LibreOffice, history: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, base, head = history
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")
    changes = libreoffice.read(redline.path, "none").changes
    assert {c["author"] for c in changes} == {"Brazil"}
    kinds = [(c["type"], (c["text"] or "").strip()) for c in changes]
    moved = "Internet exchange points keep local traffic local and lower the cost of transit."
    # LibreOffice 7.4 reads a move as a deletion where it was and an insertion where it went (its UNO redlines
    # have no move type); the renumbering is an insertion inside the move.
    assert ("Delete", f"1.2. {moved}") in kinds
    assert ("Insert", "2.2") in kinds and ("Insert", f". {moved}") in kinds
    assert ("Format", "non-binding") in kinds
    assert ("ParagraphFormat", "1.3 Scope") in kinds
    old = build(ws, base, tmp_path / "old.docx").value.path
    new = build(ws, head, tmp_path / "new.docx").value.path
    for view, clean in (("accept", new), ("reject", old)):
        got, want = libreoffice.read(redline.path, view, emphasis=True), libreoffice.read(clean, emphasis=True)
        assert nonempty(got.body) == nonempty(want.body), view
        pairs = [(s, e) for b, s, e in zip(got.body, got.styles, got.emphasis, strict=True) if b.strip()]
        assert pairs == [(s, e) for b, s, e in zip(want.body, want.styles, want.emphasis, strict=True) if b.strip()]


def test_a_move_has_its_two_ranges_under_one_name_and_every_revision_id_is_unique(
    history: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, base, head = history
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")
    with zipfile.ZipFile(redline.path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    starts = {kind: [e.get(W + "name") for e in root.iter(f"{W}{kind}RangeStart")] for kind in ("moveFrom", "moveTo")}
    assert starts["moveFrom"] == starts["moveTo"] == ["move1"]
    for kind in ("moveFrom", "moveTo"):  # each range ends, after the moved content, in the same paragraph
        start = next(root.iter(f"{W}{kind}RangeStart"))
        end = next(root.iter(f"{W}{kind}RangeEnd"))
        assert start.getparent() is end.getparent() and start.get(W + "id") == end.get(W + "id")
        assert [e for e in start.itersiblings() if e.tag == W + kind], "the moved runs stand inside the range"
    tags = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "moveFromRangeStart", "moveToRangeStart")
    ids = Counter(e.get(W + "id") for tag in tags for e in root.iter(W + tag))
    assert max(ids.values()) == 1
    paras = read_paragraphs(redline.path)
    formatted = [s for p in paras for s in p.segments if s.was is not None]
    assert [(s.text, s.was, s.formatting, s.formatted_by) for s in formatted] == [("non-binding", "", "b", "Brazil")]
    assert [(p.style, p.was, p.kind_author) for p in paras if p.was is not None] == [("Heading2", "Heading1", "Brazil")]


def test_with_no_moves_a_moved_paragraph_is_deleted_and_inserted_and_pandoc_reads_either_right(
    history: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, base, head = history
    plain, _ = redline_docx(ws, RedlineRequest(base, head, moves=False), tmp_path / "plain.docx")
    moved, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "moved.docx")
    with zipfile.ZipFile(plain.path) as z:
        assert b"w:moveFrom" not in z.read("word/document.xml") and b"w:moveTo" not in z.read("word/document.xml")
    kinds = {(c["type"], c["text"]) for c in pandoc_read(plain.path, "all").changes}
    text = "Internet exchange points keep local traffic local and lower the cost of transit."
    assert ("Delete", f"1.2. {text}") in kinds and ("Insert", f"2.2. {text}") in kinds
    old = build(ws, base, tmp_path / "old.docx").value.path
    new = build(ws, head, tmp_path / "new.docx").value.path
    for path in (plain.path, moved.path):  # pandoc 3.9 reads w:moveFrom as deleted, w:moveTo as inserted text
        assert pandoc_read(path, "accept").words() == pandoc_read(new, "accept").words()
        assert pandoc_read(path, "reject").words() == pandoc_read(old, "accept").words()


def test_a_link_whose_target_changed_gives_each_view_its_own_target(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws", "See the [ARIN policy manual](https://www.arin.net/policy/) for details.\n")
    base = ws.history.head()
    assert base is not None
    new = "See the [ARIN policy manual](https://www.arin.net/participate/policy/nrpm/) for details.\n"
    head = commit_body(ws, new, "ARIN", "2012-06-25T17:30:00Z")
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")

    def targets(view: str) -> list[str]:
        found: list[str] = []

        def walk(node: object) -> None:
            if isinstance(node, dict):
                if node.get("t") == "Link":
                    found.append(node["c"][2][0])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(pandoc_json(redline.path, view)["blocks"])
        return found

    assert targets("accept") == ["https://www.arin.net/participate/policy/nrpm/"]
    assert targets("reject") == ["https://www.arin.net/policy/"]


def _pdf_link_targets(pdf: Path) -> list[str]:
    """The URIs of a PDF's link annotations, in plain objects or in deflated streams."""
    data = pdf.read_bytes()
    found = re.findall(rb"/URI\s*\(([^)]*)\)", data)
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        with contextlib.suppress(zlib.error):
            found += re.findall(rb"/URI\s*\(([^)]*)\)", zlib.decompress(stream.group(1)))
    return [uri.decode() for uri in found]


def test_libreoffice_gives_a_retargeted_link_its_old_target_after_reject_all_and_its_new_after_accept_all(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    # Word records a new target as a changed HYPERLINK field code (ECMA-376 17.16.8: the old code in
    # w:delInstrText inside w:del, the new in w:instrText inside w:ins); LibreOffice 7.4 ignores that change
    # (both views link to the new target) and pandoc 3.9 drops such a link, so the words are deleted with the
    # old target and inserted with the new one (README, "Formatting"). Both views must link where they should.
    ws = new_workspace(tmp_path / "ws", "See the [ARIN policy manual](https://www.arin.net/policy/) for details.\n")
    base = ws.history.head()
    assert base is not None
    new = "See the [ARIN policy manual](https://www.arin.net/participate/policy/nrpm/) for details.\n"
    head = commit_body(ws, new, "ARIN", "2012-06-25T17:30:00Z")
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")
    accepted = libreoffice.to_pdf(redline.path, tmp_path / "accept.pdf", view="accept")
    rejected = libreoffice.to_pdf(redline.path, tmp_path / "reject.pdf", view="reject")
    assert _pdf_link_targets(accepted) == ["https://www.arin.net/participate/policy/nrpm/"]
    assert _pdf_link_targets(rejected) == ["https://www.arin.net/policy/"]


def test_the_first_page_says_what_the_redline_compares_and_each_sources_changes(
    libreoffice: LibreOffice, history: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, base, head = history
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")
    summary = [p for p in read_paragraphs(redline.path, summary=True) if p.style.startswith("RevisionSummary")]
    texts = ["".join(s.text for s in p.segments) for p in summary]
    assert texts[0] == f"Revision marks from {base} to {head}"
    assert all(s.kind == "plain" for p in summary for s in p.segments), "outside the tracked changes"
    cells = texts[texts.index("Source") : texts.index("Source") + 12]
    # Brazil: 1 insertion (the new number inside the move), 1 move, 2 formatting changes (bold, the heading level);
    # no comments, so no column of comments
    assert cells == [
        "Source", "Insertions", "Deletions", "Moves", "Formatting", "Dates",
        "Brazil", "1", "0", "1", "2", "11 May 2012",
    ]  # fmt: skip
    for view in ("accept", "reject"):  # the first page stays, in its own styles, before the report
        seen = libreoffice.read(redline.path, view, summary=True)
        assert seen.body[0] == texts[0] and seen.styles[0] == "Revision Summary Title"
        assert "Revision Summary" not in libreoffice.read(redline.path, view).styles
    without, _ = redline_docx(ws, RedlineRequest(base, head, summary=False), tmp_path / "plain.docx")
    assert not [p for p in read_paragraphs(without.path, summary=True) if p.style.startswith("RevisionSummary")]


def test_the_html_page_marks_moves_and_formatting_and_counts_them_in_its_legend(
    history: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, base, head = history
    page = wtpf_cli.redline(ws, base, head, output=tmp_path / "r.html", fmt="html").value.written
    assert page is not None
    html = page.path.read_text(encoding="utf-8")
    assert re.search(r'<del class="moved s1"[^>]*title="Moved from here by Brazil', html)
    assert re.search(r'<ins class="moved s1"[^>]*title="Moved here by Brazil', html)
    assert re.search(
        r'<span class="fmt s1" title="Formatted by Brazil, [^"]*\(was plain\)"[^>]*><strong>non-binding', html
    )
    assert 'title="Formatted by Brazil, 11 May 2012, 16:05 UTC (was a heading)"' in html
    assert "1 insertion, 1 move, 2 formatting changes; 11 May 2012" in html


def test_blame_gives_the_words_of_a_moved_paragraph_to_whoever_wrote_them(history: tuple[Workspace, str, str]) -> None:
    ws, _base, _head = history
    found = wtpf_cli.blame(ws, paragraph="2.2.")
    (para,) = found.paragraphs
    # "2.2" is Brazil's (the number it gave the paragraph); the 13 words it moved are still the secretariat's
    assert [(p.source, p.words) for p in para.sources] == [("ITU Secretariat", 13), ("Brazil", 1)]


# -- moves are found within a commit's changes, with bounded work ---------------------------------------------------


def _para(text: str) -> Paragraph:
    return Paragraph(ParaProps("BodyText"), tuple(plain_tokens(text)))


def test_moves_pair_identical_and_nearly_identical_paragraphs_but_not_an_edit_in_place() -> None:
    old = [
        (0, 0, _para("2.2. Connectivity costs remain high in many developing countries.")),
        (1, 0, _para("The opinions of the Forum are non-binding and adopted by consensus.")),
        (5, 2, _para("Capacity building remains essential for developing countries and others.")),
    ]
    new = [
        (3, 1, _para("3.4. Connectivity costs remain high in many developing countries.")),  # renumbered
        (1, 0, _para("The opinions of the Forum are advisory and adopted by consensus.")),  # edited in place
        (9, 3, _para("Capacity building remains essential for the developing countries and others.")),
    ]
    assert moves.find_moves(old, new) == [(0, 3), (5, 9)]
    assert moves.find_moves(old, [(7, 4, _para("Something else entirely, of the same length or so."))]) == []


def test_finding_moves_compares_each_paragraph_with_a_bounded_number_of_others(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = 0
    similarity = moves._similarity

    def counting(a: frozenset[str], b: frozenset[str]) -> float:
        nonlocal compared
        compared += 1
        return similarity(a, b)

    monkeypatch.setattr(moves, "_similarity", counting)
    words = [f"w{k}" for k in range(400)]
    for n in (200, 800):  # n paragraphs deleted, n others inserted, all alike in length and in common words
        compared = 0
        old = [(k, 2 * k, _para(" ".join([*words[k % 50 : k % 50 + 8], f"x{k}", "the", "end"]))) for k in range(n)]
        new = [(k, 2 * k + 1, _para(" ".join([*words[k % 50 : k % 50 + 8], f"y{k}", "the", "end"]))) for k in range(n)]
        started = time.process_time()
        moves.find_moves(old, new)
        assert compared <= moves.CANDIDATES * n, "at most CANDIDATES comparisons for each paragraph put in"
        assert time.process_time() - started < 0.02 * n  # linear: well under a millisecond a paragraph


# -- comments next to footnotes ---------------------------------------------------------------------------------------


def _noted(k: int, comments: tuple[RComment, ...] = ()) -> RParagraph:
    tokens = [*plain_tokens(f"Paragraph {k} has a note"), Token("", frozenset(), None, str(k)), *plain_tokens(" More.")]
    return RParagraph(ParaProps("BodyText"), tuple(RRun(t) for t in tokens), comments=comments)


@pytest.mark.parametrize("where", ["before", "over", "after"])
def test_libreoffice_reads_every_footnote_right_with_comments_next_to_the_references(
    libreoffice: LibreOffice, tmp_path: Path, where: str
) -> None:
    """LibreOffice 7.4 read the notes after a comment emptied, repeated or shifted when the comment's id was also a
    footnote's; a comment before, over or after each note's reference."""
    n = len(plain_tokens("Paragraph 1 has a note"))
    span = {"before": (0, n), "over": (0, n + 1), "after": (n + 1, n + 3)}[where]
    comment = RComment("Brazil", "2012-05-11T16:05:00Z", "Which issues?", *span)
    body = [_noted(k, (comment,)) for k in range(1, 5)]
    notes = [
        RParagraph(ParaProps("FootnoteText", container=f"fn:{k}"), tuple(RRun(t) for t in plain_tokens(f"Note {k}.")))
        for k in range(1, 5)
    ]
    redline = Redline(Meta(), Meta(), (*body, *notes), ("Brazil",))
    path = tmp_path / "notes.docx"
    path.write_bytes(render_docx(redline, template_path("reference.docx"), header_text="", core={}))
    seen = libreoffice.read(path, "none")
    assert seen.footnotes == [" Note 1.", " Note 2.", " Note 3.", " Note 4."]  # (a space after each number)
    assert [c["text"] for c in seen.comments] == ["Which issues?"] * 4
