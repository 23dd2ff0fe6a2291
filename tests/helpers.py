"""Shared test helpers (imported as `helpers`: tests/ is on sys.path under pytest)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from lintsov import catalogue
from lintsov.cli import main
from lintsov.inventory import Inventory, ResolvedResource
from lintsov.load import LoadOptions
from lintsov.pipeline import Outcome, inventories, judge
from lintsov.policy import Policy
from lintsov.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "fixtures" / "plans"
CORPUS = ROOT.parent / "shared" / "corpus"


def plan_path(name: str) -> str:
    return str(PLANS / f"{name}.json")


def cli(*args: str) -> Result:
    """Run the CLI in-process; exceptions propagate so that a traceback fails the test."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def inventory_of(name: str, policy: Policy | None = None) -> Inventory:
    (found,) = inventories(
        [plan_path(name)], catalogue.builtin(), policy or Policy(), LoadOptions()
    )
    return found


def resource(name: str, address: str, policy: Policy | None = None) -> ResolvedResource:
    for item in inventory_of(name, policy).resources:
        if item.address == address:
            return item
    raise AssertionError(f"{address} not in {name}")


def outcome_of(name: str, policy: Policy | None = None) -> Outcome:
    policy = policy or Policy()
    return judge((inventory_of(name, policy),), load_rules(), policy)


def findings_of(name: str, policy: Policy | None = None) -> set[tuple[str, str]]:
    return {(f.rule, f.address) for f in outcome_of(name, policy).findings}


def write_json(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def run_lintsov(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """`python -m lintsov` in a child process, as a user runs it.

    It runs from tests/ so that `-m` finds the installed package, as a user's run does (the
    source tree judges too: tests/test_builtin_rules.py runs it on its own).
    """
    return subprocess.run(
        [sys.executable, "-m", "lintsov", *args],
        capture_output=True,
        check=False,
        timeout=timeout,
        env=env,
        cwd=Path(__file__).resolve().parent,
    )


HCL = ROOT / "fixtures" / "hcl"


def hcl_path(name: str) -> str:
    return str(HCL / name)


def folder_inventory(name: str, policy: Policy | None = None, **hcl: Any) -> Inventory:
    from lintsov.load import LoadOptions as Options
    from lintsov.load.hcl_options import HclOptions

    options = Options(hcl=HclOptions(**hcl))
    (found,) = inventories([hcl_path(name)], catalogue.builtin(), policy or Policy(), options)
    return found


def folder_findings(name: str, policy: Policy | None = None) -> set[tuple[str, str]]:
    policy = policy or Policy()
    outcome = judge((folder_inventory(name, policy),), load_rules(), policy)
    return {(f.rule, f.address) for f in outcome.findings}


def rows(path: str, *args: str) -> dict[str, dict[str, Any]]:
    """The first input's inventory rows, by address."""
    result = cli("inventory", path, "--format", "json", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    return {r["address"]: r for r in json.loads(result.output)["inputs"][0]["resources"]}


def findings(path: str, *args: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The findings of a run that never fails, by (rule, address)."""
    result = cli(path, "--format", "json", "--fail-on", "never", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    return {(f["rule"], f["address"]): f for f in json.loads(result.output)["findings"]}


def evidence(row: dict[str, Any], fact: str) -> list[str]:
    """The texts of a row's (or finding's) evidence for one fact."""
    return [e["text"] for e in row["evidence"] if e["fact"] == fact]
