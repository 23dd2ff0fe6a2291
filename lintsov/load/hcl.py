"""A root module folder (.tf, .tf.json, .tofu, .tofu.json) read into a Stack, before any
plan exists: modules followed, providers passed, variables and locals evaluated where they
can be, every resource with its file and lines."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lintsov.errors import InputError
from lintsov.load import hcl_expr
from lintsov.load.hcl_cache import Cache
from lintsov.load.hcl_files import (
    META,
    OVERRIDDEN,
    Block,
    ParsedFile,
    ParseStats,
    Reads,
    is_block_list,
    is_override,
    module_files,
    parse_files,
    parse_text,
    strip_meta,
)
from lintsov.load.plan_json import provider_source
from lintsov.load.waiver_comments import waivers_in
from lintsov.stack import (
    Attr,
    Backend,
    Configured,
    EncryptionMethod,
    KeyProvider,
    Known,
    Payload,
    ProviderBinding,
    ProviderConfig,
    Resource,
    SourceLocation,
    Stack,
    StateEncryption,
    Unknown,
    UnloadedModule,
    Waiver,
)

# Module nesting deeper than this is a loop in disguise (symlinks) or a mistake.
MAX_MODULE_DEPTH = 32
# Arguments Terraform itself interprets; they say nothing about where data lives.
META_ARGUMENTS = frozenset(
    {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection", *META}
)
# terraform_data and the like belong to the provider built into Terraform and OpenTofu.
BUILTIN = "terraform.io/builtin/terraform"
PROVIDER_SETTINGS_IGNORED = frozenset({"alias", "version", *META})
# The key provider settings that say who holds an OpenTofu state encryption key; the others
# (passphrase, token, key ids) are never read. https://opentofu.org/docs/language/state/encryption/
KEY_HOLDER_SETTINGS = ("address", "region", "vault_uri")


@dataclass(frozen=True)
class HclOptions:
    var_files: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    environment: Mapping[str, str] = field(default_factory=dict)
    cache: Cache | None = None
    jobs: int = 1
    # Per configuration file; the same limit as for plans (--max-input-size).
    max_bytes: int = 1 << 30


@dataclass
class Module:
    path: str
    address: str
    folder: Path
    display: str
    parent: Module | None
    call: Block | None
    blocks: list[Block] = field(default_factory=list)
    files: list[ParsedFile] = field(default_factory=list)
    children: dict[str, Module] = field(default_factory=dict)

    def of_type(self, block_type: str) -> Iterator[Block]:
        return (b for b in self.blocks if b.type == block_type)

    def required_providers(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for block in self.of_type("terraform"):
            for entry in block.body.get("required_providers", []):
                for name, spec in strip_meta(entry).items():
                    source = spec.get("source") if isinstance(spec, dict) else None
                    if isinstance(source, str):
                        found[name] = provider_source(source.lower())
        return found


@dataclass
class _Tree:
    root: Module
    modules: list[Module]
    unloaded: list[UnloadedModule]
    stats: ParseStats


def load_folder(folder: str, options: HclOptions, reads: Reads | None = None) -> Stack:
    """Read the root module in ``folder`` and the modules it calls; ``reads`` records what
    was read, for a cache of the results."""
    tree = _load_tree(folder, options, reads)
    values = _root_values(tree.root, options, reads)
    scopes = {m.path: _Scope(m, values if m.parent is None else {}, None) for m in tree.modules}
    for scope in scopes.values():
        scope.scopes = scopes
    providers = _providers(tree.modules, scopes)
    resources = [r for m in tree.modules for r in _resources(m, scopes[m.path], providers)]
    waivers: list[Waiver] = []
    for module in tree.modules:
        shared = _shared(module, tree.root)
        for parsed in module.files:
            waivers.extend(waivers_in(parsed.path, parsed.text, parsed.blocks, shared=shared))
    tofu = any(f.path.endswith((".tofu", ".tofu.json")) for m in tree.modules for f in m.files)
    return Stack(
        path=folder,
        kind="hcl",
        tool="OpenTofu configuration" if tofu else "Terraform configuration",
        providers=providers,
        resources=tuple(sorted(resources, key=lambda r: r.address)),
        variables=dict(sorted(values.items())),
        notes=(),
        backend=_backend(tree.root, scopes[""]),
        unloaded_modules=tuple(sorted(tree.unloaded, key=lambda u: u.address)),
        waivers=tuple(sorted(waivers, key=lambda w: (w.file, w.line))),
        encryption=_encryption(tree.root, scopes[""]),
    )


def _shared(module: Module, root: Module) -> bool:
    """Whether other root modules may call this module: it lies outside the root module's
    folder, or `terraform init` downloaded it (registry and git sources)."""
    if module is root:
        return False
    try:
        inside = module.folder.resolve().relative_to(root.folder.resolve())
    except (OSError, ValueError):
        return True
    return ".terraform" in inside.parts


def parse_stats(folder: str, options: HclOptions) -> ParseStats:
    """How the folder's files were read (from the cache or parsed): for tests and tuning."""
    return _load_tree(folder, options).stats


