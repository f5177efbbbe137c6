"""A workspace: a folder in a git repository holding wtpf.toml, the draft and contributions/."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_NAME, Config, Milestone, read_config, render_config, slugify
from .draft import render_front_matter, split_front_matter
from .errors import InputRejected, OutputError, UsageError, WorkspaceStateError
from .history import History, Identity
from .model import Meta
from .resources import template_path


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
        """Who signs the tool's own commits: the git user if configured, else the secretariat."""
        return self.history.configured_identity() or Identity(self.config.secretariat, self.config.secretariat_email)

    def source_of(self, identity: Identity) -> str:
        """The source a git identity stands for."""
        return self.config.source_of(identity.name, identity.email)

    def read_draft_text(self) -> str:
        """The working draft as text."""
        return read_text(self.draft_path)


def read_text(path: Path) -> str:
    """A UTF-8 text file (BOM allowed, line ends kept); clear errors for anything else."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputRejected("file not found", path=str(path)) from exc
    except IsADirectoryError as exc:
        raise InputRejected("is a folder, not a file", path=str(path)) from exc
    return decode_text(data, str(path))


def decode_text(data: bytes, where: str) -> str:
    """Bytes of a draft as text; a BOM is dropped, anything but UTF-8 refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputRejected(f"not UTF-8 text (byte {exc.start})", path=where) from exc
    if "\x00" in text:
        raise InputRejected("contains NUL bytes", path=where)
    return text


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder, fsync, rename: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777  # keep the mode of the file replaced
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # a new file gets what open() would give it, not mkstemp's 0600
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
    with contextlib.suppress(OSError):
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


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
    return Workspace(here, read_config(here / CONFIG_NAME), history)


@contextlib.contextmanager
def workspace_lock(ws: Workspace) -> Iterator[None]:
    """Hold wtpf's own lock so that two wtpf commands never write the same repository at once."""
    lock = ws.history.git_dir / "wtpf.lock"
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError as exc:
        raise WorkspaceStateError(
            f"another wtpf command holds {lock}; wait for it, or delete the file if no wtpf is running"
        ) from exc
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)


def require_clean(ws: Workspace, what: str) -> None:
    """Refuse to go on when git is mid-operation or the workspace has uncommitted changes."""
    op = ws.history.operation_in_progress()
    if op:
        raise WorkspaceStateError(f"a git {op} is in progress: finish or abort it before `wtpf {what}`")
    if (ws.history.git_dir / "index.lock").exists():
        raise WorkspaceStateError("git's index.lock exists: another git command is running, or remove the file")
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
) -> InitResult:
    """Create a workspace: git repository (unless inside one), wtpf.toml, the draft, and a first commit."""
    folder = folder.resolve()
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
    draft_text = render_front_matter(meta) + parts.body
    existing = folder
    while not existing.exists():
        existing = existing.parent
    history = History.find(existing)
    if history is None:
        history = History.create(folder)
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
    write_atomic(cfg_path, render_config(config).encode())
    write_atomic(ws.draft_path, draft_text.encode())
    ident = signer or ws.tool_identity()
    sha = history.commit(
        [ws.repo_path(CONFIG_NAME), ws.draft_repo_path],
        f"Start the report: {title}",
        ident,
        ident,
        date,
    )
    return InitResult(folder, cfg_path, ws.draft_path, sha)


def today(zone: str = "UTC") -> str:
    """Today's calendar day in the secretariat's time zone (or WTPF_TODAY), ISO format."""
    from .days import today as day_in_zone

    return day_in_zone(zone)
