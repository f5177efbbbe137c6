"""Map a delegate's Word file back onto the Markdown draft it was built from.

The delegate received the .docx of a version (`wtpf build`), edited it in Word or LibreOffice and sent it back.
Its text with all changes accepted is compared, word by word, with the text of the base version; each change is
then made in the Markdown source at the words it touches, leaving the Markdown syntax around them alone. Edits
made with tracking off differ from the base in the rejected view too: they are taken as well, with a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from wtpf_cli.markdown.cover import COVER_STYLES
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.markdown.tokens import plain_text
from wtpf_cli.merging._wordmap import Alignment, alignment_blocks, hunks_by_paragraph
from wtpf_cli.merging.layout import TextLayout, laid_out, paragraph_tokens, text_layout, two_level_diff
from wtpf_cli.model import BODY, Document, Paragraph
from wtpf_cli.ooxml.inspection import inspect_docx
from wtpf_cli.ooxml.revisions import Segment
from wtpf_cli.ooxml.views import text_view

_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>])")


@dataclass(frozen=True, slots=True)
class WordProposal:
    """The Markdown body a Word contribution proposes, and what the reader noticed."""

    body: str
    warnings: tuple[str, ...]
    reviewers: tuple[str, ...] = ()


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
    """The split_words tokens of the non-empty paragraphs, a blank line between each two (paragraph_tokens: most
    paragraphs are the base's, split once for the run)."""
    out: list[str] = []
    for p in paragraphs:
        if not p.strip():
            continue
        if out:
            out.append("\n\n")
        out.extend(paragraph_tokens(p))
    return out


@dataclass(frozen=True, slots=True)
class _PlainBase:
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
    to_src: Alignment
    layout: TextLayout  # the plain tokens with their paragraphs, for the diff against each contribution
    anchors: tuple[list[int], list[str]]  # the paragraph keys of the layout that occur once: places, keys


@lru_cache(maxsize=2)
def _plain_base(base_source: str) -> _PlainBase:
    """The base's plain text aligned with its Markdown source, once per base in a merge run (the alignment depends
    on the base alone, and is the costliest part of reading a Word contribution)."""
    doc = _base_document(base_source)
    base_body_paras, base_note_paras, cover = _base_paragraphs(doc)
    base_plain = [*_tokens(base_body_paras), "\n\n\n", *_tokens(base_note_paras)]
    cover_end = len(_tokens(base_body_paras[:cover])) + 1 if cover else 0
    # The source as merge_text splits the base: split_words tokens with their paragraphs, kept for the run.
    body = split_front_matter(base_source).body
    source = text_layout(body)
    layout = laid_out(base_plain)
    once = {k for k, n in Counter(layout.keys).items() if n == 1}
    places = [i for i, k in enumerate(layout.keys) if k in once]
    anchors = (places, [layout.keys[i] for i in places])
    nonempty_body = [p for p in base_body_paras if p.strip()]
    to_src = Alignment(base_plain, source.tokens, alignment_blocks(layout, source))
    offsets = list(accumulate(map(len, source.tokens), initial=0))
    return _PlainBase(
        base_body_paras, nonempty_body, base_plain, cover_end, source.tokens, body, offsets, to_src, layout, anchors
    )


def word_proposal(path: Path, base_source: str) -> WordProposal:
    """The Markdown body that a Word contribution proposes against `base_source` (the base version's file)."""
    found = inspect_docx(path)
    accept = text_view(found, "accept", parts=("document",), render=_markdown_of_insertions)
    reject = text_view(found, "reject", parts=("document",))
    notes = text_view(found, "accept", parts=("footnotes",), render=_markdown_of_insertions)
    # Word, and our writer, put a space between a note's number and its text: the space is not the note's text.
    accept_notes = [p[1:] if p.startswith(" ") else p for p in notes]
    body, warnings = proposed_body(base_source, accept, reject, accept_notes)
    return WordProposal(body, (*found.warnings, *warnings), found.authors())


def proposed_body(
    base_source: str, accept: list[str], reject: list[str], accept_notes: list[str]
) -> tuple[str, tuple[str, ...]]:
    """The Markdown body proposed by a Word file's views (body paragraphs accepted and rejected, footnotes
    accepted), and the warnings of the mapping."""
    base = _plain_base(base_source)
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
    # The source is copied in slices of its text between the places that change (a few dozen in a whole report).
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


def _changed_places(base: _PlainBase, accept: list[str], accept_notes: list[str]) -> list[tuple[int, int, str]]:
    """The hunks of the accepted view (body and footnote paragraphs) against the base's plain text: base plain
    tokens a0:a1 and the text that replaces them."""
    body = [p for p in accept if p.strip()]
    notes = [p for p in accept_notes if p.strip()]
    if _BREAK_RE.search("\x00".join(body)) or _BREAK_RE.search("\x00".join(notes)):
        # A paragraph with a blank line inside lays out as several paragraphs: the view is laid out whole.
        new_plain = [*_tokens(accept), "\n\n\n", *_tokens(accept_notes)]
        return [(a0, a1, "".join(new_plain[b0:b1])) for a0, a1, b0, b1 in _hunks(base.layout, new_plain)]
    return hunks_by_paragraph(base.layout, base.anchors, body, notes)


@lru_cache(maxsize=2)
def _base_document(base_source: str) -> Document:
    """The parsed base version: a merge reads every Word contribution on the same base against it (Documents are
    frozen, so sharing one is safe)."""
    return read_draft(base_source)


def _hunks(base: TextLayout, b: list[str]) -> list[tuple[int, int, int, int]]:
    """The runs of changes of the two-level diff of the base's plain text and the tokens b: (a0, a1, b0, b1)."""
    a = base.tokens
    hunks: list[tuple[int, int, int, int]] = []
    pending: list[tuple[int, int, int, int]] = []
    for op, a0, a1, b0, b1 in [*two_level_diff(base, laid_out(b)), ("equal", len(a), len(a), len(b), len(b))]:
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
