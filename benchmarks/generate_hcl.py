"""Write a large synthetic Terraform root module, as .tf files, for benchmarking lintsov.

    python benchmarks/generate_hcl.py N OUTDIR [--seed S]

OUTDIR gets N `.tf` files in all: the root module's versions.tf, providers.tf,
variables.tf, locals.tf and outputs.tf, a terraform.tfvars, and (from N = 25 on) four local
modules under modules/ (bucket, database, compute, eu_storage), each with its own
versions.tf, variables.tf and outputs.tf. Every other file holds 8 to 12 resource blocks
(10 on average, 3 to 6 KB a file), about 90% of them in the root and the rest in the
modules, so 1,000 files hold about 10,000 resource blocks.

The resources are what a real estate is made of: aws_s3_bucket (about 10% of them tagged
data-classification = "confidential"), aws_db_instance, aws_instance, aws_iam_role with
jsonencode() policies, google_storage_bucket (location "EU" or "US"),
azurerm_storage_account ("West Europe"), hcloud_volume ("fsn1") and random_id, some with
count or for_each, some with `provider = aws.us`, tags from locals built with merge().
The first root files call each module twice, some with `providers = { aws = aws.us, ... }`.

The output is deterministic for a seed: byte-identical, whatever PYTHONHASHSEED. OUTDIR
must not exist or be empty.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT_FIXED = ("versions.tf", "providers.tf", "variables.tf", "locals.tf", "outputs.tf")
MODULE_FIXED = ("versions.tf", "variables.tf", "outputs.tf")
# Root and module fixed files, and at least one resource file per module and per call.
MIN_FILES_FOR_MODULES = 25
# Of the resource files; the rest go to the modules. Each module is called twice (some
# calls with a providers map), so the resource instances stay close to the blocks, as
# in a real repository, rather than multiplying with every call.
ROOT_SHARE = 0.9
CALLS_PER_MODULE = 2
CONFIDENTIAL_SHARE = 0.1

PROVIDERS: dict[str, tuple[str, str]] = {
    "aws": ("hashicorp/aws", ">= 5.50, < 7.0"),
    "google": ("hashicorp/google", ">= 5.30, < 7.0"),
    "azurerm": ("hashicorp/azurerm", ">= 3.110, < 5.0"),
    "hcloud": ("hetznercloud/hcloud", ">= 1.45"),
    "random": ("hashicorp/random", ">= 3.6"),
}

COMPONENTS = ("billing", "search", "identity", "ledger", "ingest", "media", "orders", "payments")
PREFIX = "var.name_prefix"
ENV = "var.environment"
PURPOSES = ("logs", "data", "backup", "assets", "exports", "archive", "uploads", "reports")
# How a module switches its tags on an input, in the bucket module.
CONDITIONAL_TAGS = (
    'var.confidential ? merge(var.tags, { "data-classification" = "confidential" }) : var.tags'
)
EBS_AMIS = ("ami-0a1b2c3d4e5f60718", "ami-0f9e8d7c6b5a49382", "ami-05c4b3a29180f7e6d")


def q(text: str) -> str:
    """An HCL string literal: JSON's escapes are HCL's; a `${...}` in it interpolates."""
    return json.dumps(text)


@dataclass
class Writer:
    """Builds one file's text with indentation, two spaces a level as `terraform fmt` does."""

    lines: list[str] = field(default_factory=list)
    depth: int = 0

    def line(self, text: str = "") -> None:
        self.lines.append(("  " * self.depth + text) if text else "")

    def open(self, header: str) -> None:
        self.line(header + " {")
        self.depth += 1

    def close(self) -> None:
        self.depth -= 1
        self.line("}")

    def attrs(self, pairs: list[tuple[str, str]]) -> None:
        """`key = value` lines aligned as `terraform fmt` aligns them."""
        for text in aligned(pairs):
            self.line(text)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def aligned(pairs: list[tuple[str, str]]) -> list[str]:
    """`key = value` lines with the equals signs of each run of one-line values aligned; a
    value spanning lines stands alone, as `terraform fmt` has it."""
    out: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(k) for k, _ in run), default=0)
        out.extend(f"{k.ljust(width)} = {v}" for k, v in run)
        run.clear()

    for key, value in pairs:
        if "\n" in value:
            flush()
            out.append(f"{key} = {value}")
        else:
            run.append((key, value))
    flush()
    return out


