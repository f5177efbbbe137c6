"""A Word file read for its structure (ooxml/blocks.py) and what its merge leaves out: Word's own files with their
accepted siblings, edits made with tracking off counted by paragraph, formatting Markdown cannot hold named and
left out, a new footnote labelled after its contribution."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

import wtpf_cli
from support.cli import clean_env
from support.delegates import build_base
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.merging.wordmap import word_proposal
from wtpf_cli.ooxml.blocks import WordView, word_view
from wtpf_cli.ooxml.inspection import inspect_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
CORPUS = Path(__file__).resolve().parent / "delegates"


def _blocks(view: WordView) -> list[tuple[object, ...]]:
    """Each block's kind, level, list kind and text (a table: its cells' texts)."""
    out: list[tuple[object, ...]] = []
    for block in view.blocks:
        if block.rows is not None:
            cells = tuple(tuple(" ".join("".join(s.text for s in c).split()) for c in row) for row in block.rows)
            out.append(("table", cells))
        else:
            text = " ".join("".join(s.text for s in block.segments).split())
            out.append((block.shape.kind, block.shape.level, block.shape.list_kind, text))
    return out


def test_word_files_accepted_have_the_blocks_of_their_accepted_siblings(corpus: Path) -> None:
    """Word's own files (oxpt): paragraphs joined where a mark is deleted, rows and cells taken out or in, list
    items with their levels and kinds; with the changes rejected, the same texts as the rejected sibling."""
    pairs = 0
    for path in sorted((corpus / "oxpt").rglob("*.docx")):
        if path.stem.endswith(("-Accepted", "-Rejected")):
            continue
        for view, suffix in (("accept", "-Accepted"), ("reject", "-Rejected")):
            sibling = path.with_name(f"{path.stem}{suffix}.docx")
            if not sibling.exists():
                continue
            got, wanted = (
                _blocks(word_view(inspect_docx(path), view)),
                _blocks(word_view(inspect_docx(sibling), "accept")),
            )
            if view == "reject":  # a rejected numbering change keeps the numbering it has: the texts only
                got, wanted = [b[-1] for b in got], [b[-1] for b in wanted]
            assert got == wanted, f"{path.name} {view}"
            pairs += 1
    assert pairs >= 90


def rewritten(source: Path, target: Path, change: Callable[[etree._Element], None]) -> Path:
    """A copy of a .docx with its document.xml changed in place by change(root)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            new.writestr(info.filename, data)
    return target


def paragraph(root: etree._Element, starting: str) -> etree._Element:
    for p in root.iter(f"{W}p"):
        if "".join(p.itertext()).startswith(starting):
            return p
    raise AssertionError(starting)


def first_run(p: etree._Element) -> etree._Element:
    run = p.find(f"{W}r")
    assert run is not None
    return run


def formatted(run: etree._Element, *properties: str) -> None:
    """Give a run these run properties (XML text, in the w: namespace)."""
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        rpr = etree.SubElement(run, f"{W}rPr")
        run.remove(rpr)
        run.insert(0, rpr)
    for prop in properties:
        rpr.append(etree.fromstring(f'<w:{prop} xmlns:w="{W_NS}"/>'))


@pytest.fixture(scope="module")
def stamped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_base(tmp_path_factory.mktemp("base"))


