"""Terraform's JSON syntax (.tf.json, .tofu.json, .tfvars.json) → the same blocks,
attributes and expressions as HCL files (lintsov.load.hcl_parse's wire form).

Python's json module gives values without positions, so the document is read once more here,
knowing it is valid JSON, to keep the offset of every key and value: blocks and attributes get
their real lines, and a string, which is a template in this syntax (``"${var.region}"``), is
read by the HCL grammar with its offsets mapped back through the JSON escapes, so that a
reason quotes it as written in the file.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from lintsov.load.hcl_parse import (
    LABELS,
    TOO_DEEP,
    FileWire,
    SyntaxProblem,
    packed,
    position,
    template_text,
)
from lintsov.load.hcl_syntax import MAX_DEPTH, Wire

# The nested blocks lintsov reads, which Terraform's JSON syntax writes as objects, by the
# type of the block they are in, with their label counts: without a provider's schema every
# other object is an attribute's value. backend "s3" {...} is {"backend": {"s3": {...}}}.
BLOCKS: dict[str, dict[str, int]] = {
    "terraform": {"backend": 1, "cloud": 0, "required_providers": 0, "encryption": 0},
    "encryption": {"key_provider": 2, "method": 2, "state": 0, "plan": 0},
    "provider": {"default_tags": 0, "features": 0},
}
# Terraform ignores a property named "//" in a block: JSON's comment.
_COMMENT = "//"
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = {"true": True, "false": False, "null": None}
_ODD_NUMBERS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}
_ESCAPE = re.compile(
    r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)"
)

# A JSON value with its span: (kind, start, end, payload); an object's payload is
# [(key, key offset, value)], an array's a list of values.
Value = tuple[str, int, int, Any]


class JsonProblem(Exception):
    def __init__(self, line: int, column: int, what: str) -> None:
        super().__init__(what)
        self.line, self.column, self.what = line, column, what


def read(text: str) -> Value:
    """The document with positions, or JsonProblem."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonProblem(error.lineno, error.colno, f"invalid JSON: {error.msg}") from None
    except RecursionError:
        raise JsonProblem(1, 1, "JSON nested too deeply to read") from None
    try:
        return _Reader(text).value(0, 0)[0]
    except RecursionError:
        raise JsonProblem(1, 1, "JSON nested too deeply to read") from None


def configuration(text: str) -> FileWire:
    """A .tf.json file's blocks, as parse_hcl gives a .tf file's."""
    document = read(text)
    if document[0] != "o":
        raise JsonProblem(1, 1, "not a Terraform configuration: the top level is not an object")
    blocks: list[Wire] = []
    try:
        for block_type, offset, value in document[3]:
            depth = LABELS.get(block_type)
            if depth is not None:
                blocks.extend(_Document(text).blocks(block_type, offset, value, depth))
    except SyntaxProblem as problem:
        raise JsonProblem(*position(text, problem.offset), problem.what) from None
    return packed([[], blocks])


def variables(text: str) -> FileWire:
    """A .tfvars.json file's attributes."""
    document = read(text)
    if document[0] != "o":
        raise JsonProblem(1, 1, "not a variables file: the top level is not an object")
    try:
        return packed(_Document(text).body(document))
    except SyntaxProblem as problem:
        raise JsonProblem(*position(text, problem.offset), problem.what) from None


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text

    def value(self, pos: int, depth: int) -> tuple[Value, int]:
        text = self.text
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        char = text[pos]
        if char == "{":
            return self._object(pos, depth)
        if char == "[":
            return self._array(pos, depth)
        if char == '"':
            decoded, end = scanstring(text, pos + 1, True)
            return ("s", pos, end, decoded), end
        for word, constant in _CONSTANTS.items():
            if text.startswith(word, pos):
                return ("c", pos, pos + len(word), constant), pos + len(word)
        for word, odd in _ODD_NUMBERS.items():
            if text.startswith(word, pos):
                return ("c", pos, pos + len(word), odd), pos + len(word)
        found = _NUMBER.match(text, pos)
        if found is None:  # json.loads read it: cannot happen
            raise JsonProblem(*position(text, pos), "invalid JSON")
        number = float(found.group()) if found.group(1) or found.group(2) else int(found.group())
        return ("c", pos, found.end(), number), found.end()

    def _object(self, start: int, depth: int) -> tuple[Value, int]:
        text = self.text
        items: list[tuple[str, int, Value]] = []
        pos = _SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
        while text[pos] != "}":
            key, pos = scanstring(text, pos + 1, True)
            key_start = text.rfind('"', 0, pos - 1)
            pos = _SPACE.match(text, pos).end() + 1  # type: ignore[union-attr]  # past ':'
            item, pos = self.value(pos, depth + 1)
            items.append((key, key_start, item))
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] == ",":
                pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
        return ("o", start, pos + 1, items), pos + 1

    def _array(self, start: int, depth: int) -> tuple[Value, int]:
        text = self.text
        items: list[Value] = []
        pos = _SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
        while text[pos] != "]":
            item, pos = self.value(pos, depth + 1)
            items.append(item)
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] == ",":
                pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
        return ("a", start, pos + 1, items), pos + 1