def hcl_map(items: list[tuple[str, str]], depth: int) -> str:
    """A multi-line object literal whose values are already HCL expressions."""
    if not items:
        return "{}"
    pad = "  " * (depth + 1)
    body = "\n".join(pad + text for text in aligned(items))
    return "{\n" + body + "\n" + "  " * depth + "}"


def hcl_value(value: Any, depth: int) -> str:
    """A Python value (from JSON-like data) as an HCL expression, for jsonencode() bodies."""
    if isinstance(value, dict):
        items = [
            (k if k.isidentifier() else q(k), hcl_value(v, depth + 1)) for k, v in value.items()
        ]
        return hcl_map(items, depth)
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value) and len(value) <= 3:
            return "[" + ", ".join(q(v) for v in value) + "]"
        pad = "  " * (depth + 1)
        inner = ",\n".join(pad + hcl_value(v, depth + 1) for v in value)
        return "[\n" + inner + ",\n" + "  " * depth + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and value.startswith(("aws_", "var.", "local.")):
        return value  # a reference (the policies below write no such literal), written bare
    return q(str(value))


# --- what goes where -------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    name: str
    providers: tuple[str, ...]
    kinds: tuple[str, ...]  # resource kinds its files draw from, weighted by repetition
    variables: tuple[tuple[str, str, str], ...]  # (name, type, default as HCL)


MODULES = (
    Module(
        "bucket",
        ("aws", "random"),
        ("s3", "s3", "s3", "s3", "iam", "iam", "random"),
        (
            ("name_prefix", "string", q("acme")),
            ("environment", "string", q("prod")),
            ("tags", "map(string)", "{}"),
            ("confidential", "bool", "false"),
        ),
    ),
    Module(
        "database",
        ("aws", "random"),
        ("db", "db", "db", "ec2", "iam", "random"),
        (
            ("name_prefix", "string", q("acme")),
            ("environment", "string", q("prod")),
            ("tags", "map(string)", "{}"),
            ("db_password", "string", "null"),
            ("instance_class", "string", q("db.t3.medium")),
        ),
    ),
    Module(
        "compute",
        ("aws", "hcloud"),
        ("ec2", "ec2", "ec2", "iam", "hcloud", "hcloud"),
        (
            ("name_prefix", "string", q("acme")),
            ("environment", "string", q("prod")),
            ("tags", "map(string)", "{}"),
            ("instance_type", "string", q("t3.medium")),
            ("hcloud_location", "string", q("fsn1")),
        ),
    ),
    Module(
        "eu_storage",
        ("google", "azurerm", "hcloud", "random"),
        ("gcs", "gcs", "gcs", "azure", "azure", "hcloud", "random"),
        (
            ("name_prefix", "string", q("acme")),
            ("environment", "string", q("prod")),
            ("labels", "map(string)", "{}"),
            ("resource_group_name", "string", q("rg-storage")),
        ),
    ),
)

ROOT_THEMES: dict[str, tuple[str, ...]] = {
    "storage": ("s3", "s3", "s3", "s3", "gcs", "gcs", "azure", "hcloud", "iam", "random"),
    "database": ("db", "db", "db", "s3", "s3", "iam", "ec2", "random", "gcs", "azure"),
    "compute": ("ec2", "ec2", "ec2", "ec2", "iam", "iam", "s3", "hcloud", "hcloud", "random"),
    "platform": ("s3", "s3", "db", "ec2", "iam", "gcs", "azure", "hcloud", "random", "random"),
}


