"""resolve: turn a Stack into an Inventory, with evidence for every fact."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from lintsov import anchor
from lintsov.catalogue import Catalogue, Law, Operator, Provider, Region, Vendor
from lintsov.evidence import Evidence
from lintsov.inventory import Inventory, Missing, ResolvedResource
from lintsov.load.plan_json import strip_instance_keys
from lintsov.policy import Classification
from lintsov.resolve.access import Access
from lintsov.resolve.endpoint import Placement, endpoint_of, place
from lintsov.resolve.facts import country_evidence, vendor_evidence
from lintsov.resolve.flows import Spec, identities, place_flows
from lintsov.resolve.flows import specs as flow_specs
from lintsov.resolve.holding import Holding, holding
from lintsov.resolve.keys import KeyFacts, key_facts, key_uses
from lintsov.resolve.keys import attach as attach_keys
from lintsov.resolve.location import (
    PARENT_ATTRIBUTES,
    PLACED_BY_USERS,
    RESOURCE_GROUP_ARM_TYPE,
    RESOURCE_GROUP_TYPES,
    Location,
    literal_parent,
    located_by_parent,
    own_location,
    parent_references,
    provider_location,
    user_location,
    users_of,
)
from lintsov.resolve.platform import layered, parent_attributes, platform_location
from lintsov.resolve.sensitivity import Judgement, sensitivity
from lintsov.resolve.staff import StaffFacts
from lintsov.resolve.staff import attach as attach_staff
from lintsov.resolve.state import state_storage
from lintsov.resolve.universe import Cloud, choose, cloud_of
from lintsov.resolve.values import Values
from lintsov.stack import ProviderBinding, Resource, Stack

# A child's parent may itself be a child (container → account); three rounds cover it.
_PARENT_ROUNDS = 3


# What a stack's values were read from, as reasons name it: a folder has no plan.
READ_FROM = {"plan": "the plan", "hcl": "the configuration"}


def resolve(stack: Stack, catalogue: Catalogue, classification: Classification) -> Inventory:
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
    staff = StaffFacts()
    # The cloud each resource's provider settings choose (a universe, an environment).
    clouds: dict[str, Cloud | None] = {}
    memo: dict[tuple[str, str], Cloud] = {}
    relations.access.providers = stack.providers
    for source in stack.data_sources:
        relations.access.read_data_source(
            source, Values(*source.payload.open(), source.payload.origins)
        )
    # Who a resource is reached through depends on its provider, its provider binding and
    # (for endpoints per service) its type: resources sharing them share the answer.
    by_binding: dict[tuple[str, ProviderBinding, str], _Reached] = {}
    for resource in stack.resources:
        key = (resource.provider_source, resource.provider, resource.type)
        reached = by_binding.get(key)
        if reached is None:
            reached = by_binding[key] = _reached_through(
                resource, stack, catalogue, classification, placed, memo
            )
        provider, placement = reached.provider, reached.placement
        if placement is not None:
            placements[resource.address] = placement
        else:
            clouds[resource.address] = reached.cloud
        after, unknown, marks = resource.payload.open()
        values = Values(after, unknown, marks, resource.payload.origins)
        own[resource.address] = _own_location(resource, values, reached, catalogue, read_from)
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
            classification,
            found.data_type,
            catalogue.labels(resource.type),
        )
        relations.gather(resource, values)
        staff.gather(resource, values, stack.providers)
        # values go out of scope here: a large plan is never held decoded all at once.

    located = {a: loc for a, loc in own.items() if loc is not None}
    addresses = tuple(strip_instance_keys(r.address) for r in stack.resources)
    parents = _Parents()
    locations, by_configuration = _with_parents(
        stack, located, groups, catalogue, addresses, parents
    )
    by_group = {g: loc for g in groups if (loc := by_configuration.get(g)) is not None}

    _place_the_rest(stack, catalogue, placements, locations, by_group, literal, read_from, parents)

    facts = _Facts(catalogue)
    resolved = [
        layered(
            _resolved(
                resource,
                locations[resource.address],
                sensitive[resource.address],
                held[resource.address],
                facts,
                placements.get(resource.address),
                clouds.get(resource.address),
            ),
            locations[resource.address],
            catalogue,
        )
        for resource in stack.resources
    ]
    resolved = attach_keys(
        resolved, relations.uses, relations.keys, catalogue, classification.endpoints, addresses
    )
    resolved = attach_staff(resolved, staff, catalogue)
    return Inventory(
        stack.path,
        stack.kind,
        stack.tool,
        tuple(resolved),
        stack.notes,
        stack.backend,
        stack.unloaded_modules,
        stack.waivers,
        flows=place_flows(relations.specs, resolved, relations.identities(), catalogue, addresses),
        state=state_storage(stack, catalogue, classification),
        anchor=anchor.of_stack(stack),
        grants=relations.access.grants(
            zip((r.address for r in resolved), addresses, strict=True), _reached(resolved)
        ),
    )


def _reached(resolved: list[ResolvedResource]) -> set[str]:
    """Sensitive data and the keys that encrypt it: the only grants anyone reads (SOV007,
    the access view) are those that reach these."""
    found: set[str] = set()
    for resource in resolved:
        if resource.sensitive and resource.data_holding:
            found.add(resource.address)
            if resource.key is not None:
                found.add(resource.key.key)
    return found


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
    # key_uses() by (id of the resource's configuration, type); the stack keeps every
    # configuration alive for the whole run, so an id is never reused within it.
    key_uses: dict[tuple[int, str], tuple[tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict
    )

    def gather(self, resource: Resource, values: Values) -> None:
        found = flow_specs(resource, values)
        if found:
            self.specs[resource.address] = found
        for identity in identities(resource, values):
            self.named.setdefault(identity, []).append(resource.address)
        # Which keys a resource names depends on its type and configuration only: the
        # instances of one configuration resource share one Configured.
        memo_key = (id(resource.configured), resource.type)
        uses = self.key_uses.get(memo_key)
        if uses is None:
            uses = self.key_uses[memo_key] = key_uses(resource)
        targets, keys = uses
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
    parents: _Parents,
) -> None:
    """Place, in ``locations``, the resources that neither their own attributes nor a parent
    place: by their provider's region, else their resource group, else not at all (with the
    reason). Resources placed by their users go last: they are where those are."""
    placed_by_users: list[Resource] = []
    # What a provider configuration says depends on the resource's type, its binding and
    # vendor only: resources sharing them (thousands, in a large plan) share the answer.
    by_provider: dict[tuple[str, ProviderBinding, int, str | None], tuple[Location, bool]] = {}
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
        key = (resource.type, resource.provider, id(provider), vendor)
        known = by_provider.get(key)
        if known is None:
            known = by_provider[key] = (
                provider_location(
                    resource, provider, vendor, stack.providers, catalogue, read_from
                ),
                _provider_names_location(resource, provider, stack),
            )
        location, names_location = known
        if location.region is None and not names_location:
            location = (
                located_by_parent(parents.of(resource), by_group, _GROUP_NOTE)
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


class _Parents:
    """parent_references() per (configuration, module, attributes): which parents a
    resource names depends on those only, and the instances of one configuration resource
    (count, for_each) share one configuration object. The stack keeps every configuration
    alive for the whole run, so an id is never reused within it."""

    def __init__(self) -> None:
        self._named: dict[tuple[int, str, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}

    def of(
        self, resource: Resource, attributes: tuple[str, ...] = PARENT_ATTRIBUTES
    ) -> tuple[tuple[str, str], ...]:
        key = (id(resource.configured), resource.module, attributes)
        references = self._named.get(key)
        if references is None:
            references = self._named[key] = parent_references(resource, attributes)
        return references


def _with_parents(
    stack: Stack,
    locations: dict[str, Location],
    groups: set[str],
    catalogue: Catalogue,
    addresses: tuple[str, ...],
    parents: _Parents,
) -> tuple[dict[str, Location], _ByConfiguration]:
    """Resources without a location of their own take their parent's, round by round;
    resource groups are left for last (see _GROUP_NOTE). ``addresses`` are the resources'
    addresses without instance keys, in the stack's order."""
    pending: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for resource in stack.resources:
        if resource.address in locations:
            continue
        references = parents.of(resource, parent_attributes(resource, catalogue))
        if references:  # a resource that names no parent never takes one's location
            pending.append((resource.address, references))
    placed = _ByConfiguration(stack.resources, addresses, locations)
    for _ in range(_PARENT_ROUNDS):
        if not pending:
            break
        # Resources placed in a round place their children only from the next one.
        added: list[tuple[str, Location]] = []
        left: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        parents_placed = _Except(placed, groups)
        for address, references in pending:
            found = located_by_parent(references, parents_placed)
            if found is None:
                left.append((address, references))
            else:
                added.append((address, found))
        if not added:
            break
        for address, found in added:
            locations[address] = found
            placed.add(address, found)
        pending = left
    return locations, placed


