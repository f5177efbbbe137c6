"""A draft's YAML front matter: split from the Markdown body, read into Meta, rendered and replaced."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wtpf_cli.errors import InputRejected
from wtpf_cli.model import Meta

# YAML is imported where it is used, so that commands which only split the front matter or count words
# (`wtpf versions`) start quickly.

FRONT_MATTER_KEYS = ("title", "version", "symbol", "date", "language")
LANGUAGE_ALIAS = "lang"  # read as `language` (written back as `language`)


@dataclass(frozen=True, slots=True)
class DraftText:
    """A draft file split into its front matter mapping and its Markdown body."""

    meta: Meta
    body: str
    body_line: int  # 0-based line number where the body starts in the file


def split_front_matter(source: str, *, path: str = "report.md") -> DraftText:
    """Separate a leading `---` YAML block from the Markdown body."""
    text = source[1:] if source.startswith("\ufeff") else source
    if not text.startswith("---"):
        return DraftText(Meta(), text, 0)
    # The lines of a growing prefix of the text (all but its last, which may be cut short, are the text's own):
    # the front matter is found without splitting the whole report into lines.
    size = 4096
    while True:
        lines = text[:size].splitlines(keepends=True)
        if size < len(text):
            lines.pop()
        if lines:
            if lines[0].rstrip("\r\n") != "---":
                return DraftText(Meta(), text, 0)
            for i in range(1, len(lines)):
                if lines[i].rstrip("\r\n") in ("---", "..."):
                    raw = "".join(lines[1:i])
                    end = sum(map(len, lines[: i + 1]))
                    return DraftText(read_meta(raw, path=path), text[end:], i + 1)
        if size >= len(text):
            raise InputRejected("front matter opened with '---' on line 1 is never closed", path=path)
        size *= 4


def split_draft(source: str, *, path: str) -> DraftText:
    """split_front_matter of a draft to be parsed, which must hold no NUL byte."""
    if source.count("\x00"):  # (faster than `in` on a string of two-byte characters)
        raise InputRejected("the draft contains NUL bytes", path=path)
    return split_front_matter(source, path=path)


def read_meta(raw: str, *, path: str = "report.md") -> Meta:
    """Parse front matter YAML (safe loader) into Meta."""
    found = _read_meta(raw)
    if isinstance(found, str):
        raise InputRejected(found, path=path)
    return found


@lru_cache(maxsize=64)
def _read_meta(raw: str) -> Meta | str:
    """read_meta, once per text (a redline reads the front matter of every version, each under its own path;
    YAML is slow), or what is wrong with it."""
    import yaml  # (start-up: see the note at the top)

    try:
        data = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        # The start of the faulty construct (context_mark) names the line a person has to fix.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        return f"front matter is not valid YAML{where}"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return "front matter must be a mapping of keys to values"
    values: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dt.date):
            values[str(key)] = value.isoformat()
        elif value is None:
            values[str(key)] = ""
        else:
            values[str(key)] = str(value)
    if "language" not in values and LANGUAGE_ALIAS in values:
        values["language"] = values.pop(LANGUAGE_ALIAS)
    extra = tuple((k, v) for k, v in values.items() if k not in FRONT_MATTER_KEYS)
    return Meta(
        title=values.get("title", ""),
        version=values.get("version", ""),
        symbol=values.get("symbol", ""),
        date=values.get("date", ""),
        language=values.get("language", "English") or "English",
        extra=extra,
    )


def render_front_matter(meta: Meta) -> str:
    """The `---` YAML block for a Meta, keys in a fixed order."""
    data: dict[str, Any] = {
        "title": meta.title,
        "version": meta.version,
        "symbol": meta.symbol,
        "date": meta.date,
        "language": meta.language,
    }
    data.update(dict(meta.extra))
    import yaml  # (start-up: see the note at the top)

    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{dumped}---\n"


def replace_front_matter(source: str, meta: Meta) -> str:
    """The draft text with its front matter replaced by `meta` (added if absent), body untouched."""
    parts = split_front_matter(source)
    return render_front_matter(meta) + parts.body
