"""Data flows: where a resource's data is replicated, copied, backed up or cached.

Where the primary resource sits is half the answer: a bucket in Frankfurt that replicates to
Virginia is data in the US. Each resource type that sets up a flow has an extractor that
reads, while the resource's values are decoded, what the flow's source and destination are
(a reference, an ARN, a region, the paired region, an edge network). Once every resource is
placed, the destinations are placed the same way, each flow with its evidence chain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from lintsov.catalogue import Catalogue
from lintsov.evidence import Evidence
from lintsov.inventory import Flow, Missing, Place, ResolvedResource
from lintsov.load.plan_json import strip_instance_keys
from lintsov.resolve.values import Values
from lintsov.stack import RESOLVED, Resource

_ARN = re.compile(
    r"^arn:aws[a-z-]*:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):[0-9]*:(?P<rest>.*)$"
)
_KEYED_MODULE = re.compile(r"module\.[A-Za-z0-9_-]+\[[^\]]*\]")
_REFERENCE = re.compile(r"^(?P<type>[a-z0-9]+_[a-z0-9_]+)\.(?P<name>[A-Za-z0-9_-]+)")

# Replication types of an Azure storage account that keep a copy in the paired region.
GEO_REDUNDANT = frozenset({"GRS", "RAGRS", "GZRS", "RAGZRS"})

# Edge networks: where they cache, as far as their documentation says. None restricts
# caching to one region unless configured to (Cloudflare's Regional Services).
EDGE_NETWORKS: Mapping[str, tuple[str, str, tuple[str, ...], str]] = {
    "cloudfront": (
        "aws",
        "Amazon CloudFront",
        ("US",),
        "every CloudFront price class includes edge locations in the United States "
        "(PriceClass_100: USA, Canada, Europe and Israel; source https://docs.aws.amazon.com/"
        "cdk/api/v2/docs/aws-cdk-lib.aws_cloudfront.PriceClass.html)",
    ),
    "azure-cdn": (
        "azure",
        "Azure Front Door / Azure CDN",
        ("US",),
        "Azure Front Door and Azure CDN serve and cache from Microsoft's global edge, "
        "United States included (source https://learn.microsoft.com/en-us/azure/frontdoor/"
        "edge-locations-by-region)",
    ),
    "cloud-cdn": (
        "google",
        "Google Cloud CDN",
        ("US",),
        "Cloud CDN caches at Google's edge locations worldwide, United States included "
        "(source https://cloud.google.com/cdn/docs/locations)",
    ),
    "cloudflare": (
        "cloudflare",
        "Cloudflare",
        ("US",),
        "a proxied Cloudflare record is served and cached from Cloudflare's global "
        "network, United States included, unless a Regional Hostname restricts it (source "
        "https://developers.cloudflare.com/data-localization/regional-services/"
        "regional-hostnames/)",
    ),
}


@dataclass(frozen=True)
class Target:
    """Where a flow goes, as the configuration says it: a reference or ARN to place, a
    region of a vendor, the region paired with the source's, the resource itself (a
    replica), or an edge network."""

    kind: str
    value: str = ""
    vendor: str = ""
    # Edge targets: the host name served, which a Cloudflare Regional Hostname may restrict.
    host: str = ""


@dataclass(frozen=True)
class Spec:
    """A flow as read from one resource, before its ends are placed. ``sources`` are
    references (or addresses) of the resources whose data flows; empty means the resource
    itself."""

    kind: str
    via: str
    sources: tuple[str, ...]
    target: Target
    attribute: str


Extractor = Callable[[Resource, Values], Iterator[Spec]]
SELECTS = "selects for backup"
REGIONALIZES = "regionalizes"
MEMBER_OF = "member of a global database"
# Resource types an AWS Backup selection can name by reference.
_BACKED_UP = (
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_efs_file_system",
    "aws_ebs_volume",
    "aws_s3_bucket",
    "aws_fsx_lustre_file_system",
    "aws_fsx_windows_file_system",
    "aws_instance",
)


def _refs(resource: Resource, attribute: str, *types: str) -> tuple[str, ...]:
    """References of ``attribute``'s expression to resources of ``types``: as written, and
    followed through module outputs, arguments and locals."""
    found = []
    for reference in resource.configured.get(attribute, ()):
        if reference.startswith(RESOLVED):
            kind = _address_of(reference).rsplit(".", 2)[-2]
            if kind in types:
                found.append(reference)
            continue
        match = _REFERENCE.match(reference)
        if match and match.group("type") in types:
            found.append(reference)
    return tuple(found)


def _spec(
    resource: Resource, kind: str, target: Target, attribute: str, sources: Iterable[str] = ()
) -> Spec:
    return Spec(kind, resource.address, tuple(sources), target, attribute)


def _unknown_reason(mark: object, path: tuple[str, ...]) -> str | None:
    """Why the value at ``path`` (through nested blocks) is unknown, or None when it is not:
    an unknown destination is a flow lintsov cannot place, never no flow."""
    if isinstance(mark, str):
        return mark
    if mark is True:
        return "known only after apply"
    if isinstance(mark, list):
        reasons = (_unknown_reason(m, path) for m in mark)
        return next((r for r in reasons if r is not None), None)
    if isinstance(mark, Mapping) and path:
        return _unknown_reason(mark.get(path[0]), path[1:])
    return None


def _unknown_destination(
    resource: Resource,
    values: Values,
    kind: str,
    path: tuple[str, ...],
    sources: Iterable[str] = (),
) -> Iterator[Spec]:
    marks = values.unknown
    reason = _unknown_reason(marks, path) if isinstance(marks, Mapping) else None
    if reason is not None:
        attribute = ".".join(path)
        target = Target("unknown", f"{attribute} of {resource.address}: {reason}")
        yield _spec(resource, kind, target, attribute, sources)


# --- AWS ------------------------------------------------------------------------------


def _s3_replication(resource: Resource, values: Values) -> Iterator[Spec]:
    sources = _refs(resource, "bucket", "aws_s3_bucket") or tuple(values.strings("bucket"))
    arns = values.strings("rule", "destination", "bucket")
    references = [r for r in _refs(resource, "rule", "aws_s3_bucket") if not _same(r, sources)]
    for target in arns or references:
        kind = "arn" if target.startswith("arn:") else "reference"
        yield _spec(
            resource, "replication", Target(kind, target), "rule.destination.bucket", sources
        )
    if not (arns or references):
        path = ("rule", "destination", "bucket")
        yield from _unknown_destination(resource, values, "replication", path, sources)


def _s3_bucket_inline_replication(resource: Resource, values: Values) -> Iterator[Spec]:
    path = ("replication_configuration", "rules", "destination", "bucket")
    for arn in values.strings(*path):
        yield _spec(resource, "replication", Target("arn", arn), ".".join(path))
    if not values.strings(*path):
        yield from _unknown_destination(resource, values, "replication", path)


def _dynamodb_replicas(resource: Resource, values: Values) -> Iterator[Spec]:
    for region in values.strings("replica", "region_name"):
        yield _spec(resource, "replica", Target("region", region, "aws"), "replica.region_name")
    if not values.strings("replica", "region_name"):
        yield from _unknown_destination(resource, values, "replica", ("replica", "region_name"))


def _dynamodb_table_replica(resource: Resource, values: Values) -> Iterator[Spec]:
    sources = _refs(resource, "global_table_arn", "aws_dynamodb_table") or tuple(
        values.strings("global_table_arn")
    )
    yield _spec(resource, "replica", Target("self"), "global_table_arn", sources)


def _rds_replica(resource: Resource, values: Values) -> Iterator[Spec]:
    attribute = "replicate_source_db"
    sources = _refs(resource, attribute, "aws_db_instance") or tuple(values.strings(attribute))
    if sources:
        yield _spec(resource, "read replica", Target("self"), attribute, sources)


def _rds_cluster_replica(resource: Resource, values: Values) -> Iterator[Spec]:
    attribute = "replication_source_identifier"
    sources = _refs(resource, attribute, "aws_rds_cluster") or tuple(values.strings(attribute))
    if sources:
        yield _spec(resource, "read replica", Target("self"), attribute, sources)
    # A member of an Aurora global database: every member holds the others' data.
    for database in _refs(resource, "global_cluster_identifier", "aws_rds_global_cluster"):
        yield _spec(resource, MEMBER_OF, Target("reference", database), "global_cluster_identifier")


def _rds_backup_replication(resource: Resource, values: Values) -> Iterator[Spec]:
    attribute = "source_db_instance_arn"
    sources = _refs(resource, attribute, "aws_db_instance") or tuple(values.strings(attribute))
    yield _spec(resource, "backup copy", Target("self"), attribute, sources)


def _backup_copy(resource: Resource, values: Values) -> Iterator[Spec]:
    path = ("rule", "copy_action", "destination_vault_arn")
    arns = values.strings(*path)
    references = _refs(resource, "rule", "aws_backup_vault")
    for target in arns or references:
        kind = "arn" if target.startswith("arn:") else "reference"
        yield _spec(resource, "backup copy", Target(kind, target), ".".join(path))
    if not (arns or references):
        yield from _unknown_destination(resource, values, "backup copy", path)


def _backup_selection(resource: Resource, values: Values) -> Iterator[Spec]:
    # Not a flow itself: which resources the plan it names backs up (read by place_flows).
    plans = _refs(resource, "plan_id", "aws_backup_plan")
    sources = _refs(resource, "resources", *_BACKED_UP) or tuple(values.strings("resources"))
    for plan in plans:
        yield _spec(resource, SELECTS, Target("reference", plan), "resources", sources)


def _secret_replicas(resource: Resource, values: Values) -> Iterator[Spec]:
    for region in values.strings("replica", "region"):
        yield _spec(resource, "replica", Target("region", region, "aws"), "replica.region")
    if not values.strings("replica", "region"):
        yield from _unknown_destination(resource, values, "replica", ("replica", "region"))


def _kms_replica(resource: Resource, values: Values) -> Iterator[Spec]:
    attribute = "primary_key_arn"
    sources = _refs(resource, attribute, "aws_kms_key") or tuple(values.strings(attribute))
    yield _spec(resource, "replica key", Target("self"), attribute, sources)


def _ecr_replication(resource: Resource, values: Values) -> Iterator[Spec]:
    path = ("replication_configuration", "rule", "destination", "region")
    for region in values.strings(*path):
        # Registry-wide: every repository of the account is replicated.
        yield _spec(
            resource, "replication", Target("region", region, "aws"), ".".join(path), ("*ecr*",)
        )
    if not values.strings(*path):
        yield from _unknown_destination(resource, values, "replication", path, ("*ecr*",))


def _snapshot_copy(attribute: str, source_type: str) -> Extractor:
    def extract(resource: Resource, values: Values) -> Iterator[Spec]:
        sources = _refs(resource, attribute, source_type) or tuple(values.strings(attribute))
        if values.is_unknown("destination_region"):
            yield from _unknown_destination(
                resource, values, "snapshot copy", ("destination_region",), sources
            )
            return
        target = Target("self")
        for region in values.strings("destination_region"):
            target = Target("region", region, "aws")
        yield _spec(resource, "snapshot copy", target, attribute, sources)

    return extract


# --- Azure ----------------------------------------------------------------------------


def _storage_geo_redundancy(resource: Resource, values: Values) -> Iterator[Spec]:
    kind = values.known("account_replication_type")
    if isinstance(kind, str) and kind.upper() in GEO_REDUNDANT:
        yield _spec(
            resource,
            f"geo-redundant copy ({kind.upper()})",
            Target("pair", vendor="azure"),
            "account_replication_type",
        )


def _vault_geo_redundancy(resource: Resource, values: Values) -> Iterator[Spec]:
    mode = values.known("storage_mode_type")
    # GeoRedundant is the provider's default for a Recovery Services vault.
    if mode in (None, "GeoRedundant") and not values.is_unknown("storage_mode_type"):
        restore = (
            " with cross-region restore" if values.known("cross_region_restore_enabled") else ""
        )
        yield _spec(
            resource,
            f"geo-redundant backup storage{restore}",
            Target("pair", vendor="azure"),
            "storage_mode_type",
        )


def _cosmos_locations(resource: Resource, values: Values) -> Iterator[Spec]:
    for location in values.strings("geo_location", "location"):
        yield _spec(resource, "replica", Target("region", location, "azure"), "geo_location")
    if not values.strings("geo_location", "location"):
        path = ("geo_location", "location")
        yield from _unknown_destination(resource, values, "replica", path)


def _failover_group(resource: Resource, values: Values) -> Iterator[Spec]:
    server_types = ("azurerm_mssql_server", "azurerm_sql_server")
    sources = _refs(resource, "server_id", *server_types) or _refs(
        resource, "server_name", *server_types
    )
    sources += _refs(resource, "databases", "azurerm_mssql_database", "azurerm_sql_database")
    partners = _refs(resource, "partner_server", *server_types)
    for partner in partners or values.strings("partner_server", "id"):
        kind = "arn" if partner.startswith("/") else "reference"
        yield _spec(resource, "failover replica", Target(kind, partner), "partner_server", sources)
    if not (partners or values.strings("partner_server", "id")):
        path = ("partner_server", "id")
        yield from _unknown_destination(resource, values, "failover replica", path, sources)


# --- Google ---------------------------------------------------------------------------


def _custom_dual_region(resource: Resource, values: Values) -> Iterator[Spec]:
    path = ("custom_placement_config", "data_locations")
    for location in values.strings(*path):
        yield _spec(
            resource, "dual-region copy", Target("region", location, "google"), ".".join(path)
        )
    if not values.strings(*path):
        yield from _unknown_destination(resource, values, "dual-region copy", path)


def _bigquery_transfer(resource: Resource, values: Values) -> Iterator[Spec]:
    if values.known("data_source_id") != "cross_region_copy":
        return
    sources = _refs(resource, "params", "google_bigquery_dataset")
    for destination in _refs(resource, "destination_dataset_id", "google_bigquery_dataset"):
        yield _spec(
            resource,
            "dataset copy",
            Target("reference", destination),
            "destination_dataset_id",
            sources,
        )


def _bigquery_copy_job(resource: Resource, values: Values) -> Iterator[Spec]:
    # Tables name their dataset by id; the dataset resource is found by that id.
    sources = [f"name:{d}" for d in values.strings("copy", "source_tables", "dataset_id")]
    path = ("copy", "destination_table", "dataset_id")
    for dataset in values.strings(*path):
        yield _spec(resource, "table copy", Target("name", dataset), ".".join(path), sources)


# --- Edge -----------------------------------------------------------------------------


_ORIGIN_TYPES = (
    "aws_s3_bucket",
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "aws_instance",
    "aws_lambda_function_url",
    "aws_apigatewayv2_api",
    "aws_api_gateway_rest_api",
    "azurerm_storage_account",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_app_service",
    "azurerm_public_ip",
    "google_storage_bucket",
    "google_compute_global_address",
    "google_compute_address",
    "hcloud_server",
    "hcloud_load_balancer",
    "scaleway_object_bucket",
    "ovh_cloud_project_storage",
)


def _edge(network: str, *attributes: str) -> Extractor:
    def extract(resource: Resource, values: Values) -> Iterator[Spec]:
        sources: list[str] = []
        for attribute in attributes:
            sources.extend(_refs(resource, attribute, *_ORIGIN_TYPES))
        if sources:
            yield _spec(resource, "edge cache", Target("edge", network), attributes[0], sources)

    return extract


def _cdn_backend_bucket(resource: Resource, values: Values) -> Iterator[Spec]:
    if values.known("enable_cdn") is True:
        sources = _refs(resource, "bucket_name", "google_storage_bucket")
        yield _spec(resource, "edge cache", Target("edge", "cloud-cdn"), "enable_cdn", sources)


def _cloudflare_record(resource: Resource, values: Values) -> Iterator[Spec]:
    if values.known("proxied") is not True:
        return
    sources: list[str] = []
    for attribute in ("content", "value"):
        sources.extend(_refs(resource, attribute, *_ORIGIN_TYPES))
    name = values.known("name")
    host = name if isinstance(name, str) else ""
    if sources:
        target = Target("edge", "cloudflare", host=host)
        yield _spec(resource, "edge cache", target, "proxied", sources)


def _cloudflare_regional_hostname(resource: Resource, values: Values) -> Iterator[Spec]:
    # Not a flow: where Cloudflare processes a host name (read by place_flows).
    hostname, key = values.known("hostname"), values.known("region_key")
    if isinstance(hostname, str) and isinstance(key, str):
        target = Target("region", key, "cloudflare", host=hostname)
        yield _spec(resource, REGIONALIZES, target, "region_key")


EXTRACTORS: Mapping[str, Extractor] = {
    "aws_s3_bucket_replication_configuration": _s3_replication,
    "aws_s3_bucket": _s3_bucket_inline_replication,
    "aws_dynamodb_table": _dynamodb_replicas,
    "aws_dynamodb_global_table": _dynamodb_replicas,
    "aws_dynamodb_table_replica": _dynamodb_table_replica,
    "aws_db_instance": _rds_replica,
    "aws_rds_cluster": _rds_cluster_replica,
    "aws_db_instance_automated_backups_replication": _rds_backup_replication,
    "aws_backup_plan": _backup_copy,
    "aws_backup_selection": _backup_selection,
    "aws_secretsmanager_secret": _secret_replicas,
    "aws_kms_replica_key": _kms_replica,
    "aws_kms_replica_external_key": _kms_replica,
    "aws_ecr_replication_configuration": _ecr_replication,
    "aws_ebs_snapshot_copy": _snapshot_copy("source_snapshot_id", "aws_ebs_snapshot"),
    "aws_db_snapshot_copy": _snapshot_copy("source_db_snapshot_identifier", "aws_db_snapshot"),
    "azurerm_storage_account": _storage_geo_redundancy,
    "azurerm_recovery_services_vault": _vault_geo_redundancy,
    "azurerm_cosmosdb_account": _cosmos_locations,
    "azurerm_mssql_failover_group": _failover_group,
    "azurerm_sql_failover_group": _failover_group,
    "google_storage_bucket": _custom_dual_region,
    "google_bigquery_data_transfer_config": _bigquery_transfer,
    "google_bigquery_job": _bigquery_copy_job,
    "aws_cloudfront_distribution": _edge("cloudfront", "origin"),
    "azurerm_cdn_endpoint": _edge("azure-cdn", "origin", "origin_host_header"),
    "azurerm_cdn_frontdoor_origin": _edge("azure-cdn", "host_name", "origin_host_header"),
    "azurerm_frontdoor": _edge("azure-cdn", "backend_pool"),
    "google_compute_backend_bucket": _cdn_backend_bucket,
    "cloudflare_record": _cloudflare_record,
    "cloudflare_dns_record": _cloudflare_record,
    "cloudflare_regional_hostname": _cloudflare_regional_hostname,
}


def specs(resource: Resource, values: Values) -> tuple[Spec, ...]:
    """The flows a resource sets up, read while its values are decoded."""
    extract = EXTRACTORS.get(resource.type)
    return tuple(extract(resource, values)) if extract else ()


def _same(reference: str, sources: Iterable[str]) -> bool:
    head = _address_of(reference)
    return any(_address_of(s) == head for s in sources)


def _address_of(reference: str) -> str:
    if reference.startswith(RESOLVED):
        return reference[len(RESOLVED) :].split(" ← ", 1)[0]
    match = _REFERENCE.match(reference)
    return f"{match.group('type')}.{match.group('name')}" if match else reference


# --- placing the ends -------------------------------------------------------------------

# The attribute whose value names a resource, per type that flows name by ARN or id.
IDENTITY_ATTRIBUTES = {
    "aws_s3_bucket": "bucket",
    "aws_db_instance": "identifier",
    "aws_rds_cluster": "cluster_identifier",
    "aws_dynamodb_table": "name",
    "aws_backup_vault": "name",
    "aws_db_snapshot": "db_snapshot_identifier",
    "aws_ebs_snapshot": "id",
    "aws_kms_key": "key_id",
    "google_bigquery_dataset": "dataset_id",
}
_ARN_TYPES = {
    "s3": "aws_s3_bucket",
    "db": "aws_db_instance",
    "cluster": "aws_rds_cluster",
    "table": "aws_dynamodb_table",
    "backup-vault": "aws_backup_vault",
}


def identities(resource: Resource, values: Values) -> Iterator[tuple[str, str]]:
    """(type, name) pairs that ARNs and ids elsewhere may use for this resource."""
    attribute = IDENTITY_ATTRIBUTES.get(resource.type)
    if attribute is None:
        return
    value = values.known(attribute)
    if isinstance(value, str) and value and not values.is_sensitive(attribute):
        yield resource.type, value


@dataclass(frozen=True)
class _Index:
    catalogue: Catalogue
    by_address: Mapping[str, ResolvedResource]
    by_config_address: Mapping[str, tuple[ResolvedResource, ...]]
    # Name → (type, address) of the resources known by that name (a bucket, an identifier).
    by_name: Mapping[str, tuple[tuple[str, str], ...]]
    by_type: Mapping[str, tuple[ResolvedResource, ...]]

    def reference(self, via: ResolvedResource, reference: str) -> tuple[ResolvedResource, ...]:
        if reference.startswith(RESOLVED):
            # Instance keys written on the way (module.m["eu"]) keep to that instance.
            address = _address_of(reference)
            keyed = [f"{k}." for k in _KEYED_MODULE.findall(address)]
            found = self.by_config_address.get(strip_instance_keys(address), ())
            return tuple(r for r in found if all(k in r.address for k in keyed))
        match = _REFERENCE.match(reference)
        if match is None or reference.startswith(("data.", "module.", "var.", "local.")):
            return ()
        key = f"{match.group('type')}.{match.group('name')}"
        module = strip_instance_keys(via.module)
        return self.by_config_address.get(f"{module}.{key}" if module else key, ())

    def named(self, name: str, resource_type: str = "") -> tuple[ResolvedResource, ...]:
        found = {
            address
            for kind, address in self.by_name.get(name, ())
            if not resource_type or kind == resource_type
        }
        return tuple(self.by_address[a] for a in sorted(found))

    def arn(self, arn: str) -> tuple[tuple[ResolvedResource, ...], str]:
        """Resources an ARN names, and the ARN's region ("" when it names none)."""
        match = _ARN.match(arn)
        if match is None:
            return (), ""
        rest = match.group("rest")
        if match.group("service") == "s3":
            return self.named(rest.split("/")[0], "aws_s3_bucket"), ""
        kind, _, name = rest.replace("/", ":").partition(":")
        resource_type = _ARN_TYPES.get(kind, "")
        found = self.named(name, resource_type) if resource_type and name else ()
        return found, match.group("region")

    def sources(self, via: ResolvedResource, spec: Spec) -> tuple[ResolvedResource, ...]:
        if not spec.sources:
            return (via,)
        found: list[ResolvedResource] = []
        for source in spec.sources:
            if source == "*ecr*":
                found.extend(self.by_type.get("aws_ecr_repository", ()))
            elif source.startswith("arn:"):
                found.extend(self.arn(source)[0])
            elif source.startswith("name:"):
                found.extend(self.named(source[5:]))
            else:
                found.extend(self.reference(via, source) or self.named(source))
        unique = {r.address: r for r in found}
        # A source outside this configuration: the resource that sets the flow up holds
        # the same data (a replica), so its sensitivity stands in.
        return tuple(unique[a] for a in sorted(unique)) or (via,)


