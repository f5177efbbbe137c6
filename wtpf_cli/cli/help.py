"""How `--help` shows the options: a flag (`--json`, `--strict`) as a flag, without a value type after it."""

from __future__ import annotations

from typing import Any

from wtpf_cli.cli._typer import Group


def _as_flag(param: Any) -> None:
    """A flag takes no value: typer would show `<bool>` after it, as if it took one; an empty metavar shows none."""
    if getattr(param, "is_flag", False):
        param.metavar = ""


def _flags_as_flags(command: Any) -> None:
    for param in command.params:
        _as_flag(param)
    make_help = command.get_help_option

    def help_option(ctx: Any) -> Any:  # --help itself is made when parsing starts
        option = make_help(ctx)
        if option is not None:
            _as_flag(option)
        return option

    setattr(command, "get_help_option", help_option)  # noqa: B010  (typer's method, on this command)
    for sub in getattr(command, "commands", {}).values():
        _flags_as_flags(sub)


class App(Group):
    """The top-level group of `wtpf`: its commands' flags are shown as flags in every `--help`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _flags_as_flags(self)
