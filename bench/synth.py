"""Synthetic WTPF-style reports and their histories, for the benchmarks.

A report of about N words of plausible-looking Markdown (headings, numbered paragraphs written as text,
bullet and ordered lists, GFM tables, footnotes, bold and italic) is generated deterministically from a
seed, then put through the real CLI: `wtpf init`, the body committed, `wtpf stamp next` (First Draft),
R revisions committed by rotating sources with E scattered edits each, `wtpf stamp next` (Preliminary
Second Draft). Dates and identities are fixed, so the same arguments give the same commits.
With --contributions C, C contributions of --changes E edits each are then registered on the Preliminary Second
Draft (`wtpf contribution add`), half as revised Markdown and half as .docx with tracked changes, for `wtpf merge`.

    python bench/synth.py DIR --words 100000 --commits 20 --edits 50 --seed 1 [--contributions 50 --changes 20]

Words are counted as `wtpf versions` counts them (runs of letters and digits).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TITLE = "Report of the Secretary-General for the fifth World Telecommunication/ICT Policy Forum"
SYMBOL_PREFIX = "WTPF-IEG/1"
SECRETARIAT = "ITU Secretariat"
SECRETARIAT_EMAIL = "itu-secretariat@wtpf.invalid"
SOURCES: tuple[tuple[str, str], ...] = (
    ("Brazil", "wtpf@brazil.example"),
    ("ARIN", "wtpf@arin.example"),
    ("Internet Society", "wtpf@isoc.example"),
    ("United States", "wtpf@us.example"),
    ("Russian Federation", "wtpf@ru.example"),
)
FIRST_DATE = "2012-04-13"
SECOND_DATE = "2012-06-01"
_WORD_RE = re.compile(r"\w+")


def _vocab(text: str, sep: str | None = None) -> tuple[str, ...]:
    """Words (or '|'-separated phrases) of a vocabulary list."""
    return tuple(w.strip() for w in text.split(sep) if w.strip())


# A fixed vocabulary: no downloads, no system dictionary.
NOUNS = _vocab(
    """
Internet network policy administration operator address domain registry resource infrastructure
broadband access forum stakeholder government organization sector member framework principle opinion
contribution report draft resolution council conference secretariat expert group region country
market investment competition interconnection exchange traffic protocol standard deployment
transition capacity training security confidence trust privacy innovation service application
content language script name root zone server cable spectrum tariff cost price consumer user
subscriber provider carrier backbone link route peering transit allocation assignment block pool
stock transfer community process procedure mandate role responsibility cooperation coordination
dialogue consultation review study survey indicator statistic growth development economy society
inclusion divide gap challenge opportunity issue theme measure recommendation guideline
"""
)
ADJECTIVES = _vocab(
    """
international national regional global public private open secure stable reliable affordable
sustainable multilingual internationalized technical economic social legal regulatory competitive
transparent inclusive effective efficient developing least small large new existing remaining
available limited growing rapid uneven significant important essential broad specific relevant
appropriate common shared mobile fixed wireless digital interoperable neutral local rural
"""
)
VERBS = _vocab(
    """
supports|promotes|encourages|requires|describes|considers|recognizes|notes|welcomes|invites|
recommends|addresses|reflects|facilitates|enables|strengthens|improves|extends|reduces|increases|
affects|depends on|contributes to|builds on|draws on|takes into account|reviews|examines|highlights|
underlines|calls for
""",
    "|",
)
ADVERBS = _vocab(
    """
further increasingly generally often still also notably largely rarely
"""
)
PREPOSITIONS = _vocab(
    """
of for in among between within across through under with
"""
)
OPENERS = _vocab(
    """
In this regard,|At the same time,|In many countries,|As noted above,|Moreover,|For this reason,|
In addition,|In practice,|By contrast,|Since 2010,|According to ITU estimates,
""",
    "|",
)
PROPER = _vocab(
    """
ITU|WTPF-2013|IPv6|IPv4|ICANN|IANA|WSIS|the Plenipotentiary Conference|Member States|Sector Members|
the Council|the RIRs|the IETF|the Tunis Agenda
""",
    "|",
)
INDICATORS = _vocab(
    """
