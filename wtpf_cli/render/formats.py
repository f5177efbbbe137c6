"""The formats the commands write, as choices: `--help` and shell completion list them, and typer refuses any
other value before a command runs (the one place they are checked)."""

from __future__ import annotations

from typing import Literal, TypeAlias

BuildFormat: TypeAlias = Literal["docx", "html", "md"]  # html: one self-contained page for posting online
RedlineFormat: TypeAlias = Literal["docx", "html", "text"]  # text: for the terminal, coloured by source
AnnexFormat: TypeAlias = Literal["md", "docx"]  # the provenance and disposition annexes
