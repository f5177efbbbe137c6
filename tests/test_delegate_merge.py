"""The delegates' files merged: every case of the corpus (tests/delegates/, made by LibreOffice editing our build
of base.md) added to a workspace stamped from base.md and merged, and report.md held against the case's
expected.md by structure (pandoc's syntax tree: block kinds, list items, rows, notes, emphasis, links).

Each file carries its origin (the build's custom properties, kept by LibreOffice), so each is recorded on the
First Draft without --on; nothing in the corpus is formatting Markdown cannot hold, so nothing is left out.
"""

from __future__ import annotations

import re
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import wtpf_cli
from support.cli import clean_env, wtpf
from support.delegates import build_base, insert_list_item, replace, set_format
from support.libreoffice import LibreOffice
from support.markdown_ast import assert_same_structure
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.messages import Kind

CORPUS = Path(__file__).resolve().parent / "delegates"
CASES = sorted(path.parent.name for path in CORPUS.glob("*/case.toml"))


@pytest.fixture(scope="module")
def stamped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace of base.md, stamped First Draft (the corpus files were made from its build)."""
    root, _docx = build_base(tmp_path_factory.mktemp("base"))
    return root


@pytest.mark.parametrize("name", CASES)
def test_each_delegate_file_merges_into_the_expected_markdown(
    name: str, stamped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tomllib.loads((CORPUS / name / "case.toml").read_text(encoding="utf-8"))
    root = tmp_path / "report"
    shutil.copytree(stamped, root)
    for key, value in clean_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    ws = wtpf_cli.open_workspace(root)
    for delegate in case["files"]:
        added = wtpf_cli.add_contribution(
            ws, CORPUS / name / delegate["file"], source=delegate["source"], received=delegate["received"]
        )
        assert (added.contribution.on_version, added.note) == ("First Draft", "")
    merged = wtpf_cli.merge(ws)
    assert not [m.text for m in merged.messages if m.kind is Kind.NOT_PLACED]
    body = split_front_matter((root / "report.md").read_text(encoding="utf-8")).body
    assert_same_structure(body, (CORPUS / name / "expected.md").read_text(encoding="utf-8"), what=name)


@pytest.mark.parametrize(
    ("position", "delimiter"),
    [("first", "|---|:--|:--|--:|"), ("middle", "|:--|:--|---|--:|"), ("last", "|:--|:--|--:|---|")],
)
@pytest.mark.parametrize("tracking", ["tracked", "untracked"])
def test_a_column_a_delegate_adds_keeps_the_alignment_of_the_others(
    position: str, delimiter: str, tracking: str, stamped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every row changes (a cell more): the rows taken out and put in are paired, the header's cells with them, so
    # that each kept column keeps its mark (the Year column stays right-aligned); the new one has none.
    root = tmp_path / "report"
    shutil.copytree(stamped, root)
    for key, value in clean_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    ws = wtpf_cli.open_workspace(root)
    case = CORPUS / f"column-insert-{position}-{tracking}"
    wtpf_cli.add_contribution(ws, case / "delegate.docx", source="Senegal", received="2012-05-10")
    wtpf_cli.merge(ws)
    assert delimiter in (root / "report.md").read_text(encoding="utf-8").splitlines()


LOOSE = """# 1 Goals

1.1. The Forum sets these goals:

1. Connect the unconnected.

1. Lower costs.

1. Train staff.

1.2. And these steps:

1. Consult.
2. Draft.
"""


def test_an_item_a_delegate_adds_to_a_list_is_written_as_the_items_around_it(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    # A list written "1." for every item, a blank line between them, keeps that style; a tight list counted up
    # stays tight and counted.
    root, docx = build_base(tmp_path, LOOSE)
    ops = [
        insert_list_item("Share data.", after="Lower costs."),
        insert_list_item("Report back.", after="Train staff."),
        insert_list_item("Adopt.", after="Draft."),
    ]
    edited = libreoffice.apply(docx, tmp_path / "d.docx", author="Delegate of Brazil", ops=ops)
    wtpf("contribution", "add", str(edited), "--source", "Brazil", "--received", "2012-05-01", cwd=root)
    wtpf("merge", cwd=root)
    body = split_front_matter((root / "report.md").read_text(encoding="utf-8")).body
    assert (
        "1. Connect the unconnected.\n\n1. Lower costs.\n\n1. Share data.\n\n1. Train staff.\n\n1. Report back.\n\n"
        in body
    )
    assert "1. Consult.\n2. Draft.\n3. Adopt.\n" in body


LINKS = """# 1 Sources

