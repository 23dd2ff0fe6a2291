"""Data flows: replication, copies, backups and edge caches, each placed at both ends, and
judged by SOV004 (into a blocked jurisdiction), SOV005 (edge caches) and SOV003 (a
destination lintsov cannot place)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import cli, hcl_path, plan_path


def report(path: str, *args: str) -> dict[str, Any]:
    result = cli(path, "--format", "json", "--fail-on", "never", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def fired(path: str, *rules: str) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for finding in report(path)["findings"]:
        if finding["rule"] in rules:
            found.setdefault((finding["rule"], finding["address"]), []).append(finding["message"])
    return found


def flows(path: str) -> list[dict[str, Any]]:
    document = json.loads(cli("inventory", path, "--format", "json", "--no-cache").output)
    found: list[dict[str, Any]] = document["inputs"][0]["flows"]
    return found


AWS = hcl_path("flows_aws")


def test_aws_flows_into_the_us_are_sov004_and_show_the_whole_flow() -> None:
    found = fired(AWS, "SOV004")
    assert set(found) == {
        ("SOV004", "aws_s3_bucket.customers"),
        ("SOV004", "aws_s3_bucket.payroll"),
        ("SOV004", "aws_db_instance.patients"),
        ("SOV004", "aws_dynamodb_table.sessions"),
        ("SOV004", "aws_secretsmanager_secret.api"),
    }
    assert found[("SOV004", "aws_s3_bucket.customers")] == [
        "sensitive data flows into blocked jurisdiction US: aws_s3_bucket.customers "
        "(eu-central-1, DE) → replication via aws_s3_bucket_replication_configuration.customers"
        " → aws_s3_bucket.customers_dr (us-east-1, US)"
    ]
    # The primary database has two flows out: a read replica and a backup copy.
    assert sorted(m.split(": ", 1)[1] for m in found[("SOV004", "aws_db_instance.patients")]) == [
        "aws_db_instance.patients (eu-central-1, DE) → backup copy via aws_backup_plan.nightly"
        " → aws region us-west-2 (US)",
        "aws_db_instance.patients (eu-central-1, DE) → read replica via "
        "aws_db_instance.patients_replica → aws_db_instance.patients_replica (us-east-1, US)",
    ]


def test_flows_inside_the_eu_are_not_findings() -> None:
    found = fired(AWS, "SOV004", "SOV003")
    assert ("SOV004", "aws_s3_bucket.invoices") not in found
    assert ("SOV004", "aws_dynamodb_table.carts") not in found
    by_source = {(f["source"], f["kind"]): f for f in flows(AWS)}
    carts = by_source[("aws_dynamodb_table.carts", "replica")]["destination"]
    assert (carts["region"], carts["countries"]) == ("eu-west-1", ["IE"])


def test_an_arn_destination_is_placed_through_the_arn() -> None:
    by_source = {(f["source"], f["kind"]): f for f in flows(AWS)}
    # The bucket is named only by its ARN; lintsov finds it by the bucket name.
    payroll = by_source[("aws_s3_bucket.payroll", "replication")]
    assert payroll["destination"]["what"] == "aws_s3_bucket.payroll_archive"
    texts = [e["text"] for e in payroll["evidence"] if e["fact"] == "destination"]
    assert texts[0].startswith(
        "destination aws_s3_bucket.payroll_archive ← named by the ARN "
        "arn:aws:s3:::acme-payroll-archive ← region us-east-1"
    )
    # The backup vault is in no configuration: the ARN's region part places it.
    backup = by_source[("aws_db_instance.patients", "backup copy")]
    assert backup["destination"]["region"] == "us-west-2"
    assert next(e["text"] for e in backup["evidence"] if e["fact"] == "destination").startswith(
        "destination us-west-2 ← region part of the ARN "
        "arn:aws:backup:us-west-2:123456789012:backup-vault:dr"
    )


def test_an_unplaceable_destination_is_sov003_naming_the_flow() -> None:
    found = fired(AWS, "SOV003")
    (message,) = found[("SOV003", "aws_s3_bucket.contracts")]
    assert message == (
        "sensitive data flows to a destination lintsov cannot place: aws_s3_bucket.contracts "
        "(eu-central-1, DE) → replication via aws_s3_bucket_replication_configuration.contracts"
        " → arn:aws:s3:::partner-contracts-inbox; arn:aws:s3:::partner-contracts-inbox names "
        "no region (S3 ARNs do not), and the bucket is not in this configuration"
    )


def test_sov004_points_at_the_block_that_sets_the_flow_up() -> None:
    finding = next(
        f
        for f in report(AWS)["findings"]
        if f["rule"] == "SOV004" and f["address"] == "aws_s3_bucket.customers"
    )
    assert finding["location"]["file"].endswith("flows_aws/main.tf")
    assert finding["location"]["line"] == 32  # the replication configuration
    facts = [e["fact"] for e in finding["evidence"]]
    assert facts[:3] == ["sensitive", "flow", "destination"]


def test_cdn_in_front_of_a_sensitive_bucket_is_sov005() -> None:
    found = fired(AWS, "SOV005")
    assert list(found) == [("SOV005", "aws_s3_bucket.invoices")]
    (message,) = found[("SOV005", "aws_s3_bucket.invoices")]
    assert message.startswith(
        "sensitive origin served through Amazon CloudFront, which caches in US and is "
        "run by Amazon Web Services, Inc., reachable under US law: aws_s3_bucket.invoices"
    )


def test_the_residency_profile_still_judges_flows_by_country() -> None:
    document = report(AWS, "--profile", "residency")
    rules = {(f["rule"], f["address"]) for f in document["findings"]}
    assert ("SOV004", "aws_s3_bucket.customers") in rules
    assert not [r for r in rules if r[0] == "SOV002"]


AZURE = hcl_path("flows_azure")


def test_azure_geo_redundancy_follows_microsofts_region_pairs() -> None:
    found = fired(AZURE, "SOV004")
    # Brazil South pairs with South Central US; Germany West Central with Germany North.
    assert found[("SOV004", "azurerm_storage_account.brazil")] == [
        "sensitive data flows into blocked jurisdiction US: azurerm_storage_account.brazil "
        "(brazilsouth, BR) → geo-redundant copy (GRS) → azure region southcentralus (US)"
    ]
    assert ("SOV004", "azurerm_storage_account.germany") not in found
    assert ("SOV004", "azurerm_storage_account.local") not in found
    germany = next(f for f in flows(AZURE) if f["source"] == "azurerm_storage_account.germany")
    assert (germany["destination"]["region"], germany["destination"]["countries"]) == (
        "germanynorth",
        ["DE"],
    )
    pair = next(e["text"] for e in germany["evidence"] if e["fact"] == "destination")
    assert "azure pairs germanywestcentral with germanynorth" in pair


def test_azure_cosmos_failover_group_and_vault_flows() -> None:
    found = fired(AZURE, "SOV004")
    assert {
        ("SOV004", "azurerm_cosmosdb_account.orders"),
        ("SOV004", "azurerm_mssql_server.primary"),
        ("SOV004", "azurerm_recovery_services_vault.backups"),
    } <= set(found)


GOOGLE = hcl_path("flows_google")


def test_google_bigquery_copy_and_cloud_cdn() -> None:
    found = fired(GOOGLE, "SOV004", "SOV005")
    assert ("SOV004", "google_bigquery_dataset.analytics") in found
    assert ("SOV005", "google_storage_bucket.archive") in found
    # A custom dual-region inside the EU stays in the EU.
    archive = [f for f in flows(GOOGLE) if f["kind"] == "dual-region copy"]
    assert sorted(f["destination"]["region"] for f in archive) == ["europe-west3", "europe-west4"]
    assert ("SOV004", "google_storage_bucket.archive") not in found


@pytest.mark.parametrize(
    ("address", "rule"),
    [("google_spanner_instance.ledger", "SOV003"), ("google_spanner_instance.accounts", None)],
)
def test_spanner_instance_sits_where_its_configuration_says(address: str, rule: str | None) -> None:
    findings = {(f["rule"], f["address"]) for f in report(GOOGLE)["findings"]}
    residency = [r for r, a in findings if a == address and r in ("SOV001", "SOV003")]
    assert residency == ([rule] if rule else [])


def test_flows_are_read_from_plans_too() -> None:
    found = fired(plan_path("s3_replication_to_us"), "SOV004")
    assert found == {
        ("SOV004", "aws_s3_bucket.records"): [
            "sensitive data flows into blocked jurisdiction US: aws_s3_bucket.records "
            "(eu-central-1, DE) → replication via "
            "aws_s3_bucket_replication_configuration.records → aws_s3_bucket.records_dr "
            "(us-east-1, US)"
        ]
    }


def test_inventory_lists_flows_in_every_format() -> None:
    text = cli("inventory", AWS, "--no-cache").output
    assert "Data flows (source → kind → destination):" in text
    assert (
        "aws_s3_bucket.customers → replication via aws_s3_bucket_replication_configuration."
        "customers → aws_s3_bucket.customers_dr (us-east-1, US)"
    ) in text
    csv_text = cli("inventory", AWS, "--format", "csv", "--no-cache").output
    header, *rows = csv_text.splitlines()
    assert header.endswith(",flows")
    assert any(
        r.startswith(f"{AWS},aws_dynamodb_table.sessions,") and "us-west-2" in r for r in rows
    )


CLOUDFLARE = hcl_path("flows_cloudflare")


def test_cloudflare_regional_hostname_keeps_processing_in_the_region() -> None:
    residency = {
        (f["rule"], f["address"])
        for f in report(CLOUDFLARE, "--profile", "residency")["findings"]
        if f["rule"] == "SOV005"
    }
    assert residency == {("SOV005", "hcloud_server.app")}
    portal = next(f for f in flows(CLOUDFLARE) if f["source"] == "hcloud_server.portal")
    assert portal["destination"]["region"] == "eu"
    assert "DE" in portal["destination"]["countries"]
    assert "US" not in portal["destination"]["countries"]


def test_cloudflare_is_still_cloudflare_in_the_sovereignty_profile() -> None:
    found = fired(CLOUDFLARE, "SOV005")
    assert found[("SOV005", "hcloud_server.portal")] == [
        "sensitive origin served through Cloudflare, which is run by Cloudflare, Inc., "
        "reachable under US law: hcloud_server.portal (nbg1, DE) → edge cache via "
        "cloudflare_record.portal → cloudflare region eu (AT, BE, BG, CY, CZ, DE, DK, EE, ES, "
        "FI, FR, GR, HR, HU, IE, IT, LT, LU, LV, MT, NL, PL, PT, RO, SE, SI, SK)"
    ]


def test_spanner_configuration_is_the_instance_location() -> None:
    document = json.loads(cli("inventory", GOOGLE, "--format", "json", "--no-cache").output)
    rows = {r["address"]: r for r in document["inputs"][0]["resources"]}
    accounts = rows["google_spanner_instance.accounts"]
    assert (accounts["region"], accounts["countries"]) == ("europe-west3", ["DE"])
    ledger = rows["google_spanner_instance.ledger"]
    assert [m["reason"] for m in ledger["missing"]] == [
        "'nam3' is not a google region in lintsov's catalogue"
    ]


MORE = hcl_path("flows_aws_more")


def test_more_aws_flows_fire_into_the_us() -> None:
    found = fired(MORE, "SOV004", "SOV005")
    assert set(found) == {
        ("SOV004", "aws_db_instance.billing"),
        ("SOV004", "aws_dynamodb_table.orders"),
        ("SOV004", "aws_ebs_snapshot.data"),
        ("SOV004", "aws_ecr_repository.images"),
        ("SOV004", "aws_rds_cluster.ledger_eu"),
        ("SOV005", "azurerm_storage_account.portal"),
    }
    assert found[("SOV004", "aws_rds_cluster.ledger_eu")] == [
        "sensitive data flows into blocked jurisdiction US: aws_rds_cluster.ledger_eu "
        "(eu-central-1, DE) → global database replication via aws_rds_global_cluster.ledger "
        "→ aws_rds_cluster.ledger_us (us-east-1, US)"
    ]


def test_a_replica_key_in_the_eu_is_not_sov004() -> None:
    replica = next(f for f in flows(MORE) if f["kind"] == "replica key")
    assert (replica["source"], replica["destination"]["countries"]) == (
        "aws_kms_key.primary",
        ["FR"],
    )
    assert ("SOV004", "aws_kms_key.primary") not in fired(MORE, "SOV004")


def test_a_global_edge_network_does_not_rule_out_other_blocked_countries() -> None:
    document = report(AWS, "--profile", "residency", "--block-jurisdiction", "CN")
    (finding,) = [f for f in document["findings"] if f["rule"] == "SOV005"]
    assert finding["message"].startswith(
        "sensitive origin served through Amazon CloudFront, which caches worldwide, CN not "
        "ruled out"
    )


MODULES = hcl_path("flows_through_modules")


def test_replication_to_a_bucket_passed_back_by_a_module_output_is_sov004() -> None:
    (message,) = fired(MODULES, "SOV004")[("SOV004", "aws_s3_bucket.customers")]
    assert message.endswith(
        "→ replication via aws_s3_bucket_replication_configuration.customers"
        " → module.dr.aws_s3_bucket.this (us-east-1, US)"
    )
    by_source = {(f["source"], f["kind"]): f for f in flows(MODULES)}
    customers = by_source[("aws_s3_bucket.customers", "replication")]
    destination = next(e["text"] for e in customers["evidence"] if e["fact"] == "destination")
    assert destination.replace(f"{MODULES}/", "").startswith(
        "destination module.dr.aws_s3_bucket.this ← through module.dr.bucket_arn: output "
        "bucket_arn of module.dr (dr_bucket/main.tf:10)"
        " ← aws_s3_bucket.this.arn ← region us-east-1 ← provider aws.us ← passed to module.dr"
    )


def test_read_replica_of_a_database_passed_into_a_module_is_sov004() -> None:
    (message,) = fired(MODULES, "SOV004")[("SOV004", "aws_db_instance.patients")]
    assert message.endswith(
        "aws_db_instance.patients (eu-central-1, DE) → read replica via "
        "module.replica.aws_db_instance.this → module.replica.aws_db_instance.this "
        "(us-east-1, US)"
    )
    by_source = {(f["source"], f["kind"]): f for f in flows(MODULES)}
    replica = by_source[("aws_db_instance.patients", "read replica")]
    flow = next(e["text"] for e in replica["evidence"] if e["fact"] == "flow")
    assert flow.replace(f"{MODULES}/", "") == (
        "flow read replica ← replicate_source_db of module.replica.aws_db_instance.this ← "
        "through var.source_db: argument source_db of module.replica (main.tf:67) ← "
        "aws_db_instance.patients.arn ← "
        "data of aws_db_instance.patients"
    )


def test_dynamic_replica_blocks_with_regions_from_a_variable() -> None:
    found = fired(MODULES, "SOV004", "SOV003")
    (message,) = found[("SOV004", "aws_dynamodb_table.sessions")]
    assert message.endswith(
        "aws_dynamodb_table.sessions (eu-central-1, DE) → replica → aws region us-west-2 (US)"
    )
    # eu-west-1, the other replica, stays in the EU: a flow, not a finding.
    regions = sorted(
        f["destination"]["region"]
        for f in flows(MODULES)
        if f["source"] == "aws_dynamodb_table.sessions"
    )
    assert regions == ["eu-west-1", "us-west-2"]
    # The iterator renamed, the collection unknown: the blocks are there, their regions not.
    (unknown,) = found[("SOV003", "aws_dynamodb_table.archive")]
    assert unknown.endswith(
        "→ replica → the destination; replica.region_name of aws_dynamodb_table.archive: the "
        "replica blocks are unknown: var.archive_regions has no value (no default, tfvars or "
        "--var)"
    )


def test_a_destination_from_an_unknown_value_is_sov003_with_the_reason() -> None:
    (message,) = fired(MODULES, "SOV003")[("SOV003", "aws_s3_bucket.contracts")]
    assert message == (
        "sensitive data flows to a destination lintsov cannot place: aws_s3_bucket.contracts "
        "(eu-central-1, DE) → replication via aws_s3_bucket_replication_configuration.contracts"
        " → the destination; rule.destination.bucket of "
        "aws_s3_bucket_replication_configuration.contracts: var.partner_bucket_arn has no "
        "value (no default, tfvars or --var)"
    )


def test_a_flow_to_one_module_instance_reaches_that_instance_only(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "main.tf").write_text(
        'variable "region" {}\nresource "aws_s3_bucket" "this" {\n  region = var.region\n'
        '  bucket = "acme-${var.region}"\n}\noutput "arn" {\n  value = aws_s3_bucket.this.arn\n}\n'
    )
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-central-1"\n}\n'
        'module "store" {\n  for_each = { eu = "eu-west-1", us = "us-east-1" }\n'
        '  source   = "./store"\n  region   = each.value\n}\n'
        'resource "aws_s3_bucket" "customers" {\n  bucket = "acme-customers"\n'
        '  tags   = { data-classification = "confidential" }\n}\n'
        'resource "aws_s3_bucket_replication_configuration" "to_eu" {\n'
        '  bucket = aws_s3_bucket.customers.id\n  role   = "arn:aws:iam::1:role/r"\n'
        '  rule {\n    status = "Enabled"\n    destination {\n'
        '      bucket = module.store["eu"].arn\n    }\n  }\n}\n'
    )
    found = [(f["source"], f["destination"]["what"]) for f in flows(str(tmp_path))]
    assert found == [("aws_s3_bucket.customers", 'module.store["eu"].aws_s3_bucket.this')]
    assert fired(str(tmp_path), "SOV004") == {}
