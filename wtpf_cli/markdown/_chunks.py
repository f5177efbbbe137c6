"""Speed only: a draft's body parsed chunk by chunk (its top-level blocks), each chunk once per run.

`read_chunked(body, cache)` must give what `parse_body(body)` (wtpf_cli/markdown/parse.py: one markdown-it parse of
the whole body) gives; tests/test_draft.py and tests/test_parse_fast.py compare them. Within it, the boundaries found
by one expression must be those found line by line (`split_chunks`, `split_lines`), and chunks parsed in one batch
or without the block parser (`_parse_batch`, `_one_block`, `_note_lines`, `_ONE_NOTE_RE`, `_NOTE_LINES_RE`) or without
the inline parser (`_inline.words_and_notes`) those parsed one by one (`_parse_alone`): tests/test_parse_chunks.py and
tests/test_fast_twins.py. `parse_draft_part`
parses a share of the chunks in another process (the redline's second process, wtpf_cli/_forked.py).

Each chunk is parsed with the footnote and link definitions of the whole body in scope (only those it may use, so
that most chunks are found again by their text alone); footnotes follow the body in order of first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import chain
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from wtpf_cli.markdown._inline import INLINE_SPECIAL_RE, words_and_notes
from wtpf_cli.markdown._one_table import ONE_TABLE_RE, one_table
from wtpf_cli.markdown._staircase import staircase_blocks
from wtpf_cli.markdown.blocks import Walker, core_inline, markdown_parser, paragraph, paragraph_key, table
from wtpf_cli.markdown.frontmatter import split_draft
from wtpf_cli.markdown.notes import kept_notes, note_refs
from wtpf_cli.markdown.tokens import FormatTokens, TokenMemo, inline_tokens, memo_words
from wtpf_cli.model import BODY, Block, Meta, Paragraph, ParaProps, Token

if TYPE_CHECKING:
    from markdown_it.token import Token as MdToken

# markdown-it's modules are imported where they are used (start-up: commands that only split front matter skip it).


class ParseCache:
    """Parsed chunks of Markdown shared by the versions read in one run: unchanged text is parsed once."""

    def __init__(self) -> None:
        self.chunks: dict[tuple[str, frozenset[str], frozenset[tuple[str, str, str]]], Chunk] = {}
        self.definitions: dict[str, _Definitions] = {}
        # a chunk's blocks with its ordered lists renumbered (_shifted): by (id(chunk), offset, join)
        self.shifted: dict[tuple[int, int, OpenList | None], tuple[Block, ...]] = {}
        self.tokens: TokenMemo = {}  # one Token object for equal tokens
        # the footnote labels and (normalized) link labels that a chunk's text may refer to
        self.candidates: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # chunks whose text has no brackets (no label to look up), by text alone
        self.plain: dict[str, Chunk] = {}
        # the other chunks by text alone, for the footnote and link definitions of the last version read (`scope`):
        # a chunk's blocks depend only on its text and those definitions, which most versions leave as they were
        self.scope: tuple[set[str], dict[str, tuple[str, str]]] = (set(), {})
        self.scoped: dict[str, Chunk] = {}
        # the footnote labels referenced in a footnote's paragraphs, by the id of their tuple (held in `chunks`)
        self.note_refs: dict[int, list[str]] = {}
        self.covers: dict[Meta, tuple[Block, ...]] = {}  # the cover blocks of each front matter

    def shared(self, token: Token) -> Token:
        """The token equal to `token` that the chunks parsed here use (`token` itself if new to them)."""
        if token.note is not None:
            return token
        words = self.tokens.get((token.marks, token.href))
        if words is None:
            words = self.tokens[(token.marks, token.href)] = FormatTokens(token.marks, token.href)
        found = words.get(token.text)
        if found is None:
            found = words[token.text] = token
        return found


_NO_LABELS: frozenset[str] = frozenset()
_NO_DEFINITIONS: dict[str, Any] = {"references": {}, "footnotes": {"refs": {}}}  # (read, never written)
_NO_REFS: frozenset[tuple[str, str, str]] = frozenset()


# An ordered list that a chunk ends with: its delimiter ('.' or ')'), its id and its start.
OpenList = tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class Chunk:
    """One chunk as parsed: its blocks, the footnotes it defines, its ordered lists, warnings and references."""

    blocks: tuple[Block, ...]
    notes: tuple[tuple[str, tuple[Block, ...]], ...]  # footnotes this chunk defines, with their paragraphs
    ordered_lists: int
    warnings: tuple[str, ...]
    refs: tuple[str, ...]  # footnote labels referenced in `blocks`, in order of first reference
    # Where the chunk may join the ordered list of the chunk before it (CommonMark 5.3: items with one delimiter,
    # blank lines between them, are one list): the delimiter of the ordered list its first line starts ("" if
    # none), and the ordered list it ends with (nothing but blank lines after it): delimiter, id among the
    # chunk's own lists, start
    opens: str = ""
    closes: OpenList | None = None

    def __reduce__(self) -> tuple[type[Chunk], tuple[Any, ...]]:
        # (as model.Token.__reduce__: parsed parts of a draft travel between the redline's two processes)
        p = (self.blocks, self.notes, self.ordered_lists, self.warnings, self.refs, self.opens, self.closes)
        return (Chunk, p)


@dataclass(frozen=True, slots=True)
class _Definitions:
    notes: frozenset[str]
    references: tuple[tuple[str, str, str], ...]  # (normalized label, href, title)


# A chunk boundary: a blank line followed by a line that starts at column 0 (a new top-level block in
# CommonMark), outside fenced code. Chunks that may hold an HTML block make the whole body parse at once.
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DEF_RE = re.compile(r"^ {0,3}\[\^?[^\]]+\]:")


def _may_define(text: str) -> bool:
    """Whether a chunk may define a footnote or a link: it starts as a definition does, or holds `]:` anywhere (a
    footnote definition interrupts a paragraph, and either may sit in a list item or a quote); markdown-it's parse
    of it says which (_definitions)."""
    return _DEF_RE.match(text) is not None or "]:" in text


# A match runs to the end of its run of label characters whether or not a `]` closes it (then it is dropped), so that
# the search goes on after the run: `\[([^\]]+)\]` tried again at every `[` of a run that no `]` ends (quadratic).
_NOTE_CAND_RE = re.compile(r"\[\^([^\]\s]*)(\]?)")
_REF_CAND_RE = re.compile(r"\[([^\]]*)(\]?)")


def split_chunks(body: str) -> list[str] | None:
    """Top-level chunks of a Markdown body, or None where splitting is not safe (HTML blocks, fenced code left
    open)."""
    if any(c in body for c in _LINE_ENDS) or _ODD_START_RE.match(body):
        return split_lines(body)
    # Lines end only at '\n': the boundaries are where a line of whitespace is followed by a line that starts with
    # another character (what split_lines finds, in C) unless a line may open a fence or an HTML block, or starts
    # with whitespace other than a space or a tab (the boundary regex would not see it).
    cuts: list[int] = []
    for m in _BOUNDARY_RE.finditer(body):
        if m.lastindex:
            return split_lines(body)
        cuts.append(m.end())
    first = _FIRST_BLANK_RE.match(body)
    if first:
        cuts.insert(0, first.end())
    return [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True) if b > a]


# Line ends of str.splitlines other than '\n' (a membership test each is faster than one character class).
_LINE_ENDS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# After a line end: (group 1) a line that needs split_lines, or a line of whitespace (str.strip's, which is re's
# \s) then a line that starts with another character and cannot open a fence or an HTML block (a boundary).
_BOUNDARY_RE = re.compile(r"\n(?:( {0,3}(?:```|~~~)|<|[^\S \t\n])|[^\S\n]*\n(?=\S)(?!```|~~~|<))")
_ODD_START_RE = re.compile(r" {0,3}(?:```|~~~)|<|[^\S \t\n]")
_FIRST_BLANK_RE = re.compile(r"[^\S\n]*\n(?=\S)")


def split_lines(body: str) -> list[str] | None:
    """split_chunks line by line (fences and any line ends)."""
    chunks: list[str] = []
    start = pos = 0  # the current chunk is body[start:pos]
    fence: str | None = None
    blank_before = False
    for line in body.splitlines(keepends=True):
        first = line[:1]
        m = _FENCE_RE.match(line) if first in " `~" else None  # a fence line starts with one of these
        if fence is None:
            if m:
                fence = m.group(1)[0] * 3
            elif first == "<":
                return None
        elif m and m.group(1).startswith(fence):
            fence = None
            pos += len(line)
            blank_before = False
            continue
        if fence is None and blank_before and first not in (" ", "\t", "\n", "\r", "") and pos > start:
            chunks.append(body[start:pos])
            start = pos
        pos += len(line)
        blank_before = fence is None and not line.strip()
    if fence is not None:
        return None  # fenced code open to the end: it would take in what a chunk's parse adds after its text
    if pos > start:
        chunks.append(body[start:pos])
    return chunks


def read_chunked(
    body: str, cache: ParseCache, parsed: Mapping[str, Chunk] | None = None
) -> tuple[list[Block], list[str]] | None:
    """The blocks and warnings of parse_body(body), read chunk by chunk through `cache`, or None where the body
    cannot be cut into chunks safely (HTML blocks). Chunks in `parsed` (from parse_draft_part in another process)
    are taken as they are."""
    read = read_chunks(body, cache, parsed)
    if read is None:
        return None
    found = read[1]
    blocks = list(chain.from_iterable(chunk_blocks(found, cache).blocks))
    notes, warnings = footnotes(found, cache)
    blocks.extend(notes)
    return blocks, warnings


def read_chunks(
    body: str, cache: ParseCache, parsed: Mapping[str, Chunk] | None = None
) -> tuple[list[str], list[Chunk]] | None:
    """The chunks of a body and each one parsed (read_chunked before the chunks are put together), or None where
    the body cannot be cut into chunks safely."""
    chunks = split_chunks(body)
    if chunks is None:
        return None
    found, misses, notes, references = _misses(chunks, cache)
    _parse_misses(list(dict.fromkeys(chunks[i] for i in misses)), notes, references, cache, parsed)
    scoped = cache.scoped
    for i in misses:
        found[i] = scoped[chunks[i]]
    return chunks, cast(list[Chunk], found)


class Numbered(NamedTuple):
    """Chunks with their ordered lists numbered in the body: each one's blocks, the lists it adds and the list it
    leaves open to the chunk after it."""

    blocks: list[tuple[Block, ...]]
    fresh: list[int]  # ordered lists each chunk adds (one less where its first list goes on from the chunk before)
    ends: list[OpenList | None]  # the ordered list each chunk ends with, as numbered in the body


def chunk_blocks(
    found: Iterable[Chunk], cache: ParseCache, lists: int = 0, open_list: OpenList | None = None
) -> Numbered:
    """The blocks of each chunk, its ordered lists numbered after `lists` lists before it; a chunk that opens with
    an item of the delimiter of `open_list` (the list the chunk before it ends with) goes on with that list."""
    out = Numbered([], [], [])
    for chunk in found:
        join = open_list if open_list is not None and chunk.opens == open_list[0] else None
        if join is not None:
            out.blocks.append(_shifted(chunk, lists - 1, cache, join))
            fresh = chunk.ordered_lists - 1
        else:
            out.blocks.append(_shifted(chunk, lists, cache, None) if lists and chunk.ordered_lists else chunk.blocks)
            fresh = chunk.ordered_lists
        closes = chunk.closes
        if closes is None:
            open_list = None
        elif join is not None and closes[1] == 1:
            open_list = join  # the list it went on with ends it too
        else:
            open_list = (closes[0], closes[1] + lists - (join is not None), closes[2])
        out.fresh.append(fresh)
        out.ends.append(open_list)
        lists += fresh
    return out


def footnotes(found: Iterable[Chunk], cache: ParseCache) -> tuple[list[Block], list[str]]:
    """The footnote paragraphs that follow the body's blocks (in order of first reference), and the warnings of
    reading the chunks."""
    warnings: list[str] = []
    note_blocks: dict[str, tuple[Block, ...]] = {}
    refs: list[str] = []
    for chunk in found:
        if chunk.notes or chunk.refs or chunk.warnings:
            for label, paras in chunk.notes:
                note_blocks[label] = paras  # a label defined twice: the last definition, as markdown-it takes
            refs.extend(chunk.refs)
            warnings.extend(chunk.warnings)
    return _notes_in_order(refs, note_blocks, cache.note_refs), warnings


def chunks_in_scope(
    texts: list[str], cache: ParseCache, scope: tuple[set[str], dict[str, tuple[str, str]]]
) -> list[Chunk]:
    """Each chunk of `texts` parsed with the footnote and link definitions of `scope` (those of the body they are
    part of: read_chunks finds them), as read_chunks parses the chunks of that body."""
    found = list(map(cache.plain.get, texts))
    misses = [i for i, chunk in enumerate(found) if chunk is None]
    if misses:
        if cache.scope != scope:
            cache.scope = scope
            cache.scoped = {}
        _parse_misses(list(dict.fromkeys(texts[i] for i in misses)), *scope, cache, None)
        for i in misses:
            found[i] = cache.scoped[texts[i]]
    return cast(list[Chunk], found)


def definitions(texts: Iterable[str], cache: ParseCache) -> list[_Definitions]:
    """The footnote labels and link definitions of each chunk of `texts` that may define any, in order."""
    return [_definitions(t, cache) for t in texts if _may_define(t)]


def body_scope(texts: Iterable[str], cache: ParseCache) -> tuple[set[str], dict[str, tuple[str, str]]]:
    """The footnote labels and link definitions that chunks of a body define (as _misses finds them)."""
    notes: set[str] = set()
    references: dict[str, tuple[str, str]] = {}
    for text in texts:
        if _may_define(text):
            d = _definitions(text, cache)
            notes |= d.notes
            for label, href, title in d.references:
                references.setdefault(label, (href, title))
    return notes, references


def parse_draft_part(source: str, *, path: str, cache: ParseCache, part: int, parts: int) -> dict[str, Chunk]:
    """The chunks of one of `parts` parts of a draft's body (cut by length), parsed into `cache` as read_draft
    would parse them: what a process that parsed the other parts passes to read_draft as `parsed`."""
    chunks = split_chunks(split_draft(source, path=path).body)
    if chunks is None:
        return {}
    _found, misses, notes, references = _misses(chunks, cache)
    texts = list(dict.fromkeys(chunks[i] for i in misses))
    total = sum(map(len, texts))
    mine: list[str] = []
    at = 0
    for text in texts:
        if part * total <= at * parts < (part + 1) * total:
            mine.append(text)
        at += len(text)
    _parse_misses(mine, notes, references, cache, None)
    return {text: cache.scoped[text] for text in mine}


def _misses(
    chunks: list[str], cache: ParseCache
) -> tuple[list[Chunk | None], list[int], set[str], dict[str, tuple[str, str]]]:
    """(each chunk if known by its text alone, the positions of the others, then the footnote labels and link
    definitions of the body), with the cache's scope set to those definitions."""
    found: list[Chunk | None] = list(map(cache.plain.get, chunks))
    misses = [i for i, chunk in enumerate(found) if chunk is None]
    notes, references = body_scope([chunks[i] for i in misses], cache)  # a chunk in `plain` defines nothing
    if cache.scope != (notes, references):
        cache.scope = (notes, references)
        cache.scoped = {}
    return found, misses, notes, references


