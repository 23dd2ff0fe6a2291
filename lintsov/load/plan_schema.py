"""Writes ``lintsov/schemas/plan.schema.json`` from the plan structs: ``python -m
lintsov.load.plan_schema``. The structs are the source of truth; a test keeps the file
in step with them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from lintsov.load.plan_json import Plan

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "plan.schema.json"


def generate() -> dict[str, Any]:
    schema: dict[str, Any] = msgspec.json.schema(Plan)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "The parts of Terraform/OpenTofu plan JSON that lintsov reads",
        "description": "Generated from lintsov.load.plan_json; other keys are allowed and "
        "ignored. Raw parts (after, planned_values) are any JSON value.",
        **schema,
    }


def render() -> str:
    return json.dumps(generate(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
