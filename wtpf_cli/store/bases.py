"""Which version a contribution was made from, and what kind of contribution it is.

A file wtpf wrote says where it comes from (ooxml/origin.py): its version is taken, found by its commit, else by
its name and symbol; `--on` may say the same, never another. A file without it is held against every stamped
version and the working draft by the words and word triples they share (a score from 0 to 1); the best is taken
when it is alike enough (ties go to the older version: a base too old only makes the changes made since appear on
both sides, where a base too new would take them back). A file with edits or comments that is like no version is
another document, and is refused.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wtpf_cli.errors import InputRejected, UsageError, WorkspaceStateError
from wtpf_cli.markdown.cover import COVER_STYLES, SUMMARY_STYLES
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.store.versions import Version, resolve_version
from wtpf_cli.store.workspace import Workspace

if TYPE_CHECKING:
    from wtpf_cli.ooxml.origin import Origin
    from wtpf_cli.ooxml.revisions import Inspection

ALIKE = 0.5  # the least score of a file taken as made from a version (another document scores near 0)
_TIE = 0.005  # scores closer than this are a tie
_WORDS = re.compile(r"\w+")
_MARKUP = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|\[\^[^\]\s]+\]:?|<[^>\n]+>")  # ](target), [^label]:, <tag>
WORKING_DRAFT = "working draft"


@dataclass(frozen=True, slots=True)
class Base:
    """The version a contribution comments on (its name, or "working draft", and commit), the line that says how
    it was found when it was not said ("" when the file or --on said it), and whether the file is a copy of it."""

    name: str
    sha: str
    note: str = ""
    copy: bool = True  # the file is a copy of that version (False: a letter, like no version)


def word_base(
    ws: Workspace,
    versions: list[Version],
    on: str | None,
    origin: Origin | None,
    found: Inspection,
    path: str,
) -> Base:
    """The base of a Word file: from its origin, from --on (which must not contradict it), or the version it is
    most alike (refused when it has edits or comments and is like none; a letter is on the last version)."""
    from_file = _from_origin(ws, versions, origin, path)
    if on is not None:
        said = _stamped(ws, on, versions)
        if from_file is not None and from_file.sha != said.sha:
            raise UsageError(
                f"--on {on!r} contradicts the file, which was made from {_named(from_file, versions)}: "
                "leave --on out, or name that version"
            )
        if from_file is None and _has_edits(found):
            score = alike(_file_words(found), _text_words(ws, said.sha))
            if score < ALIKE:
                raise InputRejected(
                    f"is not a draft of {said.name}: {_percent(score)} alike (another document?)", path=path
                )
        return said
    if from_file is not None:
        return from_file
    if not versions:
        raise WorkspaceStateError("nothing is stamped yet: a contribution comments on a stamped version")
    if not _has_edits(found) and not found.comments:
        words = _file_words(found)
        best, score = _most_alike(ws, versions, words)
        if score < ALIKE:  # a letter: on the last version, as any other file
            return Base(versions[-1].name, versions[-1].sha, copy=False)
        return best
    best, score = _most_alike(ws, versions, _file_words(found))
    if score < ALIKE:
        raise InputRejected(
            f"matches no version of this report well enough (best: {best.name}, {_percent(score)} alike): "
            "another document?",
            path=path,
        )
    return best


def text_base(ws: Workspace, versions: list[Version], body: str) -> Base | None:
    """The version (or working draft) a Markdown or text file's body is most alike, with the line saying so; None
    when it is like none well enough (a letter)."""
    best, score = _most_alike(ws, versions, body_words(body))
    return best if score >= ALIKE else None


def _from_origin(ws: Workspace, versions: list[Version], origin: Origin | None, path: str) -> Base | None:
    """The base a file's origin names: its commit's version, else the working draft at its commit, else the
    version of its name and symbol (its commit is not here); None without an origin or when it names only a
    commit this repository does not hold (a working draft elsewhere: the version most alike is taken)."""
    if origin is None:
        return None
    if origin.report and origin.report != ws.config.report_id:
        raise InputRejected(
            f"was made from another report ({origin.report}), not this one ({ws.config.report_id})", path=path
        )
    if origin.document == "annex":
        raise InputRejected("is an annex of the report, not a draft of it", path=path)
    if origin.commit:
        for v in reversed(versions):
            if v.sha == origin.commit:
                return Base(v.name, v.sha)
        if ws.history.resolve(origin.commit) == origin.commit:
            return Base(WORKING_DRAFT, origin.commit)
    for v in reversed(versions):
        if origin.version and (v.name, v.symbol) == (origin.version, origin.symbol):
            return Base(v.name, v.sha, f"its commit is not in this repository: taken as {v.name} by its name")
    if origin.version:
        raise InputRejected(f"was made from {origin.version}, which this workspace does not hold", path=path)
    return None  # a working draft elsewhere (a commit this repository does not hold): the version most alike


def _stamped(ws: Workspace, on: str, versions: list[Version]) -> Base:
    resolved = resolve_version(ws, on, versions)
    if resolved.version is None or resolved.sha is None:
        raise UsageError(f"--on {on!r} must name a stamped version")
    return Base(resolved.version.name, resolved.sha)


def _named(base: Base, versions: list[Version]) -> str:
    for v in versions:
        if v.sha == base.sha:
            return f"{v.name} ({v.symbol})" if v.symbol else v.name
    return f"the working draft at {base.sha[:12]}"


def _has_edits(found: Inspection) -> bool:
    return any(c.part in ("document", "footnotes", "endnotes") for c in found.changes)


def _most_alike(ws: Workspace, versions: list[Version], words: list[str]) -> tuple[Base, float]:
    """The version (or working draft) most alike the file's words (the line saying so names the next best), and
    its score."""
    candidates = [(v.name, v.sha, v.symbol) for v in versions]
    head = ws.history.head()
    if head and head != versions[-1].sha:
        candidates.append((WORKING_DRAFT, head, ""))
    shingles = _shingles(words)
    scored = [
        (name, sha, symbol, _alike(shingles, _shingles(_text_words(ws, sha)))) for name, sha, symbol in candidates
    ]
    best = scored[0]
    for entry in scored[1:]:
        if entry[3] > best[3] + _TIE:
            best = entry
    second = max((s[3] for s in scored if s is not best), default=0.0)
    name, sha, symbol, score = best
    label = f"{name} ({symbol})" if symbol else name
    close = f"; {next(s[0] for s in scored if s[3] == second)} is {_percent(second)} alike" if len(scored) > 1 else ""
    note = f"the file does not say its version: taken as made from {label}, {_percent(score)} alike{close}"
    return Base(name, sha, note), score


def alike(a: list[str], b: list[str]) -> float:
    """How alike two texts' words are, from 0 to 1: the mean of the share of words they have in common and the
    share of word triples (words alone forgive a short text a few edits; triples tell apart two texts that only
    share common words); a text of fewer than SHORT words is held to the other by its words alone (one edit
    breaks most of its few triples)."""
    return _alike(_shingles(a), _shingles(b))


SHORT = 50


def _alike(a: tuple[Counter[str], Counter[tuple[str, ...]]], b: tuple[Counter[str], Counter[tuple[str, ...]]]) -> float:
    if min(a[0].total(), b[0].total()) < SHORT:
        return _dice(a[0], b[0])
    return (_dice(a[0], b[0]) + _dice(a[1], b[1])) / 2


def _dice(a: Counter[Any], b: Counter[Any]) -> float:
    """Twice what two counts share over all of theirs (0 when both are empty)."""
    total = a.total() + b.total()
    return 2 * (a & b).total() / total if total else 0.0


def _shingles(words: list[str]) -> tuple[Counter[str], Counter[tuple[str, ...]]]:
    """The words of a text, and its word triples."""
    triples: Counter[tuple[str, ...]] = Counter(zip(words, words[1:], words[2:], strict=False))
    if len(words) < 3:
        triples = Counter([tuple(words)])
    return Counter(words), triples


def _file_words(found: Inspection) -> list[str]:
    """The words of a Word file with its changes accepted, its cover and a redline's first page left out."""
    texts = [
        "".join(s.text for s in p.segments if not s.deleted)
        for p in found.paragraphs
        if not p.held_deleted and (p.style or "") not in COVER_STYLES and (p.style or "") not in SUMMARY_STYLES
    ]
    return _WORDS.findall(" ".join(texts).lower())


def _text_words(ws: Workspace, sha: str) -> list[str]:
    """The words of the draft's body at a commit, as its build shows them."""
    data = ws.history.read_file(sha, ws.draft_repo_path) or b""
    return body_words(split_front_matter(data.decode("utf-8", "replace")).body)


def body_words(body: str) -> list[str]:
    """The words of a Markdown body as its build shows them (link targets, note labels and tags left out)."""
    return _WORDS.findall(_MARKUP.sub(" ", body).lower())


def _percent(score: float) -> str:
    return f"{int(score * 100)}%"
