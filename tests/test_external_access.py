"""Who can reach sensitive data: grants read from policies, IAM bindings, ACLs, key grants,
replication and anonymous containers (lintsov/resolve/access.py), judged against the
config's `trusted:` set by SOV007 and shown in the inventory's access view."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import cli, hcl_path, plan_path

AWS = hcl_path("access_aws_policies")
GOOGLE_AZURE = hcl_path("access_google_azure")
PLAN = plan_path("access_grants")
TRUSTED = """\
trusted:
  aws_accounts: ["111122223333"]
  aws_organizations: ["o-abc123de45"]
  google_domains: ["acme.eu"]
  google_projects: ["acme-prod"]
"""


@pytest.fixture
def trusted(tmp_path: Path) -> str:
    config = tmp_path / ".lintsov.yaml"
    config.write_text(TRUSTED, encoding="utf-8")
    return str(config)


def sov007(path: str, *args: str) -> dict[str, list[str]]:
    """SOV007 messages by address."""
    result = cli(path, "--format", "json", "--fail-on", "never", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    found: dict[str, list[str]] = {}
    for finding in json.loads(result.output)["findings"]:
        if finding["rule"] == "SOV007":
            found.setdefault(finding["address"], []).append(finding["message"])
    return {address: sorted(messages) for address, messages in found.items()}


def access(path: str, *args: str) -> dict[str, Any]:
    result = cli("inventory", path, "--format", "json", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    view: dict[str, Any] = json.loads(result.output)["inputs"][0]["access"]
    return view


def classes(view: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    """Per resource, each principal with its class."""
    return {
        entry["address"]: {(p["principal"], p["class"]) for p in entry["principals"]}
        for entry in view["resources"]
        if entry["principals"]
    }


# --- AWS, a configuration folder --------------------------------------------------------------


def test_without_trusted_only_public_and_unknown_principals_are_reported() -> None:
    assert sov007(AWS) == {
        "aws_s3_bucket.invoices": [
            "sensitive data is public: * (anyone), granted by aws_s3_bucket_policy.invoices "
            "statement 'Everyone'"
        ],
        "aws_sqs_queue.orders": [
            "who can reach sensitive data is unknown: the policy is unknown: "
            "var.partner_account has no value (no default, tfvars or --var), granted by "
            "aws_sqs_queue.orders policy"
        ],
    }


def test_public_access_is_an_error_and_unknown_access_a_warning() -> None:
    result = cli(AWS, "--format", "json", "--fail-on", "never", "--no-cache")
    severities = {
        f["address"]: f["severity"]
        for f in json.loads(result.output)["findings"]
        if f["rule"] == "SOV007"
    }
    assert severities == {"aws_s3_bucket.invoices": "error", "aws_sqs_queue.orders": "warning"}


def test_without_trusted_other_accounts_are_listed_as_trust_not_configured() -> None:
    view = access(AWS)
    assert view["trusted"] is None
    found = classes(view)["aws_s3_bucket.customers"]
    assert ("arn:aws:iam::444455556666:root", "trust not configured") in found
    assert ("555566667777", "trust not configured") in found
    assert ("*", "trust not configured") in found  # limited to an organisation


def test_policy_document_data_source_is_evaluated_in_a_folder(trusted: str) -> None:
    found = sov007(AWS, "--config", trusted)["aws_s3_bucket.customers"]
    (partner,) = [m for m in found if "'PartnerRead'" in m]
    assert partner.startswith(
        "sensitive data reachable by external principal arn:aws:iam::444455556666:root "
        "(444455556666 is not in the trusted set of "
    )
    assert partner.endswith("granted by aws_s3_bucket_policy.customers statement 'PartnerRead'")


def test_a_trusted_account_an_own_account_and_an_organisation_condition_are_not_reported(
    trusted: str,
) -> None:
    messages = " ".join(sov007(AWS, "--config", trusted)["aws_s3_bucket.customers"])
    assert "OrganisationOnly" not in messages
    assert "OwnAccount" not in messages
    assert "'Trusted'" not in messages
    found = classes(access(AWS, "--config", trusted))["aws_s3_bucket.customers"]
    assert ("*", "trusted") in found
    assert ("the account of data.aws_caller_identity.current", "trusted") in found
    assert ("arn:aws:iam::111122223333:role/admin", "trusted") in found  # on its key


def test_key_policy_grants_reach_the_data_the_key_encrypts(trusted: str) -> None:
    found = sov007(AWS, "--config", trusted)
    assert any(
        "external principal 777788889999" in m
        and "statement 'VendorDecrypt' through key aws_kms_key.customers" in m
        for m in found["aws_s3_bucket.customers"]
    )
    assert any("777788889999" in m for m in found["aws_kms_key.customers"])


def test_replication_into_another_account_is_external(trusted: str) -> None:
    found = sov007(AWS, "--config", trusted)["aws_s3_bucket.customers"]
    assert any(
        m.startswith("sensitive data reachable by external principal 555566667777")
        and "aws_s3_bucket_replication_configuration.customers replication destination" in m
        for m in found
    )


def test_an_organisation_condition_naming_another_organisation_is_external(
    tmp_path: Path,
) -> None:
    config = tmp_path / ".lintsov.yaml"
    config.write_text('trusted:\n  aws_organizations: ["o-zzzzzzzzzz"]\n', encoding="utf-8")
    found = sov007(AWS, "--config", str(config))["aws_s3_bucket.customers"]
    assert any(
        m.startswith(
            "sensitive data reachable by external principal * (limited by "
            "StringEquals aws:PrincipalOrgID o-abc123de45, none in the trusted set"
        )
        for m in found
    )


def test_public_policy_voided_by_the_public_access_block_and_non_sensitive_buckets_pass() -> None:
    found = sov007(AWS)
    assert "aws_s3_bucket.reports" not in found  # restrict_public_buckets
    assert "aws_s3_bucket.logs" not in found  # public, but not sensitive
    assert ("*", "public") not in classes(access(AWS)).get("aws_s3_bucket.reports", set())


def test_ram_share_with_another_account_is_external_with_the_organisation_trusted(
    trusted: str,
) -> None:
    found = classes(access(AWS, "--config", trusted))["aws_rds_cluster.ledger"]
    assert found == {
        ("888899990000", "external"),
        ("arn:aws:organizations::111122223333:organization/o-abc123de45", "trusted"),
    }
    (message,) = sov007(AWS, "--config", trusted)["aws_rds_cluster.ledger"]
    assert message.startswith("sensitive data reachable by external principal 888899990000")
    assert message.endswith("granted by aws_ram_principal_association.partner RAM share")


# --- AWS and Google, a plan -------------------------------------------------------------------


def test_plan_public_acl_public_policy_and_all_users_are_reported_without_trusted() -> None:
    found = sov007(PLAN)
    assert set(found) == {
        "aws_s3_bucket.archive",
        "aws_s3_bucket.invoices",
        "google_storage_bucket.records",
    }
    assert found["aws_s3_bucket.archive"] == [
        "sensitive data is public: AllUsers (anyone), granted by aws_s3_bucket_acl.archive "
        "canned ACL public-read"
    ]
    assert found["google_storage_bucket.records"] == [
        "sensitive data is public: allUsers (anyone), granted by "
        "google_storage_bucket_iam_member.public role roles/storage.objectViewer"
    ]


def test_plan_deferred_policy_document_and_caller_identity_from_prior_state(
    trusted: str,
) -> None:
    found = classes(access(PLAN, "--config", trusted))
    assert found["aws_s3_bucket.customers"] == {
        ("arn:aws:iam::444455556666:root", "external"),
        ("arn:aws:iam::111122223333:root", "trusted"),
        ("*", "trusted"),
    }
    own = [
        p
        for entry in access(PLAN)["resources"]
        for p in entry["principals"]
        if p["principal"] == "arn:aws:iam::111122223333:root"
    ]
    # Shown to be the configuration's own even with no trusted set: prior_state's
    # data.aws_caller_identity names the account.
    assert [p["class"] for p in own] == ["trusted"]


def test_plan_google_members_of_other_domains_are_external(trusted: str) -> None:
    found = classes(access(PLAN, "--config", trusted))["google_storage_bucket.records"]
    assert found == {
        ("allUsers", "public"),
        ("user:bob@contractor.example", "external"),
        ("group:staff@acme.eu", "trusted"),
    }


# --- Google and Azure, a configuration folder -------------------------------------------------


def test_google_bindings_projects_and_unknown_members(trusted: str) -> None:
    found = classes(access(GOOGLE_AZURE, "--config", trusted))
    assert found["google_storage_bucket.records"] == {
        ("allUsers", "public"),
        ("user:alice@acme.eu", "trusted"),
        ("user:bob@contractor.example", "external"),
        ("serviceAccount:etl@acme-prod.iam.gserviceaccount.com", "trusted"),
        ("serviceAccount:sync@partner-project.iam.gserviceaccount.com", "external"),
        # A project-level binding reaches the bucket in the provider's project.
        ("group:auditors@external-audit.example", "external"),
    }
    assert found["google_bigquery_dataset.crm"] == {
        ("(unknown)", "unknown"),
        ("group:auditors@external-audit.example", "external"),
    }


def test_azure_anonymous_container_makes_its_account_public_unless_the_account_refuses() -> None:
    found = sov007(GOOGLE_AZURE)
    assert found["azurerm_storage_account.files"] == [
        "sensitive data is public: anonymous (anyone), granted by "
        "azurerm_storage_container.open anonymous blob access"
    ]
    assert "azurerm_storage_account.closed" not in found


# --- reports and config -----------------------------------------------------------------------


def test_inventory_text_shows_the_access_view(trusted: str) -> None:
    result = cli("inventory", PLAN, "--no-cache", "--config", trusted)
    assert result.exit_code == 0, result.output
    assert "  Who can reach sensitive data (trusted set: `trusted:` of " in result.output
    assert (
        "    external: user:bob@contractor.example ← role roles/storage.objectViewer of "
        "google_storage_bucket_iam_member.contractor (contractor.example is not in the "
        "trusted set of "
    ) in result.output


def test_markdown_counts_the_principals_reaching_sensitive_data(trusted: str) -> None:
    result = cli(PLAN, "--format", "markdown", "--no-cache", "--config", trusted)
    assert "principals reaching sensitive data: 3 public, 2 external" in result.output


def test_markdown_says_nothing_of_principals_where_none_reach_sensitive_data() -> None:
    result = cli(plan_path("sensitive_bucket_us_region"), "--format", "markdown", "--no-cache")
    assert "principals reaching" not in result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'trusted:\n  aws_accounts: ["1234"]\n',
            "'1234' does not match '^[0-9]{12}$' (at trusted.aws_accounts[0])",
        ),
        (
            "trusted:\n  aws_acounts: []\n",
            "Additional properties are not allowed ('aws_acounts' was unexpected) (at trusted)",
        ),
    ],
)
def test_trusted_set_errors_name_the_key_path(tmp_path: Path, text: str, expected: str) -> None:
    config = tmp_path / ".lintsov.yaml"
    config.write_text(text, encoding="utf-8")
    result = cli(PLAN, "--config", str(config), "--no-cache")
    assert result.exit_code == 2
    assert result.output.strip().endswith(f"invalid config: {expected}"), result.output
