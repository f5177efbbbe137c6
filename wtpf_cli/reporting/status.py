"""Where the report stands (`wtpf status`): version, changes since, contributions, brackets, next milestone."""

from __future__ import annotations

from dataclasses import dataclass

from wtpf_cli.merging.resolve import find_passages
from wtpf_cli.reporting.schedule import Entry, make_schedule
from wtpf_cli.store.comments import all_comments
from wtpf_cli.store.contributions import list_contributions
from wtpf_cli.store.versions import version_rows
from wtpf_cli.store.workspace import Workspace

AT_RISK_DAYS = 7  # a posting this close, with work still open, is at risk


@dataclass(frozen=True, slots=True)
class Status:
    """The report at a glance."""

    version: str
    symbol: str
    date: str
    changes_since: int
    sources_since: tuple[str, ...]
    pending: int
    late: int
    brackets: int
    next_milestone: str
    next_date: str
    days_left: int | None
    today: str = ""
    time_zone: str = "UTC"
    next_kind: str = ""
    next_version: str = ""
    at_risk: str = ""  # why the next milestone is at risk; empty when it is not
    overdue: tuple[Entry, ...] = ()  # each overdue milestone, as `wtpf schedule` gives it
    noted: int = 0  # contributions of comments only (or letters) taken, not yet marked done
    open_comments: int = 0  # contributors' comments kept and not marked done

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "version": self.version,
            "symbol": self.symbol,
            "date": self.date,
            "changes_since": self.changes_since,
            "sources_since": list(self.sources_since),
            "pending_contributions": self.pending,
            "noted_contributions": self.noted,
            "open_comments": self.open_comments,
            "late_contributions": self.late,
            "open_brackets": self.brackets,
            "today": self.today,
            "time_zone": self.time_zone,
            "next_milestone": self.next_milestone or None,
            "next_date": self.next_date or None,
            "next_kind": self.next_kind or None,
            "next_version": self.next_version or None,
            "days_left": self.days_left,
            "at_risk": bool(self.at_risk),
            "at_risk_reason": self.at_risk or None,
            "overdue_milestones": [e.as_json() for e in self.overdue],
        }


def risk_of(entry: Entry | None, pending: int, brackets: int) -> str:
    """Why the next milestone is at risk, or "": a posting of a version not yet stamped, due within AT_RISK_DAYS
    days (today included), while contributions are pending or brackets are open."""
    if entry is None or entry.kind != "posting" or entry.stamped or entry.days_left > AT_RISK_DAYS:
        return ""
    open_work = [f"{pending} contribution(s) pending"] if pending else []
    open_work += [f"{brackets} bracketed passage(s) open"] if brackets else []
    return f"posting in {entry.days_left} day(s) with {' and '.join(open_work)}" if open_work else ""


def status(ws: Workspace) -> Status:
    """Current version, changes since it by source, pending contributions, open brackets, next milestone."""
    rows = version_rows(ws)
    stamped = [r for r in rows if r.tag]
    current = stamped[-1] if stamped else None
    working = rows[-1] if rows and not rows[-1].tag else None
    contributions = list_contributions(ws)
    plan = make_schedule(ws)
    nxt = plan.upcoming_first()
    pending = sum(1 for c in contributions if c.status == "pending")
    brackets = len(find_passages(ws.read_draft_text()))
    return Status(
        version=current.name if current else "(nothing stamped)",
        symbol=current.symbol if current else "",
        date=current.date if current else "",
        changes_since=working.changes if working else 0,
        sources_since=working.sources if working else (),
        pending=pending,
        late=sum(1 for c in contributions if c.late),
        brackets=brackets,
        next_milestone=(nxt.description or f"{nxt.kind} {nxt.version}".strip()) if nxt else "",
        next_date=nxt.date if nxt else "",
        days_left=nxt.days_left if nxt else None,
        today=plan.today,
        time_zone=plan.time_zone,
        next_kind=nxt.kind if nxt else "",
        next_version=nxt.version if nxt else "",
        at_risk=risk_of(nxt, pending, brackets),
        overdue=tuple(e for e in plan.entries if e.state == "overdue"),
        noted=sum(1 for c in contributions if c.status == "noted"),
        open_comments=sum(1 for k in all_comments(ws) if k.status == "open"),
    )
