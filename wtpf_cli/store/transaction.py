"""All or nothing: how every command that records something changes the workspace, and how an interrupted one
is finished or undone by the next wtpf run.

A `Transaction` is built in memory and as git objects first (blobs, trees, commits, tags: unreachable until a ref
points to them). `apply` then writes, in this order, each step a checkpoint of wtpf_cli/store/faults.py:

1. the journal `.git/wtpf-journal.json` (what is about to change: the branch's old and new commit, the tags, and
   every file's old and new blob);
2. the files, each by write_atomic (temp file, fsync, rename);
3. the index (`git add` of exactly those files);
4. the refs: the branch and every tag in ONE `git update-ref --stdin` transaction - the commit point. A stamp's
   commit and its tag therefore appear together; there is no state with a tag but no commit or the reverse;
5. the journal is removed.

An interruption (SIGKILL, power cut) before 4 leaves the refs as they were; after it, the change is made. The next
wtpf run (any command: `recover` runs when the workspace is opened or locked) reads a journal left behind and:
when the branch still points to the old commit, puts back every file still holding the new bytes and the index
entries (rolled back); when it points to the new commit, creates any tag the ref transaction did not (finished);
when it points elsewhere (someone committed meanwhile), leaves everything and drops the journal. It then removes
temp files of dead wtpf processes. Ctrl-C during steps 1-4 is held until the commit point: before it the change is
rolled back, and wtpf exits 130 ("interrupted"); from it on, Ctrl-C is only noted until the process ends, and wtpf
exits 130 with "interrupted after the change was committed (<sha>)".
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wtpf_cli.errors import WorkspaceStateError
from wtpf_cli.store.faults import HeldInterrupt, checkpoint, mark_committed
from wtpf_cli.store.files import pid_alive, sweep_temps, write_atomic
from wtpf_cli.store.git import History, Identity

JOURNAL = "wtpf-journal.json"
log = logging.getLogger("wtpf")


@dataclass(frozen=True, slots=True)
class FileWrite:
    """One work-tree file a transaction writes: repo path, old and new blob (None: absent)."""

    path: str
    old: str | None
    new: str | None


@dataclass
class Transaction:
    """A change being prepared: commits chained on the branch's tip, tags, and the files' final bytes."""

    history: History
    command: str
    ref: str = ""
    base: str | None = None
    tip: str | None = None
    tags: list[tuple[str, str]] = field(default_factory=list)  # (refs/tags/..., tag object)
    files: dict[str, bytes | None] = field(default_factory=dict)  # repo path -> final bytes
    blobs: dict[str, str | None] = field(default_factory=dict)  # repo path -> final blob

    @staticmethod
    def start(history: History, command: str) -> Transaction:
        """A transaction on the current branch; refused with HEAD detached (there is no branch to record it on)."""
        ref = history.head_ref()
        if ref is None:
            raise WorkspaceStateError(
                f"HEAD is detached: `wtpf {command}` records commits on a branch; run `git switch main` first"
            )
        head = history.resolve(ref)
        return Transaction(history, command, ref, head, head)

    def commit(
        self,
        files: Mapping[str, bytes | None],
        message: str,
        author: Identity,
        committer: Identity,
        date: str | None = None,
    ) -> str:
        """Add a commit on the tip that sets `files` (repo path -> bytes, None = remove); returns its id."""
        h = self.history
        blobs = {path: (h.write_blob(path, data) if data is not None else None) for path, data in files.items()}
        tree = self.history.write_tree(self.tip, blobs)
        self.tip = self.history.write_commit(tree, self.tip, message, author, committer, date)
        self.files.update(files)
        self.blobs.update(blobs)
        checkpoint("objects", h.git_dir / "objects")
        return self.tip

    def tag(self, name: str, message: str, tagger: Identity, date: str | None = None) -> str:
        """Add an annotated tag `name` on the tip; returns the tag object."""
        if self.tip is None:
            raise WorkspaceStateError("nothing to tag")
        obj = self.history.write_tag(name, self.tip, message, tagger, date)
        self.tags.append((f"refs/tags/{name}", obj))
        return obj

    def apply(self) -> None:
        """Write journal, files, index, then move the refs at once; undone in-process if anything fails."""
        if self.tip == self.base:
            return
        h = self.history
        old_blobs = h.disk_blobs(list(self.files))  # the work tree now, hand edits included
        journal = {
            "command": self.command,
            "pid": os.getpid(),
            "ref": self.ref,
            "old": self.base,
            "new": self.tip,
            "tags": [[name, obj] for name, obj in self.tags],
            "files": [{"path": p, "old": old_blobs[p], "new": self.blobs[p]} for p in self.files],
        }
        with HeldInterrupt() as held:
            jpath = h.git_dir / JOURNAL
            staged = False
            try:
                write_atomic(jpath, json.dumps(journal, indent=1).encode())
                checkpoint("journal", jpath)
                for path, data in self.files.items():
                    target = h.root / path
                    if old_blobs[path] == self.blobs[path]:
                        continue  # already as wanted (`wtpf commit` of hand edits)
                    if data is None:
                        target.unlink(missing_ok=True)
                    else:
                        write_atomic(target, data)
                staged = True  # from here the index may hold the new state
                h.stage(sorted(self.files))
                checkpoint("index", h.git_dir / "index")
                if held.pending:
                    raise KeyboardInterrupt
                updates: list[tuple[str, str | None, str | None]] = [(self.ref, self.tip, self.base)]
                updates += [(name, obj, None) for name, obj in self.tags]
                h.update_refs(updates, f"wtpf {self.command}")
                mark_committed(self.tip or "")
            except BaseException:
                _roll_back(h, _file_writes(journal), self.base, index=staged)
                jpath.unlink(missing_ok=True)
                raise
            checkpoint("refs")
            jpath.unlink(missing_ok=True)
            checkpoint("done")
            if held.pending:
                raise KeyboardInterrupt  # the change is made; the user still asked to stop


def _file_writes(journal: dict[str, object]) -> list[FileWrite]:
    files = journal.get("files")
    if not isinstance(files, list):
        return []
    return [FileWrite(str(f["path"]), f.get("old"), f.get("new")) for f in files if isinstance(f, dict)]


def _disk_blob(h: History, path: str, *, store: bool = False) -> str | None:
    target = h.root / path
    if not target.is_file():
        return None
    return h.write_blob(path, target.read_bytes(), store=store)


def _roll_back(h: History, files: list[FileWrite], base: str | None, *, index: bool = True) -> list[str]:
    """Put back files that hold a change's new bytes, and their index entries as in commit `base`; returns the
    paths left alone (changed by hand since)."""
    kept: list[str] = []
    for f in files:
        target = h.root / f.path
        disk = _disk_blob(h, f.path)
        if disk == f.old:
            continue
        if disk != f.new:
            kept.append(f.path)  # changed by hand since: never overwritten
            continue
        if f.old is None:
            target.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # folders the change made, if now empty
                for parent in target.parents:
                    if parent == h.root:
                        break
                    parent.rmdir()
        else:
            write_atomic(target, h.read_blob(f.old))
    if files and index:  # the index goes back in any case: hand edits stay in the work tree only
        h.reset_index(base, [f.path for f in files])
    return kept


def recover(history: History, workspace_root: Path | None = None) -> None:
    """Finish or undo a change an interrupted wtpf left in its journal, then remove stale temp files.

    The caller holds wtpf's lock."""
    jpath = history.git_dir / JOURNAL
    if jpath.exists():
        try:
            journal = json.loads(jpath.read_text(encoding="utf-8"))
            if not isinstance(journal, dict):
                raise ValueError("not an object")
        except (OSError, ValueError) as exc:
            log.warning("dropped %s: unreadable (%s)", jpath, exc)
            jpath.unlink(missing_ok=True)
            journal = None
        if journal is not None:
            _clear_stale_git_locks(history, journal, jpath)
            _recover(history, journal)
            jpath.unlink(missing_ok=True)
    folders = [history.git_dir, *([workspace_root] if workspace_root else [])]
    if workspace_root and (workspace_root / "contributions").is_dir():
        folders += [d for d in (workspace_root / "contributions").iterdir() if d.is_dir()]
    for folder in folders:
        sweep_temps(folder)
    for stale in history.git_dir.glob("wtpf-index.*"):
        pid = stale.name.split(".")[1]
        if pid.isdigit() and not pid_alive(int(pid)):
            stale.unlink(missing_ok=True)


