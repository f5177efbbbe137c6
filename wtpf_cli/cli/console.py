"""Terminal output with rich: the text redline in colours, messages on stderr."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.text import Text

from wtpf_cli.render.text import Line, Segment, TextBlock, TextTable, marked_text

if TYPE_CHECKING:
    from rich.table import Table

TERMINAL_PALETTE = (
    "green",
    "magenta",
    "cyan",
    "yellow",
    "blue",
    "red",
    "bright_green",
    "bright_magenta",
    "bright_cyan",
)


def source_colours(sources: tuple[str, ...]) -> dict[str, str]:
    """A stable colour for each source, in order of first appearance."""
    return {s: TERMINAL_PALETTE[i % len(TERMINAL_PALETTE)] for i, s in enumerate(sources)}


def _style(segment: Segment, colours: dict[str, str]) -> str:
    if segment.mark == "deleted":
        return f"strike {colours.get(segment.source, 'red')}"
    if segment.mark == "inserted":
        return f"underline {colours.get(segment.source, 'green')}"
    if segment.mark == "note":
        return "dim"
    if segment.mark == "source":
        return colours[segment.source]
    return ""


def _text(line: Line, colours: dict[str, str]) -> Text:
    out = Text()
    for segment in line:
        out.append(segment.text, style=_style(segment, colours))
    return out


def coloured_redline(blocks: Iterable[TextBlock], sources: tuple[str, ...]) -> Group:
    """The text redline for a terminal: deletions struck, insertions underlined, both in their source's colour."""
    colours = source_colours(sources)
    parts: list[Text | Table] = []
    for block in blocks:
        if isinstance(block, TextTable):
            drawn = table(show_header=False, show_lines=False)
            for row in block.rows:
                drawn.add_row(*(_text(cell, colours) for cell in row))
            parts.append(drawn)
        else:
            parts.append(_text(block, colours))
    return Group(*parts)


def print_redline(blocks: Iterable[TextBlock], sources: tuple[str, ...], console: Console) -> None:
    """The text redline: in colours on a terminal; in a pipe, a file or with NO_COLOR with visible marks."""
    if console.is_terminal and not console.no_color:
        console.print(coloured_redline(blocks, sources))
    else:
        console.file.write(marked_text(blocks))


def print_table(drawn: Table, console: Console) -> None:
    """A table in full: on a terminal drawn, long values folded rather than cut; elsewhere as plain columns."""
    if console.is_terminal:
        for column in drawn.columns:
            column.overflow = "fold"
        console.print(drawn)
    else:
        console.file.write(plain_table(drawn))


def plain_table(drawn: Table) -> str:
    """A table as lines of columns two spaces apart, header first, each value whole (for pipes and CI logs)."""
    from rich.cells import cell_len  # only where a table goes to a pipe

    columns = [[_plain(cell) for cell in column.cells] for column in drawn.columns]
    rows = [list(row) for row in zip(*columns, strict=True)]
    if drawn.show_header:
        rows.insert(0, [_plain(column.header) for column in drawn.columns])
    widths = [max((cell_len(row[k]) for row in rows), default=0) for k in range(len(drawn.columns))]
    lines = [_plain(drawn.title)] if drawn.title else []
    for row in rows:
        cells = [cell + " " * (widths[k] - cell_len(cell)) for k, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "".join(f"{line}\n" for line in lines)


def _plain(cell: object) -> str:
    """A cell's text without its styles (markup in a string read as rich would)."""
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        return Text.from_markup(cell).plain
    return str(cell)


def stderr_console() -> Console:
    """Where messages, warnings and progress go (stdout stays for data)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def table(*columns: str, **options: Any) -> Table:
    """A table for the terminal."""
    from rich.table import Table  # rich's tables: loaded by the commands that draw one

    return Table(*columns, **options)
