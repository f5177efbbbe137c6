"""The attribution's shortcuts give what the plain paths give: a diff of the changed middle only, widened; a region
diffed in a window; small diffs without the bisection; block diffs coded once per object."""

from __future__ import annotations

from itertools import pairwise

from diff_match_patch import diff_match_patch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wtpf_cli.attribution._window import window_edits
from wtpf_cli.attribution.attributor import _whole_edits
from wtpf_cli.attribution.items import block_items, block_keys, block_payload
from wtpf_cli.diff._chained import ChainDiffer
from wtpf_cli.diff._diff_main import diff_codes
from wtpf_cli.diff._windowed import diff_inner, widen
from wtpf_cli.diff.sequences import Edit, diff_sequences
from wtpf_cli.model import Paragraph, ParaProps, Token

RANK = {"a": 0, "b": 0, "c": 0, "d": 0, "\u00b6": 1, "\n": 1, " ": 2, "  ": 2}
WORDS = st.sampled_from(["a", "b", "c", "d"])
ITEMS = st.lists(st.sampled_from(sorted(RANK)), max_size=14)


def _ranks(xs: list[str]) -> list[int]:
    return [RANK[x] for x in xs]


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(RANK)), max_size=10),
    WORDS,
    ITEMS,
    ITEMS,
    WORDS,
    st.lists(st.sampled_from(sorted(RANK)), max_size=10),
    st.booleans(),
    st.booleans(),
)
# An insertion that starts with the words after it: shifted over them when they end the sequence, not otherwise.
@example([], "a", ["b", "c", "d"], ["a", "c", "d", "b", "d"], "c", [], False, True)
def test_a_middle_diffed_alone_and_widened_is_the_diff_of_the_whole(
    head: list[str],
    last_head_word: str,
    a: list[str],
    b: list[str],
    first_tail_word: str,
    tail: list[str],
    before: bool,
    after: bool,
) -> None:
    prefix = [*head, last_head_word] if before else []
    suffix = [first_tail_word, *tail] if after else []
    whole_a, whole_b = prefix + a + suffix, prefix + b + suffix
    ranks = (_ranks(whole_a), _ranks(whole_b))
    top = max([*ranks[0], *ranks[1], 0])
    expected = diff_sequences(whole_a, whole_b, ranks=ranks)
    inner = diff_inner(a, b, (_ranks(a), _ranks(b)), top, before=before, after=after)
    if inner is not None:
        assert widen(inner, len(prefix), len(suffix)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=6), ITEMS, ITEMS)
def test_a_middle_with_enough_common_words_around_the_change_is_diffed_alone(
    common: list[str], a: list[str], b: list[str]
) -> None:
    margin = ["x", " ", "y", " ", "z", " "] * 6  # distinct words, more than any edit here can hold
    inner_a, inner_b = ["w", *margin, *a, *margin, "v"], ["w", *margin, *b, *margin, "v"]
    rank = {**RANK, "x": 0, "y": 0, "z": 0, "w": 0, "v": 0}
    ra, rb = [rank[x] for x in inner_a], [rank[x] for x in inner_b]
    inner = diff_inner(inner_a, inner_b, (ra, rb), 2, before=True, after=True)
    assert inner is not None
    whole_a, whole_b = [*common, *inner_a, *common], [*common, *inner_b, *common]
    ranks = ([rank[x] for x in whole_a], [rank[x] for x in whole_b])
    assert widen(inner, len(common), len(common)) == diff_sequences(whole_a, whole_b, ranks=ranks)


CODES = st.text(alphabet="abcdef", max_size=12)


@settings(max_examples=1500, deadline=None)
@given(CODES, CODES, CODES, CODES)
def test_small_diffs_built_without_the_bisection_are_those_of_diff_match_patch(
    head: str, a: str, b: str, tail: str
) -> None:
    stock = diff_match_patch()
    stock.Diff_Timeout = 0
    for x, y in ((a, b), (head + a + tail, head + b + tail), (head + a, b + tail), (a.upper() + b, b + a)):
        assert diff_codes(x, y) == stock.diff_main(x, y, False)


@settings(max_examples=1500, deadline=None)
@given(
    st.text(alphabet="abcdefghijklmnopqrstuvw", max_size=30),
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from("XYZxyz"))),
)
def test_versions_that_change_only_characters_of_their_own_are_diffed_as_diff_match_patch_does(
    base: str, changes: list[tuple[int, str]]
) -> None:
    """Upper case: replaced by a character new to the second text; lower case: a new one inserted, or (y, z) the
    character deleted; what the texts share stays in order (the block diff of two versions, most often)."""
    stock = diff_match_patch()
    stock.Diff_Timeout = 0
    new = list(base)
    fresh = iter(chr(0x100 + n) for n in range(100))
    for at, kind in changes:
        k = min(at, len(new))
        if kind in "XYZ" and k < len(new):
            new[k] = next(fresh)
        elif kind == "x" or k >= len(new):
            new.insert(k, next(fresh))
        else:
            del new[k]
    y = "".join(new)
    long = "".join(chr(0x400 + n) for n in range(300))  # long texts: runs found by a regular expression
    for x, z in ((base, y), (y, base), (base + long + base, y + long + y)):
        assert diff_codes(x, z) == stock.diff_main(x, z, False)


