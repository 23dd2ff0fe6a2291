"""Attribute values: evaluated where lintsov can, and the addresses they reference.

The expressions are lintsov's own syntax tree (lintsov.load.hcl_syntax), read from HCL or from
Terraform's JSON syntax, each node with its offsets in the file, so that a reason or a step
quotes the expression as written. The evaluator follows literals, references, templates,
collections, operators, conditionals and the few functions lintsov needs to find a region or
a tag; everything else (for expressions, splats, template directives, other functions) is
``Unknown`` with the reason. Nothing here raises.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import yaml

from lintsov.load import hcl_functions
from lintsov.load.hcl_file_access import FileAccess, FileRefused
from lintsov.load.hcl_functions import MAX_ITEMS, MAX_TEXT, Refused
from lintsov.load.hcl_functions import as_number as _as_number
from lintsov.load.hcl_functions import is_number as _is_number
from lintsov.load.hcl_functions import kind as _describe
from lintsov.load.hcl_functions import text_of as _primitive_text
from lintsov.load.hcl_parse import SyntaxProblem, template_text
from lintsov.load.hcl_syntax import (
    MAX_DEPTH,
    Binary,
    Call,
    Chain,
    Conditional,
    Directive,
    Expression,
    For,
    GetAttr,
    Index,
    Lit,
    Node,
    Object,
    Splat,
    Template,
    Tuple,
    Unary,
    Var,
    decode,
)
from lintsov.stack import Attr, Known, Unknown

Lookup = Callable[[tuple[str | int, ...]], Attr]

_TEXT_LIMIT = 80
# Nodes one evaluation may visit: a configuration's expressions take a few hundred.
MAX_WORK = 1_000_000
# Roots whose first attribute names one value (var.region, each.key); later steps index into
# it here. Every other root (module, data, a resource type) goes whole to the lookup.
_SCOPED_ROOTS = frozenset({"var", "local", "count", "each", "terraform", "path", "self"})


def _is_reference(node: Node) -> bool:
    return isinstance(node, Chain) and isinstance(node.base, Var)


# --- values ----------------------------------------------------------------------------------


def _short(text: str) -> str:
    """Text for a reason or a step: one line, at most 80 characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _TEXT_LIMIT else flat[: _TEXT_LIMIT - 1] + "…"


def _show(key: Known) -> str:
    """A key for a reason; never a sensitive one."""
    if key.sensitive:
        return "(a sensitive value)"
    if isinstance(key.value, str):
        return json.dumps(key.value, ensure_ascii=False)
    return str(key.value)


def _as_index(key: Any) -> int | None:
    """A list index: Terraform also accepts "0" and 0.0."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, float) and key.is_integer():
        return int(key)
    if isinstance(key, str) and key.isascii() and key.isdigit():
        return int(key)
    return None


def _unique(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([step for group in groups for step in group]))


def _sensitive(used: Iterable[Known]) -> bool:
    return any(known.sensitive for known in used)


def _known(value: Any, used: Sequence[Known]) -> Known:
    """A value made from others: their steps, and sensitive if any of them is."""
    steps: list[str] = []
    sensitive = False
    for known in used:
        steps += known.steps
        sensitive = sensitive or bool(known.sensitive)
    return Known(value, tuple(dict.fromkeys(steps)), sensitive)


def _unify(values: list[Any]) -> list[Any] | None:
    """Elements as tomap/tolist leave them: strings win over numbers and bools; None when
    Terraform finds no single type."""
    kinds = {_describe(v) for v in values if v is not None}
    if len(kinds) <= 1:
        return values
    if kinds <= {"a string", "a number", "a bool"} and "a string" in kinds:
        return [v if v is None else _primitive_text(v) for v in values]
    return None


def _simple_case(text: str, upper: bool) -> str:
    # Terraform uses Go's one-rune-to-one-rune mapping: upper("ß") stays "ß".
    changed = (c.upper() if upper else c.lower() for c in text)
    return "".join(new if len(new) == 1 else old for old, new in zip(text, changed, strict=True))


# --- evaluation ------------------------------------------------------------------------------


class _Stop(Exception):
    """Carries the Unknown that ends an evaluation, from however deep it was found.

    `error` tells a dynamic error (a missing key, a wrong type: what try() and can() catch)
    from a value not known here (after apply, no value given, not evaluated), which try()
    must not skip: Terraform's try() catches errors only."""

    def __init__(self, unknown: Unknown, error: bool = False) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown
        self.error = error


