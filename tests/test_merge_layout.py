"""Properties of the merge's shortcuts: a text laid out paragraph by paragraph is split exactly as split_words
splits it whole, and the anchored paragraph diff is a complete, correct edit script."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wtpf_cli.markdown.tokens import split_words
from wtpf_cli.merging.layout import paragraph_diff, paragraph_spans, text_layout

# Characters where tokens and separators are decided: spaces of several kinds, line feeds, punctuation, letters.
PIECES = ["a", "b7", " ", "\t", "\n", "\n\n", " \n \n ", "\r\n", "\x0b", "\x1c", "\x85", "\u2028", ".", "'", "-", "’"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_a_text_laid_out_by_paragraphs_has_the_tokens_and_paragraphs_of_a_whole_split(text: str) -> None:
    layout = text_layout.__wrapped__(text)
    tokens = split_words(text)
    assert layout.tokens == tokens
    assert layout.spans == paragraph_spans(tokens)
    assert layout.keys == ["".join(tokens[a:b]) for a, b in layout.spans]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from("abcdefg"), max_size=25), st.lists(st.sampled_from("abcdefgh"), max_size=25))
def test_the_anchored_paragraph_diff_turns_one_list_into_the_other(a: list[str], b: list[str]) -> None:
    edits = paragraph_diff(a, b)
    i = j = 0
    rebuilt: list[str] = []
    for e in edits:
        assert (e.a0, e.b0) == (i, j)  # in order, nothing skipped
        if e.op == "equal":
            assert a[e.a0 : e.a1] == b[e.b0 : e.b1]
        rebuilt.extend(b[e.b0 : e.b1])
        i, j = e.a1, e.b1
    assert (i, j) == (len(a), len(b))
    assert rebuilt == b
