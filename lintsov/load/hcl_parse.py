"""HCL text → blocks, attributes and expressions (lintsov.load.hcl_syntax's wire form).

python-hcl2 8.1 gives the parse tree of its lark grammar (as ``hcl2.parses_to_tree`` does:
LALR, its post-lexer, every token with its offsets in the text); a walk of that tree gives
lintsov's own nodes, each with its start and end offsets in the file, and each block and
attribute with its line and column. python-hcl2's dict output (``hcl2.loads``) is not used:
its line numbers are wrong (upstream #291) and it is slow. The walk depends on the grammar's
rule and token names (hcl2.lark, postlexer.py in python-hcl2 8.1.x, which pyproject.toml
pins).

A file the grammar refuses is read once more with the line breaks Terraform ignores (inside
parentheses and square brackets) turned into spaces (lintsov.load.hcl_scan); if it still
does not parse, the error names the offending token's position and, where it can tell, the
likely cause. Heredoc bodies and the strings of Terraform's JSON syntax are templates without
backslash escapes: they are read by the same grammar as a quoted template, their quotes and
backslashes escaped, and the offsets mapped back.

Nothing here imports lark at import time: a run with a warm parse cache never parses.
"""

from __future__ import annotations

import bisect
import functools
import gc
import io
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from lintsov.load.hcl_scan import diagnose, ignore_bracketed_newlines, sequence_end
from lintsov.load.hcl_syntax import MAX_DEPTH, Wire, shifted

# Top-level block types lintsov reads, with their label counts; others (moved, import,
# check, removed) carry no resources and are not walked.
LABELS = {
    "resource": 2,
    "data": 2,
    "provider": 1,
    "variable": 1,
    "module": 1,
    "output": 1,
    "locals": 0,
    "terraform": 0,
}
_LABEL_NAMES = {2: "two labels (a type and a name)", 1: "one label (a name)", 0: "no labels"}
TOO_DEEP = f"nested too deeply to parse (more than {MAX_DEPTH} levels, lintsov's limit)"

# A file as parsed: its top-level attributes (a .tfvars file's content) and blocks.
#   attribute: [name, line, column, expression wire]
#   block:     [type, [labels], line, column, end line, [attributes], [blocks]]
FileWire = list[Any]


class SyntaxProblem(Exception):
    """Text Terraform would refuse, at an offset of the text being read."""

    def __init__(self, offset: int, what: str) -> None:
        super().__init__(what)
        self.offset = offset
        self.what = what


def parse_text(text: str) -> tuple[Any, ...]:
    """("ok", FileWire) or ("error", line, column, what is wrong): what a worker process
    returns, picklable and cheap to send."""
    # Parsing makes hundreds of thousands of objects and no reference cycles: the cycle
    # collector, which would walk them over and over, only costs time (a fifth of it).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return ("ok", parse_hcl(text))
    except SyntaxProblem as problem:
        line, column = position(text, problem.offset)
        return ("error", line, column, problem.what)
    except RecursionError:
        return ("error", 1, 1, TOO_DEEP)
    finally:
        if collecting:
            gc.enable()


def parse_hcl(text: str) -> FileWire:
    """A whole file's top-level attributes and blocks, each expression's wire in JSON text
    (see hcl_syntax.Expression), or SyntaxProblem."""
    tree = _tree(text)
    return packed(_Converter(text).file(tree))


def packed(body: FileWire) -> FileWire:
    """The body with each attribute's expression wire turned into JSON text, in place."""
    attributes, blocks = body
    for attribute in attributes:
        attribute[3] = json.dumps(attribute[3], separators=(",", ":"))
    for block in blocks:
        packed([block[5], block[6]])
    return body


def expression(text: str) -> Wire:
    """One expression on its own (a --var value, a test's input); offsets index `text`."""
    prefix = "value = "
    try:
        attributes, blocks = _Converter(prefix + text).file(_tree(prefix + text))
    except SyntaxProblem as problem:
        raise SyntaxProblem(max(0, problem.offset - len(prefix)), problem.what) from None
    if len(attributes) != 1 or blocks:
        raise SyntaxProblem(0, "not one expression")
    return shifted(attributes[0][3], lambda offset: offset - len(prefix))


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, column), 1-based, of an offset in `text`."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- parsing and its errors ----------------------------------------------------------------


