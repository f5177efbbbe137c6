"""`wtpf publish`: the ladder of the demo as a static site — index.html in headless Chromium, every link resolving
to a file of the site; the timetable and the contributions on it; stable names, and after a new stamp only the
new version's files and the index written again, the rest left byte for byte (PDF files included)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from support.chromium import decode_png, render_page
from support.cli import Run, clean_env, git, wtpf
from support.libreoffice import require_soffice

TODAY = "2013-01-20"  # the Fourth Draft's posting (10 January 2013) is overdue; the meeting of 1 February is next
SLUGS = ("first-draft", "preliminary-second-draft", "second-draft", "third-draft")


def publish(root: Path, *args: str, today: str = TODAY) -> Run:
    """`wtpf publish ARGS` in `root` on the day `today`, as a CI job runs it (no terminal)."""
    proc = subprocess.run(
        [sys.executable, "-m", "wtpf_cli", "publish", *args],
        cwd=root,
        env={**clean_env(root), "WTPF_TODAY": today},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def demo_made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    """The demo's workspace (its outputs removed), what `wtpf demo` printed and the files of the site it wrote."""
    require_soffice()
    root = tmp_path_factory.mktemp("publish") / "demo"
    run = wtpf("demo", str(root), cwd=root.parent)
    posted = sorted(p.name for p in (root / "out" / "site").iterdir()) if (root / "out" / "site").is_dir() else []
    shutil.rmtree(root / "out")
    return root, run.out, posted


@pytest.fixture(scope="module")
def demo(demo_made: tuple[Path, str, list[str]]) -> Path:
    return demo_made[0]


def test_the_demo_ends_by_publishing_its_ladder_into_out_site(demo_made: tuple[Path, str, list[str]]) -> None:
    _root, out, posted = demo_made
    assert "Site to post:    " in out and out.split("Site to post:", 1)[1].split()[0].endswith("out/site/index.html")
    assert {"index.html", *(f"{slug}.{ext}" for slug in SLUGS for ext in ("docx", "pdf", "html"))} <= set(posted)


@pytest.fixture(scope="module")
def site(demo: Path) -> Path:
    run = publish(demo, "-o", "site")
    assert "[1/" in run.err and "PDF files of 4 version(s) (LibreOffice)" in run.err  # progress, one line a step
    assert run.out.startswith("Published 4 version(s) to ")  # the result on stdout, the steps on stderr
    return demo / "site"


