"""Reading drafts: front matter, Markdown features, and the chunked parse agreeing with a whole-body parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from wtpf_cli.errors import InputRejected
from wtpf_cli.markdown._chunks import ParseCache
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.markdown.tokens import plain_text, split_words
from wtpf_cli.model import Paragraph, Table

DRAFTS = Path(__file__).resolve().parent.parent / "wtpf_cli" / "drafts" / "steps"
SAMPLE = """---
title: Report
version: First Draft
symbol: WTPF-IEG/1/2
date: 2012-04-13
---
# 2 Internet governance

2.4.1. The Forum's *opinions* are **non-binding**; see [ITU](https://www.itu.int/) and `2001:db8::/32`.[^1]

- multistakeholder model
  - open participation
- IXPs

3. three
4. four

| Region | Status |
|:--|--:|
| ARIN | exhausted |

[^1]: Council Decision 562.
"""


def texts(blocks: tuple[object, ...]) -> list[str]:
    out = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(
                f"{b.props.style}|{b.props.container}|{b.props.list_kind}|{b.props.list_level}|"
                f"{b.props.list_start}|{plain_text(b.tokens)}"
            )
        elif isinstance(b, Table):
            out.append("table|" + "/".join(plain_text(c) for r in b.rows for c in r))
    return out


def test_words_spaces_and_punctuation_are_separate_tokens() -> None:
    assert split_words("IPv6's take-up, (slow) 3.1.4bis") == [
        "IPv6's",
        " ",
        "take-up",
        ",",
        " ",
        "(",
        "slow",
        ")",
        " ",
        "3",
        ".",
        "1",
        ".",
        "4bis",
    ]


def test_a_symbol_a_date_and_a_number_are_each_one_token() -> None:
    text = "WTPF-IEG/1/2 of 13 April 2012 (April 13, 2012; July 2012), A/RES/66/184: 1,234.5 and 12% in 2.4.1."
    assert [t for t in split_words(text) if not t.isspace()] == [
        "WTPF-IEG/1/2",
        "of",
        "13 April 2012",
        "(",
        "April 13, 2012",
        ";",
        "July 2012",
        ")",
        ",",
        "A/RES/66/184",
        ":",
        "1,234.5",
        "and",
        "12%",
        "in",
        "2.4.1",
        ".",
    ]


def test_a_number_with_its_thousands_set_apart_by_spaces_is_one_token() -> None:
    # "1 199" -> "1 200" is one number changed (invariant 4), not "199" -> "200" after an unchanged "1".
    text = "1 199 users, 12 345 678,5 francs, 1\u00a0199 and 1\u202f199% in 2010 100 cases; 1 1990 and 1 199abc."
    assert [t for t in split_words(text) if not t.isspace()] == [
        "1 199", "users", ",", "12 345 678,5", "francs", ",", "1\u00a0199", "and", "1\u202f199%", "in", "2010",
        "100", "cases", ";", "1", "1990", "and", "1", "199abc", ".",
    ]  # fmt: skip


def test_words_that_only_look_like_whole_tokens_are_split_as_before() -> None:
    # a lower-case pair, a word after a slash, a number glued to letters, a month without a year
    text = "and/or Telecommunication/ICT 1.2GHz in May may 2013"
    assert [t for t in split_words(text) if not t.isspace()] == [
        "and", "/", "or", "Telecommunication", "/", "ICT", "1", ".", "2GHz", "in", "May", "may", "2013",
    ]  # fmt: skip


def test_a_draft_reads_into_cover_headings_paragraphs_lists_tables_and_footnotes() -> None:
    doc = read_draft(SAMPLE)
    assert doc.meta.symbol == "WTPF-IEG/1/2" and doc.meta.date == "2012-04-13"
    got = texts(doc.blocks)
    assert got[:5] == [
        "CoverSymbol|body|None|0|1|WTPF-IEG/1/2",
        "CoverMeta|body|None|0|1|13 April 2012",
        "CoverMeta|body|None|0|1|Original: English",
        "Title|body|None|0|1|Report",
        "Subtitle|body|None|0|1|First Draft",
    ]
    assert got[5:] == [
        "Heading1|body|None|0|1|2 Internet governance",
        "BodyText|body|None|0|1|2.4.1. The Forum's opinions are non-binding; see ITU and 2001:db8::/32.[^1]",
        "ListParagraph|body|bullet|0|1|multistakeholder model",
        "ListParagraph|body|bullet|1|1|open participation",
        "ListParagraph|body|bullet|0|1|IXPs",
        "ListParagraph|body|ordered|0|3|three",
        "ListParagraph|body|ordered|0|3|four",
        "table|Region/Status/ARIN/exhausted",
        "FootnoteText|fn:1|None|0|1|Council Decision 562.",
    ]
    para = doc.blocks[6]
    assert isinstance(para, Paragraph)
    marks = {t.text: t.marks for t in para.tokens}
    assert marks["opinions"] == {"em"} and marks["non-binding"] == {"strong"} and "code" in marks["2001"]
    assert any(t.href == "https://www.itu.int/" for t in para.tokens)


@pytest.mark.parametrize("step", sorted(p.name for p in DRAFTS.glob("*.md")))
def test_the_chunked_parse_gives_the_same_blocks_as_parsing_the_whole_body(step: str) -> None:
    text = (DRAFTS / step).read_text(encoding="utf-8")
    whole = read_draft(text, chunked=False)
    cache = ParseCache()
    assert texts(read_draft(text, cache=cache).blocks) == texts(whole.blocks)
    assert texts(read_draft(text, cache=cache).blocks) == texts(whole.blocks)  # from the cache


def test_a_footnote_defined_before_use_and_a_reference_link_resolve_in_chunks() -> None:
    text = "[^a]: First note.\n\n[ref]: https://example.org\n\nSee [the site][ref].[^a]\n"
    assert texts(read_draft(text).blocks)[5:] == texts(read_draft(text, chunked=False).blocks)[5:]
    assert texts(read_draft(text).blocks)[5:] == [
        "BodyText|body|None|0|1|See the site.[^a]",
        "FootnoteText|fn:a|None|0|1|First note.",
    ]


def test_a_cache_shared_by_versions_follows_their_footnote_and_link_definitions() -> None:
    # The same bracketed chunk means different things as definitions come and go between versions.
    use = "See [the site][ref] and the note.[^a]\n"
    v1 = "[^a]: First note.\n\n[ref]: https://example.org\n\n" + use
    v2 = "[ref]: https://example.net\n\n" + use  # the note's definition gone, the link moved
    v3 = "[^a]: First note.\n\n" + use  # the link's definition gone, the note back
    cache = ParseCache()
    for text in (v1, v2, v3, v1, v3):
        fresh = read_draft(text, cache=ParseCache()).blocks
        shared = read_draft(text, cache=cache).blocks
        assert shared == fresh
    assert texts(read_draft(v2, cache=cache).blocks)[5:] == ["BodyText|body|None|0|1|See the site and the note.[^a]"]
    links = {t.href for t in read_draft(v2, cache=cache).blocks[5].tokens}  # type: ignore[union-attr]
    assert "https://example.net" in links and "https://example.org" not in links


def test_an_inline_note_stays_text_as_github_markdown_reads_it() -> None:
    text = "Text^[an inline note] and a real one.[^a]\n\n[^a]: The note.\n"
    for doc in (read_draft(text), read_draft(text, chunked=False)):
        assert texts(doc.blocks)[5:] == [
            "BodyText|body|None|0|1|Text^[an inline note] and a real one.[^a]",
            "FootnoteText|fn:a|None|0|1|The note.",
        ]


def test_front_matter_errors_name_the_line_and_nul_bytes_are_refused() -> None:
    with pytest.raises(InputRejected, match="line 3"):
        read_draft("---\ntitle: a\nversion: [unclosed\n---\nbody\n")
    with pytest.raises(InputRejected, match="never closed"):
        read_draft("---\ntitle: a\n")
    with pytest.raises(InputRejected, match="NUL"):
        read_draft("a\x00b")


NOTES_FRONT = "---\ntitle: T\n---\n\n"


@pytest.mark.parametrize("chunked", [True, False])
def test_footnotes_follow_the_text_in_order_of_first_reference_from_the_text_then_from_notes(chunked: bool) -> None:
    # markdown-it alone numbers [^c] before [^a]: note a, defined before "More[^a]", refers to it first.
    text = NOTES_FRONT + "Text[^b].\n\n[^a]: Note a, see[^c].\n\nMore[^a].\n\n[^b]: Note b.\n\n[^c]: Note c.\n"
    blocks = read_draft(text, path="r.md", chunked=chunked).blocks
    notes = [b.props.container for b in blocks if isinstance(b, Paragraph) and b.props.container != "body"]
    assert notes == ["fn:b", "fn:a", "fn:c"]


@pytest.mark.parametrize("chunked", [True, False])
def test_a_note_only_itself_refers_to_is_not_shown(chunked: bool) -> None:
    text = NOTES_FRONT + "Text.\n\n[^self]: A note on [^self] itself.\n\nMore[^kept].\n\n[^kept]: Kept.\n"
    blocks = read_draft(text, path="r.md", chunked=chunked).blocks
    notes = [b.props.container for b in blocks if isinstance(b, Paragraph) and b.props.container != "body"]
    assert notes == ["fn:kept"]


@pytest.mark.parametrize("chunked", [True, False])
@pytest.mark.parametrize("before", ["Some text[^1].", "# A heading[^1]", "- An item[^1]"])
def test_a_footnote_defined_on_the_line_after_its_text_is_kept(chunked: bool, before: str) -> None:
    text = NOTES_FRONT + before + "\n[^1]: The note.\n\nMore text.\n"
    blocks = read_draft(text, path="r.md", chunked=chunked).blocks
    notes = [b for b in blocks if isinstance(b, Paragraph) and b.props.container != "body"]
    assert [(b.props.container, plain_text(b.tokens)) for b in notes] == [("fn:1", "The note.")]


@pytest.mark.parametrize("chunked", [True, False])
def test_code_left_open_after_a_footnote_definition_is_kept_as_code(chunked: bool) -> None:
    text = NOTES_FRONT + "Text[^1].\n\n[^1]: The note.\n~~~\nsome code\n"
    blocks = read_draft(text, path="r.md", chunked=chunked).blocks
    code = [plain_text(b.tokens) for b in blocks if isinstance(b, Paragraph) and b.props.style == "SourceCode"]
    notes = [b.props.container for b in blocks if isinstance(b, Paragraph) and b.props.container != "body"]
    assert (code, notes) == (["some code"], ["fn:1"])


@pytest.mark.parametrize("chunked", [True, False])
def test_a_footnote_defined_in_a_list_item_and_a_link_defined_in_a_quote_serve_the_whole_text(chunked: bool) -> None:
    text = NOTES_FRONT + "- An item.\n- [^1]: The note.\n\n> [site]: https://example.org\n\nText[^1] on the [site].\n"
    blocks = read_draft(text, path="r.md", chunked=chunked).blocks
    last = next(b for b in blocks if isinstance(b, Paragraph) and plain_text(b.tokens).startswith("Text"))
    assert [t.note for t in last.tokens if t.note] == ["1"]
    assert [t.href for t in last.tokens if t.href] == ["https://example.org"]


@pytest.mark.parametrize("chunked", [True, False])
def test_the_items_of_a_loose_numbered_list_are_one_list(chunked: bool) -> None:
    text = NOTES_FRONT + "Intro.\n\n1. First.\n\n1. Second.\n\n1. Third.\n"
    blocks = read_draft(text, path="r.md", chunked=chunked).blocks
    items = [b.props for b in blocks if isinstance(b, Paragraph) and b.props.list_kind == "ordered"]
    assert len(items) == 3 and len({(p.list_id, p.list_start) for p in items}) == 1


LOOSE_LISTS = {
    # (body, the (list id, start) of each numbered item in order: CommonMark 5.3, one list per run of items with
    # one delimiter, blank lines or not)
    "a new delimiter starts a new list": ("1. a\n\n2. b\n\n3) c\n\n4) d\n", [(1, 1), (1, 1), (2, 3), (2, 3)]),
    "a paragraph between ends the list": ("5. a\n\n6. b\n\nText.\n\n1. c\n", [(1, 5), (1, 5), (2, 1)]),
    "nested lists are numbered after the outer one": (
        "3. a\n   1. x\n\n4. b\n   1. y\n\n5. c\n",
        [(1, 3), (2, 1), (1, 3), (3, 1), (1, 3)],
    ),
    "a footnote definition after an item ends the list": (
        "1. a[^n]\n[^n]: The note.\n\n2. b\n",
        [(1, 1), (2, 2)],
    ),
    "a bullet list between ends the list": ("1. a\n\n- b\n\n2. c\n", [(1, 1), (2, 2)]),
}


@pytest.mark.parametrize("chunked", [True, False])
@pytest.mark.parametrize("case", sorted(LOOSE_LISTS))
def test_the_numbered_items_of_a_loose_list_are_numbered_as_one_parse_numbers_them(case: str, chunked: bool) -> None:
    body, expected = LOOSE_LISTS[case]
    blocks = read_draft(NOTES_FRONT + body, path="r.md", chunked=chunked).blocks
    items = [b.props for b in blocks if isinstance(b, Paragraph) and b.props.list_kind == "ordered"]
    assert [(p.list_id, p.list_start) for p in items] == expected
