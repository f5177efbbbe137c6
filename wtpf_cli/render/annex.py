"""The annexes posted with a version: the disposition of contributions and the provenance of the text, each a
cover, a heading, a line of introduction and one table, written as Markdown or as a Document for Word and PDF.

A table cell may hold several lines ("\\n"): a line break in Word, `<br>` in Markdown (as GitHub and pandoc read
it). Columns that no row fills are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from wtpf_cli.attribution.blame import Blame, ParagraphBlame, Provenance, excerpt
from wtpf_cli.labels import label, version_name
from wtpf_cli.markdown.blocks import paragraph, table
from wtpf_cli.markdown.cover import cover_blocks
from wtpf_cli.markdown.frontmatter import render_front_matter
from wtpf_cli.markdown.tokens import plain_tokens
from wtpf_cli.model import Block, Document, Meta, ParaProps
from wtpf_cli.store.contributions import Contribution
from wtpf_cli.store.versions import Version


@dataclass(frozen=True, slots=True)
class AnnexTable:
    """A table of plain text: column names and rows of cells (a cell's lines separated by newlines)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def without_empty_columns(self) -> AnnexTable:
        """The table without the columns that no row fills."""
        keep = [c for c in range(len(self.columns)) if any(row[c].strip() for row in self.rows)] or [0]
        return AnnexTable(tuple(self.columns[c] for c in keep), tuple(tuple(row[c] for c in keep) for row in self.rows))


@dataclass(frozen=True, slots=True)
class Annex:
    """An annex: its cover (the version it belongs to), heading, introduction and table, or a line for no rows."""

    meta: Meta
    heading: str
    intro: str
    table: AnnexTable
    empty: str = ""  # said instead of the table when it has no rows


def version_meta(version: Version | None) -> Meta:
    """The name, symbol and date of a stamped version (None: the working draft, which has none)."""
    return Meta(version=version.name, symbol=version.symbol, date=version.date) if version else Meta()


def annex_meta(title: str, kind: str, language: str, version: Meta) -> Meta:
    """The cover of an annex (`kind`: disposition or provenance) to `version`: its symbol and date, and 'Annex to
    the Third Draft' as the version line, in the report's language."""
    name = version_name(version.version, language) if version.version else label("working draft", language)
    return Meta(
        title=label(f"{kind}_title", language, title=title),
        version=label("annex_to", language, version=name),
        symbol=version.symbol,
        date=version.date,
        language=language,
    )


def disposition_annex(items: list[Contribution], meta: Meta) -> Annex:
    """The "disposition of contributions" annex: each contribution's symbol, source, receipt, version commented
    on, kind and what became of it."""
    rows = []
    for c in items:
        received = f"{c.received} (late)" if c.late else c.received
        rows.append((c.symbol, c.source, received, c.on_version, c.kind.replace("-", " "), c.disposition()))
    columns = ("Symbol", "Source", "Received", "On", "Kind", "Disposition")
    intro = "Each contribution received, in order of receipt, and what became of it."
    heading = label("disposition_heading", meta.language)
    return Annex(meta, heading, intro, AnnexTable(columns, tuple(rows)), "No contributions received.")


def provenance_annex(result: Blame, meta: Meta) -> Annex:
    """The provenance annex: one row per paragraph, its text and who proposed it; where its sentences differ,
    each sentence numbered and each source line naming the sentences it holds words of."""
    # the place never wraps ("table row ¶ 13" on one line): its spaces are no-break spaces
    rows = tuple((para.place().replace(" ", "\u00a0"), *_text_and_sources(para)) for para in result.paragraphs)
    intro = (
        "For each paragraph: the sources whose words it holds (with word counts where there are several), the "
        "contribution that proposed them and the version in which they came in."
    )
    return Annex(meta, result.title(), intro, AnnexTable(("Paragraph", "Text", "Sources"), rows), "No text yet.")


def _origin(p: Provenance) -> tuple[str, str, str]:
    return (p.source, p.symbol or p.contribution, p.version)


def _sources_line(items: list[Provenance]) -> str:
    """'ITU Secretariat, First Draft' or 'ITU Secretariat 6 words, First Draft; Brazil 3 words, WTPF-IEG/1/4, …'."""
    parts = []
    for p in items:
        words = f" {p.words} word{'s' * (p.words != 1)}" if len(items) > 1 else ""
        parts.append(", ".join(x for x in (p.source + words, p.symbol or p.contribution, p.version) if x))
    return "; ".join(parts)


def _text_and_sources(para: ParagraphBlame) -> tuple[str, str]:
    groups: dict[tuple[tuple[str, str, str], ...], list[int]] = {}
    for n, s in enumerate(para.sentences, 1):
        if s.sources:
            groups.setdefault(tuple(_origin(p) for p in s.sources), []).append(n)
    if len(groups) <= 1:
        return excerpt(para.text, 60), _sources_line(list(para.sources))
    text = "\n".join(f"({n}) {excerpt(s.text, 50)}" for n, s in enumerate(para.sentences, 1))
    lines = []
    for numbers in groups.values():
        words: dict[tuple[str, str, str], Provenance] = {}
        for n in numbers:
            for p in para.sentences[n - 1].sources:
                seen = words.get(_origin(p))
                words[_origin(p)] = p if seen is None else replace(seen, words=seen.words + p.words)
        lines.append(f"({', '.join(map(str, numbers))}) {_sources_line(list(words.values()))}")
    return text, "\n".join(lines)


# -- written out -------------------------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    """A Markdown table cell: Markdown punctuation escaped (the text reads as written), lines joined by <br>."""
    lines = [re.sub(r"([\\`*_{}\[\]<>|~^#$&!])", r"\\\1", " ".join(line.split())) for line in text.split("\n")]
    return "<br>".join(lines)


def annex_markdown(annex: Annex) -> str:
    """The annex as a Markdown draft (front matter, heading, introduction, table)."""
    shown = annex.table.without_empty_columns()
    lines = [render_front_matter(annex.meta).rstrip("\n"), f"# {_md_cell(annex.heading)}", "", annex.intro, ""]
    if not shown.rows:
        return "\n".join([*lines, annex.empty]) + "\n"
    lines.append("| " + " | ".join(shown.columns) + " |")
    lines.append("|" + "|".join(":--" for _ in shown.columns) + "|")
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in shown.rows)
    return "\n".join(lines) + "\n"


def annex_document(annex: Annex) -> Document:
    """The annex as a Document in the house styles: the cover, then the heading, introduction and table."""
    shown = annex.table.without_empty_columns()
    blocks: list[Block] = [
        *cover_blocks(annex.meta),
        paragraph(ParaProps("Heading1"), plain_tokens(annex.heading)),
        paragraph(ParaProps("BodyText"), plain_tokens(annex.intro)),
    ]
    if shown.rows:
        cells = [[plain_tokens(c) for c in shown.columns]]
        cells += [[plain_tokens("\n".join(line.strip() for line in c.split("\n"))) for c in row] for row in shown.rows]
        blocks.append(table(cells, [None] * len(shown.columns), 1))
    else:
        blocks.append(paragraph(ParaProps("BodyText"), plain_tokens(annex.empty)))
    return Document(annex.meta, tuple(blocks))
