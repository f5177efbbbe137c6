"""wtpf: versioned report drafting with attributed Word revision marks.

The library API: one function per command, each resolving nothing and printing nothing (the CLI in `wtpf_cli.cli`
does both). What a command reports beside its result comes as messages (`wtpf_cli.messages.Result`); failures are
exceptions of `wtpf_cli.errors`. Each function imports its stage when it is called, so that importing `wtpf_cli`
(as `wtpf --help` does) loads none of them.

    import wtpf_cli
    ws = wtpf_cli.open_workspace("wtpf-2013")
    made = wtpf_cli.redline(ws, "First Draft", "Second Draft", output=Path("redline.docx"))
    for message in made.messages:
        print(message.text)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wtpf_cli.messages import Kind, Message, Result, warnings

if TYPE_CHECKING:
    from wtpf_cli.attribution.blame import Blame
    from wtpf_cli.demo import DemoResult
    from wtpf_cli.merging.resolve import Passage, Resolution
    from wtpf_cli.merging.run import Outcome
    from wtpf_cli.ooxml.revisions import Inspection
    from wtpf_cli.render.documents import RedlineOutput, Written
    from wtpf_cli.render.formats import AnnexFormat, BuildFormat, RedlineFormat
    from wtpf_cli.render.site import Progress, Published
    from wtpf_cli.reporting.check import CheckReport
    from wtpf_cli.reporting.schedule import Schedule
    from wtpf_cli.reporting.status import Status
    from wtpf_cli.store.comments import Done, KeptComment
    from wtpf_cli.store.contributions import Contribution
    from wtpf_cli.store.intake import AddResult
    from wtpf_cli.store.versions import StampResult, VersionRow
    from wtpf_cli.store.workspace import InitResult, Workspace

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "add_contribution",
    "blame",
    "blame_annex",
    "build",
    "check",
    "comments",
    "comments_done",
    "commit",
    "contribution",
    "contributions",
    "decline",
    "demo",
    "disposition_annex",
    "hold_interrupts_after_commit",
    "init",
    "inspect",
    "interrupted_change",
    "letter",
    "merge",
    "open_workspace",
    "passages",
    "publish",
    "redline",
    "resolve",
    "schedule",
    "stamp",
    "status",
    "versions",
    "workspace_warnings",
]

# Each function imports its stage when called, marked `lazy (start-up)`: `import wtpf_cli` loads only messages.

# -- the workspace and its versions ------------------------------------------------------------------------------


def open_workspace(start: Path | str = ".") -> Workspace:
    """The workspace holding `start` (a folder in a git repository with wtpf.toml)."""
    from wtpf_cli.store.workspace import open_workspace as _open  # lazy (start-up)

    return _open(Path(start))


def hold_interrupts_after_commit() -> None:
    """For a command line: once a command's change is committed, Ctrl-C is only noted until the process ends, so
    that `interrupted_change` can always say so (a library caller keeps its own Ctrl-C otherwise)."""
    from wtpf_cli.store.faults import hold_after_commit_until_exit  # lazy (start-up)

    hold_after_commit_until_exit()


def interrupted_change(raised: bool = False) -> str | None:
    """The commit this process made if Ctrl-C came after the change was committed (`raised`: while handling the
    KeyboardInterrupt it raised), else None."""
    from wtpf_cli.store.faults import committed_interrupt  # lazy (start-up)

    return committed_interrupt(raised)


def workspace_warnings(ws: Workspace) -> tuple[Message, ...]:
    """What is wrong but ignored in the workspace's settings: each key of wtpf.toml that wtpf does not read."""
    from wtpf_cli.store.workspace import config_warnings  # lazy (start-up)

    return tuple(
        Message(Kind.WARNING, f"wtpf.toml{f':{line}' if line else ''}: {text}", f"wtpf.toml:{line}")
        for text, line in config_warnings(ws)
    )


