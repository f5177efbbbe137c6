"""Links of a Word file spelled as the base spells them.

Programs rewrite a link's target when they save a file: LibreOffice writes ``https://itu.int`` as
``https://itu.int/``, decodes ``%20`` and UTF-8 escapes, removes ``..`` segments. These spellings name the same
resource (RFC 3986 §6.2.2, syntax-based, and §6.2.3, scheme-based normalization), so a link its sender never
touched must not come back as a change; and two senders' files must not differ in it.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Iterable, Sequence
from urllib.parse import unquote, urlsplit

from wtpf_cli.ooxml.blocks import WordBlock, WordView
from wtpf_cli.ooxml.revisions import Segment


def url_key(href: str) -> str:
    """What two spellings of one URL have in common: scheme and host in lower case, escapes decoded, dot segments
    removed, an empty path of a URL with a host made "/"."""
    try:
        parts = urlsplit(href)
    except ValueError:  # (an invalid IPv6 host)
        return href
    path = unquote(parts.path)
    if parts.netloc:
        path = posixpath.normpath(path) if path not in ("", "/") else "/"
        if parts.path.endswith("/") and path != "/":
            path += "/"  # (normpath drops it)
        if path.startswith("//"):
            path = "/" + path.lstrip("/")  # (normpath keeps two leading slashes)
    return "\x00".join(
        (parts.scheme.lower(), parts.netloc.lower(), path, unquote(parts.query), unquote(parts.fragment))
    )


def base_spellings(hrefs: Iterable[str]) -> dict[str, str]:
    """The base's links by url_key (the first spelling of each)."""
    out: dict[str, str] = {}
    for href in hrefs:
        out.setdefault(url_key(href), href)
    return out


def spelled_as_base(view: WordView, spellings: dict[str, str]) -> WordView:
    """The view with each link that is one of the base's under another spelling spelled as the base does."""
    if not spellings:
        return view
    known = set(spellings.values())

    def respelled(segments: Sequence[Segment]) -> Sequence[Segment]:
        out: list[Segment] | None = None
        for k, s in enumerate(segments):
            if s.href is not None and s.href not in known:
                href = spellings.get(url_key(s.href))
                if href is not None:
                    if out is None:
                        out = list(segments)
                    out[k] = dataclasses.replace(s, href=href)
        return segments if out is None else out

    def block(b: WordBlock) -> WordBlock:
        segments = respelled(b.segments)
        rows = None if b.rows is None else [[list(respelled(c)) for c in row] for row in b.rows]
        if segments is b.segments and rows == b.rows:
            return b
        return dataclasses.replace(b, segments=segments, rows=rows)

    notes = {key: [respelled(p) for p in paragraphs] for key, paragraphs in view.notes.items()}
    return WordView([block(b) for b in view.blocks], notes)
