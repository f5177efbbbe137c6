"""The six languages of the Union: a draft in each (tests/languages/LANG/old.md, written for
these tests) gets one word changed by a named source; the redline marks that word and no more (Chinese, whose
words the segmenter finds, included), LibreOffice accepts and rejects it exactly, lays Arabic out right to left
and renders every script with a font that has it; the cover, styles and properties speak the draft's language."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from support.libreoffice import LibreOffice
from support.ooxml_view import read_paragraphs, revisions
from support.workspaces import SECRETARIAT, identity, new_workspace
from wtpf_cli.attribution.blame import blame
from wtpf_cli.attribution.freeze import unchanged
from wtpf_cli.attribution.redline import RedlineRequest
from wtpf_cli.errors import InputRejected
from wtpf_cli.labels import LABELS, count, format_date, use_overrides
from wtpf_cli.languages import SIX
from wtpf_cli.markdown.frontmatter import read_meta
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.markdown.tokens import split_words
from wtpf_cli.merging.layout import text_layout
from wtpf_cli.render.documents import build, redline_docx
from wtpf_cli.render.html import render_html
from wtpf_cli.store.config import read_config
from wtpf_cli.store.versions import count_words
from wtpf_cli.store.workspace import Workspace, open_workspace

CASES = Path(__file__).parent / "languages"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The word each draft's new.md changes (by Brazil), as a reader of that language would name it.
EDITS = {
    "ar": ("يشجّع", "يدعم"),
    "zh": ("交流", "交换"),
    "en": ("encourage", "promote"),
    "fr": ("encourager", "favoriser"),
    "ru": ("поощрять", "поддерживать"),
    "es": ("fomentar", "promover"),
}
# The cover under the symbol and date, as the UN and ITU write it in each language.
COVERS = {
    "ar": ["13 أبريل 2012", "الأصل: بالإنكليزية", "المسودة الأولى"],
    "zh": ["2012年4月13日", "原文：英文", "第一稿"],
    "en": ["13 April 2012", "Original: English", "First Draft"],
    "fr": ["13 avril 2012", "Original : anglais", "Premier projet"],
    "ru": ["13 апреля 2012 года", "Оригинал: английский", "Первый проект"],
    "es": ["13 de abril de 2012", "Original: inglés", "Primer proyecto"],
}
TEMPLATE = Path(__file__).parent.parent / "wtpf_cli" / "templates" / "reference.docx"


def _workspace(root: Path, old: str, new: str) -> tuple[Workspace, str, str]:
    """A workspace whose draft is `old` (the secretariat's) and then `new` (Brazil's); the two commits."""
    ws = new_workspace(root)
    sec = identity(SECRETARIAT)
    ws.draft_path.write_text(old, encoding="utf-8")
    base = ws.history.commit([ws.draft_repo_path], "First draft", sec, sec, "2012-04-13T09:00:00Z")
    ws.draft_path.write_text(new, encoding="utf-8")
    head = ws.history.commit([ws.draft_repo_path], "One word", identity("Brazil"), sec, "2012-05-02T09:00:00Z")
    return ws, base, head


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """For each language: the redline of Brazil's one-word edit and the clean builds of both versions."""
    out: dict[str, dict[str, Path]] = {}
    for lang in SIX:
        tmp = tmp_path_factory.mktemp(lang)
        old, new = ((CASES / lang / f"{n}.md").read_text(encoding="utf-8") for n in ("old", "new"))
        ws, base, head = _workspace(tmp / "ws", old, new)
        written, _ = redline_docx(ws, RedlineRequest(base, head), tmp / "redline.docx")
        out[lang] = {
            "redline": written.path,
            "old": build(ws, base, tmp / "old.docx").value.path,
            "new": build(ws, head, tmp / "new.docx").value.path,
            "root": ws.root,
        }
    return out


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False, no_network=True))


# -- words: the one tokenizer -----------------------------------------------------------------------------------------


def test_chinese_japanese_and_thai_are_split_into_words_not_clauses() -> None:
    assert split_words("各国政府应当促进网络的发展，") == ["各国", "政府", "应当", "促进", "网络", "的", "发展", "，"]
    assert split_words("日本語の文章") == ["日本語", "の", "文章"]
    assert split_words("ประเทศไทยมีประชากร") == ["ประเทศไทย", "มี", "ประชากร"]
    assert split_words("IPv6地址") == ["IPv6", "地址"]


