"""Where Terraform state is kept, and whose law reaches it there.

State holds every secret of a configuration in plain text (database passwords, keys,
tokens), so where it is stored matters as much as where the data is. The backend says it:
``s3``, ``oss``, ``cos`` and ``oci`` name a region of one vendor; ``gcs`` and ``azurerm``
name only the vendor (the bucket's or storage account's location is set elsewhere);
``cloud {}`` and ``remote`` reach HCP Terraform or a Terraform Enterprise host; ``http``,
``pg``, ``consul``, ``kubernetes`` and the rest reach whatever host they are given, which
lintsov places like any endpoint. An ``s3`` backend pointed at an S3-compatible endpoint is
run by whoever runs that host, not by AWS.

OpenTofu can encrypt state before it leaves the machine (``terraform { encryption {} }``).
This module records who holds that key (the team, for a passphrase; a placed KMS or OpenBao
server; or unknown); SOV006 judges whether the key is out of a blocked jurisdiction's reach.
Sources: https://developer.hashicorp.com/terraform/language/backend,
https://opentofu.org/docs/language/state/encryption/
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from lintsov.catalogue import Catalogue, Law, Operator, Region, Vendor
from lintsov.evidence import Evidence
from lintsov.inventory import Missing, Place, StateKey, StateStorage
from lintsov.policy import Classification
from lintsov.resolve.endpoint import Placement, host_of, place
from lintsov.resolve.facts import country_evidence, reach_evidence
from lintsov.stack import Backend, KeyProvider, Known, Stack, StateEncryption

# cloud {} and backend "remote" use HCP Terraform unless `hostname` names another host
# (Terraform Enterprise). https://developer.hashicorp.com/terraform/language/v1.8.x/settings/cloud
HCP_TERRAFORM = "app.terraform.io"
HCP_SOURCE = "https://developer.hashicorp.com/terraform/language/v1.8.x/settings/cloud"
HCP_VENDOR = "hashicorp"
# Backends that keep state in one vendor's object storage, in the region they name.
# https://developer.hashicorp.com/terraform/language/backend/s3 (and /oss, /cos, /oci)
REGIONAL = {"s3": "aws", "oss": "alibaba", "cos": "tencent", "oci": "oracle"}
# Backends on one vendor's storage that do not name its location: the bucket or storage
# account was created elsewhere, with its own location.
# https://developer.hashicorp.com/terraform/language/backend/gcs (and /azurerm)
VENDOR_ONLY = {
    "gcs": ("google", "the bucket's location is set where the bucket was created"),
    "azurerm": ("azure", "the storage account's location is set where it was created"),
}
# The azurerm backend's `environment` that changes the operator: Azure China is run by
# 21Vianet. https://developer.hashicorp.com/terraform/language/backend/azurerm
AZURE_ENVIRONMENTS = {"china": "azure-cn-21vianet"}
# The setting that names the host of a backend that reaches a server; for other backends
# the first of GENERIC_HOST_SETTINGS that is set.
# https://developer.hashicorp.com/terraform/language/backend/http (and /pg, /consul, ...)
HOST_SETTINGS = {
    "cloud": "hostname",
    "remote": "hostname",
    "http": "address",
    "pg": "conn_str",
    "consul": "address",
    "kubernetes": "host",
}
GENERIC_HOST_SETTINGS = ("address", "endpoint", "endpoints", "hostname", "host", "url")
# AWS's own S3 endpoints: an `endpoints.s3` there changes nothing about who runs it.
# https://docs.aws.amazon.com/general/latest/gr/s3.html
AWS_HOSTS = re.compile(r"(^|\.)amazonaws\.com(\.cn)?$")
# libpq's key=value connection strings: `host=db.example.com dbname=state`.
_LIBPQ_HOST = re.compile(r"(?:^|\s)host\s*=\s*'?([^'\s]+)")
# OpenTofu key providers backed by one vendor's key management service.
# https://opentofu.org/docs/language/state/encryption/#key-providers
KMS_VENDORS = {
    "aws_kms": "aws",
    "gcp_kms": "google",
    "azure_vault": "azure",
    "stackit_kms": "stackit",
}
ENCRYPTION_SOURCE = "https://opentofu.org/docs/language/state/encryption/"
# pbkdf2 `chain`s may nest; deeper than this is a loop.
_MAX_CHAIN = 8


@dataclass(frozen=True)
class _Site:
    """Who runs the state's storage and where, as far as the backend says."""

    vendor: Vendor | None = None
    region: Region | None = None
    raw_region: str | None = None
    # Set when the backend itself names the operator (azurerm environment = "china").
    operator: Operator | None = None
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[Missing, ...] = ()
    # The vendor came from an endpoint host rather than from the backend type.
    placed: bool = False


