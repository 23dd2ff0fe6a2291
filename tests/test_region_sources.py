"""scripts/region_sources.py: the catalogue keeps up with the region lists vendors publish
machine-readably (botocore's endpoints.json for AWS, the OCI SDK's regions_definitions.py
for Oracle), checked offline on pinned copies."""

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
PINS = {"botocore": ("1.43.11", "aws", 46), "oci": ("2.189.0", "oracle", 85)}


def _endpoints(tmp_path: Path, regions: dict[str, dict[str, str]]) -> Path:
    document = {"partitions": [{"partition": "aws", "regions": regions}], "version": 3}
    path = tmp_path / "endpoints.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _pinned_regions() -> dict[str, dict[str, str]]:
    source = region_sources.pinned(region_sources.pinned_path("botocore"))
    return {r.id: {"description": r.description} for r in source.regions}


@pytest.mark.parametrize("package", sorted(PINS))
def test_every_region_of_the_pinned_source_is_in_the_catalogue(package: str) -> None:
    version, vendor, count = PINS[package]
    source = region_sources.pinned(region_sources.pinned_path(package))
    assert (source.package, source.version, source.vendor) == (package, version, vendor)
    assert re.fullmatch(r"[0-9a-f]{64}", source.sha256)
    assert len(source.regions) == count
    assert region_sources.missing_from_catalogue(source) == []
    # The region file cites the same pinned version it was checked against.
    checked = catalogue.builtin_documents()[f"regions/{vendor}.json"]["checked"]
    assert version in checked["source"]


def test_pinned_regions_resolve_in_the_catalogue() -> None:
    cat = catalogue.builtin()
    assert {"eusc-de-east-1", "ap-southeast-6", "mx-central-1"} <= set(cat.regions["aws"])
    match = cat.region("oracle", "eu-turin-1")
    assert match is not None
    assert match[0].countries == ("IT",)
    # A realm whose operator no source settles is left out, not guessed.
    assert cat.region("oracle", "us-ashburn-2") is None


def test_a_region_left_out_on_purpose_says_why() -> None:
    _, left_out = region_sources.catalogue_state("aws")
    assert "country" in left_out["eu-isoe-west-1"]
    assert catalogue.builtin().region("aws", "eu-isoe-west-1") is None
    _, oracle = region_sources.catalogue_state("oracle")
    assert oracle["us-ashburn-2"].startswith("realm oc42")


def test_a_newer_source_with_a_new_region_fails_and_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regions = _pinned_regions()
    regions["eu-west-9"] = {"description": "Europe (Somewhere)"}
    del regions["us-west-1"]
    path = _endpoints(tmp_path, regions)
    args = ["--source", "botocore", "--file", str(path), "--version", "9.9.9"]
    code = region_sources.main(args)
    out = capsys.readouterr().out
    assert code == 1
    assert "botocore 9.9.9: new since the pinned botocore 1.43.11: eu-west-9" in out
    assert "botocore 9.9.9: gone since the pinned botocore 1.43.11: us-west-1" in out
    assert "eu-west-9 (Europe (Somewhere), aws) is not in lintsov's catalogue" in out


def test_a_newer_oci_sdk_is_read_as_data_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sdk = tmp_path / "regions_definitions.py"
    marker = tmp_path / "ran"
    sdk.write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "REGIONS_SHORT_NAMES = {'fra': 'eu-frankfurt-1', 'zzz': 'eu-nowhere-1'}\n"
        "REGION_REALMS = {'eu-frankfurt-1': 'oc1', 'eu-nowhere-1': 'oc1'}\n",
        encoding="utf-8",
    )
    args = ["--source", "oci", "--file", str(sdk), "--version", "9.0.0"]
    assert region_sources.main(args) == 1
    out = capsys.readouterr().out
    assert "oci 9.0.0: new since the pinned oci 2.189.0: eu-nowhere-1" in out
    assert "eu-nowhere-1 (key zzz, oc1) is not in lintsov's catalogue" in out
    assert not marker.exists()


def test_the_same_regions_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _endpoints(tmp_path, _pinned_regions())
    args = ["--source", "botocore", "--file", str(path), "--version", "1.43.12"]
    assert region_sources.main(args) == 0
    assert "same regions as the pinned botocore 1.43.11" in capsys.readouterr().out


def test_write_repins_with_version_and_sha256(tmp_path: Path) -> None:
    folder = tmp_path / "pins"
    folder.mkdir()
    pin = folder / "botocore.json"
    pin.write_text(region_sources.pinned_path("botocore").read_text("utf-8"), encoding="utf-8")
    path = _endpoints(tmp_path, _pinned_regions())
    args = ["--source", "botocore", "--file", str(path), "--version", "2.0.0", "--write"]
    assert region_sources.main([*args, "--pinned-folder", str(folder)]) == 0
    written = json.loads(pin.read_text("utf-8"))
    assert written["version"] == "2.0.0"
    assert written["url"].endswith("/2.0.0/botocore/data/endpoints.json")
    expected = region_sources.from_bytes("botocore", path.read_bytes(), "", "")
    assert written["sha256"] == expected.sha256


def test_an_unreadable_source_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "endpoints.json"
    bad.write_text('{"partitions": 3}', encoding="utf-8")
    assert region_sources.main(["--source", "botocore", "--file", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"region_sources: {bad}: not a botocore endpoints.json")
    assert len(err.strip().splitlines()) == 1


def test_the_script_runs_offline_on_the_pinned_copies() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    for line in (
        "botocore 1.43.11: all 46 regions are in the catalogue or left out on purpose",
        "oci 2.189.0: all 85 regions are in the catalogue or left out on purpose",
    ):
        assert line in done.stdout
