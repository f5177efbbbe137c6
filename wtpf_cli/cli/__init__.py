"""The `wtpf` command line: thin typer commands over the library; errors mapped to exit codes once, here."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from wtpf_cli import __version__
from wtpf_cli.cli.common import STATE
from wtpf_cli.errors import EXIT_INTERRUPTED, WtpfError


class _Coerce:
    """A parameter's coercion that answers the plain cases itself: no value, a string for a `str` parameter, or a
    string for a `Path` parameter without checks (typer's only check then: an existing path must be readable).

    Typer 0.29 builds a Pydantic TypeAdapter for each parameter it processes, even an option left out (its value
    None, which coerces to None before the adapter is used): importing Pydantic costs about 0.1 s of start-up.
    Every other value goes through typer's own coercion, built when first needed."""

    def __init__(self, param: Any, build: Any) -> None:
        self.param = param
        self.build = build
        info = param.type_descriptor.parameter_info
        single = param.nargs == 1 and not param.multiple
        annotation = param.type_descriptor.annotation
        self.plain_str = single and annotation is str and info.parser is None
        checks = ("parser", "path_type", "exists", "writable", "resolve_path", "allow_dash")
        self.plain_path = (
            single
            and annotation is Path
            and not any(getattr(info, name, True) for name in checks)
            and all(getattr(info, name, False) for name in ("file_okay", "dir_okay", "readable"))
        )

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if self.param.multiple or self.param.nargs == -1 else None
        if self.plain_str and isinstance(value, str):
            return value
        if self.plain_path and isinstance(value, str) and value and "\x00" not in value:
            path = Path(value)
            try:
                os.stat(path)
            except OSError:
                return path
            if os.access(path, os.R_OK):
                return path
        return self.build().coerce(value, param=param, ctx=ctx)


def _defer_param(param: Any) -> None:
    if hasattr(param, "type_descriptor") and "get_runtime_param" not in vars(param):
        coerce = _Coerce(param, param.get_runtime_param)
        setattr(param, "get_runtime_param", lambda: coerce)  # noqa: B010  (typer's method, on this parameter)


def _defer_coercion(command: Any) -> None:
    for param in command.params:
        _defer_param(param)
    make_help = command.get_help_option

    def help_option(ctx: Any) -> Any:  # --help is made when parsing starts: a parameter like the others
        option = make_help(ctx)
        if option is not None:
            _defer_param(option)
        return option

    setattr(command, "get_help_option", help_option)  # noqa: B010
    for sub in getattr(command, "commands", {}).values():
        _defer_coercion(sub)


class _Group(TyperGroup):
    """The top-level group: its commands' parameters coerce without Pydantic where they can (see _Coerce)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _defer_coercion(self)


app = typer.Typer(
    cls=_Group,
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


from wtpf_cli.cli.blame import blame  # noqa: E402
from wtpf_cli.cli.contrib import commit, contribution_app, inspect, merge, resolve  # noqa: E402
from wtpf_cli.cli.draft import build, demo, init, redline, stamp_cmd, versions  # noqa: E402  (commands beside this module)
from wtpf_cli.cli.report import check, schedule, status  # noqa: E402

_COMMANDS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("init", init),
    ("stamp", stamp_cmd),
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
    ("demo", demo),
)
for name, command in _COMMANDS:
    app.command(name)(command)
app.add_typer(contribution_app, name="contribution")


def main() -> None:
    """Entry point: run the app and map every failure to one stderr line and an exit code."""
    import logging

    from typer._click import exceptions as click_exc

    notes = logging.StreamHandler(sys.stderr)  # the core's notes (a stale lock taken over, a change rolled back)
    notes.setFormatter(logging.Formatter("wtpf: note: %(message)s"))
    logging.getLogger("wtpf").addHandler(notes)
    logging.getLogger("wtpf").propagate = False
    try:
        code = app(standalone_mode=False)
    except WtpfError as exc:
        if STATE.debug:
            traceback.print_exc()
        sys.stderr.write(f"wtpf: {exc.one_line()}\n")
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("wtpf: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        sys.stderr.write("wtpf: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
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
        sys.stderr.write("wtpf: interrupted\n")
    sys.exit(code if isinstance(code, int) else 0)
