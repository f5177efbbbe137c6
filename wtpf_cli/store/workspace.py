"""A workspace: a folder in a git repository holding wtpf.toml, the draft and contributions/."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wtpf_cli.errors import InputRejected, UsageError, WorkspaceStateError
from wtpf_cli.labels import use_overrides
from wtpf_cli.markdown.frontmatter import render_front_matter, replace_front_matter, split_front_matter
from wtpf_cli.model import Meta
from wtpf_cli.resources import template_path
from wtpf_cli.store.config import (
    CONFIG_NAME,
    Config,
    Milestone,
    read_config,
    render_config,
    slugify,
    unknown_keys,
)
from wtpf_cli.store.faults import checkpoint
from wtpf_cli.store.files import read_text
from wtpf_cli.store.git import History, Identity, lock_held
from wtpf_cli.store.lock import LOCK_NAME, git_dir_lock
from wtpf_cli.store.transaction import JOURNAL, Transaction, interrupted_command


@dataclass(frozen=True, slots=True)
class Workspace:
    """An open workspace: its folder, settings and repository."""

    root: Path
    config: Config
    history: History

    @property
    def rel(self) -> str:
        """The workspace folder relative to the repository root ('' at the top)."""
        rel = self.root.relative_to(self.history.root).as_posix()
        return "" if rel == "." else rel

    def repo_path(self, name: str) -> str:
        """A workspace file's path relative to the repository root (as git wants it)."""
        return f"{self.rel}/{name}" if self.rel else name

    @property
    def draft_path(self) -> Path:
        """The working draft file."""
        return self.root / self.config.draft

    @property
    def draft_repo_path(self) -> str:
        """The draft's path as git knows it."""
        return self.repo_path(self.config.draft)

    def tool_identity(self) -> Identity:
        """Who commits for the tool: the git user if configured (a staff member, a CI bot), else the secretariat."""
        return self.history.configured_identity() or self.secretariat_identity()

    def secretariat_identity(self) -> Identity:
        """The author of the tool's own commits (init, stamp, records, new text of a resolve): the secretariat
        named in wtpf.toml, whoever runs the command, so that the cover's changes are never a staff member's."""
        return Identity(self.config.secretariat, self.config.secretariat_email)

    def source_of(self, identity: Identity) -> str:
        """The source a git identity stands for."""
        return self.config.source_of(identity.name, identity.email)

    def read_draft_text(self) -> str:
        """The working draft as text."""
        return read_text(self.draft_path)


def open_workspace(start: Path) -> Workspace:
    """The workspace containing `start` (the nearest folder up with wtpf.toml inside a git repository)."""
    start = start.resolve()
    if not start.exists():
        raise UsageError(f"no such folder: {start}")
    here: Path | None = start
    while here is not None:
        if (here / CONFIG_NAME).is_file():
            break
        here = here.parent if here.parent != here else None
    if here is None:
        raise WorkspaceStateError(f"no {CONFIG_NAME} in {start} or above: run `wtpf init` first, or use -C DIR")
    history = History.find(here)
    if history is None:
        raise WorkspaceStateError(f"{here} is not inside a git repository: run `git init` or `wtpf init`")
    git_dir = history.git_dir
    if (git_dir / JOURNAL).exists() or (history.common_dir / LOCK_NAME).exists():
        # A wtpf was interrupted (or runs): finish or undo its change and clear its lock, unless it runs. A change
        # that stays half made is refused (no command reports on it), naming why it could not be finished.
        try:
            with git_dir_lock(history, here):
                pass
        except WorkspaceStateError as exc:
            left = interrupted_command(history)
            if left is not None:
                raise WorkspaceStateError(
                    f"an interrupted `wtpf {left}` left its change half made ({git_dir / JOURNAL}), and it cannot "
                    f"be finished or undone yet: {exc.one_line()}"
                ) from exc
        if not (here / CONFIG_NAME).is_file():
            raise WorkspaceStateError(f"an interrupted `wtpf init` in {here} was undone: run `wtpf init` again")
    config = read_config(here / CONFIG_NAME)
    use_overrides({language: dict(texts) for language, texts in config.labels})
    if not (here / config.draft).resolve().is_relative_to(history.root):  # wtpf.toml may come from anyone
        where = str(here / CONFIG_NAME)
        raise InputRejected(f"[report].draft {config.draft!r} leads outside the repository", path=where)
    return Workspace(here, config, history)


