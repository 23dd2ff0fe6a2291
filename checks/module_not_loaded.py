"""LSV002: a module lintsov could not load, whose resources went unchecked.

What it does
  Warns about a module call whose configuration lintsov could not read: a registry or git
  source that `terraform init` has not downloaded, a local folder that does not exist, a
  module cycle, or a source that is not a literal string.

Why is this bad?
  The module's resources are not in the inventory, so no rule saw them. Passing over them
  in silence would be a false "clean".

How lintsov decides
  - Local sources (`./`, `../`) are read from their folder, recursively.
  - Registry and git sources are read from where `terraform init` put them, as listed in
    `.terraform/modules/modules.json` in the root folder.
  - A module that calls one of its own ancestors is a cycle and is not followed.
  - One module source that could not be loaded for one reason is reported once, at its
    first call, with every call path that uses it: a registry module called from ten
    places is one thing to fix, not ten.

Example
  module "vpc" {
    source = "terraform-aws-modules/vpc/aws"   # no terraform init yet
  }

Fix
  Run `terraform init` (or `tofu init`) before lintsov, or lint the plan
  (`terraform show -json`), which contains every module's resources.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov.evidence import Evidence
from lintsov.finding import Finding, Severity
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.rules import Scope
from lintsov.stack import UnloadedModule

ID = "LSV002"
TITLE = "A module lintsov could not load"
SEVERITY: Severity = "warning"
SCOPE: Scope = "configuration"
TAGS = ("lintsov", "coverage")
SECURITY_SEVERITY = "5.0"


# Call paths named in a message; the rest are counted.
_NAMED_CALLS = 5


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    calls: dict[tuple[str, str], list[UnloadedModule]] = {}
    for module in inventory.unloaded_modules:
        calls.setdefault((module.source, module.reason), []).append(module)
    for (source, reason), modules in calls.items():
        first = modules[0]
        if len(modules) == 1:
            message = f"{first.address} was not loaded, so its resources were not checked: "
        else:
            named = ", ".join(m.address for m in modules[:_NAMED_CALLS])
            more = len(modules) - _NAMED_CALLS
            others = f" and {more} more" if more > 0 else ""
            message = (
                f"{source} is called from {len(modules)} places ({named}{others}) and was not "
                "loaded, so their resources were not checked: "
            )
        yield Finding(
            rule=ID,
            severity=SEVERITY,
            address=first.address,
            message=message + reason,
            evidence=(
                Evidence("module source", source, ()),
                *(
                    Evidence("called from", m.address, (m.location.text(),) if m.location else ())
                    for m in modules[:_NAMED_CALLS]
                ),
                *(
                    (Evidence("called from", f"{len(modules) - _NAMED_CALLS} more call paths"),)
                    if len(modules) > _NAMED_CALLS
                    else ()
                ),
            ),
            location=first.location,
        )