Internet users|Mobile-cellular subscriptions|Fixed broadband subscriptions|
Mobile broadband subscriptions|International bandwidth (Gbit/s)|IXPs in operation|IPv6 allocations|
Registered domain names|Households with Internet access|Secure servers
""",
    "|",
)


_CONTRIB_MARK = "# --- contributions (scenario c) "


def _synth_fingerprint(contributions: bool = False) -> str:
    """A short hash of the generator part of this file (or, with `contributions`, of the part that adds
    contributions): cached workspaces are keyed by it, so a change of the generator rebuilds them."""
    import hashlib

    text = Path(__file__).read_text(encoding="utf-8")
    cut = text.index(_CONTRIB_MARK + "-")
    return hashlib.sha256((text[cut:] if contributions else text[:cut]).encode()).hexdigest()[:12]


@dataclass
class Para:
    """A numbered paragraph: its number as written ('3.2.1.') and its sentences."""

    number: str
    sentences: list[str]

    def render(self) -> str:
        return f"{self.number} {' '.join(self.sentences)}" if self.number else " ".join(self.sentences)


@dataclass
class Heading:
    level: int
    text: str

    def render(self) -> str:
        return f"{'#' * self.level} {self.text}"


@dataclass
class ListBlock:
    ordered: bool
    items: list[str]
    nested: dict[int, list[str]] = field(default_factory=dict)  # item index -> sub-items (bullets)

    def render(self) -> str:
        lines = []
        for i, item in enumerate(self.items):
            marker = f"{i + 1}." if self.ordered else "-"
            lines.append(f"{marker} {item}")
            for sub in self.nested.get(i, []):
                lines.append(f"{' ' * (len(marker) + 1)}- {sub}")
        return "\n".join(lines)


@dataclass
class TableBlock:
    caption: str
    header: list[str]
    rows: list[list[str]]

    def render(self) -> str:
        lines = [f"**{self.caption}**", ""]
        lines.append("| " + " | ".join(self.header) + " |")
        lines.append("| :--- | " + " | ".join("---:" for _ in self.header[1:]) + " |")
        lines.extend("| " + " | ".join(r) + " |" for r in self.rows)
        return "\n".join(lines)


@dataclass
class FootnoteDef:
    label: int
    text: str

    def render(self) -> str:
        return f"[^{self.label}]: {self.text}"


Block = Para | Heading | ListBlock | TableBlock | FootnoteDef


def plural(noun: str) -> str:
    """'policy' -> 'policies', 'access' -> 'accesses', 'network' -> 'networks'."""
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


class Writer:
    """Sentences, paragraphs and blocks from the fixed vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def noun_phrase(self) -> str:
        r = self.rng
        if r.random() < 0.12:
            return r.choice(PROPER)
        np = f"the {r.choice(ADJECTIVES)} {r.choice(NOUNS)}" if r.random() < 0.6 else f"the {r.choice(NOUNS)}"
        if r.random() < 0.4:
            np += f" {r.choice(PREPOSITIONS)} {r.choice(ADJECTIVES)} {plural(r.choice(NOUNS))}"
        return np

    def sentence(self, emphasis: bool = True) -> str:
        r = self.rng
        parts = []
        if r.random() < 0.25:
            parts.append(r.choice(OPENERS))
        subject = self.noun_phrase()
        parts.append(subject[0].upper() + subject[1:] if not parts else subject)
        if r.random() < 0.2:
            parts.append(r.choice(ADVERBS))
        parts.append(r.choice(VERBS))
        obj = self.noun_phrase()
        if emphasis and r.random() < 0.08:
            obj = f"**{obj}**"
        elif emphasis and r.random() < 0.08:
            obj = f"*{obj}*"
        parts.append(obj)
        if r.random() < 0.5:
            parts.append(f"{r.choice(PREPOSITIONS)} {self.noun_phrase()}")
        if r.random() < 0.3:
            parts.append(f"and {r.choice(VERBS)} {self.noun_phrase()}")
        return " ".join(parts) + "."

    def sentences(self, lo: int, hi: int) -> list[str]:
        return [self.sentence() for _ in range(self.rng.randint(lo, hi))]

    def title(self) -> str:
        r = self.rng
        words = [r.choice(ADJECTIVES).capitalize(), r.choice(NOUNS)]
        if r.random() < 0.5:
            words += ["and", r.choice(NOUNS)]
        return " ".join(words)

    def list_block(self) -> ListBlock:
        r = self.rng
        n = r.randint(3, 6)
        items = [f"{self.noun_phrase()} {r.choice(VERBS)} {self.noun_phrase()}" for _ in range(n)]
        items = [it + (";" if i < n - 1 else ".") for i, it in enumerate(items)]
        ordered = r.random() < 0.35
        nested: dict[int, list[str]] = {}
        if not ordered and r.random() < 0.3:
            nested[r.randrange(n)] = [f"{self.noun_phrase()};" for _ in range(r.randint(2, 3))]
        return ListBlock(ordered, items, nested)

    def table(self, number: int) -> TableBlock:
        r = self.rng
        years = sorted(r.sample(range(2003, 2013), 3))
        header = ["Indicator", *(str(y) for y in years)]
        rows = []
        for name in r.sample(INDICATORS, r.randint(3, 6)):
            base = r.randint(20, 3000)
            rows.append([name, *(f"{int(base * (1 + 0.3 * k)):,}".replace(",", " ") for k in range(3))])
        caption = f"Table {number} – {self.title()}, world, millions (ITU estimates)"
        return TableBlock(caption, header, rows)


