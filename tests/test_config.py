"""The config file: found upwards to the repository root, validated, and applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import cli, plan_path

CONFIDENTIAL_US = plan_path("sensitive_bucket_us_region")


def rules_fired(*args: str) -> list[tuple[str, str, str]]:
    result = cli(*args, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    return [(f["rule"], f["severity"], f["address"]) for f in json.loads(result.output)["findings"]]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


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
    (repo / ".lintsov.yaml").write_text("max_vendor_share: 0.5\n")
    assert [f[0] for f in rules_fired(plan_path("multi_vendor"))] == ["AUT001"]
    (repo / ".lintsov.yaml").write_text("rules:\n  AUT001: {enabled: false}\n")
    assert rules_fired(plan_path("single_vendor")) == []


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
    assert "(at line 2, column 1)" in result.output


def test_missing_explicit_config(repo: Path) -> None:
    result = cli(CONFIDENTIAL_US, "--config", "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml: config file not found" in result.output


def test_config_schema_command_prints_the_schema() -> None:
    schema = json.loads(cli("config-schema").output)
    assert schema["title"].startswith("lintsov configuration")
    assert set(schema["properties"]) == {
        "profile",
        "block_jurisdictions",
        "sensitive",
        "max_vendor_share",
        "rules",
    }
