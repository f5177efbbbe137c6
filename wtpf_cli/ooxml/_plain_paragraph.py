"""Speed only: a plain paragraph read in one loop, where the walk would call a handler per element.

`read_plain(walk, p, ctx)` must leave the walk as walk_blocks.on_p's walk of the paragraph leaves it (the same Para,
the same note references), and read nothing where it returns False; tests/test_reader_fast.py compares
read_inspection with the reader as it was before (tests/support/reader_reference.py) on the corpus, the hostile
catalogue, mutated files and generated documents.
"""

from __future__ import annotations

from lxml import etree

from wtpf_cli.ooxml._records import para, segment
from wtpf_cli.ooxml.revisions import Segment
from wtpf_cli.ooxml.walk import NO_MARKS, Context, Walk, local_name, numbering_of, run_properties
from wtpf_cli.ooxml.wordml import NUMPR, PPR, PPR_CHANGE, PSTYLE, RPR, SECTPR, VAL, W

_PLAIN_CONSTANTS = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
_NUMBERING_CHANGES = {f"{W}numberingChange", f"{W}ins"}
_PARAGRAPH_MARK_CHANGES = {"ins", "del", "moveFrom", "moveTo", "rPrChange"}
_NOTE_REFERENCES = {f"{W}footnoteReference": "footnotes", f"{W}endnoteReference": "endnotes"}
_ID = f"{W}id"
_T, _DEL_TEXT, _R = f"{W}t", f"{W}delText", f"{W}r"
_NONE = ("", 0)  # a w:numPr read, without a numId (the first w:numPr counts, as in walk_blocks)


def read_plain(walk: Walk, paragraph: etree._Element, ctx: Context) -> bool:
    """Read a plain paragraph in one loop, giving what the walk gives; False, with nothing read, if it is not one.

    Plain: no revision or formatting change in its properties, and runs of text, tabs, breaks and note
    references with direct formatting at most (an optional first w:rPr without a w:rPrChange), among elements
    the walk ignores (bookmarks, proofing marks). Most paragraphs of a report are, and one loop costs much less
    than a handler call per element. The caller makes sure no revision, held row or cell, comment anchor or field
    instruction is open around it, so its text goes to the paragraph alone.
    """
    inserted, deleted, change = ctx.inserted, ctx.deleted, ctx.change
    ignored = walk.ignored
    segments: list[Segment] = []
    texts: list[str] = []  # the text pieces since the last note reference or change of marks: one segment
    texts_marks = NO_MARKS  # their marks (see walk_blocks._merged_segments)
    style: str | None = None
    numbering: tuple[str, int] | None = None
    properties = False
    notes: list[tuple[str, tuple[bool, bool]]] | None = None
    for child in paragraph:
        tag = child.tag
        if tag == _R:
            marks = NO_MARKS
            first = True
            for part in child:
                tag = part.tag
                if tag in (_T, _DEL_TEXT):
                    text = part.text
                    if text:
                        if marks is not texts_marks:  # (marks are one object per set: run_properties)
                            if texts:
                                segments.append(segment("".join(texts), inserted, deleted, change, None, texts_marks))
                                texts = []
                            texts_marks = marks
                        texts.append(text)
                elif tag in _PLAIN_CONSTANTS:
                    if marks is not texts_marks:
                        if texts:
                            segments.append(segment("".join(texts), inserted, deleted, change, None, texts_marks))
                            texts = []
                        texts_marks = marks
                    texts.append(_PLAIN_CONSTANTS[tag])
                elif tag == RPR:
                    if not first:
                        return False  # a second w:rPr: its w:rPrChange would count
                    marks, format_change = run_properties(part)
                    if format_change is not None:
                        return False
                elif tag in _NOTE_REFERENCES:
                    key = f"{_NOTE_REFERENCES[tag]}:{part.get(_ID, '')}"
                    notes = notes or []
                    notes.append((key, (inserted or ctx.held_inserted, deleted or ctx.held_deleted)))
                    if texts:
                        segments.append(segment("".join(texts), inserted, deleted, change, None, texts_marks))
                        texts = []
                    segments.append(segment("", inserted, deleted, change, key, NO_MARKS))
                elif not (ignored.get(tag) or walk.ignores(tag)):
                    return False
                first = False
        elif tag == PPR and not properties:
            properties = True
            for part in child:
                tag = part.tag
                if tag == PSTYLE:
                    if style is None:
                        style = part.get(VAL)
                        if style is None:
                            return False  # a w:pStyle without w:val: the next one does not count
                elif tag == NUMPR:
                    for numbered in part:  # (a loop: a generator costs more on two children)
                        if numbered.tag in _NUMBERING_CHANGES:
                            return False
                    if numbering is None:
                        numbering = numbering_of(part) or _NONE
                elif tag == RPR:
                    for mark in part:
                        if local_name(mark) in _PARAGRAPH_MARK_CHANGES:
                            return False
                elif tag in (PPR_CHANGE, SECTPR):
                    return False
        elif not (ignored.get(tag) or walk.ignores(tag)):
            return False
    if texts:
        segments.append(segment("".join(texts), inserted, deleted, change, None, texts_marks))
    if notes:
        walk.note_refs.update(notes)
    index = walk.next_index
    walk.next_index += 1
    walk.paragraphs.append(
        para(
            index,
            ctx.part,
            ctx.where,
            tuple(segments),
            False,
            False,
            ctx.held_inserted,
            ctx.held_deleted,
            walk.flow,
            style,
            None if numbering is _NONE else numbering,
            None,
        )
    )
    return True
