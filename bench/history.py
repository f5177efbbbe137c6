"""Scenario f of bench/run.py: the redline and the blame across long histories of small commits.

Workspaces of --words words whose First Draft and Preliminary Second Draft are 20, 200, 1,000 and 5,000 commits
apart, each commit making 2 edits (synth.py); `wtpf redline` between the two and `wtpf blame --json` of the second
are timed against pandoc at each length, and `wtpf blame --json` on scenario a's workspace (20 commits x 50 edits).
The cost of one more commit is the slope of the least-squares line through the four lengths. With --packed, the
workspaces' objects are packed first (`git gc`), as in a clone; as built, they are loose, as after local commits
(git reads each version of a loose draft by inflating all of it).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import synth

COMMITS = (20, 200, 1000, 5000)
SMOKE_COMMITS = (2, 4, 8)
EDITS = 2
TARGET_COMMITS = 1000  # the history of the ratio targets
SLOPE_TARGET_MS = 1.0


def workspace(
    cache: Path, *, words: int, commits: int, seed: int, wtpf: Sequence[str], packed: bool, env: dict[str, str]
) -> tuple[Path, int]:
    """The workspace of `commits` x EDITS at `words` (packed: a copy with its objects packed), and the word count of
    its First Draft."""
    path = synth.cached_workspace(cache, words=words, commits=commits, edits=EDITS, seed=seed, wtpf=wtpf)
    count = int((path / ".git" / "wtpf-bench-words").read_text())
    if not packed:
        return path, count
    target = path.with_name(path.name + "-packed")
    if not (target / ".git" / "wtpf-bench-packed").is_file():
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(path, target, symlinks=True)
        # --force: a gc.pid copied from the source (an automatic gc after its commits) would stop a plain gc
        subprocess.run(["git", "gc", "--quiet", "--force"], cwd=target, check=True, env=env)
        (target / ".git" / "wtpf-bench-packed").write_text("ok\n")
    return target, count


def linear_fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares t = a + b x: (a, b)."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(t for _, t in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (t - my) for x, t in points) / sxx if sxx else 0.0
    return my - b * mx, b
