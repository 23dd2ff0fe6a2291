"""The catalogue: every file valid against its schema, every entry with a source, and the
coverage the product promises."""

from __future__ import annotations

import re
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


AZURE_PAIRS = (
    "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/reliability/regions-paired.md"
)


def test_azure_region_pairs_keep_their_direction() -> None:
    pairs = catalogue.builtin().region_pairs
    assert pairs[("azure", "brazilsouth")] == ("southcentralus", AZURE_PAIRS)
    assert pairs[("azure", "southcentralus")][0] == "northcentralus"
    assert pairs[("azure", "northcentralus")][0] == "southcentralus"
    assert pairs[("azure", "westeurope")][0] == "northeurope"
    assert pairs[("azure", "northeurope")][0] == "westeurope"
    assert pairs[("azure", "germanywestcentral")][0] == "germanynorth"
    assert pairs[("azure", "germanynorth")][0] == "germanywestcentral"
    # One-way pairs have no entry back.
    assert pairs[("azure", "westindia")][0] == "southindia"
    assert pairs[("azure", "southindia")][0] == "centralindia"
    assert pairs[("azure", "westus3")][0] == "eastus"
    assert pairs[("azure", "eastus")][0] == "westus"
    assert ("azure", "polandcentral") not in pairs  # a nonpaired region


def test_every_region_pair_names_catalogued_regions() -> None:
    cat = catalogue.builtin()
    assert cat.region_pairs
    for (vendor, region), (pair, source) in cat.region_pairs.items():
        assert cat.region(vendor, region) is not None, region
        assert cat.region(vendor, pair) is not None, pair
        assert source.startswith("https://")


def test_cross_border_pairs_are_noted() -> None:
    azure = DOCUMENTS["regions/azure.json"]["regions"]
    countries = {r["id"]: r["countries"] for r in azure}
    for pair in DOCUMENTS["region_pairs.json"]["pairs"]:
        crosses = countries[pair["region"]] != countries[pair["pair"]]
        assert crosses == ("Crosses a border" in pair.get("note", "")), pair


def test_catalogue_without_region_pairs_document() -> None:
    documents = {k: v for k, v in DOCUMENTS.items() if k != "region_pairs.json"}
    assert Catalogue(documents).region_pairs == {}


@pytest.mark.parametrize(
    ("url", "vendor", "region"),
    [
        ("https://s3.gra.io.cloud.ovh.net", "ovhcloud", "GRA"),
        ("https://my-bucket.s3.eu-west-par.io.cloud.ovh.net", "ovhcloud", "EU-WEST-PAR"),
        ("https://s3.sbg.perf.cloud.ovh.net", "ovhcloud", "SBG"),
        ("https://s3.uk.cloud.ovh.net", "ovhcloud", "UK"),
        ("https://auth.cloud.ovh.net/v3/", "ovhcloud", None),
        ("https://s3.fr-par.scw.cloud", "scaleway", "fr-par"),
        ("https://bucket.s3.nl-ams.scw.cloud", "scaleway", "nl-ams"),
        ("https://s3-eu-central-1.ionoscloud.com", "ionos", "de"),
        ("https://s3.eu-central-3.ionoscloud.com", "ionos", "eu-central-3"),
        ("https://s3.eu-central-4.ionoscloud.com", "ionos", None),
        ("https://obs.eu-de.otc.t-systems.com", "otc", "eu-de"),
        ("https://iam.eu-nl.otc.t-systems.com/v3", "otc", "eu-nl"),
        ("https://rds.eu-de.otc.t-systems.com", "otc", "eu-de"),
        ("https://sos-ch-gva-2.exo.io", "exoscale", "ch-gva-2"),
        ("https://fsn1.your-objectstorage.com", "hetzner", "fsn1"),
        ("https://object.storage.eu01.onstackit.cloud", "stackit", "eu01"),
        ("https://s3.wasabisys.com", "wasabi", "us-east-1"),
        ("https://s3.eu-central-2.wasabisys.com", "wasabi", "eu-central-2"),
        ("https://s3.nl-1.wasabisys.com", "wasabi", "eu-central-1"),
        ("https://0f1e2d3c4b5a.eu.r2.cloudflarestorage.com", "cloudflare", "eu"),
        ("https://0f1e2d3c4b5a.r2.cloudflarestorage.com", "cloudflare", None),
        ("https://api.pub1.infomaniak.cloud/identity/v3", "infomaniak", None),
        ("https://s3-kna1.citycloud.com", "cleura", "Kna1"),
        ("https://fra1.citycloud.com:5000/v3/", "cleura", "Fra1"),
    ],
)
def test_known_public_endpoints_place_vendor_and_region(
    url: str, vendor: str, region: str | None
) -> None:
    from lintsov.resolve.endpoint import place

    placement = place(url, (), catalogue.builtin(), ())
    assert placement.vendor is not None, url
    assert placement.vendor.id == vendor
    assert (placement.region.id if placement.region else None) == region


