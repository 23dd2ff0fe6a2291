"""pytest setup: tests/ is a plain folder, so `import helpers` finds tests/helpers.py and
`import lintsov` finds the installed package, not the source tree."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing with it",
    )
