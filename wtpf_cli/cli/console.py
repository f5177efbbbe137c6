"""Terminal output with rich: the text redline in colours, messages on stderr."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.text import Text

from wtpf_cli.render.text import Line, Segment, TextBlock, TextTable

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


def stderr_console() -> Console:
    """Where messages, warnings and progress go (stdout stays for data)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def table(*columns: str, **options: Any) -> Table:
    """A table for the terminal."""
    from rich.table import Table  # rich's tables: loaded by the commands that draw one

    return Table(*columns, **options)
