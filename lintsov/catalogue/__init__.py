"""The catalogue: vendors, the laws that reach them, providers, regions, data-holding types
(Terraform types, and the ARM resource types behind azapi resources) and where each type
keeps its tags and labels.

The facts live in the JSON files beside this module, each entry with its source, checked
against ``schema.json``. This module only indexes them for lookup.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache, cached_property
from importlib import resources
from typing import Any

from lintsov.catalogue.partners import Clouds, clouds

REGISTRY_HOSTS = ("registry.terraform.io", "registry.opentofu.org", "terraform.io")


@dataclass(frozen=True)
class Law:
    id: str
    country: str
    short: str
    name: str
    citation: str
    reach: str
    source: str


@dataclass(frozen=True)
class Entity:
    name: str
    country: str


@dataclass(frozen=True)
class Operator:
    id: str
    entity: Entity
    parents: tuple[Entity, ...]
    note: str
    sources: tuple[str, ...]

    @cached_property
    def reach(self) -> tuple[str, ...]:
        """Countries whose law reaches this operator: its own and its parents'."""
        countries = {self.entity.country, *(p.country for p in self.parents)}
        # The organisation's own data centres may name no country: nobody foreign reaches.
        return tuple(sorted(c for c in countries if c))

    @cached_property
    def chain(self) -> str:
        parts = [f"{self.entity.name} ({self.entity.country})"]
        parts += [f"{p.name} ({p.country})" for p in self.parents]
        return " → ".join(parts)


@dataclass(frozen=True)
class Vendor:
    id: str
    name: str
    operator: Operator
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    vendor: str
    id: str
    name: str
    kind: str
    countries: tuple[str, ...]
    operator: str | None
    source: str
    note: str = ""
    # The services that take this location id, when it is one service's own (Firestore's
    # nam5, App Engine's europe-west); empty: any service of the vendor.
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provider:
    source: str
    kind: str
    vendor: str | None
    location_attributes: tuple[str, ...]
    provider_region_attributes: tuple[str, ...]
    sources: tuple[str, ...]
    # kind "endpoint": provider attributes naming the endpoint whose operator is the vendor.
    endpoint_attributes: tuple[str, ...] = ()
    # Provider block holding per-service endpoint overrides (aws: "endpoints").
    service_endpoints: str = ""


@dataclass(frozen=True)
class Endpoint:
    """A public endpoint whose operator lintsov knows: a host-name glob, its vendor, and
    where the region can be read from the host name."""

    host: str
    vendor: str
    region_pattern: re.Pattern[str] | None
    region: str
    service: str
    source: str

    def matches(self, host: str) -> bool:
        return fnmatchcase(host, self.host)


@dataclass(frozen=True)
class DataType:
    type: str
    category: str
    source: str


@dataclass(frozen=True)
class LabelLocation:
    """One place a resource type keeps tags or labels, and its shape: ``map``
    (``tags = {k = v}``), ``key-value-list`` (``tag { key = k, value = v }``, or a list of
    such objects) or ``strings`` (``tags = ["k:v"]``)."""

    path: tuple[str, ...]
    shape: str
    key: str = "key"
    value: str = "value"
    separators: tuple[str, ...] = ()
    namespace_separator: str = ""
    # tags_all, effective_labels: the provider's default tags are merged into them.
    provider_defaults: bool = False

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class LabelLocations:
    """Where one resource type keeps its tags and labels, and the catalogue entry that says so
    (``type google_sql_database_instance``, ``prefix aws_`` or ``fallback``)."""

    locations: tuple[LabelLocation, ...]
    entry: str
    source: str

    @cached_property
    def names(self) -> str:
        """The locations' names, as evidence lists them (``tags, tags_all``); worked out
        once, and asked for every resource that carries no classification."""
        return ", ".join(location.name for location in self.locations)


def normalise_location(text: str) -> str:
    """Azure accepts 'West Europe' and 'westeurope'; Google 'EU' and 'eu'."""
    return re.sub(r"\s+", "", text).lower()


