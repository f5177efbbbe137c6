"""A Markdown body's blocks with where each stands in the source: what the build makes a Word paragraph (a
heading, a paragraph, a list item, a quote, a code block), a table (with its rows and cells) or a footnote, and
the characters of the body it is written in. A merge changes a draft block by block with them and leaves every
other byte as it was.

Each block holds the inline source of its first line's content (after the heading's ``#``, the item's marker, the
note's ``[^label]:``) and its tokens as the build reads them. Lines that are no block of the build (a link
reference definition, a thematic break) are blocks of kind "other", which a merge keeps.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from wtpf_cli.markdown.blocks import markdown_parser
from wtpf_cli.markdown.tokens import TokenMemo, code_words, inline_tokens, plain_tokens
from wtpf_cli.model import Token

if TYPE_CHECKING:
    from markdown_it.token import Token as MdToken

_PREFIX = {
    "heading": re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]+|$)"),
    "item": re.compile(r"[ \t>]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)"),
    "note": re.compile(r"[ \t]{0,3}\[\^[^\]]+\]:[ \t]*"),
    "quote": re.compile(r"(?:[ \t]*>[ \t]?)+"),
}
_INDENT = re.compile(r"[ \t]*")


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: its characters [start, end) and each cell's inline source and tokens."""

    start: int
    end: int
    cells: tuple[tuple[str, tuple[Token, ...]], ...]


