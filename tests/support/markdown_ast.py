"""Two Markdown drafts compared by structure, through pandoc's syntax tree: what a merge must get right.

``structure(markdown)`` reads the text with pandoc (``gfm``: CommonMark with pipe tables and footnotes, as wtpf
writes its drafts; a YAML front matter block is left out) and gives one line per block, list item, table row
and note, so that two drafts that differ only in how they are spelled out (line wrapping, spaces, ``*`` or
``_``, table alignment marks, the numbers of footnote labels) give the same lines::

    h1 1 Introduction                 a heading and its level
    p 1.1. The **issues** in *101*.   a paragraph: strong, emphasis, [text](target), `code`, [^1]
    - Open participation.             a bullet item; nested items indented by two spaces
    3. Adopt the report.              an item of an ordered list, numbered from the list's start
    | Region | Status |                a table row (head rows first)
    [^1]: Source: registries.         a note, numbered in the order of its references

Two lists of a kind in a row read as one list (Markdown cannot put them side by side; pandoc reads a numbered
list LibreOffice saved as two, see ``docx_structure``). ``assert_same_structure(actual, expected)`` fails with
a unified diff of those lines.

``docx_structure(path, view)`` gives the same lines for a .docx as pandoc reads it with the changes accepted
or rejected, from its first heading on (a wtpf build's cover comes before), so that a delegate's file can be
held against the Markdown it should come to. Three gaps of pandoc's reading are made up for there, and only
there: LibreOffice writes a list's first item under a numId of its own (with a restart) and the rest under
another, which Word reads as one list and pandoc as two (the second numbered from 1 again): adjacent ordered
lists are numbered on; pandoc keeps the paragraph of a deleted paragraph mark apart (Word joins it), which
leaves an empty list item where a delegate deleted one: empty items are left out (and not numbered); pandoc
keeps a deleted row as an empty one: empty rows are left out; the zero-width joiner LibreOffice types into a
row it inserts is left out.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

import pypandoc

FRONT_MATTER = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.DOTALL)


def structure(markdown: str) -> list[str]:
    """The normalised lines of ``markdown`` (see the module's docstring)."""
    body = FRONT_MATTER.sub("", markdown, count=1)
    tree: dict[str, Any] = json.loads(pypandoc.convert_text(body, "json", format="gfm"))
    return _lines(tree["blocks"])


def docx_structure(path: Path, view: str) -> list[str]:
    """The normalised lines of ``path`` as pandoc reads it after Accept All (``"accept"``) or Reject All
    (``"reject"``), from its first heading on; the zero-width joiner LibreOffice types into a row it inserts is
    left out."""
    raw = pypandoc.convert_file(str(path), "json", format="docx", extra_args=[f"--track-changes={view}"])
    blocks: list[dict[str, Any]] = json.loads(raw.replace("\\u200d", "").replace("\u200d", ""))["blocks"]
    first = next((n for n, block in enumerate(blocks) if block["t"] == "Header"), 0)
    return _lines(blocks[first:], empty_items=False)


def _lines(blocks: list[dict[str, Any]], *, empty_items: bool = True) -> list[str]:
    walker = _Walker(empty_items)
    lines = walker.blocks(blocks, "")
    return lines + [f"[^{n}]: {text}" for n, text in enumerate(walker.notes, 1)]


def assert_same_structure(actual: str, expected: str, *, what: str = "draft") -> None:
    """Fail, with a diff of the structures, unless the two Markdown texts have the same structure."""
    got, wanted = structure(actual), structure(expected)
    if got != wanted:
        diff = difflib.unified_diff(wanted, got, "expected", f"actual {what}", lineterm="")
        raise AssertionError(f"the {what} differs in structure from the expected one:\n" + "\n".join(diff))


class _Walker:
    def __init__(self, empty_items: bool = True) -> None:
        self.notes: list[str] = []
        self.empty_items = empty_items
        self.number_on: int | None = None  # the next number, right after an ordered list

    def blocks(self, blocks: list[dict[str, Any]], indent: str) -> list[str]:
        out: list[str] = []
        for block in blocks:
            number_on, self.number_on = self.number_on, None
            if block["t"] == "OrderedList":
                start = number_on if number_on is not None else block["c"][0][0]
                out.extend(self.ordered(block["c"][1], start, indent))  # sets number_on
            else:
                out.extend(self.block(block, indent))
        return out

    def ordered(self, items: list[list[dict[str, Any]]], start: int, indent: str) -> list[str]:
        out: list[str] = []
        for item in items:
            lines = self.item(item, indent, f"{start}.")
            start += bool(lines)
            out.extend(lines)
        self.number_on = start
        return out

    def block(self, block: dict[str, Any], indent: str) -> list[str]:
        kind: str = block["t"]
        c: Any = block.get("c")
        if kind == "Header":
            return [f"{indent}h{c[0]} {self.inlines(c[2])}"]
        if kind in ("Para", "Plain"):
            return [f"{indent}p {self.inlines(c)}"]
        if kind == "BulletList":
            return [line for item in c for line in self.item(item, indent, "-")]
        if kind == "Table":
            return self.table(c, indent)
        if kind == "BlockQuote":
            return self.blocks(c, indent + "> ")
        if kind == "CodeBlock":
            return [f"{indent}code {line}" for line in c[1].splitlines()]
        if kind == "Div":
            return self.blocks(c[1], indent)
        if kind == "HorizontalRule":
            return [f"{indent}---"]
        if kind == "RawBlock":
            return [f"{indent}raw {c[1].strip()}"]
        return [f"{indent}{kind}"]

    def item(self, blocks: list[dict[str, Any]], indent: str, marker: str) -> list[str]:
        """A list item: its first paragraph after the marker, the rest (nested lists...) indented under it."""
        lines = self.blocks(blocks, indent + "  ")
        if not lines and not self.empty_items:
            return []
        if lines and lines[0].startswith(indent + "  p "):
            return [f"{indent}{marker} {lines[0][len(indent) + 4 :]}", *lines[1:]]
        return [f"{indent}{marker}", *lines]

    def table(self, c: list[Any], indent: str) -> list[str]:
        _attr, _caption, _colspecs, head, bodies, foot = c
        rows: list[Any] = list(head[1])
        for body in bodies:
            rows.extend(body[2])
            rows.extend(body[3])
        rows.extend(foot[1])
        out = []
        for _row_attr, cells in rows:
            texts = [" / ".join(self.cell(cell[4])) for cell in cells]
            if self.empty_items or any(texts):
                out.append(f"{indent}| " + " | ".join(texts) + " |")
        return out

    def cell(self, blocks: list[dict[str, Any]]) -> list[str]:
        return [line[2:] if line.startswith("p ") else line for line in self.blocks(blocks, "")]

    def inlines(self, inlines: list[dict[str, Any]]) -> str:
        return " ".join("".join(self.inline(inline) for inline in inlines).split())

    def inline(self, inline: dict[str, Any]) -> str:
        kind: str = inline["t"]
        c: Any = inline.get("c")
        if kind == "Str":
            return str(c)
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "LineBreak":
            return "\\n"
        if kind == "Strong":
            return f"**{self.inlines(c)}**"
        if kind == "Emph":
            return f"*{self.inlines(c)}*"
        if kind in ("Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            return f"<{kind.lower()}>{self.inlines(c)}</{kind.lower()}>"
        if kind == "Link":
            return f"[{self.inlines(c[1])}]({c[2][0]})"
        if kind == "Image":
            return f"![{self.inlines(c[1])}]({c[2][0]})"
        if kind == "Code":
            return f"`{c[1]}`"
        if kind == "Quoted":
            quote = '"' if c[0]["t"] == "DoubleQuote" else "'"
            return quote + self.inlines(c[1]) + quote
        if kind == "Note":
            self.notes.append(" / ".join(line[2:] if line.startswith("p ") else line for line in self.blocks(c, "")))
            return f"[^{len(self.notes)}]"
        if kind == "Span":
            return self.inlines(c[1])
        if kind == "RawInline":
            return str(c[1])
        return ""