def init(
    folder: Path,
    *,
    title: str,
    symbol_prefix: str,
    secretariat: str = "Secretariat",
    from_file: Path | None = None,
) -> InitResult:
    """A new workspace in `folder`: git repository, wtpf.toml, the draft (from the template or `from_file`), a
    first commit."""
    from wtpf_cli.store.workspace import init_workspace  # lazy (start-up)

    return init_workspace(
        folder, title=title, symbol_prefix=symbol_prefix, secretariat=secretariat, from_file=from_file
    )


def stamp(
    ws: Workspace, name: str, *, symbol: str | None = None, date: str | None = None, reissue: bool = False
) -> StampResult:
    """Stamp the committed draft as version `name` (a ladder name, its slug, or `next`): front matter, commit, tag."""
    from wtpf_cli.store.versions import stamp as _stamp  # lazy (start-up)

    return _stamp(ws, name, symbol=symbol, date=date, reissue=reissue)


def versions(ws: Workspace) -> list[VersionRow]:
    """The ladder so far, and the working draft if it moved since the last stamp."""
    from wtpf_cli.store.versions import version_rows  # lazy (start-up)

    return version_rows(ws)


# -- documents -----------------------------------------------------------------------------------------------------


def build(
    ws: Workspace, version: str | None = None, *, output: Path | str | None = None, fmt: BuildFormat | None = None
) -> Result[Written]:
    """A clean document of `version` (None: the working draft) in the house template, written to `output` (a file,
    a folder, or a name ending in `/`: a folder made for it; None: the current folder) as `fmt` (None: as the
    file's extension says, else docx)."""
    from typing import cast, get_args

    from wtpf_cli.render.documents import build as _build  # lazy (start-up)
    from wtpf_cli.render.formats import BuildFormat, format_for

    chosen = cast("BuildFormat", format_for(output, fmt, get_args(BuildFormat), "docx"))
    return _build(ws, version, output, chosen)


def redline(
    ws: Workspace,
    from_version: str,
    to_version: str | None = None,
    *,
    output: Path | str | None = None,
    fmt: RedlineFormat | None = None,
    single_author: str | None = None,
    changed_only: bool = False,
    moves: bool = True,
    summary: bool = True,
) -> Result[RedlineOutput]:
    """Revision marks from one version to another (None: the working draft), each change under the source whose
    commit made it (or all under `single_author`), as `fmt` (None: as `output`'s extension says, else docx);
    `text` gives lines for a terminal, or a file with `[-old-]{+new+}<Source>` marks (with `changed_only`, only
    the changed paragraphs). `moves=False` marks a moved paragraph or sentence as deleted and inserted;
    `summary=False` leaves out the Word redline's first page."""
    from typing import cast, get_args

    from wtpf_cli.attribution.redline import RedlineRequest  # lazy (start-up)
    from wtpf_cli.render.documents import redline as _redline  # lazy (start-up)
    from wtpf_cli.render.formats import RedlineFormat, format_for

    chosen = cast("RedlineFormat", format_for(output, fmt, get_args(RedlineFormat), "docx"))
    request = RedlineRequest(from_version, to_version, single_author, moves=moves, summary=summary)
    return _redline(ws, request, output, chosen, changed_only=changed_only)


def publish(
    ws: Workspace, output: Path | None = None, *, pdf: bool = True, progress: Progress | None = None
) -> Result[Published]:
    """Every stamped version posted into the folder `output` (None: ./site): its clean .docx, .pdf and .html and
    its redline against the one before (.docx, .html) under stable names, and index.html with the ladder, the
    timetable and the contributions; files whose bytes did not change are left as they are. `progress` is told
    (what, steps done, steps in all) as the work goes; PDF files need LibreOffice unless `pdf` is False."""
    from wtpf_cli.render.site import publish as _publish  # lazy (start-up)

    return _publish(ws, output if output is not None else Path.cwd() / "site", pdf=pdf, progress=progress)


def inspect(file: Path) -> Result[Inspection]:
    """What a Word file holds: its tracked changes, comments and paragraphs, and what could not be read."""
    from wtpf_cli.ooxml.inspection import inspect_docx, printable  # lazy (start-up)

    found = inspect_docx(file)
    return Result(found, warnings(map(printable, found.warnings), str(file)))


