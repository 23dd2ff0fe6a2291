"""A root module folder (.tf, .tf.json, .tofu, .tofu.json) read into a Stack, before any
plan exists: modules followed, providers passed, variables and locals evaluated where they
can be, every resource with its file and lines."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lintsov import repository
from lintsov.errors import InputError
from lintsov.load import hcl_expr, hcl_types
from lintsov.load.hcl_cache import Cache
from lintsov.load.hcl_file_access import FileAccess
from lintsov.load.hcl_files import (
    Attribute,
    Block,
    ParsedFile,
    ParseStats,
    Reads,
    attributes_of,
    is_override,
    module_files,
    parse_files,
    read_text,
)
from lintsov.load.hcl_options import HclOptions
from lintsov.load.hcl_syntax import Expression, Lit, Object
from lintsov.load.plan_json import provider_source, strip_instance_keys
from lintsov.load.waiver_comments import waivers_in
from lintsov.stack import (
    DATA_SOURCES_READ,
    RESOLVED,
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
# Instances of one for_each or count (and blocks of one dynamic block) lintsov writes out;
# beyond, one instance stands for all, with the reason.
MAX_INSTANCES = 1000
# References followed through module outputs, arguments and locals from one attribute.
MAX_FOLLOWED = 256
_RESOURCE_REFERENCE = re.compile(r"^[a-z0-9]+_[a-z0-9_]+\.[A-Za-z0-9_-]+")
_MODULE_KEY = re.compile(r'^module\.[A-Za-z0-9_-]+(\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\])?')
_PARENT_INSTANCE = re.compile(r"\.?module\.[A-Za-z0-9_-]+(\[[^\]]*\])?$")
_NOT_RESOURCES = frozenset({"data", "each", "count", "path", "self", "terraform"})
# Arguments Terraform itself interprets; they say nothing about where data lives.
META_ARGUMENTS = frozenset(
    {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"}
)
# terraform_data and the like belong to the provider built into Terraform and OpenTofu.
BUILTIN = "terraform.io/builtin/terraform"
PROVIDER_SETTINGS_IGNORED = frozenset({"alias", "version"})
# The key provider settings that say who holds an OpenTofu state encryption key; the others
# (passphrase, token, key ids) are never read. https://opentofu.org/docs/language/state/encryption/
KEY_HOLDER_SETTINGS = ("address", "region", "vault_uri")


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
            for entry in block.nested("required_providers"):
                for name, attribute in entry.attributes.items():
                    source = _literal_key(attribute.expression, "source")
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
    files = FileAccess(
        tree.root.folder, repository.root(tree.root.folder), options.max_bytes, reads
    )
    scopes = {
        m.path: _Scope(m, values if m.parent is None else {}, None, files) for m in tree.modules
    }
    for scope in scopes.values():
        scope.scopes = scopes
    providers = _providers(tree.modules, scopes)
    instances = list(_instance_scopes(scopes[""]))
    resources = [r for s in instances for r in _resources(s, scopes, providers)]
    data_sources = [r for s in instances for r in _resources(s, scopes, providers, "data")]
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
        data_sources=tuple(sorted(data_sources, key=lambda r: r.address)),
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
        _refuse_duplicates(module.files)
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
    repeated = "[*]" if ("count" in call.attributes or "for_each" in call.attributes) else ""
    address = (f"{parent.address}." if parent.address else "") + f"module.{name}{repeated}"
    location = SourceLocation(call.file, call.start, call.end)
    written = call.attributes.get("source")
    source = _literal(written)
    if not isinstance(source, str):
        shown = " ".join(written.expression.text().split()) if written is not None else "None"
        unloaded.append(
            UnloadedModule(address, shown, "its source is not a literal string", location)
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


# --- duplicates and override files ---------------------------------------------------------


def _refuse_duplicates(files: Sequence[ParsedFile]) -> None:
    """Terraform refuses two declarations of one address in a module (override files aside,
    which are merged): so does lintsov, naming both places."""
    seen: dict[tuple[str, ...], str] = {}

    def declare(key: tuple[str, ...], what: str, file: str, line: int, column: int) -> None:
        here = f"{file}:{line}:{column}"
        if key in seen:
            message = f"duplicate {what}: already declared at {seen[key]}"
            raise InputError(file, message, line=line, column=column)
        seen[key] = here

    for parsed in files:
        if is_override(Path(parsed.path)):
            continue
        for block in parsed.blocks:
            if block.type == "terraform":
                continue
            if block.type == "locals":
                for name, attribute in block.attributes.items():
                    place = (attribute.file, attribute.line, attribute.column)
                    declare(("local", name), f'local value "{name}"', *place)
                continue
            labels = " ".join(json.dumps(label, ensure_ascii=False) for label in block.labels)
            key: tuple[str, ...] = (block.type, *block.labels)
            what = f"{block.type} {labels}"
            if block.type == "provider":
                alias = _alias(block)
                key = (*key, alias or "")
                what += f' with alias "{alias}"' if alias else " (without an alias)"
            declare(key, what, block.file, block.start, block.column)


def _merge_overrides(files: Sequence[ParsedFile]) -> list[Block]:
    """Terraform's override rule: an override file's block replaces the attributes and the
    nested block types it sets in the block of the same type and labels; an override local
    replaces the local of that name, wherever it is."""
    blocks = [b for f in files if not is_override(Path(f.path)) for b in f.blocks]
    for parsed in files:
        if not is_override(Path(parsed.path)):
            continue
        for override in parsed.blocks:
            if override.type == "locals":
                _override_locals(blocks, override)
                continue
            index = _matching(blocks, override)
            if index is None:
                blocks.append(override)
            else:
                blocks[index] = _overridden(blocks[index], override)
    return blocks


def _overridden(original: Block, override: Block) -> Block:
    replaced = {b.type for b in override.blocks}
    nested = [b for b in original.blocks if b.type not in replaced]
    for block in override.blocks:
        if original.type == "terraform" and block.type == "required_providers":
            # Merged provider by provider, not replaced.
            merged: dict[str, Attribute] = {}
            for entry in [*original.nested(block.type), block]:
                merged.update(entry.attributes)
            block = replace(block, attributes=merged)  # noqa: PLW2901
        nested.append(block)
    return replace(
        original, attributes={**original.attributes, **override.attributes}, blocks=tuple(nested)
    )


def _override_locals(blocks: list[Block], override: Block) -> None:
    rest = dict(override.attributes)
    for index, block in enumerate(blocks):
        if block.type != "locals":
            continue
        hit = {name: rest.pop(name) for name in list(rest) if name in block.attributes}
        if hit:
            blocks[index] = replace(block, attributes={**block.attributes, **hit})
    if rest:
        blocks.append(replace(override, attributes=rest))


def _matching(blocks: list[Block], override: Block) -> int | None:
    for index, block in enumerate(blocks):
        if block.type != override.type or block.labels != override.labels:
            continue
        if block.type == "provider" and _alias(block) != _alias(override):
            continue
        return index
    return None


def _alias(block: Block) -> str | None:
    alias = _literal(block.attributes.get("alias"))
    return alias if isinstance(alias, str) else None


def _literal(attribute: Attribute | None) -> Any:
    """An attribute's value when it references nothing, else None."""
    return None if attribute is None else hcl_expr.static_value(attribute.expression)


