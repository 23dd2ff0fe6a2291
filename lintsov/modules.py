"""Root and reusable modules of a repository: which configuration folders Terraform runs in,
and which other folders only call.

A folder is **reusable** when another folder of its repository calls it (a ``module`` block
whose ``source`` is a local path, ``./`` or ``../``), or when it configures no provider and no
backend of its own (no ``provider`` block, no ``backend`` or ``cloud`` block): then whoever
calls it chooses the vendor, the region and where state lives. Every other folder is a
**root**. A config's ``modules: {root: [...], reusable: [...]}`` globs, relative to the config
file's folder, decide before these rules do.

The role matters twice: AUT001 does not judge a reusable module (its callers choose its
vendor), and ``--callers`` lints, for a file of a reusable module, the root modules that
call it, which are the real inputs (README: pre-commit).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING

from lintsov import repository
from lintsov.errors import InputError
from lintsov.inventory import ModuleRole

if TYPE_CHECKING:
    from lintsov.load.hcl_cache import Cache
    from lintsov.load.hcl_files import Block

# A file that may call a module by a local path; only such files are parsed for calls, so
# that scanning a repository of thousands of files reads them but parses few.
_LOCAL_SOURCE = re.compile(r"""["']?source["']?\s*[=:]\s*"\.\.?[/\\]""")
# Folders Terraform or tools keep their own copies in: never the repository's modules.
_SKIPPED = frozenset({"node_modules"})


@dataclass(frozen=True)
class Overrides:
    """A config's ``modules:`` globs, matched against folders relative to ``base`` (the
    config file's folder); ``origin`` names the config file in every reason."""

    base: Path | None = None
    root: tuple[str, ...] = ()
    reusable: tuple[str, ...] = ()
    origin: str = ""

    def decide(self, folder: Path) -> ModuleRole | None:
        if self.base is None:
            return None
        try:
            relative = folder.relative_to(self.base).as_posix()
        except ValueError:
            return None
        as_root = [g for g in self.root if _matches(relative, g)]
        as_reusable = [g for g in self.reusable if _matches(relative, g)]
        if as_root and as_reusable:
            raise InputError(
                self.origin,
                f"invalid config: folder {relative} matches both modules.root "
                f"({as_root[0]!r}) and modules.reusable ({as_reusable[0]!r})",
            )
        if as_root:
            return ModuleRole(False, f"modules.root {as_root[0]!r} in {self.origin}")
        if as_reusable:
            return ModuleRole(True, f"modules.reusable {as_reusable[0]!r} in {self.origin}")
        return None


def _matches(relative: str, glob: str) -> bool:
    pattern = glob.strip("/") or "."
    return fnmatchcase(relative, pattern) or fnmatchcase(relative + "/", pattern)


@dataclass(frozen=True)
class Call:
    """A ``module`` block calling a folder of the repository by a local path."""

    caller: Path
    file: str
    line: int


@dataclass
class Layout:
    """A repository's module calls (called folder → its calls), read once per run."""

    root: Path
    calls: Mapping[Path, tuple[Call, ...]]
    cache: Cache | None = None
    max_bytes: int = 1 << 30
    _configured: dict[Path, str] = field(default_factory=dict)

    def configuration(self, folder: Path) -> str:
        """What the folder configures itself ("provider "aws" (main.tf:1)"), or ""."""
        if folder not in self._configured:
            self._configured[folder] = _own_configuration(folder, self.cache, self.max_bytes)
        return self._configured[folder]

    def relative(self, folder: Path) -> str:
        return repository.relative(str(folder), self.root)


def scan(root: Path, cache: Cache | None = None, max_bytes: int = 1 << 30) -> Layout:
    """Every local module call in the repository at ``root``. A file that may hold one but
    does not parse is an input error: which modules it calls cannot be told."""
    # The folder frontend, imported only when a repository is scanned: a plan needs none.
    from lintsov.load.hcl_files import module_files, parse_files, read_text  # noqa: PLC0415

    calls: dict[Path, list[Call]] = {}
    # Walked as the user names files (relative to the current folder, when inside it), so
    # that an error names a file the user can open.
    start = os.path.relpath(root) if Path.cwd() in (root, *root.parents) else str(root)
    for folder, names, _ in os.walk(start):
        # Hidden folders (.git, .terraform with its downloaded modules) are not the
        # repository's own modules; sorted, so that calls are listed alike on every machine.
        names[:] = sorted(n for n in names if not n.startswith(".") and n not in _SKIPPED)
        here = Path(folder)
        candidates = [
            path for path in module_files(here) if _LOCAL_SOURCE.search(read_text(path, max_bytes))
        ]
        if not candidates:
            continue
        parsed, _ = parse_files(candidates, cache, 1, max_bytes=max_bytes)
        for parsed_file in parsed:
            for block in parsed_file.blocks:
                target = _local_target(here, block)
                caller = Path(os.path.abspath(here))
                if target is not None and target != caller:
                    calls.setdefault(target, []).append(Call(caller, block.file, block.start))
    return Layout(root, {k: tuple(v) for k, v in calls.items()}, cache, max_bytes)


def _local_target(folder: Path, block: Block) -> Path | None:
    if block.type != "module" or "source" not in block.attributes:
        return None
    from lintsov.load import hcl_expr  # noqa: PLC0415

    source = hcl_expr.static_value(block.attributes["source"].expression)
    if not isinstance(source, str) or not source.startswith(("./", "../", ".\\", "..\\")):
        return None
    return Path(os.path.normpath(os.path.abspath(folder / source.replace("\\", "/"))))


def _own_configuration(folder: Path, cache: Cache | None, max_bytes: int) -> str:
    from lintsov.load.hcl_files import module_files, parse_files  # noqa: PLC0415

    parsed, _ = parse_files(module_files(folder), cache, 1, max_bytes=max_bytes)
    for parsed_file in parsed:
        name = os.path.basename(parsed_file.path)
        for block in parsed_file.blocks:
            if block.type == "provider":
                label = block.labels[0] if block.labels else ""
                return f'provider "{label}" ({name}:{block.start})'
            if block.type == "terraform":
                for nested in (*block.nested("backend"), *block.nested("cloud")):
                    label = f' "{nested.labels[0]}"' if nested.labels else ""
                    return f"{nested.type}{label} ({name}:{nested.start})"
    return ""


def role(folder: Path, layout: Layout, overrides: Overrides) -> ModuleRole:
    """The folder's role, and why (README: pre-commit, "Root and reusable modules")."""
    folder = Path(os.path.abspath(folder))
    decided = overrides.decide(folder)
    calls = layout.calls.get(folder, ())
    callers = tuple(sorted({layout.relative(c.caller) for c in calls}))
    if decided is not None:
        return ModuleRole(decided.reusable, decided.reason, callers)
    if calls:
        first = min(calls, key=lambda c: (layout.relative(c.caller), c.file, c.line))
        more = f" and {len(callers) - 1} more" if len(callers) > 1 else ""
        where = f"{repository.relative(first.file, layout.root)}:{first.line}"
        return ModuleRole(True, f"called by {callers[0]} ({where}){more}", callers)
    configured = layout.configuration(folder)
    if not configured:
        return ModuleRole(
            True, "it configures no provider and no backend: whoever calls it does", callers
        )
    return ModuleRole(False, f"it configures {configured}", callers)


Judge = Callable[[Path], Overrides]


def calling_roots(folder: Path, layout: Layout, overrides_for: Judge) -> tuple[Path, ...]:
    """The root modules that call the reusable module in ``folder``, directly or through
    other reusable modules, sorted; () when ``folder`` is a root or nothing calls it."""
    start = Path(os.path.abspath(folder))
    if not role(start, layout, overrides_for(start)).reusable:
        return ()
    found: set[Path] = set()
    seen = {start}
    todo = [start]
    while todo:
        for call in layout.calls.get(todo.pop(), ()):
            caller = call.caller
            if caller in seen:
                continue  # a cycle of calls, or a caller reached twice
            seen.add(caller)
            if role(caller, layout, overrides_for(caller)).reusable:
                todo.append(caller)
            else:
                found.add(caller)
    return tuple(sorted(found))


class Layouts:
    """The layout of each repository a run's inputs lie in, scanned once each."""

    def __init__(self, cache: Cache | None = None, max_bytes: int = 1 << 30) -> None:
        self._cache = cache
        self._max_bytes = max_bytes
        self._scanned: dict[Path, Layout] = {}

    def of(self, folder: Path) -> Layout:
        root = repository.root(folder)
        if root not in self._scanned:
            self._scanned[root] = scan(root, self._cache, self._max_bytes)
        return self._scanned[root]


def through_callers(
    inputs: Sequence[str], layouts: Layouts, overrides_for: Judge, cwd: Path
) -> list[str]:
    """The inputs with each reusable module that root modules of its repository call
    replaced by those roots (named relative to ``cwd``), each once, in input order. Files,
    environments and plans stay as they are."""
    result: dict[str, None] = {}
    for given in inputs:
        path = Path(os.path.abspath(given))
        roots: Iterable[Path] = ()
        if _is_folder(path):
            roots = calling_roots(path, layouts.of(path), overrides_for)
        shown = [os.path.relpath(r, cwd) for r in roots] or [given]
        for name in shown:
            result.setdefault(name, None)
    return list(result)


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # reading the input says why it cannot be read
        return False
