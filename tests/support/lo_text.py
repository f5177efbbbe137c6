"""Walking and searching a Writer document's text through UNO: shared by ``lo_uno.py`` and ``lo_ops.py``.

Runs under the system interpreter, like them (``uno`` only imports there).
"""

from __future__ import annotations

from typing import Any

from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def enumerate_all(enumeration_access: Any) -> list[Any]:
    items = []
    en = enumeration_access.createEnumeration()
    while en.hasMoreElements():
        items.append(en.nextElement())
    return items


def paragraphs(text: Any) -> list[Any]:
    """The paragraphs of an XText in order; a table contributes its cells' paragraphs, row-major, in place."""
    out: list[Any] = []
    for element in enumerate_all(text):
        if element.supportsService("com.sun.star.text.Paragraph"):
            out.append(element)
        elif element.supportsService("com.sun.star.text.TextTable"):
            for name in element.getCellNames():  # row-major: A1, B1, ..., A2, ...
                out.extend(paragraphs(element.getCellByName(name)))
    return out


# Portions that take no place in the text a reader sees; any other portion but "Text" (a field, a footnote mark,
# a comment anchor, a frame...) stops a match.
INVISIBLE_PORTIONS = frozenset({"Redline", "Bookmark", "ReferenceMark", "DocumentIndexMark", "SoftPageBreak"})
BARRIER = "\ufffc"


def find_text(doc: Any, needle: str) -> Any:
    """A text cursor selecting the first occurrence of ``needle`` in the body, as a reader sees the text.

    Paragraphs are searched in document order, table cells row-major (see ``paragraphs``); headers, footers,
    notes, frames and comments are not searched. A match lies within one paragraph: it cannot span a
    paragraph break, a field, a footnote mark or a comment anchor, and text a tracked deletion has removed
    is invisible to it (it cannot span that either). Case-sensitive, no regular expressions.
    """
    if not needle or BARRIER in needle or "\n" in needle:
        raise ValueError(f"cannot search for {needle!r}: the text must be non-empty and within one paragraph")
    for paragraph in paragraphs(doc.getText()):
        # The visible text, less what stops a match, is a part of the paragraph's string: one call rules out
        # most paragraphs before their portions are walked.
        if needle in paragraph.getString():
            found = find_in_paragraph(paragraph, needle)
            if found is not None:
                return found
    raise ValueError(f"text not found in the document: {needle!r}")


def find_in_paragraph(paragraph: Any, needle: str) -> Any:
    """A cursor on ``needle``'s first occurrence in the visible text of ``paragraph``, or ``None``."""
    seen: list[str] = []  # the paragraph as a reader sees it, a BARRIER for each thing a match cannot cross
    pieces: list[tuple[int, Any, int]] = []  # (offset in seen, Text portion, length) for each visible text
    deletions = 0
    length = 0
    for portion in enumerate_all(paragraph):
        kind = portion.TextPortionType
        if kind == "Redline":
            if portion.RedlineType == "Delete" and not portion.IsCollapsed:
                deletions += 1 if portion.IsStart else -1
            continue
        if kind in INVISIBLE_PORTIONS:
            continue
        if kind == "Text" and deletions <= 0:
            text = str(portion.getString())
            pieces.append((length, portion, len(text)))
            seen.append(text)
            length += len(text)
        else:
            seen.append(BARRIER)
            length += 1
    start = "".join(seen).find(needle)
    if start < 0:
        return None
    cursor = position(pieces, start, at_end=False)
    cursor.gotoRange(position(pieces, start + len(needle), at_end=True).getStart(), True)
    if cursor.getString() != needle:  # e.g. characters Python and Writer count differently
        raise ValueError(f"could not select {needle!r} (got {cursor.getString()!r})")
    return cursor


def position(pieces: list[tuple[int, Any, int]], offset: int, *, at_end: bool) -> Any:
    """A collapsed cursor at ``offset`` of the visible text; ``at_end`` picks the piece ending there."""
    for start, portion, length in pieces:
        if start <= offset < start + length or (at_end and start < offset <= start + length):
            cursor = portion.getText().createTextCursorByRange(portion.getStart())
            cursor.goRight(offset - start, False)
            return cursor
    raise ValueError(f"no text at offset {offset}")  # cannot happen: the needle holds no BARRIER
