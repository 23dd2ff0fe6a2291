"""The SARIF 2.1.0 report, for GitHub code scanning and other SARIF viewers.

One run. The driver lists every rule that ran, with its manual as help. Every finding is a
result, waived ones too (with a suppression that says who waived it and why), so that a
viewer shows them as dismissed rather than losing them. With a baseline, results say
whether they are new or unchanged. An input lintsov could not read makes the invocation
unsuccessful, with an error notification that names it and its error (at the file and line
when the error has them); an input that holds no resource gets a note. Paths are relative
to the repository root under the ``%SRCROOT%`` base, which is left undefined so that the
file is byte-identical on every machine; no timestamps.

Every result has a file and a line, which GitHub and GitLab require: a finding about a
whole input points at the input's anchor (its first provider block, or first resource; a
plan: the plan file), one about all inputs together at every input's anchor. Each result
carries ``partialFingerprints.primaryLocationLineHash`` from lintsov's fingerprint, so that
GitHub follows an alert across moved lines and reformatted files, and the run an
``automationDetails.id`` naming its input set, so that several stacks uploaded on one
commit keep their own analyses. Results come errors first; past GitHub's 25,000 results per
run the rest are left out, with a notification that says how many.

The run's properties name the config file each input was judged by (``configs``: each with
its inputs, profile, blocked jurisdictions and rule settings); the invocation's rule
configuration overrides are those every config file makes, since SARIF's hold for the run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from lintsov import __version__, json_text
from lintsov.finding import Finding
from lintsov.fingerprint import distinct
from lintsov.inventory import Inventory
from lintsov.pipeline import ALL_INPUTS
from lintsov.policy import Policy
from lintsov.report import Report, code_scanning
from lintsov.rules import Rule
from lintsov.stack import Waiver
from lintsov.unreadable import Unreadable

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/lintsov/lintsov"
SRCROOT = "%SRCROOT%"
# The key names the fingerprint scheme, so that a new scheme can sit beside the old one.
FINGERPRINT_KEY = "lintsov/v1"
# GitHub follows an alert across commits by this key, and computes it from the text of the
# flagged line when a result lacks it: then a reformatted file or a moved block opens a new
# alert. lintsov's fingerprint never depends on lines, so it stands in for the line hash.
PRIMARY_LOCATION_LINE_HASH = "primaryLocationLineHash"
# Notification ids: an input lintsov could not read, an input with nothing to judge.
UNREADABLE_INPUT = "lintsov/unreadable-input"
NO_RESOURCES = "lintsov/no-resources"
RESULTS_LEFT_OUT = "lintsov/results-left-out"
RESULTS_ACCEPTED = code_scanning.RESULTS_ACCEPTED
# An automation id longer than this names its inputs by a hash of them instead.
AUTOMATION_ID_LIMIT = 200


def render(report: Report) -> str:
    return render_bytes(report).decode("utf-8")


def render_bytes(report: Report) -> bytes:
    """The report as the UTF-8 bytes of its file, which the command line writes as they
    are."""
    rules = sorted(report.rules.values(), key=lambda rule: rule.id)
    index = {rule.id: position for position, rule in enumerate(rules)}
    results = _results(report, index)
    kept = results[: code_scanning.RESULTS_ACCEPTED]
    run: dict[str, Any] = {
        "tool": {"driver": _driver(rules)},
        "invocations": [_invocation(report, index, len(results) - len(kept))],
        "automationDetails": {"id": automation_id(report)},
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the repository lintsov ran in."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": kept,
        "properties": {
            **_policy(report),
            "failOn": report.fail_on,
            "verdict": report.verdict,
            "unclassifiedResources": report.unclassified,
        },
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_text.encode(document)


# --- the tool ---------------------------------------------------------------------------


def _driver(rules: list[Rule]) -> dict[str, Any]:
    return {
        "name": "lintsov",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(rule) for rule in rules],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": camel_case(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.summary},
        "help": {"text": rule.doc or rule.title, "markdown": markdown(rule.doc or rule.title)},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.severity}
        | ({} if rule.default_enabled else {"enabled": False}),
        "properties": {
            "tags": list(rule.tags),
            # GitHub ranks alerts by this (a CVSS-like score as a string), not by level.
            "security-severity": rule.security_severity,
            # lintsov reports only what its evidence proves, so GitHub may show every alert.
            "precision": "high",
        },
    }


def camel_case(title: str) -> str:
    """``Sensitive data held by a vendor's parent`` → ``SensitiveDataHeldByAVendorsParent``."""
    words = re.findall(r"[A-Za-z0-9]+", title.replace("'", "").replace("’", ""))
    return "".join(word[:1].upper() + word[1:] for word in words)


