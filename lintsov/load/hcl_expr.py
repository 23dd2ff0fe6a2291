"""Attribute values as python-hcl2 7.3.1 returns them: evaluated where lintsov can, and the
addresses they reference.

python-hcl2 gives literals as Python values and every other expression as a string in
``${...}`` form that it re-serialised itself. That text is HCL with python-hcl2's accents:

- an object literal inside an expression comes back as JSON (``{"k": "v"}``), or as Python's
  ``repr`` (``{'k': True}``, ``['a', '${var.x}']``) where python-hcl2 formats it with an
  f-string (conditionals, index expressions, interpolations);
- a list inside a function call or an operator loses the quotes of its strings and wraps its
  other elements in ``${}``: ``concat(["a"], [var.b])`` becomes ``concat([a], [${var.b}])``;
- a template's escapes were processed once already (backslashes included), so a top-level
  string is taken as it is, and a heredoc comes back without its final newline.

A small hand-written parser reads that dialect (no eval, regular expressions only for tokens,
none of which backtracks beyond linear time, a bound on nesting), the evaluator follows the
few functions lintsov needs to find a region or a tag, and everything else is ``Unknown``
with the reason. Nothing here raises.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Final, NoReturn

from lintsov.stack import Attr, Known, Unknown

Lookup = Callable[[tuple[str | int, ...]], Attr]

MAX_DEPTH = 100
_TEXT_LIMIT = 80
# Roots whose first attribute names one value (var.region, each.key); later steps index into
# it here. Every other root (module, data, a resource type) goes whole to the lookup.
_SCOPED_ROOTS = frozenset({"var", "local", "count", "each", "terraform", "path", "self"})
# True/False/None: python-hcl2 formats some lists and maps with Python's repr.
_KEYWORDS: dict[str, Any] = {
    "true": True,
    "false": False,
    "null": None,
    "True": True,
    "False": False,
    "None": None,
}
# Longest first, so "<=" is not read as "<".
_OPERATOR = re.compile(r"\|\||&&|==|!=|<=|>=|[<>+\-*/%]")
_OPERATOR_START = frozenset("|&=!<>+-*/%")
_DIGITS = "0123456789"
_DIGIT_RUN = re.compile(r"[0-9]*")
_WHITESPACE = frozenset(" \t\r\n")
_WS_RUN = re.compile(r"[ \t\r\n]*")
# After a name's first character (alphabetic or "_"): for str patterns \w is exactly
# str.isalnum() or "_", so this is _ident_char.
_NAME_REST = re.compile(r"[\w-]*")
# Shortcuts for the most common expressions: `var.name_prefix` or `local.tags` (ASCII names
# and attribute steps; each repetition starts with a dot no other part matches: linear), as
# an expression or interpolated, and a JSON object key ("Name":).
_ASCII_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_SIMPLE_TRAVERSAL = re.compile(rf"({_ASCII_NAME})((?:\.{_ASCII_NAME})*)[ \t\r\n]*")
_SIMPLE_INTERPOLATION = re.compile(rf"\$\{{({_ASCII_NAME})((?:\.{_ASCII_NAME})*)\}}")
_JSON_KEY = re.compile(r'"([^$%\\"]*)"[ \t\r\n]*:')
# What may follow a whole expression; ":" and "=" too unless doubled ("::", "=="). Anything
# else (`(`, `[`, an operator, `?`) may continue it.
_ENDS = frozenset("}),]")
_ENDS_UNLESS_DOUBLED = frozenset(":=")
_HEX = "0123456789abcdefABCDEF"
# Escapes of HCL (and JSON, which python-hcl2 writes maps in) for "...", of Python's repr for
# '...'. No \b, \f or \/: python-hcl2 has already unescaped a template's nested strings once,
# so "a\\b" reaches here as "a\b", which must fail to parse, not become a backspace.
_ESCAPES: dict[str, dict[str, str]] = {
    '"': {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"},
    "'": {"n": "\n", "r": "\r", "t": "\t", "'": "'", "\\": "\\"},
}
# \u and \U in both; \x only in Python's repr.
_HEX_WIDTHS: dict[str, dict[str, int]] = {'"': {"u": 4, "U": 8}, "'": {"x": 2, "u": 4, "U": 8}}
# Where plain template text may end. One character class: linear, nothing to backtrack.
_SPECIAL: dict[str | None, re.Pattern[str]] = {
    None: re.compile(r"[$%]"),
    '"': re.compile(r'[$%\\"]'),
    "'": re.compile(r"[$%\\']"),
}


# --- syntax tree -----------------------------------------------------------------------------
# Every node keeps its span in the text it was parsed from, to quote it in reasons. Nodes never
# change once made (the parse cache shares them): their fields are Final, so mypy refuses any
# assignment, which costs nothing when the parser makes thousands of them, where frozen=True
# would triple the cost of each.


@dataclass(slots=True)
class _Node:
    start: Final[int]
    end: Final[int]


@dataclass(slots=True)
class _Lit(_Node):
    value: Final[Any]


@dataclass(slots=True)
class _Var(_Node):
    name: Final[str]


@dataclass(slots=True)
class _GetAttr(_Node):
    name: Final[str]


@dataclass(slots=True)
class _Index(_Node):
    key: Final[_Node]


@dataclass(slots=True)
class _Splat(_Node):
    pass


@dataclass(slots=True)
class _Chain(_Node):
    """A term and its steps (``.a``, ``[0]``, ``[*]``), flat so long chains stay shallow."""

    base: Final[_Node]
    steps: Final[tuple[_Node, ...]]


@dataclass(slots=True)
class _Wrapped(_Node):
    """``${expr}`` used as a term: how python-hcl2 writes a list element that is not literal."""

    inner: Final[_Node]


@dataclass(slots=True)
class _Directive(_Node):
    """``%{ if x }``, ``%{ for k in x }``, ``%{ endif }``: kept only for its references."""

    exprs: Final[tuple[_Node, ...]]
    binds: Final[tuple[str, ...]]


@dataclass(slots=True)
class _Template(_Node):
    parts: Final[tuple[str | _Node, ...]]


@dataclass(slots=True)
class _Tuple(_Node):
    items: Final[tuple[_Node, ...]]


@dataclass(slots=True)
class _Object(_Node):
    items: Final[tuple[tuple[_Node, _Node], ...]]


@dataclass(slots=True)
class _Call(_Node):
    name: Final[str]
    args: Final[tuple[_Node, ...]]
    expand: Final[bool]


@dataclass(slots=True)
class _For(_Node):
    binds: Final[tuple[str, ...]]
    collection: Final[_Node]
    body: Final[tuple[_Node, ...]]


@dataclass(slots=True)
class _Op(_Node):
    """Operators and conditionals: never evaluated, so precedence does not matter and the
    operands are kept flat."""

    operands: Final[tuple[_Node, ...]]


@dataclass(slots=True)
class _Dequoted(_Node):
    """A list element whose quotes python-hcl2 dropped: its text no longer says what it was."""


# --- parser ----------------------------------------------------------------------------------


class _ParseError(Exception):
    pass


class _TooDeep(Exception):
    pass


def _ident_start(char: str) -> bool:
    return char.isalpha() or char == "_"


def _ident_char(char: str) -> bool:
    # HCL identifiers may contain dashes: `eu-west-1` is one name, `a - 1` a subtraction.
    return char.isalnum() or char in "_-"


def _is_digit(char: str) -> bool:
    return char != "" and char in _DIGITS


def _run_end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where the run `pattern` matches at `pos` ends (the pattern may match nothing)."""
    found = pattern.match(text, pos)
    return found.end() if found else pos


