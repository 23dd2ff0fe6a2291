"""Data-holding coverage: every data store is seen (azapi resources by their ARM type, the
newly catalogued types of each hosting provider), placed where it is (through its parent,
through every replica location), and judged like any other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import cli, findings_of, folder_findings, folder_inventory, outcome_of, plan_path
from lintsov import catalogue
from lintsov.finding import Finding
from lintsov.inventory import ResolvedResource
from lintsov.load import LoadOptions
from lintsov.pipeline import inventories, judge
from lintsov.policy import Policy
from lintsov.rules import load_rules

ARM = "https://learn.microsoft.com/en-us/azure/templates/"
REGISTRY = "https://registry.terraform.io/providers/"


def item(folder: str, address: str, policy: Policy | None = None) -> ResolvedResource:
    for found in folder_inventory(folder, policy).resources:
        if found.address == address:
            return found
    raise AssertionError(f"{address} not in {folder}")


def texts(resource: ResolvedResource, fact: str) -> list[str]:
    return [e.text() for e in resource.evidence if e.fact == fact]


def missing(resource: ResolvedResource, fact: str) -> list[str]:
    return [m.reason for m in resource.missing if m.fact == fact]


def only_resources(folder: Path, main_tf: str) -> tuple[ResolvedResource, ...]:
    (folder / "main.tf").write_text(main_tf)
    (found,) = inventories([str(folder)], catalogue.builtin(), Policy(), LoadOptions())
    return found.resources


def findings(folder: str, policy: Policy) -> list[Finding]:
    return list(judge((folder_inventory(folder, policy),), load_rules(), policy).findings)


# --- azapi: one Terraform type for every ARM resource ---------------------------------------


def test_azapi_storage_account_in_eastus_is_sov001_naming_the_arm_type_and_its_source() -> None:
    findings = folder_findings("azapi_storage_accounts")
    assert ("SOV001", "azapi_resource.documents_us") in findings
    assert ("SOV001", "azapi_resource.documents_eu") not in findings
    # A public IP holds no data, sensitive tag or not.
    assert ("SOV001", "azapi_resource.public_ip") not in findings
    us = item("azapi_storage_accounts", "azapi_resource.documents_us")
    assert (us.vendor, us.region, us.countries) == ("azure", "eastus", ("US",))
    assert (us.data_holding, us.data_category) == (True, "object-storage")
    # ARM compares types case-insensitively; the catalogue's spelling is cited.
    assert texts(us, "data-holding") == [
        "data-holding object-storage ← ARM type microsoft.storage/StorageAccounts "
        "(azapi_resource.documents_us type = 'microsoft.storage/StorageAccounts@2023-01-01') "
        f"in lintsov's catalogue ← source {ARM}microsoft.storage/storageaccounts"
    ]


def test_azapi_storage_account_in_westeurope_is_placed_in_the_netherlands() -> None:
    eu = item("azapi_storage_accounts", "azapi_resource.documents_eu")
    assert (eu.region, eu.countries, eu.data_category) == ("westeurope", ("NL",), "object-storage")
    assert texts(eu, "region") == [
        "region westeurope ← attribute location of azapi_resource.documents_eu"
    ]


def test_azapi_resource_of_a_type_that_holds_no_data_is_not_data_holding() -> None:
    public_ip = item("azapi_storage_accounts", "azapi_resource.public_ip")
    assert (public_ip.data_holding, public_ip.sensitive) == (False, True)


def test_azapi_child_resource_is_where_its_parent_is() -> None:
    token = item("azapi_placed_by_parent", "azapi_resource.api_token")
    assert (token.region, token.countries, token.data_category) == ("eastus", ("US",), "secret")
    assert texts(token, "region") == [
        "region eastus ← parent azapi_resource.vault (referenced by parent_id) "
        "← attribute location of azapi_resource.vault"
    ]
    assert texts(token, "sensitive") == [
        "sensitive ← ARM type Microsoft.KeyVault/vaults/secrets holds secrets by nature "
        "(catalogue category secret) ← secrets_by_nature in the policy"
    ]
    assert ("SOV001", "azapi_resource.api_token") in folder_findings("azapi_placed_by_parent")


def test_azapi_update_is_where_the_resource_it_updates_is() -> None:
    update = item("azapi_placed_by_parent", "azapi_update_resource.vault_network")
    assert (update.region, update.data_category) == ("eastus", "secret")
    assert "(referenced by resource_id)" in texts(update, "region")[0]


def test_azapi_resource_group_places_only_when_nothing_else_names_a_location() -> None:
    orders = item("azapi_placed_by_parent", "azapi_resource.orders")
    assert (orders.region, orders.countries) == ("eastus", ("US",))
    assert texts(orders, "region") == [
        "region eastus ← parent azapi_resource.group (referenced by parent_id) ← its resource "
        "group: neither the resource nor its provider names a location ← attribute location "
        "of azapi_resource.group"
    ]
    # azapi sends the provider's default_location, not the group's.
    invoices = item("azapi_placed_by_parent", "azapi_resource.invoices")
    assert (invoices.region, invoices.countries) == ("westeurope", ("NL",))
    assert texts(invoices, "region")[0].startswith("region westeurope ← provider azapi.eu")
    findings = folder_findings("azapi_placed_by_parent")
    assert ("SOV001", "azapi_resource.orders") in findings
    assert ("SOV001", "azapi_resource.invoices") not in findings


def test_azapi_literal_parent_id_is_unknown_with_the_reason() -> None:
    archive = item("azapi_placed_by_parent", "azapi_resource.archive_vault")
    assert (archive.region, archive.countries) == (None, ())
    assert missing(archive, "region") == [
        "azapi_resource.archive_vault names no location of its own, and its parent_id is a "
        "literal ARM id, which carries none (a reference to the parent resource, or a "
        "location, places it)"
    ]
    assert ("SOV003", "azapi_resource.archive_vault") in folder_findings("azapi_placed_by_parent")


def test_azapi_resolves_to_microsoft() -> None:
    found = catalogue.builtin().provider("registry.terraform.io/Azure/azapi")
    assert found is not None
    assert (found.kind, found.vendor) == ("hosting", "azure")


def test_azapi_type_known_only_after_apply_says_so(tmp_path: Path) -> None:
    resources = only_resources(
        tmp_path,
        'terraform {\n  required_providers {\n    azapi = { source = "Azure/azapi" }\n  }\n}\n'
        'resource "random_pet" "kind" {}\n'
        'resource "azapi_resource" "thing" {\n'
        "  type      = random_pet.kind.id\n"
        '  parent_id = "/subscriptions/0/resourceGroups/rg"\n'
        '  location  = "westeurope"\n'
        "}\n",
    )
    (thing,) = [r for r in resources if r.address == "azapi_resource.thing"]
    assert thing.data_holding is False
    assert missing(thing, "data-holding") == [
        "its type is known only after apply, so lintsov cannot tell which Azure resource "
        "azapi_resource.thing manages, nor whether it holds data"
    ]


# --- placement by parent -----------------------------------------------------------------


def test_alloydb_instance_is_where_its_cluster_is() -> None:
    us = item("alloydb_instance_in_cluster", "google_alloydb_instance.us_primary")
    assert (us.region, us.countries) == ("us-east4", ("US",))
    assert texts(us, "region") == [
        "region us-east4 ← parent google_alloydb_cluster.us (referenced by cluster) "
        "← attribute location of google_alloydb_cluster.us"
    ]
    eu = item("alloydb_instance_in_cluster", "google_alloydb_instance.eu_primary")
    assert (eu.region, eu.countries) == ("europe-west3", ("DE",))
    findings = folder_findings("alloydb_instance_in_cluster")
    assert ("SOV001", "google_alloydb_instance.us_primary") in findings
    assert ("SOV001", "google_alloydb_instance.eu_primary") not in findings


def test_child_of_an_unplaceable_parent_is_unknown_with_the_parents_reason() -> None:
    typo = item("alloydb_instance_in_cluster", "google_alloydb_instance.typo_primary")
    # Not the provider's europe-west3: the instance is wherever its cluster is.
    assert (typo.region, typo.countries) == ("europe-west33", ())
    assert missing(typo, "region") == [
        "it is where its parent google_alloydb_cluster.typo (referenced by cluster) is: "
        "'europe-west33' is not a google region in lintsov's catalogue"
    ]
    findings = folder_findings("alloydb_instance_in_cluster")
    assert ("SOV003", "google_alloydb_instance.typo_primary") in findings


def test_bigquery_table_is_where_its_dataset_is() -> None:
    us = item("bigquery_table_in_dataset", "google_bigquery_table.us_customers")
    assert (us.region, us.countries, us.data_category) == ("US", ("US",), "warehouse")
    assert texts(us, "region") == [
        "region US ← parent google_bigquery_dataset.us (referenced by dataset_id) "
        "← attribute location of google_bigquery_dataset.us"
    ]
    eu = item("bigquery_table_in_dataset", "google_bigquery_table.eu_customers")
    assert eu.region == "EU"
    assert "US" not in eu.countries
    findings = folder_findings("bigquery_table_in_dataset")
    assert ("SOV001", "google_bigquery_table.us_customers") in findings
    assert ("SOV001", "google_bigquery_table.eu_customers") not in findings


# --- explicit replica locations ------------------------------------------------------------


def test_secret_replicas_place_the_secret_in_all_of_them_on_a_plan() -> None:
    assert findings_of("secret_manager_replicas") >= {
        ("SOV001", "google_secret_manager_secret.api_keys")
    }
    assert ("SOV001", "google_secret_manager_secret.db_password") not in findings_of(
        "secret_manager_replicas"
    )
    residency = Policy(profile="residency", min_vendor_resources=1)
    assert {f.rule for f in outcome_of("secret_manager_replicas", residency).findings} == {
        "SOV001",
        "AUT001",
    }
    result = cli("--profile", "residency", plan_path("secret_manager_replicas"))
    assert result.exit_code == 1


def test_secret_replicas_place_the_secret_in_all_of_them_in_a_folder() -> None:
    secret = item("secret_manager_replicas", "google_secret_manager_secret.api_keys")
    assert (secret.region, secret.countries) == ("us-central1+europe-west1", ("US", "BE"))
    assert texts(secret, "region") == [
        "region us-central1+europe-west1 ← replication.user_managed.replicas[*].location of "
        "google_secret_manager_secret.api_keys: us-central1, europe-west1"
    ]
    (country,) = texts(secret, "country")
    assert country.startswith("country US, BE ← replicas us-central1+europe-west1 (")
    eu_only = item("secret_manager_replicas", "google_secret_manager_secret.db_password")
    assert (eu_only.region, eu_only.countries) == ("europe-west1+europe-west4", ("BE", "NL"))
    residency = Policy(profile="residency")
    findings = folder_findings("secret_manager_replicas", residency)
    assert ("SOV001", "google_secret_manager_secret.api_keys") in findings
    assert ("SOV001", "google_secret_manager_secret.db_password") not in findings


def test_secret_version_is_where_its_secrets_replicas_are() -> None:
    version = item("secret_manager_replicas", "google_secret_manager_secret_version.api_keys")
    assert version.countries == ("US", "BE")
    assert (
        "parent google_secret_manager_secret.api_keys (referenced by secret)"
        in (texts(version, "region")[0])
    )


def test_automatic_secret_replication_is_unknown_not_the_provider_region() -> None:
    auto = item("secret_manager_replicas", "google_secret_manager_secret.session_key")
    assert (auto.region, auto.countries) == (None, ())
    (reason,) = missing(auto, "region")
    assert reason.startswith("replication is automatic: Google replicates the secret's payload")
    assert "https://cloud.google.com/secret-manager/docs/choosing-replication" in reason
    findings = folder_findings("secret_manager_replicas")
    assert ("SOV003", "google_secret_manager_secret.session_key") in findings


def test_bigtable_clusters_and_pubsub_persistence_regions_are_replica_locations() -> None:
    bigtable = item("secret_manager_replicas", "google_bigtable_instance.events")
    assert (bigtable.region, bigtable.countries) == ("europe-west1+us-east1", ("BE", "US"))
    assert texts(bigtable, "region") == [
        "region europe-west1+us-east1 ← cluster[*].zone of google_bigtable_instance.events: "
        "europe-west1-b, us-east1-c ← europe-west1-b is a zone of europe-west1 "
        "← us-east1-c is a zone of us-east1"
    ]
    topic = item("secret_manager_replicas", "google_pubsub_topic.orders")
    assert topic.countries == ("BE", "NL")
    findings = folder_findings("secret_manager_replicas")
    assert ("SOV001", "google_bigtable_instance.events") in findings
    assert ("SOV001", "google_pubsub_topic.orders") not in findings


def test_a_replica_outside_the_catalogue_keeps_the_known_ones_and_says_what_is_missing(
    tmp_path: Path,
) -> None:
    resources = only_resources(
        tmp_path,
        'provider "google" {\n  region = "europe-west3"\n}\n'
        'resource "google_secret_manager_secret" "s" {\n  secret_id = "s"\n'
        "  replication {\n    user_managed {\n"
        '      replicas {\n        location = "us-east1"\n      }\n'
        '      replicas {\n        location = "moon-base1"\n      }\n'
        "    }\n  }\n}\n",
    )
    (secret,) = resources
    assert (secret.region, secret.countries) == ("us-east1", ("US",))
    assert missing(secret, "region") == [
        "replication.user_managed.replicas[*].location: 'moon-base1' is not a google region "
        "in lintsov's catalogue"
    ]


# --- the newly catalogued types of each hosting provider ------------------------------------

EVERYTHING = ("*",)


NAMESPACES = {
    "aws": "hashicorp/aws",
    "hcloud": "hetznercloud/hcloud",
    "ovh": "ovh/ovh",
    "scaleway": "scaleway/scaleway",
    "ionoscloud": "ionos-cloud/ionoscloud",
    "stackit": "stackitcloud/stackit",
    "opentelekomcloud": "opentelekomcloud/opentelekomcloud",
    "exoscale": "exoscale/exoscale",
    "upcloud": "UpCloudLtd/upcloud",
    "google": "hashicorp/google",
    "azurerm": "hashicorp/azurerm",
}


@pytest.mark.parametrize(
    ("address", "blocked", "page"),
    [
        ("aws_s3tables_table_bucket.us", "US", "s3tables_table_bucket"),
        ("aws_s3tables_table.us", "US", "s3tables_table"),
        ("aws_s3vectors_vector_bucket.us", "US", "s3vectors_vector_bucket"),
        ("aws_s3vectors_index.eu", "DE", "s3vectors_index"),
        ("hcloud_storage_box.us", "US", "storage_box"),
        ("hcloud_storage_box_snapshot.eu", "DE", "storage_box_snapshot"),
        ("ovh_cloud_project_volume.us", "US", "cloud_project_volume"),
        ("ovh_okms_secret.fr", "FR", "okms_secret"),
        ("scaleway_rdb_database.fr", "FR", "rdb_database"),
        ("scaleway_documentdb_instance.nl", "NL", "documentdb_instance"),
        ("ionoscloud_pg_database.us", "US", "dbaas_pgsql_database"),
        ("ionoscloud_kafka_cluster_topic.de", "DE", "kafka_topic"),
        ("stackit_postgresflex_database.de", "DE", "postgresflex_database"),
        ("opentelekomcloud_dws_cluster_v1.de", "DE", "dws_cluster_v1"),
        ("opentelekomcloud_cbr_vault_v3.nl", "NL", "cbr_vault_v3"),
        ("exoscale_dbaas_pg_database.ch", "CH", "dbaas_pg_database"),
        ("upcloud_managed_database_logical_database.us", "US", "managed_database_logical_database"),
        ("google_healthcare_fhir_store.us", "US", "healthcare_fhir_store"),
        ("azurerm_cosmosdb_sql_database.us", "US", "cosmosdb_sql_database"),
    ],
)
def test_new_data_store_in_a_blocked_country_is_sov001_citing_its_type_source(
    address: str, blocked: str, page: str
) -> None:
    source = f"{NAMESPACES[address.split('_', maxsplit=1)[0]]}/latest/docs/resources/{page}"
    policy = Policy(blocked=frozenset({blocked}), sensitive_addresses=EVERYTHING)
    found = item("new_data_stores", address, policy)
    assert found.countries == (blocked,)
    assert texts(found, "data-holding")[0].endswith(f"source {REGISTRY}{source}")
    outcome = [
        f for f in findings("new_data_stores", policy) if (f.rule, f.address) == ("SOV001", address)
    ]
    assert len(outcome) == 1
    assert any(source in e.text() for e in outcome[0].evidence)


@pytest.mark.parametrize(
    ("address", "countries"),
    [
        ("aws_s3tables_table_bucket.eu", ("DE",)),
        ("aws_s3vectors_index.eu", ("DE",)),
        ("hcloud_storage_box.eu", ("DE",)),
        ("ovh_cloud_project_volume.eu", ("FR",)),
        ("ovh_okms_secret.fr", ("FR",)),
        ("scaleway_rdb_database.fr", ("FR",)),
        ("ionoscloud_kafka_cluster_topic.de", ("DE",)),
        ("stackit_postgresflex_database.de", ("DE",)),
        ("opentelekomcloud_cbr_vault_v3.nl", ("NL",)),
        ("exoscale_dbaas_pg_database.de", ("DE",)),
        ("upcloud_managed_database_logical_database.fi", ("FI",)),
        ("google_healthcare_fhir_store.eu", ("NL",)),
        ("azurerm_cosmosdb_sql_database.eu", ("NL",)),
    ],
)
def test_new_data_store_in_an_eu_country_is_not_sov001(
    address: str, countries: tuple[str, ...]
) -> None:
    policy = Policy(sensitive_addresses=EVERYTHING)
    found = item("new_data_stores", address, policy)
    assert (found.data_holding, found.countries) == (True, countries)
    assert ("SOV001", address) not in folder_findings("new_data_stores", policy)


def test_children_of_new_types_are_placed_through_their_parent() -> None:
    expected = {
        "scaleway_rdb_database.fr": "scaleway_rdb_instance.fr (referenced by instance_id)",
        "hcloud_storage_box_snapshot.eu": "hcloud_storage_box.eu (referenced by storage_box_id)",
        "ovh_okms_secret.fr": "ovh_okms.fr (referenced by okms_id)",
        "ionoscloud_pg_database.us": "ionoscloud_pg_cluster.us (referenced by cluster_id)",
        "stackit_postgresflex_database.de": (
            "stackit_postgresflex_instance.de (referenced by instance_id)"
        ),
        "upcloud_managed_database_logical_database.us": (
            "upcloud_managed_database_postgresql.us (referenced by service)"
        ),
        "google_healthcare_fhir_store.us": "google_healthcare_dataset.us (referenced by dataset)",
        "azurerm_cosmosdb_sql_database.us": (
            "azurerm_cosmosdb_account.us (referenced by account_name)"
        ),
    }
    for address, parent in expected.items():
        (region,) = texts(item("new_data_stores", address), "region")
        assert f"← parent {parent} ←" in region, address


# --- the catalogue -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arm_type", "category"),
    [
        ("Microsoft.Storage/storageAccounts", "object-storage"),
        ("Microsoft.Storage/storageAccounts/blobServices/containers", "object-storage"),
        ("Microsoft.Storage/storageAccounts/fileServices/shares", "file-storage"),
        ("Microsoft.Sql/servers/databases", "database"),
        ("Microsoft.Sql/managedInstances", "database"),
        ("Microsoft.DocumentDB/databaseAccounts", "database"),
        ("Microsoft.KeyVault/vaults", "secret"),
        ("Microsoft.KeyVault/vaults/keys", "key"),
        ("Microsoft.DBforPostgreSQL/flexibleServers", "database"),
        ("Microsoft.DBforMySQL/flexibleServers", "database"),
        ("Microsoft.Cache/redis", "cache"),
        ("Microsoft.DataLakeStore/accounts", "object-storage"),
        ("Microsoft.Synapse/workspaces", "warehouse"),
        ("Microsoft.EventHub/namespaces", "stream"),
        ("Microsoft.ServiceBus/namespaces", "queue"),
        ("Microsoft.RecoveryServices/vaults", "backup"),
        ("Microsoft.DataProtection/backupVaults", "backup"),
        ("Microsoft.Compute/disks", "block-storage"),
        ("Microsoft.Compute/snapshots", "snapshot"),
        ("Microsoft.ContainerRegistry/registries", "registry"),
        ("Microsoft.AppConfiguration/configurationStores", "database"),
        ("Microsoft.OperationalInsights/workspaces", "log"),
    ],
)
def test_arm_types_that_hold_data(arm_type: str, category: str) -> None:
    found = catalogue.builtin().arm_types[arm_type.lower()]
    assert (found.type, found.category) == (arm_type, category)
    assert found.source == ARM + arm_type.lower()


def test_arm_types_leave_out_what_holds_no_data() -> None:
    arm = catalogue.builtin().arm_types
    for arm_type in (
        "microsoft.resources/resourcegroups",
        "microsoft.network/virtualnetworks",
        "microsoft.network/publicipaddresses",
        "microsoft.authorization/roleassignments",
    ):
        assert arm_type not in arm


@pytest.mark.parametrize(
    ("type_", "category"),
    [
        ("aws_s3tables_table_bucket", "object-storage"),
        ("aws_s3tables_table", "warehouse"),
        ("aws_s3vectors_vector_bucket", "object-storage"),
        ("aws_s3vectors_index", "database"),
        ("hcloud_storage_box", "file-storage"),
        ("ovh_cloud_project_volume", "block-storage"),
        ("ovh_cloud_project_file_storage_share", "file-storage"),
        ("ovh_okms", "key"),
        ("ovh_okms_secret", "secret"),
        ("ovh_cloud_project_database_database", "database"),
        ("google_alloydb_instance", "database"),
        ("google_alloydb_cluster", "database"),
        ("google_bigquery_table", "warehouse"),
        ("google_secret_manager_regional_secret", "secret"),
    ],
)
def test_data_holding_types_the_brief_names(type_: str, category: str) -> None:
    assert catalogue.builtin().data_types[type_].category == category


def test_s3_tables_namespace_holds_no_data_of_its_own() -> None:
    # A namespace groups tables; the data is in the tables and their table bucket.
    assert "aws_s3tables_namespace" not in catalogue.builtin().data_types


def test_catalog_json_lists_arm_types() -> None:
    document = json.loads(cli("catalog", "--format", "json").output)
    listed = {t["type"]: t["category"] for t in document["arm_types"]}
    assert listed["Microsoft.Storage/storageAccounts"] == "object-storage"
    assert len(listed) == len(catalogue.builtin().arm_types)


def test_config_adds_arm_types_and_never_replaces_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(
        'terraform {\n  required_providers {\n    azapi = { source = "Azure/azapi" }\n  }\n}\n'
        'resource "azapi_resource" "ledger" {\n'
        '  type      = "Microsoft.Example/ledgers@2025-01-01"\n'
        '  parent_id = "/subscriptions/0/resourceGroups/rg"\n'
        '  location  = "eastus"\n'
        '  tags      = { data-classification = "confidential" }\n'
        "}\n"
    )
    (tmp_path / ".lintsov.yaml").write_text(
        "catalogue:\n  arm_types:\n    - {type: Microsoft.Example/ledgers, category: database, "
        "source: 'https://docs.example.com/ledgers'}\n"
    )
    document = json.loads(cli("inventory", "infra", "--format", "json", "--no-cache").output)
    (ledger,) = document["inputs"][0]["resources"]
    assert (ledger["data_category"], ledger["countries"]) == ("database", ["US"])
    assert "catalogue extension in .lintsov.yaml" in json.dumps(ledger["evidence"])
    (tmp_path / ".lintsov.yaml").write_text(
        "catalogue:\n  arm_types:\n    - {type: microsoft.storage/storageaccounts, "
        "category: database, source: 'https://x.example'}\n"
    )
    result = cli("infra")
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "invalid config: ARM type 'microsoft.storage/storageaccounts' is already catalogued "
        "(at catalogue.arm_types[0].type)"
    )


def test_nested_marks_are_read_through_dotted_names_and_blocks() -> None:
    from lintsov.resolve.values import Values

    values = Values(
        {"body": {"location": "westeurope"}, "replication": [{"user_managed": [{}]}]},
        {"replication": [{"user_managed": [{"replicas": [{"location": True}]}]}]},
        {"body": {"location": True}},
    )
    assert values.known("body.location") == "westeurope"
    assert values.is_sensitive("body.location")
    assert values.sensitive_within("body")
    assert not values.sensitive_within("replication")
    assert values.unknown_within("replication")
    assert not values.is_unknown("replication")
