"""Each rule, firing and not firing, on concrete addresses with concrete evidence."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import cli, findings_of, outcome_of
from lintsov.finding import Finding
from lintsov.policy import Policy


def only(name: str, rule: str, policy: Policy | None = None) -> list[Finding]:
    return [f for f in outcome_of(name, policy).findings if f.rule == rule]


def test_sov001_fires_on_sensitive_bucket_in_us_region() -> None:
    (finding,) = only("sensitive_bucket_us_region", "SOV001")
    assert finding.address == "aws_s3_bucket.customers"
    assert finding.severity == "error"
    assert finding.message == (
        "sensitive data stored in us-east-1 (US), under blocked jurisdiction US"
    )
    evidence = [e.text() for e in finding.evidence]
    assert (
        "sensitive ← tag data-classification=confidential ← tags of aws_s3_bucket.customers"
        in evidence
    )
    assert "region us-east-1 ← provider aws ← constant in provider aws region" in evidence


def test_sov001_silent_on_untagged_resource_and_eu_region() -> None:
    assert ("SOV001", "aws_s3_bucket.assets") not in findings_of("sensitive_bucket_us_region")
    assert not only("sensitive_bucket_eu_region_us_vendor", "SOV001")


def test_sov001_follows_block_jurisdiction() -> None:
    policy = Policy(blocked=frozenset({"DE"}))
    (finding,) = only("sensitive_bucket_eu_region_us_vendor", "SOV001", policy)
    assert finding.address == "aws_s3_bucket.customers"
    assert "under blocked jurisdiction DE" in finding.message


def test_sov001_on_alias_and_v6_region_and_azure_and_gcp() -> None:
    assert ("SOV001", "aws_s3_bucket.us") in findings_of("provider_alias")
    assert ("SOV001", "aws_s3_bucket.eu") not in findings_of("provider_alias")
    assert ("SOV001", "aws_s3_bucket.virginia") in findings_of("aws_v6_resource_region")
    assert ("SOV001", "aws_s3_bucket.default") not in findings_of("aws_v6_resource_region")
    azure = findings_of("azure_display_name_location")
    assert ("SOV001", "azurerm_storage_account.us") in azure
    assert ("SOV001", "azurerm_storage_account.eu") not in azure
    gcp = findings_of("gcp_multi_region")
    assert ("SOV001", "google_storage_bucket.us") in gcp
    assert ("SOV001", "google_storage_bucket.eu") not in gcp


def test_sov001_ignores_plain_deletes_but_not_replacements() -> None:
    found = findings_of("deleted_resource")
    assert ("SOV001", "aws_s3_bucket.gone") not in found
    assert ("SOV001", "aws_s3_bucket.replaced") in found
    assert ("SOV001", "aws_s3_bucket.replaced_cbd") in found


def test_sov002_fires_on_us_vendor_in_eu_region() -> None:
    (finding,) = only("sensitive_bucket_eu_region_us_vendor", "SOV002")
    assert finding.address == "aws_s3_bucket.customers"
    assert finding.message == (
        "sensitive data held by Amazon Web Services (AWS): Amazon Web Services, Inc. (parent "
        "Amazon.com, Inc. (US)) is reachable under US law (CLOUD Act, FISA §702) wherever the "
        "data sits (here eu-central-1)"
    )
    reach = [e.text() for e in finding.evidence if e.fact == "reach"]
    assert len(reach) == 1
    assert "Amazon.com, Inc. (US)" in reach[0]


def test_sov002_off_in_residency_profile() -> None:
    assert not only("sensitive_bucket_eu_region_us_vendor", "SOV002", Policy(profile="residency"))
    assert only("sensitive_bucket_us_region", "SOV001", Policy(profile="residency"))


def test_sov002_silent_for_european_vendors_and_china_operator() -> None:
    assert not only("sensitive_data_eu_vendors", "SOV002")
    assert not only("aws_china_region", "SOV002")


def test_sov003_reports_what_is_missing() -> None:
    (finding,) = only("unknown_region", "SOV003")
    assert finding.address == "aws_db_instance.patients"
    assert finding.severity == "warning"
    assert finding.message == (
        "sensitive data whose region is unknown: provider aws has no region in the plan; it "
        "comes from the environment at apply time"
    )


def test_sov003_on_ambiguous_pre_1_2_provider_and_unknown_provider() -> None:
    assert ("SOV003", "module.vault.aws_s3_bucket.this") in findings_of(
        "module_passed_alias_pre_1_2"
    )
    found = findings_of("availability_zone_and_unknown_provider")
    assert ("SOV003", "acme_vault.secrets") in found
    assert ("SOV003", "aws_ebs_volume.scratch") not in found


def test_sov003_silent_when_everything_resolves() -> None:
    assert not only("sensitive_bucket_us_region", "SOV003")
    assert not only("sensitive_data_eu_vendors", "SOV003")


def test_aut001_fires_when_all_hosting_resources_share_a_vendor() -> None:
    (finding,) = only("single_vendor", "AUT001")
    assert finding.severity == "warning"
    assert finding.message == (
        "all 3 resources that depend on a hosting vendor depend on Amazon Web Services (AWS)"
    )
    (share,) = [e.text() for e in finding.evidence]
    assert share == (
        "vendor-share 100% ← 3 of 3 hosting-vendor resources use Amazon Web "
        "Services (AWS) ← resources per vendor: Amazon Web Services (AWS): 3"
    )


def test_aut001_silent_with_two_vendors() -> None:
    assert not only("multi_vendor", "AUT001")


def test_aut001_max_vendor_share_lowers_the_bar() -> None:
    # multi_vendor has 2 hosting-vendor resources: below AUT001's default minimum of 3.
    assert not only("multi_vendor", "AUT001", Policy(max_vendor_share=0.5))
    lowered = Policy(max_vendor_share=0.5, min_vendor_resources=1)
    (finding,) = only("multi_vendor", "AUT001", lowered)
    assert "at or above max_vendor_share 0.5" in finding.message
    assert not only("multi_vendor", "AUT001", Policy(max_vendor_share=0.51, min_vendor_resources=1))


def test_sov001_names_a_multi_region_once(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "main.tf").write_text(
        'provider "google" {\n  region = "europe-west3"\n}\n'
        'resource "google_storage_bucket" "b" {\n  location = "US"\n'
        '  labels = { data-classification = "confidential" }\n}\n'
    )
    document = json.loads(cli(str(folder), "--format", "json", "--no-cache").output)
    (finding,) = [f for f in document["findings"] if f["rule"] == "SOV001"]
    assert finding["message"] == "sensitive data stored in US, under blocked jurisdiction US"
