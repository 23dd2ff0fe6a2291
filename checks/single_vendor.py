"""AUT001: every resource depends on the same hosting vendor.

What it does
  Warns when all resources that depend on a hosting vendor depend on one and the same
  vendor. With `max_vendor_share` below 1.0 it warns as soon as one vendor's share of
  those resources reaches that fraction.

Why is this bad?
  A single vendor is a single point of failure for autonomy: prices, terms, sanctions,
  export rules or an outage decide for you, and leaving becomes a migration project.
  Spreading across providers (hybrid, multi-cloud, a European provider beside a
  hyperscaler) keeps the choice yours.

How lintsov decides
  - Only resources of hosting providers count; utility providers (random, null, local,
    tls, time, ...) do not.
  - Providers of one vendor count as one (aws and awscc are both Amazon Web Services;
    azurerm, azuread and azapi are all Microsoft).
  - A managed platform's resource (an Aiven Kafka service on Google Cloud) depends on the
    platform and on the infrastructure vendor: it counts once for each, so a vendor's
    share is the share of resources that depend on it.
  - Resources whose vendor lintsov cannot tell (a provider not in the catalogue, or a
    generic provider such as openstack or vcd pointed at an endpoint it cannot place) are
    not counted, and the evidence says how many there were.
  - Generic providers count as whoever operates their endpoint: a private cloud placed
    through the config's `endpoints:` (or `self`) is a vendor of its own, so a hybrid of
    a private cloud and Azure is not single-vendor.
  - Judged per input; with `--aggregate`, across all inputs of the run together (an
    organisation-wide view), reported once for "(all inputs)".
  - Not judged below `min_vendor_resources` hosting-vendor resources (default 3): with one
    resource, "all on one vendor" is true by construction, and with two it is true of any
    pair that belongs together (a bucket and its policy, a key and its alias, a state
    bucket and its lock table). Such a folder is a fragment of an estate, not the estate,
    and a warning on every one of them makes `--fail-on warning` unusable; from three
    resources on, one vendor for all of them is a choice worth a look. Set it to 1 to
    judge every input.
  - Not judged on a reusable module (a folder another folder of the repository calls, or
    one without provider or backend configuration of its own): its vendor is chosen by
    the root modules that call it, and AUT001 judges those.

Example
  provider "aws" { region = "eu-central-1" }
  resource "aws_s3_bucket" "logs" {}
  resource "aws_sqs_queue" "jobs" {}
  resource "aws_sns_topic" "events" {}
  resource "random_id" "suffix" { byte_length = 4 }   # a utility, not counted

Fix
  Run part of the workload, or its backups, with a second vendor; or accept the
  concentration knowingly with a waiver that says why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from lintsov.evidence import Evidence
from lintsov.finding import Finding, Severity
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.rules import Scope

ID = "AUT001"
TITLE = "All resources depend on one hosting vendor"
SEVERITY: Severity = "warning"
SCOPE: Scope = "input"
TAGS = ("autonomy", "vendor-lock-in")
SECURITY_SEVERITY = "3.0"
ADDRESS = "(all resources)"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    if inventory.module_role is not None and inventory.module_role.reusable:
        return
    hosted = [r for r in inventory.resources if r.provider_kind == "hosting" and r.vendor]
    if not hosted or len(hosted) < policy.min_vendor_resources:
        return
    # A managed platform's resource depends on the platform and on its infrastructure
    # vendor: each counts it once.
    counts = Counter(v for r in hosted for v in r.vendors)
    names = {r.vendor: r.vendor_name for r in hosted}
    names.update({layer.vendor: layer.vendor_name for r in hosted for layer in r.layers})
    vendor, top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    share = top / len(hosted)
    if share < policy.max_vendor_share:
        return
    unknown = sum(
        1
        for r in inventory.resources
        if r.provider_kind == "unknown" or (r.provider_kind == "hosting" and not r.vendor)
    )
    breakdown = ", ".join(f"{names[v]}: {n}" for v, n in sorted(counts.items()))
    evidence = [
        Evidence(
            "vendor-share",
            f"{share:.0%}",
            (
                f"{top} of {len(hosted)} hosting-vendor resources use {names[vendor]}",
                f"resources per vendor: {breakdown}",
            ),
        )
    ]
    if unknown:
        evidence.append(
            Evidence(
                "not counted",
                str(unknown),
                (
                    "resources whose vendor lintsov could not tell (a provider not in the "
                    "catalogue, or an endpoint it cannot place)",
                ),
            )
        )
    if share >= 1.0 and len(hosted) == 1:
        message = f"the only resource that depends on a hosting vendor depends on {names[vendor]}"
    elif share >= 1.0:
        message = (
            f"all {len(hosted)} resources that depend on a hosting vendor depend on {names[vendor]}"
        )
    else:
        message = (
            f"{names[vendor]} holds {top} of {len(hosted)} hosting-vendor resources "
            f"({share:.0%}), at or above max_vendor_share {policy.max_vendor_share:g}"
        )
    yield Finding(
        rule=ID,
        severity=SEVERITY,
        address=ADDRESS,
        message=message,
        evidence=tuple(evidence),
        vendor=vendor,
    )