class _Except:
    """Locations by configuration address, leaving out resource groups (see _GROUP_NOTE)."""

    def __init__(self, placed: _ByConfiguration, groups: set[str]) -> None:
        self._placed = placed
        self._groups = groups

    def get(self, key: str, default: None = None) -> Location | None:
        return None if key in self._groups else self._placed.get(key)


class _Reached(NamedTuple):
    provider: Provider | None
    vendor: str | None
    placement: Placement | None
    cloud: Cloud | None


def _reached_through(
    resource: Resource,
    stack: Stack,
    catalogue: Catalogue,
    classification: Classification,
    placed: dict[tuple[str, tuple[str, ...]], Placement],
    memo: dict[tuple[str, str], Cloud],
) -> _Reached:
    """The resource's provider, and the vendor, endpoint placement and cloud it is reached
    through (the cloud only when no endpoint places it)."""
    provider = catalogue.provider(resource.provider_source)
    vendor = provider.vendor if provider else None
    placement = _placement(resource, provider, stack, catalogue, classification, placed)
    if placement is not None:
        vendor = placement.vendor.id if placement.vendor else None
        return _Reached(provider, vendor, placement, None)
    return _Reached(
        provider, vendor, None, cloud_of(resource, provider, stack.providers, catalogue, memo)
    )


