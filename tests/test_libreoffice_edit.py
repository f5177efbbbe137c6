"""``LibreOffice.edit``: a delegate's tracked edits and comments, checked through LibreOffice and in the .docx XML.

A small .docx is made with python-docx, edited in LibreOffice as a named author with Track Changes on, and the
result is read back twice: by LibreOffice (Accept All gives the new text, Reject All the old, every change and
comment carries the author) and, independently of LibreOffice, from ``word/document.xml`` and
``word/comments.xml`` (``w:ins`` / ``w:del`` / ``w:comment`` with ``w:author``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree

from support.libreoffice import LibreOffice, LibreOfficeError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

AUTHOR = "Zoë Délégué"  # not ASCII: it crosses JSON, LibreOffice's user profile and the .docx XML
OLD = [
    "The quick brown fox jumps over the lazy dog.",
    "Second paragraph says hello world.",
    "Left cell",
    "Right cell text.",
    "Third paragraph is short.",
]
REPLACEMENTS = [
    ("quick brown", "slow red"),  # replaced
    ("lazy ", ""),  # deleted
    ("says hello world", "says goodbye"),  # across runs: "hello" is bold
    ("AFTER:short", " and sweet"),  # inserted after
    ("Right cell", "Right-hand cell"),  # in a table cell
]
NEW = [
    "The slow red fox jumps over the dog.",
    "Second paragraph says goodbye.",
    "Left cell",
    "Right-hand cell text.",
    "Third paragraph is short and sweet.",
]
COMMENTS = [("slow red", "Why red?"), ("Third paragraph", "Shorten this?")]  # the first on inserted text


def make_docx(path: Path, *, comment_by: str | None = None) -> Path:
    """The paragraphs of ``OLD``, the middle two in a table; ``comment_by`` comments on the first paragraph."""
    document = docx.Document()
    first = document.add_paragraph(OLD[0])
    second = document.add_paragraph("Second paragraph says ")
    second.add_run("hello").bold = True
    second.add_run(" world.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = OLD[2], OLD[3]
    document.add_paragraph(OLD[4])
    if comment_by is not None:
        document.add_comment(first.runs, text="An earlier remark", author=comment_by, initials="ER")
    document.save(str(path))
    return path


# -- the .docx XML, read without LibreOffice ---------------------------------------------------------------


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def inside(element: etree._Element, tag: str) -> bool:
    return any(ancestor.tag == W + tag for ancestor in element.iterancestors())


def paragraph_texts(path: Path, view: str) -> list[str]:
    """The body's paragraphs from ``word/document.xml`` after accepting (``"accept"``) or rejecting every change."""
    texts = []
    for paragraph in part(path, "word/document.xml").iter(W + "p"):
        pieces = []
        for element in paragraph.iter(W + "t", W + "delText"):
            if view == "accept" and element.tag == W + "t" and not inside(element, "del"):
                pieces.append(element.text or "")
            if view == "reject" and not inside(element, "ins"):
                pieces.append(element.text or "")
        texts.append("".join(pieces))
    return texts


def revisions(path: Path) -> list[tuple[str, str, str]]:
    """The ``w:ins`` / ``w:del`` elements of the body as ``(kind, author, text)``, in document order."""
    found = []
    for element in part(path, "word/document.xml").iter(W + "ins", W + "del"):
        text = "".join(t.text or "" for t in element.iter(W + "t", W + "delText"))
        found.append((etree.QName(element).localname, element.get(W + "author", ""), text))
    return found


