"""A named .tfvars file is an environment: its folder's root module with the file applied as
`terraform plan -var-file` applies it, linted and named as an input of its own."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import yaml

from helpers import ROOT, cli
from lintsov.pipeline import inputs

# The issue's case: the region is a variable without a default; only the tfvars sets it.
ROOT_MODULE = """variable "region" {}

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "customer_data" {
  bucket = "acme-customer-data"
  tags   = { data-classification = "confidential" }
}
"""
ADDRESS = "aws_s3_bucket.customer_data"
FROM_VARIABLE = "region us-east-1 ← provider aws ← var.region"


def root_module(folder: Path, **tfvars: str) -> None:
    """``folder/main.tf`` with a variables file per keyword: ``prod="us-east-1"`` writes
    ``prod.tfvars`` setting the region."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(ROOT_MODULE)
    for name, region in tfvars.items():
        (folder / f"{name}.tfvars").write_text(f'\n# {name}\nregion = "{region}"\n')


def findings(*args: str) -> list[dict[str, Any]]:
    result = cli(*args, "--no-cache", "--fail-on", "never", "--format", "json")
    assert result.exit_code == 0, result.output
    # AUT001 (one vendor for all) holds in every environment of this one-bucket module.
    found = [f for f in json.loads(result.output)["findings"] if f["rule"] != "AUT001"]
    return found


def texts(finding: dict[str, Any]) -> list[str]:
    return [e["text"] for e in finding["evidence"]]


def verdicts(found: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(f["input"], f["rule"], f["address"]) for f in found}


def test_a_named_tfvars_sets_the_region_and_sov001_names_its_line(repo: Path) -> None:
    root_module(repo / "infra", prod="us-east-1")
    found = findings("infra/prod.tfvars")
    (sov001,) = [f for f in found if f["rule"] == "SOV001"]
    assert (sov001["input"], sov001["address"], sov001["region"]) == (
        "infra (prod.tfvars)",
        ADDRESS,
        "us-east-1",
    )
    assert f"{FROM_VARIABLE} ← infra/prod.tfvars:3" in texts(sov001)
    assert sov001["location"]["file"] == "infra/main.tf"


def test_the_folder_alone_leaves_the_region_unknown(repo: Path) -> None:
    root_module(repo / "infra", prod="us-east-1")
    assert "SOV001" not in {f["rule"] for f in findings("infra")}


def test_residency_fails_on_the_environment(repo: Path) -> None:
    root_module(repo / "infra", prod="us-east-1")
    assert cli("--no-cache", "--profile", "residency", "infra").exit_code == 0
    result = cli("--no-cache", "--profile", "residency", "infra/prod.tfvars")
    assert result.exit_code == 1, result.output
    assert f"SOV001 {ADDRESS}  (infra/main.tf:7 in infra (prod.tfvars))" in result.output


def test_a_nested_root_module_environment(repo: Path) -> None:
    root_module(repo / "stacks" / "app", prod="us-east-1")
    found = findings("--profile", "residency", "stacks/app/prod.tfvars")
    assert verdicts(found) == {("stacks/app (prod.tfvars)", "SOV001", ADDRESS)}
    (sov001,) = found
    assert "region us-east-1 ← provider aws ← var.region ← stacks/app/prod.tfvars:3" in texts(
        sov001
    )


def test_two_environments_are_two_inputs_with_findings_for_prod_only(repo: Path) -> None:
    root_module(repo / "infra", prod="us-east-1", dev="eu-west-1")
    found = findings("--profile", "residency", "infra/prod.tfvars", "infra/dev.tfvars")
    assert verdicts(found) == {("infra (prod.tfvars)", "SOV001", ADDRESS)}
    result = cli("--no-cache", "--format", "json", "--fail-on", "never", "infra/dev.tfvars")
    assert [i["path"] for i in json.loads(result.output)["inputs"]] == ["infra (dev.tfvars)"]


def test_the_folder_and_its_environment_are_two_inputs(repo: Path) -> None:
    root_module(repo / "infra", prod="us-east-1")
    assert inputs(["infra", "infra/prod.tfvars", "./infra/prod.tfvars", "infra/main.tf"]) == [
        "infra",
        "infra (prod.tfvars)",
    ]


