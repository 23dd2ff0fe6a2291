"""Several inputs in one run: one report, AUT001 per input or, with --aggregate, across all,
and a parallel run that reports exactly what a serial one does."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from helpers import HCL, PLANS, ROOT, cli, hcl_path, plan_path, run_lintsov
from lintsov.pipeline import inputs

AWS = plan_path("single_vendor")
AZURE = plan_path("azure_display_name_location")
GOOGLE = plan_path("gcp_multi_region")


def report(*args: str) -> dict[str, Any]:
    result = cli(*args, "--format", "json", "--fail-on", "never", "--no-cache")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def vendor_findings(document: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(f["input"], f["vendor"]) for f in document["findings"] if f["rule"] == "AUT001"]


def test_several_inputs_give_one_report() -> None:
    document = report(AWS, AZURE, hcl_path("waivers"))
    assert [i["path"] for i in document["inputs"]] == [AWS, AZURE, hcl_path("waivers")]
    assert document["summary"]["inputs"] == 3
    assert document["summary"]["resources"] == sum(i["resources"] for i in document["inputs"])


def test_vendor_concentration_is_judged_per_input_by_default() -> None:
    # Sorted by input: azure_display_name_location before single_vendor.
    assert vendor_findings(report(AWS, AZURE)) == [(AZURE, "azure"), (AWS, "aws")]


def test_aggregate_judges_vendor_concentration_across_all_inputs() -> None:
    # Each input depends on one vendor, but the organisation depends on three.
    assert vendor_findings(report(AWS, AZURE, GOOGLE, "--aggregate")) == []
    # Two AWS-only inputs are one AWS-only organisation: one finding, for all inputs.
    document = report(AWS, plan_path("sensitive_bucket_us_region"), "--aggregate")
    (finding,) = [f for f in document["findings"] if f["rule"] == "AUT001"]
    assert finding["input"] == "(all inputs)"
    assert finding["message"].startswith("all 5 resources that depend on a hosting vendor")


def test_aggregate_leaves_resource_rules_per_input() -> None:
    separate = report(AWS, plan_path("sensitive_bucket_us_region"))
    together = report(AWS, plan_path("sensitive_bucket_us_region"), "--aggregate")
    assert [f for f in separate["findings"] if f["rule"] != "AUT001"] == [
        f for f in together["findings"] if f["rule"] != "AUT001"
    ]


INPUTS = [str(p) for p in sorted(PLANS.glob("*.json"))] + [
    str(p) for p in sorted(HCL.iterdir()) if p.is_dir() and p.name != "parse_error"
]


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "junit", "markdown"])
def test_parallel_output_is_identical_to_serial(fmt: str) -> None:
    outputs = {}
    for jobs in ("1", "4"):
        done = run_lintsov(
            *INPUTS,
            "--format",
            fmt,
            "--fail-on",
            "never",
            "--no-cache",
            "--jobs",
            jobs,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert done.returncode == 0, done.stderr
        outputs[jobs] = done.stdout
    assert outputs["1"] == outputs["4"]
    assert len(outputs["1"]) > 1000


# --- the same input spelled several ways -------------------------------------------------


def test_one_folder_spelled_several_ways_is_one_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    folder = "fixtures/hcl/same_as_plan_provider_alias"
    once = report(folder)
    spelled = report(folder, f"{folder}/", f"./{folder}", str(ROOT / folder), f"{folder}/main.tf")
    # The first spelling names the input.
    assert [i["path"] for i in spelled["inputs"]] == [folder]
    assert spelled["findings"] == once["findings"]
    assert spelled["summary"]["resources"] == 2


def test_one_plan_spelled_twice_is_one_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PLANS)
    document = report("./single_vendor.json", "single_vendor.json", AWS)
    assert [i["path"] for i in document["inputs"]] == ["./single_vendor.json"]
    assert len(vendor_findings(document)) == 1


def test_a_symlink_to_an_input_is_that_input(tmp_path: Path) -> None:
    link = tmp_path / "prod"
    link.symlink_to(HCL / "same_as_plan_provider_alias", target_is_directory=True)
    assert inputs([str(link), hcl_path("same_as_plan_provider_alias")]) == [str(link)]


def test_a_second_spelling_does_not_fail_a_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    folder = "fixtures/hcl/same_as_plan_provider_alias"
    baseline = str(tmp_path / "baseline.json")
    assert cli(folder, "--no-cache", "--write-baseline", baseline).exit_code == 0
    result = cli(folder, f"./{folder}/", str(ROOT / folder), "--no-cache", "--baseline", baseline)
    assert result.exit_code == 0, result.output
    assert "✓ pass: 0 errors · 0 warnings · 3 in the baseline" in result.output
