"""Compare lintsov's region catalogue with the region lists vendors publish machine-readably.

AWS publishes its regions in botocore's ``botocore/data/endpoints.json`` (the ``botocore``
package on PyPI). A small list derived from one pinned botocore version is kept beside this
script (``region_sources/botocore.json``: version, sha256 of ``endpoints.json``, and every
region with its partition and description), so that the comparison runs offline.

    python scripts/region_sources.py                      # pinned list vs the catalogue
    python scripts/region_sources.py --installed          # the installed botocore too
    python scripts/region_sources.py --endpoints FILE     # an endpoints.json you have
    python scripts/region_sources.py --installed --write  # re-pin from installed botocore

Exit 0 when every region of the source is in the catalogue (or in the region file's
``checked.left_out`` list, with the reason); 1 when some are missing, naming them; 2 when
a source cannot be read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from lintsov.catalogue import builtin_documents, normalise_location

PINNED = Path(__file__).resolve().parent / "region_sources" / "botocore.json"
ENDPOINTS = "data/endpoints.json"
VENDOR = "aws"


@dataclass(frozen=True)
class SourceRegion:
    id: str
    partition: str
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
        return {
            "vendor": self.vendor,
            "package": self.package,
            "version": self.version,
            "file": f"botocore/{ENDPOINTS}",
            "url": f"https://github.com/boto/botocore/blob/{self.version}/botocore/{ENDPOINTS}",
            "sha256": self.sha256,
            "regions": [
                {"id": r.id, "partition": r.partition, "description": r.description}
                for r in self.regions
            ],
        }


class SourceError(Exception):
    """A source that cannot be read: the script exits 2 with this message."""


def from_endpoints(raw: bytes, version: str, where: str) -> RegionSource:
    """The regions of a botocore ``endpoints.json``: every partition's ``regions`` keys."""
    try:
        document = json.loads(raw)
        partitions = document["partitions"]
        regions = tuple(
            SourceRegion(name, str(partition["partition"]), str(info.get("description", "")))
            for partition in partitions
            for name, info in sorted(partition["regions"].items())
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SourceError(f"{where}: not a botocore endpoints.json ({error})") from error
    digest = hashlib.sha256(raw).hexdigest()
    return RegionSource(VENDOR, "botocore", version, digest, regions)


def installed_botocore() -> RegionSource:
    try:
        version = metadata.version("botocore")
        raw = resources.files("botocore").joinpath(ENDPOINTS).read_bytes()
    except (metadata.PackageNotFoundError, ModuleNotFoundError, FileNotFoundError) as error:
        raise SourceError(f"botocore is not installed here ({error})") from error
    return from_endpoints(raw, version, f"botocore {version}")


def pinned(path: Path = PINNED) -> RegionSource:
    try:
        data = json.loads(path.read_text("utf-8"))
        return RegionSource(
            data["vendor"],
            data["package"],
            data["version"],
            data["sha256"],
            tuple(SourceRegion(r["id"], r["partition"], r["description"]) for r in data["regions"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SourceError(f"{path}: cannot read the pinned region list ({error})") from error


def catalogue_state(vendor: str) -> tuple[frozenset[str], dict[str, str]]:
    """The region spellings the catalogue knows for ``vendor``, and the regions its region
    file leaves out on purpose, with the reason."""
    documents = builtin_documents()
    document = documents[f"regions/{vendor}.json"]
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
        for name in added:
            out.append(f"{label}: new since the pinned {pin}: {name}")
        for name in removed:
            out.append(f"{label}: gone since the pinned {pin}: {name}")
    _, left_out = catalogue_state(source.vendor)
    for region in missing_from_catalogue(source):
        code = 1
        out.append(
            f"{label}: {region.id} ({region.description}, partition {region.partition}) is "
            f"not in lintsov's catalogue (lintsov/catalogue/regions/{source.vendor}.json)"
        )
    present = [r for r in source.regions if normalise_location(r.id) in left_out]
    for region in present:
        out.append(
            f"{label}: {region.id} left out on purpose: {left_out[normalise_location(region.id)]}"
        )
    if code == 0:
        count = len(source.regions)
        out.append(f"{label}: all {count} regions are in the catalogue or left out on purpose")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--installed", action="store_true", help="compare the installed botocore too"
    )
    parser.add_argument("--endpoints", type=Path, help="compare this botocore endpoints.json too")
    parser.add_argument("--version", default="unpinned", help="the version of --endpoints")
    parser.add_argument(
        "--write", action="store_true", help="re-pin the list from the newer source"
    )
    parser.add_argument("--pinned", type=Path, default=PINNED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out: list[str] = []
    try:
        base = pinned(args.pinned)
        newer: RegionSource | None = None
        if args.endpoints is not None:
            try:
                raw = args.endpoints.read_bytes()
            except OSError as error:
                raise SourceError(f"{args.endpoints}: {error.strerror}") from error
            newer = from_endpoints(raw, args.version, str(args.endpoints))
        elif args.installed:
            newer = installed_botocore()
    except SourceError as error:
        print(f"region_sources: {error}", file=sys.stderr)
        return 2
    code = report(base, None, out)
    if newer is not None:
        code = max(code, report(newer, base, out))
        if args.write:
            args.pinned.write_text(_dumps(newer.to_json()), "utf-8")
            out.append(f"pinned {newer.package} {newer.version} in {args.pinned}")
    print("\n".join(out))
    return code


def _dumps(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.exit(main())
