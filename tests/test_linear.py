"""Drafts made to be slow - 80,000 unmatched `[` - are checked and built in seconds (they took 43 s and 21 s:
each `[` scanned the rest of its paragraph). The full comparison with plain drafts of the same size, for every
command, is bench/adversarial.py (figures in BENCHMARKS.md)."""

from __future__ import annotations

import time
from pathlib import Path

from support.cli import git, init_report, wtpf


def test_eighty_thousand_unmatched_brackets_are_checked_and_built_in_seconds(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    body = "# 1 Introduction\n\n" + "[x " * 80_000 + "\n\n[^1]: a note\n"
    (root / "report.md").write_text(text[: text.index("---\n", 4) + 4] + body, encoding="utf-8")
    git("commit", "-qam", "Brackets", cwd=root)
    for command in (("check", "--json"), ("build", "-o", "out.docx"), ("build", "--format", "html", "-o", "out.html")):
        started = time.monotonic()
        wtpf(*command, cwd=root, check=None)
        elapsed = time.monotonic() - started
        assert elapsed < 15, f"{command}: {elapsed:.1f} s"  # (about 2 s on a quiet machine)
    assert (root / "out.docx").stat().st_size > 0 and "[x [x" in (root / "out.html").read_text(encoding="utf-8")
