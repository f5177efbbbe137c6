"""The Word mapping's faster twin gives what the plain one gives: the base aligned with its source block by block,
the accepted view diffed with the base from its paragraphs, the anchored paragraph diff walked at its stops."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from support.wordmap_reference import _proposal_plain
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.merging._wordmap import paragraph_edits
from wtpf_cli.merging.layout import paragraph_diff
from wtpf_cli.merging.wordmap import _base_paragraphs, proposed_body

WORDS = st.sampled_from(["alpha", "beta", "gamma", "the", "ITU", "Member", "States", "1.2", "don't", "e-mail"])
INLINE = st.lists(
    st.one_of(WORDS, st.sampled_from(["*stress*", "**Bold**", "`code`", "[link](u)", ", ", ".", "[^n1]", "[^n2]"])),
    min_size=1,
    max_size=7,
).map(" ".join)
BLOCK = st.one_of(
    INLINE,
    INLINE.map(lambda t: f"# {t}"),
    INLINE.map(lambda t: f"1.2. {t}"),
    st.lists(INLINE, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.tuples(INLINE, INLINE).map(lambda r: f"| Head | Other |\n|---|---|\n| {r[0]} | {r[1]} |"),
    st.just("alpha beta"),  # repeated paragraphs: no anchor for the patience diff
)
FRONT = st.sampled_from(["", "---\ntitle: The Report\nsymbol: WTPF-IEG/1/2\n---\n"])
NOTES = "\n\n[^n1]: A note with *stress*.\n\n[^n2]: alpha beta\n"

# An edit of a list of paragraph texts: (kind, where, what).
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["word", "insert", "delete", "duplicate", "swap", "blank", "break", "lead"]),
        st.integers(min_value=0, max_value=40),
        WORDS,
    ),
    max_size=6,
)


def _edited(paras: list[str], edits: list[tuple[str, int, str]]) -> list[str]:
    out = list(paras)
    for kind, where, word in edits:
        k = where % (len(out) + 1)
        if kind == "insert" or not out:
            out.insert(k, f"{word} new paragraph")
            continue
        k = min(k, len(out) - 1)
        if kind == "word":
            words = out[k].split(" ")
            words[where % len(words)] = word
            out[k] = " ".join(words)
        elif kind == "delete":
            del out[k]
        elif kind == "duplicate":
            out.insert(k, out[k])
        elif kind == "swap":
            j = (k + 3) % len(out)
            out[k], out[j] = out[j], out[k]  # a move: the patience anchors cross
        elif kind == "blank":
            out.insert(k, "  ")
        elif kind == "break":
            out[k] = f"{out[k]}\n\n{word}"  # a blank line inside a Word paragraph (two line breaks)
        else:
            out[k] = f"\n{word} {out[k]} "
    return out


@settings(max_examples=300, deadline=None)
@given(FRONT, st.lists(BLOCK, min_size=1, max_size=10), st.booleans(), EDITS, EDITS, EDITS)
def test_the_fast_word_mapping_proposes_what_the_plain_one_proposes(
    front: str,
    blocks: list[str],
    with_notes: bool,
    accepted: list[tuple[str, int, str]],
    untracked: list[tuple[str, int, str]],
    in_notes: list[tuple[str, int, str]],
) -> None:
    base_source = front + "\n\n".join(blocks) + (NOTES if with_notes else "\n")
    body, notes, _cover = _base_paragraphs(read_draft(base_source))
    reject = _edited(body, untracked)
    accept = _edited(reject, accepted)
    accept_notes = _edited(notes, in_notes)
    assert proposed_body(base_source, accept, reject, accept_notes) == _proposal_plain(
        base_source, accept, reject, accept_notes
    )


KEYS = st.lists(st.sampled_from("abcdefghij"), max_size=30)


@settings(max_examples=500, deadline=None)
@given(KEYS, st.lists(st.tuples(st.integers(0, 30), st.sampled_from("abcdefghijk")), max_size=4))
def test_the_paragraph_diff_walked_at_its_stops_is_the_anchored_one(
    a: list[str], changes: list[tuple[int, str]]
) -> None:
    b = list(a)
    for where, key in changes:
        b.insert(where % (len(b) + 1), key)
    counts = {k: a.count(k) for k in a}
    places = [i for i, k in enumerate(a) if counts[k] == 1]
    anchors = (places, [a[i] for i in places])
    assert paragraph_edits(a, anchors, b) == paragraph_diff(a, b)
    assert paragraph_edits(a, anchors, b[::-1]) == paragraph_diff(a, b[::-1])
