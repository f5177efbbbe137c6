"""A delegate's edits of a loaded Writer document, one declarative operation at a time (LibreOffice's UNO side).

Imported by ``lo_uno.py`` under the system interpreter (``uno`` only imports there) for its ``apply`` request;
``support/delegates.py`` builds the operations on the test side and documents each one. An operation is a JSON
object with an ``"op"`` and text anchors, never indexes: ``X`` is text as a reader sees it (``lo_uno.find_text``:
the first occurrence, within one paragraph, case-sensitive). Inserted text may hold ``**bold**`` and ``*italic*``.

Where a menu command exists it is dispatched on a hidden view, as a person's key press or click would be
(``.uno:InsertPara`` for Enter, ``.uno:InsertText`` for typing, ``.uno:StyleApply``, ``.uno:InsertRowsAfter``,
``.uno:DeleteRows``, ``.uno:Cut``/``.uno:Paste``...): Writer records some changes only on that path (a paragraph
style applied through the API property is not recorded; through ``.uno:StyleApply`` it is a ``w:pPrChange``).
Text, footnotes, character formatting and links go through the API, which Writer records the same way.
Comments are inserted last, after the view is gone (see ``Delegate.apply`` in ``lo_uno.py``).
"""

from __future__ import annotations

import datetime
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import uno  # type: ignore[import-not-found]
from lo_text import find_in_paragraph, find_text, paragraphs, prop  # type: ignore[import-not-found]

STYLE_ALIASES = {"body": "Text body", "list": "List Paragraph"}  # Writer's names for the template's BodyText...
HEADING = re.compile(r"heading ([1-9])", re.IGNORECASE)
MARKUP = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")
CELL_NAME = re.compile(r"([A-Z]+)([0-9]+)")
NORMAL_WEIGHT = 100.0  # com.sun.star.awt.FontWeight.NORMAL


def style_name(style: str) -> str:
    """Writer's paragraph style for ``"body"``, ``"list"``, ``"heading N"``, or the name itself."""
    heading = HEADING.fullmatch(style.strip())
    if heading:
        return f"Heading {heading.group(1)}"
    return STYLE_ALIASES.get(style.strip().lower(), style)


def runs(text: str) -> list[tuple[str, bool, bool]]:
    """``text`` as ``(piece, bold, italic)`` runs: ``**x**`` is bold, ``*x*`` italic."""
    out: list[tuple[str, bool, bool]] = []
    end = 0
    for match in MARKUP.finditer(text):
        if match.start() > end:
            out.append((text[end : match.start()], False, False))
        bold = match.group(1) is not None
        out.append((match.group(1) if bold else match.group(2), bold, not bold))
        end = match.end()
    if end < len(text):
        out.append((text[end:], False, False))
    return out


@dataclass
class Session:
    """One document being edited: its model, and a hidden view to dispatch commands on (``None`` without one)."""

    doc: Any
    frame: Any
    dispatcher: Any

    # -- the view -------------------------------------------------------------------------------------

    def dispatch(self, command: str, **args: Any) -> None:
        if self.frame is None:
            raise ValueError(f"{command} needs a view, and the document has comments (LibreOffice aborts on them)")
        self.dispatcher.executeDispatch(self.frame, command, "", 0, tuple(prop(k, v) for k, v in args.items()))

    def select(self, text_range: Any) -> None:
        if self.frame is None:
            raise ValueError("this edit needs a view, and the document has comments (LibreOffice aborts on them)")
        self.frame.getController().select(text_range)

    def cursor(self) -> Any:
        return self.frame.getController().getViewCursor()

    def type(self, text: str) -> None:
        """Type ``text`` at the view cursor; its ``**bold**`` and ``*italic*`` pieces come out so.

        The pieces are formatted with recording paused, as text typed with the button pressed is born bold:
        Writer records no formatting change inside a new insertion. (``.uno:Bold`` on an empty selection
        formats the word around the cursor instead.)
        """
        view = self.cursor()
        for piece, bold, italic in runs(text):
            view.getText().insertString(view, piece, False)
            typed = view.getText().createTextCursorByRange(view.getStart())
            typed.goLeft(len(piece), True)
            if typed.getString() != piece:
                raise ValueError(f"could not select the typed {piece!r} (got {typed.getString()!r})")
            recording = self.doc.RecordChanges
            self.doc.RecordChanges = False
            try:
                set_emphasis(typed, bold=bold, italic=italic, only_if_different=True)
            finally:
                self.doc.RecordChanges = recording

    def apply_style(self, style: str) -> None:
        """Apply a paragraph style to the paragraph at the view cursor, unless it has it already."""
        name = style_name(style)
        if self.cursor().ParaStyleName != name:
            self.dispatch(".uno:StyleApply", Style=name, FamilyName="ParagraphStyles")

    # -- finding things -------------------------------------------------------------------------------

    def find(self, needle: str, part: str = "body") -> Any:
        """A cursor on the first ``needle`` in the body (``part="body"``) or in the footnotes (``"footnotes"``)."""
        if part == "body":
            return find_text(self.doc, needle)
        if part != "footnotes":
            raise ValueError(f"part must be 'body' or 'footnotes', not {part!r}")
        notes = self.doc.getFootnotes()
        for index in range(notes.getCount()):
            for paragraph in paragraphs(notes.getByIndex(index)):
                found = find_in_paragraph(paragraph, needle)
                if found is not None:
                    return found
        raise ValueError(f"text not found in the footnotes: {needle!r}")

    def at(self, op: dict[str, Any], key: str) -> Any:
        return self.find(str(op[key]), str(op.get("part", "body")))


