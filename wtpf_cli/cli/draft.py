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
    say,
    show_messages,
    show_table,
    table,
    workspace,
)
from wtpf_cli.render.formats import BuildFormat, RedlineFormat

OUTPUT_HELP = "Output file, or folder (a name ending in / is made); its extension picks the format."


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
    say(f"Workspace ready in [bold]{made.root}[/]: edit {made.draft_path.name}, then `wtpf stamp next`.")


def stamp(
    name: Annotated[str, typer.Argument(help='A ladder name ("First Draft"), its slug, or `next`.')],
    symbol: Annotated[str | None, typer.Option("--symbol", help="Document symbol (default: next number).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Version date, YYYY-MM-DD (default: today).")] = None,
    reissue: Annotated[
        bool,
        typer.Option("--reissue", help="Re-issue an already stamped version as (Rev.1), (Rev.2)..., changed or not."),
    ] = False,
) -> None:
    """Stamp the committed draft as a version: front matter, a commit, and an annotated tag.

    A draft unchanged since the last stamp is refused: post the same text again with --reissue.

    Example: `wtpf stamp next --date 2012-04-13` (the next name on the ladder, the next symbol of the series)
    """
    v = api.stamp(workspace(), name, symbol=symbol, date=date, reissue=reissue).version
    say(f"Stamped [bold]{v.name}[/] as {v.symbol}, dated {v.date} (tag {v.tag}).")


def versions(json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False) -> None:
    """The ladder so far: name, symbol, date, tag, words, changes and sources since the previous version.

    Example: `wtpf versions --json`
    """
    rows = api.versions(workspace())
    if json_out:
        print_json([r.as_json() for r in rows])
        return
    drawn = table("Version", "Symbol", "Date", "Words", "Changes", "Sources", "Tag")
    for r in rows:
        drawn.add_row(r.name, r.symbol, r.date, str(r.words), str(r.changes), ", ".join(r.sources), r.tag)
    show_table(drawn)


def build(
    version: Annotated[str | None, typer.Argument(help="Version (name, slug, symbol or git revision).")] = None,
    output: Annotated[str | None, typer.Option("-o", "--output", help=OUTPUT_HELP, metavar="OUT")] = None,
    fmt: Annotated[
        BuildFormat | None,
        typer.Option("--format", help="docx, html (one page), md or pdf (default: -o's extension, or docx)."),
    ] = None,
) -> None:
    """A clean document of a version (default: the working draft) in the house template (pdf: as LibreOffice
    prints it).

    Example: `wtpf build "Second Draft" -o out/` (out/WTPF-IEG-1-10_Second-Draft.docx) · `wtpf build -o draft.html`
    """
    made = api.build(workspace(), version, output=output, fmt=fmt)
    show_messages(made.messages)
    say(f"Wrote {made.value.label} to [bold]{made.value.path}[/]")


def redline(
    from_version: Annotated[str, typer.Argument(metavar="FROM", help="The older version (`latest`: the last stamped)")],
    to_version: Annotated[
        str | None, typer.Argument(metavar="[TO]", help="The newer version (default: the working draft).")
    ] = None,
    output: Annotated[str | None, typer.Option("-o", "--output", help=OUTPUT_HELP, metavar="OUT")] = None,
    fmt: Annotated[
        RedlineFormat | None,
        typer.Option(
            "--format",
            help="docx, html (one page), pdf, or text for the terminal (default: -o's extension, or docx).",
        ),
    ] = None,
    single_author: Annotated[
        str | None,
        typer.Option("--single-author", help="Attribute every change to NAME (like Word Compare)."),
    ] = None,
    changed_only: Annotated[
        bool, typer.Option("--changed-only", help="With --format text: show only changed paragraphs.")
    ] = False,
    no_moves: Annotated[
        bool,
        typer.Option(
            "--no-moves", help="Mark a moved paragraph or sentence as deleted and inserted (for older readers)."
        ),
    ] = False,
    no_summary: Annotated[
        bool, typer.Option("--no-summary", help="Leave out the first page that says what changed (docx).")
    ] = False,
) -> None:
    """Revision marks between two versions, each change attributed to the source whose commit made it.

    `--format text` colours the changes on a terminal; in a pipe, a file or with NO_COLOR it marks them as git's
    word diff does, each followed by its source: `[-may-]{+shall+}<Brazil>`.

    Example: `wtpf redline "First Draft" "Second Draft" -o redline.docx`
    """
    ws = workspace()
    made = api.redline(
        ws,
        from_version,
        to_version,
        output=output,
        fmt=fmt,
        single_author=single_author,
        changed_only=changed_only,
        moves=not no_moves,
        summary=not no_summary,
    )
    show_messages(made.messages)
    written = made.value.written
    if written is None:
        from wtpf_cli.cli.console import print_redline  # rich: when a command prints

        print_redline(made.value.text, made.value.made.redline.sources, out_console(highlight=False, soft_wrap=True))
    else:
        say(f"Wrote {written.label} to [bold]{written.path}[/] ({made.value.sources_line()})")


def demo(
    directory: Annotated[Path, typer.Argument(help="New folder for the example workspace.")] = Path("wtpf-demo"),
) -> None:
    """Build an example workspace from drafts/ (a WTPF report through four versions) and write its outputs: the
    clean document, the redline (.docx and .html) and the site of the whole ladder (`wtpf publish`).

    The folder becomes a git repository of its own, even inside another repository, which it never touches.

    Example: `wtpf demo wtpf-demo`, then `wtpf -C wtpf-demo versions`
    """
    err = err_console()
    if err.is_terminal:
        with err.status("Replaying the example history...") as status:
            made = api.demo(here(directory), lambda msg: status.update(msg))
    else:
        made = api.demo(here(directory))
    show_messages(made.messages)
    result = made.value
    for v in result.versions:
        say(f"  stamped {v.name} ({v.symbol}, {v.date})")
    say(f"Sources: {', '.join(result.sources)}")
    if result.late:
        say(f"Late: {'; '.join(result.late)}")
    say(f"Clean document:  [bold]{result.clean.path}[/]")
    say(f"Redline:         [bold]{result.redline.path}[/]")
    say(f"Redline page:    [bold]{result.page.path}[/]")
    if result.site is not None:
        say(f"Site to post:    [bold]{result.site}[/]")
    say(f'Try: wtpf -C {result.root} redline "First Draft" "Third Draft" --format text --changed-only')
