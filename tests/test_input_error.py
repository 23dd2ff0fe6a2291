"""InputError carries its position as fields (file, line, column) and renders one format."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT, cli
from lintsov.errors import InputError, line_col


def test_a_position_renders_as_file_line_column() -> None:
    error = InputError("plan.json", "invalid JSON: x", line=3, column=7)
    assert (error.file, error.line, error.column) == ("plan.json", 3, 7)
    assert str(error) == "plan.json: invalid JSON: x (at plan.json:3:7)"


def test_a_position_in_another_file_names_that_file() -> None:
    error = InputError("infra", "not UTF-8 text", line=2, file="infra/main.tf")
    assert str(error) == "infra: not UTF-8 text (at infra/main.tf:2)"


def test_a_place_that_is_no_file_position_is_kept_as_it_is() -> None:
    error = InputError("plan.json", "not a Terraform plan: x", "$.resource_changes[3]")
    assert (error.file, error.line, error.column) == (None, None, None)
    assert str(error) == "plan.json: not a Terraform plan: x (at $.resource_changes[3])"
    assert str(InputError("plan.json", "the file is empty")) == "plan.json: the file is empty"


def test_line_col_is_one_based() -> None:
    assert line_col(b'{\n  "a": ]\n', 9) == (2, 8)
    assert line_col(b"", 5) == (1, 1)


def test_the_cli_prints_the_fields_in_the_one_format(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text('{\n  "format_version": "1.2",\n  "resource_changes": [}\n')
    result = cli(str(plan))
    assert result.exit_code == 2
    assert result.output.startswith(f"lintsov: error: {plan}: invalid JSON: ")
    assert result.output.rstrip("\n").endswith(f"(at {plan}:3:24)")


def _positions_in_text(tree: ast.AST) -> list[int]:
    """Lines that construct an InputError with a position written into the ``where`` text
    (``line 3``, ``f"{name}:{line}:{column}"``) instead of the fields."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and len(node.args) >= 3):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name != "InputError":
            continue
        text = ast.unparse(node.args[2])
        if "line" in text or "column" in text or text.count(":{") >= 2:
            found.append(node.lineno)
    return found


@pytest.mark.parametrize("room", ["lintsov", "checks"])
def test_every_construction_site_passes_positions_as_fields(room: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / room).rglob("*.py"))
        if (lines := _positions_in_text(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}
    # The scan can fail.
    assert _positions_in_text(ast.parse('InputError(p, "x", f"{p}:{line}:{column}")')) == [1]


def test_it_survives_the_trip_from_a_parse_worker() -> None:
    import pickle

    error = InputError("main.tf", "unexpected ']'", line=2, column=13)
    back = pickle.loads(pickle.dumps(error))
    assert (back.path, back.what, back.file, back.line, back.column) == (
        "main.tf",
        "unexpected ']'",
        "main.tf",
        2,
        13,
    )
    assert str(back) == str(error)
