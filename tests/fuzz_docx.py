#!/usr/bin/env python3
"""Fuzz the untrusted-.docx reader: zip-aware mutations of real Word files, given to ``inspect_docx`` and
``text_view``. Any exception other than ``WtpfError`` (``InputRejected``) is a bug.

Seeds: the corpus in ``../shared/corpus/docx/`` (skipped when absent) and the .docx files ``wtpf demo`` writes.
Each case is a fixed function of (seed file, case seed): a zip-level mutation (truncate, flip header bytes,
duplicate / rename / drop entries, change the compression method) or an XML-level one (flip / insert / delete
bytes, duplicate / delete / move / rename elements with lxml, deep nesting, random attributes, invalid UTF-8,
entity declarations), sometimes several stacked. Plain ``random.Random`` mutation (no coverage guidance), so
every run is reproducible from ``--seed``.

    python tests/fuzz_docx.py --seconds 600 --seed 7 --out /tmp/fuzz.json
    python tests/fuzz_docx.py --replay /tmp/fuzz.json        # re-run every failure recorded
    python tests/fuzz_docx.py --replay crash.docx            # or one file
    python tests/fuzz_docx.py --case corpus/x.docx:123456    # or one case, as a failure names it
    python tests/fuzz_docx.py --atheris --seconds 600         # coverage-guided, if atheris is installed
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import random
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from wtpf_cli.errors import WtpfError  # noqa: E402
from wtpf_cli.ooxml.inspection import inspect_docx, render_inspection_json, render_inspection_text  # noqa: E402
from wtpf_cli.ooxml.views import text_view  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "docx"
SLOW_SECONDS = 5.0  # one case read more slowly than this is recorded as a failure
MAX_SEED_BYTES = 2 * 1024 * 1024  # larger seed files make each execution slow; they are left out

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W = f"{{{W_NS}}}"
# Tags the reader handles specially: renaming an element to one of these puts it where the reader does not expect it.
TAGS = (
    [
        f"{W}{t}"
        for t in (
            "p",
            "r",
            "t",
            "delText",
            "ins",
            "del",
            "moveFrom",
            "moveTo",
            "tbl",
            "tr",
            "tc",
            "sdt",
            "sdtContent",
            "sectPr",
            "sectPrChange",
            "altChunk",
            "fldChar",
            "footnoteReference",
            "endnoteReference",
            "commentRangeStart",
            "commentRangeEnd",
            "commentReference",
            "ruby",
            "rubyBase",
            "sym",
            "tab",
            "br",
            "pPr",
            "rPr",
            "rPrChange",
            "pPrChange",
            "pStyle",
            "numPr",
            "numberingChange",
            "trPr",
            "tcPr",
            "cellIns",
            "cellDel",
            "cellMerge",
            "tblPr",
            "tblGrid",
            "tblPrChange",
            "tblGridChange",
            "tblPrEx",
            "tblPrExChange",
            "hyperlink",
            "smartTag",
            "customXml",
            "fldSimple",
            "customXmlInsRangeStart",
            "drawing",
            "txbxContent",
            "footnote",
            "endnote",
            "comment",
            "style",
            "abstractNum",
            "num",
            "body",
            "document",
            "b",
            "i",
        )
    ]
    + [f"{{{M_NS}}}{t}" for t in ("oMath", "r", "t", "rPr")]
    + [
        "{http://schemas.microsoft.com/office/word/2012/wordml}commentEx",
        "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship",
        "{http://schemas.openxmlformats.org/package/2006/content-types}Override",
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
        "plain",
    ]
)
ATTRS = [
    f"{W}id",
    f"{W}author",
    f"{W}date",
    f"{W}char",
    f"{W}fldCharType",
    f"{W}val",
    f"{W}type",
    f"{W}styleId",
    f"{W}numId",
    f"{W}abstractNumId",
    "{http://schemas.microsoft.com/office/word/2010/wordml}paraId",
    "{http://schemas.microsoft.com/office/word/2012/wordml}paraIdParent",
    "{http://schemas.microsoft.com/office/word/2012/wordml}done",
    "{http://schemas.microsoft.com/office/word/2012/wordml}paraId",
    "Target",
    "TargetMode",
    "Type",
    "Id",
    "PartName",
    "ContentType",
]
VALUES = [
    "",
    "0",
    "1",
    "-1",
    "true",
    "off",
    "begin",
    "separate",
    "end",
    "separator",
    "FFFF",
    "D800",
    "110000",
    "zz",
    "0x41",
    "99999999999999999999",
    "External",
    "../../etc/passwd",
    "/word/document.xml",
    "document.xml",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "\u202ectl\u2066",
    "x" * 5000,
    "#frag",
    "word/",
    ".",
    "//",
    "%2e%2e/x",
]
ENTITY_HEADS = [
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "boom">]>',
    b'<!DOCTYPE d SYSTEM "file:///etc/passwd">',
    b'<!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]>',
    b'<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    b"<!DOCTYPE d>",
]


@dataclass
class Case:
    """One mutated input: where it came from, how to make it again, and what was done."""

    source: str
    case_seed: int
    steps: list[str] = field(default_factory=list)


@dataclass
class Failure:
    """An unexpected exception: its signature, the first case that raised it and how many did."""

    signature: str
    exception: str
    traceback: str
    source: str
    case_seed: int
    steps: list[str]
    count: int = 1


@dataclass
class Report:
    """What a run did."""

    executions: int = 0
    seconds: float = 0.0
    seed: int = 0
    seeds: int = 0
    rejected: int = 0
    accepted: int = 0
    slowest: tuple[float, str] = (0.0, "")  # seconds, and the case as SOURCE:CASE_SEED
    failures: dict[str, Failure] = field(default_factory=dict)

    def summary(self) -> str:
        rate = self.executions / self.seconds if self.seconds else 0.0
        return (
            f"fuzz: {self.executions} executions, {len(self.failures)} unique failures "
            f"({rate:.0f}/s over {self.seconds:.0f} s, seed {self.seed}, {self.seeds} seed files; "
            f"{self.rejected} rejected, {self.accepted} read; slowest {self.slowest[0]:.2f} s: {self.slowest[1]})"
        )


# -- seeds -------------------------------------------------------------------------------------------------------


def corpus_files(corpus: Path = CORPUS) -> list[Path]:
    """The corpus .docx files (none when the corpus is absent), small enough to fuzz quickly."""
    if not corpus.is_dir():
        return []
    return sorted(p for p in corpus.rglob("*.docx") if p.is_file() and p.stat().st_size <= MAX_SEED_BYTES)


def own_outputs(folder: Path) -> list[Path]:
    """The .docx files ``wtpf demo`` writes (its clean document and redline), made once into ``folder``."""
    out = folder / "demo" / "out"
    if not out.is_dir():
        try:
            subprocess.run(
                [sys.executable, "-m", "wtpf_cli", "demo", str(folder / "demo")],
                cwd=REPO,
                capture_output=True,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return []
    return sorted(out.glob("*.docx")) if out.is_dir() else []


def load_seeds(folder: Path) -> dict[str, bytes]:
    """Seed files by name: the corpus and our own outputs."""
    seeds: dict[str, bytes] = {}
    for path in corpus_files():
        seeds[f"corpus/{path.relative_to(CORPUS)}"] = path.read_bytes()
    for path in own_outputs(folder):
        seeds[f"demo/{path.name}"] = path.read_bytes()
    return seeds


# -- mutations ---------------------------------------------------------------------------------------------------

Entries = list[tuple[zipfile.ZipInfo, bytes]]


def unzip(blob: bytes) -> Entries:
    """The entries of a zip in memory (info and bytes), in order."""
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def rezip(entries: Entries, rng: random.Random) -> bytes:
    """A zip of the entries, each stored or deflated as it was (sometimes the other way)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are one of the mutations
        for info, data in entries:
            new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new.extra = info.extra
            new.compress_type = info.compress_type if info.compress_type in (0, 8) else zipfile.ZIP_DEFLATED
            if len(entries) < 2 or rng.random() < 0.05:
                new.compress_type = zipfile.ZIP_STORED if new.compress_type else zipfile.ZIP_DEFLATED
            archive.writestr(new, data)
    return buffer.getvalue()


