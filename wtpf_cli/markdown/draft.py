"""Read a draft: split the YAML front matter from the Markdown body and parse both into a Document."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from wtpf_cli.errors import InputRejected
from wtpf_cli.model import BODY, Block, Document, Meta, Paragraph, ParaProps, Table, Token

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token as MdToken

# The Markdown parser and YAML are imported where they are used, so that commands which only split the front
# matter or count words (`wtpf versions`) start quickly.

FRONT_MATTER_KEYS = ("title", "version", "symbol", "date", "language")
COVER_STYLES = frozenset({"CoverSymbol", "CoverMeta", "Title", "Subtitle"})
# A word (letters/digits joined by inner hyphens or apostrophes), a run of spaces, or one other character.
_TOKEN_RE = re.compile(r"\w+(?:['’\-]\w+)*|\s+|[^\w\s]")
_HEADING_STYLES = {1: "Heading1", 2: "Heading2", 3: "Heading3"}


@dataclass(frozen=True, slots=True)
class DraftText:
    """A draft file split into its front matter mapping and its Markdown body."""

    meta: Meta
    body: str
    body_line: int  # 0-based line number where the body starts in the file


def split_words(text: str) -> list[str]:
    """Split text into Word-granularity tokens: whole words, spaces, single punctuation marks."""
    return _TOKEN_RE.findall(text)


def split_front_matter(source: str, *, path: str = "report.md") -> DraftText:
    """Separate a leading `---` YAML block from the Markdown body."""
    text = source[1:] if source.startswith("\ufeff") else source
    if not text.startswith("---"):
        return DraftText(Meta(), text, 0)
    # The lines of a growing prefix of the text (all but its last, which may be cut short, are the text's own):
    # the front matter is found without splitting the whole report into lines.
    size = 4096
    while True:
        lines = text[:size].splitlines(keepends=True)
        if size < len(text):
            lines.pop()
        if lines:
            if lines[0].rstrip("\r\n") != "---":
                return DraftText(Meta(), text, 0)
            for i in range(1, len(lines)):
                if lines[i].rstrip("\r\n") in ("---", "..."):
                    raw = "".join(lines[1:i])
                    end = sum(map(len, lines[: i + 1]))
                    return DraftText(read_meta(raw, path=path), text[end:], i + 1)
        if size >= len(text):
            raise InputRejected("front matter opened with '---' on line 1 is never closed", path=path)
        size *= 4


def read_meta(raw: str, *, path: str = "report.md") -> Meta:
    """Parse front matter YAML (safe loader) into Meta."""
    found = _read_meta(raw)
    if isinstance(found, str):
        raise InputRejected(found, path=path)
    return found


@lru_cache(maxsize=64)
def _read_meta(raw: str) -> Meta | str:
    """read_meta, once per text (a redline reads the front matter of every version, each under its own path;
    YAML is slow), or what is wrong with it."""
    import yaml

    try:
        data = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        # The start of the faulty construct (context_mark) names the line a person has to fix.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        return f"front matter is not valid YAML{where}"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return "front matter must be a mapping of keys to values"
    values: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dt.date):
            values[str(key)] = value.isoformat()
        elif value is None:
            values[str(key)] = ""
        else:
            values[str(key)] = str(value)
    extra = tuple((k, v) for k, v in values.items() if k not in FRONT_MATTER_KEYS)
    return Meta(
        title=values.get("title", ""),
        version=values.get("version", ""),
        symbol=values.get("symbol", ""),
        date=values.get("date", ""),
        language=values.get("language", "English") or "English",
        extra=extra,
    )


def render_front_matter(meta: Meta) -> str:
    """The `---` YAML block for a Meta, keys in a fixed order."""
    data: dict[str, Any] = {
        "title": meta.title,
        "version": meta.version,
        "symbol": meta.symbol,
        "date": meta.date,
        "language": meta.language,
    }
    data.update(dict(meta.extra))
    import yaml

    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{dumped}---\n"


def replace_front_matter(source: str, meta: Meta) -> str:
    """The draft text with its front matter replaced by `meta` (added if absent), body untouched."""
    parts = split_front_matter(source)
    return render_front_matter(meta) + parts.body


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark").enable("table").enable("strikethrough").use(footnote_plugin)
    # Inline notes (^[text]) are not GitHub Markdown (pandoc's gfm reads them as text); the plugin's notes have no
    # label, which the draft's footnotes need: they stay text.
    md.disable("footnote_inline", ignoreInvalid=True)
    md.core.ruler.at("inline", _inline_rule)
    return md


# Characters at which an inline rule of this parser can start (escape, code, emphasis, links, images, footnotes,
# autolinks and HTML, entities, strikethrough), a tab, and a space beside a line break (hard breaks, indents).
_INLINE_SPECIAL_RE = re.compile(r"[\\`*_\[\]!<>&~^\t]| \n|\n |\n\n")


def _inline_rule(state: Any) -> None:
    """markdown-it's core 'inline' rule, except that plain text (nothing an inline rule could start at) becomes its
    text and softbreak tokens directly: what the inline parser makes of it (tests/test_parse_fast.py), for less."""
    from markdown_it.token import Token as MdTok

    md = state.md
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if content and not _INLINE_SPECIAL_RE.search(content):
            children = token.children
            for k, line in enumerate(content.split("\n")):
                if k:
                    children.append(MdTok("softbreak", "br", 0))
                text = MdTok("text", "", 0)
                text.content = line
                children.append(text)
        else:
            md.inline.parse(content, md, state.env, token.children)


def format_date(iso: str) -> str:
    """'2012-04-13' -> '13 April 2012' (as on an ITU cover); other text is returned as is."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day.strftime('%B')} {day.year}"