def state_storage(
    stack: Stack, catalogue: Catalogue, classification: Classification
) -> StateStorage | None:
    """Where the stack's state is stored; None for local state or when the input names no
    backend (a plan without its configuration or ``.terraform`` folder)."""
    backend = stack.backend
    if backend is None or backend.type == "local":
        return None
    # resolve/__init__.py imports this module: its evidence helpers are imported on use.

    site = _site(backend, catalogue, classification)
    region = site.region
    operator = site.operator or (site.vendor.operator if site.vendor else None)
    if region is not None and region.operator:
        operator = catalogue.operators.get(region.operator, operator)
    evidence = [_backend_evidence(backend), *site.evidence]
    if region is not None:
        evidence.append(country_evidence(region))
    reach: tuple[str, ...] = ()
    laws: tuple[Law, ...] = ()
    if site.vendor is not None and operator is not None:
        if not site.placed:
            evidence.append(_vendor_evidence(backend, site.vendor))
        reach = operator.reach
        laws = catalogue.laws_of(reach)
        own = region if region is not None and region.operator else None
        guessed = region is None and site.vendor.id in catalogue.region_dependent_vendors
        evidence.append(reach_evidence(operator, own, guessed, laws))
    missing = list(site.missing)
    if region is None and not any(m.fact in ("region", "country") for m in missing):
        where = f"the {backend.type} backend does not say where the state is stored"
        missing.append(Missing("region", where))
    vendor = site.vendor
    return StateStorage(
        backend=backend.type,
        place=Place(
            # The address findings name: terraform.backend.s3, terraform.cloud.
            what=_address(backend.type),
            vendor=vendor.id if vendor else None,
            vendor_name=vendor.name if vendor else None,
            operator=operator.entity.name if operator else None,
            region=region.id if region else site.raw_region,
            countries=region.countries if region else (),
            reach=reach,
            laws=laws,
        ),
        evidence=tuple(evidence),
        missing=tuple(missing),
        encryption=_encryption(stack.encryption, catalogue, classification),
        location=backend.location,
    )


def _address(backend: str) -> str:
    return "terraform.cloud" if backend == "cloud" else f"terraform.backend.{backend}"


# --- where the backend keeps state ---------------------------------------------------------


def _site(backend: Backend, catalogue: Catalogue, classification: Classification) -> _Site:
    if backend.type == "s3":
        endpoint = _s3_endpoint(backend)
        if isinstance(endpoint, _Site):
            return endpoint
        if endpoint is not None:
            return _s3_elsewhere(backend, endpoint, catalogue, classification)
    if backend.type in REGIONAL:
        return _regional(backend, catalogue.vendors.get(REGIONAL[backend.type]), catalogue)
    if backend.type in VENDOR_ONLY:
        return _vendor_only(backend, catalogue)
    if backend.type in ("cloud", "remote"):
        return _hcp_terraform(backend, catalogue, classification)
    return _hosted(backend, catalogue, classification)


def _regional(backend: Backend, vendor: Vendor | None, catalogue: Catalogue) -> _Site:
    if vendor is None:
        return _Site(missing=(Missing("vendor", "the backend's vendor is not in the catalogue"),))
    value = backend.attributes.get("region")
    if value is None:
        reason = (
            f"the {backend.type} backend names no region in the configuration (it may come "
            "from `init -backend-config` or the environment)"
        )
        return _Site(vendor, missing=(Missing("region", reason),))
    if not isinstance(value, Known) or not isinstance(value.value, str) or not value.value:
        why = value.reason if not isinstance(value, Known) else "it is not a string"
        return _Site(vendor, missing=(Missing("region", f"backend {backend.type} region: {why}"),))
    steps = (f"backend {backend.type} region", *value.steps)
    found = catalogue.region(vendor.id, value.value)
    if found is None:
        reason = f"region {value.value} of {vendor.name} is not in lintsov's catalogue"
        return _Site(vendor, None, value.value, missing=(Missing("country", reason),))
    region, how = found
    steps = (how, *steps) if how else steps
    return _Site(vendor, region, value.value, evidence=(Evidence("region", region.id, steps),))


