"""GitHub Actions workflow commands: one ``::error`` or ``::warning`` annotation per finding,
shown on the pull request at the .tf block (or on the plan file), then the summary line.

The evidence chain follows the message on lines of its own, so the annotation shows why.
Waived and baselined findings get no annotation (they do not fail the run); baseline
entries that no longer occur get a ``::notice`` so that the baseline can shrink. An input
lintsov could not read gets an ``::error`` at the file and line of its error (when the
error has them), and an input that holds no resource a ``::notice``, so that a wrong path
shows on the pull request. The summary line at the end names the policy and its config
file, as the text report's does; it gets no annotation, which would show on every pull
request.

Every annotation has a file and a line: a finding about a whole input points at the
input's anchor (Report.anchors), one about all inputs together at the first input's, and
its message names every input's. Above GitHub code scanning's limits a ``::notice`` says
what GitHub will hide or refuse (lintsov.report.code_scanning).
"""

from __future__ import annotations

from lintsov import environment
from lintsov.baseline import Entry
from lintsov.finding import Finding
from lintsov.pipeline import ALL_INPUTS
from lintsov.report import Report, code_scanning
from lintsov.report.text import styler, summary
from lintsov.unreadable import Unreadable


def render(report: Report) -> str:
    outcome = report.outcome
    lines = [_unreadable(report, item) for item in outcome.unreadable]
    lines.extend(annotation(report, finding) for finding in outcome.findings)
    lines.extend(_stale(entry) for entry in outcome.stale)
    lines.extend(
        command("notice", [("title", "no resources to judge")], f"{path}: no resources to judge")
        for path in outcome.without_resources()
    )
    limits = code_scanning.notice(code_scanning.results(outcome))
    if limits:
        lines.append(command("notice", [("title", "GitHub code scanning limits")], limits))
    lines.append(summary(report, styler(False)))
    return "\n".join(lines) + "\n"


def annotation(report: Report, finding: Finding) -> str:
    properties: list[tuple[str, str]] = []
    path, line, end_line = report.artifact(finding)
    if path:
        # GitHub shows an annotation without a line on no line of the diff: 1 stands for
        # the file as a whole.
        line = line if line is not None and line >= 1 else 1
        properties.extend([("file", path), ("line", str(line))])
        if end_line is not None and end_line >= line:
            properties.append(("endLine", str(end_line)))
    title = f"{finding.rule} {finding.address}"
    if finding.location is not None:
        title += environment.in_environment(finding.input)
    properties.append(("title", title))
    message = "\n".join(
        [finding.message, *(e.text() for e in finding.evidence), *_inputs(report, finding)]
    )
    return command(finding.severity, properties, message)


def _inputs(report: Report, finding: Finding) -> list[str]:
    """For a finding about all inputs together, the inputs it covers, each at its anchor:
    the annotation shows at the first."""
    if finding.input != ALL_INPUTS:
        return []
    return [f"input at {path}:{line or 1}" for path, line in report.anchors(finding)]


def _unreadable(report: Report, item: Unreadable) -> str:
    properties: list[tuple[str, str]] = []
    if item.file:
        properties.append(("file", report.relative(item.file)))
        if item.line is not None:
            properties.append(("line", str(item.line)))
            if item.column is not None:
                properties.append(("col", str(item.column)))
    properties.append(("title", f"{item.input} could not be read"))
    return command("error", properties, item.message)


def _stale(entry: Entry) -> str:
    message = (
        f"{entry.rule} {entry.address} ({entry.input}) is in the baseline but no longer "
        "occurs: remove it from the baseline"
    )
    return command("notice", [("title", "lintsov baseline")], message)


def command(name: str, properties: list[tuple[str, str]], message: str) -> str:
    """``::name key=value,...::message`` with GitHub's escaping."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return (
        f"::{name} {props}::{escape_data(message)}"
        if props
        else f"::{name}::{escape_data(message)}"
    )


def escape_data(text: str) -> str:
    # `%` first, or the escapes themselves would be escaped again.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    # In a property value `:` would end the properties and `,` would start the next one.
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
