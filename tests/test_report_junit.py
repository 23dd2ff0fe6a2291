"""The JUnit report: valid against the Jenkins xunit JUnit schema, one suite per rule, one
test case per rule and resource (or input, or configuration finding), failures with the
evidence, waived and baselined findings skipped, counts that add up."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema

from helpers import CORPUS, ROOT, cli, hcl_path, inventory_of, outcome_of, plan_path, resource
from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.pipeline import Outcome, judge
from lintsov.policy import Policy
from lintsov.report import Report, junit
from lintsov.resolve.sensitivity import HIDDEN
from lintsov.rules import load_rules

SCHEMAS = ROOT.parent / "shared" / "schemas"
JUNIT_XSD = SCHEMAS / "jenkins-xunit-junit-10.xsd"
needs_schema = pytest.mark.skipif(
    not JUNIT_XSD.is_file(), reason=f"{JUNIT_XSD} is not present (../shared/schemas)"
)
US = plan_path("sensitive_bucket_us_region")
US_INPUT = "fixtures/plans/sensitive_bucket_us_region.json"
SECRET = "hunter2-SECRET-VALUE"
WAIVED_REASON = "EU data boundary contract, ticket SEC-12"
# Cases per resource and per input: one for each rule of that scope.
# The rules that run by default (SOV008 is off unless a config enables it).
RESOURCE_RULES = sum(
    1 for rule in load_rules().values() if rule.scope == "resource" and rule.default_enabled
)
INPUT_RULES = sum(
    1 for rule in load_rules().values() if rule.scope == "input" and rule.default_enabled
)


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are written relative to the repository the command runs in.
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    if not JUNIT_XSD.is_file():
        pytest.skip(f"{JUNIT_XSD} is not present (../shared/schemas)")
    return xmlschema.XMLSchema(str(JUNIT_XSD))


def run_junit(*args: str) -> str:
    result = cli(*args, "--format", "junit", "--no-cache")
    assert result.exit_code in (0, 1), result.output
    return result.output


def render(outcome: Outcome, policy: Policy | None = None) -> str:
    return junit.render(Report(outcome, policy or Policy(), "error", load_rules(), ROOT))


def checked(text: str, schema: xmlschema.XMLSchema) -> ET.Element:
    """The document, after checking it against the XSD and that every count attribute
    matches the test cases it sums up."""
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    schema.validate(text)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    tests = failures = errors = 0
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        failed = [c for c in cases if c.find("failure") is not None]
        # An error: an input that could not be read (the inputs suite).
        erred = [c for c in cases if c.find("error") is not None]
        skipped = [c for c in cases if c.find("skipped") is not None and c not in failed]
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(len(failed))
        assert suite.get("skipped") == str(len(skipped))
        assert suite.get("errors") == str(len(erred))
        order = [(c.get("classname", ""), c.get("name", "")) for c in cases]
        assert order == sorted(order)
        tests += len(cases)
        failures += len(failed)
        errors += len(erred)
    assert root.get("tests") == str(tests)
    assert root.get("failures") == str(failures)
    assert root.get("errors") == str(errors)
    return root


def suite(root: ET.Element, rule: str) -> ET.Element:
    (found,) = [s for s in root.findall("testsuite") if s.get("name", "").startswith(f"{rule}:")]
    return found


def case(found: ET.Element, name: str) -> ET.Element:
    (match,) = [c for c in found.findall("testcase") if c.get("name") == name]
    return match


@needs_schema
def test_failing_case_carries_the_evidence_and_the_counts_add_up(
    schema: xmlschema.XMLSchema,
) -> None:
    root = checked(run_junit(US), schema)
    sov001 = suite(root, "SOV001")
    assert sov001.get("name") == "SOV001: Sensitive data stored in a blocked jurisdiction"
    assert (sov001.get("tests"), sov001.get("failures"), sov001.get("skipped")) == ("2", "1", "0")
    customers = case(sov001, "aws_s3_bucket.customers")
    assert customers.get("classname") == US_INPUT
    failure = customers.find("failure")
    assert failure is not None
    assert failure.get("type") == "SOV001"
    assert failure.get("message") == (
        "error: sensitive data stored in us-east-1 (US), under blocked jurisdiction US"
    )
    assert "  region us-east-1 ← provider aws ← constant in provider aws region" in (
        failure.text or ""
    )
    assert f"at {US_INPUT}" in (failure.text or "")
    assert list(case(sov001, "aws_s3_bucket.assets")) == []
    # 2 resources x each resource rule, 1 case per input rule, no configuration findings.
    # SOV001 and SOV002 fail; AUT001 passes (2 resources are too few for it to judge).
    assert (root.get("tests"), root.get("failures")) == (
        str(2 * RESOURCE_RULES + INPUT_RULES),
        "2",
    )
    assert suite(root, "LSV001").findall("testcase") == []


@needs_schema
def test_a_run_without_findings_passes_every_case(schema: xmlschema.XMLSchema) -> None:
    root = checked(run_junit(plan_path("multi_vendor")), schema)
    assert root.get("failures") == "0"
    for rule in ("SOV001", "SOV002", "SOV003"):
        names = [c.get("name") for c in suite(root, rule).findall("testcase")]
        assert names == ["aws_s3_bucket.assets", "hcloud_volume.data", "random_id.suffix"]
    (whole,) = suite(root, "AUT001").findall("testcase")
    assert (whole.get("classname"), whole.get("name")) == (
        "fixtures/plans/multi_vendor.json",
        "(all resources)",
    )
    assert root.get("tests") == str(3 * RESOURCE_RULES + INPUT_RULES)


@needs_schema
def test_waived_findings_are_skipped_with_the_reason(schema: xmlschema.XMLSchema) -> None:
    root = checked(run_junit(hcl_path("waivers")), schema)
    sov002 = suite(root, "SOV002")
    assert (sov002.get("tests"), sov002.get("failures"), sov002.get("skipped")) == ("3", "2", "1")
    skipped = case(sov002, "aws_s3_bucket.waived").find("skipped")
    assert skipped is not None
    assert skipped.get("message") == f"waived: {WAIVED_REASON}"
    assert "waived by fixtures/hcl/waivers/main.tf:5 until 2099-12-31" in (skipped.text or "")
    for name in ("aws_s3_bucket.expired", "aws_s3_bucket.no_reason"):
        assert case(sov002, name).find("failure") is not None
    # Configuration findings: one case each, at the waiver comment's file.
    lsv001 = suite(root, "LSV001")
    assert [(c.get("classname"), c.get("name")) for c in lsv001.findall("testcase")] == [
        ("fixtures/hcl/waivers/main.tf", "aws_s3_bucket.expired"),
        ("fixtures/hcl/waivers/main.tf", "aws_s3_bucket.no_reason"),
    ]
    expired = case(lsv001, "aws_s3_bucket.expired").find("failure")
    assert expired is not None
    assert expired.get("message") == (
        "warning: the waiver for SOV002 expired on 2020-01-31, so it no longer waives"
    )
    assert "at fixtures/hcl/waivers/main.tf:17" in (expired.text or "")


@needs_schema
def test_baselined_findings_are_skipped(schema: xmlschema.XMLSchema, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert cli(US, "--write-baseline", str(baseline)).exit_code == 0
    root = checked(run_junit(US, "--baseline", str(baseline)), schema)
    assert root.get("failures") == "0"
    skipped = case(suite(root, "SOV001"), "aws_s3_bucket.customers").find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "in the baseline"
    # 2 resources are too few for AUT001: nothing of it to skip.
    assert suite(root, "AUT001").get("skipped") == "0"


@needs_schema
def test_aggregate_judges_all_inputs_in_one_case(schema: xmlschema.XMLSchema) -> None:
    root = checked(run_junit("--aggregate", plan_path("single_vendor"), US), schema)
    (whole,) = suite(root, "AUT001").findall("testcase")
    assert (whole.get("classname"), whole.get("name")) == ("(all inputs)", "(all resources)")
    failure = whole.find("failure")
    assert failure is not None
    assert "at (all inputs)" in (failure.text or "")


@needs_schema
def test_warnings_are_failures_that_say_so(schema: xmlschema.XMLSchema) -> None:
    root = checked(run_junit(plan_path("unknown_region")), schema)
    failed = [c for c in suite(root, "SOV003").findall("testcase") if c.find("failure") is not None]
    assert failed
    for found in failed:
        failure = found.find("failure")
        assert failure is not None
        assert failure.get("type") == "SOV003"
        assert (failure.get("message") or "").startswith("warning: ")


@needs_schema
def test_a_finding_on_an_address_outside_the_inventory_still_has_its_case(
    schema: xmlschema.XMLSchema,
) -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    ghost = Finding("SOV001", "error", "aws_s3_bucket.ghost", "not in the plan", (), input=US)
    root = checked(render(replace(outcome, findings=(*outcome.findings, ghost))), schema)
    sov001 = suite(root, "SOV001")
    assert sov001.get("tests") == "3"
    assert case(sov001, "aws_s3_bucket.ghost").find("failure") is not None


@needs_schema
def test_several_findings_on_one_case_make_one_failure(schema: xmlschema.XMLSchema) -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    (first,) = [f for f in outcome.findings if f.rule == "SOV001"]
    second = replace(first, message="a second reason")
    root = checked(render(replace(outcome, findings=(*outcome.findings, second))), schema)
    sov001 = suite(root, "SOV001")
    assert sov001.get("failures") == "1"
    failure = case(sov001, "aws_s3_bucket.customers").find("failure")
    assert failure is not None
    assert (failure.get("message") or "").endswith("(and 1 more)")
    assert first.message in (failure.text or "")
    assert "a second reason" in (failure.text or "")


def test_disabled_rules_have_no_suite_and_unknown_rules_get_one() -> None:
    policy = Policy(disabled_rules=frozenset({"SOV003"}))
    outcome = judge((inventory_of("sensitive_bucket_us_region", policy),), load_rules(), policy)
    plugin = Finding("XYZ900", "warning", "aws_s3_bucket.assets", "from nowhere", (), input=US)
    text = render(replace(outcome, findings=(*outcome.findings, plugin)), policy)
    names = [s.get("name", "") for s in ET.fromstring(text).findall("testsuite")]
    expected = sorted({*load_rules()} - {"SOV003", "SOV008"} | {"XYZ900"})
    assert [n.split(":")[0] for n in names] == expected
    assert "XYZ900" in names  # no title to show for a rule the registry does not know


@needs_schema
def test_characters_xml_cannot_carry_are_replaced(schema: xmlschema.XMLSchema) -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    odd = Finding(
        "SOV001",
        "error",
        "aws_s3_bucket.assets",
        "bell\x07 and lone surrogate \ud800 & <tag>",
        (Evidence("region", "us\x00east"),),
        input=US,
    )
    text = render(replace(outcome, findings=(*outcome.findings, odd)))
    text.encode("utf-8")  # a lone surrogate would raise here
    root = checked(text, schema)
    failure = case(suite(root, "SOV001"), "aws_s3_bucket.assets").find("failure")
    assert failure is not None
    assert failure.get("message") == "error: bell\ufffd and lone surrogate \ufffd & <tag>"
    assert "region us\ufffdeast" in (failure.text or "")


@needs_schema
def test_marked_sensitive_values_never_appear(schema: xmlschema.XMLSchema) -> None:
    text = run_junit(plan_path("terraform_sensitive_values"))
    checked(text, schema)
    assert SECRET not in text
    assert f"sensitivity={HIDDEN}" in text


def test_no_timestamps_or_hostnames_and_the_same_bytes_twice() -> None:
    first = run_junit(hcl_path("waivers"), US)
    assert first == run_junit(hcl_path("waivers"), US)
    root = ET.fromstring(first.encode("utf-8"))
    attributes = {name for element in root.iter() for name in element.attrib}
    assert not attributes & {"timestamp", "hostname"}
    assert {e.get("time") for e in root.iter() if "time" in e.attrib} == {"0"}


def test_150k_test_cases_render_with_the_right_counts() -> None:
    # How fast is benchmarks/formats.py's to measure, not a timed test's.
    base = resource("sensitive_bucket_us_region", "aws_s3_bucket.customers")
    # Every tenth resource is sensitive: 5k resources fail SOV001 and SOV002 each.
    resources = tuple(
        replace(base, address=f"aws_s3_bucket.b{i:05d}", sensitive=i % 10 == 0)
        for i in range(50_000)
    )
    inventory = replace(inventory_of("sensitive_bucket_us_region"), resources=resources)
    outcome = judge((inventory,), load_rules(), Policy())
    text = render(outcome)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.get("tests") == str(RESOURCE_RULES * 50_000 + INPUT_RULES)
    assert root.get("failures") == str(2 * 5_000 + 1)


CORPUS_PLANS = sorted((CORPUS / "plans").glob("*.json")) if CORPUS.is_dir() else []


@needs_schema
@pytest.mark.skipif(not CORPUS_PLANS, reason=f"{CORPUS} is not present (../shared/corpus)")
def test_every_corpus_plan_gives_a_valid_report(schema: xmlschema.XMLSchema) -> None:
    for path in CORPUS_PLANS:
        result = cli(str(path), "--format", "junit")
        assert result.exit_code in (0, 1), (path, result.output)
        root = checked(result.output, schema)
        assert root.findall("testsuite"), path
