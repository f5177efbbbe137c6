"""Speed only: where two versions of a file differ, found by comparisons that run in C (no Python loop over bytes
or lines).

`changed_spans(old, new)` gives ranges old[a0:a1] replaced by new[b0:b1] outside of which the two are equal in
order: `respliced(old, new, spans) == new` (tests/test_series.py). The spans need not be minimal (they cover every
difference, sometimes more); markdown/_series.py re-reads only the chunks of the draft they touch.
"""

from __future__ import annotations

# Spans shorter than this (both sides together) are not split further: finding an anchor costs more than it saves.
_SMALL = 4096
# The bytes of the older side searched for in the newer one to split a long span: the start of a line near its middle.
_PROBE = 96
_MAX_DEPTH = 24
# Below this many bytes, the first difference is found at once, from the two ranges read as one number each.
_XOR = 2048

Span = tuple[int, int, int, int]  # old[a0:a1] replaced by new[b0:b1]


def changed_spans(old: bytes, new: bytes) -> list[Span]:
    """Ranges of `old` replaced by ranges of `new`, in order, everything between them equal."""
    out: list[Span] = []
    if old != new:
        _split(old, new, 0, len(old), 0, len(new), out, 0)
    return out


def respliced(old: bytes, new: bytes, spans: list[Span]) -> bytes:
    """`old` with its spans replaced by the new bytes they stand for (what changed_spans promises is `new`)."""
    pieces = []
    at = 0
    for a0, a1, b0, b1 in spans:
        pieces += [old[at:a0], new[b0:b1]]
        at = a1
    pieces.append(old[at:])
    return b"".join(pieces)


def _prefix(a: bytes, b: bytes, i: int, j: int, limit: int) -> int:
    """How many bytes a[i:] and b[j:] share at their start, at most `limit`: growing steps, then halving."""
    view = memoryview(a)  # its slices are not copies
    lo, step = 0, 256
    while lo < limit:
        hi = min(lo + step, limit)
        if not b.startswith(view[i + lo : i + hi], j + lo):
            while hi - lo > _XOR:  # the first difference is in [lo, hi)
                mid = (lo + hi) // 2
                if b.startswith(view[i + lo : i + mid], j + lo):
                    lo = mid
                else:
                    hi = mid
            x = int.from_bytes(view[i + lo : i + hi], "big") ^ int.from_bytes(b[j + lo : j + hi], "big")
            return hi - (x.bit_length() + 7) // 8  # the bytes after the first difference give the length of x
        lo, step = hi, step * 4
    return lo


def _suffix(a: bytes, b: bytes, i: int, j: int, limit: int) -> int:
    """How many bytes a[:i] and b[:j] share at their end, at most `limit`."""
    view = memoryview(a)
    lo, step = 0, 256
    while lo < limit:
        hi = min(lo + step, limit)
        if not b.startswith(view[i - hi : i - lo], j - hi):
            while hi - lo > _XOR:
                mid = (lo + hi) // 2
                if b.startswith(view[i - mid : i - lo], j - mid):
                    lo = mid
                else:
                    hi = mid
            x = int.from_bytes(view[i - hi : i - lo], "little") ^ int.from_bytes(b[j - hi : j - lo], "little")
            return hi - (x.bit_length() + 7) // 8
        lo, step = hi, step * 4
    return lo


def _split(a: bytes, b: bytes, a0: int, a1: int, b0: int, b1: int, out: list[Span], depth: int) -> None:
    """The spans of a[a0:a1] against b[b0:b1], appended to `out` in order."""
    p = _prefix(a, b, a0, b0, min(a1 - a0, b1 - b0))
    a0, b0 = a0 + p, b0 + p
    s = _suffix(a, b, a1, b1, min(a1 - a0, b1 - b0))
    a1, b1 = a1 - s, b1 - s
    if a0 == a1 and b0 == b1:
        return
    if a0 == a1 or b0 == b1 or (a1 - a0) + (b1 - b0) < _SMALL or depth >= _MAX_DEPTH:
        out.append((a0, a1, b0, b1))
        return
    # An anchor: a line of the older side near its middle, found in the newer side. Any place where it is found
    # will do (the two sides are compared again around it), but a line that recurs may pair the wrong copies and
    # leave longer spans: the search starts where the line would be if the changes before it kept the length.
    mid = a.find(b"\n", (a0 + a1) // 2, a1) + 1
    if 0 < mid < a1 - 1:
        probe = a[mid : min(mid + _PROBE, a1)]
        start = max(b0, min(b0 + (mid - a0), b1) - (b1 - b0) // 4)
        at = b.find(probe, start, b1)
        if at < 0:
            at = b.find(probe, b0, start + len(probe))
        if at >= 0:
            _split(a, b, a0, mid, b0, at, out, depth + 1)
            _split(a, b, mid, a1, at, b1, out, depth + 1)
            return
    out.append((a0, a1, b0, b1))
