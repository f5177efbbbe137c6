"""`--format pdf` (or `-o NAME.pdf`): the Word documents printed by LibreOffice, read back with pdftotext and
looked at with pdftoppm; the same .docx gives the same PDF bytes; without LibreOffice, exit 5 and one line naming
the package to install."""

from __future__ import annotations

import colorsys
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import clean_env, wtpf
from support.libreoffice import require_soffice


def pdf_text(pdf: Path) -> str:
    return " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_soffice()
    root = tmp_path_factory.mktemp("pdf") / "demo"
    wtpf("demo", str(root), cwd=root.parent)
    return root


def test_build_writes_the_pdf_its_output_s_extension_names(demo: Path, tmp_path: Path) -> None:
    wtpf("build", "Third Draft", "-o", str(tmp_path / "third.pdf"), cwd=demo)
    data = (tmp_path / "third.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(tmp_path / "third.pdf")
    assert text.startswith("WTPF-IEG/2/2 31 August 2012 Original: English Report of the Secretary-General")
    assert "3.1.4. Brazil invites the Forum" in text and "WTPF-IEG/2/2 — Third Draft" in text  # body, header


def test_the_redline_pdf_shows_deleted_and_inserted_words_each_source_in_a_colour_of_its_own(
    demo: Path, tmp_path: Path
) -> None:
    run = wtpf("redline", "First Draft", "Third Draft", "--format", "pdf", "-o", str(tmp_path), cwd=demo)
    (pdf,) = tmp_path.glob("*.pdf")
    assert pdf.name == "WTPF-IEG-2-2_Third-Draft_redline-from-first-draft.pdf" and str(pdf) in run.out
    text = pdf_text(pdf)
    # the first page says what changed, then the cover's changes: the old and the new symbol and date, whole
    assert text.startswith("Revision marks from First Draft (WTPF-IEG/1/2) to Third Draft (WTPF-IEG/2/2)")
    assert "This page is not part of the report." in text
    assert "WTPF-IEG/1/2WTPF-IEG/2/2 13 April 201231 August 2012" in text
    assert "First Third Draft" in text
    sources = run.out.rsplit("(", 1)[1].rstrip(")\n").split(", ")
    assert len(sources) == 6
    assert len(mark_hues(pdf, tmp_path)) >= len(sources)


def mark_hues(pdf: Path, work: Path) -> set[int]:
    """The hues (in 30° steps) in which the pages show more than a few strongly coloured, dark pixels: the
    colours of the revision marks (the text is black, the rest white)."""
    subprocess.run(["pdftoppm", "-r", "40", str(pdf), str(work / "page")], check=True)
    counts: dict[int, int] = {}
    for page in sorted(work.glob("page*.ppm")):
        data = page.read_bytes()
        magic, _size, depth, pixels = data.split(b"\n", 3)
        assert magic == b"P6" and depth == b"255"
        for k in range(0, len(pixels) - 2, 3):
            r, g, b = pixels[k], pixels[k + 1], pixels[k + 2]
            if max(r, g, b) - min(r, g, b) > 90 and max(r, g, b) < 215:
                hue = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)[0]
                counts[int(hue * 12) % 12] = counts.get(int(hue * 12) % 12, 0) + 1
    return {h for h, n in counts.items() if n >= 100}


def test_both_annexes_are_written_as_pdf(demo: Path, tmp_path: Path) -> None:
    wtpf("contribution", "list", "--format", "pdf", "-o", str(tmp_path / "disposition.pdf"), cwd=demo)
    wtpf("blame", "Third Draft", "-o", str(tmp_path / "provenance.pdf"), cwd=demo)
    disposition = pdf_text(tmp_path / "disposition.pdf")
    assert (
        "Annex to the Third Draft" in disposition and "WTPF-IEG/1/7 Internet Society 2012-05-21 (late)" in disposition
    )
    assert "Provenance of the text of the Third Draft (WTPF-IEG/2/2)" in pdf_text(tmp_path / "provenance.pdf")


def test_the_same_document_gives_the_same_pdf_bytes(demo: Path, tmp_path: Path) -> None:
    for name in ("a.pdf", "b.pdf"):
        wtpf("build", "Second Draft", "-o", str(tmp_path / name), cwd=demo)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert b"/CreationDate(D:20120703000000" in (tmp_path / "a.pdf").read_bytes()  # the version's date, not today's


def test_without_libreoffice_a_pdf_is_refused_with_exit_5_and_the_package_to_install(tmp_path: Path) -> None:
    root = tmp_path / "report"
    wtpf("init", str(root), "--title", "Report", "--symbol-prefix", "WTPF-IEG/1", cwd=tmp_path)
    bare = tmp_path / "bin"  # a PATH with git and nothing else
    bare.mkdir()
    (bare / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    for env in ({"PATH": str(bare)}, {"WTPF_SOFFICE": str(tmp_path / "no-soffice")}):
        proc = subprocess.run(
            [sys.executable, "-m", "wtpf_cli", "build", "-o", "report.pdf"],
            cwd=root,
            env={**clean_env(root), **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 5, proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("wtpf: PDF output needs LibreOffice")
        assert "apt-get install libreoffice-writer-nogui" in proc.stderr
        assert not (root / "report.pdf").exists()