# -- paragraphs as elements of their text -----------------------------------------------------------------


def neighbours(found: Any) -> tuple[Any, Any, Any]:
    """The element before the paragraph holding ``found``, that paragraph, and the element after it.

    Elements are those of the paragraph's own text (the body, a table cell, a footnote): paragraphs and tables;
    ``None`` at either end.
    """
    text = found.getText()
    elements = []
    enumeration = text.createEnumeration()
    while enumeration.hasMoreElements():
        elements.append(enumeration.nextElement())
    for index, element in enumerate(elements):
        if not element.supportsService("com.sun.star.text.Paragraph"):
            continue
        if text.compareRegionStarts(element, found) >= 0 and text.compareRegionEnds(found, element) >= 0:
            before = elements[index - 1] if index > 0 else None
            after = elements[index + 1] if index + 1 < len(elements) else None
            return before, element, after
    raise ValueError(f"no paragraph holds {found.getString()!r}")


def is_paragraph(element: Any) -> bool:
    return element is not None and bool(element.supportsService("com.sun.star.text.Paragraph"))


def whole_paragraph(found: Any, *, own_mark: bool = False) -> Any:
    """A cursor over the paragraph holding ``found`` and its paragraph mark.

    The mark is the one ending the paragraph, up to the start of the next one; a paragraph last in its text (or
    before a table) takes the mark before it instead, so the paragraph still disappears whole, unless
    ``own_mark`` (then it is an error).
    """
    before, paragraph, after = neighbours(found)
    text = found.getText()
    if own_mark and not is_paragraph(after):
        raise ValueError(f"the paragraph holding {found.getString()!r} is last in its text or before a table")
    if is_paragraph(after):
        cursor = text.createTextCursorByRange(paragraph.getStart())
        cursor.gotoRange(after.getStart(), True)
    elif is_paragraph(before):
        cursor = text.createTextCursorByRange(before.getEnd())
        cursor.gotoRange(paragraph.getEnd(), True)
    else:
        raise ValueError(f"the paragraph holding {found.getString()!r} stands alone between tables")
    return cursor


def paragraph_edge(found: Any, where: str) -> Any:
    """A collapsed cursor at the start (``"before"``) or the end (``"after"``) of the paragraph holding ``found``."""
    _, paragraph, _ = neighbours(found)
    edge = paragraph.getStart() if where == "before" else paragraph.getEnd()
    return found.getText().createTextCursorByRange(edge)


def side(op: dict[str, Any]) -> str:
    """``"before"`` or ``"after"``: which of the two anchors the operation names (exactly one)."""
    given = [key for key in ("before", "after") if key in op]
    if len(given) != 1:
        raise ValueError(f"{op['op']} needs exactly one of 'before' and 'after'")
    return given[0]


# -- the operations -------------------------------------------------------------------------------------------


def replace(session: Session, op: dict[str, Any]) -> None:
    """``find`` → ``new`` (empty: deleted), in the body or ``part="footnotes"``."""
    found = session.at(op, "find")
    found.setString(str(op["new"]))


def insert_text(session: Session, op: dict[str, Any]) -> None:
    """``text`` typed right after ``after`` (``**bold**``/``*italic*`` typed with the buttons pressed)."""
    found = session.at(op, "after")
    found.collapseToEnd()
    session.select(found)
    session.type(str(op["text"]))


