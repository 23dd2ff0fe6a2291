"""Evidence: the chain of facts behind every resolved value and every finding."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """One fact and how lintsov knows it.

    ``steps`` read from the fact towards its origin: ``region us-east-1 ← provider aws.us
    ← constant in the plan's configuration``.
    """

    fact: str
    value: str
    steps: tuple[str, ...] = ()

    def text(self) -> str:
        head = f"{self.fact} {self.value}" if self.value else self.fact
        return " ← ".join((head, *self.steps))

    def to_json(self) -> dict[str, object]:
        return {"fact": self.fact, "value": self.value, "steps": list(self.steps)}
