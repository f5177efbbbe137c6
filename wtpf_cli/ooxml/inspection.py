"""``wtpf inspect``: what a Word file holds before it is taken in (tracked changes, comments, or its text in a view)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, TypeAlias

from wtpf_cli.ooxml.hazards import package_hazards
from wtpf_cli.ooxml.package import open_docx
from wtpf_cli.ooxml.reader import read_inspection
from wtpf_cli.ooxml.revisions import Change, Comment, Inspection
from wtpf_cli.ooxml.views import text_view

InspectView: TypeAlias = Literal["all", "accept", "reject"]
INSPECT_VIEWS: tuple[InspectView, ...] = ("all", "accept", "reject")


def inspect_docx(path: Path) -> Inspection:
    """Read a .docx safely and return its tracked changes, comments and paragraphs (InputRejected if unsafe), with
    warnings for the macros and outside links it holds (never run or fetched)."""
    package = open_docx(path)
    found = read_inspection(package)
    return replace(found, warnings=found.warnings + package_hazards(package))


def docx_hazards(path: Path) -> tuple[str, ...]:
    """The macros and outside links a .docx holds, as warnings (see ooxml/hazards.py)."""
    return package_hazards(open_docx(path))


def render_inspection_json(inspection: Inspection, view: InspectView = "all") -> dict[str, Any]:
    """A JSON-ready document: the changes and comments (``all``), or the paragraph texts of a view."""
    if view != "all":
        return {
            "view": view,
            "paragraphs": text_view(inspection, view),
            "warnings": list(inspection.warnings),
        }
    return {
        "view": "all",
        "authors": list(inspection.authors()),
        "counts": _counts(inspection),
        "changes": [_change_json(change) for change in inspection.changes],
        "comments": [_comment_json(comment) for comment in inspection.comments],
        "warnings": list(inspection.warnings),
    }


def render_inspection_text(inspection: Inspection, view: InspectView = "all") -> list[str]:
    """Lines for the terminal: ``kind author date: text`` per change and comment, or the paragraphs of a view.

    Warnings are not in the lines: the caller prints ``inspection.warnings`` (on stderr).
    """
    if view != "all":
        return text_view(inspection, view)
    lines = [_change_line(change) for change in inspection.changes]
    lines.extend(_comment_line(comment) for comment in inspection.comments)
    if not inspection.changes and not inspection.comments:
        lines.insert(0, "no tracked changes and no comments")
    return lines


def _counts(inspection: Inspection) -> dict[str, int]:
    """How many changes of each kind, and comments."""
    counts: dict[str, int] = {}
    for change in inspection.changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    counts["comments"] = len(inspection.comments)
    return counts


def _change_json(change: Change) -> dict[str, Any]:
    """One change as JSON."""
    return {
        "kind": change.kind,
        "author": change.author,
        "date": change.date,
        "text": change.text,
        "part": change.part,
        "paragraph": change.paragraph,
        "where": change.where,
        "detail": change.detail,
        "id": change.revision_id,
    }


def _comment_json(comment: Comment) -> dict[str, Any]:
    """One comment as JSON."""
    return {
        "id": comment.comment_id,
        "author": comment.author,
        "initials": comment.initials,
        "date": comment.date,
        "text": comment.text,
        "anchor": comment.anchor,
        "paragraph": comment.paragraph,
        "parent": comment.parent_id,
        "done": comment.done,
    }


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters and bidirectional overrides that a file from
    outside could use to rewrite the screen are shown as \\uXXXX escapes."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _one_line(text: str) -> str:
    """Text on one line: line breaks as ↵, tabs as spaces, control characters escaped."""
    return printable(text.replace("\r", "").replace("\n", " ↵ ").replace("\t", " "))


def _who(author: str, date: str | None) -> str:
    """``author date``, naming what is missing."""
    return printable(f"{author or '(no author)'} {date or '(no date)'}")


def _change_line(change: Change) -> str:
    """``kind author date: text`` for a change, with its detail and place."""
    kind = f"{change.kind} ({change.detail})" if change.detail else change.kind
    place = f"  [{change.where}]" if change.part != "document" or change.where != "body" else ""
    return f"{kind} {_who(change.author, change.date)}: {_one_line(change.text)}{place}"


def _comment_line(comment: Comment) -> str:
    """``comment author date: text`` for a comment (``reply`` for a reply), with the text it is anchored on."""
    kind = (
        f"reply {comment.comment_id} to {comment.parent_id}" if comment.parent_id else f"comment {comment.comment_id}"
    )
    anchor = f'  [on "{_one_line(comment.anchor)}"]' if comment.anchor else ""
    done = " (resolved)" if comment.done else ""
    return f"{kind} {_who(comment.author, comment.date)}: {_one_line(comment.text)}{done}{anchor}"
