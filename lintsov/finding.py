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

    def __hash__(self) -> int:
        # Findings are kept in sets (identical findings from several inputs count once),
        # and the generated hash walked every field, evidence included, each time. Equal
        # findings agree on these four, so the hash stays consistent with ==; findings
        # that differ only further on are few and told apart by ==.
        return hash((self.rule, self.input, self.address, self.message))

    @property
    def country(self) -> str | None:
        return self.countries[0] if len(self.countries) == 1 else None

    def sort_key(self) -> tuple[int, str, str, str, str, int, EvidenceOrder]:
        # Total: findings that tie on everything a reader sees still sort the same way.
        line = self.location.line if self.location else 0
        return (
            SEVERITIES.index(self.severity),
            self.rule,
            self.input,
            self.address,
            self.message,
            line,
            EvidenceOrder(self.evidence),
        )

    def judged(self, input: str, severity: Severity) -> Finding:
        """This finding with its input and severity set, as the pipeline does for every
        finding of a run: ``dataclasses.replace`` without its per-call walk over the
        fields. Every field is carried over, those added later too."""
        if input == self.input and severity == self.severity:
            return self
        judged = object.__new__(Finding)
        judged.__dict__.update(self.__dict__, input=input, severity=severity)
        return judged


class EvidenceOrder:
    """Findings' evidence in sort order: by the texts a reader sees, worked out only for
    findings that tie on everything before it in ``Finding.sort_key``, which few do."""

    __slots__ = ("evidence",)

    def __init__(self, evidence: tuple[Evidence, ...]) -> None:
        self.evidence = evidence

    def texts(self) -> tuple[str, ...]:
        return tuple(e.text() for e in self.evidence)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EvidenceOrder):
            return NotImplemented
        return self.evidence == other.evidence or self.texts() == other.texts()

    def __lt__(self, other: EvidenceOrder) -> bool:
        return self.texts() < other.texts()

    def __hash__(self) -> int:
        return hash(self.texts())


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
