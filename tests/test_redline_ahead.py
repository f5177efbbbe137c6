"""The redline's second process: the versions after FROM parsed in a forked child while the parent attributes.

The child's work must change nothing but the time taken: the same Redline as one process makes, the same errors
raised in the parent, and no process left behind."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from support.workspaces import SECRETARIAT, commit_body, new_workspace, set_body
from wtpf_cli._forked import Forked
from wtpf_cli.attribution._parse_ahead import PARSE_AHEAD_MIN_BYTES, BlockNumbers
from wtpf_cli.attribution.attributor import Attributor
from wtpf_cli.attribution.blame import blame
from wtpf_cli.attribution.redline import RedlineRequest, make_redline
from wtpf_cli.errors import InputRejected
from wtpf_cli.markdown._chunks import ParseCache, parse_draft_part
from wtpf_cli.markdown._series import DraftSeries
from wtpf_cli.markdown.parse import read_draft
from wtpf_cli.model import Paragraph, Redline
from wtpf_cli.store.workspace import Workspace

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the second process is forked (POSIX only)")
T = TypeVar("T")
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def long_body(edits: dict[int, str] | None = None) -> str:
    """A report body of ~75 KB: headings, paragraphs with emphasis and links, lists, a table and footnotes; the
    paragraphs numbered in `edits` replaced by their text."""
    edits = edits or {}
    out: list[str] = []
    for k in range(300):
        if k % 40 == 0:
            out.append(f"## Section {k // 40 + 1}\n")
        if k in edits:
            out.append(edits[k] + "\n")
        elif k % 17 == 5:
            out.append(f"1. First point of item {k}, on *access* and cost.\n2. Second point of item {k}.\n")
        elif k % 29 == 7:
            out.append(f"| Region | Users {k} |\n|---|---|\n| Africa | {k * 3} |\n| Europe | {k * 7} |\n")
        else:
            note = f"[^n{k}]" if k % 23 == 3 else ""
            out.append(
                f"{k}. The Forum will **discuss** the issues of paragraph {k}, as the [Council](https://itu.int/c{k}) "
                f"asked{note}, taking into account the views of Member States on the development of the Internet "
                f"and the costs of international connectivity in developing countries, item {k}.\n"
            )
    out.extend(f"[^n{k}]: Note {k} of the report.\n" for k in range(300) if k % 23 == 3 and k not in edits)
    return "\n".join(out)


@pytest.fixture
def chain_ws(tmp_path: Path) -> tuple[Workspace, str]:
    """A workspace with a long draft (FROM) and four later commits by different sources, plus uncommitted edits."""
    ws = new_workspace(tmp_path / "ws", long_body())
    first = ws.history.head()
    assert first is not None
    edits: dict[int, str] = {}
    for n, (who, k, text) in enumerate(
        [
            ("Brazil", 12, "12. The Forum **shall** discuss the issues, as Brazil proposes."),
            ("Kenya", 100, "100. Costs of connectivity remain high in most regions[^n3]."),
            ("Brazil", 12, "12. The Forum shall discuss the issues, as Brazil and Kenya propose."),
            ("Russian Federation", 290, "290. A new closing paragraph.\n\nAnd one more, inserted."),
        ]
    ):
        edits[k] = text
        commit_body(ws, long_body(edits), who, f"2012-02-0{n + 1}T10:00:00Z")
    set_body(ws, long_body({**edits, 50: "50. An edit not yet committed."}))
    assert len(ws.draft_path.read_bytes()) >= PARSE_AHEAD_MIN_BYTES
    return ws, first


def record_parsers(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Note the pid of the process that reads each version of the redline's reader (the fork inherits it)."""
    real = DraftSeries.read

    def recording(*args: Any, **kwargs: Any) -> Any:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(DraftSeries, "read", recording)


def in_two_processes_then_one(monkeypatch: pytest.MonkeyPatch, log: Path, made: Callable[[], T]) -> tuple[T, T]:
    """What `made()` gives with its versions read partly in a second process (checked: two processes read), then
    in one (WTPF_JOBS=1)."""
    record_parsers(monkeypatch, log)
    two = made()
    parsers = log.read_text(encoding="utf-8").split()
    assert str(os.getpid()) in parsers and len(set(parsers)) == 2, parsers
    with monkeypatch.context() as m:
        m.setenv("WTPF_JOBS", "1")
        return two, made()


def redline_in_one_process(ws: Workspace, request: RedlineRequest, monkeypatch: pytest.MonkeyPatch) -> Redline:
    with monkeypatch.context() as m:
        m.setenv("WTPF_JOBS", "1")
        return make_redline(ws, request).redline


