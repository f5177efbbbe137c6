"""The drafting gate CI runs on every push (`wtpf check`): the rules, their findings, and the exit code they mean."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from wtpf_cli.errors import CheckFailed, InputRejected
from wtpf_cli.markdown._gate_read import gate_read
from wtpf_cli.markdown.blocks import (  # the build's own parser: the gate sees what the build sees
    WORD_LIST_LEVELS,
    list_too_deep,
)
from wtpf_cli.markdown.frontmatter import DraftText, split_draft, split_front_matter
from wtpf_cli.markdown.notes import kept_notes, note_refs, split_notes
from wtpf_cli.markdown.parse import parse_body_tokens
from wtpf_cli.merging.resolve import find_passages
from wtpf_cli.model import Block, Meta
from wtpf_cli.reporting.schedule import base_version, plan_schedule
from wtpf_cli.store.config import CONFIG_NAME
from wtpf_cli.store.contributions import FOLDER, META, list_contributions
from wtpf_cli.store.days import today
from wtpf_cli.store.symbols import follows, rule_text, valid_form
from wtpf_cli.store.versions import Version, list_versions
from wtpf_cli.store.workspace import Workspace, config_warnings

if TYPE_CHECKING:
    from markdown_it.token import Token as MdToken


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


RULES = {  # id: (severity, meaning); the README's table lists the same
    "IN001": ("error", "the draft can be read at all (UTF-8, front matter closed and valid YAML)"),
    "FM001": ("error", "front matter: title, version, symbol and date are present once a version is stamped"),
    "FM002": ("warning", "front matter: version, symbol and date agree with the last stamp (the draft changed since)"),
    "FM003": ("error", "front matter: version, symbol and date are the last stamp's when the text is unchanged since"),
    "FM004": ("error", "front matter: the date is a day like 2012-07-03"),
    "SY001": ("error", "document symbol has a valid form"),
    "SY002": ("error", "document symbol follows [report].symbol_prefix as [report].symbol_rule says"),
    "LD001": ("error", "stamped versions follow the order of [report].ladder"),
    "LD002": ("error", "every stamped version's name is on [report].ladder"),
    "TT001": ("warning", "no posting milestone has passed with its version not stamped"),
    "TT002": ("warning", "every milestone's version is on [report].ladder"),
    "BR001": ("error", "no bracketed alternatives ([[Source: text]]) are left unresolved"),
    "BR002": ("warning", "square brackets are balanced"),
    "BR003": ("error", "no git conflict markers (<<<<<<<, =======, >>>>>>>) are left in the draft"),
    "CT001": ("error", "every contribution on a version already superseded has a disposition"),
    "MD001": ("warning", "no raw HTML (block or inline): the Word build keeps it as plain text"),
    "MD002": ("error", "every image the draft shows exists (path relative to the draft)"),
    "MD003": ("warning", "images: the Word build shows [alt text] in their place (none is embedded or fetched)"),
    "MD004": ("warning", "headings go no deeper than level 4 (####): deeper ones are built as level 4"),
    "MD005": ("warning", "every footnote reference [^x] has a definition (else it is printed as text)"),
    "MD006": ("warning", "every footnote definition is referenced (else the build leaves it out)"),
    "MD007": ("warning", "lists go no deeper than Word's nine levels: deeper items are built at the ninth"),
    "CF001": ("warning", "wtpf.toml has no key wtpf does not read (a misspelt key is otherwise ignored)"),
}

_FIELDS = ("version", "symbol", "date")


def _finding(file: str, line: int, rule: str, message: str) -> Finding:
    return Finding(file, line, rule, message, RULES[rule][0])


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The findings of one check, and what they mean for CI (it knows its exit code, as black's `Report` does)."""

    findings: tuple[Finding, ...]
    strict: bool = False  # warnings fail the check too

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return len(self.findings) - self.errors

    @property
    def exit_code(self) -> int:
        """0 if the check passes; CheckFailed's code on any error, or on any warning when strict."""
        return CheckFailed.exit_code if self.errors or (self.strict and self.warnings) else 0

    def summary(self) -> str:
        """The last line of the report: '2 error(s), 3 warning(s)'."""
        return f"{self.errors} error(s), {self.warnings} warning(s)"

    def failure(self) -> CheckFailed | None:
        """The error to exit with, if the check fails."""
        if not self.exit_code:
            return None
        return CheckFailed(f"the check found {self.errors} error(s) and {self.warnings} warning(s)")

    def as_json(self) -> list[dict[str, object]]:
        """Plain data for --json: the findings."""
        return [f.as_json() for f in self.findings]


def check(ws: Workspace, *, strict: bool = False) -> CheckReport:
    """Run every rule (see RULES); with `strict`, warnings fail the check too."""
    return CheckReport(tuple(run_rules(ws)), strict)


