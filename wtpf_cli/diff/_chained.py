"""Speed only: each version of a sequence diffed with the one before, its items coded once.

`ChainDiffer(first).diff_next(items)` must equal `diff_sequences(the sequence before, items)`, and so must
`diff_next(items, changed)` given the ranges where items differ from the sequence before (elsewhere they are the
same objects): tests/test_attribute_window.py compares them over chains of versions that share some items as the
same objects. With `changed`, only the changed items are coded and compared (diff/_spliced.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

from wtpf_cli.diff._diff_main import diff_codes
from wtpf_cli.diff._spliced import Splice, spliced_edits
from wtpf_cli.diff.sequences import Edit, to_edits


class ChainDiffer:
    """diff_sequences of each version of a sequence with the one before it, for versions that share most of their
    items as the same objects: each object is given its code once (by identity; by value only when first met)."""

    def __init__(self, first: Sequence[Hashable]) -> None:
        self._by_id: dict[int, str] = {}
        self._by_value: dict[Hashable, str] = {}
        self._alive: list[Hashable] = []  # the coded objects, kept so that their ids are not reused
        self._text = self._code(first)
        self._counts: Counter[str] | None = None  # how often each code occurs in _text, once needed

    def diff_next(self, items: Sequence[Hashable], changed: list[Splice] | None = None) -> list[Edit]:
        """diff_sequences(the last sequence, items); items becomes the last sequence. `changed`: the ranges
        (a0, a1, b0, b1) where the last sequence's items a0:a1 were replaced by items b0:b1, in order; every other
        item is the object that stood there (None: unknown)."""
        old = self._text
        if changed is None:
            self._text = new = self._code(items)
            self._counts = None
            if old == new:
                return [Edit("equal", 0, len(old), 0, len(new))] if old else []
            return to_edits(diff_codes(old, new))
        pieces: list[str] = []
        at = 0
        for a0, a1, b0, b1 in changed:
            pieces += [old[at:a0], self._code(items[b0:b1])]
            at = a1
        pieces.append(old[at:])
        self._text = new = "".join(pieces)
        counts = self._counts if self._counts is not None else Counter(old)
        absent_a = {c for a0, a1, b0, b1 in changed for c in new[b0:b1] if not counts[c]}
        for a0, a1, b0, b1 in changed:
            counts.subtract(old[a0:a1])
            counts.update(new[b0:b1])
        absent_b = {c for a0, a1, b0, b1 in changed for c in old[a0:a1] if not counts[c]}
        self._counts = counts
        return spliced_edits(old, new, changed, absent_b, absent_a)

    def _code(self, items: Sequence[Hashable]) -> str:
        codes = list(map(self._by_id.get, map(id, items)))
        if None in codes:
            for k, code in enumerate(codes):
                if code is None:
                    item = items[k]
                    code = self._by_value.get(item)
                    if code is None:
                        n = len(self._by_value) + 1  # equal items share a code, as in sequences.encode
                        code = self._by_value[item] = chr(n if n < 0xD800 else n + 0x800)
                    self._by_id[id(item)] = codes[k] = code
                    self._alive.append(item)
        return "".join(codes)  # type: ignore[arg-type]
