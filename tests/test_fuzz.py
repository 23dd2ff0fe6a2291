"""Fuzzing: generated and mutated plans, configurations and config files. For every input
lintsov exits 0, 1 or 2, never with a traceback or a hang; it exits 2 whenever it could not
read the input; a resource it could read but not resolve is reported as such, never dropped.

Short profile in CI; the long one by hand (see tests/conftest.py and the README).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzzing import run
from hypothesis import given
from hypothesis import strategies as st

from helpers import CORPUS, HCL, PLANS, plan_path

# --- plan JSON -------------------------------------------------------------------------

_SEED_PATHS = sorted(PLANS.glob("*.json"))
if (CORPUS / "plans").is_dir():
    _SEED_PATHS += sorted(p for p in (CORPUS / "plans").glob("*.json") if p.stat().st_size < 2**20)
SEEDS = [json.loads(p.read_text()) for p in _SEED_PATHS]

ODD_VALUES = st.sampled_from(
    [None, 0, -1, 2**70, 1.5, True, "", "x", "arn:aws:s3:::", [], {}, [None], {"": None}]
)
FORMAT_VERSIONS = st.sampled_from(["0.0", "0.1", "1.0", "1.99", "2.0", "9.1", "", "1", "a.b"])


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document, down to the depth plans have."""
    found = [path] if path else []
    if len(path) > 40:
        return found
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*path, index))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


def _nested(depth: int) -> str:
    """A placeholder that becomes ``depth`` nested lists once the document is text: deep
    nesting is built as text, since json.dumps itself would overflow Python's stack."""
    return f"__NESTED_{depth}__"


def _expand(text: str) -> str:
    for depth in (50, 499, 600, 3000):
        text = text.replace(f'"{_nested(depth)}"', "[" * depth + "1" + "]" * depth)
    return text


@st.composite
def mutated_plans(draw: st.DrawFn) -> tuple[str, bytes]:
    """A fixture or corpus plan with one to three mutations, as bytes to write."""
    document = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    kinds = draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3))
    for kind in kinds:
        places = _places(document)
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent = _parent(document, path)
        if kind == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif kind == "drop" and isinstance(parent, list):
            parent.pop(path[-1])
        elif kind == "retype":
            parent[path[-1]] = draw(ODD_VALUES)
        elif kind == "huge":
            parent[path[-1]] = "A" * draw(st.sampled_from([10_000, 1_000_000]))
        elif kind == "deep":
            parent[path[-1]] = _nested(draw(st.sampled_from([50, 499, 600, 3000])))
        elif kind == "format" and isinstance(document, dict):
            document["format_version"] = draw(FORMAT_VERSIONS)
        elif kind == "duplicate" and isinstance(document.get("resource_changes"), list):
            changes = document["resource_changes"]
            if changes:
                changes.append(copy.deepcopy(draw(st.sampled_from(changes))))
        elif kind == "dangling":
            for resource in _configured_resources(document):
                resource["provider_config_key"] = draw(st.sampled_from(["nope", "aws.ghost", ""]))
    text = _expand(json.dumps(document)).encode()
    damage = draw(st.sampled_from(["none", "none", "truncate", "byte"]))
    if damage == "truncate" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    elif damage == "byte" and text:
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + bytes([draw(st.integers(0, 255))]) + text[at + 1 :]
    return "+".join([*kinds, damage]), text


MUTATIONS = ["drop", "retype", "huge", "deep", "format", "duplicate", "dangling"]


def _configured_resources(document: Any) -> list[dict[str, Any]]:
    configuration = document.get("configuration") if isinstance(document, dict) else None
    module = configuration.get("root_module") if isinstance(configuration, dict) else None
    resources = module.get("resources") if isinstance(module, dict) else None
    return [r for r in resources if isinstance(r, dict)] if isinstance(resources, list) else []


def _expected_addresses(document: Any) -> set[str]:
    """The managed resources a readable plan's changes list, deletions aside: each must be
    in the inventory, resolved or with the reason it is not."""
    changes = document.get("resource_changes") if isinstance(document, dict) else None
    found = set()
    for change in changes if isinstance(changes, list) else []:
        # Only what lintsov read: an unreadable plan never gets this far.
        actions = change["change"]["actions"]
        if change.get("mode", "managed") == "managed" and actions != ["delete"]:
            found.add(change["address"])
    return found


