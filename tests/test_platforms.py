"""Layered operators: a managed data platform (Aiven, MongoDB Atlas, Confluent Cloud, Elastic
Cloud, Redis Cloud, ClickHouse Cloud, Databricks, Snowflake) on an infrastructure vendor's
cloud. Both operators count; the country is the underlying region's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import cli, evidence, findings, hcl_path, plan_path, rows
from lintsov import catalogue
from lintsov.catalogue.platforms import spelled

ON_GOOGLE = hcl_path("platform_aiven_on_google")
ON_UPCLOUD = hcl_path("platform_aiven_on_upcloud")
HYPERSCALERS = hcl_path("platforms_on_hyperscalers")
PLAN = plan_path("aiven_layered_on_google_and_upcloud")

GOOGLE_DOCS = "https://aiven.io/docs/platform/reference/list_of_clouds"


def folder(tmp_path: Path, text: str) -> str:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    return str(tmp_path)


def sensitive_config(tmp_path: Path, *addresses: str) -> str:
    path = tmp_path / "lintsov.yaml"
    path.write_text(f"sensitive:\n  addresses: {json.dumps(list(addresses))}\n")
    return str(path)


def aiven(cloud_name: str, kind: str = "aiven_pg") -> str:
    return (
        'terraform {\n  required_providers {\n    aiven = { source = "aiven/aiven" }\n  }\n}\n'
        f'resource "{kind}" "db" {{\n  project = "p"\n  service_name = "db"\n'
        f'  cloud_name = "{cloud_name}"\n}}\n'
    )


# Aiven on Google Cloud: both layers, SOV002 naming Google LLC as infrastructure operator.


def test_aiven_kafka_on_google_is_reached_by_us_law_through_the_infrastructure_operator() -> None:
    found = findings(ON_GOOGLE)
    sov002 = found[("SOV002", "aiven_kafka.events")]
    assert sov002["message"] == (
        "sensitive data held by Aiven on Google Cloud: Google LLC (infrastructure operator, "
        "parent Alphabet Inc. (US)) is reachable under US law (CLOUD Act, FISA §702) wherever "
        "the data sits (here europe-west1)"
    )
    texts = [e["text"] for e in sov002["evidence"]]
    assert (
        "region europe-west1 ← Aiven cloud 'google-europe-west1' is Google Cloud region "
        f"europe-west1 (source {GOOGLE_DOCS}) ← attribute cloud_name of aiven_kafka.events"
    ) in texts
    assert (
        "infrastructure Google Cloud ← Aiven runs aiven_kafka.events on the cloud its "
        f"cloud_name names (google-europe-west1) ← source {GOOGLE_DOCS}"
    ) in texts
    reach = next(t for t in texts if t.startswith("reach "))
    assert reach.startswith(
        "reach FI, US ← platform operator Aiven Oy (FI) ← infrastructure operator Google LLC "
        "(US) → Alphabet Inc. (US), which runs Google Cloud in europe-west1 ← lintsov counts "
        "both layers"
    )
    # Belgium is not blocked: no SOV001.
    assert ("SOV001", "aiven_kafka.events") not in found


def test_the_inventory_shows_both_layers_and_the_underlying_country() -> None:
    kafka = rows(ON_GOOGLE)["aiven_kafka.events"]
    assert (kafka["vendor"], kafka["operator"], kafka["region"], kafka["countries"]) == (
        "aiven",
        "Aiven Oy",
        "europe-west1",
        ["BE"],
    )
    assert kafka["reach"] == ["FI", "US"]
    assert kafka["jurisdictions"] == ["BE", "FI", "US"]
    assert kafka["layers"] == [
        {
            "role": "platform",
            "vendor": "aiven",
            "vendor_name": "Aiven",
            "operator": "Aiven Oy",
            "parents": [],
            "reach": ["FI"],
        },
        {
            "role": "infrastructure",
            "vendor": "google",
            "vendor_name": "Google Cloud",
            "operator": "Google LLC",
            "parents": ["Alphabet Inc. (US)"],
            "reach": ["US"],
        },
    ]


def test_a_kafka_topic_and_a_service_user_are_where_their_service_is() -> None:
    found = rows(ON_GOOGLE)
    for address in ("aiven_kafka_topic.orders", "aiven_kafka_user.app"):
        child = found[address]
        assert (child["region"], child["countries"], child["reach"]) == (
            "europe-west1",
            ["BE"],
            ["FI", "US"],
        )
        assert evidence(child, "region")[0].startswith(
            "region europe-west1 ← parent aiven_kafka.events (referenced by service_name) ← "
            "Aiven cloud 'google-europe-west1' is Google Cloud region europe-west1"
        )
        assert evidence(child, "infrastructure")[0].startswith(
            "infrastructure Google Cloud ← Aiven runs aiven_kafka.events"
        )
    assert found["aiven_kafka_topic.orders"]["data_category"] == "stream"
    assert not found["aiven_kafka_user.app"]["data_holding"]
    topic = findings(ON_GOOGLE)[("SOV002", "aiven_kafka_topic.orders")]
    assert "Google LLC (infrastructure operator" in topic["message"]


def test_an_unmapped_aiven_cloud_is_unknown_with_the_reason_never_a_guess() -> None:
    ledger = rows(ON_GOOGLE)["aiven_pg.ledger"]
    assert (ledger["region"], ledger["countries"]) == ("google-mars-north9", [])
    assert {
        "fact": "region",
        "reason": (
            "Aiven cloud 'google-mars-north9' is Google Cloud 'mars-north9', which is not a google "
            "region in lintsov's catalogue"
        ),
    } in ledger["missing"]
    # The cloud is known even where the region is not: Google's reach still counts.
    assert ledger["reach"] == ["FI", "US"]
    found = findings(ON_GOOGLE)
    assert ("SOV003", "aiven_pg.ledger") in found
    assert ("SOV001", "aiven_pg.ledger") not in found


def test_an_aiven_cloud_of_no_known_vendor_leaves_the_infrastructure_unknown(
    tmp_path: Path,
) -> None:
    row = rows(folder(tmp_path, aiven("custom-onprem-1")))["aiven_pg.db"]
    assert row["reach"] == ["FI"]
    reasons = {m["fact"]: m["reason"] for m in row["missing"]}
    assert reasons["region"] == (
        "Aiven cloud 'custom-onprem-1' names cloud 'custom' that lintsov knows Aiven to run on "
        f"(source {GOOGLE_DOCS})"
    )
    assert reasons["infrastructure"].startswith(
        "the cloud Aiven runs aiven_pg.db on is unknown, so the infrastructure operator's reach "
        "is not counted"
    )


# Aiven on European infrastructure: no US reach.


def test_aiven_on_upcloud_has_no_us_reach_and_nothing_fires() -> None:
    found = findings(ON_UPCLOUD)
    assert not [key for key in found if key[0] in {"SOV001", "SOV002", "SOV003"}]
    patients = rows(ON_UPCLOUD)["aiven_pg.patients"]
    assert (patients["region"], patients["countries"], patients["reach"]) == (
        "de-fra1",
        ["DE"],
        ["FI"],
    )
    assert [layer["operator"] for layer in patients["layers"]] == [
        "Aiven Oy",
        "UpCloud Oy (UpCloud Ltd)",
    ]
    assert "US" not in patients["jurisdictions"]


def test_upcloud_is_a_finnish_company_and_the_catalogue_says_where_that_comes_from() -> None:
    upcloud = catalogue.builtin().vendors["upcloud"]
    assert (upcloud.operator.entity.country, upcloud.operator.parents) == ("FI", ())
    assert "https://upcloud.com/global/privacy-notice/" in upcloud.operator.sources
    aiven_operator = catalogue.builtin().vendors["aiven"].operator
    assert (aiven_operator.entity.name, aiven_operator.entity.country) == ("Aiven Oy", "FI")
    assert aiven_operator.sources


def test_a_database_is_where_its_aiven_service_is() -> None:
    records = rows(ON_UPCLOUD)["aiven_pg_database.records"]
    assert (records["region"], records["countries"], records["data_category"]) == (
        "de-fra1",
        ["DE"],
        "database",
    )


def test_aiven_on_exoscale_counts_the_a1_groups_parents() -> None:
    logs = rows(ON_UPCLOUD)["aiven_opensearch.logs"]
    assert (logs["region"], logs["countries"]) == ("de-fra-1", ["DE"])
    assert logs["reach"] == ["AT", "CH", "FI", "MX"]


def test_aiven_on_digitalocean_names_the_city_not_a_datacenter_it_cannot_tell() -> None:
    sessions = rows(ON_UPCLOUD)["aiven_redis.sessions"]
    assert (sessions["region"], sessions["countries"]) == ("do-ams", ["NL"])
    assert sessions["region_name"] == "Amsterdam (DigitalOcean, datacenter not named)"
    # DigitalOcean, LLC is a US company: its reach counts.
    assert sessions["reach"] == ["FI", "US"]


@pytest.mark.parametrize(
    ("cloud_name", "region", "country"),
    [
        ("azure-germany-westcentral", "germanywestcentral", "DE"),
        ("azure-westeurope", "westeurope", "NL"),
        ("aws-eu-central-1", "eu-central-1", "DE"),
        ("do-fra", "fra1", "DE"),
    ],
)
def test_aiven_cloud_names_map_to_the_vendors_region(
    tmp_path: Path, cloud_name: str, region: str, country: str
) -> None:
    row = rows(folder(tmp_path, aiven(cloud_name)))["aiven_pg.db"]
    assert (row["region"], row["countries"]) == (region, [country])
    assert "US" in row["reach"]


# MongoDB Atlas.


def test_atlas_on_aws_in_ireland_is_reached_by_both_us_operators_but_stored_in_ireland() -> None:
    found = findings(HYPERSCALERS)
    sov002 = found[("SOV002", "mongodbatlas_advanced_cluster.customers")]
    assert sov002["message"].startswith(
        "sensitive data held by MongoDB Atlas on Amazon Web Services (AWS): MongoDB, Inc. "
        "(platform operator) and Amazon Web Services, Inc. (infrastructure operator, parent "
        "Amazon.com, Inc. (US)) are reachable under US law"
    )
    assert ("SOV001", "mongodbatlas_advanced_cluster.customers") not in found
    row = rows(HYPERSCALERS)["mongodbatlas_advanced_cluster.customers"]
    assert (row["region"], row["countries"]) == ("eu-west-1", ["IE"])
    assert evidence(row, "region")[0].startswith(
        "region eu-west-1 ← MongoDB Atlas region 'EU_WEST_1' on AWS is Amazon Web Services (AWS) "
        "region eu-west-1 (source https://www.mongodb.com/docs/atlas/reference/amazon-aws/)"
    )


def test_atlas_gcp_region_names_are_mapped_from_atlas_documentation() -> None:
    found = rows(HYPERSCALERS)
    orders, analytics = (
        found["mongodbatlas_cluster.orders"],
        found["mongodbatlas_cluster.analytics"],
    )
    assert (orders["region"], orders["countries"]) == ("europe-west1", ["BE"])
    assert (analytics["region"], analytics["countries"]) == ("us-central1", ["US"])
    assert (
        "source https://www.mongodb.com/docs/atlas/reference/google-gcp/"
        in (evidence(orders, "region")[0])
    )
    verdicts = findings(HYPERSCALERS)
    assert ("SOV001", "mongodbatlas_cluster.analytics") in verdicts
    assert ("SOV001", "mongodbatlas_cluster.orders") not in verdicts
    assert ("SOV002", "mongodbatlas_cluster.orders") in verdicts


def test_an_atlas_database_user_is_where_the_cluster_its_scope_names_is() -> None:
    user = rows(HYPERSCALERS)["mongodbatlas_database_user.app"]
    assert (user["region"], user["countries"]) == ("eu-west-1", ["IE"])
    assert evidence(user, "region")[0].startswith(
        "region eu-west-1 ← parent mongodbatlas_advanced_cluster.customers (referenced by scopes)"
    )


def test_an_atlas_cluster_across_two_clouds_counts_both_infrastructure_operators(
    tmp_path: Path,
) -> None:
    text = (
        "terraform {\n  required_providers {\n"
        '    mongodbatlas = { source = "mongodb/mongodbatlas" }\n  }\n}\n'
        'resource "mongodbatlas_advanced_cluster" "c" {\n  project_id = "p"\n  name = "c"\n'
        "  replication_specs {\n"
        '    region_configs {\n      provider_name = "AZURE"\n      region_name = "EUROPE_WEST"\n'
        "    }\n"
        '    region_configs {\n      provider_name = "GCP"\n      region_name = "EUROPE_WEST_3"\n'
        "    }\n  }\n}\n"
    )
    row = rows(folder(tmp_path, text))["mongodbatlas_advanced_cluster.c"]
    assert (row["region"], row["countries"]) == ("westeurope+europe-west3", ["NL", "DE"])
    assert [layer["vendor"] for layer in row["layers"]] == ["mongodb-atlas", "azure", "google"]


# Confluent Cloud, Elastic Cloud, Redis Cloud, ClickHouse Cloud, Databricks, Snowflake.


def test_confluent_kafka_on_azure_and_its_topic(tmp_path: Path) -> None:
    config = sensitive_config(tmp_path, "confluent_*")
    found = findings(HYPERSCALERS, "--config", config)
    sov002 = found[("SOV002", "confluent_kafka_topic.payments")]
    assert sov002["message"].startswith(
        "sensitive data held by Confluent Cloud on Microsoft Azure: Confluent, Inc. (platform "
        "operator) and Microsoft Corporation (infrastructure operator) are reachable under US law"
    )
    assert ("SOV001", "confluent_kafka_cluster.events") not in found
    topic = rows(HYPERSCALERS)["confluent_kafka_topic.payments"]
    assert (topic["region"], topic["countries"]) == ("westeurope", ["NL"])
    assert "(referenced by kafka_cluster)" in evidence(topic, "region")[0]


def test_elastic_cloud_prefixed_and_legacy_aws_region_names() -> None:
    found = rows(HYPERSCALERS)
    search, legacy = found["ec_deployment.search"], found["ec_deployment.legacy"]
    assert (search["region"], search["countries"]) == ("europe-west1", ["BE"])
    assert (legacy["region"], legacy["countries"]) == ("us-east-1", ["US"])
    assert (
        "Elastic Cloud's first AWS regions have no provider prefix"
        in (evidence(legacy, "region")[0])
    )
    verdicts = findings(HYPERSCALERS)
    assert ("SOV001", "ec_deployment.legacy") in verdicts
    assert ("SOV001", "ec_deployment.search") not in verdicts
    assert ("SOV002", "ec_deployment.search") in verdicts


def test_redis_cloud_database_is_where_its_subscription_is(tmp_path: Path) -> None:
    database = rows(HYPERSCALERS)["rediscloud_subscription_database.sessions"]
    assert (database["region"], database["countries"], database["reach"]) == (
        "eu-central-1",
        ["DE"],
        ["IL", "US"],
    )
    assert "(referenced by subscription_id)" in evidence(database, "region")[0]
    config = sensitive_config(tmp_path, "rediscloud_*")
    found = findings(HYPERSCALERS, "--config", config)
    assert ("SOV002", "rediscloud_subscription_database.sessions") in found
    assert ("SOV001", "rediscloud_subscription_database.sessions") not in found


@pytest.mark.parametrize(
    ("address", "region", "vendor"),
    [
        ("clickhouse_service.events", "eu-central-1", "aws"),
        ("databricks_mws_workspaces.lake", "eu-central-1", "aws"),
        ("snowflake_account.main", "eu-central-1", "aws"),
    ],
)
def test_other_platforms_are_placed_on_their_infrastructure(
    address: str, region: str, vendor: str
) -> None:
    row = rows(HYPERSCALERS)[address]
    assert (row["region"], row["countries"]) == (region, ["DE"])
    assert [layer["role"] for layer in row["layers"]] == ["platform", "infrastructure"]
    assert row["layers"][1]["vendor"] == vendor
    assert row["reach"] == ["US"]


def test_a_snowflake_database_names_no_region_and_says_so(tmp_path: Path) -> None:
    finance = rows(HYPERSCALERS)["snowflake_database.finance"]
    assert (finance["region"], finance["countries"], finance["reach"]) == (None, [], ["US"])
    assert {m["fact"] for m in finance["missing"]} == {"region", "infrastructure"}
    found = findings(HYPERSCALERS, "--config", sensitive_config(tmp_path, "snowflake_*"))
    # Snowflake Inc. is a US company wherever the account is: SOV002, and SOV003 for where.
    assert ("SOV002", "snowflake_database.finance") in found
    assert ("SOV003", "snowflake_database.finance") in found


def test_the_residency_profile_judges_only_where_a_platform_keeps_the_bytes(
    tmp_path: Path,
) -> None:
    config = tmp_path / "lintsov.yaml"
    config.write_text("profile: residency\n")
    found = findings(HYPERSCALERS, "--config", str(config))
    assert not [key for key in found if key[0] == "SOV002"]
    assert ("SOV001", "mongodbatlas_cluster.analytics") in found


# AUT001 and plans.


def test_aut001_counts_the_platform_and_the_infrastructure_vendor_each_once() -> None:
    result = cli(PLAN, "--format", "json", "--fail-on", "never", "--no-cache")
    (aut001,) = [f for f in json.loads(result.output)["findings"] if f["rule"] == "AUT001"]
    assert aut001["message"] == ("all 3 resources that depend on a hosting vendor depend on Aiven")
    assert aut001["evidence"][0]["steps"] == [
        "3 of 3 hosting-vendor resources use Aiven",
        "resources per vendor: Aiven: 3, Google Cloud: 2, UpCloud: 1",
    ]


def test_a_plan_gives_the_same_layered_verdicts_as_the_folder() -> None:
    found = findings(PLAN)
    assert {key for key in found if key[0].startswith("SOV")} == {
        ("SOV002", "aiven_kafka.events"),
        ("SOV002", "aiven_kafka_topic.orders"),
    }
    topic = rows(PLAN)["aiven_kafka_topic.orders"]
    assert (topic["region"], topic["reach"]) == ("europe-west1", ["FI", "US"])
    patients = rows(PLAN)["aiven_pg.patients"]
    assert (patients["region"], patients["countries"], patients["reach"]) == (
        "fi-hel1",
        ["FI"],
        ["FI"],
    )


# The catalogue behind it.


def test_every_platform_cloud_and_documented_region_is_in_the_catalogue() -> None:
    built = catalogue.builtin()
    for platform in built.platforms.by_id.values():
        assert platform.operator.sources, platform.id
        for vendor in platform.clouds.values():
            assert vendor in built.vendors, (platform.id, vendor)
        for code in platform.region_codes.values():
            cloud = platform.vendor_of(code.cloud)
            assert cloud is not None, (platform.id, code.cloud)
            if code.region:
                assert built.region(cloud, code.region) is not None, (platform.id, code.code)
            else:
                assert code.countries, (platform.id, code.code)
                assert code.name, (platform.id, code.code)


@pytest.mark.parametrize(
    ("vendor", "code", "region"),
    [
        ("aws", "EU_WEST_1", "eu-west-1"),
        ("google", "EUROPE_WEST_3", "europe-west3"),
        ("google", "europe-west1", "europe-west1"),
        ("azure", "GERMANY_WEST_CENTRAL", "germanywestcentral"),
        ("azure", "germany-westcentral", "germanywestcentral"),
        ("upcloud", "de-fra1", "de-fra1"),
    ],
)
def test_platform_region_spellings_are_the_vendors(vendor: str, code: str, region: str) -> None:
    assert spelled(vendor, code) == region


def test_an_aiven_service_without_cloud_name_is_in_its_projects_default_cloud(
    tmp_path: Path,
) -> None:
    text = (
        'terraform {\n  required_providers {\n    aiven = { source = "aiven/aiven" }\n  }\n}\n'
        'resource "aiven_project" "p" {\n  project = "p"\n'
        '  default_cloud = "upcloud-fi-hel1"\n}\n'
        'resource "aiven_pg" "db" {\n  project = aiven_project.p.project\n'
        '  service_name = "db"\n}\n'
    )
    row = rows(folder(tmp_path, text))["aiven_pg.db"]
    assert (row["region"], row["countries"], row["reach"]) == ("fi-hel1", ["FI"], ["FI"])
    assert evidence(row, "region")[0].startswith(
        "region fi-hel1 ← parent aiven_project.p (referenced by project) ← Aiven cloud "
        "'upcloud-fi-hel1' is UpCloud region fi-hel1"
    )


def test_a_computed_atlas_replication_spec_does_not_hide_the_region_the_plan_names(
    tmp_path: Path,
) -> None:
    source = "registry.terraform.io/mongodb/mongodbatlas"
    after = {
        "project_id": "p",
        "name": "c",
        "provider_name": "AWS",
        "provider_region_name": "EU_CENTRAL_1",
        "provider_instance_size_name": "M10",
    }
    resource = {"address": "mongodbatlas_cluster.c", "mode": "managed"}
    resource |= {"type": "mongodbatlas_cluster", "name": "c", "provider_name": source}
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": [resource | {"values": after}]}},
        "resource_changes": [
            resource
            | {
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": after,
                    "after_unknown": {"replication_specs": True, "id": True},
                    "before_sensitive": False,
                    "after_sensitive": {},
                }
            }
        ],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    row = rows(str(path))["mongodbatlas_cluster.c"]
    assert (row["region"], row["countries"]) == ("eu-central-1", ["DE"])
    assert "attribute provider_region_name of mongodbatlas_cluster.c" in evidence(row, "region")[0]


def test_the_text_inventory_names_the_platform_and_its_infrastructure() -> None:
    result = cli("inventory", HYPERSCALERS, "--no-cache")
    assert result.exit_code == 0, result.output
    # The table's rows: two spaces in, then the address and the vendor column.
    lines = {
        parts[0]: parts[1]
        for line in result.output.splitlines()
        if line.startswith("  ")
        and not line.startswith("   ")
        and len(parts := line.split()) > 1
        and "." in parts[0]
    }
    assert lines["mongodbatlas_cluster.orders"] == "mongodb-atlas/google"
    assert lines["confluent_kafka_topic.payments"] == "confluent/azure"
    assert lines["snowflake_database.finance"] == "snowflake/?"
