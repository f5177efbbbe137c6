"""A sentence moved by one commit, to another paragraph or within its own: w:moveFrom/w:moveTo around its runs,
under the commit's source, read back by LibreOffice (UNO), pandoc and our own reader; found with bounded work."""

from __future__ import annotations

import re
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import wtpf_cli
from support.libreoffice import LibreOffice
from support.ooxml_view import notation, read_paragraphs
from support.pandoc import pandoc_read
from support.workspaces import commit_body, new_workspace
from wtpf_cli.attribution import moves
from wtpf_cli.attribution.items import Item, MarkItem, TokenItem, token_key
from wtpf_cli.attribution.redline import RedlineRequest
from wtpf_cli.attribution.sentence_moves import sentence_moves
from wtpf_cli.markdown.tokens import plain_tokens
from wtpf_cli.model import ParaProps, Revision
from wtpf_cli.render.documents import build, redline_docx
from wtpf_cli.store.workspace import Workspace

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MOVED = "Connectivity costs remain high in landlocked countries."

OLD = f"""# 2 Networks

2.1. Broadband networks reach most cities. {MOVED} Operators share towers.

# 3 IXPs

3.1. IXPs lower costs. They are run by their members.
"""
# Brazil moves the second sentence of 2.1 into 3.1, between its two sentences.
NEW = f"""# 2 Networks

2.1. Broadband networks reach most cities. Operators share towers.

# 3 IXPs

3.1. IXPs lower costs. {MOVED} They are run by their members.
"""


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, str, str]:
    ws = new_workspace(tmp_path_factory.mktemp("sentences") / "ws", OLD)
    base = ws.history.head()
    assert base is not None
    head = commit_body(ws, NEW, "Brazil", "2012-05-11T16:05:00Z")
    return ws, base, head


def nonempty(texts: list[str]) -> list[str]:
    return [" ".join(t.split()) for t in texts if t.strip()]


