"""AWS policy documents: who a resource policy grants access to, statement by statement.

A document comes as JSON text (``jsonencode(...)``, a heredoc, a plan's planned value) or
as the blocks of a ``data "aws_iam_policy_document"``, which Terraform computes locally and
deterministically, so lintsov evaluates it the same way (a plan defers it to apply when one
of its arguments, often a bucket ARN, is not yet known).

Facts only: the principals each Allow statement names, the actions, and the conditions
that may limit it (``aws:PrincipalOrgID`` ...). Whether a principal is trusted is the
rule's judgement (checks/external_access.py). Deny statements grant nothing and are left
out; ``NotPrincipal`` with Allow grants everyone but the principals named, so it counts as
``*`` unconditioned by it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from lintsov.resolve.values import Values

# Condition keys that limit a principal to an organisation or an account: a statement
# with one of these is not open to the world (see the IAM global condition context keys,
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
LIMITING_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:sourceaccount",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourcearn",
        "aws:sourceowner",
        "aws:resourceaccount",
        "aws:resourceorgid",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:principalarn",
        "kms:calleraccount",
        "kms:viaservice",
    }
)
# Operators that test equality or a pattern: a negated one (StringNotEquals) limits nothing.
_LIMITING_OPERATORS = ("stringequals", "stringlike", "arnequals", "arnlike", "forany", "forall")


@dataclass(frozen=True)
class Condition:
    operator: str
    key: str
    values: tuple[str, ...]
    # A value that is unknown until apply (the reason), or "" when all are known.
    unknown: str = ""

    @property
    def limits(self) -> bool:
        """Whether the condition restricts who may use the grant to an organisation,
        account, source or network (not whether that restriction is to a trusted one)."""
        operator = self.operator.lower().split(":")[-1].removesuffix("ifexists")
        return self.key.lower() in LIMITING_KEYS and operator.startswith(_LIMITING_OPERATORS)


@dataclass(frozen=True)
class PolicyPrincipal:
    """One principal of a statement: ``kind`` is the JSON key (AWS, Service, Federated,
    CanonicalUser) or ``*``; ``value`` the identifier, "" when ``unknown`` says why not."""

    kind: str
    value: str
    unknown: str = ""
    # How the value came about, beyond the document (data.aws_caller_identity ...).
    origin: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    label: str
    principals: tuple[PolicyPrincipal, ...]
    actions: tuple[str, ...]
    conditions: tuple[Condition, ...]


def parse(text: str) -> tuple[Statement, ...] | str:
    """The Allow statements of a JSON policy document, or why it cannot be read."""
    try:
        # msgspec, not json: a large plan has a policy on every bucket, key and queue.
        document = msgspec.json.decode(text)
    except msgspec.DecodeError as error:
        return f"the policy is not JSON ({error})"
    if not isinstance(document, dict):
        return "the policy is not a JSON object"
    raw = document.get("Statement")
    items = [raw] if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    found = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or item.get("Effect", "Allow") != "Allow":
            continue
        label = f"statement {item['Sid']!r}" if item.get("Sid") else f"statement {index}"
        principals = tuple(_json_principals(item))
        conditions = tuple(_json_conditions(item.get("Condition")))
        found.append(Statement(label, principals, _strings(item.get("Action")), conditions))
    return tuple(found)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _json_principals(item: Mapping[str, Any]) -> Iterator[PolicyPrincipal]:
    if "NotPrincipal" in item:
        yield PolicyPrincipal("*", "*")
        return
    principal = item.get("Principal")
    if principal == "*":
        yield PolicyPrincipal("*", "*")
    elif isinstance(principal, dict):
        for kind in sorted(principal):
            for value in _strings(principal[kind]):
                yield PolicyPrincipal("*" if value == "*" else kind, value)


def _json_conditions(block: Any) -> Iterator[Condition]:
    if not isinstance(block, dict):
        return
    for operator in sorted(block):
        tests = block[operator]
        if isinstance(tests, dict):
            for key in sorted(tests):
                values = tests[key]
                if isinstance(values, bool | int | float):
                    values = str(values).lower()
                yield Condition(operator, key, _strings(values))


def from_document_source(values: Values) -> tuple[Statement, ...] | str:
    """The Allow statements of a ``data "aws_iam_policy_document"``: its ``json`` when a
    plan read it, else its statement blocks, evaluated as the data source does.
    ``source_policy_documents`` and ``override_policy_documents`` are merged in by
    statement id, as the provider does."""
    if not values.is_unknown("json") and isinstance(values.known("json"), str):
        return parse(values.known("json"))
    merged: dict[str, Statement] = {}
    order: list[str] = []

    def add(statements: tuple[Statement, ...], override: bool) -> None:
        for statement in statements:
            key = statement.label if statement.label.startswith("statement '") else ""
            key = key or f"#{len(order)}"
            if key not in merged:
                order.append(key)
            if override or key not in merged or key.startswith("#"):
                merged[key] = statement

    for name in ("source_policy_documents", "override_policy_documents"):
        if values.unknown_within(name):
            return f"{name} is unknown: {values.unknown_reason(name) or 'known only after apply'}"
    for text in values.strings("source_policy_documents"):
        parsed = parse(text)
        if isinstance(parsed, str):
            return f"a source policy document cannot be read: {parsed}"
        add(parsed, False)
    blocks = values.known("statement")
    if values.is_unknown("statement"):
        reason = values.unknown_reason("statement") or "known only after apply"
        return f"its statements are unknown: {reason}"
    add(tuple(_block_statements(blocks, values)), True)
    for text in values.strings("override_policy_documents"):
        parsed = parse(text)
        if isinstance(parsed, str):
            return f"an override policy document cannot be read: {parsed}"
        add(parsed, True)
    return tuple(merged[key] for key in order)


def _block_statements(blocks: Any, values: Values) -> Iterator[Statement]:
    unknown = values.unknown.get("statement") if isinstance(values.unknown, Mapping) else None
    for index, block in enumerate(blocks if isinstance(blocks, list) else ()):
        if not isinstance(block, dict) or (block.get("effect") or "Allow") != "Allow":
            continue
        marks = unknown[index] if isinstance(unknown, list) and index < len(unknown) else None
        marks = marks if isinstance(marks, Mapping) else {}
        label = f"statement {block['sid']!r}" if block.get("sid") else f"statement {index}"
        principals: list[PolicyPrincipal] = []
        if block.get("not_principals") or marks.get("not_principals"):
            principals.append(PolicyPrincipal("*", "*"))
        principals.extend(_block_principals(block.get("principals"), marks.get("principals")))
        conditions = tuple(_block_conditions(block.get("condition"), marks.get("condition")))
        actions = _strings(block.get("actions"))
        yield Statement(label, tuple(principals), actions, conditions)


def _mark(marks: Any, index: int, name: str) -> str:
    """Why a nested attribute is unknown, or "" when it is known."""
    if marks is True or isinstance(marks, str):
        return marks if isinstance(marks, str) else "known only after apply"
    if isinstance(marks, list) and index < len(marks):
        mark = marks[index]
        if isinstance(mark, Mapping):
            mark = mark.get(name)
        if mark is True:
            return "known only after apply"
        if isinstance(mark, str):
            return mark
        if isinstance(mark, list) and any(m is True or isinstance(m, str) for m in mark):
            found = next(m for m in mark if m is True or isinstance(m, str))
            return found if isinstance(found, str) else "known only after apply"
    return ""


def _block_principals(blocks: Any, marks: Any) -> Iterator[PolicyPrincipal]:
    for index, block in enumerate(blocks if isinstance(blocks, list) else ()):
        if not isinstance(block, dict):
            continue
        kind = str(block.get("type") or "")
        why = _mark(marks, index, "identifiers")
        if why:
            yield PolicyPrincipal(kind or "AWS", "", why)
            continue
        for value in _strings(block.get("identifiers")):
            yield PolicyPrincipal("*" if value == "*" or kind == "*" else kind, value)


def _block_conditions(blocks: Any, marks: Any) -> Iterator[Condition]:
    for index, block in enumerate(blocks if isinstance(blocks, list) else ()):
        if not isinstance(block, dict):
            continue
        why = _mark(marks, index, "values")
        yield Condition(
            str(block.get("test") or ""),
            str(block.get("variable") or ""),
            _strings(block.get("values")),
            why,
        )
