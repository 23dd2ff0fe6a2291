"""The JUnit XML report: one test suite per rule, one test case per rule and what it judged.

CI servers (Jenkins, GitLab, Azure DevOps, the GitHub test-report actions) show JUnit files as
test results, so each rule becomes a suite and each thing it judged a test: a resource SOV001
passed is a passing test, one it found a failure, a waived or baselined finding a skipped
test. The shape follows ``jenkins-xunit-junit-10.xsd``. There are no timestamps, hostnames or
durations beyond ``time="0"``: the same input gives the same bytes.

Cases per rule scope:

- ``resource``: one per resource of every input (``classname`` the input, ``name`` the
  address), plus one per finding whose address is no resource of its input;
- ``input``: one per input, or one for ``(all inputs)`` when the rule judged them together;
- ``configuration``: one per finding, and none when there are none.

When an input could not be read or holds no resource, a suite ``inputs`` comes first, with
one case per input: an error for one that could not be read (its one-line error), skipped
for one with nothing to judge, passed for the others. With ``--aggregate`` and an input not
read, the ``(all inputs)`` case of a rule that found nothing is skipped: it judged only the
inputs read, and must not pass for all of them.

Inputs may have config files of their own: a rule's cases are the inputs whose policy let
it run, its ``severity`` property lists each config's severity when they differ, and every
suite names the config files (``config`` properties; with several, each with its inputs).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from lintsov.finding import Finding
from lintsov.inventory import Inventory
from lintsov.pipeline import ALL_INPUTS, Outcome
from lintsov.report import Report
from lintsov.rules import Rule
from lintsov.unreadable import names
from lintsov.waivers import Waived

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# The test name of an input-scope rule's case: the rule judged all of the input's resources.
# The same whether the case passes or fails, so that CI test history follows it across runs.
WHOLE_INPUT = "(all resources)"
# Characters XML 1.0 cannot carry at all, not even escaped (control characters, lone
# surrogates); a plan may hold them in a name, and one would make the whole file unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_NEEDS_ESCAPING = re.compile("[&<>\"'\n\r\t]")

_Key = tuple[str, str]  # (input as the finding names it, case name)
PARTIAL = "judged only the inputs lintsov could read; see the inputs suite"


@dataclass
class _Results:
    """What one rule reported, by the case it belongs to."""

    failed: dict[_Key, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    waived: dict[_Key, list[Waived]] = field(default_factory=lambda: defaultdict(list))
    baselined: dict[_Key, list[Finding]] = field(default_factory=lambda: defaultdict(list))

    def keys(self) -> set[_Key]:
        return {*self.failed, *self.waived, *self.baselined}


class _Case(NamedTuple):
    # A tuple, not a dataclass: a 50k-resource plan makes 150k of them.
    classname: str
    name: str
    failed: tuple[Finding, ...] = ()
    waived: tuple[Waived, ...] = ()
    baselined: tuple[Finding, ...] = ()
    # Why a case with no finding is skipped rather than passed.
    unjudged: str = ""

    @property
    def skipped(self) -> bool:
        # A case that fails is a failure even when another finding on it was waived.
        return not self.failed and bool(self.waived or self.baselined or self.unjudged)


def render(report: Report) -> str:
    outcome = report.outcome
    paths = _Paths(report)
    scopes = {rule_id: rule.scope for rule_id, rule in report.rules.items()}
    results = _results(outcome, scopes)
    ran = {r for r in report.rules if report.ran(r)}
    suites: list[str] = []
    tests = failures = errors = 0
    if outcome.unreadable or outcome.without_resources():
        inputs = _input_cases(outcome, paths)
        suites.extend(_inputs_suite(inputs))
        tests += len(inputs)
        errors += sum(1 for _, _, error, _ in inputs if error)
    for rule_id in sorted(ran | set(results)):
        rule = report.rules.get(rule_id)
        cases = _cases(report, paths, rule, results.get(rule_id, _Results()))
        suites.extend(_suite(report, paths, rule_id, rule, cases))
        tests += len(cases)
        failures += sum(1 for _, _, case in cases if case is not None and case.failed)
    head = _tag("testsuites", name="lintsov", tests=tests, failures=failures, errors=errors, time=0)
    # Written as text, not through ElementTree: 150k test cases serialise three times faster.
    document = "\n".join([f"{head}>", *suites, "</testsuites>"])
    return DECLARATION + _NOT_XML.sub("\ufffd", document) + "\n"


# A case of the inputs suite: classname (the input), name, its error, why it was not judged.
_InputCase = tuple[str, str, str, str]
INPUTS_SUITE = "inputs"
READ = "read"


def _input_cases(outcome: Outcome, paths: _Paths) -> list[_InputCase]:
    cases = [
        (paths.relative(i.path), READ, "", "" if i.resources else "no resources to judge")
        for i in outcome.inventories
    ]
    cases += [(paths.relative(u.input), READ, u.message, "") for u in outcome.unreadable]
    return sorted(cases)


def _inputs_suite(cases: list[_InputCase]) -> Iterator[str]:
    """Every input given, and whether it was read: an unreadable input is an error (the
    test could not run), not a failure (a finding)."""
    errors = sum(1 for _, _, error, _ in cases if error)
    skipped = sum(1 for _, _, _, unjudged in cases if unjudged)
    head = _tag(
        "testsuite",
        name=INPUTS_SUITE,
        tests=len(cases),
        failures=0,
        errors=errors,
        skipped=skipped,
        time=0,
    )
    yield f"  {head}>"
    for classname, name, error, unjudged in cases:
        case = f"    <testcase classname={_quote(classname)} name={_quote(name)}"
        if error:
            inner = _tag("error", message=f"could not be read: {error}", type="unreadable-input")
            yield f"{case}>\n      {inner}>{escape(error)}</error>\n    </testcase>"
        elif unjudged:
            yield f"{case}>\n      {_tag('skipped', message=unjudged)} />\n    </testcase>"
        else:
            yield f"{case} />"
    yield "  </testsuite>"


def _tag(element: str, /, **attributes: object) -> str:
    """An opening tag without its closing ``>``: the caller ends it with ``>`` or ``/>``."""
    text = " ".join(f"{key}={_quote(str(value))}" for key, value in attributes.items())
    return f"<{element} {text}"


class _Paths:
    """Paths relative to the repository root, each worked out once: ``Report.relative``
    resolves the path on disk, and a large plan asks for the same few inputs 150k times."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self._seen: dict[str, str] = {}

    def relative(self, path: str) -> str:
        if path not in self._seen:
            # "(all inputs)" names no file: it must not come out as "folder/(all inputs)".
            self._seen[path] = path if path == ALL_INPUTS else self._report.relative(path)
        return self._seen[path]

    def file(self, finding: Finding) -> str:
        """The file a finding points at (its .tf block's file, else its input)."""
        location = finding.location
        if location is None:
            return self._report.input_file(finding.input)
        return self.relative(location.file)

    def where(self, finding: Finding) -> str:
        location = finding.location
        return f"{self.file(finding)}:{location.line}" if location else self.file(finding)


