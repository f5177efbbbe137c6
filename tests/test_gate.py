"""`wtpf status` and `wtpf check`: brackets counted, dispositions required, front matter checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import git, init_report, revise, wtpf


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
    revise(root)
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


def edit(root: Path, name: str, old: str, new: str, *, commit: bool = True) -> None:
    """Replace `old` (which must be there) by `new` in a workspace file, and commit."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if commit:
        git("commit", "-qam", f"edit {name}", cwd=root)


def append(root: Path, name: str, text: str) -> None:
    with (root / name).open("a", encoding="utf-8") as fh:
        fh.write(text)
    git("add", name, cwd=root)
    git("commit", "-qm", f"append to {name}", cwd=root)


def rules(root: Path, check: int = 0) -> list[tuple[str, str, int, str]]:
    """(rule, severity, line, file) of each finding of `wtpf check --json`, in order."""
    findings = json.loads(wtpf("check", "--json", cwd=root, check=check).out)
    return [(f["rule"], f["severity"], f["line"], f["file"]) for f in findings]


def test_an_unreadable_draft_is_one_in001_error(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, "report.md", "language: English\n---\n", "language: English\n")
    assert rules(root, 1) == [("IN001", "error", 1, "report.md")]


def test_fm001_a_stamped_draft_without_a_title(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, "report.md", "title: Report\n", "")
    assert rules(root, 1) == [("FM001", "error", 1, "report.md")]


def test_fm002_front_matter_edited_by_hand_while_the_text_moved_on_is_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, "report.md", "symbol: WTPF-IEG/1/1", "symbol: WTPF-IEG/1/7")
    edit(root, "report.md", "Replace this text", "Change this text")
    findings = json.loads(wtpf("check", "--json", cwd=root).out)
    assert [(f["rule"], f["severity"]) for f in findings] == [("FM002", "warning")]
    assert "symbol WTPF-IEG/1/7 (stamp: WTPF-IEG/1/1)" in findings[0]["message"]


def test_fm003_front_matter_that_contradicts_an_unchanged_stamp_is_an_error(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, "report.md", "version: First Draft", "version: Second Draft")
    findings = json.loads(wtpf("check", "--json", cwd=root, check=1).out)
    assert [(f["rule"], f["severity"], f["line"]) for f in findings] == [("FM003", "error", 3)]  # the version: line
    assert "version Second Draft (stamp: First Draft)" in findings[0]["message"]


def test_fm004_a_date_that_is_not_a_day(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, "report.md", "Replace this text", "Change this text")
    edit(root, "report.md", "date: '2012-04-13'", "date: 13 April 2012")
    assert [r[:3] for r in rules(root, 1)] == [("FM002", "warning", 5), ("FM004", "error", 5)]


def test_sy001_a_symbol_with_characters_no_symbol_has(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, "report.md", "Replace this text", "Change this text")
    edit(root, "report.md", "symbol: WTPF-IEG/1/1", "symbol: WTPF-IEG/1/1;")
    assert [r[:2] for r in rules(root, 1)] == [("FM002", "warning"), ("SY001", "error")]


