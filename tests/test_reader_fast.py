"""The reader's fast walk and text views give what they gave before (tests/support/reader_reference.py), on the
corpus, on the hostile catalogue, on mutated corpus files and on generated documents that nest Word's elements
anyhow."""

from __future__ import annotations

import random
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS
from fuzz_docx import Case, mutate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from support import hostile
from support.reader_reference import read_inspection_reference, text_view_reference
from wtpf_cli.errors import WtpfError
from wtpf_cli.ooxml.package import PackageLimits, open_docx, parse_xml
from wtpf_cli.ooxml.reader import read_inspection
from wtpf_cli.ooxml.revisions import PARTS, Inspection, Segment
from wtpf_cli.ooxml.views import text_view

CORPUS_FILES = sorted(CORPUS.rglob("*.docx")) if CORPUS.is_dir() else []
HOSTILE = sorted(name for name in dir(hostile) if name.startswith("make_") and name not in ("make_fifo",))


def _outcome(read: Callable[..., Inspection], path: Path) -> Inspection | str:
    """What a reader makes of a file: the inspection, or the refusal's class and message."""
    try:
        return read(open_docx(path))
    except WtpfError as exc:
        return f"{type(exc).__name__}: {exc}"


def _render(segment: Segment) -> str:
    """A rendering that shows each segment's state, as a caller's render would (wordmap's Markdown of insertions)."""
    return f"[{segment.text}|{segment.inserted:d}{segment.deleted:d}{sorted(segment.marks)}]"


def _stable_repr(found: object) -> str:
    """repr with the members of each frozenset sorted (their order is the hash's, which differs between sets)."""

    def sort(m: re.Match[str]) -> str:
        return "frozenset({" + ", ".join(sorted(m.group(1).split(", "))) + "})"

    return re.sub(r"frozenset\(\{([^{}]*)\}\)", sort, repr(found))


def _same_reading(path: Path) -> None:
    fast, reference = _outcome(read_inspection, path), _outcome(read_inspection_reference, path)
    assert fast == reference
    assert _stable_repr(fast) == _stable_repr(reference)  # also what == does not tell apart (1 and True, types)
    if isinstance(fast, Inspection):
        for view in ("accept", "reject"):
            for parts in (PARTS, ("document",), ("footnotes",)):
                for note_marks in (False, True):
                    for render in (None, _render):
                        options = {"parts": parts, "note_marks": note_marks, "render": render}
                        assert text_view(fast, view, **options) == text_view_reference(fast, view, **options)


@pytest.mark.skipif(not CORPUS_FILES, reason="the shared .docx corpus (../shared/corpus/docx) is absent")
def test_every_corpus_file_reads_as_the_reference_reads_it() -> None:
    for path in CORPUS_FILES:
        _same_reading(path)


@pytest.mark.parametrize("maker", HOSTILE)
def test_every_hostile_file_reads_or_is_refused_as_the_reference_does(maker: str, tmp_path: Path) -> None:
    _same_reading(getattr(hostile, maker)(tmp_path))


@pytest.mark.skipif(not CORPUS_FILES, reason="the shared .docx corpus (../shared/corpus/docx) is absent")
def test_mutated_corpus_files_read_as_the_reference_reads_them(tmp_path: Path) -> None:
    seeds = [p for p in CORPUS_FILES if p.stat().st_size <= 200_000]
    rng = random.Random(5)
    path = tmp_path / "mutated.docx"
    for case_seed in range(300):
        source = rng.choice(seeds)
        path.write_bytes(mutate(source.read_bytes(), Case(str(source), case_seed)))
        _same_reading(path)


# -- generated documents ------------------------------------------------------------------------------------------

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:x="urn:other"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WHO = ' w:id="7" w:author="{}" w:date="2024-05-0{}T10:00:00Z"'
LEAVES = [
    "<w:t>plain</w:t>",
    '<w:t xml:space="preserve"> two words </w:t>',
    "<w:t></w:t>",
    "<w:t>a*b_[c]</w:t>",
    "<w:delText>gone</w:delText>",
    "<w:tab/>",
    "<w:br/>",
    "<w:cr/>",
    "<w:ptab/>",
    "<w:noBreakHyphen/>",
    '<w:sym w:char="F0E0"/>',
    '<w:fldChar w:fldCharType="begin"/>',
    '<w:fldChar w:fldCharType="separate"/>',
    '<w:fldChar w:fldCharType="end"/>',
    "<w:instrText>PAGE</w:instrText>",
    '<w:footnoteReference w:id="1"/>',
    '<w:footnoteReference w:id="2"/>',
    '<w:endnoteReference w:id="1"/>',
    '<w:commentRangeStart w:id="0"/>',
    '<w:commentRangeEnd w:id="0"/>',
    '<w:commentReference w:id="0"/>',
    '<w:bookmarkStart w:id="0" w:name="x"/>',
    '<w:bookmarkEnd w:id="0"/>',
    "<w:proofErr/>",
    "<w:lastRenderedPageBreak/>",
    "<w:b/>",
    '<w:b w:val="0"/>',
    "<w:i/>",
    '<w:i w:val="false"/>',
    '<w:rStyle w:val="Strong"/>',
    '<w:pStyle w:val="Heading1"/>',
    "<w:pStyle/>",
    '<w:ilvl w:val="0"/>',
    f"<w:numberingChange{WHO.format('Brazil', 1)}/>",
    f"<w:rPrChange{WHO.format('ISOC', 2)}/>",
    f"<w:pPrChange{WHO.format('Brazil', 1)}/>",
    f"<w:sectPrChange{WHO.format('ISOC', 2)}/>",
    f"<w:cellIns{WHO.format('ISOC', 1)}/>",
    f"<w:cellDel{WHO.format('ISOC', 1)}/>",
    f"<w:tcPrChange{WHO.format('ISOC', 1)}/>",
    f"<w:trPrChange{WHO.format('ISOC', 1)}/>",
    f"<w:tblPrExChange{WHO.format('ISOC', 1)}/>",
    f"<w:customXmlInsRangeStart{WHO.format('Brazil', 1)}/>",
    "<w:altChunk/>",
    "<m:t>x+1</m:t>",
    "<x:t>other namespace</x:t>",
    "<w:drawing/>",
]
CONTAINERS = ["p"] * 6 + ["r"] * 8 + ["rPr"] * 3 + ["pPr"] * 3 + ["ins", "del"] * 2
CONTAINERS += ["moveFrom", "moveTo", "tbl", "tr", "tc", "tcPr", "trPr", "tblPrEx", "tblPr", "numPr", "sectPr"]
CONTAINERS += ["hyperlink", "sdt", "sdtContent", "smartTag", "ruby", "rubyBase", "m:oMath", "m:r", "m:rPr"]
CONTAINERS += ["mc:AlternateContent", "x:wrapper", "txbxContent"]
REVISIONS = {"ins", "del", "moveFrom", "moveTo"}


