"""Binary plans: lintsov runs `tofu show -json` or `terraform show -json`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import cli, plan_path

ZIP_HEADER = b"PK\x03\x04" + b"\x00" * 26


def fake_tool(tmp_path: Path, body: str) -> str:
    tool = tmp_path / "fake-terraform"
    tool.write_text(f"#!/bin/sh\n{body}\n")
    tool.chmod(0o755)
    return str(tool)


def binary_plan(tmp_path: Path) -> str:
    path = tmp_path / "plan.tfplan"
    path.write_bytes(ZIP_HEADER)
    return str(path)


def test_binary_plan_read_through_show_json(tmp_path: Path) -> None:
    tool = fake_tool(tmp_path, f'cat "{plan_path("sensitive_bucket_us_region")}"')
    result = cli(binary_plan(tmp_path), "--terraform-bin", tool, "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    assert ("SOV001", "aws_s3_bucket.customers") in {(f["rule"], f["address"]) for f in findings}


def test_failing_show_is_exit_2_with_its_error(tmp_path: Path) -> None:
    tool = fake_tool(tmp_path, 'echo "Error: Failed to load plugin schemas" >&2; exit 1')
    plan = binary_plan(tmp_path)
    result = cli(plan, "--terraform-bin", tool)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"lintsov: error: {plan}: `fake-terraform show -json` "
        "failed: Error: Failed to load plugin schemas"
    )


def test_show_timeout_is_exit_2(tmp_path: Path) -> None:
    tool = fake_tool(tmp_path, "sleep 5")
    plan = binary_plan(tmp_path)
    result = cli(plan, "--terraform-bin", tool, "--show-timeout", "1")
    assert result.exit_code == 2
    assert "did not finish within 1 s" in result.output


def test_missing_binary_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    plan = binary_plan(tmp_path)
    result = cli(plan)
    assert result.exit_code == 2
    assert "neither tofu nor terraform is on PATH" in result.output
    result = cli(plan, "--terraform-bin", "no-such-tofu")
    assert result.exit_code == 2
    assert "--terraform-bin no-such-tofu was not found" in result.output


def test_show_output_that_is_not_json_is_exit_2(tmp_path: Path) -> None:
    tool = fake_tool(tmp_path, "echo 'not json'")
    result = cli(binary_plan(tmp_path), "--terraform-bin", tool)
    assert result.exit_code == 2
    assert "(via show -json): invalid JSON" in result.output


TOOL = shutil.which("tofu") or shutil.which("terraform")


@pytest.mark.integration
@pytest.mark.skipif(TOOL is None, reason="neither tofu nor terraform is on PATH")
def test_real_plan_with_terraform_data(tmp_path: Path) -> None:
    """init, plan -out and lintsov on a configuration that needs no provider download."""
    assert TOOL is not None
    (tmp_path / "main.tf").write_text('resource "terraform_data" "marker" {\n  input = "eu"\n}\n')
    env = {
        **os.environ,
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "TF_CLI_CONFIG_FILE": str(tmp_path / "none.tfrc"),
    }
    for args in (
        ["init", "-input=false", "-no-color"],
        ["plan", "-input=false", "-no-color", "-out=plan.tfplan"],
    ):
        done = subprocess.run(
            [TOOL, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    result = subprocess.run(
        [sys.executable, "-m", "lintsov", "inventory", "plan.tfplan", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (resource,) = json.loads(result.stdout)["inputs"][0]["resources"]
    assert resource["address"] == "terraform_data.marker"
    assert resource["provider"] == "terraform.io/builtin/terraform"
    assert resource["provider_kind"] == "utility"
    check = subprocess.run(
        [sys.executable, "-m", "lintsov", "plan.tfplan"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert check.returncode == 0, check.stderr