def _parse_misses(
    texts: list[str],
    notes: set[str],
    references: dict[str, tuple[str, str]],
    cache: ParseCache,
    parsed: Mapping[str, Chunk] | None,
) -> None:
    """Put the chunks of `texts` (distinct, known by scope or not at all) in `cache.scoped`: taken from `parsed`
    or parsed here."""
    scoped = cache.scoped
    if parsed:
        for text in texts:
            chunk = parsed.get(text)
            if chunk is not None and text not in scoped:
                scoped[text] = chunk
                if "[" not in text:  # its blocks do not depend on the definitions in scope
                    cache.plain[text] = chunk
    # a text without '[' that is not in `plain` was never parsed
    batched = _parse_batch([t for t in texts if "[" not in t and t not in scoped], cache)
    for text in texts:
        if text not in scoped:
            scoped[text] = _parse_chunk(text, notes, references, cache, batched)


def _shifted(chunk: Chunk, offset: int, cache: ParseCache, join: OpenList | None) -> tuple[Block, ...]:
    """A chunk's blocks with its ordered lists numbered after `offset` lists of the chunks before it; with `join`,
    its first list is that one (its id and start) and the others are numbered after `offset` + 1."""
    key = (id(chunk), offset, join)  # chunks live as long as the cache: their ids are not reused meanwhile
    found = cache.shifted.get(key)
    if found is None:
        out: list[Block] = []
        for block in chunk.blocks:
            if isinstance(block, Paragraph) and block.props.list_kind == "ordered":
                if join is not None and block.props.list_id == 1:
                    props = replace(block.props, list_id=join[1], list_start=join[2])
                else:
                    props = replace(block.props, list_id=block.props.list_id + offset)
                block = Paragraph(props, block.tokens, paragraph_key(props, block.tokens))
            out.append(block)
        found = cache.shifted[key] = tuple(out)
    return found


