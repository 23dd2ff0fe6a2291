"""Azure grants beyond anonymous containers: shared access policies, whose key (or a SAS
token signed with it) lets whoever holds it in, and Azure Lighthouse delegations, which
give principals of a managing tenant roles over a subscription or resource group.

Facts only. A key holder cannot be named from the configuration: the grant's principal is
"anyone holding the key", of kind "unknown" (never trusted, never guessed external).

Sources:
- Event Hubs and Service Bus authorization rules (``listen``, ``send``, ``manage``; manage
  implies listen): https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/eventhub_namespace_authorization_rule,
  .../eventhub_authorization_rule, .../servicebus_namespace_authorization_rule,
  .../servicebus_queue_authorization_rule, .../servicebus_topic_authorization_rule;
  https://learn.microsoft.com/azure/event-hubs/authorize-access-shared-access-signature
- Stored access policies (``acl { id access_policy { permissions } }``, r read, l list):
  .../storage_share, .../storage_table;
  https://learn.microsoft.com/rest/api/storageservices/define-stored-access-policy
- Lighthouse: .../lighthouse_definition (``managing_tenant_id``, ``authorization {
  principal_id role_definition_id }``), .../lighthouse_assignment (``scope``,
  ``lighthouse_definition_id``); https://learn.microsoft.com/azure/lighthouse/concepts/architecture
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lintsov.resolve.values import Values, is_mapping

# Rule type → (attributes naming the entity it grants on, that entity's types). azurerm
# 3.x and later name the entity by id, 2.x by name: both are read.
KEY_RULES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "azurerm_eventhub_namespace_authorization_rule": (
        ("namespace_name", "namespace_id"),
        ("azurerm_eventhub_namespace",),
    ),
    "azurerm_eventhub_authorization_rule": (
        ("eventhub_name", "eventhub_id"),
        ("azurerm_eventhub",),
    ),
    "azurerm_servicebus_namespace_authorization_rule": (
        ("namespace_id", "namespace_name"),
        ("azurerm_servicebus_namespace",),
    ),
    "azurerm_servicebus_queue_authorization_rule": (
        ("queue_id", "queue_name"),
        ("azurerm_servicebus_queue",),
    ),
    "azurerm_servicebus_topic_authorization_rule": (
        ("topic_id", "topic_name"),
        ("azurerm_servicebus_topic",),
    ),
}
# Resources whose ``acl`` blocks define stored access policies on themselves.
STORED_POLICIES = frozenset({"azurerm_storage_share", "azurerm_storage_table"})
KEY_HOLDER = "anyone holding the key"
TOKEN_HOLDER = "anyone holding a SAS token issued under it"
KEY_WHY = (
    "whoever holds the rule's key, or a token signed with it, can read; the configuration "
    "cannot show who holds it"
)
TOKEN_WHY = (
    "whoever holds a SAS token issued under the stored access policy can read; the "
    "configuration cannot show who holds one"
)
# A Lighthouse scope that is a whole subscription, written as a literal id.
SUBSCRIPTION_SCOPE = re.compile(r"^/subscriptions/[^/]+/?$")


@dataclass(frozen=True)
class KeyAccess:
    """One shared access policy that lets key or token holders read."""

    what: str
    principal: str
    actions: tuple[str, ...]
    step: str
    why: str


def key_rule(address: str, values: Values) -> KeyAccess | None:
    """An authorization rule that lets its key holders read (listen or manage); a
    send-only rule lets them write, not read, and grants no access to the data."""
    actions = tuple(
        right
        for right in ("listen", "send", "manage")
        if values.known(right) is True or values.is_unknown(right)
    )
    if "listen" not in actions and "manage" not in actions:
        return None
    name = values.known("name")
    shown = f"'{name}'" if isinstance(name, str) and name else "(unnamed)"
    step = f"{', '.join(actions)} of {address}"
    return KeyAccess(f"shared access policy {shown}", KEY_HOLDER, actions, step, KEY_WHY)


def stored_policies(address: str, values: Values) -> list[KeyAccess]:
    """Stored access policies whose permissions include read (r) or list (l)."""
    found: list[KeyAccess] = []
    acls = values.known("acl")
    for index, acl in enumerate(acls if isinstance(acls, list) else ()):
        if not is_mapping(acl):
            continue
        policy_id = acl.get("id")
        policies = acl.get("access_policy")
        for policy in policies if isinstance(policies, list) else ():
            permissions = policy.get("permissions") if is_mapping(policy) else None
            if not isinstance(permissions, str) or not set(permissions) & {"r", "l"}:
                continue
            shown = f"'{policy_id}'" if isinstance(policy_id, str) else f"acl[{index}]"
            step = f"acl {shown} permissions {permissions} of {address}"
            found.append(
                KeyAccess(
                    f"stored access policy {shown}",
                    TOKEN_HOLDER,
                    (permissions,),
                    step,
                    TOKEN_WHY,
                )
            )
    return found


@dataclass(frozen=True)
class Delegate:
    """One authorization of a Lighthouse definition: a principal of the managing tenant
    ("" when the tenant is unknown, ``unknown`` says why) and the role it is given."""

    principal: str
    tenant: str
    role: str
    steps: tuple[str, ...]
    unknown: str = ""


def lighthouse_definition(address: str, values: Values) -> list[Delegate]:
    tenant = values.known("managing_tenant_id")
    unknown = ""
    if not isinstance(tenant, str) or not tenant or values.is_unknown("managing_tenant_id"):
        reason = values.unknown_reason("managing_tenant_id") or "it is known only after apply"
        unknown = f"the managing tenant is unknown: {reason}"
        tenant = ""
    found: list[Delegate] = []
    blocks = values.known("authorization")
    for index, block in enumerate(blocks if isinstance(blocks, list) else ()):
        if not is_mapping(block):
            continue
        principal = block.get("principal_id")
        role = block.get("role_definition_id")
        steps = (
            f"authorization[{index}] of {address}",
            f"managing_tenant_id {tenant or '(unknown)'} of {address}",
        )
        if not isinstance(principal, str) or not principal:
            why = unknown or "the principal is known only after apply"
            found.append(Delegate("", tenant, str(role or "(unknown)"), steps, why))
            continue
        found.append(Delegate(principal, tenant, str(role or "(unknown)"), steps, unknown))
    return found


def is_subscription_scope(written: tuple[str, ...], value: object) -> bool:
    """Whether a Lighthouse assignment's scope is a whole subscription: a literal
    ``/subscriptions/<id>`` or the id of an ``azurerm_subscription`` data source."""
    if isinstance(value, str) and SUBSCRIPTION_SCOPE.match(value):
        return True
    return any("data.azurerm_subscription." in reference for reference in written)
