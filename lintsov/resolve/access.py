"""Access: who is granted access to a resource's data, and by which resource.

Read while each resource's values are decoded (``Access.gather``), joined to the resources
they reach once every resource is resolved (``Access.grants``), so that a policy is read
once and each resource's work stays a dictionary look-up. Facts only: the granting
resource, the statement, binding or setting, the principal, and the conditions that limit
it; whether a principal is trusted is judged by the rule (checks/external_access.py).

Sources (resource types from the providers' registry documentation,
https://registry.terraform.io/providers/hashicorp/aws/latest/docs,
https://registry.terraform.io/providers/hashicorp/google/latest/docs,
https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from lintsov.evidence import Evidence
from lintsov.inventory import Grant
from lintsov.load.plan_json import strip_instance_keys
from lintsov.resolve import azure_access, google_acl
from lintsov.resolve.aws_policy import (
    PolicyPrincipal,
    Statement,
    from_document_source,
    parse,
)
from lintsov.resolve.values import Values
from lintsov.stack import RESOLVED, Known, ProviderConfig, Resource

# Resource type → (attribute holding a policy document, attribute naming the resource it
# governs and that resource's types; None: the policy governs the resource itself).
AWS_POLICIES: Mapping[str, tuple[str, tuple[str, tuple[str, ...]] | None]] = {
    "aws_s3_bucket": ("policy", None),
    "aws_s3_bucket_policy": ("policy", ("bucket", ("aws_s3_bucket",))),
    "aws_kms_key": ("policy", None),
    "aws_kms_replica_key": ("policy", None),
    "aws_kms_key_policy": ("policy", ("key_id", ("aws_kms_key", "aws_kms_replica_key"))),
    "aws_sqs_queue": ("policy", None),
    "aws_sqs_queue_policy": ("policy", ("queue_url", ("aws_sqs_queue",))),
    "aws_sns_topic": ("policy", None),
    "aws_sns_topic_policy": ("policy", ("arn", ("aws_sns_topic",))),
    "aws_secretsmanager_secret": ("policy", None),
    "aws_secretsmanager_secret_policy": (
        "policy",
        ("secret_arn", ("aws_secretsmanager_secret",)),
    ),
    "aws_ecr_repository_policy": ("policy", ("repository", ("aws_ecr_repository",))),
    "aws_glacier_vault": ("access_policy", None),
    "aws_backup_vault_policy": ("policy", ("backup_vault_name", ("aws_backup_vault",))),
}
# Canned ACLs that grant everyone (AllUsers) or every AWS account (AuthenticatedUsers):
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
PUBLIC_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
# Google members that are anyone on the internet, or anyone with a Google account:
# https://cloud.google.com/iam/docs/principal-identifiers
GOOGLE_PUBLIC = frozenset({"allUsers", "allAuthenticatedUsers"})
# IAM member and binding resources: the attribute naming what they grant on, its types.
GOOGLE_IAM: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "google_storage_bucket_iam_member": ("bucket", ("google_storage_bucket",)),
    "google_storage_bucket_iam_binding": ("bucket", ("google_storage_bucket",)),
    "google_bigquery_dataset_iam_member": ("dataset_id", ("google_bigquery_dataset",)),
    "google_bigquery_dataset_iam_binding": ("dataset_id", ("google_bigquery_dataset",)),
    "google_bigquery_table_iam_member": ("table_id", ("google_bigquery_table",)),
    "google_bigquery_table_iam_binding": ("table_id", ("google_bigquery_table",)),
    "google_kms_crypto_key_iam_member": ("crypto_key_id", ("google_kms_crypto_key",)),
    "google_kms_crypto_key_iam_binding": ("crypto_key_id", ("google_kms_crypto_key",)),
    "google_secret_manager_secret_iam_member": ("secret_id", ("google_secret_manager_secret",)),
    "google_secret_manager_secret_iam_binding": (
        "secret_id",
        ("google_secret_manager_secret",),
    ),
    "google_pubsub_topic_iam_member": ("topic", ("google_pubsub_topic",)),
    "google_pubsub_topic_iam_binding": ("topic", ("google_pubsub_topic",)),
}
# Grants on a project or folder reach every resource in it.
GOOGLE_SCOPE_IAM: Mapping[str, str] = {
    "google_project_iam_member": "project",
    "google_project_iam_binding": "project",
    "google_folder_iam_member": "folder",
    "google_folder_iam_binding": "folder",
}
# Azure blob containers readable without credentials:
# https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-configure
ANONYMOUS_CONTAINER_ACCESS = frozenset({"blob", "container"})
# The storage account switch that refuses it (azurerm 3.x/4.x name, and the 2.x name).
ANONYMOUS_SWITCHES = ("allow_nested_items_to_be_public", "allow_blob_public_access")
# Every type gather reads (besides google_*, which it reads for their project).
_READ = frozenset(
    {
        *AWS_POLICIES,
        "aws_s3_bucket_acl",
        "aws_s3_bucket_replication_configuration",
        "aws_s3_bucket_public_access_block",
        "aws_s3_account_public_access_block",
        "aws_kms_grant",
        "aws_ram_principal_association",
        "aws_ram_resource_association",
        "azurerm_storage_container",
        "azurerm_storage_account",
        *azure_access.KEY_RULES,
        *azure_access.STORED_POLICIES,
        "azurerm_lighthouse_definition",
        "azurerm_lighthouse_assignment",
    }
)
_ACCOUNT_IN_ARN = re.compile(r"^arn:[a-z-]+:(?:iam|sts)::(\d{12}):")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
# Google's own service agents (service-<number>@gcp-sa-<service>.iam.gserviceaccount.com,
# ...@gs-project-accounts..., ...@cloudservices...):
# https://cloud.google.com/iam/docs/service-agents
_GOOGLE_AGENT = re.compile(
    r"@(gcp-sa-[a-z0-9-]+\.iam|gs-project-accounts\.iam|cloudservices|"
    r"container-engine-robot\.iam|compute-system\.iam)\.gserviceaccount\.com$"
)
_SERVICE_ACCOUNT = re.compile(r"@([a-z0-9-]+)\.iam\.gserviceaccount\.com$")


@dataclass(frozen=True)
class _Pending:
    """A grant read from one resource, before the resource it reaches is found."""

    via: Resource
    refs: tuple[str, ...]
    grant: Grant
    # Storage accounts whose refusal of anonymous access voids the grant.
    gates: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Document:
    """A policy document's text, read once a grant joins it to sensitive data."""

    via: Resource
    refs: tuple[str, ...]
    text: str
    steps: tuple[str, ...]


