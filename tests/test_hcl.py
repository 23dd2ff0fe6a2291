"""Configuration folders: the same rules as plans, with file:line on every finding."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers import (
    HCL,
    cli,
    folder_findings,
    folder_inventory,
    hcl_path,
    outcome_of,
    plan_path,
)
from lintsov.inventory import ResolvedResource
from lintsov.policy import Policy


def item(name: str, address: str, **hcl: object) -> ResolvedResource:
    for found in folder_inventory(name, **hcl).resources:  # type: ignore[arg-type]
        if found.address == address:
            return found
    raise AssertionError(f"{address} not in {name}")


def texts(resource: ResolvedResource, fact: str) -> list[str]:
    return [e.text() for e in resource.evidence if e.fact == fact]


def test_alias_passed_into_nested_modules() -> None:
    bucket = item(
        "aliases_passed_into_nested_modules", "module.vault.module.store.aws_s3_bucket.secrets[0]"
    )
    assert (bucket.region, bucket.countries) == ("us-east-1", ("US",))
    assert texts(bucket, "region") == [
        "region us-east-1 ← provider aws.us ← inherited by module.vault.module.store ← passed "
        f"to module.vault as aws ({hcl_path('aliases_passed_into_nested_modules')}/main.tf:18) "
        "← constant in provider aws.us region "
        f"({hcl_path('aliases_passed_into_nested_modules')}/main.tf:13)"
    ]
    store = f"{hcl_path('aliases_passed_into_nested_modules')}/modules/vault/store/main.tf"
    assert bucket.location is not None
    assert (bucket.location.file, bucket.location.line, bucket.location.end_line) == (store, 1, 7)


def test_region_from_tfvars_over_the_default() -> None:
    db = item("region_from_tfvars", "aws_db_instance.customers")
    assert db.region == "eu-west-1"
    (region,) = texts(db, "region")
    assert "var.region" in region
    assert f"{hcl_path('region_from_tfvars')}/terraform.tfvars:1" in region


def test_var_file_and_var_override_tfvars(tmp_path: Path) -> None:
    extra = tmp_path / "prod.tfvars"
    extra.write_text('region = "eu-north-1"\n')
    assert (
        item("region_from_tfvars", "aws_db_instance.customers", var_files=(str(extra),)).region
        == "eu-north-1"
    )
    assert (
        item(
            "region_from_tfvars",
            "aws_db_instance.customers",
            var_files=(str(extra),),
            variables=("region=ap-south-1",),
        ).region
        == "ap-south-1"
    )


def test_backend_is_captured() -> None:
    from lintsov import catalogue
    from lintsov.load import LoadOptions, load

    stack = load(hcl_path("region_from_tfvars"), LoadOptions())
    assert stack.backend is not None
    assert stack.backend.type == "s3"
    assert stack.backend.attributes["region"].value == "eu-central-1"  # type: ignore[union-attr]
    assert catalogue.builtin() is not None


def test_locals_with_merge_make_data_sensitive() -> None:
    bucket = item("locals_merge", "google_storage_bucket.ledger")
    assert bucket.sensitive
    assert bucket.countries == ("US",)
    (sensitive,) = texts(bucket, "sensitive")
    assert sensitive.startswith(
        "sensitive ← label data_classification=pii ← labels of google_storage_bucket.ledger"
    )


def test_tofu_file_replaces_tf_file() -> None:
    inventory = folder_inventory("tofu_overrides_tf")
    assert inventory.tool == "OpenTofu configuration"
    (bucket,) = inventory.resources
    assert bucket.region == "eu-central-1"
    assert bucket.location is not None
    assert bucket.location.file.endswith("main.tofu")


def test_override_file_is_merged() -> None:
    table = item("override_file", "aws_dynamodb_table.orders")
    assert table.region == "eu-north-1"
    assert "override.tf" in texts(table, "region")[0]


def test_waivers_with_and_without_reason_and_expired() -> None:
    policy = Policy(today=date(2026, 11, 29))
    found = folder_findings("waivers", policy)
    assert ("SOV002", "aws_s3_bucket.waived") not in found
    assert ("SOV002", "aws_s3_bucket.no_reason") in found
    assert ("SOV002", "aws_s3_bucket.expired") in found
    assert ("LSV001", "aws_s3_bucket.no_reason") in found
    assert ("LSV001", "aws_s3_bucket.expired") in found
    assert ("AUT001", "(all resources)") in found  # a whole-input finding, on no block


def test_show_waived_lists_what_was_waived_and_why() -> None:
    result = cli(hcl_path("waivers"), "--show-waived", "--no-cache")
    assert result.exit_code == 1
    out = result.output
    assert "WAIVED (1)" in out
    assert "SOV002 aws_s3_bucket.waived" in out
    assert "until 2099-12-31: EU data boundary contract, ticket SEC-12" in out
    assert "the waiver for SOV002 has no reason, so it waives nothing" in out
    assert "the waiver for SOV002 expired on 2020-01-31, so it no longer waives" in out
    document = json.loads(cli(hcl_path("waivers"), "--format", "json", "--no-cache").output)
    assert [w["address"] for w in document["waived"]] == ["aws_s3_bucket.waived"]
    assert document["waived"][0]["waiver"]["reason"] == "EU data boundary contract, ticket SEC-12"


def test_module_not_initialised_is_reported_not_dropped() -> None:
    found = folder_findings("module_not_initialised")
    assert ("LSV002", "module.vpc") in found
    result = cli(hcl_path("module_not_initialised"), "--no-cache")
    assert "module.vpc was not loaded, so its resources were not checked" in result.output
    assert "terraform init" in result.output


def test_one_missing_registry_module_is_reported_once_with_its_call_paths(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        + "".join(f'module "{name}" {{\n  source = "./{name}"\n}}\n' for name in ("a", "b", "c"))
    )
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(
            'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
        )
    document = json.loads(cli(str(tmp_path), "--format", "json", "--no-cache").output)
    (finding,) = [f for f in document["findings"] if f["rule"] == "LSV002"]
    assert finding["address"] == "module.a.module.vpc"
    assert finding["message"].startswith(
        "terraform-aws-modules/vpc/aws is called from 3 places "
        "(module.a.module.vpc, module.b.module.vpc, module.c.module.vpc) and was not loaded"
    )
    called = [e["value"] for e in finding["evidence"] if e["fact"] == "called from"]
    assert called == ["module.a.module.vpc", "module.b.module.vpc", "module.c.module.vpc"]


def test_installed_module_is_read_from_modules_json(tmp_path: Path) -> None:
    root = tmp_path / "root"
    installed = root / ".terraform" / "modules" / "vpc"
    installed.mkdir(parents=True)
    (root / "main.tf").write_text(
        'provider "aws" {\n  region = "us-west-2"\n}\n'
        'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
    )
    (installed / "main.tf").write_text(
        'resource "aws_s3_bucket" "flow_logs" {\n  tags = { classification = "secret" }\n}\n'
    )
    (root / ".terraform" / "modules" / "modules.json").write_text(
        json.dumps(
            {
                "Modules": [
                    {"Key": "", "Source": "", "Dir": "."},
                    {
                        "Key": "vpc",
                        "Source": "registry.terraform.io/terraform-aws-modules/vpc/aws",
                        "Dir": ".terraform/modules/vpc",
                    },
                ]
            }
        )
    )
    result = cli(str(root), "--format", "json", "--no-cache")
    findings = {(f["rule"], f["address"]) for f in json.loads(result.output)["findings"]}
    assert ("SOV001", "module.vpc.aws_s3_bucket.flow_logs") in findings


def test_module_cycle_does_not_hang() -> None:
    found = folder_findings("module_cycle")
    assert ("LSV002", "module.a.module.back") in found


def test_a_known_count_makes_one_resource_per_instance() -> None:
    addresses = [
        r.address for r in folder_inventory("aliases_passed_into_nested_modules").resources
    ]
    assert addresses == [
        "module.vault.module.store.aws_s3_bucket.secrets[0]",
        "module.vault.module.store.aws_s3_bucket.secrets[1]",
    ]


def test_location_from_a_referenced_resource_attribute() -> None:
    account = item("azure_location_from_resource_group", "azurerm_storage_account.documents")
    assert (account.region, account.countries) == ("eastus", ("US",))
    assert "azurerm_resource_group.main.location" in texts(account, "region")[0]
    container = item("azure_location_from_resource_group", "azurerm_storage_container.scans")
    assert container.region == "eastus"


def test_same_verdicts_from_configuration_and_plan() -> None:
    from_plan = {(f.rule, f.address) for f in outcome_of("provider_alias").findings}
    from_folder = folder_findings("same_as_plan_provider_alias")
    assert from_plan == from_folder
    assert ("SOV001", "aws_s3_bucket.us") in from_folder


def test_every_finding_from_a_folder_has_file_and_lines() -> None:
    result = cli(hcl_path("same_as_plan_provider_alias"), "--format", "json", "--no-cache")
    for finding in json.loads(result.output)["findings"]:
        if finding["address"] == "(all resources)":
            continue
        location = finding["location"]
        assert location["file"].endswith("main.tf")
        assert location["line"] >= 1
        assert location["end_line"] >= location["line"]


def test_plan_findings_point_at_the_configuration(tmp_path: Path) -> None:
    result = cli(
        plan_path("provider_alias"),
        "--source",
        hcl_path("same_as_plan_provider_alias"),
        "--format",
        "json",
    )
    by_address = {f["address"]: f for f in json.loads(result.output)["findings"]}
    location = by_address["aws_s3_bucket.us"]["location"]
    assert location == {
        "file": f"{hcl_path('same_as_plan_provider_alias')}/main.tf",
        "line": 16,
        "end_line": 20,
    }


def test_plan_beside_its_configuration_is_mapped_automatically(tmp_path: Path) -> None:
    folder = tmp_path / "stack"
    folder.mkdir()
    (folder / "main.tf").write_text((HCL / "same_as_plan_provider_alias" / "main.tf").read_text())
    (folder / "plan.json").write_text(Path(plan_path("provider_alias")).read_text())
    result = cli(str(folder / "plan.json"), "--format", "json")
    by_address = {f["address"]: f for f in json.loads(result.output)["findings"]}
    assert by_address["aws_s3_bucket.us"]["location"]["file"] == str(folder / "main.tf")


def test_a_tf_file_means_its_folder() -> None:
    result = cli(
        f"{hcl_path('same_as_plan_provider_alias')}/main.tf", "--format", "json", "--no-cache"
    )
    document = json.loads(result.output)
    assert [i["path"] for i in document["inputs"]] == [hcl_path("same_as_plan_provider_alias")]


def test_parse_error_names_file_line_column_and_what_was_expected() -> None:
    result = cli(hcl_path("parse_error"), "--no-cache")
    assert result.exit_code == 2
    path = f"{hcl_path('parse_error')}/main.tf"
    line = result.output.strip()
    assert line.startswith(f"lintsov: error: {path}: unexpected ")
    assert "expected " in line
    assert line.endswith(f"(at {path}:6:11)")


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"\x00\x01binary", "a binary file"),
        (b'resource "a" "b" {\n  x = "caf\xe9"\n}\n', "not UTF-8 text"),
    ],
)
def test_unreadable_configuration_files(tmp_path: Path, content: bytes, what: str) -> None:
    (tmp_path / "main.tf").write_bytes(content)
    result = cli(str(tmp_path), "--no-cache")
    assert result.exit_code == 2
    assert f"lintsov: error: {tmp_path / 'main.tf'}: {what}" in result.output


def test_folder_without_configuration_files(tmp_path: Path) -> None:
    result = cli(str(tmp_path))
    assert result.exit_code == 2
    assert "no .tf, .tf.json, .tofu or .tofu.json files" in result.output


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('module "loop" {\n  source = "./loop"\n}\n')
    (tmp_path / "loop").symlink_to(tmp_path)
    result = cli(str(tmp_path), "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    assert [(f["rule"], f["address"]) for f in findings] == [("LSV002", "module.loop")]


def test_self_referencing_symlinked_file(tmp_path: Path) -> None:
    (tmp_path / "main.tf").symlink_to(tmp_path / "main.tf")
    result = cli(str(tmp_path), "--no-cache")
    assert result.exit_code == 2
    assert "main.tf: cannot read" in result.output


def test_tf_json_files_are_read(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(
        json.dumps(
            {
                "provider": {"aws": {"region": "us-east-2"}},
                "resource": {
                    "aws_s3_bucket": {
                        "data": {"bucket": "acme", "tags": {"data-classification": "restricted"}}
                    }
                },
            },
            indent=2,
        )
    )
    document = json.loads(cli(str(tmp_path), "--format", "json", "--no-cache").output)
    findings = {(f["rule"], f["address"]) for f in document["findings"]}
    assert ("SOV001", "aws_s3_bucket.data") in findings


def test_tf_var_environment_variables(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "region" {}\nprovider "aws" {\n  region = var.region\n}\n'
        'resource "aws_s3_bucket" "b" {\n  tags = { classification = "secret" }\n}\n'
    )
    missing = item_in(tmp_path, "aws_s3_bucket.b")
    assert missing.region is None
    assert (
        "var.region has no value (no default, tfvars or --var)"
        in missing.missing_for("region")[0].reason
    )
    found = item_in(tmp_path, "aws_s3_bucket.b", environment={"TF_VAR_region": "eu-west-3"})
    assert found.region == "eu-west-3"
    assert "environment variable TF_VAR_region" in texts(found, "region")[0]


def test_module_output_and_providers_map_without_the_provider(tmp_path: Path) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "main.tf").write_text('output "region" {\n  value = "ca-central-1"\n}\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.tf").write_text(
        'resource "aws_s3_bucket" "b" {\n  tags = { classification = "secret" }\n}\n'
    )
    (tmp_path / "main.tf").write_text(
        'module "net" {\n  source = "./net"\n}\n'
        'provider "aws" {\n  region = module.net.region\n}\n'
        'provider "aws" {\n  alias = "x"\n  region = "us-east-1"\n}\n'
        'resource "aws_s3_bucket" "root" {}\n'
        'module "app" {\n  source = "./app"\n  providers = { aws.other = aws.x }\n}\n'
    )
    root = item_in(tmp_path, "aws_s3_bucket.root")
    assert root.region == "ca-central-1"
    assert "module.net.region" in texts(root, "region")[0]
    app = item_in(tmp_path, "module.app.aws_s3_bucket.b")
    assert app.region is None
    assert "passes a providers map without aws" in app.missing_for("region")[0].reason


def item_in(folder: Path, address: str, **hcl: Any) -> ResolvedResource:
    from lintsov import catalogue
    from lintsov.load import LoadOptions
    from lintsov.load.hcl_options import HclOptions
    from lintsov.pipeline import inventories

    (inventory,) = inventories(
        [str(folder)], catalogue.builtin(), Policy(), LoadOptions(hcl=HclOptions(**hcl))
    )
    for found in inventory.resources:
        if found.address == address:
            return found
    raise AssertionError(address)


def test_parent_location_with_count_on_the_parent(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "azurerm" {\n  features {}\n}\n'
        'resource "azurerm_storage_account" "logs" {\n  count    = 2\n'
        '  name     = "logs${count.index}"\n  location = "Germany West Central"\n}\n'
        'resource "azurerm_storage_container" "c" {\n'
        "  storage_account_id = azurerm_storage_account.logs[0].id\n"
        '  tags = { classification = "secret" }\n}\n'
    )
    container = item_in(tmp_path, "azurerm_storage_container.c")
    assert (container.region, container.countries) == ("germanywestcentral", ("DE",))


def test_reasons_name_the_configuration_where_there_is_no_plan() -> None:
    name = "region_nowhere_in_configuration"
    reasons = {
        found.address: [m.text() for m in found.missing_for("region")]
        for found in folder_inventory(name).resources
    }
    assert reasons == {
        "aws_s3_bucket.region_from_environment": [
            "region is unknown: provider aws has no region in the configuration; it comes from "
            "the environment at apply time"
        ],
        "aws_s3_bucket.region_marked_sensitive": [
            "region is unknown: region is marked sensitive in the configuration, so lintsov "
            "does not read it"
        ],
        "azurerm_storage_account.no_location": [
            "region is unknown: azurerm_storage_account has no location of its own in the "
            "configuration, and the provider azurerm has no region setting"
        ],
    }
    report = cli(hcl_path(name), "--no-cache", "--show-waived").output
    assert "in the configuration" in report
    assert "in the plan" not in report


# --- duplicate addresses --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "what", "line"),
    [
        (
            'resource "aws_s3_bucket" "b" {\n}\n',
            'locals {\n  x = 1\n}\n\nresource "aws_s3_bucket" "b" {\n}\n',
            'duplicate resource "aws_s3_bucket" "b"',
            5,
        ),
        (
            'data "aws_region" "r" {\n}\n',
            'data "aws_region" "r" {\n}\n',
            'duplicate data "aws_region" "r"',
            1,
        ),
        ('module "m" {\n  source = "./m"\n}\n', 'module "m" {\n}\n', 'duplicate module "m"', 1),
        ('variable "v" {\n}\n', '\nvariable "v" {\n}\n', 'duplicate variable "v"', 2),
        ('output "o" {\n  value = 1\n}\n', 'output "o" {\n}\n', 'duplicate output "o"', 1),
        (
            'provider "aws" {\n  alias = "us"\n}\n',
            'provider "aws" {\n  alias = "us"\n}\n',
            'duplicate provider "aws" with alias "us"',
            1,
        ),
        (
            'provider "aws" {\n}\n',
            'provider "aws" {\n}\n',
            'duplicate provider "aws" (without an alias)',
            1,
        ),
    ],
)
def test_duplicate_address_in_a_module_is_an_input_error_naming_both_places(
    tmp_path: Path, first: str, second: str, what: str, line: int
) -> None:
    (tmp_path / "a.tf").write_text(first)
    (tmp_path / "b.tf").write_text(second)
    result = cli(str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.output
    a, b = tmp_path / "a.tf", tmp_path / "b.tf"
    assert result.output.strip() == (
        f"lintsov: error: {b}: {what}: already declared at {a}:1:1 (at {b}:{line}:1)"
    )


def test_duplicate_local_value_names_both_places(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text('locals {\n  region = "eu-west-1"\n}\n')
    (tmp_path / "b.tf").write_text('locals {\n  other  = 1\n  region = "us-east-1"\n}\n')
    result = cli(str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.output
    b = tmp_path / "b.tf"
    assert result.output.strip() == (
        f'lintsov: error: {b}: duplicate local value "region": already declared at '
        f"{tmp_path / 'a.tf'}:2:3 (at {b}:3:3)"
    )


def test_override_file_and_aliased_providers_are_not_duplicates(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'provider "aws" {\n  alias  = "us"\n  region = "us-east-1"\n}\n'
        'locals {\n  region = "eu-west-1"\n}\n'
        'resource "aws_s3_bucket" "b" {\n  tags = { classification = "secret" }\n}\n'
    )
    (tmp_path / "override.tf").write_text(
        'provider "aws" {\n  region = "eu-north-1"\n}\n'
        'locals {\n  region = "eu-north-1"\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    )
    bucket = item_in(tmp_path, "aws_s3_bucket.b")
    assert bucket.region == "eu-north-1"
    assert texts(bucket, "region") == [
        "region eu-north-1 ← provider aws ← constant in provider aws region "
        f"({tmp_path / 'override.tf'}:2)"
    ]


def test_region_through_try_for_merge_lookup_and_templatefile() -> None:
    name = "region_through_try_for_merge_lookup_template"
    bucket = item(name, "aws_s3_bucket.data")
    assert (bucket.region, bucket.countries) == ("eu-west-1", ("IE",))
    main, variables = f"{hcl_path(name)}/main.tf", f"{hcl_path(name)}/variables.tf"
    assert texts(bucket, "region") == [
        "region eu-west-1 ← provider aws ← try(lookup(var.regions, local.config.zone), "
        f"local.config.missing) in provider aws region ({main}:10) ← var.regions ← constant in "
        f"default of var.regions ({variables}:3) ← local.config.zone ← local.config ← "
        'yamldecode(templatefile("${path.module}/config.yaml.tpl", { zone = local.zones[… in '
        f"local.config ({main}:6) ← path.module ← local.zones[0] ← local.zones ← [for name, "
        "region in var.regions : name if name == local.settings.zone] in local.zones "
        f"({main}:5) ← local.settings.zone ← local.settings ← merge(local.base, local.extra) "
        f"in local.settings ({main}:4) ← local.base ← constant in local.base ({main}:2) ← "
        f"local.extra ← constant in local.extra ({main}:3) ← rendered template "
        "./config.yaml.tpl"
    ]


INSTANCES = "instances_and_module_values"


def test_module_argument_from_a_local_keeps_the_whole_chain() -> None:
    database = item(INSTANCES, "module.db.google_sql_database_instance.main")
    assert (database.region, database.countries) == ("europe-west1", ("BE",))
    assert texts(database, "region") == [
        "region europe-west1 ← attribute region of module.db.google_sql_database_instance.main "
        "← var.region ← var.region of module.db ← argument region of module.db "
        f"({hcl_path(INSTANCES)}/main.tf:24) ← local.region ← constant in local.region "
        f"({hcl_path(INSTANCES)}/main.tf:9)"
    ]


def test_an_object_passed_whole_is_indexed_in_the_module() -> None:
    exports = item(INSTANCES, "module.db.google_storage_bucket.exports")
    assert (exports.region, exports.countries) == ("europe-west4", ("NL",))
    assert "var.config.region ← var.config ← var.config of module.db" in texts(exports, "region")[0]


def test_a_module_output_of_a_resource_attribute_places_the_caller() -> None:
    for index in (0, 1):
        bucket = item(INSTANCES, f"google_storage_bucket.numbered[{index}]")
        assert (bucket.region, bucket.countries) == ("europe-west1", ("BE",))
        assert texts(bucket, "region")[0].startswith(
            f"region europe-west1 ← attribute location of google_storage_bucket.numbered[{index}]"
            " ← module.db.region ← google_sql_database_instance.main.region ← var.region"
        )


def test_for_each_on_a_resource_makes_one_instance_per_key() -> None:
    found = {
        r.address: (r.region, r.countries)
        for r in folder_inventory(INSTANCES).resources
        if r.address.startswith("google_storage_bucket.by_region")
    }
    assert found == {
        'google_storage_bucket.by_region["eu"]': ("europe-west3", ("DE",)),
        'google_storage_bucket.by_region["us"]': ("us-central1", ("US",)),
    }
    eu = item(INSTANCES, 'google_storage_bucket.by_region["eu"]')
    assert texts(eu, "region")[0] == (
        'region europe-west3 ← attribute location of google_storage_bucket.by_region["eu"] ← '
        'each.value ← for_each of google_storage_bucket.by_region["eu"] '
        f"({hcl_path(INSTANCES)}/main.tf:36) ← local.regions ← constant in local.regions "
        f"({hcl_path(INSTANCES)}/main.tf:10)"
    )


def test_for_each_on_a_module_makes_one_module_instance_per_key() -> None:
    found = {
        r.address: r.region
        for r in folder_inventory(INSTANCES).resources
        if r.address.startswith("module.regional")
    }
    assert found == {
        'module.regional["eu"].google_sql_database_instance.main': "europe-west3",
        'module.regional["eu"].google_storage_bucket.exports': "europe-west3",
        'module.regional["us"].google_sql_database_instance.main': "us-central1",
        'module.regional["us"].google_storage_bucket.exports': "us-central1",
    }
    # module.regional["us"].region, read from the caller.
    beside = item(INSTANCES, "google_storage_bucket.beside_us")
    assert (beside.region, beside.countries) == ("us-central1", ("US",))
    assert (
        'module.regional["us"].region ← google_sql_database_instance.main.region'
        in (texts(beside, "region")[0])
    )


def test_an_unknown_for_each_keeps_one_instance_with_the_reason() -> None:
    archive = item(INSTANCES, "google_storage_bucket.archive[*]")
    assert archive.region is None
    assert [m.text() for m in archive.missing_for("region")] == [
        "region is unknown: location: each.value differs per instance: "
        "google_storage_bucket.archive has one instance per element of its for_each, which is "
        "unknown: var.archive_buckets has no value (no default, tfvars or --var)"
    ]


def test_a_provider_without_required_providers_is_hashicorp_by_its_name() -> None:
    database = item(INSTANCES, "module.db.google_sql_database_instance.main")
    assert database.vendor == "google"
    stack = folder_inventory(INSTANCES)
    sources = {r.address: r.provider_source for r in stack.resources}
    assert set(sources.values()) == {"registry.terraform.io/hashicorp/google"}


def test_count_over_the_bound_keeps_one_instance_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'resource "aws_s3_bucket" "many" {\n  count  = 1001\n'
        '  bucket = "b-${count.index}"\n}\n'
    )
    bucket = item_in(tmp_path, "aws_s3_bucket.many[*]")
    assert bucket.region == "eu-west-1"


def test_module_instances_count_zero_none_and_unknown_for_each_one(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(
        'variable "name" {\n  default = "x"\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = var.name\n}\n'
        'output "name" {\n  value = aws_s3_bucket.b.bucket\n}\n'
    )
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\nvariable "names" {}\n'
        'module "none" {\n  source = "./m"\n  count  = 0\n}\n'
        'module "many" {\n  source   = "./m"\n  for_each = var.names\n  name     = each.key\n}\n'
    )
    from lintsov import catalogue
    from lintsov.load import LoadOptions
    from lintsov.pipeline import inventories

    (inventory,) = inventories([str(tmp_path)], catalogue.builtin(), Policy(), LoadOptions())
    assert [r.address for r in inventory.resources] == ["module.many[*].aws_s3_bucket.b"]