@pytest.fixture
def ws(stamped: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "report"
    shutil.copytree(stamped[0], root)
    for key, value in clean_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    return root


def _merged(ws: Path, docx: Path) -> tuple[str, list[str]]:
    """report.md's body and the merge's messages after adding and merging a file."""
    workspace = wtpf_cli.open_workspace(ws)
    wtpf_cli.add_contribution(workspace, docx, source="Senegal", received="2012-05-10")
    merged = wtpf_cli.merge(workspace)
    return split_front_matter((ws / "report.md").read_text(encoding="utf-8")).body, [m.text for m in merged.messages]


def test_edits_made_with_tracking_off_are_counted_by_paragraph(ws: Path, stamped: tuple[Path, Path]) -> None:
    """Two paragraphs reworded and one typed between others, with tracking off: three paragraphs (the old count
    compared the paragraphs side by side, and every one after a new paragraph differed)."""

    def change(root: etree._Element) -> None:
        for starting, old, new in (("1.1.", "will discuss", "shall discuss"), ("3.1.", "adopts", "approves")):
            for t in paragraph(root, starting).iter(f"{W}t"):
                t.text = (t.text or "").replace(old, new)
        p12 = paragraph(root, "1.2.")
        new = etree.fromstring(etree.tostring(paragraph(root, "1.3.")))
        for t in new.iter(f"{W}t"):
            t.text = "1.2bis. A paragraph typed with tracking off."
        p12.addnext(new)

    body, messages = _merged(ws, rewritten(stamped[1], ws.parent / "untracked.docx", change))
    assert "shall discuss" in body and "approves this report" in body
    assert "1.2bis. A paragraph typed with tracking off.\n\n1.3." in body
    untracked = [m for m in messages if "tracking off" in m]
    assert len(untracked) == 1 and untracked[0].startswith("3 paragraph(s) differ")
    assert "the first '1.1. The Forum shall discuss the issues raised in…'" in untracked[0]


def test_a_paragraph_taken_out_with_tracking_off_is_named_by_its_words_in_the_base(
    ws: Path, stamped: tuple[Path, Path]
) -> None:
    def change(root: etree._Element) -> None:
        p13 = paragraph(root, "1.3.")
        p13.getparent().remove(p13)

    body, messages = _merged(ws, rewritten(stamped[1], ws.parent / "untracked.docx", change))
    assert "1.3." not in body
    untracked = [m for m in messages if "tracking off" in m]
    assert len(untracked) == 1 and untracked[0].startswith("1 paragraph(s) differ")
    assert "the first '1.3. This paragraph closes the introduction.'" in untracked[0]


def test_formatting_markdown_cannot_hold_is_named_and_left_out(ws: Path, stamped: tuple[Path, Path]) -> None:
    """Colour, highlighting, a font size and an image, with tracking off: one warning line each, the draft as it
    was (nothing of them merged as stray characters), and each left out as data with its reason."""

    def change(root: etree._Element) -> None:
        formatted(first_run(paragraph(root, "1.2.")), 'color w:val="FF0000"')
        formatted(first_run(paragraph(root, "3.1.")), 'highlight w:val="yellow"')
        formatted(first_run(paragraph(root, "1.3.")), 'sz w:val="32"')
        image = etree.fromstring(f'<w:r xmlns:w="{W_NS}"><w:drawing/></w:r>')
        paragraph(root, "2.1.").append(image)

    docx = rewritten(stamped[1], ws.parent / "formatted.docx", change)
    base_text = (ws / "report.md").read_text(encoding="utf-8")
    found = word_proposal(docx, base_text, "c1")
    assert [(item.what, item.words) for item in found.left_out] == [
        ("colour", "1.2. IPv6 adoption remains slow"),
        ("font size", "1.3. This paragraph closes the introduction."),
        ("image", "an image in '2.1. The principles below guide the…'"),
        ("highlighting", "3.1. The Forum adopts this report."),
    ]
    body, messages = _merged(ws, docx)
    assert body == split_front_matter(base_text).body
    assert "colour of '1.2. IPv6 adoption remains slow': Markdown has no colour" in messages
    assert sum(m.startswith(("colour of", "font size of", "image of", "highlighting of")) for m in messages) == 4


def test_a_new_footnote_is_labelled_after_its_contribution(stamped: tuple[Path, Path]) -> None:
    base_text = (stamped[0] / "report.md").read_text(encoding="utf-8")
    found = word_proposal(CORPUS / "footnote-insert-middle-tracked" / "delegate.docx", base_text, "2012-05-10-senegal")
    assert "summarised below[^2012-05-10-senegal-1]." in found.body
    assert found.body.endswith("[^2]: Figures as of April 2012.\n\n[^2012-05-10-senegal-1]: Data from 2012.\n")


def test_an_edit_after_a_numbered_list_leaves_the_items_numbers_as_they_were(stamped: tuple[Path, Path]) -> None:
    """The paragraph after "1. 2. 3." reworded with tracking off: the proposal is the base with that word only (the
    third item, after a stretch of blocks taken as they stand, was numbered "1." again)."""

    def change(root: etree._Element) -> None:
        for t in paragraph(root, "2.3.").iter(f"{W}t"):
            t.text = (t.text or "").replace("summarised", "shown")

    base_text = (stamped[0] / "report.md").read_text(encoding="utf-8")
    docx = rewritten(stamped[1], stamped[0].parent / "after-list.docx", change)
    body = word_proposal(docx, base_text, "c1").body
    assert body == split_front_matter(base_text).body.replace("is summarised below", "is shown below")
