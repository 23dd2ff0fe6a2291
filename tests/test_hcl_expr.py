"""HCL expressions as written: evaluated, or Unknown with why, and the addresses they use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintsov.load.hcl_expr import evaluate, references
from lintsov.load.hcl_file_access import FileAccess
from lintsov.load.hcl_files import Reads
from lintsov.load.hcl_parse import TOO_DEEP, SyntaxProblem, expression, parse_text
from lintsov.load.hcl_syntax import MAX_DEPTH, Expression
from lintsov.stack import Attr, Known, Unknown

WHERE = "resource aws_s3_bucket.b tags"

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


def parsed(source: str) -> Expression:
    """One expression, read as lintsov reads an attribute's value."""
    return Expression(expression(source), source)


def ev(source: str) -> Attr:
    return evaluate(parsed(source), lookup, WHERE)


def known(source: str) -> Known:
    result = ev(source)
    assert isinstance(result, Known), result
    return result


def value_of(source: str) -> Any:
    return known(source).value


def unknown_reason(source: str) -> str:
    result = ev(source)
    assert isinstance(result, Unknown), result
    return result.reason


CONSTANT = (f"constant in {WHERE}",)


# --- literals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ('"eu-west-1"', "eu-west-1"),
        ("3", 3),
        ("1.5", 1.5),
        ("true", True),
        ("false", False),
        ("null", None),
        ("[]", []),
        ("{}", {}),
        ('[1, "a", null]', [1, "a", None]),
        ("{ a = { b = [1] } }", {"a": {"b": [1]}}),
    ],
)
def test_literal_is_known_as_a_constant(source: str, value: Any) -> None:
    assert ev(source) == Known(value, CONSTANT)


def test_escaped_interpolation_is_literal_text() -> None:
    assert ev('"$${literal} and %%{ directive }"') == Known(
        "${literal} and %{ directive }", CONSTANT
    )


def test_expression_of_constants_is_a_constant() -> None:
    assert ev('merge({ "a" = 1 }, { "b" = 2 })') == Known({"a": 1, "b": 2}, CONSTANT)
    assert ev("-1") == Known(-1, CONSTANT)
    assert value_of("1e3") == 1000


def test_string_escapes() -> None:
    assert value_of(r'{ "k" = "\u00fc \U0001F600 \t \"q\" \\" }') == {"k": 'ü 😀 \t "q" \\'}


# --- references -----------------------------------------------------------------------------


def test_variable_keeps_the_lookup_steps() -> None:
    assert ev("var.region") == Known("eu-west-1", ("var.region", "default in variables.tf:3"))


def test_lookup_is_asked_for_root_and_first_attribute_only() -> None:
    asked: list[tuple[str | int, ...]] = []

    def recording(traversal: tuple[str | int, ...]) -> Attr:
        asked.append(traversal)
        return lookup(traversal)

    evaluate(parsed('local.tags["nested"].k[1]'), recording, WHERE)
    evaluate(parsed("aws_s3_bucket.b[0].tags.env"), recording, WHERE)
    assert asked == [("local", "tags"), ("aws_s3_bucket", "b", 0, "tags", "env")]


def test_reference_text_is_prepended_when_the_lookup_leaves_it_out() -> None:
    assert ev("var.no_steps") == Known("bare", ("var.no_steps",))


def test_local_map_with_index() -> None:
    assert ev('local.tags["x"]') == Known("lx", ('local.tags["x"]', "local.tags", "main.tf:2"))
    assert value_of('local.tags["nested"].k[1]') == "b"
    assert value_of("var.zones.1") == "eu-west-1b"


def test_missing_key_or_element_is_unknown() -> None:
    assert unknown_reason('local.tags["y"]') == f'{WHERE}: `local.tags` has no key "y"'
    assert unknown_reason("var.zones[5]") == f"{WHERE}: `var.zones` has no element 5"
    assert unknown_reason("var.region.name") == (
        f'{WHERE}: `var.region` is a string, which has no "name"'
    )


def test_unknown_reference_keeps_the_lookup_reason() -> None:
    assert ev("aws_s3_bucket.b.id") == Unknown("aws_s3_bucket.b.id is known only after apply")
    assert ev("var.missing") == Unknown("var.missing has no value")


def test_lookup_that_raises_or_answers_nonsense_is_unknown() -> None:
    def broken(traversal: tuple[str | int, ...]) -> Attr:
        raise KeyError(traversal)

    assert evaluate(parsed("var.region"), broken, WHERE) == Unknown(
        f"{WHERE}: looking up `var.region` failed (KeyError)"
    )

    def nonsense(traversal: tuple[str | int, ...]) -> Any:
        return "eu-west-1"

    assert evaluate(parsed("var.region"), nonsense, WHERE) == Unknown(
        f"{WHERE}: looking up `var.region` gave no answer"
    )


