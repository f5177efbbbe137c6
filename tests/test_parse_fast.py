"""The parser's fast paths give what the general ones give: spaces joined child by child, blank lines of spaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from support.markdown_reference import merge_spaces
from wtpf_cli.markdown._chunks import ParseCache
from wtpf_cli.markdown.blocks import markdown_parser
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.markdown.tokens import inline_tokens, plain_text
from wtpf_cli.model import Paragraph

INLINE_PIECES = st.sampled_from(
    ["word", " ", "  ", "\n", "*", "**", "_", "`", "[", "](u)", "[^1]", "\\", "  \n", "&amp;", "<b>", ".", "x"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(INLINE_PIECES, min_size=1, max_size=30).map("".join))
def test_spaces_joined_child_by_child_leave_nothing_for_the_whole_list_pass(text: str) -> None:
    for tok in markdown_parser().parse(text):
        if tok.type == "inline":
            joined = inline_tokens(tok.children or [])
            assert merge_spaces(list(joined)) == joined


def _texts(blocks: tuple[object, ...]) -> list[str]:
    return [plain_text(b.tokens) if isinstance(b, Paragraph) else repr(b) for b in blocks]


def test_a_body_with_blank_lines_of_spaces_and_carriage_returns_parses_as_the_whole() -> None:
    body = "Para one\n  \n# Head\n\nPara two\r\n\r\n- item\n\n\n3.1.2. Text[^1]\n\n[^1]: Note.\n"
    cache = ParseCache()
    assert _texts(read_draft(body, cache=cache).blocks) == _texts(read_draft(body, chunked=False).blocks)


TEXT_PIECES = st.sampled_from(
    [
        "word",
        "Word",
        " ",
        "  ",
        "\n",
        "\n ",
        " \n",
        "  \n",
        "\t",
        ".",
        ",",
        "-",
        ":",
        "#",
        "3.2.1.",
        "1.",
        "|",
        "$",
        "*",
        "_",
        "`",
        "[",
        "]",
        "!",
        "<",
        ">",
        "&",
        "~",
        "^",
        "\\",
        "é",
        "\u00a0",
        "(x)",
        "+",
        "=",
        "@",
        "{",
        "}",
    ]
)


def _stream(tokens: list[object]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for t in tokens:
        children = getattr(t, "children", None) or []
        out.append((t.type, t.tag, t.nesting, t.level, t.content, t.attrs, t.markup, t.map))  # type: ignore[attr-defined]
        out.extend((c.type, c.tag, c.nesting, c.level, c.content, c.attrs, c.markup) for c in children)
    return out


@settings(max_examples=500, deadline=None)
@given(st.lists(TEXT_PIECES, min_size=1, max_size=40).map("".join))
def test_plain_inline_text_gives_the_tokens_of_the_inline_parser(text: str) -> None:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    reference = MarkdownIt("commonmark").enable("table").enable("strikethrough").use(footnote_plugin)
    reference.disable("footnote_inline")  # inline notes (^[text]) stay text in drafts (markdown/blocks.py)
    for src in (text, f"# {text}", f"| a | b |\n|---|---|\n| {text} | c |", f"- {text}\n- b"):
        assert _stream(markdown_parser().parse(src, {})) == _stream(reference.parse(src, {})), src