class _Evaluator:
    """Evaluates the nodes of one expression. Known results carry only the steps of the
    references they used; `_finish` adds the step that names the expression."""

    __slots__ = ("bound", "files", "grown", "lookup", "text", "where", "work")

    def __init__(
        self, lookup: Lookup, where: str, text: str, files: FileAccess | None = None
    ) -> None:
        self.lookup = lookup
        self.where = where
        self.text = text
        self.files = files
        # Names a for expression or a template's for directive binds, innermost last.
        self.bound: dict[str, Known] = {}
        self.work = 0  # nodes evaluated
        self.grown = 0  # characters of template output

    def source(self, node: Node) -> str:
        return _short(self.text[node.start : node.end])

    def stop(self, reason: str) -> NoReturn:
        raise _Stop(Unknown(f"{self.where}: {reason}"), error=True)

    def unknown(self, reason: str) -> NoReturn:
        """Not an error: a value lintsov cannot know here."""
        raise _Stop(Unknown(f"{self.where}: {reason}"))

    def unsupported(self, node: Node) -> NoReturn:
        raise _Stop(
            Unknown(f"{self.where} uses `{self.source(node)}`, which lintsov does not evaluate")
        )

    def wrong(self, call: Call, arg: Node, expected: str) -> NoReturn:
        self.stop(f"{call.name}() gets `{self.source(arg)}`, which is not {expected}")

    def arity(self, call: Call, *counts: int) -> None:
        if len(call.args) not in counts:
            self.stop(f"`{self.source(call)}` has the wrong number of arguments")

    def eval(self, node: Node) -> Known:
        evaluate = _EVALUATE.get(type(node))
        if evaluate is None:
            self.unsupported(node)
        # Nested for expressions multiply: the work, not only each collection, is bounded.
        self.work += 1
        if self.work > MAX_WORK:
            self.unknown(f"takes over {MAX_WORK} evaluation steps, lintsov's limit")
        return evaluate(self, node)

    def _literal(self, node: Lit) -> Known:
        return Known(node.value)

    def _tuple(self, node: Tuple) -> Known:
        items = [self.eval(item) for item in node.items]
        return _known([item.value for item in items], items)

    def _call(self, node: Call) -> Known:
        function = _FUNCTIONS.get(node.name)
        if node.expand:
            return self._expanded(node)
        if function is not None:
            return function(self, node)
        pure = hcl_functions.FUNCTIONS.get(node.name)
        if pure is None:
            self.unknown(
                f"`{self.source(node)}` calls {node.name}(), which lintsov does not evaluate"
            )
        got = [self.eval(arg) for arg in node.args]
        return self._apply(node, pure, got)

    def _apply(self, node: Call, pure: hcl_functions.Function, got: list[Known]) -> Known:
        try:
            inspect.signature(pure).bind(*[item.value for item in got])
        except TypeError:
            self.stop(f"`{self.source(node)}` has the wrong number of arguments")
        try:
            value = pure(*[item.value for item in got])
        except Refused as refused:
            self.stop(f"`{self.source(node)}` {refused}")
        return _known(value, got)

    def _expanded(self, node: Call) -> Known:
        """`f(a, list...)`: the last argument's elements become arguments."""
        pure = hcl_functions.FUNCTIONS.get(node.name)
        if pure is None and node.name not in _SPREADABLE:
            self.unknown(
                f"`{self.source(node)}` calls {node.name}(), which lintsov does not evaluate"
            )
        got = [self.eval(arg) for arg in node.args]
        if not got or not isinstance(got[-1].value, list):
            self.stop(f"`{self.source(node)}` expands something that is not a list")
        last = got[-1]
        spread = [Known(item, last.steps, last.sensitive) for item in last.value]
        arguments = [*got[:-1], *spread]
        if pure is not None:
            return self._apply(node, pure, arguments)
        return _SPREADABLE[node.name](self, node, arguments)

    def _template(self, node: Template) -> Known:
        used: list[Known] = []
        pieces: list[str] = []
        self._render(node.parts, 0, len(node.parts), pieces, used)
        return _known("".join(pieces), used)

    def _render(
        self,
        parts: Sequence[str | Node],
        first: int,
        last: int,
        pieces: list[str],
        used: list[Known],
    ) -> None:
        """Render parts[first:last] into `pieces`, following if and for directives."""
        at = first
        while at < last:
            part = parts[at]
            if isinstance(part, str):
                self._grow(pieces, part)
            elif isinstance(part, Directive):
                middle, closing = _matching(parts, at, last)
                if closing is None or part.word not in ("if", "for"):
                    self.stop(f"`{self.source(part)}` has no matching end in the template")
                if part.word == "if":
                    self._render_if(parts, at, middle, closing, pieces, used)
                else:
                    self._render_for(parts, at, closing, pieces, used)
                at = closing
            else:
                got = self.eval(part)
                text = _primitive_text(got.value)
                if text is None:
                    self.stop(f"`{self.source(part)}` is {_describe(got.value)} inside a template")
                self._grow(pieces, text)
                used.append(got)
            at += 1

    def _grow(self, pieces: list[str], text: str) -> None:
        pieces.append(text)
        self.grown += len(text)
        if self.grown > MAX_TEXT:
            self.unknown(f"a template grows over lintsov's limit of {MAX_TEXT} characters")

    def _render_if(
        self,
        parts: Sequence[str | Node],
        at: int,
        middle: int | None,
        end: int,
        pieces: list[str],
        used: list[Known],
    ) -> None:
        directive = parts[at]
        assert isinstance(directive, Directive)
        if self._holds(directive.exprs[0], used):
            self._render(parts, at + 1, middle if middle is not None else end, pieces, used)
        elif middle is not None:
            self._render(parts, middle + 1, end, pieces, used)

    def _render_for(
        self, parts: Sequence[str | Node], at: int, end: int, pieces: list[str], used: list[Known]
    ) -> None:
        directive = parts[at]
        assert isinstance(directive, Directive)
        collection = self.eval(directive.exprs[0])
        used.append(collection)
        for names in self._iterate(directive.exprs[0], collection, directive.binds):
            saved = self.bound
            self.bound = {**saved, **names}
            try:
                self._render(parts, at + 1, end, pieces, used)
            finally:
                self.bound = saved

    def _iterate(
        self, node: Node, collection: Known, binds: Sequence[str]
    ) -> list[dict[str, Known]]:
        """The bindings of each turn of a for over a known list or map (maps by key, in
        Terraform's lexical order)."""
        value = collection.value
        pairs: list[tuple[Any, Any]]
        if isinstance(value, dict):
            pairs = sorted(value.items())
        elif isinstance(value, list):
            pairs = list(enumerate(value))
        else:
            self.stop(f"`{self.source(node)}` is {_describe(value)}, which a for cannot walk")
        if len(pairs) > MAX_ITEMS:
            self.unknown(f"`{self.source(node)}` has over {MAX_ITEMS} elements to walk")
        steps, sensitive = collection.steps, collection.sensitive
        turns: list[dict[str, Known]] = []
        for key, item in pairs:
            names = {binds[-1]: Known(item, steps, sensitive)}
            if len(binds) == 2:
                names[binds[0]] = Known(key, steps, sensitive)
            turns.append(names)
        return turns

    def _holds(self, condition: Node, used: list[Known]) -> bool:
        """A directive's or a for's condition, its Known added to `used`."""
        got = self.eval(condition)
        flag = _as_bool(got.value)
        if flag is None:
            self.stop(
                f"the condition `{self.source(condition)}` is {_describe(got.value)}, not a bool"
            )
        used.append(got)
        return flag

    def _for(self, node: For) -> Known:
        collection = self.eval(node.collection)
        used: list[Known] = [collection]
        tuple_items: list[Any] = []
        object_items: dict[str, Any] = {}
        for names in self._iterate(node.collection, collection, node.binds):
            saved = self.bound
            self.bound = {**saved, **names}
            try:
                if node.condition is not None and not self._holds(node.condition, used):
                    continue
                item = self._used(node.value, used)
                if node.key is None:
                    tuple_items.append(item)
                    continue
                key = _primitive_text(self._used(node.key, used))
                if key is None:
                    self.stop(f"the key `{self.source(node.key)}` is not a string")
                if node.grouped:
                    object_items.setdefault(key, []).append(item)
                elif key in object_items:
                    self.stop(f"`{self.source(node)}` gives the key {json.dumps(key)} twice")
                else:
                    object_items[key] = item
            finally:
                self.bound = saved
        return _known(tuple_items if node.key is None else object_items, used)

    def _object(self, node: Object) -> Known:
        result: dict[str, Any] = {}
        used: list[Known] = []
        for key_node, value_node in node.items:
            # A literal adds no steps: evaluated only when it is not one.
            key = key_node.value if isinstance(key_node, Lit) else self._used(key_node, used)
            name = _primitive_text(key)
            if name is None:
                self.stop(f"the key `{self.source(key_node)}` is {_describe(key)}")
            if isinstance(value_node, Lit):
                result[name] = value_node.value
            else:
                result[name] = self._used(value_node, used)
        return _known(result, used)

    def _used(self, node: Node, used: list[Known]) -> Any:
        """The node's value, its Known added to `used`."""
        got = self.eval(node)
        used.append(got)
        return got.value

    # operators

    def _unary(self, node: Unary) -> Known:
        got = self.eval(node.operand)
        if node.op == "!":
            flag = _as_bool(got.value)
            if flag is None:
                self.stop(f"`{self.source(node.operand)}` is {_describe(got.value)}, not a bool")
            return Known(not flag, got.steps, got.sensitive)
        number = self._number(node.operand, got)
        return Known(-number, got.steps, got.sensitive)

    def _binary(self, node: Binary) -> Known:
        left, right = self.eval(node.left), self.eval(node.right)
        op = node.op
        value: Any
        if op in ("==", "!="):
            value = _equal(left.value, right.value) == (op == "==")
        elif op in ("&&", "||"):
            flags = [_as_bool(side.value) for side in (left, right)]
            for side, got, flag in zip((node.left, node.right), (left, right), flags, strict=True):
                if flag is None:
                    self.stop(f"`{self.source(side)}` is {_describe(got.value)}, not a bool")
            value = (flags[0] and flags[1]) if op == "&&" else (flags[0] or flags[1])
        else:
            a, b = self._number(node.left, left), self._number(node.right, right)
            value = self._arithmetic(node, op, a, b)
        return _known(value, [left, right])

    def _number(self, node: Node, got: Known) -> int | float:
        number = _as_number(got.value)
        if number is None:
            self.stop(f"`{self.source(node)}` is {_describe(got.value)}, not a number")
        return number

    def _arithmetic(self, node: Binary, op: str, a: int | float, b: int | float) -> Any:
        comparisons = {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}
        if op in comparisons:
            return comparisons[op]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            self.stop(f"`{self.source(node)}` divides by zero")
        if op == "/":
            exact = isinstance(a, int) and isinstance(b, int) and a % b == 0
            return a // b if exact else a / b
        # Go's and Python's remainders differ for negative operands: only the plain case.
        if isinstance(a, int) and isinstance(b, int) and a >= 0 and b > 0:
            return a % b
        self.unsupported(node)

    def _conditional(self, node: Conditional) -> Known:
        try:
            condition = self.eval(node.condition)
        except _Stop as unknown:
            # The condition is unknown: the result is known only if both ways give one value.
            try:
                then, other = self.eval(node.then), self.eval(node.other)
            except _Stop:
                raise unknown from None
            if not _equal(then.value, other.value):
                raise
            return _known(then.value, [then, other])
        flag = _as_bool(condition.value)
        if flag is None:
            self.stop(
                f"the condition `{self.source(node.condition)}` is "
                f"{_describe(condition.value)}, not a bool"
            )
        chosen = self.eval(node.then if flag else node.other)
        value = _unified(chosen.value, self._branch_kind(node.other if flag else node.then))
        return _known(value, [condition, chosen])

    def _branch_kind(self, node: Node) -> str | None:
        """The kind of the branch not taken, where its text alone says it: a literal."""
        return _describe(node.value) if isinstance(node, Lit) else None

    # references

    def _chain(self, node: Var | Chain) -> Known:
        base: Node
        steps: tuple[Node, ...]
        if isinstance(node, Var):
            base, steps = node, ()
        else:
            base, steps = node.base, node.steps
            for at, step in enumerate(steps):
                if isinstance(step, Splat):
                    return self._splat(node, at)
            if not isinstance(base, Var):
                return self._walk(self.eval(base), steps, node, labelled=False)
        if isinstance(base, Var) and base.name in self.bound:
            return self._walk(self.bound[base.name], steps, node, labelled=False)
        # var.tags["x"]: the lookup answers var.tags, the index is applied here. A resource,
        # data source or module output goes whole to the lookup.
        if base.name in _SCOPED_ROOTS:
            head = 1 if steps and isinstance(steps[0], GetAttr) else 0
        else:
            head = len(steps)
        if head == 0:
            self.unsupported(node)
        traversal: list[str | int] = [base.name]
        keys: list[Known] = []  # of index steps: an attribute's name has no steps of its own
        for step in steps[:head]:
            if isinstance(step, GetAttr):
                traversal.append(step.name)
            else:
                keys.append(key := self._key(step))
                traversal.append(key.value)
        ref_text = _short(self.text[node.start : steps[head - 1].end])
        got = self._lookup(tuple(traversal), ref_text)
        first = got.steps if got.steps[:1] == (ref_text,) else (ref_text, *got.steps)
        if keys:
            found_steps = _unique([first, *[key.steps for key in keys]])
            sensitive = got.sensitive or _sensitive(keys)
        else:
            found_steps = tuple(dict.fromkeys(first))
            sensitive = got.sensitive or False  # as any() of no keys would give
        if found_steps != got.steps or sensitive is not got.sensitive:
            got = Known(got.value, found_steps, sensitive)
        return got if head == len(steps) else self._walk(got, steps[head:], node, True)

    def _splat(self, node: Chain, at: int) -> Known:
        """`list[*].attr` and `list.*.attr`: the steps after the splat apply to each element
        (a full splat's all of them, an attribute splat's attributes only); a single value is
        a list of itself, null an empty list (Terraform's rules)."""
        steps = node.steps
        before: Node = (
            node.base if at == 0 else Chain(node.start, steps[at - 1].end, node.base, steps[:at])
        )
        got = self.eval(before)
        splat = steps[at]
        assert isinstance(splat, Splat)
        each_end = at + 1
        while each_end < len(steps) and (splat.full or isinstance(steps[each_end], GetAttr)):
            if isinstance(steps[each_end], Splat):
                break
            each_end += 1
        value = got.value
        items = [] if value is None else value if isinstance(value, list) else [value]
        used: list[Known] = [got]
        results: list[Any] = []
        for item in items:
            current = item
            for step in steps[at + 1 : each_end]:
                key = self._key(step)
                used.append(key)
                current = self._step(current, key, node.start, step.end)
            results.append(current)
        result = _known(results, used)
        rest = steps[each_end:]
        if not rest:
            return result
        for offset, step in enumerate(rest):
            if isinstance(step, Splat):
                if offset:  # index steps first, then the next splat on what they give
                    result = self._walk(result, rest[:offset], node, labelled=False)
                tail = Chain(
                    node.start, node.end, Lit(node.start, step.start, result.value), rest[offset:]
                )
                inner = self._splat(tail, 0)
                return _known(inner.value, [result, inner])
        return self._walk(result, rest, node, labelled=False)

    def _lookup(self, traversal: tuple[str | int, ...], ref_text: str) -> Known:
        try:
            got = self.lookup(traversal)
        except Exception as error:  # the caller's lookup: its failure is this value's reason
            got = Unknown(f"{self.where}: looking up `{ref_text}` failed ({type(error).__name__})")
        if isinstance(got, Unknown):
            raise _Stop(got)
        if not isinstance(got, Known):
            self.stop(f"looking up `{ref_text}` gave no answer")
        return got

    def _key(self, step: Node) -> Known:
        if isinstance(step, GetAttr):
            return Known(step.name)
        assert isinstance(step, Index)
        key = self.eval(step.key)
        if isinstance(key.value, str):
            return key
        index = _as_index(key.value)
        if index is None:
            self.stop(f"`{self.source(step.key)}` is {_describe(key.value)}, not a key")
        return Known(index, key.steps, key.sensitive)

    def _walk(self, got: Known, steps: Sequence[Node], node: Node, labelled: bool) -> Known:
        """Apply attribute and index steps to a known value."""
        if not steps:
            return got
        value, used = got.value, [got]
        for step in steps:
            key = self._key(step)
            used.append(key)
            value = self._step(value, key, node.start, step.start)
        result = _known(value, used)
        if not labelled:
            return result
        label = _short(self.text[node.start : node.end])
        return Known(value, _unique([(label,), result.steps]), result.sensitive)

    def _step(self, value: Any, key: Known, start: int, end: int) -> Any:
        if isinstance(value, dict):
            name = _primitive_text(key.value)
            if name is not None and name in value:
                return value[name]
            self.stop(f"`{_short(self.text[start:end])}` has no key {_show(key)}")
        if isinstance(value, list):
            index = _as_index(key.value)
            if index is not None and 0 <= index < len(value):
                return value[index]
            self.stop(f"`{_short(self.text[start:end])}` has no element {_show(key)}")
        self.stop(
            f"`{_short(self.text[start:end])}` is {_describe(value)}, which has no {_show(key)}"
        )


