"""HCL attribute values as python-hcl2 7.3.1 returns them: evaluated, or Unknown with why."""

from __future__ import annotations

from typing import Any
from unittest import mock

import hcl2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintsov.load import hcl_expr
from lintsov.load.hcl_expr import MAX_DEPTH, evaluate, references
from lintsov.stack import Attr, Known, Unknown

WHERE = "resource aws_s3_bucket.b tags"
TOO_DEEP = f"{WHERE} is nested too deeply for lintsov (over {MAX_DEPTH} levels)"

VALUES: dict[tuple[str | int, ...], Attr] = {
    ("var", "region"): Known("eu-west-1", ("var.region", "default in variables.tf:3")),
    ("var", "tags"): Known({"team": "data", "env": "dev"}, ("var.tags", "variables.tf:7")),
    ("var", "env"): Known("prod", ("var.env", "terraform.tfvars:1")),
    ("var", "count"): Known(3, ("var.count",)),
    ("var", "ratio"): Known(1.5, ("var.ratio",)),
    ("var", "on"): Known(True, ("var.on",)),
    ("var", "empty"): Known("", ("var.empty",)),
    ("var", "nothing"): Known(None, ("var.nothing",)),
    ("var", "zones"): Known(["eu-west-1a", "eu-west-1b"], ("var.zones",)),
    ("var", "regions"): Known({"default": "eu-north-1", "prod": "eu-central-1"}, ("var.regions",)),
    ("var", "secret"): Known("s3cr3t", ("var.secret",), sensitive=True),
    ("var", "secret_tags"): Known({"owner": "ops"}, ("var.secret_tags",), sensitive=True),
    ("var", "no_steps"): Known("bare"),
    ("local", "tags"): Known({"x": "lx", "nested": {"k": ["a", "b"]}}, ("local.tags", "main.tf:2")),
    ("terraform", "workspace"): Known("prod", ("terraform.workspace",)),
}


def lookup(traversal: tuple[str | int, ...]) -> Attr:
    if traversal in VALUES:
        return VALUES[traversal]
    text = ".".join(str(part) for part in traversal)
    if traversal[0] in ("var", "local"):
        return Unknown(f"{text} has no value")
    return Unknown(f"{text} is known only after apply")


def ev(value: Any) -> Attr:
    return evaluate(value, lookup, WHERE)


def attribute(source: str, name: str = "value") -> Any:
    """What python-hcl2 gives for `name` in an HCL snippet."""
    return hcl2.loads(f"locals {{\n{source}\n}}\n", with_meta=True)["locals"][0][name]


def known(value: Any) -> Known:
    result = ev(value)
    assert isinstance(result, Known), result
    return result


def value_of(value: Any) -> Any:
    return known(value).value


def unknown_reason(value: Any) -> str:
    result = ev(value)
    assert isinstance(result, Unknown), result
    return result.reason


# --- literals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["eu-west-1", 3, 1.5, True, False, None, [], {}, [1, "a", None], {"a": {"b": [1]}}]
)
def test_literal_is_known_as_a_constant(value: Any) -> None:
    assert ev(value) == Known(value, (f"constant in {WHERE}",))


def test_escaped_interpolation_is_literal_text() -> None:
    assert ev("$${literal} and %%{ directive }") == Known(
        "${literal} and %{ directive }", (f"constant in {WHERE}",)
    )


def test_expression_of_constants_is_a_constant() -> None:
    assert ev('${merge({"a": 1}, {"b": 2})}') == Known({"a": 1, "b": 2}, (f"constant in {WHERE}",))
    assert ev("${-1}") == Known(-1, (f"constant in {WHERE}",))
    assert value_of("${1e3}") == 1000


def test_python_repr_and_json_literals_inside_expressions() -> None:
    assert value_of("${{'a': True, 'b': None, 'c': 'it\\'s'}}") == {
        "a": True,
        "b": None,
        "c": "it's",
    }
    assert value_of('${{"k": "\\u00fc \\ud83d\\ude00"}}') == {"k": "ü 😀"}


