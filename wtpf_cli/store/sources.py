"""Source names: who a change comes from, as the user types it. A name becomes a git author, a folder name
(the contribution id) and a line of every report, so it is checked once, where it enters."""

from __future__ import annotations

import codecs
import unicodedata

from wtpf_cli.errors import InputRejected
from wtpf_cli.store.config import slugify

MAX_SOURCE_NAME = 100  # characters; the longest name of a member state is about 60


def check_source_name(name: str, option: str = "--source") -> str:
    """The name without surrounding spaces, or InputRejected: empty, `.`/`..`, control characters (a newline, an
    escape sequence), `<` or `>` (git's ident delimiters), or longer than MAX_SOURCE_NAME."""
    clean = name.strip()
    shown = ascii(name)[1:-1]  # never echo control characters to the terminal
    if not clean:
        raise InputRejected(f"{option} must name who the change comes from")
    if clean in (".", ".."):
        raise InputRejected(f"{option} {clean!r} is not a name")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in clean):
        raise InputRejected(f"{option} {shown[:60]!r} holds a control character (a line break, an escape)")
    if "<" in clean or ">" in clean:
        raise InputRejected(f"{option} {clean[:60]!r} holds '<' or '>', which git keeps for e-mail addresses")
    if len(clean) > MAX_SOURCE_NAME:
        raise InputRejected(f"{option} is {len(clean)} characters long: a name has at most {MAX_SOURCE_NAME}")
    return clean


def source_slug(name: str) -> str:
    """An ASCII slug of a source name, distinct for distinct names in any script: accents folded
    ('Côte d'Ivoire' -> 'cote-d-ivoire'), other scripts kept as their Punycode (RFC 3492: '中国' -> 'fiqs8s')."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    if folded.isascii():
        return slugify(folded)
    return slugify(codecs.encode(folded, "punycode").decode("ascii"))