@dataclass
class Context:
    """What the resource writers need to know about the file and folder they write into."""

    rng: random.Random
    file_no: int
    module: Module | None  # None: the root module
    tags: str  # HCL expression for the common tags of this file
    plain_bucket: str | None = None  # a bucket resource name in this file, for IAM policies
    first_plain: str | None = None  # an address without count/for_each, for outputs

    @property
    def in_root(self) -> bool:
        return self.module is None

    def name(self, kind: str, n: int) -> str:
        return f"{kind}_{self.file_no:04d}_{n}"


def meta(ctx: Context, w: Writer, for_each: bool = True, aws: bool = True) -> str:
    """Maybe count or for_each, maybe `provider = aws.us` (root AWS resources only), then a
    blank line; returns the name suffix that keeps instances apart."""
    pairs: list[tuple[str, str]] = []
    suffix = ""
    roll = ctx.rng.random()
    if roll < 0.12:
        if ctx.in_root and ctx.rng.random() < 0.5:
            pairs.append(("count", "var.replica_count"))
        else:
            pairs.append(("count", str(ctx.rng.choice((2, 3)))))
        suffix = "-${count.index}"
    elif roll < 0.22 and for_each:
        keys = ctx.rng.sample(("raw", "curated", "archive", "staging", "public", "internal"), 3)
        pairs.append(("for_each", "toset([" + ", ".join(q(k) for k in keys) + "])"))
        suffix = "-${each.key}"
    if aws and ctx.in_root and ctx.rng.random() < 0.15:
        pairs.append(("provider", "aws.us"))
    if pairs:
        w.attrs(pairs)
        w.line()
    return suffix


def tags_expr(ctx: Context, name: str, confidential: bool) -> str:
    extra = [("Name", name)]
    if confidential and ctx.in_root and ctx.rng.random() < 0.5:
        return "merge(local.confidential_tags, " + hcl_map(extra, 1) + ")"
    if confidential:
        extra.append(("data-classification", q("confidential")))
    if ctx.rng.random() < 0.2:
        # A literal map now and then, as people write them.
        base = [("environment", ENV), ("owner", q("platform-team"))]
        return hcl_map(base + extra, 1)
    return f"merge({ctx.tags}, " + hcl_map(extra, 1) + ")"


def write_s3(ctx: Context, w: Writer, n: int) -> None:
    name = ctx.name("s3", n)
    w.open(f'resource "aws_s3_bucket" {q(name)}')
    suffix = meta(ctx, w)
    purpose = ctx.rng.choice(PURPOSES)
    bucket = q(f"${{{PREFIX}}}-{purpose}-{ctx.file_no:04d}-{n}{suffix}")
    confidential = ctx.rng.random() < CONFIDENTIAL_SHARE
    pairs = [("bucket", bucket), ("force_destroy", "false")]
    if ctx.rng.random() < 0.5:
        pairs.append(("object_lock_enabled", ctx.rng.choice(("true", "false"))))
    if not confidential and ctx.module is not None and ctx.module.name == "bucket":
        pairs.append(("tags", CONDITIONAL_TAGS))
    else:
        pairs.append(("tags", tags_expr(ctx, q(f"{purpose}-{ctx.file_no}-{n}"), confidential)))
    w.attrs(pairs)
    w.line()
    w.open("lifecycle")
    w.attrs([("prevent_destroy", "false"), ("ignore_changes", '[tags["LastScanned"]]')])
    w.close()
    w.close()
    if not suffix and ctx.plain_bucket is None:
        ctx.plain_bucket = name
    if not suffix and ctx.first_plain is None:
        ctx.first_plain = f"aws_s3_bucket.{name}.id"


