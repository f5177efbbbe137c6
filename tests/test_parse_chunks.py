"""The chunked parse's fast paths (boundaries by one expression, new chunks parsed in one batch, chunks of one
paragraph or one footnote made without the block parser) give what the line-by-line split and the chunk-by-chunk
parse give."""

from __future__ import annotations

import re
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from wtpf_cli.markdown import _chunks
from wtpf_cli.markdown._chunks import Chunk, ParseCache, split_chunks, split_lines
from wtpf_cli.markdown._staircase import staircase_blocks
from wtpf_cli.markdown.parse import read_draft

LINE_PIECES = st.sampled_from(
    [
        "word",
        "# Head",
        "- item",
        "1. item",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "  \n",
        "\u00a0",
        "\u3000",
        "\x1f",
        "```",
        "~~~",
        "  ```",
        "    ```",
        "`",
        "~",
        "<",
        "<div>",
        "\r",
        "\r\n",
        "\x0c",
        "\x85",
        "\u2028",
        "> ",
        "[^1]: note",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(LINE_PIECES, max_size=30).map("".join))
def test_chunks_cut_by_the_boundary_expression_are_the_chunks_cut_line_by_line(body: str) -> None:
    assert split_chunks(body) == split_lines(body)


INLINE = st.sampled_from(
    [
        *["word", "Word", "two words", "*em*"] * 4,
        "word",
        "Word",
        "two words",
        "*em*",
        "**strong**",
        "_u_",
        "~~gone~~",
        "`code`",
        "[link](https://x.org)",
        "[ref]",
        "[the site][ref]",
        "[^1]",
        "[^n2]",
        "[[ref]]",
        "a\\]b",
        "<b>",
        "&amp;",
        "2.4.1.",
        "x  \ny",
        "\\",
        "*",
        "|",
        "`",
        "!",
        "é",
    ]
)
LINE_STARTS = [
    "1.",
    "1. ",
    "1)",
    "2.4.1. ",
    "123456789. ",
    "1234567890. ",
    "\u0661. ",
    "+",
    "+ ",
    "-",
    "*",
    "*ab* ",
    "*a1",
    "_",
    "=",
    "===\n",
    "|",
    "\\",
    "#",
    "#x",
    "\u00a0",
    "\u2003",
    "\u200b",
    "\x0b",
    "\x85",
    "&nbsp;",
    "a\rb ",
    "x\u2028",
]
TEXT = st.lists(INLINE, min_size=1, max_size=6).map(" ".join)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                *["p", "start", "fn"] * 3,
                "table",
                "h",
                "ul",
                "ol",
                "nested",
                "table",
                "fn",
                "ref",
                "quote",
                "fence",
                "open fence",
                "code",
                "odd",
            ]
        )
    )
    text = draw(TEXT)
    if kind == "p":
        return text + draw(st.sampled_from(["", "\n" + text, "\n===", "\n---"]))
    if kind == "h":
        return draw(st.sampled_from(["# ", "## ", "### ", "#### "])) + text
    if kind in ("ul", "ol", "nested"):
        n = draw(st.integers(1, 3))
        marks = [draw(st.sampled_from(["1. ", "3. ", "2) "])) if kind == "ol" else "- " for _ in range(n)]
        sep = draw(st.sampled_from(["\n", "\n\n", "\n  \n"]))
        items = sep.join(m + draw(TEXT) for m in marks)
        return items + ("\n  - " + draw(TEXT) + "\n    1. " + draw(TEXT) if kind == "nested" else "")
    if kind == "table":
        n = draw(st.integers(1, 3))
        cells = st.sampled_from(["a", "b c", "1 234", "", "`x|y`", "a \\| b", "**b**", "é"])
        head = (
            "|"
            + "|".join([f" {text} ", *[f" {draw(cells)} " for _ in range(n - 1)]])
            + draw(st.sampled_from(["|", ""]))
        )
        marks = st.sampled_from([":--", "--:", ":-:", "---", " - ", "-", "x-", ""])
        rule = "|" + "|".join(draw(marks) for _ in range(draw(st.sampled_from([n, n, n, n + 1, n - 1])))) + "|"
        rows = ["|" + "|".join(draw(cells) for _ in range(draw(st.integers(0, n + 1)))) + "|" for _ in range(3)]
        tail = draw(st.sampled_from(["", "", "", "\nlazy line", "\n  | indented |"]))
        return "\n".join([head, rule, *rows[: draw(st.integers(0, 3))]]) + tail
    if kind == "fn":
        label = draw(st.sampled_from(["[^1]:", "[^n2]:", "[^3]:", "[^a^b]:", "[^a\tb]:", "[^x y]:"]))
        space = draw(st.sampled_from([" ", " ", " ", "", "  ", "\t", "        "]))
        return label + space + draw(st.sampled_from(["word ", "", *LINE_STARTS])) + text
    if kind == "ref":
        return draw(st.sampled_from(["[ref]: https://example.org", "[ref]: https://example.net 'T'", "[a]: /a"]))
    if kind == "quote":
        return "> " + text + draw(st.sampled_from(["", "\n> more", "\nlazy"]))
    if kind == "fence":
        return (
            draw(st.sampled_from(["```", "~~~", "````"])) + "\n" + text + "\n" + draw(st.sampled_from(["```", "~~~"]))
        )
    if kind == "open fence":
        return draw(st.sampled_from(["```", "  ```", "    ```"])) + "\n" + text
    if kind == "code":
        return "    " + text
    if kind == "start":  # a line whose first characters may or may not start a block other than a paragraph
        return draw(st.sampled_from(LINE_STARTS)) + text + draw(st.sampled_from(["", " ", "\t", "  ", " #", "\\"]))
    return draw(
        st.sampled_from(
            [
                "\u00a0",
                "\u00a0" + text,
                "\t" + text,
                "  <!-- c",
                " <div>",
                "- a\n\n  <div>b</div>",
                "1. <!-- c -->",
                ">>>>>>>>>>>>>>>>>>>>>>> deep",
            ]
        )
    )


