"""Resolution works out shared facts once per key (provider source, provider, endpoint and
region; provider location per type, binding and vendor). A memoised answer must be the one
each resource gets when resolved on its own, wherever the key differs in what matters: a
resource's own region attribute, its provider alias, its module."""

from __future__ import annotations

from dataclasses import replace

from helpers import plan_path
from lintsov import catalogue
from lintsov.catalogue import Catalogue
from lintsov.inventory import ResolvedResource
from lintsov.load import load
from lintsov.policy import Policy
from lintsov.resolve import resolve

PLAN = "one_type_differing_region_alias_module"


def _together() -> dict[str, ResolvedResource]:
    stack = load(plan_path(PLAN))
    found = resolve(stack, catalogue.builtin(), Policy())
    return {r.address: r for r in found.resources}


def _alone(address: str) -> ResolvedResource:
    """The resource resolved in a stack of its own, with a catalogue that has answered
    nothing yet: nothing memoised for another resource can reach it."""
    stack = load(plan_path(PLAN))
    (mine,) = [r for r in stack.resources if r.address == address]
    fresh = Catalogue(catalogue.builtin().documents)
    (found,) = resolve(replace(stack, resources=(mine,)), fresh, Policy()).resources
    return found


def test_every_resource_resolves_as_it_does_alone() -> None:
    together = _together()
    assert len(together) == 6
    for address, resolved in together.items():
        assert resolved == _alone(address), address


def test_own_region_attribute_is_not_taken_from_a_resource_of_the_same_type() -> None:
    together = _together()
    plain, own = together["aws_s3_bucket.plain"], together["aws_s3_bucket.own_region"]
    assert (plain.region, plain.countries, plain.jurisdictions) == (
        "eu-central-1",
        ("DE",),
        ("DE", "US"),
    )
    assert (own.region, own.countries, own.jurisdictions) == ("us-east-1", ("US",), ("US",))
    assert [e.text() for e in own.evidence_for("region")] == [
        "region us-east-1 ← attribute region of aws_s3_bucket.own_region"
    ]


def test_region_with_its_own_operator_changes_who_reaches_it() -> None:
    # Same type, provider and vendor as the others: only the region differs, and with it
    # the operator (Sinnet runs AWS's Beijing region) and the reach.
    china = _together()["aws_s3_bucket.china"]
    assert china.operator == "Beijing Sinnet Technology Co., Ltd."
    assert (china.countries, china.reach) == (("CN",), ("CN",))
    (reach,) = china.evidence_for("reach")
    assert "region cn-north-1 is run by Beijing Sinnet Technology Co., Ltd." in reach.steps


def test_provider_alias_gives_its_own_region() -> None:
    together = _together()
    aliased = together["aws_s3_bucket.aliased"]
    assert (aliased.region, aliased.countries) == ("us-east-1", ("US",))
    assert [e.text() for e in aliased.evidence_for("region")] == [
        "region us-east-1 ← provider aws.us ← constant in provider aws.us region"
    ]
    assert together["aws_s3_bucket.plain"].evidence_for("region")[0].steps[0] == "provider aws"


def test_same_resource_in_two_modules_with_different_providers() -> None:
    together = _together()
    eu, us = together["module.eu.aws_s3_bucket.this"], together["module.us.aws_s3_bucket.this"]
    assert (eu.module, eu.region, eu.countries) == ("module.eu", "eu-central-1", ("DE",))
    assert (us.module, us.region, us.countries) == ("module.us", "us-east-1", ("US",))
    assert eu.evidence_for("region")[0].steps[0] == "provider aws"
    assert us.evidence_for("region")[0].steps[0] == "provider aws.us"
