"""Merge contributions into the current draft: a three-way word merge of base -> proposal onto base -> current.

Each contribution states what its source proposes as a whole draft (a revised Markdown file, or the accepted
view of its CriticMarkup). Its changes against the version it commented on are re-anchored on the current draft,
which may have moved on. A change whose words another source has changed since that version is kept beside
the current text as a bracketed alternative, in the form

    [[United States: the current words]] [[Brazil: the proposed words]]

(double square brackets, the source's name, a colon), which `wtpf resolve` settles. A change whose context is
gone altogether is listed in the report, never dropped.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, chain, compress, pairwise, repeat
from pathlib import Path

from wtpf_cli._forked import spare_core
from wtpf_cli.diff.sequences import Edit, diff_sequences
from wtpf_cli.errors import InputRejected, UsageError
from wtpf_cli.markdown.draft import split_front_matter, split_words
from wtpf_cli.store.contributions import Contribution, list_contributions, render_contribution, source_identity
from wtpf_cli.store.git import Identity
from wtpf_cli.store.transaction import Change
from wtpf_cli.store.workspace import Workspace, decode_text, encode_like, require_clean, uses_crlf, workspace_lock

ALTERNATIVE_RE = re.compile(r"\[\[([^\[\]:]+): ((?:[^\[\]]|\[(?!\[)|\](?!\]))*)\]\]")
_CRITIC_ADD = re.compile(r"\{\+\+(.*?)\+\+\}", re.S)
_CRITIC_DEL = re.compile(r"\{--(.*?)--\}", re.S)
_CRITIC_SUB = re.compile(r"\{~~(.*?)~>(.*?)~~\}", re.S)
_CRITIC_COMMENT = re.compile(r"\{>>(.*?)<<\}", re.S)
_CRITIC_HIGHLIGHT = re.compile(r"\{==(.*?)==\}", re.S)


@dataclass(frozen=True, slots=True)
class Hunk:
    """One change a contribution proposes: base tokens [start, end) become `new`."""

    start: int
    end: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one contribution in a merge."""

    contribution: Contribution
    changes: int
    applied: int
    conflicts: tuple[Hunk, ...]
    unplaced: tuple[Hunk, ...]
    commit: str | None
    status: str
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "id": self.contribution.id,
            "source": self.contribution.source,
            "status": self.status,
            "changes": self.changes,
            "applied": self.applied,
            "conflicts": [h.new for h in self.conflicts],
            "unplaced": [h.new for h in self.unplaced],
            "commit": self.commit,
            "warnings": list(self.warnings),
        }


def critic_views(text: str) -> tuple[str, str, list[str]]:
    """(accepted text, rejected text, comments) of a CriticMarkup document."""
    comments = [c.strip() for c in _CRITIC_COMMENT.findall(text)]
    no_comments = _CRITIC_HIGHLIGHT.sub(r"\1", _CRITIC_COMMENT.sub("", text))
    accepted = _CRITIC_SUB.sub(r"\2", _CRITIC_DEL.sub("", _CRITIC_ADD.sub(r"\1", no_comments)))
    rejected = _CRITIC_SUB.sub(r"\1", _CRITIC_DEL.sub(r"\1", _CRITIC_ADD.sub("", no_comments)))
    return accepted, rejected, comments


def _rank(token: Hashable) -> int:
    text = str(token)
    if text.isspace():
        return 1 if "\n" in text else 2
    return 0


def _breaks(tokens: list[str]) -> list[bool]:
    """For each token, whether it is a blank-line separator (whitespace with two line feeds or more); each distinct
    token is tested once (a report has a few hundred thousand tokens but few distinct ones)."""
    seps = {t for t in set(tokens) if t.isspace() and t.count("\n") >= 2}
    return list(map(seps.__contains__, tokens))


def _paragraph_spans(tokens: list[str]) -> list[tuple[int, int]]:
    """Token ranges of paragraphs, each with the blank-line separator that ends it."""
    ends = list(compress(range(1, len(tokens) + 1), _breaks(tokens)))
    if not ends or ends[-1] < len(tokens):
        ends.append(len(tokens))
    return list(zip([0, *ends[:-1]], ends, strict=True)) if tokens else []


@dataclass(frozen=True, slots=True)
class TextLayout:
    """A text as split_words tokens, with the token range and the text of each paragraph (see _paragraph_spans)."""

    tokens: list[str]
    spans: list[tuple[int, int]]
    keys: list[str]


# A blank-line separator token (a whitespace run, \s+ being maximal in split_words, with two line feeds or more),
# from its first two line feeds (with only other whitespace between) to the end of the run. It starts with a literal,
# which the regex engine searches for quickly; the match then takes the rest of the run whole, so the next search
# starts after it.
_SEPARATOR = re.compile(r"\n[^\S\n]*\n\s*")


def _paragraph_keys(text: str) -> list[str]:
    """The paragraphs of text, each with the blank-line separator that ends it (none for an empty text)."""
    ends = [m.end() for m in _SEPARATOR.finditer(text)]
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    return [text[a:b] for a, b in pairwise([0, *ends]) if b > a]