def _notes_in_order(
    refs: list[str], note_blocks: dict[str, tuple[Block, ...]], memo: dict[int, list[str]]
) -> list[Block]:
    """Footnote paragraphs as notes.order_notes keeps them; `refs` are the labels referenced in the body, in order;
    `memo` holds the labels referenced in a footnote's paragraphs by the id of their tuple (which lives as long as
    the memo)."""

    def refs_in(label: str) -> list[str]:
        paras = note_blocks[label]
        labels = memo.get(id(paras))
        if labels is None:
            labels = memo[id(paras)] = note_refs(paras)
        return labels

    return [b for label in kept_notes(refs, refs_in, note_blocks) for b in note_blocks[label]]


def _definitions(text: str, cache: ParseCache) -> _Definitions:
    found = cache.definitions.get(text)
    if found is None and _NOTE_LINES_RE.match(text):
        found = cache.definitions[text] = _Definitions(frozenset(_NOTE_LABEL_RE.findall(text)), ())
    if found is None:
        env: dict[str, Any] = {}
        markdown_parser().parse(text, env)
        refs = env.get("footnotes", {}).get("refs", {})
        found = _Definitions(
            frozenset(k[1:] for k in refs),
            tuple(
                (label, str(v.get("href", "")), str(v.get("title", "")))
                for label, v in sorted(env.get("references", {}).items())
            ),
        )
        cache.definitions[text] = found
    return found


