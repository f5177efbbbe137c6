"""The delegate corpus's vocabulary: base.md's lines, substitutions of them, a delegate's file, a case.

A case is one or more delegates' files made from the build of ``base.md`` and what report.md must hold after a
right merge, written as exact text substitutions of ``base.md`` (each ``old`` occurs exactly once; written by
hand from the operation, never by wtpf). ``File.alone`` is what that one file says on its own (its Accept All,
checked through pandoc); ``Case.expected`` is the merged draft when it is more than every file's ``alone``.
"""

from __future__ import annotations

from dataclasses import dataclass

from support import delegates as d
from support.delegates import Op

Sub = tuple[str, str]

P11 = (
    "1.1. The Forum will discuss **the issues** raised in *Resolution 101* and on [the ITU site](https://www.itu.int/)."
)
P12 = "1.2. IPv6 adoption remains slow[^1] in most regions."
P13 = "1.3. This paragraph closes the introduction."
P21 = "2.1. The principles below guide the work."
B1, B2, B3 = (
    "- Open participation of all stakeholders.",
    "- Exchange points keep local traffic local.",
    "- Capacity building in developing countries.",
)
P22 = "2.2. The steps are taken in this order:"
N1, N2, N3 = "1. Consult the membership.", "2. Draft the opinions.", "3. Adopt the report."
P23 = "2.3. Regional status is summarised below."
TABLE = [
    ["Region", "Status", "Year"],
    ["ARIN", "exhausted", "2015"],
    ["RIPE", "exhausted", "2019"],
    ["APNIC", "waiting", "2011"],
]
ALIGN = [":--", ":--", "--:"]
P24 = "2.4. The table is indicative only.[^2]"
P251 = "2.5.1. Further work is planned for the next session."
P31 = "3.1. The Forum adopts this report."
NOTE1, NOTE2 = "[^1]: Source: regional registries, 2012.", "[^2]: Figures as of April 2012."


def after(line: str, *blocks: str) -> Sub:
    """Paragraph-level blocks after the paragraph or heading ``line``."""
    return line + "\n", line + "\n\n" + "\n\n".join(blocks) + "\n"


def before(line: str, *blocks: str) -> Sub:
    return line + "\n", "\n\n".join(blocks) + "\n\n" + line + "\n"


def item_after(line: str, *items: str) -> Sub:
    """List items right after the item ``line`` (no blank line: the same list)."""
    return line + "\n", line + "\n" + "".join(item + "\n" for item in items)


def dropped(line: str) -> Sub:
    """A paragraph taken out, with the blank line after it."""
    return line + "\n\n", ""


def item_dropped(line: str) -> Sub:
    """A list item taken out."""
    return line + "\n", ""


def becomes(old: str, new: str) -> Sub:
    return old, new


def table(rows: list[list[str]], align: list[str] = ALIGN) -> Sub:
    """The table written anew with ``rows`` (head first)."""

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |\n"

    old = row(TABLE[0]) + "|" + "|".join(ALIGN) + "|\n" + "".join(row(r) for r in TABLE[1:])
    new = row(rows[0]) + "|" + "|".join(align) + "|\n" + "".join(row(r) for r in rows[1:])
    return old, new


@dataclass(frozen=True)
class File:
    """One delegate's file: the source it is added under, the edits, Track Changes on or off."""

    source: str
    author: str
    ops: list[Op]
    tracking: bool
    alone: list[Sub]
    date: str = d.DATE
    received: str = d.DATE[:10]


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    position: str
    description: str
    files: list[File]
    expected: list[Sub] | None = None  # None: every file's ``alone``, in order
    note: str = ""  # what a reader of the case must know (a provisional expectation, a reader's known gap)
    pandoc_accept: bool = True  # pandoc's Accept All of each file can be compared with its ``alone``
    rejects_to_base: bool = True  # LibreOffice recorded everything: Reject All of a tracked file is the base

    def substitutions(self) -> list[Sub]:
        return self.expected if self.expected is not None else [sub for f in self.files for sub in f.alone]


SOURCE, AUTHOR = "Senegal", "Délégation du Sénégal"  # not ASCII: through LibreOffice, the XML and the merge
NEW_ROW = ["AFRINIC", "available", "2025"]


@dataclass(frozen=True)
class Kind:
    """An edit in one place, to be made with Track Changes on and off."""

    kind: str
    position: str
    description: str
    ops: list[Op]
    alone: list[Sub]
    pandoc_accept_tracked: bool = True
    rejects_to_base: bool = True
    note: str = ""


JOIN_NOTE = (
    "pandoc's Accept All puts 1.1's text into the footnote of 1.2, the paragraph it is joined to (a pandoc bug: "
    "Word and LibreOffice join the paragraphs)"
)
NEXT_STYLE_NOTE = (
    "LibreOffice writes the paragraph after the one taken out (a tracked deletion or move of a whole paragraph) "
    "with the style of the one taken out and no w:pPrChange, so Word and LibreOffice show {} so, even after "
    "Reject All; the delegate did not touch it"
)
HEADING_NOTE = NEXT_STYLE_NOTE.format("heading 2 as body text (TextBody)")


def single(kind: Kind, tracking: bool) -> Case:
    name = f"{kind.kind}-{kind.position}-{'tracked' if tracking else 'untracked'}"
    return Case(
        name=name,
        kind=kind.kind,
        position=kind.position,
        description=kind.description + ("" if tracking else " Track Changes off."),
        files=[File(SOURCE, AUTHOR, kind.ops, tracking, kind.alone)],
        note=kind.note if tracking else "",
        pandoc_accept=kind.pandoc_accept_tracked or not tracking,
        rejects_to_base=kind.rejects_to_base,
    )