class _Block:
    """An item equal to others of the same value, but a distinct object (as a re-parsed paragraph is)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Block) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value) % 3  # collisions on purpose


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from("abcdef"), st.booleans()), max_size=15), min_size=1, max_size=6))
def test_each_version_diffed_with_the_one_before_by_codes_kept_across_versions_gives_diff_sequences(
    versions: list[list[tuple[str, bool]]],
) -> None:
    shared = {v: _Block(v) for v in "abcdef"}  # the same object wherever a version reuses it
    chain = [[shared[v] if reuse else _Block(v) for v, reuse in version] for version in versions]
    differ = ChainDiffer(chain[0])
    for before, after in pairwise(chain):
        assert differ.diff_next(after) == diff_sequences(before, after)


@st.composite
def _spliced_chains(draw: st.DrawFn) -> tuple[list[_Block], list[tuple[list[_Block], list[tuple[int, int, int, int]]]]]:
    """A first version and later ones, each made by replacing a few ranges of the one before (with new objects,
    objects found elsewhere in it, or nothing); outside the ranges, the objects of the version before."""
    pool = [_Block(v) for v in "abcdefgh"]
    first = [_Block(f"u{k}") for k in range(draw(st.sampled_from([0, 5, 40, 300])))]
    current = list(first)
    steps = []
    for _ in range(draw(st.integers(1, 5))):
        cuts = sorted(draw(st.lists(st.integers(0, len(current)), min_size=2, max_size=6)))
        splices: list[tuple[int, int, int, int]] = []
        new: list[_Block] = []
        at = 0
        for a0, a1 in zip(cuts[::2], cuts[1::2], strict=False):
            new += current[at:a0]
            b0 = len(new)
            for kind in draw(st.lists(st.sampled_from(["fresh", "pool", "moved"]), max_size=4)):
                if kind == "fresh":
                    new.append(_Block(f"n{draw(st.integers(0, 10**6))}"))
                elif kind == "pool" or not current:
                    new.append(draw(st.sampled_from(pool)))
                else:
                    new.append(current[draw(st.integers(0, len(current) - 1))])
            splices.append((a0, a1, b0, len(new)))
            at = a1
        new += current[at:]
        steps.append((new, splices))
        current = new
    return first, steps


@settings(max_examples=1000, deadline=None)
@given(_spliced_chains())
def test_each_version_diffed_from_the_ranges_that_changed_gives_diff_sequences(
    chain: tuple[list[_Block], list[tuple[list[_Block], list[tuple[int, int, int, int]]]]],
) -> None:
    first, steps = chain
    differ = ChainDiffer(first)
    before = first
    for after, changed in steps:
        assert differ.diff_next(after, changed) == diff_sequences(before, after)
        before = after


def _paragraphs(texts: list[list[str]]) -> list[Paragraph]:
    """Paragraphs of words, each word followed by a space (a line break or two spaces where the word says so)."""
    out = []
    for words in texts:
        tokens: list[Token] = []
        for w in words:
            tokens.append(Token(w.rstrip("/+")))
            tokens.append(Token("\n" if w.endswith("/") else "  " if w.endswith("+") else " "))
        out.append(Paragraph(ParaProps("Normal"), tuple(tokens)))
    return out


def _region_edits(old: list[list[str]], new: list[list[str]]) -> tuple[list[Edit] | None, list[Edit]]:
    """A region's edits found through a window (None where none is taken) and by diffing the whole region."""
    visible = [item for block in _paragraphs(old) for item in block_items(block, None)]
    new_blocks = _paragraphs(new)
    old_keys = [item.key for item in visible]
    new_keys = block_keys(new_blocks)
    return window_edits(old_keys, new_keys), _whole_edits(visible, old_keys, new_keys, block_payload(new_blocks))


CONTEXT = [[f"w{p}x{k}" for k in range(8)] for p in range(4)]  # distinct words: the window can be taken
PARAGRAPH = st.lists(st.sampled_from(["a", "b", "c", "a/", "b+", "w0x7", "w3x0"]), max_size=8)
# Middles of as many paragraphs (most windows are taken there) or of any number.
MIDDLES = st.one_of(
    st.integers(0, 3).flatmap(lambda n: st.tuples(*[st.lists(PARAGRAPH, min_size=n, max_size=n)] * 2)),
    st.tuples(*[st.lists(PARAGRAPH, max_size=3)] * 2),
)


@settings(max_examples=800, deadline=None)
@given(MIDDLES, st.integers(0, 4))
def test_a_region_diffed_in_a_window_around_its_changes_gets_the_edits_of_the_whole_region(
    middles: tuple[list[list[str]], list[list[str]]], cut: int
) -> None:
    old, new = middles
    head, tail = CONTEXT[:cut], CONTEXT[cut:]
    window, whole = _region_edits([*head, *old, *tail], [*head, *new, *tail])
    if window is not None:
        assert window == whole


def test_a_word_changed_in_long_common_context_is_diffed_in_a_window() -> None:
    edited = [["w1x0", "w1x1", "changed", "w1x3", "w1x4", "w1x5", "w1x6", "w1x7"]]
    window, whole = _region_edits(CONTEXT, [CONTEXT[0], *edited, *CONTEXT[2:]])
    assert window is not None and window == whole
    assert [e.op for e in window] == ["equal", "delete", "insert", "equal"]
