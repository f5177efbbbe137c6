"""Sentence moves: a sentence that one commit takes out of one paragraph and puts, identical or nearly so, into
another paragraph or elsewhere in its own.

Bounded like paragraph moves (moves.py), so that the redline stays linear in the size of the changes: only the items
of one commit's changed regions are read, once, and only the paragraphs among them that this commit changed are split
into sentences (markdown/sentences.py). A sentence is a candidate only if the commit deleted all its words (as they
stood before it) or inserted all of them, and it has MIN_WORDS words or more. Candidates are paired first by the hash
of their words (lower-cased), then, among those left, by the share of distinct words in common, computed only for
candidates that share one of a few min-hash values of their words (at most CANDIDATES for each sentence put in:
moves.near_pairs). A sentence deleted and one inserted at the same place (no standing word or paragraph mark between
them) is a sentence rewritten there, not a move.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import accumulate

from wtpf_cli.attribution.items import Item, MarkItem, TableItem, TokenItem
from wtpf_cli.attribution.moves import CANDIDATES, MIN_WORDS, best_pairs, near_pairs
from wtpf_cli.diff.sequences import diff_sequences
from wtpf_cli.markdown.sentences import sentence_spans
from wtpf_cli.model import Revision

_NUMBER_RE = re.compile(r"\s*(?:\d+\.)+\d*\s+")  # a paragraph's own number: no part of its first sentence
_WORD_RE = re.compile(r"\w+")


class _Sentence:
    """A sentence the commit deleted or inserted whole: the items it changed in it, where they stand in their
    region, and its words."""

    __slots__ = ("container", "distinct", "first", "items", "key", "last", "region")

    def __init__(self, region: int, first: int, last: int, items: list[TokenItem], container: str, key: str) -> None:
        self.region = region
        self.first = first  # the place of its first and last item in its region's items
        self.last = last
        self.items = items
        self.container = container
        self.key = key
        self.distinct = frozenset(_WORD_RE.findall(key))


def _paragraphs(items: Sequence[Item], rev: Revision, before: bool) -> Iterator[list[int]]:
    """The places of the tokens of each paragraph that the commit `rev` changed, as it stood before the commit
    (`before`) or after it; a table ends a paragraph."""
    para: list[int] = []
    changed = False
    for i, item in enumerate(items):
        if type(item) is TableItem:
            if changed:
                yield para
            para, changed = [], False
            continue
        assert isinstance(item, TokenItem | MarkItem)
        if before:
            if item.ins is rev or (item.dele is not None and item.dele is not rev):
                continue
            changed = changed or item.dele is rev
        else:
            if item.dele is not None:
                continue
            changed = changed or item.ins is rev
        if type(item) is MarkItem:
            if changed:
                yield para
            para, changed = [], False
        else:
            para.append(i)
    if changed and para:
        yield para


def _sentences(items: Sequence[Item], region: int, rev: Revision, before: bool) -> Iterator[_Sentence]:
    """The sentences of a region that the commit `rev` deleted (`before`) or inserted whole."""
    for para in _paragraphs(items, rev, before):
        tokens: list[TokenItem] = [items[i] for i in para]  # type: ignore[misc]
        texts = [t.token.text for t in tokens]
        starts = [0, *accumulate(map(len, texts))]
        text = "".join(texts)
        number = _NUMBER_RE.match(text)
        skip = number.end() if number else 0
        k = 0
        for start, end in sentence_spans(text, skip):
            start = max(start, skip)
            while k < len(para) and starts[k] < start:
                k += 1
            k0 = k
            while k < len(para) and starts[k] < end:
                k += 1
            span = range(k0 - 1 if k0 and texts[k0 - 1].isspace() else k0, k)  # with the space before it
            words = text[start:end].lower().split()
            if len(words) < MIN_WORDS:
                continue
            marks = [(tokens[j].dele if before else tokens[j].ins) is rev for j in span]
            if not all(m or texts[j].isspace() for j, m in zip(span, marks, strict=True)):
                continue  # a word of it stands
            changed = [j for j, m in zip(span, marks, strict=True) if m]
            moved = [tokens[j] for j in changed]
            container = str(moved[0].key[0])  # type: ignore[index]
            key = " ".join(words)
            yield _Sentence(region, para[changed[0]], para[changed[-1]], moved, container, key)


def _standing(items: Sequence[Item], rev: Revision) -> list[int]:
    """How many items before each place of a region stand unchanged by the commit `rev` (words, paragraph marks,
    tables; not spaces): a deleted and an inserted sentence with none between them are at the same place."""
    counts = [0]
    n = 0
    for item in items:
        if type(item) is TableItem:
            n += 1
        elif item.ins is not rev and item.dele is None:  # type: ignore[union-attr]
            n += type(item) is MarkItem or not item.token.text.isspace()  # type: ignore[union-attr]
        counts.append(n)
    return counts


def sentence_moves(regions: Sequence[Sequence[Item]], rev: Revision) -> list[tuple[list[TokenItem], list[TokenItem]]]:
    """The sentences the commit `rev` moved, as (the items it deleted where the sentence was, those it inserted
    where it went) pairs in order: `regions` holds the items of each of its changed regions."""
    olds = [s for r, items in enumerate(regions) for s in _sentences(items, r, rev, True)]
    if not olds:
        return []
    news = [s for r, items in enumerate(regions) for s in _sentences(items, r, rev, False)]
    standing: dict[int, list[int]] = {}

    def apart(n: int, k: int) -> bool:
        """Whether the sentence put in and the one taken out are in one container and at different places."""
        new, old = news[n], olds[k]
        if new.container != old.container:
            return False
        if new.region != old.region:
            return True
        counts = standing.get(new.region)
        if counts is None:
            counts = standing[new.region] = _standing(regions[new.region], rev)
        a, b = (old, new) if old.first < new.first else (new, old)
        return counts[b.first] > counts[a.last + 1]

    exact: dict[str, list[int]] = {}
    for k, old in enumerate(olds):
        exact.setdefault(old.key, []).append(k)
    pairs: list[tuple[float, int, int]] = []
    near: list[int] = []
    for n, new in enumerate(news):
        found = [k for k in exact.get(new.key, ())[:CANDIDATES] if apart(n, k)]
        if found:
            pairs.extend((1.0, n, k) for k in found)
        else:
            near.append(n)
    claimed = {k for _, _, k in pairs}
    spare = [k for k in range(len(olds)) if k not in claimed]
    pairs += near_pairs([s.distinct for s in news], [s.distinct for s in olds], near, spare, apart)
    moves = sorted((olds[k].region, olds[k].first, n, k) for n, k in best_pairs(pairs))
    return [(olds[k].items, news[n].items) for _, _, n, k in moves]


def mark_moved(taken: list[TokenItem], put: list[TokenItem], move: Revision) -> None:
    """Mark a sentence's words as moved by `move`: all of them where it was; where it went, those it had before
    (words put in stay insertions of the commit, words taken out show only where it was, as in a paragraph moved)."""
    for item in taken:
        item.dele = move
    for edit in diff_sequences([t.key for t in taken], [t.key for t in put]):
        for item in put[edit.b0 : edit.b1]:
            if edit.op == "equal" or item.token.text.isspace():  # a space is no word put in
                item.ins = move
