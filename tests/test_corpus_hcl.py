"""Every configuration in ../shared/corpus/hcl: lintsov reads it without a traceback, and
exits 2 only on a real syntax error."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import CORPUS, cli

FOLDERS = (
    sorted(p for p in (CORPUS / "hcl").iterdir() if p.is_dir()) if (CORPUS / "hcl").is_dir() else []
)
pytestmark = pytest.mark.skipif(not FOLDERS, reason="../shared/corpus/hcl is not present")


def roots(folder: Path) -> list[Path]:
    """The folder itself when it holds configuration, else the folders below that do."""
    if any(folder.glob("*.tf")) or any(folder.glob("*.tofu")):
        return [folder]
    return sorted(
        {p.parent for p in folder.rglob("*.tf")} | {p.parent for p in folder.rglob("*.tofu")}
    )


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_corpus_configuration_reads(folder: Path) -> None:
    for root in roots(folder):
        result = cli(str(root), "--no-cache", "--fail-on", "never")
        assert result.exit_code == 0, (root, result.output)


def test_corpus_facts_we_know() -> None:
    import json

    multi = CORPUS / "hcl" / "stackit-azure-site-to-site-vpn"
    document = json.loads(cli("inventory", str(multi), "--format", "json", "--no-cache").output)
    rows = {r["address"]: r for r in document["inputs"][0]["resources"]}
    assert rows["stackit_network.site_to_site_vpn"]["countries"] == ["DE"]
    assert rows["azurerm_virtual_network.main"]["region"] == "westeurope"
    assert rows["terraform_data.alpine_image"]["provider_kind"] == "utility"
