"""Inline waivers in configuration files:

    # lintsov:ignore SOV002,SOV003 reason="EU data boundary contract, SEC-12" until=2027-06-30

on the comment line(s) right before a block, or inside it. They are read here, from the
text, because parsers drop comments; what they mean is decided in lintsov.waivers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol

from lintsov.stack import Waiver

_MARK = re.compile(r"(?:#|//|/\*)\s*lintsov:ignore\b(?P<rest>.*)$")
_RULES = re.compile(r"\s*(?P<rules>[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)")
_FIELD = re.compile(r'\s*(?P<key>[a-z_]+)=(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>\S+))')
_COMMENT = re.compile(r"^\s*(#|//|/\*|\*)")


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def waivers_in(path: str, text: str, blocks: Sequence[_Span]) -> Iterator[Waiver]:
    if "lintsov:ignore" not in text:
        return
    lines = text.splitlines()
    spans = sorted((b.start, b.end) for b in blocks)
    for number, line in enumerate(lines, start=1):
        match = _MARK.search(line)
        if match is None or not _in_comment(line, match.start()):
            continue
        rules, reason, until = _fields(match.group("rest").rstrip().removesuffix("*/"))
        start, end = _block_for(number, lines, spans)
        yield Waiver(rules, reason, until, path, number, start, end, line.strip())


def _in_comment(line: str, at: int) -> bool:
    # A mark inside a string ("... # lintsov:ignore ...") is not a comment.
    return line[:at].count('"') % 2 == 0


def _fields(rest: str) -> tuple[tuple[str, ...], str, str]:
    match = _RULES.match(rest)
    rules: tuple[str, ...] = ()
    if match:
        rules = tuple(r.strip().upper() for r in match.group("rules").split(","))
        rest = rest[match.end() :]
    found: dict[str, str] = {}
    for field in _FIELD.finditer(rest):
        quoted = field.group("quoted")
        value = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else field.group("bare")
        found[field.group("key")] = value
    return rules, found.get("reason", "").strip(), found.get("until", "").strip()


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
