"""pytest setup: tests/ is a plain folder, so `import helpers` finds tests/helpers.py and
`import lintsov` finds the installed package, not the source tree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# `python -m pytest` puts the current folder first on sys.path. From the repository root
# that makes the source tree (and the lintsov.egg-info an install leaves in it) shadow the
# installed lintsov, which `pytest` tests: so it is taken off, and both test the same thing.
_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != _ROOT]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing with it",
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root of its own as the current folder: config discovery stops there."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


# Fuzzing profiles (tests/test_fuzz*.py). CI runs the short one, derandomized so that a
# red build is reproducible; the long one is run by hand and its counts go in the README:
#   HYPOTHESIS_PROFILE=long LINTSOV_FUZZ_STATS=fuzz-stats.json pytest tests/test_fuzz.py
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=2500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """With LINTSOV_FUZZ_STATS=FILE, write what the fuzzers tried and the exit codes seen."""
    target = os.environ.get("LINTSOV_FUZZ_STATS")
    if not target:
        return
    import fuzzing

    fuzzing.write_stats(target, session.testsfailed)
