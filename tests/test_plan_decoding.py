"""Plan JSON is decoded and checked in one pass when it is a well-formed plan, and by the
envelope first otherwise: both paths must reach the same verdict on the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import plan_path
from lintsov.errors import InputError
from lintsov.load import load


def _variant(tmp_path: Path, name: str, change: dict[str, object]) -> str:
    document = json.loads(Path(plan_path("provider_alias")).read_text(encoding="utf-8"))
    document.update(change)
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_errored_plan_is_refused_although_it_decodes_as_a_plan(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"the plan is incomplete.*errored: true"):
        load(_variant(tmp_path, "errored.json", {"errored": True}))


def test_null_sections_fall_back_to_planned_values(tmp_path: Path) -> None:
    path = _variant(tmp_path, "nulls.json", {"resource_changes": None, "configuration": None})
    stack = load(path)
    assert stack.notes == (
        "the plan has no resource_changes; resources were read from planned_values",
    )
    assert sorted(r.address for r in stack.resources) == [
        "aws_s3_bucket.eu",
        "aws_s3_bucket.us",
    ]


def test_state_file_is_still_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"version": 4, "lineage": "x", "serial": 3}), encoding="utf-8")
    with pytest.raises(InputError, match="this is a Terraform state file, not a plan"):
        load(str(path))


def test_non_ascii_utf8_is_read_and_latin1_refused_with_its_position(tmp_path: Path) -> None:
    path = _variant(tmp_path, "café.json", {"terraform_version": "1.9.8-café"})
    assert load(path).tool == "Terraform 1.9.8-café"
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(Path(path).read_bytes().replace("é".encode(), b"\xe9"))
    with pytest.raises(InputError, match="not UTF-8 text") as refused:
        load(str(latin1))
    assert refused.value.line == 1
    assert refused.value.column is not None
    assert f"latin1.json:1:{refused.value.column})" in str(refused.value)
