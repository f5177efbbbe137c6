"""Contributions through the command line: add, list, late marking, commit --source, merge with brackets,
resolve, decline — in real git repositories."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from support.cli import git, init_report, revise, stamped_report, wtpf
from support.libreoffice import LibreOffice
from support.ooxml_view import read_paragraphs

BODY = """# 1 Introduction

1.1. The Forum will discuss the issues raised in Resolution 101.

1.2. IPv6 adoption remains slow in most regions.

1.3. Internet exchange points keep local traffic local.
"""
TIMETABLE = """
[[milestone]]
date = 2012-05-15
kind = "comments"
version = "First Draft"
description = "Deadline for comments on the first draft"
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = init_report(tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    front = text[: text.index("---\n", 4) + 4]
    (root / "report.md").write_text(front + BODY, encoding="utf-8")
    with (root / "wtpf.toml").open("a", encoding="utf-8") as fh:
        fh.write(TIMETABLE)
    git("commit", "-qam", "First draft text", cwd=root)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    return root


def proposal(root: Path, old: str, new: str, name: str) -> Path:
    text = (root / "report.md").read_text(encoding="utf-8")
    assert old in text
    path = root.parent / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def add_two_proposals_on_the_same_words(ws: Path) -> None:
    """Brazil proposes "shall", the United States "may", both in place of "will"."""
    for source, word, day in (("Brazil", "shall", "11"), ("United States", "may", "12")):
        path = proposal(ws, "will discuss", f"{word} discuss", f"{word}.md")
        wtpf("contribution", "add", str(path), "--source", source, "--received", f"2012-05-{day}", cwd=ws)


def test_add_keeps_the_file_as_received_with_metadata_and_marks_late_ones(ws: Path) -> None:
    early = proposal(ws, "will discuss", "shall discuss", "brazil.md")
    wtpf(
        "contribution",
        "add",
        str(early),
        "--source",
        "Brazil",
        "--symbol",
        "WTPF-IEG/1/4",
        "--received",
        "2012-05-11",
        cwd=ws,
    )
    late = ws.parent / "isoc.txt"
    late.write_text("The Internet Society welcomes the draft and has no amendments.\n", encoding="utf-8")
    wtpf("contribution", "add", str(late), "--source", "Internet Society", "--received", "2012-05-21", cwd=ws)
    rows = json.loads(wtpf("contribution", "list", "--json", cwd=ws).out)
    assert [(r["source"], r["kind"], r["late"], r["status"]) for r in rows] == [
        ("Brazil", "revised-draft", False, "pending"),
        ("Internet Society", "letter", True, "pending"),
    ]
    kept = ws / "contributions" / rows[0]["id"] / "brazil.md"
    assert kept.read_bytes() == early.read_bytes()
    assert rows[1]["deadline"] == "2012-05-15"
    assert git("status", "--porcelain", cwd=ws) == ""
    assert "Receive contribution" in git("log", "-1", "--format=%s", cwd=ws)


def test_a_criticmarkup_file_is_recognised_and_a_non_text_file_refused(ws: Path) -> None:
    critic = proposal(ws, "will discuss", "{~~will~>shall~~} discuss{>>Stronger.<<}", "ru.md")
    wtpf("contribution", "add", str(critic), "--source", "Russian Federation", "--received", "2012-05-07", cwd=ws)
    assert json.loads(wtpf("contribution", "list", "--json", cwd=ws).out)[0]["kind"] == "criticmarkup"
    bad = ws.parent / "x.pdf"
    bad.write_bytes(b"%PDF-1.4")
    r = wtpf("contribution", "add", str(bad), "--source", "X", cwd=ws, check=3)
    assert "x.pdf" in r.err and r.err.count("\n") == 1


def test_merge_applies_each_contribution_as_a_commit_by_its_source_dated_when_received(ws: Path) -> None:
    wtpf(
        "contribution",
        "add",
        str(proposal(ws, "will discuss", "shall discuss", "b.md")),
        "--source",
        "Brazil",
        "--symbol",
        "WTPF-IEG/1/4",
        "--received",
        "2012-05-11",
        cwd=ws,
    )
    wtpf(
        "contribution",
        "add",
        str(proposal(ws, "remains slow", "remains very slow", "a.md")),
        "--source",
        "ARIN",
        "--received",
        "2012-05-12",
        cwd=ws,
    )
    report = json.loads(wtpf("merge", "--json", cwd=ws).out)
    assert [(o["source"], o["status"], o["applied"]) for o in report] == [
        ("Brazil", "merged", 1),
        ("ARIN", "merged", 1),
    ]
    log = git("log", "-2", "--format=%an|%ad|%B", "--date=short", cwd=ws)
    assert "ARIN|2012-05-12|" in log and "Brazil|2012-05-11|" in log and "Wtpf-Symbol: WTPF-IEG/1/4" in log
    draft = (ws / "report.md").read_text(encoding="utf-8")
    assert "shall discuss" in draft and "remains very slow" in draft
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=ws)
    wtpf("redline", "First Draft", "-o", "r.docx", cwd=ws)
    authors = {s.author for p in read_paragraphs(ws / "r.docx") for s in p.segments if s.kind == "ins"}
    assert {"Brazil", "ARIN"} <= authors