def test_unknown_host_places_no_vendor() -> None:
    from lintsov.resolve.endpoint import place

    placement = place("https://minio.internal.example:9000", (), catalogue.builtin(), ())
    assert placement.vendor is None
    assert placement.missing is not None


def test_every_endpoint_names_a_catalogued_vendor_and_region() -> None:
    cat = catalogue.builtin()
    assert len(cat.endpoints) >= 30
    for entry in DOCUMENTS["endpoints.json"]["endpoints"]:
        assert entry["vendor"] in cat.vendors, entry["host"]
        if "region" in entry:
            assert cat.region(entry["vendor"], entry["region"]) is not None, entry["host"]
        if "region_pattern" in entry:
            assert "region" in re.compile(entry["region_pattern"]).groupindex, entry["host"]


@pytest.mark.parametrize(
    ("source", "attributes"),
    [
        ("terraform-provider-openstack/openstack", ("auth_url",)),
        ("vmware/vcd", ("url",)),
        ("hashicorp/vsphere", ("vsphere_server",)),
        ("hashicorp/kubernetes", ("host",)),
        ("hashicorp/helm", ("kubernetes.host",)),
        ("telmate/proxmox", ("pm_api_url",)),
        ("bpg/proxmox", ("endpoint",)),
        ("hashicorp/vault", ("address",)),
    ],
)
def test_generic_providers_are_endpoint_providers(source: str, attributes: tuple[str, ...]) -> None:
    found = catalogue.builtin().provider(f"registry.terraform.io/{source}")
    assert found is not None, source
    assert (found.kind, found.vendor, found.endpoint_attributes) == ("endpoint", None, attributes)


def test_openstack_takes_its_region_from_the_provider_and_aws_has_service_endpoints() -> None:
    cat = catalogue.builtin()
    openstack = cat.provider("registry.terraform.io/terraform-provider-openstack/openstack")
    assert openstack is not None
    assert openstack.provider_region_attributes == ("region",)
    aws = cat.provider("registry.terraform.io/hashicorp/aws")
    assert aws is not None
    assert aws.service_endpoints == "endpoints"


@pytest.mark.parametrize(
    ("vendor", "country"), [("wasabi", "US"), ("infomaniak", "CH"), ("cleura", "SE")]
)
def test_new_vendors_operators(vendor: str, country: str) -> None:
    assert catalogue.builtin().vendors[vendor].operator.entity.country == country


@pytest.mark.parametrize(
    ("vendor", "region", "countries"),
    [
        ("wasabi", "eu-central-1", ("NL",)),
        ("wasabi", "uk-2", ("GB",)),
        ("wasabi", "ap-northeast-2", ("JP",)),
        ("cleura", "sto2", ("SE",)),
        ("ionos", "eu-south-2", ("ES",)),
        ("google", "regional-europe-west1", ("BE",)),
        ("google", "EUR4", ("FI", "NL")),
        ("google", "ASIA1", ("JP",)),
    ],
)
def test_new_region_countries(vendor: str, region: str, countries: tuple[str, ...]) -> None:
    found = catalogue.builtin().region(vendor, region)
    assert found is not None, (vendor, region)
    assert found[0].countries == countries


@pytest.mark.parametrize(
    ("type_", "categories"),
    [
        ("aws_secretsmanager_secret", ("secret",)),
        ("aws_secretsmanager_secret_version", ("secret",)),
        ("aws_ssm_parameter", ("secret",)),
        ("aws_kms_key", ("key",)),
        ("aws_kms_replica_key", ("key",)),
        ("azurerm_key_vault", ("secret", "key")),
        ("azurerm_key_vault_secret", ("secret",)),
        ("azurerm_key_vault_key", ("key",)),
        ("azurerm_key_vault_certificate", ("secret", "key")),
        ("google_secret_manager_secret", ("secret",)),
        ("google_secret_manager_secret_version", ("secret",)),
        ("google_kms_crypto_key", ("key",)),
        ("google_kms_key_ring", ("key",)),
        ("vault_kv_secret_v2", ("secret",)),
        ("vault_generic_secret", ("secret",)),
        ("kubernetes_secret_v1", ("secret",)),
        ("openstack_objectstorage_object_v1", ("object-storage",)),
        ("vcd_independent_disk", ("block-storage",)),
        ("vsphere_virtual_disk", ("block-storage",)),
        ("kubernetes_persistent_volume_claim_v1", ("block-storage",)),
        ("proxmox_virtual_environment_vm", ("compute",)),
    ],
)
def test_data_holding_types_of_generic_providers_and_secrets(
    type_: str, categories: tuple[str, ...]
) -> None:
    assert catalogue.builtin().data_types[type_].category in categories


def test_every_catalogued_country_is_an_assigned_iso_code() -> None:
    from lintsov.countries import ASSIGNED

    cat = catalogue.builtin()
    used = {c for r in cat.all_regions() for c in r.countries}
    used |= {
        e.country for v in cat.vendors.values() for e in (v.operator.entity, *v.operator.parents)
    }
    assert used - ASSIGNED == set()
