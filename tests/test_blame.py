"""`wtpf blame`: who put each sentence's words in, through which contribution, in which version — on a real git
history in which three sources edit the same paragraph."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import wtpf_cli as api
from support.cli import init_report, wtpf
from support.pandoc import pandoc_read
from wtpf_cli.cli.blame import blame_text
from wtpf_cli.store.workspace import open_workspace

BODY = """# 1 Introduction

1.1. The Forum will discuss the issues raised in Resolution 101. Delegates exchange views on public policy.
The report informs the discussion.

1.2. Another paragraph.[^1]

| Region | Users |
|:--|--:|
| Africa | 10 |

[^1]: A note by the secretariat.
"""
SEC = "ITU Secretariat"
FIRST = {"version": "First Draft", "version_symbol": "WTPF-IEG/1/2"}
SECOND = {"version": "Preliminary Second Draft", "version_symbol": "WTPF-IEG/1/9"}
WORKING = {"version": "working draft", "version_symbol": None}
NONE = {"contribution": None, "symbol": None}


def edit(root: Path, old: str, new: str) -> None:
    text = (root / "report.md").read_text(encoding="utf-8")
    assert old in text
    (root / "report.md").write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """First Draft by the secretariat; Brazil (contribution WTPF-IEG/1/4, merged) adds words to the second
    sentence of 1.1 and the United States (a direct commit) replaces a word of its third; Preliminary Second
    Draft stamped; then the secretariat commits a word in the first sentence."""
    root = init_report(tmp_path_factory.mktemp("blame"))
    text = (root / "report.md").read_text(encoding="utf-8")
    (root / "report.md").write_text(text[: text.index("---\n", 4) + 4] + BODY, encoding="utf-8")
    wtpf("commit", "--source", SEC, "-m", "First draft text", cwd=root)
    wtpf("stamp", "First Draft", "--symbol", "WTPF-IEG/1/2", "--date", "2012-04-13", cwd=root)

    proposal = root.parent / "brazil.md"
    text = (root / "report.md").read_text(encoding="utf-8")
    proposal.write_text(text.replace("Delegates exchange", "Delegates from all regions exchange"), encoding="utf-8")
    add = ["contribution", "add", str(proposal), "--source", "Brazil", "--symbol", "WTPF-IEG/1/4"]
    wtpf(*add, "--received", "2012-05-11", cwd=root)
    wtpf("merge", cwd=root)

    edit(root, "report informs the", "report guides the")
    edit(root, "| Africa | 10 |", "| Africa | 12 |")
    wtpf("commit", "--source", "United States", "-m", "Reword 1.1", cwd=root)
    wtpf("stamp", "Preliminary Second Draft", "--symbol", "WTPF-IEG/1/9", "--date", "2012-06-01", cwd=root)

    edit(root, "discuss the issues", "discuss the emerging issues")
    wtpf("commit", "--source", SEC, "-m", "Emerging issues", cwd=root)
    return root


def src(source: str, words: int, share: float, version: dict[str, Any], via: dict[str, Any] = NONE) -> dict[str, Any]:
    return {"source": source, "words": words, "share": share, **via, **version}


def without_dates(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in s.items() if k != "date"} for s in sources]


def paragraph(report: dict[str, Any], number: str) -> dict[str, Any]:
    found = [p for p in report["paragraphs"] if p["number"] == number]
    assert len(found) == 1, [p["number"] for p in report["paragraphs"]]
    return found[0]


def test_blame_at_a_stamped_version_gives_each_sentence_its_sources_contributions_and_versions(history: Path) -> None:
    report = json.loads(wtpf("blame", "Preliminary Second Draft", "--json", cwd=history).out)
    assert report["version"] == "Preliminary Second Draft (WTPF-IEG/1/9)"
    assert report["symbol"] == "WTPF-IEG/1/9"
    para = paragraph(report, "1.1.")
    assert para["kind"] == "paragraph" and para["heading"] == "1 Introduction"
    # "1.1." counts as one word (a number is one token); Brazil put in "from all regions", the United States "guides".
    s1, s2, s3 = para["sentences"]
    assert s1["text"] == "1.1. The Forum will discuss the issues raised in Resolution 101."
    assert without_dates(s1["sources"]) == [src(SEC, 11, 1.0, FIRST)]
    assert s2["text"] == "Delegates from all regions exchange views on public policy."
    brazil = {"contribution": "2012-05-11-brazil", "symbol": "WTPF-IEG/1/4"}
    assert without_dates(s2["sources"]) == [src(SEC, 6, 0.667, FIRST), src("Brazil", 3, 0.333, SECOND, brazil)]
    assert s2["sources"][1]["date"] == "2012-05-11"  # the merge is dated when the contribution was received
    assert s3["text"] == "The report guides the discussion."
    assert without_dates(s3["sources"]) == [src(SEC, 4, 0.8, FIRST), src("United States", 1, 0.2, SECOND)]
    assert para["words"] == 25
    assert without_dates(para["sources"]) == [
        src(SEC, 21, 0.84, FIRST),
        src("Brazil", 3, 0.12, SECOND, brazil),
        src("United States", 1, 0.04, SECOND),
    ]
    heading = report["paragraphs"][0]
    assert (heading["kind"], heading["text"], heading["number"]) == ("heading", "1 Introduction", "1")
    assert report["sources"] == [SEC, "Brazil", "United States"]


def test_blame_of_the_first_draft_gives_every_word_to_the_secretariat(history: Path) -> None:
    report = json.loads(wtpf("blame", "first-draft", "--json", cwd=history).out)
    assert report["sources"] == [SEC]
    s2 = paragraph(report, "1.1.")["sentences"][1]
    assert s2["text"] == "Delegates exchange views on public policy."
    assert without_dates(s2["sources"]) == [src(SEC, 6, 1.0, FIRST)]


def test_blame_of_the_working_draft_names_words_not_yet_stamped(history: Path, tmp_path: Path) -> None:
    report = json.loads(wtpf("blame", "--json", cwd=history).out)
    assert report["version"] == "working draft"
    s1 = paragraph(report, "1.1.")["sentences"][0]
    assert s1["text"] == "1.1. The Forum will discuss the emerging issues raised in Resolution 101."
    assert without_dates(s1["sources"]) == [src(SEC, 11, 0.917, FIRST), src(SEC, 1, 0.083, WORKING)]
    # uncommitted edits count as the secretariat's, in the working draft
    copy = tmp_path / "copy"
    shutil.copytree(history, copy)
    edit(copy, "Another paragraph.", "Another short paragraph.")
    report = json.loads(wtpf("blame", "--json", cwd=copy).out)
    p12 = paragraph(report, "1.2.")
    assert without_dates(p12["sources"]) == [src(SEC, 3, 0.75, FIRST), src(SEC, 1, 0.25, WORKING)]


def test_blame_on_the_terminal_shows_paragraph_sentences_and_sources(history: Path) -> None:
    out = wtpf("blame", "WTPF-IEG/1/9", cwd=history).out
    assert out.startswith("Provenance of the text of the Preliminary Second Draft (WTPF-IEG/1/9)\n")
    assert "para. 1.1.  under 1 Introduction" in out
    assert "  Delegates from all regions exchange views on public policy.\n" in out
    assert "    ITU Secretariat 6 words (First Draft); Brazil 3 words (WTPF-IEG/1/4, Preliminary Second Draft)\n" in out
    assert "    ITU Secretariat 4 words (First Draft); United States 1 word (Preliminary Second Draft)\n" in out


def test_blame_in_a_pipe_prints_what_rich_prints_for_its_lines(history: Path) -> None:
    out = wtpf("blame", "WTPF-IEG/1/9", cwd=history).out
    drawn = Console(file=StringIO(), highlight=False, soft_wrap=True, width=80)
    for line in blame_text(api.blame(open_workspace(history), "WTPF-IEG/1/9")):
        drawn.print(line)
    assert out == drawn.file.getvalue()


def test_the_provenance_annex_in_markdown_has_one_row_per_paragraph_with_its_sentences(history: Path) -> None:
    wtpf("blame", "Preliminary Second Draft", "--format", "md", "-o", "annex.md", cwd=history)
    annex = (history / "annex.md").read_text(encoding="utf-8")
    assert "version: Annex to the Preliminary Second Draft\nsymbol: WTPF-IEG/1/9\ndate: '2012-06-01'\n" in annex
    assert "# Provenance of the text of the Preliminary Second Draft (WTPF-IEG/1/9)" in annex
    rows = [
        "| Paragraph | Text | Sources |",
        "|:--|:--|:--|",
        "| heading 1 | 1 Introduction | ITU Secretariat, First Draft |",
        # sentences of one paragraph with different sources: numbered, each source line naming its sentences
        "| para. 1.1. | (1) 1.1. The Forum will discuss the issues raised in …<br>"
        "(2) Delegates from all regions exchange views on …<br>(3) The report guides the discussion. "
        "| (1) ITU Secretariat, First Draft<br>"
        "(2) ITU Secretariat 6 words, First Draft; Brazil 3 words, WTPF-IEG/1/4, Preliminary Second Draft<br>"
        "(3) ITU Secretariat 4 words, First Draft; United States 1 word, Preliminary Second Draft |",
        r"| para. 1.2. | 1.2. Another paragraph.\[\^1\] | ITU Secretariat, First Draft |",  # escaped: read as written
        r"| table row ¶ 4 | Region \| Users | ITU Secretariat, First Draft |",
        "| table row ¶ 5 | (1) Africa<br>(2) 12 "
        "| (1) ITU Secretariat, First Draft<br>(2) United States, Preliminary Second Draft |",
        "| footnote 1 | A note by the secretariat. | ITU Secretariat, First Draft |",
    ]
    lines = annex.splitlines()
    start = lines.index(rows[0])
    assert lines[start:] == rows


def test_the_provenance_annex_in_word_reads_back_in_pandoc_with_the_sources(history: Path) -> None:
    wtpf("blame", "Preliminary Second Draft", "--format", "docx", "-o", "annex.docx", cwd=history)
    doc = pandoc_read(history / "annex.docx", "accept")
    body = doc.body
    assert "Provenance of the text of the Preliminary Second Draft (WTPF-IEG/1/9)" in body
    # the row of paragraph 1.1: its place (never broken: no-break spaces), its sentences (one a line), their
    # sources (one line each)
    at = body.index("para.\u00a01.1.")
    assert body[at + 1 : at + 3] == [
        "(1) 1.1. The Forum will discuss the issues raised in …\n"
        "(2) Delegates from all regions exchange views on …\n(3) The report guides the discussion.",
        "(1) ITU Secretariat, First Draft\n"
        "(2) ITU Secretariat 6 words, First Draft; Brazil 3 words, WTPF-IEG/1/4, Preliminary Second Draft\n"
        "(3) ITU Secretariat 4 words, First Draft; United States 1 word, Preliminary Second Draft",
    ]


def test_an_unknown_version_is_refused_with_the_closest_name(history: Path) -> None:
    r = wtpf("blame", "Preliminary Secnd Draft", cwd=history, check=4)
    assert "did you mean 'Preliminary Second Draft'?" in r.err and r.out == ""


def test_a_format_blame_cannot_write_is_a_usage_error(history: Path) -> None:
    r = wtpf("blame", "--format", "html", cwd=history, check=2)
    assert "--format" in r.err


def test_table_rows_and_footnotes_are_passages_of_their_own(history: Path) -> None:
    report = json.loads(wtpf("blame", "Preliminary Second Draft", "--json", cwd=history).out)
    rows = [p for p in report["paragraphs"] if p["kind"] == "table row"]
    assert [r["text"] for r in rows] == ["Region | Users", "Africa | 12"]
    africa = rows[1]["sentences"]
    assert [s["text"] for s in africa] == ["Africa", "12"]
    assert without_dates(africa[0]["sources"]) == [src(SEC, 1, 1.0, FIRST)]
    assert without_dates(africa[1]["sources"]) == [src("United States", 1, 1.0, SECOND)]
    (note,) = [p for p in report["paragraphs"] if p["kind"] == "footnote"]
    assert (note["number"], note["heading"], note["text"]) == ("1", None, "A note by the secretariat.")
    assert paragraph(report, "1.2.")["text"] == "1.2. Another paragraph.[^1]"


def test_para_and_source_select_what_a_chairman_asks_about(history: Path) -> None:
    out = wtpf("blame", "Preliminary Second Draft", "--para", "1.1", "--source", "brazil", cwd=history).out
    assert out.splitlines()[0] == (
        "Provenance of the text of the Preliminary Second Draft (WTPF-IEG/1/9): paragraph 1.1, "
        "sentences with words of Brazil"
    )
    assert "Delegates from all regions exchange views on public policy." in out
    assert "The report guides the discussion." not in out and "1.2." not in out
    report = json.loads(wtpf("blame", "--para", "1.2.", "--json", cwd=history).out)
    assert [p["number"] for p in report["paragraphs"]] == ["1.2."]
    r = wtpf("blame", "--source", "Brasil", cwd=history, check=2)
    assert "did you mean 'Brazil'?" in r.err
    r = wtpf("blame", "--para", "9.9", cwd=history, check=2)
    assert "no paragraph or heading numbered '9.9'" in r.err


def test_sentences_end_at_full_stops_but_not_after_abbreviations_or_initials(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    body = (
        "1.1. The U.S. Government, e.g. the FCC, agreed with Res. 101 (Rev. Guadalajara, 2010) as J. Smith noted. "
        "Does it apply?  It does! “Quoted.” Last one\n"
    )
    (root / "report.md").write_text(text[: text.index("---\n", 4) + 4] + body, encoding="utf-8")
    wtpf("commit", "--source", SEC, "-m", "Text", cwd=root)
    para = paragraph(json.loads(wtpf("blame", "--json", cwd=root).out), "1.1.")
    assert [s["text"] for s in para["sentences"]] == [
        "1.1. The U.S. Government, e.g. the FCC, agreed with Res. 101 (Rev. Guadalajara, 2010) as J. Smith noted.",
        "Does it apply?",
        "It does!",
        "“Quoted.”",
        "Last one",
    ]
    # "1.1." is one word (a number), "U.S." and "e.g." two each: 1 + 19 in the first sentence
    assert [s["words"] for s in para["sentences"]] == [1 + 19, 3, 2, 1, 2]
