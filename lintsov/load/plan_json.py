"""Plan JSON as ``terraform show -json`` and ``tofu show -json`` write it (format 0.1 to 1.x).

The shape lintsov reads is declared once, as the msgspec structs below. They decode the
plan and check its shape in one pass, skipping what lintsov does not read (``prior_state``,
``before``, ``planned_values`` when ``resource_changes`` is there); the JSON Schema shipped
as ``lintsov/schemas/plan.schema.json`` is generated from them (``python -m
lintsov.load.plan_schema``) and a test keeps the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from lintsov.errors import InputError, line_col
from lintsov.stack import (
    DATA_SOURCES_READ,
    Attr,
    Configured,
    Known,
    Payload,
    ProviderBinding,
    ProviderConfig,
    Resource,
    Stack,
    Unknown,
)

SUPPORTED_MAJORS = ("0", "1")
DEFAULT_REGISTRY = "registry.terraform.io"


# --- the shape lintsov reads ---------------------------------------------------------------


class PlanVariable(msgspec.Struct, kw_only=True):
    value: Any = None


class VariableDeclaration(msgspec.Struct, kw_only=True):
    default: Any = None
    sensitive: bool = False


class ConfigResource(msgspec.Struct, kw_only=True):
    address: str
    mode: str = "managed"
    type: str
    name: str
    provider_config_key: str | None = None
    expressions: dict[str, Any] | None = None


class ModuleCall(msgspec.Struct, kw_only=True):
    source: str | None = None
    expressions: dict[str, Any] | None = None
    module: ConfigModule | None = None


class ConfigModule(msgspec.Struct, kw_only=True):
    resources: list[ConfigResource] | None = None
    module_calls: dict[str, ModuleCall] | None = None
    variables: dict[str, VariableDeclaration] | None = None


class PlanProviderConfig(msgspec.Struct, kw_only=True):
    name: str
    full_name: str | None = None
    alias: str | None = None
    module_address: str | None = None
    expressions: dict[str, Any] | None = None


class Configuration(msgspec.Struct, kw_only=True):
    provider_config: dict[str, PlanProviderConfig] | None = None
    root_module: ConfigModule | None = None


class Change(msgspec.Struct, kw_only=True):
    actions: list[str]
    after: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    after_unknown: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    after_sensitive: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)


class ResourceChange(msgspec.Struct, kw_only=True):
    address: str
    module_address: str | None = None
    mode: str = "managed"
    type: str
    name: str
    provider_name: str | None = None
    change: Change


class ValuesResource(msgspec.Struct, kw_only=True):
    address: str
    mode: str = "managed"
    type: str
    name: str
    provider_name: str | None = None
    values: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    sensitive_values: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)


class ValuesModule(msgspec.Struct, kw_only=True):
    address: str | None = None
    resources: list[ValuesResource] | None = None
    child_modules: list[ValuesModule] | None = None


class PlannedValues(msgspec.Struct, kw_only=True):
    root_module: ValuesModule | None = None


class PriorState(msgspec.Struct, kw_only=True):
    values: PlannedValues | None = None


class Plan(msgspec.Struct, kw_only=True):
    format_version: str
    terraform_version: str | None = None
    variables: dict[str, PlanVariable] | None = None
    # Kept raw: only read when the plan has no resource_changes.
    planned_values: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    # Kept raw: only its data sources are read (those read while planning are there).
    prior_state: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    resource_changes: list[ResourceChange] | None = None
    configuration: Configuration | None = None


class _Envelope(msgspec.Struct, kw_only=True):
    """Just enough to tell what a JSON document is before judging its shape."""

    format_version: Any = None
    lineage: Any = None
    serial: Any = None
    values: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    planned_values: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    resource_changes: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    configuration: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    # Format 1.2+: true when Terraform stopped with an error while planning.
    errored: Any = None


# --- reading -------------------------------------------------------------------------------


class _PlanInEnvelope(Plan, kw_only=True):
    """A plan with the envelope's other fields: a well-formed plan is decoded and checked
    in one pass over the bytes, not two."""

    lineage: Any = None
    serial: Any = None
    values: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    errored: Any = None


def decode_plan(data: bytes, path: str) -> Plan:
    """Decode plan JSON bytes, or raise InputError saying what is wrong and where."""
    try:
        found = msgspec.json.decode(data, type=_PlanInEnvelope)
    except (msgspec.DecodeError, RecursionError):
        found = None  # the two passes below say what is wrong, as they always have
    # Without resource_changes and configuration, whether it is a plan at all depends on
    # keys that decode to None whether absent or null: the envelope tells them apart.
    if found is not None and (found.resource_changes is not None or found.configuration):
        envelope = _Envelope(
            format_version=found.format_version,
            lineage=found.lineage,
            serial=found.serial,
            errored=found.errored,
            resource_changes=msgspec.Raw(b"[]"),
        )
        _check_is_plan(envelope, path)
        return found
    envelope = _decode(data, path, _Envelope, expect="a JSON object")
    _check_is_plan(envelope, path)
    plan: Plan = _decode(data, path, Plan, expect="a Terraform plan")
    return plan


# Plans nest a few dozen levels; the decoder recurses once per level, and Python's stack
# allows about a thousand. Deeper input is refused with this limit named.
MAX_DEPTH = 500
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]')


def _too_deep(data: bytes, limit: int = MAX_DEPTH) -> int:
    """The offset where nesting first exceeds ``limit`` (strings skipped); -1 if never."""
    depth = 0
    for token in _TOKEN.finditer(data):
        first = token.group()[:1]
        if first in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return token.start()
        elif first in (b"]", b"}"):
            depth -= 1
    return -1


def _decode(data: bytes, path: str, kind: type[Any], expect: str) -> Any:
    try:
        return msgspec.json.decode(data, type=kind)
    except RecursionError:
        offset = _too_deep(data)
        line, column = line_col(data, offset) if offset >= 0 else (None, None)
        raise InputError(
            path,
            f"JSON nested deeper than {MAX_DEPTH} levels, lintsov's limit (plans nest a few dozen)",
            line=line,
            column=column,
        ) from None
    except msgspec.ValidationError as error:
        what, _, where = str(error).partition(" - at `")
        if not where and what.startswith("Expected `object`"):
            raise InputError(path, f"not {expect}: the top level is not a JSON object") from None
        raise InputError(path, f"not {expect}: {_plain(what)}", where.rstrip("`") or "$") from None
    except msgspec.DecodeError as error:
        message = str(error)
        match = re.search(r"\(byte (\d+)\)", message)
        if match:
            offset = int(match.group(1))
            what = message[: match.start()].strip().removeprefix("JSON is malformed: ")
            line, column = line_col(data, offset)
            raise InputError(path, f"invalid JSON: {what}", line=line, column=column) from None
        if "truncated" in message:
            line, column = line_col(data, len(data))
            what = "invalid JSON: the file ends early (truncated)"
            raise InputError(path, what, line=line, column=column) from None
        raise InputError(path, f"invalid JSON: {message}") from None


def _plain(msgspec_message: str) -> str:
    return msgspec_message.replace("`", "")


def _check_is_plan(envelope: _Envelope, path: str) -> None:
    if envelope.format_version is None:
        if envelope.lineage is not None and envelope.serial is not None:
            raise InputError(
                path,
                "this is a Terraform state file, not a plan; lintsov reads the output of "
                "`terraform show -json PLANFILE`",
            )
        raise InputError(path, "not a Terraform plan: it has no format_version", "$")
    version = envelope.format_version
    if not isinstance(version, str) or not re.fullmatch(r"\d+\.\d+", version):
        raise InputError(
            path,
            f"not a Terraform plan: format_version {version!r} is not MAJOR.MINOR",
            "$.format_version",
        )
    if version.split(".")[0] not in SUPPORTED_MAJORS:
        raise InputError(
            path,
            f"plan format_version {version} is not supported (lintsov reads 0.1 to 1.x); "
            "upgrade lintsov",
            "$.format_version",
        )
    if envelope.errored is True:
        # The plan holds what Terraform had planned when it failed: resources after the
        # error are missing, so judging it would pass what was never planned.
        raise InputError(
            path,
            "the plan is incomplete: Terraform stopped with an error while planning "
            "(errored: true); fix the error and run `terraform plan` again",
            "$.errored",
        )
    is_plan = (
        len(envelope.planned_values)
        or len(envelope.resource_changes)
        or len(envelope.configuration)
    )
    if not is_plan:
        if len(envelope.values):
            raise InputError(
                path,
                "this is state JSON (`terraform show -json` without a plan file), not a plan; "
                "run `terraform plan -out plan.tfplan && terraform show -json plan.tfplan`",
            )
        raise InputError(
            path,
            "not a Terraform plan: it has neither planned_values, "
            "resource_changes nor configuration",
            "$",
        )


# --- addresses -----------------------------------------------------------------------------

# [0], ["key"], and the [*] a configuration folder writes for count and for_each.
_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[0-9]+|\*)\]')


def strip_instance_keys(address: str) -> str:
    """``module.a[0].module.b["x"].aws_s3_bucket.b[2]`` → ``module.a.module.b.aws_s3_bucket.b``."""
    if "[" not in address:  # most addresses: asked several times per resource
        return address
    return _INSTANCE_KEY.sub("", address)


def provider_source(name: str | None) -> str:
    """Full source address; format 0.1 plans write the short name (``aws``)."""
    if not name:
        return ""
    if "/" not in name:
        return f"{DEFAULT_REGISTRY}/hashicorp/{name}"
    if name.count("/") == 1:
        return f"{DEFAULT_REGISTRY}/{name}"
    return name


# --- building the Stack --------------------------------------------------------------------


@dataclass(frozen=True)
class _ModuleScope:
    path: str
    module: ConfigModule
    parent: str | None
    call_name: str | None
    call: ModuleCall | None


class _Scopes:
    """Module paths of the configuration, and how values flow into them."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.by_path: dict[str, _ModuleScope] = {}
        root = plan.configuration.root_module if plan.configuration else None
        if root is not None:
            self._walk("", root, None, None, None)

    def _walk(
        self,
        path: str,
        module: ConfigModule,
        parent: str | None,
        name: str | None,
        call: ModuleCall | None,
    ) -> None:
        self.by_path[path] = _ModuleScope(path, module, parent, name, call)
        for child_name, child in sorted((module.module_calls or {}).items()):
            if child.module is not None:
                child_path = f"{path}.module.{child_name}" if path else f"module.{child_name}"
                self._walk(child_path, child.module, path, child_name, child)

    def resolve_module_prefix(self, prefix: str, hint: str | None = None) -> str:
        """Old plans write ``db:aws`` (call name only) for ``module.x.module.db:aws``."""
        if prefix.startswith("module."):
            return prefix
        if hint is not None and hint.rsplit(".", 1)[-1] == prefix:
            return hint
        matches = [p for p, s in self.by_path.items() if s.call_name == prefix]
        return matches[0] if len(matches) == 1 else f"module.{prefix}"

    def evaluate(self, expression: Any, module: str, where: str) -> Attr:
        """An expression object from the plan's configuration, evaluated in a module."""
        if not isinstance(expression, dict):
            return Unknown(f"{where} is not a plain expression")
        if "constant_value" in expression:
            return Known(expression["constant_value"], (f"constant in {where}",))
        references = [r for r in expression.get("references") or [] if isinstance(r, str)]
        if not references:
            return Unknown(f"{where} has no value in the plan")
        first = references[0]
        if first.startswith("var."):
            return self.variable(first[4:].split(".")[0], module, where)
        if first.startswith("local."):
            return Unknown(f"{where} comes from {first}, which plans do not record")
        if first.startswith("data."):
            return Unknown(f"{where} comes from {first}, read only at apply time")
        if first.startswith("module."):
            return Unknown(f"{where} comes from the output {first}, known only after apply")
        return Unknown(f"{where} comes from {first}, known only after apply")

    def variable(self, name: str, module: str, where: str) -> Attr:
        scope = self.by_path.get(module)
        declaration = None
        if scope is not None and scope.module.variables:
            declaration = scope.module.variables.get(name)
        sensitive = bool(declaration and declaration.sensitive)
        step = f"var.{name}" if not module else f"var.{name} of {module}"
        if module == "":
            variables = self.plan.variables or {}
            if name in variables and variables[name].value is not None:
                return Known(
                    variables[name].value, (step, "value in the plan's variables"), sensitive
                )
            return Unknown(f"{where} comes from var.{name}, which has no value in the plan")
        if scope is not None and scope.call is not None:
            argument = (scope.call.expressions or {}).get(name)
            if argument is not None and scope.parent is not None:
                value = self.evaluate(argument, scope.parent, f"argument {name} of {module} call")
                if isinstance(value, Known):
                    return Known(value.value, (step, *value.steps), sensitive or value.sensitive)
                return Unknown(value.reason, (step, *value.steps))
            if declaration is not None and declaration.default is not None:
                return Known(
                    declaration.default, (step, f"default of var.{name} in {module}"), sensitive
                )
        return Unknown(f"{where} comes from var.{name} of {module}, which has no value in the plan")


