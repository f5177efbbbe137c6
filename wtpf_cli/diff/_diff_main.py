"""Speed only: diff_match_patch().diff_main(text_a, text_b, False) with no time limit, faster.

`diff_main` and `diff_codes` must give what diff-match-patch's own diff_main gives (Diff_Timeout 0): the C++ port
and the bisection comparing slices are checked against it by tests/test_fast_twins.py, the cases built without the
bisection by tests/test_attribute_window.py. The only module that imports diff-match-patch.
"""

from __future__ import annotations

import ctypes
import re
from functools import lru_cache

from diff_match_patch import diff_match_patch

try:  # Google's C++ port (the STL one), wrapped: the same algorithm, the same diffs
    from fast_diff_match_patch import diff as _cpp_diff
except ImportError:  # pragma: no cover - a platform without its wheel falls back on the Python bisection
    _cpp_diff = None

Diffs = list[tuple[int, str]]  # diff-match-patch's form: (-1 deleted / 0 equal / 1 inserted, the characters)


def _forward(t1: str, t2: str, x: int, y: int) -> int:
    """How far t1[x:] and t2[y:] agree (their first characters are equal): compared a slice at a time, in C."""
    limit = min(len(t1) - x, len(t2) - y)
    lo, step = 1, 8  # t1[x : x + lo] == t2[y : y + lo]
    while lo < limit:
        hi = min(lo + step, limit)
        if t1[x + lo : x + hi] != t2[y + lo : y + hi]:
            while hi - lo > 1:  # the first difference is before hi
                mid = (lo + hi) // 2
                if t1[x + lo : x + mid] == t2[y + lo : y + mid]:
                    lo = mid
                else:
                    hi = mid
            return lo
        lo, step = hi, step * 4
    return lo


class SlicingBisection(diff_match_patch):  # type: ignore[misc]
    """diff-match-patch whose bisection follows each snake (a run of equal characters) by comparing slices instead
    of one character per step: the same diffs, the inner loop in C. Without a time limit (see _engine), so the
    deadline checks are left out."""

    def diff_bisect(self, text1: str, text2: str, deadline: float) -> Diffs:
        """diff_match_patch.diff_bisect (Myers' middle snake), the same steps."""
        text1_length = len(text1)
        text2_length = len(text2)
        max_d = (text1_length + text2_length + 1) // 2
        v_offset = max_d
        v_length = 2 * max_d
        v1 = [-1] * v_length
        v1[v_offset + 1] = 0
        v2 = v1[:]
        delta = text1_length - text2_length
        front = delta % 2 != 0
        k1start = k1end = k2start = k2end = 0
        # the reverse path reads the texts backwards: reversed copies let it use the forward snake
        r1, r2 = text1[::-1], text2[::-1]
        for d in range(max_d):
            for k1 in range(-d + k1start, d + 1 - k1end, 2):
                k1_offset = v_offset + k1
                if k1 == -d or (k1 != d and v1[k1_offset - 1] < v1[k1_offset + 1]):
                    x1 = v1[k1_offset + 1]
                else:
                    x1 = v1[k1_offset - 1] + 1
                y1 = x1 - k1
                if x1 < text1_length and y1 < text2_length and text1[x1] == text2[y1]:
                    n = _forward(text1, text2, x1, y1)
                    x1 += n
                    y1 += n
                v1[k1_offset] = x1
                if x1 > text1_length:
                    k1end += 2
                elif y1 > text2_length:
                    k1start += 2
                elif front:
                    k2_offset = v_offset + delta - k1
                    if k2_offset >= 0 and k2_offset < v_length and v2[k2_offset] != -1:
                        x2 = text1_length - v2[k2_offset]
                        if x1 >= x2:
                            return list(self.diff_bisectSplit(text1, text2, x1, y1, deadline))
            for k2 in range(-d + k2start, d + 1 - k2end, 2):
                k2_offset = v_offset + k2
                if k2 == -d or (k2 != d and v2[k2_offset - 1] < v2[k2_offset + 1]):
                    x2 = v2[k2_offset + 1]
                else:
                    x2 = v2[k2_offset - 1] + 1
                y2 = x2 - k2
                if x2 < text1_length and y2 < text2_length and r1[x2] == r2[y2]:
                    n = _forward(r1, r2, x2, y2)
                    x2 += n
                    y2 += n
                v2[k2_offset] = x2
                if x2 > text1_length:
                    k2end += 2
                elif y2 > text2_length:
                    k2start += 2
                elif not front:
                    k1_offset = v_offset + delta - k2
                    if k1_offset >= 0 and k1_offset < v_length and v1[k1_offset] != -1:
                        x1 = v1[k1_offset]
                        y1 = v_offset + x1 - k1_offset
                        x2 = text1_length - x2
                        if x1 >= x2:
                            return list(self.diff_bisectSplit(text1, text2, x1, y1, deadline))
        return [(self.DIFF_DELETE, text1), (self.DIFF_INSERT, text2)]

    def diff_bisectSplit(self, text1: str, text2: str, x: int, y: int, deadline: float) -> Diffs:
        """diff_match_patch.diff_bisectSplit: the two halves diffed by diff_main (diff_codes, memoised when
        small)."""
        return diff_main(text1[:x], text2[:y]) + diff_main(text1[x:], text2[y:])


