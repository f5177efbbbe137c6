"""Moves: a paragraph that one commit deletes in one place and inserts, identical or nearly so, in another.

Bounded so that the redline stays linear in the size of the changes: only the paragraphs of one commit's changed
regions are looked at (those it takes away and those it puts in), never the whole report; a paragraph that begins or
ends as the one at its place in its region did is edited in place, and left out. The others are paired first by
the hash of their words (lower-cased, a leading paragraph number left out), then, among those left, by the share of
distinct words they have in common, computed only for the candidates that share one of a few min-hash values of
their words (at most `CANDIDATES` for each paragraph put in), after each was compared with the one at its own place in
its region. A paragraph paired with one of its own changed region is an edit in place, not a move.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from operator import attrgetter

from wtpf_cli.markdown.cover import COVER_STYLES
from wtpf_cli.model import Block, Paragraph

MIN_WORDS = 3  # a shorter paragraph ("Text.", a heading "3 IXPs") is not worth a move
NEAR = 0.8  # nearly identical: this share of distinct words in common, or more (Dice's coefficient)
SKETCH = 3  # min-hash values kept for each paragraph
CANDIDATES = 8  # paragraphs compared with each paragraph put in, at most

_TEXT = attrgetter("text")
_NUMBER_RE = re.compile(r"\s*\d+(?:[.,]\d+)*\.?")  # a paragraph's own number, which a move renumbers
_WORD_RE = re.compile(r"\w+")
_EDGE = 8  # tokens (four words or so) at either end that tell a paragraph edited in place


class _Side:
    """A paragraph of a changed region, as moves compare it: its text lower-cased, its number left out, and (when
    first asked for) its distinct words."""

    __slots__ = ("_distinct", "block", "container", "index", "key", "region")

    def __init__(self, index: int, region: int, block: Paragraph, key: str) -> None:
        self.index = index  # in its version's blocks
        self.region = region
        self.block = block
        self.container = block.props.container
        self.key = key
        self._distinct: frozenset[str] | None = None

    @property
    def distinct(self) -> frozenset[str]:
        if self._distinct is None:
            self._distinct = frozenset(_WORD_RE.findall(self.key))
        return self._distinct


def _sides(blocks: Sequence[tuple[int, int, Block]]) -> list[_Side]:
    out = []
    for index, region, block in blocks:
        if isinstance(block, Paragraph) and block.props.style not in COVER_STYLES:
            text = "".join(map(_TEXT, block.tokens))
            number = _NUMBER_RE.match(text)
            words = (text[number.end() :] if number else text).lower().split()
            if len(words) >= MIN_WORDS:
                out.append(_Side(index, region, block, " ".join(words)))
    return out


def _not_in_place(
    old: Sequence[tuple[int, int, Block]], new: Sequence[tuple[int, int, Block]]
) -> tuple[list[tuple[int, int, Block]], list[tuple[int, int, Block]]]:
    """The blocks but the pairs at the same place of a region that begin or end alike: paragraphs edited where they
    stand, most of what a commit changes (found by comparing a few tokens, so the words of the rest only are read)."""
    by_region: dict[int, list[tuple[int, int, Block]]] = {}
    for entry in old:
        by_region.setdefault(entry[1], []).append(entry)
    placed: dict[int, int] = {}  # region -> place of the next new block in it
    kept_new = []
    edited: set[int] = set()  # old indices
    for entry in new:
        _, region, block = entry
        place = placed[region] = placed.get(region, -1) + 1
        olds = by_region.get(region, ())
        other = olds[place][2] if place < len(olds) else None
        if (
            isinstance(block, Paragraph)
            and isinstance(other, Paragraph)
            and other.props.container == block.props.container
            and _in_place(other, block)
        ):
            edited.add(olds[place][0])
            continue
        kept_new.append(entry)
    return [entry for entry in old if entry[0] not in edited], kept_new


def _in_place(a: Paragraph, b: Paragraph) -> bool:
    """Two paragraphs at the same place of a region that begin or end alike (the same tokens): one edited there."""
    return a.tokens[:_EDGE] == b.tokens[:_EDGE] or a.tokens[-_EDGE:] == b.tokens[-_EDGE:]


def _sketch(words: frozenset[str]) -> list[int]:
    """The SKETCH smallest hashes of the distinct words (CRC-32: the same in every run)."""
    return sorted(map(zlib.crc32, map(str.encode, words)))[:SKETCH]


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice's coefficient of two sets of words."""
    return 2 * len(a & b) / (len(a) + len(b))


