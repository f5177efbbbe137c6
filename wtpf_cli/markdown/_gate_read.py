"""Speed only: the gate's read of a draft's body chunk by chunk, markdown-it's tokens made only for chunks where a
rule may find something.

`gate_read(body)` stands for `parse_body_tokens(body)` (wtpf_cli/markdown/parse.py) where `wtpf check` reads the
body (reporting/check.py): the rules of check_markdown must find the same with either, in the same order.
tests/test_fast_twins.py (test_the_gate_finds_in_the_chunks_what_it_finds_in_the_whole_parse) compares them.

The blocks and warnings are the chunked reader's (_chunks.py, which the build uses). Token findings come from
inline HTML (`<`), images (`!`), headings five deep (`#####`), lists ten deep (ten list markers at least) and
footnote references that stay text: without an undefined `[^label]`, a backslash or an entity (which may make one
of text), a chunk's tokens hold none, so only the other chunks are parsed, each on its own with the body's
footnote labels in scope (what the whole parse finds in it: chunks are whole top-level blocks). Bodies where that
does not hold go the whole way (None): HTML blocks, link reference definitions, footnote definitions other than
one-line ones of plain text (whose notes' tokens would follow the body's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

from wtpf_cli.markdown._chunks import (
    _NOTE_LABEL_RE,
    _NOTE_LINES_RE,
    ParseCache,
    _may_define,
    chunk_blocks,
    footnotes,
    read_chunks,
)
from wtpf_cli.markdown.blocks import WORD_LIST_LEVELS, markdown_parser
from wtpf_cli.model import Block

if TYPE_CHECKING:
    from markdown_it.token import Token as MdToken


@dataclass(frozen=True, slots=True)
class GateRead:
    """What the gate's rules need of a body: its blocks and warnings, the footnote labels it defines (in order),
    and markdown-it's tokens of the chunks where a rule may find something, each with the line it starts at."""

    blocks: list[Block]
    warnings: list[str]
    defined: list[str]
    parsed: list[tuple[int, list[MdToken]]]


# Where a token finding may start: inline HTML, an image, a backslash escape or an entity (either may leave a
# footnote reference as text), a heading five deep.
_MAY_FIND_RE = re.compile(r"[<!\\&]|#####")
_NOTE_REF_RE = re.compile(r"\[\^([^\[\]\s]+)\]")  # (check's: a footnote reference left as text)
_LIST_MARKER_RE = re.compile(r"(?:^|[ \t>])(?:[-*+]|\d{1,9}[.)])(?=[ \t\n]|$)", re.MULTILINE)
# A chunk of one-line footnote definitions whose text holds nothing a rule finds, nor a reference.
_PLAIN_NOTE_TEXT_RE = re.compile(r"[<!\\&\[\]]")


def gate_read(body: str) -> GateRead | None:
    """parse_body_tokens' blocks and warnings with the footnote labels defined and the tokens of the chunks a rule
    may find something in; None where the body must be parsed whole."""
    if "<" in body:
        return None  # HTML blocks (and their warnings' lines) are the whole parse's
    cache = ParseCache()
    read = read_chunks(body, cache)
    if read is None:
        return None
    texts, found = read
    labels: list[str] = []
    for text in texts:
        if _may_define(text):
            if not _NOTE_LINES_RE.match(text) or _PLAIN_NOTE_TEXT_RE.search(_NOTE_LABEL_RE.sub("", text)):
                return None
            labels += _NOTE_LABEL_RE.findall(text)
    defined = list(dict.fromkeys(labels))
    blocks = list(chain.from_iterable(chunk_blocks(found, cache).blocks))
    notes, warnings = footnotes(found, cache)
    blocks.extend(notes)
    known = set(defined)
    parsed: list[tuple[int, list[MdToken]]] = []
    line = 0
    for text in texts:
        if _may_find(text, known):
            env: dict[str, Any] = {"references": {}, "footnotes": {"refs": {f":{n}": -1 for n in defined}}}
            parsed.append((line, markdown_parser().parse(text, env)))
        line += text.count("\n") + text.count("\r") - text.count("\r\n")  # markdown-it's line ends
    return GateRead(blocks, warnings, defined, parsed)


def _may_find(text: str, defined: set[str]) -> bool:
    """Whether check_markdown's token rules may find anything in a chunk."""
    if _MAY_FIND_RE.search(text):
        return True
    if "[^" in text and any(label not in defined for label in _NOTE_REF_RE.findall(text)):
        return True
    return len(_LIST_MARKER_RE.findall(text)) > WORD_LIST_LEVELS
