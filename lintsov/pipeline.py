"""The pipeline: load → resolve → checks → filter. Pure: no printing, no exit codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from lintsov.catalogue import Catalogue
from lintsov.finding import Finding, severity_at_least
from lintsov.inventory import Inventory
from lintsov.load import DEFAULT_MAX_BYTES, load
from lintsov.load.binary_plan import DEFAULT_TIMEOUT
from lintsov.policy import Policy
from lintsov.resolve import resolve
from lintsov.rules import Rule


@dataclass(frozen=True)
class LoadOptions:
    terraform_bin: str | None = None
    show_timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Outcome:
    inventories: tuple[Inventory, ...]
    findings: tuple[Finding, ...]

    def counts(self) -> dict[str, int]:
        return {
            "errors": sum(1 for f in self.findings if f.severity == "error"),
            "warnings": sum(1 for f in self.findings if f.severity == "warning"),
        }

    def fails(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        return any(severity_at_least(f.severity, fail_on) for f in self.findings)


def inventories(
    paths: Iterable[str], catalogue: Catalogue, policy: Policy, options: LoadOptions
) -> tuple[Inventory, ...]:
    return tuple(
        resolve(
            load(
                path,
                terraform_bin=options.terraform_bin,
                show_timeout=options.show_timeout,
                max_bytes=options.max_bytes,
            ),
            catalogue,
            policy,
        )
        for path in paths
    )


def judge(found: tuple[Inventory, ...], rules: Mapping[str, Rule], policy: Policy) -> Outcome:
    findings: list[Finding] = []
    for inventory in found:
        for rule_id, rule in sorted(rules.items()):
            if rule_id in policy.disabled_rules:
                continue
            severity = policy.severities.get(rule_id)
            for found_here in rule.check(inventory, policy):
                findings.append(
                    replace(
                        found_here,
                        input=inventory.path,
                        severity=severity or found_here.severity,
                    )
                )
    return Outcome(found, tuple(sorted(findings, key=Finding.sort_key)))


def lint(
    paths: Iterable[str],
    catalogue: Catalogue,
    policy: Policy,
    rules: Mapping[str, Rule],
    options: LoadOptions,
) -> Outcome:
    return judge(inventories(paths, catalogue, policy, options), rules, policy)
