"""Write steps: test-only fault hooks at each (tests/test_interrupt.py), and the holding of Ctrl-C over a critical
section (HeldInterrupt, used by transaction.py; here because the pause hook must see a held Ctrl-C) and after the
commit point (mark_committed: the command then says "interrupted after the change was committed (<sha>)").

Never set these variables outside tests. When none is set, `checkpoint` is one test of a module constant.

- WTPF_TEST_KILL_AT=STEP     SIGKILL this process when it reaches STEP
- WTPF_TEST_ENOSPC_AT=STEP   raise OSError(ENOSPC) at STEP, as a full disk would
- WTPF_TEST_PAUSE_AT=STEP    at STEP, create the file WTPF_TEST_READY_FILE and wait (up to 30 s) for a signal
- WTPF_TEST_TRACE=FILE       append every step reached to FILE with the time, one a line (a command's steps)

STEP is a name of STEPS, optionally `NAME#N` for its N-th occurrence in one run (`temp#2`: the second file).
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

STEPS: dict[str, str] = {
    "repo": "init: the git repository exists (git init), nothing else is written",
    "objects": "a new commit's git objects (blobs, trees, commit, tag) are written; no ref, file or index changed",
    "journal": "the change is recorded in .git/wtpf-journal.json; nothing visible changed yet",
    "temp": "a file's new bytes are in its temp file beside it, not yet renamed into place",
    "renamed": "a file's temp file is renamed into place (the draft, a contribution file, an output)",
    "index": "the index holds the new state; the branch still points to the old commit",
    "refs": "the branch and any tag point to the new commits in one ref transaction: the change is made",
    "done": "the journal is removed; the command is about to report",
    "ahead": "redline: its second process is at work (not a write step: where a test sends Ctrl-C)",
}
"""Every step, write steps in the order a command passes them; the one list (docs: README, tests/test_interrupt.py)."""

_KILL = os.environ.get("WTPF_TEST_KILL_AT", "")
_ENOSPC = os.environ.get("WTPF_TEST_ENOSPC_AT", "")
_PAUSE = os.environ.get("WTPF_TEST_PAUSE_AT", "")
_TRACE = os.environ.get("WTPF_TEST_TRACE", "")
ACTIVE = bool(_KILL or _ENOSPC or _PAUSE or _TRACE)
_seen: dict[str, int] = {}


def _matches(wanted: str, step: str, n: int) -> bool:
    name, _, count = wanted.partition("#")
    return name == step and (int(count) if count else 1) == n


def checkpoint(step: str, path: Path | str | None = None) -> None:
    """Reached write step `step` (a key of STEPS), writing `path` if any: act on a test hook, else nothing."""
    if not ACTIVE:
        return
    n = _seen[step] = _seen.get(step, 0) + 1
    if _TRACE:
        with open(_TRACE, "a", encoding="utf-8") as fh:
            fh.write(f"{step}#{n} {time.time():.4f}\n")
    if _KILL and _matches(_KILL, step, n):
        os.kill(os.getpid(), signal.SIGKILL)
    if _ENOSPC and _matches(_ENOSPC, step, n):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path) if path is not None else None)
    if _PAUSE and _matches(_PAUSE, step, n):
        Path(os.environ["WTPF_TEST_READY_FILE"]).write_text(str(os.getpid()), encoding="utf-8")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not interrupt_pending():
            time.sleep(0.02)  # a signal's KeyboardInterrupt, when not deferred, ends the wait here


_deferred: list[bool] = []
_committed: list[str] = []  # the commit this process's change moved the branch to, once it did
_late: list[bool] = []  # Ctrl-C came after that
_until_exit: list[bool] = []  # the command line runs: hold Ctrl-C from the commit point until the process ends


def hold_after_commit_until_exit() -> None:
    """Called by the command line at its start: once a change is committed, Ctrl-C is only noted until the process
    ends (a library caller keeps its own Ctrl-C)."""
    _until_exit.append(True)


def mark_committed(sha: str) -> None:
    """The change is committed (its refs moved): from now until the process ends, Ctrl-C is only noted, never
    raised where it lands, so that the command can always say that its change was made (see `committed_interrupt`)."""
    _committed.append(sha)
    if not _deferred:
        _hold_after_commit()


def _hold_after_commit() -> None:
    if not _until_exit:
        return
    try:
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, lambda signum, frame: _late.append(True))
    except ValueError:  # not the main thread
        pass


def committed_interrupt(raised: bool = False) -> str | None:
    """The commit of this process's change if Ctrl-C came after it was made (`raised`: a KeyboardInterrupt is being
    handled, which after the commit point can only be a Ctrl-C held over it), else None."""
    if _committed and (raised or _late):
        return _committed[-1]
    return None


def interrupt_pending() -> bool:
    """Whether Ctrl-C arrived while it was deferred (see `HeldInterrupt`)."""
    return bool(_deferred and _deferred[-1])


class HeldInterrupt:
    """Hold Ctrl-C (SIGINT) over a critical section: it is noted, and the section decides when to give way."""

    def __enter__(self) -> HeldInterrupt:
        self.previous: object = None
        _deferred.append(False)  # (before the handler: a Ctrl-C right after it is set finds its place)
        try:
            if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # a process told to ignore Ctrl-C still does
                self.previous = signal.signal(signal.SIGINT, self._note)
        except ValueError:  # not the main thread: signals cannot arrive here anyway
            self.previous = None
        return self

    def _note(self, signum: int, frame: object) -> None:
        _deferred[-1] = True

    @property
    def pending(self) -> bool:
        """Ctrl-C arrived during the section."""
        return _deferred[-1]

    def __exit__(self, *exc: object) -> None:
        # The handler is replaced before the section's place goes: a Ctrl-C between the two found no place
        # (IndexError in _note).
        try:
            if _committed and _until_exit and len(_deferred) == 1:
                _hold_after_commit()  # the change is made: a later Ctrl-C is noted until the end (mark_committed)
            elif self.previous is not None:
                signal.signal(signal.SIGINT, self.previous)  # type: ignore[arg-type]
        finally:
            _deferred.pop()