# --- functions ------------------------------------------------------------------------------


def test_merge_of_variable_map_and_object_literal_quotes_the_source_as_written() -> None:
    source = 'merge(var.tags, { "data-classification" = "confidential" })'
    assert ev(source) == Known(
        {"team": "data", "env": "dev", "data-classification": "confidential"},
        (f"{source} in {WHERE}", "var.tags", "variables.tf:7"),
    )


def test_merge_later_argument_wins_and_null_is_skipped() -> None:
    merged = value_of('merge(var.tags, null, {env = "prod"}, {"team" : "ops"})')
    assert merged == {"team": "ops", "env": "prod"}


def test_merge_of_a_non_map_is_unknown() -> None:
    assert unknown_reason("merge(var.tags, var.zones)") == (
        f"{WHERE}: merge() gets `var.zones`, which is not a map"
    )


def test_lookup_with_and_without_default() -> None:
    source = 'lookup(var.regions, terraform.workspace, "eu-central-1")'
    assert ev(source) == Known(
        "eu-central-1", (f"{source} in {WHERE}", "var.regions", "terraform.workspace")
    )
    assert value_of('lookup(var.regions, "staging", "eu-west-3")') == "eu-west-3"
    assert value_of('lookup(var.regions, "default")') == "eu-north-1"
    assert unknown_reason('lookup(var.regions, "staging")') == (
        f'{WHERE}: `var.regions` has no key "staging"'
    )


def test_lookup_does_not_need_a_default_it_does_not_use() -> None:
    assert value_of('lookup(var.regions, "prod", aws_x.y.z)') == "eu-central-1"


def test_coalesce_skips_null_and_empty_strings() -> None:
    source = 'coalesce(var.nothing, "", var.empty, var.region)'
    assert ev(source) == Known(
        "eu-west-1",
        (
            f"{source} in {WHERE}",
            "var.nothing",
            "var.empty",
            "var.region",
            "default in variables.tf:3",
        ),
    )


def test_coalesce_with_unknown_before_the_first_usable_argument_is_unknown() -> None:
    assert ev('coalesce("", aws_x.y.region, "eu-west-1")') == Unknown(
        "aws_x.y.region is known only after apply"
    )
    assert value_of('coalesce("eu-west-1", aws_x.y.region)') == "eu-west-1"
    assert unknown_reason('coalesce(null, "")') == (
        f'{WHERE}: every argument of `coalesce(null, "")` is null or empty'
    )


def test_conversion_and_string_functions() -> None:
    assert value_of("tostring(var.count)") == "3"
    assert value_of("upper(var.region)") == "EU-WEST-1"
    assert value_of('lower("EU-West-1")') == "eu-west-1"
    assert value_of('upper("straße")') == "STRAßE"
    assert value_of('tomap({"a" = 1, "b" = "x"})') == {"a": "1", "b": "x"}
    assert value_of("tolist(var.zones)") == ["eu-west-1a", "eu-west-1b"]
    assert value_of('concat(var.zones, ["eu-west-1c"])') == [
        "eu-west-1a",
        "eu-west-1b",
        "eu-west-1c",
    ]
    assert unknown_reason('tomap({"a" = 1, "b" = true})') == (
        f'{WHERE}: `tomap({{"a" = 1, "b" = true}})` mixes values Terraform cannot convert to '
        "one type"
    )


def test_strings_in_a_list_inside_a_function_call_are_read() -> None:
    # python-hcl2 7 dropped these quotes; the parse tree keeps them.
    assert value_of('concat(["eu-west-1"], var.zones)') == [
        "eu-west-1",
        "eu-west-1a",
        "eu-west-1b",
    ]


def test_format_with_s_and_d() -> None:
    source = 'format("%s-%d-%s-%%", var.env, var.count, var.on)'
    assert ev(source) == Known(
        "prod-3-true-%",
        (f"{source} in {WHERE}", "var.env", "terraform.tfvars:1", "var.count", "var.on"),
    )
    assert unknown_reason('format("%05d", 3)') == (
        f'{WHERE}: `format("%05d", 3)` uses %0, which lintsov does not evaluate'
    )
    assert unknown_reason('format("%s-%s", "a")') == (
        f'{WHERE}: `format("%s-%s", "a")` has more verbs than arguments'
    )


# --- templates ------------------------------------------------------------------------------


