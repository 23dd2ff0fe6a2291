"""Reports: one module per output format, each a ``render(report) -> str``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lintsov import repository
from lintsov.finding import Finding
from lintsov.pipeline import Outcome
from lintsov.policy import Policy
from lintsov.rules import Rule


@dataclass(frozen=True)
class Report:
    """Everything a format needs: the outcome, the policy it was judged by, the rules that
    ran, and the repository root that file paths are written relative to."""

    outcome: Outcome
    policy: Policy
    fail_on: str
    rules: Mapping[str, Rule]
    root: Path

    @cached_property
    def unclassified(self) -> int:
        """Data-holding resources nobody classified: the gap in what lintsov could judge."""
        return sum(1 for i in self.outcome.inventories for r in i.resources if r.unclassified)

    @property
    def verdict(self) -> str:
        """``error`` when an input could not be read (never ``pass`` on input not read),
        else ``fail`` or ``pass`` by the findings."""
        if self.outcome.unreadable:
            return "error"
        return "fail" if self.outcome.fails(self.fail_on) else "pass"

    def relative(self, path: str) -> str:
        """``path`` relative to the repository root, with ``/``; as given when outside it."""
        return repository.relative(path, self.root)

    def artifact(self, finding: Finding) -> tuple[str, int | None, int | None]:
        """The file a finding points at, relative to the root, with its lines when known:
        the .tf block when lintsov knows the source, else the input itself."""
        if finding.location is not None:
            location = finding.location
            return self.relative(location.file), location.line, location.end_line
        return self.relative(finding.input), None, None


repository_root = repository.root
