"""The colours of the sources on the HTML page: one per source, never two alike, none grey, each legible as text
(WCAG 2 contrast 4.5:1 or more) on the white page and on its own tint (the background of inserted text)."""

from __future__ import annotations

import colorsys

PAGE = (255, 255, 255)
TINT = 0.09  # opacity of a source's colour behind its insertions
MIN_CONTRAST = 4.6  # WCAG AA asks 4.5:1 for body text; a little more, against rounding
# The Tableau 10 hues, darkened to read as text (grey left out: it is the colour of the cover's muted text). Sources
# take them in order of first appearance; after these, hues spread around the wheel (golden angle), darkened until
# they read as well.
BASE = (
    "#1c5fa0",  # blue
    "#a04a00",  # orange
    "#1e7b1e",  # green
    "#c01f20",  # red
    "#7348a0",  # purple
    "#097380",  # cyan
    "#b8378e",  # pink
    "#7d4a3f",  # brown
    "#6b6c00",  # olive
)
_GOLDEN = 0.381966  # of a turn


def source_colours(count: int) -> list[str]:
    """The colours of `count` sources, in order, no two alike."""
    out: list[str] = []
    seen: set[str] = set()
    n = 1
    while len(out) < count:
        colour = source_colour(n)
        n += 1
        if colour not in seen:
            seen.add(colour)
            out.append(colour)
    return out


def source_colour(n: int) -> str:
    """The n-th colour of the sequence (1-based): '#rrggbb' (far on, two may round to the same: source_colours
    skips the second)."""
    if n <= len(BASE):
        return BASE[n - 1]
    hue = (0.61 + (n - len(BASE)) * _GOLDEN) % 1.0
    saturation = (0.85, 0.65, 0.75)[n % 3]  # varied, so that hues come round again as other colours
    lightness = 0.42
    while True:
        colour = tuple(round(x * 255) for x in colorsys.hls_to_rgb(hue, lightness, saturation))
        rgb = (colour[0], colour[1], colour[2])
        if min(contrast(rgb, PAGE), contrast(rgb, tinted(rgb))) >= MIN_CONTRAST or lightness <= 0.05:
            return "#{:02x}{:02x}{:02x}".format(*rgb)
        lightness -= 0.01


def tinted(rgb: tuple[int, int, int], opacity: float = TINT) -> tuple[int, int, int]:
    """The colour over white at `opacity` (what the page shows behind an insertion)."""
    r, g, b = (round(255 + (c - 255) * opacity) for c in rgb)
    return (r, g, b)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
