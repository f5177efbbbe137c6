"""Provenance of the text: for each paragraph and sentence of a version, the sources whose words it holds, the
contribution that brought them and the version in which they came in ("who proposed this?").

The history of the draft is replayed from its first commit with the redline's attribution (attribute.py), each
change remembering its commit; the words still standing are then counted per source, sentence by sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .attribute import Attributor
from .draft import COVER_STYLES, render_front_matter
from .model import Meta, ParaProps, Redline, Revision, RParagraph, RRun, RTable
from .redline import draft_reader, working_revision
from .versions import Resolved, Version, list_versions, resolve_version
from .workspace import Workspace

WORKING = "working draft"
_WORD_RE = re.compile(r"\w")
_NUMBER_RE = re.compile(r"\s*(\d+(?:\.\d+)*\.?)(?=\s)")
# A sentence ends at . ! or ? (closing quotes or brackets may follow) before spaces and a capital letter.
_END_RE = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?(\w))")
# Words after which a full stop does not end the sentence (UN and ITU documents: "Res. 101", "Rev. 1"...).
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "cf", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "art", "arts", "res", "rev", "corr"}
    | {"add", "doc", "para", "paras", "fig", "vol", "pp", "ch", "sect"}
)
_HEADINGS = frozenset({"Heading1", "Heading2", "Heading3", "Heading4"})
_KINDS = {"ListParagraph": "list item", "BlockQuote": "quotation", "SourceCode": "code", "FootnoteText": "footnote"}


@dataclass(frozen=True, slots=True)
class _Change(Revision):
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
    sources: tuple[str, ...]  # every source with words in it, most words first
    paragraphs: tuple[ParagraphBlame, ...]

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "version": self.label,
            "name": self.meta.version or None,
            "symbol": self.meta.symbol or None,
            "sources": list(self.sources),
            "paragraphs": [p.as_json() for p in self.paragraphs],
        }


def blame(ws: Workspace, ref: str | None = None) -> Blame:
    """Who put each word of version `ref` (None: the working draft) in, through which contribution, and when."""
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


def _replay(ws: Workspace, resolved: Resolved) -> tuple[Redline, str | None]:
    """Attribute every word of the version to the commit that put it in; return the redline from the first commit
    and that first commit (None when the draft was never committed)."""
    reader = draft_reader(ws)
    to_sha = resolved.sha if resolved.sha is not None else ws.history.head()
    chain = ws.history.commits_touching(None, to_sha, ws.draft_repo_path) if to_sha is not None else []
    if resolved.sha is not None and not chain:
        reader.at(resolved.sha)  # the draft does not exist there: refused with the reader's message
    if chain:
        att = Attributor(reader.at(chain[0].sha))
        for c in chain[1:]:
            att.apply(reader.at(c.sha), _Change(ws.source_of(c.author), c.date, c.sha))
        if resolved.sha is None:
            rev = working_revision(ws)
            att.apply(reader.working(), _Change(rev.author, rev.date, None))
        return att.redline(), chain[0].sha
    return Attributor(reader.working()).redline(), None


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
        self.cache: dict[str | None, Origin] = {}

    def of(self, rev: Revision | None) -> Origin:
        """The origin of a run inserted by `rev` (None: standing since the first commit)."""
        if rev is None:
            commit = self.origin_commit
            source = self._first_author()
        else:
            commit = rev.commit if isinstance(rev, _Change) else None
            source = rev.author
        found = self.cache.get(commit)
        if found is None:
            found = self.cache[commit] = self._origin(commit, source, rev)
        return found

    def _first_author(self) -> str:
        if self.origin_commit is None:
            return self.ws.config.secretariat
        return self.ws.source_of(self.ws.history.commit_info(self.origin_commit).author)

    def _origin(self, commit: str | None, source: str, rev: Revision | None) -> Origin:
        trailers = self.trailers.get(commit, {}) if commit else {}
        version = self.first_version.get(commit) if commit else None
        if rev is not None:
            day = rev.date[:10]
        elif commit is not None:
            day = self.ws.history.commit_info(commit).date[:10]
        else:
            day = ""
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
        pending.extend(r for r in block.runs if r.dele is None)
        if block.dele is not None:
            continue
        runs, pending = pending, []
        if block.props.style in COVER_STYLES:
            continue
        index += 1
        para = _paragraph(index, heading, block, runs, origins)
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


def _paragraph(index: int, heading: str, block: RParagraph, runs: list[RRun], origins: _Origins) -> ParagraphBlame:
    text = "".join(_run_text(r) for r in runs)
    number_match = _NUMBER_RE.match(text)
    number = number_match.group(1) if number_match else ""
    kind = _kind(block.props)
    if kind == "footnote":
        number = block.props.container[3:]
    spans = list(_sentence_spans(text, number_match.end() if number_match else 0))
    sentences: list[SentenceBlame] = []
    pos = 0
    k = 0
    per_sentence: list[list[tuple[Origin, int]]] = [[] for _ in spans]
    for r in runs:
        piece = _run_text(r)
        while k + 1 < len(spans) and pos >= spans[k][1]:
            k += 1
        if spans and _WORD_RE.match(piece):
            per_sentence[k].append((origins.of(r.ins), pos))
        pos += len(piece)
    for (start, end), words in zip(spans, per_sentence, strict=True):
        sentence = " ".join(text[start:end].split())
        if words:
            sentences.append(SentenceBlame(sentence, len(words), _provenance(words)))
    all_words = [w for ws in per_sentence for w in ws]
    return ParagraphBlame(
        index, kind, number, heading, text.strip(), len(all_words), _provenance(all_words), tuple(sentences)
    )


def _table_row(index: int, heading: str, cells: list[list[RRun]], origins: _Origins) -> ParagraphBlame:
    sentences: list[SentenceBlame] = []
    all_words: list[tuple[Origin, int]] = []
    texts: list[str] = []
    for cell in cells:
        text = " ".join("".join(_run_text(r) for r in cell).split())
        texts.append(text)
        words = [(origins.of(r.ins), len(all_words) + n) for n, r in enumerate(cell) if _WORD_RE.match(_run_text(r))]
        if words:
            sentences.append(SentenceBlame(text, len(words), _provenance(words)))
            all_words.extend(words)
    text = " | ".join(texts)
    return ParagraphBlame(
        index, "table row", "", heading, text, len(all_words), _provenance(all_words), tuple(sentences)
    )


def _sentence_spans(text: str, skip: int) -> Iterator[tuple[int, int]]:
    """[start, end) of each sentence of `text`; no sentence ends within its first `skip` characters (the number)."""
    start = 0
    for m in _END_RE.finditer(text):
        if m.start() < skip or not m.group(1).isupper():
            continue
        before = re.search(r"([\w.]+)$", text[start : m.start()])
        word = before.group(1).lower() if before else ""
        if text[m.start()] == "." and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
            continue
        yield start, m.end()
        start = m.end()
    if text[start:].strip():
        yield start, len(text)


def _provenance(words: Iterable[tuple[Origin, int]]) -> tuple[Provenance, ...]:
    """Words grouped by source, contribution and version: most words first, then in order of appearance."""
    groups: dict[tuple[str, str, str], list[tuple[Origin, int]]] = {}
    for origin, pos in words:
        groups.setdefault((origin.source, origin.contribution, origin.version), []).append((origin, pos))
    total = sum(len(g) for g in groups.values())
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0][1]))
    out = []
    for g in ordered:
        first = g[0][0]
        dates = [o.date for o, _ in g if o.date]
        out.append(
            Provenance(
                first.source,
                len(g),
                round(len(g) / total, 3),
                first.contribution,
                first.symbol,
                first.version,
                first.version_symbol,
                min(dates) if dates else "",
            )
        )
    return tuple(out)


def _cell(text: str) -> str:
    """Text for a Markdown table cell: Markdown punctuation escaped, so the excerpt reads as written."""
    return re.sub(r"([\\`*_{}\[\]<>|~^#$&!])", r"\\\1", " ".join(text.split()))


def excerpt(text: str, limit: int = 90) -> str:
    """The first `limit` characters of a sentence, cut at a word."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def blame_markdown(result: Blame, title: str, language: str) -> str:
    """The provenance annex as a Markdown draft: one row per sentence and source."""
    meta = Meta(title=f"{title}: provenance of the text", version="Annex", language=language)
    lines = [
        render_front_matter(meta).rstrip("\n"),
        f"# Provenance of the text of the {_cell(result.label)}",
        "",
        "For each sentence: the sources whose words it holds, the contribution that proposed them and the version "
        "in which they came in.",
        "",
        "| Paragraph | Sentence | Source | Contribution | Version |",
        "|:--|:--|:--|:--|:--|",
    ]
    for para in result.paragraphs:
        first_of_para = True
        for sentence in para.sentences:
            for n, p in enumerate(sentence.sources):
                where = para.place() if first_of_para else ""
                said = excerpt(sentence.text) if n == 0 else ""
                who = f"{p.source} ({p.words} of {sentence.words} words)"
                version = f"{p.version} ({p.version_symbol})" if p.version_symbol else p.version
                row = [where, said, who, p.symbol or p.contribution, version]
                lines.append("| " + " | ".join(_cell(x) for x in row) + " |")
                first_of_para = False
    if not result.paragraphs:
        lines.append("| | The draft has no text yet. | | | |")
    return "\n".join(lines) + "\n"
