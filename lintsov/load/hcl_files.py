"""Reading a module folder's files: which files count, parsing them (with a cache and across
CPUs), and the blocks and attributes they hold, each with its file and line.

Parsing is python-hcl2 8.1's grammar (lintsov.load.hcl_parse); Terraform's JSON syntax is read
by lintsov.load.hcl_json into the same shape.
"""

from __future__ import annotations

import codecs
import hashlib
import multiprocessing
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from lintsov.errors import InputError
from lintsov.load.hcl_cache import Cache
from lintsov.load.hcl_syntax import Expression, Wire

SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
# Below this many files to parse, starting worker processes costs more than it saves.
_PARALLEL_FROM = 8


class Attribute(NamedTuple):
    """`name = expression`, where it is written: an override file's attribute keeps its
    own file and line when it replaces another. (A tuple: a folder has a hundred thousand,
    made on every run from the parse cache.)"""

    name: str
    expression: Expression
    file: str
    line: int
    column: int

    def place(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]
    file: str
    start: int
    end: int
    column: int = 1

    def nested(self, block_type: str) -> list[Block]:
        return self._nested.get(block_type, []) if self.blocks else []

    def names(self) -> list[str]:
        """Attribute names and nested block types."""
        return [*self.attributes, *self._nested] if self.blocks else list(self.attributes)

    @cached_property
    def _nested(self) -> dict[str, list[Block]]:
        found: dict[str, list[Block]] = {}
        for block in self.blocks:
            found.setdefault(block.type, []).append(block)
        return found

    def place(self) -> str:
        return f"{self.file}:{self.start}:{self.column}"


@dataclass(frozen=True)
class ParsedFile:
    path: str
    text: str
    blocks: tuple[Block, ...]
    attributes: dict[str, Attribute] = field(default_factory=dict)


@dataclass
class Reads:
    """Every file a load read (with a hash of its content, None when it was looked for and
    absent) and every folder listing it relied on: enough to tell later, cheaply, whether a
    load would read the same today."""

    files: dict[str, str | None] = field(default_factory=dict)
    listings: dict[str, list[str]] = field(default_factory=dict)

    def file(self, path: str, text: str | None) -> None:
        self.files[path] = None if text is None else digest(text)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class ParseStats:
    """How many files were parsed and how many came from the cache."""

    parsed: list[str] = field(default_factory=list)
    cached: int = 0


def module_files(folder: Path) -> list[Path]:
    """The files Terraform or OpenTofu reads in a folder, overrides last.

    A ``.tofu`` file replaces the ``.tf`` file of the same name (OpenTofu's rule).
    """
    by_stem: dict[str, Path] = {}
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as error:
        message = f"cannot list the folder: {error.strerror or error}"
        raise InputError(str(folder), message) from None
    for entry in entries:
        name = entry.name
        suffix = next((s for s in SUFFIXES if name.endswith(s)), None)
        if suffix is None or name.startswith("."):
            continue
        stem = name[: -len(suffix)]
        json_form = suffix.endswith(".json")
        key = f"{stem}{'.json' if json_form else ''}"
        if suffix.startswith(".tofu") or key not in by_stem:
            by_stem[key] = entry
    files = sorted(by_stem.values(), key=lambda p: p.name)
    return [f for f in files if not is_override(f)] + [f for f in files if is_override(f)]


def is_override(path: Path) -> bool:
    stem = re.sub(r"\.(tf|tofu)(\.json)?$", "", path.name)
    return stem == "override" or stem.endswith("_override")


def read_text(path: Path, max_bytes: int = 1 << 30) -> str:
    """A configuration file's text, or InputError naming what is wrong and where."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                name, f"the file is {size} bytes, over the limit of {max_bytes} (--max-input-size)"
            )
        data = path.read_bytes()
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as error:
        raise InputError(name, f"cannot read: {error.strerror or error}") from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(name, "a binary file, not Terraform configuration", line=line)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(name, "not UTF-8 text", line=line, column=column) from None
    # Windows line endings: the same lines, read as Terraform reads them.
    return text.replace("\r\n", "\n") if "\r" in text else text


def parse_files(
    paths: Iterable[Path],
    cache: Cache | None,
    jobs: int,
    reads: Reads | None = None,
    max_bytes: int = 1 << 30,
) -> tuple[list[ParsedFile], ParseStats]:
    """Parse files, from the cache where their content was seen before, the rest in
    parallel. Raises InputError for the first file (in path order) that does not parse."""
    stats = ParseStats()
    texts = [(str(p), read_text(p, max_bytes)) for p in paths]
    if reads is not None:
        for name, text in texts:
            reads.file(name, text)
    parsed: dict[str, ParsedFile] = {}
    misses: list[tuple[str, str]] = []
    for name, text in texts:
        if name.endswith(".json"):
            parsed[name] = _parsed(name, text, _json_configuration(name, text))
            continue
        hit = _cached(name, text, cache)
        if hit is not None:
            parsed[name] = hit
            stats.cached += 1
        else:
            misses.append((name, text))
    for (name, text), result in zip(misses, _parse_all([t for _, t in misses], jobs), strict=True):
        stats.parsed.append(name)
        if result[0] == "error":
            _, line, column, what = result
            raise InputError(name, what, line=line, column=column)
        parsed[name] = _parsed(name, text, result[1])
        if cache is not None:
            cache.put(text, result[1])
    return [parsed[name] for name, _ in texts], stats


def _cached(name: str, text: str, cache: Cache | None) -> ParsedFile | None:
    data = cache.get(text) if cache is not None else None
    if data is None:
        return None
    try:
        return _parsed(name, text, data)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError):
        return None  # an entry of another shape: parsed again


def _parsed(name: str, text: str, data: Any) -> ParsedFile:
    attributes, blocks = data
    if attributes:
        first = attributes[0]
        raise InputError(
            name,
            f'"{first[0]}" is set outside any block, which Terraform does not accept',
            line=first[1],
            column=first[2],
        )
    return ParsedFile(name, text, tuple(block_of(name, text, b) for b in blocks))


def block_of(name: str, text: str, wire: Wire) -> Block:
    kind, labels, line, column, end, attributes, blocks = wire
    return Block(
        kind,
        tuple(labels),
        attributes_of(name, text, attributes),
        tuple(block_of(name, text, b) for b in blocks),
        name,
        line,
        end,
        column,
    )


def attributes_of(name: str, text: str, wires: list[Wire]) -> dict[str, Attribute]:
    return {w[0]: Attribute(w[0], Expression(w[3], text), name, w[1], w[2]) for w in wires}


def _json_configuration(name: str, text: str) -> Any:
    from lintsov.load.hcl_json import JsonProblem, configuration  # noqa: PLC0415

    try:
        return configuration(text)
    except JsonProblem as problem:
        raise InputError(name, problem.what, line=problem.line, column=problem.column) from None


ParseResult = tuple[Any, ...]


def _parse_all(texts: list[str], jobs: int) -> list[ParseResult]:
    from lintsov.load.hcl_parse import parse_text, prepare  # noqa: PLC0415

    if len(texts) < _PARALLEL_FROM or jobs <= 1:
        return [parse_text(t) for t in texts]
    prepare()  # loaded once, before the workers are forked
    methods = multiprocessing.get_all_start_methods()
    # fork starts workers in milliseconds; the pool holds no threads or locks of ours.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, len(texts) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=min(jobs, len(texts)), mp_context=context) as pool:
        return list(pool.map(parse_text, texts, chunksize=chunk))
