"""Vendor staff access (SOV008, off by default, and the inventory's staff-access view): which
controls gate the vendor's own staff's access to sensitive data, as the configuration shows
them or as the config records them; a setting that does not cover a resource is noted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import cli, plan_path

ENABLE = "rules:\n  SOV008:\n    enabled: true\n"
GOOGLE = """
provider "google" {
  project = "acme-prod"
  region  = "europe-west3"
}
resource "google_storage_bucket" "customers" {
  name     = "acme-customers"
  location = "EUROPE-WEST3"
  labels   = { data-classification = "confidential" }
}
"""


def folder(tmp_path: Path, hcl: str, config: str = ENABLE) -> str:
    (tmp_path / "main.tf").write_text(hcl)
    (tmp_path / ".lintsov.yaml").write_text(config)
    return str(tmp_path)


def sov008(path: str, *args: str) -> dict[str, dict[str, Any]]:
    result = cli(path, "--format", "json", "--fail-on", "never", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["findings"]
    return {f["address"]: f for f in found if f["rule"] == "SOV008"}


def staff(path: str) -> dict[str, dict[str, Any]]:
    result = cli("inventory", path, "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    (inventory,) = json.loads(result.output)["inputs"]
    return {r["address"]: r["staff_access"] for r in inventory["resources"] if "staff_access" in r}


def texts(finding: dict[str, Any]) -> list[str]:
    return [e["text"] for e in finding["evidence"] if e["fact"] == "staff access"]


def test_off_by_default(tmp_path: Path) -> None:
    assert sov008(folder(tmp_path, GOOGLE, "")) == {}


def test_fires_on_sensitive_google_data_without_a_control(tmp_path: Path) -> None:
    found = sov008(folder(tmp_path, GOOGLE))["google_storage_bucket.customers"]
    assert found["severity"] == "warning"
    assert found["message"] == (
        "sensitive data at Google Cloud, which offers controls over its staff's access "
        "(google-access-approval, google-key-access-justifications, google-cloud-ekm); none "
        "is seen for this resource in the configuration or recorded under staff_access: in "
        "the config"
    )
    assert texts(found) == [
        "staff access no control seen ← offered: google-access-approval, "
        "google-key-access-justifications, google-cloud-ekm"
    ]


def test_not_sensitive_data_is_not_reported(tmp_path: Path) -> None:
    plain = GOOGLE.replace('labels   = { data-classification = "confidential" }', "")
    assert sov008(folder(tmp_path, plain)) == {}


APPROVAL = """
resource "google_project_access_approval_settings" "prod" {
  project_id = "%s"
  enrolled_services {
    cloud_product = "%s"
  }
}
"""


def test_project_access_approval_for_all_services_gates_it(tmp_path: Path) -> None:
    path = folder(tmp_path, GOOGLE + APPROVAL % ("acme-prod", "all"))
    assert sov008(path) == {}
    view = staff(path)["google_storage_bucket.customers"]
    assert view["gated"] is True
    (gate,) = view["gated_by"]
    assert gate["control"] == "google-access-approval"
    assert gate["by"] == "google_project_access_approval_settings.prod"
    assert gate["evidence"].startswith(
        "staff access gated by Google Access Approval ← set for project acme-prod by "
        "google_project_access_approval_settings.prod, enrolling all ← "
    )


def test_access_approval_enrolling_the_resources_service_gates_it(tmp_path: Path) -> None:
    path = folder(tmp_path, GOOGLE + APPROVAL % ("acme-prod", "storage.googleapis.com"))
    assert sov008(path) == {}


def test_access_approval_enrolling_another_service_does_not(tmp_path: Path) -> None:
    path = folder(tmp_path, GOOGLE + APPROVAL % ("acme-prod", "bigquery.googleapis.com"))
    found = sov008(path)["google_storage_bucket.customers"]
    assert texts(found)[1] == (
        "staff access not covering ← google_project_access_approval_settings.prod enrols "
        "bigquery.googleapis.com in Google Access Approval, not the service of "
        "google_storage_bucket"
    )


def test_access_approval_of_another_project_does_not(tmp_path: Path) -> None:
    path = folder(tmp_path, GOOGLE + APPROVAL % ("acme-dev", "all"))
    found = sov008(path)["google_storage_bucket.customers"]
    assert texts(found)[1] == (
        "staff access not covering ← google_project_access_approval_settings.prod sets "
        "Google Access Approval for project acme-dev; the configuration does not show that "
        "google_storage_bucket.customers is in that project (its project: acme-prod)"
    )


ORGANISATION = """
provider "google" {
  region = "europe-west3"
}
resource "google_project" "data" {
  project_id = "acme-data"
  name       = "data"
  org_id     = "123456789"
}
resource "google_storage_bucket" "customers" {
  name     = "acme-customers"
  project  = google_project.data.project_id
  location = "EUROPE-WEST3"
  labels   = { data-classification = "confidential" }
}
resource "google_organization_access_approval_settings" "org" {
  organization_id = "%s"
  enrolled_services {
    cloud_product = "all"
  }
}
"""


def test_organisation_setting_gates_a_project_created_in_it(tmp_path: Path) -> None:
    path = folder(tmp_path, ORGANISATION % "123456789")
    assert sov008(path) == {}
    (gate,) = staff(path)["google_storage_bucket.customers"]["gated_by"]
    assert gate["by"] == "google_organization_access_approval_settings.org"


def test_organisation_setting_of_another_organisation_does_not(tmp_path: Path) -> None:
    path = folder(tmp_path, ORGANISATION % "999")
    assert "google_storage_bucket.customers" in sov008(path)


JUSTIFIED = """
provider "google" {
  project = "acme-prod"
  region  = "europe-west3"
}
resource "google_kms_key_ring" "ring" {
  name     = "ring"
  location = "europe-west3"
}
resource "google_kms_crypto_key" "data" {
  name     = "data"
  key_ring = google_kms_key_ring.ring.id
  key_access_justifications_policy {
    allowed_access_reasons = [%s]
  }
}
resource "google_storage_bucket" "customers" {
  name     = "acme-customers"
  location = "EUROPE-WEST3"
  labels   = { data-classification = "confidential" }
  encryption {
    default_kms_key_name = google_kms_crypto_key.data.id
  }
}
"""


def test_key_access_justifications_refusing_google_access_gate_it(tmp_path: Path) -> None:
    path = folder(tmp_path, JUSTIFIED % '"CUSTOMER_INITIATED_ACCESS"')
    # The key is gated by its own policy; the key ring, which holds keys, by nothing.
    assert set(sov008(path)) == {"google_kms_key_ring.ring"}
    (gate,) = staff(path)["google_storage_bucket.customers"]["gated_by"]
    assert gate["control"] == "google-key-access-justifications"
    assert gate["evidence"].startswith(
        "staff access gated by Google Key Access Justifications ← the data is encrypted "
        "under google_kms_crypto_key.data, whose policy allows only CUSTOMER_INITIATED_ACCESS"
    )


def test_key_access_justifications_allowing_everything_gate_nothing(tmp_path: Path) -> None:
    every = ", ".join(
        f'"{r}"'
        for r in (
            "CUSTOMER_INITIATED_ACCESS",
            "GOOGLE_INITIATED_SERVICE",
            "GOOGLE_INITIATED_REVIEW",
            "GOOGLE_INITIATED_SYSTEM_OPERATION",
            "MODIFIED_GOOGLE_INITIATED_SYSTEM_OPERATION",
            "GOOGLE_RESPONSE_TO_PRODUCTION_ALERT",
            "THIRD_PARTY_DATA_REQUEST",
        )
    )
    found = sov008(folder(tmp_path, JUSTIFIED % every))["google_storage_bucket.customers"]
    assert texts(found)[1] == (
        "staff access not covering ← google_kms_crypto_key.data has a Key Access "
        "Justifications policy that allows every Google-initiated reason, so it gates nothing"
    )


AWS = """
provider "aws" {
  region = "eu-central-1"
}
resource "aws_s3_bucket" "records" {
  bucket = "acme-records"
  tags   = { data-classification = "confidential" }
}
"""


def test_aws_data_without_an_external_key_store_is_reported(tmp_path: Path) -> None:
    found = sov008(folder(tmp_path, AWS))["aws_s3_bucket.records"]
    assert texts(found) == ["staff access no control seen ← offered: aws-xks"]


def test_an_external_key_gates_staff_access() -> None:
    # The key-control fixture encrypts aws_s3_bucket.records under an XKS key and
    # google_storage_bucket.archive under a Cloud EKM key.
    view = staff(str(Path(plan_path("x")).parent.parent / "hcl" / "key_control"))
    (xks,) = view["aws_s3_bucket.records"]["gated_by"]
    assert (xks["control"], xks["by"]) == ("aws-xks", "aws_kms_key.xks")
    (ekm,) = view["google_storage_bucket.archive"]["gated_by"]
    assert (ekm["control"], ekm["by"]) == ("google-cloud-ekm", "google_kms_crypto_key.ekm")
    # A customer-managed key in the vendor's own KMS gates nothing.
    assert view["aws_s3_bucket.ledger"]["gated"] is False


AZURE = """
provider "azurerm" {
  features {}
}
resource "azurerm_resource_group" "data" {
  name     = "data"
  location = "germanywestcentral"
}
resource "azurerm_storage_account" "records" {
  name                     = "acmerecords"
  resource_group_name      = azurerm_resource_group.data.name
  location                 = azurerm_resource_group.data.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = { data-classification = "confidential" }
}
"""
LOCKBOX = """
resource "azapi_resource_action" "lockbox" {
  type        = "Microsoft.CustomerLockbox@2018-02-28-preview"
  resource_id = "/providers/Microsoft.CustomerLockbox"
  action      = "enableLockbox"
  method      = "POST"
}
"""


def test_azure_data_without_customer_lockbox_is_reported(tmp_path: Path) -> None:
    found = sov008(folder(tmp_path, AZURE))["azurerm_storage_account.records"]
    assert texts(found) == ["staff access no control seen ← offered: azure-customer-lockbox"]


def test_customer_lockbox_enabled_in_the_configuration_gates_it(tmp_path: Path) -> None:
    path = folder(tmp_path, AZURE + LOCKBOX)
    assert sov008(path) == {}
    (gate,) = staff(path)["azurerm_storage_account.records"]["gated_by"]
    assert gate["evidence"].startswith(
        "staff access gated by Customer Lockbox for Microsoft Azure ← enabled for the whole "
        "tenant by azapi_resource_action.lockbox (enableLockbox)"
    )


def test_a_control_recorded_in_the_config_covers_the_resources_it_names(
    tmp_path: Path,
) -> None:
    two = GOOGLE + GOOGLE.split("}\n", 1)[1].replace('"customers"', '"audit"', 1)
    config = ENABLE + (
        "staff_access:\n"
        "  - control: google-access-approval\n"
        '    resources: ["google_storage_bucket.customers"]\n'
        "    reason: enrolled at the organisation, policy ORG-123\n"
    )
    assert set(sov008(folder(tmp_path, two, config))) == {"google_storage_bucket.audit"}


def test_a_control_of_another_vendor_covers_nothing(tmp_path: Path) -> None:
    config = ENABLE + "staff_access:\n  - control: aws-xks\n    reason: not ours\n"
    assert "google_storage_bucket.customers" in sov008(folder(tmp_path, GOOGLE, config))


def test_an_unknown_control_is_a_config_error(tmp_path: Path) -> None:
    config = "staff_access:\n  - control: google-acces-approval\n    reason: typo\n"
    result = cli(folder(tmp_path, GOOGLE, config), "--no-cache")
    assert result.exit_code == 2
    assert "unknown staff-access control 'google-acces-approval'" in result.output
    assert "(at staff_access[0].control)" in result.output


def test_an_entry_without_a_reason_is_a_config_error(tmp_path: Path) -> None:
    config = "staff_access:\n  - control: google-access-approval\n"
    result = cli(folder(tmp_path, GOOGLE, config), "--no-cache")
    assert result.exit_code == 2
    assert "reason" in result.output


def test_a_plan_shows_which_project_the_setting_covers(tmp_path: Path) -> None:
    (tmp_path / ".lintsov.yaml").write_text(ENABLE)
    plan = plan_path("staff_access_approval")
    found = sov008(plan, "--config", str(tmp_path / ".lintsov.yaml"))
    assert set(found) == {"google_storage_bucket.partner_share"}
    view = staff(plan)
    assert view["google_storage_bucket.customers"]["gated"] is True
    assert view["google_storage_bucket.partner_share"]["notes"] == [
        "google_project_access_approval_settings.prod sets Google Access Approval for project "
        "acme-prod; the configuration does not show that google_storage_bucket.partner_share "
        "is in that project (its project: acme-partner)"
    ]


def test_the_text_inventory_has_a_staff_access_view(tmp_path: Path) -> None:
    result = cli("inventory", folder(tmp_path, GOOGLE + APPROVAL % ("acme-prod", "all")))
    assert result.exit_code == 0, result.output
    assert (
        "  Vendor staff access to sensitive data (controls seen in the configuration):\n"
        "  google_storage_bucket.customers: gated by Google Access Approval "
        "(google_project_access_approval_settings.prod)\n"
    ) in result.output


def test_sarif_says_the_rule_is_off_by_default_and_when_a_config_enables_it(
    tmp_path: Path,
) -> None:
    path = folder(tmp_path, GOOGLE)
    result = cli(path, "--format", "sarif", "--fail-on", "never", "--no-cache")
    (run,) = json.loads(result.output)["runs"]
    (rule,) = [r for r in run["tool"]["driver"]["rules"] if r["id"] == "SOV008"]
    assert rule["defaultConfiguration"] == {"level": "warning", "enabled": False}
    (overrides,) = [i["ruleConfigurationOverrides"] for i in run["invocations"]]
    assert [(o["descriptor"]["id"], o["configuration"]) for o in overrides] == [
        ("SOV008", {"enabled": True})
    ]


def test_selecting_the_rule_turns_it_on_and_ignoring_it_off(tmp_path: Path) -> None:
    path = folder(tmp_path, GOOGLE, "")
    assert set(sov008(path, "--select", "SOV008")) == {"google_storage_bucket.customers"}
    assert set(sov008(path, "--select", "SOV001,SOV008")) == {"google_storage_bucket.customers"}
    # A prefix selects among the rules that run by default, as ruff's explicit selection.
    assert sov008(path, "--select", "SOV") == {}
    assert sov008(path, "--select", "SOV008,SOV001", "--ignore", "SOV008") == {}
