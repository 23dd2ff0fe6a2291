"""load: turn a path into a Stack. One module per input kind."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lintsov import environment
from lintsov.environment import Environment
from lintsov.errors import InputError, line_col
from lintsov.load import binary_plan, plan_json
from lintsov.load.backend_state import with_recorded_backend
from lintsov.load.hcl_options import HclOptions
from lintsov.stack import Stack

if TYPE_CHECKING:
    from lintsov.load.hcl_files import Reads

ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = codecs.BOM_UTF8
DEFAULT_MAX_BYTES = 1 << 30
_CHUNK = 1 << 24
# Matches only an all-blank file, and stops at the first other byte (no copy, unlike strip).
_BLANK = re.compile(rb"[ \t\r\n]*\Z")


def _load_folder(folder: str, options: HclOptions, reads: Reads | None = None) -> Stack:
    """The configuration-folder frontend, imported when a folder is read: a plan alone
    never needs it, and it is a tenth of lintsov's start-up."""
    from lintsov.load.hcl import load_folder  # noqa: PLC0415

    return load_folder(folder, options, reads)


@dataclass(frozen=True)
class LoadOptions:
    terraform_bin: str | None = None
    show_timeout: float = binary_plan.DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    hcl: HclOptions = field(default_factory=HclOptions)
    # For plans: the configuration folder that maps resources to file:line and carries
    # inline waivers; "" looks for .tf files beside the plan; None turns it off.
    source: str | None = ""


def load(path: str, options: LoadOptions | None = None) -> Stack:
    """Read a plan JSON file, a binary plan or a configuration folder into a Stack, or raise
    InputError."""
    options = options or LoadOptions()
    named = environment.parse(path)
    if named.var_file is not None:
        return load_environment(named, options.hcl)
    target = Path(path)
    try:
        exists, folder = target.exists(), target.is_dir()
    except OSError as error:  # a name too long for the file system, say
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    if not exists:
        raise InputError(path, "no such file or folder")
    if folder:
        return _load_folder(path, options.hcl)
    try:
        size = target.stat().st_size
        if size > options.max_bytes:
            raise InputError(
                path,
                f"the file is {size} bytes, over the limit of {options.max_bytes} "
                "(--max-input-size)",
            )
        with target.open("rb") as handle:
            data = handle.read()
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    shown = path
    if data.startswith(ZIP_MAGIC):
        data = binary_plan.show_json(target, options.terraform_bin, options.show_timeout)
        shown = f"{path} (via show -json)"
    stack = plan_json.build_stack(plan_json.decode_plan(_json_text(data, shown), shown), shown)
    return with_source(with_recorded_backend(stack, target), target, options)


def environment_options(named: Environment, options: HclOptions) -> HclOptions:
    """The folder options with the environment's variables file after those of --var-file:
    named last, it wins over them, as a later -var-file does in Terraform; --var still wins
    over it."""
    var_file = named.var_file_path()
    if var_file is None:
        return options
    return replace(options, var_files=(*options.var_files, var_file))


def load_environment(named: Environment, options: HclOptions, reads: Reads | None = None) -> Stack:
    """The root module in the environment's folder with its variables file applied, named
    as the environment."""
    environment.check_configured(named)
    stack = _load_folder(named.folder, environment_options(named, options), reads)
    return replace(stack, path=named.name)


