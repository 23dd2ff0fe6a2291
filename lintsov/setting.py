"""What each input is judged by: the config file that applies to it, found from where the
input is (or none), and the policy and the catalogue built from that file.

Inputs in different folders of a monorepo may each have a config of their own: each is read
with its own catalogue and judged by its own policy, and every report names the config files
that applied (README: Configuration discovery)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from lintsov import config
from lintsov.catalogue import Catalogue, builtin
from lintsov.modules import Overrides as ModuleOverrides
from lintsov.policy import Policy, Profile, Unclassified


@dataclass(frozen=True)
class Setting:
    """A config file (None: no config file applied), and the policy and the catalogue built
    from it with the command line's options."""

    config: str | None
    policy: Policy
    catalogue: Catalogue
    # The config's `modules:` overrides of which folders are root and reusable modules.
    modules: ModuleOverrides = field(default_factory=ModuleOverrides)


@dataclass(frozen=True)
class Applied:
    """A config file (None: none) and the policy it gave, with the inputs it applied to, as
    given and in input order, read or not: what a report says was judged by what."""

    config: str | None
    policy: Policy
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Selection:
    """The command line's rule selection for one run: ``select`` (None: the config's, else
    all rules) and ``ignore``, ids or prefixes, and severities by id or prefix."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severities: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Overrides:
    """The command line's policy options, which win over every config file, and the day
    waivers expire by."""

    profile: Profile | None = None
    blocked: tuple[str, ...] = ()
    unclassified: Unclassified | None = None
    today: date | None = None
    selection: Selection = field(default_factory=Selection)


def load(path: Path | None, rules: Collection[str], overrides: Overrides) -> Setting:
    """The setting of one config file (None: the defaults)."""
    found = config.load(path)
    policy = config.policy(
        found,
        known_rules=rules,
        profile=overrides.profile,
        blocked=overrides.blocked,
        unclassified=overrides.unclassified,
        select=overrides.selection.select,
        ignore=overrides.selection.ignore,
        severities=overrides.selection.severities,
    )
    return Setting(
        found.path,
        replace(policy, today=overrides.today),
        config.catalogue(found, builtin()),
        config.module_overrides(found),
    )


def assign(
    inputs: Sequence[str],
    *,
    cwd: Path,
    config_file: str | None,
    rules: Collection[str],
    overrides: Overrides,
) -> tuple[tuple[str, Setting], ...]:
    """Each input with its setting, in input order: ``config_file`` for all of them when it
    is given, else the config file found for each (config.for_input). Each config file is
    read once, and inputs that share one share its setting."""
    if config_file is not None:
        one = load(Path(config_file), rules, overrides)
        return tuple((given, one) for given in inputs)
    searched: dict[Path, Path | None] = {}
    settings: dict[Path | None, Setting] = {}
    assigned = []
    for given in inputs:
        path = config.for_input(given, cwd, searched)
        if path not in settings:
            settings[path] = load(path, rules, overrides)
        assigned.append((given, settings[path]))
    return tuple(assigned)


def applied(assigned: Iterable[tuple[str, Setting]]) -> tuple[Applied, ...]:
    """The config files of a run with the inputs of each, in the order of their first input."""
    groups: dict[str | None, tuple[Policy, list[str]]] = {}
    for given, setting in assigned:
        groups.setdefault(setting.config, (setting.policy, []))[1].append(given)
    return tuple(Applied(path, policy, tuple(inputs)) for path, (policy, inputs) in groups.items())
