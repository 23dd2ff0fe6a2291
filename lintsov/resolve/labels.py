"""Reading a resource's tags and labels wherever its type keeps them: a top-level map, a map
in a nested block (``settings.user_labels``, ``metadata.labels``), ``tag {key, value}``
blocks, or ``"key:value"`` strings, as the catalogue's ``labels.json`` says.

Plans and configuration folders both give nested blocks as lists of objects, so one walk
reads both. A value Terraform knows only after apply is reported as unread, with the
reason, never taken for an absent label.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, NamedTuple

from lintsov.catalogue import LabelLocation, LabelLocations
from lintsov.resolve.values import Values, is_mapping


class Label(NamedTuple):
    """One tag or label: its key as written and as matched (``Security.data-classification``
    is matched as ``data-classification``), its value, where it was found
    (``settings.user_labels``, ``tag``), and whether Terraform marks it sensitive (then it is
    never printed)."""

    # A NamedTuple, not a frozen dataclass: a classified resource has one in each of its
    # maps (tags and tags_all), and a tuple is made about twice as fast.
    key: str
    value: str
    where: str
    location: LabelLocation
    hidden: bool
    name: str = ""

    @property
    def matched(self) -> str:
        return self.name or self.key


@dataclass(frozen=True)
class Unread:
    """A place that may hold labels whose value is known only after apply; ``key`` when only
    that key's value is unknown."""

    where: str
    reason: str
    key: str | None = None

    def text(self) -> str:
        return f"{self.where} is known only after apply" + (
            f" ({self.reason})" if self.reason else ""
        )


@dataclass(frozen=True)
class Labels:
    found: tuple[Label, ...]
    unread: tuple[Unread, ...]


# What most resources carry that classifies: nothing. One value shared by them all.
NOTHING = Labels((), ())


def read(
    values: Values, locations: LabelLocations, wanted: AbstractSet[str] | None = None
) -> Labels:
    """The labels at the type's label locations, in catalogue order: every one, or those
    whose key, in lower case, is in ``wanted`` (a resource carries dozens of tags; one or
    two classify)."""
    found: list[Label] = []
    unread: list[Unread] = []
    for location in locations.locations:
        head = location.path[0]
        value, unknown = values.known(head), _mark(values.unknown, head)
        if value is None and unknown is None:
            continue
        if not unknown and len(location.path) == 1:
            keys = _wanted_keys(value, location, wanted)
            if keys is not None:  # a map known whole, its keys picked at once: most places
                if keys:
                    sensitive = _mark(values.sensitive, head)
                    top = _Node(value, unknown, sensitive, head, sensitive is True)
                    _map_labels(top, location, keys, {}, found, unread)
                continue
        sensitive = _mark(values.sensitive, head)
        if len(location.path) == 1:
            # Most locations are a top-level attribute: read it as _walk would, with
            # nothing left of the path, without walking.
            if _is_unknown(unknown):
                unread.append(Unread(head, unknown if isinstance(unknown, str) else ""))
            else:
                top = _Node(value, unknown, sensitive, head, sensitive is True)
                _labels(top, location, wanted, found, unread)
            continue
        start = _Node(value, unknown, sensitive, head, False)
        for node in _walk(start, location.path[1:]):
            if isinstance(node, Unread):
                unread.append(node)
            else:
                _labels(node, location, wanted, found, unread)
    if not found and not unread:
        return NOTHING
    return Labels(tuple(found), tuple(unread))


def _wanted_keys(
    value: Any, location: LabelLocation, wanted: AbstractSet[str] | None
) -> list[str] | None:
    """The keys of a map, at a location of that shape, that are ``wanted``, sorted; told
    by one set operation when there is none (most maps). None when they cannot be picked
    so (namespaced keys, keys that are not text): _labels reads those one by one."""
    if (
        wanted is None
        or location.shape != "map"
        or location.namespace_separator
        or not isinstance(value, dict)
    ):
        return None
    try:
        if wanted.isdisjoint(map(str.lower, value)):
            return []
    except TypeError:  # a key that is not text
        return None
    keys = [key for key in value if key.lower() in wanted]
    keys.sort()
    return keys


class _Node(NamedTuple):
    # A NamedTuple, not a frozen dataclass: several are made per resource, and a tuple is
    # made several times faster.
    value: Any
    unknown: Any
    sensitive: Any
    where: str
    hidden: bool