1.1. See [the site](https://itu.int), [a section](https://itu.int/en/page#results) and [a page](https://itu.int/a%20b).

1.2. Also [a path](https://itu.int/a/../b) and [here](#sources)[^n].

[^n]: Read [the guide](https://itu.int/é?q=1&r=2#x).
"""


def test_links_come_back_as_the_base_wrote_them_from_a_file_libreoffice_saved(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    # LibreOffice writes a link with a fragment as a HYPERLINK field (its \l switch the fragment) and respells the
    # others (https://itu.int/, decoded escapes, no dot segments); two delegates touch none of them.
    root, docx = build_base(tmp_path, LINKS)
    for source in ("Brazil", "Kenya"):
        ops = [replace("Also", "See also")] if source == "Brazil" else [replace("Sources", "References")]
        edited = libreoffice.apply(docx, tmp_path / f"{source}.docx", author=f"Delegate of {source}", ops=ops)
        wtpf("contribution", "add", str(edited), "--source", source, "--received", "2012-05-01", cwd=root)
    merged = wtpf("merge", cwd=root)
    assert "0 in brackets" in merged.out and "tracking off" not in merged.err
    body = split_front_matter((root / "report.md").read_text(encoding="utf-8")).body
    assert body == LINKS.replace("Also", "See also").replace("# 1 Sources", "# 1 References")


@pytest.mark.parametrize("tracking", [True, False])
def test_an_emphasis_made_with_tracking_on_is_not_taken_for_an_untracked_edit(
    tracking: bool, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    # LibreOffice records it as a run's formatting change (w:rPrChange), with no inserted or deleted text.
    root, docx = build_base(tmp_path, "# 1 Goals\n\n1.1. The Forum sets goals for the next period.\n")
    ops = [set_format("next period", italic=True)]
    edited = libreoffice.apply(docx, tmp_path / "d.docx", author="Delegate of Brazil", ops=ops, tracking=tracking)
    wtpf("contribution", "add", str(edited), "--source", "Brazil", "--received", "2012-05-01", cwd=root)
    merged = wtpf("merge", cwd=root)
    assert "1.1. The Forum sets goals for the *next period*." in (root / "report.md").read_text(encoding="utf-8")
    assert ("tracking off" in merged.err) is not tracking


def test_a_link_word_writes_as_a_target_and_an_anchor_keeps_its_fragment(tmp_path: Path) -> None:
    # Word saves a link to a place in another document as the URI without its fragment (the relationship) and the
    # fragment as w:anchor; the file here is our build rewritten so.
    body = "# 1 Sources\n\n1.1. See [a section](https://itu.int/en/page#results) of the page.\n"
    root, docx = build_base(tmp_path, body)
    word = tmp_path / "word.docx"
    with zipfile.ZipFile(docx) as old, zipfile.ZipFile(word, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b'Target="https://itu.int/en/page#results"', b'Target="https://itu.int/en/page"')
                assert b'Target="https://itu.int/en/page"' in data
            elif info.filename == "word/document.xml":
                data, n = re.subn(rb"<w:hyperlink ", b'<w:hyperlink w:anchor="results" ', data)
                assert n == 1
            new.writestr(info, data)
    wtpf("contribution", "add", str(word), "--source", "Brazil", "--received", "2012-05-01", cwd=root)
    merged = wtpf("merge", cwd=root)
    assert "tracking off" not in merged.err
    assert split_front_matter((root / "report.md").read_text(encoding="utf-8")).body == body


def test_a_link_target_changed_in_a_hyperlink_fields_tracked_instruction_comes_back_as_the_new_target(
    tmp_path: Path,
) -> None:
    # Word records a link's new target as its HYPERLINK field's old instruction deleted (w:delInstrText in w:del)
    # and the new one inserted (ECMA-376 17.16.8): our build's link rewritten so.
    body = "# 1 Sources\n\n1.1. See [the site](https://itu.int/old) for more.\n"
    root, docx = build_base(tmp_path, body)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    word = tmp_path / "word.docx"
    with zipfile.ZipFile(docx) as old, zipfile.ZipFile(word, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "word/document.xml":
                tree = etree.fromstring(data)
                (link,) = tree.iter(f"{{{w}}}hyperlink")
                change = f'w:author="Delegate of Brazil" w:date="2012-05-01T09:00:00Z" xmlns:w="{w}"'
                field = [
                    f'<w:r xmlns:w="{w}"><w:fldChar w:fldCharType="begin"/></w:r>',
                    f'<w:del w:id="901" {change}><w:r><w:delInstrText xml:space="preserve"> HYPERLINK '
                    '"https://itu.int/old" </w:delInstrText></w:r></w:del>',
                    f'<w:ins w:id="902" {change}><w:r><w:instrText xml:space="preserve"> HYPERLINK '
                    '"https://itu.int/new" </w:instrText></w:r></w:ins>',
                    f'<w:r xmlns:w="{w}"><w:fldChar w:fldCharType="separate"/></w:r>',
                    *(etree.tostring(run).decode() for run in link),
                    f'<w:r xmlns:w="{w}"><w:fldChar w:fldCharType="end"/></w:r>',
                ]
                parent, at = link.getparent(), link.getparent().index(link)
                parent.remove(link)
                for k, xml in enumerate(field):
                    parent.insert(at + k, etree.fromstring(xml))
                data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
            new.writestr(info, data)
    wtpf("contribution", "add", str(word), "--source", "Brazil", "--received", "2012-05-01", cwd=root)
    wtpf("merge", cwd=root)
    after = split_front_matter((root / "report.md").read_text(encoding="utf-8")).body
    assert after == body.replace("/old)", "/new)")
