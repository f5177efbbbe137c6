"""Time whole `wtpf` commands against pandoc, in the same run, on synthetic reports (see synth.py).

Each command runs --repeat times, interleaved with its pandoc baseline; the table gives the median wall time,
the peak resident set size (the largest over the repeats) and the ratio of the medians (wtpf / pandoc).

    python bench/run.py                      # the full run BENCHMARKS.md reports (100,000 words, 20 x 50 edits)
    python bench/run.py --smoke --json out.json  # tiny sizes, one repeat: a few seconds
    python bench/run.py --scenarios a,d --words 50000 --repeat 3

Scenarios: a = redline of First Draft -> Preliminary Second Draft; b = clean build of the draft; c = `wtpf merge`
of --contributions contributions of --changes edits each (half revised Markdown, half .docx with tracked changes),
registered on the Preliminary Second Draft, the workspace reset before each run; d = start-up (`wtpf --help`,
`wtpf versions`); e = scenario a at a quarter, half, one and two times --words, with a least-squares line through
the four points; f = redline and blame across 20, 200, 1,000 and 5,000 commits of 2 edits each, and blame on
scenario a's workspace (bench/history.py). With scenario a, Python-Redlines (if installed) is timed comparing the two
clean builds, as a reference. The table ends with every target and whether this run meets it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import history
import synth

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DOCX = ROOT / "wtpf_cli" / "templates" / "reference.docx"
FROM_VERSION = "First Draft"
TO_VERSION = "Preliminary Second Draft"
ALL_SCENARIOS = ("a", "b", "c", "d", "e", "f")

TARGETS = {
    "a": "<= 1.0 x pandoc",
    "b": "<= 0.7 x pandoc",
    "c": "<= 3.0 x pandoc",
    "d": "< 0.3 s",
    "e": "within 10% of linear",
    "f": "<= 1.0 x pandoc",
    "f slope": f"one more commit (of {history.EDITS} edits) <= {history.SLOPE_TARGET_MS:g} ms",
    "memory": "<= 300 MB at 100,000 words",
}
RATIO_TARGETS = {"a": 1.0, "b": 0.7, "c": 3.0, "f": 1.0}
LINEAR_TOLERANCE = 0.10
MEMORY_TARGET_MB = 300.0
MEMORY_TARGET_WORDS = 100_000

# Runs one command in a fresh interpreter and writes its wall time, peak RSS (KiB) and CPU time: the fallback where
# /usr/bin/time is missing. RUSAGE_CHILDREN of a process whose only child is the command is that command's.
_RUSAGE_WRAPPER = """
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
wall = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as fh:
    fh.write(f"{wall} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}\\n")
sys.exit(rc)
"""

# Python-Redlines as a user would call it: original, modified, output.
_REDLINES_DRIVER = """
import sys
from pathlib import Path
from python_redlines import DocxodusEngine
engine = DocxodusEngine()
if len(sys.argv) > 1:
    data, _, _ = engine.run_redline("Python-Redlines", original=Path(sys.argv[1]), modified=Path(sys.argv[2]))
    Path(sys.argv[3]).write_bytes(data)
