"""Speed only: block rules that read two common shapes of a draft's top level without markdown-it's nested parses.

`quote_staircase` must give what markdown-it's `blockquote` rule (markdown_it.rules_block.blockquote) gives,
`list_staircase` what its `list_block` rule (markdown_it.rules_block.list) gives, and
`one_line_note` what `mdit_py_plugins.footnote`'s `footnote_def` gives: the same tokens, the same `state.line` and
the same footnote labels in `env`. Each answers "no match" for any other text, which the rule it stands before then
reads. tests/test_fast_twins.py (test_the_block_rule_twins_give_the_tokens_of_markdown_its_own_rules) compares the
token streams of the parser with and without them.

A block quote or a list nested d deep is scanned once per level (each level's rule finds its end, then parses what
it holds: a quote twenty deep reads its lines twenty times), and each footnote definition is a nested block parse;
these read each line once.
"""

from __future__ import annotations

import re
from typing import Any

# A line of a quote staircase: one or more '>' at column 0, one space, then a paragraph's text that starts where no
# block rule starts (as _chunks._ONE_PARAGRAPH_RE) and holds no tab (the column arithmetic of tabs is left to the rule).
_QUOTE_LINE_RE = re.compile(r"(>+) ((?![`~>*\-_+#<|\[:]|\d{1,9}[.)](?: |\Z))\S[^\t\n]*)\Z")
# A line of a list staircase: two spaces a level, a bullet, one space, a paragraph's text as above.
_ITEM_LINE_RE = re.compile(r"((?:  )*)([-*+]) ((?![`~>*\-_+#<|\[:]|\d{1,9}[.)](?: |\Z))\S[^\t\n]*)\Z")
# A footnote definition of one line at column 0: label, one space, a paragraph's text as above.
_NOTE_LINE_RE = re.compile(r"\[\^([^\]\s\[^]+)\]: ((?![`~>*\-_+#<|\[:]|\d{1,9}[.)](?: |\Z))\S[^\t\n]*)\Z")
# A line footnote_def would start a definition at (column 0): it ends the paragraph of the definition before it.
_NOTE_START_RE = re.compile(r"\[\^[^ \]]+\]:")
_DEEPEST = 40  # deeper staircases are left to the rule (and to the nesting bound of blocks.MAX_NESTING)


def _at_top(state: Any, end_line: int) -> bool:
    """Whether the state reads the top level, where each line's marks are those of the source (not parentType:
    markdown-it's lheading rule leaves it "paragraph" when it fails; a container's parse is a level deeper)."""
    return not state.level and not state.blkIndent and end_line == state.lineMax


