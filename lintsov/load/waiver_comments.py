"""Inline waivers in configuration files:

    # lintsov:ignore SOV002,SOV003 reason="EU data boundary contract, SEC-12" until=2027-06-30

on the comment line(s) right before a block, or inside it. They are read here, from the
text, because parsers drop comments; what they mean is decided in lintsov.waivers.

The grammar is strict, because a waiver that is read loosely waives what nobody wrote:

    waiver  = opener, "lintsov:ignore", space, rules, { space, field }, [ space ]
    opener  = ( "#" | "//" | "/*" ), [ space ]        a "/*" comment ends at "*/"
    rules   = rule, { [ space ], ",", [ space ], rule }
    rule    = letters, digits                         e.g. SOV002, in any case
    field   = key, "=", value                         no space around "="
    key     = "reason" | "until"                      each at most once
    value   = bare | '"', { char | escape }, '"' | "'", { char | escape }, "'"
    bare    = one or more characters but space, quotes and backslash
    escape  = "\\", ( "\\" | '"' | "'" )

A comment that does not parse completely becomes a Waiver with its ``error`` set: it waives
nothing, and rule LSV001 reports it with what is wrong and where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from lintsov.errors import MESSAGE_LIMIT, quoted, shorten
from lintsov.stack import Waiver

MARK = "lintsov:ignore"
KEYS = ("reason", "until")
_OPENER = re.compile(r"(?:#|//|/\*)\s*lintsov:ignore")
_RULE = re.compile(r"[A-Za-z]+[0-9]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_BARE = re.compile(r"""[^\s"'\\]+""")
_SPACE = re.compile(r"\s*")
_ESCAPED = ("\\", '"', "'")
_COMMENT = re.compile(r"^\s*(#|//|/\*|\*)")


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class Parsed:
    """What a waiver comment says: its rules and fields, or what is wrong with it."""

    rules: tuple[str, ...] = ()
    fields: Mapping[str, str] = field(default_factory=dict)
    error: str = ""


def waivers_in(
    path: str, text: str, blocks: Sequence[_Span], *, shared: bool = False
) -> Iterator[Waiver]:
    if MARK not in text:
        return
    lines = text.splitlines()
    spans = sorted((b.start, b.end) for b in blocks)
    for number, line in enumerate(lines, start=1):
        match = _OPENER.search(line)
        if match is None or not _in_comment(line, match.start()):
            continue
        rest = line[match.end() :]
        if line[match.start() : match.start() + 2] == "/*":
            rest = rest.split("*/", 1)[0]
        parsed = parse(rest, match.end())
        start, end = _block_for(number, lines, spans)
        yield Waiver(
            parsed.rules,
            parsed.fields.get("reason", "").strip(),
            parsed.fields.get("until", "").strip(),
            path,
            number,
            start,
            end,
            shorten(line.strip(), MESSAGE_LIMIT),
            error=parsed.error,
            shared=shared,
        )


def parse(rest: str, offset: int = 0) -> Parsed:
    """The text after ``lintsov:ignore``; ``offset`` is where it starts in its line, so
    that an error can name the column."""
    scanner = _Scanner(rest, offset)
    try:
        scanner.waiver()
    except _Refused as refused:
        return Parsed(tuple(scanner.rules), scanner.fields, str(refused))
    return Parsed(tuple(scanner.rules), scanner.fields)


class _Refused(Exception):
    """What is wrong with the comment, and at which column."""


