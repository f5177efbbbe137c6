"""Contributions: files as received from a source, with their metadata and what became of them."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from wtpf_cli.errors import InputRejected, UsageError, WorkspaceStateError
from wtpf_cli.markdown.draft import split_front_matter
from wtpf_cli.store.config import slugify
from wtpf_cli.store.days import calendar_day
from wtpf_cli.store.git import Identity
from wtpf_cli.store.transaction import Change
from wtpf_cli.store.versions import list_versions, resolve_version
from wtpf_cli.store.workspace import MAX_TEXT_BYTES, Workspace, decode_text, require_clean, today, workspace_lock

FOLDER = "contributions"
META = "contribution.toml"
KINDS = ("word-revisions", "word-comments", "revised-draft", "criticmarkup", "letter")
STATUSES = ("pending", "merged", "partly-merged", "in-brackets", "not-retained")
_CRITIC_RE = re.compile(r"\{\+\+.*?\+\+\}|\{--.*?--\}|\{~~.*?~>.*?~~\}|\{>>.*?<<\}|\{==.*?==\}", re.S)
_SAFE_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Contribution:
    """A contribution as registered: who sent what, when, on which version, and its disposition."""

    id: str
    source: str
    symbol: str
    received: str
    on_version: str
    on_commit: str
    kind: str
    file: str
    sha256: str
    late: bool = False
    deadline: str = ""
    status: str = "pending"
    reason: str = ""
    changes: int = 0
    applied: int = 0

    def disposition(self) -> str:
        """What became of it, in words."""
        if self.status == "partly-merged":
            return f"partly merged ({self.applied} of {self.changes} changes)"
        if self.status == "not-retained":
            return f"not retained: {self.reason}" if self.reason else "not retained"
        return self.status.replace("-", " ")

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "id": self.id,
            "source": self.source,
            "symbol": self.symbol,
            "received": self.received,
            "on": self.on_version,
            "kind": self.kind,
            "file": self.file,
            "sha256": self.sha256,
            "late": self.late,
            "deadline": self.deadline or None,
            "status": self.status,
            "disposition": self.disposition(),
        }


def _folder(ws: Workspace) -> Path:
    return ws.root / FOLDER


def read_contribution(folder: Path) -> Contribution:
    """Load contributions/<id>/contribution.toml."""
    path = folder / META
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputRejected(f"cannot read the contribution's metadata: {exc}", path=str(path)) from exc
    try:
        return Contribution(
            id=str(data["id"]),
            source=str(data["source"]),
            symbol=str(data.get("symbol", "")),
            received=str(data["received"]),
            on_version=str(data["on_version"]),
            on_commit=str(data["on_commit"]),
            kind=str(data["kind"]),
            file=str(data["file"]),
            sha256=str(data["sha256"]),
            late=bool(data.get("late", False)),
            deadline=str(data.get("deadline", "")),
            status=str(data.get("status", "pending")),
            reason=str(data.get("reason", "")),
            changes=int(data.get("changes", 0)),
            applied=int(data.get("applied", 0)),
        )
    except (KeyError, ValueError) as exc:
        raise InputRejected(f"incomplete contribution metadata: {exc}", path=str(path)) from exc


def render_contribution(c: Contribution) -> str:
    """contribution.toml text."""
    import tomlkit  # only writers need it: reading is tomllib, and every command reads (start-up)

    doc = tomlkit.document()
    doc.add(tomlkit.comment("Registered by `wtpf contribution add`; status and reason change as it is merged."))
    for key in Contribution.__dataclass_fields__:
        doc.add(key, getattr(c, key))
    return tomlkit.dumps(doc)


def list_contributions(ws: Workspace) -> list[Contribution]:
    """All registered contributions, in order of receipt (then id)."""
    folder = _folder(ws)
    if not folder.is_dir():
        return []
    found = [read_contribution(d) for d in sorted(folder.iterdir()) if (d / META).is_file()]
    return sorted(found, key=lambda c: (c.received, c.id))


def find_contribution(ws: Workspace, ident: str) -> Contribution:
    """One contribution by id, by its symbol, or by a unique id prefix."""
    items = list_contributions(ws)
    for c in items:
        if ident in (c.id, c.symbol):
            return c
    matches = [c for c in items if c.id.startswith(ident)]
    if len(matches) == 1:
        return matches[0]
    raise UsageError(f"no contribution {ident!r}; see `wtpf contribution list`")


def detect_kind(path: Path, data: bytes, base_body: str) -> str:
    """The kind of a contribution, read from its content (not its name)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from wtpf_cli.ooxml.inspection import inspect_docx

        found = inspect_docx(path)
        if found.changes:
            return "word-revisions"
        if found.comments:
            return "word-comments"
        # No tracked changes: a copy of the draft edited with tracking off is still a set of revisions.
        from wtpf_cli.markdown.draft import plain_text, read_draft
        from wtpf_cli.model import Paragraph
        from wtpf_cli.ooxml.views import text_view

        base_paras = {
            plain_text(b.tokens).strip()
            for b in read_draft(base_body).blocks
            if isinstance(b, Paragraph) and plain_text(b.tokens).strip()
        }
        paras = [p.strip() for p in text_view(found, "accept", parts=("document",)) if p.strip()]
        shared = sum(1 for p in paras if p in base_paras)
        return "word-revisions" if paras and shared >= 0.5 * len(paras) and shared >= 1 else "letter"
    if suffix not in (".md", ".markdown", ".txt"):
        raise InputRejected("a contribution is a .docx, .md or .txt file", path=str(path))
    if len(data) > MAX_TEXT_BYTES:
        raise InputRejected(f"larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB", path=str(path))
    text = decode_text(data, str(path))
    if _CRITIC_RE.search(text):
        return "criticmarkup"
    body = split_front_matter(text, path=str(path)).body
    base_lines = {line.strip() for line in base_body.splitlines() if line.strip()}
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    shared = sum(1 for line in lines if line in base_lines)
    # A revised draft keeps most of the draft's lines as they were; a letter shares few.
    if base_lines and shared >= 0.5 * len(base_lines):
        return "revised-draft"
    return "letter"


