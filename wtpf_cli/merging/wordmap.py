"""Map a delegate's Word file back onto the Markdown draft it was built from, block by block.

The delegate received the .docx of a version (`wtpf build`), edited it in Word or LibreOffice and sent it back.
Its blocks with all changes accepted (ooxml/blocks.py: headings, paragraphs, list items, tables, notes, each with
its text, bold, italic, links and note references) are held against the blocks of the base version's Markdown
(markdown/spans.py): blocks equal in kind and content are matched whole first (an anchored diff of their keys),
then, in each stretch between, the blocks most alike are paired. Then:

- a matched block keeps its Markdown source byte for byte, and so does the text between two of them;
- a paired block that changed keeps its kind and its prefix (``## ``, ``- ``, ``[^1]: ``) unless the file changed
  its style, and its inline Markdown around the edited words (blockmd.py);
- a base block with no partner is taken out, a Word block with no partner is written as Markdown from its
  structure where it stands among its neighbours; a table's rows and cells are held against the base's likewise;
- a note is matched to a base note by its text, or by where its reference stands; a new note gets a new label.

A tracked style change (``w:pPrChange``) or, in a file with no tracked change, a different style, changes a
block's kind; in a file with tracked changes a different style without one is LibreOffice's doing (the paragraph
after one deleted whole takes its style) and is not taken. What Markdown cannot hold (colour, font size,
highlighting, an image...) is left out, each named with its reason (LeftOut), as are edits that cannot be placed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from wtpf_cli._collector import collector_paused
from wtpf_cli.markdown.cover import COVER_STYLES, SUMMARY_STYLES, cover_blocks
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.markdown.spans import SourceBlock, SourceDoc, source_blocks
from wtpf_cli.markdown.tokens import plain_text
from wtpf_cli.merging._blockdiff import anchors_of, paragraph_edits
from wtpf_cli.merging.blockmd import BlockWriter, LeftOut, Placed, kind_sig, pair_alike, word_sig
from wtpf_cli.merging.inline import KEPT_MARKS, plain_key, quick_key
from wtpf_cli.merging.links import base_spellings, spelled_as_base
from wtpf_cli.model import Paragraph, Token
from wtpf_cli.ooxml.blocks import WordBlock, WordView, word_view
from wtpf_cli.ooxml.inspection import inspect_docx
from wtpf_cli.ooxml.revisions import Inspection, Para, Segment

_FORMAT_MARKS = re.compile(r"\x01[^\x02]*\x02|\x03")
_PAIRING_LIMIT = 40_000  # blocks x blocks in one stretch beyond which only equal texts are paired (speed)


@dataclass(frozen=True, slots=True)
class WordProposal:
    """The Markdown body a Word contribution proposes, what the reader noticed, the reviewers named in the file,
    and the edits left out with their reasons."""

    body: str
    warnings: tuple[str, ...]
    reviewers: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()


@dataclass(frozen=True, slots=True)
class _Base:
    """What Word contributions on one base version are held against: its blocks, the body's (in order, with
    their kind signatures, keys and text keys), its notes by label with their keys, the cover's texts."""

    doc: SourceDoc
    body: list[int]  # the places in doc.blocks of the body's blocks
    sigs: list[str]
    keys: list[str]
    text_keys: list[str]
    notes: dict[str, int]  # label -> place in doc.blocks
    note_keys: dict[str, str]
    refs: list[list[str]]  # per body block, the labels of the notes it refers to
    cover: list[str]
    anchors: tuple[list[int], list[str]]  # the keys that occur once, and where (for the anchored diff)
    links: dict[str, str]  # its links by url_key
    known: dict[int, Any] = field(default_factory=dict)  # the writer's knowledge of blocks changed (BlockWriter)