# --- references -----------------------------------------------------------------------------


def test_variable_keeps_the_lookup_steps() -> None:
    assert ev("${var.region}") == Known("eu-west-1", ("var.region", "default in variables.tf:3"))


def test_lookup_is_asked_for_root_and_first_attribute_only() -> None:
    asked: list[tuple[str | int, ...]] = []

    def recording(traversal: tuple[str | int, ...]) -> Attr:
        asked.append(traversal)
        return lookup(traversal)

    evaluate('${local.tags["nested"].k[1]}', recording, WHERE)
    evaluate("${aws_s3_bucket.b[0].tags.env}", recording, WHERE)
    assert asked == [("local", "tags"), ("aws_s3_bucket", "b", 0, "tags", "env")]


def test_reference_text_is_prepended_when_the_lookup_leaves_it_out() -> None:
    assert ev("${var.no_steps}") == Known("bare", ("var.no_steps",))


def test_local_map_with_index() -> None:
    assert ev('${local.tags["x"]}') == Known("lx", ('local.tags["x"]', "local.tags", "main.tf:2"))
    assert value_of('${local.tags["nested"].k[1]}') == "b"
    assert value_of("${var.zones.1}") == "eu-west-1b"


def test_missing_key_or_element_is_unknown() -> None:
    assert unknown_reason('${local.tags["y"]}') == f'{WHERE}: `local.tags` has no key "y"'
    assert unknown_reason("${var.zones[5]}") == f"{WHERE}: `var.zones` has no element 5"
    assert unknown_reason("${var.region.name}") == (
        f'{WHERE}: `var.region` is a string, which has no "name"'
    )


def test_unknown_reference_keeps_the_lookup_reason() -> None:
    assert ev("${aws_s3_bucket.b.id}") == Unknown("aws_s3_bucket.b.id is known only after apply")
    assert ev("${var.missing}") == Unknown("var.missing has no value")


def test_lookup_that_raises_or_answers_nonsense_is_unknown() -> None:
    def broken(traversal: tuple[str | int, ...]) -> Attr:
        raise KeyError(traversal)

    assert evaluate("${var.region}", broken, WHERE) == Unknown(
        f"{WHERE}: looking up `var.region` failed (KeyError)"
    )

    def nonsense(traversal: tuple[str | int, ...]) -> Any:
        return "eu-west-1"

    assert evaluate("${var.region}", nonsense, WHERE) == Unknown(
        f"{WHERE}: looking up `var.region` gave no answer"
    )


# --- functions ------------------------------------------------------------------------------


def test_merge_of_variable_map_and_object_literal() -> None:
    value = attribute('value = merge(var.tags, { "data-classification" = "confidential" })')
    assert value == '${merge(var.tags, {"data-classification": "confidential"})}'
    assert ev(value) == Known(
        {"team": "data", "env": "dev", "data-classification": "confidential"},
        (
            f'merge(var.tags, {{"data-classification": "confidential"}}) in {WHERE}',
            "var.tags",
            "variables.tf:7",
        ),
    )


def test_merge_later_argument_wins_and_null_is_skipped() -> None:
    merged = value_of('${merge(var.tags, null, {env = "prod"}, {"team" : "ops"})}')
    assert merged == {"team": "ops", "env": "prod"}


def test_merge_of_a_non_map_is_unknown() -> None:
    assert unknown_reason("${merge(var.tags, var.zones)}") == (
        f"{WHERE}: merge() gets `var.zones`, which is not a map"
    )


def test_lookup_with_and_without_default() -> None:
    value = attribute('value = lookup(var.regions, terraform.workspace, "eu-central-1")')
    assert ev(value) == Known(
        "eu-central-1",
        (
            f'lookup(var.regions, terraform.workspace, "eu-central-1") in {WHERE}',
            "var.regions",
            "terraform.workspace",
        ),
    )
    assert value_of('${lookup(var.regions, "staging", "eu-west-3")}') == "eu-west-3"
    assert value_of('${lookup(var.regions, "default")}') == "eu-north-1"
    assert unknown_reason('${lookup(var.regions, "staging")}') == (
        f'{WHERE}: `var.regions` has no key "staging"'
    )


