"""Sequence diffs of hashable items (blocks, tokens, rows); the only module that imports diff-match-patch."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Literal

from diff_match_patch import diff_match_patch

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True, slots=True)
class Edit:
    """One run of a diff: items a[a0:a1] are equal to, deleted from, or b[b0:b1] inserted into the sequence."""

    op: Op
    a0: int
    a1: int
    b0: int
    b1: int


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


class _Engine(diff_match_patch):  # type: ignore[misc]
    """diff-match-patch whose bisection follows each snake (a run of equal characters) by comparing slices instead
    of one character per step: the same diffs, the inner loop in C. Without a time limit (see _engine), so the
    deadline checks are left out."""

    def diff_bisect(self, text1: str, text2: str, deadline: float) -> list[tuple[int, str]]:
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

    def diff_bisectSplit(self, text1: str, text2: str, x: int, y: int, deadline: float) -> list[tuple[int, str]]:
        """diff_match_patch.diff_bisectSplit: the two halves diffed by _diff_codes (diff_main, its common cases
        without the bisection; memoised when small)."""
        return _raw_codes(text1[:x], text2[:y]) + _raw_codes(text1[x:], text2[y:])


@lru_cache(maxsize=1)
def _engine() -> diff_match_patch:
    dmp = _Engine()
    # No time limit: a timeout would make the output depend on the machine's speed (invariant 5).
    dmp.Diff_Timeout = 0
    return dmp


def _encode(
    a: Sequence[Hashable], b: Sequence[Hashable], soft: Callable[[Hashable], bool] | None = None
) -> tuple[str, str, set[str]]:
    """Map each distinct item to one character, so that the character diff is an item diff."""
    # Codes in order of first appearance (a, then b), skipping the surrogate range.
    codes: dict[Hashable, str] = dict.fromkeys(chain(a, b), "")
    soft_codes: set[str] = set()
    if soft is None and len(codes) < 0xD800:  # the same codes, assigned in C
        codes = dict(zip(codes, map(chr, range(1, len(codes) + 1)), strict=True))
        get = codes.__getitem__
        return "".join(map(get, a)), "".join(map(get, b)), soft_codes
    for n, item in enumerate(codes, start=1):
        c = chr(n if n < 0xD800 else n + 0x800)
        codes[item] = c
        if soft is not None and soft(item):
            soft_codes.add(c)
    get = codes.__getitem__
    return "".join(map(get, a)), "".join(map(get, b)), soft_codes


def diff_sequences(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    *,
    rank: Callable[[Hashable], int] | None = None,
    ranks: tuple[list[int], list[int]] | None = None,
) -> list[Edit]:
    """A minimal diff turning `a` into `b`.

    With `rank` (0 for words, 1 for paragraph marks, 2 for spaces), items of rank 0 are aligned first, then items
    of rank 1 only within the gaps between aligned words, and so on: a paragraph mark or a space never wins over a
    word. Runs of equal spaces between two changes are then folded into them, so that a reworded phrase is one
    deletion and one insertion, not one per word. `ranks` gives the ranks of a and b precomputed, in place of
    calling `rank` on each item.
    """
    if _same(a, b):
        return [Edit("equal", 0, len(a), 0, len(b))] if a else []
    if ranks is not None:
        ranks_a, ranks_b = ranks
    elif rank is not None:
        ranks_a = [rank(x) for x in a]
        ranks_b = [rank(y) for y in b]
    else:
        return _to_edits(_raw_diff(a, b))
    top = max([*ranks_a, *ranks_b, 0])
    ops = _tiered(a, b, ranks_a, ranks_b, 0, top)
    return _to_edits(_fold_soft(_merge_ops(ops), [r == top and top > 0 for r in ranks_a]))


def diff_inner(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    ranks: tuple[list[int], list[int]],
    top: int,
    *,
    before: bool,
    after: bool,
) -> list[Edit] | None:
    """The middle of diff_sequences(P + a + S, P + b + S, ranks=...) for common parts P and S left out, or None
    where they could change it (then diff the whole).

    `before` / `after` say whether P / S are there; P must end and S must start with an item of rank 0, and `top`
    is the highest rank in the whole sequences. The edits cover a and b only (P's and S's equalities left out).
    Why it holds: the words (rank 0) are diffed first, by diff-match-patch, which trims their common prefix and
    suffix, diffs the middle and then cleans up, shifting an edit across a neighbouring equality only if the edit
    ends (starts) with that whole equality. An edit holds only words of the middle (and of the equalities inside
    it that it crossed). So when the leading (trailing) common words of a and b are more than any edit can hold,
    or include a word that is nowhere in the middle, no edit crosses them with or without P (S): P and S only
    lengthen the first and last equalities. The gaps between the aligned words, diffed at the weaker ranks, are
    the same slices either way, since P and S end and start at a word. (When the words of a are a prefix of those
    of b, none is left in common at the end: the test for S fails, as the prefix would run on into S.)
    """
    ra, rb = ranks
    text_a, text_b, _ = _encode(a, b)
    found = _inner_memo.get(key := (text_a, text_b, bytes(ra), bytes(rb), top, before, after))
    if found is None and key not in _inner_memo:
        found = _inner_memo[key] = _diff_inner(a, b, ra, rb, top, before, after)
        if len(_inner_memo) > _INNER_MEMO_SIZE:
            del _inner_memo[next(iter(_inner_memo))]
    return None if found is None else list(found)


# Middles recur (a word replaced among distinct words: the same codes); the diff is a function of the codes and ranks.
_inner_memo: dict[tuple[str, str, bytes, bytes, int, bool, bool], tuple[Edit, ...] | None] = {}
_INNER_MEMO_SIZE = 4096


def _diff_inner(
    a: Sequence[Hashable], b: Sequence[Hashable], ra: list[int], rb: list[int], top: int, before: bool, after: bool
) -> tuple[Edit, ...] | None:
    if before or after:
        ta, tb, _ = _encode(
            [x for x, r in zip(a, ra, strict=True) if r == 0], [y for y, r in zip(b, rb, strict=True) if r == 0]
        )
        if ta != tb:
            dmp = _engine()
            cp = dmp.diff_commonPrefix(ta, tb)
            cs = dmp.diff_commonSuffix(ta[cp:], tb[cp:])
            longest = max(len(ta), len(tb)) - cp - cs
            middle = set(ta[cp : len(ta) - cs]) | set(tb[cp : len(tb) - cs])
            if before and cp <= longest and not set(ta[:cp]) - middle:
                return None
            if after and cs <= longest and not set(ta[len(ta) - cs :]) - middle:
                return None
    if _same(a, b):
        return (Edit("equal", 0, len(a), 0, len(b)),) if a else ()
    ops = _tiered(a, b, ra, rb, 0, top)
    return tuple(_to_edits(_fold_soft(_merge_ops(ops), [r == top and top > 0 for r in ra])))


def widen(edits: list[Edit], before: int, after: int) -> list[Edit]:
    """Edits of a middle (from diff_inner) as edits of the whole: `before` and `after` equal items around it."""
    out = [Edit(e.op, e.a0 + before, e.a1 + before, e.b0 + before, e.b1 + before) for e in edits]
    if before:
        if out and out[0].op == "equal":
            out[0] = Edit("equal", 0, out[0].a1, 0, out[0].b1)
        else:
            out.insert(0, Edit("equal", 0, before, 0, before))
    if after:
        end_a = out[-1].a1 if out else before
        end_b = out[-1].b1 if out else before
        if out and out[-1].op == "equal":
            last = out[-1]
            out[-1] = Edit("equal", last.a0, last.a1 + after, last.b0, last.b1 + after)
        else:
            out.append(Edit("equal", end_a, end_a + after, end_b, end_b + after))
    return out


def _tiered(
    a: Sequence[Hashable], b: Sequence[Hashable], ra: list[int], rb: list[int], level: int, top: int
) -> list[tuple[int, str]]:
    """Align the items of rank `level`, then recurse into the gaps between them for the weaker ranks."""
    if not a or not b:
        return [(-1, "x" * len(a))] if a else [(1, "x" * len(b))] if b else []
    if _same(a, b):
        return [(0, "x" * len(a))]
    if level > top:
        return [(op, "x" * n) for op, n in ((-1, len(a)), (1, len(b))) if n]
    idx_a = [i for i, r in enumerate(ra) if r == level]
    idx_b = [j for j, r in enumerate(rb) if r == level]
    ops: list[tuple[int, str]] = []  # one character per item, so that dmp-style merging can be reused
    pa = pb = 0

    def gap_to(ia: int, jb: int) -> None:
        """The items before the anchor (ia, jb), diffed at the weaker ranks."""
        if ia - pa == jb - pb > 0 and _same(gap := a[pa:ia], b[pb:jb]):  # as the recursion would find
            ops.append((0, "x" * len(gap)))
        elif ia > pa or jb > pb:
            ops.extend(_tiered(a[pa:ia], b[pb:jb], ra[pa:ia], rb[pb:jb], level + 1, top))

    if idx_a and idx_b:
        for op, sa, sb, n in _runs(_raw_diff([a[i] for i in idx_a], [b[j] for j in idx_b])):
            if op != 0:
                continue
            first_a, first_b = idx_a[sa], idx_b[sb]
            last_a, last_b = idx_a[sa + n - 1] + 1, idx_b[sb + n - 1] + 1
            gap_to(first_a, first_b)
            if last_a - first_a == last_b - first_b and _same(a[first_a:last_a], b[first_b:last_b]):
                # A run of anchors with equal items between them (equal keys have equal ranks): one equality, as
                # the anchors and the gaps between them would give one by one.
                ops.append((0, "x" * (last_a - first_a)))
                pa, pb = last_a, last_b
                continue
            ops.append((0, "x"))
            pa, pb = first_a + 1, first_b + 1
            for k in range(1, n):
                ia, jb = idx_a[sa + k], idx_b[sb + k]
                gap_to(ia, jb)
                ops.append((0, "x"))
                pa, pb = ia + 1, jb + 1
    gap_to(len(a), len(b))
    return ops


class ChainDiffer:
    """diff_sequences of each version of a sequence with the one before it, for versions that share most of their
    items as the same objects: each object is given its code once (by identity; by value only when first met)."""

    def __init__(self, first: Sequence[Hashable]) -> None:
        self._by_id: dict[int, str] = {}
        self._by_value: dict[Hashable, str] = {}
        self._alive: list[Hashable] = []  # the coded objects, kept so that their ids are not reused
        self._text = self._code(first)

    def diff_next(self, items: Sequence[Hashable]) -> list[Edit]:
        """diff_sequences(the last sequence, items); items becomes the last sequence."""
        old, new = self._text, self._code(items)
        self._text = new
        if old == new:
            return [Edit("equal", 0, len(old), 0, len(new))] if old else []
        return _to_edits(_diff_codes(old, new))

    def _code(self, items: Sequence[Hashable]) -> str:
        codes = list(map(self._by_id.get, map(id, items)))
        if None in codes:
            for k, code in enumerate(codes):
                if code is None:
                    item = items[k]
                    code = self._by_value.get(item)
                    if code is None:
                        n = len(self._by_value) + 1  # equal items share a code, as in _encode
                        code = self._by_value[item] = chr(n if n < 0xD800 else n + 0x800)
                    self._by_id[id(item)] = codes[k] = code
                    self._alive.append(item)
        return "".join(codes)  # type: ignore[arg-type]


def _same(a: Sequence[Hashable], b: Sequence[Hashable]) -> bool:
    """Item by item equal (a list comparison: in C, and identical items compare without calling __eq__)."""
    return len(a) == len(b) and list(a) == list(b)


def _raw_diff(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, str]]:
    text_a, text_b, _ = _encode(a, b)
    return _raw_codes(text_a, text_b)


def _raw_codes(text_a: str, text_b: str) -> list[tuple[int, str]]:
    """diff_main(text_a, text_b, False), memoised when small."""
    if len(text_a) + len(text_b) <= _MEMO_LENGTH:
        return list(_small_diff(text_a, text_b))
    return _diff_codes(text_a, text_b)


# Small diffs recur: the codes are given in order of first appearance, so a word replaced among distinct words, or
# a run of spaces that grows by one, is the same pair of strings wherever it happens. The diff is a function of them.
_MEMO_LENGTH = 256


def forget_diffs() -> None:
    """Empty the memos of small diffs (a benchmark's repeated runs start as cold as one command)."""
    _small_diff.cache_clear()
    _inner_memo.clear()


@lru_cache(maxsize=4096)
def _small_diff(text_a: str, text_b: str) -> tuple[tuple[int, str], ...]:
    return tuple(_diff_codes(text_a, text_b))


def _unique_changes(text_a: str, text_b: str) -> list[tuple[int, str]] | None:
    """diff_main(text_a, text_b, False) when the characters found in both texts are the same sequence in each;
    else None.

    Then the longest common subsequence is that sequence, matched in one way only: any minimal diff (as
    diff_match_patch's is without a time limit) keeps it and drops or adds the other characters. The clean-up
    puts each run's deletion before its insertion and shifts nothing (no edit holds a character of an equality),
    so the diff is one walk: between common characters, what only the first text has, then what only the second
    has. Between two versions whose changed blocks are new objects, that is the block diff, found without the
    bisection."""
    seen_a, seen_b = set(text_a), set(text_b)
    runs_a = _runs_of(text_a, seen_a - seen_b)
    runs_b = _runs_of(text_b, seen_b - seen_a)
    common = _without(text_a, runs_a)
    if common != _without(text_b, runs_b):
        return None
    diffs: list[tuple[int, str]] = []
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


def _runs_of(text: str, chars: set[str]) -> list[tuple[int, int, str]]:
    """The maximal runs of `chars` in text: the number of other characters before each, its start, the run."""
    if not chars:
        return []
    runs: list[tuple[int, int, str]] = []
    gone = 0
    if len(text) <= _MEMO_LENGTH:  # a loop costs less than compiling the expression
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


def _diff_codes(text_a: str, text_b: str) -> list[tuple[int, str]]:
    """diff_match_patch.diff_main(text_a, text_b, False), its commonest cases without the bisection.

    diff_main trims the common prefix and suffix, diffs the middle (diff_compute) and cleans the whole up. When
    one middle is empty, diff_compute gives the other as one insertion or deletion; when the two middles share no
    character, whatever the bisection splits them into holds only deletions and insertions, which the clean-up
    joins into one deletion of the first middle and one insertion of the second. Those cases are built here and
    cleaned up by diff-match-patch itself; so are texts whose shared characters keep their order (_unique_changes)."""
    dmp = _engine()
    if text_a == text_b:
        return [(0, text_a)] if text_a else []
    pre = dmp.diff_commonPrefix(text_a, text_b)
    suf = dmp.diff_commonSuffix(text_a[pre:], text_b[pre:])
    mid_a, mid_b = text_a[pre : len(text_a) - suf], text_b[pre : len(text_b) - suf]
    if mid_a and mid_b and (len(mid_a) + len(mid_b) > _MEMO_LENGTH or not set(mid_a).isdisjoint(mid_b)):
        found = _unique_changes(text_a, text_b)
        if found is not None:
            return found
        if not set(mid_a).isdisjoint(mid_b):
            diffs: list[tuple[int, str]] = dmp.diff_main(text_a, text_b, False)
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


def _runs(diffs: list[tuple[int, str]]) -> list[tuple[int, int, int, int]]:
    """(op, start in a, start in b, length) for each chunk of a dmp diff."""
    out = []
    i = j = 0
    for op, chunk in diffs:
        n = len(chunk)
        out.append((op, i, j, n))
        if op != 1:
            i += n
        if op != -1:
            j += n
    return out


def _merge_ops(ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join neighbours of the same kind; within each run of changes, deletions first."""
    merged: list[tuple[int, str]] = []
    dels = ins = ""
    for op, chunk in ops:
        if op == -1:
            dels += chunk
        elif op == 1:
            ins += chunk
        else:
            if dels:
                merged.append((-1, dels))
            if ins:
                merged.append((1, ins))
            dels = ins = ""
            if merged and merged[-1][0] == 0:
                merged[-1] = (0, merged[-1][1] + chunk)
            else:
                merged.append((0, chunk))
    if dels:
        merged.append((-1, dels))
    if ins:
        merged.append((1, ins))
    return merged


def _to_edits(diffs: list[tuple[int, str]]) -> list[Edit]:
    edits: list[Edit] = []
    i = j = 0
    for op, chunk in diffs:
        n = len(chunk)
        if op == 0:
            edits.append(Edit("equal", i, i + n, j, j + n))
            i += n
            j += n
        elif op == -1:
            edits.append(Edit("delete", i, i + n, j, j))
            i += n
        else:
            edits.append(Edit("insert", i, i, j, j + n))
            j += n
    return edits


def _fold_soft(diffs: list[tuple[int, str]], soft_a: list[bool]) -> list[tuple[int, str]]:
    """Turn soft-only equalities between two changes into a deletion plus an insertion, then merge neighbours."""
    out: list[tuple[int, str]] = []
    i = 0  # position in a
    for k, (op, chunk) in enumerate(diffs):
        n = len(chunk)
        between = 0 < k < len(diffs) - 1 and diffs[k - 1][0] != 0 and diffs[k + 1][0] != 0
        if op == 0 and between and all(soft_a[i : i + n]):
            out.append((-1, chunk))
            out.append((1, chunk))
        else:
            out.append((op, chunk))
        if op != 1:
            i += n
    return _merge_ops(out)


def unalign(edits: list[Edit], fold: set[int]) -> list[Edit]:
    """The same diff with the equal items at old indices `fold` turned into a deletion plus an insertion."""
    if not fold:
        return edits
    ops: list[tuple[int, str]] = []
    for e in edits:
        if e.op == "equal":
            for k in range(e.a1 - e.a0):
                if e.a0 + k in fold:
                    ops += [(-1, "x"), (1, "x")]
                else:
                    ops.append((0, "x"))
        elif e.op == "delete":
            ops.append((-1, "x" * (e.a1 - e.a0)))
        else:
            ops.append((1, "x" * (e.b1 - e.b0)))
    return _to_edits(_merge_ops(ops))
