"""Commands for what sources send: `contribution add|list|show|decline`, `commit --source`, `inspect`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypeAlias

import typer

import wtpf_cli as api
from wtpf_cli.cli.common import (
    err_console,
    out_console,
    print_json,
    say,
    show_messages,
    show_table,
    table,
    workspace,
)
from wtpf_cli.messages import Kind, warnings
from wtpf_cli.render.formats import AnnexFormat

InspectView: TypeAlias = Literal["all", "accept", "reject"]  # as ooxml.inspection's (mypy checks they agree)
InspectFormat: TypeAlias = Literal["text", "json"]
Conflicts: TypeAlias = Literal["brackets", "stop"]

contribution_app = typer.Typer(
    help="Register contributions as received and follow their disposition.", no_args_is_help=True
)


@contribution_app.command("add")
def contribution_add(
    file: Annotated[Path, typer.Argument(help="The file as received: .docx, .md or .txt.")],
    source: Annotated[str, typer.Option("--source", help="Who sent it: a member state, an organisation...")],
    symbol: Annotated[str | None, typer.Option("--symbol", help="Its document symbol, e.g. WTPF-IEG/1/4.")] = None,
    received: Annotated[
        str | None,
        typer.Option(
            "--received",
            help="Day received (2012-05-15), or a time (2012-05-15T23:30:00Z) counted on its day in [report].time_zone "
            "(default: today there).",
        ),
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="The version it comments on (default: the last).")] = None,
) -> None:
    """Keep a contribution exactly as received, with its metadata, committed by the secretariat.

    Example: `wtpf contribution add brazil.docx --source Brazil --symbol WTPF-IEG/1/4 --received 2012-05-11`
    """
    added = api.add_contribution(workspace(), file, source=source, symbol=symbol, received=received, on=on)
    show_messages(warnings(added.warnings, str(file)))
    c = added.contribution
    late = f" [yellow]late[/] (deadline {c.deadline})" if c.late else ""
    say(f"Registered [bold]{c.id}[/] from {c.source}: {c.kind}, on {c.on_version}{late}")
    if added.note:
        out_console(highlight=False, soft_wrap=True).print(f"  {added.note}", markup=False)


@contribution_app.command("list")
def contribution_list(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    fmt: Annotated[
        AnnexFormat | None,
        typer.Option("--format", help="md, docx or pdf: write the disposition annex (default with -o: its extension)."),
    ] = None,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Where to write the annex (file, or folder).", metavar="OUT")
    ] = None,
) -> None:
    """Every contribution with its source, symbol, date, kind and disposition; or the disposition annex to the
    last stamped version (pdf: made by LibreOffice).

    Example: `wtpf contribution list` · `wtpf contribution list -o disposition.docx` (the annex)
    """
    ws = workspace()
    if fmt is not None or output is not None:
        path = api.disposition_annex(ws, output=output, fmt=fmt)
        say(f"Wrote the disposition of contributions to [bold]{path}[/]")
        return
    items = api.contributions(ws)
    if json_out:
        print_json([c.as_json() for c in items])
        return
    drawn = table("Id", "Source", "Symbol", "Received", "On", "Kind", "Disposition")
    for c in items:
        received = f"{c.received} [yellow](late)[/]" if c.late else c.received
        drawn.add_row(c.id, c.source, c.symbol, received, c.on_version, c.kind, c.disposition())
    show_table(drawn, empty="No contributions yet: `wtpf contribution add FILE --source NAME`.")


@contribution_app.command("show")
def contribution_show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Contribution id or symbol.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """One contribution: its metadata and disposition (and the text of a letter).

    Example: `wtpf contribution show WTPF-IEG/1/4` (by symbol, id, or the start of an id)
    """
    ws = workspace()
    c = api.contribution(ws, ident)
    if json_out:
        print_json(c.as_json())
        return
    out = out_console(highlight=False, soft_wrap=True)
    for key, value in c.as_json().items():
        out.print(f"{key:12} {value if value is not None else ''}", markup=False)
    if c.kind == "letter" and not c.file.lower().endswith(".docx"):
        out.print("\n" + api.letter(ws, c), markup=False)


@contribution_app.command("decline")
def contribution_decline(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Contribution id or symbol.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is not retained (shown in the disposition).")],
) -> None:
    """Record that a contribution is not retained, with the secretariat's reason (one not merged: the words of a
    merged one are in the draft).

    Example: `wtpf contribution decline WTPF-IEG/1/7 --reason "Outside the scope of the report"`
    """
    c = api.decline(workspace(), ident, reason)
    say(f"{c.id} from {c.source}: {c.disposition()}")


def commit(
    source: Annotated[str, typer.Option("--source", help="The source these edits come from.")],
    message: Annotated[str, typer.Option("-m", "--message", help="What was changed and why.")],
    contribution: Annotated[
        str | None, typer.Option("--contribution", help="The contribution these edits draft in (id or symbol).")
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="Date of the change (default: now).")] = None,
) -> None:
    """Commit your hand edits of the draft as a source's change, so redlines show them under its name.

    Example: `wtpf commit --source "Russian Federation" --contribution WTPF-IEG/1/3 -m "Two additions"`
    """
    sha = api.commit(workspace(), source=source, message=message, contribution=contribution, date=date)
    say(f"Committed as {source.strip()} ({sha[:10]})")


def inspect(
    file: Annotated[Path, typer.Argument(help="A Word file (.docx).")],
    view: Annotated[InspectView, typer.Option("--view", help="all: the changes; accept or reject: the text.")] = "all",
    fmt: Annotated[InspectFormat, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """What a Word file holds before it is added: its tracked changes and comments, or its text with all
    changes accepted or rejected.

    Example: `wtpf inspect brazil.docx` · `wtpf inspect brazil.docx --view accept --format json`
    """
    from wtpf_cli.ooxml.inspection import printable, render_inspection_json, render_inspection_text  # not at start-up

    made = api.inspect(file)
    show_messages(made.messages)
    if view == "all":
        if fmt == "json":
            print_json(render_inspection_json(made.value))
        else:
            typer.echo("\n".join(render_inspection_text(made.value)))
        return
    paragraphs = render_inspection_text(made.value, view)  # the text with every change accepted (or rejected)
    if fmt == "json":
        print_json({"view": view, "paragraphs": paragraphs})
    else:
        typer.echo("\n".join(printable(p) for p in paragraphs))


def merge(
    ids: Annotated[
        list[str] | None, typer.Argument(metavar="[ID...]", help="Contributions (default: all pending).")
    ] = None,
    conflicts: Annotated[
        Conflicts,
        typer.Option("--conflicts", help="brackets: keep both versions; stop: apply nothing of a conflicting one."),
    ] = "brackets",
    json_out: Annotated[bool, typer.Option("--json", help="Print the merge report as JSON on stdout.")] = False,
) -> None:
    """Apply pending contributions to the draft in order of receipt: one commit each, authored by its source.

    Changes to words another source has changed since the contribution's base version are kept side by side
    as `[[Source: text]]` alternatives; settle them with `wtpf resolve`.

    Example: `wtpf merge` (every pending contribution) · `wtpf merge 2012-05-11-brazil --conflicts stop`
    """
    from rich.progress import Progress  # rich: when a command prints

    err = err_console()
    with Progress(console=err, transient=True, disable=json_out or not err.is_terminal) as bar:
        task = bar.add_task("Merging", total=None)
        made = api.merge(
            workspace(),
            ids or None,
            stop_on_conflict=conflicts == "stop",
            progress=lambda c: bar.update(task, description=f"Merging {c.id} ({c.source})", advance=1),
        )
    outcomes = made.value
    if json_out:
        print_json([o.as_json() for o in outcomes])
        return
    out = out_console(highlight=False, soft_wrap=True)  # the accounts are the result: stdout
    for o in outcomes:
        kept = f"; {o.comments} comment(s) kept" if o.comments else ""
        out.print(
            f"{o.contribution.id} ({o.contribution.source}): {o.contribution.disposition()} - {o.applied} applied, "
            f"{len(o.conflicts)} in brackets, {len(o.left_out)} left out{kept}",
            markup=False,
        )
        for x in o.left_out:
            out.print(f"  left out: {x.text}: {x.reason}", markup=False)
    if not outcomes:
        out.print("Nothing pending to merge.")
    show_messages([m for m in made.messages if m.kind is Kind.WARNING], about=True)


def resolve(
    number: Annotated[
        int | None, typer.Argument(help="The passage to settle (see the list without arguments).")
    ] = None,
    keep: Annotated[str | None, typer.Option("--keep", help="Keep this source's alternative.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Replace the passage by this text.")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why: recorded in the commit and the dispositions.")] = "",
    source: Annotated[str | None, typer.Option("--source", help="Attribute the new text to this source.")] = None,
) -> None:
    """List the bracketed passages, or settle one: keep one alternative or write new text, with a reason.

    Example: `wtpf resolve 2 --keep Brazil --reason "Agreed at the second meeting"`
    """
    ws = workspace()
    if number is None:
        passages = api.passages(ws)
        if not passages:
            say("No bracketed passages.")
        for p in passages:
            typer.echo(f"{p.number}. line {p.line}: {p.listing()}")
        return
    done = api.resolve(ws, number, keep=keep, text=text, reason=reason, source=source)
    say(f"Settled passage {number} (line {done.passage.line}); commit {done.commit[:10]}")
