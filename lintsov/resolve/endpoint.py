"""Who really operates an endpoint: the vendor behind the host name a provider is pointed at.

A provider's name does not always tell the vendor. The `aws` provider drives S3-compatible
storage at OVHcloud, Scaleway or a MinIO in one's own data centre through `endpoints { s3 =
... }`; `openstack`, `vcd`, `vsphere`, `kubernetes` and `helm` reach whoever runs the URL
they are given. lintsov places the host name through the team's own `endpoints:` in the
config first (private clouds, `self` for the organisation's data centres), then through the
catalogue's known public endpoints. A host it cannot place leaves the vendor unknown, never
the provider's namesake.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from lintsov.catalogue import Catalogue, Entity, Operator, Provider, Region, Vendor
from lintsov.evidence import Evidence
from lintsov.inventory import Missing
from lintsov.policy import EndpointRule
from lintsov.stack import Known, ProviderConfig, Resource

SELF = "self"
# aws resource type prefixes whose service name in `endpoints {}` differs from the prefix.
_AWS_SERVICES = {
    "db": "rds",
    "lb": "elbv2",
    "alb": "elbv2",
    "elb": "elb",
    "cloudwatch": "cloudwatch",
}


@dataclass(frozen=True)
class Placement:
    """The operator behind a resource's endpoint, or why lintsov could not place it."""

    host: str
    vendor: Vendor | None
    region: Region | None
    evidence: tuple[Evidence, ...]
    missing: Missing | None = None


def host_of(text: str) -> str | None:
    """The host name of a URL or of a bare `host[:port]`, lower case; None for no host."""
    text = text.strip()
    if not text:
        return None
    parts = urlsplit(text if "://" in text else f"//{text}")
    try:
        host = parts.hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def service_of(resource_type: str) -> str:
    """The aws `endpoints {}` key of a resource type: aws_s3_bucket → s3."""
    prefix = resource_type.split("_", 2)[1] if resource_type.count("_") >= 1 else ""
    return _AWS_SERVICES.get(prefix, prefix)


def endpoint_of(
    resource: Resource, provider: Provider | None, configs: Mapping[str, ProviderConfig]
) -> tuple[str, tuple[str, ...]] | Missing | None:
    """The endpoint a resource is operated through, with how lintsov knows; a Missing when
    the provider is generic but its endpoint is not in the plan; None when the provider's
    own vendor operates it."""
    if provider is None:
        return None
    if provider.kind == "endpoint":
        attributes = provider.endpoint_attributes
    elif provider.service_endpoints:
        attributes = (f"{provider.service_endpoints}.{service_of(resource.type)}",)
    else:
        return None
    found: dict[str, tuple[str, ...]] = {}
    for key in resource.provider.candidates:
        config = configs.get(key)
        if config is None:
            continue
        for attribute in attributes:
            value = config.attributes.get(attribute)
            if value is None:
                continue
            if not isinstance(value, Known):
                return Missing(
                    "vendor", f"endpoint {attribute} of provider {config.label}: {value.reason}"
                )
            if value.sensitive:
                return Missing(
                    "vendor",
                    f"endpoint {attribute} of provider {config.label} is marked sensitive, "
                    "so lintsov does not read it",
                )
            if isinstance(value.value, str) and value.value:
                found[value.value] = (f"provider {config.label} {attribute}", *value.steps)
                break
    if len(found) > 1:
        return Missing(
            "vendor", f"its providers name different endpoints ({', '.join(sorted(found))})"
        )
    if found:
        return next(iter(found.items()))
    if provider.kind == "endpoint":
        names = ", ".join(attributes) or "endpoint"
        return Missing(
            "vendor",
            f"the {provider.source} provider is generic and its {names} is not in the "
            "configuration (it may come from the environment), so lintsov cannot tell who "
            "operates it",
        )
    return None


def place(
    url: str,
    steps: tuple[str, ...],
    catalogue: Catalogue,
    rules: tuple[EndpointRule, ...],
) -> Placement:
    """The vendor (and, where the host says, the region) behind an endpoint URL."""
    host = host_of(url)
    if host is None:
        return Placement(
            url, None, None, (), Missing("vendor", f"endpoint {url!r} has no host name")
        )
    for rule in rules:
        if rule.matches(host):
            return _configured(host, rule, steps)
    for entry in catalogue.endpoints:
        if not entry.matches(host):
            continue
        vendor = catalogue.vendors.get(entry.vendor)
        if vendor is None:
            continue
        chain = (
            f"endpoint {host}",
            *steps,
            f"{entry.host} in lintsov's catalogue",
            f"source {entry.source}",
        )
        region = _region(host, entry.region_pattern, entry.region, vendor.id, catalogue)
        return Placement(host, vendor, region, (Evidence("operator", vendor.name, chain),))
    return Placement(
        host,
        None,
        None,
        (),
        Missing(
            "vendor",
            f"endpoint {host} is neither a known public endpoint nor in the config's "
            "`endpoints:`, so lintsov cannot tell who operates it",
        ),
    )


def _region(
    host: str, pattern: re.Pattern[str] | None, fixed: str, vendor: str, catalogue: Catalogue
) -> Region | None:
    name = fixed
    if pattern is not None:
        match = pattern.match(host)
        if match and match.groupdict().get("region"):
            name = match.group("region")
    if not name:
        return None
    found = catalogue.region(vendor, name)
    return found[0] if found else None


def _configured(host: str, rule: EndpointRule, steps: tuple[str, ...]) -> Placement:
    where = f"endpoints: {rule.pattern} in {rule.origin}"
    if rule.own:
        name, slug = "own infrastructure", SELF
    else:
        name, slug = (
            rule.vendor_name,
            "endpoint-" + re.sub(r"[^a-z0-9]+", "-", rule.vendor_name.lower()).strip("-"),
        )
    entity = Entity(name if not rule.own else "the organisation itself", rule.country)
    operator = Operator(slug, entity, (), "", (where,))
    vendor = Vendor(slug, name, operator, (where,))
    region = None
    if rule.country:
        region = Region(slug, host, f"endpoint {host}", "location", (rule.country,), None, where)
    chain = (f"endpoint {host}", *steps, where)
    return Placement(host, vendor, region, (Evidence("operator", name, chain),))