class _Document:
    def __init__(self, text: str) -> None:
        self.text = text

    def blocks(
        self, block_type: str, offset: int, value: Value, depth: int, labels: tuple[str, ...] = ()
    ) -> list[Wire]:
        """Each block of a type: an object, or an array of objects, at every label level."""
        found: list[Wire] = []
        for item in value[3] if value[0] == "a" else [value]:
            if item[0] != "o":
                where = " ".join((block_type, *labels))
                raise JsonProblem(*position(self.text, item[1]), f"{where} is not a block")
            if len(labels) == depth:
                attributes, nested = self.body(item, BLOCKS.get(block_type, {}))
                line, column = position(self.text, offset)
                end_line = position(self.text, item[2] - 1)[0]
                found.append([block_type, list(labels), line, column, end_line, attributes, nested])
                continue
            for label, label_offset, inner in item[3]:
                found += self.blocks(block_type, label_offset, inner, depth, (*labels, label))
        return found

    def body(self, value: Value, blocks: dict[str, int] | None = None) -> FileWire:
        attributes: list[Wire] = []
        nested: list[Wire] = []
        for key, offset, item in value[3]:
            if key == _COMMENT:
                continue
            if blocks and key in blocks and item[0] in ("o", "a"):
                nested += self.blocks(key, offset, item, blocks[key])
            else:
                attributes.append([key, *position(self.text, offset), self.expression(item, 0)])
        return [attributes, nested]

    def expression(self, value: Value, depth: int) -> Wire:
        kind, start, end, payload = value
        if depth > MAX_DEPTH:
            raise SyntaxProblem(start, TOO_DEEP)
        if kind == "s":
            return self.string(start, end, payload)
        if kind == "a":
            return ["u", start, end, [self.expression(item, depth + 1) for item in payload]]
        if kind == "o":
            items = [
                [
                    self.string(offset, self._string_end(offset), key),
                    self.expression(item, depth + 1),
                ]
                for key, offset, item in payload
            ]
            return ["o", start, end, items]
        return ["l", start, end, payload]

    def _string_end(self, start: int) -> int:
        return scanstring(self.text, start + 1, True)[1]  # type: ignore[no-any-return]

    def string(self, start: int, end: int, decoded: str) -> Wire:
        """A JSON string is a template: `"${var.region}-x"`."""
        if "${" not in decoded and "%{" not in decoded:
            return ["l", start, end, decoded]
        raw = self.text[start + 1 : end - 1]
        if raw == decoded:
            return template_text(decoded, lambda offset: start + 1 + offset)
        # Escapes make the decoded text shorter: the raw offset of each decoded character.
        starts: list[int] = []
        pos = 0
        for escape in _ESCAPE.finditer(raw):
            starts += range(pos, escape.start())
            starts.append(escape.start())
            pos = escape.end()
        starts += range(pos, len(raw) + 1)
        return template_text(
            decoded, lambda offset: start + 1 + starts[min(offset, len(starts) - 1)]
        )