def test_template_concatenates_known_parts() -> None:
    assert ev('"${var.env}-bucket"') == Known(
        "prod-bucket", (f'"${{var.env}}-bucket" in {WHERE}', "var.env", "terraform.tfvars:1")
    )


def test_template_renders_numbers_and_bools_as_terraform_does() -> None:
    assert value_of('"n=${var.count} r=${var.ratio} on=${var.on} f=${2.0}"') == (
        "n=3 r=1.5 on=true f=2"
    )


def test_template_with_an_unknown_part_is_unknown() -> None:
    assert ev('"${var.env}-${aws_s3_bucket.b.id}"') == Unknown(
        "aws_s3_bucket.b.id is known only after apply"
    )
    assert unknown_reason('"tags: ${var.tags}"') == (
        f"{WHERE}: `var.tags` is a map inside a template"
    )
    assert unknown_reason('"x${var.nothing}"') == (
        f"{WHERE}: `var.nothing` is null inside a template"
    )


def test_whole_interpolation_keeps_the_type() -> None:
    assert value_of('"${var.tags}"') == {"team": "data", "env": "dev"}
    assert value_of('"${"${var.count}"}"') == 3


def test_backslashes_in_a_nested_string_are_escapes_read_once() -> None:
    assert value_of('"x ${upper("a\\\\b")} y"') == "x A\\B y"


def test_nested_template_inside_a_function_argument() -> None:
    assert value_of('upper("${var.env}-x")') == "PROD-X"


def test_heredoc_keeps_its_text_and_its_final_newline() -> None:
    source = '<<EOT\n{"env": "${var.env}", "path": "C:\\\\x"}\nEOT\n'
    assert value_of(source) == '{"env": "prod", "path": "C:\\\\x"}\n'


def test_indented_heredoc_loses_the_common_indentation() -> None:
    # HCL's rule: the fewest leading spaces of any line that starts with text; blank lines
    # do not count, a line that starts with an interpolation counts as none.
    assert value_of("<<-EOT\n    a\n\n      b ${var.env}\n    c\n  EOT\n") == "a\n\n  b prod\nc\n"
    assert value_of("<<-EOT\n    a\n  ${var.env}\n    c\n  EOT\n") == "  a\nprod\n  c\n"


# --- collections ----------------------------------------------------------------------------


def test_list_and_map_are_evaluated_element_wise() -> None:
    source = '["${var.region}", 1, {"env" = "${var.env}"}]'
    assert ev(source) == Known(
        ["eu-west-1", 1, {"env": "prod"}],
        (
            f"{source} in {WHERE}",
            "var.region",
            "default in variables.tf:3",
            "var.env",
            "terraform.tfvars:1",
        ),
    )


def test_list_and_map_with_an_unknown_element_give_its_reason() -> None:
    nested = '{ a = ["x", { b = aws_s3_bucket.b.arn }], c = data.aws_region.r.name }'
    assert ev(nested) == Unknown("aws_s3_bucket.b.arn is known only after apply")


def test_object_key_expressions_are_evaluated() -> None:
    source = '{ (var.env) = 1, "${var.region}-x" = 2, plain = 3 }'
    assert value_of(source) == {"prod": 1, "eu-west-1-x": 2, "plain": 3}


def test_index_into_a_tuple() -> None:
    assert value_of('[var.region, "${var.env}-b"][1]') == "prod-b"


# --- operators and conditionals -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("var.count - 1", 2),
        ("7 / 2", 3.5),
        ("6 / 2", 3),
        ("7 % 3", 1),
        ('"5" + 1', 6),
        ("-var.count", -3),
        ("var.count > 2 && var.count <= 3", True),
        ("!var.on || false", False),
        ('var.env == "prod"', True),
        ('1 == "1"', False),
        ("true != 1", True),
        ('var.zones == ["eu-west-1a", "eu-west-1b"]', True),
        ("1 == 1.0", True),
    ],
)
def test_operators_have_terraform_precedence_and_types(source: str, value: Any) -> None:
    assert value_of(source) == value
    assert type(value_of(source)) is type(value)


def test_operator_on_wrong_types_or_dividing_by_zero_is_unknown() -> None:
    assert unknown_reason("var.tags + 1") == f"{WHERE}: `var.tags` is a map, not a number"
    assert unknown_reason("!var.region") == f"{WHERE}: `var.region` is a string, not a bool"
    assert unknown_reason("var.count / 0") == f"{WHERE}: `var.count / 0` divides by zero"
    assert unknown_reason("-7 % 3").startswith(f"{WHERE} uses `-7 % 3`")


