"""What the command line refuses rather than guesses: an output format it does not know, a
number it cannot use, a value too long to quote whole; and how it stops when the reader of
its output goes away."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import PLANS, cli, plan_path, write_json

PLAN = plan_path("sensitive_bucket_us_region")
FORMATS = "text, compact, json, sarif, junit, github, gitlab, markdown, html"


def usage_error(*args: str) -> str:
    """The one line a usage error prints (exit 2)."""
    result = cli(*args)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("lintsov: error: ")
    return lines[0]


# --- -o FORMAT=FILE ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "name"), [("sarf=x.sarif", "sarf"), ("SARIF=x.sarif", "SARIF"), ("=x", "")]
)
def test_an_unknown_format_before_equals_is_a_usage_error(
    value: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert usage_error(PLAN, "-o", value) == (
        f"lintsov: error: Invalid value for '--output' / '-o': '{value}': '{name}' is not a "
        f"format ({FORMATS}); a file whose name holds '=' is written ./{value} "
        "(see lintsov --help)"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_with_equals_is_written_with_a_folder_in_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(PLAN, "--format", "json", "-o", "./sarf=x.sarif", "-o", "sarif=out.sarif")
    assert result.exit_code == 1, result.output
    assert json.loads((tmp_path / "sarf=x.sarif").read_text())["summary"]["errors"] == 2
    assert json.loads((tmp_path / "out.sarif").read_text())["version"] == "2.1.0"


# --- numeric options ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "nan", "1e300", "-1", "0", "86401", "ten", ""])
def test_show_timeout_is_a_finite_number_of_seconds(value: str) -> None:
    assert usage_error(PLAN, "--show-timeout", value) == (
        f"lintsov: error: Invalid value for '--show-timeout': '{value}' is not a number of "
        "seconds from 1 to 86400 (see lintsov --help)"
    )


@pytest.mark.parametrize("value", ["0", "257", "1.5", "-3", "many", "9" * 5000])
def test_jobs_is_a_whole_number_of_processes(value: str) -> None:
    line = usage_error(PLAN, "--jobs", value)
    assert line.endswith("is not a whole number of processes from 1 to 256 (see lintsov --help)")
    assert len(line) < 250


@pytest.mark.parametrize(
    "value", ["0", "0GiB", "2TiB", "1099511627777", "5XB", "1.5GB", "9" * 5000]
)
def test_max_input_size_is_a_size_up_to_a_tebibyte(value: str) -> None:
    line = usage_error(PLAN, "--max-input-size", value)
    assert line.endswith(
        "is not a size such as 1GiB, 500MB or 1048576 (1 byte to 1TiB) (see lintsov --help)"
    )
    assert len(line) < 300


def test_numbers_within_bounds_are_taken() -> None:
    result = cli(PLAN, "--show-timeout", "1.5", "--jobs", "256", "--max-input-size", "1TiB")
    assert result.exit_code == 1, result.output


# --- long values are cut ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "x" * 100_000),
        ("--block-jurisdiction", "x" * 100_000),
        ("-o", "x" * 100_000 + "=report"),
        ("--show-timeout", "9" * 100_000),
    ],
    ids=["format", "block-jurisdiction", "output", "show-timeout"],
)
def test_a_100_kb_option_value_is_not_echoed_whole(args: tuple[str, ...]) -> None:
    line = usage_error(PLAN, *args)
    assert len(line) < 400
    assert "…" in line


def test_a_100_kb_path_or_rule_is_not_echoed_whole() -> None:
    result = cli("x" * 100_000)
    assert result.exit_code == 2
    assert len(result.output) < 400
    assert result.output.endswith(": cannot read: File name too long\n")
    result = cli("explain", "x" * 100_000)
    assert result.exit_code == 2
    assert len(result.output) < 400


# --- a reader that goes away --------------------------------------------------------------


def many_findings(folder: Path, copies: int) -> str:
    """The US-region plan with ``copies`` sensitive buckets: far more text than a pipe holds."""
    document: dict[str, Any] = json.loads((PLANS / "sensitive_bucket_us_region.json").read_text())
    changes, configured = document["resource_changes"], document["configuration"]["root_module"]
    (change,) = [c for c in changes if c["name"] == "customers"]
    (resource,) = [r for r in configured["resources"] if r["name"] == "customers"]
    for number in range(copies):
        for source, target in ((change, changes), (resource, configured["resources"])):
            twin = copy.deepcopy(source)
            twin["address"], twin["name"] = f"aws_s3_bucket.c{number}", f"c{number}"
            target.append(twin)
    return write_json(folder / "plan.json", document)


def closed_reader(*args: str) -> subprocess.CompletedProcess[bytes]:
    """lintsov writing into a pipe whose reading end was closed before it started."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        return subprocess.run(
            [sys.executable, "-m", "lintsov", *args],
            stdout=writing,
            stderr=subprocess.PIPE,
            check=False,
            timeout=120,
            cwd=Path(__file__).resolve().parent,
        )
    finally:
        os.close(writing)


