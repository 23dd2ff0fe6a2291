"""Whole real repositories (../shared/corpus/repos): lintsov refuses none of their folders.
And benchmarks/corpus.py, which measures them, finds and classifies folders as intended."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import CORPUS, ROOT
from lintsov.cli import main

# benchmarks/ is a folder of scripts, not a package; they import each other by name.
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus

REPOS = CORPUS / "repos"
# Folders Terraform refuses too, with the start of lintsov's one-line error. fabric's
# tests/fixtures holds snippets that its tests copy into other modules one at a time;
# side by side they declare the same resource twice, which `terraform validate` rejects
# ("Duplicate resource ... configuration").
NOT_TERRAFORM = {
    "cloud-foundation-fabric/tests/fixtures": "lintsov: error: cloud-foundation-fabric/tests/"
    'fixtures/cloudsql-kms-iam-grant.tf: duplicate resource "google_kms_crypto_key_iam_binding"',
}


def lint_exit(folder: str, cache: str) -> tuple[str, int, str]:
    """lintsov on one folder, in this process: the folder, the exit code, the first line
    it printed (its error on exit 2)."""
    options = ["--cache-dir", cache, "--jobs", "1", "--fail-on", "never", "--output", os.devnull]
    result = CliRunner().invoke(main, [folder, *options])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return folder, -1, f"traceback: {type(result.exception).__name__}: {result.exception}"
    lines = result.output.strip().splitlines()
    return folder, result.exit_code, lines[0] if lines else ""


@pytest.mark.skipif(not REPOS.is_dir(), reason="../shared/corpus/repos is not present")
def test_no_folder_of_the_corpus_repositories_is_refused(tmp_path: Path) -> None:
    folders = [str(path) for path in corpus.config_folders(REPOS)]
    assert len(folders) > 100  # both repositories were found, not an empty or moved corpus
    # In-process runs in a few worker processes: a fresh interpreter per folder would cost
    # more than most of the runs themselves. One parse cache for all: many folders call the
    # same local modules, whose files are then parsed once, not once per caller.
    workers = min(4, os.cpu_count() or 1)
    caches = [str(tmp_path / "cache")] * len(folders)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(lint_exit, folders, caches))
    refused = []
    for folder, code, line in results:
        name = str(Path(folder).relative_to(REPOS))
        shown = line.replace(f"{REPOS}{os.sep}", "")
        if name in NOT_TERRAFORM:
            if code != 2 or not shown.startswith(NOT_TERRAFORM[name]):
                refused.append(f"{name}: Terraform refuses it, lintsov gave exit {code}: {shown}")
        elif code not in (0, 1):
            refused.append(f"{name}: exit {code}: {shown}")
    if refused:
        pytest.fail(
            f"lintsov refused {len(refused)} of {len(folders)} folders:\n" + "\n".join(refused),
            pytrace=False,
        )


# --- benchmarks/corpus.py ------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path.parent


RESOURCE = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'


@pytest.mark.parametrize(
    ("file", "text", "reason"),
    [
        ("examples/complete/main.tf", RESOURCE, "example"),
        ("modules/bucket/examples/basic/main.tf", RESOURCE, "example"),
        ("fast/stages/0-bootstrap/main.tf", RESOURCE, "FAST stage"),
        (
            "stack/providers.tf",
            'provider "google" {\n  region = "europe-west3"\n}\n',
            "provider block in providers.tf",
        ),
        (
            "stack/backend.tf",
            'terraform {\n  backend "gcs" {\n    bucket = "state"\n  }\n}\n',
            "backend block in backend.tf",
        ),
        (
            "stack/versions.tofu",
            'terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n',
            "cloud block in versions.tofu",
        ),
        (
            "stack/main.tf.json",
            json.dumps({"provider": {"aws": {"region": "eu-west-1"}}}),
            "provider block in main.tf.json",
        ),
        (
            "stack/main.tf.json",
            json.dumps({"terraform": [{"backend": {"s3": {"bucket": "state"}}}]}),
            "backend block in main.tf.json",
        ),
    ],
    ids=[
        "example",
        "nested-example",
        "fast-stage",
        "provider",
        "backend",
        "cloud",
        "json-provider",
        "json-backend",
    ],
)
def test_root_module_is_recognised(tmp_path: Path, file: str, text: str, reason: str) -> None:
    folder = write(tmp_path / "repo" / file, text)
    assert corpus.root_reason(folder, tmp_path / "repo") == reason


@pytest.mark.parametrize(
    ("file", "text"),
    [
        # A module that picks a provider configuration, and says which providers it needs.
        (
            "modules/bucket/main.tf",
            'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n'
            '  }\n}\nresource "aws_s3_bucket" "b" {\n  provider = aws.eu\n}\n',
        ),
        # The examples folder itself, and a folder inside a FAST stage, are not roots.
        ("tests/examples/variables.tf", 'variable "region" {}\n'),
        ("fast/stages/1-vpcsc/moved/v38.tf", "moved {\n  from = a.b\n  to   = a.c\n}\n"),
        # A provider block only mentioned in a comment or a string.
        ("modules/doc/main.tf", 'locals {\n  doc = "provider \\"aws\\" { }"\n}\n# provider\n'),
        ("modules/json/main.tf.json", json.dumps({"resource": {"provider": {}}})),
    ],
    ids=["module", "examples-itself", "inside-fast-stage", "provider-in-string", "json-module"],
)
def test_reusable_module_is_not_a_root(tmp_path: Path, file: str, text: str) -> None:
    folder = write(tmp_path / "repo" / file, text)
    assert corpus.root_reason(folder, tmp_path / "repo") == ""


def test_folders_with_configuration_are_found_and_terraform_downloads_skipped(
    tmp_path: Path,
) -> None:
    repos = tmp_path / "repos"
    write(repos / "one" / "main.tf", RESOURCE)
    write(repos / "one" / "examples" / "a" / "main.tofu", RESOURCE)
    write(repos / "one" / "examples" / "a" / ".terraform" / "modules" / "m" / "main.tf", RESOURCE)
    write(repos / "one" / "docs" / "README.md", "no configuration here\n")
    write(repos / "two" / "stack" / "main.tf.json", "{}")
    found = corpus.folders_of(repos)
    assert [(f.repository, f.path, f.root) for f in found] == [
        ("one", "one", ""),
        ("one", "one/examples/a", "example"),
        ("two", "two/stack", ""),
    ]


def test_unknown_reasons_fall_into_categories() -> None:
    category = corpus.reason_category
    assert category(
        'region unknown: no provider "google" block in the configuration; its settings come '
        "from the environment at apply time"
    ) == ("provider region not set / from the environment")
    assert (
        category("region unknown: location: var.location has no value (no default or tfvars)")
        == "variable with no value"
    )
    assert (
        category(
            "region unknown: region: argument region of module.wrapper[*] (wrappers/main.tf:1) "
            "uses `try(each.value.region, var.defaults.region, null)`, which lintsov does not "
            "evaluate"
        )
        == "try() not evaluated"
    )
    assert (
        category(
            "region unknown: location: local.ctx (modules/gcs/main.tf:17) uses `{for k , v in "
            "var.context : k => v}`, which lintsov does not evaluate"
        )
        == "for expression not evaluated"
    )
    assert category("country unknown: 'mars-1' is not a aws region in lintsov's catalogue") == (
        "region not in catalogue"
    )
    assert category("region unknown: module.vpc was not loaded") == "module not loaded"
    assert category("region unknown: something new") == "other"


def test_refusal_causes(tmp_path: Path) -> None:
    continued = tmp_path / "continued.tf"
    continued.write_text('locals {\n  a = (\n    var.x\n    ? "y"\n    : "z"\n  )\n}\n')
    crlf = tmp_path / "crlf.tf"
    crlf.write_bytes(b"/*\r\n */\r\nlocals {\r\n}\r\n")
    assert (
        corpus.refusal_cause(f"{continued}: unexpected '?'; expected ')' (at {continued}:4:5)")
        == "multi-line operator continuation"
    )
    assert (
        corpus.refusal_cause(f"{crlf}: unexpected end of line; expected ':' (at {crlf}:2:4)")
        == "CRLF line endings"
    )
    # The same token in the middle of a line is some other mistake.
    assert (
        corpus.refusal_cause(f"{continued}: unexpected '?'; expected ')' (at {continued}:3:10)")
        == "other"
    )


def result(
    path: str,
    root: str = "",
    error: str = "",
    holding: int = 0,
    unresolved: tuple[corpus.Unresolved, ...] = (),
) -> corpus.FolderResult:
    folder = corpus.Folder(path.partition("/")[0], path, root)
    cause = corpus.refusal_cause(error) if error else ""
    return corpus.FolderResult(
        folder, 2 if error else 0, "", error, cause, 1.0, 40.0, holding, unresolved
    )


def test_summary_counts_root_folders_only_and_groups_reasons(tmp_path: Path) -> None:
    module = tmp_path / "main.tf"
    module.write_text('locals {\n  a = (\n    var.x\n    ? "y"\n    : "z"\n  )\n}\n')
    error = f"{module}: unexpected '?'; expected ')' (at {module}:4:5)"
    unknown = corpus.Unresolved("aws_s3_bucket.logs", "region unknown: …", "variable with no value")
    text = corpus.summary(
        [
            result("r/examples/a", "example", holding=4, unresolved=(unknown,)),
            result("r/examples/b", "example", error=error),
            result("r/modules/a", error=error),
            result("r/modules/b", holding=9),
        ]
    )
    assert "- folders: 4" in text
    assert "- refused (exit 2) or crashed: 2 (50.0%), for 1 distinct files" in text
    assert "- root folders: 2 (1 of them not read)" in text
    # The reusable module's resources are not counted: their location comes from a caller.
    assert "- data-holding resources in the root folders read: 4" in text
    assert "- with no country: 1 (25.0%)" in text
    assert "- variable with no value: 1" in text
    assert "- multi-line operator continuation: 2, 1" in text
    assert f"- r/examples/b: {error}" in text
