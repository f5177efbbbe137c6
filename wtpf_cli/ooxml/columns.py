"""Table column widths sized by their content, in twips.

Text is measured in units of an average lower-case letter of the house font (Times New Roman 11 pt in a table
cell, about 100 twips); capitals, digits, spaces and punctuation by their usual share of it. That is all a column's
width needs: which column holds the most text, and which words must not be broken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

TWIPS_PER_UNIT = 100  # an average lower-case letter of 11 pt Times New Roman
CELL_MARGINS = 170  # twips: the table style's left and right cell margins (85 each)
LONGEST = 400  # units: a cell's line is not measured beyond this (it wraps anyway)
SEARCH_LIMIT = 50_000  # rows × columns³ up to which widths are tuned row by row (the cost of _fewest_lines)
FILL = 1.1  # a wrapped line breaks at a word: it holds about 1/FILL of what its width could
_BREAKS = re.compile(r"[ \t\n]+")  # where a line may break (not at a no-break space)
_WIDE = re.compile(r"[\u2e80-\U0010ffff]")  # CJK and beyond: about a full em; below it, letters count as letters


def column_widths(columns: Sequence[Sequence[str]], total: int) -> list[int]:
    """Widths summing to `total` for columns given as their cells' texts: when every cell fits on one line, in
    proportion to each column's longest line; otherwise the widths that make the table fewest lines high, starting
    from shares in proportion to each column's text, and never narrower than a column's longest word."""
    if not columns:
        return []
    text_width = max(total - CELL_MARGINS * len(columns), len(columns))
    room = text_width / TWIPS_PER_UNIT  # the units a line of the table holds
    least = [max([_longest_word(c) for c in cells] + [1.0]) for cells in columns]
    most = [max([_longest_line(c) for c in cells] + [w]) for cells, w in zip(columns, least, strict=True)]
    if sum(most) <= room:
        shares = most
    elif sum(least) >= room:  # not even the longest words fit: in proportion to them
        shares = least
    else:
        shares = _by_volume([sum(_units(c) for c in cells) or 1.0 for cells in columns], least, room)
        if len(columns[0]) * len(columns) ** 3 <= SEARCH_LIMIT:
            shares = _fewest_lines(columns, shares, least)
    widths = [CELL_MARGINS + int(text_width * s / sum(shares)) for s in shares]
    widths[-1] += total - sum(widths)  # rounding: the last column takes the few twips left
    return widths


def _by_volume(volume: list[float], least: list[float], room: float) -> list[float]:
    """`room` shared in proportion to `volume`, except that a column never gets less than its `least`: those that
    would are given their least, and the rest is shared again among the others."""
    fixed: dict[int, float] = {}
    while True:
        free = [c for c in range(len(volume)) if c not in fixed]
        left = room - sum(fixed.values())
        total = sum(volume[c] for c in free)
        short = [c for c in free if left * volume[c] / total < least[c]]
        if not short:
            return [fixed.get(c, left * volume[c] / total) for c in range(len(volume))]
        fixed.update((c, least[c]) for c in short)


def _fewest_lines(columns: Sequence[Sequence[str]], shares: list[float], least: list[float]) -> list[float]:
    """`shares` moved between columns, a little at a time, while that makes the table fewer lines high (each row as
    high as its tallest cell; a line n units long in a column w units wide takes about n × FILL / w lines)."""
    rows = [
        [[_units(line) * FILL for line in cells[r].split("\n")] for cells in columns] for r in range(len(columns[0]))
    ]

    def height(widths: list[float]) -> int:
        return sum(
            max(sum(max(-int(-n // w), 1) for n in cell) for cell, w in zip(row, widths, strict=True)) for row in rows
        )

    best, lowest = list(shares), height(shares)
    step = sum(shares) / 20
    while step >= 0.5:
        moves = [
            [w - step if c == i else w + step if c == j else w for c, w in enumerate(best)]
            for i in range(len(best))
            for j in range(len(best))
            if i != j and best[i] - step >= least[i]
        ]
        found = min(((height(m), m) for m in moves), default=(lowest, best), key=lambda x: x[0])
        if found[0] < lowest:
            lowest, best = found
        else:
            step /= 2
    return best


@lru_cache(maxsize=8192)
def _units(text: str) -> float:
    """The width of a text in average lower-case letters: capitals 1.45, other letters 1, digits 1.1, spaces 0.55,
    punctuation 0.7, CJK and the like a full em (2.2)."""
    narrow = text if text.isascii() else _WIDE.sub("", text)
    upper = sum(map(str.isupper, narrow))
    digits = sum(map(str.isdigit, narrow))
    spaces = sum(map(str.isspace, narrow))
    letters = sum(map(str.isalpha, narrow))
    other = len(narrow) - letters - digits - spaces
    return letters + 0.45 * upper + 1.1 * digits + 0.55 * spaces + 0.7 * other + 2.2 * (len(text) - len(narrow))


def _longest_line(text: str) -> float:
    return min(max(_units(line.strip()) for line in text.split("\n")), LONGEST)


def _longest_word(text: str) -> float:
    """The widest run of characters a line may not break in (no-break spaces hold words together)."""
    return max((_units(w) for w in _BREAKS.split(text)), default=0.0) + 0.5
