"""SOV008: sensitive data whose vendor's staff access no control is seen to gate.

What it does
  Reports a data-holding resource marked sensitive, at a vendor that offers its customers
  a control over its own staff's access to their data, when lintsov sees no such control
  set for that resource, in the configuration or recorded in the lintsov config. Off by
  default: enable it with `rules: {SOV008: {enabled: true}}` in the config, or select it
  by its id (`--select SOV008`; a prefix such as `--select SOV` does not turn it on).

Why is this bad?
  The vendor's support and engineering staff are a way to the data that neither the
  region nor the vendor's nationality shows: an employee you do not know, anywhere in the
  world, or a government that compels the vendor, can reach it unannounced. Where the
  vendor lets you require your approval or your key for that access, not using it leaves
  the door open.

How lintsov decides
  - sensitive and data-holding as for SOV001; vendor as for SOV002.
  - the controls each vendor offers come from the catalogue (`staff_controls.json`, each
    with its source): Google Access Approval, Key Access Justifications and Cloud EKM;
    AWS KMS external key stores (XKS); Customer Lockbox for Microsoft Azure.
  - a control counts when the configuration shows it covers the resource: an Access
    Approval setting (`google_project_access_approval_settings` and the folder and
    organisation ones) enrolling all services or the resource's service, for the
    resource's project, or for the folder or organisation the configuration creates that
    project in; a Key Access Justifications policy on the resource's key that refuses
    Google-initiated access; an external key (EKM, XKS) encrypting the data; Customer
    Lockbox enabled by an `azapi_resource_action` (`enableLockbox`), for the whole tenant.
  - a `staff_access:` entry of the lintsov config counts for the resources it names.

  The control may well be set outside this configuration: an organisation policy, a
  folder's settings in another repository, Customer Lockbox switched on in the portal.
  lintsov cannot see those. Record them in the config, with how you know, and the rule
  stops firing for the resources they cover:

    staff_access:
      - control: google-access-approval
        resources: ["module.data.*"]   # address globs; all resources when absent
        reason: "enrolled at the organisation, policy ORG-123"

Example
  provider "google" {
    project = "acme-prod"
    region  = "europe-west3"
  }
  resource "google_storage_bucket" "customers" {
    name     = "acme-customers"
    location = "EUROPE-WEST3"
    labels   = { data-classification = "confidential" }
  }

Fix
  Set the vendor's control (for example `google_project_access_approval_settings` with
  `enrolled_services { cloud_product = "all" }`), or, when it is set elsewhere, record it
  under `staff_access:` in the config.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov.evidence import Evidence
from lintsov.finding import Finding, Severity, on_resource
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.rules import Scope

ID = "SOV008"
TITLE = "Sensitive data whose vendor's staff access no control is seen to gate"
SEVERITY: Severity = "warning"
SCOPE: Scope = "resource"
TAGS = ("security", "sovereignty", "access")
SECURITY_SEVERITY = "5.0"
ENABLED_BY_DEFAULT = False


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    for resource in inventory.resources:
        if not (resource.sensitive and resource.data_holding and resource.staff_offered):
            continue
        if resource.staff_gates:
            continue
        declared = [
            d
            for d in policy.staff_access
            if d.control in resource.staff_offered and d.covers(resource.address)
        ]
        if declared:
            continue
        offered = ", ".join(resource.staff_offered)
        message = (
            f"sensitive data at {resource.vendor_name}, which offers controls over its "
            f"staff's access ({offered}); none is seen for this resource in the "
            "configuration or recorded under staff_access: in the config"
        )
        evidence = [
            *resource.evidence_for("sensitive", "data-holding", "vendor"),
            Evidence("staff access", "no control seen", ("offered: " + offered,)),
            *(Evidence("staff access", "not covering", (note,)) for note in resource.staff_notes),
        ]
        yield on_resource(ID, SEVERITY, resource, message, evidence)
