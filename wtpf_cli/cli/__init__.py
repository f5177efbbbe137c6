"""The `wtpf` command line: thin typer commands over the library; errors mapped to exit codes once, here."""

from __future__ import annotations

import logging
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from typer._click import exceptions as click_exc

import wtpf_cli as api
from wtpf_cli import __version__
from wtpf_cli.cli._typer import Group
from wtpf_cli.cli.blame import blame
from wtpf_cli.cli.comments import comments_app
from wtpf_cli.cli.common import STATE
from wtpf_cli.cli.contrib import commit, contribution_app, inspect, merge, resolve
from wtpf_cli.cli.draft import build, demo, init, redline, stamp, versions
from wtpf_cli.cli.params import each_parameter, shown_as_flag
from wtpf_cli.cli.publish import publish
from wtpf_cli.cli.report import check, schedule, status
from wtpf_cli.errors import EXIT_INTERRUPTED, WtpfError


class App(Group):
    """The top-level group of `wtpf`: every flag is shown as a flag in `--help`."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        each_parameter(self, shown_as_flag)


app = typer.Typer(
    cls=App,
    name="wtpf",
    help=(
        "Draft a report through versions, with every change attributed to its source, and post Word files "
        "with revision marks.\n\nStart with `wtpf demo` to see a whole history, or `wtpf init` for your own."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"wtpf {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    directory: Annotated[
        Path | None, typer.Option("-C", help="Run as if started in DIR (like git -C).", metavar="DIR")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Global options."""
    STATE.directory = directory or Path(".")
    STATE.debug = debug


_COMMANDS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("init", init),
    ("stamp", stamp),
    ("versions", versions),
    ("build", build),
    ("redline", redline),
    ("inspect", inspect),
    ("merge", merge),
    ("resolve", resolve),
    ("commit", commit),
    ("status", status),
    ("schedule", schedule),
    ("check", check),
    ("blame", blame),
    ("publish", publish),
    ("demo", demo),
)
for name, command in _COMMANDS:
    app.command(name)(command)
app.add_typer(contribution_app, name="contribution")
app.add_typer(comments_app, name="comments")


def main() -> None:
    """Entry point: run the app and map every failure to one stderr line and an exit code."""
    notes = logging.StreamHandler(sys.stderr)  # the core's notes (a stale lock taken over, a change rolled back)
    notes.setFormatter(logging.Formatter("wtpf: note: %(message)s"))
    logging.getLogger("wtpf").addHandler(notes)
    logging.getLogger("wtpf").propagate = False
    api.hold_interrupts_after_commit()
    try:
        code = app(standalone_mode=False)
    except WtpfError as exc:
        if STATE.debug:
            traceback.print_exc()
        sys.stderr.write(f"wtpf: {exc.one_line()}\n")
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _interrupted(raised=True)
    except click_exc.ClickException as exc:
        hint = " (see `wtpf --help`)" if isinstance(exc, click_exc.UsageError) else ""
        if exc.format_message():
            sys.stderr.write(f"wtpf: {exc.format_message()}{hint}\n")
        sys.exit(2 if isinstance(exc, click_exc.UsageError) else 1)
    except OSError as exc:
        if STATE.debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"wtpf: {where}{exc.strerror or exc}\n")
        sys.exit(5)
    if code == EXIT_INTERRUPTED:  # typer turns KeyboardInterrupt into a silent Exit(130)
        _interrupted(raised=True)
    # From here Ctrl-C is ignored (the interpreter's exit would die of it); one that came after the change was
    # made, and was only noted, is said now.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if api.interrupted_change() is not None:
        _interrupted()
    sys.exit(code if isinstance(code, int) else 0)


def _interrupted(*, raised: bool = False) -> None:
    """Say that Ctrl-C stopped the command (and whether its change was made), and exit 130."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # leaving: a second Ctrl-C must not cut the message short
    sha = api.interrupted_change(raised)
    sys.stderr.write(f"wtpf: interrupted after the change was committed ({sha})\n" if sha else "wtpf: interrupted\n")
    sys.exit(EXIT_INTERRUPTED)
