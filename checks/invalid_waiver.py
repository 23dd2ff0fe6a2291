"""LSV001: a waiver that does not waive, or that waived nothing.

What it does
  Reports a waiver that waives nothing: an inline `# lintsov:ignore RULE reason="..."
  until=YYYY-MM-DD` comment, or an entry under `waivers:` in the config file, that does not
  parse completely (a misspelt or unknown key, an unterminated quote, stray text), names a
  rule lintsov does not have, has no reason, whose `until` date has passed or is not a
  date, or (inline) that is neither inside a block nor on the comment lines right before
  one. Also reports a valid waiver that waived nothing in the run: an inline waiver for a
  rule that found nothing on its block, a config waiver whose address glob matches nothing
  in the inputs its config file applies to.

Why is this bad?
  A waiver is a decision someone must be able to defend to an auditor: what was accepted,
  why, and until when. A waiver without a reason is a silenced alarm; an expired one is a
  decision nobody renewed; a misspelt one (`untill=`) would never expire if it were read
  loosely. None of them silences anything, and each must be seen. A waiver that waived
  nothing silences nothing today, but left in place it will waive a future finding on
  that block without anyone judging it.

How lintsov decides
  - lintsov reads `# lintsov:ignore` (or `//`, `/*`) comments in .tf and .tofu files: on
    the lines right before a block (nothing but comments between) or inside it.
  - the grammar is strict: rule ids, comma-separated (`SOV001,SOV002`), then `key=value`
    fields with the keys `reason` (required) and `until` (optional, a real YYYY-MM-DD
    date), each at most once; a value is bare (no spaces or quotes) or in double or single
    quotes, where only \\, \" and \' are escapes. Anything else makes the whole waiver
    waive nothing, and the message says what and at which column.
  - a rule id must be one lintsov has: built in, or from an installed plugin.
  - config-file waivers name a rule and a resource address glob, for plan-only runs:
    `waivers: [{rule: SOV002, address: "module.legacy.*", reason: "...", until: 2027-03-31}]`.
    An unknown rule id there is a config error (exit 2).
  - from the day after `until` the waiver stops waiving, and the finding it waived counts
    again.
  - waived nothing: an inline waiver is judged over every input of the run together, for
    the rules that ran (a waiver for a rule the config disables is not judged); a config
    waiver over the inputs its config file applies to (each input has the nearest config
    file to it, so another folder's config waives nothing there). A waiver in a module from
    outside the root module's folder, or downloaded by `terraform init`, is not judged:
    root modules this run did not read may call that module.

Example
  # lintsov:ignore SOV002 reason="EU DPA signed" untill=2027-06-30
  resource "aws_s3_bucket" "customers" {}

Fix
  Correct the waiver, give the reason and, where the decision should be revisited, an end
  date; remove a waiver that waives nothing:
  # lintsov:ignore SOV002 reason="EU data boundary contract, ticket SEC-12" until=2027-06-30
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from lintsov.errors import shorten
from lintsov.evidence import Evidence
from lintsov.finding import Finding, Severity
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.rules import Scope
from lintsov.stack import SourceLocation, Waiver
from lintsov.waivers import Unused, problem

ID = "LSV001"
TITLE = "A waiver that does not waive"
SEVERITY: Severity = "warning"
SCOPE: Scope = "configuration"
TAGS = ("lintsov", "waiver")
SECURITY_SEVERITY = "3.0"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    places: dict[tuple[str, int], str] = {}
    for waiver in inventory.waivers:
        why = problem(waiver, policy.today, policy.known_rules)
        if why is not None:
            places = places or _places(inventory)
            yield _finding(waiver, _address(places, waiver), f"{_inline(waiver)} {why}")
    # Config-file waivers are the same for every input of their config; the finding names
    # the config file as its input, so that several inputs report it once.
    for waiver in policy.waivers:
        why = problem(waiver, policy.today, policy.known_rules)
        if why is not None:
            yield _config_finding(waiver, f"{_config(waiver)} {why}")


def check_unused(unused: Sequence[Unused], _policy: Policy) -> Iterator[Finding]:
    """The valid waivers that waived nothing in this run."""
    places: dict[str, dict[tuple[str, int], str]] = {}
    for idle in unused:
        waiver = idle.waiver
        if idle.inventory is None:
            yield _config_finding(
                waiver,
                f"{_config(waiver)} matches no resource in any input its config applies to, "
                "so it waives nothing; remove it, or correct its address",
            )
            continue
        rules = ", ".join(idle.rules)
        what = "it" if idle.rules == waiver.rules else f"{rules} from it"
        message = (
            f"{_inline(waiver)} waived no {rules} finding in this run; remove {what}, "
            "or it will waive a future finding unseen"
        )
        inventory = idle.inventory
        if inventory.path not in places:
            places[inventory.path] = _places(inventory)
        address = _address(places[inventory.path], waiver)
        yield replace(_finding(waiver, address, message), input=inventory.path)


def _inline(waiver: Waiver) -> str:
    return f"the waiver for {', '.join(waiver.rules) or 'no rule'}"


def _config(waiver: Waiver) -> str:
    return f"the config waiver for {', '.join(waiver.rules)} on {shorten(waiver.address)}"


def _places(inventory: Inventory) -> dict[tuple[str, int], str]:
    """Resource addresses by the file and first line of their block."""
    return {
        (r.location.file, r.location.line): r.address for r in inventory.resources if r.location
    }


def _address(places: dict[tuple[str, int], str], waiver: Waiver) -> str:
    """The address of the resource on the waiver's block, else the waiver's file:line."""
    return places.get((waiver.file, waiver.block_start), f"{waiver.file}:{waiver.line}")


def _config_finding(waiver: Waiver, message: str) -> Finding:
    return replace(_finding(waiver, waiver.address, message), input=waiver.file)


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