def test_lookup_does_not_need_a_default_it_does_not_use() -> None:
    assert value_of('${lookup(var.regions, "prod", aws_x.y.z)}') == "eu-central-1"


def test_coalesce_skips_null_and_empty_strings() -> None:
    assert ev('${coalesce(var.nothing, "", var.empty, var.region)}') == Known(
        "eu-west-1",
        (
            f'coalesce(var.nothing, "", var.empty, var.region) in {WHERE}',
            "var.nothing",
            "var.empty",
            "var.region",
            "default in variables.tf:3",
        ),
    )


def test_coalesce_with_unknown_before_the_first_usable_argument_is_unknown() -> None:
    assert ev('${coalesce("", aws_x.y.region, "eu-west-1")}') == Unknown(
        "aws_x.y.region is known only after apply"
    )
    assert value_of('${coalesce("eu-west-1", aws_x.y.region)}') == "eu-west-1"
    assert unknown_reason('${coalesce(null, "")}') == (
        f'{WHERE}: every argument of `coalesce(null, "")` is null or empty'
    )


def test_conversion_and_string_functions() -> None:
    assert value_of("${tostring(var.count)}") == "3"
    assert value_of("${upper(var.region)}") == "EU-WEST-1"
    assert value_of('${lower("EU-West-1")}') == "eu-west-1"
    assert value_of('${upper("straße")}') == "STRAßE"
    assert value_of('${tomap({"a": 1, "b": "x"})}') == {"a": "1", "b": "x"}
    assert value_of("${tolist(var.zones)}") == ["eu-west-1a", "eu-west-1b"]
    assert value_of("${concat(var.zones, ['eu-west-1c'])}") == [
        "eu-west-1a",
        "eu-west-1b",
        "eu-west-1c",
    ]
    assert unknown_reason('${tomap({"a": 1, "b": true})}') == (
        f'{WHERE}: `tomap({{"a": 1, "b": true}})` mixes values Terraform cannot convert to one type'
    )


def test_format_with_s_and_d() -> None:
    assert ev('${format("%s-%d-%s-%%", var.env, var.count, var.on)}') == Known(
        "prod-3-true-%",
        (
            f'format("%s-%d-%s-%%", var.env, var.count, var.on) in {WHERE}',
            "var.env",
            "terraform.tfvars:1",
            "var.count",
            "var.on",
        ),
    )
    assert unknown_reason('${format("%05d", 3)}') == (
        f'{WHERE}: `format("%05d", 3)` uses %0, which lintsov does not evaluate'
    )
    assert unknown_reason('${format("%s-%s", "a")}') == (
        f'{WHERE}: `format("%s-%s", "a")` has more verbs than arguments'
    )


# --- templates ------------------------------------------------------------------------------


def test_template_concatenates_known_parts() -> None:
    assert attribute('value = "${var.env}-bucket"') == "${var.env}-bucket"
    assert ev("${var.env}-bucket") == Known(
        "prod-bucket", (f"${{var.env}}-bucket in {WHERE}", "var.env", "terraform.tfvars:1")
    )


def test_template_renders_numbers_and_bools_as_terraform_does() -> None:
    assert value_of("n=${var.count} r=${var.ratio} on=${var.on} f=${2.0}") == (
        "n=3 r=1.5 on=true f=2"
    )


def test_template_with_an_unknown_part_is_unknown() -> None:
    assert ev("${var.env}-${aws_s3_bucket.b.id}") == Unknown(
        "aws_s3_bucket.b.id is known only after apply"
    )
    assert unknown_reason("tags: ${var.tags}") == f"{WHERE}: `var.tags` is a map inside a template"
    assert unknown_reason("x${var.nothing}") == f"{WHERE}: `var.nothing` is null inside a template"


