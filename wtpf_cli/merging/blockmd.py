"""The Markdown of each block of a Word contribution's proposal, and the proposal put together.

A block matched whole keeps its source; a paired block that changed keeps its prefix (``## ``, ``- ``, ``1. ``,
``[^1]: ``) when its kind holds, and its inline Markdown is, in this order of preference: the source with the
text change made at the words it touches (inline.mapped_text), when it reads back as the Word text and
formatting; the Word runs written as Markdown, when the source was written that way itself (so nothing but the
edit changes); else the first, with the formatting change left out (or the second when the words could not be
placed). A new block is written from the Word structure. List items get their marker and indentation from
their neighbours; the first item of a numbered list carries its start number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from wtpf_cli.diff.sequences import diff_sequences, regions
from wtpf_cli.markdown.spans import SourceBlock, SourceDoc
from wtpf_cli.markdown.tokens import plain_text
from wtpf_cli.merging.inline import (
    Run,
    SourceWords,
    canonical,
    escaped,
    key_of,
    mapped_text,
    markdown_of,
    reread,
    safe_start,
    source_words,
)
from wtpf_cli.model import Token
from wtpf_cli.ooxml.blocks import Shape, WordBlock
from wtpf_cli.ooxml.revisions import Segment

_WORD_CHARS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class LeftOut:
    """An edit of a Word file not taken into the proposal: what (a kind of formatting, "cover", "formatting",
    "words"), the words it concerns, and why."""

    what: str
    words: str
    reason: str


@dataclass(slots=True)
class Placed:
    """A block of the proposal: its Markdown, where it goes (its own place among the base's blocks, or, new, the
    place it goes before), in which order among new ones there, from which Word block, and for list items what
    their prefix needs (``rest``: the text after it; ``fixed``: the prefix is the source's, only its number may
    change)."""

    text: str
    place: int
    new: bool
    order: int = 0
    word: int = -1
    kind: str = "para"
    kept_kind: bool = True
    level: int = 0
    list_kind: str = ""
    number: int = 0
    start: int = 1
    rest: str = ""
    prefix: str = ""
    fixed: bool = True
    last: int = -1  # a stretch of the base's blocks taken as they are: the place of its last block


@dataclass(frozen=True, slots=True)
class _Known:
    """What the writer knows of a base block's inline content, the same for every contribution: its source, key,
    words aligned with its text, and whether it is written as markdown_of writes its runs."""

    source_text: str
    key: str
    words: SourceWords
    canonical: bool


@dataclass(slots=True)
class _Item:
    """An open list level while the proposal is put together: the prefix of its last item, its number and how
    much it went up from the item before it (None: the level's first item)."""

    prefix: str
    number: int
    step: int | None = None


def kind_sig(kind: str, level: int, list_kind: str) -> str:
    """A block's kind signature: "h2" a heading of level 2, "b0" a bullet item at level 0, "o1" a numbered one at
    level 1, "p" body text, "c" more of a list item, "q" a quote, "code", "t" a table."""
    if kind == "heading":
        return f"h{level}"
    if kind == "item":
        return f"{'b' if list_kind == 'bullet' else 'o'}{level}"
    return {"cont": "c", "quote": "q", "code": "code", "table": "t"}.get(kind, "p")


def word_sig(shape: Shape) -> str:
    """A Word paragraph's kind signature."""
    return kind_sig(shape.kind, shape.level, shape.list_kind)


def _pieces(segments: Sequence[Segment]) -> list[tuple[str, frozenset[str], str | None, str | None]]:
    return [(s.text, s.marks, s.href, s.note) for s in segments]


@dataclass
class BlockWriter:
    """Writes the blocks of one proposal (the base's source, the labels of the Word notes, the list of what is
    left out, added to as blocks are written)."""

    doc: SourceDoc
    labels: Mapping[str, str]
    left_out: list[LeftOut]
    known: dict[int, _Known] = field(default_factory=dict)  # per base block's tokens (by id): see _Known

    # -- blocks ---------------------------------------------------------------------------------------------

    def paired(self, block: SourceBlock, place: int, word: WordBlock, same: bool, keep: bool, j: int) -> Placed:
        """A base block and the Word block paired with it."""
        body = self.doc.text
        source = body[block.start : block.end]
        if block.kind == "table":
            text = source if same else self.table(block, word.rows or [])
            return Placed(text, place, False, word=j, kind="table")
        head, inline = body[block.start : block.start + block.prefix], body[block.start + block.prefix : block.end]
        setext = block.kind == "heading" and "\n" in inline
        if setext:
            inline, underline = inline.split("\n", 1)
        if not same:
            inline = self.inline(inline, block.tokens, word.segments)
        if keep:
            text = head + inline + (f"\n{underline}" if setext else "") if not same else source
            if block.kind == "item":
                return Placed(
                    text,
                    place,
                    False,
                    word=j,
                    kind="item",
                    level=block.level,
                    list_kind=block.list_kind,
                    number=block.number,
                    start=block.list_start,
                    rest=inline,
                    prefix=head,
                )
            return Placed(text, place, False, word=j, kind=block.kind)
        return self.shaped(" ".join(inline.split("\n")), word.shape, place, False, j, 0)

    def stretch(self, first: int, last: int, j: int) -> Placed:
        """The base's blocks at places first to last (body blocks side by side, matched whole), as they stand."""
        blocks = self.doc.blocks
        return Placed(
            self.doc.text[blocks[first].start : blocks[last].end], first, False, word=j, kind="stretch", last=last
        )

    def moved(self, block: SourceBlock, place: int, j: int) -> Placed:
        """A base block the Word file moved (equal to it), to go before the base block at `place`: its source."""
        text = self.doc.text[block.start : block.end]
        prefix = text[: block.prefix]
        item = block.kind == "item"
        return Placed(
            text,
            place,
            True,
            j,
            j,
            block.kind,
            False,
            block.level,
            block.list_kind,
            block.number,
            block.list_start,
            rest=text[block.prefix :] if item else "",
            prefix=prefix,
        )

    def new(self, word: WordBlock, place: int, j: int) -> Placed:
        """A Word block with no partner in the base, to go before the base block at `place`."""
        if word.rows is not None:
            return Placed(self.table(None, word.rows), place, True, j, j, "table", False)
        inline = self.written(word.segments)
        return self.shaped(inline, word.shape, place, True, j, j)

    def shaped(self, inline: str, shape: Shape, place: int, new: bool, j: int, order: int) -> Placed:
        """A block written with the kind the Word file gives it."""
        kind = shape.kind
        if kind == "item":
            return Placed(
                "",
                place,
                new,
                order,
                j,
                "item",
                False,
                shape.level,
                shape.list_kind,
                shape.start,
                shape.start,
                rest=inline,
                fixed=False,
            )
        if kind == "heading":
            text = f"{'#' * min(shape.level, 6)} {inline}"
        elif kind == "quote":
            text = f"> {inline}"
        elif kind == "code":
            text = f"```\n{inline}\n```"
        elif kind == "cont":
            return Placed("", place, new, order, j, "cont", False, rest=safe_start(inline), fixed=False)
        else:
            text = safe_start(inline)
        return Placed(text, place, new, order, j, "para" if kind == "cont" else kind, False)

    def note(self, block: SourceBlock, place: int, paragraphs: list[Sequence[Segment]], same: bool) -> Placed:
        """A base note kept (`same`) or changed."""
        body = self.doc.text
        if same:
            return Placed(body[block.start : block.end], place, False, kind="note")
        if len(paragraphs) == 1 and len(block.paragraphs) == 1:
            head, inline = body[block.start : block.start + block.prefix], body[block.start + block.prefix : block.end]
            return Placed(head + self.inline(inline, block.paragraphs[0], paragraphs[0]), place, False, kind="note")
        return Placed(self.note_text(block.label, paragraphs), place, False, kind="note")

    def new_note(self, label: str, paragraphs: list[Sequence[Segment]], place: int, order: int) -> Placed:
        """A note the Word file adds, to go before the base block at `place`."""
        return Placed(self.note_text(label, paragraphs), place, True, order, kind="note")

    def note_text(self, label: str, paragraphs: list[Sequence[Segment]]) -> str:
        texts = [self.written(p) for p in paragraphs if any(s.text.strip() or s.note for s in p)]
        return f"[^{label}]: " + "\n\n    ".join(texts or [""])

    # -- inline content -------------------------------------------------------------------------------------

    def written(self, segments: Sequence[Segment], *, cell: bool = False) -> str:
        """Word pieces written as Markdown."""
        return markdown_of(canonical(_pieces(segments)), self.labels, cell=cell)

    def inline(self, source: str, tokens: tuple[Token, ...], segments: Sequence[Segment], *, cell: bool = False) -> str:
        """The inline Markdown of a changed block (see the module's docstring)."""
        wanted = canonical(_pieces(segments))
        key = key_of(wanted)
        base = self.known.get(id(tokens))
        if base is None or base.source_text != source:
            runs = canonical([(t.text, t.marks, t.href, t.note) for t in tokens])
            written_base = markdown_of(runs, {}, cell=cell) == source
            base = self.known[id(tokens)] = _Known(
                source, key_of(runs), source_words(source, plain_text(tokens)), written_base
            )
        if base.key == key:
            return source
        new_text = "".join(self._typed(s) for s in segments)
        mapped, missing = mapped_text(base.words, new_text)
        if not missing and key_of(reread(mapped)) == key:
            return mapped
        written = markdown_of(wanted, self.labels, cell=cell)
        if missing or base.canonical:
            if key_of(reread(written)) != key:
                self.left_out.append(LeftOut("formatting", _words(wanted), "it could not be written in Markdown"))
            return written
        self.left_out.append(
            LeftOut("formatting", _words(wanted), "its block's Markdown is written in a way the change cannot keep")
        )
        return mapped

    def _typed(self, segment: Segment) -> str:
        """A piece as the word mapping compares it with the base's text: a note reference as its label, inserted
        text as Markdown (escaped, its bold and italic kept), other text as it reads."""
        if segment.note is not None:
            return f"[^{self.labels.get(segment.note, segment.note)}]"
        if not segment.inserted:
            return segment.text
        core = escaped(segment.text)
        stripped = core.strip()
        wrap = ("**" if "strong" in segment.marks else "") + ("*" if "em" in segment.marks else "")
        if not stripped or not wrap:
            return core
        lead, trail = core[: len(core) - len(core.lstrip())], core[len(core.rstrip()) :]
        return f"{lead}{wrap}{stripped}{wrap[::-1]}{trail}"

    # -- tables ---------------------------------------------------------------------------------------------

    def table(self, block: SourceBlock | None, rows: Sequence[Sequence[Sequence[Segment]]]) -> str:
        """A table's Markdown: rows matched whole keep their line, paired rows keep their unchanged cells' source,
        new rows are written from Word; the delimiter row is kept while the columns are."""
        body = self.doc.text
        width = max((len(r) for r in rows), default=0)
        if block is None:
            lines = ["| " + " | ".join(self.written(c, cell=True) for c in row) + " |" for row in rows]
            return "\n".join([lines[0], "|" + "|".join(["---"] * width) + "|", *lines[1:]]) if lines else ""
        base_rows = block.rows
        base_keys = ["\x08".join(key_of(canonical(_tok_pieces(t))) for _s, t in r.cells) for r in base_rows]
        word_keys = ["\x08".join(key_of(canonical(_pieces(c))) for c in r) for r in rows]
        base_width = len(base_rows[0].cells)
        out: list[str] = []
        header_pairs: list[tuple[int, int]] | None = None
        for equal, a0, a1, b0, b1 in regions(diff_sequences(base_keys, word_keys)):
            if equal:
                for k in range(a1 - a0):
                    row = base_rows[a0 + k]
                    same = width == base_width
                    out.append(body[row.start : row.end] if same else self.row(row.cells, rows[b0 + k]))
                    if a0 + k == 0 and b0 + k == 0:
                        header_pairs = [(c, c) for c in range(base_width)]
                continue
            # rows taken out and rows put in, side by side, paired where alike (a row whose cells changed)
            texts_a = [" ".join(plain_text(t) for _s, t in base_rows[i].cells) for i in range(a0, a1)]
            texts_b = [" ".join("".join(s.text for s in c) for c in rows[j]) for j in range(b0, b1)]
            paired = {b0 + j: a0 + i for i, j in pair_alike(texts_a, texts_b, one_to_one=True)}
            for j in range(b0, b1):
                if j in paired:
                    cells, pairs = self.cells(base_rows[paired[j]].cells, rows[j])
                    out.append("| " + " | ".join(cells) + " |")
                    if paired[j] == 0 and j == 0:
                        header_pairs = pairs
                else:
                    out.append("| " + " | ".join(self.written(c, cell=True) for c in rows[j]) + " |")
        if width == base_width:
            delimiter = body[block.delimiter[0] : block.delimiter[1]]
        else:
            marks = [m.strip() for m in body[block.delimiter[0] : block.delimiter[1]].strip().strip("|").split("|")]
            columns = ["---"] * width
            for a, b in header_pairs or []:
                if a < len(marks) and b < width:
                    columns[b] = marks[a]
            delimiter = "|" + "|".join(columns) + "|"
        return "\n".join([out[0], delimiter, *out[1:]]) if out else ""

    def row(self, cells: tuple[tuple[str, tuple[Token, ...]], ...], word: Sequence[Sequence[Segment]]) -> str:
        return "| " + " | ".join(self.cells(cells, word)[0]) + " |"

    def cells(
        self, cells: tuple[tuple[str, tuple[Token, ...]], ...], word: Sequence[Sequence[Segment]]
    ) -> tuple[list[str], list[tuple[int, int]]]:
        """A changed row's cells: those matched keep their source, those paired are changed in their source, the
        others written from Word; and the pairs of base and Word columns."""
        keys_a = [key_of(canonical(_tok_pieces(t))) for _s, t in cells]
        keys_b = [key_of(canonical(_pieces(c))) for c in word]
        out = [""] * len(word)
        pairs: list[tuple[int, int]] = []
        for e in diff_sequences(keys_a, keys_b):
            if e.op == "equal":
                for k in range(e.a1 - e.a0):
                    out[e.b0 + k] = cells[e.a0 + k][0]
                    pairs.append((e.a0 + k, e.b0 + k))
                continue
            n, m = e.a1 - e.a0, e.b1 - e.b0
            for k in range(m):
                j = e.b0 + k
                if n == m:
                    source, tokens = cells[e.a0 + k]
                    out[j] = self.inline(source, tokens, word[j], cell=True)
                    pairs.append((e.a0 + k, j))
                else:
                    out[j] = self.written(word[j], cell=True)
        return out, sorted(pairs)

    # -- the proposal put together --------------------------------------------------------------------------

    def assemble(self, placed: list[Placed], groups: list[int]) -> str:
        """The proposal's Markdown body: the blocks in order, the base's own text between two blocks that stood
        side by side there, a line feed between items of one list, a blank line elsewhere."""
        doc = self.doc
        blocks = doc.blocks
        kept = {p.place for p in placed if not p.new}
        others = [n for n, b in enumerate(blocks) if b.kind == "other" and n not in kept]
        placed = [*placed, *(Placed(doc.text[blocks[n].start : blocks[n].end], n, False, kind="other") for n in others)]
        placed.sort(key=lambda p: (p.place, 0 if p.new else 1, p.order))
        self._prefixes(placed, groups)
        out: list[str] = []
        previous: Placed | None = None
        for p in placed:
            if previous is not None:
                out.append(self._between(previous, p, groups))
            out.append(p.text)
            previous = p
        if not blocks:
            return doc.text + ("\n\n" if doc.text.strip() and out else "") + "".join(out) + ("\n" if out else "")
        lead, tail = doc.text[: blocks[0].start], doc.text[blocks[-1].end :]
        return lead + "".join(out) + (tail if out else tail.lstrip("\n"))

    def _between(self, before: Placed, after: Placed, groups: list[int]) -> str:
        doc = self.doc
        if (
            not before.new
            and not after.new
            and after.place == max(before.place, before.last) + 1
            and before.kept_kind
            and after.kept_kind
        ):
            return doc.text[doc.blocks[max(before.place, before.last)].end : doc.blocks[after.place].start]
        group = groups[before.word] if before.word >= 0 else -1
        if after.kind == "item" and group >= 0 and after.word >= 0 and groups[after.word] == group:
            return "\n\n" if self._loose(before, after) else "\n"
        return "\n\n"

    def _loose(self, before: Placed, after: Placed) -> bool:
        """Whether the source's items where `after` goes stand apart (a blank line between: a loose list), so
        that an item put there does too."""
        blocks, text = self.doc.blocks, self.doc.text
        last_before = before.place - 1 if before.new else max(before.place, before.last)
        for k in (after.place, last_before):  # the items on either side of `after`'s place, else before `before`
            if 0 < k < len(blocks) and blocks[k].kind == blocks[k - 1].kind == "item":
                return text.count("\n", blocks[k - 1].end, blocks[k].start) >= 2
        return False

    def _prefixes(self, placed: list[Placed], groups: list[int]) -> None:
        """The list items' prefixes: the source's (the first of a numbered list given its start), or, for an item
        new or made one, the indentation and marker of the items around it."""
        levels: list[_Item] = []
        group = -1
        continued = False  # the list goes on from items of a stretch, unseen here: its next item keeps its number
        for n, p in enumerate(placed):
            if p.kind == "stretch":
                levels, group = [], groups[p.word + p.last - p.place]
                continued = group >= 0
                continue
            here = groups[p.word] if p.word >= 0 else -1
            if p.kind not in ("item", "cont") or here != group or here < 0:
                levels = []
                group = here
                continued = False
            if p.kind == "cont":
                if not p.fixed:
                    parent = levels[-1] if levels else None
                    p.text = (" " * len(parent.prefix) if parent else "") + p.rest
                continue
            if p.kind != "item":
                continue
            del levels[p.level + 1 :]
            sibling = levels[p.level] if len(levels) > p.level else None
            if p.fixed:
                if sibling is None and not continued and p.list_kind == "ordered" and p.number != p.start:
                    prefix = _renumbered(p.prefix, p.start)
                    p.text, p.prefix, p.number = prefix + p.text[len(p.prefix) :], prefix, p.start
            else:
                p.prefix, p.number = self._new_prefix(p, sibling, levels, placed[n + 1 :], groups)
                p.text = p.prefix + p.rest
            while len(levels) <= p.level:
                levels.append(_Item("", 0))
            levels[p.level] = _Item(p.prefix, p.number, p.number - sibling.number if sibling else None)

    def _new_prefix(
        self, p: Placed, sibling: _Item | None, levels: list[_Item], after: list[Placed], groups: list[int]
    ) -> tuple[str, int]:
        """The prefix and number of an item new or made one."""
        if sibling is not None:
            indent = sibling.prefix[: len(sibling.prefix) - len(sibling.prefix.lstrip())]
            marker = sibling.prefix.strip()
            # A list written "1. 1. 1." (every item numbered as the first, as many write it) stays so.
            step = sibling.step
            if step is None:
                nxt = self._next_item(p, after, groups)
                step = 0 if nxt is not None and nxt.number == sibling.number else 1
            number = sibling.number + (step if step in (0, 1) else 1)
            if p.list_kind == "ordered" and marker[:1].isdigit():
                return f"{indent}{number}{marker[-1]} ", number
            if p.list_kind == "bullet" and marker[:1] in "-*+":
                return f"{indent}{marker} ", number
            return f"{indent}{_marker(p.list_kind, number)} ", number
        parent = levels[p.level - 1] if 0 < p.level <= len(levels) else None
        indent = " " * len(parent.prefix) if parent is not None else ""
        q = self._next_item(p, after, groups)
        if q is not None:
            marker = q.prefix.strip()
            number = q.start if p.list_kind == "ordered" else 0
            if p.list_kind == "ordered" and marker[:1].isdigit():
                return f"{indent}{number}{marker[-1]} ", number
            return f"{indent}{marker} ", number
        return f"{indent}{_marker(p.list_kind, p.start)} ", p.start

    @staticmethod
    def _next_item(p: Placed, after: list[Placed], groups: list[int]) -> Placed | None:
        """The first item of the source after `p` in its list, at its level and of its kind, if any."""
        group = groups[p.word] if p.word >= 0 else -1
        for q in after:
            if q.word < 0 or groups[q.word] != group or q.kind not in ("item", "cont") or q.level < p.level:
                return None
            if q.kind == "item" and q.level == p.level and q.fixed and q.list_kind == p.list_kind:
                return q
        return None


def _marker(list_kind: str, number: int) -> str:
    return f"{number}." if list_kind == "ordered" else "-"


def _renumbered(prefix: str, number: int) -> str:
    """An ordered item's prefix with another number."""
    stripped = prefix.lstrip()
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    return prefix[: len(prefix) - len(stripped)] + str(number) + stripped[digits:]


def _tok_pieces(tokens: tuple[Token, ...]) -> list[tuple[str, frozenset[str], str | None, str | None]]:
    return [(t.text, t.marks, t.href, t.note) for t in tokens]


def _words(runs: list[Run]) -> str:
    text = " ".join("".join(r.text for r in runs).split())
    return text if len(text) <= 60 else text[:57] + "..."


def pair_alike(
    a: list[str], b: list[str], *, one_to_one: bool = False, sorts: tuple[list[bool], list[bool]] | None = None
) -> list[tuple[int, int]]:
    """An ordered matching of texts a and b that makes the words they share most (a pair at least half alike,
    and, given `sorts`, of one sort; with `one_to_one`, one text each side pairs whatever its words)."""
    n, m = len(a), len(b)
    if not n or not m:
        return []
    if one_to_one and n == m == 1:
        return [(0, 0)] if sorts is None or sorts[0][0] == sorts[1][0] else []
    words_a = [Counter(w.lower() for w in _WORD_CHARS.findall(t)) for t in a]
    words_b = [Counter(w.lower() for w in _WORD_CHARS.findall(t)) for t in b]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if sorts is not None and sorts[0][i] != sorts[1][j]:
                score[i][j] = best
                continue
            alike = dice(words_a[i], words_b[j])
            if alike >= 0.5:
                best = max(best, score[i + 1][j + 1] + alike)
            score[i][j] = best
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if score[i][j] == score[i + 1][j]:
            i += 1
        elif score[i][j] == score[i][j + 1]:
            j += 1
        else:
            out.append((i, j))
            i += 1
            j += 1
    return out


def dice(a: Counter[str], b: Counter[str]) -> float:
    """How alike two word counts are: twice the words shared over all (1 for two empty ones)."""
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0
