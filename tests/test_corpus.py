"""Every real plan in ../shared/corpus/plans: lintsov reads it (exit 0 or 1, never 2 or a
traceback), and every resource is resolved or says why not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import CORPUS, cli
from lintsov import catalogue
from lintsov.load import LoadOptions
from lintsov.pipeline import inventories
from lintsov.policy import Policy

PLANS = sorted((CORPUS / "plans").glob("*.json")) if (CORPUS / "plans").is_dir() else []
pytestmark = pytest.mark.skipif(not PLANS, reason="../shared/corpus/plans is not present")


@pytest.mark.parametrize("path", PLANS, ids=[p.name[:60] for p in PLANS])
def test_corpus_plan_reads_and_resolves(path: Path) -> None:
    result = cli(str(path), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    (inventory,) = inventories([str(path)], catalogue.builtin(), Policy(), LoadOptions())
    assert report["summary"]["resources"] == len(inventory.resources)
    for item in inventory.resources:
        if item.provider_kind == "utility":
            continue
        if item.provider_kind == "unknown":
            assert item.missing_for("vendor"), item.address
        if item.region == "global":
            # A global resource is in no country, and says why (resolve/global_scope.py).
            assert item.evidence_for("region"), item.address
        elif item.region is None or not item.countries:
            assert item.missing_for("region", "country"), item.address
        else:
            assert item.evidence_for("region", "country"), item.address


def test_corpus_facts_we_know() -> None:
    """Spot checks against what the corpus files say (PROVENANCE.md notes)."""

    def first(name: str) -> object:
        (inv,) = inventories(
            [str(CORPUS / "plans" / name)], catalogue.builtin(), Policy(), LoadOptions()
        )
        return inv

    booleans = first("checkov__tests-terraform-parser-resources-plan_booleans-tfplan.json")
    regions = {r.address: r.region for r in booleans.resources}  # type: ignore[attr-defined]
    # The instance names its own zone; the service account has only the provider's region.
    assert regions == {
        "google_compute_instance.default": "us-central1",
        "google_service_account.default": "europe-west2",
    }
    no_config = first("checkov__tests-terraform-parser-resources-plan_after_unknown-tfplan.json")
    for item in no_config.resources:  # type: ignore[attr-defined]
        assert item.region is None or item.missing == ()
    malformed = first(
        "tfvalidator__testdata-templates-example_compute_target_https_proxy.tfplan.json"
    )
    for item in malformed.resources:  # type: ignore[attr-defined]
        if item.region == "asia-southeast-1":
            assert item.countries == ()
            assert "not a google region" in item.missing_for("country")[0].reason
