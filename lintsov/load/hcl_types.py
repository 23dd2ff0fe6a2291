"""A variable's value converted to its declared `type`, as Terraform converts it.

Terraform converts every variable's value (a caller's argument, a default, tfvars, --var) to
the variable's type before anything reads it: an `object({...})` keeps only its declared
attributes, and an `optional(T, default)` attribute the value leaves out (or sets to null)
gets its default, converted to T, or null. Modules read such attributes freely
(`local.ctx.locations[...]`), so without the conversion lintsov stops at "has no key".

Conversion rules followed (Terraform's "Type Constraints" and "Conversion of Primitive
Types", https://developer.hashicorp.com/terraform/language/expressions/type-constraints,
implemented by go-cty's `cty/convert`):

- null stays null whatever the type; `any` leaves the value as it is;
- string from a number (decimal, no exponent) or a bool (`true`/`false`); number from a
  string that holds a decimal number; bool from the strings `true`/`false`;
- list/set from a list, map from an object or map, element by element; tuple element by
  element, of the same length; object from an object or map: declared attributes only,
  extra ones dropped, a missing required one refused.

A value Terraform would refuse, or a type lintsov cannot read, gives an Unknown with the
reason: lintsov does not guess what Terraform would make of it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, NoReturn

from lintsov.load import hcl_expr, hcl_parse
from lintsov.load.hcl_syntax import (
    Call,
    Expression,
    Lit,
    Node,
    Object,
    Template,
    Tuple,
    Var,
    decode,
)
from lintsov.stack import Attr, Known, Unknown

_PRIMITIVES = frozenset({"string", "number", "bool"})
_COLLECTIONS = frozenset({"list", "set", "map"})
# cty parses a number from a string with big.Float's decimal syntax; lintsov accepts the
# plain decimal forms and leaves anything rarer Unknown rather than guess.
_DECIMAL = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_INTEGER = re.compile(r"-?\d+")


class _Refused(Exception):
    """Terraform would refuse the value: `reason` says what in it does not fit."""


class _Unreadable(Exception):
    """The type uses something lintsov does not read."""


class _Converter:
    def __init__(self, source: str, where: str) -> None:
        self.source = source
        self.where = where

    def text(self, node: Node) -> str:
        return self.source[node.start : node.end]

    def unreadable(self, node: Node) -> NoReturn:
        raise _Unreadable(f"its type uses `{self.text(node)}`, which lintsov does not read")

    def convert(self, kind: Node, value: Any, path: str) -> Any:
        if value is None:
            return None
        if isinstance(kind, Var):
            if kind.name == "any":
                return value
            if kind.name in _PRIMITIVES:
                return _primitive(kind.name, value, path)
            self.unreadable(kind)
        if not isinstance(kind, Call) or kind.expand or len(kind.args) != 1:
            self.unreadable(kind)
        (inner,) = kind.args
        if kind.name in _COLLECTIONS:
            return self.collection(kind.name, inner, value, path)
        if kind.name == "object" and isinstance(inner, Object):
            return self.object(inner, value, path)
        if kind.name == "tuple" and isinstance(inner, Tuple):
            return self.tuple(inner, value, path)
        self.unreadable(kind)

    def collection(self, name: str, inner: Node, value: Any, path: str) -> Any:
        if name == "map":
            if not isinstance(value, dict):
                raise _Refused(f"{path} is {_kind(value)}, not a map")
            return {k: self.convert(inner, v, f"{path}[{k!r}]") for k, v in value.items()}
        if not isinstance(value, list):
            raise _Refused(f"{path} is {_kind(value)}, not a {name}")
        items = [self.convert(inner, v, f"{path}[{i}]") for i, v in enumerate(value)]
        if name == "set":
            unique: list[Any] = []
            for item in items:
                if item not in unique:
                    unique.append(item)
            return unique
        return items

    def tuple(self, kinds: Tuple, value: Any, path: str) -> Any:
        if not isinstance(value, list) or len(value) != len(kinds.items):
            raise _Refused(f"{path} is {_kind(value)}, not a tuple of {len(kinds.items)}")
        return [
            self.convert(k, v, f"{path}[{i}]")
            for i, (k, v) in enumerate(zip(kinds.items, value, strict=True))
        ]

    def object(self, attributes: Object, value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            raise _Refused(f"{path} is {_kind(value)}, not an object")
        out: dict[str, Any] = {}
        for key, kind in attributes.items:
            if not isinstance(key, Lit) or not isinstance(key.value, str):
                self.unreadable(key)
            name = key.value
            here = f"{path}.{name}"
            if isinstance(kind, Call) and kind.name == "optional":
                if kind.expand or len(kind.args) not in (1, 2):
                    self.unreadable(kind)
                got = value.get(name)
                if got is None and len(kind.args) == 2:
                    got = self.default(kind.args[1], here)
                out[name] = self.convert(kind.args[0], got, here)
            elif name in value:
                out[name] = self.convert(kind, value[name], here)
            else:
                raise _Refused(f"attribute {name!r} is required but {path} has none")
        return out

    def default(self, node: Node, path: str) -> Any:
        got = hcl_expr.evaluate_node(
            node, self.source, hcl_expr.nothing, f"the default of {path} in {self.where}"
        )
        if isinstance(got, Unknown):
            raise _Unreadable(f"the default of {path} cannot be read ({got.reason})")
        return got.value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _primitive(name: str, value: Any, path: str) -> Any:
    if name == "string":
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            # Terraform writes a number in plain decimal, never with an exponent.
            text = format(Decimal(repr(value)), "f")
            return text[:-2] if text.endswith(".0") else text
    elif name == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _DECIMAL.fullmatch(value):
            if _INTEGER.fullmatch(value):
                return int(value)
            number = float(value)
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
    elif isinstance(value, bool):
        return value
    elif value in ("true", "false"):
        return value == "true"
    elif value in ("1", "0"):
        # Whether Terraform reads these as bools depends on its version: not guessed.
        raise _Unreadable(f"{path} is the string {value!r}, which lintsov does not make a bool")
    raise _Refused(f"{path} is {_kind(value)} that cannot become a {name}")


def _type_node(declared: Any, source: str) -> tuple[Node, str]:
    """The type's tree, and the text its offsets index; in a .tf.json file the type is a
    string holding the expression."""
    node = declared
    if isinstance(node, Template) and len(node.parts) == 1 and isinstance(node.parts[0], str):
        node = Lit(node.start, node.end, node.parts[0])
    if isinstance(node, Lit) and isinstance(node.value, str):
        text = node.value
        return decode(hcl_parse.expression(text)), text
    return node, source


def convert(declared: Expression, value: Known, variable: str, place: str) -> Attr:
    """`value` of `variable` (`var.context`) converted to the type `declared`, written at
    `place` (`variables.tf:12`); a step says so when the conversion changed the value."""
    label = f"{variable} ({place})"
    try:
        node, source = _type_node(declared.node, declared.source)
        converted = _Converter(source, label).convert(node, value.value, variable)
    except _Refused as refused:
        return Unknown(f"{label}: {refused}, which Terraform refuses", value.steps)
    except _Unreadable as unreadable:
        return Unknown(f"{label}: {unreadable}", value.steps)
    except hcl_parse.SyntaxProblem as problem:
        return Unknown(f"{label}: its type does not parse ({problem.what})", value.steps)
    except RecursionError:
        return Unknown(f"{label}: its type is nested too deeply for lintsov", value.steps)
    if converted == value.value and _same_types(converted, value.value):
        return value
    step = f"converted to the type of {label}"
    return Known(converted, (step, *value.steps), value.sensitive)


def _same_types(a: Any, b: Any) -> bool:
    """Python says 1 == "1" is False but 1 == 1.0 == True is True: a number that became a
    bool or a float that became an int is a change worth a step."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_types(x, y) for x, y in zip(a, b, strict=True))
    return True
