"""The backend `terraform init` (or `tofu init`) recorded in ``.terraform/terraform.tfstate``.

A plan does not say where state is kept, but the working directory it was made in does:
``init`` writes the backend it configured, with every ``-backend-config`` value merged in,
to ``.terraform/terraform.tfstate`` as ``{"backend": {"type": "s3", "config": {...}}}``.
When that file sits beside a plan, lintsov reads the backend from it.

The file is a by-product of ``init``, not the input: a missing file means no backend is
known, and one lintsov cannot read or understand is set aside with a note, never an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lintsov.stack import Attr, Backend, Known, SourceLocation, Stack

FILE = Path(".terraform") / "terraform.tfstate"
# The file holds credentials (access keys, connection strings); these are the only settings
# lintsov reads, to place the storage. Others are never copied into the Stack.
WHERE_SETTINGS = frozenset(
    {"region", "endpoint", "endpoints", "hostname", "address", "conn_str", "host", "environment"}
)


@dataclass(frozen=True)
class Recorded:
    """What the file beside a plan gave: a backend, or a note on why it was set aside."""

    backend: Backend | None = None
    note: str | None = None


def with_recorded_backend(stack: Stack, plan: Path) -> Stack:
    """The plan's stack with the backend recorded beside it, or a note on why not."""
    found = recorded_backend(plan.parent)
    if found.note is not None:
        return replace(stack, notes=(*stack.notes, found.note))
    if found.backend is not None and stack.backend is None:
        return replace(stack, backend=found.backend)
    return stack


def recorded_backend(folder: Path) -> Recorded:
    """The backend recorded in ``folder/.terraform/terraform.tfstate``, if any."""
    path = folder / FILE
    shown = str(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Recorded()
    except (OSError, UnicodeDecodeError) as error:
        reason = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else "unreadable"
        return Recorded(note=_set_aside(shown, reason))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return Recorded(note=_set_aside(shown, f"invalid JSON at line {error.lineno}"))
    backend = document.get("backend") if isinstance(document, dict) else None
    if backend is None:
        # Written by a local-state init, or by Terraform for a workspace without a backend.
        return Recorded()
    kind = backend.get("type") if isinstance(backend, dict) else None
    config = backend.get("config", {}) if isinstance(backend, dict) else None
    if not isinstance(kind, str) or not kind or not isinstance(config, dict):
        return Recorded(note=_set_aside(shown, 'its "backend" has no "type" and "config"'))
    return Recorded(Backend(kind, _settings(config, shown), SourceLocation(shown, _line(text))))


def _settings(config: dict[str, Any], shown: str) -> dict[str, Attr]:
    # init writes every setting of the backend's schema, unset ones as null.
    return {
        name: Known(value, (f"{shown} backend.config.{name}",))
        for name, value in sorted(config.items())
        if name in WHERE_SETTINGS and value not in (None, "", {})
    }


def _line(text: str) -> int:
    """The line of ``"backend"``, where a reader of the file finds it."""
    at = text.find('"backend"')
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _set_aside(shown: str, reason: str) -> str:
    return f"{shown} was not read ({reason}), so the state backend is not known"