def _skip_ws(text: str, pos: int) -> int:
    """Past any whitespace at `pos`."""
    return _run_end(_WS_RUN, text, pos) if text[pos : pos + 1] in _WHITESPACE else pos


def _digits_end(text: str, pos: int) -> int:
    return _run_end(_DIGIT_RUN, text, pos)


class _Parser:
    """Recursive descent over one string python-hcl2 gave; each nesting level costs a few
    Python frames, so MAX_DEPTH levels stay well inside the interpreter's limit.

    Every `expression()` ends after the whitespace that follows it, and most checks look at
    one character before trying a token or a regular expression: this runs once for every
    distinct string in a configuration, thousands of them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0
        # What `_simple` found at (position, depth): a node and where it ends, or None.
        self.simple: dict[tuple[int, int], tuple[_Node, int] | None] = {}

    def parse(self) -> _Node:
        """The whole string is a template: text, ``${}`` interpolations and ``%{}``."""
        whole = self._whole_interpolation()
        return whole if whole is not None else self._template(None, 0)

    # characters

    def _fail(self, what: str) -> NoReturn:
        raise _ParseError(f"{what} at character {self.pos + 1} of `{_short(self.text)}`")

    def _descend(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep

    def _ws(self) -> int:
        pos = self.pos
        if self.text[pos : pos + 1] in _WHITESPACE:  # "" is not in the set
            pos = self.pos = _run_end(_WS_RUN, self.text, pos)
        return pos

    def _char(self) -> str:
        """The character after any whitespace, or "" at the end."""
        text, pos = self.text, self.pos
        char = text[pos : pos + 1]
        if char in _WHITESPACE:
            pos = self.pos = _run_end(_WS_RUN, text, pos)
            char = text[pos : pos + 1]
        return char

    def _at(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def _expect(self, token: str) -> None:
        self._ws()
        if not self._at(token):
            self._fail(f"expected {token!r}")
        self.pos += len(token)

    def _name(self) -> str:
        text, start = self.text, self._ws()
        if start >= len(text) or not _ident_start(text[start]):
            self._fail("expected a name")
        self.pos = _run_end(_NAME_REST, text, start + 1)
        return text[start : self.pos]

    def _keyword(self, word: str) -> bool:
        """Consume `word` if it comes next as a whole word."""
        self._ws()
        end = self.pos + len(word)
        if self._at(word) and (end >= len(self.text) or not _ident_char(self.text[end])):
            self.pos = end
            return True
        return False

    def _assigns(self) -> bool:
        """Whether `:` or `=` (not `==` or `=>`) comes next, after whitespace."""
        pos = self._ws()
        char = self.text[pos : pos + 1]
        return char == ":" or (char == "=" and self.text[pos + 1 : pos + 2] not in ("=", ">"))

    # expressions

    def expression(self) -> _Node:
        self._descend()
        start = self._ws()
        simple = self._simple_operand(start)
        if simple is not None:
            self.depth -= 1
            return simple
        operands = [self._operand()]
        while self._operator():
            operands.append(self._operand())
        node = operands[0] if len(operands) == 1 else _Op(start, operands[-1].end, tuple(operands))
        if self._char() == "?":
            self.pos += 1
            then = self.expression()
            self._expect(":")
            other = self.expression()
            node = _Op(start, other.end, (node, then, other))
        self.depth -= 1
        return node

    # the usual expressions, read in one go
    #
    # Most strings python-hcl2 gives are a few shapes: `${var.name_prefix}-logs-3`,
    # `${merge(local.tags, {"Name": "x"})}`, `${jsonencode({...})}`. These methods read them
    # with a regular expression per token and few calls, to exactly the nodes the general
    # methods make, and give up (None) at anything else, which the general methods then read:
    # another character, an escape, an operator, nesting near MAX_DEPTH. Each answer is kept
    # by position, so that the general methods, reading the parts of what they gave up on, do
    # not read them again: linear, however deep.

    def _simple_operand(self, start: int) -> _Node | None:
        """The whole expression at `start` if `_simple` reads it; None for anything else."""
        found = self._simple(start, self.depth)
        if found is None or not _ends_expression(self.text, found[1]):
            return None
        self.pos = found[1]
        return found[0]

    def _whole_interpolation(self) -> _Node | None:
        """`${...}` as the whole string, if `_simple` reads all of what is inside."""
        text = self.text
        if not (text.startswith("${") and text.endswith("}")):
            return None
        found = self._simple(_skip_ws(text, 2), 2)  # in the template's interpolation
        return found[0] if found is not None and found[1] == len(text) - 1 else None

    def _simple(self, pos: int, depth: int) -> tuple[_Node, int] | None:
        """The operand at `pos` of an expression at `depth` if it is a traversal of names, a
        "string" of `_simple_parts`, or a call, an object with "key": or a tuple of those; and
        where the whitespace after it ends."""
        key = (pos, depth)
        if key not in self.simple:
            self.simple[key] = self._read_simple(pos, depth)
        return self.simple[key]

    def _read_simple(self, pos: int, depth: int) -> tuple[_Node, int] | None:
        if depth + 2 > MAX_DEPTH:  # a string is a template, one level deeper, its ${} another
            return None
        text = self.text
        char = text[pos : pos + 1]
        if char == '"':
            close = text.find('"', pos + 1)
            parts = _simple_parts(text, pos + 1, close, '"')
            if parts is None:
                return None
            return _template_node(pos, close + 1, parts), _skip_ws(text, close + 1)
        if char == "{":
            return self._simple_object(pos, depth)
        if char == "[":
            return self._simple_tuple(pos, depth)
        found = _SIMPLE_TRAVERSAL.match(text, pos)
        if found is None:
            return None
        name, attributes = found.group(1, 2)
        end = found.end()
        if not attributes and text[end : end + 1] == "(":
            return self._simple_call(pos, name, end, depth)
        node = _traversal_node(pos, name, attributes)
        return None if node is None else (node, end)

    def _simple_call(
        self, start: int, name: str, paren: int, depth: int
    ) -> tuple[_Node, int] | None:
        text = self.text
        args: list[_Node] = []
        pos = _skip_ws(text, paren + 1)
        while text[pos : pos + 1] != ")":
            found = self._simple(pos, depth + 1)
            if found is None:
                return None
            node, pos = found
            args.append(node)
            if text[pos : pos + 1] == ",":
                pos = _skip_ws(text, pos + 1)
            elif text[pos : pos + 1] != ")":
                return None
        return _Call(start, pos + 1, name, tuple(args), False), _skip_ws(text, pos + 1)

    def _simple_object(self, start: int, depth: int) -> tuple[_Node, int] | None:
        text = self.text
        items: list[tuple[_Node, _Node]] = []
        pos = _skip_ws(text, start + 1)
        while text[pos : pos + 1] != "}":
            key = _JSON_KEY.match(text, pos)
            if key is None:
                return None
            found = self._simple(_skip_ws(text, key.end()), depth + 1)
            if found is None:
                return None
            items.append((_Lit(pos, key.end(1) + 1, _text(key.group(1))), found[0]))
            pos = found[1]
            if text[pos : pos + 1] == ",":
                pos = _skip_ws(text, pos + 1)
            elif text[pos : pos + 1] != "}":
                return None
        return _Object(start, pos + 1, tuple(items)), _skip_ws(text, pos + 1)

    def _simple_tuple(self, start: int, depth: int) -> tuple[_Node, int] | None:
        text = self.text
        items: list[_Node] = []
        pos = _skip_ws(text, start + 1)
        if text.startswith("for", pos):  # perhaps a for expression
            return None
        while text[pos : pos + 1] != "]":
            found = self._simple(pos, depth + 1)
            if found is None:
                return None
            items.append(_element_node(text[pos], found[0]))
            pos = found[1]
            if text[pos : pos + 1] == ",":
                pos = _skip_ws(text, pos + 1)
            elif text[pos : pos + 1] != "]":
                return None
        return _Tuple(start, pos + 1, tuple(items)), _skip_ws(text, pos + 1)

    def _operator(self) -> bool:
        if self._char() not in _OPERATOR_START:  # "" is not in the set
            return False
        found = _OPERATOR.match(self.text, self.pos)
        if found is None:
            return False
        self.pos = found.end()
        return True

    def _operand(self) -> _Node:
        start = self._ws()
        signs, minus_only = 0, True
        char = self.text[start : start + 1]
        # A loop, not recursion: `!!!!x` must not cost a frame per sign.
        while char and char in "!-":
            minus_only = minus_only and char == "-"
            signs += 1
            self.pos += 1
            char = self._char()
        node = self._postfix(self._primary())
        if not signs:
            return node
        if signs == 1 and minus_only and isinstance(node, _Lit) and _is_number(node.value):
            return _Lit(start, node.end, -node.value)
        return _Op(start, node.end, (node,))

    def _primary(self) -> _Node:
        """At a non-space character, as `_operand` leaves it."""
        text, start = self.text, self.pos
        if start >= len(text):
            self._fail("unexpected end")
        char = text[start]
        if char.isalpha() or char == "_":
            return self._word(start)
        if char in "\"'":
            self.pos += 1
            return self._template(char, start)
        if char == "{":
            return self._object(start)
        if char == "[":
            return self._tuple(start)
        if char == "$" and text.startswith("${", start):
            self.pos += 2
            inner = self.expression()
            self._expect("}")
            return _Wrapped(start, self.pos, inner)
        if char == "(":
            self.pos += 1
            inner = self.expression()
            self._expect(")")
            return inner
        if char in _DIGITS:
            return self._number(start)
        self._fail(f"unexpected {char!r}")

    def _number(self, start: int) -> _Node:
        text = self.text
        end = _digits_end(text, start)
        fraction = False
        if text.startswith(".", end) and _is_digit(text[end + 1 : end + 2]):
            end, fraction = _digits_end(text, end + 1), True
        if text[end : end + 1] in ("e", "E"):
            exponent = end + 1 + (text[end + 1 : end + 2] in ("+", "-"))
            if _is_digit(text[exponent : exponent + 1]):
                end, fraction = _digits_end(text, exponent), True
        self.pos = end
        literal = text[start:end]
        return _Lit(start, end, float(literal) if fraction else int(literal))

    def _word(self, start: int) -> _Node:
        """At a name's first character, as `_primary` found it."""
        self.pos = _run_end(_NAME_REST, self.text, start + 1)
        name = self.text[start : self.pos]
        while self._at("::"):  # provider::aws::arn_parse(...)
            self.pos += 2
            name += "::" + self._name()
        after = self.pos
        if self._char() == "(":
            return self._call(start, name)
        self.pos = after
        if "::" in name:
            self._fail("expected '('")
        if name in _KEYWORDS:
            return _Lit(start, after, _KEYWORDS[name])
        return _Var(start, after, name)

    def _call(self, start: int, name: str) -> _Node:
        self.pos += 1
        args: list[_Node] = []
        expand = False
        while self._char() != ")":
            args.append(self.expression())
            if self._at("..."):
                self.pos += 3
                expand = True
            char = self._char()
            if char == ",":
                self.pos += 1
            elif char != ")":
                self._fail("expected ',' or ')'")
        self.pos += 1
        return _Call(start, self.pos, name, tuple(args), expand)

    def _postfix(self, base: _Node) -> _Node:
        step = self._step()
        if step is None:
            return base
        steps = [step]
        while (step := self._step()) is not None:
            steps.append(step)
            if len(steps) > MAX_DEPTH:  # Terraform lists every prefix: quadratic in length
                raise _TooDeep
        return _Chain(base.start, steps[-1].end, base, tuple(steps))

    def _step(self) -> _Node | None:
        """`.name`, `.0`, `.*`, `[key]` or `[*]` right here (no whitespace before it)."""
        text, start = self.text, self.pos
        char = text[start : start + 1]
        if char == ".":
            following = text[start + 1 : start + 2]
            if following == "*":
                self.pos += 2
                return _Splat(start, self.pos)
            if _is_digit(following):
                end = _digits_end(text, start + 1)
                self.pos = end
                return _Index(start, end, _Lit(start + 1, end, int(text[start + 1 : end])))
            if _ident_start(following):
                self.pos += 1
                return _GetAttr(start, start + 1 + len(name := self._name()), name)
            return None
        if char == "[":
            self.pos += 1
            if self._char() == "*":
                self.pos += 1
                self._expect("]")
                return _Splat(start, self.pos)
            key = self.expression()
            self._expect("]")
            return _Index(start, self.pos, key)
        return None

    # collections

    def _for_next(self) -> bool:
        """Whether a `for` expression starts here (`[for x in ...`), not a name `for`."""
        saved = self.pos
        if self._char() == "f" and self._keyword("for"):
            self._ws()
            if self.pos < len(self.text) and _ident_start(self.text[self.pos]):
                return True
        self.pos = saved
        return False

    def _binds(self) -> list[str]:
        """`k, v in` of a for expression or directive."""
        binds = [self._name()]
        if self._char() == ",":
            self.pos += 1
            binds.append(self._name())
        if not self._keyword("in"):
            self._fail("expected 'in'")
        return binds

    def _for(self, start: int, close: str) -> _Node:
        binds = self._binds()
        collection = self.expression()
        self._expect(":")
        body = [self.expression()]
        if close == "}":
            self._expect("=>")
            body.append(self.expression())
            if self._at("..."):
                self.pos += 3
        if self._keyword("if"):
            body.append(self.expression())
        self._expect(close)
        return _For(start, self.pos, tuple(binds), collection, tuple(body))

    def _tuple(self, start: int) -> _Node:
        self.pos += 1
        if self._for_next():
            return self._for(start, "]")
        items: list[_Node] = []
        while self._char() != "]":
            items.append(self._element())
            char = self._char()
            if char == ",":
                self.pos += 1
            elif char != "]":
                self._fail("expected ',' or ']'")
        self.pos += 1
        return _Tuple(start, self.pos, tuple(items))

    def _element(self) -> _Node:
        start = self._ws()
        return _element_node(self.text[start : start + 1], self.expression())

    def _object(self, start: int) -> _Node:
        self.pos += 1
        if self._for_next():
            return self._for(start, "}")
        items: list[tuple[_Node, _Node]] = []
        while self._char() != "}":
            key = self._object_key()
            self._assignment()
            items.append((key, self.expression()))
            if self._char() == ",":  # optional: HCL also separates with newlines
                self.pos += 1
        self.pos += 1
        return _Object(start, self.pos, tuple(items))

    def _object_key(self) -> _Node:
        start = self._ws()
        if start < len(self.text) and _ident_start(self.text[start]):
            name = self._name()
            after = self.pos
            if self._assigns():
                self.pos = after
                return _Lit(start, after, name)  # a bare name is the key itself
            self.pos = start
        return self.expression()

    def _assignment(self) -> None:
        if not self._assigns():
            self._fail("expected '=' or ':'")
        self.pos += 1

    # templates

    def _template(self, quote: str | None, start: int) -> _Node:
        """Text up to `quote` (or the end); escapes only inside quotes, since python-hcl2
        already processed those of a top-level string."""
        self._descend()
        text, special = self.text, _SPECIAL[quote]
        # The usual one first: text and `${name.a.b}`, up to the first quote.
        end = len(text) if quote is None else text.find(quote, self.pos)
        simple = _simple_parts(text, self.pos, end, quote) if self.depth < MAX_DEPTH else None
        if simple is not None:
            self.pos = end if quote is None else end + 1
            self.depth -= 1
            return _template_node(start, self.pos, simple)
        parts: list[str | _Node] = []
        run: list[str] = []
        while True:
            # Plain text: jump to the next character that may matter.
            found = special.search(text, self.pos)
            pos = found.start() if found else len(text)
            run.append(text[self.pos : pos])
            self.pos = pos
            if pos >= len(text):
                if quote is None:
                    break
                self._fail("unterminated string")
            char = text[pos]
            if char == quote:
                self.pos += 1
                break
            following = text[pos + 1 : pos + 2]
            if char == "\\" and quote is not None:  # a top-level string has none left
                run.append(self._escape(quote))
            elif following == "{":  # ${ or %{
                parts.append("".join(run))
                run = []
                parts.append(self._interpolation() if char == "$" else self._directive())
            elif following == char and text.startswith("{", pos + 2):  # $${ or %%{
                run.append(char + "{")
                self.pos += 3
            else:  # a $ or % on its own
                run.append(char)
                self.pos += 1
        parts.append("".join(run))
        self.depth -= 1
        return _template_node(start, self.pos, parts)

    def _interpolation(self) -> _Node:
        self.pos += 2
        node = self.expression()
        self._expect("}")
        return node

    def _directive(self) -> _Node:
        start = self.pos
        self.pos += 2
        word = self._name()
        exprs: list[_Node] = []
        binds: list[str] = []
        if word == "for":
            binds = self._binds()
        if word in ("if", "for"):
            exprs.append(self.expression())
        elif word not in ("else", "endif", "endfor"):
            self._fail(f"unknown directive {word!r}")
        self._expect("}")
        return _Directive(start, self.pos, tuple(exprs), tuple(binds))

    def _escape(self, quote: str) -> str:
        text, pos = self.text, self.pos
        code = text[pos + 1 : pos + 2]
        if code in _ESCAPES[quote]:
            self.pos += 2
            return _ESCAPES[quote][code]
        width = _HEX_WIDTHS[quote].get(code, 0)
        digits = text[pos + 2 : pos + 2 + width]
        if not width or len(digits) != width or any(c not in _HEX for c in digits):
            self._fail("unknown escape")
        if int(digits, 16) > 0x10FFFF:
            self._fail("escape beyond Unicode")
        self.pos += 2 + width
        return chr(int(digits, 16))


