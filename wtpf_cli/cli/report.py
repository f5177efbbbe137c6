"""Reporting commands: `wtpf status` and `wtpf check` (the drafting gate for CI)."""

from __future__ import annotations

from typing import Annotated

import typer

import wtpf_cli as api
from wtpf_cli.cli.common import out_console, print_json, show_table, table, workspace


def status(json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False) -> None:
    """Where the report stands: current version, changes since it by source, pending contributions, open
    brackets, and the next milestone (at risk: a posting within 7 days with work still open).

    Example: `wtpf status` · `WTPF_TODAY=2012-06-01 wtpf status --json` (where we will stand on 1 June)
    """
    s = api.status(workspace())
    if json_out:
        print_json(s.as_json())
        return
    out = out_console(highlight=False, soft_wrap=True)
    out.print(f"Current version   {s.version} {s.symbol} {s.date}".rstrip(), markup=False)
    since = f"{s.changes_since} change(s) by {', '.join(s.sources_since)}" if s.changes_since else "none"
    out.print(f"Since then        {since}", markup=False)
    noted = f", {s.noted} noted" if s.noted else ""
    comments = f"; {s.open_comments} open comment(s) (see `wtpf comments list`)" if s.open_comments else ""
    out.print(f"Contributions     {s.pending} pending, {s.late} late{noted}{comments}", markup=False)
    out.print(
        f"Open brackets     {s.brackets}" + ("  (settle with `wtpf resolve`)" if s.brackets else ""), markup=False
    )
    if s.next_date:
        risk = f"  AT RISK: {s.at_risk}" if s.at_risk else ""
        out.print(f"Next milestone    {s.next_date} ({s.days_left} days): {s.next_milestone}{risk}", markup=False)
    else:
        out.print("Next milestone    none in the timetable", markup=False)
    if s.overdue:
        overdue = "; ".join(f"{m.date} {m.kind} {m.version}".rstrip() for m in s.overdue)
        out.print(f"Overdue           {overdue}  (see `wtpf schedule`)", markup=False)
    out.print(f"Today             {s.today} ({s.time_zone})", markup=False)


def schedule(json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False) -> None:
    """The timetable: each milestone past, next, overdue or upcoming, days left, and for each deadline for
    comments the contributions received before and after it. Days are in [report].time_zone.

    Example: `wtpf schedule` · `WTPF_TODAY=2012-05-16 wtpf schedule --json`
    """
    plan = api.schedule(workspace())
    if json_out:
        print_json(plan.as_json())
        return
    out = out_console(highlight=False, soft_wrap=True)
    if not plan.entries:
        out.print("No milestones: add [[milestone]] entries to wtpf.toml (templates/timetable.toml is an example).")
        return
    colours = {"past": "dim", "next": "bold", "overdue": "bold red", "upcoming": ""}
    drawn = table(title=f"Today {plan.today} ({plan.time_zone})", expand=True)
    for column, ratio in (("Date", None), ("Kind", None), ("Version", 1), ("Description", 4), ("State", 2)):
        drawn.add_column(column, ratio=ratio, no_wrap=ratio is None)
    drawn.add_column("Days left", justify="right", no_wrap=True)
    for e in plan.entries:
        state = f"{e.state}: {e.note}" if e.note else e.state
        drawn.add_row(e.date, e.kind, e.version, e.description, state, str(e.days_left), style=colours[e.state])
    show_table(drawn)
    for e in (e for e in plan.entries if e.kind == "comments"):
        out.print(
            f"Comments on {e.version or '-'} due {e.date}: {len(e.before)} by the deadline, {len(e.after)} after",
            markup=False,
        )
        for label, group in (("  on time", e.before), ("  late", e.after)):
            for r in group:
                out.print(f"{label}  {r.received}  {r.source}  {r.symbol or r.id}  ({r.status})", markup=False)


def check(
    json_out: Annotated[bool, typer.Option("--json", help="Print the findings as JSON on stdout.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """The drafting gate for CI: front matter, symbols, brackets, dispositions, Markdown the build cannot render.

    Exit 1 on any error (on warnings too with --strict). The rules are listed in the README.

    Example: `wtpf check --strict` (in CI: fail on warnings too)
    """
    report = api.check(workspace(warn=False), strict=strict)
    if json_out:
        print_json(report.as_json())
    else:
        out = out_console(highlight=False, soft_wrap=True)
        for f in report.findings:
            colour = "red" if f.severity == "error" else "yellow"
            out.print(f"{f.file}:{f.line}: [{colour}]{f.severity}[/] {f.rule} ", end="")
            out.print(f.message, markup=False)
        out.print(report.summary())
    failure = report.failure()
    if failure is not None:
        raise failure
