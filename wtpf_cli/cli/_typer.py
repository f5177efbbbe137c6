"""Speed only: typer's coercion of parameter values, answered without Pydantic in the plain cases.

Must equal typer's own coercion (`typer.core._TyperParameter.get_runtime_param().coerce`) for every value of every
option and argument of `wtpf`; tests/test_cli_typer.py parses each command's options with and without this patch
and compares the values and the errors. Skip this module to understand the program: `Group` is a `TyperGroup`.

Typer builds a Pydantic TypeAdapter for each parameter it processes, even an option left out (its value None,
which coerces to None before the adapter is used), and importing Pydantic would be the largest part of `wtpf`'s
start-up. The plain cases answered here: no value; a string for a `str` parameter; a string (or the default) for a
`Path` parameter without checks (typer's only check then: an existing path must be readable); one of the choices
of a `Literal` of strings. Every other value goes through typer's own coercion, built when first needed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from typer.core import TyperGroup

from wtpf_cli.cli.params import each_parameter


class _Coerce:
    """A parameter's coercion that answers the plain cases itself, and hands the rest to typer's."""

    def __init__(self, param: Any, build: Any) -> None:
        self.param = param
        self.build = build
        info = param.type_descriptor.parameter_info
        single = param.nargs == 1 and not param.multiple
        annotation = param.type_descriptor.annotation
        self.plain_str = single and annotation is str and info.parser is None
        checks = ("parser", "path_type", "exists", "writable", "resolve_path", "allow_dash")
        self.plain_path = (
            single
            and annotation is Path
            and not any(getattr(info, name, True) for name in checks)
            and all(getattr(info, name, False) for name in ("file_okay", "dir_okay", "readable"))
        )
        choices = param.type_descriptor.choices
        plain_choices = choices is not None and all(type(c) is str for c in choices)
        self.choices: frozenset[str] = (
            frozenset(choices)
            if single and plain_choices and info.case_sensitive and info.parser is None and choices is not None
            else frozenset()
        )

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if self.param.multiple or self.param.nargs == -1 else None
        if self.plain_str and isinstance(value, str):
            return value
        if self.plain_path and isinstance(value, str | Path) and str(value) and "\x00" not in str(value):
            path = Path(value)  # a string given, or the default
            try:
                os.stat(path)
            except OSError:
                return path
            if os.access(path, os.R_OK):
                return path
        if type(value) is str and value in self.choices and ctx.token_normalize_func is None:
            return value  # typer's choice coercion returns the choice equal to the value: this string
        return self.build().coerce(value, param=param, ctx=ctx)


def _defer_param(param: Any) -> None:
    if hasattr(param, "type_descriptor") and "get_runtime_param" not in vars(param):
        coerce = _Coerce(param, param.get_runtime_param)
        setattr(param, "get_runtime_param", lambda: coerce)  # noqa: B010  (typer's method, on this parameter)


class Group(TyperGroup):
    """The top-level group: its commands' parameters coerce without Pydantic where they can (see _Coerce)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        each_parameter(self, _defer_param)