def _traversal_node(start: int, name: str, attributes: str) -> _Node | None:
    """`name.a.b` at `start`, as the parser reads it; `attributes` is ".a.b", maybe empty.
    None past MAX_DEPTH steps, which the parser refuses where it finds them."""
    if attributes.count(".") > MAX_DEPTH:
        return None
    end = start + len(name)
    base = _Lit(start, end, _KEYWORDS[name]) if name in _KEYWORDS else _Var(start, end, name)
    if not attributes:
        return base
    steps: list[_Node] = []
    for attribute in attributes[1:].split("."):
        steps.append(_GetAttr(end, end + 1 + len(attribute), attribute))
        end += 1 + len(attribute)
    return _Chain(start, end, base, tuple(steps))


def _ends_expression(text: str, pos: int) -> bool:
    """Whether what comes at `pos` ends the expression before it, rather than going on with
    it (`(`, `[`, `.`, `::`, an operator, `?`)."""
    char = text[pos : pos + 1]
    if not char or char in _ENDS:
        return True
    return char in _ENDS_UNLESS_DOUBLED and text[pos + 1 : pos + 2] != char


def _element_node(opening: str, node: _Node) -> _Node:
    """A tuple element that starts with `opening`, as its expression `node` was read."""
    if opening and opening in "\"'[{":
        return node
    if isinstance(node, (_Wrapped, _Lit, _For)) or _is_traversal(node):
        return node
    # python-hcl2 wraps every non-literal element in ${}; anything else bare was a string.
    return _Dequoted(node.start, node.end)


