"""Text nested deep - lists 14 levels, block quotes 24 - reaches the .docx, the HTML page and the redline (Word's
nine list levels hold the deeper items at the ninth, with a warning that `check` gives too); deeper than the parser
reads is refused, never dropped - through the real command line."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from support.cli import git, stamped_report, wtpf

LIST_DEPTH, QUOTE_DEPTH = 14, 24
DEEP = (
    "\n".join("  " * d + f"- item at level {d + 1}" for d in range(LIST_DEPTH))
    + "\n\nBetween the list and the quotes.\n\n"
    + "\n".join(">" * d + f" quoted at depth {d}" for d in range(1, QUOTE_DEPTH + 1))
    + "\n\nThe last paragraph.\n"
)
TEXTS = [f"item at level {d + 1}" for d in range(LIST_DEPTH)] + [
    f"quoted at depth {d}" for d in range(1, QUOTE_DEPTH + 1)
]
BODY = "# 1 Introduction\n\n1.1. The Forum will discuss the report.\n\n"


def workspace(tmp_path: Path) -> Path:
    root = stamped_report(tmp_path, BODY)
    with (root / "report.md").open("a", encoding="utf-8") as fh:
        fh.write(DEEP)
    git("commit", "-qam", "Deep text", cwd=root)
    return root


def words_of_docx(path: Path) -> str:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    return " ".join(re.findall(r"<w:(?:t|delText)(?: [^>]*)?>([^<]*)</w:", xml))


def test_every_level_of_deep_lists_and_quotes_reaches_the_docx_the_html_and_the_redline(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    warning = (
        "warning: a list nested 10 levels deep ('item at level 10'): Word has 9 list levels, so the .docx shows its "
        "items at the 9th"
    )
    assert wtpf("build", "-o", "clean.docx", cwd=root).err.splitlines()[0] == warning
    wtpf("build", "--format", "html", "-o", "clean.html", cwd=root)
    wtpf("redline", "First Draft", "-o", "redline.docx", cwd=root)
    wtpf("redline", "First Draft", "--format", "html", "-o", "redline.html", cwd=root)
    for output in ("clean.docx", "redline.docx"):
        text = words_of_docx(root / output)
        assert [t for t in [*TEXTS, "The last paragraph."] if t not in text] == [], output
    xml = zipfile.ZipFile(root / "clean.docx").read("word/document.xml").decode()
    levels = [int(x) for x in re.findall(r'<w:ilvl w:val="(\d+)"/>', xml)]
    assert levels == [*range(9), *[8] * (LIST_DEPTH - 9)]  # the ninth level holds the deeper items
    for output in ("clean.html", "redline.html"):
        page = (root / output).read_text(encoding="utf-8")
        assert [t for t in [*TEXTS, "The last paragraph."] if t not in page] == [], output
    main = (root / "clean.html").read_text(encoding="utf-8").split("<main", 1)[1]
    assert main.count("<ul>") == LIST_DEPTH  # the page nests every level


def test_check_flags_a_list_deeper_than_words_nine_levels_with_its_line(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    findings = json.loads(wtpf("check", "--json", cwd=root, check=None).out)
    lines = (root / "report.md").read_text(encoding="utf-8").splitlines()
    line = lines.index("  " * 9 + "- item at level 10") + 1
    md007 = [(f["line"], f["severity"]) for f in findings if f["rule"] == "MD007"]
    assert md007 == [(line, "warning")]


def test_text_nested_deeper_than_the_parser_reads_is_refused_not_dropped(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    with (root / "report.md").open("a", encoding="utf-8") as fh:
        fh.write("\n" + "\n".join(">" * d + f" q{d}" for d in range(1, 121)) + "\n\nAfter.\n")
    git("commit", "-qam", "Too deep", cwd=root)
    err = wtpf("build", "-o", "x.docx", cwd=root, check=3).err.strip()
    assert err.endswith(
        "Markdown nested 100 levels deep or more (block quotes count one level each, lists two) cannot be read: 'q100'"
    )
    assert not (root / "x.docx").exists()
    line = (root / "report.md").read_text(encoding="utf-8").splitlines().index(">" * 100 + " q100") + 1
    assert f"report.md:{line}: error IN001 Markdown nested 100 levels deep" in wtpf("check", cwd=root, check=1).out


def test_a_footnote_defined_inside_another_footnotes_definition_is_refused_not_scattered(tmp_path: Path) -> None:
    # The plugin's footnote_tail would leave the outer note's list unopened in the body and drop its second item.
    root = workspace(tmp_path)
    with (root / "report.md").open("a", encoding="utf-8") as fh:
        fh.write("\nA claim.[^outer][^inner]\n\n[^outer]: - [^inner]: its page.\n    - Another source.\n")
    git("commit", "-qam", "Nested notes", cwd=root)
    message = (
        "a footnote definition inside another footnote's definition cannot be read: '[^inner]: its page.' (end the "
        "first definition with a blank line and a line that is not indented)"
    )
    assert wtpf("build", "-o", "x.docx", cwd=root, check=3).err.strip().endswith(message)
    lines = (root / "report.md").read_text(encoding="utf-8").splitlines()
    line = lines.index("[^outer]: - [^inner]: its page.") + 1
    # a finding of check's, as its other input errors, on the line of the definition
    assert f"report.md:{line}: error IN001 {message}" in wtpf("check", cwd=root, check=1).out
    assert not (root / "x.docx").exists()
