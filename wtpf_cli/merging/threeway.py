"""The three-way word merge: a contribution's changes (base -> proposal) applied onto the current draft
(base -> current), which may have moved on since the version the contribution comments on.

A change to a sentence (a table cell, a list item, a heading, a paragraph's number: segments.py) in which another
source has changed words since that version is never blended with theirs: both are kept as bracketed
alternatives, in the form

    [[United States: the current words]] [[Brazil: the proposed words]]

(double square brackets, the source's name, a colon; the current words under who last changed them), over the
words from the first to the last that either changed there (the whole sentence when that would cut an emphasis, a
link or a note), which `wtpf resolve` settles. Changes to other sentences apply; whole lines (rows, items,
paragraphs) that two sources insert at one place are both kept, in order of receipt. A change whose context is
gone altogether is returned as unplaced (the merge run lists it in its report), never dropped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, chain, pairwise

from wtpf_cli.diff.sequences import Edit
from wtpf_cli.markdown.tokens import split_words
from wtpf_cli.merging.layout import (
    PARAGRAPH_BREAK,
    TextLayout,
    layout_of_paragraphs,
    paragraph_diff,
    paragraph_keys,
    paragraph_tokens,
    text_layout,
    two_level_diff,
    word_diff,
)
from wtpf_cli.merging.segments import Segments, passage_is_whole


@dataclass(frozen=True, slots=True)
class Hunk:
    """One change a contribution proposes: base tokens [start, end) become `new`."""

    start: int
    end: int
    old: str
    new: str


def merge_text(
    base: str, current: str, proposal: str, source: str, current_label: Callable[[int], str]
) -> tuple[str, int, list[Hunk], list[Hunk]]:
    """Apply base->proposal onto current. Returns (merged text, applied, conflicts, unplaced)."""
    done = three_way_merge(base, current, proposal, source, current_label, None)
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
    """three_way_merge's result: merge_text's, with the edits it made to the current text's tokens ([lo, hi)
    replaced by text, in order) and the base map of the merged text (None where its tokens are not those of the
    edits)."""

    text: str
    applied: int
    conflicts: list[Hunk]
    unplaced: list[Hunk]
    edits: list[tuple[int, int, str]]
    to_merged: BaseMap | None
    taken_out: tuple[tuple[int, int], ...] = ()  # base tokens [lo, hi) standing in the current text, not in merged


def _run_map_by_diff(tb: TextLayout, tc: TextLayout) -> _RunMap:
    """Base token -> current token over the equal runs of their two-level diff."""
    to_c = _RunMap()
    for op, a0, a1, b0, _b1 in two_level_diff(tb, tc):
        if op == "equal":
            to_c.add(a0, a1, b0)
    return to_c


def three_way_merge(
    base: str,
    current: str,
    proposal: str,
    source: str,
    current_label: Callable[[int], str],
    known: BaseMap | None,
    removed_label: Callable[[int, int], str | None] | None = None,
) -> Merged:
    """merge_text, given (when it is for these texts) where the base's tokens stand in the current text: in a merge
    run, the base map of the draft a contribution was merged into, moved by its edits. A fresh diff of base ->
    current would cost more with every contribution merged (the draft drifts from the base), and could align a
    word of the base with a like word a contribution brought in. A bracket is labelled with the source of the
    current words (`current_label` of the first of them) or, where the draft holds none, with the source that took
    the base's words out (`removed_label` of base tokens [lo, hi), where it can tell)."""
    tb = text_layout(base)
    b = tb.tokens
    hunks = _hunks_against(tb, proposal)
    tc = known.layout_for(base, current) if known is not None else None
    if known is not None and tc is not None:
        to_c, held = known.runs, known.held
    else:
        tc = text_layout(current)
        to_c, held = _run_map_by_diff(tb, tc), _RunMap()
    c = tc.tokens
    starts = [start for start, _end in tb.spans]

    def surviving(lo: int, hi: int) -> bool:
        """Whether a paragraph of the base with a token in [lo, hi) has a token still in the draft (in its words
        or among the current words of a bracket)."""
        first, last = bisect_right(starts, lo) - 1, bisect_right(starts, hi - 1) - 1
        spans = tb.spans[max(first, 0) : last + 1] if lo < hi else []
        return any(to_c.covers(*span) or held.covers(*span) for span in spans)

    edits: list[tuple[int, int, str, bool]] = []  # (start, end) in current tokens, replacement text, a bracket?
    made_of: list[tuple[list[Hunk], int, int]] = []  # for each edit: its hunks, the base tokens standing around them
    applied = 0
    conflicts: list[Hunk] = []
    unplaced: list[Hunk] = []
    segments = Segments(tb)
    already: list[Hunk] = []  # changes found made (by another source), until a bracket around them takes them in
    n = 0
    while n < len(hunks):
        h = _lines_first(hunks[n], b)
        n += 1
        if _made_already(b, c, to_c, [h], *_bounds(to_c, h.start, h.end, len(b))):
            applied += 1  # another source made this very change: the draft reads so already
            already.append(h)
            continue
        context = segments.context(h.start, h.end)
        placed = _place(h, to_c, len(b), len(c)) or _after_insertion(h, to_c, b, c)
        text = h.new
        if placed is None and context is None and (gap := _into_gap(h, to_c, b, c)) is not None:
            placed, text = (gap[0], gap[0]), gap[1]
        if placed is not None and context is not None and not to_c.stands(*segments.words(*context)):
            # Another source changed this sentence (cell, item) since the base, from its first word to its last
            # (words added after its full stop start another): blending both changes would make a sentence
            # neither wrote, unless it was this contribution's own source.
            first = to_c.at_or_after(context[0], len(b))
            if first >= context[1] or current_label(to_c[first]) != source:
                placed = None
        if placed is not None:
            edits.append((placed[0], placed[1], text, False))
            made_of.append(([h], *_bounds(to_c, h.start, h.end, len(b))))
            applied += 1
            continue
        # Both versions stay, bracketed, between the nearest words of the base that still stand (kl, kr): over
        # the words from the first to the last that either source changed in the sentence (whole sentence when
        # that would cut emphasis, a link or a note); later changes of this contribution there join the bracket.
        group = [h]
        if context is not None:
            while n < len(hunks) and hunks[n].start < context[1]:
                more = segments.context(hunks[n].start, hunks[n].end)
                context = (context[0], max(context[1], more[1] if more else hunks[n].end))
                group.append(hunks[n])
                n += 1
        span = (group[0].start, max(g.end for g in group))
        theirs = to_c.changed_within(*segments.words(*context)) if context is not None else None
        if theirs is not None:
            span = (min(span[0], theirs[0]), max(span[1], theirs[1]))
        kl, kr = _bounds(to_c, *span, len(b))
        n, kr = _join_later(hunks, n, group, to_c, kr, len(b))
        group, joined = _taken_in(already, group, kl, kr)
        applied -= joined
        if context is not None and not _whole(b, c, to_c, group, kl, kr):
            w0, w1 = segments.words(*context)
            kl, kr = _bounds(to_c, min(span[0], w0), max(span[1], w1, kr), len(b))
            n, kr = _join_later(hunks, n, group, to_c, kr, len(b))
        while True:  # an edit of this contribution already made among these words joins the bracket
            left = to_c[kl] + 1 if kl >= 0 else 0
            right = to_c[kr] if kr < len(b) else len(c)
            clash = [k for k, (lo, hi, _, _) in enumerate(edits) if lo < right and left < hi]
            if not clash or left > right:
                break
            for k in reversed(clash):
                (_lo, _hi, _text, bracketed), (hunks_made, ekl, ekr) = edits.pop(k), made_of.pop(k)
                group += hunks_made
                kl, kr = min(kl, ekl), max(kr, ekr)
                if bracketed:
                    conflicts = [x for x in conflicts if all(x is not y for y in hunks_made)]
                else:
                    applied -= 1
            group.sort(key=lambda g: (g.start, g.end))
        group, joined = _taken_in(already, group, kl, kr)
        applied -= joined
        touched = any(surviving(max(g.start - 1, 0), min(g.end + 1, len(b))) for g in group)
        if left > right or not touched:
            unplaced.extend(group)  # the context is gone: reported, never dropped
            continue
        if _made_already(b, c, to_c, group, kl, kr):
            applied += len(group)  # the same changes as another source's, taken together
            continue
        current_text = "".join(c[left:right])
        core = current_text.strip()
        ws_left = current_text[: len(current_text) - len(current_text.lstrip())]
        ws_right = current_text[len(current_text.rstrip()) :] if core else ""
        spanned = _proposed_span(b, group, kl + 1, kr)
        proposed = spanned.strip()
        p_left = spanned[: len(spanned) - len(spanned.lstrip())]
        p_right = spanned[len(spanned.rstrip()) :] if proposed else ""
        # An empty alternative's whitespace may stand on either side of the brackets: on the other's side.
        if not core and ws_left and p_right and not p_left:
            ws_left, ws_right = "", ws_left
        if not proposed and p_left and ws_right and not ws_left:
            p_left, p_right = "", p_left
        # Where the two differ in the whitespace at an edge (a space or none: 'goals, agreed' against 'goals once
        # agreed'; a paragraph break or not: a split or a join), each alternative keeps its own edge: one edge left
        # outside would glue two words, leave 'goals .' or lose the split when the other is chosen. None goes
        # into an empty alternative: "(nothing)" and "(delete)" stand for no text.
        both = bool(core and proposed)
        if _edges_differ(ws_left, p_left, both) and (core or not ws_left) and (proposed or not p_left):
            core, proposed, ws_left = ws_left + core, p_left + proposed, ""
        if _edges_differ(ws_right, p_right, both) and (core or not ws_right) and (proposed or not p_right):
            core, proposed, ws_right = core + ws_right, proposed + p_right, ""
        # Where the draft holds nothing between two paragraphs (another source took them out), the line break
        # that ends the proposal's text stands after the brackets: with it inside or dropped, the next paragraph
        # would be glued to the proposal's last line when that is chosen (a blank line more is nothing).
        if not core and proposed and "\n" in p_right and not ws_right and (left == 0 or "\n" in c[left - 1]):
            ws_right = p_right
        # The same before it, where the draft holds nothing at the end of a line (a paragraph after a table's
        # last row, taken out): the line break that opens the proposal's text stands before the brackets.
        if not core and proposed and "\n" in p_left and not ws_left and (right == len(c) or c[right][:1] == "\n"):
            ws_left = p_left
        proposed = proposed or "(delete)"
        if core:  # the first word's source (a line feed or space before it may stand on the line before)
            label = current_label(next(k for k in range(left, right) if c[k].strip()))
        else:
            label = (removed_label(kl + 1, kr) if removed_label is not None else None) or current_label(left)
        bracket = f"{ws_left}[[{label}: {core or '(nothing)'}]] [[{source}: {proposed}]]{ws_right}"
        edits.append((left, right, bracket, True))
        made_of.append((group, kl, kr))
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
    gone = _taken_out([to_c, held], [runs, now_held])
    return Merged(merged, applied, conflicts, unplaced, [e[:3] for e in made], moved, gone)


