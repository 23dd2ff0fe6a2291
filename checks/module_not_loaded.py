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
from lintsov.finding import Finding
from lintsov.inventory import Inventory
from lintsov.policy import Policy

ID = "LSV002"
TITLE = "A module lintsov could not load"
SEVERITY = "warning"
SCOPE = "configuration"
TAGS = ("lintsov", "coverage")
SECURITY_SEVERITY = "5.0"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    for module in inventory.unloaded_modules:
        yield Finding(
            rule=ID,
            severity=SEVERITY,
            address=module.address,
            message=f"{module.address} was not loaded, so its resources were not checked: "
            f"{module.reason}",
            evidence=(Evidence("module source", module.source, ()),),
            location=module.location,
        )
