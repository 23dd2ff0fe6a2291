"""One input that cannot be read does not hide the report on the others: the run fails
(exit 2), every unreadable input's error is printed, and every format reports the inputs
that were read and names the ones that were not."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from click.testing import Result
from test_report_gitlab import GITLAB_SCHEMA
from test_report_gitlab import validate as validate_gitlab
from test_report_junit import JUNIT_XSD, checked
from test_report_sarif import SARIF_SCHEMA
from test_report_sarif import validate as validate_sarif

from helpers import ROOT, cli, plan_path, run_lintsov
from lintsov.errors import InputError
from lintsov.fingerprint import about_input
from lintsov.unreadable import Unreadable, unreadable

# Paths as a user in the repository root types them (the tests run from there).
GOOD = "fixtures/hcl/same_as_plan_provider_alias"
BROKEN = "fixtures/hcl/parse_error"
BROKEN_FILE = f"{BROKEN}/main.tf"
BROKEN_ERROR = (
    f"{BROKEN_FILE}: unexpected end of line; expected '!', '\"', '(', '-', '[', '{{', a "
    f"heredoc, a name, … (at {BROKEN_FILE}:6:11)"
)
STDERR = f"lintsov: error: {BROKEN_ERROR}\n"
SUMMARY = (
    f"✗ error: 1 input could not be read: {BROKEN} · 3 errors · 0 warnings · 2 resources "
    "(2 sensitive) in 1 of 2 inputs · profile sovereignty, blocked: US · no config file"
)
FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "markdown")


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def lint(*args: str) -> Result:
    return cli(*args, "--no-cache", "--no-color")


def good_and_broken(fmt: str, *more: str) -> str:
    """The report on the good and the broken folder, after checking the exit code and that
    stderr holds the broken folder's one line, and nothing else."""
    result = lint(GOOD, BROKEN, "--format", fmt, *more)
    assert result.exit_code == 2, result.output
    assert result.stderr == STDERR
    return result.stdout


# --- every format ---------------------------------------------------------------------


def test_text_reports_the_good_folder_and_names_the_broken_one() -> None:
    out = good_and_broken("text")
    assert f"  SOV001 aws_s3_bucket.us  ({GOOD}/main.tf:16)\n" in out
    assert f"COULD NOT BE READ (1)\n  {BROKEN}\n    {BROKEN_ERROR}\n" in out
    assert out.splitlines()[-1] == SUMMARY


def test_json_lists_the_unreadable_inputs_with_their_error() -> None:
    document = json.loads(good_and_broken("json"))
    schema = json.loads((ROOT / "lintsov" / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert document["unreadable"] == [
        {"input": BROKEN, "error": BROKEN_ERROR, "file": BROKEN_FILE, "line": 6, "column": 11}
    ]
    assert [i["path"] for i in document["inputs"]] == [GOOD]
    assert ("SOV001", "aws_s3_bucket.us", GOOD) in {
        (f["rule"], f["address"], f["input"]) for f in document["findings"]
    }
    summary = document["summary"]
    assert (summary["verdict"], summary["inputs"], summary["unreadable_inputs"]) == ("error", 1, 1)


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="no SARIF schema in ../shared/schemas")
def test_sarif_says_the_run_did_not_read_everything() -> None:
    document = json.loads(good_and_broken("sarif"))
    validate_sarif(document)
    (run,) = document["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "error",
            "message": {"text": f"{BROKEN} could not be read: {BROKEN_ERROR}"},
            "descriptor": {"id": "lintsov/unreadable-input"},
            "properties": {"input": BROKEN},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": BROKEN_FILE, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 6, "startColumn": 11},
                    }
                }
            ],
        }
    ]
    assert run["properties"]["verdict"] == "error"
    located = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in run["results"]
    }
    assert ("SOV001", f"{GOOD}/main.tf") in located


@pytest.mark.skipif(not JUNIT_XSD.is_file(), reason="no JUnit XSD in ../shared/schemas")
def test_junit_has_an_error_case_for_the_unreadable_input() -> None:
    root = checked(good_and_broken("junit"), xmlschema.XMLSchema(str(JUNIT_XSD)))
    assert root.get("errors") == "1"
    inputs = root.findall("testsuite")[0]
    assert inputs.get("name") == "inputs"
    cases = {str(c.get("classname")): c for c in inputs.findall("testcase")}
    assert sorted(cases) == [BROKEN, GOOD]
    error = cases[BROKEN].find("error")
    assert error is not None
    assert error.get("message") == f"could not be read: {BROKEN_ERROR}"
    assert error.get("type") == "unreadable-input"
    assert list(cases[GOOD]) == []  # read: a passing case
    failed = [
        c.get("name")
        for s in root.findall("testsuite")
        if (s.get("name") or "").startswith("SOV001:")
        for c in s.findall("testcase")
        if c.find("failure") is not None
    ]
    assert failed == ["aws_s3_bucket.us"]


