"""The parse cache: keyed by content, safe under concurrent runs, off with --no-cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import HCL, cli
from lintsov.load.hcl import parse_stats
from lintsov.load.hcl_cache import Cache, default_folder
from lintsov.load.hcl_options import HclOptions

FIXTURE = HCL / "aliases_passed_into_nested_modules"


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(FIXTURE, target)
    return target


def test_warm_run_parses_nothing_and_one_change_parses_one_file(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    options = HclOptions(cache=Cache(tmp_path / "cache"), jobs=2)
    cold = parse_stats(str(folder), options)
    assert len(cold.parsed) == 3
    assert cold.cached == 0
    warm = parse_stats(str(folder), options)
    assert (warm.parsed, warm.cached) == ([], 3)
    changed = folder / "modules" / "vault" / "main.tf"
    changed.write_text(changed.read_text() + "\n# a comment changes the content\n")
    after = parse_stats(str(folder), options)
    assert after.parsed == [str(changed)]
    assert after.cached == 2


def test_no_cache_parses_everything_and_writes_nothing(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    stats = parse_stats(str(folder), HclOptions(cache=None))
    assert len(stats.parsed) == 3
    result = cli(str(folder), "--no-cache", "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 1
    assert not (tmp_path / "cache").exists()


def test_a_broken_cache_entry_is_a_miss(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    cache_dir = tmp_path / "cache"
    options = HclOptions(cache=Cache(cache_dir))
    parse_stats(str(folder), options)
    for entry in cache_dir.rglob("*.json"):
        entry.write_text('{"key": "truncat')
    stats = parse_stats(str(folder), options)
    assert len(stats.parsed) == 3
    result = cli(str(folder), "--cache-dir", str(cache_dir), "--format", "json")
    assert ("SOV001", "module.vault.module.store.aws_s3_bucket.secrets[0]") in {
        (f["rule"], f["address"]) for f in json.loads(result.output)["findings"]
    }


def test_a_cache_entry_of_another_shape_is_parsed_again(tmp_path: Path) -> None:
    """An entry whose key matches but whose data is not lintsov's parse (another version's
    shape, a foreign file) costs a parse, never a wrong read."""
    folder = copy_fixture(tmp_path)
    cache_dir = tmp_path / "cache"
    options = HclOptions(cache=Cache(cache_dir))
    parse_stats(str(folder), options)
    for entry in cache_dir.rglob("*.json"):
        document = json.loads(entry.read_text())
        document["data"] = {"resource": [{"aws_s3_bucket": {"b": {}}}]}  # python-hcl2 7's shape
        entry.write_text(json.dumps(document))
    assert len(parse_stats(str(folder), options).parsed) == 3


def test_cache_from_the_command_line_is_used(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    cache_dir = tmp_path / "cache"
    assert cli(str(folder), "--cache-dir", str(cache_dir)).exit_code == 1
    parses = [p for p in cache_dir.rglob("*.json") if p.parent.name != "inventories"]
    assert len(parses) == 3
    assert len(list((cache_dir / "inventories").glob("*.json"))) == 1


def test_default_cache_folder() -> None:
    home = Path("/home/u")
    assert default_folder({}, home) == home / ".cache" / "lintsov"
    assert default_folder({"XDG_CACHE_HOME": "/x"}, home) == Path("/x/lintsov")
    assert default_folder({"LINTSOV_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x"}, home) == Path("/c")


def test_concurrent_runs_share_a_cache_safely(tmp_path: Path) -> None:
    """Real processes, started together, over and over on one cache folder."""
    folders = []
    for index in range(4):
        folder = tmp_path / f"config{index}"
        shutil.copytree(FIXTURE, folder)
        # Distinct content per copy, so that every run writes entries of its own too.
        (folder / "extra.tf").write_text(f'locals {{\n  copy = "{index}"\n}}\n')
        folders.append(folder)
    env = {**os.environ, "LINTSOV_CACHE_DIR": str(tmp_path / "cache")}
    outputs: dict[str, set[str]] = {}
    for _ in range(3):
        running = [
            (
                folder,
                subprocess.Popen(
                    [sys.executable, "-m", "lintsov", str(folder), "--format", "json"],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env=env,
                    cwd=Path(__file__).parent,
                ),
            )
            for folder in folders + folders
        ]
        for folder, process in running:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 1, err
            outputs.setdefault(str(folder), set()).add(out.decode())
    assert all(len(seen) == 1 for seen in outputs.values())
    for entry in (tmp_path / "cache").rglob("*.json"):
        document = json.loads(entry.read_text())
        assert document["inventory"] if entry.parent.name == "inventories" else document["key"]
    assert not list((tmp_path / "cache").rglob(".tmp-*"))
