"""SOV003: sensitive data whose vendor or location lintsov cannot resolve.

What it does
  Reports a data-holding resource marked sensitive whose region, country, vendor or
  operator is unknown, and says what was missing.

Why is this bad?
  Unknown is not clean. A region that comes from the environment at apply time
  (AWS_REGION), from a data source, or from a module output can put the data anywhere;
  a provider lintsov does not know can be run by anyone. A linter that passes what it
  could not check gives a false "clean".

How lintsov decides
  - sensitive and data-holding as for SOV001. A resource of a provider lintsov does not
    know counts as data-holding when it is marked sensitive: lintsov cannot tell, and the
    tag says it holds sensitive data.
  - a flow of a sensitive resource (replication, copy, backup, see SOV004) whose
    destination lintsov cannot place is reported too, with the flow.
  - the region is missing when no location attribute, parent or provider setting names
    one in the plan, or when the value is known only after apply; the country is missing
    when the region is not in the catalogue; the vendor is missing when the provider's
    source address is not in the catalogue; the operator is missing when a provider
    setting that chooses the cloud (google `universe_domain`, azurerm `environment` or
    `metadata_host`) is unknown, or names a cloud the catalogue does not know, or
    disagrees with the region. In the `residency` profile only the location counts.

Example
  provider "aws" {}   # region from AWS_REGION at apply time
  resource "aws_db_instance" "patients" {
    tags = { classification = "phi" }
  }

Fix
  Set the region explicitly in the provider block or on the resource, or as a variable
  with a value in the plan; add unknown providers or regions to the catalogue in the
  config.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov import flow_findings
from lintsov.finding import Finding, Severity, on_resource
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.rules import Scope

ID = "SOV003"
TITLE = "Sensitive data whose vendor or location is unknown"
SEVERITY: Severity = "warning"
SCOPE: Scope = "resource"
TAGS = ("security", "sovereignty", "evidence")
SECURITY_SEVERITY = "5.0"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    facts = policy.deciding_facts
    for resource in inventory.resources:
        holds_data = resource.data_holding or resource.provider_kind == "unknown"
        if not (resource.sensitive and holds_data):
            continue
        missing = resource.missing_for(*facts)
        if not missing:
            continue
        yield on_resource(
            ID,
            SEVERITY,
            resource,
            "sensitive data whose " + "; ".join(m.text() for m in missing),
            resource.evidence_for("sensitive", "data-holding", "region", "vendor", "operator"),
        )
    for flow, source in flow_findings.sensitive_flows(inventory):
        if flow.missing is None:
            continue
        yield flow_findings.finding(
            ID,
            SEVERITY,
            flow,
            source,
            f"sensitive data flows to a destination lintsov cannot place: "
            f"{flow_findings.path(flow, source)}; {flow.missing.reason}",
        )