# How eval() reads each kind of node, by its exact type.
_EVALUATE: dict[type[Node], Callable[[_Evaluator, Any], Known]] = {
    Var: _Evaluator._chain,
    Chain: _Evaluator._chain,
    Lit: _Evaluator._literal,
    Template: _Evaluator._template,
    Tuple: _Evaluator._tuple,
    Object: _Evaluator._object,
    Call: _Evaluator._call,
    Unary: _Evaluator._unary,
    Binary: _Evaluator._binary,
    Conditional: _Evaluator._conditional,
    For: _Evaluator._for,
}


def _matching(parts: Sequence[str | Node], at: int, last: int) -> tuple[int | None, int | None]:
    """(its else, its endif or endfor) for the directive at `at`, at its own depth; None
    where there is none (an end that does not match it is none)."""
    opening = parts[at]
    assert isinstance(opening, Directive)
    depth = 0
    middle: int | None = None
    for index in range(at + 1, last):
        part = parts[index]
        if not isinstance(part, Directive):
            continue
        if part.word in ("if", "for"):
            depth += 1
        elif part.word in ("endif", "endfor"):
            if depth == 0:
                return middle, index if part.word == "end" + opening.word else None
            depth -= 1
        elif part.word == "else" and depth == 0:
            middle = index
    return middle, None


