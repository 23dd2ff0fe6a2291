"""The one error lintsov raises for input it cannot read or does not understand, and how
error messages quote what the user gave."""

from __future__ import annotations

# Longest user value quoted whole in a message; a longer one keeps its start and its end.
QUOTED_LIMIT = 80
# Longest path, position or whole message kept whole (paths run longer than option values).
MESSAGE_LIMIT = 300
# Longest error line: a last guard for messages that quote what lintsov did not cut itself.
LINE_LIMIT = 2000


class InputError(Exception):
    """Input that lintsov refuses: the CLI prints it as one line and exits 2."""

    def __init__(self, path: str, what: str, where: str | None = None) -> None:
        super().__init__(path, what, where)
        self.path = path
        self.what = what
        self.where = where

    def __str__(self) -> str:
        suffix = f" (at {shorten(self.where, MESSAGE_LIMIT)})" if self.where else ""
        return f"{shorten(self.path, MESSAGE_LIMIT)}: {self.what}{suffix}"


def line_col(data: bytes, offset: int) -> str:
    """'line L, column C' (1-based) of a byte offset, for error positions."""
    offset = max(0, min(offset, len(data)))
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return f"line {line}, column {offset - start + 1}"


def shorten(text: str, limit: int = QUOTED_LIMIT) -> str:
    """``text``, or its start and end around an ellipsis when it is longer than ``limit``:
    a 100 KB option value must not be echoed whole into an error line or a report."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    tail = limit - 1 - head
    return f"{text[:head]}…{text[len(text) - tail :]}"


def quoted(text: str) -> str:
    """A user's value as an error message quotes it: shortened, and with control characters
    escaped, so that it stays on the message's one line."""
    return repr(shorten(text))
