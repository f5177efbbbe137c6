"""Speed only: each version of a sequence diffed with the one before, its items coded once.

`ChainDiffer(first).diff_next(items)` must equal `diff_sequences(the sequence before, items)`:
tests/test_attribute_window.py compares them over chains of versions that share some items as the same objects.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from wtpf_cli.diff._diff_main import diff_codes
from wtpf_cli.diff.sequences import Edit, to_edits


class ChainDiffer:
    """diff_sequences of each version of a sequence with the one before it, for versions that share most of their
    items as the same objects: each object is given its code once (by identity; by value only when first met)."""

    def __init__(self, first: Sequence[Hashable]) -> None:
        self._by_id: dict[int, str] = {}
        self._by_value: dict[Hashable, str] = {}
        self._alive: list[Hashable] = []  # the coded objects, kept so that their ids are not reused
        self._text = self._code(first)

    def diff_next(self, items: Sequence[Hashable]) -> list[Edit]:
        """diff_sequences(the last sequence, items); items becomes the last sequence."""
        old, new = self._text, self._code(items)
        self._text = new
        if old == new:
            return [Edit("equal", 0, len(old), 0, len(new))] if old else []
        return to_edits(diff_codes(old, new))

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
