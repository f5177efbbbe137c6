"""A safe reader of an untrusted .docx: checks the zip before decompressing, reads parts bounded, parses XML safely."""

from __future__ import annotations

import functools
import io
import itertools
import lzma
import posixpath
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from wtpf_cli.errors import InputRejected

NOT_DOCX = "not a Word .docx file"

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT_TYPES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)
WORD_MAIN_CONTENT_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
OTHER_OFFICE_KINDS = {
    "spreadsheetml": "an Excel workbook",
    "presentationml": "a PowerPoint presentation",
}


@dataclass(frozen=True)
class PackageLimits:
    """Limits on an untrusted .docx, checked before anything is decompressed (XML depth: while parsing)."""

    max_entries: int = 1_000  # zip entries
    max_part_bytes: int = 50 * 1024 * 1024  # one part, uncompressed
    max_total_bytes: int = 200 * 1024 * 1024  # all parts, uncompressed
    max_ratio: int = 100  # uncompressed : compressed, for parts larger than ratio_floor_bytes
    ratio_floor_bytes: int = 100 * 1024
    max_archive_bytes: int = 256 * 1024 * 1024  # the .docx file itself
    max_central_directory_bytes: int = 8 * 1024 * 1024
    max_xml_depth: int = 256  # element nesting in any XML part


LIMITS = PackageLimits()

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EOCD = b"PK\x05\x06"
_EOCD_STRUCT = struct.Struct("<4s4H2LH")
# What decompressing a damaged entry can raise: a bad header, an unknown method, corrupt deflate, bzip2 or lzma data.
_DECOMPRESS_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    ValueError,
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
)


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: id, type, target (a part name, or a URI when external) and whether it is external."""

    rel_id: str
    rel_type: str
    target: str
    external: bool


@dataclass(frozen=True)
class DocxPackage:
    """A checked .docx held in memory: its part names, its main document and safe access to its XML parts."""

    path: Path
    names: tuple[str, ...]
    main_document_name: str
    _blob: bytes = field(repr=False, compare=False)
    _cache: dict[str, etree._Element | None] = field(default_factory=dict, repr=False, compare=False)
    # The archive, opened once (its central directory was read again for each of a dozen parts).
    _archive: list[zipfile.ZipFile] = field(default_factory=list, repr=False, compare=False)
    # The parts' bytes, decompressed once: the reader parses the main document and the hazards scan it again.
    _bytes: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def has(self, name: str) -> bool:
        """Whether the package holds a part of that name."""
        return name in self.names

    def read_bytes(self, name: str) -> bytes | None:
        """The bytes of a part (None when absent), read with a bound on its size."""
        if name not in self.names:
            return None
        known = self._bytes.get(name)
        if known is not None:
            return known
        if not self._archive:
            self._archive.append(zipfile.ZipFile(io.BytesIO(self._blob)))
        archive = self._archive[0]
        data = self._bytes[name] = _bounded_read(archive, archive.getinfo(name), self.path)
        return data

    def part(self, name: str) -> etree._Element | None:
        """The parsed root element of an XML part, or None when the package has no such part."""
        if name not in self._cache:
            data = self.read_bytes(name)
            self._cache[name] = None if data is None else parse_xml(data, where=f"{self.path} ({name})")
        return self._cache[name]

    def relationships(self, name: str) -> tuple[Relationship, ...]:
        """The relationships of a part (from its _rels file), targets resolved to part names; never fetched."""
        folder, base = posixpath.split(name)
        rels = self.part(posixpath.join(folder, "_rels", base + ".rels"))
        if rels is None:
            return ()
        out: list[Relationship] = []
        for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode", "") == "External"
            if not external:
                target = _resolve(folder, target)
            out.append(Relationship(rel.get("Id", ""), rel.get("Type", ""), target, external))
        return tuple(out)

    def related_part(self, name: str, type_suffix: str) -> str | None:
        """The internal part that ``name`` points to by a relationship whose type ends with ``/type_suffix``."""
        for rel in self.relationships(name):
            if not rel.external and rel.rel_type.endswith("/" + type_suffix) and rel.target in self.names:
                return rel.target
        return None


def open_docx(path: Path, limits: PackageLimits = LIMITS) -> DocxPackage:
    """Check and open an untrusted .docx; raise InputRejected for anything unsafe or that is not a Word document."""
    where = str(path)
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            # A FIFO would block the read, a device would never end, a folder cannot be read.
            raise InputRejected("not a regular file (a folder, FIFO or device)", path=where)
        size = path.stat().st_size
        if size > limits.max_archive_bytes:
            raise InputRejected(
                f"the file is {size:,} bytes, more than the {limits.max_archive_bytes:,} allowed", path=where
            )
        with path.open("rb") as handle:
            blob = handle.read(limits.max_archive_bytes + 1)
    except OSError as exc:
        raise InputRejected(f"cannot read the file: {exc.strerror or exc}", path=where) from exc
    if len(blob) > limits.max_archive_bytes:
        raise InputRejected(f"the file is more than the {limits.max_archive_bytes:,} bytes allowed", path=where)
    _check_kind(blob, where)
    _check_end_record(blob, limits, where)
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        # NotImplementedError: a directory entry asks for a zip version this reader does not know
        raise InputRejected(f"a damaged zip archive ({exc}): {NOT_DOCX}", path=where) from exc
    names = _check_entries(infos, limits, where)
    package = DocxPackage(path=path, names=names, main_document_name="", _blob=blob)
    main = _main_document(package, where)
    # The parts read to find the main document are kept (parsed and decompressed once).
    return replace(package, main_document_name=main)


def parse_xml(data: bytes, *, where: str, limits: PackageLimits = LIMITS) -> etree._Element:
    """Parse untrusted XML: no entities, network, DTD or processing instructions; a DTD or deep nesting is refused."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        reason = " ".join(str(exc).split())
        if "depth" in reason.lower():
            raise InputRejected(f"XML nested deeper than {limits.max_xml_depth} levels", path=where) from exc
        raise InputRejected(f"malformed XML: {reason}", path=where) from exc
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InputRejected("the XML declares a DTD (<!DOCTYPE>), which Word documents never do: refused", path=where)
    _check_depth(root, limits.max_xml_depth, where)
    return root