def test_tfvars_terraform_loads_by_itself_stand_for_the_folder(repo: Path) -> None:
    root_module(repo / "infra")
    (repo / "infra" / "terraform.tfvars").write_text('region = "us-east-1"\n')
    (repo / "infra" / "eu.auto.tfvars.json").write_text('{"region": "us-east-1"}\n')
    named = ["infra/terraform.tfvars", "infra/eu.auto.tfvars.json", "infra"]
    assert inputs(named) == ["infra"]
    found = findings("--profile", "residency", *named)
    assert verdicts(found) == {("infra", "SOV001", ADDRESS)}
    # Applied once, by Terraform's own order: the auto file wins over terraform.tfvars.
    assert "region us-east-1 ← provider aws ← var.region ← infra/eu.auto.tfvars.json:1" in texts(
        found[0]
    )


def test_a_named_tfvars_wins_over_var_file_and_loses_to_var(repo: Path) -> None:
    root_module(repo / "infra", prod="us-east-1")
    (repo / "common.tfvars").write_text('region = "eu-west-1"\n')
    args = ("--profile", "residency", "--var-file", "common.tfvars", "infra/prod.tfvars")
    assert verdicts(findings(*args)) == {("infra (prod.tfvars)", "SOV001", ADDRESS)}
    assert findings(*args, "--var", "region=eu-west-1") == []


def test_a_tfvars_beside_no_configuration_is_an_input_error(repo: Path) -> None:
    root_module(repo / "infra")
    (repo / "infra" / "envs").mkdir()
    (repo / "infra" / "envs" / "prod.tfvars").write_text('region = "us-east-1"\n')
    result = cli("--no-cache", "infra/envs/prod.tfvars")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output == (
        "lintsov: error: infra/envs (prod.tfvars): infra/envs/prod.tfvars: no Terraform "
        "configuration in infra/envs/, the folder lintsov applies a named variables file "
        "to; name the root module's folder and pass the file with --var-file, e.g. "
        "`lintsov ROOT --var-file infra/envs/prod.tfvars`\n"
    )
    # As the message says: the root named, the file passed with --var-file.
    named = findings("--profile", "residency", "infra", "--var-file", "infra/envs/prod.tfvars")
    assert verdicts(named) == {("infra", "SOV001", ADDRESS)}


def test_a_missing_named_tfvars_is_an_input_error(repo: Path) -> None:
    root_module(repo / "infra")
    result = cli("--no-cache", "infra/prod.tfvars")
    assert result.exit_code == 2
    assert "infra/prod.tfvars: no such file" in result.output


def test_a_tfvars_in_a_missing_folder_is_no_such_file(repo: Path) -> None:
    result = cli("--no-cache", "nowhere/prod.tfvars")
    assert result.exit_code == 2
    assert result.output.endswith("nowhere/prod.tfvars: no such file\n")


def test_an_environment_is_judged_by_its_folders_config(repo: Path) -> None:
    # Frankfurt is blocked only by the folder's own config: the run's folder has none.
    root_module(repo / "infra", prod="eu-central-1")
    (repo / "infra" / ".lintsov.yaml").write_text("block_jurisdictions: [DE]\n")
    found = findings("infra/prod.tfvars")
    assert ("infra (prod.tfvars)", "SOV001", ADDRESS) in verdicts(found)


# --- every report format names the environment ------------------------------------------


def report(repo: Path, form: str, *paths: str) -> str:
    result = cli("--no-cache", "--fail-on", "never", "--format", form, *paths)
    assert result.exit_code == 0, result.output
    return result.output


def two_environments(repo: Path) -> tuple[str, str]:
    # Both in us-east-1: the same finding in each, which must not collide.
    root_module(repo / "infra", prod="us-east-1", dev="us-east-1")
    # AUT001, a finding on the whole input, judges the folder's one resource too.
    (repo / "infra" / ".lintsov.yaml").write_text("min_vendor_resources: 1\n")
    return "infra/prod.tfvars", "infra/dev.tfvars"


def test_json_and_sarif_fingerprints_differ_per_environment(repo: Path) -> None:
    paths = two_environments(repo)
    found = json.loads(report(repo, "json", *paths))["findings"]
    sov001 = {f["input"]: f["fingerprint"] for f in found if f["rule"] == "SOV001"}
    assert set(sov001) == {"infra (prod.tfvars)", "infra (dev.tfvars)"}
    assert len(set(sov001.values())) == 2
    results = json.loads(report(repo, "sarif", *paths))["runs"][0]["results"]
    sarif = {
        r["properties"]["input"]: r["partialFingerprints"]["lintsov/v1"]
        for r in results
        if r["ruleId"] == "SOV001"
    }
    assert sarif == sov001


