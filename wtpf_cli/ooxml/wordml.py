"""WordprocessingML names: the namespaces (for tag tests in Clark notation, {uri}) and the tags that more than one
module of the reader looks for (ECMA-376 Part 1, §17)."""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"

# Formatting changes (§17.13.5): text unaffected, each read as a change of kind "format".
FORMAT_CHANGES = (
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tblPrExChange",
    "tcPrChange",
    "trPrChange",
    "tblGridChange",
    "numberingChange",
)
REVISION_TAGS = {f"{W}{tag}" for tag in ("ins", "del", "moveFrom", "moveTo", *FORMAT_CHANGES)}

VAL, RPR, PPR, PSTYLE, PPR_CHANGE = f"{W}val", f"{W}rPr", f"{W}pPr", f"{W}pStyle", f"{W}pPrChange"
RPR_CHANGE, NUMPR, SECTPR = f"{W}rPrChange", f"{W}numPr", f"{W}sectPr"
