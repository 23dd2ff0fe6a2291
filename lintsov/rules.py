"""The rule registry. Rules, built-in or third-party, register under the entry-point group
``lintsov.checks``; each is a module with a docstring (its manual), ``ID``, ``TITLE``,
``SEVERITY`` and ``check(inventory, policy)``.

Optional: ``SCOPE`` ("resource", the default: judges each resource; "input": judges a whole
input, and with ``--aggregate`` all inputs together; "configuration": reports problems in
the configuration itself), ``TAGS`` (SARIF ``properties.tags``) and ``SECURITY_SEVERITY``
(GitHub's 0.0-10.0 scale; by default derived from the severity)."""

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
SCOPES = ("resource", "input", "configuration")
HELP_URI = "https://github.com/lintsov/lintsov/blob/main/docs/rules.md#{anchor}"
# GitHub code scanning maps security-severity > 7.0 to high and 4.0-6.9 to medium.
DEFAULT_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0"}

Check = Callable[[Inventory, Policy], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    doc: str
    check: Check
    origin: str
    scope: str = "resource"
    tags: tuple[str, ...] = ()
    security_severity: str = "5.0"

    @property
    def summary(self) -> str:
        """The first paragraph of the manual's "What it does", for one-line listings."""
        body = self.doc.split("What it does", 1)[-1].split("\n\n", 1)[0]
        return " ".join(body.split()) or self.title

    @property
    def help_uri(self) -> str:
        return HELP_URI.format(anchor=self.id.lower())


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
        scope = getattr(module, "SCOPE", "resource")
        if (
            rule_id != entry.name
            or severity not in SEVERITIES
            or not callable(check)
            or scope not in SCOPES
        ):
            raise RuleError(
                f"rule {entry.name} ({entry.value}) must define ID = "
                f"{entry.name!r}, SEVERITY in {SEVERITIES}, check() and, if any, "
                f"SCOPE in {SCOPES}"
            )
        rules[rule_id] = Rule(
            id=rule_id,
            title=getattr(module, "TITLE", rule_id),
            severity=severity,
            doc=inspect.cleandoc(module.__doc__ or ""),
            check=check,
            origin=entry.dist.name if entry.dist else entry.value,
            scope=scope,
            tags=tuple(getattr(module, "TAGS", ())),
            security_severity=str(
                getattr(module, "SECURITY_SEVERITY", DEFAULT_SECURITY_SEVERITY[severity])
            ),
        )
    return rules