def _simple_parts(text: str, pos: int, end: int, quote: str | None) -> list[str | _Node] | None:
    """Text from `pos` to `end` as template parts if it is only plain text and simple
    `${name.a.b}` interpolations, the usual template; None for any other (or end -1), which
    the parser reads, to the same nodes."""
    if end < 0:
        return None
    dollars = text.count("$", pos, end)
    found = list(_SIMPLE_INTERPOLATION.finditer(text, pos, end)) if dollars else []
    # Any other $ is an escape or another interpolation, a % may start a directive, and a
    # backslash in quotes an escape (perhaps of the quote this stops at).
    if dollars != len(found) or text.find("%", pos, end) >= 0:
        return None
    if quote is not None and text.find("\\", pos, end) >= 0:
        return None
    parts: list[str | _Node] = []
    for interpolation in found:
        node = _traversal_node(interpolation.start() + 2, *interpolation.group(1, 2))
        if node is None:
            return None
        parts += (text[pos : interpolation.start()], node)
        pos = interpolation.end()
    parts.append(text[pos:end])
    return parts


def _template_node(start: int, end: int, parts: list[str | _Node]) -> _Node:
    pieces: list[str | _Node] = []
    literal = True
    for part in parts:
        if not isinstance(part, str):
            pieces.append(part)
            literal = False
        elif part:
            pieces.append(_text(part))
    if literal:
        return _Lit(start, end, "".join([piece for piece in pieces if isinstance(piece, str)]))
    only = pieces[0]
    if len(pieces) == 1 and isinstance(only, _Node) and not isinstance(only, _Directive):
        return only  # "${x}" is x itself, with its type: a map stays a map
    return _Template(start, end, tuple(pieces))


