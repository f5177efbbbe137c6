"""The versions of a draft read one after another from their changes (markdown/_series.py) are the documents that
reading each whole gives, and the blocks said to be unchanged are the very blocks of the version before; the
changed bytes found in C (diff/_spans.py) cover every difference."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wtpf_cli.diff._spans import changed_spans, respliced
from wtpf_cli.errors import InputRejected
from wtpf_cli.markdown import _series
from wtpf_cli.markdown._chunks import ParseCache
from wtpf_cli.markdown._series import DraftSeries
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.model import Document
from wtpf_cli.store.files import decode_text

FRONT = "---\ntitle: A report\nversion: First Draft\n---\n"

PIECES = [
    "The Forum discusses the issues.",
    "Une phrase en français, « citée ».",
    "## A heading",
    "### Another heading",
    "- an item\n- another item",
    "1. first\n2. second",
    "3. third point",
    "4) fourth point",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "A note here[^1].",
    "And another[^n2] and [a link][ref].",
    "[^1]: The first note.",
    "[^n2]: The second note, *emphasised*.",
    "[ref]: https://itu.int",
    "> a quotation",
    "    indented code",
    "**bold** and _em_ words",
    "a line\nwrapped",
]
# Edits of the bytes: whole pieces, fragments that make or break chunk boundaries, and a few that force a whole read.
FRAGMENTS = st.sampled_from(
    [
        "\n\n",
        "\n",
        " ",
        "  \n",
        "word ",
        "1. ",
        "- ",
        "# ",
        "[^1]",
        "[^3]: A new note.\n\n",
        "[ref]: https://other.org\n\n",
        "```\n",
        "<div>",
        "\r\n",
        "é",
        "\t",
        "\u00a0",
        *[p + "\n\n" for p in PIECES],
    ]
)


@st.composite
def drafts(draw: st.DrawFn, long: bool = False) -> bytes:
    pieces = draw(st.lists(st.sampled_from(PIECES), min_size=0, max_size=14))
    if long:  # hundreds of chunks (many pages of them), some repeated
        pieces = [f"{k}. {p}" if k % 3 else p for k, p in enumerate(pieces * draw(st.integers(20, 40)))]
    body = "\n\n".join(pieces) + "\n"
    return (draw(st.sampled_from([FRONT, "", "\ufeff" + FRONT])) + body).encode()


@st.composite
def edits(draw: st.DrawFn, data: bytes) -> bytes:
    out = data
    for _ in range(draw(st.integers(1, 3))):
        a = draw(st.integers(0, len(out)))
        b = draw(st.integers(a, min(len(out), a + draw(st.sampled_from([0, 1, 5, 40])))))
        new = draw(st.one_of(FRAGMENTS, st.just(""))).encode()
        if draw(st.integers(0, 30)) == 0:
            new = draw(st.sampled_from([b"\xff", b"\x00"]))
        out = out[:a] + new + out[b:]
    return out


@st.composite
def chains(draw: st.DrawFn, long: bool = False) -> list[bytes]:
    versions = [draw(drafts(long))]
    for _ in range(draw(st.integers(1, 6))):
        versions.append(draw(edits(versions[-1])))
    return versions


def whole(data: bytes) -> Document | str:
    """What reading the version whole gives, or the message of its refusal."""
    try:
        return read_draft(decode_text(data, "d.md"), path="d.md", cache=ParseCache())
    except InputRejected as exc:
        return str(exc)


@settings(max_examples=600, deadline=None)
@given(chains())
@example([(FRONT + "1. a\n\nb\n\n2. c\n").encode(), (FRONT + "1. a\n\nb\n\n- x\n\n2. c\n").encode()])
@example([(FRONT + "a[^1]\n\n[^1]: n\n").encode(), (FRONT + "a[^1]\n\nb\n\n[^1]: n\n").encode()])
# loose numbered lists, one chunk an item: the start changed, the list split and joined again, a delimiter changed
@example([(FRONT + "1. a\n\n2. b\n\n3. c\n").encode(), (FRONT + "4. a\n\n2. b\n\n3. c\n").encode()])
@example([(FRONT + "1. a\n\n2. b\n\n3. c\n").encode(), (FRONT + "1. a\n\nb\n\n3. c\n").encode()] * 2)
@example([(FRONT + "1. a\n\n2. b\n\n3. c\n").encode(), (FRONT + "1. a\n\n2) b\n\n3. c\n").encode()] * 2)
def test_each_version_read_from_its_changes_is_the_version_read_whole(versions: list[bytes]) -> None:
    _check_chain(versions)


@settings(max_examples=60, deadline=None)
@given(chains(long=True))
def test_each_version_of_a_long_draft_read_from_its_changes_is_the_version_read_whole(versions: list[bytes]) -> None:
    _check_chain(versions)


def _check_chain(versions: list[bytes]) -> None:
    """Each version read in turn through one series is the version read whole, its unchanged blocks those before."""
    series = DraftSeries(ParseCache())
    before: Document | None = None
    for data in versions:
        expected = whole(data)
        try:
            doc, changed = series.read(data, "d.md")
        except InputRejected as exc:
            assert str(exc) == expected
            before = None
            continue
        assert doc == expected
        if changed is not None and before is not None:
            # Outside the changed ranges, the blocks of the version before, the same objects in the same order.
            rebuilt: list[object] = []
            at = 0
            for a0, a1, b0, b1 in changed:
                assert a0 >= at
                rebuilt += before.blocks[at:a0]
                assert len(rebuilt) == b0
                rebuilt += doc.blocks[b0:b1]
                at = a1
            rebuilt += before.blocks[at:]
            assert len(rebuilt) == len(doc.blocks)
            assert all(x is y for x, y in zip(rebuilt, doc.blocks, strict=True))
        before = doc


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300), st.data())
def test_the_changed_spans_of_two_texts_cover_every_difference(old: bytes, data: st.DataObject) -> None:
    new = old
    for _ in range(data.draw(st.integers(0, 4))):
        a = data.draw(st.integers(0, len(new)))
        b = data.draw(st.integers(a, len(new)))
        new = new[:a] + data.draw(st.binary(max_size=20)) + new[b:]
    long_old, long_new = old * 40 + b"\n" + old, new * 40 + b"\n" + new  # long enough to be split at anchors
    for a, b in ((old, new), (long_old, long_new)):
        spans = changed_spans(a, b)
        assert respliced(a, b, spans) == b
        ends = [(0, 0), *((s[1], s[3]) for s in spans)]
        assert all(s[0] - e[0] == s[2] - e[1] >= 0 for s, e in zip(spans, ends, strict=False))


def test_a_version_that_changes_one_paragraph_of_a_long_draft_reads_only_the_chunks_around_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paragraphs = [f"{k}. Paragraph {k} of the report, on the costs of connectivity.\n" for k in range(3000)]
    before = (FRONT + "\n".join(paragraphs)).encode()
    paragraphs[1500] = "1500. Paragraph 1500, edited.\n"
    paragraphs[2900] = "2900. Paragraph 2900, edited too.\n"
    after = (FRONT + "\n".join(paragraphs)).encode()
    series = DraftSeries(ParseCache())
    series.read(before, "d.md")
    looked_up: list[str] = []
    real = _series.chunks_in_scope

    def recording(texts: list[str], *args: Any) -> Any:
        looked_up.extend(texts)
        return real(texts, *args)

    monkeypatch.setattr(_series, "chunks_in_scope", recording)
    doc, changed = series.read(after, "d.md")
    assert doc == whole(after)
    assert len(looked_up) <= 6  # each edited paragraph and its two neighbours
    assert changed is not None and [b1 - b0 for _a0, _a1, b0, b1 in changed] == [1, 1]
