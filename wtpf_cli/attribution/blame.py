"""Provenance of the text: for each paragraph and sentence of a version, the sources whose words it holds, the
contribution that brought them and the version in which they came in ("who proposed this?").

The history of the draft is replayed from its first commit with the redline's attribution (attributor.py), each
change remembering its commit; the words still standing are then counted per source, sentence by sentence.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from wtpf_cli._collector import collector_paused
from wtpf_cli.attribution._parse_ahead import PARSE_AHEAD_MIN_BYTES
from wtpf_cli.attribution.attributor import Attributor
from wtpf_cli.attribution.draft_reader import DraftReader, working_revision
from wtpf_cli.attribution.redline import versions_after
from wtpf_cli.errors import UsageError
from wtpf_cli.markdown.cover import COVER_STYLES
from wtpf_cli.markdown.sentences import sentence_spans
from wtpf_cli.model import BODY, Meta, ParaProps, Redline, Revision, RParagraph, RRun, RTable
from wtpf_cli.store.versions import Resolved, Version, list_versions, resolve_version
from wtpf_cli.store.workspace import Workspace

WORKING = "working draft"
_NUMBER_RE = re.compile(r"\s*(\d+(?:\.\d+)*\.?)(?=\s)")
_HEADINGS = frozenset({"Heading1", "Heading2", "Heading3", "Heading4"})
_KINDS = {"ListParagraph": "list item", "BlockQuote": "quotation", "SourceCode": "code", "FootnoteText": "footnote"}


@dataclass(frozen=True, slots=True)
class _CommitRevision(Revision):
    """A revision that remembers its commit (None: the uncommitted edits of the working draft)."""

    commit: str | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where words came from: a source, through a contribution or not, first posted in a version."""

    source: str
    contribution: str  # contribution id ("" when the source's change was not a merged contribution)
    symbol: str  # the contribution's document symbol ("" if none)
    version: str  # the first stamped version holding the words, or "working draft"
    version_symbol: str
    date: str  # the day of the commit that put them in (YYYY-MM-DD)


@dataclass(frozen=True, slots=True)
class Provenance:
    """The words of one passage that one source put in, through one contribution, in one version."""

    source: str
    words: int
    share: float  # of the passage's words, 0..1
    contribution: str
    symbol: str
    version: str
    version_symbol: str
    date: str  # the earliest of these words

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "source": self.source,
            "words": self.words,
            "share": self.share,
            "contribution": self.contribution or None,
            "symbol": self.symbol or None,
            "version": self.version,
            "version_symbol": self.version_symbol or None,
            "date": self.date or None,
        }

    def label(self) -> str:
        """'Brazil, 5 words, WTPF-IEG/1/4, Second Draft'."""
        via = self.symbol or self.contribution
        return ", ".join(x for x in (self.source, f"{self.words} words", via, self.version) if x)


@dataclass(frozen=True, slots=True)
class SentenceBlame:
    """One sentence and who wrote its words."""

    text: str
    words: int
    sources: tuple[Provenance, ...]

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {"text": self.text, "words": self.words, "sources": [p.as_json() for p in self.sources]}


@dataclass(frozen=True, slots=True)
class ParagraphBlame:
    """One paragraph (heading, list item, footnote or table row) of the version, sentence by sentence."""

    index: int  # 1-based position in the body (the cover is left out)
    kind: str  # "heading", "paragraph", "list item", "quotation", "code", "footnote", "table row"
    number: str  # the paragraph number it opens with ("1.2."), or ""
    heading: str  # the heading it stands under (for a heading: the one before it), or ""
    text: str
    words: int
    sources: tuple[Provenance, ...]
    sentences: tuple[SentenceBlame, ...]

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "index": self.index,
            "kind": self.kind,
            "number": self.number or None,
            "heading": self.heading or None,
            "text": self.text,
            "words": self.words,
            "sources": [p.as_json() for p in self.sources],
            "sentences": [s.as_json() for s in self.sentences],
        }

    def place(self) -> str:
        """How a reader finds it: 'para. 1.2.', 'heading 3.1', 'footnote 3', or 'list item ¶ 14' (the position)."""
        if self.kind in ("heading", "footnote") and self.number:
            return f"{self.kind} {self.number}"
        if self.number:
            return f"para. {self.number}"
        return f"{self.kind} ¶ {self.index}"


