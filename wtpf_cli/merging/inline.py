"""Inline content as a merge of Word contributions compares and writes it: runs of text with one formatting
(bold, italic, code, strikethrough, a link) or a note reference, in one canonical form whatever the run
boundaries of the file or the tokens of the Markdown; their key (equal keys: the same text and formatting);
their Markdown; and the word mapping that makes a text change in a block's Markdown source at the words it
touches, leaving the markup around them as it was."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from wtpf_cli.diff.sequences import Edit
from wtpf_cli.markdown.blocks import markdown_parser
from wtpf_cli.markdown.tokens import inline_tokens, split_words
from wtpf_cli.merging.layout import ranked_diff

KEPT_MARKS = frozenset({"strong", "em", "code", "strike"})
_NO_MARKS: frozenset[str] = frozenset()
# A piece of inline content: text, marks, link target, note reference (the note's key or label, its text empty).
Piece = tuple[str, frozenset[str], str | None, str | None]


@dataclass(frozen=True, slots=True)
class Run:
    """Text with one formatting (marks of KEPT_MARKS, a link target), or a note reference (``note``; no text)."""

    text: str
    marks: frozenset[str] = _NO_MARKS
    href: str | None = None
    note: str | None = None

    @property
    def plain(self) -> bool:
        """Whether it is text without formatting."""
        return not self.marks and self.href is None and self.note is None


def canonical(pieces: Iterable[Piece]) -> list[Run]:
    """Runs of the pieces in one form: neighbours of one formatting joined, a space between two runs of one
    formatting taking it, the spaces at the edges of a formatted run left outside it."""
    runs: list[Run] = []
    for text, marks, href, note in pieces:
        if note is not None:
            runs.append(Run("", _NO_MARKS, None, note))
        elif text:
            kept = marks & KEPT_MARKS if marks else _NO_MARKS
            if text.isspace():
                kept, href = _NO_MARKS, None  # a space's formatting does not show
            _append(runs, Run(text, kept, href))
    if len(runs) == 1 and runs[0].plain:
        return runs
    joined: list[Run] = []
    for k, run in enumerate(runs):
        if run.plain and run.text.isspace() and joined and k + 1 < len(runs):
            before, after = joined[-1], runs[k + 1]
            if not before.plain and before.note is None and (before.marks, before.href) == (after.marks, after.href):
                joined[-1] = Run(before.text + run.text, before.marks, before.href)
                continue
        _append(joined, run)
    out: list[Run] = []
    for run in joined:
        if run.plain or run.note is not None:
            _append(out, run)
            continue
        core = run.text.strip()
        lead, trail = run.text[: len(run.text) - len(run.text.lstrip())], run.text[len(run.text.rstrip()) :]
        if lead:
            _append(out, Run(lead))
        _append(out, Run(core, run.marks, run.href))
        if trail:
            _append(out, Run(trail))
    return out


def _append(runs: list[Run], run: Run) -> None:
    """Add a run, joined to the last one when both are text of one formatting."""
    if runs:
        last = runs[-1]
        if last.note is None and run.note is None and (last.marks, last.href) == (run.marks, run.href):
            runs[-1] = Run(last.text + run.text, last.marks, last.href)
            return
    runs.append(run)


def key_of(runs: list[Run]) -> str:
    """The key of runs: equal for the same words with the same formatting, spaces counted as one."""
    parts: list[str] = []
    for run in runs:
        if run.note is not None:
            parts.append("\x04")
        elif run.plain:
            parts.append(run.text)
        else:
            parts.append(f"\x01{','.join(sorted(run.marks))}|{run.href or ''}\x02{run.text}\x03")
    return " ".join("".join(parts).split())


def plain_key(text: str) -> str:
    """key_of the runs of unformatted text (made without them: most paragraphs are plain)."""
    return " ".join(text.split())


# -- Markdown ---------------------------------------------------------------------------------------------------

_ESCAPE = re.compile(r"[\\`*\[\]<~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=#?\w+;)")
_LINE_START = re.compile(r"(#{1,6}|>|[-+*]|\d{1,9}[.)]|`{3,}|~{3,})(?=\s|$)|[>]")
_UNSAFE_URL = re.compile(r"[\s()<>]")


def escaped(text: str, *, cell: bool = False) -> str:
    """Text as Markdown that reads back as the same text (and, in a table cell, no pipe splits it)."""
    out = _ESCAPE.sub(lambda m: "\\" + m.group(0), text)
    return out.replace("|", "\\|") if cell else out


def markdown_of(runs: list[Run], labels: Mapping[str, str], *, cell: bool = False) -> str:
    """Runs as inline Markdown: links around their text, ``***``, ``**``, ``*``, backticks and ``~~`` around
    formatted text, ``[^label]`` for a note reference (its label from `labels`, by the note's key)."""
    out: list[str] = []
    k = 0
    while k < len(runs):
        run = runs[k]
        if run.href is None:
            out.append(_formatted(run, labels, cell))
            k += 1
            continue
        inner: list[str] = []
        while k < len(runs) and runs[k].href == run.href and runs[k].note is None:
            inner.append(_formatted(runs[k], labels, cell))
            k += 1
        href = run.href
        target = f"<{href.replace('<', '%3C').replace('>', '%3E')}>" if _UNSAFE_URL.search(href) else href
        out.append(f"[{''.join(inner)}]({target})")
    return "".join(out)


def _formatted(run: Run, labels: Mapping[str, str], cell: bool) -> str:
    if run.note is not None:
        return f"[^{labels.get(run.note, run.note)}]"
    if "code" in run.marks:
        fence = "``" if "`" in run.text else "`"
        pad = " " if run.text.startswith("`") or run.text.endswith("`") else ""
        text = f"{fence}{pad}{run.text}{pad}{fence}"
        if cell:
            text = text.replace("|", "\\|")
    else:
        text = escaped(run.text, cell=cell)
    if "strike" in run.marks:
        text = f"~~{text}~~"
    wrap = ("**" if "strong" in run.marks else "") + ("*" if "em" in run.marks else "")
    return f"{wrap}{text}{wrap[::-1]}" if wrap else text


def safe_start(line: str) -> str:
    """A paragraph's first line with what would make it a heading, quote, list item or fence escaped."""
    found = _LINE_START.match(line)
    if found is None:
        return line
    lead = found.group(0)
    if lead[0].isdigit():
        return lead[:-1] + "\\" + line[len(lead) - 1 :]
    return "\\" + line


def reread(markdown: str, labels: Iterable[str]) -> list[Run]:
    """The runs that inline Markdown reads back as (the note labels it uses declared, so that they read as notes)."""
    return list(_reread(markdown, tuple(sorted(set(labels)))))


@lru_cache(maxsize=1024)
def _reread(markdown: str, labels: tuple[str, ...]) -> tuple[Run, ...]:
    notes = "".join(f"\n\n[^{label}]: note" for label in labels)
    tokens = markdown_parser().parse(markdown + notes)
    inline = next((t for t in tokens if t.type == "inline"), None)
    if inline is None:
        return ()
    children = inline.children or []
    for before, after in itertools.pairwise(children):
        if before.type.endswith("_open") and after.type == before.type[:-5] + "_close":
            return (_EMPTY_MARKUP,)  # markup left around nothing (a link, emphasis): never what Word shows
    pieces = [(t.text, t.marks, t.href, t.note) for t in inline_tokens(children)]
    return tuple(canonical(pieces))


_EMPTY_MARKUP = Run("\x00")


# -- the word mapping -------------------------------------------------------------------------------------------


def mapped_text(source: str, base_plain: str, new: str) -> tuple[str, list[str]]:
    """`source` (a block's Markdown) with the change from `base_plain` (its text as the build shows it) to `new`
    made at the words it touches, the markup around them kept; and the words of the base it could not find in
    the source (their change is left out)."""
    src, plain, wanted = split_words(source), split_words(base_plain), split_words(new)
    to_src: dict[int, int] = {}
    for e in ranked_diff(plain, src):
        if e.op == "equal":
            to_src.update(zip(range(e.a0, e.a1), range(e.b0, e.b1), strict=True))
    removals: set[int] = set()
    inserts: dict[int, list[str]] = {}
    missing: list[str] = []
    for a0, a1, text in word_hunks(tuple(plain), tuple(wanted)):
        found = [to_src.get(k) for k in range(a0, a1)]
        lost = [plain[a0 + n] for n, m in enumerate(found) if m is None and not plain[a0 + n].isspace()]
        if lost:
            missing.extend(lost)
            continue
        mapped = [m for m in found if m is not None]
        if mapped:
            at = mapped[0]
        else:
            at = next((to_src[k] for k in range(a0, len(plain)) if k in to_src), len(src))
            before = next((to_src[k] for k in range(a0 - 1, -1, -1) if k in to_src), -1)
            if a0 >= len(plain) or at == len(src):  # at the end: after the last word that maps and its markup
                at = before + 1
                while at < len(src) and not src[at].isspace():
                    at += 1
        removals.update(mapped)
        inserts.setdefault(at, []).append(text)
    out: list[str] = []
    for k in range(len(src) + 1):
        out.extend(inserts.get(k, ()))
        if k < len(src) and k not in removals:
            out.append(src[k])
    return "".join(out), missing


def word_hunks(x: tuple[str, ...], y: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """The runs of changes of the word diff of x and y: (x0, x1, the text of y that replaces x[x0:x1])."""
    hunks: list[tuple[int, int, str]] = []
    pending: list[Edit] = []
    for e in [*ranked_diff(list(x), list(y)), None]:
        if e is not None and e.op != "equal":
            pending.append(e)
        elif pending:
            hunks.append((pending[0].a0, pending[-1].a1, "".join(y[pending[0].b0 : pending[-1].b1])))
            pending = []
    return hunks