def quote_staircase(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """The blockquote rule, for a top-level quote whose lines each go as deep as the line before or deeper (`> a`,
    `>> b`, `>> c`, `>>> d`), then a blank line or the end: each run of lines of one depth is a paragraph in the
    quotes opened down to it."""
    from markdown_it.common.utils import mdTrim

    if silent or not _at_top(state, end_line):
        return False
    src, b_marks, e_marks = state.src, state.bMarks, state.eMarks
    runs: list[tuple[int, int, list[str]]] = []  # (depth, first line, texts) of each run of one depth
    line = start_line
    while line < end_line and b_marks[line] + state.tShift[line] < e_marks[line]:
        found = _QUOTE_LINE_RE.match(src, b_marks[line], e_marks[line])
        if found is None:
            return False
        depth = found.end(1) - found.start(1)
        if runs and depth == runs[-1][0]:
            runs[-1][2].append(found.group(2))
        elif runs and depth < runs[-1][0]:
            return False  # a lazy continuation line of the deeper paragraph
        else:
            runs.append((depth, line, [found.group(2)]))
        line += 1
    if not runs or runs[-1][0] > _DEEPEST:
        return False
    stop = line
    depth = 0
    for k, (run_depth, first, texts) in enumerate(runs):
        for _ in range(run_depth - depth):
            token = state.push("blockquote_open", "blockquote", 1)
            token.markup = ">"
            token.map = [first, stop]
        depth = run_depth
        last = runs[k + 1][1] if k + 1 < len(runs) else stop
        state.push("paragraph_open", "p", 1).map = [first, last]
        token = state.push("inline", "", 0)
        token.content = mdTrim("\n".join(texts))
        token.map = [first, last]
        token.children = []
        state.push("paragraph_close", "p", -1)
    for _ in range(depth):
        state.push("blockquote_close", "blockquote", -1).markup = ">"
    state.line = stop
    return True


def one_line_note(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """The footnote_def rule, for a top-level definition of one line of paragraph text followed by the end, a blank
    line (then a line indented less than four columns, or the end) or another definition."""
    from markdown_it.common.utils import mdTrim
    from markdown_it.token import Token

    if silent or not _at_top(state, end_line):
        return False
    src, b_marks, e_marks, t_shift = state.src, state.bMarks, state.eMarks, state.tShift
    found = _NOTE_LINE_RE.match(src, b_marks[start_line], e_marks[start_line])
    if found is None:
        return False
    after = start_line + 1  # where the definition's nested parse leaves state.line
    if after < end_line:
        if b_marks[after] + t_shift[after] < e_marks[after]:
            if _NOTE_START_RE.match(src, b_marks[after], e_marks[after]) is None:
                return False  # a lazy continuation line, or a block that interrupts the paragraph
        else:
            after = state.skipEmptyLines(after + 1) if after + 1 < end_line else after + 1
            if after < end_line and state.sCount[after] >= 4:
                return False  # indented: the definition's next block
    label = found.group(1)
    footnotes = state.env.setdefault("footnotes", {})
    footnotes.setdefault("refs", {})
    footnotes.setdefault("list", {})
    footnotes["refs"][":" + label] = -1
    opening = Token("footnote_reference_open", "", 1)
    opening.meta = {"label": label}
    opening.level = state.level
    state.level += 1
    state.tokens.append(opening)
    state.push("paragraph_open", "p", 1).map = [start_line, start_line + 1]
    token = state.push("inline", "", 0)
    token.content = mdTrim(found.group(2))
    token.map = [start_line, start_line + 1]
    token.children = []
    state.push("paragraph_close", "p", -1)
    opening.map = [start_line, after]
    closing = Token("footnote_reference_close", "", -1)
    state.level -= 1
    closing.level = state.level
    state.tokens.append(closing)
    state.line = after
    return True


def list_staircase(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """The list rule, for a top-level tight bullet list of one-line items, each at most one level deeper than the
    one before (two spaces a level, one bullet throughout), then a blank line and a line that cannot continue the
    list, or the end."""
    from markdown_it.common.utils import mdTrim

    if silent or not _at_top(state, end_line):
        return False
    src, b_marks, e_marks = state.src, state.bMarks, state.eMarks
    items: list[tuple[int, str]] = []  # (depth, text) of each line
    bullet = ""
    line = start_line
    while line < end_line and b_marks[line] + state.tShift[line] < e_marks[line]:
        found = _ITEM_LINE_RE.match(src, b_marks[line], e_marks[line])
        if found is None or (bullet and found.group(2) != bullet):
            return False
        bullet = found.group(2)
        depth = len(found.group(1)) // 2
        if depth > (items[-1][0] + 1 if items else 0) or depth > _DEEPEST // 2:
            return False
        items.append((depth, found.group(3)))
        line += 1
    stop = line
    if stop < end_line:  # the last item's parse takes in the blank lines after it
        stop = state.skipEmptyLines(stop + 1)
        if stop < end_line and not _ENDS_LIST_RE.match(src, b_marks[stop], e_marks[stop]):
            return False
    ends = _ends(items, start_line, stop)
    open_lists: list[int] = []  # the index in state.tokens of each open list's first token
    for k, (depth, text) in enumerate(items):
        first = start_line + k
        while len(open_lists) > depth + 1:
            _close_list(state, open_lists.pop(), bullet)
        if len(open_lists) == depth + 1:
            state.push("list_item_close", "li", -1).markup = bullet
        else:
            open_lists.append(len(state.tokens))
            token = state.push("bullet_list_open", "ul", 1)
            token.markup = bullet
            token.map = [first, ends[k][0]]
        token = state.push("list_item_open", "li", 1)
        token.markup = bullet
        token.map = [first, ends[k][1]]
        state.push("paragraph_open", "p", 1).map = [first, first + 1]
        token = state.push("inline", "", 0)
        token.content = mdTrim(text)
        token.map = [first, first + 1]
        token.children = []
        state.push("paragraph_close", "p", -1)
    while open_lists:
        _close_list(state, open_lists.pop(), bullet)
    state.line = stop
    return True


# A line after a list's blank line that neither continues an item nor starts one: at column 0, not a bullet or a digit.
_ENDS_LIST_RE = re.compile(r"[^\s*+\-\d]")


def _ends(items: list[tuple[int, str]], start_line: int, stop: int) -> list[tuple[int, int]]:
    """For each item of a staircase: where a list it opens ends (at the next item less deep) and where the item ends
    (at the next item as deep or less); at `stop` where no such item follows."""
    return list(zip(_next_at_most(items, start_line, stop, 1), _next_at_most(items, start_line, stop, 0), strict=True))


def _next_at_most(items: list[tuple[int, str]], start_line: int, stop: int, shallower: int) -> list[int]:
    """For each item, the line of the next item at least `shallower` levels less deep (`stop` if none)."""
    found = [stop] * len(items)
    waiting: list[int] = []  # items still without one, deepest last
    for k, (depth, _) in enumerate(items):
        while waiting and items[waiting[-1]][0] - depth >= shallower:
            found[waiting.pop()] = start_line + k
        waiting.append(k)
    return found


def _close_list(state: Any, opened: int, bullet: str) -> None:
    """Close the open item and the list whose first token is state.tokens[opened], its paragraphs hidden (tight)."""
    state.push("list_item_close", "li", -1).markup = bullet
    state.push("bullet_list_close", "ul", -1).markup = bullet
    level = state.tokens[opened].level + 2
    for token in state.tokens[opened:]:
        if token.level == level and token.type in ("paragraph_open", "paragraph_close"):
            token.hidden = True