def cover_blocks(meta: Meta) -> list[Block]:
    """The cover block in the ITU manner: symbol top right, date, original language, title, version name."""
    lines = [
        ("CoverSymbol", meta.symbol or "(no symbol)"),
        ("CoverMeta", format_date(meta.date) if meta.date else "(undated)"),
        ("CoverMeta", f"Original: {meta.language}"),
        ("Title", meta.title or "(untitled)"),
        ("Subtitle", meta.version or "Working draft"),
    ]
    return [_paragraph(ParaProps(style=style), _plain_tokens(text)) for style, text in lines]


def _plain_tokens(text: str) -> list[Token]:
    return [Token(word) for word in split_words(text)]


def _paragraph(props: ParaProps, tokens: list[Token]) -> Paragraph:
    tup = tuple(tokens)
    return Paragraph(props, tup, _paragraph_key(props, tup))


def _paragraph_key(props: ParaProps, tokens: tuple[Token, ...]) -> int:
    """A paragraph's hash: of its properties and the texts of its tokens (equal paragraphs have equal keys; the
    texts' hashes are cached by the strings, where a token's dataclass hash is a Python call per token)."""
    return hash((props, tuple([t.text for t in tokens])))


def _table(rows: list[list[list[Token]]], align: list[str | None], header_rows: int) -> Table:
    trows = tuple(tuple(tuple(cell) for cell in row) for row in rows)
    talign = tuple(align)
    return Table(trows, talign, header_rows, hash((trows, talign, header_rows)))


class ParseCache:
    """Parsed chunks of Markdown shared by the versions read in one run: unchanged text is parsed once."""

    def __init__(self) -> None:
        self.chunks: dict[tuple[str, frozenset[str], frozenset[tuple[str, str, str]]], _Chunk] = {}
        self.definitions: dict[str, _Definitions] = {}
        # a chunk's blocks with its ordered lists renumbered after `offset` earlier ones: (id(chunk), offset)
        self.shifted: dict[tuple[int, int], tuple[Block, ...]] = {}
        self.tokens: _TokenMemo = {}  # one Token object for equal tokens
        # the footnote labels and (normalized) link labels that a chunk's text may refer to
        self.candidates: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # chunks whose text has no brackets (no label to look up), by text alone
        self.plain: dict[str, _Chunk] = {}
        # the other chunks by text alone, for the footnote and link definitions of the last version read (`scope`):
        # a chunk's blocks depend only on its text and those definitions, which most versions leave as they were
        self.scope: tuple[set[str], dict[str, tuple[str, str]]] = (set(), {})
        self.scoped: dict[str, _Chunk] = {}
        # the footnote labels referenced in a footnote's paragraphs, by the id of their tuple (held in `chunks`)
        self.note_refs: dict[int, list[str]] = {}
        self.covers: dict[Meta, tuple[Block, ...]] = {}  # the cover blocks of each front matter

    def shared(self, token: Token) -> Token:
        """The token equal to `token` that the chunks parsed here use (`token` itself if new to them)."""
        if token.note is not None:
            return token
        words = self.tokens.get((token.marks, token.href))
        if words is None:
            words = self.tokens[(token.marks, token.href)] = _Words(token.marks, token.href)
        found = words.get(token.text)
        if found is None:
            found = words[token.text] = token
        return found