def test_whole_interpolation_keeps_the_type() -> None:
    assert value_of("${var.tags}") == {"team": "data", "env": "dev"}
    assert value_of('${"${var.count}"}') == 3


def test_nested_template_inside_a_function_argument() -> None:
    assert value_of('${upper("${var.env}-x")}') == "PROD-X"


# --- collections ----------------------------------------------------------------------------


def test_list_and_map_are_evaluated_element_wise() -> None:
    assert ev(["${var.region}", 1, {"env": "${var.env}"}]) == Known(
        ["eu-west-1", 1, {"env": "prod"}],
        (
            f'["${{var.region}}", 1, {{"env": "${{var.env}}"}}] in {WHERE}',
            "var.region",
            "default in variables.tf:3",
            "var.env",
            "terraform.tfvars:1",
        ),
    )


def test_list_and_map_with_an_unknown_element_give_its_reason() -> None:
    nested = {"a": ["x", {"b": "${aws_s3_bucket.b.arn}"}], "c": "${data.aws_region.r.name}"}
    assert ev(nested) == Unknown("aws_s3_bucket.b.arn is known only after apply")
    assert ev(["${var.x ? 1 : 2}"]) == Unknown(
        f"{WHERE} uses `var.x ? 1 : 2`, which lintsov does not evaluate"
    )


def test_object_key_expressions_are_evaluated() -> None:
    value = attribute('value = { (var.env) = 1, "${var.region}-x" = 2, plain = 3 }')
    assert value == {"${(var.env)}": 1, '"${var.region}-x"': 2, "plain": 3}
    assert value_of(value) == {"prod": 1, "eu-west-1-x": 2, "plain": 3}


# --- what lintsov does not evaluate ---------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ('value = var.env == "prod" ? "eu-west-1" : "us-east-1"', 'var.env == "prod" ? "eu-west'),
        ("value = [for z in var.zones : upper(z)]", "[for z in var.zones : upper(z)]"),
        ("value = { for k, v in var.tags : k => v }", "{for k , v in var.tags : k => v}"),
        ("value = var.zones[*]", "var.zones[*]"),
        ("value = var.count + 1", "var.count + 1"),
        ("value = !var.on", "!var.on"),
        ('value = try(var.region, "x")', 'try(var.region, "x")'),
        ('value = "%{ if var.on }a%{ endif }"', "%{ if var.on }a%{ endif }"),
    ],
)
def test_unsupported_expression_is_unknown_with_its_text(source: str, text: str) -> None:
    reason = unknown_reason(attribute(source))
    assert reason.startswith(f"{WHERE} uses `{text}")
    assert reason.endswith("`, which lintsov does not evaluate")


def test_long_expression_text_is_trimmed_to_80_characters() -> None:
    reason = unknown_reason("${" + " + ".join(["var.count"] * 20) + "}")
    quoted = reason.split("`")[1]
    assert len(quoted) == 80
    assert quoted.endswith("…")


# --- sensitive values -----------------------------------------------------------------------


def test_sensitive_propagates_to_everything_made_from_it() -> None:
    assert known("${var.secret}").sensitive
    assert known("pw-${var.secret}").sensitive
    assert known("${merge(var.tags, var.secret_tags)}").sensitive
    assert known("${var.secret_tags.owner}").sensitive
    assert known(["${var.secret}", "a"]).sensitive
    assert not known("${merge(var.tags, {a = 1})}").sensitive


def test_sensitive_key_is_not_printed_in_a_reason() -> None:
    reason = unknown_reason("${var.tags[var.secret]}")
    assert "s3cr3t" not in reason
    assert reason == f"{WHERE}: `var.tags` has no key (a sensitive value)"


# --- python-hcl2's own output ---------------------------------------------------------------


