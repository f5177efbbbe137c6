"""Read .docx files the way pandoc does: a second reader, independent of LibreOffice and of our own code.

``pandoc_read(path, track_changes)`` runs pandoc's docx reader (``--track-changes=accept|reject|all``), takes
its JSON syntax tree and flattens it into plain paragraph texts:

- every paragraph-like block (paragraph, heading, plain text, code block, each line of a line block) is one
  string; inline structure is dropped: emphasis, links and spans keep only their text, ``Space`` and
  ``SoftBreak`` become ``" "``, ``LineBreak`` becomes ``"\\n"``, images and raw inlines give nothing, math its
  TeX source;
- lists contribute their items' paragraphs in order, *without* numbers or bullets (pandoc keeps those as list
  structure, not text); nested lists, block quotes and divs are flattened the same way; a definition list
  gives each term, then its definitions;
- a table contributes its caption's paragraphs, then every cell's paragraphs row by row (head rows, body
  rows, foot rows), left to right, where the table stands; a merged cell appears once;
- footnotes and endnotes (pandoc does not tell them apart) are taken out of the text: each becomes one
  string of ``footnotes``, its paragraphs joined by ``"\\n"``, in the order of their references;
- paragraphs in Word's Title, Subtitle, Author, Date and Abstract styles are not in ``body``: pandoc moves
  them into the document's metadata, given here as ``meta`` (``{"title": "...", ...}``);
- empty paragraphs are dropped by pandoc (LibreOffice keeps them as ``""``): compare word sequences;
- with ``accept``, pandoc does not join the two paragraphs around a deleted paragraph mark (Word and
  LibreOffice do: ``"add.You"`` where pandoc gives ``"add."``, ``"You"``);
- the first page of a redline (its summary, in the Revision Summary styles) is left out of ``body`` unless
  ``summary``: pandoc's docx reader tells styles apart only with ``+styles`` (which changes other things, Title
  and Subtitle staying in the body), so a file that holds the summary is read once more so to count its blocks.

With ``track_changes="all"`` both inserted and deleted text stay in the paragraphs, ``changes`` lists
pandoc's change marks: ``{"type": "Insert" | "Delete" | "ParagraphInsert" | "ParagraphDelete", "author",
"date", "text"}`` (dates as pandoc gives them, ``...Z``), and ``comments`` the comments (``{"author", "date",
"text"}``), which pandoc otherwise drops; their text is kept out of ``body``.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import SUMMARY_STYLE_NAMES, words

TRACK_CHANGES = ("accept", "reject", "all")
SPAN_CHANGE_TYPES = {
    "insertion": "Insert",
    "deletion": "Delete",
    "paragraph-insertion": "ParagraphInsert",
    "paragraph-deletion": "ParagraphDelete",
}


class PandocError(RuntimeError):
    """pandoc could not read a file."""


@dataclass(frozen=True)
class PandocDoc:
    body: list[str]
    footnotes: list[str]
    meta: dict[str, str] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)

    def words(self) -> list[str]:
        """The body's words, split on whitespace."""
        return words(self.body)


@functools.cache
def pandoc_path() -> str:
    """The pandoc binary: pypandoc-binary's, else one on PATH."""
    try:
        import pypandoc

        found = str(pypandoc.get_pandoc_path())
        if found:
            return found
    except (ImportError, OSError):
        pass
    on_path = shutil.which("pandoc")
    if on_path is None:
        raise PandocError("pandoc not found: pip install pypandoc-binary")
    return on_path


