"""`wtpf demo`: replay the example history in drafts/ into a new workspace and write its outputs."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from wtpf_cli.attribution.redline import RedlineRequest
from wtpf_cli.errors import InputRejected, WorkspaceStateError
from wtpf_cli.markdown.frontmatter import split_front_matter
from wtpf_cli.messages import Kind, Message, Result
from wtpf_cli.render.documents import Written, build, redline
from wtpf_cli.resources import drafts_path, template_path
from wtpf_cli.store.config import read_timetable
from wtpf_cli.store.contributions import (
    FOLDER,
    META,
    Contribution,
    list_contributions,
    new_contribution_id,
    render_contribution,
)
from wtpf_cli.store.days import calendar_day
from wtpf_cli.store.files import read_text, write_atomic
from wtpf_cli.store.git import Identity
from wtpf_cli.store.versions import Version, stamp
from wtpf_cli.store.workspace import Workspace, init_workspace, open_workspace


@dataclass(frozen=True, slots=True)
class DemoStep:
    """One commit of the example history."""

    file: str
    source: str
    email: str
    date: str
    message: str
    stamp: str | None = None
    stamp_date: str | None = None
    symbol: str | None = None
    contribution_symbol: str = ""  # a source's step: the symbol of the contribution it arrives as


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What the demo made."""

    root: Path
    versions: tuple[Version, ...]
    clean: Written
    redline: Written
    page: Written  # the redline as one HTML page, for posting online
    sources: tuple[str, ...]
    late: tuple[str, ...] = ()  # "Internet Society (received 2012-05-21, deadline 2012-05-15)"
    site: Path | None = None  # the ladder posted as a static folder (`wtpf publish`): its index.html


