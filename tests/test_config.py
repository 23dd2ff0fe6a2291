"""The config file: found upwards to the repository root, validated, and applied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import cli, plan_path

CONFIDENTIAL_US = plan_path("sensitive_bucket_us_region")
KNOWN = "AUT001, LSV001, LSV002, SOV001, SOV002, SOV003, SOV004, SOV005, SOV006, SOV007, SOV008"


def rules_fired(*args: str) -> list[tuple[str, str, str]]:
    result = cli(*args, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    return [(f["rule"], f["severity"], f["address"]) for f in json.loads(result.output)["findings"]]


def test_no_config_means_defaults(repo: Path) -> None:
    assert ("SOV002", "error", "aws_s3_bucket.customers") in rules_fired(CONFIDENTIAL_US)


def test_yaml_config_in_a_parent_folder_is_found(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".lintsov.yaml").write_text("profile: residency\n")
    (repo / "envs" / "prod").mkdir(parents=True)
    monkeypatch.chdir(repo / "envs" / "prod")
    fired = rules_fired(CONFIDENTIAL_US)
    assert ("SOV001", "error", "aws_s3_bucket.customers") in fired
    assert not [f for f in fired if f[0] == "SOV002"]


def test_search_stops_at_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".lintsov.yaml").write_text("profile: residency\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo")
    assert any(f[0] == "SOV002" for f in rules_fired(CONFIDENTIAL_US))


def test_pyproject_tool_section(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.lintsov]\nblock_jurisdictions = ["DE"]\n')
    fired = rules_fired(plan_path("sensitive_bucket_eu_region_us_vendor"))
    assert ("SOV001", "error", "aws_s3_bucket.customers") in fired
    assert not [f for f in fired if f[0] == "SOV002"]


def test_pyproject_without_tool_section_is_not_a_config(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert ("SOV002", "error", "aws_s3_bucket.customers") in rules_fired(CONFIDENTIAL_US)


def test_command_line_overrides_the_config(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("profile: residency\n")
    fired = rules_fired(CONFIDENTIAL_US, "--profile", "sovereignty")
    assert ("SOV002", "error", "aws_s3_bucket.customers") in fired


def test_explicit_config_option(repo: Path) -> None:
    other = repo / "strict.yml"
    other.write_text("rules:\n  AUT001: {severity: error}\n")
    fired = rules_fired(plan_path("single_vendor"), "--config", str(other))
    assert fired == [("AUT001", "error", "(all resources)")]


def test_sensitive_tags_and_addresses_can_be_changed(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text(
        "sensitive:\n"
        "  tag_keys: [team]\n"
        "  tag_values: [web]\n"
        "  addresses: ['aws_s3_bucket.cust*']\n"
    )
    fired = rules_fired(CONFIDENTIAL_US)
    # team=web now marks assets; customers is sensitive by its address, not its tag.
    assert ("SOV001", "error", "aws_s3_bucket.assets") in fired
    assert ("SOV001", "error", "aws_s3_bucket.customers") in fired
    result = cli("inventory", CONFIDENTIAL_US, "--format", "json")
    rows = {r["address"]: r for r in json.loads(result.output)["inputs"][0]["resources"]}
    evidence = [
        e["text"] for e in rows["aws_s3_bucket.customers"]["evidence"] if e["fact"] == "sensitive"
    ]
    assert evidence == [
        "sensitive ← address matches 'aws_s3_bucket.cust*' ← sensitive_addresses in the policy"
    ]


def test_max_vendor_share_and_disabled_rules(repo: Path) -> None:
    # multi_vendor's 2 resources are judged only with AUT001's minimum lowered.
    (repo / ".lintsov.yaml").write_text("max_vendor_share: 0.5\nmin_vendor_resources: 1\n")
    assert [f[0] for f in rules_fired(plan_path("multi_vendor"))] == ["AUT001"]
    assert [f[0] for f in rules_fired(plan_path("single_vendor"))] == ["AUT001"]
    (repo / ".lintsov.yaml").write_text(
        "rules:\n  AUT001: {enabled: false}\nmin_vendor_resources: 1\n"
    )
    assert rules_fired(plan_path("single_vendor")) == []


def test_a_config_that_disables_every_rule_is_refused(repo: Path) -> None:
    from lintsov.builtin_rules import BUILTIN

    every = "".join(f"  {rule_id}: {{enabled: false}}\n" for rule_id in sorted(BUILTIN))
    (repo / ".lintsov.yaml").write_text("rules:\n" + every)
    result = cli(CONFIDENTIAL_US)
    assert result.exit_code == 2
    assert result.output == (
        f"lintsov: error: {repo / '.lintsov.yaml'} disables every rule "
        f"({', '.join(sorted(BUILTIN))}), so nothing would be judged; enable at least one\n"
    )
    # One rule left on is a run.
    (repo / ".lintsov.yaml").write_text(
        "rules:\n" + every.replace("SOV001: {enabled: false}", "SOV001: {}")
    )
    assert rules_fired(CONFIDENTIAL_US) == [("SOV001", "error", "aws_s3_bucket.customers")]


def test_invalid_config_names_the_key(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("sensitive:\n  tag_keys: classification\n")
    result = cli(CONFIDENTIAL_US)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"lintsov: error: {repo / '.lintsov.yaml'}: invalid config: 'classification' is not of "
        "type 'array' (at sensitive.tag_keys)"
    )


def test_unknown_key_is_refused(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("profiel: residency\n")
    result = cli(CONFIDENTIAL_US)
    assert result.exit_code == 2
    assert "Additional properties are not allowed ('profiel' was unexpected)" in result.output


def test_yaml_syntax_error_names_line_and_column(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("profile: [residency\n")
    result = cli(CONFIDENTIAL_US)
    assert result.exit_code == 2
    assert "invalid YAML" in result.output
    assert ".lintsov.yaml:2:1)" in result.output


def test_missing_explicit_config(repo: Path) -> None:
    result = cli(CONFIDENTIAL_US, "--config", "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml: config file not found" in result.output


def test_config_schema_command_prints_the_schema() -> None:
    schema = json.loads(cli("config-schema").output)
    assert schema["title"].startswith("lintsov configuration")
    assert set(schema["properties"]) == {
        "select",
        "ignore",
        "modules",
        "min_vendor_resources",
        "profile",
        "block_jurisdictions",
        "sensitive",
        "max_vendor_share",
        "rules",
        "catalogue",
        "waivers",
        "endpoints",
        "staff_access",
        "trusted",
    }
    # The catalogue definitions are included, so that editors complete extension entries.
    assert schema["$defs"]["vendors_file"]["properties"]["vendors"]["items"]["required"] == [
        "id",
        "name",
        "operator",
        "sources",
    ]


def findings_json(*args: str) -> dict[str, Any]:
    result = cli(*args, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def test_config_waiver_by_address_glob_waives_with_its_reason(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text(
        "waivers:\n"
        "  - rule: SOV002\n"
        "    address: 'aws_s3_bucket.*'\n"
        "    reason: EU data boundary contract, ticket SEC-12\n"
        "    until: 2099-03-31\n"
    )
    document = findings_json(CONFIDENTIAL_US)
    assert not [f for f in document["findings"] if f["rule"] in ("SOV002", "LSV001")]
    (waived,) = document["waived"]
    assert (waived["rule"], waived["address"]) == ("SOV002", "aws_s3_bucket.customers")
    assert waived["waiver"] == {
        "rules": ["SOV002"],
        "reason": "EU data boundary contract, ticket SEC-12",
        "until": "2099-03-31",
        "file": ".lintsov.yaml",
        "line": 2,
    }


def test_config_waiver_needs_a_reason_and_expires_like_an_inline_one(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text(
        "waivers:\n"
        "  - {rule: SOV002, address: aws_s3_bucket.customers}\n"
        "  - {rule: SOV001, address: aws_s3_bucket.customers, reason: pilot, until: 2020-01-31}\n"
        "  - {rule: SOV001, address: 'aws_db_*', reason: legacy, until: 2027-02-30}\n"
    )
    document = findings_json(CONFIDENTIAL_US)
    assert document["waived"] == []
    fired = {(f["rule"], f["address"]) for f in document["findings"]}
    # Neither waiver waives: the findings they name still count.
    assert {("SOV001", "aws_s3_bucket.customers"), ("SOV002", "aws_s3_bucket.customers")} <= fired
    problems = {
        f["message"]: (f["input"], f["location"]["line"])
        for f in document["findings"]
        if f["rule"] == "LSV001"
    }
    assert problems == {
        "the config waiver for SOV002 on aws_s3_bucket.customers has no reason, so it "
        "waives nothing; add reason: ...": (".lintsov.yaml", 2),
        "the config waiver for SOV001 on aws_s3_bucket.customers expired on 2020-01-31, "
        "so it no longer waives": (".lintsov.yaml", 3),
        "the config waiver for SOV001 on aws_db_* until=2027-02-30 is not a date, so it "
        "waives nothing": (".lintsov.yaml", 4),
    }


def test_config_waiver_problem_is_reported_once_for_several_inputs(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("waivers:\n  - {rule: SOV002, address: x}\n")
    document = findings_json(CONFIDENTIAL_US, plan_path("single_vendor"))
    assert [f["rule"] for f in document["findings"]].count("LSV001") == 1


def test_pyproject_waivers_with_toml_dates(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        "[[tool.lintsov.waivers]]\n"
        'rule = "SOV002"\n'
        'address = "aws_s3_bucket.customers"\n'
        'reason = "contract"\n'
        "until = 2099-01-01\n"
    )
    document = findings_json(CONFIDENTIAL_US)
    assert [(w["rule"], w["waiver"]["until"]) for w in document["waived"]] == [
        ("SOV002", "2099-01-01")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "waivers:\n  - {rule: SOV002}\n",
            "'address' is a required property (at waivers[0])",
        ),
        (
            "waivers:\n  - {rule: sov2, address: x}\n",
            "'sov2' does not match '^[A-Z]+[0-9]+$' (at waivers[0].rule)",
        ),
        (
            "rules:\n  SOV001: {severity: fatal}\n",
            "'fatal' is not one of ['error', 'warning'] (at rules.SOV001.severity)",
        ),
        (
            "rules:\n  SOV020: {enabled: false}\n",
            f"unknown rule id 'SOV020' (known: {KNOWN}) (at rules.SOV020)",
        ),
        (
            "waivers:\n  - {rule: SOV020, address: 'aws_*', reason: contract}\n",
            f"unknown rule id 'SOV020' (known: {KNOWN}) (at waivers[0].rule)",
        ),
        (
            "max_vendor_share: 2\n",
            "2 is greater than the maximum of 1 (at max_vendor_share)",
        ),
        (
            "catalogue:\n  data_types:\n    - {type: acme_bucket, category: object-storage, "
            "source: 'http://acme'}\n",
            "'http://acme' does not match '^https://\\\\S+$' (at catalogue.data_types[0].source)",
        ),
    ],
)
def test_config_errors_name_the_key_path_and_what_was_expected(
    repo: Path, text: str, expected: str
) -> None:
    (repo / ".lintsov.yaml").write_text(text)
    result = cli(CONFIDENTIAL_US)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"lintsov: error: {repo / '.lintsov.yaml'}: invalid config: {expected}"
    )


EXTENSION = """\
catalogue:
  vendors:
    - id: example-hosting
      name: Example Hosting
      operator:
        id: example-hosting
        entity: {name: Example Hosting B.V., country: NL}
        parents: []
        sources: ["https://kvk.example.nl/12345678"]
      sources: ["https://example-hosting.example.nl"]
  providers:
    - source: examplehosting/cloud
      kind: hosting
      vendor: example-hosting
      location_attributes: [location]
      provider_region_attributes: [region]
      sources: ["https://registry.example.nl/examplehosting/cloud"]
  regions:
    - vendor: example-hosting
      sources: ["https://example-hosting.example.nl/datacentres"]
      regions:
        - {id: ams1, name: Amsterdam 1, countries: [NL]}
    - vendor: aws
      sources: ["https://docs.aws.amazon.com/general/latest/gr/rande.html"]
      regions:
        - {id: eu-future-1, name: Europe (Future), countries: [AT]}
  data_types:
    - {type: examplehosting_bucket, category: object-storage, source: "https://registry.example.nl/bucket"}