def test_conditional_takes_the_branch_its_condition_picks() -> None:
    source = 'var.env == "prod" ? "eu-west-1" : "us-east-1"'
    steps = (f"{source} in {WHERE}", "var.env", "terraform.tfvars:1")
    assert ev(source) == Known("eu-west-1", steps)
    assert value_of("var.on ? var.region : aws_x.y.region") == "eu-west-1"


def test_conditional_with_an_unknown_condition_is_unknown_with_its_reason() -> None:
    assert ev('aws_x.y.on ? "eu-west-1" : "us-east-1"') == Unknown(
        "aws_x.y.on is known only after apply"
    )
    assert ev("var.x ? 1 : 2") == Unknown("var.x has no value")


def test_conditional_with_an_unknown_condition_and_equal_branches_is_that_value() -> None:
    got = known('aws_x.y.on ? var.region : "eu-west-1"')
    assert got.value == "eu-west-1"
    assert got.steps[1:] == ("var.region", "default in variables.tf:3")


def test_conditional_branches_share_a_type() -> None:
    assert value_of('var.on ? 1 : "x"') == "1"
    assert unknown_reason("var.region ? 1 : 2") == (
        f"{WHERE}: the condition `var.region` is a string, not a bool"
    )


# --- what lintsov does not evaluate ---------------------------------------------------------


def test_unknown_function_is_unknown_with_its_name() -> None:
    assert unknown_reason('cidrsubnet("10.0.0.0/8", 8, 1)') == (
        f'{WHERE}: `cidrsubnet("10.0.0.0/8", 8, 1)` calls cidrsubnet(), which lintsov does '
        "not evaluate"
    )


def test_long_expression_text_is_trimmed_to_80_characters() -> None:
    reason = unknown_reason("nosuch(" + ", ".join(["var.count"] * 20) + ")")
    quoted = reason.split("`")[1]
    assert len(quoted) == 80
    assert quoted.endswith("…")


def test_multi_line_expression_is_quoted_on_one_line() -> None:
    reason = unknown_reason('nosuch(\n  var.region,\n  "x"\n)')
    assert reason == (
        f'{WHERE}: `nosuch( var.region, "x" )` calls nosuch(), which lintsov does not evaluate'
    )


# --- sensitive values -----------------------------------------------------------------------


def test_sensitive_propagates_to_everything_made_from_it() -> None:
    assert known("var.secret").sensitive
    assert known('"pw-${var.secret}"').sensitive
    assert known("merge(var.tags, var.secret_tags)").sensitive
    assert known("var.secret_tags.owner").sensitive
    assert known('[var.secret, "a"]').sensitive
    assert known('var.secret == "x" ? 1 : 2').sensitive
    assert not known("merge(var.tags, {a = 1})").sensitive


def test_sensitive_key_is_not_printed_in_a_reason() -> None:
    reason = unknown_reason("var.tags[var.secret]")
    assert "s3cr3t" not in reason
    assert reason == f"{WHERE}: `var.tags` has no key (a sensitive value)"


# --- a whole file ---------------------------------------------------------------------------


def test_attributes_of_a_real_file() -> None:
    text = """
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
"""
    status, (_, blocks) = parse_text(text)
    assert status == "ok"
    provider, bucket = ({a[0]: Expression(a[3], text) for a in b[5]} for b in blocks)

    def value(expression: Expression) -> Any:
        got = evaluate(expression, lookup, WHERE)
        assert isinstance(got, Known), got
        return got.value

    assert value(provider["region"]) == "eu-west-1"
    assert value(bucket["bucket"]) == "prod-data"
    assert value(bucket["tags"]) == {"x": "lx", "nested": {"k": ["a", "b"]}, "Name": "PROD"}
    assert value(bucket["zones"]) == ["eu-west-1", "eu-west-3"]
    assert value(bucket["policy"]) == '{"env": "prod"}\n'
    assert references(bucket["provider"]) == ("aws.eu",)
    assert [b[2] for b in blocks] == [2, 6]
    assert [a[1] for a in blocks[1][5]] == [7, 8, 9, 10, 11]