def _laid_out_keys(keys: list[str]) -> TextLayout:
    """The layout of the text made of these paragraphs."""
    per = list(map(paragraph_tokens, keys))
    offsets = list(accumulate(map(len, per), initial=0))
    return TextLayout(list(chain.from_iterable(per)), list(pairwise(offsets)), keys)


@lru_cache(maxsize=8)
def _layout(text: str) -> TextLayout:
    """split_words(text) with its paragraphs, made paragraph by paragraph (tokens never cross a whitespace run), so
    that the paragraphs a merge sees again (the base, the draft's unchanged ones) are not split again."""
    return _laid_out_keys(_paragraph_keys(text))


@lru_cache(maxsize=8192)
def paragraph_tokens(paragraph: str) -> tuple[str, ...]:
    """split_words of a paragraph, kept for the run: a merge sees most paragraphs many times."""
    return tuple(split_words(paragraph))


def two_level_diff(x: list[str], y: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Edits from x to y: paragraphs matched whole first, then words inside the runs of changed paragraphs
    (so that a repeated word or full stop is never matched across paragraphs)."""
    return _two_level(laid_out(x), laid_out(y))


def laid_out(tokens: list[str]) -> TextLayout:
    """Tokens with their paragraphs, for two_level_diff_of (a text diffed many times is laid out once)."""
    spans = _paragraph_spans(tokens)
    return TextLayout(tokens, spans, ["".join(tokens[a:b]) for a, b in spans])


def two_level_diff_of(x: TextLayout, y: TextLayout) -> list[tuple[str, int, int, int, int]]:
    """two_level_diff of laid-out tokens."""
    return _two_level(x, y)


def _two_level(tx: TextLayout, ty: TextLayout) -> list[tuple[str, int, int, int, int]]:
    """two_level_diff of two laid-out texts."""
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
        for e in _word_diff(tuple(x[xa:xb]), tuple(y[ya:yb])):
            refined.append((e.op, xa + e.a0, xa + e.a1, ya + e.b0, ya + e.b1))
        k += 1
    return refined


class _Ranks(dict[str, int]):
    """The _rank of each token met (a report has a few hundred thousand tokens but few distinct ones)."""

    def __missing__(self, token: str) -> int:
        if len(self) > 1 << 16:
            self.clear()
        found = self[token] = _rank(token)
        return found


_RANKS = _Ranks()


@lru_cache(maxsize=8192)
def _word_diff(x: tuple[str, ...], y: tuple[str, ...]) -> tuple[Edit, ...]:
    """The word diff of two runs of paragraphs. Kept for the run: in a merge, the paragraphs that the draft has
    changed since the base are diffed again for every contribution (Edits are frozen, so sharing them is safe)."""
    ranks = (list(map(_RANKS.__getitem__, x)), list(map(_RANKS.__getitem__, y)))
    return tuple(diff_sequences(x, y, ranks=ranks))


def paragraph_diff(kx: list[str], ky: list[str]) -> list[Edit]:
    """diff_sequences(kx, ky), cut first at the paragraphs that occur once on each side, in the same order (the
    anchors of a patience diff), so that only the stretches between them are diffed: one diff of the whole
    report's paragraphs costs O(N x D) in diff-match-patch's pure-Python bisection, and D grows with every
    contribution merged."""
    once_x = {k for k, n in Counter(kx).items() if n == 1}
    counts_y = Counter(ky)
    at_y = {k: j for j, k in enumerate(ky) if counts_y[k] == 1}
    pairs = [(i, at_y[k]) for i, k in enumerate(kx) if k in at_y and k in once_x]
    edits: list[Edit] = []
    run: list[int] = []  # the equal run being built: a0, b0, length

    def close() -> None:
        if run:
            a0, b0, n = run
            edits.append(Edit("equal", a0, a0 + n, b0, b0 + n))
            run.clear()

    pa = pb = 0
    for i, j in [*_increasing(pairs), (len(kx), len(ky))]:
        if i > pa or j > pb:
            for e in diff_sequences(kx[pa:i], ky[pb:j]):
                a0, b0 = pa + e.a0, pb + e.b0
                if e.op == "equal" and run and run[0] + run[2] == a0 and run[1] + run[2] == b0:
                    run[2] += e.a1 - e.a0
                    continue
                close()
                if e.op == "equal":
                    run.extend((a0, b0, e.a1 - e.a0))
                else:
                    edits.append(Edit(e.op, a0, pa + e.a1, b0, pb + e.b1))
        if i < len(kx):
            if run and run[0] + run[2] == i and run[1] + run[2] == j:
                run[2] += 1
            else:
                close()
                run.extend((i, j, 1))
        pa, pb = i + 1, j + 1
    close()
    return edits


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


def proposal_hunks(base: list[str], proposal: list[str]) -> list[Hunk]:
    """The changes from base to proposal, as replaced token ranges of the base."""
    return _hunks_of(base, proposal, two_level_diff(base, proposal))


def _hunks_of(base: list[str], proposal: list[str], edits: list[tuple[str, int, int, int, int]]) -> list[Hunk]:
    """proposal_hunks from the two_level_diff `edits` of base and proposal."""
    hunks: list[Hunk] = []
    pending: list[tuple[int, int, int, int]] = []

    def close() -> None:
        if pending:
            a0, b0 = pending[0][0], pending[0][2]
            a1, b1 = pending[-1][1], pending[-1][3]
            hunks.append(Hunk(a0, a1, "".join(base[a0:a1]), "".join(proposal[b0:b1])))
            pending.clear()

    for op, a0, a1, b0, b1 in edits:
        if op == "equal":
            close()
        else:
            pending.append((a0, a1, b0, b1))
    close()
    return hunks


def _hunks_against(tb: TextLayout, proposal: str) -> list[Hunk]:
    """proposal_hunks of a laid-out base and a proposal, as _hunks_of(_two_level(...)) finds them, the proposal
    split into tokens only where its paragraphs differ from the base's (most are the base's own)."""
    b, spans = tb.tokens, tb.spans
    keys = _paragraph_keys(proposal)
    edits = paragraph_diff(tb.keys, keys)
    hunks: list[Hunk] = []
    k = 0
    while k < len(edits):
        e = edits[k]
        k += 1
        if e.op == "equal":
            continue
        a0, a1, b0, b1 = e.a0, e.a1, e.b0, e.b1
        while k < len(edits) and edits[k].op != "equal":  # a run of changed paragraphs, diffed word by word
            a1, b1 = edits[k].a1, edits[k].b1
            k += 1
        xa = spans[a0][0] if a0 < len(spans) else len(b)
        xb = spans[a1 - 1][1] if a1 > a0 else xa
        y = tuple(chain.from_iterable(map(paragraph_tokens, keys[b0:b1])))
        pending: list[Edit] = []
        for w in [*_word_diff(tuple(b[xa:xb]), y), None]:
            if w is not None and w.op != "equal":
                pending.append(w)
            elif pending:
                lo, hi = xa + pending[0].a0, xa + pending[-1].a1
                hunks.append(Hunk(lo, hi, "".join(b[lo:hi]), "".join(y[pending[0].b0 : pending[-1].b1])))
                pending = []
    return hunks


def merge_text(
    base: str, current: str, proposal: str, source: str, current_label: Callable[[int], str]
) -> tuple[str, int, list[Hunk], list[Hunk]]:
    """Apply base->proposal onto current. Returns (merged text, applied, conflicts, unplaced)."""
    done = _merge(base, current, proposal, source, current_label, None)
    return done.text, done.applied, done.conflicts, done.unplaced


@dataclass(frozen=True, slots=True)
class BaseMap:
    """Where the tokens of a base text stand in a current text (the equal runs of base -> current): the diff of
    the two, or what the edits of the contributions merged since made of it."""

    base: str
    current: str
    layout: TextLayout  # of current
    runs: _RunMap
    held: _RunMap  # base tokens standing among the current words of a bracket

    def layout_for(self, base: str, current: str) -> TextLayout | None:
        """The layout of current when this map is from base to it."""
        return self.layout if self.base == base and self.current == current else None


@dataclass(frozen=True, slots=True)
class Merged:
    """merge_text's result, with the edits it made to the current text's tokens ([lo, hi) replaced by text, in
    order) and the base map of the merged text (None where its tokens are not those of the edits)."""

    text: str
    applied: int
    conflicts: list[Hunk]
    unplaced: list[Hunk]
    edits: list[tuple[int, int, str]]
    to_merged: BaseMap | None


def _base_map(tb: TextLayout, tc: TextLayout) -> _RunMap:
    """Base token -> current token over the equal runs of their two-level diff."""
    to_c = _RunMap()
    for op, a0, a1, b0, _b1 in _two_level(tb, tc):
        if op == "equal":
            to_c.add(a0, a1, b0)
    return to_c


def _merge(
    base: str,
    current: str,
    proposal: str,
    source: str,
    current_label: Callable[[int], str],
    known: BaseMap | None,
) -> Merged:
    """merge_text, given (when it is for these texts) where the base's tokens stand in the current text: in a merge
    run, the base map of the draft a contribution was merged into, moved by its edits. A fresh diff of base ->
    current would cost more with every contribution merged (the draft drifts from the base), and could align a
    word of the base with a like word a contribution brought in."""
    tb = _layout(base)
    b = tb.tokens
    hunks = _hunks_against(tb, proposal)
    tc = known.layout_for(base, current) if known is not None else None
    if known is not None and tc is not None:
        to_c, held = known.runs, known.held
    else:
        tc = _layout(current)
        to_c, held = _base_map(tb, tc), _RunMap()
    c = tc.tokens
    starts = [start for start, _end in tb.spans]

    def surviving(lo: int, hi: int) -> bool:
        """Whether a paragraph of the base with a token in [lo, hi) has a token still in the draft (in its words
        or among the current words of a bracket)."""
        first, last = bisect_right(starts, lo) - 1, bisect_right(starts, hi - 1) - 1
        spans = tb.spans[max(first, 0) : last + 1] if lo < hi else []
        return any(to_c.covers(*span) or held.covers(*span) for span in spans)

    edits: list[tuple[int, int, str, bool]] = []  # (start, end) in current tokens, replacement text, a bracket?
    applied = 0
    conflicts: list[Hunk] = []
    unplaced: list[Hunk] = []
    n = 0
    while n < len(hunks):
        h = hunks[n]
        n += 1
        placed = _place(h, to_c, len(b), len(c))
        if placed is not None:
            edits.append((placed[0], placed[1], h.new, False))
            applied += 1
            continue
        # Another source changed these words since the base: both versions stay, bracketed, between the
        # nearest words of the base that still stand (kl, kr); later changes of this contribution inside that
        # stretch go into the same bracket.
        kl = to_c.at_or_before(h.start - 1)
        kr = to_c.at_or_after(h.end, len(b))
        group = [h]
        while n < len(hunks) and hunks[n].start < kr:
            group.append(hunks[n])
            kr = max(kr, to_c.at_or_after(hunks[n].end, len(b)))
            n += 1
        left = to_c[kl] + 1 if kl >= 0 else 0
        right = to_c[kr] if kr < len(b) else len(c)
        touched = any(surviving(max(g.start - 1, 0), min(g.end + 1, len(b))) for g in group)
        overlaps = any(lo < right and left < hi for lo, hi, _, _ in edits)
        if left > right or overlaps or not touched:
            unplaced.extend(group)  # the context is gone: reported, never dropped
            continue
        current_text = "".join(c[left:right])
        core = current_text.strip()
        ws_left = current_text[: len(current_text) - len(current_text.lstrip())]
        ws_right = current_text[len(current_text.rstrip()) :] if core else ""
        proposed = _proposed_span(b, group, kl + 1, kr).strip() or "(delete)"
        label = current_label(left)
        bracket = f"{ws_left}[[{label}: {core or '(nothing)'}]] [[{source}: {proposed}]]{ws_right}"
        edits.append((left, right, bracket, True))
        conflicts.extend(group)
    made: list[tuple[int, int, str, bool]] = []
    pos = 0
    for lo, hi, text, in_brackets in sorted(edits, key=lambda e: (e[0], e[1])):
        if lo < pos:
            continue
        made.append((lo, hi, text, in_brackets))
        pos = hi
    edited = _edited_layout(tc, made)
    if edited is None:  # an edit's words join a word beside them: the merged text is laid out afresh
        out: list[str] = []
        pos = 0
        for lo, hi, text, _in_brackets in made:
            out += c[pos:lo]
            out.append(text)
            pos = hi
        out += c[pos:]
        return Merged("".join(out), applied, conflicts, unplaced, [e[:3] for e in made], None)
    layout, sizes = edited
    merged = "".join(layout.keys)
    # Base words a bracket took in stand there among the current words: they are held (see surviving above).
    runs, taken = to_c.after_edits([(lo, hi, n, e[3]) for (lo, hi, n), e in zip(sizes, made, strict=True)])
    now_held = _RunMap()
    for a0, a1 in sorted([*zip(held.starts, held.ends, strict=True), *taken]):
        now_held.add(a0, a1, 0)
    moved = BaseMap(base, merged, layout, runs, now_held)
    return Merged(merged, applied, conflicts, unplaced, [e[:3] for e in made], moved)


def _edited_layout(
    tc: TextLayout, made: list[tuple[int, int, str, bool]]
) -> tuple[TextLayout, list[tuple[int, int, int]]] | None:
    """The layout of the current text with the edits made ([lo, hi) replaced by text, in order), and the number of
    tokens each edit put in: the paragraphs are split again only from the one before an edit's first token to the
    one holding the token after it (the blank lines around these stand). None where the edits' words do not split
    as they stand between the current tokens (one joins a word beside it)."""
    c, spans, keys = tc.tokens, tc.spans, tc.keys
    if not c:
        return None
    starts = [start for start, _end in spans]
    groups: list[tuple[int, int, list[tuple[int, int, str, bool]]]] = []  # paragraphs [p0, p1] and their edits
    for e in made:
        p0 = bisect_right(starts, max(e[0] - 1, 0)) - 1
        p1 = bisect_right(starts, min(e[1], len(c) - 1)) - 1
        if groups and p0 <= groups[-1][1]:
            groups[-1] = (groups[-1][0], max(groups[-1][1], p1), [*groups[-1][2], e])
        else:
            groups.append((p0, p1, [e]))
    new_keys: list[str] = []
    lengths: list[int] = []
    tokens: list[str] = []
    sizes: list[tuple[int, int, int]] = []
    p = t = 0  # the next paragraph and token of tc to copy
    for p0, p1, group in groups:
        new_keys += keys[p:p0]
        lengths += [end - start for start, end in spans[p:p0]]
        ta, tz = spans[p0][0], spans[p1][1]
        tokens += c[t:ta]
        stitched: list[str] = []
        pieces: list[str] = []
        pos = ta
        for lo, hi, text, _in_brackets in group:
            words = split_words(text)
            stitched += c[pos:lo]
            stitched += words
            pieces += [*c[pos:lo], text]
            sizes.append((lo, hi, len(words)))
            pos = hi
        stitched += c[pos:tz]
        pieces += c[pos:tz]
        part = _laid_out_keys(_paragraph_keys("".join(pieces)))
        if part.tokens != stitched:
            return None
        new_keys += part.keys
        lengths += [end - start for start, end in part.spans]
        tokens += part.tokens
        p, t = p1 + 1, tz
    new_keys += keys[p:]
    lengths += [end - start for start, end in spans[p:]]
    tokens += c[t:]
    return TextLayout(tokens, list(pairwise(accumulate(lengths, initial=0))), new_keys), sizes


def _proposed_span(base: list[str], hunks: list[Hunk], start: int, end: int) -> str:
    """The proposal's text for base tokens [start, end): the base with these hunks applied."""
    out: list[str] = []
    k = start
    for h in hunks:
        out.extend(base[k : h.start])
        out.append(h.new)
        k = max(k, h.end)
    out.extend(base[k:end])
    return "".join(out)


