"""Compute holds data: servers, VMs, templates, scale groups and Kubernetes node pools of every
hosting provider are judged where they run, and the inventory says of everything that is not
a data store why not."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from helpers import cli, folder_findings, folder_inventory, outcome_of, plan_path, resource
from lintsov import catalogue
from lintsov.evidence import Evidence
from lintsov.finding import Finding
from lintsov.inventory import ResolvedResource
from lintsov.load import LoadOptions
from lintsov.pipeline import inventories, judge
from lintsov.policy import Policy
from lintsov.rules import load_rules

PLAN = "compute_servers"
FOLDER = "compute_servers"
REGISTRY = "https://registry.terraform.io/providers/"
AWS_REACH = (
    "reach US ← operator Amazon Web Services, Inc. (US) → Amazon.com, Inc. (US) "
    "← CLOUD Act (18 U.S.C. § 2713), FISA §702 (50 U.S.C. § 1881a)"
)


def item(address: str, policy: Policy | None = None) -> ResolvedResource:
    for found in folder_inventory(FOLDER, policy).resources:
        if found.address == address:
            return found
    raise AssertionError(f"{address} not in {FOLDER}")


def plan_findings(address: str, policy: Policy | None = None) -> dict[str, Finding]:
    found = [f for f in outcome_of(PLAN, policy).findings if f.address == address]
    return {f.rule: f for f in found}


def texts(evidence: tuple[Evidence, ...]) -> list[str]:
    return [e.text() for e in evidence]


# --- a plan ------------------------------------------------------------------------------


def test_aws_instance_tagged_confidential_in_us_east_1_is_sov001_with_its_evidence() -> None:
    findings = plan_findings("aws_instance.us")
    assert set(findings) == {"SOV001", "SOV002"}
    sov001 = findings["SOV001"]
    assert sov001.message == (
        "sensitive data stored in us-east-1 (US), under blocked jurisdiction US"
    )
    assert texts(sov001.evidence) == [
        "sensitive ← tag data-classification=confidential ← tags of aws_instance.us",
        "data-holding compute ← type aws_instance in lintsov's catalogue ← source "
        f"{REGISTRY}hashicorp/aws/latest/docs/resources/instance",
        "region us-east-1 ← provider aws ← constant in provider aws region",
        "country US ← region us-east-1 (US East (N. Virginia)) in lintsov's catalogue ← source "
        "https://github.com/boto/botocore/blob/1.43.11/botocore/data/endpoints.json",
    ]


def test_aws_instance_in_eu_central_1_is_not_sov001_but_sov002() -> None:
    findings = plan_findings("aws_instance.eu")
    assert set(findings) == {"SOV002"}
    sov002 = findings["SOV002"]
    assert sov002.message.endswith("wherever the data sits (here eu-central-1)")
    assert "region eu-central-1 ← provider aws.eu ← constant in provider aws.eu region" in texts(
        sov002.evidence
    )
    assert AWS_REACH in texts(sov002.evidence)


def test_hcloud_server_in_ashburn_is_sov001_with_country_us() -> None:
    findings = plan_findings("hcloud_server.ash")
    # Hetzner Online GmbH is German: only the location is blocked, not the operator.
    assert set(findings) == {"SOV001"}
    assert findings["SOV001"].countries == ("US",)
    assert findings["SOV001"].message == (
        "sensitive data stored in ash (US), under blocked jurisdiction US"
    )
    assert "region ash ← attribute location of hcloud_server.ash" in texts(
        findings["SOV001"].evidence
    )


def test_hcloud_server_in_falkenstein_gives_nothing() -> None:
    server = resource(PLAN, "hcloud_server.fsn1")
    assert (server.data_category, server.sensitive, server.countries) == ("compute", True, ("DE",))
    assert plan_findings("hcloud_server.fsn1") == {}


def test_gke_node_pool_is_where_its_cluster_is_on_a_plan() -> None:
    # The plan knows the pool's location only after apply: its cluster places it.
    policy = Policy(sensitive_addresses=("google_container_node_pool.*",))
    pool = resource(PLAN, "google_container_node_pool.us", policy)
    assert (pool.region, pool.countries, pool.data_category) == ("us-central1", ("US",), "compute")
    findings = plan_findings("google_container_node_pool.us", policy)
    assert set(findings) == {"SOV001", "SOV002"}
    assert (
        "region us-central1 ← parent google_container_cluster.us (referenced by cluster) "
        "← attribute location of google_container_cluster.us"
    ) in texts(findings["SOV001"].evidence)


def test_azure_vm_in_east_us_is_sov001_on_a_plan() -> None:
    findings = plan_findings("azurerm_linux_virtual_machine.us")
    assert set(findings) == {"SOV001", "SOV002"}
    assert "region eastus ← attribute location of azurerm_linux_virtual_machine.us" in texts(
        findings["SOV001"].evidence
    )


def test_instance_template_is_where_the_group_made_from_it_runs_on_a_plan() -> None:
    template = resource(PLAN, "google_compute_instance_template.web")
    # Not the provider's europe-west3, nor the template's computed `region`.
    assert (template.region, template.countries) == ("us-east1", ("US",))
    assert [e.text() for e in template.evidence_for("region")] == [
        "region us-east1 ← where google_compute_instance_group_manager.web, made from it "
        "(version), runs ← us-east1-b is a zone of us-east1 ← attribute zone of "
        "google_compute_instance_group_manager.web"
    ]
    assert "SOV001" in plan_findings("google_compute_instance_template.web")


def test_the_plan_fails_on_exactly_the_servers_in_blocked_places() -> None:
    sov001 = {f.address for f in outcome_of(PLAN).findings if f.rule == "SOV001"}
    assert sov001 == {
        "aws_instance.us",
        "azurerm_linux_virtual_machine.us",
        "google_compute_instance_template.web",
        "hcloud_server.ash",
    }
    result = cli(plan_path(PLAN), "--no-color")
    assert result.exit_code == 1


# --- a folder ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "region", "countries"),
    [
        ("aws_instance.us", "us-east-1", ("US",)),
        ("aws_instance.eu", "eu-central-1", ("DE",)),
        ("aws_launch_template.us", "us-east-1", ("US",)),
        ("aws_autoscaling_group.us", "us-east-1", ("US",)),
        ("aws_eks_node_group.eu", "eu-central-1", ("DE",)),
        ("hcloud_server.ash", "ash", ("US",)),
        ("hcloud_server.hel1", "hel1", ("FI",)),
        ("hcloud_server.fsn1", "fsn1", ("DE",)),
        ("hcloud_server.fsn1_dc8", "fsn1", ("DE",)),
        ("google_compute_instance.us", "us-central1", ("US",)),
        ("google_container_cluster.us", "us-central1", ("US",)),
        ("google_container_node_pool.us", "us-central1", ("US",)),
        ("google_container_node_pool.eu", "europe-west4", ("NL",)),
        ("google_compute_instance_template.web", "us-east1", ("US",)),
        ("google_compute_region_instance_group_manager.web", "us-east1", ("US",)),
        ("azurerm_linux_virtual_machine.us", "eastus", ("US",)),
        ("azurerm_windows_virtual_machine.eu", "westeurope", ("NL",)),
        ("azurerm_kubernetes_cluster.eu", "westeurope", ("NL",)),
        ("azurerm_kubernetes_cluster_node_pool.eu", "westeurope", ("NL",)),
        ("oci_core_instance.fra", "eu-frankfurt-1", ("DE",)),
        ("oci_core_instance.phx", "us-phoenix-1", ("US",)),
        ("ibm_is_instance.de", "eu-de", ("DE",)),
        ("huaweicloud_compute_instance.hk", "ap-southeast-1", ("HK",)),
        ("stackit_server.de", "eu01-1", ("DE",)),
        ("ionoscloud_server.us", "us/las", ("US",)),
        ("ovh_cloud_project_kube_nodepool.gra", "GRA7", ("FR",)),
        ("digitalocean_kubernetes_node_pool.nyc", "nyc3", ("US",)),
    ],
)
def test_servers_and_node_pools_hold_data_where_they_run(
    address: str, region: str, countries: tuple[str, ...]
) -> None:
    found = item(address)
    assert (found.data_holding, found.data_category) == (True, "compute")
    assert (found.region, found.countries) == (region, countries)
    assert found.evidence_for("region", "country"), address
    assert not found.missing, found.missing


@pytest.mark.parametrize(
    ("address", "region"),
    [
        (
            "hcloud_server.fsn1_dc8",
            "region fsn1 ← fsn1-dc8 is a datacenter of fsn1 ← attribute "
            "datacenter of hcloud_server.fsn1_dc8",
        ),
        (
            "oci_core_instance.phx",
            "region us-phoenix-1 ← Uocm:PHX-AD-1 is an availability "
            "domain of us-phoenix-1 ← attribute availability_domain of oci_core_instance.phx",
        ),
        (
            "ibm_is_instance.de",
            "region eu-de ← eu-de-1 is a numbered zone of eu-de ← attribute "
            "zone of ibm_is_instance.de",
        ),
        (
            "huaweicloud_compute_instance.hk",
            "region ap-southeast-1 ← ap-southeast-1a is an "
            "availability zone of ap-southeast-1 ← attribute availability_zone of "
            "huaweicloud_compute_instance.hk",
        ),
        ("stackit_server.de", "region eu01-1 ← attribute availability_zone of stackit_server.de"),
        (
            "azurerm_kubernetes_cluster_node_pool.eu",
            "region westeurope ← parent "
            "azurerm_kubernetes_cluster.eu (referenced by kubernetes_cluster_id) ← attribute "
            "location of azurerm_kubernetes_cluster.eu",
        ),
        (
            "ionoscloud_server.us",
            "region us/las ← parent ionoscloud_datacenter.us (referenced by "
            "datacenter_id) ← attribute location of ionoscloud_datacenter.us",
        ),
        (
            "ovh_cloud_project_kube_nodepool.gra",
            "region GRA7 ← parent ovh_cloud_project_kube.gra "
            "(referenced by kube_id) ← attribute region of ovh_cloud_project_kube.gra",
        ),
    ],
)
def test_zones_datacenters_and_parents_say_how_they_placed_the_server(
    address: str, region: str
) -> None:
    assert [e.text() for e in item(address).evidence_for("region")] == [region]


def test_hetzner_ashburn_fires_and_helsinki_and_falkenstein_do_not() -> None:
    findings = folder_findings(FOLDER)
    assert ("SOV001", "hcloud_server.ash") in findings
    for address in ("hcloud_server.hel1", "hcloud_server.fsn1", "hcloud_server.fsn1_dc8"):
        assert not {rule for rule, where in findings if where == address}, address


def test_the_folder_fires_on_the_servers_in_blocked_places_only() -> None:
    sov001 = {address for rule, address in folder_findings(FOLDER) if rule == "SOV001"}
    assert sov001 == {
        "aws_instance.us",
        "aws_launch_template.us",
        "azurerm_linux_virtual_machine.us",
        "google_compute_instance.us",
        "google_compute_instance_template.web",
        "hcloud_server.ash",
    }
    sov002 = {address for rule, address in folder_findings(FOLDER) if rule == "SOV002"}
    # Outside the US, but run by US companies: the AKS cluster and its node pool, the
    # Windows VM in West Europe, the EKS node group and the instance in Frankfurt.
    assert {
        "aws_instance.eu",
        "aws_eks_node_group.eu",
        "azurerm_windows_virtual_machine.eu",
        "azurerm_kubernetes_cluster.eu",
        "azurerm_kubernetes_cluster_node_pool.eu",
    } <= sov002


def test_gke_node_pool_in_a_folder_fires_where_its_cluster_is() -> None:
    policy = Policy(sensitive_addresses=("google_container_node_pool.*",))
    findings = folder_findings(FOLDER, policy)
    assert ("SOV001", "google_container_node_pool.us") in findings
    assert ("SOV001", "google_container_node_pool.eu") not in findings
    assert ("SOV002", "google_container_node_pool.eu") in findings


def test_residency_judges_only_where_the_server_runs() -> None:
    policy = Policy(profile="residency")
    findings = folder_findings(FOLDER, policy)
    assert ("SOV001", "hcloud_server.ash") in findings
    assert ("SOV001", "aws_instance.eu") not in findings
    assert not {f for f in findings if f[0] == "SOV002"}


def test_an_unused_global_template_is_unknown_with_the_reason() -> None:
    unused = item("google_compute_instance_template.unused")
    assert (unused.region, unused.countries) == (None, ())
    assert [m.reason for m in unused.missing_for("region")] == [
        "google_compute_instance_template is global: its disks are created where the "
        "instances and instance groups made from it run, and no resource in its module names "
        "it in version or instance_template or source_instance_template"
    ]
    assert ("SOV003", "google_compute_instance_template.unused") in folder_findings(FOLDER)


def test_serverless_functions_and_iam_roles_hold_no_data_even_when_tagged() -> None:
    findings = folder_findings(FOLDER)
    for address, kind in (
        ("aws_lambda_function.handler", "aws_lambda_function"),
        ("aws_iam_role.app", "aws_iam_role"),
    ):
        found = item(address)
        assert (found.sensitive, found.data_holding, found.countries) == (True, False, ("US",))
        assert [e.text() for e in found.evidence_for("not data-holding")] == [
            f"not data-holding ← type {kind} is not in lintsov's list of data-holding types"
        ]
        assert not {rule for rule, where in findings if where == address}, address


# --- the inventory's "why not" -----------------------------------------------------------

NOT_ROLE = "not data-holding ← type aws_iam_role is not in lintsov's list of data-holding types"
NOT_RANDOM = (
    "not data-holding ← utility provider hashicorp/random holds nothing: what it makes stays "
    "in the state (judged by SOV006) and on the machine that runs Terraform"
)


def test_inventory_text_says_why_a_resource_is_not_data_holding() -> None:
    output = cli("inventory", plan_path(PLAN)).output
    sensitive = "sensitive ← tag data-classification=confidential ← tags of aws_iam_role.app"
    assert f"  aws_iam_role.app\n    {sensitive}\n    {NOT_ROLE}\n" in output
    assert f"  random_id.suffix\n    {NOT_RANDOM}\n" in output
    # A data store says what it is instead.
    assert "not data-holding ← type aws_instance" not in output


def test_inventory_json_says_why_a_resource_is_not_data_holding() -> None:
    document = json.loads(cli("inventory", plan_path(PLAN), "--format", "json").output)
    rows = {r["address"]: r for r in document["inputs"][0]["resources"]}
    role = rows["aws_iam_role.app"]
    assert (role["data_holding"], role["data_category"]) == (False, None)
    assert {
        "fact": "not data-holding",
        "value": "",
        "steps": ["type aws_iam_role is not in lintsov's list of data-holding types"],
        "text": NOT_ROLE,
    } in role["evidence"]
    assert [e["text"] for e in rows["random_id.suffix"]["evidence"]] == [NOT_RANDOM]
    server = rows["hcloud_server.ash"]
    assert (server["data_holding"], server["data_category"]) == (True, "compute")
    assert not [e for e in server["evidence"] if e["fact"] == "not data-holding"]


def test_inventory_csv_says_why_a_resource_is_not_data_holding() -> None:
    output = cli("inventory", plan_path(PLAN), "--format", "csv").output
    rows = {r["address"]: r for r in csv.DictReader(io.StringIO(output))}
    assert rows["aws_iam_role.app"]["data_holding"] == "false"
    assert NOT_ROLE in rows["aws_iam_role.app"]["evidence"].split(" | ")
    assert rows["random_id.suffix"]["evidence"] == NOT_RANDOM
    assert rows["aws_instance.us"]["data_category"] == "compute"


def test_azapi_resource_of_a_type_that_holds_no_data_says_so() -> None:
    public_ip = folder_inventory("azapi_storage_accounts").resources
    (found,) = [r for r in public_ip if r.address == "azapi_resource.public_ip"]
    (why,) = [e.text() for e in found.evidence_for("not data-holding")]
    assert why.startswith("not data-holding ← ARM type Microsoft.Network/publicIPAddresses ")
    assert why.endswith("is not a data-holding ARM type in lintsov's catalogue")


def test_a_resource_of_an_unknown_provider_is_unknown_not_no() -> None:
    acme = resource("availability_zone_and_unknown_provider", "acme_vault.secrets")
    assert not acme.evidence_for("not data-holding")
    assert [m.text() for m in acme.missing_for("data-holding")] == [
        "data-holding is unknown: type acme_vault is not in lintsov's list of data-holding "
        "types, and its provider registry.terraform.io/acme/acme is not in lintsov's catalogue"
    ]


# --- the catalogue -----------------------------------------------------------------------

# Vendors without servers of their own: Cloudflare (Workers are serverless), Wasabi (storage),
# HashiCorp (HCP), and the OpenStack clouds, whose servers are openstack_compute_instance_v2.
NO_SERVERS = frozenset({"cloudflare", "wasabi", "hashicorp", "cleura", "infomaniak"})


def test_every_hosting_vendor_with_servers_has_its_compute_types() -> None:
    cat = catalogue.builtin()
    prefixes: dict[str, str] = {}
    for provider in cat.providers.values():
        if provider.kind == "hosting" and provider.vendor:
            prefixes.setdefault(
                provider.source.split("/")[1].removesuffix("-beta"), provider.vendor
            )
    prefixes.update({"alicloud": "alibaba", "oci": "oracle", "linode": "akamai"})
    with_compute = {
        prefixes[t.type.split("_")[0]]
        for t in cat.data_types.values()
        if t.category == "compute" and t.type.split("_")[0] in prefixes
    }
    # Managed data platforms (platforms.json) hold data in services, not on servers of yours.
    assert with_compute == set(cat.vendors) - NO_SERVERS - set(cat.platforms.by_id)
    assert "openstack_compute_instance_v2" in cat.data_types


@pytest.mark.parametrize(
    ("type_", "page"),
    [
        ("aws_instance", "hashicorp/aws/latest/docs/resources/instance"),
        ("aws_launch_template", "hashicorp/aws/latest/docs/resources/launch_template"),
        ("aws_autoscaling_group", "hashicorp/aws/latest/docs/resources/autoscaling_group"),
        ("aws_eks_node_group", "hashicorp/aws/latest/docs/resources/eks_node_group"),
        ("azurerm_virtual_machine", "hashicorp/azurerm/latest/docs/resources/virtual_machine"),
        (
            "azurerm_linux_virtual_machine_scale_set",
            "hashicorp/azurerm/latest/docs/resources/linux_virtual_machine_scale_set",
        ),
        (
            "azurerm_kubernetes_cluster_node_pool",
            "hashicorp/azurerm/latest/docs/resources/kubernetes_cluster_node_pool",
        ),
        (
            "google_compute_region_instance_template",
            "hashicorp/google/latest/docs/resources/compute_region_instance_template",
        ),
        (
            "google_compute_region_instance_group_manager",
            "hashicorp/google/latest/docs/resources/compute_region_instance_group_manager",
        ),
        ("hcloud_server", "hetznercloud/hcloud/latest/docs/resources/server"),
        ("ionoscloud_k8s_node_pool", "ionos-cloud/ionoscloud/latest/docs/resources/k8s_node_pool"),
        ("exoscale_sks_nodepool", "exoscale/exoscale/latest/docs/resources/sks_nodepool"),
        ("vultr_kubernetes_node_pools", "vultr/vultr/latest/docs/resources/kubernetes_node_pools"),
        ("oci_core_instance_pool", "oracle/oci/latest/docs/resources/core_instance_pool"),
        ("proxmox_vm_qemu", "telmate/proxmox/latest/docs/resources/vm_qemu"),
    ],
)
def test_compute_types_cite_their_registry_page(type_: str, page: str) -> None:
    found = catalogue.builtin().data_types[type_]
    assert (found.category, found.source) == ("compute", REGISTRY + page)


@pytest.mark.parametrize(
    "type_",
    [
        "aws_lambda_function",
        "aws_ecs_service",
        "aws_ecs_task_definition",
        "google_cloudfunctions2_function",
        "google_cloud_run_v2_service",
        "azurerm_linux_function_app",
        "azurerm_container_app",
        "azurerm_container_group",
        "scaleway_container",
        "scaleway_function",
        "kubernetes_deployment_v1",
    ],
)
def test_serverless_and_container_workloads_are_not_data_holding(type_: str) -> None:
    assert type_ not in catalogue.builtin().data_types


def test_arm_vms_scale_sets_and_aks_agent_pools_are_compute() -> None:
    arm = catalogue.builtin().arm_types
    for arm_type in (
        "microsoft.compute/virtualmachines",
        "microsoft.compute/virtualmachinescalesets",
        "microsoft.containerservice/managedclusters",
        "microsoft.containerservice/managedclusters/agentpools",
    ):
        assert arm[arm_type].category == "compute", arm_type


@pytest.mark.parametrize(
    ("vendor", "zone", "region", "how"),
    [
        ("hetzner", "ash-dc1", "ash", ""),
        ("hetzner", "nbg1-dc7", "nbg1", "nbg1-dc7 is a datacenter of nbg1"),
        (
            "oracle",
            "kIdk:EU-FRANKFURT-1-AD-2",
            "eu-frankfurt-1",
            "kIdk:EU-FRANKFURT-1-AD-2 is an availability domain of eu-frankfurt-1",
        ),
        (
            "oracle",
            "PHX-AD-3",
            "us-phoenix-1",
            "PHX-AD-3 is an availability domain of us-phoenix-1",
        ),
        ("ibm", "us-south-3", "us-south", "us-south-3 is a numbered zone of us-south"),
        (
            "huawei",
            "cn-north-4b",
            "cn-north-4",
            "cn-north-4b is an availability zone of cn-north-4",
        ),
    ],
)
def test_zone_spellings_of_servers_resolve_to_their_region(
    vendor: str, zone: str, region: str, how: str
) -> None:
    found = catalogue.builtin().region(vendor, zone)
    assert found is not None
    assert (found[0].id, found[1]) == (region, how)


def test_a_datacenter_of_an_unknown_location_is_not_guessed() -> None:
    assert catalogue.builtin().region("hetzner", "xyz9-dc1") is None
    assert catalogue.builtin().region("oracle", "Uocm:MOON-AD-1") is None


# --- templates placed by their users; rules that count resources ---------------------------


def only_resources(folder: Path, main_tf: str) -> dict[str, ResolvedResource]:
    (folder / "main.tf").write_text(main_tf)
    (found,) = inventories([str(folder)], catalogue.builtin(), Policy(), LoadOptions())
    return {r.address: r for r in found.resources}


TEMPLATE = (
    'provider "google" {\n  region = "europe-west3"\n}\n'
    'resource "google_compute_instance_template" "web" {\n  machine_type = "e2-medium"\n}\n'
)


def group(name: str, where: str) -> str:
    return (
        f'resource "google_compute_region_instance_group_manager" "{name}" {{\n'
        f"  region = {where}\n"
        "  version {\n"
        "    instance_template = google_compute_instance_template.web.id\n"
        "  }\n}\n"
    )


def test_a_template_used_in_two_regions_is_in_both(tmp_path: Path) -> None:
    found = only_resources(
        tmp_path, TEMPLATE + group("us", '"us-east1"') + group("eu", '"europe-west1"')
    )
    template = found["google_compute_instance_template.web"]
    # Both places count, in the order of the resources (by address in a folder).
    assert (template.region, template.countries) == ("europe-west1+us-east1", ("BE", "US"))
    assert [e.text() for e in template.evidence_for("region")] == [
        "region europe-west1+us-east1 ← google_compute_region_instance_group_manager.eu "
        "(version), made from it, runs in europe-west1 ← "
        "google_compute_region_instance_group_manager.us (version), made from it, runs in "
        "us-east1"
    ]
    (country,) = [e.text() for e in template.evidence_for("country")]
    assert country.startswith("country BE, US ← regions europe-west1+us-east1 (")


def test_a_template_whose_group_cannot_be_placed_is_unknown_with_the_groups_reason(
    tmp_path: Path,
) -> None:
    found = only_resources(tmp_path, TEMPLATE + group("typo", '"europe-west33"'))
    template = found["google_compute_instance_template.web"]
    assert (template.region, template.countries) == ("europe-west33", ())
    assert [m.reason for m in template.missing_for("region")] == [
        "it is where google_compute_region_instance_group_manager.typo, made from it "
        "(version), runs: 'europe-west33' is not a google region in lintsov's catalogue"
    ]


def test_aut001_counts_every_hosting_resource_as_it_did_before_compute(tmp_path: Path) -> None:
    # AUT001 counts resources that depend on a hosting vendor, data stores or not: a server
    # counts once, as the IAM role beside it does.
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-central-1"\n}\n'
        'resource "aws_instance" "app" {\n  ami = "ami-0abcdef1234567890"\n}\n'
        'resource "aws_iam_role" "app" {\n  name = "app"\n  assume_role_policy = "{}"\n}\n'
        'resource "random_id" "suffix" {\n  byte_length = 4\n}\n'
    )
    # 2 hosting resources: AUT001 judges them with its minimum lowered to 1.
    policy = Policy(min_vendor_resources=1)
    (inventory,) = inventories([str(tmp_path)], catalogue.builtin(), policy, LoadOptions())
    (aut001,) = judge((inventory,), load_rules(), policy).findings
    assert aut001.rule == "AUT001"
    assert aut001.message == (
        "all 2 resources that depend on a hosting vendor depend on Amazon Web Services (AWS)"
    )
