"""Receiving a contribution: what kind of file it is (read from its content), and registering it as received."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from wtpf_cli.errors import InputRejected, UsageError, WorkspaceStateError
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.markdown.tokens import plain_text
from wtpf_cli.model import Paragraph
from wtpf_cli.store.contributions import (
    FOLDER,
    META,
    Contribution,
    list_contributions,
    new_contribution_id,
    render_contribution,
)
from wtpf_cli.store.days import calendar_day, today
from wtpf_cli.store.files import MAX_TEXT_BYTES, decode_text
from wtpf_cli.store.sources import check_source_name
from wtpf_cli.store.symbols import valid_form
from wtpf_cli.store.transaction import Transaction
from wtpf_cli.store.versions import Version, list_versions, resolve_version
from wtpf_cli.store.workspace import Workspace, require_clean, workspace_lock

_CRITIC_RE = re.compile(r"\{\+\+.*?\+\+\}|\{--.*?--\}|\{~~.*?~>.*?~~\}|\{>>.*?<<\}|\{==.*?==\}", re.S)
_SAFE_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


def detect_kind(path: Path, data: bytes, base_body: str) -> str:
    """The kind of a contribution, read from its content (not its name)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from wtpf_cli.ooxml.inspection import inspect_docx  # (lxml and the Word reader load only for a .docx)
        from wtpf_cli.ooxml.views import text_view

        found = inspect_docx(path)
        if found.changes:
            return "word-revisions"
        if found.comments:
            return "word-comments"
        # No tracked changes: a copy of the draft edited with tracking off is still a set of revisions.
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
    source = check_source_name(source)
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
        registered = list_contributions(ws)
        existing = {c.id for c in registered}
        if symbol:
            _require_new_symbol(symbol.strip(), versions, registered)
        ident = new_contribution_id(received, source, existing)
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
        author = ws.secretariat_identity()
        what = f" ({contribution.symbol})" if contribution.symbol else ""
        late = " - received after the deadline" if contribution.late else ""
        transaction = Transaction.start(ws.history, "contribution add")
        files = {
            ws.repo_path(f"{FOLDER}/{ident}/{name}"): data,
            ws.repo_path(f"{FOLDER}/{ident}/{META}"): render_contribution(contribution).encode(),
        }
        message = f"Receive contribution {ident} from {contribution.source}{what}{late}\n\nWtpf-Contribution: {ident}"
        sha = transaction.commit(files, message, author, signer)
        transaction.apply()
        return AddResult(contribution, sha)


def _require_new_symbol(symbol: str, versions: list[Version], registered: list[Contribution]) -> None:
    """A contribution's symbol has the form of one and was never given, to a version or another contribution."""
    if not valid_form(symbol):
        raise UsageError(f"--symbol {symbol!r} has characters a document symbol cannot have")
    given = {v.symbol: f"version {v.name}" for v in versions} | {
        c.symbol: f"{c.id} from {c.source}" for c in registered
    }
    if symbol in given:
        raise WorkspaceStateError(f"symbol {symbol} is already given, to {given[symbol]}: a symbol is given once")