@dataclass(frozen=True, slots=True)
class Blame:
    """The provenance of every passage of one version of the draft."""

    label: str  # the version as resolved: 'Second Draft (WTPF-IEG/1/10)' or 'working draft'
    meta: Meta
    sources: tuple[str, ...]  # every source with words in the version, most words first
    paragraphs: tuple[ParagraphBlame, ...]
    scope: tuple[str, ...] = ()  # what was selected ("paragraph 3.1.4", "sentences with words of Brazil")

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "version": self.label,
            "name": self.meta.version or None,
            "symbol": self.meta.symbol or None,
            "scope": list(self.scope),
            "sources": list(self.sources),
            "paragraphs": [p.as_json() for p in self.paragraphs],
        }

    def title(self) -> str:
        """'Provenance of the text of the Second Draft (WTPF-IEG/1/10): paragraph 3.1.4'."""
        return f"Provenance of the text of the {self.label}" + (f": {', '.join(self.scope)}" if self.scope else "")


def blame(ws: Workspace, ref: str | None = None) -> Blame:
    """Who put each word of version `ref` (None: the working draft) in, through which contribution, and when."""
    with collector_paused():  # the whole replay: resumed after each commit, it would walk every item again
        return _blame(ws, ref)


def _blame(ws: Workspace, ref: str | None) -> Blame:
    versions = list_versions(ws)
    resolved = resolve_version(ws, ref, versions)
    redline, origin_commit = _replay(ws, resolved)
    origins = _Origins(ws, resolved, versions, origin_commit)
    paragraphs = tuple(_paragraphs(redline, origins))
    totals: dict[str, int] = {}
    for para in paragraphs:
        for p in para.sources:
            totals[p.source] = totals.get(p.source, 0) + p.words
    ranked = sorted(totals, key=lambda s: -totals[s])
    return Blame(resolved.label, redline.meta, tuple(ranked), paragraphs)


