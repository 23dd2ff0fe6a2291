"""The same input gives byte-identical output, whatever the hash seed."""

from __future__ import annotations

import os

import pytest

from helpers import HCL, PLANS, run_lintsov

INPUTS = [str(p) for p in sorted(PLANS.glob("*.json"))] + [
    str(p) for p in sorted(HCL.iterdir()) if p.is_dir() and p.name != "parse_error"
]


@pytest.mark.parametrize(
    "command",
    [
        ["--format", "json", "--fail-on", "never"],
        ["--format", "text", "--no-color", "--fail-on", "never"],
        ["--format", "sarif", "--fail-on", "never"],
        ["--format", "junit", "--fail-on", "never"],
        ["--format", "github", "--fail-on", "never"],
        ["--format", "gitlab", "--fail-on", "never"],
        ["--format", "markdown", "--fail-on", "never", "--aggregate"],
        ["inventory", "--format", "json"],
        ["inventory", "--format", "csv"],
        ["inventory", "--format", "text"],
    ],
)
def test_output_is_identical_across_hash_seeds(command: list[str]) -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        if command[0] == "inventory":
            args = [command[0], *INPUTS, *command[1:], "--no-cache"]
        else:
            args = [*INPUTS, *command, "--no-cache"]
        done = run_lintsov(*args, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_json_text_matches_the_standard_library() -> None:
    """lintsov writes JSON with msgspec for speed; the bytes are what json.dumps writes."""
    import json

    from lintsov import json_text

    document: dict[str, object] = {
        "z": [1, 2.5, None, True, "§ ← é", {"nested": []}, {}],
        "a": {'quote"s': "line\nbreak\ttab \\ back", "empty": ""},
        "control": "\x00\x1f",
    }
    assert json_text.dumps(document) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
