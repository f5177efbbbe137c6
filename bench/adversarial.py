"""Adversarial drafts against a plain one of the same size: every command stays linear in the draft's size.

For each kind of hostile draft (unmatched brackets, one long line, many footnotes, deep nesting) and a plain draft
of about the same number of characters (an ordinary report, as bench/synth.py makes for scenarios a-e: not one
paragraph repeated, which the chunk memo would parse once, nor text without markup, which the parser's shortcut
for plain text reads at no cost), a workspace is made through the real CLI (init, the draft committed, stamped,
a second commit changing a few words), then `check`, `build` (docx and html), `blame` and `redline` are timed on
each. The table gives the median wall time and the ratio to the plain draft's; the target is 2x at most.

    python bench/adversarial.py                      # 40,000 units (about 120 KB) and 4x that
    python bench/adversarial.py --units 10000 --repeat 1 --kinds brackets,notes
    python bench/adversarial.py --big                # also a 9.9 MB plain draft: blame and the HTML build
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import synth  # bench/synth.py: the vocabulary of the benchmark reports

HEAD = "# 1 Introduction\n\n1.1. The Forum will discuss the report.\n\n"


def plain(units: int) -> str:
    """An ordinary report of about three characters a unit: bench/synth.py's, as in scenarios a-e (headings,
    numbered paragraphs, lists, tables, emphasis, footnotes)."""
    target, words = 3 * units, max(1, units // 2)
    for _ in range(4):  # the words for the size: a few steps of proportion
        text = synth.render(synth.generate(words, random.Random(units)))
        words = max(1, round(words * target / len(text)))
    return text


def brackets(units: int) -> str:
    """One paragraph of unmatched `[` (the case of issue 15: `[x [x [x ...`)."""
    return "[x " * units + "\n"


def long_line(units: int) -> str:
    """One paragraph on one line, with emphasis and links on the way."""
    words: list[str] = []
    size = 0
    while size < 3 * units:
        words.append("*ab*" if len(words) % 7 == 0 else "ab")
        size += len(words[-1]) + 1
    return " ".join(words) + "\n"


def notes(units: int) -> str:
    """A footnote reference every word, each defined after the text."""
    refs: list[str] = []
    definitions: list[str] = []
    size = 0
    while size < 3 * units:
        refs.append(f"ab[^n{len(refs)}]")
        definitions.append(f"[^n{len(definitions)}]: a")
        size += len(refs[-1]) + len(definitions[-1]) + 2
    return " ".join(refs) + "\n\n" + "\n".join(definitions) + "\n"


def nesting(units: int) -> str:
    """Lists nine deep and block quotes twenty deep, over and over, each time with other words (the chunk memo
    would parse a repeated block once)."""
    blocks: list[str] = []
    size = 0
    while size < 3 * units:
        n = len(blocks)
        block = "\n".join("  " * d + f"- ab{n} {d}" for d in range(9)) + "\n\n"
        block += "\n".join(">" * d + f" ab{n} {d}" for d in range(1, 20)) + "\n\n"
        blocks.append(block)
        size += len(block)
    return "".join(blocks)


KINDS: dict[str, Callable[[int], str]] = {
    "plain": plain,
    "brackets": brackets,
    "long-line": long_line,
    "notes": notes,
    "nesting": nesting,
}
COMMANDS: dict[str, tuple[str, ...]] = {
    "check": ("check",),
    "build": ("build", "-o", "out.docx"),
    "build-html": ("build", "--format", "html", "-o", "out.html"),
    "blame": ("blame", "--json"),
    "redline": ("redline", "First Draft", "-o", "red.docx"),
}


def run(args: tuple[str, ...], cwd: Path, wtpf: list[str], cpu: bool = False) -> float:
    """Seconds one wtpf command takes, wall or CPU (user + system, its git processes included); its exit code is not
    asked: `check` exits 1 on findings."""
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*wtpf, *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime if cpu else wall


def workspace(root: Path, body: str, wtpf: list[str]) -> Path:
    """A workspace whose draft is HEAD + `body`, stamped, with one more commit changing its first paragraph."""
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]
    subprocess.run(
        [*wtpf, "init", str(root), "--title", "T", "--symbol-prefix", "X/1"], check=True, capture_output=True
    )
    text = (root / "report.md").read_text(encoding="utf-8")
    front = text[: text.index("---\n", 4) + 4]
    (root / "report.md").write_text(front + HEAD + body, encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "draft"], cwd=root, check=True)
    subprocess.run([*wtpf, "stamp", "next", "--date", "2012-04-13"], cwd=root, check=True, capture_output=True)
    stamped = (root / "report.md").read_text(encoding="utf-8")
    (root / "report.md").write_text(stamped.replace("will discuss", "shall consider", 1), encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "edit"], cwd=root, check=True)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=40_000, help="size unit of the drafts (3 characters each)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", default=",".join(k for k in KINDS if k != "plain"))
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--big", action="store_true", help="also time blame and the HTML build of a 9.9 MB draft")
    parser.add_argument("--wtpf", default=f"{sys.executable} -m wtpf_cli")
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of wall time (steadier on a busy machine)")
    args = parser.parse_args()
    wtpf = args.wtpf.split()
    kinds = ["plain", *args.kinds.split(",")]
    commands = args.commands.split(",")
    print(
        f"# {dt.date.today()} on {platform.node()} ({platform.machine()}, {os.cpu_count()} cores), units {args.units}, "
        + ("CPU time" if args.cpu else "wall time")
    )
    folder = Path(tempfile.mkdtemp(prefix="wtpf-adversarial-"))
    try:
        for units in (args.units, 4 * args.units):
            times: dict[tuple[str, str], float] = {}
            sizes: dict[str, int] = {}
            for kind in kinds:
                body = KINDS[kind](units)
                sizes[kind] = len(body)
                root = workspace(folder / f"{kind}-{units}", body, wtpf)
                for command in commands:
                    times[kind, command] = statistics.median(
                        run(COMMANDS[command], root, wtpf, args.cpu) for _ in range(args.repeat)
                    )
            print(f"\n| draft ({units} units) | chars | " + " | ".join(commands) + " |")
            print("|---|---:|" + "---:|" * len(commands))
            for kind in kinds:
                cells = []
                for command in commands:
                    seconds, base = times[kind, command], times["plain", command]
                    cells.append(f"{seconds:.2f} s" + ("" if kind == "plain" else f" ({seconds / base:.1f}x)"))
                print(f"| {kind} | {sizes[kind]:,} | " + " | ".join(cells) + " |")
        if args.big:
            big_units = 9_900_000 // 3
            small = workspace(folder / "plain-1mb", plain(big_units // 10), wtpf)
            big = workspace(folder / "plain-9.9mb", plain(big_units), wtpf)
            print("\n| plain draft | blame | build-html |\n|---|---:|---:|")
            for name, root in (("0.99 MB", small), ("9.9 MB", big)):
                blame = run(COMMANDS["blame"], root, wtpf)
                html = run(COMMANDS["build-html"], root, wtpf)
                print(f"| {name} | {blame:.2f} s | {html:.2f} s |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
