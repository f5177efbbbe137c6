"""The formats the commands write, as choices: `--help` and shell completion list them, and typer refuses any
other value before a command runs (the one place they are checked). Without `--format`, an output file's
extension names it (`-o report.pdf`)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeAlias, get_args

BuildFormat: TypeAlias = Literal["docx", "html", "md", "pdf"]  # html: one self-contained page for posting online
RedlineFormat: TypeAlias = Literal["docx", "html", "text", "pdf"]  # text: for the terminal, coloured by source
AnnexFormat: TypeAlias = Literal["md", "docx", "pdf"]  # the provenance and disposition annexes


def chosen_format(fmt: str | None, output: Path | None, choices: object, default: str) -> str:
    """`fmt` if given, else the format `output`'s extension names if it is one of `choices` (a Literal of format
    names), else `default`."""
    if fmt:
        return fmt
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in get_args(choices) else default