@lru_cache(maxsize=2)
def _base(base_source: str) -> _Base:
    """The base version read once per merge run (every Word contribution on it is held against it)."""
    parts = split_front_matter(base_source)
    doc = source_blocks(parts.body)
    body, sigs, keys, text_keys, refs = [], [], [], [], []
    notes: dict[str, int] = {}
    note_keys: dict[str, str] = {}
    for place, block in enumerate(doc.blocks):
        if block.kind == "note":
            notes.setdefault(block.label, place)
            note_keys.setdefault(block.label, _note_key([_token_pieces(p) for p in block.paragraphs]))
            continue
        if block.kind == "other":
            continue
        body.append(place)
        sig = base_sig(block)
        sigs.append(sig)
        if block.kind == "table":
            cells = [[_token_pieces(tokens) for _inline, tokens in row.cells] for row in block.rows]
            keys.append(f"t\x00{_table_key([[quick_key(c) for c in row] for row in cells])}")
            text_keys.append(_table_key([[_text_key(c) for c in row] for row in cells]))
            refs.append([t.note for row in block.rows for _i, cell in row.cells for t in cell if t.note])
            continue
        pieces = _token_pieces(block.tokens)
        keys.append(f"{sig}\x00{quick_key(pieces)}")
        text_keys.append(_text_key(pieces))
        refs.append([t.note for t in block.tokens if t.note is not None])
    cover = [plain_text(b.tokens) for b in cover_blocks(parts.meta) if isinstance(b, Paragraph)]
    links = base_spellings(
        t.href
        for b in doc.blocks
        for tokens in (b.tokens, *b.paragraphs, *(cell for row in b.rows for _inline, cell in row.cells))
        for t in tokens
        if t.href is not None
    )
    return _Base(doc, body, sigs, keys, text_keys, notes, note_keys, refs, cover, anchors_of(keys), links)


def base_sig(block: SourceBlock) -> str:
    """The kind signature of what the build makes of a block (headings deeper than 4 are built as level 4)."""
    return kind_sig(block.kind, min(block.level, 4) if block.kind == "heading" else block.level, block.list_kind)


def word_proposal(path: Path, base_source: str, note_prefix: str = "") -> WordProposal:
    """The Markdown body that a Word contribution proposes against `base_source` (the base version's file); new
    footnotes are labelled `note_prefix`-1, -2... (the contribution's id: labels no other contribution uses)."""
    with collector_paused():  # reading a report's file makes many objects that hold no cycles
        return proposed(inspect_docx(path), base_source, note_prefix)


def proposed(found: Inspection, base_source: str, note_prefix: str = "") -> WordProposal:
    """word_proposal for a file already read."""
    base = _base(base_source)
    view = spelled_as_base(word_view(found, "accept"), base.links)
    tracked = any(c.part in ("document", "footnotes", "endnotes") for c in found.changes)
    left_out: list[LeftOut] = []
    blocks: list[WordBlock] = []
    cover: list[str] = []
    for block in view.blocks:
        if block.paras and block.paras[0].style in SUMMARY_STYLES:
            continue  # a redline's first page: not the draft's
        if block.rows is None and block.shape.style in COVER_STYLES:
            cover.append(plain_key("".join(s.text for s in block.segments)))
        else:
            blocks.append(block)
    wanted_cover = [plain_key(t) for t in base.cover]
    if cover and cover != wanted_cover:
        changed = [t for t in cover if t not in wanted_cover]
        left_out.append(LeftOut("cover", " / ".join(changed) or "the cover", "stamp sets the cover"))
    read = _read(blocks)
    partners = _Partners(base, blocks, read.keys)
    labels = _labels(base, view, read.refs, partners, note_prefix)
    writer = BlockWriter(base.doc, labels, left_out, base.known)
    placed: list[Placed] = []
    for a0, b0, n in partners.equal:
        places = [base.body[a0 + k] for k in range(n)]
        k = 0
        while k < n:
            run = k + 1  # blocks side by side in the base too: their text between the first and the last, as it is
            while run < n and places[run] == places[k] + run - k:
                run += 1
            for m in range(k, run) if run - k < 3 else (k, run - 1):
                place = places[m]
                placed.append(writer.paired(base.doc.blocks[place], place, blocks[b0 + m], True, True, b0 + m))
            if run - k >= 3:
                placed.append(writer.stretch(places[k] + 1, places[run - 1] - 1, b0 + k + 1))
            k = run
    for j, i in partners.changed.items():
        wblock = blocks[j]
        keep_kind = _same_kind(base.sigs[i], word_sig(wblock.shape)) or (tracked and not wblock.restyled)
        placed.append(writer.paired(base.doc.blocks[base.body[i]], base.body[i], wblock, False, keep_kind, j))
    gone = {base.keys[i]: i for i in partners.gone()}  # a block moved: taken out where it was, its key elsewhere
    for j in partners.new:
        gap, moved = _gap(base, blocks, partners, j), gone.pop(read.keys[j], None)
        if moved is None:
            placed.append(writer.new(blocks[j], gap, j))
        else:
            placed.append(writer.moved(base.doc.blocks[base.body[moved]], gap, j))
    placed.extend(_notes(base, view, labels, writer))
    for j in read.marked:
        left_out.extend(_unholdable(blocks[j]))
    body = writer.assemble(placed, _groups(blocks))
    warnings = list(found.warnings)
    differ, first = _untracked(found, blocks, partners, base)
    if differ:
        warnings.append(
            f"{differ} paragraph(s) differ from the base version with all changes rejected (a table counts as "
            f"one), the first {first!r}: edits made with tracking off are taken as changes of the same source"
        )
    return WordProposal(body, tuple(warnings), found.authors(), tuple(left_out))


