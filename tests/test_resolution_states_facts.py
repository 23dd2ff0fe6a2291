"""Resolution states facts; the rules judge. Nothing under lintsov/load or lintsov/resolve may
read what the policy blocks, its profile or its thresholds: an inventory must not depend on
them (the folder cache leaves them out of its key)."""

from __future__ import annotations

import ast

import pytest

from helpers import ROOT
from lintsov.policy import Classification, Policy

ROOMS = ("lintsov/load", "lintsov/resolve")
# The policy's judgement: what only rules and the filter may read.
JUDGEMENT = {
    "blocked",
    "profile",
    "max_vendor_share",
    "counts_reach",
    "blocked_reaching",
    "deciding_facts",
    "disabled_rules",
    "severities",
}


def judgement_used(source: str) -> list[str]:
    """Where a module reads the policy's judgement or names ``Policy``, as ``line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in JUDGEMENT:
            found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name) and (node.id in JUDGEMENT or node.id == "Policy"):
            found.append(f"{node.lineno}: {node.id}")
        elif isinstance(node, ast.ImportFrom) and node.module == "lintsov.policy":
            found.extend(
                f"{node.lineno}: import {a.name}" for a in node.names if a.name == "Policy"
            )
        elif isinstance(node, ast.keyword) and node.arg in JUDGEMENT:
            found.append(f"{node.lineno}: {node.arg}=")
    return found


@pytest.mark.parametrize("room", ROOMS)
def test_load_and_resolve_never_read_the_blocked_set(room: str) -> None:
    used = {
        str(path.relative_to(ROOT)): judgement_used(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / room).rglob("*.py"))
    }
    assert len(used) > 3
    assert {path: where for path, where in used.items() if where} == {}


def test_the_scan_catches_a_judgement() -> None:
    # The guard above must be able to fail.
    assert judgement_used("def f(policy):\n    return policy.blocked\n") == ["2: .blocked"]
    assert judgement_used("from lintsov.policy import Policy\n") == ["1: import Policy"]
    assert judgement_used("x = Thing(profile='residency')\n") == ["1: profile="]


def test_classification_carries_no_judgement() -> None:
    fields = set(Classification.__dataclass_fields__)
    assert not fields & JUDGEMENT
    assert fields < set(Policy.__dataclass_fields__)


def test_policy_hands_resolution_its_classification() -> None:
    policy = Policy(
        blocked=frozenset({"DE"}),
        profile="residency",
        sensitive_addresses=("aws_s3_bucket.*",),
        unclassified="sensitive",
    )
    assert policy.classification == Classification(
        sensitive_addresses=("aws_s3_bucket.*",), unclassified="sensitive"
    )
    # What is blocked does not change what resolution is given.
    assert Policy(blocked=frozenset({"US"})).classification == Policy().classification


@pytest.mark.parametrize(
    ("profile", "expected"), [("sovereignty", ["DE", "US"]), ("residency", ["DE"])]
)
def test_blocked_reaching_counts_reach_only_in_sovereignty(
    profile: str, expected: list[str]
) -> None:
    policy = Policy(profile=profile, blocked=frozenset({"US", "DE", "CN"}))  # type: ignore[arg-type]
    assert policy.blocked_reaching(("DE", "FR"), ("US",)) == expected
    facts = policy.deciding_facts
    assert ("vendor" in facts) is (profile == "sovereignty")
