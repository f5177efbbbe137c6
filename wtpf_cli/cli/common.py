"""State and helpers shared by the command modules (resolved once at the edge)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from wtpf_cli.store.workspace import Workspace


class State:
    """Global options, resolved once."""

    directory: Path = Path(".")
    debug: bool = False


STATE = State()


def workspace() -> Workspace:
    """The workspace named by -C (or the current folder)."""
    from wtpf_cli.store.workspace import open_workspace

    return open_workspace(STATE.directory)


def err_console() -> Console:
    """Where messages go (stderr)."""
    from wtpf_cli.cli.console import stderr_console

    return stderr_console()


def print_json(data: object) -> None:
    """One JSON document on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
