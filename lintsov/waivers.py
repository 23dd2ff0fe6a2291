"""The filter stage for waivers: a finding covered by a valid waiver for its rule is set
aside, with the waiver that waived it. An inline waiver covers the block it sits on; a
config-file waiver covers the resource addresses its glob matches. Both follow the same
rules: a waiver that does not parse, names a rule lintsov does not have, has no reason, or
is past its `until` date waives nothing (rule LSV001 reports it).

A valid waiver that waived nothing is reported too (LSV001), because one left in place
would waive a future finding that nobody judged."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase

from lintsov.errors import quoted
from lintsov.finding import Finding
from lintsov.inventory import Inventory
from lintsov.stack import Waiver


@dataclass(frozen=True)
class Waived:
    finding: Finding
    waiver: Waiver


@dataclass(frozen=True)
class Unused:
    """A valid waiver that waived nothing in this run. Inline: ``rules`` are the rules it
    names that ran and whose findings it waived none of, and ``inventory`` is the input it
    was read with. Config: its address glob matched no resource or finding of the inputs its
    config file applied to."""

    waiver: Waiver
    rules: tuple[str, ...]
    inventory: Inventory | None = None


def problem(waiver: Waiver, today: date | None, known: Collection[str]) -> str | None:
    """Why a waiver does not waive, or None when it does. ``known``: the rules lintsov has."""
    if waiver.error:
        return f"does not parse: {waiver.error}; it waives nothing"
    if not waiver.rules:
        return "names no rule"
    unknown = [rule for rule in waiver.rules if rule not in known]
    if unknown:
        return (
            f"names {', '.join(unknown)}, not a rule lintsov has (known: "
            f"{', '.join(sorted(known))}), so it waives nothing"
        )
    if not waiver.reason:
        how = "reason: ..." if waiver.address else 'reason="..."'
        return f"has no reason, so it waives nothing; add {how}"
    if waiver.until:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", waiver.until):
            return f"until={quoted(waiver.until)} is not a date (YYYY-MM-DD), so it waives nothing"
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
    if finding.rule not in waiver.rules:
        return False
    if waiver.address:
        return fnmatchcase(finding.address, waiver.address)
    location = finding.location
    return (
        location is not None
        and location.file == waiver.file
        and waiver.block_start <= location.line <= waiver.block_end
    )


def apply(
    findings: Iterable[Finding],
    waivers: Iterable[Waiver],
    today: date | None,
    known: Collection[str],
) -> tuple[list[Finding], list[Waived]]:
    valid = [w for w in waivers if problem(w, today, known) is None]
    if not valid:  # the common case, and each finding would be looked at for nothing
        return list(findings), []
    kept: list[Finding] = []
    waived: list[Waived] = []
    for finding in findings:
        match = next((w for w in valid if covers(w, finding)), None)
        if match is None:
            kept.append(finding)
        else:
            waived.append(Waived(finding, match))
    return kept, waived


def unused_inline(
    found: Sequence[Inventory],
    findings: Iterable[Finding],
    today: date | None,
    known: Collection[str],
    ran: Mapping[str, Collection[str]],
) -> list[Unused]:
    """The valid inline waivers that waived nothing: for the rules that ran on an input
    holding them (``ran``: by inventory path; ``known`` are all that lintsov has), no
    finding of which they waived, across all inputs (a module may be evaluated in several of
    them, judged by different policies).

    An inline waiver in a shared module (``Waiver.shared``) is left alone: the root modules
    that this run did not read may need it."""
    by_rule = _by_rule(findings)
    holders: dict[tuple[str, int], list[Inventory]] = {}
    for inventory in found:
        for waiver in inventory.waivers:
            # Shared here may be a root module's own elsewhere in the run: judged there.
            if not waiver.shared:
                holders.setdefault((waiver.file, waiver.line), []).append(inventory)
    result: list[Unused] = []
    reported: set[tuple[str, int]] = set()
    for inventory in found:
        for waiver in inventory.waivers:
            place = (waiver.file, waiver.line)
            if waiver.shared or place in reported:
                continue
            reported.add(place)
            if problem(waiver, today, known) is not None:
                continue  # LSV001 reports it as it is
            judged = {rule for holder in holders[place] for rule in ran.get(holder.path, ())}
            idle = tuple(
                rule
                for rule in waiver.rules
                if rule in judged and not any(covers(waiver, f) for f in by_rule.get(rule, ()))
            )
            if idle:
                result.append(Unused(waiver, idle, inventory))
    return result


def unused_config(
    found: Sequence[Inventory],
    config: Sequence[Waiver],
    findings: Iterable[Finding],
    today: date | None,
    known: Collection[str],
) -> list[Unused]:
    """The valid waivers of a config file whose glob matches nothing in the inputs it
    applied to (``found``) or in their findings."""
    valid = [w for w in config if problem(w, today, known) is None]
    if not valid:
        return []
    addresses = _addresses(found, _by_rule(findings))
    return [
        Unused(waiver, waiver.rules)
        for waiver in valid
        if not any(fnmatchcase(address, waiver.address) for address in addresses)
    ]


def _by_rule(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    return by_rule


def _addresses(found: Sequence[Inventory], by_rule: Mapping[str, list[Finding]]) -> set[str]:
    addresses = {r.address for inventory in found for r in inventory.resources}
    return addresses | {f.address for findings in by_rule.values() for f in findings}
