"""The Markdown report: the verdict first, a findings table with evidence that no message can
break, the jurisdiction picture with Mermaid pies, waived findings and the baseline, all
within GitHub's 65,536-character comment limit."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import CORPUS, ROOT, cli, hcl_path, outcome_of, plan_path
from lintsov import __version__
from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.pipeline import Outcome
from lintsov.policy import Policy
from lintsov.report import Report, markdown
from lintsov.rules import load_rules
from lintsov.stack import Waiver
from lintsov.waivers import Waived

US = plan_path("sensitive_bucket_us_region")
US_INPUT = "fixtures/plans/sensitive_bucket_us_region.json"
PICTURE = [
    plan_path("multi_vendor"),
    plan_path("sensitive_data_eu_vendors"),
    US,
]
SECRET = "hunter2-SECRET-VALUE"
WAIVED_REASON = "EU data boundary contract, ticket SEC-12"


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are written relative to the repository the command runs in.
    monkeypatch.chdir(ROOT)


def run_markdown(*args: str) -> str:
    result = cli(*args, "--format", "markdown", "--no-cache")
    assert result.exit_code in (0, 1), result.output
    return result.output


def render(outcome: Outcome) -> str:
    return markdown.render(Report(outcome, Policy(), "error", load_rules(), ROOT))


def cells(row: str) -> list[str]:
    """A GFM table row split as GitHub splits it: at pipes no backslash escapes."""
    assert row.startswith("|"), row
    assert row.endswith("|"), row
    found, current, index = [], "", 1
    while index < len(row) - 1:
        char = row[index]
        if char == "\\":
            current += row[index : index + 2]
            index += 2
            continue
        if char == "|":
            found.append(current.strip())
            current = ""
        else:
            current += char
        index += 1
    return [*found, current.strip()]


def assert_tables_well_formed(text: str) -> None:
    """Every row of every table has as many cells as the table's header."""
    width = 0
    for line in text.splitlines():
        if not line.startswith("|"):
            width = 0
            continue
        if width == 0:
            width = len(cells(line))
        assert len(cells(line)) == width, line


def table(text: str, header: str) -> dict[str, list[str]]:
    """The rows of the table under ``header``, by their first cell."""
    lines = text.splitlines()
    start = lines.index(header) + 2
    rows: dict[str, list[str]] = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        first, *rest = cells(line)
        rows[first] = rest
    return rows


def pies(text: str) -> dict[str, dict[str, int]]:
    found = {}
    for block in re.findall(r"```mermaid\n(.*?)\n```", text, re.S):
        head, *slices = block.splitlines()
        assert head.startswith("pie title ")
        found[head.removeprefix("pie title ")] = {
            m.group(1): int(m.group(2))
            for m in (re.fullmatch(r'    "([^"]*)" : (\d+)', s) for s in slices)
            if m
        }
        assert len(found[head.removeprefix("pie title ")]) == len(slices)
    return found


def test_verdict_line_and_policy_come_first() -> None:
    text = run_markdown(US)
    first, blank, context = text.splitlines()[:3]
    # 2 resources are too few for AUT001 (min_vendor_resources 3): no warning.
    assert first == "### ❌ lintsov: fail — 2 errors, 0 warnings"
    assert blank == ""
    assert "Profile **sovereignty**" in context
    assert "blocked jurisdictions: **US**" in context
    assert "2 resources (1 sensitive) in 1 input" in context
    passing = run_markdown(plan_path("multi_vendor"), "--block-jurisdiction", "CN")
    assert passing.splitlines()[0] == "### ✅ lintsov: pass"
    assert "blocked jurisdictions: **CN**" in passing
    assert "No findings." in passing


def test_finding_row_has_where_message_and_the_evidence_chain() -> None:
    text = run_markdown(US)
    document = json.loads(cli(US, "--format", "json").output)
    (sov001,) = [f for f in document["findings"] if f["rule"] == "SOV001"]
    (row,) = [line for line in text.splitlines() if line.startswith("| ❌ error | [SOV001]")]
    assert cells(row) == [
        "❌ error",
        "[SOV001](https://github.com/lintsov/lintsov/blob/main/docs/rules.md#sov001)",
        "<code>aws_s3_bucket.customers</code>",
        US_INPUT,
        "sensitive data stored in us-east-1 (US), under blocked jurisdiction US",
        "<br>".join(e["text"] for e in sov001["evidence"]),
    ]
    assert "region us-east-1 ← provider aws ← constant in provider aws region" in row
    # Findings come in the pipeline's order: errors before warnings.
    both = run_markdown(US, hcl_path("waivers"))
    assert both.index("| ❌ error | [SOV002]") < both.index("| ⚠️ warning | [AUT001]")


