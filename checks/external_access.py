"""SOV007: sensitive data reachable by principals outside the trusted set.

What it does
  Reports a sensitive, data-holding resource that a policy, IAM binding, ACL, key grant,
  replication rule or anonymous container opens to someone who is not the organisation:
  the public (anyone), a principal outside the config's `trusted:` set (external), or a
  principal lintsov cannot tell (unknown). Grants on the key that encrypts the data count
  as grants on the data: whoever may decrypt it may read it.

Why is this bad?
  Where data sits and whose law reaches its vendor is half of control; the other half is
  who can get in. A bucket in Frankfurt with a policy granting another company's account
  is readable from wherever that account is run, under that company's law.

How lintsov decides
  - grants are read from: AWS resource policies (S3 buckets, KMS keys, SQS queues, SNS
    topics, Secrets Manager secrets, ECR repositories, Glacier and Backup vaults), written
    as `jsonencode(...)`, heredoc JSON or `data "aws_iam_policy_document"` (evaluated
    locally, as the data source does); KMS grants; public canned ACLs; S3 replication to
    another account; RAM shares; Google IAM members and bindings on buckets, datasets,
    tables, KMS keys, secrets, topics, projects and folders; BigQuery dataset access
    entries; Cloud Storage ACLs (role_entity, predefined_acl); Azure containers with
    anonymous access; Event Hubs and Service Bus authorization rules that may listen or
    manage, and stored access policies that may read, on shares and tables (the key or
    token holder is unknown); Azure Lighthouse delegations to a managing tenant. An S3
    public access block voids the public grants it blocks.
  - public: `Principal: "*"` (or `NotPrincipal`) without a condition limiting it to an
    organisation, account or source (aws:PrincipalOrgID, aws:SourceAccount,
    aws:PrincipalAccount, ...); allUsers, allAuthenticatedUsers; public-read ACLs
    (S3 canned, Cloud Storage predefined); anonymous blob containers. Reported with or
    without `trusted:`.
  - external: an account, domain, project or tenant not in `trusted:`, nor shown to be
    the configuration's own (data.aws_caller_identity, data.google_project ...). With no
    `trusted:` set, such principals are not reported: the inventory's access view lists
    them as "trust not configured".
  - unknown: a principal (or the whole policy, or a condition limiting `*`) that is
    unknown until apply or comes from a variable without a value. Never trusted: a
    warning, as SOV003 warns of what it cannot place.
  - vendor service principals (cloudtrail.amazonaws.com, Google service agents) are the
    vendor's own services acting for the account, not reported.

Example
  provider "aws" { region = "eu-central-1" }
  resource "aws_s3_bucket" "customers" {
    tags = { data-classification = "confidential" }
  }
  resource "aws_s3_bucket_policy" "customers" {
    bucket = aws_s3_bucket.customers.id
    policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*",
                                         Action = "s3:GetObject", Resource = "*" }] })
  }

Fix
  Remove the grant, or limit it to the organisation (a condition on aws:PrincipalOrgID).
  If the principal is yours, add its account, organisation, domain, project or tenant to
  `trusted:` in the config.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov import trust
from lintsov.evidence import Evidence
from lintsov.finding import Finding, Severity, on_resource
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.rules import Scope

ID = "SOV007"
TITLE = "Sensitive data reachable by principals outside the trusted set"
SEVERITY: Severity = "error"
SCOPE: Scope = "resource"
TAGS = ("security", "access")
SECURITY_SEVERITY = "8.5"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    if not inventory.grants:
        return
    index = trust.by_target(inventory)
    for resource in inventory.resources:
        if not (resource.sensitive and resource.data_holding):
            continue
        for grant in trust.reaching_in(index, resource):
            judged = trust.judge(grant, policy.trusted)
            if judged.verdict not in trust.REPORTED:
                continue
            through = f" through key {grant.target}" if grant.target != resource.address else ""
            granted = f"granted by {grant.via} {grant.what}{through}"
            if judged.verdict == "public":
                message = f"sensitive data is public: {grant.principal} ({judged.why}), {granted}"
            elif judged.verdict == "external":
                message = (
                    f"sensitive data reachable by external principal {grant.principal} "
                    f"({judged.why}), {granted}"
                )
            else:
                message = f"who can reach sensitive data is unknown: {judged.why}, {granted}"
            # Unknown is reported, never trusted, but as SOV003 reports what it cannot
            # place: a warning, since nothing shown is wrong yet.
            severity = "warning" if judged.verdict == "unknown" else SEVERITY
            verdict = Evidence("access", judged.verdict, (f"{grant.principal}: {judged.why}",))
            yield on_resource(
                ID,
                severity,
                resource,
                message,
                (
                    *resource.evidence_for("sensitive", "data-holding"),
                    *grant.evidence,
                    verdict,
                ),
            )
