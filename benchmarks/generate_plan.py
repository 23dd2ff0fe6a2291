"""Write a large synthetic `terraform show -json` plan for benchmarking lintsov.

    python benchmarks/generate_plan.py N OUT.json [--seed S]

The plan holds N managed resource instances spread over the root module and about N/200
module calls (some nested two deep, some with count or for_each), several providers and
aliases (aws, aws.us, aws.eu, a module-local module.m3:aws, google, google.us, azurerm,
hcloud, random, null) and roughly 3 KB of JSON per resource, as real plans of big estates
carry. It is internally consistent: every resource change that is not a plain delete is in
planned_values, every resource that already exists is in prior_state, every provider key a
resource names is in configuration.provider_config.

The document is written piece by piece: only a small layout (addresses, actions, seeds) is
kept in memory and each resource's attributes are regenerated from its own seed whenever a
section needs them, so memory stays flat however large N is.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

FORMAT_VERSION = "1.2"
TERRAFORM_VERSION = "1.9.8"
# Fixed, so that two runs with the same seed are byte-identical.
TIMESTAMP = "2025-01-01T00:00:00Z"
VARIABLES = {"region": "eu-central-1", "environment": "prod", "name_prefix": "acme"}
# Declared sensitive; a plan still carries its value under "variables".
DB_PASSWORD = "not-a-real-password-0000"

Json = Any
Values = dict[str, Json]


def dumps(value: Json) -> str:
    # Terraform writes compact JSON; matching that keeps file sizes honest.
    return json.dumps(value, separators=(",", ":"))


def jsonencode(value: Json) -> str:
    """A JSON document inside a string attribute, as HCL's jsonencode() writes it."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def sort_maps(value: Json) -> Json:
    """Order object keys as Terraform does for attribute values (structs keep their order)."""
    if isinstance(value, dict):
        return {k: sort_maps(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sort_maps(v) for v in value]
    return value


# --- providers -------------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    """One entry of configuration.provider_config, and what its resources inherit from it."""

    key: str
    name: str
    full_name: str
    version_constraint: str
    alias: str | None = None
    module_address: str | None = None
    region: str | None = None
    region_expression: Json = None
    default_tags: dict[str, str] = field(default_factory=dict)
    extra_expressions: dict[str, Json] = field(default_factory=dict)


def _registry(namespace: str, name: str) -> str:
    return f"registry.terraform.io/{namespace}/{name}"


LOCAL_PROVIDER_MODULE = "m3"

PROVIDERS: dict[str, Provider] = {
    p.key: p
    for p in (
        Provider(
            "aws",
            "aws",
            _registry("hashicorp", "aws"),
            "~> 6.0",
            region=VARIABLES["region"],
            region_expression={"references": ["var.region"]},
            default_tags={"managed-by": "terraform", "cost-center": "cc-4711"},
        ),
        Provider(
            "aws.us",
            "aws",
            _registry("hashicorp", "aws"),
            "~> 6.0",
            alias="us",
            region="us-east-1",
            region_expression={"constant_value": "us-east-1"},
        ),
        Provider(
            "aws.eu",
            "aws",
            _registry("hashicorp", "aws"),
            "~> 6.0",
            alias="eu",
            region="eu-west-1",
            region_expression={"constant_value": "eu-west-1"},
            default_tags={"team": "data-platform"},
        ),
        # A provider block inside a module: resources there name a module-qualified key.
        Provider(
            f"module.{LOCAL_PROVIDER_MODULE}:aws",
            "aws",
            _registry("hashicorp", "aws"),
            "~> 6.0",
            module_address=f"module.{LOCAL_PROVIDER_MODULE}",
            region="eu-north-1",
            region_expression={"constant_value": "eu-north-1"},
            default_tags={"data-classification": "confidential"},
        ),
        Provider(
            "google",
            "google",
            _registry("hashicorp", "google"),
            "~> 6.0",
            region="europe-west3",
            region_expression={"constant_value": "europe-west3"},
            extra_expressions={"project": {"constant_value": "acme-prod-4711"}},
        ),
        Provider(
            "google.us",
            "google",
            _registry("hashicorp", "google"),
            "~> 6.0",
            alias="us",
            region="us-central1",
            region_expression={"constant_value": "us-central1"},
            extra_expressions={"project": {"constant_value": "acme-prod-4711"}},
        ),
        Provider(
            "azurerm",
            "azurerm",
            _registry("hashicorp", "azurerm"),
            "~> 4.0",
            extra_expressions={
                "features": [{}],
                "subscription_id": {"constant_value": "00000000-0000-4000-8000-000000004711"},
            },
        ),
        Provider("hcloud", "hcloud", _registry("hetznercloud", "hcloud"), "~> 1.49"),
        Provider("random", "random", _registry("hashicorp", "random"), "~> 3.6"),
        Provider("null", "null", _registry("hashicorp", "null"), "~> 3.2"),
    )
}


def provider_config_entry(p: Provider) -> Json:
    entry: dict[str, Json] = {"name": p.name, "full_name": p.full_name}
    if p.alias:
        entry["alias"] = p.alias
    entry["version_constraint"] = p.version_constraint
    if p.module_address:
        entry["module_address"] = p.module_address
    expressions: dict[str, Json] = dict(p.extra_expressions)
    if p.region_expression is not None:
        expressions["region"] = p.region_expression
    if p.default_tags:
        expressions["default_tags"] = [{"tags": {"constant_value": p.default_tags}}]
    if expressions:
        entry["expressions"] = sort_maps(expressions)
    return entry


# --- attribute builders ----------------------------------------------------------------


class Ctx(NamedTuple):
    """What a resource's attributes depend on besides its own random stream."""

    name: str  # a name unique within the plan, usable in cloud-side names
    region: str | None  # effective region from the provider (aws, google)
    explicit_region: str | None  # AWS v6 per-resource region override, if set
    default_tags: dict[str, str]
    confidential: bool  # carries data-classification=confidential itself
    account: str


class Built(NamedTuple):
    values: Values
    computed: tuple[str, ...]  # unknown until apply on create
    sensitive: tuple[str, ...]


LOREM = "Managed by Terraform for the acme platform team; see the infra repository."


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _user_tags(rng: random.Random, ctx: Ctx) -> dict[str, str]:
    tags = {
        "Name": ctx.name,
        "environment": VARIABLES["environment"],
        "service": rng.choice(["billing", "search", "identity", "reporting", "ingest"]),
        "owner": rng.choice(["team-a@acme.example", "team-b@acme.example"]),
    }
    if ctx.confidential:
        tags["data-classification"] = "confidential"
    return tags


def _aws_tagging(rng: random.Random, ctx: Ctx) -> Values:
    tags = _user_tags(rng, ctx)
    return {"tags": tags, "tags_all": {**ctx.default_tags, **tags}}


def _aws_region(ctx: Ctx) -> str:
    return ctx.explicit_region or ctx.region or VARIABLES["region"]


def _aws_common(ctx: Ctx) -> Values:
    # AWS provider v6 puts the effective region on each resource; only some do here, so
    # that lintsov's fallback to the provider configuration is exercised as well.
    return {"region": ctx.explicit_region} if ctx.explicit_region else {}


def _arn(ctx: Ctx, service: str, resource: str) -> str:
    return f"arn:aws:{service}:{_aws_region(ctx)}:{ctx.account}:{resource}"


def _kms(rng: random.Random, ctx: Ctx) -> str:
    return _arn(ctx, "kms", f"key/{_hex(rng, 12)}")


def _policy(ctx: Ctx, resource_arn: str, actions: list[str]) -> str:
    # IAM policies travel as JSON strings inside the plan; they are a big share of its bulk.
    return jsonencode(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AllowAccountRoot",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ctx.account}:root"},
                    "Action": actions,
                    "Resource": resource_arn,
                }
            ],
        }
    )


