"""Where a .docx can carry where it came from (report, version, symbol, commit) through a delegate's LibreOffice.

A ``wtpf build`` is given custom document properties (``docProps/custom.xml``, ECMA-376 Part 1 §22.3), document
variables (``w:docVars`` in ``word/settings.xml``) and every core property (``docProps/core.xml``,
Part 2 §11), then opened and saved by LibreOffice 7.4 as a delegate would: unchanged, edited with Track Changes,
edited without and saved with File > Save As. What survives (measured): the custom properties, every one, as
strings (LibreOffice writes them back sorted by name, ``pid`` renumbered from 2); the core properties; not the
document variables, which LibreOffice drops.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from support.delegates import DATE, Op, build_base, replace
from support.libreoffice import LibreOffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id of user-defined properties

ORIGIN = {
    "wtpf.version": "First Draft",
    "wtpf.report": "WTPF-IEG/1",
    "wtpf.symbol": "WTPF-IEG/1/1",
    "wtpf.commit": "0123456789abcdef0123456789abcdef01234567",
}
EXTRA_CORE = {
    "cp:category": "wtpf report",
    "cp:contentStatus": "First Draft",
    "dc:identifier": "WTPF-IEG/1/1",
    "cp:version": "0123456789abcdef0123456789abcdef01234567",
    "dc:description": "wtpf.report=WTPF-IEG/1",
}
AUTHOR = "Délégué de l'Exemple"


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def stamped(source: Path, out: Path) -> Path:
    """``source`` with ORIGIN as custom properties and as document variables, and EXTRA_CORE as core properties."""
    with zipfile.ZipFile(source) as package:
        parts = {info.filename: package.read(info.filename) for info in package.infolist()}
    custom = etree.Element(f"{{{CUSTOM}}}Properties", nsmap={None: CUSTOM, "vt": VT})
    for pid, (name, value) in enumerate(ORIGIN.items(), 2):
        prop = etree.SubElement(custom, f"{{{CUSTOM}}}property", fmtid=FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT}}}lpwstr").text = value
    parts["docProps/custom.xml"] = etree.tostring(custom, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels = _parse(parts["_rels/.rels"])
    for rel in [rel for rel in rels if rel.get("Type") == CUSTOM_REL]:  # a wtpf build carries its own: replaced
        rels.remove(rel)
    etree.SubElement(rels, PACKAGE_RELS + "Relationship", Id="rIdWtpf", Type=CUSTOM_REL, Target="docProps/custom.xml")
    parts["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = _parse(parts["[Content_Types].xml"])
    for override in [o for o in types if o.get("PartName") == "/docProps/custom.xml"]:
        types.remove(override)
    etree.SubElement(types, CONTENT_TYPES + "Override", PartName="/docProps/custom.xml", ContentType=CUSTOM_TYPE)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = _parse(parts["word/settings.xml"])
    variables = etree.Element(W + "docVars")
    for name, value in ORIGIN.items():
        etree.SubElement(variables, W + "docVar", {W + "name": name, W + "val": value})
    settings.insert(0, variables)  # docVars come late in CT_Settings, but LibreOffice reads them anywhere
    parts["word/settings.xml"] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)
    core = _parse(parts["docProps/core.xml"])
    for qualified, value in EXTRA_CORE.items():
        prefix, name = qualified.split(":")
        found = core.find(f"{{{CORE[prefix]}}}{name}")
        if found is None:
            found = etree.SubElement(core, f"{{{CORE[prefix]}}}{name}")
        found.text = value
    parts["docProps/core.xml"] = etree.tostring(core, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out


def custom_properties(path: Path) -> list[tuple[str, str, str, str]]:
    """``docProps/custom.xml`` as (pid, name, value type, value), in file order; [] when the part is gone."""
    with zipfile.ZipFile(path) as package:
        if "docProps/custom.xml" not in package.namelist():
            return []
        root = _parse(package.read("docProps/custom.xml"))
        rels = _parse(package.read("_rels/.rels"))
    assert [rel.get("Target") for rel in rels if rel.get("Type") == CUSTOM_REL] in (
        ["docProps/custom.xml"],
        ["/docProps/custom.xml"],
    )
    out = []
    for prop in root:
        assert prop.get("fmtid") == FMTID
        (value,) = list(prop)
        out.append((prop.get("pid", ""), prop.get("name", ""), etree.QName(value).localname, value.text or ""))
    return out


def document_variables(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        settings = _parse(package.read("word/settings.xml"))
    return {var.get(W + "name", ""): var.get(W + "val", "") for var in settings.iter(W + "docVar")}


def core_properties(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        core = _parse(package.read("docProps/core.xml"))
    prefixes = {uri: prefix for prefix, uri in CORE.items()}
    out = {}
    for element in core:
        name = etree.QName(element)
        if name.namespace in prefixes:
            out[f"{prefixes[name.namespace]}:{name.localname}"] = element.text or ""
    return out


@pytest.fixture(scope="module")
def origin_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("origin")
    return stamped(build_base(folder)[1], folder / "stamped.docx")


def test_the_stamped_file_holds_the_origin_three_ways(origin_docx: Path) -> None:
    assert custom_properties(origin_docx) == [
        (str(pid), name, "lpwstr", value) for pid, (name, value) in enumerate(ORIGIN.items(), 2)
    ]
    assert document_variables(origin_docx) == ORIGIN
    assert EXTRA_CORE.items() <= core_properties(origin_docx).items()


@dataclass(frozen=True)
class Saved:
    """A delegate's save of the stamped file: how, and the file it gave."""

    how: str
    ops: list[Op]
    tracking: bool
    path: Path