# --- references() ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("aws_s3_bucket.b.id", ("aws_s3_bucket.b.id", "aws_s3_bucket.b")),
        ("aws_x.b[0].id", ("aws_x.b[0].id", "aws_x.b[0]", "aws_x.b")),
        ("data.aws_region.r.name", ("data.aws_region.r.name", "data.aws_region.r")),
        ("module.m.out", ("module.m.out", "module.m")),
        ('module.m["a"].out.x', ('module.m["a"].out.x', 'module.m["a"].out', "module.m")),
        ("var.region", ("var.region",)),
        ('local.tags["x"]', ('local.tags["x"]', "local.tags")),
        ("count.index", ("count.index",)),
        ("each.value.name", ("each.value.name", "each.value")),
        ('"${path.module}/x"', ("path.module",)),
        ("aws_instance.web[*].id", ("aws_instance.web",)),
        ("var.m[var.k]", ("var.m", "var.k")),
        ('var.on ? aws_x.a.id : "x"', ("var.on", "aws_x.a.id", "aws_x.a")),
        ("var.count + local.n", ("var.count", "local.n")),
    ],
)
def test_references_are_written_as_terraform_plan_json_does(
    source: str, expected: tuple[str, ...]
) -> None:
    assert references(parsed(source)) == expected


def test_references_inside_templates_and_function_args_in_order_without_duplicates() -> None:
    source = '"${var.env}-${lookup(var.regions, terraform.workspace)}-${var.env}-${module.m.o}"'
    assert references(parsed(source)) == (
        "var.env",
        "var.regions",
        "terraform.workspace",
        "module.m.o",
        "module.m",
    )
    assert references(parsed("merge(var.tags, { a = aws_x.y.arn })")) == (
        "var.tags",
        "aws_x.y.arn",
        "aws_x.y",
    )


def test_references_in_lists_maps_and_keys() -> None:
    source = "{ (var.k) = [data.d.n.a], b = { c = local.l } }"
    assert references(parsed(source)) == ("var.k", "data.d.n.a", "data.d.n", "local.l")


def test_references_skip_names_a_for_expression_binds() -> None:
    # Unbound, `b.name` would read as the resource b.name.
    source = "[for b in var.buckets : b.name if b.env != local.skip]"
    assert references(parsed(source)) == ("var.buckets", "local.skip")
    template = '"%{ for b in var.buckets }${b.name}${var.sep}%{ endfor }"'
    assert references(parsed(template)) == ("var.buckets", "var.sep")
    object_for = "{ for k, v in var.m : k => v.x... if v.on }"
    assert references(parsed(object_for)) == ("var.m",)


@pytest.mark.parametrize(
    "source", ['"eu-west-1"', "3", "null", "true", "[]", "{}", '["a", {b = 1.5}]', '"$${x}"']
)
def test_literals_reference_nothing(source: str) -> None:
    assert references(parsed(source)) == ()


# --- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "offset", "what"),
    [
        ("merge(", 5, "the file ends early"),
        ("{{{{", 3, "the file ends early"),
        ('"${', 3, "unexpected end of line"),
        ("var.", 4, "unexpected end of line"),
        ('"\\q"', 1, "invalid escape sequence '\\\\q'"),
    ],
)
def test_malformed_expression_is_refused_with_its_position(
    source: str, offset: int, what: str
) -> None:
    with pytest.raises(SyntaxProblem) as refused:
        expression(source)
    assert refused.value.offset == offset
    assert refused.value.what.startswith(what)


@pytest.mark.parametrize(
    "source",
    [
        "[" * 5000 + "]" * 5000,
        "{ a = " * 500 + "1" + " }" * 500,
        "f(" * 500 + ")" * 500,
        '"${' * 500 + "1" + '}"' * 500,
        "var.a" + ".b" * 10_000,
    ],
)
def test_very_deep_nesting_is_refused(source: str) -> None:
    with pytest.raises(SyntaxProblem) as refused:
        expression(source)
    assert refused.value.what == TOO_DEEP


def test_nesting_just_inside_the_limit_is_evaluated() -> None:
    depth = MAX_DEPTH - 1
    assert known("[" * depth + "1" + "]" * depth).steps == CONSTANT


def test_long_text_stays_fast() -> None:
    assert value_of('"' + "x" * 1_000_000 + '${var.env}"').endswith("xprod")


