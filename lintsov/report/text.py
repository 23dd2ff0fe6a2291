"""The text report for people: findings grouped by severity, evidence under each, one summary
line at the end. The summary names the policy and the config file it came from (or says no
config file applied); when inputs had different config files, a POLICIES list before it
says which inputs each applied to."""

from __future__ import annotations

from collections.abc import Callable

from lintsov import environment
from lintsov.finding import SEVERITIES, Finding
from lintsov.policy import Policy
from lintsov.report import Report
from lintsov.setting import Applied
from lintsov.unreadable import names

Style = Callable[[str, str], str]

_COLOURS = {"error": "31;1", "warning": "33;1", "dim": "2", "bold": "1", "ok": "32;1"}


def styler(colour: bool) -> Style:
    def style(text: str, name: str) -> str:
        return f"\x1b[{_COLOURS[name]}m{text}\x1b[0m" if colour else text

    return style


def render(
    report: Report,
    *,
    colour: bool = False,
    quiet: bool = False,
    show_waived: bool = False,
) -> str:
    style = styler(colour)
    outcome = report.outcome
    lines: list[str] = []
    for severity in SEVERITIES:
        group = [f for f in outcome.findings if f.severity == severity]
        if not group:
            continue
        title = f"{severity.upper()}S ({len(group)})" if len(group) > 1 else severity.upper()
        lines.append(style(title, severity))
        for finding in group:
            lines.extend(_finding(finding, style))
        lines.append("")
    if show_waived and outcome.waived:
        lines.append(style(f"WAIVED ({len(outcome.waived)})", "dim"))
        for waived in outcome.waived:
            lines.extend(_finding(waived.finding, style))
            waiver = waived.waiver
            until = f" until {waiver.until}" if waiver.until else ""
            lines.append(f"    waived by {waiver.file}:{waiver.line}{until}: {waiver.reason}")
        lines.append("")
    if quiet:
        return "\n".join(lines)
    if outcome.unreadable:
        lines.append(style(f"COULD NOT BE READ ({len(outcome.unreadable)})", "error"))
        for item in outcome.unreadable:
            lines.append(f"  {style(item.input, 'bold')}")
            lines.append(f"    {item.message}")
        lines.append("")
    if outcome.stale:
        lines.append(
            style(f"NO LONGER OCCUR ({len(outcome.stale)}): remove from the baseline", "dim")
        )
        lines.extend(f"  {e.rule} {e.address}  ({e.input})" for e in outcome.stale)
        lines.append("")
    if len(report.configs) > 1:
        lines.append(style(f"POLICIES ({len(report.configs)})", "dim"))
        for config in report.configs:
            lines.append(f"  {style(report.config_name(config), 'bold')}: {policy(config)}")
            lines.extend(f"    {path}" for path in config.inputs)
        lines.append("")
    lines.append(summary(report, style))
    return "\n".join(lines) + "\n"


def _finding(finding: Finding, style: Style) -> list[str]:
    if finding.location:
        location = finding.location
        where = location.text() + environment.in_environment(finding.input, location.file)
    else:
        where = finding.input
    head = f"  {style(finding.rule, finding.severity)} {style(finding.address, 'bold')}"
    if where:
        head += style(f"  ({where})", "dim")
    lines = [head, f"    {finding.message}"]
    lines.extend(style(f"      {e.text()}", "dim") for e in finding.evidence)
    return lines


def summary(report: Report, style: Style) -> str:
    """One line: the verdict, the inputs that could not be read, the counts, the inputs
    that held nothing to judge, and the policy with the config file it came from."""
    outcome = report.outcome
    counts = outcome.counts()
    verdict = report.verdict
    mark = style("✓", "ok") if verdict == "pass" else style("✗", "error")
    parts = [
        *([_unread_inputs(report)] if outcome.unreadable else []),
        _plural(counts["errors"], "error"),
        _plural(counts["warnings"], "warning"),
        *([f"{len(outcome.waived)} waived"] if outcome.waived else []),
        *([f"{len(outcome.baselined)} in the baseline"] if outcome.baselined else []),
        *judged(report),
        *([unclassified(report)] if report.unclassified else []),
        *policies(report),
    ]
    return f"{mark} {verdict}: " + " · ".join(parts)


# A summary line names this many policies at most; the text report lists them all.
CONFIGS_SHOWN = 5


def policies(report: Report) -> list[str]:
    """``profile sovereignty, blocked: US`` and ``config: envs/prod/.lintsov.yaml`` (or
    ``no config file``); with several policies, each with the config file it came from."""
    configs = report.configs
    if len(configs) == 1:
        (config,) = configs
        return [policy(config), report.config_label(config)]
    shown = [
        f"{report.config_name(c)} ({policy(c)}; {_plural(len(c.inputs), 'input')})"
        for c in configs[:CONFIGS_SHOWN]
    ]
    more = len(configs) - CONFIGS_SHOWN
    listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    return [f"{len(configs)} policies: {listed}"]


def policy(config: Applied) -> str:
    """``profile sovereignty, blocked: US``: what a config's inputs were judged by."""
    return f"profile {config.policy.profile}, blocked: {blocked(config.policy)}"


def blocked(judged_by: Policy) -> str:
    """``CN, US``, or ``none``."""
    return ", ".join(sorted(judged_by.blocked)) or "none"


def judged(report: Report) -> list[str]:
    """What was judged: ``5 resources (1 sensitive) in 2 inputs``, and the inputs that
    held nothing to judge, so that a wrong path does not pass unseen."""
    outcome = report.outcome
    resources = [r for inv in outcome.inventories for r in inv.resources]
    empty = outcome.without_resources()
    if not resources:
        return [f"no resources to judge in {names(empty) or _inputs(report)}"]
    sensitive = sum(1 for r in resources if r.sensitive)
    parts = [f"{_plural(len(resources), 'resource')} ({sensitive} sensitive) in {_inputs(report)}"]
    if empty:
        parts.append(f"no resources to judge in {names(empty)}")
    return parts


def _unread_inputs(report: Report) -> str:
    """``2 inputs could not be read: a, b``."""
    unread = [item.input for item in report.outcome.unreadable]
    return f"{_plural(len(unread), 'input')} could not be read: {names(unread)}"


def _inputs(report: Report) -> str:
    """``3 inputs``, or ``1 of 3 inputs`` when some could not be read."""
    read = len(report.outcome.inventories)
    if not report.outcome.unreadable:
        return _plural(read, "input")
    return f"{read} of {read + len(report.outcome.unreadable)} inputs"


def unclassified(report: Report) -> str:
    """``12 data-holding resources unclassified``: what nobody judged, and what the policy
    made of it."""
    counted = counted_sensitive(report)
    if counted == report.unclassified:
        note = " (counted sensitive)"
    else:
        note = f" ({counted} counted sensitive)" if counted else ""
    return f"{_plural(report.unclassified, 'data-holding resource')} unclassified{note}"


def counted_sensitive(report: Report) -> int:
    """The unclassified resources whose input's policy counts them sensitive."""
    return sum(
        1
        for inventory in report.outcome.inventories
        if report.counts_unclassified(inventory.path)
        for resource in inventory.resources
        if resource.unclassified
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