@dataclass(frozen=True, slots=True)
class AddResult:
    """What `wtpf contribution add` registered."""

    contribution: Contribution
    commit: str


def add_contribution(
    ws: Workspace,
    file: Path,
    *,
    source: str,
    symbol: str | None = None,
    received: str | None = None,
    on: str | None = None,
) -> AddResult:
    """Keep a received file as it is under contributions/<id>/ with its metadata, committed by the secretariat."""
    if not source.strip():
        raise UsageError("--source must name who sent the contribution")
    if not file.is_file():
        raise InputRejected("not a readable file", path=str(file))
    try:  # a timestamp counts on the day it falls on in the secretariat's time zone
        received = calendar_day(received, ws.config.time_zone) if received else today(ws.config.time_zone)
    except UsageError as exc:
        raise UsageError(f"--received: {exc}") from exc
    with workspace_lock(ws):
        require_clean(ws, "contribution add")
        versions = list_versions(ws)
        if on is None:
            if not versions:
                raise WorkspaceStateError("nothing is stamped yet: a contribution comments on a stamped version")
            base = versions[-1]
        else:
            resolved = resolve_version(ws, on, versions)
            if resolved.version is None:
                raise UsageError(f"--on {on!r} must name a stamped version")
            base = resolved.version
        data = file.read_bytes()
        base_text = (ws.history.read_file(base.sha, ws.draft_repo_path) or b"").decode("utf-8", "replace")
        kind = detect_kind(file, data, split_front_matter(base_text).body)
        existing = {c.id for c in list_contributions(ws)}
        ident = _new_id(received, source, existing)
        name = _SAFE_NAME_RE.sub("_", file.name).strip("._") or f"contribution{file.suffix.lower()}"
        deadline = ws.config.comment_deadline(base.name) or ""
        contribution = Contribution(
            id=ident,
            source=source.strip(),
            symbol=(symbol or "").strip(),
            received=received,
            on_version=base.name,
            on_commit=base.sha,
            kind=kind,
            file=name,
            sha256=hashlib.sha256(data).hexdigest(),
            late=bool(deadline) and received > deadline,
            deadline=deadline,
        )
        signer = ws.tool_identity()
        what = f" ({contribution.symbol})" if contribution.symbol else ""
        late = " - received after the deadline" if contribution.late else ""
        change = Change.start(ws.history, "contribution add")
        files = {
            ws.repo_path(f"{FOLDER}/{ident}/{name}"): data,
            ws.repo_path(f"{FOLDER}/{ident}/{META}"): render_contribution(contribution).encode(),
        }
        message = f"Receive contribution {ident} from {contribution.source}{what}{late}\n\nWtpf-Contribution: {ident}"
        sha = change.commit(files, message, signer, signer)
        change.apply()
        return AddResult(contribution, sha)


