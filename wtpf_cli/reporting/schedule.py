"""The timetable against the record (`wtpf schedule`): what is past, next, overdue, and who sent comments when.

A milestone's state, on the secretariat's calendar day `today`:
- overdue: its day has passed and what it asked for is missing: a posting whose version is not stamped, or a
  deadline for comments on a version with contributions on that version still pending (no disposition);
- past: its day has passed and nothing is missing;
- next: the earliest day still to come (today included), every milestone on that day;
- upcoming: a later day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wtpf_cli.store.config import Milestone
from wtpf_cli.store.contributions import Contribution, list_contributions
from wtpf_cli.store.days import days_between, today
from wtpf_cli.store.versions import Version, list_versions
from wtpf_cli.store.workspace import Workspace

STATES = ("past", "next", "overdue", "upcoming")


def base_version(name: str) -> str:
    """A version name without '(Rev.N)', lower case: what the timetable names."""
    return name.split(" (Rev.", 1)[0].strip().lower()


@dataclass(frozen=True, slots=True)
class Receipt:
    """A contribution as the schedule shows it beside a deadline."""

    id: str
    source: str
    symbol: str
    received: str
    status: str

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "id": self.id,
            "source": self.source,
            "symbol": self.symbol or None,
            "received": self.received,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class Entry:
    """One milestone with its state on the day asked."""

    date: str
    kind: str
    version: str
    description: str
    state: str  # one of STATES
    days_left: int  # negative once passed
    note: str  # why it is overdue, or what met it ("stamped WTPF-IEG/1/2 on 2012-04-13")
    stamped: str = ""  # postings: the symbol of the version stamped, if it is
    before: tuple[Receipt, ...] = ()  # comments deadlines: contributions on the version received by the day
    after: tuple[Receipt, ...] = ()  # ... and after it (late)

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        data: dict[str, object] = {
            "date": self.date,
            "kind": self.kind,
            "version": self.version or None,
            "description": self.description,
            "state": self.state,
            "days_left": self.days_left,
            "note": self.note or None,
        }
        if self.kind == "posting":
            data["stamped"] = self.stamped or None
        if self.kind == "comments":
            data["received_before"] = [r.as_json() for r in self.before]
            data["received_after"] = [r.as_json() for r in self.after]
        return data


@dataclass(frozen=True, slots=True)
class Schedule:
    """The timetable on one day."""

    today: str
    time_zone: str
    entries: tuple[Entry, ...]

    def upcoming_first(self) -> Entry | None:
        """The milestone that comes next: of those on the next day, a posting first, else the first listed."""
        nxt = [e for e in self.entries if e.state == "next"]
        return next((e for e in nxt if e.kind == "posting"), nxt[0] if nxt else None)

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "today": self.today,
            "time_zone": self.time_zone,
            "milestones": [e.as_json() for e in self.entries],
        }


def plan_schedule(
    milestones: Sequence[Milestone],
    versions: Sequence[Version],
    contributions: Sequence[Contribution],
    day: str,
    time_zone: str = "UTC",
) -> Schedule:
    """The states of `milestones` on `day` (a calendar day in `time_zone`), given what is stamped and received."""
    ordered = sorted(milestones, key=lambda m: m.date)  # stable: same-day milestones keep the file's order
    coming = [m.date for m in ordered if m.date >= day]
    next_day = coming[0] if coming else None
    entries = []
    for m in ordered:
        wanted = base_version(m.version)
        on_it = [c for c in contributions if base_version(c.on_version) == wanted] if wanted else []
        note = symbol = ""
        missing = False
        if m.kind == "posting" and wanted:
            stamped = [v for v in versions if base_version(v.name) == wanted]
            if stamped:
                first = stamped[0]
                symbol = first.symbol or first.name
                late = days_between(m.date, first.date) if first.date else 0
                note = f"stamped {first.symbol} on {first.date}" + (f", {late} days late" if late > 0 else "")
            elif m.date < day:
                missing = True
                note = f"{m.version} is not stamped"
        pending = [c for c in on_it if c.status == "pending"]
        if m.kind == "comments" and pending and m.date < day:
            missing = True
            note = f"{len(pending)} contribution(s) on {m.version} still pending"
        state = _state(m.date < day, missing, m.date == next_day)
        before: tuple[Receipt, ...] = ()
        after: tuple[Receipt, ...] = ()
        if m.kind == "comments":
            before = tuple(_receipt(c) for c in on_it if c.received <= m.date)
            after = tuple(_receipt(c) for c in on_it if c.received > m.date)
        entries.append(
            Entry(
                m.date, m.kind, m.version, m.description, state, days_between(day, m.date), note, symbol, before, after
            )
        )
    return Schedule(day, time_zone, tuple(entries))


def _state(passed: bool, missing: bool, next_day: bool) -> str:
    if passed:
        return "overdue" if missing else "past"
    return "next" if next_day else "upcoming"


def _receipt(c: Contribution) -> Receipt:
    return Receipt(c.id, c.source, c.symbol, c.received, c.status)


def make_schedule(ws: Workspace) -> Schedule:
    """The workspace's timetable on today's calendar day in its time zone (WTPF_TODAY fixes the day)."""
    day = today(ws.config.time_zone)
    return plan_schedule(ws.config.milestones, list_versions(ws), list_contributions(ws), day, ws.config.time_zone)
