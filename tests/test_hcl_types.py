"""Variable values converted to their declared type, as Terraform converts them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import folder_inventory, hcl_path
from lintsov.inventory import ResolvedResource
from lintsov.load import hcl_parse, hcl_types
from lintsov.load.hcl_syntax import Expression
from lintsov.stack import Known, Unknown


def convert(type_text: str, value: Any) -> Known | Unknown:
    declared = Expression(hcl_parse.expression(type_text), type_text)
    return hcl_types.convert(declared, Known(value, ("given",)), "var.v", "variables.tf:2")


def value_of(type_text: str, value: Any) -> Any:
    got = convert(type_text, value)
    assert isinstance(got, Known), got
    return got.value


def test_missing_optional_attribute_takes_its_default_or_null() -> None:
    kind = "object({ locations = optional(map(string), {}), labels = optional(map(string)) })"
    got = convert(kind, {})
    assert got == Known(
        {"locations": {}, "labels": None},
        ("converted to the type of var.v (variables.tf:2)", "given"),
    )


def test_optional_attribute_set_to_null_takes_its_default() -> None:
    assert value_of("object({ size = optional(number, 10) })", {"size": None}) == {"size": 10}


def test_default_is_converted_to_the_attribute_type() -> None:
    kind = 'object({ size = optional(string, 10), on = optional(bool, "true") })'
    assert value_of(kind, {}) == {"size": "10", "on": True}


def test_given_attribute_wins_over_the_default_and_extra_ones_are_dropped() -> None:
    kind = "object({ locations = optional(map(string), {}) })"
    given = {"locations": {"primary": "europe-west3"}, "stray": 1}
    assert value_of(kind, given) == {"locations": {"primary": "europe-west3"}}


def test_nested_objects_get_their_own_defaults() -> None:
    kind = """object({
      network = optional(object({
        region = optional(string, "europe-west1")
        tier   = optional(string)
      }), {})
    })"""
    assert value_of(kind, {}) == {"network": {"region": "europe-west1", "tier": None}}
    given = {"network": {"tier": "gold"}}
    assert value_of(kind, given) == {"network": {"region": "europe-west1", "tier": "gold"}}


def test_map_list_set_and_tuple_of_objects_convert_each_element() -> None:
    element = 'object({ name = string, region = optional(string, "eu-west-1") })'
    assert value_of(f"map({element})", {"a": {"name": "x"}}) == {
        "a": {"name": "x", "region": "eu-west-1"}
    }
    assert value_of(f"list({element})", [{"name": "x", "region": "us-east-1"}]) == [
        {"name": "x", "region": "us-east-1"}
    ]
    assert value_of(f"set({element})", [{"name": "x"}, {"name": "x"}]) == [
        {"name": "x", "region": "eu-west-1"}
    ]
    assert value_of(f"tuple([string, {element}])", [1, {"name": "y"}]) == [
        "1",
        {"name": "y", "region": "eu-west-1"},
    ]


def test_missing_required_attribute_is_unknown_with_the_reason() -> None:
    got = convert("map(object({ name = string, region = optional(string) }))", {"a": {}})
    assert got == Unknown(
        "var.v (variables.tf:2): attribute 'name' is required but var.v['a'] has none, "
        "which Terraform refuses",
        ("given",),
    )


def test_impossible_conversions_are_unknown_with_the_reason() -> None:
    got = convert("list(number)", [1, "eu"])
    assert isinstance(got, Unknown)
    assert got.reason == (
        "var.v (variables.tf:2): var.v[1] is a string that cannot become a number, "
        "which Terraform refuses"
    )
    assert isinstance(convert("bool", 1), Unknown)
    assert isinstance(convert("map(string)", ["a"]), Unknown)
    assert isinstance(convert("tuple([string])", ["a", "b"]), Unknown)
    assert isinstance(convert("string", {"a": 1}), Unknown)


def test_primitive_conversions_follow_terraform() -> None:
    assert value_of("list(string)", [1, 1.5, True, False, 1e20]) == [
        "1",
        "1.5",
        "true",
        "false",
        "100000000000000000000",
    ]
    assert value_of("list(number)", ["12", "-1.5", "1e3"]) == [12, -1.5, 1000]
    assert value_of("list(bool)", ["true", "false"]) == [True, False]
    assert isinstance(convert("number", "twelve"), Unknown)
    assert isinstance(convert("bool", "yes"), Unknown)
    assert convert("bool", "1") == Unknown(
        "var.v (variables.tf:2): var.v is the string '1', which lintsov does not make a bool",
        ("given",),
    )


def test_unchanged_value_gets_no_step_and_any_keeps_the_value() -> None:
    given = {"a": [1, "x"]}
    assert convert("any", given) == Known(given, ("given",))
    assert convert("map(list(any))", given) == Known(given, ("given",))
    assert convert("object({ a = list(any) })", given) == Known(given, ("given",))
    assert convert("string", None) == Known(None, ("given",))


def test_type_written_as_a_json_string_is_read() -> None:
    declared = Expression(hcl_parse.expression('"object({ a = optional(string, \\"x\\") })"'), "")
    got = hcl_types.convert(declared, Known({}), "var.v", "main.tf.json:1")
    assert got == Known({"a": "x"}, ("converted to the type of var.v (main.tf.json:1)",))


def test_type_lintsov_does_not_read_is_unknown_not_guessed() -> None:
    got = convert("object({ a = optional(string, var.other) })", {})
    assert isinstance(got, Unknown)
    assert got.reason.startswith("var.v (variables.tf:2): the default of var.v.a cannot be read")
    got = convert("list(strng)", ["a"])
    assert got == Unknown(
        "var.v (variables.tf:2): its type uses `strng`, which lintsov does not read", ("given",)
    )


NAME = "module_context_locations_from_optional_type"


def bucket_of(address: str) -> tuple[ResolvedResource, str]:
    """The resource at `address` in the fixture, and its one region evidence."""
    (found,) = (r for r in folder_inventory(NAME).resources if r.address == address)
    (region,) = (e.text() for e in found.evidence if e.fact == "region")
    return found, region


def test_region_through_context_locations_filled_by_the_caller() -> None:
    bucket, region = bucket_of("module.customers.google_storage_bucket.this")
    assert (bucket.region, bucket.countries) == ("europe-west3", ("DE",))
    module = f"{hcl_path(NAME)}/modules/bucket"
    assert (
        "local.ctx.locations ← local.ctx ← var.context ← var.context of module.customers ← "
        f"converted to the type of var.context ({module}/variables.tf:10) ← constant in "
        f"argument context of module.customers ({hcl_path(NAME)}/main.tf:9)"
    ) in region


def test_region_when_the_optional_locations_default_to_an_empty_map() -> None:
    bucket, region = bucket_of("module.logs.google_storage_bucket.this")
    assert (bucket.region, bucket.countries) == ("europe-west1", ("BE",))
    module = f"{hcl_path(NAME)}/modules/bucket"
    assert (
        f"var.context of module.logs ← converted to the type of var.context "
        f"({module}/variables.tf:10) ← constant in default of var.context in module.logs "
        f"({module}/variables.tf:14)"
    ) in region


def test_root_variable_from_tfvars_is_converted(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "ctx" {\n'
        "  type    = object({ locations = optional(map(string), {}) })\n"
        "  default = {}\n"
        "}\n"
        'resource "google_storage_bucket" "b" {\n'
        '  name     = "b"\n'
        '  location = lookup(var.ctx.locations, "primary", "us-central1")\n'
        "}\n"
    )
    (tmp_path / "terraform.tfvars").write_text("ctx = {}\n")
    (bucket,) = folder_inventory(str(tmp_path)).resources
    assert (bucket.region, bucket.countries) == ("us-central1", ("US",))
    (region,) = (e.text() for e in bucket.evidence if e.fact == "region")
    assert (
        f"var.ctx ← converted to the type of var.ctx ({tmp_path}/main.tf:2) ← "
        f"{tmp_path}/terraform.tfvars:1"
    ) in region
