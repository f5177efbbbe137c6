"""Where a Word file wtpf writes comes from: the report, the version, its symbol and commit, and what the file is
(a build, a redline, an annex), carried as custom document properties (``docProps/custom.xml``, ECMA-376 Part 1
§22.3), which Word and LibreOffice keep when a delegate saves the file (tests/test_custom_properties.py; they
drop document variables)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from wtpf_cli.ooxml.package import DocxPackage

CUSTOM_PART = "docProps/custom.xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id of user-defined properties (§22.3.2.2)
_PREFIX = "wtpf."


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a file comes from: its report's id, the version's name, symbol and commit ("" when unknown), and
    the document ("build", "redline", "annex")."""

    report: str = ""
    version: str = ""
    symbol: str = ""
    commit: str = ""
    document: str = ""

    def properties(self) -> dict[str, str]:
        """The custom properties that carry it (those with a value)."""
        fields = {
            "commit": self.commit,
            "document": self.document,
            "report": self.report,
            "symbol": self.symbol,
            "version": self.version,
        }
        return {f"{_PREFIX}{name}": value for name, value in fields.items() if value}


def custom_xml(properties: Mapping[str, str]) -> bytes:
    """docProps/custom.xml holding these text properties, sorted by name, numbered from 2 (as LibreOffice writes
    them back: a saved file keeps them in the same order)."""
    root = etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})  # type: ignore[dict-item]
    for pid, name in enumerate(sorted(properties), 2):
        prop = etree.SubElement(root, f"{{{_CUSTOM}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = properties[name]
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def read_origin(package: DocxPackage) -> Origin | None:
    """The origin a file carries (None when it carries no wtpf property)."""
    name = next(
        (rel.target for rel in package.relationships("") if rel.rel_type == CUSTOM_REL and not rel.external), None
    )
    root = package.part(name) if name else None
    if root is None:
        return None
    found: dict[str, str] = {}
    for prop in root:
        key = prop.get("name", "")
        if key.startswith(_PREFIX) and len(prop):
            found.setdefault(key[len(_PREFIX) :], (prop[0].text or "").strip())
    if not found:
        return None
    return Origin(
        found.get("report", ""),
        found.get("version", ""),
        found.get("symbol", ""),
        found.get("commit", ""),
        found.get("document", ""),
    )