def build_s3_bucket(rng: random.Random, ctx: Ctx) -> Built:
    arn = f"arn:aws:s3:::{ctx.name}"
    values = {
        **_aws_common(ctx),
        **_aws_tagging(rng, ctx),
        "bucket": ctx.name,
        "bucket_prefix": None,
        "force_destroy": False,
        "object_lock_enabled": rng.random() < 0.1,
        "acceleration_status": "",
        "arn": arn,
        "bucket_domain_name": f"{ctx.name}.s3.amazonaws.com",
        "bucket_regional_domain_name": f"{ctx.name}.s3.{_aws_region(ctx)}.amazonaws.com",
        "hosted_zone_id": "Z21DNDUVLTQW6Q",
        "id": ctx.name,
        "request_payer": "BucketOwner",
        "policy": _policy(ctx, arn, ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]),
        "grant": [
            {
                "id": _hex(rng, 16),
                "permissions": ["FULL_CONTROL"],
                "type": "CanonicalUser",
                "uri": "",
            }
        ],
        "lifecycle_rule": [],
        "logging": [],
        "replication_configuration": [],
        "cors_rule": [],
        "website": [],
        "object_lock_configuration": [],
        "server_side_encryption_configuration": [
            {
                "rule": [
                    {
                        "apply_server_side_encryption_by_default": [
                            {"kms_master_key_id": _kms(rng, ctx), "sse_algorithm": "aws:kms"}
                        ],
                        "bucket_key_enabled": True,
                    }
                ]
            }
        ],
        "versioning": [{"enabled": True, "mfa_delete": False}],
        "timeouts": None,
    }
    computed = (
        "arn",
        "bucket_domain_name",
        "bucket_regional_domain_name",
        "hosted_zone_id",
        "id",
        "request_payer",
        "acceleration_status",
        "grant",
    )
    return Built(values, computed, ())


def build_db_instance(rng: random.Random, ctx: Ctx) -> Built:
    engine = rng.choice(["postgres", "mysql", "mariadb"])
    values = {
        **_aws_common(ctx),
        **_aws_tagging(rng, ctx),
        "identifier": ctx.name,
        "engine": engine,
        "engine_version": rng.choice(["16.4", "15.8", "8.0.39"]),
        "instance_class": rng.choice(["db.t4g.medium", "db.r6g.large", "db.m7g.xlarge"]),
        "allocated_storage": rng.choice([20, 100, 500]),
        "max_allocated_storage": 1000,
        "storage_type": "gp3",
        "storage_encrypted": True,
        "multi_az": rng.random() < 0.5,
        "username": "app_admin",
        "password": f"pw-{_hex(rng, 24)}",
        "port": 5432,
        "backup_retention_period": 14,
        "backup_window": "02:00-03:00",
        "maintenance_window": "sun:03:30-sun:04:30",
        "deletion_protection": True,
        "skip_final_snapshot": False,
        "final_snapshot_identifier": f"{ctx.name}-final",
        "publicly_accessible": False,
        "copy_tags_to_snapshot": True,
        "performance_insights_enabled": True,
        "performance_insights_retention_period": 7,
        "db_subnet_group_name": f"{ctx.name}-subnets",
        "parameter_group_name": f"default.{engine}16",
        "vpc_security_group_ids": [f"sg-{_hex(rng, 17)}", f"sg-{_hex(rng, 17)}"],
        "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"],
        "kms_key_id": _kms(rng, ctx),
        "arn": _arn(ctx, "rds", f"db:{ctx.name}"),
        "id": f"db-{_hex(rng, 26).upper()}",
        "endpoint": f"{ctx.name}.{_aws_region(ctx)}.rds.amazonaws.com:5432",
        "address": f"{ctx.name}.{_aws_region(ctx)}.rds.amazonaws.com",
        "availability_zone": f"{_aws_region(ctx)}a",
        "resource_id": f"db-{_hex(rng, 26)}",
        "blue_green_update": [],
        "restore_to_point_in_time": [],
        "s3_import": [],
        "timeouts": None,
    }
    computed = ("arn", "id", "endpoint", "address", "availability_zone", "resource_id")
    return Built(values, computed, ("password",))


def build_instance(rng: random.Random, ctx: Ctx) -> Built:
    values = {
        **_aws_common(ctx),
        **_aws_tagging(rng, ctx),
        "ami": f"ami-{_hex(rng, 17)}",
        "instance_type": rng.choice(["t3.micro", "m7i.large", "c7g.xlarge"]),
        "subnet_id": f"subnet-{_hex(rng, 17)}",
        "key_name": "deploy",
        "associate_public_ip_address": False,
        "monitoring": True,
        "ebs_optimized": True,
        "iam_instance_profile": f"{ctx.name}-profile",
        "disable_api_termination": False,
        "user_data": None,
        "user_data_base64": None,
        "source_dest_check": True,
        "vpc_security_group_ids": [f"sg-{_hex(rng, 17)}"],
        "get_password_data": False,
        "metadata_options": [
            {
                "http_endpoint": "enabled",
                "http_put_response_hop_limit": 1,
                "http_tokens": "required",
                "instance_metadata_tags": "disabled",
            }
        ],
        "root_block_device": [
            {
                "delete_on_termination": True,
                "encrypted": True,
                "volume_size": 50,
                "volume_type": "gp3",
                "iops": 3000,
                "throughput": 125,
                "kms_key_id": _kms(rng, ctx),
            }
        ],
        "arn": _arn(ctx, "ec2", f"instance/i-{_hex(rng, 17)}"),
        "id": f"i-{_hex(rng, 17)}",
        "private_ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}",
        "private_dns": f"ip-10-0-0-1.{_aws_region(ctx)}.compute.internal",
        "availability_zone": f"{_aws_region(ctx)}b",
        "primary_network_interface_id": f"eni-{_hex(rng, 17)}",
        "public_ip": "",
        "instance_state": "running",
        "timeouts": None,
    }
    computed = (
        "arn",
        "id",
        "private_ip",
        "private_dns",
        "availability_zone",
        "primary_network_interface_id",
        "public_ip",
        "instance_state",
    )
    return Built(values, computed, ())


def build_iam_role(rng: random.Random, ctx: Ctx) -> Built:
    trust = jsonencode(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {
                        "Service": rng.choice(["ec2.amazonaws.com", "lambda.amazonaws.com"])
                    },
                }
            ],
        }
    )
    values = {
        **_aws_tagging(rng, ctx),  # IAM is global: no region attribute even in v6
        "name": ctx.name,
        "path": "/service/",
        "description": LOREM,
        "assume_role_policy": trust,
        "max_session_duration": 3600,
        "force_detach_policies": False,
        "permissions_boundary": None,
        "managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        "inline_policy": [
            {"name": "inline", "policy": _policy(ctx, f"arn:aws:s3:::{ctx.name}", ["s3:GetObject"])}
        ],
        "arn": f"arn:aws:iam::{ctx.account}:role/service/{ctx.name}",
        "id": ctx.name,
        "unique_id": f"AROA{_hex(rng, 17).upper()}",
        "create_date": "2024-06-01T10:00:00Z",
    }
    return Built(values, ("arn", "id", "unique_id", "create_date"), ())