def _text(text: str) -> str:
    """Template text as it reads: surrogate pairs joined."""
    return text if text.isascii() else _join_surrogates(text)


def _join_surrogates(text: str) -> str:
    """JSON writes characters beyond the BMP as two \\u escapes; join them back."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _is_traversal(node: _Node) -> bool:
    return isinstance(node, _Chain) and isinstance(node.base, _Var)


def _is_reference(node: _Node) -> bool:
    while isinstance(node, _Wrapped):
        node = node.inner
    return _is_traversal(node)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- values ----------------------------------------------------------------------------------


def _short(text: str) -> str:
    """Text for a reason or a step: one line, at most 80 characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _TEXT_LIMIT else flat[: _TEXT_LIMIT - 1] + "…"


def _number_text(value: int | float) -> str:
    """A number as Terraform prints it: 1 not 1.0, 0.00001 not 1e-05."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    if not math.isfinite(value):
        return repr(value)
    return format(Decimal(repr(value)), "f")


def _primitive_text(value: Any) -> str | None:
    """A string, number or bool as a template renders it; None for null and collections."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if _is_number(value):
        return _number_text(value)
    return None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a bool"
    return "a number" if _is_number(value) else "a string"


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
    """Carries the Unknown that ends an evaluation, from however deep it was found."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


class _Evaluator:
    """Evaluates the nodes parsed from one string. Known results carry only the steps of the
    references they used; `_finish` adds the step that names the expression."""

    __slots__ = ("lookup", "text", "where")

    def __init__(self, lookup: Lookup, where: str, text: str) -> None:
        self.lookup = lookup
        self.where = where
        self.text = text

    def source(self, node: _Node) -> str:
        return _short(self.text[node.start : node.end])

    def stop(self, reason: str) -> NoReturn:
        raise _Stop(Unknown(f"{self.where}: {reason}"))

    def unsupported(self, node: _Node) -> NoReturn:
        raise _Stop(
            Unknown(f"{self.where} uses `{self.source(node)}`, which lintsov does not evaluate")
        )

    def wrong(self, call: _Call, arg: _Node, expected: str) -> NoReturn:
        self.stop(f"{call.name}() gets `{self.source(arg)}`, which is not {expected}")

    def arity(self, call: _Call, *counts: int) -> None:
        if len(call.args) not in counts:
            self.stop(f"`{self.source(call)}` has the wrong number of arguments")

    def eval(self, node: _Node) -> Known:
        evaluate = _EVALUATE.get(type(node))
        if evaluate is None:
            self.unsupported(node)  # operators, conditionals, for expressions
        return evaluate(self, node)

    def _literal(self, node: _Lit) -> Known:
        return Known(node.value)

    def _wrapped(self, node: _Wrapped) -> Known:
        return self.eval(node.inner)

    def _tuple(self, node: _Tuple) -> Known:
        items = [self.eval(item) for item in node.items]
        return _known([item.value for item in items], items)

    def _call(self, node: _Call) -> Known:
        function = _FUNCTIONS.get(node.name)
        if function is None or node.expand:
            self.unsupported(node)
        return function(self, node)

    def _dequoted(self, node: _Dequoted) -> NoReturn:
        self.stop(
            f"python-hcl2 drops the quotes of strings in a list inside an expression, "
            f"so lintsov cannot read `{self.source(node)}`"
        )

    def _template(self, node: _Template) -> Known:
        for part in node.parts:
            if isinstance(part, _Directive):
                self.unsupported(node)
        pieces: list[str] = []
        used: list[Known] = []
        for part in node.parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            got = self.eval(part)
            text = _primitive_text(got.value)
            if text is None:
                self.stop(f"`{self.source(part)}` is {_describe(got.value)} inside a template")
            pieces.append(text)
            used.append(got)
        return _known("".join(pieces), used)

    def _object(self, node: _Object) -> Known:
        result: dict[str, Any] = {}
        used: list[Known] = []
        for key_node, value_node in node.items:
            # A literal adds no steps: evaluated only when it is not one.
            key = key_node.value if isinstance(key_node, _Lit) else self._used(key_node, used)
            name = _primitive_text(key)
            if name is None:
                self.stop(f"the key `{self.source(key_node)}` is {_describe(key)}")
            if isinstance(value_node, _Lit):
                result[name] = value_node.value
            else:
                result[name] = self._used(value_node, used)
        return _known(result, used)

    def _used(self, node: _Node, used: list[Known]) -> Any:
        """The node's value, its Known added to `used`."""
        got = self.eval(node)
        used.append(got)
        return got.value

    # references

    def _chain(self, node: _Var | _Chain) -> Known:
        base: _Node
        steps: tuple[_Node, ...]
        if isinstance(node, _Var):
            base, steps = node, ()
        else:
            base, steps = node.base, node.steps
            for step in steps:
                if isinstance(step, _Splat):
                    self.unsupported(node)
            if not isinstance(base, _Var):
                return self._walk(self.eval(base), steps, node, labelled=False)
        # var.tags["x"]: the lookup answers var.tags, the index is applied here. A resource,
        # data source or module output goes whole to the lookup.
        if base.name in _SCOPED_ROOTS:
            head = 1 if steps and isinstance(steps[0], _GetAttr) else 0
        else:
            head = len(steps)
        if head == 0:
            self.unsupported(node)
        traversal: list[str | int] = [base.name]
        keys: list[Known] = []  # of index steps: an attribute's name has no steps of its own
        for step in steps[:head]:
            if isinstance(step, _GetAttr):
                traversal.append(step.name)
            else:
                keys.append(key := self._key(step))
                traversal.append(key.value)
        ref_text = self.text[node.start : steps[head - 1].end]
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

    def _key(self, step: _Node) -> Known:
        if isinstance(step, _GetAttr):
            return Known(step.name)
        assert isinstance(step, _Index)
        key = self.eval(step.key)
        if isinstance(key.value, str):
            return key
        index = _as_index(key.value)
        if index is None:
            self.stop(f"`{self.source(step.key)}` is {_describe(key.value)}, not a key")
        return Known(index, key.steps, key.sensitive)

    def _walk(self, got: Known, steps: Sequence[_Node], node: _Node, labelled: bool) -> Known:
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
        label = self.text[node.start : node.end]
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
_EVALUATE: dict[type[_Node], Callable[[_Evaluator, Any], Known]] = {
    _Var: _Evaluator._chain,
    _Chain: _Evaluator._chain,
    _Lit: _Evaluator._literal,
    _Template: _Evaluator._template,
    _Wrapped: _Evaluator._wrapped,
    _Tuple: _Evaluator._tuple,
    _Object: _Evaluator._object,
    _Call: _Evaluator._call,
    _Dequoted: _Evaluator._dequoted,
}


