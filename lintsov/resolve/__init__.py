"""resolve: turn a Stack into an Inventory, with evidence for every fact."""

from __future__ import annotations

from dataclasses import dataclass, field

from lintsov.catalogue import Catalogue, Law, Operator, Provider, Vendor
from lintsov.evidence import Evidence
from lintsov.inventory import Inventory, Missing, ResolvedResource
from lintsov.load.plan_json import strip_instance_keys
from lintsov.policy import Policy
from lintsov.resolve.access import Access
from lintsov.resolve.endpoint import Placement, endpoint_of, place
from lintsov.resolve.facts import country_evidence, reach_evidence, vendor_evidence
from lintsov.resolve.flows import Spec, identities, place_flows
from lintsov.resolve.flows import specs as flow_specs
from lintsov.resolve.holding import Holding, holding
from lintsov.resolve.keys import KeyFacts, key_facts, key_uses
from lintsov.resolve.keys import attach as attach_keys
from lintsov.resolve.location import (
    PLACED_BY_USERS,
    RESOURCE_GROUP_ARM_TYPE,
    RESOURCE_GROUP_TYPES,
    Location,
    literal_parent,
    own_location,
    parent_location,
    provider_location,
    user_location,
    users_of,
)
from lintsov.resolve.sensitivity import Judgement, sensitivity
from lintsov.resolve.state import state_storage
from lintsov.resolve.values import Values
from lintsov.stack import Resource, Stack

# A child's parent may itself be a child (container → account); three rounds cover it.
_PARENT_ROUNDS = 3


# What a stack's values were read from, as reasons name it: a folder has no plan.
READ_FROM = {"plan": "the plan", "hcl": "the configuration"}


def resolve(stack: Stack, catalogue: Catalogue, policy: Policy) -> Inventory:
    read_from = READ_FROM.get(stack.kind, "the input")
    own: dict[str, Location | None] = {}
    sensitive: dict[str, Judgement] = {}
    placements: dict[str, Placement] = {}
    placed: dict[tuple[str, tuple[str, ...]], Placement] = {}
    held: dict[str, Holding] = {}
    # Resource groups place nothing created in them unless nothing else does.
    groups: set[str] = set()
    # Why a resource with a literal ARM id for a parent cannot be placed by it.
    literal: dict[str, Location] = {}
    relations = _Relations()
    relations.access.providers = stack.providers
    for source in stack.data_sources:
        relations.access.read_data_source(
            source, Values(*source.payload.open(), source.payload.origins)
        )
    for resource in stack.resources:
        provider = catalogue.provider(resource.provider_source)
        vendor = provider.vendor if provider else None
        placement = _placement(resource, provider, stack, catalogue, policy, placed)
        if placement is not None:
            placements[resource.address] = placement
            vendor = placement.vendor.id if placement.vendor else None
        after, unknown, marks = resource.payload.open()
        values = Values(after, unknown, marks, resource.payload.origins)
        if placement is not None and placement.region is not None:
            own[resource.address] = _endpoint_location(placement)
        elif (
            placement is not None
            and placement.vendor
            and not catalogue.vendors.get(placement.vendor.id)
        ):
            # A config endpoint entry: its country is the only place lintsov can know.
            own[resource.address] = Location(
                None,
                placement.host,
                (),
                Missing(
                    "country",
                    f"the config's endpoints entry for {placement.host} names no country; "
                    "add one (e.g. {self: true, country: NL}) to place it",
                ),
            )
        else:
            own[resource.address] = own_location(
                resource, values, provider, vendor, catalogue, read_from
            )
        found = holding(resource, values, catalogue, provider)
        held[resource.address] = found
        if resource.type in RESOURCE_GROUP_TYPES or found.arm_type == RESOURCE_GROUP_ARM_TYPE:
            groups.add(strip_instance_keys(resource.address))
        if own[resource.address] is None:
            unplaced = literal_parent(resource, values)
            if unplaced is not None:
                literal[resource.address] = unplaced
        sensitive[resource.address] = sensitivity(
            resource,
            values,
            stack.providers,
            policy,
            found.data_type,
            catalogue.labels(resource.type),
        )
        relations.gather(resource, values)
        # values go out of scope here: a large plan is never held decoded all at once.

    located = {a: loc for a, loc in own.items() if loc is not None}
    locations = _with_parents(stack, located, groups)
    by_group = {
        k: loc
        for k, loc in _by_configuration_address(stack.resources, locations).items()
        if k in groups
    }

    _place_the_rest(stack, catalogue, placements, locations, by_group, literal, read_from)

    resolved = [
        _resolved(
            resource,
            catalogue.provider(resource.provider_source),
            locations[resource.address],
            sensitive[resource.address],
            catalogue,
            held[resource.address],
            placements.get(resource.address),
        )
        for resource in stack.resources
    ]
    resolved = attach_keys(resolved, relations.uses, relations.keys, catalogue, policy.endpoints)
    return Inventory(
        stack.path,
        stack.kind,
        stack.tool,
        tuple(resolved),
        stack.notes,
        stack.backend,
        stack.unloaded_modules,
        stack.waivers,
        flows=place_flows(relations.specs, resolved, relations.identities(), catalogue),
        state=state_storage(stack, catalogue, policy),
        grants=relations.access.grants(r.address for r in resolved),
    )


