"""The cover of a draft in the ITU manner, made from its front matter."""

from __future__ import annotations

from wtpf_cli.labels import format_date, label, original_line, version_name
from wtpf_cli.markdown.blocks import paragraph
from wtpf_cli.markdown.tokens import plain_tokens
from wtpf_cli.model import Block, Meta, ParaProps

COVER_STYLES = frozenset({"CoverSymbol", "CoverMeta", "Title", "Subtitle"})
# A Word redline's first page (render/summary.py): ours, not the draft's; a delegate's file made from a redline
# holds it, and a merge or a base detection reads past it.
SUMMARY_STYLES = frozenset({"RevisionSummaryTitle", "RevisionSummary", "RevisionSummaryTable"})

ORIGINAL_KEY = "original"  # the front matter's language of the original, when the draft is a translation


def cover_blocks(meta: Meta) -> list[Block]:
    """The cover block in the ITU manner, in the draft's language: symbol top right, date, original language,
    title, version name."""
    lang = meta.language
    original = dict(meta.extra).get(ORIGINAL_KEY) or lang
    lines = [
        ("CoverSymbol", meta.symbol or label("no_symbol", lang)),
        ("CoverMeta", format_date(meta.date, lang) if meta.date else label("undated", lang)),
        ("CoverMeta", original_line(lang, original)),
        ("Title", meta.title or label("untitled", lang)),
        ("Subtitle", version_name(meta.version or "Working draft", lang)),
    ]
    return [paragraph(ParaProps(style=style), plain_tokens(text)) for style, text in lines]