def _parse_chunk(
    text: str,
    notes: set[str],
    references: dict[str, tuple[str, str]],
    cache: ParseCache,
    batched: dict[str, Chunk] | None = None,
) -> Chunk:
    """One chunk's blocks, with only the definitions it may use in scope (so the cache key stays small); `batched`
    holds chunks already parsed by _parse_batch."""
    found_candidates = cache.candidates.get(text)
    if found_candidates is None and "[" not in text:
        found_candidates = cache.candidates[text] = ((), ())  # both candidate patterns start with '['
    if found_candidates is None:
        from markdown_it.common.utils import normalizeReference

        found_candidates = (
            tuple(label for label, close in _NOTE_CAND_RE.findall(text) if label and close),
            tuple(normalizeReference(label) for label, close in _REF_CAND_RE.findall(text) if label and close),
        )
        cache.candidates[text] = found_candidates
    note_candidates, ref_candidates = found_candidates
    if note_candidates or ref_candidates:
        used_notes = frozenset(n for n in note_candidates if n in notes)
        used_refs = frozenset((label, *references[label]) for label in ref_candidates if label in references)
    else:  # most chunks: no brackets at all
        used_notes, used_refs = _NO_LABELS, _NO_REFS
    key = (text, used_notes, used_refs)
    found = cache.chunks.get(key)
    if found is not None:
        return found
    found = batched.get(text) if batched else None
    if found is not None:
        cache.chunks[key] = cache.plain[text] = found
        return found
    env: dict[str, Any] = {
        "references": {label: {"href": href, "title": title} for label, href, title in used_refs},
        "footnotes": {"refs": {f":{n}": -1 for n in used_notes}},
    }
    chunk = _one_block(text, env, cache) or _note_lines(text, env, cache)
    if chunk is None:
        chunk = _parse_alone(text, env, cache)
    cache.chunks[key] = chunk
    if not note_candidates and not ref_candidates:
        cache.plain[text] = chunk
    return chunk