def xml_comments(path: Path) -> list[tuple[str, str, str]]:
    """The comments as ``(author, text, anchored text)``: ``word/comments.xml`` plus the ranges in the body."""
    anchored: dict[str, list[str]] = {}
    open_ids: set[str] = set()
    for element in part(path, "word/document.xml").iter(W + "commentRangeStart", W + "commentRangeEnd", W + "t"):
        if element.tag == W + "commentRangeStart":
            open_ids.add(element.get(W + "id", ""))
            anchored.setdefault(element.get(W + "id", ""), [])
        elif element.tag == W + "commentRangeEnd":
            open_ids.discard(element.get(W + "id", ""))
        elif not inside(element, "del"):
            for comment_id in open_ids:
                anchored[comment_id].append(element.text or "")
    return [
        (
            comment.get(W + "author", ""),
            "".join(t.text or "" for t in comment.iter(W + "t")),
            "".join(anchored.get(comment.get(W + "id", ""), [])),
        )
        for comment in part(path, "word/comments.xml").iter(W + "comment")
    ]


# -- one edit, looked at from every side ---------------------------------------------------------------------


@dataclass(frozen=True)
class Edited:
    source: Path
    source_bytes: bytes
    out: Path


@pytest.fixture(scope="module")
def edited(libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory) -> Edited:
    folder = tmp_path_factory.mktemp("edit")
    source = make_docx(folder / "source.docx")
    before = source.read_bytes()
    out = libreoffice.edit(source, folder / "edited.docx", author=AUTHOR, replacements=REPLACEMENTS, comments=COMMENTS)
    return Edited(source, before, out)


def test_the_source_makes_sense_and_is_left_alone(libreoffice: LibreOffice, edited: Edited) -> None:
    assert libreoffice.read(edited.source, "none").body == OLD
    assert edited.source.read_bytes() == edited.source_bytes
    assert edited.out == edited.out.resolve() and edited.out.is_file()


def test_accept_all_gives_the_new_text_and_reject_all_the_old(libreoffice: LibreOffice, edited: Edited) -> None:
    accepted, rejected = libreoffice.read(edited.out, "accept"), libreoffice.read(edited.out, "reject")
    assert accepted.body == NEW
    assert rejected.body == OLD
    assert accepted.remaining_changes == rejected.remaining_changes == 0


def test_libreoffice_sees_the_changes_and_comments_by_the_author(libreoffice: LibreOffice, edited: Edited) -> None:
    seen = libreoffice.read(edited.out, "none")
    assert seen.record_changes
    assert seen.authors == [AUTHOR]
    kinds = [(change["type"], change["text"]) for change in seen.changes]
    for kind in [("Delete", "quick brown"), ("Insert", "slow red"), ("Delete", "lazy "), ("Insert", " and sweet")]:
        assert kind in kinds
    assert [(c["author"], c["text"]) for c in seen.comments] == [(AUTHOR, text) for _, text in COMMENTS]
    assert all(change["date"] and comment["date"] for change in seen.changes for comment in seen.comments)


def test_the_docx_holds_w_ins_and_w_del_by_the_author(edited: Edited) -> None:
    found = revisions(edited.out)
    assert {kind for kind, _, _ in found} == {"ins", "del"}
    assert {author for _, author, _ in found} == {AUTHOR}
    assert ("del", AUTHOR, "quick brown") in found
    assert ("ins", AUTHOR, "slow red") in found
    assert ("ins", AUTHOR, " and sweet") in found
    assert paragraph_texts(edited.out, "accept") == NEW
    assert paragraph_texts(edited.out, "reject") == OLD
    settings = part(edited.out, "word/settings.xml")
    assert settings.find(W + "trackRevisions") is not None


def test_the_docx_holds_the_comments_by_the_author_on_their_anchors(edited: Edited) -> None:
    assert xml_comments(edited.out) == [(AUTHOR, text, anchor) for anchor, text in COMMENTS]


# -- more edits ------------------------------------------------------------------------------------------------


