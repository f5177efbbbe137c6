#!/usr/bin/python3
"""LibreOffice worker: reads .docx files through UNO and answers with JSON lines.

Run under the interpreter that has LibreOffice's ``uno`` module (Debian: ``/usr/bin/python3`` with
``python3-uno``), never under the test interpreter. ``support/libreoffice.py`` starts soffice and this worker
once per test session and talks to it; the protocol, one JSON object per line each way:

On start-up the worker connects to the already running soffice (``--connect``, polling until
``--deadline`` seconds have passed) and prints ``{"ready": true, "version": ...}`` or
``{"ready": false, "error": ...}`` (and exits).

Requests on stdin, one response line on stdout each:

- ``{"path": "/abs/file.docx", "view": "accept" | "reject" | "none"}`` →
  ``{"body": [...], "labels": [...], "styles": [...], "footnotes": [...], "endnotes": [...], "changes": [...],
  "comments": [...], "record_changes": bool, "remaining_changes": int, "error": null}``.
  ``body`` holds the paragraph texts in document order; a table contributes each cell's paragraphs in
  row-major order (covered cells of a merge included, as empty cells), where the table stands; nested
  tables are flattened the same way. ``labels`` runs beside ``body``: each paragraph's list number or bullet
  as LibreOffice shows it (``"1."``, ``"•"``), ``""`` when it has none; ``body`` itself holds no labels;
  ``styles`` runs beside it too: each paragraph's style (Writer's name: ``"Heading 1"``, ``"Text body"``), and
  ``directions`` each paragraph's writing mode (``"rl"`` right to left, ``"lr"``, ``"page"``);
  ``table_directions`` each table's, in document order.
  Field results appear as LibreOffice shows them; footnote and endnote
  reference marks are left out (their notes are in ``footnotes`` / ``endnotes``, one string per note, its
  paragraphs joined by ``"\\n"``). ``changes`` lists the redlines present before accepting/rejecting:
  ``{"type", "author", "date", "text", "comment"}``; ``comments`` the comments as
  ``{"author", "date", "text"}``; ``record_changes`` whether the file turns change tracking on.
  ``remaining_changes`` counts redlines still there after Accept All / Reject All (normally 0).
  Dates are ``YYYY-MM-DDThh:mm:ss`` as stored (no time zone), or null when the file has none.
- ``{"path": ..., "convert_pdf": "/abs/out.pdf", "view": ...}`` → ``{"pdf": "/abs/out.pdf", "error": null}``;
  with view ``none`` (the default) the PDF shows the tracked changes as LibreOffice marks them up.
- ``{"path": ..., "edit": "/abs/out.docx", "author": "A. Delegate", "replacements": [[old, new], ...],
  "comments": [[anchor, text], ...], "date": "YYYY-MM-DDThh:mm:ss" | null}`` →
  ``{"docx": "/abs/out.docx", "error": null}``: edits a private copy as ``author`` with change tracking on and
  stores it as .docx ("MS Word 2007 XML"). Each replacement acts on the first
  occurrence of ``old`` in the body as a reader sees it (``find_text``): ``new`` replaces it, an empty
  ``new`` deletes it, and ``old`` = ``"AFTER:<text>"`` inserts ``new`` after ``<text>``. Then each comment
  is anchored on the first ``anchor``. Text not found is an error. The author reaches the redlines through
  LibreOffice's user name (``Worker.set_user_name``); with ``date`` the changes and comments carry that date
  instead of the time of the edit (``replace``).
- ``{"path": ..., "apply": "/abs/out.docx", "author": ..., "ops": [{"op": ..., ...}, ...], "tracking": bool,
  "date": "YYYY-MM-DDThh:mm:ss" | null, "save": "export" | "save_as"}`` → ``{"docx": ..., "error": null}``: the
  operations of ``lo_ops.py`` performed in order on a private copy, as ``author``, with change tracking on or
  off; comments (``{"op": "comment", "at": X, "text": T}``) last. Writer records the changes itself, dated by
  its clock; with ``date`` every ``w:date`` and the modification date of the saved file are then set to it
  (``lo_ops.stamp_dates``), and the zip entries carry a fixed time. ``export`` stores a copy as File > Export
  does, ``save_as`` as File > Save As; either way Writer names ``author`` as the last author of a changed file.
- ``{"ping": true}`` → ``{"ok": true, "error": null}``.

Failures answer ``{"error": "message"}``. When the connection to soffice is gone (soffice crashed), the
answer also carries ``"fatal": true`` (plus ``"stale": true`` when it was already gone before the request
was touched) and the worker exits: the caller restarts soffice and the worker.

The input file is never opened in place: it is copied into a private temporary folder and the copy is
loaded hidden, so neither a save nor a lock file can touch the original. Comments are read and then removed
from the loaded copy before a view is made (see ``Worker.open``): Debian's no-GUI LibreOffice aborts when it
lays out a comment margin. An edit never makes a view, so the document keeps its comments and gains new ones.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from typing import Any

import lo_ops  # type: ignore[import-not-found]
import uno  # type: ignore[import-not-found]
from lo_text import enumerate_all, find_text, paragraphs, prop  # type: ignore[import-not-found]

DOCX_FILTER = "MS Word 2007 XML"  # File > Save As "Word 2007-365"
USER_DATA = "/org.openoffice.UserProfile/Data"
AFTER = "AFTER:"  # a replacement's ``old`` of the form "AFTER:<text>" inserts after <text>
VIEW_COMMANDS = {
    "accept": ".uno:AcceptAllTrackedChanges",
    "reject": ".uno:RejectAllTrackedChanges",
    "none": None,
}


class LoadFailed(Exception):
    """LibreOffice cannot load the file as a text document."""


class Worker:
    def __init__(self, connect: str, deadline: float, scratch: str | None) -> None:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:{connect};StarOffice.ComponentContext"
        end = time.monotonic() + deadline
        while True:
            try:
                self.ctx = resolver.resolve(url)
                break
            except Exception as exc:  # NoConnectException until soffice listens
                if time.monotonic() > end:
                    raise RuntimeError(f"no LibreOffice listening on {connect} after {deadline:.0f}s: {exc}") from exc
                time.sleep(0.1)
        self.smgr = smgr = self.ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.ctx)
        self.detection = smgr.createInstanceWithContext("com.sun.star.document.TypeDetection", self.ctx)
        self.config = smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", self.ctx)
        if scratch:
            os.makedirs(scratch, exist_ok=True)
        self.scratch = tempfile.mkdtemp(prefix="wtpf-lo-worker-", dir=scratch)

    def version(self) -> str:
        try:
            access = self.config.createInstanceWithArguments(
                "com.sun.star.configuration.ConfigurationAccess",
                (prop("nodepath", "/org.openoffice.Setup/Product"),),
            )
            return f"{access.getByName('ooName')} {access.getByName('ooSetupVersionAboutBox')}"
        except Exception:
            return "unknown"

    def alive(self) -> bool:
        try:
            self.desktop.getFrames().getCount()
            return True
        except Exception:
            return False

    # -- documents -------------------------------------------------------------------------------------

    def open(self, path: str) -> tuple[Any, str, dict[str, Any]]:
        """Load a private copy of ``path`` into a hidden view.

        Returns the document, the folder holding the copy, and facts only the freshly loaded model tells:
        its comments and whether it records changes. The model is loaded without a view first, its comments
        are noted and removed, and only then is a view attached: LibreOffice's no-GUI packages lack the .ui
        file of the comment margin, and building that margin for a document with comments aborts soffice.
        """
        doc, folder = self.load(path)
        try:
            facts = {"comments": [], "record_changes": bool(doc.RecordChanges)}
            try:
                annotations = [
                    field
                    for field in enumerate_all(doc.getTextFields())
                    if field.supportsService("com.sun.star.text.TextField.Annotation")
                ]
                facts["comments"] = [describe_annotation(field) for field in annotations]
                if annotations:
                    doc.RecordChanges = False  # removing a comment must not become a tracked change
                    for field in annotations:
                        field.dispose()
                view = self.desktop.loadComponentFromURL(
                    "private:object", "_blank", 0, (prop("Model", doc), prop("Hidden", True))
                )
                if view is None or doc.getCurrentController() is None:
                    raise LoadFailed("LibreOffice could not open a view on it")
            except BaseException:
                close_document(doc)
                raise
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return doc, folder, facts

    def load(self, path: str) -> tuple[Any, str]:
        """Load a private copy of ``path`` as a model without a view: the document and the copy's folder."""
        if not os.path.isabs(path):
            raise ValueError(f"path must be absolute: {path}")
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such file: {path}")
        folder = tempfile.mkdtemp(dir=self.scratch)
        try:
            copy = os.path.join(folder, os.path.basename(path))
            shutil.copyfile(path, copy)
            url = uno.systemPathToFileUrl(copy)
            doc = self.smgr.createInstanceWithContext("com.sun.star.text.TextDocument", self.ctx)
            doc.load((prop("URL", url), prop("FilterName", self.filter_for(url)), prop("Hidden", True)))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return doc, folder

    def filter_for(self, url: str) -> str:
        found = self.detection.queryTypeByDescriptor((prop("URL", url),), True)
        type_name = found if isinstance(found, str) else found[0]
        if type_name:
            info = {p.Name: p.Value for p in self.detection.getByName(type_name)}
            if info.get("PreferredFilter"):
                return str(info["PreferredFilter"])
        raise LoadFailed(f"LibreOffice does not recognise it as a document (type {type_name or 'unknown'!r})")

    def close(self, doc: Any, folder: str) -> None:
        close_document(doc)
        shutil.rmtree(folder, ignore_errors=True)

    def apply_view(self, doc: Any, view: str) -> None:
        """Accept All / Reject All through the dispatcher, as the Edit > Track Changes menu does."""
        command = VIEW_COMMANDS[view]
        if command is not None:
            frame = doc.getCurrentController().getFrame()
            self.dispatcher.executeDispatch(frame, command, "", 0, ())

    def read(self, path: str, view: str, emphasis: bool = False) -> dict[str, Any]:
        doc, folder, facts = self.open(path)
        try:
            changes = [describe_redline(r) for r in redlines(doc)]
            self.apply_view(doc, view)
            body = paragraphs(doc.getText())
            footnotes, endnotes = notes(doc.getFootnotes()), notes(doc.getEndnotes())
            has_notes = bool(footnotes or endnotes)
            return {
                **facts,
                "emphasis": [emphasised_text(p) for p in body] if emphasis else [],
                "body": [paragraph_text(p, has_notes) for p in body],
                "labels": [list_label(p) for p in body],
                "styles": [str(p.ParaStyleName) for p in body],
                "directions": [writing_direction(p) for p in body],
                "table_directions": [writing_direction(t) for t in tables(doc)],
                "footnotes": footnotes,
                "endnotes": endnotes,
                "changes": changes,
                "remaining_changes": len(redlines(doc)),
                "error": None,
            }
        finally:
            self.close(doc, folder)

    def convert_pdf(self, path: str, out: str, view: str) -> dict[str, Any]:
        if not os.path.isabs(out):
            raise ValueError(f"convert_pdf must be an absolute path: {out}")
        doc, folder, _ = self.open(path)
        try:
            self.apply_view(doc, view)
            doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", "writer_pdf_Export"),))
            return {"pdf": out, "error": None}
        finally:
            self.close(doc, folder)

    def set_user_name(self, author: str) -> None:
        """Make ``author`` LibreOffice's user name (Tools > Options > User Data): the author of recorded changes.

        Writer takes a new redline's author from the user profile's full name (``givenname`` + ``sn``), and
        forgets its cached copy when the profile changes, so the next change recorded in any document
        carries the new name. The session's profile is private to the test run.
        """
        access = self.config.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess", (prop("nodepath", USER_DATA),)
        )
        access.setPropertyValue("givenname", author)
        access.setPropertyValue("sn", "")
        access.setPropertyValue("initials", initials(author))
        access.commitChanges()

    def edit(self, path: str, out: str, edit: Edit) -> dict[str, Any]:
        """Edit a private copy of ``path`` as ``edit.author`` with Track Changes on; store it as .docx at ``out``.

        The model never gets a view (see ``open``): a comment inserted into a document with a view aborts
        Debian's no-GUI soffice. Without a view Writer has no layout, and its search API
        (``findFirst``) finds nothing without one, so ``find_text`` searches the paragraphs itself.
        """
        if not os.path.isabs(out):
            raise ValueError(f"the edited file's path must be absolute: {out}")
        self.set_user_name(edit.author)
        doc, folder = self.load(path)
        try:
            # Recorded: Writer makes the redlines, as for a person typing, dated by its clock. Dated: the
            # edits go in unrecorded and are marked with makeRedline (as Writer's .docx import does), since a
            # recorded redline's date cannot be changed through the API.
            doc.RecordChanges = edit.date is None
            for old, new in edit.replacements:
                replace(doc, old, new, edit)
            doc.RecordChanges = False  # inserting a comment would be recorded as an insertion
            for anchor, content in edit.comments:
                insert_comment(doc, anchor, content, edit)
            doc.RecordChanges = True
            doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", DOCX_FILTER), prop("Overwrite", True)))
            return {"docx": out, "error": None}
        finally:
            self.close(doc, folder)

    def apply(self, path: str, out: str, delegate: lo_ops.Delegate) -> dict[str, Any]:
        """Perform ``delegate``'s operations on a private copy of ``path``; store it as .docx at ``out``.

        A hidden view is attached for the operations that dispatch menu commands, unless the document has
        comments (building their margin aborts the no-GUI soffice, see ``open``); it is detached before the
        comments are inserted, for the same reason.
        """
        if not os.path.isabs(out):
            raise ValueError(f"the edited file's path must be absolute: {out}")
        for op in delegate.ops:
            lo_ops.check(op)
        self.set_user_name(delegate.author)
        doc, folder = self.load(path)
        try:
            frame = None
            if not any(
                field.supportsService("com.sun.star.text.TextField.Annotation")
                for field in enumerate_all(doc.getTextFields())
            ):
                self.desktop.loadComponentFromURL(
                    "private:object", "_blank", 0, (prop("Model", doc), prop("Hidden", True))
                )
                frame = doc.getCurrentController().getFrame()
            doc.RecordChanges = delegate.tracking
            session = lo_ops.Session(doc, frame, self.dispatcher)
            for op in delegate.ops:
                if op["op"] != lo_ops.COMMENT:
                    lo_ops.apply(session, op)
            if frame is not None:
                frame.setComponent(None, None)
                frame.dispose()
            doc.RecordChanges = False  # inserting a comment would be recorded as an insertion
            edit = Edit(delegate.author, [], [], None if delegate.date is None else uno_date(delegate.date))
            for op in delegate.ops:
                if op["op"] == lo_ops.COMMENT:
                    insert_comment(doc, str(op["at"]), str(op["text"]), edit)
            doc.RecordChanges = delegate.tracking
            _ = doc.WordCount  # counts now what Writer's idle layout may or may not have counted before the save
            modified = bool(doc.isModified())
            url, filters = uno.systemPathToFileUrl(out), (prop("FilterName", DOCX_FILTER), prop("Overwrite", True))
            if delegate.save == "save_as":
                doc.storeAsURL(url, filters)
            else:
                doc.storeToURL(url, filters)
        finally:
            self.close(doc, folder)
        if delegate.date is not None:
            lo_ops.stamp_dates(out, delegate.date, modified=modified)
        return {"docx": out, "error": None}

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        if request.get("ping"):
            return {"ok": True, "error": None}
        path = request.get("path")
        if not isinstance(path, str):
            raise ValueError("request needs a string 'path'")
        if "edit" in request:
            return self.edit(path, str(request["edit"]), Edit.from_request(request))
        if "apply" in request:
            return self.apply(path, str(request["apply"]), lo_ops.Delegate.from_request(request))
        view = request.get("view", "none")
        if view not in VIEW_COMMANDS:
            raise ValueError(f"view must be one of {sorted(VIEW_COMMANDS)}, not {view!r}")
        if "convert_pdf" in request:
            return self.convert_pdf(path, str(request["convert_pdf"]), view)
        return self.read(path, view, bool(request.get("emphasis")))


