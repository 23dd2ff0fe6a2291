"""Reading one resource's planned values: known, unknown until apply, or marked sensitive."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


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
    if isinstance(mark, Mapping):
        return any(_marked(m) for m in mark.values())
    if isinstance(mark, list):
        return any(_marked(m) for m in mark)
    return False


@dataclass(frozen=True)
class Values:
    after: Any
    unknown: Any
    sensitive: Any
    origins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def origin(self, name: str) -> tuple[str, ...]:
        """How an attribute's value came about, beyond "set in the resource"."""
        steps = self.origins.get(name, ())
        if len(steps) == 1 and steps[0].startswith("constant in "):
            return ()
        return steps

    def known(self, name: str) -> Any:
        """The attribute's planned value, or None when it is absent or unknown. A dotted
        name reads into an object attribute (azapi's ``body.location``)."""
        if not isinstance(self.after, Mapping):
            return None
        head, _, rest = name.partition(".")
        value = self.after.get(head)
        for key in rest.split(".") if rest else ():
            value = value.get(key) if isinstance(value, Mapping) else None
        return value

    def strings(self, *path: str) -> list[str]:
        """Every non-empty string at ``path`` through nested blocks; none when the
        attribute is marked sensitive."""
        head, rest = path[0], path[1:]
        if self.is_sensitive(head):
            return []
        return [v for v in dig(self.known(head), *rest) if isinstance(v, str) and v]

    def is_unknown(self, name: str) -> bool:
        if self.unknown is True:
            return True
        if not isinstance(self.unknown, Mapping):
            return False
        head, _, rest = name.partition(".")
        mark = self.unknown.get(head)
        for key in rest.split(".") if rest else ():
            mark = mark.get(key) if isinstance(mark, Mapping) else mark
        return mark is True or isinstance(mark, str)

    def unknown_within(self, name: str) -> bool:
        """Whether the attribute, or anything nested in its blocks, is known only after
        apply."""
        if self.unknown is True:
            return True
        return isinstance(self.unknown, Mapping) and _marked(self.unknown.get(name))

    def unknown_reason(self, name: str) -> str | None:
        """Why the value is unknown, when the loader knows (configuration folders do)."""
        mark = self.unknown.get(name) if isinstance(self.unknown, Mapping) else None
        return mark if isinstance(mark, str) else None

    def is_sensitive(self, name: str, key: str | None = None) -> bool:
        """Whether Terraform marks the attribute (or one key of a map attribute) sensitive."""
        marks = self.sensitive
        if marks is True:
            return True
        if not isinstance(marks, Mapping):
            return False
        head, _, rest = name.partition(".")
        mark = marks.get(head)
        for part in rest.split(".") if rest else ():
            if mark is True:
                break
            mark = mark.get(part) if isinstance(mark, Mapping) else None
        if mark is True:
            return True
        return key is not None and isinstance(mark, Mapping) and mark.get(key) is True

    def sensitive_within(self, name: str) -> bool:
        """Whether the attribute, or anything nested in its blocks, is marked sensitive."""
        if self.sensitive is True:
            return True
        return isinstance(self.sensitive, Mapping) and _marked(self.sensitive.get(name))
