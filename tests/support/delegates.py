"""What a delegate does to a report's Word file, as data: the operations ``LibreOffice.apply`` performs.

Each function returns one operation, a plain dict (it goes to the UNO worker as JSON and into a case's
``case.toml`` as is). Anchors are text, never indexes: ``"RIPE"`` means the paragraph, cell or words holding the
first occurrence of ``RIPE`` as a reader sees it at that point (text a tracked deletion removed is not there),
within one paragraph, case-sensitive. Inserted text may hold ``**bold**`` and ``*italic*``: those words are
typed with the button pressed. ``lo_ops.py`` performs them, mostly through the menu commands a person uses.

    ops = [insert_row(after="RIPE", cells=["LACNIC", "exhausted", "2020"]), comment("RIPE", "Why?")]
    lo.apply(base, out, author="Delegate of Brazil", ops=ops, tracking=True, date="2012-05-10T09:00:00")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cli import git, init_report, wtpf
from .libreoffice import LibreOffice

Op = dict[str, Any]
DATE = "2012-05-10T09:00:00"  # the delegates' edits are dated so unless told otherwise: reproducible files
BASE_MD = Path(__file__).resolve().parent.parent / "delegates" / "base.md"
TITLE = "Report of the Secretary-General"
VERSION = "First Draft"  # stamped WTPF-IEG/1/1 on STAMPED
STAMPED = "2012-04-13"


# The commits of the base dated so: the same commits (and ids) every time, so that the commit a build carries
# (its custom document properties) is the same in the corpus files and in the workspaces the tests make again.
DATED = {"GIT_AUTHOR_DATE": "1334307600 +0000", "GIT_COMMITTER_DATE": "1334307600 +0000"}  # 2012-04-13 09:00 UTC


def build_base(folder: Path, body: str | None = None) -> tuple[Path, Path]:
    """The workspace delegates edit: ``body`` (default ``base.md``) as the draft, stamped First Draft, built.

    ``wtpf init`` in ``folder/report``, the draft's body replaced and committed, ``wtpf stamp next``, and
    ``wtpf build "First Draft"`` to ``folder/base.docx``; returns the workspace and the .docx. Its commits are
    dated (DATED): made again, they are the same commits.
    """
    folder.mkdir(parents=True, exist_ok=True)
    root = init_report(folder, TITLE, env=DATED)
    draft = root / "report.md"
    text = draft.read_text(encoding="utf-8")
    front_matter = text[: text.index("---\n", 4) + 4]
    draft.write_text(front_matter + (BASE_MD.read_text(encoding="utf-8") if body is None else body), "utf-8")
    git("commit", "-qam", "First draft", cwd=root, env=DATED)
    wtpf("stamp", "next", "--date", STAMPED, cwd=root)
    docx = folder / "base.docx"
    wtpf("build", VERSION, "-o", str(docx), cwd=root)
    return root, docx


def _anchored(op: str, before: str | None, after: str | None, **fields: Any) -> Op:
    if (before is None) == (after is None):
        raise ValueError(f"{op} needs exactly one of before= and after=")
    anchor = {"before": before} if before is not None else {"after": after}
    return {"op": op, **anchor, **fields}


# -- words -------------------------------------------------------------------------------------------------------


def replace(find: str, new: str, *, part: str = "body") -> Op:
    """The first ``find`` replaced by ``new`` (deleted when empty); ``part="footnotes"`` searches the notes."""
    return {"op": "replace", "find": find, "new": new, "part": part}


def delete_text(find: str, *, part: str = "body") -> Op:
    """The first ``find`` deleted."""
    return replace(find, "", part=part)


def insert_text(after: str, text: str) -> Op:
    """``text`` typed right after ``after`` (may hold ``**bold**`` and ``*italic*``)."""
    return {"op": "insert_text", "after": after, "text": text}


def set_format(at: str, *, bold: bool | None = None, italic: bool | None = None, part: str = "body") -> Op:
    """Bold and/or italic applied (``True``) to or removed (``False``) from the existing words ``at``."""
    op: Op = {"op": "format", "at": at, "part": part}
    if bold is not None:
        op["bold"] = bold
    if italic is not None:
        op["italic"] = italic
    return op


def link(at: str, url: str) -> Op:
    """The existing words ``at`` made a link to ``url``; on a link, its target changed."""
    return {"op": "link", "at": at, "url": url}


def comment(at: str, text: str) -> Op:
    """A comment ``text`` on the words ``at`` (inserted after every other operation of the file)."""
    return {"op": "comment", "at": at, "text": text}


# -- paragraphs and headings ------------------------------------------------------------------------------------


def insert_paragraph(text: str, *, before: str | None = None, after: str | None = None, style: str = "body") -> Op:
    """A new paragraph before or after the one holding the anchor: Enter at its end and typing (``after``), or
    typing at its start and Enter (``before``); then the style set (``"body"``, ``"heading N"``), the list
    left if Enter continued one."""
    return _anchored("insert_paragraph", before, after, text=text, style=style)


def insert_heading(text: str, level: int, *, before: str | None = None, after: str | None = None) -> Op:
    """A new heading of ``level`` before or after the paragraph holding the anchor."""
    return insert_paragraph(text, before=before, after=after, style=f"heading {level}")


def set_style(at: str, style: str) -> Op:
    """The paragraph holding ``at`` given the paragraph style ``style`` (Styles > apply)."""
    return {"op": "set_style", "at": at, "style": style}


def set_heading_level(at: str, level: int) -> Op:
    """The heading holding ``at`` made a heading of ``level``."""
    return set_style(at, f"heading {level}")


def delete_paragraph(at: str) -> Op:
    """The paragraph or list item holding ``at`` deleted whole, paragraph mark included."""
    return {"op": "delete_paragraph", "at": at}


def split(after: str) -> Op:
    """The paragraph split right after ``after`` (Enter); the spaces opening the second part deleted."""
    return {"op": "split", "after": after}


def join(at: str, separator: str = " ") -> Op:
    """The paragraph holding ``at`` joined with the next: ``separator`` typed at its end, its mark deleted."""
    return {"op": "join", "at": at, "separator": separator}


def move_paragraph(at: str, *, before: str | None = None, after: str | None = None) -> Op:
    """The paragraph holding ``at`` cut and pasted whole before or after the paragraph holding the anchor."""
    return _anchored("move_paragraph", before, after, at=at)


# -- lists ---------------------------------------------------------------------------------------------------------


def insert_list_item(text: str, *, before: str | None = None, after: str | None = None, nested: bool = False) -> Op:
    """A new item in the list of the item holding the anchor, at its level (``nested``: one level deeper)."""
    return _anchored("insert_list_item", before, after, text=text, nested=nested)


def list_to_paragraph(at: str, style: str = "body") -> Op:
    """The list item holding ``at`` taken out of its list ("No List") and given ``style``."""
    return {"op": "list_to_paragraph", "at": at, "style": style}


def paragraph_to_list(at: str, like: str) -> Op:
    """The paragraph holding ``at`` made an item of the list holding ``like``, at that item's level."""
    return {"op": "paragraph_to_list", "at": at, "like": like}