def build_dynamodb_table(rng: random.Random, ctx: Ctx) -> Built:
    values = {
        **_aws_common(ctx),
        **_aws_tagging(rng, ctx),
        "name": ctx.name,
        "billing_mode": "PAY_PER_REQUEST",
        "hash_key": "pk",
        "range_key": "sk",
        "read_capacity": 0,
        "write_capacity": 0,
        "table_class": "STANDARD",
        "deletion_protection_enabled": True,
        "stream_enabled": True,
        "stream_view_type": "NEW_AND_OLD_IMAGES",
        "attribute": [
            {"name": "pk", "type": "S"},
            {"name": "sk", "type": "S"},
            {"name": "gsi1pk", "type": "S"},
        ],
        "global_secondary_index": [
            {
                "name": "gsi1",
                "hash_key": "gsi1pk",
                "range_key": "sk",
                "projection_type": "ALL",
                "non_key_attributes": [],
                "read_capacity": 0,
                "write_capacity": 0,
            }
        ],
        "point_in_time_recovery": [{"enabled": True}],
        "server_side_encryption": [{"enabled": True, "kms_key_arn": _kms(rng, ctx)}],
        "ttl": [{"attribute_name": "expires_at", "enabled": True}],
        "replica": [],
        "import_table": [],
        "local_secondary_index": [],
        "arn": _arn(ctx, "dynamodb", f"table/{ctx.name}"),
        "id": ctx.name,
        "stream_arn": _arn(ctx, "dynamodb", f"table/{ctx.name}/stream/2024-06-01T10:00:00"),
        "stream_label": "2024-06-01T10:00:00.000",
        "timeouts": None,
    }
    return Built(values, ("arn", "id", "stream_arn", "stream_label"), ())


def build_sqs_queue(rng: random.Random, ctx: Ctx) -> Built:
    arn = _arn(ctx, "sqs", ctx.name)
    values = {
        **_aws_common(ctx),
        **_aws_tagging(rng, ctx),
        "name": ctx.name,
        "fifo_queue": False,
        "content_based_deduplication": False,
        "delay_seconds": 0,
        "max_message_size": 262144,
        "message_retention_seconds": 345600,
        "receive_wait_time_seconds": 20,
        "visibility_timeout_seconds": 60,
        "sqs_managed_sse_enabled": True,
        "kms_data_key_reuse_period_seconds": 300,
        "policy": _policy(ctx, arn, ["sqs:SendMessage", "sqs:ReceiveMessage"]),
        "redrive_policy": jsonencode({"deadLetterTargetArn": f"{arn}-dlq", "maxReceiveCount": 5}),
        "arn": arn,
        "id": f"https://sqs.{_aws_region(ctx)}.amazonaws.com/{ctx.account}/{ctx.name}",
        "url": f"https://sqs.{_aws_region(ctx)}.amazonaws.com/{ctx.account}/{ctx.name}",
    }
    return Built(values, ("arn", "id", "url"), ())


def build_kms_key(rng: random.Random, ctx: Ctx) -> Built:
    key_id = f"{_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 12)}"
    arn = _arn(ctx, "kms", f"key/{key_id}")
    values = {
        **_aws_common(ctx),
        **_aws_tagging(rng, ctx),
        "description": f"{ctx.name}: {LOREM}",
        "deletion_window_in_days": 30,
        "enable_key_rotation": True,
        "rotation_period_in_days": 365,
        "is_enabled": True,
        "key_usage": "ENCRYPT_DECRYPT",
        "customer_master_key_spec": "SYMMETRIC_DEFAULT",
        "multi_region": False,
        "bypass_policy_lockout_safety_check": False,
        "policy": _policy(ctx, arn, ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]),
        "arn": arn,
        "id": key_id,
        "key_id": key_id,
    }
    return Built(values, ("arn", "id", "key_id"), ())


def build_log_group(rng: random.Random, ctx: Ctx) -> Built:
    name = f"/acme/{VARIABLES['environment']}/{ctx.name}"
    values = {
        **_aws_common(ctx),
        **_aws_tagging(rng, ctx),
        "name": name,
        "name_prefix": None,
        "retention_in_days": rng.choice([30, 90, 365]),
        "log_group_class": "STANDARD",
        "skip_destroy": False,
        "kms_key_id": _kms(rng, ctx),
        "arn": _arn(ctx, "logs", f"log-group:{name}"),
        "id": name,
    }
    return Built(values, ("arn", "id"), ())


def build_lambda_function(rng: random.Random, ctx: Ctx) -> Built:
    values = {
        **_aws_common(ctx),
        **_aws_tagging(rng, ctx),
        "function_name": ctx.name,
        "description": LOREM,
        "handler": "app.handler",
        "runtime": rng.choice(["python3.12", "nodejs20.x"]),
        "memory_size": 512,
        "timeout": 30,
        "publish": True,
        "architectures": ["arm64"],
        "package_type": "Zip",
        "s3_bucket": "acme-artifacts",
        "s3_key": f"lambda/{ctx.name}/{_hex(rng, 12)}.zip",
        "role": f"arn:aws:iam::{ctx.account}:role/service/{ctx.name}",
        "environment": [
            {"variables": {"LOG_LEVEL": "info", "TABLE": ctx.name, "API_TOKEN": _hex(rng, 32)}}
        ],
        "tracing_config": [{"mode": "Active"}],
        "dead_letter_config": [],
        "vpc_config": [
            {
                "subnet_ids": [f"subnet-{_hex(rng, 17)}"],
                "security_group_ids": [f"sg-{_hex(rng, 17)}"],
                "ipv6_allowed_for_dual_stack": False,
            }
        ],
        "arn": _arn(ctx, "lambda", f"function:{ctx.name}"),
        "id": ctx.name,
        "invoke_arn": f"arn:aws:apigateway:{_aws_region(ctx)}:lambda:path/2015-03-31/"
        f"functions/{_arn(ctx, 'lambda', 'function:' + ctx.name)}/invocations",
        "version": "1",
        "last_modified": "2024-06-01T10:00:00.000+0000",
        "source_code_hash": _hex(rng, 24),
        "timeouts": None,
    }
    computed = ("arn", "id", "invoke_arn", "version", "last_modified")
    return Built(values, computed, ("environment",))


def _google_labels(rng: random.Random, ctx: Ctx) -> Values:
    labels = {
        "environment": VARIABLES["environment"],
        "service": rng.choice(["billing", "search", "identity"]),
    }
    if ctx.confidential:
        labels["data-classification"] = "confidential"
    effective = {**labels, "goog-terraform-provisioned": "true"}
    return {"labels": labels, "terraform_labels": effective, "effective_labels": effective}


def build_storage_bucket(rng: random.Random, ctx: Ctx) -> Built:
    location = rng.choices(
        ["EU", "US", "EUROPE-WEST3", "US-CENTRAL1", "EUR4"], weights=[4, 3, 3, 1, 1]
    )[0]
    values = {
        **_google_labels(rng, ctx),
        "name": ctx.name,
        "location": location,
        "project": "acme-prod-4711",
        "storage_class": "STANDARD",
        "force_destroy": False,
        "uniform_bucket_level_access": True,
        "public_access_prevention": "enforced",
        "default_event_based_hold": False,
        "requester_pays": False,
        "enable_object_retention": False,
        "rpo": None,
        "versioning": [{"enabled": True}],
        "lifecycle_rule": [
            {
                "action": [{"type": "SetStorageClass", "storage_class": "NEARLINE"}],
                "condition": [
                    {"age": 30, "with_state": "ANY", "matches_prefix": [], "matches_suffix": []}
                ],
            }
        ],
        "encryption": [
            {
                "default_kms_key_name": f"projects/acme-prod-4711/locations/"
                f"{location.lower()}/keyRings/main/cryptoKeys/{ctx.name}"
            }
        ],
        "logging": [],
        "website": [],
        "cors": [],
        "retention_policy": [],
        "autoclass": [],
        "id": ctx.name,
        "self_link": f"https://www.googleapis.com/storage/v1/b/{ctx.name}",
        "url": f"gs://{ctx.name}",
        "timeouts": None,
    }
    return Built(values, ("id", "self_link", "url"), ())