def place_flows(
    found: Mapping[str, tuple[Spec, ...]],
    resolved: Iterable[ResolvedResource],
    identity: Mapping[tuple[str, str], tuple[str, ...]],
    catalogue: Catalogue,
    addresses: Sequence[str],
) -> tuple[Flow, ...]:
    """Every flow with both ends placed (or the reason the destination could not be).
    ``addresses`` are the resources' addresses without instance keys, in their order."""
    if not found:
        return ()
    resources = tuple(resolved)
    by_config: dict[str, list[ResolvedResource]] = {}
    by_type: dict[str, list[ResolvedResource]] = {}
    for resource, address in zip(resources, addresses, strict=True):
        by_config.setdefault(address, []).append(resource)
        by_type.setdefault(resource.type, []).append(resource)
    by_name: dict[str, list[tuple[str, str]]] = {}
    for (kind, name), named in identity.items():
        by_name.setdefault(name, []).extend((kind, address) for address in named)
    index = _Index(
        catalogue,
        {r.address: r for r in resources},
        {k: tuple(v) for k, v in by_config.items()},
        {k: tuple(v) for k, v in by_name.items()},
        {k: tuple(v) for k, v in by_type.items()},
    )
    selected = _selections(index, found)
    regional = {
        spec.target.host: (spec, address)
        for address, specs_here in found.items()
        for spec in specs_here
        if spec.kind == REGIONALIZES
    }
    flows: dict[tuple[str, str, str, str], Flow] = {}
    for address, specs_here in found.items():
        via = index.by_address[address]
        for spec in specs_here:
            if spec.kind in (SELECTS, REGIONALIZES, MEMBER_OF):
                continue
            chosen = selected.get(address, ()) if not spec.sources else ()
            spec_here = _regionalized(spec, regional)
            for source in chosen or index.sources(via, spec):
                for flow in _flows(index, via, source, spec_here):
                    key = (flow.kind, flow.source, flow.via, flow.destination.what)
                    if flow.destination.what != source.address:
                        flows.setdefault(key, flow)
    for flow in _global_databases(index, found):
        flows.setdefault((flow.kind, flow.source, flow.via, flow.destination.what), flow)
    return tuple(flows[key] for key in sorted(flows))