def test_a_contribution_on_an_older_base_merges_after_the_draft_moved_on(ws: Path) -> None:
    prop = proposal(ws, "remains slow", "remains very slow", "a.md")
    text = (ws / "report.md").read_text(encoding="utf-8")
    (ws / "report.md").write_text(text.replace("1.1. The Forum", "1.1. The Policy Forum"), encoding="utf-8")
    wtpf("commit", "--source", "United States", "-m", "Name the Forum in full", cwd=ws)
    wtpf(
        "contribution", "add", str(prop), "--source", "ARIN", "--on", "First Draft", "--received", "2012-05-12", cwd=ws
    )
    wtpf("merge", cwd=ws)
    draft = (ws / "report.md").read_text(encoding="utf-8")
    assert "1.1. The Policy Forum will discuss" in draft and "remains very slow" in draft
    assert "United States" in git("log", "--format=%an", cwd=ws)


def test_two_sources_changing_the_same_words_are_kept_as_attributed_brackets_and_resolved(ws: Path) -> None:
    add_two_proposals_on_the_same_words(ws)
    report = json.loads(wtpf("merge", "--json", cwd=ws).out)
    assert [o["status"] for o in report] == ["merged", "in-brackets"]
    draft = (ws / "report.md").read_text(encoding="utf-8")
    assert "1.1. The Forum [[Brazil: shall]] [[United States: may]] discuss" in draft
    listing = wtpf("resolve", cwd=ws).out
    assert listing.startswith("1. line ") and "Brazil: shall  |  United States: may" in listing
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=ws)
    wtpf("redline", "First Draft", "-o", "r.docx", cwd=ws)
    paras = read_paragraphs(ws / "r.docx")
    ins = [(s.author, s.text) for p in paras for s in p.segments if s.kind == "ins"]
    assert any(a == "United States" and "may" in t for a, t in ins)
    wtpf("resolve", "1", "--keep", "Brazil", "--reason", "Agreed at the first meeting", cwd=ws)
    assert "1.1. The Forum shall discuss" in (ws / "report.md").read_text(encoding="utf-8")
    rows = {r["source"]: r for r in json.loads(wtpf("contribution", "list", "--json", cwd=ws).out)}
    assert rows["United States"]["status"] == "not-retained"
    assert "Agreed at the first meeting" in rows["United States"]["disposition"]
    assert "Agreed at the first meeting" in git("log", "-1", "--format=%B", cwd=ws)


LIST = """# 1 Goals

1.1. The Forum sets these goals:

- Open participation of all stakeholders.
- Exchange points keep local traffic local.
- Capacity building in developing countries.
"""


@pytest.mark.parametrize("runs", ["one merge run", "two merge runs"])
def test_a_bracket_over_an_item_one_source_deleted_names_that_source(runs: str, tmp_path: Path) -> None:
    # Brazil takes the second item out, Kenya rewords it. The draft holds no words there: the bracket's first
    # alternative is Brazil's deletion (its label once came from the line after it: the secretariat's).
    root = stamped_report(tmp_path, LIST)
    brazil = proposal(root, "- Exchange points keep local traffic local.\n", "", "brazil.md")
    kenya = proposal(root, "local traffic local", "traffic local", "kenya.md")
    wtpf("contribution", "add", str(brazil), "--source", "Brazil", "--received", "2012-05-11", cwd=root)
    if runs == "two merge runs":
        wtpf("merge", cwd=root)
    wtpf("contribution", "add", str(kenya), "--source", "Kenya", "--received", "2012-05-12", cwd=root)
    wtpf("merge", cwd=root)
    draft = (root / "report.md").read_text(encoding="utf-8")
    assert "[[Brazil: (nothing)]] [[Kenya: Exchange points keep traffic local." in draft
    assert "ITU Secretariat:" not in draft