def _line_of(exc: InputRejected, parts: DraftText | None) -> int:
    """The draft's line where the body text a refusal names stands (its first), or 1."""
    pos = parts.body.find(exc.excerpt) if parts is not None and exc.excerpt else -1
    return parts.body_line + parts.body.count("\n", 0, pos) + 1 if parts is not None and pos >= 0 else 1


def run_rules(ws: Workspace) -> list[Finding]:
    """Run every rule over the working draft, the stamped versions, the timetable and the contributions."""
    name = ws.config.draft
    parts: DraftText | None = None
    try:
        text = ws.read_draft_text()
        parts = split_draft(text, path=name)
        markdown = markdown_findings(name, parts.body, parts.body_line, ws.draft_path.parent)
    except InputRejected as exc:
        return [_finding(name, _line_of(exc, parts), "IN001", str(exc))]
    head = ws.history.head()
    versions = list_versions(ws, merged=head)  # at an older commit, the versions stamped up to it
    findings = check_front_matter(ws, parts.meta, text, versions)
    findings += check_ladder(ws, versions)
    findings += check_timetable(ws, versions)
    findings += [_finding(CONFIG_NAME, line, "CF001", message) for message, line in config_warnings(ws)]
    findings += check_brackets(name, text, parts.body, parts.body_line)
    findings += markdown
    stamped = {v.name for v in versions[:-1]}
    for c in list_contributions(ws):
        if c.status == "pending" and c.on_version in stamped:
            where = f"{FOLDER}/{c.id}/{META}"
            findings.append(
                _finding(where, 1, "CT001", f"{c.source}'s contribution on {c.on_version} has no disposition")
            )
    return findings


def markdown_findings(name: str, body: str, body_line: int, folder: Path, *, chunked: bool = True) -> list[Finding]:
    """MD001 for the reader's warnings, then check_markdown's findings: from one parse of the body, or (unless
    `chunked` is False) chunk by chunk where that finds the same (speed only: wtpf_cli/markdown/_gate_read.py)."""
    read = gate_read(body) if chunked else None
    if read is None:
        # One parse serves every Markdown rule (the build's blocks are read from the same tokens).
        blocks, warnings, tokens, env = parse_body_tokens(body)
        found = check_markdown(name, body, body_line, folder, parsed=(blocks, tokens, env))
    else:
        blocks, warnings = read.blocks, read.warnings
        found = [f for first, tokens in read.parsed for f in token_findings(name, tokens, body_line + first, folder)]
        found += unused_notes(name, body, body_line, blocks, read.defined)
    findings = []
    for w in warnings:
        if w.startswith("a list nested"):
            continue  # MD007, with its line, from check_markdown
        m = re.search(r"line (\d+)", w)
        line = body_line + int(m.group(1)) if m else 1
        findings.append(_finding(name, line, "MD001", w))
    return findings + found


def check_front_matter(ws: Workspace, meta: Meta, text: str, versions: list[Version]) -> list[Finding]:
    """FM001-FM004, SY001-SY002: the front matter is complete, consistent with the last stamp, well formed."""
    name = ws.config.draft
    findings: list[Finding] = []
    body = split_front_matter(text).body
    head = text.splitlines()[: split_front_matter(text).body_line]

    def line_of(key: str) -> int:
        """The front matter line that sets `key` (1 where it is missing)."""
        return next((n for n, line in enumerate(head, 1) if line.startswith(f"{key}:")), 1)

    if versions:
        missing = [k for k in ("title", *_FIELDS) if not getattr(meta, k)]
        if missing:
            findings.append(_finding(name, 1, "FM001", f"front matter lacks {', '.join(missing)}"))
        last = versions[-1]
        said = (meta.version, meta.symbol, meta.date)
        stamped = (last.name, last.symbol, last.date)
        if any(said) and said != stamped:
            differ = ", ".join(
                f"{k} {a or '(none)'} (stamp: {b})" for k, a, b in zip(_FIELDS, said, stamped, strict=True) if a != b
            )
            unchanged = _stamped_body(ws, last) == body
            rule = "FM003" if unchanged else "FM002"
            why = "the text is the stamped one but " if unchanged else ""
            first = next(k for k, a, b in zip(_FIELDS, said, stamped, strict=True) if a != b)
            findings.append(
                _finding(name, line_of(first), rule, f"{why}front matter differs from {last.tag}: {differ}")
            )
    elif not meta.title:
        findings.append(_finding(name, 1, "FM001", "front matter lacks a title"))
    if meta.date:
        try:
            dt.date.fromisoformat(meta.date)
        except ValueError:
            findings.append(
                _finding(name, line_of("date"), "FM004", f"date {meta.date!r} is not a day like 2012-07-03")
            )
    if meta.symbol and not valid_form(meta.symbol):
        findings.append(
            _finding(name, line_of("symbol"), "SY001", f"symbol {meta.symbol!r} is not a valid document symbol")
        )
    elif meta.symbol and not follows(meta.symbol, ws.config.symbol_prefix, ws.config.symbol_rule):
        rule = rule_text(ws.config.symbol_prefix, ws.config.symbol_rule)
        findings.append(_finding(name, line_of("symbol"), "SY002", f"symbol {meta.symbol!r} does not follow {rule}"))
    return findings