def test_where_is_file_and_line_when_the_block_is_known() -> None:
    text = run_markdown(hcl_path("waivers"))
    rows = [cells(line) for line in text.splitlines() if line.startswith("| ⚠️ warning | [LSV001]")]
    assert [r[2:4] for r in rows] == [
        ["<code>aws_s3_bucket.expired</code>", "fixtures/hcl/waivers/main.tf:17"],
        ["<code>aws_s3_bucket.no_reason</code>", "fixtures/hcl/waivers/main.tf:12"],
    ]


def expected_picture(paths: list[str]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Resources per vendor, per jurisdiction, and sensitive ones per jurisdiction, worked
    out from `lintsov inventory --format json`."""
    document = json.loads(cli("inventory", *paths, "--format", "json").output)
    vendors: Counter[str] = Counter()
    places: Counter[str] = Counter()
    sensitive: Counter[str] = Counter()
    for item in (r for i in document["inputs"] for r in i["resources"]):
        utility = item["provider_kind"] == "utility"
        vendors["(utility)" if utility else item["vendor_name"] or "unknown"] += 1
        nowhere = "none (utility)" if utility else "unresolved"
        for place in item["jurisdictions"] or [nowhere]:
            places[place] += 1
            sensitive[place] += item["sensitive"]
    return vendors, places, +sensitive


def test_resources_per_vendor_and_jurisdiction() -> None:
    text = run_markdown(*PICTURE)
    vendors = table(text, "| Vendor | Resources | Sensitive |")
    places = table(text, "| Jurisdiction | Resources | Sensitive |")
    # Read off the fixtures: aws (IE+US reach, US, US), hetzner DE twice, scaleway FR,
    # random_id (a utility: no vendor, held nowhere, and not a failed lookup).
    assert vendors == {
        "Amazon Web Services (AWS)": ["3", "1"],
        "Hetzner Cloud": ["2", "1"],
        "Scaleway": ["1", "1"],
        "(utility)": ["1", "0"],
    }
    assert list(places.items()) == [
        ("US", ["3", "1"]),
        ("DE", ["2", "1"]),
        ("FR", ["1", "1"]),
        ("IE", ["1", "0"]),
        ("none (utility)", ["1", "0"]),
    ]
    by_vendor, by_place, sensitive = expected_picture(PICTURE)
    assert {name: int(counts[0]) for name, counts in vendors.items()} == by_vendor
    assert {name: int(counts[0]) for name, counts in places.items()} == by_place
    # The pies partition the resources: one slice per set of jurisdictions that reach a
    # resource together, so that the slices add up to the 7 resources (the table above,
    # which counts a resource under each jurisdiction, adds up to 8).
    assert pies(text) == {
        "7 resources by the jurisdictions that reach them": {
            "US": 2,
            "DE": 2,
            "FR": 1,
            "IE + US": 1,
            "none (utility)": 1,
        },
        "3 sensitive resources by the jurisdictions that reach them": {
            "DE": 1,
            "FR": 1,
            "US": 1,
        },
    }
    assert sum(by_place.values()) == 8
    assert sum(int(counts[0]) for counts in vendors.values()) == 7
    assert sum(sensitive.values()) == 3


def test_mermaid_pies() -> None:
    text = run_markdown(US)
    assert (
        '```mermaid\npie title 2 resources by the jurisdictions that reach them\n    "US" : 2\n```'
        in text
    )
    assert (
        "```mermaid\npie title 1 sensitive resource by the jurisdictions that reach them\n"
        '    "US" : 1\n```'
    ) in text
    # No sensitive resources, no second pie.
    assert list(pies(run_markdown(plan_path("multi_vendor")))) == [
        "3 resources by the jurisdictions that reach them"
    ]


def test_pie_slices_add_up_to_the_resources() -> None:
    # The case: resources reached by several jurisdictions were counted once per
    # jurisdiction, so 8 resources showed as 21. Each pie's slices now sum to its title.
    for paths in (PICTURE, [hcl_path("waivers"), US]):
        for title, slices in pies(run_markdown(*paths)).items():
            assert int(title.split()[0]) == sum(slices.values()), title


def test_counts_per_rule() -> None:
    text = run_markdown(hcl_path("waivers"), US)
    rows = table(text, "| Rule | Title | Errors | Warnings | Waived | Baselined |")
    assert {rule.split("]")[0].lstrip("["): counts[1:] for rule, counts in rows.items()} == {
        # The plan's two resources are below AUT001's minimum: the folder's only.
        "AUT001": ["0", "1", "0", "0"],
        "LSV001": ["0", "2", "0", "0"],
        "SOV001": ["1", "0", "0", "0"],
        "SOV002": ["3", "0", "1", "0"],
    }


def test_no_message_can_break_the_table() -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    hostile = Finding(
        "SOV001",
        "error",
        'aws_s3_bucket.b["a|b"]',
        "one | two\nthree <script>alert(1)</script> & C:\\| **bold** [link](https://x.example)",
        (Evidence("region", "us|east <b>"), Evidence("note", "`code`")),
        input=US,
    )
    text = render(replace(outcome, findings=(hostile, *outcome.findings)))
    (row,) = [line for line in text.splitlines() if "alert(1)" in line]
    assert len(cells(row)) == 6
    _, _, address, _, message, evidence = cells(row)
    assert address == '<code>aws_s3_bucket.b\\["a\\|b"\\]</code>'
    assert message == (
        "one \\| two<br>three &lt;script&gt;alert(1)&lt;/script&gt; &amp; C:\\\\\\| "
        "\\*\\*bold\\*\\* \\[link\\](https://x.example)"
    )
    assert evidence == "region us\\|east &lt;b&gt;<br>note \\`code\\`"
    assert "<script>" not in text
    assert "<b>" not in text
    assert_tables_well_formed(text)


def test_cell_escapes_backslash_before_the_rest() -> None:
    # "\|" in the text must not become an escaped backslash followed by a bare pipe.
    assert markdown.cell("a\\|b") == "a\\\\\\|b"
    assert markdown.cell("line\r\nnext\rlast") == "line<br>next<br>last"


def finding(number: int, padding: int = 0) -> Finding:
    return Finding(
        "SOV001",
        "error",
        f"aws_s3_bucket.b{number:05d}",
        f"sensitive data stored in us-east-1 (US), number {number}{'.' * padding}",
        tuple(Evidence("step", f"{number}-{i}", ("x" * 40,)) for i in range(3)),
        input=US,
    )


def test_thousands_of_findings_stay_within_the_comment_limit() -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    total = 5_000
    text = render(replace(outcome, findings=tuple(finding(n) for n in range(total))))
    assert len(text) <= markdown.LIMIT
    shown = [line for line in text.splitlines() if line.startswith("| ❌ error | [SOV001]")]
    notes = re.findall(r"… and (\d+) more findings not shown \(the comment limit is 65,536 ", text)
    assert notes == [str(total - len(shown))]
    assert "see the full report in the SARIF/JSON output" in text
    assert 0 < len(shown) < total
    # The rows shown are the first ones, and the room was used: one more would not fit.
    assert cells(shown[-1])[2] == f"<code>aws_s3_bucket.b{len(shown) - 1:05d}</code>"
    assert len(text) + len(shown[-1]) + 1 > markdown.LIMIT - 200
    # The rest of the document is still there.
    assert '    "US" : 2' in text
    assert text.endswith(f"<sub>lintsov {__version__}</sub>\n")


@pytest.mark.parametrize("padding", range(0, 600, 41))
def test_the_limit_holds_whatever_the_row_length(padding: int) -> None:
    # Rows of many lengths leave every possible remainder at the limit.
    outcome = outcome_of("sensitive_bucket_us_region")
    findings = tuple(finding(n, padding + n % 3) for n in range(3_000))
    text = render(replace(outcome, findings=findings))
    assert len(text) <= markdown.LIMIT
    shown = sum(1 for line in text.splitlines() if line.startswith("| ❌ error | [SOV001]"))
    assert f"… and {3_000 - shown} more findings not shown" in text


def test_rows_fill_the_room_up_to_the_last_character() -> None:
    outcome = outcome_of("sensitive_bucket_us_region")

    def shown(text: str) -> int:
        return sum(1 for line in text.splitlines() if line.startswith("| ❌ error | [SOV001]"))

    def with_first_padded(padding: int) -> str:
        findings = (finding(0, padding), *(finding(n) for n in range(1, 3_000)))
        return render(replace(outcome, findings=findings))

    first = with_first_padded(0)
    slack = markdown.LIMIT - len(first)
    # Growing a row by the slack still fits, exactly; one character more drops a row.
    exact = with_first_padded(slack)
    assert (len(exact), shown(exact)) == (markdown.LIMIT, shown(first))
    over = with_first_padded(slack + 1)
    assert len(over) <= markdown.LIMIT
    assert shown(over) == shown(first) - 1
    assert f"… and {3_000 - shown(first) + 1} more findings not shown" in over


def test_a_report_that_fits_is_not_cut() -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    text = render(replace(outcome, findings=tuple(finding(n) for n in range(20))))
    assert len([line for line in text.splitlines() if line.startswith("| ❌ error")]) == 20
    assert "not shown" not in text


def test_waived_findings_are_summarised_collapsed_with_the_reason() -> None:
    text = run_markdown(hcl_path("waivers"))
    assert "1 waived" in text.splitlines()[2]
    start = text.index("<details>\n<summary>1 waived finding</summary>\n\n")
    section = text[start : text.index("</details>", start)]
    rows = table(section, "| Rule | Address | Where | Reason | Until | Waiver |")
    assert rows == {
        "SOV002": [
            "<code>aws_s3_bucket.waived</code>",
            "fixtures/hcl/waivers/main.tf:6",
            WAIVED_REASON,
            "2099-12-31",
            "fixtures/hcl/waivers/main.tf:5",
        ]
    }
    # The waived finding is not among the findings.
    assert "| ❌ error | [SOV002](" in text
    assert "<code>aws_s3_bucket.waived</code>" not in text[:start]


def test_a_long_waived_list_is_capped() -> None:
    outcome = outcome_of("sensitive_bucket_us_region")
    waiver = Waiver(("SOV001",), "accepted", "", "lintsov.yaml", 0, 0, 0, "", address="*")
    waived = tuple(Waived(finding(n), waiver) for n in range(100))
    text = render(replace(outcome, waived=waived))
    rows = [line for line in text.splitlines() if line.startswith("| SOV001 |")]
    assert len(rows) == markdown.LISTED
    assert f"… and {100 - markdown.LISTED} more waived findings not shown" in text
    # A config-file waiver has no line.
    assert cells(rows[0])[-1] == "lintsov.yaml"


def test_baselined_count_and_entries_that_no_longer_occur(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert cli(US, "--write-baseline", str(baseline)).exit_code == 0
    known = run_markdown(US, "--baseline", str(baseline))
    assert known.splitlines()[0] == "### ✅ lintsov: pass"
    # SOV001 and SOV002: 2 resources are too few for AUT001.
    assert "2 findings recorded in the baseline did not fail this run." in known
    gone = run_markdown(plan_path("sensitive_data_eu_vendors"), "--baseline", str(baseline))
    assert "<summary>2 baseline entries no longer occur: remove them from the baseline" in gone
    rows = [cells(line) for line in gone.splitlines() if line.startswith("| SOV00")]
    assert rows == [
        ["SOV001", "<code>aws_s3_bucket.customers</code>", US_INPUT],
        ["SOV002", "<code>aws_s3_bucket.customers</code>", US_INPUT],
    ]


def test_marked_sensitive_values_never_appear() -> None:
    text = run_markdown(plan_path("terraform_sensitive_values"))
    assert "| ❌ error | [SOV001]" in text
    assert SECRET not in text


def test_output_option_writes_the_same_document(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = cli(US, "-o", f"markdown={summary}", "--no-cache")
    assert result.exit_code == 1
    assert summary.read_text(encoding="utf-8") == run_markdown(US)


def test_same_document_twice() -> None:
    assert run_markdown(*PICTURE, hcl_path("waivers")) == run_markdown(
        *PICTURE, hcl_path("waivers")
    )


CORPUS_PLANS = sorted((CORPUS / "plans").glob("*.json")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_PLANS, reason=f"{CORPUS} is not present (../shared/corpus)")
def test_every_corpus_plan_gives_a_report() -> None:
    for path in CORPUS_PLANS:
        text = run_markdown(str(path))
        assert text.startswith("### "), path
        assert len(text) <= markdown.LIMIT
        assert_tables_well_formed(text)
