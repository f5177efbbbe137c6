"""Merge contributions into the current draft: a three-way word merge of base -> proposal onto base -> current.

Each contribution states what its source proposes as a whole draft (a revised Markdown file, or the accepted
view of its CriticMarkup). Its changes against the version it commented on are re-anchored on the current draft,
which may have moved on. A change whose words another source has changed since that version is kept beside
the current text as a bracketed alternative, in the form

    [[United States: the current words]] [[Brazil: the proposed words]]

(double square brackets, the source's name, a colon), which `wtpf resolve` settles. A change whose context is
gone altogether is listed in the report, never dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain, compress, repeat

from .contributions import Contribution, list_contributions, render_contribution, source_identity
from .diffing import Edit, diff_sequences
from .draft import split_front_matter, split_words
from .errors import InputRejected, UsageError
from .history import Identity
from .transaction import Change
from .workspace import Workspace, decode_text, encode_like, require_clean, uses_crlf, workspace_lock

ALTERNATIVE_RE = re.compile(r"\[\[([^\[\]:]+): ((?:[^\[\]]|\[(?!\[)|\](?!\]))*)\]\]")
_CRITIC_ADD = re.compile(r"\{\+\+(.*?)\+\+\}", re.S)
_CRITIC_DEL = re.compile(r"\{--(.*?)--\}", re.S)
_CRITIC_SUB = re.compile(r"\{~~(.*?)~>(.*?)~~\}", re.S)
_CRITIC_COMMENT = re.compile(r"\{>>(.*?)<<\}", re.S)
_CRITIC_HIGHLIGHT = re.compile(r"\{==(.*?)==\}", re.S)


@dataclass(frozen=True, slots=True)
class Hunk:
    """One change a contribution proposes: base tokens [start, end) become `new`."""

    start: int
    end: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one contribution in a merge."""

    contribution: Contribution
    changes: int
    applied: int
    conflicts: tuple[Hunk, ...]
    unplaced: tuple[Hunk, ...]
    commit: str | None
    status: str
    warnings: tuple[str, ...] = ()


def critic_views(text: str) -> tuple[str, str, list[str]]:
    """(accepted text, rejected text, comments) of a CriticMarkup document."""
    comments = [c.strip() for c in _CRITIC_COMMENT.findall(text)]
    no_comments = _CRITIC_HIGHLIGHT.sub(r"\1", _CRITIC_COMMENT.sub("", text))
    accepted = _CRITIC_SUB.sub(r"\2", _CRITIC_DEL.sub("", _CRITIC_ADD.sub(r"\1", no_comments)))
    rejected = _CRITIC_SUB.sub(r"\1", _CRITIC_DEL.sub(r"\1", _CRITIC_ADD.sub("", no_comments)))
    return accepted, rejected, comments


def _rank(token: Hashable) -> int:
    text = str(token)
    if text.isspace():
        return 1 if "\n" in text else 2
    return 0


def _breaks(tokens: list[str]) -> list[bool]:
    """For each token, whether it is a blank-line separator (whitespace with two line feeds or more); each distinct
    token is tested once (a report has a few hundred thousand tokens but few distinct ones)."""
    seps = {t for t in set(tokens) if t.isspace() and t.count("\n") >= 2}
    return list(map(seps.__contains__, tokens))


def _paragraph_spans(tokens: list[str]) -> list[tuple[int, int]]:
    """Token ranges of paragraphs, each with the blank-line separator that ends it."""
    ends = list(compress(range(1, len(tokens) + 1), _breaks(tokens)))
    if not ends or ends[-1] < len(tokens):
        ends.append(len(tokens))
    return list(zip([0, *ends[:-1]], ends, strict=True)) if tokens else []


@dataclass(frozen=True, slots=True)
class TextLayout:
    """A text as split_words tokens, with the token range and the text of each paragraph (see _paragraph_spans)."""

    tokens: list[str]
    spans: list[tuple[int, int]]
    keys: list[str]


