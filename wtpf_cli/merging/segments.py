"""The stretches of a draft within which two sources' changes conflict: each sentence, each table cell, each line
of a block (a list item, a row, a heading), and apart from these a paragraph's number or list marker.

A contribution's change to a segment that another source has changed since the contribution's base is never
blended with it: both are kept as bracketed alternatives (threeway.py). What a bracket holds must read as Markdown
on its own, so passage_is_whole tells whether a stretch opens and closes its own emphasis, code, links and notes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from wtpf_cli.markdown.sentences import MARKDOWN_END_RE, sentence_spans
from wtpf_cli.merging.layout import TextLayout

# What opens a line before its text: heading marks, list markers, a quotation mark, then a paragraph number such as
# "1.1." or "2.5" (a number with a dot; a bare year is text).
_LEAD_RE = re.compile(r"[ \t]*(?:(?:#{1,6}|[-*+]|\d+[.)]|>)[ \t]+)*(?:(?:\d+(?:\.\d+)+\.?|\d+\.)(?=[ \t]))?")
_EMPHASIS_RE = re.compile(r"\\.|\*+|(?<!\w)_+|_+(?!\w)|`+|[\[\]()]")


def segment_starts(tokens: tuple[str, ...] | list[str]) -> list[int]:
    """The offsets of the tokens of one paragraph at which a segment starts, in order, 0 first."""
    text = "".join(tokens)
    offsets = list(accumulate(map(len, tokens), initial=0))
    bounds: set[int] = {0}
    line_start = 0
    for line in text.split("\n"):
        lead = _LEAD_RE.match(line)
        skip = lead.end() if lead else 0
        bounds.add(line_start)
        if skip:
            bounds.add(line_start + skip)
        if line.lstrip().startswith("|"):  # a table row: each cell, and each bar apart
            for m in re.finditer(r"\|", line):
                bounds.update((line_start + m.start(), line_start + m.end()))
        else:
            for start, _end in sentence_spans(line[skip:], 0, MARKDOWN_END_RE):
                bounds.add(line_start + skip + start)
        line_start += len(line) + 1
    # A bound inside a token (a line feed with the next line's indent) starts the segment at the next token.
    found = {bisect_left(offsets, x) for x in bounds}
    return sorted(k for k in found if k < len(tokens)) or [0]


class Segments:
    """The segments of a laid-out text, found paragraph by paragraph when first asked for."""

    def __init__(self, layout: TextLayout) -> None:
        self.layout = layout
        self.paragraph_starts = [start for start, _end in layout.spans]
        self._starts: dict[int, list[int]] = {}

    def _of_paragraph(self, p: int) -> list[int]:
        found = self._starts.get(p)
        if found is None:
            start, end = self.layout.spans[p]
            found = self._starts[p] = [start + k for k in segment_starts(self.layout.tokens[start:end])]
        return found

    def at(self, k: int) -> tuple[int, int]:
        """[start, end) of the segment holding token k."""
        p = bisect_right(self.paragraph_starts, k) - 1
        starts = self._of_paragraph(p)
        i = bisect_right(starts, k) - 1
        return starts[i], starts[i + 1] if i + 1 < len(starts) else self.layout.spans[p][1]

    def words(self, start: int, end: int) -> tuple[int, int]:
        """The tokens of [start, end) from its first to its last that is not a space."""
        tokens = self.layout.tokens
        first, last = start, end
        while first < last and tokens[first].isspace():
            first += 1
        while last > first and tokens[last - 1].isspace():
            last -= 1
        return first, last

    def context(self, start: int, end: int) -> tuple[int, int] | None:
        """The segments that a change of tokens [start, end) changes: those holding its words; for an insertion
        (or a change of spaces only), the segment it is inside, None when it falls between two segments (a new
        sentence, item, row or paragraph beside the others)."""
        tokens = self.layout.tokens
        first, last = self.words(start, end)
        if first < last:
            return self.at(first)[0], self.at(last - 1)[1]
        if not 0 < start < len(tokens):
            return None
        s0, s1 = self.at(start)
        w0, w1 = self.words(s0, s1)
        return (s0, s1) if w0 < start < w1 else None


def passage_is_whole(text: str) -> bool:
    """Whether a passage of Markdown closes every emphasis, code span, bracket and parenthesis it opens (so that it
    can stand inside a bracketed alternative without changing how the rest of the paragraph reads)."""
    stack: list[str] = []
    depth = 0
    for m in _EMPHASIS_RE.finditer(text):
        mark = m.group()
        if mark[0] == "\\":
            continue
        if mark in "[(":
            depth += 1
        elif mark in "])":
            depth -= 1
            if depth < 0:
                return False
        elif stack and stack[-1] == mark:
            stack.pop()
        else:
            stack.append(mark)
    return depth == 0 and not stack