# -- keys -----------------------------------------------------------------------------------------------------

Pieces = list[tuple[str, frozenset[str], str | None, str | None]]


def _token_pieces(tokens: tuple[Token, ...]) -> Pieces:
    """Markdown tokens as inline pieces."""
    return [(t.text, t.marks, t.href, t.note) for t in tokens]


def _segment_pieces(segments: Sequence[Segment]) -> Pieces:
    """A Word paragraph's segments as inline pieces."""
    return [(s.text, s.marks, s.href, s.note) for s in segments]


def _text_key(pieces: Pieces) -> str:
    """The text of pieces (note references marked), spaces counted as one: what pairing compares."""
    return plain_key("".join("\x04" if note is not None else text for text, _m, _h, note in pieces))


def _table_key(rows: list[list[str]]) -> str:
    return "\x07".join("\x08".join(row) for row in rows)


def _note_key(paragraphs: list[Pieces]) -> str:
    """The quick key of a note's text (its paragraphs)."""
    return "\x06".join(quick_key(p) for p in paragraphs)


@dataclass(slots=True)
class _Read:
    """A Word file's blocks as the merge compares them: each one's quick key, the keys of the notes each block
    refers to (blocks without any left out), and the blocks holding formatting Markdown cannot hold."""

    keys: list[str]
    refs: dict[int, list[str]]
    marked: list[int]


def _read(blocks: list[WordBlock]) -> _Read:
    """The keys, note references and marked blocks of a Word file's blocks (one pass: every paragraph of a
    report goes through it, and most are plain)."""
    keys: list[str] = []
    refs: dict[int, list[str]] = {}
    marked: list[int] = []
    sigs: dict[int, str] = {}
    for j, block in enumerate(blocks):
        cells: Sequence[Segment]
        if block.rows is not None:
            cells = [s for row in block.rows for cell in row for s in cell]
            keys.append(f"t\x00{_table_key([[quick_key(_segment_pieces(c)) for c in row] for row in block.rows])}")
        else:
            shape = block.shape
            sig = sigs.get(id(shape))
            if sig is None:
                sig = sigs[id(shape)] = word_sig(shape)
            cells = block.segments
            if len(cells) == 1:
                only = cells[0]
                if not only.marks and only.href is None and only.note is None:
                    keys.append(f"{sig}\x00{only.text}")
                    continue
            keys.append(f"{sig}\x00{quick_key(_segment_pieces(cells))}")
        notes = [s.note for s in cells if s.note is not None]
        if notes:
            refs[j] = notes
        if any(s.marks and not s.marks <= KEPT_MARKS for s in cells):
            marked.append(j)
    return _Read(keys, refs, marked)