def new_paragraph(session: Session, op: dict[str, Any]) -> None:
    """Enter pressed at the end of the anchor's paragraph (``after``), or text typed then Enter at its start."""
    where = side(op)
    edge = paragraph_edge(session.find(str(op[where])), where)
    session.select(edge)
    if where == "after":
        session.dispatch(".uno:InsertPara")
        session.type(str(op["text"]))
    else:
        session.type(str(op["text"]))
        session.dispatch(".uno:InsertPara")
        view = session.cursor()
        back = view.getText().createTextCursorByRange(view.getStart())
        back.gotoPreviousParagraph(False)  # back into the new paragraph, to set its style
        session.select(back)


def insert_paragraph(session: Session, op: dict[str, Any]) -> None:
    """A new paragraph of ``style`` (default body text; ``"heading N"`` for a heading) before or after ``X``."""
    new_paragraph(session, op)
    if session.cursor().NumberingStyleName:
        session.dispatch(".uno:RemoveBullets")
    session.apply_style(str(op.get("style", "body")))


def insert_list_item(session: Session, op: dict[str, Any]) -> None:
    """A new item of the anchor's list and level, before or after it; ``nested``: one level deeper."""
    new_paragraph(session, op)
    if not session.cursor().NumberingStyleName:
        raise ValueError(f"{op[side(op)]!r} is not in a list")
    if op.get("nested"):
        session.dispatch(".uno:DecrementLevel")  # Tab at the start of an item: "Demote One Level"


def set_style(session: Session, op: dict[str, Any]) -> None:
    """The paragraph holding ``at`` gets ``style`` (``"heading 2"``: a heading's level changed)."""
    session.select(session.find(str(op["at"])))
    session.apply_style(str(op["style"]))


def delete_paragraph(session: Session, op: dict[str, Any]) -> None:
    """The paragraph (or list item) holding ``at`` deleted whole, with its paragraph mark."""
    whole_paragraph(session.find(str(op["at"]))).setString("")


def list_to_paragraph(session: Session, op: dict[str, Any]) -> None:
    """The list item holding ``at`` taken out of its list ("No List") and given ``style`` (default body)."""
    session.select(session.find(str(op["at"])))
    session.dispatch(".uno:RemoveBullets")
    session.apply_style(str(op.get("style", "body")))


def paragraph_to_list(session: Session, op: dict[str, Any]) -> None:
    """The paragraph holding ``at`` made an item of the list that holds ``like``, at its level."""
    model = session.find(str(op["like"]))
    list_style, level, para_style = model.NumberingStyleName, model.NumberingLevel, model.ParaStyleName
    if not list_style:
        raise ValueError(f"{op['like']!r} is not in a list")
    session.select(session.find(str(op["at"])))
    session.dispatch(".uno:StyleApply", Style=list_style, FamilyName="NumberingStyles")
    session.apply_style(para_style)
    for _ in range(level - session.cursor().NumberingLevel):
        session.dispatch(".uno:DecrementLevel")


def cell_position(found: Any) -> tuple[Any, int, int]:
    """The table holding ``found``, and its cell's column and row (from 0)."""
    cell = found.Cell
    if cell is None:
        raise ValueError(f"{found.getString()!r} is not in a table")
    match = CELL_NAME.fullmatch(cell.CellName)
    if match is None:
        raise ValueError(f"merged or nested cells are not supported ({cell.CellName})")
    letters, digits = match.groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return found.TextTable, column - 1, int(digits) - 1


