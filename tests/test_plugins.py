"""Third-party rules register under the `lintsov.checks` entry points and load like the
built-in ones. The example distribution in tests/plugin_dist is installed the way pip lays
a wheel out (the package plus its .dist-info with entry_points.txt) into a temporary
folder on PYTHONPATH: importlib.metadata discovers it for real, without network."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, plan_path, run_lintsov

PLUGIN = ROOT / "tests" / "plugin_dist"


def install(target: Path, entry_points: str, name: str = "lintsov-example-rules") -> dict[str, str]:
    """Install the example distribution into ``target`` (under another distribution
    ``name`` if asked); the environment that sees it."""
    if not (target / "lintsov_example_rules").exists():
        shutil.copytree(PLUGIN / "lintsov_example_rules", target / "lintsov_example_rules")
    info = target / f"{name.replace('-', '_')}-1.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0.0\n")
    (info / "entry_points.txt").write_text(entry_points)
    (info / "top_level.txt").write_text("lintsov_example_rules\n")
    (info / "RECORD").write_text("")
    return {**os.environ, "PYTHONPATH": str(target)}


ENTRY_POINTS = "[lintsov.checks]\nEXA001 = lintsov_example_rules.germany_only\n"


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return install(tmp_path_factory.mktemp("site"), ENTRY_POINTS)


def test_the_example_distribution_declares_the_entry_point() -> None:
    # The test's installed layout matches what the distribution's own metadata declares.
    text = (PLUGIN / "pyproject.toml").read_text()
    assert '[project.entry-points."lintsov.checks"]' in text
    assert 'EXA001 = "lintsov_example_rules.germany_only"' in text


def test_plugin_rule_is_listed_with_its_distribution(plugin_env: dict[str, str]) -> None:
    done = run_lintsov("rules", env=plugin_env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    (row,) = [line for line in lines if line.startswith("EXA001")]
    assert row.split()[1] == "warning"
    assert row.endswith("lintsov-example-rules")
    # The built-in rules are found the same way, beside it.
    assert {line.split()[0] for line in lines[1:]} >= {"SOV001", "SOV002", "AUT001", "EXA001"}


def test_plugin_rule_explains_itself(plugin_env: dict[str, str]) -> None:
    done = run_lintsov("explain", "exa001", env=plugin_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith(
        "EXA001 (warning): Data-holding resource outside Germany"
    )
    assert "data processing agreement names German data centres" in done.stdout.decode()


def test_plugin_rule_reports_findings_like_a_built_in_rule(plugin_env: dict[str, str]) -> None:
    done = run_lintsov(plan_path("sensitive_bucket_us_region"), "--format", "json", env=plugin_env)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    ours = [f for f in findings if f["rule"] == "EXA001"]
    assert [(f["address"], f["severity"], f["message"]) for f in ours] == [
        ("aws_s3_bucket.assets", "warning", "data held in US, outside Germany"),
        ("aws_s3_bucket.customers", "warning", "data held in US, outside Germany"),
    ]
    assert "country US ← region us-east-1" in ours[0]["evidence"][-1]["text"]


def test_plugin_rule_obeys_the_config(plugin_env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "lintsov.yaml"
    config.write_text("rules:\n  EXA001: {enabled: false}\n")
    done = run_lintsov(
        plan_path("sensitive_bucket_us_region"),
        "--format",
        "json",
        "--config",
        str(config),
        env=plugin_env,
    )
    assert "EXA001" not in {f["rule"] for f in json.loads(done.stdout)["findings"]}


def test_a_waiver_may_name_a_plugin_rule_only_while_the_plugin_is_loaded(
    plugin_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        '# lintsov:ignore EXA001 reason="German DPA, ticket SEC-3"\n'
        'resource "aws_s3_bucket" "records" {\n}\n'
    )
    args = (str(tmp_path), "--format", "json", "--no-cache", "--fail-on", "never")
    loaded = json.loads(run_lintsov(*args, env=plugin_env).stdout)
    assert [(w["rule"], w["address"]) for w in loaded["waived"]] == [
        ("EXA001", "aws_s3_bucket.records")
    ]
    assert "LSV001" not in {f["rule"] for f in loaded["findings"]}
    alone = json.loads(run_lintsov(*args).stdout)
    assert alone["waived"] == []
    (problem,) = [f["message"] for f in alone["findings"] if f["rule"] == "LSV001"]
    assert problem.startswith("the waiver for EXA001 names EXA001, not a rule lintsov has")


def test_a_broken_plugin_stops_the_run(tmp_path: Path) -> None:
    env = install(tmp_path, "[lintsov.checks]\nEXA001 = lintsov_example_rules.missing\n")
    done = run_lintsov(plan_path("sensitive_bucket_us_region"), env=env)
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "lintsov: error: rule EXA001 (lintsov_example_rules.missing) failed to load: "
        "No module named 'lintsov_example_rules.missing'\n"
    )


def test_a_plugin_that_breaks_the_contract_stops_the_run(tmp_path: Path) -> None:
    env = install(tmp_path, "[lintsov.checks]\nEXA002 = lintsov_example_rules.germany_only\n")
    done = run_lintsov(plan_path("sensitive_bucket_us_region"), env=env)
    assert done.returncode == 2
    assert "rule EXA002 (lintsov_example_rules.germany_only) must define ID = 'EXA002'" in (
        done.stderr.decode()
    )


def test_a_plugin_may_not_replace_a_built_in_rule(tmp_path: Path) -> None:
    env = install(tmp_path, "[lintsov.checks]\nSOV001 = lintsov_example_rules.germany_only\n")
    done = run_lintsov(plan_path("sensitive_bucket_us_region"), env=env)
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == (
        "lintsov: error: plugin lintsov-example-rules registers rule SOV001 "
        "(lintsov_example_rules.germany_only), an id a built-in rule already has; a plugin "
        "may not replace another rule\n"
    )


def test_two_plugins_may_not_share_a_rule_id(tmp_path: Path) -> None:
    install(tmp_path, ENTRY_POINTS)
    env = install(tmp_path, ENTRY_POINTS, name="other-rules")
    done = run_lintsov("rules", env=env)
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "lintsov: error: plugin other-rules registers rule EXA001 "
        "(lintsov_example_rules.germany_only), an id lintsov-example-rules already has; a "
        "plugin may not replace another rule\n"
    )


def test_plugin_is_importable_only_through_the_installed_layout() -> None:
    # Without the install, the example package is not on the path: the tests above
    # prove discovery, not an accident of the working directory.
    done = subprocess.run(
        [sys.executable, "-c", "import lintsov_example_rules"],
        capture_output=True,
        check=False,
        cwd=ROOT / "tests",
    )
    assert done.returncode != 0
