"""Managed data platforms (Aiven, MongoDB Atlas, Confluent Cloud, Elastic Cloud, ...): the
company that runs the platform, the attributes that choose the cloud and region its service
runs in, and how the platform spells the clouds and regions of the infrastructure vendors.

The facts live in ``platforms.json``, each with its source. This module only reads them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lintsov.catalogue import DataType, Operator, Provider, Vendor, _operator


@dataclass(frozen=True)
class Selector:
    """Where one resource type names its cloud and region. ``entries`` is a path to nested
    blocks that each name one (Atlas ``replication_specs.region_configs``), empty when the
    resource itself does. ``cloud`` are attributes naming the cloud, first set wins, looked
    up in the entry and then on the resource; ``default_cloud`` applies when none is set.
    ``format`` ``prefixed``: the region value carries the cloud as a prefix before
    ``separator`` (``google-europe-west1``); ``separate``: cloud and region are apart.
    ``unprefixed`` is the cloud of a prefixed value whose prefix is no known cloud."""

    types: tuple[str, ...]
    region: str
    format: str
    source: str
    entries: str = ""
    cloud: tuple[str, ...] = ()
    default_cloud: str = ""
    separator: str = "-"
    unprefixed: str = ""
    unprefixed_note: str = ""


@dataclass(frozen=True)
class RegionCode:
    """A platform region code the platform documents by name: either a region of the
    infrastructure vendor (``region``) or, where the vendor has several datacenters in the
    named city, only its name and countries."""

    cloud: str
    code: str
    source: str
    region: str = ""
    name: str = ""
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    providers: tuple[str, ...]
    operator: Operator
    sources: tuple[str, ...]
    # The platform's cloud code (upper-cased) → lintsov vendor id.
    clouds: Mapping[str, str]
    clouds_source: str
    region_codes: Mapping[tuple[str, str], RegionCode]
    region_codes_source: str
    selectors: tuple[Selector, ...]
    # Attributes through which a child names the service it lives in.
    children: tuple[str, ...]

    def vendor_of(self, cloud: str) -> str | None:
        return self.clouds.get(cloud.upper())

    def code(self, cloud: str, code: str) -> RegionCode | None:
        return self.region_codes.get((cloud.upper(), code.upper()))


@dataclass(frozen=True)
class Platforms:
    """The platforms, by id, by provider source and by the resource types they place."""

    by_id: Mapping[str, Platform]
    by_provider: Mapping[str, Platform]
    # Resource type → the platform and selectors that place it, tried in order.
    selectors: Mapping[str, tuple[tuple[Platform, Selector], ...]]
    vendors: Mapping[str, Vendor]
    providers: Mapping[str, Provider]
    data_types: Mapping[str, DataType]

    def of(self, vendor: str | None) -> Platform | None:
        return self.by_id.get(vendor) if vendor else None


def read(document: Mapping[str, Any] | None) -> Platforms:
    platforms: dict[str, Platform] = {}
    for item in document["platforms"] if document else ():
        platforms[item["id"]] = _platform(item)
    by_provider = {source: p for p in platforms.values() for source in p.providers}
    selectors: dict[str, tuple[tuple[Platform, Selector], ...]] = {}
    for platform in platforms.values():
        for selector in platform.selectors:
            for name in selector.types:
                selectors[name] = (*selectors.get(name, ()), (platform, selector))
    vendors = {p.id: Vendor(p.id, p.name, p.operator, p.sources) for p in platforms.values()}
    providers = {
        source: Provider(
            source=source,
            kind="hosting",
            vendor=p.id,
            location_attributes=(),
            provider_region_attributes=(),
            sources=p.sources,
        )
        for source, p in by_provider.items()
    }
    data_types = {
        t["type"]: DataType(t["type"], t["category"], t["source"])
        for item in (document["platforms"] if document else ())
        for t in item["types"]
    }
    return Platforms(platforms, by_provider, selectors, vendors, providers, data_types)


def _platform(item: Mapping[str, Any]) -> Platform:
    default_source = item["region_codes_source"]
    codes = {
        (c["cloud"].upper(), c["code"].upper()): RegionCode(
            cloud=c["cloud"],
            code=c["code"],
            source=c.get("source", default_source),
            region=c.get("region", ""),
            name=c.get("name", ""),
            countries=tuple(c.get("countries", ())),
        )
        for c in item["region_codes"]
    }
    return Platform(
        id=item["id"],
        name=item["name"],
        providers=tuple(item["providers"]),
        operator=_operator(item["operator"]),
        sources=tuple(item["sources"]),
        clouds={c["code"].upper(): c["vendor"] for c in item["clouds"]},
        clouds_source=item["clouds_source"],
        region_codes=codes,
        region_codes_source=default_source,
        selectors=tuple(
            Selector(
                types=tuple(s["types"]),
                region=s["region"],
                format=s["format"],
                source=s["source"],
                entries=s.get("entries", ""),
                cloud=tuple(s.get("cloud", ())),
                default_cloud=s.get("default_cloud", ""),
                separator=s.get("separator", "-"),
                unprefixed=s.get("unprefixed", ""),
                unprefixed_note=s.get("unprefixed_note", ""),
            )
            for s in item["selectors"]
        ),
        children=tuple(item["children"]),
    )


def spelled(vendor: str, code: str) -> str:
    """A platform's spelling of a region as the infrastructure vendor spells it. Platforms
    write regions in upper case with underscores (Atlas ``EU_WEST_1``, ``EUROPE_WEST_3``,
    ``GERMANY_WEST_CENTRAL``; Snowflake ``EU_CENTRAL_1``) or with dashes inside Azure names
    (Aiven ``germany-westcentral``); each vendor's own spelling is recovered by rule, and the
    result must still be a catalogued region of that vendor to count."""
    text = code.strip().lower()
    if vendor == "azure":
        return text.replace("_", "").replace("-", "")
    text = text.replace("_", "-")
    if vendor == "google":
        # europe-west-3 → europe-west3: Google writes the number without a dash.
        text = re.sub(r"-(\d+)$", r"\1", text)
    return text
