"""What a redline changed, source by source: the counts of the HTML page's legend and the Word redline's first page.

A change is counted as a reader sees one: a stretch of words one revision inserted (or deleted, or formatted anew)
within a paragraph or cell is one insertion (deletion, formatting change), a paragraph mark going with the words
before it; a row inserted or deleted is one; a paragraph moved is one move (where it went and where it came from
together); a paragraph made another kind (a heading, a list item) is one formatting change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter

from wtpf_cli.labels import count, format_date, label
from wtpf_cli.model import Redline, Revision, RParagraph, RRun, RTable, Summary


@dataclass
class SourceTally:
    """The changes of one source in a redline, and the span of their dates."""

    source: str
    insertions: int = 0
    deletions: int = 0
    moves: int = 0
    formatting: int = 0
    comments: int = 0
    dates: list[str] = field(default_factory=list)

    def counts(self, language: str = "en") -> str:
        """'12 insertions, 3 deletions, 1 move' (the kinds it has) in `language`."""
        pairs = (
            (self.insertions, "insertion"),
            (self.deletions, "deletion"),
            (self.moves, "move"),
            (self.formatting, "formatting"),
            (self.comments, "comment"),
        )
        comma = "、" if language.startswith("zh") else "، " if language.startswith("ar") else ", "
        return comma.join(count(f"count_{kind}", n, language) for n, kind in pairs if n)

    def span(self, language: str = "en") -> str:
        """'11 May 2012 – 27 July 2012', or one day, in `language`."""
        if not self.dates:
            return ""
        first, last = (format_date(day[:10], language) for day in (min(self.dates), max(self.dates)))
        return first if first == last else f"{first} – {last}"


_INS, _DELE, _FORMATTED = attrgetter("ins"), attrgetter("dele"), attrgetter("formatted")
_CHANGE = attrgetter("ins", "dele", "formatted")


class _Counter:
    def __init__(self, order: Iterable[str]) -> None:
        self.tallies: dict[str, SourceTally] = {name: SourceTally(name) for name in order}
        self.moves: set[tuple[str, str]] = set()

    def of(self, rev: Revision) -> SourceTally:
        found = self.tallies.get(rev.author)
        if found is None:
            found = self.tallies[rev.author] = SourceTally(rev.author)
        found.dates.append(rev.date)
        return found

    def move(self, rev: Revision) -> None:
        tally = self.of(rev)
        if (rev.author, rev.move) not in self.moves:
            self.moves.add((rev.author, rev.move))
            tally.moves += 1

    def runs(self, runs: Iterable[RRun], mark: RParagraph | None = None) -> None:
        """The changes of one paragraph's (or cell's) runs, and of its mark."""
        last_ins: Revision | None = None
        last_del: Revision | None = None
        last_fmt: Revision | None = None
        for (ins, dele, formatted), _ in groupby(runs, _CHANGE):  # runs alike grouped in C
            if dele is not None:
                if dele.move:
                    self.move(dele)
                elif dele != last_del:
                    self.of(dele).deletions += 1
            if ins is not None and dele is None:
                if ins.move:
                    self.move(ins)
                elif ins != last_ins:
                    self.of(ins).insertions += 1
            fmt = formatted.rev if formatted is not None else None
            if fmt is not None and fmt != last_fmt:
                self.of(fmt).formatting += 1
            last_ins, last_del, last_fmt = ins if dele is None else None, dele, fmt
        if mark is None:
            return
        if mark.dele is not None:
            if mark.dele.move:
                self.move(mark.dele)
            elif mark.dele != last_del:
                self.of(mark.dele).deletions += 1
        elif mark.ins is not None:
            if mark.ins.move:
                self.move(mark.ins)
            elif mark.ins != last_ins:
                self.of(mark.ins).insertions += 1
        if mark.kind_change is not None:
            self.of(mark.kind_change.rev).formatting += 1


def tally(redline: Redline) -> list[SourceTally]:
    """Each source's changes in the redline (comments included), in the order of its sources, then of the authors
    of comments; sources without a change are left out."""
    counter = _Counter(redline.sources)
    for block in redline.blocks:
        if isinstance(block, RTable):
            for row in block.rows:
                whole = row.ins or row.dele
                if whole is not None:
                    tally_of = counter.of(whole)
                    if row.dele is not None:
                        tally_of.deletions += 1
                    else:
                        tally_of.insertions += 1
                    continue
                for cell in row.cells:
                    counter.runs(cell)
            continue
        runs = block.runs
        if any(map(_INS, runs)) or any(map(_DELE, runs)) or any(map(_FORMATTED, runs)):  # in C: most are plain
            counter.runs(runs, block)
        elif block.ins is not None or block.dele is not None or block.kind_change is not None:
            counter.runs((), block)
        for c in block.comments:
            counter.of(Revision(c.author, c.date)).comments += 1
    return [t for t in counter.tallies.values() if t.dates]


def first_page(redline: Redline, old_label: str, new_label: str, title: str) -> Summary:
    """The first page of a Word redline in the document's language: what it compares (`title`), how to read it,
    and a row for each source."""
    language = redline.meta.language
    tallies = tally(redline)
    comments = any(t.comments for t in tallies)  # a column of comments where there are some
    rows = tuple(
        (t.source, str(t.insertions), str(t.deletions), str(t.moves), str(t.formatting))
        + ((str(t.comments),) if comments else ())
        + (t.span(language),)
        for t in tallies
    )
    heads = ("source", "insertions", "deletions", "moves", "formatting", *(("comments",) if comments else ()), "dates")
    key = label("summary_key", language, old=old_label, new=new_label)
    lines = (key,) if rows else (key, label("no_changes", language))
    return Summary(title, lines, (tuple(label(f"summary_{h}", language) for h in heads), *rows))
