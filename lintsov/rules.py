"""The rule registry. Rules, built-in or third-party, register under the entry-point group
``lintsov.checks``; each is a module with a docstring (its manual), ``ID``, ``TITLE``,
``SEVERITY`` and ``check(inventory, policy)``."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata

from lintsov.finding import SEVERITIES, Finding
from lintsov.inventory import Inventory
from lintsov.policy import Policy

GROUP = "lintsov.checks"

Check = Callable[[Inventory, Policy], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    doc: str
    check: Check
    origin: str


class RuleError(Exception):
    """A registered rule that does not load or does not follow the rule contract."""


@cache
def load_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for entry in sorted(metadata.entry_points(group=GROUP), key=lambda e: e.name):
        try:
            module = entry.load()
        except Exception as error:  # a broken plugin must not look like a clean run
            raise RuleError(f"rule {entry.name} ({entry.value}) failed to load: {error}") from None
        rule_id = getattr(module, "ID", None)
        severity = getattr(module, "SEVERITY", None)
        check = getattr(module, "check", None)
        if rule_id != entry.name or severity not in SEVERITIES or not callable(check):
            raise RuleError(
                f"rule {entry.name} ({entry.value}) must define ID = "
                f"{entry.name!r}, SEVERITY in {SEVERITIES} and check()"
            )
        rules[rule_id] = Rule(
            id=rule_id,
            title=getattr(module, "TITLE", rule_id),
            severity=severity,
            doc=inspect.cleandoc(module.__doc__ or ""),
            check=check,
            origin=entry.dist.name if entry.dist else entry.value,
        )
    return rules