_NO_LABELS: frozenset[str] = frozenset()
_NO_REFS: frozenset[tuple[str, str, str]] = frozenset()
_TokenMemo = dict[tuple[frozenset[str], str | None], dict[str, Token]]  # (marks, href) -> text -> token


@dataclass(frozen=True, slots=True)
class _Chunk:
    blocks: tuple[Block, ...]
    notes: tuple[tuple[str, tuple[Block, ...]], ...]  # footnotes this chunk defines, with their paragraphs
    ordered_lists: int
    warnings: tuple[str, ...]
    refs: tuple[str, ...]  # footnote labels referenced in `blocks`, in order of first reference

    def __reduce__(self) -> tuple[type[_Chunk], tuple[Any, ...]]:
        # (as model.Token.__reduce__: parsed parts of a draft travel between the redline's two processes)
        return (_Chunk, (self.blocks, self.notes, self.ordered_lists, self.warnings, self.refs))


@dataclass(frozen=True, slots=True)
class _Definitions:
    notes: frozenset[str]
    references: tuple[tuple[str, str, str], ...]  # (normalized label, href, title)


# A chunk boundary: a blank line followed by a line that starts at column 0 (a new top-level block in
# CommonMark), outside fenced code. Chunks that may hold an HTML block make the whole body parse at once.
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DEF_RE = re.compile(r"^ {0,3}\[\^?[^\]]+\]:")
_NOTE_CAND_RE = re.compile(r"\[\^([^\]\s]+)\]")
_REF_CAND_RE = re.compile(r"\[([^\]]+)\]")


def _split_chunks(body: str) -> list[str] | None:
    """Top-level chunks of a Markdown body, or None where splitting is not safe (HTML blocks)."""
    if any(c in body for c in _LINE_ENDS) or _ODD_START_RE.match(body):
        return _split_lines(body)
    # Lines end only at '\n': the boundaries are where a line of whitespace is followed by a line that starts with
    # another character (what _split_lines finds, in C) unless a line may open a fence or an HTML block, or starts
    # with whitespace other than a space or a tab (the boundary regex would not see it).
    cuts: list[int] = []
    for m in _BOUNDARY_RE.finditer(body):
        if m.lastindex:
            return _split_lines(body)
        cuts.append(m.end())
    first = _FIRST_BLANK_RE.match(body)
    if first:
        cuts.insert(0, first.end())
    return [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True) if b > a]


# Line ends of str.splitlines other than '\n' (a membership test each is faster than one character class).
_LINE_ENDS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# After a line end: (group 1) a line that needs _split_lines, or a line of whitespace (str.strip's, which is re's
# \s) then a line that starts with another character and cannot open a fence or an HTML block (a boundary).
_BOUNDARY_RE = re.compile(r"\n(?:( {0,3}(?:```|~~~)|<|[^\S \t\n])|[^\S\n]*\n(?=\S)(?!```|~~~|<))")
_ODD_START_RE = re.compile(r" {0,3}(?:```|~~~)|<|[^\S \t\n]")
_FIRST_BLANK_RE = re.compile(r"[^\S\n]*\n(?=\S)")


def _split_lines(body: str) -> list[str] | None:
    """_split_chunks line by line (fences and any line ends)."""
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
    if pos > start:
        chunks.append(body[start:pos])
    return chunks


