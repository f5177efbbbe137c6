"""Contribution records (contributions/<id>/contribution.toml): who sent what, on which version, and what became
of it; the commits that change a disposition."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from wtpf_cli.errors import InputRejected, UsageError, WorkspaceStateError
from wtpf_cli.store.files import decode_text
from wtpf_cli.store.git import Identity
from wtpf_cli.store.sources import check_source_name, source_slug
from wtpf_cli.store.transaction import Transaction
from wtpf_cli.store.workspace import Workspace, require_clean, workspace_lock

FOLDER = "contributions"
META = "contribution.toml"
KINDS = ("word-revisions", "word-comments", "revised-draft", "criticmarkup", "letter")
# noted: a contribution of comments only (or a letter) taken by `wtpf merge`, its comments open; done: all of them
# marked done (`wtpf comments done`).
STATUSES = ("pending", "merged", "partly-merged", "in-brackets", "not-retained", "noted", "done")


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
        if self.status in ("noted", "done"):
            said = "comments noted" if self.status == "noted" else "comments noted, done"
            return f"{said}: {self.reason}" if self.reason else said
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


def new_contribution_id(received: str, source: str, existing: set[str]) -> str:
    """The id of a contribution received on a day from a source: `<day>-<source slug>`, numbered if taken."""
    base = f"{received}-{source_slug(source)}"
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
    transaction = Transaction.start(ws.history, "contribution decline")
    files = {ws.repo_path(f"{FOLDER}/{c.id}/{META}"): render_contribution(updated).encode()}
    sha = transaction.commit(files, message, ws.secretariat_identity(), signer)
    transaction.apply()
    return sha


def decline_contribution(ws: Workspace, ident: str, reason: str) -> Contribution:
    """Mark a contribution as not retained, with the secretariat's reason."""
    if not reason.strip():
        raise UsageError("--reason must say why the contribution is not retained")
    with workspace_lock(ws):
        require_clean(ws, "contribution decline")
        c = find_contribution(ws, ident)
        if c.status in ("merged", "partly-merged", "in-brackets"):
            settle = (
                "settle its bracketed passages with `wtpf resolve`"
                if c.status == "in-brackets"
                else "take them out by hand and `wtpf commit`"
            )
            raise WorkspaceStateError(
                f"{c.id} from {c.source} is {c.disposition()}: its words are in the draft; to drop them, {settle}"
            )
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
    return Identity(source, f"{source_slug(source)}@sources.wtpf.invalid")


def commit_as_source(
    ws: Workspace, *, source: str, message: str, contribution: str | None = None, date: str | None = None
) -> str:
    """Commit the secretariat's hand edits of the draft as `source`'s change (manual integration)."""
    if not message.strip():
        raise UsageError("-m must give a message")
    source = check_source_name(source)
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
        transaction = Transaction.start(ws.history, "commit")
        files: dict[str, bytes | None] = {ws.draft_repo_path: ws.draft_path.read_bytes()}  # the hand edits
        if c is not None and c.status == "pending":
            updated = replace(c, status="merged")
            files[ws.repo_path(f"{FOLDER}/{c.id}/{META}")] = render_contribution(updated).encode()
        sha = transaction.commit(files, message.strip() + trailer, author, signer, date)
        transaction.apply()
        return sha


def letter_text(ws: Workspace, c: Contribution, limit: int = 4000) -> str:
    """The text of a comment letter (.md/.txt), shown with the contribution; cut at `limit` characters."""
    path = ws.root / FOLDER / c.id / c.file
    text = decode_text(path.read_bytes(), str(path))
    return text if len(text) <= limit else text[:limit] + "\n[...]"