def demo(target: Path, progress: Callable[[str], None] | None = None) -> Result[DemoResult]:
    """The example history replayed into a new workspace in `target`, with its outputs in `target`/out."""
    from wtpf_cli.demo import run_demo  # lazy (start-up)

    return run_demo(target, progress)


# -- contributions -------------------------------------------------------------------------------------------------


def add_contribution(
    ws: Workspace,
    file: Path,
    *,
    source: str,
    symbol: str | None = None,
    received: str | None = None,
    on: str | None = None,
) -> AddResult:
    """Keep a contribution exactly as received (under contributions/<id>/, with its metadata), committed."""
    from wtpf_cli.store.intake import add_contribution as _add  # lazy (start-up)

    return _add(ws, file, source=source, symbol=symbol, received=received, on=on)


def contributions(ws: Workspace) -> list[Contribution]:
    """Every contribution registered, in order of receipt."""
    from wtpf_cli.store.contributions import list_contributions  # lazy (start-up)

    return list_contributions(ws)


def contribution(ws: Workspace, ident: str) -> Contribution:
    """One contribution, by id or symbol."""
    from wtpf_cli.store.contributions import find_contribution  # lazy (start-up)

    return find_contribution(ws, ident)


def letter(ws: Workspace, c: Contribution) -> str:
    """The text of a comment letter (.md or .txt), cut if long."""
    from wtpf_cli.store.contributions import letter_text  # lazy (start-up)

    return letter_text(ws, c)


def decline(ws: Workspace, ident: str, reason: str) -> Contribution:
    """Record that a contribution is not retained, and why."""
    from wtpf_cli.store.contributions import decline_contribution  # lazy (start-up)

    return decline_contribution(ws, ident, reason)


def disposition_annex(ws: Workspace, *, output: Path | str | None, fmt: AnnexFormat | None = None) -> Path:
    """The "disposition of contributions" annex to the last stamped version (its symbol and date on the cover),
    written as Markdown, Word or PDF (None: as `output`'s extension says, else Word); returns where."""
    from wtpf_cli.render.annex import annex_meta, version_meta  # lazy (start-up)
    from wtpf_cli.render.annex import disposition_annex as _annex  # lazy (start-up)
    from wtpf_cli.render.documents import write_annex  # lazy (start-up)
    from wtpf_cli.store.contributions import list_contributions  # lazy (start-up)
    from wtpf_cli.store.versions import list_versions  # lazy (start-up)

    stamped = list_versions(ws)
    last = version_meta(stamped[-1] if stamped else None)
    meta = annex_meta(ws.config.title, "disposition", ws.config.language, last)
    annex = _annex(list_contributions(ws), meta)
    return write_annex(ws, annex, output, _annex_format(output, fmt), "disposition-of-contributions")


def _annex_format(output: Path | str | None, fmt: AnnexFormat | None) -> AnnexFormat:
    """--format of an annex, else as the output's extension says, else Word."""
    from typing import cast, get_args

    from wtpf_cli.render.formats import AnnexFormat, format_for

    chosen = cast("AnnexFormat", format_for(output, fmt, get_args(AnnexFormat), "docx"))
    return chosen


def commit(
    ws: Workspace, *, source: str, message: str, contribution: str | None = None, date: str | None = None
) -> str:
    """Commit the hand edits of the draft as `source`'s change (drafting in `contribution`, if given); its sha."""
    from wtpf_cli.store.contributions import commit_as_source  # lazy (start-up)

    return commit_as_source(ws, source=source, message=message, contribution=contribution, date=date)


