"""Configuration discovery: each input is judged by the config file nearest to it, from the
input's folder up to the repository root, whatever folder lintsov runs from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import Result
from test_config import EXTENDED_FOLDER, EXTENSION

from helpers import ROOT, cli, plan_path
from lintsov import config

# A bucket of confidential data in Frankfurt, with AWS: blocked under DE (where it sits) and
# under US (whose law reaches AWS), each by another rule.
PROVIDER = """provider "aws" {
  region = "eu-central-1"
}
"""
BUCKET = """
resource "aws_s3_bucket" "{name}" {{
  bucket = "acme-{name}"
  tags   = {{ data-classification = "confidential" }}
}}
"""
BLOCK_DE = "block_jurisdictions: [DE]\n"


def stack(folder: Path, *names: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    # One provider block per folder: Terraform refuses a second one without an alias.
    text = PROVIDER + "".join(BUCKET.format(name=name) for name in names)
    (folder / "main.tf").write_text(text)
    return str(folder.relative_to(Path.cwd()))


@pytest.fixture
def stacks(repo: Path) -> tuple[str, str]:
    """stacks/a with a config that blocks DE, stacks/b with none: the task's monorepo."""
    a = stack(repo / "stacks" / "a", "records")
    (repo / "stacks" / "a" / ".lintsov.yaml").write_text(BLOCK_DE)
    b = stack(repo / "stacks" / "b", "records")
    # Two roles beside each bucket: 3 AWS resources, enough for AUT001 to judge a stack.
    for folder in ("a", "b"):
        (repo / "stacks" / folder / "roles.tf").write_text(ROLES)
    return a, b


ROLES = "".join(
    f'resource "aws_iam_role" "{name}" {{\n  name = "{name}"\n  assume_role_policy = "{{}}"\n}}\n'
    for name in ("reader", "writer")
)


def run(*args: str, cache: bool = False) -> Result:
    return cli(*args, *(() if cache else ("--no-cache",)), "--no-color", "--fail-on", "never")


