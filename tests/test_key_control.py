"""Key control: data under a key the vendor cannot use on its own (AWS XKS, Google Cloud EKM)
held outside the blocked jurisdictions turns SOV002 into a warning naming the key; a
customer-managed key in the vendor's own KMS does not, and the evidence says so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import cli, hcl_path

FOLDER = hcl_path("key_control")
CUSTODIAN = 'endpoints:\n  "*.keys.example.de": {vendor: "Example Keys GmbH", country: DE}\n'


def sov002(*args: str) -> dict[str, dict[str, Any]]:
    result = cli(FOLDER, "--format", "json", "--fail-on", "never", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    return {f["address"]: f for f in json.loads(result.output)["findings"] if f["rule"] == "SOV002"}


def key_evidence(finding: dict[str, Any]) -> list[str]:
    return [e["text"] for e in finding["evidence"] if e["fact"] == "key"]


@pytest.fixture
def custodian(tmp_path: Path) -> str:
    config = tmp_path / "lintsov.yaml"
    config.write_text(CUSTODIAN)
    return str(config)


def test_xks_key_held_in_germany_makes_sov002_a_warning(custodian: str) -> None:
    records = sov002("--config", custodian)["aws_s3_bucket.records"]
    assert records["severity"] == "warning"
    assert records["message"].endswith(
        "; mitigated: encrypted under aws_kms_key.xks (AWS KMS external key store (XKS)), held "
        "by Example Keys GmbH (DE), which the vendor cannot use on its own"
    )
    (evidence,) = key_evidence(records)
    assert evidence.startswith(
        "key aws_kms_key.xks ← AWS KMS external key store (XKS) ← endpoint xks.keys.example.de"
        " ← xks_proxy_uri_endpoint of aws_kms_custom_key_store.xks ← endpoints: "
        "*.keys.example.de in "
    )
    assert evidence.endswith("lintsov.yaml")


def test_ekm_key_held_in_germany_makes_sov002_a_warning(custodian: str) -> None:
    archive = sov002("--config", custodian)["google_storage_bucket.archive"]
    assert archive["severity"] == "warning"
    assert (
        "google_kms_crypto_key.ekm (Google Cloud EKM key (protection level EXTERNAL))"
        in (archive["message"])
    )
    (evidence,) = key_evidence(archive)
    assert "external key manager named by google_kms_crypto_key_version.ekm" in evidence


def test_an_external_key_manager_lintsov_cannot_place_mitigates_nothing() -> None:
    records = sov002()["aws_s3_bucket.records"]
    assert records["severity"] == "error"
    assert key_evidence(records) == [
        "key aws_kms_key.xks ← AWS KMS external key store (XKS) ← endpoint xks.keys.example.de"
        " is neither a known public endpoint nor in the config's `endpoints:`, so lintsov "
        "cannot tell who operates it"
    ]


def test_a_custodian_under_a_blocked_jurisdiction_mitigates_nothing(tmp_path: Path) -> None:
    config = tmp_path / "lintsov.yaml"
    config.write_text('endpoints:\n  "*.keys.example.de": {vendor: "Keys Inc.", country: US}\n')
    assert sov002("--config", str(config))["aws_s3_bucket.records"]["severity"] == "error"


def test_a_customer_managed_key_in_the_vendors_kms_is_no_mitigation(custodian: str) -> None:
    ledger = sov002("--config", custodian)["aws_s3_bucket.ledger"]
    assert ledger["severity"] == "error"
    assert key_evidence(ledger) == [
        "key aws_kms_key.cmk ← aws_kms_key in Amazon Web Services (AWS)'s key service ← a "
        "customer-managed key in the same vendor's key service is no mitigation: the vendor "
        "runs that service and can be compelled to use the key"
    ]


def test_keys_count_as_sensitive_by_nature(tmp_path: Path) -> None:
    found = sov002()
    # The KMS keys carry no classification tag: they hold keys by nature.
    cmk = found["aws_kms_key.cmk"]
    assert [e["text"] for e in cmk["evidence"] if e["fact"] == "sensitive"] == [
        "sensitive ← type aws_kms_key holds keys by nature (catalogue category key) ← "
        "secrets_by_nature in the policy"
    ]
    config = tmp_path / "lintsov.yaml"
    config.write_text("sensitive:\n  secrets_by_nature: false\n")
    assert "aws_kms_key.cmk" not in sov002("--config", str(config))