def _bytes_mutation(data: bytes, rng: random.Random, steps: list[str], what: str) -> bytes:
    """Flip, insert or delete a few bytes (or a run of them)."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.choice(("flip", "insert", "delete", "set"))
        at = rng.randrange(len(buf) + 1) if buf else 0
        if op == "flip" and at < len(buf):
            buf[at] ^= 1 << rng.randrange(8)
        elif op == "insert":
            chunk = rng.choice((b"<", b">", b"&", b'"', b"\xff", b"\xc3", b"\x00", b"]]>", b"<w:p>", b"&#0;", b"&amp"))
            buf[at:at] = chunk
        elif op == "delete" and at < len(buf):
            del buf[at : at + rng.randint(1, 16)]
        elif op == "set" and at < len(buf):
            buf[at] = rng.randrange(256)
        steps.append(f"{what}: {op} at {at}")
    return bytes(buf)


def _elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def _xml_tree_mutation(data: bytes, rng: random.Random, steps: list[str], name: str) -> bytes:
    """Parse the part leniently and change its tree: duplicate, delete, move, rename, nest, set attributes."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return _bytes_mutation(data, rng, steps, name)
    for _ in range(rng.randint(1, 4)):
        elements = _elements(root)
        el = rng.choice(elements)
        parent = el.getparent()
        op = rng.choice(("duplicate", "delete", "move", "rename", "nest", "attr", "attr", "text", "wrap", "swap"))
        if op == "duplicate" and parent is not None:
            parent.insert(parent.index(el), copy.deepcopy(el))
        elif op == "delete" and parent is not None:
            parent.remove(el)
        elif op == "move" and parent is not None:
            target = rng.choice(elements)
            if el not in list(target.iterancestors()) and target is not el:
                parent.remove(el)
                target.insert(rng.randint(0, len(target)), el)
        elif op == "rename":
            el.tag = rng.choice(TAGS)
        elif op == "nest":
            depth = rng.choice((2, 10, 100, 255, 256, 257, 300, 2000))
            tag = rng.choice(TAGS)
            holder = el
            for _level in range(depth):
                holder = etree.SubElement(holder, tag)
            op = f"nest {depth} x {tag}"
        elif op == "attr":
            el.set(rng.choice(ATTRS), rng.choice(VALUES))
        elif op == "text":
            el.text = rng.choice(VALUES)

        elif op == "wrap" and parent is not None:
            wrapper = etree.Element(rng.choice(TAGS))
            parent.replace(el, wrapper)
            wrapper.append(el)
        elif op == "swap" and parent is not None and len(parent) > 1:
            other = parent[rng.randrange(len(parent))]
            if other is not el:
                i, j = parent.index(el), parent.index(other)
                parent.remove(el)
                parent.insert(j, el)
                parent.remove(other)
                parent.insert(i, other)
        steps.append(f"{name}: {op} <{_short(el)}>")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _short(el: etree._Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else "?"
    return tag.rsplit("}", 1)[-1]


def _xml_text_mutation(data: bytes, rng: random.Random, steps: list[str], name: str) -> bytes:
    """Textual damage to an XML part: entity declarations, invalid UTF-8, a BOM, another encoding."""
    op = rng.choice(("entity", "utf8", "bom", "encoding", "empty", "cut", "control"))
    if op == "entity":
        head = rng.choice(ENTITY_HEADS)
        body = data.split(b"?>", 1)[-1] if data.startswith(b"<?xml") else data
        data = head + body.replace(b"</w:t>", b"&e;</w:t>", 1)
    elif op == "utf8":
        at = data.find(b"<w:t", rng.randrange(max(len(data), 1)))
        at = at if at >= 0 else rng.randrange(len(data) + 1)
        data = data[:at] + rng.choice((b"\xff\xfe", b"\xc3(", b"\xed\xa0\x80", b"\xf4\x90\x80\x80")) + data[at:]
    elif op == "bom":
        data = b"\xef\xbb\xbf" + data
    elif op == "encoding":
        data = data.replace(b'encoding="UTF-8"', rng.choice((b'encoding="UTF-16"', b'encoding="bogus"')), 1)
    elif op == "empty":
        data = b""
    elif op == "control":
        data = data.replace(b"<w:t>", b"<w:t>\x1b[2J\x07", 1).replace(b'w:author="', b'w:author="\x1b]0;', 1)
    elif op == "cut":
        data = data[: rng.randrange(len(data) + 1)]
    steps.append(f"{name}: {op}")
    return data


def _zip_entries_mutation(entries: Entries, rng: random.Random, steps: list[str]) -> Entries:
    """Duplicate, rename, drop or reorder entries."""
    entries = list(entries)
    op = rng.choice(("duplicate", "rename", "drop", "reorder", "case", "add-dir", "extra"))
    i = rng.randrange(len(entries))
    info, data = entries[i]
    if op == "duplicate":
        entries.insert(rng.randrange(len(entries) + 1), (info, data))
    elif op == "rename":
        new = rng.choice(
            (
                "word/document.xml",
                "word/footnotes.xml",
                "word/comments.xml",
                "../x",
                "/abs",
                "a\\b",
                "word//d.xml",
                "word/./document.xml",
                "[content_types].xml",
                "_rels/.rels",
                "x" * 300,
                "wörd/dö.xml",
                "dir/",
            )
        )
        entries[i] = (zipfile.ZipInfo(new, date_time=info.date_time), data)
        op = f"rename {info.filename} -> {new}"
    elif op == "drop":
        del entries[i]
        op = f"drop {info.filename}"
    elif op == "reorder":
        rng.shuffle(entries)
    elif op == "case":
        entries.insert(i, (zipfile.ZipInfo(info.filename.upper(), date_time=info.date_time), data))
    elif op == "add-dir":
        entries.append((zipfile.ZipInfo("word/", date_time=info.date_time), b""))
    elif op == "extra":  # an extra field: zip64 sizes, unicode path, or noise (decoded by zipfile when listing)
        new_info = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        new_info.compress_type = info.compress_type
        tag = rng.choice((0x0001, 0x7075, 0x5455, rng.randrange(1 << 16)))
        body = bytes(rng.randrange(256) for _ in range(rng.choice((0, 4, 8, 16, 28))))
        size = len(body) + rng.choice((0, 0, 1, -1, 100))
        new_info.extra = tag.to_bytes(2, "little") + max(size, 0).to_bytes(2, "little") + body
        entries[i] = (new_info, data)
        op = f"extra {tag:#06x} of {len(body)} bytes (declared {size}) on {info.filename}"
    steps.append(f"zip: {op}")
    return entries or [(info, data)]


def _zip_bytes_mutation(blob: bytes, rng: random.Random, steps: list[str]) -> bytes:
    """Damage the zip structure itself: truncate, flip bytes in a local or central header or the end record,
    change a compression method, sizes or offsets."""
    buf = bytearray(blob)
    op = rng.choice(("truncate", "header", "header", "method", "size", "eocd", "prefix"))
    if op == "truncate":
        buf = buf[: rng.randrange(len(buf))]
        op = f"truncate to {len(buf)}"
    elif op == "prefix":
        buf[0:0] = b"PK" + bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
    else:
        signature = {
            "header": rng.choice((b"PK\x03\x04", b"PK\x01\x02")),
            "method": b"PK\x01\x02",
            "size": b"PK\x01\x02",
            "eocd": b"PK\x05\x06",
        }[op]
        starts = [i for i in range(len(buf)) if buf.startswith(signature, i)] if len(buf) < 4_000_000 else []
        if not starts:
            steps.append(f"zip bytes: {op} (no header)")
            return bytes(buf)
        at = rng.choice(starts)
        if op == "header":
            off = at + rng.randrange(46 if signature == b"PK\x01\x02" else 30)
            if off < len(buf):
                buf[off] = rng.randrange(256)
            op = f"header {signature!r} byte {off - at} at {at}"
        elif op == "method":
            method = rng.choice((0, 1, 9, 12, 14, 93, 99, 0xFFFF))
            buf[at + 10 : at + 12] = method.to_bytes(2, "little")
            op = f"central method {method} at {at}"
        elif op == "size":
            field_at = rng.choice((20, 24, 28, 30, 32, 42))
            value = rng.choice((0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, rng.randrange(1 << 32)))
            width = 2 if field_at in (28, 30, 32) else 4
            buf[at + field_at : at + field_at + width] = (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
            op = f"central field +{field_at} = {value} at {at}"
        elif op == "eocd":
            off = at + rng.randrange(22)
            if off < len(buf):
                buf[off] = rng.randrange(256)
            op = f"end record byte {off - at}"
    steps.append(f"zip bytes: {op}")
    return bytes(buf)


def mutate(blob: bytes, case: Case) -> bytes:
    """The mutated bytes of one case (deterministic in its seed)."""
    rng = random.Random(case.case_seed)
    steps = case.steps
    try:
        entries = unzip(blob)
    except Exception:  # a corpus file that is not a readable zip: mutate its bytes
        return _bytes_mutation(blob, rng, steps, "raw")
    if not entries:
        return _bytes_mutation(blob, rng, steps, "raw")
    for _round in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.random()
        xml_indexes = [i for i, (info, _data) in enumerate(entries) if info.filename.endswith((".xml", ".rels"))]
        if kind < 0.6 and xml_indexes:
            i = rng.choice(xml_indexes)
            info, data = entries[i]
            how: Callable[[bytes, random.Random, list[str], str], bytes] = rng.choice(
                (_xml_tree_mutation, _xml_tree_mutation, _xml_tree_mutation, _bytes_mutation, _xml_text_mutation)
            )
            try:
                entries[i] = (info, how(data, rng, steps, info.filename))
            except (ValueError, TypeError, etree.LxmlError) as exc:  # a mutation lxml refuses: keep the part
                steps.append(f"{info.filename}: mutation skipped ({type(exc).__name__})")
        elif kind < 0.8:
            entries = _zip_entries_mutation(entries, rng, steps)
    out = rezip(entries, rng)
    if rng.random() < 0.25:
        out = _zip_bytes_mutation(out, rng, steps)
    return out


# -- running -----------------------------------------------------------------------------------------------------


def target(path: Path) -> str:
    """What the CLI does with an untrusted file: inspect, both views, both renderings. Returns 'read'."""
    inspection = inspect_docx(path)
    text_view(inspection, "accept")
    text_view(inspection, "reject")
    text_view(inspection, "accept", note_marks=True)
    for view in ("all", "accept", "reject"):
        json.dumps(render_inspection_json(inspection, view))  # type: ignore[arg-type]
        render_inspection_text(inspection, view)  # type: ignore[arg-type]
    return "read"


def signature(exc: BaseException) -> str:
    """Type and innermost wtpf_cli frame: failures with the same signature are one bug."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "wtpf_cli" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__} at {where}"


def run_one(data: bytes, path: Path) -> tuple[str, BaseException | None]:
    """Write the bytes and read them: ('read'|'rejected'|'failed', the unexpected exception)."""
    path.write_bytes(data)
    try:
        return target(path), None
    except WtpfError as exc:
        line = exc.one_line()
        if "\n" in line or str(path) not in line:
            return "failed", AssertionError(f"refusal is not one line naming the file: {line!r}")
        return "rejected", None
    except RecursionError as exc:
        return "failed", exc
    except Exception as exc:
        return "failed", exc


def fuzz(
    seconds: float,
    seed: int,
    *,
    seeds: dict[str, bytes] | None = None,
    workdir: Path | None = None,
    max_executions: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Mutate and read for ``seconds``; every case is replayable from (source, case seed)."""
    with tempfile.TemporaryDirectory(prefix="wtpf-fuzz-") as tmp:
        folder = workdir or Path(tmp)
        seeds = seeds if seeds is not None else load_seeds(folder)
        report = Report(seed=seed, seeds=len(seeds))
        if not seeds:
            return report
        names = sorted(seeds)
        master = random.Random(seed)
        path = Path(tmp) / "case.docx"
        start = time.monotonic()
        next_note = start + 10
        while time.monotonic() - start < seconds:
            if max_executions is not None and report.executions >= max_executions:
                break
            case = Case(source=master.choice(names), case_seed=master.getrandbits(48))
            data = mutate(seeds[case.source], case)
            began = time.monotonic()
            outcome, exc = run_one(data, path)
            took = time.monotonic() - began
            if took > report.slowest[0]:
                report.slowest = (took, f"{case.source}:{case.case_seed}")
            if took > SLOW_SECONDS and exc is None:  # a small file that takes seconds to read is a bug too
                outcome, exc = "failed", TimeoutError(f"read in {took:.1f} s, more than {SLOW_SECONDS} s")
            report.executions += 1
            if outcome == "rejected":
                report.rejected += 1
            elif outcome == "read":
                report.accepted += 1
            elif exc is not None:
                key = signature(exc)
                if key in report.failures:
                    report.failures[key].count += 1
                else:
                    report.failures[key] = Failure(
                        signature=key,
                        exception=f"{type(exc).__name__}: {exc}"[:500],
                        traceback="".join(traceback.format_exception(exc))[-4000:],
                        source=case.source,
                        case_seed=case.case_seed,
                        steps=case.steps,
                    )
                    if progress:
                        progress(f"NEW {key}: {case.source} case {case.case_seed}: {'; '.join(case.steps)[:300]}")
            if progress and time.monotonic() > next_note:
                next_note += 10
                report.seconds = time.monotonic() - start
                progress(report.summary())
        report.seconds = time.monotonic() - start
        return report


def replay(file: Path, *, workdir: Path | None = None) -> int:
    """Re-run the failures of a JSON report (or one .docx file); the number still failing."""
    with tempfile.TemporaryDirectory(prefix="wtpf-fuzz-") as tmp:
        path = Path(tmp) / "case.docx"
        if file.suffix == ".docx":
            outcome, exc = run_one(file.read_bytes(), path)
            print(f"{file}: {outcome}")
            if exc is not None:
                traceback.print_exception(exc)
            return int(exc is not None)
        recorded = json.loads(file.read_text(encoding="utf-8"))["failures"]
        seeds = load_seeds(workdir or Path(tmp))
        still = 0
        for item in recorded:
            case = Case(source=item["source"], case_seed=item["case_seed"])
            if case.source not in seeds:
                print(f"{case.source}: seed file not found, skipped")
                continue
            outcome, exc = run_one(mutate(seeds[case.source], case), path)
            print(f"{item['signature']}: now {outcome} ({'; '.join(case.steps)[:200]})")
            if exc is not None:
                still += 1
                traceback.print_exception(exc)
        return still


def write_case(source: bytes, case: Case, out: Path) -> None:
    """Save the mutated bytes of a case (to attach to a bug, or replay with ``--replay FILE.docx``)."""
    out.write_bytes(mutate(source, case))


def run_atheris(seconds: float, workdir: Path | None) -> int:
    """Coverage-guided: libFuzzer (atheris) picks inputs by coverage of the reader, our mutations make new ones.

    Optional (``pip install atheris``); a crash is saved by libFuzzer as ``crash-*``: replay it with ``--replay``.
    """
    import atheris  # type: ignore[import-not-found]

    folder = workdir or Path(tempfile.mkdtemp(prefix="wtpf-fuzz-"))
    seeds_dir = folder / "atheris-seeds"
    seeds_dir.mkdir(parents=True, exist_ok=True)
    for index, (_name, blob) in enumerate(sorted(load_seeds(folder).items())):
        (seeds_dir / f"{index:04d}.docx").write_bytes(blob)
    path = folder / "atheris-case.docx"

    def one_input(data: bytes) -> None:
        _outcome, exc = run_one(data, path)
        if exc is not None:
            raise exc

    def mutator(data: bytes, max_size: int, seed: int) -> bytes:
        return mutate(data, Case(source="atheris", case_seed=seed))[: max(max_size, 1)]

    atheris.instrument_all()
    argv = [sys.argv[0], f"-max_total_time={int(seconds)}", "-max_len=4000000", "-rss_limit_mb=2048", str(seeds_dir)]
    atheris.Setup(argv, one_input, custom_mutator=mutator)
    atheris.Fuzz()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120.0, help="how long to run (default 120)")
    parser.add_argument("--seed", type=int, default=None, help="master seed (default: random, printed)")
    parser.add_argument("--replay", type=Path, help="a JSON report written by --out, or one .docx file")
    parser.add_argument("--case", help="replay one case: SOURCE:CASE_SEED, as a failure names it")
    parser.add_argument("--out", type=Path, help="write the report (failures with their seeds) as JSON")
    parser.add_argument("--save-cases", type=Path, help="write each unique failing input as a .docx into this folder")
    parser.add_argument("--atheris", action="store_true", help="coverage-guided with atheris (optional package)")
    parser.add_argument("--workdir", type=Path, help="keep the demo outputs here between runs")
    args = parser.parse_args(argv)
    if args.replay:
        return int(replay(args.replay, workdir=args.workdir) > 0)
    if args.case:
        source, _, case_seed = args.case.rpartition(":")
        report_file = Path(tempfile.mkdtemp(prefix="wtpf-fuzz-")) / "case.json"
        failure = {"signature": args.case, "source": source, "case_seed": int(case_seed)}
        report_file.write_text(json.dumps({"failures": [failure]}), encoding="utf-8")
        return int(replay(report_file, workdir=args.workdir) > 0)
    if args.atheris:
        return run_atheris(args.seconds, args.workdir)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    seeds = load_seeds(args.workdir) if args.workdir else None
    report = fuzz(args.seconds, seed, seeds=seeds, workdir=args.workdir, progress=print)
    if report.seeds == 0:
        print("fuzz: no seed files (corpus absent and wtpf demo failed): skipped")
        return 0
    for failure in report.failures.values():
        print(f"\n== {failure.signature} (x{failure.count}) from {failure.source} case {failure.case_seed}")
        print("   " + "; ".join(failure.steps)[:500])
        print(failure.traceback)
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "seed": report.seed,
                    "executions": report.executions,
                    "seconds": report.seconds,
                    "failures": [vars(f) for f in report.failures.values()],
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    if args.save_cases and report.failures:
        args.save_cases.mkdir(parents=True, exist_ok=True)
        all_seeds = seeds if seeds is not None else load_seeds(Path(tempfile.mkdtemp(prefix="wtpf-fuzz-")))
        for failure in report.failures.values():
            digest = hashlib.sha1(failure.signature.encode()).hexdigest()[:10]
            case = Case(failure.source, failure.case_seed)
            write_case(all_seeds[failure.source], case, args.save_cases / f"{digest}.docx")
    print(report.summary())
    return int(bool(report.failures))


if __name__ == "__main__":
    sys.exit(main())