_PIECES = st.sampled_from(
    [
        *"${}[]()\"'.,:=?!-+*/%<>&|\\ \n~#ab01_",
        *("${", "%{", "var.x", "var.", "merge(", "for ", " in ", "=>", "...", "[*]", ".*"),
        "\\u00e9",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_arbitrary_text_is_refused_or_read_never_raises_otherwise(source: str) -> None:
    try:
        wire = expression(source)
    except SyntaxProblem as problem:
        refused: SyntaxProblem | None = problem
    else:
        refused = None
    if refused is not None:
        assert 0 <= refused.offset <= len(source) + 1
        return
    read = Expression(wire, source)
    assert isinstance(evaluate(read, lookup, WHERE), (Known, Unknown))
    assert isinstance(references(read), tuple)


# --- try, can, for, splats, directives, functions -------------------------------------------


def test_try_takes_the_first_argument_without_an_error() -> None:
    got = known('try(var.tags.missing, var.regions.prod, "x")')
    assert got.value == "eu-central-1"
    assert got.steps == (
        f'try(var.tags.missing, var.regions.prod, "x") in {WHERE}',
        "var.regions.prod",
        "var.regions",
    )


def test_try_does_not_skip_an_unknown_argument() -> None:
    # Terraform's try() catches errors only: an unknown first argument keeps it unknown.
    assert ev('try(aws_x.y.region, "eu-west-1")') == Unknown(
        "aws_x.y.region is known only after apply"
    )
    assert unknown_reason("try(var.tags.a, var.tags.b)") == (
        f"{WHERE}: no argument of `try(var.tags.a, var.tags.b)` evaluates without an error"
    )


def test_can_tells_errors_from_values_and_keeps_unknowns() -> None:
    assert value_of("can(var.tags.team)") is True
    assert value_of("can(var.tags.nope)") is False
    assert isinstance(ev("can(aws_x.y.region)"), Unknown)


def test_for_expressions_over_lists_and_maps() -> None:
    assert value_of("[for z in var.zones : upper(z)]") == ["EU-WEST-1A", "EU-WEST-1B"]
    assert value_of('{ for k, v in var.tags : v => k if k != "env" }') == {"data": "team"}
    assert value_of("[for i, z in var.zones : i]") == [0, 1]
    # maps in Terraform's lexical key order; grouping with ...
    assert value_of("[for k, v in var.tags : k]") == ["env", "team"]
    assert value_of('{ for z in ["a", "b", "a"] : z => z... }') == {"a": ["a", "a"], "b": ["b"]}
    assert unknown_reason('{ for z in ["a", "a"] : z => 1 }') == (
        f'{WHERE}: `{{ for z in ["a", "a"] : z => 1 }}` gives the key "a" twice'
    )


def test_for_bound_names_do_not_leak_and_shadow_outer_ones() -> None:
    assert value_of("[for v in var.zones : [for v in [1] : v]]") == [[1], [1]]
    assert value_of('[for k, v in {a = "x"} : "${k}=${v}"]') == ["a=x"]


def test_for_over_an_unknown_collection_is_unknown_with_its_reason() -> None:
    assert ev("[for x in var.missing : x]") == Unknown("var.missing has no value")
    assert unknown_reason("[for x in var.count : x]") == (
        f"{WHERE}: `var.count` is a number, which a for cannot walk"
    )


def test_for_over_too_many_elements_is_unknown() -> None:
    assert unknown_reason("[for x in range(20000) : x]") == (
        f"{WHERE}: `range(20000)` would make 10001 elements, over lintsov's limit of 10000"
    )


def test_splats_on_lists_single_values_and_null() -> None:
    assert value_of("[{a = 1}, {a = 2}][*].a") == [1, 2]
    assert value_of("[{a = [1]}, {a = [2]}].*.a[0]") == [1]  # legacy: the index applies after
    assert value_of("[{a = [1]}, {a = [2]}][*].a[0]") == [1, 2]
    assert value_of("var.tags[*].team") == ["data"]
    assert value_of("var.nothing[*]") == []
    assert unknown_reason("[{a = 1}][*].b") == f'{WHERE}: `[{{a = 1}}][*].b` has no key "b"'


def test_template_if_and_for_directives() -> None:
    assert value_of('"%{ if var.on }yes%{ else }no%{ endif }"') == "yes"
    assert value_of('"%{ if !var.on }yes%{ else }no%{ endif }"') == "no"
    assert value_of('"%{ for z in var.zones }[${z}]%{ endfor }"') == "[eu-west-1a][eu-west-1b]"
    assert unknown_reason('"%{ if var.region }x%{ endif }"') == (
        f"{WHERE}: the condition `var.region` is a string, not a bool"
    )


def test_heredoc_with_directive_and_trimmed_indentation() -> None:
    source = "<<-EOT\n    %{ for z in var.zones }\n    - ${z}\n    %{ endfor }\n  EOT\n"
    # the fewest leading spaces (4) go from every line; without strip markers each line
    # break around the directives stays
    assert value_of(source) == "\n- eu-west-1a\n\n- eu-west-1b\n\n"


def test_expanded_list_arguments() -> None:
    assert value_of("merge([{a = 1}, {b = 2}]...)") == {"a": 1, "b": 2}
    assert value_of("min([3, 1, 2]...)") == 1


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ('coalescelist([], ["a"])', ["a"]),
        ('element(["a", "b"], 3)', "b"),
        ('flatten([["a"], [["b"]], "c"])', ["a", "b", "c"]),
        ('distinct(["a", "b", "a"])', ["a", "b"]),
        ("keys(var.tags)", ["env", "team"]),
        ("values(var.tags)", ["dev", "data"]),
        ("length(var.zones)", 2),
        ('contains(var.zones, "eu-west-1b")', True),
        ('compact(["a", "", null, "b"])', ["a", "b"]),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ('tonumber("5")', 5),
        ('tobool("true")', True),
        ('join("-", ["a", "b"], ["c"])', "a-b-c"),
        ('split(",", "a,b")', ["a", "b"]),
        ('replace("eu-west-1", "-", "_")', "eu_west_1"),
        ('replace("eu-west-1", "/^([a-z]+)-.*$/", "$1")', "eu"),
        ('title("eu west")', "Eu West"),
        ('trimspace("  x ")', "x"),
        ('trim("?!x?", "?!")', "x"),
        ('trimprefix("projects/p", "projects/")', "p"),
        ('trimsuffix("a.tf", ".tf")', "a"),
        ('substr("europe-west1", 0, 6)', "europe"),
        ('substr("europe-west1", -5, -1)', "west1"),
        ('formatlist("%s-a", var.zones)', ["eu-west-1a-a", "eu-west-1b-a"]),
        ('startswith("europe-west1", "europe")', True),
        ('endswith("europe-west1", "1")', True),
        ("abs(-2)", 2),
        ("max(1, 5, 3)", 5),
        ('one(["x"])', "x"),
        ("one([])", None),
        ("range(1, 7, 2)", [1, 3, 5]),
        ('setunion(["b"], ["a", "b"])', ["a", "b"]),
        ('setintersection(["a", "b"], ["b", "c"])', ["b"]),
        ('slice(["a", "b", "c"], 1, 3)', ["b", "c"]),
        ("reverse([1, 2])", [2, 1]),
        ('sort(["b", "a"])', ["a", "b"]),
        ('index(["a", "b"], "b")', 1),
        ("jsonencode({b = 1, a = [true]})", '{"a":[true],"b":1}'),
        ('jsonencode("<a&b>")', '"\\u003ca\\u0026b\\u003e"'),
        ('jsondecode("{\\"region\\": \\"eu-west-1\\"}")', {"region": "eu-west-1"}),
        (
            'yamldecode("region: eu-west-1\\nzones: [a, b]")',
            {"region": "eu-west-1", "zones": ["a", "b"]},
        ),
        ('base64encode("eu")', "ZXU="),
        ('base64decode("ZXU=")', "eu"),
        ('regex("^([a-z]+)-([a-z]+)", "eu-west-1")', ["eu", "west"]),
        ('regex("(?P<area>[a-z]+)-", "eu-west-1")', {"area": "eu"}),
        ('regexall("[0-9]", "a1b2")', ["1", "2"]),
        ('length("é")', 1),
    ],
)
def test_function_values(source: str, value: Any) -> None:
    assert value_of(source) == value


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("element([], 0)", "`element([], 0)` gets an empty list"),
        ('one(["a", "b"])', '`one(["a", "b"])` gets 2 elements, not at most one'),
        ('index(["a"], "z")', '`index(["a"], "z")` does not find the value in the list'),
        ('regex("a", "b")', '`regex("a", "b")` finds no match'),
        (
            'regex("a(?=b)", "ab")',
            '`regex("a(?=b)", "ab")` uses `(?=` in a pattern, which '
            "Python's re and Terraform's RE2 read differently",
        ),
        (
            'replace("ab", "/(a)\\\\1/", "x")',
            '`replace("ab", "/(a)\\\\1/", "x")` uses '
            "`\\1` in a pattern, which Python's re and Terraform's RE2 read differently",
        ),
        (
            'yamldecode("a: &x 1\\nb: *x")',
            '`yamldecode("a: &x 1\\nb: *x")` uses YAML anchors or '
            "aliases, which lintsov does not read",
        ),
        (
            'yamldecode("a: !!binary aGk=")',
            '`yamldecode("a: !!binary aGk=")` uses the YAML tag '
            "tag:yaml.org,2002:binary, which lintsov does not read",
        ),
        ('jsondecode("{")', '`jsondecode("{")` gets text that is not JSON (JSONDecodeError)'),
        ('split(",")', '`split(",")` has the wrong number of arguments'),
        ("slice([1], 0, 2)", "`slice([1], 0, 2)` slices [0:2] out of a list of 1"),
        ("range(0, 5, -1)", "`range(0, 5, -1)` has a step that moves away from the end"),
        ('join(",", [[1]])', '`join(",", [[1]])` gets a list as an element, not a string'),
    ],
)
def test_function_refusals(source: str, reason: str) -> None:
    assert unknown_reason(source) == f"{WHERE}: {reason}"


