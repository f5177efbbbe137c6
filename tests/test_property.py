"""Property: random drafts, random edit sequences by random sources -> accept = last, reject = first, and every
inserted or deleted word carries the source of the commit that made that change."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.ooxml_view import read_paragraphs, revisions, view
from support.workspaces import commit_body, new_workspace
from wtpf_cli.attribution.redline import RedlineRequest
from wtpf_cli.render.documents import redline_docx

SOURCES = ["Brazil", "ARIN", "Internet Society", "United States", "Russian Federation", "ITU Secretariat"]
COVER = {"CoverSymbol", "CoverMeta", "Title", "Subtitle"}
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@dataclass
class Block:
    kind: str  # "p", "h", "li", "table"
    words: list[str] = field(default_factory=list)
    rows: list[list[list[str]]] = field(default_factory=list)


@dataclass
class Model:
    blocks: list[Block]
    counter: int = 0
    inserted_by: dict[str, str] = field(default_factory=dict)
    deleted_by: dict[str, str] = field(default_factory=dict)

    def new_word(self, source: str) -> str:
        self.counter += 1
        w = f"n{self.counter}x"
        self.inserted_by[w] = source
        return w

    def drop(self, word: str, source: str) -> None:
        if word in self.inserted_by:
            del self.inserted_by[word]  # inserted after FROM and deleted again: in neither version
        else:
            self.deleted_by[word] = source

    def markdown(self) -> str:
        parts = []
        for b in self.blocks:
            if b.kind == "p":
                parts.append(" ".join(b.words))
            elif b.kind == "h":
                parts.append("## " + " ".join(b.words))
            elif b.kind == "li":
                parts.append("- " + " ".join(b.words))
            else:
                lines = ["| " + " | ".join(" ".join(c) for c in b.rows[0]) + " |", "|---|---|"]
                lines += ["| " + " | ".join(" ".join(c) for c in r) + " |" for r in b.rows[1:]]
                parts.append("\n".join(lines))
        return "\n\n".join(parts) + "\n"

    def texts(self) -> list[str]:
        out = []
        for b in self.blocks:
            if b.kind == "table":
                out += [" ".join(c) for r in b.rows for c in r if c]
            elif b.words:
                out.append(" ".join(b.words))
        return out


def snapshot(m: Model) -> Model:
    blocks = [Block(b.kind, list(b.words), [[list(c) for c in r] for r in b.rows]) for b in m.blocks]
    return Model(blocks, m.counter, dict(m.inserted_by), dict(m.deleted_by))


@st.composite
def base_model(draw: st.DrawFn) -> Model:
    n = 0

    def words(k: int) -> list[str]:
        nonlocal n
        out = []
        for _ in range(k):
            n += 1
            out.append(f"b{n}")
        return out

    blocks = []
    for _ in range(draw(st.integers(2, 7))):
        kind = draw(st.sampled_from(["p", "p", "p", "h", "li", "table"]))
        if kind == "table":
            rows = [[words(1), words(1)] for _ in range(draw(st.integers(2, 4)))]
            blocks.append(Block("table", rows=rows))
        else:
            blocks.append(Block(kind, words(draw(st.integers(1, 8)))))
    return Model(blocks)


def edit(draw: st.DrawFn, m: Model, source: str) -> None:
    """Apply one random edit to the model as `source`."""
    flows = [i for i, b in enumerate(m.blocks) if b.kind != "table"]
    tables = [i for i, b in enumerate(m.blocks) if b.kind == "table"]
    op = draw(st.sampled_from(["replace", "delete", "insert", "new_para", "del_para", "split", "merge", "cell", "row"]))
    if op in ("replace", "delete", "insert", "split") and flows:
        b = m.blocks[draw(st.sampled_from(flows))]
        i = draw(st.integers(0, len(b.words) - 1))
        if op == "replace":
            m.drop(b.words[i], source)
            b.words[i] = m.new_word(source)
        elif op == "delete" and len(b.words) > 1:
            m.drop(b.words.pop(i), source)
        elif op == "insert":
            b.words[i:i] = [m.new_word(source) for _ in range(draw(st.integers(1, 3)))]
        elif op == "split" and b.kind == "p" and i > 0:
            k = m.blocks.index(b)
            m.blocks.insert(k + 1, Block("p", b.words[i:]))
            del b.words[i:]
    elif op == "new_para":
        k = draw(st.integers(0, len(m.blocks)))
        kind = draw(st.sampled_from(["p", "li", "h"]))
        m.blocks.insert(k, Block(kind, [m.new_word(source) for _ in range(draw(st.integers(1, 4)))]))
    elif op == "del_para" and len(m.blocks) > 1:
        b = m.blocks.pop(draw(st.integers(0, len(m.blocks) - 1)))
        for w in b.words + [w for r in b.rows for c in r for w in c]:
            m.drop(w, source)
    elif op == "merge":
        pairs = [i for i in range(len(m.blocks) - 1) if m.blocks[i].kind == "p" and m.blocks[i + 1].kind == "p"]
        if pairs:
            i = draw(st.sampled_from(pairs))
            m.blocks[i].words += m.blocks.pop(i + 1).words
    elif op == "cell" and tables:
        t = m.blocks[draw(st.sampled_from(tables))]
        r = draw(st.integers(0, len(t.rows) - 1))
        c = draw(st.integers(0, 1))
        for w in t.rows[r][c]:
            m.drop(w, source)
        t.rows[r][c] = [m.new_word(source)]
    elif op == "row" and tables:
        t = m.blocks[draw(st.sampled_from(tables))]
        r = draw(st.integers(1, len(t.rows)))
        if draw(st.booleans()) or len(t.rows) < 3:
            t.rows.insert(r, [[m.new_word(source)], [m.new_word(source)]])
        else:
            for c in t.rows.pop(r - 1 if r > 1 else 1):
                for w in c:
                    m.drop(w, source)


@st.composite
def histories(draw: st.DrawFn) -> tuple[Model, list[tuple[str, Model]]]:
    base = draw(base_model())
    cur = snapshot(base)
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        source = draw(st.sampled_from(SOURCES))
        for _ in range(draw(st.integers(1, 4))):
            edit(draw, cur, source)
        steps.append((source, snapshot(cur)))
    return base, steps


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_random_histories_accept_to_the_last_reject_to_the_first_with_true_authors(
    history: tuple[Model, list[tuple[str, Model]]],
) -> None:
    base, steps = history
    with tempfile.TemporaryDirectory() as tmp:
        ws = new_workspace(Path(tmp) / "ws", base.markdown())
        first = ws.history.head()
        assert first is not None
        previous = base.markdown()
        for n, (source, model) in enumerate(steps, 1):
            if model.markdown() != previous:  # an edit that changed nothing makes no commit
                commit_body(ws, model.markdown(), source, f"2012-0{n}-15T10:00:00Z")
            previous = model.markdown()
        written, _ = redline_docx(ws, RedlineRequest(first), Path(tmp) / "r.docx")
        paras = [p for p in read_paragraphs(written.path) if p.style not in COVER]
        last = steps[-1][1]
        assert view(paras, "accept") == last.texts()
        assert view(paras, "reject") == base.texts()
        marked = [(s.kind, word, s.author, s.date) for p in paras for s in p.segments for word in s.text.split()]
        alive = {w for text in last.texts() for w in text.split()}
        for kind, word, author, date in marked:
            # A word of FROM may be shown deleted and re-inserted by one commit (same author and date) that
            # moved it, e.g. a paragraph number that goes with its otherwise deleted paragraph.
            moved = (
                word in alive
                and word not in last.inserted_by
                and {("ins", word, author, date), ("del", word, author, date)} <= set(marked)
            )
            if kind == "ins":
                assert last.inserted_by.get(word) == author or moved, (word, author)
            elif kind == "del":
                assert last.deleted_by.get(word) == author or moved, (word, author)
        for rev in revisions(written.path):
            assert DATE_RE.match(rev.date), rev
            assert rev.author in SOURCES
