"""Golden files: the whole output of every format on a fixed set of inputs.

A change to any format shows up here as a readable diff. After a deliberate change,
regenerate them with one command, never by hand:

    pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ROOT, cli

GOLDEN = ROOT / "tests" / "golden"
# A plan with errors and a warning, and a folder with file:line, a waived finding and
# waivers that do not waive: every part of every format is exercised.
INPUTS = ("fixtures/plans/sensitive_bucket_us_region.json", "fixtures/hcl/waivers")
FORMATS = {
    "text": "report.txt",
    "compact": "report.compact.txt",
    "json": "report.json",
    "sarif": "report.sarif",
    "junit": "report.junit.xml",
    "github": "report.github.txt",
    "gitlab": "report.gitlab.json",
    "markdown": "report.md",
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_format_matches_its_golden_file(
    fmt: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Paths in reports are relative to the repository root: run from it.
    monkeypatch.chdir(ROOT)
    result = cli(*INPUTS, "--format", fmt, "--no-color", "--no-cache", "--show-waived")
    assert result.exit_code == 1, result.output
    golden = GOLDEN / FORMATS[fmt]
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(result.output, encoding="utf-8")
    assert golden.is_file(), f"no golden file: run pytest {Path(__file__).name} --update-golden"
    assert result.output == golden.read_text(encoding="utf-8"), (
        f"{FORMATS[fmt]} differs; if the change is deliberate: "
        "pytest tests/test_golden.py --update-golden"
    )