@pytest.mark.parametrize(
    "args",
    [("rules",), ("catalog",), ("catalog", "--format", "json"), ("config-schema",)],
    ids=["rules", "catalog", "catalog-json", "config-schema"],
)
def test_a_reader_that_goes_away_ends_the_command_quietly(args: tuple[str, ...]) -> None:
    done = closed_reader(*args)
    assert (done.returncode, done.stderr) == (1, b"")


def test_a_lint_run_whose_reader_goes_away_is_quiet_and_never_passes(tmp_path: Path) -> None:
    plan = many_findings(tmp_path, 300)
    done = closed_reader(plan, "--no-cache")
    assert (done.returncode, done.stderr) == (1, b"")
    # A clean run too: the report was not delivered, so it is not a pass.
    done = closed_reader(plan_path("sensitive_data_eu_vendors"), "--no-cache")
    assert (done.returncode, done.stderr) == (1, b"")
    with open(os.devnull, "wb") as devnull:
        delivered = subprocess.run(
            [sys.executable, "-m", "lintsov", plan_path("sensitive_data_eu_vendors")],
            stdout=devnull,
            check=False,
            timeout=120,
        )
    assert delivered.returncode == 0


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("XX", "XX is not an assigned ISO 3166-1 alpha-2 country code"),
        ("uk", "UK is not an assigned ISO 3166-1 alpha-2 country code (use GB)"),
        ("EU", "EU is not an assigned ISO 3166-1 alpha-2 country code (use the member states'"),
    ],
)
def test_a_blocked_jurisdiction_that_names_no_country_is_refused(code: str, said: str) -> None:
    """It would match no resolved country and so block nothing: a pass without judging."""
    result = cli(plan_path("sensitive_bucket_us_region"), "--block-jurisdiction", code)
    assert result.exit_code == 2
    assert said in result.output


def test_a_config_blocked_jurisdiction_that_names_no_country_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "lintsov.yaml"
    config.write_text("block_jurisdictions: [US, XX]\n")
    result = cli(plan_path("sensitive_bucket_us_region"), "--config", str(config))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"lintsov: error: {config}: invalid config: XX is not an assigned ISO 3166-1 alpha-2 "
        "country code (at block_jurisdictions[1])"
    )


def test_a_plan_that_errored_is_refused_not_judged(tmp_path: Path) -> None:
    """Terraform writes `errored: true` when planning failed: what it planned after the error
    is missing, so a clean report would pass what was never planned."""
    plan = json.loads(Path(plan_path("sensitive_bucket_us_region")).read_text())
    plan["format_version"] = "1.2"
    plan["errored"] = True
    path = write_json(tmp_path / "errored.json", plan)
    result = cli(str(path))
    assert result.exit_code == 2
    assert "the plan is incomplete: Terraform stopped with an error while planning" in (
        result.output
    )
    plan["errored"] = False
    assert cli(str(write_json(tmp_path / "fine.json", plan))).exit_code == 1
