"""The one error lintsov raises for input it cannot read or does not understand, and how
error messages quote what the user gave."""

from __future__ import annotations

from typing import Any

# Longest user value quoted whole in a message; a longer one keeps its start and its end.
QUOTED_LIMIT = 80
# Longest path, position or whole message kept whole (paths run longer than option values).
MESSAGE_LIMIT = 300
# Longest error line: a last guard for messages that quote what lintsov did not cut itself.
LINE_LIMIT = 2000


class InputError(Exception):
    """Input that lintsov refuses: the CLI prints it as one line and exits 2.

    ``path`` is what the error is about (an input, a file of it, an option). When the error
    points into a file, ``line`` and ``column`` (1-based) say where and ``file`` names the
    file (``path`` unless given); ``where`` names a place that is no file position (a JSON
    path ``$.resource_changes[3]``, a config key ``waivers[0].until``). One format:
    ``PATH: WHAT (at FILE:LINE:COLUMN)``, or ``(at WHERE)``."""

    def __init__(
        self,
        path: str,
        what: str,
        where: str | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        file: str | None = None,
    ) -> None:
        super().__init__(path, what, where, line, column, file)
        self.path = path
        self.what = what
        self.where = where
        self.line = line
        self.column = column
        self.file = (file or path) if line is not None else None

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in parse workers: rebuilt in the parent with its keyword-only fields.
        fields = {"line": self.line, "column": self.column, "file": self.file}
        return _rebuild, (self.path, self.what, self.where, fields)

    @property
    def position(self) -> str | None:
        """``FILE:LINE:COLUMN`` (``FILE:LINE`` without a column), else ``where``."""
        if self.file is None or self.line is None:
            return self.where
        column = f":{self.column}" if self.column is not None else ""
        return f"{self.file}:{self.line}{column}"

    def __str__(self) -> str:
        position = self.position
        suffix = f" (at {shorten(position, MESSAGE_LIMIT)})" if position else ""
        return f"{shorten(self.path, MESSAGE_LIMIT)}: {self.what}{suffix}"


def _rebuild(path: str, what: str, where: str | None, fields: dict[str, Any]) -> InputError:
    return InputError(path, what, where, **fields)


def line_col(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column), 1-based, of a byte offset, for error positions."""
    offset = max(0, min(offset, len(data)))
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


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
