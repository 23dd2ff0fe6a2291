"""SOV005: sensitive origin cached by a global edge network in a blocked jurisdiction.

What it does
  Reports a sensitive resource used as the origin of a content delivery network whose edge
  caches content in a blocked jurisdiction (default: US): Amazon CloudFront, Azure Front
  Door and Azure CDN, Google Cloud CDN (a backend bucket with CDN enabled), and a proxied
  Cloudflare DNS record pointing at it.

Why is this bad?
  A CDN copies what it serves into caches close to its users, around the world. Responses
  from a sensitive origin then sit, for their cache lifetime, on servers in every country
  the network has edge locations in, the United States included, and are processed there
  (TLS termination, logging). The origin's region does not limit where the cached copies
  live.

How lintsov decides
  - sensitive as for SOV001, on the origin (the resource the distribution, endpoint,
    backend bucket or proxied record references).
  - the networks' documentation: every CloudFront price class includes US edge locations
    (price classes limit cost, not countries; geo restriction limits who may request,
    not where content is cached); Azure Front Door/CDN and Cloud CDN cache on a global
    edge; Cloudflare proxies through its global network unless Regional Services
    restrict processing to a region. Each source is cited in the evidence.
  - a global network is judged by the countries its documentation names (the United
    States for all four) and, for any other blocked jurisdiction, as caching worldwide:
    not ruled out is not clean.
  - in the `sovereignty` profile the network's operator counts too: a Cloudflare record
    restricted to EU data centres is still processed by Cloudflare, Inc. (US).
  - a warning, not an error: what is cached depends on cache headers, which the plan does
    not show. Mark responses `Cache-Control: private, no-store` or keep the origin off
    the CDN.

Example
  provider "aws" { region = "eu-central-1" }
  resource "aws_s3_bucket" "records" {
    tags = { data-classification = "confidential" }
  }
  resource "aws_cloudfront_distribution" "site" {
    origin {
      domain_name = aws_s3_bucket.records.bucket_regional_domain_name
      origin_id   = "records"
    }
  }

Fix
  Serve sensitive content without a CDN, or with caching disabled for it; use a CDN
  whose caching is restricted to allowed jurisdictions (for example Cloudflare Regional
  Services with an EU region); waive with a reason when only public content is served.
"""

from __future__ import annotations

from collections.abc import Iterator

from lintsov import flow_findings
from lintsov.finding import Finding, Severity
from lintsov.inventory import Inventory
from lintsov.policy import Policy
from lintsov.rules import Scope

ID = "SOV005"
TITLE = "Sensitive origin cached by a global edge network in a blocked jurisdiction"
SEVERITY: Severity = "warning"
SCOPE: Scope = "resource"
TAGS = ("security", "sovereignty", "data-flow", "cdn")
SECURITY_SEVERITY = "6.0"


def check(inventory: Inventory, policy: Policy) -> Iterator[Finding]:
    for flow, source in flow_findings.sensitive_flows(inventory):
        if flow.kind != "edge cache":
            continue
        end = flow.destination
        where = policy.blocked_reaching(end.countries)
        # A global network not restricted to a region may cache anywhere: a blocked country
        # its documentation does not name is not ruled out.
        possibly = sorted(policy.blocked - set(end.countries)) if end.region is None else []
        law = policy.blocked_reaching((), end.reach)
        if not (where or law or possibly):
            continue
        reasons = []
        if where:
            reasons.append(f"caches in {', '.join(where)}")
        if possibly:
            reasons.append(f"caches worldwide, {', '.join(possibly)} not ruled out")
        if law:
            operator = end.operator or end.vendor_name or end.what
            reasons.append(f"is run by {operator}, reachable under {', '.join(law)} law")
        yield flow_findings.finding(
            ID,
            SEVERITY,
            flow,
            source,
            # The network by name (Amazon CloudFront), or its vendor for a regional service.
            f"sensitive origin served through {(end.region and end.vendor_name) or end.what}, "
            "which "
            f"{' and '.join(reasons)}: {flow_findings.path(flow, source)}",
        )