def _parse_alone(text: str, env: dict[str, Any], cache: ParseCache) -> Chunk:
    """A chunk parsed by markdown-it on its own, with the definitions it may use in `env`."""
    own_notes = sorted(_definitions(text, cache).notes) if _may_define(text) else []
    # A footnote is only emitted where it is referenced: refer to this chunk's own definitions once, after it.
    src = text + ("\n\n" + "".join(f"[^{n}]" for n in own_notes) + "\n" if own_notes else "")
    blocks: list[Block] = []
    warnings: list[str] = []
    walker = Walker(blocks, warnings, cache.tokens)
    toks = markdown_parser().parse(src, env)
    walker.walk(toks)
    body = [b for b in blocks if not (isinstance(b, Paragraph) and b.props.container != BODY)]
    if own_notes:
        body = body[:-1]  # the synthetic paragraph of references
    by_label: dict[str, list[Block]] = {}
    for b in blocks:
        if isinstance(b, Paragraph) and b.props.container != BODY:
            by_label.setdefault(b.props.container[3:], []).append(b)
    chunk = Chunk(
        tuple(body),
        tuple((n, tuple(by_label[n])) for n in own_notes if n in by_label),
        walker.ordered_lists,
        tuple(warnings),
        tuple(note_refs(body)),
        *(_list_edges(toks, 0, len(toks), text, 0) if walker.ordered_lists else ("", None)),
    )
    return chunk