def write_db(ctx: Context, w: Writer, n: int) -> None:
    name = ctx.name("db", n)
    w.open(f'resource "aws_db_instance" {q(name)}')
    suffix = meta(ctx, w, for_each=False)
    engine, version, port = ctx.rng.choice(
        (("postgres", "16.3", 5432), ("mysql", "8.0.36", 3306), ("mariadb", "10.11.8", 3306))
    )
    cls = (
        "var.instance_class"
        if ctx.module is not None
        else q(ctx.rng.choice(("db.t3.medium", "db.m6g.large", "db.r6g.xlarge")))
    )
    password = "var.db_password"
    storage = ctx.rng.choice((20, 50, 100, 250))
    w.attrs(
        [
            ("identifier", q(f"${{{PREFIX}}}-{engine}-{ctx.file_no:04d}-{n}{suffix}")),
            ("engine", q(engine)),
            ("engine_version", q(version)),
            ("instance_class", cls),
            ("allocated_storage", str(storage)),
            ("storage_type", q("gp3")),
            ("storage_encrypted", "true"),
            ("port", str(port)),
            ("db_name", q(f"app{n}")),
            ("username", q("app_admin")),
            ("password", password),
            ("multi_az", ctx.rng.choice(("true", "false"))),
            ("backup_retention_period", str(ctx.rng.choice((7, 14, 35)))),
            ("deletion_protection", "true"),
            ("skip_final_snapshot", "true"),
        ]
    )
    confidential = ctx.rng.random() < CONFIDENTIAL_SHARE * 2
    w.attrs([("tags", tags_expr(ctx, q(f"{engine}-{ctx.file_no}-{n}"), confidential))])
    w.close()
    if not suffix and ctx.first_plain is None:
        ctx.first_plain = f"aws_db_instance.{name}.id"


def write_ec2(ctx: Context, w: Writer, n: int) -> None:
    name = ctx.name("ec2", n)
    w.open(f'resource "aws_instance" {q(name)}')
    suffix = meta(ctx, w)
    itype = (
        "var.instance_type" if ctx.module is None or ctx.module.name == "compute" else q("t3.small")
    )
    w.attrs(
        [
            ("ami", q(ctx.rng.choice(EBS_AMIS))),
            ("instance_type", itype),
            ("monitoring", "true"),
            ("associate_public_ip_address", "false"),
        ]
    )
    w.line()
    w.open("root_block_device")
    w.attrs(
        [
            ("volume_size", str(ctx.rng.choice((20, 40, 80)))),
            ("volume_type", q("gp3")),
            ("encrypted", "true"),
        ]
    )
    w.close()
    w.line()
    w.open("metadata_options")
    w.attrs(
        [
            ("http_endpoint", q("enabled")),
            ("http_tokens", q("required")),
            ("http_put_response_hop_limit", "1"),
        ]
    )
    w.close()
    w.line()
    tag_name = q(f"${{{PREFIX}}}-{ctx.rng.choice(COMPONENTS)}-{n}{suffix}")
    w.attrs([("tags", tags_expr(ctx, tag_name, False))])
    w.close()
    if not suffix and ctx.first_plain is None:
        ctx.first_plain = f"aws_instance.{name}.id"


def write_iam(ctx: Context, w: Writer, n: int) -> None:
    name = ctx.name("iam", n)
    w.open(f'resource "aws_iam_role" {q(name)}')
    suffix = meta(ctx, w, for_each=False)
    service = ctx.rng.choice(
        ("ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com")
    )
    assume = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
        ],
    }
    if ctx.plain_bucket is not None:
        arn = f"aws_s3_bucket.{ctx.plain_bucket}.arn"
        resources: Any = [arn, f"${{{arn}}}/*"]
    else:
        purpose = ctx.rng.choice(PURPOSES)
        resources = [f"arn:aws:s3:::acme-{purpose}-*", f"arn:aws:s3:::acme-{purpose}-*/*"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadWrite",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                "Resource": resources,
            },
            {
                "Sid": "Logs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": "*",
            },
        ],
    }
    w.attrs(
        [
            (
                "name",
                q(f"${{{PREFIX}}}-{ctx.rng.choice(COMPONENTS)}-{ctx.file_no}-{n}{suffix}"),
            ),
            ("path", q("/service/")),
            ("max_session_duration", "3600"),
        ]
    )
    w.attrs([("assume_role_policy", "jsonencode(" + hcl_value(assume, 1) + ")")])
    if ctx.rng.random() < 0.5:
        w.line()
        w.open("inline_policy")
        w.attrs([("name", q("access")), ("policy", "jsonencode(" + hcl_value(policy, 2) + ")")])
        w.close()
    w.line()
    w.attrs([("tags", tags_expr(ctx, q(f"role-{ctx.file_no}-{n}"), False))])
    w.close()


