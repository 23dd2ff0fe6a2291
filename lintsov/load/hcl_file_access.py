"""The files a configuration reads through file(), templatefile() and fileexists().

Only files inside the repository root are read (the nearest folder with `.git` above the
root module, else the root module's folder): never an absolute path outside it, never
through `..` or a symlink that leaves it, never a file over --max-input-size or one that is
not UTF-8. Each refusal is a reason, so that the value is Unknown, not guessed. Every file
read (or looked for and absent) is recorded in Reads, so that a changed template makes the
cached inventory stale.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lintsov.load.hcl_files import Reads


class FileRefused(Exception):
    """The file is not read; the message says why."""


@dataclass(frozen=True)
class FileAccess:
    # Relative paths resolve against the root module's folder, Terraform's working folder.
    cwd: Path
    root: Path
    max_bytes: int
    reads: Reads | None = None

    def _inside(self, name: str) -> Path:
        if "\x00" in name:
            raise FileRefused(f"the path {name!r} holds a NUL character")
        given = Path(name)
        joined = given if given.is_absolute() else self.cwd / given
        try:
            # strict=False: a missing file is told as missing below, not as outside.
            resolved = joined.resolve()
            root = self.root.resolve()
        except (OSError, RuntimeError) as error:  # a symlink loop
            raise FileRefused(f"cannot resolve {name!r} ({type(error).__name__})") from None
        if resolved != root and root not in resolved.parents:
            raise FileRefused(
                f"{name!r} lies outside the repository root, which lintsov does not read"
            )
        return resolved

    def exists(self, name: str) -> bool:
        path = self._inside(name)
        found = path.is_file()
        if self.reads is not None and not found:
            self.reads.file(str(path), None)
        return found

    def read(self, name: str) -> str:
        path = self._inside(name)
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise FileRefused(f"{name!r} is not a file")
            if size > self.max_bytes:
                raise FileRefused(
                    f"{name!r} is {size} bytes, over the limit of {self.max_bytes} "
                    "(--max-input-size)"
                )
            data = path.read_bytes()
        except FileNotFoundError:
            if self.reads is not None:
                self.reads.file(str(path), None)
            raise FileRefused(f"{name!r} does not exist") from None
        except OSError as error:
            raise FileRefused(f"cannot read {name!r}: {error.strerror or error}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise FileRefused(f"{name!r} is not UTF-8 text") from None
        if self.reads is not None:
            self.reads.file(str(path), text)
        return text

    def relative(self, folder: Path) -> str:
        """`path.module` for a module in `folder`: its path from the working folder."""
        return Path(os.path.relpath(folder, self.cwd)).as_posix()