_LINE_END_RE = re.compile(r"\r\n?|\n")  # markdown-it's line ends


def _list_edges(toks: list[MdToken], first: int, stop: int, text: str, line0: int) -> tuple[str, OpenList | None]:
    """Chunk.opens and Chunk.closes of `text`, whose tokens are toks[first:stop] and whose first line is line
    `line0` of their source."""
    opens = ""
    last: tuple[MdToken, int] | None = None  # the last top-level block of the body, with the ordered lists so far
    lists = 0
    lines = _LINE_END_RE.split(text)
    count = len(lines) - (lines[-1] == "")  # the chunk's lines (markdown-it's count)
    end = line0 + count  # (lines from here on: _parse_alone's references to the chunk's own notes)
    for i in range(first, stop):
        t = toks[i]
        if t.type == "ordered_list_open":
            lists += 1
        elif t.type == "footnote_block_open":
            break  # footnotes follow the body's tokens
        if t.level == 0 and t.map is not None and t.map[0] < end:
            if i == first and t.type == "ordered_list_open" and t.map[0] == line0:
                opens = t.markup
            last = (t, lists)
    if last is None or last[0].type != "ordered_list_open":
        return opens, None
    t, n = last
    assert t.map is not None
    if t.map[1] - line0 < count:
        # The list ends before the chunk's last line: something follows it (a footnote definition, whose tokens
        # go to the end), or blank lines that markdown-it ends it with (after an empty item), and a list in the
        # next chunk is another list.
        return opens, None
    return opens, (t.markup, n, int(t.attrs.get("start", 1) or 1))


# A chunk that is one footnote definition of one paragraph: the label, then (after one space) the paragraph's line,
# which starts where no other block rule would (as in _ONE_PARAGRAPH_RE).
_ONE_NOTE_RE = re.compile(r"\[\^([^\]\s\[^]+)\]: ((?![`~>*\-_+#<|\[]|\d{1,9}[.)](?:[ \t\n]|\Z))\S[^\n\r]*)\n[ \t\n]*\Z")
# A chunk of such definitions, one a line (a definition ends the paragraph of the one before it: the footnote rule
# interrupts paragraphs): its labels are those at the lines' starts, as markdown-it's parse of it defines them.
_NOTE_LINES_RE = re.compile(
    r"(?:\[\^[^\]\s\[^]+\]: (?![`~>*\-_+#<|\[]|\d{1,9}[.)](?:[ \t\n]|\Z))\S[^\n\r]*\n)+[ \t\n]*\Z"
)
_NOTE_LABEL_RE = re.compile(r"^\[\^([^\]\s\[^]+)\]: ", re.MULTILINE)