def _by_region(olds: dict[int, list[int]], news: list[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """The old and the new paragraphs of each region, in order."""
    grouped: dict[int, list[int]] = {}
    for n, region in news:
        grouped.setdefault(region, []).append(n)
    return [(olds.get(region, []), found) for region, found in grouped.items()]


def find_moves(old: Sequence[tuple[int, int, Block]], new: Sequence[tuple[int, int, Block]]) -> list[tuple[int, int]]:
    """The paragraphs moved, as (old index, new index) pairs, in order: `old` and `new` give the blocks of one
    commit's changed regions as (index, region number, block)."""
    if len({region for _, region, _ in old} | {region for _, region, _ in new}) < 2:
        return []  # a move goes from one changed region to another
    old, new = _not_in_place(old, new)
    olds, news = _sides(old), _sides(new)
    exact: dict[tuple[str, str], list[int]] = {}
    for k, side in enumerate(olds):
        exact.setdefault((side.container, side.key), []).append(k)
    pairs: list[tuple[float, int, int]] = []  # (similarity, new, old)
    near: list[int] = []
    for n, side in enumerate(news):
        found = exact.get((side.container, side.key))
        if found:
            pairs.extend((1.0, n, k) for k in found[:CANDIDATES])
        else:
            near.append(n)
    # A paragraph nearly equal to the one at its own place in its region is paired so at once (an edit in place),
    # and left out of the min-hash search.
    claimed = {k for _, _, k in pairs}
    spare = [k for k in range(len(olds)) if k not in claimed]
    by_region: dict[int, list[int]] = {}
    for k in spare:
        by_region.setdefault(olds[k].region, []).append(k)
    placed: dict[int, int] = {}  # new -> its region's old paragraph at the same place
    for region_olds, region_news in _by_region(by_region, [(n, news[n].region) for n in near]):
        placed.update(zip(region_news, region_olds, strict=False))
    searched = []
    in_place: set[int] = set()
    for n in near:
        k = placed.get(n, -1)
        if k >= 0 and olds[k].container == news[n].container:
            score = _similarity(news[n].distinct, olds[k].distinct)
            if score >= NEAR:
                pairs.append((score, n, k))
                in_place.add(k)
                continue
        searched.append(n)
    near = searched
    spare = [k for k in spare if k not in in_place]
    if near and spare:
        buckets: dict[int, list[int]] = {}
        for k in spare:
            side = olds[k]
            for h in _sketch(side.distinct):
                bucket = buckets.setdefault(h, [])
                if len(bucket) < CANDIDATES:
                    bucket.append(k)
        for n in near:
            side = news[n]
            candidates: dict[int, None] = {}
            for h in _sketch(side.distinct):
                candidates.update(dict.fromkeys(buckets.get(h, ())))
            for k in list(candidates)[:CANDIDATES]:
                other = olds[k]
                if other.container == side.container:
                    score = _similarity(side.distinct, other.distinct)
                    if score >= NEAR:
                        pairs.append((score, n, k))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    moves = []
    for _, n, k in pairs:
        if n in taken_new or k in taken_old:
            continue
        taken_new.add(n)
        taken_old.add(k)
        if olds[k].region != news[n].region:  # within one region: the paragraph edited where it stands
            moves.append((olds[k].index, news[n].index))
    return sorted(moves)
