"""Stable fingerprints: the identity of a finding across runs.

A fingerprint is built from the rule, the input, the resource address and the key facts the
verdict rests on (vendor, region, jurisdictions), never from line numbers or message wording,
so that moving a block in its file, or rewording a message in a new lintsov release, keeps
the same identity. SARIF's ``partialFingerprints``, GitLab's ``fingerprint`` and the baseline
file all use it.
"""

from __future__ import annotations

import hashlib
import posixpath

from lintsov.finding import Finding

VERSION = 1


def input_key(path: str) -> str:
    """The input as the fingerprint sees it: posix separators, no ``./`` or trailing slash."""
    return posixpath.normpath(path.replace("\\", "/")) if path else ""


def facts(finding: Finding) -> dict[str, object]:
    """The facts that make a finding what it is; what the baseline file records."""
    return {
        "rule": finding.rule,
        "input": input_key(finding.input),
        "address": finding.address,
        "vendor": finding.vendor,
        "region": finding.region,
        "jurisdictions": list(finding.jurisdictions),
    }


def fingerprint(finding: Finding) -> str:
    key = facts(finding)
    text = "\x1f".join(
        [
            f"v{VERSION}",
            str(key["rule"]),
            str(key["input"]),
            str(key["address"]),
            finding.vendor or "",
            finding.region or "",
            ",".join(finding.jurisdictions),
        ]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
