"""AWS policy documents read statement by statement: Allow statements only, principals by
kind, and the conditions that limit a grant to an organisation or account."""

from __future__ import annotations

import json

from lintsov.resolve.aws_policy import Condition, PolicyPrincipal, Statement
from lintsov.resolve.aws_policy import parse as parse_or_why


def parse(text: str) -> tuple[Statement, ...]:
    found = parse_or_why(text)
    assert not isinstance(found, str), found
    return found


def statements(*items: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(items)})


def test_deny_statements_grant_nothing() -> None:
    found = parse(statements({"Effect": "Deny", "Principal": "*", "Action": "s3:*"}))
    assert found == ()


def test_not_principal_with_allow_counts_as_everyone() -> None:
    (statement,) = parse(
        statements({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}})
    )
    assert statement.principals == (PolicyPrincipal("*", "*"),)


def test_principals_by_kind_and_a_star_inside_aws_is_everyone() -> None:
    (statement,) = parse(
        statements(
            {
                "Sid": "Mixed",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com", "AWS": ["*", "123456789012"]},
            }
        )
    )
    assert statement.label == "statement 'Mixed'"
    assert statement.principals == (
        PolicyPrincipal("*", "*"),
        PolicyPrincipal("AWS", "123456789012"),
        PolicyPrincipal("Service", "cloudtrail.amazonaws.com"),
    )


def test_organisation_conditions_limit_negated_ones_do_not() -> None:
    assert Condition("StringEquals", "aws:PrincipalOrgID", ("o-abc123de45",)).limits
    assert Condition("StringLikeIfExists", "aws:SourceAccount", ("1",)).limits
    assert Condition("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", ("o-a/*",)).limits
    assert not Condition("StringNotEquals", "aws:PrincipalOrgID", ("o-abc123de45",)).limits
    assert not Condition("Bool", "aws:SecureTransport", ("true",)).limits


def test_a_policy_that_is_not_json_says_why() -> None:
    found = parse_or_why("{not json")
    assert isinstance(found, str)
    assert found.startswith("the policy is not JSON (")
