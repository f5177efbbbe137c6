"""Stamped versions: the ladder, annotated tags, and naming a version by name, slug, symbol or git revision."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from wtpf_cli.errors import UnknownVersion, UsageError, WorkspaceStateError
from wtpf_cli.markdown.frontmatter import replace_front_matter, split_front_matter
from wtpf_cli.markdown.segment import SPECIAL
from wtpf_cli.markdown.tokens import split_words
from wtpf_cli.model import Meta
from wtpf_cli.store.config import slugify
from wtpf_cli.store.days import today
from wtpf_cli.store.files import decode_text, encode_like
from wtpf_cli.store.git import CommitInfo, Identity
from wtpf_cli.store.transaction import Transaction
from wtpf_cli.store.workspace import Workspace, require_clean, workspace_lock

_REV_RE = re.compile(r"^(?P<base>.*?)\s*\(Rev\.(?P<n>\d+)\)$")
_SYMBOL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/.() ]*$")
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Version:
    """A stamped version as recorded in its annotated tag."""

    name: str
    symbol: str
    date: str
    tag: str
    sha: str
    words: int

    @property
    def slug(self) -> str:
        """The version's short name ('second-draft', 'second-draft-rev-1')."""
        return slugify(self.name)

    @property
    def base_name(self) -> str:
        """The ladder name without any '(Rev.N)'."""
        m = _REV_RE.match(self.name)
        return m.group("base") if m else self.name


@dataclass(frozen=True, slots=True)
class Resolved:
    """A version reference resolved to a commit; sha None means the working draft."""

    sha: str | None
    label: str
    version: Version | None = None


def count_words(text: str) -> int:
    """Words of a draft's body (a fast count for listings; front matter excluded); in scripts written without
    spaces, the words of the segmenter (markdown/segment.py)."""
    body = split_front_matter(text).body
    if SPECIAL.search(body) is None:
        return len(_WORD_RE.findall(body))
    return sum(1 for word in split_words(body) if word[0].isalnum() or word[0] == "_")


def tag_name(ws: Workspace, name: str) -> str:
    """The annotated tag for a version name, namespaced by the report id."""
    return f"{ws.config.report_id}/{slugify(name)}"


def list_versions(ws: Workspace) -> list[Version]:
    """Stamped versions, oldest first."""
    versions = []
    for tag in ws.history.tags(ws.config.report_id):
        fields = dict(
            line.split(": ", 1) for line in tag.message.splitlines() if line.startswith("wtpf-") and ": " in line
        )
        if "wtpf-version" not in fields:
            continue
        versions.append(
            Version(
                name=fields["wtpf-version"],
                symbol=fields.get("wtpf-symbol", ""),
                date=fields.get("wtpf-date", ""),
                tag=tag.name,
                sha=tag.sha,
                words=int(fields.get("wtpf-words", "0") or 0),
            )
        )
    return versions


def resolve_version(ws: Workspace, ref: str | None, versions: list[Version] | None = None) -> Resolved:
    """Find a version by ladder name, slug, symbol or git revision, or `latest` (the last stamped version); None
    is the working draft."""
    if ref is None or ref.strip().lower() in ("", "working", "working-draft", "draft"):
        return Resolved(None, "working draft")
    versions = list_versions(ws) if versions is None else versions
    wanted = ref.strip()
    for v in versions:
        if wanted.lower() in (v.name.lower(), v.slug, v.symbol.lower(), v.tag.lower()):
            return Resolved(v.sha, f"{v.name} ({v.symbol})" if v.symbol else v.name, v)
    if wanted.lower() == "latest" and versions:  # a name CI can use: the last version stamped
        v = versions[-1]
        return Resolved(v.sha, f"{v.name} ({v.symbol})" if v.symbol else v.name, v)
    sha = ws.history.resolve(wanted)
    if sha is not None:
        for v in versions:
            if v.sha == sha:
                return Resolved(sha, f"{v.name} ({v.symbol})", v)
        return Resolved(sha, wanted)
    choices = [v.name for v in versions] + [v.symbol for v in versions if v.symbol] + [v.slug for v in versions]
    close = difflib.get_close_matches(wanted, choices, n=1, cutoff=0.5)
    hint = (
        f"; did you mean {close[0]!r}?"
        if close
        else ("; stamped so far: " + ", ".join(v.name for v in versions) if versions else "; nothing is stamped yet")
    )
    raise UnknownVersion(f"no version or git revision named {wanted!r}{hint}")


@dataclass(frozen=True, slots=True)
class StampResult:
    """What `wtpf stamp` did."""

    version: Version
    previous: Version | None


def _ladder_name(ws: Workspace, name: str, versions: list[Version]) -> str:
    if name.strip().lower() == "next":
        stamped = {v.base_name.lower() for v in versions}
        for rung in ws.config.ladder:
            if rung.lower() not in stamped:
                return rung
        raise UsageError("every name in the ladder is stamped; name the version, or extend [report].ladder")
    for rung in ws.config.ladder:
        if name.strip().lower() in (rung.lower(), slugify(rung)):
            return rung
    raise UsageError(
        f"{name!r} is not in the ladder of wtpf.toml ({', '.join(ws.config.ladder)}); add it to [report].ladder"
    )


