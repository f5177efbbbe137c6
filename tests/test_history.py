"""The git boundary (wtpf_cli/store/git.py) against plain git in real repositories, and the commands that run without
loading a git library at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.cli import clean_env, git, init_report, wtpf
from wtpf_cli.errors import WorkspaceStateError
from wtpf_cli.store.git import History, Identity


def modules_imported(args: list[str], cwd: Path) -> set[str]:
    """The modules `wtpf ARGS` imports, read from `python -X importtime` (the command must succeed)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wtpf_cli", *args],
        cwd=cwd,
        env=clean_env(cwd),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"wtpf {' '.join(args)}: exit {proc.returncode}\n{proc.stderr[-2000:]}"
    lines = [line for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line]
    names = {line.rsplit("|", 1)[1].strip() for line in lines}
    assert "wtpf_cli.store.git" in names  # the listing is real: the git boundary itself was loaded
    return names


def test_the_everyday_commands_never_load_a_git_library(tmp_path: Path) -> None:
    ws = init_report(tmp_path)
    (ws / "report.md").write_text((ws / "report.md").read_text(encoding="utf-8") + "\nA new paragraph.\n")
    git("commit", "-qam", "Text", cwd=ws)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    text = (ws / "report.md").read_text(encoding="utf-8")
    proposal = tmp_path / "proposal.md"
    proposal.write_text(text.replace("A new paragraph.", "A better paragraph."), encoding="utf-8")
    wtpf("contribution", "add", str(proposal), "--source", "Brazil", "--received", "2012-05-11", cwd=ws)
    out = tmp_path / "out"
    out.mkdir()
    for args in (
        ["versions"],
        ["status"],
        ["merge"],
        ["build", "-o", str(out / "draft.docx")],
        ["redline", "latest", "-o", str(out / "redline.docx")],
        ["blame"],
        ["check"],
    ):
        loaded = modules_imported(args, ws)
        git_modules = sorted(n for n in loaded if n in ("git", "gitdb", "smmap") or n.startswith(("git.", "gitdb.")))
        assert git_modules == [], f"wtpf {args[0]} loaded {git_modules}"
    assert "Brazil" in git("log", "-1", "--format=%an", cwd=ws)  # the merge did record its commit


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git("init", "-q", "-b", "main", cwd=root)
    (root / "sub").mkdir()
    (root / "sub" / "a.txt").write_bytes(b"one\ntwo\n")
    (root / "line\nfeed.txt").write_bytes(b"odd name\n")
    (root / "trail\r").write_bytes(b"carriage return\n")
    git("add", "--all", cwd=root)
    message = "First line of a subject\nthat git would join\n\nBody text.\n"
    git("commit", "-q", "--author", "Ana Ruiz <ana@example.org>", "-m", message, cwd=root)
    return root


@pytest.fixture(autouse=True)
def _no_user_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))


def test_a_repository_is_found_from_a_subfolder_and_a_file_in_it(repo: Path) -> None:
    for start in (repo / "sub", repo / "sub" / "a.txt"):
        found = History.find(start)
        assert found is not None
        assert found.root == repo.resolve()
        assert found.git_dir.resolve() == (repo / ".git").resolve()


def test_no_repository_is_found_outside_one_or_in_a_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # the temp folder may sit inside some repository
    assert History.find(lone) is None
    assert History.find(tmp_path / "missing") is None


def test_a_new_repository_starts_on_main(tmp_path: Path) -> None:
    made = History.create(tmp_path / "new" / "repo")
    assert made.root == (tmp_path / "new" / "repo").resolve()
    assert git("symbolic-ref", "HEAD", cwd=made.root).strip() == "refs/heads/main"
    assert made.head() is None and made.branch() == "main"


