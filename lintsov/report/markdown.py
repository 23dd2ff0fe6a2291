"""The Markdown report: a pull-request comment or a GitHub step summary (``$GITHUB_STEP_SUMMARY``).

It opens with the verdict and the policy with its config file (with several, a table of
each config file, its policy and its inputs), then the inputs lintsov could not read (when
there are any), then the counts per rule, the findings table with each finding's
evidence, the jurisdiction picture (resources per vendor and per jurisdiction, with Mermaid
pie charts GitHub draws: each resource is one slice, keyed by every jurisdiction that
reaches it, so that the slices add up to the resources), the waived findings in a collapsed
section and the state of the baseline.

GitHub refuses a comment over 65,536 characters, so the document is fitted to that: the
waived and stale-baseline lists are capped, the other sections are bounded by the catalogue
(vendors, countries), and the findings table takes the room that is left, with a note
saying how many rows it left out.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from lintsov import __version__, environment
from lintsov.finding import Finding
from lintsov.inventory import ResolvedResource
from lintsov.pipeline import ALL_INPUTS
from lintsov.report import Report, access, code_scanning
from lintsov.report.text import blocked, judged, unclassified
from lintsov.unreadable import names
from lintsov.waivers import Waived

LIMIT = 65_536
# Waived findings and stale baseline entries are listed up to this many rows and this share
# of the limit each; the findings, which decide the verdict, get the rest of the room.
LISTED = 25
LIST_SHARE = LIMIT // 8
_LISTS = "to keep the comment short"
UNKNOWN_VENDOR = "unknown"
UNRESOLVED = "unresolved"
# Utility providers (random, null, tls, ...) hold nothing anywhere: not a failed lookup.
UTILITY = "(utility)"
NOWHERE = "none (utility)"
_SEVERITY = {"error": "❌ error", "warning": "⚠️ warning"}
# Cell text is escaped, so that a message cannot end a cell, start a table row, open an
# HTML tag, or format itself: backslash first, since the other escapes add backslashes.
_ESCAPES = (
    ("\\", "\\\\"),
    ("|", "\\|"),
    ("`", "\\`"),
    ("*", "\\*"),
    ("[", "\\["),
    ("]", "\\]"),
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ("\r\n", "<br>"),
    ("\r", "<br>"),
    ("\n", "<br>"),
)


def render(report: Report) -> str:
    outcome = report.outcome
    head = [_verdict(report), "", _context(report), "", *_configs(report), *_unreadable(report)]
    tail = [
        *_picture([r for inventory in outcome.inventories for r in inventory.resources]),
        *_waived(report),
        *_baseline(report),
        f"<sub>lintsov {__version__}</sub>",
        "",
    ]
    findings = _Table(
        header=(
            "| Severity | Rule | Address | Where | Message | Evidence |",
            "|---|---|---|---|---|---|",
        ),
        # The pipeline hands findings over sorted (Finding.sort_key).
        rows=(_finding_row(report, f) for f in outcome.findings),
        total=len(outcome.findings),
        noun="findings",
    )
    frame = [*_per_rule(report), "#### Findings", "", ""]
    # "\n".join puts no newline after the last line, hence the + 1.
    room = LIMIT - _length(head) - _length(frame) - _length(tail) + 1
    rows = findings.fit(room) if outcome.findings else ["No findings."]
    body = [*frame[:-1], *rows, frame[-1]]
    return "\n".join([*head, *body, *tail])


@dataclass(frozen=True)
class _Table:
    """A Markdown table that may lose rows at the end to stay within a length. Its rows
    are made one by one as they are placed: 100k findings must not all be formatted for
    the sixty that fit."""

    header: tuple[str, ...]
    rows: Iterable[str]
    total: int
    noun: str
    why: str = f"the comment limit is {LIMIT:,} characters"
    hint: str = "see the full report in the SARIF/JSON output"

    def note(self, omitted: int) -> str:
        # The blank line ends the table: GFM reads any line right after a row as a row.
        return f"\n_… and {omitted} more {self.noun} not shown ({self.why}); {self.hint}._"

    def fit(self, room: int, most: int | None = None) -> list[str]:
        """The header, the rows that fit in ``room`` characters (each line counted with its
        newline), at most ``most`` of them, and a note on the rows left out. Room for the
        header and the longest note is set aside first."""
        room -= _length(self.header) + len(self.note(self.total)) + 1
        shown: list[str] = []
        for row in itertools.islice(self.rows, most):
            if len(row) + 1 > room:
                break
            room -= len(row) + 1
            shown.append(row)
        lines = [*self.header, *shown] if shown else []
        if len(shown) < self.total:
            lines.append(self.note(self.total - len(shown)))
        return lines


def _length(lines: Sequence[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def cell(text: str) -> str:
    """``text`` safe in a table cell: escaped, its line breaks as ``<br>``."""
    # The line breaks come last: their <br> must not be escaped itself.
    for special, escaped in _ESCAPES:
        if special in text:
            text = text.replace(special, escaped)
    return text


def _verdict(report: Report) -> str:
    counts = report.outcome.counts()
    unread = len(report.outcome.unreadable)
    parts = [f"{_plural(unread, 'input')} could not be read"] if unread else []
    parts += [
        _plural(counts[key], word)
        for key, word in (("errors", "error"), ("warnings", "warning"))
        if counts[key] or report.verdict != "pass"
    ]
    mark = "✅" if report.verdict == "pass" else "❌"
    return f"### {mark} lintsov: {report.verdict}" + (f" — {', '.join(parts)}" if parts else "")


def _per_rule(report: Report) -> list[str]:
    """How many findings each rule made: those that count by level, and those set aside."""
    outcome = report.outcome
    counts: dict[str, Counter[str]] = {}
    for finding in outcome.findings:
        counts.setdefault(finding.rule, Counter())[finding.severity] += 1
    for item in outcome.waived:
        counts.setdefault(item.finding.rule, Counter())["waived"] += 1
    for finding in outcome.baselined:
        counts.setdefault(finding.rule, Counter())["baselined"] += 1
    if not counts:
        return []
    rows = []
    for rule_id in sorted(counts):
        rule = report.rules.get(rule_id)
        name = f"[{cell(rule_id)}]({rule.help_uri})" if rule else cell(rule_id)
        title = cell(rule.title) if rule else ""
        n = counts[rule_id]
        rows.append(
            f"| {name} | {title} | {n['error']} | {n['warning']} | {n['waived']} "
            f"| {n['baselined']} |"
        )
    return [
        "#### Findings per rule",
        "",
        "| Rule | Title | Errors | Warnings | Waived | Baselined |",
        "|---|---|--:|--:|--:|--:|",
        *rows,
        "",
    ]


def _context(report: Report) -> str:
    outcome, configs = report.outcome, report.configs
    if len(configs) == 1:
        (config,) = configs
        parts = [
            f"Profile **{cell(config.policy.profile)}**",
            f"blocked jurisdictions: **{cell(blocked(config.policy))}**",
            cell(report.config_label(config)),
        ]
    else:
        parts = [f"{len(configs)} policies, each from its config file (below)"]
    parts += [f"fails on: {cell(report.fail_on)}", *(cell(part) for part in judged(report))]
    if report.unclassified:
        parts.append(cell(unclassified(report)))
    reaching = access.summary(report)
    if reaching:
        parts.append(cell(reaching))
    if outcome.waived:
        parts.append(f"{len(outcome.waived)} waived")
    if outcome.baselined:
        parts.append(f"{len(outcome.baselined)} in the baseline")
    limits = code_scanning.notice(code_scanning.results(outcome))
    if limits:
        parts.append(cell(limits))
    return " · ".join(parts)


def _configs(report: Report) -> list[str]:
    """With several policies, each with its config file and the inputs it applied to."""
    configs = report.configs
    if len(configs) < 2:
        return []
    table = _Table(
        header=(
            "| Config | Profile | Blocked jurisdictions | Inputs |",
            "|---|---|---|---|",
        ),
        rows=(
            f"| {cell(report.config_name(c))} | {cell(c.policy.profile)} "
            f"| {cell(blocked(c.policy))} | {cell(names(c.inputs))} |"
            for c in configs
        ),
        total=len(configs),
        noun="policies",
        why=_LISTS,
        hint="see the JSON output",
    )
    return [*table.fit(LIST_SHARE, LISTED), ""]


def _unreadable(report: Report) -> list[str]:
    """The inputs that could not be read, each with its error: they decide the verdict."""
    unreadable = report.outcome.unreadable
    if not unreadable:
        return []
    table = _Table(
        header=("| Input | Error |", "|---|---|"),
        rows=(f"| {cell(item.input)} | {cell(item.message)} |" for item in unreadable),
        total=len(unreadable),
        noun="inputs",
        why=_LISTS,
        hint="see the JSON output, or the errors lintsov printed",
    )
    return [
        f"#### {_plural(len(unreadable), 'input')} could not be read",
        "",
        *table.fit(LIST_SHARE, LISTED),
        "",
    ]


def _finding_row(report: Report, finding: Finding) -> str:
    rule = report.rules.get(finding.rule)
    rule_cell = f"[{cell(finding.rule)}]({rule.help_uri})" if rule else cell(finding.rule)
    evidence = "<br>".join(cell(e.text()) for e in finding.evidence)
    cells = [
        _SEVERITY.get(finding.severity, cell(finding.severity)),
        rule_cell,
        f"<code>{cell(finding.address)}</code>",
        cell(_where(report, finding)),
        cell(finding.message),
        evidence,
    ]
    return "| " + " | ".join(cells) + " |"


def _where(report: Report, finding: Finding) -> str:
    if finding.location is None and finding.input == ALL_INPUTS:
        return ALL_INPUTS
    path, line, _ = report.artifact(finding)
    where = f"{path}:{line}" if line else path
    if finding.location is None:
        return where
    return where + environment.in_environment(finding.input)


def _picture(resources: Sequence[ResolvedResource]) -> list[str]:
    """Where the resources are: per vendor, per jurisdiction, and the pies."""
    if not resources:
        return ["#### Where the resources are", "", "No resources.", ""]
    vendors = _tally(resources, lambda r: (_vendor(r),))
    places = _tally(resources, _places)
    # The pies partition the resources: each resource is one slice, keyed by all the
    # jurisdictions that reach it together, so that the slices add up to the whole.
    reached = _tally(resources, lambda r: (" + ".join(sorted(_places(r))),))
    lines = [
        "#### Where the resources are",
        "",
        *_counts_table("Vendor", vendors),
        "",
        *_counts_table("Jurisdiction", places),
        "",
        "_A resource counts under every jurisdiction whose law reaches it: where it is "
        "stored and where its operator is incorporated._",
        "",
        *_pie(
            f"{_plural(len(resources), 'resource')} by the jurisdictions that reach them",
            reached.total,
        ),
    ]
    if reached.sensitive:
        sensitive = sum(reached.sensitive.values())
        lines.extend(
            _pie(
                f"{_plural(sensitive, 'sensitive resource')} by the jurisdictions that reach them",
                reached.sensitive,
            )
        )
    return lines


def _vendor(resource: ResolvedResource) -> str:
    if resource.provider_kind == "utility":
        return UTILITY
    return resource.vendor_name or UNKNOWN_VENDOR


def _places(resource: ResolvedResource) -> tuple[str, ...]:
    if resource.jurisdictions:
        return resource.jurisdictions
    return (NOWHERE,) if resource.provider_kind == "utility" else (UNRESOLVED,)


@dataclass(frozen=True)
class _Tally:
    total: Counter[str]
    sensitive: Counter[str]


def _tally(
    resources: Iterable[ResolvedResource], keys: Callable[[ResolvedResource], Iterable[str]]
) -> _Tally:
    total: Counter[str] = Counter()
    sensitive: Counter[str] = Counter()
    for resource in resources:
        for key in keys(resource):
            total[key] += 1
            if resource.sensitive:
                sensitive[key] += 1
    return _Tally(total, sensitive)


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    """Largest first, ties by name: the same order on every run."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _counts_table(title: str, tally: _Tally) -> list[str]:
    return [
        f"| {title} | Resources | Sensitive |",
        "|---|--:|--:|",
        *(f"| {cell(name)} | {n} | {tally.sensitive[name]} |" for name, n in _ranked(tally.total)),
    ]