class _Scanner:
    def __init__(self, text: str, offset: int) -> None:
        self.text = text
        self.offset = offset
        self.at = 0
        self.rules: list[str] = []
        self.fields: dict[str, str] = {}

    def waiver(self) -> None:
        if not self._space():
            if self._done():
                raise self._refuse("names no rule")
            raise self._refuse(f"{MARK} must be followed by a space, not {self._word()}")
        if self._done():
            raise self._refuse("names no rule")
        self._rule_list()
        while self._space() and not self._done():
            self._field()
        if not self._done():
            raise self._refuse(f"stray text {self._word()}")

    def _rule_list(self) -> None:
        if _NAME.match(self.text, self.at) and "=" in self._word_text():
            raise self._refuse("names no rule before its fields")
        self._rule()
        while True:
            after = _SPACE.match(self.text, self.at)
            end = after.end() if after else self.at
            if not self.text.startswith(",", end):
                return
            self.at = end + 1
            self._space()
            if self._done():
                raise self._refuse("a rule id must follow ','")
            self._rule()

    def _rule(self) -> None:
        found = _RULE.match(self.text, self.at)
        word = self._word_text().split(",", 1)[0]
        if found is None or found.group() != word:
            raise self._refuse(f"{quoted(word)} is not a rule id (letters, then digits: SOV002)")
        self.rules.append(found.group().upper())
        self.at = found.end()

    def _field(self) -> None:
        name = _NAME.match(self.text, self.at)
        if name is None:
            raise self._refuse(f"stray text {self._word()}")
        key = name.group()
        if not self.text.startswith("=", name.end()):
            if key in KEYS:
                raise self._refuse(f"{key} must be followed by '=' and its value, no space")
            raise self._refuse(f"stray text {self._word()}")
        if key not in KEYS:
            raise self._refuse(f"unknown key {quoted(key)} (known: {', '.join(KEYS)})")
        if key in self.fields:
            raise self._refuse(f"{key} is given twice")
        self.at = name.end() + 1
        self.fields[key] = self._value(key)

    def _value(self, key: str) -> str:
        if self._done() or self.text[self.at].isspace():
            raise self._refuse(f"{key}= has no value")
        quote = self.text[self.at]
        if quote not in ('"', "'"):
            bare = _BARE.match(self.text, self.at)
            self.at = bare.end() if bare else self.at
            if bare is None or (not self._done() and not self.text[self.at].isspace()):
                raise self._refuse(
                    f"a quote or backslash inside the unquoted value of {key}: quote the "
                    "whole value"
                )
            return bare.group()
        opened = self.at
        self.at += 1
        value: list[str] = []
        while not self._done():
            char = self.text[self.at]
            if char == quote:
                self.at += 1
                if not self._done() and not self.text[self.at].isspace():
                    raise self._refuse(f"stray text {self._word()} after the value of {key}")
                return "".join(value)
            if char == "\\":
                escaped = self.text[self.at + 1 : self.at + 2]
                if escaped not in _ESCAPED:
                    raise self._refuse(
                        f"unknown escape {quoted(char + escaped)} in the value of {key} "
                        "(escapes: \\\\, \\\" and \\')"
                    )
                value.append(escaped)
                self.at += 2
                continue
            value.append(char)
            self.at += 1
        self.at = opened
        raise self._refuse(f"the value of {key} opens a quote ({quote}) that does not close")

    def _space(self) -> bool:
        found = _SPACE.match(self.text, self.at)
        moved = found is not None and found.end() > self.at
        if found is not None:
            self.at = found.end()
        return moved

    def _done(self) -> bool:
        return self.at >= len(self.text)

    def _word_text(self) -> str:
        return self.text[self.at :].split(None, 1)[0] if not self._done() else ""

    def _word(self) -> str:
        return quoted(self._word_text())

    def _refuse(self, what: str) -> _Refused:
        return _Refused(f"{what}, at column {self.offset + self.at + 1}")


def _in_comment(line: str, at: int) -> bool:
    # A mark inside a string ("... # lintsov:ignore ...") is not a comment.
    return line[:at].count('"') % 2 == 0


def _block_for(
    number: int, lines: Sequence[str], spans: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """The block a waiver on this line belongs to: the one it sits in, or the one that
    follows it after nothing but comment lines. (0, 0) when there is none."""
    for start, end in spans:
        if start <= number <= end:
            return start, end
    for start, end in spans:
        if start > number:
            between = lines[number : start - 1]
            if all(_COMMENT.match(line) for line in between):
                return start, end
            break
    return 0, 0
