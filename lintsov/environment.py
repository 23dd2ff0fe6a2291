"""Environments: a root folder with one named variables file applied, as ``terraform plan
-var-file`` applies it.

``lintsov infra/prod.tfvars`` lints the root module in ``infra`` with ``prod.tfvars`` on
top of what Terraform loads by itself, and names the input ``infra (prod.tfvars)`` in every
report, baseline and fingerprint: two environments of one folder are two inputs, whose
findings never collide. ``terraform.tfvars`` and ``*.auto.tfvars`` are loaded anyway, so
naming one of them stands for the folder alone.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from lintsov.errors import InputError

VARIABLES_FILES = (".tfvars", ".tfvars.json")
# What makes a folder a root module; a variables file alone configures nothing.
CONFIGURATION_FILES = (".tf", ".tf.json", ".tofu", ".tofu.json")
# `infra (prod.tfvars)`: the folder as given, then the variables file's name inside it.
_NAMED = re.compile(r"^(?P<folder>.+) \((?P<file>[^()/\\]+\.tfvars(?:\.json)?)\)$", re.DOTALL)


@dataclass(frozen=True)
class Environment:
    """A root folder as the user spelt it, and the variables file (a name inside that
    folder) applied to it; None: the folder alone."""

    folder: str
    var_file: str | None = None

    @property
    def name(self) -> str:
        """The input's name in reports: the folder, then the variables file in brackets."""
        return self.folder if self.var_file is None else f"{self.folder} ({self.var_file})"

    def var_file_path(self) -> str | None:
        """The variables file as a path to open, or None."""
        return None if self.var_file is None else os.path.join(self.folder, self.var_file)


def in_environment(input_path: str, file: str | None = None) -> str:
    """`` in infra (prod.tfvars)`` for an environment's input, else "": environments of one
    folder share its file:line, so a finding located there says which one it is in.

    Likewise `` in stacks/a`` for a finding at ``file`` outside its input's folder: a
    reusable module's file, which every root module calling it shares."""
    named = parse(input_path)
    if named.var_file is not None:
        return f" in {input_path}"
    if file and _outside(file, named.folder):
        return f" in {input_path}"
    return ""


def _outside(file: str, folder: str) -> bool:
    """Whether ``file`` lies outside the configuration folder ``folder`` (a plan input is
    no folder: its findings point at its --source files, which need no naming)."""
    try:
        if not os.path.isdir(folder):
            return False
    except OSError:
        return False
    base = os.path.abspath(folder)
    return os.path.commonpath([base, os.path.abspath(file)]) != base


def is_variables_file(path: str) -> bool:
    return path.endswith(VARIABLES_FILES)


def loaded_by_terraform(name: str) -> bool:
    """Whether Terraform loads the variables file called ``name`` by itself from a root
    folder: applying it again would count it twice."""
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json")
    )


def of_file(given: str) -> Environment:
    """The input a named variables file stands for: its own folder with the file applied,
    or the folder alone when Terraform loads that file anyway."""
    path = Path(given)
    folder = str(path.parent)
    if loaded_by_terraform(path.name):
        return Environment(folder)
    return Environment(folder, path.name)


def parse(name: str) -> Environment:
    """The environment an input name (as ``Environment.name`` writes it) stands for. A path
    that exists is itself, whatever it looks like: a folder may be called ``a (b.tfvars)``."""
    found = _NAMED.match(name)
    if found is None or os.path.lexists(name):
        return Environment(name)
    return Environment(found["folder"], found["file"])


def check_configured(environment: Environment) -> None:
    """Refuse an environment whose folder holds no configuration: the root module it belongs
    to is somewhere else, and lintsov does not guess which folder that is."""
    var_file = environment.var_file_path()
    if var_file is None:
        return
    folder = Path(environment.folder)
    if not os.path.lexists(var_file):
        raise InputError(var_file, "no such file")
    try:
        configured = folder.is_dir() and any(
            p.name.endswith(CONFIGURATION_FILES) for p in folder.iterdir() if p.is_file()
        )
    except OSError as error:
        raise InputError(var_file, f"cannot read its folder: {error.strerror or error}") from None
    if not configured:
        raise InputError(
            var_file,
            f"no Terraform configuration in {environment.folder}/, the folder lintsov applies "
            "a named variables file to; name the root module's folder and pass the file "
            f"with --var-file, e.g. `lintsov ROOT --var-file {var_file}`",
        )