def test_github_annotates_the_error_where_it_is() -> None:
    lines = good_and_broken("github").splitlines()
    assert lines[0] == (
        f"::error file={BROKEN_FILE},line=6,col=11,title={BROKEN} could not be read::{BROKEN_ERROR}"
    )
    assert any(
        line.startswith(
            f"::error file={GOOD}/main.tf,line=16,endLine=20,title=SOV001 aws_s3_bucket.us::"
        )
        for line in lines
    )
    assert lines[-1] == SUMMARY


def test_gitlab_has_a_blocker_issue_for_the_unreadable_input() -> None:
    issues = json.loads(good_and_broken("gitlab"))
    if GITLAB_SCHEMA.is_file():
        validate_gitlab(issues)
    assert issues[0] == {
        "type": "issue",
        "check_name": "unreadable-input",
        "description": f"{BROKEN} could not be read: {BROKEN_ERROR}",
        "categories": ["Bug Risk"],
        "severity": "blocker",
        "fingerprint": about_input("unreadable-input", BROKEN),
        "location": {"path": BROKEN_FILE, "lines": {"begin": 6}},
    }
    assert ("SOV001", f"{GOOD}/main.tf") in {
        (i["check_name"], i["location"]["path"]) for i in issues
    }


def test_gitlab_fingerprint_stays_while_the_error_changes(tmp_path: Path) -> None:
    folder = tmp_path / "envs" / "prod"
    folder.mkdir(parents=True)
    fingerprints = []
    for text in ('resource "a" {\n', 'resource "a" "b" {\n  x = \n}\n'):
        (folder / "main.tf").write_text(text)
        result = lint(GOOD, str(folder), "--format", "gitlab")
        assert result.exit_code == 2
        (issue,) = [i for i in json.loads(result.stdout) if i["check_name"] == "unreadable-input"]
        fingerprints.append(issue["fingerprint"])
    assert fingerprints[0] == fingerprints[1] == about_input("unreadable-input", str(folder))


def test_markdown_names_the_unreadable_input_and_never_passes() -> None:
    out = good_and_broken("markdown")
    lines = out.splitlines()
    assert lines[0] == "### ❌ lintsov: error — 1 input could not be read, 3 errors, 0 warnings"
    assert "2 resources (2 sensitive) in 1 of 2 inputs" in lines[2]
    table = lines.index("#### 1 input could not be read")
    assert lines[table + 4].startswith(f"| {BROKEN} | {BROKEN_FILE}: unexpected end of line")
    assert any(
        line.startswith("| ❌ error | [SOV001]") and "aws_s3_bucket.us" in line for line in lines
    )


def test_every_report_of_the_run_names_the_unreadable_input(tmp_path: Path) -> None:
    outputs = [f"{fmt}={tmp_path / fmt}" for fmt in FORMATS]
    result = lint(GOOD, BROKEN, *(arg for o in outputs for arg in ("-o", o)), "-o", os.devnull)
    assert result.exit_code == 2
    assert result.stderr == STDERR
    for fmt in FORMATS:
        written = (tmp_path / fmt).read_text(encoding="utf-8")
        assert BROKEN in written, fmt
        assert "aws_s3_bucket.us" in written, fmt


# --- what is printed, and the exit code ---------------------------------------------------