def test_ideographs_beyond_the_basic_plane_keep_the_words_around_them_whole() -> None:
    # ICU counts UTF-16 units: an ideograph of Extension B is two of them.
    words = split_words("𠀀𠀁中国人民")
    assert "".join(words) == "𠀀𠀁中国人民"
    assert words[-2:] == ["中国", "人民"]


def test_combining_marks_and_joiners_stay_inside_their_words() -> None:
    assert split_words("قال مُحَمَّد إنّ") == ["قال", " ", "مُحَمَّد", " ", "إنّ"]
    assert split_words("می\u200cخواهم بروم") == ["می\u200cخواهم", " ", "بروم"]
    assert split_words("שָׁלוֹם עולם") == ["שָׁלוֹם", " ", "עולם"]
    assert split_words("cafe\u0301 ouvert") == ["cafe\u0301", " ", "ouvert"]


PIECES = [
    "a",
    "b7",
    " ",
    "\n",
    "\n\n",
    ".",
    "'",
    "-",
    "，",
    "。",
    "中",
    "国",
    "网络",
    "の",
    "ไทย",
    "\u0e35",
    "م",
    "\u064f",
]
PIECES += ["\u0651", "\u200c", "𠀀", "IPv6", "2012"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_tokens_of_any_text_in_any_script_concatenate_back_to_it_and_split_alike_by_paragraph(text: str) -> None:
    tokens = split_words(text)
    assert "".join(tokens) == text
    assert all(tokens)
    assert text_layout.__wrapped__(text).tokens == tokens


def test_a_draft_in_a_script_with_spaces_never_loads_the_segmenter() -> None:
    code = (
        "import sys\n"
        "from wtpf_cli.markdown.tokens import split_words\n"
        "from wtpf_cli.store.versions import count_words\n"
        "split_words('The Forum’s views — Форум — المنتدى يُعقد — café, 2012.'); count_words('Une phrase.')\n"
        "assert 'icu' not in sys.modules, 'ICU was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_versions_count_the_words_of_a_chinese_draft_as_the_segmenter_finds_them() -> None:
    assert count_words("各国政府应当促进网络的发展。") == 7
    assert count_words("The Forum, in Geneva.") == 4


# -- a one-word edit in each language ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", SIX)
def test_a_one_word_edit_is_marked_as_that_word_deleted_and_inserted_by_its_source(
    outputs: dict[str, dict[str, Path]], lang: str
) -> None:
    marks = revisions(outputs[lang]["redline"])
    old, new = EDITS[lang]
    assert sorted((r.tag, r.text) for r in marks) == [("del", old), ("ins", new)]
    assert {r.author for r in marks} == {"Brazil"}


def test_a_one_character_edit_in_a_long_chinese_clause_marks_at_most_four_characters(
    outputs: dict[str, dict[str, Path]],
) -> None:
    clause = "各国应当加强在互联网治理和网络安全方面的信息交流与经验分享以便发展中国家能够更充分地参与有关国际讨论"
    assert clause in (CASES / "zh" / "old.md").read_text(encoding="utf-8")
    marks = revisions(outputs["zh"]["redline"])
    assert marks and all(len(r.text) <= 4 for r in marks)


@pytest.mark.parametrize("lang", SIX)
def test_libreoffice_accepts_all_to_the_new_draft_and_rejects_all_to_the_old_in_each_language(
    libreoffice: LibreOffice, outputs: dict[str, dict[str, Path]], lang: str
) -> None:
    files = outputs[lang]
    for view, clean in (("accept", files["new"]), ("reject", files["old"])):
        got, want = libreoffice.read(files["redline"], view), libreoffice.read(clean, "none")
        assert got.body == want.body, view
        assert got.footnotes == want.footnotes, view
        assert got.remaining_changes == 0, view
    seen = libreoffice.read(files["redline"], "none").changes
    assert sorted(c["type"] for c in seen) == ["Delete", "Insert"]


def test_libreoffice_lays_out_every_paragraph_and_table_of_the_arabic_redline_right_to_left(
    libreoffice: LibreOffice, outputs: dict[str, dict[str, Path]]
) -> None:
    arabic = libreoffice.read(outputs["ar"]["redline"], "none", summary=True)  # its first page too
    assert len(arabic.directions) == len(arabic.body) > 20
    assert set(arabic.directions) == {"rl"}
    assert arabic.table_directions == ["rl", "rl"]  # the first page's table and the report's
    for lang in ("zh", "en", "ru"):
        other = libreoffice.read(outputs[lang]["redline"], "none")
        assert "rl" not in other.directions and "rl" not in other.table_directions, lang


@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_libreoffice_renders_arabic_and_chinese_with_fonts_that_have_their_letters(
    libreoffice: LibreOffice, outputs: dict[str, dict[str, Path]], tmp_path: Path, lang: str
) -> None:
    if shutil.which("pdffonts") is None or shutil.which("fc-list") is None:
        pytest.skip("poppler-utils (pdffonts) and fontconfig (fc-list) are needed")
    pdf = libreoffice.to_pdf(outputs[lang]["redline"], tmp_path / f"{lang}.pdf")
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    embedded = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in listed.splitlines()[2:] if line.strip()}
    families = subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True, text=True).stdout
    covering = {name.replace(" ", "").lower() for line in families.splitlines() for name in line.split(",")}
    assert covering, f"no font on this machine covers {lang}: install fonts-noto-cjk (see .ci/run)"
    assert any(font.split("-")[0].lower() in covering for font in embedded), (embedded, covering)


