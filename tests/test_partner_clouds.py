"""Provider settings that choose a cloud (google universe_domain and project prefixes,
azurerm environment, AWS partitions and endpoint hosts) and partner-operated clouds
(S3NS, Bleu, Delos Cloud, Google Cloud Dedicated in Germany): the partner is the operator,
the licensor is named in the evidence and not counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import cli, evidence, findings, hcl_path, plan_path, rows

PARTNERS = hcl_path("partner_clouds")
S3NS_PLAN = plan_path("s3ns_universe_bucket")
BUCKET = """\
resource "google_storage_bucket" "records" {
  name     = "acme-records"
  location = "%s"
  labels   = { data-classification = "confidential" }
}
"""


def folder(tmp_path: Path, text: str) -> str:
    (tmp_path / "main.tf").write_text(text)
    return str(tmp_path)


def test_s3ns_universe_is_run_by_s3ns_not_google() -> None:
    row = rows(S3NS_PLAN)["google_storage_bucket.records"]
    assert (row["operator"], row["countries"], row["reach"]) == ("S3NS", ["FR"], ["FR"])
    assert row["parents"] == ["Thales S.A. (FR)"]
    operator = evidence(row, "operator")
    assert operator[0].startswith(
        "operator S3NS ← provider google universe_domain = s3nsapis.fr ← constant in "
        "provider google universe_domain ← s3nsapis.fr is Cloud de Confiance by S3NS"
    )
    assert operator[1].startswith(
        "operator S3NS ← provider google project = s3ns:acme-records (prefix s3ns)"
    )
    assert operator[2] == (
        "operator S3NS ← Cloud de Confiance by S3NS is a partner-operated cloud: S3NS (FR) "
        "runs it ← Google LLC (US) licenses the technology and is not the operator, so "
        "lintsov does not count its reach ← stake: Google holds a minority stake in S3NS, "
        "which it has not disclosed ← source "
        "https://documentation.s3ns.fr/docs/overview/tpc-key-differences"
    )


def test_the_issues_s3ns_example_gives_no_sov002_and_no_sov003() -> None:
    found = findings(S3NS_PLAN)
    assert not [key for key in found if key[0] in {"SOV001", "SOV002", "SOV003"}]


def test_partner_regions_resolve_to_their_operator_and_country() -> None:
    found = rows(PARTNERS)
    expected = {
        "google_storage_bucket.s3ns_records": ("S3NS", "u-france-east1", ["FR"], ["FR"]),
        "azurerm_storage_account.bleu_records": ("Bleu", "bleufrancecentral", ["FR"], ["FR"]),
        "azurerm_storage_account.delos_records": (
            "Delos Cloud GmbH",
            "deloscloudgermanycentral",
            ["DE"],
            ["DE"],
        ),
        "google_storage_bucket.public_records": ("Google LLC", "europe-west1", ["BE"], ["US"]),
    }
    assert {
        address: (r["operator"], r["region"], r["countries"], r["reach"])
        for address, r in found.items()
    } == expected
    bleu = found["azurerm_storage_account.bleu_records"]
    assert bleu["parents"] == ["Orange S.A. (FR)", "Capgemini SE (FR)"]
    assert any(
        "Microsoft Corporation (US) licenses the technology and is not the operator" in text
        and "stake: Microsoft holds no share of Bleu's capital" in text
        for text in evidence(bleu, "operator")
    )
    delos = found["azurerm_storage_account.delos_records"]
    assert delos["parents"] == ["SAP SE (DE)"]


def test_public_google_region_still_gives_sov002_with_google_llc() -> None:
    found = findings(PARTNERS)
    assert {key for key in found if key[0] == "SOV002"} == {
        ("SOV002", "google_storage_bucket.public_records")
    }
    public = found["SOV002", "google_storage_bucket.public_records"]
    assert "Google LLC (parent Alphabet Inc. (US)) is reachable under US law" in public["message"]
    texts = [e["text"] for e in public["evidence"]]
    # The universe could come from outside the configuration: the evidence says so.
    assert any(
        text.startswith(
            "operator Google LLC (the provider's default cloud) ← provider google.public sets "
            "no universe_domain ← the provider's default (universe_domain googleapis.com) "
            "applies unless the credentials"
        )
        and "GOOGLE_CLOUD_UNIVERSE_DOMAIN" in text
        for text in texts
    )


def test_public_azure_region_names_the_environment_that_lintsov_cannot_see(
    tmp_path: Path,
) -> None:
    path = folder(
        tmp_path,
        'provider "azurerm" {\n  features {}\n}\n'
        'resource "azurerm_storage_account" "records" {\n'
        '  name = "acme"\n  resource_group_name = "rg"\n  location = "francecentral"\n'
        '  account_tier = "Standard"\n  account_replication_type = "LRS"\n'
        '  tags = { data-classification = "confidential" }\n}\n',
    )
    found = findings(path)
    finding = found["SOV002", "azurerm_storage_account.records"]
    assert "Microsoft Corporation" in finding["message"]
    texts = [e["text"] for e in finding["evidence"]]
    assert any(
        "provider azurerm sets no environment or metadata_host" in text
        and "ARM_ENVIRONMENT in the environment or ARM_METADATA_HOSTNAME" in text
        for text in texts
    )


def test_unknown_universe_leaves_the_operator_unknown_never_google(tmp_path: Path) -> None:
    path = folder(
        tmp_path,
        'provider "google" {\n  universe_domain = "apis.sovereign.example"\n}\n'
        + BUCKET % "europe-west3",
    )
    row = rows(path)["google_storage_bucket.records"]
    assert (row["operator"], row["reach"]) == (None, [])
    found = findings(path)
    assert ("SOV002", "google_storage_bucket.records") not in found
    assert found["SOV003", "google_storage_bucket.records"]["message"] == (
        "sensitive data whose operator is unknown: provider google universe_domain is "
        "'apis.sovereign.example', a cloud that lintsov's catalogue does not know, so it "
        "cannot tell who operates it (map it to an operator under `catalogue: settings:` "
        "in the config)"
    )


def test_universe_from_an_unknown_variable_leaves_the_operator_unknown(tmp_path: Path) -> None:
    path = folder(
        tmp_path,
        'variable "universe" { type = string }\n'
        'provider "google" {\n  universe_domain = var.universe\n}\n' + BUCKET % "europe-west3",
    )
    found = findings(path)
    message = found["SOV003", "google_storage_bucket.records"]["message"]
    assert message.startswith(
        "sensitive data whose operator is unknown: provider google universe_domain, which "
        "chooses the cloud, is unknown"
    )
    assert ("SOV002", "google_storage_bucket.records") not in found


def test_a_universe_that_disagrees_with_the_region_is_unknown_not_a_guess(
    tmp_path: Path,
) -> None:
    path = folder(
        tmp_path, 'provider "google" {\n  universe_domain = "s3nsapis.fr"\n}\n' + BUCKET % "EU"
    )
    found = findings(path)
    assert found["SOV003", "google_storage_bucket.records"]["message"] == (
        "sensitive data whose operator is unknown: the provider settings choose a cloud run "
        "by S3NS, but region EU is in lintsov's catalogue as run by Google LLC; lintsov "
        "cannot tell which is right"
    )
    assert ("SOV002", "google_storage_bucket.records") not in found


def test_project_prefix_alone_chooses_the_universe_and_a_domain_prefix_does_not(
    tmp_path: Path,
) -> None:
    bucket = BUCKET.replace('  location = "%s"\n', "")
    s3ns = folder(tmp_path, 'provider "google" {\n  project = "s3ns:acme"\n}\n' + bucket)
    row = rows(s3ns)["google_storage_bucket.records"]
    # The prefix chose the operator; the region is still unknown, and says so.
    assert (row["operator"], row["reach"], row["region"]) == ("S3NS", ["FR"], None)
    found = findings(s3ns)
    assert ("SOV002", "google_storage_bucket.records") not in found
    assert "region is unknown" in found["SOV003", "google_storage_bucket.records"]["message"]
    # Public Google Cloud has domain-scoped project ids: an unknown prefix says nothing.
    (tmp_path / "main.tf").write_text(
        'provider "google" {\n  project = "example.com:acme"\n}\n' + BUCKET % "europe-west3"
    )
    assert rows(str(tmp_path))["google_storage_bucket.records"]["operator"] == "Google LLC"


def test_google_cloud_dedicated_in_germany_is_run_by_thales_german_company(
    tmp_path: Path,
) -> None:
    path = folder(
        tmp_path,
        'provider "google" {\n  universe_domain = "apis-berlin-build0.goog"\n'
        '  project = "eu0:acme"\n}\n' + BUCKET % "u-germany-northeast1",
    )
    row = rows(path)["google_storage_bucket.records"]
    assert row["operator"].startswith("Thales's German operating company")
    assert (row["countries"], row["reach"]) == (["DE"], ["DE", "FR"])
    assert not [k for k in findings(path) if k[0] in {"SOV002", "SOV003"}]


def test_azure_china_environment_chooses_21vianet_without_a_region(tmp_path: Path) -> None:
    path = folder(
        tmp_path,
        'provider "azurerm" {\n  features {}\n  environment = "china"\n}\n'
        'resource "azurerm_storage_account" "records" {\n'
        '  name = "acme"\n  resource_group_name = "rg"\n  location = var.where\n'
        '  account_tier = "Standard"\n  account_replication_type = "LRS"\n'
        '  tags = { data-classification = "confidential" }\n}\n'
        'variable "where" { type = string }\n',
    )
    row = rows(path)["azurerm_storage_account.records"]
    assert (row["operator"], row["reach"], row["region"]) == (
        "Shanghai Blue Cloud Technology Co., Ltd.",
        ["CN"],
        None,
    )
    assert evidence(row, "operator")[0].startswith(
        "operator Shanghai Blue Cloud Technology Co., Ltd. ← provider azurerm environment = "
        "china ← constant in provider azurerm environment"
    )
    # The setting chose the operator: the reach is not the vendor's default, guessed.
    assert "the vendor's default operator" not in " ".join(evidence(row, "reach"))


def test_assured_workloads_partner_controls_do_not_change_the_operator(
    tmp_path: Path,
) -> None:
    path = folder(
        tmp_path,
        'resource "google_assured_workloads_workload" "sovereign" {\n'
        '  compliance_regime = "SOVEREIGN_CONTROLS"\n'
        '  partner = "SOVEREIGN_CONTROLS_BY_T_SYSTEMS"\n  location = "europe-west3"\n'
        '  display_name = "records"\n  organization = "123"\n  billing_account = "x"\n}\n'
        + BUCKET
        % "europe-west3",
    )
    found = findings(path)
    assert "Google LLC" in found["SOV002", "google_storage_bucket.records"]["message"]


def test_aws_own_endpoint_hosts_resolve_to_the_right_aws_operator(tmp_path: Path) -> None:
    hosts = {
        "commercial": ("https://s3.eu-west-1.amazonaws.com", "eu-west-1", ["US"]),
        "china": ("https://s3.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1", ["CN"]),
        "eusc": ("https://s3.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1", ["DE", "US"]),
    }
    for name, (host, region, reach) in hosts.items():
        where = tmp_path / name
        where.mkdir()
        (where / "main.tf").write_text(
            'provider "aws" {\n  region = "us-east-1"\n'
            f'  endpoints {{\n    s3 = "{host}"\n  }}\n}}\n'
            'resource "aws_s3_bucket" "records" {\n  bucket = "acme"\n'
            '  tags = { data-classification = "confidential" }\n}\n'
        )
        row = rows(str(where))["aws_s3_bucket.records"]
        assert (row["vendor"], row["region"], row["reach"]) == ("aws", region, reach), name
        assert evidence(row, "vendor")[0].startswith(
            f"vendor Amazon Web Services (AWS) ← endpoint {host.removeprefix('https://')}"
        )
    china = rows(str(tmp_path / "china"))["aws_s3_bucket.records"]
    assert china["operator"] == "Ningxia Western Cloud Data Technology Co., Ltd."
    assert evidence(china, "partition") == [
        "partition aws-cn ← region cn-northwest-1 is in partition aws-cn (AWS China), whose "
        "service hosts end in amazonaws.com.cn ← source "
        "https://github.com/boto/botocore/blob/develop/botocore/data/endpoints.json"
    ]


OPERATOR = """\
catalogue:
  operators:
    - vendor: google
      operator:
        id: acme-sovereign
        entity: {name: Acme Sovereign Cloud B.V., country: NL}
        parents: [{name: Acme Holding N.V., country: NL}]
        sources: ["https://kvk.example.nl/87654321"]