def test_commit_info_gives_the_first_line_of_the_message_and_the_author(repo: Path) -> None:
    h = History.find(repo)
    assert h is not None
    sha = git("rev-parse", "HEAD", cwd=repo).strip()
    info = h.commit_info(sha)
    assert (info.sha, info.author.name, info.author.email) == (sha, "Ana Ruiz", "ana@example.org")
    assert info.subject == "First line of a subject" and info.parents == 0
    assert info.date == git("log", "-1", "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "--format=%ad", cwd=repo).strip()


def test_the_commit_that_took_a_line_out_is_the_one_after_the_last_that_held_it(repo: Path) -> None:
    path = repo / "sub" / "a.txt"
    shas = [git("rev-parse", "HEAD", cwd=repo).strip()]
    for text, who in ((b"one\ntwo\nthree\n", "Bo"), (b"two\nthree\n", "Cy"), (b"two\n3\n", "Di")):
        path.write_bytes(text)
        git("commit", "-qam", "edit", "--author", f"{who} <{who}@example.org>", cwd=repo)
        shas.append(git("rev-parse", "HEAD", cwd=repo).strip())
    h = History.find(repo)
    assert h is not None
    # At the first commit: 'one' (taken out by Cy), 'two' (still there at the last).
    assert h.removed_lines(shas[0], shas[3], "sub/a.txt") == [shas[2], None]
    assert h.removed_lines(shas[0], shas[1], "sub/a.txt") == [None, None]
    assert h.removed_lines(shas[0], shas[0], "sub/a.txt") == []
    # At the second: 'one' taken out by Cy, 'three' changed by Di.
    assert h.removed_lines(shas[1], shas[3], "sub/a.txt") == [shas[2], None, shas[3]]


def test_files_are_read_by_path_and_absent_paths_and_folders_give_none(repo: Path) -> None:
    h = History.find(repo)
    assert h is not None
    sha = git("rev-parse", "HEAD", cwd=repo).strip()
    assert h.read_file(sha, "sub/a.txt") == b"one\ntwo\n"
    assert h.read_file(sha, "line\nfeed.txt") == b"odd name\n"
    assert h.read_file(sha, "trail\r") == b"carriage return\n"
    assert h.read_file(sha, "trail") is None
    assert h.read_file(sha, "sub/missing.txt") is None and h.read_file(sha, "sub") is None
    assert h.blob_id(sha, "sub/a.txt") == git("rev-parse", "HEAD:sub/a.txt", cwd=repo).strip()
    assert h.blob_id(sha, "line\nfeed.txt") == git("hash-object", "line\nfeed.txt", cwd=repo).strip()
    assert h.blob_id(sha, "sub/missing.txt") is None
    blob = git("rev-parse", "HEAD:sub/a.txt", cwd=repo).strip()
    assert h.read_files([sha, sha], "sub/a.txt") == [(blob, b"one\ntwo\n")] * 2  # the same process, in step
    assert h.read_files([sha, "no-such-commit"], "sub/a.txt") == [(blob, b"one\ntwo\n"), None]
    h.close()


def test_versions_read_one_ahead_of_the_other_are_those_read_one_by_one(repo: Path) -> None:
    h = History.find(repo)
    assert h is not None
    shas = [git("rev-parse", "HEAD", cwd=repo).strip()]
    for n in range(3):
        (repo / "sub" / "a.txt").write_bytes(b"line\n" * (n + 1) * 50_000)  # more than a pipe holds at once
        git("commit", "-qam", f"Edit {n}", cwd=repo)
        shas.append(git("rev-parse", "HEAD", cwd=repo).strip())
    wanted = [*shas, "no-such-commit", shas[0]]
    expected = [h.read_file(sha, "sub/a.txt") for sha in wanted]
    ahead = h.read_files_ahead(wanted, "sub/a.txt")
    assert [None if got is None else got[1] for got in ahead] == expected
    assert [None if got is None else got[1] for got in h.read_files_ahead(shas, "line\nfeed.txt")] == [
        h.read_file(sha, "line\nfeed.txt") for sha in shas
    ]
    h.close()


def test_a_revision_that_looks_like_an_option_is_not_one(repo: Path) -> None:
    h = History.find(repo)
    assert h is not None
    assert h.resolve("--all") is None and h.resolve("-h") is None
    assert h.resolve("HEAD") == git("rev-parse", "HEAD", cwd=repo).strip()


def test_a_failing_git_command_is_a_workspace_error_with_gits_reason(repo: Path) -> None:
    h = History.find(repo)
    assert h is not None
    with pytest.raises(WorkspaceStateError, match=r"^git log failed: bad object 0+1$"):
        h.commits_touching(None, "0" * 39 + "1", "sub/a.txt")


PATHS = st.lists(st.sampled_from(["a", "b", "x"]), min_size=1, max_size=3).map("/".join)
CHANGES = st.dictionaries(PATHS, st.sampled_from([None, "one", "two", "three"]), max_size=6)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(CHANGES, min_size=1, max_size=4))
def test_trees_built_by_mktree_are_those_of_a_private_index(repo: Path, commits: list[dict[str, str | None]]) -> None:
    """Commits chained as a merge makes them: files added, changed, removed, a file where a folder was and the
    reverse; each tree is compared with the one update-index and write-tree make of the same base and files."""
    h = History.find(repo)
    assert h is not None
    who = Identity("T", "t@example.org")
    blobs = {text: h.write_blob("f", text.encode()) for text in ("one", "two", "three")}
    tip: str | None = git("rev-parse", "HEAD", cwd=repo).strip()
    for files in commits:
        wanted = {path: (blobs[text] if text else None) for path, text in files.items()}
        try:
            expected: str | None = h.write_tree_indexed(tip, wanted)
        except WorkspaceStateError:
            expected = None  # git refuses (a file and a folder of one name in one commit): no tree to compare
        if expected is None:
            continue
        assert h.write_tree(tip, wanted) == expected
        tip = h.write_commit(expected, tip, "step", who, who, "2012-05-01")
    h.close()