# -- text extraction -----------------------------------------------------------------------------------


def redlines(doc: Any) -> list[Any]:
    return enumerate_all(doc.getRedlines())


def close_document(doc: Any) -> None:
    try:
        doc.close(True)
    except Exception:
        with contextlib.suppress(Exception):
            doc.dispose()


def paragraph_text(paragraph: Any, has_notes: bool = True) -> str:
    """The paragraph's text as shown, field results included, footnote and endnote marks left out.

    Walking the text portions is what finds the marks, and costs ten times ``getString()``: documents
    without notes (``has_notes=False``) take the short way, which gives the same text there.
    """
    if not has_notes:
        return str(paragraph.getString())
    return "".join(portion.getString() for portion in enumerate_all(paragraph) if portion.TextPortionType != "Footnote")


def emphasised_text(paragraph: Any) -> str:
    """The paragraph's text with bold text as **...** and italic text as *...* (text portions only)."""
    out: list[tuple[str, str]] = []  # (marker, text), neighbours of one marker joined
    for portion in enumerate_all(paragraph):
        if portion.TextPortionType != "Text":
            continue
        text = str(portion.getString())
        if not text:
            continue
        marker = ("**" if portion.CharWeight > 100 else "") + ("*" if portion.CharPosture.value != "NONE" else "")
        if out and out[-1][0] == marker:
            out[-1] = (marker, out[-1][1] + text)
        else:
            out.append((marker, text))
    return "".join(f"{m}{t}{m[::-1]}" if m and t.strip() else t for m, t in out)


