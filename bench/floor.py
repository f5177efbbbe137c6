"""Issue 18's floor: what scenario f's 1,000-commit targets leave for wtpf's own work once git has handed over the
versions.

    python bench/floor.py --results bench/results/DATE-SHA-sessionN.json \
        --workspace /tmp/benchwd/w100000-c1000-e2-s1-*-packed [--repeat 3]

Every version of the draft between First Draft and Preliminary Second Draft in scenario f's packed 1,000-commit
workspace is read as wtpf reads it (`git cat-file --batch` through a widened pipe, one version asked for ahead:
store/git.py's read_files_ahead) and nothing else is done: the CPU of git and of the reading process is a cost no
change to wtpf's Python can win back. With the run's figures (pandoc's time, the CPU line through 20-5,000 commits),
it prints the CPU budget of a command that is to take no longer than pandoc on this machine's cores: the CPU left per
commit for parsing and attributing its edits, against what that costs today.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_PIPE_SIZE = 1 << 20
_FROM_TAG = "wtpf-ieg-1/first-draft"
_TO_TAG = "wtpf-ieg-1/preliminary-second-draft"


def read_all(ws: Path, shas: list[str], path: str) -> tuple[float, float, float, int]:
    """(wall s, this process's CPU s, git's CPU s, bytes) of reading the draft at every commit of `shas`."""
    import fcntl

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=ws, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    fcntl.fcntl(proc.stdout.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    total = 0
    for k, sha in enumerate(shas):
        if k == 0:
            proc.stdin.write(f"{sha}:{path}\n".encode())
        if k + 1 < len(shas):
            proc.stdin.write(f"{shas[k + 1]}:{path}\n".encode())
        proc.stdin.flush()
        head = proc.stdout.readline().split()
        total += len(proc.stdout.read(int(head[2])))
        proc.stdout.read(1)
    proc.stdin.close()
    proc.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    git_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - wall, time.process_time() - cpu, git_cpu, total


def _f_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = results["scenarios"]["f"]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, required=True, help="a bench/run.py result holding scenario f")
    parser.add_argument("--workspace", type=Path, required=True, help="the run's packed 1,000-commit workspace")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text())
    rows = [
        r for r in _f_rows(results) if r["what"].startswith("redline, 1000 ") or r["what"].startswith("blame, 1000 ")
    ]
    if not rows:
        print("the results hold no 1,000-commit row of scenario f", file=sys.stderr)
        return 2
    ws = args.workspace
    shas = subprocess.run(
        ["git", "rev-list", "--reverse", "--ancestry-path", f"{_FROM_TAG}..{_TO_TAG}"],
        cwd=ws,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    runs = [read_all(ws, shas, "report.md") for _ in range(args.repeat)]
    wall = statistics.median(r[0] for r in runs)
    reader = statistics.median(r[1] for r in runs)
    git = statistics.median(r[2] for r in runs)
    n = len(shas)
    floor_ms = (reader + git) / n * 1000
    print(
        f"{ws.name}: {n} versions, {runs[0][3] / 1e6:.0f} MB, read through the pipe in {wall:.3f} s wall "
        f"(git {git:.3f} CPU-s, reader {reader:.3f} CPU-s: {floor_ms:.2f} ms of CPU a version)"
    )
    cores = len(os.sched_getaffinity(0))
    fit = results["history_fit"]
    print(
        f"{'command':8} {'pandoc s':>9} {'budget CPU-s':>13} {'intercept':>10} {'floor':>6} {'left/commit ms':>15} "
        f"{'costs today ms':>15} {'fits':>5}"
    )
    for row in rows:
        kind = row["what"].split(",")[0]
        pandoc = row["baseline"]["median_s"]
        budget = cores * pandoc  # every core busy for as long as pandoc takes
        intercept = fit[kind]["cpu_intercept_s"]
        left = (budget - intercept - (reader + git)) / n * 1000
        today = fit[kind]["cpu_ms_per_commit"] - floor_ms
        print(
            f"{kind:8} {pandoc:9.3f} {budget:13.3f} {intercept:10.3f} {reader + git:6.3f} {left:15.2f} {today:15.2f} "
            f"{'yes' if left >= today else 'no':>5}"
        )
    for kind in ("redline", "blame"):
        per_commit = fit[kind]["cpu_ms_per_commit"]
        print(
            f"{kind}: one more commit takes {per_commit:.2f} ms of CPU ({floor_ms:.2f} of them the floor): on "
            f"{cores} cores, {per_commit / cores:.2f} ms wall at the least, every core busy all the time"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
