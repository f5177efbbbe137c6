"""wtpf.toml: the workspace settings (title, symbol prefix, ladder, identities of the secretariat's staff)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from wtpf_cli.errors import InputRejected
from wtpf_cli.languages import language_code
from wtpf_cli.store.days import zone_info
from wtpf_cli.store.symbols import DEFAULT_SYMBOL_RULE, SYMBOL_RULES

CONFIG_NAME = "wtpf.toml"
DEFAULT_LADDER = (
    "First Draft",
    "Preliminary Second Draft",
    "Second Draft",
    "Third Draft",
    "Fourth Draft",
    "Final Report",
)


MILESTONE_KINDS = ("comments", "posting", "meeting", "other")


@dataclass(frozen=True, slots=True)
class Milestone:
    """A date of the timetable: a deadline for comments on a version, a posting, a meeting."""

    date: str  # ISO date, a calendar day in the secretariat's time zone
    kind: str  # one of MILESTONE_KINDS
    version: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    """The settings of one report."""

    title: str
    symbol_prefix: str
    secretariat: str
    secretariat_email: str = "secretariat@wtpf.invalid"
    draft: str = "report.md"
    report_id: str = "report"
    ladder: tuple[str, ...] = DEFAULT_LADDER
    language: str = "English"
    identities: tuple[tuple[str, str], ...] = field(default=())
    milestones: tuple[Milestone, ...] = field(default=())
    time_zone: str = "UTC"  # IANA name: "today" and received days are calendar days there
    symbol_rule: str = DEFAULT_SYMBOL_RULE  # how symbols follow symbol_prefix (store/symbols.py)
    labels: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = field(default=())  # [labels.LANG] key = text

    def comment_deadline(self, version: str) -> str | None:
        """The deadline for comments on `version` (ladder name, any '(Rev.N)' ignored), if the timetable has one."""
        base = version.split(" (Rev.", 1)[0].strip().lower()
        dates = [m.date for m in self.milestones if m.kind == "comments" and m.version.strip().lower() == base]
        return min(dates) if dates else None

    def source_of(self, name: str, email: str) -> str:
        """The source a git identity stands for: by email, by name, by email domain (`@itu.int`), else the name."""
        table = dict((k.lower(), v) for k, v in self.identities)
        for key in (email.lower(), name.lower()):
            if key and key in table:
                return table[key]
        if "@" in email:
            domain = "@" + email.rsplit("@", 1)[1].lower()
            if domain in table:
                return table[domain]
        return name or email or "Unknown"


def slugify(text: str) -> str:
    """A lowercase ASCII slug: 'WTPF-IEG/1 (Rev.1)' -> 'wtpf-ieg-1-rev-1'."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug or "x"


