"""All or nothing: every command that writes, killed (SIGKILL) at each of its write steps and at random moments,
given a full disk (ENOSPC) and Ctrl-C, leaves the draft, the index and the refs as before or as completed, and the
next wtpf run succeeds and cleans up.

Steps are the checkpoints of wtpf_cli/faults.py, learnt from an uninterrupted run of the same command in a twin
workspace (WTPF_TEST_TRACE), which also gives the completed state. WTPF_KILL_RUNS sets the number of random kills
(default 100); WTPF_KILL_SEED their seed.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from support.cli import clean_env, git, init_report, revise, wtpf

BODY = """# 1 Introduction

1.1. The Forum will discuss the report of the Secretary-General.

1.2. Contributions received from the membership are attributed to their source.

# 2 Background

2.1. The fifth Forum will be held in Geneva in 2013.
"""
T = TypeVar("T")
INIT_ARGS = ("init", "report", "--title", "Report", "--symbol-prefix", "WTPF-IEG/1", "--secretariat", "ITU Secretariat")


@dataclass(frozen=True)
class Scenario:
    """A command to interrupt: run in `base/run_in` on a copy of `base`; the workspace is `base/report`."""

    name: str
    base: Path
    args: tuple[str, ...]
    run_in: str = "report"
    output: str | None = None  # a file the command writes outside git (build, redline)


@dataclass(frozen=True)
class Snapshot:
    """What must be all old or all new."""

    draft: bytes | None
    head_tree: str | None
    index_tree: str | None
    tags: tuple[str, ...]
    records: tuple[tuple[str, bytes], ...]  # contributions/**/* files
    output: bytes | None
    changed: str | None  # git status of tracked files (hand edits that `wtpf commit` records)


def run(args: tuple[str, ...], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = clean_env(cwd) | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "wtpf_cli", *args], cwd=cwd, env=full, capture_output=True, text=True, timeout=120
    )


def quiet_git(*args: str, cwd: Path) -> str | None:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=clean_env(cwd))
    return proc.stdout.strip() if proc.returncode == 0 else None


def snapshot(s: Scenario, base: Path) -> Snapshot:
    ws = base / "report"
    has_git = (ws / ".git").is_dir()
    draft = (ws / "report.md").read_bytes() if (ws / "report.md").is_file() else None
    head_tree = quiet_git("rev-parse", "--verify", "-q", "HEAD^{tree}", cwd=ws) if has_git else None
    index_tree = quiet_git("ls-files", "--stage", cwd=ws) if has_git else None  # read-only, even on a full disk
    if not index_tree and not head_tree:
        index_tree = None  # a repository without commits: as good as none
    tags = tuple(sorted((quiet_git("tag", "--list", cwd=ws) or "").split())) if has_git else ()
    records = tuple(
        sorted(
            (p.relative_to(ws).as_posix(), p.read_bytes())
            for p in (ws / "contributions").rglob("*")
            if p.is_file() and not p.name.endswith(".tmp")
        )
    )
    out = base / s.run_in / s.output if s.output else None
    output = out.read_bytes() if out and out.exists() else None
    changed = quiet_git("--no-optional-locks", "status", "--porcelain", "-uno", cwd=ws) if has_git else None
    if not head_tree and not changed:
        changed = None  # init stopped after `git init`: an empty repository, which the next init uses
    return Snapshot(draft, head_tree or None, index_tree, tags, records, output, changed)


def wait_group(pgid: int) -> None:
    """Wait until every process of the killed command's group (git children it left running) has ended."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)
    raise AssertionError(f"processes of group {pgid} still run")


def git_locks(base: Path) -> list[Path]:
    """git's lock files in the workspace's repository (index, HEAD, packed refs, branches, tags)."""
    git_dir = base / "report" / ".git"
    if not git_dir.is_dir():
        return []
    found = [git_dir / n for n in ("index.lock", "HEAD.lock", "packed-refs.lock") if (git_dir / n).exists()]
    return found + list((git_dir / "refs").rglob("*.lock"))


