"""SOV004: sensitive data replicated, copied or backed up into a blocked jurisdiction.

What it does
  Reports a sensitive resource whose data flows to a place in a blocked jurisdiction
  (default: US): replication, read replicas, global tables, backup copies, snapshot
  copies, replica keys and secrets, geo-redundant copies in a paired region, and
  multi- or dual-region placements. The message shows the whole flow, source to
  destination.

Why is this bad?
  Where the primary copy sits is half the answer. A bucket in Frankfurt that replicates
  to Virginia is data in the United States, under US law, however carefully the primary
  was placed. Some defaults cross borders silently: an Azure storage account with GRS in
  Brazil South keeps its copy in South Central US.

How lintsov decides
  - sensitive as for SOV001, on the source of the flow (the resource whose data moves);
    a replica whose source is outside the configuration stands in for it.
  - flows are read from the plan or the configuration: AWS S3 replication (to a bucket by
    reference or ARN), DynamoDB replicas and global tables, RDS/Aurora read replicas,
    Aurora global databases and automated backup replication, AWS Backup copy actions
    (vault ARN), Secrets Manager replicas, KMS replica keys, ECR replication, EBS and RDS
    snapshot copies; Azure
    storage GRS/RA-GRS/GZRS/RA-GZRS (Microsoft's region pairs), Cosmos DB geo-locations,
    SQL failover groups, Recovery Services vault geo-redundant storage; Google custom
    dual-regions and BigQuery copies. (A Spanner instance configuration such as nam3 is
    the instance's own multi-region location, judged by SOV001.)
  - the destination is placed like any resource: a reference or ARN to a resource of the
    configuration takes that resource's region; an ARN names its region; a region is
    looked up in the catalogue. A destination that cannot be placed is reported by
    SOV003, with the flow.
  - judged by the destination's country. In the `sovereignty` profile a destination
    operated by another vendor than the source's counts that vendor's reach too.

Example
  provider "aws" { region = "eu-central-1" }
  provider "aws" {
    alias  = "us"
    region = "us-east-1"
  }
  resource "aws_s3_bucket" "customers" {
    tags = { data-classification = "confidential" }
  }
  resource "aws_s3_bucket" "dr" {
    provider = aws.us
  }
  resource "aws_s3_bucket_replication_configuration" "dr" {
    bucket = aws_s3_bucket.customers.id
    role   = "arn:aws:iam::123456789012:role/replication"
    rule {
      status = "Enabled"
      destination { bucket = aws_s3_bucket.dr.arn }   # the copy lands in us-east-1
    }
  }

Fix
  Replicate into a region outside the blocked jurisdictions (eu-west-1 for a Frankfurt
  primary; LRS/ZRS, or an EU pair, for Azure storage), or keep the replica's data
  encrypted under keys held outside them.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov import flow_findings
from lintsov.finding import Finding, Severity
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.rules import Scope

ID = "SOV004"
TITLE = "Sensitive data replicated, copied or backed up into a blocked jurisdiction"
SEVERITY: Severity = "error"
SCOPE: Scope = "resource"
TAGS = ("security", "sovereignty", "data-flow")
SECURITY_SEVERITY = "8.5"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    for flow, source in flow_findings.sensitive_flows(inventory):
        if flow.kind == "edge cache":
            continue
        end = flow.destination
        # The destination's operator counts only when it is another vendor than the source's:
        # the source's own reach is SOV002's to judge.
        foreign_vendor = end.vendor is not None and end.vendor != source.vendor
        blocked = policy.blocked_reaching(end.countries, end.reach if foreign_vendor else ())
        if not blocked:
            continue
        yield flow_findings.finding(
            ID,
            SEVERITY,
            flow,
            source,
            f"sensitive data flows into blocked jurisdiction {', '.join(blocked)}: "
            f"{flow_findings.path(flow, source)}",
        )