def _global_databases(index: _Index, found: Mapping[str, tuple[Spec, ...]]) -> Iterator[Flow]:
    """Aurora global databases: each member cluster replicates to every other."""
    members: dict[str, list[tuple[ResolvedResource, Spec]]] = {}
    for address, specs_here in found.items():
        via = index.by_address[address]
        for spec in specs_here:
            if spec.kind == MEMBER_OF:
                for found_database in index.reference(via, spec.target.value):
                    members.setdefault(found_database.address, []).append((via, spec))
    for database, clusters in sorted(members.items()):
        for source, _ in clusters:
            for target, spec in clusters:
                if target.address == source.address:
                    continue
                place, evidence, missing = _resource_place(target, f"member of {database}")
                head = Evidence(
                    "flow",
                    "global database replication",
                    (f"{spec.attribute} of {source.address} and {target.address}",),
                )
                yield Flow(
                    "global database replication",
                    source.address,
                    database,
                    place,
                    (head, *evidence),
                    missing,
                    source.location,
                )


def _regionalized(spec: Spec, regional: Mapping[str, tuple[Spec, str]]) -> Spec:
    """A proxied Cloudflare record whose host name a Regional Hostname restricts is
    processed in that region, not on the global network."""
    host = spec.target.host
    if spec.target.kind != "edge" or not host:
        return spec
    for hostname, (restriction, address) in regional.items():
        if hostname == host or hostname.startswith(f"{host}."):
            target = Target("region", restriction.target.value, "cloudflare", host=hostname)
            return Spec(spec.kind, spec.via, spec.sources, target, f"{spec.attribute}; {address}")
    return spec