"""

PRIVATE_UNIVERSE = (
    OPERATOR
    + """\
  settings:
    - vendor: google
      attribute: universe_domain
      value: apis.acme-sovereign.example
      operator: acme-sovereign
      name: Acme Sovereign Cloud
      source: "https://acme-sovereign.example/docs/universe"
  regions:
    - vendor: google
      sources: ["https://acme-sovereign.example/docs/regions"]
      regions:
        - id: u-netherlands-north1
          name: Acme (Groningen)
          countries: [NL]
          operator: acme-sovereign
"""
)


def config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "lintsov.yaml"
    path.write_text(text)
    return str(path)


def test_config_adds_an_operator_and_maps_a_private_universe_to_it(tmp_path: Path) -> None:
    where = tmp_path / "stack"
    where.mkdir()
    path = folder(
        where,
        'provider "google" {\n  universe_domain = "apis.acme-sovereign.example"\n}\n'
        + BUCKET % "u-netherlands-north1",
    )
    settings = config(tmp_path, PRIVATE_UNIVERSE)
    row = rows(path, "--config", settings)["google_storage_bucket.records"]
    assert (row["operator"], row["countries"], row["reach"]) == (
        "Acme Sovereign Cloud B.V.",
        ["NL"],
        ["NL"],
    )
    assert evidence(row, "operator")[0].startswith(
        "operator Acme Sovereign Cloud B.V. ← provider google universe_domain = "
        "apis.acme-sovereign.example ← constant in provider google universe_domain"
    )
    # The team's own fact is never passed off as lintsov's.
    assert (
        "source https://acme-sovereign.example/docs/universe (catalogue extension in "
        in evidence(row, "operator")[0]
    )
    assert not [k for k in findings(path, "--config", settings) if k[0] in {"SOV002", "SOV003"}]


def test_config_maps_an_azure_metadata_host_to_a_partner(tmp_path: Path) -> None:
    where = tmp_path / "stack"
    where.mkdir()
    path = folder(
        where,
        'provider "azurerm" {\n  features {}\n  metadata_host = "management.bleu.example"\n}\n'
        'resource "azurerm_storage_account" "records" {\n'
        '  name = "acme"\n  resource_group_name = "rg"\n  location = "bleufrancesouth"\n'
        '  account_tier = "Standard"\n  account_replication_type = "LRS"\n'
        '  tags = { data-classification = "confidential" }\n}\n',
    )
    # Without a mapping the host is a cloud lintsov does not know: unknown, not Microsoft.
    unmapped = findings(path)
    assert (
        "metadata_host is 'management.bleu.example'"
        in (unmapped["SOV003", "azurerm_storage_account.records"]["message"])
    )
    settings = config(
        tmp_path,
        "catalogue:\n  settings:\n    - {vendor: azure, attribute: metadata_host, "
        "value: management.bleu.example, operator: bleu, name: Bleu, "
        'source: "https://bleu.example/docs/terraform"}\n',
    )
    row = rows(path, "--config", settings)["azurerm_storage_account.records"]
    assert (row["operator"], row["reach"]) == ("Bleu", ["FR"])


def test_config_maps_a_built_in_region_to_another_operator(tmp_path: Path) -> None:
    where = tmp_path / "stack"
    where.mkdir()
    path = folder(where, BUCKET % "europe-west4")
    settings = config(
        tmp_path,
        OPERATOR + "  region_operators:\n    - {vendor: google, region: europe-west4, "
        'operator: acme-sovereign, source: "https://acme-sovereign.example/contract"}\n',
    )
    row = rows(path, "--config", settings)["google_storage_bucket.records"]
    assert (row["operator"], row["countries"], row["reach"]) == (
        "Acme Sovereign Cloud B.V.",
        ["NL"],
        ["NL"],
    )
    assert any(
        text.startswith(
            "operator Acme Sovereign Cloud B.V. ← region europe-west4 is run by Acme Sovereign "
            "Cloud B.V. ← source https://acme-sovereign.example/contract (catalogue extension"
        )
        for text in evidence(row, "operator")
    )
    assert ("SOV002", "google_storage_bucket.records") not in findings(path, "--config", settings)
    # Without the mapping the same bucket is Google's.
    assert ("SOV002", "google_storage_bucket.records") in findings(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            OPERATOR.replace("vendor: google", "vendor: gogle"),
            "unknown vendor 'gogle' (at catalogue.operators[0].vendor)",
        ),
        (
            OPERATOR.replace("id: acme-sovereign", "id: s3ns"),
            "operator 's3ns' is already catalogued (at catalogue.operators[0].operator.id)",
        ),
        (
            "catalogue:\n  settings:\n    - {vendor: google, attribute: endpoint, value: x, "
            'operator: s3ns, name: X, source: "https://x.example"}\n',
            "google has no provider setting 'endpoint' that chooses a cloud (known: "
            "project_prefix, universe_domain) (at catalogue.settings[0].attribute)",
        ),
        (
            "catalogue:\n  settings:\n    - {vendor: google, attribute: universe_domain, "
            'value: apis.example, operator: bleu, name: X, source: "https://x.example"}\n',
            "unknown operator 'bleu' of vendor 'google' (at catalogue.settings[0].operator)",
        ),
        (
            "catalogue:\n  settings:\n    - {vendor: google, attribute: universe_domain, "
            'value: S3NSAPIS.FR, operator: google, name: X, source: "https://x.example"}\n',
            "universe_domain 'S3NSAPIS.FR' is already catalogued (at catalogue.settings[0].value)",
        ),
        (
            "catalogue:\n  region_operators:\n    - {vendor: google, region: europe-west99, "
            'operator: google, source: "https://x.example"}\n',
            "region 'europe-west99' is not a catalogued region of 'google' "
            "(at catalogue.region_operators[0].region)",
        ),
        (
            "catalogue:\n  region_operators:\n    - {vendor: google, region: europe-west4, "
            "operator: acme}\n",
            "'source' is a required property (at catalogue.region_operators[0])",
        ),
    ],
)
def test_invalid_operator_extensions_are_config_errors_naming_file_and_position(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = config(tmp_path, text)
    result = cli(PARTNERS, "--config", path, "--no-cache")
    assert result.exit_code == 2
    assert result.output.strip() == f"lintsov: error: {path}: invalid config: {expected}"


def test_a_region_table_may_name_an_operator_the_config_adds(tmp_path: Path) -> None:
    # Adding an operator through `catalogue:` used to be refused as "unknown operator".
    path = config(tmp_path, PRIVATE_UNIVERSE)
    result = cli(PARTNERS, "--config", path, "--no-cache", "--fail-on", "never")
    assert result.exit_code == 0, result.output


def test_a_project_lintsov_cannot_read_says_nothing_about_the_universe(tmp_path: Path) -> None:
    path = folder(
        tmp_path,
        'variable "project" { type = string }\n'
        'provider "google" {\n  project = var.project\n}\n' + BUCKET % "europe-west3",
    )
    found = findings(path)
    assert "Google LLC" in found["SOV002", "google_storage_bucket.records"]["message"]
    assert ("SOV003", "google_storage_bucket.records") not in found


def test_pre_1_2_candidate_providers_that_agree_on_the_cloud_keep_the_operator() -> None:
    row = rows(plan_path("universe_candidates_agree_pre_1_2"))[
        "module.vault.google_storage_bucket.this"
    ]
    assert (row["operator"], row["reach"], row["missing"]) == ("Google LLC", ["US"], [])


def test_pre_1_2_candidate_providers_that_choose_different_clouds_leave_it_unknown() -> None:
    row = rows(plan_path("universe_candidates_differ_pre_1_2"))[
        "module.vault.google_storage_bucket.this"
    ]
    assert (row["operator"], row["reach"]) == (None, [])
    assert row["missing"] == [
        {
            "fact": "operator",
            "reason": "the provider configurations it may use choose different clouds "
            "(s3ns, the vendor's default), so lintsov cannot tell which one holds it",
        }
    ]
