"""No execution, no network: lintsov never runs what a configuration asks to run, never
fetches anything, and opens no socket. Its only subprocess is `show -json` on a binary plan:
an argument list, a timeout and a clean environment."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from helpers import HCL, PLANS, cli, plan_path
from lintsov.load import binary_plan

FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "markdown")
INPUTS = [str(p) for p in sorted(PLANS.glob("*.json"))] + [
    str(p) for p in sorted(HCL.iterdir()) if p.is_dir() and p.name != "parse_error"
]


class NetworkUsed(AssertionError):
    pass


def _refuse(*_args: Any, **_kwargs: Any) -> Any:
    raise NetworkUsed("lintsov tried to use the network")


class _NoSocket(socket.socket):
    """A socket that cannot be made; still a class, so that modules which subclass socket
    at import time (ssl) import as usual."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        raise NetworkUsed("lintsov tried to open a socket")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "socket", _NoSocket)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)


@pytest.fixture
def no_subprocess(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("lintsov started a process")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setattr(os, "execvp", refuse)
    monkeypatch.setattr(os, "posix_spawn", refuse)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_run_opens_no_socket(fmt: str, tmp_path: Path) -> None:
    # Every fixture, plans and folders (registry and git module sources included), every
    # format, with the parse cache on; --jobs 1 keeps the run in this process.
    result = cli(
        *INPUTS,
        "--format",
        fmt,
        "--fail-on",
        "never",
        "--jobs",
        "1",
        "--cache-dir",
        str(tmp_path / "cache"),
    )
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("no_network")
def test_inventory_opens_no_socket() -> None:
    result = cli("inventory", *INPUTS, "--format", "json", "--jobs", "1", "--no-cache")
    assert result.exit_code == 0, result.output


HOSTILE = """\
terraform {
  required_providers {
    external = { source = "hashicorp/external" }
  }
}

module "remote" {
  source = "git::https://example.invalid/evil.git"
}

module "registry" {
  source  = "example-corp/evil/aws"
  version = "1.0.0"
}

data "external" "probe" {
  program = ["sh", "-c", "touch {marker}-external; echo '{{\\"region\\": \\"eu-west-1\\"}}'"]
}

provider "aws" {
  region = data.external.probe.result.region
}

resource "terraform_data" "run" {
  provisioner "local-exec" {
    command = "touch {marker}-provisioner"
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
  tags   = { data-classification = "confidential" }
}
"""


@pytest.mark.usefixtures("no_network", "no_subprocess")
def test_external_data_provisioners_and_remote_modules_are_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "main.tf").write_text(HOSTILE.replace("{marker}", str(marker)))
    result = cli(str(folder), "--format", "json", "--fail-on", "never", "--no-cache", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.glob("ran*"))
    document = json.loads(result.output)
    # The region that only the external program would give stays unknown, and says why.
    (unknown,) = [f for f in document["findings"] if f["rule"] == "SOV003"]
    assert "data.external.probe" in unknown["message"]
    # The remote modules are reported as not loaded, never fetched.
    unloaded = {f["address"] for f in document["findings"] if f["rule"] == "LSV002"}
    assert unloaded == {"module.remote", "module.registry"}


def test_show_json_is_an_argument_list_with_a_timeout_and_a_clean_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.tfplan"
    plan.write_bytes(b"PK\x03\x04binary plan")
    calls: list[tuple[Any, dict[str, Any]]] = []

    def fake_run(args: Any, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append((args, kwargs))
        stdout = Path(plan_path("single_vendor")).read_bytes()
        return subprocess.CompletedProcess(args, 0, stdout, b"")

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.setattr(shutil, "which", lambda name: f"/opt/bin/{name}")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-for-show")
    monkeypatch.setenv("TF_VAR_password", "not-for-show")
    result = cli(str(plan), "--show-timeout", "7", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    ((args, kwargs),) = calls
    assert args == ["/opt/bin/tofu", "show", "-json", "-no-color", "plan.tfplan"]
    assert kwargs.get("shell", False) is False
    assert kwargs["timeout"] == 7
    assert kwargs["stdin"] == subprocess.DEVNULL
    assert set(kwargs["env"]) <= {*binary_plan._KEPT_ENV, "TF_IN_AUTOMATION"}
    assert "not-for-show" not in json.dumps(kwargs["env"])
