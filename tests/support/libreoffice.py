"""Read .docx files the way LibreOffice does, from the test interpreter.

LibreOffice's Python bridge (``uno``) only imports under the system interpreter (Debian's ``python3-uno`` for
``/usr/bin/python3``), so this module imports no ``uno``: it starts one headless soffice, listening on a pipe
of its own, with a fresh profile, plus one ``lo_uno.py`` worker under the system interpreter, and talks to the
worker in JSON lines. Start-up is paid once; each read loads a private copy of the file, applies Accept All /
Reject All if asked, reads it and closes it; an edit loads a private copy, changes it as a named delegate with
Track Changes on and saves the result as .docx. A request that hangs is cut off after ``timeout`` seconds; a
request that kills soffice raises, and the next request starts a fresh soffice and worker, so one bad file
does not spoil the rest of the session.

    lo = LibreOffice()
    doc = lo.read(Path("out.docx"), "accept")   # LoDoc(body=[...], footnotes=[...], changes=[...], ...)
    lo.to_pdf(Path("out.docx"), Path("out.pdf"))
    lo.edit(Path("out.docx"), Path("edited.docx"), author="A. Delegate", replacements=[("old", "new")])
    lo.apply(Path("out.docx"), Path("edited.docx"), author="A. Delegate", ops=[insert_row(after="RIPE", ...)])
    lo.close()
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import functools
import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import SUMMARY_STYLE_NAMES, words

SYSTEM_PYTHON = "/usr/bin/python3"
WORKER = Path(__file__).with_name("lo_uno.py")
VIEWS = ("accept", "reject", "none")


class LibreOfficeError(RuntimeError):
    """LibreOffice could not read or convert a file, or could not be started."""


class LibreOfficeTimeout(LibreOfficeError):
    """LibreOffice did not answer in time (it has been stopped; the next request restarts it)."""


@dataclass(frozen=True)
class LoDoc:
    """What LibreOffice shows of a document in one view (see ``lo_uno.py`` for the details).

    ``body``: paragraph texts in document order, table cells row-major where the table stands, without list
    labels or footnote marks; ``labels``: beside ``body``, each paragraph's list number or bullet (or ``""``);
    ``styles``: beside ``body``, each paragraph's style as Writer names it (``"Heading 1"``, ``"Text body"``);
    ``directions``: beside ``body``, each paragraph's writing mode (``"rl"`` right to left, ``"lr"``, ``"page"``);
    ``table_directions``: each table's writing mode, in document order;
    ``emphasis`` (when asked for): beside ``body``, each paragraph's text with bold words as ``**...**`` and italic
    ones as ``*...*``; ``footnotes`` / ``endnotes``: one string per note, paragraphs joined by ``"\\n"``;
    ``changes``: the tracked changes in the file before accepting/rejecting, as ``{"type", "author", "date", "text",
    "comment"}``; ``comments``: ``{"author", "date", "text"}``; ``record_changes``: the file turns change
    tracking on; ``remaining_changes``: tracked changes left after the view was applied.
    """

    body: list[str]
    footnotes: list[str]
    changes: list[dict[str, Any]]
    labels: list[str] = field(default_factory=list)
    endnotes: list[str] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    record_changes: bool = False
    remaining_changes: int = 0
    styles: list[str] = field(default_factory=list)
    directions: list[str] = field(default_factory=list)
    table_directions: list[str] = field(default_factory=list)
    emphasis: list[str] = field(default_factory=list)

    def words(self) -> list[str]:
        """The body's words, split on whitespace."""
        return words(self.body)

    def labelled_body(self) -> list[str]:
        """Body paragraphs with their list labels in front, as a reader sees them (``"1. Text"``)."""
        pairs = zip(self.labels, self.body, strict=True)
        return [f"{label} {text}" if label else text for label, text in pairs]

    @property
    def authors(self) -> list[str]:
        """The distinct authors of the tracked changes, sorted."""
        return sorted({str(change["author"]) for change in self.changes})


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> None:
    """For tests of wtpf's own PDF output (it runs soffice): skip without LibreOffice, or fail when CI demands it
    (WTPF_REQUIRE_LIBREOFFICE=1)."""
    import pytest

    if find_soffice() is None:
        reason = "LibreOffice is not installed (no soffice on PATH; apt-get install libreoffice-writer-nogui)"
        if os.environ.get("WTPF_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"{reason} (and WTPF_REQUIRE_LIBREOFFICE=1)", pytrace=False)
        pytest.skip(reason)


@functools.cache
def libreoffice_unavailable_reason(python: str = SYSTEM_PYTHON) -> str | None:
    """Why LibreOffice cannot be used from the tests, or ``None`` when it can."""
    if find_soffice() is None:
        return "LibreOffice is not installed (no soffice on PATH; apt-get install libreoffice-writer-nogui)"
    if not Path(python).is_file():
        return f"{python} is missing: LibreOffice's uno bridge needs it (apt-get install python3-uno)"
    try:
        probe = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"could not run {python}: {exc}"
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return f"'import uno' fails under {python} ({last}); apt-get install python3-uno"
    return None


def _tail(path: Path, limit: int = 1500) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-limit:].strip()


