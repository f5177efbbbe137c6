"""Speed only: a second process forked to work ahead of this one, its results read back in order through a pipe.

Whatever a second process does must give what the same work in one process gives (`WTPF_JOBS=1`, or `spare_core()`
False): tests/test_redline_ahead.py compares the redlines (attribution/_parse_ahead.py), tests/test_contributions.py
the merges (the merge's read-ahead). `spare_core` is the one place that decides whether a second process runs.

Forked (not spawned) so that it starts at once with everything this process has loaded and read; Linux only (fork
without exec is unsafe on macOS). The child only computes: it never writes files, takes no lock and talks to no
process it inherited. Whatever goes wrong there, the child stops and this process does the rest of the work itself,
so errors are raised (and reported) where they always are. WTPF_JOBS=1 keeps all the work in one process.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

Send = Callable[[Any], None]
Receive = Callable[[], Any]

_SIZE = 8  # bytes of the length before each message
_LIVE: set[Forked] = set()  # children not yet reaped: stopped at exit whatever interrupted their parent


def spare_core() -> bool:
    """Whether a second process may run beside this one: Linux, two cores for us, not turned off by WTPF_JOBS=1."""
    if os.environ.get("WTPF_JOBS") == "1" or not sys.platform.startswith("linux"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores >= 2


class Forked:
    """The messages of a forked child, in the order it sent them."""

    def __init__(self, pid: int, pipe: IO[bytes], to_child: IO[bytes]) -> None:
        self.pid = pid
        self.pipe: IO[bytes] | None = pipe
        self.to_child: IO[bytes] | None = to_child

    @staticmethod
    def start(produce: Callable[[Send, Receive], None]) -> Forked | None:
        """Fork a child that runs `produce(send, receive)`: each `send(obj)` a message for this process's
        `receive()`, each `receive()` there the next of this process's `send(obj)` (None if there is none); None if
        no child could start (one process then does all the work)."""
        try:
            pipes = (*os.pipe(), *os.pipe())  # child -> parent, parent -> child
        except OSError:
            return None
        sys.stdout.flush()
        sys.stderr.flush()
        # Ctrl-C is held from the fork until the child is registered: a KeyboardInterrupt in between would leave a
        # child nobody stops. Once held, it is raised here, and the child is stopped at exit (_stop_all).
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            try:
                pid = os.fork()
            except OSError:
                for fd in pipes:
                    os.close(fd)
                return None
            if pid == 0:  # the child: never returns
                _child(pipes, produce)
            os.close(pipes[1])
            os.close(pipes[2])
            forked = Forked(pid, os.fdopen(pipes[0], "rb"), os.fdopen(pipes[3], "wb"))
            _LIVE.add(forked)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return forked

    def receive(self) -> Any | None:
        """The next message, or None once the child has stopped (done, failed or killed)."""
        found = _read_message(self.pipe)
        if found is None:
            self.close()
        return found

    def send(self, obj: Any) -> None:
        """A message for the child's `receive()` (nothing if the child has stopped)."""
        try:
            if self.to_child is not None:
                _write_message(self.to_child, obj)
        except OSError:
            self.close()

    def messages(self) -> Iterator[Any]:
        """receive() until the child stops."""
        while (msg := self.receive()) is not None:
            yield msg

    def close(self) -> None:
        """Stop the child (if still at work) and reap it."""
        if self.pipe is None:
            return
        _LIVE.discard(self)
        self.pipe.close()
        self.pipe = None
        if self.to_child is not None:
            with contextlib.suppress(OSError):
                self.to_child.close()
            self.to_child = None
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@atexit.register
def _stop_all() -> None:
    """Stop and reap every child still running when this process exits (interrupted before it could close them)."""
    for forked in list(_LIVE):
        forked.close()


def _read_message(pipe: IO[bytes] | None) -> Any | None:
    """The next message on `pipe`, or None at its end or where the message is cut short or does not load."""
    if pipe is None:
        return None
    try:
        head = pipe.read(_SIZE)
        size = int.from_bytes(head, "little") if len(head) == _SIZE else -1
        data = pipe.read(size) if size >= 0 else b""
        if size < 0 or len(data) != size:
            return None
        return pickle.loads(data)
    except Exception:  # a message that does not load: the rest is done without it
        return None


def _write_message(pipe: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(len(data).to_bytes(_SIZE, "little"))
    pipe.write(data)
    pipe.flush()


def _child(pipes: tuple[int, int, int, int], produce: Callable[[Send, Receive], None]) -> None:
    """The forked child's life: produce, send, exit without running this process's exit handlers."""
    code = 0
    try:
        os.close(pipes[0])
        os.close(pipes[3])
        # Ctrl-C is the parent's to handle (it then stops this child). If the parent is killed, the next send
        # fails (nobody reads the pipe) and this child ends.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        _LIVE.clear()  # the parent's children are not this one's to stop
        out = os.fdopen(pipes[1], "wb")
        inbox = os.fdopen(pipes[2], "rb")
        produce(lambda obj: _write_message(out, obj), lambda: _read_message(inbox))
        out.close()
    except BaseException:
        code = 1
    finally:
        os._exit(code)
