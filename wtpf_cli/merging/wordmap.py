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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wtpf_cli.markdown.cover import COVER_STYLES, cover_blocks
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.markdown.spans import SourceBlock, SourceDoc, source_blocks
from wtpf_cli.markdown.tokens import plain_text
from wtpf_cli.merging.blockmd import BlockWriter, LeftOut, Placed, pair_alike, word_sig
from wtpf_cli.merging.inline import Run, canonical, key_of, plain_key
from wtpf_cli.merging.layout import paragraph_diff
from wtpf_cli.model import Paragraph
from wtpf_cli.ooxml.blocks import WordBlock, WordView, word_view
from wtpf_cli.ooxml.inspection import inspect_docx
from wtpf_cli.ooxml.revisions import Inspection, Segment

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
            note_keys.setdefault(block.label, _note_key([list(map(_token_piece, p)) for p in block.paragraphs]))
            continue
        if block.kind == "other":
            continue
        body.append(place)
        sig = base_sig(block)
        sigs.append(sig)
        if block.kind == "table":
            cells = [[_token_runs(tokens) for _inline, tokens in row.cells] for row in block.rows]
            keys.append(f"t\x00{_table_key([[key_of(c) for c in row] for row in cells])}")
            text_keys.append(_table_key([[_text_key(c) for c in row] for row in cells]))
            refs.append([t.note for row in block.rows for _i, cell in row.cells for t in cell if t.note])
            continue
        runs = _token_runs(block.tokens)
        keys.append(f"{sig}\x00{key_of(runs)}")
        text_keys.append(_text_key(runs))
        refs.append([t.note for t in block.tokens if t.note is not None])
    cover = [plain_text(b.tokens) for b in cover_blocks(parts.meta) if isinstance(b, Paragraph)]
    return _Base(doc, body, sigs, keys, text_keys, notes, note_keys, refs, cover)


def base_sig(block: SourceBlock) -> str:
    """What the build makes of a block, as word_sig says it of a Word paragraph."""
    if block.kind == "heading":
        return f"h{min(block.level, 4)}"
    if block.kind == "item":
        return f"{'b' if block.list_kind == 'bullet' else 'o'}{block.level}"
    return {"cont": "c", "quote": "q", "code": "code", "table": "t"}.get(block.kind, "p")


def word_proposal(path: Path, base_source: str, note_prefix: str = "") -> WordProposal:
    """The Markdown body that a Word contribution proposes against `base_source` (the base version's file); new
    footnotes are labelled `note_prefix`-1, -2... (the contribution's id: labels no other contribution uses)."""
    return proposed(inspect_docx(path), base_source, note_prefix)


def proposed(found: Inspection, base_source: str, note_prefix: str = "") -> WordProposal:
    """word_proposal for a file already read."""
    base = _base(base_source)
    view = word_view(found, "accept")
    tracked = any(c.part in ("document", "footnotes", "endnotes") for c in found.changes)
    left_out: list[LeftOut] = []
    cover = [b for b in view.blocks if b.rows is None and b.shape.style in COVER_STYLES]
    blocks = [b for b in view.blocks if b.rows is not None or b.shape.style not in COVER_STYLES]
    cover_texts = [plain_key("".join(s.text for s in b.segments)) for b in cover]
    if cover_texts and cover_texts != [plain_key(t) for t in base.cover]:
        changed = [t for t in cover_texts if t not in {plain_key(c) for c in base.cover}]
        left_out.append(LeftOut("cover", " / ".join(changed) or "the cover", "stamp sets the cover"))
    keys = [_word_key(b) for b in blocks]
    pairs = _pairs(base, blocks, keys)
    refs = [_word_refs(b) for b in blocks]
    labels = _labels(base, view, refs, pairs, note_prefix)
    writer = BlockWriter(base.doc, labels, left_out)
    placed: list[Placed] = []
    paired_at = {j: i for i, j, _same in pairs}
    for i, j, same in pairs:
        block = base.doc.blocks[base.body[i]]
        wblock = blocks[j]
        keep_kind = _same_kind(base.sigs[i], word_sig(wblock.shape)) or (tracked and not wblock.restyled)
        placed.append(writer.paired(block, base.body[i], wblock, same, keep_kind, j))
    for j, wblock in enumerate(blocks):
        if j not in paired_at:
            placed.append(writer.new(wblock, _gap(base, blocks, paired_at, j), j))
    placed.extend(_notes(base, view, labels, writer))
    for wblock in blocks:
        left_out.extend(_unholdable(wblock))
    body = writer.assemble(placed, _groups(blocks))
    warnings = list(found.warnings)
    differ = _untracked(base, found, view if not tracked else None)
    if differ:
        warnings.append(
            f"{differ} paragraph(s) or table(s) differ from the base version with all changes rejected: edits "
            "made with tracking off are taken as changes of the same source"
        )
    warnings.extend(item.line() for item in left_out)
    return WordProposal(body, tuple(warnings), found.authors(), tuple(left_out))


# -- keys -----------------------------------------------------------------------------------------------------


def _token_piece(token: object) -> tuple[str, frozenset[str], str | None, str | None]:
    text, marks, href, note = token.text, token.marks, token.href, token.note  # type: ignore[attr-defined]
    return text, marks, href, note


