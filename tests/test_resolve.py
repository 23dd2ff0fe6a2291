"""Resolution: every fact with the evidence that produced it, the first source that answers."""

from __future__ import annotations

from helpers import inventory_of, resource
from lintsov.policy import Policy


def texts(item: object, fact: str) -> list[str]:
    return [e.text() for e in item.evidence if e.fact == fact]  # type: ignore[attr-defined]


def test_region_from_provider_constant() -> None:
    item = resource("sensitive_bucket_us_region", "aws_s3_bucket.customers")
    assert item.region == "us-east-1"
    assert item.countries == ("US",)
    assert texts(item, "region") == [
        "region us-east-1 ← provider aws ← constant in provider aws region"
    ]
    assert item.vendor == "aws"
    assert "US" in item.jurisdictions


def test_region_from_provider_alias() -> None:
    eu = resource("provider_alias", "aws_s3_bucket.eu")
    us = resource("provider_alias", "aws_s3_bucket.us")
    assert (eu.region, eu.countries) == ("eu-central-1", ("DE",))
    assert (us.region, us.countries) == ("us-east-1", ("US",))
    assert texts(us, "region") == [
        "region us-east-1 ← provider aws.us ← constant in provider aws.us region"
    ]


def test_region_from_alias_passed_into_module_current_form() -> None:
    item = resource("module_passed_alias", "module.vault.aws_s3_bucket.this")
    assert item.region == "us-east-1"
    assert texts(item, "region")[0].startswith("region us-east-1 ← provider aws.us")


def test_pre_1_2_module_with_two_candidate_providers_is_unresolved() -> None:
    item = resource("module_passed_alias_pre_1_2", "module.vault.aws_s3_bucket.this")
    assert item.region is None
    assert item.countries == ()
    (missing,) = item.missing_for("region")
    assert "aws, aws.us" in missing.reason
    assert "eu-central-1, us-east-1" in missing.reason
    assert "before Terraform 1.2" in missing.reason


def test_pre_1_2_module_inherits_the_only_provider() -> None:
    item = resource("module_inherited_provider_pre_1_2", "module.logs.aws_s3_bucket.this")
    assert item.region == "us-west-2"
    assert texts(item, "region") == [
        "region us-west-2 ← provider aws ← module.logs declares aws without settings "
        "(required_providers or an empty proxy block); it comes from the root module ← constant "
        "in provider aws region"
    ]


def test_region_from_root_variable() -> None:
    item = resource("region_from_variable", "aws_s3_bucket.root")
    assert item.region == "eu-central-1"
    assert texts(item, "region") == [
        "region eu-central-1 ← provider aws ← var.region ← value in the plan's variables"
    ]


def test_region_from_module_variable_through_the_call() -> None:
    item = resource("region_from_variable", "module.replica.aws_s3_bucket.this")
    assert item.region == "us-east-2"
    assert texts(item, "region") == [
        "region us-east-2 ← provider module.replica:aws ← var.replica_region of module.replica "
        "← var.dr_region ← value in the plan's variables"
    ]


def test_unknown_region_is_never_defaulted() -> None:
    item = resource("unknown_region", "aws_db_instance.patients")
    assert item.region is None
    assert item.countries == ()
    (missing,) = item.missing_for("region")
    assert missing.reason == (
        "provider aws has no region in the plan; it comes from the environment at apply time"
    )


def test_region_from_data_source_is_unknown_with_reason() -> None:
    item = resource("region_from_data_source", "aws_s3_bucket.customers")
    assert item.region is None
    (missing,) = item.missing_for("region")
    assert "data.aws_ssm_parameter.region.value" in missing.reason
    assert "apply time" in missing.reason


def test_sensitive_from_default_tags_seen_only_in_tags_all() -> None:
    item = resource("default_tags_only_in_tags_all", "aws_s3_bucket.records")
    assert item.sensitive
    assert texts(item, "sensitive") == [
        "sensitive ← tag Data-Classification=Restricted ← tags_all of aws_s3_bucket.records "
        "(from the provider's default tags)"
    ]


def test_sensitive_from_provider_default_tags_when_tags_all_is_unknown() -> None:
    item = resource("default_tags_only_in_tags_all", "aws_dynamodb_table.sessions")
    assert item.sensitive
    assert texts(item, "sensitive") == [
        "sensitive ← tag Data-Classification=Restricted ← provider aws default_tags.tags "
        "← constant in provider aws default_tags.tags"
    ]


def test_sensitive_from_address_glob() -> None:
    policy = Policy(sensitive_addresses=("aws_s3_bucket.ass*",))
    item = resource("sensitive_bucket_us_region", "aws_s3_bucket.assets", policy)
    assert item.sensitive
    assert texts(item, "sensitive") == [
        "sensitive ← address matches 'aws_s3_bucket.ass*' ← sensitive_addresses in the policy"
    ]


def test_untagged_resource_is_not_sensitive() -> None:
    assert not resource("sensitive_bucket_us_region", "aws_s3_bucket.assets").sensitive


def test_plain_delete_is_dropped_and_replace_is_kept() -> None:
    addresses = {r.address: r.action for r in inventory_of("deleted_resource").resources}
    assert addresses == {
        "aws_s3_bucket.replaced": "replace",
        "aws_s3_bucket.replaced_cbd": "replace",
    }


def test_opentofu_registry_addresses_resolve_like_terraform_ones() -> None:
    item = resource("opentofu_addresses", "aws_s3_bucket.customers")
    assert item.provider_source == "registry.opentofu.org/hashicorp/aws"
    assert (item.vendor, item.region, item.countries) == ("aws", "us-west-1", ("US",))
    assert inventory_of("opentofu_addresses").tool == "OpenTofu 1.8.5"