def build_sql_instance(rng: random.Random, ctx: Ctx) -> Built:
    region = ctx.explicit_region or ctx.region or "europe-west3"
    values = {
        "name": ctx.name,
        "region": region,
        "project": "acme-prod-4711",
        "database_version": rng.choice(["POSTGRES_16", "MYSQL_8_0"]),
        "deletion_protection": True,
        "root_password": f"pw-{_hex(rng, 24)}",
        "settings": [
            {
                "tier": rng.choice(["db-custom-2-7680", "db-custom-4-15360"]),
                "availability_type": "REGIONAL",
                "disk_size": 100,
                "disk_type": "PD_SSD",
                "disk_autoresize": True,
                "edition": "ENTERPRISE",
                "user_labels": {
                    "environment": VARIABLES["environment"],
                    **({"data-classification": "confidential"} if ctx.confidential else {}),
                },
                "backup_configuration": [
                    {
                        "enabled": True,
                        "start_time": "02:00",
                        "point_in_time_recovery_enabled": True,
                        "transaction_log_retention_days": 7,
                    }
                ],
                "ip_configuration": [
                    {
                        "ipv4_enabled": False,
                        "ssl_mode": "ENCRYPTED_ONLY",
                        "private_network": "projects/acme-prod-4711/global/networks/main",
                    }
                ],
                "maintenance_window": [{"day": 7, "hour": 3, "update_track": "stable"}],
                "database_flags": [{"name": "log_min_duration_statement", "value": "500"}],
            }
        ],
        "connection_name": f"acme-prod-4711:{region}:{ctx.name}",
        "self_link": f"https://sqladmin.googleapis.com/sql/v1beta4/projects/acme-prod-4711/"
        f"instances/{ctx.name}",
        "id": ctx.name,
        "first_ip_address": "",
        "timeouts": None,
    }
    return Built(
        values, ("connection_name", "self_link", "id", "first_ip_address"), ("root_password",)
    )


def _azure_location(rng: random.Random) -> str:
    return rng.choices(
        ["West Europe", "westeurope", "eastus", "germanywestcentral", "North Europe"],
        weights=[3, 3, 2, 2, 1],
    )[0]


def _azure_tags(rng: random.Random, ctx: Ctx) -> dict[str, str]:
    return {k: v for k, v in _user_tags(rng, ctx).items() if k != "Name"}


def build_storage_account(rng: random.Random, ctx: Ctx) -> Built:
    account = ctx.name.replace("-", "")[:24]
    values = {
        "name": account,
        "location": _azure_location(rng),
        "tags": _azure_tags(rng, ctx),
        "resource_group_name": f"rg-{VARIABLES['environment']}-data",
        "account_kind": "StorageV2",
        "account_tier": "Standard",
        "account_replication_type": rng.choice(["LRS", "ZRS", "GRS"]),
        "access_tier": "Hot",
        "https_traffic_only_enabled": True,
        "min_tls_version": "TLS1_2",
        "allow_nested_items_to_be_public": False,
        "shared_access_key_enabled": False,
        "public_network_access_enabled": False,
        "infrastructure_encryption_enabled": True,
        "blob_properties": [
            {
                "versioning_enabled": True,
                "change_feed_enabled": True,
                "delete_retention_policy": [{"days": 30}],
                "cors_rule": [],
            }
        ],
        "network_rules": [
            {
                "default_action": "Deny",
                "bypass": ["AzureServices"],
                "ip_rules": [],
                "virtual_network_subnet_ids": [],
            }
        ],
        "id": f"/subscriptions/00000000-0000-4000-8000-000000004711/resourceGroups/"
        f"rg-prod-data/providers/Microsoft.Storage/storageAccounts/{account}",
        "primary_blob_endpoint": f"https://{account}.blob.core.windows.net/",
        "primary_access_key": _hex(rng, 64),
        "primary_connection_string": None,
        "timeouts": None,
    }
    computed = ("id", "primary_blob_endpoint", "primary_access_key", "primary_connection_string")
    return Built(values, computed, ("primary_access_key", "primary_connection_string"))


def build_key_vault(rng: random.Random, ctx: Ctx) -> Built:
    name = ctx.name[:24]
    values = {
        "name": name,
        "location": _azure_location(rng),
        "tags": _azure_tags(rng, ctx),
        "resource_group_name": f"rg-{VARIABLES['environment']}-security",
        "sku_name": "premium",
        "tenant_id": "11111111-2222-4333-8444-555555555555",
        "enabled_for_deployment": False,
        "enabled_for_disk_encryption": True,
        "enabled_for_template_deployment": False,
        "enable_rbac_authorization": True,
        "purge_protection_enabled": True,
        "soft_delete_retention_days": 90,
        "public_network_access_enabled": False,
        "network_acls": [
            {
                "default_action": "Deny",
                "bypass": "AzureServices",
                "ip_rules": [],
                "virtual_network_subnet_ids": [],
            }
        ],
        "access_policy": [],
        "contact": [],
        "id": f"/subscriptions/00000000-0000-4000-8000-000000004711/resourceGroups/"
        f"rg-prod-security/providers/Microsoft.KeyVault/vaults/{name}",
        "vault_uri": f"https://{name}.vault.azure.net/",
        "timeouts": None,
    }
    return Built(values, ("id", "vault_uri"), ())


def build_hcloud_volume(rng: random.Random, ctx: Ctx) -> Built:
    labels = {"environment": VARIABLES["environment"]}
    if ctx.confidential:
        labels["data-classification"] = "confidential"
    values = {
        "name": ctx.name,
        "size": rng.choice([10, 50, 100, 500]),
        "location": rng.choices(["fsn1", "nbg1", "hel1", "ash", "hil"], weights=[4, 3, 2, 2, 1])[0],
        "format": "ext4",
        "automount": False,
        "delete_protection": True,
        "labels": labels,
        "server_id": None,
        "id": str(rng.randrange(10**7, 10**8)),
        "linux_device": f"/dev/disk/by-id/scsi-0HC_Volume_{rng.randrange(10**7, 10**8)}",
    }
    return Built(values, ("id", "linux_device"), ())


def build_random_id(rng: random.Random, ctx: Ctx) -> Built:
    values = {
        "byte_length": 8,
        "keepers": {"name": ctx.name},
        "prefix": None,
        "b64_std": _hex(rng, 12),
        "b64_url": _hex(rng, 11),
        "dec": str(rng.getrandbits(63)),
        "hex": _hex(rng, 16),
        "id": _hex(rng, 11),
    }
    return Built(values, ("b64_std", "b64_url", "dec", "hex", "id"), ())


def build_null_resource(rng: random.Random, ctx: Ctx) -> Built:
    values = {
        "triggers": {"name": ctx.name, "checksum": _hex(rng, 64)},
        "id": str(rng.getrandbits(62)),
    }
    return Built(values, ("id",), ())