def test_a_dated_edit_carries_the_date(libreoffice: LibreOffice, tmp_path: Path) -> None:
    source = make_docx(tmp_path / "source.docx")
    out = libreoffice.edit(
        source,
        tmp_path / "dated.docx",
        author=AUTHOR,
        replacements=REPLACEMENTS,
        comments=COMMENTS[:1],
        date="2021-03-04T05:06:07",
    )
    seen = libreoffice.read(out, "none")
    assert {(c["author"], c["date"]) for c in seen.changes} == {(AUTHOR, "2021-03-04T05:06:07")}
    assert [(c["author"], c["date"], c["text"]) for c in seen.comments] == [(AUTHOR, "2021-03-04T05:06:07", "Why red?")]
    assert libreoffice.read(out, "accept").body == NEW
    assert libreoffice.read(out, "reject").body == OLD
    assert paragraph_texts(out, "accept") == NEW and paragraph_texts(out, "reject") == OLD
    dates = {e.get(W + "date", "") for e in part(out, "word/document.xml").iter(W + "ins", W + "del")}
    dates |= {e.get(W + "date", "") for e in part(out, "word/comments.xml").iter(W + "comment")}
    assert {date[:19] for date in dates} == {"2021-03-04T05:06:07"}


def test_a_second_delegate_edits_the_first_ones_result(libreoffice: LibreOffice, tmp_path: Path) -> None:
    """Each edit carries its own author (the user name is not stuck); earlier changes and comments stay."""
    source = make_docx(tmp_path / "source.docx", comment_by="Earlier Reviewer")
    first = libreoffice.edit(source, tmp_path / "first.docx", author="Alice Author", replacements=[("fox", "cat")])
    second = libreoffice.edit(
        first,
        tmp_path / "second.docx",
        author="Bob Builder",
        replacements=[("cat jumps", "cat leaps"), ("AFTER:Third", " and final")],  # "cat" is Alice's insertion
        comments=[("final", "Is it?")],
    )
    seen = libreoffice.read(second, "none")
    assert seen.authors == ["Alice Author", "Bob Builder"]
    assert ("Delete", "Alice Author", "fox") in [(c["type"], c["author"], c["text"]) for c in seen.changes]
    assert [(c["author"], c["text"]) for c in seen.comments] == [
        ("Earlier Reviewer", "An earlier remark"),
        ("Bob Builder", "Is it?"),
    ]
    assert libreoffice.read(second, "accept").body[0] == "The quick brown cat leaps over the lazy dog."
    assert libreoffice.read(second, "accept").body[4] == "Third and final paragraph is short."
    assert libreoffice.read(second, "reject").body == OLD
    found = revisions(second)
    assert {author for _, author, _ in found} == {"Alice Author", "Bob Builder"}
    assert ("ins", "Alice Author", "cat") in found and ("del", "Bob Builder", "cat") in found  # stacked
    assert paragraph_texts(second, "reject") == OLD
    assert [author for author, _, _ in xml_comments(second)] == ["Earlier Reviewer", "Bob Builder"]


def test_text_that_is_not_there_raises_and_the_session_carries_on(libreoffice: LibreOffice, tmp_path: Path) -> None:
    source = make_docx(tmp_path / "source.docx")
    first = libreoffice.edit(source, tmp_path / "first.docx", author=AUTHOR, replacements=[("quick brown", "slow")])
    with pytest.raises(LibreOfficeError, match="not found"):
        libreoffice.edit(source, tmp_path / "x.docx", author=AUTHOR, replacements=[("purple", "green")])
    with pytest.raises(LibreOfficeError, match="not found"):  # a match cannot cross a paragraph break
        libreoffice.edit(source, tmp_path / "x.docx", author=AUTHOR, comments=[("dog.Second", "?")])
    with pytest.raises(LibreOfficeError, match="not found"):  # deleted text is not there for a reader
        libreoffice.edit(first, tmp_path / "x.docx", author=AUTHOR, replacements=[("quick", "fast")])
    with pytest.raises(ValueError, match="author"):
        libreoffice.edit(source, tmp_path / "x.docx", author=" ")
    assert not (tmp_path / "x.docx").exists()
    assert libreoffice.read(first, "accept").body[0] == "The slow fox jumps over the lazy dog."