def _provider_attributes(
    scopes: _Scopes, config: PlanProviderConfig, module: str, label: str
) -> dict[str, Attr]:
    where = f"provider {label}"
    attributes: dict[str, Attr] = {}
    for name, expression in sorted((config.expressions or {}).items()):
        if isinstance(expression, list):
            # A nested block such as default_tags { tags = {...} }.
            for block in expression[:1]:
                if isinstance(block, dict):
                    for inner, inner_expr in block.items():
                        attributes[f"{name}.{inner}"] = scopes.evaluate(
                            inner_expr, module, f"{where} {name}.{inner}"
                        )
        else:
            attributes[name] = scopes.evaluate(expression, module, f"{where} {name}")
    return attributes


def _providers(scopes: _Scopes, plan: Plan) -> dict[str, ProviderConfig]:
    result: dict[str, ProviderConfig] = {}
    raw = plan.configuration.provider_config if plan.configuration else None
    for key, config in sorted((raw or {}).items()):
        module_part, _, local = key.rpartition(":")
        module = ""
        if module_part:
            module = scopes.resolve_module_prefix(
                module_part, strip_instance_keys(config.module_address or "") or None
            )
        normalized = f"{module}:{local}" if module else local
        alias = config.alias
        label = f"{module}:{local}" if module else local
        result[normalized] = ProviderConfig(
            key=normalized,
            source=provider_source(config.full_name or config.name),
            name=config.name,
            alias=alias,
            module=module,
            attributes=_provider_attributes(scopes, config, module, label),
        )
    return result


