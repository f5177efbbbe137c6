"""Drafting commands: `wtpf init`, `stamp`, `versions`, `build`, `redline` and `demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import wtpf_cli as api
from wtpf_cli.cli.common import (
    STATE,
    err_console,
    here,
    out_console,
    print_json,
    show_messages,
    table,
    workspace,
)
from wtpf_cli.render.formats import BuildFormat, RedlineFormat


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
    target = STATE.directory if directory is None else here(directory)
    made = api.init(target, title=title, symbol_prefix=symbol_prefix, secretariat=secretariat, from_file=from_file)
    err_console().print(
        f"Workspace ready in [bold]{made.root}[/]: edit {made.draft_path.name}, then `wtpf stamp next`."
    )


def stamp(
    name: Annotated[str, typer.Argument(help='A ladder name ("First Draft"), its slug, or `next`.')],
    symbol: Annotated[str | None, typer.Option("--symbol", help="Document symbol (default: next number).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Version date, YYYY-MM-DD (default: today).")] = None,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="Re-issue an already stamped version as (Rev.1), (Rev.2)...")
    ] = False,
) -> None:
    """Stamp the committed draft as a version: front matter, a commit, and an annotated tag."""
    v = api.stamp(workspace(), name, symbol=symbol, date=date, reissue=reissue).version
    err_console().print(f"Stamped [bold]{v.name}[/] as {v.symbol}, dated {v.date} (tag {v.tag}).")


def versions(json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False) -> None:
    """The ladder so far: name, symbol, date, tag, words, changes and sources since the previous version."""
    rows = api.versions(workspace())
    if json_out:
        print_json([r.as_json() for r in rows])
        return
    drawn = table("Version", "Symbol", "Date", "Words", "Changes", "Sources", "Tag")
    for r in rows:
        drawn.add_row(r.name, r.symbol, r.date, str(r.words), str(r.changes), ", ".join(r.sources), r.tag)
    out_console().print(drawn)


def build(
    version: Annotated[str | None, typer.Argument(help="Version (name, slug, symbol or git revision).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file or folder.")] = None,
    fmt: Annotated[
        BuildFormat | None,
        typer.Option("--format", help="docx, html (one self-contained page), md or pdf (default: -o's extension)."),
    ] = None,
) -> None:
    """A clean document of a version (default: the working draft) in the house template (pdf: made from it by
    LibreOffice)."""
    made = api.build(workspace(), version, output=output, fmt=fmt)
    show_messages(made.messages)
    err_console().print(f"Wrote {made.value.label} to [bold]{made.value.path}[/]")


def redline(
    from_version: Annotated[str, typer.Argument(metavar="FROM", help="The older version (`latest`: the last stamped)")],
    to_version: Annotated[
        str | None, typer.Argument(metavar="[TO]", help="The newer version (default: the working draft).")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file or folder.")] = None,
    fmt: Annotated[
        RedlineFormat | None,
        typer.Option(
            "--format", help="docx, html (one self-contained page), pdf, or text for the terminal (default: -o's)."
        ),
    ] = None,
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
    ws = workspace()
    made = api.redline(
        ws, from_version, to_version, output=output, fmt=fmt, single_author=single_author, changed_only=changed_only
    )
    show_messages(made.messages)
    written = made.value.written
    if written is None:
        from wtpf_cli.cli.console import coloured_redline  # rich: when a command prints

        text = coloured_redline(made.value.text, made.value.made.redline.sources)
        out_console(highlight=False, soft_wrap=True).print(text)
    else:
        err_console().print(f"Wrote {written.label} to [bold]{written.path}[/] ({made.value.sources_line()})")


def demo(
    directory: Annotated[Path, typer.Argument(help="New folder for the example workspace.")] = Path("wtpf-demo"),
) -> None:
    """Build an example workspace from drafts/ (a WTPF report through four versions) and write its outputs: the
    clean document, the redline (.docx and .html) and the site of the whole ladder (`wtpf publish`)."""
    err = err_console()
    with err.status("Replaying the example history...") as status:
        made = api.demo(here(directory), lambda msg: status.update(msg))
    show_messages(made.messages)
    result = made.value
    for v in result.versions:
        err.print(f"  stamped {v.name} ({v.symbol}, {v.date})")
    err.print(f"Sources: {', '.join(result.sources)}")
    if result.late:
        err.print(f"Late: {'; '.join(result.late)}")
    err.print(f"Clean document:  [bold]{result.clean.path}[/]")
    err.print(f"Redline:         [bold]{result.redline.path}[/]")
    err.print(f"Redline page:    [bold]{result.page.path}[/]")
    if result.site is not None:
        err.print(f"Site to post:    [bold]{result.site}[/]")
    err.print(f'Try: wtpf -C {result.root} redline "First Draft" "Third Draft" --format text --changed-only')
