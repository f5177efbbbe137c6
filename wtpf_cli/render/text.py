"""The redline as plain text for a terminal: lines of marked segments (the CLI gives each mark its colour)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias

from wtpf_cli.markdown.tokens import plain_text
from wtpf_cli.model import Redline, Revision, RParagraph, RRun, RTable

# inserted, deleted: by `source`; note: a footnote's label; source: `source` named in the legend
Mark: TypeAlias = Literal["", "inserted", "deleted", "note", "source"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text and how it is marked; `source` is whose change (or legend entry) it is."""

    text: str
    mark: Mark = ""
    source: str = ""


Line: TypeAlias = tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class TextTable:
    """A table of the redline: its rows of cells, each cell a line."""

    rows: tuple[tuple[Line, ...], ...]


TextBlock: TypeAlias = Line | TextTable

_STYLE_PREFIX = {"Heading1": "# ", "Heading2": "## ", "Heading3": "### ", "Heading4": "#### "}


def redline_lines(redline: Redline, *, changed_only: bool = False) -> Iterator[TextBlock]:
    """The legend of sources, then each paragraph (as Markdown would start it) and table; with `changed_only`,
    only those holding a change."""
    yield _legend(redline.sources)
    for block in redline.blocks:
        if isinstance(block, RTable):
            changed = any(r.ins or r.dele or any(t.ins or t.dele for c in r.cells for t in c) for r in block.rows)
            if not changed_only or changed:
                yield _table(block)
            continue
        changed = (
            block.ins is not None
            or block.dele is not None
            or block.kind_change is not None
            or any(r.ins or r.dele or r.formatted for r in block.runs)
        )
        if not changed_only or changed:
            yield _paragraph(block)


def _legend(sources: tuple[str, ...]) -> Line:
    out = [Segment("Sources: ")]
    for i, src in enumerate(sources):
        if i:
            out.append(Segment("  "))
        out.append(Segment(f"■ {src}", "source", src))
    if not sources:
        out.append(Segment("no changes"))
    return tuple(out)


def _table(table: RTable) -> TextTable:
    rows = []
    for row in table.rows:
        prefix = "⊖ " if row.dele is not None else "⊕ " if row.ins is not None else ""
        cells = [_runs(c) for c in row.cells]
        rows.append(tuple((Segment(prefix), *c) if prefix else c for c in cells))
    return TextTable(tuple(rows))


def _paragraph(para: RParagraph) -> Line:
    out = [Segment(_STYLE_PREFIX.get(para.props.style, ""))]
    if para.props.container != "body":
        out.append(Segment(f"[^{para.props.container[3:]}]: ", "note"))
    elif para.props.list_kind:
        out.append(Segment("  " * para.props.list_level + ("- " if para.props.list_kind == "bullet" else "1. ")))
    out.extend(_runs(para.runs))
    if para.dele is not None or para.ins is not None:
        out.append(_marked("¶", para.ins, para.dele))
    return tuple(out)


def _runs(runs: tuple[RRun, ...]) -> Line:
    return tuple(_marked(plain_text([r.token]), r.ins, r.dele) for r in runs)


def _marked(text: str, ins: Revision | None, dele: Revision | None) -> Segment:
    """A deletion shows as deleted even where the same source inserted it first."""
    if dele is not None:
        return Segment(text, "deleted", dele.author)
    if ins is not None:
        return Segment(text, "inserted", ins.author)
    return Segment(text)


# Marks a log can show without colour, as git's word diff does ([-old-]{+new+}); the source follows each change.
_OPEN = {"deleted": "[-", "inserted": "{+"}
_CLOSE = {"deleted": "-]", "inserted": "+}"}


def marked_line(line: Line) -> str:
    """A line with visible marks: `[-old-]{+new+}<Source>`, the source named once after each run of its changes
    (a legend entry as `■ Source`, a footnote label as it is)."""
    runs: list[list[str]] = []  # [mark, source, text]: neighbouring segments of one mark and source joined
    for segment in line:
        kind = segment.mark if segment.mark in _OPEN else ""
        by = segment.source if kind else ""
        if runs and runs[-1][:2] == [kind, by]:
            runs[-1][2] += segment.text
        else:
            runs.append([kind, by, segment.text])
    out: list[str] = []
    for k, (what, source, text) in enumerate(runs):
        if not what:
            out.append(text)
            continue
        out.append(f"{_OPEN[what]}{text}{_CLOSE[what]}")
        after = runs[k + 1] if k + 1 < len(runs) else None
        if after is None or not after[0] or after[1] != source:
            out.append(f"<{source}>")
    return "".join(out)


def marked_text(blocks: Iterable[TextBlock]) -> str:
    """The text redline with visible marks, for a log or a file: each paragraph a line, each table row a line of
    cells between `|`."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, TextTable):
            lines += ["| " + " | ".join(marked_line(cell) for cell in row) + " |" for row in block.rows]
        else:
            lines.append(marked_line(block))
    return "\n".join(lines) + "\n"