# Zone spellings, tried only when the text is not a catalogued location itself, and only
# for the vendors whose zone names follow the pattern; a match must then be a catalogued
# region of the same vendor.
_ZONE_PATTERNS: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...] = (
    (
        "an AWS availability zone",
        frozenset({"aws"}),
        re.compile(r"^(?P<r>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)[a-z]$"),
    ),
    (
        "an AWS Local Zone",
        frozenset({"aws"}),
        re.compile(r"^(?P<r>[a-z]{2}(?:-gov)?-[a-z]+-\d+)-[a-z]{3}-\d+[a-z]?$"),
    ),
    (
        "a zone",
        frozenset({"google", "alibaba", "huawei", "tencent"}),
        re.compile(r"^(?P<r>.+)-[a-z]$"),
    ),
    (
        "a numbered zone",
        frozenset({"otc", "tencent", "huawei", "ibm"}),
        re.compile(r"^(?P<r>.+)-\d+$"),
    ),
    # Huawei Cloud names its availability zones after the region with a letter (cn-north-4a).
    ("an availability zone", frozenset({"huawei"}), re.compile(r"^(?P<r>.+-\d+)[a-z]$")),
    # Hetzner Cloud datacenters are their location with a number (fsn1-dc14, ash-dc1).
    ("a datacenter", frozenset({"hetzner"}), re.compile(r"^(?P<r>[a-z]+\d*)-dc\d+$")),
    # An OCI availability domain is the tenancy's prefix, the region's key or name, and the
    # domain's number (Uocm:PHX-AD-1, kIdk:EU-FRANKFURT-1-AD-1).
    (
        "an availability domain",
        frozenset({"oracle"}),
        re.compile(r"^(?:[a-z0-9]+:)?(?P<r>[a-z0-9-]+?)-ad-\d+$"),
    ),
)


@dataclass(frozen=True)
class StaffControl:
    """A control a vendor offers its customers to gate its own staff's access to their data."""

    id: str
    name: str
    vendors: tuple[str, ...]
    gates: str
    configured_by: tuple[str, ...]
    sources: tuple[str, ...]
    # Access Approval enrols services by name: the service, its names, the Terraform types.
    services: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()
    all_services: tuple[str, ...] = ()

    def service_of(self, resource_type: str) -> tuple[str, tuple[str, ...]] | None:
        """The enrolable service a Terraform type belongs to, and the names it goes by."""
        for service, names, prefixes in self.services:
            if resource_type.startswith(prefixes):
                return service, (service, *names)
        return None


