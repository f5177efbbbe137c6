"""A .docx's comments: their text, author and date from the comments part, their anchors as the walk found them,
their threads and resolved state from commentsExtended (ECMA-376 Part 1, §17.13.4; [MS-DOCX])."""

from __future__ import annotations

import dataclasses

from lxml import etree

from wtpf_cli.ooxml.package import DocxPackage
from wtpf_cli.ooxml.revisions import Comment
from wtpf_cli.ooxml.walk import local_name
from wtpf_cli.ooxml.wordml import W14, W15, W


def read_comments(
    package: DocxPackage,
    main: str,
    anchors: dict[str, tuple[str, int | None]],
    placed: dict[str, int | None],
    warnings: list[str],
) -> tuple[Comment, ...]:
    """The comments with their anchors, authors, dates and reply parents; `anchors` (comment id: anchor text and
    paragraph) and `placed` (comment id: paragraph) as the walk found them."""
    name = package.related_part(main, "comments")
    root = package.part(name) if name else None
    if root is None:
        if placed:
            warnings.append("the document refers to comments but has no comments part")
        return ()
    parents, done = _comment_threads(package, main)
    out: list[Comment] = []
    para_ids: dict[str, str] = {}
    for comment in root.iter(f"{W}comment"):
        comment_id = comment.get(f"{W}id", "")
        paragraphs = comment.findall(f".//{W}p")
        if paragraphs:
            para_id = paragraphs[-1].get(f"{W14}paraId")
            if para_id:
                para_ids[para_id.upper()] = comment_id
        anchor, paragraph = anchors.get(comment_id, ("", placed.get(comment_id)))
        out.append(
            Comment(
                comment_id=comment_id,
                author=comment.get(f"{W}author", ""),
                initials=comment.get(f"{W}initials"),
                date=comment.get(f"{W}date"),
                text="\n".join(t for t in (_plain_text(p).strip() for p in paragraphs) if t),
                anchor=anchor,
                paragraph=paragraph,
                done=bool(paragraphs) and (paragraphs[-1].get(f"{W14}paraId") or "").upper() in done,
            )
        )
    last_para = {comment_id: para_id for para_id, comment_id in para_ids.items()}
    return tuple(
        dataclasses.replace(c, parent_id=para_ids.get(parents.get(last_para.get(c.comment_id, ""), ""))) for c in out
    )


def _comment_threads(package: DocxPackage, main: str) -> tuple[dict[str, str], set[str]]:
    """From commentsExtended.xml: each reply's parent paragraph id, and the ids of resolved comments."""
    name = package.related_part(main, "commentsExtended")
    root = package.part(name) if name else None
    parents: dict[str, str] = {}
    done: set[str] = set()
    if root is None:
        return parents, done
    for entry in root.iter(f"{W15}commentEx"):
        para_id = (entry.get(f"{W15}paraId") or "").upper()
        parent = entry.get(f"{W15}paraIdParent")
        if parent:
            parents[para_id] = parent.upper()
        if entry.get(f"{W15}done") in ("1", "true", "on"):
            done.add(para_id)
    return parents, done


def _plain_text(p: etree._Element) -> str:
    """A comment paragraph's text as it reads with its own changes accepted."""
    pieces: list[str] = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if any(local_name(a) in ("del", "moveFrom") for a in el.iterancestors()):
            continue
        local = local_name(el)
        pieces.append(el.text or "" if local == "t" else "\t" if local == "tab" else "\n")
    return "".join(pieces)
