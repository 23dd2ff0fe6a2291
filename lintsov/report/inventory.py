"""The inventory report: a sovereignty bill of materials, one row per resource, as text,
JSON or CSV, each row with how its facts were resolved."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from lintsov import __version__, json_text
from lintsov.inventory import Flow, Inventory, ResolvedResource, StateKey, StateStorage
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
        # Only a managed platform's resources have layers; other rows stay as they were.
        **({"layers": _layers(resource)} if resource.layers else {}),
        "laws": [law.id for law in resource.laws],
        "jurisdictions": list(resource.jurisdictions),
        "data_holding": resource.data_holding,
        "data_category": resource.data_category,
        "sensitive": resource.sensitive,
        "unclassified": resource.unclassified,
        "evidence": [dict(e.to_json(), text=e.text()) for e in resource.evidence],
        "missing": [{"fact": m.fact, "reason": m.reason} for m in resource.missing],
        **({"staff_access": staff_row(resource)} if resource.staff_offered else {}),
    }


def staff_row(resource: ResolvedResource) -> dict[str, Any]:
    """Whether the vendor's staff's access is gated, by which controls, as lintsov sees."""
    return {
        "offered": list(resource.staff_offered),
        "gated": bool(resource.staff_gates),
        "gated_by": [
            {"control": g.control, "name": g.name, "by": g.by, "evidence": g.evidence.text()}
            for g in resource.staff_gates
        ],
        "notes": list(resource.staff_notes),
    }


def staff_text(resource: ResolvedResource) -> list[str]:
    """The staff-access lines of one resource for the text view."""
    if resource.staff_gates:
        head = "gated by " + ", ".join(f"{g.name} ({g.by})" for g in resource.staff_gates)
    else:
        head = "not gated by any control seen (offered: " + ", ".join(resource.staff_offered) + ")"
    lines = [f"  {resource.address}: {head}"]
    lines += [f"    {g.evidence.text()}" for g in resource.staff_gates]
    lines += [f"    note: {note}" for note in resource.staff_notes]
    return lines


def _layers(resource: ResolvedResource) -> list[dict[str, Any]]:
    return [
        {
            "role": layer.role,
            "vendor": layer.vendor,
            "vendor_name": layer.vendor_name,
            "operator": layer.operator,
            "parents": list(layer.parents),
            "reach": list(layer.reach),
        }
        for layer in resource.layers
    ]


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
        "encryption": _encryption_row(state.encryption),
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
    return text + (f"; {_encryption_text(state.encryption)}" if state.encryption else "")


def _encryption_row(key: StateKey | None) -> dict[str, Any] | None:
    if key is None:
        return None
    service = key.service
    return {
        "value": key.value,
        "key_holder": key.holder,
        "key_service": None
        if service is None
        else {
            "what": service.what,
            "vendor": service.vendor,
            "operator": service.operator,
            "jurisdictions": list(service.jurisdictions),
        },
        "evidence": dict(key.evidence.to_json(), text=key.evidence.text()),
    }


def _encryption_text(key: StateKey) -> str:
    """Who holds the state's key, as a fact: whether it mitigates depends on what is
    blocked, which the inventory does not judge."""
    if key.holder == "none":
        return f"not encrypted ({key.value})"
    if key.holder == "team":
        return f"{key.value}, key held by the team"
    if key.service is not None:
        reach = ",".join(key.service.jurisdictions) or "?"
        return f"{key.value}, key held by {key.service.what} (jurisdictions {reach})"
    return f"{key.value}, key holder unknown"


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
    return render_json_bytes(inventories, configs, trusted).decode("utf-8")


def render_json_bytes(
    inventories: tuple[Inventory, ...],
    configs: Configs | None = None,
    trusted: Trusted | None = None,
) -> bytes:
    """``render_json`` as the UTF-8 bytes of its file, which the command line writes as
    they are: a large plan's inventory runs to hundreds of megabytes."""
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
    return json_text.encode(document)


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
            encryption = (inv.state.encryption.evidence,) if inv.state.encryption else ()
            lines.extend(f"    {e.text()}" for e in (*inv.state.evidence, *encryption))
            lines.extend(f"    {m.text()}" for m in inv.state.missing)
        if inv.flows:
            lines.append("")
            lines.append("  Data flows (source → kind → destination):")
            for flow in inv.flows:
                lines.append(f"  {flow_text(flow)}")
                lines.extend(f"    {e.text()}" for e in flow.evidence)
        lines.extend(access.lines(inv, (trusted or {}).get(inv.path)))
        staffed = [
            r
            for r in sorted(inv.resources, key=lambda r: r.address)
            if r.sensitive and r.data_holding and r.staff_offered
        ]
        if staffed:
            lines.append("")
            lines.append(
                "  Vendor staff access to sensitive data (controls seen in the configuration):"
            )
            for r in staffed:
                lines.extend(staff_text(r))
        lines.append("")
    return "\n".join(lines)


def _cells(r: ResolvedResource) -> list[str]:
    vendor = r.vendor or ("(utility)" if r.provider_kind == "utility" else "?")
    if r.layers:
        # A managed platform: the platform and the infrastructure vendor(s) it runs on.
        vendor = "/".join(r.vendors) if len(r.vendors) > 1 else f"{vendor}/?"
    region = r.region or ("-" if r.provider_kind == "utility" else "?")
    return [
        r.address,
        vendor,
        region,
        # A global resource is in no country: "-", not "?" (unknown).
        ",".join(r.countries)
        or ("-" if r.provider_kind == "utility" or r.region == "global" else "?"),
        ",".join(r.jurisdictions) or "-",
        r.data_category or "-",
        "yes" if r.sensitive else "no",
    ]
