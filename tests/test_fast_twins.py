"""The faster twins give what the plain versions give: the bisection, the front matter, the chunks, the reader's
paragraphs and segments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from diff_match_patch import diff_match_patch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wtpf_cli.attribution.blame import Blame, ParagraphBlame, Provenance, SentenceBlame
from wtpf_cli.cli._blame_json import blame_json
from wtpf_cli.cli._json import dumps_indented
from wtpf_cli.diff._diff_main import NATIVE, SlicingBisection, native_diff
from wtpf_cli.diff.sequences import diff_sequences, encode, to_edits
from wtpf_cli.errors import InputRejected
from wtpf_cli.markdown._chunks import split_chunks
from wtpf_cli.markdown._gate_read import gate_read
from wtpf_cli.markdown.blocks import markdown_parser
from wtpf_cli.markdown.frontmatter import read_meta, split_front_matter
from wtpf_cli.model import Meta, Revision, RRun, Token
from wtpf_cli.ooxml import writer
from wtpf_cli.ooxml._records import para, segment
from wtpf_cli.ooxml.revisions import Para, Segment
from wtpf_cli.ooxml.writer import DocxRenderer, _Part
from wtpf_cli.reporting.check import markdown_findings
from wtpf_cli.resources import template_path

TEXTS = st.text(alphabet="abcab\u00e9\U0001f600", max_size=80)


@settings(max_examples=400, deadline=None)
@given(TEXTS, TEXTS, st.integers(min_value=0, max_value=40))
def test_the_bisection_comparing_slices_gives_the_diffs_of_diff_match_patch(a: str, b: str, repeat: int) -> None:
    stock, fast = diff_match_patch(), SlicingBisection()
    stock.Diff_Timeout = fast.Diff_Timeout = 0
    long_a, long_b = a * repeat + b, b + a * repeat  # long snakes, as between two versions of a report
    assert fast.diff_main(a, b, False) == stock.diff_main(a, b, False)
    assert fast.diff_main(long_a, long_b, False) == stock.diff_main(long_a, long_b, False)


# Word codes as the diffs see them: private-use characters, characters beyond the BMP, letters, CJK.
CODES = st.text(alphabet="ab\ue000\ue001\ue002\U00010000\U00010001\u4e00\u00e9", max_size=80)


@settings(max_examples=600, deadline=None)
@given(CODES, CODES, st.integers(min_value=0, max_value=40))
def test_the_cpp_port_gives_the_diffs_of_diff_match_patch(a: str, b: str, repeat: int) -> None:
    stock = diff_match_patch()
    stock.Diff_Timeout = 0
    long_a, long_b = a * repeat + b, b + a * repeat
    assert native_diff(a, b) == stock.diff_main(a, b, False)
    assert native_diff(long_a, long_b) == stock.diff_main(long_a, long_b, False)


def test_the_cpp_port_is_used_where_it_counts_in_code_points() -> None:
    assert NATIVE, "fast-diff-match-patch is a dependency; on Linux its wchar_t holds a whole code point"


def test_a_short_text_against_a_long_one_gives_the_diff_of_diff_match_patch() -> None:
    short = "\ue000\ue001\ue002\ue010" * 9  # the template of `wtpf init` against a first draft
    long = "".join(chr(0xE000 + (i * 7919) % 400) for i in range(20_000))
    stock = diff_match_patch()
    stock.Diff_Timeout = 0
    assert native_diff(short, long) == stock.diff_main(short, long, False)


def _front_matter_by_all_lines(text: str) -> tuple[object, str, int]:
    """split_front_matter as it was: every line of the file split first."""
    lines = text.splitlines(keepends=True)
    if not text.startswith("---") or lines[0].rstrip("\r\n") != "---":
        return None, text, 0
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n") in ("---", "..."):
            return read_meta("".join(lines[1:i])), "".join(lines[i + 1 :]), i + 1
    return "never closed", "", 0


LINES = st.sampled_from(
    ["---", "...", "a: 1", "title: x", "", " ", "body", "----", "---\r", "\u2028", "k: " + "v" * 5000]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=12), st.sampled_from(["\n", "\r\n", "\r"]))
def test_the_front_matter_found_on_a_prefix_is_the_one_found_on_all_lines(lines: list[str], end: str) -> None:
    text = end.join(["---", *lines])
    try:
        expected = _front_matter_by_all_lines(text)
    except InputRejected:
        expected = ("rejected", "", 0)
    try:
        got = split_front_matter(text)
        found: tuple[object, str, int] = (got.meta if got.body_line else None, got.body, got.body_line)
    except InputRejected as exc:
        found = ("never closed" if "never closed" in str(exc) else "rejected", "", 0)
    assert found == expected


def _chunks_by_lines(body: str) -> list[str] | None:
    """split_chunks as it was: lines gathered into lists and joined."""
    import re

    fence_re = re.compile(r"^ {0,3}(`{3,}|~{3,})")
    chunks: list[str] = []
    current: list[str] = []
    fence: str | None = None
    blank_before = False
    for line in body.splitlines(keepends=True):
        m = fence_re.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * 3
        elif fence is not None and m and m.group(1).startswith(fence):
            fence = None
            current.append(line)
            blank_before = False
            continue
        if fence is None and line.startswith("<"):
            return None
        if fence is None and blank_before and line[:1] not in (" ", "\t", "\n", "\r", "") and current:
            chunks.append("".join(current))
            current = []
        current.append(line)
        blank_before = fence is None and not line.strip()
    if fence is not None:
        return None  # code left open: not cut (the whole body is parsed at once)
    if current:
        chunks.append("".join(current))
    return chunks


BODY_LINES = st.sampled_from(
    ["para", "", " ", "\t", "  code", "```", "~~~~", "<div>", "- item", "# h", "\u3000", "x\r"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(BODY_LINES, max_size=15), st.sampled_from(["\n", "\r\n", "\x0c"]))
def test_chunks_cut_at_offsets_are_the_chunks_gathered_line_by_line(lines: list[str], end: str) -> None:
    body = end.join(lines)
    assert split_chunks(body) == _chunks_by_lines(body)


FIELDS = st.one_of(st.none(), st.text(max_size=5))
MARKS = st.frozensets(st.sampled_from(["strong", "em", "code", "colour"]))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=8), st.booleans(), st.booleans(), st.one_of(st.none(), st.integers()), FIELDS, MARKS, FIELDS)
def test_a_segment_made_fast_is_the_segment_its_dataclass_makes(
    text: str,
    inserted: bool,
    deleted: bool,
    change: int | None,
    note: str | None,
    marks: frozenset[str],
    href: str | None,
) -> None:
    fast, plain = (
        segment(text, inserted, deleted, change, note, marks, href),
        Segment(text, inserted, deleted, change, note, marks, href),
    )
    assert (fast == plain, repr(fast), hash(fast)) == (True, repr(plain), hash(plain))
    made, made_plain = (
        para(3, "document", "body", (fast,), *[False] * 4, 2, "Heading1", ("4", 1), None),
        Para(3, "document", "body", (plain,), False, False, False, False, 2, "Heading1", ("4", 1), None),
    )
    assert (made == made_plain, repr(made), hash(made)) == (True, repr(made_plain), hash(made_plain))


# Sequences of items some of which are equal but not the same object (as two parses' tokens are), and one replaced.
ITEMS = st.lists(st.sampled_from(["a", "b", "c", ("a",), ("b", 1)]), max_size=70)


@settings(max_examples=400, deadline=None)
@given(ITEMS, st.integers(min_value=0, max_value=69), st.sampled_from(["a", "z", ("a",), ("z", 2)]))
def test_one_item_replaced_gives_the_diff_of_the_coded_sequences(items: list[object], at: int, new: object) -> None:
    a = list(items)
    b = [tuple(list(x)) if isinstance(x, tuple) else x for x in items]  # equal items, other objects
    if b:
        b[at % len(b)] = new
    assert diff_sequences(a, b) == to_edits(diff_match_patch_of(a, b))
    assert diff_sequences(b, a) == to_edits(diff_match_patch_of(b, a))


def diff_match_patch_of(a: list[object], b: list[object]) -> list[tuple[int, str]]:
    """diff-match-patch's own diff of the two sequences, coded as diff_sequences codes them."""
    stock = diff_match_patch()
    stock.Diff_Timeout = 0
    return stock.diff_main(*encode(a, b), False)  # type: ignore[no-any-return]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(alphabet='a\u00e9"\\\n\u2028\U0001f600<'),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(alphabet='ab"\u00e9', max_size=3), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(JSON_VALUES)
