"""Reading one resource's planned values: known, unknown until apply, or marked sensitive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Values:
    after: Any
    unknown: Any
    sensitive: Any

    def known(self, name: str) -> Any:
        """The attribute's planned value, or None when it is absent or unknown."""
        if isinstance(self.after, dict):
            return self.after.get(name)
        return None

    def is_unknown(self, name: str) -> bool:
        if self.unknown is True:
            return True
        return isinstance(self.unknown, dict) and self.unknown.get(name) is True

    def is_sensitive(self, name: str, key: str | None = None) -> bool:
        """Whether Terraform marks the attribute (or one key of a map attribute) sensitive."""
        marks = self.sensitive
        if marks is True:
            return True
        if not isinstance(marks, dict):
            return False
        mark = marks.get(name)
        if mark is True:
            return True
        return key is not None and isinstance(mark, dict) and mark.get(key) is True
