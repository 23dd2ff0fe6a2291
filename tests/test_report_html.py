"""The HTML report: one self-contained page that loads nothing, shows the verdict, where
the data sits, the flows, vendor concentration, the findings by rule and what was waived
or baselined; rendered in a real browser (headless Chromium) when one is installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT, cli, hcl_path, outcome_of, plan_path
from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.pipeline import Outcome
from lintsov.policy import Policy
from lintsov.report import Report, html
from lintsov.rules import load_rules

US = plan_path("sensitive_bucket_us_region")
BROWSER_TIMEOUT = 180


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are written relative to the repository the command runs in.
    monkeypatch.chdir(ROOT)


def run_html(*args: str) -> str:
    result = cli(*args, "--format", "html", "--no-cache")
    assert result.exit_code in (0, 1), result.output
    return result.output


def page_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="lintsov-data">(.*?)</script>', page)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def texts(data: dict[str, Any], row: list[Any]) -> list[Any]:
    """A data row with its string numbers replaced by the strings."""
    strings = data["strings"]
    return [[strings[i] for i in v] if isinstance(v, list) else strings[v] for v in row]


def render(outcome: Outcome) -> str:
    return html.render(Report(outcome, Policy(), "error", load_rules(), ROOT))


# --- the page itself ----------------------------------------------------------------------


def test_page_loads_nothing_from_the_network() -> None:
    page = run_html(hcl_path("waivers"), US, hcl_path("flows_aws"))
    # No element that fetches: scripts, styles, images, frames, fonts, objects.
    assert not re.search(r"<(link|img|iframe|object|embed|audio|video|source)\b", page, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"\b(src|srcset|poster|data|action)\s*=\s*[\"']?\s*https?:", page, re.I)
    assert not re.search(r"url\s*\(|@import|@font-face", page, re.I)
    # Every http(s) address outside the data is a link to follow or the SVG namespace.
    markup = page.split('<script type="application/json"')[0]
    for address in re.finditer(r"https?://", markup):
        before = markup[max(0, address.start() - 10) : address.start()]
        assert before.endswith(('href="', 'xmlns="')), before
    # And the browser is told to fetch nothing, should anything slip in.
    assert "default-src 'none'" in page
    assert page.startswith("<!DOCTYPE html>")


def test_verdict_and_policy_come_first() -> None:
    page = run_html(hcl_path("waivers"), US)
    header = page[page.index('<header class="verdict fail"') : page.index("</header>")]
    assert "<h1>lintsov: fail</h1>" in header
    # The plan's two resources are below AUT001's minimum; the waivers folder has its AUT001.
    assert "4 errors · 3 warnings · 1 waived" in header
    assert "no config file: profile sovereignty, blocked: US" in header
    assert "<title>lintsov: pass</title>" in run_html(plan_path("sensitive_data_eu_vendors"))


def test_where_the_data_sits_by_country_and_jurisdiction_sensitive_apart() -> None:
    page = run_html(plan_path("multi_vendor"), plan_path("sensitive_data_eu_vendors"), US)
    where = page[page.index('<section id="where">') : page.index('<section id="flows">')]
    # Each bar names its count and its sensitive part, in the bar's title for a reader:
    # by country (the first chart), by jurisdiction (the second).
    charts = where.split("<figure>")[1:]
    assert len(charts) == 2
    by_country = dict(re.findall(r"<title>([^<:]+): (\d+ \(\d+ sensitive\))</title>", charts[0]))
    by_reach = dict(re.findall(r"<title>([^<:]+): (\d+ \(\d+ sensitive\))</title>", charts[1]))
    expected = expected_where(plan_path("multi_vendor"), plan_path("sensitive_data_eu_vendors"), US)
    assert by_country == expected[0]
    assert by_reach == expected[1]
    assert by_reach["US"] == "3 (1 sensitive)"
    # The blocked jurisdiction is marked.
    assert ">US (blocked)</text>" in charts[1]
    assert 'class="bar-sensitive"' in charts[1]


def expected_where(*paths: str) -> tuple[dict[str, str], dict[str, str]]:
    """Data-holding resources per country and per jurisdiction, with the sensitive ones,
    worked out from `lintsov inventory --format json`."""
    document = json.loads(cli("inventory", *paths, "--format", "json").output)
    countries: dict[str, list[int]] = {}
    reach: dict[str, list[int]] = {}
    for item in (r for i in document["inputs"] for r in i["resources"]):
        if not item["data_holding"]:
            continue
        for key in item["countries"] or ["unknown"]:
            countries.setdefault(key, [0, 0])
            countries[key][0] += 1
            countries[key][1] += item["sensitive"]
        for key in item["jurisdictions"] or ["unknown"]:
            reach.setdefault(key, [0, 0])
            reach[key][0] += 1
            reach[key][1] += item["sensitive"]
    return (
        {k: f"{n} ({s} sensitive)" for k, (n, s) in countries.items()},
        {k: f"{n} ({s} sensitive)" for k, (n, s) in reach.items()},
    )


def test_data_flows_are_listed_with_where_they_land() -> None:
    page = run_html(hcl_path("flows_aws"))
    data = page_data(page)
    flows = [texts(data, row) for row in data["flows"]]
    kinds = {row[0] for row in flows}
    assert {"replication", "backup copy", "edge cache"} <= kinds
    (edge,) = [row for row in flows if row[0] == "edge cache"]
    assert edge[1] == "aws_s3_bucket.invoices"
    assert edge[2] == "aws_cloudfront_distribution.invoices"
    assert "law: US" in edge[3]
    assert edge[4].startswith("fixtures/hcl/flows_aws/")
    assert "Data copied elsewhere: backup copy 1, edge cache 1," in page


def test_vendor_concentration() -> None:
    page = run_html(plan_path("multi_vendor"))
    vendors = page[page.index('<section id="vendors">') : page.index('<section id="findings">')]
    # random_id is a utility: no vendor, not counted. A tie goes to the first by name.
    assert "Amazon Web Services (AWS) holds 1 of 2 hosting-vendor resources (<b>50%</b>)" in (
        vendors
    )
    bars = re.findall(r"<title>([^<:]+): (\d+) \(", vendors)
    assert sorted(bars) == [("Amazon Web Services (AWS)", "1"), ("Hetzner Cloud", "1")]


def test_findings_grouped_by_rule_with_evidence() -> None:
    # AUT001's minimum lowered, so that a whole-input finding is grouped too.
    outcome = outcome_of("sensitive_bucket_us_region", Policy(min_vendor_resources=1))
    data = page_data(render(outcome))
    groups = {g["rule"]: g for g in data["groups"]}
    assert list(groups) == ["SOV001", "SOV002", "AUT001"]
    assert (groups["SOV001"]["errors"], groups["AUT001"]["warnings"]) == (1, 1)
    (row,) = groups["SOV001"]["rows"]
    severity = row[0]
    address, where, message, evidence = texts(data, row[1:])
    finding = next(f for f in outcome.findings if f.rule == "SOV001")
    assert (severity, address, message) == (0, "aws_s3_bucket.customers", finding.message)
    assert where == "fixtures/plans/sensitive_bucket_us_region.json"
    assert evidence == [e.text() for e in finding.evidence]
    assert groups["SOV001"]["help"].endswith("#sov001")


def test_waived_findings_with_reason_and_expiry_and_baselined_ones(tmp_path: Path) -> None:
    data = page_data(run_html(hcl_path("waivers")))
    (waived,) = [texts(data, row) for row in data["waived"]]
    assert waived[:6] == [
        "SOV002",
        "aws_s3_bucket.waived",
        "fixtures/hcl/waivers/main.tf:6",
        "EU data boundary contract, ticket SEC-12",
        "2099-12-31",
        "fixtures/hcl/waivers/main.tf:5",
    ]
    assert data["baselined"] == []
    baseline = tmp_path / "baseline.json"
    assert cli(US, "--write-baseline", str(baseline)).exit_code == 0
    data = page_data(run_html(US, "--baseline", str(baseline)))
    assert sorted(texts(data, row)[0] for row in data["baselined"]) == [
        "SOV001",
        "SOV002",
    ]
    assert data["groups"] == []


def test_no_text_from_the_input_becomes_markup() -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    hostile = Finding(
        "SOV001",
        "error",
        'aws_s3_bucket.b["</script><img src=x onerror=alert(1)>"]',
        "</script><script>alert(1)</script> & <b>",
        (Evidence("region", "<!-- us -->"),),
        input=US,
    )
    page = render(replace(outcome, findings=(hostile, *outcome.findings)))
    assert "<img" not in page
    assert page.count("</script>") == 2  # the data and the script, nothing else
    assert "alert(1)" in page  # kept as text, escaped inside the JSON
    data = page_data(page)
    assert hostile.address in data["strings"]
    assert hostile.message in data["strings"]


def test_output_is_deterministic() -> None:
    args = (hcl_path("waivers"), US, hcl_path("flows_aws"))
    assert run_html(*args) == run_html(*args)


def test_repeated_texts_are_stored_once() -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    evidence = (Evidence("region", "us-east-1", ("provider aws",)),)
    findings = tuple(
        Finding("SOV001", "error", f"aws_s3_bucket.b{n}", "stored in US", evidence, input=US)
        for n in range(1_000)
    )
    data = page_data(render(replace(outcome, findings=findings)))
    strings = data["strings"]
    assert strings.count("stored in US") == 1
    assert strings.count(evidence[0].text()) == 1
    assert len(data["groups"][0]["rows"]) == 1_000


# --- in a real browser --------------------------------------------------------------------


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium installed (.ci/run installs Debian's chromium when it can)")


def browse(page: Path, profile: Path, *args: str, fragment: str = "") -> str:
    """Run headless Chromium on ``page``; skip when the browser cannot start here."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri() + fragment,
    ]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=BROWSER_TIMEOUT,
            check=False,
            env={**os.environ, "HOME": str(profile)},
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"Chromium did not finish within {BROWSER_TIMEOUT} s on this machine")
    if done.returncode != 0:
        pytest.skip(f"Chromium could not run here: {done.stderr.strip()[-300:]}")
    return done.stdout


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(run_html(hcl_path("waivers"), US, hcl_path("flows_aws")), encoding="utf-8")
    return path


