"""Which cloud a provider talks to, and so who operates it: provider settings that choose a
cloud (google `universe_domain` and project prefixes, azurerm/azuread/azapi `environment`
and `metadata_host`), and partner-operated clouds.

The operator of a resource is the vendor's default operator, unless its region names
another (AWS China, Azure China, a partner cloud's region) or a provider setting chooses
another cloud. A setting lintsov does not know, or cannot read, leaves the operator
unknown: a guess would be confidently wrong. A setting that is not in the configuration
may still come from the environment, which lintsov never reads; the evidence says so.

Partner clouds (S3NS, Bleu, Delos Cloud, Google Cloud Dedicated in Germany) are run by a
company other than the technology's licensor: that company is the operator, and the
evidence names the licensor and any stake it holds, without counting it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from lintsov.catalogue import Catalogue, Operator, Provider, Region, Vendor
from lintsov.catalogue.partners import PROJECT_PREFIX, CloudSetting, Partner
from lintsov.evidence import Evidence
from lintsov.inventory import Missing
from lintsov.resolve.facts import reach_evidence
from lintsov.stack import Known, ProviderConfig, Resource

# The operator a configuration's settings leave to the vendor's default and its region.
_DEFAULT = ""


@dataclass(frozen=True)
class Cloud:
    """What a resource's provider settings say about its cloud: the operator id they
    choose (``None``: no setting chooses one), the evidence, and what is missing."""

    operator: str | None
    evidence: tuple[Evidence, ...] = ()
    missing: Missing | None = None


@dataclass(frozen=True)
class Choice:
    """The operator of a resource, with the evidence and what is missing."""

    operator: Operator | None
    evidence: tuple[Evidence, ...]
    missing: Missing | None
    # A provider setting chose the operator: the region does not have to.
    by_setting: bool = False


def cloud_of(
    resource: Resource,
    provider: Provider | None,
    configs: Mapping[str, ProviderConfig],
    catalogue: Catalogue,
    memo: dict[tuple[str, str], Cloud],
) -> Cloud | None:
    """The cloud the provider configurations a resource may use choose; None when the
    provider has no setting that chooses a cloud. ``memo`` keeps each configuration's
    answer: many resources share one configuration."""
    if provider is None or not provider.vendor:
        return None
    settings = catalogue.clouds.settings_for(provider.source)
    if not settings:
        return None
    found: set[Cloud] = set()
    for key in resource.provider.candidates:
        if key not in configs:
            continue
        if (key, provider.source) not in memo:
            memo[key, provider.source] = _cloud(configs[key], provider.vendor, settings, catalogue)
        found.add(memo[key, provider.source])
    if not found:
        return None
    ordered = sorted(found, key=_order)
    for cloud in ordered:
        if cloud.missing is not None:
            return cloud
    if len({cloud.operator for cloud in ordered}) == 1:
        return ordered[0]
    chosen = sorted({c.operator or "the vendor's default" for c in found})
    return Cloud(
        None,
        (),
        Missing(
            "operator",
            "the provider configurations it may use choose different clouds "
            f"({', '.join(chosen)}), so lintsov cannot tell which one holds it",
        ),
    )


def _order(cloud: Cloud) -> tuple[str, str, tuple[str, ...]]:
    # Evidence texts too: output must not depend on set order.
    reason = cloud.missing.reason if cloud.missing else ""
    return (cloud.operator or "", reason, tuple(e.text() for e in cloud.evidence))


def _cloud(
    config: ProviderConfig,
    vendor: str,
    settings: tuple[CloudSetting, ...],
    catalogue: Catalogue,
) -> Cloud:
    """The cloud one provider configuration chooses."""
    chosen: dict[str, list[Evidence]] = {}
    unset: list[CloudSetting] = []
    for setting in settings:
        attribute = "project" if setting.attribute == PROJECT_PREFIX else setting.attribute
        where = f"provider {config.label} {attribute}"
        value = config.attributes.get(attribute)
        if setting.attribute == PROJECT_PREFIX and not (
            isinstance(value, Known) and not value.sensitive
        ):
            # A project is only a hint: one lintsov cannot read says nothing either way.
            continue
        if value is None:
            unset.append(setting)
            continue
        if not isinstance(value, Known):
            return Cloud(
                None,
                (),
                Missing(
                    "operator", f"{where}, which chooses the cloud, is unknown: {value.reason}"
                ),
            )
        if value.sensitive:
            return Cloud(
                None,
                (),
                Missing(
                    "operator",
                    f"{where}, which chooses the cloud, is marked sensitive, so lintsov "
                    "does not read it",
                ),
            )
        if not isinstance(value.value, str) or not value.value.strip():
            if setting.attribute != PROJECT_PREFIX:
                unset.append(setting)
            continue
        text = value.value.strip()
        if setting.attribute == PROJECT_PREFIX:
            # Only a known prefix says anything: public Google Cloud has domain-scoped
            # project ids (example.com:project) too.
            if ":" not in text:
                continue
            text = text.split(":", 1)[0]
        known = catalogue.clouds.value(vendor, setting.attribute, text)
        if known is None:
            if setting.attribute == PROJECT_PREFIX:
                continue
            return Cloud(
                None,
                (),
                Missing(
                    "operator",
                    f"{where} is {text!r}, a cloud that lintsov's catalogue does not "
                    "know, so it cannot tell who operates it (map it to an operator under "
                    "`catalogue: settings:` in the config)",
                ),
            )
        operator = catalogue.operators.get(known.operator)
        name = operator.entity.name if operator else known.operator
        shown = f"{value.value.strip()} (prefix {text})" if text != value.value.strip() else text
        steps = (
            f"{where} = {shown}",
            *value.steps,
            f"{known.value} is {known.name} in lintsov's catalogue",
            f"source {known.source}",
        )
        chosen.setdefault(known.operator, []).append(Evidence("operator", name, steps))
    if len(chosen) > 1:
        names = ", ".join(sorted(chosen))
        return Cloud(
            None,
            (),
            Missing(
                "operator",
                f"the settings of provider {config.label} choose different clouds "
                f"(operators {names}), so lintsov cannot tell which one holds it",
            ),
        )
    if chosen:
        operator_id, evidence = next(iter(chosen.items()))
        return Cloud(operator_id, tuple(evidence))
    if not unset:
        return Cloud(None)
    default = catalogue.vendors[vendor].operator.entity.name if vendor in catalogue.vendors else ""
    return Cloud(None, (_unset_evidence(config, unset, default),))


def _unset_evidence(config: ProviderConfig, unset: list[CloudSetting], default: str) -> Evidence:
    names = " or ".join(s.attribute for s in unset)
    defaults = ", ".join(f"{s.attribute} {s.default}" for s in unset if s.default)
    outside = " or ".join(dict.fromkeys(s.outside for s in unset))
    steps = (
        f"provider {config.label} sets no {names}",
        f"the provider's default{f' ({defaults})' if defaults else ''} applies unless "
        f"{outside} chooses another cloud, whose operator may differ; lintsov reads the "
        "configuration only, so that choice is invisible to it",
        f"source {unset[0].source}",
    )
    return Evidence("operator", f"{default} (the provider's default cloud)".strip(), steps)


def choose(
    vendor: Vendor, region: Region | None, cloud: Cloud | None, catalogue: Catalogue
) -> Choice:
    """The operator of a resource of ``vendor`` in ``region`` (None: unknown) whose provider
    settings say ``cloud``; its evidence ends with whose law reaches the operator."""
    choice = _choose(vendor, region, cloud, catalogue)
    operator = choice.operator
    if operator is None:
        return choice
    own_operator = region if region is not None and region.operator else None
    guessed = (
        region is None and not choice.by_setting and vendor.id in catalogue.region_dependent_vendors
    )
    laws = catalogue.laws_of(operator.reach)
    reach = reach_evidence(operator, own_operator, guessed, laws)
    return dataclasses.replace(choice, evidence=(*choice.evidence, reach))


def _choose(
    vendor: Vendor, region: Region | None, cloud: Cloud | None, catalogue: Catalogue
) -> Choice:
    by_region = vendor.operator
    if region is not None and region.operator:
        by_region = catalogue.operators.get(region.operator, vendor.operator)
    placed: tuple[Evidence, ...] = ()
    if region is not None:
        placed = _mapped(vendor.id, region, by_region, catalogue)
        placed += _partition(vendor.id, region.id, catalogue)
    by_region_evidence = _partner(by_region, catalogue) + placed
    if cloud is None:
        return Choice(by_region, by_region_evidence, None)
    if cloud.missing is not None:
        return Choice(None, cloud.evidence, cloud.missing)
    if cloud.operator is None:
        if by_region is not vendor.operator:
            # The region exists only in another cloud (a partner's, 21Vianet's): it chooses.
            return Choice(by_region, by_region_evidence, None)
        return Choice(by_region, cloud.evidence + by_region_evidence, None)
    chosen = catalogue.operators.get(cloud.operator)
    if chosen is None:  # config extensions are checked on load; kept for safety
        reason = f"operator {cloud.operator!r} is not in the catalogue"
        return Choice(None, cloud.evidence, Missing("operator", reason))
    if region is not None and by_region.id != chosen.id:
        return Choice(
            None,
            cloud.evidence,
            Missing(
                "operator",
                f"the provider settings choose a cloud run by {chosen.entity.name}, but "
                f"region {region.id} is in lintsov's catalogue as run by "
                f"{by_region.entity.name}; lintsov cannot tell which is right",
            ),
        )
    found = cloud.evidence + _partner(chosen, catalogue) + placed
    return Choice(chosen, found, None, by_setting=True)


def _mapped(
    vendor: str, region: Region, operator: Operator, catalogue: Catalogue
) -> tuple[Evidence, ...]:
    source = catalogue.region_operators.get((vendor, region.id))
    if source is None:
        return ()
    steps = (f"region {region.id} is run by {operator.entity.name}", f"source {source}")
    return (Evidence("operator", operator.entity.name, steps),)


def _partition(vendor: str, region: str, catalogue: Catalogue) -> tuple[Evidence, ...]:
    partition = catalogue.clouds.partition(vendor, region)
    if partition is None:
        return ()
    steps = (
        f"region {region} is in partition {partition.id} ({partition.name}), whose "
        f"service hosts end in {partition.dns_suffix}",
        f"source {partition.source}",
    )
    return (Evidence("partition", partition.id, steps),)


def _partner(operator: Operator, catalogue: Catalogue) -> tuple[Evidence, ...]:
    partner = catalogue.clouds.partners.get(operator.id)
    return (_partner_evidence(operator, partner),) if partner is not None else ()


@lru_cache(maxsize=64)
def _partner_evidence(operator: Operator, partner: Partner) -> Evidence:
    steps = (
        f"{partner.name} is a partner-operated cloud: {operator.entity.name} "
        f"({operator.entity.country}) runs it",
        f"{partner.licensor} licenses the technology and is not the operator, so lintsov "
        "does not count its reach",
        f"stake: {partner.stake}",
        f"source {partner.sources[0]}",
    )
    return Evidence("operator", operator.entity.name, steps)
