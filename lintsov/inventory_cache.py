"""A cache of whole resolved folders: when nothing a folder's load read has changed, the
Inventory is taken from the cache instead of being evaluated and resolved again.

An entry is found by what the result depends on besides files (lintsov's code, the
catalogue, the policy's idea of sensitive, the variables given); it holds the list of files
and folder listings the load read, and counts only while every one is still the same. The
parse cache (lintsov.load.hcl_cache) still spares parsing when some file did change.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from lintsov import __version__, builtin_rules
from lintsov.catalogue import Catalogue
from lintsov.errors import InputError
from lintsov.inventory import Flow, Inventory, ResolvedResource, StateStorage
from lintsov.load.hcl import tfvars_files
from lintsov.load.hcl_cache import Cache
from lintsov.load.hcl_files import Reads, digest, module_files, read_text
from lintsov.load.hcl_options import HclOptions
from lintsov.policy import Classification
from lintsov.stack import Backend, Known, SourceLocation, Unknown, UnloadedModule, Waiver

# 2: state encryption stored as facts (StateKey), no longer as a verdict.
FORMAT = "2"


@dataclass(frozen=True)
class _Stored:
    """Inventory as stored: the backend's values are Known or Unknown, which JSON cannot
    tell apart by type, so they are rebuilt by hand."""

    path: str
    kind: str
    tool: str
    resources: tuple[ResolvedResource, ...]
    notes: tuple[str, ...]
    backend: Any
    unloaded_modules: tuple[UnloadedModule, ...]
    waivers: tuple[Waiver, ...]
    flows: tuple[Flow, ...] = ()
    state: StateStorage | None = None
    anchor: SourceLocation | None = None


class _Entry(msgspec.Struct):
    files: dict[str, str | None]
    listings: dict[str, list[str]]
    inventory: msgspec.Raw


def key(
    folder: str,
    options: HclOptions,
    policy: Classification,
    catalogue: Catalogue,
    *,
    shown: str | None = None,
) -> str:
    """The entry of ``folder`` read with ``options``, named ``shown`` (default: the folder;
    an environment's name, ``infra (prod.tfvars)``)."""
    material = {
        "format": FORMAT,
        "lintsov": __version__,
        "code": _code_digest(),
        "catalogue": _catalogue_digest(catalogue),
        "folder": str(Path(folder).resolve()),
        "shown": folder if shown is None else shown,
        # Resolved: the same relative name from another folder is another file.
        "var_files": [str(Path(f).resolve()) for f in options.var_files],
        "variables": list(options.variables),
        "environment": sorted(options.environment.items()),
        "max_bytes": options.max_bytes,
        "keys": sorted(policy.sensitive_keys),
        "values": sorted(policy.sensitive_values),
        "addresses": list(policy.sensitive_addresses),
        "secrets_by_nature": policy.secrets_by_nature,
        "unclassified": [policy.unclassified, policy.unclassified_origin],
        # Endpoint rules place vendors during resolution. The rest of the policy (blocked
        # jurisdictions, profile, waivers) only matters to the rules, which run after the
        # cache, so changing it reuses the entry.
        "endpoints": [list(map(str, astuple(rule))) for rule in policy.endpoints],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def get(cache_dir: Cache, entry_key: str) -> Inventory | None:
    path = _path(cache_dir, entry_key)
    try:
        entry = msgspec.json.decode(path.read_bytes(), type=_Entry)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    if not _unchanged(entry):
        return None
    try:
        stored = msgspec.json.decode(entry.inventory, type=_Stored)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return Inventory(
        stored.path,
        stored.kind,
        stored.tool,
        stored.resources,
        stored.notes,
        _backend(stored.backend),
        stored.unloaded_modules,
        stored.waivers,
        flows=stored.flows,
        state=stored.state,
        anchor=stored.anchor,
    )


def put(cache_dir: Cache, entry_key: str, reads: Reads, inventory: Inventory) -> None:
    entry = _Entry(reads.files, reads.listings, msgspec.Raw(msgspec.json.encode(inventory)))
    cache_dir.write(_path(cache_dir, entry_key), msgspec.json.encode(entry))


def _path(cache_dir: Cache, entry_key: str) -> Path:
    return cache_dir.folder / "inventories" / f"{entry_key}.json"


def _unchanged(entry: _Entry) -> bool:
    for listing, names in entry.listings.items():
        kind, _, folder = listing.partition(":")
        try:
            if kind == "files":
                current = [p.name for p in module_files(Path(folder))]
            elif kind == "tfvars":
                current = tfvars_files(Path(folder))
            else:
                return False
        except (InputError, OSError):
            return False
        if current != names:
            return False
    return all(_current(Path(name)) == wanted for name, wanted in entry.files.items())


def _current(path: Path) -> str | None:
    try:
        if path.name == "modules.json":
            return digest(path.read_text("utf-8"))
        return digest(read_text(path))
    except (InputError, OSError, ValueError):
        return None


def _backend(stored: Any) -> Backend | None:
    if not isinstance(stored, dict):
        return None
    attributes = {
        name: Known(value["value"], tuple(value.get("steps", ())), bool(value.get("sensitive")))
        if "value" in value
        else Unknown(value["reason"], tuple(value.get("steps", ())))
        for name, value in stored.get("attributes", {}).items()
    }
    location = stored.get("location")
    return Backend(
        stored["type"],
        attributes,
        SourceLocation(location["file"], location["line"], location.get("end_line"))
        if location
        else None,
    )


@cache
def _code_digest() -> str:
    """lintsov's own files by size and time: a changed checkout must not reuse results."""
    roots = {Path(__file__).resolve().parent}
    checks = builtin_rules.folder()
    if checks is not None:  # where the rules live depends on the install
        roots.add(checks)
    parts = []
    for root in sorted(roots):
        for source in sorted(root.rglob("*")):
            if source.suffix in (".py", ".json") and source.is_file():
                stat = source.stat()
                parts.append(f"{source}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@cache
def _catalogue_digest(catalogue: Catalogue) -> str:
    text = json.dumps(catalogue.documents, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
