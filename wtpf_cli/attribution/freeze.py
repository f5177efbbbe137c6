"""The attribution's state frozen as a Redline: runs, paragraphs and tables with their revisions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from wtpf_cli.attribution.items import Group, Item, MarkItem, TableItem, TokenItem, block_items
from wtpf_cli.model import (
    Block,
    Document,
    FormatChange,
    KindChange,
    Paragraph,
    RBlock,
    Redline,
    Revision,
    RParagraph,
    RRow,
    RRun,
    RTable,
    Token,
)


def freeze(groups: list[Group], remap: Revision | None) -> list[RBlock]:
    """The blocks of a redline from the attribution's groups, every revision replaced by `remap` if given."""

    def r(rev: Revision | None) -> Revision | None:
        if rev is None or remap is None:
            return rev
        return remap if not rev.move else replace(remap, move=rev.move)

    out: list[RBlock] = []
    runs: list[RRun] = []
    plain: _PlainRuns = {}
    revised: _RevisedRuns = {}
    for group in groups:
        if isinstance(group, list):
            runs = _freeze_items(group, r, out, runs, plain, revised, remap)
        elif runs:  # deleted tokens waiting for this block's paragraph mark
            runs = _freeze_items(block_items(group, None), r, out, runs, plain, revised, remap)
        else:
            out.append(_plain_block(group, plain))
    if runs:
        raise AssertionError("tokens after the last paragraph mark")
    return out


def _freeze_items(
    items: list[Item],
    r: Callable[[Revision | None], Revision | None],
    out: list[RBlock],
    runs: list[RRun],
    plain: _PlainRuns,
    revised: _RevisedRuns,
    remap: Revision | None,
) -> list[RRun]:
    """Freeze items onto `out`; return the runs still waiting for a paragraph mark."""
    get = plain.get
    add = runs.append
    for item in items:
        kind = type(item)
        if kind is TokenItem:
            if item.ins is None and item.dele is None and item.fmt is None:  # type: ignore[union-attr]
                add(get(id(item.token)) or _plain_run(item.token, plain))  # type: ignore[union-attr]
            elif item.fmt is None and remap is None:  # type: ignore[union-attr]
                key = (id(item.token), id(item.ins), id(item.dele))  # type: ignore[union-attr]
                run = revised.get(key)
                if run is None:
                    run = revised[key] = RRun(item.token, item.ins, item.dele)  # type: ignore[union-attr]
                add(run)
            else:
                fmt = item.fmt  # type: ignore[union-attr]
                if fmt is not None and remap is not None:
                    fmt = FormatChange(fmt.marks, remap)
                add(RRun(item.token, r(item.ins), r(item.dele), fmt))  # type: ignore[union-attr]
        elif kind is MarkItem:
            change = item.kind  # type: ignore[union-attr]
            if change is not None and remap is not None:
                change = KindChange(change.props, remap)
            mark = (item.props, tuple(runs), r(item.ins), r(item.dele))  # type: ignore[union-attr]
            out.append(RParagraph(*mark, kind_change=change) if change is not None else RParagraph(*mark))
            runs = []
            add = runs.append
        else:
            assert isinstance(item, TableItem)
            if runs:  # cannot happen: every paragraph ends with its mark
                raise AssertionError("tokens before a table without a paragraph mark")
            rows = tuple(
                RRow(
                    tuple(tuple(_cell_run(t, r, remap) for t in cell) for cell in row.cells),
                    r(row.ins),
                    r(row.dele),
                    row.header,
                )
                for row in item.rows
            )
            out.append(RTable(rows, item.align))
    return runs


def _cell_run(t: TokenItem, r: Callable[[Revision | None], Revision | None], remap: Revision | None) -> RRun:
    """A table cell's token frozen as a run."""
    fmt = t.fmt if t.fmt is None or remap is None else FormatChange(t.fmt.marks, remap)
    return RRun(t.token, r(t.ins), r(t.dele), fmt)


# One unrevised run per token object, shared wherever the token occurs (the parser shares equal tokens); the runs
# keep their tokens alive, so the ids stay theirs while the mapping lives.
_PlainRuns = dict[int, RRun]
# Likewise one run per token and revisions (ids of the token, the insertion and the deletion): a first draft's
# 100,000 words inserted by one commit (blame) are a few thousand runs.
_RevisedRuns = dict[tuple[int, int, int], RRun]


def _plain_run(token: Token, plain: _PlainRuns) -> RRun:
    run = plain[id(token)] = RRun(token)
    return run


def _plain_block(block: Block, plain: _PlainRuns) -> RBlock:
    """A block with no revisions, as a redline block."""
    if isinstance(block, Paragraph):
        return RParagraph(block.props, tuple([plain.get(id(t)) or _plain_run(t, plain) for t in block.tokens]))
    rows = tuple(
        RRow(
            tuple([tuple([plain.get(id(t)) or _plain_run(t, plain) for t in cell]) for cell in row]),
            None,
            None,
            k < block.header_rows,
        )
        for k, row in enumerate(block.rows)
    )
    return RTable(rows, block.align)


def unchanged(doc: Document) -> Redline:
    """A redline with no revisions: what a clean build renders."""
    plain: _PlainRuns = {}
    return Redline(doc.meta, doc.meta, tuple([_plain_block(b, plain) for b in doc.blocks]), ())
