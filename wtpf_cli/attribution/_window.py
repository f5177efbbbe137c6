"""Speed only: a region's edits found by diffing a window around its changes (diff/_windowed.py's diff_inner).

`window_edits(old_keys, new_keys)` must equal `attributor._whole_edits` (the whole region diffed, stranded words
unaligned) wherever it gives edits; it gives None where that may differ, or would save little.
tests/test_attribute_window.py compares the two on paragraphs edited anyhow in long common context.
"""

from __future__ import annotations

from collections.abc import Hashable

from wtpf_cli.diff._windowed import diff_inner, widen
from wtpf_cli.diff.sequences import Edit, text_rank

# Fewer common items than this around a change: the whole region is diffed (a window would save little).
_WINDOW_MIN = 24
# Words kept around the changed middle of a region, so that its first and last equalities hold a word of their own.
_WINDOW_MARGIN = 4


def _key_rank(key: Hashable) -> int:
    """The rank _whole_edits gives the item with this key: words and tables 0, line breaks and paragraph marks 1,
    spaces 2."""
    head = key[0]  # type: ignore[index]
    if head == "\u00b6":
        return 1
    if head == "\u229e":
        return 0
    return text_rank(key[1])  # type: ignore[index]


def _common_prefix(a: list[Hashable], b: list[Hashable]) -> int:
    """How many leading items a and b share (slices compared in C, halving the step)."""
    lo, hi = 0, min(len(a), len(b))  # a[:lo] == b[:lo]; the first difference is before hi
    if a[:hi] == b[:hi]:
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def window_edits(old_keys: list[Hashable], new_keys: list[Hashable]) -> list[Edit] | None:
    """The edits of a region found by diffing only a window around its changes (diff_inner), or None where that
    may differ from the whole diff, or would save little, or a paragraph mark comes or goes (attributor's
    _stranded_words)."""
    n, m = len(old_keys), len(new_keys)
    p = _common_prefix(old_keys, new_keys)
    if p == n == m:
        return None
    s = _common_prefix(old_keys[: p - 1 : -1] if p else old_keys[::-1], new_keys[: p - 1 : -1] if p else new_keys[::-1])
    if p + s < _WINDOW_MIN:
        return None
    need = _WINDOW_MARGIN
    start = 0  # the window starts after the word that ends the common prefix left out
    words = 0
    for i in range(p - 1, -1, -1):
        if _key_rank(old_keys[i]) == 0:
            words += 1
            if words > need:
                start = i + 1
                break
    stop = n  # ... and stops before the word that starts the common suffix left out
    words = 0
    for i in range(n - s, n):
        if _key_rank(old_keys[i]) == 0:
            words += 1
            if words > need:
                stop = i
                break
    if start == 0 and stop == n:
        return None
    after = n - stop
    win_a, win_b = old_keys[start:stop], new_keys[start : m - after]
    ra, rb = list(map(_key_rank, win_a)), list(map(_key_rank, win_b))
    top = max(max(ra, default=0), max(rb, default=0))
    if top < 2:  # the whole region's highest rank is not known from the window
        return None
    inner = diff_inner(win_a, win_b, (ra, rb), top, before=start > 0, after=after > 0)
    if inner is None:
        return None
    for e in inner:
        if (e.op == "delete" and 1 in ra[e.a0 : e.a1]) or (e.op == "insert" and 1 in rb[e.b0 : e.b1]):
            return None  # a line break or paragraph mark comes or goes: see _stranded_words on the whole
    return widen(inner, start, after)
