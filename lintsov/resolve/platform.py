"""Layered operators: a managed data platform (Aiven, MongoDB Atlas, Confluent Cloud, Elastic
Cloud, ...) holds the data on machines an infrastructure vendor runs, in a region one of the
resource's attributes picks (``cloud_name = "google-europe-west1"``, ``provider_name`` +
``region_name``, ``cloud`` + ``region``).

Both layers count. The country is the underlying region's; the reach is the union of the
platform operator's chain and the infrastructure operator's chain; the evidence names both.
A cloud or region code lintsov cannot map is unknown, with the reason, never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from lintsov.catalogue import Catalogue, Operator, Region
from lintsov.catalogue.platforms import Platform, Selector, spelled
from lintsov.evidence import Evidence
from lintsov.inventory import Layer, Missing, ResolvedResource
from lintsov.resolve.location import (
    PARENT_ATTRIBUTES,
    Location,
    combined_region,
    sensitive_location,
    unknown_location,
)
from lintsov.resolve.values import Values, dig
from lintsov.stack import Resource

BOTH_LAYERS = (
    "lintsov counts both layers: the platform operator runs the service that holds the "
    "data, the infrastructure operator runs the machines it sits on"
)


@dataclass(frozen=True)
class _Placed:
    """One cloud and region code of a platform resource, mapped or not."""

    vendor: str | None
    region: Region | None
    how: str
    missing: str = ""


def platform_location(
    resource: Resource, values: Values, catalogue: Catalogue, read_from: str
) -> Location | None:
    """Where a platform resource's data sits, from the attributes that choose its cloud and
    region; None when the type names none (a child, placed by the service it names)."""
    unknown: Location | None = None
    for platform, selector in catalogue.platforms.selectors.get(resource.type, ()):
        found = _selected(resource, values, platform, selector, catalogue, read_from)
        if found is not None and found.region is None and not found.infrastructure:
            # Unknown before apply: another selector (Atlas provider_region_name besides
            # the computed replication_specs) may still tell.
            unknown = unknown or found
        elif found is not None:
            return found
    return unknown


def parent_attributes(resource: Resource, catalogue: Catalogue) -> tuple[str, ...]:
    """The attributes through which a resource names the parent it lives in: the usual ones,
    and for a platform's resource the platform's (a Kafka topic's ``service_name``, an Atlas
    database user's ``scopes``, a Confluent topic's ``kafka_cluster``)."""
    provider = catalogue.provider(resource.provider_source)
    platform = catalogue.platforms.of(provider.vendor if provider else None)
    if platform is None or not platform.children:
        return PARENT_ATTRIBUTES
    return (*PARENT_ATTRIBUTES, *platform.children)


def layered(
    resolved: ResolvedResource, location: Location, catalogue: Catalogue
) -> ResolvedResource:
    """A platform resource with its infrastructure layer: the infrastructure operator's
    reach added to the platform operator's, and the evidence for both."""
    platform = catalogue.platforms.of(resolved.vendor)
    if platform is None:
        return resolved
    own = _layer("platform", platform.id, platform.name, platform.operator)
    region = location.region
    operators: list[tuple[str, str, Operator]] = []
    for vendor_id in location.infrastructure:
        vendor = catalogue.vendors.get(vendor_id)
        if vendor is None:
            continue
        operator = vendor.operator
        if region is not None and region.vendor == vendor_id and region.operator:
            operator = catalogue.operators.get(region.operator, operator)
        operators.append((vendor_id, vendor.name, operator))
    layers = (own, *(_layer("infrastructure", v, n, o) for v, n, o in operators))
    reach = tuple(sorted({c for layer in layers for c in layer.reach}))
    laws = catalogue.laws_of(reach)
    evidence = [e for e in resolved.evidence if e.fact != "reach"]
    evidence.append(_reach_evidence(platform, operators, region, catalogue, reach))
    missing = resolved.missing
    if not operators:
        why = location.missing.reason if location.missing else "nothing in the input names it"
        missing = (
            *missing,
            Missing(
                "infrastructure",
                f"the cloud {platform.name} runs {resolved.address} on is unknown, so the "
                f"infrastructure operator's reach is not counted: {why}",
            ),
        )
    return replace(
        resolved,
        reach=reach,
        laws=laws,
        evidence=tuple(evidence),
        missing=missing,
        layers=layers,
    )


def _layer(role: str, vendor: str, name: str, operator: Operator) -> Layer:
    return Layer(
        role=role,
        vendor=vendor,
        vendor_name=name,
        operator=operator.entity.name,
        parents=tuple(f"{p.name} ({p.country})" for p in operator.parents),
        reach=operator.reach,
    )


def _reach_evidence(
    platform: Platform,
    operators: list[tuple[str, str, Operator]],
    region: Region | None,
    catalogue: Catalogue,
    reach: tuple[str, ...],
) -> Evidence:
    steps = [f"platform operator {platform.operator.chain}"]
    for vendor, name, operator in operators:
        where = f" in {region.id}" if region is not None and "+" not in region.id else ""
        steps.append(f"infrastructure operator {operator.chain}, which runs {name}{where}")
        if region is None and vendor in catalogue.region_dependent_vendors:
            steps.append(f"{name}'s default operator: the region, which can change it, is unknown")
    if operators:
        steps.append(BOTH_LAYERS)
    chains = [platform.operator, *(o for _, _, o in operators)]
    inherited = sorted(
        {p.country for o in chains for p in o.parents} - {o.entity.country for o in chains}
    )
    if inherited:
        steps.append(f"lintsov counts the parent companies' reach ({', '.join(inherited)}) too")
    laws = catalogue.laws_of(reach)
    if laws:
        steps.append(", ".join(f"{law.short} ({law.citation})" for law in laws))
    return Evidence("reach", ", ".join(reach), tuple(steps))


