"""Reading one resource's planned values: known, unknown until apply, or marked sensitive."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, TypeGuard

# Values that are never mappings: checked before asking the Mapping ABC, whose isinstance
# runs Python code and is asked dozens of times per resource.
_PLAIN = (type(None), bool, int, float, str, list, tuple)


def is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    """``isinstance(value, Mapping)``, fast for the dicts and scalars plans are made of."""
    if isinstance(value, dict):
        return True
    if isinstance(value, _PLAIN):
        return False
    return isinstance(value, Mapping)


def dig(value: object, *path: str) -> Iterator[object]:
    """Every value at ``path`` through nested blocks (lists of objects) and objects."""
    if not path:
        if isinstance(value, list):
            for item in value:
                yield from dig(item)
        elif value is not None:
            yield value
        return
    if isinstance(value, list):
        for item in value:
            yield from dig(item, *path)
    elif isinstance(value, dict):
        yield from dig(value.get(path[0]), *path[1:])


def _marked(mark: object) -> bool:
    """Whether a mark, or any mark nested in it, is set: "known only after apply" (True or
    the reason) for unknown marks, True for sensitive ones."""
    if mark is True or isinstance(mark, str):
        return True
    if is_mapping(mark):
        return any(_marked(m) for m in mark.values())
    if isinstance(mark, list):
        return any(_marked(m) for m in mark)
    return False


def _at(tree: object, name: str, inherit: bool) -> Any:
    """What ``tree`` holds at a dotted name (``body.location``). Below a value that is not
    an object there is nothing, unless ``inherit``: a mark on an object (unknown,
    sensitive) covers everything in it."""
    node: Any = tree
    for key in name.split("."):
        if is_mapping(node):
            node = node.get(key)
        elif not inherit:
            return None
    return node


# No origins: what plans give.
_NO_ORIGINS: Mapping[str, tuple[str, ...]] = MappingProxyType({})


class Values(NamedTuple):
    """One resource's planned values, the marks of those known only after apply and of
    those Terraform marks sensitive, and how attributes got their values (folders only)."""

    # A NamedTuple, not a frozen dataclass: one is made for every resource, and a tuple is
    # made about twice as fast.
    after: Any
    unknown: Any
    sensitive: Any
    origins: Mapping[str, tuple[str, ...]] = _NO_ORIGINS

    def origin(self, name: str) -> tuple[str, ...]:
        """How an attribute's value came about, beyond "set in the resource"."""
        steps = self.origins.get(name, ())
        if len(steps) == 1 and steps[0].startswith("constant in "):
            return ()
        return steps

    def known(self, name: str) -> Any:
        """The attribute's planned value, or None when it is absent or unknown. A dotted
        name reads into an object attribute (azapi's ``body.location``)."""
        after = self.after
        # The common case, tested first: a plain name in a dict, asked a dozen times a
        # resource.
        if isinstance(after, dict) and "." not in name:
            return after.get(name)
        if not is_mapping(after):
            return None
        if "." not in name:
            return after.get(name)
        return _at(after, name, inherit=False)

    def strings(self, *path: str) -> list[str]:
        """Every non-empty string at ``path`` through nested blocks; none when the
        attribute is marked sensitive."""
        head, rest = path[0], path[1:]
        if self.is_sensitive(head):
            return []
        value = self.known(head)
        if value is None:  # absent, as most attributes asked for are: nothing to walk
            return []
        return [v for v in dig(value, *rest) if isinstance(v, str) and v]

    def is_unknown(self, name: str) -> bool:
        unknown = self.unknown
        if unknown is True:
            return True
        if isinstance(unknown, dict) and "." not in name:  # the common case, tested first
            mark = unknown.get(name)
        elif is_mapping(unknown):
            mark = _at(unknown, name, inherit=True)
        else:
            return False
        return mark is True or isinstance(mark, str)

    def unknown_within(self, name: str) -> bool:
        """Whether the attribute, or anything nested in its blocks, is known only after
        apply."""
        if self.unknown is True:
            return True
        return is_mapping(self.unknown) and _marked(self.unknown.get(name))

    def unknown_reason(self, name: str) -> str | None:
        """Why the value is unknown, when the loader knows (configuration folders do)."""
        mark = self.unknown.get(name) if is_mapping(self.unknown) else None
        return mark if isinstance(mark, str) else None

    def is_sensitive(self, name: str, key: str | None = None) -> bool:
        """Whether Terraform marks the attribute (or one key of a map attribute) sensitive."""
        marks = self.sensitive
        if marks is True:
            return True
        if isinstance(marks, dict) and "." not in name:  # the common case, tested first
            mark = marks.get(name)
        elif is_mapping(marks):
            mark = _at(marks, name, inherit=True)
        else:
            return False
        if mark is True:
            return True
        return key is not None and is_mapping(mark) and mark.get(key) is True

    def sensitive_within(self, name: str) -> bool:
        """Whether the attribute, or anything nested in its blocks, is marked sensitive."""
        if self.sensitive is True:
            return True
        return is_mapping(self.sensitive) and _marked(self.sensitive.get(name))