def test_real_python_hcl2_output() -> None:
    config = hcl2.loads(
        """
provider "aws" {
  alias  = "eu"
  region = var.region
}
resource "aws_s3_bucket" "b" {
  provider = aws.eu
  bucket   = "${var.env}-data"
  tags     = merge(local.tags, { Name = upper(var.env) })
  zones    = [var.region, "eu-west-3"]
  policy   = <<EOT
{"env": "${var.env}"}
EOT
}
""",
        with_meta=True,
    )
    provider = config["provider"][0]["aws"]
    body = config["resource"][0]["aws_s3_bucket"]["b"]
    assert value_of(provider["region"]) == "eu-west-1"
    assert value_of(body["bucket"]) == "prod-data"
    assert value_of(body["tags"]) == {
        "x": "lx",
        "nested": {"k": ["a", "b"]},
        "Name": "PROD",
    }
    assert value_of(body["zones"]) == ["eu-west-1", "eu-west-3"]
    # python-hcl2 drops a heredoc's final newline.
    assert value_of(body["policy"]) == '{"env": "prod"}'
    assert references(body["provider"]) == ("aws.eu",)


def test_python_repr_list_in_an_index_expression() -> None:
    value = attribute('value = [var.region, "${var.env}-b"][1]')
    assert value == "${['${var.region}', '${var.env}-b'][1]}"
    assert value_of(value) == "prod-b"


def test_list_whose_strings_python_hcl2_unquoted_is_unknown() -> None:
    value = attribute('value = concat(["eu-west-1"], var.zones)')
    assert value == "${concat([eu-west-1], var.zones)}"
    assert unknown_reason(value) == (
        f"{WHERE}: python-hcl2 drops the quotes of strings in a list inside an expression, "
        "so lintsov cannot read `eu-west-1`"
    )
    assert value_of(attribute("value = concat([var.region], var.zones)")) == [
        "eu-west-1",
        "eu-west-1a",
        "eu-west-1b",
    ]


def test_backslash_that_python_hcl2_unescaped_twice_is_not_guessed() -> None:
    value = attribute('value = "x ${upper("a\\\\b")} y"')
    assert value == 'x ${upper("a\\b")} y'
    assert unknown_reason(value).startswith(f"cannot parse {WHERE}: unknown escape")


# --- references() ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("${aws_s3_bucket.b.id}", ("aws_s3_bucket.b.id", "aws_s3_bucket.b")),
        ("${aws_x.b[0].id}", ("aws_x.b[0].id", "aws_x.b[0]", "aws_x.b")),
        ("${data.aws_region.r.name}", ("data.aws_region.r.name", "data.aws_region.r")),
        ("${module.m.out}", ("module.m.out", "module.m")),
        ('${module.m["a"].out.x}', ('module.m["a"].out.x', 'module.m["a"].out', "module.m")),
        ("${var.region}", ("var.region",)),
        ('${local.tags["x"]}', ('local.tags["x"]', "local.tags")),
        ("${count.index}", ("count.index",)),
        ("${each.value.name}", ("each.value.name", "each.value")),
        ("${path.module}/x", ("path.module",)),
        ("${aws_instance.web[*].id}", ("aws_instance.web",)),
        ("${var.m[var.k]}", ("var.m", "var.k")),
    ],
)
def test_references_are_written_as_terraform_plan_json_does(
    value: str, expected: tuple[str, ...]
) -> None:
    assert references(value) == expected


def test_references_inside_templates_and_function_args_in_order_without_duplicates() -> None:
    value = attribute(
        'value = "${var.env}-${lookup(var.regions, terraform.workspace)}-${var.env}-${module.m.o}"'
    )
    assert references(value) == (
        "var.env",
        "var.regions",
        "terraform.workspace",
        "module.m.o",
        "module.m",
    )
    assert references(attribute("value = merge(var.tags, { a = aws_x.y.arn })")) == (
        "var.tags",
        "aws_x.y.arn",
        "aws_x.y",
    )


