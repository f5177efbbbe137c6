"""Regenerate ``wtpf_cli/templates/reference.docx``, the wtpf house Word template.

Run from anywhere::

    python wtpf_cli/templates/make_reference.py [OUTPUT.docx]

Every part is written here with lxml (no python-docx sample content, no rsids, no
customXml, no thumbnail, no theme), then python-docx opens the result as a check.
The zip is rewritten with fixed timestamps and a fixed entry order, so two runs give
byte-identical files. See ``wtpf_cli/templates/README.md`` for the contract with the writer.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WML_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

NS_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

FONT = "Times New Roman"
MONO = "Courier New"
FIXED_DATE = "2013-01-01T00:00:00Z"  # fixed core-property date (the writer replaces core.xml)
HEADER_TEXT = "WTPF-IEG/1/X \u2014 Version"

# A4 portrait, 2 cm margins (1 cm = 567 twips).
PAGE_W, PAGE_H = 11906, 16838
MARGIN = 1134
TEXT_W = PAGE_W - 2 * MARGIN  # 9638 twips

# Relationship ids of word/_rels/document.xml.rels (the writer should add its own from rId100 up).
RID_STYLES = "rId1"
RID_NUMBERING = "rId2"
RID_SETTINGS = "rId3"
RID_FONTS = "rId4"
RID_FOOTNOTES = "rId5"
RID_HEADER = "rId6"
RID_FOOTER = "rId7"
RID_FIRST_HEADER = "rId8"  # the cover page's header and footer: empty (titlePg, ECMA-376 17.10.6)
RID_FIRST_FOOTER = "rId9"


def xml(text: str) -> bytes:
    """Parse an XML fragment (checks well-formedness) and serialise it as a standalone part."""
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(text.encode("utf-8"), parser)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rfonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:eastAsia="{name}" w:hAnsi="{name}" w:cs="{name}"/>'


# --------------------------------------------------------------------------- package plumbing


def content_types() -> bytes:
    overrides = [
        ("/word/document.xml", f"{WML_CT}.document.main+xml"),
        ("/word/styles.xml", f"{WML_CT}.styles+xml"),
        ("/word/numbering.xml", f"{WML_CT}.numbering+xml"),
        ("/word/settings.xml", f"{WML_CT}.settings+xml"),
        ("/word/fontTable.xml", f"{WML_CT}.fontTable+xml"),
        ("/word/footnotes.xml", f"{WML_CT}.footnotes+xml"),
        ("/word/header1.xml", f"{WML_CT}.header+xml"),
        ("/word/footer1.xml", f"{WML_CT}.footer+xml"),
        ("/word/header2.xml", f"{WML_CT}.header+xml"),
        ("/word/footer2.xml", f"{WML_CT}.footer+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    ]
    body = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return xml(
        f'<Types xmlns="{CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{body}</Types>"
    )


def rels(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in items)
    return xml(f'<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>')


def package_rels() -> bytes:
    return rels(
        [
            ("rId1", f"{REL}/officeDocument", "word/document.xml"),
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                "docProps/core.xml",
            ),
            ("rId3", f"{REL}/extended-properties", "docProps/app.xml"),
        ]
    )


def document_rels() -> bytes:
    return rels(
        [
            (RID_STYLES, f"{REL}/styles", "styles.xml"),
            (RID_NUMBERING, f"{REL}/numbering", "numbering.xml"),
            (RID_SETTINGS, f"{REL}/settings", "settings.xml"),
            (RID_FONTS, f"{REL}/fontTable", "fontTable.xml"),
            (RID_FOOTNOTES, f"{REL}/footnotes", "footnotes.xml"),
            (RID_HEADER, f"{REL}/header", "header1.xml"),
            (RID_FOOTER, f"{REL}/footer", "footer1.xml"),
            (RID_FIRST_HEADER, f"{REL}/header", "header2.xml"),
            (RID_FIRST_FOOTER, f"{REL}/footer", "footer2.xml"),
        ]
    )


def core_props() -> bytes:
    return xml(
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>WTPF report</dc:title>"
        "<dc:creator>wtpf</dc:creator>"
        "<cp:lastModifiedBy>wtpf</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_props() -> bytes:
    return xml(
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>wtpf</Application><DocSecurity>0</DocSecurity></Properties>"
    )


# --------------------------------------------------------------------------- main document parts


def sect_pr() -> str:
    # The cover is a different first page (titlePg, ECMA-376 17.10.6) with an empty header and footer of its own:
    # the running header and the page number start on page 2, as on the Union's documents.
    return (
        "<w:sectPr>"
        f'<w:headerReference w:type="default" r:id="{RID_HEADER}"/>'
        f'<w:footerReference w:type="default" r:id="{RID_FOOTER}"/>'
        f'<w:headerReference w:type="first" r:id="{RID_FIRST_HEADER}"/>'
        f'<w:footerReference w:type="first" r:id="{RID_FIRST_FOOTER}"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
        'w:header="567" w:footer="567" w:gutter="0"/>'
        '<w:cols w:space="708"/>'
        "<w:titlePg/>"
        '<w:docGrid w:linePitch="360"/>'
        "</w:sectPr>"
    )


def document() -> bytes:
    return xml(
        f"<w:document {NS_DECL}><w:body>"
        '<w:p><w:pPr><w:pStyle w:val="BodyText"/></w:pPr></w:p>'
        f"{sect_pr()}</w:body></w:document>"
    )


def header() -> bytes:
    return xml(
        f"<w:hdr {NS_DECL}>"
        '<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="right"/></w:pPr>'
        f"<w:r><w:t>{HEADER_TEXT}</w:t></w:r></w:p>"
        "</w:hdr>"
    )


def footer() -> bytes:
    return xml(
        f"<w:ftr {NS_DECL}>"
        '<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "</w:p></w:ftr>"
    )


def first_page(tag: str, style: str) -> bytes:
    """The cover page's header (w:hdr) or footer (w:ftr): one empty paragraph."""
    return xml(f'<w:{tag} {NS_DECL}><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p></w:{tag}>')