def test_every_unreadable_input_gets_its_line_in_input_order(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing")
    result = lint(BROKEN, GOOD, missing)
    assert result.exit_code == 2
    assert result.stderr == f"{STDERR}lintsov: error: {missing}: no such file or folder\n"
    assert f"2 inputs could not be read: {BROKEN}, {missing} · " in result.stdout


def test_a_broken_module_shared_by_two_inputs_is_named_with_each(tmp_path: Path) -> None:
    module = tmp_path / "modules" / "bucket"
    module.mkdir(parents=True)
    (module / "main.tf").write_text('resource "aws_s3_bucket" "logs" {\n')
    envs = [tmp_path / "envs" / name for name in ("eu", "us")]
    for env in envs:
        env.mkdir(parents=True)
        (env / "main.tf").write_text('module "logs" {\n  source = "../../modules/bucket"\n}\n')
    result = lint(*map(str, envs), GOOD)
    assert result.exit_code == 2
    error = (
        f"{module / 'main.tf'}: the file ends early; expected '}}'; the '{{' opened at line 1, "
        f"column 33 is not closed (at {module / 'main.tf'}:1:33)"
    )
    assert result.stderr == "".join(f"lintsov: error: {env}: {error}\n" for env in envs)
    assert "SOV001 aws_s3_bucket.us" in result.stdout


def test_one_unreadable_input_alone_prints_its_line_and_no_report() -> None:
    result = lint(BROKEN, "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == STDERR
    assert result.stdout == ""


def test_no_report_when_no_input_could_be_read(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing")
    result = lint(BROKEN, missing, "--format", "sarif")
    assert result.exit_code == 2
    assert result.stderr == f"{STDERR}lintsov: error: {missing}: no such file or folder\n"
    assert result.stdout == ""


@pytest.mark.parametrize("fail_on", ["never", "warning", "error"])
def test_an_unreadable_input_exits_2_whatever_the_findings(fail_on: str) -> None:
    clean = plan_path("sensitive_data_eu_vendors")
    assert lint(clean, BROKEN, "--fail-on", fail_on).exit_code == 2
    assert lint(GOOD, BROKEN, "--fail-on", fail_on).exit_code == 2


def test_the_inventory_command_lists_what_it_read_and_fails() -> None:
    result = cli("inventory", GOOD, BROKEN, "--format", "json", "--no-cache")
    assert result.exit_code == 2
    assert result.stderr == STDERR
    assert "aws_s3_bucket.us" in result.stdout


# --- baseline and aggregate -------------------------------------------------------------


def two_folders(tmp_path: Path) -> tuple[str, str]:
    first, second = tmp_path / "envs" / "eu", tmp_path / "envs" / "us"
    shutil.copytree(ROOT / GOOD, first)
    shutil.copytree(ROOT / GOOD, second)
    return str(first), str(second)


def test_baseline_entries_of_an_unreadable_input_are_not_no_longer_occurring(
    tmp_path: Path,
) -> None:
    first, second = two_folders(tmp_path)
    # The aggregate finding over one folder's 2 resources: AUT001's minimum lowered.
    (tmp_path / ".lintsov.yaml").write_text("min_vendor_resources: 1\n")
    baseline = str(tmp_path / "baseline.json")
    assert lint(first, second, "--aggregate", "--write-baseline", baseline).exit_code == 0
    recorded = json.loads(Path(baseline).read_text())["findings"]
    assert {e["input"] for e in recorded} == {first, second, "(all inputs)"}
    (Path(second) / "main.tf").write_text('resource "aws_s3_bucket" "logs" {\n')
    result = lint(first, second, "--aggregate", "--baseline", baseline, "--format", "json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["baseline"]["no_longer_occur"] == []
    assert {f["input"] for f in document["baseline"]["known"]} == {first, "(all inputs)"}
    assert document["findings"] == []
    # Once the folder reads again, an entry that is really gone is listed.
    shutil.rmtree(second)
    shutil.copytree(ROOT / GOOD, second)
    (Path(second) / "main.tf").write_text(
        (Path(second) / "main.tf").read_text().replace('"us-east-1"', '"eu-west-1"')
    )
    document = json.loads(
        lint(first, second, "--aggregate", "--baseline", baseline, "--format", "json").stdout
    )
    assert ("SOV001", second) in {
        (e["rule"], e["input"]) for e in document["baseline"]["no_longer_occur"]
    }


def test_write_baseline_refuses_when_an_input_could_not_be_read(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    result = lint(GOOD, BROKEN, "--write-baseline", str(baseline))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{STDERR}lintsov: error: {baseline}: baseline not written: 1 input could not be "
        "read, and a baseline without their findings would drop them\n"
    )
    assert not baseline.exists()


def test_aggregate_finding_says_it_covers_only_the_inputs_read(tmp_path: Path) -> None:
    config = tmp_path / ".lintsov.yaml"  # AUT001 judges the 2 resources read
    config.write_text("min_vendor_resources: 1\n")
    document = json.loads(good_and_broken("json", "--aggregate", "--config", str(config)))
    (finding,) = [f for f in document["findings"] if f["rule"] == "AUT001"]
    assert finding["input"] == "(all inputs)"
    assert finding["message"] == (
        "all 2 resources that depend on a hosting vendor depend on Amazon Web Services (AWS) "
        f"(judged on the 1 of 2 inputs lintsov could read; not read: {BROKEN})"
    )
    assert finding["evidence"][-1]["text"] == f"inputs judged 1 of 2 ← not read: {BROKEN}"


@pytest.mark.skipif(not JUNIT_XSD.is_file(), reason="no JUnit XSD in ../shared/schemas")
def test_aggregate_that_found_nothing_does_not_pass_for_all_inputs() -> None:
    aws, azure = plan_path("single_vendor"), plan_path("azure_display_name_location")
    result = lint(aws, azure, BROKEN, "--aggregate", "--format", "junit")
    assert result.exit_code == 2
    root = checked(result.stdout, xmlschema.XMLSchema(str(JUNIT_XSD)))
    (suite,) = [s for s in root.findall("testsuite") if (s.get("name") or "").startswith("AUT001:")]
    (case,) = suite.findall("testcase")
    assert case.get("classname") == "(all inputs)"
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message") == (
        "judged only the inputs lintsov could read; see the inputs suite"
    )


# --- parallel and serial ------------------------------------------------------------------


def test_parallel_and_serial_runs_report_unreadable_inputs_alike(tmp_path: Path) -> None:
    inputs = [
        str(ROOT / GOOD),
        str(ROOT / BROKEN),
        plan_path("single_vendor"),
        str(tmp_path / "missing"),
        str(ROOT / "fixtures" / "hcl" / "waivers"),
    ]
    runs = {}
    for jobs in ("1", "4"):
        folder = tmp_path / jobs
        folder.mkdir()
        outputs = [arg for fmt in FORMATS for arg in ("-o", f"{fmt}={folder / fmt}")]
        done = run_lintsov(*inputs, *outputs, "--no-cache", "--jobs", jobs, "-o", os.devnull)
        assert done.returncode == 2, done.stderr
        runs[jobs] = (done.stderr, {fmt: (folder / fmt).read_bytes() for fmt in FORMATS})
    assert runs["1"] == runs["4"]
    assert runs["1"][0].count(b"lintsov: error: ") == 2


# --- where an error points ----------------------------------------------------------------


def read_one(path: str) -> Unreadable:
    from lintsov import catalogue
    from lintsov.load import LoadOptions
    from lintsov.pipeline import read
    from lintsov.policy import Policy

    (found,) = read([path], catalogue.builtin(), Policy(), LoadOptions()).unreadable
    return found


def test_a_configuration_error_points_at_its_file_line_and_column() -> None:
    found = read_one(BROKEN)
    assert (found.input, found.file, found.line, found.column) == (BROKEN, BROKEN_FILE, 6, 11)
    assert found.message == BROKEN_ERROR


def test_a_plan_error_points_at_the_plan_line_and_column(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text('{\n  "format_version": "1.2",\n  "resource_changes": [,]\n}\n')
    found = read_one(str(plan))
    assert (found.file, found.line, found.column) == (str(plan), 3, 24)


def test_a_binary_file_in_a_folder_points_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(b"# fine\n\x00\x01")
    found = read_one(str(tmp_path))
    assert (found.file, found.line, found.column) == (str(tmp_path / "main.tf"), 2, None)


def test_a_plan_that_is_not_a_plan_points_at_the_file_without_a_line(tmp_path: Path) -> None:
    state = tmp_path / "terraform.tfstate"
    state.write_text('{"version": 4, "terraform_version": "1.9.8", "resources": []}')
    found = read_one(str(state))
    assert (found.file, found.line, found.column) == (str(state), None, None)


def test_an_input_that_is_not_there_points_nowhere(tmp_path: Path) -> None:
    found = read_one(str(tmp_path / "missing"))
    assert (found.file, found.line, found.column) == (None, None, None)


def test_a_binary_plan_error_points_at_the_plan_not_into_the_json(tmp_path: Path) -> None:
    plan = tmp_path / "plan.tfplan"
    plan.write_bytes(b"PK\x03\x04 not a real plan")
    shown = f"{plan} (via show -json)"
    error = InputError(shown, "invalid JSON: x", line=3, column=2)
    assert unreadable(str(plan), error) == Unreadable(
        str(plan), f"{shown}: invalid JSON: x (at {shown}:3:2)", str(plan)
    )
