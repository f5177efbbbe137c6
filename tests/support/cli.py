"""Run the real `wtpf` command in a subprocess, as a user would, on a machine with no git identity."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def clean_env(home: Path) -> dict[str, str]:
    """The environment of a fresh machine: no git user, no global or system git config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / "no-gitconfig"),
        COLUMNS="200",
        NO_COLOR="1",
    )
    return env


def wtpf(
    *args: str, cwd: Path, home: Path | None = None, check: int | None = 0, env: dict[str, str] | None = None
) -> Run:
    """`wtpf ARGS` in `cwd` (with `env` added to the clean environment); asserts the exit code unless check is
    None."""
    proc = subprocess.run(
        [sys.executable, "-m", "wtpf_cli", *args],
        cwd=cwd,
        env={**clean_env(home or cwd), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = Run(proc.returncode, proc.stdout, proc.stderr)
    if check is not None:
        assert proc.returncode == check, f"exit {proc.returncode} != {check}\n{proc.stdout}\n{proc.stderr}"
    return result


def git(*args: str, cwd: Path, home: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Plain git, for setting up and checking states (with `env` added to the clean environment)."""
    env = {**clean_env(home or cwd), **(env or {})}
    base = ["git", "-c", "user.name=Test", "-c", "user.email=t@example.org"]
    return subprocess.run([*base, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


def init_report(tmp_path: Path, title: str = "Report", env: dict[str, str] | None = None) -> Path:
    """`wtpf init` of a report workspace (WTPF-IEG/1, ITU Secretariat) in tmp_path/report."""
    root = tmp_path / "report"
    wtpf(
        "init",
        str(root),
        "--title",
        title,
        "--symbol-prefix",
        "WTPF-IEG/1",
        "--secretariat",
        "ITU Secretariat",
        cwd=tmp_path,
        env=env,
    )
    return root


def stamped_report(tmp_path: Path, body: str) -> Path:
    """init_report with `body` as the draft's text, committed and stamped as the First Draft (2012-04-13)."""
    root = init_report(tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    (root / "report.md").write_text(text[: text.index("---\n", 4) + 4] + body, encoding="utf-8")
    git("commit", "-qam", "First draft text", cwd=root)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    return root


def revise(root: Path, text: str = "2.9. A paragraph the secretariat added.") -> None:
    """A change to the draft, committed by a member of staff: the next stamp has a new text to stamp."""
    with (root / "report.md").open("a", encoding="utf-8") as fh:
        fh.write(f"\n{text}\n")
    git("commit", "-qam", "Revise the draft", cwd=root)