def _selections(
    index: _Index, found: Mapping[str, tuple[Spec, ...]]
) -> dict[str, tuple[ResolvedResource, ...]]:
    """Backup plan address → the resources its selections back up."""
    selected: dict[str, dict[str, ResolvedResource]] = {}
    for address, specs_here in found.items():
        via = index.by_address[address]
        for spec in specs_here:
            if spec.kind != SELECTS:
                continue
            for plan in index.reference(via, spec.target.value):
                chosen = selected.setdefault(plan.address, {})
                for source in spec.sources:
                    for resource in index.reference(via, source) or index.arn(source)[0]:
                        chosen[resource.address] = resource
    return {plan: tuple(chosen[a] for a in sorted(chosen)) for plan, chosen in selected.items()}


def _flows(
    index: _Index, via: ResolvedResource, source: ResolvedResource, spec: Spec
) -> Iterator[Flow]:
    steps = [f"{spec.attribute} of {via.address}"]
    if source.address != via.address:
        config = strip_instance_keys(source.address)
        how = (_followed(s) for s in spec.sources if _address_of(s) == config)
        steps.extend(h for h in dict.fromkeys(how) if h)
        steps.append(f"data of {source.address}")
    head = Evidence("flow", spec.kind, tuple(steps))
    target = spec.target
    for place, evidence, missing in _destinations(index, via, source, target):
        yield Flow(
            kind=spec.kind,
            source=source.address,
            via=via.address,
            destination=place,
            evidence=(head, *evidence),
            missing=missing,
            location=via.location,
        )


