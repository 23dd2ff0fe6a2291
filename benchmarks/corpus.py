"""Sweep whole repositories: lint every folder of configuration alone, and count what lintsov
resolves, and what it cannot, in the root modules.

    python benchmarks/corpus.py [--repos DIR] [--json FILE] [--jobs N] [--lintsov CMD]
                                [--check]

Every folder under --repos (default ../shared/corpus/repos beside the repository) that
holds .tf, .tofu, .tf.json or .tofu.json files is linted on its own, in a fresh process with
an empty parse cache: its exit code, wall time, peak memory and, when lintsov refuses it
(exit 2), its one-line error. Root modules (examples, FAST stages, folders with a provider,
backend or cloud block of their own) are also inventoried: their data-holding resources,
and those with no country, grouped by the reason lintsov gives. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from measure import MB, Run, add_lintsov_option, ending, lintsov_argv, measure

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPOS = ROOT.parent / "shared" / "corpus" / "repos"
CONFIG_SUFFIXES = (".tf", ".tofu", ".tf.json", ".tofu.json")
# Terraform's own download folder holds copies of other modules, not this repository's code.
SKIPPED_FOLDERS = frozenset({".terraform", ".git"})
CHECK_ARGS = ("--format", "json", "--output", os.devnull, "--fail-on", "never")
EXIT_REFUSED = 2

# A block of the folder's own that only a root module has: Terraform ignores (and warns
# about) provider configurations in a module called by another, and reads backend and cloud
# settings in the root module alone.
_ROOT_BLOCKS = (
    ("provider block", re.compile(r'^[ \t]*provider[ \t]+"[^"\n]*"[ \t]*\{', re.MULTILINE)),
    ("backend block", re.compile(r'^[ \t]*backend[ \t]+"[^"\n]*"[ \t]*\{', re.MULTILINE)),
    ("cloud block", re.compile(r"^[ \t]*cloud[ \t]*\{", re.MULTILINE)),
)

# The reasons lintsov gives for a resource with no country (Missing in lintsov/resolve,
# Unknown in lintsov/load), grouped by what it would take to know the country. The first
# pattern that matches names the category, so the specific ones come first.
REASON_CATEGORIES = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("module not loaded", r"was not loaded"),
        (
            "provider region not set / from the environment",
            r"from the environment|has no region setting|no provider configuration is known",
        ),
        ("variable with no value", r"var\.\S+ has no value"),
        ("unknown until apply", r"known only after apply|known only when Terraform runs"),
        ("differs per instance (count/for_each)", r"differs from one instance to the next"),
        ("try() not evaluated", r"uses `try\("),
        ("for expression not evaluated", r"uses `[{\[] ?for "),
        ("function not evaluated", r"calls [\w:]+\(\), which lintsov does not evaluate"),
        ("other expression not evaluated", r"which lintsov does not evaluate"),
        ("file not read", r"` is not read: "),
        ("key or output missing from a value", r"has no key|has no element|has no output"),
        ("aliases with different regions", r"which name different regions"),
        ("region not in catalogue", r"is not a .+ region in lintsov's catalogue"),
        ("vendor unknown", r"vendor is unknown|not in (?:lintsov's |the )?catalogue"),
        ("marked sensitive", r"marked sensitive"),
    )
)

# What makes a file refused; the file and position come from the error's "(at FILE:L:C)".
_ERROR_AT = re.compile(r"\(at (?P<file>.+):(?P<line>\d+):(?P<col>\d+)\)$")
_UNEXPECTED = re.compile(r"unexpected '(?P<token>[^']+)'")
_BINARY_OPERATORS = frozenset(
    {"?", ":", "&&", "||", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"}
)


@dataclass(frozen=True)
class Folder:
    """A folder of configuration, as found under --repos."""

    repository: str
    path: str  # relative to --repos, with forward slashes
    root: str  # why it is a root module; "" for a reusable module


@dataclass(frozen=True)
class Unresolved:
    """A data-holding resource of a root folder with no country, and lintsov's reason."""

    address: str
    reason: str
    category: str


@dataclass(frozen=True)
class FolderResult:
    folder: Folder
    exit_code: int
    ended: str  # "" for exit 0, 1 or 2, else how the run ended ("signal 9", "exit 3")
    error: str  # lintsov's first stderr line when it refused the folder or failed
    refusal: str  # the refusal's cause category, "" when not refused
    wall_s: float
    peak_mb: float
    data_holding: int = 0
    unresolved: tuple[Unresolved, ...] = ()
    inventory_error: str = ""

    @property
    def refused(self) -> bool:
        # Exit 2, or worse: a signal, or a code lintsov never exits with.
        return self.exit_code == EXIT_REFUSED or bool(self.ended)


# --- finding and classifying folders ---------------------------------------------------------


def is_config_file(name: str) -> bool:
    return name.endswith(CONFIG_SUFFIXES)


