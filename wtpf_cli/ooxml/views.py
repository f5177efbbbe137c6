"""A .docx's text with all changes accepted or rejected (Word's Accept All and Reject All), paragraph by paragraph."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from wtpf_cli.ooxml.revisions import PARTS, Inspection, Para, PartKind, Segment, View


def text_view(
    inspection: Inspection,
    view: str,
    *,
    parts: Iterable[PartKind] = PARTS,
    note_marks: bool = False,
    render: Callable[[Segment], str] | None = None,
) -> list[str]:
    """Paragraph texts with all changes accepted or rejected: removed marks join paragraphs, removed rows drop."""
    if view not in ("accept", "reject"):
        raise ValueError(f"view must be 'accept' or 'reject', not {view!r}")
    mode: View = "accept" if view == "accept" else "reject"
    wanted = set(parts)
    out: list[str] = []
    pending: str | None = None
    pending_flow = -1
    counters: dict[str, int] = {}
    accept = mode == "accept"
    for para in inspection.paragraphs:
        if para.part not in wanted or (para.held_deleted if accept else para.held_inserted):  # not para.kept(mode)
            continue
        if note_marks:
            text = _para_text(para, mode, counters, render)
        else:  # _para_text without counters, inlined: three views of every contribution in a merge
            pieces: list[str] = []
            for segment in para.segments:
                if not (segment.deleted if accept else segment.inserted):
                    pieces.append(render(segment) if render is not None else segment.text)
            text = "".join(pieces)
        if pending is not None:
            if pending_flow == para.flow:
                text = pending + text
            else:
                out.append(pending)
            pending = None
        if para.mark_deleted if accept else para.mark_inserted:  # not para.mark_kept(mode)
            pending, pending_flow = text, para.flow
            continue
        out.append(text)
    if pending is not None:
        out.append(pending)
    return out


def _para_text(
    para: Para, view: View, counters: dict[str, int] | None, render: Callable[[Segment], str] | None = None
) -> str:
    """The text of a paragraph in a view; with ``counters``, note references as their numbers (1, 2… / i, ii…)."""
    pieces: list[str] = []
    for segment in para.segments:
        if not segment.kept(view):
            continue
        if segment.note is not None and counters is not None:
            kind = segment.note.split(":", 1)[0]
            counters[kind] = counters.get(kind, 0) + 1
            pieces.append(roman_numeral(counters[kind]) if kind == "endnotes" else str(counters[kind]))
        else:
            pieces.append(render(segment) if render is not None else segment.text)
    return "".join(pieces)


def roman_numeral(number: int) -> str:
    """Lower-case Roman numerals, Word's default for endnote numbers."""
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l")):
        count, number = divmod(number, value)
        out += letters * count
    for value, letters in ((40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out += letters * count
    return out
