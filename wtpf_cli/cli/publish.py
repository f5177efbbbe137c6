"""`wtpf publish`: the ladder of versions as a static folder to post online."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

import wtpf_cli as api
from wtpf_cli.cli.common import err_console, here, say, show_messages, workspace

if TYPE_CHECKING:
    from rich.console import Console


def publish(
    output: Annotated[Path, typer.Option("-o", "--output", help="The site's folder.", metavar="SITE")] = Path("site"),
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Leave out the PDF files (they need LibreOffice).")] = False,
) -> None:
    """Post every stamped version into a static folder: index.html (the ladder, the timetable, the contributions)
    and, for each version, its .docx, .pdf and .html and its redline against the version before (.docx, .html).
    Names stay the same from run to run, and files whose bytes did not change are left untouched.

    Example: `wtpf publish -o site/` (then upload site/ to a web server, or let CI post it to GitHub Pages)
    """
    ws = workspace()
    with progress_bar(err_console()) as advance:
        made = api.publish(ws, here(output), pdf=not no_pdf, progress=advance)
    show_messages(made.messages)
    site = made.value
    removed = f", {len(site.removed)} removed" if site.removed else ""
    say(
        f"Published {len(site.versions)} version(s) to [bold]{site.folder}[/]: {len(site.written)} file(s) "
        f"written, {len(site.unchanged)} unchanged{removed}"
    )


@contextmanager
def progress_bar(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on a terminal (gone when done); elsewhere, as in a CI log, one line per step."""
    if not console.is_terminal:
        yield lambda what, done, total: console.print(f"[{done + 1}/{total}] {what}") if done < total else None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("Publishing", total=None)
        yield lambda what, done, total: bar.update(task, description=what, completed=done, total=total)
