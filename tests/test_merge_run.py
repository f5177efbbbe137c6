"""What a merge run carries from one contribution to the next: the base map of the draft moved by the edits just
made (not a fresh diff of base -> draft), the blame of the draft followed through those edits (not a git blame per
contribution), and token positions found from the paragraphs (not by joining the text before them)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.merge_reference import proposal_hunks
from wtpf_cli.markdown.tokens import split_words
from wtpf_cli.merging.layout import text_layout
from wtpf_cli.merging.run import _lines_after, _Positions
from wtpf_cli.merging.threeway import BaseMap, _edited_layout, _hunks_against, merge_text, three_way_merge
from wtpf_cli.store.git import Identity

WORDS = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", ".", ",", "x-y"]


@st.composite
def paragraphs(draw: st.DrawFn, prefix: str) -> list[list[str]]:
    n = draw(st.integers(1, 5))
    return [[f"{prefix}{k}{draw(st.sampled_from(WORDS))}" for k in range(draw(st.integers(1, 6)))] for _ in range(n)]


def _text(paras: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paras) + "\n"


@st.composite
def edited(draw: st.DrawFn, base: list[list[str]], prefix: str) -> list[list[str]]:
    out = [list(p) for p in base]
    for n in range(draw(st.integers(0, 4))):
        p = draw(st.integers(0, len(out) - 1))
        op = draw(st.sampled_from(["replace", "insert", "delete", "drop", "new"]))
        if op == "drop" and len(out) > 1:
            del out[p]
        elif op == "new":
            out.insert(p, [f"{prefix}{n}n{k}" for k in range(draw(st.integers(1, 3)))])
        elif out[p]:
            i = draw(st.integers(0, len(out[p]) - 1))
            if op == "replace":
                out[p][i] = f"{prefix}{n}r"
            elif op == "insert":
                out[p].insert(i, f"{prefix}{n}i")
            elif op == "delete" and len(out[p]) > 1:
                del out[p][i]
    return out


@st.composite
def runs(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    base = draw(paragraphs("b"))
    current = draw(edited(base, "c"))
    proposals = [_text(draw(edited(base, f"p{k}x"))) for k in range(draw(st.integers(1, 4)))]
    return _text(base), _text(current), proposals


@settings(max_examples=300, deadline=None)
@given(runs())
def test_the_base_map_moved_by_a_merges_edits_maps_each_base_word_to_the_same_word_in_order(
    case: tuple[str, str, list[str]],
) -> None:
    base, draft, proposals = case
    known: BaseMap | None = None
    b = split_words(base)
    for k, proposal in enumerate(proposals):
        done = three_way_merge(base, draft, proposal, f"S{k}", lambda _pos: "Draft", known)
        # Nothing lost: every word a proposal brings is merged, in brackets or reported.
        reported = " ".join(h.new for h in done.unplaced).split()
        flat = done.text.replace("[", " ").replace("]", " ").split()
        assert all(w in flat or w in reported for w in proposal.split() if not w.startswith("b"))
        known = done.to_merged
        assert known is not None  # words separated by spaces always split back into the edits' own words
        merged = split_words(done.text)
        last = -1
        for a0, a1, b0 in zip(known.runs.starts, known.runs.ends, known.runs.targets, strict=True):
            assert a0 < a1 and b0 > last
            assert b[a0:a1] == merged[b0 : b0 + a1 - a0]
            last = b0 + a1 - a0 - 1
        draft = done.text


def test_a_change_to_words_already_in_brackets_is_bracketed_around_the_whole_earlier_bracket() -> None:
    # The draft changed "three"; X then proposed "tres cuatro" for "three four" (a conflict: bracketed). Y proposes
    # "quatre" for "four", which stands only as the draft's alternative in X's bracket: Y's change is not applied
    # inside that alternative (choosing X's would drop it unseen) but bracketed beside the whole bracket.
    base = "one two three four five six seven.\n"
    draft = "one two THREE four five six seven.\n"
    first = three_way_merge(base, draft, "one two tres cuatro five six seven.\n", "X", lambda _pos: "Draft", None)
    assert first.text == "one two [[Draft: THREE four]] [[X: tres cuatro]] five six seven.\n"
    second = three_way_merge(
        base, first.text, "one two three quatre five six seven.\n", "Y", lambda _pos: "X", first.to_merged
    )
    assert second.text == (
        "one two [[X: [[Draft: THREE four]] [[X: tres cuatro]]]] [[Y: three quatre]] five six seven.\n"
    )
    assert (second.applied, len(second.conflicts), len(second.unplaced)) == (0, 1, 0)


def after_a_bracket(base: str, draft: str, first_proposal: str, proposal: str) -> tuple[str, str]:
    """X's proposal merged onto the draft (a bracket), then Y's: the text from the moved base map, and from a fresh
    diff of the base and the bracketed draft."""
    first = three_way_merge(base, draft, first_proposal, "X", lambda _pos: "Draft", None)
    second = three_way_merge(base, first.text, proposal, "Y", lambda _pos: "X", first.to_merged)
    return second.text, merge_text(base, first.text, proposal, "Y", lambda _pos: "X")[0]


def test_a_change_in_another_sentence_than_a_bracket_applies_as_it_would_on_a_fresh_diff() -> None:
    moved, fresh = after_a_bracket(
        "One two three four. Five six seven.\n",
        "One two THREE four. Five six seven.\n",
        "One two tres cuatro. Five six seven.\n",
        "One two three four. Five six SEVEN.\n",
    )
    assert moved == fresh == "One two [[Draft: THREE four]] [[X: tres cuatro]]. Five six SEVEN.\n"


def test_a_change_in_the_sentence_of_a_bracket_is_bracketed_around_it_as_on_a_fresh_diff() -> None:
    moved, fresh = after_a_bracket(
        "one two three four five six seven.\n",
        "one two THREE four five six seven.\n",
        "one two tres cuatro five six seven.\n",
        "one two three four five six SEVEN.\n",
    )
    bracket = "[[X: [[Draft: THREE four]] [[X: tres cuatro]] five six seven]] [[Y: three four five six SEVEN]]"
    assert moved == fresh == f"one two {bracket}.\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", " ", "\n", "\n\n", " \n\n ", ".", "\n\n\n"]), max_size=40).map("".join))
def test_token_positions_from_the_paragraphs_are_those_of_the_text_before_the_token(text: str) -> None:
    layout = text_layout(text)
    at = _Positions(layout)
    for k in range(len(layout.tokens) + 1):
        before = "".join(layout.tokens[:k])
        assert at.char(k) == len(before)
        assert at.line(k) == before.count("\n")


def _git(repo: Path, *args: str, who: str = "Old") -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": who,
        "GIT_AUTHOR_EMAIL": f"{who.lower()}@example.invalid",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def _git_blame(repo: Path) -> list[str]:
    out = _git(repo, "blame", "--line-porcelain", "HEAD", "--", "f.md")
    return [line[len("author ") :] for line in out.splitlines() if line.startswith("author ")]


LINES = st.lists(st.sampled_from(["w", "v u", "", "t", "s r q"]), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_the_blame_followed_through_a_commits_edits_names_the_authors_git_blame_names(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    # Lines with words are unique (as a report's paragraphs nearly always are); git may pair blank lines otherwise,
    # but a label is never read on a blank line (a token never starts one).
    n = data.draw(st.integers(1, 8))
    old = "".join(f"line {k} of the text\n\n" if data.draw(st.booleans()) else f"line {k}\n" for k in range(n))
    if data.draw(st.booleans()):
        old = old.rstrip("\n")
    cuts = sorted(data.draw(st.lists(st.integers(0, len(old)), max_size=6)))
    edits: list[tuple[int, int, str]] = []
    for k in range(0, len(cuts) - 1, 2):
        text = "\n".join(f"{k}{piece}" for piece in data.draw(LINES)) if data.draw(st.booleans()) else ""
        if cuts[k] < cuts[k + 1] or text:
            edits.append((cuts[k], cuts[k + 1], text))
    new, pos = [], 0
    for start, end, text in edits:
        new += [old[pos:start], text]
        pos = end
    new.append(old[pos:])
    new_text = "".join(new)
    repo = tmp_path_factory.mktemp("blame")
    _git(repo, "init", "-q")
    (repo / "f.md").write_text(old)
    _git(repo, "add", "f.md")
    _git(repo, "commit", "-qm", "old", who="Old")
    before = _git_blame(repo)
    (repo / "f.md").write_text(new_text)
    _git(repo, "commit", "-qam", "new", "--allow-empty", who="New")
    expected = _git_blame(repo)
    authors = [Identity(name, "") for name in before]
    got = [who.name for who in _lines_after(old, new_text, edits, authors, Identity("New", ""))]
    assert len(got) == len(expected)
    lines = new_text.split("\n")
    worded = [line.strip() != "" for line in lines[: len(got)]]
    assert [g for g, w in zip(got, worded, strict=True) if w] == [e for e, w in zip(expected, worded, strict=True) if w]


def test_a_last_line_that_loses_its_line_feed_is_the_committers_as_git_blame_says(tmp_path: Path) -> None:
    old = "line 0\nline 1\nline 2 of the text\n\nline 3 of the text\n\n"
    start = old.index("\n\nline 3")
    new_text = old[:start]  # the rest deleted: "line 2 of the text" now ends the file without a line feed
    _git(tmp_path, "init", "-q")
    (tmp_path / "f.md").write_text(old)
    _git(tmp_path, "add", "f.md")
    _git(tmp_path, "commit", "-qm", "old", who="Old")
    (tmp_path / "f.md").write_text(new_text)
    _git(tmp_path, "commit", "-qam", "new", who="New")
    assert _git_blame(tmp_path) == ["Old", "Old", "New"]
    authors = [Identity("Old", "")] * 5
    got = _lines_after(old, new_text, [(start, len(old), "")], authors, Identity("New", ""))
    assert [who.name for who in got] == ["Old", "Old", "New"]


# Pieces where tokens and paragraphs are decided: words, joiners, spaces, line feeds, blank lines of several kinds.
PIECES = ["a", "b7", "a", " ", "\t", "\n", "\n\n", " \n \n ", ".", "'", "-", "\n\n\n", "b7"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(TEXTS, TEXTS)
def test_the_proposals_changes_split_only_where_its_paragraphs_differ_are_those_of_the_whole_two_level_diff(
    base: str, proposal: str
) -> None:
    assert _hunks_against(text_layout(base), proposal) == proposal_hunks(split_words(base), split_words(proposal))


@settings(max_examples=500, deadline=None)
@given(TEXTS, st.data())
def test_a_layout_split_again_only_around_the_edits_is_that_of_the_edited_text(text: str, data: st.DataObject) -> None:
    layout = text_layout(text)
    n = len(layout.tokens)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=6)))
    made = [(cuts[k], cuts[k + 1], data.draw(TEXTS), False) for k in range(0, len(cuts) - 1, 2)]
    out, pos = [], 0
    for lo, hi, new, _kept in made:
        out += [*layout.tokens[pos:lo], new]
        pos = hi
    edited_text = "".join([*out, *layout.tokens[pos:]])
    edited = _edited_layout(layout, made)
    if edited is not None:  # None only where an edit's words join a word beside them (then laid out afresh)
        assert edited[0] == text_layout(edited_text)
        assert [size for _lo, _hi, size in edited[1]] == [len(split_words(new)) for _lo, _hi, new, _kept in made]