def _literal_key(expression: Expression, key: str) -> Any:
    """`source` of `{ source = "hashicorp/aws", configuration_aliases = [aws.east] }`: one
    literal entry of an object whose other entries may reference things."""
    node = expression.node
    if not isinstance(node, Object):
        return None
    for name, value in node.items:
        if isinstance(name, Lit) and name.value == key and isinstance(value, Lit):
            return value.value
    return None


# --- variables -----------------------------------------------------------------------------


def _root_values(root: Module, options: HclOptions, reads: Reads | None) -> dict[str, Attr]:
    """Root variables in Terraform's order: defaults, TF_VAR_ environment variables,
    terraform.tfvars(.json), *.auto.tfvars(.json), then --var-file and --var."""
    declared = {b.labels[0]: b for b in root.of_type("variable")}
    values: dict[str, Attr] = {}
    for name, block in declared.items():
        default = block.attributes.get("default")
        if default is not None:
            where = f"default of var.{name} ({default.place()})"
            value = hcl_expr.evaluate(default.expression, _no_refs, where)
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
        for name, value in _tfvars(path, options, reads).items():
            values[name] = _mark(value, declared.get(name))
    for assignment in options.variables:
        name, separator, text = assignment.partition("=")
        if not separator or not name.strip():
            raise InputError("--var", f"{assignment!r} is not NAME=VALUE")
        values[name.strip()] = _mark(
            Known(_cli_value(text), (f"--var {name.strip()}",)), declared.get(name.strip())
        )
    return {
        name: _typed(value, declared.get(name), f"var.{name}") for name, value in values.items()
    }


def _typed(value: Attr, declaration: Block | None, variable: str) -> Attr:
    """The value converted to the variable's declared type, as Terraform converts it."""
    kind = declaration.attributes.get("type") if declaration is not None else None
    if kind is None or not isinstance(value, Known):
        return value
    return hcl_types.convert(kind.expression, value, variable, kind.place())


