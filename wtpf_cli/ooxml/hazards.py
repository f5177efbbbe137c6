"""What an untrusted .docx holds that Word could run or fetch: macros, and links to outside files (attached templates,
linked objects and pictures, frames, INCLUDE fields, UNC paths). wtpf runs and fetches none of it, and none of it
reaches a file wtpf writes (outputs are built from the house template and the words alone); it is listed as warnings,
so that the secretariat knows what the file would do when opened in Word."""

from __future__ import annotations

import html
import re

from wtpf_cli.ooxml.package import CT_NS, DocxPackage, Relationship

_MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata", "activex")
_MACRO_NAMES = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX\d*\.(xml|bin))$", re.I)
# Fields that make Word read another file or program when the document is opened or its fields updated
# (ECMA-376 Part 1, 17.16.5: INCLUDETEXT, INCLUDEPICTURE, LINK; DDE and DDEAUTO are legacy fields of the same kind).
_FIELD_RE = re.compile(rb"\b(INCLUDETEXT|INCLUDEPICTURE|LINK|DDEAUTO|DDE|IMPORT)\b\s*(\"[^\"]*\"|\S+)?")
_FIELD_PLACES = re.compile(rb"<w:instrText\b[^>]*>([^<]*)</w:instrText>|\bw:instr=\"([^\"]*)\"")
_READABLE = ("hyperlink",)  # external relationships Word only follows when a reader clicks
_WHAT = {
    "attachedTemplate": "an attached template",
    "oleObject": "a linked object",
    "image": "a linked picture",
    "frame": "a frame",
    "subDocument": "a subdocument",
    "package": "a linked package",
    "hyperlink": "a network share by a hyperlink",
}


def package_hazards(package: DocxPackage) -> tuple[str, ...]:
    """Warnings for the macros and outside links a Word package holds (nothing of them is read further)."""
    found: list[str] = []
    macros = sorted(name for name in package.names if _MACRO_NAMES.search(name))
    if macros or _macro_content_type(package):
        where = f" ({', '.join(macros)})" if macros else ""
        found.append(
            f"the file holds macros{where}, as a macro-enabled document (.docm) would: they are never run, and nothing "
            "of them is kept in what wtpf writes"
        )
    for part, rel in _external_relationships(package):
        kind = rel.rel_type.rsplit("/", 1)[-1]
        unc = _unc(rel.target)
        if kind in _READABLE and not unc:
            continue
        what = _WHAT.get(kind, f"a {kind} relationship")
        path = " (a UNC path: Windows would send the user's credentials to that server)" if unc else ""
        found.append(f"{part} links to {what} outside the file: {rel.target}{path}; not fetched")
    for part, field in _outside_fields(package):
        found.append(f"{part} has a field that reads from outside the file: {field}; not fetched or updated")
    return tuple(found)


def _macro_content_type(package: DocxPackage) -> bool:
    """Whether [Content_Types].xml declares macro content (a .docm's main part, a VBA project, ActiveX)."""
    types = package.part("[Content_Types].xml")
    if types is None:
        return False
    for el in types:
        if el.tag in (f"{{{CT_NS}}}Override", f"{{{CT_NS}}}Default"):
            kind = (el.get("ContentType") or "").lower()
            if any(marker in kind for marker in _MACRO_TYPES):
                return True
    return False


def _external_relationships(package: DocxPackage) -> list[tuple[str, Relationship]]:
    """Each relationship with TargetMode="External" of every part, with the part it belongs to."""
    out: list[tuple[str, Relationship]] = []
    for name in package.names:
        if not name.endswith(".rels"):
            continue
        folder, _, base = name.rpartition("_rels/")
        owner = folder + base.removesuffix(".rels")
        out += [(owner or "the package", rel) for rel in package.relationships(owner) if rel.external]
    return out


def _outside_fields(package: DocxPackage) -> list[tuple[str, str]]:
    """Each INCLUDETEXT, INCLUDEPICTURE, LINK or DDE field of the XML parts of Word's text, with its part."""
    out: list[tuple[str, str]] = []
    for name in package.names:
        if not (name.startswith("word/") and name.endswith(".xml")):
            continue
        data = package.read_bytes(name) or b""
        if b"instr" not in data:
            continue
        # Field codes may be split over runs: the instruction texts of the part are joined before they are read.
        codes = b" ".join(m.group(1) or m.group(2) or b"" for m in _FIELD_PLACES.finditer(data))
        for m in _FIELD_RE.finditer(codes):
            out.append((name, " ".join(html.unescape(m.group(0).decode("utf-8", "replace")).split())))
    return out


def _unc(target: str) -> bool:
    """Whether a link target is a Windows network path (\\\\server\\share, file://server/share)."""
    lowered = target.strip().lower()
    return lowered.startswith(("\\\\", "//")) or (lowered.startswith("file:") and not lowered.startswith("file:///"))
