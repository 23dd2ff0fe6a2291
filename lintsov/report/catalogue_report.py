"""``lintsov catalog``: the facts lintsov judges by, with their sources."""

from __future__ import annotations

import json
from typing import Any

from lintsov.catalogue import Catalogue, Entity, Operator


def _entity(entity: Entity) -> dict[str, str]:
    return {"name": entity.name, "country": entity.country}


def _operator(operator: Operator) -> dict[str, Any]:
    return {
        "id": operator.id,
        "entity": _entity(operator.entity),
        "parents": [_entity(p) for p in operator.parents],
        "reach": list(operator.reach),
        "note": operator.note,
        "sources": list(operator.sources),
    }


def render_json(catalogue: Catalogue) -> str:
    document = {
        "laws": [vars(law) for law in catalogue.laws],
        "vendors": [
            {
                "id": v.id,
                "name": v.name,
                "operator": _operator(v.operator),
                "operators": [
                    _operator(o)
                    for k, o in sorted(catalogue.operators.items())
                    if k != v.operator.id and _belongs(catalogue, v.id, k)
                ],
                "sources": list(v.sources),
            }
            for v in sorted(catalogue.vendors.values(), key=lambda v: v.id)
        ],
        "providers": [
            {"source": p.source, "kind": p.kind, "vendor": p.vendor, "sources": list(p.sources)}
            for p in sorted(catalogue.providers.values(), key=lambda p: p.source)
        ],
        "regions": [
            {
                "vendor": r.vendor,
                "id": r.id,
                "name": r.name,
                "kind": r.kind,
                "countries": list(r.countries),
                "operator": r.operator,
                "source": r.source,
            }
            for r in catalogue.all_regions()
        ],
        "data_types": [
            {"type": t.type, "category": t.category, "source": t.source}
            for t in sorted(catalogue.data_types.values(), key=lambda t: t.type)
        ],
        "arm_types": [
            {"type": t.type, "category": t.category, "source": t.source}
            for _, t in sorted(catalogue.arm_types.items())
        ],
        # Where each type keeps the tags and labels a classification is read from.
        "labels": catalogue.documents.get("labels.json"),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _labels(catalogue: Catalogue, resource_type: str) -> str:
    places = ", ".join(location.name for location in catalogue.labels(resource_type).locations)
    return places or "(none)"


def _belongs(catalogue: Catalogue, vendor: str, operator: str) -> bool:
    # A partner-operated cloud's operator is listed under the licensor's vendor.
    partner = catalogue.clouds.partners.get(operator)
    if partner is not None:
        return partner.vendor == vendor
    for item in catalogue.documents["vendors.json"]["vendors"]:
        if item["id"] == vendor:
            return any(o["id"] == operator for o in item.get("operators", ()))
    return False


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as columns as wide as their longest cell, two spaces apart; the last column is
    not padded, so a long name never runs into the next one."""
    if not rows:
        return ["  (none)"]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  "
        + "  ".join(
            [*(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]]
        ).rstrip()
        for row in rows
    ]


def render_text(catalogue: Catalogue) -> str:
    vendors = sorted(catalogue.vendors.values(), key=lambda v: v.id)
    providers = sorted(catalogue.providers.values(), key=lambda p: p.source)
    types = sorted(catalogue.data_types.values(), key=lambda t: t.type)
    regions = catalogue.all_regions()
    lines = [f"VENDORS ({len(vendors)})"]
    lines += _table(
        [(v.id, v.name, "reach " + ",".join(v.operator.reach), v.operator.chain) for v in vendors]
    )
    lines += ["", f"LAWS ({len(catalogue.laws)})"]
    lines += _table([(law.country, f"{law.name} ({law.citation})") for law in catalogue.laws])
    lines += ["", f"PROVIDERS ({len(providers)})"]
    lines += _table([(p.source, p.kind, p.vendor or "-") for p in providers])
    lines += ["", f"REGIONS ({len(regions)})"]
    lines += _table([(r.vendor, r.id, ",".join(r.countries), r.name) for r in regions])
    lines += ["", f"DATA-HOLDING RESOURCE TYPES ({len(types)}), AND WHERE THEY KEEP LABELS"]
    lines += _table([(t.type, t.category, _labels(catalogue, t.type)) for t in types])
    arm = sorted(catalogue.arm_types.values(), key=lambda t: t.type.lower())
    lines += ["", f"DATA-HOLDING ARM TYPES FOR AZAPI ({len(arm)})"]
    lines += _table([(t.type, t.category) for t in arm])
    lines += ["", "Sources: lintsov catalog --format json", ""]
    return "\n".join(lines)