CHAR_SPECIAL = 6  # com.sun.star.style.NumberingType: a bullet
# Word's usual bullets are Symbol/Wingdings characters that LibreOffice keeps in the private use area; its
# plain-text export shows them as these.
SYMBOL_BULLETS = {
    "\uf0b7": "\u2022",  # Symbol: bullet
    "\uf0a7": "\u25aa",  # Wingdings: small square
    "\uf0d8": "\u27a2",  # Wingdings: arrowhead
    "\uf076": "\u2756",  # Wingdings: diamond
    "\uf0fc": "\u2713",  # Wingdings: check mark
}


def tables(doc: Any) -> list[Any]:
    """The text tables of a document, by index (the order they were read in: document order)."""
    found = doc.getTextTables()
    return [found.getByIndex(k) for k in range(found.getCount())]


def writing_direction(element: Any) -> str:
    """A paragraph's or table's writing mode as LibreOffice lays it out (com.sun.star.text.WritingMode2):
    ``"rl"`` right to left, ``"lr"`` left to right, ``"page"`` as its page, or the number of another mode."""
    mode = int(element.WritingMode)
    return {0: "lr", 1: "rl", 4: "page"}.get(mode, str(mode))


def list_label(paragraph: Any) -> str:
    """The number LibreOffice shows before a list paragraph (``"1."``), its bullet (``"•"``), or ``""``."""
    try:
        label = str(paragraph.ListLabelString or "")
        if label or not paragraph.NumberingIsNumber or paragraph.NumberingRules is None:
            return label
        level = {p.Name: p.Value for p in paragraph.NumberingRules.getByIndex(paragraph.NumberingLevel)}
    except Exception:  # not every paragraph-like object has these properties
        return ""
    if level.get("NumberingType") == CHAR_SPECIAL:
        bullet = str(level.get("BulletChar") or "")
        return SYMBOL_BULLETS.get(bullet, bullet)
    return ""


