"""Sentence moves: a sentence that one commit takes out of one paragraph and puts, identical or nearly so, into
another paragraph or elsewhere in its own.

Bounded like paragraph moves (moves.py), so that the redline stays linear in the size of the changes: only the items
of one commit's changed regions are read, once, and only the paragraphs among them that this commit changed are split
into sentences (markdown/sentences.py). A sentence is a candidate only if the commit deleted all its words (as they
stood before it) or inserted all of them, and it has MIN_WORDS words or more. Candidates are paired first by the hash
of their words (lower-cased), then, among those left, by the share of distinct words in common, computed only for
candidates that share one of a few min-hash values of their words (at most CANDIDATES for each sentence put in:
moves.near_pairs). A sentence deleted and one inserted at the same place (no standing word or paragraph mark between
them) is a sentence rewritten there, not a move. Sentences that follow each other on both sides are one move, with
their paragraph's mark when they are all of it on both sides (a paragraph moved within one changed region, which
moves.py leaves alone). Words inserted since FROM that the commit takes out are gone from the items (nothing shows
where they were); their sentences are paired too, so that where they went they keep the revision that put them in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import accumulate

from wtpf_cli.attribution.items import Item, MarkItem, TableItem, TokenItem
from wtpf_cli.attribution.moves import CANDIDATES, MIN_WORDS, NEAR, best_pairs, near_pairs
from wtpf_cli.diff.sequences import diff_sequences
from wtpf_cli.markdown.sentences import sentence_spans
from wtpf_cli.model import Revision

_NUMBER_RE = re.compile(r"\s*(?:\d+\.)+\d*\s+")  # a paragraph's own number: no part of its first sentence
_WORD_RE = re.compile(r"\w+")
_FEW = 16  # sentences taken out, at most, for which the paragraphs put in are first tested (_Partners)


class _Sentence:
    """A sentence the commit deleted or inserted whole: the items it changed in it, where they stand in their
    region, which sentence of which paragraph it is, its paragraph's mark if the commit changed all of that
    paragraph, and its words."""

    __slots__ = ("container", "distinct", "first", "items", "key", "last", "mark", "nth", "para", "region")

    def __init__(self, region: int, para: int, nth: int, places: list[int], items: list[TokenItem], key: str) -> None:
        self.region = region
        self.para = para  # its paragraph among those of its region that the commit changed
        self.nth = nth  # its place among the sentences of its paragraph
        self.first = places[0]  # the place of its first and last item in its region's items
        self.last = places[-1]
        self.items = items
        self.mark: MarkItem | None = None
        self.container = str(items[0].key[0])  # type: ignore[index]
        self.key = key
        self.distinct = frozenset(_WORD_RE.findall(key))


def _paragraphs(items: Sequence[Item], rev: Revision, before: bool) -> Iterator[tuple[list[int], int]]:
    """The places of the tokens of each paragraph that the commit `rev` changed, as it stood before the commit
    (`before`) or after it, and the place of its mark (-1: none, a table or the region's end closes it)."""
    para: list[int] = []
    changed = False
    for i, item in enumerate(items):  # not a table: a token or a mark (no isinstance per item: it cost a call each)
        kind = type(item)
        if kind is TableItem:
            if changed:
                yield para, -1
            para, changed = [], False
            continue
        if before:
            if item.ins is rev or (item.dele is not None and item.dele is not rev):  # type: ignore[union-attr]
                continue
            changed = changed or item.dele is rev
        else:
            if item.dele is not None:
                continue
            changed = changed or item.ins is rev  # type: ignore[union-attr]
        if kind is MarkItem:
            if changed:
                yield para, i
            para, changed = [], False
        else:
            para.append(i)
    if changed and para:
        yield para, -1


def _sentences(
    items: Sequence[Item], region: int, rev: Revision, before: bool, partners: _Partners | None = None
) -> Iterator[_Sentence]:
    """The sentences of a region that the commit `rev` deleted (`before`) or inserted whole (with `partners`, only
    those of the paragraphs that may hold a partner of one of the sentences taken out)."""
    for n, (para, mark) in enumerate(_paragraphs(items, rev, before)):
        tokens: list[TokenItem] = [items[i] for i in para]  # type: ignore[misc]
        texts = [t.token.text for t in tokens]
        text = "".join(texts)
        if partners is not None and not partners.may_hold(text):
            continue
        changed = [(t.dele if before else t.ins) is rev for t in tokens]
        loose = [c or x.isspace() for c, x in zip(changed, texts, strict=True)]  # changed, or a space
        starts = [0, *accumulate(map(len, texts))]
        number = _NUMBER_RE.match(text)
        skip = number.end() if number else 0
        k = 0
        for nth, (start, end) in enumerate(sentence_spans(text, skip)):
            start = max(start, skip)
            while k < len(para) and starts[k] < start:
                k += 1
            k0 = k
            while k < len(para) and starts[k] < end:
                k += 1
            if k0 and nth == 0 and all(loose[:k0]):
                k0 = 0  # the paragraph's number, taken out or put in with its first sentence
            elif k0 and texts[k0 - 1].isspace():
                k0 -= 1  # with the space before it
            words = text[start:end].lower().split()
            if len(words) < MIN_WORDS or not all(loose[k0:k]):
                continue  # too short, or a word of it stands
            places = [para[j] for j in range(k0, k) if changed[j]]
            moved: list[TokenItem] = [items[i] for i in places]  # type: ignore[misc]
            sentence = _Sentence(region, n, nth, places, moved, " ".join(words))
            if k == len(para) and mark >= 0 and all(loose) and _changed(items[mark], rev, before):
                sentence.mark = items[mark]  # type: ignore[assignment]  # the whole paragraph: its mark may move
            yield sentence


class _Partners:
    """The few sentences a commit took out, as a test of whether a paragraph put in may hold one's partner: one
    paired with a sentence has all its distinct words (the same key) or NEAR of them by Dice's coefficient, hence
    NEAR / (2 - NEAR) of them at least (2/3: a partner with i of the sentence's m words and n >= i of its own has
    2i >= NEAR (m + n) >= NEAR (m + i)), and a sentence's words are words of its paragraph (it begins and ends
    beside no letter: markdown/sentences.py). Words are compared lower-cased, final sigma as sigma (the one letter
    str.lower reads in context)."""

    def __init__(self, olds: Sequence[_Sentence]) -> None:
        self.words = [[_fold(w) for w in s.distinct] for s in olds]
        self.share = 0.9 * NEAR / (2 - NEAR)  # (a margin for the rounding of Dice's coefficient)

    def may_hold(self, text: str) -> bool:
        """Whether the paragraph `text` holds enough of the words of a sentence taken out to hold its partner."""
        found = set(_WORD_RE.findall(_fold(text.lower())))
        return any(sum(w in found for w in words) >= self.share * len(words) for words in self.words)


def _fold(text: str) -> str:
    """The text with final sigma read as sigma (str.lower writes one or the other by what follows it)."""
    return text.replace("\u03c2", "\u03c3")


def _took_words(items: Sequence[Item], rev: Revision) -> bool:
    """Whether the commit `rev` took MIN_WORDS words or more out of a region (a word needs a token it took out):
    if not, it took out no sentence of it whole, which a pass over its paragraphs would find at more cost."""
    words = 0
    for item in items:
        if type(item) is TokenItem and item.dele is rev:
            words += len(item.token.text.split())
            if words >= MIN_WORDS:
                return True
    return False


def _changed(item: Item, rev: Revision, before: bool) -> bool:
    """Whether the commit `rev` deleted (`before`) or inserted the item."""
    return (item.dele if before else item.ins) is rev  # type: ignore[union-attr]


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


def _vanished(runs: Sequence[list[TokenItem]]) -> Iterator[_Sentence]:
    """The sentences of runs of words inserted since FROM that the commit takes out again (gone from the items:
    each run is read alone, with a region of its own that no sentence put in shares)."""
    for r, run in enumerate(runs):
        texts = [t.token.text for t in run]
        starts = [0, *accumulate(map(len, texts))]
        text = "".join(texts)
        k = 0
        for nth, (start, end) in enumerate(sentence_spans(text, 0)):
            k0 = k
            while k < len(run) and starts[k] < end:
                k += 1
            words = text[start:end].lower().split()
            if len(words) >= MIN_WORDS:
                yield _Sentence(-1 - r, 0, nth, list(range(k0, k)), list(run[k0:k]), " ".join(words))


Moved = tuple[list[TokenItem | MarkItem], list[TokenItem | MarkItem]]


def sentence_moves(
    regions: Sequence[Sequence[Item]], rev: Revision, vanished: Sequence[list[TokenItem]] = ()
) -> list[Moved]:
    """The sentences the commit `rev` moved, as (the items it took out where they were, those it inserted where
    they went) pairs in order, sentences that follow each other in a paragraph and still do as one, with their
    paragraph's mark if they are all of it on both sides: `regions` holds the items of each of its changed
    regions, `vanished` the runs of words inserted since FROM that it took out (gone from the regions' items)."""
    olds = [s for r, items in enumerate(regions) if _took_words(items, rev) for s in _sentences(items, r, rev, True)]
    olds += _vanished(vanished)
    if not olds:
        return []
    # Few sentences taken out (most commits): only the paragraphs put in that may hold a partner are split.
    partners = _Partners(olds) if len(olds) <= _FEW and all(s.distinct for s in olds) else None
    news = [s for r, items in enumerate(regions) for s in _sentences(items, r, rev, False, partners)]
    standing: dict[int, list[int]] = {}

    def apart(n: int, k: int) -> bool:
        """Whether the sentence put in and the one taken out are in one container and at different places."""
        new, old = news[n], olds[k]
        if new.container != old.container:
            return False
        if new.region != old.region:  # (always so for words inserted since FROM: see _vanished)
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
    found_pairs = sorted(((olds[k], news[n]) for n, k in best_pairs(pairs)), key=_order)
    return _joined(found_pairs)


def _order(pair: tuple[_Sentence, _Sentence]) -> tuple[int, int, int]:
    old = pair[0]
    return (old.region, old.para, old.nth)


def _joined(pairs: list[tuple[_Sentence, _Sentence]]) -> list[Moved]:
    """Pairs (in order) of sentences that follow each other where they were and where they went joined as one,
    the paragraph's mark added where both sides end a paragraph the commit changed whole."""
    out: list[Moved] = []
    last: tuple[_Sentence, _Sentence] | None = None
    for old, new in pairs:
        if (
            last is not None
            and (old.region, old.para, old.nth) == (last[0].region, last[0].para, last[0].nth + 1)
            and (new.region, new.para, new.nth) == (last[1].region, last[1].para, last[1].nth + 1)
            and last[0].mark is None
            and last[1].mark is None
        ):
            out[-1][0].extend(old.items)
            out[-1][1].extend(new.items)
        else:
            out.append((list(old.items), list(new.items)))
        if old.mark is not None and new.mark is not None:
            out[-1][0].append(old.mark)
            out[-1][1].append(new.mark)
        last = (old, new)
    return out


def mark_moved(taken: list[TokenItem | MarkItem], put: list[TokenItem | MarkItem], move: Revision | None) -> None:
    """Mark sentences' words (and paragraph mark) as moved by `move`: all of them where they were; where they
    went, those they had before (words put in stay insertions of the commit, words taken out show only where they
    were, as in a paragraph moved). With no `move` (words inserted since FROM, gone where they were), those they
    had before keep where they went the revision that put them in."""
    if move is not None:
        for item in taken:
            item.dele = move
    for edit in diff_sequences([t.key for t in taken], [t.key for t in put]):
        for j in range(edit.b0, edit.b1):
            item = put[j]
            if edit.op == "equal":
                item.ins = move or taken[edit.a0 + j - edit.b0].ins
            elif move is not None and type(item) is TokenItem and item.token.text.isspace():  # no word put in
                item.ins = move
