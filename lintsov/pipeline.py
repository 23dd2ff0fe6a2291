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
from lintsov.errors import InputError
from lintsov.evidence import Evidence
from lintsov.finding import Finding, severity_at_least
from lintsov.fingerprint import input_key
from lintsov.inventory import Inventory
from lintsov.load import LoadOptions, load
from lintsov.load.hcl import load_folder
from lintsov.load.hcl_files import Reads
from lintsov.policy import Policy
from lintsov.resolve import resolve
from lintsov.rules import Rule
from lintsov.unreadable import Unreadable, names, unreadable
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
    # Inputs that could not be read, in input order: the run fails (exit 2), and the report
    # on the others names them.
    unreadable: tuple[Unreadable, ...] = ()

    def without_resources(self) -> tuple[str, ...]:
        """The inputs read that hold no managed resource: nothing in them was judged, which
        a wrong path in a CI job looks like."""
        return tuple(i.path for i in self.inventories if not i.resources)

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
        is_file = given.endswith(CONFIGURATION_FILES) and not _is_folder(given)
        spelled = str(Path(given).parent) if is_file else given
        found.setdefault(Path(spelled).resolve(), spelled)
    return list(found.values())


@dataclass(frozen=True)
class Read:
    """What reading the inputs gave, in input order: the inventories of those lintsov
    could read, and the others with their error."""

    inventories: tuple[Inventory, ...]
    unreadable: tuple[Unreadable, ...]


def read(paths: Iterable[str], catalogue: Catalogue, policy: Policy, options: LoadOptions) -> Read:
    """Load and resolve every input; an input that cannot be read does not stop the others."""
    found = inputs(paths)
    results = _attempts(found, catalogue, policy, options)
    return Read(
        tuple(r for r in results if isinstance(r, Inventory)),
        tuple(
            unreadable(path, r)
            for path, r in zip(found, results, strict=True)
            if isinstance(r, InputError)
        ),
    )


def _is_folder(path: str) -> bool:
    try:
        return Path(path).is_dir()
    except OSError:  # load() says why it cannot read it
        return False


def inventories(
    paths: Iterable[str], catalogue: Catalogue, policy: Policy, options: LoadOptions
) -> tuple[Inventory, ...]:
    """Every input's inventory, or the InputError of the first input (in order) that could
    not be read: for callers that need all inputs or none."""
    results = _attempts(inputs(paths), catalogue, policy, options)
    for result in results:
        if isinstance(result, InputError):
            raise result
    return tuple(r for r in results if isinstance(r, Inventory))


def _attempts(
    found: list[str], catalogue: Catalogue, policy: Policy, options: LoadOptions
) -> list[Inventory | InputError]:
    """Each input's inventory or its error, in parallel when there are several and ``jobs``
    allows. The result is in input order whatever finishes first, so that a parallel run
    reports exactly what a serial one does."""
    jobs = options.hcl.jobs
    if len(found) < 2 or jobs <= 1:
        return [_attempt(path, catalogue, policy, options) for path in found]
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
        return list(pool.map(_worker_attempt, found))


_worker: tuple[Catalogue, Policy, LoadOptions] | None = None


def _start_worker(catalogue: Catalogue, policy: Policy, options: LoadOptions) -> None:
    global _worker  # noqa: PLW0603 - per-process state of a pool worker
    _worker = (catalogue, policy, options)


def _worker_attempt(path: str) -> Inventory | InputError:
    assert _worker is not None, "the pool initializer sets the worker state"
    catalogue, policy, options = _worker
    return _attempt(path, catalogue, policy, options)


def _attempt(
    path: str, catalogue: Catalogue, policy: Policy, options: LoadOptions
) -> Inventory | InputError:
    # The error is returned, not raised: the other inputs are still read, and a worker's
    # result crosses the process boundary either way.
    try:
        return _inventory(path, catalogue, policy, options)
    except InputError as error:
        return error
    except RecursionError:
        return InputError(path, "input nested too deeply to read")


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
    unreadable: tuple[Unreadable, ...] = (),
) -> Outcome:
    """Run every enabled rule on every input, then set waived findings aside, then report
    the waivers that waived nothing.

    With ``aggregate``, whole-input rules (AUT001) judge all inputs as one: the
    organisation-wide view. When some inputs could not be read, that view is partial, and
    its findings say so. A rule may name the input of its finding itself (LSV001 does for
    the config file's waivers); identical findings from several inputs count once.
    """
    # One input judged "as a whole" is that input: keep its own name. Inputs that could
    # not be read count: the user asked for a view across all of them.
    aggregate = aggregate and len(found) + len(unreadable) > 1
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
                finding = _judged(found_here, inventory.path, policy.severities.get(rule_id))
                if inventory.path == ALL_INPUTS and unreadable:
                    finding = _partial(finding, len(found), unreadable)
                findings.add(finding)
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
        unreadable=unreadable,
    )


def _partial(finding: Finding, read_count: int, unreadable: tuple[Unreadable, ...]) -> Finding:
    """A finding on all inputs together, made when some could not be read: it covers only
    the inputs read, and must not pass for the whole."""
    given = read_count + len(unreadable)
    not_read = [item.input for item in unreadable]
    return replace(
        finding,
        message=f"{finding.message} (judged on the {read_count} of {given} inputs lintsov "
        f"could read; not read: {names(not_read)})",
        evidence=(
            *finding.evidence,
            Evidence(
                "inputs judged",
                f"{read_count} of {given}",
                (f"not read: {names(not_read, len(not_read))}",),
            ),
        ),
    )


def _judged(finding: Finding, input_path: str, severity: str | None) -> Finding:
    """A rule's finding with its input and the severity the policy gives its rule."""
    return replace(
        finding, input=finding.input or input_path, severity=severity or finding.severity
    )


def with_baseline(outcome: Outcome, entries: Iterable[Entry]) -> Outcome:
    """Findings the baseline records no longer fail the run; recorded ones gone are listed.

    An entry of an input that could not be read is not gone, only not looked at: it is
    not listed, and neither is a finding on all inputs together, which that input is part
    of."""
    split = baseline.split(outcome.findings, entries)
    unknown = {input_key(item.input) for item in outcome.unreadable}
    if unknown:
        unknown.add(ALL_INPUTS)
    return replace(
        outcome,
        findings=split.new,
        baselined=split.known,
        stale=tuple(entry for entry in split.stale if entry.input not in unknown),
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
    """Read every input and judge those that could be read; the others are in the outcome
    with their error."""
    done = read(paths, catalogue, policy, options)
    return judge(done.inventories, rules, policy, aggregate=aggregate, unreadable=done.unreadable)