def notes(index_access: Any) -> list[str]:
    return [
        "\n".join(paragraph_text(p, has_notes=False) for p in paragraphs(index_access.getByIndex(i)))
        for i in range(index_access.getCount())
    ]


def format_date(dt: Any) -> str | None:
    if dt is None or not dt.Year:
        return None
    return f"{dt.Year:04d}-{dt.Month:02d}-{dt.Day:02d}T{dt.Hours:02d}:{dt.Minutes:02d}:{dt.Seconds:02d}"


def redline_text(redline: Any) -> str | None:
    try:
        start, end = redline.RedlineStart, redline.RedlineEnd
        cursor = start.getText().createTextCursorByRange(start)
        cursor.gotoRange(end, True)
        return str(cursor.getString())
    except Exception:
        return None


def describe_annotation(field: Any) -> dict[str, Any]:
    return {
        "author": str(field.Author),
        "date": format_date(field.DateTimeValue),
        "text": str(field.Content),
    }


def describe_redline(redline: Any) -> dict[str, Any]:
    return {
        "type": str(redline.RedlineType),
        "author": str(redline.RedlineAuthor),
        "date": format_date(redline.RedlineDateTime),
        "text": redline_text(redline),
        "comment": str(redline.RedlineComment or ""),
    }


# -- editing -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """What a delegate does to a document: see the ``edit`` request in the module's docstring."""

    author: str
    replacements: list[tuple[str, str]]
    comments: list[tuple[str, str]]
    date: Any  # com.sun.star.util.DateTime, or None: LibreOffice's clock

    @classmethod
    def from_request(cls, request: dict[str, Any]) -> Edit:
        author = request.get("author")
        if not isinstance(author, str) or not author.strip():
            raise ValueError("an edit needs a non-empty 'author'")
        date = request.get("date")
        return cls(
            author=author,
            replacements=string_pairs(request.get("replacements", []), "replacements"),
            comments=string_pairs(request.get("comments", []), "comments"),
            date=None if date is None else uno_date(str(date)),
        )

    def redline_properties(self) -> tuple[Any, ...]:
        return (prop("RedlineAuthor", self.author), prop("RedlineDateTime", self.date))