class TypeSpec(NamedTuple):
    type: str
    provider: str  # local provider name
    short: str  # base of resource names
    build: Callable[[random.Random, Ctx], Built]
    config_attrs: tuple[str, ...]  # attributes a user writes in HCL
    replace_attr: str  # a force-new attribute, changed for ["delete","create"]
    holds_data: bool
    weight: int
    schema_version: int = 0


TYPES: tuple[TypeSpec, ...] = (
    TypeSpec(
        "aws_s3_bucket",
        "aws",
        "bucket",
        build_s3_bucket,
        ("bucket", "force_destroy", "tags"),
        "bucket",
        True,
        10,
    ),
    TypeSpec(
        "aws_db_instance",
        "aws",
        "db",
        build_db_instance,
        (
            "identifier",
            "engine",
            "engine_version",
            "instance_class",
            "allocated_storage",
            "storage_encrypted",
            "multi_az",
            "username",
            "password",
            "tags",
        ),
        "identifier",
        True,
        5,
        2,
    ),
    TypeSpec(
        "aws_instance",
        "aws",
        "vm",
        build_instance,
        ("ami", "instance_type", "subnet_id", "monitoring", "tags"),
        "ami",
        False,
        6,
        1,
    ),
    TypeSpec(
        "aws_iam_role",
        "aws",
        "role",
        build_iam_role,
        ("name", "path", "assume_role_policy", "tags"),
        "name",
        False,
        7,
    ),
    TypeSpec(
        "aws_dynamodb_table",
        "aws",
        "table",
        build_dynamodb_table,
        ("name", "billing_mode", "hash_key", "range_key", "tags"),
        "name",
        True,
        4,
        1,
    ),
    TypeSpec(
        "aws_sqs_queue",
        "aws",
        "queue",
        build_sqs_queue,
        ("name", "visibility_timeout_seconds", "tags"),
        "name",
        True,
        4,
    ),
    TypeSpec(
        "aws_kms_key",
        "aws",
        "key",
        build_kms_key,
        ("description", "enable_key_rotation", "tags"),
        "description",
        False,
        4,
    ),
    TypeSpec(
        "aws_cloudwatch_log_group",
        "aws",
        "logs",
        build_log_group,
        ("name", "retention_in_days", "tags"),
        "name",
        True,
        6,
    ),
    TypeSpec(
        "aws_lambda_function",
        "aws",
        "fn",
        build_lambda_function,
        ("function_name", "handler", "runtime", "memory_size", "tags"),
        "function_name",
        False,
        3,
    ),
    TypeSpec(
        "google_storage_bucket",
        "google",
        "gcs",
        build_storage_bucket,
        ("name", "location", "storage_class", "labels"),
        "name",
        True,
        7,
        3,
    ),
    TypeSpec(
        "google_sql_database_instance",
        "google",
        "sql",
        build_sql_instance,
        ("name", "database_version", "region", "deletion_protection"),
        "name",
        True,
        4,
    ),
    TypeSpec(
        "azurerm_storage_account",
        "azurerm",
        "sa",
        build_storage_account,
        (
            "name",
            "location",
            "resource_group_name",
            "account_tier",
            "account_replication_type",
            "tags",
        ),
        "name",
        True,
        6,
        4,
    ),
    TypeSpec(
        "azurerm_key_vault",
        "azurerm",
        "kv",
        build_key_vault,
        ("name", "location", "resource_group_name", "sku_name", "tags"),
        "name",
        True,
        4,
        2,
    ),
    TypeSpec(
        "hcloud_volume",
        "hcloud",
        "vol",
        build_hcloud_volume,
        ("name", "size", "location", "labels"),
        "name",
        True,
        9,
    ),
    TypeSpec(
        "random_id", "random", "suffix", build_random_id, ("byte_length",), "byte_length", False, 9
    ),
    TypeSpec(
        "null_resource", "null", "hook", build_null_resource, ("triggers",), "triggers", False, 7
    ),
)
TYPE_WEIGHTS = [t.weight for t in TYPES]


# --- layout ----------------------------------------------------------------------------

Key = int | str | None


@dataclass
class ModuleCall:
    """A module block; it expands to one instance per key."""

    name: str
    parent: ModuleCall | None
    keys: tuple[Key, ...]  # (None,) when the call has neither count nor for_each
    aws_key: str
    google_key: str
    children: list[ModuleCall] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def repetition(self) -> str | None:
        first = self.keys[0]
        return None if first is None else "count" if isinstance(first, int) else "for_each"


@dataclass
class Block:
    """A resource block in a module's configuration; it expands to one instance per key."""

    number: int
    spec: TypeSpec
    name: str
    provider_key: str
    keys: tuple[Key, ...]
    removed: bool  # gone from the configuration: every instance is a plain delete
    explicit_region: str | None
    confidential: bool
    seed: str  # its instances' attribute seeds derive from it


class Instance(NamedTuple):
    """One resource instance: all the layout keeps per resource."""

    address: str
    block: Block
    key: Key
    action: str  # create, update, replace, delete, no-op
    seed: str


@dataclass
class ModuleInstance:
    address: str  # "" for the root module
    instances: list[Instance] = field(default_factory=list)
    children: list[ModuleInstance] = field(default_factory=list)


def _index_suffix(key: Key) -> str:
    if key is None:
        return ""
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key)}]"


def _pick_keys(rng: random.Random, single: float, counted: float) -> tuple[Key, ...]:
    roll = rng.random()
    if roll < single:
        return (None,)
    if roll < single + counted:
        return tuple(range(rng.randint(2, 4)))
    pool = ["logs", "assets", "backup", "media", "exports", "archive"]
    return tuple(sorted(rng.sample(pool, rng.randint(2, 3))))


# With this chance a data-holding block is tagged confidential; with module m3's provider
# default tags, about 30% of all resources are then sensitive (20-40% is what large
# estates that classify their data show), so a 50k plan yields findings in the tens of
# thousands and rendering them counts.
CONFIDENTIAL_SHARE = 0.45
LAYOUTS = ("mixed", "flat", "shallow", "deep", "wide")
# How a top-level call of the mixed layout is shaped, and how often.
MIXED_KINDS = ("shallow", "deep", "wide")
MIXED_WEIGHTS = (60, 20, 20)
# Levels of nested calls below a top-level call of the deep kind.
DEEP_LEVELS = 3


