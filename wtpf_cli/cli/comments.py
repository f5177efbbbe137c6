"""Commands for the contributors' comments the workspace keeps: `comments list|done`."""

from __future__ import annotations

from typing import Annotated

import typer

import wtpf_cli as api
from wtpf_cli.cli.common import err_console, out_console, print_json, workspace

comments_app = typer.Typer(
    help="The contributors' comments kept by `wtpf merge`, shown in the working draft's build until marked done.",
    no_args_is_help=True,
)


@comments_app.command("list")
def comments_list(
    done: Annotated[bool, typer.Option("--done", help="Also those marked done.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """The comments kept from contributions, in order of receipt: id, source, the words they are
    on, their text."""
    found = api.comments(workspace(), done=done)
    if json_out:
        print_json([k.as_json() for k in found])
        return
    out = out_console(highlight=False, soft_wrap=True)
    for k in found:
        on = f'on "{k.anchor}"' if k.anchor else f'on "{k.sent_on}" (those words are gone from the draft)'
        state = f" [{k.status}{': ' + k.reason if k.reason else ''}]" if k.status != "open" else ""
        out.print(f"{k.ident}  {k.source}  {on}: {k.text}{state}", markup=False)
    if not found:
        out.print("No open comments.")


@comments_app.command("done")
def comments_done(
    target: Annotated[str, typer.Argument(metavar="ID[:N]", help="A contribution (id or symbol), or ID:N.")],
    reason: Annotated[str, typer.Option("--reason", help="What was done (recorded with it).")] = "",
) -> None:
    """Mark a comment done (ID:N), or every open comment of a contribution (ID): they leave the working draft's
    build; a contribution of comments only (or a letter) is then "done".

    Example: `wtpf comments done 2012-05-10-senegal:2 --reason "Year corrected in 2.3"`
    """
    made = api.comments_done(workspace(), target, reason=reason)
    c = made.contribution
    err_console().print(f"{len(made.comments)} comment(s) of {c.id} done; {c.id} from {c.source}: {c.disposition()}")
