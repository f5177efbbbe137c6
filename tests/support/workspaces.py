"""Real git workspaces for the tests, built through the library's own init and plain commits."""

from __future__ import annotations

from pathlib import Path

from wtpf_cli.markdown.frontmatter import replace_front_matter, split_front_matter
from wtpf_cli.store.config import slugify
from wtpf_cli.store.files import write_atomic
from wtpf_cli.store.git import Identity
from wtpf_cli.store.workspace import Workspace, init_workspace, open_workspace

SECRETARIAT = "ITU Secretariat"


def identity(source: str) -> Identity:
    """A git identity for a source (email on an example domain)."""
    return Identity(source, f"{slugify(source)}@example.org")


def new_workspace(root: Path, body: str | None = None, *, date: str = "2012-01-02T09:00:00Z") -> Workspace:
    """A workspace whose draft has `body` (committed by the secretariat)."""
    sec = identity(SECRETARIAT)
    init_workspace(
        root,
        title="Report of the Secretary-General",
        symbol_prefix="WTPF-IEG/1",
        secretariat=SECRETARIAT,
        identities=((sec.email, SECRETARIAT),),
        signer=sec,
        date="2012-01-01T09:00:00Z",
    )
    ws = open_workspace(root)
    if body is not None:
        commit_body(ws, body, SECRETARIAT, date)
    return ws


def set_body(ws: Workspace, body: str) -> None:
    """Replace the draft's body, keeping its front matter, without committing (a body that starts with a front
    matter block of its own replaces the whole draft)."""
    if body.startswith("---\n"):
        write_atomic(ws.draft_path, body.encode())
        return
    text = ws.draft_path.read_text(encoding="utf-8")
    meta = split_front_matter(text).meta
    write_atomic(ws.draft_path, replace_front_matter("", meta).encode() + body.encode())


def commit_body(ws: Workspace, body: str, source: str, date: str, message: str | None = None) -> str:
    """Commit a new body of the draft as `source`, dated `date`; returns the commit."""
    set_body(ws, body)
    who = identity(source)
    sec = identity(SECRETARIAT)
    return ws.history.commit([ws.draft_repo_path], message or f"Changes by {source}", who, sec, date)
