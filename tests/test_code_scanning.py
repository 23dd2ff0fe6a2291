"""GitHub code scanning and GitLab: every result has a file and a line, alerts keep their
identity when lines move, several stacks on one commit keep their own analyses, and runs
past GitHub's limits say so and keep errors first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_action import run_script

from helpers import ROOT, cli, hcl_path, outcome_of, plan_path
from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.inventory import Inventory
from lintsov.pipeline import Outcome
from lintsov.policy import Policy
from lintsov.report import Report, code_scanning, github, markdown, sarif
from lintsov.rules import load_rules

AFTER = "fixtures/hcl/provider_block_after_resources"
NO_PROVIDER = "fixtures/hcl/resources_without_provider_block"
AUT001 = ("AUT001", "(all resources)")


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are written relative to the repository the command runs in.
    monkeypatch.chdir(ROOT)


def run(fmt: str, *args: str) -> str:
    result = cli(*args, "--format", fmt, "--no-cache")
    assert result.exit_code in (0, 1), result.output
    return result.output


def sarif_results(*args: str) -> dict[tuple[str, str], dict[str, Any]]:
    document = json.loads(run("sarif", *args))
    return {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]): r
        for r in document["runs"][0]["results"]
    }


def sarif_places(result: dict[str, Any]) -> list[tuple[str, int]]:
    return [
        (
            location["physicalLocation"]["artifactLocation"]["uri"],
            location["physicalLocation"]["region"]["startLine"],
        )
        for location in result["locations"]
    ]


def gitlab_issue(*args: str, rule: str = "AUT001") -> dict[str, Any]:
    issues: list[dict[str, Any]] = json.loads(run("gitlab", *args))
    (issue,) = [i for i in issues if i["check_name"] == rule]
    return issue


def github_lines(*args: str, rule: str = "AUT001") -> list[str]:
    return [line for line in run("github", *args).splitlines() if f"title={rule} " in line]


# --- every result has a file and a line ---------------------------------------------------


def test_whole_input_finding_points_at_the_first_provider_block() -> None:
    # Resources come first (main.tf sorts first too): the provider block wins.
    assert sarif_places(sarif_results(AFTER)[AUT001]) == [(f"{AFTER}/providers.tf", 7)]
    assert gitlab_issue(AFTER)["location"] == {
        "path": f"{AFTER}/providers.tf",
        "lines": {"begin": 7},
    }
    (line,) = github_lines(AFTER)
    assert line.startswith(f"::warning file={AFTER}/providers.tf,line=7,title=AUT001 ")


def test_without_a_provider_block_the_first_resource_block() -> None:
    # compute.tf sorts before storage.tf; its resource starts on line 2.
    assert sarif_places(sarif_results(NO_PROVIDER)[AUT001]) == [(f"{NO_PROVIDER}/compute.tf", 2)]
    assert gitlab_issue(NO_PROVIDER)["location"]["path"] == f"{NO_PROVIDER}/compute.tf"
    (line,) = github_lines(NO_PROVIDER)
    assert line.startswith(f"::warning file={NO_PROVIDER}/compute.tf,line=2,")


def test_aggregate_finding_points_at_each_inputs_own_location() -> None:
    args = (AFTER, NO_PROVIDER, plan_path("single_vendor"), "--aggregate")
    result = sarif_results(*args)[AUT001]
    assert result["properties"]["input"] == "(all inputs)"
    assert sarif_places(result) == [
        (f"{AFTER}/providers.tf", 7),
        (f"{NO_PROVIDER}/compute.tf", 2),
        ("fixtures/plans/single_vendor.json", 1),
    ]
    issue = gitlab_issue(*args)
    assert issue["location"] == {"path": f"{AFTER}/providers.tf", "lines": {"begin": 7}}
    body = issue["content"]["body"]
    assert f"- input at {NO_PROVIDER}/compute.tf:2" in body
    assert "- input at fixtures/plans/single_vendor.json:1" in body
    (line,) = github_lines(*args)
    assert line.startswith(f"::warning file={AFTER}/providers.tf,line=7,")
    assert f"%0Ainput at {NO_PROVIDER}/compute.tf:2%0A" in line


@pytest.mark.parametrize(
    "inputs",
    [
        (hcl_path("waivers"), plan_path("sensitive_bucket_us_region")),
        (AFTER, NO_PROVIDER, plan_path("multi_vendor"), "--aggregate"),
        (hcl_path("waivers_unused"),),
    ],
)
def test_every_result_has_a_file_and_a_line(inputs: tuple[str, ...]) -> None:
    document = json.loads(run("sarif", *inputs))
    results = document["runs"][0]["results"]
    assert results
    for result in results:
        for location in result["locations"]:
            physical = location["physicalLocation"]
            assert physical["artifactLocation"]["uri"].split("/")[-1].count(".") >= 1
            assert physical["region"]["startLine"] >= 1
    for issue in json.loads(run("gitlab", *inputs)):
        assert issue["location"]["path"] != "."
        assert issue["location"]["lines"]["begin"] >= 1
    for line in run("github", *inputs).splitlines():
        if line.startswith(("::error", "::warning")):
            assert ",line=" in line
            assert line.startswith(("::error file=", "::warning file="))


# --- stable alerts ------------------------------------------------------------------------


def test_moving_and_reformatting_keeps_the_line_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tmp_path / "stack"
    shutil.copytree(ROOT / AFTER, stack)
    monkeypatch.chdir(tmp_path)

    def hashes() -> dict[tuple[str, str], tuple[str, str, int]]:
        return {
            key: (
                r["partialFingerprints"]["primaryLocationLineHash"],
                *sarif_places(r)[0],
            )
            for key, r in sarif_results("stack").items()
        }

    before = hashes()
    # Move the sensitive bucket to a file of its own, further down, reformatted; put the
    # provider block lower in its file.
    main = (stack / "main.tf").read_text()
    start = main.index('resource "aws_s3_bucket" "customers"')
    (stack / "main.tf").write_text(main[:start])
    moved = main[start:].replace("  ", "    ").replace(" = ", "   =   ")
    (stack / "storage.tf").write_text("\n\n# moved here\n\n" + moved)
    providers = stack / "providers.tf"
    providers.write_text("\n\n\n" + providers.read_text())
    after = hashes()
    assert before.keys() == after.keys() == {AUT001, ("SOV002", "aws_s3_bucket.customers")}
    sov002 = ("SOV002", "aws_s3_bucket.customers")
    assert before[sov002][1:] == ("stack/main.tf", 8)
    assert after[sov002][1:] == ("stack/storage.tf", 5)
    assert before[AUT001][1:] == ("stack/providers.tf", 7)
    assert after[AUT001][1:] == ("stack/providers.tf", 10)
    for key in before:
        assert before[key][0] == after[key][0]
        assert len(before[key][0]) == len("0123456789abcdef:1")


def test_line_hash_comes_from_the_fingerprint() -> None:
    results = sarif_results(plan_path("sensitive_bucket_us_region"))
    hashes = set()
    for result in results.values():
        prints = result["partialFingerprints"]
        assert prints["primaryLocationLineHash"] == prints["lintsov/v1"][:16] + ":1"
        hashes.add(prints["primaryLocationLineHash"])
    # SOV001 and SOV002 on the bucket; two resources are below AUT001's minimum.
    assert len(hashes) == len(results) == 2


def test_automation_id_names_the_input_set() -> None:
    def automation_id(*args: str) -> str:
        document = json.loads(run("sarif", *args))
        value: str = document["runs"][0]["automationDetails"]["id"]
        return value

    one = automation_id(AFTER, NO_PROVIDER)
    assert one == f"lintsov/{AFTER},{NO_PROVIDER}/"
    # The same stacks in another order are the same analysis; other stacks another.
    assert automation_id(NO_PROVIDER, AFTER) == one
    assert automation_id(AFTER) == f"lintsov/{AFTER}/"
    assert automation_id(plan_path("single_vendor")) == "lintsov/fixtures/plans/single_vendor.json/"


def test_a_long_input_set_is_named_by_its_hash() -> None:
    def automation_id(paths: list[str]) -> str:
        inventories = tuple(Inventory(path, "plan", "terraform", ()) for path in paths)
        return sarif.automation_id(Report(Outcome(inventories, ()), Policy(), "error", {}, ROOT))

    paths = [f"stacks/team-{n:02d}/plan.json" for n in range(40)]
    value = automation_id(paths)
    assert value.startswith("lintsov/40-inputs-")
    assert value.endswith("/")
    assert len(value) == len("lintsov/40-inputs-") + 16 + 1
    assert automation_id(list(reversed(paths))) == value
    assert automation_id(paths[:39]) != value


# --- limits -------------------------------------------------------------------------------


def many(count: int) -> tuple[Finding, ...]:
    """``count`` findings on one plan, warnings and errors alternating."""
    return tuple(
        Finding(
            "SOV001" if n % 2 else "AUT001",
            "error" if n % 2 else "warning",
            f"aws_s3_bucket.b{n:05d}",
            "sensitive data stored in us-east-1 (US)",
            (Evidence("region", "us-east-1"),),
            vendor="aws",
            region="us-east-1",
            input=plan_path("sensitive_bucket_us_region"),
        )
        for n in range(count)
    )


def report_of(findings: tuple[Finding, ...]) -> Report:
    outcome = outcome_of("sensitive_bucket_us_region")
    return Report(Outcome(outcome.inventories, findings), Policy(), "error", load_rules(), ROOT)


def test_past_25000_results_the_report_keeps_errors_first_and_says_so() -> None:
    report = report_of(many(25_010))
    run_ = json.loads(sarif.render(report))["runs"][0]
    results = run_["results"]
    assert len(results) == code_scanning.RESULTS_ACCEPTED == 25_000
    # All 12,505 errors, then the warnings until the limit.
    levels = [r["level"] for r in results]
    assert levels == ["error"] * 12_505 + ["warning"] * 12_495
    (notification,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert notification["descriptor"]["id"] == "lintsov/results-left-out"
    assert notification["properties"] == {"resultsLeftOut": 10}
    assert "leaves out 10" in notification["message"]["text"]
    notice = code_scanning.notice(25_010)
    assert notice is not None
    assert "at most 25,000" in notice
    # The summaries say so: the GitHub log and the Markdown step summary.
    assert f"::notice title=GitHub code scanning limits::{notice}" in github.render(report)
    assert markdown.cell(notice) in markdown.render(report).splitlines()[2]


def test_past_5000_results_the_summary_says_github_shows_the_top_5000() -> None:
    report = report_of(many(5_001))
    results = json.loads(sarif.render(report))["runs"][0]["results"]
    assert len(results) == 5_001
    assert [r["level"] for r in results[:2_500]] == ["error"] * 2_500
    text = github.render(report)
    assert "shows the top 5,000 by severity" in text
    # Annotations come errors first too.
    levels = [line.split(" ")[0] for line in text.splitlines() if line.startswith("::e")]
    assert levels == ["::error"] * 2_500
    assert code_scanning.notice(5_000) is None
    assert "GitHub code scanning" not in github.render(report_of(many(5_000)))


# --- the action ---------------------------------------------------------------------------


def test_action_pins_current_majors_and_passes_the_category() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = action["runs"]["steps"]
    uses = {step["uses"].split("@")[0]: step for step in steps if "uses" in step}
    assert uses["actions/setup-python"]["uses"] == "actions/setup-python@v6"
    upload = uses["github/codeql-action/upload-sarif"]
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert upload["with"]["category"] == "${{ inputs.category }}"
    assert action["inputs"]["category"]["default"] == ""
    (lint,) = [step for step in steps if step.get("id") == "lint"]
    assert lint["env"]["LINTSOV_CATEGORY"] == "${{ inputs.category }}"


def test_action_category_becomes_the_automation_id(tmp_path: Path) -> None:
    plan = plan_path("sensitive_bucket_us_region")
    done, folder = run_script(tmp_path, LINTSOV_PATHS=plan, LINTSOV_CATEGORY="stacks/prod")
    assert done.returncode == 0, done.stderr
    document = json.loads((folder / "lintsov.sarif").read_text())
    assert document["runs"][0]["automationDetails"] == {"id": "stacks/prod/"}
    # Without a category the report's own id, from the inputs, stays.
    other = tmp_path / "other"
    other.mkdir()
    done, folder = run_script(other, LINTSOV_PATHS=plan)
    document = json.loads((folder / "lintsov.sarif").read_text())
    assert document["runs"][0]["automationDetails"]["id"].startswith("lintsov/")
