"""Speed only: the diff of two long sequences found by diffing the changed middle alone.

`widen(diff_inner(a, b, ...), len(P), len(S))` must equal `diff_sequences(P + a + S, P + b + S, ranks=...)` wherever
diff_inner gives edits (it gives None where it cannot be sure): tests/test_attribute_window.py compares them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from wtpf_cli.diff._diff_main import common_ends
from wtpf_cli.diff.sequences import Edit, diff_sequences, encode


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
    text_a, text_b = encode(a, b)
    found = _inner_memo.get(key := (text_a, text_b, bytes(ra), bytes(rb), top, before, after))
    if found is None and key not in _inner_memo:
        found = _inner_memo[key] = _diff_inner(a, b, ra, rb, top, before, after)
        if len(_inner_memo) > _INNER_MEMO_SIZE:
            del _inner_memo[next(iter(_inner_memo))]
    return None if found is None else list(found)


# Middles recur (a word replaced among distinct words: the same codes); the diff is a function of the codes and ranks.
_inner_memo: dict[tuple[str, str, bytes, bytes, int, bool, bool], tuple[Edit, ...] | None] = {}
_INNER_MEMO_SIZE = 4096


def forget_middles() -> None:
    """Empty the memo of middles (a benchmark's repeated runs start as cold as one command)."""
    _inner_memo.clear()


def _diff_inner(
    a: Sequence[Hashable], b: Sequence[Hashable], ra: list[int], rb: list[int], top: int, before: bool, after: bool
) -> tuple[Edit, ...] | None:
    if before or after:
        ta, tb = encode(
            [x for x, r in zip(a, ra, strict=True) if r == 0], [y for y, r in zip(b, rb, strict=True) if r == 0]
        )
        if ta != tb:
            cp, cs = common_ends(ta, tb)
            longest = max(len(ta), len(tb)) - cp - cs
            middle = set(ta[cp : len(ta) - cs]) | set(tb[cp : len(tb) - cs])
            if before and cp <= longest and not set(ta[:cp]) - middle:
                return None
            if after and cs <= longest and not set(ta[len(ta) - cs :]) - middle:
                return None
    return tuple(diff_sequences(a, b, ranks=(ra, rb), top=top))


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
