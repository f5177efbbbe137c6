"""init, stamp, versions, build and redline through the real command line, in real git repositories."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import zipfile
from pathlib import Path

import pytest

from support.cli import git, init_report, revise, wtpf


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = init_report(tmp_path, "Report of the Secretary-General")
    return root


def edit(root: Path, old: str, new: str) -> None:
    p = root / "report.md"
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new), encoding="utf-8")


def test_init_creates_a_repository_with_settings_draft_and_first_commit_without_a_git_user(ws: Path) -> None:
    assert (ws / ".git").is_dir()
    toml = (ws / "wtpf.toml").read_text(encoding="utf-8")
    assert 'symbol_prefix = "WTPF-IEG/1"' in toml and '"Preliminary Second Draft"' in toml
    assert (ws / "report.md").read_text(encoding="utf-8").startswith("---\ntitle: Report of the Secretary-General\n")
    log = git("log", "--format=%an <%ae>|%s", cwd=ws).strip().splitlines()
    assert len(log) == 1 and log[0].startswith("ITU Secretariat <")
    assert git("status", "--porcelain", cwd=ws) == ""


def test_init_from_a_file_without_front_matter_adds_one(tmp_path: Path) -> None:
    src = tmp_path / "mine.md"
    src.write_text("# 1 Introduction\n\n1.1. Our text.\n", encoding="utf-8")
    wtpf("init", "r", "--title", "T", "--symbol-prefix", "X/1", "--from", str(src), cwd=tmp_path)
    text = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: T\n") and text.endswith("# 1 Introduction\n\n1.1. Our text.\n")


def test_init_refuses_an_existing_workspace(ws: Path) -> None:
    r = wtpf("init", str(ws), "--title", "T", "--symbol-prefix", "X", cwd=ws.parent, check=4)
    assert "already exists" in r.err and "Traceback" not in r.err


def test_stamp_next_writes_front_matter_commits_and_tags_in_the_report_namespace(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    text = (ws / "report.md").read_text(encoding="utf-8")
    assert "version: First Draft\nsymbol: WTPF-IEG/1/1\ndate: '2012-04-13'" in text
    assert git("tag", "--list", cwd=ws).split() == ["wtpf-ieg-1/first-draft"]
    assert git("cat-file", "-t", "wtpf-ieg-1/first-draft", cwd=ws).strip() == "tag"  # annotated
    revise(ws)
    wtpf("stamp", "next", "--symbol", "WTPF-IEG/1/9", "--date", "2012-06-01", cwd=ws)
    assert "version: Preliminary Second Draft\nsymbol: WTPF-IEG/1/9" in (ws / "report.md").read_text()


def test_stamp_refuses_a_dirty_tree_and_changes_nothing(ws: Path) -> None:
    edit(ws, "Replace this text", "Replace that text")
    before = git("rev-parse", "HEAD", cwd=ws)
    r = wtpf("stamp", "next", cwd=ws, check=4)
    assert "uncommitted changes" in r.err and r.err.count("\n") == 1
    assert git("rev-parse", "HEAD", cwd=ws) == before
    assert git("tag", "--list", cwd=ws) == ""


def test_stamp_refuses_a_name_already_stamped_and_offers_a_reissue(ws: Path) -> None:
    wtpf("stamp", "First Draft", "--date", "2012-04-13", cwd=ws)
    r = wtpf("stamp", "first-draft", cwd=ws, check=4)
    assert "already stamped" in r.err and "--reissue" in r.err
    wtpf("stamp", "First Draft", "--reissue", "--date", "2012-04-20", cwd=ws)
    text = (ws / "report.md").read_text(encoding="utf-8")
    assert "version: First Draft (Rev.1)\nsymbol: WTPF-IEG/1/1(Rev.1)" in text
    wtpf("stamp", "First Draft", "--reissue", "--date", "2012-04-21", cwd=ws)
    assert "version: First Draft (Rev.2)" in (ws / "report.md").read_text(encoding="utf-8")


def test_stamp_refuses_a_symbol_already_used_and_a_date_before_the_previous_version(ws: Path) -> None:
    wtpf("stamp", "next", "--symbol", "WTPF-IEG/1/2", "--date", "2012-04-13", cwd=ws)
    revise(ws)
    r = wtpf("stamp", "next", "--symbol", "WTPF-IEG/1/2", "--date", "2012-06-01", cwd=ws, check=4)
    assert "symbol WTPF-IEG/1/2 is already given, to version First Draft" in r.err
    r = wtpf("stamp", "next", "--date", "2012-04-01", cwd=ws, check=2)
    assert "before the previous version" in r.err
    r = wtpf("stamp", "Sixth Draft", cwd=ws, check=2)
    assert "not in the ladder" in r.err


def test_versions_lists_words_changes_and_sources_since_the_previous_version(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    edit(ws, "Replace this text with the first draft.", "Brazil proposes new text here.")
    git("-c", "user.name=Brazil", "-c", "user.email=wtpf@brazil.example", "commit", "-qam", "Brazil", cwd=ws)
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=ws)
    rows = json.loads(wtpf("versions", "--json", cwd=ws).out)
    assert [r["name"] for r in rows] == ["First Draft", "Preliminary Second Draft"]
    assert rows[1]["symbol"] == "WTPF-IEG/1/2" and rows[1]["date"] == "2012-06-01"
    assert rows[1]["changes"] == 2  # Brazil's commit and the stamp
    assert rows[1]["sources"] == ["Test", "ITU Secretariat"] or "Brazil" in rows[1]["sources"]
    assert rows[1]["words"] > 10


def test_build_writes_a_safely_named_docx_with_cover_header_and_core_properties(ws: Path) -> None:
    wtpf("stamp", "next", "--symbol", "WTPF-IEG/1/2", "--date", "2012-04-13", cwd=ws)
    wtpf("build", "First Draft", cwd=ws)
    out = ws / "WTPF-IEG-1-2_First-Draft.docx"
    with zipfile.ZipFile(out) as z:
        core = z.read("docProps/core.xml").decode()
        header = z.read("word/header1.xml").decode()
        doc = z.read("word/document.xml").decode()
    assert "<dc:title>Report of the Secretary-General</dc:title>" in core
    assert "<dc:subject>First Draft</dc:subject>" in core and "<cp:keywords>WTPF-IEG/1/2</cp:keywords>" in core
    assert "WTPF-IEG/1/2 — First Draft" in header
    assert 'w:val="CoverSymbol"' in doc and "13 April 2012" in doc and "Original: English" in doc
    assert "<w:ins " not in doc and "<w:del " not in doc


def test_build_markdown_gives_the_version_as_committed(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    committed = git("show", "wtpf-ieg-1/first-draft:report.md", cwd=ws)
    edit(ws, "Replace this text", "Changed later")
    wtpf("build", "first-draft", "--format", "md", "-o", "v1.md", cwd=ws)
    assert (ws / "v1.md").read_text(encoding="utf-8") == committed


def test_an_unknown_version_is_refused_with_the_closest_name(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    r = wtpf("redline", "Frist Draft", cwd=ws, check=4)
    assert r.err.strip() == "wtpf: no version or git revision named 'Frist Draft'; did you mean 'First Draft'?"


def test_a_version_name_that_looks_like_an_option_never_reaches_git_as_one(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    target = ws.parent / "leaked.txt"
    r = wtpf("redline", "--", f"--output={target}", cwd=ws, check=4)
    assert f"no version or git revision named '--output={target}'" in r.err
    assert not target.exists()


def test_redline_counts_uncommitted_edits_as_the_secretariats(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    edit(ws, "Replace this text", "Revise this text")
    r = wtpf("redline", "First Draft", "--format", "text", cwd=ws)
    assert "Sources: ■ ITU Secretariat" in r.out
    assert "[-Replace-]{+Revise+}<ITU Secretariat> this text" in r.out


def test_redline_single_author_puts_every_change_under_one_name(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    edit(ws, "Replace this text", "Revise this text")
    git("-c", "user.name=Brazil", "-c", "user.email=b@example.org", "commit", "-qam", "b", cwd=ws)
    wtpf("redline", "First Draft", "-o", "r.docx", "--single-author", "Compare", cwd=ws)
    doc = zipfile.ZipFile(ws / "r.docx").read("word/document.xml").decode()
    assert 'w:author="Compare"' in doc and 'w:author="Brazil"' not in doc


def test_two_reports_share_one_repository_with_separate_tags(tmp_path: Path) -> None:
    git("init", "-q", "-b", "main", str(tmp_path / "repo"), cwd=tmp_path)
    repo = tmp_path / "repo"
    wtpf("init", "a", "--title", "A", "--symbol-prefix", "WTPF-IEG/1", cwd=repo)
    wtpf("init", "b", "--title", "B", "--symbol-prefix", "CWG-WSIS/2", cwd=repo)
    wtpf("-C", "a", "stamp", "next", "--date", "2012-04-13", cwd=repo)
    wtpf("-C", "b", "stamp", "next", "--date", "2012-04-14", cwd=repo)
    assert sorted(git("tag", "--list", cwd=repo).split()) == [
        "cwg-wsis-2/first-draft",
        "wtpf-ieg-1/first-draft",
    ]
    rows = json.loads(wtpf("-C", "b", "versions", "--json", cwd=repo).out)
    assert [r["symbol"] for r in rows] == ["CWG-WSIS/2/1"]


def test_a_history_with_a_merge_commit_gives_a_redline(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    git("checkout", "-q", "-b", "side", cwd=ws)
    edit(ws, "Contributions received", "All contributions received")
    git("-c", "user.name=Brazil", "-c", "user.email=b@example.org", "commit", "-qam", "side", cwd=ws)
    git("checkout", "-q", "main", cwd=ws)
    edit(ws, "Replace this text", "Revise this text")
    git("-c", "user.name=ARIN", "-c", "user.email=a@example.org", "commit", "-qam", "main", cwd=ws)
    git(
        "-c",
        "user.name=ITU Secretariat",
        "-c",
        "user.email=s@example.org",
        "merge",
        "-q",
        "--no-edit",
        "side",
        cwd=ws,
    )
    r = wtpf("redline", "First Draft", "HEAD", "--format", "text", cwd=ws)
    # The merged side's change is attributed to the author of the merge commit (first-parent walk).
    assert "ARIN" in r.out and "ITU Secretariat" in r.out and "All" in r.out


def test_help_and_version_work_and_errors_are_one_line(tmp_path: Path) -> None:
    assert "redline" in wtpf("--help", cwd=tmp_path).out
    assert wtpf("--version", cwd=tmp_path).out.startswith("wtpf ")
    r = wtpf("versions", cwd=tmp_path, check=4)
    assert r.err.count("\n") == 1 and "wtpf init" in r.err
    r = wtpf("build", "--format", "rtf", cwd=tmp_path, check=2)  # a usage error, before the workspace is looked for
    assert r.err.count("\n") == 1 and "'rtf' is not one of 'docx', 'html', 'md', 'pdf'" in r.err
    r = wtpf("stamp", cwd=tmp_path, check=2)
    assert "Missing argument" in r.err


def test_a_stamp_that_fails_at_the_tag_leaves_draft_index_and_refs_as_they_were(ws: Path) -> None:
    # A file where the tag namespace folder should be makes `git tag` fail after the stamp's commit.
    (ws / ".git" / "refs" / "tags" / "wtpf-ieg-1").write_text("in the way\n")
    draft_before = (ws / "report.md").read_bytes()
    head_before = git("rev-parse", "HEAD", cwd=ws)
    r = wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws, check=4)
    assert "git update-ref failed" in r.err and "first-draft" in r.err and r.err.count("\n") == 1
    assert git("rev-parse", "HEAD", cwd=ws) == head_before
    assert (ws / "report.md").read_bytes() == draft_before
    assert git("status", "--porcelain", cwd=ws) == ""
    assert not (ws / ".git" / "wtpf.lock").exists()


def test_a_second_wtpf_writing_at_the_same_time_is_refused(ws: Path) -> None:
    (ws / ".git" / "wtpf.lock").write_text(f"{os.getpid()}\n")  # a live process holds it
    r = wtpf("stamp", "next", cwd=ws, check=4)
    assert f"another wtpf is running (process {os.getpid()})" in r.err and r.err.count("\n") == 1
    assert git("tag", "--list", cwd=ws) == ""
    assert (ws / ".git" / "wtpf.lock").read_text() == f"{os.getpid()}\n"  # not ours to remove


def test_a_lock_left_by_a_killed_wtpf_is_taken_over_with_a_note(ws: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that no longer runs
    (ws / ".git" / "wtpf.lock").write_text(f"{dead.pid} {socket.gethostname()}\n")
    r = wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    assert f"took over {ws / '.git' / 'wtpf.lock'} left by wtpf process {dead.pid}" in r.err
    assert git("tag", "--list", cwd=ws).split() == ["wtpf-ieg-1/first-draft"]
    assert not (ws / ".git" / "wtpf.lock").exists()


def test_written_files_are_readable_by_others_as_the_umask_allows(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    wtpf("build", "-o", "out.docx", cwd=ws)
    umask = os.umask(0)
    os.umask(umask)
    for name in ("report.md", "wtpf.toml", "out.docx"):
        assert (ws / name).stat().st_mode & 0o777 == 0o666 & ~umask, name