# -- right to left in the Word file -----------------------------------------------------------------------------------


def test_arabic_paragraphs_runs_and_tables_are_marked_right_to_left_and_latin_words_in_them_are_not(
    outputs: dict[str, dict[str, Path]],
) -> None:
    body = _part(outputs["ar"]["redline"], "word/document.xml").find(f"{W}body")
    assert body is not None
    paragraphs = body.findall(f".//{W}p")
    assert paragraphs and all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
    assert body.find(f"{W}tbl/{W}tblPr/{W}bidiVisual") is not None
    runs = {"".join(t.text or "" for t in r.iter(f"{W}t", f"{W}delText")): r for r in body.iter(f"{W}r")}
    rtl = {text for text, r in runs.items() if r.find(f"{W}rPr/{W}rtl") is not None}
    assert "يدعم" in rtl and "WTPF" not in rtl and "WTPF-IEG/1/2" not in rtl
    assert {"WTPF", "IPv4", "IPv6", "WTPF-IEG/1/2"} <= set(runs)  # Latin words are runs of their own
    heading = next(r for text, r in runs.items() if text.startswith("2. نقاط تبادل"))
    assert heading.find(f"{W}rPr/{W}rtl") is not None


def test_arabic_words_quoted_in_an_english_paragraph_are_a_right_to_left_run_in_a_left_to_right_paragraph(
    tmp_path: Path,
) -> None:
    ws = new_workspace(
        tmp_path / "ws", 'The Forum noted the term "الحوكمة الرشيدة" in 2012.\n\nالمنتدى يُعقد في جنيف.\n'
    )
    written = build(ws, None, tmp_path / "out.docx").value.path
    paragraphs = _part(written, "word/document.xml").findall(f".//{W}body/{W}p")
    quoting = next(p for p in paragraphs if "The Forum" in "".join(p.itertext()))
    arabic = next(p for p in paragraphs if "جنيف" in "".join(p.itertext()))
    assert quoting.find(f"{W}pPr/{W}bidi") is None
    assert arabic.find(f"{W}pPr/{W}bidi") is not None
    rtl = ["".join(r.itertext()) for r in quoting.iter(f"{W}r") if r.find(f"{W}rPr/{W}rtl") is not None]
    assert rtl == ["الحوكمة الرشيدة"]


def test_an_english_draft_keeps_the_house_styles_and_has_no_right_to_left_marks(
    outputs: dict[str, dict[str, Path]],
) -> None:
    redline = outputs["en"]["redline"]
    with zipfile.ZipFile(redline) as z, zipfile.ZipFile(TEMPLATE) as t:
        assert z.read("word/styles.xml") == t.read("word/styles.xml")
        document = z.read("word/document.xml")
    assert b"<w:bidi/>" not in document and b"<w:rtl/>" not in document and b"bidiVisual" not in document


