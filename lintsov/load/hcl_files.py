"""Reading a module folder's files: which files count, parsing them (with a cache and across
CPUs), and turning python-hcl2's output into plain blocks with their lines.

python-hcl2 is pinned to 7.3.x (see pyproject.toml): 8.x changed its output shape and its
line numbers are wrong in 8.1.4 (upstream issue amplify-education/python-hcl2#291).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lintsov.errors import InputError
from lintsov.load.hcl_cache import Cache

SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
# Where an override file set an attribute, kept in a merged block's body beside the values.
OVERRIDDEN = "__overridden__"
META = ("__start_line__", "__end_line__", OVERRIDDEN)
# Below this many files to parse, starting worker processes costs more than it saves.
_PARALLEL_FROM = 8
# Block types lintsov reads; others (moved, import, check, removed) carry no resources.
_LABELS = {
    "resource": 2,
    "data": 2,
    "provider": 1,
    "variable": 1,
    "module": 1,
    "output": 1,
    "locals": 0,
    "terraform": 0,
}
# Nested blocks that Terraform's JSON syntax writes as objects.
_JSON_BLOCKS = ("default_tags", "backend", "cloud", "required_providers", "features")


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: dict[str, Any]
    file: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedFile:
    path: str
    text: str
    blocks: tuple[Block, ...]


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
        raise InputError(name, "a binary file, not Terraform configuration", f"line {line}")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(name, "not UTF-8 text", f"{name}:{line}:{column}") from None


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
    raw: dict[str, Any] = {}
    misses: list[tuple[str, str]] = []
    for name, text in texts:
        if name.endswith(".json"):
            raw[name] = _json_document(name, text)
            continue
        hit = cache.get(text) if cache is not None else None
        if hit is not None:
            raw[name] = hit
            stats.cached += 1
        else:
            misses.append((name, text))
    for (name, text), result in zip(misses, _parse_all([t for _, t in misses], jobs), strict=True):
        stats.parsed.append(name)
        if result[0] == "error":
            _, line, column, what = result
            raise InputError(name, what, f"{name}:{line}:{column}")
        raw[name] = result[1]
        if cache is not None:
            cache.put(text, result[1])
    parsed = [ParsedFile(name, text, tuple(_blocks(name, text, raw[name]))) for name, text in texts]
    return parsed, stats


ParseResult = tuple[Any, ...]


def _parse_all(texts: list[str], jobs: int) -> list[ParseResult]:
    if len(texts) < _PARALLEL_FROM or jobs <= 1:
        return [parse_text(t) for t in texts]
    methods = multiprocessing.get_all_start_methods()
    # fork starts workers in milliseconds; the pool holds no threads or locks of ours.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, len(texts) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=min(jobs, len(texts)), mp_context=context) as pool:
        return list(pool.map(parse_text, texts, chunksize=chunk))


def parse_text(text: str) -> ParseResult:
    """("ok", python-hcl2 output) or ("error", line, column, what was expected)."""
    # Imported here: lark's grammar is loaded only when a file needs parsing, which a run
    # with a warm cache never does.
    import hcl2  # noqa: PLC0415
    from lark.exceptions import (  # noqa: PLC0415
        UnexpectedCharacters,
        UnexpectedEOF,
        UnexpectedInput,
    )

    try:
        return ("ok", hcl2.loads(text, with_meta=True))  # type: ignore[attr-defined]
    except UnexpectedEOF as error:
        lines = text.splitlines() or [""]
        expected = _expected(getattr(error, "expected", ()))
        return ("error", len(lines), len(lines[-1]) + 1, f"the file ends early; {expected}")
    except UnexpectedCharacters as error:
        allowed = _expected(getattr(error, "allowed", ()) or ())
        position = error.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        return ("error", error.line, error.column, f"unexpected {char!r}; {allowed}")
    except UnexpectedInput as error:
        token = getattr(error, "token", None)
        raw = str(token or "")
        got = "end of line" if not raw or raw[0] in "\r\n" else repr(raw.splitlines()[0][:20])
        expected = _expected(getattr(error, "expected", ()) or getattr(error, "accepts", ()))
        return (
            "error",
            getattr(error, "line", 0),
            getattr(error, "column", 0),
            f"unexpected {got}; {expected}",
        )
    except RecursionError:
        return ("error", 1, 1, "nested too deeply to parse")
    except Exception as error:  # python-hcl2 raises plain exceptions for some inputs
        return ("error", 1, 1, f"cannot parse: {type(error).__name__}: {error}")


_TOKEN_WORDS = {
    "LPAR": "'('",
    "RPAR": "')'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "DBLQUOTE": "'\"'",
    "NAME": "a name",
    "DECIMAL": "a number",
    "NEGATIVE_DECIMAL": "a number",
    "BANG": "'!'",
    "MINUS": "'-'",
    "EQ": "'='",
    "COLON": "':'",
    "COMMA": "','",
    "NL_OR_COMMENT": "a new line",
    "STRING_CHARS": "text",
    "ESCAPED_INTERPOLATION": "'$${'",
    "__ANON_0": "'${'",
    "__ANON_1": "a heredoc",
    "__ANON_2": "a heredoc",
    "INT_LITERAL": "a number",
    "$END": "the end of the file",
}


def _expected(tokens: Iterable[str]) -> str:
    words = sorted({_TOKEN_WORDS.get(t, t.lower()) for t in tokens})
    if not words:
        return "the syntax is not valid HCL"
    if len(words) > 8:
        words = [*words[:8], "…"]
    return "expected " + ", ".join(words)


def _json_document(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            name, f"invalid JSON: {error.msg}", f"{name}:{error.lineno}:{error.colno}"
        ) from None


# --- python-hcl2 and JSON-syntax output → blocks -------------------------------------------


def _blocks(name: str, text: str, document: Any) -> Iterator[Block]:
    if not isinstance(document, dict):
        raise InputError(name, "not a Terraform configuration: the top level is not an object")
    json_syntax = name.endswith(".json")
    for block_type, entries in document.items():
        depth = _LABELS.get(block_type)
        if depth is None:
            continue
        for labels, body in _labelled(entries, depth, json_syntax):
            if not isinstance(body, dict):
                raise InputError(
                    name,
                    f"not a Terraform configuration: {block_type} "
                    f"{' '.join(labels)} is not a block",
                )
            start, end = _lines(body, text, labels, json_syntax)
            clean = _json_body(body) if json_syntax else body
            yield Block(block_type, labels, clean, name, start, end)


def _labelled(entries: Any, depth: int, json_syntax: bool) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(labels, body) for each block; python-hcl2 wraps every block in a list, Terraform's
    JSON syntax allows an object or a list of objects at each level."""
    items = entries if isinstance(entries, list) else [entries]
    for item in items:
        if depth == 0:
            yield (), item
            continue
        if not isinstance(item, dict):
            continue
        for label, inner in item.items():
            if label in META:
                continue
            for labels, body in _labelled(inner, depth - 1, json_syntax):
                yield (str(label), *labels), body


