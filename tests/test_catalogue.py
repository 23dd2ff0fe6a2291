"""The catalogue: every file valid against its schema, every entry with a source, and the
coverage the product promises."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from lintsov import catalogue
from lintsov.catalogue import Catalogue, builtin_documents

DOCUMENTS = builtin_documents()
SCHEMA = catalogue.schema()


def schema_for(name: str) -> dict[str, Any]:
    definition = (
        "regions_file" if name.startswith("regions/") else name.removesuffix(".json") + "_file"
    )
    return {**SCHEMA, "$ref": f"#/$defs/{definition}"}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_file_is_valid_against_the_schema(name: str) -> None:
    jsonschema.Draft202012Validator(schema_for(name)).validate(DOCUMENTS[name])


def test_schema_rejects_an_entry_without_source() -> None:
    broken = {"types": [{"type": "aws_s3_bucket", "category": "object-storage"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema_for("data_types.json")).validate(broken)


def test_required_vendors_are_present() -> None:
    required = {
        "aws",
        "azure",
        "google",
        "oracle",
        "ibm",
        "alibaba",
        "tencent",
        "huawei",
        "digitalocean",
        "akamai",
        "vultr",
        "cloudflare",
        "hetzner",
        "ovhcloud",
        "scaleway",
        "ionos",
        "exoscale",
        "stackit",
        "upcloud",
        "otc",
    }
    assert required <= set(catalogue.builtin().vendors)


@pytest.mark.parametrize(
    ("source", "vendor"),
    [
        ("hashicorp/aws", "aws"),
        ("hashicorp/awscc", "aws"),
        ("hashicorp/azurerm", "azure"),
        ("hashicorp/azuread", "azure"),
        ("azure/azapi", "azure"),
        ("hashicorp/google", "google"),
        ("hashicorp/google-beta", "google"),
        ("oracle/oci", "oracle"),
        ("ibm-cloud/ibm", "ibm"),
        ("aliyun/alicloud", "alibaba"),
        ("tencentcloudstack/tencentcloud", "tencent"),
        ("huaweicloud/huaweicloud", "huawei"),
        ("digitalocean/digitalocean", "digitalocean"),
        ("linode/linode", "akamai"),
        ("vultr/vultr", "vultr"),
        ("cloudflare/cloudflare", "cloudflare"),
        ("hetznercloud/hcloud", "hetzner"),
        ("ovh/ovh", "ovhcloud"),
        ("scaleway/scaleway", "scaleway"),
        ("ionos-cloud/ionoscloud", "ionos"),
        ("exoscale/exoscale", "exoscale"),
        ("stackitcloud/stackit", "stackit"),
        ("upcloudltd/upcloud", "upcloud"),
        ("opentelekomcloud/opentelekomcloud", "otc"),
    ],
)
def test_provider_maps_to_vendor(source: str, vendor: str) -> None:
    for host in ("registry.terraform.io", "registry.opentofu.org"):
        found = catalogue.builtin().provider(f"{host}/{source}")
        assert found is not None, source
        assert (found.kind, found.vendor) == ("hosting", vendor)


@pytest.mark.parametrize(
    "name",
    [
        "random",
        "null",
        "local",
        "tls",
        "time",
        "external",
        "http",
        "archive",
        "cloudinit",
        "template",
    ],
)
def test_utility_providers(name: str) -> None:
    found = catalogue.builtin().provider(f"registry.terraform.io/hashicorp/{name}")
    assert found is not None
    assert (found.kind, found.vendor) == ("utility", None)
    builtin_terraform = catalogue.builtin().provider("terraform.io/builtin/terraform")
    assert builtin_terraform is not None
    assert builtin_terraform.kind == "utility"


def test_private_registry_provider_is_unknown() -> None:
    assert catalogue.builtin().provider("registry.example.com/hashicorp/aws") is None


def test_at_least_120_data_holding_types_across_clouds() -> None:
    types = catalogue.builtin().data_types
    assert len(types) >= 120
    for prefix in (
        "aws_",
        "azurerm_",
        "google_",
        "hcloud_",
        "ovh_",
        "scaleway_",
        "ionoscloud_",
        "exoscale_",
        "stackit_",
        "upcloud_",
        "opentelekomcloud_",
    ):
        assert any(t.startswith(prefix) for t in types), prefix
    assert types["aws_s3_bucket"].category == "object-storage"
    assert types["azurerm_key_vault"].category in ("secret", "key")
    assert "aws_iam_role" not in types


@pytest.mark.parametrize(
    ("vendor", "region", "countries"),
    [
        ("aws", "eu-central-1", ("DE",)),
        ("aws", "us-gov-west-1", ("US",)),
        ("aws", "cn-northwest-1", ("CN",)),
        ("aws", "eusc-de-east-1", ("DE",)),
        ("aws", "ap-east-2", ("TW",)),
        ("azure", "westeurope", ("NL",)),
        ("azure", "West Europe", ("NL",)),
        ("azure", "northeurope", ("IE",)),
        ("azure", "chinanorth3", ("CN",)),
        ("azure", "usgovvirginia", ("US",)),
        ("google", "europe-west3", ("DE",)),
        ("google", "asia-east1", ("TW",)),
        ("google", "nam4", ("US",)),
        ("hetzner", "fsn1", ("DE",)),
        ("hetzner", "ash", ("US",)),
        ("hetzner", "hel1", ("FI",)),
        ("ovhcloud", "GRA7", ("FR",)),
        ("ovhcloud", "BHS5", ("CA",)),
        ("scaleway", "fr-par", ("FR",)),
        ("scaleway", "nl-ams-1", ("NL",)),
        ("ionos", "de/fra", ("DE",)),
        ("exoscale", "ch-gva-2", ("CH",)),
        ("stackit", "eu01", ("DE",)),
        ("upcloud", "fi-hel1", ("FI",)),
        ("otc", "eu-de", ("DE",)),
    ],
)
def test_region_country(vendor: str, region: str, countries: tuple[str, ...]) -> None:
    found = catalogue.builtin().region(vendor, region)
    assert found is not None, (vendor, region)
    assert found[0].countries == countries


@pytest.mark.parametrize(
    ("vendor", "region", "operator_country"),
    [
        ("aws", "cn-north-1", "CN"),
        ("aws", "eusc-de-east-1", "DE"),
        ("azure", "chinaeast2", "CN"),
        ("ovhcloud", "US-EAST-VA-1", "US"),
    ],
)
def test_region_specific_operators(vendor: str, region: str, operator_country: str) -> None:
    cat = catalogue.builtin()
    found = cat.region(vendor, region)
    assert found is not None
    assert found[0].operator is not None
    assert cat.operators[found[0].operator].entity.country == operator_country


def test_european_sovereign_cloud_counts_the_us_parent() -> None:
    cat = catalogue.builtin()
    assert cat.operators["aws-eusc"].reach == ("DE", "US")
    assert cat.operators["ovhcloud-us"].reach == ("FR", "US")
    assert cat.vendors["hetzner"].operator.reach == ("DE",)


def test_every_region_operator_exists_and_every_vendor_has_regions() -> None:
    cat = catalogue.builtin()
    for region in cat.all_regions():
        assert region.vendor in cat.vendors, region
        if region.operator:
            assert region.operator in cat.operators, region
    for provider in cat.providers.values():
        if provider.kind == "hosting":
            assert provider.vendor in cat.vendors, provider.source


def test_us_and_china_laws_are_catalogued() -> None:
    cat = catalogue.builtin()
    assert {law.id for law in cat.laws_of(["US"])} >= {"us-cloud-act", "us-fisa-702"}
    assert {law.id for law in cat.laws_of(["CN"])} == {"cn-national-intelligence-law-art7"}


def test_zone_spellings_resolve_only_to_catalogued_regions() -> None:
    cat = catalogue.builtin()
    found = cat.region("google", "europe-west2-c")
    assert found is not None
    assert found[0].id == "europe-west2"
    assert cat.region("aws", "mars-north-1a") is None
    assert cat.region("google", "asia-southeast-1") is None  # the real name is asia-southeast1


def test_catalogue_accepts_extra_documents() -> None:
    documents = dict(DOCUMENTS)
    documents["regions/acme.json"] = {
        "vendor": "acme",
        "sources": ["https://acme.example"],
        "regions": [{"id": "dc1", "name": "DC 1", "countries": ["AT"]}],
    }
    found = Catalogue(documents).region("acme", "DC1")
    assert found is not None
    assert found[0].countries == ("AT",)
