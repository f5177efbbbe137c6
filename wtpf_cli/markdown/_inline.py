"""Speed only: markdown-it's core 'inline' rule with a shortcut for plain text, and our tokens of plain text with
footnote references made without the inline parser.

`inline_rule` must give what markdown-it's own rule (`markdown_it.rules_core.inline`) gives: tests/test_parse_fast.py
(test_plain_inline_text_gives_the_tokens_of_the_inline_parser) compares the token streams of the parser with and
without it. `words_and_notes` must give inline_tokens of the inline parser's tokens (as _chunks._one_block makes
them): tests/test_parse_chunks.py
(test_text_with_footnote_references_read_without_the_inline_parser_is_what_markdown_it_makes) compares them.
"""

from __future__ import annotations

import re
from typing import Any

from wtpf_cli.markdown.tokens import TokenMemo, join_tokens, memo_words
from wtpf_cli.model import Token

# Characters at which an inline rule of this parser can start (escape, code, emphasis, links, images, footnotes,
# autolinks and HTML, entities, strikethrough), a tab, and a space beside a line break (hard breaks, indents).
INLINE_SPECIAL_RE = re.compile(r"[\\`*_\[\]!<>&~^\t]| \n|\n |\n\n")


def inline_rule(state: Any) -> None:
    """markdown-it's core 'inline' rule, except that plain text (nothing an inline rule could start at) becomes its
    text and softbreak tokens directly: what the inline parser makes of it, for less."""
    from markdown_it.token import Token as MdToken  # (start-up: commands that only split front matter skip it)

    md = state.md
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if content and not INLINE_SPECIAL_RE.search(content):
            children = token.children
            for k, line in enumerate(content.split("\n")):
                if k:
                    children.append(MdToken("softbreak", "br", 0))
                text = MdToken("text", "", 0)
                text.content = line
                children.append(text)
        else:
            md.inline.parse(content, md, state.env, token.children)


_NO_MARKS: frozenset[str] = frozenset()
# A footnote reference whose label the footnote_ref rule reads as it is (no space, bracket or caret in it).
_PLAIN_REF_RE = re.compile(r"\[\^([A-Za-z0-9_-]+)\]")


def words_and_notes(content: str, env: dict[str, Any], memo: TokenMemo) -> list[Token] | None:
    """inline_tokens of what the inline parser makes of one line of text whose only markup is references to
    footnotes `env` defines (with no link definitions in scope), or None for other text: each reference is one
    footnote_ref token and the text between them one text token (no rule starts in it)."""
    if "[" not in content:
        return None if INLINE_SPECIAL_RE.search(content) else memo_words(memo, content, _NO_MARKS, None)
    if env.get("references"):
        return None  # `[^label][x]` may be a link
    parts = _PLAIN_REF_RE.split(content)  # text, label, text, ..., text
    if any(INLINE_SPECIAL_RE.search(part) for part in parts[::2]):
        return None
    refs = env.get("footnotes", {}).get("refs", {})
    if any(f":{label}" not in refs for label in parts[1::2]) or any(p.startswith("(") for p in parts[2::2]):
        return None  # (a reference followed by '(' may be a link)
    out: list[Token] = []
    for k, part in enumerate(parts):
        if k % 2:
            out.append(Token("", _NO_MARKS, None, part))
        elif part:
            join_tokens(out, memo_words(memo, part, _NO_MARKS, None))
    return out
