"""The changes a proposal makes to its base found the plain way, kept as the reference of the merge's faster twin
(threeway._hunks_against, compared in tests/test_merge_run.py): both texts split and laid out whole, then the
two-level diff of the two."""

from __future__ import annotations

from wtpf_cli.merging.layout import laid_out, two_level_diff
from wtpf_cli.merging.threeway import Hunk


def proposal_hunks(base: list[str], proposal: list[str]) -> list[Hunk]:
    """The changes from base to proposal (split_words tokens), as replaced token ranges of the base."""
    hunks: list[Hunk] = []
    pending: list[tuple[int, int, int, int]] = []

    def close() -> None:
        if pending:
            a0, b0 = pending[0][0], pending[0][2]
            a1, b1 = pending[-1][1], pending[-1][3]
            hunks.append(Hunk(a0, a1, "".join(base[a0:a1]), "".join(proposal[b0:b1])))
            pending.clear()

    for op, a0, a1, b0, b1 in two_level_diff(laid_out(base), laid_out(proposal)):
        if op == "equal":
            close()
        else:
            pending.append((a0, a1, b0, b1))
    close()
    return hunks
