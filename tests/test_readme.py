"""The README's numbers and sample output are the code's, not a memory of it."""

from __future__ import annotations

import os
import re

from helpers import ROOT, cli
from lintsov import catalogue

README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLE = "fixtures/plans/sensitive_bucket_us_region.json"


def test_the_sample_output_is_what_lintsov_prints() -> None:
    match = re.search(rf"```text\n\$ lintsov {re.escape(SAMPLE)}\n(.*?)```", README, re.DOTALL)
    assert match, "the README's sample run is missing"
    cwd = os.getcwd()
    os.chdir(ROOT)  # the report names the input as given, relative to the repository
    try:
        printed = cli(SAMPLE, "--no-color").output
    finally:
        os.chdir(cwd)
    assert match.group(1) == printed, (
        f"README sample output is stale: paste `lintsov {SAMPLE} --no-color` into it"
    )


def test_the_catalogue_counts_are_the_catalogue_s() -> None:
    cat = catalogue.builtin()
    # The README counts the files it names; platforms.json adds vendors and types of its own.
    (types,) = re.findall(r"(\d+) Terraform types across", README)
    assert int(types) == len(cat.documents["data_types.json"]["types"])
    (arm,) = re.findall(r"against (\d+) data-holding ARM types", README)
    assert int(arm) == len(cat.arm_types)
    (vendors,) = re.findall(r"`vendors.json`: (\d+) vendors", README)
    assert int(vendors) == len(cat.documents["vendors.json"]["vendors"])
