"""The one error hierarchy: each subclass's docstring is its user-facing meaning; the CLI maps it to an exit code."""

from __future__ import annotations


class WtpfError(Exception):
    """wtpf could not do what was asked."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path

    def one_line(self) -> str:
        """The single line printed on stderr: the file (if any) and the reason."""
        text = " ".join(str(self).split())
        return f"{self.path}: {text}" if self.path else text


class CheckFailed(WtpfError):
    """The check found problems in the draft."""

    exit_code = 1


class UsageError(WtpfError):
    """The command was called with options or arguments that do not fit."""

    exit_code = 2


class InputRejected(WtpfError):
    """An input file is malformed, unsafe or not of the kind expected."""

    exit_code = 3

    def __init__(self, message: str, *, path: str | None = None, excerpt: str | None = None) -> None:
        super().__init__(message, path=path)
        self.excerpt = excerpt  # text of the input where the problem stands, for a report to find its line


class WorkspaceStateError(WtpfError):
    """The workspace is not in a state that allows this command (dirty tree, lock held, unknown version)."""

    exit_code = 4


class UnknownVersion(WorkspaceStateError):
    """No stamped version or git revision has that name."""


class OutputError(WtpfError):
    """The output could not be written; nothing was changed."""

    exit_code = 5


EXIT_INTERRUPTED = 130