def _check_nothing_dropped(path: Path) -> None:
    result = run(
        "inventory", "inventory", str(path), "--format", "json", "--no-cache", "--jobs", "1"
    )
    assert result.exit_code == 0, result.output
    document = json.loads(path.read_bytes().decode("utf-8-sig"))
    rows = json.loads(result.output)["inputs"][0]["resources"]
    assert _expected_addresses(document) <= {row["address"] for row in rows}
    for row in rows:
        # Unresolved is reported, with the reason: never silently left out. A global
        # resource is in no country on purpose, and its region evidence says why.
        if row["region"] == "global":
            assert any(e["fact"] == "region" for e in row["evidence"]), row["address"]
        elif not row["countries"] and row["provider_kind"] != "utility":
            assert row["missing"], row["address"]


@pytest.mark.parametrize("seed", _SEED_PATHS, ids=[p.name for p in _SEED_PATHS])
def test_every_seed_keeps_every_resource(seed: Path) -> None:
    _check_nothing_dropped(seed)


@given(mutated_plans())
def test_mutated_plans(case: tuple[str, bytes]) -> None:
    _label, data = case
    path = Path(_tmp_dir()) / "plan.json"
    path.write_bytes(data)
    result = run("plan", str(path), "--format", "json", "--no-cache", "--jobs", "1")
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        # lintsov must not have read what is not JSON.
        assert result.exit_code == 2, result.output
        return
    except RecursionError:
        return  # JSON, but deeper than this checker reads; lintsov's exit was checked
    if result.exit_code in (0, 1):
        json.loads(result.output)
        if isinstance(document, dict):
            _check_nothing_dropped(path)


# Generated plans: valid shapes with random content.
_TYPES = st.sampled_from(
    [
        "aws_s3_bucket",
        "aws_db_instance",
        "azurerm_storage_account",
        "google_storage_bucket",
        "hcloud_volume",
        "random_id",
        "made_up_thing",
        "aws_s3_bucket_replication_configuration",
    ]
)
_PROVIDERS = st.sampled_from(
    [
        "registry.terraform.io/hashicorp/aws",
        "registry.terraform.io/hashicorp/azurerm",
        "registry.terraform.io/hashicorp/google",
        "registry.terraform.io/hetznercloud/hcloud",
        "registry.opentofu.org/hashicorp/aws",
        "example.com/private/thing",
        "",
    ]
)
_TEXT = st.text(max_size=30)
_REGION = st.one_of(
    st.sampled_from(["eu-central-1", "us-east-1", "westeurope", "EU", "nbg1", "gra", "cn-north-1"]),
    _TEXT,
    st.none(),
)


@st.composite
def generated_plans(draw: st.DrawFn) -> dict[str, Any]:
    changes = []
    configured = []
    count = draw(st.integers(0, 6))
    for index in range(count):
        kind = draw(_TYPES)
        address = f"{kind}.r{index}"
        after: dict[str, Any] = {"tags": draw(st.dictionaries(_TEXT, _TEXT, max_size=3))}
        if draw(st.booleans()):
            after["tags"]["data-classification"] = draw(st.sampled_from(["confidential", "x"]))
        region = draw(_REGION)
        if region is not None:
            after[draw(st.sampled_from(["region", "location", "zone"]))] = region
        provider = draw(_PROVIDERS)
        changes.append(
            {
                "address": address,
                "mode": draw(st.sampled_from(["managed", "managed", "data"])),
                "type": kind,
                "name": f"r{index}",
                "provider_name": provider,
                "change": {
                    "actions": draw(
                        st.sampled_from([["create"], ["update"], ["delete"], ["no-op"]])
                    ),
                    "before": None,
                    "after": after,
                    "after_unknown": draw(st.sampled_from([{}, {"region": True}, True])),
                    "after_sensitive": draw(st.sampled_from([{}, {"tags": True}, True])),
                },
            }
        )
        configured.append(
            {
                "address": address,
                "mode": "managed",
                "type": kind,
                "name": f"r{index}",
                "provider_config_key": draw(st.sampled_from(["aws", "aws.eu", "google", "x"])),
                "expressions": {},
            }
        )
    providers = {
        "aws": {"name": "aws", "expressions": {"region": {"constant_value": draw(_REGION)}}},
        "aws.eu": {"name": "aws", "alias": "eu", "expressions": {}},
    }
    return {
        "format_version": draw(st.sampled_from(["1.0", "1.2", "0.1"])),
        "terraform_version": "1.9.8",
        "resource_changes": changes,
        "configuration": {"provider_config": providers, "root_module": {"resources": configured}},
    }


