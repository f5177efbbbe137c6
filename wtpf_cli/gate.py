"""Where the report stands (`wtpf status`) and the drafting gate CI runs on every push (`wtpf check`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .contributions import list_contributions
from .draft import read_draft, split_front_matter
from .errors import InputRejected
from .resolve import find_passages
from .schedule import Entry, make_schedule
from .versions import list_versions, version_rows
from .workspace import Workspace

_SYMBOL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/.() ]*$")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem the gate found: where, which rule, what, how bad."""

    file: str
    line: int
    rule: str
    message: str
    severity: str  # "error" | "warning"

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "file": self.file,
            "line": self.line,
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity,
        }


RULES = {
    "FM001": "front matter: title, version, symbol and date are present once a version is stamped",
    "FM002": "front matter: symbol and version agree with the last stamped version's tag",
    "SY001": "document symbol has a valid form",
    "BR001": "no bracketed alternatives ([[Source: text]]) are left unresolved",
    "BR002": "square brackets are balanced",
    "CT001": "every contribution on a version already superseded has a disposition",
    "MD001": "the Markdown has nothing the Word build cannot render faithfully (raw HTML)",
    "IN001": "the draft can be read at all",
}


def check(ws: Workspace) -> list[Finding]:
    """Run every rule over the working draft and the contributions."""
    name = ws.config.draft
    findings: list[Finding] = []
    try:
        text = ws.read_draft_text()
        doc = read_draft(text, path=name)
    except InputRejected as exc:
        return [Finding(name, 1, "IN001", str(exc), "error")]
    meta = doc.meta
    versions = list_versions(ws)
    if versions:
        missing = [k for k in ("title", "version", "symbol", "date") if not getattr(meta, k)]
        if missing:
            findings.append(Finding(name, 1, "FM001", f"front matter lacks {', '.join(missing)}", "error"))
        last = versions[-1]
        if meta.version and (meta.version, meta.symbol) != (last.name, last.symbol):
            findings.append(
                Finding(
                    name,
                    1,
                    "FM002",
                    f"front matter says {meta.version} ({meta.symbol}) but the "
                    f"last stamp is {last.name} ({last.symbol})",
                    "warning",
                )
            )
    elif not meta.title:
        findings.append(Finding(name, 1, "FM001", "front matter lacks a title", "error"))
    if meta.symbol and not _SYMBOL_RE.match(meta.symbol):
        findings.append(Finding(name, 1, "SY001", f"symbol {meta.symbol!r} is not a valid document symbol", "error"))
    body_line = split_front_matter(text).body_line
    for p in find_passages(text):
        alts = " / ".join(src for src, _ in p.alternatives)
        findings.append(Finding(name, p.line, "BR001", f"unresolved alternatives from {alts}", "error"))
    plain = re.sub(r"\[\[[^\[\]:]+: ", "", re.sub(r"\]\]", "", text[len(text) - len(split_front_matter(text).body) :]))
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", plain)  # links
    plain = re.sub(r"\[\^[^\]]+\]", "", plain)  # footnote references
    opened, closed = plain.count("["), plain.count("]")
    if opened != closed:
        findings.append(Finding(name, body_line + 1, "BR002", f"{opened} '[' but {closed} ']'", "warning"))
    for w in doc.warnings:
        m = re.search(r"line (\d+)", w)
        line = body_line + int(m.group(1)) if m else 1
        findings.append(Finding(name, line, "MD001", w, "warning"))
    stamped = {v.name for v in versions[:-1]}
    for c in list_contributions(ws):
        if c.status == "pending" and c.on_version in stamped:
            findings.append(
                Finding(
                    f"contributions/{c.id}/contribution.toml",
                    1,
                    "CT001",
                    f"{c.source}'s contribution on {c.on_version} has no disposition",
                    "error",
                )
            )
    return findings


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
    overdue: tuple[str, ...] = ()  # "date kind version" of each overdue milestone

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "version": self.version,
            "symbol": self.symbol,
            "date": self.date,
            "changes_since": self.changes_since,
            "sources_since": list(self.sources_since),
            "pending_contributions": self.pending,
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
            "overdue_milestones": list(self.overdue),
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
        overdue=tuple(f"{e.date} {e.kind} {e.version}".strip() for e in plan.entries if e.state == "overdue"),
    )