# --- functions -------------------------------------------------------------------------------


def _merge(ev: _Evaluator, call: _Call) -> Known:
    got = [ev.eval(arg) for arg in call.args]
    merged: dict[str, Any] = {}
    for arg, item in zip(call.args, got, strict=True):
        if item.value is None:
            continue
        if not isinstance(item.value, dict):
            ev.wrong(call, arg, "a map")
        merged.update(item.value)  # later arguments win, as in Terraform
    return _known(merged, got)


def _lookup(ev: _Evaluator, call: _Call) -> Known:
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


def _coalesce(ev: _Evaluator, call: _Call) -> Known:
    seen: list[Known] = []
    for arg in call.args:  # in order: an unknown before the first usable one decides
        seen.append(ev.eval(arg))
        if seen[-1].value is not None and seen[-1].value != "":
            return _known(seen[-1].value, seen)
    ev.stop(f"every argument of `{ev.source(call)}` is null or empty")


def _single(ev: _Evaluator, call: _Call) -> Known:
    ev.arity(call, 1)
    return ev.eval(call.args[0])


def _tomap(ev: _Evaluator, call: _Call) -> Known:
    got = _single(ev, call)
    if got.value is None:
        return got
    if not isinstance(got.value, dict):
        ev.wrong(call, call.args[0], "a map")
    values = _unify(list(got.value.values()))
    if values is None:
        ev.stop(f"`{ev.source(call)}` mixes values Terraform cannot convert to one type")
    return Known(dict(zip(got.value, values, strict=True)), got.steps, got.sensitive)


