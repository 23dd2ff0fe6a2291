"""Waivers end to end: one that does not parse completely, or names a rule lintsov does not
have, waives nothing and is reported (LSV001) with its file:line and what is wrong; one
that waived nothing is reported too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import cli, hcl_path, plan_path

KNOWN = "AUT001, LSV001, LSV002, SOV001, SOV002, SOV003, SOV004, SOV005, SOV006, SOV007, SOV008"


def report(*args: str) -> dict[str, Any]:
    result = cli(*args, "--format", "json", "--no-cache", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def lsv001(document: dict[str, Any]) -> dict[str, tuple[str, str, int]]:
    """LSV001 findings by address: (message, file, line)."""
    return {
        f["address"]: (f["message"], f["location"]["file"], f["location"]["line"])
        for f in document["findings"]
        if f["rule"] == "LSV001"
    }


def fired(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["rule"], f["address"]) for f in document["findings"]}


def test_waivers_that_do_not_parse_waive_nothing_and_say_what_is_wrong() -> None:
    document = report(hcl_path("waivers_that_do_not_parse"))
    main = hcl_path("waivers_that_do_not_parse/main.tf")
    assert lsv001(document) == {
        "aws_s3_bucket.misspelt_key": (
            "the waiver for SOV002 does not parse: unknown key 'untill' (known: reason, "
            "until), at column 41; it waives nothing",
            main,
            5,
        ),
        "aws_s3_bucket.unknown_rule": (
            f"the waiver for SOV020 names SOV020, not a rule lintsov has (known: {KNOWN}), "
            "so it waives nothing",
            main,
            10,
        ),
        "aws_s3_bucket.unterminated_quote": (
            'the waiver for SOV002 does not parse: the value of reason opens a quote (") that '
            "does not close, at column 32; it waives nothing",
            main,
            15,
        ),
        "aws_s3_bucket.unquoted_words": (
            "the waiver for SOV002 does not parse: stray text 'DPA', at column 35; it waives "
            "nothing",
            main,
            20,
        ),
    }
    # The findings they meant to waive still count.
    for name in ("misspelt_key", "unterminated_quote", "unquoted_words"):
        assert ("SOV002", f"aws_s3_bucket.{name}") in fired(document)
    assert ("SOV001", "aws_s3_bucket.unknown_rule") in fired(document)
    # A single-quoted reason waives, and is recorded whole.
    (waived,) = document["waived"]
    assert (waived["rule"], waived["address"]) == ("SOV002", "aws_s3_bucket.single_quoted")
    assert (waived["waiver"]["reason"], waived["waiver"]["until"]) == (
        "EU DPA signed",
        "2099-12-31",
    )


def test_a_waiver_that_waived_nothing_is_reported() -> None:
    document = report(hcl_path("waivers_unused"))
    main = hcl_path("waivers_unused/main.tf")
    assert lsv001(document) == {
        "aws_s3_bucket.records": (
            "the waiver for SOV001, SOV002 waived no SOV001 finding in this run; remove SOV001 "
            "from it, or it will waive a future finding unseen",
            main,
            11,
        ),
        "aws_s3_bucket.assets": (
            "the waiver for SOV002 waived no SOV002 finding in this run; remove it, or it will "
            "waive a future finding unseen",
            main,
            17,
        ),
    }
    assert next(f for f in document["findings"] if f["rule"] == "LSV001")["severity"] == "warning"
    # The module evaluated twice: its SOV001 waiver waived the US instance's finding only,
    # and counts as used. The shared module's waiver (outside the root folder) is not
    # judged, though it waived nothing here.
    waived = {(w["rule"], w["address"]) for w in document["waived"]}
    assert ("SOV001", "module.us.aws_s3_bucket.replica") in waived
    assert ("SOV001", "module.eu.aws_s3_bucket.replica") not in waived
    assert ("SOV002", "module.shared.aws_s3_bucket.logs") in fired(document)


def test_a_waiver_for_a_disabled_rule_is_not_judged(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text("rules:\n  SOV001: {enabled: false}\n")
    assert "aws_s3_bucket.records" not in lsv001(report(hcl_path("waivers_unused")))


def test_a_config_waiver_that_matches_nothing_is_stale(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text(
        "waivers:\n"
        "  - {rule: SOV002, address: 'aws_s3_bucket.cust*', reason: contract SEC-12}\n"
        "  - {rule: SOV002, address: 'module.legacy.*', reason: contract SEC-9}\n"
    )
    document = report(
        plan_path("sensitive_bucket_us_region"), plan_path("sensitive_data_eu_vendors")
    )
    stale = [f for f in document["findings"] if f["rule"] == "LSV001"]
    assert [(f["message"], f["input"], f["location"]["line"]) for f in stale] == [
        (
            "the config waiver for SOV002 on module.legacy.* matches no resource in any "
            "input its config applies to, so it waives nothing; remove it, or correct its "
            "address",
            ".lintsov.yaml",
            3,
        )
    ]
    assert [(w["rule"], w["address"]) for w in document["waived"]] == [
        ("SOV002", "aws_s3_bucket.customers")
    ]


def test_a_100_kb_waiver_value_is_quoted_short_in_every_report(repo: Path) -> None:
    (repo / ".lintsov.yaml").write_text(
        "waivers:\n"
        f"  - {{rule: SOV002, address: 'aws_*', reason: contract, until: '{'9' * 100_000}'}}\n"
    )
    (repo / "main.tf").write_text(
        f"# lintsov:ignore SOV001 reason=contract until={'1' * 100_000}\n"
        'resource "aws_s3_bucket" "b" {\n}\n'
    )
    messages = [f["message"] for f in report(str(repo))["findings"] if f["rule"] == "LSV001"]
    assert len(messages) == 2
    assert all(len(message) < 300 and "…" in message for message in messages)
    sarif = cli(str(repo), "--format", "sarif", "--no-cache")
    (run,) = json.loads(sarif.output)["runs"]
    assert max(len(json.dumps(result)) for result in run["results"]) < 3000
