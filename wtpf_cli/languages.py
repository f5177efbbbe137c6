"""The language of a document: its BCP 47 tag from the front matter's `language`, its direction, the tags Word
files carry, and the direction of a piece of text by its script."""

from __future__ import annotations

import re

# The six official languages of the UN (and ITU) by their English and their own names; other values may already
# be codes.
LANGUAGE_CODES = {
    "english": "en",
    "french": "fr",
    "spanish": "es",
    "russian": "ru",
    "arabic": "ar",
    "chinese": "zh",
    "français": "fr",
    "francais": "fr",
    "español": "es",
    "espanol": "es",
    "русский": "ru",
    "العربية": "ar",
    "中文": "zh",
}
SIX = ("ar", "zh", "en", "fr", "ru", "es")  # the six languages of the Union, in the UN's order
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
_CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
# Word's tag for each bare language (the region its documents are usually written for).
_WORD_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "ar": "ar-SA", "zh": "zh-CN"}
_WORD_TAGS |= {"he": "he-IL", "fa": "fa-IR", "ur": "ur-PK", "ja": "ja-JP", "ko": "ko-KR"}
# The w:lang of the house template (wtpf_cli/templates/make_reference.py): an English document keeps it.
TEMPLATE_LANG = ("en-GB", "en-US", "ar-SA")

# Letters of the scripts written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, the
# Arabic supplements and presentation forms) and letters of other scripts (strong left to right: what is a
# letter and not right to left).
_RTL_LETTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff"
RTL_CHAR = re.compile(f"[{_RTL_LETTERS}]")
# The same in the basic plane (Hebrew, Arabic and the scripts between them, the presentation forms): what a
# document in a left-to-right language is searched for, paragraph by paragraph, three times faster.
RTL_BMP = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_STRONG = re.compile(f"[{_RTL_LETTERS}]|[^\\W\\d_]")


def language_code(language: str) -> str:
    """A BCP 47 tag for the front matter's language ('English' -> 'en'); 'und' when it cannot be told."""
    name = language.strip().lower()
    if name in LANGUAGE_CODES:
        return LANGUAGE_CODES[name]
    if re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*", name):
        return name
    return "und"


def base_language(language: str) -> str:
    """The bare language of the front matter's language: 'fr-CH' -> 'fr', 'Arabic' -> 'ar'."""
    return language_code(language).split("-")[0]


def is_rtl(language: str) -> bool:
    """Whether a language is written right to left (Arabic, Hebrew, Persian, Urdu...)."""
    return base_language(language) in RTL_LANGUAGES


def word_tag(language: str) -> str:
    """The tag Word gives the language ('Arabic' -> 'ar-SA', 'fr-CH' as it is); 'und' when it cannot be told."""
    code = language_code(language)
    return code if "-" in code else _WORD_TAGS.get(code, code)


def word_lang(language: str) -> tuple[str, str, str]:
    """The w:lang attributes (val, eastAsia, bidi) for a document in `language`: its tag in the attribute of its
    script's class (ECMA-376 17.3.2.20: Word picks the attribute by the script of each character), the house
    template's tags in the other two."""
    tag = word_tag(language)
    base = tag.split("-")[0]
    val, east_asia, bidi = TEMPLATE_LANG
    if base == "und":
        return TEMPLATE_LANG
    if base in RTL_LANGUAGES:
        return (val, east_asia, tag)
    if base in _CJK_LANGUAGES:
        return (val, tag, bidi)
    return (tag, east_asia, bidi)


def first_strong_rtl(text: str) -> bool | None:
    """The direction of the first letter of a text (Unicode's P2): True right to left, False left to right, None
    when it has no letter."""
    m = _STRONG.search(text)
    return None if m is None else RTL_CHAR.match(m.group()) is not None


def strong_direction(text: str) -> bool | None:
    """A token's own direction: True if it holds a right-to-left letter, False if it holds only other letters,
    None when it holds no letter (spaces, punctuation, digits: they take the direction around them)."""
    if RTL_CHAR.search(text):
        return True
    return False if _STRONG.search(text) else None


def run_directions(texts: list[str], rtl_paragraph: bool) -> list[bool]:
    """For each token of a paragraph, whether it is laid out right to left, by Unicode's bidi algorithm (UAX #9)
    brought down to tokens: a token with a right-to-left letter is, one with other letters is not; a number is
    when the last letter before it is (or, with none, the paragraph is: rule W7); a token without letters or
    digits (spaces, punctuation) takes the direction on both sides where they agree, else the paragraph's (N1,
    N2). So Latin words and symbols in Arabic text (WTPF-IEG/1/2) stay in their order, with the spaces and
    slashes between them."""
    own: list[bool | None] = []
    letter = rtl_paragraph  # the direction of the last letter
    for text in texts:
        d = strong_direction(text)
        if d is not None:
            letter = d
        elif text[:1].isdecimal():
            d = letter
        own.append(d)
    following: list[bool] = []
    after = rtl_paragraph
    for d in reversed(own):
        following.append(after)
        if d is not None:
            after = d
    following.reverse()
    out: list[bool] = []
    before = rtl_paragraph
    for d, after in zip(own, following, strict=True):
        if d is None:
            out.append(before if before == after else rtl_paragraph)
        else:
            out.append(d)
            before = d
    return out
