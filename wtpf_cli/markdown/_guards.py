"""Speed only: markdown-it's inline rules for links, images and footnote references, guarded so that a paragraph of
unmatched brackets is read in linear time (each `[` would otherwise scan the rest of its paragraph: quadratic).

Each guarded rule must give what the rule it guards gives (`markdown_it.rules_inline.link`, `image`,
`mdit_py_plugins.footnote`'s `footnote_ref`): a guard only answers "no match" where the rule would, found without
the scan. tests/test_fuzz_markdown.py (test_the_guarded_parser_gives_the_tokens_of_markdown_its_own) compares the
token streams of the parser with and without the guards on generated Markdown heavy in brackets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Rule = Callable[[Any, bool], bool]
_NOTE_STOP_RE = re.compile(r"[ \n\]]")


def _last_close(state: Any) -> int:
    """The position of the last `]` of the inline text being parsed (-1: none), found once per text."""
    found: tuple[str, int, int] | None = getattr(state, "_wtpf_close", None)
    if found is None or found[0] is not state.src or found[1] != state.posMax:
        found = (state.src, state.posMax, state.src.rfind("]", 0, state.posMax))
        state._wtpf_close = found
    return found[2]


def guard_label(rule: Rule, opener: str) -> Rule:
    """A link or image rule (its text opens with `opener`) that fails at once where no `]` follows: its label
    cannot end (parseLinkLabel needs a `]` at its own nesting level)."""

    def guarded(state: Any, silent: bool) -> bool:
        if state.src.startswith(opener, state.pos) and _last_close(state) < state.pos + len(opener):
            return False
        return rule(state, silent)

    return guarded


def guard_note_ref(rule: Rule) -> Rule:
    """The footnote reference rule, failing at once where the `[^label` ends without `]` (a space, a line end or the
    end comes first) or its label is longer than every defined one: the rule would scan to the same place, for every
    `[^` of a run without spaces."""

    def guarded(state: Any, silent: bool) -> bool:
        start = state.pos
        if not state.src.startswith("[^", start):
            return False
        refs = state.env.get("footnotes", {}).get("refs") if isinstance(state.env, dict) else None
        if not refs:
            return False
        memo: tuple[str, int, int] | None = getattr(state, "_wtpf_note", None)
        if memo is not None and memo[0] is state.src and memo[1] <= start + 2 <= memo[2]:
            stop = memo[2]  # no stop character between: the same one as for the last `[^` of this run
        else:
            found = _NOTE_STOP_RE.search(state.src, start + 2, state.posMax)
            stop = found.start() if found else state.posMax
            state._wtpf_note = (state.src, start + 2, stop)
        if stop >= state.posMax or state.src[stop] != "]":
            return False
        if stop - start - 2 > _longest_label(refs):
            return False  # no footnote has so long a label
        return rule(state, silent)

    return guarded


_longest: dict[int, tuple[object, int, int]] = {}


def _longest_label(refs: dict[str, Any]) -> int:
    """The length of the longest footnote label defined (keys are ':label'), computed once per set of labels."""
    known = _longest.get(id(refs))
    if known is None or known[0] is not refs or known[1] != len(refs):
        known = (refs, len(refs), max((len(key) - 1 for key in refs), default=0))
        _longest.clear()  # one document at a time
        _longest[id(refs)] = known
    return known[2]
