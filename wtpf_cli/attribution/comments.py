"""Contributors' comments (Word comments, CriticMarkup {>> <<}) placed in redlines as Word comments."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from wtpf_cli.model import RComment, Redline, RParagraph
from wtpf_cli.store.contributions import Contribution
from wtpf_cli.store.files import decode_text
from wtpf_cli.store.workspace import Workspace

_CRITIC_ANCHORED = re.compile(r"\{==(.*?)==\}\s*\{>>(.*?)<<\}", re.S)
_CRITIC_COMMENT = re.compile(r"\{>>(.*?)<<\}", re.S)
_CRITIC_MARKUP = re.compile(r"\{\+\+|\+\+\}|\{--.*?--\}|\{~~(.*?)~>|~~\}|\{==|==\}", re.S)
_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@dataclass(frozen=True, slots=True)
class SourceComment:
    """A comment as a source sent it: the words it is anchored on, and its text."""

    author: str
    date: str
    text: str
    anchor: str
    initials: str = ""


def contribution_comments(ws: Workspace, c: Contribution) -> list[SourceComment]:
    """The comments in a contribution's file, each under the contribution's source (reviewers kept as detail)."""
    path: Path = ws.root / "contributions" / c.id / c.file
    received = f"{c.received}T12:00:00Z"
    if path.suffix.lower() == ".docx":
        # Imported here: lxml and the Word reader load only for a Word contribution.
        from wtpf_cli.ooxml.inspection import inspect_docx

        out = []
        for k in inspect_docx(path).comments:
            who = k.author.strip()
            detail = f"{who}: " if who and who.lower() != c.source.lower() else ""
            date = k.date if k.date and _UTC.match(k.date) else received
            out.append(SourceComment(c.source, date, f"{detail}{k.text}", k.anchor, k.initials or ""))
        return out
    if c.kind != "criticmarkup":
        return []
    text = decode_text(path.read_bytes(), str(path))
    found = [
        SourceComment(c.source, received, m.group(2).strip(), m.group(1).strip())
        for m in _CRITIC_ANCHORED.finditer(text)
    ]
    rest = _CRITIC_ANCHORED.sub("", text)
    for m in _CRITIC_COMMENT.finditer(rest):
        before = _CRITIC_MARKUP.sub("", rest[: m.start()]).split()
        found.append(SourceComment(c.source, received, m.group(1).strip(), before[-1] if before else ""))
    return found


def attach_comments(redline: Redline, comments: list[SourceComment]) -> tuple[Redline, list[str]]:
    """The redline with each comment anchored on the first words (in the newer text) that match its anchor."""
    blocks = list(redline.blocks)
    warnings: list[str] = []
    for sc in comments:
        placed = False
        needle = " ".join(sc.anchor.split())
        for i, block in enumerate(blocks):
            if not isinstance(block, RParagraph):
                continue
            span = _find(block, needle)
            if span is None:
                continue
            comment = RComment(sc.author, sc.date, sc.text, span[0], span[1], sc.initials)
            blocks[i] = replace(block, comments=(*block.comments, comment))
            placed = True
            break
        if not placed:
            warnings.append(f"a comment from {sc.author} is anchored on words no longer in the text: {sc.anchor!r}")
    return replace(redline, blocks=tuple(blocks)), warnings


def _find(para: RParagraph, needle: str) -> tuple[int, int] | None:
    """Runs [start, end) of a paragraph whose visible text (deletions left out) contains `needle`."""
    if not needle:
        return None
    text = ""
    owner: list[int] = []
    for k, r in enumerate(para.runs):
        if r.dele is not None:
            continue
        piece = r.token.text
        text += piece
        owner.extend([k] * len(piece))
    squeezed: list[str] = []
    where: list[int] = []
    for pos, ch in enumerate(text):
        if ch.isspace() and squeezed and squeezed[-1] == " ":
            continue
        squeezed.append(" " if ch.isspace() else ch)
        where.append(pos)
    at = "".join(squeezed).find(needle)
    if at < 0:
        return None
    first, last = where[at], where[at + len(needle) - 1]
    return owner[first], owner[last] + 1