_Destination = tuple[Place, tuple[Evidence, ...], Missing | None]


def _destinations(
    index: _Index, via: ResolvedResource, source: ResolvedResource, target: Target
) -> Iterator[_Destination]:
    if target.kind == "self":
        yield _resource_place(via)
    elif target.kind == "reference":
        found = index.reference(via, target.value) if target.value else ()
        if not found:
            what = target.value or "the destination"
            yield _unplaced(
                what,
                f"{what} is not a resource of this configuration, or is known only after apply",
            )
        how = _followed(target.value)
        for resource in found:
            yield _resource_place(resource, how)
    elif target.kind == "unknown":
        yield _unplaced("the destination", target.value)
    elif target.kind == "name":
        found = index.named(target.value)
        if not found:
            yield _unplaced(target.value, f"{target.value} is not a resource of this configuration")
        for resource in found:
            yield _resource_place(resource)
    elif target.kind == "arn":
        yield from _arn_destination(index, via, target.value)
    elif target.kind == "region":
        yield _region_place(
            index.catalogue,
            target.vendor,
            target.value,
            (f"{target.value} named in the configuration",),
        )
    elif target.kind == "pair":
        yield _paired(index.catalogue, source, target.vendor)
    elif target.kind == "edge":
        yield _edge_place(index.catalogue, target.value)