def test_libreoffice_lists_the_moved_sentence_under_its_source_and_reads_both_views_right(
    libreoffice: LibreOffice, history: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, base, head = history
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")
    changes = libreoffice.read(redline.path, "none").changes
    # LibreOffice 7.4 reads a move as a deletion where it was and an insertion where it went (no move type in UNO)
    assert sorted((c["type"], (c["text"] or "").strip(), c["author"]) for c in changes) == [
        ("Delete", MOVED, "Brazil"),
        ("Insert", MOVED, "Brazil"),
    ]
    old = build(ws, base, tmp_path / "old.docx").value.path
    new = build(ws, head, tmp_path / "new.docx").value.path
    for view, clean in (("accept", new), ("reject", old)):
        assert nonempty(libreoffice.read(redline.path, view).body) == nonempty(libreoffice.read(clean).body), view
        assert pandoc_read(redline.path, view).words() == pandoc_read(clean, "accept").words(), view


def test_a_moved_sentence_has_its_two_ranges_under_one_name_around_its_runs_only(
    history: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, base, head = history
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")
    with zipfile.ZipFile(redline.path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    for kind in ("moveFrom", "moveTo"):
        (start,) = root.iter(f"{W}{kind}RangeStart")
        (moved,) = root.iter(f"{W}{kind}")
        assert start.get(W + "name") == "move1" and start.get(W + "author") == "Brazil"
        # the range opens just before the moved runs and closes just after them, amid the paragraph's other runs
        assert start.getnext() is moved and moved.getnext().tag == f"{W}{kind}RangeEnd"
        assert moved.getnext().get(W + "id") == start.get(W + "id")
        assert "".join(moved.itertext()).strip() == MOVED
        assert start.getprevious().tag == f"{W}r" and moved.getnext().getnext().tag == f"{W}r"
    tags = ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart")
    ids = Counter(e.get(W + "id") for tag in tags for e in root.iter(W + tag))
    assert max(ids.values()) == 1


def test_the_first_page_and_the_html_legend_count_the_moved_sentence_as_one_move(
    history: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, base, head = history
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")
    summary = [p for p in read_paragraphs(redline.path, summary=True) if p.style.startswith("RevisionSummary")]
    texts = ["".join(s.text for s in p.segments) for p in summary]
    start = texts.index("Source")
    assert texts[start + 6 : start + 12] == ["Brazil", "0", "0", "1", "0", "11 May 2012"]
    page = wtpf_cli.redline(ws, base, head, output=tmp_path / "r.html", fmt="html").value.written
    assert page is not None
    html = page.path.read_text(encoding="utf-8")
    assert re.search(rf'<del class="moved s1"[^>]*title="Moved from here by Brazil[^>]*>{MOVED}', html)
    assert re.search(rf'<ins class="moved s1"[^>]*title="Moved here by Brazil[^>]*>{MOVED}', html)
    assert "1 move; 11 May 2012" in html


def test_with_no_moves_a_moved_sentence_is_deleted_and_inserted(
    history: tuple[Workspace, str, str], tmp_path: Path
) -> None:
    ws, base, head = history
    plain, _ = redline_docx(ws, RedlineRequest(base, head, moves=False), tmp_path / "plain.docx")
    with zipfile.ZipFile(plain.path) as z:
        assert b"w:moveFrom" not in z.read("word/document.xml") and b"w:moveTo" not in z.read("word/document.xml")
    kinds = {(c["type"], c["text"].strip()) for c in pandoc_read(plain.path, "all").changes}
    assert ("Delete", MOVED) in kinds and ("Insert", MOVED) in kinds


# -- which sentences are moves, and with how much work ---------------------------------------------------------------

REV = Revision("Brazil", "2012-05-11T16:05:00Z")


def _tokens(text: str, ins: Revision | None = None, dele: Revision | None = None) -> list[Item]:
    out: list[Item] = []
    for t in plain_tokens(text):
        item = TokenItem(t, token_key("body", t), ins)
        item.dele = dele
        out.append(item)
    return out


def _mark() -> list[Item]:
    return [MarkItem(ParaProps("BodyText"))]


def test_a_sentence_taken_out_and_put_back_at_the_same_place_is_no_move() -> None:
    sentence = "Connectivity costs remain high. "
    rewritten = [*_tokens("Costs fell. "), *_tokens(sentence, dele=REV), *_tokens(sentence, ins=REV)]
    assert sentence_moves([[*rewritten, *_tokens("Towers are shared."), *_mark()]], REV) == []
    moved = [*_tokens(sentence, dele=REV), *_tokens("Costs fell. "), *_tokens(sentence, ins=REV)]
    ((taken, put),) = sentence_moves([[*moved, *_tokens("Towers are shared."), *_mark()]], REV)
    assert "".join(t.token.text for t in taken) == "".join(t.token.text for t in put) == sentence


def test_a_sentence_of_which_one_word_stands_or_of_two_words_is_no_move() -> None:
    standing = [*_tokens("Connectivity costs ", dele=REV), *_tokens("remain"), *_tokens(" high. ", dele=REV)]
    put = [*_tokens("Towers are shared. "), *_tokens("Connectivity costs remain high. ", ins=REV), *_mark()]
    assert sentence_moves([[*standing, *_mark()], put], REV) == []
    short = [*_tokens("Costs fell. ", dele=REV), *_tokens("Towers are shared."), *_mark()]
    assert sentence_moves([short, [*_tokens("Costs fell.", ins=REV), *_mark()]], REV) == []


def _texts(found: list[tuple[list[TokenItem | MarkItem], list[TokenItem | MarkItem]]]) -> list[tuple[str, str]]:
    """Each move as (the text taken out, the text put in), a paragraph mark as a pilcrow."""

    def text(side: list[TokenItem | MarkItem]) -> str:
        return "".join(x.token.text if isinstance(x, TokenItem) else "\u00b6" for x in side)

    return [(text(taken), text(put)) for taken, put in found]


def test_a_sentence_reworded_as_it_moves_is_found_among_many_paragraphs_put_in_as_without_testing_them_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A commit takes out two sentences (one Greek, in capitals: final sigma) and puts in fifty paragraphs, two of
    # which hold them nearly as they were (7 of 8 words in common): the paragraphs put in are first tested for
    # enough words of a sentence taken out (sentence_moves._Partners); without that test the same moves are found.
    taken = [
        *_tokens("Costs fell. "),
        *_tokens("Connectivity costs remain very high in landlocked countries. ", dele=REV),
        *_tokens("ΟΙ ΧΩΡΕΣ ΤΗΣ ΠΕΡΙΟΧΗΣ ΕΠΕΝΔΥΟΥΝ ΣΤΑ ΔΙΚΤΥΑ ΤΟΥΣ ΣΗΜΕΡΑ ΠΟΛΥ. ", dele=REV),
        *_tokens("Towers are shared."),
        *_mark(),
    ]
    put: list[Item] = []
    for k in range(50):
        put += [*_tokens(f"Paragraph {k} says something else entirely, about towers. ", ins=REV), *_mark()]
        if k == 20:
            put += [*_tokens("Connectivity costs remain high in the landlocked countries. ", ins=REV), *_mark()]
        if k == 30:
            put += [*_tokens("ΟΙ ΧΩΡΕΣ ΤΗΣ ΠΕΡΙΟΧΗΣ ΕΠΕΝΔΥΟΥΝ ΣΤΑ ΔΙΚΤΥΑ ΤΟΥΣ ΣΗΜΕΡΑ ΑΡΚΕΤΑ. ", ins=REV), *_mark()]
    tested = _texts(sentence_moves([taken, put], REV))
    monkeypatch.setattr("wtpf_cli.attribution.sentence_moves._FEW", 0)
    assert _texts(sentence_moves([taken, put], REV)) == tested
    assert [old.split()[0] for old, _ in tested] == ["Connectivity", "ΟΙ"]
    assert tested[0][1].startswith("Connectivity costs remain high in the landlocked countries.")


def test_finding_sentence_moves_compares_each_sentence_with_a_bounded_number_of_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared = 0
    similarity = moves._similarity

    def counting(a: frozenset[str], b: frozenset[str]) -> float:
        nonlocal compared
        compared += 1
        return similarity(a, b)

    monkeypatch.setattr(moves, "_similarity", counting)
    words = [f"w{k}" for k in range(400)]
    for n in (200, 800):  # n sentences taken out, n others put in, all alike in length and in common words
        compared = 0
        taken: list[Item] = []
        put: list[Item] = []
        for k in range(n):
            common = " ".join(words[k % 50 : k % 50 + 8])
            taken += [*_tokens(f"Para {k} stays. "), *_tokens(f"A {common} x{k} end. ", dele=REV), *_mark()]
            put += [*_tokens(f"Para {k} stays. "), *_tokens(f"A {common} y{k} end.", ins=REV), *_mark()]
        started = time.process_time()
        sentence_moves([taken, put], REV)
        assert compared <= moves.CANDIDATES * n, "at most CANDIDATES comparisons for each sentence put in"
        assert time.process_time() - started < 0.02 * n  # linear: well under a millisecond a sentence


# -- sentences moved together, a whole paragraph, and words inserted since FROM --------------------------------------


def _redline_notation(tmp_path: Path, versions: list[tuple[str, str]], old: str) -> tuple[str, bytes]:
    """The redline from `old` to the last of `versions` ((body, source) committed in turn): its notation, its XML."""
    ws = new_workspace(tmp_path / "ws", old)
    base = ws.history.head()
    assert base is not None
    head = base
    for n, (body, source) in enumerate(versions):
        head = commit_body(ws, body, source, f"2012-05-1{n}T16:05:00Z")
    redline, _ = redline_docx(ws, RedlineRequest(base, head), tmp_path / "r.docx")
    with zipfile.ZipFile(redline.path) as z:
        xml = z.read("word/document.xml")
    return notation([p for p in read_paragraphs(redline.path) if p.style == "BodyText"]), xml


def test_sentences_moved_together_are_one_move(tmp_path: Path) -> None:
    two = "Connectivity costs remain high in landlocked countries. Operators share towers along the borders."
    old = f"2.1. Broadband networks reach most cities. {two}\n\n# 3 IXPs\n\n3.1. IXPs lower costs.\n"
    new = f"2.1. Broadband networks reach most cities.\n\n# 3 IXPs\n\n3.1. IXPs lower costs. {two}\n"
    seen, xml = _redline_notation(tmp_path, [(new, "Brazil")], old)
    assert seen.splitlines() == [
        f"BodyText: 2.1. Broadband networks reach most cities.[< {two}<|Brazil]",
        f"BodyText: 3.1. IXPs lower costs.{{> {two}>|Brazil}}",
    ]
    assert xml.count(b"<w:moveFromRangeStart") == xml.count(b"<w:moveToRangeStart") == 1


def test_a_paragraph_moved_within_one_changed_region_moves_with_its_mark(tmp_path: Path) -> None:
    # 1.2 goes below the list, whose items the same commit changes: one changed region, no paragraph move there
    items = "- Internet exchange points keep local traffic local.\n- Open participation of all stakeholders.\n"
    old = f"1.1. The Forum meets.\n\n1.2. IPv6 adoption remains slow in most regions.\n\n{items}"
    bolded = items.replace("local.", "**local**.")
    new = f"1.1. The Forum meets.\n\n{bolded}\n1.3. IPv6 adoption remains slow in most regions.\n"
    seen, xml = _redline_notation(tmp_path, [(new, "Brazil")], old)
    assert "BodyText: [<1.2. IPv6 adoption remains slow in most regions.<|Brazil][<¶<|Brazil]" in seen.splitlines()
    moved = "{>. IPv6 adoption remains slow in most regions.>|Brazil}{>¶>|Brazil}"
    assert f"BodyText: {{+1.3+|Brazil}}{moved}" in seen.splitlines()
    assert xml.count(b"<w:moveFromRangeStart") == 1


def test_a_sentence_inserted_since_from_and_moved_later_stays_its_inserters(tmp_path: Path) -> None:
    added = "Connectivity costs remain high in landlocked countries."
    old = "2.1. Broadband networks reach most cities.\n\n# 3 IXPs\n\n3.1. IXPs lower costs.\n"
    mid = f"2.1. Broadband networks reach most cities. {added}\n\n# 3 IXPs\n\n3.1. IXPs lower costs.\n"
    new = f"2.1. Broadband networks reach most cities.\n\n# 3 IXPs\n\n3.1. IXPs lower costs. {added}\n"
    seen, xml = _redline_notation(tmp_path, [(mid, "Brazil"), (new, "United States")], old)
    assert seen.splitlines() == [
        "BodyText: 2.1. Broadband networks reach most cities.",
        f"BodyText: 3.1. IXPs lower costs.{{+ {added}+|Brazil}}",
    ]
    assert b"w:moveFrom" not in xml  # in FROM it was nowhere: no move