def _one_block(text: str, env: dict[str, Any], cache: ParseCache) -> Chunk | None:
    """_parse_alone of a chunk that is one plain paragraph or one footnote definition of one, without markdown-it's
    block parser (the paragraph's text parsed by our inline rule in `env`), or None for other chunks."""
    from markdown_it.common.utils import mdTrim

    note = None
    if _ONE_PARAGRAPH_RE.match(text):
        content = mdTrim(text[: text.index("\n")])
    elif note := _ONE_NOTE_RE.match(text):
        content = mdTrim(note.group(2))
    else:
        return None
    if note is None:
        blocks = (paragraph(ParaProps(style="BodyText"), _inline_of(content, env, cache)),)
        return Chunk(blocks, (), 0, (), tuple(note_refs(blocks)))
    label = note.group(1)
    return Chunk((), ((label, (_note_paragraph(label, content, env, cache),)),), 0, (), ())


def _note_paragraph(label: str, content: str, env: dict[str, Any], cache: ParseCache) -> Paragraph:
    """The paragraph of a one-line footnote definition of `content` (trimmed)."""
    return paragraph(ParaProps(style="FootnoteText", container=f"fn:{label}"), _inline_of(content, env, cache))


def _inline_of(content: str, env: dict[str, Any], cache: ParseCache) -> list[Token]:
    """Our tokens of one paragraph's text, as our inline rule parses it in `env`."""
    tokens = words_and_notes(content, env, cache.tokens)
    if tokens is None:
        from markdown_it.rules_core import StateCore, text_join
        from markdown_it.token import Token as MdTok

        tok = MdTok("inline", "", 0)
        tok.content = content
        tok.children = []
        state = StateCore("", markdown_parser(), env, [tok])
        core_inline(state)
        text_join(state)
        tokens = inline_tokens(tok.children, cache.tokens)
    return tokens


def _note_lines(text: str, env: dict[str, Any], cache: ParseCache) -> Chunk | None:
    """_parse_alone of a chunk of one-line footnote definitions (_NOTE_LINES_RE) with distinct labels, a line at a
    time as _one_block reads a chunk of one (each definition ends the paragraph before it); else None."""
    if not _NOTE_LINES_RE.match(text):
        return None
    from markdown_it.common.utils import mdTrim

    notes: list[tuple[str, tuple[Block, ...]]] = []
    for line in text.split("\n"):
        if line.startswith("[^"):
            found = _ONE_NOTE_RE.match(line + "\n")
            if found is None:
                return None
            label = found.group(1)
            notes.append((label, (_note_paragraph(label, mdTrim(found.group(2)), env, cache),)))
    labels = [label for label, _ in notes]
    if len(set(labels)) != len(labels):
        return None  # a label defined twice: markdown-it keeps the last definition
    return Chunk((), tuple(sorted(notes)), 0, (), ())


def _parse_batch(texts: list[str], cache: ParseCache) -> dict[str, Chunk]:
    """The chunks of bracket-free texts, as their own parse would give them, for less: a chunk of one plain
    paragraph is made directly (its inline text parsed with the others' in one go), the others are parsed by one
    markdown-it call on their concatenation (_parse_joined); a chunk left out is parsed on its own.

    Without '[' a chunk neither defines nor uses a footnote or a link label, so the empty definitions of its own
    parse are those of the batch."""
    out: dict[str, Chunk] = {}
    rest: list[str] = []
    inline: list[tuple[str, MdToken]] = []  # one-paragraph chunks with text an inline rule may start at
    tables: list[tuple[str, list[str | None], list[list[str]]]] = []  # one-table chunks: alignments, cells' texts
    for text in dict.fromkeys(texts):
        if ONE_TABLE_RE.match(text) and (found := one_table(text)) is not None:
            tables.append((text, *found))
        elif _ONE_PARAGRAPH_RE.match(text):
            # What markdown-it's paragraph rule and our inline rule make of it (tests/test_parse_chunks.py)
            from markdown_it.common.utils import mdTrim
            from markdown_it.token import Token as MdTok

            content = mdTrim(text[: text.index("\n")])
            words = words_and_notes(content, _NO_DEFINITIONS, cache.tokens)
            if words is None:
                tok = MdTok("inline", "", 0)
                tok.content = content
                tok.children = []
                inline.append((text, tok))
            else:
                out[text] = _one_paragraph(words)
        elif (stairs := staircase_blocks(text, cache.tokens)) is not None:
            out[text] = Chunk(stairs, (), 0, (), ())
        elif text.endswith(("\n", "\r")):
            rest.append(text)
    cells = [[[_cell(content, cache, inline) for content in row] for row in rows] for _, _, rows in tables]
    if inline:
        from markdown_it.rules_core import StateCore, text_join

        state = StateCore("", markdown_parser(), {"references": {}, "footnotes": {"refs": {}}}, [t for _, t in inline])
        core_inline(state)
        text_join(state)
        for text, tok in inline:
            if text:  # (a table cell's text is "")
                out[text] = _one_paragraph(inline_tokens(tok.children or [], cache.tokens))
    for (text, align, _rows), made in zip(tables, cells, strict=True):
        tokens = [
            [c if isinstance(c, list) else inline_tokens(c.children or [], cache.tokens) for c in r] for r in made
        ]
        out[text] = Chunk((table(tokens, align, 1),), (), 0, (), ())
    if len(rest) >= 2:
        _parse_joined(rest, cache, out)
    return out