def _as_bool(value: Any) -> bool | None:
    """A bool, or the string "true" or "false", which Terraform converts."""
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def _equal(a: Any, b: Any) -> bool:
    """Terraform's ==: equal values of the same type; 1 is not "1", nor true 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_number(a) or _is_number(b):
        return _is_number(a) and _is_number(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _unified(value: Any, other: str | None) -> Any:
    """A conditional's result in the type both branches share: `c ? "a" : 1` gives strings."""
    if other == "a string" and _describe(value) in ("a number", "a bool"):
        return _primitive_text(value)
    return value


# --- functions -------------------------------------------------------------------------------


def _merge(ev: _Evaluator, call: Call) -> Known:
    return _merged(ev, call, [ev.eval(arg) for arg in call.args])


def _merged(ev: _Evaluator, call: Call, got: list[Known]) -> Known:
    merged: dict[str, Any] = {}
    for at, item in enumerate(got):
        if item.value is None:
            continue
        if not isinstance(item.value, dict):
            ev.wrong(call, call.args[min(at, len(call.args) - 1)], "a map")
        merged.update(item.value)  # later arguments win, as in Terraform
    return _known(merged, got)


def _lookup(ev: _Evaluator, call: Call) -> Known:
    ev.arity(call, 2, 3)
    mapping, key = ev.eval(call.args[0]), ev.eval(call.args[1])
    if not isinstance(mapping.value, dict):
        ev.wrong(call, call.args[0], "a map")
    name = _primitive_text(key.value)
    if name is None:
        ev.wrong(call, call.args[1], "a string")
    if name in mapping.value:
        return _known(mapping.value[name], [mapping, key])
    if len(call.args) == 2:
        ev.stop(f"`{ev.source(call.args[0])}` has no key {_show(key)}")
    default = ev.eval(call.args[2])  # only now: an unused default does not matter
    return _known(default.value, [mapping, key, default])


