"""Speed only: the one place where two short sequences of one length differ, found by comparing them item by item
instead of coding every item (diff.sequences.encode hashes each, and a table row's key holds all its tokens).

diff/sequences.py turns that place into the edits diff_main gives for it: the items before it equal, the old item
deleted, the new one inserted, the items after it equal (diff-match-patch strips the common prefix and suffix; two
different characters are one deletion and one insertion; the clean-up shifts no edit that is not alone between two
equalities). tests/test_fast_twins.py compares diff_sequences so found with the diff of the coded sequences.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

# Longer sequences are coded: comparing item by item in Python would cost more than it saves.
MAX_ITEMS = 64


def replaced_at(a: Sequence[Hashable], b: Sequence[Hashable]) -> int | None:
    """The one index at which `a` and `b` (of one length, at most MAX_ITEMS) differ; None if they differ in no
    place or in more than one, or are of different lengths, or are longer."""
    n = len(a)
    if n != len(b) or n > MAX_ITEMS:
        return None
    at = None
    for k in range(n):
        x, y = a[k], b[k]
        if x is not y and x != y:  # as a dict compares keys: the same object, or equal
            if at is not None:
                return None
            at = k
    return at
