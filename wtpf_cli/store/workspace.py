"""A workspace: a folder in a git repository holding wtpf.toml, the draft and contributions/."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wtpf_cli.errors import InputRejected, OutputError, UsageError, WorkspaceStateError
from wtpf_cli.markdown.frontmatter import render_front_matter, split_front_matter
from wtpf_cli.model import Meta
from wtpf_cli.resources import template_path
from wtpf_cli.store.config import CONFIG_NAME, Config, Milestone, read_config, render_config, slugify
from wtpf_cli.store.faults import checkpoint
from wtpf_cli.store.git import History, Identity
from wtpf_cli.store.transaction import JOURNAL, Change, recover

log = logging.getLogger("wtpf")


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


MAX_TEXT_BYTES = 10 * 1024 * 1024
"""The largest draft or text contribution wtpf reads: about 100 times a long report (the WTPF-13 report is under
100 KB). A build takes about 0.7 s a MB, a redline more; a bigger file is refused (exit 3), never left to run on."""


_BOM = b"\xef\xbb\xbf"


def decode_text(data: bytes, where: str) -> str:
    """Bytes of a draft as text; a BOM is dropped, anything but UTF-8 (or over MAX_TEXT_BYTES) refused."""
    if len(data) > MAX_TEXT_BYTES:
        size, limit = len(data) / 1024 / 1024, MAX_TEXT_BYTES // 1024 // 1024
        raise InputRejected(f"{size:.1f} MB: drafts and text files are limited to {limit} MB", path=where)
    bom = 3 if data.startswith(_BOM) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = bom + exc.start
        line = data.count(b"\n", 0, at) + 1
        raise InputRejected(f"not UTF-8 text: byte {at} (line {line}) is 0x{data[at]:02x}", path=where) from exc
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputRejected(f"contains a NUL byte on line {line}: not a text file", path=where)
    return text


def uses_crlf(data: bytes) -> bool:
    """Whether a file ends every line with CRLF (as Windows editors write it)."""
    return b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")


def encode_like(text: str, original: bytes) -> bytes:
    """Text as bytes in the conventions of the file it replaces: a BOM kept, CRLF line ends if it had only those."""
    if uses_crlf(original):
        text = re.sub(r"(?<!\r)\n", "\r\n", text)
    data = text.encode()
    return _BOM + data if original.startswith(_BOM) and not data.startswith(_BOM) else data


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder, fsync, rename: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777  # keep the mode of the file replaced
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # a new file gets what open() would give it, not mkstemp's 0600
    sweep_temps(path.parent)
    # The pid in the name lets the next run tell a temp file of a killed wtpf from one being written.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.wtpf-{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        checkpoint("temp", path)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
    except BaseException:  # Ctrl-C: no temp file left behind either
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    checkpoint("renamed", path)


_TEMP_RE = re.compile(r"^\..*\.wtpf-(\d+)-[^.]*\.tmp$")


def sweep_temps(folder: Path) -> int:
    """Remove temp files that write_atomic of a wtpf process no longer running left in `folder`; how many."""
    removed = 0
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            m = _TEMP_RE.match(entry.name)
            if m and not pid_alive(int(m.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


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
    if (git_dir / JOURNAL).exists() or (git_dir / "wtpf.lock").exists():
        # A wtpf was interrupted (or runs): finish or undo its change and clear its lock, unless it runs.
        with contextlib.suppress(WorkspaceStateError), git_dir_lock(history, here):
            pass
        if not (here / CONFIG_NAME).is_file():
            raise WorkspaceStateError(f"an interrupted `wtpf init` in {here} was undone: run `wtpf init` again")
    config = read_config(here / CONFIG_NAME)
    if not (here / config.draft).resolve().is_relative_to(history.root):  # wtpf.toml may come from anyone
        where = str(here / CONFIG_NAME)
        raise InputRejected(f"[report].draft {config.draft!r} leads outside the repository", path=where)
    return Workspace(here, config, history)


@contextlib.contextmanager
def workspace_lock(ws: Workspace) -> Iterator[None]:
    """Hold wtpf's own lock so that two wtpf commands never write the same repository at once."""
    with git_dir_lock(ws.history, ws.root):
        yield


@contextlib.contextmanager
def git_dir_lock(history: History, root: Path | None = None) -> Iterator[None]:
    """Hold `.git/wtpf.lock` (flock'ed, holding "pid host"), then finish or undo any interrupted change.

    A lock file whose process is dead on this machine (wtpf was killed) is taken over with a note; a live one
    refuses (exit 4)."""
    import fcntl
    import socket

    lock = history.git_dir / "wtpf.lock"
    host = socket.gethostname()
    while True:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            raise WorkspaceStateError(_held_message(lock)) from exc
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False  # the holder removed it as we opened it: take a fresh one
        if same:
            break
        os.close(fd)
    holder = os.pread(fd, 256, 0).decode("utf-8", "replace").split()
    if holder:
        pid = int(holder[0]) if holder[0].isdigit() else 0
        elsewhere = len(holder) > 1 and holder[1] != host
        if elsewhere or (pid and pid_alive(pid)):
            os.close(fd)  # written by a wtpf that runs (or ran elsewhere): not ours to take or remove
            raise WorkspaceStateError(_held_message(lock))
        log.warning("took over %s left by wtpf process %s, which is no longer running", lock, holder[0])
    try:
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {host}\n".encode(), 0)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(lock)) from exc
        recover(history, root)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def _held_message(lock: Path) -> str:
    try:
        holder = lock.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        holder = []
    who = f" (process {holder[0]}" + (f" on {holder[1]})" if len(holder) > 1 else ")") if holder else ""
    return f"another wtpf is running{who} and holds {lock}: wait for it to finish, or delete the file if none runs"


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
    existing = folder
    while not existing.exists():
        existing = existing.parent
    found = History.find(existing)
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
    draft_text = render_front_matter(meta) + parts.body
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
    ident = signer or ws.tool_identity()
    with git_dir_lock(history, folder):
        if (folder / CONFIG_NAME).exists():
            raise WorkspaceStateError(f"{folder / CONFIG_NAME} already exists: this is a workspace already")
        change = Change.start(history, "init")
        files = {ws.repo_path(CONFIG_NAME): render_config(config).encode(), ws.draft_repo_path: draft_text.encode()}
        sha = change.commit(files, f"Start the report: {title}", ident, ident, date)
        change.apply()
    return InitResult(folder, cfg_path, ws.draft_path, sha)


def today(zone: str = "UTC") -> str:
    """Today's calendar day in the secretariat's time zone (or WTPF_TODAY), ISO format."""
    from wtpf_cli.store.days import today as day_in_zone

    return day_in_zone(zone)