def _ancestors(module: str) -> Iterator[str]:
    """Parent modules of a module path, nearest first, ending with the root ("")."""
    parts = module.split(".")
    # parts come in pairs: module, name
    for end in range(len(parts) - 2, -1, -2):
        yield ".".join(parts[:end])


def _is_proxy(config: ProviderConfig) -> bool:
    """A child module's provider entry with no settings configures nothing: it stands for
    required_providers, or for an empty proxy block that receives the caller's provider."""
    return bool(config.module) and not config.attributes


def _bind(
    key: str | None,
    module: str,
    scopes: _Scopes,
    providers: Mapping[str, ProviderConfig],
) -> ProviderBinding:
    if key is None:
        return ProviderBinding((), reason="the plan's configuration names no provider for it")
    module_part, _, local = key.rpartition(":")
    owner = scopes.resolve_module_prefix(module_part, module) if module_part else ""
    normalized = f"{owner}:{local}" if owner else local
    first_step = f"provider_config_key {key!r} in the plan's configuration"
    if normalized in providers and not _is_proxy(providers[normalized]):
        return ProviderBinding((normalized,), (first_step,))
    name = local.split(".")[0]
    own = (
        f"{owner} declares {local} without settings (required_providers or an empty proxy block)"
        if normalized in providers
        else f"{owner} has no provider block for {local}"
    )
    for ancestor in [] if not owner else list(_ancestors(owner)):
        same = sorted(
            k
            for k, p in providers.items()
            if p.module == ancestor and p.name == name and not _is_proxy(p)
        )
        if not same:
            continue
        where = ancestor or "the root module"
        if len(same) == 1:
            return ProviderBinding(tuple(same), (first_step, f"{own}; it comes from {where}"))
        return ProviderBinding(
            tuple(same),
            (
                first_step,
                f"{own}; it comes from {where}, which configures {len(same)} "
                f"({', '.join(same)}), and plans before Terraform 1.2 do not record which "
                "one a module call passes",
            ),
        )
    reason = (
        f'no provider "{name}" block in the configuration; its settings come from '
        "the environment at apply time"
    )
    return ProviderBinding((), (first_step,), reason)


