"""The `wtpf` command line: thin typer commands over the library; errors mapped to exit codes once, here."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__
from .cli_common import STATE, err_console, print_json, workspace
from .errors import EXIT_INTERRUPTED, WtpfError


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


def _warn(warnings: tuple[str, ...] | list[str]) -> None:
    for w in warnings:
        err_console().print(f"[yellow]warning:[/] {w}")


@app.command()
def init(
    directory: Annotated[Path | None, typer.Argument(help="Folder for the workspace (default: -C or here).")] = None,
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = ...,  # type: ignore[assignment]
    symbol_prefix: Annotated[
        str, typer.Option("--symbol-prefix", help="Document symbol prefix, e.g. WTPF-IEG/1.")
    ] = ...,  # type: ignore[assignment]
    secretariat: Annotated[
        str,
        typer.Option("--secretariat", help="The source that the secretariat's changes are attributed to."),
    ] = "Secretariat",
    from_file: Annotated[
        Path | None, typer.Option("--from", help="Start from this Markdown file instead of the template.")
    ] = None,
) -> None:
    """Create a workspace: git repository, wtpf.toml, the draft (report.md), and a first commit.

    Example: `wtpf init report --title "Report of the Secretary-General" --symbol-prefix WTPF-IEG/1
    --secretariat "ITU Secretariat"`
    """
    from .workspace import init_workspace

    target = directory if directory is not None else STATE.directory
    if directory is not None and not directory.is_absolute():
        target = STATE.directory / directory
    result = init_workspace(
        target, title=title, symbol_prefix=symbol_prefix, secretariat=secretariat, from_file=from_file
    )
    err_console().print(
        f"Workspace ready in [bold]{result.root}[/]: edit {result.draft_path.name}, then `wtpf stamp next`."
    )


@app.command("stamp")
def stamp_cmd(
    name: Annotated[str, typer.Argument(help='A ladder name ("First Draft"), its slug, or `next`.')],
    symbol: Annotated[str | None, typer.Option("--symbol", help="Document symbol (default: next number).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Version date, YYYY-MM-DD (default: today).")] = None,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="Re-issue an already stamped version as (Rev.1), (Rev.2)...")
    ] = False,
) -> None:
    """Stamp the committed draft as a version: front matter, a commit, and an annotated tag."""
    from .versions import stamp

    result = stamp(workspace(), name, symbol=symbol, date=date, reissue=reissue)
    v = result.version
    err_console().print(f"Stamped [bold]{v.name}[/] as {v.symbol}, dated {v.date} (tag {v.tag}).")


@app.command()
def versions(json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False) -> None:
    """The ladder so far: name, symbol, date, tag, words, changes and sources since the previous version."""
    from rich.table import Table

    from .versions import version_rows

    rows = version_rows(workspace())
    if json_out:
        print_json([r.as_json() for r in rows])
        return
    table = Table("Version", "Symbol", "Date", "Words", "Changes", "Sources", "Tag")
    for r in rows:
        table.add_row(r.name, r.symbol, r.date, str(r.words), str(r.changes), ", ".join(r.sources), r.tag)
    from rich.console import Console

    Console().print(table)


@app.command()
def build(
    version: Annotated[str | None, typer.Argument(help="Version (name, slug, symbol or git revision).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file or folder.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="docx, html (one self-contained page) or md.")] = "docx",
) -> None:
    """A clean document of a version (default: the working draft) in the house template."""
    from .outputs import build as build_doc

    written = build_doc(workspace(), version, output, fmt)
    _warn(written.warnings)
    err_console().print(f"Wrote {written.label} to [bold]{written.path}[/]")


@app.command()
def redline(
    from_version: Annotated[str, typer.Argument(metavar="FROM", help="The older version (`latest`: the last stamped)")],
    to_version: Annotated[
        str | None, typer.Argument(metavar="[TO]", help="The newer version (default: the working draft).")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file or folder.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="docx, html (one self-contained page), or text for the terminal.")
    ] = "docx",
    single_author: Annotated[
        str | None,
        typer.Option("--single-author", help="Attribute every change to NAME (like Word Compare)."),
    ] = None,
    changed_only: Annotated[
        bool, typer.Option("--changed-only", help="With --format text: show only changed paragraphs.")
    ] = False,
) -> None:
    """Revision marks between two versions, each change attributed to the source whose commit made it.

    Example: `wtpf redline "First Draft" "Second Draft" -o redline.docx`
    """
    from .redline import RedlineRequest

    ws = workspace()
    request = RedlineRequest(from_version, to_version, single_author)
    if fmt == "text":
        from rich.console import Console

        from .console import redline_text
        from .redline import make_redline

        result = make_redline(ws, request)
        Console(highlight=False, soft_wrap=True).print(redline_text(result.redline, changed_only=changed_only))
        return
    if fmt not in ("docx", "html"):
        from .errors import UsageError

        raise UsageError(f"--format {fmt!r}: redline writes docx, html or text")
    from .outputs import redline_docx, redline_html

    written, result = (redline_html if fmt == "html" else redline_docx)(ws, request, output)
    sources = ", ".join(result.redline.sources) or "no changes"
    err_console().print(f"Wrote {written.label} to [bold]{written.path}[/] ({sources})")


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="New folder for the example workspace.")] = Path("wtpf-demo"),
) -> None:
    """Build an example workspace from drafts/ (a WTPF report through four versions) and write its outputs."""
    from .demo import run_demo

    err = err_console()
    target = directory if directory.is_absolute() else STATE.directory / directory
    with err.status("Replaying the example history...") as status:
        result = run_demo(target, lambda msg: status.update(msg))
    for v in result.versions:
        err.print(f"  stamped {v.name} ({v.symbol}, {v.date})")
    err.print(f"Sources: {', '.join(result.sources)}")
    if result.late:
        err.print(f"Late: {'; '.join(result.late)}")
    err.print(f"Clean document:  [bold]{result.clean.path}[/]")
    err.print(f"Redline:         [bold]{result.redline.path}[/]")
    err.print(f"Redline page:    [bold]{result.page.path}[/]")
    err.print(f'Try: wtpf -C {result.root} redline "First Draft" "Third Draft" --format text --changed-only')


from .cli_contrib import commit, contribution_app, inspect, merge, resolve  # noqa: E402  (commands beside this module)

app.add_typer(contribution_app, name="contribution")
from .cli_report import check, schedule, status  # noqa: E402

for command in (inspect, merge, resolve, commit, status, schedule, check):
    app.command()(command)
from .cli_blame import blame  # noqa: E402

app.command()(blame)


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
