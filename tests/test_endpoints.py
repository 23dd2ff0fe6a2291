"""Who really operates an endpoint: the aws provider at an S3-compatible endpoint, generic
providers (openstack, vcd) at public or private endpoints, and hybrids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import cli, hcl_path
from lintsov import catalogue
from lintsov.policy import EndpointRule
from lintsov.resolve.endpoint import host_of, place, service_of

S3_COMPATIBLE = hcl_path("endpoint_s3_compatible")
HYBRID = hcl_path("hybrid_private_cloud_azure")
SENSITIVE = 'sensitive:\n  addresses: ["openstack_*", "vcd_*"]\n'
PRIVATE = 'endpoints:\n  "*.cloud.example.nl": {vendor: "Example Hosting B.V.", country: NL}\n'


def run(path: str, *args: str) -> dict[str, Any]:
    result = cli(path, "--format", "json", "--fail-on", "never", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def rows(path: str, *args: str) -> dict[str, dict[str, Any]]:
    result = cli("inventory", path, "--format", "json", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    return {r["address"]: r for r in json.loads(result.output)["inputs"][0]["resources"]}


def config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "lintsov.yaml"
    path.write_text(text)
    return str(path)


def test_aws_provider_at_an_eu_s3_compatible_endpoint_is_not_aws() -> None:
    bucket = rows(S3_COMPATIBLE)["aws_s3_bucket.records"]
    # OVHcloud's catalogue id for Gravelines is GRA; the host spells it gra.
    assert (bucket["vendor"], bucket["region"], bucket["countries"]) == ("ovhcloud", "GRA", ["FR"])
    assert "US" not in bucket["jurisdictions"]
    vendor = next(e["text"] for e in bucket["evidence"] if e["fact"] == "vendor")
    assert vendor.startswith(
        "vendor OVHcloud ← endpoint s3.gra.io.cloud.ovh.net ← provider aws endpoints.s3"
    )
    findings = {(f["rule"], f["address"]) for f in run(S3_COMPATIBLE)["findings"]}
    assert not {r for r, _ in findings} & {"SOV001", "SOV002", "SOV003"}


def test_private_endpoints_without_a_config_entry_are_unknown_never_a_guess(
    tmp_path: Path,
) -> None:
    document = run(HYBRID, "--config", config(tmp_path, SENSITIVE))
    unknown = {f["address"]: f["message"] for f in document["findings"] if f["rule"] == "SOV003"}
    assert set(unknown) == {
        "openstack_blockstorage_volume_v3.records",
        "openstack_objectstorage_container_v1.documents",
        "vcd_independent_disk.archive",
    }
    assert unknown["vcd_independent_disk.archive"].startswith(
        "sensitive data whose vendor is unknown: endpoint vcd.cloud.example.nl is neither a known "
        "public endpoint nor in the config's `endpoints:`"
    )


def test_private_endpoints_with_a_config_entry_are_placed(tmp_path: Path) -> None:
    path = config(tmp_path, SENSITIVE + PRIVATE)
    volume = rows(HYBRID, "--config", path)["openstack_blockstorage_volume_v3.records"]
    assert (volume["vendor_name"], volume["countries"], volume["reach"]) == (
        "Example Hosting B.V.",
        ["NL"],
        ["NL"],
    )
    findings = run(HYBRID, "--config", path)["findings"]
    assert [f for f in findings if f["rule"].startswith("SOV")] == []


def test_a_hybrid_of_a_private_cloud_and_azure_is_not_single_vendor(tmp_path: Path) -> None:
    # AUT001 judges the fixture's few resources with its minimum lowered.
    lowered = "min_vendor_resources: 1\n"
    placed = run(HYBRID, "--config", config(tmp_path, SENSITIVE + PRIVATE + lowered))
    assert [f for f in placed["findings"] if f["rule"] == "AUT001"] == []
    # Without the entry, only Azure is known: AUT001, and the evidence counts the unknown.
    unplaced = run(HYBRID, "--config", config(tmp_path, SENSITIVE + lowered))
    (aut001,) = [f for f in unplaced["findings"] if f["rule"] == "AUT001"]
    assert aut001["vendor"] == "azure"
    assert [e["value"] for e in aut001["evidence"] if e["fact"] == "not counted"] == ["3"]


def test_self_means_the_organisations_own_data_centre(tmp_path: Path) -> None:
    path = config(tmp_path, SENSITIVE + 'endpoints:\n  "*.cloud.example.nl": self\n')
    volume = rows(HYBRID, "--config", path)["openstack_blockstorage_volume_v3.records"]
    assert (volume["vendor"], volume["reach"], volume["jurisdictions"]) == ("self", [], [])
    # Where the own data centre is, the entry does not say: unknown, and how to say it.
    unknown = [f for f in run(HYBRID, "--config", path)["findings"] if f["rule"] == "SOV003"]
    assert unknown[0]["message"] == (
        "sensitive data whose country is unknown: the config's endpoints entry for "
        "keystone.cloud.example.nl names no country; add one (e.g. {self: true, country: NL}) "
        "to place it"
    )
    path = config(
        tmp_path, SENSITIVE + 'endpoints:\n  "*.cloud.example.nl": {self: true, country: NL}\n'
    )
    volume = rows(HYBRID, "--config", path)["openstack_blockstorage_volume_v3.records"]
    # The organisation's own law reaches its own data centre; NL is not blocked.
    assert (volume["countries"], volume["reach"]) == (["NL"], ["NL"])
    assert [f for f in run(HYBRID, "--config", path)["findings"] if f["rule"] == "SOV003"] == []


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("https://s3.gra.io.cloud.ovh.net", "s3.gra.io.cloud.ovh.net"),
        ("https://Keystone.Cloud.Example.NL:5000/v3", "keystone.cloud.example.nl"),
        ("vsphere.example.nl", "vsphere.example.nl"),
        ("10.0.0.1:8006", "10.0.0.1"),
        ("", None),
    ],
)
def test_host_of(text: str, host: str | None) -> None:
    assert host_of(text) == host


@pytest.mark.parametrize(
    ("resource_type", "service"),
    [("aws_s3_bucket", "s3"), ("aws_dynamodb_table", "dynamodb"), ("aws_db_instance", "rds")],
)
def test_service_of(resource_type: str, service: str) -> None:
    assert service_of(resource_type) == service


def test_config_entries_win_over_the_catalogue() -> None:
    rule = EndpointRule("s3.gra.io.cloud.ovh.net", "Reseller GmbH", "DE", False, "x.yaml")
    found = place("https://s3.gra.io.cloud.ovh.net", (), catalogue.builtin(), (rule,))
    assert found.vendor is not None
    assert found.vendor.name == "Reseller GmbH"


def test_secrets_by_nature_are_sensitive_untagged() -> None:
    found = rows(hcl_path("secrets_by_nature"))
    assert found["aws_secretsmanager_secret.api"]["sensitive"] is True
    assert found["aws_ssm_parameter.password"]["sensitive"] is True
    # Only a SecureString parameter holds a secret by nature.
    assert found["aws_ssm_parameter.greeting"]["sensitive"] is False
    evidence = [
        e["text"]
        for e in found["aws_ssm_parameter.password"]["evidence"]
        if e["fact"] == "sensitive"
    ]
    assert evidence == [
        "sensitive ← type aws_ssm_parameter holds secrets by nature (catalogue category secret)"
        " ← type = SecureString ← secrets_by_nature in the policy"
    ]
