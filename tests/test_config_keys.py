"""wtpf.toml as people mistype it: a key wtpf does not read is warned of with its line by every command and by
`check`; a wrong milestone is refused naming its line - through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import init_report, wtpf


def append(root: Path, text: str) -> list[str]:
    """Add `text` to wtpf.toml; its lines after."""
    path = root / "wtpf.toml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path.read_text(encoding="utf-8").splitlines()


def test_unknown_keys_are_warned_of_with_their_line_and_the_command_still_works(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    path = root / "wtpf.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("time_zone =", "time_zon ="), encoding="utf-8")
    lines = append(root, '\n[publish]\nurl = "x"\n\n[[milestone]]\ndate = 2012-05-15\nkind = "meeting"\nplace = "G"\n')
    typo = next(n for n, line in enumerate(lines, 1) if line.startswith("time_zon ="))
    table = lines.index("[publish]") + 1
    place = lines.index('place = "G"') + 1
    run = wtpf("status", cwd=root)
    assert run.err.splitlines() == [
        f"warning: wtpf.toml:{typo}: unknown key [report].time_zon is ignored",
        f"warning: wtpf.toml:{table}: unknown key [publish] is ignored",
        f"warning: wtpf.toml:{place}: unknown key [milestone].place is ignored",
    ]
    findings = json.loads(wtpf("check", "--json", cwd=root, check=None).out)
    flagged = [(f["line"], f["message"]) for f in findings if f["rule"] == "CF001"]
    assert flagged == [
        (typo, "unknown key [report].time_zon is ignored"),
        (table, "unknown key [publish] is ignored"),
        (place, "unknown key [milestone].place is ignored"),
    ]
    assert wtpf("check", "--strict", cwd=root, check=1).code == 1


def test_a_workspace_of_known_keys_has_no_warning(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    append(root, '\n[[milestone]]\ndate = 2012-05-15\nkind = "comments"\nversion = "First Draft"\ndescription = "x"\n')
    assert wtpf("status", cwd=root).err == ""


def test_a_milestone_without_a_kind_is_refused_naming_its_line(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    lines = append(root, '\n[[milestone]]\ndate = 2012-05-15\nkind = "meeting"\n\n[[milestone]]\ndate = 2012-06-01\n')
    header = len(lines) - 1
    err = wtpf("schedule", cwd=root, check=3).err.strip()
    kinds = "comments, posting, meeting, other"
    assert err == f"wtpf: {root / 'wtpf.toml'}:{header}: [[milestone]] needs a date and a kind ({kinds})"