def write_gcs(ctx: Context, w: Writer, n: int) -> None:
    name = ctx.name("gcs", n)
    w.open(f'resource "google_storage_bucket" {q(name)}')
    suffix = meta(ctx, w, aws=False)
    location = "EU" if ctx.module is not None else ctx.rng.choice(("EU", "EU", "EU", "US"))
    purpose = ctx.rng.choice(PURPOSES)
    w.attrs(
        [
            ("name", q(f"${{{PREFIX}}}-{purpose}-{ctx.file_no:04d}-{n}{suffix}")),
            ("location", q(location)),
            ("storage_class", q("STANDARD")),
            ("uniform_bucket_level_access", "true"),
            ("public_access_prevention", q("enforced")),
        ]
    )
    w.line()
    w.open("versioning")
    w.attrs([("enabled", "true")])
    w.close()
    w.line()
    w.open("lifecycle_rule")
    w.open("condition")
    w.attrs([("age", str(ctx.rng.choice((30, 90, 365))))])
    w.close()
    w.open("action")
    w.attrs([("type", q("SetStorageClass")), ("storage_class", q("COLDLINE"))])
    w.close()
    w.close()
    w.line()
    labels = [("environment", ENV), ("component", q(ctx.rng.choice(COMPONENTS)))]
    if ctx.rng.random() < CONFIDENTIAL_SHARE:
        labels.append(("data-classification", q("confidential")))
    base = "var.labels" if ctx.module is not None else "local.labels"
    w.attrs([("labels", f"merge({base}, " + hcl_map(labels, 1) + ")")])
    w.close()
    if not suffix and ctx.first_plain is None:
        ctx.first_plain = f"google_storage_bucket.{name}.id"


def write_azure(ctx: Context, w: Writer, n: int) -> None:
    name = ctx.name("azure", n)
    w.open(f'resource "azurerm_storage_account" {q(name)}')
    rg = "var.resource_group_name" if ctx.module is not None else q(f"rg-{ctx.file_no:04d}")
    w.attrs(
        [
            ("name", q(f"acmest{ctx.file_no:04d}{n}{ctx.rng.randrange(10**6):06d}")),
            ("resource_group_name", rg),
            ("location", q("West Europe")),
            ("account_tier", q("Standard")),
            ("account_replication_type", q(ctx.rng.choice(("GRS", "ZRS", "LRS")))),
            ("min_tls_version", q("TLS1_2")),
            ("https_traffic_only_enabled", "true"),
        ]
    )
    w.line()
    w.open("blob_properties")
    w.open("delete_retention_policy")
    w.attrs([("days", str(ctx.rng.choice((7, 14, 30))))])
    w.close()
    w.close()
    w.line()
    confidential = ctx.rng.random() < CONFIDENTIAL_SHARE
    if ctx.module is not None:
        extra = [("Name", q(f"st-{ctx.file_no}-{n}"))]
        if confidential:
            extra.append(("data-classification", q("confidential")))
        w.attrs([("tags", "merge(var.labels, " + hcl_map(extra, 1) + ")")])
    else:
        w.attrs([("tags", tags_expr(ctx, q(f"st-{ctx.file_no}-{n}"), confidential))])
    w.close()


def write_hcloud(ctx: Context, w: Writer, n: int) -> None:
    name = ctx.name("hcloud", n)
    w.open(f'resource "hcloud_volume" {q(name)}')
    suffix = meta(ctx, w, for_each=False, aws=False)
    location = (
        "var.hcloud_location"
        if ctx.module is not None and ctx.module.name == "compute"
        else q("fsn1")
    )
    w.attrs(
        [
            ("name", q(f"${{{PREFIX}}}-vol-{ctx.file_no:04d}-{n}{suffix}")),
            ("size", str(ctx.rng.choice((10, 50, 100, 500)))),
            ("location", location),
            ("format", q("ext4")),
            ("delete_protection", "true"),
        ]
    )
    w.attrs(
        [
            (
                "labels",
                hcl_map([("environment", ENV), ("component", q(ctx.rng.choice(COMPONENTS)))], 1),
            )
        ]
    )
    w.close()