def leftovers(base: Path) -> list[str]:
    """Temp files, lock, journal, private index or git lock an interrupted wtpf could leave."""
    found = [p for p in base.rglob("*") if p.name.endswith(".tmp") and ".wtpf-" in p.name]
    git_dir = base / "report" / ".git"
    found += [git_dir / n for n in ("wtpf.lock", "wtpf-journal.json") if (git_dir / n).exists()]
    found += list(git_dir.glob("wtpf-index.*")) if git_dir.is_dir() else []
    found += git_locks(base)
    return [str(p.relative_to(base)) for p in found]


# ---------------------------------------------------------------------------------------------------------------
# The scenarios, built once through the real command line.


def _add(ws: Path, name: str, text: str, source: str, day: str, symbol: str) -> None:
    path = ws.parent / name
    path.write_text(text, encoding="utf-8")
    wtpf("contribution", "add", str(path), "--source", source, "--received", day, "--symbol", symbol, cwd=ws)


def _proposal(ws: Path, old: str, new: str) -> str:
    text = (ws / "report.md").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


def _stamped(root: Path) -> Path:
    ws = init_report(root)
    text = (ws / "report.md").read_text(encoding="utf-8")
    (ws / "report.md").write_text(text[: text.index("---\n", 4) + 4] + BODY, encoding="utf-8")
    git("commit", "-qam", "First draft text", cwd=ws)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    (ws / "out").mkdir()
    return ws


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    made: dict[str, Scenario] = {}

    def new(name: str) -> Path:
        return tmp_path_factory.mktemp(f"tpl-{name}")

    base = new("init")
    made["init"] = Scenario("init", base, INIT_ARGS, run_in=".")

    ws = _stamped(new("stamp"))
    revise(ws)  # the next stamp has a changed draft to stamp
    made["stamp"] = Scenario("stamp", ws.parent, ("stamp", "next", "--date", "2012-06-01"))

    ws = _stamped(new("add"))
    (ws.parent / "brazil.md").write_text(_proposal(ws, "will discuss", "shall discuss"), encoding="utf-8")
    made["contribution add"] = Scenario(
        "contribution add",
        ws.parent,
        ("contribution", "add", "../brazil.md", "--source", "Brazil", "--received", "2012-05-11", "--symbol", "C/4"),
    )

    ws = _stamped(new("merge"))
    _add(ws, "b.md", _proposal(ws, "will discuss", "shall discuss"), "Brazil", "2012-05-11", "C/4")
    _add(ws, "u.md", _proposal(ws, "in Geneva", "in Geneva, Switzerland,"), "United States", "2012-05-12", "C/5")
    _add(ws, "r.md", _proposal(ws, "will discuss", "may discuss"), "Russian Federation", "2012-05-13", "C/6")
    made["merge"] = Scenario("merge", ws.parent, ("merge",))

    ws = _stamped(new("decline"))
    _add(ws, "letter.md", "We thank the Secretariat for the draft.\n", "ARIN", "2012-05-07", "C/7")
    made["contribution decline"] = Scenario(
        "contribution decline", ws.parent, ("contribution", "decline", "C/7", "--reason", "Outside the scope")
    )

    ws = _stamped(new("comments"))
    noted = _proposal(ws, "will discuss", "will discuss {>>Which issues?<<}")
    _add(ws, "k.md", noted, "Kenya", "2012-05-08", "C/8")
    wtpf("merge", cwd=ws)
    made["comments done"] = Scenario("comments done", ws.parent, ("comments", "done", "C/8", "--reason", "Answered"))

    ws = _stamped(new("resolve"))
    _add(ws, "b.md", _proposal(ws, "will discuss", "shall discuss"), "Brazil", "2012-05-11", "C/4")
    _add(ws, "u.md", _proposal(ws, "will discuss", "may discuss"), "United States", "2012-05-12", "C/5")
    wtpf("merge", cwd=ws)
    assert "[[" in (ws / "report.md").read_text(encoding="utf-8")
    made["resolve"] = Scenario("resolve", ws.parent, ("resolve", "1", "--keep", "Brazil", "--reason", "Agreed"))

    ws = _stamped(new("commit"))
    _add(ws, "r.md", _proposal(ws, "in 2013.", "in 2013.\n\n2.2. Added."), "Russian Federation", "2012-05-07", "C/3")
    (ws / "report.md").write_text(_proposal(ws, "in 2013.", "in 2013.\n\n2.2. Added by hand."), encoding="utf-8")
    made["commit"] = Scenario(
        "commit", ws.parent, ("commit", "--source", "Russian Federation", "--contribution", "C/3", "-m", "Add 2.2")
    )

    ws = _stamped(new("build"))
    made["build"] = Scenario("build", ws.parent, ("build", "-o", "out/clean.docx"), output="out/clean.docx")

    ws = _stamped(new("redline"))
    (ws / "report.md").write_text(_proposal(ws, "will discuss", "shall consider"), encoding="utf-8")
    git("commit", "-qam", "Secretariat edits", cwd=ws)
    made["redline"] = Scenario(
        "redline", ws.parent, ("redline", "First Draft", "-o", "out/red.docx"), output="out/red.docx"
    )
    return made