def _taken_out(before: list[_RunMap], after: list[_RunMap]) -> tuple[tuple[int, int], ...]:
    """The base tokens [lo, hi) that a map of `before` covers and no map of `after` does."""
    out: list[tuple[int, int]] = []
    kept = _union(after)
    k = 0
    for lo, hi in _union(before):
        while k < len(kept) and kept[k][1] <= lo:
            k += 1
        j = k
        while lo < hi:
            if j >= len(kept) or kept[j][0] >= hi:
                out.append((lo, hi))
                break
            if kept[j][0] > lo:
                out.append((lo, kept[j][0]))
            lo = max(lo, kept[j][1])
            j += 1
    return tuple(out)


def _union(maps: list[_RunMap]) -> list[tuple[int, int]]:
    """The base tokens the maps cover, as ordered disjoint ranges."""
    out: list[list[int]] = []
    for lo, hi in sorted(pair for m in maps for pair in zip(m.starts, m.ends, strict=True)):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


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
    relaid: list[tuple[int, int, list[str]]] = []  # tokens [ta, tz) of tc laid out again
    sizes: list[tuple[int, int, int]] = []
    p = 0  # the next paragraph of tc to copy
    for p0, p1, group in groups:
        new_keys += keys[p:p0]
        lengths += [end - start for start, end in spans[p:p0]]
        ta, tz = spans[p0][0], spans[p1][1]
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
        part = layout_of_paragraphs(paragraph_keys("".join(pieces)))
        if part.tokens != stitched:
            return None
        new_keys += part.keys
        lengths += [end - start for start, end in part.spans]
        relaid.append((ta, tz, part.tokens))
        p = p1 + 1
    new_keys += keys[p:]
    lengths += [end - start for start, end in spans[p:]]
    tokens = c[:]  # one copy of the report's tokens, the stretches laid out again put in from the last one back
    for ta, tz, laid in reversed(relaid):
        tokens[ta:tz] = laid
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

    def stands(self, lo: int, hi: int) -> bool:
        """Whether base tokens [lo, hi) all stand in the current text, in one stretch with nothing among them."""
        i = bisect_right(self.starts, lo) - 1
        if i < 0 or lo >= self.ends[i]:
            return False
        while self.ends[i] < hi:
            end = self.targets[i] + self.ends[i] - self.starts[i]
            if i + 1 >= len(self.starts) or self.starts[i + 1] != self.ends[i] or self.targets[i + 1] != end:
                return False
            i += 1
        return True

    def changed_within(self, lo: int, hi: int) -> tuple[int, int] | None:
        """The smallest [a, z) of base tokens in [lo, hi) that covers every token of it no longer standing and
        every place between two of its tokens where something was inserted (z = k for an insertion before k);
        None when nothing in it changed."""
        a, z = hi, lo
        previous: int | None = None
        for k in range(lo, hi):
            at = self.get(k)
            if at is None:
                a, z = min(a, k), max(z, k + 1)
            elif previous is not None and at != previous + 1:
                a, z = min(a, k), max(z, k)
            previous = at
        return (a, z) if a < hi else None

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