class Catalogue:
    """Lookups over the catalogue's facts."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self.documents = documents
        self.laws = tuple(Law(**law) for law in documents["laws.json"]["laws"])
        self._laws_by_reach: dict[tuple[str, ...], tuple[Law, ...]] = {}
        self._region_lookups: dict[tuple[str, str], tuple[Region, str] | None] = {}
        self._providers_by_source: dict[str, Provider | None] = {}
        self.vendors: dict[str, Vendor] = {}
        self.operators: dict[str, Operator] = {}
        for item in documents["vendors.json"]["vendors"]:
            default = _operator(item["operator"])
            self.vendors[item["id"]] = Vendor(
                item["id"], item["name"], default, tuple(item["sources"])
            )
            for operator in (item["operator"], *item.get("operators", ())):
                self.operators[operator["id"]] = _operator(operator)
        self.providers = {
            p["source"]: Provider(
                source=p["source"],
                kind=p["kind"],
                vendor=p.get("vendor"),
                location_attributes=tuple(p.get("location_attributes", ())),
                provider_region_attributes=tuple(p.get("provider_region_attributes", ())),
                sources=tuple(p["sources"]),
                endpoint_attributes=tuple(p.get("endpoint_attributes", ())),
                service_endpoints=p.get("service_endpoints", ""),
            )
            for p in documents["providers.json"]["providers"]
        }
        self._add_staff_controls(documents)
        self.endpoints = tuple(
            Endpoint(
                host=e["host"],
                vendor=e["vendor"],
                region_pattern=re.compile(e["region_pattern"]) if "region_pattern" in e else None,
                region=e.get("region", ""),
                service=e.get("service", ""),
                source=e["source"],
            )
            for e in documents.get("endpoints.json", {"endpoints": []})["endpoints"]
        )
        # (vendor, region) → (the region it replicates to, source); one-way pairs have no
        # entry back. Keys are normalised like region spellings.
        self.region_pairs: dict[tuple[str, str], tuple[str, str]] = {}
        pairs = documents.get("region_pairs.json")
        if pairs:
            for pair in pairs["pairs"]:
                key = (pairs["vendor"], normalise_location(pair["region"]))
                self.region_pairs[key] = (pair["pair"], pair["source"])
        self.data_types = {
            t["type"]: DataType(t["type"], t["category"], t["source"])
            for t in documents["data_types.json"]["types"]
        }
        # Keyed in lower case: ARM compares resource types case-insensitively.
        self.arm_types = {
            t["type"].lower(): DataType(t["type"], t["category"], t["source"])
            for t in documents.get("arm_types.json", {"types": []})["types"]
        }
        labels = documents.get("labels.json", {"fallback": None, "prefixes": [], "types": []})
        self._label_types = {
            t["type"]: _label_locations(t, f"type {t['type']}") for t in labels["types"]
        }
        # Longest first: the most specific prefix that matches wins.
        self._label_prefixes = sorted(
            (
                (p["prefix"], _label_locations(p, f"prefix {p['prefix']}"))
                for p in labels["prefixes"]
            ),
            key=lambda item: (-len(item[0]), item[0]),
        )
        fallback = labels["fallback"]
        self._label_fallback = (
            _label_locations(fallback, "fallback")
            if fallback
            else LabelLocations((), "fallback", "")
        )
        self._labels_by_type: dict[str, LabelLocations] = {}
        self.regions: dict[str, dict[str, Region]] = {}
        self.region_files: dict[str, str] = {}
        for name, document in sorted(documents.items()):
            if not name.startswith("regions/"):
                continue
            vendor = document["vendor"]
            self.region_files[vendor] = name
            table = self.regions.setdefault(vendor, {})
            for entry in document["regions"]:
                region = _region(vendor, {"source": document["sources"][0], **entry})
                for spelling in (entry["id"], *entry.get("aliases", ())):
                    table.setdefault(normalise_location(spelling), region)
        self._add_platforms(documents)
        # Partner-operated clouds: their operators and regions join the licensor's vendor.
        partners = documents.get("partners.json")
        self.clouds: Clouds = clouds(partners)
        for partner in partners["partners"] if partners else ():
            self.operators[partner["operator"]["id"]] = _operator(partner["operator"])
            table = self.regions.setdefault(partner["vendor"], {})
            for entry in partner["regions"]:
                region = _region(partner["vendor"], entry, partner["operator"]["id"])
                for spelling in (entry["id"], *entry.get("aliases", ())):
                    table.setdefault(normalise_location(spelling), region)
        # Regions a config maps to another operator of their vendor, with its source.
        self.region_operators: dict[tuple[str, str], str] = {}
        for (vendor, name), (operator, source) in self.clouds.run_by.items():
            table = self.regions.get(vendor, {})
            old = table.get(normalise_location(name))
            if old is not None:
                run = dataclasses.replace(old, operator=operator)
                table.update({k: run for k, r in table.items() if r is old})
                self.region_operators[vendor, old.id] = source
        # Vendors whose operator depends on the region (China regions, sovereign clouds).
        self.region_dependent_vendors = frozenset(
            region.vendor
            for table in self.regions.values()
            for region in table.values()
            if region.operator
        )

    def provider(self, source: str) -> Provider | None:
        """Catalogue entry for a full provider source address, if lintsov knows it."""
        # Asked several times for every resource, with a handful of sources per input.
        try:
            return self._providers_by_source[source]
        except KeyError:
            pass
        found = self._find_provider(source)
        self._providers_by_source[source] = found
        return found

    def _find_provider(self, source: str) -> Provider | None:
        if "/" not in source:
            return None
        parts = source.lower().split("/")
        if len(parts) == 3:
            host, rest = parts[0], "/".join(parts[1:])
            if host not in REGISTRY_HOSTS:
                return None
        else:
            rest = "/".join(parts[-2:])
        return self.providers.get(rest)

    def labels(self, resource_type: str) -> LabelLocations:
        """Where resources of this type keep their tags and labels: the type's own entry, else
        the longest matching prefix's, else the fallback."""
        found = self._labels_by_type.get(resource_type)
        if found is None:
            found = self._label_types.get(resource_type) or next(
                (
                    entry
                    for prefix, entry in self._label_prefixes
                    if resource_type.startswith(prefix)
                ),
                self._label_fallback,
            )
            self._labels_by_type[resource_type] = found
        return found

    def region(self, vendor: str, text: str) -> tuple[Region, str] | None:
        """The catalogued region a location string names, with how it matched."""
        key = (vendor, text)
        if key not in self._region_lookups:
            self._region_lookups[key] = self._find_region(vendor, text)
        return self._region_lookups[key]

    def _find_region(self, vendor: str, text: str) -> tuple[Region, str] | None:
        table = self.regions.get(vendor, {})
        key = normalise_location(text)
        if key in table:
            return table[key], ""
        for label, vendors, pattern in _ZONE_PATTERNS:
            match = pattern.match(key) if vendor in vendors else None
            if match and match.group("r") in table:
                region = table[match.group("r")]
                return region, f"{text} is {label} of {region.id}"
        return None

    def _add_platforms(self, documents: Mapping[str, Any]) -> None:
        # Managed data platforms (Aiven, Atlas, ...): vendors, providers and data types of
        # their own; imported here because platforms.py builds on this module's types.
        from lintsov.catalogue import platforms  # noqa: PLC0415 (a cycle at module level)

        self.platforms = platforms.read(documents.get("platforms.json"))
        for vendor in self.platforms.vendors.values():
            self.vendors.setdefault(vendor.id, vendor)
            self.operators.setdefault(vendor.operator.id, vendor.operator)
        for source, provider in self.platforms.providers.items():
            self.providers.setdefault(source, provider)
        for name, data_type in self.platforms.data_types.items():
            self.data_types.setdefault(name, data_type)

    def _add_staff_controls(self, documents: Mapping[str, Any]) -> None:
        self._staff_by_vendor: dict[str | None, tuple[StaffControl, ...]] = {}
        self.staff_controls = {
            c["id"]: StaffControl(
                c["id"],
                c["name"],
                tuple(c["vendors"]),
                c["gates"],
                tuple(c["configured_by"]),
                tuple(c["sources"]),
                tuple(
                    (x["service"], tuple(x["names"]), tuple(x["type_prefixes"]))
                    for x in c.get("services", ())
                ),
                tuple(c.get("all_services", ())),
            )
            for c in documents.get("staff_controls.json", {"controls": []})["controls"]
        }

    def staff_controls_of(self, vendor: str | None) -> tuple[StaffControl, ...]:
        """The controls a vendor offers to gate its own staff's access to customer data."""
        found = self._staff_by_vendor.get(vendor)
        if found is None:
            found = tuple(c for c in self.staff_controls.values() if vendor in c.vendors)
            self._staff_by_vendor[vendor] = found
        return found

    def laws_of(self, countries: Iterable[str]) -> tuple[Law, ...]:
        key = tuple(countries)
        if key not in self._laws_by_reach:
            wanted = set(key)
            self._laws_by_reach[key] = tuple(law for law in self.laws if law.country in wanted)
        return self._laws_by_reach[key]

    def all_regions(self) -> list[Region]:
        unique = {(r.vendor, r.id): r for table in self.regions.values() for r in table.values()}
        return [unique[key] for key in sorted(unique)]


