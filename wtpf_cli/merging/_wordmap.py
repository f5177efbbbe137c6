"""Speed only: the Word mapping's shortcuts, so that a contribution is read in time proportional to what it
changes, not to the report's length.

proposed_body (wordmap.py) with them must give what the plain mapping gives: `_proposal_plain` in
tests/support/wordmap_reference.py, which aligns the base with its source in one token map (`aligned` there) and
diffs the whole accepted view with the base's plain text (`wordmap._hunks`); tests/test_wordmap_fast.py compares the
two, and paragraph_edits with layout.paragraph_diff.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import compress, islice, repeat
from operator import add, eq, lt, mul, ne, sub

from wtpf_cli.diff.sequences import Edit
from wtpf_cli.merging.layout import EditScript, TextLayout, paragraph_diff, paragraph_tokens, ranked_diff


def hunks_by_paragraph(
    layout: TextLayout, anchors: tuple[list[int], list[str]], body: list[str], notes: list[str]
) -> list[tuple[int, int, str]]:
    """The hunks of the accepted view (its non-empty body and note paragraphs, none with a blank line inside)
    against the base's plain text (`layout`, whose paragraph keys that occur once are `anchors`: their places,
    themselves): base plain tokens a0:a1 and the text that replaces them, as wordmap._hunks of the whole view gives
    them. The view is not split and laid out whole: only the paragraphs that differ from the base's are split into
    words (a contribution changes a few dozen of a report's thousands)."""
    # The paragraphs of laid_out(_tokens(accept) + ["\n\n\n"] + _tokens(accept_notes)): each with the separator
    # after it, the body's last with the three line feeds before the notes (alone when the body is empty).
    paras = [*body, *notes] if body else ["", *notes]
    seps = ["\n\n"] * len(paras)
    seps[len(body) - 1 if body else 0] = "\n\n\n"
    if notes:
        seps[-1] = ""
    keys = [p + s for p, s in zip(paras, seps, strict=True)]
    x, px = layout.tokens, layout.spans
    edits = paragraph_edits(layout.keys, anchors, keys)
    hunks: list[tuple[int, int, str]] = []
    k = 0
    while k < len(edits):
        if edits[k].op == "equal":
            k += 1
            continue
        first = edits[k]  # a run of changed paragraphs, diffed word by word as layout.two_level_diff does
        while k + 1 < len(edits) and edits[k + 1].op != "equal":
            k += 1
        last = edits[k]
        k += 1
        xa = px[first.a0][0] if first.a0 < len(px) else len(x)
        xb = px[last.a1][0] if last.a1 < len(px) else len(x)
        y: list[str] = []
        for j in range(first.b0, last.b1):
            y.extend(paragraph_tokens(paras[j]))
            if seps[j]:
                y.append(seps[j])
        hunks.extend((xa + a0, xa + a1, text) for a0, a1, text in word_hunks(tuple(x[xa:xb]), tuple(y)))
    return hunks


def word_hunks(x: tuple[str, ...], y: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """The runs of changes of the word diff of x and y: (x0, x1, the text of y that replaces x[x0:x1])."""
    hunks: list[tuple[int, int, str]] = []
    pending: list[Edit] = []
    for e in [*ranked_diff(list(x), list(y)), None]:
        if e is not None and e.op != "equal":
            pending.append(e)
        elif pending:
            hunks.append((pending[0].a0, pending[-1].a1, "".join(y[pending[0].b0 : pending[-1].b1])))
            pending = []
    return hunks


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


_WORDS_RE = re.compile(r"\w+(?:['’\-]\w+)*")  # the words of split_words (its tokens that start with a word character)


def alignment_blocks(plain: TextLayout, source: TextLayout) -> list[tuple[int, int, int, int]]:
    """The token ranges (a0, a1, b0, b1) that `aligned` (tests/support/wordmap_reference.py) diffs, each alone: the
    pairs of paragraphs matched by their words and the runs between matches (in order; runs with no plain token left
    out)."""
    spans_a, spans_b = plain.spans, source.spans
    n_a, n_b = len(plain.tokens), len(source.tokens)
    keys_a = [" ".join(_WORDS_RE.findall(k)) for k in plain.keys]
    keys_b = [" ".join(_WORDS_RE.findall(k)) for k in source.keys]
    blocks: list[tuple[int, int, int, int]] = []
    pending: list[Edit] = []

    def start(spans: list[tuple[int, int]], k: int, n: int) -> int:
        return spans[k][0] if k < len(spans) else n

    def flush() -> None:
        if pending:
            a0, a1 = start(spans_a, pending[0].a0, n_a), start(spans_a, pending[-1].a1, n_a)
            b0, b1 = start(spans_b, pending[0].b0, n_b), start(spans_b, pending[-1].b1, n_b)
            if a1 > a0:
                blocks.append((a0, a1, b0, b1))
            pending.clear()

    for e in paragraph_diff(keys_a, keys_b):
        if e.op != "equal":
            pending.append(e)
            continue
        flush()
        blocks.extend(
            (*spans_a[e.a0 + k], *spans_b[e.b0 + k])
            for k in range(e.a1 - e.a0)
            if spans_a[e.a0 + k][1] > spans_a[e.a0 + k][0]
        )
    flush()
    return blocks


@dataclass(slots=True)
class Alignment:
    """Plain-text token -> Markdown source token, as `aligned` (tests/support/wordmap_reference.py) gives it, made
    block by block when first asked (a contribution looks at a few dozen places of the base: aligning all of it
    would cost more than reading the contribution)."""

    plain: list[str]
    source: list[str]
    blocks: list[tuple[int, int, int, int]]
    starts: list[int] = field(init=False)
    maps: dict[int, dict[int, int]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = [b[0] for b in self.blocks]

    def _map(self, n: int) -> dict[int, int]:
        """The token map of block n (as `aligned` makes it for that range)."""
        found = self.maps.get(n)
        if found is None:
            a0, a1, b0, b1 = self.blocks[n]
            if self.plain[a0:a1] == self.source[b0:b1]:
                found = dict(zip(range(a0, a1), range(b0, b1), strict=True))
            else:
                found = {}
                for e in ranked_diff(self.plain[a0:a1], self.source[b0:b1]):
                    if e.op == "equal":
                        found.update(zip(range(a0 + e.a0, a0 + e.a1), range(b0 + e.b0, b0 + e.b1), strict=True))
            self.maps[n] = found
        return found

    def get(self, k: int) -> int | None:
        """The source token of plain token k, or None."""
        n = bisect_right(self.starts, k) - 1
        if n < 0 or k >= self.blocks[n][1]:
            return None
        return self._map(n).get(k)

    def after(self, k: int, default: int) -> int:
        """The source token of the first plain token from k on that has one (default if none)."""
        for n in range(max(bisect_right(self.starts, k) - 1, 0), len(self.blocks)):
            found = self._map(n)
            for j in range(max(k, self.blocks[n][0]), self.blocks[n][1]):
                if j in found:
                    return found[j]
        return default

    def before(self, k: int) -> int:
        """The source token of the last plain token before k that has one (-1 if none)."""
        for n in range(bisect_right(self.starts, k - 1) - 1, -1, -1):
            found = self._map(n)
            for j in range(min(k, self.blocks[n][1]) - 1, self.blocks[n][0] - 1, -1):
                if j in found:
                    return found[j]
        return -1