def _mark(value: Attr, declaration: Block | None) -> Attr:
    if (
        isinstance(value, Known)
        and declaration is not None
        and _literal(declaration.attributes.get("sensitive")) is True
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


def _tfvars(path: Path, options: HclOptions, reads: Reads | None) -> dict[str, Attr]:
    name = str(path)
    if not path.exists():
        raise InputError(name, "no such file")
    text = read_text(path, options.max_bytes)
    if reads is not None:
        reads.file(name, text)
    attributes = attributes_of(name, text, _variables_file(name, text, options.cache))
    found: dict[str, Attr] = {}
    for key, attribute in attributes.items():
        where = f"{path.name}:{attribute.line}"
        value = hcl_expr.evaluate(attribute.expression, _no_refs, where)
        found[key] = Known(value.value, (attribute.place(),)) if isinstance(value, Known) else value
    return found


def _variables_file(name: str, text: str, cache: Cache | None) -> list[Any]:
    """The attributes of a .tfvars or .tfvars.json file, in the wire form."""
    if name.endswith(".json"):
        from lintsov.load.hcl_json import JsonProblem, variables  # noqa: PLC0415

        try:
            attributes, _ = variables(text)
        except JsonProblem as problem:
            raise InputError(name, problem.what, line=problem.line, column=problem.column) from None
        return attributes  # type: ignore[no-any-return]
    document = cache.get(text) if cache is not None else None
    if document is None:
        from lintsov.load.hcl_parse import parse_text  # noqa: PLC0415

        result = parse_text(text)
        if result[0] == "error":
            raise InputError(name, result[3], line=result[1], column=result[2])
        document = result[1]
        if cache is not None:
            cache.put(text, document)
    attributes, blocks = document
    if blocks:
        block = blocks[0]
        what = f"a {block[0]} block in a variables file"
        raise InputError(name, what, line=block[2], column=block[3])
    return attributes  # type: ignore[no-any-return]


def _cli_value(text: str) -> Any:
    if text.strip().startswith(("{", "[")):
        from lintsov.load.hcl_parse import SyntaxProblem, expression  # noqa: PLC0415

        try:
            wire = expression(text)
        except SyntaxProblem:
            return text
        evaluated = hcl_expr.evaluate(Expression(wire, text), _no_refs, "--var")
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
        self,
        module: Module,
        root_values: Mapping[str, Attr],
        scopes: dict[str, _Scope] | None,
        files: FileAccess | None = None,
        call_lookup: hcl_expr.Lookup | None = None,
        address: str | None = None,
    ) -> None:
        self.module = module
        self.files = files
        self.root_values = root_values
        self.scopes: dict[str, _Scope] = scopes or {}
        # One instance of a module (module.m["eu"]): the call's arguments are evaluated with
        # the calling instance's values and this instance's count.index or each bound.
        self.call_lookup = call_lookup
        self.address = module.address if address is None else address
        self._children: dict[str, dict[str, _Scope]] = {}
        self.locals = {k: a for b in module.of_type("locals") for k, a in b.attributes.items()}
        self.variables = {b.labels[0]: b for b in module.of_type("variable")}
        self.outputs = {b.labels[0]: b for b in module.of_type("output")}
        self.resources = {(b.labels[0], b.labels[1]): b for b in module.of_type("resource")}
        self._memo: dict[tuple[str | int, ...], Attr] = {}
        self._active: set[tuple[str | int, ...]] = set()

    def evaluate(self, expression: Expression, where: str) -> Attr:
        return hcl_expr.evaluate(expression, self.lookup, where, self.files)

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
            attribute = self.locals[name]
            value = self.evaluate(attribute.expression, f"local.{name} ({attribute.place()})")
            return _prefixed(value, f"local.{name}")
        if head == "module":
            return self._module_output(traversal)
        if head == "data":
            return Unknown(
                f"comes from {text}, which lintsov cannot read without running Terraform"
            )
        if head in ("count", "each"):
            return Unknown(f"{text} differs from one instance to the next")
        if head == "path" and self.files is not None and name in ("module", "root", "cwd"):
            # Relative to the root module's folder, where Terraform runs, as Terraform gives
            # them; path.cwd is the absolute folder.
            folder = {"module": self.module.folder, "root": self.files.cwd}.get(name)
            if folder is None:
                return Known(str(self.files.cwd.absolute()), (text,))
            return Known(self.files.relative(folder), (text,))
        if head in ("path", "terraform", "self"):
            return Unknown(f"{text} is known only when Terraform runs")
        return self._resource_attribute(traversal)

    def _where(self) -> str:
        return self.address or "the root module"

    def children(self, child: Module, bounded: bool = True) -> dict[str, _Scope]:
        """This instance's instances of a child module by key: "" when the call has no
        count or for_each, one ``[*]`` for all when they cannot be told apart (the
        collection is unknown or too big, or not ``bounded``), none for a count of 0."""
        name = child.path.rsplit(".", 1)[-1]
        if name not in self._children or not bounded:
            call = child.call
            assert call is not None
            prefix = f"{self.address}." if self.address else ""
            address = f"{prefix}module.{name}"
            instances = _instances(call, self.lookup, address)
            if not bounded and instances[:1] != [("", self.lookup)]:
                reason = f"module instances beyond lintsov's {MAX_INSTANCES} in all"
                meta = "for_each" if "for_each" in call.attributes else "count"
                instances = [("[*]", _binding(self.lookup, meta, Unknown(reason)))]
            found = {
                k: _Scope(child, {}, self.scopes, self.files, b, f"{address}{k}")
                for k, b in instances
            }
            if not bounded:
                return found
            self._children[name] = found
        return self._children[name]

    def _variable(self, name: str) -> Attr:
        declaration = self.variables.get(name)
        if self.module.parent is None:
            value = self.root_values.get(name)
            if value is not None:
                return _prefixed(value, f"var.{name}")
            return Unknown(f"var.{name} has no value (no default, tfvars or --var)")
        call = self.module.call
        assert call is not None
        label = f"var.{name} of {self.address}"
        argument = call.attributes.get(name)
        if argument is not None:
            parent = self.call_lookup or self.scopes[self.module.parent.path].lookup
            where = f"argument {name} of {self.address} ({argument.place()})"
            value = hcl_expr.evaluate(argument.expression, parent, where, self.files)
            if isinstance(value, Known) and not any(where in step for step in value.steps[:1]):
                value = Known(value.value, (where, *value.steps), value.sensitive)
            return _mark(_prefixed(_typed(value, declaration, f"var.{name}"), label), declaration)
        default = declaration.attributes.get("default") if declaration is not None else None
        if default is not None:
            value = self.evaluate(
                default.expression,
                f"default of var.{name} in {self.module.address} ({default.place()})",
            )
            return _mark(_prefixed(_typed(value, declaration, f"var.{name}"), label), declaration)
        return Unknown(f"{label} has no value")

    def _module_output(self, traversal: tuple[str | int, ...]) -> Attr:
        if len(traversal) < 3:
            return Unknown(f"{_text(traversal)} is a whole module, not one value")
        child = self.module.children.get(str(traversal[1]))
        if child is None:
            return Unknown(f"module.{traversal[1]} was not loaded")
        rest = traversal[2:]
        instances = self.children(child)
        key = "" if "" in instances else _key_text(rest[0])
        if "[*]" in instances:
            # Which instance is meant cannot be told: the output's value, if it depends on
            # count or each, is unknown with the reason.
            key, rest = "[*]", rest[1:]
        if key not in instances:
            return Unknown(f"{_text(traversal)}: {child.address} has no instance {key or '[]'}")
        scope, rest = instances[key], rest if key == "" else rest[1:]
        output = str(rest[0]) if rest else ""
        block = scope.outputs.get(output)
        value_attribute = block.attributes.get("value") if block is not None else None
        if value_attribute is None:
            return Unknown(f"module.{traversal[1]}{key} has no output {output}")
        value = scope.evaluate(
            value_attribute.expression,
            f"output {output} of {scope.address} ({value_attribute.place()})",
        )
        return _prefixed(_index(value, rest[1:]), f"module.{traversal[1]}{key}.{output}")

    def _resource_attribute(self, traversal: tuple[str | int, ...]) -> Attr:
        text = _text(traversal)
        block = self.resources.get((str(traversal[0]), str(traversal[1:2] and traversal[1])))
        rest = traversal[2:]
        lookup: hcl_expr.Lookup = self.lookup
        if block is not None and ("count" in block.attributes or "for_each" in block.attributes):
            # aws_s3_bucket.b["logs"].bucket: the instance's own count.index or each.
            prefix = f"{self.module.address}." if self.module.address else ""
            address = f"{prefix}{traversal[0]}.{traversal[1]}"
            instances = dict(_instances(block, self.lookup, address))
            if not rest or _key_text(rest[0]) not in instances:
                return Unknown(f"{text} is known only after apply")
            lookup, rest = instances[_key_text(rest[0])], rest[1:]
        name = rest[0] if rest else None
        found = isinstance(name, str) and block is not None and name not in META_ARGUMENTS
        attribute = block.attributes.get(str(name)) if found and block is not None else None
        if attribute is None:
            return Unknown(f"{text} is known only after apply")
        instance = _text(traversal[: len(traversal) - len(rest)])
        where = f"{instance} {name} ({attribute.place()})"
        value = hcl_expr.evaluate(attribute.expression, lookup, where)
        return _prefixed(_index(value, rest[1:]), f"{instance}.{name}")


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
        scope = scopes[module.path]
        for block in module.of_type("provider"):
            name = block.labels[0]
            alias = _alias(block)
            local = f"{name}.{alias}" if alias else name
            key = f"{module.path}:{local}" if module.path else local
            label = f"{module.address}:{local}" if module.address else local
            attributes: dict[str, Attr] = {}
            for setting in block.names():
                if setting in PROVIDER_SETTINGS_IGNORED:
                    continue
                attribute = block.attributes.get(setting)
                if attribute is not None:
                    where = f"provider {label} {setting} ({attribute.place()})"
                    attributes[setting] = scope.evaluate(attribute.expression, where)
                    continue
                for nested in block.nested(setting)[:1]:
                    for inner, value in nested.attributes.items():
                        where = f"provider {label} {setting}.{inner} ({value.place()})"
                        attributes[f"{setting}.{inner}"] = scope.evaluate(value.expression, where)
            found[key] = ProviderConfig(
                key=key,
                source=required.get(name, provider_source(name)),
                name=name,
                alias=alias,
                module=module.path,
                attributes=attributes,
                location=SourceLocation(block.file, block.start, block.end),
            )
    return dict(sorted(found.items()))


