"""Files as wtpf reads and writes them: UTF-8 text within a size limit, the BOM and line ends of the file replaced
kept, and atomic writes whose temp files name their process (so that a later run can remove those of a dead one)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from wtpf_cli.errors import InputRejected, OutputError
from wtpf_cli.store.faults import checkpoint

MAX_TEXT_BYTES = 10 * 1024 * 1024
"""The largest draft or text contribution wtpf reads: about 100 times a long report (the WTPF-13 report is under
100 KB). A bigger file is refused (exit 3), never left to run on."""


_BOM = b"\xef\xbb\xbf"


def read_text(path: Path) -> str:
    """A UTF-8 text file (BOM allowed, line ends kept); clear errors for anything else."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputRejected("file not found", path=str(path)) from exc
    except IsADirectoryError as exc:
        raise InputRejected("is a folder, not a file", path=str(path)) from exc
    return decode_text(data, str(path))


def decode_text(data: bytes, where: str) -> str:
    """Bytes of a draft as text; a BOM is dropped, anything but UTF-8 (or over MAX_TEXT_BYTES) refused."""
    if len(data) > MAX_TEXT_BYTES:
        size, limit = len(data) / 1024 / 1024, MAX_TEXT_BYTES // 1024 // 1024
        raise InputRejected(f"{size:.1f} MB: drafts and text files are limited to {limit} MB", path=where)
    bom = 3 if data.startswith(_BOM) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = bom + exc.start
        line = data.count(b"\n", 0, at) + 1
        raise InputRejected(f"not UTF-8 text: byte {at} (line {line}) is 0x{data[at]:02x}", path=where) from exc
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputRejected(f"contains a NUL byte on line {line}: not a text file", path=where)
    return text


def uses_crlf(data: bytes) -> bool:
    """Whether a file ends every line with CRLF (as Windows editors write it)."""
    # (a carriage return looked for first: one byte is found by memchr, a pair is searched at every line feed)
    return b"\r" in data and b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")


def encode_like(text: str, original: bytes) -> bytes:
    """Text as bytes in the conventions of the file it replaces: a BOM kept, CRLF line ends if it had only those."""
    if uses_crlf(original):
        text = re.sub(r"(?<!\r)\n", "\r\n", text)
    data = text.encode()
    return _BOM + data if original.startswith(_BOM) and not data.startswith(_BOM) else data


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder, fsync, rename: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777  # keep the mode of the file replaced
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # a new file gets what open() would give it, not mkstemp's 0600
    sweep_temps(path.parent)
    # The pid in the name lets the next run tell a temp file of a killed wtpf from one being written.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.wtpf-{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        checkpoint("temp", path)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
    except BaseException:  # Ctrl-C: no temp file left behind either
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    checkpoint("renamed", path)


_TEMP_RE = re.compile(r"^\..*\.wtpf-(\d+)-[^.]*\.tmp$")


def sweep_temps(folder: Path) -> int:
    """Remove temp files that write_atomic of a wtpf process no longer running left in `folder`; how many."""
    removed = 0
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            m = _TEMP_RE.match(entry.name)
            if m and not pid_alive(int(m.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