def _check_depth(root: etree._Element, max_depth: int, where: str) -> None:
    """Refuse nesting deeper than ``max_depth`` (the root is at depth 1).

    An XPath of one step per level, evaluated in C: walking the tree in Python took as long as parsing it. The
    parser has removed comments and processing instructions and a DTD (the only source of entity references) is
    refused before this, so elements are all there is to count. libxml2's XPath parser stops at a few thousand
    steps: a deeper limit is checked by the walk.
    """
    if max_depth <= _XPATH_DEPTH_LIMIT:
        if _deeper_than(max_depth)(root):
            raise InputRejected(f"XML nested deeper than {max_depth} levels", path=where)
        return
    depth = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > max_depth:
                raise InputRejected(f"XML nested deeper than {max_depth} levels", path=where)
        else:
            depth -= 1


_XPATH_DEPTH_LIMIT = 2_000


@functools.lru_cache(maxsize=4)
def _deeper_than(max_depth: int) -> etree.XPath:
    """An XPath that is true when the document holds an element deeper than ``max_depth``."""
    return etree.XPath("boolean(/" + "/".join(["*"] * (max_depth + 1)) + ")")


def _check_kind(blob: bytes, where: str) -> None:
    """Refuse files that are plainly not zip archives, naming what they look like."""
    if blob.startswith(_OLE_MAGIC):
        raise InputRejected(
            f"an OLE compound file (a legacy .doc, or a password-protected Word file): {NOT_DOCX}", path=where
        )
    if blob.startswith(b"%PDF"):
        raise InputRejected(f"a PDF file: {NOT_DOCX}", path=where)
    if not blob:
        raise InputRejected(f"an empty file: {NOT_DOCX}", path=where)
    if not blob.startswith(b"PK"):
        head = blob[:4096]
        if b"\x00" not in head:
            try:
                head.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
                    raise InputRejected(f"not a zip archive: {NOT_DOCX}", path=where) from exc
            raise InputRejected(f"a text file: {NOT_DOCX}", path=where)
        raise InputRejected(f"not a zip archive: {NOT_DOCX}", path=where)


def _check_end_record(blob: bytes, limits: PackageLimits, where: str) -> None:
    """Read the zip's end record and refuse too many entries or an oversized directory before listing them."""
    start = blob.rfind(_EOCD, max(0, len(blob) - (_EOCD_STRUCT.size + 0xFFFF)))
    if start < 0 or start + _EOCD_STRUCT.size > len(blob):
        raise InputRejected(f"not a zip archive (no end of central directory): {NOT_DOCX}", path=where)
    _sig, _disk, _cd_disk, _here, entries, cd_size, _cd_offset, _comment = _EOCD_STRUCT.unpack_from(blob, start)
    if entries > limits.max_entries:
        raise InputRejected(
            f"the zip has {entries:,} entries, more than the {limits.max_entries:,} allowed", path=where
        )
    if cd_size > limits.max_central_directory_bytes:
        raise InputRejected(f"the zip's central directory is {cd_size:,} bytes: too large", path=where)


