"""Speed only: the diff of two coded sequences that differ only within known ranges, found from those ranges.

`spliced_edits(text_a, text_b, splices, ...)` must equal `to_edits(diff_codes(text_a, text_b))` (diff/_diff_main.py)
when outside `splices` the two texts are the same characters in the same order: tests/test_attribute_window.py
compares them over chains of versions. diff_codes finds most block diffs by _unique_changes, whose characters that
only one text has can only be inside the splices (every other character is in both): so the splices alone say
what it finds, and a splice whose kept characters differ sends the case to diff_codes itself.
"""

from __future__ import annotations

from collections.abc import Container

from wtpf_cli.diff._diff_main import MEMO_LENGTH, common_ends, diff_codes
from wtpf_cli.diff.sequences import Edit, to_edits

Splice = tuple[int, int, int, int]  # text_a[a0:a1] replaced by text_b[b0:b1]


def spliced_edits(
    text_a: str, text_b: str, splices: list[Splice], absent_b: Container[str], absent_a: Container[str]
) -> list[Edit]:
    """to_edits(diff_codes(text_a, text_b)) for texts equal outside `splices` (in order, disjoint); `absent_b`
    holds the characters of the splices of text_a that text_b lacks, `absent_a` those of the splices of text_b
    that text_a lacks."""
    if text_a == text_b:
        return [Edit("equal", 0, len(text_a), 0, len(text_b))] if text_a else []
    pre, suf = common_ends(text_a, text_b)
    la, lb = len(text_a) - pre - suf, len(text_b) - pre - suf
    if la and lb and (la + lb > MEMO_LENGTH or not set(text_a[pre : pre + la]).isdisjoint(text_b[pre : pre + lb])):
        found = _unique_changes(text_a, text_b, splices, absent_b, absent_a)
        if found is not None:
            return found
    return to_edits(diff_codes(text_a, text_b))


def _merged(splices: list[Splice]) -> list[Splice]:
    """Splices that meet joined into one."""
    out: list[Splice] = []
    for s in splices:
        if out and out[-1][1] == s[0]:
            out[-1] = (out[-1][0], s[1], out[-1][2], s[3])
        else:
            out.append(s)
    return out


def _runs(text: str, lo: int, hi: int, absent: Container[str]) -> list[tuple[int, int]]:
    """[start, end) of the maximal runs of characters in `absent` within text[lo:hi]."""
    runs: list[tuple[int, int]] = []
    start = -1
    for k in range(lo, hi):
        if text[k] in absent:
            if start < 0:
                start = k
        elif start >= 0:
            runs.append((start, k))
            start = -1
    if start >= 0:
        runs.append((start, hi))
    return runs


def _kept(text: str, lo: int, hi: int, runs: list[tuple[int, int]]) -> str:
    """text[lo:hi] without the runs."""
    pieces = []
    for start, end in runs:
        pieces.append(text[lo:start])
        lo = end
    pieces.append(text[lo:hi])
    return "".join(pieces)


def _unique_changes(
    text_a: str, text_b: str, splices: list[Splice], absent_b: Container[str], absent_a: Container[str]
) -> list[Edit] | None:
    """_diff_main._unique_changes as edits, from the splices; None where a splice's characters found in both texts
    are not the same sequence in each (then diff_codes decides)."""
    runs_a: list[tuple[int, int]] = []  # (common characters before the run, its length)
    runs_b: list[tuple[int, int]] = []
    gone_a = gone_b = 0
    for a0, a1, b0, b1 in _merged(splices):
        ra, rb = _runs(text_a, a0, a1, absent_b), _runs(text_b, b0, b1, absent_a)
        if _kept(text_a, a0, a1, ra) != _kept(text_b, b0, b1, rb):
            return None
        for start, end in ra:
            runs_a.append((start - gone_a, end - start))
            gone_a += end - start
        for start, end in rb:
            runs_b.append((start - gone_b, end - start))
            gone_b += end - start
    common = len(text_a) - gone_a
    edits: list[Edit] = []
    done = i = j = ia = ib = 0  # common characters written; positions in text_a and text_b; runs written
    while ia < len(runs_a) or ib < len(runs_b):
        at_a = runs_a[ia][0] if ia < len(runs_a) else common + 1
        at_b = runs_b[ib][0] if ib < len(runs_b) else common + 1
        at = min(at_a, at_b)
        if at > done:
            n = at - done
            edits.append(Edit("equal", i, i + n, j, j + n))
            i, j, done = i + n, j + n, at
        if at_a == at:
            n = runs_a[ia][1]
            edits.append(Edit("delete", i, i + n, j, j))
            i, ia = i + n, ia + 1
        if at_b == at:
            n = runs_b[ib][1]
            edits.append(Edit("insert", i, i, j, j + n))
            j, ib = j + n, ib + 1
    if done < common:
        n = common - done
        edits.append(Edit("equal", i, i + n, j, j + n))
    return edits
