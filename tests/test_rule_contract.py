"""The typed rule contract: mypy checks every built-in rule module and the example plugin
against ``RuleModule`` (the assignments below), and a rule that raises while it judges is
reported with its id and distribution (exit 2, one line)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, get_args

import pytest
from test_plugins import install

from helpers import plan_path, run_lintsov
from lintsov import builtin_rules
from lintsov.finding import SEVERITIES, Severity
from lintsov.policy import PROFILES, Profile
from lintsov.rules import SCOPES, Rule, RuleError, Scope, load_rules, run_rule

if TYPE_CHECKING:
    # Checked by mypy only (the modules are lintsov.checks.* once installed): a rule
    # module whose constants or check() do not fit the contract fails the type check.
    from lintsov_example_rules import germany_only

    from checks import (
        blocked_region,
        edge_cache,
        external_access,
        foreign_vendor,
        invalid_waiver,
        module_not_loaded,
        replicated_data,
        single_vendor,
        staff_access,
        state_backend,
        unresolved_location,
    )
    from lintsov.rules import RuleModule, ScopedRuleModule, WaiverRuleModule

    BUILT_IN: tuple[ScopedRuleModule, ...] = (
        blocked_region,
        edge_cache,
        external_access,
        foreign_vendor,
        module_not_loaded,
        replicated_data,
        single_vendor,
        staff_access,
        state_backend,
        unresolved_location,
    )
    WAIVER_RULES: tuple[WaiverRuleModule, ...] = (invalid_waiver,)
    PLUGIN: RuleModule = germany_only


def test_the_literal_types_are_the_values_lintsov_accepts() -> None:
    assert SEVERITIES == get_args(Severity) == ("error", "warning")
    assert SCOPES == get_args(Scope) == ("resource", "input", "configuration")
    assert PROFILES == get_args(Profile) == ("sovereignty", "residency")


def test_the_contract_lists_every_built_in_rule() -> None:
    # The TYPE_CHECKING block above names each module once; a new rule must join it.
    text = Path(__file__).read_text(encoding="utf-8")
    block = text.split("if TYPE_CHECKING:", 1)[1].split("def test_", 1)[0]
    assert all(f"        {name},\n" in block for name in builtin_rules.BUILTIN.values())
    assert {r.scope for r in load_rules().values()} <= set(SCOPES)


def _broken_rule() -> Rule:
    def check(*_: object) -> list[object]:
        raise KeyError("region")

    return Rule("EXA009", "Broken", "warning", "", check, "some-plugin")  # type: ignore[arg-type]


def test_run_rule_names_the_rule_its_distribution_and_the_input() -> None:
    rule = _broken_rule()
    expected = "rule EXA009 from some-plugin failed while judging plan.json: KeyError: 'region'"
    with pytest.raises(RuleError) as raised:
        run_rule(rule, "plan.json", lambda: rule.check(None, None))  # type: ignore[arg-type]
    assert str(raised.value) == expected


RAISING = '''"""EXA003: breaks on every input."""

from collections.abc import Iterator

from lintsov.finding import Finding

ID = "EXA003"
TITLE = "Breaks"
SEVERITY = "warning"


def check(inventory: object, policy: object) -> Iterator[Finding]:
    yield from ()
    raise ValueError("no region\\nhere")
'''


def test_a_plugin_rule_that_raises_stops_the_run_naming_it(tmp_path: Path) -> None:
    env = install(
        tmp_path,
        "[lintsov.checks]\nEXA003 = lintsov_example_rules.raising\n",
        name="acme-broken-rules",
    )
    (tmp_path / "lintsov_example_rules" / "raising.py").write_text(RAISING)
    plan = plan_path("sensitive_bucket_us_region")
    done = run_lintsov(plan, env=env)
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == (
        f"lintsov: error: rule EXA003 from acme-broken-rules failed while judging {plan}: "
        "ValueError: no region here\n"
    )
