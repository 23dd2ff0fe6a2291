"""SOV006: Terraform state stored under a blocked jurisdiction.

What it does
  Reports the state backend when the state is stored in a blocked jurisdiction (default:
  US) or, in the `sovereignty` profile (the default), with a vendor whose operator a
  blocked jurisdiction's law reaches. In the `residency` profile only the location
  counts. When lintsov cannot tell where the state is stored (no region, a host it cannot
  place), it warns and says what is unknown. Local state (no backend) is not reported.

Why is this bad?
  Terraform state holds every secret of the configuration in plain text: database
  passwords, private keys, access tokens, connection strings, whether or not they are
  marked sensitive. Whoever can compel the state's storage provider (the US CLOUD Act,
  FISA §702 for a US operator, wherever the bucket sits) can read all of them, and with
  them the data the configuration protects. State is the one file that opens everything.

How lintsov decides
  - backend: the `backend` or `cloud` block of the root module; for a plan, the backend
    `terraform init` recorded in `.terraform/terraform.tfstate` beside the plan, else the
    configuration folder's (`--source`, or .tf files beside the plan). A plan alone does
    not say where state is kept: then there is nothing to report.
  - where: `s3` (AWS), `oss` (Alibaba Cloud), `cos` (Tencent Cloud) and `oci` (Oracle) by
    their `region`; `gcs` (Google) and `azurerm` (Microsoft) name only the vendor, whose
    reach is enough in the `sovereignty` profile, while the location stays unknown (a
    warning in `residency`). `cloud {}` and `remote` use HCP Terraform (app.terraform.io,
    HashiCorp, US) unless `hostname` names a Terraform Enterprise host. `http` (address),
    `pg` (conn_str), `consul` (address), `kubernetes` (host) and other backends reach a
    host, placed by the config's `endpoints:` or the catalogue's known endpoints, as is an
    `s3` backend pointed at an S3-compatible store (`endpoints = { s3 = ... }` or
    `endpoint`): the operator is whoever runs that host, not AWS.
  - whose law: the operator and its parents from the catalogue, as for SOV002.
  - mitigation: OpenTofu state encryption (`terraform { encryption {} }`) whose
    `state { method = ... }` uses a key no vendor under a blocked jurisdiction holds: a
    `pbkdf2` passphrase, or an `openbao` server whose `address` is placed outside the
    blocked jurisdictions. Then the finding is a warning that names the key provider. A
    key in a KMS run by a vendor the blocked law reaches (`aws_kms`, `gcp_kms`,
    `azure_vault`) is no mitigation: that law reaches the key as it reaches the state.
    Encryption configured only through TF_ENCRYPTION is not seen.

Example
  terraform {
    backend "s3" {
      bucket = "acme-terraform-state"
      key    = "prod/terraform.tfstate"
      region = "us-east-1"
    }
  }

Fix
  Keep state with a provider outside the blocked jurisdictions (an S3-compatible store
  run by a European provider, a `pg` database you run, Terraform Enterprise on your own
  hosts), or encrypt it with OpenTofu state encryption under a key you hold (`pbkdf2`, or
  your own OpenBao). If your organisation accepts the provider under a contract, waive the
  finding with the reason and an expiry date.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov.evidence import Evidence
from lintsov.finding import Finding, Severity
from lintsov.inventory import Inventory, StateKey, StateStorage
from lintsov.policy import Policy
from lintsov.rules import Scope

ID = "SOV006"
TITLE = "Terraform state stored under a blocked jurisdiction"
SEVERITY: Severity = "error"
# "input" would have --aggregate judge all inputs merged into one inventory, which has no
# state backend: each input's state is judged on its own, like a problem in its configuration.
SCOPE: Scope = "configuration"
TAGS = ("security", "sovereignty", "secrets", "terraform-state")
SECURITY_SEVERITY = "8.5"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    state = inventory.state
    if state is None:
        return
    place = state.place
    blocked = policy.blocked_reaching(place.countries, place.reach)
    missing = [m for m in state.missing if m.fact in policy.deciding_facts]
    key = state.encryption
    mitigated = key is not None and key.mitigates(policy.blocked)
    if blocked:
        message = _blocked(state, blocked, policy.counts_reach)
        severity = "warning" if mitigated else SEVERITY
    elif missing:
        message = f"Terraform state (backend {state.backend}) whose " + "; ".join(
            m.text() for m in missing
        )
        severity = "warning"
    else:
        return
    if key is not None and mitigated:
        law = f"{', '.join(blocked)} law" if blocked else "the blocked jurisdictions' law"
        message += f"; mitigated: {key.value}, a key out of {law}'s reach"
    yield Finding(
        rule=ID,
        severity=severity,
        address=place.what,
        message=message,
        evidence=_evidence(state, policy),
        vendor=place.vendor,
        region=place.region,
        countries=place.countries,
        jurisdictions=place.jurisdictions,
        location=state.location,
    )


def _blocked(state: StateStorage, blocked: list[str], counts_reach: bool) -> str:
    place = state.place
    where = place.region or "an unknown location"
    if place.countries:
        where += f" ({', '.join(place.countries)})"
    head = f"Terraform state (backend {state.backend}), which holds every secret in plain text,"
    if not counts_reach or set(place.countries) & set(blocked):
        return f"{head} is stored in {where}, under blocked jurisdiction {', '.join(blocked)}"
    laws = [law.short for law in place.laws if law.country in blocked]
    law_text = f"{', '.join(blocked)} law" + (f" ({', '.join(laws)})" if laws else "")
    return (
        f"{head} is held by {place.vendor_name}: {place.operator} is reachable under "
        f"{law_text} wherever the state sits (here {where})"
    )


def _evidence(state: StateStorage, policy: Policy) -> tuple[Evidence, ...]:
    facts = {"backend", "endpoint", "region", "country"}
    if policy.counts_reach:
        facts |= {"vendor", "operator", "reach"}
    found = tuple(e for e in state.evidence if e.fact in facts)
    key = state.encryption
    return found if key is None else (*found, _key_evidence(key, state, policy))


def _key_evidence(key: StateKey, state: StateStorage, policy: Policy) -> Evidence:
    """The state's encryption as a mitigation when its key is out of the blocked
    jurisdictions' reach, else with the reason it does not count."""
    if key.holder != "none" and key.mitigates(policy.blocked):
        return Evidence("mitigation", key.value, key.steps)
    reached = key.reached_by(policy.blocked)
    why: tuple[str, ...] = ()
    if reached and key.kind == "kms":
        service = key.service
        same = service is not None and service.vendor == state.place.vendor
        also = " (the same vendor that stores the state)" if same else ""
        why = (
            f"a key in the KMS of a vendor {', '.join(reached)} law reaches{also} is within "
            "that law's reach too",
        )
    elif reached:
        why = (f"{', '.join(reached)} law reaches it",)
    return Evidence("encryption", key.value, (*key.steps, *why, "no mitigation"))
