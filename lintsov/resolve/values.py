"""Reading one resource's planned values: known, unknown until apply, or marked sensitive."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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
        """The attribute's planned value, or None when it is absent or unknown."""
        if isinstance(self.after, Mapping):
            return self.after.get(name)
        return None

    def is_unknown(self, name: str) -> bool:
        if self.unknown is True:
            return True
        if not isinstance(self.unknown, Mapping):
            return False
        mark = self.unknown.get(name)
        return mark is True or isinstance(mark, str)

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
        mark = marks.get(name)
        if mark is True:
            return True
        return key is not None and isinstance(mark, Mapping) and mark.get(key) is True
