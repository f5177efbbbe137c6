"""The draft's front matter as a hostile or careful author writes it: `stamp` changes only the keys it owns and
keeps every other byte; dates that no calendar has and YAML alias bombs are refused at once, naming the line -
through the real command line, in real git repositories."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from support.cli import git, init_report, revise, wtpf

BODY = "# 1 Introduction\n\n1.1. The Forum will discuss the report.\n"

# Every kind of YAML value an author may keep beside wtpf's keys, with comments and irregular spacing.
HEAD = """---
# The report's front matter: edited by hand, stamped by wtpf.
title: "Report of the Secretary-General"   # quoted on purpose
version: ''
symbol: ''
date: ''
keywords: [internet,  policy]
reviewed: true
pages: 12
ratio: 0.50
authors:
  - name: Secretariat
    role: editor
  - {name: Brazil, role: contributor}
note: >
  A folded block
  over two lines.
empty:
language: English
---
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = init_report(tmp_path)
    (root / "report.md").write_text(HEAD + BODY, encoding="utf-8")
    git("commit", "-qam", "First draft text", cwd=root)
    return root


def commit_draft(ws: Path, text: str) -> None:
    (ws / "report.md").write_text(text, encoding="utf-8")
    git("commit", "-qam", "Draft as the secretariat saved it", cwd=ws)


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_stamp_changes_only_version_symbol_and_date_and_keeps_every_other_line_byte_for_byte(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    expected = (
        HEAD.replace("version: ''", "version: First Draft")
        .replace("symbol: ''", "symbol: WTPF-IEG/1/1")
        .replace("date: ''", "date: '2012-04-13'")
    )
    assert (ws / "report.md").read_text(encoding="utf-8") == expected + BODY
    revise(ws, "1.2. Added.")
    wtpf("stamp", "next", "--date", "2012-05-02", cwd=ws)
    expected = (
        expected.replace("version: First Draft", "version: Preliminary Second Draft")
        .replace("WTPF-IEG/1/1", "WTPF-IEG/1/2")
        .replace("date: '2012-04-13'", "date: '2012-05-02'")
    )
    assert (ws / "report.md").read_text(encoding="utf-8") == expected + BODY + "\n1.2. Added.\n"


def test_stamp_adds_the_keys_it_owns_that_are_missing_as_lines_at_the_end(ws: Path) -> None:
    commit_draft(ws, "---\n# no version yet\ntitle: A report\nkeywords: [a, b]\n---\n" + BODY)
    wtpf("stamp", "next", "--date", "2012-04-13", "--symbol", "WTPF-IEG/1/9", cwd=ws)
    text = (ws / "report.md").read_text(encoding="utf-8")
    assert text == (
        "---\n# no version yet\ntitle: A report\nkeywords: [a, b]\n"
        "version: First Draft\nsymbol: WTPF-IEG/1/9\ndate: '2012-04-13'\n---\n" + BODY
    )


def test_a_stamped_version_that_yaml_would_misread_is_quoted(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", "--symbol", "WTPF-IEG/1/1", cwd=ws)
    wtpf("stamp", "First Draft", "--reissue", "--date", "2012-04-14", cwd=ws)
    text = (ws / "report.md").read_text(encoding="utf-8")
    assert "version: First Draft (Rev.1)\n" in text
    assert "symbol: WTPF-IEG/1/1(Rev.1)\n" in text
    assert "keywords: [internet,  policy]\n" in text


def test_a_date_no_calendar_has_is_refused_in_one_line_naming_its_line(ws: Path) -> None:
    commit_draft(ws, HEAD.replace("empty:", "deadline: 2012-06-31") + BODY)
    line = HEAD.splitlines().index("empty:") + 1
    for command in (("stamp", "next"), ("build", "-o", "x.docx"), ("status",), ("blame",)):
        err = one_line(wtpf(*command, cwd=ws, check=3).err)
        assert err.startswith("wtpf: ") and "report.md" in err
        assert err.endswith(f": front matter: 2012-06-31 on line {line} is not a date (day is out of range for month)")


def bomb(levels: int) -> str:
    """A YAML "billion laughs": each level an anchor of nine aliases to the level below."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"lol{level}: &lol{level} [{', '.join([f'*lol{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [9, 6])
def test_a_yaml_alias_bomb_is_refused_within_a_second_naming_its_line(ws: Path, levels: int) -> None:
    commit_draft(ws, HEAD.replace("empty:\n", bomb(levels)) + BODY)
    first_over = HEAD.splitlines().index("empty:") + 1 + 4  # lol4, 9**5 values, is the first beyond the bound
    for command in (("stamp", "next"), ("check",), ("build", "--format", "html", "-o", "x.html")):
        started = time.monotonic()
        run = wtpf(*command, cwd=ws, check=None)
        elapsed = time.monotonic() - started
        assert run.code == (1 if command == ("check",) else 3), run.err
        said = run.out + run.err if command == ("check",) else one_line(run.err)
        assert f"front matter's aliases expand it beyond 10000 values (an alias bomb) on line {first_over}" in said
        assert elapsed < 5, f"{command}: {elapsed:.1f} s"  # (well under a second on a quiet machine; no hang)
    assert (ws / "report.md").stat().st_size < 4000
    assert not (ws / "x.html").exists()


def test_a_yaml_alias_bomb_is_measured_without_being_expanded() -> None:
    from wtpf_cli.errors import InputRejected
    from wtpf_cli.markdown.frontmatter import read_meta

    started = time.monotonic()
    with pytest.raises(InputRejected, match="alias bomb"):
        read_meta(bomb(30))  # 9**30 values if expanded
    assert time.monotonic() - started < 1


def test_a_few_aliases_are_still_read(ws: Path) -> None:
    commit_draft(ws, HEAD.replace("empty:\n", "base: &b [a, b]\nagain: *b\n") + BODY)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    assert "again: *b\n" in (ws / "report.md").read_text(encoding="utf-8")
