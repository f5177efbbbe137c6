"""Map a delegate's Word file back onto the Markdown draft it was built from.

The delegate received the .docx of a version (`wtpf build`), edited it in Word or LibreOffice and sent it back.
Its text with all changes accepted is compared, word by word, with the text of the base version; each change is
then made in the Markdown source at the words it touches, leaving the Markdown syntax around them alone. Edits
made with tracking off differ from the base in the rejected view too: they are taken as well, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .draft import COVER_STYLES, plain_text, read_draft, split_front_matter, split_words
from .inspect import inspect_docx
from .model import BODY, Document, Paragraph
from .ooxml.reader import Segment, text_view

if TYPE_CHECKING:
    from .merge import TextLayout

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
    from .merge import paragraph_tokens  # split_words, kept for the run: most paragraphs are the base's

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
    """What a Word contribution is read against, the same for every contribution on one base version: its paragraph
    texts, their plain-text tokens, its Markdown source tokens, and the alignment of the two."""

    body_paras: list[str]
    plain: list[str]
    cover_end: int
    source: list[str]
    to_src: dict[int, int]
    layout: TextLayout  # the plain tokens with their paragraphs, for the diff against each contribution


@lru_cache(maxsize=2)
def _base_map(base_source: str) -> _BaseMap:
    """The base's plain text aligned with its Markdown source, once per base in a merge run (the alignment depends
    on the base alone: computing it for every Word contribution cost seconds each at 100,000 words)."""
    doc = _base_document(base_source)
    base_body_paras, base_note_paras, cover = _base_paragraphs(doc)
    base_plain = [*_tokens(base_body_paras), "\n\n\n", *_tokens(base_note_paras)]
    cover_end = len(_tokens(base_body_paras[:cover])) + 1 if cover else 0
    source = split_words(split_front_matter(base_source).body)
    from .merge import laid_out

    aligned = _aligned(base_plain, source)
    return _BaseMap(base_body_paras, base_plain, cover_end, source, aligned, laid_out(base_plain))


def word_proposal(path: Path, base_source: str) -> WordProposal:
    """The Markdown body that a Word contribution proposes against `base_source` (the base version's file)."""
    base = _base_map(base_source)
    base_body_paras, base_plain, cover_end = base.body_paras, base.plain, base.cover_end
    source, to_src = base.source, base.to_src
    found = inspect_docx(path)
    warnings = list(found.warnings)
    accept = text_view(found, "accept", parts=("document",), render=_markdown_of_insertions)
    reject = text_view(found, "reject", parts=("document",))
    accept_notes = text_view(found, "accept", parts=("footnotes",), render=_markdown_of_insertions)
    nonempty_base = [p for p in base_body_paras if p.strip()]
    nonempty_reject = [p for p in reject if p.strip()]
    if nonempty_reject != nonempty_base:
        changed = sum(1 for a, b in zip(nonempty_reject, nonempty_base, strict=False) if a != b)
        changed += abs(len(nonempty_reject) - len(nonempty_base))
        warnings.append(
            f"{changed} paragraph(s) differ from the base version with all changes rejected: edits made with "
            "tracking off are taken as changes of the same source"
        )
    new_plain = [*_tokens(accept), "\n\n\n", *_tokens(accept_notes)]
    removals: set[int] = set()
    inserts: dict[int, list[str]] = {}
    hunks = _hunks(base.layout, new_plain)
    skipped_cover = 0
    for a0, a1, b0, b1 in hunks:
        if a0 < cover_end:
            skipped_cover += 1
            continue
        text = "".join(new_plain[b0:b1])
        mapped = [to_src[k] for k in range(a0, a1) if k in to_src]
        unmapped_words = [base_plain[k] for k in range(a0, a1) if k not in to_src and not base_plain[k].isspace()]
        if unmapped_words:
            warnings.append(f"could not find {' '.join(unmapped_words)!r} in the Markdown source; left as it was")
            continue
        if mapped:
            at = mapped[0]
        elif text[:1].isspace() and "\n" in text.split("\n", 1)[0] + "\n" and text.lstrip(" ")[:1] == "\n":
            at = _after_previous(a0, to_src, source)  # a new paragraph after this one
        else:
            at = _insertion_point(a0, to_src, len(base_plain), len(source))
        removals.update(mapped)
        inserts.setdefault(at, []).append(text)
    if skipped_cover:
        warnings.append("changes to the cover block (symbol, date, title) are not taken: stamp sets them")
    out: list[str] = []
    pos = 0  # the source is copied in slices between the places that change (a few dozen in 200,000 tokens)
    for k in sorted(inserts.keys() | removals):
        out.extend(source[pos:k])
        out.extend(inserts.get(k, []))
        if k < len(source) and k not in removals:
            out.append(source[k])
        pos = k + 1
    out.extend(source[pos:])
    return WordProposal("".join(out), tuple(warnings), found.authors())


def _aligned(plain: list[str], source: list[str]) -> dict[int, int]:
    """Plain-text token -> Markdown source token, for the tokens the two share.

    Paragraphs are matched first by their words alone (Markdown marks, footnote labels aside, add no words), then
    tokens inside each matched pair whose marks differ and inside the runs between matches. One token diff of the
    whole texts costs O(N x D) and differs at every Markdown mark: at report size (100,000 words) that took
    seconds per contribution."""
    from .diffing import diff_sequences
    from .merge import paragraph_diff

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
    from .merge import laid_out, two_level_diff_of

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


def _insertion_point(k: int, to_src: dict[int, int], n_plain: int, n_source: int) -> int:
    """Where text inserted before plain token `k` goes in the source: just before the next word that maps."""
    for j in range(k, n_plain):
        if j in to_src:
            return to_src[j]
    return n_source


def _after_previous(k: int, to_src: dict[int, int], source: list[str]) -> int:
    """After the last word before plain token `k` and the markup that closes its paragraph (`**`, `[^1]`...)."""
    prev = next((to_src[j] for j in range(k - 1, -1, -1) if j in to_src), -1)
    at = prev + 1
    while at < len(source) and not source[at].isspace():
        at += 1
    return at


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