def _provider_reference(attribute: Attribute | None) -> str | None:
    """``aws.us`` from ``provider = aws.us`` (or ``"aws.us"`` in JSON syntax)."""
    if attribute is None:
        return None
    name = hcl_expr.traversal_text(attribute.expression.node)
    return name if name is not None and name.count(".") <= 1 else None


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
    passed = module.call.attributes.get("providers")
    if passed is not None:
        where = passed.place()
        node = passed.expression.node
        items = node.items if isinstance(node, Object) else ()
        for inner, outer in items:
            if hcl_expr.traversal_text(inner) != local:
                continue
            reference = hcl_expr.traversal_text(outer)
            if reference is None or reference.count(".") > 1:
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


def _instance_scopes(root: _Scope) -> Iterator[_Scope]:
    """Every module instance, from the root down: a call with count or for_each over a known
    collection gives one scope per instance (module.m["eu"]), else one ``[*]`` scope."""
    level = [root]
    made = 0
    while level:
        yield from level
        below: list[_Scope] = []
        for scope in level:
            for child in scope.module.children.values():
                found = list(scope.children(child, bounded=made < MAX_INSTANCES).values())
                below.extend(found)
                made += len(found)
        level = below


def _resources(
    scope: _Scope,
    scopes: Mapping[str, _Scope],
    providers: Mapping[str, ProviderConfig],
    mode: str = "resource",
) -> Iterator[Resource]:
    """The module's resources; with mode "data", the data sources lintsov reads facts
    from (DATA_SOURCES_READ), addressed ``data.<type>.<name>``."""
    module = scope.module
    for block in module.of_type(mode):
        rtype, name = block.labels
        if mode == "data" and rtype not in DATA_SOURCES_READ:
            continue
        prefix = f"{scope.address}." if scope.address else ""
        if mode == "data":
            prefix += "data."
        for key, lookup in _instances(block, scope.lookup, f"{prefix}{rtype}.{name}"):
            yield _resource(
                module, block, f"{prefix}{rtype}.{name}{key}", lookup, scopes, providers
            )