def _pie(title: str, counts: Counter[str]) -> list[str]:
    # Mermaid labels are double-quoted and cannot escape a quote; country codes have none.
    slices = [f'    "{name.replace(chr(34), chr(39))}" : {n}' for name, n in _ranked(counts)]
    return ["```mermaid", f"pie title {title}", *slices, "```", ""]


def _waived(report: Report) -> list[str]:
    waived = report.outcome.waived
    if not waived:
        return []
    table = _Table(
        header=(
            "| Rule | Address | Where | Reason | Until | Waiver |",
            "|---|---|---|---|---|---|",
        ),
        # Waived findings come sorted from the pipeline; rows are made only for those shown.
        rows=(_waived_row(report, item) for item in waived),
        total=len(waived),
        noun="waived findings",
        why=_LISTS,
        hint="see the JSON output, or the text output with --show-waived",
    )
    return [
        "<details>",
        f"<summary>{_plural(len(waived), 'waived finding')}</summary>",
        "",
        *table.fit(LIST_SHARE, LISTED),
        "",
        "</details>",
        "",
    ]


def _waived_row(report: Report, waived: Waived) -> str:
    finding, waiver = waived.finding, waived.waiver
    # A config-file waiver has no line (TOML gives none).
    by = report.relative(waiver.file) + (f":{waiver.line}" if waiver.line else "")
    return (
        f"| {cell(finding.rule)} | <code>{cell(finding.address)}</code> "
        f"| {cell(_where(report, finding))} | {cell(waiver.reason)} "
        f"| {cell(waiver.until or '-')} | {cell(by)} |"
    )


def _baseline(report: Report) -> list[str]:
    outcome = report.outcome
    lines: list[str] = []
    if outcome.baselined:
        lines += [
            f"{_plural(len(outcome.baselined), 'finding')} recorded in the baseline "
            "did not fail this run.",
            "",
        ]
    if outcome.stale:
        stale = sorted(outcome.stale, key=lambda e: (e.rule, e.input, e.address))
        table = _Table(
            ("| Rule | Address | Input |", "|---|---|---|"),
            (
                f"| {cell(e.rule)} | <code>{cell(e.address)}</code> "
                f"| {cell(report.relative(e.input))} |"
                for e in stale
            ),
            len(stale),
            "entries",
            why=_LISTS,
            hint="see the JSON output",
        )
        occur = "occurs" if len(stale) == 1 else "occur"
        lines += [
            "<details>",
            f"<summary>{_plural(len(stale), 'baseline entry', 'baseline entries')} no longer "
            f"{occur}: remove them from the baseline</summary>",
            "",
            *table.fit(LIST_SHARE, LISTED),
            "",
            "</details>",
            "",
        ]
    return lines


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"