def test_references_in_lists_maps_and_keys() -> None:
    value = {"${(var.k)}": ["${data.d.n.a}"], "b": {"c": "${local.l}"}}
    assert references(value) == ("var.k", "data.d.n.a", "data.d.n", "local.l")


def test_references_skip_names_a_for_expression_binds() -> None:
    # Unbound, `b.name` would read as the resource b.name.
    value = attribute("value = [for b in var.buckets : b.name if b.env != local.skip]")
    assert value == "${[for b in var.buckets : b.name if b.env != local.skip]}"
    assert references(value) == ("var.buckets", "local.skip")
    assert references("%{ for b in var.buckets }${b.name}${var.sep}%{ endfor }") == (
        "var.buckets",
        "var.sep",
    )


@pytest.mark.parametrize("value", ["eu-west-1", 3, None, True, [], {}, ["a", {"b": 1.5}], "$${x}"])
def test_literals_reference_nothing(value: Any) -> None:
    assert references(value) == ()


# --- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["${merge(", "${{{{", "${", "${}", '${"', "${var.", "%{ bogus }"])
def test_malformed_input_is_unknown_without_raising(text: str) -> None:
    assert unknown_reason(text).startswith(f"cannot parse {WHERE}: ")
    assert references(text) == ()


def test_malformed_reason_names_the_position() -> None:
    assert unknown_reason("${merge(") == (
        f"cannot parse {WHERE}: unexpected end at character 9 of `${{merge(`"
    )


@pytest.mark.parametrize(
    "text",
    [
        "${" + "[" * 5000 + "]" * 5000 + "}",
        "${" + "{" * 5000,
        "${" + "f(" * 500 + ")" * 500 + "}",
        "${" + '"${' * 500 + '}"' * 500 + "}",
        "${var.a" + ".b" * 10_000 + "}",
    ],
)
def test_very_deep_nesting_is_unknown(text: str) -> None:
    assert unknown_reason(text) == TOO_DEEP
    assert isinstance(references(text), tuple)


def test_very_deep_python_values_are_unknown() -> None:
    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    assert unknown_reason(deep) == TOO_DEEP
    assert references(deep) == ()


def test_nesting_just_inside_the_limit_is_evaluated() -> None:
    depth = MAX_DEPTH - 2
    assert known("${" + "[" * depth + "1" + "]" * depth + "}").steps == (f"constant in {WHERE}",)


def test_long_prefix_chains_stay_fast() -> None:
    assert isinstance(ev("${" + "!" * 100_000 + "var.on}"), Unknown)
    assert value_of("x" * 1_000_000 + "${var.env}").endswith("xprod")


def test_unexpected_python_type_is_unknown() -> None:
    assert unknown_reason(object()) == f"cannot parse {WHERE}: python-hcl2 gave a object"


_PIECES = st.sampled_from(
    [
        *"${}[]()\"'.,:=?!-+*/%<>&|\\ \n~#ab01_",
        *("${", "%{", "var.x", "var.", "merge(", "for ", " in ", "=>", "...", "[*]", ".*"),
        "\\u00e9",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_arbitrary_text_never_raises(text: str) -> None:
    assert isinstance(evaluate(text, lookup, WHERE), (Known, Unknown))
    assert isinstance(references(text), tuple)


# --- the parser's shortcuts for the usual shapes ----------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            '${merge(var.tags, {"Name": "${var.env}-x", "b": "y"})}',
            {"team": "data", "env": "dev", "Name": "prod-x", "b": "y"},
        ),
        ('${merge(var.tags,{"env":"b"} , {})}', {"team": "data", "env": "b"}),
        ('${[var.region, "x", true, {"k": [1]}]}', ["eu-west-1", "x", True, {"k": [1]}]),
        ('${upper("a\\tb")}', "A\tB"),
        ("${var.region}-${local.tags.x}", "eu-west-1-lx"),
        ('${lookup({"a": "b"}, "a")}', "b"),
    ],
)
def test_usual_shapes_are_evaluated(value: str, expected: Any) -> None:
    assert value_of(value) == expected


