"""wordmap.proposed_body the plain way, kept as the reference of its faster twin (tests/test_wordmap_fast.py):
the base aligned whole with its source in one token map (`aligned`), the accepted view laid out whole and diffed
with the base's plain text. It was the production path until the paragraph-wise mapping (merging/_wordmap.py)
replaced it."""

from __future__ import annotations

import re

from wtpf_cli.diff.sequences import diff_sequences
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.markdown.tokens import split_words
from wtpf_cli.merging.layout import laid_out, paragraph_diff, paragraph_spans, token_rank
from wtpf_cli.merging.wordmap import _base_document, _base_paragraphs, _hunks, _tokens, _untracked_warning

_WORD_START = re.compile(r"\w")


def _proposal_plain(
    base_source: str, accept: list[str], reject: list[str], accept_notes: list[str]
) -> tuple[str, tuple[str, ...]]:
    """proposed_body the plain way (the reference of its faster twin): the base aligned whole with its source in one
    token map, the accepted view split and laid out whole and diffed with the base's plain text."""
    doc = _base_document(base_source)
    base_body_paras, base_note_paras, cover = _base_paragraphs(doc)
    base_plain = [*_tokens(base_body_paras), "\n\n\n", *_tokens(base_note_paras)]
    cover_end = len(_tokens(base_body_paras[:cover])) + 1 if cover else 0
    source = split_words(split_front_matter(base_source).body)
    to_src = aligned(base_plain, source)
    warnings: list[str] = []
    nonempty_base = [p for p in base_body_paras if p.strip()]
    nonempty_reject = [p for p in reject if p.strip()]
    if nonempty_reject != nonempty_base:
        warnings.append(_untracked_warning(nonempty_reject, nonempty_base))
    new_plain = [*_tokens(accept), "\n\n\n", *_tokens(accept_notes)]
    removals: set[int] = set()
    inserts: dict[int, list[str]] = {}
    hunks = _hunks(laid_out(base_plain), new_plain)
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
    return "".join(out), tuple(warnings)


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


def aligned(plain: list[str], source: list[str]) -> dict[int, int]:
    """Plain-text token -> Markdown source token, for the tokens the two share.

    Paragraphs are matched first by their words alone (Markdown marks, footnote labels aside, add no words), then
    tokens inside each matched pair whose marks differ and inside the runs between matches (one token diff of the
    whole texts would differ at every Markdown mark)."""
    spans_a, spans_b = paragraph_spans(plain), paragraph_spans(source)
    keys_a = [" ".join(t for t in plain[x:y] if _WORD_START.match(t)) for x, y in spans_a]
    keys_b = [" ".join(t for t in source[x:y] if _WORD_START.match(t)) for x, y in spans_b]
    to_src: dict[int, int] = {}

    def tokens(a0: int, a1: int, b0: int, b1: int) -> None:
        if plain[a0:a1] == source[b0:b1]:
            to_src.update(zip(range(a0, a1), range(b0, b1), strict=True))
            return
        for e in diff_sequences(plain[a0:a1], source[b0:b1], rank=token_rank):
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

    # Paragraphs whose words occur once on each side anchor the match (footnotes and table cells sit elsewhere in
    # the plain text than in the source).
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