def _resource(
    module: Module,
    block: Block,
    address: str,
    lookup: hcl_expr.Lookup,
    scopes: Mapping[str, _Scope],
    providers: Mapping[str, ProviderConfig],
) -> Resource:
    """One instance of a resource block, its count.index or each bound in ``lookup``."""
    rtype, name = block.labels
    required = module.required_providers()
    written = block.attributes.get("provider")
    explicit = _provider_reference(written)
    local = explicit or rtype.split("_")[0]
    first = (
        f"provider = {local} ({written.place()})"
        if explicit and written is not None
        else f"default provider {local} of {rtype}"
    )
    binding = _bind(module, local, providers, (first,))
    name_only = local.split(".")[0]
    # Terraform's rule: a local name means what this module's own required_providers says,
    # else hashicorp/<name>; a caller's mapping never reaches into a module.
    source = required.get(name_only) or (
        BUILTIN if name_only == "terraform" else provider_source(name_only)
    )
    configured = {n: _configured(block, n) for n in _names(block) if n not in META_ARGUMENTS}
    return Resource(
        address=address,
        type=rtype,
        name=name,
        module=module.path,
        provider_source=source,
        provider=binding,
        payload=_lazy_payload(block, lookup, address),
        action="config",
        configured=Configured(configured, _Follow(module, scopes).references),
        has_configuration=True,
        location=SourceLocation(block.file, block.start, block.end),
    )


def _instances(
    block: Block, lookup: hcl_expr.Lookup, address: str
) -> list[tuple[str, hcl_expr.Lookup]]:
    """The instances of a block with ``count`` or ``for_each``, each with its address key
    (``[0]``, ``["logs"]``) and ``count``/``each`` bound, when the collection is known; else
    one ``[*]`` instance for all, whose ``count``/``each`` are unknown with the reason."""
    count, for_each = block.attributes.get("count"), block.attributes.get("for_each")
    if count is None and for_each is None:
        return [("", lookup)]
    written = for_each or count
    assert written is not None
    meta = "for_each" if for_each is not None else "count"
    label = f"{meta} of {address} ({written.place()})"
    value = hcl_expr.evaluate(written.expression, lookup, label)
    keys = _instance_keys(value, meta)
    if isinstance(keys, Unknown):
        reason = f"{address} has one instance per element of its {meta}, which {keys.reason}"
        return [("[*]", _binding(lookup, meta, Unknown(reason)))]
    if len(keys) > MAX_INSTANCES:
        reason = f"{label} makes {len(keys)} instances, over lintsov's {MAX_INSTANCES}"
        return [("[*]", _binding(lookup, meta, Unknown(reason)))]
    assert isinstance(value, Known)
    found = []
    for key, element in keys:
        bound: Any = {"key": key, "value": element} if meta == "for_each" else {"index": key}
        steps = (f"{meta} of {address}{_key_text(key)} ({written.place()})", *value.steps)
        found.append((_key_text(key), _binding(lookup, meta, Known(bound, steps, value.sensitive))))
    return found


