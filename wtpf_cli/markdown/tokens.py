"""Word tokens: the one tokenizer (words, spaces, single punctuation marks) and markdown-it's inline tokens made
into ours, with their formatting marks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wtpf_cli.markdown.segment import SPECIAL, special_words
from wtpf_cli.model import Token

if TYPE_CHECKING:
    from markdown_it.token import Token as MdToken

# Tokens that change as a whole (PRODUCT.md invariant 4), tried first where a digit or a capital starts: a date
# ("13 April 2012", "April 13, 2012", "July 2012"; "2012-04-13" is one word anyway), a document symbol ("WTPF-IEG/1/2",
# "A/RES/66/184": capitals, then parts after slashes) and a number ("1,234.5", "2.4.1", "12%"; "1 199" and
# "12 345 678,5", its thousands set apart by spaces as the ITU's texts and French and Russian write them: groups of
# three digits after a space, a no-break space or a narrow no-break space).
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WHOLE_TOKENS = (
    rf"(?:\d{{1,2}}[ \u00a0])?(?:{_MONTHS})[ \u00a0]\d{{4}}(?!\w)"
    rf"|(?:{_MONTHS})[ \u00a0]\d{{1,2}},[ \u00a0]\d{{4}}(?!\w)"
    r"|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?:/[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*)+"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?%?(?!\w)"
    r"|\d+(?:[.,]\d+)*%|(?>\d+(?:[.,]\d+)+)(?!\w)"
)
# A whole token, a word (letters/digits joined by inner hyphens or apostrophes), a run of spaces, or one other
# character.
_TOKEN_RE = re.compile(rf"(?=[\dA-Z])(?:{_WHOLE_TOKENS})|\w+(?:['’\-]\w+)*|\s+|[^\w\s]")

TokenMemo = dict[tuple[frozenset[str], str | None], dict[str, Token]]  # (marks, href) -> text -> token


def split_words(text: str) -> list[str]:
    """Split text into Word-granularity tokens: whole words (a date, a document symbol or a number as one), spaces,
    single punctuation marks; in scripts written without spaces (Chinese, Japanese, Thai...) the words ICU's
    segmenter finds (segment.py)."""
    if text.isascii() or SPECIAL.search(text) is None:
        return _TOKEN_RE.findall(text)
    return special_words(text, _TOKEN_RE.findall)


def plain_text(tokens: tuple[Token, ...] | list[Token]) -> str:
    """The visible text of tokens (footnote references shown as [^label])."""
    return "".join(f"[^{t.note}]" if t.note is not None else t.text for t in tokens)


def plain_tokens(text: str) -> list[Token]:
    """Unformatted tokens of a text."""
    return [Token(word) for word in split_words(text)]


def code_words(text: str) -> list[str]:
    """split_words of each line of a code block, with the line breaks between them as tokens of their own."""
    out: list[str] = []
    for k, line in enumerate(text.split("\n")):
        if k:
            out.append("\n")
        out.extend(split_words(line))
    return out


def inline_tokens(children: list[MdToken], memo: TokenMemo | None = None) -> list[Token]:
    """Flatten markdown-it inline tokens into our word tokens with formatting marks (equal tokens shared through
    `memo`)."""
    memo = {} if memo is None else memo

    def words(text: str, frozen: frozenset[str], href: str | None) -> list[Token]:
        return memo_words(memo, text, frozen, href)

    out: list[Token] = []
    marks: list[str] = []
    href: str | None = None
    for c in children:
        typ = c.type
        if typ == "text":
            join_tokens(out, words(c.content, frozenset(marks), href))
        elif typ == "softbreak":
            join_tokens(out, [Token(" ", frozenset(marks), href)])
        elif typ == "hardbreak":
            out.append(Token("\n", frozenset(marks), href))
        elif typ == "code_inline":
            join_tokens(out, words(c.content, frozenset([*marks, "code"]), href))
        elif typ in ("strong_open", "em_open", "s_open"):
            marks.append({"strong_open": "strong", "em_open": "em", "s_open": "strike"}[typ])
        elif typ in ("strong_close", "em_close", "s_close"):
            name = {"strong_close": "strong", "em_close": "em", "s_close": "strike"}[typ]
            if name in marks:
                marks.remove(name)
        elif typ == "link_open":
            href = str(c.attrs.get("href", "")) or None
        elif typ == "link_close":
            href = None
        elif typ == "footnote_ref":
            out.append(Token("", frozenset(), None, str(c.meta["label"])))
        elif typ == "image":
            alt = c.content or "image"
            join_tokens(out, [Token(w, frozenset(marks), href) for w in split_words(f"[{alt}]")])
        elif typ in ("html_inline",):
            join_tokens(out, [Token(w, frozenset(marks), href) for w in split_words(c.content)])
    return out


def memo_words(memo: TokenMemo, text: str, marks: frozenset[str], href: str | None) -> list[Token]:
    """split_words as tokens of one formatting, equal ones shared through `memo`."""
    same = memo.get((marks, href))
    if same is None:
        same = memo[(marks, href)] = FormatTokens(marks, href)
    plain = text.isascii() or SPECIAL.search(text) is None  # (split_words, inline: a parse's hot path)
    return list(map(same.__getitem__, _TOKEN_RE.findall(text) if plain else special_words(text, _TOKEN_RE.findall)))


class FormatTokens(dict[str, Token]):
    """Tokens of one formatting by text, made when first asked for (looked up by C-level `map`)."""

    __slots__ = ("href", "marks")

    def __init__(self, marks: frozenset[str], href: str | None) -> None:
        super().__init__()
        self.marks = marks
        self.href = href

    def __missing__(self, text: str) -> Token:
        tok = self[text] = Token(text, self.marks, self.href)
        return tok


def join_tokens(out: list[Token], tokens: list[Token]) -> None:
    """Append one inline child's tokens, joining its first to the token before it where both are whitespace (not a
    line break) of the same formatting (a softbreak next to a space): what joining adjacent whitespace tokens of the
    whole list would do (tests/support/markdown_reference.py, compared in tests/test_parse_fast.py), since
    split_words never puts two whitespace tokens side by side within one child."""
    if out and tokens:
        last, first = out[-1], tokens[0]
        a, b = last.text, first.text
        if (
            b != "\n"
            and b.isspace()
            and a != "\n"
            and a.isspace()
            and last.marks == first.marks
            and last.href == first.href
        ):
            out[-1] = Token(a + b, first.marks, first.href)
            out.extend(tokens[1:])
            return
    out.extend(tokens)