class _RunMap:
    """Base token -> current token, over the equal runs of their diff (added in order): a dict of every token of
    the report cost more than the rest of a contribution's placement."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.targets: list[int] = []

    def add(self, a0: int, a1: int, b0: int) -> None:
        """Base tokens [a0, a1) are current tokens from b0 on."""
        if a1 > a0:
            self.starts.append(a0)
            self.ends.append(a1)
            self.targets.append(b0)

    def get(self, k: int) -> int | None:
        """The current token of base token k, or None."""
        i = bisect_right(self.starts, k) - 1
        return self.targets[i] + k - self.starts[i] if i >= 0 and k < self.ends[i] else None

    def __contains__(self, k: int) -> bool:
        return self.get(k) is not None

    def at_or_before(self, k: int) -> int:
        """The last mapped base token at or before k, or -1."""
        i = bisect_right(self.starts, k) - 1
        return -1 if i < 0 else min(k, self.ends[i] - 1)

    def at_or_after(self, k: int, none: int) -> int:
        """The first mapped base token at or after k, or `none`."""
        i = bisect_right(self.starts, k) - 1
        if i >= 0 and k < self.ends[i]:
            return k
        return self.starts[i + 1] if i + 1 < len(self.starts) else none

    def covers(self, lo: int, hi: int) -> bool:
        """Whether a base token of [lo, hi) is mapped."""
        i = bisect_left(self.starts, hi) - 1  # the last run starting before hi: runs are ordered and disjoint
        return lo < hi and i >= 0 and self.ends[i] > lo

    def after_edits(self, edits: list[tuple[int, int, int, bool]]) -> tuple[_RunMap, list[tuple[int, int]]]:
        """The map once current tokens [lo, hi) are replaced by n tokens each (`edits` (lo, hi, n, kept) in order,
        not overlapping): replaced tokens leave the map, the others move by what was inserted and removed before
        them. Also the base tokens [a0, a1) replaced by edits marked `kept`."""
        out = _RunMap()
        kept: list[tuple[int, int]] = []
        j, shift = 0, 0
        for a0, a1, b0 in zip(self.starts, self.ends, self.targets, strict=True):
            pos, end = b0, b0 + a1 - a0
            while pos < end:
                while j < len(edits) and edits[j][1] <= pos:  # wholly before token pos (an insertion at pos too)
                    lo, hi, n, _kept = edits[j]
                    shift += n - (hi - lo)
                    j += 1
                if j < len(edits) and edits[j][0] <= pos:  # pos was replaced: the run resumes after the edit
                    stop = min(edits[j][1], end)
                    if edits[j][3]:
                        kept.append((a0 + pos - b0, a0 + stop - b0))
                    pos = stop
                    continue
                stop = min(edits[j][0], end) if j < len(edits) else end
                out.add(a0 + pos - b0, a0 + stop - b0, pos + shift)
                pos = stop
        return out, kept

    def __getitem__(self, k: int) -> int:
        found = self.get(k)
        if found is None:
            raise KeyError(k)
        return found


def _place(h: Hunk, to_c: _RunMap, len_b: int, len_c: int) -> tuple[int, int] | None:
    """Where a change applies cleanly in the current text: its words unchanged there, nothing inserted among
    them or at an insertion point; None when another source has touched them."""
    before = to_c.get(h.start - 1) if h.start > 0 else -1
    after = to_c.get(h.end) if h.end < len_b else len_c
    if before is None or after is None:
        return None
    inside = [to_c.get(k) for k in range(h.start, h.end)]
    if any(x is None for x in inside):
        return None
    lo, hi = before + 1, after
    if hi - lo != h.end - h.start:  # something was inserted among or beside these words
        return None
    return lo, hi


@dataclass(frozen=True, slots=True)
class Proposal:
    """The whole draft a contribution proposes (Markdown body), what the reading noticed, and the names of the
    individual reviewers found in the file (kept as detail: the source is the contribution's)."""

    body: str
    warnings: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()


def proposal_of(ws: Workspace, c: Contribution, base_text: str) -> Proposal:
    """The whole draft a contribution proposes."""
    path = ws.root / "contributions" / c.id / c.file
    data = path.read_bytes()
    if c.kind == "revised-draft":
        return Proposal(split_front_matter(decode_text(data, str(path)), path=str(path)).body)
    if c.kind == "criticmarkup":
        accepted, _rejected, _comments = critic_views(decode_text(data, str(path)))
        return Proposal(split_front_matter(accepted, path=str(path)).body)
    if c.kind == "word-revisions":
        from wtpf_cli.merging.wordmap import word_proposal

        found = word_proposal(path, base_text)
        return Proposal(found.body, found.warnings, found.reviewers)
    raise InputRejected(f"a {c.kind} contribution has no edits to merge", path=str(path))


def _word_job(path: str, base_full: str) -> Proposal:
    """proposal_of for a Word contribution, run in the read-ahead worker."""
    from wtpf_cli.merging.wordmap import word_proposal

    found = word_proposal(Path(path), base_full)
    return Proposal(found.body, found.warnings, found.reviewers)


# Fewer Word contributions than this are read in the merging process itself: a worker would not pay for itself.
_READ_AHEAD_MIN = 3


def _worker_start(parent: int) -> None:
    """In the read-ahead worker: Ctrl-C is the merging process's to handle, and the worker ends when it does."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    """Exit once `parent` is gone (killed: nobody would stop this worker, which holds its output pipes)."""
    import time

    while os.getppid() == parent:
        time.sleep(0.05)
    os._exit(0)


class _ReadAhead:
    """Word contributions read in a second process while the merge goes on: reading a .docx and mapping it onto the
    Markdown source is most of a merge's work and needs nothing from the contributions merged before it. The worker
    only reads files; a job that fails there is done again in the merging process, which then raises its error as
    usual (WTPF_JOBS=1 turns the worker off)."""

    def __init__(self, ws: Workspace) -> None:
        self.jobs: dict[str, Future[Proposal]] = {}
        self.pool: ProcessPoolExecutor | None = None
        words = sum(1 for _ in (ws.root / "contributions").glob("*/*.docx"))
        if words < _READ_AHEAD_MIN or not spare_core():
            return  # spare_core: Linux only (fork is unsafe on macOS; a spawned worker would import everything again)
        import multiprocessing

        # fork: the worker starts at once with the modules loaded here. It is forked now, before the workspace lock
        # is taken, so that it never holds the lock's file.
        self.pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_start,
            initargs=(os.getpid(),),
        )
        self.pool.submit(os.getpid).result()

    def submit(self, ws: Workspace, pending: list[Contribution], crlf: bool, run: _Run) -> None:
        """Start reading the pending Word contributions, in order."""
        if self.pool is None:
            return
        for c in pending:
            if c.kind == "word-revisions":
                base_full, _body = run.base_of(ws, c, crlf)
                path = str(ws.root / "contributions" / c.id / c.file)
                self.jobs[c.id] = self.pool.submit(_word_job, path, base_full)

    def take(self, c: Contribution) -> Proposal | None:
        """The proposal read ahead for `c`, or None (not read ahead, or failed there)."""
        job = self.jobs.pop(c.id, None)
        if job is None:
            return None
        try:
            return job.result()
        except Exception:  # read again in this process, where an error is reported as usual
            return None

    def close(self) -> None:
        """Stop the worker (pending jobs dropped)."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def merge_contributions(
    ws: Workspace,
    ids: list[str] | None = None,
    *,
    stop_on_conflict: bool = False,
    progress: Callable[[Contribution], None] | None = None,
) -> list[Outcome]:
    """Apply pending contributions in order of receipt, one commit each, authored by the source."""
    outcomes: list[Outcome] = []
    ahead = _ReadAhead(ws)
    try:
        _merge_pending(ws, ids, stop_on_conflict, progress, outcomes, ahead)
    finally:
        ahead.close()
    return outcomes