def test_two_sources_adding_an_item_after_a_lists_last_keep_both_in_order_of_receipt(tmp_path: Path) -> None:
    root = stamped_report(tmp_path, LIST)
    for source, item, day in (("Brazil", "Share data.", "11"), ("Kenya", "Train staff.", "12")):
        path = proposal(root, "developing countries.\n", f"developing countries.\n- {item}\n", f"{source}.md")
        wtpf("contribution", "add", str(path), "--source", source, "--received", f"2012-05-{day}", cwd=root)
    assert "0 in brackets" in wtpf("merge", cwd=root).out.splitlines()[-1]
    assert "- Capacity building in developing countries.\n- Share data.\n- Train staff.\n" in (
        root / "report.md"
    ).read_text(encoding="utf-8")


def test_an_item_added_after_one_another_source_deleted_stands_where_that_one_stood(tmp_path: Path) -> None:
    # With Kenya's other edit, the diff puts its item in as ".\n- Share data" before the deleted item's full stop:
    # inside that item's words, so it was bracketed with them; read as the line it is, it goes where that one stood.
    body = "# 1 Goals\n\n1.1. IPv6 adoption remains slow in most regions.\n\n"
    root = stamped_report(tmp_path, body + "- Open participation.\n- Exchange points.\n- Capacity building.\n")
    brazil = proposal(root, "- Exchange points.\n", "", "brazil.md")
    text = (root / "report.md").read_text(encoding="utf-8")
    kenya = root.parent / "kenya.md"
    kenya.write_text(text.replace("points.\n", "points.\n- Share data.\n").replace("in most", "in many"), "utf-8")
    for path, source, day in ((brazil, "Brazil", "11"), (kenya, "Kenya", "12")):
        wtpf("contribution", "add", str(path), "--source", source, "--received", f"2012-05-{day}", cwd=root)
    assert "0 in brackets" in wtpf("merge", cwd=root).out.splitlines()[-1]
    merged = (root / "report.md").read_text(encoding="utf-8")
    assert "in many regions.\n\n- Open participation.\n- Share data.\n- Capacity building.\n" in merged


def test_a_paragraph_added_beside_one_another_source_deleted_stands_where_that_one_stood(ws: Path) -> None:
    # Brazil takes 1.2 out; Kenya adds a paragraph after it: no conflict (a new paragraph beside a changed one).
    brazil = proposal(ws, "1.2. IPv6 adoption remains slow in most regions.\n\n", "", "brazil.md")
    kenya = proposal(ws, "most regions.\n", "most regions.\n\n1.2bis. A new one.\n", "kenya.md")
    for path, source, day in ((brazil, "Brazil", "11"), (kenya, "Kenya", "12")):
        wtpf("contribution", "add", str(path), "--source", source, "--received", f"2012-05-{day}", cwd=ws)
    assert "0 in brackets" in wtpf("merge", cwd=ws).out.splitlines()[-1]
    body = (ws / "report.md").read_text(encoding="utf-8")
    assert "Resolution 101.\n\n1.2bis. A new one.\n\n1.3. Internet exchange" in body


@pytest.mark.parametrize("keep", ["Brazil", "Kenya"])
def test_a_paragraph_one_source_deleted_and_another_renumbered_reads_right_either_way(keep: str, ws: Path) -> None:
    # Brazil takes 1.2 out; Kenya renumbers it: bracketed. The next paragraph keeps its own line in the bracket and
    # after either choice (it was glued to Kenya's alternative: "regions.]]1.3. Internet").
    brazil = proposal(ws, "1.2. IPv6 adoption remains slow in most regions.\n\n", "", "brazil.md")
    kenya = proposal(ws, "1.2. IPv6 adoption", "1.4. IPv6 adoption", "kenya.md")
    for path, source, day in ((brazil, "Brazil", "11"), (kenya, "Kenya", "12")):
        wtpf("contribution", "add", str(path), "--source", source, "--received", f"2012-05-{day}", cwd=ws)
    wtpf("merge", cwd=ws)
    body = (ws / "report.md").read_text(encoding="utf-8")
    assert "[[Brazil: (nothing)]] [[Kenya: 1.4. IPv6 adoption remains slow in most regions.]]\n\n1.3. Internet" in body
    wtpf("resolve", "1", "--keep", keep, "--reason", "Agreed", cwd=ws)
    body = (ws / "report.md").read_text(encoding="utf-8")
    kept = "" if keep == "Brazil" else "1.4. IPv6 adoption remains slow in most regions.\n\n"
    assert f"Resolution 101.\n\n{kept}1.3. Internet exchange points keep local traffic local.\n" in body
    wtpf("check", cwd=ws)


