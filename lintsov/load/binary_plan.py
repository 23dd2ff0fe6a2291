"""Binary plan files: lintsov asks ``tofu show -json`` or ``terraform show -json`` to read them.

This is the only subprocess lintsov ever starts: an argument list (no shell), a timeout,
and an environment without the caller's credentials, since reading a plan needs none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from lintsov.errors import InputError

DEFAULT_TIMEOUT = 120.0
# Found in this order: OpenTofu first, as the open-source fork lintsov's users lean to.
CANDIDATES = ("tofu", "terraform")
# What `show` needs from the environment: where to find plugins and its own settings.
_KEPT_ENV = (
    "PATH",
    "HOME",
    "TMPDIR",
    "TF_DATA_DIR",
    "TF_PLUGIN_CACHE_DIR",
    "TF_CLI_CONFIG_FILE",
    "TOFU_CLI_CONFIG_FILE",
    "LANG",
    "LC_ALL",
    "SYSTEMROOT",
)


def find_binary(explicit: str | None) -> str:
    """The tool to run, or InputError-ready text saying none was found."""
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise FileNotFoundError(f"--terraform-bin {explicit} was not found")
        return found
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError(
        "neither tofu nor terraform is on PATH; install one, pass "
        "--terraform-bin, or give lintsov the output of `show -json`"
    )


def show_json(plan: Path, binary: str | None, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Run ``<binary> show -json PLAN`` in the plan's folder and return its standard output."""
    path = str(plan)
    try:
        tool = find_binary(binary)
    except FileNotFoundError as error:
        raise InputError(path, f"a binary plan, but {error}") from None
    env = {k: v for k, v in os.environ.items() if k in _KEPT_ENV}
    env["TF_IN_AUTOMATION"] = "1"
    name = Path(tool).name
    try:
        done = subprocess.run(
            [tool, "show", "-json", "-no-color", plan.name],
            cwd=plan.parent if str(plan.parent) else ".",
            env=env,
            capture_output=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise InputError(path, f"`{name} show -json` did not finish within {timeout:g} s") from None
    except OSError as error:
        raise InputError(path, f"could not run `{name} show -json`: {error.strerror}") from None
    if done.returncode != 0:
        detail = _first_error_line(done.stderr) or f"exit code {done.returncode}"
        raise InputError(path, f"`{name} show -json` failed: {detail}")
    return done.stdout


def _first_error_line(stderr: bytes) -> str:
    lines = [line.strip(" │╷╵\t") for line in stderr.decode("utf-8", "replace").splitlines()]
    meaningful = [line for line in lines if line and not line.startswith("Warning")]
    for line in meaningful:
        if line.startswith("Error:"):
            return line
    return meaningful[0] if meaningful else ""
