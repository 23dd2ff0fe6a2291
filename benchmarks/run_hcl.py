"""Measure lintsov on folders of .tf files, cold and warm parse cache, against checkov.

    python benchmarks/run_hcl.py [--sizes 100,1000] [--workdir DIR] [--lintsov CMD]
                                 [--checkov CMD] [--checkov-timeout 1200]
                                 [--checkov-max-mb MB] [--skip-checkov]
                                 [--repeat 3] [--seed 1] [--json FILE] [--check]

For each size it generates (or reuses) a root module of that many .tf files with
generate_hcl.py, then measures, each run in a fresh child process with its wall time and
peak RSS: lintsov with an empty parse cache (cold), again with the filled cache (warm), with
one file changed, with --no-cache, and checkov once. See benchmarks/README.md, "HCL folders".
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from measure import (
    MB,
    Run,
    Side,
    add_common_options,
    ending,
    finish,
    generator_digest,
    lintsov_argv,
    measure,
    parse_sizes,
    side,
)

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate_hcl.py"
LINTSOV_ARGS = ("--format", "json", "--output", os.devnull, "--fail-on", "never")
CHECKOV_ARGS = ("--quiet", "--compact", "-o", "json", "--framework", "terraform")
CACHE_ENV = "LINTSOV_CACHE_DIR"

# Targets; README.md explains where they come from.
TARGET_SPEEDUP = 10.0  # checkov s / lintsov cold s, at every size
TARGET_WARM_S = 1.0
TARGET_WARM_FILES = 1_000


@dataclass
class SizeResult:
    size: int
    files: int
    resource_blocks: int
    tf_bytes: int
    cold: Side
    warm: Side | None = None
    one_changed: Side | None = None
    no_cache: Side | None = None
    checkov: Side | None = None
    notes: list[str] = field(default_factory=list)

    def lintsov_sides(self) -> list[tuple[str, Side]]:
        named = [
            ("cold", self.cold),
            ("warm", self.warm),
            ("one changed", self.one_changed),
            ("--no-cache", self.no_cache),
        ]
        return [(name, s) for name, s in named if s is not None]

    @property
    def lintsov_failure(self) -> tuple[str, Run] | None:
        for name, s in self.lintsov_sides():
            failed = s.failed
            if failed is not None:
                return name, failed
        return None


# --- folders ---------------------------------------------------------------------------


def ensure_folder(workdir: Path, size: int, seed: int) -> Path:
    folder = workdir / f"hcl-{size}-seed{seed}-{generator_digest(GENERATOR)}"
    if folder.is_dir():
        print(f"reusing {folder}", file=sys.stderr)
        return folder
    workdir.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed into place, so an interrupted run leaves no half folder.
    partial = Path(tempfile.mkdtemp(prefix=folder.name + ".partial-", dir=workdir))
    start = time.perf_counter()
    generator = [sys.executable, str(GENERATOR), str(size), str(partial), "--seed", str(seed)]
    if subprocess.run(generator, check=False).returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        sys.exit(f"generating a folder of {size:,} files failed")
    try:
        partial.rename(folder)
    except OSError:
        if not folder.is_dir():
            raise
        shutil.rmtree(partial)  # another run wrote the same folder first
    print(f"generated {folder} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder


def tf_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.tf"))


def census(folder: Path) -> tuple[int, int, int]:
    """(.tf files, resource blocks, bytes of .tf), reading every file once, which also
    puts them in the page cache so that no measured run pays for a cold disk."""
    files = blocks = size = 0
    for path in tf_files(folder):
        data = path.read_bytes()
        files += 1
        size += len(data)
        blocks += sum(1 for line in data.splitlines() if line.startswith(b"resource "))
    return files, blocks, size


def file_to_change(folder: Path) -> Path:
    """A resource file in the root module, the middle one by name: the same every run."""
    fixed = {"versions.tf", "providers.tf", "variables.tf", "locals.tf", "outputs.tf"}
    candidates = [p for p in sorted(folder.glob("*.tf")) if p.name not in fixed]
    if not candidates:
        sys.exit(f"{folder} holds no resource file to change")
    return candidates[len(candidates) // 2]


def changed_block(n: int) -> bytes:
    # A new name each time gives new content, so each run is a cache miss for this file.
    return (
        f'\nresource "aws_s3_bucket" "bench_changed_{n}" {{\n'
        f'  bucket = "${{var.name_prefix}}-bench-changed-{n}"\n'
        f"  tags   = local.common_tags\n"
        f"}}\n"
    ).encode()


def is_empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


# --- measuring -------------------------------------------------------------------------


def lintsov_runs(argv: list[str], cache: Path, repeat: int) -> list[Run]:
    runs: list[Run] = []
    for _ in range(repeat):
        runs.append(measure(argv, {CACHE_ENV: str(cache)}))
        if not runs[-1].ok:
            break  # a failing run says all there is to say
    return runs


def measure_size(
    folder: Path, size: int, lintsov: list[str], args: argparse.Namespace, caches: Path
) -> SizeResult:
    files, blocks, tf_bytes = census(folder)
    argv = [*lintsov, str(folder), *LINTSOV_ARGS]

    # (a) cold: each run gets a new, empty cache folder.
    cold: list[Run] = []
    cache = caches
    for i in range(args.repeat):
        cache = caches / f"{size}-cold-{i}"
        cache.mkdir()
        cold.append(measure(argv, {CACHE_ENV: str(cache)}))
        if not cold[-1].ok:
            break
    result = SizeResult(size, files, blocks, tf_bytes, side(cold))
    if result.cold.failed is not None:
        return result
    if is_empty(cache):
        result.notes.append(f"the cache folder was empty after a cold run: is {CACHE_ENV} read?")

    # (b) warm: the cache the last cold run filled, nothing changed.
    result.warm = side(lintsov_runs(argv, cache, args.repeat))
    if result.warm.failed is not None:
        return result

    # (c) one file changed, warm cache otherwise; the file is restored whatever happens.
    target = file_to_change(folder)
    original = target.read_bytes()
    stat = target.stat()
    changed: list[Run] = []
    try:
        for i in range(args.repeat):
            target.write_bytes(original + changed_block(i))
            changed.append(measure(argv, {CACHE_ENV: str(cache)}))
            if not changed[-1].ok:
                break
    finally:
        target.write_bytes(original)
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result.one_changed = side(changed)
    if result.one_changed.failed is not None:
        return result

    # (d) --no-cache, pointed at an empty cache folder that must stay empty.
    untouched = caches / f"{size}-no-cache"
    untouched.mkdir()
    result.no_cache = side(lintsov_runs([*argv, "--no-cache"], untouched, args.repeat))
    if not is_empty(untouched):
        result.notes.append("--no-cache wrote to the cache folder")
    return result


def measure_checkov(folder: Path, checkov: list[str], args: argparse.Namespace) -> Side:
    census(folder)  # back in the page cache after the lintsov runs
    argv = [*checkov, "-d", str(folder), *CHECKOV_ARGS]
    return side([measure(argv, timeout_s=args.checkov_timeout, max_tree_bytes=args.max_tree)])


def version_of(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(
            [*argv, "--version"], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


# --- reporting -------------------------------------------------------------------------


def _mb(s: Side) -> str:
    # ru_maxrss is one process; when the sampled sum over the tree is higher, several
    # processes ran at once and the sum is shown too.
    peak = f"{s.peak_rss_bytes / MB:.0f}"
    if s.tree_peak_rss_bytes > s.peak_rss_bytes * 1.05:
        peak += f" (Σ {s.tree_peak_rss_bytes / MB:.0f})"
    return peak


def _secs(s: Side | None) -> str:
    if s is None:
        return "–"
    failed = s.failed
    return f"FAILED ({ending(failed)})" if failed is not None else f"{s.best_s:.2f}"


def _times(value: float, lower_bound: bool) -> str:
    # A lower bound is rounded down, so that it never claims more than was seen.
    digits = 1 if value < 100 else 0
    if lower_bound:
        value = math.floor(value * 10**digits) / 10**digits
    return f"{'> ' if lower_bound else ''}{value:.{digits}f}×"


def speedup(r: SizeResult) -> tuple[float, bool] | None:
    """checkov ÷ lintsov cold, and whether it is only a lower bound: checkov stopped at a
    limit, and would have needed longer than it had run."""
    if r.checkov is None or r.cold.failed is not None:
        return None
    run = r.checkov.runs[0]
    if run.stopped:
        return run.wall_s / r.cold.best_s, True
    if not run.ok:
        return None
    return run.wall_s / r.cold.best_s, False


def table(results: list[SizeResult]) -> str:
    lines = [
        "| size | files | resource blocks | MB | lintsov cold s | cold peak MB | warm s "
        "| one changed s | --no-cache s | checkov s | checkov peak MB | checkov ÷ lintsov cold |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        cold_peak = _mb(r.cold) if r.cold.failed is None else "–"
        if r.checkov is None:
            checkov_cells = "– | –"
        elif r.checkov.failed is not None:
            checkov_cells = f"{ending(r.checkov.runs[0])} | {_mb(r.checkov)}"
        else:
            checkov_cells = f"{r.checkov.best_s:.1f} | {_mb(r.checkov)}"
        ratio = speedup(r)
        ratio_cell = "–" if ratio is None else _times(*ratio)
        lines.append(
            f"| {r.size:,} | {r.files:,} | {r.resource_blocks:,} | {r.tf_bytes / MB:.1f} "
            f"| {_secs(r.cold)} | {cold_peak} | {_secs(r.warm)} | {_secs(r.one_changed)} "
            f"| {_secs(r.no_cache)} | {checkov_cells} | {ratio_cell} |"
        )
    return "\n".join(lines)


def target_checks(results: list[SizeResult]) -> list[tuple[str, bool]]:
    """(description, met) for each target that the measured sizes can judge."""
    checks = []
    for r in results:
        ratio = speedup(r)
        if ratio is not None:
            checks.append(
                (
                    f"{r.files:,} files: checkov ÷ lintsov cold {r.cold.best_s:.2f} s = "
                    f"{_times(*ratio)} ≥ {TARGET_SPEEDUP:.0f}×",
                    ratio[0] >= TARGET_SPEEDUP,
                )
            )
    for r in results:
        if r.size == TARGET_WARM_FILES and r.warm is not None and r.warm.failed is None:
            checks.append(
                (
                    f"{r.files:,} files: lintsov warm {r.warm.best_s:.2f} s "
                    f"< {TARGET_WARM_S:.0f} s",
                    r.warm.best_s < TARGET_WARM_S,
                )
            )
    return checks


def failure_report(results: list[SizeResult]) -> list[str]:
    out = []
    for r in results:
        failure = r.lintsov_failure
        if failure is not None:
            name, run = failure
            out.append(
                f"lintsov ({name}) on {r.files:,} files ended with {ending(run)}:\n"
                f"{run.stderr_tail}"
            )
    return out


def results_document(
    args: argparse.Namespace, results: list[SizeResult], checks: list[tuple[str, bool]]
) -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "seed": args.seed,
        "repeat": args.repeat,
        "lintsov_command": args.lintsov_argv,
        "lintsov_version": version_of(args.lintsov_argv),
        "checkov_command": args.checkov_argv,
        "checkov_version": version_of(args.checkov_argv) if args.checkov_argv else None,
        "checkov_timeout_s": args.checkov_timeout,
        "checkov_max_mb": args.checkov_max_mb,
        "sizes": [
            {
                **asdict(r),
                "checkov_over_lintsov_cold": (None if (ratio := speedup(r)) is None else ratio[0]),
            }
            for r in results
        ],
        "targets": [{"target": text, "met": met} for text, met in checks],
    }


# --- command line ----------------------------------------------------------------------


def default_max_mb() -> float:
    # checkov can need more memory than the machine has (24 GB were not enough for 1,000
    # files); stopping it first spares whatever else runs there from the kernel's OOM killer.
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") * 0.75 / MB
    except (ValueError, OSError, AttributeError):
        return 0.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_options(parser, "100,1000", ".tf file")
    parser.add_argument(
        "--checkov",
        default="checkov",
        help="checkov command line, split like a shell would; it needs its own virtual "
        "environment (default: %(default)s)",
    )
    parser.add_argument(
        "--checkov-timeout",
        type=float,
        default=1200.0,
        help="seconds before a checkov run is killed and recorded as a timeout "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--checkov-max-mb",
        type=float,
        default=default_max_mb(),
        help="summed RSS of checkov's processes, in MB, at which it is killed and recorded "
        "as stopped at the memory limit; 0 for none (default: 3/4 of physical memory, "
        "%(default).0f)",
    )
    parser.add_argument("--skip-checkov", action="store_true", help="measure lintsov only")
    args = parser.parse_args(argv)
    parse_sizes(parser, args)
    if not args.sizes or min(args.sizes) < 6 or args.repeat < 1:
        parser.error("sizes must be at least 6 and --repeat positive")
    if args.checkov_timeout <= 0 or args.checkov_max_mb < 0:
        parser.error("--checkov-timeout must be positive and --checkov-max-mb not negative")
    args.max_tree = int(args.checkov_max_mb * MB)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    lintsov = lintsov_argv(args.lintsov)
    checkov = [] if args.skip_checkov else shlex.split(args.checkov)
    args.lintsov_argv, args.checkov_argv = lintsov, checkov
    folders = [(n, ensure_folder(args.workdir, n, args.seed)) for n in args.sizes]

    results = []
    with tempfile.TemporaryDirectory(prefix="run-", dir=args.workdir) as scratch:
        for n, folder in folders:
            # A private copy: the one-changed-file runs edit a file, which must touch neither
            # the cached folder (should this run be killed) nor another run using it.
            tree = Path(scratch) / f"hcl-{n}"
            shutil.copytree(folder, tree)
            caches = Path(scratch) / f"caches-{n}"
            caches.mkdir()
            print(f"measuring lintsov on {n:,} files ...", file=sys.stderr)
            result = measure_size(tree, n, lintsov, args, caches)
            if checkov and result.lintsov_failure is None:
                # Not after a lintsov failure: that ends the run with exit 1 anyway.
                print(f"measuring checkov on {n:,} files ...", file=sys.stderr)
                result.checkov = measure_checkov(tree, checkov, args)
            results.append(result)
            shutil.rmtree(tree)

    checks = target_checks(results)
    print(table(results))
    print()
    for r in results:
        if r.one_changed is not None and r.one_changed.failed is None:
            print(
                f"one changed file of {r.files:,}: {r.one_changed.best_s:.2f} s (that only "
                "that file is parsed again is checked by the test suite)"
            )
        for note in r.notes:
            print(f"{r.files:,} files: NOTE: {note}")
        if r.checkov is not None and r.checkov.failed is not None:
            run = r.checkov.runs[0]
            # Stopped at a limit, its stderr says nothing about why; a crash's end might.
            tail = "" if run.stopped else ":\n" + "\n".join(run.stderr_tail.splitlines()[-15:])
            print(f"checkov on {r.files:,} files ended with {ending(run)}{tail}", file=sys.stderr)
    failures = failure_report(results)
    return finish(args, checks, failures, lambda: results_document(args, results, checks))


if __name__ == "__main__":
    sys.exit(main())
