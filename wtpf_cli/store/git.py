"""The git boundary: the only module that runs git (as subprocesses, so no command pays for importing a git library
at start-up). User-supplied strings never reach git as options."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import subprocess
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wtpf_cli.errors import OutputError, WorkspaceStateError

_SEP = "\x1f"
_SHA_RE = re.compile(r"[0-9a-f]{40}")
# git's messages in English (_git_error reads them); no optional locks (`git --no-optional-locks`): a command that
# only reads, such as `git status`, then never takes the index's lock to refresh it, so that it can neither leave
# one behind when killed nor collide with one a writing command holds. (Writes still take the locks they need.)
_C_LOCALE = {"LANGUAGE": "C", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
# Objects, refs and index reach the disk before the next step relies on them (git >= 2.36; older git ignores the
# setting): the order of transaction.py then also holds across a power cut.
_FSYNC = ["-c", "core.fsync=added", "-c", "core.fsyncMethod=fsync"]
_TREE_MODE = b"40000"
_PIPE_SIZE = 1 << 20  # bytes a git process may write ahead of its reader (Linux's default limit for a pipe)
_ENTRY_TYPES = {_TREE_MODE: b"tree", b"160000": b"commit"}  # any other mode: a blob (file, executable, symlink)


@dataclass(frozen=True, slots=True)
class Identity:
    """A git author or committer."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class CommitInfo:
    """What the attribution needs of a commit."""

    sha: str
    author: Identity
    date: str  # author date, UTC, YYYY-MM-DDThh:mm:ssZ
    subject: str
    parents: int


@dataclass(frozen=True, slots=True)
class TagInfo:
    """An annotated tag: its short name, the commit it points to, its message."""

    name: str
    sha: str
    message: str


_LOCK_RE = re.compile(r"Unable to create '([^']+\.lock)': File exists")
_DUBIOUS_RE = re.compile(r"dubious ownership in repository at '([^']+)'")


def lock_held(lock: str | Path) -> str:
    """What to say of a git lock file left in the way: its path, and when to remove it."""
    return f"{lock} exists: another git command is running, or one crashed (then remove the file)"


def git_cause(stderr: str, fallback: str) -> str:
    """The cause in git's words, on one line: its `fatal:`/`error:` line rather than the hints after it (a lock
    named as the file to remove, a repository of another user as git's safe.directory setting)."""
    lock = _LOCK_RE.search(stderr)
    if lock:
        return lock_held(lock.group(1))
    dubious = _DUBIOUS_RE.search(stderr)
    if dubious:
        where = dubious.group(1)
        return (
            f"dubious ownership: {where} belongs to another user; if you trust it, "
            f"`git config --global --add safe.directory {where}`"
        )
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    causes = [line for line in lines if line.startswith(("fatal:", "error:"))]
    plain = [line for line in lines if not line.startswith("hint:")]
    cause = causes[0] if causes else " ".join(plain) if plain else fallback  # git's words without its hints
    cause = cause.removeprefix("fatal: ").removeprefix("error: ")
    return cause if len(cause) <= 300 else cause[:299] + "…"


def _git_error(command: str, stderr: str, exc: object, git_dir: Path | None = None) -> Exception:
    """A failed git command as one of our errors: a full disk is an output failure (exit 5), the rest state (4)."""
    last = git_cause(stderr, str(exc))
    full = any(word in stderr for word in ("No space left on device", "Out of diskspace", "Disk quota exceeded"))
    wrote = any(word in stderr for word in ("couldn't write", "write error", "unable to write", "could not write"))
    if not full and wrote and git_dir is not None:
        with contextlib.suppress(OSError):  # git does not always say why a write failed: look at the disk
            disk = os.statvfs(git_dir)
            full = disk.f_bavail * disk.f_frsize < 1024 * 1024
    if full:
        quoted = re.search(r"'(/[^']+|\.git/[^']+)'", stderr)
        where = quoted.group(1) if quoted else (str(git_dir) if git_dir else None)
        return OutputError(f"No space left on device (git {command})", path=where)
    return WorkspaceStateError(f"git {command} failed: {last}")


