"""wtpf's own lock on a repository (`.git/wtpf.lock`): two wtpf commands never write the same repository at once,
and whoever takes the lock first finishes or undoes a change an interrupted wtpf left."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from wtpf_cli.errors import OutputError, WorkspaceStateError
from wtpf_cli.store.files import pid_alive
from wtpf_cli.store.git import History
from wtpf_cli.store.transaction import recover

LOCK_NAME = "wtpf.lock"  # in git's common folder: one lock for all the worktrees of a repository
log = logging.getLogger("wtpf")


@contextlib.contextmanager
def git_dir_lock(history: History, root: Path | None = None) -> Iterator[None]:
    """Hold `.git/wtpf.lock` (flock'ed, holding "pid host"), then finish or undo any interrupted change. The lock
    is in git's common folder, so that commands in two worktrees of one repository (which share branches and tags)
    exclude each other too.

    A lock file whose process is dead on this machine (wtpf was killed) is taken over with a note; a live one
    refuses (exit 4)."""
    import fcntl  # (start-up: only commands that write take the lock)
    import socket

    lock = history.common_dir / LOCK_NAME
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
