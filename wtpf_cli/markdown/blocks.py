"""Markdown into our blocks: the markdown-it parser as the drafts use it, the walker from its token stream to
paragraphs and tables, and the builders of those blocks."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from wtpf_cli.errors import InputRejected
from wtpf_cli.markdown._block_rules import list_staircase, one_line_note, quote_staircase
from wtpf_cli.markdown._guards import guard_label, guard_note_link, guard_note_ref, guard_open_bracket
from wtpf_cli.markdown._inline import inline_rule
from wtpf_cli.markdown._quote_window import windowed_quote
from wtpf_cli.markdown.tokens import TokenMemo, code_words, inline_tokens, plain_tokens
from wtpf_cli.model import BODY, Block, Paragraph, ParaProps, Table, Token

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token as MdToken

HEADING_STYLES = {1: "Heading1", 2: "Heading2", 3: "Heading3"}


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The parser of drafts: CommonMark with tables, strikethrough and footnotes."""
    from markdown_it import MarkdownIt  # (start-up: commands that only split front matter skip it)
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    md.enable("table").enable("strikethrough").use(footnote_plugin)
    md.block.tokenize = _refuse_deeper(md.block.tokenize)  # type: ignore[method-assign]
    # Speed only: deep quotes and one-line footnote definitions read without a nested parse each.
    md.block.ruler.before("blockquote", "quote_staircase", quote_staircase)
    md.block.ruler.before("list", "list_staircase", list_staircase)
    md.block.ruler.before("footnote_def", "one_line_note", one_line_note)
    note = next(r for r in md.block.ruler.__rules__ if r.name == "footnote_def")
    md.block.ruler.at("footnote_def", _refuse_nested_notes(note.fn), {"alt": list(note.alt)})
    quote = next(r for r in md.block.ruler.__rules__ if r.name == "blockquote")  # linear after lazy lines
    md.block.ruler.at("blockquote", windowed_quote(quote.fn), {"alt": list(quote.alt)})
    rules = {r.name: r.fn for r in md.inline.ruler.__rules__}  # guarded (speed only): linear in brackets
    md.inline.ruler.at("text", guard_open_bracket(rules["text"]))
    md.inline.ruler.at("link", guard_note_link(guard_label(rules["link"], "[")))
    md.inline.ruler.at("image", guard_label(rules["image"], "!["))
    md.inline.ruler.at("footnote_ref", guard_note_ref(rules["footnote_ref"]))
    # Inline notes (^[text]) are not GitHub Markdown (pandoc's gfm reads them as text); the plugin's notes have no
    # label, which the draft's footnotes need: they stay text.
    md.disable("footnote_inline", ignoreInvalid=True)
    md.core.ruler.at("inline", core_inline)  # markdown-it's own rule with a shortcut for plain text (speed only)
    return md


# markdown-it skips, without a word, all that is nested deeper than its maxNesting (20 in CommonMark's preset: a
# list ten deep, and everything after it). Ours reads lists 50 deep and block quotes 100 deep (a level for each
# quote, two for each list: list and item); deeper text is refused, never dropped.
MAX_NESTING = 100
WORD_LIST_LEVELS = 9  # ECMA-376 Part 1, 17.9.3: w:ilvl is 0-8


INLINE_NESTING = 20  # CommonMark's preset: inline, the nesting bound costs time at every unmatched `[`


def _inline_nesting(rule: Callable[[Any], None]) -> Callable[[Any], None]:
    """The core 'inline' rule, run with the inline nesting bound of CommonMark's preset (MAX_NESTING is for blocks)."""

    def run(state: Any) -> None:
        options = state.md.options
        blocks = options["maxNesting"]
        options["maxNesting"] = INLINE_NESTING
        try:
            rule(state)
        finally:
            options["maxNesting"] = blocks

    return run


core_inline = _inline_nesting(inline_rule)
"""The parser's core 'inline' rule (what _chunks.py runs on a state it made itself)."""