def _coalesce(ev: _Evaluator, call: Call) -> Known:
    seen: list[Known] = []
    for arg in call.args:  # in order: an unknown before the first usable one decides
        seen.append(ev.eval(arg))
        if seen[-1].value is not None and seen[-1].value != "":
            return _known(seen[-1].value, seen)
    ev.stop(f"every argument of `{ev.source(call)}` is null or empty")


def _single(ev: _Evaluator, call: Call) -> Known:
    ev.arity(call, 1)
    return ev.eval(call.args[0])


def _tomap(ev: _Evaluator, call: Call) -> Known:
    got = _single(ev, call)
    if got.value is None:
        return got
    if not isinstance(got.value, dict):
        ev.wrong(call, call.args[0], "a map")
    values = _unify(list(got.value.values()))
    if values is None:
        ev.stop(f"`{ev.source(call)}` mixes values Terraform cannot convert to one type")
    return Known(dict(zip(got.value, values, strict=True)), got.steps, got.sensitive)


def _tolist(ev: _Evaluator, call: Call) -> Known:
    got = _single(ev, call)
    if got.value is None:
        return got
    if not isinstance(got.value, list):
        ev.wrong(call, call.args[0], "a list")
    values = _unify(got.value)
    if values is None:
        ev.stop(f"`{ev.source(call)}` mixes values Terraform cannot convert to one type")
    return Known(values, got.steps, got.sensitive)


def _tostring(ev: _Evaluator, call: Call) -> Known:
    got = _single(ev, call)
    if got.value is None:
        return got
    text = _primitive_text(got.value)
    if text is None:
        ev.wrong(call, call.args[0], "a string, number or bool")
    return Known(text, got.steps, got.sensitive)


def _case(upper: bool) -> Callable[[_Evaluator, Call], Known]:
    def convert(ev: _Evaluator, call: Call) -> Known:
        got = _single(ev, call)
        text = _primitive_text(got.value)
        if text is None:
            ev.wrong(call, call.args[0], "a string")
        return Known(_simple_case(text, upper), got.steps, got.sensitive)

    return convert