def write_random(ctx: Context, w: Writer, n: int) -> None:
    name = ctx.name("suffix", n)
    w.open(f'resource "random_id" {q(name)}')
    w.attrs([("byte_length", str(ctx.rng.choice((4, 6, 8))))])
    w.line()
    w.attrs([("keepers", hcl_map([("environment", ENV), ("file", q(str(ctx.file_no)))], 1))])
    w.close()


WRITERS: dict[str, Callable[[Context, Writer, int], None]] = {
    "s3": write_s3,
    "db": write_db,
    "ec2": write_ec2,
    "iam": write_iam,
    "gcs": write_gcs,
    "azure": write_azure,
    "hcloud": write_hcloud,
    "random": write_random,
}


# --- files -----------------------------------------------------------------------------


def versions_tf(providers: tuple[str, ...], root: bool) -> str:
    w = Writer()
    w.open("terraform")
    if root:
        w.attrs([("required_version", q(">= 1.6.0"))])
        w.line()
    w.open("required_providers")
    for p in providers:
        source, version = PROVIDERS[p]
        w.open(f"{p} =")
        w.attrs([("source", q(source)), ("version", q(version))])
        w.close()
    w.close()
    w.close()
    return w.text()


def providers_tf() -> str:
    w = Writer()
    w.open('provider "aws"')
    w.attrs([("region", "var.region")])
    w.line()
    w.open("default_tags")
    w.attrs([("tags", "local.common_tags")])
    w.close()
    w.close()
    w.line()
    w.open('provider "aws"')
    w.attrs([("alias", q("us")), ("region", q("us-east-1"))])
    w.close()
    w.line()
    w.open('provider "google"')
    w.attrs([("project", "var.gcp_project"), ("region", q("europe-west3"))])
    w.close()
    w.line()
    w.open('provider "azurerm"')
    w.attrs([("subscription_id", "var.azure_subscription_id")])
    w.line("features {}")
    w.close()
    w.line()
    w.open('provider "hcloud"')
    w.attrs([("token", "var.hcloud_token")])
    w.close()
    w.line()
    w.line('provider "random" {}')
    return w.text()


ROOT_VARIABLES: tuple[tuple[str, str, str, bool], ...] = (
    ("region", "string", q("eu-central-1"), False),
    ("environment", "string", q("prod"), False),
    ("name_prefix", "string", q("acme"), False),
    ("gcp_project", "string", q("acme-prod-123456"), False),
    ("azure_subscription_id", "string", q("00000000-0000-0000-0000-000000000000"), False),
    ("hcloud_token", "string", q(""), True),
    ("db_password", "string", q("change-me-in-tfvars"), True),
    ("instance_type", "string", q("t3.medium"), False),
    ("replica_count", "number", "2", False),
    ("common_tags", "map(string)", hcl_map([("cost-center", q("cc-1234"))], 1), False),
)


def variables_tf(variables: list[tuple[str, str, str, bool]]) -> str:
    w = Writer()
    for i, (name, typ, default, sensitive) in enumerate(variables):
        if i:
            w.line()
        w.open(f"variable {q(name)}")
        description = q(name.replace("_", " ").capitalize() + ".")
        pairs = [("description", description), ("type", typ), ("default", default)]
        w.attrs(pairs + ([("sensitive", "true")] if sensitive else []))
        w.close()
    return w.text()