@given(generated_plans())
def test_generated_plans_are_read_and_nothing_is_dropped(document: dict[str, Any]) -> None:
    path = Path(_tmp_dir()) / "plan.json"
    path.write_text(json.dumps(document))
    result = run("generated plan", str(path), "--format", "json", "--no-cache", "--jobs", "1")
    assert result.exit_code in (0, 1), result.output
    _check_nothing_dropped(path)


# --- HCL -------------------------------------------------------------------------------

_IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
_SCALAR = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["true", "false", "null", "1.5e3"]),
    _TEXT.map(json.dumps),
    _IDENT.map(lambda name: f"var.{name}"),
    _IDENT.map(lambda name: f"local.{name}"),
    _IDENT.map(lambda name: f'"${{{name}}}-x"'),
)


def _expressions(leaf: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
            st.dictionaries(_IDENT, inner, max_size=3).map(
                lambda items: "{ " + ", ".join(f"{k} = {v}" for k, v in items.items()) + " }"
            ),
            st.tuples(
                st.sampled_from(["merge", "lookup", "coalesce", "upper", "length"]), inner
            ).map(lambda call: f"{call[0]}({call[1]})"),
            st.tuples(inner, inner, inner).map(lambda c: f"{c[0]} ? {c[1]} : {c[2]}"),
            inner.map(lambda item: f"[for x in {item} : x]"),
        ),
        max_leaves=8,
    )


_BLOCK_KINDS = st.sampled_from(
    [
        ("resource", 2),
        ("data", 2),
        ("provider", 1),
        ("module", 1),
        ("variable", 1),
        ("output", 1),
        ("locals", 0),
        ("terraform", 0),
    ]
)


@st.composite
def generated_hcl(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(0, 5))):
        kind, labels = draw(_BLOCK_KINDS)
        names = [draw(st.sampled_from(["aws_s3_bucket", "aws", "x", "azurerm"]))] * min(labels, 1)
        names += [draw(_IDENT) for _ in range(labels - len(names))]
        body = [
            f"  {draw(_IDENT)} = {draw(_expressions(_SCALAR))}"
            for _ in range(draw(st.integers(0, 4)))
        ]
        if kind == "module":
            body.append(
                f'  source = "{draw(st.sampled_from(["./m", "../x", "git::https://x", "a/b/c"]))}"'
            )
        header = " ".join([kind, *(json.dumps(n) for n in names)])
        blocks.append(header + " {\n" + "\n".join(body) + "\n}\n")
    return "\n".join(blocks)


_HCL_SEEDS = sorted(p for p in HCL.glob("*/*.tf"))


# Damage that makes a file unreadable whatever else it holds: lintsov must exit 2.
UNREADABLE = frozenset({"heredoc", "utf16", "latin1", "nul"})


@st.composite
def hcl_files(draw: st.DrawFn) -> tuple[str, bytes]:
    if draw(st.booleans()):
        text = draw(generated_hcl())
    else:
        text = draw(st.sampled_from(_HCL_SEEDS)).read_text()
    damage = draw(
        st.sampled_from(
            ["none", "truncate", "string", "heredoc", "deep", "insert", "utf16", "latin1", "nul"]
        )
    )
    at = draw(st.integers(0, len(text)))
    if damage == "truncate":
        text = text[:at]
    elif damage == "string":
        text = text[:at] + '\nx = "never closed\n' + text[at:]
    elif damage == "heredoc":
        text += "\nlocals {\n  y = <<EOT\nno end\n"
    elif damage == "deep":
        depth = draw(st.sampled_from([50, 400, 3000]))
        text += "\nlocals {\n  z = " + "[" * depth + "1" + "]" * depth + "\n}\n"
    elif damage == "insert":
        text = text[:at] + draw(st.text(max_size=5)) + text[at:]
    data = text.encode("utf-8", "surrogatepass")
    if damage == "utf16":
        data = text.encode("utf-16")
    elif damage == "latin1":
        data = text.encode("utf-8") + b"\n# caf\xe9\n"
    elif damage == "nul":
        data = data[:at] + b"\x00" + data[at:]
    return damage, data