def config_folders(repos: Path) -> list[Path]:
    """Every folder below repos (itself included) that holds configuration files, sorted."""
    found = []
    for folder, subfolders, files in os.walk(repos):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS)
        if any(is_config_file(name) for name in files):
            found.append(Path(folder))
    return sorted(found)


def root_reason(folder: Path, repository: Path) -> str:
    """Why folder is a root module of repository, or "" when it is a reusable module."""
    parts = folder.relative_to(repository).parts
    if "examples" in parts[:-1]:
        return "example"
    # A stage is the folder right below fast/stages; folders inside one (a stage's `moved`
    # blocks) are not applied on their own.
    if parts[:2] == ("fast", "stages") and len(parts) == 3:
        return "FAST stage"
    for path in sorted(folder.iterdir()):
        if not (path.is_file() and is_config_file(path.name)):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        block = (
            _json_root_block(text)
            if path.name.endswith(".json")
            else next((name for name, pattern in _ROOT_BLOCKS if pattern.search(text)), "")
        )
        if block:
            return f"{block} in {path.name}"
    return ""


def _json_root_block(text: str) -> str:
    try:
        document = json.loads(text)
    except ValueError:
        return ""  # lintsov will say what is wrong with it
    if not isinstance(document, dict):
        return ""
    if "provider" in document:
        return "provider block"
    settings = document.get("terraform", [])
    for block in settings if isinstance(settings, list) else [settings]:
        if isinstance(block, dict):
            for name in ("backend", "cloud"):
                if name in block:
                    return f"{name} block"
    return ""


def folders_of(repos: Path) -> list[Folder]:
    result = []
    for path in config_folders(repos):
        relative = path.relative_to(repos)
        repository = relative.parts[0] if relative.parts else "."
        reason = root_reason(path, repos / repository)
        result.append(Folder(repository, relative.as_posix() or ".", reason))
    return result


# --- what lintsov said ---------------------------------------------------------------------


def reason_category(reason: str) -> str:
    return next((name for name, pattern in REASON_CATEGORIES if pattern.search(reason)), "other")


def refusal_cause(error: str) -> str:
    """Why lintsov refused a folder, from its error line and the file it names."""
    at = _ERROR_AT.search(error)
    if at is None:
        return "internal error" if "internal error" in error else "other"
    try:
        data = Path(at["file"]).read_bytes()
    except OSError:
        return "other"
    if b"\r\n" in data:
        return "CRLF line endings"
    lines = data.decode("utf-8", "replace").splitlines()
    number, column = int(at["line"]), int(at["col"])
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    token = _UNEXPECTED.search(error)
    # HCL lets an expression go on over the next line inside brackets, so a line that
    # starts with a binary operator continues the one before it.
    if token and token["token"] in _BINARY_OPERATORS and not line[: column - 1].strip():
        return "multi-line operator continuation"
    return "other"


def unresolved_of(document: dict[str, Any], repos: Path) -> tuple[int, tuple[Unresolved, ...]]:
    """Data-holding resources in an inventory, and those of them with no country."""
    holding = 0
    unresolved = []
    for source in document["inputs"]:
        for resource in source["resources"]:
            if not resource["data_holding"]:
                continue
            holding += 1
            if resource["countries"]:
                continue
            missing = resource["missing"]
            # The location's own reason first; a vendor lintsov does not know leaves the
            # region unread, so that one explains the rest.
            located = [m for m in missing if m["fact"] in ("region", "country")] or missing
            reason = (
                f"{located[0]['fact']} unknown: {located[0]['reason']}"
                if located
                else "no reason given"
            )
            reason = relative_to(reason, repos)
            unresolved.append(Unresolved(resource["address"], reason, reason_category(reason)))
    return holding, tuple(sorted(unresolved, key=lambda u: u.address))


# --- running lintsov ---------------------------------------------------------------------


def first_line(run: Run) -> str:
    lines = run.stderr_tail.strip().splitlines()
    return lines[0].removeprefix("lintsov: error: ") if lines else ""


def relative_to(text: str, repos: Path) -> str:
    # Paths relative to --repos in what is kept: the same figures wherever the corpus sits.
    return text.replace(f"{repos}{os.sep}", "")


