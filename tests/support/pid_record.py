"""A stand-in for wordmap.word_proposal that notes which process ran it (for the merge's read-ahead test)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wtpf_cli.merging import wordmap

REAL = wordmap.word_proposal
LOG: list[Path] = []  # the file to append pids to, set by the test


def recording_word_proposal(path: Path, base_source: str, note_prefix: str = "") -> Any:
    """wordmap.word_proposal, noting this process's pid in LOG[0] first."""
    with LOG[0].open("a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    return REAL(path, base_source, note_prefix)