def test_work_tree_files_are_hashed_with_their_filters_in_one_go(repo: Path) -> None:
    h = History.find(repo)
    assert h is not None
    (repo / ".gitattributes").write_text("*.crlf text eol=crlf\n")
    (repo / "w.crlf").write_bytes(b"x\r\ny\r\n")
    found = h.disk_blobs(["sub/a.txt", "w.crlf", "line\nfeed.txt", "gone.txt"])
    assert found["gone.txt"] is None
    for path in ("sub/a.txt", "w.crlf", "line\nfeed.txt"):
        assert found[path] == git("hash-object", "--", path, cwd=repo).strip(), path
    clean = subprocess.run(["git", "hash-object", "--stdin"], input=b"x\ny\n", capture_output=True, check=True)
    assert found["w.crlf"] == clean.stdout.decode().strip()  # stored as git stores it: line ends cleaned
    assert git("cat-file", "-t", found["w.crlf"], cwd=repo).strip() == "blob"  # stored


@pytest.mark.parametrize("autocrlf", [None, "true", "input"])
def test_blobs_are_stored_as_git_would_store_them_with_or_without_filters(repo: Path, autocrlf: str | None) -> None:
    if autocrlf is not None:
        git("config", "core.autocrlf", autocrlf, cwd=repo)
    (repo / ".gitattributes").write_text("*.crlf text eol=crlf\n*.lf text eol=lf\n")
    h = History.find(repo)
    assert h is not None
    data = b"one\r\ntwo\r\n"
    for path in ("report.md", "plain.txt", "w.crlf", "w.lf", "report.md", "sub/contribution.toml"):
        blob = h.write_blob(path, data)
        expected = subprocess.run(
            ["git", "hash-object", f"--path={path}", "--stdin"], cwd=repo, input=data, capture_output=True, check=True
        )
        assert blob == expected.stdout.decode().strip(), path
        assert git("cat-file", "-p", blob, cwd=repo).encode() in (data, b"one\ntwo\n")  # stored
    h.close()
