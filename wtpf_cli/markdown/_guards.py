"""Speed only: markdown-it's inline rules for links, images and footnote references, guarded so that a paragraph of
unmatched brackets is read in linear time (each `[` would otherwise scan the rest of its paragraph: quadratic), and
a footnote reference is not first tried as a link.

Each guarded rule must give what the rule it guards gives (`markdown_it.rules_inline.link`, `image`, `text`,
`mdit_py_plugins.footnote`'s `footnote_ref`): a guard only answers "no match" where the rule would, found without
the scan, and the text rule's guard takes as text only what markdown-it would add to the pending text.
tests/test_fuzz_markdown.py (test_the_guarded_parser_gives_the_tokens_of_markdown_its_own) compares the token
streams of the parser with and without the guards on generated Markdown heavy in brackets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdown_it.common.utils import normalizeReference

Rule = Callable[[Any, bool], bool]
_NOTE_STOP_RE = re.compile(r"[ \n\]]")
# Where markdown-it's text rule stops (rules_inline/text.py: a rule may start at these), before it kept a regex.
_TERMINATORS = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~]")
# A footnote reference whose label holds no character that parseLinkLabel's skipToken reads as more than itself.
_PLAIN_NOTE_RE = re.compile(r"\[\^[A-Za-z0-9_-]+\]")


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


def guard_open_bracket(rule: Rule) -> Rule:
    """The text rule, reading also as text a `[` that no `]` follows, and the text after it up to a character
    other than `[` where a rule may start: at such a `[` only a link or a footnote reference could start, and both
    need the `]`; markdown-it would try each rule there, then add the `[` to the pending text."""

    def guarded(state: Any, silent: bool) -> bool:
        start = state.pos
        if not state.src.startswith("[", start) or _last_close(state) > start:
            return rule(state, silent)
        terminators = getattr(state.md.inline, "terminator_re", _TERMINATORS)  # (markdown-it-py 4.3 has its own)
        end = start + 1
        while end < state.posMax:
            found = terminators.search(state.src, end, state.posMax)
            end = found.start() if found else state.posMax
            if end >= state.posMax or state.src[end] != "[":
                break
            end += 1
        if not silent:
            if hasattr(state, "append_pending"):  # markdown-it-py 4.3 buffers the pending text
                state.append_pending(state.src[start:end])
            else:
                state.pending += state.src[start:end]
        state.pos = end
        return True

    return guarded


def guard_note_link(rule: Rule) -> Rule:
    """The link rule, failing at once at a footnote reference `[^label]` that no `(` follows, where no link
    reference can match: none is defined, or none by that label and no `[` follows (a full reference's second
    label). The rule would find the same `]` a token at a time, then fail on the reference lookup."""

    def guarded(state: Any, silent: bool) -> bool:
        start = state.pos
        if state.src.startswith("[^", start):
            found = _PLAIN_NOTE_RE.match(state.src, start, state.posMax)
            if found is not None:
                end = found.end()
                follows = state.src[end] if end < state.posMax else ""
                if follows != "(":
                    refs = state.env.get("references") if isinstance(state.env, dict) else None
                    if not refs:
                        return False
                    if follows != "[" and normalizeReference(state.src[start + 1 : end - 1]) not in refs:
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
