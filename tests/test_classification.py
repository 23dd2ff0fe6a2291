"""Classifications found where real resource types keep them (nested blocks, tag blocks,
key:value strings), and the policy for data-holding resources nobody classified."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import cli, folder_inventory, hcl_path, plan_path
from lintsov import catalogue
from lintsov.catalogue import LabelLocation, LabelLocations, builtin_documents
from lintsov.inventory import Inventory, ResolvedResource
from lintsov.policy import Policy
from lintsov.resolve.labels import read
from lintsov.resolve.values import Values

PLAN = plan_path("classification_in_nested_blocks")
FOLDER = hcl_path("classification_in_nested_blocks")
# The same evidence from the plan and from the folder: one reading of both.
ORDERS = (
    "sensitive ← label data-classification=confidential ← settings.user_labels of "
    "google_sql_database_instance.orders"
)
WEB = "sensitive ← tag data-classification=confidential ← tag of aws_autoscaling_group.web"


def evidence(resource: ResolvedResource, fact: str) -> list[str]:
    return [e.text() for e in resource.evidence if e.fact == fact]


def by_address(inventory: Inventory) -> dict[str, ResolvedResource]:
    return {r.address: r for r in inventory.resources}


def plan_inventory(policy: Policy | None = None) -> dict[str, ResolvedResource]:
    from helpers import inventory_of

    return by_address(inventory_of("classification_in_nested_blocks", policy))


def report(*args: str) -> Any:
    result = cli(*args, "--format", "json", "--fail-on", "never", "--no-cache")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def fired(document: Any) -> dict[tuple[str, str], list[str]]:
    return {
        (f["rule"], f["address"]): [e["text"] for e in f["evidence"]] for f in document["findings"]
    }


# --- the catalogue ------------------------------------------------------------------------


def test_a_type_entry_wins_over_its_prefix_and_the_prefix_over_the_fallback() -> None:
    cat = catalogue.builtin()
    sql = cat.labels("google_sql_database_instance")
    assert (sql.entry, [loc.name for loc in sql.locations]) == (
        "type google_sql_database_instance",
        ["settings.user_labels"],
    )
    bucket = cat.labels("google_storage_bucket")
    assert bucket.entry == "prefix google_"
    assert [loc.name for loc in bucket.locations] == [
        "labels",
        "effective_labels",
        "terraform_labels",
    ]
    unknown = cat.labels("examplecloud_bucket")
    assert unknown.entry == "fallback"
    assert {loc.name for loc in unknown.locations} >= {"tags", "labels"}


# Providers whose data-holding types carry no tag or label lintsov can read as key and
# value: they fall back to the generic tags and labels maps, and that is all there is.
NO_KEY_VALUE_LABELS = {
    "cloudflare_": "R2 buckets, D1 databases, KV namespaces and queues take no tags",
    "proxmox_": "Proxmox tags are single words, with no key=value form",
    "vsphere_": "vSphere tags and custom attributes are referenced by id, not by name",
    "ovh_": "the OVHcloud public cloud resources take no tags",
    "vault_": "only KV v2 secrets carry custom metadata (a type entry)",
    "confluent_": "Confluent Cloud clusters and topics take no tags",
    "snowflake_": "Snowflake object tags are separate resources (snowflake_tag_association)",
    "clickhouse_": "lintsov knows of no tags on ClickHouse Cloud services; the fallback reads a "
    "tags map where there is one",
}


def test_every_data_holding_provider_says_where_its_types_keep_labels() -> None:
    cat = catalogue.builtin()
    prefixes = {t.split("_", 1)[0] + "_" for t in cat.data_types}
    unsaid = sorted(
        p
        for p in prefixes
        if p not in NO_KEY_VALUE_LABELS
        and all(cat.labels(t).entry == "fallback" for t in cat.data_types if t.startswith(p))
    )
    assert unsaid == [], f"add these prefixes to lintsov/catalogue/labels.json: {unsaid}"


def test_every_shape_names_what_it_needs() -> None:
    for entry in (
        *builtin_documents()["labels.json"]["prefixes"],
        *builtin_documents()["labels.json"]["types"],
    ):
        for location in entry["labels"]:
            if location["shape"] == "strings":
                assert location["separators"], entry
            if location["shape"] == "key-value-list":
                assert location["key"], entry
                assert location["value"], entry


# --- reading each shape -------------------------------------------------------------------


def locations(*items: LabelLocation) -> LabelLocations:
    return LabelLocations(items, "test", "https://example.org")


def pairs(values: Values, *items: LabelLocation) -> list[tuple[str, str, str, bool]]:
    found = read(values, locations(*items)).found
    return [(label.key, label.value, label.where, label.hidden) for label in found]


def test_a_map_in_a_nested_block_is_read_with_its_path() -> None:
    after = {"settings": [{"user_labels": {"data-classification": "confidential"}}]}
    found = pairs(Values(after, {}, {}), LabelLocation(("settings", "user_labels"), "map"))
    assert found == [("data-classification", "confidential", "settings.user_labels", False)]


def test_several_blocks_are_told_apart_by_their_index() -> None:
    after = {"node": [{"labels": {"a": "1"}}, {"labels": {"b": "2"}}]}
    found = pairs(Values(after, {}, {}), LabelLocation(("node", "labels"), "map"))
    assert [f[2] for f in found] == ["node[0].labels", "node[1].labels"]


def test_key_value_blocks_are_read_by_their_fields() -> None:
    after = {"tag": [{"key": "classification", "value": "pii", "propagate_at_launch": True}]}
    found = pairs(Values(after, {}, {}), LabelLocation(("tag",), "key-value-list"))
    assert found == [("classification", "pii", "tag", False)]


def test_strings_split_at_the_first_separator_the_provider_uses() -> None:
    after = {"tags": ["team:web", "data-classification:restricted", "plain", "k=v:w"]}
    colon = LabelLocation(("tags",), "strings", separators=(":",))
    assert pairs(Values(after, {}, {}), colon) == [
        ("team", "web", "tags", False),
        ("data-classification", "restricted", "tags", False),
        ("k=v", "w", "tags", False),
    ]
    both = LabelLocation(("tags",), "strings", separators=("=", ":"))
    assert ("k", "v:w", "tags", False) in pairs(Values(after, {}, {}), both)


def test_namespaced_keys_are_matched_without_their_namespace() -> None:
    after = {"defined_tags": {"Security.data-classification": "pii"}}
    location = LabelLocation(("defined_tags",), "map", namespace_separator=".")
    (label,) = read(Values(after, {}, {}), locations(location)).found
    assert (label.key, label.matched) == ("Security.data-classification", "data-classification")


def test_values_known_only_after_apply_are_unread_not_absent() -> None:
    unknown = {"settings": [{"user_labels": True}], "tags": {"classification": True}}
    result = read(
        Values({"settings": [{}], "tags": {}}, unknown, {}),
        locations(
            LabelLocation(("settings", "user_labels"), "map"), LabelLocation(("tags",), "map")
        ),
    )
    assert result.found == ()
    assert [(u.where, u.key) for u in result.unread] == [
        ("settings.user_labels", None),
        ("tags['classification']", "classification"),
    ]


def test_a_whole_attribute_unknown_in_a_folder_keeps_the_reason() -> None:
    result = read(
        Values({}, {"tags": "var.tags has no value"}, {}),
        locations(LabelLocation(("tags",), "map")),
    )
    assert [u.text() for u in result.unread] == [
        "tags is known only after apply (var.tags has no value)"
    ]


def test_values_terraform_marks_sensitive_are_hidden() -> None:
    after = {"tag": [{"key": "classification", "value": "pii"}], "labels": {"c": "x"}}
    marks = {"tag": [{"value": True}], "labels": True}
    found = pairs(
        Values(after, {}, marks),
        LabelLocation(("tag",), "key-value-list"),
        LabelLocation(("labels",), "map"),
    )
    assert [f[3] for f in found] == [True, True]


# --- on a plan ----------------------------------------------------------------------------


def test_plan_classifications_in_nested_blocks_fire_sov001_naming_the_path() -> None:
    findings = fired(report(PLAN))
    sov001 = {address for rule, address in findings if rule == "SOV001"}
    assert sov001 == {
        "google_sql_database_instance.orders",
        "google_sql_database_instance.hidden",
        "digitalocean_database_cluster.payments",
        "oci_objectstorage_bucket.ledger",
        "aws_autoscaling_group.web",
    }
    assert findings[("SOV001", "google_sql_database_instance.orders")][0] == ORDERS
    assert findings[("SOV001", "digitalocean_database_cluster.payments")][0] == (
        "sensitive ← tag data-classification=restricted ← tags of "
        "digitalocean_database_cluster.payments"
    )
    assert findings[("SOV001", "oci_objectstorage_bucket.ledger")][0] == (
        "sensitive ← tag Security.data-classification=pii ← defined_tags of "
        "oci_objectstorage_bucket.ledger"
    )
    assert findings[("SOV001", "google_sql_database_instance.hidden")][0] == (
        "sensitive ← label data-classification=(value marked sensitive by Terraform) ← "
        "settings.user_labels of google_sql_database_instance.hidden"
    )


def test_plan_tag_blocks_mark_an_autoscaling_group_whose_servers_hold_data() -> None:
    resources = plan_inventory()
    web = resources["aws_autoscaling_group.web"]
    assert (web.sensitive, web.data_holding, web.unclassified) == (True, True, False)
    assert evidence(web, "sensitive") == [WEB]
    assert fired(report(PLAN))[("SOV001", "aws_autoscaling_group.web")][0] == WEB


def test_plan_public_classification_is_a_judgement_that_exempts() -> None:
    catalogue_db = plan_inventory()["google_sql_database_instance.catalogue"]
    assert (catalogue_db.sensitive, catalogue_db.unclassified) == (False, False)
    assert evidence(catalogue_db, "not sensitive") == [
        "not sensitive ← label data-classification=public, not one of the policy's sensitive "
        "values ← settings.user_labels of google_sql_database_instance.catalogue"
    ]


def test_plan_labels_unknown_until_apply_leave_the_resource_unclassified_saying_why() -> None:
    later = plan_inventory()["google_sql_database_instance.later"]
    assert (later.sensitive, later.unclassified) == (False, True)
    (text,) = evidence(later, "unclassified")
    assert text.startswith(
        "unclassified ← no classification in settings.user_labels of "
        "google_sql_database_instance.later ← settings.user_labels is known only after apply ← "
        "label locations of type google_sql_database_instance in lintsov's catalogue ← source "
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/"
        "sql_database_instance"
    )


# --- on a configuration folder ------------------------------------------------------------


def test_folder_classifications_in_nested_blocks_fire_naming_the_path() -> None:
    findings = fired(report(FOLDER))
    assert {k for k in findings if k[0] in ("SOV001", "SOV003")} == {
        ("SOV001", "google_sql_database_instance.orders"),
        ("SOV001", "aws_autoscaling_group.web"),
        ("SOV003", "kubernetes_persistent_volume_claim_v1.uploads"),
    }
    assert findings[("SOV001", "google_sql_database_instance.orders")][0] == ORDERS
    assert findings[("SOV003", "kubernetes_persistent_volume_claim_v1.uploads")][0] == (
        "sensitive ← annotation classification=restricted ← metadata.annotations of "
        "kubernetes_persistent_volume_claim_v1.uploads"
    )


def test_folder_tag_blocks_and_key_value_strings_mark_sensitive() -> None:
    resources = by_address(folder_inventory("classification_in_nested_blocks"))
    assert evidence(resources["aws_autoscaling_group.web"], "sensitive") == [WEB]
    assert evidence(resources["scaleway_rdb_instance.shop"], "sensitive") == [
        "sensitive ← tag data-classification=pii ← tags of scaleway_rdb_instance.shop"
    ]
    assert not resources["google_sql_database_instance.catalogue"].sensitive
    assert resources["google_sql_database_instance.plain"].unclassified


# --- unclassified: sensitive --------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", [PLAN, FOLDER])
def test_by_default_unclassified_data_is_not_sensitive_but_counted(path: str) -> None:
    document = report(path)
    assert ("SOV001", "google_sql_database_instance.plain") not in fired(document)
    # The plan's `later` instance has labels known only after apply: unclassified too.
    assert document["summary"]["unclassified_resources"] == (2 if path == PLAN else 1)


@pytest.mark.parametrize("path", [PLAN, FOLDER])
def test_config_unclassified_sensitive_fires_on_unclassified_data_only(
    repo: Path, path: str
) -> None:
    (repo / ".lintsov.yaml").write_text("sensitive:\n  unclassified: sensitive\n")
    findings = fired(report(path))
    assert findings[("SOV001", "google_sql_database_instance.plain")][0] == (
        "sensitive ← no classification in settings.user_labels of "
        "google_sql_database_instance.plain, and policy unclassified=sensitive "
        "(sensitive.unclassified in .lintsov.yaml) ← label locations of type "
        "google_sql_database_instance in lintsov's catalogue ← source "
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/"
        "sql_database_instance"
    )
    # Classified public: a judgement, exempt.
    assert not [k for k in findings if k[1] == "google_sql_database_instance.catalogue"]
    # Classified confidential by its tag block, not by the policy.
    assert findings[("SOV001", "aws_autoscaling_group.web")][0] == WEB
    if path == FOLDER:
        # Holds no data: the policy is about data.
        assert not [k for k in findings if k[1] == "aws_iam_role.deployer"]


def test_command_line_unclassified_wins_over_the_config(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("sensitive:\n  unclassified: not-sensitive\n")
    findings = fired(report(PLAN, "--unclassified", "sensitive"))
    (first, *_) = findings[("SOV001", "google_sql_database_instance.plain")]
    assert "and policy unclassified=sensitive (--unclassified) ←" in first
    (repo / ".lintsov.yaml").write_text("sensitive:\n  unclassified: sensitive\n")
    quiet = fired(report(PLAN, "--unclassified", "not-sensitive"))
    assert ("SOV001", "google_sql_database_instance.plain") not in quiet


def test_an_invalid_unclassified_setting_is_refused_with_its_key(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("sensitive:\n  unclassified: maybe\n")
    result = cli(PLAN)
    assert result.exit_code == 2
    assert result.output.strip().endswith("(at sensitive.unclassified)")
    assert "'maybe' is not one of ['not-sensitive', 'sensitive']" in result.output


def test_inventory_shows_the_policy_at_work() -> None:
    default = cli("inventory", PLAN, "--format", "json", "--no-cache")
    rows = {r["address"]: r for r in json.loads(default.output)["inputs"][0]["resources"]}
    plain = rows["google_sql_database_instance.plain"]
    assert (plain["sensitive"], plain["unclassified"]) == (False, True)
    assert plain["evidence"][0]["fact"] == "unclassified"
    strict = cli("inventory", PLAN, "--unclassified", "sensitive", "--no-cache")
    line = next(
        line
        for line in strict.output.splitlines()
        if "google_sql_database_instance.plain  " in line
    )
    assert line.split()[-1] == "yes"
    assert (
        "    sensitive ← no classification in settings.user_labels of "
        "google_sql_database_instance.plain, and policy unclassified=sensitive (--unclassified)"
    ) in strict.output
    catalogue_line = next(
        line
        for line in strict.output.splitlines()
        if "google_sql_database_instance.catalogue  " in line
    )
    assert catalogue_line.split()[-1] == "no"


# --- every summary counts the gap ---------------------------------------------------------


def rendered(fmt: str, *args: str) -> str:
    result = cli(PLAN, "--format", fmt, "--fail-on", "never", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_format_counts_unclassified_data_holding_resources() -> None:
    summary = "· 2 data-holding resources unclassified ·"
    assert summary in rendered("text").splitlines()[-1]
    assert summary in rendered("github").splitlines()[-1]
    assert (
        rendered("markdown")
        .splitlines()[2]
        .endswith("· 8 resources (5 sensitive) in 1 input · 2 data-holding resources unclassified")
    )
    assert json.loads(rendered("json"))["summary"]["unclassified_resources"] == 2
    sarif = json.loads(rendered("sarif"))
    assert sarif["runs"][0]["properties"]["unclassifiedResources"] == 2
    junit = rendered("junit")
    suites = junit.count("<testsuite ")
    assert junit.count('<property name="unclassified-data-holding-resources" value="2" />') == (
        suites
    )
    (info,) = [i for i in json.loads(rendered("gitlab")) if i["severity"] == "info"]
    assert info["check_name"] == "lintsov-unclassified"
    assert info["description"] == (
        "2 data-holding resources without a classification tag or label (not counted as "
        "sensitive; sensitive.unclassified: sensitive counts them)"
    )
    assert re.fullmatch(r"[0-9a-f]{64}", info["fingerprint"])


def test_under_the_policy_the_summary_says_they_counted_as_sensitive() -> None:
    line = rendered("text", "--unclassified", "sensitive").splitlines()[-1]
    assert "· 2 data-holding resources unclassified (counted sensitive) ·" in line
    (info,) = [
        i
        for i in json.loads(rendered("gitlab", "--unclassified", "sensitive"))
        if i["severity"] == "info"
    ]
    assert info["description"].endswith("(counted as sensitive: sensitive.unclassified)")


def test_a_fully_classified_run_shows_no_gap() -> None:
    text = cli(plan_path("sensitive_data_eu_vendors"), "--no-color").output
    assert "unclassified" not in text


def test_the_inventory_cache_tells_the_policies_apart() -> None:
    from lintsov.inventory_cache import key
    from lintsov.load.hcl_options import HclOptions

    cat = catalogue.builtin()
    default = key(FOLDER, HclOptions(), Policy().classification, cat)
    strict = key(FOLDER, HclOptions(), Policy(unclassified="sensitive").classification, cat)
    assert default != strict