def count_words(text: str) -> int:
    """Words as `wtpf versions` counts them."""
    return len(_WORD_RE.findall(text))


def generate(words: int, rng: random.Random) -> list[Block]:
    """Blocks of a report of at least `words` words (footnote definitions last)."""
    w = Writer(rng)
    body: list[Block] = []
    notes: list[FootnoteDef] = []
    total = 0
    section = 0
    tables = 0
    while total < words:
        section += 1
        h1 = Heading(1, f"{section} {w.title()}")
        body.append(h1)
        total += count_words(h1.render())
        for sub in range(1, rng.randint(3, 7) + 1):
            h2 = Heading(2, f"{section}.{sub} {w.title()}")
            body.append(h2)
            total += count_words(h2.render())
            for k in range(1, rng.randint(4, 10) + 1):
                if k > 2 and rng.random() < 0.08:
                    h3 = Heading(3, w.title())
                    body.append(h3)
                    total += count_words(h3.render())
                para = Para(f"{section}.{sub}.{k}.", w.sentences(3, 7))
                if rng.random() < 0.12:
                    label = len(notes) + 1
                    para.sentences[-1] += f"[^{label}]"
                    note = FootnoteDef(label, w.sentence(emphasis=False))
                    notes.append(note)
                    total += count_words(note.render())
                body.append(para)
                total += count_words(para.render())
                roll = rng.random()
                if roll < 0.10:
                    lead = Para("", [w.sentence(emphasis=False)[:-1] + ":"])
                    lst = w.list_block()
                    body += [lead, lst]
                    total += count_words(lead.render()) + count_words(lst.render())
                elif roll < 0.14:
                    tables += 1
                    tbl = w.table(tables)
                    body.append(tbl)
                    total += count_words(tbl.render())
                if total >= words:
                    break
            if total >= words:
                break
    return body + list(notes)


def render(blocks: Sequence[Block]) -> str:
    return "\n\n".join(b.render() for b in blocks) + "\n"


_NOUN_SET = frozenset(NOUNS)
_ADJ_SET = frozenset(ADJECTIVES)


def _numbered(b: Block) -> bool:
    return isinstance(b, Para) and bool(b.number)