"""


@dataclass
class Measure:
    """Repeated runs of one command."""

    command: str
    times_s: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)  # user + system time, its child processes included

    @property
    def median_s(self) -> float:
        return statistics.median(self.times_s)

    @property
    def peak_rss_mb(self) -> float:
        return max(self.rss_kib) / 1024 if self.rss_kib else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "median_s": round(self.median_s, 4),
            "times_s": [round(t, 4) for t in self.times_s],
            "cpu_s": [round(t, 4) for t in self.cpu_s],
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


@dataclass
class Row:
    """One line of the results table: a wtpf command and its baseline."""

    scenario: str
    what: str
    words: int
    ours: Measure
    baseline_name: str
    baseline: Measure
    cwd: str = ""
    targeted: bool = True  # whether a target applies to this row's ratio (scenario f: some rows only show the trend)

    @property
    def ratio(self) -> float:
        return self.ours.median_s / self.baseline.median_s

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "what": self.what,
            "words": self.words,
            "ours": self.ours.summary(),
            "baseline": {"name": self.baseline_name, **self.baseline.summary()},
            "ratio": round(self.ratio, 3),
        }


class Runner:
    """Runs commands with a clean environment and measures wall time and peak RSS."""

    def __init__(self, home: Path, scratch: Path) -> None:
        self.env = synth.clean_env(home)
        # Python-Redlines unpacks its engine into the user cache once; keep that cache across runs.
        self.env["XDG_CACHE_HOME"] = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        self.scratch = scratch
        self.gnu_time = _gnu_time()
        self.budget_s = float("inf")

    def once(self, cmd: Sequence[str], cwd: Path) -> tuple[float, int, float]:
        fd, out_name = tempfile.mkstemp(prefix="rss-", dir=self.scratch)
        os.close(fd)
        out = Path(out_name)
        try:
            if self.gnu_time:
                full = [self.gnu_time, "-o", str(out), "-f", "%M %U %S", *cmd]
                t0 = time.perf_counter()
                proc = subprocess.run(full, cwd=cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                wall = time.perf_counter() - t0
                _check(proc, cmd)
                rss_text, user, system = out.read_text().split()[-3:]
                rss, cpu = int(rss_text), float(user) + float(system)
            else:
                full = [sys.executable, "-c", _RUSAGE_WRAPPER, str(out), *cmd]
                proc = subprocess.run(full, cwd=cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                _check(proc, cmd)
                wall_text, rss_text, cpu_text = out.read_text().split()
                wall, rss, cpu = float(wall_text), int(rss_text), float(cpu_text)
        finally:
            out.unlink(missing_ok=True)
        return wall, rss, cpu

    def pair(
        self,
        ours: Sequence[str],
        base: Sequence[str],
        cwd: Path,
        repeat: int,
        before: Callable[[], None] | None = None,
    ) -> tuple[Measure, Measure]:
        """Both commands `repeat` times, interleaved, so that a change of machine load hits both alike; `before`
        (untimed) runs before each of ours. Fewer runs when ours have already taken `self.budget_s` in all (a
        command far over its target: its median is then of fewer runs, as the table shows)."""
        m_ours, m_base = Measure(_show(ours)), Measure(_show(base))
        for _ in range(repeat):
            if m_ours.times_s and sum(m_ours.times_s) > self.budget_s:
                break
            for cmd, m in ((ours, m_ours), (base, m_base)):
                if before is not None and cmd is ours:
                    before()
                wall, rss, cpu = self.once(cmd, cwd)
                m.times_s.append(wall)
                m.rss_kib.append(rss)
                m.cpu_s.append(cpu)
        return m_ours, m_base

    def quiet(self, cmd: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        """An untimed helper command (builds of inputs, version queries)."""
        proc = subprocess.run(list(cmd), cwd=cwd, env=self.env, capture_output=True, text=True)
        _check(proc, cmd)
        return proc


def _check(proc: subprocess.CompletedProcess[Any], cmd: Sequence[str]) -> None:
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace") if isinstance(proc.stderr, bytes) else (proc.stderr or "")
        raise RuntimeError(f"{_show(cmd)} exited {proc.returncode}: {err.strip()[-2000:]}")


def _gnu_time() -> str | None:
    path = "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile() as fh:
        proc = subprocess.run([path, "-o", fh.name, "-f", "%M", "true"], capture_output=True)
        return path if proc.returncode == 0 and Path(fh.name).read_text().strip().isdigit() else None


def _show(cmd: Sequence[str]) -> str:
    """A command as one would type it: the console script and pandoc by their short names."""
    shown = []
    for i, part in enumerate(cmd):
        if i == 0:
            part = Path(part).name
        elif part == sys.executable:
            part = "python"
        shown.append(f'"{part}"' if " " in part else part)
    return " ".join(shown)


def pandoc_path() -> str:
    import importlib

    pypandoc: Any = importlib.import_module("pypandoc")
    path: str = pypandoc.get_pandoc_path()
    return path


def pandoc_cmd(pandoc: str, out: Path) -> list[str]:
    """pandoc converting the newest report.md (CommonMark + GFM tables and footnotes + YAML) to .docx."""
    cmd = [pandoc, "--from=gfm+yaml_metadata_block", "--to=docx", "report.md", "-o", str(out)]
    if REFERENCE_DOCX.is_file():
        cmd[3:3] = [f"--reference-doc={REFERENCE_DOCX}"]
    return cmd


def machine_info(pandoc: str) -> dict[str, Any]:
    cpu = ""
    mem_kib = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    pandoc_version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "wtpf_cli"], capture_output=True, text=True
    )
    return {
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "pandoc": pandoc_version,
        "repo_head": commit.stdout.strip(),
        "repo_wtpf_cli_uncommitted_files": len(dirty.stdout.splitlines()),
        "load_avg_start": [round(x, 2) for x in os.getloadavg()],
        "rss_method": "/usr/bin/time -f %M" if _gnu_time() else "getrusage(RUSAGE_CHILDREN) in a fresh child",
    }


def _proc_ticks() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, user + system clock ticks so far), from /proc."""
    out: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        out[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return out


class LoadSampler:
    """Watches the machine while the benchmark runs: the 1-minute load average and the CPU time of processes that
    are not the benchmark's own (other people's tests on a shared machine), sampled every few seconds."""

    def __init__(self, every_s: float = 2.0) -> None:
        self.samples: list[float] = []
        self.other_cpu_s = 0.0
        self.wall_s = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(every_s,), daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _others(self, procs: dict[int, tuple[int, int]]) -> dict[int, int]:
        me = os.getpid()
        mine: dict[int, bool] = {}

        def ours(pid: int) -> bool:
            seen = []
            while pid not in mine:
                if pid == me:
                    mine[pid] = True
                    break
                if pid <= 1 or pid not in procs:
                    mine[pid] = False
                    break
                seen.append(pid)
                pid = procs[pid][0]
            for p in seen:
                mine[p] = mine[pid]
            return mine[pid]

        return {pid: ticks for pid, (_, ticks) in procs.items() if not ours(pid)}

    def _loop(self, every_s: float) -> None:
        t0 = time.perf_counter()
        before = self._others(_proc_ticks())
        while True:
            self.samples.append(os.getloadavg()[0])
            stop = self._stop.wait(every_s)
            now = self._others(_proc_ticks())
            self.other_cpu_s += sum(t - before.get(pid, 0) for pid, t in now.items() if t >= before.get(pid, 0)) / (
                self._tick
            )
            before = now
            self.wall_s = time.perf_counter() - t0
            if stop:
                return

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Config:
    words: int
    commits: int
    edits: int
    repeat: int
    seed: int
    scenarios: tuple[str, ...]
    smoke: bool
    contributions: int = 50
    changes: int = 20
    budget_s: float = 300.0
    f_commits: tuple[int, ...] = history.COMMITS
    packed: bool = False


class Bench:
    """The scenarios, sharing their workspaces and scratch space."""

    def __init__(self, cfg: Config, workdir: Path | None, scratch: Path, wtpf: Path | None = None) -> None:
        self.cfg = cfg
        self.scratch = scratch
        self.cache = workdir or scratch / "workspaces"
        home = scratch / "home"
        home.mkdir(exist_ok=True)
        self.runner = Runner(home, scratch)
        self.runner.budget_s = cfg.budget_s
        self.wtpf = [str(wtpf)] if wtpf else synth.wtpf_command()
        self.pandoc = pandoc_path()
        self.out = scratch / "out"
        self.out.mkdir(exist_ok=True)
        self.rows: list[Row] = []
        self.references: list[dict[str, Any]] = []
        self.skipped: list[dict[str, str]] = []
        self.scaling: list[dict[str, Any]] = []
        self.fit: dict[str, float] = {}
        self.merge_outcome: dict[str, Any] = {}
        self.history_fit: dict[str, dict[str, float]] = {}

    def workspace(self, words: int) -> tuple[Path, int]:
        """The synthetic workspace for `words` and the word count of its First Draft."""
        c = self.cfg
        path = synth.cached_workspace(
            self.cache, words=words, commits=c.commits, edits=c.edits, seed=c.seed, wtpf=self.wtpf
        )
        return path, int((path / ".git" / "wtpf-bench-words").read_text())

    def redline_row(self, words: int, scenario: str) -> Row:
        ws, actual = self.workspace(words)
        ours = [*self.wtpf, "redline", FROM_VERSION, TO_VERSION, "-o", str(self.out / "redline.docx")]
        base = pandoc_cmd(self.pandoc, self.out / "pandoc.docx")
        m_ours, m_base = self.runner.pair(ours, base, ws, self.cfg.repeat)
        what = f"redline, {self.cfg.commits} commits x {self.cfg.edits} edits"
        return Row(scenario, what, actual, m_ours, "pandoc report.md -> docx", m_base, str(ws))

    def scenario_a(self) -> None:
        row = self.redline_row(self.cfg.words, "a")
        self.rows.append(row)
        self.python_redlines(Path(row.cwd), row)

    def scenario_b(self) -> None:
        ws, _ = self.workspace(self.cfg.words)
        words = synth.count_words((ws / "report.md").read_text(encoding="utf-8").split("\n---\n", 1)[1])
        ours = [*self.wtpf, "build", "-o", str(self.out / "build.docx")]
        base = pandoc_cmd(self.pandoc, self.out / "pandoc.docx")
        m_ours, m_base = self.runner.pair(ours, base, ws, self.cfg.repeat)
        self.rows.append(Row("b", "build (working draft)", words, m_ours, "pandoc report.md -> docx", m_base, str(ws)))

    def merge_workspace(self) -> tuple[Path, str]:
        c = self.cfg
        return synth.cached_merge_workspace(
            self.cache,
            words=c.words,
            commits=c.commits,
            edits=c.edits,
            count=c.contributions,
            changes=c.changes,
            seed=c.seed,
            wtpf=self.wtpf,
        )

    def scenario_c(self) -> None:
        ws, pre = self.merge_workspace()
        words = synth.count_words((ws / "report.md").read_text(encoding="utf-8").split("\n---\n", 1)[1])
        ours = [*self.wtpf, "merge"]
        base = pandoc_cmd(self.pandoc, self.out / "pandoc.docx")
        m_ours, m_base = self.runner.pair(
            ours, base, ws, self.cfg.repeat, before=lambda: synth.reset_workspace(ws, pre, self.runner.env)
        )
        listing = json.loads(self.runner.quiet([*self.wtpf, "contribution", "list", "--json"], ws).stdout)
        kinds: dict[str, int] = {}
        statuses: dict[str, int] = {}
        for item in listing:
            kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
            statuses[item["status"]] = statuses.get(item["status"], 0) + 1
        log = self.runner.quiet(["git", "log", "--format=%s", f"{pre}..HEAD"], ws).stdout.splitlines()
        self.merge_outcome = {"contributions": len(listing), "kinds": kinds, "statuses": statuses, "commits": len(log)}
        synth.reset_workspace(ws, pre, self.runner.env)
        what = f"merge, {self.cfg.contributions} contributions x {self.cfg.changes} changes"
        self.rows.append(Row("c", what, words, m_ours, "pandoc report.md -> docx", m_base, str(ws)))

    def scenario_d(self) -> None:
        ws, actual = self.workspace(self.cfg.words)
        base = [self.pandoc, "--version"]
        for what, args in (("start-up: wtpf --help", ["--help"]), ("start-up: wtpf versions", ["versions"])):
            m_ours, m_base = self.runner.pair([*self.wtpf, *args], base, ws, self.cfg.repeat)
            self.rows.append(Row("d", what, actual, m_ours, "pandoc --version", m_base, str(ws)))

    def scenario_e(self) -> None:
        w = self.cfg.words
        sizes = [w // 4, w // 2, w, w * 2]
        reuse = {r.words: r for r in self.rows if r.scenario == "a"}
        rows: list[Row] = []
        for size in sizes:
            _, actual = self.workspace(size)
            if actual in reuse:
                a = reuse[actual]
                row = Row("e", a.what, a.words, a.ours, a.baseline_name, a.baseline, a.cwd)
            else:
                row = self.redline_row(size, "e")
            rows.append(row)
        base = rows[0]
        per_word0 = base.ours.median_s / base.words
        fit_a, fit_b = history.linear_fit([(r.words, r.ours.median_s) for r in rows])
        prev: Row | None = None
        for row in rows:
            dev = (row.ours.median_s / row.words) / per_word0 - 1
            marginal = (
                (row.ours.median_s - prev.ours.median_s) / (row.words - prev.words) * 1e6
                if prev is not None and row.words != prev.words
                else None
            )
            self.scaling.append(
                {
                    "words": row.words,
                    "median_s": round(row.ours.median_s, 4),
                    "us_per_word": round(row.ours.median_s / row.words * 1e6, 2),
                    "deviation_from_linear": round(dev, 4),
                    "marginal_us_per_word": None if marginal is None else round(marginal, 2),
                    "fit_residual": round(row.ours.median_s / (fit_a + fit_b * row.words) - 1, 4),
                    "pandoc_median_s": round(row.baseline.median_s, 4),
                    "ratio": round(row.ratio, 3),
                }
            )
            prev = row
        self.fit = {"intercept_s": round(fit_a, 4), "us_per_word": round(fit_b * 1e6, 3)}
        self.rows.extend(rows)

    def history_workspace(self, commits: int) -> tuple[Path, int]:
        c = self.cfg
        return history.workspace(
            self.cache,
            words=c.words,
            commits=commits,
            seed=c.seed,
            wtpf=self.wtpf,
            packed=c.packed,
            env=self.runner.env,
        )

    def history_row(self, ws: Path, words: int, kind: str, what: str, targeted: bool, packed: bool = False) -> Row:
        """`wtpf redline` (FROM -> TO) or `wtpf blame TO --json` in `ws`, against pandoc."""
        if kind == "redline":
            ours = [*self.wtpf, "redline", FROM_VERSION, TO_VERSION, "-o", str(self.out / "redline.docx")]
        else:
            ours = [*self.wtpf, "blame", TO_VERSION, "--json"]
        m_ours, m_base = self.runner.pair(ours, pandoc_cmd(self.pandoc, self.out / "pandoc.docx"), ws, self.cfg.repeat)
        label = f"{kind}, {what}" + (", packed" if packed else "")
        row = Row("f", label, words, m_ours, "pandoc report.md -> docx", m_base, str(ws), targeted)
        self.rows.append(row)
        return row

    def scenario_f(self) -> None:
        c = self.cfg
        points: dict[str, list[tuple[int, float]]] = {"redline": [], "blame": []}
        cpu: dict[str, list[tuple[int, float]]] = {"redline": [], "blame": []}
        target = history.TARGET_COMMITS if not c.smoke else max(c.f_commits)
        for n in c.f_commits:
            ws, words = self.history_workspace(n)
            for kind in points:
                what = f"{n} commits x {history.EDITS} edits"
                row = self.history_row(ws, words, kind, what, n == target, c.packed)
                points[kind].append((n, row.ours.median_s))
                cpu[kind].append((n, statistics.median(row.ours.cpu_s)))
        ws, words = self.workspace(c.words)
        self.history_row(ws, words, "blame", f"{c.commits} commits x {c.edits} edits", True)
        for kind, pts in points.items():
            if len(pts) >= 2:
                a, b = history.linear_fit(pts)
                cpu_a, cpu_b = history.linear_fit(cpu[kind])
                self.history_fit[kind] = {
                    "intercept_s": round(a, 4),
                    "ms_per_commit": round(b * 1000, 4),
                    "cpu_intercept_s": round(cpu_a, 4),
                    "cpu_ms_per_commit": round(cpu_b * 1000, 4),
                }

    def python_redlines(self, ws: Path, row: Row) -> None:
        """Python-Redlines (Docxodus) comparing the clean builds of the two versions, where it is installed."""
        import importlib.util

        if importlib.util.find_spec("python_redlines") is None:
            self._skip("python-redlines", "not installed (pip install 'python-redlines[docxodus]')")
            return
        driver = [sys.executable, "-c", _REDLINES_DRIVER]
        try:
            self.runner.quiet(driver, ws)  # finds (and extracts once) the engine binary
        except (RuntimeError, OSError) as exc:
            self._skip("python-redlines", f"engine unavailable: {str(exc).splitlines()[-1][:300]}")
            return
        first, second = self.out / "first.docx", self.out / "second.docx"
        self.runner.quiet([*self.wtpf, "build", FROM_VERSION, "-o", str(first)], ws)
        self.runner.quiet([*self.wtpf, "build", TO_VERSION, "-o", str(second)], ws)
        cmd = [*driver, str(first), str(second), str(self.out / "python-redlines.docx")]
        try:
            m_ref, m_base = self.runner.pair(
                cmd, pandoc_cmd(self.pandoc, self.out / "pandoc.docx"), ws, self.cfg.repeat
            )
        except RuntimeError as exc:
            self._skip("python-redlines", f"comparison failed: {str(exc).splitlines()[0][:300]}")
            return
        m_ref.command = "python -c 'DocxodusEngine().run_redline(first.docx, second.docx)'"
        self.references.append(
            {
                "scenario": "a",
                "name": "Python-Redlines (Docxodus engine) on the two clean builds",
                "words": row.words,
                "measure": m_ref.summary(),
                "pandoc": m_base.summary(),
                "ratio_to_pandoc": round(m_ref.median_s / m_base.median_s, 3),
                "wtpf_redline_over_python_redlines": round(row.ours.median_s / m_ref.median_s, 3),
            }
        )

    def _skip(self, what: str, reason: str) -> None:
        self.skipped.append({"what": what, "reason": reason})
        print(f"skipped {what}: {reason}", flush=True)

    def prepare(self) -> None:
        """Build every workspace the chosen scenarios need before any timing starts (two at a time)."""
        from concurrent.futures import ThreadPoolExecutor

        w = self.cfg.words
        sizes: set[int] = set()
        if {"a", "b", "c", "d", "f"} & set(self.cfg.scenarios):
            sizes.add(w)
        if "e" in self.cfg.scenarios:
            sizes |= {w // 4, w // 2, w, w * 2}
        if sizes:
            print(f"building {len(sizes)} synthetic workspace(s) ...", flush=True)
            with ThreadPoolExecutor(max_workers=2) as pool:
                for _ in pool.map(self.workspace, sorted(sizes, reverse=True)):
                    pass
        if "f" in self.cfg.scenarios:
            print(f"building {len(self.cfg.f_commits)} workspace(s) of long histories for scenario f ...", flush=True)
            with ThreadPoolExecutor(max_workers=2) as pool:
                for _ in pool.map(self.history_workspace, sorted(self.cfg.f_commits, reverse=True)):
                    pass
        if "c" in self.cfg.scenarios:
            print(f"registering {self.cfg.contributions} contributions for scenario c ...", flush=True)
            self.merge_workspace()

    def run(self) -> None:
        self.prepare()
        for s in self.cfg.scenarios:
            print(f"running scenario {s} ...", flush=True)
            getattr(self, f"scenario_{s}")()


def verdict(row: Row, scaling: list[dict[str, Any]], smoke: bool) -> tuple[str, str]:
    """(target, met) for one row."""
    if row.scenario in RATIO_TARGETS:
        if not row.targeted:
            return "(the trend of f)", "n/a"
        return TARGETS[row.scenario], "yes" if row.ratio <= RATIO_TARGETS[row.scenario] else "no"
    if row.scenario == "d":
        return TARGETS["d"], "yes" if row.ours.median_s < 0.3 else "no"
    point = next((s for s in scaling if s["words"] == row.words), None)
    if point is None:
        return TARGETS["e"], "n/a"
    return TARGETS["e"], "yes" if abs(point["fit_residual"]) <= LINEAR_TOLERANCE else "no"


def memory_verdict(row: Row, smoke: bool) -> str:
    if (
        row.scenario not in ("a", "b", "c", "f")
        or smoke
        or abs(row.words - MEMORY_TARGET_WORDS) > MEMORY_TARGET_WORDS * 0.05
    ):
        return "n/a"
    return "yes" if row.ours.peak_rss_mb <= MEMORY_TARGET_MB else "no"


def summary(bench: Bench) -> list[dict[str, str]]:
    """One line per target: the figure this run measured and whether it meets the target."""
    out: list[dict[str, str]] = []
    rows = bench.rows
    for s in ("a", "b", "c"):
        row = next((r for r in rows if r.scenario == s), None)
        if row is not None:
            out.append(
                {
                    "target": f"{s}: {row.what}, {TARGETS[s]}",
                    "measured": f"{row.ours.median_s:.3f} s / {row.baseline.median_s:.3f} s = {row.ratio:.2f} x",
                    "met": verdict(row, bench.scaling, bench.cfg.smoke)[1],
                }
            )
    for row in (r for r in rows if r.scenario == "d"):
        out.append(
            {
                "target": f"d: {row.what.split(': ', 1)[-1]} {TARGETS['d']}",
                "measured": f"{row.ours.median_s:.3f} s",
                "met": verdict(row, bench.scaling, bench.cfg.smoke)[1],
            }
        )
    if bench.scaling:
        worst = max(abs(p["fit_residual"]) for p in bench.scaling)
        out.append(
            {
                "target": f"e: redline time linear in words ({TARGETS['e']}: every point within "
                f"{LINEAR_TOLERANCE:.0%} of the least-squares line t = a + b x words)",
                "measured": f"largest residual {worst:.1%}; t = {bench.fit['intercept_s']:.3f} s + "
                f"{bench.fit['us_per_word']:.2f} us x words",
                "met": "yes" if worst <= LINEAR_TOLERANCE else "no",
            }
        )
        dev = max(abs(p["deviation_from_linear"]) for p in bench.scaling)
        out.append(
            {
                "target": f"e: redline time proportional to words (time per word within {LINEAR_TOLERANCE:.0%} of the "
                "smallest size's; a fixed cost such as start-up or the fixed number of edits counts against it)",
                "measured": f"largest deviation {dev:.1%}",
                "met": "yes" if dev <= LINEAR_TOLERANCE else "no",
            }
        )
    for row in (r for r in rows if r.scenario == "f" and r.targeted):
        out.append(
            {
                "target": f"f: {row.what}, {TARGETS['f']}",
                "measured": f"{row.ours.median_s:.3f} s / {row.baseline.median_s:.3f} s = {row.ratio:.2f} x",
                "met": verdict(row, bench.scaling, bench.cfg.smoke)[1],
            }
        )
    for kind, fit in bench.history_fit.items():
        ms = fit["ms_per_commit"]
        out.append(
            {
                "target": f"f: {kind}, {TARGETS['f slope']} (slope over {', '.join(map(str, bench.cfg.f_commits))} "
                "commits)",
                "measured": f"t = {fit['intercept_s']:.3f} s + {ms:.3f} ms x commits (CPU time, all processes: "
                f"{fit['cpu_intercept_s']:.3f} s + {fit['cpu_ms_per_commit']:.3f} ms x commits)",
                "met": "yes" if ms <= history.SLOPE_TARGET_MS else "no",
            }
        )
    mem = [r for r in rows if memory_verdict(r, bench.cfg.smoke) != "n/a"]
    if mem:
        peak = max(mem, key=lambda r: r.ours.peak_rss_mb)
        out.append(
            {
                "target": f"memory: {TARGETS['memory']} (scenarios a, b, c, f)",
                "measured": f"largest peak RSS {peak.ours.peak_rss_mb:.0f} MB ({peak.scenario})",
                "met": "yes" if all(memory_verdict(r, bench.cfg.smoke) == "yes" for r in mem) else "no",
            }
        )
    return out


def _runs_note(row: Row, repeat: int) -> str:
    n = len(row.ours.times_s)
    return f" ({n} of {repeat} runs: over the time budget)" if n < repeat else ""


def table(bench: Bench) -> str:
    smoke = bench.cfg.smoke
    lines = [
        "| scenario | what | words | wtpf median s | wtpf peak MB | baseline | baseline median s | baseline peak MB "
        "| ratio | target | met | memory ≤ 300 MB |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|---|---|---|",
    ]
    for row in bench.rows:
        target, met = verdict(row, bench.scaling, smoke)
        lines.append(
            f"| {row.scenario} | {row.what}{_runs_note(row, bench.cfg.repeat)} | {row.words:,} "
            f"| {row.ours.median_s:.3f} | {row.ours.peak_rss_mb:.0f} "
            f"| {row.baseline_name} | {row.baseline.median_s:.3f} | {row.baseline.peak_rss_mb:.0f} "
            f"| {row.ratio:.2f} | {target} | {met} | {memory_verdict(row, smoke)} |"
        )
    out = "\n".join(lines)
    if bench.scaling:
        out += "\n\nScaling (e): redline time per word relative to the smallest size\n\n"
        out += (
            "| words | wtpf median s | µs/word | deviation from linear | marginal µs/word | pandoc median s | ratio |\n"
        )
        out += "|---:|---:|---:|---:|---:|---:|---:|\n"
        for s in bench.scaling:
            marginal = "" if s["marginal_us_per_word"] is None else f"{s['marginal_us_per_word']:.1f}"
            out += (
                f"| {s['words']:,} | {s['median_s']:.3f} | {s['us_per_word']:.1f} "
                f"| {s['deviation_from_linear'] * 100:+.1f}% | {marginal} | {s['pandoc_median_s']:.3f} "
                f"| {s['ratio']:.2f} |\n"
            )
        worst = max(abs(s["fit_residual"]) for s in bench.scaling)
        out += (
            f"\nLeast-squares fit: t = {bench.fit['intercept_s']:.3f} s + {bench.fit['us_per_word']:.2f} µs x words "
            f"(largest residual {worst * 100:.1f}%)\n"
        )
    history_rows = [r for r in bench.rows if r.scenario == "f"]
    if history_rows:
        out += "\n\nLong histories (f): wall and CPU time (user + system, git and the second process included)\n\n"
        out += "| what | wtpf median s | wtpf CPU s | pandoc median s | pandoc CPU s | ratio | CPU ratio |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|\n"
        for r in history_rows:
            ours_cpu, base_cpu = statistics.median(r.ours.cpu_s), statistics.median(r.baseline.cpu_s)
            out += (
                f"| {r.what} | {r.ours.median_s:.3f} | {ours_cpu:.3f} | {r.baseline.median_s:.3f} | {base_cpu:.3f} "
                f"| {r.ratio:.2f} | {ours_cpu / base_cpu:.2f} |\n"
            )
    if bench.merge_outcome:
        o = bench.merge_outcome
        out += (
            f"\nMerge (c): {o['contributions']} contributions ({', '.join(f'{v} {k}' for k, v in o['kinds'].items())}) "
            f"-> {o['commits']} commits; dispositions {', '.join(f'{v} {k}' for k, v in o['statuses'].items())}\n"
        )
    for ref in bench.references:
        m = ref["measure"]
        out += (
            f"\n{ref['name']} at {ref['words']:,} words: median {m['median_s']:.3f} s, peak {m['peak_rss_mb']:.0f} MB, "
            f"{ref['ratio_to_pandoc']:.2f} x pandoc; wtpf redline / Python-Redlines = "
            f"{ref['wtpf_redline_over_python_redlines']:.2f}\n"
        )
    lines = ["", "Targets" + (" (smoke sizes: the figures say nothing about the targets)" if smoke else ""), ""]
    lines += ["| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t['target']} | {t['measured']} | {t['met']} |" for t in summary(bench)]
    return out + "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> tuple[Config, argparse.Namespace]:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--words", type=int, help="report size (default 100000; smoke 2000)")
    p.add_argument("--commits", type=int, help="commits between the two versions (default 20; smoke 3)")
    p.add_argument("--edits", type=int, help="edits per commit (default 50; smoke 5)")
    p.add_argument("--contributions", type=int, help="contributions merged in scenario c (default 50; smoke 4)")
    p.add_argument("--changes", type=int, help="edits in each contribution (default 20; smoke 3)")
    p.add_argument("--repeat", type=int, help="runs of each command (default 5; smoke 1)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--budget",
        type=float,
        default=300.0,
        help="stop repeating a command once its runs have taken this many seconds in all (at least one run; "
        "default 300)",
    )
    p.add_argument("--scenarios", default=",".join(ALL_SCENARIOS), help="comma-separated, of a,b,c,d,e,f")
    p.add_argument(
        "--f-commits", help="scenario f's lengths of history, comma-separated (default 20,200,1000,5000; smoke 2,4,8)"
    )
    p.add_argument("--packed", action="store_true", help="scenario f: pack the workspaces' objects first (git gc)")
    p.add_argument("--json", type=Path, help="write machine-readable results here")
    p.add_argument("--smoke", action="store_true", help="tiny sizes and one repeat: checks that the scripts run")
    p.add_argument("--workdir", type=Path, help="keep (and reuse) the synthetic workspaces here")
    p.add_argument(
        "--wtpf",
        type=Path,
        help="the wtpf executable to time (default: the console script beside this Python, i.e. the work tree)",
    )
    args = p.parse_args(argv)
    preset = (2_000, 3, 5, 1, 4, 3) if args.smoke else (100_000, 20, 50, 5, 50, 20)
    scenarios = tuple(s.strip() for s in args.scenarios.split(",") if s.strip())
    unknown = [s for s in scenarios if s not in ALL_SCENARIOS]
    if unknown:
        p.error(f"unknown scenario(s) {', '.join(unknown)}: choose among {','.join(ALL_SCENARIOS)}")
    cfg = Config(
        words=args.words or preset[0],
        commits=args.commits if args.commits is not None else preset[1],
        edits=args.edits if args.edits is not None else preset[2],
        repeat=args.repeat or preset[3],
        seed=args.seed,
        scenarios=tuple(s for s in ALL_SCENARIOS if s in scenarios),
        smoke=args.smoke,
        contributions=args.contributions or preset[4],
        changes=args.changes or preset[5],
        budget_s=args.budget,
        f_commits=tuple(int(n) for n in args.f_commits.split(","))
        if args.f_commits
        else (history.SMOKE_COMMITS if args.smoke else history.COMMITS),
        packed=args.packed,
    )
    if cfg.words < 100 or cfg.repeat < 1 or cfg.commits < 1 or cfg.edits < 1:
        p.error("--words must be at least 100, --repeat, --commits and --edits at least 1")
    return cfg, args


def main(argv: Sequence[str] | None = None) -> int:
    cfg, args = parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="wtpf-bench-"))
    try:
        wtpf = args.wtpf.resolve() if args.wtpf else None
        bench = Bench(cfg, args.workdir.resolve() if args.workdir else None, scratch, wtpf)
        info = machine_info(bench.pandoc)
        info["wtpf_executable"] = " ".join(bench.wtpf)
        info["wtpf_version"] = bench.runner.quiet([*bench.wtpf, "--version"], scratch).stdout.strip()
        print(
            f"{info['date_utc']}: {info['nproc']} x {info['cpu']}, {info['ram_gib']} GiB, Python {info['python']}, "
            f"{info['pandoc']}, load {info['load_avg_start']}; {cfg.words:,} words, {cfg.commits} commits x "
            f"{cfg.edits} edits, repeat {cfg.repeat}",
            flush=True,
        )
        print(
            f"timing {info['wtpf_executable']} ({info['wtpf_version']}); this checkout is at {info['repo_head']} "
            f"with {info['repo_wtpf_cli_uncommitted_files']} uncommitted file(s) in wtpf_cli/",
            flush=True,
        )
        with LoadSampler() as load:
            bench.run()
        info["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
        info["load_1min_max_during_run"] = round(max(load.samples), 2)
        info["load_1min_mean_during_run"] = round(statistics.mean(load.samples), 2)
        info["other_processes_cpu_s"] = round(load.other_cpu_s, 1)
        info["run_wall_s"] = round(load.wall_s, 1)
        share = load.other_cpu_s / load.wall_s if load.wall_s else 0.0
        print(
            f"\nduring the run ({load.wall_s:.0f} s): load (1 min) mean {info['load_1min_mean_during_run']}, max "
            f"{info['load_1min_max_during_run']} on {info['nproc']} CPUs; other processes used {load.other_cpu_s:.0f} "
            f"CPU-s ({share:.2f} CPUs on average){' - a shared machine' if share > 0.1 else ''}\n"
        )
        print(table(bench))
        if args.json:
            by_scenario: dict[str, list[dict[str, Any]]] = {}
            for row in bench.rows:
                target, met = verdict(row, bench.scaling, cfg.smoke)
                entry = {
                    **row.to_json(),
                    "target": target,
                    "met": met,
                    "memory_target_met": memory_verdict(row, cfg.smoke),
                }
                by_scenario.setdefault(row.scenario, []).append(entry)
            data = {
                "machine": info,
                "config": asdict(cfg),
                "targets": TARGETS,
                "scenarios": by_scenario,
                "scaling": bench.scaling,
                "scaling_fit": bench.fit,
                "history_fit": bench.history_fit,
                "references": bench.references,
                "merge_outcome": bench.merge_outcome,
                "summary": summary(bench),
                "skipped": bench.skipped,
            }
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