def _merge_pending(
    ws: Workspace,
    ids: list[str] | None,
    stop_on_conflict: bool,
    progress: Callable[[Contribution], None] | None,
    outcomes: list[Outcome],
    ahead: _ReadAhead,
) -> None:
    """merge_contributions under the workspace lock, appending to `outcomes`."""
    with workspace_lock(ws):
        require_clean(ws, "merge")
        # Every contribution's commit is made on the last (as objects); the draft, the records and the branch
        # then move once, so that an interrupted merge leaves all of them as before or all merged.
        change = Change.start(ws.history, "merge")
        raw = ws.draft_path.read_bytes()
        draft = decode_text(raw, str(ws.draft_path))
        if uses_crlf(raw):  # merged on LF text (as proposals come); written back with CRLF by encode_like
            draft = draft.replace("\r\n", "\n")
        pending = [c for c in list_contributions(ws) if c.status == "pending"]
        run = _Run()
        if ids:
            wanted = set(ids)
            pending = [c for c in pending if c.id in wanted or c.symbol in wanted]
            missing = wanted - {c.id for c in pending} - {c.symbol for c in pending}
            if missing:
                raise UsageError(f"not pending or unknown: {', '.join(sorted(missing))}")
        run.ahead = ahead
        ahead.submit(ws, pending, uses_crlf(raw), run)
        for c in pending:
            if progress:
                progress(c)
            if c.kind not in ("revised-draft", "criticmarkup", "word-revisions"):
                outcomes.append(Outcome(c, 0, 0, (), (), None, c.status))
                continue
            outcome, draft = _merge_one(ws, c, stop_on_conflict, change, draft, raw, run)
            outcomes.append(outcome)
        change.apply()


