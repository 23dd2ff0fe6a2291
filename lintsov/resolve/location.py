"""Where a resource's bytes sit: its own location attributes, a parent it references, or the
provider configuration's region. The first that answers wins; never a default region."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from lintsov.catalogue import Catalogue, Provider, Region
from lintsov.evidence import Evidence
from lintsov.inventory import Missing
from lintsov.load.plan_json import strip_instance_keys
from lintsov.resolve.global_scope import (
    GLOBAL_TYPES,
    GlobalType,
    global_evidence,
    global_region,
    stored_names,
)
from lintsov.resolve.values import Values, dig
from lintsov.stack import Known, ProviderConfig, Resource

# Attributes that name a parent whose location a child shares (a storage container lives in
# its storage account, a bucket policy with its bucket, an AlloyDB instance in its cluster, a
# secret version with its secret), most telling first.
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
    "dataset",
    "instance",
    "instance_id",
    "instance_name",
    "cluster",
    "cluster_id",
    "namespace_id",
    "account_name",
    "database_id",
    "secret",
    "secret_id",
    "table_bucket_arn",
    "vector_bucket_name",
    "okms_id",
    "storage_box_id",
    "managed_instance_id",
    "managed_hsm_id",
    "configuration_store_id",
    "storage_table_id",
    "service",
    # A node pool is where its cluster is (AKS and OVHcloud node pools name no location),
    # an IONOS server, volume or node pool where its virtual data center is.
    "kubernetes_cluster_id",
    "kube_id",
    "datacenter_id",
    # azapi: the ARM resource a child is created in, or the resource an update applies to.
    "parent_id",
    "resource_id",
    # Load-balancer parts (listeners, pools, members, rules, services) are where their load
    # balancer is: OpenStack/OVHcloud `loadbalancer_id`, Hetzner `load_balancer_id`, IBM
    # `lb`, Exoscale `nlb_id`; a member or rule may name its pool or listener instead.
    "loadbalancer_id",
    "load_balancer_id",
    "lb",
    "lb_id",
    "nlb_id",
    "listener_id",
    "pool_id",
)
# Parents that hold no data themselves and do not place what is created in them: an Azure
# resource group's location is where its metadata is kept, and the resources in it may sit
# in any region. A resource takes its group's location only when neither it nor its
# provider names one.
RESOURCE_GROUP_TYPES = ("azurerm_resource_group",)
RESOURCE_GROUP_ARM_TYPE = "microsoft.resources/resourcegroups"
# Resource types whose location is an attribute other than the provider's usual ones: a
# Spanner instance sits where its instance configuration (nam3, eur3, regional-...) says,
# never in the provider's default region.
# azapi takes `location`, else the `location` inside `body`; an update names no location of
# its own (it is where the resource it updates is).
TYPE_LOCATION_ATTRIBUTES = {
    "google_spanner_instance": ("config",),
    # Firestore and App Engine take a location_id: a region, a multi-region (nam5, eur3)
    # or App Engine's own names (europe-west, us-central).
    "google_firestore_database": ("location_id",),
    "google_app_engine_application": ("location_id",),
    "azapi_resource": ("location", "body.location"),
    "azapi_update_resource": (),
    # Global: see PLACED_BY_USERS.
    "google_compute_instance_template": (),
}
# Resource types bound to one service whose location ids are partly its own (Firestore's
# nam5, Spanner's configurations): a multi- or dual-region of the vendor places them only
# when the catalogue entry names the service. Cloud Storage's dual-region EUR5 is not
# Spanner's eur5.
TYPE_SERVICES = {
    "google_spanner_instance": "spanner",
    "google_firestore_database": "firestore",
    "google_app_engine_application": "appengine",
}
_SHARED_KINDS = ("multi-region", "dual-region")
# Global resources whose data sits in what is made from them, placed where that runs, with
# the attributes that name them. A Compute Engine instance template is global: its `region`
# only restricts the regional resources it names, and the disks it describes are created
# where the instances and instance groups made from it run (source
# https://cloud.google.com/compute/docs/instance-templates).
PLACED_BY_USERS = {
    "google_compute_instance_template": (
        "version",
        "instance_template",
        "source_instance_template",
    ),
}
# Used when the catalogue does not know the provider.
GENERIC_ATTRIBUTES = ("region", "location", "zone", "availability_zone")


@dataclass(frozen=True)
class Replicas:
    """Where a resource keeps copies in locations its configuration names: each entry of the
    blocks at ``blocks`` names one (or, as a list, several) in ``key``. ``chosen`` are
    settings under which the vendor chooses the locations instead, with the reason."""

    blocks: tuple[str, ...]
    key: str
    chosen: tuple[tuple[str, ...], ...] = ()
    chosen_reason: str = ""

    @property
    def label(self) -> str:
        return ".".join(self.blocks) + f"[*].{self.key}"


REPLICAS = {
    "google_secret_manager_secret": Replicas(
        ("replication", "user_managed", "replicas"),
        "location",
        (("replication", "auto"), ("replication", "automatic")),
        "replication is automatic: Google replicates the secret's payload without restriction, "
        "across regions it chooses worldwide (source "
        "https://cloud.google.com/secret-manager/docs/choosing-replication); "
        "replication { user_managed { replicas { location = ... } } } names them",
    ),
    "google_bigtable_instance": Replicas(("cluster",), "zone"),
    "google_pubsub_topic": Replicas(("message_storage_policy",), "allowed_persistence_regions"),
}
_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:[^:]*:(?P<region>[a-z0-9-]+):")
_RESOURCE_REF = re.compile(r"^(?P<type>[a-z0-9]+_[a-z0-9_]+)\.(?P<name>[A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class Location:
    region: Region | None
    raw: str | None
    evidence: tuple[Evidence, ...]
    missing: Missing | None
    # The infrastructure vendors a managed platform's resource runs on (resolve/platform.py);
    # a child placed by its parent shares them.
    infrastructure: tuple[str, ...] = ()


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
    scope = GLOBAL_TYPES.get(resource.type)
    if scope is not None:
        return _global_location(resource, values, scope, vendor, catalogue, read_from)
    replicas = REPLICAS.get(resource.type)
    if replicas is not None:
        found = _replica_location(resource, values, replicas, vendor, catalogue)
        if found is not None:
            return found
    attributes = provider.location_attributes if provider else GENERIC_ATTRIBUTES
    attributes = TYPE_LOCATION_ATTRIBUTES.get(resource.type, attributes)
    for attribute in attributes:
        if values.is_unknown(attribute):
            references = resource.configured.get(attribute)
            if references is None and resource.has_configuration:
                continue  # computed by the provider from its own region: look further.
            return unknown_location(resource, values, attribute)
        value = values.known(attribute)
        if isinstance(value, str) and value:
            if values.is_sensitive(attribute):
                return sensitive_location(attribute, read_from)
            steps = (f"attribute {attribute} of {resource.address}", *values.origin(attribute))
            return _for_service(resource.type, _lookup(value, steps, vendor, catalogue))
    arn = values.known("arn")
    if isinstance(arn, str) and not values.is_sensitive("arn"):
        match = _ARN_REGION.match(arn)
        if match:
            steps = (f"region part of the ARN of {resource.address}",)
            return _lookup(match.group("region"), steps, vendor, catalogue)
    return None


def unknown_location(resource: Resource, values: Values, attribute: str) -> Location:
    """Unknown, because the attribute that places the resource is known only after apply."""
    reason = values.unknown_reason(attribute)
    if reason is not None:
        return _missing(f"{attribute}: {reason}")
    references = resource.configured.get(attribute)
    source = f"set from {', '.join(references)}" if references else "not known"
    return _missing(f"{attribute} is {source}, known only after apply")


def sensitive_location(attribute: str, read_from: str) -> Location:
    """Unknown, because the attribute that places the resource is marked sensitive."""
    return _missing(f"{attribute} is marked sensitive in {read_from}, so lintsov does not read it")


def _global_location(
    resource: Resource,
    values: Values,
    scope: GlobalType,
    vendor: str | None,
    catalogue: Catalogue,
    read_from: str,
) -> Location:
    """A global resource: "global" when it holds no data; else where it says its bytes
    are, all their countries counted, or unknown with the reason (never the provider's
    region, which a global resource does not use)."""
    if not scope.unset:
        region = global_region(vendor or "", scope)
        return Location(region, region.id, (global_evidence(resource, scope),), None)
    names = stored_names(resource, values, scope, read_from)
    if isinstance(names, Missing):
        return Location(None, None, (), names)
    found = [_lookup(name, (), vendor, catalogue) for name in names]
    unplaced = next((f for f in found if f.region is None), None)
    if unplaced is not None:
        return Location(None, ", ".join(names), (), unplaced.missing)
    region = combined_region(tuple({f.region.id: f.region for f in found if f.region}.values()))
    steps = (
        f"{scope.stored_in} of {resource.address}: {', '.join(names)}",
        f"{resource.address} is {scope.what} (source {scope.source})",
    )
    return Location(region, region.id, (Evidence("region", region.id, steps),), None)


def parent_references(
    resource: Resource, attributes: tuple[str, ...] = PARENT_ATTRIBUTES
) -> tuple[tuple[str, str], ...]:
    """(attribute, parent address) for each resource the configuration references through
    a parent attribute, in the order ``attributes`` gives. It depends on the resource's
    configuration and module only, so instances of one configuration resource share it."""
    order = _attribute_order(attributes)
    configured = resource.configured
    # The attributes a configuration sets are a handful; the parent attributes, fifty.
    present = sorted((order[name], name) for name in configured if name in order)
    found: list[tuple[str, str]] = []
    for _, attribute in present:
        for reference in configured[attribute]:
            match = _RESOURCE_REF.match(reference)
            if not match or reference.startswith(("data.", "var.", "local.", "module.")):
                continue
            parent = f"{match.group('type')}.{match.group('name')}"
            found.append((attribute, f"{resource.module}.{parent}" if resource.module else parent))
    return tuple(found)


_ORDERS: dict[tuple[str, ...], dict[str, int]] = {}


def _attribute_order(attributes: tuple[str, ...]) -> dict[str, int]:
    # A handful of distinct tuples per run (the usual one, and one per platform).
    order = _ORDERS.get(attributes)
    if order is None:
        order = _ORDERS[attributes] = {
            name: index for index, name in reversed(list(enumerate(attributes)))
        }
    return order


class Placed(Protocol):
    """Locations by address, as a mapping's ``get`` gives them."""

    def get(self, key: str, /) -> Location | None: ...