@example([float("nan"), float("inf"), -float("inf"), 1e300, -0.0, {"b": [], "": {}}, (), True, None])
def test_the_indented_json_is_the_json_modules_own(data: object) -> None:
    assert dumps_indented(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_json_with_one_dict_in_many_places_is_the_json_modules_own() -> None:
    flat = {"source": "Bench", "words": 1, "share": 1.0, "date": None, "moved": True}
    other = {"source": "Bench", "words": True, "share": 1, "date": None, "moved": 1}  # equal values, other types
    deep = {"sources": [flat, other], "inner": {"flat": flat}}
    data = {"a": [flat, flat, deep], "b": flat, "c": [[flat, other]], "d": [deep, deep]}
    assert dumps_indented(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_json_with_keys_that_are_not_strings_is_the_json_modules_own() -> None:
    data = {"a": [{1: "one", None: 2, 2.5: True}]}
    assert dumps_indented(data) == json.dumps(data, indent=2, ensure_ascii=False)


def _block_tokens(md: Any, text: str) -> tuple[list[tuple[object, ...]], dict[str, Any]]:
    """Every field of every token markdown-it makes of `text` (children too), and the env it fills."""
    env: dict[str, Any] = {}
    out = []
    for t in md.parse(text, env):
        children = [(c.type, c.content, c.level, c.markup, c.meta, c.hidden) for c in t.children or []]
        fields = (t.type, t.tag, t.nesting, t.level, t.content, t.map, t.markup, t.info, t.meta, t.block, t.hidden)
        out.append((*fields, sorted(t.attrs.items()), children))
    return out, env


def _parser_without_block_twins() -> Any:
    md = markdown_parser.__wrapped__()
    md.block.ruler.disable(["quote_staircase", "list_staircase", "one_line_note"])
    return md


# Lines of the shapes the twins read (quote and list staircases, one-line footnote definitions) and of those they
# leave to markdown-it (lazy lines, indented continuations, other bullets, tabs, headings, blank lines).
TWIN_LINES = st.sampled_from(
    [
        *("> a", ">> b c", ">>> d", ">>>> e", "> 1. f", ">>  g", ">\th", ">"),
        *("- a", "  - b", "    - c", "      - d", "* e", "+ f", "   - g", "  - 1) h", "- [x]", "-\ti"),
        *("[^a]: x", "[^b]: y z", "[^a]: *w*", "[^c]:  v", "[^d]:", "  [^e]: u", "[^f g]: t"),
        *("", "", " ", "para", "    code", "# h", "1. one", "===", "| t |", "[x]: /u", "text [^a] and [^b]"),
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(TWIN_LINES, max_size=14), st.sampled_from(["", "\n"]))
def test_the_block_rule_twins_give_the_tokens_of_markdown_its_own_rules(lines: list[str], end: str) -> None:
    text = "\n".join(lines) + end
    assert _block_tokens(markdown_parser(), text) == _block_tokens(_parser_without_block_twins(), text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=-3, max_value=1), max_size=30),
    st.lists(st.integers(min_value=0, max_value=2), max_size=25),
    st.sampled_from(["", "\n", "\n\nx\n", "\n\n  y\n", "\n\n- z\n", "\n\n\n[^a]: n\n"]),
)
def test_deep_staircases_give_the_tokens_of_markdown_its_own_rules(
    steps: list[int], rises: list[int], end: str
) -> None:
    depth, items = 0, []
    for k, step in enumerate(steps):  # each item at most one level deeper than the one before
        depth = max(0, min(depth + step, depth + 1))
        items.append("  " * depth + f"- a{k}")
    quotes = [">" * (1 + sum(rises[: k + 1])) + f" q{k}" for k in range(len(rises))]
    text = "\n".join(items) + ("\n\n" if items and quotes else "") + "\n".join(quotes) + end
    assert _block_tokens(markdown_parser(), text) == _block_tokens(_parser_without_block_twins(), text)


def test_the_block_rule_twins_read_the_staircases_of_the_adversarial_benchmark() -> None:
    quotes = "".join(">" * d + f" ab {d}\n" for d in range(1, 20))
    items = "".join("  " * d + f"- ab {d}\n" for d in range(9))
    notes = "".join(f"[^n{k}]: a\n" for k in range(30))
    text = f"Text[^n1].\n\n{items}\n{quotes}\n{notes}"
    md = markdown_parser.__wrapped__()
    read: list[str] = []
    for name in ("quote_staircase", "list_staircase", "one_line_note"):
        rule = md.block.ruler.__rules__[md.block.ruler.__find__(name)].fn

        def counted(state: Any, start: int, end: int, silent: bool, rule: Any = rule, name: str = name) -> bool:
            found = bool(rule(state, start, end, silent))
            read.extend([name] if found else [])
            return found

        md.block.ruler.at(name, counted)
    assert _block_tokens(md, text) == _block_tokens(_parser_without_block_twins(), text)
    assert sorted(set(read)) == ["list_staircase", "one_line_note", "quote_staircase"]
    assert read.count("one_line_note") == 30


def _gate_bodies() -> list[str]:
    """The bodies of the golden cases' drafts and of the fuzzer's pieces, with footnotes, lists and headings."""
    root = Path(__file__).parent
    bodies = [split_front_matter(p.read_text(encoding="utf-8")).body for p in sorted(root.glob("cases/*/*.md"))]
    return bodies


GATE_PIECES = st.sampled_from(
    [
        *("a", "word [^1]", "[^2]", "[^zz]", "\\[^1]", "&#91;^1]", "`[^1]`", "![alt](x.png)", "<b>", "##### h"),
        *("# t", "- i", "  - j", "1. n", "> q", ">> r", "| a | b |\n|---|---|\n| c [^1] | d |", "**b**", "x  "),
        *("- - - - - - - - - - deep", "[x]: /u", "[^1]: note", "[^2]: a note [^1]", "[^3]: plain", "    code"),
    ]
)
BLAME_TEXTS = st.text(alphabet='a\u00e9"\\\n\u2028\U0001f600< ', max_size=6)
PROVENANCES = st.builds(
    Provenance,
    source=BLAME_TEXTS,
    words=st.integers(0, 10**6),
    share=st.floats(0, 1),
    contribution=BLAME_TEXTS,
    symbol=BLAME_TEXTS,
    version=BLAME_TEXTS,
    version_symbol=BLAME_TEXTS,
    date=BLAME_TEXTS,
)
SOURCE_LISTS = st.lists(PROVENANCES, max_size=3).map(tuple)
SENTENCES = st.builds(SentenceBlame, text=BLAME_TEXTS, words=st.integers(0, 99), sources=SOURCE_LISTS)
PARAGRAPHS = st.builds(
    ParagraphBlame,
    index=st.integers(1, 10**5),
    kind=st.sampled_from(["heading", "paragraph", "table row", "footnote"]),
    number=BLAME_TEXTS,
    heading=BLAME_TEXTS,
    text=BLAME_TEXTS,
    words=st.integers(0, 999),
    sources=SOURCE_LISTS,
    sentences=st.lists(SENTENCES, max_size=3).map(tuple),
)
BLAMES = st.builds(
    Blame,
    label=BLAME_TEXTS,
    meta=st.builds(Meta, version=BLAME_TEXTS, symbol=BLAME_TEXTS),
    sources=st.lists(BLAME_TEXTS, max_size=3).map(tuple),
    paragraphs=st.lists(PARAGRAPHS, max_size=4).map(tuple),
    scope=st.lists(BLAME_TEXTS, max_size=2).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(GATE_PIECES, min_size=1, max_size=12), st.lists(st.sampled_from(["\n", "\n\n", " "]), max_size=12))
def test_the_gate_finds_in_the_chunks_what_it_finds_in_the_whole_parse(pieces: list[str], ends: list[str]) -> None:
    body = "".join(p + (ends[k] if k < len(ends) else "\n\n") for k, p in enumerate(pieces))
    folder = Path(__file__).parent
    assert markdown_findings("d.md", body, 5, folder) == markdown_findings("d.md", body, 5, folder, chunked=False)


def test_the_gate_finds_in_the_chunks_of_the_golden_drafts_what_it_finds_in_the_whole_parse() -> None:
    folder = Path(__file__).parent
    bodies = _gate_bodies()
    assert any(gate_read(body) is not None for body in bodies)
    for body in bodies:
        assert markdown_findings("d.md", body, 5, folder) == markdown_findings("d.md", body, 5, folder, chunked=False)


def test_the_gate_reads_the_adversarial_drafts_chunk_by_chunk() -> None:
    notes = " ".join(f"ab[^n{k}]" for k in range(40)) + "\n\n" + "".join(f"[^n{k}]: a\n" for k in range(42))
    nesting = (
        "".join("  " * d + f"- ab {d}\n" for d in range(9)) + "\n" + "".join(">" * d + " q\n" for d in range(1, 20))
    )
    folder = Path(__file__).parent
    for body in (notes, nesting):
        read = gate_read(body)
        assert read is not None and len(read.parsed) == 0
        assert markdown_findings("d.md", body, 5, folder) == markdown_findings("d.md", body, 5, folder, chunked=False)
    assert [f.rule for f in markdown_findings("d.md", notes, 5, folder)] == ["MD006", "MD006"]


RUN_TOKENS = st.builds(
    Token,
    st.sampled_from(["a", " ", "word", "\u05d0\u05d1", "x\ny", "&<", "é", ""]),
    st.sampled_from([frozenset(), frozenset({"strong"}), frozenset({"em", "code"})]),
    st.sampled_from([None, None, None, "https://a.b"]),
    st.sampled_from([None, None, None, None, "1"]),
)
REVISIONS = st.sampled_from([None, None, None, Revision("A", "2012-04-13T00:00:00Z")])
RUNS = st.lists(st.builds(RRun, RUN_TOKENS, REVISIONS, REVISIONS), max_size=6)


@settings(max_examples=500, deadline=None)
@given(RUNS, st.booleans())
def test_runs_written_as_one_run_are_written_as_the_writer_groups_them(runs: list[RRun], rtl: bool) -> None:
    fast, plain = DocxRenderer(template_path("reference.docx")), DocxRenderer(template_path("reference.docx"))
    fast.rtl = plain.rtl = rtl
    written = fast._inline(runs, _Part("document"))
    with patch.object(writer, "one_run_text", lambda runs: None):
        assert written == plain._inline(runs, _Part("document"))
    assert fast.para_rtl == plain.para_rtl


@settings(max_examples=300, deadline=None)
@given(BLAMES)
def test_the_blame_json_is_the_indented_json_of_its_data(result: Blame) -> None:
    assert (
        blame_json(result)
        == dumps_indented(result.as_json())
        == json.dumps(result.as_json(), indent=2, ensure_ascii=False)
    )
