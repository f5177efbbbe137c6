"""Drafts made to be slow - 80,000 unmatched `[` - are checked and built in seconds (they took 43 s and 21 s:
each `[` scanned the rest of its paragraph). The full comparison with plain drafts of the same size, for every
command, is bench/adversarial.py (figures in BENCHMARKS.md)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import wtpf_cli
from support.cli import git, init_report, wtpf
from wtpf_cli.markdown.blocks import markdown_parser


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


def test_check_reads_the_drafts_markdown_once_for_all_its_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (It read it twice, the first time chunk by chunk: a draft with a note every five words took 3.8 times a plain
    # draft's time to check, markdown-it's footnote rules being slow per character.)
    root = init_report(tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    body = "# 1 Introduction\n\n" + " ".join(f"ab[^n{i}]" for i in range(300)) + "\n\n"
    body += "\n".join(f"[^n{i}]: a" for i in range(300)) + "\n\n[^lost]: never referenced\n"
    (root / "report.md").write_text(text[: text.index("---\n", 4) + 4] + body, encoding="utf-8")
    git("commit", "-qam", "Notes", cwd=root)
    parser = markdown_parser()
    parsed: list[int] = []
    parse = parser.parse

    def counted(src: str, env: object = None) -> object:
        parsed.append(len(src))
        return parse(src, env)  # type: ignore[arg-type]

    monkeypatch.setattr(parser, "parse", counted)
    report = wtpf_cli.check(wtpf_cli.open_workspace(root))
    assert [f.rule for f in report.findings] == ["MD006"]  # the rules still see the notes
    assert len(parsed) == 1, f"the draft's Markdown was parsed {len(parsed)} times"
