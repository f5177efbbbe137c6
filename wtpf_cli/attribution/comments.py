"""Contributors' comments (Word comments, CriticMarkup {>> <<}) placed in redlines and builds as Word comments."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from wtpf_cli.model import RBlock, RComment, Redline, RParagraph, RRun, RTable
from wtpf_cli.ooxml.revisions import Para
from wtpf_cli.store.comments import KeptComment, all_comments, kept_comments
from wtpf_cli.store.contributions import Contribution, find_contribution
from wtpf_cli.store.files import decode_text
from wtpf_cli.store.workspace import Workspace

_CRITIC_ANCHORED = re.compile(r"\{==(.*?)==\}\s*\{>>(.*?)<<\}", re.S)
_CRITIC_COMMENT = re.compile(r"\{>>(.*?)<<\}", re.S)
_CRITIC_MARKUP = re.compile(r"\{\+\+|\+\+\}|\{--.*?--\}|\{~~(.*?)~>|~~\}|\{==|==\}", re.S)
_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
CONTEXT = 40  # characters of text kept on each side of a comment's words, to tell repeated words apart


@dataclass(frozen=True, slots=True)
class SourceComment:
    """A comment as a source sent it (or as the workspace keeps it): the words it is anchored on, its text, and a
    little of the text around those words."""

    author: str
    date: str
    text: str
    anchor: str
    initials: str = ""
    before: str = ""
    after: str = ""


def contribution_comments(ws: Workspace, c: Contribution) -> list[SourceComment]:
    """The comments in a contribution's file, each under the contribution's source (reviewers kept as detail)."""
    path: Path = ws.root / "contributions" / c.id / c.file
    received = f"{c.received}T12:00:00Z"
    if path.suffix.lower() == ".docx":
        # Imported here: lxml and the Word reader load only for a Word contribution.
        from wtpf_cli.ooxml.inspection import inspect_docx
        from wtpf_cli.ooxml.package import open_docx

        package = open_docx(path)
        if package.related_part(package.main_document_name, "comments") is None:
            return []  # no comments part: not worth reading the whole file again (a merge reads it for its edits)
        found = inspect_docx(path)
        passages = _word_passages(found.paragraphs)
        out = []
        for k in found.comments:
            who = k.author.strip()
            detail = f"{who}: " if who and who.lower() != c.source.lower() else ""
            date = k.date if k.date and _UTC.match(k.date) else received
            text, at = passages.get(k.paragraph, ("", 0)) if k.paragraph is not None else ("", 0)
            before, after = _around(text, k.anchor, at)
            out.append(SourceComment(c.source, date, f"{detail}{k.text}", k.anchor, k.initials or "", before, after))
        return out
    if c.kind != "criticmarkup":
        return []
    text = decode_text(path.read_bytes(), str(path))
    found_critic = []
    for m in _CRITIC_ANCHORED.finditer(text):
        before = _CRITIC_MARKUP.sub("", _CRITIC_COMMENT.sub("", text[: m.start()]))
        after = _CRITIC_MARKUP.sub("", _CRITIC_COMMENT.sub("", text[m.end() :]))
        found_critic.append(
            SourceComment(c.source, received, m.group(2).strip(), m.group(1).strip(), "", _tail(before), _head(after))
        )
    rest = _CRITIC_ANCHORED.sub("", text)
    for m in _CRITIC_COMMENT.finditer(rest):
        before = _CRITIC_MARKUP.sub("", _CRITIC_COMMENT.sub("", rest[: m.start()]))
        words = before.split()
        anchor = words[-1] if words else ""
        context = _tail(before.rstrip()[: len(before.rstrip()) - len(anchor)])
        after = _CRITIC_MARKUP.sub("", _CRITIC_COMMENT.sub("", rest[m.end() :]))
        found_critic.append(SourceComment(c.source, received, m.group(1).strip(), anchor, "", context, _head(after)))
    return found_critic


def comments_of(ws: Workspace, ident: str, at: str | None) -> list[SourceComment]:
    """The comments of a merged contribution to show in a document of the draft at commit `at` (None: the working
    draft): those the workspace keeps, still open there; for a contribution merged before comments were kept,
    those of its file."""
    kept = kept_comments(ws, ident, at)
    return from_kept(kept) if kept is not None else contribution_comments(ws, find_contribution(ws, ident))


def open_comments(ws: Workspace) -> list[SourceComment]:
    """Every comment the workspace keeps that is not marked done (for the build of the working draft)."""
    return from_kept(all_comments(ws))


def from_kept(items: Iterable[KeptComment]) -> list[SourceComment]:
    """The open comments of a contribution as the workspace keeps them, to place in a document."""
    return [
        SourceComment(k.source, k.date, k.text, k.anchor, k.initials, k.before, k.after)
        for k in items
        if k.status == "open" and k.anchor
    ]


def _word_passages(paragraphs: Iterable[Para]) -> dict[int, tuple[str, int]]:
    """For each paragraph of a Word file (by index), the passage a reader sees it in and where it starts there: the
    paragraph itself, or for a table cell its row, cells joined by " | " (as attach_comments reads a table)."""
    rows: dict[str, list[Para]] = {}
    out: dict[int, tuple[str, int]] = {}
    for p in paragraphs:
        cell = _CELL.match(p.where)
        if cell:
            rows.setdefault(cell.group(1), []).append(p)
        else:
            out[p.index] = (p.text("accept"), 0)
    for cells in rows.values():
        texts = [_squeeze(p.text("accept")) for p in cells]
        row = " | ".join(texts)
        start = 0
        for p, text in zip(cells, texts, strict=True):
            out[p.index] = (row, start)
            start += len(text) + 3
    return out


_CELL = re.compile(r"^(table \d+, row \d+), cell \d+$")


def _around(text: str, anchor: str, start: int = 0) -> tuple[str, str]:
    """The text before and after the first occurrence of `anchor` in `text` from `start` on (spaces squeezed),
    CONTEXT characters each."""
    squeezed, needle = _squeeze(text), _squeeze(anchor)
    at = squeezed.find(needle, len(_squeeze(text[:start])) if start else 0) if needle else -1
    if at < 0:
        return "", ""
    return _tail(squeezed[:at]), _head(squeezed[at + len(needle) :])


def _squeeze(text: str) -> str:
    return " ".join(text.split()) if text.strip() else ""


def _tail(text: str) -> str:
    squeezed = " ".join(text.split())
    return squeezed[-CONTEXT:] + (" " if text[-1:].isspace() and squeezed else "")


def _head(text: str) -> str:
    squeezed = " ".join(text.split())
    return (" " if text[:1].isspace() and squeezed else "") + squeezed[:CONTEXT]


def best_occurrence(texts: list[str], needle: str, before: str, after: str) -> tuple[int, int] | None:
    """Where `needle` stands in `texts` (passages of visible text, spaces squeezed): (passage, character), the
    occurrence whose surroundings agree longest with `before` and `after`; the first of equals."""
    best: tuple[int, int, int] | None = None  # (score, passage, character)
    for i, text in enumerate(texts):
        at = text.find(needle)
        while at >= 0:
            score = _agree(text[:at][::-1], before[::-1]) + _agree(text[at + len(needle) :], after)
            if best is None or score > best[0]:
                best = (score, i, at)
            at = text.find(needle, at + 1)
    return (best[1], best[2]) if best is not None else None


def _agree(a: str, b: str) -> int:
    """The length of the common beginning of two texts, spaces ignored where one has them and the other not."""
    a, b = a.strip(), b.strip()
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def attach_comments(redline: Redline, comments: list[SourceComment]) -> tuple[Redline, list[str]]:
    """The redline with each comment anchored on the words (in the newer text) that match its anchor, where its
    surroundings agree best, or, where they were changed since the older text, on them in the older text (the
    deleted words: a comment on words another source replaced stays where it was made, as Word keeps it); a
    comment whose words are in neither is left out with a warning. A table is read row by row, cells joined by
    " | "."""
    blocks = list(redline.blocks)
    places: list[tuple[int, int]] = []  # (block, row: -1 for a paragraph)
    for i, block in enumerate(blocks):
        rows = 1 if isinstance(block, RParagraph) else len(block.rows)
        places += [(i, r if isinstance(block, RTable) else -1) for r in range(rows)]
    views: dict[bool, tuple[list[str], list[list[tuple[int, int] | None]]]] = {}

    def view(old: bool) -> tuple[list[str], list[list[tuple[int, int] | None]]]:
        """Each paragraph's or row's text as it reads now (or in the older text), and for each character its
        (cell, run), None between cells: read when first asked."""
        if old not in views:
            read = [_visible_row(cells, old) for cells in _rows(blocks)]
            views[old] = [t for t, _o in read], [o for _t, o in read]
        return views[old]

    warnings: list[str] = []
    for sc in comments:
        needle = " ".join(sc.anchor.split())
        found = first = None
        for old in (False, True):
            texts, owners = view(old)
            found = best_occurrence(texts, needle, sc.before, sc.after) if needle else None
            first = owners[found[0]][found[1]] if found else None
            if found is not None and first is not None:
                break
        if found is None or first is None:
            warnings.append(f"a comment from {sc.author} is anchored on words no longer in the text: {sc.anchor!r}")
            continue
        n, at = found
        cell, start = first
        in_cell = [o[1] for o in owners[n][at : at + len(needle)] if o is not None and o[0] == cell]
        comment = RComment(sc.author, sc.date, sc.text, start, in_cell[-1] + 1, sc.initials)
        i, r = places[n]
        block = blocks[i]
        if isinstance(block, RParagraph):
            blocks[i] = replace(block, comments=(*block.comments, comment))
        else:
            blocks[i] = _with_cell_comment(block, r, cell, comment)
    return replace(redline, blocks=tuple(blocks)), warnings


def _with_cell_comment(table: RTable, r: int, cell: int, comment: RComment) -> RTable:
    """The table with a comment on cell `cell` of row `r`."""
    rows = list(table.rows)
    row = rows[r]
    held = [*row.comments, *[()] * (len(row.cells) - len(row.comments))]
    held[cell] = (*held[cell], comment)
    rows[r] = replace(row, comments=tuple(held))
    return replace(table, rows=tuple(rows))


def _rows(blocks: list[RBlock]) -> Iterator[list[tuple[RRun, ...]]]:
    """The cells of each paragraph (one) and of each table row, in order."""
    for block in blocks:
        yield from [[block.runs]] if isinstance(block, RParagraph) else [list(row.cells) for row in block.rows]


def _visible_row(cells: list[tuple[RRun, ...]], old: bool = False) -> tuple[str, list[tuple[int, int] | None]]:
    """The visible text of a paragraph's runs (one cell) or of a table row's cells joined by " | " (with `old`, as
    the older text reads), and for each character its (cell, run)."""
    text: list[str] = []
    owner: list[tuple[int, int] | None] = []
    for k, runs in enumerate(cells):
        if k:
            text.append(" | ")
            owner += [None, None, None]
        seen, where = _visible(runs, old)
        text.append(seen)
        owner += [(k, run) for run in where]
    return "".join(text), owner


def _visible(runs: tuple[RRun, ...], old: bool = False) -> tuple[str, list[int]]:
    """The visible text of runs (deletions left out, spaces squeezed; with `old`, insertions left out instead) and,
    for each character, its run."""
    squeezed: list[str] = []
    owner: list[int] = []
    for k, r in enumerate(runs):
        if (r.ins if old else r.dele) is not None:
            continue
        for ch in r.token.text:
            if ch.isspace():
                if squeezed and squeezed[-1] == " ":
                    continue
                ch = " "
            squeezed.append(ch)
            owner.append(k)
    return "".join(squeezed), owner
