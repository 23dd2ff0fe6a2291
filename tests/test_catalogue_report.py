"""`lintsov catalog`'s text: every section the README promises, in columns that never run
into each other."""

from __future__ import annotations

from lintsov import catalogue
from lintsov.report.catalogue_report import render_text


def _section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start + 1 : end]


def test_text_lists_vendors_providers_regions_and_data_types() -> None:
    cat = catalogue.builtin()
    text = render_text(cat)
    assert f"VENDORS ({len(cat.vendors)})" in text
    assert f"PROVIDERS ({len(cat.providers)})" in text
    assert f"DATA-HOLDING RESOURCE TYPES ({len(cat.data_types)})" in text
    providers = {line.split()[0] for line in _section(text, "PROVIDERS")}
    assert providers == {p.source for p in cat.providers.values()}
    types = {line.split()[0] for line in _section(text, "DATA-HOLDING")}
    assert types == set(cat.data_types)
    assert "  aws_s3_bucket" in text
    rows = {line.split()[0]: line for line in _section(text, "DATA-HOLDING")}
    assert rows["google_sql_database_instance"].split()[1:] == ["database", "settings.user_labels"]
    assert rows["aws_s3_bucket"].split()[1:] == ["object-storage", "tags,", "tags_all"]


def test_long_vendor_names_do_not_run_into_the_next_column() -> None:
    cat = catalogue.builtin()
    rows = _section(render_text(cat), "VENDORS")
    longest = max(cat.vendors.values(), key=lambda v: len(v.name))
    row = next(r for r in rows if f" {longest.name} " in r)
    # the name, then at least two spaces, then the reach column
    assert f"{longest.name}  reach " in row
    # every row's reach column starts at the same place
    assert len({r.index(" reach ") for r in rows}) == 1