def _after_insertion(h: Hunk, to_c: _RunMap, b: list[str], c: list[str]) -> tuple[int, int] | None:
    """Where whole lines (a row, an item, a paragraph) that this change inserts go when another source inserted
    whole lines at the same place since the base: after them (in order of receipt), not in brackets. None
    otherwise."""
    p = h.start
    if h.end != p:
        return None
    before = to_c.get(p - 1) if p > 0 else -1
    after = to_c.get(p) if p < len(b) else len(c)
    if before is None or after is None or after - before <= 1:
        return None
    ours = _whole_lines(split_words(h.new), b, p, p)
    theirs = _whole_lines(c[before + 1 : after], c, before + 1, after)
    return (after, after) if ours and theirs else None


def _into_gap(h: Hunk, to_c: _RunMap, b: list[str], c: list[str]) -> tuple[int, str] | None:
    """Where whole lines (a row, an item, a paragraph) that this change inserts go, and as what text, when another
    source took out the lines beside their place since the base and put nothing there: where those stood, as lines
    of their own. None otherwise (a bracket)."""
    if h.end != h.start:
        return None
    lines = _as_lines(split_words(h.new), b, h.start)
    if lines is None:
        return None
    q, text, at_start = lines
    kl, kr = to_c.at_or_before(q - 1), to_c.at_or_after(q, len(b))
    left = to_c[kl] + 1 if kl >= 0 else 0
    right = to_c[kr] if kr < len(b) else len(c)
    if left != right:
        return None  # the other source put something there: a bracket
    core = text.strip()
    brk = text[len(text.rstrip()) :] if at_start else text[: len(text) - len(text.lstrip())]
    if left == 0 or "\n" in c[left - 1]:
        return left, core + brk  # at a line's start: the lines, then their break
    if right == len(c) or c[right][:1] == "\n":
        return left, brk + core  # at a line's end: the break, then the lines
    start = left
    while start > 0 and "\n" not in c[start - 1]:
        start -= 1
    m = left - start
    # A diff may keep the start of a line taken out ("- ", "| ") as the start of the next: the lines taken out
    # read the same moved back by those tokens if they end with them; the gap is then at a line's start.
    if m and (kl + 1 - m < 0 or b[kl + 1 - m : kl + 1] != b[kr - m : kr] or to_c.get(kl + 1 - m) != start):
        return None
    return start, core + brk


