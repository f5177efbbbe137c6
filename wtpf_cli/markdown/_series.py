"""Speed only: the versions of a draft read one after another, each from what changed since the one before.

`DraftSeries.read(data, where)` must give the Document that `read_draft(decode_text(data, where), path=where,
cache=...)` gives (markdown/parse.py), errors included: tests/test_series.py compares them over random chains of
versions. It also says which blocks changed: outside those ranges the blocks are the very objects of the version
read before, in the same order (what attribution/attributor.py then compares block by block).

The bytes that changed are found in C (diff/_spans.py); only the chunks of the body they touch are cut and looked
up again (markdown/_chunks.py), with one more chunk on either side, since an edit may join a chunk to its
neighbour or split it, but no further: where a chunk starts depends only on the line before it and its own first
characters. The rest of the body, the front matter, the footnotes and the warnings are those of the version
before where their chunks are. A draft whose chunks depend on more than their neighbours (fenced code, HTML
blocks), or an edit of the front matter or of a footnote or link definition, is read whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from itertools import chain
from typing import Any

from wtpf_cli.diff._spans import Span, changed_spans
from wtpf_cli.markdown._chunks import (
    Chunk,
    Numbered,
    OpenList,
    ParseCache,
    chunk_blocks,
    chunks_in_scope,
    definitions,
    footnotes,
    read_chunks,
    split_chunks,
)
from wtpf_cli.markdown.frontmatter import split_draft
from wtpf_cli.markdown.parse import parse_body, shared_cover
from wtpf_cli.model import Block, Document
from wtpf_cli.store.files import MAX_TEXT_BYTES, decode_text

# Blocks old[a0:a1] of the version before replaced by new[b0:b1] of this one (indices into Document.blocks).
BlockSplice = tuple[int, int, int, int]

# A line that may open fenced code (at the start or after any line end that str.splitlines knows): its chunks
# depend on lines far from them, so such a draft is read whole.
_FENCE_LINE_RE = re.compile("(?:\\A|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]) {0,3}(?:```|~~~)")


def _fenced(text: str) -> bool:
    """Whether a line of `text` may open fenced code."""
    return ("```" in text or "~~~" in text) and _FENCE_LINE_RE.search(text) is not None  # (a search in C first)


_PAGE = 64  # chunks per page (between half and twice this after edits)

Scope = tuple[set[str], dict[str, tuple[str, str]]]


class _Page:
    """Consecutive chunks of a body: each one's text, size in bytes, parse, blocks, lists added and list left
    open (chunk_blocks'); and their totals."""

    __slots__ = ("blocks", "count", "ends", "found", "fresh", "lists", "size", "sizes", "texts")

    def __init__(self, texts: list[str], sizes: list[int], found: list[Chunk], numbered: Numbered):
        self.texts, self.sizes, self.found = texts, sizes, found
        self.blocks, self.fresh, self.ends = numbered
        self.size = sum(sizes)
        self.count = sum(map(len, self.blocks))
        self.lists = sum(self.fresh)


class _Window:
    """Chunks of a body: where they start (bytes, blocks and ordered lists before them, the list left open to
    them), and their texts, sizes, parses and numbered blocks."""

    __slots__ = ("count", "found", "lists", "numbered", "open_list", "size", "sizes", "texts")

    def __init__(
        self,
        at: tuple[int, int, int, OpenList | None],
        texts: list[str],
        sizes: list[int],
        found: list[Chunk],
        numbered: Numbered,
    ) -> None:
        self.size, self.count, self.lists, self.open_list = at
        self.texts, self.sizes, self.found, self.numbered = texts, sizes, found, numbered

    def after(self) -> tuple[int, OpenList | None]:
        """The ordered lists before the chunk after these, and the list left open to it."""
        ends = self.numbered.ends
        return self.lists + sum(self.numbered.fresh), ends[-1] if ends else self.open_list


class _Pages:
    """The chunks of a body in pages, so that the chunk at a byte, and the bytes, blocks and ordered lists before
    a chunk, are found without a pass over every chunk."""

    def __init__(self, texts: list[str], sizes: list[int], found: list[Chunk], numbered: Numbered):
        self.pages = _paged(texts, sizes, found, numbered)
        self.count = len(texts)

    def _page_of(self, g: int) -> tuple[int, int]:
        """(page, chunks before it) of chunk `g` (g == count: the last page)."""
        before = 0
        for p, page in enumerate(self.pages):
            n = len(page.texts)
            if g < before + n:
                return p, before
            before += n
        return len(self.pages) - 1, before - len(self.pages[-1].texts)

    def index_at(self, offset: int) -> int:
        """The chunk holding body byte `offset` (the last chunk for an offset at or past the end)."""
        g = 0
        for page in self.pages:
            if offset < page.size:
                for size in page.sizes:
                    if offset < size:
                        return g
                    offset -= size
                    g += 1
            offset -= page.size
            g += len(page.texts)
        return self.count - 1

    def window(self, g0: int, g1: int) -> _Window:
        """Chunks g0 to g1 (excluded): where they start (bytes, blocks and ordered lists before them, the list left
        open to them), and their texts, sizes, parses and numbered blocks."""
        size = count = lists = 0
        open_list: OpenList | None = None
        p = 0
        for p, page in enumerate(self.pages):  # noqa: B007 (the page where g0 is, after the loop)
            n = len(page.texts)
            if g0 < n:
                break
            g0, g1 = g0 - n, g1 - n
            size, count, lists = size + page.size, count + page.count, lists + page.lists
            open_list = page.ends[-1] if page.ends else open_list
        page = self.pages[p]
        size += sum(page.sizes[:g0])
        count += sum(map(len, page.blocks[:g0]))
        lists += sum(page.fresh[:g0])
        if g0:
            open_list = page.ends[g0 - 1]
        texts, sizes, found = page.texts[g0:g1], page.sizes[g0:g1], page.found[g0:g1]
        numbered = Numbered(page.blocks[g0:g1], page.fresh[g0:g1], page.ends[g0:g1])
        while g1 > len(page.texts) and p + 1 < len(self.pages):
            g1 -= len(page.texts)
            p += 1
            page = self.pages[p]
            texts += page.texts[:g1]
            sizes += page.sizes[:g1]
            found += page.found[:g1]
            numbered.blocks.extend(page.blocks[:g1])
            numbered.fresh.extend(page.fresh[:g1])
            numbered.ends.extend(page.ends[:g1])
        return _Window((size, count, lists, open_list), texts, sizes, found, numbered)

    def all_found(self) -> list[Chunk]:
        """The parse of every chunk, in order."""
        return [c for page in self.pages for c in page.found]

    def replace(self, g0: int, g1: int, now: _Window) -> None:
        """Chunks g0 to g1 (excluded) replaced by those of `now`."""
        p0, before = self._page_of(g0)
        p1, _ = self._page_of(max(g1 - 1, g0))
        texts, sizes, found, (blocks, fresh, ends) = now.texts, now.sizes, now.found, now.numbered
        self.count += len(texts) - (g1 - g0)
        page = self.pages[p0]
        if p0 == p1 and 0 < len(page.texts) + len(texts) - (g1 - g0) <= 2 * _PAGE:
            k0, k1 = g0 - before, g1 - before
            page.size += sum(sizes) - sum(page.sizes[k0:k1])
            page.count += sum(map(len, blocks)) - sum(map(len, page.blocks[k0:k1]))
            page.lists += sum(fresh) - sum(page.fresh[k0:k1])
            page.texts[k0:k1], page.sizes[k0:k1], page.found[k0:k1] = texts, sizes, found
            page.blocks[k0:k1], page.fresh[k0:k1], page.ends[k0:k1] = blocks, fresh, ends
            return
        pages = self.pages[p0 : p1 + 1]
        k0, k1 = g0 - before, g1 - before
        all_texts = [t for page in pages for t in page.texts]
        all_sizes = [s for page in pages for s in page.sizes]
        all_found = [c for page in pages for c in page.found]
        all_numbered = Numbered(
            [b for page in pages for b in page.blocks],
            [f for page in pages for f in page.fresh],
            [e for page in pages for e in page.ends],
        )
        all_texts[k0:k1], all_sizes[k0:k1], all_found[k0:k1] = texts, sizes, found
        all_numbered.blocks[k0:k1], all_numbered.fresh[k0:k1], all_numbered.ends[k0:k1] = blocks, fresh, ends
        self.pages[p0 : p1 + 1] = _paged(all_texts, all_sizes, all_found, all_numbered)


def _paged(texts: list[str], sizes: list[int], found: list[Chunk], numbered: Numbered) -> list[_Page]:
    """Chunks cut into pages of _PAGE (the last page takes up to twice that); one empty page for no chunks."""
    n = len(texts)
    cuts = list(range(0, n - _PAGE, _PAGE)) if n > 2 * _PAGE else [0]
    ends = [*cuts[1:], n]
    return [
        _Page(
            texts[a:b], sizes[a:b], found[a:b], Numbered(numbered.blocks[a:b], numbered.fresh[a:b], numbered.ends[a:b])
        )
        for a, b in zip(cuts, ends, strict=True)
    ]


def _sizes(text: str, texts: list[str]) -> list[int]:
    """The size in bytes (UTF-8) of each of `texts`, the chunks of `text`."""
    return list(map(len, texts)) if text.isascii() else [len(t.encode()) for t in texts]


class _Version:
    """The last version read: its bytes, where its body starts, its document and its body's chunks."""

    __slots__ = ("body_at", "cover", "data", "doc", "notes", "pages", "scope")

    def __init__(self, data: bytes, body_at: int, doc: Document, cover: int, pages: _Pages, notes: int, scope: Scope):
        self.data, self.body_at, self.doc, self.cover, self.pages = data, body_at, doc, cover, pages
        self.notes = notes  # footnote paragraphs at the end of doc.blocks
        self.scope = scope  # the footnote labels and link definitions the body defines


class DraftSeries:
    """read_draft of each version of a draft in turn, from the changes since the version before."""

    def __init__(self, cache: ParseCache) -> None:
        self.cache = cache
        self.last: _Version | None = None

    def forget(self) -> None:
        """Read the next version whole (it does not follow the version read last)."""
        self.last = None

    def read(
        self, data: bytes, where: str, parsed: Callable[[str, str], Mapping[str, Chunk] | None] | None = None
    ) -> tuple[Document, list[BlockSplice] | None]:
        """The document of the draft `data` (`where` names it in messages), and the blocks that changed since the
        version read before (None: all may have). With `parsed`, the draft is read whole, with the chunks that
        parsed(text, where) says another process parsed (read_draft's `parsed`)."""
        last = self.last
        if last is not None and parsed is None:
            if data == last.data:
                return last.doc, []
            found = self._changed(last, data)
            if found is not None:
                return found
        self.last = None
        return self._whole(data, where, parsed), None

    def _whole(
        self, data: bytes, where: str, parsed: Callable[[str, str], Mapping[str, Chunk] | None] | None
    ) -> Document:
        """The document of `data` read whole (read_draft's steps), remembered for the next version if its chunks
        can be read again one by one."""
        cache = self.cache
        text = decode_text(data, where)
        elsewhere = None if parsed is None else parsed(text, where)
        draft = split_draft(text, path=where)
        cover = shared_cover(draft.meta, cache)
        read = read_chunks(draft.body, cache, elsewhere)
        if read is None:
            blocks, warnings = parse_body(draft.body)
            return Document(draft.meta, (*cover, *blocks), tuple(warnings))
        texts, chunks = read
        scope = cache.scope  # read_chunks set it to this body's definitions
        numbered = chunk_blocks(chunks, cache)
        notes, warnings = footnotes(chunks, cache)
        doc = Document(draft.meta, (*cover, *chain.from_iterable(numbered.blocks), *notes), tuple(warnings))
        if not _fenced(draft.body):
            sizes = _sizes(draft.body, texts)
            pages = _Pages(texts, sizes, chunks, numbered)
            self.last = _Version(data, len(data) - sum(sizes), doc, len(cover), pages, len(notes), scope)
        return doc

    def _changed(self, last: _Version, data: bytes) -> tuple[Document, list[BlockSplice]] | None:
        """The next version `data` read from its changes, or None where it must be read whole."""
        pages = last.pages
        at = last.body_at
        if len(data) > MAX_TEXT_BYTES or pages.count == 0:
            return None
        spans = changed_spans(last.data, data)
        # The front matter (and the line that closes it) left as it was: then the body starts where it did.
        if spans[0][0] < max(at, 8) or (at and last.data[at - 1] != 0x0A):
            return None
        windows = _windows(pages, spans, at)
        cache = self.cache
        plans: list[tuple[int, int, _Window, _Window]] = []  # chunks i to j: as they were, as they are
        shift = 0  # bytes gained before the window
        lists_gained = 0  # ordered lists gained before it
        numbered_to: tuple[int, int, OpenList | None] = (
            0,
            0,
            None,
        )  # the chunk where the chunks numbered anew end, the lists and open list there
        notes_changed = warnings_changed = False
        for w, (i, j, s0, s1) in enumerate(windows):
            was = pages.window(i, j)
            # the chunks before the window numbered as they were (the same lists and open list) unless renumbered
            lists, open_list = numbered_to[1:] if numbered_to[0] == i else (was.lists + lists_gained, was.open_list)
            gained = sum((b1 - b0) - (a1 - a0) for a0, a1, b0, b1 in spans[s0:s1])
            start = at + was.size + shift
            raw = data[start : start + sum(was.sizes) + gained]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                return None
            if "\x00" in text or _fenced(text):
                return None
            texts = split_chunks(text)
            if texts is None or definitions(texts, cache) != definitions(was.texts, cache):
                return None
            found = chunks_in_scope(texts, cache, last.scope)
            now = _Window(
                (0, 0, lists, open_list),
                texts,
                _sizes(text, texts),
                found,
                chunk_blocks(found, cache, lists, open_list),
            )
            notes_changed = notes_changed or _notes(found) != _notes(was.found)
            warnings_changed = warnings_changed or _warnings(found) != _warnings(was.found)
            plans.append((i, j, was, now))
            shift += gained
            lists_gained += sum(now.numbered.fresh) - sum(was.numbered.fresh)
            numbered_to = (j, *now.after())
            stop = windows[w + 1][0] if w + 1 < len(windows) else pages.count
            if now.after() != was.after() and stop > j:
                # The ordered lists after this window are numbered anew, up to the next window.
                gap = pages.window(j, stop)
                lists, open_list = now.after()
                renumbered = _Window(
                    (0, 0, lists, open_list),
                    gap.texts,
                    gap.sizes,
                    gap.found,
                    chunk_blocks(gap.found, cache, lists, open_list),
                )
                plans.append((j, stop, gap, renumbered))
                numbered_to = (stop, *renumbered.after())
        return self._spliced(last, data, plans, notes_changed, warnings_changed)

    def _spliced(
        self,
        last: _Version,
        data: bytes,
        plans: list[tuple[int, int, _Window, _Window]],
        notes_changed: bool,
        warnings_changed: bool,
    ) -> tuple[Document, list[BlockSplice]]:
        """The next version: the chunks of `plans` put in place of the old ones, its blocks and what changed."""
        pages = last.pages
        old = last.doc.blocks
        pieces: list[tuple[Block, ...]] = []
        splices: list[BlockSplice] = []
        pos = 0  # old blocks taken so far
        gained = 0  # blocks gained before pos
        for _i, _j, was, now in plans:
            a0 = last.cover + was.count
            a1 = a0 + sum(map(len, was.numbered.blocks))
            new = tuple(chain.from_iterable(now.numbered.blocks))
            pieces += [old[pos:a0], new]
            splices.append(_trimmed(old, new, a0, a1, a0 + gained))
            gained += len(new) - (a1 - a0)
            pos = a1
        body_end = len(old) - last.notes
        pieces.append(old[pos:body_end])
        for i, j, _was, now in reversed(plans):
            pages.replace(i, j, now)
        warnings = last.doc.warnings
        notes = old[body_end:]
        if notes_changed or warnings_changed:
            new_notes, new_warnings = footnotes(pages.all_found(), self.cache)
            warnings = tuple(new_warnings)
            if notes_changed:
                splices.append(_trimmed(old, tuple(new_notes), body_end, len(old), body_end + gained))
                notes = tuple(new_notes)
        pieces.append(notes)
        doc = Document(last.doc.meta, tuple(chain.from_iterable(pieces)), warnings)
        self.last = _Version(data, last.body_at, doc, last.cover, pages, len(notes), last.scope)
        return doc, [s for s in splices if s[0] != s[1] or s[2] != s[3]]


def _windows(pages: _Pages, spans: list[Span], at: int) -> list[tuple[int, int, int, int]]:
    """The chunks to read again for the spans (body starting at byte `at`): (first chunk, chunk after the last,
    first span, span after the last), with one chunk more on either side, merged where they meet."""
    n = pages.count
    out: list[list[int]] = []
    for s, (a0, a1, _b0, _b1) in enumerate(spans):
        i = max(pages.index_at(a0 - at) - 1, 0)
        j = min(pages.index_at(max(a1 - 1, a0) - at) + 2, n)
        if out and i <= out[-1][1]:
            out[-1][1] = max(out[-1][1], j)
            out[-1][3] = s + 1
        else:
            out.append([i, j, s, s + 1])
    return [(i, j, s0, s1) for i, j, s0, s1 in out]


def _trimmed(old: tuple[Block, ...], new: tuple[Block, ...], a0: int, a1: int, b0: int) -> BlockSplice:
    """Old blocks a0:a1 replaced by `new` at b0, less the blocks at either end that are the same objects."""
    lo, n = 0, len(new)
    while lo < n and a0 + lo < a1 and old[a0 + lo] is new[lo]:
        lo += 1
    hi = 0
    while hi < n - lo and a1 - hi > a0 + lo and old[a1 - 1 - hi] is new[n - 1 - hi]:
        hi += 1
    return a0 + lo, a1 - hi, b0 + lo, b0 + n - hi


def _notes(found: list[Chunk]) -> list[tuple[Any, ...]]:
    return [(c.notes, c.refs) for c in found if c.notes or c.refs]


def _warnings(found: list[Chunk]) -> list[tuple[str, ...]]:
    return [c.warnings for c in found if c.warnings]
