"""The Markdown reader under fuzzing (tests/fuzz_markdown.py): random drafts heavy in the characters Markdown's rules
start at, for a bounded time (``WTPF_FUZZ_MARKDOWN_SECONDS``, default 10; CI sets more): no exception but ours, and no
draft whose reading grows faster than its length. The guards that keep unmatched brackets linear
(wtpf_cli/markdown/_guards.py) give the tokens markdown-it's own rules give."""

from __future__ import annotations

import os
import random
from typing import Any

from fuzz_markdown import PIECES, fuzz
from hypothesis import given, settings
from hypothesis import strategies as st

from wtpf_cli.markdown.blocks import markdown_parser


def test_fuzz_markdown_reader() -> None:
    seconds = float(os.environ.get("WTPF_FUZZ_MARKDOWN_SECONDS", "10"))
    seed = int(os.environ.get("WTPF_FUZZ_SEED", str(random.SystemRandom().randrange(1 << 32))))
    report = fuzz(seconds, seed)
    print(f"\n{report.summary()} (WTPF_FUZZ_SEED={seed})")
    assert report.executions > 0
    assert not report.failures, "\n\n".join(report.failures.values())


def unguarded_parser() -> Any:
    """The drafts' parser with markdown-it's own link, image and footnote reference rules back in place."""
    from markdown_it.rules_inline import image, link, text
    from mdit_py_plugins.footnote.index import footnote_ref

    md = markdown_parser.__wrapped__()
    md.inline.ruler.at("text", text)
    md.inline.ruler.at("link", link)
    md.inline.ruler.at("image", image)
    md.inline.ruler.at("footnote_ref", footnote_ref)
    return md


def tokens(md: Any, text: str) -> list[tuple[object, ...]]:
    env: dict[str, Any] = {}
    out = []
    for t in md.parse(text, env):
        children = [(c.type, c.content, sorted(c.attrs.items()), c.meta) for c in t.children or []]
        out.append((t.type, t.content, t.map, sorted(t.attrs.items()), children))
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
