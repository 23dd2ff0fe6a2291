"""The pipeline: load → resolve → checks → filter. Pure: no printing, no exit codes."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from lintsov import baseline, inventory_cache
from lintsov.baseline import Entry
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
from lintsov.waivers import unused as unused_waivers


@dataclass(frozen=True)
class Outcome:
    inventories: tuple[Inventory, ...]
    findings: tuple[Finding, ...]
    waived: tuple[Waived, ...] = ()
    # With --baseline: findings the baseline already records (they do not fail the run),
    # and recorded entries that no longer occur.
    baselined: tuple[Finding, ...] = ()
    stale: tuple[Entry, ...] = ()
    baseline_used: bool = False
    # Whole-input rules judged all inputs as one (--aggregate).
    aggregate: bool = False

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
        is_file = given.endswith(CONFIGURATION_FILES) and not _is_folder(given)
        found.setdefault(str(Path(given).parent) if is_file else given, None)
    return list(found)


def _is_folder(path: str) -> bool:
    try:
        return Path(path).is_dir()
    except OSError:  # load() says why it cannot read it
        return False


def inventories(
    paths: Iterable[str], catalogue: Catalogue, policy: Policy, options: LoadOptions
) -> tuple[Inventory, ...]:
    """Load and resolve every input, in parallel when there are several and ``jobs`` allows.

    The result is in input order whatever finishes first, so that a parallel run reports
    exactly what a serial one does; an input that fails fails the run, the first in order.
    """
    found = inputs(paths)
    jobs = options.hcl.jobs
    if len(found) < 2 or jobs <= 1:
        return tuple(_inventory(path, catalogue, policy, options) for path in found)
    # The inputs are the parallelism: each worker reads its folder with one process.
    serial = replace(options, hcl=replace(options.hcl, jobs=1))
    methods = multiprocessing.get_all_start_methods()
    # fork hands the catalogue and policy to workers without pickling them.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(found)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(catalogue, policy, serial),
    ) as pool:
        return tuple(pool.map(_worker_inventory, found))


_worker: tuple[Catalogue, Policy, LoadOptions] | None = None


def _start_worker(catalogue: Catalogue, policy: Policy, options: LoadOptions) -> None:
    global _worker  # noqa: PLW0603 - per-process state of a pool worker
    _worker = (catalogue, policy, options)


def _worker_inventory(path: str) -> Inventory:
    assert _worker is not None, "the pool initializer sets the worker state"
    catalogue, policy, options = _worker
    return _inventory(path, catalogue, policy, options)


def _inventory(path: str, catalogue: Catalogue, policy: Policy, options: LoadOptions) -> Inventory:
    cache = options.hcl.cache
    if cache is None or not _is_folder(path):
        return resolve(load(path, options), catalogue, policy)
    entry = inventory_cache.key(path, options.hcl, policy, catalogue)
    found = inventory_cache.get(cache, entry)
    if found is not None:
        return found
    reads = Reads()
    inventory = resolve(load_folder(path, options.hcl, reads), catalogue, policy)
    inventory_cache.put(cache, entry, reads, inventory)
    return inventory


ALL_INPUTS = "(all inputs)"


def judge(
    found: tuple[Inventory, ...],
    rules: Mapping[str, Rule],
    policy: Policy,
    *,
    aggregate: bool = False,
) -> Outcome:
    """Run every enabled rule on every input, then set waived findings aside, then report
    the waivers that waived nothing.

    With ``aggregate``, whole-input rules (AUT001) judge all inputs as one: the
    organisation-wide view. A rule may name the input of its finding itself (LSV001 does
    for the config file's waivers); identical findings from several inputs count once.
    """
    # One input judged "as a whole" is that input: keep its own name.
    aggregate = aggregate and len(found) > 1
    merged = (
        (Inventory(ALL_INPUTS, "aggregate", "", tuple(r for i in found for r in i.resources)),)
        if aggregate
        else found
    )
    policy = replace(policy, known_rules=frozenset(rules))
    enabled = {r: rule for r, rule in sorted(rules.items()) if r not in policy.disabled_rules}
    findings: set[Finding] = set()
    for rule_id, rule in enabled.items():
        judged = merged if rule.scope == "input" else found
        for inventory in judged:
            for found_here in rule.check(inventory, policy):
                findings.add(_judged(found_here, inventory.path, policy.severities.get(rule_id)))
    waivers = [*policy.waivers, *(w for inventory in found for w in inventory.waivers)]
    kept, waived = apply_waivers(findings, waivers, policy.today, policy.known_rules)
    idle = unused_waivers(
        found, policy.waivers, findings, policy.today, policy.known_rules, set(enabled)
    )
    # A waiver that waived nothing is reported as it is: waivers are not applied again.
    reported = set(kept)
    for rule_id, rule in enabled.items():
        if rule.check_unused is not None and idle:
            severity = policy.severities.get(rule_id)
            reported.update(_judged(f, "", severity) for f in rule.check_unused(idle, policy))
    return Outcome(
        found,
        tuple(sorted(reported, key=Finding.sort_key)),
        tuple(sorted(waived, key=lambda w: w.finding.sort_key())),
        aggregate=aggregate,
    )


def _judged(finding: Finding, input_path: str, severity: str | None) -> Finding:
    """A rule's finding with its input and the severity the policy gives its rule."""
    return replace(
        finding, input=finding.input or input_path, severity=severity or finding.severity
    )


def with_baseline(outcome: Outcome, entries: Iterable[Entry]) -> Outcome:
    """Findings the baseline records no longer fail the run; recorded ones gone are listed."""
    split = baseline.split(outcome.findings, entries)
    return replace(
        outcome,
        findings=split.new,
        baselined=split.known,
        stale=split.stale,
        baseline_used=True,
    )


def lint(
    paths: Iterable[str],
    catalogue: Catalogue,
    policy: Policy,
    rules: Mapping[str, Rule],
    options: LoadOptions,
    *,
    aggregate: bool = False,
) -> Outcome:
    found = inventories(paths, catalogue, policy, options)
    return judge(found, rules, policy, aggregate=aggregate)
