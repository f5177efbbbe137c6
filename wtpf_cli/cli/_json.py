"""Speed only: `json.dumps(data, indent=2, ensure_ascii=False)` for the `--json` output, faster.

With an indent, the json module encodes in Python, a generator per container; here each container is written by
one loop and each string by the C encoder. `dumps_indented` must give what json.dumps gives:
tests/test_fast_twins.py (test_the_indented_json_is_the_json_modules_own) compares them.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function where the json module has it (ensure_ascii=False)
from typing import Any

_INFINITY = float("inf")


def dumps_indented(data: object) -> str:
    """json.dumps(data, indent=2, ensure_ascii=False)."""
    parts: list[str] = []
    try:
        _write(data, "\n", parts)
    except TypeError:  # a key that is not a string, or a value json converts or refuses: json says what it does
        return json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(parts)


def _write(o: Any, newline: str, parts: list[str]) -> None:
    """Append `o` encoded, its inner lines indented after `newline` (a line break and the indentation)."""
    if isinstance(o, str):
        parts.append(encode_basestring(o))
    elif o is None:
        parts.append("null")
    elif o is True:
        parts.append("true")
    elif o is False:
        parts.append("false")
    elif type(o) is int:
        parts.append(int.__repr__(o))
    elif type(o) is float:
        parts.append(_float(o))
    elif type(o) is dict:
        if not o:
            parts.append("{}")
            return
        inner = newline + "  "
        before = "{" + inner
        for key, value in o.items():
            if type(key) is not str:
                raise TypeError(key)
            # A string, null or an int written here (most values): a call fewer each.
            if type(value) is str:
                parts.append(before + encode_basestring(key) + ": " + encode_basestring(value))
            elif value is None:
                parts.append(before + encode_basestring(key) + ": null")
            elif type(value) is int:
                parts.append(before + encode_basestring(key) + ": " + int.__repr__(value))
            else:
                parts.append(before + encode_basestring(key) + ": ")
                _write(value, inner, parts)
            before = "," + inner
        parts.append(newline + "}")
    elif type(o) in (list, tuple):
        if not o:
            parts.append("[]")
            return
        inner = newline + "  "
        before = "[" + inner
        for value in o:
            parts.append(before)
            before = "," + inner
            _write(value, inner, parts)
        parts.append(newline + "]")
    else:
        raise TypeError(type(o).__name__)


def _float(o: float) -> str:
    """A float as json writes it (allow_nan: NaN and Infinity as JavaScript spells them)."""
    if o != o:
        return "NaN"
    if o == _INFINITY:
        return "Infinity"
    if o == -_INFINITY:
        return "-Infinity"
    return float.__repr__(o)