def _new_id(received: str, source: str, existing: set[str]) -> str:
    base = f"{received}-{slugify(source)}"
    ident, n = base, 1
    while ident in existing:
        n += 1
        ident = f"{base}-{n}"
    return ident


def set_status(ws: Workspace, c: Contribution, *, status: str, reason: str = "", message: str) -> str:
    """Record a new disposition in contribution.toml and commit it."""
    if status not in STATUSES:
        raise UsageError(f"status must be one of {', '.join(STATUSES)}")
    updated = replace(c, status=status, reason=reason)
    signer = ws.tool_identity()
    change = Change.start(ws.history, "contribution decline")
    files = {ws.repo_path(f"{FOLDER}/{c.id}/{META}"): render_contribution(updated).encode()}
    sha = change.commit(files, message, signer, signer)
    change.apply()
    return sha


def decline_contribution(ws: Workspace, ident: str, reason: str) -> Contribution:
    """Mark a contribution as not retained, with the secretariat's reason."""
    if not reason.strip():
        raise UsageError("--reason must say why the contribution is not retained")
    with workspace_lock(ws):
        require_clean(ws, "contribution decline")
        c = find_contribution(ws, ident)
        set_status(
            ws,
            c,
            status="not-retained",
            reason=reason.strip(),
            message=f"Not retained: contribution {c.id} from {c.source}\n\n{reason.strip()}\n\n"
            f"Wtpf-Contribution: {c.id}",
        )
        return replace(c, status="not-retained", reason=reason.strip())


def source_identity(ws: Workspace, source: str) -> Identity:
    """The git identity under which a source's changes are committed."""
    for key, value in ws.config.identities:
        if value == source and "@" in key and not key.startswith("@"):
            return Identity(source, key)
    return Identity(source, f"{slugify(source)}@sources.wtpf.invalid")


def commit_as_source(
    ws: Workspace, *, source: str, message: str, contribution: str | None = None, date: str | None = None
) -> str:
    """Commit the secretariat's hand edits of the draft as `source`'s change (manual integration)."""
    if not message.strip():
        raise UsageError("-m must give a message")
    with workspace_lock(ws):
        if ws.history.operation_in_progress():
            raise WorkspaceStateError("a git operation is in progress: finish or abort it first")
        if not ws.history.changed_paths([ws.draft_repo_path]):
            raise WorkspaceStateError(f"{ws.config.draft} has no uncommitted edits to commit")
        c = find_contribution(ws, contribution) if contribution else None
        trailer = (
            f"\n\nWtpf-Contribution: {c.id}\nWtpf-Merged: {c.id}" + (f"\nWtpf-Symbol: {c.symbol}" if c.symbol else "")
            if c
            else ""
        )
        author = source_identity(ws, source)
        signer = ws.tool_identity()
        change = Change.start(ws.history, "commit")
        files: dict[str, bytes | None] = {ws.draft_repo_path: ws.draft_path.read_bytes()}  # the hand edits
        if c is not None and c.status == "pending":
            updated = replace(c, status="merged")
            files[ws.repo_path(f"{FOLDER}/{c.id}/{META}")] = render_contribution(updated).encode()
        sha = change.commit(files, message.strip() + trailer, author, signer, date)
        change.apply()
        return sha


def disposition_markdown(ws: Workspace, items: list[Contribution]) -> str:
    """The "disposition of contributions" annex a secretariat posts with a new draft, as a Markdown draft."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "---",
        f'title: "{ws.config.title}: disposition of contributions"',
        "version: Annex",
        'symbol: ""',
        'date: ""',
        f"language: {ws.config.language}",
        "---",
        "# Disposition of contributions",
        "",
        "| Symbol | Source | Received | On | Kind | Disposition |",
        "|:--|:--|:--|:--|:--|:--|",
    ]
    for c in items:
        received = f"{c.received} (late)" if c.late else c.received
        row = [c.symbol or c.id, c.source, received, c.on_version, c.kind.replace("-", " "), c.disposition()]
        lines.append("| " + " | ".join(cell(x) for x in row) + " |")
    if not items:
        lines.append("| | | | | | No contributions received. |")
    return "\n".join(lines) + "\n"


def letter_text(ws: Workspace, c: Contribution, limit: int = 4000) -> str:
    """The text of a comment letter (.md/.txt), shown with the contribution; cut at `limit` characters."""
    path = ws.root / FOLDER / c.id / c.file
    text = decode_text(path.read_bytes(), str(path))
    return text if len(text) <= limit else text[:limit] + "\n[...]"
