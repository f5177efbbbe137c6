"""What the reader finds in a .docx: paragraphs with their revision state, tracked changes and comments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

ChangeKind: TypeAlias = Literal[
    "insertion",
    "deletion",
    "paragraph-insertion",
    "paragraph-deletion",
    "row-insertion",
    "row-deletion",
    "cell-insertion",
    "cell-deletion",
    "move-from",
    "move-to",
    "format",
]
View: TypeAlias = Literal["accept", "reject"]
PartKind: TypeAlias = Literal["document", "footnotes", "endnotes"]
PARTS: tuple[PartKind, ...] = ("document", "footnotes", "endnotes")
# A segment's marks: the formatting Markdown holds (bold, italic, code, strikethrough), and what it cannot, named
# as a merge names what it leaves out (an image is a segment without text, marked "image").
MARKS = ("strong", "em", "code", "strike")
LEFT_OUT = ("colour", "font size", "highlighting", "shading", "underline", "raised or lowered text", "image")
ChangePart: TypeAlias = Literal["document", "footnotes", "endnotes", "styles", "numbering"]


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph's text, inserted and/or deleted or plain; ``note`` marks a note reference (no text)."""

    text: str
    inserted: bool = False
    deleted: bool = False
    change: int | None = None
    note: str | None = None
    marks: frozenset[str] = frozenset()  # the run's formatting: see MARKS and LEFT_OUT
    href: str | None = None  # the target of the link it is in

    def kept(self, view: View) -> bool:
        """Whether this piece stays when all changes are accepted or rejected."""
        return not (self.deleted if view == "accept" else self.inserted)


@dataclass(frozen=True)
class Para:
    """One paragraph: its pieces, the state of its mark and of what holds it (row, cell or note reference)."""

    index: int
    part: PartKind
    where: str
    segments: tuple[Segment, ...]
    mark_inserted: bool = False
    mark_deleted: bool = False
    held_inserted: bool = False
    held_deleted: bool = False
    flow: int = 0
    style: str | None = None
    numbering: tuple[str, int] | None = None  # its own w:numPr: numId (possibly "0": none) and level
    style_change: str | None = None  # a w:pPrChange: the style it names before the change ("" for none)

    def text(self, view: View | None = None) -> str:
        """The paragraph's own text in a view (None: everything, inserted and deleted)."""
        return "".join(s.text for s in self.segments if view is None or s.kept(view))

    def kept(self, view: View) -> bool:
        """Whether the paragraph exists in a view (its row, cell or note is not removed)."""
        return not (self.held_deleted if view == "accept" else self.held_inserted)

    def mark_kept(self, view: View) -> bool:
        """Whether the paragraph mark stays in a view (else the paragraph joins the next)."""
        return not (self.mark_deleted if view == "accept" else self.mark_inserted)


@dataclass(frozen=True)
class Change:
    """A tracked change: kind, author, date as written (None when absent), its text and where it is."""

    kind: ChangeKind
    author: str
    date: str | None
    text: str
    part: ChangePart
    paragraph: int | None
    where: str
    detail: str = ""
    revision_id: str | None = None


@dataclass(frozen=True)
class Comment:
    """A comment: its id, author, initials, date, text, the text it is anchored on, and its parent for a reply."""

    comment_id: str
    author: str
    initials: str | None
    date: str | None
    text: str
    anchor: str
    paragraph: int | None
    parent_id: str | None = None
    done: bool = False


@dataclass(frozen=True)
class Numbering:
    """A numbering instance (w:num): its abstract numbering (one list, even when split over several numIds), and
    per level 0-8 its number format (w:numFmt: "bullet", "decimal"...) and start."""

    abstract: str
    formats: tuple[str, ...]
    starts: tuple[int, ...]


@dataclass(frozen=True)
class Style:
    """A paragraph style as a merge reads it: its name, its heading level (1-9, 0 for none) and its numbering."""

    name: str
    heading: int = 0
    numbering: tuple[str, int] | None = None


@dataclass(frozen=True)
class Inspection:
    """What a Word file holds: paragraphs with their revision state, tracked changes, comments and warnings."""

    paragraphs: tuple[Para, ...]
    changes: tuple[Change, ...]
    comments: tuple[Comment, ...]
    warnings: tuple[str, ...]
    lists: Mapping[str, Numbering] = field(default_factory=dict)  # numId -> its numbering
    styles: Mapping[str, Style] = field(default_factory=dict)  # styleId -> what the style makes a paragraph

    def authors(self) -> tuple[str, ...]:
        """The named authors of tracked changes, sorted, each once."""
        return tuple(sorted({change.author for change in self.changes if change.author}))
