"""The README's commands as a new user meets them: its first command from a fresh clone's root, and its
"A session" block, run as written on a machine with no git user (so that they never drift from the tool)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import clean_env, git, wtpf

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def sh_blocks(text: str) -> list[str]:
    """The ```sh blocks of a Markdown text, in order."""
    return re.findall(r"^```sh\n(.*?)^```$", text, flags=re.S | re.M)


def session_block() -> str:
    """The block under the README's "### A session" heading."""
    return sh_blocks(README[README.index("### A session\n") :])[0]


def run_bash(script: str, cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """A script as a user's shell runs it, stopping at the first command that fails, each command echoed."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-exo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def with_wtpf(env: dict[str, str]) -> dict[str, str]:
    """`wtpf` on PATH as the install leaves it: this interpreter's scripts folder first."""
    return {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"}


def fresh_clone(tmp_path: Path) -> Path:
    """A clone of this repository, as a new user gets it (its .gitignore included)."""
    clone = tmp_path / "wtpf"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, timeout=120)
    return clone


def test_the_readme_session_runs_as_written_on_a_machine_without_a_git_user(tmp_path: Path) -> None:
    env = with_wtpf(clean_env(tmp_path))
    run = run_bash(session_block(), tmp_path, env)
    assert run.returncode == 0, f"the session stopped:\n{run.stderr[-3000:]}"
    ws = tmp_path / "wtpf-2013"
    versions = [(r["name"], r["symbol"]) for r in json.loads(wtpf("versions", "--json", cwd=ws).out)]
    assert versions == [("First Draft", "WTPF-IEG/1/1"), ("Preliminary Second Draft", "WTPF-IEG/1/5")]
    assert "The Forum [-may-]{+shall+}<Brazil> discuss" in run.stdout  # the text redline, as the comment says
    assert (ws / "redline.docx").stat().st_size > 5000 and (ws / "redline.html").is_file()
    authors = git("log", "--format=%an", cwd=ws).split("\n")
    assert "Brazil" in authors and set(authors) - {""} <= {"Brazil", "ITU Secretariat"}


def test_the_readmes_first_command_is_the_venv_install_then_the_demo() -> None:
    first = sh_blocks(README)[0].strip()
    assert first == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/wtpf demo wtpf-demo"


def test_the_demo_run_from_a_fresh_clones_root_makes_its_own_repository_and_leaves_the_clone_alone(
    tmp_path: Path,
) -> None:
    # The README's first command's last step, with the wtpf of this test run (the install is the test below).
    clone = fresh_clone(tmp_path)
    before = git("log", "--all", "--oneline", cwd=clone), git("tag", cwd=clone)
    demo = shlex.split(sh_blocks(README)[0].split("&&")[-1])
    assert demo[:2] == [".venv/bin/wtpf", "demo"]
    run = wtpf(*demo[1:], cwd=clone)
    assert "Redline page:" in run.out
    assert (git("log", "--all", "--oneline", cwd=clone), git("tag", cwd=clone)) == before
    assert git("status", "--porcelain", cwd=clone) == ""  # wtpf-demo/ is ignored by the clone
    inner = clone / "wtpf-demo"
    assert git("rev-parse", "--show-toplevel", cwd=inner).strip() == str(inner)
    assert len(git("tag", cwd=inner).split()) == 4


def test_the_demo_in_a_folder_of_another_repository_never_commits_to_it(tmp_path: Path) -> None:
    outer = tmp_path / "project"
    outer.mkdir()
    git("init", "-q", cwd=outer)
    (outer / "notes.txt").write_text("ours\n", encoding="utf-8")
    git("add", "notes.txt", cwd=outer)
    git("commit", "-qm", "ours", cwd=outer)
    wtpf("demo", "docs/example", cwd=outer)
    assert git("log", "--oneline", cwd=outer).count("\n") == 1 and git("tag", cwd=outer) == ""
    assert git("status", "--porcelain", cwd=outer) == "?? docs/\n"  # a nested repository, untracked
    assert git("rev-parse", "--show-toplevel", cwd=outer / "docs" / "example").strip() == str(outer / "docs/example")


@pytest.mark.skipif(
    os.environ.get("WTPF_README_INSTALL") != "1",
    reason="installs wtpf into a new virtual environment (about a minute): WTPF_README_INSTALL=1 runs it; CI does",
)
def test_the_readmes_first_command_works_as_written_from_a_fresh_clones_root(tmp_path: Path) -> None:
    clone = fresh_clone(tmp_path)
    env = {k: v for k, v in clean_env(tmp_path).items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["HOME"] = os.environ.get("HOME", str(tmp_path))  # pip's cache and settings, as the user has them
    if sys.prefix != sys.base_prefix:  # this test run's own virtual environment is not the user's
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(sys.prefix))
    env.pop("PIP_BREAK_SYSTEM_PACKAGES", None)  # as on a fresh Debian machine: only the venv may be installed into
    run = run_bash(sh_blocks(README)[0], clone, env, timeout=900)
    assert run.returncode == 0, f"the first command failed:\n{run.stderr[-3000:]}"
    assert "Redline page:" in run.stdout
    assert (clone / "wtpf-demo" / ".git").is_dir() and git("status", "--porcelain", cwd=clone) == ""