def _lines_first(h: Hunk, b: list[str]) -> Hunk:
    """An insertion that a diff put in just before the tokens ending a line (".\n- Share data" between "points"
    and ".\n") as the same text slid on to the line's end ("\n- Share data." before "\n"), where it reads as lines
    put in between two others, not as words put into one; any other change as it is."""
    if h.start != h.end:
        return h
    x, k = split_words(h.new), h.start
    for _ in range(_SLIDE):
        if not x or k >= len(b) or x[0] != b[k]:
            return h
        x, k = [*x[1:], b[k]], k + 1
        if "\n" in x[0] and not x[0].strip() and (k == len(b) or b[k][:1] == "\n"):
            return Hunk(k, k, "", "".join(x))
    return h


def _as_lines(inserted: list[str], seq: list[str], p: int) -> tuple[int, str, bool] | None:
    """Tokens inserted at seq[p] as whole lines: where and as what text, and whether at a line's start (once slid
    back along the equal tokens before them: "Share data.\n- " after "- " is "- Share data.\n" before it) or
    opening with a line break at a line's end; None if they are neither."""
    if not inserted or not "".join(inserted).strip():
        return None
    x, k = list(inserted), p
    for _ in range(_SLIDE):
        if "\n" in x[-1] and (k == 0 or "\n" in seq[k - 1]):
            return k, "".join(x), True
        if k == 0 or x[-1] != seq[k - 1]:
            break
        x, k = [seq[k - 1], *x[:-1]], k - 1
    first = inserted[0]
    if "\n" in first and not first.strip() and (p == len(seq) or seq[p][:1] == "\n"):
        return p, "".join(inserted), False
    return None


