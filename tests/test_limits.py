"""Limits: input lintsov will not read is refused with one line naming the file and the
position, never a RecursionError, a traceback or a hang."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import cli, plan_path

PLAN = Path(plan_path("sensitive_bucket_us_region"))


def one_line_error(*args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("lintsov: error: ")
    assert "internal error" not in lines[0]
    return lines[0]


def test_json_nested_too_deeply_names_the_limit_and_the_position(tmp_path: Path) -> None:
    text = PLAN.read_text().replace(
        '"after_unknown": {}', '"after_unknown": ' + "[" * 5000 + "]" * 5000, 1
    )
    path = tmp_path / "plan.json"
    path.write_text(text)
    line = one_line_error(str(path))
    assert line.startswith(
        f"lintsov: error: {path}: JSON nested deeper than 500 levels, lintsov's limit"
    )
    # The position is where the 501st level opens, inside after_unknown.
    line_number = text[: text.index("[" * 100)].count("\n") + 1
    assert f"(at {path}:{line_number}:" in line


def test_hcl_nested_too_deeply_is_an_input_error(tmp_path: Path) -> None:
    depth = 3000
    (tmp_path / "main.tf").write_text(
        "locals {\n  x = " + "[" * depth + "1" + "]" * depth + "\n}\n"
    )
    line = one_line_error(str(tmp_path), "--no-cache")
    assert f"{tmp_path / 'main.tf'}: nested too deeply to parse" in line


def test_modules_nested_deeper_than_the_limit_are_reported_not_followed(tmp_path: Path) -> None:
    folder = tmp_path
    for level in range(40):
        (folder / "main.tf").write_text(
            f'resource "aws_s3_bucket" "b{level}" {{\n}}\nmodule "m" {{\n  source = "./m"\n}}\n'
        )
        folder = folder / "m"
        folder.mkdir()
    (folder / "main.tf").write_text("")
    result = cli(str(tmp_path), "--no-cache", "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    (deep,) = [f for f in findings if f["rule"] == "LSV002"]
    assert "modules nest deeper than 32 levels" in deep["message"]


@pytest.mark.parametrize(("limit", "refused"), [("1KB", True), ("1MiB", False)])
def test_input_size_limit_is_configurable(limit: str, refused: bool) -> None:
    result = cli(str(PLAN), "--max-input-size", limit, "--fail-on", "never")
    if refused:
        assert result.exit_code == 2
        size = PLAN.stat().st_size
        assert result.output.strip() == (
            f"lintsov: error: {PLAN}: the file is {size} bytes, over the limit of 1000 "
            "(--max-input-size)"
        )
    else:
        assert result.exit_code == 0, result.output


def test_input_size_limit_applies_to_configuration_files(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n}\n' + "# pad\n" * 500)
    line = one_line_error(str(tmp_path), "--max-input-size", "1KiB", "--no-cache")
    assert line.endswith("over the limit of 1024 (--max-input-size)")


def test_input_size_default_is_one_gib() -> None:
    help_text = cli("check", "--help").output
    assert "--max-input-size SIZE" in help_text
    assert "[default: 1GiB]" in help_text


@pytest.mark.parametrize("value", ["0", "1XB", "lots"])
def test_invalid_size_is_a_usage_error(value: str) -> None:
    result = cli(str(PLAN), "--max-input-size", value)
    assert result.exit_code == 2
    assert "is not a size such as 1GiB" in result.output


# --- encodings and wrappers: decided once, each tested ---------------------------------


def test_utf8_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(b"\xef\xbb\xbf" + PLAN.read_bytes())
    assert cli(str(path), "--fail-on", "never").exit_code == 0


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_utf16_is_refused_with_the_fix(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "plan.json"
    codec = "utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"
    path.write_bytes(bom + PLAN.read_text().encode(codec))
    line = one_line_error(str(path))
    assert "the file is UTF-16" in line
    assert "Out-File -Encoding utf8" in line


def test_wrapper_command_line_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("[command]/usr/bin/terraform show -json plan.tfplan\n" + PLAN.read_text())
    line = one_line_error(str(path))
    assert line == (
        f"lintsov: error: {path}: the file starts with a CI wrapper's `[command]...` line, not "
        "JSON; write the plan with the terraform binary itself (setup-terraform: "
        "terraform_wrapper: false), e.g. `terraform show -json plan.tfplan > plan.json` (at "
        f"{path}:1:1)"
    )


def test_wrapper_debug_lines_after_the_json_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    text = PLAN.read_text().rstrip("\n")
    path.write_text(text + "\n::debug::Terraform exited with code 0.\n")
    line = one_line_error(str(path))
    assert "CI wrapper's `::debug::` lines" in line
    assert line.endswith(f"(at {path}:{text.count(chr(10)) + 2}:1)")
