"""The formats the commands write, as choices: `--help` and shell completion list them, and typer refuses any
other value before a command runs (the one place they are checked); and the format an output's name implies."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, TypeAlias

from wtpf_cli.errors import UsageError

BuildFormat: TypeAlias = Literal["docx", "html", "md", "pdf"]  # html: one self-contained page for posting online
RedlineFormat: TypeAlias = Literal["docx", "html", "text", "pdf"]  # text: for the terminal, coloured by source
AnnexFormat: TypeAlias = Literal["md", "docx", "pdf"]  # the provenance and disposition annexes; pdf: LibreOffice

_BY_SUFFIX = {
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "text",
    ".pdf": "pdf",
}


def is_folder(output: Path | str) -> bool:
    """Whether an output names a folder: one that exists, or a name ending in `/` (made when written)."""
    return (isinstance(output, str) and output.endswith(("/", os.sep))) or Path(output).is_dir()


def format_for(output: Path | str | None, given: str | None, allowed: tuple[str, ...], default: str) -> str:
    """The format to write: `given` (--format), else the one the output file's extension names (`-o x.html`), else
    `default`; refused (exit 2) when the two disagree or the extension names a format this command does not write,
    so that no file's name says another format than its bytes."""
    suffix = "" if output is None or is_folder(output) else Path(output).suffix.lower()
    implied = _BY_SUFFIX.get(suffix)
    if implied is not None and given is not None and implied != given:
        raise UsageError(f"-o {output} names a {suffix} file but --format is {given}: give one of the two")
    if implied is not None and implied not in allowed:
        raise UsageError(f"-o {output}: this command writes {', '.join(allowed)}, not {suffix}")
    return given or implied or default
