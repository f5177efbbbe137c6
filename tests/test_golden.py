"""Golden cases: one folder per behaviour under tests/cases (old.md, optional mid.md, new.md, expected.txt).

expected.txt is the redline read back from the .docx in a reviewable notation ({+ins+|Source} [-del-|Source],
moves [<from<|Source] {>to>|Source}, <<words|plain>b|Source>> formatted anew, paragraph marks as ¶: see
support/ooxml_view.notation); it was reviewed by eye once. Set WTPF_UPDATE_GOLDEN=1 to write missing ones. A case
whose old.md starts with a front matter block shows the cover too (its drafts are written whole).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.ooxml_view import notation, read_paragraphs
from support.workspaces import commit_body, new_workspace
from wtpf_cli.attribution.redline import RedlineRequest
from wtpf_cli.render.documents import redline_docx

CASES = Path(__file__).parent / "cases"
COVER = {"CoverSymbol", "CoverMeta", "Title", "Subtitle"}


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "old.md").exists())


def render_case(folder: Path, tmp: Path) -> str:
    ws = new_workspace(tmp / "ws", (folder / "old.md").read_text(encoding="utf-8"))
    base = ws.history.head()
    assert base is not None
    if (folder / "mid.md").exists():
        commit_body(ws, (folder / "mid.md").read_text(encoding="utf-8"), "Brazil", "2012-02-01T10:00:00Z")
        last = "United States"
    else:
        last = "Brazil"
    head = commit_body(ws, (folder / "new.md").read_text(encoding="utf-8"), last, "2012-03-01T10:00:00Z")
    written, _ = redline_docx(ws, RedlineRequest(base, head), tmp / "out.docx")
    cover = (folder / "old.md").read_text(encoding="utf-8").startswith("---\n")
    paras = [p for p in read_paragraphs(written.path) if cover or p.style not in COVER]
    return notation(paras)


@pytest.mark.parametrize("name", case_names())
def test_golden_case_redline_matches_the_reviewed_expectation(name: str, tmp_path: Path) -> None:
    folder = CASES / name
    got = render_case(folder, tmp_path)
    expected_file = folder / "expected.txt"
    if not expected_file.exists():
        if os.environ.get("WTPF_UPDATE_GOLDEN") == "1":
            expected_file.write_text(got, encoding="utf-8")
        pytest.fail(f"{expected_file} is missing; review the output and keep it:\n{got}")
    assert got == expected_file.read_text(encoding="utf-8")