def _results(outcome: Outcome, scopes: Mapping[str, str]) -> dict[str, _Results]:
    """Every finding, waived and baselined one, filed by rule and case: one pass, so that
    looking up a resource's case later is a dict lookup, not a scan of all findings."""
    results: dict[str, _Results] = defaultdict(_Results)

    def key(finding: Finding) -> _Key:
        whole = scopes.get(finding.rule) == "input"
        return finding.input, WHOLE_INPUT if whole else finding.address

    for finding in outcome.findings:
        results[finding.rule].failed[key(finding)].append(finding)
    for waived in outcome.waived:
        results[waived.finding.rule].waived[key(waived.finding)].append(waived)
    for finding in outcome.baselined:
        results[finding.rule].baselined[key(finding)].append(finding)
    return results


# A case as the suite lists it: classname, name, and what the rule reported there (None: the
# case passed). Passing cases are the bulk of a large plan's report, so they stay bare tuples.
_Row = tuple[str, str, "_Case | None"]


def _cases(report: Report, paths: _Paths, rule: Rule | None, results: _Results) -> list[_Row]:
    # A rule the registry does not know (its findings came from elsewhere) can only be
    # shown finding by finding.
    if rule is None or rule.scope == "configuration":
        cases = sorted(_configuration_cases(paths, results), key=_configuration_order)
        return [(case.classname, case.name, case) for case in cases]
    outcome = report.outcome
    # Only the inputs whose policy let the rule run were judged by it.
    judged = tuple(i for i in outcome.inventories if report.ran_on(rule.id, i.path))
    reported = results.keys()
    rows: list[_Row] = []
    for key in _keys(outcome.aggregate, judged, rule.scope, results):
        input_path, name = key
        classname = paths.relative(input_path)
        case = None
        if input_path == ALL_INPUTS and outcome.unreadable and key not in reported:
            case = _Case(classname, name, unjudged=PARTIAL)
        elif key in reported:
            case = _Case(
                classname,
                name,
                tuple(results.failed.get(key, ())),
                tuple(results.waived.get(key, ())),
                tuple(results.baselined.get(key, ())),
            )
        rows.append((classname, name, case))
    rows.sort(key=itemgetter(0, 1))
    return rows


