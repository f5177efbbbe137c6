"""Deliberate stamps (never of an unchanged draft, one symbol rule shared with `check`, no symbol given twice),
the tool's own commits under the secretariat's name, and source names checked where they enter."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support.cli import clean_env, git, init_report, revise, wtpf


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = init_report(tmp_path, "Report of the Secretary-General")
    revise(root, "2.2. The Forum may discuss the issues raised in Resolution 101.")
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    return root


def symbols(root: Path) -> list[str]:
    return [r["symbol"] for r in json.loads(wtpf("versions", "--json", cwd=root).out) if r["tag"]]


def test_stamp_next_refuses_a_draft_unchanged_since_the_last_stamp_and_reissue_posts_it_again(ws: Path) -> None:
    head = git("rev-parse", "HEAD", cwd=ws)
    r = wtpf("stamp", "next", "--date", "2012-06-01", cwd=ws, check=4)
    assert r.err.count("\n") == 1 and "the draft has not changed since First Draft (WTPF-IEG/1/1)" in r.err
    assert '`wtpf stamp "First Draft" --reissue`' in r.err and git("rev-parse", "HEAD", cwd=ws) == head
    wtpf("stamp", "First Draft", "--reissue", "--date", "2012-04-20", cwd=ws)  # deliberate: the same text again
    assert symbols(ws) == ["WTPF-IEG/1/1", "WTPF-IEG/1/1(Rev.1)"]


@pytest.mark.parametrize(
    ("prefix", "given"),
    [("WTPF-IEG/1", ["WTPF-IEG/1/9", "WTPF-IEG/2/2"]), ("REG-EG", ["REG-EG/1/3", "REG-EG/2/1"])],
)
def test_stamp_and_check_share_one_symbol_rule_in_which_a_meeting_number_may_change(
    tmp_path: Path, prefix: str, given: list[str]
) -> None:
    root = tmp_path / "report"
    wtpf("init", str(root), "--title", "T", "--symbol-prefix", prefix, "--secretariat", "ITU Secretariat", cwd=tmp_path)
    assert 'symbol_rule = "series"' in (root / "wtpf.toml").read_text(encoding="utf-8")
    for n, symbol in enumerate(given):
        revise(root, f"2.{n + 2}. More text.")
        wtpf("stamp", "next", "--symbol", symbol, "--date", f"2012-0{n + 4}-01", cwd=root)
        assert json.loads(wtpf("check", "--json", cwd=root).out) == []
    revise(root, "2.9. Yet more text.")
    wtpf("stamp", "next", "--date", "2012-09-01", cwd=root)  # the next number of the last symbol's series
    series, number = given[-1].rsplit("/", 1)
    assert symbols(root)[-1] == f"{series}/{int(number) + 1}"


def test_a_symbol_rule_of_the_prefix_as_written_refuses_the_next_meetings_series(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    toml = (root / "wtpf.toml").read_text(encoding="utf-8").replace('symbol_rule = "series"', 'symbol_rule = "prefix"')
    (root / "wtpf.toml").write_text(toml, encoding="utf-8")
    git("commit", "-qam", "symbols of this meeting only", cwd=root)
    r = wtpf("stamp", "next", "--symbol", "WTPF-IEG/2/2", cwd=root, check=2)
    assert "does not follow [report].symbol_prefix: WTPF-IEG/1/N" in r.err and "'prefix'" in r.err


def test_a_symbol_is_never_given_twice_to_versions_or_contributions(ws: Path) -> None:
    letter = ws.parent / "letter.md"
    letter.write_text("Brazil thanks the Secretariat for the first draft.\n", encoding="utf-8")
    add = ("contribution", "add", str(letter), "--received", "2012-05-11")
    r = wtpf(*add, "--source", "Brazil", "--symbol", "WTPF-IEG/1/1", cwd=ws, check=4)
    assert "symbol WTPF-IEG/1/1 is already given, to version First Draft" in r.err
    wtpf(*add, "--source", "Brazil", "--symbol", "WTPF-IEG/1/4", cwd=ws)
    r = wtpf(*add, "--source", "Egypt", "--symbol", "WTPF-IEG/1/4", cwd=ws, check=4)
    assert "is already given, to 2012-05-11-brazil from Brazil" in r.err
    revise(ws)
    r = wtpf("stamp", "next", "--symbol", "WTPF-IEG/1/4", cwd=ws, check=4)
    assert "already given, to the contribution 2012-05-11-brazil from Brazil" in r.err
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=ws)
    assert symbols(ws) == ["WTPF-IEG/1/1", "WTPF-IEG/1/5"]  # after Brazil's 4, not 2


def test_the_tools_own_commits_are_the_secretariats_with_the_git_user_as_committer(ws: Path) -> None:
    git("config", "user.name", "Jane Staff", cwd=ws)
    git("config", "user.email", "jane@staff.example", cwd=ws)

    def staff_commit(text: str) -> None:  # by hand, as the repository's git user
        (ws / "report.md").write_text((ws / "report.md").read_text(encoding="utf-8") + text, encoding="utf-8")
        subprocess.run(["git", "commit", "-qam", "staff"], cwd=ws, env=clean_env(ws), check=True)

    staff_commit("\n2.3. Text by the staff.\n")
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=ws)
    assert git("log", "-1", "--format=%an|%cn", cwd=ws).strip() == "ITU Secretariat|Jane Staff"
    staff_commit("\n[[A: x]] [[B: y]]\n")
    wtpf("resolve", "1", "--text", "z", "--reason", "Agreed", cwd=ws)
    assert git("log", "-1", "--format=%an|%cn", cwd=ws).strip() == "ITU Secretariat|Jane Staff"
    r = wtpf("redline", "Preliminary Second Draft", "--format", "text", cwd=ws)
    assert r.out.startswith("Sources: ■ Jane Staff  ■ ITU Secretariat\n")  # the hand commit only
    toml = (ws / "wtpf.toml").read_text(encoding="utf-8")
    (ws / "wtpf.toml").write_text(
        toml.replace("[identities]\n", '[identities]\n"@staff.example" = "ITU Secretariat"\n')
    )
    subprocess.run(["git", "commit", "-qam", "our staff"], cwd=ws, env=clean_env(ws), check=True)
    rows = json.loads(wtpf("versions", "--json", cwd=ws).out)
    assert [r["sources"] for r in rows] == [["ITU Secretariat", "Test"], ["ITU Secretariat"], ["ITU Secretariat"]]
    r = wtpf("redline", "Preliminary Second Draft", "--format", "text", cwd=ws)
    assert r.out.startswith("Sources: ■ ITU Secretariat\n")


def test_init_by_a_git_user_commits_the_first_draft_as_the_secretariat_with_the_git_user_as_committer(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "no-gitconfig").write_text("[user]\n\tname = Jane Staff\n\temail = jane@staff.example\n")  # her git
    args = ("--title", "Report", "--symbol-prefix", "WTPF-IEG/1", "--secretariat", "ITU Secretariat")
    wtpf("init", "report", *args, cwd=tmp_path, home=home)
    assert git("log", "-1", "--format=%an|%cn|%ce", cwd=tmp_path / "report").strip() == (
        "ITU Secretariat|Jane Staff|jane@staff.example"
    )


def test_declining_a_merged_contribution_is_refused_because_its_words_are_in_the_draft(ws: Path) -> None:
    copy = ws.parent / "brazil.md"
    copy.write_text((ws / "report.md").read_text(encoding="utf-8").replace("may discuss", "shall discuss"), "utf-8")
    wtpf("contribution", "add", str(copy), "--source", "Brazil", "--received", "2012-05-11", cwd=ws)
    wtpf("merge", cwd=ws)
    head = git("rev-parse", "HEAD", cwd=ws)
    r = wtpf("contribution", "decline", "2012-05-11-brazil", "--reason", "No", cwd=ws, check=4)
    assert r.err.count("\n") == 1 and "is merged: its words are in the draft" in r.err
    assert git("rev-parse", "HEAD", cwd=ws) == head


@pytest.mark.parametrize(
    ("name", "said"),
    [
        (".", "is not a name"),
        ("..", "is not a name"),
        ("Bra\nzil", "control character"),
        ("\x1b[31mRed", "control character"),
        ("Brazil <b@example.org>", "'<' or '>'"),
        ("x" * 245, "245 characters long"),
    ],
)
def test_a_source_name_that_cannot_be_one_is_refused_in_one_line(ws: Path, name: str, said: str) -> None:
    letter = ws.parent / "letter.md"
    letter.write_text("A letter.\n", encoding="utf-8")
    r = wtpf("contribution", "add", str(letter), "--source", name, cwd=ws, check=3)
    assert r.err.count("\n") == 1 and said in r.err and "\x1b" not in r.err
    assert not (ws / "contributions").exists()


def test_sources_named_in_other_scripts_keep_distinct_ids_and_emails(ws: Path) -> None:
    letter = ws.parent / "letter.md"
    letter.write_text("A letter.\n", encoding="utf-8")
    for source in ("中国", "مصر", "Россия"):
        wtpf("contribution", "add", str(letter), "--source", source, "--received", "2012-05-11", cwd=ws)
    listed = json.loads(wtpf("contribution", "list", "--json", cwd=ws).out)
    ids = [c["id"] for c in listed]
    assert len(set(ids)) == 3 and all(i.startswith("2012-05-11-") and i.isascii() and "-x" not in i for i in ids)
    from wtpf_cli.store.contributions import source_identity
    from wtpf_cli.store.workspace import open_workspace

    emails = {source_identity(open_workspace(ws), c["source"]).email for c in listed}
    assert len(emails) == 3
