"""The Inventory: every resource with its vendor, location, jurisdictions and sensitivity.

Each fact carries its evidence; each fact lintsov could not resolve carries the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from lintsov.catalogue import Law
from lintsov.evidence import Evidence
from lintsov.stack import Backend, SourceLocation, UnloadedModule, Waiver


@dataclass(frozen=True)
class Missing:
    """A fact lintsov could not resolve, and why."""

    fact: str
    reason: str

    def text(self) -> str:
        return f"{self.fact} unknown: {self.reason}"


@dataclass(frozen=True)
class ResolvedResource:
    address: str
    type: str
    module: str
    action: str
    provider_source: str
    # "hosting", "utility" (random, null, ...) or "unknown" (not in the catalogue)
    provider_kind: str
    vendor: str | None
    vendor_name: str | None
    operator: str | None
    # The operator's parent companies, nearest first, as "Name (CC)".
    parents: tuple[str, ...]
    region: str | None
    region_name: str | None
    countries: tuple[str, ...]
    # Countries whose law reaches the operator, wherever the data sits.
    reach: tuple[str, ...]
    laws: tuple[Law, ...]
    data_holding: bool
    data_category: str | None
    sensitive: bool
    evidence: tuple[Evidence, ...]
    missing: tuple[Missing, ...]
    location: SourceLocation | None = None

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({*self.countries, *self.reach}))

    def evidence_for(self, *facts: str) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.fact in facts)

    def missing_for(self, *facts: str) -> tuple[Missing, ...]:
        return tuple(m for m in self.missing if m.fact in facts)


@dataclass(frozen=True)
class Inventory:
    path: str
    kind: str
    tool: str
    resources: tuple[ResolvedResource, ...]
    notes: tuple[str, ...] = ()
    backend: Backend | None = None
    unloaded_modules: tuple[UnloadedModule, ...] = ()
    waivers: tuple[Waiver, ...] = ()
