"""The command line: exit codes, formats, subcommands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema

from helpers import ROOT, cli, plan_path, run_lintsov
from lintsov import __version__


def report_schema() -> dict[str, object]:
    schema: dict[str, object] = json.loads(
        (ROOT / "lintsov" / "schemas" / "report.schema.json").read_text()
    )
    return schema


def test_exit_1_on_error_findings_and_0_when_clean() -> None:
    assert cli(plan_path("sensitive_bucket_us_region")).exit_code == 1
    assert cli(plan_path("sensitive_data_eu_vendors")).exit_code == 0


def test_fail_on_warning_and_never() -> None:
    # single_vendor has only the AUT001 warning.
    assert cli(plan_path("single_vendor")).exit_code == 0
    assert cli(plan_path("single_vendor"), "--fail-on", "warning").exit_code == 1
    assert cli(plan_path("sensitive_bucket_us_region"), "--fail-on", "never").exit_code == 0


def test_text_report_groups_by_severity_with_evidence_and_summary(tmp_path: Path) -> None:
    # AUT001 judges this plan's 2 resources only with the minimum lowered: the warning.
    config = tmp_path / ".lintsov.yaml"
    config.write_text("min_vendor_resources: 1\n")
    result = cli(plan_path("sensitive_bucket_us_region"), "--no-color", "--config", str(config))
    out = result.output
    assert out.index("ERRORS (2)") < out.index("WARNING")
    assert "  SOV001 aws_s3_bucket.customers" in out
    assert "      region us-east-1 ← provider aws ← constant in provider aws region" in out
    assert (
        out.rstrip()
        .splitlines()[-1]
        .startswith("✗ fail: 2 errors · 1 warning · 2 resources (1 sensitive) in 1 input")
    )
    assert "\x1b[" not in out


def test_quiet_prints_findings_only() -> None:
    out = cli(plan_path("sensitive_bucket_us_region"), "--quiet").output
    assert "SOV001" in out
    assert "fail:" not in out
    assert cli(plan_path("sensitive_data_eu_vendors"), "-q").output.strip() == ""


def test_json_report_is_valid_and_complete() -> None:
    result = cli(plan_path("sensitive_bucket_us_region"), "--format", "json")
    document = json.loads(result.output)
    jsonschema.validate(document, report_schema())
    first = document["findings"][0]
    assert (first["rule"], first["address"], first["region"], first["country"]) == (
        "SOV001",
        "aws_s3_bucket.customers",
        "us-east-1",
        "US",
    )
    assert first["vendor"] == "aws"
    assert first["jurisdictions"] == ["US"]
    assert {
        "fact": "region",
        "value": "us-east-1",
        "steps": ["provider aws", "constant in provider aws region"],
        "text": "region us-east-1 ← provider aws ← constant in provider aws region",
    } in first["evidence"]
    assert document["summary"] == {
        "verdict": "fail",
        "errors": 2,
        # 2 resources: too few for AUT001 (min_vendor_resources 3).
        "warnings": 0,
        "waived": 0,
        "baselined": 0,
        "findings_by_rule": {"SOV001": 1, "SOV002": 1},
        "inputs": 1,
        "unreadable_inputs": 0,
        "resources": 2,
        "nothing_to_judge": False,
        "inputs_without_resources": [],
        "sensitive_resources": 1,
        "unresolved_resources": 0,
        "utility_resources": 0,
        "unclassified_resources": 1,
    }


def test_utility_resources_are_not_counted_as_unresolved(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-central-1"\n}\n'
        'resource "random_id" "suffix" {\n  byte_length = 4\n}\n'
        'resource "null_resource" "hook" {}\n'
        'resource "aws_s3_bucket" "b" {}\n'
        'resource "aws_s3_bucket" "nowhere" {\n  provider = aws.missing\n}\n'
    )
    summary = json.loads(cli(str(tmp_path), "--format", "json", "--no-cache").output)["summary"]
    assert (summary["resources"], summary["utility_resources"]) == (4, 2)
    assert summary["unresolved_resources"] == 1


def test_every_fixture_report_matches_the_schema() -> None:
    schema = report_schema()
    for path in sorted((ROOT / "fixtures" / "plans").glob("*.json")):
        result = cli(str(path), "--format", "json", "--fail-on", "never")
        assert result.exit_code == 0, (path, result.output)
        jsonschema.validate(json.loads(result.output), schema)


def test_profile_and_block_jurisdiction_options() -> None:
    path = plan_path("sensitive_bucket_eu_region_us_vendor")
    assert cli(path, "--profile", "residency").exit_code == 0
    result = cli(path, "--profile", "residency", "--block-jurisdiction", "de", "--format", "json")
    document = json.loads(result.output)
    assert document["policy"]["blocked_jurisdictions"] == ["DE"]
    # The plan's 2 resources are too few for AUT001 (min_vendor_resources 3).
    assert [f["rule"] for f in document["findings"]] == ["SOV001"]


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = cli(
        plan_path("sensitive_bucket_us_region"), "--format", "json", "--output", str(target)
    )
    assert result.exit_code == 1
    assert result.output == ""
    assert json.loads(target.read_text())["summary"]["errors"] == 2


def test_output_is_deterministic() -> None:
    args = (plan_path("gcp_multi_region"), plan_path("provider_alias"), "--format", "json")
    assert cli(*args).output == cli(*args).output


def test_version() -> None:
    assert cli("--version").output == f"lintsov {__version__}\n"


def test_python_dash_m_works() -> None:
    done = run_lintsov("--version")
    assert done.returncode == 0
    assert done.stdout.decode() == f"lintsov {__version__}\n"


def test_rules_table_lists_every_rule() -> None:
    lines = cli("rules").output.splitlines()
    assert lines[0].split()[:3] == ["ID", "SEVERITY", "TITLE"]
    ids = [line.split()[0] for line in lines[1:]]
    assert ids == sorted(ids)
    builtin = {"AUT001", "LSV001", "LSV002", "SOV001", "SOV002", "SOV003", "SOV004", "SOV005"}
    assert builtin <= set(ids)


def test_explain_prints_the_rule_docstring() -> None:
    out = cli("explain", "sov001").output
    assert out.startswith("SOV001 (error): Sensitive data stored in a blocked jurisdiction")
    for heading in ("What it does", "Why is this bad?", "How lintsov decides", "Example", "Fix"):
        assert heading in out


def test_explain_unknown_rule_is_exit_2() -> None:
    result = cli("explain", "NOPE1")
    assert result.exit_code == 2


def test_inventory_text_json_csv() -> None:
    path = plan_path("multi_vendor")
    text = cli("inventory", path).output
    assert "ADDRESS" in text
    assert "hcloud_volume.data" in text
    assert "How each was resolved:" in text
    document = json.loads(cli("inventory", path, "--format", "json").output)
    rows = {r["address"]: r for r in document["inputs"][0]["resources"]}
    assert rows["hcloud_volume.data"]["region"] == "nbg1"
    assert rows["hcloud_volume.data"]["countries"] == ["DE"]
    assert rows["random_id.suffix"]["provider_kind"] == "utility"
    table = list(csv.DictReader(io.StringIO(cli("inventory", path, "--format", "csv").output)))
    assert [r["address"] for r in table] == [
        "aws_s3_bucket.assets",
        "hcloud_volume.data",
        "random_id.suffix",
    ]
    assert table[0]["region"] == "eu-west-1"
    assert table[0]["jurisdictions"] == "IE US"


def test_catalog_json_lists_vendors_and_regions() -> None:
    document = json.loads(cli("catalog", "--format", "json").output)
    vendors = {v["id"]: v for v in document["vendors"]}
    assert vendors["hetzner"]["operator"]["reach"] == ["DE"]
    assert "US" in vendors["aws"]["operator"]["reach"]
    regions = {(r["vendor"], r["id"]): r["countries"] for r in document["regions"]}
    assert regions[("aws", "eu-central-1")] == ["DE"]
    assert regions[("azure", "westeurope")] == ["NL"]
    assert regions[("google", "europe-west3")] == ["DE"]


def test_colour_only_when_asked_by_a_terminal() -> None:
    from helpers import inventory_of
    from lintsov.pipeline import judge
    from lintsov.policy import Policy
    from lintsov.report import Report, text
    from lintsov.rules import load_rules

    outcome = judge((inventory_of("sensitive_bucket_us_region"),), load_rules(), Policy())
    report = Report(outcome, Policy(), "error", {}, Path.cwd())
    coloured = text.render(report, colour=True)
    assert "\x1b[31;1mSOV001\x1b[0m" in coloured
    assert "\x1b[" not in text.render(report, colour=False)


def test_output_dash_means_stdout() -> None:
    result = cli(plan_path("multi_vendor"), "--output", "-", "--format", "json")
    assert json.loads(result.output)["summary"]["verdict"] == "pass"


def test_help_shows_the_default_command() -> None:
    assert "[OPTIONS] PATH... | COMMAND [ARGS]..." in cli("--help").output
