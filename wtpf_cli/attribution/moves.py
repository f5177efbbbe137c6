"""Moves: a paragraph that one commit deletes in one place and inserts, identical or nearly so, in another.

Bounded so that the redline stays linear in the size of the changes: only the paragraphs of one commit's changed
regions are looked at (those it takes away and those it puts in), never the whole report. They are paired first by
the hash of their words (lower-cased, a leading paragraph number left out), then, among those left, by the share of
words they have in common, computed only for the candidates that share one of a few min-hash values of their words
(at most `CANDIDATES` for each paragraph put in). A paragraph paired with one of its own changed region is an edit in
place, not a move.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from wtpf_cli.markdown.cover import COVER_STYLES
from wtpf_cli.model import Block, Paragraph

MIN_WORDS = 3  # a shorter paragraph ("Text.", a heading "3 IXPs") is not worth a move
NEAR = 0.8  # nearly identical: this share of words in common, or more (Dice's coefficient of the word multisets)
SKETCH = 3  # min-hash values kept for each paragraph
CANDIDATES = 8  # paragraphs compared with each paragraph put in, at most


@dataclass(frozen=True, slots=True)
class _Side:
    """A paragraph of a changed region, as moves compare it."""

    index: int  # in its version's blocks
    region: int
    container: str
    words: tuple[str, ...]


def _words(block: Paragraph) -> tuple[str, ...]:
    """Its words lower-cased (a document symbol, a date or a number being one), spaces and punctuation left out."""
    return tuple(t.text.lower() for t in block.tokens if t.text[:1].isalnum())


def _sides(blocks: Sequence[tuple[int, int, Block]]) -> list[_Side]:
    out = []
    for index, region, block in blocks:
        if isinstance(block, Paragraph) and block.props.style not in COVER_STYLES:
            words = _words(block)
            if len(_unnumbered(words)) >= MIN_WORDS:
                out.append(_Side(index, region, block.props.container, words))
    return out


def _unnumbered(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words but a leading number (the paragraph's own, which a move renumbers)."""
    return words[1:] if words and words[0][:1].isdigit() else words


def _key(side: _Side) -> tuple[str, ...]:
    """What must be equal for an exact move: the container and the words but the paragraph's number."""
    return (side.container, *_unnumbered(side.words))


def _sketch(words: tuple[str, ...]) -> list[int]:
    """The SKETCH smallest hashes of the distinct words (CRC-32: the same in every run)."""
    return sorted({zlib.crc32(w.encode()) for w in words})[:SKETCH]


def _similarity(a: Counter[str], b: Counter[str], size: int) -> float:
    """Dice's coefficient of two word multisets of `size` words in all."""
    return 2 * sum((a & b).values()) / size


def find_moves(old: Sequence[tuple[int, int, Block]], new: Sequence[tuple[int, int, Block]]) -> list[tuple[int, int]]:
    """The paragraphs moved, as (old index, new index) pairs, in order: `old` and `new` give the blocks of one
    commit's changed regions as (index, region number, block)."""
    olds, news = _sides(old), _sides(new)
    if not olds or not news:
        return []
    exact: dict[tuple[str, ...], list[int]] = {}
    for k, side in enumerate(olds):
        exact.setdefault(_key(side), []).append(k)
    pairs: list[tuple[float, int, int]] = []  # (similarity, new, old)
    near: list[int] = []
    for n, side in enumerate(news):
        found = exact.get(_key(side))
        if found:
            pairs.extend((1.0, n, k) for k in found[:CANDIDATES])
        else:
            near.append(n)
    if near:
        buckets: dict[int, list[int]] = {}
        for k, side in enumerate(olds):
            for h in _sketch(side.words):
                bucket = buckets.setdefault(h, [])
                if len(bucket) < CANDIDATES:
                    bucket.append(k)
        counts: dict[int, Counter[str]] = {}
        for n in near:
            side = news[n]
            candidates: dict[int, None] = {}
            for h in _sketch(side.words):
                candidates.update(dict.fromkeys(buckets.get(h, ())))
            mine = Counter(side.words)
            for k in list(candidates)[:CANDIDATES]:
                other = olds[k]
                size = len(side.words) + len(other.words)
                if other.container != side.container or 2 * min(len(side.words), len(other.words)) < NEAR * size:
                    continue  # lengths too far apart for the share to reach NEAR
                theirs = counts.get(k) or counts.setdefault(k, Counter(other.words))
                score = _similarity(mine, theirs, size)
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
