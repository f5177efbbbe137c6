"""Plain versions of the Markdown reader's shortcuts, kept to check them (tests/test_parse_fast.py)."""

from __future__ import annotations

from wtpf_cli.model import Token


def merge_spaces(tokens: list[Token]) -> list[Token]:
    """Join adjacent whitespace tokens of the same formatting (a softbreak next to a space): what
    wtpf_cli.markdown.tokens.inline_tokens does child by child."""
    out: list[Token] = []
    last_space = False  # out[-1] is whitespace other than a line break
    for t in tokens:
        text = t.text
        space = text != "\n" and text.isspace()
        if space and last_space and out[-1].marks == t.marks and out[-1].href == t.href:
            out[-1] = Token(out[-1].text + text, t.marks, t.href)
        else:
            out.append(t)
        last_space = space
    return out
