"""Terraform's `sensitive` marks secret values: lintsov never prints them, in any format."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import cli, plan_path, run_lintsov
from lintsov.resolve.sensitivity import HIDDEN

SECRET = "hunter2-SECRET-VALUE"
FIXTURE = plan_path("terraform_sensitive_values")


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "text"),
        ("--format", "json"),
        ("--format", "sarif"),
        ("--format", "junit"),
        ("--format", "github"),
        ("--format", "gitlab"),
        ("--format", "markdown"),
        ("--profile", "residency"),
    ],
)
def test_check_formats_do_not_print_marked_values(args: tuple[str, ...]) -> None:
    result = cli(FIXTURE, *args)
    assert result.exit_code == 1
    assert SECRET not in result.output
    assert "=secret" not in result.output.lower()


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_inventory_formats_do_not_print_marked_values(fmt: str) -> None:
    output = cli("inventory", FIXTURE, "--format", fmt).output
    assert SECRET not in output
    assert "sensitivity=secret" not in output.lower()
    assert HIDDEN in output


def test_marked_classification_tag_still_counts_but_is_hidden() -> None:
    document = json.loads(cli(FIXTURE, "--format", "json").output)
    finding = next(f for f in document["findings"] if f["rule"] == "SOV001")
    sensitive = [e["text"] for e in finding["evidence"] if e["fact"] == "sensitive"]
    assert sensitive == [f"sensitive ← tag sensitivity={HIDDEN} ← tags of aws_db_instance.billing"]


def test_error_messages_and_debug_output_do_not_print_marked_values(tmp_path: object) -> None:
    broken = Path(FIXTURE).read_text().replace('"format_version": "1.2"', '"format_version": 7')
    path = os.path.join(str(tmp_path), "plan.json")
    with open(path, "w") as handle:
        handle.write(broken)
    done = run_lintsov(path, env={**os.environ, "LINTSOV_DEBUG": "1"})
    assert done.returncode == 2
    assert SECRET.encode() not in done.stdout + done.stderr