def _own_location(
    resource: Resource, values: Values, reached: _Reached, catalogue: Catalogue, read_from: str
) -> Location | None:
    """Where the resource's endpoint or its own attributes place it; None when neither
    says (a parent or the provider may)."""
    placement = reached.placement
    if placement is not None and placement.region is not None:
        return _endpoint_location(placement)
    if (
        placement is not None
        and placement.vendor
        and not catalogue.vendors.get(placement.vendor.id)
    ):
        # A config endpoint entry: its country is the only place lintsov can know.
        return Location(
            None,
            placement.host,
            (),
            Missing(
                "country",
                f"the config's endpoints entry for {placement.host} names no country; "
                "add one (e.g. {self: true, country: NL}) to place it",
            ),
        )
    return platform_location(resource, values, catalogue, read_from) or own_location(
        resource, values, reached.provider, reached.vendor, catalogue, read_from
    )


def _placement(
    resource: Resource,
    provider: Provider | None,
    stack: Stack,
    catalogue: Catalogue,
    classification: Classification,
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
        placed[key] = place(url, steps, catalogue, classification.endpoints)
    return placed[key]


def _endpoint_location(placement: Placement) -> Location:
    region = placement.region
    assert region is not None
    steps = (f"endpoint host {placement.host}", *placement.evidence[0].steps[1:])
    return Location(region, placement.host, (Evidence("region", region.id, steps),), None)


class _ByConfiguration:
    """Locations by address without instance keys, where all instances placed so far agree:
    all in one region, or all unknown (their children are then unknown too, with the
    reason). The first placed instance in the stack's order speaks for them.

    Kept up to date as resources are placed (``add``), instead of regrouping every
    resource of a large plan for each round of parents."""

    def __init__(
        self,
        resources: tuple[Resource, ...],
        addresses: tuple[str, ...],
        locations: Mapping[str, Location],
    ) -> None:
        self._index = {resource.address: n for n, resource in enumerate(resources)}
        self._addresses = addresses
        self._placed: dict[str, list[tuple[int, Location]]] = {}
        self._agreed: dict[str, Location | None] = {}
        for n, resource in enumerate(resources):
            location = locations.get(resource.address)
            if location is not None:
                self._placed.setdefault(addresses[n], []).append((n, location))

    def add(self, address: str, location: Location) -> None:
        n = self._index[address]
        key = self._addresses[n]
        self._placed.setdefault(key, []).append((n, location))
        self._agreed.pop(key, None)

    def get(self, key: str, default: None = None) -> Location | None:
        if key in self._agreed:
            return self._agreed[key]
        found = self._placed.get(key)
        agreed: Location | None = None
        if found and len({loc.region.id if loc.region else None for _, loc in found}) == 1:
            agreed = min(found, key=lambda placed: placed[0])[1]
        self._agreed[key] = agreed
        return agreed


@dataclass(frozen=True)
class _Who:
    """What a resource's provider, endpoint, region and provider settings say about who
    runs it and whose law reaches it: the same for every resource that shares those four,
    so worked out once for them (see _Facts)."""

    vendor: Vendor | None
    kind: str
    # Why the vendor is unknown; None when it is known.
    missing: Missing | None
    countries: tuple[str, ...]
    country: Evidence | None
    operator: Operator | None
    # The operator's parent companies, as ResolvedResource.parents gives them.
    parents: tuple[str, ...]
    reach: tuple[str, ...]
    laws: tuple[Law, ...]
    # The vendor, operator and reach evidence, in that order; empty without a vendor.
    evidence: tuple[Evidence, ...]
    # Why the operator is unknown although the vendor is known (provider settings).
    operator_missing: Missing | None = None
    # The controls the vendor offers over its own staff's access (catalogue ids).
    staff_offered: tuple[str, ...] = ()


class _Facts:
    """_Who per (provider source, provider, placement, region, cloud), for one resolve() run.

    Keyed by identity: the catalogue's providers and regions, resolve()'s placements and
    clouds are shared objects, and hashing them by value costs more than the work saved.
    The entry keeps them alive, so that an identity is never reused for another object."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._done: dict[tuple[str, int, int, int, int], tuple[_Who, tuple[object, ...]]] = {}

    def who(
        self,
        source: str,
        provider: Provider | None,
        placement: Placement | None,
        region: Region | None,
        cloud: Cloud | None,
    ) -> _Who:
        key = (source, id(provider), id(placement), id(region), id(cloud))
        found = self._done.get(key)
        if found is None:
            made = _who(source, provider, placement, region, cloud, self.catalogue)
            found = (made, (provider, placement, region, cloud))
            self._done[key] = found
        return found[0]


def _who(
    source: str,
    provider: Provider | None,
    placement: Placement | None,
    region: Region | None,
    cloud: Cloud | None,
    catalogue: Catalogue,
) -> _Who:
    vendor: Vendor | None = None
    if placement is not None:
        vendor = placement.vendor
    elif provider is not None and provider.vendor:
        vendor = catalogue.vendors.get(provider.vendor)
    kind = provider.kind if provider else "unknown"
    if kind == "endpoint" or placement is not None:
        kind = "hosting"  # whoever runs the endpoint hosts the resource

    missing: Missing | None = None
    if provider is None:
        missing = Missing("vendor", f"provider {source or '(none)'} is not in lintsov's catalogue")
    elif placement is not None and placement.missing is not None:
        missing = placement.missing
    elif provider.kind == "hosting" and vendor is None:
        missing = Missing("vendor", f"vendor {provider.vendor} is not in the catalogue")

    operator: Operator | None = None
    operator_missing: Missing | None = None
    reach: tuple[str, ...] = ()
    laws: tuple[Law, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    if vendor is not None and provider is not None:
        # A platform's region is its infrastructure vendor's: that region's operator is
        # the infrastructure layer's (resolve/platform.py), not the platform's.
        own_region = region if region is not None and region.vendor == vendor.id else None
        choice = choose(vendor, own_region, cloud, catalogue)
        operator = choice.operator
        if placement is not None:
            named = Evidence("vendor", vendor.name, placement.evidence[0].steps)
        else:
            named = vendor_evidence(source, vendor.name, provider)
        evidence = (named, *choice.evidence)
        operator_missing = choice.missing
        if operator is not None:
            reach = operator.reach
            laws = catalogue.laws_of(reach)
    # A global resource (no countries) says why in its region evidence.
    placed = region is not None and bool(region.countries)
    return _Who(
        vendor,
        kind,
        missing,
        region.countries if region is not None and placed else (),
        country_evidence(region) if region is not None and placed else None,
        operator,
        tuple(f"{p.name} ({p.country})" for p in operator.parents) if operator else (),
        reach,
        laws,
        evidence,
        operator_missing,
        tuple(c.id for c in catalogue.staff_controls_of(vendor.id if vendor else None)),
    )


def _resolved(
    resource: Resource,
    location: Location,
    judgement: Judgement,
    held: Holding,
    facts: _Facts,
    placement: Placement | None = None,
    cloud: Cloud | None = None,
) -> ResolvedResource:
    provider = facts.catalogue.provider(resource.provider_source)
    region = location.region
    who = facts.who(resource.provider_source, provider, placement, region, cloud)
    vendor, operator = who.vendor, who.operator
    # Evidence in reading order: why it matters (sensitive, data), where, who, whose law.
    evidence: list[Evidence] = [*judgement.sensitive, *judgement.classification]
    missing: list[Missing] = []

    data_type = held.data_type
    if held.evidence is not None:
        evidence.append(held.evidence)
    if held.missing is not None:
        missing.append(held.missing)
    if held.absent is not None:
        evidence.append(held.absent)
    if who.missing is not None:
        missing.append(who.missing)

    evidence.extend(location.evidence)
    if location.missing is not None:
        missing.append(location.missing)
    if who.country is not None:
        evidence.append(who.country)
    evidence.extend(who.evidence)
    if who.operator_missing is not None:
        missing.append(who.operator_missing)

    return ResolvedResource(
        address=resource.address,
        type=resource.type,
        module=resource.module,
        action=resource.action,
        provider_source=resource.provider_source,
        provider_kind=who.kind,
        vendor=vendor.id if vendor else None,
        vendor_name=vendor.name if vendor else None,
        operator=operator.entity.name if operator else None,
        parents=who.parents,
        region=region.id if region else location.raw,
        region_name=region.name if region else None,
        countries=who.countries,
        reach=who.reach,
        laws=who.laws,
        data_holding=data_type is not None,
        data_category=data_type.category if data_type else None,
        sensitive=bool(judgement.sensitive),
        evidence=tuple(evidence),
        missing=tuple(missing),
        location=resource.location,
        unclassified=judgement.unclassified,
        staff_offered=who.staff_offered if data_type is not None else (),
    )