BLANKS = st.sampled_from(["\n\n"] * 4 + ["\n\n", "\n\n", "\n  \n", "\n\t\n", "\n\n\n", "\n", "\n\u00a0\n"])


@st.composite
def versions(draw: st.DrawFn) -> list[str]:
    """Versions of a draft made of the same blocks (so that a shared cache finds some of their chunks)."""
    parts = draw(st.lists(blocks(), min_size=1, max_size=10))
    out = []
    for _ in range(draw(st.integers(1, 3))):
        picked = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=12))
        text = picked[0]
        for part in picked[1:]:
            text += draw(BLANKS) + part
        out.append(text + draw(st.sampled_from(["", "\n", "\n\n"])))
    return out


def _read(text: str, cache: ParseCache) -> object:
    try:
        return read_draft(text, cache=cache)
    except Exception as exc:  # the same failure either way (an inline footnote fails both)
        return type(exc).__name__


def _state(cache: ParseCache) -> tuple[object, ...]:
    def chunk(c: Chunk) -> tuple[object, ...]:
        return (c.blocks, c.notes, c.ordered_lists, c.warnings, c.refs)

    return (
        {k: chunk(v) for k, v in cache.chunks.items()},
        {k: chunk(v) for k, v in cache.plain.items()},
        {k: chunk(v) for k, v in cache.scoped.items()},
        cache.scope,
        cache.definitions,
        cache.candidates,
    )


@settings(max_examples=400, deadline=None)
@given(versions())
def test_chunks_parsed_in_one_batch_or_without_the_block_parser_are_the_chunks_parsed_one_by_one(
    texts: list[str],
) -> None:
    fast, slow = ParseCache(), ParseCache()
    for text in texts:
        alone = _read(text, ParseCache())
        with (
            patch.object(_chunks, "_parse_batch", lambda texts, cache: {}),
            patch.object(_chunks, "_one_block", lambda text, env, cache: None),
            patch.object(_chunks, "_ONE_NOTE_RE", re.compile("(?!)")),
            patch.object(_chunks, "_NOTE_LINES_RE", re.compile("(?!)")),
        ):
            expected = _read(text, slow)
            expected_alone = _read(text, ParseCache())
        assert _read(text, fast) == expected
        assert alone == expected_alone
        assert _state(fast) == _state(slow)


TABLE_CELLS = st.sampled_from(["a", "b c", "1 234", "", " ", "`x|y`", "a \\| b", "**b**", "é", "x\\", "&amp;", "~~s~~"])


@st.composite
def table_chunks(draw: st.DrawFn) -> str:
    """Chunks of lines that start with '|': mostly tables, some that markdown-it does not read as one."""
    n = draw(st.integers(1, 4))
    end = st.sampled_from(["|", "|", "", " | ", "|  "])
    head = "|" + "|".join(draw(TABLE_CELLS) for _ in range(n)) + draw(end)
    marks = st.sampled_from([":--", "--:", ":-:", "---", " - ", " :---: ", "-", "x-", "", "- -", "\t-\t"])
    width = draw(st.sampled_from([n, n, n, n + 1, n - 1]))
    rule = draw(st.sampled_from(["|", "|", "", "  "])) + "|".join(draw(marks) for _ in range(width)) + draw(end)
    rows = ["|" + "|".join(draw(TABLE_CELLS) for _ in range(draw(st.integers(0, n + 1)))) + draw(end)]
    rows *= draw(st.integers(0, 3))
    return "\n".join(["|" + head if draw(st.integers(0, 9)) == 0 else head, "|" + rule, *rows]) + draw(
        st.sampled_from(["\n", "\n\n", "\n  \n", "\n\n\n"])
    )


@settings(max_examples=1500, deadline=None)
@given(table_chunks())
def test_a_table_made_without_the_block_parser_is_the_table_markdown_it_makes(text: str) -> None:
    batched = _chunks._parse_batch([text], ParseCache())
    alone = _chunks._parse_alone(text, {"references": {}, "footnotes": {"refs": {}}}, ParseCache())
    assert batched.get(text, alone) == alone