def _whole_lines(inserted: list[str], seq: list[str], lo: int, hi: int) -> bool:
    """Whether tokens inserted between seq[:lo] and seq[hi:] are whole lines (they start a line and end with a
    line feed), once slid along the equal tokens around them: a diff may align an inserted row "| a | b |" and its
    line feed after the next row's first bar."""
    if not inserted or not any("\n" in t for t in inserted) or not "".join(inserted).strip():
        return False
    x, k = list(inserted), lo
    while True:  # slid back, one token at a time
        if (k == 0 or "\n" in seq[k - 1]) and "\n" in x[-1]:
            return True
        if k == 0 or x[-1] != seq[k - 1] or lo - k > _SLIDE:
            break
        x, k = [seq[k - 1], *x[:-1]], k - 1
    x, k = list(inserted), hi
    while k < len(seq) and x[0] == seq[k] and k - hi <= _SLIDE:  # slid on
        starts_line = "\n" in x[0]
        x, k = [*x[1:], seq[k]], k + 1
        if starts_line and "\n" in x[-1]:
            return True
    # A line feed, then lines, put in at the end of a line (an item after a list's last: "\n- d" before "\n\n"):
    # the same lines put in after it.
    return "\n" in inserted[0] and not inserted[0].strip() and (hi == len(seq) or seq[hi][:1] == "\n")


_SLIDE = 64  # how far an insertion is slid to find the line it starts


def _join_later(hunks: list[Hunk], n: int, group: list[Hunk], to_c: _RunMap, kr: int, len_b: int) -> tuple[int, int]:
    """Add to a bracket's group the hunks from n on that start before base token kr (the bracket's right end,
    moved past each); returns the next hunk and the new right end."""
    while n < len(hunks) and hunks[n].start < kr:
        group.append(hunks[n])
        kr = max(kr, to_c.at_or_after(hunks[n].end, len_b))
        n += 1
    return n, kr