def test_unquoted_list_strings_are_caught_by_the_shortcut_too() -> None:
    assert unknown_reason("${concat([eu-west-1, local.tags], var.zones)}") == (
        f"{WHERE}: python-hcl2 drops the quotes of strings in a list inside an expression, "
        "so lintsov cannot read `eu-west-1`"
    )


def test_wide_and_deep_expressions_stay_linear() -> None:
    # The shortcut gives up at `var.count + 1`, deep inside; the parser must not read the
    # wide part again for each of the levels around it.
    wide = "${" + "[" * 90 + "var.region, " * 30_000 + "var.count + 1" + "]" * 90 + "}"
    assert unknown_reason(wide).endswith("so lintsov cannot read `var.count + 1`")
    calls = "${" + "upper(" * 90 + '"x", ' * 30_000 + "var.zones..." + ")" * 90 + "}"
    assert unknown_reason(calls).endswith("`, which lintsov does not evaluate")


_LEAVES = st.sampled_from(
    ["var.x", "local.t.a", "a-b", "true", "é", '"k"', '"${var.x}-a"', '"a\\n"', '""', "1", "a.0"]
)
_SEPARATORS = st.sampled_from([", ", ",", " , ", ",\n", " "])


def _containers(items: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    listed = st.tuples(st.lists(items, max_size=3), _SEPARATORS)
    keys = st.sampled_from(['"k": ', '"Name":', '"k" = ', "k = ", '"${x.y}": ', '"k"::'])
    return st.one_of(
        st.tuples(st.sampled_from(["merge(", "f (", "f("]), listed).map(
            lambda call: call[0] + call[1][1].join(call[1][0]) + ")"
        ),
        st.tuples(st.lists(st.tuples(keys, items).map("".join), max_size=3), _SEPARATORS).map(
            lambda items: "{" + items[1].join(items[0]) + "}"
        ),
        listed.map(lambda items: "[" + items[1].join(items[0]) + "]"),
    )


_EXPRESSIONS = st.recursive(_LEAVES, _containers, max_leaves=12)
_AROUND = st.sampled_from(["", " ", "x", "+ 1", " ? a : b", "...", ")", "[0]", '"'])


def _parsed_with_and_without_shortcuts(text: str) -> tuple[Any, Any]:
    def parsed() -> Any:
        try:
            return hcl_expr._Parser(text).parse()
        except Exception as error:
            return f"{type(error).__name__}: {error}"

    shortcut = parsed()
    with (
        mock.patch.object(hcl_expr._Parser, "_simple", return_value=None),
        mock.patch.object(hcl_expr, "_simple_parts", return_value=None),
    ):
        return shortcut, parsed()


@settings(max_examples=500, deadline=None)
@given(
    _EXPRESSIONS,
    _AROUND,
    st.sampled_from(["}", "}-x-${var.y}", ""]),
    st.sampled_from([0, 0, 0, MAX_DEPTH - 4, MAX_DEPTH - 3, MAX_DEPTH - 2, MAX_DEPTH - 1]),
)
def test_shortcuts_give_the_parsers_own_nodes(
    expression: str, around: str, end: str, nesting: int
) -> None:
    shortcut, general = _parsed_with_and_without_shortcuts(
        "${" + "[" * nesting + expression + around + "]" * nesting + end
    )
    assert shortcut == general


@pytest.mark.parametrize("nesting", range(MAX_DEPTH - 6, MAX_DEPTH))
@pytest.mark.parametrize(
    "expression", ['"${var.x}-a"', '"a"', "var.x", '{"k": "${a.b}"}', "f(var.x)", "[a]"]
)
def test_shortcuts_stop_where_the_parser_gets_too_deep(nesting: int, expression: str) -> None:
    shortcut, general = _parsed_with_and_without_shortcuts(
        "${" + "[" * nesting + expression + "]" * nesting + "}"
    )
    assert shortcut == general
