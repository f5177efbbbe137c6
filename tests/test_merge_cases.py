"""Golden merge cases (tests/merge_cases, one folder per behaviour): contributions of two or three sources on one
version, merged through the command line in a real git workspace; two sources' changes to one sentence are
bracketed, never blended, and the brackets are counted by `status`, `check` (BR001) and `resolve`."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from support.cli import git, init_report, wtpf
from support.delegates import build_base

CASES = Path(__file__).parent / "merge_cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "case.toml").is_file())


def stamped_workspace(tmp_path: Path) -> Path:
    """A workspace whose stamped First Draft's body is merge_cases/base.md."""
    root = init_report(tmp_path)
    draft = root / "report.md"
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text[: text.index("---\n", 4) + 4] + (CASES / "base.md").read_text(encoding="utf-8"), "utf-8")
    git("commit", "-qam", "First draft", cwd=root)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    return root


def revised(root: Path, changes: list[list[str]], name: str) -> Path:
    """The stamped draft with `changes` made (each old text occurring once), as a source sends it back."""
    text = (root / "report.md").read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = root.parent / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def stamped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One stamped workspace, copied for each case (init and stamp are the same for all)."""
    return stamped_workspace(tmp_path_factory.mktemp("stamped"))


def merged_case(name: str, tmp_path: Path, stamped: Path) -> tuple[Path, dict[str, Any], list[dict[str, Any]]]:
    """The case's files registered in order and merged: the workspace, the case and the merge report."""
    case = tomllib.loads((CASES / name / "case.toml").read_text(encoding="utf-8"))
    root = tmp_path / "report"
    shutil.copytree(stamped, root, symlinks=True)
    for k, f in enumerate(case["files"]):
        path = revised(root, f["changes"], f"{k + 1}.md")
        wtpf("contribution", "add", str(path), "--source", f["source"], "--received", f"2012-05-1{k}", cwd=root)
    return root, case, json.loads(wtpf("merge", "--json", cwd=root).out)


