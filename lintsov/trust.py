"""Trust: whether a principal granted access is the organisation's own, judged against the
config's `trusted:` set. Judgement, used by SOV007 and the inventory's access view; the
grants themselves are facts of the inventory (lintsov/resolve/access.py)."""

from __future__ import annotations

from dataclasses import dataclass

from lintsov.inventory import Grant, Inventory, ResolvedResource
from lintsov.policy import TrustedSet

# The classes, in the order reports list them.
CLASSES = ("public", "external", "unknown", "trust not configured", "service", "trusted")
# The classes SOV007 reports.
REPORTED = frozenset({"public", "external", "unknown"})


@dataclass(frozen=True)
class Judged:
    grant: Grant
    # One of CLASSES, and why, in words a finding can quote.
    verdict: str
    why: str


def judge(grant: Grant, trusted: TrustedSet | None) -> Judged:
    if grant.kind == "unknown":
        return Judged(grant, "unknown", grant.unknown or "the principal cannot be told")
    if grant.own:
        return Judged(
            grant, "trusted", f"the configuration's own account or project ({grant.owner})"
        )
    if grant.kind == "service":
        return Judged(grant, "service", "a service principal of the vendor, not a person")
    if grant.kind == "public":
        return _public(grant, trusted)
    if not grant.owner:
        return Judged(grant, "unknown", "lintsov cannot tell which account or domain it is in")
    if trusted is None:
        return Judged(grant, "trust not configured", f"of {grant.owner}; no `trusted:` set")
    if grant.owner.lower() in _trusted_owners(grant, trusted):
        return Judged(grant, "trusted", f"{grant.owner} is in the trusted set of {trusted.origin}")
    return Judged(grant, "external", f"{grant.owner} is not in the trusted set of {trusted.origin}")


def _trusted_owners(grant: Grant, trusted: TrustedSet) -> frozenset[str]:
    if grant.kind == "aws":
        return trusted.aws_accounts | trusted.aws_organizations
    if grant.kind == "google":
        return trusted.google_domains | trusted.google_projects
    if grant.kind == "azure":
        return trusted.azure_tenants
    return frozenset()


def _public(grant: Grant, trusted: TrustedSet | None) -> Judged:
    if not grant.limits:
        return Judged(grant, "public", "anyone")
    limited = ", ".join(grant.limits)
    if trusted is None:
        return Judged(grant, "trust not configured", f"limited by {limited}; no `trusted:` set")
    ours = trusted.aws_organizations | trusted.aws_accounts
    if any(_names_one_of(value, ours) for value in grant.limit_values):
        return Judged(
            grant, "trusted", f"limited by {limited}, in the trusted set of {trusted.origin}"
        )
    return Judged(
        grant, "external", f"limited by {limited}, none in the trusted set of {trusted.origin}"
    )


def _names_one_of(value: str, ours: frozenset[str]) -> bool:
    """An org id or account id, or an ARN (or ARN pattern) in one of our accounts."""
    value = value.lower()
    if value in ours:
        return True
    parts = value.split(":")
    return len(parts) > 4 and parts[0] == "arn" and parts[4] in ours


def by_target(inventory: Inventory) -> dict[str, list[Grant]]:
    """Grants by the resource they reach, built once per inventory."""
    found: dict[str, list[Grant]] = {}
    for grant in inventory.grants:
        found.setdefault(grant.target, []).append(grant)
    return found


def reaching_in(index: dict[str, list[Grant]], resource: ResolvedResource) -> list[Grant]:
    """The grants that reach a resource's data: on the resource, and on the key that
    encrypts it (whoever may decrypt may read)."""
    found = list(index.get(resource.address, ()))
    if resource.key is not None and resource.key.key != resource.address:
        found.extend(index.get(resource.key.key, ()))
    return found
