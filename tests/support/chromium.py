"""Headless Chromium (Debian's `chromium`) as the tests' real browser, and a stdlib PNG reader for its screenshots."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
REQUIRE_ENV = "WTPF_REQUIRE_CHROMIUM"
# A quiet, offline, throwaway browser: no first-run pages, no updates or sync, nothing fetched in the background.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def chromium_path() -> str | None:
    """The Chromium executable, if one is installed."""
    for candidate in CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """Chromium's path; skips the test without it, or fails when CI demands it (WTPF_REQUIRE_CHROMIUM=1)."""
    path = chromium_path()
    if path is None:
        reason = f"Chromium is not installed (looked for {', '.join(CANDIDATES)}; apt-get install chromium)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason} (and {REQUIRE_ENV}=1)", pytrace=False)
        pytest.skip(reason)
    return path


@dataclass(frozen=True)
class Rendered:
    """What Chromium made of a page in one run: the DOM after load, a screenshot, and the page printed to PDF."""

    dom: str
    png: bytes
    pdf: bytes


def render_page(page: Path, workdir: Path, *, width: int = 1200, height: int = 1600) -> Rendered:
    """Load `page` in headless Chromium once, with a new profile, and keep its DOM, screenshot and PDF."""
    exe = require_chromium()
    workdir.mkdir(parents=True, exist_ok=True)
    png, pdf = workdir / "screenshot.png", workdir / "page.pdf"
    with tempfile.TemporaryDirectory(prefix="wtpf-chromium-") as profile:
        proc = subprocess.run(
            [
                exe,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                f"--print-to-pdf={pdf}",
                "--no-pdf-header-footer",
                "--dump-dom",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            env={**os.environ, "HOME": profile},
        )
    assert proc.returncode == 0, f"chromium exited {proc.returncode}: {proc.stderr[-2000:]}"
    assert png.is_file() and pdf.is_file(), f"chromium wrote no screenshot or PDF: {proc.stderr[-2000:]}"
    return Rendered(proc.stdout, png.read_bytes(), pdf.read_bytes())


@dataclass(frozen=True)
class Image:
    """Decoded 8-bit RGB(A) pixels, row by row."""

    width: int
    height: int
    channels: int
    rows: tuple[bytes, ...]

    def pixels(self) -> list[tuple[int, int, int]]:
        """Every pixel as (r, g, b)."""
        c = self.channels
        out: list[tuple[int, int, int]] = []
        for row in self.rows:
            out.extend(zip(row[0::c], row[1::c], row[2::c], strict=True))
        return out


def decode_png(data: bytes) -> Image:
    """A non-interlaced 8-bit RGB or RGBA PNG (what Chromium writes), read with zlib: IHDR, IDAT, unfiltering."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, idat, header = 8, bytearray(), b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG: {depth=} {colour=} {interlace=}"
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(bytes(idat))
    assert len(raw) == height * (stride + 1), "truncated PNG data"
    rows: list[bytes] = []
    prev = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        filt, line = raw[start], raw[start + 1 : start + 1 + stride]
        prev = _unfilter(filt, line, prev, bpp)
        rows.append(prev)
    return Image(width, height, bpp, tuple(rows))


def _unfilter(filt: int, line: bytes, prev: bytes, bpp: int) -> bytes:
    """PNG filter types 0-4 (PNG spec, section 9)."""
    if filt == 0:
        return line
    if filt == 2:
        if not any(line):
            return prev
        return bytes((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
    out = bytearray(line)
    n = len(out)
    if filt == 1:
        for i in range(bpp, n):
            out[i] = (out[i] + out[i - bpp]) & 0xFF
    elif filt == 3:
        for i in range(n):
            left = out[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + ((left + prev[i]) >> 1)) & 0xFF
    elif filt == 4:
        for i in range(n):
            a = out[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out[i] = (out[i] + pred) & 0xFF
    else:
        raise AssertionError(f"unknown PNG filter type {filt}")
    return bytes(out)
