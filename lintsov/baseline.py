"""The baseline: today's findings, recorded by fingerprint, so that a team adopting lintsov
fails only on findings that are new, and sees which recorded ones are gone."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lintsov import __version__, json_text
from lintsov.errors import InputError
from lintsov.finding import Finding
from lintsov.fingerprint import distinct, facts

FORMAT = 1


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rule: str
    input: str
    address: str
    message: str


@dataclass(frozen=True)
class Split:
    new: tuple[Finding, ...]
    known: tuple[Finding, ...]
    # Recorded entries that no longer occur: the baseline can shrink by them.
    stale: tuple[Entry, ...]


def render(findings: Sequence[Finding]) -> str:
    entries: dict[str, dict[str, Any]] = {}
    for finding, key in zip(findings, distinct(findings), strict=True):
        entries[key] = {"fingerprint": key, **facts(finding), "message": finding.message}
    document = {
        "lintsov_baseline": FORMAT,
        "tool": {"name": "lintsov", "version": __version__},
        "findings": [entries[key] for key in sorted(entries)],
    }
    return json_text.dumps(document)


def read(path: str) -> tuple[Entry, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            path, "baseline file not found (create it with --write-baseline)"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, f"cannot read the baseline: {error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            path,
            f"the baseline is not JSON: {error.msg}",
            line=error.lineno,
            column=error.colno,
        ) from None
    if not isinstance(document, dict) or document.get("lintsov_baseline") != FORMAT:
        raise InputError(path, f'not a lintsov baseline (expected "lintsov_baseline": {FORMAT})')
    entries = []
    for index, item in enumerate(document.get("findings", [])):
        try:
            entries.append(
                Entry(
                    fingerprint=str(item["fingerprint"]),
                    rule=str(item["rule"]),
                    input=str(item.get("input", "")),
                    address=str(item["address"]),
                    message=str(item.get("message", "")),
                )
            )
        except (KeyError, TypeError):
            raise InputError(
                path, "a baseline entry needs fingerprint, rule and address", f"findings[{index}]"
            ) from None
    return tuple(entries)


def split(findings: Sequence[Finding], entries: Iterable[Entry]) -> Split:
    recorded = {entry.fingerprint: entry for entry in entries}
    new: list[Finding] = []
    known: list[Finding] = []
    seen: set[str] = set()
    for finding, key in zip(findings, distinct(findings), strict=True):
        if key in recorded:
            known.append(finding)
            seen.add(key)
        else:
            new.append(finding)
    stale = tuple(recorded[key] for key in sorted(recorded) if key not in seen)
    return Split(tuple(new), tuple(known), stale)