class Editor:
    """Scattered edits of the kinds a contribution makes."""

    def __init__(self, blocks: list[Block], rng: random.Random) -> None:
        self.blocks = blocks
        self.rng = rng
        self.w = Writer(rng)

    def _pick(self, pred: Callable[[Block], bool]) -> int | None:
        """The index of a block that `pred` accepts, scanning from a random point (None if there is none)."""
        n = len(self.blocks)
        start = self.rng.randrange(n)
        for off in range(n):
            i = (start + off) % n
            if pred(self.blocks[i]):
                return i
        return None

    def replace_word(self) -> None:
        i = self._pick(lambda b: isinstance(b, Para))
        if i is None:
            return
        para = self.blocks[i]
        assert isinstance(para, Para)
        s = self.rng.randrange(len(para.sentences))
        words = para.sentences[s].split(" ")
        spots = [j for j, t in enumerate(words) if t in _NOUN_SET or t in _ADJ_SET]
        if not spots:
            return
        j = self.rng.choice(spots)
        pool = ADJECTIVES if words[j] in _ADJ_SET else NOUNS
        words[j] = self.rng.choice(pool)
        para.sentences[s] = " ".join(words)

    def rewrite_sentence(self) -> None:
        i = self._pick(_numbered)
        if i is None:
            return
        para = self.blocks[i]
        assert isinstance(para, Para)
        s = self.rng.randrange(len(para.sentences))
        note = re.search(r"\[\^\d+\]$", para.sentences[s])
        para.sentences[s] = self.w.sentence() + (note.group(0) if note else "")

    def insert_paragraph(self) -> None:
        i = self._pick(_numbered)
        if i is None:
            return
        para = self.blocks[i]
        assert isinstance(para, Para)
        suffix = self.rng.choice(("bis", "ter", "quater"))
        base = re.sub(r"[a-z]*\.$", "", para.number)
        self.blocks.insert(i + 1, Para(f"{base}{suffix}.", self.w.sentences(2, 5)))

    def delete_paragraph(self) -> None:
        def deletable(b: Block) -> bool:
            return isinstance(b, Para) and bool(b.number) and not any("[^" in s for s in b.sentences)

        i = self._pick(deletable)
        if i is not None and sum(isinstance(b, Para) for b in self.blocks[max(0, i - 3) : i + 3]) > 1:
            del self.blocks[i]

    def change_cell(self) -> None:
        i = self._pick(lambda b: isinstance(b, TableBlock))
        if i is None:
            self.replace_word()
            return
        tbl = self.blocks[i]
        assert isinstance(tbl, TableBlock)
        row = self.rng.choice(tbl.rows)
        col = self.rng.randrange(1, len(row))
        row[col] = f"{self.rng.randint(20, 4000):,}".replace(",", " ")

    def revise(self, edits: int) -> None:
        """One contribution: one table cell change and `edits - 1` other scattered edits."""
        self.change_cell()
        actions = (self.replace_word, self.rewrite_sentence, self.insert_paragraph, self.delete_paragraph)
        weights = (45, 25, 17, 13)
        for action in self.rng.choices(actions, weights, k=max(0, edits - 1)):
            action()


# --- the workspace, built with the real CLI --------------------------------------------------------------------