def test_renders_in_chromium_with_the_findings(page: Path, tmp_path: Path) -> None:
    dom = browse(page, tmp_path / "profile", "--dump-dom")
    assert 'data-rendered="true"' in dom
    # The findings of the rules with errors are drawn by the script as table rows, with
    # their evidence; in the file they are only in the JSON data.
    rows = re.findall(r"<tr><td><span class=\"sev-0\">error</span></td><td><code>([^<]+)", dom)
    assert {"aws_s3_bucket.customers", "aws_s3_bucket.expired", "aws_s3_bucket.no_reason"} <= set(
        rows
    )
    assert "<li>country US ← region us-east-1 (US East (N. Virginia))" in dom
    # The waived finding with its reason and expiry, and the flows.
    assert "<td>EU data boundary contract, ticket SEC-12</td><td>2099-12-31</td>" in dom
    assert "<code>aws_cloudfront_distribution.invoices</code>" in dom
    screenshot = tmp_path / "report.png"
    browse(
        page,
        tmp_path / "profile-shot",
        "--hide-scrollbars",
        "--window-size=1200,2000",
        f"--screenshot={screenshot}",
    )
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 10_000


def test_search_from_the_address_filters_the_findings(page: Path, tmp_path: Path) -> None:
    dom = browse(page, tmp_path / "profile", "--dump-dom", fragment="#search=expired")
    assert '<span id="matches" class="muted">2 findings match</span>' in dom
    rows = re.findall(r"<tr><td><span class=\"sev-\d\">\w+</span></td><td><code>([^<]+)", dom)
    assert sorted(rows) == ["aws_s3_bucket.expired", "aws_s3_bucket.expired"]
    # Rules without a match are hidden.
    assert re.search(r'<details class="rule" data-rule="SOV001"[^>]* hidden=""', dom)


