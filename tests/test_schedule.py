"""The timetable: `wtpf schedule`, the time zone, WTPF_TODAY, late contributions, `wtpf status` on the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import git, init_report, wtpf
from wtpf_cli.store.config import read_timetable

REPO = Path(__file__).resolve().parent.parent

TIMETABLE = """
[[milestone]]
date = 2012-04-13
kind = "posting"
version = "First Draft"
description = "Online posting of the first draft"

[[milestone]]
date = 2012-05-15
kind = "comments"
version = "First Draft"
description = "Deadline for comments on the first draft"

[[milestone]]
date = 2012-06-01
kind = "posting"
version = "Second Draft"
description = "Online posting of the second draft"

[[milestone]]
date = 2012-06-20
kind = "meeting"
description = "Meeting of the group of experts"

[[milestone]]
date = 2012-07-01
kind = "posting"
version = "Third Draft"
description = "Online posting of the third draft"
"""


def with_timetable(tmp_path: Path, time_zone: str | None = None) -> Path:
    """A workspace with TIMETABLE in wtpf.toml (and a time zone), the First Draft stamped on 13 April 2012."""
    root = init_report(tmp_path)
    config = root / "wtpf.toml"
    text = config.read_text(encoding="utf-8")
    if time_zone:
        text = text.replace('time_zone = "UTC"', f'time_zone = "{time_zone}"')
    config.write_text(text + TIMETABLE, encoding="utf-8")
    git("commit", "-qam", "timetable", cwd=root)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    return root


def add_letter(root: Path, source: str, received: str) -> dict[str, object]:
    """Register a comment letter from `source` received at `received`; its entry in `contribution list --json`."""
    letter = root.parent / f"{source}.txt"
    letter.write_text(f"Comments from {source}.\n", encoding="utf-8")
    wtpf("contribution", "add", str(letter), "--source", source, "--received", received, cwd=root)
    items = json.loads(wtpf("contribution", "list", "--json", cwd=root).out)
    found: dict[str, object] = next(c for c in items if c["source"] == source)
    return found


def test_schedule_marks_past_overdue_next_and_upcoming_milestones_with_days_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = with_timetable(tmp_path)
    add_letter(root, "ARIN", "2012-05-10")
    add_letter(root, "Brazil", "2012-05-16")
    monkeypatch.setenv("WTPF_TODAY", "2012-06-10")
    plan = json.loads(wtpf("schedule", "--json", cwd=root).out)
    assert plan["today"] == "2012-06-10" and plan["time_zone"] == "UTC"
    rows = [(m["date"], m["state"], m["days_left"]) for m in plan["milestones"]]
    assert rows == [
        ("2012-04-13", "past", -58),
        ("2012-05-15", "overdue", -26),  # two contributions on the First Draft have no disposition
        ("2012-06-01", "overdue", -9),  # the Second Draft is not stamped
        ("2012-06-20", "next", 10),
        ("2012-07-01", "upcoming", 21),
    ]
    first, comments, posting = plan["milestones"][:3]
    assert first["stamped"] == "WTPF-IEG/1/1" and first["note"] == "stamped WTPF-IEG/1/1 on 2012-04-13"
    assert comments["note"] == "2 contribution(s) on First Draft still pending"
    assert [r["source"] for r in comments["received_before"]] == ["ARIN"]
    assert [(r["source"], r["id"]) for r in comments["received_after"]] == [("Brazil", "2012-05-16-brazil")]
    assert posting["note"] == "Second Draft is not stamped" and posting["stamped"] is None
    table = wtpf("schedule", cwd=root).out
    assert "overdue" in table and "Comments on First Draft due 2012-05-15: 1 by the deadline, 1 after" in table
    assert "late  2012-05-16  Brazil" in table


def test_a_comment_deadline_is_past_not_overdue_once_every_contribution_has_a_disposition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = with_timetable(tmp_path)
    add_letter(root, "ARIN", "2012-05-10")
    wtpf("contribution", "decline", "2012-05-10-arin", "--reason", "Outside the scope of the report.", cwd=root)
    monkeypatch.setenv("WTPF_TODAY", "2012-05-20")
    comments = json.loads(wtpf("schedule", "--json", cwd=root).out)["milestones"][1]
    assert (comments["state"], comments["note"]) == ("past", None)
    assert [r["status"] for r in comments["received_before"]] == ["not-retained"]


def test_before_the_timetable_starts_the_first_milestone_is_next_and_a_deadline_today_is_not_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = with_timetable(tmp_path)
    monkeypatch.setenv("WTPF_TODAY", "2012-05-15")
    states = [(m["state"], m["days_left"]) for m in json.loads(wtpf("schedule", "--json", cwd=root).out)["milestones"]]
    assert states == [("past", -32), ("next", 0), ("upcoming", 17), ("upcoming", 36), ("upcoming", 47)]


def test_a_contribution_sent_late_in_utc_but_on_the_deadline_day_in_new_york_is_on_time(tmp_path: Path) -> None:
    root = with_timetable(tmp_path, "America/New_York")
    # 02:30 UTC on 16 May is 22:30 on 15 May in New York (UTC-4 in May): the deadline day there.
    c = add_letter(root, "United States", "2012-05-16T02:30:00Z")
    assert (c["received"], c["late"], c["deadline"]) == ("2012-05-15", False, "2012-05-15")
    plan = json.loads(wtpf("schedule", "--json", cwd=root).out)
    assert [r["source"] for r in plan["milestones"][1]["received_before"]] == ["United States"]


def test_the_same_instant_is_late_in_a_workspace_on_utc(tmp_path: Path) -> None:
    root = with_timetable(tmp_path)
    c = add_letter(root, "United States", "2012-05-16T02:30:00Z")
    assert (c["received"], c["late"]) == ("2012-05-16", True)


def test_a_contribution_on_time_in_utc_is_late_once_it_is_past_midnight_in_geneva(tmp_path: Path) -> None:
    root = with_timetable(tmp_path, "Europe/Zurich")
    # 23:30 UTC on 15 May is 01:30 on 16 May in Geneva (UTC+2 in May): after the deadline there.
    c = add_letter(root, "Internet Society", "2012-05-15T23:30:00Z")
    assert (c["received"], c["late"]) == ("2012-05-16", True)
    plan = json.loads(wtpf("schedule", "--json", cwd=root).out)
    assert plan["time_zone"] == "Europe/Zurich"
    assert [r["source"] for r in plan["milestones"][1]["received_after"]] == ["Internet Society"]


def test_an_unknown_time_zone_is_refused_in_one_line_naming_the_setting(tmp_path: Path) -> None:
    root = with_timetable(tmp_path)
    config = root / "wtpf.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('time_zone = "UTC"', 'time_zone = "Mars/Olympus"'),
        encoding="utf-8",
    )
    r = wtpf("schedule", cwd=root, check=3)
    assert r.err.count("\n") == 1 and "[report].time_zone 'Mars/Olympus'" in r.err and "wtpf.toml" in r.err


def test_wtpf_today_must_be_a_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = with_timetable(tmp_path)
    monkeypatch.setenv("WTPF_TODAY", "tomorrow")
    r = wtpf("schedule", cwd=root, check=2)
    assert "WTPF_TODAY='tomorrow' is not a date" in r.err


def test_wtpf_today_is_the_default_day_a_contribution_is_received(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = with_timetable(tmp_path)
    monkeypatch.setenv("WTPF_TODAY", "2012-05-20")
    letter = tmp_path / "l.txt"
    letter.write_text("A letter.\n", encoding="utf-8")
    wtpf("contribution", "add", str(letter), "--source", "ARIN", cwd=root)
    (c,) = json.loads(wtpf("contribution", "list", "--json", cwd=root).out)
    assert (c["received"], c["late"]) == ("2012-05-20", True)


def test_an_empty_timetable_says_so_and_succeeds(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    r = wtpf("schedule", cwd=root)
    assert "No milestones" in r.out and "templates/timetable.toml" in r.out
    assert json.loads(wtpf("schedule", "--json", cwd=root).out)["milestones"] == []


def test_a_milestone_without_a_day_is_refused(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    with (root / "wtpf.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[milestone]]\ndate = "Feb 2013"\nkind = "meeting"\n')
    r = wtpf("schedule", cwd=root, check=3)
    line = (root / "wtpf.toml").read_text(encoding="utf-8").splitlines().index('date = "Feb 2013"') + 1
    assert f"wtpf.toml:{line}: [[milestone]] date 'Feb 2013' is not a day like 2012-05-15" in r.err


def test_the_timetable_template_is_annex_1_of_the_seed() -> None:
    milestones = read_timetable(REPO / "wtpf_cli" / "templates" / "timetable.toml")
    assert [(m.date, m.kind, m.version) for m in milestones] == [
        ("2012-03-09", "other", "First Draft"),
        ("2012-04-13", "posting", "First Draft"),
        ("2012-05-15", "comments", "First Draft"),
        ("2012-05-15", "other", ""),
        ("2012-06-05", "meeting", "First Draft"),
        ("2012-06-05", "posting", "Preliminary Second Draft"),
        ("2012-06-25", "comments", "Preliminary Second Draft"),
        ("2012-07-03", "posting", "Second Draft"),
        ("2012-08-01", "comments", "Second Draft"),
        ("2012-08-01", "other", ""),
        ("2012-08-31", "posting", "Third Draft"),
        ("2012-09-30", "comments", "Third Draft"),
        ("2012-10-09", "meeting", "Third Draft"),
        ("2013-01-10", "posting", "Fourth Draft"),
        ("2013-02-01", "meeting", "Fourth Draft"),
        ("2013-03-01", "posting", "Final Report"),
    ]
    assert "9 (pm), 10, 11 October 2012" in milestones[12].description
    assert "Feb 2013 (During CWG Cluster of Meetings)" in milestones[14].description
    assert milestones[2].description.startswith("Deadline for receipt of membership comments on the first draft")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "ws"
    wtpf("demo", str(root), cwd=root.parent)
    return root


def test_the_demo_timetable_marks_the_internet_society_contribution_late(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WTPF_TODAY", "2012-09-20")
    plan = json.loads(wtpf("schedule", "--json", cwd=demo).out)
    assert plan["time_zone"] == "Europe/Zurich" and len(plan["milestones"]) == 16
    first_comments = plan["milestones"][2]
    assert (first_comments["date"], first_comments["kind"], first_comments["state"]) == (
        "2012-05-15",
        "comments",
        "past",
    )
    assert [r["source"] for r in first_comments["received_before"]] == [
        "Russian Federation",
        "Brazil",
        "United States",
        "ARIN",
    ]
    assert [(r["source"], r["received"]) for r in first_comments["received_after"]] == [
        ("Internet Society", "2012-05-21")
    ]
    postings = [(m["version"], m["stamped"], m["state"]) for m in plan["milestones"] if m["kind"] == "posting"]
    assert postings == [
        ("First Draft", "WTPF-IEG/1/2", "past"),
        ("Preliminary Second Draft", "WTPF-IEG/1/9", "past"),
        ("Second Draft", "WTPF-IEG/1/10", "past"),
        ("Third Draft", "WTPF-IEG/2/2", "past"),
        ("Fourth Draft", None, "upcoming"),
        ("Final Report", None, "upcoming"),
    ]
    assert [(m["date"], m["state"]) for m in plan["milestones"] if m["state"] == "next"] == [("2012-09-30", "next")]
    late = [c["source"] for c in json.loads(wtpf("contribution", "list", "--json", cwd=demo).out) if c["late"]]
    assert late == ["Internet Society"]


def test_status_on_the_demo_gives_the_version_contributions_and_next_milestone(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WTPF_TODAY", "2012-09-20")
    s = json.loads(wtpf("status", "--json", cwd=demo).out)
    assert (s["version"], s["symbol"], s["date"]) == ("Third Draft", "WTPF-IEG/2/2", "2012-08-31")
    assert (s["changes_since"], s["sources_since"]) == (0, [])
    assert (s["pending_contributions"], s["late_contributions"], s["open_brackets"]) == (0, 1, 0)
    assert (s["next_date"], s["next_kind"], s["next_version"], s["days_left"]) == (
        "2012-09-30",
        "comments",
        "Third Draft",
        10,
    )
    assert s["next_milestone"] == "Deadline for receipt of comments on Third Draft."
    assert (s["at_risk"], s["overdue_milestones"], s["today"], s["time_zone"]) == (
        False,
        [],
        "2012-09-20",
        "Europe/Zurich",
    )
    out = wtpf("status", cwd=demo).out
    assert "Next milestone    2012-09-30 (10 days): Deadline for receipt of comments on Third Draft." in out
    assert "AT RISK" not in out


def test_status_lists_the_postings_overdue_after_the_timetable_ends(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WTPF_TODAY", "2013-03-05")
    s = json.loads(wtpf("status", "--json", cwd=demo).out)
    overdue = [(m["date"], m["kind"], m["version"], m["state"]) for m in s["overdue_milestones"]]
    assert overdue == [
        ("2013-01-10", "posting", "Fourth Draft", "overdue"),
        ("2013-03-01", "posting", "Final Report", "overdue"),
    ]
    entries = json.loads(wtpf("schedule", "--json", cwd=demo).out)["milestones"]
    assert s["overdue_milestones"] == [m for m in entries if m["state"] == "overdue"]  # as the schedule gives them
    assert s["next_date"] is None and s["at_risk"] is False
    assert "Next milestone    none in the timetable" in wtpf("status", cwd=demo).out


def test_a_posting_within_a_week_with_a_pending_contribution_is_at_risk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    made = wtpf("demo", str(root), cwd=tmp_path)
    assert "Late: Internet Society (received 2012-05-21, deadline 2012-05-15)" in made.out
    letter = tmp_path / "l.txt"
    letter.write_text("Please add a paragraph on spam.\n", encoding="utf-8")
    wtpf("contribution", "add", str(letter), "--source", "Brazil", "--received", "2013-01-03", cwd=root)
    monkeypatch.setenv("WTPF_TODAY", "2013-01-05")
    s = json.loads(wtpf("status", "--json", cwd=root).out)
    assert (s["next_date"], s["next_kind"], s["days_left"], s["pending_contributions"]) == (
        "2013-01-10",
        "posting",
        5,
        1,
    )
    assert s["at_risk"] is True and s["at_risk_reason"] == "posting in 5 day(s) with 1 contribution(s) pending"
    assert "AT RISK: posting in 5 day(s) with 1 contribution(s) pending" in wtpf("status", cwd=root).out
    monkeypatch.setenv("WTPF_TODAY", "2013-01-02")  # eight days before: not yet at risk
    earlier = json.loads(wtpf("status", "--json", cwd=root).out)
    assert (earlier["days_left"], earlier["at_risk"]) == (8, False)


def test_the_template_copied_into_a_new_workspace_is_its_timetable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = init_report(tmp_path)
    config = root / "wtpf.toml"
    text = config.read_text(encoding="utf-8")
    assert 'time_zone = "UTC"' in text and "# [[milestone]]" in text and "templates/timetable.toml" in text
    template = (REPO / "wtpf_cli" / "templates" / "timetable.toml").read_text(encoding="utf-8")
    config.write_text(text + template, encoding="utf-8")
    monkeypatch.setenv("WTPF_TODAY", "2012-03-01")
    plan = json.loads(wtpf("schedule", "--json", cwd=root).out)
    assert len(plan["milestones"]) == 16
    assert [(m["date"], m["state"], m["days_left"]) for m in plan["milestones"][:2]] == [
        ("2012-03-09", "next", 8),
        ("2012-04-13", "upcoming", 43),
    ]


def test_a_posting_stamped_after_its_day_is_past_and_says_how_late() -> None:
    from wtpf_cli.reporting.schedule import plan_schedule
    from wtpf_cli.store.config import Milestone
    from wtpf_cli.store.versions import Version

    stamped = [Version("Second Draft (Rev.1)", "WTPF-IEG/1/10(Rev.1)", "2012-07-06", "t", "0" * 40, 100)]
    plan = plan_schedule([Milestone("2012-07-03", "posting", "Second Draft")], stamped, [], "2012-07-10", "Asia/Tokyo")
    (entry,) = plan.entries
    assert (entry.state, entry.days_left, entry.stamped) == ("past", -7, "WTPF-IEG/1/10(Rev.1)")
    assert entry.note == "stamped WTPF-IEG/1/10(Rev.1) on 2012-07-06, 3 days late"
    assert plan.time_zone == "Asia/Tokyo"


def test_milestones_on_the_next_day_are_all_next_and_status_takes_the_posting_first() -> None:
    from wtpf_cli.reporting.schedule import plan_schedule
    from wtpf_cli.store.config import Milestone

    plan = plan_schedule(
        [
            Milestone("2012-06-25", "comments", "Preliminary Second Draft"),
            Milestone("2012-06-05", "meeting", "", "First meeting"),
            Milestone("2012-06-05", "posting", "Preliminary Second Draft"),
        ],
        [],
        [],
        "2012-06-01",
    )
    assert [(e.date, e.kind, e.state) for e in plan.entries] == [
        ("2012-06-05", "meeting", "next"),
        ("2012-06-05", "posting", "next"),
        ("2012-06-25", "comments", "upcoming"),
    ]
    first = plan.upcoming_first()
    assert first is not None and first.kind == "posting"
