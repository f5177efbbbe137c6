"""Speed only: the anchored diff of a Word file's blocks with the base's, walked at the places where its anchors stop
running side by side, so that a contribution's blocks are held against the base's in time proportional to what
it changes, not to the report's length.

paragraph_edits must give what layout.paragraph_diff gives: tests/test_blockdiff_fast.py compares the two.
"""

from __future__ import annotations

from itertools import compress, islice, repeat
from operator import add, eq, lt, mul, ne, sub

from wtpf_cli.diff.sequences import Edit
from wtpf_cli.merging.layout import EditScript, paragraph_diff


def anchors_of(keys: list[str]) -> tuple[list[int], list[str]]:
    """The keys that occur once: their places, themselves (what paragraph_edits is given for the base)."""
    seen: dict[str, int] = {}
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
    places = [i for i, key in enumerate(keys) if seen[key] == 1]
    return places, [keys[i] for i in places]


def paragraph_edits(kx: list[str], anchors: tuple[list[int], list[str]], ky: list[str]) -> list[Edit]:
    """layout.paragraph_diff(kx, ky), given the keys of kx that occur once (`anchors`: their places, themselves), and
    walking only the places where the anchors of a patience diff stop running side by side."""
    # The keys of ky that occur once are those whose first place is their last (all of it made in C: a report
    # has thousands of paragraphs).
    places, once = anchors
    last = dict(zip(ky, range(len(ky)), strict=True))
    first = dict(zip(reversed(ky), range(len(ky) - 1, -1, -1), strict=True))
    at_y = list(map(last.get, once, repeat(-1)))
    kept = list(map(eq, at_y, map(first.get, once, repeat(-2))))
    i_s, js = list(compress(places, kept)), list(compress(at_y, kept))
    if not all(map(lt, js, islice(js, 1, None))):
        return paragraph_diff(kx, ky)  # paragraphs moved: the longest increasing run is the general one's to pick
    # Every pair is an anchor (the whole list is the longest increasing run). Anchors that follow the one before
    # diagonally only lengthen the equal run: the walk of paragraph_diff is taken at the others alone. A pair
    # (i, j) as i * width + j: the next one follows it diagonally when it is width + 1 more.
    width = len(ky) + 2
    codes = list(map(add, map(mul, i_s, repeat(width)), js))
    steps = map(sub, islice(codes, 1, None), codes)
    stops = list(compress(range(1, len(codes)), map(ne, steps, repeat(width + 1))))
    pairs = list(zip(i_s, js, strict=True))
    script = EditScript()
    pa = pb = 0
    bounds = [*(pairs[n] for n in ([0] if pairs else []) + stops), (len(kx), len(ky))]
    lengths = [b - a for a, b in zip([0, *stops], [*stops, len(pairs)], strict=True)] if pairs else []
    for n, (i, j) in enumerate(bounds):
        if i > pa or j > pb:
            gap_x, gap_y = kx[pa:i], ky[pb:j]
            if gap_x == gap_y:  # repeated paragraphs, unchanged (diff_sequences gives one equality)
                script.equal(pa, pb, i - pa)
            else:
                script.diff(gap_x, gap_y, pa, pb)
        if i < len(kx):
            size = lengths[n]  # this anchor and the ones that follow it diagonally
            script.equal(i, j, size)
            pa, pb = i + size, j + size
        else:
            pa, pb = i + 1, j + 1
    return script.done()