class LibreOffice:
    """One headless soffice plus one UNO worker, started on first use and restarted when they die."""

    def __init__(self, *, timeout: float = 60.0, startup_timeout: float = 120.0, python: str = SYSTEM_PYTHON) -> None:
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.python = python
        self.version: str | None = None
        self.starts = 0
        self.startup_seconds: float | None = None  # of the latest start
        self._soffice: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._dir: Path | None = None
        self._pipe: str | None = None
        self._lock = threading.RLock()
        atexit.register(self.close)

    # -- public API ------------------------------------------------------------------------------------

    def read(self, path: Path, view: str = "none", *, emphasis: bool = False, summary: bool = False) -> LoDoc:
        """Read ``path`` after Accept All (``"accept"``), Reject All (``"reject"``) or as is (``"none"``); with
        ``emphasis``, each body paragraph's text with its bold and italic words marked too (``LoDoc.emphasis``).
        The paragraphs of a redline's first page (its summary, in the Revision Summary styles) are left out of
        ``body`` and the lists beside it, unless ``summary`` (its table stays in ``table_directions``)."""
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
        path = Path(path).resolve()
        request = {"path": str(path), "view": view, **({"emphasis": True} if emphasis else {})}
        answer = self._request(request, f"{path} ({view})")
        if not summary and SUMMARY_STYLE_NAMES & set(answer["styles"]):
            kept = [k for k, style in enumerate(answer["styles"]) if style not in SUMMARY_STYLE_NAMES]
            for key in ("body", "labels", "styles", "emphasis", "directions"):
                if answer.get(key):
                    answer[key] = [answer[key][k] for k in kept]
        return LoDoc(
            emphasis=list(answer.get("emphasis", [])),
            body=list(answer["body"]),
            footnotes=list(answer["footnotes"]),
            changes=list(answer["changes"]),
            labels=list(answer["labels"]),
            endnotes=list(answer["endnotes"]),
            comments=list(answer["comments"]),
            record_changes=bool(answer["record_changes"]),
            remaining_changes=int(answer["remaining_changes"]),
            styles=list(answer["styles"]),
            directions=list(answer["directions"]),
            table_directions=list(answer["table_directions"]),
        )

    def to_pdf(self, path: Path, out: Path, view: str = "none") -> Path:
        """Export ``path`` to the PDF ``out``.

        With ``view="none"`` tracked changes show as LibreOffice marks them up; comments are not exported
        (see ``lo_uno.py``).
        """
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
        path, out = Path(path).resolve(), Path(out).resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        self._request({"path": str(path), "convert_pdf": str(out), "view": view}, f"{path} -> {out}")
        return out

    def edit(
        self,
        path: Path,
        out: Path,
        *,
        author: str,
        replacements: Sequence[tuple[str, str]] = (),
        comments: Sequence[tuple[str, str]] = (),
        date: str | None = None,
    ) -> Path:
        """Edit ``path`` as the delegate ``author`` would, with Track Changes on, and save it as .docx at ``out``.

        ``replacements``: ``(old, new)`` pairs, applied in order, each to the first occurrence of ``old`` in the
        body as a reader sees it at that point (text already deleted as a tracked change is skipped): ``new``
        replaces it, an empty ``new`` deletes it, and an ``old`` of the form ``"AFTER:<text>"`` inserts ``new``
        right after ``<text>``; a ``"\\n"`` in ``new`` is a line break. ``comments``: ``(anchor, text)`` pairs,
        a comment by ``author`` on the first occurrence of ``anchor``, searched after all replacements. A search
        is case-sensitive and stays within one paragraph (table cells count; headers, footers and notes are not
        searched); it cannot cross a field, a footnote mark, a comment anchor or deleted text. Text not found
        raises ``LibreOfficeError``; so does soffice failing, as for ``read``.

        The changes carry ``author`` (LibreOffice's user name is set to it) and, with ``date``
        (``YYYY-MM-DDThh:mm:ss``, local time as Word stores it), that date; without it, the time of the edit.
        The document is saved with change tracking on ("MS Word 2007 XML", Word 2007-365); ``path`` is only
        read (a private copy is edited), so ``out`` may equal ``path`` to replace it.
        """
        request = _edit_request("edit", path, out, author, date)
        request["replacements"] = [[old, new] for old, new in replacements]
        request["comments"] = [[anchor, text] for anchor, text in comments]
        self._request(request, f"{request['path']} -> {request['edit']} (edit by {author})")
        return Path(request["edit"])

    def apply(
        self,
        path: Path,
        out: Path,
        *,
        author: str,
        ops: Sequence[Mapping[str, Any]],
        tracking: bool = True,
        date: str | None = None,
        save: str = "export",
    ) -> Path:
        """Edit ``path`` as the delegate ``author``, performing ``ops`` in order, and save it as .docx at ``out``.

        ``ops``: the operations of ``support/delegates.py`` (plain dicts; comments go in last). ``tracking``:
        Track Changes on (Writer records each edit as ``author``'s change) or off. ``date``
        (``YYYY-MM-DDThh:mm:ss``): every change and comment dated so, for reproducible files; without it, the
        time of the edit. ``save``: ``"export"`` stores a copy as File > Export does, ``"save_as"`` as File >
        Save As; either way LibreOffice names ``author`` the last author of a changed file. Text not found, an
        unknown operation or key raise ``LibreOfficeError``; so does soffice failing, as for ``read``.
        """
        request = _edit_request("apply", path, out, author, date)
        request.update(ops=[dict(op) for op in ops], tracking=tracking, save=save)
        self._request(request, f"{request['path']} -> {request['apply']} ({len(ops)} edit(s) by {author})")
        return Path(request["apply"])

    def start(self) -> None:
        """Start soffice and the worker now rather than on the first request (no-op when running)."""
        with self._lock:
            self._ensure_started()

    def close(self) -> None:
        """Stop the worker and soffice and remove their profile; a later request starts them again."""
        with self._lock:
            self._stop()

    @property
    def soffice_pid(self) -> int | None:
        """The process id of the running soffice (its process group id too), or ``None``."""
        return self._soffice.pid if self._running() and self._soffice is not None else None

    def __enter__(self) -> LibreOffice:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- processes -------------------------------------------------------------------------------------

    def _running(self) -> bool:
        return (
            self._soffice is not None
            and self._worker is not None
            and self._soffice.poll() is None
            and self._worker.poll() is None
        )

    def _ensure_started(self) -> None:
        if self._running():
            return
        self._stop()
        soffice = find_soffice()
        if soffice is None:
            raise LibreOfficeError("LibreOffice is not installed (no soffice on PATH)")
        began = time.monotonic()
        self._dir = Path(tempfile.mkdtemp(prefix="wtpf-lo-"))
        pipe = f"wtpf_lo_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        self._pipe = pipe
        (self._dir / "tmp").mkdir()
        with open(self._dir / "soffice.log", "wb") as soffice_log:
            self._soffice = subprocess.Popen(
                [
                    soffice,
                    f"-env:UserInstallation={(self._dir / 'profile').as_uri()}",
                    "--headless",
                    "--invisible",
                    "--nologo",
                    "--norestore",
                    "--nodefault",
                    "--nolockcheck",
                    f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
                ],
                stdin=subprocess.DEVNULL,
                stdout=soffice_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: oosplash and soffice.bin die together
                env={**os.environ, "TMPDIR": str(self._dir / "tmp")},  # its lu*.tmp folders go with ours
            )
        with open(self._dir / "worker.log", "wb") as worker_log:
            self._worker = subprocess.Popen(
                [
                    self.python,
                    str(WORKER),
                    "--connect",
                    f"pipe,name={pipe};urp",
                    "--deadline",
                    str(self.startup_timeout),
                    "--scratch",
                    str(self._dir / "work"),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=worker_log,
                text=True,
                encoding="utf-8",
                start_new_session=True,
            )
        self._lines = queue.Queue()
        assert self._worker.stdout is not None
        threading.Thread(target=_pump, args=(self._worker.stdout, self._lines), daemon=True).start()
        try:
            ready = self._answer(self.startup_timeout + 15)
        except LibreOfficeTimeout:
            ready = None
        if not ready or not ready.get("ready"):
            reason = (ready or {}).get("error") or "the worker exited or did not answer"
            message = f"LibreOffice did not start: {reason}\n{self._logs()}"
            self._stop()
            raise LibreOfficeError(message)
        self.version = ready.get("version")
        self.starts += 1
        self.startup_seconds = time.monotonic() - began

    def _stop(self) -> None:
        worker, soffice, folder, pipe = self._worker, self._soffice, self._dir, self._pipe
        self._worker = self._soffice = self._dir = self._pipe = None
        if worker is not None:
            try:
                if worker.stdin is not None:
                    worker.stdin.close()  # the worker ends when its input ends
                worker.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                _kill_group(worker)
        if soffice is not None:
            _kill_group(soffice)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        if folder is not None and pipe is not None:
            _remove_pipe_sockets(pipe, (folder / "profile").as_uri())

    def _logs(self) -> str:
        if self._dir is None:
            return ""
        parts = [f"{name}:\n{_tail(self._dir / name)}" for name in ("soffice.log", "worker.log")]
        return "\n".join(part for part in parts if not part.endswith(":\n"))

    # -- requests --------------------------------------------------------------------------------------

    def _answer(self, timeout: float) -> dict[str, Any] | None:
        """The worker's next answer, ``None`` when it has exited."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise LibreOfficeTimeout(f"LibreOffice did not answer within {timeout:.0f}s") from None
        if line is None:
            return None
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _request(self, request: dict[str, Any], what: str) -> dict[str, Any]:
        with self._lock:
            for attempt in (1, 2):
                self._ensure_started()
                assert self._worker is not None and self._worker.stdin is not None
                try:
                    self._worker.stdin.write(json.dumps(request) + "\n")
                    self._worker.stdin.flush()
                except OSError:  # the worker died since the last request: not this file's doing
                    self._stop()
                    continue
                try:
                    answer = self._answer(self.timeout)
                except LibreOfficeTimeout:
                    self._stop()
                    raise LibreOfficeTimeout(
                        f"LibreOffice took more than {self.timeout:.0f}s on {what}; it has been stopped"
                    ) from None
                if answer is None or answer.get("fatal"):
                    error = (answer or {}).get("error") or "the worker exited"
                    logs = self._logs()
                    self._stop()
                    if answer is not None and answer.get("stale") and attempt == 1:
                        continue  # soffice had died before this request: retry on a fresh one
                    raise LibreOfficeError(f"LibreOffice crashed on {what}: {error}\n{logs}".rstrip())
                if answer.get("error"):
                    raise LibreOfficeError(f"LibreOffice failed on {what}: {answer['error']}")
                return answer
            raise LibreOfficeError(f"LibreOffice could not be reached for {what}")


def _edit_request(kind: str, path: Path, out: Path, author: str, date: str | None) -> dict[str, Any]:
    """The part an ``edit`` and an ``apply`` request share: absolute paths (``out``'s folder made), the author,
    the date checked."""
    if not author.strip():
        raise ValueError("author must not be empty")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    return {"path": str(Path(path).resolve()), kind: str(out), "author": author, "date": _local_date(date)}


def _local_date(date: str | None) -> str | None:
    """``date`` as ``YYYY-MM-DDThh:mm:ss``; one with a time zone is refused (Word stores local time)."""
    if date is None:
        return None
    parsed = datetime.datetime.fromisoformat(date)
    if parsed.tzinfo is not None:
        raise ValueError(f"date must have no time zone (Word stores local time): {date!r}")
    return parsed.isoformat(timespec="seconds")


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    try:
        for line in stream:
            lines.put(line)
    except (OSError, ValueError):
        pass
    finally:
        lines.put(None)


def _remove_pipe_sockets(pipe: str, profile_url: str) -> None:
    """Remove the sockets a stopped soffice leaves in /tmp: its ``--accept`` pipe and single-instance pipe.

    LibreOffice (osl) names them ``OSL_PIPE_<uid>_<name>``; the single-instance pipe's name is
    ``SingleOfficeIPC_`` plus the MD5 of the profile URL in UTF-16, as unpadded hex
    (desktop/source/app/officeipcthread.cxx).
    """
    digest = hashlib.md5(profile_url.encode("utf-16-le")).digest()
    single_instance = "SingleOfficeIPC_" + "".join(format(byte, "x") for byte in digest)
    for name in (pipe, single_instance):
        for socket_dir in ("/tmp", "/var/tmp"):
            Path(socket_dir, f"OSL_PIPE_{os.getuid()}_{name}").unlink(missing_ok=True)


def _kill_group(process: subprocess.Popen[Any]) -> None:
    """Stop a process started with ``start_new_session=True`` and everything in its process group."""
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    # soffice.bin may outlive oosplash for a moment; make sure the group is gone.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
