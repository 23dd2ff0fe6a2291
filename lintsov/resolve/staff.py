"""Vendor staff access: which controls gate the vendor's own staff's access to the data.

The vendor's support and engineering staff are a way to the data that neither the region
nor the operator's nationality shows. Some vendors let the customer gate it: Google Access
Approval, Key Access Justifications, keys held outside the vendor (Cloud EKM, AWS XKS),
Azure Customer Lockbox. This module records, for each data-holding resource, which of its
vendor's controls the configuration sets for it and how lintsov knows: facts only. Whether
their absence matters is SOV008's to judge.

A setting counts for a resource only where the configuration shows that it covers it: an
Access Approval setting of a project covers the resources whose project is that project
(by value, or by the same ``google_project`` reference); a folder's or organisation's
setting covers them only when the configuration creates their project in that folder or
organisation. Anything else is noted, never assumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from lintsov.catalogue import Catalogue, StaffControl
from lintsov.evidence import Evidence
from lintsov.inventory import ResolvedResource, StaffGate
from lintsov.load.plan_json import strip_instance_keys
from lintsov.resolve.values import Values
from lintsov.stack import Known, ProviderConfig, Resource

APPROVAL_SCOPES = {
    "google_project_access_approval_settings": ("project_id", "project"),
    "google_folder_access_approval_settings": ("folder_id", "folder"),
    "google_organization_access_approval_settings": ("organization_id", "organisation"),
}
# Justification codes of access that Google's own staff or systems initiate, or that a third
# party (a government) requests: a Key Access Justifications policy that allows none of
# them refuses Google-side use of the key.
# https://cloud.google.com/assured-workloads/key-access-justifications/docs/justification-codes
GOOGLE_SIDE_REASONS = frozenset(
    {
        "GOOGLE_INITIATED_SERVICE",
        "GOOGLE_INITIATED_REVIEW",
        "GOOGLE_INITIATED_SYSTEM_OPERATION",
        "MODIFIED_GOOGLE_INITIATED_SYSTEM_OPERATION",
        "GOOGLE_RESPONSE_TO_PRODUCTION_ALERT",
        "THIRD_PARTY_DATA_REQUEST",
    }
)
# Customer Lockbox is switched on for a tenant by this ARM action.
# https://learn.microsoft.com/en-us/rest/api/customerlockbox/ (Post: enableLockbox)
LOCKBOX_PROVIDER = "microsoft.customerlockbox"
LOCKBOX_ACTION = "enablelockbox"
# The external key kinds keys.py names, and the control each is.
EXTERNAL_KEY_CONTROLS = (
    ("AWS KMS external key store", "aws-xks"),
    ("Google Cloud EKM", "google-cloud-ekm"),
)


@dataclass(frozen=True)
class _Approval:
    address: str
    scope: str  # project, folder or organisation
    idents: frozenset[str]
    shown: str  # the scope as the configuration names it, for the evidence
    products: tuple[str, ...]


@dataclass
class StaffFacts:
    """What resources say about staff-access controls, read while their values are decoded."""

    approvals: list[_Approval] = field(default_factory=list)
    # KMS key address -> the reasons its Key Access Justifications policy allows.
    justifications: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lockbox: list[str] = field(default_factory=list)
    # Data-holding Google resource address -> identities of its project.
    projects: dict[str, frozenset[str]] = field(default_factory=dict)
    # Project identity -> identities of the folder and organisation it is created in.
    parents: dict[str, frozenset[str]] = field(default_factory=dict)

    def gather(
        self, resource: Resource, values: Values, providers: Mapping[str, ProviderConfig]
    ) -> None:
        kind = resource.type
        if kind in APPROVAL_SCOPES:
            attribute, scope = APPROVAL_SCOPES[kind]
            idents = _idents(resource, values, attribute)
            products = tuple(
                str(service.get("cloud_product"))
                for service in _plain(values, "enrolled_services") or ()
                if isinstance(service, dict) and service.get("cloud_product")
            )
            shown = _shown(_plain(values, attribute), resource, attribute)
            self.approvals.append(
                _Approval(resource.address, scope, idents, shown, tuple(sorted(products)))
            )
        elif kind == "google_kms_crypto_key":
            policy = _plain(values, "key_access_justifications_policy")
            if isinstance(policy, list) and policy and isinstance(policy[0], dict):
                reasons = policy[0].get("allowed_access_reasons") or ()
                self.justifications[resource.address] = tuple(sorted(str(r) for r in reasons))
        elif kind == "azapi_resource_action":
            action = _plain(values, "action")
            target = f"{_plain(values, 'type') or ''} {_plain(values, 'resource_id') or ''}"
            if (
                isinstance(action, str)
                and action.lower() == LOCKBOX_ACTION
                and LOCKBOX_PROVIDER in target.lower()
            ):
                self.lockbox.append(resource.address)
        if kind == "google_project":
            own = _idents(resource, values, "project_id") | {_self(resource)}
            parents = _idents(resource, values, "folder_id") | _idents(resource, values, "org_id")
            for ident in own:
                self.parents[ident] = parents
        if resource.provider_source.endswith(("/google", "/google-beta")):
            idents = _idents(resource, values, "project")
            if not idents:
                idents = _provider_project(resource, providers)
            if idents:
                self.projects[resource.address] = idents


def _plain(values: Values, name: str) -> Any:
    """The attribute's value, unless Terraform marks it (or anything in it) sensitive: such a
    value may neither be printed in evidence nor matched on, so it counts as not known."""
    if values.sensitive_within(name):
        return None
    return values.known(name)


def _normal(value: str) -> str:
    # "projects/acme", "folders/123" and "organizations/456" name what "acme", "123" and
    # "456" do.
    return value.rsplit("/", 1)[-1]


def _self(resource: Resource) -> str:
    return f"ref:{strip_instance_keys(resource.address)}"


def _idents(resource: Resource, values: Values, attribute: str) -> frozenset[str]:
    """What names the thing an attribute points at: its known value, and the resources it
    references (so that two unknown project ids that reference one project still match)."""
    found: set[str] = set()
    value = _plain(values, attribute)
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
        found.add(_normal(str(value)))
    references = resource.configured.get(attribute, ())
    module = strip_instance_keys(resource.module) if references else ""
    for reference in references:
        head = ".".join(reference.split(".")[:2])
        if head.startswith(("var.", "local.", "data.", "module.")):
            continue
        found.add(f"ref:{module}.{head}" if module else f"ref:{head}")
    return frozenset(found)


def _shown(value: object, resource: Resource, attribute: str) -> str:
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
        return str(value)
    references = resource.configured.get(attribute, ())
    return references[0] if references else "(unknown until apply)"


def _provider_project(
    resource: Resource, providers: Mapping[str, ProviderConfig]
) -> frozenset[str]:
    candidates = resource.provider.candidates
    if len(candidates) != 1 or candidates[0] not in providers:
        return frozenset()
    project = providers[candidates[0]].attributes.get("project")
    if not isinstance(project, Known) or project.sensitive:
        return frozenset()
    if isinstance(project.value, str) and project.value:
        return frozenset({_normal(project.value)})
    return frozenset()


def attach(
    resolved: list[ResolvedResource], facts: StaffFacts, catalogue: Catalogue
) -> list[ResolvedResource]:
    """The data-holding resources with the staff-access controls the configuration sets for
    them, and the settings seen that do not cover them. Which controls their vendor offers
    resolution has already recorded (``staff_offered``)."""
    if not (facts.approvals or facts.justifications or facts.lockbox) and not any(
        r.key is not None and r.key.external for r in resolved
    ):
        return resolved  # no control anywhere: nothing to attach (most large plans)
    result: list[ResolvedResource] = []
    for resource in resolved:
        if not resource.staff_offered:
            result.append(resource)
            continue
        gates: list[StaffGate] = []
        notes: list[str] = []
        for control in catalogue.staff_controls_of(resource.vendor):
            found, why = _gates(resource, control, facts)
            gates.extend(found)
            notes.extend(why)
        if gates or notes:
            result.append(replace(resource, staff_gates=tuple(gates), staff_notes=tuple(notes)))
        else:
            result.append(resource)
    return result


def _gates(
    resource: ResolvedResource, control: StaffControl, facts: StaffFacts
) -> tuple[list[StaffGate], list[str]]:
    if control.id == "google-access-approval":
        return _approval(resource, control, facts)
    if control.id == "google-key-access-justifications":
        return _justifications(resource, control, facts)
    if control.id == "azure-customer-lockbox":
        gates = [
            StaffGate(
                control.id,
                control.name,
                address,
                Evidence(
                    "staff access",
                    f"gated by {control.name}",
                    (
                        f"enabled for the whole tenant by {address} (enableLockbox)",
                        control.gates,
                        control.sources[0],
                    ),
                ),
            )
            for address in facts.lockbox
        ]
        return gates, []
    for kind, control_id in EXTERNAL_KEY_CONTROLS:
        if control.id == control_id:
            key = resource.key
            if key is not None and key.external and key.kind.startswith(kind):
                evidence = Evidence(
                    "staff access",
                    f"gated by {control.name}",
                    (f"the data is encrypted under {key.key} ({key.kind})", control.gates),
                )
                return [StaffGate(control.id, control.name, key.key, evidence)], []
    return [], []


def _approval(
    resource: ResolvedResource, control: StaffControl, facts: StaffFacts
) -> tuple[list[StaffGate], list[str]]:
    gates: list[StaffGate] = []
    notes: list[str] = []
    service = control.service_of(resource.type)
    projects = facts.projects.get(resource.address, frozenset())
    parents = frozenset().union(*(facts.parents.get(p, frozenset()) for p in projects))
    for approval in facts.approvals:
        where = f"{approval.scope} {approval.shown}"
        covered = set(approval.products) & set(control.all_services)
        if not covered and service is not None:
            covered = set(approval.products) & set(service[1])
        if not covered:
            enrolled = ", ".join(approval.products) or "no service"
            notes.append(
                f"{approval.address} enrols {enrolled} in {control.name}, not the service "
                f"of {resource.type}"
            )
            continue
        scope_ids = projects if approval.scope == "project" else parents
        if not approval.idents & scope_ids:
            named = sorted(p for p in projects if not p.startswith("ref:"))
            known = f" (its project: {', '.join(named)})" if named else ""
            notes.append(
                f"{approval.address} sets {control.name} for {where}; the configuration "
                f"does not show that {resource.address} is in that {approval.scope}{known}"
            )
            continue
        gates.append(
            StaffGate(
                control.id,
                control.name,
                approval.address,
                Evidence(
                    "staff access",
                    f"gated by {control.name}",
                    (
                        f"set for {where} by {approval.address}, enrolling "
                        f"{', '.join(sorted(covered))}",
                        control.gates,
                    ),
                ),
            )
        )
    return gates, notes


def _justifications(
    resource: ResolvedResource, control: StaffControl, facts: StaffFacts
) -> tuple[list[StaffGate], list[str]]:
    # The key's own policy gates the key itself, and the data encrypted under it.
    own = resource.address if resource.address in facts.justifications else None
    address = own or (resource.key.key if resource.key is not None else None)
    if address is None or address not in facts.justifications:
        return [], []
    allowed = facts.justifications[address]
    refused = sorted(GOOGLE_SIDE_REASONS - set(allowed))
    if not refused:
        return [], [
            f"{address} has a Key Access Justifications policy that allows every "
            "Google-initiated reason, so it gates nothing"
        ]
    evidence = Evidence(
        "staff access",
        f"gated by {control.name}",
        (
            ("its own policy" if own else f"the data is encrypted under {address}, whose policy")
            + f" allows only {', '.join(allowed) or 'no reason'}",
            f"refused: {', '.join(refused)}",
        ),
    )
    return [StaffGate(control.id, control.name, address, evidence)], []
