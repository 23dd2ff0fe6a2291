"""Fuzzing waivers and rule settings: generate a valid inline waiver, config waiver or
`rules:` entry for findings a fixture really produces, check that it does what it says,
then damage one part of it (a key's spelling, the quotes, the rule id, the date, extra
text). A damaged one must never remove a finding that the same run without it reports: it
is refused (exit 2, for the config file), or it waives and disables nothing.

Short profile in CI; the long one by hand (see tests/conftest.py and the README).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from fuzzing import run
from hypothesis import given
from hypothesis import strategies as st

from helpers import plan_path
from lintsov.builtin_rules import BUILTIN

PLAN = plan_path("sensitive_bucket_us_region")
# The findings both fixtures produce on their one sensitive bucket in us-east-1.
BUCKET = "aws_s3_bucket.customers"
WAIVABLE = ("SOV001", "SOV002")
KNOWN = frozenset(BUILTIN)
TEMPLATE = """provider "aws" {{
  region = "us-east-1"
}}

{waiver}
resource "aws_s3_bucket" "customers" {{
  tags = {{ data-classification = "confidential" }}
}}
"""
WAIVER_LINE = 5

Findings = frozenset[tuple[str, str]]


def findings(target: str, *args: str) -> tuple[int, Findings, str]:
    """Exit code, (rule, address) of every finding, and the output of a JSON run."""
    result = run(target, *args, "--format", "json", "--fail-on", "never", "--no-cache")
    if result.exit_code != 0:
        return result.exit_code, frozenset(), result.output
    document = json.loads(result.output)
    found = frozenset((f["rule"], f["address"]) for f in document["findings"])
    return 0, found, result.output


def judged(found: Findings) -> Findings:
    """The findings a waiver or a rule setting could remove (LSV001 is about waivers)."""
    return frozenset(f for f in found if f[0] != "LSV001")


def with_folder(waiver: str, check: Callable[[str], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="lintsov-fuzz-waiver-") as folder:
        (Path(folder) / "main.tf").write_text(TEMPLATE.format(waiver=waiver), encoding="utf-8")
        check(folder)


@cache
def folder_baseline() -> Findings:
    found: list[Findings] = []
    with_folder("# no waiver", lambda folder: found.append(findings("waiver", folder)[1]))
    assert {(rule, BUCKET) for rule in WAIVABLE} <= found[0]
    return found[0]


@cache
def plan_baseline() -> Findings:
    code, found, output = findings("config waiver", PLAN)
    assert code == 0, output
    assert {(rule, BUCKET) for rule in WAIVABLE} <= found
    return found


# --- damage --------------------------------------------------------------------------------


def misspelt(draw: st.DrawFn, word: str) -> str:
    """A near miss of ``word``: one letter dropped, doubled, swapped, changed or capitalised,
    or an s added."""
    at = draw(st.integers(0, len(word) - 1))
    how = draw(st.sampled_from(["drop", "double", "swap", "change", "capital", "plural"]))
    if how == "drop":
        spelt = word[:at] + word[at + 1 :]
    elif how == "double":
        spelt = word[:at] + word[at] + word[at:]
    elif how == "swap" and at + 1 < len(word) and word[at] != word[at + 1]:
        spelt = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif how == "capital":
        spelt = word[:at] + word[at].upper() + word[at + 1 :]
    elif how == "plural":
        spelt = word + "s"
    else:
        letter = draw(st.sampled_from("aeilnorstuxz"))
        spelt = word[:at] + (letter if letter != word[at] else "q") + word[at + 1 :]
    return spelt if spelt != word else word + "x"


def bad_rule(draw: st.DrawFn, rule: str) -> str:
    """A rule id that is not one lintsov has: malformed, or well formed and unknown."""
    damaged = draw(
        st.sampled_from(
            [
                rule[:-1],
                rule + "x",
                rule.replace("0", "O"),
                rule[:3] + "-" + rule[3:],
                rule[:3] + "0" + rule[3:],
                "SOV020",
                "SVO001",
                rule + ",",
            ]
        )
    )
    return damaged if damaged.upper() not in KNOWN else damaged + "9"


BAD_DATES = ["2027-02-30", "2099-13-01", "99-12-31", "soon", "2000-01-01", "2024-1-1", "20991231"]

# --- inline waivers ------------------------------------------------------------------------

REASONS = st.sampled_from(
    [
        '"EU DPA signed, ticket SEC-12"',
        "'EU DPA signed'",
        r'"contract \"EU-7\" with C:\\dpa"',
        r"'it\'s signed'",
        "bare-word-reason",
        "SEC-12",
    ]
)
UNTILS = st.sampled_from(["2099-12-31", '"2099-12-31"', "'2031-01-01'"])


@st.composite
def inline_waivers(draw: st.DrawFn) -> tuple[tuple[str, ...], str, str, str]:
    """(rules it waives, the valid waiver, a damaged one, what was damaged)."""
    rules = draw(st.lists(st.sampled_from(WAIVABLE), min_size=1, max_size=2, unique=True))
    written = [draw(st.sampled_from([r, r.lower()])) for r in rules]
    separator = draw(st.sampled_from([",", ", ", " , "]))
    fields = [["reason", draw(REASONS)]]
    if draw(st.booleans()):
        fields.append(["until", draw(UNTILS)])
    fields = draw(st.permutations(fields))
    opener = draw(st.sampled_from(["#", "# ", "//", "/*"]))
    closer = " */" if opener == "/*" else ""

    def render(ids: list[str], entries: list[list[str]], tail: str = "") -> str:
        body = " ".join(f"{key}={value}" for key, value in entries)
        return f"{opener} lintsov:ignore {separator.join(ids)} {body}{tail}{closer}"

    valid = render(written, fields)
    kind = draw(st.sampled_from(["key", "quote", "rule", "date", "extra", "no reason"]))
    damaged_rules, damaged_fields, tail = list(written), [list(f) for f in fields], ""
    if kind == "key":
        entry = draw(st.sampled_from(damaged_fields))
        entry[0] = misspelt(draw, entry[0])
    elif kind == "quote":
        entry = next(f for f in damaged_fields if f[0] == "reason")
        value = entry[1]
        if value[0] in "\"'":
            entry[1] = draw(
                st.sampled_from(
                    [
                        value[:-1],
                        value[:-1] + ("'" if value[0] == '"' else '"'),
                        value[:-1] + r"\q" + value[-1],
                    ]
                )
            )
        else:
            entry[1] = draw(
                st.sampled_from(['"' + value, value + "'", value[:2] + '"' + value[2:]])
            )
    elif kind == "rule":
        at = draw(st.integers(0, len(damaged_rules) - 1))
        damaged_rules[at] = bad_rule(draw, damaged_rules[at])
    elif kind == "date":
        damaged_fields = [f for f in damaged_fields if f[0] != "until"]
        damaged_fields.append(["until", draw(st.sampled_from(BAD_DATES))])
    elif kind == "extra":
        tail = draw(st.sampled_from([" DPA", " ticket=SEC-12", " and more", ' "x"', " ="]))
    else:
        damaged_fields = [f for f in damaged_fields if f[0] != "reason"]
    return tuple(rules), valid, render(damaged_rules, damaged_fields, tail), kind


@given(inline_waivers())
def test_a_damaged_inline_waiver_never_removes_a_finding(
    case: tuple[tuple[str, ...], str, str, str],
) -> None:
    rules, valid, damaged, kind = case
    baseline = folder_baseline()

    def waives(folder: str) -> None:
        code, found, output = findings("waiver", folder)
        assert code == 0, output
        # The valid waiver waives its rules' findings, and only those: the generator is real.
        assert judged(found) == baseline - {(rule, BUCKET) for rule in rules}, valid
        assert not [f for f in found if f[0] == "LSV001"], (valid, output)

    def waives_nothing(folder: str) -> None:
        code, found, output = findings("waiver", folder)
        assert code == 0, output
        assert judged(found) == baseline, (kind, damaged)
        # ... and says so, at the waiver's line.
        document = json.loads(output)
        lines = [
            f["location"]["line"]
            for f in document["findings"]
            if f["rule"] == "LSV001" and f["location"]
        ]
        assert WAIVER_LINE in lines, (kind, damaged, output)

    with_folder(valid, waives)
    with_folder(damaged, waives_nothing)


# --- config waivers and rule settings ------------------------------------------------------

ADDRESSES = st.sampled_from([BUCKET, "aws_s3_bucket.*", "*customers", "aws_s3_bucket.cust*", "*"])


def yaml_entry(fields: list[list[str]]) -> str:
    """One `waivers:` entry, every value double-quoted, one key a line."""
    lines = [f'{key}: "{value}"' for key, value in fields]
    return "waivers:\n  - " + "\n    ".join(lines) + "\n"


@st.composite
def config_waivers(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """(the rule it waives, the valid config, a damaged one, what was damaged)."""
    rule = draw(st.sampled_from(WAIVABLE))
    fields = [
        ["rule", rule],
        ["address", draw(ADDRESSES)],
        ["reason", draw(st.sampled_from(["EU DPA signed", "contract, ticket SEC-12"]))],
    ]
    if draw(st.booleans()):
        fields.append(["until", "2099-12-31"])
    fields = draw(st.permutations(fields))
    kind = draw(st.sampled_from(["key", "quote", "rule", "date", "extra", "address", "no reason"]))
    damaged = [list(f) for f in fields]
    text = ""
    if kind == "key":
        entry = draw(st.sampled_from(damaged))
        entry[0] = misspelt(draw, entry[0])
    elif kind == "rule":
        entry = next(f for f in damaged if f[0] == "rule")
        entry[1] = bad_rule(draw, entry[1])
    elif kind == "date":
        damaged = [f for f in damaged if f[0] != "until"]
        damaged.append(["until", draw(st.sampled_from([*BAD_DATES, "2099-12-31 or so"]))])
    elif kind == "extra":
        damaged.append([draw(st.sampled_from(["note", "ticket", "expires", "rules"])), "x"])
    elif kind == "address":
        entry = next(f for f in damaged if f[0] == "address")
        entry[1] = draw(st.sampled_from([entry[1] + "z", "module.gone." + entry[1]]))
    elif kind == "no reason":
        damaged = [f for f in damaged if f[0] != "reason"]
    if kind == "quote":
        # An opening quote that never closes: the file does not parse.
        text = yaml_entry(damaged)
        at = draw(st.integers(0, len(damaged) - 1))
        key, value = damaged[at]
        text = text.replace(f'{key}: "{value}"', f'{key}: "{value}', 1)
    return rule, yaml_entry(fields), text or yaml_entry(damaged), kind


def config_run(text: str) -> tuple[int, Findings, str, str]:
    with tempfile.TemporaryDirectory(prefix="lintsov-fuzz-config-") as folder:
        path = Path(folder) / ".lintsov.yaml"
        path.write_text(text, encoding="utf-8")
        code, found, output = findings("config waiver", PLAN, "--config", str(path))
        return code, found, output, str(path)


def refused_or_harmless(text: str, what: str) -> None:
    """A damaged config is refused with one line naming it, or removes no finding."""
    code, found, output, path = config_run(text)
    if code == 2:
        assert output.startswith(f"lintsov: error: {path}: "), (what, output)
        return
    assert code == 0, output
    assert judged(found) >= plan_baseline(), (what, text, output)


@given(config_waivers())
def test_a_damaged_config_waiver_never_removes_a_finding(case: tuple[str, str, str, str]) -> None:
    rule, valid, damaged, kind = case
    code, found, output, _path = config_run(valid)
    assert code == 0, output
    assert judged(found) == plan_baseline() - {(rule, BUCKET)}, valid
    refused_or_harmless(damaged, kind)


@st.composite
def rule_settings(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """(the rule it disables, the valid `rules:` entry, a damaged one, what was damaged)."""
    rule = draw(st.sampled_from([*WAIVABLE, "AUT001"]))
    severity = draw(st.sampled_from(["", ", severity: warning", ", severity: error"]))
    kind = draw(st.sampled_from(["key", "rule", "value", "severity", "extra"]))
    key, value, damaged_rule, extra = "enabled", "false", rule, severity
    if kind == "key":
        key = misspelt(draw, key)
    elif kind == "rule":
        damaged_rule = draw(st.sampled_from([bad_rule(draw, rule), rule.lower(), f'"{rule} "']))
    elif kind == "value":
        value = draw(st.sampled_from(['"false"', '"no"', "0", '""', "[false]", "null"]))
    elif kind == "severity":
        extra = draw(st.sampled_from([", severity: warn", ", severity: Error", ", level: warning"]))
    else:
        extra += draw(st.sampled_from([", note: x", ", disabled: true", ", enable: false"]))
    valid = f"rules:\n  {rule}: {{enabled: false{severity}}}\n"
    return rule, valid, f"rules:\n  {damaged_rule}: {{{key}: {value}{extra}}}\n", kind


@given(rule_settings())
def test_a_damaged_rules_entry_never_disables_a_rule_silently(
    case: tuple[str, str, str, str],
) -> None:
    rule, valid, damaged, kind = case
    code, found, output, _path = config_run(valid)
    assert code == 0, output
    assert not [f for f in found if f[0] == rule], valid
    assert judged(found) == frozenset(f for f in plan_baseline() if f[0] != rule)
    refused_or_harmless(damaged, kind)
