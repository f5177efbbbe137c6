"""Speed only: Word contributions read in a second process while the merge goes on. Reading a .docx and mapping it
onto the Markdown source is most of a merge's work and needs nothing from the contributions merged before it.

What the worker gives must equal proposal_of (proposals.py) run in the merging process, as it is with WTPF_JOBS=1
or one core (`wtpf_cli._forked.spare_core` decides): tests/test_contributions.py
(test_word_contributions_read_ahead_in_a_second_process_merge_as_when_read_one_by_one) merges both ways and
compares the drafts and the commits. The worker only reads files; a job that fails there is done again in the
merging process, which then raises its error as usual.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

from wtpf_cli._forked import spare_core
from wtpf_cli.merging.proposals import Proposal, word_proposal_of
from wtpf_cli.store.contributions import Contribution
from wtpf_cli.store.workspace import Workspace

# Fewer Word contributions than this are read in the merging process itself: a worker would not pay for itself.
_READ_AHEAD_MIN = 3


def _worker_start(parent: int) -> None:
    """In the read-ahead worker: Ctrl-C is the merging process's to handle, and the worker ends when it does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    """Exit once `parent` is gone (killed: nobody would stop this worker, which holds its output pipes)."""
    while os.getppid() == parent:
        time.sleep(0.05)
    os._exit(0)


class ReadAhead:
    """The Word contributions of a merge, read in a forked worker in the order they will be merged."""

    def __init__(self, ws: Workspace) -> None:
        self.jobs: dict[str, Future[Proposal]] = {}
        self.pool: ProcessPoolExecutor | None = None
        words = sum(1 for _ in (ws.root / "contributions").glob("*/*.docx"))
        if words < _READ_AHEAD_MIN or not spare_core():
            return  # spare_core: Linux only (fork is unsafe on macOS; a spawned worker would import everything again)
        # fork: the worker starts at once with the modules loaded here. It is forked now, before the workspace lock
        # is taken, so that it never holds the lock's file.
        self.pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_start,
            initargs=(os.getpid(),),
        )
        self.pool.submit(os.getpid).result()

    def submit(self, ws: Workspace, pending: list[Contribution], base_of: Callable[[Contribution], str]) -> None:
        """Start reading the pending Word contributions, in order, each against `base_of` it (the base version's
        Markdown file)."""
        if self.pool is None:
            return
        for c in pending:
            if c.kind == "word-revisions":
                base_full = base_of(c)
                path = ws.root / "contributions" / c.id / c.file
                self.jobs[c.id] = self.pool.submit(word_proposal_of, path, base_full, c.id)

    def take(self, c: Contribution) -> Proposal | None:
        """The proposal read ahead for `c`, or None (not read ahead, or failed there)."""
        job = self.jobs.pop(c.id, None)
        if job is None:
            return None
        try:
            return job.result()
        except Exception:  # read again in this process, where an error is reported as usual
            return None

    def close(self) -> None:
        """Stop the worker (pending jobs dropped)."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