def read_draft(
    source: str,
    *,
    path: str = "report.md",
    cache: ParseCache | None = None,
    chunked: bool = True,
    parsed: Mapping[str, _Chunk] | None = None,
) -> Document:
    """Parse a draft file (front matter + Markdown) into a Document of blocks.

    The body is parsed chunk by chunk (top-level blocks), each chunk once per run thanks to `cache`, with the
    footnote and link definitions of the whole body in scope; footnotes follow the body in order of first use.
    Chunks in `parsed` (from parse_draft_part in another process) are taken as they are.
    """
    meta, body = _front_and_body(source, path)
    cache = cache if cache is not None else ParseCache()
    cover = cache.covers.get(meta)
    if cover is None:
        cover = cache.covers[meta] = tuple(cover_blocks(meta))
    blocks: list[Block] = list(cover)
    warnings: list[str] = []
    chunks = _split_chunks(body) if chunked else None
    if chunks is None:
        _Walker(blocks, warnings, {}).walk(_markdown().parse(body))
        return Document(meta, tuple(blocks), tuple(warnings))
    found, misses, notes, references = _misses(chunks, cache)
    _parse_misses(list(dict.fromkeys(chunks[i] for i in misses)), notes, references, cache, parsed)
    scoped = cache.scoped
    for i in misses:
        found[i] = scoped[chunks[i]]
    note_blocks: dict[str, tuple[Block, ...]] = {}
    refs: list[str] = []
    list_offset = 0
    for chunk in cast(list[_Chunk], found):
        if chunk.ordered_lists:
            blocks.extend(_shifted(chunk, list_offset, cache) if list_offset else chunk.blocks)
            list_offset += chunk.ordered_lists
        else:
            blocks.extend(chunk.blocks)
        if chunk.notes or chunk.refs or chunk.warnings:
            for label, paras in chunk.notes:
                note_blocks.setdefault(label, paras)
            refs.extend(chunk.refs)
            warnings.extend(chunk.warnings)
    blocks.extend(_notes_in_order(refs, note_blocks, cache.note_refs))
    return Document(meta, tuple(blocks), tuple(warnings))


def parse_draft_part(source: str, *, path: str, cache: ParseCache, part: int, parts: int) -> dict[str, _Chunk]:
    """The chunks of one of `parts` parts of a draft's body (cut by length), parsed into `cache` as read_draft
    would parse them: what a process that parsed the other parts passes to read_draft as `parsed`."""
    _meta, body = _front_and_body(source, path)
    chunks = _split_chunks(body)
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


def _front_and_body(source: str, path: str) -> tuple[Meta, str]:
    if source.count("\x00"):  # (twice as fast as `in` on a string of two-byte characters)
        raise InputRejected("the draft contains NUL bytes", path=path)
    parts = split_front_matter(source, path=path)
    return parts.meta, parts.body


def _misses(
    chunks: list[str], cache: ParseCache
) -> tuple[list[_Chunk | None], list[int], set[str], dict[str, tuple[str, str]]]:
    """(each chunk if known by its text alone, the positions of the others, then the footnote labels and link
    definitions of the body), with the cache's scope set to those definitions."""
    notes: set[str] = set()
    references: dict[str, tuple[str, str]] = {}
    found: list[_Chunk | None] = list(map(cache.plain.get, chunks))
    misses = [i for i, chunk in enumerate(found) if chunk is None]
    for i in misses:
        if _DEF_RE.match(chunks[i]):
            d = _definitions(chunks[i], cache)
            notes |= d.notes
            for label, href, title in d.references:
                references.setdefault(label, (href, title))
    if cache.scope != (notes, references):
        cache.scope = (notes, references)
        cache.scoped = {}
    return found, misses, notes, references


