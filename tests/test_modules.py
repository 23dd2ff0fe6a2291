"""Root and reusable modules (lintsov.modules): which folder is which, and why; AUT001 spares
reusable modules; --callers lints a reusable module through the root modules that call it,
and names the root where a finding sits in the module's file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import ROOT, cli
from lintsov import modules

MONOREPO = ROOT / "fixtures" / "monorepo"


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    """A copy of fixtures/monorepo as a repository of its own (a `.git` folder marks its
    root), run from its root as pre-commit runs hooks."""
    copy = tmp_path / "monorepo"
    shutil.copytree(MONOREPO, copy)
    (copy / ".git").mkdir()
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        yield copy
    finally:
        os.chdir(cwd)


def test_a_called_folder_is_reusable_and_names_its_callers(repo: Path) -> None:
    role = modules.role(repo / "modules/storage", modules.scan(repo), modules.Overrides())
    assert role.reusable
    assert role.callers == ("stacks/eu", "stacks/us")
    assert role.reason == "called by stacks/eu (stacks/eu/main.tf:5) and 1 more"


def test_a_folder_with_its_own_provider_is_a_root(repo: Path) -> None:
    role = modules.role(repo / "stacks/us", modules.scan(repo), modules.Overrides())
    assert not role.reusable
    assert role.reason == 'it configures provider "aws" (main.tf:1)'


def test_a_folder_with_a_backend_only_is_a_root(repo: Path) -> None:
    (repo / "state").mkdir()
    (repo / "state" / "main.tf").write_text(
        'terraform {\n  backend "s3" {}\n}\n\nresource "aws_s3_bucket" "a" {}\n'
    )
    role = modules.role(repo / "state", modules.scan(repo), modules.Overrides())
    assert not role.reusable
    assert role.reason == 'it configures backend "s3" (main.tf:2)'


def test_a_folder_nobody_calls_without_provider_or_backend_is_reusable(repo: Path) -> None:
    (repo / "modules" / "spare").mkdir()
    (repo / "modules" / "spare" / "main.tf").write_text('resource "aws_s3_bucket" "a" {}\n')
    role = modules.role(repo / "modules/spare", modules.scan(repo), modules.Overrides())
    assert role.reusable
    assert role.callers == ()
    assert role.reason == "it configures no provider and no backend: whoever calls it does"


def test_config_globs_decide_before_the_rule(repo: Path) -> None:
    overrides = modules.Overrides(repo, root=("modules/*",), origin=".lintsov.yaml")
    role = modules.role(repo / "modules/storage", modules.scan(repo), overrides)
    assert not role.reusable
    assert role.reason == "modules.root 'modules/*' in .lintsov.yaml"
    overrides = modules.Overrides(repo, reusable=("stacks/us",), origin=".lintsov.yaml")
    assert modules.role(repo / "stacks/us", modules.scan(repo), overrides).reusable


def test_a_folder_in_both_config_lists_is_a_config_error(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("modules:\n  root: [stacks/*]\n  reusable: [stacks/us]\n")
    done = cli("stacks/us")
    assert done.exit_code == 2
    assert done.output.strip() == (
        "lintsov: error: stacks/us: .lintsov.yaml: invalid config: folder stacks/us matches "
        "both modules.root ('stacks/*') and modules.reusable ('stacks/us')"
    )


def test_modules_config_is_schema_checked(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("modules:\n  roots: [stacks/*]\n")
    done = cli("stacks/us")
    assert done.exit_code == 2
    assert "invalid config: Additional properties are not allowed ('roots'" in done.output
    assert "(at modules)" in done.output


def test_aut001_does_not_judge_a_reusable_module(repo: Path) -> None:
    (repo / "modules" / "storage" / "more.tf").write_text(
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
    )
    done = cli("modules/storage", "--format", "json")
    rules = {f["rule"] for f in json.loads(done.output)["findings"]}
    assert "AUT001" not in rules
    assert "SOV003" in rules  # the module alone cannot be placed: the reason to use --callers


def test_aut001_judges_the_same_folder_when_config_names_it_a_root(repo: Path) -> None:
    (repo / "modules" / "storage" / "more.tf").write_text(
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
    )
    (repo / ".lintsov.yaml").write_text("modules:\n  root: [modules/storage]\n")
    done = cli("modules/storage", "--format", "compact")
    assert (
        # A whole-input finding points at the input's first resource block (no provider).
        "modules/storage/main.tf:6: warning AUT001 (all resources): all 3 resources that "
        "depend on a hosting vendor depend on Amazon Web Services (AWS)"
    ) in done.output


def test_callers_lints_the_roots_and_names_them_in_the_module_s_file(repo: Path) -> None:
    done = cli("modules/storage/main.tf", "--callers", "--format", "compact")
    assert done.exit_code == 1
    lines = done.output.splitlines()
    assert (
        "modules/storage/main.tf:6: error SOV001 module.storage.aws_s3_bucket.customers: "
        "sensitive data stored in us-east-1 (US), under blocked jurisdiction US (in stacks/us)"
    ) in lines
    assert any(
        line.startswith("modules/storage/main.tf:6: error SOV002 module.storage")
        and line.endswith("(here eu-central-1) (in stacks/eu)")
        for line in lines
    )
    # The roots were judged, not the module: no "region unknown" from reading it alone.
    assert not any("SOV003" in line for line in lines)
    assert lines[-1].endswith("in 2 inputs · profile sovereignty, blocked: US · no config file")


def test_text_report_names_the_root_beside_the_module_s_file(repo: Path) -> None:
    done = cli("modules/storage", "--callers", "--no-color")
    assert (
        "  SOV001 module.storage.aws_s3_bucket.customers  (modules/storage/main.tf:6 in stacks/us)"
    ) in done.output.splitlines()
    # A root's own file needs no naming.
    assert "  SOV002 aws_kms_key.eu  (stacks/eu/main.tf:10)" in done.output.splitlines()


def test_callers_follows_reusable_modules_up_to_the_roots(repo: Path) -> None:
    (repo / "modules" / "data").mkdir()
    (repo / "modules" / "data" / "main.tf").write_text(
        'module "storage" {\n  source = "../storage"\n  name = "x"\n}\n'
    )
    (repo / "stacks" / "de").mkdir()
    (repo / "stacks" / "de" / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-central-1"\n}\n\n'
        'module "data" {\n  source = "../../modules/data"\n}\n'
    )
    layout = modules.scan(repo)
    roots = modules.calling_roots(repo / "modules/storage", layout, lambda _: modules.Overrides())
    assert [r.relative_to(repo).as_posix() for r in roots] == [
        "stacks/de",
        "stacks/eu",
        "stacks/us",
    ]


def test_callers_keeps_a_root_and_a_module_nobody_calls(repo: Path) -> None:
    (repo / "modules" / "spare").mkdir()
    (repo / "modules" / "spare" / "main.tf").write_text('resource "aws_s3_bucket" "a" {}\n')
    layouts = modules.Layouts()
    found = modules.through_callers(
        ["stacks/us", "modules/spare", "modules/storage"],
        layouts,
        lambda _: modules.Overrides(),
        repo,
    )
    assert found == ["stacks/us", "modules/spare", "stacks/eu"]


def test_without_callers_a_module_is_linted_as_itself(repo: Path) -> None:
    done = cli("modules/storage/main.tf", "--format", "compact")
    assert "modules/storage/main.tf:6: warning SOV003 aws_s3_bucket.customers" in done.output


def test_a_module_call_in_a_file_that_does_not_parse_is_an_input_error(repo: Path) -> None:
    (repo / "stacks" / "broken").mkdir()
    (repo / "stacks" / "broken" / "main.tf").write_text('module "x" {\n  source = "../a"\n')
    done = cli("modules/storage", "--callers")
    assert done.exit_code == 2
    (line,) = done.output.splitlines()
    assert line.startswith("lintsov: error: stacks/broken/main.tf: ")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hidden_folders_such_as_terraform_downloads_are_not_callers(repo: Path) -> None:
    downloaded = repo / "stacks" / "us" / ".terraform" / "modules" / "copy"
    downloaded.mkdir(parents=True)
    (downloaded / "main.tf").write_text('module "s" {\n  source = "../../../../../modules/x"\n}\n')
    subprocess.run(["git", "init", "-q"], cwd=repo, check=False, capture_output=True)
    layout = modules.scan(repo)
    assert all(".terraform" not in str(c.caller) for calls in layout.calls.values() for c in calls)


def test_the_report_says_why_a_reusable_module_is_not_judged_for_aut001(repo: Path) -> None:
    document = json.loads(cli("modules/storage", "--format", "json").output)
    (only,) = document["inputs"]
    assert only["notes"] == [
        "a reusable module (called by stacks/eu (stacks/eu/main.tf:5) and 1 more): AUT001 "
        "leaves its vendor to the root modules that call it"
    ]
    roots = json.loads(cli("stacks/us", "--format", "json").output)["inputs"]
    assert roots[0]["notes"] == []


def test_aggregate_counts_a_reusable_module_through_its_callers_only(repo: Path) -> None:
    (repo / "stacks" / "eu" / "more.tf").write_text(
        'terraform {\n  required_providers {\n    hcloud = { source = "hetznercloud/hcloud" }\n'
        '  }\n}\n\nresource "hcloud_volume" "v" {\n  name = "v"\n  size = 10\n'
        '  location = "fsn1"\n}\n'
    )
    (repo / ".lintsov.yaml").write_text("max_vendor_share: 0.8\n")
    done = cli("modules/storage", "stacks/eu", "stacks/us", "--aggregate", "--format", "json")
    (finding,) = [f for f in json.loads(done.output)["findings"] if f["rule"] == "AUT001"]
    # 5 AWS resources in the two stacks (the module's 2 counted once per caller), not 7.
    assert finding["message"] == (
        "Amazon Web Services (AWS) holds 5 of 6 hosting-vendor resources (83%), at or above "
        "max_vendor_share 0.8"
    )
