"""The repository's own habits: its pre-commit hooks, pinned tools, and `python -m pytest`
behaving like `pytest`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from helpers import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

BIN = Path(sys.executable).parent


def hooks() -> dict[str, dict[str, object]]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}


def test_the_pre_commit_config_runs_the_lint_type_and_manifest_checks() -> None:
    found = hooks()
    assert set(found) == {"ruff", "ruff-format", "mypy", "lintsov-manifest"}
    assert found["ruff"]["entry"] == "ruff check --force-exclude"
    assert found["ruff-format"]["entry"] == "ruff format --check --force-exclude"
    assert found["mypy"]["pass_filenames"] is False
    assert found["lintsov-manifest"]["entry"] == "pre-commit validate-manifest"
    assert re.search(str(found["lintsov-manifest"]["files"]), ".pre-commit-hooks.yaml")


def test_every_hook_runs_a_tool_the_test_extras_install() -> None:
    for hook_id, hook in hooks().items():
        tool = str(hook["entry"]).split()[0]
        assert shutil.which(tool, path=str(BIN)) or shutil.which(tool), (hook_id, tool)


def test_pre_commit_accepts_the_config() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_lint_type_and_coverage_tools_are_pinned_exactly() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    test = project["project"]["optional-dependencies"]["test"]
    pinned = {r.split("==")[0] for r in test if re.fullmatch(r"[A-Za-z0-9_-]+==[0-9][\w.]*", r)}
    assert {"ruff", "mypy", "coverage", "types-PyYAML"} <= pinned
    assert project["tool"]["coverage"]["report"]["fail_under"] > 0


def test_python_m_pytest_from_the_root_works_like_pytest() -> None:
    selection = ["-q", "-p", "no:cacheprovider", "tests/test_packaging.py"]
    module = subprocess.run(
        [sys.executable, "-m", "pytest", *selection],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=300,
    )
    script = subprocess.run(
        [str(BIN / "pytest"), *selection],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert module.returncode == script.returncode == 0, module.stdout.decode()
    tally = re.compile(rb"(\d+) passed")
    assert tally.findall(module.stdout) == tally.findall(script.stdout) != []
