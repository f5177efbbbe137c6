"""What the reader finds in a .docx: paragraphs with their revision state, tracked changes and comments."""

from __future__ import annotations

from dataclasses import dataclass
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
ChangePart: TypeAlias = Literal["document", "footnotes", "endnotes", "styles", "numbering"]


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph's text, inserted and/or deleted or plain; ``note`` marks a note reference (no text)."""

    text: str
    inserted: bool = False
    deleted: bool = False
    change: int | None = None
    note: str | None = None
    marks: frozenset[str] = frozenset()  # "strong", "em": direct bold and italic of the run

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
class Inspection:
    """What a Word file holds: paragraphs with their revision state, tracked changes, comments and warnings."""

    paragraphs: tuple[Para, ...]
    changes: tuple[Change, ...]
    comments: tuple[Comment, ...]
    warnings: tuple[str, ...]

    def authors(self) -> tuple[str, ...]:
        """The named authors of tracked changes, sorted, each once."""
        return tuple(sorted({change.author for change in self.changes if change.author}))