def markdown(doc: str) -> str:
    """A rule's manual as Markdown.

    Manuals are plain text: a title paragraph, then sections whose heading is an unindented
    line and whose body is indented under it. Headings become Markdown headings, an
    ``Example`` body becomes a code block (it is usually HCL), other bodies are dedented.
    Anything else is kept as a paragraph, so third-party manuals of any shape survive.
    """
    out: list[str] = []
    for paragraph in doc.strip().split("\n\n"):
        lines = paragraph.split("\n")
        body = lines[1:]
        is_section = (
            bool(out)
            and bool(body)
            and not lines[0].startswith((" ", "\t"))
            and all(line.startswith((" ", "\t")) or not line for line in body)
        )
        if not is_section:
            out.append("\n".join(_markdown_line(line.strip()) for line in lines))
            continue
        heading = lines[0].strip()
        text = _dedent(body)
        if heading.lower() in ("example", "examples"):
            out.append(f"#### {heading}\n\n```\n{chr(10).join(text)}\n```")
        else:
            out.append(f"#### {heading}\n\n" + "\n".join(_markdown_line(line) for line in text))
    return "\n\n".join(out) + "\n"


def _dedent(lines: list[str]) -> list[str]:
    width = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return [line[width:].rstrip() for line in lines]


def _markdown_line(line: str) -> str:
    # A waiver comment in a manual (`# lintsov:ignore ...`) must not become a heading.
    return "\\" + line if line.startswith(("#", ">")) else line


# --- the invocation ---------------------------------------------------------------------


def _invocation(report: Report, index: Mapping[str, int], left_out: int) -> dict[str, Any]:
    """Whether the run read every input, what it could not read or found nothing to judge
    in, what GitHub's limits made it leave out, and how the policy changed rules from their
    defaults."""
    outcome = report.outcome
    invocation: dict[str, Any] = {"executionSuccessful": not outcome.unreadable}
    notifications = [
        *(_unreadable(report, item) for item in outcome.unreadable),
        *(_nothing_to_judge(report, i) for i in outcome.inventories if not i.resources),
    ]
    if left_out:
        notifications.append(
            {
                "level": "warning",
                "message": {"text": code_scanning.notice(left_out + RESULTS_ACCEPTED) or ""},
                "descriptor": {"id": RESULTS_LEFT_OUT},
                "properties": {"resultsLeftOut": left_out},
            }
        )
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    overrides = []
    # SARIF's overrides hold for the whole run: only those every config file makes; the
    # others are listed with their config file (run properties, configs).
    for rule_id in sorted(index):
        configurations = [_configuration(report, c.policy, rule_id) for c in report.configs]
        configuration = configurations[0]
        if configuration and all(c == configuration for c in configurations):
            overrides.append(
                {
                    "descriptor": {"id": rule_id, "index": index[rule_id]},
                    "configuration": configuration,
                }
            )
    if overrides:
        invocation["ruleConfigurationOverrides"] = overrides
    return invocation


def _configuration(report: Report, policy: Policy, rule_id: str) -> dict[str, Any]:
    """How a policy changes a rule from its defaults: disabled, or another level."""
    configuration: dict[str, Any] = {}
    default = report.rules[rule_id].default_enabled
    if policy.enables(rule_id, default) != default:  # on by default and off, or the reverse
        configuration["enabled"] = not default
    level = policy.severities.get(rule_id)
    if level and level != report.rules[rule_id].severity:
        configuration["level"] = level
    return configuration


