"""The pipeline: load → resolve → checks → filter. Pure: no printing, no exit codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from lintsov import inventory_cache
from lintsov.catalogue import Catalogue
from lintsov.finding import Finding, severity_at_least
from lintsov.inventory import Inventory
from lintsov.load import LoadOptions, load
from lintsov.load.hcl import load_folder
from lintsov.load.hcl_files import Reads
from lintsov.policy import Policy
from lintsov.resolve import resolve
from lintsov.rules import Rule
from lintsov.waivers import Waived
from lintsov.waivers import apply as apply_waivers


@dataclass(frozen=True)
class Outcome:
    inventories: tuple[Inventory, ...]
    findings: tuple[Finding, ...]
    waived: tuple[Waived, ...] = ()

    def counts(self) -> dict[str, int]:
        return {
            "errors": sum(1 for f in self.findings if f.severity == "error"),
            "warnings": sum(1 for f in self.findings if f.severity == "warning"),
        }

    def fails(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        return any(severity_at_least(f.severity, fail_on) for f in self.findings)


CONFIGURATION_FILES = (".tf", ".tf.json", ".tofu", ".tofu.json", ".tfvars", ".tfvars.json")


def inputs(paths: Iterable[str]) -> list[str]:
    """The inputs to read: a configuration file stands for its folder, once."""
    found: dict[str, None] = {}
    for given in paths:
        is_file = given.endswith(CONFIGURATION_FILES) and not Path(given).is_dir()
        found.setdefault(str(Path(given).parent) if is_file else given, None)
    return list(found)


def inventories(
    paths: Iterable[str], catalogue: Catalogue, policy: Policy, options: LoadOptions
) -> tuple[Inventory, ...]:
    return tuple(_inventory(path, catalogue, policy, options) for path in inputs(paths))


def _inventory(path: str, catalogue: Catalogue, policy: Policy, options: LoadOptions) -> Inventory:
    cache = options.hcl.cache
    if cache is None or not Path(path).is_dir():
        return resolve(load(path, options), catalogue, policy)
    entry = inventory_cache.key(path, options.hcl, policy, catalogue)
    found = inventory_cache.get(cache, entry)
    if found is not None:
        return found
    reads = Reads()
    inventory = resolve(load_folder(path, options.hcl, reads), catalogue, policy)
    inventory_cache.put(cache, entry, reads, inventory)
    return inventory


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
    waivers = [w for inventory in found for w in inventory.waivers]
    kept, waived = apply_waivers(findings, waivers, policy.today)
    return Outcome(
        found,
        tuple(sorted(kept, key=Finding.sort_key)),
        tuple(sorted(waived, key=lambda w: w.finding.sort_key())),
    )


def lint(
    paths: Iterable[str],
    catalogue: Catalogue,
    policy: Policy,
    rules: Mapping[str, Rule],
    options: LoadOptions,
) -> Outcome:
    return judge(inventories(paths, catalogue, policy, options), rules, policy)