def test_sy002_a_symbol_outside_the_prefix_of_wtpf_toml(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    edit(root, "wtpf.toml", 'symbol_rule = "series"', 'symbol_rule = "any"')  # stamp allows any symbol only then
    wtpf("stamp", "next", "--date", "2012-04-13", "--symbol", "ITU/7", cwd=root)
    edit(root, "wtpf.toml", 'symbol_rule = "any"', 'symbol_rule = "series"')  # check shares the rule
    findings = json.loads(wtpf("check", "--json", cwd=root, check=1).out)
    assert [(f["rule"], f["severity"], f["line"]) for f in findings] == [("SY002", "error", 4)]  # the symbol: line
    assert "'ITU/7' does not follow WTPF-IEG/1/N" in findings[0]["message"]
    r = wtpf("stamp", "next", "--symbol", "FOO 12", cwd=root, check=2)  # stamp refuses what check would
    assert "'FOO 12' does not follow [report].symbol_prefix: WTPF-IEG/1/N" in r.err


def test_symbols_of_the_un_forms_and_of_the_next_meeting_follow_the_prefix() -> None:
    from wtpf_cli.store.symbols import symbol_pattern

    allowed = symbol_pattern("WTPF-IEG/1")
    for good in ("WTPF-IEG/1/9", "WTPF-IEG/1/9 (Rev.1)", "WTPF-IEG/1/9(Rev.2)", "WTPF-IEG/2/2", "WTPF-IEG/1/9/Add.1"):
        assert allowed.match(good), good
    for bad in ("WTPF-IEG/1", "WTPF/1/9", "WTPF-IEG/1/9 Rev.1", "WTPF-IEG/1/x", "wtpf-ieg/1/9", "WTPF-IEG/1/9/"):
        assert not allowed.match(bad), bad


def test_ld001_a_version_stamped_below_the_one_before_it_on_the_ladder(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    wtpf("stamp", "Second Draft", "--date", "2012-04-13", cwd=root)
    revise(root)
    wtpf("stamp", "First Draft", "--date", "2012-05-01", cwd=root)
    findings = json.loads(wtpf("check", "--json", cwd=root, check=1).out)
    ladder_line = (root / "wtpf.toml").read_text(encoding="utf-8").splitlines().index("ladder = [") + 1
    assert [(f["rule"], f["severity"], f["file"], f["line"]) for f in findings] == [
        ("LD001", "error", "wtpf.toml", ladder_line)
    ]
    assert "First Draft" in findings[0]["message"] and "after Second Draft" in findings[0]["message"]


def test_ld002_a_stamped_version_whose_name_left_the_ladder(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, "wtpf.toml", '    "First Draft",\n', "")
    findings = json.loads(wtpf("check", "--json", cwd=root, check=1).out)
    assert [(f["rule"], f["file"]) for f in findings] == [("LD002", "wtpf.toml")]
    assert "First Draft (wtpf-ieg-1/first-draft) is not on the ladder" in findings[0]["message"]


MILESTONES = """
[[milestone]]
date = 2012-04-13
kind = "posting"
version = "First Draft"

[[milestone]]
date = 2012-06-01
kind = "meeting"
version = "Zeroth Draft"
"""


def test_tt001_tt002_a_posting_passed_unstamped_and_a_milestone_off_the_ladder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = init_report(tmp_path)
    append(root, "wtpf.toml", MILESTONES)
    lines = [n for n, line in enumerate((root / "wtpf.toml").read_text().splitlines(), 1) if line == "[[milestone]]"]
    monkeypatch.setenv("WTPF_TODAY", "2012-04-12")  # the day before the posting: nothing due yet
    assert rules(root) == [("TT002", "warning", lines[1], "wtpf.toml")]
    monkeypatch.setenv("WTPF_TODAY", "2012-04-14")
    assert rules(root) == [("TT001", "warning", lines[0], "wtpf.toml"), ("TT002", "warning", lines[1], "wtpf.toml")]
    wtpf("check", "--strict", cwd=root, check=1)
    wtpf("stamp", "next", "--date", "2012-04-14", cwd=root)
    assert rules(root) == [("TT002", "warning", lines[1], "wtpf.toml")]


def test_md001_inline_html_is_found_on_its_line(tmp_path: Path) -> None:
    root = make(tmp_path)
    append(root, "report.md", "\n2.2. A <span>styled</span>\nword.\n")
    line = (root / "report.md").read_text().splitlines().index("2.2. A <span>styled</span>") + 1
    assert rules(root) == [("MD001", "warning", line, "report.md"), ("MD001", "warning", line, "report.md")]


def test_md002_md003_a_missing_image_is_an_error_and_an_existing_one_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path)
    (root / "figures").mkdir()
    (root / "figures" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    append(root, "report.md", "\n2.2. ![Map](figures/map.png)\n\n2.3. ![Chart](figures/chart.png)\n")
    text = (root / "report.md").read_text().splitlines()
    found = rules(root, 1)
    assert found == [
        ("MD003", "warning", text.index("2.2. ![Map](figures/map.png)") + 1, "report.md"),
        ("MD002", "error", text.index("2.3. ![Chart](figures/chart.png)") + 1, "report.md"),
    ]


def test_md004_a_fifth_level_heading(tmp_path: Path) -> None:
    root = make(tmp_path)
    append(root, "report.md", "\n##### 2.1.1.1.1 Too deep\n")
    line = (root / "report.md").read_text().splitlines().index("##### 2.1.1.1.1 Too deep") + 1
    assert rules(root) == [("MD004", "warning", line, "report.md")]


def test_md005_md006_a_footnote_never_defined_and_one_never_used(tmp_path: Path) -> None:
    root = make(tmp_path)
    append(root, "report.md", "\n2.2. See the note[^gone].\n\n[^spare]: Never referenced.\n")
    text = (root / "report.md").read_text().splitlines()
    assert rules(root) == [
        ("MD005", "warning", text.index("2.2. See the note[^gone].") + 1, "report.md"),
        ("MD006", "warning", text.index("[^spare]: Never referenced.") + 1, "report.md"),
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "ws"
    wtpf("demo", str(root), cwd=root.parent)
    return root


def test_the_demo_passes_the_check_with_no_errors(demo: Path) -> None:
    findings = json.loads(wtpf("check", "--json", cwd=demo).out)
    assert [f for f in findings if f["severity"] == "error"] == []
    # Long after the Annex's dates, only the postings never stamped remain (warnings).
    assert [(f["rule"], f["message"]) for f in findings] == [
        ("TT001", "posting of Fourth Draft was due 2013-01-10: nothing is stamped"),
        ("TT001", "posting of Final Report was due 2013-03-01: nothing is stamped"),
    ]


def test_the_demo_passes_the_strict_check_on_the_day_of_its_last_stamp(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WTPF_TODAY", "2012-08-31")
    assert json.loads(wtpf("check", "--json", cwd=demo).out) == []
    wtpf("check", "--strict", cwd=demo)


def test_the_readme_lists_every_rule_with_its_severity() -> None:
    from wtpf_cli.reporting.check import RULES

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for rule, (severity, _meaning) in RULES.items():
        assert f"| {rule} | {severity} |" in readme, rule


def test_br003_git_conflict_markers_left_by_an_unfinished_merge(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(
        root,
        "report.md",
        "1.1. This report",
        "<<<<<<< HEAD\n1.1. The report\n=======\n1.1. This report\n>>>>>>> brazil\n",
    )
    lines = (root / "report.md").read_text().splitlines()
    marks = [lines.index(m) + 1 for m in ("<<<<<<< HEAD", "=======", ">>>>>>> brazil")]
    assert [r for r in rules(root, 1) if r[0] == "BR003"] == [("BR003", "error", n, "report.md") for n in marks]


def test_a_reissue_of_an_earlier_version_is_not_out_of_ladder_order(tmp_path: Path) -> None:
    root = make(tmp_path)
    revise(root)
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=root)
    wtpf("stamp", "First Draft", "--reissue", "--date", "2012-06-02", cwd=root)
    assert [r[0] for r in rules(root)] == []


def test_a_check_report_knows_its_exit_code_with_and_without_strict() -> None:
    from wtpf_cli.reporting.check import CheckReport, Finding

    warning = Finding("report.md", 3, "BR002", "1 '[' but 0 ']'", "warning")
    error = Finding("report.md", 4, "BR001", "unresolved alternatives from Brazil / USA", "error")
    assert CheckReport(()).exit_code == 0 and CheckReport((), strict=True).failure() is None
    assert CheckReport((warning,)).exit_code == 0
    assert CheckReport((warning,), strict=True).exit_code == 1
    assert CheckReport((warning, error)).exit_code == 1
    failure = CheckReport((warning, error)).failure()
    assert failure is not None and str(failure) == "the check found 1 error(s) and 1 warning(s)"
    assert CheckReport((warning, error)).summary() == "1 error(s), 1 warning(s)"


def test_a_quote_seven_deep_and_a_heading_underline_are_not_conflict_markers(tmp_path: Path) -> None:
    root = make(tmp_path)
    edit(root, "report.md", "1.1. This report", "Annex\n=======\n\n>>>>>>> quoted seven deep\n\n1.1. This report")
    assert [r for r in rules(root) if r[0] == "BR003"] == []
