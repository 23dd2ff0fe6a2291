"""Locations that override the provider's region (IBM classic data centers, zones), children
placed by their load balancer, global resources, and Terraform 0.12-0.15 module provider
keys without a provider_config entry."""

from __future__ import annotations

from helpers import findings_of, folder_findings, folder_inventory, resource
from lintsov.inventory import Inventory, ResolvedResource
from lintsov.policy import Policy

RESIDENCY = Policy(profile="residency")


def _item(inventory: Inventory, address: str) -> ResolvedResource:
    (found,) = [r for r in inventory.resources if r.address == address]
    return found


def _texts(item: ResolvedResource, fact: str) -> list[str]:
    return [e.text() for e in item.evidence if e.fact == fact]


def test_ibm_classic_datacenter_places_the_resource_not_the_provider_region() -> None:
    inventory = folder_inventory("ibm_classic_and_load_balancer_parts")
    ledger = _item(inventory, "ibm_compute_vm_instance.ledger")
    assert (ledger.region, ledger.countries) == ("fra02", ("DE",))
    assert _texts(ledger, "region") == [
        "region fra02 ← attribute datacenter of ibm_compute_vm_instance.ledger"
    ]
    assert "security-groups-ibm-cloud-ip-ranges" in _texts(ledger, "country")[0]
    archive = _item(inventory, "ibm_storage_block.archive")
    assert (archive.region, archive.countries) == ("dal10", ("US",))


def test_ibm_classic_datacenter_decides_the_residency_verdict() -> None:
    found = folder_findings("ibm_classic_and_load_balancer_parts", RESIDENCY)
    assert ("SOV001", "ibm_storage_block.archive") in found
    assert ("SOV001", "ibm_compute_vm_instance.ledger") not in found
    assert not {f for f in found if f[0] == "SOV003"}


def test_ibm_zone_places_the_resource_in_its_region() -> None:
    volume = _item(folder_inventory("ibm_classic_and_load_balancer_parts"), "ibm_is_volume.scratch")
    assert (volume.region, volume.countries) == ("eu-de", ("DE",))
    assert _texts(volume, "region")[0].startswith(
        "region eu-de ← eu-de-1 is a numbered zone of eu-de ← attribute zone"
    )


def test_load_balancer_listener_is_where_its_load_balancer_is() -> None:
    inventory = folder_inventory("ibm_classic_and_load_balancer_parts")
    listener = _item(inventory, "ibm_is_lb_listener.https")
    assert (listener.region, listener.countries) == ("eu-de", ("DE",))
    assert _texts(listener, "region")[0].startswith(
        "region eu-de ← parent ibm_is_lb.front (referenced by lb) ← eu-de-2 is a numbered zone"
    )


def test_global_network_and_firewall_are_global_not_the_provider_region() -> None:
    inventory = folder_inventory("google_global_resources")
    for address in ("google_compute_network.vpc", "google_compute_firewall.ssh"):
        item = _item(inventory, address)
        assert (item.region, item.countries, item.missing) == ("global", (), ())
        (text,) = _texts(item, "region")
        assert text.startswith(f"region global ← {address} is ")
        assert "global-regional-zonal-resources" in text
        # Not placed in a country; its operator's reach still counts.
        assert item.jurisdictions == ("US",)


def test_global_snapshot_without_storage_locations_is_unknown_and_reported() -> None:
    inventory = folder_inventory("google_global_resources")
    snapshot = _item(inventory, "google_compute_snapshot.backup")
    assert snapshot.region is None
    (missing,) = snapshot.missing_for("region")
    assert "without storage_locations Google stores it" in missing.reason
    found = folder_findings("google_global_resources", RESIDENCY)
    assert ("SOV003", "google_compute_snapshot.backup") in found


def test_global_data_is_placed_by_its_storage_locations() -> None:
    inventory = folder_inventory("google_global_resources")
    image = _item(inventory, "google_compute_image.golden")
    assert image.region == "EU"
    assert "US" not in image.countries
    assert _texts(image, "region")[0].startswith(
        "region EU ← storage_locations of google_compute_image.golden: eu"
    )
    us_copy = _item(inventory, "google_compute_snapshot.us_copy")
    assert us_copy.countries == ("US",)
    found = folder_findings("google_global_resources", RESIDENCY)
    assert ("SOV001", "google_compute_snapshot.us_copy") in found
    assert ("SOV001", "google_compute_image.golden") not in found
    assert ("SOV003", "google_compute_image.golden") not in found


def test_module_key_without_provider_config_uses_the_parent_default_0_12() -> None:
    item = resource("module_key_without_provider_config_0_12", "module.rds.aws_db_instance.this")
    assert (item.region, item.countries) == ("us-east-1", ("US",))
    assert _texts(item, "region") == [
        "region us-east-1 ← provider aws ← module.rds has no provider block for aws; it comes "
        "from the root module ← constant in provider aws region"
    ]
    found = findings_of("module_key_without_provider_config_0_12", RESIDENCY)
    assert ("SOV001", "module.rds.aws_db_instance.this") in found


def test_global_snapshot_in_a_plan_unset_or_unknown_storage_locations() -> None:
    name = "global_snapshot_storage_locations_unset_or_unknown"
    unset = resource(name, "google_compute_snapshot.s")
    (missing,) = unset.missing_for("region")
    assert missing.reason.endswith(
        "without storage_locations Google stores it in the multi-region nearest its source "
        "disk, which lintsov does not guess"
    )
    from_variable = resource(name, "google_compute_snapshot.t")
    (missing,) = from_variable.missing_for("region")
    assert missing.reason.endswith("its storage_locations is known only after apply")
    # Never the provider's region (europe-west1).
    assert (unset.region, from_variable.region) == (None, None)
    assert ("SOV003", "google_compute_snapshot.s") in findings_of(name, RESIDENCY)