def _concat(ev: _Evaluator, call: Call) -> Known:
    return _concatenated(ev, call, [ev.eval(arg) for arg in call.args])


def _concatenated(ev: _Evaluator, call: Call, got: list[Known]) -> Known:
    joined: list[Any] = []
    for at, item in enumerate(got):
        if not isinstance(item.value, list):
            ev.wrong(call, call.args[min(at, len(call.args) - 1)], "a list")
        joined.extend(item.value)
        if len(joined) > MAX_ITEMS:
            ev.unknown(f"`{ev.source(call)}` makes over {MAX_ITEMS} elements")
    return _known(joined, got)


def _try(ev: _Evaluator, call: Call) -> Known:
    """The first argument that evaluates without an error. An argument not known here (after
    apply, no value) makes the result unknown: Terraform's try() catches errors, not
    unknowns, so a later argument is not the answer."""
    if not call.args:
        ev.arity(call, 1)
    for arg in call.args:
        try:
            return ev.eval(arg)
        except _Stop as stop:
            if not stop.error:
                raise
    ev.stop(f"no argument of `{ev.source(call)}` evaluates without an error")


def _can(ev: _Evaluator, call: Call) -> Known:
    ev.arity(call, 1)
    try:
        got = ev.eval(call.args[0])
    except _Stop as stop:
        if not stop.error:
            raise
        return Known(False)
    return Known(True, got.steps, got.sensitive)


def _formatlist(ev: _Evaluator, call: Call) -> Known:
    if not call.args:
        ev.arity(call, 1)
    got = [ev.eval(arg) for arg in call.args]
    if not isinstance(got[0].value, str):
        ev.wrong(call, call.args[0], "a string")
    lengths = {len(item.value) for item in got[1:] if isinstance(item.value, list)}
    if len(lengths) > 1:
        ev.stop(f"`{ev.source(call)}` gets lists of different lengths")
    count = lengths.pop() if lengths else 1
    lines: list[str] = []
    for turn in range(count):
        values = [
            item.value[turn] if isinstance(item.value, list) else item.value for item in got[1:]
        ]
        text, problem = _formatted(got[0].value, values)
        if problem:
            ev.stop(f"`{ev.source(call)}` {problem}")
        lines.append(text)
    return _known(lines, got)


def _yamldecode(ev: _Evaluator, call: Call) -> Known:
    got = _single(ev, call)
    if not isinstance(got.value, str):
        ev.wrong(call, call.args[0], "a string")
    value, problem = yaml_value(got.value)
    if problem:
        ev.stop(f"`{ev.source(call)}` {problem}")
    return Known(value, got.steps, got.sensitive)


def _path_argument(ev: _Evaluator, call: Call) -> tuple[Known, FileAccess]:
    got = ev.eval(call.args[0])
    if not isinstance(got.value, str):
        ev.wrong(call, call.args[0], "a string")
    if ev.files is None:
        ev.unknown(f"`{ev.source(call)}` reads a file, which lintsov does not read here")
    return got, ev.files


def _file(ev: _Evaluator, call: Call) -> Known:
    ev.arity(call, 1)
    got, files = _path_argument(ev, call)
    try:
        text = files.read(got.value)
    except FileRefused as refused:
        ev.unknown(f"`{ev.source(call)}` is not read: {refused}")
    return Known(text, (*got.steps, f"file {got.value}"), got.sensitive)


def _fileexists(ev: _Evaluator, call: Call) -> Known:
    ev.arity(call, 1)
    got, files = _path_argument(ev, call)
    try:
        found = files.exists(got.value)
    except FileRefused as refused:
        ev.unknown(f"`{ev.source(call)}` is not read: {refused}")
    state = "exists" if found else "is absent"
    return Known(found, (*got.steps, f"file {got.value} {state}"), got.sensitive)


def _templatefile(ev: _Evaluator, call: Call) -> Known:
    """The template rendered with only `vars` in scope, as Terraform does."""
    ev.arity(call, 2)
    got, files = _path_argument(ev, call)
    variables = ev.eval(call.args[1])
    if not isinstance(variables.value, dict):
        ev.wrong(call, call.args[1], "a map")
    try:
        text = files.read(got.value)
    except FileRefused as refused:
        ev.unknown(f"`{ev.source(call)}` is not read: {refused}")
    where = f"template {got.value}"
    try:
        wire = template_text(text, lambda offset: offset)
    except SyntaxProblem as problem:
        ev.stop(f"`{ev.source(call)}`: the template is not valid at offset {problem.offset}")
    names = {
        name: Known(value, variables.steps, variables.sensitive)
        for name, value in variables.value.items()
    }
    inner = _Evaluator(_template_scope(where), where, text, files)
    inner.bound = names
    rendered = inner.eval(decode(wire))
    value = rendered.value
    if not isinstance(value, str):
        value = _primitive_text(value)
        if value is None:
            ev.stop(f"`{ev.source(call)}` renders {_describe(rendered.value)}, not a string")
    return _known(value, [got, variables, Known(value, (f"rendered {where}",))])


def _template_scope(where: str) -> Lookup:
    def nothing(traversal: tuple[str | int, ...]) -> Attr:
        name = ".".join(str(part) for part in traversal)
        return Unknown(f"{where}: {name} is not among the variables templatefile() passes")

    return nothing