def _tolist(ev: _Evaluator, call: _Call) -> Known:
    got = _single(ev, call)
    if got.value is None:
        return got
    if not isinstance(got.value, list):
        ev.wrong(call, call.args[0], "a list")
    values = _unify(got.value)
    if values is None:
        ev.stop(f"`{ev.source(call)}` mixes values Terraform cannot convert to one type")
    return Known(values, got.steps, got.sensitive)


def _tostring(ev: _Evaluator, call: _Call) -> Known:
    got = _single(ev, call)
    if got.value is None:
        return got
    text = _primitive_text(got.value)
    if text is None:
        ev.wrong(call, call.args[0], "a string, number or bool")
    return Known(text, got.steps, got.sensitive)


def _case(upper: bool) -> Callable[[_Evaluator, _Call], Known]:
    def convert(ev: _Evaluator, call: _Call) -> Known:
        got = _single(ev, call)
        text = _primitive_text(got.value)
        if text is None:
            ev.wrong(call, call.args[0], "a string")
        return Known(_simple_case(text, upper), got.steps, got.sensitive)

    return convert


def _concat(ev: _Evaluator, call: _Call) -> Known:
    got = [ev.eval(arg) for arg in call.args]
    joined: list[Any] = []
    for arg, item in zip(call.args, got, strict=True):
        if not isinstance(item.value, list):
            ev.wrong(call, arg, "a list")
        joined.extend(item.value)
    return _known(joined, got)


def _format(ev: _Evaluator, call: _Call) -> Known:
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


_FUNCTIONS: dict[str, Callable[[_Evaluator, _Call], Known]] = {
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
}


# --- python-hcl2's values --------------------------------------------------------------------


def _is_plain(text: str) -> bool:
    return "${" not in text and "%{" not in text


def _unquote_key(key: str) -> str:
    # python-hcl2 keeps the quotes of an object key with an interpolation: '"${var.k}"'.
    if len(key) >= 2 and key[0] == key[-1] == '"' and "${" in key:
        return key[1:-1]
    return key


class _Python:
    """Walks the Python values python-hcl2 gives, evaluating each string in them."""

    def __init__(self, lookup: Lookup, where: str) -> None:
        self.lookup = lookup
        self.where = where

    def value(self, value: Any, depth: int) -> Known:
        if depth > MAX_DEPTH:
            raise _TooDeep
        if value is None or isinstance(value, (bool, int, float)):
            return Known(value)
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, (list, tuple)):
            items = [self.value(item, depth + 1) for item in value]
            return _known([item.value for item in items], items)
        if isinstance(value, dict):
            return self.mapping(value, depth)
        raise _ParseError(f"python-hcl2 gave a {type(value).__name__}")

    def string(self, text: str) -> Known:
        if _is_plain(text):
            return Known(text)
        return _Evaluator(self.lookup, self.where, text).eval(_parse(text).node)

    def mapping(self, value: dict[Any, Any], depth: int) -> Known:
        result: dict[str, Any] = {}
        used: list[Known] = []
        for raw_key, raw_value in value.items():
            key = self.string(_unquote_key(str(raw_key)))
            name = _primitive_text(key.value)
            if name is None:
                reason = f"the key `{_short(str(raw_key))}` is {_describe(key.value)}"
                raise _Stop(Unknown(f"{self.where}: {reason}"))
            item = self.value(raw_value, depth + 1)
            result[name] = item.value
            used += (key, item)
        return _known(result, used)


def _finish(got: Known, reference: bool, label: Callable[[], str], where: str) -> Known:
    """The steps a caller sees: a reference's own, `constant in ...` for a constant, else the
    expression (`label`, as `_short` gives it) and then the steps of every reference it used."""
    if reference:
        return got
    if not got.steps:
        return Known(got.value, (f"constant in {where}",), got.sensitive)
    return Known(got.value, (f"{label()} in {where}", *got.steps), got.sensitive)


