"""The rule registry. lintsov's own rules are listed in lintsov.builtin_rules (so that a
source checkout finds them too); third-party rules register under the entry-point group
``lintsov.checks``. Each is a module with a docstring (its manual), ``ID``, ``TITLE``,
``SEVERITY`` and ``check(inventory, policy)``: the ``RuleModule`` protocol, which mypy checks
for the built-in rules and the example plugin (tests/test_rule_contract.py).

Optional: ``SCOPE`` ("resource", the default: judges each resource; "input": judges a whole
input, and with ``--aggregate`` all inputs together; "configuration": reports problems in
the configuration itself), ``TAGS`` (SARIF ``properties.tags``) and ``SECURITY_SEVERITY``
(GitHub's 0.0-10.0 scale; by default derived from the severity), and
``check_unused(unused, policy)``, called once the waivers are applied with the waivers that
waived nothing (LSV001 reports them). A plugin may not take a built-in rule's id, nor
another plugin's."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from types import ModuleType
from typing import Literal, Protocol, get_args

from lintsov import builtin_rules
from lintsov.finding import SEVERITIES, Finding, Severity
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.waivers import Unused

GROUP = "lintsov.checks"
Scope = Literal["resource", "input", "configuration"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
HELP_URI = "https://github.com/lintsov/lintsov/blob/main/docs/rules.md#{anchor}"
# GitHub code scanning maps security-severity > 7.0 to high and 4.0-6.9 to medium.
DEFAULT_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0"}

Check = Callable[[Inventory, Policy], Iterator[Finding]]
UnusedCheck = Callable[[Sequence[Unused], Policy], Iterator[Finding]]


class RuleModule(Protocol):
    """What a rule module provides (read-only: a module's constants). Annotate the
    constants (``SEVERITY: Severity = "error"``) so that mypy checks them against it.
    Optional, checked when the rule loads: ``SCOPE: Scope``, ``TAGS: tuple[str, ...]``,
    ``SECURITY_SEVERITY: str``, ``ENABLED_BY_DEFAULT: bool`` (False: the rule runs only
    when a config enables it) and ``check_unused`` (``WaiverRuleModule``)."""

    @property
    def ID(self) -> str: ...

    @property
    def TITLE(self) -> str: ...

    @property
    def SEVERITY(self) -> Severity: ...

    def check(self, inventory: Inventory, policy: Policy) -> Iterator[Finding]: ...


class ScopedRuleModule(RuleModule, Protocol):
    """A rule module that also says its scope, tags and GitHub security severity, as every
    built-in rule does."""

    @property
    def SCOPE(self) -> Scope: ...

    @property
    def TAGS(self) -> tuple[str, ...]: ...

    @property
    def SECURITY_SEVERITY(self) -> str: ...


class WaiverRuleModule(ScopedRuleModule, Protocol):
    """A rule that also judges the waivers that waived nothing (LSV001)."""

    def check_unused(self, unused: Sequence[Unused], policy: Policy) -> Iterator[Finding]: ...


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    doc: str
    check: Check
    # The distribution that ships the rule: "lintsov" for the built-in ones.
    origin: str
    scope: Scope = "resource"
    tags: tuple[str, ...] = ()
    security_severity: str = "5.0"
    check_unused: UnusedCheck | None = None
    # Off by default: runs only when the config enables it (`rules: {ID: {enabled: true}}`).
    default_enabled: bool = True

    @property
    def summary(self) -> str:
        """The first paragraph of the manual's "What it does", for one-line listings."""
        body = self.doc.split("What it does", 1)[-1].split("\n\n", 1)[0]
        return " ".join(body.split()) or self.title

    @property
    def manual(self) -> str:
        """The manual without its title paragraph (``SOV001: ...``), which listings show
        in their own words; empty for a manual that is only a title."""
        parts = self.doc.split("\n\n", 1)
        return parts[1].strip() if len(parts) == 2 else ""

    @property
    def help_uri(self) -> str:
        return HELP_URI.format(anchor=self.id.lower())


class RuleError(Exception):
    """A registered rule that does not load, does not follow the rule contract, or fails
    while it judges."""


def run_rule(rule: Rule, judged: str, findings: Callable[[], Iterable[Finding]]) -> list[Finding]:
    """The findings ``findings()`` yields for ``rule``; a rule that raises is reported as a
    RuleError naming the rule, its distribution and what it judged: a broken rule must not
    look like a clean run, nor like a fault of lintsov's."""
    try:
        return list(findings())
    except Exception as error:
        raise RuleError(
            f"rule {rule.id} from {rule.origin} failed while judging {judged}: "
            f"{type(error).__name__}: {error}"
        ) from error


@cache
def load_rules() -> dict[str, Rule]:
    """The built-in rules, then the plugins', by id."""
    rules: dict[str, Rule] = {}
    for rule_id in sorted(builtin_rules.BUILTIN):
        where = builtin_rules.module_name(rule_id)
        try:
            module = builtin_rules.load(rule_id)
        except builtin_rules.MissingRules as error:
            raise RuleError(str(error)) from None
        except Exception as error:  # a broken rule must not look like a clean run
            raise RuleError(f"built-in rule {rule_id} ({where}) failed to load: {error}") from None
        rules[rule_id] = _rule(rule_id, module, where, builtin_rules.ORIGIN)
    for entry in sorted(metadata.entry_points(group=GROUP), key=_entry_order):
        distribution = entry.dist.name if entry.dist else entry.value
        if _normalised(distribution) == builtin_rules.ORIGIN:
            continue  # lintsov's own: older releases declared the built-in rules here
        taken = rules.get(entry.name)
        if taken is not None:
            owner = "a built-in rule" if taken.origin == builtin_rules.ORIGIN else taken.origin
            raise RuleError(
                f"plugin {distribution} registers rule {entry.name} ({entry.value}), "
                f"an id {owner} already has; a plugin may not replace another rule"
            )
        try:
            module = entry.load()
        except Exception as error:  # a broken plugin must not look like a clean run
            raise RuleError(f"rule {entry.name} ({entry.value}) failed to load: {error}") from None
        rules[entry.name] = _rule(entry.name, module, entry.value, distribution)
    return dict(sorted(rules.items()))


def _entry_order(entry: metadata.EntryPoint) -> tuple[str, str]:
    return entry.name, entry.dist.name if entry.dist else ""


def _normalised(distribution: str) -> str:
    # PEP 503: "Lintsov", "lintsov_" and "lintsov." name the same distribution.
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _rule(rule_id: str, module: ModuleType, where: str, origin: str) -> Rule:
    severity = getattr(module, "SEVERITY", None)
    check = getattr(module, "check", None)
    scope = getattr(module, "SCOPE", "resource")
    check_unused = getattr(module, "check_unused", None)
    default_enabled = getattr(module, "ENABLED_BY_DEFAULT", True)
    if (
        getattr(module, "ID", None) != rule_id
        or severity not in SEVERITIES
        or not callable(check)
        or scope not in SCOPES
        or not (check_unused is None or callable(check_unused))
        or not isinstance(default_enabled, bool)
    ):
        raise RuleError(
            f"rule {rule_id} ({where}) must define ID = {rule_id!r}, SEVERITY in "
            f"{SEVERITIES}, check() and, if any, SCOPE in {SCOPES}, a callable "
            "check_unused and a bool ENABLED_BY_DEFAULT"
        )
    return Rule(
        id=rule_id,
        title=getattr(module, "TITLE", rule_id),
        severity=severity,
        doc=inspect.cleandoc(module.__doc__ or ""),
        check=check,
        origin=origin,
        scope=scope,
        tags=tuple(getattr(module, "TAGS", ())),
        security_severity=str(
            getattr(module, "SECURITY_SEVERITY", DEFAULT_SECURITY_SEVERITY[severity])
        ),
        check_unused=check_unused,
        default_enabled=default_enabled,
    )


def active(rules: Mapping[str, Rule], policy: Policy, config: str | None) -> None:
    """Refuse a run in which every rule is disabled: it would judge nothing, and pass."""
    if any(policy.enables(i, r.default_enabled) for i, r in rules.items()):
        return
    if not rules:
        raise RuleError("no rule is loaded, so nothing would be judged")
    where = config or "the configuration"
    raise RuleError(
        f"{where} disables every rule ({', '.join(sorted(rules))}), so nothing would be "
        "judged; enable at least one"
    )


def matches(rule_id: str, names: Iterable[str]) -> bool:
    """Whether one of ``names``, ids or prefixes such as ``SOV``, names the rule."""
    return any(rule_id.startswith(name) for name in names)


def unmatched(names: Iterable[str], known: Collection[str]) -> str | None:
    """The first of ``names`` that names no rule lintsov has (None: all name one): a
    misspelt id or prefix would select, ignore or change nothing without a word."""
    for name in names:
        if not name or not any(matches(rule_id, (name,)) for rule_id in known):
            return name
    return None
