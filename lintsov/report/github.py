"""GitHub Actions workflow commands: one ``::error`` or ``::warning`` annotation per finding,
shown on the pull request at the .tf block (or on the plan file), then the summary line.

The evidence chain follows the message on lines of its own, so the annotation shows why.
Waived and baselined findings get no annotation (they do not fail the run); baseline
entries that no longer occur get a ``::notice`` so that the baseline can shrink.
"""

from __future__ import annotations

from lintsov.baseline import Entry
from lintsov.finding import Finding
from lintsov.pipeline import ALL_INPUTS
from lintsov.report import Report
from lintsov.report.text import styler, summary


def render(report: Report) -> str:
    lines = [annotation(report, finding) for finding in report.outcome.findings]
    lines.extend(_stale(entry) for entry in report.outcome.stale)
    lines.append(summary(report, styler(False)))
    return "\n".join(lines) + "\n"


def annotation(report: Report, finding: Finding) -> str:
    properties: list[tuple[str, str]] = []
    path, line, end_line = report.artifact(finding)
    if path and not (finding.location is None and finding.input == ALL_INPUTS):
        properties.append(("file", path))
        if line is not None and line >= 1:
            properties.append(("line", str(line)))
            if end_line is not None and end_line >= line:
                properties.append(("endLine", str(end_line)))
    properties.append(("title", f"{finding.rule} {finding.address}"))
    message = "\n".join([finding.message, *(e.text() for e in finding.evidence)])
    return command(finding.severity, properties, message)


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
