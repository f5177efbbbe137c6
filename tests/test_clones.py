"""Shallow and tag-less clones (what CI checks out by default): every command whose answer comes from the history
refuses them in one line that says how to fetch the rest, and never answers wrongly with exit 0."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support.cli import git, init_report, revise, wtpf

HISTORY_COMMANDS = [
    ("versions",),
    ("redline", "First Draft", "--format", "text"),
    ("redline", "latest", "-o", "out.docx"),
    ("build", "First Draft", "-o", "first.docx"),
    ("blame",),
    ("stamp", "next"),
    ("status",),
    ("schedule",),
    ("check",),
    ("merge",),
]


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with two stamped versions (the second after Brazil's change) and a later edit."""
    root = init_report(tmp_path_factory.mktemp("origin"))
    revise(root, "2.2. The secretariat's first text.")
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    edit = (root / "report.md").read_text(encoding="utf-8").replace("first text", "revised text")
    (root / "report.md").write_text(edit, encoding="utf-8")
    git("-c", "user.name=Brazil", "-c", "user.email=wtpf@brazil.example", "commit", "-qam", "Brazil", cwd=root)
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=root)
    revise(root, "2.3. Later text.")
    return root


def clone(origin: Path, where: Path, *options: str) -> Path:
    target = where / "clone"
    subprocess.run(["git", "clone", "--quiet", *options, f"file://{origin}", str(target)], check=True, timeout=60)
    return target


@pytest.mark.parametrize("command", HISTORY_COMMANDS, ids=lambda c: " ".join(c))
def test_a_shallow_clone_is_refused_with_the_fetch_that_completes_it(
    origin: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    shallow = clone(origin, tmp_path, "--depth", "1")
    head = git("rev-parse", "HEAD", cwd=shallow)
    r = wtpf(*command, cwd=shallow, check=4)
    assert r.err.count("\n") == 1 and r.err.startswith("wtpf: this clone is shallow")
    assert "`git fetch --unshallow --tags`" in r.err and "`fetch-depth: 0`" in r.err
    assert git("rev-parse", "HEAD", cwd=shallow) == head and git("status", "--porcelain", cwd=shallow) == ""


@pytest.mark.parametrize("command", HISTORY_COMMANDS, ids=lambda c: " ".join(c))
def test_a_clone_without_the_version_tags_is_refused_rather_than_stamping_down_the_ladder(
    origin: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    tagless = clone(origin, tmp_path, "--no-tags")
    r = wtpf(*command, cwd=tagless, check=4)
    assert r.err.count("\n") == 1 and "no tag of Preliminary Second Draft" in r.err and "--tags" in r.err
    assert git("tag", cwd=tagless) == ""


def test_a_shallow_clone_builds_its_working_draft_and_works_whole_once_fetched(origin: Path, tmp_path: Path) -> None:
    shallow = clone(origin, tmp_path, "--depth", "1")
    wtpf("build", "-o", "draft.docx", cwd=shallow)  # the working draft needs no history
    git("fetch", "--quiet", "--unshallow", "--tags", cwd=shallow)
    rows = json.loads(wtpf("versions", "--json", cwd=shallow).out)
    assert [r["name"] for r in rows] == ["First Draft", "Preliminary Second Draft", "working draft"]
    assert rows[1]["sources"] == ["Brazil", "ITU Secretariat"]


def test_check_at_an_older_stamped_commit_reports_no_front_matter_contradiction(origin: Path, tmp_path: Path) -> None:
    whole = clone(origin, tmp_path)
    git("switch", "--quiet", "--detach", "wtpf-ieg-1/first-draft", cwd=whole)
    assert json.loads(wtpf("check", "--json", cwd=whole).out) == []  # not FM003 against the later stamp