def _token_runs(tokens: tuple[object, ...]) -> list[Run]:
    """The canonical runs of Markdown tokens."""
    return canonical(map(_token_piece, tokens))


def _segment_runs(segments: list[Segment]) -> list[Run]:
    """The canonical runs of a Word paragraph's pieces."""
    return canonical((s.text, s.marks, s.href, s.note) for s in segments)


def _text_key(runs: list[Run]) -> str:
    """The text of runs (note references marked), spaces counted as one: what the reject view is held to."""
    return plain_key("".join("\x04" if r.note is not None else r.text for r in runs))


def _table_key(rows: list[list[str]]) -> str:
    return "\x07".join("\x08".join(row) for row in rows)


def _note_key(paragraphs: list[list[tuple[str, frozenset[str], str | None, str | None]]]) -> str:
    """The key of a note's text (its paragraphs)."""
    return "\x06".join(key_of(canonical(p)) for p in paragraphs)


def _word_key(block: WordBlock) -> str:
    """A Word block's key: its kind signature and its content's key (base keys are made alike)."""
    if block.rows is not None:
        return f"t\x00{_table_key([[_content_key(cell) for cell in row] for row in block.rows])}"
    return f"{word_sig(block.shape)}\x00{_content_key(block.segments)}"


def _content_key(segments: list[Segment]) -> str:
    if len(segments) == 1:
        only = segments[0]
        if not only.marks and only.href is None and only.note is None:
            return plain_key(only.text)
    return key_of(_segment_runs(segments))


def _word_refs(block: WordBlock) -> list[str]:
    """The keys of the notes a Word block refers to, in order."""
    if block.rows is not None:
        return [s.note for row in block.rows for cell in row for s in cell if s.note is not None]
    return [s.note for s in block.segments if s.note is not None]


# -- pairing --------------------------------------------------------------------------------------------------


def _pairs(base: _Base, blocks: list[WordBlock], keys: list[str]) -> list[tuple[int, int, bool]]:
    """(base body block, Word block, whether equal): blocks matched whole, and in each stretch between them the
    blocks most alike paired, in order."""
    out: list[tuple[int, int, bool]] = []
    for op, a0, a1, b0, b1 in _stretches(base.keys, keys):
        if op == "equal":
            out.extend((a0 + k, b0 + k, True) for k in range(a1 - a0))
        else:
            out.extend((i, j, False) for i, j in _alike(base, blocks, keys, a0, a1, b0, b1))
    return out


def _stretches(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """The paragraph diff of a and b with the changes between two equalities made one stretch each."""
    out: list[tuple[str, int, int, int, int]] = []
    for e in paragraph_diff(a, b):
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


def _gap(base: _Base, blocks: list[WordBlock], paired_at: dict[int, int], j: int) -> int:
    """Where a new Word block goes among the base's blocks (a place in doc.blocks: before the block there):
    before the next paired block when it is an item of the same list, else after the last paired one."""
    before = next((paired_at[k] for k in range(j - 1, -1, -1) if k in paired_at), None)
    after = next((paired_at[k] for k in range(j + 1, len(blocks)) if k in paired_at), None)
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
    base: _Base, view: WordView, refs: list[list[str]], pairs: list[tuple[int, int, bool]], prefix: str
) -> dict[str, str]:
    """The label of each note of the Word file (by its key): the base note with the same text, or the one whose
    reference stands in the same place of the same block; a new label for the others."""
    free = dict(base.notes)
    by_text: dict[str, list[str]] = {}
    for label, key in base.note_keys.items():
        by_text.setdefault(key, []).append(label)
    labels: dict[str, str] = {}
    order = [key for block_refs in refs for key in block_refs if key in view.notes]
    for key in dict.fromkeys(order):
        text = _note_key([[(s.text, s.marks, s.href, s.note) for s in p] for p in view.notes[key]])
        same = [label for label in by_text.get(text, []) if label in free]
        if same:
            labels[key] = same[0]
            del free[same[0]]
    for i, j, _same in pairs:
        for n, key in enumerate(refs[j]):
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


def _start_of(segments: list[Segment]) -> str:
    """Where an image stands: the first words of its paragraph."""
    text = " ".join("".join(s.text for s in segments).split())
    return f"an image in {text[:40]!r}" if text else "an image"


def _untracked(base: _Base, found: Inspection, accepted: WordView | None) -> int:
    """How many body blocks of the file, with all its changes rejected, differ from the base: edits made with
    tracking off (the accepted view when the file tracked nothing)."""
    view = accepted if accepted is not None else word_view(found, "reject")
    keys = []
    for block in view.blocks:
        if block.rows is None and block.shape.style in COVER_STYLES:
            continue
        if block.rows is not None:
            keys.append(_table_key([[_text_key(_segment_runs(cell)) for cell in row] for row in block.rows]))
        elif len(block.segments) == 1 and block.segments[0].note is None:
            keys.append(plain_key(block.segments[0].text))
        else:
            keys.append(_text_key(_segment_runs(block.segments)))
    return sum(max(a1 - a0, b1 - b0) for op, a0, a1, b0, b1 in _stretches(base.text_keys, keys) if op != "equal")