def string_pairs(value: Any, what: str) -> list[tuple[str, str]]:
    if not isinstance(value, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(item, str) for item in pair) for pair in value
    ):
        raise ValueError(f"{what} must be a list of [string, string] pairs")
    return [(first, second) for first, second in value]


def uno_date(text: str) -> Any:
    """``YYYY-MM-DDThh:mm:ss`` (local time, no zone, as Word stores it) as a com.sun.star.util.DateTime."""
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        raise ValueError(f"the date must have no time zone (Word stores local time): {text}")
    dt = uno.createUnoStruct("com.sun.star.util.DateTime")
    dt.Year, dt.Month, dt.Day = parsed.year, parsed.month, parsed.day
    dt.Hours, dt.Minutes, dt.Seconds = parsed.hour, parsed.minute, parsed.second
    return dt


def initials(author: str) -> str:
    return "".join(word[0] for word in author.split() if word[:1].isalnum()).upper()


def replace(doc: Any, old: str, new: str, edit: Edit) -> None:
    """Replace the first ``old`` by ``new`` (delete it when ``new`` is empty), or insert ``new`` after the text
    ``X`` when ``old`` is ``"AFTER:X"``; tracked as ``edit.author``'s change."""
    after = old.startswith(AFTER)
    found = find_text(doc, old[len(AFTER) :] if after else old)
    if after and not new:
        raise ValueError(f"nothing to insert after {old[len(AFTER) :]!r}")
    text = found.getText()
    if edit.date is None:  # recorded: the redlines are Writer's own
        if after:
            found.collapseToEnd()
            text.insertString(found, new, False)
        else:
            found.setString(new)
        return
    inserted = None
    if new:
        inserted = text.createTextCursorByRange(found.getEnd())
        text.insertString(inserted, new, False)  # the cursor moves past what it inserts
        inserted.goLeft(len(new), True)
        if inserted.getString() != new:
            raise ValueError(f"could not select the inserted {new!r} (got {inserted.getString()!r})")
    if not after:
        removed = text.createTextCursorByRange(found.getStart())
        removed.gotoRange(inserted.getStart() if inserted is not None else found.getEnd(), True)
        removed.makeRedline("Delete", edit.redline_properties())
    if inserted is not None:
        inserted.makeRedline("Insert", edit.redline_properties())


