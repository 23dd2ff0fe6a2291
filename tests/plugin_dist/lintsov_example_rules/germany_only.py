"""EXA001: data-holding resources must stay in Germany.

What it does
  Reports a data-holding resource whose region lies outside Germany, or whose country
  lintsov could not resolve.

Why is this bad?
  This team's data processing agreement names German data centres only.

Fix
  Move the resource to a German region, for example eu-central-1 or germanywestcentral.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov.finding import Finding, Severity, on_resource
from lintsov.inventory import Inventory
from lintsov.policy import Policy

ID = "EXA001"
TITLE = "Data-holding resource outside Germany"
SEVERITY: Severity = "warning"
TAGS = ("residency", "example")


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    for resource in inventory.resources:
        if not resource.data_holding or resource.countries == ("DE",):
            continue
        where = ", ".join(resource.countries) or "an unresolved country"
        yield on_resource(
            ID,
            SEVERITY,
            resource,
            f"data held in {where}, outside Germany",
            resource.evidence_for("data-holding", "region", "country"),
        )
