"""The built-in rules are found without installed metadata: from a plain copy of the source
tree on PYTHONPATH, and from a zipapp of it, lintsov judges as an installed one does."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT, plan_path
from lintsov.builtin_rules import BUILTIN
from lintsov.rules import load_rules


def without_lintsov(tmp_path: Path) -> Path:
    """A folder with this interpreter's installed packages but not lintsov: neither its code
    nor its metadata nor the editable install's import hook."""
    site = tmp_path / "site"
    site.mkdir()
    installed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    for folder in sorted(installed):
        for entry in Path(folder).iterdir():
            if entry.name.lower().startswith(("lintsov", "__editable__")):
                continue
            if not (site / entry.name).exists():
                (site / entry.name).symlink_to(entry)
    return site


def source_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "checkout"
    for folder in ("lintsov", "checks"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def python(path: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # -S: no site processing, so no .pth file (an editable install's hook) is read.
    return subprocess.run(
        [sys.executable, "-S", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd,
        env={"PYTHONPATH": path, "PATH": "/usr/bin:/bin"},
    )


def assert_judges(path: str, *program: str, cwd: Path) -> None:
    """lintsov run as ``program`` finds what an installed lintsov finds on the fixture."""
    plan = plan_path("sensitive_bucket_us_region")
    done = python(path, *program, plan, "--format", "json", "--no-cache", cwd=cwd)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [f["address"] for f in findings if f["rule"] == "SOV001"] == ["aws_s3_bucket.customers"]


def test_a_source_checkout_judges_without_installed_metadata(tmp_path: Path) -> None:
    site, copy = without_lintsov(tmp_path), source_copy(tmp_path)
    path = f"{copy}:{site}"
    # The environment really has no installed lintsov: no metadata, and the code is the copy.
    probe = python(
        path,
        "-c",
        "import importlib.metadata as m, lintsov\n"
        "print(lintsov.__file__)\n"
        "print(sorted(e.name for e in m.entry_points(group='lintsov.checks')))\n"
        "try:\n    m.distribution('lintsov')\nexcept m.PackageNotFoundError:\n"
        "    print('not installed')\n",
        cwd=tmp_path,
    )
    assert probe.stdout.splitlines() == [
        str(copy / "lintsov" / "__init__.py"),
        "[]",
        "not installed",
    ], probe.stderr
    assert_judges(path, "-m", "lintsov", cwd=tmp_path)
    listed = python(path, "-m", "lintsov", "rules", cwd=tmp_path)
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == sorted(BUILTIN)
    assert all(line.endswith("lintsov") for line in listed.stdout.splitlines()[1:])


def test_a_zipapp_of_the_source_tree_judges(tmp_path: Path) -> None:
    site, copy = without_lintsov(tmp_path), source_copy(tmp_path)
    app = tmp_path / "lintsov.pyz"
    with zipfile.ZipFile(app, "w") as archive:
        for file in sorted(copy.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(copy).as_posix())
        archive.writestr("__main__.py", "from lintsov.cli import main\nmain()\n")
    assert_judges(str(site), str(app), cwd=tmp_path)


def test_a_checkout_without_its_rules_is_refused(tmp_path: Path) -> None:
    site, copy = without_lintsov(tmp_path), source_copy(tmp_path)
    shutil.rmtree(copy / "checks")
    done = python(
        f"{copy}:{site}", "-m", "lintsov", plan_path("sensitive_bucket_us_region"), cwd=tmp_path
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "lintsov: error: lintsov's built-in rules are missing: no package lintsov.checks is "
        f"installed and there is no checks/ folder beside lintsov/ in {copy}\n"
    )


def test_every_module_in_checks_is_registered() -> None:
    modules = {p.stem for p in (ROOT / "checks").glob("*.py") if p.stem != "__init__"}
    assert set(BUILTIN.values()) == modules


@pytest.mark.parametrize("rule_id", sorted(BUILTIN))
def test_builtin_rules_load_under_lintsov_checks(rule_id: str) -> None:
    rule = load_rules()[rule_id]
    assert rule.check.__module__ == f"lintsov.checks.{BUILTIN[rule_id]}"
    assert rule.origin == "lintsov"
