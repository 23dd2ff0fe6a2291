"""Key control: which key encrypts a resource's data, and who can use it.

Data encrypted under a key the vendor cannot use on its own changes the CLOUD Act picture:
a vendor compelled to hand over the data hands over ciphertext. That holds for keys kept
outside the vendor: AWS KMS external key stores (XKS), whose key material stays in an
external key manager behind the XKS proxy, and Google Cloud EKM keys (protection level
EXTERNAL or EXTERNAL_VPC), held in an external key manager. It does not hold for a
customer-managed key in the vendor's own KMS or HSM service: the vendor runs that service
and can be compelled to use the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from lintsov.catalogue import Catalogue
from lintsov.evidence import Evidence
from lintsov.inventory import KeyControl, Place, ResolvedResource
from lintsov.load.plan_json import strip_instance_keys
from lintsov.policy import EndpointRule
from lintsov.resolve.endpoint import place
from lintsov.resolve.values import Values
from lintsov.stack import Resource

KEY_TYPES = (
    "aws_kms_key",
    "aws_kms_external_key",
    "aws_kms_replica_key",
    "google_kms_crypto_key",
    "azurerm_key_vault_key",
    "azurerm_key_vault_managed_hardware_security_module_key",
    "oci_kms_key",
)
# Attributes, top-level or blocks, through which a resource names the key of its data.
KEY_ATTRIBUTES = (
    "kms_key_id",
    "kms_key_arn",
    "kms_master_key_id",
    "kms_key_name",
    "kms_key_self_link",
    "key_vault_key_id",
    "customer_managed_key_id",
    "encryption",
    "encryption_configuration",
    "encryption_config",
    "disk_encryption_key",
    "server_side_encryption",
    "server_side_encryption_configuration",
    "customer_managed_key",
)
# Resources that set the encryption of another resource (named by `bucket`).
ENCRYPTS_OTHER = {"aws_s3_bucket_server_side_encryption_configuration": ("bucket", "aws_s3_bucket")}
EXTERNAL_LEVELS = ("EXTERNAL", "EXTERNAL_VPC")


@dataclass(frozen=True)
class KeyFacts:
    """What a key resource, or a resource a key depends on, says about where the key is."""

    store_refs: tuple[str, ...] = ()
    store_type: str = ""
    proxy: str = ""
    protection_level: str = ""
    external_uri: str = ""
    key_refs: tuple[str, ...] = ()


def _references(resource: Resource, attribute: str, types: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(f"{t}." for t in types)
    return tuple(r for r in resource.configured.get(attribute, ()) if r.startswith(wanted))


def key_uses(resource: Resource) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(references to the data resources it encrypts, or () for itself; key references)."""
    other = ENCRYPTS_OTHER.get(resource.type)
    configured = resource.configured
    keys: list[str] = []
    for attribute in KEY_ATTRIBUTES if other is None else ("rule",):
        if attribute in configured:
            keys.extend(_references(resource, attribute, KEY_TYPES))
    if not keys:
        return (), ()
    targets = _references(resource, other[0], (other[1],)) if other else ()
    return targets, tuple(dict.fromkeys(keys))


def key_facts(resource: Resource, values: Values) -> KeyFacts | None:
    """Facts about key placement, for the key-related resource types."""
    kind = resource.type
    if kind == "aws_kms_key":
        stores = _references(resource, "custom_key_store_id", ("aws_kms_custom_key_store",))
        return KeyFacts(store_refs=stores) if stores else None
    if kind == "aws_kms_custom_key_store":
        store_type = values.known("custom_key_store_type")
        proxy = values.known("xks_proxy_uri_endpoint")
        return KeyFacts(
            store_type=store_type if isinstance(store_type, str) else "AWS_CLOUDHSM",
            proxy=proxy if isinstance(proxy, str) else "",
        )
    if kind == "google_kms_crypto_key":
        template = values.known("version_template")
        level = ""
        if isinstance(template, list) and template and isinstance(template[0], dict):
            level = str(template[0].get("protection_level") or "")
        return KeyFacts(protection_level=level) if level else None
    if kind == "google_kms_crypto_key_version":
        options = values.known("external_protection_level_options")
        uri = ""
        if isinstance(options, list) and options and isinstance(options[0], dict):
            uri = str(options[0].get("external_key_uri") or "")
        refs = _references(resource, "crypto_key", ("google_kms_crypto_key",))
        return KeyFacts(external_uri=uri, key_refs=refs) if uri else None
    if kind == "google_kms_ekm_connection":
        hosts = [
            str(resolver.get("hostname"))
            for resolver in values.known("service_resolvers") or ()
            if isinstance(resolver, dict) and resolver.get("hostname")
        ]
        return KeyFacts(external_uri=hosts[0]) if hosts else None
    return None


