"""The GitHub Action: action.yml is a composite action whose lint step is
.github/lintsov-action.sh. The script is run here as the runner runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import ROOT, plan_path

SCRIPT = ROOT / ".github" / "lintsov-action.sh"


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    return loaded


def test_action_is_composite_with_the_documented_inputs(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    assert {"paths", "format", "fail-on", "config", "upload-sarif"} <= set(action["inputs"])
    assert "category" in action["inputs"]


def test_inputs_never_reach_a_shell_unquoted(action: dict[str, Any]) -> None:
    # A path or option pasted into `run:` could inject shell code; inputs go through env.
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash"


def run_script(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    summary = tmp_path / "summary.md"
    outputs = tmp_path / "outputs"
    bin_folder = str(Path(sys.executable).parent)
    done = subprocess.run(
        ["bash", str(SCRIPT)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={
            **os.environ,
            "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(outputs),
            "LINTSOV_CACHE_DIR": str(tmp_path / "cache"),
            **env,
        },
    )
    return done, tmp_path


def test_lint_step_annotates_writes_sarif_and_the_summary(tmp_path: Path) -> None:
    done, folder = run_script(
        tmp_path,
        LINTSOV_PATHS=f"{plan_path('sensitive_bucket_us_region')}\n{plan_path('multi_vendor')}",
    )
    assert done.returncode == 0, done.stderr  # the last step fails the job, not this one
    assert re.search(r"^::error .*title=SOV001", done.stdout, re.M), done.stdout
    sarif = json.loads((folder / "lintsov.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"SOV001", "SOV002"}
    assert "lintsov: fail" in (folder / "summary.md").read_text()
    assert (folder / "outputs").read_text() == "exit-code=1\n"


def test_lint_step_passes_options_through(tmp_path: Path) -> None:
    config = tmp_path / "policy.yaml"
    # The plan's 2 resources are judged by AUT001 only with its minimum lowered.
    config.write_text("profile: residency\nmin_vendor_resources: 1\n")
    done, folder = run_script(
        tmp_path,
        LINTSOV_PATHS=plan_path("sensitive_bucket_eu_region_us_vendor"),
        LINTSOV_FORMAT="json",
        LINTSOV_CONFIG=str(config),
        LINTSOV_FAIL_ON="warning",
        LINTSOV_ARGS="--block-jurisdiction US --quiet",
    )
    document = json.loads(done.stdout)
    assert document["policy"]["profile"] == "residency"
    assert document["policy"]["fail_on"] == "warning"
    # AUT001 is a warning, and warnings fail with fail-on warning.
    assert (folder / "outputs").read_text() == "exit-code=1\n"


def test_unreadable_input_is_exit_code_2(tmp_path: Path) -> None:
    done, folder = run_script(tmp_path, LINTSOV_PATHS=str(tmp_path / "missing.json"))
    assert "lintsov: error:" in done.stderr
    assert (folder / "outputs").read_text() == "exit-code=2\n"