def _policy(report: Report) -> dict[str, Any]:
    """The profile and blocked jurisdictions (null where the config files of the run
    disagree), and each config file with its policy and its inputs."""
    listed = []
    for config in report.configs:
        entry: dict[str, Any] = {
            "file": report.config_file(config),
            "inputs": [report.relative(path) for path in config.inputs],
            "profile": config.policy.profile,
            "blockedJurisdictions": sorted(config.policy.blocked),
        }
        rules = {
            rule_id: configuration
            for rule_id in sorted(report.rules)
            if (configuration := _configuration(report, config.policy, rule_id))
        }
        if rules:
            entry["ruleConfiguration"] = rules
        listed.append(entry)
    return {"profile": report.profile, "blockedJurisdictions": report.blocked, "configs": listed}


def _unreadable(report: Report, item: Unreadable) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error",
        "message": {"text": f"{item.input} could not be read: {item.message}"},
        "descriptor": {"id": UNREADABLE_INPUT},
        "properties": {"input": report.relative(item.input)},
    }
    if item.file:
        physical = _file_location(report.relative(item.file), item.line, None)
        if item.column is not None and "region" in physical:
            physical["region"]["startColumn"] = item.column
        notification["locations"] = [{"physicalLocation": physical}]
    return notification


def _nothing_to_judge(report: Report, inventory: Inventory) -> dict[str, Any]:
    """A note on an input that holds no managed resource: a run that judged nothing there
    passes, and a wrong path in a CI job must not pass unseen."""
    notification: dict[str, Any] = {
        "level": "note",
        "message": {"text": f"{inventory.path}: no resources to judge"},
        "descriptor": {"id": NO_RESOURCES},
        "properties": {"input": report.relative(inventory.path)},
    }
    if inventory.kind == "plan":
        # A plan is a file to point at; a folder is not an artifact a viewer can open.
        physical = _file_location(report.relative(inventory.path), None, None)
        notification["locations"] = [{"physicalLocation": physical}]
    return notification


# --- results ----------------------------------------------------------------------------


def _results(report: Report, index: Mapping[str, int]) -> list[dict[str, Any]]:
    outcome = report.outcome
    # Only against a baseline does a result's baselineState mean anything.
    compared = outcome.baseline_used
    entries: list[tuple[Finding, Waiver | None, str | None]] = [
        *((f, None, "new" if compared else None) for f in outcome.findings),
        *((f, None, "unchanged") for f in outcome.baselined),
        # Waivers are applied before the baseline, so a waived finding's state is unknown.
        *((w.finding, w.waiver, None) for w in outcome.waived),
    ]
    # Errors first, and of each level the findings that count before those set aside:
    # GitHub shows the top 5,000 by severity, and the report keeps the first 25,000.
    entries.sort(key=_result_order)
    keys = distinct(entry[0] for entry in entries)
    results = []
    for (finding, waiver, state), key in zip(entries, keys, strict=True):
        result = _result(report, finding, index, key)
        if waiver is not None:
            result["suppressions"] = [_suppression(report, waiver)]
        if state is not None:
            result["baselineState"] = state
        results.append(result)
    return results


def _result_order(
    entry: tuple[Finding, Waiver | None, str | None],
) -> tuple[int, bool, tuple[object, ...]]:
    finding, waiver, state = entry
    order = finding.sort_key()
    return order[0], waiver is not None or state == "unchanged", order


def _result(report: Report, finding: Finding, index: Mapping[str, int], key: str) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    result["level"] = finding.severity
    evidence = [e.text() for e in finding.evidence]
    result["message"] = {"text": "\n".join([finding.message, *evidence])}
    logical: dict[str, Any] = {"fullyQualifiedName": finding.address}
    kind = address_kind(finding.address)
    if kind:
        logical["kind"] = kind
    result["locations"] = [
        {"physicalLocation": physical, "logicalLocations": [logical]}
        for physical in _physical(report, finding)
    ] or [{"logicalLocations": [logical]}]
    result["partialFingerprints"] = {
        FINGERPRINT_KEY: key,
        PRIMARY_LOCATION_LINE_HASH: line_hash(key),
    }
    result["properties"] = {
        "vendor": finding.vendor,
        "region": finding.region,
        "countries": list(finding.countries),
        "jurisdictions": list(finding.jurisdictions),
        "input": _input(report, finding.input),
        "evidence": evidence,
    }
    return result


def _input(report: Report, path: str) -> str:
    return path if path == ALL_INPUTS else report.relative(path)


