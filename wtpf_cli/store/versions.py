"""Stamped versions: the ladder, annotated tags, and naming a version by name, slug, symbol or git revision."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import weakref
from dataclasses import dataclass

from wtpf_cli.errors import InputRejected, UnknownVersion, UsageError, WorkspaceStateError
from wtpf_cli.markdown.frontmatter import replace_front_matter, split_front_matter
from wtpf_cli.markdown.segment import SPECIAL
from wtpf_cli.markdown.tokens import split_words
from wtpf_cli.model import Meta
from wtpf_cli.store.config import slugify
from wtpf_cli.store.days import today
from wtpf_cli.store.files import decode_text, encode_like
from wtpf_cli.store.git import CommitInfo, History, Identity
from wtpf_cli.store.symbols import follows, next_symbol, rule_text, valid_form
from wtpf_cli.store.transaction import Transaction
from wtpf_cli.store.workspace import Workspace, require_clean, workspace_lock

_REV_RE = re.compile(r"^(?P<base>.*?)\s*\(Rev\.(?P<n>\d+)\)$")
_WORD_RE = re.compile(r"\w+")
_VERSION_LINE = re.compile(r"^version:[ \t]*(.*?)[ \t]*\r?$", re.M)


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


_WHOLE: weakref.WeakSet[History] = weakref.WeakSet()  # repositories found to hold their whole history

FETCH_ALL = "`git fetch --unshallow --tags` (in GitHub Actions: `fetch-depth: 0` in actions/checkout)"


def list_versions(ws: Workspace, *, merged: str | None = None) -> list[Version]:
    """Stamped versions, oldest first (with `merged`, a commit id: those in its history). Refuses a clone whose
    history is cut or whose version tags are missing: every answer that uses versions would be wrong."""
    versions = []
    for tag in ws.history.tags(ws.config.report_id, merged=merged):
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
    if ws.history not in _WHOLE:
        require_whole_history(ws, versions)
        _WHOLE.add(ws.history)
    return versions


def require_whole_history(ws: Workspace, versions: list[Version]) -> None:
    """Refuse a shallow clone, and a clone without the version tags (the committed draft names a version that was
    stamped in its history, and no tag of that name is here)."""
    if ws.history.is_shallow():
        raise WorkspaceStateError(
            f"this clone is shallow: versions and the source of each change come from the whole history; {FETCH_ALL}"
        )
    head = ws.history.head()
    data = ws.history.read_file(head, ws.draft_repo_path) if head else None
    if head is None or data is None:
        return
    line = _VERSION_LINE.search(data[:4096].decode("utf-8", "replace"))  # the usual answer without YAML (start-up)
    named = line.group(1).strip("'\"") if line else ""
    if not named or any(v.name == named for v in versions):
        return
    try:
        said = split_front_matter(decode_text(data, ws.draft_repo_path)).meta
    except InputRejected:
        return  # an unreadable draft is the draft's problem (`wtpf check`, IN001), not the clone's
    if not said.version or any(v.name == said.version for v in versions):
        return
    stamped = ws.history.last_commit_with_subject(head, f"Stamp {said.version} (", ws.draft_repo_path)
    if stamped is not None:
        raise WorkspaceStateError(
            f"this clone has no tag of {said.version}, stamped in commit {stamped[:10]}: the version tags are "
            f"missing; {FETCH_ALL}"
        )


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
    raise UnknownVersion(f"no version or git revision named {wanted!r}{_hint(ws, wanted, versions)}")


def _hint(ws: Workspace, wanted: str, versions: list[Version]) -> str:
    """What a name that names no version may have meant: a rung of the ladder not stamped yet, or the closest
    name, symbol or slug (stamped or on the ladder)."""
    so_far = "stamped so far: " + ", ".join(v.name for v in versions) if versions else "nothing is stamped yet"
    stamped = {v.base_name.lower() for v in versions}
    waiting = [rung for rung in ws.config.ladder if rung.lower() not in stamped]
    for rung in waiting:
        if wanted.lower() in (rung.lower(), slugify(rung)):
            return f": {rung} is on the ladder but not stamped yet ({so_far})"
    names = {v.name: v.name for v in versions} | {v.slug: v.name for v in versions}
    names |= (
        {v.symbol: v.name for v in versions if v.symbol} | {r: r for r in waiting} | {slugify(r): r for r in waiting}
    )
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.5)
    if not close:
        return f"; {so_far}"
    meant = names[close[0]]
    later = f" ({meant} is not stamped yet)" if meant in waiting else ""
    return f"; did you mean {close[0]!r}?{later}"


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
    names = {rung.lower(): rung for rung in ws.config.ladder} | {slugify(rung): rung for rung in ws.config.ladder}
    close = difflib.get_close_matches(name.strip().lower(), list(names), n=1, cutoff=0.6)
    meant = f"did you mean {names[close[0]]!r}? " if close else ""
    raise UsageError(
        f"{name!r} is not in the ladder of wtpf.toml ({', '.join(ws.config.ladder)}); {meant}"
        "a new name goes in [report].ladder first"
    )


def _symbol_for(ws: Workspace, symbol: str | None, same: list[Version], versions: list[Version]) -> str:
    """The symbol of a new stamp: the one given, checked against the symbol rule, or the next of its series (a
    re-issue: the symbol re-issued with (Rev.N)); never one given before, to a version or a contribution."""
    from wtpf_cli.store.contributions import list_contributions  # the records: only a stamp needs them here

    cfg = ws.config
    given = {v.symbol: f"version {v.name}" for v in versions if v.symbol}
    given |= {c.symbol: f"the contribution {c.id} from {c.source}" for c in list_contributions(ws) if c.symbol}
    if symbol is None:
        last = versions[-1].symbol if versions else None
        symbol = (
            f"{same[0].symbol}(Rev.{len(same)})"
            if same
            else next_symbol(cfg.symbol_prefix, cfg.symbol_rule, last, given)
        )
    symbol = symbol.strip()
    if not valid_form(symbol):
        raise UsageError(f"symbol {symbol!r} has characters a document symbol cannot have")
    if not follows(symbol, cfg.symbol_prefix, cfg.symbol_rule):
        raise UsageError(
            f"symbol {symbol!r} does not follow [report].symbol_prefix: {rule_text(cfg.symbol_prefix, cfg.symbol_rule)}"
            f" ([report].symbol_rule = {cfg.symbol_rule!r}; `any` allows every symbol)"
        )
    if symbol in given:
        raise WorkspaceStateError(f"symbol {symbol} is already given, to {given[symbol]}: a symbol is given once")
    return symbol


def _unchanged_since(ws: Workspace, text: str, previous: Version) -> bool:
    """Whether the draft `text` is the text stamped as `previous` (its front matter's version, symbol and date
    aside: the stamp writes those)."""
    data = ws.history.read_file(previous.sha, ws.draft_repo_path)
    if data is None:
        return False
    then = split_front_matter(decode_text(data, ws.draft_repo_path))
    now = split_front_matter(text)
    kept = ("title", "language", "extra")
    return then.body == now.body and all(getattr(then.meta, k) == getattr(now.meta, k) for k in kept)


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
        transaction = Transaction.start(ws.history, "stamp")  # refused first with HEAD detached
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
        raw = ws.draft_path.read_bytes()
        text = decode_text(raw, str(ws.draft_path))
        symbol = _symbol_for(ws, symbol, same if reissue else [], versions)
        if previous is not None and not reissue and _unchanged_since(ws, text, previous):
            raise WorkspaceStateError(
                f"the draft has not changed since {previous.name} ({previous.symbol}): commit the changes to stamp "
                f'first, or post the same text again as a re-issue: `wtpf stamp "{previous.base_name}" --reissue`'
            )
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
        author = signer or ws.secretariat_identity()  # the cover's changes are the secretariat's, whoever stamps
        committer = signer or ws.tool_identity()
        commit_date = f"{day}T12:00:00Z" if date else None  # an explicit date makes the history reproducible
        words = count_words(new_text)
        message = (
            f"{symbol} {full_name}\n\nwtpf-version: {full_name}\nwtpf-symbol: {symbol}\n"
            f"wtpf-date: {day}\nwtpf-words: {words}\n"
        )
        # Commit and tag are made as objects, then appear together in one ref transaction (transaction.py).
        files = {ws.draft_repo_path: encode_like(new_text, raw)}
        sha = transaction.commit(files, f"Stamp {full_name} ({symbol})", author, committer, commit_date)
        transaction.tag(tag, message, committer, commit_date)
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