def footnotes() -> bytes:
    spacing = '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    return xml(
        f"<w:footnotes {NS_DECL}>"
        f'<w:footnote w:type="separator" w:id="-1"><w:p>{spacing}<w:r><w:separator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p>{spacing}'
        "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
        "</w:footnotes>"
    )


def settings() -> bytes:
    compat = "".join(
        f'<w:compatSetting w:name="{n}" w:uri="http://schemas.microsoft.com/office/word" w:val="{v}"/>'
        for n, v in [
            ("compatibilityMode", "15"),
            ("overrideTableStyleFontSizeAndJustification", "1"),
            ("enableOpenTypeFeatures", "1"),
            ("doNotFlipMirrorIndents", "1"),
            ("differentiateMultirowTableHeaders", "1"),
        ]
    )
    return xml(
        f"<w:settings {NS_DECL}>"
        '<w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        f"<w:compat>{compat}</w:compat>"
        '<w:decimalSymbol w:val="."/>'
        '<w:listSeparator w:val=","/>'
        "</w:settings>"
    )


def font_table() -> bytes:
    return xml(
        f"<w:fonts {NS_DECL}>"
        f'<w:font w:name="{FONT}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
        '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
        f'<w:font w:name="{MONO}"><w:panose1 w:val="02070309020205020404"/><w:charset w:val="00"/>'
        '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        "</w:fonts>"
    )


# --------------------------------------------------------------------------- numbering

# bullet, en dash, small black square: all three are in Times New Roman and Liberation Serif
BULLETS = ["\u2022", "\u2013", "\u25aa"]
ORDERED_FORMATS = ["decimal", "lowerLetter", "lowerRoman"]


def _lvl(ilvl: int, fmt: str, text: str, font: str | None) -> str:
    left = 360 * (ilvl + 1)
    rpr = f"<w:rPr>{rfonts(font)}</w:rPr>" if font else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}">'
        '<w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>'
        '<w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr>'
        f"{rpr}</w:lvl>"
    )


def numbering() -> bytes:
    bullet_lvls = "".join(_lvl(i, "bullet", BULLETS[i % 3], FONT) for i in range(9))
    ordered_lvls = "".join(_lvl(i, ORDERED_FORMATS[i % 3], f"%{i + 1}.", None) for i in range(9))
    return xml(
        f"<w:numbering {NS_DECL}>"
        '<w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="hybridMultilevel"/>'
        f"{bullet_lvls}</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="20"><w:multiLevelType w:val="hybridMultilevel"/>'
        f"{ordered_lvls}</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>'
        "</w:numbering>"
    )


# --------------------------------------------------------------------------- styles


def _style(
    kind: str,
    sid: str,
    name: str,
    *,
    based: str | None = None,
    nxt: str | None = None,
    ppr: str = "",
    rpr: str = "",
    extra: str = "",
    ui: int | None = None,
    qformat: bool = False,
    default: bool = False,
    semi_hidden: bool = False,
) -> str:
    attrs = f'w:type="{kind}"' + (' w:default="1"' if default else "") + f' w:styleId="{sid}"'
    parts = [f'<w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{based}"/>')
    if nxt:
        parts.append(f'<w:next w:val="{nxt}"/>')
    if ui is not None:
        parts.append(f'<w:uiPriority w:val="{ui}"/>')
    if semi_hidden:
        parts.append("<w:semiHidden/><w:unhideWhenUsed/>")
    if qformat:
        parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append(extra)
    return f"<w:style {attrs}>{''.join(parts)}</w:style>"