def plan_module_calls(rng: random.Random, n: int, layout: str = "mixed") -> list[ModuleCall]:
    """Top-level calls m0..mK-1 (K ~ n/200), each shaped by the layout: ``shallow`` (about
    one in five with a nested call ``inner``), ``deep`` (a chain of nested calls
    ``inner``, ``leaf1``, ``leaf2``), ``wide`` (count or for_each over 4 to 8 instances);
    ``mixed`` picks one of those per call, ``flat`` has no calls at all (module m3, with
    its own provider block, is always shallow)."""
    calls: list[ModuleCall] = []
    if layout == "flat":
        return calls
    for i in range(max(2, n // 200)):
        name = f"m{i}"
        local = name == LOCAL_PROVIDER_MODULE
        kind = layout
        if layout == "mixed":
            kind = rng.choices(MIXED_KINDS, weights=MIXED_WEIGHTS)[0]
        if local:
            kind = "shallow"
        # Terraform forbids count/for_each on a module with its own provider block.
        if local or kind == "deep":
            keys: tuple[Key, ...] = (None,)
        elif kind == "wide":
            keys = _many_keys(rng)
        else:
            keys = _pick_keys(rng, 0.8, 0.1)
        aws_key = (
            f"module.{name}:aws"
            if local
            else rng.choices(["aws", "aws.us", "aws.eu"], weights=[65, 20, 15])[0]
        )
        google_key = rng.choices(["google", "google.us"], weights=[80, 20])[0]
        call = ModuleCall(name, None, keys, aws_key, google_key)
        if kind == "deep":
            # Nested calls inherit the parent's providers.
            parent = call
            for level in range(DEEP_LEVELS):
                child_name = "inner" if level == 0 else f"leaf{level}"
                child = ModuleCall(child_name, parent, (None,), aws_key, google_key)
                parent.children.append(child)
                parent = child
        elif local or (kind == "shallow" and rng.random() < 0.2):
            # Nested calls inherit the parent's providers, module-local ones included.
            call.children.append(ModuleCall("inner", call, (None,), aws_key, google_key))
        calls.append(call)
    return calls


def _many_keys(rng: random.Random) -> tuple[Key, ...]:
    if rng.random() < 0.5:
        return tuple(range(rng.randint(4, 8)))
    pool = ["eu1", "eu2", "eu3", "us1", "us2", "ap1", "ap2", "sa1", "af1", "me1"]
    return tuple(sorted(rng.sample(pool, rng.randint(4, 8))))


def _descendants(call: ModuleCall) -> Iterator[ModuleCall]:
    for child in call.children:
        yield child
        yield from _descendants(child)


def _multiplicity(call: ModuleCall | None) -> int:
    total = 1
    while call is not None:
        total *= len(call.keys)
        call = call.parent
    return total


def _provider_key(rng: random.Random, spec: TypeSpec, call: ModuleCall | None) -> str:
    if spec.provider == "aws":
        if call is not None:
            return call.aws_key
        return rng.choices(["aws", "aws.us", "aws.eu"], weights=[70, 15, 15])[0]
    if spec.provider == "google":
        return call.google_key if call is not None else "google"
    return spec.provider


def _new_block(
    rng: random.Random,
    number: int,
    call: ModuleCall | None,
    single: bool,
    confidential_share: float = 0.1,
) -> Block:
    spec = rng.choices(TYPES, weights=TYPE_WEIGHTS)[0]
    key = _provider_key(rng, spec, call)
    explicit_region = None
    if spec.provider == "aws" and spec.type != "aws_iam_role" and rng.random() < 0.25:
        # Mostly the provider's own region spelled out, sometimes a real override.
        explicit_region = rng.choice([PROVIDERS[key].region, "us-west-2", "eu-west-3"])
    if spec.type == "google_sql_database_instance" and rng.random() < 0.5:
        explicit_region = rng.choice(["europe-west1", "us-east4", "europe-west3"])
    return Block(
        number=number,
        spec=spec,
        name=f"{spec.short}_{number}",
        provider_key=key,
        keys=(None,) if single else _pick_keys(rng, 0.75, 0.15),
        removed=rng.random() < 0.02,
        explicit_region=explicit_region,
        confidential=spec.holds_data and rng.random() < confidential_share,
        seed=f"block:{rng.getrandbits(64)}",
    )


def plan_blocks(
    rng: random.Random, n: int, calls: list[ModuleCall], confidential_share: float = 0.1
) -> list[Block]:
    """Add resource blocks to the root and the calls until they expand to exactly n; a
    data-holding block carries data-classification=confidential with the given chance."""
    containers: list[ModuleCall | None] = [None]
    for top in calls:
        containers.append(top)
        containers.extend(_descendants(top))
    # The root holds about a tenth; modules share the rest evenly.
    weights = [max(1.0, len(containers) / 9)] + [1.0] * (len(containers) - 1)
    root: list[Block] = []
    total = 0
    number = 0
    while total < n:
        call = rng.choices(containers, weights=weights)[0]
        remaining = n - total
        block = _new_block(rng, number, call, remaining < 8, confidential_share)
        size = len(block.keys) * _multiplicity(call)
        if size > remaining:
            # Top up with single-instance root blocks so the total lands on n exactly.
            call = None
            block = _new_block(rng, number, None, True, confidential_share)
            size = 1
        if call is not None and not call.blocks:
            block.removed = False  # keeps each module present in planned_values
        (call.blocks if call is not None else root).append(block)
        total += size
        number += 1
    return root


def _action(rng: random.Random, block: Block) -> str:
    if block.removed:
        return "delete"
    return rng.choices(["create", "update", "replace", "no-op"], weights=[76, 12, 7, 5])[0]


def expand(seed: int, root_blocks: list[Block], calls: list[ModuleCall]) -> ModuleInstance:
    """The module instance tree with every resource instance in it."""
    rng = random.Random(f"{seed}:actions")
    root = ModuleInstance("")
    _add_instances(rng, root, root_blocks, 0)
    seen: dict[str, int] = {}  # module instances made so far, per call

    def add_calls(parent: ModuleInstance, children: list[ModuleCall]) -> None:
        for call in children:
            for key in call.keys:
                prefix = f"{parent.address}." if parent.address else ""
                node = ModuleInstance(f"{prefix}module.{call.name}{_index_suffix(key)}")
                ordinal = seen.get(prefix + call.name, 0)
                seen[prefix + call.name] = ordinal + 1
                _add_instances(rng, node, call.blocks, ordinal)
                add_calls(node, call.children)
                parent.children.append(node)

    add_calls(root, calls)
    return root


def instance_seed(block: Block, ordinal: int, key: Key) -> str:
    # The first instance of a block (ordinal 0, first key) shares its seed with the stand-in
    # that writes the block's configuration, so configured constants match planned values.
    return f"{block.seed}:{ordinal}:{key!r}"


def _add_instances(
    rng: random.Random, node: ModuleInstance, blocks: list[Block], ordinal: int
) -> None:
    prefix = f"{node.address}." if node.address else ""
    for block in blocks:
        for key in block.keys:
            address = f"{prefix}{block.spec.type}.{block.name}{_index_suffix(key)}"
            node.instances.append(
                Instance(
                    address, block, key, _action(rng, block), instance_seed(block, ordinal, key)
                )
            )


def walk(node: ModuleInstance) -> Iterator[ModuleInstance]:
    yield node
    for child in node.children:
        yield from walk(child)


# --- values and changes ----------------------------------------------------------------

EXISTING = frozenset({"update", "replace", "delete", "no-op"})


def _cloud_name(inst: Instance) -> str:
    # Cloud-side names are lower-case and derived from the address without the type (block
    # names are numbered plan-wide), so they are unique in the plan and not overly long.
    module, _, _ = inst.address.rpartition(f"{inst.block.spec.type}.")
    base = f"{module}{inst.block.name}{_index_suffix(inst.key)}"
    base = base.replace("module.", "").replace("[", "-").replace("]", "")
    for char in '."_':
        base = base.replace(char, "-")
    return f"{VARIABLES['name_prefix']}-{base}".lower()[:63].strip("-")


def build(inst: Instance, account: str) -> Built:
    block = inst.block
    provider = PROVIDERS[block.provider_key]
    ctx = Ctx(
        name=_cloud_name(inst),
        region=provider.region,
        explicit_region=block.explicit_region,
        default_tags=provider.default_tags,
        confidential=block.confidential,
        account=account,
    )
    built = block.spec.build(random.Random(inst.seed), ctx)
    return built._replace(values=sort_maps(built.values), computed=tuple(sorted(built.computed)))


def sensitive_mirror(value: Json, sensitive: tuple[str, ...] = ()) -> Json:
    """The sensitive_values shape Terraform writes: containers kept, leaves false/omitted."""
    if isinstance(value, dict):
        out: dict[str, Json] = {}
        for k, v in value.items():
            if k in sensitive:
                out[k] = True
            elif isinstance(v, (dict, list)):
                out[k] = sensitive_mirror(v)
        return out
    if isinstance(value, list):
        return [sensitive_mirror(v) if isinstance(v, (dict, list)) else False for v in value]
    return False


def _known_after(built: Built) -> Values:
    unknown = set(built.computed)
    return {k: v for k, v in built.values.items() if k not in unknown}


def _altered(value: Json) -> Json:
    """A different value of the same type, for the prior side of an update or replace."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, dict):
        return sort_maps({**value, "revision": "previous"})
    return f"{value}-old"


def _previous(inst: Instance, built: Built) -> Values:
    """The prior object, differing from the planned one where the action says it does."""
    before = dict(built.values)
    if inst.action == "update":
        # A tag or label edit is the most common in-place update; keep *_all in step.
        group = next(
            (
                g
                for g in (("tags", "tags_all"), ("labels", "terraform_labels", "effective_labels"))
                if isinstance(before.get(g[0]), dict)
            ),
            (),
        )
        for attr in group or inst.block.spec.config_attrs[:1]:
            if attr in before:  # azurerm has no tags_all, hcloud no effective labels
                before[attr] = _altered(before[attr])
    elif inst.action == "replace":
        attr = inst.block.spec.replace_attr
        before[attr] = _altered(before[attr])
    return before


def change_entry(inst: Instance, built: Built, module_address: str) -> Json:
    spec = inst.block.spec
    actions = {
        "create": ["create"],
        "update": ["update"],
        "replace": ["delete", "create"],
        "delete": ["delete"],
        "no-op": ["no-op"],
    }[inst.action]
    before = _previous(inst, built) if inst.action in EXISTING else None
    fresh = inst.action in ("create", "replace")
    if inst.action == "delete":
        after, after_unknown = None, {}
    elif fresh:
        after, after_unknown = _known_after(built), dict.fromkeys(built.computed, True)
    else:
        after, after_unknown = built.values, {}
    change: dict[str, Json] = {
        "actions": actions,
        "before": before,
        "after": after,
        "after_unknown": after_unknown,
        "before_sensitive": False if before is None else sensitive_mirror(before, built.sensitive),
        "after_sensitive": False if after is None else sensitive_mirror(after, built.sensitive),
    }
    if inst.action == "replace":
        change["replace_paths"] = [[spec.replace_attr]]
    entry: dict[str, Json] = {"address": inst.address}
    if module_address:
        entry["module_address"] = module_address
    entry.update(_identity(inst))
    entry["change"] = change
    if inst.action == "delete":
        entry["action_reason"] = "delete_because_no_resource_config"
    elif inst.action == "replace":
        entry["action_reason"] = "replace_because_cannot_update"
    return entry


def _identity(inst: Instance) -> dict[str, Json]:
    out: dict[str, Json] = {
        "mode": "managed",
        "type": inst.block.spec.type,
        "name": inst.block.name,
    }
    if inst.key is not None:
        out["index"] = inst.key
    out["provider_name"] = PROVIDERS[inst.block.provider_key].full_name
    return out


def _state_resource(inst: Instance, values: Values, sensitive: tuple[str, ...]) -> Json:
    return {
        "address": inst.address,
        **_identity(inst),
        "schema_version": inst.block.spec.schema_version,
        "values": values,
        "sensitive_values": sensitive_mirror(values, sensitive),
    }


# --- configuration ---------------------------------------------------------------------


NAME_ATTRS = frozenset({"name", "bucket", "identifier", "function_name", "description"})


def _expression(attr: str, value: Json, block: Block, in_root: bool) -> Json:
    # Mix constants with references, as written HCL does: names built from variables and
    # the instance key, secrets from a sensitive variable, the region from var.region.
    if attr in NAME_ATTRS and not (in_root and block.keys[0] is None):
        refs = ["var.name_prefix"]
        if block.keys[0] is not None:
            refs.append("each.key" if isinstance(block.keys[0], str) else "count.index")
        return {"references": refs}
    if attr in ("password", "root_password"):
        return {"references": ["var.db_password"]}
    if attr == "region" and in_root and value == VARIABLES["region"]:
        return {"references": ["var.region"]}
    return {"constant_value": value}


def config_resource(block: Block, account: str, in_root: bool) -> Json:
    # A stand-in for the block's first instance gives the constants a user wrote.
    template = Instance(
        f"{block.spec.type}.{block.name}",
        block,
        block.keys[0],
        "create",
        instance_seed(block, 0, block.keys[0]),
    )
    values = build(template, account).values
    attrs = list(block.spec.config_attrs)
    if block.explicit_region and "region" not in attrs:
        attrs.append("region")
    expressions = {
        a: _expression(a, values.get(a, block.explicit_region), block, in_root) for a in attrs
    }
    resource: dict[str, Json] = {
        "address": f"{block.spec.type}.{block.name}",
        "mode": "managed",
        "type": block.spec.type,
        "name": block.name,
        "provider_config_key": block.provider_key,
        "expressions": sort_maps(expressions),
        "schema_version": block.spec.schema_version,
    }
    first = block.keys[0]
    if isinstance(first, int):
        resource["count_expression"] = {"constant_value": len(block.keys)}
    elif isinstance(first, str):
        resource["for_each_expression"] = {"constant_value": {k: {} for k in block.keys}}
    return resource


def _data_sources(account: str) -> list[tuple[str, str, Values]]:
    """The data sources every root reads: (type, provider key, values read at plan time)."""
    return [
        (
            "aws_caller_identity",
            "aws",
            {
                "account_id": account,
                "id": account,
                "arn": f"arn:aws:iam::{account}:user/ci",
                "user_id": "AIDAEXAMPLE",
            },
        ),
        (
            "aws_region",
            "aws",
            {
                "description": "Europe (Frankfurt)",
                "id": VARIABLES["region"],
                "endpoint": f"ec2.{VARIABLES['region']}.amazonaws.com",
                "name": VARIABLES["region"],
                "region": VARIABLES["region"],
            },
        ),
    ]


def _data_source_state(account: str) -> list[Json]:
    return [
        {
            "address": f"data.{type_}.current",
            "mode": "data",
            "type": type_,
            "name": "current",
            "provider_name": PROVIDERS[provider].full_name,
            "schema_version": 0,
            "values": values,
            "sensitive_values": {},
        }
        for type_, provider, values in _data_sources(account)
    ]


def _data_source_config(account: str) -> list[Json]:
    return [
        {
            "address": f"data.{type_}.current",
            "mode": "data",
            "type": type_,
            "name": "current",
            "provider_config_key": provider,
            "schema_version": 0,
        }
        for type_, provider, _ in _data_sources(account)
    ]


# --- streaming writer ------------------------------------------------------------------


class Writer:
    """Writes JSON objects and arrays piece by piece, keeping track of the commas."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.empty: list[bool] = []  # per open container: nothing written into it yet

    def _comma(self) -> None:
        if self.empty and not self.empty[-1]:
            self.out.write(",")
        if self.empty:
            self.empty[-1] = False

    def _open(self, bracket: str) -> None:
        self.out.write(bracket)
        self.empty.append(True)

    def open_item(self, bracket: str) -> None:
        """Open a container as the next element of the current array (or the document)."""
        self._comma()
        self._open(bracket)

    def start(self, name: str, bracket: str) -> None:
        """Open a container as the value of key `name` in the current object."""
        self._comma()
        self.out.write(json.dumps(name) + ":")
        self._open(bracket)

    def close(self, bracket: str) -> None:
        self.out.write(bracket)
        self.empty.pop()

    def item(self, value: Json) -> None:
        self._comma()
        self.out.write(dumps(value))

    def field(self, name: str, value: Json) -> None:
        self._comma()
        self.out.write(json.dumps(name) + ":" + dumps(value))


def write_module_values(
    w: Writer, node: ModuleInstance, account: str, existing: bool, has_content: dict[str, bool]
) -> None:
    """One module object of planned_values (existing=False) or prior_state (existing=True)."""
    wanted = [
        i for i in node.instances if (i.action in EXISTING if existing else i.action != "delete")
    ]
    with_data = existing and not node.address  # data sources read at plan time
    if wanted or with_data:
        w.start("resources", "[")
        if with_data:
            for data in _data_source_state(account):
                w.item(data)
        for inst in wanted:
            w.item(_values_resource(inst, account, existing))
        w.close("]")
    if node.address:
        w.field("address", node.address)
    children = [c for c in node.children if has_content[c.address]]
    if children:
        w.start("child_modules", "[")
        for child in children:
            w.open_item("{")
            write_module_values(w, child, account, existing, has_content)
            w.close("}")
        w.close("]")


def _values_resource(inst: Instance, account: str, existing: bool) -> Json:
    built = build(inst, account)
    if existing:
        values = _previous(inst, built)
    elif inst.action in ("update", "no-op"):
        values = built.values
    else:  # a new object: computed attributes are unknown and left out
        values = _known_after(built)
    return _state_resource(inst, values, built.sensitive)


def _content_map(root: ModuleInstance, existing: bool) -> dict[str, bool]:
    """Which module instances have something to show, so that empty ones are left out."""
    result: dict[str, bool] = {}

    def visit(node: ModuleInstance) -> bool:
        own = any(
            (i.action in EXISTING) if existing else (i.action != "delete") for i in node.instances
        )
        kids = [visit(c) for c in node.children]
        result[node.address] = own or any(kids)
        return result[node.address]

    visit(root)
    return result


def write_configuration(
    w: Writer,
    account: str,
    root_blocks: list[Block],
    calls: list[ModuleCall],
    has_local_provider: bool,
) -> None:
    w.start("configuration", "{")
    w.start("provider_config", "{")
    for key, provider in sorted(PROVIDERS.items()):  # a Go map: sorted keys
        if provider.module_address and not has_local_provider:
            continue
        w.field(key, provider_config_entry(provider))
    w.close("}")
    w.start("root_module", "{")
    write_config_module(w, account, root_blocks, calls, in_root=True)
    declared: dict[str, Json] = {name: {"default": value} for name, value in VARIABLES.items()}
    w.field("variables", sort_maps({**declared, "db_password": {"sensitive": True}}))
    w.close("}")
    w.close("}")


MODULE_VARIABLES: dict[str, Json] = {
    "environment": {"description": "Deployment stage"},
    "name_prefix": {"default": VARIABLES["name_prefix"]},
    "db_password": {"sensitive": True},
}
MODULE_ARGUMENTS: dict[str, Json] = {
    "environment": {"references": ["var.environment"]},
    "name_prefix": {"constant_value": VARIABLES["name_prefix"]},
    "db_password": {"references": ["var.db_password"]},
}


def write_config_module(
    w: Writer, account: str, blocks: list[Block], calls: list[ModuleCall], in_root: bool
) -> None:
    live = [b for b in blocks if not b.removed]
    if live or in_root:  # Terraform leaves empty lists out; the root has data sources
        w.start("resources", "[")
        for block in live:
            w.item(config_resource(block, account, in_root))
        if in_root:
            for data in _data_source_config(account):
                w.item(data)
        w.close("]")
    if calls:
        w.start("module_calls", "{")
        for call in sorted(calls, key=lambda c: c.name):
            write_module_call(w, account, call)
        w.close("}")


def write_module_call(w: Writer, account: str, call: ModuleCall) -> None:
    w.start(call.name, "{")
    w.field("source", f"./modules/{call.name}")
    w.field("expressions", sort_maps(MODULE_ARGUMENTS))
    if call.repetition == "count":
        w.field("count_expression", {"constant_value": len(call.keys)})
    elif call.repetition == "for_each":
        w.field("for_each_expression", {"references": ["local.tenants"]})
    w.start("module", "{")
    write_config_module(w, account, call.blocks, call.children, in_root=False)
    w.field("variables", sort_maps(MODULE_VARIABLES))
    w.close("}")
    w.close("}")


def write_plan(
    out: IO[str],
    n: int,
    seed: int,
    layout: str = "mixed",
    confidential_share: float = CONFIDENTIAL_SHARE,
) -> None:
    rng = random.Random(f"{seed}:layout")
    account = str(rng.randrange(10**11, 10**12))
    calls = plan_module_calls(rng, n, layout)
    root_blocks = plan_blocks(rng, n, calls, confidential_share)
    tree = expand(seed, root_blocks, calls)
    has_local = any(c.name == LOCAL_PROVIDER_MODULE for c in calls)

    w = Writer(out)
    w.open_item("{")
    w.field("format_version", FORMAT_VERSION)
    w.field("terraform_version", TERRAFORM_VERSION)
    values = {name: {"value": value} for name, value in VARIABLES.items()}
    w.field("variables", sort_maps({**values, "db_password": {"value": DB_PASSWORD}}))

    w.start("planned_values", "{")
    w.start("root_module", "{")
    write_module_values(w, tree, account, False, _content_map(tree, existing=False))
    w.close("}")
    w.close("}")

    w.start("resource_changes", "[")
    for node in walk(tree):
        for inst in node.instances:
            w.item(change_entry(inst, build(inst, account), node.address))
    w.close("]")

    w.start("prior_state", "{")
    w.field("format_version", "1.0")
    w.field("terraform_version", TERRAFORM_VERSION)
    w.start("values", "{")
    w.start("root_module", "{")
    write_module_values(w, tree, account, True, _content_map(tree, existing=True))
    w.close("}")
    w.close("}")
    w.close("}")

    write_configuration(w, account, root_blocks, calls, has_local)
    w.field("timestamp", TIMESTAMP)
    w.field("applyable", True)
    w.field("complete", True)
    w.field("errored", False)
    w.close("}")
    out.write("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("resources", type=int, help="number of managed resource instances")
    parser.add_argument("out", type=Path, help="where to write the plan JSON")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="mixed",
        help="how resources spread over module calls (default: %(default)s)",
    )
    parser.add_argument(
        "--confidential",
        type=float,
        default=CONFIDENTIAL_SHARE,
        help="chance that a data-holding resource block is tagged "
        "data-classification=confidential (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.resources < 1:
        parser.error("N must be at least 1")
    if not 0.0 <= args.confidential <= 1.0:
        parser.error("--confidential is a chance between 0 and 1")
    # Write beside the target and rename, so an interrupted run never leaves a plan that
    # looks complete to a cache.
    partial = args.out.with_name(args.out.name + ".part")
    with open(partial, "w", encoding="utf-8", buffering=1 << 20) as out:
        write_plan(out, args.resources, args.seed, args.layout, args.confidential)
    os.replace(partial, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
