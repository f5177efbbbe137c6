"""The index page of a published site: the ladder of versions with their files, the timetable, the contributions.

One self-contained page (inline CSS, no script, nothing fetched); every link is to a file of the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from wtpf_cli.labels import format_date
from wtpf_cli.languages import language_code
from wtpf_cli.reporting.schedule import Entry as Milestone
from wtpf_cli.reporting.schedule import Schedule
from wtpf_cli.store.config import Config
from wtpf_cli.store.contributions import Contribution
from wtpf_cli.store.versions import Version

_KINDS = {"comments": "Deadline for comments", "posting": "Online posting", "meeting": "Meeting", "other": ""}


@dataclass(frozen=True, slots=True)
class Entry:
    """A version on the ladder and its files by kind: docx, pdf, html, redline-docx, redline-html."""

    version: Version
    files: dict[str, str]


def _link(files: dict[str, str], kind: str, label: str, what: str) -> str:
    name = files.get(kind)
    if name is None:
        return ""
    return f'<a href="{escape(name)}" title="{escape(what)}">{label}</a>'


def _ladder(entries: Sequence[Entry]) -> str:
    if not entries:
        return "<p>No version has been stamped yet.</p>"
    rows = []
    for k in range(len(entries) - 1, -1, -1):  # the newest first
        v, files = entries[k].version, entries[k].files
        doc = " · ".join(
            x
            for x in (
                _link(files, "docx", "Word", f"{v.name}, Word document"),
                _link(files, "pdf", "PDF", f"{v.name}, PDF"),
                _link(files, "html", "Web page", f"{v.name}, web page"),
            )
            if x
        )
        if k:
            what = f"{v.name}: revision marks against the {entries[k - 1].version.name}"
            marks = " · ".join(
                x
                for x in (
                    _link(files, "redline-docx", "Word", f"{what}, Word document with tracked changes"),
                    _link(files, "redline-html", "Web page", f"{what}, web page"),
                )
                if x
            )
            marks = f'<span class="against">against the {escape(entries[k - 1].version.name)}:</span> {marks}'
        else:
            marks = '<span class="none">the first version</span>'
        current = ' class="current"' if k == len(entries) - 1 else ""
        rows.append(
            f'<tr{current} id="v-{escape(v.slug)}"><th scope="row">{escape(v.name)}</th>'
            f'<td class="symbol">{escape(v.symbol)}</td>'
            f'<td><time datetime="{escape(v.date)}">{escape(format_date(v.date))}</time></td>'
            f"<td>{doc}</td><td>{marks}</td></tr>"
        )
    return (
        "<p>Each version as posted, the newest first: the document, and its revision marks against the version "
        "before it, each change under the name of its source.</p>"
        '<table class="ladder"><thead><tr><th scope="col">Version</th><th scope="col">Symbol</th>'
        '<th scope="col">Date</th><th scope="col">Document</th><th scope="col">Revision marks</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _milestone_note(m: Milestone) -> str:
    if m.kind != "comments":
        return escape(m.note)
    received = f"{len(m.before)} received by the deadline"
    if m.after:
        received += f", {len(m.after)} after it"
    return escape("; ".join(x for x in (received, m.note) if x))


def _timetable(schedule: Schedule) -> str:
    if not schedule.entries:
        return "<p>No timetable has been set.</p>"
    rows = []
    for m in schedule.entries:
        kind = _KINDS.get(m.kind, "")
        what = escape(m.description or kind)
        rows.append(
            f'<tr class="{escape(m.state)}"><td><time datetime="{escape(m.date)}">{escape(format_date(m.date))}'
            f"</time></td><td>{what}</td><td>{escape(m.version)}</td>"
            f'<td><span class="state">{escape(m.state)}</span></td><td>{_milestone_note(m)}</td></tr>'
        )
    return (
        f'<p>As of <time datetime="{escape(schedule.today)}">{escape(format_date(schedule.today))}</time> '
        f"({escape(schedule.time_zone)}): past, next, overdue and upcoming milestones; for each deadline for "
        "comments, the contributions received by it and after it.</p>"
        '<table class="timetable"><thead><tr><th scope="col">Date</th><th scope="col">Milestone</th>'
        '<th scope="col">Version</th><th scope="col">State</th><th scope="col">Note</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _contributions(items: Sequence[Contribution]) -> str:
    if not items:
        return "<p>No contribution has been received.</p>"
    rows = []
    for c in items:
        late = f'<span class="late">late</span> (deadline {escape(format_date(c.deadline))})' if c.late else "on time"
        rows.append(
            f'<tr><td class="symbol">{escape(c.symbol)}</td><th scope="row">{escape(c.source)}</th>'
            f'<td><time datetime="{escape(c.received)}">{escape(format_date(c.received))}</time></td>'
            f"<td>{late}</td><td>{escape(c.on_version)}</td><td>{escape(c.disposition())}</td></tr>"
        )
    return (
        "<p>Every contribution received, in order of receipt, and what became of it.</p>"
        '<table class="contributions"><thead><tr><th scope="col">Symbol</th><th scope="col">Source</th>'
        '<th scope="col">Received</th><th scope="col">Late</th><th scope="col">On</th>'
        f'<th scope="col">Disposition</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def index_html(
    config: Config, entries: Sequence[Entry], schedule: Schedule, contributions: Sequence[Contribution]
) -> bytes:
    """The index page of the site."""
    title = escape(config.title)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(language_code(config.language))}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f'<meta name="description" content="{title}: versions, timetable and contributions">\n'
        f'<meta name="generator" content="wtpf">\n<style>\n{_CSS}</style>\n</head>\n<body>\n'
        f'<header><p class="prefix">{escape(config.symbol_prefix)}</p><h1>{title}</h1>'
        "<p>The versions of the report as posted, the timetable and the contributions received.</p>"
        '<nav aria-label="Sections"><a href="#versions">Versions</a> · <a href="#timetable">Timetable</a> · '
        '<a href="#contributions">Contributions</a></nav></header>\n<main>\n'
        f'<section id="versions" aria-labelledby="versions-h"><h2 id="versions-h">Versions</h2>{_ladder(entries)}'
        "</section>\n"
        f'<section id="timetable" aria-labelledby="timetable-h"><h2 id="timetable-h">Timetable</h2>'
        f"{_timetable(schedule)}</section>\n"
        '<section id="contributions" aria-labelledby="contributions-h"><h2 id="contributions-h">Contributions</h2>'
        f"{_contributions(contributions)}</section>\n</main>\n"
        "<footer><p>Published with wtpf.</p></footer>\n</body>\n</html>\n"
    ).encode()


_CSS = """\
:root{--ink:#1a1a1a;--muted:#5f6368;--rule:#d0d4d9;--accent:#1c5fa0}
html{background:#fff;color:var(--ink)}
body{font:16px/1.5 Calibri,Carlito,"Segoe UI","Helvetica Neue",Arial,"Liberation Sans",sans-serif;
max-width:64rem;margin:0 auto;padding:2rem 1.5rem 4rem}
header{border-bottom:2px solid var(--ink);padding-bottom:1rem;margin-bottom:1.5rem}
header .prefix{text-align:right;font-weight:bold;margin:0}
h1{font-size:1.7rem;line-height:1.25;margin:.8rem 0 .4rem}
h2{font-size:1.3rem;margin:2rem 0 .5rem}
a{color:#1a4f8f}
nav a{font-weight:bold}
table{border-collapse:collapse;width:100%;font-size:.95rem;margin:.6rem 0}
th,td{border:1px solid var(--rule);padding:.35rem .55rem;text-align:left;vertical-align:top}
thead th{background:#eef1f4}
tbody th{font-weight:bold}
.symbol,td time{white-space:nowrap}
.ladder tr.current>*{background:#f3f7fc}
.ladder td:nth-child(4),.ladder td:nth-child(5) a{white-space:nowrap}
.against,.none{color:var(--muted)}
.state{display:inline-block;padding:0 .45em;border-radius:3px;font-size:.85em;font-weight:bold;
background:#eef1f4;color:var(--ink)}
tr.next .state{background:#1c5fa0;color:#fff}
tr.overdue .state{background:#c01f20;color:#fff}
tr.past{color:#444}
.late{color:#c01f20;font-weight:bold}
footer{margin-top:3rem;border-top:1px solid var(--rule);color:var(--muted);font-size:.9rem}
@media print{body{max-width:none;padding:0}nav{display:none}a{color:inherit}}
"""
