"""Sentences: where one ends in a paragraph's text. `wtpf blame` counts words sentence by sentence; the merge
brackets two sources' changes to one sentence (merging/segments.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

# A sentence ends at . ! or ? (closing quotes or brackets may follow) before spaces and a capital letter or a
# letter of a script without case (Arabic); at 。！？ (full-width: Chinese, Japanese) before a letter, no space.
END_RE = re.compile(r"[.!?؟][\"'”’)\]]*\s+(?=[\"'“‘(\[]?(\w))|[。！？][”’」』）]*(?=(\w))")
# The same in Markdown source: emphasis marks and footnote references may follow the mark, or open the next one.
MARKDOWN_END_RE = re.compile(
    r"[.!?؟](?:[\"'”’)\]*_]|\[\^[^\]\s]+\])*\s+(?=[\"'“‘(\[*_]*(\w))|[。！？](?:[”’」』）*_]|\[\^[^\]\s]+\])*(?=[*_]*(\w))"
)
# Words after which a full stop does not end the sentence (UN and ITU documents: "Res. 101", "Rev. 1"...).
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "cf", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "art", "arts", "res", "rev", "corr"}
    | {"add", "doc", "para", "paras", "fig", "vol", "pp", "ch", "sect"}
)
_LAST_WORD_RE = re.compile(r"[\w.]+$")  # the word (and full stops) just before a possible end
_INITIALS_RE = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")  # "J", "U.S", "e.g": a full stop after them is no end


def sentence_spans(text: str, skip: int, ends: re.Pattern[str] = END_RE) -> Iterator[tuple[int, int]]:
    """[start, end) of each sentence of `text` (each with the spaces after it); no sentence ends within its first
    `skip` characters (the paragraph's number)."""
    start = 0
    for m in ends.finditer(text):
        after = m.group(1) or m.group(2)  # a capital, or a letter of a script without case (not lower-case)
        if m.start() < skip or not (after.isupper() or (after.isalpha() and not after.islower())):
            continue
        before = _LAST_WORD_RE.search(text, max(start, m.start() - 40), m.start())
        word = before.group().lower() if before else ""
        if text[m.start()] == "." and (word in _ABBREVIATIONS or _INITIALS_RE.fullmatch(word)):
            continue
        yield start, m.end()
        start = m.end()
    if text[start:].strip():
        yield start, len(text)
