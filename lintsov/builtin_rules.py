"""The built-in rules, listed here so that they are found without installed metadata.

Entry points exist only once lintsov is installed: a source checkout on ``PYTHONPATH``
(``python -m lintsov``), a vendored copy or a zipapp has none, and a gate that finds no
rule must not pass. So lintsov's own rules are named here, one line each; entry points
(group ``lintsov.checks``) are for plugins.

Installed, ``checks/`` is the package ``lintsov.checks`` (pyproject's ``package-dir``). In a
source checkout it is the ``checks/`` folder beside ``lintsov/``, which is then imported
under the same name ``lintsov.checks``: never as a top-level ``checks``, which would clash
with any other ``checks`` on the path.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

import lintsov

PACKAGE = "lintsov.checks"
ORIGIN = "lintsov"

# Rule id → its module in checks/. Adding a rule: its module, and one line here.
BUILTIN: Mapping[str, str] = {
    "AUT001": "single_vendor",
    "LSV001": "invalid_waiver",
    "LSV002": "module_not_loaded",
    "SOV001": "blocked_region",
    "SOV002": "foreign_vendor",
    "SOV003": "unresolved_location",
    "SOV004": "replicated_data",
    "SOV005": "edge_cache",
    "SOV006": "state_backend",
    "SOV007": "external_access",
    "SOV008": "staff_access",
}


class MissingRules(Exception):
    """Neither the installed package lintsov.checks nor a checks/ folder beside lintsov/."""


def package() -> ModuleType:
    """``lintsov.checks``: the package inside lintsov/ (installed), else the checks/ folder
    beside lintsov/ (a source checkout), else whatever the import system finds."""
    loaded = sys.modules.get(PACKAGE)
    if loaded is not None:
        return loaded
    finder = importlib.machinery.PathFinder
    if finder.find_spec("checks", list(lintsov.__path__)) is not None:
        return importlib.import_module(PACKAGE)
    root = os.path.dirname(os.path.dirname(os.path.abspath(lintsov.__file__ or "")))
    # PathFinder goes through the path hooks, so a zip archive on the path works too.
    beside = finder.find_spec("checks", [root])
    if beside is not None and beside.submodule_search_locations:
        return _package_from(str(beside.submodule_search_locations[0]))
    if importlib.util.find_spec(PACKAGE) is not None:
        return importlib.import_module(PACKAGE)
    raise MissingRules(
        f"lintsov's built-in rules are missing: no package {PACKAGE} is installed and "
        f"there is no checks/ folder beside lintsov/ in {root}"
    )


def _package_from(folder: str) -> ModuleType:
    # A package with no code of its own whose search path is the folder: its modules are
    # then imported by the ordinary import system as lintsov.checks.*, from a plain folder
    # or from inside a zip archive alike.
    spec = importlib.machinery.ModuleSpec(PACKAGE, None, is_package=True)
    spec.submodule_search_locations = [folder]
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    lintsov.checks = module  # type: ignore[attr-defined]
    return module


def module_name(rule_id: str) -> str:
    return f"{PACKAGE}.{BUILTIN[rule_id]}"


def load(rule_id: str) -> ModuleType:
    package()
    return importlib.import_module(module_name(rule_id))


def folder() -> Path | None:
    """Where the built-in rules' files are, when they are files (for the inventory cache's
    key: a changed rule must not reuse results)."""
    try:
        locations = list(package().__path__)
    except MissingRules:
        return None
    return Path(locations[0]).resolve() if locations else None
