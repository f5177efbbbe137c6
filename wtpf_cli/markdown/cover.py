"""The cover of a draft in the ITU manner, made from its front matter."""

from __future__ import annotations

import datetime as dt

from wtpf_cli.markdown.blocks import paragraph
from wtpf_cli.markdown.tokens import plain_tokens
from wtpf_cli.model import Block, Meta, ParaProps

COVER_STYLES = frozenset({"CoverSymbol", "CoverMeta", "Title", "Subtitle"})


def format_date(iso: str) -> str:
    """'2012-04-13' -> '13 April 2012' (as on an ITU cover); other text is returned as is."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day.strftime('%B')} {day.year}"


def cover_blocks(meta: Meta) -> list[Block]:
    """The cover block in the ITU manner: symbol top right, date, original language, title, version name."""
    lines = [
        ("CoverSymbol", meta.symbol or "(no symbol)"),
        ("CoverMeta", format_date(meta.date) if meta.date else "(undated)"),
        ("CoverMeta", f"Original: {meta.language}"),
        ("Title", meta.title or "(untitled)"),
        ("Subtitle", meta.version or "Working draft"),
    ]
    return [paragraph(ParaProps(style=style), plain_tokens(text)) for style, text in lines]