def interrupted_command(history: History) -> str | None:
    """The command whose journal an interrupted wtpf left (its process is gone), or None."""
    try:
        journal = json.loads((history.git_dir / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pid = journal.get("pid") if isinstance(journal, dict) else None
    if isinstance(pid, int) and pid_alive(pid):
        return None
    return str(journal.get("command", "?")) if isinstance(journal, dict) else "?"


def _git_locks(h: History, journal: dict[str, object]) -> list[Path]:
    """The lock files git takes for the steps of a change: the index, HEAD, packed refs, the branch and the tags."""
    refs = [str(journal.get("ref", ""))]
    tags = journal.get("tags")
    refs += [str(name) for name, _ in (tags if isinstance(tags, list) else [])]
    found = [h.git_dir / "index.lock", h.git_dir / "HEAD.lock", h.common_dir / "packed-refs.lock"]
    found += [h.common_dir / f"{ref}.lock" for ref in refs if ref.startswith("refs/") and ".." not in ref]
    return [p for p in found if p.exists()]


def _clear_stale_git_locks(h: History, journal: dict[str, object], jpath: Path) -> None:
    """Remove the git lock files that provably belong to the interrupted change, so that it can be finished or
    undone: its wtpf is gone (the caller holds wtpf's lock, so no other wtpf runs), the lock was made after the
    journal (a change's git steps that lock - staging, the ref transaction - all come after its journal is written),
    and no git runs in this work tree (Linux: /proc; a git the killed wtpf started may still be finishing). Any other
    lock stays, and the git step that meets it names it."""
    pid = journal.get("pid")
    if not isinstance(pid, int) or pid_alive(pid):
        return
    try:
        written = jpath.stat().st_mtime_ns
    except OSError:
        return
    locks = []
    for lock in _git_locks(h, journal):
        with contextlib.suppress(OSError):
            if lock.stat().st_mtime_ns >= written:
                locks.append(lock)
    if not locks or _git_runs_in(h.root):
        return
    for lock in locks:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()
        log.warning("removed %s, left by the interrupted `wtpf %s`", lock, journal.get("command", "?"))


def _git_runs_in(root: Path) -> bool:
    """Whether a git process works in `root` now (by /proc, where there is one; elsewhere: not known, False)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return False
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if (entry / "comm").read_text().strip().startswith("git") and Path(os.readlink(entry / "cwd")) == root:
                return True
    return False


def _recover(h: History, journal: dict[str, object]) -> None:
    command = journal.get("command", "?")
    ref, old, new = str(journal.get("ref", "")), journal.get("old"), journal.get("new")
    current = h.resolve(ref) if ref else None
    if current == new:
        tags = journal.get("tags")
        missing = [
            (str(name), str(obj), None)
            for name, obj in (tags if isinstance(tags, list) else [])
            if h.resolve(str(name)) is None
        ]
        if missing:
            h.update_refs(missing, f"wtpf: finish interrupted {command}")  # type: ignore[arg-type]
        h.stage([f.path for f in _file_writes(journal) if _disk_blob(h, f.path) == f.new])
        log.warning("an interrupted `wtpf %s` had made its change; finished it", command)
    elif current == old:
        kept = _roll_back(h, _file_writes(journal), old if isinstance(old, str) else None)
        note = f" ({', '.join(kept)} changed since: left as it is)" if kept else ""
        log.warning("an interrupted `wtpf %s` was rolled back: nothing of it was kept%s", command, note)
    else:
        log.warning("the branch moved since an interrupted `wtpf %s`: its journal is dropped, nothing touched", command)