def _walk(node: _Node, rest: tuple[str, ...]) -> Iterator[_Node | Unread]:
    """The values at the end of ``rest``, below ``node``; nested blocks are lists, read
    element by element (named ``settings[1]`` only when there are several)."""
    if _is_unknown(node.unknown):
        yield Unread(node.where, node.unknown if isinstance(node.unknown, str) else "")
        return
    hidden = node.hidden or node.sensitive is True
    if not rest:
        yield _Node(node.value, node.unknown, node.sensitive, node.where, hidden)
        return
    if isinstance(node.value, list):
        several = len(node.value) > 1
        for index, item in enumerate(node.value):
            where = f"{node.where}[{index}]" if several else node.where
            inner = _Node(
                item, _mark(node.unknown, index), _mark(node.sensitive, index), where, hidden
            )
            yield from _walk(inner, rest)
    elif is_mapping(node.value) or _is_unknown(_mark(node.unknown, rest[0])):
        head = rest[0]
        value = node.value.get(head) if is_mapping(node.value) else None
        inner = _Node(
            value,
            _mark(node.unknown, head),
            _mark(node.sensitive, head),
            f"{node.where}.{head}",
            hidden,
        )
        yield from _walk(inner, rest[1:])


def _labels(
    node: _Node,
    location: LabelLocation,
    wanted: AbstractSet[str] | None,
    found: list[Label],
    unread: list[Unread],
) -> None:
    if location.shape == "map" and is_mapping(node.value):
        # A value known only after apply is left out of the plan's values, marked only.
        later = node.unknown if is_mapping(node.unknown) else {}
        keys = _map_keys(node.value, later, location.namespace_separator, wanted)
        _map_labels(node, location, keys, later, found, unread)
    elif location.shape in ("key-value-list", "strings") and isinstance(node.value, list):
        for index, item in enumerate(node.value):
            unknown, sensitive = _mark(node.unknown, index), _mark(node.sensitive, index)
            if _is_unknown(unknown) or (
                is_mapping(unknown) and any(_is_unknown(m) for m in unknown.values())
            ):
                unread.append(Unread(f"{node.where}[{index}]", ""))
                continue
            hidden = node.hidden or sensitive is True or _has_mark(sensitive)
            pair = _pair(item, location)
            if pair is not None and (wanted is None or pair[0].lower() in wanted):
                found.append(Label(pair[0], pair[1], node.where, location, hidden))


def _map_labels(
    node: _Node,
    location: LabelLocation,
    keys: list[str],
    later: Mapping[Any, Any],
    found: list[Label],
    unread: list[Unread],
) -> None:
    """The labels of a map at ``keys``; ``later`` marks the values known only after apply."""
    separator = location.namespace_separator
    for key in keys:
        name = _namespaced(key, separator)
        value = node.value.get(key)
        if _is_unknown(later.get(key)):
            unread.append(Unread(f"{node.where}[{key!r}]", "", key))
        elif isinstance(value, str):
            hidden = node.hidden or _mark(node.sensitive, key) is True
            found.append(Label(key, value, node.where, location, hidden, name))


def _map_keys(
    value: Mapping[Any, Any],
    later: Mapping[Any, Any],
    separator: str,
    wanted: AbstractSet[str] | None,
) -> list[str]:
    """The text keys of a map and of its marks of values known only after apply, sorted:
    all of them, or those whose key (without its namespace), in lower case, is ``wanted``.
    Keys that are not wanted are left out before sorting: a resource carries dozens."""
    keys = {*value, *later} if later else value
    if wanted is None:
        picked = [k for k in keys if isinstance(k, str)]
    elif separator:
        picked = [
            k
            for k in keys
            if isinstance(k, str) and (_namespaced(k, separator) or k).lower() in wanted
        ]
    else:
        picked = [k for k in keys if isinstance(k, str) and k.lower() in wanted]
    picked.sort()
    return picked


def _namespaced(key: str, separator: str | None) -> str:
    """The key without its namespace (OCI's ``Namespace.key``); "" when it has none."""
    return key.split(separator, 1)[1] if separator and separator in key else ""


def _pair(item: Any, location: LabelLocation) -> tuple[str, str] | None:
    if location.shape == "key-value-list":
        if not is_mapping(item):
            return None
        key, value = item.get(location.key), item.get(location.value)
        return (key, value) if isinstance(key, str) and isinstance(value, str) else None
    if not isinstance(item, str):
        return None
    for separator in location.separators:
        if separator in item:
            key, value = item.split(separator, 1)
            return key.strip(), value.strip()
    return None


def _mark(marks: Any, key: str | int) -> Any:
    """The unknown or sensitive mark of one key or element, in the shape plans give them
    (nested dicts and lists of booleans; configuration folders give reasons as text)."""
    if isinstance(marks, dict):  # the common case, tested first: asked several times a map
        return marks.get(key) if isinstance(key, str) else None
    if is_mapping(marks) and isinstance(key, str):
        return marks.get(key)
    if isinstance(marks, list) and isinstance(key, int) and key < len(marks):
        return marks[key]
    return None


def _is_unknown(mark: Any) -> bool:
    return mark is True or (isinstance(mark, str) and bool(mark))


def _has_mark(marks: Any) -> bool:
    if marks is True:
        return True
    if is_mapping(marks):
        return any(_has_mark(m) for m in marks.values())
    if isinstance(marks, list):
        return any(_has_mark(m) for m in marks)
    return False
