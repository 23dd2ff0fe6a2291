"""The filter stage for waivers: a finding covered by a valid waiver for its rule is set
aside, with the waiver that waived it. An inline waiver covers the block it sits on; a
config-file waiver covers the resource addresses its glob matches. Both follow the same
rules: a waiver without a reason, or past its `until` date, waives nothing (rule LSV001
reports it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase

from lintsov.finding import Finding
from lintsov.stack import Waiver


@dataclass(frozen=True)
class Waived:
    finding: Finding
    waiver: Waiver


def problem(waiver: Waiver, today: date | None) -> str | None:
    """Why a waiver does not waive, or None when it does."""
    if not waiver.rules:
        return "names no rule"
    if not waiver.reason:
        how = "reason: ..." if waiver.address else 'reason="..."'
        return f"has no reason, so it waives nothing; add {how}"
    if waiver.until:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", waiver.until):
            return f"until={waiver.until} is not a date (YYYY-MM-DD), so it waives nothing"
        try:
            until = date.fromisoformat(waiver.until)
        except ValueError:
            return f"until={waiver.until} is not a date, so it waives nothing"
        if today is not None and until < today:
            return f"expired on {waiver.until}, so it no longer waives"
    if not waiver.address and waiver.block_start == 0:
        return "is not on or right before a block, so it waives nothing"
    return None


def covers(waiver: Waiver, finding: Finding) -> bool:
    if waiver.address:
        return finding.rule in waiver.rules and fnmatchcase(finding.address, waiver.address)
    location = finding.location
    return (
        location is not None
        and finding.rule in waiver.rules
        and location.file == waiver.file
        and waiver.block_start <= location.line <= waiver.block_end
    )


def apply(
    findings: Iterable[Finding], waivers: Iterable[Waiver], today: date | None
) -> tuple[list[Finding], list[Waived]]:
    valid = [w for w in waivers if problem(w, today) is None]
    kept: list[Finding] = []
    waived: list[Waived] = []
    for finding in findings:
        match = next((w for w in valid if covers(w, finding)), None)
        if match is None:
            kept.append(finding)
        else:
            waived.append(Waived(finding, match))
    return kept, waived