def _check_entries(infos: list[zipfile.ZipInfo], limits: PackageLimits, where: str) -> tuple[str, ...]:
    """Check every entry's name, size and compression ratio from the directory alone; return the names."""
    if len(infos) > limits.max_entries:
        raise InputRejected(
            f"the zip has {len(infos):,} entries, more than the {limits.max_entries:,} allowed", path=where
        )
    seen: set[str] = set()
    folded: set[str] = set()
    total = 0
    for info in infos:
        name = info.orig_filename
        _check_name(name, where)
        if name in seen:
            raise InputRejected(f"the zip holds two entries named {name!r}", path=where)
        if name.casefold() in folded:
            raise InputRejected(f"the zip holds two entries whose names differ only in case: {name!r}", path=where)
        seen.add(name)
        folded.add(name.casefold())
        if info.flag_bits & 0x1:
            raise InputRejected(f"the zip entry {name!r} is encrypted", path=where)
        if info.file_size > limits.max_part_bytes:
            raise InputRejected(
                f"the part {name!r} is {info.file_size:,} bytes uncompressed, more than the "
                f"{limits.max_part_bytes:,} allowed",
                path=where,
            )
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise InputRejected(f"the part {name!r} expands more than {limits.max_ratio}:1 (a zip bomb?)", path=where)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise InputRejected(
                f"the parts add up to more than the {limits.max_total_bytes:,} bytes allowed uncompressed", path=where
            )
    _check_overlap(infos, where)
    return tuple(info.filename for info in infos)


def _check_overlap(infos: list[zipfile.ZipInfo], where: str) -> None:
    """Refuse entries whose stored data would overlap another's (two names for one piece of data)."""
    spans = sorted(
        (
            info.header_offset,
            info.header_offset + 30 + len(info.orig_filename.encode("utf-8", "replace")) + info.compress_size,
            info.orig_filename,
        )
        for info in infos
    )
    for (start, end, name), (next_start, _next_end, next_name) in itertools.pairwise(spans):
        if next_start < end or next_start == start:
            raise InputRejected(f"zip entries {name!r} and {next_name!r} overlap", path=where)


def _check_name(name: str, where: str) -> None:
    """Refuse entry names that could escape a folder or confuse a reader."""
    if "\x00" in name or "\\" in name:
        raise InputRejected(f"unsafe zip entry name {name!r} (NUL or backslash)", path=where)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise InputRejected(f"unsafe zip entry name {name!r} (absolute path)", path=where)
    if ".." in name.split("/"):
        raise InputRejected(f"unsafe zip entry name {name!r} ('..' segment)", path=where)


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: PackageLimits = LIMITS) -> bytes:
    """Decompress one entry, never more than its declared size nor the per-part limit."""
    bound = min(info.file_size, limits.max_part_bytes)
    chunks: list[bytes] = []
    got = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(min(1 << 20, bound + 1 - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
                if got > bound:
                    raise InputRejected(f"the part {info.filename!r} is larger than declared", path=str(path))
    except _DECOMPRESS_ERRORS as exc:
        raise InputRejected(f"cannot decompress the part {info.filename!r}: {exc}", path=str(path)) from exc
    return b"".join(chunks)


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a part name: relative to the source part's folder, or absolute from the root."""
    target = target.split("#", 1)[0]
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(joined).lstrip("/") if joined else ""


def _main_document(package: DocxPackage, where: str) -> str:
    """The main document part, found through _rels/.rels and [Content_Types].xml."""
    if not package.has("[Content_Types].xml"):
        raise InputRejected(f"a zip archive without [Content_Types].xml: {NOT_DOCX}", path=where)
    types = package.part("[Content_Types].xml")
    assert types is not None
    overrides = {
        (el.get("PartName") or "").lstrip("/"): el.get("ContentType") or "" for el in types.iter(f"{{{CT_NS}}}Override")
    }
    candidates = [
        rel.target for rel in package.relationships("") if rel.rel_type in OFFICE_DOCUMENT_TYPES and not rel.external
    ]
    for name in candidates:
        kind = overrides.get(name, "")
        for marker, label in OTHER_OFFICE_KINDS.items():
            if marker in kind:
                raise InputRejected(f"{label}: {NOT_DOCX}", path=where)
        if package.has(name) and (not kind or kind in WORD_MAIN_CONTENT_TYPES):
            return name
    for name, kind in sorted(overrides.items()):
        if kind in WORD_MAIN_CONTENT_TYPES and package.has(name):
            return name
    if any(marker in kind for kind in overrides.values() for marker in OTHER_OFFICE_KINDS):
        label = next(
            label for kind in overrides.values() for marker, label in OTHER_OFFICE_KINDS.items() if marker in kind
        )
        raise InputRejected(f"{label}: {NOT_DOCX}", path=where)
    raise InputRejected(f"no main Word document in the package: {NOT_DOCX}", path=where)