def _references(expression: Any) -> tuple[str, ...]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            refs = node.get("references")
            if isinstance(refs, list):
                found.extend(r for r in refs if isinstance(r, str))
            for key, value in node.items():
                if key != "references":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(expression)
    return tuple(dict.fromkeys(found))


def _action(actions: list[str]) -> str | None:
    if actions == ["create"]:  # most of a large plan: no set to build
        return "create"
    kinds = set(actions)
    if kinds == {"delete"}:
        return None  # the data is gone after apply; a replace keeps it.
    if kinds == {"delete", "create"}:
        return "replace"
    return "+".join(actions) if actions else "unknown"


def build_stack(plan: Plan, path: str) -> Stack:
    scopes = _Scopes(plan)
    providers = _providers(scopes, plan)
    config_index: dict[tuple[str, str], ConfigResource] = {}
    for module_path, scope in scopes.by_path.items():
        for item in scope.module.resources or []:
            relative = item.address
            if module_path and relative.startswith(module_path + "."):
                relative = relative[len(module_path) + 1 :]
            config_index[(module_path, relative)] = item

    resources: list[Resource] = []
    notes: list[str] = []
    bound: dict[tuple[str, str], tuple[ProviderBinding, Mapping[str, tuple[str, ...]], bool]] = {}
    # A large plan has tens of thousands of resources in a few hundred modules, from a
    # handful of providers: each module address and provider name is worked out once.
    modules: dict[str, str] = {}
    sources: dict[str | None, str] = {}
    for entry in _entries(plan, path, notes):
        address, rtype, name, module_address, source_name, payload, action = entry
        module_key = module_address or ""
        module = modules.get(module_key)
        if module is None:
            module = modules[module_key] = strip_instance_keys(module_key)
        source = sources.get(source_name)
        if source is None:
            source = sources[source_name] = provider_source(source_name)
        relative = address[len(module_address) + 1 :] if module_address else address
        relative = strip_instance_keys(relative)
        key = (module, relative)
        if key not in bound:
            # Instances of one configuration resource (count, for_each) share all of this.
            config = config_index.get(key)
            if config is None:
                reason = (
                    "the resource is missing from the plan's configuration section"
                    if scopes.by_path
                    else "the plan has no configuration section, so its provider blocks are unknown"
                )
                bound[key] = (ProviderBinding((), reason=reason), {}, False)
            else:
                bound[key] = (
                    _bind(config.provider_config_key, module, scopes, providers),
                    Configured(config.expressions or {}, _references),
                    True,
                )
        binding, configured, has_configuration = bound[key]
        resources.append(
            Resource(
                address=address,
                type=rtype,
                name=name,
                module=module,
                provider_source=source,
                provider=binding,
                payload=payload,
                action=action,
                configured=configured,
                has_configuration=has_configuration,
            )
        )

    variables: dict[str, Attr] = {
        name: scopes.variable(name, "", f"var.{name}") for name in sorted(plan.variables or {})
    }
    return Stack(
        path=path,
        kind="plan",
        tool=_tool(plan, providers),
        providers=providers,
        resources=tuple(resources),
        variables=variables,
        notes=tuple(notes),
        data_sources=_data_sources(plan, config_index),
    )


