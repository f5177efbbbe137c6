"""Speed only: the text of a paragraph's runs that the writer puts in one plain w:r, found in one pass.

`one_run_text(runs)` names the runs for which `DocxRenderer._inline` (wtpf_cli/ooxml/writer.py) writes one w:r of
their joined text and nothing else: one formatting, no revision, format change, link or footnote reference, no
right-to-left letter (the writer takes the run without comments, in a left-to-right document). tests/test_fast_twins.py
(test_runs_written_as_one_run_are_written_as_the_writer_groups_them) compares the writer with and without it.
"""

from __future__ import annotations

from collections.abc import Sequence

from wtpf_cli.languages import RTL_BMP
from wtpf_cli.model import RRun


def one_run_text(runs: Sequence[RRun]) -> str | None:
    """The joined text of runs written as one plain w:r, or None for runs the writer groups otherwise."""
    if not runs:
        return None
    first = runs[0]
    marks = first.token.marks
    for r in runs:
        token = r.token
        if r.ins is not None or r.dele is not None or r.formatted is not None:
            return None
        if token.href is not None or token.note is not None or token.marks != marks:
            return None
    text = first.token.text if len(runs) == 1 else "".join([r.token.text for r in runs])
    if not text.isascii() and RTL_BMP.search(text):
        return None
    return text
