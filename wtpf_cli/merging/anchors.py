"""A contribution's comments anchored on the draft when it is merged: the words each covers, found in the draft as
it then stands (which may have moved on since the version the source commented on), where the text around them
agrees best with the source's; kept with a little of that text, so that a redline or a build finds the same
words again. A comment whose words are gone is kept unanchored, with a warning."""

from __future__ import annotations

from wtpf_cli.attribution.comments import CONTEXT, SourceComment, best_occurrence
from wtpf_cli.markdown.parse import parse_body
from wtpf_cli.model import Paragraph, Token
from wtpf_cli.store.comments import KeptComment


def anchor_comments(body: str, comments: list[SourceComment], contribution: str) -> list[KeptComment]:
    """The comments as the workspace keeps them, numbered from 1, anchored on `body` (the merged draft's
    Markdown body); one whose words are not there has no anchor."""
    if not comments:
        return []
    blocks, _warnings = parse_body(body)
    texts = [
        _visible(block.tokens) if isinstance(block, Paragraph) else " | ".join(map(_visible, row))
        for block in blocks
        for row in ([()] if isinstance(block, Paragraph) else block.rows)
    ]
    kept: list[KeptComment] = []
    for n, sc in enumerate(comments, 1):
        needle = " ".join(sc.anchor.split())
        found = best_occurrence(texts, needle, sc.before, sc.after) if needle else None
        if found is None:
            kept.append(
                KeptComment(
                    contribution, n, sc.author, sc.date, sc.text, "", sc.before, sc.after, sc.initials, sent_on=needle
                )
            )
            continue
        i, at = found
        text = texts[i]
        before, after = text[max(at - CONTEXT, 0) : at], text[at + len(needle) : at + len(needle) + CONTEXT]
        kept.append(
            KeptComment(
                contribution, n, sc.author, sc.date, sc.text, needle, before, after, sc.initials, sent_on=needle
            )
        )
    return kept


def _visible(tokens: tuple[Token, ...]) -> str:
    """The text a reader sees of tokens (a note reference shows none), spaces squeezed: as a redline's paragraph
    shows it to attach_comments."""
    return " ".join("".join(t.text for t in tokens).split())