def _refuse_deeper(tokenize: Callable[..., None]) -> Callable[..., None]:
    """markdown-it's block tokenizer, raising InputRejected where it would skip text nested beyond MAX_NESTING."""

    def checked(state: Any, start_line: int, end_line: int, silent: bool = False) -> None:
        if state.level >= MAX_NESTING:
            for line in range(start_line, end_line):
                if state.sCount[line] >= state.blkIndent and not state.isEmpty(line):
                    text = state.src[state.bMarks[line] : state.eMarks[line]].strip()
                    raise InputRejected(
                        f"Markdown nested {MAX_NESTING} levels deep or more (block quotes count one level each, "
                        f"lists two) cannot be read: {text[:60]!r}",
                        excerpt=text,
                    )
        tokenize(state, start_line, end_line)

    return checked


def _refuse_nested_notes(rule: Callable[[Any, int, int, bool], bool]) -> Callable[[Any, int, int, bool], bool]:
    """The footnote_def rule, raising InputRejected at a definition inside another's (the plugin's footnote_tail
    would move the rest of the outer note into the body, or drop it)."""

    def run(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        if silent:
            return rule(state, start_line, end_line, silent)
        depth = state.__dict__.get("_wtpf_note_depth", 0)
        if depth and rule(state, start_line, end_line, True):
            text = state.src[state.bMarks[start_line] + state.tShift[start_line] : state.eMarks[start_line]]
            raise InputRejected(
                f"a footnote definition inside another footnote's definition cannot be read: {text.strip()[:60]!r} "
                "(end the first definition with a blank line and a line that is not indented)",
                excerpt=text.strip(),
            )
        state._wtpf_note_depth = depth + 1
        try:
            return rule(state, start_line, end_line, silent)
        finally:
            state._wtpf_note_depth = depth

    return run


def list_too_deep(depth: int, text: str) -> str:
    """The warning for a list nested deeper than Word's list levels, at the item whose text is `text`."""
    words = " ".join(text.split())
    return (
        f"a list nested {depth} levels deep ({words[:40]!r}): Word has {WORD_LIST_LEVELS} list levels, so the .docx "
        f"shows its items at the {WORD_LIST_LEVELS}th"
    )


def paragraph(props: ParaProps, tokens: list[Token]) -> Paragraph:
    """A paragraph of `tokens`, with its key."""
    tup = tuple(tokens)
    return Paragraph(props, tup, paragraph_key(props, tup))


def paragraph_key(props: ParaProps, tokens: tuple[Token, ...]) -> int:
    """A paragraph's hash: of its properties and the texts of its tokens (equal paragraphs have equal keys; the
    texts' hashes are cached by the strings, where a token's dataclass hash is a Python call per token)."""
    return hash((props, tuple([t.text for t in tokens])))


def table(rows: list[list[list[Token]]], align: list[str | None], header_rows: int) -> Table:
    """A table of rows of cells of tokens, with its key."""
    trows = tuple(tuple(tuple(cell) for cell in row) for row in rows)
    talign = tuple(align)
    return Table(trows, talign, header_rows, hash((trows, talign, header_rows)))


class Walker:
    """Turns markdown-it's flat token stream into our blocks."""

    def __init__(self, blocks: list[Block], warnings: list[str], memo: TokenMemo, first_line: int = 0) -> None:
        self.blocks = blocks
        self.warnings = warnings
        self.memo = memo
        self.first_line = first_line  # the line of the tokens' source where the text being read starts
        self.lists: list[tuple[str, int, int]] = []  # (kind, list_id, start) for each open list
        self.item_first_para: list[bool] = []
        self.quote = 0
        self.container = BODY
        self.ordered_lists = 0

    def walk(self, toks: list[MdToken], start: int = 0, stop: int | None = None) -> None:
        """Append the blocks of toks[start:stop] (whole top-level blocks) to `blocks`."""
        i = start
        n = len(toks) if stop is None else stop
        while i < n:
            t = toks[i]
            typ = t.type
            if typ == "heading_open":
                level = int(t.tag[1:])
                style = HEADING_STYLES.get(level, "Heading4")
                self._add_para(ParaProps(style=style, container=self.container), toks[i + 1])
                i += 3
                continue
            if typ == "paragraph_open":
                self._add_para(self._para_props(), toks[i + 1])
                i += 3
                continue
            if typ in ("bullet_list_open", "ordered_list_open"):
                if typ == "ordered_list_open":
                    self.ordered_lists += 1
                    start = int(t.attrs.get("start", 1) or 1)
                    self.lists.append(("ordered", self.ordered_lists, start))
                else:
                    self.lists.append(("bullet", 0, 1))
                if len(self.lists) == WORD_LIST_LEVELS + 1:  # (named by its text: a chunk's lines are its own)
                    text = next((x.content for x in toks[i : i + 5] if x.type == "inline"), "")
                    self.warnings.append(list_too_deep(len(self.lists), text))
            elif typ in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif typ == "list_item_open":
                self.item_first_para.append(True)
            elif typ == "list_item_close":
                self.item_first_para.pop()
            elif typ == "blockquote_open":
                self.quote += 1
            elif typ == "blockquote_close":
                self.quote -= 1
            elif typ in ("fence", "code_block"):
                text = t.content[:-1] if t.content.endswith("\n") else t.content
                toks_ = [Token(w, frozenset({"code"})) for w in code_words(text)]
                self.blocks.append(paragraph(ParaProps(style="SourceCode", container=self.container), toks_))
            elif typ == "html_block":
                line = (t.map or [self.first_line])[0] - self.first_line + 1
                self.warnings.append(f"raw HTML on line {line} is kept as plain text")
                text = t.content.strip()
                self.blocks.append(paragraph(self._para_props(), plain_tokens(text)))
            elif typ == "table_open":
                i = self._add_table(toks, i)
                continue
            elif typ == "footnote_open":
                self.container = f"fn:{t.meta['label']}"
            elif typ == "footnote_close":
                self.container = BODY
            i += 1

    def _para_props(self) -> ParaProps:
        if self.container != BODY:
            return ParaProps(style="FootnoteText", container=self.container)
        if self.lists:
            kind, list_id, start = self.lists[-1]
            first = self.item_first_para[-1] if self.item_first_para else False
            if first:
                self.item_first_para[-1] = False
                return ParaProps(
                    style="ListParagraph",
                    list_kind=kind,
                    list_level=len(self.lists) - 1,
                    list_id=list_id,
                    list_start=start,
                )
            return ParaProps(style="ListParagraph", list_level=len(self.lists) - 1)
        if self.quote:
            return ParaProps(style="BlockQuote")
        return ParaProps(style="BodyText")

    def _add_para(self, props: ParaProps, inline: MdToken) -> None:
        self.blocks.append(paragraph(props, inline_tokens(inline.children or [], self.memo)))

    def _add_table(self, toks: list[MdToken], i: int) -> int:
        rows: list[list[list[Token]]] = []
        align: list[str | None] = []
        header_rows = 0
        in_head = False
        row: list[list[Token]] = []
        i += 1
        while toks[i].type != "table_close":
            t = toks[i]
            if t.type == "thead_open":
                in_head = True
            elif t.type == "thead_close":
                in_head = False
            elif t.type == "tr_open":
                row = []
            elif t.type == "tr_close":
                rows.append(row)
                if in_head:
                    header_rows += 1
            elif t.type in ("th_open", "td_open"):
                style = str(t.attrs.get("style", "") or "")
                cell_align = style.split(":", 1)[1] if style.startswith("text-align:") else None
                if len(rows) == 0:
                    align.append(cell_align)
            elif t.type == "inline":
                row.append(inline_tokens(t.children or [], self.memo))
            i += 1
        self.blocks.append(table(rows, align, header_rows))
        return i + 1