NOTE_LABELS = st.sampled_from(["1", "2", "n3", "a-b", "x_y", "é", "1.5"])
NOTE_TEXTS = st.sampled_from(["a", "word and *more*", "see [^1]", "`code`", "x  ", "1. item", "**b**", "a\\"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(NOTE_LABELS, NOTE_TEXTS), min_size=1, max_size=6), st.sampled_from(["", "\n", "\n  \n"]))
def test_a_chunk_of_one_line_notes_made_a_line_at_a_time_is_the_chunk_markdown_it_makes(
    notes: list[tuple[str, str]], end: str
) -> None:
    text = "".join(f"[^{label}]: {content}\n" for label, content in notes) + end
    labels = {label for label, _ in notes} | {"1"}
    env = {"references": {}, "footnotes": {"refs": {f":{n}": -1 for n in labels}}}
    made = _chunks._note_lines(
        text, {"references": {}, "footnotes": {"refs": dict(env["footnotes"]["refs"])}}, ParseCache()
    )
    if made is not None:  # (None: not such a chunk, or a label defined twice: left to markdown-it)
        assert made == _chunks._parse_alone(text, env, ParseCache())
    distinct = len({label for label, _ in notes}) == len(notes)
    if distinct and not any(content[0] in "`*1" for _, content in notes):
        assert made is not None, "distinct labels, each line a paragraph: made without the block parser"


REF_PIECES = st.sampled_from(
    [
        *("ab", " ", "  ", "[^1]", "[^n2]", "[^x]", "[^a-b]", "(", ")", "-", ".", "é", "[", "]", "*", "^"),
        *("*ab*", " *ab cd* ", "*a1*", "**", "*a", "b*", "_x_", "* a*", "*é*", "\\*", "*ab*b"),
    ]
)


@settings(max_examples=800, deadline=None)
@given(
    st.lists(REF_PIECES, min_size=1, max_size=14).map("".join),
    st.sampled_from([{"1", "n2"}, {"1", "n2", "a-b", "x"}, set()]),
    st.booleans(),
    st.booleans(),
)
def test_text_with_notes_and_emphasis_read_without_the_inline_parser_is_what_markdown_it_makes(
    text: str, labels: set[str], as_note: bool, with_links: bool
) -> None:
    chunk = ("[^d]: " if as_note else "w ") + text + "\n"
    refs = {f":{n}": -1 for n in labels | {"d"}}
    references = {"X": {"href": "/u", "title": ""}} if with_links else {}
    made = _chunks._one_block(chunk, {"references": references, "footnotes": {"refs": dict(refs)}}, ParseCache())
    if made is not None:
        alone = _chunks._parse_alone(chunk, {"references": references, "footnotes": {"refs": dict(refs)}}, ParseCache())
        assert made == alone


STAIR_TEXTS = st.sampled_from(["ab", "ab 1", "x y z", "ab  ", "a *b*", "1. x", "é", "a\\", "[a]", "a\u00a0", "b c"])


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.tuples(st.integers(min_value=-3, max_value=1), STAIR_TEXTS), min_size=1, max_size=14),
    st.sampled_from(["- ", "* ", "+ ", ">"]),
    st.booleans(),
    st.sampled_from(["\n", "\n\n", "\n  \n", ""]),
)
def test_a_staircase_made_without_markdown_it_is_what_markdown_it_and_the_walker_make(
    lines: list[tuple[int, str]], marker: str, mixed: bool, end: str
) -> None:
    depth, out = (1, []) if marker == ">" else (0, [])
    for k, (step, text) in enumerate(lines):
        if marker == ">":
            depth = max(1, depth + step + 1) if step > -3 else depth  # mostly deeper, sometimes as deep
            out.append(">" * depth + " " + text)
        else:
            depth = max(0, min(depth + step, depth + 1)) if k else 0
            bullet = "*" if mixed and k == 3 else marker[0]
            out.append("  " * depth + bullet + " " + text)
    chunk = "\n".join(out) + end
    made = staircase_blocks(chunk, {})
    if made is not None:
        alone = _chunks._parse_alone(chunk, {"references": {}, "footnotes": {"refs": {}}}, ParseCache())
        assert Chunk(made, (), 0, (), ()) == alone


def test_the_staircases_of_the_adversarial_benchmark_are_made_without_markdown_it() -> None:
    quotes = "".join(">" * d + f" ab {d}\n" for d in range(1, 20)) + "\n"
    items = "".join("  " * d + f"- ab {d}\n" for d in range(9)) + "\n"
    env = {"references": {}, "footnotes": {"refs": {}}}
    for chunk in (quotes, items):
        made = staircase_blocks(chunk, {})
        assert made is not None
        assert Chunk(made, (), 0, (), ()) == _chunks._parse_alone(chunk, env, ParseCache())
