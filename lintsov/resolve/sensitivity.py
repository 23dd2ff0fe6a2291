"""Whether a resource is marked as holding sensitive data: by a classification tag or label
(wherever its type keeps them, or from provider default tags), by an address glob in the
classification, or by its nature (secret managers, key vaults, secure parameters and keys hold
secrets whatever their tags say); and whether a data-holding resource was classified at all.

A data-holding resource nobody classified is *unclassified*: by default it does not count
as sensitive (only marked data does), and with the policy ``unclassified: sensitive`` it
does, with evidence that says so. A classification whose value is not a sensitive one
(``public``, ``internal``) is a judgement too, and exempts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import NamedTuple

from lintsov.catalogue import DataType, LabelLocation, LabelLocations
from lintsov.evidence import Evidence
from lintsov.policy import Classification
from lintsov.resolve import labels as label_reader
from lintsov.resolve.labels import Label, Unread
from lintsov.resolve.values import Values
from lintsov.stack import Known, ProviderConfig, Resource

# Provider-block settings that add tags or labels to every resource.
DEFAULT_TAG_SETTINGS = ("default_tags.tags", "default_labels")
HIDDEN = "(value marked sensitive by Terraform)"
# Catalogue categories whose resources hold secrets by nature.
SECRET_CATEGORIES = frozenset({"secret", "key"})
# Types that hold secrets only in one setting: an SSM parameter only when SecureString.
SECRET_WHEN = {"aws_ssm_parameter": ("type", "SecureString")}


class Judgement(NamedTuple):
    """Why a resource counts as sensitive (empty: it does not), the evidence of a
    classification that exempts it or of its absence, and whether a data-holding resource
    carries no classification at all."""

    # A NamedTuple, not a frozen dataclass: one is made for every resource, and a tuple is
    # made about twice as fast.
    sensitive: tuple[Evidence, ...]
    classification: tuple[Evidence, ...] = ()
    unclassified: bool = False


# What most resources are judged: neither marked nor data-holding. One value shared by them.
NOT_SENSITIVE = Judgement(())


class _Classification(NamedTuple):
    """A classification label found on the resource or in its provider's default tags."""

    # A NamedTuple, not a frozen dataclass: one or more are made for most resources, and a
    # tuple is made about twice as fast.
    word: str
    key: str
    value: str
    hidden: bool
    steps: tuple[str, ...]
    # The key as the policy's tag_keys match it (OCI's Namespace.key without the namespace).
    matched: str


def sensitivity(
    resource: Resource,
    values: Values,
    configs: Mapping[str, ProviderConfig],
    classification: Classification,
    data_type: DataType | None = None,
    locations: LabelLocations | None = None,
) -> Judgement:
    """Judge the resource. ``data_type`` is what the catalogue says it holds (None: it holds
    no data); ``locations`` where its type keeps tags and labels."""
    keys = classification.sensitive_keys
    read = label_reader.read(values, locations, keys) if locations else label_reader.NOTHING
    own = _own(resource, values, read.found, classification) if read.found else []
    classifications = own + _provider_defaults(resource, configs, classification)
    found: list[Evidence] = []
    seen: set[str] = set()
    for item in classifications:
        if _is_sensitive(item.value, classification) and item.matched.lower() not in seen:
            seen.add(item.matched.lower())
            found.append(Evidence("sensitive", "", (_shown(item), *item.steps)))
    nature = _by_nature(resource, values, data_type) if classification.secrets_by_nature else None
    if nature is not None:
        found.append(nature)
    for pattern in classification.sensitive_addresses:
        if fnmatchcase(resource.address, pattern):
            found.append(
                Evidence(
                    "sensitive",
                    "",
                    (f"address matches {pattern!r}", "sensitive_addresses in the policy"),
                )
            )
    if not found and data_type is None:
        return NOT_SENSITIVE
    if found or data_type is None:
        return Judgement(tuple(found))
    if not classifications:  # most data-holding resources: nobody classified them
        return _unclassified(resource, read.unread, locations, classification)
    judged = next((c for c in classifications if c.value.strip()), None)
    if judged is not None:
        step = f"{_shown(judged)}, not one of the policy's sensitive values"
        return Judgement((), (Evidence("not sensitive", "", (step, *judged.steps)),))
    return _unclassified(resource, read.unread, locations, classification)


