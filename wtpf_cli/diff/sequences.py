"""Sequence diffs of hashable items (blocks, tokens, rows): a minimal diff, words aligned before line breaks and
spaces.

Each distinct item is coded as one character and diff-match-patch diffs the two strings (its diff_main, run by
diff/_diff_main.py, which gives the same diffs faster). Two more twins give what diff_sequences gives, for speed:
diff/_windowed.py (the changed middle of two long sequences diffed alone) and diff/_chained.py (each version of a
sequence diffed with the one before, its items coded once).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Literal

from wtpf_cli.diff._diff_main import Diffs, diff_main
from wtpf_cli.diff._one_replaced import replaced_at

Op = Literal["equal", "delete", "insert", "restyle"]


@dataclass(frozen=True, slots=True)
class Edit:
    """One run of a diff: items a[a0:a1] are equal to, deleted from, or b[b0:b1] inserted into the sequence
    ("restyle": equal but for their formatting, which the attributor finds in a diff's replacements)."""

    op: Op
    a0: int
    a1: int
    b0: int
    b1: int


def text_rank(text: str) -> int:
    """The rank a token's text aligns at: words (and anything not blank) 0, a line break 1, other spaces 2."""
    return 1 if text == "\n" else 2 if text.isspace() else 0


def encode(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[str, str]:
    """Map each distinct item to one character, so that the character diff is an item diff."""
    # Codes in order of first appearance (a, then b), skipping the surrogate range.
    codes: dict[Hashable, str] = dict.fromkeys(chain(a, b), "")
    if len(codes) < 0xD800:  # the same codes, assigned in C
        codes = dict(zip(codes, map(chr, range(1, len(codes) + 1)), strict=True))
    else:
        for n, item in enumerate(codes, start=1):
            codes[item] = chr(n if n < 0xD800 else n + 0x800)
    get = codes.__getitem__
    return "".join(map(get, a)), "".join(map(get, b))


def diff_sequences(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    *,
    rank: Callable[[Hashable], int] | None = None,
    ranks: tuple[list[int], list[int]] | None = None,
    top: int | None = None,
) -> list[Edit]:
    """A minimal diff turning `a` into `b`.

    With `rank` (0 for words, 1 for paragraph marks, 2 for spaces), items of rank 0 are aligned first, then items
    of rank 1 only within the gaps between aligned words, and so on: a paragraph mark or a space never wins over a
    word. Runs of equal spaces between two changes are then folded into them, so that a reworded phrase is one
    deletion and one insertion, not one per word. `ranks` gives the ranks of a and b precomputed, in place of
    calling `rank` on each item; `top` the highest rank (by default the highest in them: given where a and b are
    the middles of longer sequences).
    """
    if _same(a, b):
        return [Edit("equal", 0, len(a), 0, len(b))] if a else []
    if ranks is not None:
        ranks_a, ranks_b = ranks
    elif rank is not None:
        ranks_a = [rank(x) for x in a]
        ranks_b = [rank(y) for y in b]
    else:
        at = replaced_at(a, b)  # to_edits(_raw_diff(a, b)) where one item is replaced, faster
        return to_edits(_raw_diff(a, b)) if at is None else one_replaced(at, len(a))
    if top is None:
        top = max([*ranks_a, *ranks_b, 0])
    ops = _tiered(a, b, ranks_a, ranks_b, 0, top)
    return to_edits(_fold_soft(_merge_ops(ops), [r == top and top > 0 for r in ranks_a]))


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


def _same(a: Sequence[Hashable], b: Sequence[Hashable]) -> bool:
    """Item by item equal (a list comparison: in C, and identical items compare without calling __eq__)."""
    return len(a) == len(b) and list(a) == list(b)


def _raw_diff(a: Sequence[Hashable], b: Sequence[Hashable]) -> Diffs:
    return diff_main(*encode(a, b))


def _runs(diffs: Diffs) -> list[tuple[int, int, int, int]]:
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


def to_edits(diffs: Diffs) -> list[Edit]:
    """The edits of a diff in diff-match-patch's form."""
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


def regions(edits: list[Edit]) -> Iterator[tuple[bool, int, int, int, int]]:
    """A diff coalesced into equal runs and changed regions (old a0:a1 replaced by new b0:b1, every deletion and
    insertion between two equal runs as one): (equal?, a0, a1, b0, b1)."""
    pending: list[Edit] = []
    for e in edits:
        if e.op == "equal":
            if pending:
                yield False, pending[0].a0, pending[-1].a1, pending[0].b0, pending[-1].b1
                pending = []
            yield True, e.a0, e.a1, e.b0, e.b1
        else:
            pending.append(e)
    if pending:
        yield False, pending[0].a0, pending[-1].a1, pending[0].b0, pending[-1].b1


def one_replaced(at: int, n: int) -> list[Edit]:
    """The diff of two sequences of length `n` that differ only at index `at` (diff_main's, as to_edits gives it)."""
    edits = [Edit("equal", 0, at, 0, at)] if at else []
    edits += [Edit("delete", at, at + 1, at, at), Edit("insert", at + 1, at + 1, at, at + 1)]
    if at + 1 < n:
        edits.append(Edit("equal", at + 1, n, at + 1, n))
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
    return to_edits(_merge_ops(ops))
