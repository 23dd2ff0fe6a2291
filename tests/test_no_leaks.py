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


def _plant(node: object, counter: list[int]) -> object:
    """Every string value replaced by a unique planted secret."""
    if isinstance(node, dict):
        return {key: _plant(value, counter) for key, value in node.items()}
    if isinstance(node, list):
        return [_plant(value, counter) for value in node]
    if isinstance(node, str):
        counter[0] += 1
        return f"PLANTED-{counter[0]}-SECRET"
    return node


def _marked(node: object) -> object:
    """The after_sensitive mirror of a value: every leaf marked sensitive."""
    if isinstance(node, dict):
        return {key: _marked(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_marked(value) for value in node]
    return True


def planted_plan(source: Path, target: Path) -> None:
    document = json.loads(source.read_text())
    counter = [0]
    for change in document.get("resource_changes", []):
        after = change.get("change", {}).get("after")
        if isinstance(after, dict):
            change["change"]["after"] = _plant(after, counter)
            change["change"]["after_sensitive"] = _marked(after)
    for resource in document.get("planned_values", {}).get("root_module", {}).get("resources", []):
        if isinstance(resource.get("values"), dict):
            resource["values"] = _plant(resource["values"], counter)
            resource["sensitive_values"] = _marked(resource["values"])
    target.write_text(json.dumps(document))


PLAN_FIXTURES = sorted(Path(FIXTURE).parent.glob("*.json"))
ALL_FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "markdown")


@pytest.mark.parametrize("fixture", PLAN_FIXTURES, ids=[p.stem for p in PLAN_FIXTURES])
def test_planted_secrets_never_appear_in_any_output(fixture: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    planted_plan(fixture, plan)
    outputs = []
    for fmt in ALL_FORMATS:
        result = cli(str(plan), "--format", fmt, "--fail-on", "never", "--no-cache")
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    for fmt in ("text", "json", "csv"):
        outputs.append(cli("inventory", str(plan), "--format", fmt, "--no-cache").output)
    # ... and with a baseline written and read back.
    baseline = tmp_path / "baseline.json"
    cli(str(plan), "--write-baseline", str(baseline), "--no-cache")
    outputs.append(baseline.read_text())
    leaked = [o for o in outputs if "PLANTED-" in o]
    assert leaked == [], leaked[0][:500] if leaked else ""
