"""Whether a resource holds data: its Terraform type in the catalogue, or, for a resource of
the azapi provider (one Terraform type for every Azure resource), the ARM resource type its
``type`` attribute names. A resource that does not is told so, with the reason, so that a
reader of the inventory sees why it was not judged as a data store."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lintsov.catalogue import REGISTRY_HOSTS, Catalogue, DataType, Provider
from lintsov.evidence import Evidence
from lintsov.inventory import Missing
from lintsov.resolve.values import Values
from lintsov.stack import Resource

AZAPI_TYPES = frozenset({"azapi_resource", "azapi_update_resource"})
NOT_HOLDING = "not data-holding"


@dataclass(frozen=True)
class Holding:
    """What kind of data store a resource is (None: it holds no data lintsov knows of), the
    evidence for it, why it could not be told, and the ARM type of an azapi resource
    (lower case, without the API version). ``absent`` is the evidence that a resource holds
    no data: why lintsov does not count it as a data store."""

    data_type: DataType | None = None
    evidence: Evidence | None = None
    missing: Missing | None = None
    arm_type: str | None = None
    absent: Evidence | None = None


def holding(
    resource: Resource, values: Values, catalogue: Catalogue, provider: Provider | None
) -> Holding:
    if resource.type in AZAPI_TYPES:
        return _azapi(resource, values, catalogue)
    data_type = catalogue.data_types.get(resource.type)
    if data_type is not None:
        return _listed(data_type)
    if provider is not None and provider.kind == "utility":
        return _utility(resource.provider_source)
    if provider is None:
        return _unknown_provider(resource.type, resource.provider_source or "(none)")
    return _not_listed(resource.type)


@lru_cache(maxsize=1024)
def _listed(data_type: DataType) -> Holding:
    steps = (f"type {data_type.type} in lintsov's catalogue", f"source {data_type.source}")
    return Holding(data_type, Evidence("data-holding", data_type.category, steps))


# One Holding per type or provider, shared by all their resources: a large plan has
# thousands of resources of a few dozen types.
@lru_cache(maxsize=4096)
def _not_listed(resource_type: str) -> Holding:
    why = f"type {resource_type} is not in lintsov's list of data-holding types"
    return Holding(absent=Evidence(NOT_HOLDING, "", (why,)))


@lru_cache(maxsize=64)
def _utility(source: str) -> Holding:
    why = (
        f"utility provider {_short(source)} holds nothing: what it makes stays in the state "
        "(judged by SOV006) and on the machine that runs Terraform"
    )
    return Holding(absent=Evidence(NOT_HOLDING, "", (why,)))


@lru_cache(maxsize=1024)
def _unknown_provider(resource_type: str, source: str) -> Holding:
    # Not "no": SOV003 counts a sensitive resource of an unknown provider as holding data.
    why = (
        f"type {resource_type} is not in lintsov's list of data-holding types, and its "
        f"provider {source} is not in lintsov's catalogue"
    )
    return Holding(missing=Missing("data-holding", why))


def _short(source: str) -> str:
    """``registry.terraform.io/hashicorp/random`` → ``hashicorp/random``."""
    host, _, rest = source.partition("/")
    return rest if host in REGISTRY_HOSTS and rest else source


def _azapi(resource: Resource, values: Values, catalogue: Catalogue) -> Holding:
    if values.is_unknown("type"):
        return Holding(missing=_untold(resource, "its type is known only after apply"))
    if values.is_sensitive("type"):
        return Holding(
            missing=_untold(resource, "its type is marked sensitive, so lintsov does not read it")
        )
    text = values.known("type")
    if not isinstance(text, str) or not text:
        return Holding(missing=_untold(resource, "it names no type"))
    # `<resource-type>@<api-version>`; ARM compares resource types case-insensitively.
    arm_type = text.split("@", 1)[0].strip()
    data_type = catalogue.arm_types.get(arm_type.lower())
    shown = f"({resource.address} type = {text!r})"
    if data_type is None:
        why = f"ARM type {arm_type} {shown} is not a data-holding ARM type in lintsov's catalogue"
        return Holding(arm_type=arm_type.lower(), absent=Evidence(NOT_HOLDING, "", (why,)))
    steps = (f"ARM type {arm_type} {shown} in lintsov's catalogue", f"source {data_type.source}")
    return Holding(
        data_type, Evidence("data-holding", data_type.category, steps), None, arm_type.lower()
    )


def _untold(resource: Resource, why: str) -> Missing:
    return Missing(
        "data-holding",
        f"{why}, so lintsov cannot tell which Azure resource {resource.address} manages, "
        "nor whether it holds data",
    )
