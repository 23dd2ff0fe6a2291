"""The pipeline: load → resolve → checks → filter. Pure: no printing, no exit codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from lintsov import baseline, collector, environment, modules
from lintsov.baseline import Entry
from lintsov.catalogue import Catalogue
from lintsov.errors import InputError
from lintsov.evidence import Evidence
from lintsov.finding import Finding, Severity, severity_at_least
from lintsov.fingerprint import input_key
from lintsov.inventory import Inventory
from lintsov.load import LoadOptions, environment_options, load, load_environment
from lintsov.policy import Policy
from lintsov.resolve import resolve
from lintsov.rules import Rule, run_rule
from lintsov.setting import Applied, Setting, applied
from lintsov.unreadable import Unreadable, names, unreadable
from lintsov.waivers import Waived, unused_config, unused_inline
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
    # Inputs that could not be read, in input order: the run fails (exit 2), and the report
    # on the others names them.
    unreadable: tuple[Unreadable, ...] = ()
    # The config files that applied, each with its policy and its inputs (read or not).
    configs: tuple[Applied, ...] = ()

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

    A named variables file is an environment of its folder (``infra (prod.tfvars)``), an
    input of its own beside the bare folder, unless Terraform loads it by itself
    (``terraform.tfvars``, ``*.auto.tfvars``): then it stands for its folder.
    """
    found: dict[tuple[Path, str | None], str] = {}
    for given in paths:
        is_file = given.endswith(CONFIGURATION_FILES) and not _is_folder(given)
        if is_file and environment.is_variables_file(given):
            named = environment.of_file(given)
        else:
            named = environment.Environment(str(Path(given).parent) if is_file else given)
        found.setdefault((Path(named.folder).resolve(), named.var_file), named.name)
    return list(found.values())


@dataclass(frozen=True)
class Read:
    """What reading the inputs gave, in input order: the inventories of those lintsov
    could read, and the others with their error."""

    inventories: tuple[Inventory, ...]
    unreadable: tuple[Unreadable, ...]
    # The config files that applied, each with the inputs it applied to, named as the
    # report names them.
    configs: tuple[Applied, ...] = ()


def read(paths: Iterable[str], catalogue: Catalogue, policy: Policy, options: LoadOptions) -> Read:
    """Load and resolve every input with one catalogue and policy (library use)."""
    return read_each(_alone(paths, catalogue, policy), options)


def read_each(assigned: Sequence[tuple[str, Setting]], options: LoadOptions) -> Read:
    """Load and resolve every input (as ``inputs()`` gives them) with the catalogue and policy
    of its own setting; an input that cannot be read does not stop the others."""
    results = _with_roles(assigned, _attempts(assigned, options), options)
    # A read input is named as its inventory is (a binary plan "via show -json").
    named = [
        (r.path if isinstance(r, Inventory) else path, setting)
        for (path, setting), r in zip(assigned, results, strict=True)
    ]
    return Read(
        tuple(r for r in results if isinstance(r, Inventory)),
        tuple(
            unreadable(path, r)
            for (path, _), r in zip(assigned, results, strict=True)
            if isinstance(r, InputError)
        ),
        applied(named),
    )


def _with_roles(
    assigned: Sequence[tuple[str, Setting]],
    results: list[Inventory | InputError],
    options: LoadOptions,
) -> list[Inventory | InputError]:
    """Each configuration folder's inventory with its role, root or reusable module
    (lintsov.modules); a repository that cannot be scanned is an input error of the input
    whose role it would tell."""
    layouts = modules.Layouts(options.hcl.cache, options.max_bytes)
    done: list[Inventory | InputError] = []
    for (path, setting), result in zip(assigned, results, strict=True):
        if isinstance(result, Inventory) and result.kind == "hcl":
            folder = Path(environment.parse(path).folder).absolute()
            try:
                role = modules.role(folder, layouts.of(folder), setting.modules)
            except InputError as error:
                done.append(error)
                continue
            notes = result.notes
            if role.reusable:
                # Said, not silently done: AUT001 does not judge this input.
                notes = (
                    *notes,
                    f"a reusable module ({role.reason}): AUT001 leaves its vendor to the "
                    "root modules that call it",
                )
            done.append(replace(result, module_role=role, notes=notes))
            continue
        done.append(result)
    return done


def _alone(paths: Iterable[str], catalogue: Catalogue, policy: Policy) -> list[tuple[str, Setting]]:
    """Every input with the one setting given, which names no config file."""
    one = Setting(None, policy, catalogue)
    return [(path, one) for path in inputs(paths)]


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
    results = _attempts(_alone(paths, catalogue, policy), options)
    for result in results:
        if isinstance(result, InputError):
            raise result
    return tuple(r for r in results if isinstance(r, Inventory))


