"""The inventory report: a sovereignty bill of materials, one row per resource, as text,
JSON or CSV, each row with how its facts were resolved."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from lintsov import __version__, json_text
from lintsov.inventory import Flow, Inventory, ResolvedResource, StateStorage
from lintsov.policy import TrustedSet
from lintsov.report import access

COLUMNS = ("address", "vendor", "region", "country", "jurisdictions", "data", "sensitive")


def row(resource: ResolvedResource) -> dict[str, Any]:
    return {
        "address": resource.address,
        "type": resource.type,
        "module": resource.module,
        "action": resource.action,
        "provider": resource.provider_source,
        "provider_kind": resource.provider_kind,
        "vendor": resource.vendor,
        "vendor_name": resource.vendor_name,
        "operator": resource.operator,
        "region": resource.region,
        "region_name": resource.region_name,
        "countries": list(resource.countries),
        "reach": list(resource.reach),
        "parents": list(resource.parents),
        "laws": [law.id for law in resource.laws],
        "jurisdictions": list(resource.jurisdictions),
        "data_holding": resource.data_holding,
        "data_category": resource.data_category,
        "sensitive": resource.sensitive,
        "unclassified": resource.unclassified,
        "evidence": [dict(e.to_json(), text=e.text()) for e in resource.evidence],
        "missing": [{"fact": m.fact, "reason": m.reason} for m in resource.missing],
    }


def flow_row(flow: Flow) -> dict[str, Any]:
    end = flow.destination
    return {
        "kind": flow.kind,
        "source": flow.source,
        "via": flow.via,
        "destination": {
            "what": end.what,
            "vendor": end.vendor,
            "region": end.region,
            "countries": list(end.countries),
            "jurisdictions": list(end.jurisdictions),
        },
        "evidence": [dict(e.to_json(), text=e.text()) for e in flow.evidence],
        "missing": flow.missing.reason if flow.missing else None,
    }


def flow_text(flow: Flow) -> str:
    end = flow.destination
    via = f" via {flow.via}" if flow.via != flow.source else ""
    region = end.region if end.region and end.region not in end.what else ""
    where = ", ".join(x for x in (region, ",".join(end.countries)) if x)
    target = f"{end.what} ({where})" if where and where != end.what else end.what
    if flow.missing:
        target += f": unknown, {flow.missing.reason}"
    return f"{flow.source} → {flow.kind}{via} → {target}"


def state_row(state: StateStorage) -> dict[str, Any]:
    place = state.place
    return {
        "backend": state.backend,
        "address": state.place.what,
        "location": state.location.text() if state.location else None,
        "vendor": place.vendor,
        "vendor_name": place.vendor_name,
        "operator": place.operator,
        "region": place.region,
        "countries": list(place.countries),
        "reach": list(place.reach),
        "laws": [law.id for law in place.laws],
        "jurisdictions": list(place.jurisdictions),
        "evidence": [dict(e.to_json(), text=e.text()) for e in state.evidence],
        "mitigation": [dict(e.to_json(), text=e.text()) for e in state.mitigation],
        "missing": [{"fact": m.fact, "reason": m.reason} for m in state.missing],
    }


def state_text(state: StateStorage) -> str:
    """One line: where state is kept, with whom, whose law reaches it."""
    place = state.place
    where = place.region or "location unknown"
    if place.countries:
        where += f" ({','.join(place.countries)})"
    who = place.vendor_name or "vendor unknown"
    reach = ",".join(place.jurisdictions) or "?"
    text = f"backend {state.backend}, {where}, {who}, jurisdictions {reach}"
    return text + (f"; mitigated: {state.mitigation[0].value}" if state.mitigation else "")


# The config file each input was read with, relative to the repository root (None: none).
Configs = Mapping[str, "str | None"]
# The trusted set each input is judged by (None: no `trusted:` in its config).
Trusted = Mapping[str, "TrustedSet | None"]


def render_json(
    inventories: tuple[Inventory, ...],
    configs: Configs | None = None,
    trusted: Trusted | None = None,
) -> str:
    """Every input with its resources; with ``configs``, the config file it was read with;
    ``trusted`` judges the principals of the access view."""
    document = {
        "tool": {"name": "lintsov", "version": __version__},
        "inputs": [
            {
                "path": inv.path,
                "kind": inv.kind,
                "tool": inv.tool,
                "notes": list(inv.notes),
                "resources": [row(r) for r in sorted(inv.resources, key=lambda r: r.address)],
                "flows": [flow_row(f) for f in inv.flows],
                "state": state_row(inv.state) if inv.state else None,
                "access": access.rows(inv, (trusted or {}).get(inv.path)),
                **({"config": configs.get(inv.path)} if configs is not None else {}),
            }
            for inv in inventories
        ],
    }
    return json_text.dumps(document)


def render_csv(inventories: tuple[Inventory, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "input",
            "address",
            "type",
            "provider",
            "vendor",
            "operator",
            "region",
            "countries",
            "jurisdictions",
            "laws",
            "data_holding",
            "data_category",
            "sensitive",
            "evidence",
            "missing",
            "flows",
        ]
    )
    for inv in inventories:
        outgoing: dict[str, list[str]] = {}
        for flow in inv.flows:
            outgoing.setdefault(flow.source, []).append(flow_text(flow))
        for r in sorted(inv.resources, key=lambda r: r.address):
            writer.writerow(
                [
                    inv.path,
                    r.address,
                    r.type,
                    r.provider_source,
                    r.vendor or "",
                    r.operator or "",
                    r.region or "",
                    " ".join(r.countries),
                    " ".join(r.jurisdictions),
                    " ".join(law.id for law in r.laws),
                    str(r.data_holding).lower(),
                    r.data_category or "",
                    str(r.sensitive).lower(),
                    " | ".join(e.text() for e in r.evidence),
                    " | ".join(m.text() for m in r.missing),
                    " | ".join(outgoing.get(r.address, ())),
                ]
            )
    return out.getvalue()


def render_text(
    inventories: tuple[Inventory, ...],
    configs: Configs | None = None,
    trusted: Trusted | None = None,
) -> str:
    """Every input with its resources; with ``configs``, the config file it was read with;
    ``trusted`` judges the principals of the access view."""
    lines: list[str] = []
    for inv in inventories:
        rows = [_cells(r) for r in sorted(inv.resources, key=lambda r: r.address)]
        lines.append(f"{inv.path} ({inv.tool}, {len(rows)} resources)")
        if configs is not None:
            lines.append(f"  config: {configs.get(inv.path) or 'no config file'}")
        for note in inv.notes:
            lines.append(f"  note: {note}")
        if inv.state is not None:
            lines.append(f"  state: {state_text(inv.state)}")
        widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(COLUMNS)]
        header = [c.upper() for c in COLUMNS]
        for cells in (header, *rows):
            padded = (c.ljust(w) for c, w in zip(cells, widths, strict=True))
            lines.append(("  " + "  ".join(padded)).rstrip())
        lines.append("")
        lines.append("  How each was resolved:")
        for r in sorted(inv.resources, key=lambda r: r.address):
            lines.append(f"  {r.address}")
            lines.extend(f"    {e.text()}" for e in r.evidence)
            lines.extend(f"    {m.text()}" for m in r.missing)
        if inv.state is not None:
            lines.append(f"  {inv.state.place.what}")
            lines.extend(f"    {e.text()}" for e in (*inv.state.evidence, *inv.state.mitigation))
            lines.extend(f"    {m.text()}" for m in inv.state.missing)
        if inv.flows:
            lines.append("")
            lines.append("  Data flows (source → kind → destination):")
            for flow in inv.flows:
                lines.append(f"  {flow_text(flow)}")
                lines.extend(f"    {e.text()}" for e in flow.evidence)
        lines.extend(access.lines(inv, (trusted or {}).get(inv.path)))
        lines.append("")
    return "\n".join(lines)


def _cells(r: ResolvedResource) -> list[str]:
    vendor = r.vendor or ("(utility)" if r.provider_kind == "utility" else "?")
    region = r.region or ("-" if r.provider_kind == "utility" else "?")
    return [
        r.address,
        vendor,
        region,
        ",".join(r.countries) or ("-" if r.provider_kind == "utility" else "?"),
        ",".join(r.jurisdictions) or "-",
        r.data_category or "-",
        "yes" if r.sensitive else "no",
    ]
