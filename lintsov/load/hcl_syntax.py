"""lintsov's syntax tree of HCL expressions, and the plain-list form it travels in.

Every node keeps its span (start and end offsets) in the text it was read from, so that a
reason or a step can quote the expression as written. The tree is built from python-hcl2's
parse tree (lintsov.load.hcl_parse) or from Terraform's JSON syntax (lintsov.load.hcl_json),
first as nested lists ("wire" form: JSON for the parse cache, cheap to pickle between
processes), and turned into nodes only for the attributes that are evaluated: lintsov reads
a few attributes of the dozens a block may set.

Nodes never change once made: their fields are Final, so mypy refuses any assignment, which
costs nothing when thousands are made, where frozen=True would triple the cost of each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

# Expressions nested deeper than this are refused when a file is read, so that nothing
# downstream recurses without bound; Terraform configurations nest a few levels.
MAX_DEPTH = 100

Wire = list[Any]


@dataclass(slots=True)
class Node:
    start: Final[int]
    end: Final[int]


@dataclass(slots=True)
class Lit(Node):
    """A number, bool, null or string with nothing to evaluate."""

    value: Final[Any]


@dataclass(slots=True)
class Var(Node):
    """A bare name: the root of a reference (`var`, `local`, a resource type) or a name a
    for expression binds."""

    name: Final[str]


@dataclass(slots=True)
class GetAttr(Node):
    """`.name`, a step of a Chain."""

    name: Final[str]


@dataclass(slots=True)
class Index(Node):
    """`[key]` or the legacy `.0`, a step of a Chain."""

    key: Final[Node]


@dataclass(slots=True)
class Splat(Node):
    """`[*]` (full) or `.*`, a step of a Chain; the steps after it apply to each element."""

    full: Final[bool]


@dataclass(slots=True)
class Chain(Node):
    """A term and its steps, flat so that long traversals stay shallow."""

    base: Final[Node]
    steps: Final[tuple[Node, ...]]


@dataclass(slots=True)
class Directive(Node):
    """`%{ if x }`, `%{ else }`, `%{ endif }`, `%{ for k, v in x }`, `%{ endfor }`."""

    word: Final[str]
    exprs: Final[tuple[Node, ...]]
    binds: Final[tuple[str, ...]]


@dataclass(slots=True)
class Template(Node):
    """Literal text and interpolated expressions, in order."""

    parts: Final[tuple[str | Node, ...]]


@dataclass(slots=True)
class Tuple(Node):
    items: Final[tuple[Node, ...]]


@dataclass(slots=True)
class Object(Node):
    """Key and value pairs; a bare name as key is already its literal text."""

    items: Final[tuple[tuple[Node, Node], ...]]


@dataclass(slots=True)
class Call(Node):
    name: Final[str]
    args: Final[tuple[Node, ...]]
    expand: Final[bool]


@dataclass(slots=True)
class For(Node):
    """`[for k, v in coll : value if cond]` or `{for ... : key => value... if cond}`."""

    binds: Final[tuple[str, ...]]
    collection: Final[Node]
    key: Final[Node | None]
    value: Final[Node]
    condition: Final[Node | None]
    grouped: Final[bool]


@dataclass(slots=True)
class Unary(Node):
    op: Final[str]
    operand: Final[Node]


@dataclass(slots=True)
class Binary(Node):
    op: Final[str]
    left: Final[Node]
    right: Final[Node]


@dataclass(slots=True)
class Conditional(Node):
    condition: Final[Node]
    then: Final[Node]
    other: Final[Node]


class Expression:
    """One expression as written: its tree, and the text its offsets index (a whole file).

    The tree is kept as wire, or as that wire in JSON text (a tenth of its size in memory),
    and made into nodes each time it is read: an attribute is evaluated once, and most are
    never read; keeping their nodes would cost more memory than making them costs time."""

    __slots__ = ("_wire", "source")

    def __init__(self, wire: Wire | str, source: str) -> None:
        self._wire = wire
        self.source = source

    @property
    def node(self) -> Node:
        wire = self._wire
        return decode(json.loads(wire) if isinstance(wire, str) else wire)

    def text(self, node: Node | None = None) -> str:
        """The source of a node of this expression (the whole expression by default)."""
        node = node or self.node
        return self.source[node.start : node.end]

    def __repr__(self) -> str:
        return f"Expression({self.text()!r})"


def literal(value: Any, start: int = 0, end: int = 0) -> Wire:
    return ["l", start, end, value]


# --- the wire form -------------------------------------------------------------------------
# [tag, start, end, fields...]; template parts are strings (literal text) or wire nodes.


def decode(wire: Wire) -> Node:
    return _DECODE[wire[0]](wire)


def _nodes(wires: list[Wire]) -> tuple[Node, ...]:
    return tuple(_DECODE[w[0]](w) for w in wires)


def _optional(wire: Wire | None) -> Node | None:
    return None if wire is None else decode(wire)


_DECODE: dict[str, Callable[[Wire], Node]] = {
    "l": lambda w: Lit(w[1], w[2], w[3]),
    "v": lambda w: Var(w[1], w[2], w[3]),
    ".": lambda w: GetAttr(w[1], w[2], w[3]),
    "[": lambda w: Index(w[1], w[2], decode(w[3])),
    "*": lambda w: Splat(w[1], w[2], w[3]),
    "c": lambda w: Chain(w[1], w[2], decode(w[3]), _nodes(w[4])),
    "%": lambda w: Directive(w[1], w[2], w[3], _nodes(w[4]), tuple(w[5])),
    "t": lambda w: Template(
        w[1], w[2], tuple(p if isinstance(p, str) else decode(p) for p in w[3])
    ),
    "u": lambda w: Tuple(w[1], w[2], _nodes(w[3])),
    "o": lambda w: Object(w[1], w[2], tuple((decode(k), decode(v)) for k, v in w[3])),
    "f": lambda w: Call(w[1], w[2], w[3], _nodes(w[4]), w[5]),
    "for": lambda w: For(
        w[1], w[2], tuple(w[3]), decode(w[4]), _optional(w[5]), decode(w[6]), _optional(w[7]), w[8]
    ),
    "!": lambda w: Unary(w[1], w[2], w[3], decode(w[4])),
    "b": lambda w: Binary(w[1], w[2], w[3], decode(w[4]), decode(w[5])),
    "?": lambda w: Conditional(w[1], w[2], decode(w[3]), decode(w[4]), decode(w[5])),
}


def shifted(wire: Wire, place: Callable[[int], int]) -> Wire:
    """The same tree with every offset moved by `place`: for a template read from other text
    than the file's (a heredoc's body, a JSON string), to point into the file."""
    tag = wire[0]
    out: Wire = [tag, place(wire[1]), place(wire[2]), *wire[3:]]
    for index in _NODE_FIELDS.get(tag, ()):
        out[index] = None if wire[index] is None else shifted(wire[index], place)
    for index in _NODE_LIST_FIELDS.get(tag, ()):
        out[index] = [shifted(item, place) for item in wire[index]]
    if tag == "o":
        out[3] = [[shifted(k, place), shifted(v, place)] for k, v in wire[3]]
    elif tag == "t":
        out[3] = [p if isinstance(p, str) else shifted(p, place) for p in wire[3]]
    return out


# Which fields of each wire node hold a node (or None), and which a list of nodes.
_NODE_FIELDS: dict[str, tuple[int, ...]] = {
    "[": (3,),
    "c": (3,),
    "for": (4, 5, 6, 7),
    "!": (4,),
    "b": (4, 5),
    "?": (3, 4, 5),
}
_NODE_LIST_FIELDS: dict[str, tuple[int, ...]] = {"c": (4,), "%": (4,), "u": (3,), "f": (4,)}
