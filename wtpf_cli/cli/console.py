"""Terminal rendering with rich: the text redline, tables of versions, messages on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.text import Text

if TYPE_CHECKING:
    from rich.table import Table as RichTable

from wtpf_cli.markdown.tokens import plain_text
from wtpf_cli.model import Redline, RParagraph, RRun, RTable

PALETTE = (
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
_STYLE_PREFIX = {"Heading1": "# ", "Heading2": "## ", "Heading3": "### ", "Heading4": "#### "}


def source_colours(sources: tuple[str, ...]) -> dict[str, str]:
    """A stable colour for each source, in order of first appearance."""
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}


def _runs_text(runs: tuple[RRun, ...], colours: dict[str, str]) -> Text:
    out = Text()
    for r in runs:
        piece = plain_text([r.token])
        if r.dele is not None:
            out.append(piece, style=f"strike {colours.get(r.dele.author, 'red')}")
        elif r.ins is not None:
            out.append(piece, style=f"underline {colours.get(r.ins.author, 'green')}")
        else:
            out.append(piece)
    return out


def redline_text(redline: Redline, *, changed_only: bool = False) -> Group:
    """The redline for a terminal: deletions struck, insertions underlined, both in their source's colour."""
    colours = source_colours(redline.sources)
    parts: list[Text | RichTable] = []
    legend = Text("Sources: ")
    for i, (src, colour) in enumerate(colours.items()):
        if i:
            legend.append("  ")
        legend.append(f"■ {src}", style=colour)
    if not colours:
        legend.append("no changes")
    parts.append(legend)
    for block in redline.blocks:
        if isinstance(block, RTable):
            changed = any(r.ins or r.dele or any(t.ins or t.dele for c in r.cells for t in c) for r in block.rows)
            if changed_only and not changed:
                continue
            from rich.table import Table as RichTable  # only the text redline draws tables (5 ms of start-up)

            table = RichTable(show_header=False, show_lines=False)
            for row in block.rows:
                cells = [_runs_text(c, colours) for c in row.cells]
                if row.dele is not None:
                    cells = [Text.assemble("⊖ ", c) for c in cells]
                elif row.ins is not None:
                    cells = [Text.assemble("⊕ ", c) for c in cells]
                table.add_row(*cells)
            parts.append(table)
            continue
        para: RParagraph = block
        changed = para.ins is not None or para.dele is not None or any(r.ins or r.dele for r in para.runs)
        if changed_only and not changed:
            continue
        line = Text(_STYLE_PREFIX.get(para.props.style, ""))
        if para.props.container != "body":
            line.append(f"[^{para.props.container[3:]}]: ", style="dim")
        elif para.props.list_kind:
            line.append("  " * para.props.list_level + ("- " if para.props.list_kind == "bullet" else "1. "))
        line.append_text(_runs_text(para.runs, colours))
        if para.dele is not None:
            line.append("¶", style=f"strike {colours.get(para.dele.author, 'red')}")
        elif para.ins is not None:
            line.append("¶", style=f"underline {colours.get(para.ins.author, 'green')}")
        parts.append(line)
    return Group(*parts)


def stderr_console() -> Console:
    """Where messages, warnings and progress go (stdout stays for data)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)