def yaml_value(text: str) -> tuple[Any, str]:
    """yamldecode(): (value, "") or (None, what lintsov refuses). Terraform reads one
    document of plain YAML: tags, anchors and several documents are refused here, since
    PyYAML reads them otherwise than Terraform's YAML library."""
    if len(text) > MAX_TEXT:
        return None, f"gets over {MAX_TEXT} characters of YAML"
    try:
        events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as error:
        return None, f"gets text that is not YAML ({type(error).__name__})"
    documents = sum(isinstance(event, yaml.DocumentStartEvent) for event in events)
    if documents > 1:
        return None, "gets several YAML documents"
    for event in events:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return None, "uses YAML anchors or aliases, which lintsov does not read"
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in ("!",) and not getattr(event, "implicit", (True,))[0]:
            return None, f"uses the YAML tag {tag}, which lintsov does not read"
    try:
        value = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError) as error:
        return None, f"gets text that is not YAML ({type(error).__name__})"
    if not _plain(value, 0):
        return None, "gets YAML with values Terraform reads otherwise (dates, binary, keys)"
    return value, ""


def _plain(value: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v, depth + 1) for v in value)
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return value is None or isinstance(value, (str, int, float, bool))


def _format(ev: _Evaluator, call: Call) -> Known:
    if not call.args:
        ev.arity(call, 1)
    got = [ev.eval(arg) for arg in call.args]
    if not isinstance(got[0].value, str):
        ev.wrong(call, call.args[0], "a string")
    text, problem = _formatted(got[0].value, [item.value for item in got[1:]])
    if problem:
        ev.stop(f"`{ev.source(call)}` {problem}")
    return _known(text, got)


def _formatted(spec: str, values: list[Any]) -> tuple[str, str]:
    """format() with %s, %d and %%: (text, "") or ("", what is wrong)."""
    out: list[str] = []
    used = pos = 0
    while (percent := spec.find("%", pos)) >= 0:
        out.append(spec[pos:percent])
        verb, pos = spec[percent + 1 : percent + 2], percent + 2
        if verb == "%":
            out.append("%")
            continue
        if verb not in ("s", "d"):
            return "", f"uses %{verb}, which lintsov does not evaluate"
        if used >= len(values):
            return "", "has more verbs than arguments"
        piece = _verb_text(verb, values[used])
        if piece is None:
            return "", f"gives %{verb} {_describe(values[used])}"
        out.append(piece)
        used += 1
    if used < len(values):
        return "", "has more arguments than verbs"
    return "".join(out) + spec[pos:], ""


def _verb_text(verb: str, value: Any) -> str | None:
    if verb == "s":
        return _primitive_text(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    digits = value.removeprefix("-") if isinstance(value, str) else ""
    # %d takes a string of digits too: Terraform converts it to a number first.
    return str(int(value)) if digits.isascii() and digits.isdigit() else None


_FUNCTIONS: dict[str, Callable[[_Evaluator, Call], Known]] = {
    "merge": _merge,
    "lookup": _lookup,
    "coalesce": _coalesce,
    "tomap": _tomap,
    "tolist": _tolist,
    "tostring": _tostring,
    "lower": _case(upper=False),
    "upper": _case(upper=True),
    "concat": _concat,
    "format": _format,
    "formatlist": _formatlist,
    "try": _try,
    "can": _can,
    "yamldecode": _yamldecode,
    "file": _file,
    "fileexists": _fileexists,
    "templatefile": _templatefile,
}

# Functions of the evaluator whose arguments may come from a list expanded with `...`.
_SPREADABLE: dict[str, Callable[[_Evaluator, Call, list[Known]], Known]] = {
    "merge": _merged,
    "concat": _concatenated,
}


# --- entry points ----------------------------------------------------------------------------


def _finish(got: Known, node: Node, text: str, where: str) -> Known:
    """The steps a caller sees: a reference's own, `constant in ...` for a constant, else the
    expression as written (trimmed by `_short`) and then the steps of every reference it
    used."""
    if _is_reference(node):
        return got
    if not got.steps:
        return Known(got.value, (f"constant in {where}",), got.sensitive)
    label = _short(text[node.start : node.end])
    return Known(got.value, (f"{label} in {where}", *got.steps), got.sensitive)


def evaluate(
    expression: Expression, lookup: Lookup, where: str, files: FileAccess | None = None
) -> Attr:
    """Evaluate an expression in `where` (e.g. "provider aws.us region (main.tf:3)" or
    "resource aws_s3_bucket.b tags"); `files` lets file() and templatefile() read inside the
    repository; never raises."""
    try:
        node = expression.node
    except RecursionError:
        return Unknown(f"{where} is nested too deeply for lintsov (over {MAX_DEPTH} levels)")
    return evaluate_node(node, expression.source, lookup, where, files)


def evaluate_node(
    node: Node, source: str, lookup: Lookup, where: str, files: FileAccess | None = None
) -> Attr:
    """Evaluate one node of an expression whose text is `source` (a default inside a
    variable's type, which is no attribute of its own); never raises."""
    try:
        got = _Evaluator(lookup, where, source, files).eval(node)
        return _finish(got, node, source, where)
    except _Stop as stop:
        return stop.unknown
    except RecursionError:
        return Unknown(f"{where} is nested too deeply for lintsov (over {MAX_DEPTH} levels)")
    except Exception as error:  # never raises: a value lintsov cannot read is Unknown
        return Unknown(f"cannot read {where}: {type(error).__name__}: {error}")


def static_value(expression: Expression) -> Any:
    """The value of an expression that references nothing (a module's `source`, a provider's
    `alias`, required_providers), or None."""
    node = expression.node
    if isinstance(node, Lit):
        return node.value
    got = evaluate(expression, nothing, "")
    return got.value if isinstance(got, Known) else None


def nothing(traversal: tuple[str | int, ...]) -> Attr:
    """The lookup of a context where no reference is allowed."""
    return Unknown("a reference")


_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*")


def traversal_text(node: Node) -> str | None:
    """`aws.eu` for a traversal of names only (a provider reference, a providers map key),
    or for the same text as a string (how Terraform's JSON syntax writes them); else None."""
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Chain) and isinstance(node.base, Var):
        names = [node.base.name]
        for step in node.steps:
            if not isinstance(step, GetAttr):
                return None
            names.append(step.name)
        return ".".join(names)
    if isinstance(node, Lit) and isinstance(node.value, str) and _NAMES.fullmatch(node.value):
        return node.value
    return None