# --- the module tree -----------------------------------------------------------------------


def _load_tree(folder: str, options: HclOptions, reads: Reads | None = None) -> _Tree:
    root_path = Path(folder)
    if not root_path.is_dir():
        raise InputError(folder, "not a folder")
    root = Module("", "", root_path, folder, None, None)
    stats = ParseStats()
    unloaded: list[UnloadedModule] = []
    installed = _installed_modules(root_path, reads)
    level = [root]
    modules: list[Module] = []
    while level:
        _parse_level(level, options, stats, reads)
        if not level[0].files and level[0] is root:
            raise InputError(folder, "no .tf, .tf.json, .tofu or .tofu.json files in the folder")
        modules.extend(level)
        next_level: list[Module] = []
        for module in level:
            for call in module.of_type("module"):
                child = _child(module, call, installed, unloaded)
                if child is not None:
                    module.children[call.labels[0]] = child
                    next_level.append(child)
        level = next_level
    return _Tree(root, modules, unloaded, stats)


def _parse_level(
    level: list[Module], options: HclOptions, stats: ParseStats, reads: Reads | None
) -> None:
    paths = {m.path: module_files(m.folder) for m in level}
    if reads is not None:
        for module in level:
            reads.listings[f"files:{module.folder}"] = [p.name for p in paths[module.path]]
    every = [p for files in paths.values() for p in files]
    parsed, level_stats = parse_files(every, options.cache, options.jobs, reads, options.max_bytes)
    stats.parsed.extend(level_stats.parsed)
    stats.cached += level_stats.cached
    by_name = {p.path: p for p in parsed}
    for module in level:
        module.files = [by_name[str(p)] for p in paths[module.path]]
        module.blocks = _merge_overrides(module.files)


def _installed_modules(root: Path, reads: Reads | None) -> dict[str, Path]:
    """Modules that `terraform init` downloaded, by call path ("a.b")."""
    manifest = root / ".terraform" / "modules" / "modules.json"
    try:
        text = manifest.read_text("utf-8")
    except (OSError, ValueError):
        text = None
    if reads is not None:
        reads.file(str(manifest), text)
    try:
        entries = json.loads(text or "{}").get("Modules", [])
    except (ValueError, AttributeError):
        return {}
    found: dict[str, Path] = {}
    for entry in entries if isinstance(entries, list) else []:
        if (
            isinstance(entry, dict)
            and isinstance(entry.get("Key"), str)
            and isinstance(entry.get("Dir"), str)
        ):
            found[entry["Key"]] = root / entry["Dir"]
    return found