def test_many_findings_are_paged_not_drawn_at_once(tmp_path: Path) -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    findings = tuple(
        Finding(
            "SOV001",
            "error",
            f"aws_s3_bucket.b{n:05d}",
            "sensitive data stored in us-east-1 (US), under blocked jurisdiction US",
            (Evidence("sensitive", "", (f"tag of aws_s3_bucket.b{n:05d}",)),),
            input=US,
        )
        for n in range(20_000)
    )
    path = tmp_path / "many.html"
    path.write_text(render(replace(outcome, findings=findings)), encoding="utf-8")
    dom = browse(path, tmp_path / "profile", "--dump-dom")
    assert 'data-rendered="true"' in dom
    drawn = re.findall(r"<td><code>(aws_s3_bucket\.b\d{5})</code>", dom)
    assert drawn == [f"aws_s3_bucket.b{n:05d}" for n in range(50)]
    assert "Show 50 more of 19950" in dom


def test_inputs_not_read_are_named_and_the_verdict_is_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = cli(US, str(broken), "--format", "html", "--no-cache")
    assert result.exit_code == 2
    page = result.output
    assert '<header class="verdict error"' in page
    assert "1 input could not be read" in page
    unreadable = page[page.index('<section id="unreadable">') : page.index('<section id="where">')]
    assert "broken.json" in unreadable
    # What was read is still shown.
    assert "aws_s3_bucket.customers" in page_data(page)["strings"]
