"""Sequence diffs of hashable items (blocks, tokens, rows); the only module that imports diff-match-patch."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
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


@lru_cache(maxsize=1)
def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    # No time limit: a timeout would make the output depend on the machine's speed (invariant 5).
    dmp.Diff_Timeout = 0
    return dmp


def _encode(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[str, str]:
    """Map each distinct item to one character, so that the character diff is an item diff."""
    codes: dict[Hashable, str] = {}
    next_code = 1

    def code(item: Hashable) -> str:
        nonlocal next_code
        c = codes.get(item)
        if c is None:
            if next_code == 0xD800:  # skip the surrogate range
                next_code = 0xE000
            c = chr(next_code)
            next_code += 1
            codes[item] = c
        return c

    return "".join(map(code, a)), "".join(map(code, b))


def diff_sequences(a: Sequence[Hashable], b: Sequence[Hashable], *, semantic: bool = True) -> list[Edit]:
    """The edits that turn `a` into `b`; with `semantic`, small equalities between changes are folded in."""
    if len(a) == len(b) and all(x == y for x, y in zip(a, b, strict=True)):
        return [Edit("equal", 0, len(a), 0, len(b))] if a else []
    text_a, text_b = _encode(a, b)
    dmp = _engine()
    diffs = dmp.diff_main(text_a, text_b, False)
    if semantic:
        dmp.diff_cleanupSemantic(diffs)
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
