"""HCL read at the level of brackets, strings, heredocs and comments, without parsing it.

Three uses, none on the usual path (python-hcl2's grammar reads a file whole):

- ``ignore_bracketed_newlines``: Terraform ignores line breaks inside ``(...)`` and
  ``[...]``, python-hcl2 8.1's grammar accepts them only in some places. It refuses, for
  instance, a traversal continued on the next line (cloud-foundation-fabric's gke-nodepool)::

      length(try(
        var.node_config.containerd_config
        .private_registry_access_config,
        []
      ))

  so a file that does not parse is read again with every line break and comment directly
  inside parentheses or square brackets replaced by spaces: the same characters at the same
  offsets, so that every line and column lintsov reports (worked out from offsets in the
  file's own text) stays right.
- ``diagnose``: the likely cause of a parse error, such as a bracket or string left open.
- ``sequence_end``: where a ``${...}`` or ``%{...}`` that starts in a heredoc or a JSON
  string ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The characters that may open, close or hide something, in expressions and in strings.
_CODE = re.compile(r'[()\[\]{}"#/<\n]')
_STRING = re.compile(r'["\\$%\n]')
_HEREDOC = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\n")
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_NAMES = {"(": "'('", "[": "'['", "{": "'{'", "${": "'${'", "%{": "'%{'", '"': "string"}


@dataclass(frozen=True)
class Problem:
    offset: int
    what: str


class _Scanner:
    """Walks `text` from `start`, keeping a stack of what is open: "(", "[", "{", "${",
    "%{" (code inside them) and '"' (a quoted template)."""

    def __init__(self, text: str, stack: list[tuple[str, int]] | None = None) -> None:
        self.text = text
        self.stack: list[tuple[str, int]] = stack or []
        self.blank: list[tuple[int, int]] = []  # spans inside ( or [ that Terraform ignores
        self.problem: Problem | None = None

    def run(self, pos: int, until_closed: bool = False) -> int:
        """Scan from `pos` to the end (or, with `until_closed`, to just past the closer of
        the bottom of the stack); stops at the first problem."""
        text, end = self.text, len(self.text)
        while pos < end and self.problem is None:
            if until_closed and not self.stack:
                return pos
            in_string = bool(self.stack) and self.stack[-1][0] == '"'
            pos = self._string(pos) if in_string else self._code(pos)
        if self.problem is None and self.stack:
            opener, at = self.stack[-1]
            self.problem = Problem(
                at, f"the {_NAMES[opener]} opened at {self.place(at)} is not closed"
            )
        return min(pos, len(text))

    def place(self, offset: int) -> str:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return f"line {line}, column {column}"

    def _string(self, pos: int) -> int:
        text = self.text
        found = _STRING.search(text, pos)
        if found is None:
            return len(text)
        at, char = found.start(), found.group()
        if char == '"':
            self.stack.pop()
            return at + 1
        if char == "\\":
            return at + 2
        if char == "\n":
            opened = self.stack[-1][1]
            self.problem = Problem(
                at, f"the string opened at {self.place(opened)} is not closed on its line"
            )
            return at
        if text.startswith(char * 2 + "{", at):  # $${ and %%{ are literal text
            return at + 3
        if text.startswith("{", at + 1):
            self.stack.append((char + "{", at))
            return at + 2
        return at + 1

    def _code(self, pos: int) -> int:
        text = self.text
        found = _CODE.search(text, pos)
        if found is None:
            return len(text)
        at, char = found.start(), found.group()
        inside = self.stack[-1][0] if self.stack else ""
        if char in "([{":
            self.stack.append((char, at))
            return at + 1
        if char in ")]}":
            return self._close(char, at, inside)
        if char == '"':
            self.stack.append(('"', at))
            return at + 1
        if char == "\n":
            if inside in ("(", "["):
                self.blank.append((at, at + 1))
            return at + 1
        if char == "#" or text.startswith("//", at):
            stop = text.find("\n", at)
            stop = len(text) if stop < 0 else stop + 1
            return self._comment(at, stop, inside)
        if text.startswith("/*", at):
            stop = text.find("*/", at + 2)
            if stop < 0:
                self.problem = Problem(at, f"the comment opened at {self.place(at)} is not closed")
                return at
            return self._comment(at, stop + 2, inside)
        if char == "<":
            return self._heredoc(at)
        return at + 1

    def _close(self, char: str, at: int, inside: str) -> int:
        if inside == _CLOSERS[char] or (char == "}" and inside in ("${", "%{")):
            self.stack.pop()
            return at + 1
        if not inside:
            self.problem = Problem(at, f"a stray '{char}' with nothing open to close")
        else:
            opened = self.stack[-1][1]
            self.problem = Problem(
                at,
                f"'{char}' where the {_NAMES[inside]} opened at {self.place(opened)} is not closed",
            )
        return at

    def _comment(self, at: int, stop: int, inside: str) -> int:
        if inside in ("(", "["):
            self.blank.append((at, stop))
        return stop

    def _heredoc(self, at: int) -> int:
        opener = _HEREDOC.match(self.text, at)
        if opener is None:
            return at + 1  # a comparison
        marker = re.compile(rf"^[ \t]*{re.escape(opener.group(1))}$", re.MULTILINE)
        closing = marker.search(self.text, opener.end())
        if closing is None:
            self.problem = Problem(
                at,
                f"the heredoc {opener.group(0).strip()} opened at {self.place(at)} has no "
                f"closing {opener.group(1)} line",
            )
            return at
        return closing.end() + 1  # the line break after the marker belongs to the heredoc


def ignore_bracketed_newlines(text: str) -> str | None:
    """`text` with line breaks and comments directly inside (...) and [...] turned into
    spaces, offsets unchanged; None when there are none, or when the brackets do not
    balance (the parse error then stands)."""
    scanner = _Scanner(text)
    scanner.run(0)
    if scanner.problem is not None or not scanner.blank:
        return None
    pieces: list[str] = []
    pos = 0
    for start, stop in scanner.blank:
        pieces += (text[pos:start], " " * (stop - start))
        pos = stop
    pieces.append(text[pos:])
    return "".join(pieces)


def diagnose(text: str) -> Problem | None:
    """The first bracket, brace, string, heredoc or comment left open or closed wrongly."""
    scanner = _Scanner(text)
    scanner.run(0)
    return scanner.problem


def sequence_end(text: str, start: int) -> int | None:
    """Just past the `}` that closes the ``${`` or ``%{`` at `start`; None if none does."""
    scanner = _Scanner(text, [(text[start : start + 2], start)])
    end = scanner.run(start + 2, until_closed=True)
    return None if scanner.problem is not None or scanner.stack else end
