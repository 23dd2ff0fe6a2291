"""Resources that are nowhere in particular: global resources, which a vendor keeps in no one
region. A global resource that holds no data (a VPC network, a firewall rule) is placed
"global": not the provider's region, which it never uses, and not unknown. A global resource
that holds data is placed by the locations it names for its bytes (``storage_locations``),
else left unknown with the reason: the vendor then chooses where its bytes sit, and lintsov
does not guess, so SOV003 still reports it when it is sensitive."""

from __future__ import annotations

from dataclasses import dataclass

from lintsov.catalogue import Region
from lintsov.evidence import Evidence
from lintsov.inventory import Missing
from lintsov.resolve.values import Values, dig
from lintsov.stack import Resource

GOOGLE_SCOPES = (
    "https://cloud.google.com/compute/docs/regions-zones/global-regional-zonal-resources"
)
GOOGLE_SNAPSHOT_LOCATIONS = (
    "https://cloud.google.com/compute/docs/disks/snapshots#selecting_a_storage_location"
)
GOOGLE_IMAGE_LOCATIONS = (
    "https://cloud.google.com/compute/docs/images/create-custom#selecting_image_storage_location"
)


@dataclass(frozen=True)
class GlobalType:
    """A global Terraform type: what it is (for the evidence), where that is written, and,
    for one that holds data, the attribute naming where its bytes are kept and what the
    vendor does when the attribute is not set."""

    what: str
    source: str
    stored_in: str = ""
    unset: str = ""


_NETWORK = "part of a global VPC network, which spans every region"
_BALANCING = "a global load-balancing component, served from Google's edge in every region"

GLOBAL_TYPES: dict[str, GlobalType] = {
    "google_compute_network": GlobalType("a VPC network, global in Google Cloud", GOOGLE_SCOPES),
    "google_compute_firewall": GlobalType(f"a firewall rule, {_NETWORK}", GOOGLE_SCOPES),
    "google_compute_route": GlobalType(f"a route, {_NETWORK}", GOOGLE_SCOPES),
    "google_compute_network_peering": GlobalType(f"a peering, {_NETWORK}", GOOGLE_SCOPES),
    "google_compute_network_firewall_policy": GlobalType(
        f"a global firewall policy, {_NETWORK}", GOOGLE_SCOPES
    ),
    "google_compute_network_firewall_policy_rule": GlobalType(
        f"a global firewall policy rule, {_NETWORK}", GOOGLE_SCOPES
    ),
    "google_compute_firewall_policy": GlobalType(
        "a hierarchical firewall policy, global in Google Cloud", GOOGLE_SCOPES
    ),
    "google_compute_firewall_policy_rule": GlobalType(
        "a hierarchical firewall policy rule, global in Google Cloud", GOOGLE_SCOPES
    ),
    "google_compute_global_address": GlobalType("a global static IP address", GOOGLE_SCOPES),
    "google_compute_global_forwarding_rule": GlobalType(
        f"a global forwarding rule, {_BALANCING}", GOOGLE_SCOPES
    ),
    "google_compute_backend_service": GlobalType(
        f"a global backend service, {_BALANCING}", GOOGLE_SCOPES
    ),
    "google_compute_backend_bucket": GlobalType(
        f"a backend bucket, {_BALANCING}; the bucket it serves has its own location",
        GOOGLE_SCOPES,
    ),
    "google_compute_url_map": GlobalType(f"a global URL map, {_BALANCING}", GOOGLE_SCOPES),
    "google_compute_target_http_proxy": GlobalType(
        f"a global target proxy, {_BALANCING}", GOOGLE_SCOPES
    ),
    "google_compute_target_https_proxy": GlobalType(
        f"a global target proxy, {_BALANCING}", GOOGLE_SCOPES
    ),
    "google_compute_target_ssl_proxy": GlobalType(
        f"a global target proxy, {_BALANCING}", GOOGLE_SCOPES
    ),
    "google_compute_target_tcp_proxy": GlobalType(
        f"a global target proxy, {_BALANCING}", GOOGLE_SCOPES
    ),
    "google_compute_health_check": GlobalType("a global health check", GOOGLE_SCOPES),
    "google_compute_http_health_check": GlobalType("a global health check", GOOGLE_SCOPES),
    "google_compute_https_health_check": GlobalType("a global health check", GOOGLE_SCOPES),
    "google_compute_ssl_certificate": GlobalType(
        f"a global SSL certificate, {_BALANCING}", GOOGLE_SCOPES
    ),
    "google_compute_managed_ssl_certificate": GlobalType(
        f"a global managed SSL certificate, {_BALANCING}", GOOGLE_SCOPES
    ),
    "google_compute_ssl_policy": GlobalType(f"a global SSL policy, {_BALANCING}", GOOGLE_SCOPES),
    "google_compute_security_policy": GlobalType(
        f"a global Cloud Armor security policy, {_BALANCING}", GOOGLE_SCOPES
    ),
    # Global and data-holding: the bytes sit where storage_locations says; unset, Google
    # picks the multi-region (or region) nearest the source, which the plan does not say.
    "google_compute_image": GlobalType(
        "a disk image, a global resource",
        GOOGLE_IMAGE_LOCATIONS,
        "storage_locations",
        "without storage_locations Google stores it in the multi-region nearest its source "
        "disk, which lintsov does not guess",
    ),
    "google_compute_snapshot": GlobalType(
        "a disk snapshot, a global resource",
        GOOGLE_SNAPSHOT_LOCATIONS,
        "storage_locations",
        "without storage_locations Google stores it in the multi-region nearest its source "
        "disk, which lintsov does not guess",
    ),
    "google_compute_machine_image": GlobalType(
        "a machine image, a global resource",
        GOOGLE_SCOPES,
        "",
        "Google chooses where its bytes are stored, and its Terraform type names no storage "
        "location",
    ),
}


def global_region(vendor: str, spec: GlobalType) -> Region:
    """The place of a global resource that holds no data: no country, for none applies."""
    return Region(
        vendor=vendor,
        id="global",
        name="global",
        kind="global",
        countries=(),
        operator=None,
        source=spec.source,
        note=spec.what,
    )


def stored_names(
    resource: Resource, values: Values, spec: GlobalType, read_from: str
) -> tuple[str, ...] | Missing:
    """The locations a data-holding global resource names for its bytes, or why there are
    none lintsov can use."""
    what = f"{resource.address} is {spec.what} (source {spec.source})"
    attribute = spec.stored_in
    if attribute and values.is_unknown(attribute):
        if attribute not in resource.configured and resource.has_configuration:
            # Not set: the provider reports what Google chose, after apply.
            return Missing("region", f"{what}; {spec.unset}")
        return Missing("region", f"{what}; its {attribute} is known only after apply")
    if attribute and values.is_sensitive(attribute):
        return Missing(
            "region",
            f"{what}; its {attribute} is marked sensitive in {read_from}, "
            "so lintsov does not read it",
        )
    found = dig(values.known(attribute)) if attribute else []
    names = tuple(n for n in found if isinstance(n, str) and n)
    return names or Missing("region", f"{what}; {spec.unset}")


def global_evidence(resource: Resource, spec: GlobalType) -> Evidence:
    """Why a global resource that holds no data is placed nowhere in particular."""
    steps = (
        f"{resource.address} is {spec.what}",
        f"source {spec.source}",
        "it is in no region: no country's soil applies, its operator's reach does",
    )
    return Evidence("region", "global", steps)
