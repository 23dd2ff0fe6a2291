"""Measure what each report format costs on one large synthetic plan.

    python benchmarks/formats.py [--resources 50000] [--formats json,sarif,...]
                                 [--workdir DIR] [--repeat 3] [--seed 1]

It generates (or reuses) the same plan as run.py, then runs the whole lintsov check once
per format per round, each round starting with another format so that drift in machine
load touches all alike, and prints the best wall time, the peak memory and the report size of each,
with the time relative to `--format json`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from measure import MB, Run, side
from measure import measure as measure_run
from run import ensure_plan, warm_page_cache

FORMATS = ("json", "sarif", "junit", "gitlab", "github", "markdown", "text")


def run_format(lintsov: list[str], plan: Path, fmt: str, output: Path) -> Run:
    return measure_run(
        [*lintsov, str(plan), "--format", fmt, "--output", str(output), "--fail-on", "never"]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=50_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "lintsov-bench"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--render-only", action="store_true", help="only the in-process render times"
    )
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    lintsov = [sys.executable, "-m", "lintsov"]
    plan = ensure_plan(args.workdir, args.resources, args.seed)
    warm_page_cache(plan)
    if args.render_only:
        print(render_times(plan, formats, args.repeat))
        return 0
    runs: dict[str, list[Run]] = {fmt: [] for fmt in formats}
    sizes: dict[str, int] = {}
    for round_number in range(args.repeat):
        # Each round starts with another format, so that no format always runs first.
        shift = round_number % len(formats)
        for fmt in formats[shift:] + formats[:shift]:
            output = args.workdir / f"report-{args.resources}.{fmt}"
            runs[fmt].append(run_format(lintsov, plan, fmt, output))
            sizes[fmt] = output.stat().st_size if output.exists() else 0
            output.unlink(missing_ok=True)
    print(f"plan: {args.resources:,} resources, {plan.stat().st_size / MB:.1f} MB")
    print("| format | best s | vs json | peak MB | report MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    json_best = side(runs["json"]).best_s if "json" in runs else None
    failed = False
    for fmt in formats:
        result = side(runs[fmt])
        if result.failed is not None:
            failed = True
            print(f"| {fmt} | FAILED: {result.failed.stderr_tail.strip()} | | | |")
            continue
        relative = f"{result.best_s / json_best:.2f}×" if json_best else "–"
        print(
            f"| {fmt} | {result.best_s:.2f} | {relative} | "
            f"{result.peak_rss_bytes / MB:.0f} | {sizes[fmt] / MB:.1f} |"
        )
    print()
    print(render_times(plan, formats, args.repeat))
    return 1 if failed else 0


def render_times(plan: Path, formats: list[str], repeat: int) -> str:
    """What the whole-run times above cannot show under machine noise: the time each format
    takes to render, measured in this process on one outcome, best of ``repeat``."""
    from lintsov import catalogue  # noqa: PLC0415
    from lintsov.cli import _render  # noqa: PLC0415
    from lintsov.load import LoadOptions  # noqa: PLC0415
    from lintsov.pipeline import lint  # noqa: PLC0415
    from lintsov.policy import Policy  # noqa: PLC0415
    from lintsov.report import Report  # noqa: PLC0415
    from lintsov.rules import load_rules  # noqa: PLC0415

    policy = Policy()
    start = time.perf_counter()
    outcome = lint([str(plan)], catalogue.builtin(), policy, load_rules(), LoadOptions())
    pipeline_s = time.perf_counter() - start
    report = Report(outcome, policy, "never", load_rules(), Path.cwd())
    lines = [
        f"pipeline (load, resolve, rules): {pipeline_s:.2f} s; {len(outcome.findings):,} findings",
        "| format | render s (best) | share of the pipeline |",
        "| --- | ---: | ---: |",
    ]
    options = {"colour": False, "quiet": False, "show_waived": False}
    for fmt in formats:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            _render(fmt, report, options)
            best = min(best, time.perf_counter() - start)
        lines.append(f"| {fmt} | {best:.3f} | {best / pipeline_s:.0%} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
