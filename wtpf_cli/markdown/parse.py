"""Read a draft: its front matter and its Markdown body parsed into a Document (cover, body, footnotes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from wtpf_cli.markdown._chunks import Chunk, ParseCache, read_chunked
from wtpf_cli.markdown.blocks import Walker, markdown_parser
from wtpf_cli.markdown.cover import cover_blocks
from wtpf_cli.markdown.frontmatter import split_draft
from wtpf_cli.markdown.notes import order_notes
from wtpf_cli.model import Block, Document, Meta

if TYPE_CHECKING:
    from markdown_it.token import Token as MdToken


def read_draft(
    source: str,
    *,
    path: str = "report.md",
    cache: ParseCache | None = None,
    chunked: bool = True,
    parsed: Mapping[str, Chunk] | None = None,
) -> Document:
    """Parse a draft file (front matter + Markdown) into a Document: the cover, then the body's blocks.

    The body's blocks are those of parse_body; unless `chunked` is False they are read chunk by chunk, each chunk
    once per run thanks to `cache` (speed only: wtpf_cli/markdown/_chunks.py). Chunks in `parsed` (from
    parse_draft_part in another process) are taken as they are.
    """
    draft = split_draft(source, path=path)
    cache = cache if cache is not None else ParseCache()
    cover = shared_cover(draft.meta, cache)
    found = read_chunked(draft.body, cache, parsed) if chunked else None
    blocks, warnings = found if found is not None else parse_body(draft.body)
    return Document(draft.meta, (*cover, *blocks), tuple(warnings))


def shared_cover(meta: Meta, cache: ParseCache) -> tuple[Block, ...]:
    """The cover blocks of a front matter, made once per cache."""
    cover = cache.covers.get(meta)
    if cover is None:
        cover = cache.covers[meta] = tuple(cover_blocks(meta))
    return cover


def parse_body(body: str) -> tuple[list[Block], list[str]]:
    """The blocks of a Markdown body (its footnotes after it) and the warnings of reading it, by one parse."""
    blocks, warnings, _, _ = parse_body_tokens(body)
    return blocks, warnings


def parse_body_tokens(body: str) -> tuple[list[Block], list[str], list[MdToken], dict[str, Any]]:
    """parse_body's blocks and warnings with the markdown-it tokens and env they were read from (one parse)."""
    blocks: list[Block] = []
    warnings: list[str] = []
    env: dict[str, Any] = {}
    tokens = markdown_parser().parse(body, env)
    Walker(blocks, warnings, {}).walk(tokens)
    return order_notes(blocks), warnings, tokens, env
