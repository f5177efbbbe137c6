"""`wtpf blame`: who proposed each passage, in which contribution and version (the provenance annex)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

import wtpf_cli as api
from wtpf_cli.cli._blame_json import blame_json
from wtpf_cli.cli.common import out_console, print_json_text, say, workspace
from wtpf_cli.render.formats import AnnexFormat

if TYPE_CHECKING:
    from rich.text import Text

    from wtpf_cli.attribution.blame import Blame, Provenance


def blame(
    version: Annotated[
        str | None,
        typer.Argument(
            metavar="VERSION", help="Ladder name, slug, symbol or git revision (default: the working draft)."
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the provenance as JSON on stdout.")] = False,
    fmt: Annotated[
        AnnexFormat | None,
        typer.Option("--format", help="md, docx or pdf: write the provenance annex (default with -o: its extension)."),
    ] = None,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Where to write the annex (file, or folder).", metavar="OUT")
    ] = None,
    para: Annotated[
        str | None, typer.Option("--para", metavar="N", help="Only the paragraph (or heading) numbered N, e.g. 3.1.4.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", metavar="NAME", help="Only the sentences holding words of NAME.")
    ] = None,
) -> None:
    """Who proposed this? For each paragraph and each sentence of a version: the sources whose words it holds
    (with word counts), the contribution that brought them (its symbol) and the version in which they came in
    (the first stamped version that held them, or "working draft").

    Words of the first draft count as its author's (the secretariat's); uncommitted edits as the secretariat's.
    A word another source later changed counts as that source's.

    Example: `wtpf blame "Second Draft" --para 3.1.4` (who proposed paragraph 3.1.4?) ·
    `wtpf blame --source Brazil` (what of Brazil's is in the working draft?) · `wtpf blame --json` ·
    `wtpf blame second-draft -o provenance.docx` (the annex: one row per paragraph, its text and sources)
    """
    ws = workspace()
    result = api.blame(ws, version, paragraph=para, source=source)
    if fmt is not None or output is not None:
        path = api.blame_annex(ws, result, output=output, fmt=fmt)
        say(f"Wrote the provenance of the {result.label} to [bold]{path}[/]")
    elif json_out:
        print_json_text(blame_json(result))  # print_json(result.as_json()), faster
    else:
        out = out_console(highlight=False, soft_wrap=True)
        lines = blame_text(result)
        if out.is_terminal:
            from rich.console import Group  # rich: when a command prints

            out.print(Group(*lines))  # one call: rich's set-up for each of 20,000 lines took a second
        else:
            out.file.write("".join(f"{line.plain}\n" for line in lines))  # what rich writes there, unstyled


def _sources(items: tuple[Provenance, ...]) -> str:
    parts = []
    for p in items:
        via = f"{p.symbol or p.contribution}, " if p.symbol or p.contribution else ""
        words = f"{p.words} word" + ("s" if p.words != 1 else "")
        parts.append(f"{p.source} {words} ({via}{p.version})")
    return "; ".join(parts)


def blame_text(result: Blame) -> list[Text]:
    """The provenance for the terminal: each paragraph, then each sentence with its sources."""
    from rich.text import Text  # rich: when a command prints

    from wtpf_cli.attribution.blame import excerpt  # the stage (loaded by now): not at start-up

    out = [Text(result.title(), style="bold")]
    out.append(Text("Sources: " + (", ".join(result.sources) or "none")))
    if not result.paragraphs:
        out.append(Text("No passage is selected." if result.scope else "The draft has no text yet."))
    for para in result.paragraphs:
        under = f"  under {excerpt(para.heading, 60)}" if para.heading and para.kind != "heading" else ""
        out.append(Text.assemble("\n", (para.place(), "bold"), (under, "dim")))
        for s in para.sentences:
            out.append(Text.assemble("  ", (excerpt(s.text, 100), "italic")))
            out.append(Text.assemble("    ", (_sources(s.sources), "cyan")))
    return out