def index(site: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((site / "index.html").read_bytes())


def test_every_link_of_the_index_resolves_to_a_file_of_the_site_in_chromium(site: Path, tmp_path: Path) -> None:
    shown = render_page(site / "index.html", tmp_path / "chromium", width=1280, height=1800)
    dom = lxml_html.fromstring(shown.dom)
    hrefs = [a.get("href") for a in dom.iter("a")]
    assert len(hrefs) >= 4 * 3 + 3 * 2
    ids = {e.get("id") for e in dom.iter() if e.get("id")}
    for href in hrefs:
        assert href, "a link without a target"
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert "/" not in href and ":" not in href and (site / href).is_file(), href
    image = decode_png(shown.png)
    ink = sum(1 for p in image.pixels()[::7] if sum(p) < 300)
    assert ink > 1000, "a blank page"
    shutil.copy(tmp_path / "chromium" / "screenshot.png", site.parent / "index-screenshot.png")  # to look at once


def test_the_ladder_links_each_version_s_documents_and_its_redline_against_the_one_before(site: Path) -> None:
    rows = index(site).xpath("//table[@class='ladder']/tbody/tr")
    names = [r.xpath("string(th)") for r in rows]
    assert names == ["Third Draft", "Second Draft", "Preliminary Second Draft", "First Draft"]  # the newest first
    assert [r.xpath("string(td[@class='symbol'])") for r in rows] == [
        "WTPF-IEG/2/2",
        "WTPF-IEG/1/10",
        "WTPF-IEG/1/9",
        "WTPF-IEG/1/2",
    ]
    assert rows[0].xpath("string(td[2])") == "31 August 2012"
    slugs = list(reversed(SLUGS))
    for k, row in enumerate(rows):
        links = [a.get("href") for a in row.iter("a")]
        expected = [f"{slugs[k]}.docx", f"{slugs[k]}.pdf", f"{slugs[k]}.html"]
        if k + 1 < len(rows):
            stem = f"{slugs[k]}_redline-from-{slugs[k + 1]}"
            expected += [f"{stem}.docx", f"{stem}.html"]
        assert links == expected
    assert (site / "third-draft.pdf").read_bytes().startswith(b"%PDF-")
    assert (
        "w:ins"
        in subprocess.run(
            ["unzip", "-p", str(site / "third-draft_redline-from-second-draft.docx"), "word/document.xml"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


def test_the_index_shows_the_timetable_and_the_contributions(site: Path) -> None:
    page = index(site)
    assert "As of 20 January 2013 (Europe/Zurich)" in page.xpath("string(//section[@id='timetable'])")
    rows = page.xpath("//table[@class='timetable']/tbody/tr")
    # by day and version (two milestones on 15 May 2012: the deadline for comments and a call for nominations)
    states = {
        (r.xpath("string(td[1])"), r.xpath("string(td[3])")): (r.get("class"), r.xpath("string(td[5])")) for r in rows
    }
    assert states["10 January 2013", "Fourth Draft"] == ("overdue", "Fourth Draft is not stamped")
    assert states["1 February 2013", "Fourth Draft"][0] == "next"
    assert states["1 March 2013", "Final Report"][0] == "upcoming"
    assert states["15 May 2012", "First Draft"] == ("past", "4 received by the deadline, 1 after it")
    assert states["13 April 2012", "First Draft"] == ("past", "stamped WTPF-IEG/1/2 on 2012-04-13")
    contributions = page.xpath("//table[@class='contributions']/tbody/tr")
    cells = [[" ".join(c.text_content().split()) for c in r] for r in contributions]
    assert len(cells) == 9
    assert cells[4] == [
        "WTPF-IEG/1/7",
        "Internet Society",
        "21 May 2012",
        "late (deadline 15 May 2012)",
        "First Draft",
        "merged",
    ]
    assert cells[0][3] == "on time" and cells[5][0] == ""  # a contribution without a symbol: nothing in its place


def snapshot(site: Path) -> dict[str, tuple[bytes, int, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in site.iterdir()}


def test_after_a_new_stamp_only_the_new_version_s_files_and_the_index_are_written(site: Path, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(site.parent, root, symlinks=True)
    before = snapshot(root / "site")
    draft = root / "report.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\n4.5. A closing paragraph.\n", encoding="utf-8")
    git("commit", "-qam", "Closing paragraph", cwd=root)
    wtpf("stamp", "Fourth Draft", "--date", "2013-01-08", cwd=root)
    run = publish(root, "-o", "site")
    after = snapshot(root / "site")
    new = {"fourth-draft.docx", "fourth-draft.pdf", "fourth-draft.html"}
    new |= {"fourth-draft_redline-from-third-draft.docx", "fourth-draft_redline-from-third-draft.html"}
    assert set(after) == set(before) | new
    for name, (data, mtime, inode) in before.items():
        if name in ("index.html", ".wtpf-site.json"):
            assert after[name][0] != data, name
        else:  # untouched: the same bytes, never rewritten (PDF files included)
            assert after[name] == (data, mtime, inode), name
    assert "Published 5 version(s)" in run.out and "6 file(s) written" in run.out
    assert index(root / "site").xpath("string(//table[@class='ladder']/tbody/tr[1]/th)") == "Fourth Draft"
    again = publish(root, "-o", "site")
    assert "0 file(s) written" in again.out and snapshot(root / "site") == after


def test_a_site_without_pdf_files_links_none_and_loses_the_ones_made_before(site: Path, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(site.parent, root, symlinks=True)
    run = publish(root, "-o", "site", "--no-pdf")
    assert re.search(r"4 removed$", run.out.strip())
    assert not list((root / "site").glob("*.pdf"))
    assert not [a for a in index(root / "site").iter("a") if a.get("href", "").endswith(".pdf")]
