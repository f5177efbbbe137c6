"""The parser's fast paths give what the general ones give: spaces joined child by child, blank lines of spaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wtpf_cli.draft import (
    ParseCache,
    _markdown,
    _merge_spaces,
    inline_tokens,
    plain_text,
    read_draft,
)
from wtpf_cli.model import Paragraph

INLINE_PIECES = st.sampled_from(
    ["word", " ", "  ", "\n", "*", "**", "_", "`", "[", "](u)", "[^1]", "\\", "  \n", "&amp;", "<b>", ".", "x"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(INLINE_PIECES, min_size=1, max_size=30).map("".join))
def test_spaces_joined_child_by_child_leave_nothing_for_the_whole_list_pass(text: str) -> None:
    for tok in _markdown().parse(text):
        if tok.type == "inline":
            joined = inline_tokens(tok.children or [])
            assert _merge_spaces(list(joined)) == joined


def _texts(blocks: tuple[object, ...]) -> list[str]:
    return [plain_text(b.tokens) if isinstance(b, Paragraph) else repr(b) for b in blocks]


def test_a_body_with_blank_lines_of_spaces_and_carriage_returns_parses_as_the_whole() -> None:
    body = "Para one\n  \n# Head\n\nPara two\r\n\r\n- item\n\n\n3.1.2. Text[^1]\n\n[^1]: Note.\n"
    cache = ParseCache()
    assert _texts(read_draft(body, cache=cache).blocks) == _texts(read_draft(body, chunked=False).blocks)
