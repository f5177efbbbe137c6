"""The HTML page for posting online (`build --format html`, `redline --format html`): self-contained, valid,
accept/reject-equivalent to the clean pages, attributed on hover, and looked at by a real browser (headless
Chromium: DOM after load, screenshot, print to PDF)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from support.chromium import Rendered, decode_png, render_page
from support.cli import git, init_report, wtpf

FROM, TO = "First Draft", "Third Draft"
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])
BLOCKS = frozenset(
    ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "div", "pre", "blockquote", "header", "main"]
)
FETCHING = {
    "link": "href",
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "track": "src",
    "image": "href",
    "use": "href",
}


@dataclass(frozen=True)
class Demo:
    root: Path
    redline: Path
    new: Path  # clean page of TO
    old: Path  # clean page of FROM
    sources: frozenset[str]  # who committed to the draft between FROM and TO, as git tells it


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    base = tmp_path_factory.mktemp("html")
    root = base / "demo"
    wtpf("demo", str(root), cwd=base)
    wtpf("redline", FROM, TO, "--format", "html", "-o", str(base / "redline.html"), cwd=root)
    wtpf("build", TO, "--format", "html", "-o", str(base / "to.html"), cwd=root)
    wtpf("build", FROM, "--format", "html", "-o", str(base / "from.html"), cwd=root)
    tags = git("tag", "--list", cwd=root).split()
    first = next(t for t in tags if t.endswith("/first-draft"))
    third = next(t for t in tags if t.endswith("/third-draft"))
    authors = git("log", "--format=%an", f"{first}..{third}", "--", "report.md", cwd=root).split("\n")
    return Demo(root, base / "redline.html", base / "to.html", base / "from.html", frozenset(a for a in authors if a))


@pytest.fixture(scope="module")
def browser(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The redline page loaded once in headless Chromium (skips without Chromium unless CI requires it)."""
    return render_page(demo.redline, tmp_path_factory.mktemp("chromium"))


# -- reading pages with the standard library's parser --------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self) -> Iterator[Element]:
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.walk()

    def text(self, skip: tuple[str, ...] = ()) -> str:
        """Text content, leaving out elements matched by `skip` (a tag, or '.class')."""
        out: list[str] = []
        for c in self.children:
            if isinstance(c, str):
                out.append(c)
            elif not any(c.tag == s or (s.startswith(".") and s[1:] in c.classes) for s in skip):
                inner = c.text(skip)
                out.append(" " if c.tag == "br" else f" {inner} " if c.tag in BLOCKS else inner)
        return "".join(out)


class TreeBuilder(HTMLParser):
    """A tree of the page that also checks nesting: every non-void element closed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.doctype = ""
        self.errors: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(source: str) -> TreeBuilder:
    tree = TreeBuilder()
    tree.feed(source)
    tree.close()
    return tree


def page(path: Path) -> TreeBuilder:
    return parse(path.read_text(encoding="utf-8"))


def find(tree: TreeBuilder, tag: str, cls: str | None = None) -> list[Element]:
    return [e for e in tree.root.walk() if e.tag == tag and (cls is None or cls in e.classes)]


def words(text: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", text)


MARKERS = (".fnref", ".backref", ".cref", "aside")  # note and comment markers: not the document's text


def document_words(tree: TreeBuilder, drop: str | None) -> list[str]:
    """The words of the document's own text (cover, body, endnotes), with <ins> or <del> left out."""
    skip = (*MARKERS, drop) if drop else MARKERS
    parts = find(tree, "header", "cover") + find(tree, "main")
    parts += [ol for s in find(tree, "section", "endnotes") for ol in s.children if isinstance(ol, Element)]
    parts = [p for p in parts if p.tag != "h2"]
    return words(" ".join(p.text(skip) for p in parts))


# -- the tests -----------------------------------------------------------------------------------------------


