"""Whether a resource is marked as holding sensitive data: by a classification tag or label
(on the resource or from provider default tags), by an address glob in the policy, or by its
nature (secret managers, key vaults, secure parameters and keys hold secrets whatever their
tags say)."""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase

from lintsov.catalogue import DataType
from lintsov.evidence import Evidence
from lintsov.policy import Policy
from lintsov.resolve.values import Values
from lintsov.stack import Known, ProviderConfig, Resource

# Where providers put tags and labels; tags_all and effective_labels include provider defaults.
TAG_ATTRIBUTES = ("tags", "labels", "tags_all", "effective_labels", "terraform_labels")
# Provider-block settings that add tags or labels to every resource.
DEFAULT_TAG_SETTINGS = ("default_tags.tags", "default_labels")
HIDDEN = "(value marked sensitive by Terraform)"
# Catalogue categories whose resources hold secrets by nature.
SECRET_CATEGORIES = frozenset({"secret", "key"})
# Types that hold secrets only in one setting: an SSM parameter only when SecureString.
SECRET_WHEN = {"aws_ssm_parameter": ("type", "SecureString")}


def sensitivity(
    resource: Resource,
    values: Values,
    configs: Mapping[str, ProviderConfig],
    policy: Policy,
    data_type: DataType | None = None,
) -> tuple[Evidence, ...]:
    """Evidence for each reason the resource counts as sensitive; empty when none.
    ``data_type`` is what the catalogue says the resource holds."""
    found: list[Evidence] = []
    seen: set[str] = set()
    own_keys: set[str] = set()
    for attribute in TAG_ATTRIBUTES:
        tags = values.known(attribute)
        if not isinstance(tags, dict):
            continue
        if attribute in ("tags", "labels"):
            own_keys.update(k for k in tags if isinstance(k, str))
        for key, value in sorted(tags.items()):
            if not _matches(key, value, policy) or key.lower() in seen:
                continue
            seen.add(key.lower())
            shown = HIDDEN if values.is_sensitive(attribute, key) else value
            origin = f"{attribute} of {resource.address}"
            if (
                attribute in ("tags_all", "effective_labels", "terraform_labels")
                and key not in own_keys
            ):
                origin = f"{attribute} of {resource.address} (from the provider's default tags)"
            found.append(
                Evidence("sensitive", "", (f"tag {key}={shown}", origin, *values.origin(attribute)))
            )
    for key in resource.provider.candidates[:1]:
        config = configs.get(key)
        if config is None:
            continue
        for setting in DEFAULT_TAG_SETTINGS:
            value = config.attributes.get(setting)
            if not isinstance(value, Known) or not isinstance(value.value, dict):
                continue
            for tag, tag_value in sorted(value.value.items()):
                if _matches(tag, tag_value, policy) and tag.lower() not in seen:
                    seen.add(tag.lower())
                    shown = HIDDEN if value.sensitive else tag_value
                    found.append(
                        Evidence(
                            "sensitive",
                            "",
                            (
                                f"tag {tag}={shown}",
                                f"provider {config.label} {setting}",
                                *value.steps,
                            ),
                        )
                    )
    nature = _by_nature(resource, values, data_type) if policy.secrets_by_nature else None
    if nature is not None:
        found.append(nature)
    for pattern in policy.sensitive_addresses:
        if fnmatchcase(resource.address, pattern):
            found.append(
                Evidence(
                    "sensitive",
                    "",
                    (f"address matches {pattern!r}", "sensitive_addresses in the policy"),
                )
            )
    return tuple(found)


def _matches(key: object, value: object, policy: Policy) -> bool:
    return (
        isinstance(key, str)
        and isinstance(value, str)
        and key.lower() in policy.sensitive_keys
        and value.strip().lower() in policy.sensitive_values
    )


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