"""

EXTENDED_FOLDER = """\
terraform {
  required_providers {
    examplehosting = { source = "examplehosting/cloud" }
  }
}
provider "examplehosting" { region = "ams1" }
provider "aws" { region = "eu-future-1" }
resource "examplehosting_bucket" "records" {
  labels = { data-classification = "confidential" }
}
resource "aws_s3_bucket" "records" {
  tags = { data-classification = "confidential" }
}
"""


def test_catalogue_extensions_resolve_like_built_in_facts(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text(EXTENSION)
    (repo / "infra").mkdir()
    (repo / "infra" / "main.tf").write_text(EXTENDED_FOLDER)
    document = json.loads(cli("inventory", "infra", "--format", "json", "--no-cache").output)
    rows = {r["address"]: r for r in document["inputs"][0]["resources"]}
    private = rows["examplehosting_bucket.records"]
    assert (private["vendor"], private["region"], private["countries"]) == (
        "example-hosting",
        "ams1",
        ["NL"],
    )
    assert private["data_category"] == "object-storage"
    vendor_evidence = next(e["text"] for e in private["evidence"] if e["fact"] == "vendor")
    assert vendor_evidence.endswith(
        "source https://registry.example.nl/examplehosting/cloud "
        "(catalogue extension in .lintsov.yaml)"
    )
    assert rows["aws_s3_bucket.records"]["countries"] == ["AT"]
    fired = rules_fired("infra", "--no-cache")
    # The Dutch vendor's bucket is clean; the AWS one is not (US operator).
    assert ("SOV002", "error", "aws_s3_bucket.records") in fired
    assert not [f for f in fired if f[2] == "examplehosting_bucket.records"]


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        (
            "catalogue:\n  regions:\n    - {vendor: nobody, sources: ['https://x.example'], "
            "regions: [{id: r1, name: R1, countries: [NL]}]}\n",
            "unknown vendor 'nobody' (at catalogue.regions[0].vendor)",
        ),
        (
            "catalogue:\n  regions:\n    - {vendor: aws, sources: ['https://x.example'], "
            "regions: [{id: eu-central-1, name: Frankfurt, countries: [NL]}]}\n",
            "region 'eu-central-1' is already catalogued (at catalogue.regions[0].regions[0].id)",
        ),
        (
            "catalogue:\n  data_types:\n    - {type: aws_s3_bucket, category: database, "
            "source: 'https://x.example'}\n",
            "type 'aws_s3_bucket' is already catalogued (at catalogue.data_types[0].type)",
        ),
    ],
)
def test_catalogue_extensions_add_but_never_replace(
    repo: Path, extension: str, expected: str
) -> None:
    (repo / ".lintsov.yaml").write_text(extension)
    result = cli(CONFIDENTIAL_US)
    assert result.exit_code == 2
    assert result.output.strip().endswith(f"invalid config: {expected}")