def _vendor_only(backend: Backend, catalogue: Catalogue) -> _Site:
    vendor_id, why = VENDOR_ONLY[backend.type]
    vendor = catalogue.vendors.get(vendor_id)
    operator: Operator | None = None
    evidence: tuple[Evidence, ...] = ()
    environment = backend.attributes.get("environment")
    if isinstance(environment, Known) and isinstance(environment.value, str):
        operator = catalogue.operators.get(AZURE_ENVIRONMENTS.get(environment.value.lower(), ""))
        if operator is not None:
            steps = (f"backend {backend.type} environment {environment.value}", *environment.steps)
            evidence = (Evidence("operator", operator.entity.name, steps),)
    reason = f"the {backend.type} backend does not name a location: {why}"
    return _Site(vendor, operator=operator, evidence=evidence, missing=(Missing("region", reason),))


def _s3_endpoint(backend: Backend) -> tuple[str, tuple[str, ...]] | _Site | None:
    """The S3-compatible endpoint an s3 backend is pointed at: ``endpoints = { s3 = ... }``
    (Terraform 1.6+, OpenTofu) or the older ``endpoint``; None for AWS itself."""
    endpoints = backend.attributes.get("endpoints")
    if endpoints is not None:
        if not isinstance(endpoints, Known):
            return _Site(missing=(Missing("vendor", f"backend s3 endpoints: {endpoints.reason}"),))
        value = endpoints.value.get("s3") if isinstance(endpoints.value, dict) else None
        if isinstance(value, str) and value:
            return _not_aws(value, ("backend s3 endpoints.s3", *endpoints.steps))
    endpoint = backend.attributes.get("endpoint")
    if endpoint is None:
        return None
    if not isinstance(endpoint, Known):
        return _Site(missing=(Missing("vendor", f"backend s3 endpoint: {endpoint.reason}"),))
    if isinstance(endpoint.value, str) and endpoint.value:
        return _not_aws(endpoint.value, ("backend s3 endpoint", *endpoint.steps))
    return None


