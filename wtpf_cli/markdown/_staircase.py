"""Speed only: a chunk that is a quote or list staircase of plain text made into blocks without markdown-it.

`staircase_blocks(text, memo)` must give the blocks of `_chunks._parse_alone(text, ...)` for such a chunk (its
parse by markdown-it and the Walker, no definitions in scope): tests/test_parse_chunks.py
(test_a_staircase_made_without_markdown_it_is_what_markdown_it_and_the_walker_make) compares them. The shapes are
those _block_rules.py reads at the top level, its paragraphs' texts without anything an inline rule starts at.
"""

from __future__ import annotations

from wtpf_cli.markdown._block_rules import _DEEPEST, _ITEM_LINE_RE, _QUOTE_LINE_RE
from wtpf_cli.markdown._inline import INLINE_SPECIAL_RE
from wtpf_cli.markdown.blocks import WORD_LIST_LEVELS, paragraph
from wtpf_cli.markdown.tokens import TokenMemo, join_tokens, memo_words
from wtpf_cli.model import Block, ParaProps, Token

_NO_MARKS: frozenset[str] = frozenset()
_QUOTE = ParaProps(style="BlockQuote")


def staircase_blocks(text: str, memo: TokenMemo) -> tuple[Block, ...] | None:
    """The blocks of a chunk that is one quote staircase (`> a`, `>> b`, ...: each run of one depth a paragraph) or
    one tight bullet list staircase (one-line items, each at most one level deeper than the one before, less than
    Word's nine levels deep), then blank lines; None for other chunks."""
    if "\r" in text:
        return None
    lines = text.rstrip(" \t\n").split("\n")
    if text[:1] == ">":
        return _quote(lines, memo)
    if text[:1] in "-*+":
        return _items(lines, memo)
    return None


def _quote(lines: list[str], memo: TokenMemo) -> tuple[Block, ...] | None:
    runs: list[tuple[int, list[str]]] = []  # (depth, texts) of each run of lines of one depth
    for line in lines:
        found = _QUOTE_LINE_RE.match(line)
        if found is None:
            return None
        depth = found.end(1)
        if runs and depth == runs[-1][0]:
            runs[-1][1].append(found.group(2))
        elif runs and depth < runs[-1][0]:
            return None
        else:
            runs.append((depth, [found.group(2)]))
    if runs[-1][0] > _DEEPEST:
        return None
    blocks: list[Block] = []
    for _, texts in runs:
        tokens = _plain(texts, memo)
        if tokens is None:
            return None
        blocks.append(paragraph(_QUOTE, tokens))
    return tuple(blocks)


def _items(lines: list[str], memo: TokenMemo) -> tuple[Block, ...] | None:
    blocks: list[Block] = []
    bullet = ""
    depth = -1
    for line in lines:
        found = _ITEM_LINE_RE.match(line)
        if found is None or (bullet and found.group(2) != bullet):
            return None
        bullet = found.group(2)
        next_depth = len(found.group(1)) // 2
        if next_depth > depth + 1 or next_depth >= WORD_LIST_LEVELS:
            return None
        depth = next_depth
        tokens = _plain([found.group(3)], memo)
        if tokens is None:
            return None
        props = ParaProps(style="ListParagraph", list_kind="bullet", list_level=depth, list_id=0, list_start=1)
        blocks.append(paragraph(props, tokens))
    return tuple(blocks)


def _plain(texts: list[str], memo: TokenMemo) -> list[Token] | None:
    """The tokens of a paragraph of these lines (softbreaks between them), or None if a line ends in whitespace
    (markdown-it trims it, or makes a hard break) or an inline rule may start in them (as _inline.inline_rule
    checks)."""
    if any(t != t.rstrip() or INLINE_SPECIAL_RE.search(t) for t in texts):
        return None
    out: list[Token] = []
    for k, line in enumerate(texts):
        if k:
            join_tokens(out, [Token(" ", _NO_MARKS, None)])
        join_tokens(out, memo_words(memo, line, _NO_MARKS, None))
    return out
