"""What the fuzz tests share: running lintsov in-process under a time limit, the invariants
every run must keep, and the counts the long profile reports."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from click.testing import CliRunner, Result

from lintsov.cli import main

# Per run; a real run on these small inputs takes well under a second.
TIME_LIMIT_S = 20.0
STATS: dict[str, Counter[str]] = {}


class Hang(BaseException):
    """Raised by the alarm; a BaseException, so that lintsov's own error handling (which
    turns Exceptions into one line) cannot swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"lintsov ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(target: str, *args: str) -> Result:
    """lintsov on fuzzed input: exit 0, 1 or 2; never a traceback, a hang, or an internal
    error; an error is one line that names the input."""
    started = time.perf_counter()
    with time_limit(TIME_LIMIT_S):
        result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    exception = result.exception
    if exception is not None and not isinstance(exception, SystemExit):
        raise AssertionError(f"traceback on fuzzed input: {exception!r}") from exception
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert lines[0].startswith("lintsov: error: "), lines[0]
        assert "internal error" not in lines[0], lines[0]
    stats = STATS.setdefault(target, Counter())
    stats["inputs"] += 1
    stats[f"exit {result.exit_code}"] += 1
    # Whole milliseconds: the counts stay integers.
    stats["milliseconds"] += round((time.perf_counter() - started) * 1000)
    return result


def write_stats(path: str, failed: int) -> None:
    document = {
        "targets": {name: dict(sorted(counts.items())) for name, counts in sorted(STATS.items())},
        "inputs": sum(counts["inputs"] for counts in STATS.values()),
        "failed_tests": failed,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")