def attach(
    resolved: list[ResolvedResource],
    uses: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]],
    facts: Mapping[str, KeyFacts],
    catalogue: Catalogue,
    rules: tuple[EndpointRule, ...],
    addresses: Sequence[str],
) -> list[ResolvedResource]:
    """The resources with the key that encrypts them, and who holds it. ``addresses`` are
    the resources' addresses without instance keys, in their order."""
    if not uses and not facts:
        return resolved
    by_address = {resource.address: resource for resource in resolved}
    by_config: dict[str, list[ResolvedResource]] = {}
    for resource, address in zip(resolved, addresses, strict=True):
        by_config.setdefault(address, []).append(resource)
    # One key often encrypts many resources: judge each key once.
    controls: dict[str, KeyControl] = {}

    def control_of(key: ResolvedResource) -> KeyControl:
        if key.address not in controls:
            controls[key.address] = _control(key, facts, by_config, catalogue, rules)
        return controls[key.address]

    keyed: dict[str, KeyControl] = {}
    for address, (targets, keys) in sorted(uses.items()):
        user = by_address[address]
        for key in _find(by_config, user, keys):
            control = control_of(key)
            for target in _find(by_config, user, targets) if targets else (user,):
                keyed.setdefault(target.address, control)
    # An external key protects itself too: its material is not the vendor's to use.
    for resource in resolved:
        if resource.type in KEY_TYPES and resource.address in facts:
            control = control_of(resource)
            if control.external:
                keyed.setdefault(resource.address, control)
    return [replace(r, key=keyed[r.address]) if r.address in keyed else r for r in resolved]


def _find(
    by_config: Mapping[str, list[ResolvedResource]], user: ResolvedResource, refs: Iterable[str]
) -> Iterator[ResolvedResource]:
    module = strip_instance_keys(user.module)
    for reference in refs:
        kind, _, rest = reference.partition(".")
        head = f"{kind}.{rest.split('.')[0]}"
        yield from by_config.get(f"{module}.{head}" if module else head, ())


def _control(
    key: ResolvedResource,
    facts: Mapping[str, KeyFacts],
    by_config: Mapping[str, list[ResolvedResource]],
    catalogue: Catalogue,
    rules: tuple[EndpointRule, ...],
) -> KeyControl:
    own = facts.get(key.address, KeyFacts())
    if key.type == "aws_kms_key" and own.store_refs:
        for store in _find(by_config, key, own.store_refs):
            store_facts = facts.get(store.address, KeyFacts())
            if store_facts.store_type == "EXTERNAL_KEY_STORE":
                return _external(
                    key,
                    "AWS KMS external key store (XKS)",
                    store_facts.proxy,
                    f"xks_proxy_uri_endpoint of {store.address}",
                    catalogue,
                    rules,
                )
            return _vendor_held(key, f"AWS CloudHSM key store {store.address}")
    if key.type == "google_kms_crypto_key" and own.protection_level in EXTERNAL_LEVELS:
        uri, where = "", ""
        for address, found in sorted(facts.items()):
            versions = by_config.get(strip_instance_keys(address), [])
            if found.external_uri and (
                not found.key_refs
                or any(key in _find(by_config, v, found.key_refs) for v in versions)
            ):
                uri, where = found.external_uri, f"external key manager named by {address}"
                break
        return _external(
            key,
            f"Google Cloud EKM key (protection level {own.protection_level})",
            uri,
            where,
            catalogue,
            rules,
        )
    return _vendor_held(key, f"{key.type} in {key.vendor_name or 'the vendor'}'s key service")


def _names_key(
    by_config: Mapping[str, list[ResolvedResource]],
    address: str,
    found: KeyFacts,
    key: ResolvedResource,
) -> bool:
    """A key version names its crypto key; an EKM connection serves every EKM key."""
    if not found.key_refs:
        return True
    versions = by_config.get(strip_instance_keys(address), [])
    return any(key in _find(by_config, version, found.key_refs) for version in versions)


def _external(
    key: ResolvedResource,
    kind: str,
    url: str,
    where: str,
    catalogue: Catalogue,
    rules: tuple[EndpointRule, ...],
) -> KeyControl:
    if not url:
        return KeyControl(
            key.address,
            kind,
            True,
            None,
            (
                Evidence(
                    "key",
                    key.address,
                    (
                        kind,
                        "the external key manager's address is not in "
                        "the configuration, so lintsov cannot place it",
                    ),
                ),
            ),
        )
    placement = place(url, (where,), catalogue, rules)
    if placement.vendor is None:
        reason = placement.missing.reason if placement.missing else "it cannot be placed"
        return KeyControl(
            key.address, kind, True, None, (Evidence("key", key.address, (kind, reason)),)
        )
    vendor = placement.vendor
    operator = vendor.operator
    region = placement.region
    holder = Place(
        placement.host,
        vendor.id,
        vendor.name,
        operator.entity.name,
        region.id if region else None,
        region.countries if region else (),
        operator.reach,
        catalogue.laws_of(operator.reach),
    )
    steps = (kind, *placement.evidence[0].steps)
    return KeyControl(key.address, kind, True, holder, (Evidence("key", key.address, steps),))


def _vendor_held(key: ResolvedResource, kind: str) -> KeyControl:
    note = (
        "a customer-managed key in the same vendor's key service is no mitigation: the "
        "vendor runs that service and can be compelled to use the key"
    )
    return KeyControl(key.address, kind, False, None, (Evidence("key", key.address, (kind, note)),))
