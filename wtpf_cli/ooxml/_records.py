"""Speed only: the reader's paragraphs and segments made without their frozen dataclasses' ``__init__``, which sets
each field through ``object.__setattr__`` (a report has thousands of each): one ``__dict__`` is given whole.

``para(...)`` must equal ``Para(...)`` and ``segment(...)`` ``Segment(...)`` given the same fields (equal, same repr,
same hash): tests/test_reader_fast.py compares the reader with its reference (tests/support/reader_reference.py),
which makes them the plain way, and tests/test_fast_twins.py compares the two constructors.
"""

from __future__ import annotations

from wtpf_cli.ooxml.revisions import Para, PartKind, Segment

_new = object.__new__
_set = object.__setattr__


def segment(
    text: str,
    inserted: bool,
    deleted: bool,
    change: int | None,
    note: str | None,
    marks: frozenset[str],
    href: str | None = None,
) -> Segment:
    """Segment(text, inserted, deleted, change, note, marks, href)."""
    made = _new(Segment)
    _set(
        made,
        "__dict__",
        {
            "text": text,
            "inserted": inserted,
            "deleted": deleted,
            "change": change,
            "note": note,
            "marks": marks,
            "href": href,
        },
    )
    return made


def para(
    index: int,
    part: PartKind,
    where: str,
    segments: tuple[Segment, ...],
    mark_inserted: bool,
    mark_deleted: bool,
    held_inserted: bool,
    held_deleted: bool,
    flow: int,
    style: str | None,
    numbering: tuple[str, int] | None,
    style_change: str | None,
) -> Para:
    """Para(index, part, where, segments, ...) with every field given."""
    made = _new(Para)
    _set(
        made,
        "__dict__",
        {
            "index": index,
            "part": part,
            "where": where,
            "segments": segments,
            "mark_inserted": mark_inserted,
            "mark_deleted": mark_deleted,
            "held_inserted": held_inserted,
            "held_deleted": held_deleted,
            "flow": flow,
            "style": style,
            "numbering": numbering,
            "style_change": style_change,
        },
    )
    return made
