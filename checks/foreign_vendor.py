"""SOV002: sensitive data held by a vendor that a blocked jurisdiction's law reaches.

What it does
  Reports a data-holding resource marked sensitive whose operator, or any of the
  operator's parent companies, is incorporated in a blocked jurisdiction (default: US),
  wherever the region is. Active in the `sovereignty` profile (the default); off in
  `residency`, which judges only where the bytes sit.

Why is this bad?
  The US CLOUD Act (18 U.S.C. § 2713) obliges US providers to disclose data in their
  "possession, custody, or control" regardless of where it is stored, and FISA §702
  (50 U.S.C. § 1881a) lets US agencies compel US providers to assist surveillance of
  non-US persons. A bucket in Frankfurt run by a US-owned company is within their reach.
  The vendor's nationality counts, not only the region's.

How lintsov decides
  - sensitive and data-holding as for SOV001.
  - vendor: the provider's source address in the catalogue (hashicorp/aws → Amazon Web
    Services).
  - operator: the legal entity that runs the region and its parents up to the ultimate
    parent, from the catalogue. Some regions have their own operator (AWS China regions,
    Azure China, OVHcloud US, sovereign clouds), and provider settings can choose another
    cloud (google `universe_domain`, azurerm `environment`). In partner-operated clouds
    (S3NS, Bleu, Delos Cloud) the partner is the operator; the technology's licensor is
    named in the evidence and not counted. lintsov counts a parent's reach too, and
    says so in the evidence.
  - reach: the countries of the operator and its parents; the laws are the catalogue's
    laws of those countries.
  - layered operators: a managed platform (Aiven, MongoDB Atlas, Confluent Cloud, Elastic
    Cloud, ...) runs the service on an infrastructure vendor's cloud; the reach is both
    operators' together, and the finding names each one a blocked jurisdiction reaches,
    with its role (platform or infrastructure operator).
  - key control: when the data is encrypted under a key the vendor cannot use on its own,
    the finding is a warning that names the key and where it is held: an AWS KMS key in
    an external key store (XKS) or a Google Cloud EKM key (protection level EXTERNAL or
    EXTERNAL_VPC), whose external key manager lintsov places (through the config's
    `endpoints:` or the catalogue) outside the blocked jurisdictions. A customer-managed
    key in the vendor's own KMS, HSM or key vault is no mitigation, and the evidence says
    so.

Example
  provider "aws" { region = "eu-central-1" }
  resource "aws_s3_bucket" "customers" {
    tags = { data-classification = "confidential" }
  }

Fix
  Hold the data with a vendor outside the blocked jurisdictions (for example a
  European provider), or keep the data encrypted under keys the vendor cannot use. If
  your organisation accepts this vendor under a contract, waive the finding with the
  reason and an expiry date, or use the `residency` profile.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov.finding import Finding, Severity, on_resource
from lintsov.inventory import Inventory, Layer
from lintsov.policy import Policy
from lintsov.rules import Scope

ID = "SOV002"
TITLE = "Sensitive data held by a vendor under a blocked jurisdiction's law"
SEVERITY: Severity = "error"
SCOPE: Scope = "resource"
TAGS = ("security", "sovereignty", "cloud-act")
SECURITY_SEVERITY = "8.0"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    if not policy.counts_reach:
        return
    for resource in inventory.resources:
        if not (resource.sensitive and resource.data_holding):
            continue
        blocked = policy.blocked_reaching((), resource.reach)
        if not blocked:
            continue
        laws = [law.short for law in resource.laws if law.country in blocked]
        law_text = f"{', '.join(blocked)} law" + (f" ({', '.join(laws)})" if laws else "")
        owner = resource.operator or resource.vendor_name or resource.provider_source
        if resource.parents:
            owner += f" (parent {resource.parents[-1]})"
        holder = resource.vendor_name
        verb = "is"
        if resource.layers:
            holder, owner, verb = _layered_owner(resource.layers, blocked)
        where = resource.region or "an unresolved region"
        message = (
            f"sensitive data held by {holder}: {owner} {verb} reachable under "
            f"{law_text} wherever the data sits (here {where})"
        )
        evidence = resource.evidence_for(
            "sensitive", "data-holding", "region", "vendor", "operator", "infrastructure", "reach"
        )
        key = resource.key
        severity = SEVERITY
        if key is not None:
            evidence += key.evidence
            if key.mitigates(policy.blocked) and key.holder is not None:
                severity = "warning"
                held = ", ".join(key.holder.countries) or "no blocked jurisdiction"
                message += (
                    f"; mitigated: encrypted under {key.key} ({key.kind}), held by "
                    f"{key.holder.vendor_name} ({held}), which the vendor cannot use on its own"
                )
        yield on_resource(ID, severity, resource, message, evidence)


def _layered_owner(layers: tuple[Layer, ...], blocked: list[str]) -> tuple[str, str, str]:
    """For a managed platform's resource: who holds it ("Aiven on Google Cloud"), which of
    its operators a blocked jurisdiction reaches, each named with its role, and the verb."""
    platform, *infrastructure = layers
    holder = platform.vendor_name
    if infrastructure:
        holder += " on " + " and ".join(layer.vendor_name for layer in infrastructure)
    reached = [layer for layer in layers if set(layer.reach) & set(blocked)]
    named = []
    for layer in reached:
        role = f"{layer.role} operator"
        if layer.parents:
            role += f", parent {layer.parents[-1]}"
        named.append(f"{layer.operator} ({role})")
    return holder, " and ".join(named), "are" if len(named) > 1 else "is"