def test_string_growth_is_bounded() -> None:
    text = "x" * 200
    assert unknown_reason(f'join("", [for i in range(9000) : "{text}"])').endswith(
        "would make 1800000 characters, over lintsov's limit of 1048576"
    )


# --- file(), templatefile(), fileexists() ---------------------------------------------------


def files_in(tmp_path: Path, max_bytes: int = 1000) -> tuple[FileAccess, Reads]:
    root = tmp_path / "repo"
    (root / "stack").mkdir(parents=True)
    reads = Reads()
    return FileAccess(root / "stack", root, max_bytes, reads), reads


def in_files(source: str, files: FileAccess) -> Attr:
    return evaluate(parsed(source), lookup, WHERE, files)


def test_file_reads_inside_the_repository_and_records_the_read(tmp_path: Path) -> None:
    files, reads = files_in(tmp_path)
    (files.root / "shared.txt").write_text("eu-west-1\n")
    got = in_files('trimspace(file("../shared.txt"))', files)
    assert isinstance(got, Known)
    assert got.value == "eu-west-1"
    assert got.steps == (f'trimspace(file("../shared.txt")) in {WHERE}', "file ../shared.txt")
    assert list(reads.files) == [str((files.root / "shared.txt").resolve())]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("/etc/hostname", "'/etc/hostname' lies outside the repository root"),
        ("../../outside.txt", "'../../outside.txt' lies outside the repository root"),
        ("link.txt", "'link.txt' lies outside the repository root"),
        ("big.txt", "'big.txt' is 2000 bytes, over the limit of 1000 (--max-input-size)"),
        ("latin1.txt", "'latin1.txt' is not UTF-8 text"),
        ("missing.txt", "'missing.txt' does not exist"),
    ],
)
def test_file_refusals_are_unknown_with_the_reason(tmp_path: Path, name: str, why: str) -> None:
    files, reads = files_in(tmp_path)
    (tmp_path / "outside.txt").write_text("us-east-1")
    (files.cwd / "link.txt").symlink_to(tmp_path / "outside.txt")
    (files.cwd / "big.txt").write_text("x" * 2000)
    (files.cwd / "latin1.txt").write_bytes("région".encode("latin-1"))
    got = in_files(f'file("{name}")', files)
    assert isinstance(got, Unknown)
    assert got.reason.startswith(f'{WHERE}: `file("{name}")` is not read: {why}')
    if name == "missing.txt":
        assert reads.files == {str(files.cwd / "missing.txt"): None}