# -- the document's language ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "attribute", "tag"),
    [
        ("fr", "val", "fr-FR"),
        ("es", "val", "es-ES"),
        ("ru", "val", "ru-RU"),
        ("zh", "eastAsia", "zh-CN"),
        ("ar", "bidi", "ar-SA"),
        ("en", "val", "en-GB"),
    ],
)
def test_the_styles_and_core_properties_carry_the_language_of_the_draft(
    outputs: dict[str, dict[str, Path]], lang: str, attribute: str, tag: str
) -> None:
    styles = _part(outputs[lang]["redline"], "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert defaults is not None and defaults.get(W + attribute) == tag
    core = _part(outputs[lang]["redline"], "docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/elements/1.1/}language") == tag


@pytest.mark.parametrize("lang", SIX)
def test_the_cover_is_written_in_the_language_of_the_draft(outputs: dict[str, dict[str, Path]], lang: str) -> None:
    paragraphs = read_paragraphs(outputs[lang]["new"])
    cover = {p.style: [] for p in paragraphs}
    for p in paragraphs:
        cover[p.style].append("".join(s.text for s in p.segments))
    assert [*cover["CoverMeta"], *cover["Subtitle"]] == COVERS[lang]


# The redline's first page: its heads, then Brazil's row (one insertion, one deletion, the day of its commit).
FIRST_PAGES = {
    "ar": ["المصدر", "الإضافات", "الحذف", "النقل", "التنسيق", "التواريخ", "Brazil", "1", "1", "0", "0", "2 مايو 2012"],
    "zh": ["来源", "插入", "删除", "移动", "格式", "日期", "Brazil", "1", "1", "0", "0", "2012年5月2日"],
    "fr": ["Source", "Insertions", "Suppressions", "Déplacements", "Mise en forme", "Dates", "Brazil", "1", "1", "0",
           "0", "2 mai 2012"],
    "ru": ["Источник", "Вставки", "Удаления", "Перемещения", "Форматирование", "Даты", "Brazil", "1", "1", "0", "0",
           "2 мая 2012 года"],
}  # fmt: skip
KEYS = {  # the key's last sentence
    "ar": "هذه الصفحة ليست جزءاً من التقرير.",
    "zh": "本页不属于报告内容。",
    "fr": "Cette page ne fait pas partie du rapport.",
    "ru": "Эта страница не является частью отчёта.",
}


@pytest.mark.parametrize("lang", sorted(FIRST_PAGES))
def test_the_first_page_of_a_redline_is_written_in_the_language_of_the_draft(
    outputs: dict[str, dict[str, Path]], lang: str
) -> None:
    paragraphs = read_paragraphs(outputs[lang]["redline"], summary=True)
    texts = ["".join(s.text for s in p.segments) for p in paragraphs if p.style.startswith("RevisionSummary")]
    head = FIRST_PAGES[lang][0]
    assert texts[texts.index(head) : texts.index(head) + 12] == FIRST_PAGES[lang]
    assert any(t.endswith(KEYS[lang]) for t in texts), texts
    assert not any("Accept All" in t or t == "Source" for t in texts if lang != "fr")


def test_counts_take_the_plural_form_each_language_asks_for() -> None:
    ru = [count("count_insertion", n, "ru") for n in (1, 2, 5, 21)]
    assert ru == ["1 вставка", "2 вставки", "5 вставок", "21 вставка"]
    ar = [count("count_comment", n, "ar") for n in (1, 2, 3, 11, 100)]
    assert ar == ["تعليق واحد", "تعليقان", "3 تعليقات", "11 تعليقًا", "100 تعليق"]
    assert [count("count_move", n, "zh") for n in (1, 3)] == ["1处移动", "3处移动"]
    assert [count("count_formatting", n, "en") for n in (1, 2)] == ["1 formatting change", "2 formatting changes"]
    assert count("count_deletion", 0, "fr") == "0 suppression"  # French: zero takes the singular


def test_the_html_page_names_the_language_and_direction_of_the_draft() -> None:
    for lang, head in (("ar", '<html lang="ar" dir="rtl">'), ("zh", '<html lang="zh">'), ("fr", '<html lang="fr">')):
        doc = read_draft((CASES / lang / "old.md").read_text(encoding="utf-8"))
        assert head in render_html(unchanged(doc), is_redline=False).decode(), lang


def test_dates_are_written_as_each_language_writes_them() -> None:
    days = [format_date("2012-05-01", lang) for lang in SIX]
    assert days == ["1 مايو 2012", "2012年5月1日", "1 May 2012", "1er mai 2012", "1 мая 2012 года", "1 de mayo de 2012"]


def test_every_label_is_given_in_the_six_languages() -> None:
    missing = [(key, lang) for key, texts in LABELS.items() for lang in SIX if lang not in texts]
    assert not missing
    assert len(LABELS["original"]) == 6


def test_the_front_matter_names_the_language_as_language_or_lang() -> None:
    assert read_meta("language: Arabic").language == "Arabic"
    assert read_meta("lang: ar").language == "ar"
    assert read_meta("lang: ar").extra == ()


def test_a_workspace_gives_its_own_words_for_a_language_in_wtpf_toml(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    config = ws.root / "wtpf.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[labels.fr]\noriginal = "Original : {language} (version provisoire)"\n"First Draft" = "Avant-projet"\n',
        encoding="utf-8",
    )
    sec = identity(SECRETARIAT)
    ws.draft_path.write_text((CASES / "fr" / "old.md").read_text(encoding="utf-8"), encoding="utf-8")
    ws.history.commit([ws.draft_repo_path], "French", sec, sec, "2012-04-13T09:00:00Z")
    ws = open_workspace(ws.root)
    try:
        written = build(ws, None, tmp_path / "fr.docx").value.path
        texts = ["".join(s.text for s in p.segments) for p in read_paragraphs(written)]
        assert "Original : anglais (version provisoire)" in texts and "Avant-projet" in texts
    finally:
        use_overrides({})  # (the next workspace opened sets its own anyway)


def test_a_labels_table_that_is_not_text_is_refused(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    config = ws.root / "wtpf.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "\n[labels.fr]\noriginal = 3\n", encoding="utf-8")
    with pytest.raises(InputRejected, match=r"\[labels.fr\].original must be a string"):
        read_config(config)
    config.write_text(text + '\n[labels.klingon-tongue-of-old]\noriginal = "x"\n', encoding="utf-8")
    with pytest.raises(InputRejected, match="named by a language"):
        read_config(config)


# -- blame ------------------------------------------------------------------------------------------------------------


def test_blame_counts_the_words_of_a_chinese_sentence_as_icu_segments_it(outputs: dict[str, dict[str, Path]]) -> None:
    import icu  # the segmenter itself, asked directly: its word boundaries that end a word, not punctuation

    result = blame(open_workspace(outputs["zh"]["root"]))
    sentence = "论坛应当鼓励发展中国家建立互联网交换点。"
    found = [s for p in result.paragraphs for s in p.sentences if s.text == sentence]
    assert len(found) == 1
    breaker = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    breaker.setText(sentence)
    words = sum(1 for _ in breaker if breaker.getRuleStatus() >= icu.UWordBreak.LETTER)
    assert found[0].words == words > 8


# -- the merge --------------------------------------------------------------------------------------------------------


def test_a_chinese_contribution_changing_one_character_merges_as_one_word_and_redlines_as_that_word(
    tmp_path: Path,
) -> None:
    import wtpf_cli as api

    old = (CASES / "zh" / "old.md").read_text(encoding="utf-8")
    ws, _, _ = _workspace(tmp_path / "ws", old, old.replace("1.2. 本报告", "1.2. 本份报告"))
    api.stamp(ws, "First Draft", symbol="WTPF-IEG/1/2", date="2012-05-03")
    proposal = tmp_path / "china.md"
    proposal.write_text(ws.draft_path.read_text(encoding="utf-8").replace("信息交流", "信息交换"), encoding="utf-8")
    api.add_contribution(ws, proposal, source="China", received="2012-05-10")
    [outcome] = api.merge(ws).value
    assert (outcome.changes, outcome.applied, outcome.conflicts) == (1, 1, ())
    assert "信息交换与经验分享" in ws.draft_path.read_text(encoding="utf-8")
    written, _ = redline_docx(ws, RedlineRequest("First Draft", None), tmp_path / "merged.docx")
    assert sorted((r.tag, r.text, r.author) for r in revisions(written.path)) == [
        ("del", "交流", "China"),
        ("ins", "交换", "China"),
    ]
