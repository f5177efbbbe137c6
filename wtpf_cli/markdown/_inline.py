"""Speed only: markdown-it's core 'inline' rule with a shortcut for plain text, and our tokens of plain text with
footnote references made without the inline parser.

`inline_rule` must give what markdown-it's own rule (`markdown_it.rules_core.inline`) gives: tests/test_parse_fast.py
(test_plain_inline_text_gives_the_tokens_of_the_inline_parser) compares the token streams of the parser with and
without it. `words_and_notes` must give inline_tokens of the inline parser's tokens (as _chunks._one_block makes
them): tests/test_parse_chunks.py
(test_text_with_notes_and_emphasis_read_without_the_inline_parser_is_what_markdown_it_makes) compares them.
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
_EM = frozenset({"em"})
# The markup words_and_notes reads: a footnote reference whose label the footnote_ref rule reads as it is (no space,
# bracket or caret in it), or emphasis by single asterisks around words of ASCII letters and digits between spaces
# (or the ends): an opener only, a closer only (CommonMark's flanking rules), so each pairs with the next.
_MARKUP_RE = re.compile(r"\[\^([A-Za-z0-9_-]+)\]|(?<![^ ])\*([A-Za-z0-9]+(?: [A-Za-z0-9]+)*)\*(?![^ ])")


def words_and_notes(content: str, env: dict[str, Any], memo: TokenMemo) -> list[Token] | None:
    """inline_tokens of what the inline parser makes of one line of text whose only markup is references to
    footnotes `env` defines (with no link definitions in scope) and emphasis of plain words by asterisks, or None
    for other text: a reference is one footnote_ref token, emphasis em_open, its text and em_close, and the text
    between them one text token (no rule starts in it)."""
    if "[" not in content and "*" not in content:
        return None if INLINE_SPECIAL_RE.search(content) else memo_words(memo, content, _NO_MARKS, None)
    parts = _MARKUP_RE.split(content)  # text, label or None, emphasis or None, text, ...
    texts, labels = parts[::3], [label for label in parts[1::3] if label is not None]
    if any(INLINE_SPECIAL_RE.search(text) for text in texts):
        return None
    if labels:
        refs = env.get("footnotes", {}).get("refs", {})
        if env.get("references") or any(f":{label}" not in refs for label in labels):
            return None  # (`[^label][x]` may be a link)
        if any(parts[k + 2].startswith("(") for k in range(1, len(parts), 3) if parts[k] is not None):
            return None  # a reference followed by '(' may be a link
    out: list[Token] = []
    for k in range(0, len(parts), 3):
        if k:
            label, emphasis = parts[k - 2], parts[k - 1]
            if label is not None:
                out.append(Token("", _NO_MARKS, None, label))
            else:
                join_tokens(out, memo_words(memo, emphasis, _EM, None))
        if parts[k]:
            join_tokens(out, memo_words(memo, parts[k], _NO_MARKS, None))
    return out
