"""Terraform's built-in functions on known values, as pure functions.

Each takes the evaluated arguments (Python values as lintsov holds them: str, int, float,
bool, None, list, dict; a set is a sorted list without repeats) and returns the result, or
raises ``Refused`` with what is wrong, worded to follow the call as written:
"`split(1)` has the wrong number of arguments". The evaluator (lintsov.load.hcl_expr) turns
that into an Unknown with the reason. Functions that decide which arguments to evaluate
(try, can, coalesce, lookup) or that read files live in the evaluator.

Results are bounded (MAX_ITEMS elements, MAX_TEXT characters): a configuration that builds
more is Unknown, never a long wait.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

MAX_ITEMS = 10_000
MAX_TEXT = 1 << 20


class Refused(Exception):
    """The function gives no value for these arguments; the message says why."""


Function = Callable[..., Any]


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a bool"
    return "a number" if is_number(value) else "a string"


def number_text(value: int | float) -> str:
    """A number as Terraform prints it: 1 not 1.0, 0.00001 not 1e-05."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    if not math.isfinite(value):
        return repr(value)
    return format(Decimal(repr(value)), "f")


def text_of(value: Any) -> str | None:
    """A string, number or bool as a template renders it; None for null and collections."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if is_number(value):
        return number_text(value)
    return None


def _string(value: Any, what: str = "argument") -> str:
    text = text_of(value)
    if text is None:
        raise Refused(f"gets {kind(value)} as {what}, not a string")
    return text


def _list(value: Any, what: str = "argument") -> list[Any]:
    if not isinstance(value, list):
        raise Refused(f"gets {kind(value)} as {what}, not a list")
    return value


def _map(value: Any, what: str = "argument") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Refused(f"gets {kind(value)} as {what}, not a map")
    return value


# A string Terraform converts to a number where one is needed ("5" + 1 is 6).
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def as_number(value: Any) -> int | float | None:
    if is_number(value):
        return value  # type: ignore[no-any-return]
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return float(value) if any(c in value for c in ".eE") else int(value)
    return None


def _number(value: Any, what: str = "argument") -> int | float:
    number = as_number(value)
    if number is None:
        raise Refused(f"gets {kind(value)} as {what}, not a number")
    return number


def _whole(value: Any, what: str = "argument") -> int:
    number = _number(value, what)
    if isinstance(number, float):
        if not number.is_integer():
            raise Refused(f"gets {number} as {what}, not a whole number")
        return int(number)
    return number


def _sized(items: list[Any]) -> list[Any]:
    if len(items) > MAX_ITEMS:
        raise Refused(f"would make {len(items)} elements, over lintsov's limit of {MAX_ITEMS}")
    return items


def _text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise Refused(f"would make {len(text)} characters, over lintsov's limit of {MAX_TEXT}")
    return text


def to_set(items: list[Any]) -> list[Any]:
    """A set as lintsov holds it: strings sorted (Terraform's order for a set of strings),
    without repeats; other elements only when all are numbers (sorted) or all bools."""
    texts = [text_of(item) for item in items]
    if any(t is None for t in texts) and items:
        raise Refused("needs strings, numbers or bools in a set")
    kinds = {kind(item) for item in items}
    if kinds == {"a number"}:
        return sorted(set(items))
    if kinds == {"a bool"}:
        return sorted(set(items))
    return sorted({t for t in texts if t is not None})


# --- collections ---------------------------------------------------------------------------


def coalescelist(*lists: Any) -> Any:
    for item in lists:
        if _list(item):
            return item
    raise Refused("has only empty lists")


def element(items: Any, index: Any) -> Any:
    items, at = _list(items), _whole(index, "index")
    if not items:
        raise Refused("gets an empty list")
    if at < 0:
        raise Refused("gets a negative index")
    return items[at % len(items)]  # Terraform wraps around


def flatten(items: Any) -> list[Any]:
    out: list[Any] = []

    def walk(value: list[Any], depth: int) -> None:
        if depth > 100:
            raise Refused("nests lists too deeply")
        for item in value:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append(item)
                _sized(out)

    walk(_list(items), 0)
    return out


def distinct(items: Any) -> list[Any]:
    out: list[Any] = []
    for item in _list(items):
        if not any(_same(item, seen) for seen in out):
            out.append(item)
    return out


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def keys(mapping: Any) -> list[str]:
    return sorted(_map(mapping))


def values(mapping: Any) -> list[Any]:
    mapping = _map(mapping)
    return [mapping[key] for key in sorted(mapping)]


def length(value: Any) -> int:
    if isinstance(value, (list, dict)):
        return len(value)
    if isinstance(value, str):
        return len(value)
    raise Refused(f"gets {kind(value)}, which has no length")


def contains(items: Any, value: Any) -> bool:
    return any(_same(item, value) for item in _list(items))


def compact(items: Any) -> list[Any]:
    out = []
    for item in _list(items):
        if item is None or item == "":
            continue
        out.append(_string(item, "an element"))
    return out


def zipmap(names: Any, items: Any) -> dict[str, Any]:
    names, items = _list(names, "keys"), _list(items, "values")
    if len(names) != len(items):
        raise Refused("gets lists of different lengths")
    return {_string(name, "a key"): item for name, item in zip(names, items, strict=True)}


def toset(items: Any) -> Any:
    if items is None:
        return None
    return to_set(_list(items))


def tonumber(value: Any) -> Any:
    if value is None:
        return None
    return _number(value)


def tobool(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise Refused(f"gets {kind(value)}, not a bool")


def one(items: Any) -> Any:
    items = _list(items)
    if len(items) > 1:
        raise Refused(f"gets {len(items)} elements, not at most one")
    return items[0] if items else None


def range_(*bounds: Any) -> list[Any]:
    if not 1 <= len(bounds) <= 3:
        raise Refused("has the wrong number of arguments")
    numbers = [_number(b) for b in bounds]
    start, stop, step = (0, numbers[0], 1) if len(numbers) == 1 else (*numbers[:2], 1)
    if len(numbers) == 3:
        step = numbers[2]
    if step == 0:
        raise Refused("has a step of zero")
    if (stop - start) * step < 0:
        raise Refused("has a step that moves away from the end")
    count = math.ceil((stop - start) / step)
    _sized([None] * min(count, MAX_ITEMS + 1))
    return [start + i * step for i in range(count)]


def setunion(*sets: Any) -> list[Any]:
    return to_set([item for items in sets for item in _list(items)])


def setintersection(first: Any, *others: Any) -> list[Any]:
    found = to_set(_list(first))
    for items in others:
        other = to_set(_list(items))
        found = [item for item in found if item in other]
    return found


def slice_(items: Any, start: Any, end: Any) -> list[Any]:
    found, low, high = _list(items), _whole(start, "start"), _whole(end, "end")
    if low < 0 or high > len(found) or low > high:
        raise Refused(f"slices [{low}:{high}] out of a list of {len(found)}")
    return found[low:high]


def reverse(items: Any) -> list[Any]:
    return list(reversed(_list(items)))


def sort(items: Any) -> list[str]:
    return sorted(_string(item, "an element") for item in _list(items))


def index(items: Any, value: Any) -> int:
    for at, item in enumerate(_list(items)):
        if _same(item, value):
            return at
    raise Refused("does not find the value in the list")


def min_(*numbers: Any) -> Any:
    if not numbers:
        raise Refused("has no arguments")
    return min(_number(n) for n in numbers)


def max_(*numbers: Any) -> Any:
    if not numbers:
        raise Refused("has no arguments")
    return max(_number(n) for n in numbers)


def abs_(number: Any) -> Any:
    return abs(_number(number))


# --- strings -------------------------------------------------------------------------------


def join(separator: Any, *lists: Any) -> str:
    if not lists:
        raise Refused("has no list to join")
    separator = _string(separator, "separator")
    items = [item for items in lists for item in _list(items) if item is not None]
    return _text(separator.join(_string(item, "an element") for item in items))


def split(separator: Any, text: Any) -> list[str]:
    separator, text = _string(separator, "separator"), _string(text)
    if separator == "":
        return _sized(list(text))
    return _sized(text.split(separator))


def replace(text: Any, search: Any, replacement: Any) -> str:
    text, search = _string(text), _string(search, "substring")
    replacement = _string(replacement, "replacement")
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        pattern = compiled(search[1:-1], text)
        return _text(pattern.sub(lambda found: _expand(replacement, found), text))
    if search == "":
        raise Refused("replaces an empty string")
    return _text(text.replace(search, replacement))


def _expand(template: str, found: re.Match[str]) -> str:
    """Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; a missing group is ""."""
    out: list[str] = []
    pos = 0
    for ref in re.finditer(r"\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))", template):
        out.append(template[pos : ref.start()])
        pos = ref.end()
        if ref.group(1) == "$":
            out.append("$")
            continue
        name = ref.group(2) or ref.group(3)
        out.append(_group(found, name) or "")
    out.append(template[pos:])
    return "".join(out)


def _group(found: re.Match[str], name: str) -> str | None:
    try:
        return found.group(int(name) if name.isdigit() else name)
    except (IndexError, ValueError):  # Go expands a missing group to nothing
        return None


# What Python's re reads otherwise than Go's RE2 (which Terraform uses), or does not read.
_NOT_RE2 = re.compile(
    r"\(\?[=!<>]|\(\?P=|\\[1-9]|\\[pPQECzZAG]|\[:|\(\?(?!P<)[a-zA-Z]*[^a-zA-Z):]|\{,"
)


def compiled(pattern: str, subject: str) -> re.Pattern[str]:
    """A Python pattern that matches as RE2 would on `subject`, or Refused."""
    odd = _NOT_RE2.search(pattern)
    if odd:
        raise Refused(
            f"uses `{odd.group()}` in a pattern, which Python's re and Terraform's RE2 read "
            "differently"
        )
    # Python's $ also matches before a final newline; RE2's (without (?m)) does not.
    if "$" in pattern and "\n" in subject:
        raise Refused("uses $ on text with a line break, which Python's re reads otherwise")
    if "(?i" in pattern and not subject.isascii():
        raise Refused("folds case on non-ASCII text, which Python's re does otherwise")
    try:
        # RE2's \d, \w, \s and \b are ASCII only.
        return re.compile(pattern, re.ASCII)
    except (re.error, RecursionError, OverflowError) as error:
        raise Refused(f"has an invalid pattern ({error})") from None


def _match_value(pattern: re.Pattern[str], found: re.Match[str]) -> Any:
    if pattern.groupindex:
        if len(pattern.groupindex) != pattern.groups:
            raise Refused("mixes named and unnamed groups")
        return {name: found.group(name) or "" for name in pattern.groupindex}
    if pattern.groups:
        return [group or "" for group in found.groups()]
    return found.group()


def regex(pattern: Any, text: Any) -> Any:
    text = _string(text)
    compiled_pattern = compiled(_string(pattern, "pattern"), text)
    found = compiled_pattern.search(text)
    if found is None:
        raise Refused("finds no match")
    return _match_value(compiled_pattern, found)


def regexall(pattern: Any, text: Any) -> list[Any]:
    text = _string(text)
    compiled_pattern = compiled(_string(pattern, "pattern"), text)
    return _sized(
        [_match_value(compiled_pattern, f) for f in compiled_pattern.finditer(text)][
            : MAX_ITEMS + 1
        ]
    )


def title(text: Any) -> str:
    # Go's strings.Title: the first letter of each word, words split at non-letters.
    out, previous = [], " "
    for char in _string(text):
        starts = not (previous.isalnum() or previous in "_'")
        upper = char.upper()
        out.append(upper if starts and len(upper) == 1 else char)
        previous = char
    return "".join(out)


def trimspace(text: Any) -> str:
    return _string(text).strip()


def trim(text: Any, characters: Any) -> str:
    return _string(text).strip(_string(characters, "characters"))


def trimprefix(text: Any, prefix: Any) -> str:
    return _string(text).removeprefix(_string(prefix, "prefix"))


def trimsuffix(text: Any, suffix: Any) -> str:
    return _string(text).removesuffix(_string(suffix, "suffix"))


def substr(text: Any, offset: Any, count: Any) -> str:
    whole, start, size = _string(text), _whole(offset, "offset"), _whole(count, "length")
    if start < 0:
        start += len(whole)
    if start < 0 or start > len(whole):
        raise Refused("has an offset outside the string")
    if size == -1:
        return whole[start:]
    if size < 0:
        raise Refused("has a negative length")
    return whole[start : start + size]


def startswith(text: Any, prefix: Any) -> bool:
    return _string(text).startswith(_string(prefix, "prefix"))


def endswith(text: Any, suffix: Any) -> bool:
    return _string(text).endswith(_string(suffix, "suffix"))


# --- encodings -----------------------------------------------------------------------------


def jsonencode(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise Refused("gets a number JSON cannot hold")
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    # Go's encoder, which Terraform uses, escapes these for HTML and JavaScript.
    for char, escaped in _GO_ESCAPES.items():
        text = text.replace(char, escaped)
    return _text(text)


_GO_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def jsondecode(text: Any) -> Any:
    try:
        return json.loads(_string(text), parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise Refused(f"gets text that is not JSON ({type(error).__name__})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def base64encode(text: Any) -> str:
    return _text(base64.b64encode(_string(text).encode("utf-8")).decode("ascii"))


def base64decode(text: Any) -> str:
    try:
        data = base64.b64decode(_string(text), validate=True)
        return data.decode("utf-8")
    except (binascii.Error, ValueError):
        raise Refused("gets text that is not base64 of UTF-8") from None


FUNCTIONS: dict[str, Function] = {
    "coalescelist": coalescelist,
    "element": element,
    "flatten": flatten,
    "distinct": distinct,
    "keys": keys,
    "values": values,
    "length": length,
    "contains": contains,
    "compact": compact,
    "zipmap": zipmap,
    "toset": toset,
    "tonumber": tonumber,
    "tobool": tobool,
    "one": one,
    "range": range_,
    "setunion": setunion,
    "setintersection": setintersection,
    "slice": slice_,
    "reverse": reverse,
    "sort": sort,
    "index": index,
    "min": min_,
    "max": max_,
    "abs": abs_,
    "join": join,
    "split": split,
    "replace": replace,
    "regex": regex,
    "regexall": regexall,
    "title": title,
    "trimspace": trimspace,
    "trim": trim,
    "trimprefix": trimprefix,
    "trimsuffix": trimsuffix,
    "substr": substr,
    "startswith": startswith,
    "endswith": endswith,
    "jsonencode": jsonencode,
    "jsondecode": jsondecode,
    "base64encode": base64encode,
    "base64decode": base64decode,
}
