"""CriticMarkup (criticmarkup.com): a contribution's additions, deletions, substitutions and comments marked inline
in the draft's Markdown; read as the text with every change accepted, or with every change rejected."""

from __future__ import annotations

import re

_CRITIC_ADD = re.compile(r"\{\+\+(.*?)\+\+\}", re.S)
_CRITIC_DEL = re.compile(r"\{--(.*?)--\}", re.S)
_CRITIC_SUB = re.compile(r"\{~~(.*?)~>(.*?)~~\}", re.S)
_CRITIC_COMMENT = re.compile(r"\{>>(.*?)<<\}", re.S)
# A comment taken out of the text with the spaces before it: "words {>>Why?<<} more" reads "words more".
_CRITIC_COMMENT_SPACED = re.compile(r"[ \t]*\{>>.*?<<\}", re.S)
_CRITIC_HIGHLIGHT = re.compile(r"\{==(.*?)==\}", re.S)


def critic_views(text: str) -> tuple[str, str, list[str]]:
    """(accepted text, rejected text, comments) of a CriticMarkup document."""
    comments = [c.strip() for c in _CRITIC_COMMENT.findall(text)]
    no_comments = _CRITIC_HIGHLIGHT.sub(r"\1", _CRITIC_COMMENT_SPACED.sub("", text))
    accepted = _CRITIC_SUB.sub(r"\2", _CRITIC_DEL.sub("", _CRITIC_ADD.sub(r"\1", no_comments)))
    rejected = _CRITIC_SUB.sub(r"\1", _CRITIC_DEL.sub(r"\1", _CRITIC_ADD.sub("", no_comments)))
    return accepted, rejected, comments