def test_accepting_all_changes_on_the_page_gives_the_new_version_and_rejecting_them_the_old(demo: Demo) -> None:
    red = page(demo.redline)
    accepted, rejected = document_words(red, "del"), document_words(red, "ins")
    new, old = document_words(page(demo.new), None), document_words(page(demo.old), None)
    assert len(new) > 2000 and new != old
    assert accepted == new
    assert rejected == old


def test_every_insertion_and_deletion_names_its_source_and_date_on_hover(demo: Demo) -> None:
    red = page(demo.redline)
    marks = find(red, "ins") + find(red, "del")
    assert len(marks) > 100
    seen: set[str] = set()
    for m in marks:
        title, when = m.attrs.get("title", ""), m.attrs.get("datetime", "")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", when), m.attrs
        who = [s for s in demo.sources if f" by {s}," in title]
        assert len(who) == 1, title
        seen.add(who[0])
        day = int(when[8:10])
        month = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ][int(when[5:7]) - 1]
        assert f"{day} {month} {when[:4]}, {when[11:16]} UTC" in title
        if "moved" in m.classes:
            assert title.startswith("Moved here" if m.tag == "ins" else "Moved from here")
        else:
            assert title.startswith("Inserted" if m.tag == "ins" else "Deleted")
    assert seen == demo.sources and len(seen) == 6


def test_the_page_fetches_nothing_and_needs_no_script(demo: Demo) -> None:
    for path in (demo.redline, demo.new):
        text = path.read_text(encoding="utf-8")
        tree = parse(text)
        assert not find(tree, "script") and not find(tree, "noscript")
        for el in tree.root.walk():
            url = el.attrs.get(FETCHING.get(el.tag, ""), "") if el.tag in FETCHING else ""
            assert not re.match(r"\s*(?:https?:)?//", url, re.I), (el.tag, url)
            assert not any(k.startswith("on") for k in el.attrs), (el.tag, el.attrs)
        for style in find(tree, "style"):
            css = style.text()
            assert "url(" not in css and "@import" not in css
        assert not [e for e in find(tree, "link") if "stylesheet" in e.attrs.get("rel", "")]


def test_the_page_is_valid_html5_with_its_language_and_encoding_and_its_links_resolve(demo: Demo) -> None:
    for path in (demo.redline, demo.new):
        tree = page(path)
        assert tree.doctype.lower() == "doctype html" and not tree.errors
        assert tree.stack == [tree.root], "unclosed elements"
        html = find(tree, "html")[0]
        assert html.attrs["lang"] == "en"
        assert any(m.attrs.get("charset", "").lower() == "utf-8" for m in find(tree, "meta"))
        ids = [e.attrs["id"] for e in tree.root.walk() if "id" in e.attrs]
        assert len(ids) == len(set(ids))
        targets = [a.attrs["href"][1:] for a in find(tree, "a") if a.attrs.get("href", "").startswith("#")]
        assert targets and set(targets) <= set(ids)
        assert not [a for a in find(tree, "a") if a.walk() and any(x.tag == "a" for x in list(a.walk())[1:])]


