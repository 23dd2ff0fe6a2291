"""The parse cache: a file's parsed blocks, attributes and expressions (the plain-list form
of lintsov.load.hcl_parse) for its content, keyed by a hash of that content, of lintsov's
version and of python-hcl2's, so that an unchanged file is never parsed twice.

Safe under concurrent runs: an entry is written to a temporary file in the same folder and
renamed into place, which POSIX and Windows make atomic, so a reader sees a whole entry or
none. An entry that does not read back whole (a full disk, a foreign file) is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from lintsov import __version__

# Bump when what is stored changes shape. 2: lintsov's own nodes, from python-hcl2 8.1's tree.
FORMAT = "2"


@cache
def _salt() -> bytes:
    try:
        parser = metadata.version("python-hcl2")
    except metadata.PackageNotFoundError:  # pragma: no cover - a broken install
        parser = "unknown"
    return f"lintsov {__version__} cache {FORMAT} python-hcl2 {parser}\0".encode()


class Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, text: str) -> tuple[str, Path]:
        key = hashlib.sha256(_salt() + text.encode("utf-8")).hexdigest()
        return key, self.folder / key[:2] / f"{key[2:]}.json"

    def get(self, text: str) -> Any:
        """The cached parse of this text, or None."""
        key, path = self._path(text)
        try:
            entry = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        return entry.get("data")

    def put(self, text: str, data: Any) -> None:
        """Store a parse; a cache that cannot be written only costs speed."""
        key, path = self._path(text)
        entry = json.dumps({"key": key, "data": data}, separators=(",", ":"))
        self.write(path, entry.encode("utf-8"))

    def write(self, path: Path, content: bytes) -> None:
        """Write an entry whole or not at all: a temporary file renamed into place."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(content)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return


def default_folder(environ: dict[str, str], home: Path) -> Path:
    """LINTSOV_CACHE_DIR, else $XDG_CACHE_HOME/lintsov, else ~/.cache/lintsov."""
    if environ.get("LINTSOV_CACHE_DIR"):
        return Path(environ["LINTSOV_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or str(home / ".cache")
    return Path(base) / "lintsov"
