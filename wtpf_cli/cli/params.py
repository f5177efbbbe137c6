"""The parameters of the commands, walked once the app is built: how `--help` shows a flag (as a flag, without
a value type after it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def each_parameter(command: Any, apply: Callable[[Any], None]) -> None:
    """Apply `apply` to every parameter of `command` and of its subcommands, `--help` included (typer makes that
    one when parsing starts)."""
    for param in command.params:
        apply(param)
    make_help = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = make_help(ctx)
        if option is not None:
            apply(option)
        return option

    setattr(command, "get_help_option", help_option)  # noqa: B010  (typer's method, on this command)
    for sub in getattr(command, "commands", {}).values():
        each_parameter(sub, apply)


def shown_as_flag(param: Any) -> None:
    """A flag (`--json`) takes no value: typer would show `<bool>` after it, as if it took one; no metavar."""
    if getattr(param, "is_flag", False):
        param.metavar = ""