def _data_sources(
    plan: Plan, config_index: Mapping[tuple[str, str], ConfigResource]
) -> tuple[Resource, ...]:
    """The data sources lintsov reads facts from (DATA_SOURCES_READ): those Terraform
    defers to apply are in resource_changes (action read, values partly unknown), those it
    read while planning are in prior_state."""
    found: dict[str, tuple[str, str, str, str | None, Payload]] = {}
    for change in plan.resource_changes or ():
        if change.mode == "data" and change.type in DATA_SOURCES_READ:
            payload = Payload(
                change.change.after, change.change.after_unknown, change.change.after_sensitive
            )
            found[change.address] = (
                change.type,
                change.name,
                change.module_address or "",
                change.provider_name,
                payload,
            )
    # prior_state holds every resource that exists already: decoded only when the
    # configuration declares a data source lintsov reads that the changes do not hold.
    declared = {
        address
        for (module, relative), config in config_index.items()
        if config.mode == "data" and config.type in DATA_SOURCES_READ
        for address in (f"{module}.{relative}" if module else relative,)
    }
    pending = declared - {strip_instance_keys(address) for address in found}
    if pending and len(plan.prior_state):
        try:
            state = msgspec.json.decode(plan.prior_state, type=PriorState)
        except msgspec.ValidationError:
            state = PriorState()  # prior_state is not lintsov's input: a plan without it
        modules = [state.values.root_module] if state.values and state.values.root_module else []
        while modules:
            values = modules.pop()
            for item in values.resources or ():
                if item.mode == "data" and item.type in DATA_SOURCES_READ:
                    payload = Payload(item.values, None, item.sensitive_values)
                    found.setdefault(
                        item.address,
                        (item.type, item.name, values.address or "", item.provider_name, payload),
                    )
            modules.extend(values.child_modules or ())
    sources = []
    for address, (rtype, name, module_address, source_name, payload) in sorted(found.items()):
        module = strip_instance_keys(module_address)
        relative = strip_instance_keys(
            address[len(module_address) + 1 :] if module_address else address
        )
        config = config_index.get((module, relative))
        configured = Configured(config.expressions or {}, _references) if config else {}
        sources.append(
            Resource(
                address=address,
                type=rtype,
                name=name,
                module=module,
                provider_source=provider_source(source_name or ""),
                provider=ProviderBinding(()),
                payload=payload,
                action="read",
                configured=configured,
                has_configuration=config is not None,
            )
        )
    return tuple(sources)


