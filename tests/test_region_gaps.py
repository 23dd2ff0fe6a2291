"""Regions the catalogue used to miss: Firestore/Spanner/Datastore multi-regions and App
Engine location ids, OVHcloud Local Zones, and the vendor regions left out on purpose (with
the reason) because no source read settles their country."""

from __future__ import annotations

import pytest

from helpers import folder_findings, folder_inventory
from lintsov import catalogue
from lintsov.inventory import Inventory, ResolvedResource
from lintsov.policy import Policy

# Firestore databases carry no labels: count unclassified data as sensitive.
RESIDENCY = Policy(profile="residency", unclassified="sensitive")


def _item(inventory: Inventory, address: str) -> ResolvedResource:
    (found,) = [r for r in inventory.resources if r.address == address]
    return found


def test_firestore_eur3_spans_its_european_regions_and_no_us() -> None:
    item = _item(
        folder_inventory("google_multi_region_locations"), "google_firestore_database.orders_eu"
    )
    assert (item.region, item.countries) == ("eur3", ("BE", "NL", "FI"))
    texts = [e.text() for e in item.evidence if e.fact in ("region", "country")]
    assert texts[0] == "region eur3 ← attribute location_id of google_firestore_database.orders_eu"
    assert "firestore/native/docs/locations" in texts[1]


def test_firestore_multi_region_verdicts() -> None:
    found = folder_findings("google_multi_region_locations", RESIDENCY)
    assert ("SOV001", "google_firestore_database.orders_us") in found
    assert ("SOV001", "google_firestore_database.orders_eu") not in found
    assert ("SOV003", "google_firestore_database.orders_eu") not in found


def test_spanner_multi_region_spanning_continents_is_unknown_not_one_country() -> None:
    inventory = folder_inventory("google_multi_region_locations")
    item = _item(inventory, "google_spanner_instance.ledger")
    assert item.countries == ()
    (missing,) = item.missing_for("country")
    assert "'nam-eur-asia1' is not a google region" in missing.reason
    assert ("SOV003", "google_spanner_instance.ledger") in folder_findings(
        "google_multi_region_locations", RESIDENCY
    )
    left_out = catalogue.builtin_documents()["regions/google.json"]["checked"]["left_out"]
    assert "nam-eur-asia1" in {entry["id"] for entry in left_out}


def test_a_storage_dual_region_does_not_place_a_spanner_configuration() -> None:
    inventory = folder_inventory("google_multi_region_locations")
    item = _item(inventory, "google_spanner_instance.accounts")
    assert (item.region, item.countries) == ("eur5", ())
    (missing,) = item.missing_for("country")
    assert missing.reason == (
        "'eur5' is a google dual-region of other services (Belgium and London (dual-region)) "
        "in lintsov's catalogue, not a spanner location whose regions it lists"
    )
    found = folder_findings("google_multi_region_locations", RESIDENCY)
    assert ("SOV003", "google_spanner_instance.accounts") in found


def test_app_engine_location_id_names_its_region() -> None:
    item = _item(
        folder_inventory("google_multi_region_locations"), "google_app_engine_application.app"
    )
    assert (item.region, item.countries) == ("europe-west", ("BE",))


def test_ovhcloud_local_zone_by_its_openstack_region_name() -> None:
    inventory = folder_inventory("ovhcloud_local_zones")
    brussels = _item(inventory, "ovh_cloud_project_instance.brussels")
    assert (brussels.region, brussels.countries, brussels.reach) == (
        "eu-west-lz-bru",
        ("BE",),
        ("FR",),
    )
    new_york = _item(inventory, "ovh_cloud_project_instance.new_york")
    assert new_york.countries == ("US",)
    assert new_york.operator == "OVH US LLC"
    assert "US" in new_york.reach


def test_ovhcloud_local_zone_without_a_sourced_city_stays_unknown() -> None:
    dublin = _item(folder_inventory("ovhcloud_local_zones"), "ovh_cloud_project_instance.dublin")
    assert dublin.countries == ()
    (missing,) = dublin.missing_for("country")
    assert "'EU-WEST-LZ-DLN-A' is not a ovhcloud region" in missing.reason
    found = folder_findings("ovhcloud_local_zones", RESIDENCY)
    assert ("SOV003", "ovh_cloud_project_instance.dublin") in found
    assert ("SOV001", "ovh_cloud_project_instance.new_york") in found
    assert ("SOV001", "ovh_cloud_project_instance.brussels") not in found


@pytest.mark.parametrize(
    ("vendor", "text", "countries"),
    [
        ("ibm", "fra02", ("DE",)),
        ("ibm", "DAL10", ("US",)),
        ("ibm", "us-south-1", ("US",)),
        ("google", "nam5", ("US",)),
        ("google", "us-central", ("US",)),
        ("ovhcloud", "eu-north-lz-hel", ("FI",)),
        ("ovhcloud", "EU-SOUTH-LZ-MAD-A", ("ES",)),
    ],
)
def test_filled_gaps_resolve(vendor: str, text: str, countries: tuple[str, ...]) -> None:
    match = catalogue.builtin().region(vendor, text)
    assert match is not None
    assert match[0].countries == countries


@pytest.mark.parametrize(
    ("vendor", "region"),
    [("stackit", "eu02"), ("exoscale", "hr-zag-1"), ("google", "nam3"), ("aws", "eu-isoe-west-1")],
)
def test_unsourced_regions_are_left_out_with_a_reason(vendor: str, region: str) -> None:
    assert catalogue.builtin().region(vendor, region) is None
    checked = catalogue.builtin_documents()[f"regions/{vendor}.json"]["checked"]
    reasons = {entry["id"]: entry["reason"] for entry in checked["left_out"]}
    assert reasons[region]
    assert checked["on"] == "2026-12-06"
    assert checked["source"].startswith("https://")