def located_by_parent(
    references: tuple[tuple[str, str], ...], resolved: Placed, note: str = ""
) -> Location | None:
    """The location of the first parent in ``references`` (see parent_references) that
    ``resolved`` places, as its child's; None when none is there."""
    for attribute, key in references:
        location = resolved.get(key)
        if location is None:
            continue
        if location.region is None:
            why = location.missing.reason if location.missing else "it has no location"
            what = f"its parent {key} (referenced by {attribute})"
            return Location(
                None,
                location.raw,
                (),
                Missing("region", f"it is where {what} is: {why}"),
                location.infrastructure,
            )
        steps = (f"parent {key} (referenced by {attribute})", *((note,) if note else ()))
        head = location.evidence[0] if location.evidence else None
        chain = (*steps, *(head.steps if head else ()))
        return Location(
            location.region,
            location.raw,
            (Evidence("region", location.region.id, chain), *location.evidence[1:]),
            location.missing,
            location.infrastructure,
        )
    return None


def literal_parent(resource: Resource, values: Values) -> Location | None:
    """An unknown location that says why: the parent is named by a literal ARM id (an
    azapi ``parent_id`` such as ``/subscriptions/.../resourceGroups/rg``), which carries
    no location."""
    for attribute in ("parent_id", "resource_id"):
        value = values.known(attribute)
        literal = attribute in resource.configured and not resource.configured[attribute]
        if isinstance(value, str) and value.startswith("/") and literal:
            return _missing(
                f"{resource.address} names no location of its own, and its {attribute} is a "
                "literal ARM id, which carries none (a reference to the parent resource, "
                "or a location, places it)"
            )
    return None


