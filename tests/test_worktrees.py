"""Two worktrees of one repository share its branches and tags: wtpf's lock lives in git's common folder, so a
command writing in one worktree keeps out a command writing in the other - through the real command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.cli import clean_env, git, init_report, revise, wtpf


def test_two_stamps_in_two_worktrees_of_one_repository_exclude_each_other(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    git("commit", "-q", "--allow-empty", "-m", "First draft text", cwd=root)
    other = tmp_path / "other"
    git("worktree", "add", "-q", "-b", "other", str(other), cwd=root)
    ready = tmp_path / "ready"
    first = subprocess.Popen(
        [sys.executable, "-m", "wtpf_cli", "stamp", "next", "--date", "2012-04-13"],
        cwd=root,
        env=clean_env(root) | {"WTPF_TEST_PAUSE_AT": "journal", "WTPF_TEST_READY_FILE": str(ready)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert first.poll() is None and time.monotonic() < deadline, "the first stamp never reached its journal"
        time.sleep(0.01)
    second = wtpf("stamp", "next", "--date", "2012-04-13", cwd=other, check=4)
    common = Path(git("rev-parse", "--git-common-dir", cwd=root).strip())
    lock = (root / common).resolve() / "wtpf.lock"
    assert f"holds {lock}" in second.err and second.err.count("\n") == 1, second.err
    os.killpg(first.pid, signal.SIGINT)
    first.communicate(timeout=60)
    assert first.returncode == 130
    assert git("tag", "--list", cwd=root).strip() == ""
    # One after the other, both work: the tags are the repository's, so the second stamps the next rung.
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    revise(other)
    wtpf("stamp", "next", "--date", "2012-04-14", cwd=other)
    assert git("tag", "--list", cwd=root).split() == [
        "wtpf-ieg-1/first-draft",
        "wtpf-ieg-1/preliminary-second-draft",
    ]
