"""`wtpf status` and `wtpf check`: brackets counted, dispositions required, front matter checked."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import git, init_report, wtpf


def make(tmp_path: Path) -> Path:
    root = init_report(tmp_path)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    return root


def bracket(root: Path) -> None:
    text = (root / "report.md").read_text(encoding="utf-8")
    text = text.replace("Replace this text", "[[Brazil: Replace]] [[United States: Revise]] this text")
    (root / "report.md").write_text(text, encoding="utf-8")
    git("commit", "-qam", "brackets", cwd=root)


def test_check_passes_a_clean_draft_and_counts_unresolved_brackets_as_errors(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert json.loads(wtpf("check", "--json", cwd=root).out) == []
    bracket(root)
    r = wtpf("check", "--json", cwd=root, check=1)
    findings = json.loads(r.out)
    assert [(f["rule"], f["severity"]) for f in findings] == [("BR001", "error")]
    assert findings[0]["line"] > 1 and "Brazil / United States" in findings[0]["message"]


def test_check_flags_unbalanced_brackets_raw_html_and_strict_fails_on_warnings(tmp_path: Path) -> None:
    root = make(tmp_path)
    with (root / "report.md").open("a", encoding="utf-8") as fh:
        fh.write("\n2.2. An unclosed [bracket here.\n\n<div>raw html</div>\n")
    git("commit", "-qam", "x", cwd=root)
    findings = json.loads(wtpf("check", "--json", cwd=root).out)
    assert sorted(f["rule"] for f in findings) == ["BR002", "MD001"]
    wtpf("check", "--strict", cwd=root, check=1)


def test_check_requires_a_disposition_once_the_next_version_is_stamped(tmp_path: Path) -> None:
    root = make(tmp_path)
    letter = tmp_path / "l.txt"
    letter.write_text("A letter.\n", encoding="utf-8")
    wtpf("contribution", "add", str(letter), "--source", "ARIN", "--received", "2012-05-01", cwd=root)
    wtpf("check", cwd=root)
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=root)
    findings = json.loads(wtpf("check", "--json", cwd=root, check=1).out)
    assert [f["rule"] for f in findings] == ["CT001"]


def test_status_counts_brackets_pending_contributions_and_changes_by_source(tmp_path: Path) -> None:
    root = make(tmp_path)
    bracket(root)
    letter = tmp_path / "l.txt"
    letter.write_text("A letter.\n", encoding="utf-8")
    wtpf("contribution", "add", str(letter), "--source", "ARIN", "--received", "2012-05-01", cwd=root)
    s = json.loads(wtpf("status", "--json", cwd=root).out)
    assert s["version"] == "First Draft" and s["open_brackets"] == 1 and s["pending_contributions"] == 1
    assert s["changes_since"] == 1 and s["sources_since"] == ["Test"]
    assert "Open brackets     1" in wtpf("status", cwd=root).out
