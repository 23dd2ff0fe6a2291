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
        return f"{self.fact} is unknown: {self.reason}"


@dataclass(frozen=True)
class KeyControl:
    """The key that encrypts a resource's data, and who holds it.

    ``external`` says the key material is kept outside the vendor's own key service (AWS
    XKS, Google Cloud EKM); ``holder`` is where the external key manager was placed, None
    when it could not be (or the key is the vendor's own)."""

    key: str
    kind: str
    external: bool
    holder: Place | None
    evidence: tuple[Evidence, ...]

    def mitigates(self, blocked: frozenset[str]) -> bool:
        """The key is held outside the vendor, by someone no blocked jurisdiction reaches."""
        if not self.external or self.holder is None:
            return False
        return not (set(self.holder.jurisdictions) & blocked)


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
    # The key encrypting the data, when the configuration names one.
    key: KeyControl | None = None
    # Data-holding, and nobody classified it: no classification tag or label, no address
    # in the policy, no secret by nature. Counted in every report's summary.
    unclassified: bool = False

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({*self.countries, *self.reach}))

    def evidence_for(self, *facts: str) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.fact in facts)

    def missing_for(self, *facts: str) -> tuple[Missing, ...]:
        return tuple(m for m in self.missing if m.fact in facts)


@dataclass(frozen=True)
class Place:
    """Where data ends up and whose law reaches it there: the far end of a flow, or the
    storage of Terraform state."""

    what: str
    vendor: str | None
    vendor_name: str | None
    operator: str | None
    region: str | None
    countries: tuple[str, ...]
    reach: tuple[str, ...]
    laws: tuple[Law, ...] = ()

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({*self.countries, *self.reach}))


@dataclass(frozen=True)
class Flow:
    """Data that leaves its resource: replicated, copied, backed up or cached elsewhere.

    ``source`` is the resource holding the data, ``via`` the resource that sets the flow up
    (often the same), ``destination`` where the copy lands. ``missing`` says why lintsov
    could not place the destination.
    """

    kind: str
    source: str
    via: str
    destination: Place
    evidence: tuple[Evidence, ...]
    missing: Missing | None = None
    location: SourceLocation | None = None


@dataclass(frozen=True)
class StateStorage:
    """Where Terraform state, which holds every secret of the configuration in plain text,
    is stored. ``mitigation`` is evidence that the state is encrypted under a key held
    outside the vendor (OpenTofu state encryption)."""

    backend: str
    place: Place
    evidence: tuple[Evidence, ...]
    missing: tuple[Missing, ...] = ()
    mitigation: tuple[Evidence, ...] = ()
    location: SourceLocation | None = None


@dataclass(frozen=True)
class ModuleRole:
    """Whether a configuration folder is a root module (Terraform runs in it) or a reusable
    one (other modules call it), and why lintsov thinks so."""

    reusable: bool
    reason: str
    # The folders of the repository that call it, relative to the repository root.
    callers: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return "reusable" if self.reusable else "root"


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
    flows: tuple[Flow, ...] = ()
    state: StateStorage | None = None
    # Configuration folders only (lintsov.modules): None for plans, which are roots' runs.
    module_role: ModuleRole | None = None
