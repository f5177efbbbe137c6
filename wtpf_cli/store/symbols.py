"""Document symbols: the one rule, set in wtpf.toml, that `wtpf stamp` applies and `wtpf check` (SY001, SY002)
reports, and the next free number of a series."""

from __future__ import annotations

import re
from collections.abc import Iterable

# [report].symbol_rule: how strictly a symbol follows [report].symbol_prefix.
#   series  the prefix with any number in it changed (the Union numbers each meeting's documents anew:
#           WTPF-IEG/1/9, then WTPF-IEG/2/2 under prefix WTPF-IEG/1), then one or more /N (REG-EG/1/3 under REG-EG)
#   prefix  the prefix as written, then /N
#   any     any symbol of the valid form
SYMBOL_RULES = ("series", "prefix", "any")
DEFAULT_SYMBOL_RULE = "series"

_FORM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/.() ]*$")
# A re-issue (Rev.N), an addendum, a corrigendum after the number: the forms of UN document symbols.
_SUFFIX = r"(?:\s?\(Rev\.\d+\)|/Rev\.\d+)?(?:/Add\.\d+)?(?:/Corr\.\d+)?"
_NUMBER_RE = re.compile(r"^(?P<series>.*)/(?P<n>\d+)$")


def valid_form(symbol: str) -> bool:
    """Whether `symbol` has the form of a document symbol: letters, digits, `-/.()` and spaces (rule SY001)."""
    return bool(_FORM_RE.match(symbol))


def symbol_pattern(prefix: str, rule: str = DEFAULT_SYMBOL_RULE) -> re.Pattern[str]:
    """The symbols `rule` allows under `prefix` (rule SY002); `any` allows every symbol of the valid form."""
    if rule == "any":
        return _FORM_RE
    segments = prefix.strip().rstrip("/").split("/")
    if rule == "series":
        parts = [r"\d+" if seg.isdigit() else re.escape(seg) for seg in segments]
        numbers = r"(?:/\d+)+"
    else:
        parts = [re.escape(seg) for seg in segments]
        numbers = r"/\d+"
    return re.compile("^" + "/".join(parts) + numbers + _SUFFIX + "$")


def follows(symbol: str, prefix: str, rule: str = DEFAULT_SYMBOL_RULE) -> bool:
    """Whether `symbol` follows the symbol rule of the workspace (SY002)."""
    return bool(symbol_pattern(prefix, rule).match(symbol))


def rule_text(prefix: str, rule: str = DEFAULT_SYMBOL_RULE) -> str:
    """The rule in words, for messages: 'WTPF-IEG/1/N (a number of the prefix may change)'."""
    prefix = prefix.strip().rstrip("/")
    if rule == "any":
        return "any symbol of letters, digits, -/.() and spaces"
    if rule == "series" and any(seg.isdigit() for seg in prefix.split("/")):
        return f"{prefix}/N (or {prefix}/N (Rev.1); a number of the prefix may change)"
    return f"{prefix}/N (or {prefix}/N (Rev.1))"


def next_symbol(prefix: str, rule: str, last: str | None, taken: Iterable[str]) -> str:
    """The next number of the series of the last version's symbol (or of the prefix): one more than the highest
    number given in that series, to a version or a registered contribution."""
    series = prefix.strip().rstrip("/")
    if last:
        base = re.split(r"\s?\(Rev\.|/Rev\.|/Add\.|/Corr\.", last, maxsplit=1)[0]
        m = _NUMBER_RE.match(base)
        if m and follows(base, prefix, rule):
            series = m.group("series")
    used = [0]
    for symbol in taken:
        m = _NUMBER_RE.match(re.split(r"\s?\(Rev\.|/Rev\.|/Add\.|/Corr\.", symbol, maxsplit=1)[0])
        if m and m.group("series") == series:
            used.append(int(m.group("n")))
    return f"{series}/{max(used) + 1}"
