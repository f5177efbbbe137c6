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


# Nodes that aliases may add beyond those written: a front matter is a few keys, and a YAML "billion laughs"
# (nine anchors of nine aliases each) expands to 9**9 nodes when it is read or printed.
ALIAS_EXPANSION_LIMIT = 10_000


def _compose(raw: str) -> Any:
    """The YAML node graph of a front matter (aliases not expanded), or what is wrong with it."""
    import yaml  # (start-up: see the note at the top)

    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader) if raw.strip() else None
    except yaml.YAMLError as exc:
        # The start of the faulty construct (context_mark) names the line a person has to fix.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        return f"front matter is not valid YAML{where}"
    if node is None:
        return None
    sizes = _expanded_sizes(node)
    if sizes is None:
        return f"front matter has an alias inside its own anchor on line {node.start_mark.line + 2}"
    if sizes[id(node)][0] - _distinct_size(node) > ALIAS_EXPANSION_LIMIT:
        # The line named is that of the smallest value that alone expands beyond the bound.
        first = min((n for size, n in sizes.values() if size > ALIAS_EXPANSION_LIMIT), key=lambda n: sizes[id(n)][0])
        return (
            f"front matter's aliases expand it beyond {ALIAS_EXPANSION_LIMIT} values (an alias bomb) "
            f"on line {first.start_mark.line + 2}"
        )
    return node


def _children(node: Any) -> list[Any]:
    """The nodes directly under a YAML node (keys and values of a mapping)."""
    if isinstance(node.value, list):
        return [n for item in node.value for n in (item if isinstance(item, tuple) else (item,))]
    return []


def _distinct_size(root: Any) -> int:
    """How many nodes the graph holds, each counted once however many aliases name it."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            stack.extend(_children(node))
    return len(seen)


def _expanded_sizes(root: Any) -> dict[int, tuple[int, Any]] | None:
    """For each node of the graph, how many nodes it holds with every alias expanded, computed once per node so
    that a bomb is measured without being expanded; None if an anchor holds an alias to itself."""
    sizes: dict[int, tuple[int, Any]] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            sizes[key] = (1 + sum(sizes[id(c)][0] for c in _children(node)), node)
        elif key in open_nodes:
            return None
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes


def _construct(node: Any) -> Any:
    """The Python value of a composed front matter, or what is wrong with it (a date that is no day)."""
    import yaml  # (start-up: see the note at the top)

    constructor = yaml.SafeLoader("")
    try:
        return constructor.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        return _Invalid(f"front matter is not valid YAML{where}")
    except (ValueError, OverflowError, TypeError):
        # A scalar that YAML's grammar reads as a date but that no calendar has (2012-06-31): name it and its line.
        stack = [node]
        while stack:
            current = stack.pop()
            stack.extend(_children(current))
            if current.tag == "tag:yaml.org,2002:timestamp":
                try:
                    yaml.SafeLoader("").construct_yaml_timestamp(current)
                except ValueError as exc:
                    line = current.start_mark.line + 2
                    return _Invalid(f"front matter: {current.value} on line {line} is not a date ({exc})")
        return _Invalid(f"front matter has a value that cannot be read on line {node.start_mark.line + 2}")


@dataclass(frozen=True, slots=True)
class _Invalid:
    """What is wrong with a front matter, as a value that no YAML document can be."""

    reason: str


@lru_cache(maxsize=64)
def _read_meta(raw: str) -> Meta | str:
    """read_meta, once per text (a redline reads the front matter of every version, each under its own path;
    YAML is slow), or what is wrong with it."""
    node = _compose(raw)
    if isinstance(node, str):
        return node
    data = _construct(node) if node is not None else {}
    if isinstance(data, _Invalid):
        return data.reason
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
    """The draft text with the keys of its front matter that wtpf owns (title, version, symbol, date, language) set
    from `meta` where they differ, every other byte as it was (a front matter is added if absent)."""
    parts = split_front_matter(source)
    text = source[1:] if source.startswith("\ufeff") else source
    head = text[: len(text) - len(parts.body)]
    if not head:
        return render_front_matter(meta) + parts.body
    opening = head.index("\n") + 1
    closing = head.rstrip("\r\n").rfind("\n") + 1
    raw = head[opening:closing]
    wanted = {
        "title": meta.title,
        "version": meta.version,
        "symbol": meta.symbol,
        "date": meta.date,
        "language": meta.language,
    }
    edited = set_owned_keys(raw, {k: v for k, v in wanted.items() if v != getattr(parts.meta, k)})
    return source[: len(source) - len(text)] + head[:opening] + edited + head[closing:] + parts.body


def set_owned_keys(raw: str, values: dict[str, str]) -> str:
    """A front matter's YAML text with the top-level keys `values` names set (each value replaced where it stands,
    or a line added at the end), every other byte kept: comments, flow lists, folded blocks and the keys of others
    stay as their author wrote them. Only the spans to change are found by the YAML parser; nothing is re-emitted."""
    if not values:
        return raw
    node = _compose(raw)
    if isinstance(node, str):
        raise InputRejected(node)
    newline = "\r\n" if "\r\n" in raw else "\n"
    edits: list[tuple[int, int, str]] = []
    missing = dict(values)
    pairs = node.value if node is not None and node.tag == "tag:yaml.org,2002:map" else []
    for key_node, value_node in pairs:
        if key_node.tag == "tag:yaml.org,2002:str" and key_node.value in values:
            name = key_node.value
            missing.pop(name, None)
            start, end = key_node.end_mark.index, value_node.end_mark.index
            span = raw[start:end]
            kept = span[len(span.rstrip()) :]  # the line breaks a block scalar's span ends with
            edits.append((start, end, f": {_scalar(values[name])}{kept}"))
    if missing:
        lines = "".join(f"{name}: {_scalar(value)}" + newline for name, value in missing.items())
        if node is not None and getattr(node, "flow_style", False):
            brace = raw.rindex("}", 0, node.end_mark.index)
            flow = ", ".join(line.rstrip("\r\n") for line in lines.splitlines())
            edits.append((brace, brace, f", {flow}"))
        else:
            before = "" if not raw or raw.endswith("\n") else newline
            edits.append((len(raw), len(raw), before + lines))
    for start, end, text in sorted(edits, reverse=True):
        raw = raw[:start] + text + raw[end:]
    return raw


def _scalar(value: str) -> str:
    """A value as YAML that reads back as the same string in block and flow context (as render_front_matter
    writes it: a date quoted)."""
    import yaml  # (start-up: see the note at the top)

    # Dumped inside a flow list, so that the scalar is quoted wherever a flow mapping would need it.
    flow = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 30).strip()
    return flow[1:-1]