def _stamped_body(ws: Workspace, version: Version) -> str | None:
    data = ws.history.read_file(version.sha, ws.draft_repo_path)
    return split_front_matter(data.decode("utf-8-sig", "replace")).body if data is not None else None


def check_ladder(ws: Workspace, versions: list[Version]) -> list[Finding]:
    """LD001-LD002: stamped versions are ladder names, stamped in ladder order."""
    findings: list[Finding] = []
    rungs = [r.lower() for r in ws.config.ladder]
    line = _toml_line(ws, r"^\s*ladder\s*=")
    highest = -1
    highest_name = ""
    seen: set[str] = set()
    for v in versions:
        base = base_version(v.name)
        reissue = base in seen  # a (Rev.N) of a version already stamped may be issued at any time
        seen.add(base)
        if base not in rungs:
            findings.append(
                _finding(
                    CONFIG_NAME, line, "LD002", f"{v.name} ({v.tag}) is not on the ladder: add it to [report].ladder"
                )
            )
            continue
        rank = rungs.index(base)
        if rank < highest and not reissue:
            findings.append(
                _finding(CONFIG_NAME, line, "LD001", f"{v.name} ({v.tag}) was stamped after {highest_name}, above it")
            )
        elif rank > highest:
            highest, highest_name = rank, v.name
    return findings


def check_timetable(ws: Workspace, versions: list[Version]) -> list[Finding]:
    """TT001-TT002: postings past with nothing stamped; milestones naming versions off the ladder."""
    findings: list[Finding] = []
    plan = plan_schedule(ws.config.milestones, versions, [], today(ws.config.time_zone))
    lines = _milestone_lines(ws)
    rungs = {r.lower() for r in ws.config.ladder}
    # plan_schedule sorts by date; the file order is needed for line numbers.
    order = sorted(range(len(ws.config.milestones)), key=lambda k: ws.config.milestones[k].date)
    for k, entry in zip(order, plan.entries, strict=True):
        line = lines[k] if k < len(lines) else 1
        if entry.kind == "posting" and entry.state == "overdue":
            findings.append(
                _finding(
                    CONFIG_NAME, line, "TT001", f"posting of {entry.version} was due {entry.date}: nothing is stamped"
                )
            )
        if entry.version and base_version(entry.version) not in rungs:
            findings.append(
                _finding(
                    CONFIG_NAME, line, "TT002", f"milestone of {entry.date} names {entry.version!r}, not on the ladder"
                )
            )
    return findings


def _toml_line(ws: Workspace, pattern: str) -> int:
    try:
        lines = (ws.root / CONFIG_NAME).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    rx = re.compile(pattern)
    return next((n for n, line in enumerate(lines, 1) if rx.match(line)), 1)


def _milestone_lines(ws: Workspace) -> list[int]:
    try:
        lines = (ws.root / CONFIG_NAME).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [n for n, line in enumerate(lines, 1) if line.strip().startswith("[[milestone]]")]


def check_brackets(name: str, text: str, body: str, body_line: int) -> list[Finding]:
    """BR001-BR002: unresolved alternatives; unbalanced square brackets."""
    findings = []
    for p in find_passages(text):
        alts = " / ".join(src for src, _ in p.alternatives)
        findings.append(_finding(name, p.line, "BR001", f"unresolved alternatives from {alts}"))
    # (No pattern scans past a bracket it does not close: tried at each of 40,000 unmatched `[`, one that scans to
    # the end of the text takes minutes.)
    plain = re.sub(r"\[\[[^\[\]:]+: ", "", re.sub(r"\]\]", "", body))
    plain = re.sub(r"\[([^\[\]]*)\]\([^()\s\[\]]*\)", r"\1", plain)  # links
    plain = re.sub(r"\[\^[^\[\]\s]+\]", "", plain)  # footnote references
    opened, closed = plain.count("["), plain.count("]")
    if opened != closed:
        findings.append(_finding(name, body_line + 1, "BR002", f"{opened} '[' but {closed} ']'"))
    for n, line in conflict_markers(text):
        findings.append(_finding(name, n, "BR003", f"git conflict marker {line[:7]!r}: finish the git merge"))
    return findings