def pandoc_json(path: Path, track_changes: str, *, styles: bool = False) -> dict[str, Any]:
    """pandoc's syntax tree of a .docx, as JSON (with ``styles``, read with ``docx+styles``)."""
    if track_changes not in TRACK_CHANGES:
        raise ValueError(f"track_changes must be one of {TRACK_CHANGES}, not {track_changes!r}")
    source = "--from=docx+styles" if styles else "--from=docx"
    run = subprocess.run(
        [pandoc_path(), source, "--to=json", f"--track-changes={track_changes}", str(path)],
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    if run.returncode != 0:
        raise PandocError(f"pandoc failed on {path}: {run.stderr.decode(errors='replace').strip()}")
    tree: dict[str, Any] = json.loads(run.stdout)
    return tree


def _summary_blocks(path: Path, track_changes: str) -> int:
    """How many of the first body blocks pandoc reads are a redline's first page (0 when it has none)."""
    with zipfile.ZipFile(path) as package:
        if b'w:val="RevisionSummaryTitle"' not in package.read("word/document.xml"):
            return 0
    count = 0
    for block in pandoc_json(path, track_changes, styles=True)["blocks"]:
        if block["t"] == "Table":
            cells = [cell[4] for body in block["c"][4] for _attr, cells in body[3] for cell in cells]
            cells += [cell[4] for _attr, cells in block["c"][3][1] for cell in cells]
            if cells and all(_custom_style(b) in SUMMARY_STYLE_NAMES for content in cells for b in content):
                count += 1
                continue
        elif block["t"] == "Div" and _custom_style(block) in SUMMARY_STYLE_NAMES:
            count += 1 if block["c"][1] else 0
            continue
        break
    return count


def _custom_style(block: dict[str, Any]) -> str | None:
    """The Word style of a block read with ``+styles`` (a Div's ``custom-style``), else None."""
    if block["t"] != "Div":
        return None
    return dict(block["c"][0][2]).get("custom-style")


def pandoc_read(path: Path, track_changes: str, *, summary: bool = False) -> PandocDoc:
    """The paragraphs, notes, metadata (and with ``"all"``, change marks) pandoc reads in ``path`` (a redline's
    first page only with ``summary``)."""
    tree = pandoc_json(path, track_changes)
    flattener = _Flattener()
    skip = 0 if summary else _summary_blocks(path, track_changes)
    body = flattener.blocks(tree["blocks"][skip:])
    meta = {key: flattener.meta(value) for key, value in tree.get("meta", {}).items()}
    return PandocDoc(
        body=body,
        footnotes=flattener.notes,
        meta=meta,
        changes=flattener.changes,
        comments=flattener.comments,
    )


def pandoc_paragraphs(path: Path, track_changes: str) -> list[str]:
    """The body paragraphs pandoc reads in ``path`` (see the module docstring for the flattening)."""
    return pandoc_read(path, track_changes).body


class _Flattener:
    def __init__(self) -> None:
        self.notes: list[str] = []
        self.changes: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []

    def blocks(self, blocks: list[dict[str, Any]]) -> list[str]:
        out: list[str] = []
        for block in blocks:
            out.extend(self.block(block))
        return out

    def block(self, block: dict[str, Any]) -> list[str]:
        kind: str = block["t"]
        c: Any = block.get("c")
        if kind in ("Para", "Plain"):
            return [self.inlines(c)]
        if kind == "Header":
            return [self.inlines(c[2])]
        if kind == "CodeBlock":
            return [c[1]]
        if kind == "LineBlock":
            return [self.inlines(line) for line in c]
        if kind in ("BlockQuote",):
            return self.blocks(c)
        if kind == "Div":
            return self.blocks(c[1])
        if kind == "BulletList":
            return [text for item in c for text in self.blocks(item)]
        if kind == "OrderedList":
            return [text for item in c[1] for text in self.blocks(item)]
        if kind == "DefinitionList":
            out: list[str] = []
            for term, definitions in c:
                out.append(self.inlines(term))
                for definition in definitions:
                    out.extend(self.blocks(definition))
            return out
        if kind == "Table":
            return self.table(c)
        if kind == "Figure":
            return self.blocks(c[1][1]) + self.blocks(c[2])
        return []  # HorizontalRule, RawBlock, Null

    def table(self, c: list[Any]) -> list[str]:
        _attr, caption, _colspecs, head, bodies, foot = c
        rows: list[Any] = list(head[1])
        for body in bodies:
            rows.extend(body[2])  # intermediate head rows
            rows.extend(body[3])
        rows.extend(foot[1])
        out = self.blocks(caption[1])
        for _row_attr, cells in rows:
            for cell in cells:
                out.extend(self.blocks(cell[4]))
        return out

    def inlines(self, inlines: list[dict[str, Any]]) -> str:
        return "".join(self.inline(inline) for inline in inlines)

    def inline(self, inline: dict[str, Any]) -> str:
        kind: str = inline["t"]
        c: Any = inline.get("c")
        if kind == "Str":
            return str(c)
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "LineBreak":
            return "\n"
        if kind in ("Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            return self.inlines(c)
        if kind == "Quoted":
            quote = '"' if c[0]["t"] == "DoubleQuote" else "'"
            return quote + self.inlines(c[1]) + quote
        if kind == "Cite":
            return self.inlines(c[1])
        if kind in ("Code", "Math"):
            return str(c[1])
        if kind == "Link":
            return self.inlines(c[1])
        if kind == "Span":
            if "comment-start" in c[0][1]:  # with --track-changes=all pandoc keeps comments inline
                self.comments.append({**self.attributes(c[0]), "text": self.inlines(c[1])})
                return ""
            text = self.inlines(c[1])
            self.note_change(c[0], text)
            return text
        if kind == "Note":
            self.notes.append("\n".join(self.blocks(c)))
            return ""
        return ""  # Image, RawInline

    def note_change(self, attr: list[Any], text: str) -> None:
        kinds = [SPAN_CHANGE_TYPES[cls] for cls in attr[1] if cls in SPAN_CHANGE_TYPES]
        if kinds:
            self.changes.append({"type": kinds[0], **self.attributes(attr), "text": text})

    @staticmethod
    def attributes(attr: list[Any]) -> dict[str, Any]:
        values = dict(attr[2])
        return {"author": values.get("author", ""), "date": values.get("date")}

    def meta(self, value: dict[str, Any]) -> str:
        kind: str = value["t"]
        c: Any = value.get("c")
        if kind == "MetaInlines":
            return self.inlines(c)
        if kind == "MetaBlocks":
            return "\n".join(self.blocks(c))
        if kind == "MetaList":
            return "\n".join(self.meta(item) for item in c)
        if kind == "MetaMap":
            return "\n".join(self.meta(item) for item in c.values())
        return str(c)  # MetaString, MetaBool