def _attempts(
    assigned: Sequence[tuple[str, Setting]], options: LoadOptions
) -> list[Inventory | InputError]:
    """Each input's inventory or its error, in parallel when there are several and ``jobs``
    allows. The result is in input order whatever finishes first, so that a parallel run
    reports exactly what a serial one does."""
    jobs = options.hcl.jobs
    if len(assigned) < 2 or jobs <= 1:
        return [_attempt(path, setting, options) for path, setting in assigned]
    # The inputs are the parallelism: each worker reads its folder with one process.
    serial = replace(options, hcl=replace(options.hcl, jobs=1))
    # Workers get each setting once, and each input the number of its setting.
    settings: list[Setting] = []
    numbers: dict[int, int] = {}
    work = []
    for path, setting in assigned:
        if id(setting) not in numbers:
            numbers[id(setting)] = len(settings)
            settings.append(setting)
        work.append((path, numbers[id(setting)]))
    # Only several inputs read in parallel need these: a lone plan does not.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    methods = multiprocessing.get_all_start_methods()
    # fork hands the catalogues and policies to workers without pickling them.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(assigned)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(tuple(settings), serial),
    ) as pool:
        return list(pool.map(_worker_attempt, work))


_worker: tuple[tuple[Setting, ...], LoadOptions] | None = None


def _start_worker(settings: tuple[Setting, ...], options: LoadOptions) -> None:
    global _worker  # noqa: PLW0603 - per-process state of a pool worker
    _worker = (settings, options)


def _worker_attempt(work: tuple[str, int]) -> Inventory | InputError:
    assert _worker is not None, "the pool initializer sets the worker state"
    settings, options = _worker
    path, number = work
    return _attempt(path, settings[number], options)


def _attempt(path: str, setting: Setting, options: LoadOptions) -> Inventory | InputError:
    # The error is returned, not raised: the other inputs are still read, and a worker's
    # result crosses the process boundary either way.
    try:
        return _inventory(path, setting.catalogue, setting.policy, options)
    except InputError as error:
        return error
    except RecursionError:
        return InputError(path, "input nested too deeply to read")


def _inventory(path: str, catalogue: Catalogue, policy: Policy, options: LoadOptions) -> Inventory:
    cache = options.hcl.cache
    named = environment.parse(path)
    if not _is_folder(named.folder):
        with collector.paused():
            return resolve(load(path, options), catalogue, policy.classification)
    if cache is None:
        return resolve(load(path, options), catalogue, policy.classification)
    # The folder cache and its reads come with the folder frontend: a plan needs neither.
    from lintsov import inventory_cache  # noqa: PLC0415
    from lintsov.load.hcl_files import Reads  # noqa: PLC0415

    hcl = environment_options(named, options.hcl)
    entry = inventory_cache.key(named.folder, hcl, policy.classification, catalogue, shown=path)
    found = inventory_cache.get(cache, entry)
    if found is not None:
        return found
    reads = Reads()
    classification = policy.classification
    inventory = resolve(load_environment(named, options.hcl, reads), catalogue, classification)
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
    """Judge every input by one policy, which names no config file (library use); see
    judge_each."""
    named = (*(i.path for i in found), *(item.input for item in unreadable))
    configs = (Applied(None, policy, named),)
    return judge_each(found, rules, configs, aggregate=aggregate, unreadable=unreadable)


@dataclass(frozen=True)
class _Group:
    """The inputs one config applied to, judged by its policy with the rules it enables."""

    policy: Policy
    inventories: tuple[Inventory, ...]
    enabled: Mapping[str, Rule]