def _next_symbol(ws: Workspace, versions: list[Version]) -> str:
    prefix = ws.config.symbol_prefix.rstrip("/")
    numbers = [0]
    for v in versions:
        if v.symbol.startswith(prefix + "/"):
            tail = v.symbol[len(prefix) + 1 :]
            m = re.match(r"(\d+)", tail)
            if m:
                numbers.append(int(m.group(1)))
    return f"{prefix}/{max(numbers) + 1}"


def stamp(
    ws: Workspace,
    name: str,
    *,
    symbol: str | None = None,
    date: str | None = None,
    reissue: bool = False,
    signer: Identity | None = None,
) -> StampResult:
    """Stamp the committed draft as a version: front matter, a commit, an annotated tag."""
    with workspace_lock(ws):
        require_clean(ws, "stamp")
        versions = list_versions(ws)
        previous = versions[-1] if versions else None
        rung = _ladder_name(ws, name, versions)
        same = [v for v in versions if v.base_name.lower() == rung.lower()]
        if same and not reissue:
            raise WorkspaceStateError(
                f"{rung!r} is already stamped as {same[0].symbol}; use --reissue to post it as (Rev.{len(same)})"
            )
        if reissue and not same:
            raise UsageError(f"--reissue needs a stamped {rung!r} to re-issue; it has not been stamped")
        full_name = f"{rung} (Rev.{len(same)})" if reissue else rung
        if symbol is None:
            symbol = f"{same[0].symbol}(Rev.{len(same)})" if reissue else _next_symbol(ws, versions)
        symbol = symbol.strip()
        if not _SYMBOL_RE.match(symbol):
            raise UsageError(f"symbol {symbol!r} has characters a document symbol cannot have")
        if any(v.symbol == symbol for v in versions):
            raise WorkspaceStateError(f"symbol {symbol} is already used by another version")
        day = date or today(ws.config.time_zone)
        try:
            dt.date.fromisoformat(day)
        except ValueError as exc:
            raise UsageError(f"--date {day!r} is not a date like 2012-07-03") from exc
        if previous and previous.date and day < previous.date:
            raise UsageError(f"date {day} is before the previous version's ({previous.name}, {previous.date})")
        tag = tag_name(ws, full_name)
        if ws.history.resolve(f"refs/tags/{tag}") is not None:
            raise WorkspaceStateError(f"tag {tag} exists already")
        raw = ws.draft_path.read_bytes()
        text = decode_text(raw, str(ws.draft_path))
        old_meta = split_front_matter(text, path=str(ws.draft_path)).meta
        new_meta = Meta(
            title=old_meta.title or ws.config.title,
            version=full_name,
            symbol=symbol,
            date=day,
            language=old_meta.language or ws.config.language,
            extra=old_meta.extra,
        )
        new_text = replace_front_matter(text, new_meta)
        signer = signer or ws.tool_identity()
        commit_date = f"{day}T12:00:00Z" if date else None  # an explicit date makes the history reproducible
        words = count_words(new_text)
        message = (
            f"{symbol} {full_name}\n\nwtpf-version: {full_name}\nwtpf-symbol: {symbol}\n"
            f"wtpf-date: {day}\nwtpf-words: {words}\n"
        )
        # Commit and tag are made as objects, then appear together in one ref transaction (transaction.py).
        transaction = Transaction.start(ws.history, "stamp")
        files = {ws.draft_repo_path: encode_like(new_text, raw)}
        sha = transaction.commit(files, f"Stamp {full_name} ({symbol})", signer, signer, commit_date)
        transaction.tag(tag, message, signer, commit_date)
        transaction.apply()
        version = Version(full_name, symbol, day, tag, sha, words)
        return StampResult(version, previous)


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One line of `wtpf versions`: a version and what changed since the one before it."""

    name: str
    symbol: str
    date: str
    tag: str
    words: int
    changes: int  # commits that changed the draft since the previous version
    sources: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "name": self.name,
            "symbol": self.symbol,
            "date": self.date,
            "tag": self.tag,
            "words": self.words,
            "changes": self.changes,
            "sources": list(self.sources),
        }


def version_rows(ws: Workspace) -> list[VersionRow]:
    """The ladder so far, then the working draft if anything changed since the last stamp."""
    rows = []
    previous: str | None = None
    path = ws.draft_repo_path
    for v in list_versions(ws):
        commits = ws.history.commits_touching(previous, v.sha, path)
        rows.append(_row(ws, v.name, v.symbol, v.date, v.tag, v.words, commits))
        previous = v.sha
    head = ws.history.head()
    if head is not None:
        commits = ws.history.commits_touching(previous, head, path) if previous != head else []
        dirty = bool(ws.history.changed_paths([path]))
        if commits or dirty or previous is None:
            words = count_words(ws.read_draft_text())
            row = _row(ws, "working draft", "", "", "", words, commits)
            if dirty:
                sources = row.sources if ws.config.secretariat in row.sources else (*row.sources, ws.config.secretariat)
                row = VersionRow(row.name, "", "", "", words, row.changes + 1, sources)
            rows.append(row)
    return rows


def _row(
    ws: Workspace, name: str, symbol: str, date: str, tag: str, words: int, commits: list[CommitInfo]
) -> VersionRow:
    sources: list[str] = []
    for c in commits:
        src = ws.source_of(c.author)
        if src not in sources:
            sources.append(src)
    return VersionRow(name, symbol, date, tag, words, len(commits), tuple(sources))