def read_config(path: Path) -> Config:
    """Load and validate wtpf.toml."""
    try:
        source = path.read_text(encoding="utf-8")
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise InputRejected(f"not valid TOML: {exc}", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputRejected("not UTF-8 text", path=str(path)) from exc
    report = data.get("report")
    if not isinstance(report, dict):
        raise InputRejected("missing the [report] table", path=str(path))

    def text(key: str, default: str | None = None) -> str:
        value = report.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise InputRejected(f"[report].{key} must be a non-empty string", path=str(path))
        return value

    ladder = report.get("ladder", list(DEFAULT_LADDER))
    if not isinstance(ladder, list) or not ladder or not all(isinstance(x, str) and x.strip() for x in ladder):
        raise InputRejected("[report].ladder must be a non-empty list of version names", path=str(path))
    identities = data.get("identities", {})
    if not isinstance(identities, dict) or not all(isinstance(v, str) for v in identities.values()):
        raise InputRejected("[identities] must map git names or emails to source names", path=str(path))
    prefix = text("symbol_prefix")
    milestones = read_milestones(data.get("milestone", []), str(path), source)
    time_zone = text("time_zone", "UTC").strip()
    zone_info(time_zone, where=str(path))
    symbol_rule = text("symbol_rule", DEFAULT_SYMBOL_RULE).strip()
    if symbol_rule not in SYMBOL_RULES:
        raise InputRejected(f"[report].symbol_rule must be one of {', '.join(SYMBOL_RULES)}", path=str(path))
    return Config(
        title=text("title"),
        symbol_prefix=prefix,
        secretariat=text("secretariat"),
        secretariat_email=text("secretariat_email", "secretariat@wtpf.invalid"),
        draft=text("draft", "report.md"),
        report_id=slugify(text("id", slugify(prefix))),
        ladder=tuple(ladder),
        language=text("language", "English"),
        identities=tuple((str(k), str(v)) for k, v in identities.items()),
        milestones=milestones,
        time_zone=time_zone,
        symbol_rule=symbol_rule,
        labels=read_labels(data.get("labels", {}), str(path)),
    )


def read_labels(raw: object, where: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The `[labels.LANGUAGE]` tables of wtpf.toml: the workspace's own fixed words (wtpf_cli/labels.py)."""
    if not isinstance(raw, dict):
        raise InputRejected("[labels] must hold one table per language, such as [labels.fr]", path=where)
    tables = []
    for language, texts in raw.items():
        if not isinstance(texts, dict) or language_code(language) == "und":
            raise InputRejected(f"[labels] {language!r} must be a table named by a language (fr, French)", path=where)
        bad = [key for key, text in texts.items() if not isinstance(text, str)]
        if bad:
            raise InputRejected(f"[labels.{language}].{bad[0]} must be a string", path=where)
        tables.append((str(language), tuple((str(k), str(v)) for k, v in texts.items())))
    return tuple(tables)


def read_milestones(raw: object, where: str, source: str = "") -> tuple[Milestone, ...]:
    """The `[[milestone]]` array of a TOML file (wtpf.toml or a timetable, whose text `source` is), validated; an
    error names the line of the milestone (of its date, when the date is wrong)."""
    if not isinstance(raw, list):
        raise InputRejected("[[milestone]] must be an array of tables", path=where)
    milestones = []
    for n, m in enumerate(raw, 1):
        if not isinstance(m, dict) or "date" not in m or m.get("kind") not in MILESTONE_KINDS:
            at = _at(where, _line_of(source, "milestone", n))
            raise InputRejected(f"[[milestone]] needs a date and a kind ({', '.join(MILESTONE_KINDS)})", path=at)
        day = m["date"]
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date | str):
            at = _at(where, _line_of(source, "milestone", n, "date") or _line_of(source, "milestone", n))
            raise InputRejected("[[milestone]] date must be a day like 2012-05-15", path=at)
        try:
            day = dt.date.fromisoformat(str(day)).isoformat()
        except ValueError as exc:
            at = _at(where, _line_of(source, "milestone", n, "date") or _line_of(source, "milestone", n))
            raise InputRejected(f"[[milestone]] date {day!r} is not a day like 2012-05-15", path=at) from exc
        milestones.append(Milestone(day, str(m["kind"]), str(m.get("version", "")), str(m.get("description", ""))))
    return tuple(milestones)


# The keys wtpf reads; any other is a misspelling or a setting of another version, and is ignored with a warning.
KNOWN_KEYS: dict[str, frozenset[str] | None] = {
    "report": frozenset(
        (
            "title",
            "symbol_prefix",
            "id",
            "secretariat",
            "secretariat_email",
            "draft",
            "language",
            "time_zone",
            "ladder",
            "symbol_rule",
        )
    ),
    "identities": None,  # any git identity
    "labels": None,  # one table of fixed words per language (read_labels checks them)
    "milestone": frozenset(("date", "kind", "version", "description")),
}

_HEADER_RE = re.compile(r"^\s*\[(\[)?\s*([^\]]+?)\s*\]")
_KEY_RE = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*[=.]""")


def unknown_keys(source: str) -> tuple[tuple[str, int], ...]:
    """The keys of a wtpf.toml text that wtpf does not read, each as `[table].key` with its line (1-based)."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError:
        return ()  # read_config refuses it
    found: list[tuple[str, int]] = []
    for name, value in data.items():
        if name not in KNOWN_KEYS:
            table = isinstance(value, dict | list)
            line = (_line_of(source, name, 1) if table else 0) or _line_of(source, None, 1, name)
            found.append((f"[{name}]" if table else name, line))
            continue
        known = KNOWN_KEYS[name]
        tables = value if isinstance(value, list) else [value]
        for n, table in enumerate(tables, 1):
            if known is None or not isinstance(table, dict):
                continue
            for key in table:
                if key not in known:
                    found.append((f"[{name}].{key}", _line_of(source, name, n, key)))
    return tuple(sorted(found, key=lambda item: item[1]))


def _line_of(source: str, table: str | None, n: int, key: str | None = None) -> int:
    """The line (1-based) where the `n`th `[table]` or `[[table]]` of a TOML text starts, or of its `key` (a key of
    the top level for table None), found in the text as tomllib gives no positions; 0 where not found."""
    current: str | None = None
    count = 0
    header = 0
    for number, line in enumerate(source.splitlines(), 1):
        match = _HEADER_RE.match(line)
        if match:
            current = match.group(2).strip().strip("\"'")
            if current == table:
                count += 1
                header = number if count == n else header
            continue
        if key is not None and current == table and (table is None or count == n):
            found = _KEY_RE.match(line)
            if found and found.group(1).strip("\"'") == key:
                return number
    return header


def _at(path: str, line: int) -> str:
    """`path:line`, or the path alone where the line is unknown."""
    return f"{path}:{line}" if line else path


def read_timetable(path: Path) -> tuple[Milestone, ...]:
    """A timetable file: `[[milestone]]` entries as in wtpf.toml (templates/timetable.toml is one)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputRejected(f"cannot read the timetable: {exc}", path=str(path)) from exc
    return read_milestones(data.get("milestone", []), str(path), path.read_text(encoding="utf-8"))


def render_config(cfg: Config) -> str:
    """wtpf.toml text for a new workspace, with comments that explain each setting."""
    import tomlkit  # only writers need it: reading is tomllib, and every command reads (start-up)

    doc = tomlkit.document()
    doc.add(tomlkit.comment("wtpf workspace settings. Edit freely; `wtpf check` validates them."))
    report = tomlkit.table()
    report.add("title", cfg.title)
    report.add("symbol_prefix", cfg.symbol_prefix)
    report["symbol_prefix"].comment("stamp numbers versions PREFIX/1, PREFIX/2, ... unless --symbol is given")
    report.add("symbol_rule", cfg.symbol_rule)
    report["symbol_rule"].comment("series: a number of the prefix may change (WTPF-IEG/2/2); prefix: as written; any")
    report.add("id", cfg.report_id)
    report["id"].comment("tags are named <id>/<version-slug>, so two reports can share a repository")
    report.add("secretariat", cfg.secretariat)
    report.add("secretariat_email", cfg.secretariat_email)
    report.add("draft", cfg.draft)
    report.add("language", cfg.language)
    report.add("time_zone", cfg.time_zone)
    report["time_zone"].comment("IANA name (UTC, Europe/Zurich): 'today' and received days are days there")
    ladder = tomlkit.array()
    ladder.multiline(True)
    ladder.extend(cfg.ladder)
    report.add("ladder", ladder)
    report["ladder"].comment("the names `wtpf stamp next` walks through, in order")
    doc.add("report", report)
    identities = tomlkit.table()
    identities.add(tomlkit.comment("git identity (email, name, or @domain) = source it stands for"))
    for key, value in cfg.identities:
        identities.add(key, value)
    doc.add("identities", identities)
    if cfg.milestones:
        aot = tomlkit.aot()
        for m in cfg.milestones:
            t = tomlkit.table()
            t.add("date", dt.date.fromisoformat(m.date))
            t.add("kind", m.kind)
            if m.version:
                t.add("version", m.version)
            if m.description:
                t.add("description", m.description)
            aot.append(t)
        doc.add("milestone", aot)
    else:
        doc.add(tomlkit.nl())
        for line in _MILESTONE_HELP:
            doc.add(tomlkit.comment(line))
        doc.add(tomlkit.nl())
    return tomlkit.dumps(doc)


_MILESTONE_HELP = (
    "The timetable: one [[milestone]] per date; `wtpf schedule` shows it, `wtpf check` watches postings.",
    "kind is comments (deadline for comments on `version`), posting, meeting or other. Example:",
    "[[milestone]]",
    "date = 2012-05-15",
    'kind = "comments"',
    'version = "First Draft"',
    'description = "Deadline for receipt of membership comments on the first draft"',
    "The timetable of the fifth WTPF (2012-2013) ships as templates/timetable.toml: copy its entries here.",
)