def _instance_keys(value: Attr, meta: str) -> list[tuple[Any, Any]] | Unknown:
    """Terraform's instance keys: 0..count-1; a for_each map's keys, or a set of strings
    (each.key and each.value both the string)."""
    if isinstance(value, Unknown):
        return Unknown(f"is unknown: {value.reason}")
    if value.sensitive:
        return Unknown("is marked sensitive (Terraform refuses that)")
    collection = value.value
    if meta == "count":
        if isinstance(collection, bool) or not isinstance(collection, (int, float)):
            return Unknown(f"is {type(collection).__name__}, not a number")
        return [(i, i) for i in range(int(collection))]
    if isinstance(collection, dict):
        return sorted(collection.items())
    if isinstance(collection, list) and all(isinstance(e, str) for e in collection):
        return [(e, e) for e in sorted(set(collection))]
    return Unknown("is neither a map nor a set of strings")


def _key_text(key: Any) -> str:
    """An instance key as Terraform writes it in an address."""
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key, ensure_ascii=False)}]"


def _configured(block: Block, name: str) -> Expression | tuple[Block, ...]:
    attribute = block.attributes.get(name)
    if attribute is not None:
        return attribute.expression
    # A dynamic block counts whole: its for_each names where the nested blocks come from.
    return (*block.nested(name), *_dynamic(block, name))


def _names(block: Block) -> list[str]:
    """Attribute names and nested block types, a ``dynamic "x"`` block counting as ``x``."""
    names = [n for n in block.names() if n != "dynamic"]
    for dynamic in block.nested("dynamic"):
        if dynamic.labels and dynamic.labels[0] not in names:
            names.append(dynamic.labels[0])
    return names


def _dynamic(block: Block, name: str) -> list[Block]:
    return [d for d in block.nested("dynamic") if d.labels[:1] == (name,)]


def _references(value: Expression | tuple[Block, ...]) -> tuple[str, ...]:
    """The references of an attribute, or of every attribute inside nested blocks."""
    if isinstance(value, Expression):
        return hcl_expr.references(value)
    found: dict[str, None] = {}
    for block in value:
        for attribute in block.attributes.values():
            found.update(dict.fromkeys(hcl_expr.references(attribute.expression)))
        found.update(dict.fromkeys(_references(block.blocks)))
    return tuple(found)


class _Follow:
    """References of a resource's attribute, and where those that pass through module
    outputs, module arguments and locals end: the resources, anywhere in the module tree,
    that flows and parents are found by."""

    def __init__(self, module: Module, scopes: Mapping[str, _Scope]) -> None:
        self._module = module
        self._scopes = scopes

    def references(self, value: Expression | tuple[Block, ...]) -> tuple[str, ...]:
        written = _references(value)
        ends: dict[str, tuple[str, ...]] = {}
        seen: set[tuple[str, str]] = set()
        for reference in written:
            if reference.startswith(("module.", "var.", "local.")):
                self._follow(self._module, self._module.path, reference, (), ends, seen)
        followed = (f"{RESOLVED}{a} ← {' ← '.join(s)}" for a, s in sorted(ends.items()))
        return (*written, *followed)

    def _follow(
        self,
        module: Module,
        instance: str,
        reference: str,
        steps: tuple[str, ...],
        ends: dict[str, tuple[str, ...]],
        seen: set[tuple[str, str]],
    ) -> None:
        plain = strip_instance_keys(reference)
        if (module.path, plain) in seen or len(seen) > MAX_FOLLOWED:
            return
        seen.add((module.path, plain))
        parts = plain.split(".")
        scope = self._scopes[module.path]
        # ``instance``: the module's address as far as the instance keys written on the way
        # tell (module.m["eu"]), so that a flow reaches that instance, not all of them.
        following: tuple[Module, str, Expression, str] | None = None
        if parts[0] == "module" and len(parts) >= 3:
            child = module.children.get(parts[1])
            output = self._scopes[child.path].outputs.get(parts[2]) if child else None
            value = output.attributes.get("value") if output is not None else None
            if child is not None and value is not None:
                keyed = _MODULE_KEY.match(reference)
                below = f"{instance}." if instance else ""
                below += keyed.group(0) if keyed else f"module.{parts[1]}"
                what = f"output {parts[2]} of {child.address} ({value.place()})"
                following = (child, below, value.expression, what)
        elif parts[0] == "var" and len(parts) >= 2 and module.parent and module.call:
            argument = module.call.attributes.get(parts[1])
            if argument is not None:
                above = _PARENT_INSTANCE.sub("", instance)
                what = f"argument {parts[1]} of {module.address} ({argument.place()})"
                following = (module.parent, above, argument.expression, what)
        elif parts[0] == "local" and len(parts) >= 2 and parts[1] in scope.locals:
            local = scope.locals[parts[1]]
            what = f"local.{parts[1]} ({local.place()})"
            following = (module, instance, local.expression, what)
        elif steps and _RESOURCE_REFERENCE.match(plain) and parts[0] not in _NOT_RESOURCES:
            prefix = f"{instance}." if instance else ""
            ends.setdefault(f"{prefix}{parts[0]}.{parts[1]}", (*steps, plain))
            return
        if following is not None:
            where, address, expression, what = following
            for inner in hcl_expr.references(expression):
                self._follow(where, address, inner, (*steps, f"{plain}: {what}"), ends, seen)


