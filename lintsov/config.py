"""The config file: `.lintsov.yaml` (or `.lintsov.yml`), or `[tool.lintsov]` in
`pyproject.toml`, found for each input from the input's folder up to the repository root,
validated against ``lintsov/schemas/config.schema.json``."""

from __future__ import annotations

import copy
import datetime
import json
import os
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lintsov import catalogue as catalogues
from lintsov import countries, environment, modules, repository
from lintsov import rules as rule_registry
from lintsov.catalogue.partners import normalise as normalise_setting
from lintsov.errors import MESSAGE_LIMIT, InputError, quoted, shorten
from lintsov.finding import Severity
from lintsov.policy import (
    DEFAULT_SENSITIVE_KEYS,
    DEFAULT_SENSITIVE_VALUES,
    DeclaredStaffControl,
    EndpointRule,
    Policy,
    Profile,
    TrustedSet,
    Unclassified,
)
from lintsov.stack import Waiver

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

YAML_NAMES = (".lintsov.yaml", ".lintsov.yml")


@dataclass(frozen=True)
class Config:
    path: str | None
    data: Mapping[str, Any] = field(default_factory=dict)
    # The line of each entry under `waivers` (0 where the format gives none, as TOML).
    waiver_lines: tuple[int, ...] = ()


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: `until: 2027-03-31` stays the text the user wrote,
    and a date that does not exist (2027-02-30) is reported by the waiver rules instead of
    breaking the load."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema() -> dict[str, Any]:
    """The config schema, with the catalogue's definitions that `catalogue:` entries use."""
    text = resources.files("lintsov").joinpath("schemas/config.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    loaded["$defs"] = catalogues.schema()["$defs"]
    return loaded


def discover(start: Path, searched: dict[Path, Path | None] | None = None) -> Path | None:
    """The nearest config file from ``start`` upwards, stopping at the repository root (the
    nearest folder holding ``.git``, whose own config counts), or at the filesystem root
    outside any repository, as ruff does. ``searched`` remembers what each folder already
    searched led to: a monorepo's stacks share their parent folders, and a pyproject.toml
    there is read once, not once per stack."""
    memo: dict[Path, Path | None] = {} if searched is None else searched
    walked: list[Path] = []
    found: Path | None = None
    for folder in (start, *start.parents):
        if folder in memo:
            found = memo[folder]
            break
        walked.append(folder)
        found = _config_in(folder)
        if found is not None or (folder / ".git").exists():
            break
    for folder in walked:
        memo[folder] = found
    return found


def for_input(
    given: str, cwd: Path, searched: dict[Path, Path | None] | None = None
) -> Path | None:
    """The config file that applies to the input ``given``: the nearest one from the input's
    folder (a plan's folder; a folder input itself) up to its repository root.

    An input outside the repository lintsov runs in (a plan a CI job wrote to a temporary
    folder) that finds no config of its own takes the one found from ``cwd``, as ruff does.
    An input inside it never does: that config would be a sibling folder's (``cd stacks/a
    && lintsov ../b``), and the same input must be judged alike from every folder."""
    # An environment (``infra (prod.tfvars)``) is judged by its folder's config.
    path = Path(os.path.abspath(environment.parse(given).folder))
    folder = path if _is_folder(path) else path.parent
    found = discover(folder, searched)
    if found is not None:
        return found
    root = repository.root(cwd)
    if folder == root or root in folder.parents:
        return None
    return discover(Path(os.path.abspath(cwd)), searched)


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # reading the input says why it cannot be read
        return False


def _config_in(folder: Path) -> Path | None:
    """The folder's config file. Two of them (.lintsov.yaml and .lintsov.yml, or one and a
    pyproject.toml with [tool.lintsov]) are refused: one would be read and the other
    silently ignored."""
    found = [folder / name for name in YAML_NAMES if (folder / name).is_file()]
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and _has_tool_section(pyproject):
        found.append(pyproject)
    if len(found) > 1:
        raise InputError(
            str(found[1]),
            f"a second config file beside {found[0].name}, which lintsov would read alone; "
            "keep one",
        )
    return found[0] if found else None


def _has_tool_section(pyproject: Path) -> bool:
    try:
        return "lintsov" in _read_toml(pyproject).get("tool", {})
    except InputError:
        return True  # let load() report the broken file rather than silently skip it


def load(path: Path | None) -> Config:
    if path is None:
        return Config(None)
    if not path.is_file():
        raise InputError(str(path), "config file not found")
    lines: tuple[int, ...] = ()
    if path.name == "pyproject.toml":
        data = _plain(_read_toml(path).get("tool", {}).get("lintsov", {}))
    else:
        data, lines = _read_yaml(path)
    validate(data, str(path))
    if not lines:
        lines = tuple(0 for _ in data.get("waivers", ()))
    return Config(str(path), data, lines)


def validate(data: Any, path: str) -> None:
    # Imported here: jsonschema takes a tenth of a second to import, and most runs read no
    # config file.
    import jsonschema  # noqa: PLC0415
    import jsonschema.exceptions  # noqa: PLC0415

    validator = jsonschema.Draft202012Validator(schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        # jsonschema quotes the offending value whole; the message keeps its start and end.
        message = shorten(error.message, MESSAGE_LIMIT)
        raise InputError(path, f"invalid config: {message}", key_path(error.absolute_path))


def key_path(parts: Any) -> str:
    """`sensitive.tag_keys`, `waivers[0].until`: the key path as a user reads it."""
    text = ""
    for part in parts:
        name = shorten(str(part))
        text += f"[{part}]" if isinstance(part, int) else f".{name}" if text else name
    return text or "(top level)"


def _plain(value: Any) -> Any:
    """TOML dates become the ISO text the schema and the waiver rules expect."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def _read_yaml(path: Path) -> tuple[Any, tuple[int, ...]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "the config file is not UTF-8 text") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror or error}") from None
    try:
        loader = _Loader(text)
    except yaml.YAMLError as error:  # the reader refuses control characters at once
        raise InputError(str(path), f"invalid YAML: {error}") from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = f"invalid YAML: {error.problem or error}"
        if mark is None:
            raise InputError(str(path), what) from None
        raise InputError(str(path), what, line=mark.line + 1, column=mark.column + 1) from None
    except yaml.YAMLError as error:
        raise InputError(str(path), f"invalid YAML: {error}") from None
    finally:
        loader.dispose()
    return ({} if data is None else data), _waiver_lines(node)


def _waiver_lines(root: yaml.Node | None) -> tuple[int, ...]:
    if not isinstance(root, yaml.MappingNode):
        return ()
    for key, value in root.value:
        if key.value == "waivers" and isinstance(value, yaml.SequenceNode):
            return tuple(item.start_mark.line + 1 for item in value.value)
    return ()


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            loaded: dict[str, Any] = tomllib.load(handle)
            return loaded
    except tomllib.TOMLDecodeError as error:
        raise InputError(str(path), f"invalid TOML: {error}") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror or error}") from None


def policy(
    config: Config,
    *,
    known_rules: Collection[str],
    profile: Profile | None = None,
    blocked: tuple[str, ...] = (),
    unclassified: Unclassified | None = None,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] = (),
    severities: tuple[tuple[str, str], ...] = (),
) -> Policy:
    """The policy: command-line options over the config file over the defaults.
    ``known_rules`` are the ids of the rules lintsov has (built-in and plugins).

    Rules run when ``select`` (the command line's, else the config's; default all) names
    them, by id or prefix, and neither ``ignore`` (the config's and the command line's) nor
    ``rules.ID.enabled: false`` turns them off. ``severities`` (id or prefix) win over
    ``rules.ID.severity``."""
    check_rule_ids(config, known_rules)
    check_countries(config)
    data = config.data
    sensitive = data.get("sensitive", {})
    rules = data.get("rules", {})
    unclassified_origin = "--unclassified" if unclassified else ""
    if not unclassified and "unclassified" in sensitive and config.path is not None:
        unclassified = sensitive["unclassified"]
        unclassified_origin = f"sensitive.unclassified in {os.path.relpath(config.path)}"
    return Policy(
        profile=profile or data.get("profile", "sovereignty"),
        blocked=frozenset(blocked or data.get("block_jurisdictions", ("US",))),
        sensitive_keys=frozenset(k.lower() for k in sensitive.get("tag_keys", ()))
        or DEFAULT_SENSITIVE_KEYS,
        sensitive_values=frozenset(v.lower() for v in sensitive.get("tag_values", ()))
        or DEFAULT_SENSITIVE_VALUES,
        sensitive_addresses=tuple(sensitive.get("addresses", ())),
        secrets_by_nature=bool(sensitive.get("secrets_by_nature", True)),
        unclassified=unclassified or "not-sensitive",
        unclassified_origin=unclassified_origin,
        max_vendor_share=float(data.get("max_vendor_share", 1.0)),
        min_vendor_resources=int(data.get("min_vendor_resources", 3)),
        disabled_rules=_disabled(data, known_rules, select, ignore),
        enabled_rules=_enabled(data, known_rules, select),
        severities=_severities(rules, known_rules, severities),
        waivers=waivers(config),
        endpoints=endpoints(config),
        staff_access=staff_access(config),
        trusted=trusted(config),
    )


def trusted(config: Config) -> TrustedSet | None:
    """The config's `trusted:` (the schema has checked its shape), None when not set."""
    entry = config.data.get("trusted")
    if config.path is None or entry is None:
        return None
    return TrustedSet(
        **{key: frozenset(str(v).lower() for v in values) for key, values in entry.items()},
        origin=os.path.relpath(config.path),
    )


def _disabled(
    data: Mapping[str, Any],
    known: Collection[str],
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...],
) -> frozenset[str]:
    selected = select if select is not None else tuple(data.get("select", ()))
    ignored = (*data.get("ignore", ()), *ignore)
    off = {r for r, s in data.get("rules", {}).items() if s.get("enabled") is False}
    off |= {r for r in known if selected and not rule_registry.matches(r, selected)}
    off |= {r for r in known if rule_registry.matches(r, ignored)}
    return frozenset(off)


def _enabled(
    data: Mapping[str, Any], known: Collection[str], select: tuple[str, ...] | None
) -> frozenset[str]:
    """The rules turned on by name: `rules.ID.enabled: true`, or selected by their whole id
    (the command line's `--select`, else the config's `select:`). A rule that is off by
    default runs only when one of these names it: a prefix (`--select SOV`) selects among
    the rules that run by default, as ruff's explicit selection does."""
    selected = select if select is not None else tuple(data.get("select", ()))
    on = {r for r, s in data.get("rules", {}).items() if s.get("enabled") is True}
    on |= {r for r in known if r in selected}
    return frozenset(on)


def _severities(
    rules: Mapping[str, Any], known: Collection[str], given: tuple[tuple[str, str], ...]
) -> dict[str, Severity]:
    # The schema (config) and the option's choices (command line) allow these two only.
    levels: dict[str, Severity] = {
        r: "error" if s["severity"] == "error" else "warning"
        for r, s in rules.items()
        if "severity" in s
    }
    for name, level in given:  # later wins, as for every repeated option
        chosen: Severity = "error" if level == "error" else "warning"
        levels.update((r, chosen) for r in known if rule_registry.matches(r, (name,)))
    return dict(sorted(levels.items()))


def module_overrides(config: Config) -> modules.Overrides:
    """The config's `modules:` globs, relative to the config file's folder."""
    entry = config.data.get("modules")
    if not entry or config.path is None:
        return modules.Overrides()
    return modules.Overrides(
        base=Path(os.path.abspath(config.path)).parent,
        root=tuple(entry.get("root", ())),
        reusable=tuple(entry.get("reusable", ())),
        origin=os.path.relpath(config.path),
    )


def check_countries(config: Config) -> None:
    """A blocked jurisdiction or an endpoint country that names no country would match
    nothing: refused, with its key path, like any other config error."""
    if config.path is None:
        return
    named: list[tuple[tuple[str | int, ...], object]] = [
        (("block_jurisdictions", index), code)
        for index, code in enumerate(config.data.get("block_jurisdictions", ()))
    ]
    for where, code in named:
        unassigned = countries.problem(str(code))
        if unassigned:
            raise InputError(config.path, f"invalid config: {unassigned}", key_path(where))


def check_rule_ids(config: Config, known: Collection[str]) -> None:
    """A `rules:` entry or a waiver naming a rule lintsov does not have is a config error: a
    misspelt id would otherwise disable nothing, or waive nothing, without a word."""
    if config.path is None:
        return
    named: list[tuple[tuple[str | int, ...], str]] = [
        (("rules", rule_id), rule_id) for rule_id in config.data.get("rules", {})
    ]
    named += [
        (("waivers", index, "rule"), entry["rule"])
        for index, entry in enumerate(config.data.get("waivers", ()))
    ]
    for key in ("select", "ignore"):
        for index, name in enumerate(config.data.get(key, ())):
            if rule_registry.unmatched((name,), known) is not None:
                raise InputError(
                    config.path,
                    f"invalid config: {quoted(name)} is no rule id or prefix "
                    f"(known: {', '.join(sorted(known))})",
                    key_path((key, index)),
                )
    for where, rule_id in named:
        if rule_id not in known:
            raise InputError(
                config.path,
                f"invalid config: unknown rule id {quoted(rule_id)} "
                f"(known: {', '.join(sorted(known))})",
                key_path(where),
            )


def endpoints(config: Config) -> tuple[EndpointRule, ...]:
    """The config's `endpoints:`, in the order written: the first matching glob wins."""
    if config.path is None:
        return ()
    shown = os.path.relpath(config.path)
    rules = []
    for pattern, entry in config.data.get("endpoints", {}).items():
        if entry == "self" or (isinstance(entry, dict) and entry.get("self") is True):
            country = entry.get("country", "") if isinstance(entry, dict) else ""
            rules.append(EndpointRule(pattern, "", country, True, shown))
        else:
            rules.append(EndpointRule(pattern, entry["vendor"], entry["country"], False, shown))
    return tuple(rules)


def staff_access(config: Config) -> tuple[DeclaredStaffControl, ...]:
    """The config's `staff_access:` entries. A control the catalogue does not know would
    cover nothing: refused, with its key path."""
    if config.path is None:
        return ()
    shown = os.path.relpath(config.path)
    known = catalogues.builtin().staff_controls
    declared = []
    for index, entry in enumerate(config.data.get("staff_access", ())):
        if entry["control"] not in known:
            raise InputError(
                config.path,
                f"invalid config: unknown staff-access control {quoted(entry['control'])}; "
                f"known: {', '.join(sorted(known))}",
                key_path(("staff_access", index, "control")),
            )
        declared.append(
            DeclaredStaffControl(
                entry["control"], tuple(entry.get("resources", ("*",))), entry["reason"], shown
            )
        )
    return tuple(declared)


def waivers(config: Config) -> tuple[Waiver, ...]:
    """The config's waivers, in the shape inline waivers have, judged by the same rules."""
    if config.path is None:
        return ()
    shown = os.path.relpath(config.path)
    entries = config.data.get("waivers", ())
    lines = config.waiver_lines
    if len(lines) != len(entries):  # YAML with a repeated `waivers:` key: no lines
        lines = tuple(0 for _ in entries)
    found = []
    for entry, line in zip(entries, lines, strict=True):
        until = f" until={entry['until']}" if "until" in entry else ""
        reason = f' reason="{entry["reason"]}"' if "reason" in entry else ""
        found.append(
            Waiver(
                rules=(entry["rule"],),
                reason=entry.get("reason", "").strip(),
                until=entry.get("until", ""),
                file=shown,
                line=line,
                block_start=0,
                block_end=0,
                # The evidence quotes it: a 100 KB value is cut, as in any message.
                text=shorten(
                    f"{entry['rule']} address={entry['address']}{reason}{until}", MESSAGE_LIMIT
                ),
                address=entry["address"],
            )
        )
    return tuple(found)


def catalogue(config: Config, base: catalogues.Catalogue) -> catalogues.Catalogue:
    """The built-in catalogue with the config's extensions; ``base`` when there are none."""
    extension = config.data.get("catalogue")
    if not extension or config.path is None:
        return base
    return catalogues.Catalogue(_extended(base.documents, extension, config.path))


def _extended(documents: Mapping[str, Any], extension: Mapping[str, Any], path: str) -> Any:
    merged = copy.deepcopy(dict(documents))
    note = f" (catalogue extension in {os.path.relpath(path)})"

    def refuse(where: str, what: str) -> InputError:
        return InputError(path, f"invalid config: {what}", f"catalogue.{where}")

    vendors = {v["id"]: v for v in merged["vendors.json"]["vendors"]}
    for index, vendor in enumerate(extension.get("vendors", ())):
        if vendor["id"] in vendors:
            raise refuse(f"vendors[{index}].id", f"vendor {vendor['id']!r} is already catalogued")
        vendors[vendor["id"]] = _noted(vendor, note)
        merged["vendors.json"]["vendors"].append(vendors[vendor["id"]])
    known_providers = {p["source"] for p in merged["providers.json"]["providers"]}
    for index, provider in enumerate(extension.get("providers", ())):
        if provider["source"] in known_providers:
            what = f"provider {provider['source']!r} is already catalogued"
            raise refuse(f"providers[{index}].source", what)
        if provider.get("vendor") and provider["vendor"] not in vendors:
            raise refuse(f"providers[{index}].vendor", f"unknown vendor {provider['vendor']!r}")
        merged["providers.json"]["providers"].append(_noted(provider, note))
    known_types = {t["type"] for t in merged["data_types.json"]["types"]}
    for index, data_type in enumerate(extension.get("data_types", ())):
        if data_type["type"] in known_types:
            raise refuse(
                f"data_types[{index}].type", f"type {data_type['type']!r} is already catalogued"
            )
        merged["data_types.json"]["types"].append(_noted(data_type, note))
    arm_types = merged.setdefault("arm_types.json", {"types": []})["types"]
    known_arm = {t["type"].lower() for t in arm_types}
    for index, arm_type in enumerate(extension.get("arm_types", ())):
        if arm_type["type"].lower() in known_arm:
            raise refuse(
                f"arm_types[{index}].type", f"ARM type {arm_type['type']!r} is already catalogued"
            )
        arm_types.append(_noted(arm_type, note))
    operators_of = _extend_operators(merged, vendors, extension, note, refuse)
    for index, table in enumerate(extension.get("regions", ())):
        vendor_id = table["vendor"]
        if vendor_id not in vendors:
            raise refuse(f"regions[{index}].vendor", f"unknown vendor {vendor_id!r}")
        operators = operators_of(vendor_id)
        name = next(
            (n for n, d in merged.items() if n.startswith("regions/") and d["vendor"] == vendor_id),
            f"regions/{vendor_id}.json",
        )
        sources = [source + note for source in table["sources"]]
        target = merged.setdefault(name, {"vendor": vendor_id, "sources": sources, "regions": []})
        known = {catalogues.normalise_location(r["id"]) for r in target["regions"]}
        # A partner cloud's regions belong to the licensor's vendor too (partners.json).
        known |= {
            catalogues.normalise_location(r["id"])
            for p in merged.get("partners.json", {}).get("partners", ())
            if p["vendor"] == vendor_id
            for r in p["regions"]
        }
        for number, region in enumerate(table["regions"]):
            where = f"regions[{index}].regions[{number}]"
            if catalogues.normalise_location(region["id"]) in known:
                raise refuse(f"{where}.id", f"region {region['id']!r} is already catalogued")
            if region.get("operator") and region["operator"] not in operators:
                raise refuse(f"{where}.operator", f"unknown operator {region['operator']!r}")
            source = region.get("source", table["sources"][0])
            target["regions"].append({**region, "source": source + note})
    return merged


def _extend_operators(
    merged: dict[str, Any],
    vendors: Mapping[str, Any],
    extension: Mapping[str, Any],
    note: str,
    refuse: Callable[[str, str], InputError],
) -> Callable[[str], set[str]]:
    """Add the config's operators to their vendors, map provider-setting values and
    regions to operators; return the operator ids each vendor has, for region tables."""
    partners = merged.setdefault("partners.json", {"settings": [], "values": [], "partners": []})

    def operators_of(vendor_id: str) -> set[str]:
        vendor = vendors[vendor_id]
        found = {vendor["operator"]["id"], *(o["id"] for o in vendor.get("operators", ()))}
        found |= {p["operator"]["id"] for p in partners["partners"] if p["vendor"] == vendor_id}
        return found

    for index, entry in enumerate(extension.get("operators", ())):
        where = f"operators[{index}]"
        if entry["vendor"] not in vendors:
            raise refuse(f"{where}.vendor", f"unknown vendor {entry['vendor']!r}")
        taken = {o for vendor_id in vendors for o in operators_of(vendor_id)}
        if entry["operator"]["id"] in taken:
            what = f"operator {entry['operator']['id']!r} is already catalogued"
            raise refuse(f"{where}.operator.id", what)
        vendor = vendors[entry["vendor"]]
        vendor.setdefault("operators", []).append(_noted(entry["operator"], note))
    for index, value in enumerate(extension.get("settings", ())):
        where = f"settings[{index}]"
        if value["vendor"] not in vendors:
            raise refuse(f"{where}.vendor", f"unknown vendor {value['vendor']!r}")
        attributes = sorted(
            {s["attribute"] for s in partners["settings"] if s["vendor"] == value["vendor"]}
        )
        if value["attribute"] not in attributes:
            known = ", ".join(attributes) or "none"
            what = (
                f"{value['vendor']} has no provider setting {value['attribute']!r} that "
                f"chooses a cloud (known: {known})"
            )
            raise refuse(f"{where}.attribute", what)
        if value["operator"] not in operators_of(value["vendor"]):
            what = f"unknown operator {value['operator']!r} of vendor {value['vendor']!r}"
            raise refuse(f"{where}.operator", what)
        key = (value["vendor"], value["attribute"], normalise_setting(value["value"]))
        if any(
            (v["vendor"], v["attribute"], normalise_setting(v["value"])) == key
            for v in partners["values"]
        ):
            what = f"{value['attribute']} {value['value']!r} is already catalogued"
            raise refuse(f"{where}.value", what)
        partners["values"].append({**value, "source": value["source"] + note})
    for index, entry in enumerate(extension.get("region_operators", ())):
        where = f"region_operators[{index}]"
        vendor_id = entry["vendor"]
        if vendor_id not in vendors:
            raise refuse(f"{where}.vendor", f"unknown vendor {vendor_id!r}")
        spellings = {
            catalogues.normalise_location(spelling)
            for name, document in merged.items()
            if name.startswith("regions/") and document["vendor"] == vendor_id
            for region in document["regions"]
            for spelling in (region["id"], *region.get("aliases", ()))
        }
        if catalogues.normalise_location(entry["region"]) not in spellings:
            what = f"region {entry['region']!r} is not a catalogued region of {vendor_id!r}"
            raise refuse(f"{where}.region", what)
        if entry["operator"] not in operators_of(vendor_id):
            what = f"unknown operator {entry['operator']!r} of vendor {vendor_id!r}"
            raise refuse(f"{where}.operator", what)
        partners.setdefault("region_operators", []).append(
            {**entry, "source": entry["source"] + note}
        )
    return operators_of


def _noted(entry: Mapping[str, Any], note: str) -> dict[str, Any]:
    """An extension entry whose sources say they came from the config file, so that
    evidence never passes a team's own fact off as lintsov's."""
    noted = copy.deepcopy(dict(entry))
    if "sources" in noted:
        noted["sources"] = [source + note for source in noted["sources"]]
    # A provider's `source` is its address, not a citation.
    if str(noted.get("source", "")).startswith("https://"):
        noted["source"] = noted["source"] + note
    return noted
