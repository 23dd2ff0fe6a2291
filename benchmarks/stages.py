"""Where lintsov's time goes on one plan, and how much is left for resolving within a target.

    python benchmarks/stages.py PLAN [--repeat 3] [--target 0.5] [--json FILE]

It alternates, --repeat times, three fresh child processes:

- json.load of the plan, as run.py measures it;
- lintsov's whole run (`lintsov PLAN --format json --output /dev/null --fail-on never`), in
  a child that times each stage of that same run: start-up (the interpreter and the
  imports, up to the command line), reading the file, decoding it, building the stack,
  resolving, judging and writing the report;
- the floor of resolving: decoding the plan again, then for each resource only what any
  resolver must do, however clever: decode its values, look up four attributes and make
  one ResolvedResource, judging nothing.

It prints the best CPU time of each, then the budget: at the target ratio of json.load,
what is left for resolving once the other stages have taken theirs, above the floor, and
per resource. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# The same whole run as run.py measures.
from run import LINTSOV_ARGS

# The stages of one run, in the order they happen, as the table names them.
STAGES = (
    ("start-up", "interpreter start and imports, up to the command line"),
    ("reading", "reading the file and checking it is text"),
    ("decoding", "decoding the plan's JSON (values stay raw)"),
    ("stack", "building the stack: modules, providers, bindings"),
    ("resolving", "vendor, region, country, sensitivity, relations, evidence"),
    ("judging", "the rules, waivers and severities"),
    ("report", "writing the JSON report"),
    ("the rest", "the config, the rules, the exit"),
)


# --- the children ----------------------------------------------------------------------


def _cpu_and_wall() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def _child_run(plan: str) -> dict[str, Any]:
    """lintsov's whole run on the plan in this process, each stage timed by wrapping the
    function the command line calls for it."""
    # CPU time since the process started: the interpreter's start and every import the
    # command line needs for a plan (the wrapped modules are among them).
    # Imported here, not at the top: the parent and the other children must not pay for them.
    from lintsov import cli, pipeline  # noqa: PLC0415
    from lintsov.load import plan_json  # noqa: PLC0415

    started = _cpu_and_wall()
    timed: dict[str, list[float]] = {}

    originals: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, stage: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)
        originals.append((owner, name, original))

        def timed_call(*args: Any, **kwargs: Any) -> Any:
            cpu, wall = _cpu_and_wall()
            try:
                return original(*args, **kwargs)
            finally:
                spent = timed.setdefault(stage, [0.0, 0.0])
                spent[0] += time.process_time() - cpu
                spent[1] += time.perf_counter() - wall

        setattr(owner, name, timed_call)

    try:
        wrap(pipeline, "load", "load")
        wrap(plan_json, "decode_plan", "decoding")
        wrap(plan_json, "build_stack", "stack")
        wrap(pipeline, "resolve", "resolving")
        wrap(pipeline, "judge_each", "judging")
        wrap(cli, "_render", "report")
        sys.argv = ["lintsov", plan, *LINTSOV_ARGS]
        try:
            cli.main()
        except SystemExit as ended:
            if ended.code not in (0, 1, None):
                raise SystemExit(f"lintsov exited {ended.code} on {plan}") from None
    finally:
        # Put back what was wrapped: a test runs this in its own process.
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)
    cpu, wall = _cpu_and_wall()
    missing = [
        s for s in ("load", "decoding", "stack", "resolving", "judging", "report") if s not in timed
    ]
    if missing:
        # A renamed function would otherwise show as a stage that costs nothing.
        raise SystemExit(f"stages not seen in the run: {', '.join(missing)}")
    load_cpu, load_wall = timed.pop("load")
    reading = [
        load_cpu - timed["decoding"][0] - timed["stack"][0],
        load_wall - timed["decoding"][1] - timed["stack"][1],
    ]
    stages = {"start-up": [started[0], 0.0], "reading": reading, **timed}
    # What no wrapped function covers: the config, the rules, the exit.
    rest = cpu - sum(spent[0] for spent in stages.values())
    stages["the rest"] = [rest, 0.0]
    return {"stages": stages, "cpu": cpu, "wall": wall - started[1]}


def _child_floor(plan: str) -> dict[str, Any]:
    """The least resolving can cost: per resource, its values decoded, four lookups and
    one ResolvedResource, with the cycle collector paused as the run pauses it."""
    from lintsov import collector  # noqa: PLC0415
    from lintsov.inventory import ResolvedResource  # noqa: PLC0415
    from lintsov.load.plan_json import build_stack, decode_plan  # noqa: PLC0415
    from lintsov.resolve.values import Values  # noqa: PLC0415

    with collector.paused():
        stack = build_stack(decode_plan(Path(plan).read_bytes(), plan), plan)
        cpu, wall = _cpu_and_wall()
        made = []
        for resource in stack.resources:
            after, unknown, marks = resource.payload.open()
            values = Values(after, unknown, marks, resource.payload.origins)
            for name in ("tags", "region", "location", "name"):
                values.known(name)
            made.append(
                ResolvedResource(
                    address=resource.address,
                    type=resource.type,
                    module=resource.module,
                    action=resource.action,
                    provider_source=resource.provider_source,
                    provider_kind="hosting",
                    vendor=None,
                    vendor_name=None,
                    operator=None,
                    parents=(),
                    region=None,
                    region_name=None,
                    countries=(),
                    reach=(),
                    laws=(),
                    data_holding=False,
                    data_category=None,
                    sensitive=False,
                    evidence=(),
                    missing=(),
                    location=resource.location,
                    unclassified=False,
                    staff_offered=(),
                )
            )
        spent = time.process_time() - cpu, time.perf_counter() - wall
    return {"cpu": spent[0], "wall": spent[1], "resources": len(made)}


def _child_json_load(plan: str) -> dict[str, Any]:
    cpu, wall = _cpu_and_wall()
    with open(plan, "rb") as f:
        json.load(f)
    return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}


CHILDREN = {"run": _child_run, "floor": _child_floor, "json.load": _child_json_load}


# --- the parent ------------------------------------------------------------------------


def _in_child(kind: str, plan: Path) -> dict[str, Any]:
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(plan)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise SystemExit(f"stages.py: the {kind} child failed: {tail[0]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def measure(plan: Path, repeat: int) -> dict[str, Any]:
    """Best CPU time of each stage, of the whole run, of json.load and of the floor."""
    runs, floors, loads = [], [], []
    for _ in range(repeat):
        # Alternated, so that drift in the machine's load touches all three alike.
        loads.append(_in_child("json.load", plan))
        runs.append(_in_child("run", plan))
        floors.append(_in_child("floor", plan))
    stages = {name: min(r["stages"][name][0] for r in runs) for name, _ in STAGES}
    # The other stages as one, from the same run: their bests, summed, would understate.
    others = min(r["cpu"] - r["stages"]["resolving"][0] for r in runs)
    return {
        "plan": str(plan),
        "file_bytes": plan.stat().st_size,
        "resources": floors[0]["resources"],
        "repeat": repeat,
        "stages_cpu_s": stages,
        "run_cpu_s": min(r["cpu"] for r in runs),
        "others_cpu_s": others,
        "json_load_cpu_s": min(r["cpu"] for r in loads),
        "floor_cpu_s": min(f["cpu"] for f in floors),
    }


def budget(figures: dict[str, Any], target: float) -> dict[str, float]:
    """What the target leaves for resolving: the whole run may take target × json.load;
    every stage but resolving takes what it took; resolving cannot take less than the
    floor."""
    allowed = target * figures["json_load_cpu_s"]
    others = figures["others_cpu_s"]
    for_resolving = allowed - others
    above_floor = for_resolving - figures["floor_cpu_s"]
    per_resource = above_floor / max(figures["resources"], 1) * 1e6
    return {
        "allowed_s": allowed,
        "others_s": others,
        "resolving_allowed_s": for_resolving,
        "above_floor_s": above_floor,
        "above_floor_us_per_resource": per_resource,
    }


def report(figures: dict[str, Any], target: float) -> str:
    stages = figures["stages_cpu_s"]
    load = figures["json_load_cpu_s"]
    lines = [
        f"plan {figures['plan']}: {figures['file_bytes'] / 1e6:.1f} MB, "
        f"{figures['resources']:,} resources; CPU seconds, best of {figures['repeat']}",
        "",
        "| stage | CPU s | what it does |",
        "| --- | ---: | --- |",
        *(f"| {name} | {stages[name]:.2f} | {what} |" for name, what in STAGES),
        f"| whole run | {figures['run_cpu_s']:.2f} | {figures['run_cpu_s'] / load:.2f}× "
        "json.load |",
        f"| json.load | {load:.2f} | the baseline |",
        f"| floor of resolving | {figures['floor_cpu_s']:.2f} | values decoded and one "
        "ResolvedResource per resource, nothing judged |",
        "",
    ]
    left = budget(figures, target)
    lines.append(
        f"At {target:.2f}× json.load the whole run may take {left['allowed_s']:.2f} s. The "
        f"stages other than resolving take {left['others_s']:.2f} s, which leaves "
        f"{left['resolving_allowed_s']:.2f} s for resolving (now {stages['resolving']:.2f} s); "
        f"above its floor, {left['above_floor_s']:.2f} s, "
        f"{left['above_floor_us_per_resource']:.1f} µs per resource."
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--target", type=float, default=0.5, help="whole run / json.load")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](str(args.plan))))
        return 0
    if not args.plan.is_file():
        parser.error(f"{args.plan}: no such file")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    figures = measure(args.plan, args.repeat)
    figures["budget"] = budget(figures, args.target)
    print(report(figures, args.target))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