# -- pairing --------------------------------------------------------------------------------------------------


class _Partners:
    """Each Word block's partner in the base: blocks matched whole (``equal``: runs of base block a0, Word block
    b0, length), in each stretch between them the blocks most alike paired (``changed``: Word block -> base
    block), and the others (``new``)."""

    def __init__(self, base: _Base, blocks: list[WordBlock], keys: list[str]) -> None:
        self.equal: list[tuple[int, int, int]] = []
        self.changed: dict[int, int] = {}
        self.new: list[int] = []
        self.stretches: list[tuple[int, int, int, int]] = []  # the changes: base blocks a0:a1, Word blocks b0:b1
        for op, a0, a1, b0, b1 in _stretches(base.keys, base.anchors, keys):
            if op == "equal":
                self.equal.append((a0, b0, a1 - a0))
                continue
            self.stretches.append((a0, a1, b0, b1))
            paired = _alike(base, blocks, keys, a0, a1, b0, b1)
            self.changed.update((j, i) for i, j in paired)
            taken = {j for _i, j in paired}
            self.new.extend(j for j in range(b0, b1) if j not in taken)
        self.starts = [b0 for _a0, b0, _n in self.equal]

    def of(self, j: int) -> int | None:
        """The base block Word block j is matched or paired with, or None."""
        found = self.changed.get(j)
        if found is not None:
            return found
        k = bisect_right(self.starts, j) - 1
        if k >= 0:
            a0, b0, n = self.equal[k]
            if j < b0 + n:
                return a0 + j - b0
        return None

    def gone(self) -> list[int]:
        """The base blocks with no partner (taken out, or moved)."""
        taken = set(self.changed.values())
        return [i for a0, a1, _b0, _b1 in self.stretches for i in range(a0, a1) if i not in taken]


def _stretches(
    a: list[str], anchors: tuple[list[int], list[str]], b: list[str]
) -> list[tuple[str, int, int, int, int]]:
    """The paragraph diff of a (whose keys that occur once are `anchors`) and b, the changes between two
    equalities made one stretch each."""
    out: list[tuple[str, int, int, int, int]] = []
    for e in paragraph_edits(a, anchors, b):
        if e.op != "equal" and out and out[-1][0] == "change":
            out[-1] = ("change", out[-1][1], e.a1, out[-1][3], e.b1)
        else:
            out.append(("equal" if e.op == "equal" else "change", e.a0, e.a1, e.b0, e.b1))
    return out


def _alike(
    base: _Base, blocks: list[WordBlock], keys: list[str], a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, int]]:
    """The pairs of a stretch of changed blocks: an ordered matching that makes the words they share most (a
    table pairs with a table, a paragraph with a paragraph at least half alike; one block each side pairs)."""
    n, m = a1 - a0, b1 - b0
    texts_a = base.text_keys[a0:a1]
    texts_b = [_text_of(k) for k in keys[b0:b1]]
    if n * m > _PAIRING_LIMIT:  # only blocks of the same text
        at = {text: a0 + i for i, text in enumerate(texts_a)}
        found = [(at[text], b0 + j) for j, text in enumerate(texts_b) if text in at]
        return [(i, j) for k, (i, j) in enumerate(found) if all(i > f[0] for f in found[:k])]
    sorts = ([s == "t" for s in base.sigs[a0:a1]], [blocks[j].rows is not None for j in range(b0, b1)])
    return [(a0 + i, b0 + j) for i, j in pair_alike(texts_a, texts_b, one_to_one=True, sorts=sorts)]


def _text_of(key: str) -> str:
    """The text of a Word block's key (its signature and formatting marks left out)."""
    content = key.split("\x00", 1)[-1]
    return plain_key(_FORMAT_MARKS.sub("", content))


def _same_kind(base: str, word: str) -> bool:
    """Whether a Word paragraph keeps the kind of the base block: the same signature, or body text and more of
    a list item (a list paragraph without a number), which Word files tell apart by indentation only."""
    return base == word or {base, word} == {"p", "c"}


