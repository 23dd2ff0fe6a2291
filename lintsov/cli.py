"""The command line: options → policy → pipeline → report → exit code.

Thin on purpose, and light to import: ``lintsov --version`` must answer within pre-commit's
patience, so the pipeline is imported only when a command runs.
"""

from __future__ import annotations

import gc
import math
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from lintsov import __version__, countries
from lintsov.errors import LINE_LIMIT, MESSAGE_LIMIT, quoted, shorten

if TYPE_CHECKING:
    from lintsov.setting import Applied
    from lintsov.unreadable import Unreadable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Python's own exit code when stdout's reader goes away (the signal module's SIGPIPE note).
EXIT_BROKEN_PIPE = 1
F = TypeVar("F", bound=Callable[..., Any])


class _UsageLine(click.UsageError):
    """A usage error, printed as lintsov prints every error: one line, values cut short."""

    def show(self, file: IO[Any] | None = None) -> None:
        command = "lintsov"  # whatever the program was called (python -m lintsov, a test)
        # The lint options are in `lintsov --help`: the default command goes unnamed.
        if self.ctx is not None and self.ctx.parent is not None and self.ctx.info_name != "check":
            command += f" {self.ctx.info_name}"
        where = f" (see {command} --help)" if self.ctx is not None else ""
        # Usage messages are short; one that is not quotes a value click did not cut.
        message = shorten(" ".join(self.format_message().split()), MESSAGE_LIMIT)
        click.echo(f"lintsov: error: {message}{where}", err=True)


class _DefaultToCheck(click.Group):
    """``lintsov PATH...`` means ``lintsov check PATH...``, as with tflint and checkov."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # `lintsov PATH...` is what users type: its options belong in `lintsov --help`,
        # before the other commands.
        click.Command.format_options(self, ctx, formatter)
        rows = [
            record
            for param in self.commands["check"].get_params(ctx)
            if isinstance(param, click.Option)
            and "--help" not in param.opts
            and (record := param.get_help_record(ctx)) is not None
        ]
        with formatter.section("Lint options (lintsov [OPTIONS] PATH...)"):
            formatter.write_dl(rows)
        self.format_commands(ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        # A command's options are parsed here: their errors become one line, like the rest.
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            if isinstance(error, _UsageLine):
                raise
            raise _UsageLine(error.format_message(), error.ctx) from None


def _one_line(message: str) -> str:
    # One line, always: CI logs and pre-commit show the first line only; and never a user's
    # 100 KB value in full.
    return shorten(" ".join(message.split()), LINE_LIMIT)


def _fail(message: str) -> NoReturn:
    click.echo(f"lintsov: error: {_one_line(message)}", err=True)
    sys.exit(EXIT_ERROR)


def _reader_gone() -> NoReturn:
    """stdout's reader went away (``lintsov rules | head -1``): stop quietly, as command-line
    tools do, with Python's exit code for a broken pipe, 1: never 0, since the report was
    not delivered in full."""
    try:
        # Python flushes stdout again at exit; pointed at devnull, that flush cannot fail.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file (a test's capture): nothing will be flushed at exit
    sys.exit(EXIT_BROKEN_PIPE)


def _guarded(run: Callable[[], int]) -> NoReturn:
    """Run a command; input errors and surprises become one line on stderr and exit 2."""
    from lintsov.errors import InputError
    from lintsov.rules import RuleError

    # A run builds hundreds of thousands of long-lived objects and few reference cycles;
    # with the default threshold (700) the collector rescans them over and over, which cost
    # a third of a 50k-resource run. Cycles are still collected, less often.
    gc.set_threshold(50_000, 20, 20)
    try:
        code = run()
        # Flushed now, not at exit: a reader that went away is then seen here.
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()
    except InputError as error:
        _fail(str(error))
    except RuleError as error:
        _fail(str(error))
    except KeyboardInterrupt:
        _fail("interrupted")
    except RecursionError:
        _fail("input nested too deeply to read")
    except MemoryError:
        _fail("out of memory while reading the input")
    except Exception as error:  # never a traceback: say what broke, in one line
        if os.environ.get("LINTSOV_DEBUG"):
            traceback.print_exc()
        _fail(
            f"internal error: {type(error).__name__}: {error} (set LINTSOV_DEBUG=1 for "
            "details, and please report it)"
        )
    sys.exit(code)


def _jurisdiction(
    _ctx: click.Context, _param: click.Parameter, values: Sequence[str]
) -> tuple[str, ...]:
    result = []
    for value in values:
        code = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise click.BadParameter(f"{quoted(value)} is not an ISO 3166-1 alpha-2 country code")
        unassigned = countries.problem(code)
        if unassigned:
            raise click.BadParameter(unassigned)
        result.append(code)
    return tuple(result)


def _number(
    kind: type[int] | type[float], low: int, high: int, what: str
) -> Callable[[click.Context, click.Parameter, str], float]:
    """A callback that reads a finite number within bounds: a run must not start with a
    value it cannot use (`--show-timeout inf` once reached the subprocess call)."""

    def read(_ctx: click.Context, _param: click.Parameter, value: str) -> float:
        try:
            number: float = kind(value.strip())
        except ValueError:  # not a number, or an integer of more than 4300 digits
            number = math.nan
        if not (math.isfinite(number) and low <= number <= high):
            raise click.BadParameter(f"{quoted(value)} is not {what} from {low} to {high}")
        return number

    return read


def _optional(
    read: Callable[[click.Context, click.Parameter, str], float],
) -> Callable[[click.Context, click.Parameter, str | None], float | None]:
    def maybe(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
        return None if value is None else read(ctx, param, value)

    return maybe


_SIZE_UNITS = {
    "": 1,
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
    "TB": 10**12,
    "TIB": 2**40,
}
# No plan or configuration file comes near it; past it, a size is a typo.
_MAX_SIZE = 2**40


def _size(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    match = re.fullmatch(r"\s*(\d{1,15})\s*([A-Za-z]*)\s*", value)
    unit = match.group(2).upper() if match else ""
    size = int(match.group(1)) * _SIZE_UNITS[unit] if match and unit in _SIZE_UNITS else 0
    if not 0 < size <= _MAX_SIZE:
        raise click.BadParameter(
            f"{quoted(value)} is not a size such as 1GiB, 500MB or 1048576 (1 byte to 1TiB)"
        )
    return size


def _policy_options(command: F) -> F:
    options = [
        click.option(
            "--config",
            "config_file",
            metavar="FILE",
            help="Config file for every input (default: for each input, the nearest "
            ".lintsov.yaml, .lintsov.yml or pyproject.toml with [tool.lintsov], from the "
            "input's folder up to the repository root).",
        ),
        click.option(
            "--profile",
            type=click.Choice(["sovereignty", "residency"]),
            help="sovereignty (default): the vendor's nationality counts too; residency: "
            "only where the data sits.",
        ),
        click.option(
            "--block-jurisdiction",
            "blocked",
            multiple=True,
            callback=_jurisdiction,
            metavar="CC",
            help="Country code whose law must not reach sensitive data; repeatable. Default: US.",
        ),
        click.option(
            "--unclassified",
            type=click.Choice(["not-sensitive", "sensitive"]),
            help="What a data-holding resource without a classification tag or label counts "
            "as: not-sensitive (default; only marked data is sensitive) or sensitive "
            "(everything that holds data, unless classified public, internal, ...).",
        ),
        click.option(
            "--terraform-bin",
            metavar="PATH",
            help="tofu or terraform binary for reading binary plans "
            "(default: tofu, then terraform, from PATH).",
        ),
        click.option(
            "--show-timeout",
            callback=_number(float, 1, 86_400, "a number of seconds"),
            default="120",
            show_default=True,
            metavar="SECONDS",
            help="Time limit for `show -json` on a binary plan.",
        ),
        click.option(
            "--max-input-size",
            "max_input_size",
            default="1GiB",
            show_default=True,
            callback=_size,
            metavar="SIZE",
            help="Largest plan or configuration file lintsov reads (1GiB, 500MB, bytes); "
            "a larger one is an input error.",
        ),
        click.option(
            "--source",
            metavar="DIR",
            help="For plans: the configuration folder, to point findings at file:line and "
            "read inline waivers (default: the plan's folder, when it holds .tf files).",
        ),
        click.option(
            "--var-file",
            "var_files",
            multiple=True,
            metavar="FILE",
            help="For folders: a variables file, as for terraform plan; repeatable.",
        ),
        click.option(
            "--var",
            "variables",
            multiple=True,
            metavar="NAME=VALUE",
            help="For folders: a variable value, as for terraform plan; repeatable.",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Parse every file afresh; do not read or write the parse cache.",
        ),
        click.option(
            "--cache-dir",
            metavar="DIR",
            help="Parse cache folder (default: LINTSOV_CACHE_DIR, else the user cache "
            "folder, ~/.cache/lintsov).",
        ),
        click.option(
            "--jobs",
            "-j",
            callback=_optional(_number(int, 1, 256, "a whole number of processes")),
            metavar="N",
            help="Processes: several inputs are read in parallel, one folder's files are "
            "parsed in parallel (default: the CPU count). The report is the same for any N.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _assigned(paths: Sequence[str], common: dict[str, Any], rules: Any) -> Any:
    """Each input with its setting: the config file given, or the one found for it (from
    the input's folder up to the repository root), with the options over it."""
    from lintsov.pipeline import inputs
    from lintsov.setting import assign

    return assign(
        inputs(paths),
        cwd=Path.cwd(),
        config_file=common["config_file"],
        rules=rules,
        overrides=_overrides(common),
    )


def _through_callers(paths: Sequence[str], common: dict[str, Any]) -> list[str]:
    """--callers: each reusable module among the inputs replaced by the root modules of its
    repository that call it, each root judged by its own config."""
    from lintsov import config, modules
    from lintsov.pipeline import inputs

    options = _load_options(common)
    layouts = modules.Layouts(options.hcl.cache, options.max_bytes)
    searched: dict[Path, Path | None] = {}
    read: dict[Path | None, modules.Overrides] = {}
    given = common["config_file"]

    def overrides_for(folder: Path) -> modules.Overrides:
        found = Path(given) if given else config.for_input(str(folder), Path.cwd(), searched)
        if found not in read:  # each config file read once, however many folders it covers
            read[found] = config.module_overrides(config.load(found))
        return read[found]

    return modules.through_callers(inputs(paths), layouts, overrides_for, Path.cwd())


def _rule_option(
    _ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[str, ...]:
    return _rule_ids(param, values)


def _severity_option(
    _ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    return _severities(param, values)


def _rule_ids(param: click.Parameter, values: Sequence[str]) -> tuple[str, ...]:
    """``SOV001,AUT`` → ids and prefixes, each naming at least one rule lintsov has: a
    misspelt one would select or ignore nothing without a word."""
    from lintsov.rules import RuleError, load_rules, unmatched

    if not values:  # not given: nothing to check, and no rule to load yet
        return ()
    named = tuple(part.strip().upper() for value in values for part in value.split(","))
    try:
        known = load_rules()
    except RuleError as error:  # a broken install says so, as a run does
        _fail(str(error))
    wrong = unmatched(named, known)
    if wrong is not None:
        raise click.BadParameter(
            f"{quoted(wrong)} is no rule id or prefix (rules: {', '.join(known)})", param=param
        )
    return named


def _severities(param: click.Parameter, values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    result = []
    for value in values:
        rule, sep, level = value.partition("=")
        level = level.strip().lower()
        if not sep or level not in ("error", "warning"):
            raise click.BadParameter(
                f"{quoted(value)} is not RULE=error or RULE=warning", param=param
            )
        named = _rule_ids(param, [rule])
        if len(named) != 1:
            raise click.BadParameter(f"{quoted(value)} names more than one rule", param=param)
        result.append((named[0], level))
    return tuple(result)


def _overrides(common: dict[str, Any]) -> Any:
    from lintsov.setting import Overrides, Selection

    return Overrides(
        profile=common.get("profile"),
        blocked=common.get("blocked", ()),
        unclassified=common.get("unclassified"),
        selection=common.get("selection", Selection()),
        # The clock is read here, at the edge: waivers expire by it.
        today=date.today(),
    )


def _load_options(common: dict[str, Any]) -> Any:
    from lintsov.load import LoadOptions
    from lintsov.load.hcl_cache import Cache, default_folder
    from lintsov.load.hcl_options import HclOptions, default_jobs

    cache = None
    if not common["no_cache"]:
        folder = common["cache_dir"] or default_folder(dict(os.environ), Path.home())
        cache = Cache(Path(folder))
    hcl = HclOptions(
        var_files=common["var_files"],
        variables=common["variables"],
        environment={k: v for k, v in os.environ.items() if k.startswith("TF_VAR_")},
        cache=cache,
        jobs=common["jobs"] or default_jobs(),
        max_bytes=common["max_input_size"],
    )
    return LoadOptions(
        terraform_bin=common["terraform_bin"],
        show_timeout=common["show_timeout"],
        max_bytes=common["max_input_size"],
        hcl=hcl,
        source=common["source"] or "",
    )


def _write(text: str | bytes, output: str | None, colour: bool = False) -> None:
    """Write a report: text, or the UTF-8 bytes of a JSON report as they are (JSON escapes
    control characters, so it holds no colour code to strip)."""
    if output is None or output == "-":
        # click strips colour codes from output that is no terminal: --color always keeps
        # them (and only a coloured text report holds any).
        click.echo(text, nl=False, color=True if colour else None)
        return
    try:
        if isinstance(text, bytes):
            Path(output).write_bytes(text)
        else:
            Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(
            f"{shorten(output, MESSAGE_LIMIT)}: cannot write the report: {error.strerror or error}"
        )


def _colour(color: str, no_color: bool, output: str | None) -> bool:
    """``--color always`` for CI logs that render colour; ``auto`` colours a terminal only,
    never a file, and honours NO_COLOR."""
    if no_color or color == "never":
        return False
    if color == "always":
        return True
    if os.environ.get("NO_COLOR") or (output not in (None, "-")):
        return False
    return sys.stdout.isatty()


@click.group(
    cls=_DefaultToCheck,
    subcommand_metavar="PATH... | COMMAND [ARGS]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", prog_name="lintsov", message="%(prog)s %(version)s")
def main() -> None:
    """Where does our data live, and whose law can reach it?

    lintsov reads Terraform and OpenTofu plans (`terraform show -json` output, or binary
    plans), resolves every resource's vendor, region, country and the reach of foreign law,
    blocks sensitive data under blocked jurisdictions and warns when everything depends on
    one vendor.

    \b
    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it;
    2 usage or input error.
    """


FORMATS = ("text", "compact", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")


# A file name that holds "=" is told from FORMAT=FILE by a folder in front: ./a=b.
_PATH_START = re.compile(r"(\.{0,2}[/\\]|[A-Za-z]:[/\\])")


def _outputs(
    _ctx: click.Context, _param: click.Parameter, values: Sequence[str]
) -> tuple[tuple[str | None, str], ...]:
    """``-o FILE`` writes the --format report; ``-o FORMAT=FILE`` writes that format."""
    result: list[tuple[str | None, str]] = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or _PATH_START.match(value):
            result.append((None, value))
            continue
        if name not in FORMATS:
            raise click.BadParameter(
                f"{quoted(value)}: {quoted(name)} is not a format ({', '.join(FORMATS)}); "
                f"a file whose name holds '=' is written ./{shorten(value)}"
            )
        if not path:
            raise click.BadParameter(f"{quoted(value)}: no file after {name}=")
        result.append((name, path))
    return tuple(result)


@main.command("check", short_help="Lint PATHs: the default command, options above.")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format on stdout (or in --output FILE).",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    callback=_outputs,
    metavar="[FORMAT=]FILE",
    help="Write the --format report to FILE (- for stdout), or FORMAT=FILE to write that "
    "format there as well; repeatable, e.g. -o sarif=lintsov.sarif -o markdown=summary.md.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes lintsov exit 1.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text report: auto (on a terminal, unless NO_COLOR is set), always "
    "(for CI logs that render it) or never.",
)
@click.option("--no-color", is_flag=True, help="The same as --color never.")
@click.option(
    "--select",
    multiple=True,
    callback=_rule_option,
    metavar="RULE[,RULE]",
    help="Run only these rules; ids or prefixes (SOV); repeatable. Replaces the config's select.",
)
@click.option(
    "--ignore",
    multiple=True,
    callback=_rule_option,
    metavar="RULE[,RULE]",
    help="Do not run these rules; ids or prefixes (AUT); repeatable. Adds to the config's ignore.",
)
@click.option(
    "--severity",
    "severity_overrides",
    multiple=True,
    callback=_severity_option,
    metavar="RULE=LEVEL",
    help="Report a rule (id or prefix) as error or warning for this run; repeatable. Wins "
    "over the config's rules.RULE.severity.",
)
@click.option(
    "--callers",
    is_flag=True,
    help="A PATH in a reusable module that root modules of the repository call is "
    "linted through those root modules (for pre-commit hooks in monorepos).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print findings only: no summary line.")
@click.option("--show-waived", is_flag=True, help="Also list waived findings, and why.")
@click.option(
    "--baseline",
    metavar="FILE",
    help="Fail only on findings this baseline does not record; report recorded ones that "
    "no longer occur.",
)
@click.option(
    "--write-baseline",
    metavar="FILE",
    help="Record today's findings in FILE (by fingerprint) and exit 0.",
)
@click.option(
    "--aggregate",
    is_flag=True,
    help="Judge whole-input rules (AUT001) across all inputs together: an "
    "organisation-wide view of vendor concentration.",
)
@_policy_options
def check_command(
    paths: tuple[str, ...],
    fmt: str,
    outputs: tuple[tuple[str | None, str], ...],
    fail_on: str,
    color: str,
    no_color: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    severity_overrides: tuple[tuple[str, str], ...],
    callers: bool,
    quiet: bool,
    show_waived: bool,
    baseline: str | None,
    write_baseline: str | None,
    aggregate: bool,
    **common: Any,
) -> None:
    """Lint plans and configuration folders (the default command: `lintsov PATH...`).

    PATH is plan JSON (terraform show -json), a binary plan, or a folder of .tf/.tofu
    files (a .tf or .tfvars file stands for its folder). Several paths give one report.
    """

    def run() -> int:
        from lintsov import baseline as baselines
        from lintsov import collector
        from lintsov.pipeline import lint_each, with_baseline
        from lintsov.report import Report, repository_root
        from lintsov.rules import active, load_rules
        from lintsov.setting import Selection, applied

        rules = load_rules()
        common["selection"] = Selection(select or None, ignore, severity_overrides)
        given = _through_callers(paths, common) if callers else paths
        assigned = _assigned(given, common, rules)
        configs = applied(assigned)
        for config in configs:
            where = config.config
            if select or ignore:  # the options may be what turned every rule off
                where = f"{where or 'the configuration'} with --select/--ignore"
            active(rules, config.policy, where)
        if aggregate and len(configs) > 1:
            _fail(_several_policies(configs))
        entries = baselines.read(baseline) if baseline else None
        outcome = lint_each(assigned, rules, _load_options(common), aggregate=aggregate)
        _report_unreadable(outcome.unreadable)
        if write_baseline:
            if outcome.unreadable:
                _fail(
                    f"{write_baseline}: baseline not written: "
                    f"{_inputs_not_read(outcome.unreadable)}, and a baseline without "
                    "their findings would drop them"
                )
            _write(baselines.render(outcome.findings), write_baseline)
            click.echo(
                f"lintsov: recorded {len(outcome.findings)} findings in {write_baseline}",
                err=True,
            )
            return EXIT_CLEAN
        if not outcome.inventories:
            # Nothing was read (one input alone, or every one): the errors say it all, and
            # an empty report would only hide them.
            return EXIT_ERROR
        if entries is not None:
            outcome = with_baseline(outcome, entries)
        report = Report(outcome, None, fail_on, rules, repository_root(Path.cwd()))
        # The --format report goes to stdout unless a plain -o FILE redirects it.
        plain = [path for name, path in outputs if name is None] or ["-"]
        targets = [(fmt, path) for path in plain]
        targets += [(name, path) for name, path in outputs if name is not None]
        for name, path in targets:
            text_options = {
                "colour": _colour(color, no_color, path),
                "quiet": quiet,
                "show_waived": show_waived,
            }
            # A report of tens of thousands of findings builds as many objects, in no
            # reference cycles (see collector.paused).
            with collector.paused():
                rendered = _render(name, report, text_options)
            _write(rendered, path, text_options["colour"])
        if outcome.unreadable:
            return EXIT_ERROR
        return EXIT_FINDINGS if outcome.fails(fail_on) else EXIT_CLEAN

    _guarded(run)


def _several_policies(configs: Sequence[Applied]) -> str:
    """Why --aggregate refuses inputs with different config files: all inputs judged as
    one need one policy, and taking any one config's max_vendor_share, severities and
    waivers for all would be a guess."""
    from lintsov import repository
    from lintsov.unreadable import names

    root = repository.root(Path.cwd())
    listed = [
        f"{repository.relative(c.config, root) if c.config else 'no config file'} "
        f"({names(c.inputs, 3)})"
        for c in configs
    ]
    return (
        f"--aggregate judges all inputs as one, by one policy, but they have "
        f"{len(configs)} policies: {names(listed, 3)}; give --config FILE to judge "
        "them all by one"
    )


def _report_unreadable(unreadable: Sequence[Unreadable]) -> None:
    """Each input that could not be read, one line each, as a lone bad input always was."""
    for item in unreadable:
        click.echo(f"lintsov: error: {item.message}", err=True)


def _inputs_not_read(unreadable: Sequence[Unreadable]) -> str:
    count = len(unreadable)
    return f"{count} input{'' if count == 1 else 's'} could not be read"


def _render(fmt: str, report: Any, text_options: dict[str, bool]) -> str | bytes:
    import importlib

    if fmt == "text":
        from lintsov.report import text

        return text.render(report, **text_options)
    module = importlib.import_module(f"lintsov.report.{_FORMAT_MODULES[fmt]}")
    # A JSON format's bytes, when it has them, are written as they are (lintsov.report).
    rendered: str | bytes = getattr(module, "render_bytes", module.render)(report)
    return rendered


_FORMAT_MODULES = {
    "compact": "compact",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
    "markdown": "markdown",
    "html": "html",
}


@main.command("inventory", short_help="Every resource with its vendor, country and law.")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (- for stdout).")
@_policy_options
def inventory_command(paths: tuple[str, ...], fmt: str, output: str | None, **common: Any) -> None:
    """Every resource with its vendor, region, country, jurisdictions and how each was
    resolved: a sovereignty bill of materials."""

    def run() -> int:
        from lintsov import repository
        from lintsov.pipeline import read_each
        from lintsov.report import inventory
        from lintsov.rules import load_rules

        done = read_each(_assigned(paths, common, load_rules()), _load_options(common))
        _report_unreadable(done.unreadable)
        if not done.inventories:
            return EXIT_ERROR
        root = repository.root(Path.cwd())
        configs = {
            path: repository.relative(c.config, root) if c.config else None
            for c in done.configs
            for path in c.inputs
        }
        trusted = {path: c.policy.trusted for c in done.configs for path in c.inputs}
        # The inputs read are listed; the run still fails for the others (exit 2).
        if fmt == "json":
            text: str | bytes = inventory.render_json_bytes(done.inventories, configs, trusted)
        elif fmt == "csv":
            text = inventory.render_csv(done.inventories)
        else:
            text = inventory.render_text(done.inventories, configs, trusted)
        _write(text, output)
        return EXIT_ERROR if done.unreadable else EXIT_CLEAN

    _guarded(run)


@main.command("config-schema", short_help="The JSON Schema of the config file.")
def config_schema_command() -> None:
    """Print the JSON Schema of the config file (for editor completion)."""

    def run() -> int:
        import json

        from lintsov import config

        click.echo(json.dumps(config.schema(), indent=2))
        return EXIT_CLEAN

    _guarded(run)


@main.command("rules")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text: one line per rule; json: id, title, severity, scope, origin and help URL "
    "of each; markdown: every rule's manual (docs/rules.md).",
)
def rules_command(fmt: str) -> None:
    """List the rules."""

    def run() -> int:
        from lintsov.rules import load_rules

        rules = load_rules()
        if fmt == "json":
            from lintsov.report import rules_doc

            click.echo(rules_doc.render_json(rules), nl=False)
            return EXIT_CLEAN
        if fmt == "markdown":
            from lintsov.report import rules_doc

            click.echo(rules_doc.render(rules), nl=False)
            return EXIT_CLEAN
        width = max(len(r.title) for r in rules.values())
        click.echo(f"{'ID':<8}{'SEVERITY':<10}{'TITLE':<{width + 2}}ORIGIN")
        for rule in rules.values():
            click.echo(f"{rule.id:<8}{rule.severity:<10}{rule.title:<{width + 2}}{rule.origin}")
        return EXIT_CLEAN

    _guarded(run)


@main.command("explain")
@click.argument("rule_id", metavar="RULE")
def explain_command(rule_id: str) -> None:
    """Print a rule's documentation."""

    def run() -> int:
        from lintsov.rules import load_rules

        rules = load_rules()
        rule = rules.get(rule_id.upper())
        if rule is None:
            _fail(f"unknown rule {quoted(rule_id)}; known rules: {', '.join(rules)}")
        click.echo(f"{rule.id} ({rule.severity}): {rule.title}\n")
        click.echo(rule.manual or rule.doc)
        return EXIT_CLEAN

    _guarded(run)


@main.command("catalog", short_help="The catalogue: vendors, laws, regions.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="Config file whose catalogue extensions to include (default: the nearest one "
    "from the current folder up to the repository root).",
)
def catalog_command(fmt: str, config_file: str | None) -> None:
    """Print the catalogue: vendors, laws, providers and every region with its country,
    with the config file's catalogue extensions."""

    def run() -> int:
        from lintsov import config, setting
        from lintsov.report import catalogue_report
        from lintsov.rules import load_rules

        path = Path(config_file) if config_file else config.discover(Path.cwd())
        cat = setting.load(path, load_rules(), _overrides({})).catalogue
        click.echo(
            catalogue_report.render_json(cat)
            if fmt == "json"
            else catalogue_report.render_text(cat),
            nl=False,
        )
        return EXIT_CLEAN

    _guarded(run)