def sweep_folder(folder: Folder, repos: Path, lintsov: list[str]) -> FolderResult:
    path = repos / folder.path
    with tempfile.TemporaryDirectory(prefix="lintsov-corpus-") as tmp:
        env = {"LINTSOV_CACHE_DIR": str(Path(tmp) / "cache")}
        # Run from an empty folder, so that no config file of the caller's is discovered.
        check = measure([*lintsov, str(path), *CHECK_ARGS], env, cwd=Path(tmp))
        failed = check.returncode not in (0, 1, EXIT_REFUSED) or bool(check.stopped)
        refused = check.returncode == EXIT_REFUSED
        error = first_line(check) if failed or refused else ""
        result = FolderResult(
            folder,
            check.returncode,
            ending(check) if failed else "",
            relative_to(error, repos),
            refusal_cause(error) if refused else "",
            round(check.wall_s, 3),
            round(check.peak_rss_bytes / MB, 1),
        )
        if not folder.root or result.refused:
            return result
        # The inventory reads the cache the check filled: the same facts, sooner.
        report = Path(tmp) / "inventory.json"
        argv = [*lintsov, "inventory", str(path), "--format", "json", "--output", str(report)]
        inventory = measure(argv, env, cwd=Path(tmp))
        if inventory.returncode != 0 or not report.is_file():
            line = relative_to(first_line(inventory), repos) or ending(inventory)
            return replace(result, inventory_error=line)
        document = json.loads(report.read_text(encoding="utf-8"))
    holding, unresolved = unresolved_of(document, repos)
    return replace(result, data_holding=holding, unresolved=unresolved)


def sweep(repos: Path, lintsov: list[str], jobs: int) -> list[FolderResult]:
    folders = folders_of(repos)
    counter = itertools.count(1)

    def one(folder: Folder) -> FolderResult:
        result = sweep_folder(folder, repos, lintsov)
        print(
            f"[{next(counter)}/{len(folders)}] {folder.path}: exit {result.exit_code}",
            file=sys.stderr,
        )
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, folders))


# --- reporting -----------------------------------------------------------------------------


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def summary(results: list[FolderResult]) -> str:
    lines = []
    for repository in sorted({r.folder.repository for r in results}):
        mine = [r for r in results if r.folder.repository == repository]
        refused = [r for r in mine if r.refused]
        roots = [r for r in mine if r.folder.root]
        read = [r for r in roots if not r.refused and not r.inventory_error]
        holding = sum(r.data_holding for r in read)
        unresolved = [u for r in read for u in r.unresolved]
        # A folder is refused for the files of the local modules it calls, too.
        files = {r: {at["file"]} if (at := _ERROR_AT.search(r.error)) else set() for r in refused}
        lines += [
            f"## {repository}",
            "",
            f"- folders: {len(mine)}",
            f"- refused (exit 2) or crashed: {len(refused)} ({share(len(refused), len(mine))}), "
            f"for {len(set().union(*files.values()))} distinct files",
            f"- root folders: {len(roots)} ({len(roots) - len(read)} of them not read)",
            f"- data-holding resources in the root folders read: {holding}",
            f"- with no country: {len(unresolved)} ({share(len(unresolved), holding)})",
            f"- wall time: {sum(r.wall_s for r in mine):.1f} s in all, "
            f"slowest {max(r.wall_s for r in mine):.2f} s",
        ]
        if unresolved:
            lines += ["", "why no country:"]
            lines += [
                f"- {name}: {count}" for name, count in _ranked(u.category for u in unresolved)
            ]
        if refused:
            lines += ["", "refusal causes (folders, distinct files):"]
            for cause, count in _ranked(r.refusal or r.ended for r in refused):
                named = {f for r in refused if (r.refusal or r.ended) == cause for f in files[r]}
                lines.append(f"- {cause}: {count}, {len(named)}")
            lines += ["", "refused folders:"]
            lines += [f"- {r.folder.path}: {r.error or r.ended}" for r in refused]
        broken = [r for r in roots if r.inventory_error]
        lines += [f"- inventory failed on {r.folder.path}: {r.inventory_error}" for r in broken]
        lines.append("")
    return "\n".join(lines)


def _ranked(values: Iterable[str]) -> list[tuple[str, int]]:
    """Each value with how often it occurs, the most frequent first."""
    return sorted(Counter(values).items(), key=lambda item: (-item[1], item[0]))


def results_document(results: list[FolderResult], lintsov: list[str]) -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "lintsov_command": lintsov,
        "folders": [
            {**asdict(r), "refused": r.refused}
            for r in sorted(results, key=lambda r: r.folder.path)
        ],
    }


# --- command line ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repos",
        type=Path,
        default=DEFAULT_REPOS,
        help="folder of repositories, one a subfolder (default: %(default)s)",
    )
    parser.add_argument("--json", type=Path, help="also write every folder's figures here")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="folders linted at once; above 1 the wall times include the contention "
        "(default: %(default)s)",
    )
    add_lintsov_option(parser)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when lintsov refuses any folder"
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be positive")
    if not args.repos.is_dir():
        parser.error(f"{args.repos} is not a folder")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    repos = args.repos.resolve()
    lintsov = lintsov_argv(args.lintsov)
    results = sweep(repos, lintsov, args.jobs)
    if not results:
        print(f"no configuration folders under {repos}", file=sys.stderr)
        return 1
    print(summary(results))
    if args.json:
        document = results_document(results, lintsov)
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 1 if args.check and any(r.refused for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
