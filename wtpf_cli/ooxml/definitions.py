"""What a .docx defines beside its text, as the reader needs it to tell a paragraph's structure: the targets of its
hyperlinks, its numberings (which list a paragraph is in, bullet or numbered, from what number) and its paragraph
styles (heading levels, numbering given by a style) (ECMA-376 Part 1, §17.7, §17.9, §17.16.22)."""

from __future__ import annotations

import re

from lxml import etree

from wtpf_cli.ooxml.package import DocxPackage
from wtpf_cli.ooxml.revisions import Numbering, Style
from wtpf_cli.ooxml.walk import numbering_of
from wtpf_cli.ooxml.wordml import NUMPR, PPR, VAL, W

_LEVELS = 9
_HEADING_NAME = re.compile(r"heading\s*([1-9])$", re.IGNORECASE)
_HEADING_ID = re.compile(r"Heading([1-9])$")
_STYLE_DEPTH = 16  # how far a style's w:basedOn chain is followed (Word allows no cycle; a file may hold one)


def link_targets(package: DocxPackage, part: str) -> dict[str, str]:
    """The hyperlink relationships of a part: id -> target (a URI)."""
    return {rel.rel_id: rel.target for rel in package.relationships(part) if rel.rel_type.endswith("/hyperlink")}


def read_lists(package: DocxPackage, main: str) -> dict[str, Numbering]:
    """Each numbering instance (numId) of numbering.xml: its abstract numbering, level formats and starts."""
    name = package.related_part(main, "numbering")
    root = package.part(name) if name else None
    if root is None:
        return {}
    abstracts: dict[str, tuple[list[str], list[int]]] = {}
    for abstract in root.iter(f"{W}abstractNum"):
        formats, starts = ["decimal"] * _LEVELS, [1] * _LEVELS
        for level in abstract.iter(f"{W}lvl"):
            number = _level(level)
            if number is None:
                continue
            found = level.find(f"{W}numFmt")
            if found is not None and found.get(VAL):
                formats[number] = str(found.get(VAL))
            starts[number] = _int(level.find(f"{W}start"), 1)
        abstracts.setdefault(abstract.get(f"{W}abstractNumId", ""), (formats, starts))
    out: dict[str, Numbering] = {}
    for num in root.iter(f"{W}num"):
        num_id = num.get(f"{W}numId", "")
        found = num.find(f"{W}abstractNumId")
        abstract_id = (found.get(VAL) or "") if found is not None else ""
        formats, starts = abstracts.get(abstract_id, (["decimal"] * _LEVELS, [1] * _LEVELS))
        starts = list(starts)
        for override in num.iter(f"{W}lvlOverride"):
            number = _level(override)
            start = override.find(f"{W}startOverride")
            if number is not None and start is not None:
                starts[number] = _int(start, starts[number])
        out.setdefault(num_id, Numbering(abstract_id, tuple(formats), tuple(starts)))
    return out


def read_styles(package: DocxPackage, main: str) -> dict[str, Style]:
    """Each paragraph style of styles.xml: its name, heading level and numbering, through its w:basedOn chain."""
    name = package.related_part(main, "styles")
    root = package.part(name) if name else None
    if root is None:
        return {}
    own: dict[str, tuple[str, int | None, tuple[str, int] | None, str | None]] = {}
    for style in root.iter(f"{W}style"):
        if style.get(f"{W}type", "paragraph") != "paragraph":
            continue
        style_id = style.get(f"{W}styleId", "")
        label = _val(style.find(f"{W}name")) or style_id
        based = _val(style.find(f"{W}basedOn"))
        ppr = style.find(PPR)
        outline = numbering = None
        if ppr is not None:
            found = ppr.find(f"{W}outlineLvl")
            outline = _int(found, 9) if found is not None else None
            numbered = ppr.find(NUMPR)
            numbering = numbering_of(numbered) if numbered is not None else None
        own.setdefault(style_id, (label, _heading(style_id, label, outline), numbering, based))
    out: dict[str, Style] = {}
    for style_id, (label, heading, numbering, based) in own.items():
        seen = 0
        while (heading is None or numbering is None) and based in own and seen < _STYLE_DEPTH:
            _label, parent_heading, parent_numbering, based = own[based]
            heading = parent_heading if heading is None else heading
            numbering = parent_numbering if numbering is None else numbering
            seen += 1
        out[style_id] = Style(label, heading or 0, numbering)
    return out


def _heading(style_id: str, label: str, outline: int | None) -> int | None:
    """A style's own heading level (1-9), 0 when it says it is body text, None when it says nothing."""
    found = _HEADING_ID.match(style_id) or _HEADING_NAME.match(label.strip())
    if found:
        return int(found.group(1))
    if outline is not None:
        return outline + 1 if outline < _LEVELS else 0
    return None


def _level(element: etree._Element) -> int | None:
    """The w:ilvl of a level or level override, when it is one of the nine."""
    value = element.get(f"{W}ilvl", "")
    return int(value) if value.isdigit() and int(value) < _LEVELS else None


def _val(element: etree._Element | None) -> str | None:
    """An element's w:val."""
    return element.get(VAL) if element is not None else None


def _int(element: etree._Element | None, default: int) -> int:
    """An element's w:val as a number, or the default."""
    value = _val(element) or ""
    return int(value) if value.isdigit() and len(value) < 10 else default