def clean_env(home: Path) -> dict[str, str]:
    """An environment without the user's git configuration: no global or system config, a fresh HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "HOME": str(home),
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "TZ": "UTC",
            "LC_ALL": "C.UTF-8",
        }
    )
    return env


def wtpf_command() -> list[str]:
    """The `wtpf` console script of this interpreter (not a pyenv shim, whose start-up would be timed too)."""
    beside = Path(sys.executable).parent / "wtpf"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("wtpf")
    return [found] if found else [sys.executable, "-m", "wtpf_cli"]


def _git_date(stamp: dt.datetime) -> str:
    return f"{int(stamp.timestamp())} +0000"


def _run(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> None:
    proc = subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")


def _commit(ws: Path, env: dict[str, str], who: tuple[str, str], when: dt.datetime, message: str) -> None:
    dated = dict(env, GIT_AUTHOR_DATE=_git_date(when), GIT_COMMITTER_DATE=_git_date(when))
    name, email = who
    _run(
        ["git", "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "--quiet", "-am", message],
        ws,
        dated,
    )


def _write_body(ws: Path, body: str) -> None:
    draft = ws / "report.md"
    text = draft.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise RuntimeError(f"{draft}: no front matter")
    end = text.index("\n---\n", 4) + len("\n---\n")
    draft.write_text(text[:end] + body, encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Built:
    """A synthetic workspace and what it holds."""

    path: Path
    words: int
    final_words: int
    commits: int
    edits: int


def build_workspace(
    path: Path,
    *,
    words: int,
    commits: int,
    edits: int,
    seed: int = 1,
    home: Path | None = None,
    wtpf: Sequence[str] | None = None,
) -> Built:
    """Generate the report and its history in a new workspace at `path` (which must not exist), running `wtpf`
    (default: the console script of this interpreter)."""
    if path.exists():
        raise FileExistsError(f"{path} exists")
    rng = random.Random(seed)
    blocks = generate(words, rng)
    own_home = home is None
    home_dir = Path(tempfile.mkdtemp(prefix="wtpf-bench-home-")) if home is None else home
    try:
        env = clean_env(home_dir)
        wtpf = list(wtpf or wtpf_command())
        t0 = dt.datetime(2012, 3, 1, 9, 0, tzinfo=dt.UTC)
        init_env = dict(env, GIT_AUTHOR_DATE=_git_date(t0), GIT_COMMITTER_DATE=_git_date(t0))
        _run(
            [
                *wtpf,
                "init",
                str(path),
                "--title",
                TITLE,
                "--symbol-prefix",
                SYMBOL_PREFIX,
                "--secretariat",
                SECRETARIAT,
            ],
            path.parent,
            init_env,
        )
        first = render(blocks)
        _write_body(path, first)
        _commit(
            path, env, (SECRETARIAT, SECRETARIAT_EMAIL), dt.datetime(2012, 4, 12, 9, 0, tzinfo=dt.UTC), "First draft"
        )
        _run([*wtpf, "stamp", "next", "--date", FIRST_DATE], path, env)
        editor = Editor(blocks, rng)
        start = dt.datetime(2012, 4, 14, 9, 0, tzinfo=dt.UTC)
        span = dt.datetime(2012, 5, 31, 17, 0, tzinfo=dt.UTC) - start
        for r in range(commits):
            editor.revise(edits)
            _write_body(path, render(blocks))
            source = SOURCES[r % len(SOURCES)]
            when = start + span * r / max(1, commits)
            _commit(path, env, source, when.replace(microsecond=0), f"{source[0]}: comments ({edits} edits)")
        _run([*wtpf, "stamp", "next", "--date", SECOND_DATE], path, env)
        return Built(path, count_words(first), count_words(render(blocks)), commits, edits)
    finally:
        if own_home:
            shutil.rmtree(home_dir, ignore_errors=True)


def cached_workspace(
    cache: Path, *, words: int, commits: int, edits: int, seed: int = 1, wtpf: Sequence[str] | None = None
) -> Path:
    """A workspace for these parameters under `cache`, built once (keyed by the generator's own hash).

    The First Draft's word count is kept in .git/wtpf-bench-words."""
    key = f"w{words}-c{commits}-e{edits}-s{seed}-{_synth_fingerprint()}"
    target = cache / key
    if (target / ".git" / "wtpf-bench-done").is_file():
        return target
    if target.exists():
        shutil.rmtree(target)
    cache.mkdir(parents=True, exist_ok=True)
    built = build_workspace(target, words=words, commits=commits, edits=edits, seed=seed, wtpf=wtpf)
    (target / ".git" / "wtpf-bench-words").write_text(f"{built.words}\n")
    (target / ".git" / "wtpf-bench-done").write_text("ok\n")
    return target


# --- contributions (scenario c) --------------------------------------------------------------------------------

CONTRIBUTORS: tuple[str, ...] = (
    "Brazil",
    "ARIN",
    "Internet Society",
    "United States",
    "Russian Federation",
    "India",
    "Kenya",
    "Sweden",
    "China",
    "Egypt",
)
CONTRIB_FIRST_DAY = dt.date(2012, 6, 2)


def second_draft_blocks(words: int, commits: int, edits: int, seed: int) -> list[Block]:
    """The blocks of the Preliminary Second Draft that build_workspace commits (the same generator replayed)."""
    rng = random.Random(seed)
    blocks = generate(words, rng)
    editor = Editor(blocks, rng)
    for _ in range(commits):
        editor.revise(edits)
    return blocks


def contribution_body(base: Sequence[Block], k: int, changes: int, seed: int) -> str:
    """The Markdown body contribution `k` proposes: the base with `changes` scattered edits of its own."""
    import copy

    blocks = copy.deepcopy(list(base))
    Editor(blocks, random.Random(f"{seed}-contribution-{k}")).revise(changes)
    return render(blocks)


def add_contributions(
    path: Path,
    *,
    words: int,
    commits: int,
    edits: int,
    seed: int,
    count: int,
    changes: int,
    env: dict[str, str],
    wtpf: Sequence[str],
) -> list[str]:
    """Register `count` contributions on the Preliminary Second Draft in the workspace at `path`, each with `changes`
    edits: even ones as revised Markdown drafts, odd ones as .docx files with real tracked changes (w:ins/w:del),
    made by the project's own redline of the edited draft against the version, under the contributor's name (as if
    the delegate had edited the clean .docx in Word with tracking on). Returns the files registered."""
    base = second_draft_blocks(words, commits, edits, seed)
    text = (path / "report.md").read_text(encoding="utf-8")
    front = text[: text.index("\n---\n", 4) + len("\n---\n")]
    if front + render(base) != text:
        raise RuntimeError(f"{path}: the draft is not the generated Preliminary Second Draft")
    incoming = path.parent / f"{path.name}.incoming"
    scratch = path.parent / f"{path.name}.scratch"
    for d in (incoming, scratch):
        if d.exists():
            shutil.rmtree(d)
    incoming.mkdir()
    _run(["git", "clone", "--quiet", str(path), str(scratch)], path.parent, env)
    fixed = dt.datetime(2012, 6, 1, 18, 0, tzinfo=dt.UTC).timestamp()
    files: list[str] = []
    try:
        for k in range(count):
            source = CONTRIBUTORS[k % len(CONTRIBUTORS)]
            body = contribution_body(base, k, changes, seed)
            if k % 2 == 0:
                out = incoming / f"contribution-{k + 1:02d}.md"
                out.write_text(front + body, encoding="utf-8")
            else:
                out = incoming / f"contribution-{k + 1:02d}.docx"
                draft = scratch / "report.md"
                draft.write_text(front + body, encoding="utf-8")
                os.utime(draft, (fixed, fixed))  # the redline dates uncommitted edits by the file's time
                _run(
                    [*wtpf, "redline", "Preliminary Second Draft", "--single-author", source, "-o", str(out)],
                    scratch,
                    env,
                )
            received = (CONTRIB_FIRST_DAY + dt.timedelta(days=k % 20)).isoformat()
            symbol = f"{SYMBOL_PREFIX}/C{k + 1}"
            _run(
                [
                    *wtpf,
                    "contribution",
                    "add",
                    str(out),
                    "--source",
                    source,
                    "--symbol",
                    symbol,
                    "--received",
                    received,
                    "--on",
                    "Preliminary Second Draft",
                ],
                path,
                env,
            )
            files.append(out.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(incoming, ignore_errors=True)
    return files


def cached_merge_workspace(
    cache: Path,
    *,
    words: int,
    commits: int,
    edits: int,
    count: int,
    changes: int,
    seed: int = 1,
    wtpf: Sequence[str] | None = None,
) -> tuple[Path, str]:
    """A copy of the cached workspace for these parameters with `count` contributions registered and not yet merged;
    returns it and the commit to reset to before each timed `wtpf merge`."""
    source = cached_workspace(cache, words=words, commits=commits, edits=edits, seed=seed, wtpf=wtpf)
    target = cache / f"{source.name}-m{count}x{changes}-{_synth_fingerprint(contributions=True)}"
    done = target / ".git" / "wtpf-bench-done"
    if done.is_file():
        return target, done.read_text().strip()
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, symlinks=True)
    (target / ".git" / "wtpf-bench-done").unlink()
    home = Path(tempfile.mkdtemp(prefix="wtpf-bench-home-"))
    try:
        env = clean_env(home)
        add_contributions(
            target,
            words=words,
            commits=commits,
            edits=edits,
            seed=seed,
            count=count,
            changes=changes,
            env=env,
            wtpf=list(wtpf or wtpf_command()),
        )
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=target, env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    done.write_text(head + "\n")
    return target, head


def reset_workspace(path: Path, commit: str, env: dict[str, str]) -> None:
    """Put a merge workspace back to `commit` (what `wtpf merge` changed is undone) before the next timed run."""
    (path / ".git" / "wtpf.lock").unlink(missing_ok=True)
    _run(["git", "reset", "--quiet", "--hard", commit], path, env)
    _run(["git", "clean", "--quiet", "-fd"], path, env)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path, help="the new workspace (must not exist)")
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--print", action="store_true", help="only print the generated first draft's Markdown")
    parser.add_argument(
        "--contributions",
        type=int,
        default=0,
        help="also register this many contributions (half .md, half .docx with tracked changes) for `wtpf merge`",
    )
    parser.add_argument("--changes", type=int, default=20, help="edits in each contribution")
    args = parser.parse_args(argv)
    if args.print:
        sys.stdout.write(render(generate(args.words, random.Random(args.seed))))
        return 0
    built = build_workspace(
        args.dir.resolve(), words=args.words, commits=args.commits, edits=args.edits, seed=args.seed
    )
    print(
        f"{built.path}: {built.words} words at First Draft, {built.final_words} at Preliminary Second Draft, "
        f"{built.commits} commits x {built.edits} edits"
    )
    if args.contributions:
        home = Path(tempfile.mkdtemp(prefix="wtpf-bench-home-"))
        try:
            files = add_contributions(
                built.path,
                words=args.words,
                commits=args.commits,
                edits=args.edits,
                seed=args.seed,
                count=args.contributions,
                changes=args.changes,
                env=clean_env(home),
                wtpf=wtpf_command(),
            )
        finally:
            shutil.rmtree(home, ignore_errors=True)
        print(f"registered {len(files)} contributions of {args.changes} changes each: `wtpf merge` applies them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
