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
    """The inputs to read, each once, in the order given.

    A configuration file stands for its folder, and two spellings of one path (``infra``,
    ``./infra/``, ``/abs/infra``, a symlink to it) are one input: the same path on disk,
    as ``Path.resolve`` sees it. The first spelling is the input's name in the report.
    """
    found: dict[Path, str] = {}
    for given in paths:
        is_file = given.endswith(CONFIGURATION_FILES) and not Path(given).is_dir()
        spelled = str(Path(given).parent) if is_file else given
        found.setdefault(Path(spelled).resolve(), spelled)
    return list(found.values())


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


ALL_INPUTS = "(all inputs)"


def judge(
    found: tuple[Inventory, ...],
    rules: Mapping[str, Rule],
    policy: Policy,
    *,
    aggregate: bool = False,
) -> Outcome:
    """Run every enabled rule on every input, then set waived findings aside.

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
    findings: set[Finding] = set()
    for rule_id, rule in sorted(rules.items()):
        if rule_id in policy.disabled_rules:
            continue
        severity = policy.severities.get(rule_id)
        judged = merged if rule.scope == "input" else found
        for inventory in judged:
            for found_here in rule.check(inventory, policy):
                findings.add(
                    replace(
                        found_here,
                        input=found_here.input or inventory.path,
                        severity=severity or found_here.severity,
                    )
                )
    waivers = [*policy.waivers, *(w for inventory in found for w in inventory.waivers)]
    kept, waived = apply_waivers(findings, waivers, policy.today)
    return Outcome(
        found,
        tuple(sorted(kept, key=Finding.sort_key)),
        tuple(sorted(waived, key=lambda w: w.finding.sort_key())),
        aggregate=aggregate,
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
