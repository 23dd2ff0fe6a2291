"""Whether a resource holds data: its Terraform type in the catalogue, or, for a resource of
the azapi provider (one Terraform type for every Azure resource), the ARM resource type its
``type`` attribute names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lintsov.catalogue import Catalogue, DataType
from lintsov.evidence import Evidence
from lintsov.inventory import Missing
from lintsov.resolve.values import Values
from lintsov.stack import Resource

AZAPI_TYPES = frozenset({"azapi_resource", "azapi_update_resource"})


@dataclass(frozen=True)
class Holding:
    """What kind of data store a resource is (None: it holds no data lintsov knows of), the
    evidence for it, why it could not be told, and the ARM type of an azapi resource
    (lower case, without the API version)."""

    data_type: DataType | None = None
    evidence: Evidence | None = None
    missing: Missing | None = None
    arm_type: str | None = None


NOTHING = Holding()


def holding(resource: Resource, values: Values, catalogue: Catalogue) -> Holding:
    if resource.type in AZAPI_TYPES:
        return _azapi(resource, values, catalogue)
    data_type = catalogue.data_types.get(resource.type)
    if data_type is None:
        return NOTHING
    return Holding(data_type, _type_evidence(data_type))


@lru_cache(maxsize=1024)
def _type_evidence(data_type: DataType) -> Evidence:
    steps = (f"type {data_type.type} in lintsov's catalogue", f"source {data_type.source}")
    return Evidence("data-holding", data_type.category, steps)


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
    if data_type is None:
        return Holding(arm_type=arm_type.lower())
    steps = (
        f"ARM type {arm_type} ({resource.address} type = {text!r}) in lintsov's catalogue",
        f"source {data_type.source}",
    )
    return Holding(
        data_type, Evidence("data-holding", data_type.category, steps), None, arm_type.lower()
    )


def _untold(resource: Resource, why: str) -> Missing:
    return Missing(
        "data-holding",
        f"{why}, so lintsov cannot tell which Azure resource {resource.address} manages, "
        "nor whether it holds data",
    )
