"""How to read configuration folders: variables, the parse cache, parallel jobs, limits.

Kept apart from the folder frontend (``lintsov.load.hcl``), which imports lark and the
expression evaluator: the command line builds these options for every run, and a plan
alone must not pay for importing the frontend.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lintsov.load.hcl_cache import Cache


@dataclass(frozen=True)
class HclOptions:
    var_files: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    environment: Mapping[str, str] = field(default_factory=dict)
    cache: Cache | None = None
    jobs: int = 1
    # Per configuration file; the same limit as for plans (--max-input-size).
    max_bytes: int = 1 << 30


def default_jobs() -> int:
    """Folders parsed at once when --jobs is not given: one per CPU."""
    return max(1, os.cpu_count() or 1)