def _own(
    resource: Resource, values: Values, found: tuple[Label, ...], classification: Classification
) -> list[_Classification]:
    own_keys = {label.key for label in found if not label.location.provider_defaults}
    result = []
    for label in found:
        if label.matched.lower() not in classification.sensitive_keys:
            continue
        origin = f"{label.where} of {resource.address}"
        if label.location.provider_defaults and label.key not in own_keys:
            origin += " (from the provider's default tags)"
        steps = (origin, *values.origin(label.location.path[0]))
        word = _word(label.location)
        result.append(
            _Classification(word, label.key, label.value, label.hidden, steps, label.matched)
        )
    return result


def _provider_defaults(
    resource: Resource, configs: Mapping[str, ProviderConfig], classification: Classification
) -> list[_Classification]:
    candidates = resource.provider.candidates
    config = configs.get(candidates[0]) if candidates else None
    if config is None:
        return []
    result = []
    keys = classification.sensitive_keys
    for setting in DEFAULT_TAG_SETTINGS:
        value = config.attributes.get(setting)
        if not isinstance(value, Known) or not isinstance(value.value, dict):
            continue
        # Tags are picked before sorting: the provider sets several, most classify nothing.
        tags = [
            (tag, tag_value)
            for tag, tag_value in value.value.items()
            if isinstance(tag, str) and isinstance(tag_value, str) and tag.lower() in keys
        ]
        tags.sort()
        for tag, tag_value in tags:
            steps = (f"provider {config.label} {setting}", *value.steps)
            result.append(_Classification("tag", tag, tag_value, value.sensitive, steps, tag))
    return result


def _unclassified(
    resource: Resource,
    unread: tuple[Unread, ...],
    locations: LabelLocations | None,
    classification: Classification,
) -> Judgement:
    """A data-holding resource without a classification: where lintsov looked, what it
    could not read, and what the policy makes of it."""
    names = locations.names if locations else ""
    looked = (
        f"no classification in {names} of {resource.address}"
        if names
        else (
            f"no classification: lintsov knows no place where {resource.type} keeps tags or labels"
        )
    )
    steps = [looked]
    if unread:
        keys = classification.sensitive_keys
        steps.extend(u.text() for u in unread if u.key is None or u.key.lower() in keys)
    if locations is not None:
        steps += [f"label locations of {locations.entry} in lintsov's catalogue"]
        steps += [f"source {locations.source}"] if locations.source else []
    if classification.unclassified == "sensitive":
        origin = (
            f" ({classification.unclassified_origin})" if classification.unclassified_origin else ""
        )
        steps[0] += f", and policy unclassified=sensitive{origin}"
        return Judgement((Evidence("sensitive", "", tuple(steps)),), (), True)
    return Judgement((), (Evidence("unclassified", "", tuple(steps)),), True)


def _word(location: LabelLocation) -> str:
    """What the provider calls it: a tag, a label, an annotation or metadata."""
    return _word_in(location.path[-1])


@lru_cache(maxsize=256)
def _word_in(name: str) -> str:
    # A word of the attribute's name alone, and a handful of names: asked once a label.
    for word in ("tag", "label", "annotation"):
        if word in name:
            return word
    return "metadata"


def _shown(item: _Classification) -> str:
    return f"{item.word} {item.key}={HIDDEN if item.hidden else item.value}"


def _is_sensitive(value: str, classification: Classification) -> bool:
    return value.strip().lower() in classification.sensitive_values


def _by_nature(resource: Resource, values: Values, data_type: DataType | None) -> Evidence | None:
    if data_type is None or data_type.category not in SECRET_CATEGORIES:
        return None
    condition = SECRET_WHEN.get(resource.type)
    category = data_type.category
    # An azapi resource is what its ARM type is.
    kind = "type" if data_type.type == resource.type else "ARM type"
    steps = [f"{kind} {data_type.type} holds {category}s by nature (catalogue category {category})"]
    if condition is not None:
        attribute, wanted = condition
        if values.known(attribute) != wanted:
            return None
        steps.append(f"{attribute} = {wanted}")
    steps.append("secrets_by_nature in the policy")
    return Evidence("sensitive", "", tuple(steps))
