"""The anchor of an input: the place in its files that a finding about the whole input
points at.

GitHub code scanning and GitLab drop a result that has no file and line, and a folder is
neither. A finding about a whole input (AUT001's vendor concentration, a state backend
read from a plan) therefore points at the input's first provider block of the root module,
since that is where the vendor and region the input depends on are chosen; failing that,
at any provider block (a module's own), then at the first resource block. Blocks are
ordered by file, then line, so the anchor does not depend on the order files were read
in. A plan has no source lines: its anchor is the plan file itself (see Report.anchor).
"""

from __future__ import annotations

from collections.abc import Iterable

from lintsov.stack import SourceLocation, Stack


def of_stack(stack: Stack) -> SourceLocation | None:
    """The input's anchor; None when no block of it has a known place (a plan)."""
    providers = stack.providers.values()
    root = [p.location for p in providers if not p.module and p.location is not None]
    return (
        _first(root)
        or _first(p.location for p in providers if p.location is not None)
        or _first(r.location for r in stack.resources if r.location is not None)
    )


def _first(locations: Iterable[SourceLocation]) -> SourceLocation | None:
    ordered = sorted(locations, key=lambda location: (location.file, location.line))
    return ordered[0] if ordered else None
