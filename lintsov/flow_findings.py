"""What the flow rules share: a flow's text as a reader follows it, and the finding about it."""

from __future__ import annotations

from collections.abc import Iterator

from lintsov.evidence import Evidence
from lintsov.finding import Finding, Severity
from lintsov.inventory import Flow, Inventory, ResolvedResource


def sensitive_flows(inventory: Inventory) -> Iterator[tuple[Flow, ResolvedResource]]:
    """Each flow whose source holds sensitive data, with that source."""
    if not inventory.flows:
        return
    # The inventory's index, built once: indexing every resource of a large plan cost more
    # than the three flow rules' own work, once for each of them.
    sources = inventory.by_address
    for flow in inventory.flows:
        source = sources.get(flow.source)
        if source is not None and source.sensitive:
            yield flow, source


def path(flow: Flow, source: ResolvedResource) -> str:
    """``aws_s3_bucket.a (eu-central-1, DE) → replication via X → us-east-1 (US)``."""
    origin = f"{source.address} ({_where(source.region, source.countries)})"
    via = f" via {flow.via}" if flow.via != flow.source else ""
    end = flow.destination
    target = end.what if end.what == end.region else f"{end.what}"
    if end.region and end.what != end.region and end.region not in end.what:
        target += f" ({_where(end.region, end.countries)})"
    elif end.countries:
        target += f" ({', '.join(end.countries)})"
    return f"{origin} → {flow.kind}{via} → {target}"


def _where(region: str | None, countries: tuple[str, ...]) -> str:
    place = ", ".join(countries) or "country unknown"
    return f"{region}, {place}" if region else place


def finding(
    rule: str, severity: Severity, flow: Flow, source: ResolvedResource, message: str
) -> Finding:
    """A finding on the flow's source, pointing at the block that sets the flow up."""
    evidence = (
        *source.evidence_for("sensitive"),
        *flow.evidence,
        *_reach(flow),
    )
    return Finding(
        rule=rule,
        severity=severity,
        address=source.address,
        message=message,
        evidence=evidence,
        vendor=flow.destination.vendor,
        region=flow.destination.region,
        countries=flow.destination.countries,
        jurisdictions=flow.destination.jurisdictions,
        location=flow.location or source.location,
    )


def _reach(flow: Flow) -> tuple[Evidence, ...]:
    end = flow.destination
    if not end.reach:
        return ()
    laws = ", ".join(f"{law.short} ({law.citation})" for law in end.laws)
    steps = (f"operator {end.operator}",) + ((laws,) if laws else ())
    return (Evidence("reach", ", ".join(end.reach), steps),)
