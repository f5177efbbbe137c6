"""Markdown and workspace input: encodings, line ends, NUL bytes, size, invalid front matter or wtpf.toml, paths
leaving the repository, detached HEAD - through the real command line, in real git repositories."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from support.cli import git, init_report, wtpf
from wtpf_cli.store.files import uses_crlf

BODY = """# 1 Introduction

1.1. The Forum will discuss the report of the Secretary-General.

1.2. Contributions received from the membership are attributed to their source.
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = init_report(tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    (root / "report.md").write_text(text[: text.index("---\n", 4) + 4] + BODY, encoding="utf-8")
    git("commit", "-qam", "First draft text", cwd=root)
    return root


def commit_draft(ws: Path, data: bytes) -> None:
    (ws / "report.md").write_bytes(data)
    git("commit", "-qam", "Draft as the secretariat saved it", cwd=ws)


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_a_draft_that_is_not_utf8_is_refused_naming_the_file_the_byte_and_the_line(ws: Path) -> None:
    data = (ws / "report.md").read_bytes().replace(b"Secretary-General", b"Secr\xe9tary-General")
    commit_draft(ws, data)
    offset = data.index(b"\xe9")
    line = data[:offset].count(b"\n") + 1
    for args in (("stamp", "next"), ("build", "-o", "x.docx"), ("versions",)):
        err = one_line(wtpf(*args, cwd=ws, check=3).err)
        assert err == f"wtpf: {ws / 'report.md'}: not UTF-8 text: byte {offset} (line {line}) is 0xe9", args
    assert not (ws / "x.docx").exists()


def test_the_byte_offset_of_bad_utf8_counts_the_bom(ws: Path) -> None:
    data = b"\xef\xbb\xbf" + (ws / "report.md").read_bytes().replace(b"Forum", b"For\xffum")
    commit_draft(ws, data)
    err = one_line(wtpf("build", "-o", "x.docx", cwd=ws, check=3).err)
    bad = data.index(b"\xff")
    assert f"byte {bad} " in err and bad > 3


def test_a_draft_with_nul_bytes_is_refused_naming_the_line(ws: Path) -> None:
    data = (ws / "report.md").read_bytes().replace(b"1.2. Contributions", b"1.2. Contri\x00butions")
    commit_draft(ws, data)
    line = data[: data.index(b"\x00")].count(b"\n") + 1
    err = one_line(wtpf("stamp", "next", cwd=ws, check=3).err)
    assert err == f"wtpf: {ws / 'report.md'}: contains a NUL byte on line {line}: not a text file"
    assert git("tag", "--list", cwd=ws) == ""


def test_a_bom_is_accepted_and_kept_by_stamp(ws: Path) -> None:
    commit_draft(ws, b"\xef\xbb\xbf" + (ws / "report.md").read_bytes())
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    data = (ws / "report.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\ntitle: Report\nversion: First Draft\nsymbol: WTPF-IEG/1/1\n")
    assert data.count(b"\xef\xbb\xbf") == 1
    wtpf("build", "-o", "x.docx", cwd=ws)
    rows = json.loads(wtpf("versions", "--json", cwd=ws).out)
    assert rows[0]["symbol"] == "WTPF-IEG/1/1"


def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def assert_all_crlf(data: bytes) -> None:
    assert data.count(b"\n") == data.count(b"\r\n") > 10, data


def test_a_file_uses_crlf_only_when_every_line_feed_follows_a_carriage_return() -> None:
    assert uses_crlf(b"a\r\nb\r\n") and uses_crlf(b"a\r\nb")
    assert not any(map(uses_crlf, [b"a\r\nb\n", b"a\rb\n", b"a\r", b"a\nb\n", b""]))


def test_crlf_line_ends_are_kept_by_stamp_merge_and_resolve(ws: Path, tmp_path: Path) -> None:
    commit_draft(ws, crlf((ws / "report.md").read_bytes()))
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    data = (ws / "report.md").read_bytes()
    assert_all_crlf(data)
    assert b"version: First Draft\r\nsymbol: WTPF-IEG/1/1\r\n" in data
    # Two sources propose other words for "will" (their files with LF line ends, as most editors save them).
    for source, word, day in (("Brazil", "shall", "11"), ("United States", "may", "12")):
        path = tmp_path / f"{word}.md"
        path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"will discuss", f"{word} discuss".encode()))
        wtpf("contribution", "add", str(path), "--source", source, "--received", f"2012-05-{day}", cwd=ws)
    report = json.loads(wtpf("merge", "--json", cwd=ws).out)
    assert [r["status"] for r in report] == ["merged", "in-brackets"]
    merged = (ws / "report.md").read_bytes()
    assert_all_crlf(merged)
    assert b"[[Brazil: shall]] [[United States: may]] discuss" in merged
    assert merged.replace(b"[[Brazil: shall]] [[United States: may]]", b"will") == data  # nothing else moved
    wtpf("resolve", "1", "--keep", "Brazil", "--reason", "Agreed", cwd=ws)
    settled = (ws / "report.md").read_bytes()
    assert_all_crlf(settled)
    assert settled == data.replace(b"will discuss", b"shall discuss")


