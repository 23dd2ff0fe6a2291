"""Where a resource's bytes sit: its own location attributes, a parent it references, or the
provider configuration's region. The first that answers wins; never a default region."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lintsov.catalogue import Catalogue, Provider, Region
from lintsov.evidence import Evidence
from lintsov.inventory import Missing
from lintsov.resolve.values import Values
from lintsov.stack import Known, ProviderConfig, Resource

# Attributes that name a parent whose location a child shares (a storage container lives in
# its storage account, a bucket policy with its bucket), most telling first.
PARENT_ATTRIBUTES = (
    "bucket",
    "storage_account_id",
    "storage_account_name",
    "storage_container_id",
    "storage_container_name",
    "server_id",
    "server_name",
    "key_vault_id",
    "dataset_id",
    "instance",
    "cluster_id",
    "namespace_id",
    "account_name",
    "database_id",
)
# Resource types whose location is an attribute other than the provider's usual ones: a
# Spanner instance sits where its instance configuration (nam3, eur3, regional-...) says,
# never in the provider's default region.
TYPE_LOCATION_ATTRIBUTES = {"google_spanner_instance": ("config",)}
# Used when the catalogue does not know the provider.
GENERIC_ATTRIBUTES = ("region", "location", "zone", "availability_zone")
_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:[^:]*:(?P<region>[a-z0-9-]+):")
_RESOURCE_REF = re.compile(r"^(?P<type>[a-z0-9]+_[a-z0-9_]+)\.(?P<name>[A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class Location:
    region: Region | None
    raw: str | None
    evidence: tuple[Evidence, ...]
    missing: Missing | None


def own_location(
    resource: Resource,
    values: Values,
    provider: Provider | None,
    vendor: str | None,
    catalogue: Catalogue,
    read_from: str,
) -> Location | None:
    """From the resource's own attributes; None when it has none to say. ``read_from``
    names what the values were read from (``the plan``, ``the configuration``)."""
    attributes = provider.location_attributes if provider else GENERIC_ATTRIBUTES
    attributes = TYPE_LOCATION_ATTRIBUTES.get(resource.type, attributes)
    for attribute in attributes:
        if values.is_unknown(attribute):
            references = resource.configured.get(attribute)
            if references is None and resource.has_configuration:
                continue  # computed by the provider from its own region: look further.
            reason = values.unknown_reason(attribute)
            if reason is not None:
                return _missing(f"{attribute}: {reason}")
            source = f"set from {', '.join(references)}" if references else "not known"
            return _missing(f"{attribute} is {source}, known only after apply")
        value = values.known(attribute)
        if isinstance(value, str) and value:
            if values.is_sensitive(attribute):
                return _missing(
                    f"{attribute} is marked sensitive in {read_from}, so lintsov does not read it"
                )
            steps = (f"attribute {attribute} of {resource.address}", *values.origin(attribute))
            return _lookup(value, steps, vendor, catalogue)
    arn = values.known("arn")
    if isinstance(arn, str) and not values.is_sensitive("arn"):
        match = _ARN_REGION.match(arn)
        if match:
            steps = (f"region part of the ARN of {resource.address}",)
            return _lookup(match.group("region"), steps, vendor, catalogue)
    return None


def parent_location(resource: Resource, resolved: Mapping[str, Location]) -> Location | None:
    """From a resource this one references through a parent attribute."""
    for attribute in PARENT_ATTRIBUTES:
        for reference in resource.configured.get(attribute, ()):
            match = _RESOURCE_REF.match(reference)
            if not match or reference.startswith(("data.", "var.", "local.", "module.")):
                continue
            parent = f"{match.group('type')}.{match.group('name')}"
            key = f"{resource.module}.{parent}" if resource.module else parent
            location = resolved.get(key)
            if location is None or location.region is None:
                continue
            steps = (f"parent {key} (referenced by {attribute})",)
            head = location.evidence[0] if location.evidence else None
            chain = (*steps, *(head.steps if head else ()))
            return Location(
                location.region,
                location.raw,
                (Evidence("region", location.region.id, chain), *location.evidence[1:]),
                None,
            )
    return None


def provider_location(
    resource: Resource,
    provider: Provider | None,
    vendor: str | None,
    configs: Mapping[str, ProviderConfig],
    catalogue: Catalogue,
    read_from: str,
) -> Location:
    """From the provider configuration the resource uses, as ``read_from`` (``the plan``,
    ``the configuration``) gives it."""
    binding = resource.provider.candidates
    if not binding:
        return _missing(resource.provider.reason or "no provider configuration is known")
    attributes = provider.provider_region_attributes if provider else ("region",)
    if provider is not None and not attributes:
        return _missing(
            f"{resource.type} has no location of its own in {read_from}, and the "
            f"provider {configs[binding[0]].name} has no region setting"
        )
    found: dict[str, tuple[str, ...]] = {}
    for key in binding:
        config = configs[key]
        for attribute in attributes:
            value = config.attributes.get(attribute)
            if value is None:
                continue
            if not isinstance(value, Known):
                return _missing(f"{value.reason}")
            if value.sensitive:
                return _missing(
                    f"provider {config.label} {attribute} is marked sensitive, "
                    "so lintsov does not read it"
                )
            if isinstance(value.value, str) and value.value:
                found[value.value] = (
                    f"provider {config.label}",
                    *resource.provider.steps[1:],
                    *value.steps,
                )
                break
        else:
            return _missing(
                f"provider {config.label} has no region in {read_from}; it comes "
                "from the environment at apply time"
            )
    if len(found) > 1:
        return _missing(
            f"it uses one of {', '.join(binding)}, which name different regions "
            f"({', '.join(sorted(found))}); "
            + (resource.provider.steps[-1] if resource.provider.steps else "")
        )
    raw, steps = next(iter(found.items()))
    return _lookup(raw, steps, vendor, catalogue)


def _lookup(raw: str, steps: tuple[str, ...], vendor: str | None, catalogue: Catalogue) -> Location:
    if vendor is None:
        return Location(
            None,
            raw,
            (Evidence("region", raw, steps),),
            Missing(
                "country", f"the vendor is unknown, so lintsov cannot place {raw!r} in a country"
            ),
        )
    match = catalogue.region(vendor, raw)
    if match is None:
        return Location(
            None,
            raw,
            (Evidence("region", raw, steps),),
            Missing("country", f"{raw!r} is not a {vendor} region in lintsov's catalogue"),
        )
    region, how = match
    chain = (how, *steps) if how else steps
    return Location(region, raw, (Evidence("region", region.id, chain),), None)


def _missing(reason: str) -> Location:
    return Location(None, None, (), Missing("region", reason))
