"""Compare lintsov's region catalogue with the region lists vendors publish machine-readably.

Two vendors ship their region list in a package on PyPI:

- AWS: ``botocore/data/endpoints.json`` in ``botocore`` (every partition's regions);
- Oracle (OCI): ``oci/regions_definitions.py`` in ``oci`` (``REGION_REALMS``: every region
  with its realm; read as data with ``ast.literal_eval``, never run).

A small list derived from one pinned version of each is kept beside this script
(``region_sources/<package>.json``: version, sha256 of the file it came from, every region
with its partition or realm), so that the comparison runs offline.

    python scripts/region_sources.py                           # pinned lists vs the catalogue
    python scripts/region_sources.py --installed               # the installed packages too
    python scripts/region_sources.py --source oci --file F --version V   # a file you have
    python scripts/region_sources.py --installed --write       # re-pin from installed packages

Exit 0 when every region of the sources is in the catalogue (or in the region file's
``checked.left_out`` list, with the reason); 1 when some are missing, naming them; 2 when
a source cannot be read.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from lintsov.catalogue import builtin_documents, normalise_location

PINNED_FOLDER = Path(__file__).resolve().parent / "region_sources"


@dataclass(frozen=True)
class SourceRegion:
    id: str
    # botocore: the partition (aws, aws-cn, ...); oci: the realm (oc1, oc19, ...).
    group: str
    description: str


@dataclass(frozen=True)
class RegionSource:
    """One vendor's published region list: which package version, the sha256 of the file
    it came from, and its regions."""

    vendor: str
    package: str
    version: str
    sha256: str
    regions: tuple[SourceRegion, ...]

    def to_json(self) -> dict[str, Any]:
        kind = KINDS[self.package]
        return {
            "vendor": self.vendor,
            "package": self.package,
            "version": self.version,
            "file": kind.file,
            "url": kind.url.format(version=self.version),
            "sha256": self.sha256,
            "regions": [
                {"id": r.id, "group": r.group, "description": r.description} for r in self.regions
            ],
        }


class SourceError(Exception):
    """A source that cannot be read: the script exits 2 with this message."""


@dataclass(frozen=True)
class SourceKind:
    """How to read one package's region list: the file inside the package, where it is
    published, and the function deriving the regions from its bytes."""

    vendor: str
    package: str
    file: str
    url: str
    derive: Callable[[bytes, str], tuple[SourceRegion, ...]]


def _botocore_regions(raw: bytes, where: str) -> tuple[SourceRegion, ...]:
    """Every partition's ``regions`` keys of a botocore ``endpoints.json``."""
    try:
        partitions = json.loads(raw)["partitions"]
        return tuple(
            SourceRegion(name, str(partition["partition"]), str(info.get("description", "")))
            for partition in partitions
            for name, info in sorted(partition["regions"].items())
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SourceError(f"{where}: not a botocore endpoints.json ({error})") from error


def _oci_regions(raw: bytes, where: str) -> tuple[SourceRegion, ...]:
    """``REGION_REALMS`` of an OCI SDK ``regions_definitions.py``, read as a literal, with
    each region's short key from ``REGIONS_SHORT_NAMES`` as its description."""
    try:
        tree = ast.parse(raw.decode("utf-8"))
        found: dict[str, Any] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                if name in ("REGION_REALMS", "REGIONS_SHORT_NAMES"):
                    found[name] = ast.literal_eval(node.value)
        realms: Mapping[str, str] = found["REGION_REALMS"]
        keys = {region: key for key, region in found.get("REGIONS_SHORT_NAMES", {}).items()}
        return tuple(
            SourceRegion(region, str(realm), f"key {keys[region]}" if region in keys else "")
            for region, realm in sorted(realms.items())
        )
    except (ValueError, KeyError, TypeError, AttributeError, SyntaxError) as error:
        raise SourceError(f"{where}: not an OCI SDK regions_definitions.py ({error})") from error


KINDS = {
    "botocore": SourceKind(
        "aws",
        "botocore",
        "botocore/data/endpoints.json",
        "https://github.com/boto/botocore/blob/{version}/botocore/data/endpoints.json",
        _botocore_regions,
    ),
    "oci": SourceKind(
        "oracle",
        "oci",
        "oci/regions_definitions.py",
        "https://github.com/oracle/oci-python-sdk/blob/v{version}/src/oci/regions_definitions.py",
        _oci_regions,
    ),
}


def from_bytes(package: str, raw: bytes, version: str, where: str) -> RegionSource:
    kind = KINDS[package]
    regions = kind.derive(raw, where)
    return RegionSource(kind.vendor, package, version, hashlib.sha256(raw).hexdigest(), regions)


def installed(package: str) -> RegionSource:
    kind = KINDS[package]
    # Located through the distribution's metadata, not imported: importing oci needs its
    # dependencies, and nothing of the package is run.
    try:
        distribution = metadata.distribution(package)
        version = distribution.version
        raw = Path(str(distribution.locate_file(kind.file))).read_bytes()
    except (metadata.PackageNotFoundError, OSError) as error:
        raise SourceError(f"{package} is not installed here ({error})") from error
    return from_bytes(package, raw, version, f"{package} {version}")


def pinned_path(package: str) -> Path:
    return PINNED_FOLDER / f"{package}.json"


def pinned(path: Path) -> RegionSource:
    try:
        data = json.loads(path.read_text("utf-8"))
        return RegionSource(
            data["vendor"],
            data["package"],
            data["version"],
            data["sha256"],
            tuple(SourceRegion(r["id"], r["group"], r["description"]) for r in data["regions"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SourceError(f"{path}: cannot read the pinned region list ({error})") from error


def catalogue_state(vendor: str) -> tuple[frozenset[str], dict[str, str]]:
    """The region spellings the catalogue knows for ``vendor``, and the regions its region
    file leaves out on purpose, with the reason."""
    document = builtin_documents()[f"regions/{vendor}.json"]
    known = frozenset(
        normalise_location(spelling)
        for entry in document["regions"]
        for spelling in (entry["id"], *entry.get("aliases", ()))
    )
    left_out = {
        normalise_location(item["id"]): item["reason"]
        for item in document.get("checked", {}).get("left_out", ())
    }
    return known, left_out


def missing_from_catalogue(source: RegionSource) -> list[SourceRegion]:
    """The source's regions that the catalogue neither knows nor leaves out with a reason."""
    known, left_out = catalogue_state(source.vendor)
    return [
        r
        for r in source.regions
        if normalise_location(r.id) not in known and normalise_location(r.id) not in left_out
    ]


def differences(old: RegionSource, new: RegionSource) -> tuple[list[str], list[str]]:
    """Regions the newer source adds and removes."""
    before = {r.id for r in old.regions}
    after = {r.id for r in new.regions}
    return sorted(after - before), sorted(before - after)


def report(source: RegionSource, against: RegionSource | None, out: list[str]) -> int:
    """Lines for ``out``; the exit code."""
    code = 0
    label = f"{source.package} {source.version}"
    if against is not None:
        added, removed = differences(against, source)
        pin = f"{against.package} {against.version}"
        if not added and not removed:
            out.append(f"{label}: same regions as the pinned {pin}")
        out.extend(f"{label}: new since the pinned {pin}: {name}" for name in added)
        out.extend(f"{label}: gone since the pinned {pin}: {name}" for name in removed)
    _, left_out = catalogue_state(source.vendor)
    for region in missing_from_catalogue(source):
        code = 1
        out.append(
            f"{label}: {region.id} ({region.description or 'no description'}, {region.group}) "
            f"is not in lintsov's catalogue (lintsov/catalogue/regions/{source.vendor}.json)"
        )
    skipped = [r for r in source.regions if normalise_location(r.id) in left_out]
    if skipped:
        out.append(f"{label}: {len(skipped)} left out on purpose (see checked.left_out):")
        out.extend(f"  {r.id}: {left_out[normalise_location(r.id)]}" for r in skipped)
    if code == 0:
        count = len(source.regions)
        out.append(f"{label}: all {count} regions are in the catalogue or left out on purpose")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--source", choices=sorted(KINDS), action="append", help="only this source (repeatable)"
    )
    parser.add_argument("--installed", action="store_true", help="compare installed packages too")
    parser.add_argument("--file", type=Path, help="compare this file of the (one) --source too")
    parser.add_argument("--version", default="unpinned", help="the version of --file")
    parser.add_argument("--write", action="store_true", help="re-pin from the newer source")
    parser.add_argument("--pinned-folder", type=Path, default=PINNED_FOLDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    packages: list[str] = args.source or sorted(KINDS)
    if args.file is not None and len(packages) != 1:
        parser.error("--file needs exactly one --source")
    out: list[str] = []
    code = 0
    try:
        for package in packages:
            path = args.pinned_folder / f"{package}.json"
            base = pinned(path)
            newer: RegionSource | None = None
            if args.file is not None:
                try:
                    raw = args.file.read_bytes()
                except OSError as error:
                    raise SourceError(f"{args.file}: {error.strerror}") from error
                newer = from_bytes(package, raw, args.version, str(args.file))
            elif args.installed:
                newer = installed(package)
            code = max(code, report(base, None, out))
            if newer is not None:
                code = max(code, report(newer, base, out))
                if args.write:
                    path.write_text(_dumps(newer.to_json()), "utf-8")
                    out.append(f"pinned {newer.package} {newer.version} in {path}")
    except SourceError as error:
        print(f"region_sources: {error}", file=sys.stderr)
        return 2
    print("\n".join(out))
    return code


def _dumps(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.exit(main())
