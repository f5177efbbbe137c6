"""The git boundary: the only module that runs git (as subprocesses, so no command pays for importing a git library
at start-up). User-supplied strings never reach git as options."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError, WorkspaceStateError

_SEP = "\x1f"
_SHA_RE = re.compile(r"[0-9a-f]{40}")
_C_LOCALE = {"LANGUAGE": "C", "LC_ALL": "C"}  # git's messages in English: _git_error reads them


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


def _git_error(command: str, stderr: str, exc: object, git_dir: Path | None = None) -> Exception:
    """A failed git command as one of our errors: a full disk is an output failure (exit 5), the rest state (4)."""
    detail = [line for line in stderr.strip().splitlines() if line.strip()]
    last = detail[-1] if detail else str(exc)
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

    def __init__(self, root: Path, git_dir: Path) -> None:
        self.root = root.resolve()
        self._git_dir = git_dir

    @staticmethod
    def find(start: Path) -> History | None:
        """The repository (with a work tree) containing `start`, or None."""
        if not start.exists():
            return None
        here = start if start.is_dir() else start.parent
        proc = _run_git(["rev-parse", "--show-toplevel", "--absolute-git-dir"], here, env=_C_LOCALE)
        stderr = _text(proc.stderr)
        if proc.returncode != 0:
            if "not a git repository" in stderr or "must be run in a work tree" in stderr:
                return None
            raise _git_error("rev-parse", stderr, f"exit {proc.returncode}")  # e.g. 'dubious ownership'
        top, git_dir = _text(proc.stdout).removesuffix("\n").split("\n")[-2:]
        return History(Path(top), Path(git_dir))

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
        found = self.read_files([sha], path)[0]
        return found[1] if found is not None else None

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
        if "\n" in path:
            out = self._git_or_none("rev-parse", "--verify", "--quiet", "--end-of-options", f"{sha}:{path}")
            return (out or "").strip() or None
        request = f"{sha}:{path}\n".encode()  # on stdin: never read as an option
        proc = _run_git(["cat-file", "--batch-check"], self.root, data=request)
        if proc.returncode != 0:
            raise _git_error("cat-file", _text(proc.stderr), f"exit {proc.returncode}")
        head = proc.stdout.split(b" ")  # "<id> <type> <size>", or "<name> missing"
        return head[0].decode() if len(head) == 3 and head[2].strip().isdigit() else None

    def changed_paths(self, paths: list[str], *, untracked: bool = True) -> list[str]:
        """Paths among `paths` (folders allowed) that differ from HEAD (or, with `untracked`, are new)."""
        mode = "--untracked-files=all" if untracked else "--untracked-files=no"
        out = self._git("status", "--porcelain=v1", "-z", mode, "--", *paths)
        return [entry[3:] for entry in out.split("\0") if len(entry) > 3]

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
        out = self._git_or_none("config", "--get", key)
        return (out or "").strip() or None

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

    def tags(self, prefix: str) -> list[TagInfo]:
        """Annotated tags under refs/tags/<prefix>/, oldest tagged first."""
        fmt = _SEP.join(["%(refname:strip=2)", "%(*objectname)", "%(objectname)", "%(contents)"]) + "\x1e"
        out = self._git("for-each-ref", "--sort=creatordate", f"--format={fmt}", f"refs/tags/{prefix}/")
        tags = []
        for rec in out.split("\x1e"):
            rec = rec.lstrip("\n")
            if not rec:
                continue
            name, peeled, obj, message = rec.split(_SEP, 3)
            tags.append(TagInfo(name, peeled or obj, message.strip()))
        return tags

    # Plumbing for all-or-nothing changes (wtpf_cli/transaction.py): objects first, files and index next, refs
    # last in one transaction, so that an interruption leaves the refs old or new, never half.

    def _plumb(self, *args: str, data: bytes = b"", env: dict[str, str] | None = None) -> str:
        proc = subprocess.run(
            # Objects, refs and index reach the disk before the next step relies on them (git >= 2.36; older
            # git ignores the setting): the order of transaction.py then also holds across a power cut.
            ["git", "-c", "core.fsync=added", "-c", "core.fsyncMethod=fsync", *args],
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

    def write_tree(self, base: str | None, files: dict[str, str | None]) -> str:
        """The tree of commit `base` (None: empty) with `files` (repo path -> blob id, None = removed)."""
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
        for all (a redline reads the draft at every commit between its two versions)."""
        if not shas or "\n" in path:
            return [self._read_one(sha, path) for sha in shas]
        request = "".join(f"{sha}:{path}\n" for sha in shas).encode()  # on stdin: never read as an option
        proc = subprocess.run(["git", "cat-file", "--batch"], cwd=self.root, input=request, capture_output=True)
        if proc.returncode != 0:
            raise _git_error("cat-file", proc.stderr.decode("utf-8", "replace"), f"exit {proc.returncode}")
        out, pos, found = proc.stdout, 0, []
        for _ in shas:
            end = out.index(b"\n", pos)
            head = out[pos:end].split(b" ")  # "<id> <type> <size>", or "<name> missing"
            pos = end + 1
            if len(head) == 3 and head[2].isdigit():  # a missing name ends with "missing", not a size
                size = int(head[2])
                found.append((head[0].decode(), out[pos : pos + size]) if head[1] == b"blob" else None)
                pos += size + 1
            else:
                found.append(None)
        return found

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