# Two line feeds with only other whitespace between: the core of a blank-line separator token (a whitespace run, \s+
# being maximal in split_words, with two line feeds or more). It starts with a literal, which the regex engine
# searches for quickly; the run around it is then taken whole.
_TWO_LINE_FEEDS = re.compile(r"\n[^\S\n]*\n")
_SPACES = re.compile(r"\s*")


def _paragraph_ends(text: str) -> list[int]:
    """The end of each blank-line separator in text (the end of its whitespace run)."""
    ends: list[int] = []
    for m in _TWO_LINE_FEEDS.finditer(text):
        if ends and m.start() < ends[-1]:
            continue  # inside the run already taken
        rest = _SPACES.match(text, m.end())  # \s* always matches
        ends.append(rest.end() if rest else m.end())
    return ends


@lru_cache(maxsize=8)
def _layout(text: str) -> TextLayout:
    """split_words(text) with its paragraphs, made paragraph by paragraph (tokens never cross a whitespace run), so
    that the paragraphs a merge sees again (the base, the draft's unchanged ones) are not split again."""
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    keys: list[str] = []
    ends = _paragraph_ends(text)
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    pos = 0
    for end in ends:
        if end == pos:  # an empty text
            continue
        key = text[pos:end]
        start = len(tokens)
        tokens.extend(paragraph_tokens(key))
        spans.append((start, len(tokens)))
        keys.append(key)
        pos = end
    return TextLayout(tokens, spans, keys)


@lru_cache(maxsize=8192)
def paragraph_tokens(paragraph: str) -> tuple[str, ...]:
    """split_words of a paragraph, kept for the run: a merge sees most paragraphs many times."""
    return tuple(split_words(paragraph))