def read_demo(folder: Path) -> tuple[dict[str, str], list[DemoStep]]:
    """drafts/demo.toml: the report settings and the steps."""
    try:
        data = tomllib.loads((folder / "demo.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputRejected(f"cannot read the demo history: {exc}", path=str(folder / "demo.toml")) from exc
    settings = {k: str(v) for k, v in data.items() if not isinstance(v, list)}
    steps = [DemoStep(**{k: str(v) for k, v in step.items()}) for step in data.get("step", [])]
    return settings, steps


def run_demo(target: Path, progress: Callable[[str], None] | None = None) -> Result[DemoResult]:
    """Build the example workspace in `target` (which must not exist or be empty) as a git repository of its own,
    even inside another repository (which it never touches), with the warnings of its outputs."""
    if target.exists() and any(target.iterdir()):
        raise WorkspaceStateError(f"{target} exists and is not empty: name a new folder")
    folder = drafts_path()
    settings, steps = read_demo(folder)
    if not steps:
        raise InputRejected("the demo history has no steps", path=str(folder / "demo.toml"))
    secretariat = settings.get("secretariat", "Secretariat")
    sec_email = next((s.email for s in steps if s.source == secretariat), "secretariat@wtpf.invalid")
    signer = Identity(secretariat, sec_email)
    init_workspace(
        target,
        title=settings["title"],
        symbol_prefix=settings["symbol_prefix"],
        secretariat=secretariat,
        language=settings.get("language", "English"),
        identities=((sec_email, secretariat),),
        signer=signer,
        date=steps[0].date,
        milestones=read_timetable(template_path("timetable.toml")),
        time_zone=settings.get("time_zone", "UTC"),
        own_repository=True,
    )
    ws = open_workspace(target)
    versions: list[Version] = []
    for n, step in enumerate(steps, 1):
        if progress:
            progress(f"step {n}/{len(steps)}: {step.source}: {step.message}")
        body = split_front_matter(read_text(folder / step.file), path=step.file).body
        current = ws.read_draft_text()
        paths = [ws.draft_repo_path]
        message = step.message
        if step.source != secretariat and versions:
            # A source's step arrives as a contribution (its revised draft, kept as received), merged at once.
            ident = _receive(ws, step, body, versions[-1], signer)
            paths.append(ws.repo_path(f"{FOLDER}/{ident}/{META}"))
            message += f"\n\nWtpf-Contribution: {ident}\nWtpf-Merged: {ident}"
            message += f"\nWtpf-Symbol: {step.contribution_symbol}" if step.contribution_symbol else ""
        write_atomic(ws.draft_path, _with_body(current, body).encode())
        author = Identity(step.source, step.email)
        ws.history.commit(paths, message, author, signer, step.date)
        if step.stamp:
            stamped = stamp(ws, step.stamp, symbol=step.symbol, date=step.stamp_date, signer=signer)
            versions.append(stamped.version)
    out = target / "out"
    out.mkdir(exist_ok=True)
    clean = build(ws, versions[-1].name if versions else None, out)
    request = RedlineRequest(versions[0].name, versions[-1].name)
    marked = redline(ws, request, out, "docx")
    page = redline(ws, request, out, "html").value.written  # the same redline: the same messages
    assert marked.value.written is not None and page is not None  # docx and html are written to files
    late = tuple(f"{c.source} (received {c.received}, deadline {c.deadline})" for c in list_contributions(ws) if c.late)
    sources = marked.value.made.redline.sources
    if progress:
        progress("publishing the ladder into out/site/")
    site, notes = _publish(ws, out / "site")
    made = DemoResult(target, tuple(versions), clean.value, marked.value.written, page, sources, late, site)
    return Result(made, (*clean.messages, *marked.messages, *notes))


def _publish(ws: Workspace, folder: Path) -> tuple[Path, tuple[Message, ...]]:
    """The demo's ladder as a site (`wtpf publish`): with PDF files where LibreOffice is installed."""
    from wtpf_cli.errors import OutputError
    from wtpf_cli.render.pdf import soffice
    from wtpf_cli.render.site import INDEX, publish

    try:
        soffice()
    except OutputError as missing:
        publish(ws, folder, pdf=False)
        return folder / INDEX, (Message(Kind.WARNING, f"the site has no PDF files: {missing}"),)
    publish(ws, folder)
    return folder / INDEX, ()


def _receive(ws: Workspace, step: DemoStep, body: str, on: Version, signer: Identity) -> str:
    """Register a step's text as a contribution received on its day (committed by the secretariat); returns its id.

    The contribution.toml written in the receiving commit says pending; the one left in the tree (committed with
    the merge) says merged."""
    received = calendar_day(step.date, ws.config.time_zone)
    existing = {d.name for d in (ws.root / FOLDER).iterdir()} if (ws.root / FOLDER).is_dir() else set()
    ident = new_contribution_id(received, step.source, existing)
    deadline = ws.config.comment_deadline(on.name) or ""
    data = body.encode()
    c = Contribution(
        id=ident,
        source=step.source,
        symbol=step.contribution_symbol,
        received=received,
        on_version=on.name,
        on_commit=on.sha,
        kind="revised-draft",
        file="contribution.md",
        sha256=hashlib.sha256(data).hexdigest(),
        late=bool(deadline) and received > deadline,
        deadline=deadline,
    )
    folder = ws.root / FOLDER / ident
    write_atomic(folder / c.file, data)
    write_atomic(folder / META, render_contribution(c).encode())
    late = " - received after the deadline" if c.late else ""
    ws.history.commit(
        [ws.repo_path(f"{FOLDER}/{ident}")],
        f"Receive contribution {ident} from {c.source}{late}\n\nWtpf-Contribution: {ident}",
        signer,
        signer,
        step.date,
    )
    write_atomic(folder / META, render_contribution(replace(c, status="merged")).encode())
    return ident


def _with_body(current: str, body: str) -> str:
    """The draft text with its body replaced and its front matter kept."""
    return current[: len(current) - len(split_front_matter(current).body)] + body
