"""Terraform's JSON syntax: the same blocks, attributes and expressions as HCL files, with
their real lines, strings read as templates and quoted as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import cli
from lintsov.load.hcl_expr import evaluate
from lintsov.load.hcl_files import attributes_of, module_files, parse_files
from lintsov.load.hcl_json import JsonProblem, configuration, variables
from lintsov.stack import Attr, Known, Unknown

CONFIGURATION = """{
  "//": "a comment Terraform ignores",
  "variable": {
    "env": {"default": "prod"}
  },
  "provider": {
    "aws": [
      {"region": "eu-central-1"},
      {
        "alias": "us",
        "region": "us-east-\\u0031"
      }
    ]
  },
  "resource": {
    "aws_s3_bucket": {
      "logs": {
        "provider": "aws.us",
        "bucket": "\\"q\\" ${var.env}-logs",
        "tags": {"${var.env}-class": "secret", "//": "kept: a tag, not a block"}
      }
    }
  },
  "terraform": {
    "backend": {"s3": {"region": "eu-west-1"}},
    "required_providers": {"aws": {"source": "hashicorp/aws"}}
  }
}
"""


def lookup(traversal: tuple[str | int, ...]) -> Attr:
    if traversal == ("var", "env"):
        return Known("prod", ("var.env",))
    return Unknown("not here")


def test_blocks_and_attributes_have_their_lines(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(CONFIGURATION)
    (parsed,), _ = parse_files(module_files(tmp_path), None, 1)
    blocks = {(b.type, *b.labels, b.attributes.get("alias") is not None): b for b in parsed.blocks}
    us = blocks[("provider", "aws", True)]
    assert (us.start, us.end) == (7, 12)
    assert (us.attributes["region"].line, us.attributes["region"].column) == (11, 9)
    logs = blocks[("resource", "aws_s3_bucket", "logs", False)]
    assert (logs.start, logs.end) == (17, 21)
    assert [(a.name, a.line) for a in logs.attributes.values()] == [
        ("provider", 18),
        ("bucket", 19),
        ("tags", 20),
    ]
    (terraform,) = [b for b in parsed.blocks if b.type == "terraform"]
    assert [(b.type, b.labels, b.start) for b in terraform.blocks] == [
        ("backend", ("s3",), 25),
        ("required_providers", (), 26),
    ]


def test_strings_are_templates_quoted_as_written_in_the_file(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(CONFIGURATION)
    (parsed,), _ = parse_files(module_files(tmp_path), None, 1)
    logs = next(b for b in parsed.blocks if b.labels == ("aws_s3_bucket", "logs"))
    bucket = logs.attributes["bucket"].expression
    assert evaluate(bucket, lookup, "here") == Known(
        '"q" prod-logs', ('\\"q\\" ${var.env}-logs in here', "var.env")
    )
    assert evaluate(logs.attributes["tags"].expression, lookup, "here").value == {  # type: ignore[union-attr]
        "prod-class": "secret",
        "//": "kept: a tag, not a block",
    }
    us = next(b for b in parsed.blocks if b.attributes.get("alias") is not None)
    assert evaluate(us.attributes["region"].expression, lookup, "here") == Known(
        "us-east-1", ("constant in here",)
    )


def test_json_configuration_resolves_like_hcl(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(CONFIGURATION)
    result = cli("inventory", str(tmp_path), "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    (bucket,) = json.loads(result.output)["inputs"][0]["resources"]
    assert bucket["region"] == "us-east-1"
    (region,) = [e["text"] for e in bucket["evidence"] if e["fact"] == "region"]
    assert region.endswith(f"constant in provider aws.us region ({tmp_path / 'main.tf.json'}:11)")


def test_variables_file_values_and_lines() -> None:
    attributes, blocks = variables('{\n  "region": "eu-west-1",\n  "zones": ["a", "b"]\n}\n')
    assert blocks == []
    read = attributes_of("x.tfvars.json", "", attributes)
    assert [(a.name, a.line) for a in read.values()] == [("region", 2), ("zones", 3)]


def test_json_nested_too_deeply_or_not_an_object_is_refused(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text('{"locals": {"x": ' + "[" * 150 + "]" * 150 + "}}")
    result = cli(str(tmp_path), "--no-cache")
    assert result.exit_code == 2
    assert "nested too deeply to parse" in result.output
    assert f"(at {tmp_path / 'main.tf.json'}:1:" in result.output
    (tmp_path / "main.tf.json").write_text('{"resource": {"aws_s3_bucket": {"b": 3}}}')
    result = cli(str(tmp_path), "--no-cache")
    assert result.exit_code == 2
    assert "resource aws_s3_bucket b is not a block" in result.output


def test_unclosed_interpolation_in_a_json_string_is_refused_with_its_line() -> None:
    text = '{\n  "locals": {\n    "x": "a ${var.b"\n  }\n}\n'
    with pytest.raises(JsonProblem) as refused:
        configuration(text)
    assert (refused.value.line, refused.value.column) == (3, 13)
    assert refused.value.what == "the ${ here is not closed"