@pytest.mark.parametrize("name", NAMES)
def test_the_merge_case_gives_the_reviewed_draft_and_brackets_that_are_counted_everywhere(
    name: str, tmp_path: Path, stamped: Path
) -> None:
    root, case, report = merged_case(name, tmp_path, stamped)
    assert [o["status"] for o in report] == [f["status"] for f in case["files"]]
    body = (root / "report.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == (CASES / name / "expected.md").read_text(encoding="utf-8")
    brackets = case["brackets"]
    assert json.loads(wtpf("status", "--json", cwd=root).out)["open_brackets"] == brackets
    found = json.loads(wtpf("check", "--json", cwd=root, check=1 if brackets else 0).out)
    assert len([f for f in found if f["rule"] == "BR001"]) == brackets
    listed = [line for line in wtpf("resolve", cwd=root).out.splitlines() if line != "No bracketed passages."]
    assert len(listed) == brackets


def test_the_merge_accounts_list_each_left_out_edit_with_its_reason(tmp_path: Path, stamped: Path) -> None:
    _root, _case, report = merged_case("paragraph-deleted-then-edited", tmp_path, stamped)
    edited = report[1]
    assert (edited["applied"], edited["bracketed"], edited["left_out"]) == (0, 0, 1)
    assert edited["left_out_edits"] == [
        {
            "kind": "edit",
            "text": "'remains slow' -> 'remains very slow'",
            "reason": "its words were deleted from the draft since First Draft",
        }
    ]


def test_the_merge_prints_a_line_of_counts_per_contribution_then_what_it_left_out(tmp_path: Path) -> None:
    case = tomllib.loads((CASES / "paragraph-deleted-then-edited" / "case.toml").read_text(encoding="utf-8"))
    root = stamped_workspace(tmp_path)
    for k, f in enumerate(case["files"]):
        path = revised(root, f["changes"], f"{k + 1}.md")
        wtpf("contribution", "add", str(path), "--source", f["source"], "--received", f"2012-05-1{k}", cwd=root)
    lines = wtpf("merge", cwd=root).out.splitlines()  # the accounts are the merge's result: stdout
    assert lines[:3] == [
        "2012-05-10-brazil (Brazil): merged - 1 applied, 0 in brackets, 0 left out",
        "2012-05-11-united-states (United States): partly merged (0 of 1 changes) - 0 applied, 0 in brackets, "
        "1 left out",
        "  left out: 'remains slow' -> 'remains very slow': its words were deleted from the draft since First Draft",
    ]


def test_resolving_the_outer_bracket_of_a_nested_one_leaves_the_inner_one_to_settle(
    tmp_path: Path, stamped: Path
) -> None:
    root, _case, _report = merged_case("change-inside-brackets", tmp_path, stamped)
    wtpf("resolve", "1", "--keep", "United States", "--reason", "Kenya withdrew", cwd=root)
    listed = wtpf("resolve", cwd=root).out.splitlines()
    assert len(listed) == 1 and "Brazil: shall  |  United States: may" in listed[0]
    wtpf("resolve", "1", "--keep", "Brazil", "--reason", "Agreed", cwd=root)
    body = (root / "report.md").read_text(encoding="utf-8")
    assert "1.1. The Forum shall discuss **the issues** raised in *Resolution 101*." in body


@pytest.mark.parametrize(
    "name", ["two-delegates-same-words", "two-delegates-same-sentence", "two-delegates-edit-and-delete"]
)
def test_two_delegates_word_files_that_overlap_in_a_sentence_are_bracketed(name: str, tmp_path: Path) -> None:
    folder = Path(__file__).parent / "delegates" / name
    root, _docx = build_base(tmp_path)
    for f in tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))["files"]:
        wtpf(
            "contribution",
            "add",
            str(folder / f["file"]),
            "--source",
            f["source"],
            "--received",
            f["received"],
            cwd=root,
        )
    report = json.loads(wtpf("merge", "--json", cwd=root).out)
    assert [(o["status"], o["bracketed"]) for o in report] == [("merged", 0), ("in-brackets", 1)]
    body = (root / "report.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == (folder / "expected.md").read_text(encoding="utf-8")


def test_edits_the_reading_of_a_file_left_out_are_counted_with_their_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support.cli import clean_env
    from wtpf_cli.merging import run
    from wtpf_cli.merging.blockmd import LeftOut
    from wtpf_cli.merging.proposals import Proposal, proposal_of
    from wtpf_cli.store.workspace import open_workspace

    root = stamped_workspace(tmp_path)
    path = revised(root, [["will discuss", "shall discuss"]], "1.md")
    wtpf("contribution", "add", str(path), "--source", "Brazil", "--received", "2012-05-10", cwd=root)
    for key, value in clean_env(root).items():
        monkeypatch.setenv(key, value)

    def with_a_colour(*args: Any) -> Proposal:  # what the reading of a Word file says of a colour it cannot keep
        found = proposal_of(*args)
        return Proposal(
            found.body, found.warnings, found.reviewers, (LeftOut("colour", "RIPE", "Markdown has no colour"),)
        )

    monkeypatch.setattr(run, "proposal_of", with_a_colour)
    [outcome] = run.merge_contributions(open_workspace(root))
    assert (outcome.applied, len(outcome.conflicts), len(outcome.left_out)) == (1, 0, 1)
    assert outcome.as_json()["left_out_edits"] == [
        {"kind": "mapping", "text": "colour of 'RIPE'", "reason": "Markdown has no colour"}
    ]


@pytest.mark.parametrize(
    ("keep", "paragraph"),
    [
        ("Brazil", "1.1. The Forum shall discuss **the issues** raised in *Resolution 101*. It meets in Geneva.\n"),
        (
            "United States",
            "1.1. The Forum will discuss **the issues** raised\n\nin *Resolution 101*. It meets in Geneva.\n",
        ),
    ],
)
def test_a_paragraph_split_in_a_bracket_is_made_by_choosing_its_source_and_only_then(
    keep: str, paragraph: str, tmp_path: Path, stamped: Path
) -> None:
    root, _case, _report = merged_case("paragraph-split-in-an-edited-sentence", tmp_path, stamped)
    wtpf("resolve", "1", "--keep", keep, "--reason", "Agreed", cwd=root)
    assert paragraph in (root / "report.md").read_text(encoding="utf-8")


def test_paragraphs_deleted_by_resolving_a_bracket_leave_one_blank_line_between_their_neighbours(
    tmp_path: Path, stamped: Path
) -> None:
    root, _case, _report = merged_case("paragraphs-deleted-while-edited", tmp_path, stamped)
    wtpf("resolve", "1", "--keep", "United States", "--reason", "Agreed", cwd=root)
    body = (root / "report.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "It meets in Geneva.\n\n# 2 Status\n" in body


def test_a_passage_is_listed_on_one_line_with_a_pilcrow_for_each_paragraph_break() -> None:
    from wtpf_cli.merging.resolve import Passage

    passage = Passage(1, 0, 0, 3, (("Brazil", "raised\n  \nin the\nfirst"), ("ITU", "raised in")))
    assert passage.listing() == "Brazil: raised ¶ in the first  |  ITU: raised in"
