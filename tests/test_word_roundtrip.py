"""A Word file returned unchanged proposes its draft byte for byte: every draft of the demo, the delegate corpus's
base and drafts written in every way Markdown allows (setext headings, loose and nested lists, quotes, code, wrapped
lines, reference links, HTML), built as `wtpf build` builds them and read back as a contribution; and one edit of
such a draft keeps the Markdown around it as it was written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from wtpf_cli.attribution.freeze import unchanged
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.merging.wordmap import word_proposal
from wtpf_cli.ooxml.writer import render_docx
from wtpf_cli.resources import template_path

HERE = Path(__file__).resolve().parent
STEPS = sorted((HERE.parent / "wtpf_cli" / "drafts" / "steps").glob("*.md"))
FRONT = "---\ntitle: T\nversion: First Draft\nsymbol: WTPF-IEG/1/1\ndate: 2012-04-13\n---\n"
WRITTEN = {
    "setext and wrapped": "Title\n=====\n\nA paragraph written\nover two lines, with _emphasis_ and __strong__.\n\n"
    "Sub\n---\n\nEnd.\n",
    "loose and nested lists": "- one\n\n- two\n\n  more of two\n\n  1. nested\n  2. nested again\n\n- three\n\n"
    "After.\n",
    "quotes, code and html": "> A quote.\n\n```\ncode line\n```\n\n<div>raw</div>\n\n    indented code\n\nText.\n",
    "links and notes": "See [the site][itu] and <https://example.org>.[^a]\n\n[itu]: https://www.itu.int/\n\n"
    "* * *\n\n[^a]: A note\n    on two lines.\n",
    "table with pipes": "| a | b |\n|---|:-:|\n| `x \\| y` | **z** |\n\nAfter.\n",
}


def _roundtrip(tmp_path: Path, source: str) -> str:
    """The body a build of `source`, returned unchanged, proposes."""
    doc = unchanged(read_draft(source))
    docx = tmp_path / "same.docx"
    docx.write_bytes(render_docx(doc, template_path("reference.docx"), header_text="", core={}))
    return word_proposal(docx, source, "c").body


@pytest.mark.parametrize("step", STEPS, ids=[p.stem for p in STEPS])
def test_each_demo_draft_returned_unchanged_proposes_itself(step: Path, tmp_path: Path) -> None:
    source = step.read_text(encoding="utf-8")
    assert _roundtrip(tmp_path, source) == split_front_matter(source).body


@pytest.mark.parametrize("name", list(WRITTEN))
def test_a_draft_written_any_way_returned_unchanged_proposes_itself(name: str, tmp_path: Path) -> None:
    source = FRONT + WRITTEN[name]
    assert _roundtrip(tmp_path, source) == WRITTEN[name]


def test_the_corpus_base_returned_unchanged_proposes_itself(tmp_path: Path) -> None:
    body = (HERE / "delegates" / "base.md").read_text(encoding="utf-8")
    assert _roundtrip(tmp_path, FRONT + body) == body


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _tracked_replacement(docx: Path, old: str, new: str) -> None:
    """The words `old` of a run of the file replaced by `new`, tracked (a deletion and an insertion)."""
    with zipfile.ZipFile(docx) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    w = f"{{{W_NS}}}"
    text = next(t for t in root.iter(f"{w}t") if old in (t.text or ""))
    run = text.getparent()
    before, after = (text.text or "").split(old, 1)
    text.text = before
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    changes = etree.fromstring(
        f'<w:x xmlns:w="{W_NS}"><w:del w:id="901" w:author="D" w:date="2012-05-01T00:00:00Z"><w:r>'
        f'<w:delText xml:space="preserve">{old}</w:delText></w:r></w:del><w:ins w:id="902" w:author="D" '
        f'w:date="2012-05-01T00:00:00Z"><w:r><w:t xml:space="preserve">{new}</w:t></w:r></w:ins>'
        f'<w:r><w:t xml:space="preserve">{after}</w:t></w:r></w:x>'
    )
    for element in reversed(list(changes)):
        run.addnext(element)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(docx, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("setext and wrapped", "two lines", "three lines", "over three lines, with _emphasis_ and __strong__."),
        ("links and notes", "the site", "the new site", "See [the new site][itu] and <https://example.org>.[^a]"),
        ("loose and nested lists", "more of two", "more of item two", "\n  more of item two\n"),
    ],
)
def test_a_word_edit_keeps_the_markdown_around_it_however_written(
    name: str, old: str, new: str, expected: str, tmp_path: Path
) -> None:
    source = FRONT + WRITTEN[name]
    doc = unchanged(read_draft(source))
    docx = tmp_path / "edited.docx"
    docx.write_bytes(render_docx(doc, template_path("reference.docx"), header_text="", core={}))
    _tracked_replacement(docx, old, new)
    body = word_proposal(docx, source, "c").body
    assert expected in body
    assert body.replace(new, old, 1) == WRITTEN[name]
