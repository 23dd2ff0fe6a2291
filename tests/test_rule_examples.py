"""The example in every built-in rule's manual is real: written out as a configuration, it
fires the rule it documents."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from helpers import cli
from lintsov import builtin_rules
from lintsov.rules import load_rules


def example(doc: str) -> str:
    """The manual's "Example" section, unindented."""
    lines = doc.splitlines()
    start = lines.index("Example") + 1
    end = next(
        (i for i in range(start, len(lines)) if lines[i] and not lines[i].startswith(" ")),
        len(lines),
    )
    return textwrap.dedent("\n".join(lines[start:end])).strip() + "\n"


@pytest.mark.parametrize("rule_id", sorted(builtin_rules.BUILTIN))
def test_the_manuals_example_fires_its_rule(rule_id: str, tmp_path: Path) -> None:
    rule = load_rules()[rule_id]
    (tmp_path / "main.tf").write_text(example(rule.doc))
    # A rule that is off by default is selected, as its manual says to turn it on.
    selected = () if rule.default_enabled else ("--select", rule_id)
    result = cli(str(tmp_path), "--format", "json", "--fail-on", "never", "--no-cache", *selected)
    assert result.exit_code == 0, result.output
    fired = [f for f in json.loads(result.output)["findings"] if f["rule"] == rule_id]
    assert fired, f"{rule_id}'s example fires no {rule_id}: {result.output}"


def test_example_reads_the_section_only() -> None:
    doc = "X\n\nExample\n  a {\n    b = 1\n  }\n\nFix\n  do it\n"
    assert example(doc) == "a {\n  b = 1\n}\n"
