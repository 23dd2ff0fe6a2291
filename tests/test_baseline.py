"""The baseline: record today's findings, then fail only on new ones, and list recorded
findings that no longer occur."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from helpers import cli, hcl_path, plan_path

US = plan_path("sensitive_bucket_us_region")


def write_baseline(path: Path, *inputs: str) -> dict[str, Any]:
    result = cli(*inputs, "--write-baseline", str(path), "--no-cache")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(path.read_text())
    return document


def test_write_baseline_records_findings_by_fingerprint(tmp_path: Path) -> None:
    document = write_baseline(tmp_path / "baseline.json", US)
    assert document["lintsov_baseline"] == 1
    recorded = [(f["rule"], f["address"]) for f in document["findings"]]
    # The plan's 2 resources are too few for AUT001 (min_vendor_resources 3).
    assert sorted(recorded) == [
        ("SOV001", "aws_s3_bucket.customers"),
        ("SOV002", "aws_s3_bucket.customers"),
    ]
    entry = next(f for f in document["findings"] if f["rule"] == "SOV001")
    assert entry["region"] == "us-east-1"
    assert entry["jurisdictions"] == ["US"]
    assert len(entry["fingerprint"]) == 64
    # No line numbers: moving a block must not make a finding new.
    assert set(entry) == {
        "fingerprint",
        "rule",
        "input",
        "address",
        "vendor",
        "region",
        "jurisdictions",
        "message",
    }


def test_baseline_passes_on_known_findings_and_fails_on_new_ones(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    shutil.copy(plan_path("sensitive_bucket_eu_region_us_vendor"), plan)
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, str(plan))
    result = cli(str(plan), "--baseline", str(baseline))
    assert result.exit_code == 0, result.output
    assert "1 in the baseline" in result.output  # SOV002; 1 resource is too few for AUT001
    # The same plan moved to us-east-1: the same addresses, but the region makes new
    # findings (SOV001, and SOV002 with another region), and they fail.
    shutil.copy(US, plan)
    result = cli(str(plan), "--baseline", str(baseline), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert {(f["rule"], f["address"]) for f in document["findings"]} == {
        ("SOV001", "aws_s3_bucket.customers"),
        ("SOV002", "aws_s3_bucket.customers"),
    }


def test_baseline_lists_entries_that_no_longer_occur(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, US)
    result = cli(
        plan_path("sensitive_data_eu_vendors"), "--baseline", str(baseline), "--format", "json"
    )
    document = json.loads(result.output)
    gone = {(e["rule"], e["address"]) for e in document["baseline"]["no_longer_occur"]}
    assert ("SOV001", "aws_s3_bucket.customers") in gone
    text = cli(plan_path("sensitive_data_eu_vendors"), "--baseline", str(baseline)).output
    assert "NO LONGER OCCUR" in text
    assert "SOV001 aws_s3_bucket.customers" in text


def test_baseline_survives_moved_lines(tmp_path: Path) -> None:
    folder = tmp_path / "infra"
    shutil.copytree(hcl_path("waivers"), folder)
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, str(folder))
    main = folder / "main.tf"
    main.write_text("\n\n\n# moved\n" + main.read_text())
    result = cli(str(folder), "--baseline", str(baseline), "--format", "json", "--no-cache")
    document = json.loads(result.output)
    assert document["findings"] == []
    assert document["baseline"]["no_longer_occur"] == []
    assert document["summary"]["baselined"] == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "the baseline is not JSON: Expecting property name enclosed in double quotes"),
        ('{"findings": []}', 'not a lintsov baseline (expected "lintsov_baseline": 1)'),
        ('{"lintsov_baseline": 1, "findings": [{"rule": "SOV001"}]}', "a baseline entry needs"),
    ],
)
def test_broken_baseline_is_an_input_error(tmp_path: Path, content: str, message: str) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content)
    result = cli(US, "--baseline", str(baseline))
    assert result.exit_code == 2
    assert result.output.startswith(f"lintsov: error: {baseline}: {message}")
    assert len(result.output.strip().splitlines()) == 1


def test_missing_baseline_says_how_to_create_it(tmp_path: Path) -> None:
    result = cli(US, "--baseline", str(tmp_path / "none.json"))
    assert result.exit_code == 2
    assert "baseline file not found (create it with --write-baseline)" in result.output
