"""Speed only: a chunk of lines that all start with '|' read as one table without markdown-it's block parser.

`one_table(text)` must find the alignments and cells that markdown-it's table rule (markdown_it.rules_block.table)
finds in such a chunk, or None where that rule makes no table of it or ends the table early; the chunks it reads
(_chunks._parse_batch) must equal their own parse: tests/test_parse_chunks.py compares them (`table_chunks`).
"""

from __future__ import annotations

import re

# A chunk of lines that all start with '|' (then blank lines): one table if its second line is a delimiter row.
ONE_TABLE_RE = re.compile(r"(?:\|[^\n\r]*\n){2,}[ \t\n]*\Z")


def one_table(text: str) -> tuple[list[str | None], list[list[str]]] | None:
    """The column alignments and the cells' texts (the header row first) of a chunk of ONE_TABLE_RE, as
    markdown-it's table rule (markdown_it.rules_block.table) finds them in lines that all start with '|' (no
    other block rule ends the table there); None where that rule makes no table of it, or ends it early."""
    from markdown_it.common.utils import isStrSpace, mdTrim
    from markdown_it.rules_block.table import MAX_AUTOCOMPLETED_CELLS, escapedSplit, headerLineRe

    lines = [line for line in text.split("\n") if line.startswith("|")]
    delimiter = lines[1]
    if len(delimiter) < 2 or any(c not in "|-:" and not isStrSpace(c) for c in delimiter[1:]):
        return None
    aligns: list[str | None] = []
    columns = delimiter.split("|")
    for i, column in enumerate(columns):
        t = mdTrim(column)
        if not t:
            if i == 0 or i == len(columns) - 1:
                continue  # empty columns are allowed before and after the table only
            return None
        if not headerLineRe.search(t):
            return None
        aligns.append(("center" if t[0] == ":" else "right") if t[-1] == ":" else "left" if t[0] == ":" else None)
    rows: list[list[str]] = []
    autocompleted = 0
    for k, line in enumerate([lines[0], *lines[2:]]):
        line = mdTrim(line)
        columns = line.split("|") if "\\" not in line else escapedSplit(line)  # (the same without a backslash)
        if columns and columns[0] == "":
            columns.pop(0)
        if columns and columns[-1] == "":
            columns.pop()
        if k == 0:
            if not columns or len(columns) != len(aligns):
                return None
            rows.append([mdTrim(c) for c in columns])
            continue
        autocompleted += len(aligns) - len(columns)
        if autocompleted > MAX_AUTOCOMPLETED_CELLS:
            return None  # the table ends there
        rows.append([mdTrim(columns[i]) if i < len(columns) and columns[i] else "" for i in range(len(aligns))])
    return aligns, rows
