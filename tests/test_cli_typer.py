"""wtpf_cli/cli/_typer.py (speed only) against typer's own coercion: every option and argument of every command,
parsed with and without the patch, gives the same values and the same errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
import typer.main
from typer._click import exceptions as click_exc
from typer.core import TyperGroup

from wtpf_cli.cli import app


def leaf_commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(the words that name it, the command) for `group`, then every group and command under it."""
    yield path, group
    for name, sub in group.commands.items():
        if hasattr(sub, "commands"):
            yield from leaf_commands(sub, (*path, name))
        else:
            yield (*path, name), sub


def samples(param: Any, existing: Path) -> list[list[str]]:
    """Values to give `param` on the command line: plain ones (which the patch answers) and others (which it hands
    to typer), each as the words after the option's name or in the argument's place."""
    desc = param.type_descriptor
    choices = desc.choices
    if choices is not None:
        return [[str(c)] for c in choices] + [["bad"], [str(choices[0]).upper()]]
    annotation = desc.annotation
    if annotation is str:
        return [["x"], [""], ["First Draft"], ["é/ü"]]
    if annotation is Path:
        return [["."], [""], ["missing/file.docx"], [str(existing)], ["a\x00b"]]
    if annotation is int:
        return [["3"], ["-1"], ["x"]]
    if get_args(annotation) == (str,):  # list[str]
        return [["a"], ["a", "b"]]
    raise AssertionError(f"no samples for {param.name}: {annotation}")


def plain(param: Any) -> list[str]:
    """A value that any command accepts for `param` (for the parameters not under test)."""
    return samples(param, Path("."))[0]


def arguments(command: Any, tested: Any, value: list[str]) -> list[str]:
    """Words for `command`: `value` for `tested`, a plain value for every required parameter and every argument
    before the tested one."""
    words: list[str] = []
    params = list(command.params)
    for p in params:
        if p.param_type_name == "argument":
            before = (
                tested is not None and tested.param_type_name == "argument" and params.index(p) < params.index(tested)
            )
            if p is tested:
                words += value
            elif p.required or before:
                words += plain(p)
    for p in params:
        if p.param_type_name != "option":
            continue
        if p is tested:
            words += [p.opts[0], *value] if not getattr(p, "is_flag", False) else [p.opts[0]]
        elif p.required:
            words += [p.opts[0], *plain(p)]
    return words


def parsed(group: Any, path: tuple[str, ...], words: list[str]) -> object:
    """The values the command named by `path` takes from `words`, or the error it gives."""
    command = group
    for name in path:
        command = command.commands[name]
    if hasattr(command, "commands"):
        words = [*words, next(iter(command.commands))]  # a group's own options, then one of its commands
    try:
        with command.make_context("wtpf", list(words)) as ctx:  # click consumes the list it is given
            return dict(ctx.params)
    except click_exc.ClickException as exc:
        return (type(exc).__name__, exc.format_message())


def test_every_option_of_every_command_parses_as_typer_parses_it_without_the_patch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "contribution.docx"
    existing.write_bytes(b"PK")
    patched = typer.main.get_command(app)
    monkeypatch.setattr(app.info, "cls", TyperGroup)
    plain_typer = typer.main.get_command(app)
    assert type(patched) is not type(plain_typer)  # the comparison is real: one group has the patch
    compared = 0
    for path, command in leaf_commands(patched):
        cases = [(None, [])] + [
            (p, value) for p in command.params if p.name != "version" for value in samples_or_flag(p, existing)
        ]
        for tested, value in cases:
            words = arguments(command, tested, value)
            assert parsed(patched, path, words) == parsed(plain_typer, path, words), (path, words)
            compared += 1
    assert compared > 150


def samples_or_flag(param: Any, existing: Path) -> list[list[str]]:
    """A flag is given or not; other parameters take their samples."""
    return [[]] if getattr(param, "is_flag", False) else samples(param, existing)


def answered_here(param: Any) -> bool:
    """A parameter whose plain values the patch answers: a flag, a string, a path, a choice of strings (an int or a
    list, as `resolve N` and `merge ID...` take, goes to typer)."""
    desc = param.type_descriptor
    return getattr(param, "is_flag", False) or desc.annotation in (str, Path) or desc.choices is not None


def test_plain_values_of_every_command_are_parsed_without_loading_pydantic() -> None:
    script = f"""
import sys
from pathlib import Path
import typer.main
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from test_cli_typer import answered_here, arguments, leaf_commands, parsed, plain
from wtpf_cli.cli import app
group = typer.main.get_command(app)
for path, command in leaf_commands(group):
    for p in [None, *(p for p in command.params if p.name != "version" and answered_here(p))]:
        value = [] if p is None or getattr(p, "is_flag", False) else plain(p)
        got = parsed(group, path, arguments(command, p, value))
        assert isinstance(got, dict), (path, got)
print(sorted(m for m in sys.modules if m.split(".")[0] == "pydantic"))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
