"""HCL expressions as written: evaluated, or Unknown with why, and the addresses they use."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintsov.load.hcl_expr import evaluate, references
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


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("[for z in var.zones : upper(z)]", "[for z in var.zones : upper(z)]"),
        ("{ for k, v in var.tags : k => v }", "{ for k, v in var.tags : k => v }"),
        ("var.zones[*]", "var.zones[*]"),
        ('try(var.region, "x")', 'try(var.region, "x")'),
        ('"%{ if var.on }a%{ endif }"', '"%{ if var.on }a%{ endif }"'),
        ("merge(var.zones...)", "merge(var.zones...)"),
    ],
)
def test_unsupported_expression_is_unknown_with_its_text(source: str, text: str) -> None:
    assert unknown_reason(source) == f"{WHERE} uses `{text}`, which lintsov does not evaluate"


def test_long_expression_text_is_trimmed_to_80_characters() -> None:
    reason = unknown_reason("try(" + ", ".join(["var.count"] * 20) + ")")
    quoted = reason.split("`")[1]
    assert len(quoted) == 80
    assert quoted.endswith("…")


def test_multi_line_expression_is_quoted_on_one_line() -> None:
    reason = unknown_reason('try(\n  var.region,\n  "x"\n)')
    assert reason == f'{WHERE} uses `try( var.region, "x" )`, which lintsov does not evaluate'


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