def _cell(content: str, cache: ParseCache, inline: list[tuple[str, MdToken]]) -> list[Token] | MdToken:
    """A table cell's tokens (plain text: what the inline parser makes of it), or the inline token whose children
    the inline parser will give it (added to `inline`)."""
    if not INLINE_SPECIAL_RE.search(content):
        return memo_words(cache.tokens, content, _NO_LABELS, None)
    from markdown_it.token import Token as MdTok

    tok = MdTok("inline", "", 0)
    tok.content = content
    tok.children = []
    inline.append(("", tok))
    return tok


# A chunk that markdown-it makes one paragraph of: one line that starts with a character at which no other block
# rule starts (code, fence, quote, rule, list item, heading, HTML, table, definition) and only blank lines after it.
# A '*' followed by a letter or digit opens emphasis (neither a list item nor a rule can start so).
_ONE_PARAGRAPH_RE = re.compile(
    r"(?:\*(?=[A-Za-z0-9])|(?![`~>*\-_+#<|\[]|\d{1,9}[.)](?:[ \t\n]|\Z))\S)[^\n\r]*\n[ \t\n]*\Z"
)


def _one_paragraph(tokens: list[Token]) -> Chunk:
    return Chunk((paragraph(ParaProps(style="BodyText"), tokens),), (), 0, (), ())


def _parse_joined(texts: list[str], cache: ParseCache, out: dict[str, Chunk]) -> None:
    """Chunks parsed by one markdown-it call on their concatenation and cut back by the lines where top-level blocks
    start, into `out`; a chunk that does not start a top-level block of its own there (a list or a fence that went
    on into it) is left out, with the chunk before it.

    Each chunk after the first starts with a line at column 0 after a blank line: markdown-it's block rules end
    there whatever follows, unless something is left open (an unclosed fence or HTML block, an item that the line
    continues, a nesting too deep), and then no top-level block starts there."""
    starts: list[int] = []  # each chunk's first line in the batch
    line = 0
    for text in texts:
        starts.append(line)
        line += text.count("\n") + text.count("\r") - text.count("\r\n")  # markdown-it's line ends
    toks = markdown_parser().parse("".join(texts), {"references": {}, "footnotes": {"refs": {}}})
    # firsts[k]: the index in toks of chunk k's first top-level token, -1 where no top-level block starts at
    # its first line (its tokens and the previous chunk's are not their own parse's)
    firsts = [-1] * len(texts)
    firsts[0] = 0
    k = 1
    n = len(texts)
    for i, t in enumerate(toks):
        if t.level == 0 and t.map is not None:
            at = t.map[0]
            while k < n and starts[k] < at:
                k += 1
            if k < n and starts[k] == at:
                firsts[k] = i
                k += 1
    for k, text in enumerate(texts):
        stop = firsts[k + 1] if k + 1 < n else len(toks)
        if firsts[k] < 0 or stop < 0:
            continue
        blocks: list[Block] = []
        warnings: list[str] = []
        walker = Walker(blocks, warnings, cache.tokens, starts[k])
        walker.walk(toks, firsts[k], stop)
        # no footnote definitions or references without '['
        edges = _list_edges(toks, firsts[k], stop, text, starts[k]) if walker.ordered_lists else ("", None)
        out[text] = Chunk(tuple(blocks), (), walker.ordered_lists, tuple(warnings), (), *edges)
