"""The JSON report: one document, sorted, no timestamps. Its shape is
``lintsov/schemas/report.schema.json``."""

from __future__ import annotations

from typing import Any

from lintsov import __version__, json_text
from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.fingerprint import distinct
from lintsov.report import Report

SCHEMA_VERSION = 1


class _EvidenceJson(dict[Evidence, dict[str, object]]):
    """Evidence as JSON, each distinct piece rendered once in a report: findings share
    most of theirs (a region's country, a vendor, an operator's reach). The report of a
    50k-resource plan quotes 22,000 distinct pieces 100,000 times, more than the bounded
    cache this replaced could hold. Each dict is shared by the findings quoting it, so it
    is never changed."""

    def __missing__(self, evidence: Evidence) -> dict[str, object]:
        rendered = self[evidence] = dict(evidence.to_json(), text=evidence.text())
        return rendered


def finding_json(finding: Finding, fingerprint: str, evidence: _EvidenceJson) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "address": finding.address,
        "message": finding.message,
        "input": finding.input,
        "vendor": finding.vendor,
        "region": finding.region,
        "country": finding.country,
        "countries": list(finding.countries),
        "jurisdictions": list(finding.jurisdictions),
        "location": (
            {
                "file": finding.location.file,
                "line": finding.location.line,
                "end_line": finding.location.end_line,
            }
            if finding.location
            else None
        ),
        "evidence": [evidence[e] for e in finding.evidence],
        "fingerprint": fingerprint,
    }


def render(report: Report) -> str:
    return render_bytes(report).decode("utf-8")


def render_bytes(report: Report) -> bytes:
    """The report as the UTF-8 bytes of its file, which the command line writes as they
    are."""
    outcome, fail_on = report.outcome, report.fail_on
    evidence = _EvidenceJson()
    counts = outcome.counts()
    resources = [r for inv in outcome.inventories for r in inv.resources]
    by_rule: dict[str, int] = {}
    for finding in outcome.findings:
        by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lintsov", "version": __version__},
        "policy": {**_policy(report), "fail_on": fail_on},
        "inputs": [
            {
                "path": inv.path,
                "kind": inv.kind,
                "tool": inv.tool,
                "resources": len(inv.resources),
                "notes": list(inv.notes),
                "config": _config(report, inv.path),
            }
            for inv in outcome.inventories
        ],
        "unreadable": [
            {
                "input": item.input,
                "error": item.message,
                "file": item.file,
                "line": item.line,
                "column": item.column,
            }
            for item in outcome.unreadable
        ],
        "findings": _findings(outcome.findings, evidence),
        "waived": [
            {
                **finding_json(w.finding, key, evidence),
                "waiver": {
                    "rules": list(w.waiver.rules),
                    "reason": w.waiver.reason,
                    "until": w.waiver.until or None,
                    "file": w.waiver.file,
                    "line": w.waiver.line,
                },
            }
            for w, key in zip(
                outcome.waived, distinct(w.finding for w in outcome.waived), strict=True
            )
        ],
        "baseline": {
            "known": _findings(outcome.baselined, evidence),
            "no_longer_occur": [
                {
                    "fingerprint": e.fingerprint,
                    "rule": e.rule,
                    "input": e.input,
                    "address": e.address,
                }
                for e in outcome.stale
            ],
        },
        "summary": {
            "verdict": report.verdict,
            "errors": counts["errors"],
            "warnings": counts["warnings"],
            "waived": len(outcome.waived),
            "baselined": len(outcome.baselined),
            "findings_by_rule": dict(sorted(by_rule.items())),
            "inputs": len(outcome.inventories),
            "unreadable_inputs": len(outcome.unreadable),
            "resources": len(resources),
            "nothing_to_judge": not resources,
            "inputs_without_resources": list(outcome.without_resources()),
            "sensitive_resources": sum(1 for r in resources if r.sensitive),
            # Utility resources (random_*, time_*, null_resource) are nowhere by nature:
            # counted apart, so that "unresolved" counts only lookups that failed.
            "unresolved_resources": sum(
                1 for r in resources if r.missing and r.provider_kind != "utility"
            ),
            "utility_resources": sum(1 for r in resources if r.provider_kind == "utility"),
            "unclassified_resources": report.unclassified,
        },
    }
    return json_text.encode(document)


def _policy(report: Report) -> dict[str, Any]:
    """The profile and blocked jurisdictions (null where the config files of the run
    disagree), and each config file with its policy and inputs."""
    configs = report.configs
    return {
        "profile": report.profile,
        "blocked_jurisdictions": report.blocked,
        "configs": [
            {
                "file": report.config_file(c),
                "inputs": list(c.inputs),
                "profile": c.policy.profile,
                "blocked_jurisdictions": sorted(c.policy.blocked),
                "unclassified": c.policy.unclassified,
            }
            for c in configs
        ],
    }


def _config(report: Report, input_path: str) -> str | None:
    config = report.config_of(input_path)
    return report.config_file(config) if config is not None else None


def _findings(findings: tuple[Finding, ...], evidence: _EvidenceJson) -> list[dict[str, Any]]:
    keys = distinct(findings)
    return [finding_json(f, key, evidence) for f, key in zip(findings, keys, strict=True)]
