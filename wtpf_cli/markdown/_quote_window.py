"""Speed only: markdown-it's block quote rule, given the lines of a quote a window at a time.

The rule (markdown_it.rules_block.blockquote) first finds where its quote could end, taking each line that starts
no block of its own as a lazy continuation line, then parses what that range holds; the parse ends at the first
lazy line that does not continue a paragraph. After a quote that holds a fence or a list, a line of text is such a
line: a draft of `> ~~~` and `text` lines, one after the other, made each quote scan to the end of the draft
(quadratic: 1,600 pairs read in 3.8 s). `windowed_quote` gives the rule the lines up to the first that does not
start with `>` (the first lazy line, or the blank line that ends the quote); where the parse reaches the window's
last line, it is undone and run again on a window four times longer.

It must give what the rule gives: a parse that ends before its window's last line has read the lines before that
one as the rule reads them in the whole range (each block's own search for its end runs to the window's end or
stops at the same line). tests/test_fuzz_markdown.py (test_the_guarded_parser_gives_the_tokens_of_markdown_its_own
and test_the_windowed_quote_gives_the_tokens_and_definitions_of_markdown_its_own) compares the token streams and the
definitions in `env` of the parser with and without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BlockRule = Callable[[Any, int, int, bool], bool]
_GROWTH = 4
_LEAST_GROWTH = 64  # lines: a window too short for its quote grows by this many at least
_TO_THE_END = -1  # a quote whose last parse ran to the end of its range: given the whole range when parsed again


def windowed_quote(rule: BlockRule) -> BlockRule:
    """The block quote rule, run on windows of its range until its parse ends before a window's last line."""

    def run(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        if silent or start_line + 1 >= end_line:
            return rule(state, start_line, end_line, silent)
        # A parent quote's window grown and parsed again parses this quote again: it starts from the window found.
        known: dict[int, int] = state.__dict__.setdefault("_wtpf_quote_windows", {})
        key = state.bMarks[start_line] + state.tShift[start_line]
        stop = known.get(key)
        if stop is None:
            stop = _first_line_not_quoted(state, start_line, end_line) + 1
        elif stop == _TO_THE_END:
            stop = end_line
        stop = min(stop, end_line)
        tokens = len(state.tokens)
        definitions = _definitions(state.env)
        while True:
            if not rule(state, start_line, stop, silent):
                return False
            if state.line < stop:
                known[key] = stop
                return True
            if stop >= end_line:
                known[key] = _TO_THE_END
                return True
            del state.tokens[tokens:]
            _forget_definitions_since(state.env, definitions)
            size = stop - start_line
            stop = min(end_line, start_line + max(size + _LEAST_GROWTH, _GROWTH * size))

    return run


def _first_line_not_quoted(state: Any, start_line: int, end_line: int) -> int:
    """The first line after `start_line` that is blank or does not start with `>` (`end_line` if none)."""
    src, b_marks, t_shift, e_marks = state.src, state.bMarks, state.tShift, state.eMarks
    line = start_line + 1
    while line < end_line:
        pos = b_marks[line] + t_shift[line]
        if pos >= e_marks[line] or src[pos] != ">":
            return line
        line += 1
    return end_line


def _definitions(env: dict[str, Any]) -> tuple[int, int]:
    """How many link reference definitions and footnote labels `env` holds (-1: not even their dictionary)."""
    references = env.get("references")
    notes = env.get("footnotes")
    return (
        -1 if references is None else len(references),
        -1 if notes is None else len(notes.get("refs", ())),
    )


def _forget_definitions_since(env: dict[str, Any], counts: tuple[int, int]) -> None:
    """Undo the definitions a parse added to `env` (markdown-it keeps the first of a label: a window's parse that is
    undone must not keep one the longer window's parse reads otherwise)."""
    references, notes = counts
    if references < 0:
        env.pop("references", None)
    else:
        _pop_to(env["references"], references)
    if notes < 0:
        env.pop("footnotes", None)
    elif "footnotes" in env:
        _pop_to(env["footnotes"].setdefault("refs", {}), notes)


def _pop_to(table: dict[str, Any], size: int) -> None:
    """Remove the entries added to `table` after it held `size` (dictionaries keep insertion order)."""
    while len(table) > size:
        table.popitem()