def _gap(base: _Base, blocks: list[WordBlock], partners: _Partners, j: int) -> int:
    """Where a new Word block goes among the base's blocks (a place in doc.blocks: before the block there):
    before the next paired block when it is an item of the same list, else after the last paired one."""
    before = next((i for i in map(partners.of, range(j - 1, -1, -1)) if i is not None), None)
    after = next((i for i in map(partners.of, range(j + 1, len(blocks))) if i is not None), None)
    if blocks[j].shape.kind == "item" and after is not None and base.sigs[after][0] in "bo":
        return base.body[after]
    if before is not None:
        return base.body[before] + 1
    return base.body[after] if after is not None else len(base.doc.blocks)


def _groups(blocks: list[WordBlock]) -> list[int]:
    """For each Word block, the list it is in (its items and their other paragraphs; a number per list), or -1."""
    out: list[int] = []
    group, current = 0, ("", "")
    for block in blocks:
        shape = block.shape
        if shape.kind == "item":
            here = (shape.list_kind, shape.list_id) if shape.level == 0 else current
            if not out or out[-1] < 0 or here != current:
                group += 1
            current = here
            out.append(group)
        elif shape.kind == "cont" and out and out[-1] >= 0:
            out.append(out[-1])
        else:
            current = ("", "")
            out.append(-1)
    return out


# -- notes ----------------------------------------------------------------------------------------------------


def _labels(
    base: _Base, view: WordView, refs: dict[int, list[str]], partners: _Partners, prefix: str
) -> dict[str, str]:
    """The label of each note of the Word file (by its key): the base note with the same text, or the one whose
    reference stands in the same place of the same block; a new label for the others."""
    free = dict(base.notes)
    by_text: dict[str, list[str]] = {}
    for label, key in base.note_keys.items():
        by_text.setdefault(key, []).append(label)
    labels: dict[str, str] = {}
    order = [key for j in sorted(refs) for key in refs[j] if key in view.notes]
    for key in dict.fromkeys(order):
        text = _note_key([_segment_pieces(p) for p in view.notes[key]])
        same = [label for label in by_text.get(text, []) if label in free]
        if same:
            labels[key] = same[0]
            del free[same[0]]
    for j, block_refs in sorted(refs.items()):
        i = partners.of(j)
        if i is None:
            continue
        for n, key in enumerate(block_refs):
            if key in labels or key not in view.notes or n >= len(base.refs[i]):
                continue
            label = base.refs[i][n]
            if label in free:
                labels[key] = label
                del free[label]
    taken = set(base.notes)
    count = 0
    for key in dict.fromkeys(order):
        if key not in labels:
            count += 1
            label = f"{prefix or 'new'}-{count}"
            while label in taken:
                count += 1
                label = f"{prefix or 'new'}-{count}"
            labels[key] = label
            taken.add(label)
    return labels


def _notes(base: _Base, view: WordView, labels: dict[str, str], writer: BlockWriter) -> list[Placed]:
    """The notes of the proposal: each base note kept, changed or taken out, each new one after the last."""
    placed: list[Placed] = []
    by_label = {label: key for key, label in labels.items()}
    for label, place in base.notes.items():
        key = by_label.get(label)
        if key is None:
            continue
        paragraphs = view.notes[key]
        block = base.doc.blocks[place]
        pieces = [[(s.text, s.marks, s.href, s.note) for s in p] for p in paragraphs]
        same = _note_key(pieces) == base.note_keys[label]
        placed.append(writer.note(block, place, paragraphs, same))
    last = max(base.notes.values(), default=len(base.doc.blocks) - 1) + 1
    ordered = sorted((k for k in labels if labels[k] not in base.notes), key=list(labels).index)
    for n, key in enumerate(ordered):
        placed.append(writer.new_note(labels[key], view.notes[key], last, n))
    return placed


# -- what is left out -----------------------------------------------------------------------------------------

