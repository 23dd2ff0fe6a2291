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
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _belongs(catalogue: Catalogue, vendor: str, operator: str) -> bool:
    for item in catalogue.documents["vendors.json"]["vendors"]:
        if item["id"] == vendor:
            return any(o["id"] == operator for o in item.get("operators", ()))
    return False


def render_text(catalogue: Catalogue) -> str:
    lines = ["VENDORS"]
    for vendor in sorted(catalogue.vendors.values(), key=lambda v: v.id):
        op = vendor.operator
        lines.append(f"  {vendor.id:<14}{vendor.name:<28}reach {','.join(op.reach):<8}{op.chain}")
    lines += ["", "LAWS"]
    for law in catalogue.laws:
        lines.append(f"  {law.country}  {law.name} ({law.citation})")
    lines += ["", "REGIONS"]
    for region in catalogue.all_regions():
        lines.append(
            f"  {region.vendor:<14}{region.id:<28}{','.join(region.countries):<12}{region.name}"
        )
    lines += [
        "",
        f"{len(catalogue.data_types)} data-holding resource types and "
        f"{len(catalogue.arm_types)} data-holding ARM types for azapi "
        "(lintsov catalog --format json lists them)",
        "",
    ]
    return "\n".join(lines)