def _physical(report: Report, finding: Finding) -> list[dict[str, Any]]:
    """The file and lines a finding points at; a line always, since GitHub and GitLab drop
    a result without one (1 stands for the file as a whole). A finding about all inputs
    together (``--aggregate``) points at each input's anchor, the first input's first."""
    anchors = report.anchors(finding)
    if len(anchors) > 1:
        shown = anchors[: code_scanning.LOCATIONS_SHOWN]
        return [_file_location(path, line or 1, None) for path, line in shown]
    path, line, end_line = report.artifact(finding)
    if not path:
        return []
    return [_file_location(path, line if line is not None and line >= 1 else 1, end_line)]


def line_hash(key: str) -> str:
    """``primaryLocationLineHash`` from a fingerprint, in the shape GitHub computes its own
    (16 hex digits, then the occurrence): fingerprints are already made distinct, so the
    occurrence is always 1."""
    return f"{key[:16]}:1"


def automation_id(report: Report) -> str:
    """``runs[].automationDetails.id``: ``lintsov/<inputs>/``. GitHub keeps one analysis
    per category and commit, and takes the category from this id (all before the last
    ``/``), so two jobs that lint other stacks on one commit do not replace each other's
    alerts, while the same stacks on the next commit replace the last analysis. The inputs
    are sorted, relative to the repository root; a long list is named by its hash."""
    outcome = report.outcome
    named = sorted(
        {
            report.relative(path)
            for path in (
                *(i.path for i in outcome.inventories),
                *(u.input for u in outcome.unreadable),
            )
        }
    )
    inputs = ",".join(named)
    if len(inputs) > AUTOMATION_ID_LIMIT:
        digest = hashlib.sha256("\n".join(named).encode("utf-8")).hexdigest()[:16]
        inputs = f"{len(named)}-inputs-{digest}"
    return f"lintsov/{inputs}/"


def _file_location(path: str, line: int | None, end_line: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(path)}
    # Line 0 means "the file gives no line" (a TOML config file): SARIF lines start at 1.
    if line is not None and line >= 1:
        region = {"startLine": line}
        if end_line is not None and end_line >= line:
            region["endLine"] = end_line
        physical["region"] = region
    return physical


def artifact_location(path: str) -> dict[str, str]:
    """A relative path under %SRCROOT%; a path outside the repository as a file: URI."""
    if path.startswith("/"):
        return {"uri": "file://" + _quoted(path)}
    return {"uri": _quoted(path), "uriBaseId": SRCROOT}


@lru_cache(maxsize=1024)
def _quoted(path: str) -> str:
    # Every result names a file, and a run names few: each is quoted once. A function of
    # the path alone, so the key is all the answer depends on.
    return quote(path, safe="/")


_RESOURCE = re.compile(r"(module\.[\w-]+\.)*(data\.)?[\w-]+\.[\w-]+")
_MODULE = re.compile(r"(module\.[\w-]+\.)*module\.[\w-]+")
_INSTANCE_KEY = re.compile(r"\[[^\]]*\]")


def address_kind(address: str) -> str | None:
    """``resource`` for a resource address, ``module`` for a module call, else None: some
    findings are about a whole input or a waiver comment, which are neither."""
    # Instance keys may hold anything, dots included: judge the address without them.
    bare = _INSTANCE_KEY.sub("", address) if "[" in address else address
    if _MODULE.fullmatch(bare):
        return "module"
    if _RESOURCE.fullmatch(bare):
        return "resource"
    return None


def _suppression(report: Report, waiver: Waiver) -> dict[str, Any]:
    # A config-file waiver names addresses; an inline one is a comment in the source.
    suppression: dict[str, Any] = {
        "kind": "external" if waiver.address else "inSource",
        "status": "accepted",
        "justification": waiver.reason,
    }
    if waiver.file:
        suppression["location"] = {
            "physicalLocation": _file_location(report.relative(waiver.file), waiver.line, None)
        }
    properties: dict[str, Any] = {"rules": list(waiver.rules)}
    if waiver.until:
        properties["until"] = waiver.until
    if waiver.address:
        properties["address"] = waiver.address
    suppression["properties"] = properties
    return suppression
