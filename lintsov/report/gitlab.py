"""The GitLab Code Quality report: a JSON array of CodeClimate issues, for
``artifacts:reports:codequality``.

GitLab shows an issue as new in a merge request when the target branch's report lacks its
fingerprint, so only findings that count are listed: waived and baselined findings are
left out (they would show as new issues on every branch), and fingerprints never depend
on line numbers.

Severity: lintsov has two levels, GitLab five (info, minor, major, critical, blocker).
An error fails the pipeline and is a sovereignty breach, so it is ``critical``; a warning
(vendor concentration, a waiver that does not waive, an unchecked module) needs a human
but breaks nothing by itself, so it is ``major``. A finding is never ``blocker``, because
lintsov cannot tell a breach that stops a release from one that does not, nor ``minor``,
because lintsov reports nothing that small.

Inputs are issues too. An input lintsov could not read is a ``blocker`` (check name
``unreadable-input``): nothing in it was checked, and the run fails until it is read. An
input that holds no resource is ``info`` (``no-resources``): not wrong in itself, but a
wrong path in a CI job looks like this. Their fingerprints are the kind and the input, so
that the issue stays one while the input's error changes.

The format has no summary, so the one count a reader must not miss, the data-holding
resources nobody classified, is an ``info`` issue per input that has any: its fingerprint
names the input, not the count, so a changed count is not a new issue. Nor has it a place
for the config file the run was judged by: an issue about nothing wrong would show as new
on every branch that adds a config. Each finding's body names it instead, after the
evidence: ``- policy: profile sovereignty, blocked: DE (config: stacks/a/.lintsov.yaml)``.

Location: the .tf file and block line when lintsov knows them; a finding about a whole
input (AUT001) points at the input's anchor, its first provider block or resource (a plan:
the plan file, line 1); one about all inputs together (``--aggregate``) at the first
input's anchor, and its body lists every input's. An unreadable input points at the file
and line of its error, else the input.
"""

from __future__ import annotations

from typing import Any

from lintsov import json_text
from lintsov.finding import Finding
from lintsov.fingerprint import about_input, distinct
from lintsov.pipeline import ALL_INPUTS
from lintsov.report import Report
from lintsov.report.text import policy
from lintsov.rules import Rule
from lintsov.unreadable import Unreadable

SEVERITY = {"error": "critical", "warning": "major"}


UNREADABLE_INPUT = "unreadable-input"
NO_RESOURCES = "no-resources"


def render(report: Report) -> str:
    return render_bytes(report).decode("utf-8")


def render_bytes(report: Report) -> bytes:
    """The report as the UTF-8 bytes of its file, which the command line writes as they
    are."""
    outcome = report.outcome
    findings = outcome.findings
    issues = [_unreadable(report, item) for item in outcome.unreadable]
    issues += [
        _issue(report, finding, key)
        for finding, key in zip(findings, distinct(findings), strict=True)
    ]
    issues += [_nothing_to_judge(report, path) for path in outcome.without_resources()]
    issues.extend(_unclassified(report))
    return json_text.encode(issues)


def _unreadable(report: Report, item: Unreadable) -> dict[str, Any]:
    path = report.relative(item.file or item.input)
    return {
        "type": "issue",
        "check_name": UNREADABLE_INPUT,
        "description": f"{item.input} could not be read: {item.message}",
        "categories": ["Bug Risk"],
        "severity": "blocker",
        "fingerprint": about_input(UNREADABLE_INPUT, item.input),
        "location": {"path": path, "lines": {"begin": item.line or 1}},
    }


def _nothing_to_judge(report: Report, path: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": NO_RESOURCES,
        "description": f"{path}: no resources to judge",
        "categories": ["Bug Risk"],
        "severity": "info",
        "fingerprint": about_input(NO_RESOURCES, path),
        "location": {"path": report.input_file(path), "lines": {"begin": 1}},
    }


UNCLASSIFIED_CHECK = "lintsov-unclassified"


def _unclassified(report: Report) -> list[dict[str, Any]]:
    issues = []
    for inventory in report.outcome.inventories:
        count = sum(1 for r in inventory.resources if r.unclassified)
        if not count:
            continue
        path = report.input_file(inventory.path)
        noun = "resource" if count == 1 else "resources"
        counted = (
            "counted as sensitive: sensitive.unclassified"
            if report.counts_unclassified(inventory.path)
            else "not counted as sensitive; sensitive.unclassified: sensitive counts them"
        )
        issues.append(
            {
                "type": "issue",
                "check_name": UNCLASSIFIED_CHECK,
                "description": f"{count} data-holding {noun} without a classification tag or "
                f"label ({counted})",
                "categories": ["Security"],
                "severity": "info",
                "fingerprint": about_input(UNCLASSIFIED_CHECK, inventory.path),
                "location": {"path": path, "lines": {"begin": 1}},
            }
        )
    return issues


def _issue(report: Report, finding: Finding, key: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": finding.rule,
        # CodeClimate descriptions are one line. The address goes in too: for a plan the
        # location is only the plan file, and the address says which resource it is.
        "description": " ".join(f"{finding.rule} {finding.address}: {finding.message}".split()),
        "content": {"body": "\n".join(_body(report, finding))},
        "categories": categories(report.rules.get(finding.rule)),
        "severity": SEVERITY[finding.severity],
        "fingerprint": key,
        "location": _location(report, finding),
    }


def _body(report: Report, finding: Finding) -> list[str]:
    """The evidence, then the config file the finding's input was judged by: the format
    has no summary to name it in."""
    lines = [f"- {e.text()}" for e in finding.evidence]
    if finding.input == ALL_INPUTS:
        lines += [f"- input at {path}:{line or 1}" for path, line in report.anchors(finding)]
    config = report.config_of(finding.input)
    if config is not None:
        lines.append(f"- policy: {policy(config)} ({report.config_label(config)})")
    return lines


def categories(rule: Rule | None) -> list[str]:
    """``Security`` for rules tagged ``security`` (the SOV rules: data under foreign law);
    ``Bug Risk`` for the rest, whose findings put the linter's verdict or the team's
    autonomy at risk rather than data."""
    return ["Security"] if rule is not None and "security" in rule.tags else ["Bug Risk"]


def _location(report: Report, finding: Finding) -> dict[str, Any]:
    path, line, end_line = report.artifact(finding)
    if not path:
        path = "."
    # GitLab needs a line; line 1 stands for "the file as a whole".
    lines = {"begin": line if line is not None and line >= 1 else 1}
    if end_line is not None and end_line >= lines["begin"]:
        lines["end"] = end_line
    return {"path": path, "lines": lines}
