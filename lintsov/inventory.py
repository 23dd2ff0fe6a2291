"""The Inventory: every resource with its vendor, location, jurisdictions and sensitivity.

Each fact carries its evidence; each fact lintsov could not resolve carries the reason.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

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
class StaffGate:
    """A control, set in the configuration, that gates the vendor's staff's access to a
    resource's data: which control (its catalogue id and name), which resource sets it."""

    control: str
    name: str
    by: str
    evidence: Evidence


@dataclass(frozen=True)
class Layer:
    """One operator layer of a resource a managed platform holds: the platform itself
    (``role`` "platform") or the infrastructure vendor it runs on ("infrastructure")."""

    role: str
    vendor: str
    vendor_name: str
    operator: str
    # "Name (CC)", nearest first.
    parents: tuple[str, ...]
    reach: tuple[str, ...]


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
    # Vendor staff access: the controls the vendor offers to gate it (catalogue ids), those
    # the configuration sets for this resource, and settings seen that do not cover it.
    staff_offered: tuple[str, ...] = ()
    staff_gates: tuple[StaffGate, ...] = ()
    staff_notes: tuple[str, ...] = ()
    # A managed platform's resource: the platform and the infrastructure vendor(s) it runs
    # on, whose reaches ``reach`` joins. Empty for a resource with one operator.
    layers: tuple[Layer, ...] = ()

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({*self.countries, *self.reach}))

    @property
    def vendors(self) -> tuple[str, ...]:
        """Every vendor the resource depends on: the platform and its infrastructure, or
        the one vendor."""
        if self.layers:
            return tuple(dict.fromkeys(layer.vendor for layer in self.layers))
        return (self.vendor,) if self.vendor else ()

    def evidence_for(self, *facts: str) -> tuple[Evidence, ...]:
        # A list first: tuple() of a generator is slower, and rules ask for every finding.
        return tuple([e for e in self.evidence if e.fact in facts])

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


# Who holds the key OpenTofu encrypts state with: nobody (state is not encrypted), the team
# (a passphrase), a key service lintsov placed, or someone lintsov cannot tell.
KeyHolder = Literal["none", "team", "service", "unknown"]


@dataclass(frozen=True)
class StateKey:
    """How OpenTofu encrypts state before it leaves the machine, and who holds the key: a
    fact. Whether that key keeps the state out of a blocked jurisdiction's reach is SOV006's
    judgement (``mitigates``), as it is SOV002's for a data key (``KeyControl``).

    ``value`` names what encrypts state (``state encrypted with key_provider.pbkdf2.team``,
    or the method that does not); ``steps`` is the chain that says so, ending with the
    holder; ``service`` is where a key service (a KMS, an OpenBao server) holding the key
    was placed, and ``kind`` which service it is (``kms``, ``openbao``)."""

    value: str
    holder: KeyHolder
    steps: tuple[str, ...]
    service: Place | None = None
    kind: str = ""

    def mitigates(self, blocked: Collection[str]) -> bool:
        """The state is encrypted under a key no blocked jurisdiction's law reaches."""
        if self.holder == "team":
            return True
        if self.holder != "service" or self.service is None:
            return False
        return not set(self.service.jurisdictions) & set(blocked)

    @property
    def evidence(self) -> Evidence:
        return Evidence("encryption", self.value, self.steps)

    def reached_by(self, blocked: Collection[str]) -> list[str]:
        """The blocked jurisdictions whose law reaches the key service, sorted."""
        service = self.service
        return sorted(set(service.jurisdictions) & set(blocked)) if service else []


@dataclass(frozen=True)
class StateStorage:
    """Where Terraform state, which holds every secret of the configuration in plain text,
    is stored. ``encryption`` is how OpenTofu state encryption, when configured, keys it."""

    backend: str
    place: Place
    evidence: tuple[Evidence, ...]
    missing: tuple[Missing, ...] = ()
    encryption: StateKey | None = None
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Grant:
    """A principal granted access to a resource's data, and by what (lintsov/resolve/
    access.py). Facts only: whether the principal is trusted is the rule's judgement.

    ``kind``: "public" (anyone: ``*``, allUsers, an anonymous container), "aws" (an
    account, or a user or role in one), "service" (a vendor's service principal),
    "google" (a member: user, group, domain, service account, project role), "azure", or
    "unknown" (``unknown`` says why). ``owner`` is the account, project, domain or tenant
    the principal belongs to, "" when none can be told. ``limits`` are the conditions that
    restrict the grant to an organisation, account or source; ``own`` says the principal
    was shown to be the configuration's own (``data.aws_caller_identity`` and the like)."""

    target: str
    via: str
    what: str
    principal: str
    kind: str
    owner: str
    actions: tuple[str, ...]
    limits: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    own: bool = False
    unknown: str = ""
    # Values the limiting conditions compare against (org ids, account ids, ARNs).
    limit_values: tuple[str, ...] = ()
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
    # Where a finding about the whole input points (lintsov.anchor).
    anchor: SourceLocation | None = None
    # Who is granted access to which resource's data, sorted by target: the grants that
    # reach sensitive, data-holding resources and the keys that encrypt them (the only
    # ones SOV007 and the access view read; other policies are not parsed).
    grants: tuple[Grant, ...] = ()
    # Configuration folders only (lintsov.modules): None for plans, which are roots' runs.
    module_role: ModuleRole | None = None

    @cached_property
    def by_address(self) -> Mapping[str, ResolvedResource]:
        """The resources by address (the last, should a plan repeat one): built once for
        the rules that look up the resources their facts name (the flow rules)."""
        return {resource.address: resource for resource in self.resources}