def test_stop_on_conflict_applies_nothing_of_the_conflicting_contribution(ws: Path) -> None:
    wtpf(
        "contribution",
        "add",
        str(proposal(ws, "will discuss", "shall discuss", "b.md")),
        "--source",
        "Brazil",
        "--received",
        "2012-05-11",
        cwd=ws,
    )
    wtpf("merge", cwd=ws)
    u = proposal(ws, "shall discuss", "may discuss", "u.md")  # made from the merged draft, but based on v1
    text = u.read_text(encoding="utf-8").replace("may discuss", "may discuss").replace("remains slow", "is slow")
    u.write_text(text, encoding="utf-8")
    wtpf(
        "contribution",
        "add",
        str(u),
        "--source",
        "United States",
        "--on",
        "First Draft",
        "--received",
        "2012-05-12",
        cwd=ws,
    )
    before = (ws / "report.md").read_bytes()
    report = json.loads(wtpf("merge", "--conflicts", "stop", "--json", cwd=ws).out)
    assert report[0]["status"] == "pending" and report[0]["commit"] is None
    assert (ws / "report.md").read_bytes() == before


def test_a_change_whose_context_was_deleted_is_reported_not_lost(ws: Path) -> None:
    prop = proposal(ws, "remains slow", "remains very slow", "a.md")
    text = (ws / "report.md").read_text(encoding="utf-8")
    (ws / "report.md").write_text(
        text.replace("1.2. IPv6 adoption remains slow in most regions.\n\n", ""), encoding="utf-8"
    )
    wtpf("commit", "--source", "ITU Secretariat", "-m", "Drop 1.2", cwd=ws)
    wtpf(
        "contribution", "add", str(prop), "--source", "ARIN", "--on", "First Draft", "--received", "2012-05-12", cwd=ws
    )
    r = wtpf("merge", "--json", cwd=ws)
    report = json.loads(r.out)
    assert report[0]["status"] == "partly-merged" and report[0]["unplaced"] == ["very "]
    row = json.loads(wtpf("contribution", "list", "--json", cwd=ws).out)[0]
    assert row["disposition"] == "partly merged (0 of 1 changes)"


def test_commit_source_attributes_hand_edits_and_marks_the_contribution(ws: Path) -> None:
    letter = ws.parent / "letter.txt"
    letter.write_text("We suggest that the report mention non-discriminatory access.\n", encoding="utf-8")
    wtpf(
        "contribution",
        "add",
        str(letter),
        "--source",
        "Russian Federation",
        "--symbol",
        "WTPF-IEG/1/3",
        "--received",
        "2012-05-07",
        cwd=ws,
    )
    r = wtpf("commit", "--source", "Russian Federation", "--contribution", "WTPF-IEG/1/3", "-m", "x", cwd=ws, check=4)
    assert "no uncommitted edits" in r.err
    text = (ws / "report.md").read_text(encoding="utf-8")
    (ws / "report.md").write_text(text + "\n1.4. Non-discriminatory access to the Internet.\n", encoding="utf-8")
    wtpf("commit", "--source", "Russian Federation", "--contribution", "WTPF-IEG/1/3", "-m", "Add 1.4", cwd=ws)
    log = git("log", "-1", "--format=%an|%B", cwd=ws)
    assert log.startswith("Russian Federation|Add 1.4") and "Wtpf-Symbol: WTPF-IEG/1/3" in log
    assert json.loads(wtpf("contribution", "show", "WTPF-IEG/1/3", "--json", cwd=ws).out)["status"] == "merged"


def test_decline_records_the_reason_in_the_disposition(ws: Path) -> None:
    letter = ws.parent / "letter.txt"
    letter.write_text("Please add a chapter on satellites.\n", encoding="utf-8")
    wtpf("contribution", "add", str(letter), "--source", "ARIN", "--received", "2012-05-07", cwd=ws)
    ident = json.loads(wtpf("contribution", "list", "--json", cwd=ws).out)[0]["id"]
    wtpf("contribution", "decline", ident, "--reason", "Outside Resolutions 101, 102 and 133", cwd=ws)
    shown = wtpf("contribution", "show", ident, cwd=ws).out
    assert "not retained: Outside Resolutions 101, 102 and 133" in shown


