"""LSV001: a waiver that does not waive.

What it does
  Reports a waiver that waives nothing: an inline `# lintsov:ignore RULE reason="..."
  until=YYYY-MM-DD` comment, or an entry under `waivers:` in the config file, that has no
  reason, whose `until` date has passed or is not a date, that names no rule, or (inline)
  that is neither inside a block nor on the comment lines right before one.

Why is this bad?
  A waiver is a decision someone must be able to defend to an auditor: what was accepted,
  why, and until when. A waiver without a reason is a silenced alarm; an expired one is a
  decision nobody renewed. Both must be seen, and neither silences anything.

How lintsov decides
  - lintsov reads `# lintsov:ignore` (or `//`) comments in .tf and .tofu files: on the
    lines right before a block (nothing but comments between) or inside it.
  - Several rules may be listed, comma-separated: `# lintsov:ignore SOV001,SOV002 ...`.
  - Config-file waivers name a rule and a resource address glob, for plan-only runs:
    `waivers: [{rule: SOV002, address: "module.legacy.*", reason: "...", until: 2027-03-31}]`.
  - `reason` is required; `until` is optional and, when given, a date. From the day after
    `until` the waiver stops waiving, and the finding it waived counts again.

Example
  # lintsov:ignore SOV002
  resource "aws_s3_bucket" "customers" { ... }

Fix
  Give the reason and, where the decision should be revisited, an end date:
  # lintsov:ignore SOV002 reason="EU data boundary contract, ticket SEC-12" until=2027-06-30
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.stack import SourceLocation, Waiver
from lintsov.waivers import problem

ID = "LSV001"
TITLE = "A waiver that does not waive"
SEVERITY = "warning"
SCOPE = "configuration"
TAGS = ("lintsov", "waiver")
SECURITY_SEVERITY = "3.0"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    addresses = {
        (r.location.file, r.location.line): r.address for r in inventory.resources if r.location
    }
    for waiver in inventory.waivers:
        why = problem(waiver, policy.today)
        if why is None:
            continue
        address = addresses.get((waiver.file, waiver.block_start), f"{waiver.file}:{waiver.line}")
        yield _finding(
            waiver, address, f"the waiver for {', '.join(waiver.rules) or 'no rule'} {why}"
        )
    # Config-file waivers are the same for every input; the finding names the config file as
    # its input, so that several inputs report it once.
    for waiver in policy.waivers:
        why = problem(waiver, policy.today)
        if why is not None:
            message = f"the config waiver for {', '.join(waiver.rules)} on {waiver.address} {why}"
            yield replace(_finding(waiver, waiver.address, message), input=waiver.file)


def _finding(waiver: Waiver, address: str, message: str) -> Finding:
    where = f"{waiver.file}:{waiver.line}" if waiver.line else waiver.file
    return Finding(
        rule=ID,
        severity=SEVERITY,
        address=address,
        message=message,
        evidence=(Evidence("waiver", waiver.text, (where,)),),
        location=SourceLocation(waiver.file, waiver.line, waiver.line) if waiver.line else None,
    )