def root_locals_tf() -> str:
    w = Writer()
    w.open("locals")
    base = hcl_map(
        [
            ("environment", "var.environment"),
            ("managed-by", q("terraform")),
            ("repository", q("github.com/acme/infrastructure")),
        ],
        1,
    )
    w.attrs([("common_tags", "merge(var.common_tags, " + base + ")")])
    w.attrs(
        [
            (
                "labels",
                hcl_map([("environment", "var.environment"), ("managed-by", q("terraform"))], 1),
            )
        ]
    )
    confidential = hcl_map([("data-classification", q("confidential"))], 1)
    w.attrs([("confidential_tags", "merge(local.common_tags, " + confidential + ")")])
    w.close()
    return w.text()


def tfvars() -> str:
    w = Writer()
    w.attrs(
        [
            ("region", q("eu-central-1")),
            ("environment", q("prod")),
            ("name_prefix", q("acme")),
            ("gcp_project", q("acme-prod-123456")),
            ("instance_type", q("m6i.large")),
            ("replica_count", "2"),
        ]
    )
    w.attrs(
        [
            (
                "common_tags",
                hcl_map([("cost-center", q("cc-1234")), ("owner", q("platform-team"))], 0),
            )
        ]
    )
    return w.text()


def outputs_tf(values: list[tuple[str, str]]) -> str:
    w = Writer()
    for i, (name, value) in enumerate(values):
        if i:
            w.line()
        w.open(f"output {q(name)}")
        w.attrs([("value", value)])
        w.close()
    return w.text()


def module_call(ctx: Context, w: Writer, module: Module, n: int) -> None:
    w.open(f"module {q(f'{module.name}_{ctx.file_no:04d}_{n}')}")
    pairs = [("source", q(f"./modules/{module.name}"))]
    roll = ctx.rng.random()
    if roll < 0.15:
        pairs.append(("count", "var.replica_count"))
    elif roll < 0.25:
        pairs.append(("for_each", 'toset(["blue", "green"])'))
    w.attrs(pairs)
    if "aws" in module.providers and ctx.rng.random() < 0.4:
        w.line()
        # A providers map replaces all inheritance, so it names every provider the module needs.
        mapping = [(p, "aws.us" if p == "aws" else p) for p in module.providers]
        w.attrs([("providers", hcl_map(mapping, 1))])
    w.line()
    args: list[tuple[str, str]] = []
    for var, _, _ in module.variables:
        if var in ("name_prefix", "environment", "db_password", "instance_type"):
            args.append((var, f"var.{var}"))
        elif var == "tags":
            args.append((var, ctx.tags))
        elif var == "labels":
            args.append((var, "local.labels"))
        elif var == "confidential":
            args.append((var, "true" if ctx.rng.random() < 0.2 else "false"))
        elif var == "resource_group_name":
            args.append((var, q(f"rg-storage-{ctx.file_no:04d}")))
    w.attrs(args)
    w.close()


def resource_file(ctx: Context, kinds: tuple[str, ...], modules_to_call: list[Module]) -> str:
    w = Writer()
    component = ctx.rng.choice(COMPONENTS)
    if ctx.in_root:
        # Per-file tags, as teams write them: the common tags plus their own.
        extra = [("component", q(component)), ("team", q(f"team-{ctx.file_no % 17}"))]
        w.open("locals")
        w.attrs(
            [
                (
                    ctx.tags.removeprefix("local."),
                    "merge(local.common_tags, " + hcl_map(extra, 1) + ")",
                )
            ]
        )
        w.close()
        w.line()
    count = ctx.rng.randint(8, 12)
    for n in range(count):
        WRITERS[ctx.rng.choice(kinds)](ctx, w, n)
        w.line()
    for i, module in enumerate(modules_to_call):
        module_call(ctx, w, module, i)
        w.line()
    while w.lines and not w.lines[-1]:
        w.lines.pop()
    return w.text()


@dataclass
class Plan:
    """Which resource file goes to which folder, and which root files call which modules."""

    root_files: int
    module_files: list[int]  # per module in MODULES (or empty without modules)


