"""Speed only: markdown-it's core 'inline' rule with a shortcut for plain text.

`inline_rule` must give what markdown-it's own rule (`markdown_it.rules_core.inline`) gives: tests/test_parse_fast.py
(test_plain_inline_text_gives_the_tokens_of_the_inline_parser) compares the token streams of the parser with and
without it.
"""

from __future__ import annotations

import re
from typing import Any

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
