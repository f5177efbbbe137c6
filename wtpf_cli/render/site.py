"""`wtpf publish`: the ladder of versions as a static folder ready to post online.

For each stamped version, under its slug: the clean document (.docx, .pdf, .html) and the redline against the
version before it (.docx, .html); then index.html (render/index_page.py). The names never change, and a file whose
bytes are the same is not written again, so that a run after a new stamp touches only the new version's files and
the index.

What was made is kept in SITE/.wtpf-site.json: for each file, what it was made from (the commits, and for a PDF the
hash of its .docx) and the hash of its bytes. A file whose sources and settings are those recorded, and whose bytes
are still those recorded, is taken as it is, without building it again: this is what makes a second run fast, and
what keeps a PDF the same when its .docx is (LibreOffice writes the time of the run into it; render/pdf.py takes
that out, and this makes sure of it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wtpf_cli._collector import collector_paused
from wtpf_cli.attribution.draft_reader import load_version
from wtpf_cli.attribution.freeze import unchanged
from wtpf_cli.attribution.redline import RedlineRequest, make_redline
from wtpf_cli.errors import InputRejected
from wtpf_cli.messages import Result
from wtpf_cli.render.documents import docx_bytes, revision_marks
from wtpf_cli.render.html import render_html
from wtpf_cli.render.index_page import Entry, index_html
from wtpf_cli.reporting.schedule import make_schedule
from wtpf_cli.resources import template_path
from wtpf_cli.store.contributions import list_contributions
from wtpf_cli.store.files import write_atomic
from wtpf_cli.store.versions import Version, list_versions
from wtpf_cli.store.workspace import Workspace

MANIFEST = ".wtpf-site.json"
INDEX = "index.html"
Progress = Callable[[str, int, int], None]  # (what is being made, steps done, steps in all)


@dataclass(frozen=True, slots=True)
class Published:
    """A site written: its folder, the versions on it, and its files by what happened to them."""

    folder: Path
    versions: tuple[str, ...]
    written: tuple[str, ...]  # new or changed
    unchanged: tuple[str, ...]  # made again (or taken from the last run) with the same bytes: not rewritten
    removed: tuple[str, ...] = ()  # made by an earlier run and no longer part of the site


@dataclass
class _Site:
    """The folder being published and what its last run recorded."""

    folder: Path
    settings: str  # a hash of what every file depends on besides its commits: wtpf, the template, wtpf.toml
    recorded: dict[str, dict[str, str]]
    made: dict[str, dict[str, str]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def fresh(self, name: str, source: str) -> bool:
        """Whether `name` is on disk as the last run made it, from the same `source` and settings."""
        entry = self.recorded.get(name)
        if entry is None or entry.get("source") != source or entry.get("settings") != self.settings:
            return False
        path = self.folder / name
        return path.is_file() and _sha256(path.read_bytes()) == entry.get("sha256")

    def keep(self, *names: str) -> None:
        """Keep the files the last run made (they are fresh), as they are."""
        for name in names:
            self.made[name] = self.recorded[name]
            self.unchanged.append(name)

    def put(self, name: str, source: str, data: bytes) -> None:
        """Write `name` unless it already holds these bytes; record it."""
        path = self.folder / name
        digest = _sha256(data)
        if path.is_file() and _sha256(path.read_bytes()) == digest:
            self.unchanged.append(name)
        else:
            write_atomic(path, data)
            self.written.append(name)
        self.made[name] = {"source": source, "settings": self.settings, "sha256": digest}


def publish(ws: Workspace, folder: Path, *, pdf: bool = True, progress: Progress | None = None) -> Result[Published]:
    """Write the site of every stamped version into `folder` (PDF files need LibreOffice, unless `pdf` is False)."""
    versions = list_versions(ws)
    site = _Site(folder, _settings(ws), _read_manifest(folder))
    steps = 2 * len(versions) + (1 if pdf and versions else 0) + 1
    done = 0

    def step(what: str) -> None:
        nonlocal done
        if progress:
            progress(what, done, steps)
        done += 1

    entries: list[Entry] = []
    pdf_wanted: dict[str, str] = {}  # PDF name -> its .docx name
    with collector_paused():
        for k, version in enumerate(versions):
            previous = versions[k - 1] if k else None
            step(f"{version.name}: the clean document")
            _clean(ws, site, version)
            step(f"{version.name}: revision marks" + (f" from the {previous.name}" if previous else ""))
            if previous is not None:
                _redline(ws, site, previous, version)
            entries.append(Entry(version, _names(version, previous, pdf)))
            if pdf:
                pdf_wanted[f"{version.slug}.pdf"] = f"{version.slug}.docx"
    if pdf_wanted:
        step(f"PDF files of {len(pdf_wanted)} version(s) (LibreOffice)")
        _pdfs(site, pdf_wanted)
    step("the index page")
    page = index_html(ws.config, entries, make_schedule(ws), list_contributions(ws))
    site.put(INDEX, "", page)
    removed = _remove_stale(site)
    record = (json.dumps({"files": site.made}, indent=1, sort_keys=True) + "\n").encode()
    if not (folder / MANIFEST).is_file() or (folder / MANIFEST).read_bytes() != record:
        write_atomic(folder / MANIFEST, record)
    if progress:
        progress("done", steps, steps)
    names = tuple(v.name for v in versions)
    return Result(Published(folder, names, tuple(site.written), tuple(site.unchanged), removed))


def _names(version: Version, previous: Version | None, pdf: bool) -> dict[str, str]:
    """The files of a version's row on the index, by kind."""
    names = {"docx": f"{version.slug}.docx", "html": f"{version.slug}.html"}
    if pdf:
        names["pdf"] = f"{version.slug}.pdf"
    if previous is not None:
        stem = _redline_stem(version, previous)
        names["redline-docx"] = f"{stem}.docx"
        names["redline-html"] = f"{stem}.html"
    return names


