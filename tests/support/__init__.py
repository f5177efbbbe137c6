"""Independent readers of .docx files for the tests: LibreOffice (through UNO) and pandoc."""

from __future__ import annotations

from collections.abc import Iterable

# The styles of a redline's first page (the summary, outside the tracked changes): by styleId, and by name as
# LibreOffice and pandoc give them. The readers leave those paragraphs out unless asked for them.
SUMMARY_STYLE_IDS = frozenset({"RevisionSummaryTitle", "RevisionSummary", "RevisionSummaryTable"})
SUMMARY_STYLE_NAMES = frozenset({"Revision Summary Title", "Revision Summary", "Revision Summary Table"})


def words(texts: Iterable[str]) -> list[str]:
    """The whitespace-separated words of some paragraph texts, in order: how the tests compare readers."""
    return [word for text in texts for word in text.split()]