# -- tables --------------------------------------------------------------------------------------------------------


def insert_row(*, before: str | None = None, after: str | None = None, cells: Sequence[str]) -> Op:
    """A row before or after the row whose cell holds the anchor, ``cells`` typed left to right."""
    return _anchored("insert_row", before, after, cells=list(cells))


def delete_row(at: str) -> Op:
    """The row whose cell holds ``at`` deleted."""
    return {"op": "delete_row", "at": at}


def insert_column(*, before: str | None = None, after: str | None = None, cells: Sequence[str]) -> Op:
    """A column before or after the column whose cell holds the anchor, ``cells`` typed top to bottom."""
    return _anchored("insert_column", before, after, cells=list(cells))


# -- footnotes -----------------------------------------------------------------------------------------------------


def insert_footnote(after: str, text: str) -> Op:
    """A footnote whose reference stands right after ``after``, holding ``text``."""
    return {"op": "insert_footnote", "after": after, "text": text}


def edit_footnote(find: str, new: str) -> Op:
    """The first ``find`` in the footnotes replaced by ``new``."""
    return replace(find, new, part="footnotes")


def delete_footnote(note: str) -> Op:
    """The footnote whose text holds ``note`` deleted (its reference in the body deleted)."""
    return {"op": "delete_footnote", "note": note}


# -- one delegate's file -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DelegateFile:
    """One delegate's edits of one file: who, with Track Changes on or off, dated when, doing what."""

    author: str
    ops: list[Op] = field(default_factory=list)
    tracking: bool = True
    date: str = DATE

    def make(self, libreoffice: LibreOffice, base: Path, out: Path) -> Path:
        """``base`` edited so, saved at ``out``."""
        return libreoffice.apply(base, out, author=self.author, ops=self.ops, tracking=self.tracking, date=self.date)