def two_level_diff(x: list[str], y: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Edits from x to y: paragraphs matched whole first, then words inside the runs of changed paragraphs
    (so that a repeated word or full stop is never matched across paragraphs)."""
    return _two_level(laid_out(x), laid_out(y))


def laid_out(tokens: list[str]) -> TextLayout:
    """Tokens with their paragraphs, for two_level_diff_of (a text diffed many times is laid out once)."""
    spans = _paragraph_spans(tokens)
    return TextLayout(tokens, spans, ["".join(tokens[a:b]) for a, b in spans])


def two_level_diff_of(x: TextLayout, y: TextLayout) -> list[tuple[str, int, int, int, int]]:
    """two_level_diff of laid-out tokens."""
    return _two_level(x, y)


def _two_level(tx: TextLayout, ty: TextLayout) -> list[tuple[str, int, int, int, int]]:
    """two_level_diff of two laid-out texts."""
    x, px, kx, y, py, ky = tx.tokens, tx.spans, tx.keys, ty.tokens, ty.spans, ty.keys
    out: list[tuple[str, int, int, int, int]] = []
    for e in paragraph_diff(kx, ky):
        xa = px[e.a0][0] if e.a0 < len(px) else len(x)
        xb = px[e.a1 - 1][1] if e.a1 > e.a0 else xa
        ya = py[e.b0][0] if e.b0 < len(py) else len(y)
        yb = py[e.b1 - 1][1] if e.b1 > e.b0 else ya
        if e.op == "equal":
            out.append(("equal", xa, xb, ya, yb))
            continue
        out.append(("change", xa, xb, ya, yb))
    # Refine each change (a run of changed paragraphs, possibly next to a pure insertion) word by word.
    refined: list[tuple[str, int, int, int, int]] = []
    k = 0
    while k < len(out):
        op, xa, xb, ya, yb = out[k]
        if op == "equal":
            refined.append(out[k])
            k += 1
            continue
        while k + 1 < len(out) and out[k + 1][0] == "change":
            k += 1
            xb, yb = out[k][2], out[k][4]
        for e in _word_diff(tuple(x[xa:xb]), tuple(y[ya:yb])):
            refined.append((e.op, xa + e.a0, xa + e.a1, ya + e.b0, ya + e.b1))
        k += 1
    return refined


@lru_cache(maxsize=8192)
def _word_diff(x: tuple[str, ...], y: tuple[str, ...]) -> tuple[Edit, ...]:
    """The word diff of two runs of paragraphs. Kept for the run: in a merge, the paragraphs that the draft has
    changed since the base are diffed again for every contribution (Edits are frozen, so sharing them is safe)."""
    return tuple(diff_sequences(x, y, rank=_rank))


def paragraph_diff(kx: list[str], ky: list[str]) -> list[Edit]:
    """diff_sequences(kx, ky), cut first at the paragraphs that occur once on each side, in the same order (the
    anchors of a patience diff), so that only the stretches between them are diffed: one diff of the whole
    report's paragraphs costs O(N x D) in diff-match-patch's pure-Python bisection, and D grows with every
    contribution merged."""
    once_x = {k for k, n in Counter(kx).items() if n == 1}
    counts_y = Counter(ky)
    at_y = {k: j for j, k in enumerate(ky) if counts_y[k] == 1}
    pairs = [(i, at_y[k]) for i, k in enumerate(kx) if k in at_y and k in once_x]
    edits: list[Edit] = []
    run: list[int] = []  # the equal run being built: a0, b0, length

    def close() -> None:
        if run:
            a0, b0, n = run
            edits.append(Edit("equal", a0, a0 + n, b0, b0 + n))
            run.clear()

    pa = pb = 0
    for i, j in [*_increasing(pairs), (len(kx), len(ky))]:
        if i > pa or j > pb:
            for e in diff_sequences(kx[pa:i], ky[pb:j]):
                a0, b0 = pa + e.a0, pb + e.b0
                if e.op == "equal" and run and run[0] + run[2] == a0 and run[1] + run[2] == b0:
                    run[2] += e.a1 - e.a0
                    continue
                close()
                if e.op == "equal":
                    run.extend((a0, b0, e.a1 - e.a0))
                else:
                    edits.append(Edit(e.op, a0, pa + e.a1, b0, pb + e.b1))
        if i < len(kx):
            if run and run[0] + run[2] == i and run[1] + run[2] == j:
                run[2] += 1
            else:
                close()
                run.extend((i, j, 1))
        pa, pb = i + 1, j + 1
    close()
    return edits


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of `pairs` (in order of their first item) whose second items increase (patience sorting)."""
    tails: list[int] = []  # tails[n]: index in pairs of the run of length n + 1 that ends with the smallest item
    ends: list[int] = []  # that smallest second item, for each tails[n]
    back: list[int] = []
    for n, (_i, j) in enumerate(pairs):
        k = bisect_left(ends, j)
        back.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(n)
            ends.append(j)
        else:
            tails[k] = n
            ends[k] = j
    out: list[tuple[int, int]] = []
    n = tails[-1] if tails else -1
    while n >= 0:
        out.append(pairs[n])
        n = back[n]
    return out[::-1]


def proposal_hunks(base: list[str], proposal: list[str]) -> list[Hunk]:
    """The changes from base to proposal, as replaced token ranges of the base."""
    return _hunks_of(base, proposal, two_level_diff(base, proposal))


def _hunks_of(base: list[str], proposal: list[str], edits: list[tuple[str, int, int, int, int]]) -> list[Hunk]:
    """proposal_hunks from the two_level_diff `edits` of base and proposal."""
    hunks: list[Hunk] = []
    pending: list[tuple[int, int, int, int]] = []

    def close() -> None:
        if pending:
            a0, b0 = pending[0][0], pending[0][2]
            a1, b1 = pending[-1][1], pending[-1][3]
            hunks.append(Hunk(a0, a1, "".join(base[a0:a1]), "".join(proposal[b0:b1])))
            pending.clear()

    for op, a0, a1, b0, b1 in edits:
        if op == "equal":
            close()
        else:
            pending.append((a0, a1, b0, b1))
    close()
    return hunks


def merge_text(
    base: str, current: str, proposal: str, source: str, current_label: Callable[[int], str]
) -> tuple[str, int, list[Hunk], list[Hunk]]:
    """Apply base->proposal onto current. Returns (merged text, applied, conflicts, unplaced)."""
    tb, tc, tp = _layout(base), _layout(current), _layout(proposal)
    b, c, p = tb.tokens, tc.tokens, tp.tokens
    hunks = _hunks_of(b, p, _two_level(tb, tp))
    to_c = _RunMap()
    # Paragraph number of each base token (the number of separators before it).
    paragraph_of = list(chain.from_iterable(repeat(n, end - start) for n, (start, end) in enumerate(tb.spans)))
    surviving: set[int] = set()  # paragraphs of the base with a token still in the draft
    for op, a0, a1, b0, _b1 in _two_level(tb, tc):
        if op == "equal":
            to_c.add(a0, a1, b0)
            if a1 > a0:
                surviving.update(range(paragraph_of[a0], paragraph_of[a1 - 1] + 1))
    edits: list[tuple[int, int, str]] = []  # (start, end) in current tokens, replacement text
    applied = 0
    conflicts: list[Hunk] = []
    unplaced: list[Hunk] = []
    n = 0
    while n < len(hunks):
        h = hunks[n]
        n += 1
        placed = _place(h, to_c, len(b), len(c))
        if placed is not None:
            edits.append((placed[0], placed[1], h.new))
            applied += 1
            continue
        # Another source changed these words since the base: both versions stay, bracketed, between the
        # nearest words of the base that still stand (kl, kr); later changes of this contribution inside that
        # stretch go into the same bracket.
        kl = next((k for k in range(h.start - 1, -1, -1) if k in to_c), -1)
        kr = next((k for k in range(h.end, len(b)) if k in to_c), len(b))
        group = [h]
        while n < len(hunks) and hunks[n].start < kr:
            group.append(hunks[n])
            kr = max(kr, next((k for k in range(hunks[n].end, len(b)) if k in to_c), len(b)))
            n += 1
        left = to_c[kl] + 1 if kl >= 0 else 0
        right = to_c[kr] if kr < len(b) else len(c)
        touched = {paragraph_of[k] for g in group for k in range(max(g.start - 1, 0), min(g.end + 1, len(b)))}
        overlaps = any(lo < right and left < hi for lo, hi, _ in edits)
        if left > right or overlaps or not (touched & surviving):
            unplaced.extend(group)  # the context is gone: reported, never dropped
            continue
        current_text = "".join(c[left:right])
        core = current_text.strip()
        ws_left = current_text[: len(current_text) - len(current_text.lstrip())]
        ws_right = current_text[len(current_text.rstrip()) :] if core else ""
        proposed = _proposed_span(b, group, kl + 1, kr).strip() or "(delete)"
        label = current_label(left)
        edits.append((left, right, f"{ws_left}[[{label}: {core or '(nothing)'}]] [[{source}: {proposed}]]{ws_right}"))
        conflicts.extend(group)
    out: list[str] = []
    pos = 0
    for lo, hi, text in sorted(edits, key=lambda e: (e[0], e[1])):
        if lo < pos:
            continue
        out.extend(c[pos:lo])
        out.append(text)
        pos = hi
    out.extend(c[pos:])
    return "".join(out), applied, conflicts, unplaced


def _proposed_span(base: list[str], hunks: list[Hunk], start: int, end: int) -> str:
    """The proposal's text for base tokens [start, end): the base with these hunks applied."""
    out: list[str] = []
    k = start
    for h in hunks:
        out.extend(base[k : h.start])
        out.append(h.new)
        k = max(k, h.end)
    out.extend(base[k:end])
    return "".join(out)


class _RunMap:
    """Base token -> current token, over the equal runs of their diff (added in order): a dict of every token of
    the report cost more than the rest of a contribution's placement."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.targets: list[int] = []

    def add(self, a0: int, a1: int, b0: int) -> None:
        """Base tokens [a0, a1) are current tokens from b0 on."""
        if a1 > a0:
            self.starts.append(a0)
            self.ends.append(a1)
            self.targets.append(b0)

    def get(self, k: int) -> int | None:
        """The current token of base token k, or None."""
        i = bisect_right(self.starts, k) - 1
        return self.targets[i] + k - self.starts[i] if i >= 0 and k < self.ends[i] else None

    def __contains__(self, k: int) -> bool:
        return self.get(k) is not None

    def __getitem__(self, k: int) -> int:
        found = self.get(k)
        if found is None:
            raise KeyError(k)
        return found


def _place(h: Hunk, to_c: _RunMap, len_b: int, len_c: int) -> tuple[int, int] | None:
    """Where a change applies cleanly in the current text: its words unchanged there, nothing inserted among
    them or at an insertion point; None when another source has touched them."""
    before = to_c.get(h.start - 1) if h.start > 0 else -1
    after = to_c.get(h.end) if h.end < len_b else len_c
    if before is None or after is None:
        return None
    inside = [to_c.get(k) for k in range(h.start, h.end)]
    if any(x is None for x in inside):
        return None
    lo, hi = before + 1, after
    if hi - lo != h.end - h.start:  # something was inserted among or beside these words
        return None
    return lo, hi


@dataclass(frozen=True, slots=True)
class Proposal:
    """The whole draft a contribution proposes (Markdown body), what the reading noticed, and the names of the
    individual reviewers found in the file (kept as detail: the source is the contribution's)."""

    body: str
    warnings: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()


def proposal_of(ws: Workspace, c: Contribution, base_text: str) -> Proposal:
    """The whole draft a contribution proposes."""
    path = ws.root / "contributions" / c.id / c.file
    data = path.read_bytes()
    if c.kind == "revised-draft":
        return Proposal(split_front_matter(decode_text(data, str(path)), path=str(path)).body)
    if c.kind == "criticmarkup":
        accepted, _rejected, _comments = critic_views(decode_text(data, str(path)))
        return Proposal(split_front_matter(accepted, path=str(path)).body)
    if c.kind == "word-revisions":
        from .wordmap import word_proposal

        found = word_proposal(path, base_text)
        return Proposal(found.body, found.warnings, found.reviewers)
    raise InputRejected(f"a {c.kind} contribution has no edits to merge", path=str(path))


def merge_contributions(
    ws: Workspace,
    ids: list[str] | None = None,
    *,
    stop_on_conflict: bool = False,
    progress: Callable[[Contribution], None] | None = None,
) -> list[Outcome]:
    """Apply pending contributions in order of receipt, one commit each, authored by the source."""
    outcomes: list[Outcome] = []
    with workspace_lock(ws):
        require_clean(ws, "merge")
        # Every contribution's commit is made on the last (as objects); the draft, the records and the branch
        # then move once, so that an interrupted merge leaves all of them as before or all merged.
        change = Change.start(ws.history, "merge")
        raw = ws.draft_path.read_bytes()
        draft = decode_text(raw, str(ws.draft_path))
        if uses_crlf(raw):  # merged on LF text (as proposals come); written back with CRLF by encode_like
            draft = draft.replace("\r\n", "\n")
        pending = [c for c in list_contributions(ws) if c.status == "pending"]
        blames = _Blames()
        if ids:
            wanted = set(ids)
            pending = [c for c in pending if c.id in wanted or c.symbol in wanted]
            missing = wanted - {c.id for c in pending} - {c.symbol for c in pending}
            if missing:
                raise UsageError(f"not pending or unknown: {', '.join(sorted(missing))}")
        for c in pending:
            if progress:
                progress(c)
            if c.kind not in ("revised-draft", "criticmarkup", "word-revisions"):
                outcomes.append(Outcome(c, 0, 0, (), (), None, c.status))
                continue
            outcome, draft = _merge_one(ws, c, stop_on_conflict, change, draft, raw, blames)
            outcomes.append(outcome)
        change.apply()
    return outcomes


@dataclass
class _Blames:
    """The blame of the draft at the last commit it was read for: the merge's commits form a straight line, so the
    blame at a later one is that of the commits since (one `git blame` of the whole history per merge run, not
    per contribution)."""

    sha: str | None = None
    lines: list[Identity] = field(default_factory=list)

    def at(self, ws: Workspace, sha: str, path: str) -> list[Identity]:
        """blame_authors(sha, path), sha being this commit or one after it."""
        if sha != self.sha:
            h, since = ws.history, self.sha
            self.lines = h.blame_authors_since(sha, path, since, self.lines) if since else h.blame_authors(sha, path)
            self.sha = sha
        return self.lines


def _merge_one(
    ws: Workspace,
    c: Contribution,
    stop_on_conflict: bool,
    change: Change,
    current_full: str,
    raw: bytes,
    blames: _Blames,
) -> tuple[Outcome, str]:
    """Merge one contribution onto `current_full` (the draft at the change's tip) as a commit of `change`."""
    path = ws.draft_repo_path
    base_full = decode_text(ws.history.read_file(c.on_commit, path) or b"", f"{path}@{c.on_commit[:10]}")
    crlf = uses_crlf(raw)
    base_full = base_full.replace("\r\n", "\n") if crlf else base_full
    base = split_front_matter(base_full).body
    parts = split_front_matter(current_full)
    head_body = current_full[len(current_full) - len(parts.body) :] if parts.body else ""
    front = current_full[: len(current_full) - len(head_body)]
    offer = proposal_of(ws, c, base_full)
    proposal = offer.body.replace("\r\n", "\n") if crlf else offer.body
    head = change.tip
    blame: list[Identity] | None = None  # read at the first label: a contribution without conflicts needs none
    body_tokens = _layout(parts.body).tokens  # as merge_text splits it (cached)
    front_lines = front.count("\n")

    def label(pos: int) -> str:
        """The source of the current words at token `pos`: who last changed that line."""
        nonlocal blame
        if blame is None:
            blame = blames.at(ws, head, path) if head else []
        line = front_lines + "".join(body_tokens[:pos]).count("\n")
        who = blame[line] if 0 <= line < len(blame) else None
        return ws.source_of(who) if who and who.name else ws.config.secretariat

    merged, applied, conflicts, unplaced = merge_text(base, parts.body, proposal, c.source, label)
    changes = applied + len(conflicts) + len(unplaced)
    if changes == 0:
        status = "merged"
    elif conflicts and stop_on_conflict:
        return Outcome(c, changes, 0, tuple(conflicts), tuple(unplaced), None, "pending", offer.warnings), current_full
    elif unplaced:
        status = "partly-merged"
    elif conflicts:
        status = "in-brackets"
    else:
        status = "merged"
    updated = replace(c, status=status, changes=changes, applied=applied)
    new_full = front + merged
    trailer = f"\n\nWtpf-Contribution: {c.id}\nWtpf-Merged: {c.id}" + (f"\nWtpf-Symbol: {c.symbol}" if c.symbol else "")
    what = f"{c.symbol} " if c.symbol else ""
    sha = change.commit(
        {
            path: encode_like(new_full, raw),
            ws.repo_path(f"contributions/{c.id}/contribution.toml"): render_contribution(updated).encode(),
        },
        f"Merge {what}from {c.source}: {applied} of {changes} changes applied"
        + (f", {len(conflicts)} in brackets" if conflicts else "")
        + trailer,
        source_identity(ws, c.source),
        ws.tool_identity(),
        f"{c.received}T12:00:00Z",
    )
    outcome = Outcome(updated, changes, applied, tuple(conflicts), tuple(unplaced), sha, status, offer.warnings)
    return outcome, new_full