def merge(
    ws: Workspace,
    ids: list[str] | None = None,
    *,
    stop_on_conflict: bool = False,
    progress: Callable[[Contribution], None] | None = None,
) -> Result[list[Outcome]]:
    """Apply the pending contributions (or `ids`) in order of receipt, one commit each; conflicting changes stay
    side by side in brackets, or (`stop_on_conflict`) the contribution is left pending."""
    from wtpf_cli.merging.run import merge_contributions
    from wtpf_cli.store.versions import list_versions  # lazy (start-up)

    list_versions(ws)  # refuses a shallow or tag-less clone: a merge reads the versions contributions were made on
    outcomes = merge_contributions(ws, ids, stop_on_conflict=stop_on_conflict, progress=progress)
    messages: list[Message] = []
    for o in outcomes:
        messages += warnings(o.warnings, o.contribution.id)
        for x in o.left_out:
            messages.append(Message(Kind.NOT_PLACED, f"{x.text}: {x.reason}", o.contribution.id))
    return Result(outcomes, tuple(messages))


def comments(ws: Workspace, *, done: bool = False) -> list[KeptComment]:
    """The contributors' comments the workspace keeps, open ones (with `done`, those marked done too)."""
    from wtpf_cli.store.comments import all_comments  # lazy (start-up)

    return [k for k in all_comments(ws) if done or k.status == "open"]


def comments_done(ws: Workspace, target: str, *, reason: str = "") -> Done:
    """Mark a kept comment (`ID:N`) or every open comment of a contribution (`ID`, or a noted letter) done."""
    from wtpf_cli.store.comments import mark_done  # lazy (start-up)

    return mark_done(ws, target, reason)


def passages(ws: Workspace) -> list[Passage]:
    """The bracketed passages of the working draft, numbered from 1."""
    from wtpf_cli.merging.resolve import find_passages  # lazy (start-up)

    return find_passages(ws.read_draft_text())


def resolve(
    ws: Workspace,
    number: int,
    *,
    keep: str | None = None,
    text: str | None = None,
    reason: str = "",
    source: str | None = None,
) -> Resolution:
    """Settle bracketed passage `number`: keep one source's alternative or write new text, with a reason."""
    from wtpf_cli.merging.resolve import resolve_passage  # lazy (start-up)

    return resolve_passage(ws, number, keep=keep, text=text, reason=reason, source=source)


# -- reports -------------------------------------------------------------------------------------------------------


def check(ws: Workspace, *, strict: bool = False) -> CheckReport:
    """The drafting gate: every rule over the draft, versions, timetable and contributions; it knows its exit code."""
    from wtpf_cli.reporting.check import check as _check  # lazy (start-up)

    return _check(ws, strict=strict)


def status(ws: Workspace) -> Status:
    """Where the report stands: version, changes since, contributions, brackets, next milestone."""
    from wtpf_cli.reporting.status import status as _status  # lazy (start-up)

    return _status(ws)


def schedule(ws: Workspace) -> Schedule:
    """The timetable: each milestone's state and days left, and the contributions on time and late."""
    from wtpf_cli.reporting.schedule import make_schedule  # lazy (start-up)

    return make_schedule(ws)


def blame(
    ws: Workspace, version: str | None = None, *, paragraph: str | None = None, source: str | None = None
) -> Blame:
    """Who proposed each passage of `version` (None: the working draft): only paragraph `paragraph` (e.g. 3.1.4),
    only the sentences holding words of `source`."""
    from wtpf_cli.attribution.blame import blame as _blame  # lazy (start-up)
    from wtpf_cli.attribution.blame import select  # lazy (start-up)

    return select(_blame(ws, version), number=paragraph, source=source)


def blame_annex(ws: Workspace, result: Blame, *, output: Path | str | None, fmt: AnnexFormat | None = None) -> Path:
    """The provenance annex table of a blame (the blamed version's symbol and date on its cover), written as
    Markdown, Word or PDF (None: as `output`'s extension says, else Word); returns where."""
    from wtpf_cli.render.annex import annex_meta, provenance_annex  # lazy (start-up)
    from wtpf_cli.render.documents import write_annex  # lazy (start-up)
    from wtpf_cli.store.config import slugify  # lazy (start-up)

    meta = annex_meta(ws.config.title, "provenance", ws.config.language, result.meta)
    annex = provenance_annex(result, meta)
    stem = f"provenance_{slugify(result.meta.version or 'working-draft')}"
    return write_annex(ws, annex, output, _annex_format(output, fmt), stem)