@dataclass
class Access:
    """Grants read resource by resource; ``grants`` joins them to their targets."""

    pending: list[_Pending] = field(default_factory=list)
    # (module, "data.<type>.<name>") → statements of a policy document data source.
    documents: dict[tuple[str, str], tuple[Statement, ...] | str] = field(default_factory=dict)
    # Policy documents not yet read, and those read, by their text (each parsed once).
    texts: list[_Document] = field(default_factory=list)
    parsed: dict[str, tuple[Statement, ...] | str] = field(default_factory=dict)
    # The configuration's own accounts, projects and tenants, with how lintsov knows.
    own: dict[str, Evidence] = field(default_factory=dict)
    # Where a project-scoped grant reaches: Google resources by their project.
    projects: dict[str, list[str]] = field(default_factory=dict)
    # Provider configurations, for the project a Google resource inherits.
    providers: Mapping[str, ProviderConfig] = field(default_factory=dict)
    # Azure storage accounts that refuse anonymous access to their containers.
    closed: set[str] = field(default_factory=set)
    # S3 public access blocks: (the block, the buckets it names or () for the whole
    # account, ignore_public_acls, restrict_public_buckets).
    blocks: list[tuple[Resource, tuple[str, ...], bool, bool]] = field(default_factory=list)
    # RAM: principal associations (association, share refs, grant) and resource
    # associations (association, share refs, refs to the resources shared).
    ram: list[tuple[Resource, tuple[str, ...], Grant]] = field(default_factory=list)
    shared: list[tuple[Resource, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    # Lighthouse: each definition's grants by its address; assignments (assignment,
    # definition refs, resource group refs or () for the whole subscription); and the
    # Azure resources with the resource groups they name, for the scopes to reach.
    delegated: dict[str, list[Grant]] = field(default_factory=dict)
    assignments: list[tuple[Resource, tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=list
    )
    azure: list[tuple[Resource, tuple[str, ...]]] = field(default_factory=list)

    def read_data_source(self, source: Resource, values: Values) -> None:
        key = (strip_instance_keys(source.module), _local(source.address))
        if source.type == "aws_iam_policy_document":
            self.documents[key] = from_document_source(values)
            return
        for attribute, what in (
            ("account_id", "AWS account"),
            ("project", "Google project"),
            ("project_id", "Google project"),
            ("tenant_id", "Azure tenant"),
            ("id", "AWS organization"),
        ):
            if source.type == "aws_organizations_organization" and attribute != "id":
                continue
            if source.type != "aws_organizations_organization" and attribute == "id":
                continue
            value = values.known(attribute)
            if isinstance(value, str) and value and not values.is_unknown(attribute):
                self.own.setdefault(
                    value,
                    Evidence("own", f"{what} {value}", (f"{attribute} of {source.address}",)),
                )

    def gather(self, resource: Resource, values: Values) -> None:
        kind = resource.type
        if kind.startswith("azurerm_") and "resource_group_name" in resource.configured:
            groups = _refs(resource, "resource_group_name", ("azurerm_resource_group",))
            self.azure.append((resource, groups))
        if kind not in _READ and not kind.startswith("google_"):
            return  # most resources grant nothing: one set look-up each
        if kind in AWS_POLICIES:
            self._aws_policy(resource, values)
        if kind in ("aws_s3_bucket", "aws_s3_bucket_acl"):
            self._s3_acl(resource, values)
        if kind in ("aws_s3_bucket_replication_configuration", "aws_s3_bucket"):
            self._replication(resource, values)
        if kind in ("aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"):
            refs = _refs(resource, "bucket", ("aws_s3_bucket",))
            if refs or kind == "aws_s3_account_public_access_block":
                ignore = values.known("ignore_public_acls") is True
                restrict = values.known("restrict_public_buckets") is True
                self.blocks.append((resource, refs, ignore, restrict))
        if kind == "aws_kms_grant":
            self._kms_grant(resource, values)
        if kind in ("aws_ram_principal_association", "aws_ram_resource_association"):
            self._ram(resource, values)
        if kind in GOOGLE_IAM or kind in GOOGLE_SCOPE_IAM:
            self._google_iam(resource, values)
        if kind in google_acl.READ:
            self._google_acl(resource, values)
        if kind.startswith("google_") and kind not in GOOGLE_IAM and kind not in GOOGLE_SCOPE_IAM:
            project = self._project(resource, values)
            if project:
                self.projects.setdefault(project, []).append(resource.address)
        if kind == "azurerm_storage_container":
            self._azure_container(resource, values)
        if kind in azure_access.KEY_RULES or kind in azure_access.STORED_POLICIES:
            self._azure_keys(resource, values)
        if kind.startswith("azurerm_lighthouse_"):
            self._lighthouse(resource, values)
        if kind == "google_project":
            created = values.known("project_id")
            if isinstance(created, str) and created and not values.is_unknown("project_id"):
                steps = (f"project_id of {resource.address}, created by the configuration",)
                self.own.setdefault(created, Evidence("own", f"Google project {created}", steps))
        if kind == "azurerm_storage_account" and any(
            values.known(name) is False for name in ANONYMOUS_SWITCHES
        ):
            self.closed.add(resource.address)

    def _project(self, resource: Resource, values: Values) -> str:
        """The project a Google resource is in: its own ``project``, else its provider's
        (only when there is one provider configuration it can be)."""
        if "project" in resource.configured or values.known("project") is not None:
            project = values.known("project")
            return project if isinstance(project, str) and not values.is_unknown("project") else ""
        if len(resource.provider.candidates) != 1:
            return ""
        provider = self.providers.get(resource.provider.candidates[0])
        setting = provider.attributes.get("project") if provider else None
        return (
            setting.value if isinstance(setting, Known) and isinstance(setting.value, str) else ""
        )

    # --- AWS ----------------------------------------------------------------------------

    def _aws_policy(self, resource: Resource, values: Values) -> None:
        attribute, governs = AWS_POLICIES[resource.type]
        refs = _refs(resource, *governs) if governs else ()
        if governs and not refs:
            return  # the governed resource is outside the configuration
        if attribute not in resource.configured and values.known(attribute) in (None, ""):
            return
        text = values.known(attribute)
        where = f"{attribute} of {resource.address}"
        if isinstance(text, str) and text and not values.is_unknown(attribute):
            # Read when the grants are joined, and only when the policy reaches sensitive
            # data: most policies in a large plan govern resources nobody asks about.
            steps: tuple[str, ...] = (where, *values.origin(attribute))
            self.texts.append(_Document(resource, refs, text, steps))
            return
        else:
            found = self._document_of(resource, attribute)
            if found is None:
                reason = values.unknown_reason(attribute) or "it is known only after apply"
                self._unknown(resource, refs, where, f"the policy is unknown: {reason}")
                return
            document, statements = found
            steps = (where, f"{document}, evaluated by lintsov as the data source does")
        self._statements(resource, refs, statements, steps)

    def _statements(
        self,
        resource: Resource,
        refs: tuple[str, ...],
        statements: tuple[Statement, ...] | str,
        steps: tuple[str, ...],
    ) -> None:
        """A grant for each principal of each statement (``statements`` is why the
        document cannot be read when it is a string)."""
        if isinstance(statements, str):
            self._unknown(resource, refs, steps[0], statements)
            return
        for statement in statements:
            limits = tuple(
                f"{c.operator} {c.key} {', '.join(c.values) or '(unknown)'}"
                for c in statement.conditions
                if c.limits
            )
            limit_values = tuple(v for c in statement.conditions if c.limits for v in c.values)
            unknown_limit = next((c.unknown for c in statement.conditions if c.unknown), "")
            for principal in statement.principals:
                self._add(
                    resource,
                    refs,
                    self._aws_grant(
                        resource,
                        statement.label,
                        principal,
                        statement.actions,
                        limits,
                        limit_values,
                        unknown_limit,
                        steps,
                    ),
                )

    def _document_of(
        self, resource: Resource, attribute: str
    ) -> tuple[str, tuple[Statement, ...] | str] | None:
        module = strip_instance_keys(resource.module)
        for written in resource.configured.get(attribute, ()):
            reference = written
            if written.startswith(RESOLVED):
                module, _, reference = _split_module(written[len(RESOLVED) :].split(" ", 1)[0])
            if reference.startswith("data.aws_iam_policy_document."):
                local = ".".join(reference.split(".")[:3])
                found = self.documents.get((module, strip_instance_keys(local)))
                if found is not None:
                    shown = f"{module}.{local}" if module else local
                    return shown, found
        return None

    def _aws_grant(
        self,
        resource: Resource,
        label: str,
        principal: PolicyPrincipal,
        actions: tuple[str, ...],
        limits: tuple[str, ...],
        limit_values: tuple[str, ...],
        unknown_limit: str,
        steps: tuple[str, ...],
    ) -> Grant:
        shown = principal.value or "(unknown)"
        if principal.kind not in ("*", "AWS") and principal.value:
            shown = f"{principal.kind} {principal.value}"
        evidence = (Evidence("grant", shown, (f"{label} of {steps[0]}", *steps[1:])),)
        # Each field is worked out first so that the grant is built once: thousands of
        # policies in a large plan each build one.
        value, owner, own, unknown = principal.value, "", False, ""
        own_account = _caller_identity(principal.unknown)
        if own_account:
            value, kind, owner, own = f"the account of {own_account}", "aws", own_account, True
        elif principal.unknown:
            value, kind = "(unknown)", "unknown"
            unknown = f"the principal is unknown: {principal.unknown}"
        elif principal.kind == "*":
            kind = "public"
            if unknown_limit and limits:
                kind, unknown = "unknown", f"a condition limiting * is unknown: {unknown_limit}"
        elif principal.kind == "Service":
            kind = "service"
        else:
            owner = _aws_account(principal.value)
            kind = "aws" if principal.kind == "AWS" else principal.kind.lower()
            own = owner in self.own
        return Grant(
            "",
            resource.address,
            label,
            value,
            kind,
            owner,
            actions,
            limits,
            evidence,
            own=own,
            unknown=unknown,
            limit_values=limit_values,
            location=resource.location,
        )

    def _s3_acl(self, resource: Resource, values: Values) -> None:
        acl = values.known("acl")
        if not isinstance(acl, str) or acl not in PUBLIC_ACLS:
            return
        refs = (
            _refs(resource, "bucket", ("aws_s3_bucket",)) if resource.type.endswith("acl") else ()
        )
        if resource.type.endswith("acl") and not refs:
            return
        principal = "AuthenticatedUsers" if acl == "authenticated-read" else "AllUsers"
        evidence = (Evidence("grant", principal, (f"canned ACL {acl} of {resource.address}",)),)
        grant = Grant(
            "",
            resource.address,
            f"canned ACL {acl}",
            principal,
            "public",
            "",
            ("s3:GetObject",) if "write" not in acl else ("s3:GetObject", "s3:PutObject"),
            (),
            evidence,
            location=resource.location,
        )
        self._add(resource, refs, grant)

    def _replication(self, resource: Resource, values: Values) -> None:
        for account in values.strings("rule", "destination", "account"):
            refs = (
                _refs(resource, "bucket", ("aws_s3_bucket",))
                if resource.type.endswith("configuration")
                else ()
            )
            if resource.type.endswith("configuration") and not refs:
                continue
            steps = (f"rule destination account of {resource.address}",)
            grant = Grant(
                "",
                resource.address,
                "replication destination",
                account,
                "aws",
                account,
                ("s3:ReplicateObject",),
                (),
                (Evidence("grant", f"AWS {account}", steps),),
                own=account in self.own,
                location=resource.location,
            )
            self._add(resource, refs, grant)

    def _kms_grant(self, resource: Resource, values: Values) -> None:
        refs = _refs(resource, "key_id", ("aws_kms_key", "aws_kms_replica_key"))
        if not refs:
            return
        operations = tuple(values.strings("operations"))
        where = f"grantee_principal of {resource.address}"
        principal = values.known("grantee_principal")
        evidence = (Evidence("grant", str(principal or "(unknown)"), (where,)),)
        if not isinstance(principal, str) or values.is_unknown("grantee_principal"):
            reason = values.unknown_reason("grantee_principal") or "it is known only after apply"
            grant = Grant(
                "",
                resource.address,
                "KMS grant",
                "(unknown)",
                "unknown",
                "",
                operations,
                (),
                evidence,
                unknown=f"the principal is unknown: {reason}",
                location=resource.location,
            )
        else:
            owner = _aws_account(principal)
            kind = "service" if principal.endswith(".amazonaws.com") else "aws"
            grant = Grant(
                "",
                resource.address,
                "KMS grant",
                principal,
                kind,
                owner,
                operations,
                (),
                evidence,
                own=owner in self.own,
                location=resource.location,
            )
        self._add(resource, refs, grant)

    def _ram(self, resource: Resource, values: Values) -> None:
        """A RAM share grants its principals the resources associated with it: the
        principal association is kept by share, joined to the resources in ``grants``."""
        shares = _refs(resource, "resource_share_arn", ("aws_ram_resource_share",))
        if not shares:
            return
        if resource.type == "aws_ram_resource_association":
            targets = tuple(
                r
                for r in resource.configured.get("resource_arn", ())
                if not r.startswith(("var.", "local.", "module.", "data.", "each.", "count."))
            )
            self.shared.append((resource, shares, targets))
            return
        where = f"principal of {resource.address}"
        principal = values.known("principal")
        if not isinstance(principal, str) or values.is_unknown("principal"):
            reason = values.unknown_reason("principal") or "it is known only after apply"
            grant = Grant(
                "",
                resource.address,
                "RAM share",
                "(unknown)",
                "unknown",
                "",
                (),
                (),
                (Evidence("grant", "(unknown)", (where,)),),
                unknown=f"the principal is unknown: {reason}",
                location=resource.location,
            )
        else:
            owner = _aws_account(principal) or _organization(principal)
            grant = Grant(
                "",
                resource.address,
                "RAM share",
                principal,
                "aws",
                owner,
                (),
                (),
                (Evidence("grant", principal, (where,)),),
                own=owner in self.own,
                location=resource.location,
            )
        self.ram.append((resource, shares, grant))

    # --- Google --------------------------------------------------------------------------

    def _google_iam(self, resource: Resource, values: Values) -> None:
        kind = resource.type
        role = values.known("role")
        what = f"role {role}" if isinstance(role, str) else "role (unknown)"
        scope = GOOGLE_SCOPE_IAM.get(kind)
        refs: tuple[str, ...] = ()
        scoped = ""
        if scope is None:
            refs = _refs(resource, *GOOGLE_IAM[kind])
            if not refs:
                return
        else:
            value = values.known(scope)
            if not isinstance(value, str) or not value or values.is_unknown(scope):
                return  # a project or folder lintsov cannot name reaches nothing it can name
            scoped = value.removeprefix("projects/")
            what = f"{what} on {scope} {value}"
        attribute = "member" if kind.endswith("_member") else "members"
        where = f"{attribute} of {resource.address}"
        if values.is_unknown(attribute) or values.unknown_within(attribute):
            reason = values.unknown_reason(attribute) or "it is known only after apply"
            members: list[str | None] = [None]
        else:
            members = list(values.strings(attribute))
            reason = ""
        for member in members:
            evidence = (
                Evidence("grant", member or "(unknown)", (where, *values.origin(attribute))),
            )
            why = f"the member is unknown: {reason}"
            grant = self._google_grant(resource, what, member or "", evidence, why)
            if scoped:
                grant = replace(grant, target=f"project:{scoped}")
            self._add(resource, refs, grant)

    def _google_grant(
        self, resource: Resource, what: str, member: str, evidence: tuple[Evidence, ...], why: str
    ) -> Grant:
        """A grant to a Google member ("" when unknown, ``why`` says why)."""
        if not member:
            return Grant(
                "",
                resource.address,
                what,
                "(unknown)",
                "unknown",
                "",
                (),
                (),
                evidence,
                unknown=why,
                location=resource.location,
            )
        owner = _google_owner(member)
        kind = "public" if member in GOOGLE_PUBLIC else "google"
        if _GOOGLE_AGENT.search(member):
            kind = "service"
        return Grant(
            "",
            resource.address,
            what,
            member,
            kind,
            owner,
            (),
            (),
            evidence,
            own=owner in self.own,
            location=resource.location,
        )

    def _google_acl(self, resource: Resource, values: Values) -> None:
        """BigQuery access entries and Cloud Storage ACLs (lintsov/resolve/google_acl.py)."""
        refs: tuple[str, ...] = ()
        if resource.type in google_acl.ACL_TARGETS:
            refs = _refs(resource, *google_acl.ACL_TARGETS[resource.type])
            if not refs:
                return  # the dataset or bucket is outside the configuration
        project = self._project(resource, values)
        for entry in google_acl.read(resource.type, resource.address, values, project):
            evidence = (Evidence("grant", entry.member or "(unknown)", entry.steps),)
            grant = self._google_grant(resource, entry.what, entry.member, evidence, entry.unknown)
            self._add(resource, refs, grant)

    # --- Azure ---------------------------------------------------------------------------

    def _azure_container(self, resource: Resource, values: Values) -> None:
        access = values.known("container_access_type")
        if access not in ANONYMOUS_CONTAINER_ACCESS:
            return
        steps = (f"container_access_type {access} of {resource.address}",)
        grant = Grant(
            "",
            resource.address,
            f"anonymous {access} access",
            "anonymous",
            "public",
            "",
            ("read blobs",) if access == "blob" else ("read blobs", "list blobs"),
            (),
            (Evidence("grant", "anonymous", steps),),
            location=resource.location,
        )
        accounts = _refs(
            resource,
            "storage_account_name",
            ("azurerm_storage_account",),
        ) or _refs(resource, "storage_account_id", ("azurerm_storage_account",))
        self.pending.append(_Pending(resource, (), grant, accounts))
        if accounts:
            self.pending.append(_Pending(resource, accounts, grant, accounts))

    def _azure_keys(self, resource: Resource, values: Values) -> None:
        """Shared access policies: key and token holders cannot be named (kind unknown)."""
        refs: tuple[str, ...] = ()
        if resource.type in azure_access.KEY_RULES:
            attributes, types = azure_access.KEY_RULES[resource.type]
            refs = tuple(r for a in attributes for r in _refs(resource, a, types))
            if not refs:
                return  # the namespace, hub, queue or topic is outside the configuration
            found = azure_access.key_rule(resource.address, values)
            policies = [found] if found else []
        else:
            policies = azure_access.stored_policies(resource.address, values)
        for policy in policies:
            grant = Grant(
                "",
                resource.address,
                policy.what,
                policy.principal,
                "unknown",
                "",
                policy.actions,
                (),
                (Evidence("grant", policy.principal, (policy.step,)),),
                unknown=policy.why,
                location=resource.location,
            )
            self._add(resource, refs, grant)

    def _lighthouse(self, resource: Resource, values: Values) -> None:
        if resource.type == "azurerm_lighthouse_assignment":
            definitions = _refs(
                resource, "lighthouse_definition_id", ("azurerm_lighthouse_definition",)
            )
            groups = _refs(resource, "scope", ("azurerm_resource_group",))
            whole = azure_access.is_subscription_scope(
                resource.configured.get("scope", ()), values.known("scope")
            )
            if definitions and (groups or whole):
                self.assignments.append((resource, definitions, groups))
            return
        if resource.type != "azurerm_lighthouse_definition":
            return
        grants = self.delegated.setdefault(resource.address, [])
        for delegate in azure_access.lighthouse_definition(resource.address, values):
            shown = delegate.principal or "(unknown)"
            grant = Grant(
                "",
                resource.address,
                f"Lighthouse authorization role {delegate.role}",
                shown,
                "azure" if delegate.principal and delegate.tenant else "unknown",
                delegate.tenant,
                (),
                (),
                (Evidence("grant", shown, delegate.steps),),
                own=delegate.tenant in self.own,
                unknown=delegate.unknown,
                location=resource.location,
            )
            grants.append(grant)

    def _delegations(self, by_config: Mapping[str, list[str]]) -> Iterator[tuple[str, Grant]]:
        """Lighthouse grants with each resource their assignment's scope reaches: the
        resources that name the scope's resource group, or, for a whole subscription,
        every Azure resource under the assignment's own provider configuration."""
        for assignment, definitions, groups in self.assignments:
            reached = set(_find(by_config, assignment, groups))
            candidates = assignment.provider.candidates
            targets = sorted(
                {
                    member.address
                    for member, named in self.azure
                    if (not groups and member.provider.candidates == candidates)
                    or (groups and reached & set(_find(by_config, member, named)))
                }
                | reached
            )
            scope = ", ".join(sorted(reached)) or "the subscription"
            step = f"delegates {scope}, by {assignment.address}"
            for definition in _find(by_config, assignment, definitions):
                for grant in self.delegated.get(definition, ()):
                    steps = (*grant.evidence[0].steps, step)
                    evidence = (Evidence("grant", grant.principal, steps),)
                    for target in targets:
                        yield target, replace(grant, target=target, evidence=evidence)

    # --- joining -------------------------------------------------------------------------

    def _unknown(self, resource: Resource, refs: tuple[str, ...], where: str, why: str) -> None:
        grant = Grant(
            "",
            resource.address,
            "policy",
            "(unknown)",
            "unknown",
            "",
            (),
            (),
            (Evidence("grant", "(unknown)", (where,)),),
            unknown=why,
            location=resource.location,
        )
        self._add(resource, refs, grant)

    def _add(self, resource: Resource, refs: tuple[str, ...], grant: Grant) -> None:
        self.pending.append(_Pending(resource, refs, grant))

    def _wanted(self) -> Iterator[str]:
        """The configured addresses that grants, blocks, shares and delegations name."""
        for document in self.texts:
            yield from _keys(document.via, document.refs)
        for pending in self.pending:
            yield from _keys(pending.via, pending.refs)
            yield from _keys(pending.via, pending.gates)
        for block, refs, _, _ in self.blocks:
            yield from _keys(block, refs)
        for association, shares, _ in self.ram:
            yield from _keys(association, shares)
        for association, shares, resources in self.shared:
            yield from _keys(association, shares)
            yield from _keys(association, resources)
        for assignment, definitions, groups in self.assignments:
            yield from _keys(assignment, definitions)
            yield from _keys(assignment, groups)
        for member, groups in self.azure if self.assignments else ():
            yield from _keys(member, groups)

    def grants(
        self, addresses: Iterable[tuple[str, str]], reached: Container[str] | None = None
    ) -> tuple[Grant, ...]:
        """Every grant with the resource it reaches; a grant on a project reaches each
        resource the configuration places in that project. ``addresses`` are every
        resource's address with the same without instance keys. With ``reached``, only the
        grants that reach one of those resources (sensitive data and its keys): policy
        documents that reach none are not read."""
        if not (self.pending or self.ram or self.assignments or self.texts):
            return ()  # nothing grants anything: no need to index every resource
        # Only the resources some grant names are indexed by their configured address.
        wanted = set(self._wanted())
        by_config: dict[str, list[str]] = {}
        for address, configured in addresses:
            if configured in wanted:
                by_config.setdefault(configured, []).append(address)
        # Public S3 grants a public access block voids: bucket → (ignores ACLs, restricts
        # public policies), "" for the account's own block.
        public_blocks: dict[str, tuple[bool, bool]] = {}
        for block, refs, ignore, restrict in self.blocks:
            for bucket in _find(by_config, block, refs) if refs else ("",):
                was = public_blocks.get(bucket, (False, False))
                public_blocks[bucket] = (was[0] or ignore, was[1] or restrict)
        by_share: dict[str, list[Grant]] = {}
        for association, shares, grant in self.ram:
            for share in _find(by_config, association, shares):
                by_share.setdefault(share, []).append(grant)
        for association, shares, resources in self.shared:
            for share in _find(by_config, association, shares):
                for grant in by_share.get(share, ()):
                    steps = (*grant.evidence[0].steps, f"shares {share}, by {association.address}")
                    evidence = (Evidence("grant", grant.principal, steps),)
                    self._add(association, resources, replace(grant, evidence=evidence))
        for document in self.texts:
            targets_of = _find(by_config, document.via, document.refs) if document.refs else ()
            if reached is not None and not any(
                target in reached for target in (*targets_of, document.via.address)
            ):
                continue
            statements = self.parsed.get(document.text)
            if statements is None:
                statements = self.parsed[document.text] = parse(document.text)
            self._statements(document.via, document.refs, statements, document.steps)
        self.texts.clear()
        found: dict[tuple[str, str, str, str], Grant] = {}
        for pending in self.pending:
            grant = pending.grant
            if pending.gates and self.closed & set(_find(by_config, pending.via, pending.gates)):
                continue  # Azure refuses anonymous access to the account's containers
            if grant.target.startswith("project:"):
                targets: Iterable[str] = self.projects.get(grant.target[len("project:") :], ())
            elif pending.refs:
                targets = _find(by_config, pending.via, pending.refs)
            else:
                targets = (pending.via.address,)
            for target in targets:
                if reached is not None and target not in reached:
                    continue
                if grant.kind == "public" and _voided(grant, public_blocks, target):
                    continue
                key = (target, grant.via, grant.what, grant.principal)
                if key not in found:  # the first grant for a key stands
                    found[key] = replace(grant, target=target)
        for target, grant in self._delegations(by_config):
            if reached is not None and target not in reached:
                continue
            found.setdefault((target, grant.via, grant.what, grant.principal), grant)
        return tuple(found[key] for key in sorted(found))


def _voided(grant: Grant, public_blocks: Mapping[str, tuple[bool, bool]], bucket: str) -> bool:
    """Whether an S3 public access block voids a public grant on the bucket:
    ignore_public_acls a public ACL, restrict_public_buckets a public bucket policy.
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
    """
    own = public_blocks.get(bucket, (False, False))
    account = public_blocks.get("", (False, False))
    ignore, restrict = own[0] or account[0], own[1] or account[1]
    if grant.what.startswith("canned ACL"):
        return ignore
    return restrict and grant.via.split(".")[0] in ("aws_s3_bucket_policy", "aws_s3_bucket")


def _local(address: str) -> str:
    """``module.a["x"].data.t.n`` → ``data.t.n``."""
    at = address.find("data.")
    return strip_instance_keys(address[at:] if at >= 0 else address)


def _split_module(address: str) -> tuple[str, str, str]:
    """A resolved address into (module path, "", address inside it)."""
    parts = address.split(".")
    index = 0
    while index + 1 < len(parts) and parts[index] == "module":
        index += 2
    return ".".join(parts[:index]), "", ".".join(parts[index:])


def _refs(resource: Resource, attribute: str, types: tuple[str, ...]) -> tuple[str, ...]:
    wanted = tuple(f"{t}." for t in types)
    found = []
    for reference in resource.configured.get(attribute, ()):
        if reference.startswith(RESOLVED):
            target = reference[len(RESOLVED) :].split(" ", 1)[0]
            _, _, inside = _split_module(target)
            if inside.startswith(wanted):
                found.append(f"{RESOLVED}{target}")
        elif reference.startswith(wanted):
            found.append(reference)
    return tuple(dict.fromkeys(found))


def _find(by_config: Mapping[str, list[str]], via: Resource, refs: Iterable[str]) -> Iterator[str]:
    for key in _keys(via, refs):
        yield from by_config.get(key, ())


def _keys(via: Resource, refs: Iterable[str]) -> Iterator[str]:
    """The configured addresses that references written in ``via`` name."""
    module = ""
    for reference in refs:
        if reference.startswith(RESOLVED):
            yield strip_instance_keys(reference[len(RESOLVED) :])
            continue
        module = module or strip_instance_keys(via.module)
        kind, _, rest = reference.partition(".")
        head = f"{kind}.{rest.split('.')[0]}"
        yield f"{module}.{head}" if module else head


# A value unknown only because it comes from the caller's own identity: a folder cannot
# read the data source, but it names the account Terraform runs as.
_CALLER_IDENTITY = re.compile(r"comes from (data\.aws_caller_identity\.[\w-]+)\.account_id\b")


def _caller_identity(reason: str) -> str:
    found = _CALLER_IDENTITY.search(reason) if reason else None
    return found.group(1) if found else ""


def _aws_account(principal: str) -> str:
    if _ACCOUNT_ID.match(principal):
        return principal
    found = _ACCOUNT_IN_ARN.match(principal)
    return found.group(1) if found else ""


_ORGANIZATION = re.compile(r"^arn:[a-z-]+:organizations::\d{12}:(?:organization|ou)/(o-[a-z0-9]+)")


def _organization(principal: str) -> str:
    """The organization id of an organization or OU ARN, as RAM shares name them."""
    found = _ORGANIZATION.match(principal)
    return found.group(1) if found else ""


def _google_owner(member: str) -> str:
    """The domain or project a member belongs to: ``user:a@acme.eu`` → acme.eu,
    ``serviceAccount:x@p.iam.gserviceaccount.com`` → p, ``projectViewer:p`` → p."""
    kind, _, rest = member.partition(":")
    if kind == "domain":
        return rest
    if kind == "serviceAccount":
        found = _SERVICE_ACCOUNT.search(rest)
        return found.group(1) if found else rest.rpartition("@")[2]
    if kind in ("projectOwner", "projectEditor", "projectViewer"):
        return rest
    if "@" in rest:
        return rest.rpartition("@")[2]
    return ""
