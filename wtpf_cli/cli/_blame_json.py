"""Speed only: `blame --json`'s text, `dumps_indented(result.as_json())` (cli/_json.py), faster.

A blame of a long report is some 10,000 sentences, each with its sources, and the sources of most passages differ
only in their word counts and shares: each source's other fields are encoded once (by the Origin's fields), the
sentences and paragraphs written by one loop each. `blame_json` must give what dumps_indented gives:
tests/test_fast_twins.py (test_the_blame_json_is_the_indented_json_of_its_data) compares them.
"""

from __future__ import annotations

from dataclasses import replace
from json.encoder import encode_basestring  # the C function where the json module has it (ensure_ascii=False)
from typing import TYPE_CHECKING

from wtpf_cli.cli._json import dumps_indented

if TYPE_CHECKING:
    from wtpf_cli.attribution.blame import Blame, ParagraphBlame, Provenance

# (indent, source, contribution, symbol, version, version symbol, date) -> the text around a source's words and share
_Parts = dict[tuple[str, str, str, str, str, str, str], tuple[str, str, str]]


def blame_json(result: Blame) -> str:
    """dumps_indented(result.as_json())."""
    text = dumps_indented(replace(result, paragraphs=()).as_json())  # all but the paragraphs, as json writes them
    if not result.paragraphs:
        return text
    if not text.endswith('"paragraphs": []\n}'):  # the paragraphs come last in as_json: else, as json writes it
        return dumps_indented(result.as_json())
    parts: list[str] = [text[: -len("[]\n}")], "["]
    known: _Parts = {}
    before = "\n    "
    for para in result.paragraphs:
        parts.append(before)
        _paragraph(para, "\n    ", parts, known)
        before = ",\n    "
    parts.append("\n  ]\n}")
    return "".join(parts)


def _paragraph(p: ParagraphBlame, nl: str, parts: list[str], known: _Parts) -> None:
    """One paragraph's object (its first line already indented), its inner lines indented after `nl`."""
    i = nl + "  "
    parts.append(
        f'{{{i}"index": {int.__repr__(p.index)},{i}"kind": {encode_basestring(p.kind)},'
        f'{i}"number": {_text_or_null(p.number)},{i}"heading": {_text_or_null(p.heading)},'
        f'{i}"text": {encode_basestring(p.text)},{i}"words": {int.__repr__(p.words)},{i}"sources": '
    )
    _sources(p.sources, i, parts, known)
    parts.append(f',{i}"sentences": ')
    if not p.sentences:
        parts.append("[]")
    else:
        s_nl = i + "  "
        s_i = s_nl + "  "
        before = "[" + s_nl
        for s in p.sentences:
            parts.append(
                f'{before}{{{s_i}"text": {encode_basestring(s.text)},{s_i}"words": {int.__repr__(s.words)},'
                f'{s_i}"sources": '
            )
            _sources(s.sources, s_i, parts, known)
            parts.append(s_nl + "}")
            before = "," + s_nl
        parts.append(i + "]")
    parts.append(nl + "}")


def _sources(sources: tuple[Provenance, ...], nl: str, parts: list[str], known: _Parts) -> None:
    """A list of sources (after its key), its inner lines indented after `nl`."""
    if not sources:
        parts.append("[]")
        return
    inner = nl + "  "
    before = "[" + inner
    for p in sources:
        key = (inner, p.source, p.contribution, p.symbol, p.version, p.version_symbol, p.date)
        found = known.get(key)
        if found is None:
            found = known[key] = _source_parts(*key)
        opening, middle, closing = found
        parts.append(f"{before}{opening}{int.__repr__(p.words)}{middle}{float.__repr__(p.share)}{closing}")
        before = "," + inner
    parts.append(nl + "]")


def _source_parts(
    nl: str, source: str, contribution: str, symbol: str, version: str, version_symbol: str, date: str
) -> tuple[str, str, str]:
    """The text of one source's object before its words, between its words and its share, and after its share."""
    i = nl + "  "
    return (
        f'{{{i}"source": {encode_basestring(source)},{i}"words": ',
        f',{i}"share": ',
        f',{i}"contribution": {_text_or_null(contribution)},{i}"symbol": {_text_or_null(symbol)},'
        f'{i}"version": {encode_basestring(version)},{i}"version_symbol": {_text_or_null(version_symbol)},'
        f'{i}"date": {_text_or_null(date)}{nl}}}',
    )


def _text_or_null(text: str) -> str:
    """A string field that as_json gives as None when empty."""
    return encode_basestring(text) if text else "null"
