"""The walk over a part of a .docx (body, footnote, endnote): an explicit stack, never recursion over the document's
nesting, each element given to the handler of its tag (walk_blocks.py, walk_runs.py) with what the walk knows there.

The walk keeps what it has read: paragraphs in document order (the body, table cells row by row where the table
stands), the changes being read, note references, comment anchors, open fields.
"""

from __future__ import annotations

import bisect
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from lxml import etree

from wtpf_cli.ooxml.revisions import ChangeKind, ChangePart, Para, PartKind
from wtpf_cli.ooxml.wordml import MC, REVISION_TAGS, RPR_CHANGE, VAL, M, W

_CONTAINERS = {f"{W}{tag}" for tag in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")}
ANCHOR_LIMIT = 10_000  # characters of a comment's anchor text kept (a longer anchor is cut, with an ellipsis)
_SKIPPED = {f"{W}{tag}" for tag in ("drawing", "pict", "object", "txbxContent")} | {f"{MC}AlternateContent"}

NO_MARKS: frozenset[str] = frozenset()
_B, _I, _RSTYLE, _SHD = f"{W}b", f"{W}i", f"{W}rStyle", f"{W}shd"
_NUM_ID, _ILVL = f"{W}numId", f"{W}ilvl"
_OFF = ("0", "false", "off")
# Run properties that set a mark of revisions.MARKS (besides w:b and w:i), or one of revisions.LEFT_OUT (what
# Markdown cannot hold), each with the values of w:val that mean none (ECMA-376 Part 1, §17.3.2); a shading is
# none when it is clear with no fill.
_OTHER_MARKS: dict[object, tuple[str, tuple[str, ...]]] = {
    f"{W}strike": ("strike", _OFF),
    f"{W}color": ("colour", ("auto",)),
    f"{W}sz": ("font size", ()),
    f"{W}highlight": ("highlighting", ("none",)),
    _SHD: ("shading", ()),
    f"{W}u": ("underline", ("none",)),
    f"{W}vertAlign": ("raised or lowered text", ("baseline",)),
}
# Character styles that mean a mark: the build's code spans, and Word's and LibreOffice's strong and emphasis.
_STYLE_MARKS = {
    "VerbatimChar": "code",
    "SourceText": "code",
    "Strong": "strong",
    "StrongEmphasis": "strong",
    "Emphasis": "em",
}
_MARK_SETS: dict[frozenset[str], frozenset[str]] = {NO_MARKS: NO_MARKS}
_BOLD_ITALIC = {
    (strong, em): _MARK_SETS.setdefault(marks, marks)
    for strong, em, marks in (
        (False, False, NO_MARKS),
        (True, False, frozenset({"strong"})),
        (False, True, frozenset({"em"})),
        (True, True, frozenset({"strong", "em"})),
    )
}
IMAGE = _MARK_SETS.setdefault(frozenset({"image"}), frozenset({"image"}))


def run_properties(rpr: etree._Element) -> tuple[frozenset[str], etree._Element | None]:
    """A run's marks (revisions.MARKS and LEFT_OUT, from its first w:b, w:i... unless w:val turns them off, and
    from its character style) and its first w:rPrChange."""
    bold = italic = change = None
    other: list[str] | None = None
    for child in rpr:  # (an lxml tag filter costs more to set up than it saves here)
        tag = child.tag
        if tag == _B:
            bold = child if bold is None else bold
        elif tag == _I:
            italic = child if italic is None else italic
        elif tag == RPR_CHANGE:
            change = child if change is None else change
        elif tag == _RSTYLE:
            mark = _STYLE_MARKS.get(child.get(VAL, ""))
            if mark is not None:
                other = [mark] if other is None else [*other, mark]
        else:
            found = _OTHER_MARKS.get(tag)
            if found is not None and _set(child, tag, found[1]):
                other = [found[0]] if other is None else [*other, found[0]]
    strong = bold is not None and bold.get(VAL, "true").lower() not in _OFF
    em = italic is not None and italic.get(VAL, "true").lower() not in _OFF
    if other is None:
        return _BOLD_ITALIC[strong, em], change
    if strong:
        other.append("strong")
    if em:
        other.append("em")
    marks = frozenset(other)
    return _MARK_SETS.setdefault(marks, marks), change  # one object per mark set: contexts are kept per set


def _set(prop: etree._Element, tag: object, none: tuple[str, ...]) -> bool:
    """Whether a run property other than bold and italic is set (its w:val is not one that means none)."""
    if tag == _SHD:
        return (prop.get(VAL) or "clear").lower() not in ("clear", "nil") or (
            prop.get(f"{W}fill") or "auto"
        ).lower() not in ("auto", "")
    return (prop.get(VAL) or "").lower() not in none


@dataclass(slots=True, eq=False)
class Context:
    """What the walk knows at an element: its part and place, and the revisions around it.

    Never changed once made: where something differs the walk makes a new one (by the methods below, which cost
    less than a frozen dataclass and ``dataclasses.replace``: one context is made per run and per table cell).
    """

    part: PartKind
    where: str
    inserted: bool = False
    deleted: bool = False
    change: int | None = None
    collect: tuple[int, ...] = ()
    held_inserted: bool = False
    held_deleted: bool = False
    held_changes: tuple[int, ...] = ()
    marks: frozenset[str] = frozenset()
    href: str | None = None
    variants: dict[frozenset[str], Context] = field(default_factory=dict, init=False, repr=False)  # made by marked

    def copy(
        self,
        *,
        where: str | None = None,
        inserted: bool | None = None,
        deleted: bool | None = None,
        change: int | None = None,
        collect: tuple[int, ...] | None = None,
        held_inserted: bool | None = None,
        held_deleted: bool | None = None,
        held_changes: tuple[int, ...] | None = None,
        marks: frozenset[str] | None = None,
        href: str | None = None,
    ) -> Context:
        """A new context with the fields given changed (``change`` and ``href`` are set when given, None keeps them)."""
        return Context(
            self.part,
            self.where if where is None else where,
            self.inserted if inserted is None else inserted,
            self.deleted if deleted is None else deleted,
            self.change if change is None else change,
            self.collect if collect is None else collect,
            self.held_inserted if held_inserted is None else held_inserted,
            self.held_deleted if held_deleted is None else held_deleted,
            self.held_changes if held_changes is None else held_changes,
            self.marks if marks is None else marks,
            self.href if href is None else href,
        )

    def marked(self, marks: frozenset[str]) -> Context:
        """This context inside a run with these direct marks (made once per mark set: most runs are alike)."""
        here = self.variants.get(marks)
        if here is None:
            here = self.variants[marks] = self.copy(marks=marks)
        return here


Piece: TypeAlias = "tuple[str, bool, bool, int | None, str | None, frozenset[str], str | None]"


@dataclass
class ChangeDraft:
    """A change being read: its text grows as the walk meets it."""

    kind: ChangeKind
    author: str
    date: str | None
    part: ChangePart
    paragraph: int | None
    where: str
    detail: str
    revision_id: str | None
    pieces: list[str] = field(default_factory=list)


class ParaDraft:
    """A paragraph being read: its pieces as (text, inserted, deleted, change, note, marks, href), Segments once
    merged."""

    __slots__ = (
        "ctx",
        "index",
        "last_change",
        "mark_deleted",
        "mark_inserted",
        "marks",
        "numbering",
        "own_changes",
        "segments",
        "style",
        "style_change",
    )

    def __init__(self, index: int, ctx: Context) -> None:
        self.index = index
        self.ctx = ctx
        self.segments: list[Piece] = []
        self.mark_inserted = False
        self.mark_deleted = False
        self.style: str | None = None
        self.numbering: tuple[str, int] | None = None
        self.style_change: str | None = None
        self.own_changes: list[int] = []
        self.marks: list[tuple[ChangeKind, etree._Element]] = []
        self.last_change: int | None = None


Work: TypeAlias = "tuple[etree._Element, Context] | Callable[[], None]"
Handler: TypeAlias = "Callable[[Walk, etree._Element, Context, list[Work]], None]"
Bound: TypeAlias = "Callable[[etree._Element, Context, list[Work]], None]"
# Handlers that queue an element's children (the others only read the element itself).
QUEUEING = {"p", "tbl", "tr", "tc", "sdt", "ins", "del", "moveFrom", "moveTo", "r", "ruby", "hyperlink", "fldSimple"}


class Walk:
    """The walk over one package's parts; what it has read so far."""

    def __init__(self, handlers: Mapping[str, Handler]) -> None:
        self.handlers = handlers  # by w: tag name (without the namespace)
        self.paragraphs: list[Para] = []
        self.changes: list[ChangeDraft] = []
        self.warnings: list[str] = []
        self.para: ParaDraft | None = None
        self.next_index = 0
        self.flow = 0
        self.fields: list[bool] = []  # open complex fields: True once past "separate" (showing the result)
        self.hidden_fields = 0  # how many of them are still in their instruction (False): text shows when 0
        self.instructions: list[list[str]] = []  # each open field's instruction text (w:instrText) so far
        self.field_links: list[bool] = []  # whether each open field is a HYPERLINK field showing its result
        self.links_open: list[str] = []  # the targets of those, innermost last
        self.field_href: str | None = None  # the innermost of them: the link of the text a field result shows
        self.note_refs: dict[str, tuple[bool, bool]] = {}
        # Comment anchors: the text met while any comment is open, once, with each open comment's start in it
        # (appending each piece to every open anchor took quadratic time with many unclosed comments).
        self.open_comments: dict[str, int] = {}
        self.anchor_pieces: list[str] = []
        self.anchor_ends: list[int] = []  # the character offset after each piece
        self.anchors: dict[str, tuple[str, int | None]] = {}
        self.comment_paragraph: dict[str, int | None] = {}
        self.tables = 0
        self.links: dict[str, str] = {}  # the part's hyperlink relationships: id -> target
        self.ordinals: dict[etree._Element, int] = {}  # rows and cells numbered once per parent, not per element
        # Each tag's handler, looked up once per tag; and, per kind of holder, the handlers of the children it
        # handles in place rather than through the stack (None: the stack takes that child and those after it).
        self.dispatch: dict[object, Bound] = {}
        self.ignored: dict[object, bool] = {}  # whether the walk ignores a tag, for the tags met
        self.in_run: dict[object, Bound | None] = {}
        self.in_revision: dict[object, Bound | None] = {f"{W}r": self.bound("r")}
        self.in_paragraph: dict[object, Bound | None] = {
            f"{W}{tag}": self.bound(tag) for tag in ("r", "ins", "del", "moveFrom", "moveTo")
        }
        self.in_cell: dict[object, Bound | None] = {f"{W}p": self.bound("p")}
        self.in_row: dict[object, Bound | None] = {f"{W}tc": self.bound("tc")}
        self.in_table: dict[object, Bound | None] = {f"{W}tr": self.bound("tr")}
        self.in_body: dict[object, Bound | None] = {f"{W}p": self.bound("p"), f"{W}tbl": self.bound("tbl")}

    def release(self) -> None:
        """Drop the handlers bound to this walk and the elements it numbered: the bound handlers make a cycle
        (walk -> handler -> walk) that only the cyclic collector would free, and the elements hold their whole
        parsed part; without them reference counting frees the walk and the part as soon as they are dropped."""
        for table in (self.dispatch, self.in_run, self.in_revision, self.in_paragraph, self.in_cell, self.in_row):
            table.clear()
        self.in_table.clear()
        self.in_body.clear()
        self.ordinals.clear()

    def bound(self, name: str) -> Bound:
        """The handler of the w: tag `name`, bound to this walk."""
        return types.MethodType(self.handlers[name], self)

    def walk(self, root: etree._Element, ctx: Context) -> None:
        """Visit the children of ``root`` in document order with an explicit stack."""
        self.fields, self.instructions, self.field_links, self.links_open = [], [], [], []
        self.hidden_fields = 0
        self.field_href = None
        stack: list[Work] = []
        self.handle_in_place(list(root), ctx, stack, self.in_body)
        dispatch = self.dispatch
        while stack:
            item = stack.pop()
            if callable(item):
                item()
                continue
            element, here = item
            tag = element.tag
            handler = dispatch.get(tag)
            if handler is None:
                handler = dispatch[tag] = self.resolve(tag)[0]
            handler(element, here, stack)
        if self.fields:
            self.warnings.append(f"a field is not closed in the {ctx.part} part")

    def handle_in_place(
        self,
        children: list[etree._Element],
        ctx: Context,
        stack: list[Work],
        handlers: dict[object, Bound | None],
    ) -> None:
        """Handle children in order without the stack while their handlers allow it; queue the rest on the stack.

        Equal to queueing them all: a child that queues work of its own gets the siblings after it queued beneath
        that work. Each holder handles in place only kinds of children nested a fixed number of levels below it (the
        body, a table, its rows, their cells, a paragraph, a revision in it, a run in that), so there is no recursion
        over the document's nesting: a table in a cell, a revision in a revision go through the stack.
        """
        for position, child in enumerate(children):
            tag = child.tag
            try:
                handler = handlers[tag]
            except KeyError:
                found, queues = self.resolve(tag)
                handler = handlers[tag] = None if queues else found
            if handler is None:
                stack.extend([(c, ctx) for c in reversed(children[position:])])
                return
            depth = len(stack)
            handler(child, ctx, stack)
            if len(stack) != depth:
                stack[depth:depth] = [(c, ctx) for c in reversed(children[position + 1 :])]
                return

    def resolve(self, tag: object) -> tuple[Bound, bool]:
        """The handler of a tag, and whether it may queue work on the stack."""
        if not isinstance(tag, str):
            return self.ignore, False
        if tag.startswith(W):
            name = tag[len(W) :]
            handler = self.handlers.get(name)
            if handler is not None:
                return types.MethodType(handler, self), name in QUEUEING
            if tag in _CONTAINERS:
                return self.on_container, True
            if tag in _SKIPPED:
                return self.on_skipped, False
            return self.ignore, False
        if tag.startswith(M):
            local = tag.rsplit("}", 1)[-1]
            if local == "t":
                return self.on_math_text, False
            if local.endswith("Pr"):
                return self.ignore, False
            return self.on_math, True
        if tag == f"{MC}AlternateContent":
            return self.on_skipped, False
        return self.ignore, False

    def push(self, stack: list[Work], children: Sequence[etree._Element], ctx: Context) -> None:
        """Queue children to be visited next, in order."""
        stack.extend((child, ctx) for child in reversed(children))

    def ignore(self, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
        """An element the walk neither reads nor enters (properties, bookmarks, proofing marks, other namespaces)."""

    def on_container(self, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
        """A hyperlink, smart tag, custom XML, simple field or bidi container: its content, not its properties."""
        self.push(stack, [c for c in el if not local_name(c).endswith("Pr")], ctx)

    def on_skipped(self, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
        """A drawing, picture, embedded object, text box or alternate content: left out."""
        self.skip(el, ctx)

    def skip(self, el: etree._Element, ctx: Context) -> None:
        """Leave out drawings and text boxes, warning when they hold revisions; a paragraph holds a piece without
        text marked "image" in their place."""
        para = self.para
        if para is not None and self.visible():
            para.segments.append(("", ctx.inserted, ctx.deleted, ctx.change, None, IMAGE, ctx.href or self.field_href))
        if any(e.tag in REVISION_TAGS for e in el.iter()):
            self.warnings.append(f"tracked changes inside a drawing or text box in the {ctx.part} part are not read")

    def ignores(self, tag: object) -> bool:
        """Whether the walk ignores elements of this tag (found once per tag, and kept in ``self.ignored``)."""
        found = self.ignored.get(tag)
        if found is None:
            found = self.ignored[tag] = self.resolve(tag)[0] == self.ignore
        return found

    def on_math_text(self, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
        """Office Math text (m:t); revisions inside math runs are read as in text runs."""
        self.emit(el.text or "", ctx)

    def on_math(self, el: etree._Element, ctx: Context, stack: list[Work]) -> None:
        """Another Office Math element (its property elements, named ``…Pr``, are skipped): its content."""
        self.push(stack, list(el), ctx)

    def ordinal(self, el: etree._Element) -> int:
        """The number of an element among its parent's children of the same tag (1, 2, …).

        The siblings are numbered all at once when the first is met: counting the preceding siblings of each
        would take quadratic time on a row of many thousand cells (a small file that reads for minutes).
        """
        number = self.ordinals.get(el)
        if number is None:
            parent = el.getparent()
            if parent is None:
                return 1
            tag, count = el.tag, 0
            for child in parent:
                if child.tag == tag:
                    count += 1
                    self.ordinals[child] = count
            number = self.ordinals[el]
        return number

    def visible(self) -> bool:
        """Whether text here shows: not inside a complex field's instruction."""
        return self.hidden_fields == 0

    def current_index(self) -> int | None:
        """The index of the paragraph being read."""
        return self.para.index if self.para is not None else None

    def emit(self, text: str, ctx: Context) -> None:
        """Add text to the current paragraph, the changes around it and the open comment anchors."""
        if not text or self.para is None or not self.visible():
            return
        self.para.segments.append(
            (text, ctx.inserted, ctx.deleted, ctx.change, None, ctx.marks, ctx.href or self.field_href)
        )
        self.para.last_change = ctx.change
        for index in ctx.collect:
            self.changes[index].pieces.append(text)
        self.anchor_text(text)

    def anchor_text(self, text: str) -> None:
        """Keep text for the comment anchors open here (once, whatever their number)."""
        if self.open_comments:
            self.anchor_pieces.append(text)
            self.anchor_ends.append((self.anchor_ends[-1] if self.anchor_ends else 0) + len(text))

    def anchor_since(self, start: int) -> str:
        """The anchor text from piece ``start`` on, at most ANCHOR_LIMIT characters (an ellipsis marks the cut)."""
        begin = self.anchor_ends[start - 1] if start else 0
        stop = bisect.bisect_right(self.anchor_ends, begin + ANCHOR_LIMIT, lo=start)
        text = "".join(self.anchor_pieces[start : stop + 1])
        return text if len(text) <= ANCHOR_LIMIT else text[:ANCHOR_LIMIT] + "…"

    def new_change(
        self, kind: ChangeKind, el: etree._Element, ctx: Context, paragraph: int | None, *, detail: str = ""
    ) -> int:
        """Record a change read from a revision element; return its index."""
        self.changes.append(
            ChangeDraft(
                kind=kind,
                author=el.get(f"{W}author", ""),
                date=el.get(f"{W}date"),
                part=ctx.part,
                paragraph=paragraph,
                where=ctx.where,
                detail=detail,
                revision_id=el.get(f"{W}id"),
            )
        )
        return len(self.changes) - 1

    def join_or_new_change(self, kind: ChangeKind, el: etree._Element, ctx: Context) -> int:
        """Continue the change just before (same kind, author and date, nothing between) or record a new one."""
        para = self.para
        if para is not None and para.last_change is not None:
            last = self.changes[para.last_change]
            if (
                last.kind == kind
                and last.author == el.get(f"{W}author", "")
                and last.date == el.get(f"{W}date")
                and last.paragraph == para.index
                and para.last_change not in ctx.collect
            ):
                return para.last_change
        return self.new_change(kind, el, ctx, self.current_index())


def local_name(el: etree._Element) -> str:
    """An element's tag without its namespace."""
    tag = el.tag
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def numbering_of(numbering: etree._Element) -> tuple[str, int] | None:
    """A w:numPr's numId and level (None without a numId; level 0 when unsaid or unreadable)."""
    num_id = level = None
    for child in numbering:
        if child.tag == _NUM_ID and num_id is None:
            num_id = child.get(VAL)
        elif child.tag == _ILVL and level is None:
            level = child.get(VAL)
    if num_id is None:
        return None
    return num_id, int(level) if level is not None and level.isdigit() and len(level) < 3 else 0


def first_grandchild(holders: list[etree._Element], tag: str) -> etree._Element | None:
    """The first child with ``tag`` of any of ``holders``, in document order (ElementPath's ``holder/tag``)."""
    for holder in holders:
        for child in holder:
            if child.tag == tag:
                return child
    return None
