"""What the command modules share: the global options, the workspace they name, and where output goes."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import wtpf_cli as api
from wtpf_cli.cli._json import dumps_indented

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from wtpf_cli.messages import Message
    from wtpf_cli.store.workspace import Workspace


class State:
    """Global options, resolved once."""

    directory: Path = Path(".")
    debug: bool = False


STATE = State()


def workspace(*, warn: bool = True) -> Workspace:
    """The workspace named by -C (or the current folder); what is wrong in its settings is printed as warnings
    (not with `warn` False: `check` lists it among its findings)."""
    ws = api.open_workspace(STATE.directory)
    if warn:
        show_messages(api.workspace_warnings(ws))
    return ws


def here(path: Path) -> Path:
    """A path given on the command line, relative to -C's folder."""
    return path if path.is_absolute() else STATE.directory / path


def out_console(**options: Any) -> Console:
    """Where a command's text goes (stdout)."""
    from rich.console import Console  # rich: when a command prints

    return Console(**options)


def say(text: str) -> None:
    """A result line on stdout (what the command did: written, stamped, registered), rich markup allowed."""
    out_console(highlight=False, soft_wrap=True).print(text)


def show_table(drawn: Table, *, empty: str = "") -> None:
    """A table on stdout, every value whole: drawn on a terminal (long values fold onto the next line), plain
    aligned columns elsewhere (a pipe, a CI log); `empty` instead when it has no rows."""
    from wtpf_cli.cli.console import print_table  # rich: when a command prints

    if empty and not drawn.row_count:
        say(empty)
    else:
        print_table(drawn, out_console())


def err_console() -> Console:
    """Where messages, warnings and progress go (stderr)."""
    from wtpf_cli.cli.console import stderr_console  # rich: when a command prints

    return stderr_console()


def table(*columns: str, **options: Any) -> Table:
    """A table for the terminal."""
    from wtpf_cli.cli.console import table as rich_table  # rich: when a command prints

    return rich_table(*columns, **options)


def show_messages(messages: Iterable[Message], *, about: bool = False) -> None:
    """Each message on stderr, its kind in yellow: 'warning: TEXT', or with `about` 'warning (WHERE): TEXT' (the
    merge says which contribution each is about)."""
    from rich.markup import escape  # rich: when a command prints

    for m in messages:  # (escaped: a message may quote `[report]` or `[[Brazil: shall]]`, not rich markup)
        if about and m.where is not None:
            err_console().print(f"[yellow]{m.kind}[/] ({escape(m.where)}): {escape(m.text)}")
        else:
            err_console().print(f"[yellow]{m.kind}:[/] {escape(m.text)}")


def print_json(data: object) -> None:
    """One JSON document on stdout."""
    print_json_text(dumps_indented(data))


def print_json_text(text: str) -> None:
    """One JSON document, already written as print_json writes it, on stdout."""
    sys.stdout.write(text + "\n")
