"""Reading .tf files with python-hcl2 8.1's grammar: Windows line endings, line breaks inside
brackets, and errors that name the offending token and the likely cause."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import cli, folder_inventory, hcl_path
from lintsov.load.hcl_files import module_files, parse_files
from lintsov.load.hcl_options import HclOptions
from lintsov.load.hcl_parse import parse_text
from lintsov.load.hcl_scan import ignore_bracketed_newlines

CONTINUED = "traversal_continued_in_brackets"


def error_of(tmp_path: Path, text: str, name: str = "main.tf") -> str:
    """The one line lintsov prints for a folder holding this file."""
    (tmp_path / name).write_bytes(text.encode())
    result = cli(str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def findings_json(folder: Path) -> dict[str, dict[str, object]]:
    result = cli(str(folder), "--format", "json", "--no-cache")
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    return {f["rule"]: f for f in document["findings"]}


# --- Windows line endings -------------------------------------------------------------------

CONFIGURATION = (
    'provider "aws" {\n'
    '  region = "eu-central-1"\n'
    "}\n"
    "\n"
    "# a comment before the bucket\n"
    'resource "aws_s3_bucket" "b" {\n'
    '  bucket = "logs"\n'
    "  policy = <<-EOT\n"
    "    line one\n"
    "  EOT\n"
    '  tags   = { classification = "secret" }\n'
    "}\n"
)


def test_crlf_file_reads_as_the_same_file_with_lf(tmp_path: Path) -> None:
    unix, windows = tmp_path / "unix", tmp_path / "windows"
    unix.mkdir()
    windows.mkdir()
    (unix / "main.tf").write_bytes(CONFIGURATION.encode())
    (windows / "main.tf").write_bytes(CONFIGURATION.replace("\n", "\r\n").encode())
    lf, crlf = findings_json(unix)["SOV002"], findings_json(windows)["SOV002"]
    assert crlf["location"] == {"file": str(windows / "main.tf"), "line": 6, "end_line": 12}
    assert lf["location"] == {"file": str(unix / "main.tf"), "line": 6, "end_line": 12}
    region = (
        "region eu-central-1 ← provider aws ← constant in provider aws region "
        f"({windows / 'main.tf'}:2)"
    )
    assert region in [e["text"] for e in crlf["evidence"]]  # type: ignore[attr-defined]


def test_crlf_heredoc_value_has_no_carriage_returns(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(CONFIGURATION.replace("\n", "\r\n").encode())
    (parsed,), _ = parse_files(module_files(tmp_path), None, 1)
    policy = parsed.blocks[1].attributes["policy"]
    assert (policy.line, policy.column) == (8, 3)
    status, (_, blocks) = parse_text(CONFIGURATION)
    assert status == "ok"
    assert json.loads(blocks[1][5][1][3])[3] == "line one\n"


def test_crlf_file_with_a_real_error_names_its_line_and_column(tmp_path: Path) -> None:
    text = 'resource "a" "b" {\r\n  # a comment\r\n  x = = 1\r\n}\r\n'
    line = error_of(tmp_path, text)
    assert line.startswith(f"lintsov: error: {tmp_path / 'main.tf'}: unexpected '='; expected ")
    assert "comment" not in line
    assert line.endswith(f"(at {tmp_path / 'main.tf'}:3:7)")


# --- errors: the offending token, and the likely cause --------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "what"),
    [
        (
            'locals {\n  zones = [\n    "a",\n    "b"\n',
            "2:11",
            "the file ends early; expected ',', ']', a new line; "
            "the '[' opened at line 2, column 11 is not closed",
        ),
        (
            'locals {\n  name = "abc\n}\n',
            "2:14",
            "the string opened at line 2, column 10 is not closed on its line",
        ),
        (
            "locals {\n  x = (1 + 2]\n}\n",
            "2:13",
            "unexpected ']'; expected ')', a new line; likely cause: ']' where the '(' opened "
            "at line 2, column 7 is not closed",
        ),
        ("locals {\n  x = 1 ~ 2\n}\n", "2:9", "unexpected '~'; expected "),
        ("locals {\n  x = 1\n}\n}\n", "4:1", "likely cause: a stray '}' with nothing open"),
        (
            "locals {\n  policy = <<EOT\n  {}\n}\n",
            "2:12",
            "likely cause: the heredoc <<EOT opened at line 2, column 12 has no closing EOT line",
        ),
        ("locals {\n  x = =\n}\n", "2:7", "unexpected '='; expected "),
        ('locals {\n  x = "a\\qb"\n}\n', "2:9", "invalid escape sequence '\\\\q'"),
    ],
)
def test_parse_error_names_the_position_and_likely_cause(
    tmp_path: Path, text: str, position: str, what: str
) -> None:
    line = error_of(tmp_path, text)
    assert what in line
    assert line.endswith(f"(at {tmp_path / 'main.tf'}:{position})")


def test_error_after_a_comment_points_at_the_offending_token_not_the_comment(
    tmp_path: Path,
) -> None:
    text = 'resource "a" "b" {\n  # bucket settings\n  bucket = # to do\n}\n'
    line = error_of(tmp_path, text)
    assert "unexpected end of line (a comment)" in line
    assert line.endswith(f"(at {tmp_path / 'main.tf'}:3:12)")


@pytest.mark.parametrize(
    ("text", "what", "position"),
    [
        (
            'resource "aws_s3_bucket" {\n}\n',
            "a resource block takes two labels (a type and a name), this one has 1",
            "1:1",
        ),
        (
            'module "m" "extra" {\n}\n',
            "a module block takes one label (a name), this one has 2",
            "1:1",
        ),
        ('locals "x" {\n}\n', "a locals block takes no labels, this one has 1", "1:1"),
        ('region = "eu-west-1"\n', '"region" is set outside any block', "1:1"),
        (
            "locals {\n  a = 1\n  a = 2\n}\n",
            '"a" is set twice: already set at line 2, column 3',
            "3:3",
        ),
        ('resource "${var.t}" "n" {\n}\n', "a block label must be a literal string", "1:10"),
    ],
)
def test_configuration_terraform_refuses_is_refused(
    tmp_path: Path, text: str, what: str, position: str
) -> None:
    line = error_of(tmp_path, text)
    assert what in line
    assert line.endswith(f"(at {tmp_path / 'main.tf'}:{position})")


def test_expression_nested_too_deeply_is_refused_with_its_position(tmp_path: Path) -> None:
    line = error_of(tmp_path, "locals {\n  x = " + "[" * 150 + "]" * 150 + "\n}\n")
    assert "nested too deeply to parse (more than 100 levels, lintsov's limit)" in line
    assert line.endswith(f"(at {tmp_path / 'main.tf'}:2:107)")


# --- line breaks inside brackets ------------------------------------------------------------


def test_traversal_continued_on_the_next_line_inside_brackets_is_read() -> None:
    inventory = folder_inventory(CONTINUED)
    ledger = next(r for r in inventory.resources if r.address == "google_storage_bucket.ledger")
    assert (ledger.region, ledger.sensitive) == ("US", True)
    (region,) = [e.text() for e in ledger.evidence if e.fact == "region"]
    assert "local.settings .storage ← local.settings" in region
    assert f"google_storage_bucket.ledger location ({hcl_path(CONTINUED)}/main.tf:15)" in region


def test_line_numbers_after_the_joined_lines_are_unchanged() -> None:
    inventory = folder_inventory(CONTINUED)
    archive = next(r for r in inventory.resources if r.address == "google_storage_bucket.archive")
    assert archive.location is not None
    assert (archive.location.line, archive.location.end_line) == (31, 34)


def test_bracketed_line_breaks_and_comments_become_spaces_at_the_same_offsets() -> None:
    text = 'x = f(a\n  .b, # why\n  [c\n  - 1])\ny = { k = "(\\n"\n  m = <<EOT\n(\nEOT\n}\n'
    joined = ignore_bracketed_newlines(text)
    assert joined is not None
    assert len(joined) == len(text)
    assert joined.splitlines()[0] == "x = f(a   .b,         [c   - 1])"
    # Inside braces, strings and heredocs, line breaks are Terraform's and stay.
    assert joined[joined.index("y = ") :] == text[text.index("y = ") :]
    status, (attributes, _) = parse_text(text)
    assert status == "ok"
    assert [(a[0], a[1]) for a in attributes] == [("x", 1), ("y", 5)]


def test_operator_starting_a_continuation_line_inside_brackets_is_read(tmp_path: Path) -> None:
    text = "locals {\n  n = (var.a\n    - 1)\n  ok = (var.on\n    ? true\n    : false)\n}\n"
    status, (_, (locals_block,)) = parse_text(text)
    assert status == "ok"
    wires = {a[0]: json.loads(a[3]) for a in locals_block[5]}
    assert wires["n"][:1] + wires["n"][3:4] == ["b", "-"]
    assert wires["ok"][0] == "?"


# --- parallel parsing -----------------------------------------------------------------------


def test_parallel_parse_gives_what_one_process_gives(tmp_path: Path) -> None:
    for index in range(10):
        (tmp_path / f"f{index}.tf").write_text(
            f'resource "aws_s3_bucket" "b{index}" {{\n  bucket = "${{var.p}}-{index}"\n}}\n'
        )
    files = module_files(tmp_path)
    alone, _ = parse_files(files, None, 1)
    shared, _ = parse_files(files, None, 2)
    assert [(p.path, p.blocks[0].labels, p.blocks[0].attributes["bucket"].line) for p in alone] == [
        (p.path, p.blocks[0].labels, p.blocks[0].attributes["bucket"].line) for p in shared
    ]
    bucket = shared[3].blocks[0].attributes["bucket"]
    assert bucket.expression.text() == '"${var.p}-3"'
    assert HclOptions().jobs == 1
