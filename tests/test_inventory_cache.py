"""Whole resolved folders are reused only while nothing they were read from has changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import HCL, cli


def findings(folder: Path, cache: Path, *args: str) -> set[tuple[str, str, str]]:
    result = cli(str(folder), "--cache-dir", str(cache), "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return {
        (f["rule"], f["address"], f["region"] or "") for f in json.loads(result.output)["findings"]
    }


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "inventories").glob("*.json"))


@pytest.mark.parametrize(
    "name", ["region_from_tfvars", "flows_aws", "key_control", "state_s3_us_east_1"]
)
def test_warm_result_is_the_cold_result(tmp_path: Path, name: str) -> None:
    # Every part of the inventory survives the cache: resources, keys, flows and state.
    folder = tmp_path / "cfg"
    shutil.copytree(HCL / name, folder)
    cache = tmp_path / "cache"
    for prefix in ((), ("inventory",)):
        args = (*prefix, str(folder), "--cache-dir", str(cache), "--format", "json")
        cold = cli(*args).output
        warm = cli(*args).output
        assert warm == cold
    assert len(entries(cache)) == 1


def test_changed_file_new_file_and_new_tfvars_are_seen(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    shutil.copytree(HCL / "region_from_tfvars", folder)
    cache = tmp_path / "cache"
    assert ("SOV002", "aws_db_instance.customers", "eu-west-1") in findings(folder, cache)
    (folder / "terraform.tfvars").write_text('region = "us-west-1"\n')
    assert ("SOV001", "aws_db_instance.customers", "us-west-1") in findings(folder, cache)
    (folder / "zz.auto.tfvars").write_text('region = "eu-north-1"\n')
    assert ("SOV001", "aws_db_instance.customers", "us-west-1") not in findings(folder, cache)
    (folder / "extra.tf").write_text(
        'resource "aws_s3_bucket" "more" {\n  tags = { classification = "secret" }\n}\n'
    )
    assert ("SOV002", "aws_s3_bucket.more", "eu-north-1") in findings(folder, cache)


def test_changed_module_file_is_seen(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    shutil.copytree(HCL / "aliases_passed_into_nested_modules", folder)
    cache = tmp_path / "cache"
    address = "module.vault.module.store.aws_s3_bucket.secrets[0]"
    assert ("SOV001", address, "us-east-1") in findings(folder, cache)
    store = folder / "modules" / "vault" / "store" / "main.tf"
    store.write_text(store.read_text().replace("confidential", "public"))
    assert not {f for f in findings(folder, cache) if f[1] == address}


def test_policy_changes_are_not_served_from_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    shutil.copytree(HCL / "region_from_tfvars", folder)
    cache = tmp_path / "cache"
    findings(folder, cache)
    config = tmp_path / "lintsov.yaml"
    config.write_text("sensitive:\n  tag_values: [public]\n")
    assert not findings(folder, cache, "--config", str(config)) - {
        ("AUT001", "(all resources)", ""),
        # Its s3 backend keeps state with AWS whatever the data's classification.
        ("SOV006", "terraform.backend.s3", "eu-central-1"),
    }
    assert len(entries(cache)) == 2


def test_changed_template_is_seen(tmp_path: Path) -> None:
    # templatefile() read config.yaml.tpl: a change to it makes the cached inventory stale.
    folder = tmp_path / "cfg"
    shutil.copytree(HCL / "region_through_try_for_merge_lookup_template", folder)
    cache = tmp_path / "cache"
    args = ("inventory", str(folder), "--cache-dir", str(cache), "--format", "json")
    assert '"eu-west-1"' in cli(*args).output
    (folder / "config.yaml.tpl").write_text("zone: us\n")
    output = cli(*args).output
    assert '"us-east-1"' in output
    assert '"eu-west-1"' not in output
