"""The anchored block diff walked at its stops (merging/_blockdiff.py) gives what layout.paragraph_diff gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wtpf_cli.merging._blockdiff import anchors_of, paragraph_edits
from wtpf_cli.merging.layout import paragraph_diff

KEYS = st.lists(st.sampled_from("abcdefghij"), max_size=30)


@settings(max_examples=500, deadline=None)
@given(KEYS, st.lists(st.tuples(st.integers(0, 30), st.sampled_from("abcdefghijk")), max_size=4))
def test_the_paragraph_diff_walked_at_its_stops_is_the_anchored_one(
    a: list[str], changes: list[tuple[int, str]]
) -> None:
    b = list(a)
    for where, key in changes:
        b.insert(where % (len(b) + 1), key)
    anchors = anchors_of(a)
    assert paragraph_edits(a, anchors, b) == paragraph_diff(a, b)
    assert paragraph_edits(a, anchors, b[::-1]) == paragraph_diff(a, b[::-1])