def select(result: Blame, *, number: str | None = None, source: str | None = None) -> Blame:
    """Only the paragraphs numbered `number` ("3.1.4", final dot optional), and of them only the sentences holding
    words of `source`."""
    paragraphs = result.paragraphs
    scope = list(result.scope)
    if number is not None:
        wanted = number.strip().rstrip(".")
        paragraphs = tuple(p for p in paragraphs if p.kind != "footnote" and p.number.rstrip(".") == wanted != "")
        if not paragraphs:
            raise UsageError(f"the {result.label} has no paragraph or heading numbered {number!r}")
        scope.append(f"paragraph {wanted}")
    if source is not None:
        names = {s.casefold(): s for s in result.sources}
        who = names.get(source.strip().casefold())
        if who is None:
            close = difflib.get_close_matches(source.strip(), result.sources, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else f"; its sources: {', '.join(result.sources)}"
            raise UsageError(f"no words of {source!r} in the {result.label}{hint}")
        kept = []
        for p in paragraphs:
            sentences = tuple(s for s in p.sentences if any(x.source == who for x in s.sources))
            if sentences:
                kept.append(replace(p, sentences=sentences))
        paragraphs = tuple(kept)
        scope.append(f"sentences with words of {who}")
    return replace(result, paragraphs=paragraphs, scope=tuple(scope))


def _replay(ws: Workspace, resolved: Resolved) -> tuple[Redline, str | None]:
    """Attribute every word of the version to the commit that put it in; return the redline from the first commit
    and that first commit (None when the draft was never committed)."""
    to_sha = resolved.sha if resolved.sha is not None else ws.history.head()
    chain = ws.history.commits_touching(None, to_sha, ws.draft_repo_path) if to_sha is not None else []
    if resolved.sha is not None and not chain:
        DraftReader(ws).at(resolved.sha)  # the draft does not exist there: refused with the reader's message
    if not chain:
        return Attributor(DraftReader(ws).working()).redline(), None
    working = resolved.sha is None
    # The first commit holds little (the template of `wtpf init`): the version's size says whether to parse ahead.
    last = (
        ws.draft_path.stat().st_size if working else len(ws.history.read_file(chain[-1].sha, ws.draft_repo_path) or b"")
    )
    origin = ws.history.read_file(chain[0].sha, ws.draft_repo_path)
    # Where the first commit holds little (the template of `wtpf init`) and a later version is large, the second
    # commit (the first draft) is read as a redline reads FROM, half here and half in the second process (if any),
    # rather than whole there and sent here while this process waits; the template is read here alone.
    skip = 1 if len(chain) > 1 and origin is not None and len(origin) < PARSE_AHEAD_MIN_BYTES <= last else 0
    shas = [c.sha for c in chain[1 + skip :]]
    with versions_after(ws, chain[skip].sha, shas, working, last) as (first, drafts):
        if origin is not None and skip:
            att = Attributor(DraftReader(ws).parse(chain[0].sha, "", origin))
            att.apply(first, _CommitRevision(ws.source_of(chain[1].author), chain[1].date, commit=chain[1].sha))
        else:
            att = Attributor(first)
        for c in chain[1 + skip :]:
            doc, changed = drafts.changes_at(c.sha)
            att.apply(doc, _CommitRevision(ws.source_of(c.author), c.date, commit=c.sha), changed)
        if working:
            rev = working_revision(ws)
            doc, changed = drafts.working_changes()
            att.apply(doc, _CommitRevision(rev.author, rev.date, commit=None), changed)
        return att.redline(), chain[0].sha


class _Origins:
    """The origin of the words of each commit: its source, the contribution it merged, the version it reached."""

    def __init__(self, ws: Workspace, resolved: Resolved, versions: list[Version], origin_commit: str | None) -> None:
        self.ws = ws
        self.origin_commit = origin_commit
        self.first_version: dict[str, Version] = {}
        for v in versions:
            for c in ws.history.commits_touching(None, v.sha, ws.draft_repo_path):
                self.first_version.setdefault(c.sha, v)
        to_sha = resolved.sha if resolved.sha is not None else ws.history.head()
        keys = ("Wtpf-Merged", "Wtpf-Symbol")
        self.trailers = ws.history.trailers_by_commit(None, to_sha, keys) if to_sha is not None else {}
        # Keyed by the revision object: one per commit, kept alive by the redline while the blame is made.
        self.by_rev: dict[int, Origin] = {}

    def of(self, rev: Revision | None) -> Origin:
        """The origin of a run inserted by `rev` (None: standing since the first commit)."""
        if rev is not None and rev.move:  # words of the first commit moved elsewhere: still its author's
            rev = None
        found = self.by_rev.get(id(rev))
        if found is None:
            found = self.by_rev[id(rev)] = self._origin(rev)
        return found

    def _origin(self, rev: Revision | None) -> Origin:
        if rev is None:
            commit = self.origin_commit
            info = self.ws.history.commit_info(commit) if commit else None
            source = self.ws.source_of(info.author) if info else self.ws.config.secretariat
            day = info.date[:10] if info else ""
        else:
            commit = rev.commit if isinstance(rev, _CommitRevision) else None
            source, day = rev.author, rev.date[:10]
        trailers = self.trailers.get(commit, {}) if commit else {}
        version = self.first_version.get(commit) if commit else None
        return Origin(
            source,
            trailers.get("Wtpf-Merged", ""),
            trailers.get("Wtpf-Symbol", ""),
            version.name if version else WORKING,
            version.symbol if version else "",
            day,
        )


def _paragraphs(redline: Redline, origins: _Origins) -> Iterator[ParagraphBlame]:
    """The paragraphs of the version as they read (runs before a deleted paragraph mark join the next paragraph)."""
    pending: list[RRun] = []
    heading = ""
    index = 0
    for block in redline.blocks:
        if isinstance(block, RTable):
            for row in block.rows:
                if row.dele is None:
                    index += 1
                    cells = [[r for r in cell if r.dele is None] for cell in row.cells]
                    yield _table_row(index, heading, cells, origins)
            continue
        pending += [r for r in block.runs if r.dele is None]  # (a list: faster than extending by a generator)
        if block.dele is not None:
            continue
        runs, pending = pending, []
        if block.props.style in COVER_STYLES:
            continue
        index += 1
        body = block.props.container == BODY  # a footnote stands under no heading
        para = _paragraph(index, heading if body else "", block, runs, origins)
        if para.kind == "heading":
            heading = para.text
        yield para


def _kind(props: ParaProps) -> str:
    if props.style in _HEADINGS:
        return "heading"
    if props.container.startswith("fn:"):
        return "footnote"
    return _KINDS.get(props.style, "paragraph")


def _run_text(run: RRun) -> str:
    return f"[^{run.token.note}]" if run.token.note is not None else run.token.text


def _is_word(piece: str) -> bool:
    return bool(piece) and (piece[0].isalnum() or piece[0] == "_")


class _Count:
    """Words of one origin in a passage, and the position of the first of them."""

    __slots__ = ("first", "origin", "words")

    def __init__(self, origin: Origin, first: int) -> None:
        self.origin = origin
        self.first = first
        self.words = 0


_Tally = dict[int, _Count]  # by id of the (shared) Origin


def _count(tally: _Tally, origin: Origin, pos: int) -> None:
    found = tally.get(id(origin))
    if found is None:
        found = tally[id(origin)] = _Count(origin, pos)
    found.words += 1


def _paragraph(index: int, heading: str, block: RParagraph, runs: list[RRun], origins: _Origins) -> ParagraphBlame:
    pieces = [r.token.text if r.token.note is None else _run_text(r) for r in runs]  # _run_text, inline
    text = "".join(pieces)
    number_match = _NUMBER_RE.match(text)
    number = number_match.group(1) if number_match else ""
    kind = _kind(block.props)
    if kind == "footnote":
        number = block.props.container[3:]
    spans = list(sentence_spans(text, number_match.end() if number_match else 0))
    ends = [end for _, end in spans]
    tallies: list[_Tally] = [{} for _ in spans]
    pos = 0
    k = 0
    ins: Revision | None = None
    origin: Origin | None = None
    last = len(ends) - 1
    key = 0
    for r, piece in zip(runs, pieces, strict=True):
        if piece and (piece[0].isalnum() or piece[0] == "_"):  # _is_word (inline: once per run of the version)
            while pos >= ends[k] and k < last:  # a word means some text, hence at least one sentence
                k += 1
            if origin is None or r.ins is not ins:  # the origin found holds for the runs of one revision after it
                ins, origin = r.ins, origins.of(r.ins)
                key = id(origin)
            found = tallies[k].get(key)  # _count, inline
            if found is None:
                found = tallies[k][key] = _Count(origin, pos)
            found.words += 1
        pos += len(piece)
    sentences = [
        _sentence(" ".join(text[start:end].split()), tally) for (start, end), tally in zip(spans, tallies, strict=True)
    ]
    return _passage(index, kind, number, heading, text.strip(), tallies, sentences)


def _sentence(text: str, tally: _Tally) -> SentenceBlame | None:
    sources = _provenance([tally])
    return SentenceBlame(text, sum(p.words for p in sources), sources) if sources else None


def _passage(
    index: int,
    kind: str,
    number: str,
    heading: str,
    text: str,
    tallies: list[_Tally],
    sentences: list[SentenceBlame | None],
) -> ParagraphBlame:
    sources: tuple[Provenance, ...] = ()  # no words
    if len(tallies) != 1:
        sources = _provenance(tallies)
    elif sentences[0] is not None:  # one sentence (or cell): the passage's provenance is its own, found once
        sources = sentences[0].sources
    kept = tuple(s for s in sentences if s is not None)
    return ParagraphBlame(index, kind, number, heading, text, sum(p.words for p in sources), sources, kept)


def _table_row(index: int, heading: str, cells: list[list[RRun]], origins: _Origins) -> ParagraphBlame:
    tallies: list[_Tally] = []
    texts: list[str] = []
    pos = 0
    for cell in cells:
        pieces = [_run_text(r) for r in cell]
        texts.append(" ".join("".join(pieces).split()))
        tally: _Tally = {}
        for r, piece in zip(cell, pieces, strict=True):
            if _is_word(piece):
                _count(tally, origins.of(r.ins), pos)
            pos += 1
        tallies.append(tally)
    sentences = [_sentence(text, tally) for text, tally in zip(texts, tallies, strict=True)]
    return _passage(index, "table row", "", heading, " | ".join(texts), tallies, sentences)


def _provenance(tallies: Sequence[_Tally]) -> tuple[Provenance, ...]:
    """Words grouped by source, contribution and version: most words first, then in order of appearance."""
    counts = [c for tally in tallies for c in tally.values()]
    if counts and all(c.origin is counts[0].origin for c in counts):  # one origin (most passages): as below
        o = counts[0].origin
        words = sum(c.words for c in counts)
        return (Provenance(o.source, words, 1.0, o.contribution, o.symbol, o.version, o.version_symbol, o.date),)
    groups: dict[tuple[str, str, str], list[_Count]] = {}
    for tally in tallies:
        for c in tally.values():
            o = c.origin
            groups.setdefault((o.source, o.contribution, o.version), []).append(c)
    total = sum(c.words for g in groups.values() for c in g)
    rows = [(sum(c.words for c in g), min(c.first for c in g), g) for g in groups.values()]
    out = []
    for words, _, g in sorted(rows, key=lambda row: (-row[0], row[1])):
        first = g[0].origin
        dates = [c.origin.date for c in g if c.origin.date]
        share = round(words / total, 3)
        date = min(dates) if dates else ""
        out.append(
            Provenance(
                first.source, words, share, first.contribution, first.symbol, first.version, first.version_symbol, date
            )
        )
    return tuple(out)


def excerpt(text: str, limit: int = 90) -> str:
    """The first `limit` characters of a sentence, cut at a word."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