def test_the_clean_page_has_the_cover_a_table_of_contents_and_endnotes_with_back_links(demo: Demo) -> None:
    tree = page(demo.new)
    cover = " ".join(find(tree, "header", "cover")[0].text().split())
    for expected in (
        "WTPF-IEG/2/2",
        "31 August 2012",
        "Original: English",
        "Third Draft",
        "Report of the Secretary-General for the fifth World Telecommunication/ICT Policy Forum",
    ):
        assert expected in cover
    assert find(tree, "title")[0].text().startswith("WTPF-IEG/2/2")
    assert not find(tree, "section", "legend")
    headings = [h for h in find(tree, "main")[0].walk() if h.tag in ("h2", "h3", "h4", "h5")]
    toc = [a.attrs["href"] for a in find(tree, "nav")[0].walk() if a.tag == "a"]
    assert toc == [f"#{h.attrs['id']}" for h in headings] and len(toc) > 10
    assert [h.text() for h in headings[:2]] == ["1 Introduction", "2 The Internet and IP-based networks"]
    refs = [s for s in find(tree, "sup", "fnref")]
    notes = find(tree, "section", "endnotes")[0]
    items = [li for li in notes.walk() if li.tag == "li"]
    assert len(refs) == len(items) == 3
    for n, (ref, item) in enumerate(zip(refs, items, strict=True), 1):
        link = next(e for e in ref.walk() if e.tag == "a")
        assert link.attrs["href"] == f"#{item.attrs['id']}" and link.text() == str(n)
        back = next(e for e in item.walk() if "backref" in e.classes)
        assert back.attrs["href"] == f"#{link.attrs['id']}"
    assert "Tunis Agenda for the Information Society" in items[0].text()
    assert any(e.tag == "em" for e in items[0].walk())
    assert any(e.tag == "strong" and e.text() == "non-binding" for e in tree.root.walk())
    assert any(e.tag == "a" and e.attrs.get("href") == "https://www.cgi.br/" for e in tree.root.walk())
    assert len(find(tree, "table")) == 2 and len(find(tree, "ol")) >= 3 and find(tree, "ul")


def test_the_redline_page_shows_deleted_paragraphs_and_rows_and_a_legend_of_every_source(demo: Demo) -> None:
    tree = page(demo.redline)
    deleted = [p for p in tree.root.walk() if "para-del" in p.classes]
    assert any("This first draft gives a preliminary overview" in p.text() for p in deleted)
    assert find(tree, "tr", "row-ins")
    legend = find(tree, "section", "legend")[0]
    names = [li.text((".n", ".count", ".swatch")).strip() for li in legend.walk() if li.tag == "li"]
    assert sorted(names) == sorted(demo.sources)
    assert "First Draft" in legend.text() and "Third Draft" in legend.text()


def test_the_same_history_gives_a_byte_identical_page(demo: Demo, tmp_path: Path) -> None:
    again = tmp_path / "again.html"
    wtpf("redline", FROM, TO, "--format", "html", "-o", str(again), cwd=demo.root)
    assert again.read_bytes() == demo.redline.read_bytes()


