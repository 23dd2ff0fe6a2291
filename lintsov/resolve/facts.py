"""The evidence for catalogue facts that many resources share (a region's country, a
vendor, an operator's reach), built once per fact: resources, flows and state storage
all cite them the same way."""

from __future__ import annotations

from functools import lru_cache

from lintsov.catalogue import Law, Operator, Provider, Region
from lintsov.evidence import Evidence


@lru_cache(maxsize=1024)
def vendor_evidence(source: str, name: str, provider: Provider) -> Evidence:
    steps = (f"provider {source}", "lintsov's catalogue", f"source {provider.sources[0]}")
    return Evidence("vendor", name, steps)


@lru_cache(maxsize=4096)
def country_evidence(region: Region) -> Evidence:
    label = f"{region.kind} {region.id}" if region.kind != "region" else f"region {region.id}"
    steps = (f"{label} ({region.name}) in lintsov's catalogue", f"source {region.source}")
    return Evidence("country", ", ".join(region.countries), steps)


@lru_cache(maxsize=1024)
def reach_evidence(
    operator: Operator, own_operator: Region | None, guessed: bool, laws: tuple[Law, ...]
) -> Evidence:
    """Whose law reaches the operator. ``own_operator`` is a region with an operator of its
    own; ``guessed`` says the region, which could change the operator, is unknown. The same
    for every resource of one operator and region, so it is built once."""
    steps = [f"operator {operator.chain}"]
    if own_operator is not None:
        steps.append(f"region {own_operator.id} is run by {operator.entity.name}")
        if operator.note:
            steps.append(operator.note)
    elif guessed:
        steps.append("the vendor's default operator: the region, which can change it, is unknown")
    inherited = sorted({p.country for p in operator.parents} - {operator.entity.country})
    if inherited:
        steps.append(f"lintsov counts the parent companies' reach ({', '.join(inherited)}) too")
    if laws:
        steps.append(", ".join(f"{law.short} ({law.citation})" for law in laws))
    return Evidence("reach", ", ".join(operator.reach), tuple(steps))
