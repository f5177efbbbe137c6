"""Warnings as data: a typed message (kind, text, where) and a result that carries its messages with its value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Kind(StrEnum):
    """What a message says about the result it comes with (its value is the word printed before it)."""

    WARNING = "warning"  # the command did its work, but some of the input is not in the output as it was written
    NOT_PLACED = "not placed"  # a merge left a proposed change out: the words it changes are gone from the draft


@dataclass(frozen=True, slots=True)
class Message:
    """One thing a command reports beside its result: `text` is the whole sentence as printed (it names the place
    where it always did); `where` is the place as data, when known: a file (`report.md:12`), a paragraph number or
    a contribution id."""

    kind: Kind
    text: str
    where: str | None = None

    def as_json(self) -> dict[str, object]:
        """Plain data for --json."""
        return {"kind": self.kind.value, "text": self.text, "where": self.where}


def warnings(texts: Iterable[str], where: str | None = None) -> tuple[Message, ...]:
    """Warnings that a stage still reports as bare strings, as messages (all about `where`, if given)."""
    return tuple(Message(Kind.WARNING, text, where) for text in texts)


@dataclass(frozen=True, slots=True)
class Result(Generic[T]):
    """A command's value and the messages that came with it (as mammoth's `Result(value, messages)`)."""

    value: T
    messages: tuple[Message, ...] = ()
