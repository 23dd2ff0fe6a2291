"""AUT001's minimum: an input with fewer hosting-vendor resources than min_vendor_resources
(default 3) is not judged for vendor concentration; from the minimum on, it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import cli

PROVIDER = 'provider "aws" {\n  region = "eu-central-1"\n}\n'


def root_with(tmp_path: Path, count: int, config: str = "") -> Path:
    folder = tmp_path / "stack"
    folder.mkdir(parents=True)
    buckets = "".join(f'resource "aws_sqs_queue" "q{n}" {{\n}}\n\n' for n in range(count))
    (folder / "main.tf").write_text(PROVIDER + "\n" + buckets)
    if config:
        (folder / ".lintsov.yaml").write_text(config)
    return folder


def aut001(folder: Path) -> list[str]:
    done = cli(str(folder), "--format", "json", "--fail-on", "never")
    assert done.exit_code == 0, done.output
    return [f["message"] for f in json.loads(done.output)["findings"] if f["rule"] == "AUT001"]


@pytest.mark.parametrize("count", [1, 2])
def test_one_or_two_resources_are_not_judged_by_default(tmp_path: Path, count: int) -> None:
    assert aut001(root_with(tmp_path, count)) == []


def test_three_resources_on_one_vendor_are_judged_by_default(tmp_path: Path) -> None:
    assert aut001(root_with(tmp_path, 3)) == [
        "all 3 resources that depend on a hosting vendor depend on Amazon Web Services (AWS)"
    ]


def test_the_minimum_is_configurable_both_ways(tmp_path: Path) -> None:
    every = root_with(tmp_path / "a", 1, "min_vendor_resources: 1\n")
    assert aut001(every) == [
        "the only resource that depends on a hosting vendor depends on Amazon Web Services (AWS)"
    ]
    higher = root_with(tmp_path / "b", 4, "min_vendor_resources: 5\n")
    assert aut001(higher) == []


def test_a_minimum_below_one_is_a_config_error(tmp_path: Path) -> None:
    folder = root_with(tmp_path, 3, "min_vendor_resources: 0\n")
    done = cli(str(folder))
    assert done.exit_code == 2
    assert "invalid config: 0 is less than the minimum of 1 (at min_vendor_resources)" in (
        done.output
    )