def config_warnings(ws: Workspace) -> list[tuple[str, int]]:
    """Each key of wtpf.toml that wtpf does not read, as a warning and its line (0 where unknown)."""
    try:
        source = (ws.root / CONFIG_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [(f"unknown key {key} is ignored", line) for key, line in unknown_keys(source)]


@contextlib.contextmanager
def workspace_lock(ws: Workspace) -> Iterator[None]:
    """Hold wtpf's own lock so that two wtpf commands never write the same repository at once."""
    with git_dir_lock(ws.history, ws.root):
        yield


def require_clean(ws: Workspace, what: str) -> None:
    """Refuse to go on when git is mid-operation or the workspace has uncommitted changes."""
    op = ws.history.operation_in_progress()
    if op:
        raise WorkspaceStateError(f"a git {op} is in progress: finish or abort it before `wtpf {what}`")
    lock = ws.history.git_dir / "index.lock"
    if lock.exists():
        raise WorkspaceStateError(lock_held(lock))
    # Files git does not track (outputs such as .docx) do not block; changes to tracked ones do.
    dirty = ws.history.changed_paths([ws.rel or "."], untracked=False)
    if dirty:
        shown = ", ".join(dirty[:3]) + (" ..." if len(dirty) > 3 else "")
        raise WorkspaceStateError(
            f"uncommitted changes ({shown}): commit them (git commit) or stash them before `wtpf {what}`"
        )


@dataclass(frozen=True, slots=True)
class InitResult:
    """What `wtpf init` made."""

    root: Path
    config_path: Path
    draft_path: Path
    commit: str


def init_workspace(
    folder: Path,
    *,
    title: str,
    symbol_prefix: str,
    secretariat: str = "Secretariat",
    from_file: Path | None = None,
    language: str = "English",
    identities: tuple[tuple[str, str], ...] = (),
    signer: Identity | None = None,
    date: str | None = None,
    milestones: tuple[Milestone, ...] = (),
    time_zone: str = "UTC",
    own_repository: bool = False,
) -> InitResult:
    """Create a workspace: git repository (unless inside one; with `own_repository`, always one of its own, nested
    in any repository around it), wtpf.toml, the draft, and a first commit."""
    folder = folder.resolve()
    existing = folder
    while not existing.exists():
        existing = existing.parent
    found = None if own_repository else History.find(existing)
    if found is not None and (found.git_dir / JOURNAL).exists():  # an interrupted init (or other) first
        with git_dir_lock(found, folder if folder.exists() else None):
            pass
    if (folder / CONFIG_NAME).exists():
        raise WorkspaceStateError(f"{folder / CONFIG_NAME} already exists: this is a workspace already")
    if not title.strip() or not symbol_prefix.strip():
        raise UsageError("--title and --symbol-prefix must not be empty")
    body = read_text(from_file) if from_file else read_text(template_path("report.md"))
    parts = split_front_matter(body, path=str(from_file or "template"))
    meta = Meta(
        title=parts.meta.title or title,
        version=parts.meta.version,
        symbol=parts.meta.symbol,
        date=parts.meta.date,
        language=parts.meta.language or language,
        extra=parts.meta.extra,
    )
    # The front matter of a --from file is kept as its author wrote it; the template's is written anew.
    draft_text = replace_front_matter(body, meta) if from_file else render_front_matter(meta) + parts.body
    history = found or History.create(folder)
    checkpoint("repo")
    config = Config(
        title=title,
        symbol_prefix=symbol_prefix,
        secretariat=secretariat,
        secretariat_email=f"{slugify(secretariat)}@wtpf.invalid",
        report_id=slugify(symbol_prefix),
        language=language,
        identities=identities,
        milestones=milestones,
        time_zone=time_zone,
    )
    ws = Workspace(folder, config, history)
    cfg_path = folder / CONFIG_NAME
    author = signer or ws.secretariat_identity()
    committer = signer or ws.tool_identity()
    with git_dir_lock(history, folder):
        if (folder / CONFIG_NAME).exists():
            raise WorkspaceStateError(f"{folder / CONFIG_NAME} already exists: this is a workspace already")
        transaction = Transaction.start(history, "init")
        files = {ws.repo_path(CONFIG_NAME): render_config(config).encode(), ws.draft_repo_path: draft_text.encode()}
        sha = transaction.commit(files, f"Start the report: {title}", author, committer, date)
        transaction.apply()
    return InitResult(folder, cfg_path, ws.draft_path, sha)