class _Attributes(Mapping[str, Attr]):
    """A resource's attributes, each evaluated the first time it is asked for: lintsov reads
    a few (location, tags, parents) of the dozens a block may set."""

    def __init__(self, block: Block, lookup: hcl_expr.Lookup, address: str) -> None:
        self._block = block
        self._lookup = lookup
        self._address = address
        self.names = frozenset(n for n in _names(block) if n not in META_ARGUMENTS)
        self._done: dict[str, Attr] = {}
        # Values inside nested blocks that are unknown, with the reason, in the blocks' shape
        # (as a plan's after_unknown has them).
        self.marks: dict[str, list[dict[str, Any]]] = {}

    def __getitem__(self, name: str) -> Attr:
        if name not in self._done:
            if name not in self.names:
                raise KeyError(name)
            attribute = self._block.attributes.get(name)
            if attribute is None:
                where = f"{self._address} {name}"
                marks: list[dict[str, Any]] = []
                self._done[name] = _blocks(self._block, name, self._lookup, where, marks)
                if any(marks):
                    self.marks[name] = marks
            else:
                where = f"{self._address} {name} ({attribute.place()})"
                self._done[name] = hcl_expr.evaluate(attribute.expression, self._lookup, where)
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
        if self._face == "unknown" and name in self._attributes.marks:
            return self._attributes.marks[name]
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


def _lazy_payload(block: Block, lookup: hcl_expr.Lookup, address: str) -> Payload:
    attributes = _Attributes(block, lookup, address)
    return Payload(
        _View(attributes, "after"),
        _View(attributes, "unknown"),
        _View(attributes, "sensitive"),
        _View(attributes, "origins"),
    )


def _blocks(
    block: Block, name: str, lookup: hcl_expr.Lookup, where: str, marks: list[dict[str, Any]]
) -> Attr:
    """The nested blocks of type ``name``, written out and generated by ``dynamic "name"``
    blocks; Unknown (with the reason) when a dynamic block's collection is unknown, since
    its blocks are then there but unseen. ``marks`` gets each block's unknown values."""
    found = [_nested(b, lookup, where, marks) for b in block.nested(name)]
    steps: list[str] = []
    for dynamic in _dynamic(block, name):
        expanded = _expand_dynamic(dynamic, name, lookup, where, marks)
        if isinstance(expanded, Unknown):
            return expanded
        found.extend(expanded.value)
        steps.extend(s for s in expanded.steps if s not in steps)
    return Known(found, tuple(steps))


def _expand_dynamic(
    dynamic: Block, name: str, lookup: hcl_expr.Lookup, where: str, marks: list[dict[str, Any]]
) -> Attr:
    """Terraform's ``dynamic`` block: one ``content`` per element of ``for_each``, with the
    iterator (the block's label unless ``iterator`` names another) bound to its key and
    value."""
    place = f"{dynamic.file}:{dynamic.start}"
    label = f'dynamic "{name}" of {where} ({place})'
    collection = dynamic.attributes.get("for_each")
    contents = dynamic.nested("content")
    if collection is None or len(contents) != 1:
        return Unknown(f"{label} has no for_each or not one content block")
    iterator = (
        hcl_expr.traversal_text(dynamic.attributes["iterator"].expression.node)
        if ("iterator" in dynamic.attributes)
        else name
    )
    if not iterator or "." in iterator:
        return Unknown(f"{label} names its iterator with an expression lintsov cannot read")
    value = hcl_expr.evaluate(collection.expression, lookup, f"for_each of {label}")
    elements = _elements(value)
    if isinstance(elements, Unknown):
        return Unknown(f"the {name} blocks are unknown: {elements.reason}")
    if len(elements) > MAX_INSTANCES:
        return Unknown(f"{label} makes {len(elements)} blocks, over lintsov's {MAX_INSTANCES}")
    assert isinstance(value, Known)
    step = f"for_each of {label}"
    found = []
    for key, element in elements:
        bound = Known({"key": key, "value": element}, (step, *value.steps), value.sensitive)
        inner = _binding(lookup, iterator, bound)
        found.append(_nested(contents[0], inner, f"{where} {name}", marks))
    return Known(found, (step, *value.steps))


