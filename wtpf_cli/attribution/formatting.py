"""Changes of form with the same words: words formatted anew (bold, italic, strike-through, code) and paragraphs made
another kind (body text, a heading, a list item), found in a region's edits and recorded on its items."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from operator import attrgetter

from wtpf_cli.attribution.items import MarkItem, TokenItem
from wtpf_cli.diff.sequences import Edit, diff_sequences, text_rank
from wtpf_cli.model import FormatChange, KindChange, ParaProps, Revision, Token


def restyled(
    edits: list[Edit], old: Callable[[int, int], list[Token] | None], new: Callable[[int, int], list[Token] | None]
) -> list[Edit]:
    """The edits with each deletion followed by an insertion re-diffed by text alone (tokens compared without their
    formatting), where both are tokens only: the words equal but for their formatting become "restyle" edits.
    `old(i, j)` and `new(i, j)` give the tokens of positions i to j of each side (None if a paragraph mark or a
    table is among them)."""
    out: list[Edit] = []
    k = 0
    while k < len(edits):
        e = edits[k]
        f = edits[k + 1] if k + 1 < len(edits) else None
        if e.op == "delete" and f is not None and f.op == "insert":
            olds, news = old(e.a0, e.a1), new(f.b0, f.b1)
            found = _restyled_pair(olds, news, e.a0, f.b0) if olds is not None and news is not None else None
            if found is not None:
                out.extend(found)
                k += 2
                continue
        out.append(e)
        k += 1
    return out


_TEXT_KEY = attrgetter("text", "href", "note")


def _restyled_pair(olds: list[Token], news: list[Token], a0: int, b0: int) -> list[Edit] | None:
    """The text diff of a deletion (at a0) and an insertion (at b0), or None when they share no word."""
    ka, kb = list(map(_TEXT_KEY, olds)), list(map(_TEXT_KEY, news))
    if not any(text and text_rank(text) == 0 for text, _, _ in set(ka).intersection(kb)):
        return None
    sub = diff_sequences(ka, kb, ranks=([text_rank(t.text) for t in olds], [text_rank(t.text) for t in news]))
    return [Edit("restyle" if s.op == "equal" else s.op, s.a0 + a0, s.a1 + a0, s.b0 + b0, s.b1 + b0) for s in sub]


def restyle(item: TokenItem, token: Token, key: Hashable, rev: Revision) -> None:
    """Give a token its new formatting, remembering the one it had in FROM (an insertion since FROM is simply
    inserted so formatted)."""
    old = item.token
    if old == token:
        return
    item.token = token
    item.key = key
    if item.ins is not None and not item.ins.move:
        return
    before = old.marks if item.fmt is None else item.fmt.marks
    item.fmt = None if before == token.marks else FormatChange(before, rev)


def kind(props: ParaProps) -> tuple[str, str | None, int, str | None]:
    """What makes a paragraph's kind as a reader sees it: style, list kind and level, alignment (not which list
    instance it belongs to: renumbered when a list comes or goes before it)."""
    return (props.style, props.list_kind, props.list_level if props.list_kind else 0, props.align)


def rekind(mark: MarkItem, props: ParaProps, rev: Revision) -> None:
    """Give a paragraph mark its new properties, remembering the kind it had in FROM (a paragraph inserted since
    FROM is simply inserted so)."""
    old = mark.props
    mark.props = props
    if (mark.ins is not None and not mark.ins.move) or kind(old) == kind(props):
        return
    before = old if mark.kind is None else mark.kind.props
    mark.kind = None if kind(before) == kind(props) else KindChange(before, rev)
