"""The repository root: reports and fingerprints name files relative to it, so that the same
repository gives the same output on every machine and from every folder within it."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


def root(start: Path) -> Path:
    """The nearest folder from ``start`` upwards holding ``.git``; ``start`` when none does."""
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


@cache
def _cwd_root(cwd: str) -> Path:
    return root(Path(cwd))


def relative(path: str, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (default: the current folder's repository root), with
    ``/``; as given, with ``/``, when it lies outside."""
    if not path or path.startswith("("):  # "(all inputs)" names no file
        return path
    base = base if base is not None else _cwd_root(os.getcwd())
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(base).as_posix() or "."
    except ValueError:
        return Path(path).as_posix()