def test_fileexists_inside_the_repository(tmp_path: Path) -> None:
    files, _ = files_in(tmp_path)
    (files.cwd / "here.txt").write_text("x")
    here = Known(True, (f'fileexists("here.txt") in {WHERE}', "file here.txt exists"))
    assert in_files('fileexists("here.txt")', files) == here
    gone = Known(False, (f'fileexists("gone.txt") in {WHERE}', "file gone.txt is absent"))
    assert in_files('fileexists("gone.txt")', files) == gone
    assert isinstance(in_files('fileexists("/etc/hostname")', files), Unknown)


def test_templatefile_sees_only_its_variables(tmp_path: Path) -> None:
    files, _ = files_in(tmp_path)
    (files.cwd / "t.tpl").write_text("%{ for z in zones }${z},%{ endfor }${region}")
    got = in_files('templatefile("t.tpl", { zones = var.zones, region = "eu" })', files)
    assert isinstance(got, Known)
    assert got.value == "eu-west-1a,eu-west-1b,eu"
    (files.cwd / "u.tpl").write_text("${var.region}")
    assert in_files('templatefile("u.tpl", {})', files) == Unknown(
        "template u.tpl: var.region is not among the variables templatefile() passes"
    )


def test_file_without_a_repository_is_unknown() -> None:
    assert unknown_reason('file("x")') == (
        f'{WHERE}: `file("x")` reads a file, which lintsov does not read here'
    )


def test_nested_for_work_is_bounded() -> None:
    source = "length([for a in range(2000) : [for b in range(2000) : b]])"
    assert unknown_reason(source) == (
        f"{WHERE}: takes over 1000000 evaluation steps, lintsov's limit"
    )