def _replica_location(
    resource: Resource,
    values: Values,
    replicas: Replicas,
    vendor: str | None,
    catalogue: Catalogue,
) -> Location | None:
    """Every location a resource's configuration keeps replicas in, as one place whose
    countries are all of theirs, as a multi-region counts all of its countries. None when
    the configuration names none (the usual attributes and the provider then answer)."""
    head, rest = replicas.blocks[0], replicas.blocks[1:]
    if values.sensitive_within(head):
        return _missing(f"{head} is marked sensitive, so lintsov does not read it")
    if values.is_unknown(head):
        reason = values.unknown_reason(head)
        return _missing(f"{head}: {reason}" if reason else f"{head} is known only after apply")
    for path in replicas.chosen:
        if any(v is not None and v is not False for v in dig(values.known(path[0]), *path[1:])):
            return _missing(replicas.chosen_reason)
    entries = [e for e in dig(values.known(head), *rest) if isinstance(e, Mapping)]
    if not entries:
        return None
    names: list[str] = []
    untold = 0
    for entry in entries:
        value = entry.get(replicas.key)
        found = [value] if isinstance(value, str) else [v for v in dig(value) if isinstance(v, str)]
        names += [name for name in found if name]
        untold += not found
    if untold or values.unknown_within(head):
        unknown = Missing("region", f"{replicas.label} is not known for every entry before apply")
    else:
        unknown = None
    regions: dict[str, Region] = {}
    hows: list[str] = []
    for name in names:
        match = catalogue.region(vendor, name) if vendor else None
        if match is None:
            what = f"a {vendor} region" if vendor else "placeable: the vendor is unknown"
            unknown = Missing(
                "region", f"{replicas.label}: {name!r} is not {what} in lintsov's catalogue"
            )
            continue
        region, how = match
        regions.setdefault(region.id, region)
        if how:
            hows.append(how)
    if not regions:
        return Location(None, ", ".join(names) or None, (), unknown)
    region = combined_region(tuple(regions.values()))
    steps = (f"{replicas.label} of {resource.address}: {', '.join(names)}", *hows)
    return Location(region, region.id, (Evidence("region", region.id, steps),), unknown)


