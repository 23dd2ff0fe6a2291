"""The SARIF report: valid SARIF 2.1.0, the rules that ran, one result per finding with its
location, fingerprint and evidence, waived findings as suppressed results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for

from helpers import ROOT, cli, hcl_path, outcome_of, plan_path
from lintsov import __version__
from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.fingerprint import distinct, fingerprint
from lintsov.pipeline import Outcome, judge
from lintsov.policy import Policy
from lintsov.report import Report, sarif
from lintsov.rules import load_rules
from lintsov.stack import Waiver
from lintsov.waivers import Waived

SCHEMAS = ROOT.parent / "shared" / "schemas"
SARIF_SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"
needs_schema = pytest.mark.skipif(
    not SARIF_SCHEMA.is_file(), reason=f"{SARIF_SCHEMA} is not present (../shared/schemas)"
)
SECRET = "hunter2-SECRET-VALUE"
WAIVED_REASON = "EU data boundary contract, ticket SEC-12"


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are written relative to the repository the command runs in.
    monkeypatch.chdir(ROOT)


def run_sarif(*args: str) -> dict[str, Any]:
    result = cli(*args, "--format", "sarif", "--no-cache")
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def validate(document: dict[str, Any]) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = validator_for(schema)
    assert validator.__name__ == "Draft4Validator"  # the schema's own $schema draft
    validator(schema, format_checker=validator.FORMAT_CHECKER).validate(document)


def results_by(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    results = document["runs"][0]["results"]
    return {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]): r
        for r in results
    }


@needs_schema
@pytest.mark.parametrize(
    ("path", "count"),
    [
        # SOV001 and SOV002: 2 resources are too few for AUT001.
        (plan_path("sensitive_bucket_us_region"), 2),
        (plan_path("sensitive_data_eu_vendors"), 0),
        (hcl_path("waivers"), 6),
    ],
)
def test_report_is_valid_sarif(path: str, count: int) -> None:
    document = run_sarif(path)
    validate(document)
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(document["runs"]) == 1
    assert len(document["runs"][0]["results"]) == count


@needs_schema
def test_aggregate_and_baseline_reports_are_valid(tmp_path: Path) -> None:
    inputs = (plan_path("single_vendor"), plan_path("sensitive_bucket_us_region"))
    validate(run_sarif(*inputs, "--aggregate"))
    baseline = str(tmp_path / "baseline.json")
    cli(plan_path("sensitive_bucket_us_region"), "--write-baseline", baseline)
    validate(run_sarif(*inputs, "--baseline", baseline))


def test_driver_describes_every_rule_that_ran() -> None:
    run = run_sarif(plan_path("sensitive_bucket_us_region"))["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == (
        "lintsov",
        __version__,
        "https://github.com/lintsov/lintsov",
    )
    rules = load_rules()
    assert [r["id"] for r in driver["rules"]] == sorted(rules)
    sov001 = next(r for r in driver["rules"] if r["id"] == "SOV001")
    rule = rules["SOV001"]
    assert sov001["name"] == "SensitiveDataStoredInABlockedJurisdiction"
    assert sov001["shortDescription"] == {"text": rule.title}
    assert sov001["fullDescription"] == {"text": rule.summary}
    assert sov001["help"]["text"] == rule.doc
    assert sov001["help"]["markdown"].startswith("SOV001: ")
    assert "#### What it does" in sov001["help"]["markdown"]
    assert sov001["helpUri"] == rule.help_uri
    assert sov001["defaultConfiguration"] == {"level": "error"}
    assert sov001["properties"] == {
        "tags": list(rule.tags),
        "security-severity": rule.security_severity,
        "precision": "high",
    }
    aut001 = next(r for r in driver["rules"] if r["id"] == "AUT001")
    assert aut001["defaultConfiguration"] == {"level": "warning"}
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["columnKind"] == "unicodeCodePoints"


def test_sov001_result_on_a_plan() -> None:
    document = run_sarif(plan_path("sensitive_bucket_us_region"))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    result = results_by(document)[("SOV001", "aws_s3_bucket.customers")]
    assert result["level"] == "error"
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "SOV001"
    finding = next(
        f for f in outcome_of("sensitive_bucket_us_region").findings if f.rule == "SOV001"
    )
    assert result["partialFingerprints"] == {
        "lintsov/v1": fingerprint(finding),
        "primaryLocationLineHash": fingerprint(finding)[:16] + ":1",
    }
    (location,) = result["locations"]
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": "aws_s3_bucket.customers", "kind": "resource"}
    ]
    # A plan has no .tf lines: the plan file, relative to the repository, at line 1 (GitHub
    # and GitLab drop a result without a line).
    assert location["physicalLocation"] == {
        "artifactLocation": {
            "uri": "fixtures/plans/sensitive_bucket_us_region.json",
            "uriBaseId": "%SRCROOT%",
        },
        "region": {"startLine": 1},
    }
    lines = result["message"]["text"].split("\n")
    assert lines[0] == finding.message
    assert lines[1:] == [e.text() for e in finding.evidence]
    assert "region us-east-1 ← provider aws ← constant in provider aws region" in lines
    properties = result["properties"]
    assert (properties["vendor"], properties["region"], properties["jurisdictions"]) == (
        "aws",
        "us-east-1",
        ["US"],
    )
    assert properties["input"] == "fixtures/plans/sensitive_bucket_us_region.json"
    assert properties["evidence"] == lines[1:]
    assert "baselineState" not in result
    assert "suppressions" not in result


def test_waived_finding_is_a_suppressed_result_at_its_block() -> None:
    results = results_by(run_sarif(hcl_path("waivers")))
    waived = results[("SOV002", "aws_s3_bucket.waived")]
    assert waived["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "fixtures/hcl/waivers/main.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 6, "endLine": 9},
    }
    (suppression,) = waived["suppressions"]
    assert suppression["kind"] == "inSource"
    assert suppression["status"] == "accepted"
    assert suppression["justification"] == WAIVED_REASON
    assert suppression["location"]["physicalLocation"]["region"] == {"startLine": 5}
    assert suppression["properties"] == {"rules": ["SOV002"], "until": "2099-12-31"}
    # The waivers without a reason and past their date waive nothing.
    for address in ("aws_s3_bucket.no_reason", "aws_s3_bucket.expired"):
        assert "suppressions" not in results[("SOV002", address)]
        assert results[("SOV002", address)]["level"] == "error"
    expired = results[("SOV002", "aws_s3_bucket.expired")]
    assert expired["locations"][0]["physicalLocation"]["region"] == {"startLine": 18, "endLine": 21}


def _uris(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["uri"]] if isinstance(node.get("uri"), str) else []
        return found + [u for value in node.values() for u in _uris(value)]
    if isinstance(node, list):
        return [u for item in node for u in _uris(item)]
    return []


def test_no_absolute_paths_so_output_is_the_same_on_every_machine() -> None:
    relative = cli("fixtures/hcl/waivers", "--format", "sarif", "--no-cache").output
    assert str(ROOT) not in relative
    run = json.loads(relative)["runs"][0]
    assert run["originalUriBaseIds"] == {
        "%SRCROOT%": {"description": {"text": "The root of the repository lintsov ran in."}}
    }
    # An absolute input inside the repository still gives relative locations.
    absolute = json.loads(cli(hcl_path("waivers"), "--format", "sarif", "--no-cache").output)
    uris = _uris(absolute)
    # The .tf file for block findings and the waiver comment, and for AUT001 (its provider
    # block): never the folder, which GitHub would drop.
    assert sorted(set(uris)) == ["fixtures/hcl/waivers/main.tf"]
    assert len(uris) == 7


def test_aggregate_finding_points_at_each_input() -> None:
    document = run_sarif(
        plan_path("single_vendor"), plan_path("sensitive_bucket_us_region"), "--aggregate"
    )
    result = results_by(document)[("AUT001", "(all resources)")]
    logical = [{"fullyQualifiedName": "(all resources)"}]
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {
                    "uri": f"fixtures/plans/{name}.json",
                    "uriBaseId": "%SRCROOT%",
                },
                "region": {"startLine": 1},
            },
            "logicalLocations": logical,
        }
        for name in ("single_vendor", "sensitive_bucket_us_region")
    ]
    assert result["properties"]["input"] == "(all inputs)"


def test_baseline_states_only_when_a_baseline_is_used(tmp_path: Path) -> None:
    plan = plan_path("sensitive_bucket_us_region")
    baseline = tmp_path / "baseline.json"
    assert cli(plan, "--write-baseline", str(baseline)).exit_code == 0
    # Drop SOV001 from the baseline: it is new, the rest unchanged.
    recorded = json.loads(baseline.read_text())
    recorded["findings"] = [f for f in recorded["findings"] if f["rule"] != "SOV001"]
    baseline.write_text(json.dumps(recorded))
    results = results_by(run_sarif(plan, "--baseline", str(baseline)))
    assert {key: r["baselineState"] for key, r in results.items()} == {
        ("SOV001", "aws_s3_bucket.customers"): "new",
        ("SOV002", "aws_s3_bucket.customers"): "unchanged",
    }
    assert results[("SOV002", "aws_s3_bucket.customers")]["level"] == "error"


def test_fingerprints_survive_moved_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(hcl_path("waivers"), tmp_path / "waivers")
    monkeypatch.chdir(tmp_path)

    def seen() -> dict[tuple[str, str], tuple[str, int, str]]:
        return {
            key: (
                r["partialFingerprints"]["lintsov/v1"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            )
            for key, r in results_by(run_sarif("waivers")).items()
            if key[0] != "AUT001"
        }

    before = seen()
    main = tmp_path / "waivers" / "main.tf"
    main.write_text("\n\n\n" + main.read_text())
    after = seen()
    assert before.keys() == after.keys()
    assert len(before) == 5
    for key, (print_before, line_before, uri) in before.items():
        assert after[key] == (print_before, line_before + 3, uri)
        assert uri == "waivers/main.tf"


def test_secret_values_never_appear() -> None:
    output = cli(plan_path("terraform_sensitive_values"), "--format", "sarif").output
    assert "SOV001" in output
    assert SECRET not in output
    assert "sensitivity=secret" not in output


def _report(outcome: Outcome, policy: Policy) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        sarif.render(Report(outcome, policy, "error", load_rules(), ROOT))
    )
    return document


def test_policy_overrides_are_recorded_in_the_invocation() -> None:
    # AUT001's minimum lowered: the plan's 2 resources are judged, and its level shows.
    policy = Policy(
        severities={"AUT001": "error"},
        disabled_rules=frozenset({"SOV002"}),
        min_vendor_resources=1,
    )
    outcome = outcome_of("sensitive_bucket_us_region", policy)
    run = _report(outcome, policy)["runs"][0]
    index = {rule["id"]: i for i, rule in enumerate(run["tool"]["driver"]["rules"])}
    assert run["invocations"][0]["ruleConfigurationOverrides"] == [
        {
            "descriptor": {"id": "AUT001", "index": index["AUT001"]},
            "configuration": {"level": "error"},
        },
        {
            "descriptor": {"id": "SOV002", "index": index["SOV002"]},
            "configuration": {"enabled": False},
        },
    ]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"SOV001": "error", "AUT001": "error"}


def test_config_file_waiver_is_an_external_suppression() -> None:
    policy = Policy()
    (finding,) = (
        f for f in outcome_of("sensitive_bucket_us_region").findings if f.rule == "SOV001"
    )
    waiver = Waiver(
        rules=("SOV001",),
        reason="migration ticket MIG-7",
        until="",
        file=str(ROOT / ".lintsov.yaml"),
        line=0,
        block_start=0,
        block_end=0,
        text="",
        address="aws_s3_bucket.*",
    )
    outcome = Outcome((), (), waived=(Waived(finding, waiver),))
    (result,) = _report(outcome, policy)["runs"][0]["results"]
    assert result["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "migration ticket MIG-7",
            # Line 0 (a TOML file gives none) is no SARIF line: the file only.
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": ".lintsov.yaml", "uriBaseId": "%SRCROOT%"}
                }
            },
            "properties": {"rules": ["SOV001"], "address": "aws_s3_bucket.*"},
        }
    ]


def test_findings_sharing_a_fingerprint_get_distinct_ones() -> None:
    first = Finding("LSV001", "warning", "aws_s3_bucket.a", "the waiver has no reason", ())
    second = Finding("LSV001", "warning", "aws_s3_bucket.a", "the waiver expired", ())
    keys = distinct([first, second, first])
    assert keys[0] == fingerprint(first) == fingerprint(second)
    assert len(set(keys)) == 3
    assert keys == distinct([first, second, first])


def test_results_keep_the_pipeline_order_and_output_is_stable() -> None:
    policy = Policy(min_vendor_resources=1)  # AUT001 on the plan's 2 resources: a warning
    found = outcome_of("sensitive_bucket_us_region", policy)
    again = judge(found.inventories, load_rules(), policy)
    assert sarif.render(Report(found, policy, "error", load_rules(), ROOT)) == sarif.render(
        Report(again, policy, "error", load_rules(), ROOT)
    )
    ids = [r["ruleId"] for r in _report(found, policy)["runs"][0]["results"]]
    assert ids == ["SOV001", "SOV002", "AUT001"]


def test_markdown_help_from_a_manual() -> None:
    doc = (
        "XYZ001: a title.\n\n"
        "What it does\n  Reports things.\n  More of them.\n\n"
        'Example\n  resource "x" "y" {\n    a = 1\n  }\n\n'
        'Fix\n  Add a waiver:\n  # lintsov:ignore XYZ001 reason="..."'
    )
    assert sarif.markdown(doc) == (
        "XYZ001: a title.\n\n"
        "#### What it does\n\nReports things.\nMore of them.\n\n"
        '#### Example\n\n```\nresource "x" "y" {\n  a = 1\n}\n```\n\n'
        '#### Fix\n\nAdd a waiver:\n\\# lintsov:ignore XYZ001 reason="..."\n'
    )
    # A manual without sections stays as it is.
    assert sarif.markdown("Checks a thing.\nOn two lines.") == "Checks a thing.\nOn two lines.\n"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("aws_s3_bucket.customers", "resource"),
        ('module.a["x.y"].aws_s3_bucket.b[0]', "resource"),
        ("data.aws_region.current", "resource"),
        ("module.vpc", "module"),
        ("module.a.module.b", "module"),
        ("(all resources)", None),
        ("fixtures/hcl/waivers/main.tf:12", None),
    ],
)
def test_logical_location_kind(address: str, kind: str | None) -> None:
    assert sarif.address_kind(address) == kind


def test_rule_names_are_camel_case() -> None:
    assert (
        sarif.camel_case("Sensitive data held by a vendor under a blocked jurisdiction's law")
        == "SensitiveDataHeldByAVendorUnderABlockedJurisdictionsLaw"
    )


def test_evidence_with_newlines_stays_in_the_message() -> None:
    finding = Finding("SOV001", "error", "a.b", "msg", (Evidence("region", "x"),))
    outcome = Outcome((), (finding,))
    (result,) = _report(outcome, Policy())["runs"][0]["results"]
    assert result["message"]["text"] == "msg\nregion x"
    # No input, no location: no file to point at.
    assert "physicalLocation" not in result["locations"][0]


def test_artifact_uris_are_encoded_and_relative_when_they_can_be() -> None:
    assert sarif.artifact_location("infra/my dir/ü.tf") == {
        "uri": "infra/my%20dir/%C3%BC.tf",
        "uriBaseId": "%SRCROOT%",
    }
    # Outside the repository the path stays as given: an absolute one is a file: URI.
    assert sarif.artifact_location("/srv/plans/x y.json") == {"uri": "file:///srv/plans/x%20y.json"}
