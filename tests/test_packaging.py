"""What an installed lintsov looks like: rules under lintsov's namespace, listed by
lintsov.builtin_rules (entry points are for plugins), and no top-level `checks` module."""

from __future__ import annotations

import importlib.util
from importlib import metadata

from lintsov.rules import GROUP, load_rules


def test_no_top_level_checks_module_is_installed() -> None:
    distribution = metadata.distribution("lintsov")
    top_levels = {str(f).split("/")[0] for f in distribution.files or []}
    assert "checks" not in top_levels
    spec = importlib.util.find_spec("checks")
    assert spec is None or "lintsov" not in str(spec.origin)


def test_builtin_rules_come_from_the_registry_not_from_entry_points() -> None:
    # Entry points are for plugins: a source checkout has none, and must judge all the same
    # (tests/test_builtin_rules.py runs one).
    ours = [e for e in metadata.entry_points(group=GROUP) if e.dist and e.dist.name == "lintsov"]
    assert ours == []
    rules = load_rules()
    assert rules["SOV001"].check.__module__ == "lintsov.checks.blocked_region"
    assert rules["SOV001"].origin == "lintsov"


def test_every_rule_docstring_answers_the_questions() -> None:
    for rule in load_rules().values():
        for heading in (
            "What it does",
            "Why is this bad?",
            "How lintsov decides",
            "Example",
            "Fix",
        ):
            assert heading in rule.doc, (rule.id, heading)
        assert rule.doc.startswith(f"{rule.id}: ")
        # The title paragraph is one line: explain, docs/rules.md and SARIF's help show the
        # manual after it, and a wrapped title would leave its tail as a stray first line.
        assert "\n" not in rule.doc.split("\n\n", 1)[0], rule.id
        assert rule.manual.startswith("What it does\n"), rule.id


def test_explain_starts_with_the_manual() -> None:
    from helpers import cli

    out = cli("explain", "SOV005").output
    assert out.startswith(
        "SOV005 (warning): Sensitive origin cached by a global edge network in a blocked "
        "jurisdiction\n\nWhat it does\n  Reports a sensitive resource used as the origin"
    )


def test_rules_page_is_generated_from_the_rules() -> None:
    """docs/rules.md is where SARIF's helpUri points; it must say what the rules say."""
    from helpers import ROOT, cli

    shipped = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert shipped == cli("rules", "--format", "markdown").output, (
        "docs/rules.md is stale: lintsov rules --format markdown > docs/rules.md"
    )
    for rule_id in ("SOV001", "SOV002", "SOV003", "AUT001", "LSV001", "LSV002"):
        assert f'<a id="{rule_id.lower()}"></a>' in shipped