@pytest.mark.skipif(CORES < 2, reason="the second process needs a second core")
@pytest.mark.parametrize("to_ref", [None, "HEAD"], ids=["to the working draft", "to the last commit"])
def test_a_redline_parsed_partly_in_a_second_process_equals_the_one_parsed_in_one(
    chain_ws: tuple[Workspace, str], to_ref: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ws, first = chain_ws
    request = RedlineRequest(first, to_ref)
    two, one = in_two_processes_then_one(monkeypatch, tmp_path / "pids", lambda: make_redline(ws, request).redline)
    assert two == one
    assert two.sources == ("Brazil", "Kenya", "Russian Federation", *([SECRETARIAT] if to_ref is None else []))


def test_a_version_that_cannot_be_read_fails_the_redline_as_it_does_in_one_process(
    chain_ws: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, first = chain_ws
    commit_body(ws, long_body() + "\n\x00 a NUL byte\n", "Kenya", "2012-03-01T10:00:00Z")
    commit_body(ws, long_body(), "Brazil", "2012-03-02T10:00:00Z")
    request = RedlineRequest(first, "HEAD")
    with pytest.raises(InputRejected) as two:
        make_redline(ws, request)
    with pytest.raises(InputRejected) as one:
        redline_in_one_process(ws, request, monkeypatch)
    assert str(two.value) == str(one.value) and "NUL" in str(two.value)


@pytest.mark.skipif(CORES < 2, reason="the second process needs a second core")
def test_no_second_process_is_left_once_the_redline_returns(
    chain_ws: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ws, first = chain_ws
    log = tmp_path / "pids"
    record_parsers(monkeypatch, log)
    make_redline(ws, RedlineRequest(first, None))
    children = {int(p) for p in log.read_text(encoding="utf-8").split()} - {os.getpid()}
    assert len(children) == 1
    with pytest.raises(ChildProcessError):  # reaped: no child of this process is left, not even a zombie
        os.waitpid(children.pop(), os.WNOHANG)


def test_a_from_version_that_cannot_be_read_fails_the_redline_and_stops_the_second_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = new_workspace(tmp_path / "ws", long_body() + "\n\x00 a NUL byte in FROM\n")
    first = ws.history.head()
    assert first is not None
    for n, who in enumerate(["Brazil", "Kenya"]):
        commit_body(ws, long_body({n: f"{n}. Edited by {who}."}), who, f"2012-02-0{n + 1}T10:00:00Z")
    forks: list[int] = []
    real = Forked.start

    def recording(produce: Any) -> Any:
        forked = real(produce)
        if forked is not None:
            forks.append(forked.pid)
        return forked

    monkeypatch.setattr(Forked, "start", staticmethod(recording))
    with pytest.raises(InputRejected) as two:
        make_redline(ws, RedlineRequest(first, "HEAD"))
    with pytest.raises(InputRejected) as one:
        redline_in_one_process(ws, RedlineRequest(first, "HEAD"), monkeypatch)
    assert str(two.value) == str(one.value) and "NUL" in str(two.value)
    if CORES >= 2:
        assert len(forks) == 1
        with pytest.raises(ChildProcessError):  # stopped and reaped
            os.waitpid(forks[0], os.WNOHANG)


def test_blocks_sent_by_number_arrive_equal_with_tokens_shared_as_the_receivers_own() -> None:
    sender_cache = ParseCache()  # the sender parses its versions with one cache, as a redline does
    first = read_draft(long_body(), path="a", cache=sender_cache)
    later = read_draft(
        long_body({3: "3. *New* text of paragraph three.", 4: "4. The Forum"}), path="b", cache=sender_cache
    )
    sender = BlockNumbers(first.blocks)
    cache = ParseCache()
    receiver_first = read_draft(long_body(), path="a", cache=cache)
    receiver = BlockNumbers(receiver_first.blocks)
    new_tokens, new, numbers = sender.encode(later.blocks)
    assert 0 < len(new) < 5  # only the changed paragraphs travel
    got = receiver.decode(new_tokens, new, numbers, cache)
    assert got == later.blocks
    forum = [t for b in receiver_first.blocks if isinstance(b, Paragraph) for t in b.tokens if t.text == "Forum"]
    sent = [t for b in got if isinstance(b, Paragraph) for t in b.tokens if t.text == "Forum"]
    assert forum and sent and all(t is forum[0] for t in sent)
    # A second version sends none of what the first sent.
    again_tokens, again, _ = sender.encode(later.blocks)
    assert again_tokens == [] and again == []


CASES = Path(__file__).parent / "cases"


def draft_texts() -> list[tuple[str, str, str]]:
    """(name, older, newer) drafts: the golden cases and the long body, with a version whose definitions changed."""
    texts = [
        (d.name, (d / "old.md").read_text("utf-8"), (d / "new.md").read_text("utf-8")) for d in sorted(CASES.iterdir())
    ]
    texts.append(("long body", long_body(), long_body({7: "7. Edited[^n3], see [the Council](https://itu.int/c)."})))
    texts.append(("note dropped", long_body(), long_body({3: "3. The note is gone."})))
    texts.append(("html block", long_body() + "\n<div>\nraw\n</div>\n", long_body({5: "5. Edited."})))
    return texts


@pytest.mark.parametrize(("name", "older", "newer"), draft_texts(), ids=[t[0] for t in draft_texts()])
@pytest.mark.parametrize("parts", [2, 3])
def test_a_draft_parsed_in_parts_by_two_caches_reads_as_one_parse_of_the_whole(
    name: str, older: str, newer: str, parts: int
) -> None:
    import pickle

    caches = [ParseCache() for _ in range(parts)]
    found = [parse_draft_part(older, path="a", cache=c, part=k, parts=parts) for k, c in enumerate(caches)]
    assert not (set(found[0]) & set(found[-1]))  # no chunk is parsed twice
    for k, cache in enumerate(caches):
        # what the others parsed, as it arrives from another process
        others = pickle.loads(pickle.dumps({t: c for j, f in enumerate(found) if j != k for t, c in f.items()}))
        doc = read_draft(older, path="a", cache=cache, parsed=others)
        assert doc == read_draft(older, path="a")
        received = {id(b) for chunk in others.values() for b in chunk.blocks}
        assert not received or received & {id(b) for b in doc.blocks}  # taken as received, not parsed again
        # and the cache goes on serving later versions as a cache of the whole would
        assert read_draft(newer, path="b", cache=cache) == read_draft(newer, path="b")


def _children(pid: int) -> list[int]:
    """The pids of `pid`'s live children (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(CORES < 2 or not Path("/proc/self/stat").exists(), reason="needs a second core and /proc")
def _cmdline(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def test_ctrl_c_while_the_second_process_works_writes_nothing_and_leaves_no_process(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from support.cli import clean_env

    big = "\n".join(long_body({k: f"{k}. Part {n} of a long report." for k in range(0, 300, 7)}) for n in range(8))
    ws = new_workspace(tmp_path / "ws", big)
    first = ws.history.head()
    assert first is not None
    for n in range(12):
        added = "".join(f"\nAdded paragraph {j}.\n" for j in range(n + 1))
        commit_body(ws, big + added, "Brazil", f"2012-02-{n + 1:02}T10:00:00Z")
    out = tmp_path / "redline.docx"
    ready = tmp_path / "ready"
    env = {**clean_env(tmp_path), "WTPF_TEST_PAUSE_AT": "ahead", "WTPF_TEST_READY_FILE": str(ready)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wtpf_cli", "redline", first, "HEAD", "-o", str(out)],
        cwd=ws.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # Ctrl-C as at a terminal, even where this test runs as a background job (whose SIGINT is ignored)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the redline pauses once its second process is started, until Ctrl-C
    assert ready.exists(), "the redline finished without starting its second process"
    own_cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
    # the forked child runs the same command line as its parent (git's processes do not)
    children = [pid for pid in _children(proc.pid) if _cmdline(pid) == own_cmdline]
    assert len(children) == 1, children
    child = children[0]
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err.decode(), err.decode()
    assert not out.exists() and not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))
    assert not Path(f"/proc/{child}").exists()  # killed and reaped by the interrupted redline


@pytest.mark.skipif(CORES < 2, reason="the second process needs a second core")
@pytest.mark.parametrize("version", [None, "HEAD"], ids=["of the working draft", "of the last commit"])
def test_a_blame_read_partly_in_a_second_process_equals_the_one_read_in_one(
    chain_ws: tuple[Workspace, str], version: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ws, _first = chain_ws
    two, one = in_two_processes_then_one(monkeypatch, tmp_path / "pids", lambda: blame(ws, version))
    assert two == one
    assert {p.source for para in two.paragraphs for p in para.sources} >= {"Brazil", "Kenya", "Russian Federation"}


def test_the_collector_stays_paused_from_the_first_commit_of_a_redline_or_a_blame_to_the_last(
    chain_ws: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, first = chain_ws
    seen: list[bool] = []
    real = Attributor.apply

    def recording(self: Attributor, *args: Any) -> None:
        seen.append(gc.isenabled())
        real(self, *args)

    monkeypatch.setattr(Attributor, "apply", recording)
    assert gc.isenabled()
    make_redline(ws, RedlineRequest(first, None))  # (what `wtpf redline --format text` calls)
    blame(ws, None)
    assert len(seen) >= 8 and not any(seen)  # resumed after each commit, it would walk every item again
    assert gc.isenabled()
