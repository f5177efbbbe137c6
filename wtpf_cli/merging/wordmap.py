"""Map a delegate's Word file back onto the Markdown draft it was built from.

The delegate received the .docx of a version (`wtpf build`), edited it in Word or LibreOffice and sent it back.
Its text with all changes accepted is compared, word by word, with the text of the base version; each change is
then made in the Markdown source at the words it touches, leaving the Markdown syntax around them alone. Edits
made with tracking off differ from the base in the rejected view too: they are taken as well, with a warning.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, islice, repeat
from operator import add, eq, lt, mul, ne, sub
from pathlib import Path
from typing import TYPE_CHECKING

from wtpf_cli.markdown.draft import COVER_STYLES, plain_text, read_draft, split_front_matter
from wtpf_cli.model import BODY, Document, Paragraph
from wtpf_cli.ooxml.inspection import inspect_docx
from wtpf_cli.ooxml.revisions import Segment
from wtpf_cli.ooxml.views import text_view

if TYPE_CHECKING:
    from wtpf_cli.diff.sequences import Edit
    from wtpf_cli.merging.merge import TextLayout

_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>])")


@dataclass(frozen=True, slots=True)
class WordProposal:
    """The Markdown body a Word contribution proposes, and what the reader noticed."""

    body: str
    warnings: tuple[str, ...]
    reviewers: tuple[str, ...] = ()


def _rank(item: Hashable) -> int:
    token = str(item)
    if token.isspace():
        return 1 if "\n" in token else 2
    return 0


_token_rank = lru_cache(maxsize=65536)(_rank)  # a report has a few hundred thousand tokens but few distinct ones


def _ranked_diff(a: list[str], b: list[str]) -> list[Edit]:
    """diff_sequences(a, b, rank=_rank), each distinct token ranked once."""
    from wtpf_cli.diff.sequences import diff_sequences

    return diff_sequences(a, b, ranks=(list(map(_token_rank, a)), list(map(_token_rank, b))))


def _base_paragraphs(doc: Document) -> tuple[list[str], list[str], int]:
    """(body paragraph texts with the cover first and table cells in place, footnote texts, cover count)."""
    body: list[str] = []
    notes: list[str] = []
    cover = 0
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = plain_text([t for t in block.tokens if t.note is None])
            if block.props.style in COVER_STYLES and block.props.container == BODY:
                cover += 1
            (body if block.props.container == BODY else notes).append(text)
        else:
            body.extend(plain_text(cell) for row in block.rows for cell in row)
    return body, notes, cover


def _tokens(paragraphs: list[str]) -> list[str]:
    from wtpf_cli.merging.merge import paragraph_tokens  # split_words, kept for the run: most paragraphs are the base's

    out: list[str] = []
    for p in paragraphs:
        if not p.strip():
            continue
        if out:
            out.append("\n\n")
        out.extend(paragraph_tokens(p))
    return out


@dataclass(frozen=True, slots=True)
class _BaseMap:
    """What a Word contribution is read against, the same for every contribution on one base version: its non-empty
    body paragraphs, its plain-text tokens laid out in paragraphs, its Markdown source tokens, and the alignment of
    the two."""

    body_paras: list[str]
    nonempty_body: list[str]
    plain: list[str]
    cover_end: int
    source: list[str]
    source_text: str  # the source's text, and where each of its tokens starts in it (the end last)
    source_offsets: list[int]
    to_src: _Alignment
    layout: TextLayout  # the plain tokens with their paragraphs, for the diff against each contribution
    anchors: tuple[list[int], list[str]]  # the paragraph keys of the layout that occur once: places, keys


@lru_cache(maxsize=2)
def _base_map(base_source: str) -> _BaseMap:
    """The base's plain text aligned with its Markdown source, once per base in a merge run (the alignment depends
    on the base alone: computing it for every Word contribution cost seconds each at 100,000 words)."""
    from wtpf_cli.merging.merge import _layout, laid_out

    doc = _base_document(base_source)
    base_body_paras, base_note_paras, cover = _base_paragraphs(doc)
    base_plain = [*_tokens(base_body_paras), "\n\n\n", *_tokens(base_note_paras)]
    cover_end = len(_tokens(base_body_paras[:cover])) + 1 if cover else 0
    # The source as merge_text splits the base: split_words tokens with their paragraphs, kept for the run.
    body = split_front_matter(base_source).body
    source = _layout(body)
    layout = laid_out(base_plain)
    once = {k for k, n in Counter(layout.keys).items() if n == 1}
    places = [i for i, k in enumerate(layout.keys) if k in once]
    anchors = (places, [layout.keys[i] for i in places])
    nonempty_body = [p for p in base_body_paras if p.strip()]
    to_src = _Alignment(base_plain, source.tokens, _alignment_blocks(layout, source))
    offsets = list(accumulate(map(len, source.tokens), initial=0))
    return _BaseMap(
        base_body_paras, nonempty_body, base_plain, cover_end, source.tokens, body, offsets, to_src, layout, anchors
    )


def word_proposal(path: Path, base_source: str) -> WordProposal:
    """The Markdown body that a Word contribution proposes against `base_source` (the base version's file)."""
    found = inspect_docx(path)
    accept = text_view(found, "accept", parts=("document",), render=_markdown_of_insertions)
    reject = text_view(found, "reject", parts=("document",))
    accept_notes = text_view(found, "accept", parts=("footnotes",), render=_markdown_of_insertions)
    body, warnings = proposed_body(base_source, accept, reject, accept_notes)
    return WordProposal(body, (*found.warnings, *warnings), found.authors())


def proposed_body(
    base_source: str, accept: list[str], reject: list[str], accept_notes: list[str]
) -> tuple[str, tuple[str, ...]]:
    """The Markdown body proposed by a Word file's views (body paragraphs accepted and rejected, footnotes
    accepted), and the warnings of the mapping."""
    base = _base_map(base_source)
    base_plain, cover_end, source, to_src = base.plain, base.cover_end, base.source, base.to_src
    warnings: list[str] = []
    nonempty_base = base.nonempty_body
    nonempty_reject = nonempty_base if reject == base.body_paras else [p for p in reject if p.strip()]
    if nonempty_reject != nonempty_base:
        warnings.append(_untracked_warning(nonempty_reject, nonempty_base))
    removals: set[int] = set()
    inserts: dict[int, list[str]] = {}
    skipped_cover = 0
    for a0, a1, text in _changed_places(base, accept, accept_notes):
        if a0 < cover_end:
            skipped_cover += 1
            continue
        found = [to_src.get(k) for k in range(a0, a1)]
        mapped = [m for m in found if m is not None]
        unmapped_words = [
            base_plain[a0 + n] for n, m in enumerate(found) if m is None and not base_plain[a0 + n].isspace()
        ]
        if unmapped_words:
            warnings.append(f"could not find {' '.join(unmapped_words)!r} in the Markdown source; left as it was")
            continue
        if mapped:
            at = mapped[0]
        elif text[:1].isspace() and "\n" in text.split("\n", 1)[0] + "\n" and text.lstrip(" ")[:1] == "\n":
            # A new paragraph after this one: after its last word that maps and the markup that closes it.
            at = to_src.before(a0) + 1
            while at < len(source) and not source[at].isspace():
                at += 1
        else:
            at = to_src.after(a0, len(source))  # just before the next word that maps
        removals.update(mapped)
        inserts.setdefault(at, []).append(text)
    if skipped_cover:
        warnings.append("changes to the cover block (symbol, date, title) are not taken: stamp sets them")
    # The source is copied in slices of its text between the places that change (a few dozen in 200,000 tokens).
    text_of, at_char, end = base.source_text, base.source_offsets, len(source)
    out: list[str] = []
    pos = 0
    for k in sorted(inserts.keys() | removals):
        out.append(text_of[at_char[pos] : at_char[k]])
        out.extend(inserts.get(k, []))
        if k < end and k not in removals:
            out.append(source[k])
        pos = min(k + 1, end)
    out.append(text_of[at_char[pos] :])
    return "".join(out), tuple(warnings)


def _untracked_warning(rejected: list[str], base: list[str]) -> str:
    """The warning for a Word file whose rejected view (non-empty paragraphs) differs from the base's."""
    changed = sum(1 for a, b in zip(rejected, base, strict=False) if a != b) + abs(len(rejected) - len(base))
    return (
        f"{changed} paragraph(s) differ from the base version with all changes rejected: edits made with "
        "tracking off are taken as changes of the same source"
    )


# Whitespace with two line feeds or more: a blank-line separator token (split_words takes whitespace runs whole).
_BREAK_RE = re.compile(r"\n[^\S\n]*\n")


def _changed_places(base: _BaseMap, accept: list[str], accept_notes: list[str]) -> list[tuple[int, int, str]]:
    """The hunks of `_hunks` (base plain tokens a0:a1 and the text that replaces them), found from the view's
    paragraphs: the view is not split and laid out whole, only the paragraphs that differ from the base's are split
    into words (a contribution changes a few dozen of a report's thousands)."""
    from wtpf_cli.merging.merge import paragraph_tokens

    body = [p for p in accept if p.strip()]
    notes = [p for p in accept_notes if p.strip()]
    if _BREAK_RE.search("\x00".join(body)) or _BREAK_RE.search("\x00".join(notes)):
        # A paragraph with a blank line inside lays out as several paragraphs: the view is laid out whole.
        new_plain = [*_tokens(accept), "\n\n\n", *_tokens(accept_notes)]
        return [(a0, a1, "".join(new_plain[b0:b1])) for a0, a1, b0, b1 in _hunks(base.layout, new_plain)]
    # The paragraphs of laid_out(_tokens(accept) + ["\n\n\n"] + _tokens(accept_notes)): each with the separator
    # after it, the body's last with the three line feeds before the notes (alone when the body is empty).
    paras = [*body, *notes] if body else ["", *notes]
    seps = ["\n\n"] * len(paras)
    seps[len(body) - 1 if body else 0] = "\n\n\n"
    if notes:
        seps[-1] = ""
    keys = [p + s for p, s in zip(paras, seps, strict=True)]
    x, px = base.layout.tokens, base.layout.spans
    edits = _paragraph_edits(base.layout.keys, base.anchors, keys)
    hunks: list[tuple[int, int, str]] = []
    k = 0
    while k < len(edits):
        if edits[k].op == "equal":
            k += 1
            continue
        first = edits[k]  # a run of changed paragraphs, diffed word by word as _two_level does
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
        hunks.extend((xa + a0, xa + a1, text) for a0, a1, text in _word_hunks(tuple(x[xa:xb]), tuple(y)))
    return hunks


def _word_hunks(x: tuple[str, ...], y: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """The runs of changes of the word diff of x and y: (x0, x1, the text of y that replaces x[x0:x1])."""

    hunks: list[tuple[int, int, str]] = []
    pending: list[Edit] = []
    for e in [*_ranked_diff(list(x), list(y)), None]:
        if e is not None and e.op != "equal":
            pending.append(e)
        elif pending:
            hunks.append((pending[0].a0, pending[-1].a1, "".join(y[pending[0].b0 : pending[-1].b1])))
            pending = []
    return hunks


def _paragraph_edits(kx: list[str], anchors: tuple[list[int], list[str]], ky: list[str]) -> list[Edit]:
    """merge.paragraph_diff(kx, ky), given the keys of kx that occur once (`anchors`: their places, themselves), and
    walking only the places where the anchors of a patience diff stop running side by side."""
    from wtpf_cli.diff.sequences import Edit, diff_sequences
    from wtpf_cli.merging.merge import paragraph_diff

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
    edits: list[Edit] = []
    run: list[int] = []  # the equal run being built: a0, b0, length

    def close() -> None:
        if run:
            a0, b0, n = run
            edits.append(Edit("equal", a0, a0 + n, b0, b0 + n))
            run.clear()

    pa = pb = 0
    bounds = [*(pairs[n] for n in ([0] if pairs else []) + stops), (len(kx), len(ky))]
    lengths = [b - a for a, b in zip([0, *stops], [*stops, len(pairs)], strict=True)] if pairs else []
    for n, (i, j) in enumerate(bounds):
        if i > pa or j > pb:
            gap_x, gap_y = kx[pa:i], ky[pb:j]
            if gap_x == gap_y:  # repeated paragraphs, unchanged (diff_sequences gives one equality)
                if run and run[0] + run[2] == pa and run[1] + run[2] == pb:
                    run[2] += i - pa
                else:
                    close()
                    run.extend((pa, pb, i - pa))
                gap_x = gap_y = []
            for e in diff_sequences(gap_x, gap_y):
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
            size = lengths[n]  # this anchor and the ones that follow it diagonally
            if run and run[0] + run[2] == i and run[1] + run[2] == j:
                run[2] += size
            else:
                close()
                run.extend((i, j, size))
            pa, pb = i + size, j + size
        else:
            pa, pb = i + 1, j + 1
    close()
    return edits


_WORDS_RE = re.compile(r"\w+(?:['’\-]\w+)*")  # the words of split_words (its tokens that start with a word character)


def _alignment_blocks(plain: TextLayout, source: TextLayout) -> list[tuple[int, int, int, int]]:
    """The token ranges (a0, a1, b0, b1) that `_aligned` diffs, each alone: the pairs of paragraphs matched by
    their words and the runs between matches (in order; runs with no plain token left out)."""
    from wtpf_cli.merging.merge import paragraph_diff

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
class _Alignment:
    """Plain-text token -> Markdown source token, as `_aligned` gives it, made block by block when first asked
    (a contribution looks at a few dozen places of the base: aligning all of it took half a second at 100,000
    words)."""

    plain: list[str]
    source: list[str]
    blocks: list[tuple[int, int, int, int]]
    starts: list[int] = field(init=False)
    maps: dict[int, dict[int, int]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = [b[0] for b in self.blocks]

    def _map(self, n: int) -> dict[int, int]:
        """The token map of block n (as `_aligned` makes it for that range)."""
        found = self.maps.get(n)
        if found is None:
            a0, a1, b0, b1 = self.blocks[n]
            if self.plain[a0:a1] == self.source[b0:b1]:
                found = dict(zip(range(a0, a1), range(b0, b1), strict=True))
            else:
                found = {}
                for e in _ranked_diff(self.plain[a0:a1], self.source[b0:b1]):
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


def _aligned(plain: list[str], source: list[str]) -> dict[int, int]:
    """Plain-text token -> Markdown source token, for the tokens the two share.

    Paragraphs are matched first by their words alone (Markdown marks, footnote labels aside, add no words), then
    tokens inside each matched pair whose marks differ and inside the runs between matches. One token diff of the
    whole texts costs O(N x D) and differs at every Markdown mark: at report size (100,000 words) that took
    seconds per contribution."""
    from wtpf_cli.diff.sequences import diff_sequences
    from wtpf_cli.merging.merge import paragraph_diff

    spans_a, spans_b = _paragraph_spans(plain), _paragraph_spans(source)
    keys_a = [" ".join(t for t in plain[x:y] if _WORD_START.match(t)) for x, y in spans_a]
    keys_b = [" ".join(t for t in source[x:y] if _WORD_START.match(t)) for x, y in spans_b]
    to_src: dict[int, int] = {}

    def tokens(a0: int, a1: int, b0: int, b1: int) -> None:
        if plain[a0:a1] == source[b0:b1]:
            to_src.update(zip(range(a0, a1), range(b0, b1), strict=True))
            return
        for e in diff_sequences(plain[a0:a1], source[b0:b1], rank=_rank):
            if e.op == "equal":
                to_src.update(zip(range(a0 + e.a0, a0 + e.a1), range(b0 + e.b0, b0 + e.b1), strict=True))

    def start(spans: list[tuple[int, int]], k: int, n: int) -> int:
        return spans[k][0] if k < len(spans) else n

    pending: list[tuple[int, int, int, int]] = []  # a run of unmatched paragraphs: (a0, a1, b0, b1) in paragraphs

    def flush() -> None:
        if pending:
            pa0, pb0, pa1, pb1 = pending[0][0], pending[0][2], pending[-1][1], pending[-1][3]
            tokens(
                start(spans_a, pa0, len(plain)),
                start(spans_a, pa1, len(plain)),
                start(spans_b, pb0, len(source)),
                start(spans_b, pb1, len(source)),
            )
            pending.clear()

    # Paragraphs whose words occur once on each side anchor the match (diff-match-patch's bisection over all the
    # paragraphs took a second: footnotes and table cells sit elsewhere in the plain text than in the source).
    for e in paragraph_diff(keys_a, keys_b):
        if e.op != "equal":
            pending.append((e.a0, e.a1, e.b0, e.b1))
            continue
        flush()
        for k in range(e.a1 - e.a0):
            (a0, a1), (b0, b1) = spans_a[e.a0 + k], spans_b[e.b0 + k]
            tokens(a0, a1, b0, b1)
    flush()
    return to_src


_WORD_START = re.compile(r"\w")


def _paragraph_spans(tokens: list[str]) -> list[tuple[int, int]]:
    """Token ranges of paragraphs, each with the blank-line separator that ends it (the last one may lack it)."""
    ends = [k + 1 for k, t in enumerate(tokens) if "\n" in t and t.isspace() and t.count("\n") >= 2]
    if not ends or ends[-1] < len(tokens):
        ends.append(len(tokens))
    return list(zip([0, *ends[:-1]], ends, strict=True)) if tokens else []


@lru_cache(maxsize=2)
def _base_document(base_source: str) -> Document:
    """The parsed base version: a merge reads every Word contribution on the same base against it (Documents are
    frozen, so sharing one is safe)."""
    return read_draft(base_source)


def _hunks(base: TextLayout, b: list[str]) -> list[tuple[int, int, int, int]]:
    from wtpf_cli.merging.merge import laid_out, two_level_diff_of

    a = base.tokens
    hunks: list[tuple[int, int, int, int]] = []
    pending: list[tuple[int, int, int, int]] = []
    for op, a0, a1, b0, b1 in [*two_level_diff_of(base, laid_out(b)), ("equal", len(a), len(a), len(b), len(b))]:
        if op == "equal":
            if pending:
                hunks.append((pending[0][0], pending[-1][1], pending[0][2], pending[-1][3]))
                pending = []
        else:
            pending.append((a0, a1, b0, b1))
    return hunks


def _markdown_of_insertions(segment: Segment) -> str:
    """Inserted text as Markdown: escaped so that it reads back as typed, its bold or italic kept."""
    if not segment.inserted:
        return segment.text
    core = _ESCAPE_RE.sub(r"\\\1", segment.text)
    stripped = core.strip()
    if not stripped or not segment.marks:
        return core
    wrap = ("**" if "strong" in segment.marks else "") + ("*" if "em" in segment.marks else "")
    lead, trail = core[: len(core) - len(core.lstrip())], core[len(core.rstrip()) :]
    return f"{lead}{wrap}{stripped}{wrap[::-1]}{trail}"