@dataclass
class _Blames:
    """The blame of the draft at the last commit it was read for: the merge's commits form a straight line, so the
    blame at a later one is that of the commits since (one `git blame` of the whole history per merge run, not
    per contribution), or, for a commit of this run, what its edits made of the blame before it (see moved)."""

    sha: str | None = None
    lines: list[Identity] = field(default_factory=list)

    def at(self, ws: Workspace, sha: str, path: str) -> list[Identity]:
        """blame_authors(sha, path), sha being this commit or one after it."""
        if sha != self.sha:
            h, since = ws.history, self.sha
            self.lines = h.blame_authors_since(sha, path, since, self.lines) if since else h.blame_authors(sha, path)
            self.sha = sha
        return self.lines

    def moved(
        self, parent: str, sha: str, old: str, new: str, edits: list[tuple[int, int, str]], who: Identity
    ) -> None:
        """Follow commit `sha`, which made `edits` (characters [start, end) of `old` replaced by text, in order) to
        the draft at `parent`, authored by `who`; nothing when the blame held is not that of `parent`."""
        if self.sha != parent or len(self.lines) != _line_count(old):
            return
        self.lines = _lines_after(old, new, edits, self.lines, who)
        self.sha = sha


_NOBODY = Identity("", "")


def _line_count(text: str) -> int:
    """The number of lines git blame gives for a text."""
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def _lines_after(
    old: str, new: str, edits: list[tuple[int, int, str]], authors: list[Identity], who: Identity
) -> list[Identity]:
    """The blame of `new`, made from `old` by `edits` (characters [start, end) replaced by text, in order, not
    overlapping) in a commit by `who`, given `authors`, the blame of `old`: lines away from the edits keep their
    author; the lines around each edit are diffed as git's line diff does, a line paired with an old one keeping
    its author, any other being `who`'s."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    was = [*authors, *repeat(_NOBODY, len(old_lines) - len(authors))]  # the line after a last line feed
    regions: list[list[int]] = []  # old lines [l0, l1) became new lines [n0, n1)
    shift = line = counted = 0

    def line_of(pos: int) -> int:
        """The line of `old` holding character pos (positions asked in increasing order)."""
        nonlocal line, counted
        line += old.count("\n", counted, pos)
        counted = pos
        return line

    for start, end, text in edits:
        l0, l1 = line_of(start), line_of(end) + 1
        n0 = l0 + shift
        shift += text.count("\n") - (l1 - 1 - l0)
        if regions and regions[-1][1] > l0:
            regions[-1][1], regions[-1][3] = l1, l1 + shift
        else:
            regions.append([l0, l1, n0, l1 + shift])
    out: list[Identity] = []
    pos = 0
    for l0, l1, n0, n1 in regions:
        out += was[pos:l0]
        got = [who] * (n1 - n0)
        for e in diff_sequences(_ended(old_lines, l0, l1), _ended(new_lines, n0, n1)):
            if e.op == "equal":
                got[e.b0 : e.b1] = was[l0 + e.a0 : l0 + e.a1]
        out += got
        pos = l1
    out += was[pos:]
    return out[: _line_count(new)]


def _ended(lines: list[str], start: int, end: int) -> list[str]:
    """lines[start:end] with their line feeds, as git's line diff compares them: the last line of a text that does
    not end with a line feed differs from the same words with one."""
    out = [line + "\n" for line in lines[start:end]]
    if end == len(lines) and out:
        out[-1] = lines[-1]
    return out


class _Positions:
    """The character offset and the line of each token of a laid-out text, found from its paragraphs."""

    def __init__(self, layout: TextLayout) -> None:
        self.layout = layout
        self.starts = [start for start, _end in layout.spans]
        self.chars = list(accumulate(map(len, layout.keys), initial=0))
        self.lines = list(accumulate((key.count("\n") for key in layout.keys), initial=0))

    def _paragraph(self, k: int) -> tuple[int, list[str]]:
        """The paragraph of token k, and its tokens before k."""
        p = max(bisect_right(self.starts, k) - 1, 0)
        return p, self.layout.tokens[self.starts[p] : k] if self.starts else []

    def char(self, k: int) -> int:
        """The character offset of token k (the text's length for the end)."""
        p, before = self._paragraph(k)
        return self.chars[p] + sum(map(len, before))

    def line(self, k: int) -> int:
        """The line of token k (line feeds before it)."""
        p, before = self._paragraph(k)
        return self.lines[p] + "".join(before).count("\n")


@dataclass
class _Run:
    """What a merge run keeps from one contribution to the next: the blame of the draft, the last base read (commit,
    text with front matter, body) and the base map of the draft."""

    blames: _Blames = field(default_factory=_Blames)
    base: tuple[str, str, str] | None = None
    tracked: BaseMap | None = None
    ahead: _ReadAhead | None = None

    def base_of(self, ws: Workspace, c: Contribution, crlf: bool) -> tuple[str, str]:
        """The draft at the version `c` comments on (with front matter, LF line ends if crlf) and its body."""
        if self.base is None or self.base[0] != c.on_commit:
            path = ws.draft_repo_path
            full = decode_text(ws.history.read_file(c.on_commit, path) or b"", f"{path}@{c.on_commit[:10]}")
            full = full.replace("\r\n", "\n") if crlf else full
            self.base = (c.on_commit, full, split_front_matter(full).body)
        return self.base[1], self.base[2]


def _merge_one(
    ws: Workspace,
    c: Contribution,
    stop_on_conflict: bool,
    change: Change,
    current_full: str,
    raw: bytes,
    run: _Run,
) -> tuple[Outcome, str]:
    """Merge one contribution onto `current_full` (the draft at the change's tip) as a commit of `change`."""
    path = ws.draft_repo_path
    crlf = uses_crlf(raw)
    base_full, base = run.base_of(ws, c, crlf)
    parts = split_front_matter(current_full)
    head_body = current_full[len(current_full) - len(parts.body) :] if parts.body else ""
    front = current_full[: len(current_full) - len(head_body)]
    offer = (run.ahead.take(c) if run.ahead else None) or proposal_of(ws, c, base_full)
    proposal = offer.body.replace("\r\n", "\n") if crlf else offer.body
    head = change.tip
    blame: list[Identity] | None = None  # read at the first label: a contribution without conflicts needs none
    at: _Positions | None = None  # of the body's tokens, as merge_text splits it

    def laid_out_body() -> TextLayout:
        """The body's layout: that of the run's base map, or split again (cached)."""
        known = run.tracked.layout_for(base, parts.body) if run.tracked else None
        return known or _layout(parts.body)

    front_lines = front.count("\n")

    def label(pos: int) -> str:
        """The source of the current words at token `pos`: who last changed that line."""
        nonlocal blame, at
        if blame is None:
            blame = run.blames.at(ws, head, path) if head else []
        at = at or _Positions(laid_out_body())
        line = front_lines + at.line(pos)
        who = blame[line] if 0 <= line < len(blame) else None
        return ws.source_of(who) if who and who.name else ws.config.secretariat

    done = _merge(base, parts.body, proposal, c.source, label, run.tracked)
    merged, applied, conflicts, unplaced = done.text, done.applied, done.conflicts, done.unplaced
    changes = applied + len(conflicts) + len(unplaced)
    if changes == 0:
        status = "merged"
    elif conflicts and stop_on_conflict:
        return Outcome(c, changes, 0, tuple(conflicts), tuple(unplaced), None, "pending", offer.warnings), current_full
    elif unplaced:
        status = "partly-merged"
    elif conflicts:
        status = "in-brackets"
    else:
        status = "merged"
    updated = replace(c, status=status, changes=changes, applied=applied)
    new_full = front + merged
    trailer = f"\n\nWtpf-Contribution: {c.id}\nWtpf-Merged: {c.id}" + (f"\nWtpf-Symbol: {c.symbol}" if c.symbol else "")
    what = f"{c.symbol} " if c.symbol else ""
    sha = change.commit(
        {
            path: encode_like(new_full, raw),
            ws.repo_path(f"contributions/{c.id}/contribution.toml"): render_contribution(updated).encode(),
        },
        f"Merge {what}from {c.source}: {applied} of {changes} changes applied"
        + (f", {len(conflicts)} in brackets" if conflicts else "")
        + trailer,
        source_identity(ws, c.source),
        ws.tool_identity(),
        f"{c.received}T12:00:00Z",
    )
    if head and run.blames.sha == head:  # the blame at this commit follows from the edits just made
        at = at or _Positions(laid_out_body())
        edits = [(len(front) + at.char(lo), len(front) + at.char(hi), text) for lo, hi, text in done.edits]
        run.blames.moved(head, sha, current_full, new_full, edits, source_identity(ws, c.source))
    run.tracked = done.to_merged
    outcome = Outcome(updated, changes, applied, tuple(conflicts), tuple(unplaced), sha, status, offer.warnings)
    return outcome, new_full
