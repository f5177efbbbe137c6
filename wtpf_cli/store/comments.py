"""Comments kept from contributions (contributions/<id>/comments.toml): each anchored by `wtpf merge` on the words
of the draft it covers, open until the secretariat marks it done (`wtpf comments done`); a contribution of comments
only is "noted" until all of them are done, then "done"."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace

from wtpf_cli.errors import InputRejected, UsageError
from wtpf_cli.store.contributions import (
    FOLDER,
    META,
    Contribution,
    find_contribution,
    list_contributions,
    render_contribution,
)
from wtpf_cli.store.transaction import Transaction
from wtpf_cli.store.workspace import Workspace, require_clean, workspace_lock

FILE = "comments.toml"


@dataclass(frozen=True, slots=True)
class KeptComment:
    """A contributor's comment as the workspace keeps it: on which words of the draft, and whether it is done."""

    contribution: str  # the contribution's id
    number: int  # from 1 within the contribution
    source: str
    date: str  # YYYY-MM-DDThh:mm:ssZ
    text: str
    anchor: str  # the words of the draft it covers ("" when unanchored: its words were gone when merged)
    before: str = ""  # a few words before them, to tell repeated words apart
    after: str = ""
    initials: str = ""
    status: str = "open"  # open | done
    reason: str = ""
    sent_on: str = ""  # the words the source put it on, as sent

    @property
    def ident(self) -> str:
        """How `wtpf comments done` names it: `<contribution id>:<number>`."""
        return f"{self.contribution}:{self.number}"

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {
            "id": self.ident,
            "contribution": self.contribution,
            "source": self.source,
            "date": self.date,
            "text": self.text,
            "anchor": self.anchor or None,
            "sent_on": self.sent_on or None,
            "status": self.status,
            "reason": self.reason or None,
        }


_FIELDS = ("number", "source", "date", "text", "anchor", "sent_on", "before", "after", "initials", "status", "reason")


def render_comments(items: list[KeptComment]) -> str:
    """comments.toml text."""
    import tomlkit  # only writers need it (as contribution.toml's)

    doc = tomlkit.document()
    doc.add(tomlkit.comment("Kept by `wtpf merge`; `wtpf comments done` marks them done."))
    table = tomlkit.aot()
    for k in items:
        entry = tomlkit.table()
        for key in _FIELDS:
            entry.add(key, getattr(k, key))
        table.append(entry)
    doc.add("comment", table)
    return tomlkit.dumps(doc)


def parse_comments(text: str, contribution: str, where: str) -> list[KeptComment]:
    """The comments of a comments.toml text."""
    try:
        rows = tomllib.loads(text).get("comment", [])
        return [
            KeptComment(
                contribution,
                int(row["number"]),
                str(row["source"]),
                str(row.get("date", "")),
                str(row.get("text", "")),
                str(row.get("anchor", "")),
                before=str(row.get("before", "")),
                after=str(row.get("after", "")),
                initials=str(row.get("initials", "")),
                status=str(row.get("status", "open")),
                reason=str(row.get("reason", "")),
                sent_on=str(row.get("sent_on", "")),
            )
            for row in rows
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InputRejected(f"cannot read the contribution's comments: {exc}", path=where) from exc


def comments_path(ws: Workspace, ident: str) -> str:
    """The repository path of a contribution's comments.toml."""
    return ws.repo_path(f"{FOLDER}/{ident}/{FILE}")


def kept_comments(ws: Workspace, ident: str, at: str | None = None) -> list[KeptComment] | None:
    """A contribution's kept comments in the working tree (or at commit `at`); None where it has no comments.toml
    (a contribution merged before comments were kept: its file is read again)."""
    if at is None:
        path = ws.root / FOLDER / ident / FILE
        return parse_comments(path.read_text(encoding="utf-8"), ident, str(path)) if path.is_file() else None
    data = ws.history.read_file(at, comments_path(ws, ident))
    return None if data is None else parse_comments(data.decode("utf-8", "replace"), ident, comments_path(ws, ident))


def all_comments(ws: Workspace) -> list[KeptComment]:
    """Every kept comment, contributions in order of receipt."""
    return [k for c in list_contributions(ws) for k in kept_comments(ws, c.id) or []]


@dataclass(frozen=True, slots=True)
class Done:
    """What `wtpf comments done` recorded: the comments marked done, and the contribution as it now stands."""

    comments: tuple[KeptComment, ...]
    contribution: Contribution
    commit: str


def mark_done(ws: Workspace, target: str, reason: str = "") -> Done:
    """Mark a kept comment (`ID:N`) or every open comment of a contribution (`ID`, its id or symbol) done, with the
    secretariat's reason; a contribution of comments only (or a letter) becomes "done" once none is open."""
    ident, _, number = target.rpartition(":") if ":" in target else (target, "", "")
    if number and not number.isdigit():
        raise UsageError(f"{target!r}: give a contribution (id or symbol) or ID:N for one of its comments")
    with workspace_lock(ws):
        require_clean(ws, "comments done")
        c = find_contribution(ws, ident)
        items = kept_comments(ws, c.id) or []
        chosen = [k for k in items if k.status == "open" and (not number or k.number == int(number))]
        if number and not any(k.number == int(number) for k in items):
            raise UsageError(f"{c.id} has no comment {number} (it has {len(items)}; see `wtpf comments list`)")
        if not chosen and c.status != "noted":
            raise UsageError(f"{c.id} has no open comment to mark done")
        done = {k.number for k in chosen}
        updated = [replace(k, status="done", reason=reason.strip()) if k.number in done else k for k in items]
        files: dict[str, bytes | None] = {}
        if items:
            files[comments_path(ws, c.id)] = render_comments(updated).encode()
        now = c
        if c.status == "noted" and all(k.status == "done" for k in updated):
            now = replace(c, status="done", reason=reason.strip())
            files[ws.repo_path(f"{FOLDER}/{c.id}/{META}")] = render_contribution(now).encode()
        which = f"comment {number}" if number else f"{len(chosen)} comment(s)" if items else "the letter"
        why = f"\n\n{reason.strip()}" if reason.strip() else ""
        signer = ws.tool_identity()
        change = Transaction.start(ws.history, "comments done")
        sha = change.commit(
            files,
            f"Comments done: {which} of contribution {c.id} from {c.source}{why}\n\nWtpf-Contribution: {c.id}",
            signer,
            signer,
        )
        change.apply()
        return Done(tuple(k for k in updated if k.number in done), now, sha)