@dataclass(frozen=True)
class Twin:
    """The command run uninterrupted: the state before and after, its steps, and how long it took."""

    before: Snapshot
    after: Snapshot
    steps: tuple[str, ...]
    seconds: float
    first_step: float  # seconds from start to the first write step (start-up and reading come before)


def copy_of(s: Scenario, into: Path) -> Path:
    shutil.copytree(s.base, into, symlinks=True)
    return into


_twins: dict[str, Twin] = {}


def twin(s: Scenario, tmp: Path) -> Twin:
    if s.name not in _twins:
        base = copy_of(s, tmp / "twin")
        before = snapshot(s, base)
        trace = tmp / "trace.txt"
        start = time.time()
        proc = run(s.args, base / s.run_in, {"WTPF_TEST_TRACE": str(trace)})
        seconds = time.time() - start
        assert proc.returncode == 0, proc.stderr
        lines = [line.split() for line in trace.read_text().splitlines()] if trace.exists() else []
        steps = tuple(step for step, _ in lines)
        first = float(lines[0][1]) - start if lines else 0.0
        _twins[s.name] = Twin(before, snapshot(s, base), steps, seconds, first)
    return _twins[s.name]


def check_interrupted(s: Scenario, t: Twin, base: Path, how: str, *, rerun: bool = True) -> str:
    """Assert the guarantees after an interruption; returns 'before' or 'after' (which state it was left in)."""
    now = snapshot(s, base)
    ws = base / "report"
    journal = (ws / ".git" / "wtpf-journal.json").exists()  # killed inside the change, not before it
    assert now.draft in (t.before.draft, t.after.draft), f"{how}: the draft is neither as before nor as completed"
    old_records, new_records = dict(t.before.records), dict(t.after.records)
    for name, data in now.records:  # each file whole, old or new (the next run makes them all one or the other)
        assert data in (old_records.get(name), new_records.get(name)), f"{how}: {name} is neither old nor new"
    if (ws / ".git").is_dir():
        fsck = subprocess.run(["git", "fsck", "--strict"], cwd=ws, capture_output=True, text=True)
        assert fsck.returncode == 0, f"{how}: git fsck: {fsck.stdout}{fsck.stderr}"
    assert (now.head_tree, now.tags) in ((t.before.head_tree, t.before.tags), (t.after.head_tree, t.after.tags)), (
        f"{how}: refs half moved: {now.head_tree} {now.tags}"
    )
    assert now.index_tree in (t.before.index_tree, t.after.index_tree, None), f"{how}: index neither old nor new"
    if s.output:
        assert now.output in (None, t.before.output, t.after.output), f"{how}: a partial output file"
    # The next run succeeds and cleans up; init's own next run may find it completed.
    if s.name == "init":
        nxt = run(s.args, base)
        if nxt.returncode == 4 and "already exists" in nxt.stderr:
            nxt = run(("status",), ws)
    elif s.output:
        nxt = run(s.args, base / s.run_in)
    else:
        nxt = run(("status",), ws)
    assert nxt.returncode == 0, f"{how}: the next run failed: {nxt.stderr}"
    assert leftovers(base) == [], f"{how}: left behind after the next run: {leftovers(base)}"
    after = snapshot(s, base)
    if s.name == "init" or s.output:
        assert after == t.after, f"{how}: the next run did not give the completed result"
        return "before" if now.head_tree == t.before.head_tree and now.output == t.before.output else "after"
    state = "before" if after.head_tree == t.before.head_tree else "after"
    expected = t.before if state == "before" else t.after
    assert (after.draft, after.head_tree, after.index_tree, after.tags, after.records, after.changed) == (
        expected.draft,
        expected.head_tree,
        expected.index_tree,
        expected.tags,
        expected.records,
        expected.changed,
    ), f"{how}: after the next run the workspace is not wholly {state}"
    if state == "before" and rerun and journal:  # undone by the next run, the command run again completes it
        again = run(s.args, base / s.run_in)
        assert again.returncode == 0, f"{how}: the command run again failed: {again.stderr}"
        done = snapshot(s, base)
        assert (done.draft, done.head_tree, done.tags, done.records) == (
            t.after.draft,
            t.after.head_tree,
            t.after.tags,
            t.after.records,
        ), f"{how}: run again, the command did not complete"
    return state


