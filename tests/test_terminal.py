"""What the terminal and a CI log show: results on stdout and diagnostics on stderr, the text redline with visible
marks where there is no colour, tables never cut, errors on one line, `-o` as a user means it, and a `--help`
with an example for every command."""

from __future__ import annotations

import functools
import os
import pty
import select
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
import typer.main

from support.cli import clean_env, git, init_report, revise, wtpf
from wtpf_cli.cli import app


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A First Draft, then Brazil's change ("may" -> "shall") committed under Brazil's name."""
    root = init_report(tmp_path, "Report of the Secretary-General")
    revise(root, "2.2. The Forum may discuss the issues raised in Resolution 101.")
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    text = (root / "report.md").read_text(encoding="utf-8").replace("may discuss", "shall discuss")
    (root / "report.md").write_text(text, encoding="utf-8")
    git("-c", "user.name=Brazil", "-c", "user.email=wtpf@brazil.example", "commit", "-qam", "Brazil", cwd=root)
    return root


def on_terminal(args: list[str], cwd: Path, **env: str) -> str:
    """`wtpf ARGS` with its stdout on a terminal (a pseudo-terminal 100 columns wide); what it printed there."""
    main, child = pty.openpty()
    environ = {k: v for k, v in clean_env(cwd).items() if k != "NO_COLOR"} | {"TERM": "xterm", "COLUMNS": "100"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wtpf_cli", *args], cwd=cwd, env=environ | env, stdout=child, stderr=subprocess.PIPE
    )
    os.close(child)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        try:
            chunk = os.read(main, 65536) if ready else b""
        except OSError:  # the terminal closed: the command is done
            chunk = b""
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert proc.wait(timeout=60) == 0
    return out.decode("utf-8", "replace")


def test_the_text_redline_in_a_pipe_marks_each_change_and_names_its_source(ws: Path) -> None:
    r = wtpf("redline", "First Draft", "--format", "text", "--changed-only", cwd=ws)
    assert "2.2. The Forum [-may-]{+shall+}<Brazil> discuss the issues raised in Resolution 101." in r.out
    assert "\x1b[" not in r.out and r.err == ""
    wtpf("redline", "First Draft", "-o", "changes.txt", "--changed-only", cwd=ws)  # the same, to a file
    assert (ws / "changes.txt").read_text(encoding="utf-8") == r.out


def test_the_text_redline_is_coloured_on_a_terminal_and_marked_there_with_no_color(ws: Path) -> None:
    coloured = on_terminal(["redline", "First Draft", "--format", "text", "--changed-only"], ws)
    assert "\x1b[" in coloured and "{+shall+}" not in coloured and "shall" in coloured
    plain = on_terminal(["redline", "First Draft", "--format", "text", "--changed-only"], ws, NO_COLOR="1")
    assert "[-may-]{+shall+}<Brazil>" in plain


def test_tables_give_every_id_symbol_and_date_whole_in_a_pipe_and_on_a_narrow_terminal(ws: Path) -> None:
    letter = ws.parent / "letter.md"
    letter.write_text("The Russian Federation proposes a new chapter on security.\n", encoding="utf-8")
    source = "Russian Federation Ministry of Digital Development"
    wtpf("contribution", "add", str(letter), "--source", source, "--received", "2012-05-07", cwd=ws)
    ident = "2012-05-07-russian-federation-ministry-of-digital-development"
    listed = wtpf("contribution", "list", cwd=ws).out
    assert ident in listed and source in listed and "…" not in listed
    assert listed.splitlines()[0].split() == ["Id", "Source", "Symbol", "Received", "On", "Kind", "Disposition"]
    versions = wtpf("versions", cwd=ws).out
    assert "WTPF-IEG/1/1  2012-04-13" in versions and "wtpf-ieg-1/first-draft" in versions
    drawn = on_terminal(["contribution", "list"], ws, COLUMNS="60")
    first_column = "".join(line.split("│")[1].strip() for line in drawn.splitlines() if line.startswith("│"))
    assert "…" not in drawn and first_column == ident  # folded onto the next lines, never cut


def test_results_go_to_stdout_and_only_diagnostics_to_stderr(ws: Path) -> None:
    for args in (("build", "-o", "x.docx"), ("redline", "First Draft", "-o", "r.docx"), ("versions",)):
        r = wtpf(*args, cwd=ws)
        assert r.out and r.err == "", args
    r = wtpf("stamp", "next", "--date", "2012-06-01", cwd=ws)
    assert r.out.startswith("Stamped Preliminary Second Draft as WTPF-IEG/1/2") and r.err == ""
    r = wtpf("redline", "Preliminary Second Draft", "First Draft", "-o", "back.docx", cwd=ws)
    assert r.out.startswith("Wrote ") and r.err.startswith("warning: FROM, Preliminary Second Draft")
    assert "shows the changes reversed" in r.err


def test_merge_prints_its_accounts_on_stdout_and_a_refusal_as_one_line(ws: Path) -> None:
    copy = ws.parent / "arin.md"
    copy.write_text((ws / "report.md").read_text(encoding="utf-8").replace("Resolution 101", "Res. 101"), "utf-8")
    wtpf("contribution", "add", str(copy), "--source", "ARIN", "--received", "2012-05-15", cwd=ws)
    (ws / "report.md").write_text((ws / "report.md").read_text(encoding="utf-8") + "\nmore\n", encoding="utf-8")
    r = wtpf("merge", cwd=ws, check=4)
    assert r.err.startswith("wtpf: uncommitted changes") and r.err.count("\n") == 1 and r.out == ""
    git("checkout", "report.md", cwd=ws)
    r = wtpf("merge", cwd=ws)
    assert r.out.startswith("2012-05-15-arin (ARIN): merged - 1 applied, 0 in brackets, 0 left out") and r.err == ""


def test_a_git_lock_is_named_as_the_file_to_remove(ws: Path) -> None:
    (ws / "report.md").write_text((ws / "report.md").read_text(encoding="utf-8") + "\nmore\n", encoding="utf-8")
    lock = ws / ".git" / "index.lock"
    lock.write_bytes(b"")
    r = wtpf("commit", "--source", "Brazil", "-m", "edit", cwd=ws, check=4)
    assert r.err.count("\n") == 1 and f"{lock} exists" in r.err and "hint" not in r.err
    r = wtpf("stamp", "next", cwd=ws, check=4)
    assert r.err.count("\n") == 1 and f"{lock} exists" in r.err


@pytest.mark.skipif(os.geteuid() != 0, reason="giving the repository to another user needs root")
def test_a_repository_of_another_user_is_refused_as_dubious_ownership_in_one_line(ws: Path) -> None:
    subprocess.run(["chown", "-R", "65534:65534", str(ws)], check=True)
    r = wtpf("versions", cwd=ws, check=4)
    assert r.err.count("\n") == 1 and "dubious ownership" in r.err
    assert f"git config --global --add safe.directory {ws}" in r.err


def test_output_to_a_name_ending_in_a_slash_makes_the_folder_and_writes_inside_it(ws: Path) -> None:
    r = wtpf("build", "First Draft", "-o", "posted/", cwd=ws)
    written = ws / "posted" / "WTPF-IEG-1-1_First-Draft.docx"
    assert written.is_file() and zipfile.is_zipfile(written) and str(written.relative_to(ws)) in r.out
    wtpf("redline", "First Draft", "-o", "posted/redlines/", cwd=ws)
    assert [p.suffix for p in (ws / "posted" / "redlines").iterdir()] == [".docx"]


def test_the_output_extension_picks_the_format_and_a_contradicting_format_is_a_usage_error(ws: Path) -> None:
    wtpf("build", "-o", "page.html", cwd=ws)
    assert (ws / "page.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    wtpf("redline", "First Draft", "-o", "marks.html", cwd=ws)
    assert "<html" in (ws / "marks.html").read_text(encoding="utf-8")
    wtpf("build", "-o", "draft.md", cwd=ws)
    assert (ws / "draft.md").read_bytes() == (ws / "report.md").read_bytes()
    r = wtpf("build", "-o", "page.html", "--format", "docx", cwd=ws, check=2)
    assert r.err == "wtpf: -o page.html names a .html file but --format is docx: give one of the two\n"
    r = wtpf("redline", "First Draft", "-o", "r.md", cwd=ws, check=2)
    assert "this command writes docx, html, text, pdf, not .md" in r.err
    wtpf("contribution", "list", "-o", "annex.md", cwd=ws)
    assert (ws / "annex.md").read_text(encoding="utf-8").startswith("---\n")


def test_a_version_on_the_ladder_not_yet_stamped_and_a_misspelt_rung_are_named(ws: Path) -> None:
    r = wtpf("redline", "Fourth Draft", cwd=ws, check=4)
    assert "Fourth Draft is on the ladder but not stamped yet (stamped so far: First Draft)" in r.err
    r = wtpf("redline", "Fourth Drafts", cwd=ws, check=4)
    assert "did you mean 'Fourth Draft'? (Fourth Draft is not stamped yet)" in r.err
    r = wtpf("stamp", "Second Drafts", cwd=ws, check=2)
    assert "did you mean 'Second Draft'?" in r.err and r.err.count("\n") == 1


@functools.cache
def helps() -> dict[str, str]:
    """The `--help` of every command (and of the program), as a terminal 200 columns wide shows it."""
    group = typer.main.get_command(app)
    names = [()] + [(n,) for n, c in group.commands.items() if not hasattr(c, "commands")]  # type: ignore[attr-defined]
    names += [("contribution", n) for n in group.commands["contribution"].commands]  # type: ignore[attr-defined]
    here = Path(tempfile.gettempdir())  # not the project's root, whose wtpf_cli `python -m` would take first
    return {" ".join(n): wtpf(*n, "--help", cwd=here).out for n in names}


def test_every_commands_help_has_an_example() -> None:
    missing = [name for name, text in helps().items() if name and "Example" not in text]
    assert len(helps()) == 20 and missing == []  # (publish among them)


def test_flags_are_shown_as_flags_without_a_value_type() -> None:
    shown = {name: text for name, text in helps().items() if "<bool>" in text}
    assert shown == {}
    assert "--json " in helps()["versions"] and "--reissue " in helps()["stamp"]