def conflict_markers(text: str) -> list[tuple[int, str]]:
    """The lines (number, text) of git's conflict markers: a `<<<<<<<` line and, until its `>>>>>>>`, the `|||||||`,
    `=======` and `>>>>>>>` lines. Before a `<<<<<<<` those are Markdown (a quote seven deep, a heading's
    underline), not a conflict."""
    found: list[tuple[int, str]] = []
    inside = False
    for n, line in enumerate(text.splitlines(), 1):
        marker = _CONFLICT_RE.match(line)
        if marker is None:
            continue
        if marker.group(1) == "<<<<<<<":
            inside = True
        elif not inside:
            continue
        elif marker.group(1) == ">>>>>>>":
            inside = False
        found.append((n, line))
    return found


_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)")
_NOTE_REF_RE = re.compile(r"\[\^([^\[\]\s]+)\]")
_REMOTE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def check_markdown(
    name: str,
    body: str,
    body_line: int,
    folder: Path,
    *,
    parsed: tuple[list[Block], list[MdToken], dict[str, Any]] | None = None,
) -> list[Finding]:
    """MD001-MD007: what the Word build cannot render faithfully (inline HTML, images, deep headings, notes...).

    `parsed`: parse_body_tokens' blocks of `body`, markdown-it's tokens and the env it filled, if already read.
    """
    if parsed is None:
        blocks, _, tokens, env = parse_body_tokens(body)
    else:
        blocks, tokens, env = parsed
    defined = [str(k)[1:] for k in env.get("footnotes", {}).get("refs", {})]
    return token_findings(name, tokens, body_line, folder) + unused_notes(name, body, body_line, blocks, defined)


def token_findings(name: str, tokens: list[MdToken], first_line: int, folder: Path) -> list[Finding]:
    """MD001-MD005 and MD007 in markdown-it's tokens of a text that starts on line `first_line` + 1."""
    findings: list[Finding] = []
    lists = 0
    for k, t in enumerate(tokens):
        line = first_line + (t.map[0] if t.map else 0) + 1
        if t.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
            if lists == WORD_LIST_LEVELS + 1:
                text = next((x.content for x in tokens[k : k + 5] if x.type == "inline"), "")
                findings.append(_finding(name, line, "MD007", list_too_deep(lists, text)))
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        if t.type == "heading_open" and int(t.tag[1:]) > 4:
            findings.append(_finding(name, line, "MD004", f"heading level {t.tag[1:]} is built as level 4"))
        if t.type != "inline":
            continue
        for c in t.children or []:
            if c.type in ("softbreak", "hardbreak"):
                line += 1
            elif c.type == "html_inline":
                findings.append(_finding(name, line, "MD001", f"raw HTML {c.content.strip()!r} is kept as plain text"))
            elif c.type == "image":
                findings += _image(name, line, str(c.attrs.get("src", "")), c.content, folder)
            elif c.type == "text":
                for m in _NOTE_REF_RE.finditer(c.content):
                    findings.append(_finding(name, line, "MD005", f"footnote [^{m.group(1)}] has no definition"))
    return findings


def unused_notes(name: str, body: str, body_line: int, blocks: list[Block], defined: list[str]) -> list[Finding]:
    """MD006: the footnotes `defined` (labels, in order) that the body's blocks (parse_body's) do not keep."""
    findings: list[Finding] = []
    # Kept: referred to by the body, or by a note it keeps (a note only itself refers to is not shown).
    main, notes = split_notes(blocks)
    kept = set(kept_notes(note_refs(main), lambda label: note_refs(notes.get(label, ())), set(defined)))
    for label in defined:
        if label not in kept:
            line = _definition_line(body, label, body_line)
            findings.append(
                _finding(name, line, "MD006", f"footnote [^{label}] is never referenced: the build leaves it out")
            )
    return findings


def _image(name: str, line: int, src: str, alt: str, folder: Path) -> list[Finding]:
    shown = f"[{alt or 'image'}]"
    if _REMOTE_RE.match(src):
        return [_finding(name, line, "MD003", f"remote image {src} is not fetched: the Word build shows {shown}")]
    target = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not target or not (folder / target).is_file():
        return [_finding(name, line, "MD002", f"image {target or src!r} does not exist (relative to the draft)")]
    return [_finding(name, line, "MD003", f"image {target} is not embedded: the Word build shows {shown}")]


def _definition_line(body: str, label: str, body_line: int) -> int:
    rx = re.compile(r"^ {0,3}\[\^" + re.escape(label) + r"\]:")
    n = next((k for k, line in enumerate(body.splitlines()) if rx.match(line)), 0)
    return body_line + n + 1