@dataclass
class _Relations:
    """What resources say about each other, read while their values are decoded: the
    flows they set up, the names ARNs and ids use for them, the keys they are encrypted
    with, and where keys are held."""

    specs: dict[str, tuple[Spec, ...]] = field(default_factory=dict)
    named: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    uses: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    keys: dict[str, KeyFacts] = field(default_factory=dict)
    access: Access = field(default_factory=Access)

    def gather(self, resource: Resource, values: Values) -> None:
        found = flow_specs(resource, values)
        if found:
            self.specs[resource.address] = found
        for identity in identities(resource, values):
            self.named.setdefault(identity, []).append(resource.address)
        targets, keys = key_uses(resource)
        if keys:
            self.uses[resource.address] = (targets, keys)
        facts = key_facts(resource, values)
        if facts is not None:
            self.keys[resource.address] = facts
        self.access.gather(resource, values)

    def identities(self) -> dict[tuple[str, str], tuple[str, ...]]:
        return {key: tuple(addresses) for key, addresses in self.named.items()}


_GROUP_NOTE = "its resource group: neither the resource nor its provider names a location"


def _place_the_rest(
    stack: Stack,
    catalogue: Catalogue,
    placements: dict[str, Placement],
    locations: dict[str, Location],
    by_group: dict[str, Location],
    literal: dict[str, Location],
    read_from: str,
) -> None:
    """Place, in ``locations``, the resources that neither their own attributes nor a parent
    place: by their provider's region, else their resource group, else not at all (with the
    reason). Resources placed by their users go last: they are where those are."""
    placed_by_users: list[Resource] = []
    for resource in stack.resources:
        if resource.type in PLACED_BY_USERS:
            placed_by_users.append(resource)
        if resource.address in locations:
            continue
        provider = catalogue.provider(resource.provider_source)
        placement = placements.get(resource.address)
        vendor = provider.vendor if provider else None
        if placement is not None:
            vendor = placement.vendor.id if placement.vendor else None
        location = provider_location(
            resource, provider, vendor, stack.providers, catalogue, read_from
        )
        if location.region is None and not _provider_names_location(resource, provider, stack):
            location = (
                parent_location(resource, by_group, _GROUP_NOTE)
                or literal.get(resource.address)
                or location
            )
        locations[resource.address] = location
    if placed_by_users:
        users = users_of(stack.resources)
        for resource in placed_by_users:
            locations[resource.address] = user_location(resource, users, locations)


def _provider_names_location(resource: Resource, provider: Provider | None, stack: Stack) -> bool:
    """Whether a provider configuration the resource uses sets a region attribute, known
    or not: only when none does may a resource group place the resource."""
    attributes = provider.provider_region_attributes if provider else ("region",)
    return any(
        attribute in stack.providers[key].attributes
        for key in resource.provider.candidates
        for attribute in attributes
    )


def _with_parents(
    stack: Stack, locations: dict[str, Location], groups: set[str]
) -> dict[str, Location]:
    """Resources without a location of their own take their parent's, round by round;
    resource groups are left for last (see _GROUP_NOTE)."""
    for _ in range(_PARENT_ROUNDS):
        by_config = {
            k: loc
            for k, loc in _by_configuration_address(stack.resources, locations).items()
            if k not in groups
        }
        added = False
        for resource in stack.resources:
            if resource.address in locations:
                continue
            found = parent_location(resource, by_config)
            if found is not None:
                locations[resource.address] = found
                added = True
        if not added:
            break
    return locations