def _arn_destination(index: _Index, via: ResolvedResource, arn: str) -> Iterator[_Destination]:
    if not arn.startswith("arn:"):
        found = index.named(arn.rsplit("/", 1)[-1])
        if found:
            yield from (_resource_place(r) for r in found)
            return
        yield _unplaced(arn, f"{arn} is not a resource of this configuration")
        return
    found, region = index.arn(arn)
    if found:
        step = f"named by the ARN {arn}"
        yield from (_resource_place(r, step) for r in found)
    elif region:
        yield _region_place(index.catalogue, "aws", region, (f"region part of the ARN {arn}",))
    else:
        yield _unplaced(
            arn,
            f"{arn} names no region (S3 ARNs do not), and the bucket is not in this configuration",
        )


def _followed(reference: str) -> str:
    """How a reference followed through modules reached its resource, for the evidence."""
    if not reference.startswith(RESOLVED):
        return ""
    return f"through {reference.split(' ← ', 1)[1]}"


def _resource_place(resource: ResolvedResource, how: str = "") -> _Destination:
    place = Place(
        resource.address,
        resource.vendor,
        resource.vendor_name,
        resource.operator,
        resource.region,
        resource.countries,
        resource.reach,
        resource.laws,
    )
    region = resource.evidence_for("region", "country")
    missing = resource.missing_for("region", "country", "vendor")
    steps = (*((how,) if how else ()), *(e.text() for e in region))
    evidence = (Evidence("destination", resource.address, steps),)
    if missing:
        return place, evidence, Missing("destination", f"{resource.address}: {missing[0].text()}")
    return place, evidence, None


