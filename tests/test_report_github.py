"""The GitHub Actions report: one workflow command per finding, escaped as GitHub reads
them, then the summary line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import ROOT, cli, hcl_path, plan_path
from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.pipeline import ALL_INPUTS, Outcome
from lintsov.policy import Policy
from lintsov.report import Report, github
from lintsov.rules import load_rules
from lintsov.stack import SourceLocation

SECRET = "hunter2-SECRET-VALUE"


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def render(*findings: Finding) -> str:
    return github.render(Report(Outcome((), findings), Policy(), "error", load_rules(), ROOT))


def test_exact_lines() -> None:
    on_block = Finding(
        rule="SOV001",
        severity="error",
        address="aws_s3_bucket.customers",
        message="sensitive data stored in us-east-1 (US), under blocked jurisdiction US",
        evidence=(
            Evidence("region", "us-east-1", ("provider aws",)),
            Evidence("country", "US"),
        ),
        input=str(ROOT / "infra"),
        location=SourceLocation(str(ROOT / "infra" / "main.tf"), 3, 7),
    )
    on_plan = Finding(
        rule="AUT001",
        severity="warning",
        address="(all resources)",
        message="all 2 resources depend on AWS",
        evidence=(Evidence("vendor-share", "100%"),),
        input="plans/prod.json",
    )
    aggregate = Finding("AUT001", "warning", "(all resources)", "all on AWS", (), input=ALL_INPUTS)
    assert render(on_block, on_plan, aggregate).split("\n") == [
        "::error file=infra/main.tf,line=3,endLine=7,title=SOV001 aws_s3_bucket.customers"
        "::sensitive data stored in us-east-1 (US), under blocked jurisdiction US"
        "%0Aregion us-east-1 ← provider aws%0Acountry US",
        "::warning file=plans/prod.json,line=1,title=AUT001 (all resources)"
        "::all 2 resources depend on AWS%0Avendor-share 100%25",
        "::warning title=AUT001 (all resources)::all on AWS",
        "✗ fail: 1 error · 2 warnings · no resources to judge in 0 inputs · "
        "profile sovereignty, blocked: US · no config file",
        "",
    ]


def test_escaping() -> None:
    text = "50% done: a,b\r\nnext"
    assert github.escape_data(text) == "50%25 done: a,b%0D%0Anext"
    assert github.escape_property(text) == "50%25 done%3A a%2Cb%0D%0Anext"
    # `%` is escaped once, before the escapes it introduces.
    assert github.escape_data("%0A") == "%250A"
    finding = Finding(
        "SOV001", "error", 'aws_s3_bucket.b["a,b:c"]', "at 100%: x,y\nz", (), input="d,e:f.json"
    )
    line = render(finding).split("\n")[0]
    assert line == (
        '::error file=d%2Ce%3Af.json,line=1,title=SOV001 aws_s3_bucket.b["a%2Cb%3Ac"]'
        "::at 100%25: x,y%0Az"
    )


def test_waivers_folder() -> None:
    result = cli(hcl_path("waivers"), "--format", "github", "--no-cache")
    assert result.exit_code == 1
    lines = result.output.split("\n")
    assert lines[-1] == ""
    assert lines[-2].startswith("✗ fail: 2 errors · 3 warnings · 1 waived · 3 resources")
    document = json.loads(cli(hcl_path("waivers"), "--format", "json", "--no-cache").output)
    expected = []
    for finding in document["findings"]:
        if finding["location"]:
            location = finding["location"]
            where = (
                f"file=fixtures/hcl/waivers/main.tf,line={location['line']},"
                f"endLine={location['end_line']},"
            )
        else:
            # A whole-input finding points at the input's first provider block.
            where = "file=fixtures/hcl/waivers/main.tf,line=1,"
        texts = [finding["message"], *(e["text"] for e in finding["evidence"])]
        # One line each; AUT001's "vendor-share 100%" needs its `%` escaped.
        assert not any(char in text for text in texts for char in "\r\n")
        message = "%0A".join(text.replace("%", "%25") for text in texts)
        expected.append(
            f"::{finding['severity']} {where}title={finding['rule']} {finding['address']}"
            f"::{message}"
        )
    assert lines[:-2] == expected
    assert lines[0].startswith(
        "::error file=fixtures/hcl/waivers/main.tf,line=18,endLine=21,"
        "title=SOV002 aws_s3_bucket.expired::sensitive data held by Amazon Web Services (AWS)"
    )
    assert (
        "::warning file=fixtures/hcl/waivers/main.tf,line=1,title=AUT001 (all resources)::"
        in result.output
    )
    assert "vendor-share 100%25 ← " in result.output
    # The waived finding gets no annotation.
    assert "aws_s3_bucket.waived" not in result.output


def test_baselined_findings_get_none_and_stale_entries_a_notice(tmp_path: Path) -> None:
    baseline = str(tmp_path / "baseline.json")
    cli(plan_path("sensitive_bucket_us_region"), "--write-baseline", baseline)
    known = cli(
        plan_path("sensitive_bucket_us_region"), "--format", "github", "--baseline", baseline
    )
    assert known.exit_code == 0
    assert known.output.split("\n") == [
        "✓ pass: 0 errors · 0 warnings · 2 in the baseline · 2 resources (1 sensitive) in "
        "1 input · 1 data-holding resource unclassified · profile sovereignty, blocked: US · "
        "no config file",
        "",
    ]
    gone = cli(plan_path("sensitive_data_eu_vendors"), "--format", "github", "--baseline", baseline)
    notices = [line for line in gone.output.split("\n") if line.startswith("::notice")]
    # Stale entries come in the baseline's order (by fingerprint), with the input it recorded.
    recorded = json.loads(Path(baseline).read_text())["findings"]
    assert len(recorded) == 2  # SOV001 and SOV002: 2 resources are too few for AUT001
    assert notices == [
        f"::notice title=lintsov baseline::{f['rule']} {f['address']} ({f['input']}) is in the "
        "baseline but no longer occurs: remove it from the baseline"
        for f in recorded
    ]


def test_secret_values_never_appear() -> None:
    output = cli(plan_path("terraform_sensitive_values"), "--format", "github").output
    assert "::error" in output
    assert SECRET not in output
    assert "sensitivity=secret" not in output
