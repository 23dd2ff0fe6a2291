"""The inventory's access view: per sensitive, data-holding resource, who is granted access
to its data (on the resource, or on the key that encrypts it), and whether each principal
is trusted, external, public or unknown, judged against the config's `trusted:` set."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lintsov import trust
from lintsov.inventory import Inventory, ResolvedResource
from lintsov.policy import TrustedSet
from lintsov.report import Report

NOT_CONFIGURED = "not configured"


def _sensitive(inventory: Inventory) -> Iterator[ResolvedResource]:
    for resource in sorted(inventory.resources, key=lambda r: r.address):
        if resource.sensitive and resource.data_holding:
            yield resource


def judged(inventory: Inventory, trusted: TrustedSet | None) -> Iterator[trust.Judged]:
    """Every grant reaching a sensitive resource, judged; a grant on a key that
    encrypts several resources counts once per resource."""
    index = trust.by_target(inventory)
    for resource in _sensitive(inventory):
        for grant in trust.reaching_in(index, resource):
            yield trust.judge(grant, trusted)


def counts(inventory: Inventory, trusted: TrustedSet | None) -> dict[str, int]:
    """How many principals of each class reach sensitive data, by class."""
    found = dict.fromkeys(trust.CLASSES, 0)
    for item in judged(inventory, trusted):
        found[item.verdict] += 1
    return found


def rows(inventory: Inventory, trusted: TrustedSet | None) -> dict[str, Any]:
    index = trust.by_target(inventory)
    resources = []
    for resource in _sensitive(inventory):
        principals = []
        for grant in trust.reaching_in(index, resource):
            item = trust.judge(grant, trusted)
            principals.append(
                {
                    "principal": grant.principal,
                    "kind": grant.kind,
                    "class": item.verdict,
                    "why": item.why,
                    "owner": grant.owner or None,
                    "granted_by": grant.via,
                    "grant": grant.what,
                    "through_key": grant.target if grant.target != resource.address else None,
                    "actions": list(grant.actions),
                    "limits": list(grant.limits),
                    "evidence": [dict(e.to_json(), text=e.text()) for e in grant.evidence],
                }
            )
        resources.append({"address": resource.address, "principals": principals})
    return {"trusted": trusted.origin if trusted else None, "resources": resources}


def lines(inventory: Inventory, trusted: TrustedSet | None) -> list[str]:
    """The text view; nothing when no grant reaches sensitive data."""
    index = trust.by_target(inventory)
    body: list[str] = []
    for resource in _sensitive(inventory):
        grants = trust.reaching_in(index, resource)
        if not grants:
            continue
        body.append(f"  {resource.address}")
        for grant in grants:
            item = trust.judge(grant, trusted)
            key = f" (on key {grant.target})" if grant.target != resource.address else ""
            body.append(
                f"    {item.verdict}: {grant.principal} ← {grant.what} of {grant.via}{key}"
                f" ({item.why})"
            )
    if not body:
        return []
    source = f"`trusted:` of {trusted.origin}" if trusted else f"{NOT_CONFIGURED}, no `trusted:`"
    return ["", f"  Who can reach sensitive data (trusted set: {source}):", *body]


def summary(report: Report) -> str:
    """``principals reaching sensitive data: 2 public, 3 external, 1 unknown``, each input
    judged by its own config's trusted set; "" when none of those reach any."""
    total = dict.fromkeys(trust.CLASSES, 0)
    for inventory in report.outcome.inventories:
        config = report.config_of(inventory.path)
        trusted = config.policy.trusted if config is not None else None
        for verdict, count in counts(inventory, trusted).items():
            total[verdict] += count
    parts = [f"{total[c]} {c}" for c in trust.CLASSES if c in trust.REPORTED and total[c]]
    return f"principals reaching sensitive data: {', '.join(parts)}" if parts else ""