def insert_comment(doc: Any, anchor: str, content: str, edit: Edit) -> None:
    """Comment ``content`` by ``edit.author`` on the first ``anchor`` (searched as ``find_text`` does)."""
    found = find_text(doc, anchor)
    annotation = doc.createInstance("com.sun.star.text.textfield.Annotation")
    annotation.Author = edit.author
    annotation.Initials = initials(edit.author)
    annotation.Content = content
    annotation.DateTimeValue = (
        edit.date if edit.date is not None else uno_date(datetime.datetime.now().isoformat(timespec="seconds"))
    )
    found.getText().insertTextContent(found, annotation, True)  # over a range: the comment spans it


# -- main loop -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", required=True, help='UNO connection, e.g. "pipe,name=x;urp"')
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds to wait for soffice")
    parser.add_argument("--scratch", help="folder for the private copies (default: the system's temp folder)")
    args = parser.parse_args()

    # Keep the protocol stream clean: whatever else writes to fd 1 lands on stderr.
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(obj: dict[str, Any]) -> None:
        proto.write(json.dumps(obj, ensure_ascii=False) + "\n")
        proto.flush()

    try:
        worker = Worker(args.connect, args.deadline, args.scratch)
    except Exception as exc:
        send({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return 2
    send({"ready": True, "version": worker.version(), "error": None})

    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                if not isinstance(request, dict):
                    raise ValueError("request must be a JSON object")
            except ValueError as exc:
                send({"error": f"bad request: {exc}"})
                continue
            if not worker.alive():
                send({"error": "the connection to LibreOffice is gone", "fatal": True, "stale": True})
                return 3
            try:
                send(worker.handle(request))
            except Exception as exc:
                if isinstance(exc, (ValueError, OSError, LoadFailed)):
                    message = str(exc)
                else:
                    message = f"LibreOffice failed: {type(exc).__name__}: {exc}".strip()
                    traceback.print_exc(file=sys.stderr)
                if not worker.alive():
                    send({"error": message, "fatal": True})
                    return 3
                send({"error": message})
    finally:
        shutil.rmtree(worker.scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
