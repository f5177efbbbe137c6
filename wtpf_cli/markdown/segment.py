"""Word boundaries where spaces and `\\w` do not tell them: scripts written without spaces (Chinese, Japanese,
Thai, Lao, Khmer, Myanmar), cut into words by ICU's word break rules and dictionaries (PyICU, from the
`pyicu-wheels` wheels), and words that hold combining marks or joiners (Arabic vowel signs, Hebrew points, the
Persian zero-width non-joiner), kept whole.

ICU is imported when a text first holds such characters: a Latin, Cyrillic or Arabic draft never loads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from typing import Any

# The scripts whose words are not separated by spaces, by Unicode block: Thai, Lao, Myanmar, Khmer, the CJK
# marks that are letters (々 〆 〇), Hiragana, Katakana, Bopomofo, Katakana extensions, CJK Extension A, CJK
# Unified Ideographs, CJK Compatibility Ideographs, halfwidth Katakana, and the supplementary ideographs
# (Extensions B to H, the compatibility supplement).
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3040-\u30ff\u3100-\u312f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff"
)
# Characters inside words that `\w` does not match: combining marks (general diacritics, Cyrillic, Hebrew points
# and accents, Arabic harakat and Quranic marks, Syriac, Devanagari and the other Indic scripts' signs, the
# extended and supplementary diacritics, combining marks for symbols, half marks) and the zero-width joiners.
_GLUE = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f"
    "\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0711\u0730-\u074a\u0900-\u0903\u093a-\u094f"
    "\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7\u0a01-\u0a03\u0a3c-\u0a51\u0a81-\u0a83\u0abc-\u0acd"
    "\u0b01-\u0b03\u0b3c-\u0b57\u0b82\u0bbe-\u0bcd\u0c00-\u0c04\u0c3e-\u0c56\u0c81-\u0c83\u0cbc-\u0cd6"
    "\u0d00-\u0d03\u0d3b-\u0d57\u0d81-\u0d83\u0dca-\u0ddf\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff"
    "\ufe20-\ufe2f"
)
SPECIAL = re.compile(f"[{_UNSPACED}{_GLUE}]")  # a text holding none of these is split by the word pattern alone

_breaker: Any = None  # ICU's word BreakIterator, made on first use


def special_words(text: str, split: Callable[[str], list[str]]) -> list[str]:
    """The tokens of a text that holds SPECIAL characters: runs of scripts written without spaces cut by ICU, the
    rest by `split` (the word pattern), then combining marks and joiners joined to the words they belong to; the
    tokens still concatenate to the text."""
    unspaced_run, glue_char = _patterns()
    out: list[str] = []
    pos = 0
    for m in unspaced_run.finditer(text):
        if m.start() > pos:
            out.extend(split(text[pos : m.start()]))
        out.extend(_segmented(m.group()))
        pos = m.end()
    if pos < len(text):
        out.extend(split(text[pos:]))
    return _joined(out, glue_char) if glue_char.search(text) else out


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A run of characters of scripts written without spaces; one mark or joiner (compiled when first needed:
    a large character class takes milliseconds to compile, and most drafts never need them)."""
    return re.compile(f"[{_UNSPACED}]+"), re.compile(f"[{_GLUE}]")


def _joined(words: list[str], glue_char: re.Pattern[str]) -> list[str]:
    """The tokens with each mark or joiner (the word pattern makes each its own token) joined to the word before
    it, and the word after it joined too: 'مُحَمَّد' is one word."""
    out: list[str] = []
    gluing = False  # the last token ends with a mark: a word that follows belongs to it
    for word in words:
        if len(word) == 1 and glue_char.match(word) and out and _is_word(out[-1]):
            out[-1] += word
            gluing = True
        elif gluing and _is_word(word):
            out[-1] += word
            gluing = False
        else:
            out.append(word)
            gluing = False
    return out


def _is_word(token: str) -> bool:
    return token[0].isalnum() or token[0] == "_"


@lru_cache(maxsize=65536)
def _segmented(run: str) -> tuple[str, ...]:
    """The words of a run of characters of scripts written without spaces, at ICU's word boundaries."""
    global _breaker
    if _breaker is None:
        import icu  # (start-up: see the module docstring)

        _breaker = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    _breaker.setText(run)
    bounds = [0, *_breaker]
    if max(run) > "\uffff":
        # ICU counts UTF-16 code units: a supplementary character (an ideograph of Extension B...) is two.
        index = [k for k, ch in enumerate(run) for _ in range(2 if ch > "\uffff" else 1)]
        index.append(len(run))
        bounds = [index[b] for b in bounds]
    return tuple(run[a:b] for a, b in pairwise(bounds) if b > a)
