"""The config file: `.lintsov.yaml` (or `.lintsov.yml`), or `[tool.lintsov]` in
`pyproject.toml`, found from the current folder up to the repository root, validated
against ``lintsov/schemas/config.schema.json``."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from lintsov.errors import InputError
from lintsov.policy import DEFAULT_SENSITIVE_KEYS, DEFAULT_SENSITIVE_VALUES, Policy

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

YAML_NAMES = (".lintsov.yaml", ".lintsov.yml")


@dataclass(frozen=True)
class Config:
    path: str | None
    data: Mapping[str, Any] = field(default_factory=dict)


def schema() -> dict[str, Any]:
    text = resources.files("lintsov").joinpath("schemas/config.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def discover(start: Path) -> Path | None:
    """The nearest config file from ``start`` upwards, stopping at the repository root."""
    for folder in (start, *start.parents):
        for name in YAML_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
        if (folder / ".git").exists():
            return None
    return None


def _has_tool_section(pyproject: Path) -> bool:
    try:
        return "lintsov" in _read_toml(pyproject).get("tool", {})
    except InputError:
        return True  # let load() report the broken file rather than silently skip it


def load(path: Path | None) -> Config:
    if path is None:
        return Config(None)
    if not path.is_file():
        raise InputError(str(path), "config file not found")
    if path.name == "pyproject.toml":
        data = _read_toml(path).get("tool", {}).get("lintsov", {})
    else:
        data = _read_yaml(path)
    validate(data, str(path))
    return Config(str(path), data)


def validate(data: Any, path: str) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise InputError(path, f"invalid config: {error.message}", where)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "the config file is not UTF-8 text") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror or error}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise InputError(str(path), f"invalid YAML: {error.problem or error}", where) from None
    except yaml.YAMLError as error:
        raise InputError(str(path), f"invalid YAML: {error}") from None
    return {} if data is None else data


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            loaded: dict[str, Any] = tomllib.load(handle)
            return loaded
    except tomllib.TOMLDecodeError as error:
        raise InputError(str(path), f"invalid TOML: {error}") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror or error}") from None


def policy(config: Config, *, profile: str | None = None, blocked: tuple[str, ...] = ()) -> Policy:
    """The policy: command-line options over the config file over the defaults."""
    data = config.data
    sensitive = data.get("sensitive", {})
    rules = data.get("rules", {})
    return Policy(
        profile=profile or data.get("profile", "sovereignty"),
        blocked=frozenset(blocked or data.get("block_jurisdictions", ("US",))),
        sensitive_keys=frozenset(k.lower() for k in sensitive.get("tag_keys", ()))
        or DEFAULT_SENSITIVE_KEYS,
        sensitive_values=frozenset(v.lower() for v in sensitive.get("tag_values", ()))
        or DEFAULT_SENSITIVE_VALUES,
        sensitive_addresses=tuple(sensitive.get("addresses", ())),
        max_vendor_share=float(data.get("max_vendor_share", 1.0)),
        disabled_rules=frozenset(r for r, s in rules.items() if s.get("enabled") is False),
        severities={r: s["severity"] for r, s in sorted(rules.items()) if "severity" in s},
    )
