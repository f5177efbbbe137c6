"""Text laid out for a merge: split_words tokens grouped into paragraphs, and the two-level diff built on them
(paragraphs matched whole first, then words inside the runs of changed paragraphs). The three-way merge and the
Word mapping both diff with these tools."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, pairwise

from wtpf_cli.diff.sequences import Edit, diff_sequences
from wtpf_cli.markdown.tokens import split_words

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")  # a blank line between two lines of text


def token_rank(token: Hashable) -> int:
    """The rank diff_sequences aligns a token at: words and marks 0, whitespace with a line feed 1, other spaces 2."""
    text = str(token)
    if text.isspace():
        return 1 if "\n" in text else 2
    return 0


class _Ranks(dict[str, int]):
    """The token_rank of each token met (a report has a few hundred thousand tokens but few distinct ones)."""

    def __missing__(self, token: str) -> int:
        if len(self) > 1 << 16:
            self.clear()
        found = self[token] = token_rank(token)
        return found


_RANKS = _Ranks()


def ranked_diff(a: list[str], b: list[str]) -> list[Edit]:
    """diff_sequences(a, b, rank=token_rank), each distinct token ranked once."""
    return diff_sequences(a, b, ranks=(list(map(_RANKS.__getitem__, a)), list(map(_RANKS.__getitem__, b))))


@lru_cache(maxsize=8192)
def word_diff(x: tuple[str, ...], y: tuple[str, ...]) -> tuple[Edit, ...]:
    """The word diff of two runs of paragraphs. Kept for the run: in a merge, the paragraphs that the draft has
    changed since the base are diffed again for every contribution (Edits are frozen, so sharing them is safe)."""
    ranks = (list(map(_RANKS.__getitem__, x)), list(map(_RANKS.__getitem__, y)))
    return tuple(diff_sequences(x, y, ranks=ranks))


def _breaks(tokens: list[str]) -> list[bool]:
    """For each token, whether it is a blank-line separator (whitespace with two line feeds or more); each distinct
    token is tested once (a report has a few hundred thousand tokens but few distinct ones)."""
    seps = {t for t in set(tokens) if t.isspace() and t.count("\n") >= 2}
    return list(map(seps.__contains__, tokens))


def paragraph_spans(tokens: list[str]) -> list[tuple[int, int]]:
    """Token ranges of paragraphs, each with the blank-line separator that ends it (the last one may lack it)."""
    ends = list(compress(range(1, len(tokens) + 1), _breaks(tokens)))
    if not ends or ends[-1] < len(tokens):
        ends.append(len(tokens))
    return list(zip([0, *ends[:-1]], ends, strict=True)) if tokens else []


@dataclass(frozen=True, slots=True)
class TextLayout:
    """A text as split_words tokens, with the token range and the text of each paragraph (see paragraph_spans)."""

    tokens: list[str]
    spans: list[tuple[int, int]]
    keys: list[str]


def laid_out(tokens: list[str]) -> TextLayout:
    """Tokens with their paragraphs, for two_level_diff (a text diffed many times is laid out once)."""
    spans = paragraph_spans(tokens)
    return TextLayout(tokens, spans, ["".join(tokens[a:b]) for a, b in spans])


# A blank-line separator token (a whitespace run, \s+ being maximal in split_words, with two line feeds or more),
# from its first two line feeds (with only other whitespace between) to the end of the run. It starts with a literal,
# which the regex engine searches for quickly; the match then takes the rest of the run whole, so the next search
# starts after it.
_SEPARATOR = re.compile(r"\n[^\S\n]*\n\s*")


def paragraph_keys(text: str) -> list[str]:
    """The paragraphs of text, each with the blank-line separator that ends it (none for an empty text)."""
    ends = [m.end() for m in _SEPARATOR.finditer(text)]
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    return [text[a:b] for a, b in pairwise([0, *ends]) if b > a]


def layout_of_paragraphs(keys: list[str]) -> TextLayout:
    """The layout of the text made of these paragraphs."""
    per = list(map(paragraph_tokens, keys))
    offsets = list(accumulate(map(len, per), initial=0))
    return TextLayout(list(chain.from_iterable(per)), list(pairwise(offsets)), keys)


@lru_cache(maxsize=8)
def text_layout(text: str) -> TextLayout:
    """laid_out(split_words(text)), made paragraph by paragraph (tokens never cross a whitespace run), so that the
    paragraphs a merge sees again (the base, the draft's unchanged ones) are not split again
    (tests/test_merge_layout.py checks that both give the same)."""
    return layout_of_paragraphs(paragraph_keys(text))


@lru_cache(maxsize=8192)
def paragraph_tokens(paragraph: str) -> tuple[str, ...]:
    """split_words of a paragraph, kept for the run: a merge sees most paragraphs many times."""
    return tuple(split_words(paragraph))


def two_level_diff(tx: TextLayout, ty: TextLayout) -> list[tuple[str, int, int, int, int]]:
    """Edits from x's tokens to y's: paragraphs matched whole first, then words inside the runs of changed
    paragraphs (so that a repeated word or full stop is never matched across paragraphs)."""
    x, px, kx, y, py, ky = tx.tokens, tx.spans, tx.keys, ty.tokens, ty.spans, ty.keys
    out: list[tuple[str, int, int, int, int]] = []
    for e in paragraph_diff(kx, ky):
        xa = px[e.a0][0] if e.a0 < len(px) else len(x)
        xb = px[e.a1 - 1][1] if e.a1 > e.a0 else xa
        ya = py[e.b0][0] if e.b0 < len(py) else len(y)
        yb = py[e.b1 - 1][1] if e.b1 > e.b0 else ya
        if e.op == "equal":
            out.append(("equal", xa, xb, ya, yb))
            continue
        out.append(("change", xa, xb, ya, yb))
    # Refine each change (a run of changed paragraphs, possibly next to a pure insertion) word by word.
    refined: list[tuple[str, int, int, int, int]] = []
    k = 0
    while k < len(out):
        op, xa, xb, ya, yb = out[k]
        if op == "equal":
            refined.append(out[k])
            k += 1
            continue
        while k + 1 < len(out) and out[k + 1][0] == "change":
            k += 1
            xb, yb = out[k][2], out[k][4]
        for e in word_diff(tuple(x[xa:xb]), tuple(y[ya:yb])):
            refined.append((e.op, xa + e.a0, xa + e.a1, ya + e.b0, ya + e.b1))
        k += 1
    return refined


def paragraph_diff(kx: list[str], ky: list[str]) -> list[Edit]:
    """diff_sequences(kx, ky), cut first at the paragraphs that occur once on each side, in the same order (the
    anchors of a patience diff), so that only the stretches between them are diffed: one diff of the whole
    report's paragraphs costs O(N x D) in diff-match-patch's pure-Python bisection, and D grows with every
    contribution merged."""
    once_x = {k for k, n in Counter(kx).items() if n == 1}
    counts_y = Counter(ky)
    at_y = {k: j for j, k in enumerate(ky) if counts_y[k] == 1}
    pairs = [(i, at_y[k]) for i, k in enumerate(kx) if k in at_y and k in once_x]
    script = EditScript()
    pa = pb = 0
    for i, j in [*_increasing(pairs), (len(kx), len(ky))]:
        if i > pa or j > pb:
            script.diff(kx[pa:i], ky[pb:j], pa, pb)
        if i < len(kx):
            script.equal(i, j, 1)
        pa, pb = i + 1, j + 1
    return script.done()


class EditScript:
    """An edit script written in order, an equality that continues the one before joined to it."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []
        self.run: list[int] = []  # the equal run being built: a0, b0, length

    def equal(self, a0: int, b0: int, n: int) -> None:
        """Items a0:a0 + n are items b0:b0 + n."""
        run = self.run
        if run and run[0] + run[2] == a0 and run[1] + run[2] == b0:
            run[2] += n
        else:
            self._close()
            run.extend((a0, b0, n))

    def diff(self, x: list[str], y: list[str], pa: int, pb: int) -> None:
        """The edits of diff_sequences(x, y), x and y being the items from pa and from pb on."""
        for e in diff_sequences(x, y):
            if e.op == "equal":
                self.equal(pa + e.a0, pb + e.b0, e.a1 - e.a0)
            else:
                self._close()
                self.edits.append(Edit(e.op, pa + e.a0, pa + e.a1, pb + e.b0, pb + e.b1))

    def done(self) -> list[Edit]:
        """The edits written."""
        self._close()
        return self.edits

    def _close(self) -> None:
        if self.run:
            a0, b0, n = self.run
            self.edits.append(Edit("equal", a0, a0 + n, b0, b0 + n))
            self.run.clear()


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of `pairs` (in order of their first item) whose second items increase (patience sorting)."""
    seconds = [j for _i, j in pairs]
    if seconds == sorted(seconds):  # nothing moved: the whole list (the common case, found in C)
        return pairs
    tails: list[int] = []  # tails[n]: index in pairs of the run of length n + 1 that ends with the smallest item
    ends: list[int] = []  # that smallest second item, for each tails[n]
    back: list[int] = []
    for n, (_i, j) in enumerate(pairs):
        k = bisect_left(ends, j)
        back.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(n)
            ends.append(j)
        else:
            tails[k] = n
            ends[k] = j
    out: list[tuple[int, int]] = []
    n = tails[-1] if tails else -1
    while n >= 0:
        out.append(pairs[n])
        n = back[n]
    return out[::-1]