def _keys(
    aggregate: bool, inventories: tuple[Inventory, ...], scope: str, results: _Results
) -> Iterable[_Key]:
    """The cases of a resource- or input-scope rule: what it judged, and what it reported."""
    reported = results.keys()
    if scope == "input":
        if aggregate:
            # --aggregate: the rule judged all inputs as one, not each input.
            return reported | {(ALL_INPUTS, WHOLE_INPUT)}
        return reported | {(inventory.path, WHOLE_INPUT) for inventory in inventories}
    judged = dict.fromkeys(
        (inventory.path, resource.address)
        for inventory in inventories
        for resource in inventory.resources
    )
    judged.update(dict.fromkeys(reported))
    return judged


def _configuration_cases(paths: _Paths, results: _Results) -> Iterator[_Case]:
    for findings in results.failed.values():
        for finding in findings:
            yield _Case(paths.file(finding), finding.address, failed=(finding,))
    for waived in results.waived.values():
        for item in waived:
            yield _Case(paths.file(item.finding), item.finding.address, waived=(item,))
    for findings in results.baselined.values():
        for finding in findings:
            yield _Case(paths.file(finding), finding.address, baselined=(finding,))


def _configuration_order(case: _Case) -> tuple[str, str, tuple[object, ...]]:
    finding = (case.failed or case.baselined or tuple(w.finding for w in case.waived))[0]
    return case.classname, case.name, finding.sort_key()


def _suite(
    report: Report, paths: _Paths, rule_id: str, rule: Rule | None, cases: list[_Row]
) -> Iterator[str]:
    reported = [case for _, _, case in cases if case is not None]
    head = _tag(
        "testsuite",
        name=f"{rule_id}: {rule.title}" if rule is not None else rule_id,
        tests=len(cases),
        failures=sum(1 for case in reported if case.failed),
        errors=0,
        skipped=sum(1 for case in reported if case.skipped),
        time=0,
    )
    if not cases and rule is None:
        yield f"  {head} />"
        return
    yield f"  {head}>"
    if rule is not None:
        yield "    <properties>"
        for name, value in (
            ("severity", _severity(report, rule)),
            ("scope", rule.scope),
            ("help", rule.help_uri),
            # JUnit has no run summary: every suite carries the run's count of data-holding
            # resources nobody classified, and the config files the run was judged by, so
            # that they show wherever the suite does.
            ("unclassified-data-holding-resources", report.unclassified),
            *(("config", config) for config in _configs(report)),
        ):
            yield f"      {_tag('property', name=name, value=value)} />"
        yield "    </properties>"
    help_uri = rule.help_uri if rule is not None else ""
    # A suite's cases share a handful of classnames (their inputs): each is quoted once.
    classnames = {classname: _quote(classname) for classname, _, _ in cases}
    for classname, name, case in cases:
        head = f"    <testcase classname={classnames[classname]} name={_quote(name)}"
        yield f"{head} />" if case is None else _testcase(paths, head, case, help_uri)
    yield "  </testsuite>"