def _not_aws(url: str, steps: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    host = host_of(url)
    return None if host is not None and AWS_HOSTS.search(host) else (url, steps)


def _s3_elsewhere(
    backend: Backend,
    endpoint: tuple[str, tuple[str, ...]],
    catalogue: Catalogue,
    classification: Classification,
) -> _Site:
    placement = place(endpoint[0], endpoint[1], catalogue, classification.endpoints)
    site = _placed(backend, placement)
    vendor = site.vendor
    if vendor is None or site.region is not None or vendor.id not in catalogue.regions:
        return site
    # An S3-compatible store of a catalogued vendor (Scaleway, OVHcloud...): the backend's
    # region is that vendor's region, not an AWS one.
    regional = _regional(backend, vendor, catalogue)
    return _Site(
        vendor,
        regional.region,
        regional.raw_region,
        evidence=(*site.evidence, *regional.evidence),
        missing=regional.missing,
        placed=True,
    )


def _hcp_terraform(backend: Backend, catalogue: Catalogue, classification: Classification) -> _Site:
    value = backend.attributes.get("hostname")
    if value is None:
        steps: tuple[str, ...] = (
            f"no hostname in the {backend.type} configuration: the default {HCP_TERRAFORM}",
            f"source {HCP_SOURCE}",
        )
        host = HCP_TERRAFORM
    else:
        found = _text_setting(backend, "hostname")
        if isinstance(found, Missing):
            return _Site(missing=(found,))
        host, steps = found
    if host_of(host) == HCP_TERRAFORM:
        vendor = catalogue.vendors.get(HCP_VENDOR)
        reason = "HCP Terraform does not say in the configuration where it stores state"
        evidence = (Evidence("endpoint", HCP_TERRAFORM, steps),)
        return _Site(vendor, evidence=evidence, missing=(Missing("region", reason),))
    return _placed(backend, place(f"https://{host}", steps, catalogue, classification.endpoints))


def _hosted(backend: Backend, catalogue: Catalogue, classification: Classification) -> _Site:
    names = (HOST_SETTINGS[backend.type],) if backend.type in HOST_SETTINGS else None
    setting = next((n for n in names or GENERIC_HOST_SETTINGS if n in backend.attributes), None)
    if setting is None:
        wanted = names[0] if names else "host"
        reason = (
            f"the {backend.type} backend names no {wanted} in the configuration, so lintsov "
            "cannot tell who runs it"
        )
        return _Site(missing=(Missing("vendor", reason),))
    found = _text_setting(backend, setting)
    if isinstance(found, Missing):
        return _Site(missing=(found,))
    text, steps = found
    url = _pg_url(text) if backend.type == "pg" else text
    return _placed(backend, place(url, steps, catalogue, classification.endpoints))


def _text_setting(backend: Backend, name: str) -> tuple[str, tuple[str, ...]] | Missing:
    value = backend.attributes.get(name)
    where = f"backend {backend.type} {name}"
    if value is None:
        return Missing("vendor", f"{where} is not set")
    if not isinstance(value, Known):
        return Missing("vendor", f"{where}: {value.reason}")
    if value.sensitive:
        return Missing("vendor", f"{where} is marked sensitive, so lintsov does not read it")
    text = value.value[0] if isinstance(value.value, list) and value.value else value.value
    if not isinstance(text, str) or not text:
        return Missing("vendor", f"{where} is not a host name or URL")
    return text, (where, *value.steps)


def _pg_url(conn_str: str) -> str:
    """A host lintsov can place from a pg ``conn_str``: a postgres:// URL, or libpq's
    ``host=...`` form. Only the host is ever shown, never the credentials."""
    if "://" in conn_str:
        return conn_str
    match = _LIBPQ_HOST.search(conn_str)
    return match.group(1) if match else ""


def _placed(backend: Backend, placement: Placement) -> _Site:
    if placement.vendor is None:
        unplaced = placement.missing or Missing("vendor", f"host {placement.host} is not placed")
        where = f"nothing says where {placement.host} keeps the state"
        return _Site(missing=(unplaced, Missing("region", where)))
    vendor = placement.vendor
    evidence = [Evidence("vendor", vendor.name, placement.evidence[0].steps)]
    region = placement.region
    missing: tuple[Missing, ...] = ()
    if region is not None:
        steps = (f"endpoint host {placement.host}", *placement.evidence[0].steps[1:])
        evidence.append(Evidence("region", region.id, steps))
    else:
        reason = (
            f"the {backend.type} backend's host {placement.host} does not say where "
            f"{vendor.name} keeps the state"
        )
        missing = (Missing("region", reason),)
    return _Site(vendor, region, None, evidence=tuple(evidence), missing=missing, placed=True)


def _backend_evidence(backend: Backend) -> Evidence:
    location = backend.location
    if location is None:
        return Evidence("backend", backend.type, ())
    if Path(location.file).name == "terraform.tfstate":
        return Evidence("backend", backend.type, (f"recorded by init in {location.text()}",))
    block = "cloud" if backend.type == "cloud" else f'backend "{backend.type}"'
    return Evidence("backend", backend.type, (f"terraform {{ {block} }} ({location.text()})",))


def _vendor_evidence(backend: Backend, vendor: Vendor) -> Evidence:
    steps = (f"the {backend.type} backend stores state with {vendor.name}",)
    return Evidence("vendor", vendor.name, (*steps, f"source {vendor.sources[0]}"))


# --- OpenTofu state encryption -------------------------------------------------------------


def _encryption(
    encryption: StateEncryption | None, catalogue: Catalogue, classification: Classification
) -> StateKey | None:
    """How state is encrypted and who holds its key, as facts; SOV006 judges whether that
    key is out of the blocked jurisdictions' reach."""
    if encryption is None:
        return None
    where = encryption.location.text() if encryption.location else "the configuration"
    if encryption.state_method is None:
        note = (
            f"the encryption block ({where}) has no state {{ method = ... }}: key providers "
            "and methods that do not encrypt state do not count"
        )
        return StateKey("none for state", "none", (note,))
    steps = [f"state {{ method = {encryption.state_method} }} ({where})"]
    method = encryption.method(encryption.state_method)
    if method is None or method.type == "unencrypted" or method.keys is None:
        why = (
            f"{encryption.state_method} is not defined"
            if method is None
            else "it writes state unencrypted"
            if method.type == "unencrypted"
            else f"{method.address} names no key provider lintsov can read"
        )
        return StateKey(encryption.state_method, "none", (*steps, why))
    steps.append(f"{method.address} keys = {method.keys}")
    key = _key(method.keys, encryption, catalogue, classification, 0)
    return replace(
        key,
        value=f"state encrypted with {method.keys}",
        steps=(*steps, *key.steps, f"source {ENCRYPTION_SOURCE}"),
    )


def _key(
    name: str,
    encryption: StateEncryption,
    catalogue: Catalogue,
    classification: Classification,
    depth: int,
) -> StateKey:
    """Who holds the key provider's key; ``value`` is set by the caller."""
    provider = encryption.key_provider(name)
    if provider is None or depth > _MAX_CHAIN:
        return StateKey("", "unknown", (f"{name} is not defined",))
    where = f"{provider.address} ({provider.location.text()})" if provider.location else name
    if provider.type == "pbkdf2":
        if provider.chain is None:
            step = f"{where}: a passphrase the team holds, no vendor holds the key"
            return StateKey("", "team", (step,))
        chained = _key(provider.chain, encryption, catalogue, classification, depth + 1)
        step = f"{where} takes its passphrase from {provider.chain}"
        return replace(chained, steps=(step, *chained.steps))
    if provider.type in KMS_VENDORS:
        return _kms_key(provider, where, catalogue)
    if provider.type == "openbao":
        return _openbao_key(provider, where, catalogue, classification)
    if provider.type == "external":
        why = "an external program supplies the key, so lintsov cannot tell who holds it"
        return StateKey("", "unknown", (f"{where}: {why}",))
    why = f"lintsov does not know the {provider.type} key provider"
    return StateKey("", "unknown", (f"{where}: {why}",))


def _kms_key(provider: KeyProvider, where: str, catalogue: Catalogue) -> StateKey:
    vendor = catalogue.vendors.get(KMS_VENDORS[provider.type])
    if vendor is None:
        return StateKey("", "unknown", (f"{where}: its vendor is not in lintsov's catalogue",))
    operator = vendor.operator
    region = provider.attributes.get("region")
    if isinstance(region, Known) and isinstance(region.value, str):
        found = catalogue.region(vendor.id, region.value)
        if found is not None and found[0].operator:
            operator = catalogue.operators.get(found[0].operator, operator)
    holder = f"{where}: the key is held in {vendor.name}'s key management, run by {operator.chain}"
    # The operator's reach is what counts for a KMS key: the key service answers to it
    # wherever the key sits.
    service = Place(
        what=f"{vendor.name} key management",
        vendor=vendor.id,
        vendor_name=vendor.name,
        operator=operator.entity.name,
        region=None,
        countries=(),
        reach=operator.reach,
        laws=catalogue.laws_of(operator.reach),
    )
    return StateKey("", "service", (holder,), service, "kms")


def _openbao_key(
    provider: KeyProvider, where: str, catalogue: Catalogue, classification: Classification
) -> StateKey:
    value = provider.attributes.get("address")
    if value is None:
        why = "no address: it comes from BAO_ADDR at run time, so lintsov cannot place it"
        return StateKey("", "unknown", (f"{where}: {why}",))
    if not isinstance(value, Known) or not isinstance(value.value, str) or value.sensitive:
        why = value.reason if not isinstance(value, Known) else "it is not a readable URL"
        return StateKey("", "unknown", (f"{where} address: {why}",))
    placement = place(
        value.value, (f"{provider.address} address",), catalogue, classification.endpoints
    )
    if placement.vendor is None:
        why = placement.missing.reason if placement.missing else "it cannot be placed"
        return StateKey("", "unknown", (f"{where}: {why}",))
    operator = placement.vendor.operator
    region = placement.region
    holder = f"{where}: the key is held by OpenBao at {placement.host}, run by {operator.chain}"
    service = Place(
        what=f"OpenBao at {placement.host}",
        vendor=placement.vendor.id,
        vendor_name=placement.vendor.name,
        operator=operator.entity.name,
        region=region.id if region else None,
        countries=region.countries if region else (),
        reach=operator.reach,
        laws=catalogue.laws_of(operator.reach),
    )
    steps = (holder, *placement.evidence[0].steps[1:])
    return StateKey("", "service", steps, service, "openbao")