@functools.cache
def _parser() -> Any:
    """python-hcl2's LALR parser, its grammar and post-lexer as hcl2.parses_to_tree uses
    them (loaded from python-hcl2's own cache), without propagating positions to every rule:
    that costs a third of the parse, and _Span finds a rule's offsets from its tokens."""
    import hcl2.parser  # noqa: PLC0415  (lark loads only when a file needs parsing)
    from lark import Lark  # noqa: PLC0415

    saved = io.BytesIO()
    hcl2.parser.parser().save(saved, exclude_options=("propagate_positions",))
    saved.seek(0)
    return Lark.load(saved)


def prepare() -> None:
    """Load the parser now: before worker processes are forked, so that they share it."""
    _parser()


def _tree(text: str) -> Any:
    from lark.exceptions import UnexpectedInput  # noqa: PLC0415

    parser = _parser()
    # As hcl2.parses_to_tree: the grammar wants a line break at the end.
    try:
        return parser.parse(text + "\n")
    except UnexpectedInput as first:
        error = first
    joined = ignore_bracketed_newlines(text)
    if joined is not None:
        try:
            return parser.parse(joined + "\n")
        except UnexpectedInput as second:
            error = second  # the error in what Terraform reads, same offsets
    raise _problem(text, error) from None


def _problem(text: str, error: Any) -> SyntaxProblem:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken  # noqa: PLC0415

    at_end = False
    if isinstance(error, UnexpectedCharacters):
        offset = error.pos_in_stream or 0
        char = text[offset : offset + 1]
        what = f"unexpected character {char!r}; {_expected(error.allowed or ())}"
    elif isinstance(error, UnexpectedToken) and error.token.type != "$END":
        offset, got = _token(error.token)
        what = f"unexpected {got}; {_expected(error.expected or ())}"
    else:
        offset, at_end = len(text.rstrip()), True
        what = f"the file ends early; {_expected(getattr(error, 'expected', ()) or ())}"
    cause = diagnose(text)
    if cause is not None:
        if at_end:
            return SyntaxProblem(cause.offset, f"{what}; {cause.what}")
        what = f"{what}; likely cause: {cause.what}"
    return SyntaxProblem(offset, what)


def _token(token: Any) -> tuple[int, str]:
    """Where the token the parser refused starts, and how to name it."""
    from hcl2.postlexer import OPERATOR_TYPES  # noqa: PLC0415

    value, start = str(token), token.start_pos or 0
    if token.type in OPERATOR_TYPES and value.split():
        # python-hcl2's post-lexer glues a line break (and comment) before an operator
        # onto the operator.
        operator = value.rsplit(maxsplit=1)[-1]
        return token.end_pos - len(operator), repr(operator)
    rest = value.lstrip(" \t")
    if not rest or rest[0] == "\n":
        return start, "end of line"
    if rest.startswith(("#", "//", "/*")):
        return start, "end of line (a comment)"
    # Past a character no token starts with, the lexer gives the rest of the line as one
    # token: its first word names what the parser refused.
    return start, repr(rest.split()[0][:20])


_TOKEN_WORDS = {
    "LPAR": "'('",
    "RPAR": "')'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "DBLQUOTE": "'\"'",
    "NAME": "a name",
    "INT_LITERAL": "a number",
    "FLOAT_LITERAL": "a number",
    "NOT": "'!'",
    "MINUS": "'-'",
    "EQ": "'='",
    "COLON": "':'",
    "COMMA": "','",
    "DOT": "'.'",
    "QMARK": "'?'",
    "NL_OR_COMMENT": "a new line",
    "STRING_CHARS": "text",
    "ESCAPED_INTERPOLATION": "'$${'",
    "ESCAPED_DIRECTIVE": "'%%{'",
    "INTERP_START": "'${'",
    "DIRECTIVE_START": "'%{'",
    "HEREDOC_TEMPLATE": "a heredoc",
    "HEREDOC_TEMPLATE_TRIM": "a heredoc",
    "TEMPLATE_STRING": "a string",
    "TRUE": "true",
    "FALSE": "false",
    "NULL": "null",
    "ELLIPSIS": "'...'",
    "FOR_OBJECT_ARROW": "'=>'",
    "$END": "the end of the file",
}


def _expected(tokens: Iterable[str]) -> str:
    words = sorted({_TOKEN_WORDS.get(t, t.lower()) for t in tokens})
    if not words:
        return "the syntax is not valid HCL"
    if len(words) > 8:
        words = [*words[:8], "…"]
    return "expected " + ", ".join(words)