def _bounds(to_c: _RunMap, lo: int, hi: int, len_b: int) -> tuple[int, int]:
    """The nearest base tokens that still stand before base tokens [lo, hi) and after them."""
    return to_c.at_or_before(lo - 1), to_c.at_or_after(hi, len_b)


def _taken_in(already: list[Hunk], group: list[Hunk], kl: int, kr: int) -> tuple[list[Hunk], int]:
    """The group with the changes found made (`already`, taken out of it) among base tokens kl and kr: a change of
    the contribution that another source made alike is part of its alternative there (without it, the alternative
    would lack what both wrote: the "[" of a link both open, each to its own target); and how many were taken."""
    inside = [a for a in already if kl + 1 <= a.start and a.end <= kr]
    if not inside:
        return group, 0
    already[:] = [a for a in already if all(a is not x for x in inside)]
    return sorted([*group, *inside], key=lambda g: (g.start, g.end)), len(inside)


def _made_already(b: list[str], c: list[str], to_c: _RunMap, group: list[Hunk], kl: int, kr: int) -> bool:
    """Whether the current text between base tokens kl and kr (standing) is what the hunks make of the base there:
    another source proposed the same change and it was merged first."""
    left = to_c[kl] + 1 if kl >= 0 else 0
    right = to_c[kr] if kr < len(b) else len(c)
    return left <= right and "".join(c[left:right]) == _proposed_span(b, group, kl + 1, kr)


def _whole(b: list[str], c: list[str], to_c: _RunMap, group: list[Hunk], kl: int, kr: int) -> bool:
    """Whether both alternatives of a bracket between base tokens kl and kr read as Markdown on their own, and no
    link's text is parted from its target."""
    left = to_c[kl] + 1 if kl >= 0 else 0
    right = to_c[kr] if kr < len(b) else len(c)
    current = "".join(c[left:right])
    proposed = _proposed_span(b, group, kl + 1, kr)
    parted = (right < len(c) and c[right] == "(" and current.endswith("]")) or (
        left > 0 and c[left - 1] == "]" and current.startswith("(")
    )
    return not parted and not _in_target(c, left) and passage_is_whole(current) and passage_is_whole(proposed)


def _edges_differ(current: str, proposed: str, both_texts: bool) -> bool:
    """Whether two alternatives' whitespace at one edge differ in holding a space or in holding a paragraph break,
    so that each must keep its own. Where one alternative is empty (`both_texts` false), only a space moves into
    the other: whole paragraphs taken out keep the blank line outside, and the next paragraph its own line."""
    if not both_texts:
        return bool(current) != bool(proposed) and "\n" not in current + proposed
    return bool(current) != bool(proposed) or (PARAGRAPH_BREAK.search(current) is None) != (
        PARAGRAPH_BREAK.search(proposed) is None
    )


def _in_target(words: list[str], at: int) -> bool:
    """Whether the words from `at` on start inside a link's target (after "](" or in an autolink "<scheme:"),
    where a bracket would break the link: a target holds no space, so the search stops at one."""
    for k in range(at - 1, -1, -1):
        word = words[k]
        if word == ")" or word == ">" or not word.strip():
            return False
        if word == "(":
            return k > 0 and words[k - 1] == "]"
        if word == "<":
            return k + 2 < at and words[k + 2] == ":"
    return False


def _hunks_against(tb: TextLayout, proposal: str) -> list[Hunk]:
    """The changes from a laid-out base to a proposal, as replaced token ranges of the base: those of the two-level
    diff of the two (proposal_hunks in tests/support/merge_reference.py, which tests/test_merge_run.py compares with
    this), the proposal split into tokens only where its paragraphs differ from the base's (most are the base's own)."""
    b, spans = tb.tokens, tb.spans
    keys = paragraph_keys(proposal)
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
        for w in [*word_diff(tuple(b[xa:xb]), y), None]:
            if w is not None and w.op != "equal":
                pending.append(w)
            elif pending:
                lo, hi = xa + pending[0].a0, xa + pending[-1].a1
                hunks.append(Hunk(lo, hi, "".join(b[lo:hi]), "".join(y[pending[0].b0 : pending[-1].b1])))
                pending = []
    return hunks
