"""Clouds chosen by provider settings, and partner-operated clouds (``partners.json``).

A provider's name says whose technology it drives, not always who runs the cloud: the
`google` provider reaches Cloud de Confiance by S3NS when its `universe_domain` is
`s3nsapis.fr`, and azurerm reaches Azure operated by 21Vianet when its `environment` is
`china`. This module indexes the settings that choose a cloud, the values lintsov knows
for them, and the partner clouds whose operator is not the technology's licensor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# A project prefix is not a provider attribute: it is the part before ':' of `project`.
PROJECT_PREFIX = "project_prefix"


@dataclass(frozen=True)
class CloudSetting:
    """A provider attribute that chooses the cloud, its default when unset, and where
    else the provider may read it from (lintsov sees the configuration only)."""

    vendor: str
    providers: tuple[str, ...]
    attribute: str
    default: str
    outside: str
    source: str


@dataclass(frozen=True)
class SettingValue:
    """One known value of a cloud setting, and the operator of the cloud it chooses."""

    vendor: str
    attribute: str
    value: str
    operator: str
    name: str
    source: str


@dataclass(frozen=True)
class Partner:
    """A partner-operated cloud: the operator runs the licensor's technology."""

    vendor: str
    operator: str
    name: str
    licensor: str
    stake: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Partition:
    """An AWS partition other than the commercial one: its regions and host suffix."""

    vendor: str
    id: str
    name: str
    region_pattern: re.Pattern[str]
    dns_suffix: str
    source: str


@dataclass(frozen=True)
class Clouds:
    settings: tuple[CloudSetting, ...]
    values: Mapping[tuple[str, str, str], SettingValue]
    partners: Mapping[str, Partner]
    partitions: tuple[Partition, ...] = ()
    # (vendor, region id) → (operator id, source): regions a config maps to an operator.
    run_by: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def partition(self, vendor: str, region: str) -> Partition | None:
        """The partition a vendor's region lies in, when it is not the commercial one."""
        return next(
            (p for p in self.partitions if p.vendor == vendor and p.region_pattern.match(region)),
            None,
        )

    def settings_for(self, provider: str) -> tuple[CloudSetting, ...]:
        """The cloud settings of a provider, by its short source address (hashicorp/google)."""
        # Asked for most resources, with a handful of providers per input. The answer
        # depends on the provider and on this value's settings alone, which never change.
        found = self._settings_by_provider.get(provider)
        if found is None:
            found = tuple(s for s in self.settings if provider in s.providers)
            self._settings_by_provider[provider] = found
        return found

    @cached_property
    def _settings_by_provider(self) -> dict[str, tuple[CloudSetting, ...]]:
        return {}

    def value(self, vendor: str, attribute: str, text: str) -> SettingValue | None:
        return self.values.get((vendor, attribute, normalise(text)))


def normalise(text: str) -> str:
    """Setting values compare without case, surrounding space or a trailing dot."""
    return text.strip().rstrip(".").lower()


def clouds(document: Mapping[str, Any] | None) -> Clouds:
    if not document:
        return Clouds((), {}, {})
    settings = tuple(
        CloudSetting(
            vendor=s["vendor"],
            providers=tuple(s["providers"]),
            attribute=s["attribute"],
            default=s.get("default", ""),
            outside=s["outside"],
            source=s["source"],
        )
        for s in document.get("settings", ())
    )
    values = {
        (v["vendor"], v["attribute"], normalise(v["value"])): SettingValue(
            v["vendor"], v["attribute"], v["value"], v["operator"], v["name"], v["source"]
        )
        for v in document.get("values", ())
    }
    partners = {
        p["operator"]["id"]: Partner(
            vendor=p["vendor"],
            operator=p["operator"]["id"],
            name=p["name"],
            licensor=p["licensor"],
            stake=p["stake"],
            sources=tuple(p["sources"]),
        )
        for p in document.get("partners", ())
    }
    partitions = tuple(
        Partition(
            p["vendor"],
            p["id"],
            p["name"],
            re.compile(p["region_pattern"]),
            p["dns_suffix"],
            p["source"],
        )
        for p in document.get("partitions", ())
    )
    run_by = {
        (r["vendor"], normalise(r["region"])): (r["operator"], r["source"])
        for r in document.get("region_operators", ())
    }
    return Clouds(settings, values, partners, partitions, run_by)