def _lines(
    body: dict[str, Any], text: str, labels: tuple[str, ...], json_syntax: bool
) -> tuple[int, int]:
    if not json_syntax:
        return int(body.get("__start_line__", 1)), int(body.get("__end_line__", 1))
    # JSON syntax carries no positions: point at the block's innermost label.
    if labels:
        found = text.find(json.dumps(labels[-1]))
        if found >= 0:
            line = text.count("\n", 0, found) + 1
            return line, line
    return 1, 1


def _json_body(body: dict[str, Any]) -> dict[str, Any]:
    """Terraform JSON syntax → python-hcl2's shape: nested blocks as lists of objects."""
    result: dict[str, Any] = {}
    for key, value in body.items():
        if key in _JSON_BLOCKS and isinstance(value, dict):
            result[key] = [_json_labelled_block(key, value)]
        elif key in _JSON_BLOCKS and isinstance(value, list):
            result[key] = [
                _json_labelled_block(key, v) if isinstance(v, dict) else v for v in value
            ]
        else:
            result[key] = value
    return result


def _json_labelled_block(key: str, value: dict[str, Any]) -> dict[str, Any]:
    # backend "s3" { ... } is written {"backend": {"s3": {...}}} in both shapes.
    return dict(value) if key != "backend" else {k: dict(v) for k, v in value.items()}


def strip_meta(value: Any) -> Any:
    """A body or value without python-hcl2's line markers."""
    if isinstance(value, dict):
        return {k: strip_meta(v) for k, v in value.items() if k not in META}
    if isinstance(value, list):
        return [strip_meta(v) for v in value]
    return value


def is_block_list(value: Any) -> bool:
    """python-hcl2 writes nested blocks as lists of objects carrying line markers."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and "__start_line__" in v for v in value)
    )


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)