def _parse_misses(
    texts: list[str],
    notes: set[str],
    references: dict[str, tuple[str, str]],
    cache: ParseCache,
    parsed: Mapping[str, _Chunk] | None,
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


def _shifted(chunk: _Chunk, offset: int, cache: ParseCache) -> tuple[Block, ...]:
    """A chunk's blocks with its ordered lists numbered after `offset` lists of the chunks before it."""
    key = (id(chunk), offset)  # chunks live as long as the cache: their ids are not reused meanwhile
    found = cache.shifted.get(key)
    if found is None:
        out: list[Block] = []
        for block in chunk.blocks:
            if isinstance(block, Paragraph) and block.props.list_kind == "ordered":
                props = replace(block.props, list_id=block.props.list_id + offset)
                block = Paragraph(props, block.tokens, _paragraph_key(props, block.tokens))
            out.append(block)
        found = cache.shifted[key] = tuple(out)
    return found


def _note_refs(blocks: Iterable[Block]) -> list[str]:
    """Footnote labels referenced in blocks, in order of first reference."""
    order: dict[str, None] = {}
    for block in blocks:
        toks = block.tokens if isinstance(block, Paragraph) else [t for r in block.rows for c in r for t in c]
        for t in toks:
            if t.note is not None:
                order.setdefault(t.note)
    return list(order)


def _notes_in_order(
    refs: list[str], note_blocks: dict[str, tuple[Block, ...]], memo: dict[int, list[str]] | None = None
) -> list[Block]:
    """Footnote paragraphs in order of first reference (body first, then references inside footnotes); `refs`
    are the labels referenced in the body, in order; `memo` holds the labels referenced in a footnote's paragraphs
    by the id of their tuple (which lives as long as the memo)."""
    order: list[str] = []
    seen: set[str] = set()

    def visit_labels(labels: Iterable[str]) -> None:
        for label in labels:
            if label not in seen and label in note_blocks:
                seen.add(label)
                order.append(label)

    memo = {} if memo is None else memo
    visit_labels(refs)
    k = 0
    while k < len(order):
        paras = note_blocks[order[k]]
        labels = memo.get(id(paras))
        if labels is None:
            labels = memo[id(paras)] = _note_refs(paras)
        visit_labels(labels)
        k += 1
    return [b for label in order for b in note_blocks[label]]


def _definitions(text: str, cache: ParseCache) -> _Definitions:
    found = cache.definitions.get(text)
    if found is None and (note := _ONE_NOTE_RE.match(text)):
        found = cache.definitions[text] = _Definitions(frozenset([note.group(1)]), ())
    if found is None:
        env: dict[str, Any] = {}
        _markdown().parse(text, env)
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
    batched: dict[str, _Chunk] | None = None,
) -> _Chunk:
    """One chunk's blocks, with only the definitions it may use in scope (so the cache key stays small); `batched`
    holds chunks already parsed by _parse_batch."""
    found_candidates = cache.candidates.get(text)
    if found_candidates is None and "[" not in text:
        found_candidates = cache.candidates[text] = ((), ())  # both candidate patterns start with '['
    if found_candidates is None:
        from markdown_it.common.utils import normalizeReference

        found_candidates = (
            tuple(_NOTE_CAND_RE.findall(text)),
            tuple(normalizeReference(c) for c in _REF_CAND_RE.findall(text)),
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
    chunk = _one_block(text, env, cache)
    if chunk is None:
        chunk = _parse_alone(text, env, cache)
    cache.chunks[key] = chunk
    if not note_candidates and not ref_candidates:
        cache.plain[text] = chunk
    return chunk


def _parse_alone(text: str, env: dict[str, Any], cache: ParseCache) -> _Chunk:
    """A chunk parsed by markdown-it on its own, with the definitions it may use in `env`."""
    own_notes = sorted(_definitions(text, cache).notes) if _DEF_RE.match(text) else []
    # A footnote is only emitted where it is referenced: refer to this chunk's own definitions once, after it.
    src = text + ("\n\n" + "".join(f"[^{n}]" for n in own_notes) + "\n" if own_notes else "")
    blocks: list[Block] = []
    warnings: list[str] = []
    walker = _Walker(blocks, warnings, cache.tokens)
    walker.walk(_markdown().parse(src, env))
    body = [b for b in blocks if not (isinstance(b, Paragraph) and b.props.container != BODY)]
    if own_notes:
        body = body[:-1]  # the synthetic paragraph of references
    by_label: dict[str, list[Block]] = {}
    for b in blocks:
        if isinstance(b, Paragraph) and b.props.container != BODY:
            by_label.setdefault(b.props.container[3:], []).append(b)
    chunk = _Chunk(
        tuple(body),
        tuple((n, tuple(by_label[n])) for n in own_notes if n in by_label),
        walker.ordered_lists,
        tuple(warnings),
        tuple(_note_refs(body)),
    )
    return chunk


# A chunk that is one footnote definition of one paragraph: the label, then (after one space) the paragraph's line,
# which starts where no other block rule would (as in _ONE_PARAGRAPH_RE).
_ONE_NOTE_RE = re.compile(r"\[\^([^\]\s\[^]+)\]: ((?![`~>*\-_+#<|\[]|\d{1,9}[.)](?:[ \t\n]|\Z))\S[^\n\r]*)\n[ \t\n]*\Z")


def _one_block(text: str, env: dict[str, Any], cache: ParseCache) -> _Chunk | None:
    """_parse_alone of a chunk that is one plain paragraph or one footnote definition of one, without markdown-it's
    block parser (the paragraph's text parsed by our inline rule in `env`), or None for other chunks."""
    from markdown_it.common.utils import mdTrim
    from markdown_it.rules_core import StateCore, text_join
    from markdown_it.token import Token as MdTok

    note = None
    if _ONE_PARAGRAPH_RE.match(text):
        content = mdTrim(text[: text.index("\n")])
    elif note := _ONE_NOTE_RE.match(text):
        content = mdTrim(note.group(2))
    else:
        return None
    tok = MdTok("inline", "", 0)
    tok.content = content
    tok.children = []
    state = StateCore("", _markdown(), env, [tok])
    _inline_rule(state)
    text_join(state)
    tokens = inline_tokens(tok.children, cache.tokens)
    if note is None:
        blocks = (_paragraph(ParaProps(style="BodyText"), tokens),)
        return _Chunk(blocks, (), 0, (), tuple(_note_refs(blocks)))
    label = note.group(1)
    return _Chunk(
        (), ((label, (_paragraph(ParaProps(style="FootnoteText", container=f"fn:{label}"), tokens),)),), 0, (), ()
    )


def _parse_batch(texts: list[str], cache: ParseCache) -> dict[str, _Chunk]:
    """The chunks of bracket-free texts, as their own parse would give them, for less: a chunk of one plain
    paragraph is made directly (its inline text parsed with the others' in one go), the others are parsed by one
    markdown-it call on their concatenation (_parse_joined); a chunk left out is parsed on its own.

    Without '[' a chunk neither defines nor uses a footnote or a link label, so the empty definitions of its own
    parse are those of the batch."""
    out: dict[str, _Chunk] = {}
    rest: list[str] = []
    inline: list[tuple[str, MdToken]] = []  # one-paragraph chunks with text an inline rule may start at
    for text in dict.fromkeys(texts):
        if _ONE_PARAGRAPH_RE.match(text):
            # What markdown-it's paragraph rule and our inline rule make of it (tests/test_parse_chunks.py)
            from markdown_it.common.utils import mdTrim
            from markdown_it.token import Token as MdTok

            content = mdTrim(text[: text.index("\n")])
            if _INLINE_SPECIAL_RE.search(content):
                tok = MdTok("inline", "", 0)
                tok.content = content
                tok.children = []
                inline.append((text, tok))
            else:
                out[text] = _one_paragraph(_words(cache.tokens, content, _NO_LABELS, None))
        elif text.endswith(("\n", "\r")):
            rest.append(text)
    if inline:
        from markdown_it.rules_core import StateCore, text_join

        state = StateCore("", _markdown(), {"references": {}, "footnotes": {"refs": {}}}, [t for _, t in inline])
        _inline_rule(state)
        text_join(state)
        for text, tok in inline:
            out[text] = _one_paragraph(inline_tokens(tok.children or [], cache.tokens))
    if len(rest) >= 2:
        _parse_joined(rest, cache, out)
    return out


# A chunk that markdown-it makes one paragraph of: one line that starts with a character at which no other block
# rule starts (code, fence, quote, rule, list item, heading, HTML, table, definition) and only blank lines after it.
_ONE_PARAGRAPH_RE = re.compile(r"(?![`~>*\-_+#<|\[]|\d{1,9}[.)](?:[ \t\n]|\Z))\S[^\n\r]*\n[ \t\n]*\Z")


def _one_paragraph(tokens: list[Token]) -> _Chunk:
    return _Chunk((_paragraph(ParaProps(style="BodyText"), tokens),), (), 0, (), ())


def _parse_joined(texts: list[str], cache: ParseCache, out: dict[str, _Chunk]) -> None:
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
    toks = _markdown().parse("".join(texts), {"references": {}, "footnotes": {"refs": {}}})
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
        walker = _Walker(blocks, warnings, cache.tokens, starts[k])
        walker.walk(toks, firsts[k], stop)
        # no footnote definitions or references without '['
        out[text] = _Chunk(tuple(blocks), (), walker.ordered_lists, tuple(warnings), ())


class _Walker:
    """Turns markdown-it's flat token stream into our blocks."""

    def __init__(self, blocks: list[Block], warnings: list[str], memo: _TokenMemo, first_line: int = 0) -> None:
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
        i = start
        n = len(toks) if stop is None else stop
        while i < n:
            t = toks[i]
            typ = t.type
            if typ == "heading_open":
                level = int(t.tag[1:])
                style = _HEADING_STYLES.get(level, "Heading4")
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
                toks_ = [Token(w, frozenset({"code"})) for w in _split_code(text)]
                self.blocks.append(_paragraph(ParaProps(style="SourceCode", container=self.container), toks_))
            elif typ == "html_block":
                line = (t.map or [self.first_line])[0] - self.first_line + 1
                self.warnings.append(f"raw HTML on line {line} is kept as plain text")
                text = t.content.strip()
                self.blocks.append(_paragraph(self._para_props(), _plain_tokens(text)))
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
        self.blocks.append(_paragraph(props, inline_tokens(inline.children or [], self.memo)))

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
        self.blocks.append(_table(rows, align, header_rows))
        return i + 1


def _split_code(text: str) -> list[str]:
    out: list[str] = []
    for k, line in enumerate(text.split("\n")):
        if k:
            out.append("\n")
        out.extend(split_words(line))
    return out


def inline_tokens(children: list[MdToken], memo: _TokenMemo | None = None) -> list[Token]:
    """Flatten markdown-it inline tokens into our word tokens with formatting marks (equal tokens shared through
    `memo`)."""
    memo = {} if memo is None else memo

    def words(text: str, frozen: frozenset[str], href: str | None) -> list[Token]:
        return _words(memo, text, frozen, href)

    out: list[Token] = []
    marks: list[str] = []
    href: str | None = None
    for c in children:
        typ = c.type
        if typ == "text":
            _join(out, words(c.content, frozenset(marks), href))
        elif typ == "softbreak":
            _join(out, [Token(" ", frozenset(marks), href)])
        elif typ == "hardbreak":
            out.append(Token("\n", frozenset(marks), href))
        elif typ == "code_inline":
            _join(out, words(c.content, frozenset([*marks, "code"]), href))
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
            _join(out, [Token(w, frozenset(marks), href) for w in split_words(f"[{alt}]")])
        elif typ in ("html_inline",):
            _join(out, [Token(w, frozenset(marks), href) for w in split_words(c.content)])
    return out


def _words(memo: _TokenMemo, text: str, marks: frozenset[str], href: str | None) -> list[Token]:
    """split_words as tokens of one formatting, equal ones shared through `memo`."""
    same = memo.get((marks, href))
    if same is None:
        same = memo[(marks, href)] = _Words(marks, href)
    return list(map(same.__getitem__, _TOKEN_RE.findall(text)))


class _Words(dict[str, Token]):
    """Tokens of one formatting by text, made when first asked for (looked up by C-level `map`)."""

    __slots__ = ("href", "marks")

    def __init__(self, marks: frozenset[str], href: str | None) -> None:
        super().__init__()
        self.marks = marks
        self.href = href

    def __missing__(self, text: str) -> Token:
        tok = self[text] = Token(text, self.marks, self.href)
        return tok


def _join(out: list[Token], tokens: list[Token]) -> None:
    """Append one inline child's tokens, joining its first to the token before it where both are whitespace (not a
    line break) of the same formatting (a softbreak next to a space): what _merge_spaces does to the whole list,
    since split_words never puts two whitespace tokens side by side within one child."""
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


def _merge_spaces(tokens: list[Token]) -> list[Token]:
    """Join adjacent whitespace tokens of the same formatting (a softbreak next to a space)."""
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


def plain_text(tokens: tuple[Token, ...] | list[Token]) -> str:
    """The visible text of tokens (footnote references shown as [^label])."""
    return "".join(f"[^{t.note}]" if t.note is not None else t.text for t in tokens)
