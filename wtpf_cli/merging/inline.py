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
    groups: list[tuple[frozenset[str], str | None, str | None, list[str]]] = []  # marks, href, note, texts
    last: tuple[frozenset[str], str | None] | None = None
    for text, marks, href, note in pieces:
        if note is not None:
            groups.append((_NO_MARKS, None, note, []))
            last = None
            continue
        if not text:
            continue
        kept = marks & KEPT_MARKS if marks else _NO_MARKS
        if text.isspace():
            kept, href = _NO_MARKS, None  # a space's formatting does not show
        if last == (kept, href):
            groups[-1][3].append(text)
        else:
            groups.append((kept, href, None, [text]))
            last = (kept, href)
    if len(groups) <= 1 and (not groups or (not groups[0][0] and groups[0][1] is None)):
        return [Run("".join(g[3]), _NO_MARKS, None, g[2]) for g in groups]
    runs = [(kept, href, note, "".join(texts)) for kept, href, note, texts in groups]
    # A space between two runs of one formatting takes it: the three are one run.
    joined: list[tuple[frozenset[str], str | None, str | None, str]] = []
    k = 0
    while k < len(runs):
        kept, href, note, text = runs[k]
        if note is None and (kept or href is not None):
            while (
                k + 2 < len(runs)
                and runs[k + 1][2] is None
                and not runs[k + 1][0]
                and runs[k + 1][1] is None
                and runs[k + 1][3].isspace()
                and runs[k + 2][2] is None
                and (runs[k + 2][0], runs[k + 2][1]) == (kept, href)
            ):
                text += runs[k + 1][3] + runs[k + 2][3]
                k += 2
        joined.append((kept, href, note, text))
        k += 1
    # The spaces at a formatted run's edges go outside it; neighbours of one formatting join.
    out: list[Run] = []
    for kept, href, note, text in joined:
        if note is not None:
            out.append(Run("", _NO_MARKS, None, note))
            continue
        if not kept and href is None:
            _append(out, Run(text))
            continue
        core = text.strip()
        if len(core) != len(text):
            lead = text[: len(text) - len(text.lstrip())]
            if lead:
                _append(out, Run(lead))
            _append(out, Run(core, kept, href))
            trail = text[len(text.rstrip()) :]
            if trail:
                _append(out, Run(trail))
        else:
            _append(out, Run(text, kept, href))
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


def quick_key(pieces: Iterable[Piece]) -> str:
    """A key of pieces made in one pass: neighbours of one formatting joined, nothing else made canonical (not even
    spaces). Equal quick keys are equal keys (key_of of the canonical runs); the same content spelled otherwise (a
    space formatted apart, at a run's edge, two spaces) may give another quick key, and is then compared by key_of
    (a build's paragraphs and the base's tokens give the same quick key)."""
    parts: list[str] = []
    last: tuple[frozenset[str], str | None] | None = None
    for text, marks, href, note in pieces:
        if note is not None:
            if last is not None:
                parts.append("\x03")
                last = None
            parts.append("\x04")
            continue
        kept = marks & KEPT_MARKS if marks else _NO_MARKS
        if not kept and href is None:
            if last is not None:
                parts.append("\x03")
                last = None
            parts.append(text)
            continue
        if last != (kept, href):
            if last is not None:
                parts.append("\x03")
            parts.append(f"\x01{','.join(sorted(kept))}|{href or ''}\x02")
            last = (kept, href)
        parts.append(text)
    if last is not None:
        parts.append("\x03")
    return "".join(parts)


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


def reread(markdown: str) -> list[Run]:
    """The runs that inline Markdown reads back as (the note labels it refers to declared, so that they read as
    notes)."""
    return list(_reread(markdown, tuple(sorted(set(_NOTE_REFERENCE.findall(markdown))))))


_NOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")


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


@dataclass(frozen=True, slots=True)
class SourceWords:
    """A block's Markdown source and its text as the build shows it, split into words, and which word of the
    source each word of the text is (made once per base block: every contribution that changes it maps onto it)."""

    source: list[str]
    plain: list[str]
    to_source: dict[int, int]


def source_words(source: str, base_plain: str) -> SourceWords:
    """The words of a block's source and text, aligned."""
    src, plain = split_words(source), split_words(base_plain)
    to_src: dict[int, int] = {}
    for e in ranked_diff(plain, src):
        if e.op == "equal":
            to_src.update(zip(range(e.a0, e.a1), range(e.b0, e.b1), strict=True))
    return SourceWords(src, plain, to_src)


def mapped_text(words: SourceWords, new: str) -> tuple[str, list[str]]:
    """A block's source with the change from its text to `new` made at the words it touches, the markup around
    them kept; and the words of the text it could not find in the source (their change is left out)."""
    src, plain, to_src = words.source, words.plain, words.to_source
    removals: set[int] = set()
    inserts: dict[int, list[str]] = {}
    missing: list[str] = []
    for a0, a1, text in word_hunks(tuple(plain), tuple(split_words(new))):
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