def cell_name(column: int, row: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


def fill_cell(table: Any, column: int, row: int, text: str) -> None:
    if text:
        cell = table.getCellByName(cell_name(column, row)).getText()
        cell.insertString(cell.getEnd(), text, False)


def insert_line(session: Session, op: dict[str, Any], *, row: bool) -> None:
    """A row (or column) inserted before or after the one holding the anchor, ``cells`` typed into it in order."""
    where = side(op)
    found = session.find(str(op[where]))
    table, column, line = cell_position(found)
    found.collapseToStart()
    session.select(found)
    session.dispatch(f".uno:Insert{'Rows' if row else 'Columns'}{'After' if where == 'after' else 'Before'}")
    new = (line if row else column) + (where == "after")
    for n, text in enumerate(op.get("cells", [])):
        fill_cell(table, n if row else new, new if row else n, str(text))


def insert_row(session: Session, op: dict[str, Any]) -> None:
    """A row before or after the row holding ``X``, its ``cells`` typed left to right."""
    insert_line(session, op, row=True)


def delete_row(session: Session, op: dict[str, Any]) -> None:
    """The row holding ``at`` deleted ("Delete Rows")."""
    found = session.find(str(op["at"]))
    cell_position(found)
    found.collapseToStart()
    session.select(found)
    session.dispatch(".uno:DeleteRows")


def insert_column(session: Session, op: dict[str, Any]) -> None:
    """A column before or after the column holding ``X``, its ``cells`` typed top to bottom."""
    insert_line(session, op, row=False)


def insert_footnote(session: Session, op: dict[str, Any]) -> None:
    """A footnote whose reference stands right after ``after``, holding ``text``."""
    found = session.find(str(op["after"]))
    found.collapseToEnd()
    note = session.doc.createInstance("com.sun.star.text.Footnote")
    found.getText().insertTextContent(found, note, False)
    note.getText().insertString(note.getText().getEnd(), str(op["text"]), False)


def delete_footnote(session: Session, op: dict[str, Any]) -> None:
    """The footnote whose text holds ``note`` deleted: its reference mark in the body is deleted."""
    notes = session.doc.getFootnotes()
    for index in range(notes.getCount()):
        note = notes.getByIndex(index)
        if str(op["note"]) in note.getString():
            anchor = note.getAnchor()
            anchor.getText().createTextCursorByRange(anchor).setString("")
            return
    raise ValueError(f"no footnote holds {op['note']!r}")


def set_emphasis(text_range: Any, *, bold: bool | None, italic: bool | None, only_if_different: bool = False) -> None:
    """Make ``text_range`` bold or not, italic or not (``None``: left as it is)."""
    if bold is not None and not (only_if_different and (text_range.CharWeight > NORMAL_WEIGHT) == bold):
        text_range.CharWeight = uno.getConstantByName(f"com.sun.star.awt.FontWeight.{'BOLD' if bold else 'NORMAL'}")
    if italic is not None:
        upright = text_range.CharPosture.value == "NONE"
        if not (only_if_different and upright != italic):
            text_range.CharPosture = uno.Enum("com.sun.star.awt.FontSlant", "ITALIC" if italic else "NONE")


def format_text(session: Session, op: dict[str, Any]) -> None:
    """``bold`` and/or ``italic`` (true: applied, false: removed) on the existing text ``at``."""
    set_emphasis(session.at(op, "at"), bold=op.get("bold"), italic=op.get("italic"))


def link(session: Session, op: dict[str, Any]) -> None:
    """The existing text ``at`` made a link to ``url`` (a link's target changed, when it is one already)."""
    session.at(op, "at").HyperLinkURL = str(op["url"])


def split(session: Session, op: dict[str, Any]) -> None:
    """Enter pressed right after ``after``; the spaces that then open the new paragraph are deleted."""
    found = session.find(str(op["after"]))
    found.collapseToEnd()
    session.select(found)
    session.dispatch(".uno:InsertPara")
    start = session.cursor().getStart()
    text = start.getText()
    count = 0
    probe = text.createTextCursorByRange(start)
    while probe.goRight(1, True) and probe.getString() == " " * (count + 1):
        count += 1
    if count:
        blank = text.createTextCursorByRange(start)
        blank.goRight(count, True)
        blank.setString("")


def join(session: Session, op: dict[str, Any]) -> None:
    """The paragraph holding ``at`` joined with the next one: a space typed at its end, its mark deleted."""
    found = session.find(str(op["at"]))
    _, paragraph, after = neighbours(found)
    if not is_paragraph(after):
        raise ValueError(f"no paragraph follows the one holding {op['at']!r}")
    text = found.getText()
    end = text.createTextCursorByRange(paragraph.getEnd())
    text.insertString(end, str(op.get("separator", " ")), False)
    mark = text.createTextCursorByRange(paragraph.getEnd())
    mark.gotoRange(after.getStart(), True)
    mark.setString("")


def move_paragraph(session: Session, op: dict[str, Any]) -> None:
    """The paragraph holding ``at`` cut and pasted as a whole paragraph before or after the one holding ``X``.

    The paragraph is cut with its own mark, so it cannot be the last of its text or stand before a table.
    """
    where = side(op)
    source = whole_paragraph(session.find(str(op["at"])), own_mark=True)
    session.select(source)
    session.dispatch(".uno:Cut")
    target = session.find(str(op[where]))
    if where == "after":
        _, _, following = neighbours(target)
        if not is_paragraph(following):
            raise ValueError(f"no paragraph follows the one holding {op[where]!r} to paste before")
        target = following
    session.select(target.getText().createTextCursorByRange(target.getStart()))
    session.dispatch(".uno:Paste")


ANCHORS = ("before", "after")
OPERATIONS: dict[str, tuple[Callable[[Session, dict[str, Any]], None], tuple[str, ...]]] = {
    "replace": (replace, ("find", "new", "part")),
    "insert_text": (insert_text, ("after", "text", "part")),
    "insert_paragraph": (insert_paragraph, (*ANCHORS, "text", "style")),
    "insert_list_item": (insert_list_item, (*ANCHORS, "text", "nested")),
    "set_style": (set_style, ("at", "style")),
    "delete_paragraph": (delete_paragraph, ("at",)),
    "list_to_paragraph": (list_to_paragraph, ("at", "style")),
    "paragraph_to_list": (paragraph_to_list, ("at", "like")),
    "insert_row": (insert_row, (*ANCHORS, "cells")),
    "delete_row": (delete_row, ("at",)),
    "insert_column": (insert_column, (*ANCHORS, "cells")),
    "insert_footnote": (insert_footnote, ("after", "text")),
    "delete_footnote": (delete_footnote, ("note",)),
    "format": (format_text, ("at", "bold", "italic", "part")),
    "link": (link, ("at", "url", "part")),
    "split": (split, ("after",)),
    "join": (join, ("at", "separator")),
    "move_paragraph": (move_paragraph, ("at", *ANCHORS)),
}
COMMENT = "comment"  # {"op": "comment", "at": X, "text": T}: inserted by lo_uno, after every other operation


def check(op: dict[str, Any]) -> None:
    """Refuse an operation with an unknown name or key."""
    kind = op.get("op")
    if kind == COMMENT:
        allowed: tuple[str, ...] = ("at", "text")
    elif kind in OPERATIONS:
        allowed = OPERATIONS[str(kind)][1]
    else:
        raise ValueError(f"unknown operation {kind!r}; known: {', '.join(sorted([*OPERATIONS, COMMENT]))}")
    unknown = sorted(set(op) - {"op", *allowed})
    if unknown:
        raise ValueError(f"{kind} takes {', '.join(allowed)}, not {', '.join(unknown)}")


def apply(session: Session, op: dict[str, Any]) -> None:
    """Perform one operation (not a comment)."""
    check(op)
    OPERATIONS[str(op["op"])][0](session, op)


@dataclass(frozen=True)
class Delegate:
    """What an ``apply`` request asks: see the module's docstring and ``lo_ops.py``."""

    author: str
    ops: list[dict[str, Any]]
    tracking: bool
    date: str | None  # YYYY-MM-DDThh:mm:ss
    save: str

    @classmethod
    def from_request(cls, request: dict[str, Any]) -> Delegate:
        author, ops, date = request.get("author"), request.get("ops"), request.get("date")
        if not isinstance(author, str) or not author.strip():
            raise ValueError("an edit needs a non-empty 'author'")
        if not isinstance(ops, list) or not all(isinstance(op, dict) for op in ops):
            raise ValueError("'ops' must be a list of objects")
        if date is not None:
            date = datetime.datetime.fromisoformat(str(date)).isoformat(timespec="seconds")
        save = request.get("save", "export")
        if save not in ("export", "save_as"):
            raise ValueError(f"save must be 'export' or 'save_as', not {save!r}")
        return cls(author, ops, bool(request.get("tracking", True)), date, str(save))


DATED_PART = re.compile(r"word/[^/]+\.xml")
W_DATE = re.compile(rb'w:date="[^"]*"')
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def stamp_dates(path: str, date: str, *, modified: bool) -> None:
    """Set every ``w:date`` in ``word/*.xml`` to ``date`` (as UTC), and when the document was ``modified`` the
    modification date in ``docProps/core.xml`` too; every zip entry's time to 1980-01-01.

    Writer dates a recorded change, and the save of a modified document, by its clock, and its API cannot change
    a change's date afterwards; this is the only rewrite of what Writer saved: the rest stays byte for byte.
    """
    stamp = f"{date}Z".encode()
    with zipfile.ZipFile(path) as package:
        entries = [(info, package.read(info.filename)) for info in package.infolist()]
    temporary = f"{path}.dated"
    with zipfile.ZipFile(temporary, "w") as package:
        for info, data in entries:
            if DATED_PART.fullmatch(info.filename):
                data = W_DATE.sub(b'w:date="' + stamp + b'"', data)
            elif info.filename == "docProps/core.xml" and modified:
                data = MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info.date_time = (1980, 1, 1, 0, 0, 0)
            package.writestr(info, data)
    os.replace(temporary, path)
