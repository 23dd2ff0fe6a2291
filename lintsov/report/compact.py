"""The compact report: one line per finding, ``FILE:LINE: SEVERITY RULE ADDRESS: MESSAGE``,
as compilers and flake8 print them, for pre-commit hooks and editors that jump to a file
and line; then the summary line. Evidence is left to the other formats (``lintsov explain``
and the text report show it)."""

from __future__ import annotations

from lintsov import environment
from lintsov.finding import Finding
from lintsov.report import Report
from lintsov.report.text import styler, summary


def render(report: Report) -> str:
    # Inputs that could not be read are on stderr already, one line each; the summary
    # names them again.
    lines = [line(report, finding) for finding in report.outcome.findings]
    lines.append(summary(report, styler(False)))
    return "\n".join(lines) + "\n"


def line(report: Report, finding: Finding) -> str:
    """``modules/storage/main.tf:7: error SOV001 module.storage.aws_s3_bucket.this: ...
    (in stacks/a)``: where, what and, for a file several inputs share, which input."""
    path, number, _ = report.artifact(finding)
    where = f"{path}:{number}" if number is not None else path or finding.input
    file = finding.location.file if finding.location is not None else None
    named = environment.in_environment(finding.input, file).strip()
    context = f" ({named})" if named and file is not None else ""
    return (
        f"{where}: {finding.severity} {finding.rule} {finding.address}: {finding.message}{context}"
    )
