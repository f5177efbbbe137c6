"""Independent readers of .docx files for the tests: LibreOffice (through UNO) and pandoc."""

from __future__ import annotations

from collections.abc import Iterable


def words(texts: Iterable[str]) -> list[str]:
    """The whitespace-separated words of some paragraph texts, in order: how the tests compare readers."""
    return [word for text in texts for word in text.split()]