def with_source(stack: Stack, plan: Path, options: LoadOptions) -> Stack:
    """The plan's resources with the file:line of their configuration, the
    configuration's inline waivers, and its state backend and encryption where the plan's
    folder recorded none."""
    if options.source is None:
        return stack
    folder = options.source or str(plan.parent)
    if not options.source:
        # Only a folder that holds configuration files is taken as the plan's source.
        if not any(Path(folder).glob("*.tf")) and not any(Path(folder).glob("*.tofu")):
            return stack
        try:
            configuration = _load_folder(folder, options.hcl)
        except InputError as error:
            note = f"the configuration beside the plan was not read ({error}); no file:line"
            return replace(stack, notes=(*stack.notes, note))
    else:
        configuration = _load_folder(folder, options.hcl)
    places = {_configuration_address(r.address): r.location for r in configuration.resources}
    resources = tuple(
        replace(r, location=places.get(_configuration_address(r.address), r.location))
        for r in stack.resources
    )
    return replace(
        stack,
        resources=resources,
        waivers=configuration.waivers,
        unloaded_modules=stack.unloaded_modules,
        backend=stack.backend or configuration.backend,
        encryption=stack.encryption or configuration.encryption,
    )


def _configuration_address(address: str) -> str:
    """``module.a[0].aws_s3_bucket.b["x"]`` and ``module.a[*].aws_s3_bucket.b[*]`` are both
    ``module.a.aws_s3_bucket.b`` in the configuration."""
    return plan_json.strip_instance_keys(address)


def _json_text(data: bytes, path: str) -> bytes:
    """The bytes to decode as JSON, after encoding checks that name the position."""
    if _BLANK.match(data):
        raise InputError(path, "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            path,
            "the file is UTF-16 (as Windows PowerShell's `>` writes it); write it as UTF-8, "
            "e.g. `terraform show -json plan.tfplan | Out-File -Encoding utf8 plan.json`",
        )
    if data.startswith(UTF8_BOM):
        # A byte-order mark carries no meaning in UTF-8 JSON; editors on Windows add it.
        data = data[len(UTF8_BOM) :]
    _check_utf8(data, path)
    _check_wrapper_noise(data, path)
    return data


# CI wrappers around terraform (hashicorp/setup-terraform's, with terraform_wrapper: true)
# write their own lines around the JSON. lintsov refuses rather than strips them: a file
# that is not what `show -json` wrote may have lost more than the wrapper added.
_WRAPPER_FIX = (
    "write the plan with the terraform binary itself (setup-terraform: terraform_wrapper: "
    "false), e.g. `terraform show -json plan.tfplan > plan.json`"
)


_TAIL = 1 << 16
_WORKFLOW_COMMAND = re.compile(rb"(?:^|\n)::(?:debug|set-output|group|endgroup|warning|error)")


def _check_wrapper_noise(data: bytes, path: str) -> None:
    if data.lstrip().startswith(b"[command]"):
        raise InputError(
            path,
            f"the file starts with a CI wrapper's `[command]...` line, not JSON; {_WRAPPER_FIX}",
            line=1,
            column=1,
        )
    # The wrapper's lines come after the JSON: look at the end only, not through 600 MB.
    start = max(0, len(data) - _TAIL)
    noise = _WORKFLOW_COMMAND.search(data, start)
    if noise is not None:
        line, column = line_col(data, noise.start() + (data[noise.start()] == 0x0A))
        raise InputError(
            path,
            f"the file holds a CI wrapper's `::debug::` lines around the JSON; {_WRAPPER_FIX}",
            line=line,
            column=column,
        )


def _check_utf8(data: bytes, path: str) -> None:
    # Plans are nearly always ASCII (Terraform escapes little, but names and tags rarely
    # leave ASCII), and ASCII is valid UTF-8: one pass in C, without building any str.
    if data.isascii():
        return
    # Chunked so that a large plan is never copied whole into a str just to validate it.
    # Each chunk ends on a character boundary, so error offsets are exact.
    view = memoryview(data)
    start = 0
    while start < len(data):
        end = min(len(data), start + _CHUNK)
        steps = 0
        while end < len(data) and steps < 3 and 0x80 <= data[end] <= 0xBF:
            end -= 1
            steps += 1
        try:
            codecs.utf_8_decode(view[start:end], "strict", True)
        except UnicodeDecodeError as error:
            line, column = line_col(data, start + error.start)
            raise InputError(path, "the file is not UTF-8 text", line=line, column=column) from None
        start = end