def _child(
    parent: Module, call: Block, installed: Mapping[str, Path], unloaded: list[UnloadedModule]
) -> Module | None:
    name = call.labels[0]
    path = f"{parent.path}.module.{name}" if parent.path else f"module.{name}"
    repeated = "[*]" if ("count" in call.body or "for_each" in call.body) else ""
    address = (f"{parent.address}." if parent.address else "") + f"module.{name}{repeated}"
    location = SourceLocation(call.file, call.start, call.end)
    source = call.body.get("source")
    if not isinstance(source, str) or "${" in source:
        unloaded.append(
            UnloadedModule(address, str(source), "its source is not a literal string", location)
        )
        return None
    depth = path.count("module.")
    if depth > MAX_MODULE_DEPTH:
        unloaded.append(
            UnloadedModule(
                address, source, f"modules nest deeper than {MAX_MODULE_DEPTH} levels", location
            )
        )
        return None
    if source.startswith(("./", "../", ".\\", "..\\")):
        folder = Path(os.path.normpath(parent.folder / source))
        display = os.path.normpath(os.path.join(parent.display, source))
    else:
        key = ".".join(p for p in path.split(".") if p != "module")
        found = installed.get(key)
        if found is None or not found.is_dir():
            unloaded.append(
                UnloadedModule(
                    address,
                    source,
                    "it is not downloaded: run `terraform init` (lintsov reads "
                    ".terraform/modules/modules.json)",
                    location,
                )
            )
            return None
        folder, display = found, str(found)
    if not folder.is_dir():
        unloaded.append(
            UnloadedModule(address, source, f"the folder {display} does not exist", location)
        )
        return None
    real = _real(folder)
    ancestor: Module | None = parent
    while ancestor is not None:
        if _real(ancestor.folder) == real:
            unloaded.append(
                UnloadedModule(
                    address, source, f"it calls {ancestor.display} again (a module cycle)", location
                )
            )
            return None
        ancestor = ancestor.parent
    return Module(path, address, folder, display, parent, call)


def _real(folder: Path) -> str:
    try:
        return str(folder.resolve(strict=True))
    except (OSError, RuntimeError):  # a symlink loop resolves to nothing
        return os.path.abspath(folder)


# --- override files ------------------------------------------------------------------------


def _merge_overrides(files: Sequence[ParsedFile]) -> list[Block]:
    """Terraform's override rule: an override file's block replaces the attributes and the
    nested block types it sets in the block of the same type and labels."""
    blocks = [b for f in files if not is_override(Path(f.path)) for b in f.blocks]
    for parsed in files:
        if not is_override(Path(parsed.path)):
            continue
        for override in parsed.blocks:
            index = _matching(blocks, override)
            if index is None:
                blocks.append(override)
                continue
            original = blocks[index]
            body = dict(original.body)
            places = dict(body.get(OVERRIDDEN, {}))
            for key, value in override.body.items():
                if key in META:
                    continue
                places[key] = (override.file, override.start)
                if original.type == "terraform" and key == "required_providers":
                    merged = {**_single(body.get(key)), **_single(value)}
                    body[key] = [merged]
                else:
                    body[key] = value
            body[OVERRIDDEN] = places
            blocks[index] = Block(
                original.type, original.labels, body, original.file, original.start, original.end
            )
    return blocks


def _place(block: Block, attribute: str) -> str:
    """file:line of the block that set an attribute: an override file's, when one did."""
    file, line = block.body.get(OVERRIDDEN, {}).get(attribute, (block.file, block.start))
    return f"{file}:{line}"