def test_a_50_mb_draft_is_refused_at_once_with_the_limit(ws: Path) -> None:
    paragraph = b"1.1. The Forum will discuss the report of the Secretary-General, paragraph after paragraph.\n\n"
    (ws / "report.md").write_bytes((ws / "report.md").read_bytes() + paragraph * (50 * 1024 * 1024 // len(paragraph)))
    start = time.monotonic()
    err = one_line(wtpf("build", "-o", "x.docx", cwd=ws, check=3).err)
    assert time.monotonic() - start < 10
    assert err == f"wtpf: {ws / 'report.md'}: 50.0 MB: drafts and text files are limited to 10 MB"
    assert not (ws / "x.docx").exists()


def test_invalid_front_matter_yaml_is_refused_with_its_line(ws: Path) -> None:
    text = (ws / "report.md").read_text(encoding="utf-8")
    commit_draft(ws, text.replace("version: ''", "version: [First Draft").encode())
    line = text.splitlines().index("version: ''") + 1
    err = one_line(wtpf("stamp", "next", cwd=ws, check=3).err)
    assert err == f"wtpf: {ws / 'report.md'}: front matter is not valid YAML on line {line}"


def test_an_invalid_wtpf_toml_is_refused_with_its_line(ws: Path) -> None:
    lines = (ws / "wtpf.toml").read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("title ="))
    lines[n] = 'title = "Report'  # an unterminated string
    (ws / "wtpf.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = one_line(wtpf("versions", cwd=ws, check=3).err)
    assert err.startswith(f"wtpf: {ws / 'wtpf.toml'}: not valid TOML:") and f"line {n + 1}" in err


def test_an_unknown_version_suggests_the_closest_name(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    err = one_line(wtpf("build", "firstdraft", cwd=ws, check=4).err)
    assert err == "wtpf: no version or git revision named 'firstdraft'; did you mean 'first-draft'?"


@pytest.mark.parametrize("draft", ["../outside.md", "/etc/passwd", "sub/../../outside.md"])
def test_a_draft_path_in_wtpf_toml_that_leaves_the_repository_is_refused(ws: Path, draft: str) -> None:
    (ws.parent / "outside.md").write_text("---\ntitle: x\n---\nSecret\n", encoding="utf-8")
    toml = (ws / "wtpf.toml").read_text(encoding="utf-8").replace('draft = "report.md"', f'draft = "{draft}"')
    (ws / "wtpf.toml").write_text(toml, encoding="utf-8")
    for args in (("build", "-o", "x.docx"), ("stamp", "next")):
        err = one_line(wtpf(*args, cwd=ws, check=3).err)
        assert err == f"wtpf: {ws / 'wtpf.toml'}: [report].draft {draft!r} leads outside the repository", args


def test_with_head_detached_commands_that_commit_refuse_and_reading_ones_work(ws: Path) -> None:
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=ws)
    git("switch", "-q", "--detach", "HEAD", cwd=ws)
    head = git("rev-parse", "HEAD", cwd=ws)
    err = one_line(wtpf("stamp", "next", cwd=ws, check=4).err)
    assert "HEAD is detached" in err and "git switch main" in err
    letter = ws.parent / "letter.md"
    letter.write_text("We thank the Secretariat.\n", encoding="utf-8")
    err = one_line(wtpf("contribution", "add", str(letter), "--source", "ARIN", cwd=ws, check=4).err)
    assert "HEAD is detached" in err
    assert git("rev-parse", "HEAD", cwd=ws) == head and git("status", "--porcelain", cwd=ws) == ""
    assert git("tag", "--list", cwd=ws).split() == ["wtpf-ieg-1/first-draft"]
    assert json.loads(wtpf("versions", "--json", cwd=ws).out)[0]["name"] == "First Draft"
    wtpf("build", "First Draft", "-o", "x.docx", cwd=ws)
    wtpf("redline", "First Draft", "--format", "text", cwd=ws)
    assert (ws / "x.docx").stat().st_size > 1000