def _redline_stem(version: Version, previous: Version) -> str:
    return f"{version.slug}_redline-from-{previous.slug}"


def _clean(ws: Workspace, site: _Site, version: Version) -> None:
    docx, html = f"{version.slug}.docx", f"{version.slug}.html"
    if site.fresh(docx, version.sha) and site.fresh(html, version.sha):
        site.keep(docx, html)
        return
    _, doc = load_version(ws, version.tag)
    clean = unchanged(doc)
    site.put(docx, version.sha, docx_bytes(ws, clean))
    site.put(html, version.sha, render_html(clean, description=doc.meta.title, is_redline=False))


def _redline(ws: Workspace, site: _Site, previous: Version, version: Version) -> None:
    stem = _redline_stem(version, previous)
    source = f"{previous.sha}..{version.sha}"
    if site.fresh(f"{stem}.docx", source) and site.fresh(f"{stem}.html", source):
        site.keep(f"{stem}.docx", f"{stem}.html")
        return
    made = make_redline(ws, RedlineRequest(previous.tag, version.tag))
    description = f"Revision marks from {made.old.label} to {made.new.label}"
    site.put(f"{stem}.docx", source, docx_bytes(ws, made.redline, revision_marks(made)))
    ends = (made.old.label, made.new.label)
    site.put(f"{stem}.html", source, render_html(made.redline, description=description, ends=ends))


def _pdfs(site: _Site, wanted: dict[str, str]) -> None:
    """The PDF of each .docx, by one LibreOffice run for those whose .docx changed since their PDF was made."""
    sources = {name: _sha256((site.folder / docx).read_bytes()) for name, docx in wanted.items()}
    fresh = [name for name in wanted if site.fresh(name, sources[name])]
    site.keep(*fresh)
    todo = {name: (site.folder / wanted[name]).read_bytes() for name in wanted if name not in fresh}
    if not todo:
        return
    from wtpf_cli.render.pdf import pdf_from_docx  # LibreOffice: only PDF output needs it

    for name, data in pdf_from_docx(todo).items():
        site.put(name, sources[name], data)


def _remove_stale(site: _Site) -> tuple[str, ...]:
    """Files an earlier run made that this one did not (a PDF after `--no-pdf`): removed from the folder."""
    gone = []
    for name in sorted(set(site.recorded) - set(site.made)):
        path = site.folder / name
        if path.is_file() and "/" not in name and name != MANIFEST:
            path.unlink()
            gone.append(name)
    return tuple(gone)


def _settings(ws: Workspace) -> str:
    """A hash of what the files depend on besides their commits: this wtpf, its house template, the settings."""
    parts = [_tool_version().encode(), template_path("reference.docx").read_bytes(), repr(ws.config).encode()]
    return _sha256(b"\0".join(parts))


def _tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wtpf")
    except PackageNotFoundError:  # run from a source tree: nothing to tell two versions apart by
        return "unknown"


def _read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not an object")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        why = f"cannot read the site's record ({exc}): remove it to publish afresh"
        raise InputRejected(why, path=str(path)) from exc
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in files.items() if isinstance(v, dict)}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