@dataclass(frozen=True, slots=True)
class SourceBlock:
    """A block of the body: its kind ("heading", "para", "item", "cont": more paragraphs of an item, "quote",
    "code", "table", "note", "other"), its characters [start, end) (whole lines, without the last line feed), how
    long the prefix of its first line is, its tokens; for headings the level, for items and their other
    paragraphs the list depth (0 for a top-level list), list kind and number (ordered: its own, the list's
    start beside it), which list (numbered in order), the marker as written; for a table its rows, head first,
    and its delimiter row; for a note its label and each paragraph's tokens."""

    kind: str
    start: int
    end: int
    prefix: int = 0
    tokens: tuple[Token, ...] = ()
    level: int = 0
    list_kind: str = ""
    number: int = 0
    list_start: int = 1
    list_id: int = 0
    marker: str = ""
    rows: tuple[Row, ...] = ()
    delimiter: tuple[int, int] = (0, 0)
    label: str = ""
    paragraphs: tuple[tuple[Token, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """A body and its blocks in source order."""

    text: str
    blocks: tuple[SourceBlock, ...]


def source_blocks(body: str) -> SourceDoc:
    """The blocks of a Markdown body (without front matter), in the order of the source."""
    tokens = markdown_parser().parse(body)
    lines = list(accumulate((len(line) for line in body.splitlines(keepends=True)), initial=0))
    return SourceDoc(body, tuple(_Reader(body, lines).read(tokens)))


class _Reader:
    """The walk over markdown-it's block tokens."""

    def __init__(self, body: str, lines: list[int]) -> None:
        self.body = body
        self.lines = lines  # the offset of each line's start; the body's length last
        self.memo: TokenMemo = {}
        self.lists: list[tuple[str, int, int, str]] = []  # open lists: kind, list id, start, marker
        self.items: list[tuple[int, str, bool]] = []  # open items: number, marker, first paragraph still to come
        self.quote = 0
        self.list_count = 0
        self.note: tuple[str, list[tuple[Token, ...]], int, int] | None = None  # label, paragraphs, start, end
        self.out: list[SourceBlock] = []

    def span(self, first: int, end: int) -> tuple[int, int]:
        """Characters of lines [first, end), without the last line feed."""
        start, stop = self.lines[min(first, len(self.lines) - 1)], self.lines[min(end, len(self.lines) - 1)]
        while stop > start and self.body[stop - 1] in "\r\n":
            stop -= 1
        return start, stop

    def prefix(self, kind: str, start: int) -> int:
        """The length of a block's prefix on its first line."""
        pattern = _PREFIX.get(kind, _INDENT)
        found = pattern.match(self.body, start)
        return found.end() - start if found else 0

    def inline(self, token: MdToken) -> tuple[Token, ...]:
        return tuple(inline_tokens(token.children or [], self.memo))

    def read(self, toks: list[MdToken]) -> list[SourceBlock]:
        i = 0
        while i < len(toks):
            t = toks[i]
            typ = t.type
            if typ == "heading_open" and t.map:
                start, end = self.span(*t.map)
                level = int(t.tag[1:])
                setext = t.markup in ("=", "-")
                self.add("heading", start, end, 0 if setext else self.prefix("heading", start), toks[i + 1], level)
                i += 3
                continue
            if typ == "paragraph_open" and t.map:
                self.paragraph(t, toks[i + 1])
                i += 3
                continue
            if typ in ("bullet_list_open", "ordered_list_open"):
                self.list_count += 1
                kind = "ordered" if typ == "ordered_list_open" else "bullet"
                self.lists.append((kind, self.list_count, int(t.attrs.get("start", 1) or 1), t.markup))
            elif typ in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif typ == "list_item_open":
                number = int(t.info) if t.info.isdigit() else 0
                self.items.append((number, t.markup, True))
            elif typ == "list_item_close":
                self.items.pop()
            elif typ == "blockquote_open":
                self.quote += 1
            elif typ == "blockquote_close":
                self.quote -= 1
            elif typ in ("fence", "code_block") and t.map:
                start, end = self.span(*t.map)
                text = t.content[:-1] if t.content.endswith("\n") else t.content
                code = tuple(Token(w, frozenset({"code"})) for w in code_words(text))
                self.out.append(SourceBlock("code", start, end, 0, code))
            elif typ == "html_block" and t.map:
                start, end = self.span(*t.map)
                self.out.append(SourceBlock("para", start, end, 0, tuple(plain_tokens(t.content.strip()))))
            elif typ == "hr" and t.map:
                self.out.append(SourceBlock("other", *self.span(*t.map)))
            elif typ == "table_open":
                i = self.table(toks, i)
                continue
            elif typ == "footnote_open":
                self.note = (str(t.meta["label"]), [], -1, -1)
            elif typ == "footnote_close" and self.note is not None:
                label, paragraphs, start, end = self.note
                if start >= 0:
                    prefix = self.prefix("note", start)
                    self.out.append(
                        SourceBlock(
                            "note", start, end, prefix, paragraphs[0], label=label, paragraphs=tuple(paragraphs)
                        )
                    )
                self.note = None
            i += 1
        return self.others(sorted(self.out, key=lambda b: b.start))

    def paragraph(self, t: MdToken, inline: MdToken) -> None:
        """A paragraph: of a note, the first of a list item, another of an item, in a quote, or plain."""
        assert t.map is not None
        start, end = self.span(*t.map)
        if self.note is not None:
            label, paragraphs, first, _end = self.note
            paragraphs.append(self.inline(inline))
            self.note = (label, paragraphs, start if first < 0 else first, end)
            return
        if self.lists:
            kind, list_id, list_start, _markup = self.lists[-1]
            number, marker, first = self.items[-1] if self.items else (0, "", False)
            depth = len(self.lists) - 1
            if first:
                self.items[-1] = (number, marker, False)
                prefix = self.prefix("item", start)
                self.add("item", start, end, prefix, inline, depth, kind, number, list_start, list_id, marker)
            else:
                self.add("cont", start, end, self.prefix("cont", start), inline, depth + 1)
            return
        if self.quote:
            self.add("quote", start, end, self.prefix("quote", start), inline)
            return
        self.add("para", start, end, self.prefix("para", start), inline)

    def add(
        self,
        kind: str,
        start: int,
        end: int,
        prefix: int,
        inline: MdToken,
        level: int = 0,
        list_kind: str = "",
        number: int = 0,
        list_start: int = 1,
        list_id: int = 0,
        marker: str = "",
    ) -> None:
        tokens = self.inline(inline)
        self.out.append(
            SourceBlock(kind, start, end, prefix, tokens, level, list_kind, number, list_start, list_id, marker)
        )

    def table(self, toks: list[MdToken], i: int) -> int:
        """A table: its rows (head first) with their cells, and its delimiter row; the index after it."""
        opening = toks[i]
        rows: list[Row] = []
        cells: list[tuple[str, tuple[Token, ...]]] = []
        row_span = (0, 0)
        i += 1
        while toks[i].type != "table_close":
            t = toks[i]
            if t.type == "tr_open" and t.map:
                row_span = self.span(*t.map)
                cells = []
            elif t.type == "tr_close":
                rows.append(Row(row_span[0], row_span[1], tuple(cells)))
            elif t.type == "inline":
                cells.append((t.content, self.inline(t)))
            i += 1
        if opening.map and rows:
            head_line = bisect_right(self.lines, rows[0].start) - 1
            delimiter = self.span(head_line + 1, head_line + 2)
            end = rows[-1].end
            self.out.append(SourceBlock("table", rows[0].start, end, rows=tuple(rows), delimiter=delimiter))
        return i + 1

    def others(self, blocks: list[SourceBlock]) -> list[SourceBlock]:
        """The blocks with the text between them that is not blank made blocks of kind "other"."""
        out: list[SourceBlock] = []
        pos = 0
        for block in [*blocks, SourceBlock("end", len(self.body), len(self.body))]:
            gap = self.body[pos : block.start]
            if gap.strip():
                first = pos + len(gap) - len(gap.lstrip())
                last = pos + len(gap.rstrip())
                out.append(SourceBlock("other", first, last))
            if block.kind != "end":
                out.append(block)
            pos = max(pos, block.end)
        return out