def combined_region(regions: tuple[Region, ...], kind: str = "replicas") -> Region:
    """One region for the lot; several become one place with all their countries."""
    if len(regions) == 1:
        return regions[0]
    operators = {r.operator for r in regions}
    return Region(
        vendor=regions[0].vendor,
        id="+".join(r.id for r in regions),
        name=" and ".join(r.name for r in regions),
        kind=kind,
        countries=tuple(dict.fromkeys(c for r in regions for c in r.countries)),
        # Regions run by different operators would need both counted: only one operator
        # common to all is carried; otherwise the vendor's default applies.
        operator=operators.pop() if len(operators) == 1 else None,
        source=" and ".join(dict.fromkeys(r.source for r in regions)),
    )


def users_of(resources: Iterable[Resource]) -> dict[str, tuple[tuple[str, str], ...]]:
    """The resources that use each resource of a PLACED_BY_USERS type, with the attribute
    that names it, by the used resource's address without instance keys."""
    attributes = sorted({a for names in PLACED_BY_USERS.values() for a in names})
    found: dict[str, list[tuple[str, str]]] = {}
    for resource in resources:
        for attribute in attributes:
            for reference in resource.configured.get(attribute, ()):
                match = _RESOURCE_REF.match(reference)
                if not match or attribute not in PLACED_BY_USERS.get(match.group("type"), ()):
                    continue
                used = f"{match.group('type')}.{match.group('name')}"
                key = f"{resource.module}.{used}" if resource.module else used
                entry = (resource.address, attribute)
                if entry not in found.setdefault(key, []):
                    found[key].append(entry)
    return {key: tuple(entries) for key, entries in found.items()}


def user_location(
    resource: Resource,
    users: Mapping[str, tuple[tuple[str, str], ...]],
    locations: Mapping[str, Location],
) -> Location:
    """Where a PLACED_BY_USERS resource's data sits: where every resource made from it runs,
    all their countries counted; unknown, with the reason, when none in its module uses it
    or one of them cannot be placed."""
    found = users.get(strip_instance_keys(resource.address), ())
    if not found:
        named = " or ".join(PLACED_BY_USERS[resource.type])
        return _missing(
            f"{resource.type} is global: its disks are created where the instances and "
            f"instance groups made from it run, and no resource in its module names it in {named}"
        )
    regions: dict[str, Region] = {}
    runs: list[str] = []
    for address, attribute in found:
        location = locations[address]
        if location.region is None:
            why = location.missing.reason if location.missing else "it has no location"
            what = f"{address}, made from it ({attribute}),"
            return Location(
                None, location.raw, (), Missing("region", f"it is where {what} runs: {why}")
            )
        regions.setdefault(location.region.id, location.region)
        runs.append(f"{address} ({attribute}), made from it, runs in {location.region.id}")
    region = combined_region(tuple(regions.values()), kind="regions")
    steps = tuple(runs)
    if len(regions) == 1:
        # One place: the chain that placed the first user says how lintsov knows it.
        address, attribute = found[0]
        head = locations[address].evidence[:1]
        more = f" (and {len(found) - 1} more made from it)" if len(found) > 1 else ""
        steps = (
            f"where {address}, made from it ({attribute}), runs{more}",
            *(head[0].steps if head else ()),
        )
    return Location(region, region.id, (Evidence("region", region.id, steps),), None)


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


def _for_service(resource_type: str, location: Location) -> Location:
    """A location of a service-bound type, unknown when the catalogue entry it matched is
    another service's multi-region (see TYPE_SERVICES)."""
    service = TYPE_SERVICES.get(resource_type)
    region = location.region
    if service is None or region is None:
        return location
    if service in region.services or not (region.services or region.kind in _SHARED_KINDS):
        return location
    whose = ", ".join(region.services) if region.services else "other services"
    return Location(
        None,
        location.raw,
        (),
        Missing(
            "country",
            f"{location.raw!r} is a {region.vendor} {region.kind} of {whose} ({region.name}) "
            f"in lintsov's catalogue, not a {service} location whose regions it lists",
        ),
    )


def _missing(reason: str) -> Location:
    return Location(None, None, (), Missing("region", reason))
