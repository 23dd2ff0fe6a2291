"""One version, written in pyproject.toml: the installed metadata, `lintsov --version`, the
changelog and the README's pre-commit snippet all name it."""

from __future__ import annotations

import re
import sys
from importlib import metadata

from helpers import ROOT, cli
from lintsov import __version__

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def test_the_version_comes_from_the_package_metadata() -> None:
    assert __version__ == metadata.version("lintsov")
    written = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert __version__ == written
    assert cli("--version").output == f"lintsov {written}\n"


def test_the_readme_pre_commit_snippet_names_the_current_version() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    revs = re.findall(r"^\s*rev: (\S+)", readme, re.MULTILINE)
    assert revs, "the README has no pre-commit snippet"
    assert set(revs) == {f"v{__version__}"}


def test_the_changelog_has_a_section_for_the_current_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert f"\n## {__version__}\n" in changelog
