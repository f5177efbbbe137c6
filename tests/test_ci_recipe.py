"""The GitHub Actions recipe in wtpf_cli/templates/ci/: its shell steps run as written in a real demo workspace and
leave the Word files its upload step keeps."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from support.cli import clean_env, wtpf
from support.libreoffice import require_soffice

RECIPE = Path(__file__).resolve().parent.parent / "wtpf_cli" / "templates" / "ci" / "wtpf-report.yml"


def load_recipe() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(RECIPE.read_text(encoding="utf-8"))
    return data


def steps(recipe: dict[str, Any], job: str = "report") -> list[dict[str, Any]]:
    assert set(recipe["jobs"]) == {"report", "publish"}
    found: list[dict[str, Any]] = recipe["jobs"][job]["steps"]
    return found


def uses(step: dict[str, Any], action: str) -> bool:
    return str(step.get("uses", "")).split("@")[0] == action


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`wtpf demo` (four stamped versions), without the outputs the demo itself writes."""
    root = tmp_path_factory.mktemp("ci") / "report"
    wtpf("demo", str(root), cwd=root.parent)
    shutil.rmtree(root / "out", ignore_errors=True)
    return root


def run_steps(recipe: dict[str, Any], cwd: Path, job: str = "report") -> list[str]:
    """Run every `run:` step of `job` except the installs (wtpf and LibreOffice are installed here) as Actions
    would: bash -e, with the workflow's env; returns the commands run."""
    env = clean_env(cwd)
    env["GITHUB_WORKSPACE"] = str(cwd)  # the checkout: here the workspace is the repository
    # `wtpf` on PATH, as `pip install` leaves it: this interpreter's scripts folder first
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env.update({k: str(v) for k, v in recipe.get("env", {}).items()})
    shell = recipe.get("defaults", {}).get("run", {}).get("shell", "bash")
    assert shell == "bash"
    ran = []
    for step in steps(recipe, job):
        command = step.get("run")
        if command is None or "pip install" in command or "apt-get install" in command:
            continue
        where = cwd / recipe.get("defaults", {}).get("run", {}).get("working-directory", ".")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
            cwd=where,
            env={**env, **{k: str(v) for k, v in step.get("env", {}).items()}},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, f"step {step.get('name')!r} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        ran.append(command)
    return ran


def test_the_recipe_runs_on_every_push_and_checks_out_the_whole_history_with_tags() -> None:
    recipe = load_recipe()
    trigger = recipe.get("on", recipe.get(True))  # YAML 1.1 reads the key `on` as true
    assert "push" in trigger
    checkout = [s for s in steps(recipe) if uses(s, "actions/checkout")]
    assert len(checkout) == 1 and checkout[0]["with"]["fetch-depth"] == 0
    install = [s for s in steps(recipe) if "pip install" in str(s.get("run", ""))]
    assert len(install) == 1
    assert steps(recipe).index(install[0]) < min(
        i for i, s in enumerate(steps(recipe)) if "wtpf " in str(s.get("run", "")) and s is not install[0]
    )


def test_the_recipe_commands_run_in_a_demo_workspace_and_leave_the_artifacts_it_uploads(demo: Path) -> None:
    recipe = load_recipe()
    ran = run_steps(recipe, demo)
    assert any(cmd.strip() == "wtpf check" for cmd in ran)
    upload = [s for s in steps(recipe) if uses(s, "actions/upload-artifact")]
    assert len(upload) == 1
    patterns = [p.strip() for p in str(upload[0]["with"]["path"]).splitlines() if p.strip()]
    files = sorted(Path(f) for p in patterns for f in glob.glob(str(demo / p)))
    # the demo's working draft is its last version, the Third Draft: the clean document and the redline from it
    assert [f.name for f in files] == [
        "WTPF-IEG-2-2_Third-Draft.docx",
        "WTPF-IEG-2-2_Third-Draft_redline-from-third-draft.docx",
    ]
    for f in files:
        with zipfile.ZipFile(f) as z:
            assert z.testzip() is None
        text = "\n".join(p.text for p in docx.Document(str(f)).paragraphs)
        assert "WTPF-IEG/2/2" in text and "Third Draft" in text


def test_the_redline_step_compares_with_the_last_stamped_version_once_the_draft_moved_on(demo: Path) -> None:
    recipe = load_recipe()
    text = (demo / "report.md").read_text(encoding="utf-8")
    (demo / "report.md").write_text(text + "\nA paragraph added after the Third Draft.\n", encoding="utf-8")
    try:
        shutil.rmtree(demo / "out", ignore_errors=True)
        run_steps(recipe, demo)
        redline = demo / "out" / "WTPF-IEG-2-2_Third-Draft_redline-from-third-draft.docx"
        body = docx.Document(str(redline)).element.body
        inserted = "".join(body.xpath(".//w:ins//w:t/text()"))
        assert "A paragraph added after the Third Draft." in inserted
    finally:
        (demo / "report.md").write_text(text, encoding="utf-8")


def test_before_anything_is_stamped_the_recipe_still_passes_with_the_clean_document(tmp_path: Path) -> None:
    root = tmp_path / "report"
    args = ["init", str(root), "--title", "Report", "--symbol-prefix", "WTPF-IEG/1", "--secretariat", "ITU"]
    wtpf(*args, cwd=tmp_path)
    run_steps(load_recipe(), root)
    assert [f.suffix for f in (root / "out").iterdir()] == [".docx"]


def test_a_version_tag_publishes_the_ladder_as_a_github_pages_site(demo: Path) -> None:
    require_soffice()
    recipe = load_recipe()
    job = recipe["jobs"]["publish"]
    assert job["if"] == "startsWith(github.ref, 'refs/tags/')" and job["needs"] == "report"
    assert job["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    checkout = [s for s in steps(recipe, "publish") if uses(s, "actions/checkout")]
    assert len(checkout) == 1 and checkout[0]["with"]["fetch-depth"] == 0
    ran = run_steps(recipe, demo, "publish")
    assert any("wtpf publish" in cmd for cmd in ran)
    (upload,) = [s for s in steps(recipe, "publish") if uses(s, "actions/upload-pages-artifact")]
    (deploy,) = [s for s in steps(recipe, "publish") if uses(s, "actions/deploy-pages")]
    assert steps(recipe, "publish").index(upload) < steps(recipe, "publish").index(deploy)
    site = demo / upload["with"]["path"]
    names = sorted(p.name for p in site.iterdir())
    assert "index.html" in names
    for slug in ("first-draft", "preliminary-second-draft", "second-draft", "third-draft"):
        assert {f"{slug}.docx", f"{slug}.pdf", f"{slug}.html"} <= set(names), slug
    assert "third-draft_redline-from-second-draft.docx" in names
    assert (site / "third-draft.pdf").read_bytes().startswith(b"%PDF-")
