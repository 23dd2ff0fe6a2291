"""The plan JSON Schema shipped in the package is generated from the loader's structs and
accepts every fixture; the loader rejects what the schema rejects."""

from __future__ import annotations

import json

import jsonschema
import pytest

from helpers import PLANS, ROOT
from lintsov.load import plan_schema


def test_shipped_schema_matches_the_loader_structs() -> None:
    shipped = (ROOT / "lintsov" / "schemas" / "plan.schema.json").read_text()
    assert shipped == plan_schema.render(), (
        "run `python -m lintsov.load.plan_schema` to regenerate the schema"
    )


@pytest.mark.parametrize("path", sorted(PLANS.glob("*.json")), ids=lambda p: p.name)
def test_fixture_is_valid_against_the_schema(path: object) -> None:
    jsonschema.validate(json.loads(path.read_text()), plan_schema.generate())  # type: ignore[attr-defined]


def test_schema_rejects_what_the_loader_rejects() -> None:
    bad = {
        "format_version": "1.2",
        "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {}}],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, plan_schema.generate())