@lru_cache(maxsize=1)
def _engine() -> diff_match_patch:
    dmp = SlicingBisection()
    # No time limit: a timeout would make the output depend on the machine's speed (invariant 5).
    dmp.Diff_Timeout = 0
    return dmp


def native_diff(text_a: str, text_b: str) -> Diffs:
    """diff_main(text_a, text_b, False) by the C++ port: its (operation, length) pairs cut back into strings."""
    diffs: Diffs = []
    at_a = at_b = 0
    for op, length in _cpp_diff(text_a, text_b, timelimit=0, checklines=False, cleanup="No"):
        if op == "=":
            diffs.append((0, text_a[at_a : at_a + length]))
            at_a += length
            at_b += length
        elif op == "-":
            diffs.append((-1, text_a[at_a : at_a + length]))
            at_a += length
        else:
            diffs.append((1, text_b[at_b : at_b + length]))
            at_b += length
    return diffs


# The port counts in wchar_t: 4 bytes (one code point) on Linux and macOS, 2 on Windows, where a character beyond
# the BMP would count twice and the lengths would cut the strings wrongly.
NATIVE = _cpp_diff is not None and ctypes.sizeof(ctypes.c_wchar) == 4


def common_ends(text_a: str, text_b: str) -> tuple[int, int]:
    """The length of the common prefix of the texts, and of the common suffix of what follows it."""
    dmp = _engine()
    pre = dmp.diff_commonPrefix(text_a, text_b)
    return pre, dmp.diff_commonSuffix(text_a[pre:], text_b[pre:])


def diff_main(text_a: str, text_b: str) -> Diffs:
    """diff_main(text_a, text_b, False), memoised when small."""
    if len(text_a) + len(text_b) <= MEMO_LENGTH:
        return list(_small_diff(text_a, text_b))
    return diff_codes(text_a, text_b)


# Small diffs recur: the codes are given in order of first appearance, so a word replaced among distinct words, or
# a run of spaces that grows by one, is the same pair of strings wherever it happens. The diff is a function of them.
MEMO_LENGTH = 256


def forget_small_diffs() -> None:
    """Empty the memo of small diffs (a benchmark's repeated runs start as cold as one command)."""
    _small_diff.cache_clear()


@lru_cache(maxsize=4096)
def _small_diff(text_a: str, text_b: str) -> tuple[tuple[int, str], ...]:
    return tuple(diff_codes(text_a, text_b))