_REASONS = {
    "colour": "Markdown has no colour",
    "font size": "Markdown has no font sizes",
    "highlighting": "Markdown has no highlighting",
    "shading": "Markdown has no shading",
    "underline": "Markdown has no underline",
    "raised or lowered text": "Markdown has no superscript or subscript",
    "image": "images in a Word file are not taken into the draft",
}


def _unholdable(block: WordBlock) -> list[LeftOut]:
    """What Markdown cannot hold in a Word block: one item per kind of formatting and stretch of words."""
    segments = block.segments if block.rows is None else [s for row in block.rows for cell in row for s in cell]
    out: list[LeftOut] = []
    open_items: dict[str, list[str]] = {}
    for segment in [*segments, Segment("", marks=frozenset({"\x00end"}))]:
        marks = {m for m in segment.marks if m in _REASONS}
        if segment.href is not None:
            marks -= {"colour", "underline"}  # a link's look
        for mark in list(open_items):
            if mark not in marks:
                words = " ".join("".join(open_items.pop(mark)).split())
                out.append(LeftOut(mark, words or _start_of(segments), _REASONS[mark]))
        for mark in marks:
            open_items.setdefault(mark, []).append(segment.text)
    return out


def _start_of(segments: Sequence[Segment]) -> str:
    """Where an image stands: the first words of its paragraph."""
    text = _first_words(segments)
    return f"an image in {text!r}" if text else "an image"


def _first_words(segments: Sequence[Segment] | Sequence[Token], limit: int = 40) -> str:
    """A paragraph's text, spaces as one, cut at a word within `limit` characters."""
    text = " ".join("".join(s.text for s in segments).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _block_words(block: WordBlock) -> str:
    """The first words of a block of the file (a table's: of its first row's cells)."""
    if block.rows is None:
        return _first_words(block.segments, 60)
    return _first_words([s for row in block.rows[:1] for cell in row for s in (*cell, Segment(" "))], 60)


def _base_words(base: _Base, i: int) -> str:
    """The first words of the base's body block `i` (a table's: of its first row's cells)."""
    block = base.doc.blocks[base.body[i]]
    if block.kind != "table":
        return _first_words(block.tokens, 60)
    return _first_words([t for _inline, tokens in block.rows[0].cells for t in (*tokens, Token(" "))], 60)


def _untracked(found: Inspection, blocks: list[WordBlock], partners: _Partners, base: _Base) -> tuple[int, str]:
    """How many blocks the file changed with tracking off: those of each stretch of changes (the more of its base
    and Word sides) where the file's paragraphs, deleted ones included, hold no tracked change; and the first words
    of the first of them (in the file; in the base where the file took them out)."""
    paragraphs = found.paragraphs
    if not partners.stretches:
        return 0, ""
    if any(para.index != k for k, para in enumerate(paragraphs)):  # (a paragraph nested in another: rare)
        where = {para.index: k for k, para in enumerate(paragraphs)}
    else:
        where = None
    # paragraphs whose runs' formatting changed, tracked (w:rPrChange): an emphasis made with tracking on
    formatted = {c.paragraph for c in found.changes if c.kind == "format" and c.part == "document"}
    count = 0
    first = ""
    for a0, a1, b0, b1 in partners.stretches:
        start = blocks[b0 - 1].paras[-1].index + 1 if b0 > 0 else 0
        end = blocks[b1].paras[0].index if b1 < len(blocks) else len(paragraphs)
        if where is not None:
            start, end = where.get(start, start), where.get(end, end)
        if not any(_tracked(p) or p.index in formatted for p in paragraphs[start:end]):
            if not count:
                first = _block_words(blocks[b0]) if b1 > b0 else _base_words(base, a0)
            count += max(a1 - a0, b1 - b0)
    return count, first


def _tracked(para: Para) -> bool:
    """Whether a paragraph holds a tracked change (of its text, its mark, its style, or of what holds it)."""
    return (
        para.mark_inserted
        or para.mark_deleted
        or para.held_inserted
        or para.held_deleted
        or para.style_change is not None
        or any(s.inserted or s.deleted for s in para.segments)
    )