def test_the_redline_of_a_merge_with_brackets_opens_with_both_alternatives(ws: Path) -> None:
    add_two_proposals_on_the_same_words(ws)
    wtpf("merge", cwd=ws)
    wtpf("build", "-o", "b.docx", cwd=ws)
    doc = zipfile.ZipFile(ws / "b.docx").read("word/document.xml").decode()
    assert "[[Brazil: shall]] [[United States: may]]" in doc


CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "docx"


def test_inspect_lists_tracked_changes_and_gives_accept_and_reject_views(tmp_path: Path) -> None:
    docx = CORPUS / "pandoc" / "track_changes_insertion.docx"
    if not docx.exists():
        pytest.skip(f"the shared corpus is absent: no {docx}")
    assert wtpf("inspect", str(docx), cwd=tmp_path).out.startswith("insertion eng-dept 2014-06-25T10:40:00Z: two")
    accept = json.loads(wtpf("inspect", str(docx), "--view", "accept", "--format", "json", cwd=tmp_path).out)
    reject = json.loads(wtpf("inspect", str(docx), "--view", "reject", "--format", "json", cwd=tmp_path).out)
    assert accept["paragraphs"] == ["This is a text with two exciting insertions."]
    assert reject["paragraphs"] == ["This is a text with insertions."]
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip", encoding="utf-8")
    r = wtpf("inspect", str(fake), cwd=tmp_path, check=3)
    assert r.err.startswith(f"wtpf: {fake}") and r.err.count("\n") == 1


def test_a_word_file_with_tracked_changes_is_registered_as_word_revisions(ws: Path) -> None:
    docx = delegate_docx(ws, "A Delegate", "will discuss the issues", "shall discuss the issues", "tracked")
    wtpf("contribution", "add", str(docx), "--source", "Brazil", "--received", "2012-05-11", cwd=ws)
    row = json.loads(wtpf("contribution", "list", "--json", cwd=ws).out)[0]
    assert row["kind"] == "word-revisions" and row["file"] == "tracked.docx"


def test_a_word_file_of_another_document_with_tracked_changes_is_refused(ws: Path) -> None:
    docx = CORPUS / "pandoc" / "track_changes_insertion.docx"
    if not docx.exists():
        pytest.skip(f"the shared corpus is absent: no {docx}")
    refused = wtpf("contribution", "add", str(docx), "--source", "Brazil", cwd=ws, check=3)
    assert "matches no version of this report well enough" in refused.err


def delegate_docx(ws: Path, who: str, old: str, new: str, name: str) -> Path:
    """A delegate's Word file: the built First Draft with `who`'s edit as tracked changes (made in a clone)."""
    clone = ws.parent / f"clone-{name}"
    git("clone", "-q", str(ws), str(clone), cwd=ws.parent)
    git("fetch", "-q", "--tags", cwd=clone)
    text = (clone / "report.md").read_text(encoding="utf-8")
    assert old in text
    (clone / "report.md").write_text(text.replace(old, new), encoding="utf-8")
    git("-c", f"user.name={who}", "-c", "user.email=d@example.org", "commit", "-qam", "edit", cwd=clone)
    out = ws.parent / f"{name}.docx"
    wtpf("redline", "First Draft", "HEAD", "-o", str(out), cwd=clone)
    return out


def test_a_word_contribution_with_tracked_changes_merges_into_the_markdown(ws: Path) -> None:
    docx = delegate_docx(ws, "A Delegate", "will discuss the issues", "shall discuss *all* the issues", "brazil")
    wtpf("contribution", "add", str(docx), "--source", "Brazil", "--received", "2012-05-11", cwd=ws)
    assert json.loads(wtpf("contribution", "list", "--json", cwd=ws).out)[0]["kind"] == "word-revisions"
    report = json.loads(wtpf("merge", "--json", cwd=ws).out)
    assert report[0]["status"] == "merged"
    draft = (ws / "report.md").read_text(encoding="utf-8")
    # The emphasis the delegate gave the inserted word is kept as Markdown.
    assert "1.1. The Forum shall discuss *all* the issues raised in Resolution 101." in draft
    assert git("log", "-1", "--format=%an", cwd=ws).strip() == "Brazil"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the read-ahead worker is forked on Linux only")