def _elements(value: Attr) -> list[tuple[Any, Any]] | Unknown:
    """The (key, value) pairs a for_each iterates: a map's entries, or a set's or list's
    elements (keyed by themselves, as Terraform keys sets; a list's by index)."""
    if isinstance(value, Unknown):
        return value
    collection = value.value
    if isinstance(collection, dict):
        return sorted(collection.items())
    if isinstance(collection, list):
        return list(enumerate(collection))
    return Unknown(f"for_each is {type(collection).__name__}, not a map, set or list")


def _binding(lookup: hcl_expr.Lookup, name: str, value: Attr) -> hcl_expr.Lookup:
    """``lookup`` with one more name bound (an iterator, ``each``, ``count``)."""
    meta = "each" if name == "for_each" else name

    def bound(traversal: tuple[str | int, ...]) -> Attr:
        if traversal and traversal[0] == meta:
            if isinstance(value, Unknown):
                return Unknown(f"{_text(traversal)} differs per instance: {value.reason}")
            return _prefixed(_index(value, traversal[1:]), _text(traversal))
        return lookup(traversal)

    return bound


def _nested(
    block: Block, lookup: hcl_expr.Lookup, where: str, marks: list[dict[str, Any]]
) -> dict[str, Any]:
    """One nested block's known values; its unknown ones go to ``marks`` with the reason."""
    known: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    for name in _names(block):
        attribute = block.attributes.get(name)
        if attribute is None:
            inner_marks: list[dict[str, Any]] = []
            inner = _blocks(block, name, lookup, f"{where} {name}", inner_marks)
            if isinstance(inner, Known):
                known[name] = inner.value
                if any(inner_marks):
                    unknown[name] = inner_marks
            else:
                unknown[name] = inner.reason
            continue
        text = f"{where} {name} ({attribute.place()})"
        value = hcl_expr.evaluate(attribute.expression, lookup, text)
        if isinstance(value, Known) and not value.sensitive:
            known[name] = value.value
        elif isinstance(value, Unknown):
            unknown[name] = value.reason
    marks.append(unknown)
    return known


def _backend(root: Module, scope: _Scope) -> Backend | None:
    for block in root.of_type("terraform"):
        for kind in ("cloud", "backend"):
            for entry in block.nested(kind):
                if kind == "backend" and not entry.labels:
                    continue
                backend_type = "cloud" if kind == "cloud" else entry.labels[0]
                attributes = {
                    name: scope.evaluate(
                        attribute.expression, f"backend {backend_type} {name} ({attribute.place()})"
                    )
                    for name, attribute in entry.attributes.items()
                }
                location = SourceLocation(entry.file, entry.start, entry.end)
                return Backend(backend_type, attributes, location)
    return None


def _encryption(root: Module, scope: _Scope) -> StateEncryption | None:
    """OpenTofu's ``terraform { encryption {...} }`` of the root module: which method
    encrypts state, and with which key provider's key."""
    for block in root.of_type("terraform"):
        for entry in block.nested("encryption"):
            keys = [b for b in entry.nested("key_provider") if len(b.labels) == 2]
            methods = [b for b in entry.nested("method") if len(b.labels) == 2]
            states = entry.nested("state")
            state_method = (
                _reference(states[0].attributes.get("method"), "method.") if states else None
            )
            return StateEncryption(
                key_providers=tuple(_key_provider(b, scope) for b in keys),
                methods=tuple(
                    EncryptionMethod(
                        b.labels[0],
                        b.labels[1],
                        _reference(b.attributes.get("keys"), "key_provider."),
                        SourceLocation(b.file, b.start, b.end),
                    )
                    for b in methods
                ),
                state_method=state_method,
                location=SourceLocation(entry.file, entry.start, entry.end),
            )
    return None


def _key_provider(block: Block, scope: _Scope) -> KeyProvider:
    kind, name = block.labels
    attributes = {
        k: scope.evaluate(a.expression, f"key_provider.{kind}.{name} {k} ({a.place()})")
        for k in KEY_HOLDER_SETTINGS
        if (a := block.attributes.get(k)) is not None
    }
    chain = _reference(block.attributes.get("chain"), "key_provider.")
    where = SourceLocation(block.file, block.start, block.end)
    return KeyProvider(kind, name, attributes, chain, where)


def _reference(attribute: Attribute | None, prefix: str) -> str | None:
    """``method.aes_gcm.m`` from ``method = method.aes_gcm.m``; None for anything else."""
    found = hcl_expr.references(attribute.expression) if attribute is not None else ()
    return next((r for r in found if r.startswith(prefix) and r.count(".") == 2), None)