def _element(tag: str, who: int, children: list[str]) -> str:
    name = tag if ":" in tag else f"w:{tag}"
    attributes = WHO.format(("Brazil", "ISOC", "")[who], who + 1) if tag in REVISIONS else ""
    return f"<{name}{attributes}>{''.join(children)}</{name}>"


PIECES = st.recursive(
    st.sampled_from(LEAVES),
    lambda inner: st.builds(_element, st.sampled_from(CONTAINERS), st.integers(0, 2), st.lists(inner, max_size=5)),
    max_leaves=40,
)
PLAIN_RUN = st.builds(
    lambda props, text: f"<w:r>{props}<w:t>{text}</w:t></w:r>",
    st.sampled_from(["", "<w:rPr><w:b/></w:rPr>", "<w:rPr><w:i/><w:b/></w:rPr>", '<w:rPr><w:b w:val="off"/></w:rPr>']),
    st.sampled_from(["one", " two ", "three four"]),
)
PARAGRAPH = st.builds(
    lambda props, content: f"<w:p>{props}{''.join(content)}</w:p>",
    st.sampled_from(["", '<w:pPr><w:pStyle w:val="BodyText"/></w:pPr>', "<w:pPr><w:numPr><w:ilvl/></w:numPr></w:pPr>"]),
    st.lists(st.one_of(PLAIN_RUN, PLAIN_RUN, PIECES), max_size=5),
)
BODY = st.lists(st.one_of(PARAGRAPH, PARAGRAPH, PIECES), max_size=8)
NOTES = st.lists(st.one_of(PARAGRAPH, PIECES), max_size=3)


def _package(body: list[str], note_one: list[str], note_two: list[str], folder: Path) -> Path:
    """A .docx of the generated body, two footnotes, an endnote and a comment."""
    one, two = "".join(note_one), "".join(note_two)
    notes = f'<w:footnote w:id="1">{one}</w:footnote><w:footnote w:id="2">{two}</w:footnote>'
    parts = {
        "[Content_Types].xml": hostile.content_types(),
        "_rels/.rels": hostile.ROOT_RELS,
        "word/document.xml": f"<w:document {NS}><w:body>{''.join(body)}</w:body></w:document>",
        "word/footnotes.xml": f"<w:footnotes {NS}>{notes}</w:footnotes>",
        "word/endnotes.xml": f'<w:endnotes {NS}><w:endnote w:id="1">{one}</w:endnote></w:endnotes>',
        "word/comments.xml": f'<w:comments {NS}><w:comment w:id="0" w:author="ISOC"><w:p>{two}'
        "</w:p></w:comment></w:comments>",
        "word/_rels/document.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{REL}/{kind}" Target="{kind}.xml"/>'
            for n, kind in enumerate(("footnotes", "endnotes", "comments"), start=1)
        )
        + "</Relationships>",
    }
    path = folder / "generated.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return path


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(BODY, NOTES, NOTES)
def test_generated_documents_read_as_the_reference_reads_them(
    body: list[str], note_one: list[str], note_two: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _same_reading(_package(body, note_one, note_two, Path(folder)))


# -- the depth check ----------------------------------------------------------------------------------------------

TREES = st.recursive(
    st.sampled_from(["", "text", "<!-- note -->", "<?pi x?>", "<![CDATA[x]]>", "&amp;", "<leaf/>"]),
    lambda inner: st.lists(inner, max_size=3).map(lambda children: f"<a>{''.join(children)}</a>"),
    max_leaves=30,
)


def _depth_by_walk(data: bytes) -> int:
    """The deepest nesting of the document, counted over a walk of the tree (the root is at depth 1)."""
    root = etree.fromstring(data)
    deepest = depth = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


@settings(max_examples=300, deadline=None)
@given(TREES, st.integers(min_value=1, max_value=12))
def test_the_depth_check_refuses_exactly_the_documents_a_walk_finds_too_deep(tree: str, limit: int) -> None:
    data = f"<root>{tree}</root>".encode()
    try:
        parse_xml(data, where="x.xml", limits=PackageLimits(max_xml_depth=limit))
        refused = False
    except WtpfError as exc:
        assert f"nested deeper than {limit} levels" in str(exc)
        refused = True
    assert refused == (_depth_by_walk(data) > limit)
