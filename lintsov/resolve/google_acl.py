"""Google grants outside IAM: BigQuery dataset ``access`` entries and Cloud Storage ACLs.

Facts only: each entry becomes a member in IAM's spelling (``user:``, ``group:``,
``domain:``, ``serviceAccount:``, ``allUsers``...), so that access.py judges nothing new and
the rule compares it with the trusted set like any IAM member.

Sources:
- BigQuery dataset access: https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/bigquery_dataset
  and .../bigquery_dataset_access; the special groups
  https://cloud.google.com/bigquery/docs/reference/rest/v2/datasets#Dataset.FIELDS.access
- Cloud Storage ACL entities and predefined ACLs:
  https://cloud.google.com/storage/docs/access-control/lists#scopes and
  https://cloud.google.com/storage/docs/access-control/lists#predefined-acl;
  resources .../storage_bucket_acl, .../storage_default_object_acl, .../storage_object_acl.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lintsov.resolve.values import Values, is_mapping

# Resource type → (attribute naming the resource it grants on, that resource's types).
# google_bigquery_dataset's own ``access`` blocks grant on the dataset itself.
ACL_TARGETS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "google_bigquery_dataset_access": ("dataset_id", ("google_bigquery_dataset",)),
    "google_storage_bucket_acl": ("bucket", ("google_storage_bucket",)),
    "google_storage_default_object_acl": ("bucket", ("google_storage_bucket",)),
    "google_storage_object_acl": ("bucket", ("google_storage_bucket",)),
}
READ = frozenset({"google_bigquery_dataset", *ACL_TARGETS})
# Predefined ACLs that grant beyond the bucket's own project; the others (private,
# projectPrivate, bucketOwnerRead, bucketOwnerFullControl) stay within it.
PUBLIC_PREDEFINED: Mapping[str, str] = {
    "publicRead": "allUsers",
    "publicReadWrite": "allUsers",
    "authenticatedRead": "allAuthenticatedUsers",
}
# BigQuery's special groups for the dataset's project roles, as IAM names those roles.
PROJECT_GROUPS: Mapping[str, str] = {
    "projectReaders": "projectViewer",
    "projectWriters": "projectEditor",
    "projectOwners": "projectOwner",
}
# BigQuery access entry fields naming a principal; view, dataset and routine entries
# authorise other BigQuery objects, not principals.
_ENTRY_FIELDS = ("user_by_email", "group_by_email", "domain", "special_group", "iam_member")


@dataclass(frozen=True)
class AclMember:
    """One principal an ACL or access entry grants: ``member`` in IAM's spelling, "" when
    it is unknown (``unknown`` says why)."""

    what: str
    member: str
    steps: tuple[str, ...]
    unknown: str = ""


def read(kind: str, address: str, values: Values, project: str) -> list[AclMember]:
    """The principals a dataset's access entries or a storage ACL grant; ``project`` is the
    resource's project ("" when lintsov cannot name it)."""
    if kind == "google_bigquery_dataset":
        return _dataset_blocks(address, values, project)
    if kind == "google_bigquery_dataset_access":
        return _dataset_entry(address, values)
    return _storage_acl(address, values)


def _dataset_blocks(address: str, values: Values, project: str) -> list[AclMember]:
    if values.is_unknown("access"):
        # Left unset, the provider reads back the default: the project's own roles.
        return []
    found: list[AclMember] = []
    blocks = values.known("access")
    for index, block in enumerate(blocks if isinstance(blocks, list) else ()):
        if is_mapping(block):
            found.extend(_entry(block, f"access[{index}] of {address}", project))
    if values.unknown_within("access"):
        why = "an access entry is known only after apply"
        found.append(AclMember("access entry", "", (f"access of {address}",), why))
    return found


def _dataset_entry(address: str, values: Values) -> list[AclMember]:
    if any(values.is_unknown(name) for name in _ENTRY_FIELDS):
        reason = next(
            (values.unknown_reason(n) for n in _ENTRY_FIELDS if values.unknown_reason(n)),
            None,
        )
        why = f"the member is unknown: {reason or 'it is known only after apply'}"
        return [AclMember("access entry", "", (f"access entry of {address}",), why)]
    entry = {name: values.known(name) for name in (*_ENTRY_FIELDS, "role")}
    # The special groups for project roles name the project the dataset is in, which a
    # separate access resource does not say.
    return _entry(entry, f"access entry of {address}", "")


def _entry(entry: Mapping[str, Any], where: str, project: str) -> list[AclMember]:
    role = entry.get("role")
    what = f"access role {role}" if isinstance(role, str) and role else "access entry"
    member = ""
    email = entry.get("user_by_email")
    if isinstance(email, str) and email:
        # BigQuery names service accounts by userByEmail too.
        prefix = "serviceAccount" if email.endswith(".gserviceaccount.com") else "user"
        member = f"{prefix}:{email}"
    for field_name, prefix in (("group_by_email", "group"), ("domain", "domain")):
        value = entry.get(field_name)
        if isinstance(value, str) and value:
            member = f"{prefix}:{value}"
    special = entry.get("special_group")
    if isinstance(special, str) and special:
        member = special
        if special in PROJECT_GROUPS:
            member = f"{PROJECT_GROUPS[special]}:{project}" if project else special
    iam_member = entry.get("iam_member")
    if isinstance(iam_member, str) and iam_member:
        member = iam_member
    if not member:
        return []  # an authorised view, dataset or routine: no principal
    return [AclMember(what, member, (where,))]


def _storage_acl(address: str, values: Values) -> list[AclMember]:
    found: list[AclMember] = []
    predefined = values.known("predefined_acl")
    if isinstance(predefined, str) and predefined in PUBLIC_PREDEFINED:
        steps = (f"predefined_acl {predefined} of {address}",)
        found.append(
            AclMember(f"predefined ACL {predefined}", PUBLIC_PREDEFINED[predefined], steps)
        )
    if values.is_unknown("role_entity") or values.unknown_within("role_entity"):
        reason = values.unknown_reason("role_entity") or "it is known only after apply"
        why = f"the ACL entity is unknown: {reason}"
        found.append(AclMember("ACL", "", (f"role_entity of {address}",), why))
        return found
    for pair in values.strings("role_entity"):
        role, _, entity = pair.partition(":")
        if entity:
            steps = (f"role_entity {pair} of {address}",)
            found.append(AclMember(f"ACL {role}", _member(entity), steps))
    return found


def _member(entity: str) -> str:
    """A storage ACL entity in IAM's spelling: ``user-a@acme.eu`` → ``user:a@acme.eu``.
    Project team entities (``project-viewers-<number>``) and bare ids stay as written: they
    name a project by number or a user by id, which lintsov cannot match to a domain."""
    if entity in ("allUsers", "allAuthenticatedUsers"):
        return entity
    kind, _, rest = entity.partition("-")
    if kind == "user" and rest.endswith(".gserviceaccount.com"):
        return f"serviceAccount:{rest}"
    if kind in ("user", "group", "domain") and ("@" in rest or kind == "domain"):
        return f"{kind}:{rest}"
    return entity
