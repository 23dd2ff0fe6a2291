"""The Stack: what a loader read, before anything is resolved.

Nothing here knows which kind of input it came from. Values are either ``Known`` (with the
steps that produced them) or ``Unknown`` (with the reason), never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec


@dataclass(frozen=True)
class SourceLocation:
    file: str
    line: int
    end_line: int | None = None

    def text(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Known:
    value: Any
    steps: tuple[str, ...] = ()
    # Terraform marked the value sensitive: lintsov may use it but never prints it.
    sensitive: bool = False


@dataclass(frozen=True)
class Unknown:
    reason: str
    steps: tuple[str, ...] = ()


Attr = Known | Unknown


@dataclass(frozen=True)
class ProviderConfig:
    """One provider block, keyed as the plan keys it: ``aws``, ``module.a:aws.eu``."""

    key: str
    source: str
    name: str
    alias: str | None
    module: str
    attributes: Mapping[str, Attr]
    location: SourceLocation | None = None

    @property
    def label(self) -> str:
        local = f"{self.name}.{self.alias}" if self.alias else self.name
        return f"{self.module}:{local}" if self.module else local


@dataclass(frozen=True)
class ProviderBinding:
    """Which provider configuration a resource uses, and how the loader knows.

    ``candidates`` holds more than one key when the input cannot say which of them was
    passed (plans written before Terraform 1.2 do not record ``providers = {}``).
    """

    candidates: tuple[str, ...]
    steps: tuple[str, ...] = ()
    reason: str = ""


class Payload:
    """A resource's planned values, decoded only when asked for.

    Plans keep them as raw JSON so that a 150 MB plan is never held as Python objects all
    at once; each resource is decoded while it is resolved and then let go.
    """

    __slots__ = ("_after", "_origins", "_sensitive", "_unknown")

    def __init__(
        self,
        after: Any,
        unknown: Any = None,
        sensitive: Any = None,
        origins: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._after = after
        self._unknown = unknown
        self._sensitive = sensitive
        # Configuration folders know how each attribute's value came about; plans do not.
        self._origins = origins if origins is not None else {}

    def open(self) -> tuple[Any, Any, Any]:
        """(after, after_unknown, after_sensitive) as plain Python values."""
        return _decoded(self._after), _decoded(self._unknown), _decoded(self._sensitive)

    @property
    def origins(self) -> Mapping[str, tuple[str, ...]]:
        return self._origins


def _decoded(value: Any) -> Any:
    if isinstance(value, msgspec.Raw):
        return msgspec.json.decode(value) if len(value) else None
    return value


# A reference the loader followed through module outputs, module arguments and locals to
# the resource it ends at, given beside the references as written (which are relative to
# the resource's module): "resolved:<the resource's address, without instance keys> ← <how>".
RESOLVED = "resolved:"


class Configured(Mapping[str, tuple[str, ...]]):
    """The attributes a resource's configuration sets, each with the addresses its
    expression references, worked out only for the attributes asked about."""

    __slots__ = ("_done", "_expressions", "_references")

    def __init__(
        self, expressions: Mapping[str, Any], references: Callable[[Any], tuple[str, ...]]
    ) -> None:
        self._expressions = expressions
        self._references = references
        self._done: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, name: str) -> tuple[str, ...]:
        if name not in self._done:
            self._done[name] = self._references(self._expressions[name])
        return self._done[name]

    # Asking whether an attribute is set, or for one that is not, must not work out any
    # references: resolve asks about a dozen attributes of every resource.
    def __contains__(self, name: object) -> bool:
        return name in self._expressions

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self._expressions else default

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._expressions))

    def __len__(self) -> int:
        return len(self._expressions)


@dataclass(frozen=True)
class Resource:
    address: str
    type: str
    name: str
    module: str
    provider_source: str
    provider: ProviderBinding
    payload: Payload
    action: str
    # attribute name -> addresses it references, for attributes the configuration sets.
    configured: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    has_configuration: bool = False
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Backend:
    """Where Terraform keeps state: ``backend "s3" {...}`` or ``cloud {...}``."""

    type: str
    attributes: Mapping[str, Attr]
    location: SourceLocation | None = None


@dataclass(frozen=True)
class KeyProvider:
    """A ``key_provider "pbkdf2" "team" {...}`` of OpenTofu state encryption. Only the
    attributes that say who holds the key are kept (``address``, ``region``, ...), never a
    passphrase or a token; ``chain`` is the key provider it takes its own key from."""

    type: str
    name: str
    attributes: Mapping[str, Attr]
    chain: str | None = None
    location: SourceLocation | None = None

    @property
    def address(self) -> str:
        return f"key_provider.{self.type}.{self.name}"


@dataclass(frozen=True)
class EncryptionMethod:
    """A ``method "aes_gcm" "m" { keys = key_provider.pbkdf2.team }``."""

    type: str
    name: str
    keys: str | None
    location: SourceLocation | None = None

    @property
    def address(self) -> str:
        return f"method.{self.type}.{self.name}"


@dataclass(frozen=True)
class StateEncryption:
    """OpenTofu's ``terraform { encryption {...} }``: its key providers and methods, and the
    method the ``state {}`` block encrypts state with (None when no ``state`` block or
    its method is not a plain reference)."""

    key_providers: tuple[KeyProvider, ...]
    methods: tuple[EncryptionMethod, ...]
    state_method: str | None
    location: SourceLocation | None = None

    def key_provider(self, address: str) -> KeyProvider | None:
        return next((k for k in self.key_providers if k.address == address), None)

    def method(self, address: str) -> EncryptionMethod | None:
        return next((m for m in self.methods if m.address == address), None)


@dataclass(frozen=True)
class UnloadedModule:
    """A module call whose configuration lintsov could not read: its resources are unseen."""

    address: str
    source: str
    reason: str
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Waiver:
    """A waiver: an inline ``# lintsov:ignore RULE reason="..." until=YYYY-MM-DD`` comment
    with the block (file and lines) it belongs to, or a config-file entry that names
    resource addresses by glob (``address``) instead of a block. ``line`` is where the
    waiver itself is written (0 when the file gives no line, as TOML does)."""

    rules: tuple[str, ...]
    reason: str
    until: str
    file: str
    line: int
    block_start: int
    block_end: int
    text: str
    address: str = ""
    # Why the comment does not parse, when it does not: such a waiver waives nothing.
    error: str = ""
    # In a module from outside the root module's folder (or downloaded by `terraform
    # init`): other root modules may call it, so one run cannot tell that it waives nothing.
    shared: bool = False


@dataclass(frozen=True)
class Stack:
    path: str
    kind: str
    tool: str
    providers: Mapping[str, ProviderConfig]
    resources: tuple[Resource, ...]
    variables: Mapping[str, Attr] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    backend: Backend | None = None
    unloaded_modules: tuple[UnloadedModule, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    encryption: StateEncryption | None = None
    # The data sources resolve reads facts from (DATA_SOURCES_READ), addressed
    # ``data.<type>.<name>``: policy documents, the caller's own account or project.
    data_sources: tuple[Resource, ...] = ()


# Data sources whose values say who can reach data: computed locally (a policy document)
# or naming the configuration's own account, organisation, project or tenant.
DATA_SOURCES_READ = frozenset(
    {
        "aws_iam_policy_document",
        "aws_caller_identity",
        "aws_organizations_organization",
        "google_project",
        "google_client_config",
        "azurerm_client_config",
    }
)