def report(*args: str, cache: bool = False) -> dict[str, Any]:
    result = run(*args, "--format", "json", cache=cache)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def verdicts(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(input, rule, address) of each sovereignty finding."""
    return [
        (f["input"], f["rule"], f["address"])
        for f in document["findings"]
        if f["rule"].startswith("SOV")
    ]


# --- which config applies ---------------------------------------------------------------


def test_each_input_is_judged_by_the_config_beside_it(stacks: tuple[str, str]) -> None:
    a, b = stacks
    document = report(a, b)
    # a blocks DE: its bucket sits in DE (SOV001), and US reach does not count there.
    # b has no config: the default blocks US, whose law reaches AWS (SOV002).
    assert verdicts(document) == [
        (a, "SOV001", "aws_s3_bucket.records"),
        (b, "SOV002", "aws_s3_bucket.records"),
    ]
    sov001, sov002 = [f for f in document["findings"] if f["rule"].startswith("SOV")]
    assert sov001["message"].endswith("under blocked jurisdiction DE")
    assert "reachable under US law" in sov002["message"]
    assert document["policy"]["configs"] == [
        {
            "file": "stacks/a/.lintsov.yaml",
            "inputs": [a],
            "profile": "sovereignty",
            "blocked_jurisdictions": ["DE"],
            "unclassified": "not-sensitive",
        },
        {
            "file": None,
            "inputs": [b],
            "profile": "sovereignty",
            "blocked_jurisdictions": ["US"],
            "unclassified": "not-sensitive",
        },
    ]
    assert [(i["path"], i["config"]) for i in document["inputs"]] == [
        (a, "stacks/a/.lintsov.yaml"),
        (b, None),
    ]
    # The run's policy has no one blocked list to give.
    assert document["policy"]["profile"] == "sovereignty"
    assert document["policy"]["blocked_jurisdictions"] is None
    schema = json.loads((ROOT / "lintsov" / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(document, schema)


def test_a_plan_takes_the_config_of_its_folder(stacks: tuple[str, str], repo: Path) -> None:
    plan = repo / "stacks" / "a" / "plan.json"
    plan.write_bytes(Path(plan_path("sensitive_bucket_eu_region_us_vendor")).read_bytes())
    document = report("stacks/a/plan.json")
    assert [i["config"] for i in document["inputs"]] == ["stacks/a/.lintsov.yaml"]
    assert {f["rule"] for f in document["findings"]} >= {"SOV001"}
    assert "SOV002" not in {f["rule"] for f in document["findings"]}


def test_the_config_option_applies_one_file_to_every_input(
    stacks: tuple[str, str], repo: Path
) -> None:
    a, b = stacks
    (repo / "policy.yaml").write_text("block_jurisdictions: [FR]\n")
    document = report(a, b, "--config", "policy.yaml")
    # FR is neither where the buckets sit nor whose law reaches AWS; a's DE is not read.
    assert verdicts(document) == []
    (only,) = document["policy"]["configs"]
    assert (only["file"], only["inputs"], only["blocked_jurisdictions"]) == (
        "policy.yaml",
        [a, b],
        ["FR"],
    )


def test_a_config_at_the_repository_root_applies_to_stacks_without_their_own(
    stacks: tuple[str, str], repo: Path
) -> None:
    a, b = stacks
    (repo / ".lintsov.yaml").write_text("profile: residency\n")
    document = report(a, b)
    # The nearest file wins whole: a keeps its DE (and the default profile), b gets the
    # root's residency profile, under which the US reach of AWS does not count.
    assert verdicts(document) == [(a, "SOV001", "aws_s3_bucket.records")]
    assert [(c["file"], c["profile"]) for c in document["policy"]["configs"]] == [
        ("stacks/a/.lintsov.yaml", "sovereignty"),
        (".lintsov.yaml", "residency"),
    ]


def test_pyproject_with_a_tool_lintsov_table_is_discovered(
    stacks: tuple[str, str], repo: Path
) -> None:
    a, b = stacks
    (repo / ".lintsov.yaml").write_text("profile: residency\n")
    (repo / "stacks" / "b" / "pyproject.toml").write_text('[project]\nname = "b"\n')
    # A pyproject.toml without [tool.lintsov] is no config: the search goes on upwards.
    assert report(b)["policy"]["configs"][0]["file"] == ".lintsov.yaml"
    (repo / "stacks" / "b" / "pyproject.toml").write_text(
        '[tool.lintsov]\nblock_jurisdictions = ["DE"]\n'
    )
    document = report(a, b)
    assert verdicts(document) == [
        (a, "SOV001", "aws_s3_bucket.records"),
        (b, "SOV001", "aws_s3_bucket.records"),
    ]
    assert [c["file"] for c in document["policy"]["configs"]] == [
        "stacks/a/.lintsov.yaml",
        "stacks/b/pyproject.toml",
    ]


def test_an_input_in_the_repository_never_takes_a_sibling_s_config(
    stacks: tuple[str, str], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run from stacks/a: b finds no config up to the repository root, and a's is no
    # ancestor of it. b is judged as it is from the root.
    monkeypatch.chdir(repo / "stacks" / "a")
    document = report(".", "../b")
    assert verdicts(document) == [
        (".", "SOV001", "aws_s3_bucket.records"),
        ("../b", "SOV002", "aws_s3_bucket.records"),
    ]


def test_an_input_outside_the_repository_takes_the_config_of_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A CI job writes its plan to a temporary folder and lints it from the repository.
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".lintsov.yaml").write_text(BLOCK_DE)
    monkeypatch.chdir(repo)
    elsewhere = stack(repo / "stacks" / "x", "records").replace("stacks/x", "../elsewhere")
    (repo / "stacks" / "x").rename(tmp_path / "elsewhere")
    document = report(elsewhere)
    assert verdicts(document) == [(elsewhere, "SOV001", "aws_s3_bucket.records")]
    assert document["inputs"][0]["config"] == ".lintsov.yaml"


def test_outside_any_repository_the_search_goes_up_to_the_filesystem_root(
    tmp_path: Path,
) -> None:
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / ".lintsov.yaml").write_text(BLOCK_DE)
    deep = tmp_path / "team" / "envs" / "prod"
    deep.mkdir(parents=True)
    assert config.for_input(str(deep), tmp_path) == tmp_path / "team" / ".lintsov.yaml"
    # A repository root stops it: its own config counts, its parents' do not.
    (tmp_path / "team" / "envs" / ".git").mkdir()
    assert config.for_input(str(deep), tmp_path / "team" / "envs") is None


def test_discovery_reads_each_folder_once(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".lintsov.yml").write_text(BLOCK_DE)
    searched: dict[Path, Path | None] = {}
    for name in ("a", "b"):
        (tmp_path / "envs" / name).mkdir(parents=True)
        found = config.for_input(str(tmp_path / "envs" / name), tmp_path, searched)
        assert found == tmp_path / ".lintsov.yml"
    # b's search stopped at envs, which a's had searched already.
    assert set(searched) == {
        tmp_path / "envs" / "a",
        tmp_path / "envs" / "b",
        tmp_path / "envs",
        tmp_path,
    }


# --- the policy of each input -----------------------------------------------------------


def test_rules_and_severities_are_each_config_s(stacks: tuple[str, str], repo: Path) -> None:
    a, b = stacks
    (repo / "stacks" / "a" / ".lintsov.yaml").write_text(
        BLOCK_DE + "rules:\n  AUT001: {severity: error}\n  SOV001: {enabled: false}\n"
    )
    document = report(a, b)
    assert [(f["input"], f["rule"], f["severity"]) for f in document["findings"]] == [
        (a, "AUT001", "error"),
        (b, "SOV002", "error"),
        (b, "AUT001", "warning"),
    ]
    sarif = json.loads(run(a, b, "--format", "sarif").output)["runs"][0]
    # SARIF's overrides hold for the whole run: a's are listed with a's config only.
    assert "ruleConfigurationOverrides" not in sarif["invocations"][0]
    assert [c.get("ruleConfiguration") for c in sarif["properties"]["configs"]] == [
        {"AUT001": {"level": "error"}, "SOV001": {"enabled": False}},
        None,
    ]
    junit = run(a, b, "--format", "junit").output
    assert (
        '<property name="severity" value="error (stacks/a/.lintsov.yaml), '
        'warning (no config file)" />'
    ) in junit
    # SOV001 did not run on a: a's bucket is no SOV001 test case, b's is (and passed).
    sov001 = junit.split('name="SOV001: ')[1].split("</testsuite>")[0]
    assert 'classname="stacks/b" name="aws_s3_bucket.records" />' in sov001
    assert 'classname="stacks/a"' not in sov001


def test_sensitive_settings_and_catalogue_extensions_are_each_config_s(repo: Path) -> None:
    # Two copies of one folder; x's config extends the catalogue and marks only `owner`
    # tags sensitive, y has none.
    x, y = repo / "stacks" / "x", repo / "stacks" / "y"
    for folder in (x, y):
        folder.mkdir(parents=True)
        (folder / "main.tf").write_text(EXTENDED_FOLDER)
    (x / ".lintsov.yaml").write_text(EXTENSION + "sensitive:\n  tag_keys: [owner]\n")
    result = cli("inventory", "stacks/x", "stacks/y", "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    rows = {
        (item["path"], r["address"]): (r["vendor"], r["countries"], r["sensitive"])
        for item in document["inputs"]
        for r in item["resources"]
    }
    assert rows == {
        ("stacks/x", "aws_s3_bucket.records"): ("aws", ["AT"], False),
        ("stacks/x", "examplehosting_bucket.records"): ("example-hosting", ["NL"], False),
        ("stacks/y", "aws_s3_bucket.records"): ("aws", [], True),
        ("stacks/y", "examplehosting_bucket.records"): (None, [], True),
    }
    assert [i["config"] for i in document["inputs"]] == ["stacks/x/.lintsov.yaml", None]
    text = cli("inventory", "stacks/x", "stacks/y", "--no-cache").output
    assert (
        "stacks/x (Terraform configuration, 2 resources)\n  config: stacks/x/.lintsov.yaml\n"
        in text
    )
    assert "stacks/y (Terraform configuration, 2 resources)\n  config: no config file\n" in text


def test_unclassified_data_counts_as_each_input_s_policy_says(repo: Path) -> None:
    for name in ("a", "b"):
        folder = repo / "stacks" / name
        folder.mkdir(parents=True)
        (folder / "main.tf").write_text('resource "aws_s3_bucket" "untagged" {\n}\n')
    (repo / "stacks" / "a" / ".lintsov.yaml").write_text("sensitive:\n  unclassified: sensitive\n")
    assert (
        " · 2 data-holding resources unclassified (1 counted sensitive) · "
        in run("stacks/a", "stacks/b").output
    )
    issues = json.loads(run("stacks/a", "stacks/b", "--format", "gitlab").output)
    assert {
        i["location"]["path"]: i["description"]
        for i in issues
        if i["check_name"] == "lintsov-unclassified"
    } == {
        "stacks/a": "1 data-holding resource without a classification tag or label (counted "
        "as sensitive: sensitive.unclassified)",
        "stacks/b": "1 data-holding resource without a classification tag or label (not "
        "counted as sensitive; sensitive.unclassified: sensitive counts them)",
    }


def test_a_config_waiver_waives_only_in_the_inputs_of_its_config(
    stacks: tuple[str, str], repo: Path
) -> None:
    a, b = stacks
    stack(repo / "stacks" / "b", "records", "only_in_b")
    (repo / "stacks" / "a" / ".lintsov.yaml").write_text(
        "waivers:\n"
        "  - {rule: SOV002, address: aws_s3_bucket.records, reason: contract SEC-12}\n"
        "  - {rule: SOV002, address: aws_s3_bucket.only_in_b, reason: contract SEC-13}\n"
    )
    document = report(a, b)
    # Same address in both stacks: a's waiver covers a's finding, not b's.
    assert [(w["input"], w["address"]) for w in document["waived"]] == [
        (a, "aws_s3_bucket.records")
    ]
    assert (b, "SOV002", "aws_s3_bucket.records") in verdicts(document)
    # only_in_b is a resource of the run, but of no input a's config applies to: stale.
    (stale,) = [f for f in document["findings"] if f["rule"] == "LSV001"]
    assert stale["message"].startswith(
        "the config waiver for SOV002 on aws_s3_bucket.only_in_b matches no resource in any "
        "input its config applies to"
    )
    assert (stale["input"], stale["location"]["line"]) == ("stacks/a/.lintsov.yaml", 3)


def test_aggregate_refuses_inputs_with_different_policies(
    stacks: tuple[str, str], repo: Path
) -> None:
    a, b = stacks
    result = run(a, b, "--aggregate")
    assert result.exit_code == 2
    assert result.output == (
        "lintsov: error: --aggregate judges all inputs as one, by one policy, but they have "
        f"2 policies: stacks/a/.lintsov.yaml ({a}), no config file ({b}); give --config FILE "
        "to judge them all by one\n"
    )
    (repo / "all.yaml").write_text(BLOCK_DE)
    document = report(a, b, "--aggregate", "--config", "all.yaml")
    assert [f["input"] for f in document["findings"] if f["rule"] == "AUT001"] == ["(all inputs)"]


# --- errors -----------------------------------------------------------------------------


def test_a_broken_discovered_config_is_an_error_naming_it(stacks: tuple[str, str]) -> None:
    a, b = stacks
    broken = Path(b).resolve() / ".lintsov.yaml"
    broken.write_text("profile: [residency\n")
    result = run(a, b)
    assert result.exit_code == 2
    assert result.output.startswith(f"lintsov: error: {broken}: invalid YAML")
    assert result.output.endswith(f"(at {broken}:2:1)\n")
    broken.write_text("sensitive:\n  tag_keys: classification\n")
    result = run(a, b)
    assert (result.exit_code, result.output) == (
        2,
        f"lintsov: error: {broken}: invalid config: 'classification' is not of type "
        "'array' (at sensitive.tag_keys)\n",
    )


def test_two_config_files_in_one_folder_are_refused(stacks: tuple[str, str]) -> None:
    a, b = stacks
    folder = Path(a).resolve()
    (folder / "pyproject.toml").write_text('[tool.lintsov]\nprofile = "residency"\n')
    result = run(a, b)
    assert (result.exit_code, result.output) == (
        2,
        f"lintsov: error: {folder / 'pyproject.toml'}: a second config file beside "
        ".lintsov.yaml, which lintsov would read alone; keep one\n",
    )
    (folder / "pyproject.toml").unlink()
    (folder / ".lintsov.yml").write_text("profile: residency\n")
    assert run(a).output.startswith(
        f"lintsov: error: {folder / '.lintsov.yml'}: a second config file beside .lintsov.yaml"
    )


def test_a_discovered_config_that_disables_every_rule_is_refused(
    stacks: tuple[str, str],
) -> None:
    from lintsov.builtin_rules import BUILTIN

    a, b = stacks
    off = Path(b).resolve() / ".lintsov.yaml"
    off.write_text("rules:\n" + "".join(f"  {r}: {{enabled: false}}\n" for r in BUILTIN))
    result = run(a, b)
    assert result.exit_code == 2
    assert result.output.startswith(f"lintsov: error: {off} disables every rule")


# --- every format names the config files ------------------------------------------------


def test_one_config_is_named_in_the_summary(stacks: tuple[str, str]) -> None:
    a, b = stacks
    assert (
        run(a)
        .output.splitlines()[-1]
        .endswith("· profile sovereignty, blocked: DE · config: stacks/a/.lintsov.yaml")
    )
    assert (
        run(b)
        .output.splitlines()[-1]
        .endswith("· profile sovereignty, blocked: US · no config file")
    )
    markdown = run(a, "--format", "markdown").output
    assert "Profile **sovereignty** · blocked jurisdictions: **DE** · config: " in markdown


def test_every_format_names_each_config_and_its_inputs(stacks: tuple[str, str]) -> None:
    a, b = stacks
    out = {fmt: run(a, b, "--format", fmt).output for fmt in ("text", "markdown", "github")}
    summary = (
        "2 policies: stacks/a/.lintsov.yaml (profile sovereignty, blocked: DE; 1 input), "
        "no config file (profile sovereignty, blocked: US; 1 input)"
    )
    assert out["text"].endswith(f" · {summary}\n")
    assert (
        "POLICIES (2)\n"
        "  stacks/a/.lintsov.yaml: profile sovereignty, blocked: DE\n"
        f"    {a}\n"
        "  no config file: profile sovereignty, blocked: US\n"
        f"    {b}\n"
    ) in out["text"]
    assert out["github"].endswith(f" · {summary}\n")
    assert (
        "| Config | Profile | Blocked jurisdictions | Inputs |\n"
        "|---|---|---|---|\n"
        f"| stacks/a/.lintsov.yaml | sovereignty | DE | {a} |\n"
        f"| no config file | sovereignty | US | {b} |\n"
    ) in out["markdown"]
    sarif = json.loads(run(a, b, "--format", "sarif").output)["runs"][0]["properties"]
    assert [(c["file"], c["inputs"]) for c in sarif["configs"]] == [
        ("stacks/a/.lintsov.yaml", [a]),
        (None, [b]),
    ]
    junit = run(a, b, "--format", "junit").output
    assert f'<property name="config" value="stacks/a/.lintsov.yaml: {a}" />' in junit
    assert f'<property name="config" value="no config file: {b}" />' in junit
    issues = json.loads(run(a, b, "--format", "gitlab").output)
    # Each finding's body ends with the policy it was judged by (AUT001's points at the
    # folder's provider block, SOV's at the block).
    bodies = {
        (i["check_name"], i["location"]["path"]): i["content"]["body"].split("\n")[-1]
        for i in issues
    }
    a_policy = "- policy: profile sovereignty, blocked: DE (config: stacks/a/.lintsov.yaml)"
    b_policy = "- policy: profile sovereignty, blocked: US (no config file)"
    assert bodies == {
        ("AUT001", f"{a}/main.tf"): a_policy,
        ("SOV001", f"{a}/main.tf"): a_policy,
        ("AUT001", f"{b}/main.tf"): b_policy,
        ("SOV002", f"{b}/main.tf"): b_policy,
    }


# --- parallel and cached runs -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "junit", "markdown", "gitlab"])
def test_parallel_output_is_identical_to_serial(stacks: tuple[str, str], fmt: str) -> None:
    a, b = stacks
    (Path.cwd() / ".lintsov.yaml").write_text("profile: residency\n")
    more = [stack(Path.cwd() / "stacks" / f"c{n}", "records") for n in range(4)]
    outputs = {}
    for jobs in ("1", "3"):
        command = [sys.executable, "-m", "lintsov", a, b, *more, "--format", fmt]
        done = subprocess.run(
            [*command, "--jobs", jobs, "--no-cache"],
            capture_output=True,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=120,
        )
        assert done.returncode == 1, done.stderr
        outputs[jobs] = done.stdout
    assert outputs["1"] == outputs["3"]
    assert b"stacks/a/.lintsov.yaml" in outputs["1"]


def test_the_inventory_cache_keeps_each_input_s_policy(stacks: tuple[str, str], repo: Path) -> None:
    a, b = stacks
    cached = ("--cache-dir", str(repo / "cache"))
    fresh = report(a, b)
    assert report(a, b, *cached, cache=True) == fresh
    # From the cache: still each input's own policy.
    assert list((repo / "cache" / "inventories").iterdir())
    assert report(a, b, *cached, cache=True) == fresh
    (repo / "stacks" / "b" / ".lintsov.yaml").write_text(BLOCK_DE)
    assert verdicts(report(a, b, *cached, cache=True)) == [
        (a, "SOV001", "aws_s3_bucket.records"),
        (b, "SOV001", "aws_s3_bucket.records"),
    ]
