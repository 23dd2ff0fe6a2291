"""Inputs lintsov could not read. With several inputs, one that cannot be read does not hide
the report on the others: the run still fails (exit 2), and every format names the input,
its one-line error and, when the error points into a file, the file and position."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lintsov.errors import InputError


@dataclass(frozen=True)
class Unreadable:
    """An input lintsov could not read: the path as it was given, the one-line error the
    command line prints for it, and where that error points when it points into a file."""

    input: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None


def unreadable(given: str, error: InputError) -> Unreadable:
    """The report's view of ``error``, raised while reading the input ``given``.

    The message is the error's line, as a lone input always printed it. When the error is
    in no file of the input (a local module several root modules share, a --var-file), it
    begins with the input, or nine root modules calling one broken module would print nine
    lines that do not say which is which."""
    message = one_line(str(error))
    if not _within(error.path, given):
        message = f"{given}: {message}"
    if error.file is not None and os.path.isfile(error.file):
        return Unreadable(given, message, error.file, error.line, error.column)
    if os.path.isfile(error.path):
        return Unreadable(given, message, error.path)
    # A binary plan's error is in the JSON `show -json` wrote, which is no file on disk:
    # point at the plan itself, with no position that would be wrong in it.
    if os.path.isfile(given):
        return Unreadable(given, message, given)
    return Unreadable(given, message)


def _within(path: str, given: str) -> bool:
    # A binary plan's errors name it as "plan.tfplan (via show -json)".
    if path.startswith(given):
        return True
    try:
        Path(path).resolve().relative_to(Path(given).resolve())
    except (ValueError, OSError):
        return False
    return True


def one_line(text: str) -> str:
    # CI logs and pre-commit show the first line only: an error is always one line.
    return " ".join(text.split())


def names(paths: Sequence[str], most: int = 5) -> str:
    """``a, b, c`` or ``a, b, c, d, e and 3 more``: inputs named in one line of a summary."""
    shown = ", ".join(paths[:most])
    return f"{shown} and {len(paths) - most} more" if len(paths) > most else shown
