"""scripts/region_sources.py: the catalogue keeps up with the region lists vendors publish
machine-readably (botocore's endpoints.json for AWS), checked offline on a pinned copy."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from lintsov import catalogue

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "region_sources.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("region_sources", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["region_sources"] = module
    spec.loader.exec_module(module)
    return module


region_sources = _script()


def _endpoints(tmp_path: Path, regions: dict[str, dict[str, str]]) -> Path:
    document = {"partitions": [{"partition": "aws", "regions": regions}], "version": 3}
    path = tmp_path / "endpoints.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _pinned_regions() -> dict[str, dict[str, str]]:
    return {r.id: {"description": r.description} for r in region_sources.pinned().regions}


def test_every_region_of_the_pinned_botocore_is_in_the_catalogue() -> None:
    source = region_sources.pinned()
    assert (source.package, source.version) == ("botocore", "1.43.11")
    assert re.fullmatch(r"[0-9a-f]{64}", source.sha256)
    assert len(source.regions) >= 46
    assert region_sources.missing_from_catalogue(source) == []
    # The catalogue's AWS file cites the same pinned version it was checked against.
    aws = catalogue.builtin_documents()["regions/aws.json"]
    assert source.version in aws["checked"]["source"]
    table = catalogue.builtin().regions["aws"]
    assert {"eusc-de-east-1", "ap-southeast-6", "mx-central-1"} <= set(table)


def test_a_region_left_out_on_purpose_says_why() -> None:
    _, left_out = region_sources.catalogue_state("aws")
    assert "country" in left_out["eu-isoe-west-1"]
    assert catalogue.builtin().region("aws", "eu-isoe-west-1") is None


def test_a_newer_source_with_a_new_region_fails_and_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regions = _pinned_regions()
    regions["eu-west-9"] = {"description": "Europe (Somewhere)"}
    del regions["us-west-1"]
    path = _endpoints(tmp_path, regions)
    code = region_sources.main(["--endpoints", str(path), "--version", "9.9.9"])
    out = capsys.readouterr().out
    assert code == 1
    assert "botocore 9.9.9: new since the pinned botocore 1.43.11: eu-west-9" in out
    assert "botocore 9.9.9: gone since the pinned botocore 1.43.11: us-west-1" in out
    assert "eu-west-9 (Europe (Somewhere), partition aws) is not in lintsov's catalogue" in out


def test_the_same_regions_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _endpoints(tmp_path, _pinned_regions())
    assert region_sources.main(["--endpoints", str(path), "--version", "1.43.12"]) == 0
    assert "same regions as the pinned botocore 1.43.11" in capsys.readouterr().out


def test_write_repins_with_version_and_sha256(tmp_path: Path) -> None:
    pin = tmp_path / "botocore.json"
    pin.write_text(region_sources.PINNED.read_text("utf-8"), encoding="utf-8")
    path = _endpoints(tmp_path, _pinned_regions())
    args = ["--endpoints", str(path), "--version", "2.0.0", "--write", "--pinned", str(pin)]
    assert region_sources.main(args) == 0
    written = json.loads(pin.read_text("utf-8"))
    assert written["version"] == "2.0.0"
    assert written["sha256"] == region_sources.from_endpoints(path.read_bytes(), "", "").sha256


def test_an_unreadable_source_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "endpoints.json"
    bad.write_text('{"partitions": 3}', encoding="utf-8")
    assert region_sources.main(["--endpoints", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"region_sources: {bad}: not a botocore endpoints.json")
    assert len(err.strip().splitlines()) == 1


def test_the_script_runs_offline_on_the_pinned_copy() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "botocore 1.43.11: all 46 regions are in the catalogue or left out on purpose" in (
        done.stdout
    )
