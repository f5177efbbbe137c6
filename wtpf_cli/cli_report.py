"""Reporting commands: `wtpf status` and `wtpf check` (the drafting gate for CI)."""

from __future__ import annotations

from typing import Annotated

import typer

from .cli_common import err_console, print_json, workspace


def status(json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False) -> None:
    """Where the report stands: current version, changes since it by source, pending contributions, open
    brackets, and the next milestone."""
    from rich.console import Console

    from .gate import status as report_status

    s = report_status(workspace())
    if json_out:
        print_json(s.as_json())
        return
    out = Console(highlight=False)
    out.print(f"Current version   {s.version} {s.symbol} {s.date}".rstrip(), markup=False)
    since = f"{s.changes_since} change(s) by {', '.join(s.sources_since)}" if s.changes_since else "none"
    out.print(f"Since then        {since}", markup=False)
    out.print(f"Contributions     {s.pending} pending, {s.late} late", markup=False)
    out.print(
        f"Open brackets     {s.brackets}" + ("  (settle with `wtpf resolve`)" if s.brackets else ""), markup=False
    )
    if s.next_date:
        risk = "  AT RISK: contributions still pending" if s.pending and (s.days_left or 0) <= 7 else ""
        out.print(f"Next milestone    {s.next_date} ({s.days_left} days): {s.next_milestone}{risk}", markup=False)


def check(
    json_out: Annotated[bool, typer.Option("--json", help="Print the findings as JSON on stdout.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """The drafting gate for CI: front matter, symbols, brackets, dispositions, Markdown the build cannot render.

    Exit 1 on any error (on warnings too with --strict). The rules are listed in the README.
    """
    from .errors import CheckFailed
    from .gate import check as run_check

    findings = run_check(workspace())
    if json_out:
        print_json([f.as_json() for f in findings])
    else:
        for f in findings:
            colour = "red" if f.severity == "error" else "yellow"
            err_console().print(f"{f.file}:{f.line}: [{colour}]{f.severity}[/] {f.rule} {f.message}")
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if not json_out:
        err_console().print(f"{errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        raise CheckFailed(f"the check found {errors} error(s) and {warnings} warning(s)")