def _region_place(
    catalogue: Catalogue, vendor_id: str, text: str, steps: tuple[str, ...]
) -> _Destination:
    vendor = catalogue.vendors.get(vendor_id)
    found = catalogue.region(vendor_id, text) if vendor else None
    if vendor is None or found is None:
        return _unplaced(text, f"{text!r} is not a {vendor_id} region in lintsov's catalogue")
    region, how = found
    operator = vendor.operator
    if region.operator:
        operator = catalogue.operators.get(region.operator, operator)
    place = Place(
        f"{vendor_id} region {region.id}",
        vendor.id,
        vendor.name,
        operator.entity.name,
        region.id,
        region.countries,
        operator.reach,
        catalogue.laws_of(operator.reach),
    )
    chain = (
        *((how,) if how else ()),
        *steps,
        f"{region.kind} {region.id} ({region.name}) "
        f"in lintsov's catalogue: {', '.join(region.countries)}",
        f"source {region.source}",
    )
    return place, (Evidence("destination", region.id, chain),), None


def _paired(catalogue: Catalogue, source: ResolvedResource, vendor_id: str) -> _Destination:
    if not source.region:
        return _unplaced(
            "the paired region",
            f"the region of {source.address} is unknown, so its paired region is too",
        )
    pair = catalogue.region_pairs.get((vendor_id, source.region))
    if pair is None:
        return _unplaced(
            "the paired region",
            f"{source.region} has no paired region in lintsov's catalogue",
        )
    paired, where = pair
    steps = (f"{vendor_id} pairs {source.region} with {paired}", f"source {where}")
    return _region_place(catalogue, vendor_id, paired, steps)


def _edge_place(catalogue: Catalogue, network: str) -> _Destination:
    vendor_id, name, countries, note = EDGE_NETWORKS[network]
    vendor = catalogue.vendors.get(vendor_id)
    operator = vendor.operator if vendor else None
    reach = operator.reach if operator else ()
    place = Place(
        name,
        vendor_id,
        vendor.name if vendor else name,
        operator.entity.name if operator else None,
        None,
        countries,
        reach,
        catalogue.laws_of(reach),
    )
    return place, (Evidence("destination", name, (note,)),), None


def _unplaced(what: str, reason: str) -> _Destination:
    return Place(what, None, None, None, None, (), ()), (), Missing("destination", reason)