def _selected(
    resource: Resource,
    values: Values,
    platform: Platform,
    selector: Selector,
    catalogue: Catalogue,
    read_from: str,
) -> Location | None:
    """The location one selector gives; None when the resource does not set what it reads
    (the next selector, or a parent, may place it)."""
    if selector.entries:
        head, *rest = selector.entries.split(".")
        if values.sensitive_within(head):
            return sensitive_location(head, read_from)
        if values.is_unknown(head):
            reason = values.unknown_reason(head)
            return _missing(f"{head}: {reason}" if reason else f"{head} is known only after apply")
        entries = [e for e in dig(values.known(head), *rest) if isinstance(e, Mapping)]
        if not entries:
            return None
        pairs: list[tuple[str | None, str]] = []
        for entry in entries:
            cloud = _cloud(selector, values, entry)
            codes = [c for c in dig(entry, *selector.region.split(".")) if isinstance(c, str) and c]
            if not codes:
                return _missing(
                    f"{selector.entries}[*].{selector.region} of {resource.address} is not "
                    "known for every entry before apply"
                )
            pairs += [(cloud, code) for code in codes]
        attribute = f"{selector.entries}[*].{selector.region}"
    else:
        attribute = selector.region
        if values.is_unknown(attribute):
            if attribute not in resource.configured and resource.has_configuration:
                return None  # computed by the platform (a project's default cloud): look further.
            return unknown_location(resource, values, attribute)
        value = values.known(attribute)
        if not isinstance(value, str) or not value:
            return None
        if values.is_sensitive(attribute):
            return sensitive_location(attribute, read_from)
        pairs = [(_cloud(selector, values, None), value)]
    placed = [_place(platform, selector, cloud, code, catalogue) for cloud, code in pairs]
    vendors = tuple(dict.fromkeys(p.vendor for p in placed if p.vendor))
    names = ", ".join(code for _, code in pairs)
    infrastructure = Evidence(
        "infrastructure",
        ", ".join(catalogue.vendors[v].name for v in vendors if v in catalogue.vendors),
        (
            f"{platform.name} runs {resource.address} on the cloud its {attribute} names ({names})",
            f"source {platform.clouds_source}",
        ),
    )
    steps_tail = (f"attribute {attribute} of {resource.address}", *values.origin(attribute))
    unplaced = [p for p in placed if p.region is None]
    if unplaced:
        return Location(
            None,
            names,
            (infrastructure,) if vendors else (),
            Missing("region", unplaced[0].missing),
            vendors,
        )
    regions = {p.region.id: p.region for p in placed if p.region is not None}
    region = combined_region(tuple(regions.values()), kind="regions")
    hows = tuple(dict.fromkeys(p.how for p in placed))
    region_evidence = Evidence("region", region.id, (*hows, *steps_tail))
    return Location(region, names, (region_evidence, infrastructure), None, vendors)


def _cloud(selector: Selector, values: Values, entry: Mapping[str, object] | None) -> str | None:
    """The cloud code an entry, else the resource, names; else the selector's default."""
    for path in selector.cloud:
        if entry is not None:
            found = [c for c in dig(entry, *path.split(".")) if isinstance(c, str) and c]
            if found:
                return found[0]
        value = values.known(path)
        if isinstance(value, str) and value:
            return value
    return selector.default_cloud or None


def _place(
    platform: Platform, selector: Selector, cloud: str | None, code: str, catalogue: Catalogue
) -> _Placed:
    """The infrastructure vendor and region one platform code names."""
    note = ""
    if selector.format == "prefixed":
        prefix, _, rest = code.partition(selector.separator)
        vendor = platform.vendor_of(prefix) if rest else None
        if vendor is None and selector.unprefixed:
            prefix, rest, note = selector.unprefixed, code, selector.unprefixed_note
            vendor = platform.vendor_of(prefix)
        cloud = prefix
        what = f"{platform.name} cloud {code!r}"
    else:
        rest = code
        vendor = platform.vendor_of(cloud) if cloud else None
        what = f"{platform.name} region {code!r}" + (f" on {cloud}" if cloud else "")
    if vendor is None or cloud is None:
        named = f"cloud {cloud!r}" if cloud else "no cloud"
        return _Placed(
            None,
            None,
            "",
            f"{what} names {named} that lintsov knows {platform.name} to run on "
            f"(source {platform.clouds_source})",
        )
    vendor_name = catalogue.vendors[vendor].name if vendor in catalogue.vendors else vendor
    documented = platform.code(cloud, rest)
    source = documented.source if documented else platform.region_codes_source
    if documented is not None and documented.countries:
        region = Region(
            vendor=vendor,
            id=code,
            name=f"{documented.name} ({vendor_name}, datacenter not named)",
            kind="location",
            countries=documented.countries,
            operator=None,
            source=documented.source,
        )
        how = f"{what} is {vendor_name} in {documented.name}, as {platform.name} documents it"
        return _Placed(vendor, region, f"{how} (source {source})")
    wanted = documented.region if documented else spelled(vendor, rest)
    match = catalogue.region(vendor, wanted)
    if match is None:
        return _Placed(
            vendor,
            None,
            "",
            f"{what} is {vendor_name} {wanted!r}, which is not a {vendor} region in "
            "lintsov's catalogue",
        )
    region, zone = match
    how = f"{what} is {vendor_name} region {region.id}"
    if note:
        how += f" ({note})"
    steps = f"{how} (source {source})"
    return _Placed(vendor, region, f"{steps}; {zone}" if zone else steps)


def _missing(reason: str) -> Location:
    return Location(None, None, (), Missing("region", reason))
