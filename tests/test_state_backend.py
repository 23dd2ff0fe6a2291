"""SOV006: where Terraform state is stored, whose law reaches it, and what mitigates it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from helpers import HCL, ROOT, cli, hcl_path, plan_path

WITH_STATE = ROOT / "fixtures" / "plans_with_state"


def sov006(target: str, *args: str) -> list[dict[str, Any]]:
    result = cli(target, "--format", "json", "--fail-on", "never", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    return [f for f in json.loads(result.output)["findings"] if f["rule"] == "SOV006"]


def only(target: str, *args: str) -> dict[str, Any]:
    (finding,) = sov006(target, *args)
    return finding


def texts(finding: dict[str, Any], fact: str) -> list[str]:
    return [e["text"] for e in finding["evidence"] if e["fact"] == fact]


@pytest.fixture
def endpoints(tmp_path: Path) -> str:
    config = tmp_path / "lintsov.yaml"
    config.write_text(
        "endpoints:\n"
        '  "tfe.acme.example.nl": {vendor: "Acme Hosting B.V.", country: NL}\n'
        '  "bao.acme.example.nl": {vendor: "Acme Hosting B.V.", country: NL}\n'
        '  "s3.storage.example.de": {vendor: "Example Storage GmbH", country: DE}\n'
    )
    return str(config)


# --- where the state is ---------------------------------------------------------------------


def test_s3_backend_in_us_east_1_is_an_error() -> None:
    finding = only(hcl_path("state_s3_us_east_1"))
    assert finding["severity"] == "error"
    assert finding["address"] == "terraform.backend.s3"
    assert finding["location"]["line"] == 2
    assert finding["location"]["file"].endswith("state_s3_us_east_1/main.tf")
    assert "is stored in us-east-1 (US), under blocked jurisdiction US" in finding["message"]
    assert texts(finding, "region")[0].startswith("region us-east-1 ← backend s3 region")
    assert texts(finding, "country")[0].startswith("country US ← region us-east-1")
    assert texts(finding, "reach")[0].startswith("reach US ← operator Amazon Web Services, Inc.")


def test_s3_backend_in_eu_is_an_error_for_sovereignty_and_clean_for_residency() -> None:
    finding = only(hcl_path("state_s3_eu_central_1"))
    assert finding["severity"] == "error"
    assert "held by Amazon Web Services (AWS)" in finding["message"]
    assert "US law (CLOUD Act, FISA §702)" in finding["message"]
    assert "(here eu-central-1 (DE))" in finding["message"]
    assert finding["countries"] == ["DE"]
    assert finding["jurisdictions"] == ["DE", "US"]
    assert sov006(hcl_path("state_s3_eu_central_1"), "--profile", "residency") == []


def test_residency_judges_only_the_location_and_says_so_without_the_vendor() -> None:
    finding = only(hcl_path("state_s3_us_east_1"), "--profile", "residency")
    assert finding["severity"] == "error"
    assert {e["fact"] for e in finding["evidence"]} == {"backend", "region", "country"}


def test_cloud_block_is_hcp_terraform_run_by_hashicorp() -> None:
    finding = only(hcl_path("state_cloud_block"))
    assert finding["severity"] == "error"
    assert finding["address"] == "terraform.cloud"
    assert "HashiCorp, Inc. is reachable under US law" in finding["message"]
    assert finding["vendor"] == "hashicorp"
    (endpoint,) = texts(finding, "endpoint")
    assert endpoint.startswith(
        "endpoint app.terraform.io ← no hostname in the cloud configuration: the default "
        "app.terraform.io ← source https://developer.hashicorp.com/"
    )


def test_cloud_block_location_is_unknown_for_residency() -> None:
    finding = only(hcl_path("state_cloud_block"), "--profile", "residency")
    assert finding["severity"] == "warning"
    assert "region is unknown: HCP Terraform does not say" in finding["message"]


def test_gcs_backend_names_the_vendor_but_not_the_location() -> None:
    finding = only(hcl_path("state_gcs"))
    assert finding["severity"] == "error"
    assert finding["address"] == "terraform.backend.gcs"
    assert "Google LLC is reachable under US law" in finding["message"]
    residency = only(hcl_path("state_gcs"), "--profile", "residency")
    assert residency["severity"] == "warning"
    assert "the bucket's location is set where the bucket was created" in residency["message"]


def test_remote_backend_on_an_enterprise_host_placed_in_nl_is_clean(endpoints: str) -> None:
    assert sov006(hcl_path("state_remote_enterprise_host"), "--config", endpoints) == []


def test_remote_backend_on_an_unplaced_host_is_a_warning() -> None:
    finding = only(hcl_path("state_remote_enterprise_host"))
    assert finding["severity"] == "warning"
    assert finding["address"] == "terraform.backend.remote"
    assert "vendor is unknown: endpoint tfe.acme.example.nl is neither" in finding["message"]


def test_http_backend_at_an_unknown_host_is_a_warning_that_says_what_is_unknown() -> None:
    finding = only(hcl_path("state_http_backend_unknown_host"))
    assert finding["severity"] == "warning"
    assert finding["address"] == "terraform.backend.http"
    assert finding["message"].startswith("Terraform state (backend http) whose vendor is unknown")
    assert "state.example.com" in finding["message"]
    assert "region is unknown" in finding["message"]
    residency = only(hcl_path("state_http_backend_unknown_host"), "--profile", "residency")
    assert residency["severity"] == "warning"


def test_s3_compatible_endpoint_is_run_by_whoever_runs_the_host(endpoints: str) -> None:
    # The backend's region (us-east-1) is what S3-compatible stores are given to satisfy
    # the client: the endpoint decides, and it is not AWS.
    finding = only(hcl_path("state_s3_compatible_endpoint"))
    assert finding["severity"] == "warning"
    assert "vendor is unknown: endpoint s3.storage.example.de" in finding["message"]
    assert finding["countries"] == []
    assert sov006(hcl_path("state_s3_compatible_endpoint"), "--config", endpoints) == []


def test_local_state_is_not_reported() -> None:
    assert sov006(hcl_path("state_local")) == []


def test_pg_backend_shows_the_host_never_the_password(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'terraform {\n  backend "pg" {\n'
        '    conn_str = "postgres://state:hunter2-PASSWORD@db.example.com/terraform"\n'
        "  }\n}\n"
    )
    result = cli(str(tmp_path), "--format", "json", "--fail-on", "never", "--no-cache")
    assert "hunter2-PASSWORD" not in result.output
    (finding,) = [f for f in json.loads(result.output)["findings"] if f["rule"] == "SOV006"]
    assert "endpoint db.example.com is neither" in finding["message"]


# --- OpenTofu state encryption --------------------------------------------------------------


def test_pbkdf2_state_encryption_makes_it_a_warning_that_names_the_key_provider() -> None:
    finding = only(hcl_path("state_s3_eu_with_pbkdf2_encryption"))
    assert finding["severity"] == "warning"
    assert "mitigated: state encrypted with key_provider.pbkdf2.team" in finding["message"]
    (mitigation,) = texts(finding, "mitigation")
    assert "state { method = method.aes_gcm.team }" in mitigation
    assert "method.aes_gcm.team keys = key_provider.pbkdf2.team" in mitigation
    assert "a passphrase the team holds, no vendor holds the key" in mitigation


def test_a_key_in_the_same_us_vendors_kms_is_no_mitigation() -> None:
    finding = only(hcl_path("state_s3_eu_with_aws_kms_encryption"))
    assert finding["severity"] == "error"
    assert "mitigated" not in finding["message"]
    (encryption,) = texts(finding, "encryption")
    assert "key_provider.aws_kms.state" in encryption
    assert "(the same vendor that stores the state)" in encryption
    assert encryption.endswith("← no mitigation")


def test_a_key_provider_not_used_for_state_is_no_mitigation() -> None:
    finding = only(hcl_path("state_encryption_not_for_state"))
    assert finding["severity"] == "error"
    (encryption,) = texts(finding, "encryption")
    assert "has no state { method = ... }" in encryption
    assert encryption.endswith("← no mitigation")


def test_openbao_key_mitigates_only_when_its_host_is_placed_outside(endpoints: str) -> None:
    unplaced = only(hcl_path("state_openbao_encryption"))
    assert unplaced["severity"] == "error"
    assert texts(unplaced, "encryption")[0].endswith("← no mitigation")
    placed = only(hcl_path("state_openbao_encryption"), "--config", endpoints)
    assert placed["severity"] == "warning"
    (mitigation,) = texts(placed, "mitigation")
    assert "the key is held by OpenBao at bao.acme.example.nl, run by Acme Hosting B.V." in (
        mitigation
    )


def test_openbao_under_a_blocked_jurisdiction_is_no_mitigation(tmp_path: Path) -> None:
    config = tmp_path / "lintsov.yaml"
    config.write_text('endpoints:\n  "bao.acme.example.nl": {vendor: "Bao Inc.", country: US}\n')
    finding = only(hcl_path("state_openbao_encryption"), "--config", str(config))
    assert finding["severity"] == "error"
    assert "US law reaches it" in texts(finding, "encryption")[0]


def test_a_passphrase_taken_from_a_us_kms_is_no_mitigation(tmp_path: Path) -> None:
    (tmp_path / "main.tofu").write_text(
        'terraform {\n  backend "s3" {\n    region = "eu-central-1"\n  }\n'
        "  encryption {\n"
        '    key_provider "aws_kms" "root" {\n      kms_key_id = "alias/x"\n    }\n'
        '    key_provider "pbkdf2" "team" {\n      chain = key_provider.aws_kms.root\n    }\n'
        '    method "aes_gcm" "m" {\n      keys = key_provider.pbkdf2.team\n    }\n'
        "    state {\n      method = method.aes_gcm.m\n    }\n  }\n}\n"
    )
    finding = only(str(tmp_path))
    assert finding["severity"] == "error"
    (encryption,) = texts(finding, "encryption")
    assert "takes its passphrase from key_provider.aws_kms.root" in encryption


def test_encryption_in_json_syntax_counts(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(
        json.dumps(
            {
                "terraform": {
                    "backend": {"s3": {"region": "eu-central-1"}},
                    "encryption": {
                        "key_provider": {"pbkdf2": {"team": {"passphrase": "${var.p}"}}},
                        "method": {"aes_gcm": {"m": {"keys": "${key_provider.pbkdf2.team}"}}},
                        "state": {"method": "${method.aes_gcm.m}"},
                    },
                },
                "variable": {"p": {"sensitive": True}},
            }
        )
    )
    assert only(str(tmp_path))["severity"] == "warning"


def test_azure_china_state_is_run_by_21vianet_not_microsoft(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'terraform {\n  backend "azurerm" {\n    environment = "china"\n'
        '    storage_account_name = "acmestate"\n  }\n}\n'
    )
    finding = only(str(tmp_path))
    assert finding["severity"] == "warning"
    assert "region is unknown: the azurerm backend does not name a location" in finding["message"]
    assert texts(finding, "reach")[0].startswith("reach CN ← operator Shanghai Blue Cloud")


# --- plans ----------------------------------------------------------------------------------


def test_plan_with_the_backend_init_recorded_beside_it() -> None:
    finding = only(str(WITH_STATE / "s3_us_east_1" / "plan.json"))
    assert finding["severity"] == "error"
    assert finding["address"] == "terraform.backend.s3"
    assert finding["location"]["file"].endswith("s3_us_east_1/.terraform/terraform.tfstate")
    assert texts(finding, "backend")[0].startswith("backend s3 ← recorded by init in ")
    assert texts(finding, "region")[0].endswith("terraform.tfstate backend.config.region")


def test_plan_without_a_backend_has_no_sov006() -> None:
    assert sov006(plan_path("sensitive_bucket_us_region")) == []


def test_plan_takes_the_backend_of_its_configuration_folder(tmp_path: Path) -> None:
    shutil.copy(WITH_STATE / "s3_us_east_1" / "plan.json", tmp_path / "plan.json")
    shutil.copy(HCL / "state_s3_eu_central_1" / "main.tf", tmp_path / "main.tf")
    finding = only(str(tmp_path / "plan.json"))
    assert finding["location"]["file"].endswith("main.tf")
    assert finding["region"] == "eu-central-1"


def test_the_recorded_backend_wins_over_the_configuration(tmp_path: Path) -> None:
    # init merges -backend-config values in: what it recorded is what is used.
    shutil.copytree(WITH_STATE / "s3_us_east_1", tmp_path / "plan")
    shutil.copy(HCL / "state_s3_eu_central_1" / "main.tf", tmp_path / "plan" / "main.tf")
    assert only(str(tmp_path / "plan" / "plan.json"))["region"] == "us-east-1"


def test_malformed_recorded_backend_is_a_note_not_an_error(tmp_path: Path) -> None:
    shutil.copy(WITH_STATE / "s3_us_east_1" / "plan.json", tmp_path / "plan.json")
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "terraform.tfstate").write_text('{"backend": {"type": ')
    result = cli(str(tmp_path / "plan.json"), "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert not [f for f in document["findings"] if f["rule"] == "SOV006"]
    inventory = json.loads(cli("inventory", str(tmp_path / "plan.json"), "--format", "json").output)
    (note,) = inventory["inputs"][0]["notes"]
    assert note.endswith(
        "terraform.tfstate was not read (invalid JSON at line 1), so the state backend is not known"
    )


def test_recorded_local_state_is_not_reported(tmp_path: Path) -> None:
    shutil.copy(WITH_STATE / "s3_us_east_1" / "plan.json", tmp_path / "plan.json")
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "terraform.tfstate").write_text('{"version": 3}')
    assert sov006(str(tmp_path / "plan.json")) == []


# --- around the rule ------------------------------------------------------------------------


def test_aggregate_still_judges_each_inputs_state() -> None:
    found = sov006(hcl_path("state_s3_us_east_1"), hcl_path("state_gcs"), "--aggregate")
    assert {f["address"] for f in found} == {"terraform.backend.s3", "terraform.backend.gcs"}


def test_an_inline_waiver_on_the_terraform_block_covers_it(tmp_path: Path) -> None:
    text = (HCL / "state_s3_us_east_1" / "main.tf").read_text()
    waived = '# lintsov:ignore SOV006 reason="state moves in Q3" until=2999-01-01\n' + text
    (tmp_path / "main.tf").write_text(waived)
    assert sov006(str(tmp_path)) == []


def test_cached_folder_keeps_its_state(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    shutil.copytree(HCL / "state_s3_eu_with_pbkdf2_encryption", folder)
    args = ("--format", "json", "--fail-on", "never", "--cache-dir", str(tmp_path / "cache"))
    cold = cli(str(folder), *args).output
    warm = cli(str(folder), *args).output
    assert warm == cold
    assert '"SOV006"' in warm


def test_inventory_shows_where_state_is_kept() -> None:
    folder = hcl_path("state_s3_eu_with_pbkdf2_encryption")
    text = cli("inventory", folder, "--no-cache").output
    assert (
        "  state: backend s3, eu-central-1 (DE), Amazon Web Services (AWS), jurisdictions "
        "DE,US; state encrypted with key_provider.pbkdf2.team, key held by the team"
    ) in text
    document = json.loads(cli("inventory", folder, "--format", "json", "--no-cache").output)
    state = document["inputs"][0]["state"]
    assert state["address"] == "terraform.backend.s3"
    assert state["jurisdictions"] == ["DE", "US"]
    encryption = state["encryption"]
    assert encryption["value"] == "state encrypted with key_provider.pbkdf2.team"
    assert encryption["key_holder"] == "team"
    assert encryption["key_service"] is None
    assert encryption["evidence"]["text"].endswith(
        "a passphrase the team holds, no vendor holds the key ← source "
        "https://opentofu.org/docs/language/state/encryption/"
    )


def test_inventory_states_the_key_holder_whatever_is_blocked() -> None:
    # Facts, not verdicts: the blocked set changes nothing in the inventory.
    folder = hcl_path("state_s3_eu_with_aws_kms_encryption")
    us = cli("inventory", folder, "--no-cache").output
    de = cli("inventory", folder, "--no-cache", "--block-jurisdiction", "DE").output
    assert us == de
    assert "mitigat" not in us
    assert (
        "state encrypted with key_provider.aws_kms.state, key held by Amazon Web Services "
        "(AWS) key management (jurisdictions US)"
    ) in us


def test_a_us_kms_key_mitigates_when_only_germany_is_blocked() -> None:
    # SOV006 judges the key holder resolution recorded: US reach is no problem when only
    # DE is blocked, and the state then sits in Germany (eu-central-1).
    finding = only(hcl_path("state_s3_eu_with_aws_kms_encryption"), "--block-jurisdiction", "DE")
    assert finding["severity"] == "warning"
    assert "under blocked jurisdiction DE" in finding["message"]
    assert "mitigated: state encrypted with key_provider.aws_kms.state" in finding["message"]
    (mitigation,) = texts(finding, "mitigation")
    assert "the key is held in Amazon Web Services (AWS)'s key management" in mitigation
    assert not texts(finding, "encryption")


def test_changing_the_blocked_set_reuses_the_folder_cache(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    shutil.copytree(HCL / "state_s3_eu_with_aws_kms_encryption", folder)
    cache = tmp_path / "cache"
    args = ("--format", "json", "--fail-on", "never", "--cache-dir", str(cache))
    cli(str(folder), *args)
    entries = sorted((cache / "inventories").iterdir())
    assert len(entries) == 1
    warm = cli(str(folder), *args, "--block-jurisdiction", "DE")
    assert sorted((cache / "inventories").iterdir()) == entries
    fresh = cli(
        str(folder),
        "--format",
        "json",
        "--fail-on",
        "never",
        "--no-cache",
        "--block-jurisdiction",
        "DE",
    )
    assert warm.output == fresh.output
    (finding,) = [f for f in json.loads(warm.output)["findings"] if f["rule"] == "SOV006"]
    assert finding["severity"] == "warning"
    assert "mitigated" in finding["message"]


def test_explain_prints_the_manual() -> None:
    output = cli("explain", "SOV006").output
    assert "Terraform state holds every secret" in output
    assert "How lintsov decides" in output
