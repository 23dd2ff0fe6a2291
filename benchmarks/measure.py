"""How the benchmarks measure one command: wall time and peak memory of exactly that
command, from a fresh minimal interpreter, with optional limits. Shared by run.py (plans),
run_hcl.py (configuration folders) and corpus.py (whole repositories)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# lintsov: 1 means findings at or above --fail-on; only 2 or a crash is a failure.
# checkov: 1 means failed checks, which a synthetic estate always has.
OK_CODES = (0, 1)
MB = 1_000_000


@dataclass(frozen=True)
class Run:
    """One child process: how long it took, its memory, and how it ended."""

    wall_s: float
    peak_rss_bytes: int  # ru_maxrss: the largest single process of the tree
    tree_peak_rss_bytes: int  # sampled peak of the summed RSS of the tree; 0 if not sampled
    returncode: int
    stopped: str  # "timeout" or "memory" when stopped at a limit, else ""
    stderr_tail: str
    # User + system CPU seconds of the process and the children it waited for: on a
    # machine others load too, this moves far less than the wall time.
    cpu_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.stopped and self.returncode in OK_CODES


@dataclass(frozen=True)
class Side:
    """One command measured one or more times."""

    best_s: float
    peak_rss_bytes: int
    tree_peak_rss_bytes: int
    runs: list[Run]
    best_cpu_s: float = 0.0

    @property
    def failed(self) -> Run | None:
        return next((r for r in self.runs if not r.ok), None)


def rss_bytes(ru_maxrss: int) -> int:
    # Linux reports KiB, macOS bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


# Measures one command from a fresh, minimal interpreter, as run.py does: on Linux a
# child's ru_maxrss starts at the high-water RSS of the process it was forked or vforked
# from, so a child of this script would inherit whatever this script once held.
#
# ru_maxrss from os.wait4 is the largest single process among the child and the
# descendants it waited for, not their sum; checkov and a parallel lintsov run several
# processes at once, so a thread also samples the summed RSS of the whole tree from /proc
# every 50 ms (Linux only; shared pages count once per process). The same thread enforces
# the limits on time and on that sum: the child runs in its own process group, which is
# killed as a whole.
WRAPPER = """
import os, sys, threading, time
err = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
timeout, max_tree = float(sys.argv[2]), int(sys.argv[3])
argv = sys.argv[4:]
start = time.perf_counter()
try:
    pid = os.posix_spawnp(argv[0], argv, os.environ, setpgroup=0, file_actions=[
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_DUP2, err, 2)])
except OSError as exc:
    os.write(err, f"cannot start {argv[0]}: {exc}".encode())
    print(0.0, 0, 0, 127, "-", 0.0)
    sys.exit()
page = os.sysconf("SC_PAGE_SIZE")
done = threading.Event()
state = {"tree": 0, "stopped": "-"}

def tree_rss():
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", "rb") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError, IndexError):
            pass
    return total

def watch():
    sample = os.path.isdir("/proc/self/task")
    while not done.wait(0.05):
        if sample:
            now = tree_rss()
            state["tree"] = max(state["tree"], now)
            if max_tree and now > max_tree:
                state["stopped"] = "memory"
        if timeout and time.perf_counter() - start > timeout:
            state["stopped"] = "timeout"
        if state["stopped"] != "-":
            try:
                os.killpg(pid, 9)
            except OSError:
                pass
            return

threading.Thread(target=watch, daemon=True).start()
try:
    _, status, usage = os.wait4(pid, 0)
except KeyboardInterrupt:
    os.killpg(pid, 9)
    raise
wall = time.perf_counter() - start
done.set()
code, cpu = os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime
print(wall, usage.ru_maxrss, state["tree"], code, state["stopped"], cpu)
"""


def measure(
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    timeout_s: float = 0.0,
    max_tree_bytes: int = 0,
    cwd: Path | None = None,
) -> Run:
    """Run argv once in a fresh wrapper; os.wait4 there gives exactly this child's rusage.
    A limit of 0 is none."""
    with tempfile.TemporaryDirectory(prefix="lintsov-bench-") as tmp:
        stderr = Path(tmp) / "stderr"
        limits = (str(timeout_s), str(max_tree_bytes))
        wrapper = subprocess.run(
            [sys.executable, "-I", "-S", "-c", WRAPPER, str(stderr), *limits, *argv],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
        wall, maxrss, tree, returncode, stopped, cpu = wrapper.stdout.split()
        tail = stderr.read_bytes()[-2000:].decode("utf-8", "replace") if stderr.exists() else ""
    return Run(
        float(wall),
        rss_bytes(int(maxrss)),
        int(tree),
        int(returncode),
        "" if stopped == "-" else stopped,
        tail,
        float(cpu),
    )


def ending(run: Run) -> str:
    """How a run that did not succeed ended, for a table cell or a message."""
    if run.stopped == "timeout":
        return "timeout"
    if run.stopped == "memory":
        return "memory limit"
    # waitstatus_to_exitcode gives -N for a child killed by signal N.
    return f"signal {-run.returncode}" if run.returncode < 0 else f"exit {run.returncode}"


def add_lintsov_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lintsov",
        default=None,
        help="lintsov command line, split like a shell would "
        "(default: the running python -m lintsov)",
    )


def lintsov_argv(command: str | None) -> list[str]:
    """The --lintsov command as an argument list; by default this interpreter's lintsov."""
    return shlex.split(command) if command else [sys.executable, "-m", "lintsov"]


def side(runs: list[Run]) -> Side:
    # Best wall time filters out noise from other load; memory does not get smaller by
    # chance, so the highest peak is the honest one.
    return Side(
        min(r.wall_s for r in runs),
        max(r.peak_rss_bytes for r in runs),
        max(r.tree_peak_rss_bytes for r in runs),
        runs,
        min(r.cpu_s for r in runs),
    )


# --- what run.py and run_hcl.py share --------------------------------------------------


def generator_digest(generator: Path) -> str:
    """Part of a cache key: a changed generator must not reuse what it no longer writes."""
    return hashlib.sha256(generator.read_bytes()).hexdigest()[:10]


def add_common_options(parser: argparse.ArgumentParser, sizes: str, what: str) -> None:
    """--sizes, --workdir, --lintsov, --repeat, --seed, --json and --check; ``sizes`` is the
    default of --sizes, ``what`` what a size counts and the workdir caches."""
    parser.add_argument(
        "--sizes", default=sizes, help=f"comma-separated {what} counts (default: %(default)s)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "lintsov-bench",
        help=f"where generated {what} are cached (default: %(default)s)",
    )
    add_lintsov_option(parser)
    parser.add_argument("--repeat", type=int, default=3, help="runs per lintsov measurement")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a target is missed, not only when lintsov fails",
    )


def parse_sizes(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """--sizes as a list of integers, or a usage error."""
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes comma-separated integers")


def finish(
    args: argparse.Namespace,
    checks: list[tuple[str, bool]],
    failures: list[str],
    document: Callable[[], dict[str, Any]],
) -> int:
    """Print each target's verdict and each failure, write --json, and give the exit code:
    1 when lintsov failed, or with --check when a target was missed."""
    for text, met in checks:
        print(f"- {'met' if met else 'MISSED'}: {text}")
    for failure in failures:
        print(failure, file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(document(), indent=2) + "\n", encoding="utf-8")
    if failures:
        return 1
    if args.check and not all(met for _, met in checks):
        return 1
    return 0
