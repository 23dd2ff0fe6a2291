"""benchmarks/stages.py: it times every stage of a real run, and its budget is the
arithmetic the README says it is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT
from lintsov.load import load, plan_json

# benchmarks/ is a folder of scripts, not a package; they import each other by name.
sys.path.insert(0, str(ROOT / "benchmarks"))
import stages


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stages") / "plan.json"
    generator = [sys.executable, str(ROOT / "benchmarks" / "generate_plan.py"), "300", str(path)]
    subprocess.run([*generator, "--seed", "3"], check=True, capture_output=True)
    return path


def test_every_stage_of_a_real_run_is_timed(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    assert stages.main([str(plan), "--repeat", "1", "--json", str(out)]) == 0
    figures: dict[str, Any] = json.loads(out.read_text())
    names = [name for name, _ in stages.STAGES]
    assert sorted(figures["stages_cpu_s"]) == sorted(names)
    # Every wrapped stage was seen and took time; the resources are the plan's.
    for name in ("start-up", "decoding", "stack", "resolving", "judging", "report"):
        assert figures["stages_cpu_s"][name] > 0, name
    assert figures["resources"] == len(load(str(plan)).resources)
    assert figures["floor_cpu_s"] > 0
    assert figures["json_load_cpu_s"] > 0
    # The whole run holds its stages: resolving alone is less than all of it.
    assert figures["stages_cpu_s"]["resolving"] < figures["run_cpu_s"]
    assert figures["budget"] == stages.budget(figures, 0.5)


def test_the_budget_is_what_the_target_leaves_for_resolving() -> None:
    figures = {
        "json_load_cpu_s": 6.0,
        "others_cpu_s": 2.0,
        "floor_cpu_s": 0.5,
        "resources": 50_000,
        "stages_cpu_s": {},
    }
    left = stages.budget(figures, 0.5)
    assert left["allowed_s"] == pytest.approx(3.0)
    assert left["resolving_allowed_s"] == pytest.approx(1.0)
    assert left["above_floor_s"] == pytest.approx(0.5)
    assert left["above_floor_us_per_resource"] == pytest.approx(10.0)


def test_a_stage_the_run_never_reaches_is_an_error_not_a_zero(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A command line that no longer calls the wrapped functions (renamed, say) must not
    # show them as stages that cost nothing.
    from lintsov import cli

    monkeypatch.setattr(cli, "main", lambda: None)
    decode = plan_json.decode_plan
    with pytest.raises(SystemExit, match="stages not seen in the run: load, decoding, stack"):
        stages._child_run(str(plan))
    assert plan_json.decode_plan is decode  # what it wrapped is put back


def test_the_report_names_each_stage_and_the_budget() -> None:
    figures = {
        "plan": "p.json",
        "file_bytes": 2_000_000,
        "resources": 1000,
        "repeat": 1,
        "stages_cpu_s": {name: 0.1 for name, _ in stages.STAGES},
        "run_cpu_s": 0.8,
        "others_cpu_s": 0.7,
        "json_load_cpu_s": 2.0,
        "floor_cpu_s": 0.05,
    }
    text = stages.report(figures, 0.5)
    for name, what in stages.STAGES:
        assert f"| {name} | 0.10 | {what} |" in text
    assert "| whole run | 0.80 | 0.40× json.load |" in text
    # 0.5 × 2.0 = 1.0 allowed; 1.0 − 0.7 = 0.3 for resolving; 0.25 above the floor.
    assert "leaves 0.30 s for resolving (now 0.10 s); above its floor, 0.25 s" in text
    assert "250.0 µs per resource" in text