def _severity(report: Report, rule: Rule) -> str:
    """The rule's severity, or with several config files that set it apart, each with its
    config file: ``error (stacks/a/.lintsov.yaml), warning (no config file)``."""
    by_config = {
        report.config_name(c): c.policy.severities.get(rule.id, rule.severity)
        for c in report.configs
        if c.policy.enables(rule.id, rule.default_enabled)
    }
    if len(set(by_config.values())) <= 1:
        return next(iter(by_config.values()), rule.severity)
    return ", ".join(f"{severity} ({name})" for name, severity in by_config.items())


def _configs(report: Report) -> list[str]:
    """The config file (or ``no config file``); with several, each with its inputs."""
    configs = report.configs
    if len(configs) == 1:
        return [report.config_name(configs[0])]
    return [
        f"{report.config_name(c)}: {names([report.relative(path) for path in c.inputs])}"
        for c in configs
    ]


def _quote(value: str) -> str:
    """An attribute value in quotes, escaped only when it must be (most names need not)."""
    return quoteattr(value) if _NEEDS_ESCAPING.search(value) else f'"{value}"'


def _testcase(paths: _Paths, head: str, case: _Case, help_uri: str) -> str:

    def details(finding: Finding) -> str:
        return _details(paths, finding, help_uri)

    if case.failed:
        first = case.failed[0]
        more = f" (and {len(case.failed) - 1} more)" if len(case.failed) > 1 else ""
        inner = _tag("failure", message=f"{first.severity}: {first.message}{more}", type=first.rule)
        text = "\n\n".join(details(f) for f in _ordered(case.failed))
        element = "failure"
    elif case.waived:
        inner = _tag("skipped", message=f"waived: {case.waived[0].waiver.reason}")
        text = "\n\n".join(f"{_waiver(paths, w)}\n{details(w.finding)}" for w in case.waived)
        element = "skipped"
    elif case.baselined:
        inner = _tag("skipped", message="in the baseline")
        text = "\n\n".join(details(f) for f in _ordered(case.baselined))
        element = "skipped"
    else:
        return f"{head}>\n      {_tag('skipped', message=case.unjudged)} />\n    </testcase>"
    return f"{head}>\n      {inner}>{escape(text)}</{element}>\n    </testcase>"


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def _details(paths: _Paths, finding: Finding, help_uri: str) -> str:
    """A finding as a person reads it in the CI's test view: severity, rule and what, where,
    and the evidence chain, one fact a line."""
    lines = [
        f"{finding.severity} {finding.rule} {finding.address}",
        finding.message,
        f"at {paths.where(finding)}",
    ]
    if finding.evidence:
        lines.append("evidence:")
        lines.extend(f"  {evidence.text()}" for evidence in finding.evidence)
    if help_uri:
        lines.append(f"help: {help_uri}")
    return "\n".join(lines)


def _waiver(paths: _Paths, waived: Waived) -> str:
    waiver = waived.waiver
    # A config-file waiver has no line (TOML gives none).
    by = paths.relative(waiver.file) + (f":{waiver.line}" if waiver.line else "")
    until = f" until {waiver.until}" if waiver.until else ""
    return f"waived by {by}{until}: {waiver.reason}"
