"""Policy: what the team counts as sensitive, which jurisdictions it blocks, and how it judges."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase

from lintsov.stack import Waiver

PROFILES = ("sovereignty", "residency")
# What a data-holding resource without a classification counts as.
UNCLASSIFIED = ("not-sensitive", "sensitive")

DEFAULT_SENSITIVE_KEYS = frozenset(
    {
        "data_classification",
        "data-classification",
        "dataclassification",
        "classification",
        "sensitivity",
        "confidentiality",
    }
)
DEFAULT_SENSITIVE_VALUES = frozenset(
    {
        "sensitive",
        "confidential",
        "restricted",
        "secret",
        "pii",
        "personal",
        "phi",
    }
)


@dataclass(frozen=True)
class EndpointRule:
    """An `endpoints:` entry of the config: host glob → the vendor and country behind it,
    or the organisation itself."""

    pattern: str
    vendor_name: str
    country: str
    own: bool
    origin: str

    def matches(self, host: str) -> bool:
        return fnmatchcase(host, self.pattern.lower())


@dataclass(frozen=True)
class Policy:
    # sovereignty: the operator's reach counts; residency: only where the bytes sit.
    profile: str = "sovereignty"
    blocked: frozenset[str] = frozenset({"US"})
    sensitive_keys: frozenset[str] = DEFAULT_SENSITIVE_KEYS
    sensitive_values: frozenset[str] = DEFAULT_SENSITIVE_VALUES
    sensitive_addresses: tuple[str, ...] = ()
    # Secret managers, key vaults, secure parameters and keys count as sensitive untagged.
    secrets_by_nature: bool = True
    # "sensitive": a data-holding resource nobody classified counts as sensitive; and where
    # that was set (the config file, or --unclassified), for the evidence.
    unclassified: str = "not-sensitive"
    unclassified_origin: str = ""
    max_vendor_share: float = 1.0
    # AUT001 judges no input with fewer hosting-vendor resources (its manual says why 3).
    min_vendor_resources: int = 3
    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    # Rule id -> severity, overriding the rule's default.
    severities: Mapping[str, str] = field(default_factory=dict)
    # The day waivers are judged against; None judges no waiver expired (library use).
    today: date | None = None
    # Waivers from the config file, by address glob (inline ones live with their blocks).
    waivers: tuple[Waiver, ...] = ()
    # The ids of the rules lintsov has, built-in and plugins (pipeline.judge sets them): a
    # waiver naming any other waives nothing.
    known_rules: frozenset[str] = frozenset()
    # Private endpoints the team places itself (host glob → vendor and country, or self).
    endpoints: tuple[EndpointRule, ...] = ()