def _single(entries: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            merged.update(entry)
    return merged


def _matching(blocks: list[Block], override: Block) -> int | None:
    for index, block in enumerate(blocks):
        if block.type != override.type:
            continue
        if block.type in ("locals", "terraform"):
            if block.type == "terraform" or set(block.body) & (set(override.body) - set(META)):
                return index
            continue
        if block.labels != override.labels:
            continue
        if block.type == "provider" and block.body.get("alias") != override.body.get("alias"):
            continue
        return index
    return None


# --- variables -----------------------------------------------------------------------------


def _root_values(root: Module, options: HclOptions, reads: Reads | None) -> dict[str, Attr]:
    """Root variables in Terraform's order: defaults, TF_VAR_ environment variables,
    terraform.tfvars(.json), *.auto.tfvars(.json), then --var-file and --var."""
    declared = {b.labels[0]: b for b in root.of_type("variable")}
    values: dict[str, Attr] = {}
    for name, block in declared.items():
        if "default" in block.body:
            where = f"default of var.{name} ({_place(block, 'default')})"
            value = hcl_expr.evaluate(strip_meta(block.body["default"]), _no_refs, where)
            values[name] = _mark(value, block)
    for key, text in sorted(options.environment.items()):
        if key.startswith("TF_VAR_") and key[7:] in declared:
            name = key[7:]
            values[name] = _mark(Known(text, (f"environment variable {key}",)), declared[name])
    files = [root.folder / "terraform.tfvars", root.folder / "terraform.tfvars.json"]
    files += auto_tfvars(root.folder)
    if reads is not None:
        reads.listings[f"tfvars:{root.folder}"] = [p.name for p in files if p.is_file()]
    for path in [*(p for p in files if p.is_file()), *(Path(f) for f in options.var_files)]:
        for name, value in _tfvars(path, options.cache, reads).items():
            values[name] = _mark(value, declared.get(name))
    for assignment in options.variables:
        name, separator, text = assignment.partition("=")
        if not separator or not name.strip():
            raise InputError("--var", f"{assignment!r} is not NAME=VALUE")
        values[name.strip()] = _mark(
            Known(_cli_value(text), (f"--var {name.strip()}",)), declared.get(name.strip())
        )
    return values


def _mark(value: Attr, declaration: Block | None) -> Attr:
    if (
        isinstance(value, Known)
        and declaration is not None
        and declaration.body.get("sensitive") is True
    ):
        return Known(value.value, value.steps, True)
    return value


def auto_tfvars(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.glob("*.auto.tfvars*")
        if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )


def tfvars_files(folder: Path) -> list[str]:
    """The variables files Terraform loads by itself from a root folder, as names."""
    candidates = [folder / "terraform.tfvars", folder / "terraform.tfvars.json"]
    return [p.name for p in [*candidates, *auto_tfvars(folder)] if p.is_file()]


def _tfvars(path: Path, cache: Cache | None, reads: Reads | None) -> dict[str, Attr]:
    name = str(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except UnicodeDecodeError:
        raise InputError(name, "not UTF-8 text") from None
    except OSError as error:
        raise InputError(name, f"cannot read: {error.strerror or error}") from None
    if reads is not None:
        reads.file(name, text)
    if name.endswith(".json"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                name, f"invalid JSON: {error.msg}", f"{name}:{error.lineno}:{error.colno}"
            ) from None
    else:
        document = cache.get(text) if cache is not None else None
        if document is None:
            result = parse_text(text)
            if result[0] == "error":
                raise InputError(name, result[3], f"{name}:{result[1]}:{result[2]}")
            document = result[1]
            if cache is not None:
                cache.put(text, document)
    if not isinstance(document, dict):
        raise InputError(name, "not a variables file: the top level is not an object")
    found: dict[str, Attr] = {}
    for key, raw in document.items():
        if key in META:
            continue
        line = _line_of(text, key)
        found[key] = hcl_expr.evaluate(strip_meta(raw), _no_refs, f"{path.name}:{line}")
        if isinstance(found[key], Known):
            found[key] = Known(found[key].value, (f"{name}:{line}",))  # type: ignore[union-attr]
    return found


def _line_of(text: str, key: str) -> int:
    match = re.search(rf'^\s*"?{re.escape(key)}"?\s*[=:]', text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _cli_value(text: str) -> Any:
    if text.strip().startswith(("{", "[")):
        result = parse_text(f"value = {text}\n")
        if result[0] == "ok":
            evaluated = hcl_expr.evaluate(strip_meta(result[1].get("value")), _no_refs, "--var")
            if isinstance(evaluated, Known):
                return evaluated.value
    return text


def _no_refs(traversal: tuple[str | int, ...]) -> Attr:
    return Unknown(f"{_text(traversal)} cannot be used in a variable value")


def _text(traversal: Sequence[str | int]) -> str:
    out = ""
    for part in traversal:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- evaluation scope ----------------------------------------------------------------------


class _Scope:
    """Answers references inside one module: var, local, module outputs, and the configured
    attributes of resources in the same module."""

    def __init__(
        self, module: Module, root_values: Mapping[str, Attr], scopes: dict[str, _Scope] | None
    ) -> None:
        self.module = module
        self.root_values = root_values
        self.scopes: dict[str, _Scope] = scopes or {}
        self.locals = {
            k: (v, b) for b in module.of_type("locals") for k, v in b.body.items() if k not in META
        }
        self.variables = {b.labels[0]: b for b in module.of_type("variable")}
        self.outputs = {b.labels[0]: b for b in module.of_type("output")}
        self.resources = {(b.labels[0], b.labels[1]): b for b in module.of_type("resource")}
        self._memo: dict[tuple[str | int, ...], Attr] = {}
        self._active: set[tuple[str | int, ...]] = set()

    def evaluate(self, value: Any, where: str) -> Attr:
        return hcl_expr.evaluate(strip_meta(value), self.lookup, where)

    def lookup(self, traversal: tuple[str | int, ...]) -> Attr:
        key = traversal[:2] if traversal and traversal[0] in ("var", "local") else traversal
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return Unknown(f"{_text(key)} refers to itself")
        self._active.add(key)
        try:
            result = self._lookup(traversal)
        finally:
            self._active.discard(key)
        self._memo[key] = result
        return result

    def _lookup(self, traversal: tuple[str | int, ...]) -> Attr:
        head = str(traversal[0]) if traversal else ""
        name = str(traversal[1]) if len(traversal) > 1 else ""
        text = _text(traversal)
        if head == "var":
            return self._variable(name)
        if head == "local":
            if name not in self.locals:
                return Unknown(f"local.{name} is not defined in {self._where()}")
            raw, block = self.locals[name]
            value = self.evaluate(raw, f"local.{name} ({_place(block, name)})")
            return _prefixed(value, f"local.{name}")
        if head == "module":
            return self._module_output(traversal)
        if head == "data":
            return Unknown(
                f"comes from {text}, which lintsov cannot read without running Terraform"
            )
        if head in ("count", "each"):
            return Unknown(f"{text} differs from one instance to the next")
        if head in ("path", "terraform", "self"):
            return Unknown(f"{text} is known only when Terraform runs")
        return self._resource_attribute(traversal)

    def _where(self) -> str:
        return self.module.address or "the root module"

    def _variable(self, name: str) -> Attr:
        declaration = self.variables.get(name)
        if self.module.parent is None:
            value = self.root_values.get(name)
            if value is not None:
                return _prefixed(value, f"var.{name}")
            return Unknown(f"var.{name} has no value (no default, tfvars or --var)")
        call = self.module.call
        assert call is not None
        label = f"var.{name} of {self.module.address}"
        if name in call.body:
            parent = self.scopes[self.module.parent.path]
            value = parent.evaluate(
                call.body[name],
                f"argument {name} of {self.module.address} ({call.file}:{call.start})",
            )
            return _mark(_prefixed(value, label), declaration)
        if declaration is not None and "default" in declaration.body:
            value = self.evaluate(
                declaration.body["default"],
                f"default of var.{name} in "
                f"{self.module.address} ({declaration.file}:"
                f"{declaration.start})",
            )
            return _mark(_prefixed(value, label), declaration)
        return Unknown(f"{label} has no value")

    def _module_output(self, traversal: tuple[str | int, ...]) -> Attr:
        if len(traversal) < 3:
            return Unknown(f"{_text(traversal)} is a whole module, not one value")
        child = self.module.children.get(str(traversal[1]))
        output = str(traversal[2])
        if child is None:
            return Unknown(f"module.{traversal[1]} was not loaded")
        scope = self.scopes[child.path]
        block = scope.outputs.get(output)
        if block is None or "value" not in block.body:
            return Unknown(f"module.{traversal[1]} has no output {output}")
        value = scope.evaluate(
            block.body["value"], f"output {output} of {child.address} ({_place(block, 'value')})"
        )
        return _prefixed(_index(value, traversal[3:]), f"module.{traversal[1]}.{output}")

    def _resource_attribute(self, traversal: tuple[str | int, ...]) -> Attr:
        text = _text(traversal)
        parts = [p for p in traversal if isinstance(p, str)]
        if len(parts) < 3:
            return Unknown(f"{text} is known only after apply")
        block = self.resources.get((parts[0], parts[1]))
        attribute = parts[2]
        if block is None or attribute not in block.body or attribute in META_ARGUMENTS:
            return Unknown(f"{text} is known only after apply")
        value = self.evaluate(
            block.body[attribute], f"{parts[0]}.{parts[1]} {attribute} ({_place(block, attribute)})"
        )
        return _prefixed(value, f"{parts[0]}.{parts[1]}.{attribute}")


def _prefixed(value: Attr, step: str) -> Attr:
    if isinstance(value, Known):
        if value.steps and value.steps[0] == step:
            return value
        return Known(value.value, (step, *value.steps), value.sensitive)
    return value


def _index(value: Attr, rest: Sequence[str | int]) -> Attr:
    for part in rest:
        if not isinstance(value, Known):
            return value
        container = value.value
        in_map = isinstance(container, dict) and part in container
        in_list = isinstance(container, list) and isinstance(part, int) and part < len(container)
        if in_map or in_list:
            value = Known(container[part], value.steps, value.sensitive)
        else:
            return Unknown(f"has no element {part!r}")
    return value


# --- providers -----------------------------------------------------------------------------


def _providers(
    modules: Sequence[Module], scopes: Mapping[str, _Scope]
) -> dict[str, ProviderConfig]:
    found: dict[str, ProviderConfig] = {}
    for module in modules:
        required = module.required_providers()
        for block in module.of_type("provider"):
            name = block.labels[0]
            alias = block.body.get("alias")
            local = f"{name}.{alias}" if isinstance(alias, str) else name
            key = f"{module.path}:{local}" if module.path else local
            label = f"{module.address}:{local}" if module.address else local
            attributes: dict[str, Attr] = {}
            for setting, raw in block.body.items():
                if setting in PROVIDER_SETTINGS_IGNORED:
                    continue
                if is_block_list(raw):
                    for nested in raw[:1]:
                        for inner, inner_raw in nested.items():
                            if inner not in META:
                                attributes[f"{setting}.{inner}"] = scopes[module.path].evaluate(
                                    inner_raw, f"provider {label} {setting}.{inner}"
                                )
                else:
                    attributes[setting] = scopes[module.path].evaluate(
                        raw, f"provider {label} {setting} ({_place(block, setting)})"
                    )
            found[key] = ProviderConfig(
                key=key,
                source=required.get(name, provider_source(name)),
                name=name,
                alias=alias if isinstance(alias, str) else None,
                module=module.path,
                attributes=attributes,
                location=SourceLocation(block.file, block.start, block.end),
            )
    return dict(sorted(found.items()))


def _provider_reference(raw: Any) -> str | None:
    """``aws.us`` from python-hcl2's "${aws.us}"."""
    if isinstance(raw, str):
        match = re.fullmatch(r"\$\{\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?)\s*\}", raw.strip())
        if match:
            return match.group(1)
        if re.fullmatch(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?", raw):
            return raw
    return None


def _bind(
    module: Module, local: str, providers: Mapping[str, ProviderConfig], steps: tuple[str, ...] = ()
) -> ProviderBinding:
    key = f"{module.path}:{local}" if module.path else local
    config = providers.get(key)
    if config is not None and (config.attributes or not module.path):
        return ProviderBinding((key,), steps)
    if module.parent is None or module.call is None:
        name = local.split(".", maxsplit=1)[0]
        reason = (
            (
                f'no provider "{name}" block in the configuration; its settings come from '
                "the environment at apply time"
            )
            if "." not in local
            else (f"no provider block for {local} in the configuration")
        )
        return ProviderBinding((), steps, reason)
    passed = module.call.body.get("providers")
    where = f"{module.call.file}:{module.call.start}"
    if isinstance(passed, dict):
        for inner, outer in passed.items():
            if inner == local:
                reference = _provider_reference(outer)
                if reference is None:
                    return ProviderBinding(
                        (),
                        steps,
                        f"the providers map of {module.address} "
                        f"passes {local} as an expression lintsov "
                        "cannot read",
                    )
                step = f"passed to {module.address} as {local} ({where})"
                return _bind(module.parent, reference, providers, (*steps, step))
        return ProviderBinding(
            (),
            steps,
            f"the call of {module.address} ({where}) passes a "
            f"providers map without {local}, so the module gets an "
            "empty configuration: settings from the environment",
        )
    if "." in local:
        return ProviderBinding(
            (), steps, f"{local} is neither configured in {module.address} nor passed to it"
        )
    step = f"inherited by {module.address}"
    return _bind(module.parent, local, providers, (*steps, step))


# --- resources -----------------------------------------------------------------------------


def _resources(
    module: Module, scope: _Scope, providers: Mapping[str, ProviderConfig]
) -> Iterator[Resource]:
    required = module.required_providers()
    for block in module.of_type("resource"):
        rtype, name = block.labels
        repeated = "[*]" if ("count" in block.body or "for_each" in block.body) else ""
        prefix = f"{module.address}." if module.address else ""
        address = f"{prefix}{rtype}.{name}{repeated}"
        explicit = _provider_reference(block.body.get("provider"))
        local = explicit or rtype.split("_")[0]
        first = (
            f"provider = {local} ({block.file}:{block.start})"
            if explicit
            else f"default provider {local} of {rtype}"
        )
        binding = _bind(module, local, providers, (first,))
        config = providers.get(binding.candidates[0]) if binding.candidates else None
        name_only = local.split(".")[0]
        source = (
            required.get(name_only)
            or (config.source if config else None)
            or (BUILTIN if name_only == "terraform" else provider_source(name_only))
        )
        attributes = {k: v for k, v in block.body.items() if k not in META_ARGUMENTS}
        yield Resource(
            address=address,
            type=rtype,
            name=name,
            module=module.path,
            provider_source=source,
            provider=binding,
            payload=_lazy_payload(block, scope, address),
            action="config",
            configured=Configured(attributes, hcl_expr.references),
            has_configuration=True,
            location=SourceLocation(block.file, block.start, block.end),
        )


class _Attributes(Mapping[str, Attr]):
    """A resource's attributes, each evaluated the first time it is asked for: lintsov reads
    a few (location, tags, parents) of the dozens a block may set."""

    def __init__(self, block: Block, scope: _Scope, address: str) -> None:
        self._block = block
        self._scope = scope
        self._address = address
        self.names = frozenset(k for k in block.body if k not in META_ARGUMENTS)
        self._done: dict[str, Attr] = {}

    def __getitem__(self, name: str) -> Attr:
        if name not in self._done:
            if name in META_ARGUMENTS or name not in self._block.body:
                raise KeyError(name)
            raw = self._block.body[name]
            if is_block_list(raw):
                where = f"{self._address} {name}"
                self._done[name] = Known([_nested(e, self._scope, where) for e in raw])
            else:
                where = f"{self._address} {name} ({_place(self._block, name)})"
                self._done[name] = self._scope.evaluate(raw, where)
        return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.names))

    def __len__(self) -> int:
        return len(self.names)


class _View(Mapping[str, Any]):
    """One face of _Attributes, in the shape plans give: values, unknown marks (with the
    reason), sensitive marks, or how each value came about."""

    def __init__(self, attributes: _Attributes, face: str) -> None:
        self._attributes = attributes
        self._face = face

    def __getitem__(self, name: str) -> Any:
        value = self._attributes[name]
        if self._face == "after" and isinstance(value, Known):
            return value.value
        if self._face == "unknown" and isinstance(value, Unknown):
            return value.reason
        if self._face == "sensitive" and isinstance(value, Known) and value.sensitive:
            return True
        if self._face == "origins" and isinstance(value, Known):
            return value.steps
        raise KeyError(name)

    def get(self, name: str, default: Any = None) -> Any:
        # Without the KeyError round trip of Mapping.get: most names asked for are absent.
        if name not in self._attributes.names:
            return default
        try:
            return self[name]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return (name for name in self._attributes if name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _lazy_payload(block: Block, scope: _Scope, address: str) -> Payload:
    attributes = _Attributes(block, scope, address)
    return Payload(
        _View(attributes, "after"),
        _View(attributes, "unknown"),
        _View(attributes, "sensitive"),
        _View(attributes, "origins"),
    )


def _nested(entry: dict[str, Any], scope: _Scope, where: str) -> dict[str, Any]:
    known: dict[str, Any] = {}
    for key, raw in entry.items():
        if key in META:
            continue
        if is_block_list(raw):
            known[key] = [_nested(e, scope, f"{where} {key}") for e in raw]
            continue
        value = scope.evaluate(raw, f"{where} {key}")
        if isinstance(value, Known) and not value.sensitive:
            known[key] = value.value
    return known


def _backend(root: Module, scope: _Scope) -> Backend | None:
    for block in root.of_type("terraform"):
        for kind in ("cloud", "backend"):
            for entry in block.body.get(kind, []):
                if not isinstance(entry, dict):
                    continue
                if kind == "cloud":
                    body, backend_type = entry, "cloud"
                else:
                    labels = [k for k in entry if k not in META]
                    if not labels:
                        continue
                    backend_type, body = labels[0], entry[labels[0]]
                start = int(body.get("__start_line__", block.start))
                end = int(body.get("__end_line__", block.end))
                attributes = {
                    k: scope.evaluate(v, f"backend {backend_type} {k} ({block.file}:{start})")
                    for k, v in body.items()
                    if k not in META and not is_block_list(v)
                }
                return Backend(backend_type, attributes, SourceLocation(block.file, start, end))
    return None


def _encryption(root: Module, scope: _Scope) -> StateEncryption | None:
    """OpenTofu's ``terraform { encryption {...} }`` of the root module: which method
    encrypts state, and with which key provider's key."""
    for block in root.of_type("terraform"):
        for entry in _nested_blocks(block.body.get("encryption")):
            keys = tuple(_labelled(entry.get("key_provider"), block))
            methods = tuple(_labelled(entry.get("method"), block))
            states = _nested_blocks(entry.get("state"))
            state_method = _reference(states[0].get("method"), "method.") if states else None
            start = int(entry.get("__start_line__", block.start))
            end = int(entry.get("__end_line__", block.end))
            return StateEncryption(
                key_providers=tuple(_key_provider(t, n, b, w, scope) for t, n, b, w in keys),
                methods=tuple(
                    EncryptionMethod(t, n, _reference(b.get("keys"), "key_provider."), w)
                    for t, n, b, w in methods
                ),
                state_method=state_method,
                location=SourceLocation(block.file, start, end),
            )
    return None


def _labelled(
    entries: Any, block: Block
) -> Iterator[tuple[str, str, dict[str, Any], SourceLocation]]:
    """(type, name, body, location) of each ``kind "type" "name" {...}`` block."""
    for entry in _nested_blocks(entries):
        for kind, named in entry.items():
            for name, body in named.items() if isinstance(named, dict) else ():
                if kind in META or name in META or not isinstance(body, dict):
                    continue
                line = int(body.get("__start_line__", block.start))
                end = int(body.get("__end_line__", line))
                yield kind, name, body, SourceLocation(block.file, line, end)


def _nested_blocks(value: Any) -> list[dict[str, Any]]:
    """A nested block's bodies: python-hcl2 gives a list, Terraform's JSON syntax an object."""
    entries = value if isinstance(value, list) else [value]
    return [e for e in entries if isinstance(e, dict)]


def _key_provider(
    kind: str, name: str, body: dict[str, Any], where: SourceLocation, scope: _Scope
) -> KeyProvider:
    attributes = {
        k: scope.evaluate(body[k], f"key_provider.{kind}.{name} {k} ({where.text()})")
        for k in KEY_HOLDER_SETTINGS
        if k in body
    }
    chain = _reference(body.get("chain"), "key_provider.")
    return KeyProvider(kind, name, attributes, chain, where)


def _reference(raw: Any, prefix: str) -> str | None:
    """``method.aes_gcm.m`` from ``method = method.aes_gcm.m``; None for anything else."""
    found = hcl_expr.references(raw) if isinstance(raw, str) else ()
    return next((r for r in found if r.startswith(prefix) and r.count(".") == 2), None)