def test_default_file_names_follow_the_word_ones_with_html(demo: Demo, tmp_path: Path) -> None:
    wtpf("-C", str(demo.root), "build", TO, "--format", "html", cwd=tmp_path)
    wtpf("-C", str(demo.root), "redline", FROM, TO, "--format", "html", cwd=tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["WTPF-IEG-2-2_Third-Draft.html", "WTPF-IEG-2-2_Third-Draft_redline-from-first-draft.html"]
    assert wtpf("-C", str(demo.root), "redline", FROM, "--format", "rtf", cwd=tmp_path, check=2).err.count("\n") == 1


def test_contributors_comments_appear_as_numbered_notes_under_their_author(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    front = text[: text.index("---\n", 4) + 4]
    body = "# 1 Introduction\n\n1.1. IPv6 adoption remains slow in most regions.\n"
    (root / "report.md").write_text(front + body, encoding="utf-8")
    git("commit", "-qam", "First draft text", cwd=root)
    wtpf("stamp", "next", "--date", "2012-04-13", cwd=root)
    critic = tmp_path / "ru.md"
    critic.write_text(
        (root / "report.md")
        .read_text(encoding="utf-8")
        .replace("remains slow", "{==remains slow==}{>>Cite the RIR figures.<<}"),
        encoding="utf-8",
    )
    wtpf("contribution", "add", str(critic), "--source", "Russian Federation", "--received", "2012-05-07", cwd=root)
    wtpf("merge", cwd=root)
    wtpf("redline", "First Draft", "--format", "html", "-o", "r.html", cwd=root)
    tree = page(root / "r.html")
    assert not tree.errors
    anchored = find(tree, "mark", "commented")
    assert [m.text() for m in anchored] == ["remains slow"]
    marker = find(tree, "sup", "cref")[0]
    link = next(e for e in marker.walk() if e.tag == "a")
    note = next(e for e in tree.root.walk() if e.attrs.get("id") == link.attrs["href"][1:])
    assert "comment" in note.classes and link.text() == "C1"
    assert "Russian Federation" in note.text() and "Cite the RIR figures." in note.text()
    assert "7 May 2012" in note.text()
    assert next(e for e in note.walk() if "backref" in e.classes).attrs["href"] == f"#{link.attrs['id']}"
    legend = find(tree, "section", "legend")[0]
    assert "Russian Federation" in legend.text() and "2 comments" not in legend.text() and "1 comment" in legend.text()
    assert "First Draft (WTPF-IEG/1/1)" in legend.text()


def test_raw_html_and_script_links_in_a_draft_stay_inert_text(tmp_path: Path) -> None:
    root = init_report(tmp_path)
    text = (root / "report.md").read_text(encoding="utf-8")
    front = text[: text.index("---\n", 4) + 4]
    body = (
        '# Title\n\n<script>alert("x")</script>\n\nSee [this](javascript:alert(1)) and '
        '<img src="https://example.org/t.png"> and ![chart](https://example.org/c.png).\n'
    )
    (root / "report.md").write_text(front + body, encoding="utf-8")
    run = wtpf("build", "--format", "html", "-o", "p.html", cwd=root)
    assert "an image is left out of the page, shown as its alt text (MD003)" in run.err
    source = (root / "p.html").read_text(encoding="utf-8")
    tree = parse(source)
    assert not find(tree, "script") and not find(tree, "img")
    assert "javascript:" not in " ".join(a.attrs.get("href", "") for a in find(tree, "a"))
    assert 'alert("x")' in find(tree, "main")[0].text() and "[chart]" in find(tree, "main")[0].text()


# -- in a real browser ---------------------------------------------------------------------------------------


def test_chromium_loads_the_page_and_its_legend_names_each_source(demo: Demo, browser: Rendered) -> None:
    tree = parse(browser.dom)
    legend = find(tree, "section", "legend")
    assert len(legend) == 1
    names = {e.text() for e in legend[0].walk() if "name" in e.classes}
    assert names == demo.sources
    assert len(find(tree, "ins")) > 100


def test_the_screenshot_is_not_blank_and_shows_each_source_s_colour(demo: Demo, browser: Rendered) -> None:
    image = decode_png(browser.png)
    assert (image.width, image.height) == (1200, 1600)
    pixels = image.pixels()
    counts: dict[tuple[int, int, int], int] = {}
    for p in pixels:
        counts[p] = counts.get(p, 0) + 1
    ink = sum(n for p, n in counts.items() if sum(p) < 600)
    assert len(counts) > 200, "too few colours: a blank or broken page"
    assert 0.01 < ink / len(pixels) < 0.5
    # Each source's colour as the page declares it (legend class -> CSS), found among the pixels (the swatches).
    source = demo.redline.read_text(encoding="utf-8")
    declared = dict(re.findall(r"\.(s\d+)\{--c:(#[0-9a-f]{6})", source))
    tree = page(demo.redline)
    legend = find(tree, "section", "legend")[0]
    for li in (e for e in legend.walk() if e.tag == "li"):
        (cls,) = [c for c in li.classes if re.fullmatch(r"s\d+", c)]
        hexa = declared[cls]
        rgb = (int(hexa[1:3], 16), int(hexa[3:5], 16), int(hexa[5:7], 16))
        assert counts.get(rgb, 0) >= 50, f"{li.text()}: {hexa} not on screen"
    assert len(set(declared.values())) >= 6


def test_the_page_prints_to_pdf_with_the_legend(demo: Demo, browser: Rendered, tmp_path: Path) -> None:
    assert browser.pdf.startswith(b"%PDF-") and len(browser.pdf) > 10_000
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(browser.pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Revision marks" in flat
    for s in demo.sources:
        assert s in flat, s
    assert "The small number after each change names its source below." in flat


def test_odd_structures_and_hostile_names_give_a_well_formed_page() -> None:
    from wtpf_cli.model import Meta, ParaProps, RComment, Redline, Revision, RParagraph, RRow, RRun, RTable, Token
    from wtpf_cli.render.html import render_html

    evil = Revision('A "quoted" <b>source</b> & co', "2012-01-02T03:04:05Z")

    def para(style: str, text: str, **props: object) -> RParagraph:
        runs = tuple(RRun(Token(w)) for w in re.findall(r"\S+|\s+", text))
        return RParagraph(ParaProps(style=style, **props), runs)  # type: ignore[arg-type]

    blocks = (
        para("Title", "T"),
        para("ListParagraph", "deep item", list_kind="ordered", list_level=2, list_id=1, list_start=4),
        para("ListParagraph", "more of it", list_level=2),
        para("BlockQuote", "quoted"),
        para("BlockQuote", "still quoted"),
        para("SourceCode", "a < b\n  && c"),
        RParagraph(
            ParaProps("BodyText"),
            (
                RRun(Token("x", href='https://e.org/?a="1"&b=<2>'), ins=evil),
                RRun(Token("y", href="javascript:alert(1)")),
            ),
            dele=evil,
            comments=(RComment(evil.author, evil.date, "</aside><script>", 0, 9),),
        ),
        RTable((RRow(((RRun(Token("h")),),), header=True), RRow(((RRun(Token("c")),),), dele=evil)), (None,)),
    )
    page_ = render_html(Redline(Meta(title="<T>", language="Arabic"), Meta(), blocks, (evil.author,))).decode()
    tree = parse(page_)
    assert not tree.errors and tree.stack == [tree.root]
    assert find(tree, "html")[0].attrs == {"lang": "ar", "dir": "rtl"}
    assert not find(tree, "script") and "javascript:" not in page_
    assert find(tree, "ol")[-1].attrs.get("start") == "4"
    assert [e.text().split() for e in find(tree, "blockquote")] == [["quoted", "still", "quoted"]]
    assert find(tree, "code")[0].text() == "a < b\n  && c"
    names = [e.text() for e in find(tree, "span", "name")]
    assert names == [evil.author]
    assert all(evil.author in e.attrs["title"] for e in find(tree, "ins") + find(tree, "del"))
    assert find(tree, "tr", "row-del") and "</aside><script>" in find(tree, "div", "comment")[0].text()


# -- colours, print and layout -------------------------------------------------------------------------------


def wcag_contrast(a: str, b: str) -> float:
    """The WCAG 2.x contrast ratio of two '#rrggbb' colours (relative luminance, sRGB)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def declared_colours(source: str) -> dict[str, str]:
    """Each source class's colour as the page's stylesheet declares it: {'s1': '#1c5fa0', ...}."""
    return dict(re.findall(r"\.(s\d+)\{--c:(#[0-9a-f]{6})", source))


def many_sources_page(count: int) -> str:
    from wtpf_cli.model import Meta, ParaProps, Redline, Revision, RParagraph, RRun, Token
    from wtpf_cli.render.html import render_html

    runs = tuple(RRun(Token(f"w{n} "), ins=Revision(f"Source {n}", "2012-05-01T00:00:00Z")) for n in range(count))
    redline = Redline(Meta(title="T"), Meta(title="T"), (RParagraph(ParaProps("BodyText"), runs),))
    return render_html(redline).decode()


def test_every_source_colour_reads_on_the_page_and_no_two_sources_share_one(demo: Demo) -> None:
    for source in (demo.redline.read_text(encoding="utf-8"), many_sources_page(24)):
        background = re.search(r"html\{background:(#[0-9a-f]{3,6})", source)
        assert background is not None
        page_colour = background.group(1) if len(background.group(1)) == 7 else "#ffffff"
        colours = declared_colours(source)
        assert len(colours) in (len(demo.sources), 24)
        assert len(set(colours.values())) == len(colours), colours  # no two sources alike
        for cls, colour in colours.items():
            assert wcag_contrast(colour, page_colour) >= 4.5, (cls, colour)


def test_the_secretariat_s_colour_is_not_the_grey_of_the_cover_text(demo: Demo) -> None:
    source = demo.redline.read_text(encoding="utf-8")
    muted = re.search(r"--muted:(#[0-9a-f]{6})", source)
    assert muted is not None and ".cover .cover-meta{text-align:right;margin:0;color:var(--muted)}" in source
    legend = find(page(demo.redline), "section", "legend")[0]
    items = [e for e in legend.walk() if e.tag == "li"]
    names = {next(n.text() for n in li.walk() if "name" in n.classes): next(iter(li.classes)) for li in items}
    secretariat = declared_colours(source)[names["ITU Secretariat"]]
    r, g, b = (int(secretariat[k : k + 2], 16) for k in (1, 3, 5))
    assert secretariat != muted.group(1) and max(r, g, b) - min(r, g, b) > 60, secretariat  # a colour, not a grey


def test_deletions_are_struck_through_with_a_line_thicker_than_a_hairline(demo: Demo) -> None:
    source = demo.redline.read_text(encoding="utf-8")
    rule = re.search(r"\ndel\{([^}]*)\}", source)
    assert rule is not None and "line-through" in rule.group(1)
    thickness = re.search(r"text-decoration-thickness:([\d.]+)(px|em)", rule.group(1))
    assert thickness is not None
    pixels = float(thickness.group(1)) * (16 if thickness.group(2) == "em" else 1)  # the page's 16px text
    assert pixels >= 2, rule.group(1)


def test_the_printed_cover_shows_the_symbol_and_date_as_written(demo: Demo, browser: Rendered, tmp_path: Path) -> None:
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(browser.pdf)
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # the stamp's changes on the cover, whole symbol and whole date replaced, with no source numbers among them
    assert lines[:2] == ["WTPF-IEG/1/2WTPF-IEG/2/2", "13 April 201231 August 2012"], lines[:3]


def test_printing_keeps_each_caption_on_the_page_of_its_table(tmp_path: Path) -> None:
    from wtpf_cli.attribution.freeze import unchanged
    from wtpf_cli.markdown.parse import read_draft
    from wtpf_cli.render.html import render_html

    body = ["---", "title: Tables", "version: First Draft", "---", "# 1 Tables", ""]
    for i in range(1, 31):
        body += [f"1.{i}. " + "Filler text for the page. " * (7 * (i % 5) + 3), ""]
        body += [f"**Table {i} – Caption number {i}**", "", f"| Head{i} | Value |", "|:--|:--|"]
        body += [f"| Row {j} of table {i} | {j} |" for j in range(1, 4)]
        body.append("")
    (tmp_path / "tables.html").write_bytes(render_html(unchanged(read_draft("\n".join(body))), is_redline=False))
    pdf = tmp_path / "tables.pdf"
    pdf.write_bytes(render_page(tmp_path / "tables.html", tmp_path / "chromium").pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [" ".join(p.split()) for p in text.split("\f")]
    assert len(pages) > 5
    for i in range(1, 31):
        caption = next(n for n, p in enumerate(pages) if f"Table {i} – Caption number {i}" in p)
        assert f"Head{i}" in pages[caption].split(f"Caption number {i}", 1)[1], f"table {i}: caption left behind"


def test_without_comments_the_text_column_is_centred_in_a_wide_window(demo: Demo, tmp_path: Path) -> None:
    assert "comments" not in " ".join(e.attrs.get("class", "") for e in find(page(demo.redline), "body"))
    image = decode_png(render_page(demo.redline, tmp_path, width=1600, height=900).png)
    columns = [
        x
        for x in range(image.width)
        if any(sum(image.rows[y][x * image.channels : x * image.channels + 3]) < 600 for y in range(0, image.height, 2))
    ]
    left, right = columns[0], image.width - 1 - columns[-1]
    assert abs(left - right) < 24, (left, right)