class _Parsed:
    """One string's syntax tree, and what evaluate() and references() derive from the text
    alone, worked out once: a configuration repeats the same strings block after block."""

    __slots__ = ("_label", "node", "reference", "references", "text")

    def __init__(self, text: str, node: _Node) -> None:
        self.text = text
        self.node = node
        self.reference = _is_reference(node)
        self._label: str | None = None
        self.references: tuple[str, ...] | None = None  # on the first references()

    def label(self) -> str:
        if self._label is None:
            self._label = _short(self.text[self.node.start : self.node.end])
        return self._label


@lru_cache(maxsize=16384)
def _parse(text: str) -> _Parsed:
    """Parse once per distinct text: a configuration repeats the same expressions
    (`local.tags`, `var.region`) across thousands of blocks, and nodes are immutable."""
    return _Parsed(text, _Parser(text).parse())


def _evaluate(value: Any, lookup: Lookup, where: str) -> Attr:
    if isinstance(value, str) and not _is_plain(value):
        parsed = _parse(value)
        got = _Evaluator(lookup, where, value).eval(parsed.node)
        return _finish(got, parsed.reference, parsed.label, where)
    got = _Python(lookup, where).value(value, 0)

    def label() -> str:
        return _short(json.dumps(value, ensure_ascii=False, default=str))

    return _finish(got, False, label, where)


def evaluate(value: Any, lookup: Lookup, where: str) -> Attr:
    """Evaluate an attribute value as python-hcl2 7.3.1 returns it, in `where` (e.g.
    "provider aws.us region" or "resource aws_s3_bucket.b tags"); never raises."""
    try:
        return _evaluate(value, lookup, where)
    except _Stop as stop:
        return stop.unknown
    except (_TooDeep, RecursionError):
        return Unknown(f"{where} is nested too deeply for lintsov (over {MAX_DEPTH} levels)")
    except _ParseError as error:
        return Unknown(f"cannot parse {where}: {error}")
    except Exception as error:  # never raises: a value lintsov cannot read is Unknown
        return Unknown(f"cannot parse {where}: {type(error).__name__}: {error}")


# --- references ------------------------------------------------------------------------------
# As Terraform's plan JSON writes them (command/jsonconfig marshalExpression): for each
# traversal, the address with all its remaining steps, then one step fewer, down to the
# referenced object, then the object without its instance key.

_Part = tuple[str, str | int]  # (".", "name") or ("[", key)
_NOTHING_BOUND: frozenset[str] = frozenset()


def references(value: Any) -> tuple[str, ...]:
    """Every reference the value's expressions make, as Terraform's plan JSON writes them,
    in order of appearance and de-duplicated; never raises; empty for literals."""
    if isinstance(value, str):
        return _string_references(value)
    found: dict[str, None] = {}
    with contextlib.suppress(Exception):  # never raises: keeps what was found until then
        _python_references(value, found, 0)
    return tuple(found)


def _python_references(value: Any, found: dict[str, None], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, str):
        found.update(dict.fromkeys(_string_references(value)))
    elif isinstance(value, (list, tuple)):
        for item in value:
            _python_references(item, found, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            found.update(dict.fromkeys(_string_references(_unquote_key(str(key)))))
            _python_references(item, found, depth + 1)


def _string_references(text: str) -> tuple[str, ...]:
    """A string's references, worked out once per distinct string."""
    if _is_plain(text):
        return ()
    try:
        parsed = _parse(text)
    except Exception:  # an unreadable string references nothing known
        return ()
    if parsed.references is None:
        found: dict[str, None] = {}
        with contextlib.suppress(Exception):  # never raises: keeps what was found until then
            _node_references(parsed.node, _NOTHING_BOUND, found)
        parsed.references = tuple(found)
    return parsed.references


def _node_references(node: _Node, bound: frozenset[str], found: dict[str, None]) -> None:
    """Walk in source order; `bound` holds the names a for expression or directive binds."""
    if isinstance(node, (_Var, _Chain)):
        _chain_references(node, bound, found)
    elif isinstance(node, _Lit):
        return
    elif isinstance(node, _Object):
        for key, value in node.items:
            _node_references(key, bound, found)
            _node_references(value, bound, found)
    elif isinstance(node, _Wrapped):
        _node_references(node.inner, bound, found)
    elif isinstance(node, _Template):
        for part in node.parts:
            if isinstance(part, _Node):
                _node_references(part, bound, found)
            if isinstance(part, _Directive):
                bound = bound | set(part.binds)
    elif isinstance(node, _For):
        _node_references(node.collection, bound, found)
        for item in node.body:
            _node_references(item, bound | set(node.binds), found)
    else:
        for child in _children(node):
            _node_references(child, bound, found)


def _children(node: _Node) -> tuple[_Node, ...]:
    if isinstance(node, (_Tuple, _Call)):
        return node.items if isinstance(node, _Tuple) else node.args
    if isinstance(node, _Op):
        return node.operands
    if isinstance(node, _Directive):
        return node.exprs
    return ()


def _chain_references(node: _Var | _Chain, bound: frozenset[str], found: dict[str, None]) -> None:
    base, steps = (node, ()) if isinstance(node, _Var) else (node.base, node.steps)
    if not isinstance(base, _Var):
        _node_references(base, bound, found)
    elif base.name not in bound:
        for address in _addresses(base.name, _static_parts(steps)):
            found.setdefault(address)
    for step in steps:
        if isinstance(step, _Index):
            _node_references(step.key, bound, found)


def _static_parts(steps: Sequence[_Node]) -> list[_Part]:
    """The steps HCL keeps in a traversal: attributes and literal keys, up to a splat or a
    computed index."""
    parts: list[_Part] = []
    for step in steps:
        if isinstance(step, _GetAttr):
            parts.append((".", step.name))
        elif isinstance(step, _Index) and isinstance(step.key, _Lit):
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