def test_word_contributions_read_ahead_in_a_second_process_merge_as_when_read_one_by_one(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support import pid_record
    from support.cli import clean_env
    from wtpf_cli.merging import wordmap
    from wtpf_cli.merging.run import merge_contributions
    from wtpf_cli.store.workspace import open_workspace

    edits = [
        ("Brazil", "will discuss the issues", "shall discuss the issues"),
        ("Kenya", "remains slow in most regions", "remains very slow in most regions"),
        ("China", "keep local traffic local", "keep traffic local"),
        ("Egypt", "# 1 Introduction", "# 1 Introduction and scope"),  # each in a sentence of its own: no brackets
    ]
    for k, (who, old, new) in enumerate(edits):
        docx = delegate_docx(ws, who, old, new, f"delegate-{k}")
        wtpf("contribution", "add", str(docx), "--source", who, "--received", f"2012-05-1{k}", cwd=ws)
    twin = tmp_path / "twin"
    shutil.copytree(ws, twin)
    for key, value in clean_env(ws).items():
        monkeypatch.setenv(key, value)
    # In this process, with a worker: the proposals are read in another process (forked, so it sees the stand-in).
    pids = tmp_path / "pids"
    pids.touch()
    monkeypatch.setattr(pid_record, "LOG", [pids])
    monkeypatch.setattr(wordmap, "word_proposal", pid_record.recording_word_proposal)
    outcomes = merge_contributions(open_workspace(ws))
    readers = pids.read_text(encoding="utf-8").split()
    assert len(readers) == 4 and str(os.getpid()) not in readers
    assert [o.status for o in outcomes] == ["merged"] * 4
    # One by one in the merging process: the same draft and the same commits.
    monkeypatch.setenv("WTPF_JOBS", "1")
    wtpf("merge", cwd=twin)
    assert (ws / "report.md").read_bytes() == (twin / "report.md").read_bytes()
    log = ["log", "--format=%an|%ad|%s%n%b", "-4"]
    assert git(*log, cwd=ws) == git(*log, cwd=twin)
    for who, _old, new in edits:
        assert new in (ws / "report.md").read_text(encoding="utf-8"), who


def test_a_broken_word_contribution_read_ahead_fails_the_merge_as_it_does_read_in_place(ws: Path) -> None:
    for k, (who, old, new) in enumerate([("Brazil", "will discuss", "shall discuss"), ("Kenya", "slow", "very slow")]):
        docx = delegate_docx(ws, who, old, new, f"delegate-{k}")
        wtpf("contribution", "add", str(docx), "--source", who, "--received", f"2012-05-1{k}", cwd=ws)
    docx = delegate_docx(ws, "China", "local traffic", "traffic", "delegate-2")
    wtpf("contribution", "add", str(docx), "--source", "China", "--received", "2012-05-13", cwd=ws)
    # The third file is damaged after registration (its document part cut short).
    stored = next((ws / "contributions").glob("*china*/*.docx"))
    with zipfile.ZipFile(stored) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"][: len(parts["word/document.xml"]) // 2]
    with zipfile.ZipFile(stored, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    git("commit", "-qam", "damaged in storage", cwd=ws)
    head = git("rev-parse", "HEAD", cwd=ws)
    draft = (ws / "report.md").read_bytes()
    r = wtpf("merge", cwd=ws, check=None)
    assert r.code == 3 and "document.xml" in r.err and len(r.err.strip().splitlines()) == 1, r.err
    assert git("rev-parse", "HEAD", cwd=ws) == head and (ws / "report.md").read_bytes() == draft


def rc001_workspace(tmp_path: Path) -> tuple[Path, Path]:
    """The corpus folder oxpt/RC and a workspace whose stamped First Draft is RC001-Before's text."""
    rc = CORPUS / "oxpt" / "RC"
    if not (rc / "RC001-Before.docx").exists():
        pytest.skip(f"the shared corpus is absent: no {rc}")
    start = tmp_path / "before.md"
    start.write_text("One\n\nTwo\n\nThree\n\nFour\n\nFive\n\nSix\n", encoding="utf-8")
    root = tmp_path / "rc"
    wtpf("init", str(root), "--title", "RC001", "--symbol-prefix", "RC/1", "--from", str(start), cwd=tmp_path)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    return rc, root


def test_the_corpus_base_and_two_revised_copies_both_merge(tmp_path: Path) -> None:
    rc, root = rc001_workspace(tmp_path)
    wtpf(
        "contribution",
        "add",
        str(rc / "RC001-After1.docx"),
        "--source",
        "Reviewer One",
        "--received",
        "2012-05-01",
        cwd=root,
    )
    wtpf(
        "contribution",
        "add",
        str(rc / "RC001-After2.docx"),
        "--source",
        "Reviewer Two",
        "--received",
        "2012-05-02",
        cwd=root,
    )
    kinds = [r["kind"] for r in json.loads(wtpf("contribution", "list", "--json", cwd=root).out)]
    assert kinds == ["word-revisions", "word-revisions"]  # revised copies, tracking off
    report = json.loads(wtpf("merge", "--json", cwd=root).out)
    assert [o["status"] for o in report] == ["merged", "in-brackets"]
    body = (root / "report.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == (
        "One\n\n[[Reviewer One: Two1]] [[Reviewer Two: Another Two]]\n\nThree\n\nFour\n\nAnother Five\n\nSix\n"
    )


def test_criticmarkup_and_word_comments_appear_in_the_redline_as_word_comments(ws: Path) -> None:
    critic = proposal(
        ws, "IPv6 adoption remains slow", "IPv6 adoption {==remains slow==}{>>Cite the RIR figures.<<}", "ru.md"
    )
    wtpf("contribution", "add", str(critic), "--source", "Russian Federation", "--received", "2012-05-07", cwd=ws)
    wtpf("merge", cwd=ws)
    revise(ws)  # the comment alone leaves the text as stamped
    wtpf("stamp", "next", "--date", "2012-06-01", cwd=ws)
    wtpf("redline", "First Draft", "-o", "r.docx", cwd=ws)
    with zipfile.ZipFile(ws / "r.docx") as z:
        comments = z.read("word/comments.xml").decode()
        doc = z.read("word/document.xml").decode()
        types = z.read("[Content_Types].xml").decode()
    assert 'w:author="Russian Federation"' in comments and "Cite the RIR figures." in comments
    assert 'w:date="2012-05-07T12:00:00Z"' in comments
    start, end = doc.index("<w:commentRangeStart"), doc.index("<w:commentRangeEnd")
    anchored = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", doc[start:end]))
    assert anchored.strip() == "remains slow"
    assert "wordprocessingml.comments+xml" in types


def test_a_comment_on_words_another_source_replaced_stays_on_them_shown_deleted(
    ws: Path, libreoffice: LibreOffice
) -> None:
    # Word keeps a comment on words deleted after it was made: the redline anchors it on them (it was left out).
    critic = proposal(
        ws, "IPv6 adoption remains slow", "IPv6 adoption {==remains slow==}{>>Cite the RIR figures.<<}", "ru.md"
    )
    wtpf("contribution", "add", str(critic), "--source", "Russian Federation", "--received", "2012-05-07", cwd=ws)
    wtpf("merge", cwd=ws)
    draft = ws / "report.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("remains slow", "is progressing"), encoding="utf-8")
    git("commit", "-qam", "Secretariat: IPv6", cwd=ws)
    run = wtpf("redline", "First Draft", "-o", "r.docx", cwd=ws)
    assert "no longer in the text" not in run.err
    with zipfile.ZipFile(ws / "r.docx") as z:
        doc = z.read("word/document.xml").decode()
        assert "Cite the RIR figures." in z.read("word/comments.xml").decode()
    start, end = doc.index("<w:commentRangeStart"), doc.index("<w:commentRangeEnd")
    assert "".join(re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", doc[start:end])).strip() == "remains slow"
    assert [c["text"] for c in libreoffice.read(ws / "r.docx").comments] == ["Cite the RIR figures."]
    for fmt in ("html", "text"):
        assert (
            "no longer in the text" not in wtpf("redline", "First Draft", "--format", fmt, "-o", f"r.{fmt}", cwd=ws).err
        )


def test_the_redline_warns_of_a_comment_whose_words_are_in_neither_version_in_every_format(ws: Path) -> None:
    # Brazil puts in "very", Russia comments on "very slow", the secretariat takes "very" out again: from the First
    # Draft to now, those words are in neither text.
    brazil = proposal(ws, "remains slow", "remains very slow", "br.md")
    wtpf("contribution", "add", str(brazil), "--source", "Brazil", "--received", "2012-05-06", cwd=ws)
    wtpf("merge", cwd=ws)
    critic = proposal(ws, "remains very slow", "remains {==very slow==}{>>Cite the RIR figures.<<}", "ru.md")
    wtpf("contribution", "add", str(critic), "--source", "Russian Federation", "--received", "2012-05-07", cwd=ws)
    wtpf("merge", cwd=ws)
    draft = ws / "report.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("very slow", "slow"), encoding="utf-8")
    git("commit", "-qam", "Secretariat: IPv6", cwd=ws)
    warning = "warning: a comment from Russian Federation is anchored on words no longer in the text: 'very slow'"
    for fmt in ("docx", "html", "text"):
        run = wtpf("redline", "First Draft", "--format", fmt, "-o", f"r.{fmt}", cwd=ws)
        assert run.err.splitlines()[0] == warning, fmt


def test_the_disposition_annex_of_a_french_report_has_its_title_heading_and_version_line_in_french(ws: Path) -> None:
    toml = (ws / "wtpf.toml").read_text(encoding="utf-8")
    assert 'language = "English"' in toml
    (ws / "wtpf.toml").write_text(toml.replace('language = "English"', 'language = "French"'), encoding="utf-8")
    git("commit", "-qam", "The report is written in French", cwd=ws)
    wtpf("contribution", "list", "--format", "md", "-o", "annexe.md", cwd=ws)
    annex = (ws / "annexe.md").read_text(encoding="utf-8")
    assert "title: 'Report : suite donnée aux contributions'" in annex
    assert "version: 'Annexe : Premier projet'" in annex
    assert "\n# Suite donnée aux contributions\n" in annex


def test_the_disposition_annex_is_written_as_markdown_and_word(ws: Path) -> None:
    letter = ws.parent / "letter.txt"
    letter.write_text("Please add a chapter on satellites.\n", encoding="utf-8")
    wtpf(
        "contribution",
        "add",
        str(letter),
        "--source",
        "ARIN",
        "--symbol",
        "WTPF-IEG/1/5",
        "--received",
        "2012-05-21",
        cwd=ws,
    )
    wtpf("contribution", "decline", "WTPF-IEG/1/5", "--reason", "Outside the Forum's scope", cwd=ws)
    wtpf("contribution", "list", "--format", "md", "-o", "annex.md", cwd=ws)
    annex = (ws / "annex.md").read_text(encoding="utf-8")
    assert (
        "| WTPF-IEG/1/5 | ARIN | 2012-05-21 (late) | First Draft | letter | not retained: Outside the Forum's scope |"
        in annex
    )
    wtpf("contribution", "list", "--format", "docx", "-o", "annex.docx", cwd=ws)
    doc = zipfile.ZipFile(ws / "annex.docx").read("word/document.xml").decode()
    assert "Disposition of contributions" in doc and "Outside the Forum" in doc


def test_a_criticmarkup_contribution_merges_its_substitutions_insertions_and_deletions(ws: Path) -> None:
    critic = proposal(ws, "will discuss the issues", "{~~will~>shall~~} discuss {++all ++}the issues", "c.md")
    text = critic.read_text(encoding="utf-8").replace(" in most regions", "{-- in most regions--}")
    critic.write_text(text, encoding="utf-8")
    wtpf("contribution", "add", str(critic), "--source", "Russian Federation", "--received", "2012-05-07", cwd=ws)
    report = json.loads(wtpf("merge", "--json", cwd=ws).out)
    assert report[0]["status"] == "merged" and report[0]["applied"] == 3
    draft = (ws / "report.md").read_text(encoding="utf-8")
    assert "1.1. The Forum shall discuss all the issues raised" in draft
    assert "1.2. IPv6 adoption remains slow.\n" in draft


def test_a_letter_is_shown_with_its_contribution_and_untracked_word_edits_are_warned(tmp_path: Path) -> None:
    rc, root = rc001_workspace(tmp_path)
    letter = tmp_path / "letter.md"
    letter.write_text("Dear Secretariat,\n\nWe support the draft.\n", encoding="utf-8")
    wtpf("contribution", "add", str(letter), "--source", "Brazil", "--received", "2012-05-01", cwd=root)
    assert "We support the draft." in wtpf("contribution", "show", "2012-05-01-brazil", cwd=root).out
    wtpf("contribution", "add", str(rc / "RC001-After1.docx"), "--source", "Reviewer One", cwd=root)
    report = json.loads(wtpf("merge", "--json", cwd=root).out)
    untracked = next(o for o in report if o["source"] == "Reviewer One")
    assert any("tracking off" in w for w in untracked["warnings"])