EDIT = [replace("remains slow", "remains very slow")]
SAVES: list[tuple[str, list[Op], bool, str]] = [
    ("opened and saved unchanged", [], False, "export"),
    ("Track Changes turned on, saved", [], True, "export"),
    ("edited with Track Changes", EDIT, True, "export"),
    ("edited without Track Changes, saved as", EDIT, False, "save_as"),
]


@pytest.fixture(scope="module", params=SAVES, ids=[save[0] for save in SAVES])
def saved(
    request: pytest.FixtureRequest,
    libreoffice: LibreOffice,
    origin_docx: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Saved:
    how, ops, tracking, save = request.param
    out = tmp_path_factory.mktemp("saved") / "delegate.docx"
    libreoffice.apply(origin_docx, out, author=AUTHOR, ops=ops, tracking=tracking, date=DATE, save=save)
    return Saved(how, ops, tracking, out)


def test_libreoffice_keeps_the_custom_properties_sorted_by_name(saved: Saved) -> None:
    assert custom_properties(saved.path) == [
        (str(pid), name, "lpwstr", ORIGIN[name]) for pid, name in enumerate(sorted(ORIGIN), 2)
    ]


def test_libreoffice_keeps_the_core_properties(saved: Saved) -> None:
    core = core_properties(saved.path)
    assert EXTRA_CORE.items() <= core.items()
    assert (core["dc:title"], core["dc:subject"], core["cp:keywords"]) == (
        "Report of the Secretary-General",
        "First Draft",
        "WTPF-IEG/1/1",
    )


def test_libreoffice_drops_the_document_variables(saved: Saved) -> None:
    assert document_variables(saved.path) == {}


def test_the_file_went_through_libreoffice_as_the_delegate(libreoffice: LibreOffice, saved: Saved) -> None:
    """LibreOffice wrote it: its name in app.xml, the edit in the text, the delegate as last author once the
    document changed (turning Track Changes on is a change)."""
    with zipfile.ZipFile(saved.path) as package:
        assert b"<Application>LibreOffice/7" in package.read("docProps/app.xml")
    body = " ".join(libreoffice.read(saved.path, "accept").body)
    assert ("remains very slow" in body) == bool(saved.ops)
    changed = bool(saved.ops) or saved.tracking
    assert core_properties(saved.path)["cp:lastModifiedBy"] == (AUTHOR if changed else "ITU Secretariat")
