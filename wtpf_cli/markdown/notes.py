"""Which footnotes a body keeps, and in what order: those its text refers to, then those their notes refer to, each
at its first reference. A note that only notes outside that chain refer to (itself, say) is not shown: `check`
names it (MD006)."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence

from wtpf_cli.model import BODY, Block, Paragraph


def note_refs(blocks: Iterable[Block]) -> list[str]:
    """Footnote labels referenced in blocks, in order of first reference."""
    order: dict[str, None] = {}
    for block in blocks:
        toks = block.tokens if isinstance(block, Paragraph) else [t for r in block.rows for c in r for t in c]
        for t in toks:
            if t.note is not None:
                order.setdefault(t.note)
    return list(order)


def kept_notes(refs: Iterable[str], refs_in: Callable[[str], Iterable[str]], defined: Container[str]) -> list[str]:
    """The defined labels the body keeps, in order: `refs` (the body's, in order), then those each kept note
    refers to (`refs_in`), breadth first."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(labels: Iterable[str]) -> None:
        for label in labels:
            if label not in seen and label in defined:
                seen.add(label)
                order.append(label)

    visit(refs)
    k = 0
    while k < len(order):
        visit(refs_in(order[k]))
        k += 1
    return order


def split_notes(blocks: Sequence[Block]) -> tuple[list[Block], dict[str, tuple[Block, ...]]]:
    """The body's blocks, and the paragraphs of each footnote by label (a read's footnotes follow its body)."""
    body: list[Block] = []
    paragraphs: dict[str, list[Block]] = {}
    for b in blocks:
        if isinstance(b, Paragraph) and b.props.container != BODY:
            paragraphs.setdefault(b.props.container[3:], []).append(b)
        else:
            body.append(b)
    return body, {label: tuple(paras) for label, paras in paragraphs.items()}


def order_notes(blocks: Sequence[Block]) -> list[Block]:
    """A read's blocks with the footnotes the body keeps after it, in their order (markdown-it orders notes by
    first reference anywhere, a note's own references included, and keeps those only other notes refer to)."""
    body, notes = split_notes(blocks)
    kept = kept_notes(note_refs(body), lambda label: note_refs(notes[label]), notes)
    return body + [b for label in kept for b in notes[label]]
