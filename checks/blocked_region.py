"""SOV001: sensitive data stored in a blocked jurisdiction.

What it does
  Reports a data-holding resource marked sensitive whose region lies in a country the
  policy blocks (default: US).

Why is this bad?
  Data stored in a country is under that country's law: its courts and agencies can
  compel access to it, whatever the contract says. Sensitive data (personal data, health
  data, trade secrets) in a blocked jurisdiction is the plainest sovereignty failure.

How lintsov decides
  - sensitive: a classification tag or label wherever the resource type keeps it
    (tags, settings.user_labels, metadata.labels, tag {} blocks, ...) or from the
    provider's default tags (data-classification=confidential, ...), an address glob in
    the policy, or, with sensitive.unclassified: sensitive, no classification at all on
    a data-holding resource. The evidence names the label and the path it was found at.
  - data-holding: the resource type is in the catalogue's list of types that store data.
  - region: the resource's own location attribute, then a parent it references, then the
    provider configuration's region; never a default. Multi-regions count every country
    they may use.
  - country: the region's country in the catalogue, with the catalogue's source.

Example
  provider "aws" { region = "us-east-1" }
  resource "aws_s3_bucket" "customers" {
    tags = { data-classification = "confidential" }
  }

Fix
  Move the resource to a region outside the blocked jurisdictions (for example
  eu-central-1), or, if the data is not sensitive, correct its classification tag.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov.finding import Finding, Severity, on_resource
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.rules import Scope

ID = "SOV001"
TITLE = "Sensitive data stored in a blocked jurisdiction"
SEVERITY: Severity = "error"
SCOPE: Scope = "resource"
TAGS = ("security", "sovereignty", "data-residency")
SECURITY_SEVERITY = "9.0"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    for resource in inventory.resources:
        if not (resource.sensitive and resource.data_holding):
            continue
        blocked = policy.blocked_reaching(resource.countries)
        if not blocked:
            continue
        where = ", ".join(resource.countries)
        # "us-east-1 (US)", but "US" alone where the region is named by its country.
        if resource.region and resource.region != where:
            where = f"{resource.region} ({where})"
        yield on_resource(
            ID,
            SEVERITY,
            resource,
            f"sensitive data stored in {where}, under blocked jurisdiction {', '.join(blocked)}",
            resource.evidence_for("sensitive", "data-holding", "region", "country"),
        )