def _run_git(
    args: list[str], cwd: Path, *, data: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run git in `cwd` with our environment plus `env`, stdin `data` (None: no input), output captured."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=data,
            stdin=subprocess.DEVNULL if data is None else None,
            capture_output=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
    except OSError as exc:  # no git on PATH, or the folder vanished
        raise WorkspaceStateError(f"cannot run git: {exc.strerror or exc}") from exc


def _text(out: bytes) -> str:
    """git's output as text; bytes that are not UTF-8 survive as surrogates (as file names do in Python)."""
    return out.decode("utf-8", "surrogateescape")


class _GitPipe:
    """A long-running git process (`cat-file --batch`, `mktree --batch`) asked one request at a time: one process
    for a whole command instead of one per object."""

    def __init__(self, command: str, args: list[str], cwd: Path, git_dir: Path) -> None:
        self.command, self.git_dir = command, git_dir
        try:
            self.proc = subprocess.Popen(
                ["git", *args],
                cwd=cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise WorkspaceStateError(f"cannot run git: {exc.strerror or exc}") from exc

    def ask(self, request: bytes) -> bytes:
        """Send `request`; the first line of the answer (without its line feed)."""
        self.send(request)
        return self.line()

    def send(self, request: bytes) -> None:
        """Send `request` (its answer is read later, in order)."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(request)
            self.proc.stdin.flush()
        except OSError:
            pass  # the process has ended: reading its answer says why

    def line(self) -> bytes:
        """The first line of the next answer (without its line feed)."""
        assert self.proc.stdout is not None
        try:
            line = self.proc.stdout.readline()
        except OSError:
            line = b""
        if not line.endswith(b"\n"):
            raise self._failed()
        return line[:-1]

    def read(self, size: int) -> bytes:
        """The next `size` bytes of the answer and the line feed after them."""
        assert self.proc.stdout is not None
        data = self.proc.stdout.read(size)
        if len(data) != size or self.proc.stdout.read(1) != b"\n":  # (read apart: no copy of the whole)
            raise self._failed()
        return data

    def _failed(self) -> Exception:
        stderr = self.close()
        return _git_error(self.command, stderr.decode("utf-8", "replace"), f"exit {self.proc.returncode}", self.git_dir)

    def close(self) -> bytes:
        """End the process (it stops at the end of its input); what it said on stderr."""
        try:
            _out, stderr = self.proc.communicate(timeout=10)  # closes stdin: git ends
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _out, stderr = self.proc.communicate()
        return stderr or b""


def _close_pipes(pipes: dict[str, _GitPipe]) -> None:
    for pipe in pipes.values():
        pipe.close()
    pipes.clear()


def _parse_tree(data: bytes, id_size: int) -> dict[bytes, tuple[bytes, str]]:
    """A raw tree object's entries: name -> (mode, object id)."""
    entries: dict[bytes, tuple[bytes, str]] = {}
    pos = 0
    while pos < len(data):
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        entries[data[space + 1 : nul]] = (data[pos:space], data[nul + 1 : nul + 1 + id_size].hex())
        pos = nul + 1 + id_size
    return entries


def _widen(pipe: _GitPipe) -> None:
    """Room for a whole version of the draft in the pipe from git (Linux; elsewhere, or over a limit, as it was)."""
    try:
        import fcntl  # POSIX only
    except ImportError:
        return
    if hasattr(fcntl, "F_SETPIPE_SZ") and pipe.proc.stdout is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.proc.stdout.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_SIZE)


def _one_line(name: str) -> bool:
    """Whether `name` goes to a `cat-file --batch` as one request line (git drops a carriage return before the
    line feed): a name that does not would put the long-running process out of step."""
    return "\n" not in name and not name.endswith("\r")


def _plain_path(path: str) -> bool:
    """Whether `path` is an ordinary relative file path that git's own checks (update-index) would accept."""
    parts = path.split("/")
    return all(
        part not in ("", ".", "..") and not part.lower().startswith(".git") and not any(c in part for c in "\\\0\n")
        for part in parts
    )


def utc_stamp(epoch: int) -> str:
    """Seconds since the epoch -> 'YYYY-MM-DDThh:mm:ssZ'."""
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_env(author: Identity, committer: Identity, date: str | None) -> dict[str, str]:
    """The environment that makes git record these identities (and this date, if given)."""
    env = {
        "GIT_AUTHOR_NAME": author.name,
        "GIT_AUTHOR_EMAIL": author.email,
        "GIT_COMMITTER_NAME": committer.name,
        "GIT_COMMITTER_EMAIL": committer.email,
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = to_git_date(date)
    return env


def to_git_date(stamp: str) -> str:
    """An ISO date or date-time (UTC if no zone) in git's internal format '<epoch> +0000'."""
    text = stamp.replace("Z", "+00:00")
    when = dt.datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return f"{int(when.timestamp())} +0000"


class History:
    """A git repository holding a workspace."""

    def __init__(self, root: Path, git_dir: Path, common_dir: Path | None = None) -> None:
        self.root = root.resolve()
        self._git_dir = git_dir
        self.common_dir = common_dir or git_dir  # shared by all worktrees of the repository (refs, objects)
        self._configs: dict[str, str | None] = {}  # git config does not change under a running command
        self._shallow: bool | None = None
        self._files: OrderedDict[tuple[str, str], bytes | None] = OrderedDict()  # (commit id, path): immutable
        self._trees: dict[str, dict[bytes, tuple[bytes, str]]] = {}  # tree id -> entries
        self._pipes: dict[str, _GitPipe] = {}
        weakref.finalize(self, _close_pipes, self._pipes)

    def close(self) -> None:
        """End the long-running git processes (a later call starts them again)."""
        _close_pipes(self._pipes)

    def after_fork(self) -> None:
        """In a forked child: let go of the parent's git processes without a word to them (their requests and
        answers are the parent's), so that this process starts its own."""
        for pipe in self._pipes.values():
            for stream in (pipe.proc.stdin, pipe.proc.stdout, pipe.proc.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        os.close(stream.fileno())  # not stream.close(): that would flush into the parent's request
        self._pipes = {}
        weakref.finalize(self, _close_pipes, self._pipes)

    def _pipe(self, name: str, args: list[str]) -> _GitPipe:
        pipe = self._pipes.get(name)
        if pipe is None or pipe.proc.poll() is not None:
            if pipe is not None:
                pipe.close()
            pipe = self._pipes[name] = _GitPipe(name, args, self.root, self.git_dir)
        return pipe

    @staticmethod
    def find(start: Path) -> History | None:
        """The repository (with a work tree) containing `start`, or None."""
        if not start.exists():
            return None
        here = start if start.is_dir() else start.parent
        proc = _run_git(["rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir"], here, env=_C_LOCALE)
        stderr = _text(proc.stderr)
        if proc.returncode != 0:
            if "not a git repository" in stderr or "must be run in a work tree" in stderr:
                return None
            raise _git_error("rev-parse", stderr, f"exit {proc.returncode}")  # e.g. 'dubious ownership'
        top, git_dir, common = _text(proc.stdout).removesuffix("\n").split("\n")[-3:]
        return History(Path(top), Path(git_dir), (here / common).resolve())  # (common: relative to `here`)

    @staticmethod
    def create(path: Path) -> History:
        """A new repository at `path` whose first branch is main."""
        path.mkdir(parents=True, exist_ok=True)
        proc = _run_git(["init", "--quiet"], path, env=_C_LOCALE)
        if proc.returncode != 0:
            raise _git_error("init", _text(proc.stderr), f"exit {proc.returncode}", path)
        history = History.find(path)
        if history is None:
            raise WorkspaceStateError(f"git init made no repository in {path}")
        history._git("symbolic-ref", "HEAD", "refs/heads/main")
        return history

    def _run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
        return _run_git(list(args), self.root, env={**_C_LOCALE, **(env or {})})

    def _git(self, *args: str, env: dict[str, str] | None = None) -> str:
        proc = self._run(*args, env=env)
        if proc.returncode != 0:
            raise _git_error(args[0], _text(proc.stderr), f"exit {proc.returncode}", self.git_dir)
        return _text(proc.stdout)

    def _git_or_none(self, *args: str) -> str | None:
        """git's output, or None when it fails (a question answered no)."""
        proc = self._run(*args)
        return _text(proc.stdout) if proc.returncode == 0 else None

    def resolve(self, rev: str) -> str | None:
        """The commit a revision names, or None (the revision is never read as an option)."""
        out = self._git_or_none("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        return (out or "").strip() or None

    def head(self) -> str | None:
        """The commit HEAD points to, or None in a repository without commits."""
        return self.resolve("HEAD")

    def branch(self) -> str | None:
        """The current branch, or None when HEAD is detached."""
        out = self._git_or_none("symbolic-ref", "--quiet", "--short", "HEAD")
        return (out or "").strip() or None

    def is_ancestor(self, older: str, newer: str) -> bool:
        """Whether commit `older` is an ancestor of (or equal to) `newer`."""
        return self._git_or_none("merge-base", "--is-ancestor", older, newer) is not None

    def commits_touching(self, older: str | None, newer: str, path: str) -> list[CommitInfo]:
        """First-parent commits after `older` up to `newer` that change `path`, oldest first."""
        span = f"{older}..{newer}" if older else newer
        fmt = _SEP.join(["%H", "%an", "%ae", "%at", "%P", "%s"]) + "%x1e"
        out = self._git("log", "--first-parent", "--reverse", f"--format={fmt}", span, "--", path)
        commits = []
        for record in out.split("\x1e"):
            line = record.strip("\n")
            if not line:
                continue
            sha, name, email, at, parents, subject = line.split(_SEP, 5)
            commits.append(CommitInfo(sha, Identity(name, email), utc_stamp(int(at)), subject, len(parents.split())))
        return commits

    def trailer_values(self, older: str | None, newer: str, key: str) -> list[str]:
        """Values of trailer `key` in the first-parent commits after `older` up to `newer`, oldest first."""
        span = f"{older}..{newer}" if older else newer
        fmt = f"%(trailers:key={key},valueonly,separator=%x1f)%x1e"
        out = self._git("log", "--first-parent", "--reverse", f"--format={fmt}", span)
        return [v.strip() for rec in out.split("\x1e") for v in rec.split(_SEP) if v.strip()]

    def trailers_by_commit(self, older: str | None, newer: str, keys: tuple[str, ...]) -> dict[str, dict[str, str]]:
        """The first value of each trailer in `keys`, per first-parent commit after `older` up to `newer` that has
        any of them."""
        span = f"{older}..{newer}" if older else newer
        fmt = "%H" + "".join(f"%x1d%(trailers:key={k},valueonly,separator=%x1f)" for k in keys) + "%x1e"
        out = self._git("log", "--first-parent", f"--format={fmt}", span)
        found: dict[str, dict[str, str]] = {}
        for rec in out.split("\x1e"):
            sha, *values = rec.strip("\n").split("\x1d")
            got = {k: v.split(_SEP)[0].strip() for k, v in zip(keys, values, strict=False) if v.strip()}
            if sha and got:
                found[sha] = got
        return found

    def commit_info(self, sha: str) -> CommitInfo:
        """Author, date and subject of one commit."""
        fmt = "--format=%H%x00%an%x00%ae%x00%at%x00%P%x00%B"
        out = self._git("show", "--no-patch", "--no-show-signature", fmt, "--end-of-options", sha)
        full, name, email, at, parents, message = out.split("\0", 5)
        summary = message.split("\n", 1)[0]  # the message's first line, as written (%s would join a paragraph)
        return CommitInfo(full, Identity(name, email), utc_stamp(int(at)), summary, len(parents.split()))

    def read_file(self, sha: str, path: str) -> bytes | None:
        """The bytes of `path` at commit `sha`, or None where it is not a file there."""
        key = (sha, path)
        if key in self._files:
            self._files.move_to_end(key)
            return self._files[key]
        found = self.read_files([sha], path)[0]
        data = found[1] if found is not None else None
        if _SHA_RE.fullmatch(sha):  # a commit id names the same bytes for ever (a branch name does not)
            self._files[key] = data
            if len(self._files) > 4:  # a merge reads the few versions its contributions were made on, again and again
                self._files.popitem(last=False)
        return data

    def blame_authors(self, sha: str, path: str) -> list[Identity]:
        """The author of the last change to each line of `path` at `sha` (1st line first)."""
        out = self._git("blame", "--porcelain", sha, "--", path)
        authors: dict[str, Identity] = {}
        lines: list[Identity] = []
        current = ""
        name = email = ""
        for line in out.splitlines():
            if line.startswith("\t"):
                lines.append(authors.get(current, Identity("", "")))
                continue
            head = line.split(" ", 1)
            if len(head[0]) == 40 and all(ch in "0123456789abcdef" for ch in head[0]):
                current = head[0]
            elif head[0] == "author":
                name = head[1] if len(head) > 1 else ""
            elif head[0] == "author-mail":
                email = (head[1] if len(head) > 1 else "").strip("<>")
                authors[current] = Identity(name, email)
        return lines

    def removed_lines(self, older: str, newer: str, path: str) -> list[str | None]:
        """For each line of `path` at `older`, the commit on the way to `newer` (a straight line of commits) that
        took it out or changed it; None for a line that stands unchanged at `newer` (or where git cannot tell)."""
        if older == newer:
            return []
        out = self._git_or_none("blame", "--reverse", "--porcelain", f"{older}..{newer}", "--", path) or ""
        last: dict[int, str] = {}  # line (0-based) -> the last commit where it still stood
        for entry in out.split("\n"):
            head = entry.split(" ")
            if len(head) >= 3 and _SHA_RE.fullmatch(head[0]) and head[2].isdigit():
                last[int(head[2]) - 1] = head[0]
        path_commits = (
            self._git_or_none("rev-list", "--reverse", "--ancestry-path", f"{older}..{newer}") or ""
        ).split()
        after = dict(zip([older, *path_commits], path_commits, strict=False))  # each commit's successor
        return [
            after.get(last[k]) if k in last and last[k] != newer else None for k in range(max(last, default=-1) + 1)
        ]

    def blame_authors_since(self, sha: str, path: str, since: str, earlier: list[Identity]) -> list[Identity]:
        """blame_authors(sha, path) given `earlier` = blame_authors(since, path) for `since` the parent (or an
        ancestor on a straight line) of `sha`: git blames only the commits after `since` (a diff each, not the
        whole history); lines `since` already had keep their author from `earlier` (its line number in porcelain)."""
        out = self._git("blame", "--porcelain", f"{since}..{sha}", "--", path)
        authors: dict[str, Identity] = {}
        lines: list[Identity] = []
        current, orig = "", 0
        name = ""
        for line in out.splitlines():
            if line.startswith("\t"):
                if current == since:
                    lines.append(earlier[orig - 1] if 0 < orig <= len(earlier) else Identity("", ""))
                else:
                    lines.append(authors.get(current, Identity("", "")))
                continue
            head = line.split(" ")
            if len(head[0]) == 40 and _SHA_RE.fullmatch(head[0]):
                current, orig = head[0], int(head[1])
            elif head[0] == "boundary" and current != since:
                return self.blame_authors(sha, path)  # another boundary: not a straight line from `since`
            elif head[0] == "author":
                name = line[len("author ") :]
            elif head[0] == "author-mail":
                authors[current] = Identity(name, line[len("author-mail ") :].strip("<>"))
        return lines

    def blob_id(self, sha: str, path: str) -> str | None:
        """The blob id of `path` at `sha` (cheap change detection), or None."""
        if not _one_line(f"{sha}:{path}"):
            out = self._git_or_none("rev-parse", "--verify", "--quiet", "--end-of-options", f"{sha}:{path}")
            return (out or "").strip() or None
        pipe = self._pipe("cat-file --batch-check", ["cat-file", "--batch-check"])
        head = pipe.ask(f"{sha}:{path}\n".encode()).split(b" ")  # on stdin: never read as an option
        return head[0].decode() if len(head) == 3 and head[2].isdigit() else None  # "<name> missing": no size

    def changed_paths(self, paths: list[str], *, untracked: bool = True) -> list[str]:
        """Paths among `paths` (folders allowed) that differ from HEAD (or, with `untracked`, are new)."""
        mode = "--untracked-files=all" if untracked else "--untracked-files=no"
        out = self._git("status", "--porcelain=v1", "-z", mode, "--", *paths)
        return [entry[3:] for entry in out.split("\0") if len(entry) > 3]

    def is_shallow(self) -> bool:
        """Whether this repository is a shallow clone (its history cut at some depth)."""
        if self._shallow is None:
            self._shallow = self._git("rev-parse", "--is-shallow-repository").strip() == "true"
        return self._shallow

    def last_commit_with_subject(self, start: str, subject: str, path: str) -> str | None:
        """The newest first-parent commit up to `start` changing `path` whose message holds `subject`."""
        out = self._git(
            "log", "-1", "--first-parent", "--format=%H", "--fixed-strings", f"--grep={subject}", start, "--", path
        )
        return out.strip() or None

    def operation_in_progress(self) -> str | None:
        """'merge', 'rebase', 'cherry-pick' or 'revert' when git is in the middle of one."""
        gd = self.git_dir
        for name, what in (
            ("MERGE_HEAD", "merge"),
            ("rebase-merge", "rebase"),
            ("rebase-apply", "rebase"),
            ("CHERRY_PICK_HEAD", "cherry-pick"),
            ("REVERT_HEAD", "revert"),
        ):
            if (gd / name).exists():
                return what
        return None

    @property
    def git_dir(self) -> Path:
        """The .git folder."""
        return self._git_dir

    def configured_identity(self) -> Identity | None:
        """user.name/user.email from git config or the environment, if set."""
        name = os.environ.get("GIT_AUTHOR_NAME") or self._config("user.name")
        email = os.environ.get("GIT_AUTHOR_EMAIL") or self._config("user.email")
        if not name:
            return None
        return Identity(name, email or "")

    def _config(self, key: str) -> str | None:
        if key not in self._configs:
            out = self._git_or_none("config", "--get", key)
            self._configs[key] = (out or "").strip() or None
        return self._configs[key]

    def commit(
        self,
        paths: list[str],
        message: str,
        author: Identity,
        committer: Identity,
        date: str | None = None,
    ) -> str:
        """Commit exactly `paths` (added or removed) with the given identities; returns the new commit."""
        env = identity_env(author, committer, date)
        self._git("add", "--all", "--", *paths)
        self._git("commit", "--quiet", "--no-verify", "-m", message, "--", *paths, env=env)
        sha = self.head()
        if sha is None:
            raise OutputError("git commit produced no commit")
        return sha

    def tag(self, name: str, sha: str, message: str, tagger: Identity, date: str | None = None) -> None:
        """Create annotated tag `name` on `sha`; refuses to move an existing tag."""
        env = {"GIT_COMMITTER_NAME": tagger.name, "GIT_COMMITTER_EMAIL": tagger.email}
        if date:
            env["GIT_COMMITTER_DATE"] = to_git_date(date)
        self._git("tag", "--annotate", "-m", message, "--end-of-options", name, sha, env=env)

    def delete_tag(self, name: str) -> None:
        """Remove a tag (used to undo a half-finished stamp)."""
        self._git("tag", "--delete", "--end-of-options", name)

    def reset_mixed(self, sha: str) -> None:
        """Move the current branch and index back to `sha`, keeping the work tree (used to undo a commit)."""
        self._git("reset", "--quiet", "--mixed", sha)

    def tags(self, prefix: str, *, merged: str | None = None) -> list[TagInfo]:
        """Annotated tags under refs/tags/<prefix>/, oldest tagged first; with `merged` (a commit id), only those
        whose commit is in its history."""
        fmt = _SEP.join(["%(refname:strip=2)", "%(*objectname)", "%(objectname)", "%(contents)"]) + "\x1e"
        reach = [f"--merged={merged}"] if merged else []
        out = self._git("for-each-ref", "--sort=creatordate", *reach, f"--format={fmt}", f"refs/tags/{prefix}/")
        tags = []
        for rec in out.split("\x1e"):
            rec = rec.lstrip("\n")
            if not rec:
                continue
            name, peeled, obj, message = rec.split(_SEP, 3)
            tags.append(TagInfo(name, peeled or obj, message.strip()))
        return tags

    # Plumbing for all-or-nothing changes (wtpf_cli/store/transaction.py): objects first, files and index next, refs
    # last in one transaction, so that an interruption leaves the refs old or new, never half.

    def _plumb(self, *args: str, data: bytes = b"", env: dict[str, str] | None = None) -> str:
        proc = subprocess.run(
            ["git", *_FSYNC, *args],
            cwd=self.root,
            input=data,
            capture_output=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
        if proc.returncode != 0:
            raise _git_error(args[0], proc.stderr.decode("utf-8", "replace"), f"exit {proc.returncode}", self.git_dir)
        return proc.stdout.decode("utf-8", "replace")

    def write_blob(self, path: str, data: bytes, *, store: bool = True) -> str:
        """The id of the blob git would make of `data` as file `path` (its filters applied), stored unless not
        `store` (then nothing is written: safe on a full disk)."""
        return self._plumb("hash-object", *(["-w"] if store else []), "--stdin", f"--path={path}", data=data).strip()

    def disk_blobs(self, paths: list[str]) -> dict[str, str | None]:
        """The blob id of each work-tree file of `paths` (its filters applied), stored; None where it is not a file:
        one git process for all."""
        found: dict[str, str | None] = {p: None for p in paths}
        present = [p for p in paths if (self.root / p).is_file()]
        listed = [p for p in present if "\n" not in p and not p.startswith('"')]  # one a line, never unquoted
        for path in present:
            if path not in listed:
                found[path] = self.write_blob(path, (self.root / path).read_bytes())
        if listed:
            request = "".join(f"{p}\n" for p in listed).encode()  # paths on stdin: never read as options
            ids = self._plumb("hash-object", "-w", "--stdin-paths", data=request).split()
            if len(ids) != len(listed):
                raise WorkspaceStateError(f"git hash-object gave {len(ids)} ids for {len(listed)} files")
            found.update(zip(listed, ids, strict=True))
        return found

    def write_tree(self, base: str | None, files: dict[str, str | None]) -> str:
        """The tree of commit `base` (None: empty) with `files` (repo path -> blob id, None = removed)."""
        if not all(_plain_path(path) for path in files):
            return self.write_tree_indexed(base, files)  # git's checks of odd paths apply (update-index)
        changes = {tuple(path.encode().split(b"/")): blob for path, blob in files.items()}
        root = self._tree_entries(f"{base}^{{tree}}") if base else ("", {})
        tree = self._build_tree(root, changes)
        return tree if tree is not None else self.write_tree_indexed(base, files)  # an empty tree: rare

    def _tree_entries(self, name: str) -> tuple[str, dict[bytes, tuple[bytes, str]]]:
        """The id and entries of the tree `name` (an id, or `rev^{tree}`), read through one git process."""
        if name in self._trees:
            return name, self._trees[name]
        if not _one_line(name):
            raise WorkspaceStateError(f"git has no tree {name!r}")
        pipe = self._pipe("cat-file", ["cat-file", "--batch"])
        head = pipe.ask(name.encode() + b"\n").split(b" ")  # "<id> <type> <size>", or "<name> missing"
        if len(head) != 3 or head[1] != b"tree":
            raise WorkspaceStateError(f"git has no tree {name}")
        tree = head[0].decode()
        self._trees[tree] = _parse_tree(pipe.read(int(head[2])), len(tree) // 2)
        return tree, self._trees[tree]

    def _build_tree(
        self, tree: tuple[str, dict[bytes, tuple[bytes, str]]], changes: dict[tuple[bytes, ...], str | None]
    ) -> str | None:
        """The id of `tree` with `changes` (path parts -> blob id, None = removed) made, as update-index and
        write-tree would make it (a file replaces a folder or the reverse; a folder left empty goes); None: empty."""
        entries = dict(tree[1])
        inner: dict[bytes, dict[tuple[bytes, ...], str | None]] = {}
        for parts, blob in changes.items():
            if len(parts) > 1:
                inner.setdefault(parts[0], {})[parts[1:]] = blob
            elif blob is not None:
                entries[parts[0]] = (b"100644", blob)
            elif entries.get(parts[0], (_TREE_MODE,))[0] != _TREE_MODE:
                del entries[parts[0]]  # removing a file; a folder of that name stays (its files are other paths)
        for name, below in sorted(inner.items()):
            mode, sub = entries.get(name, (b"", ""))
            new = self._build_tree(self._tree_entries(sub) if mode == _TREE_MODE else ("", {}), below)
            if new is None:
                if mode == _TREE_MODE:
                    del entries[name]  # a folder left empty goes; a file of that name stays
            else:
                entries[name] = (_TREE_MODE, new)
        if not entries:
            return None
        if entries == tree[1] and tree[0]:
            return tree[0]
        lines = [b"%s %s %s\t%s\0" % (m, _ENTRY_TYPES.get(m, b"blob"), i.encode(), n) for n, (m, i) in entries.items()]
        pipe = self._pipe("mktree", [*_FSYNC, "mktree", "-z", "--batch"])
        made = pipe.ask(b"".join(lines) + b"\0").decode()
        self._trees[made] = entries
        return made

    def write_tree_indexed(self, base: str | None, files: dict[str, str | None]) -> str:
        """write_tree through a private index (read-tree, update-index, write-tree): git's own rules, 3 processes."""
        index = self.git_dir / f"wtpf-index.{os.getpid()}"  # a private index: the user's is not touched
        env = {"GIT_INDEX_FILE": str(index)}
        try:
            if base:
                self._plumb("read-tree", base, env=env)
            else:
                self._plumb("read-tree", "--empty", env=env)
            entries = [
                f"100644 {blob}\t{path}" if blob else f"0 {'0' * 40}\t{path}" for path, blob in sorted(files.items())
            ]
            self._plumb("update-index", "-z", "--index-info", data="\0".join(entries).encode() + b"\0", env=env)
            return self._plumb("write-tree", env=env).strip()
        finally:
            index.unlink(missing_ok=True)

    def write_commit(
        self, tree: str, parent: str | None, message: str, author: Identity, committer: Identity, date: str | None
    ) -> str:
        """Store a commit object (no ref moves); returns its id."""
        env = identity_env(author, committer, date)
        parents = ["-p", parent] if parent else []
        return self._plumb("commit-tree", *parents, "-F", "-", tree, data=message.encode(), env=env).strip()

    def write_tag(self, name: str, sha: str, message: str, tagger: Identity, date: str | None) -> str:
        """Store an annotated tag object for commit `sha` (no ref is created); returns its id."""
        when = to_git_date(date) if date else f"{int(dt.datetime.now(dt.UTC).timestamp())} +0000"
        body = f"object {sha}\ntype commit\ntag {name}\ntagger {tagger.name} <{tagger.email}> {when}\n\n{message}"
        return self._plumb("mktag", data=body.encode()).strip()

    def head_ref(self) -> str | None:
        """The full name of the branch HEAD is on (refs/heads/main), also before its first commit; None if detached."""
        try:
            return self._plumb("symbolic-ref", "--quiet", "HEAD").strip() or None
        except WorkspaceStateError:
            return None

    def update_refs(self, updates: list[tuple[str, str | None, str | None]], reason: str) -> None:
        """Move refs in one transaction: (ref, new id or None to delete, expected old id or None if absent)."""
        zero = "0" * 40
        lines = ["start"]
        lines += [f"update {ref} {new or zero} {old or zero}" for ref, new, old in updates]
        lines += ["prepare", "commit"]
        self._plumb("update-ref", "-m", reason, "--stdin", data=("\n".join(lines) + "\n").encode())

    def stage(self, paths: list[str]) -> None:
        """Make the index hold the work tree's `paths` (added, changed or removed)."""
        present = [p for p in paths if (self.root / p).exists()]
        gone = [p for p in paths if not (self.root / p).exists()]
        if present:
            self._plumb("add", "--all", "--", *present)
        if gone:
            self._plumb("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *gone)

    def read_blob(self, blob: str) -> bytes:
        """The bytes of a blob."""
        proc = subprocess.run(["git", "cat-file", "blob", blob], cwd=self.root, capture_output=True, check=False)
        if proc.returncode != 0:
            raise _git_error("cat-file", proc.stderr.decode("utf-8", "replace"), blob)
        return proc.stdout

    def read_files(self, shas: list[str], path: str) -> list[tuple[str, bytes] | None]:
        """(blob id, bytes) of `path` at each commit of `shas`, None where it is not a file there: one git process
        for all reads of a run (a redline reads the draft at every commit between its two versions)."""
        if not all(_one_line(f"{sha}:{path}") for sha in shas):
            return [self._read_one(sha, path) for sha in shas]
        pipe = self._pipe("cat-file", ["cat-file", "--batch"])
        found: list[tuple[str, bytes] | None] = []
        for sha in shas:
            head = pipe.ask(f"{sha}:{path}\n".encode()).split(b" ")  # on stdin: never read as an option
            if len(head) == 3 and head[2].isdigit():  # "<id> <type> <size>"; "<name> missing" has no size
                data = pipe.read(int(head[2]))
                found.append((head[0].decode(), data) if head[1] == b"blob" else None)
            else:
                found.append(None)
        return found

    def read_files_ahead(self, shas: list[str], path: str) -> Iterator[tuple[str, bytes] | None]:
        """read_files(shas, path) one version at a time, each asked for before the one before it is taken: git
        reads it from its store while the caller works on that one (a git process of its own, ended with the
        iteration)."""
        if not all(_one_line(f"{sha}:{path}") for sha in shas):
            yield from (self._read_one(sha, path) for sha in shas)
            return
        name = "cat-file ahead"
        pipe = self._pipe(name, ["cat-file", "--batch"])
        _widen(pipe)
        try:
            for k, sha in enumerate(shas):
                if k == 0:
                    pipe.send(f"{sha}:{path}\n".encode())  # on stdin: never read as an option
                if k + 1 < len(shas):
                    pipe.send(f"{shas[k + 1]}:{path}\n".encode())
                head = pipe.line().split(b" ")
                if len(head) == 3 and head[2].isdigit():  # "<id> <type> <size>"; "<name> missing" has no size
                    data = pipe.read(int(head[2]))
                    yield (head[0].decode(), data) if head[1] == b"blob" else None
                else:
                    yield None
        finally:
            if self._pipes.get(name) is pipe:
                del self._pipes[name]
            pipe.close()

    def _read_one(self, sha: str, path: str) -> tuple[str, bytes] | None:
        """read_files for one path git's batch input cannot carry (a line feed in it)."""
        blob = self.blob_id(sha, path)
        if blob is None or (self._git_or_none("cat-file", "-t", blob) or "").strip() != "blob":
            return None
        return blob, self.read_blob(blob)

    def reset_index(self, sha: str | None, paths: list[str]) -> None:
        """Make the index entries of `paths` those of commit `sha` (None: no commit, so none), work tree untouched."""
        if sha:
            self._plumb("reset", "--quiet", sha, "--", *paths)
        else:
            self._plumb("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *paths)
