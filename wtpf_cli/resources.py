"""Files shipped with wtpf: the house template and the demo drafts."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def template_path(name: str) -> Path:
    """A file in templates/ (e.g. reference.docx)."""
    return Path(str(files("wtpf_cli.templates").joinpath(name)))


def drafts_path() -> Path:
    """The folder of the demo example (drafts/)."""
    return Path(str(files("wtpf_cli.drafts")))
