"""What a contribution proposes: the whole draft body it stands for, read from a revised Markdown file, from the
accepted view of its CriticMarkup, or from a Word file whose tracked changes are mapped back onto the Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wtpf_cli.errors import InputRejected
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.merging import wordmap
from wtpf_cli.merging.blockmd import LeftOut
from wtpf_cli.merging.critic import critic_views
from wtpf_cli.store.contributions import Contribution
from wtpf_cli.store.files import decode_text
from wtpf_cli.store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Proposal:
    """The whole draft a contribution proposes (Markdown body), what the reading noticed, and the names of the
    individual reviewers found in the file (kept as detail: the source is the contribution's); `left_out`: each
    edit of the file that the body cannot hold, with why (counted as left out by the merge)."""

    body: str
    warnings: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()


def proposal_of(ws: Workspace, c: Contribution, base_text: str) -> Proposal:
    """The whole draft a contribution proposes."""
    path = ws.root / "contributions" / c.id / c.file
    data = path.read_bytes()
    if c.kind == "revised-draft":
        return Proposal(split_front_matter(decode_text(data, str(path)), path=str(path)).body)
    if c.kind == "criticmarkup":
        accepted, _rejected, _comments = critic_views(decode_text(data, str(path)))
        return Proposal(split_front_matter(accepted, path=str(path)).body)
    if c.kind in ("word-revisions", "word-comments"):  # a file of comments may hold edits made untracked
        return word_proposal_of(path, base_text, c.id)
    raise InputRejected(f"a {c.kind} contribution has no edits to merge", path=str(path))


def word_proposal_of(path: Path, base_full: str, ident: str = "") -> Proposal:
    """proposal_of for a Word contribution: its file mapped onto `base_full`, the base version's Markdown file (new
    footnotes labelled after `ident`, the contribution's id)."""
    found = wordmap.word_proposal(path, base_full, ident)
    return Proposal(found.body, found.warnings, found.reviewers, found.left_out)