_Entry = tuple[str, str, str, str | None, str | None, Payload, str]


def _entries(plan: Plan, path: str, notes: list[str]) -> Iterator[_Entry]:
    if plan.resource_changes is not None:
        for change in plan.resource_changes:
            if change.mode != "managed":
                continue
            action = _action(change.change.actions)
            if action is None:
                continue
            payload = Payload(
                change.change.after, change.change.after_unknown, change.change.after_sensitive
            )
            yield (
                change.address,
                change.type,
                change.name,
                change.module_address,
                change.provider_name,
                payload,
                action,
            )
        return
    if not len(plan.planned_values):
        return
    notes.append("the plan has no resource_changes; resources were read from planned_values")
    try:
        values = msgspec.json.decode(plan.planned_values, type=PlannedValues)
    except msgspec.ValidationError as error:
        what, _, where = str(error).partition(" - at `")
        where = where.rstrip("`").replace("$", "$.planned_values", 1) or "$.planned_values"
        raise InputError(path, f"not a Terraform plan: {_plain(what)}", where) from None
    stack = [values.root_module] if values.root_module else []
    while stack:
        module = stack.pop()
        for resource in module.resources or []:
            if resource.mode != "managed":
                continue
            yield (
                resource.address,
                resource.type,
                resource.name,
                module.address,
                resource.provider_name,
                Payload(resource.values, None, resource.sensitive_values),
                "planned",
            )
        stack.extend(reversed(module.child_modules or []))


def _tool(plan: Plan, providers: Mapping[str, ProviderConfig]) -> str:
    opentofu = any("registry.opentofu.org" in p.source for p in providers.values())
    name = "OpenTofu" if opentofu else "Terraform"
    version = plan.terraform_version
    return f"{name} {version}" if version else name
