"""Findings: what a rule reports, on which resource, with which evidence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from lintsov.evidence import Evidence
from lintsov.inventory import ResolvedResource
from lintsov.stack import SourceLocation

Severity = Literal["error", "warning"]
# Most severe first.
SEVERITIES: tuple[Severity, ...] = get_args(Severity)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    address: str
    message: str
    evidence: tuple[Evidence, ...]
    vendor: str | None = None
    region: str | None = None
    countries: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    input: str = ""
    location: SourceLocation | None = None

    @property
    def country(self) -> str | None:
        return self.countries[0] if len(self.countries) == 1 else None

    def sort_key(self) -> tuple[int, str, str, str, str, int, tuple[str, ...]]:
        # Total: findings that tie on everything a reader sees still sort the same way.
        line = self.location.line if self.location else 0
        evidence = tuple(e.text() for e in self.evidence)
        return (
            SEVERITIES.index(self.severity),
            self.rule,
            self.input,
            self.address,
            self.message,
            line,
            evidence,
        )


def on_resource(
    rule: str,
    severity: Severity,
    resource: ResolvedResource,
    message: str,
    evidence: Iterable[Evidence],
) -> Finding:
    """A finding about one resource, carrying its resolved location facts."""
    return Finding(
        rule=rule,
        severity=severity,
        address=resource.address,
        message=message,
        evidence=tuple(evidence),
        vendor=resource.vendor,
        region=resource.region,
        countries=resource.countries,
        jurisdictions=resource.jurisdictions,
        location=resource.location,
    )


def severity_at_least(severity: Severity, threshold: str) -> bool:
    return SEVERITIES.index(severity) <= SEVERITIES.index(threshold)