# --- references ------------------------------------------------------------------------------
# As Terraform's plan JSON writes them (command/jsonconfig marshalExpression): for each
# traversal, the address with all its remaining steps, then one step fewer, down to the
# referenced object, then the object without its instance key.

_Part = tuple[str, str | int]  # (".", "name") or ("[", key)
_NOTHING_BOUND: frozenset[str] = frozenset()


def references(expression: Expression) -> tuple[str, ...]:
    """Every reference the expression makes, as Terraform's plan JSON writes them, in order
    of appearance and de-duplicated; never raises; empty for literals."""
    found: dict[str, None] = {}
    with contextlib.suppress(Exception):  # never raises: keeps what was found until then
        _node_references(expression.node, _NOTHING_BOUND, found)
    return tuple(found)


def _node_references(node: Node, bound: frozenset[str], found: dict[str, None]) -> None:
    """Walk in source order; `bound` holds the names a for expression or directive binds."""
    if isinstance(node, (Var, Chain)):
        _chain_references(node, bound, found)
    elif isinstance(node, Object):
        for key, value in node.items:
            _node_references(key, bound, found)
            _node_references(value, bound, found)
    elif isinstance(node, Template):
        for part in node.parts:
            if isinstance(part, Node):
                _node_references(part, bound, found)
            if isinstance(part, Directive):
                bound = bound | set(part.binds)
    elif isinstance(node, For):
        _node_references(node.collection, bound, found)
        inner = bound | set(node.binds)
        for child in (node.key, node.value, node.condition):
            if child is not None:
                _node_references(child, inner, found)
    else:
        for child in _children(node):
            _node_references(child, bound, found)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Tuple):
        return node.items
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Conditional):
        return (node.condition, node.then, node.other)
    if isinstance(node, Directive):
        return node.exprs
    return ()  # literals


def _chain_references(node: Var | Chain, bound: frozenset[str], found: dict[str, None]) -> None:
    base, steps = (node, ()) if isinstance(node, Var) else (node.base, node.steps)
    if not isinstance(base, Var):
        _node_references(base, bound, found)
    elif base.name not in bound:
        for address in _addresses(base.name, _static_parts(steps)):
            found.setdefault(address)
    for step in steps:
        if isinstance(step, Index):
            _node_references(step.key, bound, found)


def _static_parts(steps: Sequence[Node]) -> list[_Part]:
    """The steps HCL keeps in a traversal: attributes and literal keys, up to a splat or a
    computed index."""
    parts: list[_Part] = []
    for step in steps:
        if isinstance(step, GetAttr):
            parts.append((".", step.name))
        elif isinstance(step, Index) and isinstance(step.key, Lit):
            key = step.key.value
            if not isinstance(key, str) and _as_index(key) is None:
                break
            parts.append(("[", key if isinstance(key, str) else int(key)))
        else:
            break
    return parts


def _parts_text(parts: Sequence[_Part]) -> str:
    return "".join(
        f".{key}"
        if kind == "."
        else f"[{json.dumps(key, ensure_ascii=False) if isinstance(key, str) else key}]"
        for kind, key in parts
    )


def _addresses(root: str, parts: list[_Part]) -> list[str]:
    shape = _subject(root, parts)
    if shape is None:
        return []  # a bare name: a for variable, or not a reference at all
    subject, remaining, extras = shape
    longer = [subject + _parts_text(remaining[:n]) for n in range(len(remaining), 0, -1)]
    return [*longer, subject, *extras]


def _attributes(parts: list[_Part], count: int) -> bool:
    return len(parts) >= count and all(kind == "." for kind, _ in parts[:count])


def _subject(root: str, parts: list[_Part]) -> tuple[str, list[_Part], list[str]] | None:
    """(referenced object, steps after it, shorter addresses Terraform adds)."""
    if root == "self":
        return "self", parts, []
    if root in _SCOPED_ROOTS:
        return (f"{root}.{parts[0][1]}", parts[1:], []) if _attributes(parts, 1) else None
    if root in ("data", "ephemeral"):
        if not _attributes(parts, 2):
            return None
        return _instance(f"{root}.{parts[0][1]}.{parts[1][1]}", parts[2:])
    if not _attributes(parts, 1):
        return None
    if root != "module":
        return _instance(f"{root}.{parts[0][1]}", parts[1:])
    call = f"module.{parts[0][1]}"
    subject, rest, extras = _instance(call, parts[1:])
    if rest and rest[0][0] == ".":  # an output: Terraform adds the call, without its key
        return f"{subject}.{rest[0][1]}", rest[1:], [call]
    return subject, rest, extras


def _instance(address: str, rest: list[_Part]) -> tuple[str, list[_Part], list[str]]:
    if rest and rest[0][0] == "[":
        return address + _parts_text(rest[:1]), rest[1:], [address]
    return address, rest, []