def _unique_changes(text_a: str, text_b: str) -> Diffs | None:
    """diff_main(text_a, text_b, False) when the characters found in both texts are the same sequence in each;
    else None.

    Then the longest common subsequence is that sequence, matched in one way only: any minimal diff (as
    diff_match_patch's is without a time limit) keeps it and drops or adds the other characters. The clean-up
    puts each run's deletion before its insertion and shifts nothing (no edit holds a character of an equality),
    so the diff is one walk: between common characters, what only the first text has, then what only the second
    has. Between two versions whose changed blocks are new objects, that is the block diff, found without the
    bisection."""
    seen_a, seen_b = set(text_a), set(text_b)
    shared = seen_a & seen_b
    if len(shared) <= _FEW_SHARED and any(text_a.count(c) != text_b.count(c) for c in shared):
        return None  # a character found in both, more often in one: the sequences of shared characters differ
    runs_a = _runs_of(text_a, seen_a - seen_b)
    runs_b = _runs_of(text_b, seen_b - seen_a)
    common = _without(text_a, runs_a)
    if common != _without(text_b, runs_b):
        return None
    diffs: Diffs = []
    done = 0  # common characters written
    ia = ib = 0
    while ia < len(runs_a) or ib < len(runs_b):
        at_a = runs_a[ia][0] if ia < len(runs_a) else len(common) + 1
        at_b = runs_b[ib][0] if ib < len(runs_b) else len(common) + 1
        at = min(at_a, at_b)  # the common characters before the next change
        if at > done:
            diffs.append((0, common[done:at]))
            done = at
        if at_a == at:
            diffs.append((-1, runs_a[ia][2]))
            ia += 1
        if at_b == at:
            diffs.append((1, runs_b[ib][2]))
            ib += 1
    if done < len(common):
        diffs.append((0, common[done:]))
    return diffs


# Up to this many characters found in both texts, their counts are compared first (a count costs a pass in C, the
# runs a regular expression of the other characters: a few words against a whole draft share few, repeated often).
_FEW_SHARED = 32


def _runs_of(text: str, chars: set[str]) -> list[tuple[int, int, str]]:
    """The maximal runs of `chars` in text: the number of other characters before each, its start, the run."""
    if not chars:
        return []
    runs: list[tuple[int, int, str]] = []
    gone = 0
    if len(text) <= MEMO_LENGTH:  # a loop costs less than compiling the expression
        start = -1
        for k, c in enumerate(text):
            if c in chars:
                if start < 0:
                    start = k
            elif start >= 0:
                runs.append((start - gone, start, text[start:k]))
                gone += k - start
                start = -1
        if start >= 0:
            runs.append((start - gone, start, text[start:]))
        return runs
    for m in re.finditer("[" + "".join(map(re.escape, chars)) + "]+", text):
        start = m.start()
        runs.append((start - gone, start, run := m.group()))
        gone += len(run)
    return runs


def _without(text: str, runs: list[tuple[int, int, str]]) -> str:
    """text without the runs."""
    pieces = []
    pos = 0
    for _, start, run in runs:
        pieces.append(text[pos:start])
        pos = start + len(run)
    pieces.append(text[pos:])
    return "".join(pieces)


def diff_codes(text_a: str, text_b: str) -> Diffs:
    """diff_match_patch.diff_main(text_a, text_b, False), its commonest cases without the bisection.

    diff_main trims the common prefix and suffix, diffs the middle (diff_compute) and cleans the whole up. When
    one middle is empty, diff_compute gives the other as one insertion or deletion; when the two middles share no
    character, whatever the bisection splits them into holds only deletions and insertions, which the clean-up
    joins into one deletion of the first middle and one insertion of the second. Those cases are built here and
    cleaned up by diff-match-patch itself; so are texts whose shared characters keep their order (_unique_changes)."""
    dmp = _engine()
    if text_a == text_b:
        return [(0, text_a)] if text_a else []
    pre, suf = common_ends(text_a, text_b)
    mid_a, mid_b = text_a[pre : len(text_a) - suf], text_b[pre : len(text_b) - suf]
    if mid_a and mid_b and (len(mid_a) + len(mid_b) > MEMO_LENGTH or not set(mid_a).isdisjoint(mid_b)):
        found = _unique_changes(text_a, text_b)
        if found is not None:
            return found
        if not set(mid_a).isdisjoint(mid_b):
            diffs: Diffs = native_diff(text_a, text_b) if NATIVE else dmp.diff_main(text_a, text_b, False)
            return diffs
    diffs = [(0, text_a[:pre])] if pre else []
    if mid_a:
        diffs.append((-1, mid_a))
    if mid_b:
        diffs.append((1, mid_b))
    if suf:
        diffs.append((0, text_a[len(text_a) - suf :]))
    dmp.diff_cleanupMerge(diffs)
    return diffs