def layout(n_files: int) -> Plan:
    if n_files < len(ROOT_FIXED) + 1:
        raise ValueError(f"N must be at least {len(ROOT_FIXED) + 1}")
    if n_files < MIN_FILES_FOR_MODULES:
        return Plan(n_files - len(ROOT_FIXED), [])
    resource_files = n_files - len(ROOT_FIXED) - len(MODULES) * len(MODULE_FIXED)
    # At least one root file per module, to call it from, and one file in each module.
    root = min(max(len(MODULES), round(resource_files * ROOT_SHARE)), resource_files - len(MODULES))
    rest = resource_files - root
    per_module = [
        rest // len(MODULES) + (1 if i < rest % len(MODULES) else 0) for i in range(len(MODULES))
    ]
    return Plan(root, per_module)


def generate(n_files: int, outdir: Path, seed: int) -> tuple[int, int]:
    """Write the module; returns (.tf files, resource blocks)."""
    plan = layout(n_files)
    rng = random.Random(seed)
    files: dict[Path, str] = {}
    blocks = 0
    file_no = 0

    root_outputs: list[tuple[str, str]] = []
    themes = sorted(ROOT_THEMES)
    for i in range(plan.root_files):
        file_no += 1
        theme = rng.choice(themes)
        ctx = Context(
            random.Random(rng.getrandbits(64)), file_no, None, f"local.tags_{file_no:04d}"
        )
        calls = []
        if plan.module_files and i < len(MODULES) * CALLS_PER_MODULE:
            calls.append(MODULES[i % len(MODULES)])
        files[outdir / f"{theme}_{file_no:04d}.tf"] = resource_file(ctx, ROOT_THEMES[theme], calls)
        if ctx.first_plain is not None and len(root_outputs) < 20:
            root_outputs.append((f"id_{file_no:04d}", ctx.first_plain))

    for module, count in zip(MODULES[: len(plan.module_files)], plan.module_files, strict=True):
        folder = outdir / "modules" / module.name
        outputs: list[tuple[str, str]] = [("name_prefix", "var.name_prefix")]
        for _ in range(count):
            file_no += 1
            ctx = Context(random.Random(rng.getrandbits(64)), file_no, module, "var.tags")
            if module.name == "eu_storage":
                ctx.tags = "var.labels"
            files[folder / f"{module.name}_{file_no:04d}.tf"] = resource_file(ctx, module.kinds, [])
            if ctx.first_plain is not None and len(outputs) < 10:
                outputs.append((f"id_{file_no:04d}", ctx.first_plain))
        files[folder / "versions.tf"] = versions_tf(module.providers, root=False)
        files[folder / "variables.tf"] = variables_tf(
            [(name, typ, default, name == "db_password") for name, typ, default in module.variables]
        )
        files[folder / "outputs.tf"] = outputs_tf(outputs)

    files[outdir / "versions.tf"] = versions_tf(tuple(PROVIDERS), root=True)
    files[outdir / "providers.tf"] = providers_tf()
    files[outdir / "variables.tf"] = variables_tf(list(ROOT_VARIABLES))
    files[outdir / "locals.tf"] = root_locals_tf()
    files[outdir / "outputs.tf"] = outputs_tf(root_outputs or [("region", "var.region")])
    files[outdir / "terraform.tfvars"] = tfvars()

    for path in sorted(files):
        path.parent.mkdir(parents=True, exist_ok=True)
        text = files[path]
        path.write_text(text, encoding="utf-8", newline="\n")
        blocks += sum(1 for line in text.splitlines() if line.startswith("resource "))
    tf_files = sum(1 for p in files if p.suffix == ".tf")
    return tf_files, blocks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=int, help="number of .tf files to write")
    parser.add_argument("outdir", type=Path, help="folder to write the root module into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    if args.outdir.exists() and any(args.outdir.iterdir()):
        parser.error(f"{args.outdir} exists and is not empty")
    try:
        tf_files, blocks = generate(args.files, args.outdir, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    size = sum(p.stat().st_size for p in args.outdir.rglob("*.tf"))
    print(
        f"wrote {tf_files:,} .tf files, {blocks:,} resource blocks, {size / 1e6:.1f} MB "
        f"to {args.outdir}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
