"""An input that holds no managed resource passes (exit 0: it is not an error), but every
format says there was nothing to judge in it, so that a wrong path in a CI job shows."""

from __future__ import annotations

import json

import jsonschema
import pytest
import xmlschema
from click.testing import Result
from test_report_gitlab import GITLAB_SCHEMA
from test_report_gitlab import validate as validate_gitlab
from test_report_junit import JUNIT_XSD, checked
from test_report_sarif import SARIF_SCHEMA
from test_report_sarif import validate as validate_sarif

from helpers import ROOT, cli
from lintsov.fingerprint import about_input
from lintsov.pipeline import Outcome

EMPTY_FOLDER = "fixtures/hcl/only_data_sources_and_outputs"
EMPTY_PLAN = "fixtures/plans/outputs_only.json"
FULL = "fixtures/hcl/same_as_plan_provider_alias"


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def lint(*args: str) -> Result:
    return cli(*args, "--no-cache", "--no-color")


def passing(fmt: str, *paths: str) -> str:
    result = lint(*paths, "--format", fmt, "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def test_text_says_there_was_nothing_to_judge() -> None:
    assert passing("text", EMPTY_FOLDER) == (
        f"✓ pass: 0 errors · 0 warnings · no resources to judge in {EMPTY_FOLDER} · "
        "profile sovereignty, blocked: US · no config file\n"
    )


def test_text_names_the_empty_input_among_others() -> None:
    last = passing("text", FULL, EMPTY_PLAN).splitlines()[-1]
    # 2 resources: too few for AUT001 (min_vendor_resources 3), so no warning.
    assert last == (
        "✓ pass: 3 errors · 0 warnings · 2 resources (2 sensitive) in 2 inputs · no resources "
        f"to judge in {EMPTY_PLAN} · profile sovereignty, blocked: US · no config file"
    )


def test_json_has_a_field_for_it() -> None:
    document = json.loads(passing("json", EMPTY_FOLDER, EMPTY_PLAN))
    schema = json.loads((ROOT / "lintsov" / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(document, schema)
    summary = document["summary"]
    assert summary["verdict"] == "pass"
    assert summary["nothing_to_judge"] is True
    assert summary["inputs_without_resources"] == [EMPTY_FOLDER, EMPTY_PLAN]
    mixed = json.loads(passing("json", FULL, EMPTY_PLAN))["summary"]
    assert (mixed["nothing_to_judge"], mixed["inputs_without_resources"]) == (False, [EMPTY_PLAN])


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="no SARIF schema in ../shared/schemas")
def test_sarif_has_a_note_per_empty_input() -> None:
    document = json.loads(passing("sarif", EMPTY_FOLDER, EMPTY_PLAN))
    validate_sarif(document)
    (invocation,) = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "note",
            "message": {"text": f"{EMPTY_FOLDER}: no resources to judge"},
            "descriptor": {"id": "lintsov/no-resources"},
            "properties": {"input": EMPTY_FOLDER},
        },
        {
            "level": "note",
            "message": {"text": f"{EMPTY_PLAN}: no resources to judge"},
            "descriptor": {"id": "lintsov/no-resources"},
            "properties": {"input": EMPTY_PLAN},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": EMPTY_PLAN, "uriBaseId": "%SRCROOT%"}
                    }
                }
            ],
        },
    ]


@pytest.mark.skipif(not JUNIT_XSD.is_file(), reason="no JUnit XSD in ../shared/schemas")
def test_junit_skips_the_empty_input() -> None:
    root = checked(passing("junit", FULL, EMPTY_FOLDER), xmlschema.XMLSchema(str(JUNIT_XSD)))
    inputs = root.findall("testsuite")[0]
    assert inputs.get("name") == "inputs"
    cases = {c.get("classname"): c.find("skipped") for c in inputs.findall("testcase")}
    assert cases[FULL] is None
    skipped = cases[EMPTY_FOLDER]
    assert skipped is not None
    assert skipped.get("message") == "no resources to judge"


def test_github_adds_a_notice() -> None:
    lines = passing("github", EMPTY_FOLDER).splitlines()
    assert lines[0] == (
        f"::notice title=no resources to judge::{EMPTY_FOLDER}: no resources to judge"
    )


def test_gitlab_adds_an_info_issue() -> None:
    issues = json.loads(passing("gitlab", EMPTY_PLAN))
    if GITLAB_SCHEMA.is_file():
        validate_gitlab(issues)
    assert issues == [
        {
            "type": "issue",
            "check_name": "no-resources",
            "description": f"{EMPTY_PLAN}: no resources to judge",
            "categories": ["Bug Risk"],
            "severity": "info",
            "fingerprint": about_input("no-resources", EMPTY_PLAN),
            "location": {"path": EMPTY_PLAN, "lines": {"begin": 1}},
        }
    ]


def test_markdown_says_it_in_the_context_line() -> None:
    lines = passing("markdown", EMPTY_FOLDER).splitlines()
    assert lines[0] == "### ✅ lintsov: pass"
    assert lines[2].endswith(f" · no resources to judge in {EMPTY_FOLDER}")


def test_inputs_with_resources_are_not_listed() -> None:
    assert Outcome((), ()).without_resources() == ()
    document = json.loads(passing("json", FULL))
    assert document["summary"]["inputs_without_resources"] == []
    assert "no resources to judge" not in passing("text", FULL)
    assert "no-resources" not in passing("gitlab", FULL)
