"""The GitLab Code Quality report: a JSON array GitLab accepts, one issue per finding that
counts, with stable fingerprints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for

from helpers import ROOT, cli, hcl_path, outcome_of, plan_path
from lintsov.fingerprint import fingerprint

SCHEMAS = ROOT.parent / "shared" / "schemas"
GITLAB_SCHEMA = SCHEMAS / "gitlab-codeclimate.json"
needs_schema = pytest.mark.skipif(
    not GITLAB_SCHEMA.is_file(), reason=f"{GITLAB_SCHEMA} is not present (../shared/schemas)"
)
SECRET = "hunter2-SECRET-VALUE"
# GitLab's documented values (gitlab-code-quality-report-format.md).
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
# CodeClimate's categories (codeclimate-analyzer-SPEC.md).
CATEGORIES = {
    "Bug Risk",
    "Clarity",
    "Compatibility",
    "Complexity",
    "Duplication",
    "Performance",
    "Security",
    "Style",
}


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run_gitlab(*args: str) -> list[dict[str, Any]]:
    result = cli(*args, "--format", "gitlab", "--no-cache")
    assert result.exit_code in (0, 1), result.output
    issues: list[dict[str, Any]] = json.loads(result.output)
    return issues


def validate(issues: list[dict[str, Any]]) -> None:
    """GitLab's own schema (one entry at a time), then what its docs require beyond it."""
    assert isinstance(issues, list)
    schema = json.loads(GITLAB_SCHEMA.read_text(encoding="utf-8"))
    validator = validator_for(schema)
    assert validator.__name__ == "Draft7Validator"
    for issue in issues:
        validator(schema).validate(issue)
        assert isinstance(issue["check_name"], str)
        assert issue["severity"] in SEVERITIES
        assert isinstance(issue["location"]["path"], str)
        assert issue["location"]["path"]
        assert not issue["location"]["path"].startswith("/")
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1
        assert "\n" not in issue["description"]
        assert issue["type"] == "issue"
        assert issue["categories"]
        assert set(issue["categories"]) <= CATEGORIES
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def by_key(issues: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(i["check_name"], i["description"].split(":")[0].split(" ", 1)[1]): i for i in issues}


@needs_schema
@pytest.mark.parametrize(
    ("path", "count"),
    [
        # Two findings (2 resources are too few for AUT001), and the info issue for the
        # unclassified aws_s3_bucket.assets.
        (plan_path("sensitive_bucket_us_region"), 3),
        (plan_path("sensitive_data_eu_vendors"), 0),
        (hcl_path("waivers"), 5),
    ],
)
def test_report_is_valid_code_quality(path: str, count: int) -> None:
    issues = run_gitlab(path)
    validate(issues)
    assert len(issues) == count


@needs_schema
def test_aggregate_report_is_valid_and_points_at_the_first_input() -> None:
    issues = run_gitlab(
        plan_path("single_vendor"), plan_path("sensitive_bucket_us_region"), "--aggregate"
    )
    validate(issues)
    aut001 = by_key(issues)[("AUT001", "(all resources)")]
    assert aut001["location"] == {
        "path": "fixtures/plans/single_vendor.json",
        "lines": {"begin": 1},
    }
    # The body names every input at its own anchor.
    body = aut001["content"]["body"].split("\n")
    assert body[-3:-1] == [
        "- input at fixtures/plans/single_vendor.json:1",
        "- input at fixtures/plans/sensitive_bucket_us_region.json:1",
    ]


def test_output_is_a_json_array_without_bom() -> None:
    output = cli(plan_path("sensitive_data_eu_vendors"), "--format", "gitlab").output
    assert output == "[]\n"


def test_plan_finding() -> None:
    issues = by_key(run_gitlab(plan_path("sensitive_bucket_us_region")))
    issue = issues[("SOV001", "aws_s3_bucket.customers")]
    finding = next(
        f for f in outcome_of("sensitive_bucket_us_region").findings if f.rule == "SOV001"
    )
    assert issue["description"] == f"SOV001 aws_s3_bucket.customers: {finding.message}"
    assert issue["check_name"] == "SOV001"
    assert issue["severity"] == "critical"
    assert issue["categories"] == ["Security"]
    assert issue["fingerprint"] == fingerprint(finding)
    assert issue["location"] == {
        "path": "fixtures/plans/sensitive_bucket_us_region.json",
        "lines": {"begin": 1},
    }
    # The evidence, then the policy it was judged by: GitLab shows no summary to name it in.
    assert issue["content"]["body"].split("\n") == [
        *(f"- {e.text()}" for e in finding.evidence),
        "- policy: profile sovereignty, blocked: US (no config file)",
    ]
    # A warning: AUT001 on the folder whose 3 resources it judges (the plan's 2 are too few).
    warning = by_key(run_gitlab(hcl_path("waivers")))[("AUT001", "(all resources)")]
    assert (warning["severity"], warning["categories"]) == ("major", ["Bug Risk"])


def test_waived_findings_are_left_out_and_blocks_have_lines() -> None:
    issues = by_key(run_gitlab(hcl_path("waivers")))
    assert set(issues) == {
        ("SOV002", "aws_s3_bucket.expired"),
        ("SOV002", "aws_s3_bucket.no_reason"),
        ("LSV001", "aws_s3_bucket.expired"),
        ("LSV001", "aws_s3_bucket.no_reason"),
        ("AUT001", "(all resources)"),
    }
    assert issues[("SOV002", "aws_s3_bucket.expired")]["location"] == {
        "path": "fixtures/hcl/waivers/main.tf",
        "lines": {"begin": 18, "end": 21},
    }
    assert issues[("LSV001", "aws_s3_bucket.no_reason")]["location"] == {
        "path": "fixtures/hcl/waivers/main.tf",
        "lines": {"begin": 12, "end": 12},
    }
    # A folder input: a finding about the whole folder points at the folder.
    # AUT001 is about the whole folder: it points at its provider block.
    assert issues[("AUT001", "(all resources)")]["location"] == {
        "path": "fixtures/hcl/waivers/main.tf",
        "lines": {"begin": 1},
    }


def test_baselined_findings_are_left_out(tmp_path: Path) -> None:
    plan = plan_path("sensitive_bucket_us_region")
    baseline = tmp_path / "baseline.json"
    cli(plan, "--write-baseline", str(baseline))
    recorded = json.loads(baseline.read_text())
    recorded["findings"] = [f for f in recorded["findings"] if f["rule"] != "SOV001"]
    baseline.write_text(json.dumps(recorded))
    issues = run_gitlab(plan, "--baseline", str(baseline))
    assert [i["check_name"] for i in issues] == ["SOV001", "lintsov-unclassified"]


def test_fingerprints_survive_moved_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(hcl_path("waivers"), tmp_path / "waivers")
    monkeypatch.chdir(tmp_path)

    def seen() -> dict[tuple[str, str], tuple[str, int]]:
        return {
            key: (issue["fingerprint"], issue["location"]["lines"]["begin"])
            for key, issue in by_key(run_gitlab("waivers")).items()
            if key[0] != "AUT001"
        }

    before = seen()
    main = tmp_path / "waivers" / "main.tf"
    main.write_text("\n\n" + main.read_text())
    after = seen()
    assert len(before) == 4
    assert {key: (print_, line + 2) for key, (print_, line) in before.items()} == after


def test_secret_values_never_appear() -> None:
    output = cli(plan_path("terraform_sensitive_values"), "--format", "gitlab").output
    assert "SOV001" in output
    assert SECRET not in output
    assert "sensitivity=secret" not in output
