"""Receiving a contribution: what kind of file it is (read from its content), and registering it as received."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wtpf_cli.errors import InputRejected, UsageError, WorkspaceStateError
from wtpf_cli.markdown.cover import COVER_STYLES, SUMMARY_STYLES
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.markdown.tokens import plain_text
from wtpf_cli.model import Paragraph
from wtpf_cli.store.bases import ALIKE, Base, alike, body_words, text_base, word_base
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

if TYPE_CHECKING:
    from wtpf_cli.ooxml.revisions import Inspection

_CRITIC_RE = re.compile(r"\{\+\+.*?\+\+\}|\{--.*?--\}|\{~~.*?~>.*?~~\}|\{>>.*?<<\}|\{==.*?==\}", re.S)
_SAFE_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


def word_kind(found: Inspection, base_body: str, copy: bool) -> str:
    """The kind of a Word contribution: revisions when it tracks changes or, a copy of the draft (`copy`), differs
    from it (edited with tracking off: its comments come along); comments when it only has those; a copy
    unchanged is revisions with none to merge; anything else a letter."""
    if any(c.part in ("document", "footnotes", "endnotes") for c in found.changes):
        return "word-revisions"
    if copy and _paragraphs(found) != _base_paragraphs(base_body):
        return "word-revisions"
    if found.comments:
        return "word-comments"
    return "word-revisions" if copy else "letter"


def _paragraphs(found: Inspection) -> list[str]:
    """The non-empty paragraphs of a Word file that tracks no change (table cells one each), cover and a
    redline's first page left out."""
    ours = COVER_STYLES | SUMMARY_STYLES
    texts = (p.text("accept") for p in found.paragraphs if p.part == "document" and p.style not in ours)
    return [" ".join(text.split()) for text in texts if text.strip()]


def _base_paragraphs(base_body: str) -> list[str]:
    """The non-empty paragraphs the build of a body shows (table cells one each), without note references."""
    out: list[str] = []
    for block in read_draft(base_body).blocks:
        cells = [block.tokens] if isinstance(block, Paragraph) else [c for row in block.rows for c in row]
        for tokens in cells:
            if isinstance(block, Paragraph) and block.props.style in COVER_STYLES:
                continue
            text = " ".join(plain_text([t for t in tokens if t.note is None]).split())
            if text:
                out.append(text)
    return out


def read_text_contribution(path: Path, data: bytes) -> str:
    """The text of a .md or .txt contribution (refused: another kind of file, too large, not text)."""
    suffix = path.suffix.lower()
    if suffix not in (".md", ".markdown", ".txt"):
        raise InputRejected("a contribution is a .docx, .md or .txt file", path=str(path))
    if len(data) > MAX_TEXT_BYTES:
        raise InputRejected(f"larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB", path=str(path))
    return decode_text(data, str(path))


def detect_kind(text: str, body: str, base_body: str) -> str:
    """The kind of a text contribution (its `text`, whose `body` follows the front matter), read from its content
    (not its name)."""
    if _CRITIC_RE.search(text):
        return "criticmarkup"
    base_lines = {line.strip() for line in base_body.splitlines() if line.strip()}
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    shared = sum(1 for line in lines if line in base_lines)
    # A revised draft keeps most of the draft's lines as they were, or most of its words and word triples where
    # many lines have an edit (a short draft, a thorough reader); a letter shares few of either.
    if base_lines and shared >= 0.5 * len(base_lines):
        return "revised-draft"
    if base_lines and alike(body_words(body), body_words(base_body)) >= ALIKE:
        return "revised-draft"
    return "letter"


def _word_contribution(ws: Workspace, versions: list[Version], on: str | None, file: Path) -> tuple[Base, str]:
    """The base and kind of a Word file (read safely: InputRejected if unsafe)."""
    from wtpf_cli.ooxml.origin import read_origin  # (lxml and the Word reader load only for a .docx)
    from wtpf_cli.ooxml.package import open_docx
    from wtpf_cli.ooxml.reader import read_inspection

    package = open_docx(file)
    found, origin = read_inspection(package), read_origin(package)
    base = word_base(ws, versions, on, origin, found, str(file))
    base_text = (ws.history.read_file(base.sha, ws.draft_repo_path) or b"").decode("utf-8", "replace")
    return base, word_kind(found, split_front_matter(base_text).body, base.copy)


@dataclass(frozen=True, slots=True)
class AddResult:
    """What `wtpf contribution add` registered."""

    contribution: Contribution
    commit: str
    warnings: tuple[str, ...] = ()  # what the file holds that is never run or fetched (macros, outside links)
    note: str = ""  # how the version it comments on was found, when the file did not say it


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
        data = file.read_bytes()
        if file.suffix.lower() == ".docx":
            base, kind = _word_contribution(ws, versions, on, file)
        else:
            text = read_text_contribution(file, data)
            body = split_front_matter(text, path=str(file)).body
            if on is None:
                if not versions:
                    raise WorkspaceStateError("nothing is stamped yet: a contribution comments on a stamped version")
                # A revised copy is held to the version it is most alike, as a Word file without its origin is (a
                # base too new would take back the changes made since); a letter is on the last version.
                alike = None if _CRITIC_RE.search(text) else text_base(ws, versions, body)
                base = alike or Base(versions[-1].name, versions[-1].sha)
            else:
                resolved = resolve_version(ws, on, versions)
                if resolved.version is None or resolved.sha is None:
                    raise UsageError(f"--on {on!r} must name a stamped version")
                base = Base(resolved.version.name, resolved.sha)
            base_text = (ws.history.read_file(base.sha, ws.draft_repo_path) or b"").decode("utf-8", "replace")
            kind = detect_kind(text, body, split_front_matter(base_text).body)
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
        return AddResult(contribution, sha, _hazards(file), base.note)


def _hazards(file: Path) -> tuple[str, ...]:
    """Warnings for the macros and outside links of a Word contribution (kept as received, never run or fetched)."""
    if file.suffix.lower() != ".docx":
        return ()
    from wtpf_cli.ooxml.inspection import docx_hazards, printable  # (lxml loads only for a .docx)

    return tuple(map(printable, docx_hazards(file)))


def _require_new_symbol(symbol: str, versions: list[Version], registered: list[Contribution]) -> None:
    """A contribution's symbol has the form of one and was never given, to a version or another contribution."""
    if not valid_form(symbol):
        raise UsageError(f"--symbol {symbol!r} has characters a document symbol cannot have")
    given = {v.symbol: f"version {v.name}" for v in versions} | {
        c.symbol: f"{c.id} from {c.source}" for c in registered
    }
    if symbol in given:
        raise WorkspaceStateError(f"symbol {symbol} is already given, to {given[symbol]}: a symbol is given once")
