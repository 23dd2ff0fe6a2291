"""The real pre-commit runs lintsov's hooks from this repository (pre-commit try-repo) in a
temporary git repository: it fails on a violating change and passes on a clean one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

VIOLATING = """provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "customers" {
  bucket = "acme-customers"
  tags   = { data-classification = "confidential" }
}
"""
CLEAN = """terraform {
  required_providers {
    hcloud = { source = "hetznercloud/hcloud" }
    scaleway = { source = "scaleway/scaleway" }
  }
}

resource "hcloud_volume" "customers" {
  name     = "customers"
  size     = 10
  location = "fsn1"
  labels   = { data-classification = "confidential" }
}

resource "scaleway_object_bucket" "backups" {
  name   = "acme-backups"
  region = "fr-par"
}
"""


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of this repository: try-repo runs what is committed there."""
    copy = tmp_path_factory.mktemp("hook-repo") / "lintsov"
    ignore = shutil.ignore_patterns(
        ".git",
        ".venv",
        ".ci",
        "__pycache__",
        "*.egg-info",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        "build",
    )
    shutil.copytree(ROOT, copy, ignore=ignore)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "hooks")
    return copy


def try_repo(
    hook_repo: Path, work: Path, hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    """Run the hook on ``files`` (as if only they changed), else on every file."""
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(hook_repo.parent / "pre-commit-home"),
        "LINTSOV_CACHE_DIR": str(hook_repo.parent / "lintsov-cache"),
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            hook,
            *(("--files", *files) if files else ("--all-files",)),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )


def project(tmp_path: Path, text: str) -> Path:
    work = tmp_path / "infra"
    (work / "prod").mkdir(parents=True)
    (work / "prod" / "main.tf").write_text(text)
    git(work, "init", "-q")
    git(work, "add", "-A")
    return work


def test_hook_fails_on_a_violating_change(hook_repo: Path, tmp_path: Path) -> None:
    done = try_repo(hook_repo, project(tmp_path, VIOLATING), "lintsov")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "SOV001 aws_s3_bucket.customers" in done.stdout
    assert "prod/main.tf:5" in done.stdout


def test_hook_passes_on_a_clean_change(hook_repo: Path, tmp_path: Path) -> None:
    done = try_repo(hook_repo, project(tmp_path, CLEAN), "lintsov")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_plan_hook_fails_on_a_violating_plan(hook_repo: Path, tmp_path: Path) -> None:
    work = tmp_path / "plans"
    (work / "prod").mkdir(parents=True)
    (work / "prod" / "plan.json").write_text(
        (ROOT / "fixtures" / "plans" / "sensitive_bucket_us_region.json").read_text()
    )
    (work / "prod" / "notes.json").write_text("{}")  # not a plan: the hook must not read it
    git(work, "init", "-q")
    git(work, "add", "-A")
    done = try_repo(hook_repo, work, "lintsov-plan")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "SOV001 aws_s3_bucket.customers" in done.stdout
    assert "notes.json" not in done.stdout


# The region comes from the environment's variables file only.
BY_VARIABLE = """variable "region" {}

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "customers" {
  bucket = "acme-customers"
  tags   = { data-classification = "confidential" }
}
"""


def test_hook_on_a_changed_tfvars_alone_lints_its_environment(
    hook_repo: Path, tmp_path: Path
) -> None:
    work = project(tmp_path, BY_VARIABLE)
    (work / "prod" / "prod.tfvars").write_text('region = "us-east-1"\n')
    git(work, "add", "-A")
    done = try_repo(hook_repo, work, "lintsov", "prod/prod.tfvars")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "SOV001 aws_s3_bucket.customers  (prod/main.tf:7 in prod (prod.tfvars))" in done.stdout
    assert "region us-east-1 ← provider aws ← var.region ← prod/prod.tfvars:1" in done.stdout


def test_hook_on_a_shared_module_lints_the_stacks_that_call_it(
    hook_repo: Path, tmp_path: Path
) -> None:
    work = tmp_path / "monorepo"
    shutil.copytree(ROOT / "fixtures" / "monorepo", work)
    git(work, "init", "-q")
    git(work, "add", "-A")
    done = try_repo(hook_repo, work, "lintsov", "modules/storage/main.tf")
    assert done.returncode == 1, done.stdout + done.stderr
    # The stacks were judged (one in us-east-1), not the module alone (region unknown).
    assert (
        "SOV001 module.storage.aws_s3_bucket.customers  (modules/storage/main.tf:6 in stacks/us)"
    ) in done.stdout
    assert "(modules/storage/main.tf:6 in stacks/eu)" in done.stdout
    assert "SOV003" not in done.stdout
    assert "in 2 inputs" in done.stdout