def test_gitlab_fingerprints_differ_and_input_issues_point_at_the_tfvars(repo: Path) -> None:
    issues = json.loads(report(repo, "gitlab", *two_environments(repo)))
    keys = [i["fingerprint"] for i in issues]
    assert len(keys) == len(set(keys))
    sov001 = [i for i in issues if i["check_name"] == "SOV001"]
    assert len(sov001) == 2
    assert [i["location"]["path"] for i in issues if i["check_name"] == "AUT001"] == [
        "infra/dev.tfvars",
        "infra/prod.tfvars",
    ]


def test_github_titles_name_the_environment(repo: Path) -> None:
    lines = report(repo, "github", *two_environments(repo)).splitlines()
    titles = [re.search(r"title=([^:]*)::", line) for line in lines if "SOV001" in line]
    assert sorted(t[1] for t in titles if t) == [
        f"SOV001 {ADDRESS} in infra (dev.tfvars)",
        f"SOV001 {ADDRESS} in infra (prod.tfvars)",
    ]
    assert any(line.startswith("::warning file=infra/prod.tfvars,") for line in lines)


def test_junit_and_markdown_name_the_environment(repo: Path) -> None:
    paths = two_environments(repo)
    suites = ElementTree.fromstring(report(repo, "junit", *paths))
    classes = {case.get("classname") for case in suites.iter("testcase")}
    assert {"infra (prod.tfvars)", "infra (dev.tfvars)"} <= classes
    markdown = report(repo, "markdown", *paths)
    assert "| infra/main.tf:7 in infra (prod.tfvars) |" in markdown
    assert "| infra/main.tf:7 in infra (dev.tfvars) |" in markdown


def test_a_baseline_of_prod_does_not_absorb_dev(repo: Path) -> None:
    prod, dev = two_environments(repo)
    written = cli("--no-cache", "--write-baseline", "baseline.json", prod)
    assert written.exit_code == 0, written.output
    recorded = json.loads((repo / "baseline.json").read_text())["findings"]
    assert {e["input"] for e in recorded} == {"infra (prod.tfvars)"}
    result = cli("--no-cache", "--format", "json", "--baseline", "baseline.json", prod, dev)
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    assert {f["input"] for f in document["findings"]} == {"infra (dev.tfvars)"}
    assert ("infra (dev.tfvars)", "SOV001", ADDRESS) in verdicts(document["findings"])


def test_the_inventory_cache_keeps_environments_apart(repo: Path) -> None:
    root_module(repo / "infra", prod="us-east-1", dev="eu-west-1")
    cache = ("--cache-dir", str(repo / "cache"), "--profile", "residency", "--format", "json")
    for _ in range(2):  # the second run reads both from the cache
        for path, rules in (("infra/prod.tfvars", ["SOV001"]), ("infra/dev.tfvars", [])):
            result = cli(*cache, "--fail-on", "never", path)
            found = json.loads(result.output)["findings"]
            assert [f["rule"] for f in found if f["rule"] != "AUT001"] == rules
    # A changed variables file is read afresh.
    (repo / "infra" / "dev.tfvars").write_text('region = "us-west-2"\n')
    result = cli(*cache, "--fail-on", "never", "infra/dev.tfvars")
    found = json.loads(result.output)["findings"]
    assert [f["region"] for f in found if f["rule"] == "SOV001"] == ["us-west-2"]


# --- pre-commit ---------------------------------------------------------------------------


def test_the_hook_matches_tfvars_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "lintsov"]
    pattern = re.compile(hook["files"])
    assert all(pattern.search(p) for p in ("infra/prod.tfvars", "infra/prod.tfvars.json"))


def test_the_hook_given_only_a_changed_tfvars_lints_its_environment(repo: Path) -> None:
    # pre-commit runs `lintsov FILE...` with the changed files from the repository root.
    root_module(repo / "infra", prod="us-east-1")
    result = cli("--no-cache", "--profile", "residency", "infra/prod.tfvars")
    assert result.exit_code == 1
    assert "in 1 input" in result.output
    assert "(infra/main.tf:7 in infra (prod.tfvars))" in result.output
