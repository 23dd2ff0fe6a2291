"""Policy: what the team counts as sensitive, which jurisdictions it blocks, and how it judges.

Two parts with two readers. ``Classification`` is what resolution needs to state facts
(what marks data sensitive, which endpoints the team places itself); the rest of ``Policy``
(the blocked jurisdictions, the profile, thresholds, waivers) is judgement, read by the rules
and the filter only. Resolution is handed the ``Classification`` alone, so an inventory never
depends on what is blocked (and the folder cache can ignore it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from fnmatch import fnmatchcase
from typing import Literal, get_args

from lintsov.finding import Severity
from lintsov.stack import Waiver

Profile = Literal["sovereignty", "residency"]
PROFILES: tuple[Profile, ...] = get_args(Profile)
# What a data-holding resource without a classification counts as.
Unclassified = Literal["not-sensitive", "sensitive"]
UNCLASSIFIED: tuple[Unclassified, ...] = get_args(Unclassified)

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
class DeclaredStaffControl:
    """A `staff_access:` entry of the config: a staff-access control set outside the
    configuration, the resources it covers (address globs) and how the team knows."""

    control: str
    resources: tuple[str, ...]
    reason: str
    origin: str

    def covers(self, address: str) -> bool:
        return any(fnmatchcase(address, pattern) for pattern in self.resources)


@dataclass(frozen=True)
class TrustedSet:
    """The config's `trusted:`: who "we" are, for SOV007. ``origin`` is the config file."""

    aws_accounts: frozenset[str] = frozenset()
    aws_organizations: frozenset[str] = frozenset()
    azure_tenants: frozenset[str] = frozenset()
    google_domains: frozenset[str] = frozenset()
    google_projects: frozenset[str] = frozenset()
    origin: str = ""


@dataclass(frozen=True)
class Classification:
    """What resolution reads: how to tell sensitive data, and where the team's own endpoints
    are. Nothing here says what is blocked."""

    sensitive_keys: frozenset[str] = DEFAULT_SENSITIVE_KEYS
    sensitive_values: frozenset[str] = DEFAULT_SENSITIVE_VALUES
    sensitive_addresses: tuple[str, ...] = ()
    # Secret managers, key vaults, secure parameters and keys count as sensitive untagged.
    secrets_by_nature: bool = True
    # "sensitive": a data-holding resource nobody classified counts as sensitive; and where
    # that was set (the config file, or --unclassified), for the evidence.
    unclassified: Unclassified = "not-sensitive"
    unclassified_origin: str = ""
    # Private endpoints the team places itself (host glob → vendor and country, or self).
    endpoints: tuple[EndpointRule, ...] = ()


@dataclass(frozen=True)
class Policy(Classification):
    """The whole policy of a config: the classification (for resolution, which is handed
    ``classification`` alone) and the judgement (for the rules and the filter). One flat
    value, so that a config, a test or a library caller builds it in one call."""

    # sovereignty: the operator's reach counts; residency: only where the bytes sit.
    profile: Profile = "sovereignty"
    blocked: frozenset[str] = frozenset({"US"})
    max_vendor_share: float = 1.0
    # AUT001 judges no input with fewer hosting-vendor resources (its manual says why 3).
    min_vendor_resources: int = 3
    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    # Rules the config enables: a rule that is off by default runs only then.
    enabled_rules: frozenset[str] = field(default_factory=frozenset)
    # Rule id -> severity, overriding the rule's default.
    severities: Mapping[str, Severity] = field(default_factory=dict)
    # The day waivers are judged against; None judges no waiver expired (library use).
    today: date | None = None
    # Waivers from the config file, by address glob (inline ones live with their blocks).
    waivers: tuple[Waiver, ...] = ()
    # The ids of the rules lintsov has, built-in and plugins (pipeline.judge sets them): a
    # waiver naming any other waives nothing.
    known_rules: frozenset[str] = frozenset()
    # Who "we" are (SOV007); None when the config sets no `trusted:`.
    trusted: TrustedSet | None = None
    # Staff-access controls the team set outside the configuration (SOV008 counts them).
    staff_access: tuple[DeclaredStaffControl, ...] = ()

    def enables(self, rule_id: str, by_default: bool = True) -> bool:
        """Whether a rule runs under this policy: not disabled, and either on by default or
        enabled by the config."""
        return rule_id not in self.disabled_rules and (by_default or rule_id in self.enabled_rules)

    @property
    def classification(self) -> Classification:
        """The part of the policy resolution may read, as a value of its own: what
        resolution is given cannot reach the judgement."""
        return Classification(**{f.name: getattr(self, f.name) for f in fields(Classification)})

    @property
    def counts_reach(self) -> bool:
        """Whether the operator's reach counts (``sovereignty``), or only where the bytes
        sit (``residency``)."""
        return self.profile == "sovereignty"

    def blocked_reaching(self, countries: Iterable[str], reach: Iterable[str] = ()) -> list[str]:
        """The blocked jurisdictions that reach data kept in ``countries`` by an operator
        whose law reaches ``reach``, sorted: the location always counts, the operator's
        reach only in the ``sovereignty`` profile."""
        counted = {*countries, *reach} if self.counts_reach else set(countries)
        return sorted(counted & self.blocked)

    @property
    def deciding_facts(self) -> tuple[str, ...]:
        """The facts whose absence leaves the verdict open: the location always, the
        vendor and its operator (whose reach counts) only in the ``sovereignty`` profile."""
        return (
            ("region", "country", "vendor", "operator")
            if self.counts_reach
            else ("region", "country")
        )