def test_azure_display_name_location() -> None:
    eu = resource("azure_display_name_location", "azurerm_storage_account.eu")
    us = resource("azure_display_name_location", "azurerm_storage_account.us")
    assert (eu.region, eu.countries) == ("westeurope", ("NL",))
    assert (us.region, us.countries) == ("eastus", ("US",))
    assert texts(us, "region") == [
        "region eastus ← attribute location of azurerm_storage_account.us"
    ]


def test_azure_container_takes_its_account_location() -> None:
    item = resource("azure_display_name_location", "azurerm_storage_container.reports")
    assert item.region == "eastus"
    assert texts(item, "region") == [
        "region eastus ← parent azurerm_storage_account.us (referenced by storage_account_id) "
        "← attribute location of azurerm_storage_account.us"
    ]


def test_gcp_multi_region_counts_every_country() -> None:
    us = resource("gcp_multi_region", "google_storage_bucket.us")
    eu = resource("gcp_multi_region", "google_storage_bucket.eu")
    fra = resource("gcp_multi_region", "google_storage_bucket.frankfurt")
    assert us.countries == ("US",)
    assert "US" not in eu.countries
    assert {"DE", "NL", "BE", "FI"} <= set(eu.countries)
    assert (fra.region, fra.countries) == ("europe-west3", ("DE",))
    assert texts(eu, "country")[0].startswith("country ")
    assert "multi-region EU" in texts(eu, "country")[0]


def test_aws_v6_resource_region_overrides_provider() -> None:
    item = resource("aws_v6_resource_region", "aws_s3_bucket.virginia")
    assert item.region == "us-east-1"
    assert texts(item, "region") == [
        "region us-east-1 ← attribute region of aws_s3_bucket.virginia"
    ]
    assert resource("aws_v6_resource_region", "aws_s3_bucket.default").region == "eu-central-1"


def test_availability_zone_maps_to_its_region() -> None:
    item = resource("availability_zone_and_unknown_provider", "aws_ebs_volume.scratch")
    assert (item.region, item.countries) == ("us-west-2", ("US",))
    assert texts(item, "region") == [
        "region us-west-2 ← us-west-2b is an AWS availability zone of us-west-2 ← attribute "
        "availability_zone of aws_ebs_volume.scratch"
    ]


def test_unknown_provider_is_reported_unknown_not_trusted() -> None:
    item = resource("availability_zone_and_unknown_provider", "acme_vault.secrets")
    assert item.provider_kind == "unknown"
    assert item.vendor is None
    reasons = {m.fact: m.reason for m in item.missing}
    assert "not in lintsov's catalogue" in reasons["vendor"]
    assert "vendor is unknown" in reasons["country"]


def test_region_from_arn_when_the_plan_has_no_configuration() -> None:
    item = resource("no_configuration", "aws_dynamodb_table.orders")
    assert item.region == "us-east-2"
    assert texts(item, "region") == [
        "region us-east-2 ← region part of the ARN of aws_dynamodb_table.orders"
    ]
    bucket = resource("no_configuration", "aws_s3_bucket.legacy")
    assert bucket.region is None
    assert "no configuration section" in bucket.missing_for("region")[0].reason


def test_planned_values_fallback() -> None:
    inventory = inventory_of("planned_values_only")
    assert [r.address for r in inventory.resources] == ["google_storage_bucket.scans"]
    assert inventory.resources[0].region == "us-central1"
    assert "planned_values" in inventory.notes[0]


def test_format_0_1_short_provider_names_and_module_keys() -> None:
    root = resource("format_0_1_short_provider_names", "aws_s3_bucket.customers")
    child = resource("format_0_1_short_provider_names", "module.archive.aws_s3_bucket.this")
    assert root.provider_source == "registry.terraform.io/hashicorp/aws"
    assert (root.region, child.region) == ("eu-north-1", "ca-central-1")
    assert texts(child, "region")[0].startswith("region ca-central-1 ← provider module.archive:aws")


def test_china_region_has_its_own_operator() -> None:
    item = resource("aws_china_region", "aws_s3_bucket.cn")
    assert item.countries == ("CN",)
    assert "US" not in item.reach
    assert "CN" in item.reach
    assert any("cn-north-1 is run by" in t for t in texts(item, "reach"))


def test_us_vendor_reach_names_the_laws() -> None:
    item = resource("sensitive_bucket_eu_region_us_vendor", "aws_s3_bucket.customers")
    assert item.countries == ("DE",)
    assert item.reach == ("US",)
    assert item.jurisdictions == ("DE", "US")
    assert {"us-cloud-act", "us-fisa-702"} <= {law.id for law in item.laws}
    (reach,) = texts(item, "reach")
    assert "Amazon.com, Inc. (US)" in reach
    assert "CLOUD Act" in reach


def test_eu_vendor_reach_is_european() -> None:
    item = resource("sensitive_data_eu_vendors", "hcloud_volume.data")
    assert (item.vendor, item.region, item.countries, item.reach) == (
        "hetzner",
        "fsn1",
        ("DE",),
        ("DE",),
    )
    assert item.sensitive


def test_utility_providers_have_no_vendor_and_no_missing_vendor() -> None:
    item = resource("single_vendor", "random_id.suffix")
    assert item.provider_kind == "utility"
    assert item.vendor is None
    assert not item.missing_for("vendor")
