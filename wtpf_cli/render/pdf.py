"""PDF files made from our Word files by LibreOffice headless (`soffice --convert-to pdf`).

Why LibreOffice from the .docx and not Chromium from the HTML page: the PDF posted beside a Word file should be that
Word file, page for page — the cover without the running header, the footnotes at the foot of their page, the
paragraph and page numbers a delegate cites — and a redline's tracked changes are drawn by LibreOffice as Word draws
them, each author in a colour of its own, deletions struck through, a bar in the margin. Our documents set no
`w:revisionView`, so the changes are shown (ECMA-376 17.15.1.69), and LibreOffice's PDF export prints what it shows.

Each run has a private profile in a temporary folder (`-env:UserInstallation`), so it never meets a LibreOffice
the user has open, and runs with TZ=UTC. LibreOffice writes the time of the run (`/CreationDate`) and two random
checksums (`/ID`, `/DocChecksum`) into the file; they are replaced here, at the same length, by the document's date
and a hash of its content, so that the same .docx gives the same PDF bytes with the same LibreOffice (another
LibreOffice version may lay out or compress differently).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

from wtpf_cli.errors import OutputError

PACKAGE = "libreoffice-writer-nogui"  # Debian's LibreOffice Writer without the desktop parts
ENV = "WTPF_SOFFICE"  # the soffice to run, when it is not on PATH
TIMEOUT = 600  # seconds for one LibreOffice run (a long report takes a few seconds a document)
_CREATED = re.compile(rb"<dcterms:created[^>]*>(\d{4})-(\d\d)-(\d\d)T")
_CREATION_DATE = re.compile(rb"/CreationDate\(D:(\d{14})")
_IDS = re.compile(rb"/ID \[ <([0-9A-F]{32})>\s*<([0-9A-F]{32})> \]")
_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-F]{32})")


def soffice() -> str:
    """The LibreOffice executable: $WTPF_SOFFICE, else soffice or libreoffice on PATH; an OutputError (exit 5)
    naming the package to install when there is none."""
    named = os.environ.get(ENV)
    found = [named] if named else [shutil.which("soffice"), shutil.which("libreoffice")]
    for candidate in found:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    where = f"{ENV}={named} is not an executable" if named else "LibreOffice (soffice) is not installed"
    raise OutputError(f"PDF output needs LibreOffice: {where}; install it with `apt-get install {PACKAGE}`")


def pdf_from_docx(documents: Mapping[str, bytes], progress: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """The PDF of each named .docx, all made by one LibreOffice run (its start-up is the slow part)."""
    if not documents:
        return {}
    exe = soffice()
    with tempfile.TemporaryDirectory(prefix="wtpf-pdf-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        files: dict[str, Path] = {}
        for k, (name, data) in enumerate(documents.items()):
            files[name] = root / "in" / f"document-{k}.docx"
            files[name].write_bytes(data)
        if progress:
            progress(f"LibreOffice: {len(files)} PDF file(s)")
        _run(
            [
                exe,
                f"-env:UserInstallation={(root / 'profile').as_uri()}",
                "--headless",
                "--invisible",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                "--norestore",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                str(root / "out"),
                *map(str, files.values()),
            ],
            root,
        )
        made: dict[str, bytes] = {}
        for name, source in files.items():
            pdf = root / "out" / f"{source.stem}.pdf"
            if not pdf.is_file():
                raise OutputError(f"LibreOffice made no PDF of {name}", path=name)
            made[name] = steady(pdf.read_bytes(), documents[name])
    return made


def _run(command: list[str], home: Path) -> None:
    """Run LibreOffice in a process group of its own (soffice starts soffice.bin), stopped as a whole on a timeout
    or an interruption; with `home` as its home, where it leaves its caches and settings (fontconfig, dconf)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(TZ="UTC", HOME=str(home))
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    ) as proc:
        try:
            _, err = proc.communicate(timeout=TIMEOUT)
        except BaseException:
            _stop(proc)
            raise
    if proc.returncode != 0:
        last = (err.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        raise OutputError(f"LibreOffice failed to make a PDF (exit {proc.returncode}): {last}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def steady(pdf: bytes, docx: bytes) -> bytes:
    """The PDF with what LibreOffice takes from the clock and from chance replaced, byte for byte at the same
    length (the cross-reference offsets stay right): the creation date by the document's own (core properties),
    the file identifiers and checksum by a hash of the rest."""
    day = _document_day(docx)
    pdf = _CREATION_DATE.sub(lambda m: b"/CreationDate(D:" + day + b"000000", pdf)
    blank = _IDS.sub(
        b"/ID [ <" + b"0" * 32 + b"> <" + b"0" * 32 + b"> ]", _CHECKSUM.sub(b"/DocChecksum /" + b"0" * 32, pdf)
    )
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    pdf = _IDS.sub(lambda m: m.group(0).replace(m.group(1), digest).replace(m.group(2), digest), pdf)
    return _CHECKSUM.sub(b"/DocChecksum /" + digest, pdf)


def _document_day(docx: bytes) -> bytes:
    """YYYYMMDD of the document's creation date (core properties; our writer sets the version's date)."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            core = z.read("docProps/core.xml")
    except (zipfile.BadZipFile, KeyError):
        return b"20000101"
    m = _CREATED.search(core)
    return m.group(1) + m.group(2) + m.group(3) if m else b"20000101"
