#!/usr/bin/env python3
"""Fuzz the Markdown reader: random drafts built from the pieces Markdown's rules start at (brackets, notes,
emphasis, code, quotes, lists, tables, HTML, escapes), often with one piece repeated thousands of times, read by
``read_draft`` as every command reads a draft. A failure is any exception other than ``WtpfError``, or a draft four
times longer that takes more than ten times longer to read (a quadratic one takes sixteen): the reader must stay
linear. With ``--compare``, a chunked read that differs from the one-parse read (parse.py's `chunked=False`) is one
too (not in CI: drafts this odd still find differences, e.g. ``--case 1:125 --compare``).

Plain ``random.Random`` (reproducible from ``--seed``):

    python tests/fuzz_markdown.py --seconds 60 --seed 7
    python tests/fuzz_markdown.py --case 7:123456      # one case, as a failure names it
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from wtpf_cli.errors import WtpfError  # noqa: E402
from wtpf_cli.markdown.parse import read_draft  # noqa: E402

FRONT = "---\ntitle: Fuzz\nversion: First Draft\nsymbol: X/1/1\ndate: '2012-04-13'\n---\n"
PIECES = (
    "[", "]", "[^", "[^1]", "[^1]: a note\n", "[x]: /url\n", "](", "(", ")", "![", "[a](b)", "[a][x]", "[[Brazil: ",
    "]]", "*", "_", "**", "~~", "`", "``", "```\n", "~~~\n", "> ", ">", "- ", "* ", "1. ", "2) ", "# ", "#### ",
    "\n", "\n\n", " ", "  ", "    ", "\t", "\r\n", "a", "word", "x1", "1.1.", "\\", "\\[", "<", "<div>", "</div>",
    "<span>", "&", "&amp;", "&#x", ";", "|", "| a | b |\n|---|---|\n", ":", "http://a.b", "<http://a.b>", "---\n",
    "===\n", "é", "中文", "\u202e", "\u00a0", "{++", "++}", "{--", "--}", "{>>", "<<}", "^[", "\x00",
)  # fmt: skip
SLOW_RATIO = 10.0  # time(4n) / time(n) above this: not linear (quadratic gives 16)
TIMED_FROM = 0.02  # seconds for the shorter draft: shorter reads are too noisy to compare


@dataclass
class Report:
    """What a fuzz run did and found."""

    executions: int = 0
    linear_checks: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # signature -> description with the case to replay

    def summary(self) -> str:
        return (
            f"markdown fuzz: {self.executions} drafts read, {self.linear_checks} checked for linear time, "
            f"{len(self.failures)} failures"
        )


def draft(rng: random.Random) -> tuple[str, str]:
    """A random body, and one piece of it that repeats (for the linear-time check; '' if none)."""
    parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 120))]
    repeated = ""
    if rng.random() < 0.4:
        repeated = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
        parts.insert(rng.randrange(len(parts) + 1), "\x01")  # where the repeated run goes
    return "".join(parts), repeated


def read(body: str, *, compare: bool = False) -> None:
    """Read a draft as the commands do (chunked), or fail with one of our errors; with `compare`, also in one parse,
    which must give the same blocks."""
    text = FRONT + body
    try:
        chunked = read_draft(text, path="fuzz.md")
    except WtpfError:
        return
    if compare and chunked.blocks != read_draft(text, path="fuzz.md", chunked=False).blocks:
        raise AssertionError("the chunked read differs from the one-parse read")


def seconds_to_read(body: str, tries: int = 2) -> float:
    """The best of `tries` reads' times (the machine may be busy)."""
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        with contextlib.suppress(WtpfError):
            read_draft(FRONT + body, path="fuzz.md")
        best = min(best, time.perf_counter() - start)
    return best


def run_case(seed: int, case: int, report: Report, *, compare: bool = False) -> None:
    """One case (a fixed function of the run's seed and the case number)."""
    rng = random.Random(seed * 1_000_003 + case)
    body, repeated = draft(rng)
    times = rng.choice((50, 400, 2000))
    full = body.replace("\x01", repeated * times)
    try:
        read(full, compare=compare)
        report.executions += 1
        if repeated and times >= 400:
            small = seconds_to_read(body.replace("\x01", repeated * (times // 4)))
            if small >= TIMED_FROM:
                report.linear_checks += 1
                big = seconds_to_read(full)
                if big > SLOW_RATIO * small:  # measured again before the verdict: another process may have run
                    small = min(small, seconds_to_read(body.replace("\x01", repeated * (times // 4)), 5))
                    big = min(big, seconds_to_read(full, 5))
                if big > SLOW_RATIO * small:
                    raise AssertionError(
                        f"not linear: {repeated!r} x{times // 4} read in {small:.3f} s, x{times} in {big:.3f} s"
                    )
    except Exception as exc:  # any exception but ours is a bug
        signature = f"{type(exc).__name__}: {str(exc)[:120]}"
        if signature not in report.failures:
            report.failures[signature] = (
                f"{signature}\n  replay: python tests/fuzz_markdown.py --case {seed}:{case}\n"
                f"  draft: {full[:300]!r}{'...' if len(full) > 300 else ''}\n{traceback.format_exc()}"
            )


def fuzz(seconds: float, seed: int, *, compare: bool = False) -> Report:
    """Read random drafts for `seconds`."""
    report = Report()
    deadline = time.monotonic() + seconds
    case = 0
    while time.monotonic() < deadline:
        run_case(seed, case, report, compare=compare)
        case += 1
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--seed", type=int, default=random.SystemRandom().randrange(1 << 32))
    parser.add_argument("--case", help="SEED:CASE, one case to replay")
    parser.add_argument("--compare", action="store_true", help="also compare the chunked read with one parse")
    args = parser.parse_args()
    report = Report()
    if args.case:
        seed, case = map(int, args.case.split(":"))
        run_case(seed, case, report, compare=args.compare)
    else:
        report = fuzz(args.seconds, args.seed, compare=args.compare)
    print(report.summary() + f" (seed {args.seed})")
    for text in report.failures.values():
        print(text)
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
