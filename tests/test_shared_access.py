"""Grants beyond IAM bindings and resource policies: Azure shared access policies (whose key
holders cannot be named) and Lighthouse delegations to another tenant, Google BigQuery
dataset access entries and Cloud Storage ACLs (lintsov/resolve/azure_access.py,
lintsov/resolve/google_acl.py), judged by SOV007 against the `trusted:` set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import cli, hcl_path, plan_path

AZURE = hcl_path("access_azure_keys_lighthouse")
GOOGLE = hcl_path("access_google_acls")
OWN_TENANT = "11111111-1111-1111-1111-111111111111"
PARTNER_TENANT = "99999999-9999-9999-9999-999999999999"


@pytest.fixture
def trusted(tmp_path: Path) -> str:
    config = tmp_path / ".lintsov.yaml"
    config.write_text(
        "trusted:\n"
        '  google_domains: ["acme.eu"]\n'
        '  google_projects: ["acme-prod"]\n'
        f'  azure_tenants: ["{OWN_TENANT}"]\n',
        encoding="utf-8",
    )
    return str(config)


def sov007(path: str, *args: str) -> dict[str, list[tuple[str, str]]]:
    """SOV007 (severity, message) by address."""
    result = cli(path, "--format", "json", "--fail-on", "never", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    found: dict[str, list[tuple[str, str]]] = {}
    for finding in json.loads(result.output)["findings"]:
        if finding["rule"] == "SOV007":
            found.setdefault(finding["address"], []).append(
                (finding["severity"], finding["message"])
            )
    return {address: sorted(messages) for address, messages in found.items()}


def principals(path: str, *args: str) -> dict[str, list[dict[str, Any]]]:
    result = cli("inventory", path, "--format", "json", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    view = json.loads(result.output)["inputs"][0]["access"]
    return {entry["address"]: entry["principals"] for entry in view["resources"]}


def classes(path: str, *args: str) -> dict[str, set[tuple[str, str, str]]]:
    """Per resource, (principal, class, granting resource)."""
    return {
        address: {(p["principal"], p["class"], p["granted_by"]) for p in found}
        for address, found in principals(path, *args).items()
        if found
    }


# --- Azure ----------------------------------------------------------------------------------


def test_a_listening_authorization_rule_lets_unknown_key_holders_read(trusted: str) -> None:
    found = sov007(AZURE, "--config", trusted)["azurerm_eventhub_namespace.events"]
    assert (
        "warning",
        "who can reach sensitive data is unknown: whoever holds the rule's key, or a token "
        "signed with it, can read; the configuration cannot show who holds it, granted by "
        "azurerm_eventhub_namespace_authorization_rule.reader shared access policy "
        "'partner-reader'",
    ) in found
    (holder,) = [
        p
        for p in principals(AZURE)["azurerm_eventhub_namespace.events"]
        if p["granted_by"].endswith("authorization_rule.reader")
    ]
    assert holder["principal"] == "anyone holding the key"
    assert holder["class"] == "unknown"  # never trusted, even with a trusted set
    assert holder["evidence"][0]["steps"] == [
        "listen of azurerm_eventhub_namespace_authorization_rule.reader"
    ]


def test_a_send_only_rule_and_a_write_only_stored_policy_grant_no_read() -> None:
    found = classes(AZURE)
    granted_by = {g for entries in found.values() for _, _, g in entries}
    assert "azurerm_servicebus_queue_authorization_rule.producer" not in granted_by
    share = found["azurerm_storage_share.contracts"]
    assert share == {
        (
            "anyone holding a SAS token issued under it",
            "unknown",
            "azurerm_storage_share.contracts",
        )
    }
    (message,) = sov007(AZURE)["azurerm_storage_share.contracts"]
    assert message[1].endswith(
        "granted by azurerm_storage_share.contracts stored access policy 'partner-read'"
    )


def test_lighthouse_delegation_to_another_tenant_is_external(trusted: str) -> None:
    found = sov007(AZURE, "--config", trusted)["azurerm_eventhub_namespace.events"]
    (external,) = [m for s, m in found if s == "error"]
    assert external.startswith(
        "sensitive data reachable by external principal aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa "
        f"({PARTNER_TENANT} is not in the trusted set of "
    )
    assert external.endswith(
        "granted by azurerm_lighthouse_definition.partner Lighthouse authorization role "
        "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    )
    (partner,) = [
        p
        for p in principals(AZURE, "--config", trusted)["azurerm_eventhub_namespace.events"]
        if p["granted_by"] == "azurerm_lighthouse_definition.partner"
    ]
    assert partner["evidence"][0]["steps"] == [
        "authorization[0] of azurerm_lighthouse_definition.partner",
        f"managing_tenant_id {PARTNER_TENANT} of azurerm_lighthouse_definition.partner",
        "delegates azurerm_resource_group.data, by azurerm_lighthouse_assignment.partner",
    ]


def test_lighthouse_scope_reaches_only_its_resource_group_and_a_trusted_tenant_passes(
    trusted: str,
) -> None:
    found = classes(AZURE, "--config", trusted)
    # The partner's assignment is scoped to the data group; the bus is in ops.
    assert found["azurerm_servicebus_namespace.bus"] == {
        ("bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb", "trusted", "azurerm_lighthouse_definition.own")
    }
    assert "azurerm_servicebus_namespace.bus" not in sov007(AZURE, "--config", trusted)


def test_without_trusted_a_lighthouse_tenant_is_trust_not_configured() -> None:
    found = classes(AZURE)["azurerm_eventhub_namespace.events"]
    assert (
        "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
        "trust not configured",
        "azurerm_lighthouse_definition.partner",
    ) in found
    messages = [m for _, m in sov007(AZURE)["azurerm_eventhub_namespace.events"]]
    assert not any("Lighthouse" in m for m in messages)


# --- Google ---------------------------------------------------------------------------------


def test_bigquery_access_entries_are_judged_like_iam_members(trusted: str) -> None:
    found = classes(GOOGLE, "--config", trusted)
    assert found["google_bigquery_dataset.crm"] == {
        ("projectOwner:acme-prod", "trusted", "google_bigquery_dataset.crm"),
        ("user:alice@acme.eu", "trusted", "google_bigquery_dataset.crm"),
        ("group:analysts@partner.example", "external", "google_bigquery_dataset.crm"),
        ("allAuthenticatedUsers", "public", "google_bigquery_dataset.crm"),
        ("domain:vendor.example", "external", "google_bigquery_dataset_access.vendor"),
    }
    # A service account named by user_by_email, in the organisation's project.
    assert found["google_bigquery_dataset.internal"] == {
        (
            "serviceAccount:etl@acme-prod.iam.gserviceaccount.com",
            "trusted",
            "google_bigquery_dataset.internal",
        )
    }


def test_bigquery_findings_name_the_entry(trusted: str) -> None:
    found = sov007(GOOGLE, "--config", trusted)
    assert "google_bigquery_dataset.internal" not in found
    messages = found["google_bigquery_dataset.crm"]
    assert (
        "error",
        "sensitive data is public: allAuthenticatedUsers (anyone), granted by "
        "google_bigquery_dataset.crm access role READER",
    ) in messages
    assert any(
        m.startswith("sensitive data reachable by external principal domain:vendor.example")
        and m.endswith("granted by google_bigquery_dataset_access.vendor access role READER")
        for _, m in messages
    )
    (entry,) = [
        p
        for p in principals(GOOGLE)["google_bigquery_dataset.crm"]
        if p["principal"] == "group:analysts@partner.example"
    ]
    assert entry["evidence"][0]["steps"] == ["access[2] of google_bigquery_dataset.crm"]


def test_storage_acls_entities_and_predefined_public_read(trusted: str) -> None:
    found = classes(GOOGLE, "--config", trusted)
    assert found["google_storage_bucket.scans"] == {
        ("user:alice@acme.eu", "trusted", "google_storage_bucket_acl.scans"),
        ("group:ops@outsourcer.example", "external", "google_storage_bucket_acl.scans"),
        # A project named by number cannot be matched to the trusted projects' ids.
        ("project-viewers-123456789012", "unknown", "google_storage_bucket_acl.scans"),
        ("domain:acme.eu", "trusted", "google_storage_default_object_acl.scans"),
    }
    assert sov007(GOOGLE)["google_storage_bucket.exports"] == [
        (
            "error",
            "sensitive data is public: allUsers (anyone), granted by "
            "google_storage_object_acl.export predefined ACL publicRead",
        )
    ]


# --- a plan ---------------------------------------------------------------------------------

PLAN = plan_path("access_acls_and_keys")


def test_plan_access_entries_acls_and_key_rules(trusted: str) -> None:
    found = classes(PLAN, "--config", trusted)
    assert found == {
        "azurerm_eventhub_namespace.events": {
            (
                "anyone holding the key",
                "unknown",
                "azurerm_eventhub_namespace_authorization_rule.reader",
            )
        },
        "google_bigquery_dataset.crm": {
            ("group:analysts@partner.example", "external", "google_bigquery_dataset.crm"),
            ("user:alice@acme.eu", "trusted", "google_bigquery_dataset.crm"),
        },
        "google_storage_bucket.scans": {
            ("user:alice@acme.eu", "trusted", "google_storage_bucket_acl.scans"),
            ("allAuthenticatedUsers", "public", "google_storage_bucket_acl.scans"),
        },
    }
    # Access left unset is read back after apply as the project's own roles: no grant.
    assert "google_bigquery_dataset.defaults" not in found
    assert sorted(sov007(PLAN, "--config", trusted)) == [
        "azurerm_eventhub_namespace.events",
        "google_bigquery_dataset.crm",
        "google_storage_bucket.scans",
    ]
