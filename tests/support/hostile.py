"""A catalogue of hostile and broken .docx files, generated (never committed as binaries).

Each ``make_*`` function writes one file (or directory / FIFO) into ``folder`` and returns its path. They all start
from :func:`minimal_docx_parts`, a small valid Word document with one tracked insertion, and change one thing.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
OFFICE_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENT = "word/document.xml"


def content_types(main_type: str = DOCX_MAIN, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>{extra}</Types>'
    )


ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE_DOC_REL}" Target="word/document.xml"/></Relationships>'
)


def document_xml(body: str | None = None, *, prolog: str = "", author: str = "Brazil") -> str:
    """A main document part: one paragraph with a tracked insertion by ``author`` (or the given body XML)."""
    if body is None:
        body = (
            '<w:p><w:r><w:t xml:space="preserve">The Forum </w:t></w:r>'
            f'<w:ins w:id="1" w:author="{author}" w:date="2012-05-01T10:00:00Z">'
            '<w:r><w:t>welcomes</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> the report.</w:t></w:r></w:p>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'{prolog}<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    )


def minimal_docx_parts() -> dict[str, bytes]:
    """The parts of a minimal valid .docx (content types, package relationships, main document)."""
    return {
        "[Content_Types].xml": content_types().encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        DOCUMENT: document_xml().encode(),
    }


def zip_bytes(parts: list[tuple[str, bytes]] | dict[str, bytes], *, level: int = 6) -> bytes:
    """A zip of the given entries, in order (duplicates allowed), deflated."""
    items = list(parts.items()) if isinstance(parts, dict) else parts
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names, which some cases want
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
            for name, data in items:
                info = zipfile.ZipInfo(name, date_time=(2012, 5, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
    return buffer.getvalue()


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _docx(folder: Path, name: str, **changes: bytes) -> Path:
    """The minimal .docx with some parts replaced or added (keyword = part name with '/' as '__')."""
    parts = minimal_docx_parts()
    for key, value in changes.items():
        parts[key.replace("__", "/")] = value
    return _write(folder, name, zip_bytes(parts))


def _with_document(folder: Path, name: str, xml: str | bytes) -> Path:
    parts = minimal_docx_parts()
    parts[DOCUMENT] = xml.encode() if isinstance(xml, str) else xml
    return _write(folder, name, zip_bytes(parts))


# --- valid control -----------------------------------------------------------------------------------------------


def make_valid(folder: Path) -> Path:
    """A minimal valid .docx with one tracked insertion (the control: must be accepted)."""
    return _write(folder, "valid.docx", zip_bytes(minimal_docx_parts()))


# --- XML: DTDs and entities --------------------------------------------------------------------------------------


def make_xxe_file(folder: Path) -> Path:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    body = "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>"
    return _with_document(folder, "xxe-file.docx", document_xml(body, prolog=prolog))


def make_xxe_http(folder: Path) -> Path:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>'
    body = "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>"
    return _with_document(folder, "xxe-http.docx", document_xml(body, prolog=prolog))


def make_billion_laughs(folder: Path) -> Path:
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    prolog = f"<!DOCTYPE w:document [{''.join(entities)}]>"
    body = "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    return _with_document(folder, "billion-laughs.docx", document_xml(body, prolog=prolog))


def make_internal_entity(folder: Path) -> Path:
    prolog = '<!DOCTYPE w:document [<!ENTITY name "Brazil">]>'
    body = "<w:p><w:r><w:t>&name;</w:t></w:r></w:p>"
    return _with_document(folder, "internal-entity.docx", document_xml(body, prolog=prolog))


def make_external_dtd(folder: Path) -> Path:
    prolog = '<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/word.dtd">'
    return _with_document(folder, "external-dtd.docx", document_xml(prolog=prolog))


def make_dtd_in_content_types(folder: Path) -> Path:
    """The DTD is in [Content_Types].xml, the first part any reader parses."""
    xml = content_types().replace("<Types ", '<!DOCTYPE Types [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Types ', 1)
    return _docx(folder, "dtd-content-types.docx", **{"[Content_Types].xml": xml.encode()})


# --- zip structure -----------------------------------------------------------------------------------------------


def make_zip_bomb_ratio(folder: Path) -> Path:
    """A 10 MB part of zeros that deflates about 1000:1 (under the per-part size limit, over the ratio limit)."""
    parts = minimal_docx_parts()
    parts["word/media/image1.bin"] = bytes(10 * 1024 * 1024)
    return _write(folder, "zip-bomb-ratio.docx", zip_bytes(parts, level=9))


def make_zip_bomb_size(folder: Path) -> Path:
    """A part whose declared size is 60 MB, compressed and uncompressed (ratio 1:1, so only the size rule catches it).

    Written as a small entry whose local and central sizes are then rewritten, so no 60 MB is ever made.
    """
    parts = minimal_docx_parts()
    names = ["word/media/big.bin"]
    for name in names:
        parts[name] = b"x" * 16
    blob = bytearray(zip_bytes(parts))
    big = 60 * 1024 * 1024
    for name in names:
        _patch_sizes(blob, name.encode(), compressed=big, uncompressed=big)
    return _write(folder, "zip-bomb-size.docx", bytes(blob))


def make_zip_bomb_total(folder: Path) -> Path:
    """Five parts of 45 MB each as declared (each under the part limit, together over the 200 MB total)."""
    parts = minimal_docx_parts()
    names = [f"word/media/big{i}.bin" for i in range(5)]
    for name in names:
        parts[name] = b"x" * 16
    blob = bytearray(zip_bytes(parts))
    big = 45 * 1024 * 1024
    for name in names:
        _patch_sizes(blob, name.encode(), compressed=big, uncompressed=big)
    return _write(folder, "zip-bomb-total.docx", bytes(blob))


def make_understated_size(folder: Path) -> Path:
    """The main document says it is 100 bytes but inflates to 5 MB (the reader must stop at the declared size)."""
    parts = minimal_docx_parts()
    parts[DOCUMENT] = document_xml().replace("<w:body>", "<w:body>" + " " * (5 * 1024 * 1024)).encode()
    blob = bytearray(zip_bytes(parts, level=9))
    _patch_sizes(blob, DOCUMENT.encode(), compressed=None, uncompressed=100)
    return _write(folder, "understated-size.docx", bytes(blob))


def make_many_entries(folder: Path) -> Path:
    parts = list(minimal_docx_parts().items())
    parts += [(f"customXml/item{i}.xml", b"") for i in range(20_000)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts:
            archive.writestr(name, data)
    return _write(folder, "20000-entries.docx", buffer.getvalue())


def make_duplicate_entries(folder: Path) -> Path:
    parts = list(minimal_docx_parts().items())
    parts.append((DOCUMENT, document_xml(author="Impostor").encode()))
    return _write(folder, "duplicate-entries.docx", zip_bytes(parts))


def make_duplicate_case(folder: Path) -> Path:
    parts = list(minimal_docx_parts().items())
    parts.append(("WORD/Document.xml", document_xml(author="Impostor").encode()))
    return _write(folder, "duplicate-case.docx", zip_bytes(parts))


def _with_entry_name(folder: Path, file_name: str, placeholder: str, real: bytes) -> Path:
    """Add an entry called ``placeholder`` then rewrite its name bytes (local and central) to ``real``."""
    assert len(placeholder.encode()) == len(real)
    parts = minimal_docx_parts()
    parts[placeholder] = b"<x/>"
    blob = zip_bytes(parts).replace(placeholder.encode(), real)
    return _write(folder, file_name, blob)


def make_traversal_dotdot(folder: Path) -> Path:
    parts = minimal_docx_parts()
    parts["../x"] = b"<x/>"  # zipfile keeps the name as given
    return _write(folder, "traversal-dotdot.docx", zip_bytes(parts))


def make_traversal_absolute(folder: Path) -> Path:
    return _with_entry_name(folder, "traversal-absolute.docx", "AAAAAetc/cron.d/x", b"/tmp/etc/cron.d/x")


def make_traversal_backslash(folder: Path) -> Path:
    return _with_entry_name(folder, "traversal-backslash.docx", "XXXXXXevil.xml", b"..\\..\\evil.xml")


def make_traversal_nul(folder: Path) -> Path:
    return _with_entry_name(folder, "traversal-nul.docx", "word/evilQ.xml.png", b"word/evil\x00.xml.png")


def make_overlapping_entries(folder: Path) -> Path:
    """Two central-directory records (different names) pointing at the same local header and data."""
    parts = minimal_docx_parts()
    parts["word/media/copy.bin"] = b"<x/>"
    blob = bytearray(zip_bytes(parts))
    offsets = _central_records(blob)
    target_offset = offsets[DOCUMENT.encode()][1]
    record = offsets[b"word/media/copy.bin"][0]
    struct.pack_into("<L", blob, record + 42, target_offset)
    return _write(folder, "overlapping-entries.docx", bytes(blob))


def make_truncated(folder: Path) -> Path:
    blob = zip_bytes(minimal_docx_parts())
    return _write(folder, "truncated.docx", blob[: len(blob) // 2])


def make_bad_crc(folder: Path) -> Path:
    blob = bytearray(zip_bytes(minimal_docx_parts()))
    record, local = _central_records(blob)[DOCUMENT.encode()]
    (crc,) = struct.unpack_from("<L", blob, record + 16)
    struct.pack_into("<L", blob, record + 16, crc ^ 0xFFFFFFFF)
    struct.pack_into("<L", blob, local + 14, crc ^ 0xFFFFFFFF)
    return _write(folder, "bad-crc.docx", bytes(blob))


def make_encrypted_entry(folder: Path) -> Path:
    """A zip entry with the 'encrypted' flag bit set (traditional PKWARE encryption)."""
    blob = bytearray(zip_bytes(minimal_docx_parts()))
    record, local = _central_records(blob)[DOCUMENT.encode()]
    blob[record + 8] |= 0x01
    blob[local + 6] |= 0x01
    return _write(folder, "zip-encrypted-entry.docx", bytes(blob))


# --- not a .docx at all ------------------------------------------------------------------------------------------


def make_ole_encrypted(folder: Path) -> Path:
    """What Word writes for a password-protected .docx: an OLE compound file (EncryptedPackage inside)."""
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHHH", 0x3E, 0x03, 0xFFFE, 0x09) + bytes(512 - 32)
    return _write(folder, "encrypted.docx", header + b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" + bytes(4096))


def make_legacy_doc(folder: Path) -> Path:
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHHH", 0x3E, 0x03, 0xFFFE, 0x09) + bytes(512 - 32)
    return _write(folder, "legacy.docx", header + b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00" + bytes(4096))


def make_empty(folder: Path) -> Path:
    return _write(folder, "empty.docx", b"")


def make_plain_text(folder: Path) -> Path:
    return _write(folder, "plain-text.docx", b"Dear Secretariat,\n\nBrazil proposes to add a paragraph.\n")


def make_pdf(folder: Path) -> Path:
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return _write(folder, "document.pdf.docx", pdf)


def make_missing_content_types(folder: Path) -> Path:
    parts = minimal_docx_parts()
    del parts["[Content_Types].xml"]
    return _write(folder, "no-content-types.docx", zip_bytes(parts))


def make_missing_document(folder: Path) -> Path:
    parts = minimal_docx_parts()
    del parts[DOCUMENT]
    return _write(folder, "no-document-part.docx", zip_bytes(parts))


def make_malformed_xml(folder: Path) -> Path:
    return _with_document(folder, "malformed-xml.docx", document_xml().replace("</w:body>", "<w:p></w:body>"))


def make_invalid_utf8(folder: Path) -> Path:
    xml = document_xml().encode().replace(b"welcomes", b"welc\xff\xfeomes\xc3")
    return _with_document(folder, "invalid-utf8.docx", xml)


def make_deep_nesting(folder: Path) -> Path:
    body = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "<w:sdt>" * 5000 + "</w:sdt>" * 5000
    return _with_document(folder, "nesting-5000.docx", document_xml(body))


def make_control_chars_raw(folder: Path) -> Path:
    """Raw C0 control characters (ESC, BEL) in a revision author and text: not allowed in XML 1.0."""
    xml = document_xml(author="Bra\x1b[2Jzil\x07").replace("welcomes", "wel\x1b[31mcomes\x08")
    return _with_document(folder, "control-chars-raw.docx", xml)


def make_control_chars_escaped(folder: Path) -> Path:
    """Control characters that XML allows: C1 CSI (U+009B), bidi override (U+202E), in author and inserted text."""
    xml = document_xml(author="Bra\u009b2Jzil\u202eevil").replace("welcomes", "wel\u009b31mcomes\u202e")
    return _with_document(folder, "control-chars-c1.docx", xml)


def make_long_author(folder: Path) -> Path:
    return _with_document(folder, "author-10kb.docx", document_xml(author="A" * 10_240))


def make_macro_enabled(folder: Path) -> Path:
    """A .docm package named .docx: macro-enabled main content type and a vbaProject.bin part."""
    parts = minimal_docx_parts()
    extra = '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    parts["[Content_Types].xml"] = content_types(DOCM_MAIN, extra).encode()
    parts["word/_rels/document.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId9" Type="{VBA_REL}" Target="vbaProject.bin"/></Relationships>'
    ).encode()
    parts["word/vbaProject.bin"] = OLE_MAGIC + b'Attribute VB_Name = "AutoOpen"\nShell "touch /tmp/pwned"\n'
    return _write(folder, "macro-enabled.docx", zip_bytes(parts))


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def make_outside_links(folder: Path, url: str = "http://127.0.0.1:9/") -> Path:
    """A .docx that would make Word fetch from outside: an attached template, a linked object, a linked picture and
    a frame by URL, a hyperlink to a UNC path, INCLUDETEXT and INCLUDEPICTURE fields (split over runs), and an
    ordinary web hyperlink (the control: not warned of)."""
    parts = minimal_docx_parts()
    rels = [
        ("rId1", "hyperlink", "https://www.itu.int/"),
        ("rId2", "hyperlink", "\\\\evil-server\\share\\x.docx"),
        ("rId3", "oleObject", f"{url}object.xlsx"),
        ("rId4", "image", f"{url}picture.png"),
        ("rId5", "frame", f"{url}frame.html"),
    ]
    parts["word/_rels/document.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}" TargetMode="External"/>'
            for rid, kind, target in rels
        )
        + "</Relationships>"
    ).encode()
    parts["word/settings.xml"] = (
        f'<w:settings xmlns:w="{W_NS}"><w:attachedTemplate r:id="rId1" xmlns:r="{REL}"/></w:settings>'.encode()
    )
    parts["word/_rels/settings.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/attachedTemplate" Target="{url}template.dotm" TargetMode="External"/>'
        "</Relationships>"
    ).encode()
    fields = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDETEXT '
        f'</w:instrText></w:r><w:r><w:instrText>"{url}text.docx"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        f'<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;{url}p.png&quot; \\d">'
        "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"
    )
    parts[DOCUMENT] = document_xml().replace("</w:body>", fields + "</w:body>").encode()
    return _write(folder, "outside-links.docx", zip_bytes(parts))


def make_directory(folder: Path) -> Path:
    path = folder / "a-folder.docx"
    path.mkdir()
    (path / "word").mkdir()
    return path


def make_fifo(folder: Path) -> Path:
    path = folder / "a-fifo.docx"
    os.mkfifo(path)
    return path


# --- zip byte surgery --------------------------------------------------------------------------------------------


def _central_records(blob: bytes | bytearray) -> dict[bytes, tuple[int, int]]:
    """Each central-directory record by name: (offset of the record, offset of its local header)."""
    eocd = bytes(blob).rfind(b"PK\x05\x06")
    (count,) = struct.unpack_from("<H", blob, eocd + 10)
    (start,) = struct.unpack_from("<L", blob, eocd + 16)
    out: dict[bytes, tuple[int, int]] = {}
    pos = start
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", blob, pos + 28)
        (local,) = struct.unpack_from("<L", blob, pos + 42)
        out[bytes(blob[pos + 46 : pos + 46 + name_len])] = (pos, local)
        pos += 46 + name_len + extra_len + comment_len
    return out


def _patch_sizes(blob: bytearray, name: bytes, *, compressed: int | None, uncompressed: int) -> None:
    record, local = _central_records(blob)[name]
    if compressed is not None:
        struct.pack_into("<L", blob, record + 20, compressed)
        struct.pack_into("<L", blob, local + 18, compressed)
    struct.pack_into("<L", blob, record + 24, uncompressed)
    struct.pack_into("<L", blob, local + 22, uncompressed)