def judge_each(
    found: tuple[Inventory, ...],
    rules: Mapping[str, Rule],
    configs: tuple[Applied, ...],
    *,
    aggregate: bool = False,
    unreadable: tuple[Unreadable, ...] = (),
) -> Outcome:
    """Run the rules each input's policy enables on it, then set waived findings aside,
    then report the waivers that waived nothing. ``configs`` name every input (as its
    inventory or its Unreadable does) under the config that applied to it.

    A config's waivers cover the findings of its own inputs, and one that matches nothing
    is judged over those inputs only. Inline waivers are judged across all inputs: a module
    read by several root modules counts as used if any of them used it.

    With ``aggregate``, whole-input rules (AUT001) judge all inputs as one: the
    organisation-wide view, by one policy, so all inputs must have one config (which
    max_vendor_share would otherwise be a guess). When some inputs could not be read, that
    view is partial, and its findings say so. A rule may name the input of its finding
    itself (LSV001 does for the config file's waivers); identical findings from several
    inputs count once.
    """
    if aggregate and len(configs) > 1:
        raise ValueError("aggregate judges all inputs by one policy: give them one config")
    # One input judged "as a whole" is that input: keep its own name. Inputs that could
    # not be read count: the user asked for a view across all of them.
    aggregate = aggregate and len(found) + len(unreadable) > 1
    known = frozenset(rules)
    groups = _groups(found, rules, configs, known)
    # A reusable module's vendor is its callers' choice: its resources count through them.
    roots = [i for i in found if i.module_role is None or not i.module_role.reusable]
    merged = (
        (Inventory(ALL_INPUTS, "aggregate", "", tuple(r for i in roots for r in i.resources)),)
        if aggregate
        else ()
    )
    findings: list[set[Finding]] = []
    for group in groups:
        mine: set[Finding] = set()
        for rule_id, rule in group.enabled.items():
            judged = merged if aggregate and rule.scope == "input" else group.inventories
            severity = group.policy.severities.get(rule_id)
            for inventory in judged:
                judge_one = partial(rule.check, inventory, group.policy)
                partial_view = inventory.path == ALL_INPUTS and bool(unreadable)
                for found_here in run_rule(rule, inventory.path, judge_one):
                    finding = _judged(found_here, inventory.path, severity)
                    if partial_view:
                        finding = _partial(finding, len(found), unreadable)
                    mine.add(finding)
        findings.append(mine)
    inline = [w for inventory in found for w in inventory.waivers]
    # The clock is one for the run; a policy built by hand may have none.
    today = groups[0].policy.today if groups else None
    ran = {i.path: set(group.enabled) for group in groups for i in group.inventories}
    idle_inline = unused_inline(found, set().union(*findings), today, known, ran)
    reported: set[Finding] = set()
    waived: list[Waived] = []
    for group, mine in zip(groups, findings, strict=True):
        waivers = [*group.policy.waivers, *inline]
        kept, set_aside = apply_waivers(mine, waivers, group.policy.today, known)
        waived.extend(set_aside)
        # A waiver that waived nothing is reported as it is: waivers are not applied again.
        reported.update(kept)
        paths = {i.path for i in group.inventories}
        idle = [u for u in idle_inline if u.inventory is not None and u.inventory.path in paths]
        idle += unused_config(group.inventories, group.policy.waivers, mine, today, known)
        for rule_id, rule in group.enabled.items():
            if rule.check_unused is not None and idle:
                severity = group.policy.severities.get(rule_id)
                judge_idle = partial(rule.check_unused, idle, group.policy)
                found_idle = run_rule(rule, "the waivers that waived nothing", judge_idle)
                reported.update(_judged(f, "", severity) for f in found_idle)
    return Outcome(
        found,
        tuple(sorted(reported, key=Finding.sort_key)),
        tuple(sorted(waived, key=lambda w: w.finding.sort_key())),
        aggregate=aggregate,
        unreadable=unreadable,
        configs=configs,
    )


def _groups(
    found: tuple[Inventory, ...],
    rules: Mapping[str, Rule],
    configs: tuple[Applied, ...],
    known: frozenset[str],
) -> list[_Group]:
    """Each config's inventories, policy and enabled rules. An inventory no config names
    would be judged by nothing: refused, not passed."""
    groups = []
    named: set[str] = set()
    for config in configs:
        policy = replace(config.policy, known_rules=known)
        inputs = set(config.inputs)
        named |= inputs
        enabled = {
            r: rule for r, rule in sorted(rules.items()) if policy.enables(r, rule.default_enabled)
        }
        groups.append(_Group(policy, tuple(i for i in found if i.path in inputs), enabled))
    missing = [i.path for i in found if i.path not in named]
    if missing:
        raise ValueError(f"no config names the inputs {names(missing)}: they would not be judged")
    return groups


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


def _judged(finding: Finding, input_path: str, severity: Severity | None) -> Finding:
    """A rule's finding with its input and the severity the policy gives its rule."""
    return finding.judged(finding.input or input_path, severity or finding.severity)


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
    """Read every input and judge those that could be read, with one catalogue and policy
    (library use); the others are in the outcome with their error."""
    return lint_each(_alone(paths, catalogue, policy), rules, options, aggregate=aggregate)


def lint_each(
    assigned: Sequence[tuple[str, Setting]],
    rules: Mapping[str, Rule],
    options: LoadOptions,
    *,
    aggregate: bool = False,
) -> Outcome:
    """Read every input (as ``inputs()`` gives them) with its own setting and judge those
    that could be read by its policy; the others are in the outcome with their error."""
    done = read_each(assigned, options)
    # Judging builds the findings and their evidence, tens of thousands on a large plan,
    # and no reference cycles: the collector would only walk them (see collector.paused).
    with collector.paused():
        return judge_each(
            done.inventories, rules, done.configs, aggregate=aggregate, unreadable=done.unreadable
        )
