"""Rule selection as ruff users know it: --select, --ignore (ids or prefixes, comma lists,
repeatable), --severity RULE=LEVEL, and the same in the config; unknown ids are usage
errors. Also `lintsov rules --format json`, the lint options in `lintsov --help`, --color."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import cli, plan_path

# SOV001 and SOV002 on aws_s3_bucket.customers (2 aws resources: too few for AUT001).
PLAN = plan_path("sensitive_bucket_us_region")


def rules_found(*args: str) -> list[tuple[str, str, str]]:
    done = cli(PLAN, "--format", "json", "--fail-on", "never", *args)
    assert done.exit_code == 0, done.output
    return sorted(
        (f["rule"], f["severity"], f["address"]) for f in json.loads(done.output)["findings"]
    )


def test_by_default_every_rule_runs() -> None:
    assert [r for r, _, _ in rules_found()] == ["SOV001", "SOV002"]


def test_select_by_id_runs_only_that_rule() -> None:
    assert rules_found("--select", "SOV002") == [("SOV002", "error", "aws_s3_bucket.customers")]


def test_select_by_prefix_and_comma_list() -> None:
    assert [r for r, _, _ in rules_found("--select", "LSV,SOV001")] == ["SOV001"]
    assert [r for r, _, _ in rules_found("--select", "SOV")] == ["SOV001", "SOV002"]


def test_ignore_by_prefix_is_repeatable() -> None:
    assert rules_found("--ignore", "SOV001", "--ignore", "AUT") == [
        ("SOV002", "error", "aws_s3_bucket.customers")
    ]


def test_severity_overrides_a_rule_for_one_run() -> None:
    assert rules_found("--severity", "SOV002=warning") == [
        ("SOV001", "error", "aws_s3_bucket.customers"),
        ("SOV002", "warning", "aws_s3_bucket.customers"),
    ]
    # A prefix names every rule it starts; a warning no longer fails the run.
    done = cli(PLAN, "--severity", "SOV=warning")
    assert done.exit_code == 0
    assert "✓ pass: 0 errors · 2 warnings" in done.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--select", "SOV9"),
            "lintsov: error: Invalid value for '--select': 'SOV9' is no rule id or prefix "
            "(rules: AUT001, LSV001, LSV002, SOV001, SOV002, SOV003, SOV004, SOV005, SOV006, "
            "SOV007, SOV008) "
            "(see lintsov --help)",
        ),
        (
            ("--ignore", "SOV001,,SOV002"),
            "lintsov: error: Invalid value for '--ignore': '' is no rule id or prefix "
            "(rules: AUT001, LSV001, LSV002, SOV001, SOV002, SOV003, SOV004, SOV005, SOV006, "
            "SOV007, SOV008) "
            "(see lintsov --help)",
        ),
        (
            ("--severity", "SOV001=info"),
            "lintsov: error: Invalid value for '--severity': 'SOV001=info' is not "
            "RULE=error or RULE=warning (see lintsov --help)",
        ),
        (
            ("--severity", "XYZ=error"),
            "lintsov: error: Invalid value for '--severity': 'XYZ' is no rule id or prefix "
            "(rules: AUT001, LSV001, LSV002, SOV001, SOV002, SOV003, SOV004, SOV005, SOV006, "
            "SOV007, SOV008) "
            "(see lintsov --help)",
        ),
    ],
)
def test_unknown_rules_and_levels_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    done = cli(PLAN, *args)
    assert done.exit_code == 2
    assert done.output == message + "\n"


def test_select_and_ignore_in_the_config(tmp_path: Path) -> None:
    config = tmp_path / ".lintsov.yaml"
    config.write_text("select: [SOV]\nignore: [SOV001]\nrules:\n  SOV002: {severity: warning}\n")
    assert rules_found("--config", str(config)) == [
        ("SOV002", "warning", "aws_s3_bucket.customers")
    ]
    assert rules_found("--config", str(config), "--severity", "SOV002=error") == [
        ("SOV002", "error", "aws_s3_bucket.customers")
    ]


def test_command_line_select_replaces_the_config_s_and_ignore_adds(tmp_path: Path) -> None:
    config = tmp_path / ".lintsov.yaml"
    config.write_text("select: [SOV001]\n")
    assert [r for r, _, _ in rules_found("--config", str(config))] == ["SOV001"]
    assert [r for r, _, _ in rules_found("--config", str(config), "--select", "SOV002")] == [
        "SOV002"
    ]
    config.write_text("ignore: [SOV001]\n")
    assert [r for r, _, _ in rules_found("--config", str(config))] == ["SOV002"]
    assert rules_found("--config", str(config), "--ignore", "SOV002") == []


def test_an_unknown_prefix_in_the_config_is_refused_with_its_key(tmp_path: Path) -> None:
    config = tmp_path / ".lintsov.yaml"
    config.write_text("ignore: [SOV, XYZ]\n")
    done = cli(PLAN, "--config", str(config))
    assert done.exit_code == 2
    assert done.output.startswith(f"lintsov: error: {config}: invalid config: 'XYZ' is no rule")
    assert done.output.rstrip().endswith("(at ignore[1])")


def test_selecting_away_every_rule_is_refused() -> None:
    done = cli(PLAN, "--ignore", "SOV,AUT,LSV")
    assert done.exit_code == 2
    assert "disables every rule" in done.output


def test_rules_as_json() -> None:
    done = cli("rules", "--format", "json")
    assert done.exit_code == 0
    listed = json.loads(done.output)["rules"]
    assert [r["id"] for r in listed] == sorted(r["id"] for r in listed)
    assert {
        "id": "AUT001",
        "title": "All resources depend on one hosting vendor",
        "severity": "warning",
        "scope": "input",
        "origin": "lintsov",
        "help_uri": "https://github.com/lintsov/lintsov/blob/main/docs/rules.md#aut001",
    } in listed


def test_help_shows_the_lint_options_and_whole_command_descriptions() -> None:
    text = cli("--help").output
    lint = text.index("Lint options (lintsov [OPTIONS] PATH...):")
    for option in ("--format", "--select", "--ignore", "--severity", "--color", "--callers"):
        assert text.index(f"  {option} ", lint) > lint
    commands = text[text.index("Commands:") :].splitlines()[1:]
    assert len(commands) == 6
    assert not [line for line in commands if line.endswith("...")]


def test_usage_errors_point_at_lintsov_help() -> None:
    done = cli(PLAN, "--bogus")
    assert done.exit_code == 2
    assert done.output.endswith("(see lintsov --help)\n")
    assert "lintsov check" not in done.output


def test_color_always_never_auto() -> None:
    assert "\x1b[31;1m" in cli(PLAN, "--color", "always").output
    assert "\x1b[" not in cli(PLAN, "--color", "never").output
    assert "\x1b[" not in cli(PLAN).output  # auto: the test's output is no terminal
    assert cli(PLAN, "--color", "sometimes").exit_code == 2


def test_compact_is_one_line_per_finding_then_the_summary() -> None:
    done = cli(PLAN, "--format", "compact")
    assert done.exit_code == 1
    lines = done.output.splitlines()
    assert lines[0] == (
        "fixtures/plans/sensitive_bucket_us_region.json: error SOV001 "
        "aws_s3_bucket.customers: sensitive data stored in us-east-1 (US), under blocked "
        "jurisdiction US"
    )
    assert len(lines) == 3
    assert lines[-1].startswith("✗ fail: 2 errors · 0 warnings")