def killed_at(s: Scenario, t: Twin, step: str, tmp: Path) -> str:
    base = copy_of(s, tmp / f"{s.name.replace(' ', '-')}-{step.replace('#', '-')}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "wtpf_cli", *s.args],
        cwd=base / s.run_in,
        env=clean_env(base / s.run_in) | {"WTPF_TEST_KILL_AT": step},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, f"{s.name} at {step}: exit {proc.returncode}, not killed: {err!r}"
    wait_group(proc.pid)
    return check_interrupted(s, t, base, f"{s.name} killed at {step}")


def in_parallel(jobs: list[Callable[[], T]]) -> list[T]:
    with ThreadPoolExecutor(max_workers=3) as pool:  # the runs wait on fsync and git as much as on the CPU
        return [f.result() for f in [pool.submit(job) for job in jobs]]


COMMANDS = (
    "init",
    "stamp",
    "contribution add",
    "merge",
    "contribution decline",
    "comments done",
    "resolve",
    "commit",
    "build",
    "redline",
)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_killed_at_each_write_step_leaves_all_old_or_all_new(
    name: str, scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    s = scenarios[name]
    t = twin(s, tmp_path)
    assert t.steps, f"{name} passed no write step"
    assert t.after != t.before
    states = in_parallel([lambda step=step: killed_at(s, t, step, tmp_path) for step in t.steps])
    print(f"\n{name}: {len(t.steps)} kill points {' '.join(t.steps)}; left complete at {states.count('after')}")


def random_kill(
    k: int, s: Scenario, t: Twin, tmp_path: Path, fraction: float, from_start: bool, *, group: bool = False
) -> tuple[str, str, int]:
    """Run `s` and kill it at a random moment: its process alone (SIGKILL), or with `group` its whole process group
    (os.killpg: the git processes it runs die too, as when a CI job is cancelled). Returns the state it was left
    in, the last step it reached, and how many git lock files it left (the next run removes them)."""
    base = copy_of(s, tmp_path / f"random-{'g' if group else ''}{k}")
    trace = tmp_path / f"random-{'g' if group else ''}{k}.trace"
    proc = subprocess.Popen(
        [sys.executable, "-m", "wtpf_cli", *s.args],
        cwd=base / s.run_in,
        env=clean_env(base / s.run_in) | {"WTPF_TEST_TRACE": str(trace)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    if from_start:
        delay = fraction * t.seconds * 1.1
    else:
        while not trace.exists() and proc.poll() is None:
            time.sleep(0.001)
        delay = fraction * (t.seconds - t.first_step) * 0.6
    time.sleep(delay)
    if proc.poll() is None:
        if group:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=120)
    wait_group(proc.pid)
    reached = trace.read_text().split()[-2] if trace.exists() else "start-up"
    locks = len(git_locks(base))
    what = "its process group" if group else "it"
    how = f"{s.name}: {what} killed {delay:.3f} s after {'start' if from_start else 'its first write step'} (run {k})"
    state = check_interrupted(s, t, base, how, rerun=False)
    shutil.rmtree(base)
    return (state if proc.returncode == -signal.SIGKILL else "finished"), reached.split("#")[0], locks


def kill_campaign(
    names: tuple[str, ...], runs: int, seed: int, scenarios: dict[str, Scenario], tmp_path: Path, *, group: bool
) -> str:
    """`runs` random kills of commands among `names`; a summary of where they left the workspace."""
    rng = random.Random(seed)
    twins = {name: twin(scenarios[name], tmp_path / f"twin-{n}") for n, name in enumerate(names)}
    # One run in five is killed at a moment anywhere from its start; the others once they have reached their
    # first write step (learnt from the trace the run writes), at a moment in what is left of it: start-up and
    # reading, where nothing is written, are not where an interruption can do harm.
    plan = [(rng.choice(names), rng.random(), rng.random() < 0.2) for _ in range(runs)]
    done = in_parallel(
        [
            lambda k=k, n=n, f=f, st=st: random_kill(k, scenarios[n], twins[n], tmp_path, f, st, group=group)
            for k, (n, f, st) in enumerate(plan)
        ]
    )
    states = [state for state, _, _ in done]
    after_step: dict[str, int] = {}
    for state, reached, _ in done:
        if state != "finished":
            after_step[reached] = after_step.get(reached, 0) + 1
    locked = sum(1 for _, _, locks in done if locks)
    return (
        f"{runs} runs; left as before {states.count('before')}, completed {states.count('after')}, finished before "
        f"the kill {states.count('finished')}; git locks left by {locked} (removed by the next run); inconsistent 0, "
        f"stuck 0; killed after step: {after_step}"
    )


def test_commands_killed_at_random_moments_leave_all_old_or_all_new(
    scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    runs = int(os.environ.get("WTPF_KILL_RUNS", "100"))
    seed = int(os.environ.get("WTPF_KILL_SEED", "6"))
    print(f"\nrandom kills: {kill_campaign(COMMANDS, runs, seed, scenarios, tmp_path, group=False)}")


def test_process_groups_killed_at_random_moments_leave_all_old_or_all_new_and_no_git_lock(
    scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    runs = int(os.environ.get("WTPF_GROUP_KILL_RUNS", "30"))
    seed = int(os.environ.get("WTPF_KILL_SEED", "6"))
    names = ("merge", "stamp", "contribution add", "resolve")
    print(f"\nprocess-group kills: {kill_campaign(names, runs, seed, scenarios, tmp_path, group=True)}")


# ---------------------------------------------------------------------------------------------------------------
# A full disk.

BEFORE_COMMIT_POINT = ("objects", "journal", "temp", "renamed", "index")


def assert_nothing_changed(s: Scenario, t: Twin, base: Path, how: str) -> None:
    now = snapshot(s, base)
    assert (now.draft, now.head_tree, now.index_tree, now.tags, now.records, now.changed) == (
        t.before.draft,
        t.before.head_tree,
        t.before.index_tree,
        t.before.tags,
        t.before.records,
        t.before.changed,
    ), f"{how}: something changed"
    assert now.output in (None, t.before.output), f"{how}: an output was written"
    assert leftovers(base) == [], f"{how}: left behind: {leftovers(base)}"


def assert_full_disk_message(err: str, how: str) -> None:
    lines = err.strip().splitlines()
    named = len(lines) == 1 and re.match(r"wtpf: [^ ]*[/.][^ ]*: ", lines[0])
    assert named, f"{how}: not one line naming a file: {err!r}"
    assert "No space left on device" in lines[0], f"{how}: {err!r}"


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_at_any_write_step_gives_exit_5_naming_the_file_and_changes_nothing(
    name: str, scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    s = scenarios[name]
    t = twin(s, tmp_path)
    firsts = [step for step in t.steps if step.split("#")[0] in BEFORE_COMMIT_POINT and step.endswith("#1")]
    if s.output:  # an output's rename is its commit point: a later failure cannot unwrite it
        firsts.remove("renamed#1")
    assert firsts

    def one(step: str) -> str:
        base = copy_of(s, tmp_path / f"enospc-{step.replace('#', '-')}")
        r = run(s.args, base / s.run_in, {"WTPF_TEST_ENOSPC_AT": step})
        how = f"{name}, disk full at {step}"
        assert r.returncode == 5, f"{how}: exit {r.returncode}: {r.stderr}"
        assert_full_disk_message(r.stderr, how)
        assert_nothing_changed(s, t, base, how)
        return step

    assert in_parallel([lambda step=step: one(step) for step in firsts]) == firsts


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 1 MB tmpfs mounted for the test (needs root, as in CI); skipped where mounting is not permitted."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({proc.stderr.strip() or 'mount failed'}); the hook test covers")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(disk: Path) -> Path:
    """Fill the disk to the last block; returns the filler file."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


@pytest.mark.parametrize("name", ["stamp", "merge", "build"])
def test_a_really_full_disk_fails_cleanly_at_every_fill_level_until_there_is_room(
    name: str, scenarios: dict[str, Scenario], tmp_path: Path, small_disk: Path
) -> None:
    s = scenarios[name]
    t = twin(s, tmp_path)
    base = copy_of(s, small_disk / "ws")
    filler = fill(small_disk)
    failures, free = 0, 0
    while True:
        r = run(s.args, base / s.run_in)
        how = f"{name} with {free} bytes freed"
        if r.returncode == 0:
            break
        assert r.returncode == 5, f"{how}: exit {r.returncode}: {r.stderr}"
        assert_full_disk_message(r.stderr, how)
        assert_nothing_changed(s, t, base, how)
        failures += 1
        free += 4096 if free < 32768 else 16384
        assert free < 600_000, f"{name} never succeeded"
        os.truncate(filler, max(filler.stat().st_size - (4096 if free <= 32768 else 16384), 0))
    done = snapshot(s, base)
    assert (done.draft, done.tags, done.records) == (t.after.draft, t.after.tags, t.after.records)
    assert leftovers(base) == []
    assert failures >= 1
    print(f"\n{name}: refused cleanly on a full disk {failures} times, then succeeded with {free} bytes freed")


# ---------------------------------------------------------------------------------------------------------------
# Ctrl-C.


def interrupted_at(s: Scenario, t: Twin, step: str, tmp: Path) -> str:
    base = copy_of(s, tmp / f"sigint-{s.name.replace(' ', '-')}-{step.replace('#', '-')}")
    ready = tmp / f"ready-{s.name.replace(' ', '-')}-{step.replace('#', '-')}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "wtpf_cli", *s.args],
        cwd=base / s.run_in,
        env=clean_env(base / s.run_in) | {"WTPF_TEST_PAUSE_AT": step, "WTPF_TEST_READY_FILE": str(ready)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # not ignored, even if ours is
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert proc.poll() is None and time.monotonic() < deadline, f"{s.name} never reached {step}"
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)  # as the terminal does on Ctrl-C: the whole foreground group
    _, err = proc.communicate(timeout=60)
    how = f"{s.name}, Ctrl-C at {step}"
    assert proc.returncode == 130, f"{how}: exit {proc.returncode}: {err}"
    now = snapshot(s, base)
    if step.split("#")[0] in ("refs", "done"):  # after the commit point: the change is made, and said so
        head = quiet_git("rev-parse", "HEAD", cwd=base / "report")
        assert err.strip() == f"wtpf: interrupted after the change was committed ({head})", f"{how}: {err!r}"
    else:
        assert err.strip() == "wtpf: interrupted", f"{how}: {err!r}"
    assert leftovers(base) == [], f"{how}: left behind: {leftovers(base)}"
    for state, expected in (("before", t.before), ("after", t.after)):
        if (now.draft, now.head_tree, now.index_tree, now.tags, now.records) == (
            expected.draft,
            expected.head_tree,
            expected.index_tree,
            expected.tags,
            expected.records,
        ):
            return state
    raise AssertionError(f"{how}: the workspace is neither wholly as before nor wholly completed")


@pytest.mark.parametrize("name", ["stamp", "merge", "resolve", "contribution add", "build"])
def test_ctrl_c_at_a_write_step_exits_130_leaving_all_old_or_all_new(
    name: str, scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    s = scenarios[name]
    t = twin(s, tmp_path)
    steps = [step for step in t.steps if step.endswith("#1") or step.startswith("objects")]
    states = in_parallel([lambda step=step: interrupted_at(s, t, step, tmp_path) for step in steps])
    before_point = [st for st, step in zip(states, steps, strict=True) if step.split("#")[0] in BEFORE_COMMIT_POINT]
    if not s.output:  # until the refs move, Ctrl-C undoes the change
        assert set(before_point) == {"before"}, dict(zip(steps, states, strict=True))
    print(f"\n{name}: Ctrl-C at {len(steps)} steps: {dict(zip(steps, states, strict=True))}")


def test_ctrl_c_at_any_moment_after_the_commit_point_says_the_change_was_committed_and_exits_130(
    scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    s = scenarios["stamp"]
    t = twin(s, tmp_path)
    rng = random.Random(15)

    def one(k: int) -> str:
        base = copy_of(s, tmp_path / f"late-{k}")
        trace = tmp_path / f"late-{k}.trace"
        proc = subprocess.Popen(
            [sys.executable, "-m", "wtpf_cli", *s.args],
            cwd=base / s.run_in,
            env=clean_env(base / s.run_in) | {"WTPF_TEST_TRACE": str(trace)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 60
        while "refs#" not in (trace.read_text() if trace.exists() else "") and proc.poll() is None:
            assert time.monotonic() < deadline, "the stamp never reached its commit point"
            time.sleep(0.0005)
        time.sleep(rng.random() * 0.05)  # anywhere in what is left: the journal removed, the report, the exit
        sent = proc.poll() is None
        if sent:
            os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        head = quiet_git("rev-parse", "HEAD", cwd=base / "report")
        assert snapshot(s, base).head_tree == t.after.head_tree
        if proc.returncode == 0:
            return "finished first"
        assert proc.returncode == 130, f"run {k}: exit {proc.returncode} (signal sent: {sent}): {err!r}"
        assert err.strip().splitlines()[-1] == f"wtpf: interrupted after the change was committed ({head})", err
        return "interrupted"

    outcomes: list[str] = []
    while outcomes.count("interrupted") < 10 and len(outcomes) < 90:  # a loaded machine finishes more runs first
        outcomes += in_parallel([lambda k=k: one(k) for k in range(len(outcomes), len(outcomes) + 30)])
    said = outcomes.count("interrupted")
    print(f"\nCtrl-C after the commit point: {said} of {len(outcomes)} said so, the rest had finished")
    assert said >= 10


# ---------------------------------------------------------------------------------------------------------------
# What the next run does with a journal in the states a kill alone cannot produce.


def killed_stamp(s: Scenario, tmp: Path, step: str) -> tuple[Path, dict[str, object]]:
    base = copy_of(s, tmp / "ws")
    proc = run(s.args, base / s.run_in, {"WTPF_TEST_KILL_AT": step})
    assert proc.returncode == -signal.SIGKILL
    journal = json.loads((base / "report" / ".git" / "wtpf-journal.json").read_text(encoding="utf-8"))
    return base, journal


def test_a_stamp_whose_commit_landed_without_its_tag_is_finished_by_the_next_run(
    scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    s = scenarios["stamp"]
    t = twin(s, tmp_path)
    base, journal = killed_stamp(s, tmp_path, "index")
    ws = base / "report"
    git("update-ref", str(journal["ref"]), str(journal["new"]), str(journal["old"]), cwd=ws)  # half a transaction
    r = run(("versions", "--json"), ws)
    assert r.returncode == 0 and "an interrupted `wtpf stamp` had made its change; finished it" in r.stderr
    assert [v["name"] for v in json.loads(r.stdout)] == ["First Draft", "Preliminary Second Draft"]
    now = snapshot(s, base)
    assert (now.draft, now.head_tree, now.index_tree, now.tags) == (
        t.after.draft,
        t.after.head_tree,
        t.after.index_tree,
        t.after.tags,
    )
    assert leftovers(base) == []


def test_hand_edits_made_after_a_kill_are_never_overwritten_by_the_roll_back(
    scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    s = scenarios["stamp"]
    t = twin(s, tmp_path)
    base, _journal = killed_stamp(s, tmp_path, "index")
    draft = base / "report" / "report.md"
    draft.write_bytes(draft.read_bytes() + b"\n1.3. Typed after the crash.\n")
    kept = draft.read_bytes()
    r = run(("status",), base / "report")
    assert r.returncode == 0 and "rolled back" in r.stderr and "report.md changed since: left as it is" in r.stderr
    assert draft.read_bytes() == kept
    now = snapshot(s, base)
    assert (now.head_tree, now.index_tree, now.tags) == (t.before.head_tree, t.before.index_tree, t.before.tags)
    assert leftovers(base) == []


def test_a_journal_is_dropped_untouched_when_the_branch_moved_elsewhere_since(
    scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    s = scenarios["stamp"]
    base, _journal = killed_stamp(s, tmp_path, "index")
    ws = base / "report"
    git("commit", "-qm", "Someone committed the half-done stamp by hand", cwd=ws)
    head = git("rev-parse", "HEAD", cwd=ws)
    r = run(("status",), ws)
    assert r.returncode == 0 and "the branch moved since an interrupted `wtpf stamp`" in r.stderr
    assert git("rev-parse", "HEAD", cwd=ws) == head and git("status", "--porcelain", "-uno", cwd=ws) == ""
    assert leftovers(base) == []


# ---------------------------------------------------------------------------------------------------------------
# git's own locks left by a killed process group.


@pytest.mark.parametrize("lock", ["index.lock", "refs/heads/main.lock", "refs/tags/wtpf-ieg-1/second-draft.lock"])
def test_a_git_lock_the_killed_change_left_is_removed_and_the_change_undone_by_the_next_run(
    scenarios: dict[str, Scenario], tmp_path: Path, lock: str
) -> None:
    s = scenarios["stamp"]
    t = twin(s, tmp_path)
    base, journal = killed_stamp(s, tmp_path, "index")
    ws = base / "report"
    path = ws / ".git" / lock.replace("second-draft", str(journal["tags"][0][0]).rsplit("/", 1)[1])  # type: ignore[index]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")  # as git leaves it when killed with the command (made after the journal)
    r = run(("status",), ws)
    assert r.returncode == 0, r.stderr
    assert f"removed {path}, left by the interrupted `wtpf stamp`" in r.stderr
    assert "an interrupted `wtpf stamp` was rolled back" in r.stderr
    now = snapshot(s, base)
    assert (now.draft, now.head_tree, now.index_tree, now.tags) == (
        t.before.draft,
        t.before.head_tree,
        t.before.index_tree,
        t.before.tags,
    )
    assert leftovers(base) == []


def test_a_git_lock_older_than_the_journal_is_left_and_reporting_commands_refuse_naming_it(
    scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    s = scenarios["stamp"]
    base, _journal = killed_stamp(s, tmp_path, "index")
    ws = base / "report"
    lock = ws / ".git" / "index.lock"
    lock.write_bytes(b"")
    os.utime(lock, (time.time() - 3600, time.time() - 3600))  # there before the change began: not its own
    for command in (("status",), ("check",), ("versions",), ("blame",)):
        r = run(command, ws)
        assert r.returncode == 4, f"{command}: exit {r.returncode}: {r.stderr}"
        line = r.stderr.strip().splitlines()[-1]
        assert line.startswith("wtpf: an interrupted `wtpf stamp` left its change half made"), line
        assert f"{lock} exists: another git command is running, or one crashed (then remove the file)" in line, line
    assert lock.exists()
    lock.unlink()
    assert run(("status",), ws).returncode == 0
    assert leftovers(base) == []


def test_a_git_lock_without_a_journal_is_named_by_the_command_it_stops(
    scenarios: dict[str, Scenario], tmp_path: Path
) -> None:
    base = copy_of(scenarios["merge"], tmp_path / "ws")
    lock = base / "report" / ".git" / "index.lock"
    lock.write_bytes(b"")
    r = run(("merge",), base / "report")
    assert r.returncode == 4
    assert (
        r.stderr.strip()
        == f"wtpf: {lock} exists: another git command is running, or one crashed (then remove the file)"
    )


def test_a_ctrl_c_the_moment_a_held_section_begins_is_noted_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    from wtpf_cli.store.faults import HeldInterrupt

    real = signal.signal
    outer = real(signal.SIGINT, signal.default_int_handler)  # (a test worker may ignore Ctrl-C)
    interrupted: list[object] = []

    def set_then_interrupt(signum: int, handler: object) -> object:
        previous = real(signum, handler)  # type: ignore[arg-type]
        if handler is not signal.default_int_handler:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C lands just after the section's handler is set
        return previous

    monkeypatch.setattr(signal, "signal", set_then_interrupt)
    with HeldInterrupt() as held:
        time.sleep(0.01)  # (the handler runs between bytecodes; give it a moment)
        interrupted.append(held.pending)
    monkeypatch.setattr(signal, "signal", real)
    restored = signal.getsignal(signal.SIGINT)
    real(signal.SIGINT, outer)
    assert interrupted == [True]
    assert restored is signal.default_int_handler
