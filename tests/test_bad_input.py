"""Input lintsov cannot read gives exit 2 and one line naming the file and the position."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from helpers import plan_path, run_lintsov


def run(*args: str) -> subprocess.CompletedProcess[str]:
    done = run_lintsov(*args, timeout=60)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def assert_refused(done: subprocess.CompletedProcess[str], path: str, *needles: str) -> str:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    line = lines[0]
    assert line.startswith(f"lintsov: error: {path}"), line
    for needle in needles:
        assert needle in line, line
    return line


def test_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.json")
    assert_refused(run(path), path, "no such file")


def test_folder_without_configuration_files(tmp_path: Path) -> None:
    assert_refused(run(str(tmp_path)), str(tmp_path), "no .tf, .tf.json, .tofu or .tofu.json")


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{\n  "format_version": "1.2",\n  "resource_changes": [}\n')
    assert_refused(run(str(path)), str(path), "invalid JSON", f"(at {path}:3:")


def test_truncated_json(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(Path(plan_path("provider_alias")).read_text()[:300])
    assert_refused(run(str(path)), str(path), "truncated", f"(at {path}:")


def test_state_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "terraform.tfstate"
    path.write_text(
        json.dumps(
            {
                "version": 4,
                "terraform_version": "1.9.8",
                "serial": 3,
                "lineage": "0c1d",
                "outputs": {},
                "resources": [],
            }
        )
    )
    assert_refused(run(str(path)), str(path), "state file, not a plan")


def test_state_json_from_show_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(
        json.dumps(
            {"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {}}}
        )
    )
    assert_refused(run(str(path)), str(path), "state JSON")


def test_unknown_format_major_is_rejected(tmp_path: Path) -> None:
    data = json.loads(Path(plan_path("provider_alias")).read_text())
    data["format_version"] = "2.0"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    assert_refused(
        run(str(path)), str(path), "format_version 2.0 is not supported", "(at $.format_version)"
    )


def test_non_utf8_bytes_name_the_position(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    text = Path(plan_path("provider_alias")).read_bytes()
    cut = text.index(b"acme-eu")
    path.write_bytes(text[:cut] + b"\xff\xfe" + text[cut:])
    line = assert_refused(run(str(path)), str(path), "not UTF-8")
    expected_line = text[:cut].count(b"\n") + 1
    assert f"(at {path}:{expected_line}:" in line


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("")
    assert_refused(run(str(path)), str(path), "empty")


def test_json_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("[1, 2]")
    assert_refused(run(str(path)), str(path), "not a JSON object")


def test_wrong_shape_names_the_json_path(tmp_path: Path) -> None:
    data = json.loads(Path(plan_path("provider_alias")).read_text())
    data["resource_changes"][1]["change"]["actions"] = "create"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    assert_refused(
        run(str(path)),
        str(path),
        "Expected array, got str",
        "(at $.resource_changes[1].change.actions)",
    )


def test_utf16_plan_is_refused_with_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(Path(plan_path("provider_alias")).read_text().encode("utf-16"))
    assert_refused(run(str(path)), str(path), "UTF-16", "Out-File -Encoding utf8")


def test_utf8_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(b"\xef\xbb\xbf" + Path(plan_path("provider_alias")).read_bytes())
    done = run(str(path), "--format", "json")
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["summary"]["resources"] == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("{}")
    path.chmod(0)
    assert_refused(run(str(path)), str(path), "permission denied")


def test_one_bad_input_among_good_ones_still_fails_closed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    done = run(plan_path("multi_vendor"), str(bad))
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"lintsov: error: {bad}: invalid JSON"), line
    # The good input is still reported, and the verdict is no pass.
    assert done.stdout.splitlines()[-1].startswith(
        f"✗ error: 1 input could not be read: {bad} · 0 errors · 0 warnings · 3 resources"
    )


def test_unknown_option_is_a_usage_error() -> None:
    done = run("--no-such-option", plan_path("multi_vendor"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_invalid_jurisdiction_is_a_usage_error() -> None:
    done = run(plan_path("multi_vendor"), "--block-jurisdiction", "USA")
    assert done.returncode == 2
    assert "ISO 3166-1 alpha-2" in done.stderr


def test_permission_denied_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root the chmod test above cannot run; simulate the refusal the OS would give.
    from helpers import cli

    path = tmp_path / "plan.json"
    path.write_text("{}")
    original = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = cli(str(path))
    assert result.exit_code == 2
    assert result.output.strip() == f"lintsov: error: {path}: permission denied"