@given(hcl_files())
def test_hcl_folders(case: tuple[str, bytes]) -> None:
    damage, data = case
    folder = Path(_tmp_dir()) / "config"
    folder.mkdir()
    (folder / "main.tf").write_bytes(data)
    result = run("hcl", str(folder), "--format", "json", "--no-cache", "--jobs", "1")
    if damage in UNREADABLE:
        # Never a clean verdict on a file lintsov could not read.
        assert result.exit_code == 2, (damage, result.output)
    if result.exit_code == 2:
        assert str(folder) in result.output
    else:
        json.loads(result.output)


# --- config files ----------------------------------------------------------------------

_VALID = st.fixed_dictionaries(
    {},
    optional={
        "profile": st.sampled_from(["sovereignty", "residency"]),
        "block_jurisdictions": st.lists(st.sampled_from(["US", "CN", "RU", "DE"]), unique=True),
        "max_vendor_share": st.floats(0.05, 1.0),
        "sensitive": st.fixed_dictionaries(
            {},
            optional={
                "tag_keys": st.lists(_IDENT, min_size=1, max_size=3),
                "addresses": st.lists(st.sampled_from(["aws_*", "module.*"]), max_size=2),
                "secrets_by_nature": st.booleans(),
            },
        ),
        "rules": st.dictionaries(
            st.sampled_from(["SOV001", "SOV002", "AUT001"]),
            st.fixed_dictionaries(
                {},
                optional={
                    "enabled": st.booleans(),
                    "severity": st.sampled_from(["error", "warning"]),
                },
            ),
            max_size=2,
        ),
        "waivers": st.lists(
            st.fixed_dictionaries(
                {"rule": st.sampled_from(["SOV001", "SOV002"]), "address": st.just("aws_*")},
                optional={
                    "reason": _TEXT,
                    "until": st.sampled_from(["2020-01-01", "2099-12-31", "2027-02-30", "soon"]),
                },
            ),
            max_size=2,
        ),
        "endpoints": st.dictionaries(
            st.sampled_from(["*.example.nl", "s3.*.example.com"]),
            st.one_of(
                st.just("self"),
                st.fixed_dictionaries({"vendor": st.just("X B.V."), "country": st.just("NL")}),
            ),
            max_size=2,
        ),
    },
)
_JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=10,
)


@st.composite
def config_files(draw: st.DrawFn) -> tuple[str, str, bool]:
    """(file name, text, whether the config is valid)."""
    valid = draw(st.booleans())
    data: Any = (
        draw(_VALID) if valid else draw(st.one_of(_JUNK, _VALID.map(lambda d: {**d, "x": 1})))
    )
    style = draw(st.sampled_from(["yaml", "yaml", "toml", "raw"]))
    if style == "raw":
        return ".lintsov.yaml", draw(st.text(max_size=80)), False
    if style == "toml":
        if not isinstance(data, dict) or not all(
            isinstance(v, (str, bool, int, float)) for v in data.values()
        ):
            return ".lintsov.yaml", yaml.safe_dump(data), valid
        body = "\n".join(f"{k} = {json.dumps(v)}" for k, v in data.items())
        return "pyproject.toml", f"[tool.lintsov]\n{body}\n", valid
    return ".lintsov.yaml", yaml.safe_dump(data), valid


@given(config_files())
def test_config_files(case: tuple[str, str, bool]) -> None:
    name, text, valid = case
    folder = Path(_tmp_dir())
    (folder / name).write_text(text)
    result = run(
        "config",
        plan_path("sensitive_bucket_us_region"),
        "--config",
        str(folder / name),
        "--no-cache",
        "--jobs",
        "1",
    )
    if valid:
        assert result.exit_code in (0, 1), result.output
    if result.exit_code == 2:
        assert str(folder / name) in result.output


# --- scratch folders -------------------------------------------------------------------

_SCRATCH: list[Any] = []


def _tmp_dir() -> str:
    """A fresh folder per example (hypothesis reuses a test's function-scoped fixtures)."""
    import tempfile

    handle = tempfile.TemporaryDirectory(prefix="lintsov-fuzz-")
    _SCRATCH.append(handle)
    if len(_SCRATCH) > 20:
        _SCRATCH.pop(0).cleanup()
    return handle.name