# --- the walk ------------------------------------------------------------------------------

_NEWLINE = "new_line_or_comment"
_POSTFIX = frozenset(
    {"index_expr_term", "get_attr_expr_term", "attr_splat_expr_term", "full_splat_expr_term"}
)
_ESCAPE = re.compile(r"\\(?:([nrt\"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.?))", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_HEREDOC_START = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\n")
_SEQUENCE = re.compile(r"(\$\$\{|%%\{)|[$%]\{")
_LITERAL_KEYWORDS = {"true": True, "false": False, "null": None}


def _is_token(child: Any, kind: str) -> bool:
    return isinstance(child, str) and getattr(child, "type", None) == kind


def _trees(children: Iterable[Any]) -> list[Any]:
    """The child rules, without tokens and line breaks or comments."""
    return [c for c in children if not isinstance(c, str) and c.data != _NEWLINE]


class _Span:
    """Where a rule starts and ends: its first and last tokens' offsets (the parser does
    not propagate positions to rules, which costs a third of its time)."""

    __slots__ = ("end_pos", "start_pos")

    def __init__(self, tree: Any) -> None:
        self.start_pos: int = _edge_token(tree, 0).start_pos
        self.end_pos: int = _edge_token(tree, -1).end_pos


def _edge_token(tree: Any, side: int) -> Any:
    """A rule's first (side 0) or last (side -1) token."""
    while not isinstance(tree, str):
        tree = tree.children[side]
    return tree


class _Converter:
    """One file's parse tree → wire. Tokens are lark Tokens, str subclasses: telling them
    from rules needs no lark import."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.depth = 0
        self._newlines: list[int] | None = None

    def place(self, offset: int) -> tuple[int, int]:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    # structure

    def file(self, tree: Any) -> FileWire:
        return self.body(tree.children[0], top=True)

    def body(self, tree: Any, top: bool = False) -> FileWire:
        attributes: list[Wire] = []
        blocks: list[Wire] = []
        seen: dict[str, int] = {}
        for child in tree.children:
            data = child.data
            if data == "attribute":
                name_rule, _, value = child.children
                name = str(name_rule.children[0])
                offset = _Span(child).start_pos
                if name in seen:
                    line, column = self.place(seen[name])
                    raise SyntaxProblem(
                        offset,
                        f'"{name}" is set twice: already set at line {line}, column {column}',
                    )
                seen[name] = offset
                attributes.append([name, *self.place(offset), self.expression(value)])
            elif data == "block":
                block = self.block(child, top)
                if block is not None:
                    blocks.append(block)
        return [attributes, blocks]

    def block(self, tree: Any, top: bool) -> Wire | None:
        children = tree.children
        kind = str(children[0].children[0])
        if top and kind not in LABELS:
            return None
        labels: list[str] = []
        body = None
        for child in children[1:]:
            if isinstance(child, str):
                continue
            if child.data == "body":
                body = child
            elif child.data == "string":
                labels.append(self.label(child))
            elif child.data != _NEWLINE:
                labels.append(str(child.children[0]))
        start = _Span(tree).start_pos
        if top and len(labels) != LABELS[kind]:
            raise SyntaxProblem(
                start,
                f"a {kind} block takes {_LABEL_NAMES[LABELS[kind]]}, this one has {len(labels)}",
            )
        attributes, blocks = self.body(body) if body is not None else ([], [])
        line, column = self.place(start)
        end_line = self.place(max(start, _Span(tree).end_pos - 1))[0]
        return [kind, labels, line, column, end_line, attributes, blocks]

    def label(self, tree: Any) -> str:
        wire = self.string(tree)
        if wire[0] != "l":
            raise SyntaxProblem(_Span(tree).start_pos, "a block label must be a literal string")
        return str(wire[3])

    # expressions

    def expression(self, tree: Any) -> Wire:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise SyntaxProblem(_Span(tree).start_pos, TOO_DEEP)
            while tree.data == "expr_term":  # a term, or an expression in parentheses
                children = tree.children
                tree = children[0] if len(children) == 1 else _trees(children)[0]
            return _EXPRESSIONS[tree.data](self, tree)
        finally:
            self.depth -= 1

    def identifier(self, tree: Any) -> Wire:
        meta = _Span(tree)
        return ["v", meta.start_pos, meta.end_pos, str(tree.children[0])]

    def literal_value(self, tree: Any) -> Wire:
        meta = _Span(tree)
        return ["l", meta.start_pos, meta.end_pos, _LITERAL_KEYWORDS[str(tree.children[0])]]

    def number(self, tree: Any) -> Wire:
        meta = _Span(tree)
        token = str(tree.children[0])
        return [
            "l",
            meta.start_pos,
            meta.end_pos,
            int(token) if tree.data == "int_lit" else float(token),
        ]

    def tuple(self, tree: Any) -> Wire:
        meta = _Span(tree)
        return [
            "u",
            meta.start_pos,
            meta.end_pos,
            [self.expression(c) for c in _trees(tree.children)],
        ]

    def object(self, tree: Any) -> Wire:
        items: list[Wire] = []
        for element in _trees(tree.children):
            key_rule, _, value = element.children
            items.append([self.object_key(key_rule.children[0]), self.expression(value)])
        meta = _Span(tree)
        return ["o", meta.start_pos, meta.end_pos, items]

    def object_key(self, tree: Any) -> Wire:
        """A bare name is the key itself (`{ region = ... }`); `(name)` is evaluated."""
        meta = _Span(tree)
        if tree.data == "keyword":
            return ["l", meta.start_pos, meta.end_pos, str(tree.children[0])]
        if tree.data == "expr_term" and len(tree.children) == 1:
            inner = tree.children[0]
            if inner.data == "identifier":
                return ["l", meta.start_pos, meta.end_pos, str(inner.children[0])]
        return self.expression(tree)

    def call(self, tree: Any) -> Wire:
        names: list[str] = []
        args: list[Wire] = []
        expand = False
        for child in tree.children:
            if isinstance(child, str):
                continue
            if child.data == "identifier":
                names.append(str(child.children[0]))
            elif child.data == "arguments":
                args = [self.expression(a) for a in _trees(child.children)]
                expand = any(_is_token(a, "ELLIPSIS") for a in child.children)
        meta = _Span(tree)
        return ["f", meta.start_pos, meta.end_pos, "::".join(names), args, expand]

    def chain(self, tree: Any) -> Wire:
        """`a.b[0].*.c`: lark nests postfix terms to the left; walked down in a loop and
        made flat, so a long traversal costs no recursion."""
        steps_reversed: list[Any] = []
        term = tree
        while True:
            base, step = term.children
            steps_reversed.append(step)
            inner = base.children
            if len(inner) == 1 and not isinstance(inner[0], str) and inner[0].data in _POSTFIX:
                term = inner[0]
                continue
            break
        if len(steps_reversed) > MAX_DEPTH:  # Terraform lists every prefix: quadratic
            raise SyntaxProblem(_Span(tree).start_pos, TOO_DEEP)
        head = self.expression(base)
        steps: list[Wire] = []
        for step in reversed(steps_reversed):
            self.step(step, steps)
        return ["c", head[1], steps[-1][2], head, steps]

    def step(self, tree: Any, steps: list[Wire]) -> None:
        data, meta = tree.data, _Span(tree)
        if data == "get_attr":
            name = tree.children[1].children[0]
            steps.append([".", meta.start_pos, meta.end_pos, str(name)])
        elif data == "braces_index":
            (key,) = _trees(tree.children)
            steps.append(["[", meta.start_pos, meta.end_pos, self.expression(key)])
        elif data == "short_index":
            digits = tree.children[1]
            key = ["l", digits.start_pos, digits.end_pos, int(digits)]
            steps.append(["[", meta.start_pos, meta.end_pos, key])
        else:  # attr_splat or full_splat, and the steps that follow the splat
            marker = tree.children[0]
            steps.append(["*", marker.start_pos, marker.end_pos, data == "full_splat"])
            for inner in tree.children[1:]:
                self.step(inner, steps)

    def operation(self, tree: Any) -> Wire:
        left, term = _trees(tree.children)
        operator, right = _trees(term.children)
        op = str(operator.children[0]).split()[-1]  # a line break before it is glued on
        left_wire, right_wire = self.expression(left), self.expression(right)
        return ["b", left_wire[1], right_wire[2], op, left_wire, right_wire]

    def unary(self, tree: Any) -> Wire:
        op, operand = tree.children
        wire = self.expression(operand)
        start = _Span(tree).start_pos
        if str(op) == "-" and wire[0] == "l" and _is_number(wire[3]):
            return ["l", start, wire[2], -wire[3]]
        return ["!", start, wire[2], str(op), wire]

    def conditional(self, tree: Any) -> Wire:
        condition, then, other = (self.expression(c) for c in _trees(tree.children))
        return ["?", condition[1], other[2], condition, then, other]

    def for_expression(self, tree: Any) -> Wire:
        rules = _trees(tree.children)
        intro = rules[0]
        condition = rules[-1] if rules[-1].data == "for_cond" else None
        values = [self.expression(r) for r in rules[1 : len(rules) - (condition is not None)]]
        intro_rules = _trees(intro.children)
        binds = [str(r.children[0]) for r in intro_rules[:-1]]
        collection = self.expression(intro_rules[-1])
        key = values[0] if len(values) == 2 else None
        grouped = any(_is_token(c, "ELLIPSIS") for c in tree.children)
        cond = self.expression(_trees(condition.children)[0]) if condition is not None else None
        meta = _Span(tree)
        return [
            "for",
            meta.start_pos,
            meta.end_pos,
            binds,
            collection,
            key,
            values[-1],
            cond,
            grouped,
        ]

    # templates

    def string(self, tree: Any) -> Wire:
        parts: list[str | Wire] = []
        for part in tree.children:
            if isinstance(part, str):
                continue  # the quotes
            piece = part.children[0]
            if not isinstance(piece, str):
                parts.append(self.sequence(piece))
            elif _is_token(piece, "STRING_CHARS"):
                parts.append(_unescape(piece) if "\\" in piece else str(piece))
            else:  # $${ and %%{, kept whole with the text up to the next }
                parts.append(str(piece)[1:])
        meta = _Span(tree)
        return _template(meta.start_pos, meta.end_pos, parts)

    def sequence(self, tree: Any) -> Wire:
        """`${ expr }` or a directive inside a template."""
        data, meta = tree.data, _Span(tree)
        if data == "interpolation":
            return self.expression(tree.children[1])
        rules = _trees(tree.children)
        word = data.removeprefix("template_").removesuffix("_start")
        if word == "for":
            binds = [str(r.children[0]) for r in rules[:-1]]
            return ["%", meta.start_pos, meta.end_pos, word, [self.expression(rules[-1])], binds]
        exprs = [self.expression(r) for r in rules]
        return ["%", meta.start_pos, meta.end_pos, word, exprs, []]

    def heredoc(self, tree: Any) -> Wire:
        token = tree.children[0]
        value, start = str(token), token.start_pos
        opener = _HEREDOC_START.match(value)
        if opener is None:
            raise SyntaxProblem(start, "a heredoc without its opening line")
        # The body ends where the closing marker's line starts; the token ends after the
        # line break that follows the marker.
        marker_line = value.rstrip("\n").rfind("\n") + 1
        body = value[opener.end() : max(opener.end(), marker_line)]
        end = start + len(value.rstrip("\n"))
        parts: list[str | Wire]
        if "${" not in body and "%{" not in body:
            parts = [body]
        else:
            body_start = start + opener.end()
            wire = template_text(body, lambda offset: body_start + offset)
            parts = list(wire[3]) if wire[0] == "t" else [wire[3] if wire[0] == "l" else wire]
        if opener.group(1):
            parts = _flush(parts)
        return _template(start, end, parts)

    def template_string(self, tree: Any) -> Wire:
        raise SyntaxProblem(
            _Span(tree).start_pos, '\\" inside an expression: Terraform reads it only in a string'
        )


_EXPRESSIONS: dict[str, Callable[[_Converter, Any], Wire]] = {
    "identifier": _Converter.identifier,
    "literal_value": _Converter.literal_value,
    "int_lit": _Converter.number,
    "float_lit": _Converter.number,
    "string": _Converter.string,
    "tuple": _Converter.tuple,
    "object": _Converter.object,
    "function_call": _Converter.call,
    "index_expr_term": _Converter.chain,
    "get_attr_expr_term": _Converter.chain,
    "attr_splat_expr_term": _Converter.chain,
    "full_splat_expr_term": _Converter.chain,
    "binary_op": _Converter.operation,
    "unary_op": _Converter.unary,
    "conditional": _Converter.conditional,
    "for_tuple_expr": _Converter.for_expression,
    "for_object_expr": _Converter.for_expression,
    "heredoc_template": _Converter.heredoc,
    "heredoc_template_trim": _Converter.heredoc,
    "template_string": _Converter.template_string,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _unescape(token: Any) -> str:
    def replace(found: re.Match[str]) -> str:
        simple, short, long, other = found.groups()
        if simple is not None:
            return _SIMPLE_ESCAPES[simple]
        code = int(short or long, 16) if (short or long) else -1
        if other is not None or code > 0x10FFFF:
            raise SyntaxProblem(
                token.start_pos + found.start(), f"invalid escape sequence {found.group()!r}"
            )
        return chr(code)

    text = _ESCAPE.sub(replace, str(token))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # \uD83D\uDE00: a surrogate pair, joined
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _template(start: int, end: int, parts: list[str | Wire], whole: bool = True) -> Wire:
    """A template's node: literal text joined; all text is a literal; `"${x}"` is x itself,
    with its type (a map stays a map), as in Terraform."""
    pieces: list[str | Wire] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if pieces and isinstance(pieces[-1], str):
                pieces[-1] += part
                continue
        pieces.append(part)
    if all(isinstance(p, str) for p in pieces):
        return ["l", start, end, "".join(p for p in pieces if isinstance(p, str))]
    only = pieces[0]
    if whole and len(pieces) == 1 and not isinstance(only, str) and only[0] != "%":
        return only
    return ["t", start, end, pieces]


def _flush(parts: list[str | Wire]) -> list[str | Wire]:
    """`<<-`: the fewest leading spaces of any line that starts with literal text (blank
    lines aside; a line that starts with an interpolation counts as none) are removed from
    every line, before any value is interpolated (HCL's flushHeredocTemplateParts)."""
    pieces: list[str | Wire] = []
    for part in parts:
        pieces.extend(part.splitlines(keepends=True) if isinstance(part, str) else [part])
    fewest: int | None = None
    adjust: list[int] = []
    line_start = True
    for index, piece in enumerate(pieces):
        if line_start:
            line_start = False
            spaces: int | None = 0
            if isinstance(piece, str):
                rest = piece.lstrip()
                if not rest and piece.endswith("\n"):
                    spaces = None  # a blank line
                else:
                    spaces = len(piece) - len(rest)
                    adjust.append(index)
            if spaces is not None and (fewest is None or spaces < fewest):
                fewest = spaces
        if isinstance(piece, str) and piece.endswith("\n"):
            line_start = True
    for index in adjust:
        piece = pieces[index]
        assert isinstance(piece, str)
        pieces[index] = piece[fewest or 0 :]
    return pieces


def template_text(raw: str, place: Callable[[int], int]) -> Wire:
    """A template written without escapes (a heredoc's body, a JSON string): read by the
    same grammar as a quoted template, after escaping its quotes and backslashes outside
    `${}` and `%{}`; `place` maps an offset in `raw` to one in the file."""
    prefix = 'value = "'
    pieces = [prefix]
    inserted: list[int] = []  # where, in the quoted text, a backslash was added
    size = len(prefix)
    pos = 0
    while pos < len(raw):
        found = _SEQUENCE.search(raw, pos)
        literal_end = found.start() if found else len(raw)
        if found is not None and found.group(1):  # $${ or %%{: literal text
            literal_end = found.end()
        for char in raw[pos:literal_end]:
            if char in '"\\':
                inserted.append(size)
                pieces.append("\\")
                size += 1
            pieces.append(char)
            size += 1
        pos = literal_end
        if found is None or found.group(1):
            continue
        end = sequence_end(raw, found.start())
        if end is None:
            raise SyntaxProblem(place(found.start()), f"the {found.group()} here is not closed")
        pieces.append(raw[found.start() : end])
        size += end - found.start()
        pos = end
    quoted = "".join(pieces) + '"\n'

    def to_raw(offset: int) -> int:
        moved = offset - len(prefix) - bisect.bisect_right(inserted, offset - 1)
        return max(0, min(len(raw), moved))

    try:
        ((_, _, _, wire),), _ = _Converter(quoted).file(_tree(quoted))
    except SyntaxProblem as problem:
        raise SyntaxProblem(place(to_raw(problem.offset)), problem.what) from None
    return shifted(wire, lambda offset: place(to_raw(offset)))