def _placement(
    resource: Resource,
    provider: Provider | None,
    stack: Stack,
    catalogue: Catalogue,
    policy: Policy,
    placed: dict[tuple[str, tuple[str, ...]], Placement],
) -> Placement | None:
    """Who operates the endpoint the resource is reached through, when that is not simply
    the provider's vendor; worked out once per endpoint."""
    endpoint = endpoint_of(resource, provider, stack.providers)
    if endpoint is None:
        return None
    if isinstance(endpoint, Missing):
        return Placement("", None, None, (), endpoint)
    url, steps = endpoint
    key = (url, steps)
    if key not in placed:
        placed[key] = place(url, steps, catalogue, policy.endpoints)
    return placed[key]


def _endpoint_location(placement: Placement) -> Location:
    region = placement.region
    assert region is not None
    steps = (f"endpoint host {placement.host}", *placement.evidence[0].steps[1:])
    return Location(region, placement.host, (Evidence("region", region.id, steps),), None)


def _by_configuration_address(
    resources: tuple[Resource, ...], locations: dict[str, Location]
) -> dict[str, Location]:
    """Locations by address without instance keys, where all instances agree: all in one
    region, or all unknown (their children are then unknown too, with the reason)."""
    grouped: dict[str, list[Location]] = {}
    for resource in resources:
        location = locations.get(resource.address)
        if location is not None:
            grouped.setdefault(strip_instance_keys(resource.address), []).append(location)
    return {
        key: found[0]
        for key, found in grouped.items()
        if len({loc.region.id if loc.region else None for loc in found}) == 1
    }


def _resolved(
    resource: Resource,
    provider: Provider | None,
    location: Location,
    judgement: Judgement,
    catalogue: Catalogue,
    held: Holding,
    placement: Placement | None = None,
) -> ResolvedResource:
    # Evidence in reading order: why it matters (sensitive, data), where, who, whose law.
    evidence: list[Evidence] = [*judgement.sensitive, *judgement.classification]
    missing: list[Missing] = []
    vendor: Vendor | None = None
    if placement is not None:
        vendor = placement.vendor
    elif provider is not None and provider.vendor:
        vendor = catalogue.vendors.get(provider.vendor)
    kind = provider.kind if provider else "unknown"
    if kind == "endpoint" or placement is not None:
        kind = "hosting"  # whoever runs the endpoint hosts the resource

    data_type = held.data_type
    if held.evidence is not None:
        evidence.append(held.evidence)
    if held.missing is not None:
        missing.append(held.missing)
    if held.absent is not None:
        evidence.append(held.absent)

    if provider is None:
        source = resource.provider_source or "(none)"
        missing.append(Missing("vendor", f"provider {source} is not in lintsov's catalogue"))
    elif placement is not None and placement.missing is not None:
        missing.append(placement.missing)
    elif provider.kind == "hosting" and vendor is None:
        missing.append(Missing("vendor", f"vendor {provider.vendor} is not in the catalogue"))

    region = location.region
    evidence.extend(location.evidence)
    if location.missing is not None:
        missing.append(location.missing)
    countries: tuple[str, ...] = ()
    if region is not None:
        countries = region.countries
        evidence.append(country_evidence(region))

    operator: Operator | None = None
    reach: tuple[str, ...] = ()
    laws: tuple[Law, ...] = ()
    if vendor is not None and provider is not None:
        operator = vendor.operator
        if region is not None and region.operator:
            operator = catalogue.operators.get(region.operator, vendor.operator)
        if placement is not None:
            evidence.append(Evidence("vendor", vendor.name, placement.evidence[0].steps))
        else:
            evidence.append(vendor_evidence(resource.provider_source, vendor.name, provider))
        reach = operator.reach
        laws = catalogue.laws_of(reach)
        own_operator = region if region is not None and region.operator else None
        guessed = region is None and vendor.id in catalogue.region_dependent_vendors
        evidence.append(reach_evidence(operator, own_operator, guessed, laws))

    return ResolvedResource(
        address=resource.address,
        type=resource.type,
        module=resource.module,
        action=resource.action,
        provider_source=resource.provider_source,
        provider_kind=kind,
        vendor=vendor.id if vendor else None,
        vendor_name=vendor.name if vendor else None,
        operator=operator.entity.name if operator else None,
        parents=tuple(f"{p.name} ({p.country})" for p in operator.parents) if operator else (),
        region=region.id if region else location.raw,
        region_name=region.name if region else None,
        countries=countries,
        reach=reach,
        laws=laws,
        data_holding=data_type is not None,
        data_category=data_type.category if data_type else None,
        sensitive=bool(judgement.sensitive),
        evidence=tuple(evidence),
        missing=tuple(missing),
        location=resource.location,
        unclassified=judgement.unclassified,
    )
