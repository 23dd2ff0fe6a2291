"""The one error lintsov raises for input it cannot read or does not understand."""

from __future__ import annotations


class InputError(Exception):
    """Input that lintsov refuses: the CLI prints it as one line and exits 2."""

    def __init__(self, path: str, what: str, where: str | None = None) -> None:
        super().__init__(path, what, where)
        self.path = path
        self.what = what
        self.where = where

    def __str__(self) -> str:
        suffix = f" (at {self.where})" if self.where else ""
        return f"{self.path}: {self.what}{suffix}"


def line_col(data: bytes, offset: int) -> str:
    """'line L, column C' (1-based) of a byte offset, for error positions."""
    offset = max(0, min(offset, len(data)))
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return f"line {line}, column {offset - start + 1}"
