"""LSV001: a waiver that does not waive.

What it does
  Reports an inline `# lintsov:ignore RULE reason="..." until=YYYY-MM-DD` comment that
  waives nothing: it has no reason, its `until` date has passed or is not a date, it names
  no rule, or it is neither inside a block nor on the comment lines right before one.

Why is this bad?
  A waiver is a decision someone must be able to defend to an auditor: what was accepted,
  why, and until when. A waiver without a reason is a silenced alarm; an expired one is a
  decision nobody renewed. Both must be seen, and neither silences anything.

How lintsov decides
  - lintsov reads `# lintsov:ignore` (or `//`) comments in .tf and .tofu files: on the
    lines right before a block (nothing but comments between) or inside it.
  - Several rules may be listed, comma-separated: `# lintsov:ignore SOV001,SOV002 ...`.
  - `reason` is required; `until` is optional and, when given, a date. From the day after
    `until` the waiver stops waiving.

Example
  # lintsov:ignore SOV002
  resource "aws_s3_bucket" "customers" { ... }

Fix
  Give the reason and, where the decision should be revisited, an end date:
  # lintsov:ignore SOV002 reason="EU data boundary contract, ticket SEC-12" until=2027-06-30
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.stack import SourceLocation
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
        yield Finding(
            rule=ID,
            severity=SEVERITY,
            address=address,
            message=f"the waiver for {', '.join(waiver.rules) or 'no rule'} {why}",
            evidence=(Evidence("waiver", waiver.text, (f"{waiver.file}:{waiver.line}",)),),
            location=SourceLocation(waiver.file, waiver.line, waiver.line),
        )
