"""Read Word revision marks: each tracked change and comment of a .docx, paragraph by paragraph.

The walk is our own (python-docx's ``paragraph.text`` drops inserted and deleted text) and iterative (walk.py).
Paragraphs come in document order: the body (table cells row by row, where the table stands), then footnotes,
then endnotes; then the comments, and the formatting changes of style and numbering definitions.
"""

from __future__ import annotations

from typing import Literal

from wtpf_cli.errors import InputRejected
from wtpf_cli.ooxml.comments import read_comments
from wtpf_cli.ooxml.definitions import link_targets, read_lists, read_styles
from wtpf_cli.ooxml.package import DocxPackage
from wtpf_cli.ooxml.revisions import Change, Inspection
from wtpf_cli.ooxml.walk import ChangeDraft, Context, Handler, Walk, local_name
from wtpf_cli.ooxml.walk_blocks import BLOCK_HANDLERS
from wtpf_cli.ooxml.walk_runs import RUN_HANDLERS
from wtpf_cli.ooxml.wordml import FORMAT_CHANGES, REVISION_TAGS, STRICT_W, W

_NOTE_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
_HANDLERS: dict[str, Handler] = {**BLOCK_HANDLERS, **RUN_HANDLERS}


def read_inspection(package: DocxPackage) -> Inspection:
    """Read every paragraph, tracked change and comment of a checked .docx package."""
    main = package.main_document_name
    root = package.part(main)
    if root is not None and str(root.tag).startswith(STRICT_W):
        raise InputRejected(
            "a Strict Open XML document, which is not read: save it in Word as a Word Document (.docx)",
            path=str(package.path),
        )
    walk = Walk(_HANDLERS)
    body = root.find(f"{W}body") if root is not None else None
    if body is not None:
        walk.links = link_targets(package, main)
        walk.walk(body, Context(part="document", where="body"))
    for kind in ("footnotes", "endnotes"):
        _read_notes(package, main, kind, walk)
    comments = read_comments(package, main, walk.anchors, walk.comment_paragraph, walk.warnings)
    _read_definitions(package, main, walk.changes)
    _check_other_parts(package, main, walk.warnings)
    changes = tuple(
        Change(
            kind=d.kind,
            author=d.author,
            date=d.date,
            text="".join(d.pieces),
            part=d.part,
            paragraph=d.paragraph,
            where=d.where,
            detail=d.detail,
            revision_id=d.revision_id,
        )
        for d in walk.changes
    )
    walk.release()
    lists, styles = read_lists(package, main), read_styles(package, main)
    return Inspection(tuple(walk.paragraphs), changes, comments, tuple(dict.fromkeys(walk.warnings)), lists, styles)


def _read_notes(package: DocxPackage, main: str, kind: Literal["footnotes", "endnotes"], walk: Walk) -> None:
    """Footnote or endnote paragraphs, each note held by its reference's revision state."""
    name = package.related_part(main, kind)
    root = package.part(name) if name else None
    if root is None or name is None:
        return
    tag = f"{W}{kind[:-1]}"
    links = link_targets(package, name)
    for note in root.iter(tag):
        if note.get(f"{W}type") in _NOTE_SEPARATORS:
            continue
        note_id = note.get(f"{W}id", "")
        key = f"{kind}:{note_id}"
        if key not in walk.note_refs:
            continue  # a note nothing refers to is not shown by Word
        inserted, deleted = walk.note_refs[key]
        walk.flow += 1
        walk.links = links
        ctx = Context(part=kind, where=f"{kind[:-1]} {note_id}", held_inserted=inserted, held_deleted=deleted)
        walk.walk(note, ctx)
    walk.flow += 1


def _read_definitions(package: DocxPackage, main: str, out: list[ChangeDraft]) -> None:
    """Formatting changes in style and numbering definitions (text unaffected)."""
    changes = {f"{W}{tag}" for tag in FORMAT_CHANGES}
    for kind, holders in (("styles", ("style",)), ("numbering", ("abstractNum", "num"))):
        name = package.related_part(main, kind)
        root = package.part(name) if name else None
        if root is None:
            continue
        for holder in root.iter(*(f"{W}{tag}" for tag in holders)):
            label = holder.get(f"{W}styleId") or holder.get(f"{W}abstractNumId") or holder.get(f"{W}numId") or ""
            for found in holder.iter(*changes):
                out.append(
                    ChangeDraft(
                        kind="format",
                        author=found.get(f"{W}author", ""),
                        date=found.get(f"{W}date"),
                        part="styles" if kind == "styles" else "numbering",
                        paragraph=None,
                        where=f"{local_name(holder)} {label}",
                        detail=local_name(found),
                        revision_id=found.get(f"{W}id"),
                    )
                )


def _check_other_parts(package: DocxPackage, main: str, warnings: list[str]) -> None:
    """Warn about tracked changes in headers and footers, which are not read."""
    for rel in package.relationships(main):
        kind = rel.rel_type.rsplit("/", 1)[-1]
        if rel.external or kind not in ("header", "footer"):
            continue
        root = package.part(rel.target)
        if root is not None and any(e.tag in REVISION_TAGS for e in root.iter()):
            warnings.append(f"tracked changes in {rel.target} ({kind}) are not read")