def _sz(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


BOLD = "<w:b/><w:bCs/>"
ITALIC = "<w:i/><w:iCs/>"
HF_TABS = f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_W // 2}"/><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'


def styles() -> bytes:
    s: list[str] = []
    p = "paragraph"
    # --- paragraph styles
    s.append(_style(p, "Normal", "Normal", default=True, qformat=True, ppr="<w:widowControl/>"))
    s.append(
        _style(
            p,
            "BodyText",
            "Body Text",
            based="Normal",
            qformat=True,
            ppr='<w:spacing w:after="120"/><w:jc w:val="left"/>',
        )
    )
    s.append(
        _style(
            p,
            "Title",
            "Title",
            based="Normal",
            nxt="Subtitle",
            ui=10,
            qformat=True,
            ppr='<w:keepNext/><w:spacing w:before="480" w:after="240"/><w:jc w:val="center"/>',
            rpr=BOLD + _sz(32),
        )
    )
    s.append(
        _style(
            p,
            "Subtitle",
            "Subtitle",
            based="Normal",
            nxt="BodyText",
            ui=11,
            qformat=True,
            ppr='<w:keepNext/><w:spacing w:after="240"/><w:jc w:val="center"/>',
            rpr=_sz(28),
        )
    )
    s.append(
        _style(
            p,
            "CoverSymbol",
            "Cover Symbol",
            based="Normal",
            nxt="CoverMeta",
            qformat=True,
            ppr='<w:jc w:val="right"/>',
            rpr=BOLD,
        )
    )
    s.append(
        _style(
            p,
            "CoverMeta",
            "Cover Meta",
            based="Normal",
            nxt="CoverMeta",
            qformat=True,
            ppr='<w:jc w:val="right"/>',
        )
    )
    heading_fmt = [  # (before, after, size in half-points, extra run props)
        (360, 120, 30, ""),
        (240, 120, 28, ""),
        (240, 120, 26, ""),
        (240, 60, 24, ITALIC),
    ]
    for lvl, (before, after, size, extra_r) in enumerate(heading_fmt):
        s.append(
            _style(
                p,
                f"Heading{lvl + 1}",
                f"heading {lvl + 1}",
                based="Normal",
                nxt="BodyText",
                ui=9,
                qformat=True,
                ppr=(
                    f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/>'
                    f'<w:outlineLvl w:val="{lvl}"/>'
                ),
                rpr=BOLD + extra_r + _sz(size),
            )
        )
    s.append(
        _style(
            p,
            "ListParagraph",
            "List Paragraph",
            based="Normal",
            ui=34,
            qformat=True,
            ppr='<w:spacing w:after="60"/>',
        )
    )
    s.append(
        _style(
            p,
            "TableText",
            "Table Text",
            based="Normal",
            qformat=True,
            ppr='<w:spacing w:before="40" w:after="40"/>',
            rpr=_sz(22),
        )
    )
    s.append(_style(p, "TableHeading", "Table Heading", based="TableText", qformat=True, ppr="<w:keepNext/>", rpr=BOLD))
    s.append(
        _style(
            p,
            "FootnoteText",
            "footnote text",
            based="Normal",
            ui=99,
            semi_hidden=True,
            ppr='<w:spacing w:after="40"/>',
            rpr=_sz(20),
        )
    )
    s.append(
        _style(
            p,
            "BlockQuote",
            "Block Quote",
            based="BodyText",
            nxt="BodyText",
            qformat=True,
            ppr='<w:spacing w:after="120"/><w:ind w:left="720" w:right="720"/>',
        )
    )
    s.append(
        _style(
            p,
            "SourceCode",
            "Source Code",
            based="Normal",
            qformat=True,
            # space above and below a code block, none between its lines (contextualSpacing)
            ppr='<w:spacing w:before="120" w:after="120"/><w:contextualSpacing/>',
            rpr=rfonts(MONO) + _sz(20),
        )
    )
    # the first page of a redline: what it compares and each source's changes (outside the tracked changes)
    s.append(
        _style(
            p,
            "RevisionSummaryTitle",
            "Revision Summary Title",
            based="Normal",
            nxt="RevisionSummary",
            qformat=True,
            ppr='<w:keepNext/><w:spacing w:before="240" w:after="240"/>',
            rpr=BOLD + _sz(28),
        )
    )
    s.append(
        _style(
            p,
            "RevisionSummary",
            "Revision Summary",
            based="Normal",
            qformat=True,
            ppr='<w:spacing w:after="120"/>',
            rpr=_sz(20),
        )
    )
    s.append(
        _style(
            p,
            "RevisionSummaryTable",
            "Revision Summary Table",
            based="RevisionSummary",
            qformat=True,
            ppr='<w:spacing w:before="20" w:after="20"/>',
        )
    )
    s.append(_style(p, "Header", "header", based="Normal", ui=99, semi_hidden=True, ppr=HF_TABS, rpr=_sz(20)))
    s.append(_style(p, "Footer", "footer", based="Normal", ui=99, semi_hidden=True, ppr=HF_TABS, rpr=_sz(20)))
    s.append(_style(p, "CommentText", "annotation text", based="Normal", ui=99, semi_hidden=True, rpr=_sz(20)))
    # --- character styles
    c = "character"
    s.append(_style(c, "DefaultParagraphFont", "Default Paragraph Font", default=True, ui=1, semi_hidden=True))
    s.append(
        _style(
            c,
            "FootnoteReference",
            "footnote reference",
            based="DefaultParagraphFont",
            ui=99,
            semi_hidden=True,
            rpr='<w:vertAlign w:val="superscript"/>',
        )
    )
    s.append(
        _style(
            c,
            "Hyperlink",
            "Hyperlink",
            based="DefaultParagraphFont",
            ui=99,
            semi_hidden=True,
            rpr='<w:color w:val="0000FF"/><w:u w:val="single"/>',
        )
    )
    s.append(
        _style(
            c,
            "VerbatimChar",
            "Verbatim Char",
            based="DefaultParagraphFont",
            qformat=True,
            rpr=rfonts(MONO) + _sz(22),
        )
    )
    s.append(
        _style(
            c,
            "CommentReference",
            "annotation reference",
            based="DefaultParagraphFont",
            ui=99,
            semi_hidden=True,
            rpr=_sz(16),
        )
    )
    # --- table styles
    cell_mar = (
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
    )
    s.append(
        _style(
            "table",
            "TableNormal",
            "Normal Table",
            default=True,
            ui=99,
            semi_hidden=True,
            extra=f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{cell_mar}</w:tblPr>',
        )
    )
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    wtpf_cell_mar = (
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
    )
    s.append(
        _style(
            "table",
            "WtpfTable",
            "WTPF Table",
            based="TableNormal",
            ui=59,
            extra=(
                f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
                f"{wtpf_cell_mar}</w:tblPr>"
            ),
        )
    )
    # --- numbering style
    s.append(_style("numbering", "NoList", "No List", default=True, ui=99, semi_hidden=True))

    doc_defaults = (
        "<w:docDefaults>"
        f"<w:rPrDefault><w:rPr>{rfonts(FONT)}{_sz(24)}"
        '<w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )
    return xml(f"<w:styles {NS_DECL}>{doc_defaults}{''.join(s)}</w:styles>")


# --------------------------------------------------------------------------- zip


def parts() -> list[tuple[str, bytes]]:
    """All parts, in the order they are written to the zip."""
    return [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels()),
        ("docProps/core.xml", core_props()),
        ("docProps/app.xml", app_props()),
        ("word/document.xml", document()),
        ("word/_rels/document.xml.rels", document_rels()),
        ("word/styles.xml", styles()),
        ("word/numbering.xml", numbering()),
        ("word/settings.xml", settings()),
        ("word/fontTable.xml", font_table()),
        ("word/footnotes.xml", footnotes()),
        ("word/header1.xml", header()),
        ("word/footer1.xml", footer()),
        ("word/header2.xml", first_page("hdr", "Header")),
        ("word/footer2.xml", first_page("ftr", "Footer")),
    ]


def build() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


def check(data: bytes) -> None:
    """Open the package with python-docx and make sure every contracted style is there."""
    import docx

    d = docx.Document(io.BytesIO(data))
    have = {st.style_id for st in d.styles}
    want = {
        "Normal",
        "BodyText",
        "Title",
        "Subtitle",
        "CoverSymbol",
        "CoverMeta",
        "Heading1",
        "Heading2",
        "Heading3",
        "Heading4",
        "ListParagraph",
        "TableText",
        "TableHeading",
        "FootnoteText",
        "BlockQuote",
        "SourceCode",
        "Header",
        "Footer",
        "CommentText",
        "RevisionSummaryTitle",
        "RevisionSummary",
        "RevisionSummaryTable",
        "FootnoteReference",
        "Hyperlink",
        "VerbatimChar",
        "CommentReference",
        "WtpfTable",
    }
    missing = want - have
    if missing:
        raise SystemExit(f"make_reference: missing styles {sorted(missing)}")
    if [p.style.style_id if p.style is not None else None for p in d.paragraphs] != ["BodyText"]:
        raise SystemExit("make_reference: body must hold one empty BodyText paragraph")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().with_name("reference.docx")
    data = build()
    check(data)
    out.write_bytes(data)
    print(f"wrote {out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
