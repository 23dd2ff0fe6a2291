"""Stable fingerprints: the identity of a finding across runs.

A fingerprint is built from the rule, the input, the resource address and the key facts the
verdict rests on (vendor, region, jurisdictions), never from line numbers or message wording,
so that moving a block in its file, or rewording a message in a new lintsov release, keeps
the same identity. SARIF's ``partialFingerprints``, GitLab's ``fingerprint`` and the baseline
file all use it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import lru_cache

from lintsov import repository
from lintsov.finding import Finding

VERSION = 1


def input_key(path: str) -> str:
    """The input as the fingerprint sees it: relative to the repository root, with ``/``,
    so that `plan.json`, `./plan.json`, an absolute path or a run from a subfolder agree."""
    return _input_key(path, os.getcwd())


@lru_cache(maxsize=1024)
def _input_key(path: str, cwd: str) -> str:
    # Asked for every finding, with a handful of inputs per run; the folder is part of the
    # key because the answer depends on it.
    return repository.relative(path)


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
    # The facts() of the finding, joined; read from the finding directly, since every
    # report asks this for every finding.
    text = "\x1f".join(
        [
            f"v{VERSION}",
            str(finding.rule),
            input_key(finding.input),
            str(finding.address),
            finding.vendor or "",
            finding.region or "",
            ",".join(finding.jurisdictions),
        ]
    )
    return _hash(text)


def about_input(kind: str, path: str) -> str:
    """The identity of a report entry about a whole input (``unreadable-input``,
    ``no-resources``): the kind and the input, never the error's wording or position, so
    that an input broken one way and then another is one issue until it is read."""
    return _hash("\x1f".join([f"v{VERSION}", kind, input_key(path)]))


def distinct(findings: Iterable[Finding]) -> list[str]:
    """Each finding's fingerprint, made distinct where two findings share one.

    Fingerprints leave out the message, so two findings of one rule on one address (two
    broken waivers on the same block) can share one; GitLab needs them distinct, and GitHub
    would fold them into one alert. The second and later get the message mixed in, then a
    counter; the first keeps the plain fingerprint. Callers pass findings in report order,
    so the same findings always get the same keys.
    """
    seen: set[str] = set()
    keys = []
    for finding in findings:
        key = fingerprint(finding)
        if key in seen:
            key = _hash(f"{key}\x1f{finding.message}")
        base, counter = key, 2
        while key in seen:
            key = _hash(f"{base}\x1f{counter}")
            counter += 1
        seen.add(key)
        keys.append(key)
    return keys


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
