"""Write documents: the clean build of a version, the redline between two versions, and the annexes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wtpf_cli._collector import collector_paused
from wtpf_cli.attribution.draft_reader import load_version
from wtpf_cli.attribution.freeze import unchanged
from wtpf_cli.attribution.redline import RedlineRequest, RedlineResult, make_redline
from wtpf_cli.labels import label, version_name
from wtpf_cli.languages import word_tag
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.messages import Kind, Message, Result, warnings
from wtpf_cli.model import Meta, Redline, Summary
from wtpf_cli.ooxml.origin import Origin
from wtpf_cli.ooxml.writer import core_date, render_docx
from wtpf_cli.render.formats import AnnexFormat, BuildFormat, RedlineFormat, is_folder
from wtpf_cli.render.summary import first_page
from wtpf_cli.render.text import TextBlock, marked_text, redline_lines
from wtpf_cli.resources import template_path
from wtpf_cli.store.config import slugify
from wtpf_cli.store.files import decode_text, write_atomic
from wtpf_cli.store.versions import Resolved
from wtpf_cli.store.workspace import Workspace

if TYPE_CHECKING:
    from wtpf_cli.render.annex import Annex


@dataclass(frozen=True, slots=True)
class Written:
    """A file written and what it holds."""

    path: Path
    label: str


@dataclass(frozen=True, slots=True)
class RedlineOutput:
    """A redline made: the redline and its two ends, and the file written or, for the terminal, its lines."""

    made: RedlineResult
    written: Written | None = None  # the .docx or .html written; None for text
    text: tuple[TextBlock, ...] = ()  # format text: the legend, then each paragraph and table

    def sources_line(self) -> str:
        """The sources of its changes, for a one-line report: 'Brazil, ARIN' or 'no changes'."""
        return ", ".join(self.made.redline.sources) or "no changes"


def safe_stem(meta: Meta, fallback: str) -> str:
    """A readable, portable file name stem from symbol and version: 'WTPF-IEG-1-9_Second-Draft'."""
    sym = slugify(meta.symbol).upper() if meta.symbol else ""
    ver = "-".join(w.capitalize() for w in slugify(meta.version or fallback).split("-"))
    return "_".join(x for x in (sym, ver) if x) or "report"


def header_text(meta: Meta) -> str:
    """The running header: symbol and version (its name in the document's language)."""
    return " — ".join(x for x in (meta.symbol, version_name(meta.version or "Working draft", meta.language)) if x)


def redline_ends(result: RedlineResult) -> tuple[str, str]:
    """What a redline compares, in its language: ('First Draft (WTPF-IEG/1/2)', 'working draft')."""
    language = result.redline.meta.language

    def end(resolved: Resolved) -> str:
        if resolved.sha is None:
            return label("working draft", language)
        if resolved.version is None:
            return resolved.label
        name = version_name(resolved.version.name, language)
        return f"{name} ({resolved.version.symbol})" if resolved.version.symbol else name

    return end(result.old), end(result.new)


def revision_marks(result: RedlineResult) -> str:
    """'Revision marks from First Draft (WTPF-IEG/1/2) to working draft' in the redline's language."""
    old, new = redline_ends(result)
    return label("revision_marks", result.redline.meta.language, old=old, new=new)


def core_properties(meta: Meta, creator: str, description: str = "") -> dict[str, str]:
    """docProps/core.xml values: title, subject = version, keywords = symbol, language."""
    return {
        "title": meta.title,
        "subject": meta.version or "Working draft",
        "keywords": meta.symbol,
        "creator": creator,
        "description": description,
        "date": core_date(meta.date),
        "language": word_tag(meta.language),
    }


def docx_bytes(
    ws: Workspace,
    redline: Redline,
    description: str = "",
    summary: Summary | None = None,
    origin: Origin | None = None,
) -> bytes:
    """Render a redline (or clean document) in the house template, carrying where it comes from (with `summary`,
    a first page saying what it changed)."""
    meta = redline.meta
    return render_docx(
        redline,
        template_path("reference.docx"),
        header_text=header_text(meta),
        core=core_properties(meta, ws.config.secretariat, description),
        summary=summary,
        custom=(origin or Origin(ws.config.report_id)).properties(),
    )


def origin_of(ws: Workspace, resolved: Resolved, document: str) -> Origin:
    """Where a document of a version comes from: the report, the version's name, symbol and commit (the working
    draft: the last commit, when the draft is as committed there; no version)."""
    if resolved.sha is not None:
        version = resolved.version
        name, symbol = (version.name, version.symbol) if version else ("", "")
        return Origin(ws.config.report_id, name, symbol, resolved.sha, document)
    head = ws.history.head()
    committed = ws.history.read_file(head, ws.draft_repo_path) if head else None
    clean = committed is not None and committed == ws.draft_path.read_bytes()
    return Origin(ws.config.report_id, "", "", head if head and clean else "", document)


def _out_path(ws: Workspace, out: Path | str | None, stem: str, ext: str) -> Path:
    """Where to write: `out` itself, or a file named from symbol and version in the folder `out` names (one ending
    in `/` is made) or in the current folder."""
    if out is None:
        return Path.cwd() / f"{stem}.{ext}"
    if is_folder(out):
        Path(out).mkdir(parents=True, exist_ok=True)
        return Path(out) / f"{stem}.{ext}"
    return Path(out)


def build(ws: Workspace, ref: str | None, out: Path | str | None, fmt: BuildFormat = "docx") -> Result[Written]:
    """A clean document of one version (default: the working draft), with the parser's warnings."""
    with collector_paused():
        return _build(ws, ref, out, fmt)


def _build(ws: Workspace, ref: str | None, out: Path | str | None, fmt: BuildFormat) -> Result[Written]:
    resolved, doc = load_version(ws, ref)
    stem = safe_stem(doc.meta, "working-draft")
    messages = warnings(doc.warnings)
    if fmt == "md":
        if resolved.sha is None:
            data = ws.draft_path.read_bytes()
        else:
            data = ws.history.read_file(resolved.sha, ws.draft_repo_path) or b""
        decode_text(data, ws.draft_repo_path)
        path = _out_path(ws, out, stem, "md")
        write_atomic(path, data)
    elif fmt == "html":
        from wtpf_cli.render.html import render_html  # the page's renderer: only `--format html` needs it

        path = _out_path(ws, out, stem, "html")
        clean, notes = _with_open_comments(ws, resolved, unchanged(doc))
        write_atomic(path, render_html(clean, description=doc.meta.title, is_redline=False))
        messages += notes + _image_warnings(ws, resolved)
    elif fmt == "pdf":
        path = _out_path(ws, out, stem, "pdf")
        clean, notes = _with_open_comments(ws, resolved, unchanged(doc))
        write_atomic(path, pdf_bytes(docx_bytes(ws, clean), path.name))
        messages += notes
    else:
        path = _out_path(ws, out, stem, "docx")
        clean, notes = _with_open_comments(ws, resolved, unchanged(doc))
        write_atomic(path, docx_bytes(ws, clean, origin=origin_of(ws, resolved, "build")))
        messages += notes
    return Result(Written(path, resolved.label), messages)


def pdf_bytes(docx: bytes, name: str) -> bytes:
    """The PDF of a .docx, made by LibreOffice (render/pdf.py)."""
    from wtpf_cli.render.pdf import pdf_from_docx  # LibreOffice: only PDF output needs it

    return pdf_from_docx({name: docx})[name]


def _with_open_comments(ws: Workspace, resolved: Resolved, clean: Redline) -> tuple[Redline, tuple[Message, ...]]:
    """The working draft with the contributors' comments not yet marked done, as Word comments under each source;
    a stamped version is built as posted, without them."""
    if resolved.sha is not None:
        return clean, ()
    from wtpf_cli.attribution.comments import attach_comments, open_comments  # contribution records: drafts only

    found = open_comments(ws)
    if not found:
        return clean, ()
    placed, notes = attach_comments(clean, found)
    return placed, warnings(notes)


def _image_warnings(ws: Workspace, resolved: Resolved) -> tuple[Message, ...]:
    """The page embeds no image and fetches none: one warning for each image the draft shows (as `wtpf check`
    finds them, rules MD002/MD003)."""
    from wtpf_cli.reporting.check import check_markdown  # the gate's rules load the merge's modules: html only

    if resolved.sha is None:
        data = ws.draft_path.read_bytes()
    else:
        data = ws.history.read_file(resolved.sha, ws.draft_repo_path) or b""
    parts = split_front_matter(decode_text(data, ws.draft_repo_path), path=ws.draft_repo_path)
    if "![" not in parts.body:  # every image, inline or by reference, starts so: no second parse without one
        return ()
    found = check_markdown(ws.draft_repo_path, parts.body, parts.body_line, ws.draft_path.parent)
    return tuple(
        Message(
            Kind.WARNING,
            f"{f.file} line {f.line}: an image is left out of the page, shown as its alt text ({f.rule})",
            f"{f.file}:{f.line}",
        )
        for f in found
        if f.rule in ("MD002", "MD003")
    )


def redline_stem(result: RedlineResult) -> str:
    """'WTPF-IEG-1-9_Second-Draft_redline-from-first-draft'."""
    old = result.redline.old_meta
    return f"{safe_stem(result.redline.meta, 'working-draft')}_redline-from-{_ref_slug(old, result.old)}"


def _ref_slug(meta: Meta, resolved: Resolved) -> str:
    if resolved.version is not None:
        return resolved.version.slug
    return slugify(meta.version or resolved.label)


def redline(
    ws: Workspace,
    request: RedlineRequest,
    out: Path | str | None,
    fmt: RedlineFormat = "docx",
    *,
    changed_only: bool = False,
) -> Result[RedlineOutput]:
    """The redline between two versions written as `fmt` (text: lines for the terminal, or with `out` a file with
    visible marks; with `changed_only`, only the paragraphs and tables that changed), with the warnings of placing
    the contributors' comments in it and of ends given newest first."""
    if fmt == "text":
        made = make_redline(ws, request)
        output = RedlineOutput(made, text=tuple(redline_lines(made.redline, changed_only=changed_only)))
        if out is not None:
            path = _out_path(ws, out, redline_stem(made), "txt")
            write_atomic(path, marked_text(output.text).encode())
            output = RedlineOutput(made, Written(path, "the text redline"), output.text)
    elif fmt == "pdf":
        written, made = redline_docx(ws, request, out, pdf=True)
        output = RedlineOutput(made, written)
    else:
        written, made = (redline_html if fmt == "html" else redline_docx)(ws, request, out)
        output = RedlineOutput(made, written)
    return Result(output, (*_reversed(ws, made), *warnings(made.redline.warnings)))


def _reversed(ws: Workspace, made: RedlineResult) -> tuple[Message, ...]:
    """A warning when FROM is newer than TO: the redline then shows the changes undone."""
    old, new = made.old.sha, made.new.sha
    if old is None or new is None or old == new or not ws.history.is_ancestor(new, old):
        return ()
    text = f"FROM, {made.old.label}, is newer than TO, {made.new.label}: the redline shows the changes reversed"
    return (Message(Kind.WARNING, text),)


def redline_docx(
    ws: Workspace, request: RedlineRequest, out: Path | str | None, *, pdf: bool = False
) -> tuple[Written, RedlineResult]:
    """The Word redline between two versions, each change under its source (or, with `pdf`, its PDF)."""
    with collector_paused():
        result = make_redline(ws, request)
        path = _out_path(ws, out, redline_stem(result), "pdf" if pdf else "docx")
        description = f"Revision marks from {result.old.label} to {result.new.label}"
        title = revision_marks(result)
        summary = first_page(result.redline, *redline_ends(result), title) if request.summary else None
        data = docx_bytes(ws, result.redline, title, summary, origin_of(ws, result.new, "redline"))
    write_atomic(path, pdf_bytes(data, path.name) if pdf else data)
    return Written(path, description), result


def redline_html(ws: Workspace, request: RedlineRequest, out: Path | str | None) -> tuple[Written, RedlineResult]:
    """The redline as one self-contained HTML page, each change coloured by its source."""
    from wtpf_cli.render.html import render_html  # the page's renderer: only `--format html` needs it

    with collector_paused():
        result = make_redline(ws, request)
        path = _out_path(ws, out, redline_stem(result), "html")
        description = f"Revision marks from {result.old.label} to {result.new.label}"
        ends = (result.old.label, result.new.label)
        page = render_html(result.redline, description=description, ends=ends)
    write_atomic(path, page)
    return Written(path, description), result


def write_annex(ws: Workspace, annex: Annex, out: Path | str | None, fmt: AnnexFormat, stem: str) -> Path:
    """Write an annex as .md, as .docx in the house template, or as its PDF."""
    from wtpf_cli.render.annex import annex_document, annex_markdown  # the annexes' layout: only they need it

    path = _out_path(ws, out, stem, fmt)
    if fmt == "md":
        write_atomic(path, annex_markdown(annex).encode())
        return path
    origin = Origin(ws.config.report_id, document="annex")
    data = docx_bytes(ws, unchanged(annex_document(annex)), origin=origin)
    write_atomic(path, pdf_bytes(data, path.name) if fmt == "pdf" else data)
    return path