def _entity(data: Mapping[str, Any]) -> Entity:
    return Entity(data["name"], data["country"])


def _operator(data: Mapping[str, Any]) -> Operator:
    return Operator(
        id=data["id"],
        entity=_entity(data["entity"]),
        parents=tuple(_entity(p) for p in data.get("parents", ())),
        note=data.get("note", ""),
        sources=tuple(data.get("sources", ())),
    )


def _region(vendor: str, entry: Mapping[str, Any], operator: str | None = None) -> Region:
    return Region(
        vendor=vendor,
        id=entry["id"],
        name=entry["name"],
        kind=entry.get("kind", "region"),
        countries=tuple(entry["countries"]),
        operator=entry.get("operator", operator),
        source=entry["source"],
        note=entry.get("note", ""),
        services=tuple(entry.get("services", ())),
    )


def _label_locations(entry: Mapping[str, Any], name: str) -> LabelLocations:
    return LabelLocations(
        tuple(
            LabelLocation(
                path=tuple(item["path"].split(".")),
                shape=item["shape"],
                key=item.get("key", "key"),
                value=item.get("value", "value"),
                separators=tuple(item.get("separators", ())),
                namespace_separator=item.get("namespace_separator", ""),
                provider_defaults=bool(item.get("provider_defaults", False)),
            )
            for item in entry["labels"]
        ),
        name,
        entry["source"],
    )


def builtin_documents() -> dict[str, Any]:
    """The shipped catalogue files, by path relative to the catalogue folder."""
    root = resources.files(__package__)
    documents: dict[str, Any] = {}
    for name in (
        "laws.json",
        "vendors.json",
        "providers.json",
        "data_types.json",
        "arm_types.json",
        "endpoints.json",
        "region_pairs.json",
        "labels.json",
        "staff_controls.json",
        "platforms.json",
        "partners.json",
    ):
        documents[name] = json.loads(root.joinpath(name).read_text("utf-8"))
    for entry in sorted(root.joinpath("regions").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            documents[f"regions/{entry.name}"] = json.loads(entry.read_text("utf-8"))
    return documents


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        resources.files(__package__).joinpath("schema.json").read_text("utf-8")
    )
    return loaded


@cache
def builtin() -> Catalogue:
    return Catalogue(builtin_documents())
