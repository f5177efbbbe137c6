"""The Markdown reader under fuzzing (tests/fuzz_markdown.py): random drafts heavy in the characters Markdown's rules
start at, for a bounded time (``WTPF_FUZZ_MARKDOWN_SECONDS``, default 10; CI sets more): no exception but ours, and no
draft whose reading grows faster than its length. The guards that keep unmatched brackets linear
(wtpf_cli/markdown/_guards.py) and lazy lines after quotes linear (_quote_window.py) give the tokens markdown-it's own
rules give."""

from __future__ import annotations

import os
import random
from typing import Any
from unittest import mock

from fuzz_markdown import PIECES, fuzz
from hypothesis import given, settings
from hypothesis import strategies as st

from wtpf_cli.markdown import _quote_window
from wtpf_cli.markdown.blocks import markdown_parser


def test_fuzz_markdown_reader() -> None:
    seconds = float(os.environ.get("WTPF_FUZZ_MARKDOWN_SECONDS", "10"))
    seed = int(os.environ.get("WTPF_FUZZ_SEED", str(random.SystemRandom().randrange(1 << 32))))
    report = fuzz(seconds, seed)
    print(f"\n{report.summary()} (WTPF_FUZZ_SEED={seed})")
    assert report.executions > 0
    assert not report.failures, "\n\n".join(report.failures.values())


def unguarded_parser() -> Any:
    """The drafts' parser with markdown-it's own link, image, footnote reference and block quote rules back in place."""
    from markdown_it.rules_block import blockquote
    from markdown_it.rules_inline import image, link, text
    from mdit_py_plugins.footnote.index import footnote_ref

    md = markdown_parser.__wrapped__()
    alt = next(r.alt for r in md.block.ruler.__rules__ if r.name == "blockquote")
    md.block.ruler.at("blockquote", blockquote, {"alt": alt})
    md.inline.ruler.at("text", text)
    md.inline.ruler.at("link", link)
    md.inline.ruler.at("image", image)
    md.inline.ruler.at("footnote_ref", footnote_ref)
    return md


def tokens(md: Any, text: str) -> list[tuple[object, ...]]:
    env: dict[str, Any] = {}
    out: list[tuple[object, ...]] = []
    for t in md.parse(text, env):
        children = [(c.type, c.content, sorted(c.attrs.items()), c.meta) for c in t.children or []]
        out.append((t.type, t.content, t.map, t.level, sorted(t.attrs.items()), t.meta, children))
    out.append(("env", env.get("references") or None, env.get("footnotes", {}).get("refs") or None))
    return out


PIECES_OF_BRACKETS = ["[", "]", "[^", "[^1]", "[^a]", "[^a_b]", "[^a-1]", "![", "](", "(", ")", "a", "_", " ", "\n"]
BRACKETS = st.lists(
    st.sampled_from([*PIECES_OF_BRACKETS, "\\", "`", "*", "<", "[[", "[x [x "]),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(BRACKETS.map("".join), st.sampled_from(PIECES)), max_size=30).map("".join),
    st.sampled_from(
        ["", "\n\n[^1]: a note\n", "\n\n[^a]: a\n[^1]: b\n", "\n\n[a]: /url\n", "\n\n[ ^a]: /url\n[^1]: b\n"]
    ),
)
def test_the_guarded_parser_gives_the_tokens_of_markdown_its_own(text: str, definitions: str) -> None:
    assert tokens(markdown_parser(), text + definitions) == tokens(unguarded_parser(), text + definitions)


# Lines that open quotes, continue them lazily, end them, and open blocks that search for their own ends inside them.
# fmt: off
QUOTE_LINES = [
    "> a", "> ~~~", "~~~", "> ```", "> - item", "- item", "text", "&amp;", "", ">", "> > b", "   > c", "> >", "a",
    "[a]: /u", "> [a]: /v", '> [b]: /w', '"title"', "> [^1]: note", "[^1]: n", "> | a | b |", "> |---|---|",
    "| c | d |", "    code", "> <div>", "</div>", "> # h", "===", "> ---", "---", "\t> tab", ">\tx", "1. x",
    "> 1) y", "  continued", "> [^a]: x", "[x]", "[^1] [^a] [b]",
]
# fmt: on


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(QUOTE_LINES), max_size=40).map("\n".join), st.sampled_from([1, 2, 64]))
def test_the_windowed_quote_gives_the_tokens_and_definitions_of_markdown_its_own(text: str, growth: int) -> None:
    # Windows that grow by a line or two at a time: each quote parsed, undone and parsed again many times.
    with mock.patch.object(_quote_window, "_LEAST_GROWTH", growth), mock.patch.object(_quote_window, "_GROWTH", 1):
        windowed = tokens(markdown_parser(), text)
    assert windowed == tokens(unguarded_parser(), text)


def test_quotes_after_lazy_lines_read_in_linear_time() -> None:
    import time

    from wtpf_cli.markdown.parse import read_draft

    def seconds(pairs: int) -> float:
        start = time.perf_counter()
        read_draft("---\ntitle: t\n---\n" + "&amp;\n> ~~~\n" * pairs, path="q.md")
        return time.perf_counter() - start

    seconds(50)
    small, big = min(seconds(200) for _ in range(3)), min(seconds(1600) for _ in range(2))
    assert big < 20 * small  # 8 times the text (with markdown-it's own rule: 60 times the time)
