"""The five partner connectors on messy files (cress, urscop, france_active, cducentre, agire)."""

from __future__ import annotations

from pathlib import Path

import pytest

import connectors
from connectors.base import SnapshotFile
from mapping.build import enrich
from mapping.reference.schema import RECORD_COLUMNS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "partners"
FILES = {
    "cress": "cress_cp1252_semicolon.csv",
    "urscop": "urscop_utf8bom_comma.csv",
    "france_active": "france_active_utf8_tab.csv",
    "cducentre": "cducentre_products.csv",
    "agire": "agire_utf8_semicolon.csv",
}


def records(source: str, enrichment: dict | None = None):
    connector = connectors.get(source)
    files = [SnapshotFile(f"{source}.csv", (FIXTURES / FILES[source]).read_bytes())]
    if enrichment is not None:
        files.append(SnapshotFile(enrich.ENRICHMENT_FILE, enrich.dumps({"etablissements": enrichment})))
    return connector.normalize(connector.parse(files))


@pytest.mark.parametrize("source", sorted(FILES))
def test_partner_connector_contract(source: str) -> None:
    connector = connectors.get(source)
    assert connector.MANUAL_IMPORT
    with pytest.raises(connectors.SourceError, match=f"python -m mapping import {source}"):
        connector.fetch(None, region="24")  # type: ignore[arg-type]
    recs = records(source)
    assert list(recs.columns) == list(RECORD_COLUMNS)
    assert (recs["source"] == source).all() and recs["source_id"].is_unique


def test_cress_kinds_and_hostile_names() -> None:
    recs = records("cress").set_index("source_id")
    assert list(recs.index) == ["CR1", "CR6", "CR7"]
    assert recs.loc["CR1", "actor_kinds"] == ["association"]
    assert recs.loc["CR6", "name"].startswith("=HYPERLINK(")
    assert recs.loc["CR7", "labels"] == ["esus"]


def test_urscop_cooperative_kinds_and_naf() -> None:
    recs = records("urscop").set_index("name")
    assert recs.loc["Coop Bâtisseurs", "actor_kinds"] == ["scop"]
    assert recs.loc["Coop Bâtisseurs", "naf"] == "41.20A"
    assert recs.loc["Énergie Citoyenne", "actor_kinds"] == ["scic"]
    assert recs.loc["Coop Bâtisseurs", "address"] == "12, rue des Lilas"


def test_france_active_esus_agreement() -> None:
    recs = records("france_active").set_index("name")
    assert recs.loc["Épicerie Solidaire du Blésois", "labels"] == ["esus"]
    assert "esus" in recs.loc["Épicerie Solidaire du Blésois", "actor_kinds"]
    assert str(recs.loc["Atelier Vélo Tourangeau", "updated_at"].date()) == "2023-09-01"


def test_cducentre_aggregates_products_per_company() -> None:
    recs = records("cducentre").set_index("source_id")
    assert list(recs.index) == ["CDC-1", "CDC-2"]  # record count = companies, not products
    chevre = recs.loc["CDC-1"]
    assert chevre["product_types"] == ["fromages", "produits_laitiers"]
    assert chevre["labels"] == ["c_du_centre", "aop_crottin_chavignol", "ab"]
    assert "3 produit(s) C du Centre" in chevre["description"]
    assert recs.loc["CDC-2", "labels"] == ["c_du_centre", "igp_lentille_verte_berry"]
    assert recs.loc["CDC-2", "product_types"] == ["cereales_farines", "legumineuses"]


def test_agire_waste_natures_and_coordinates() -> None:
    recs = records("agire").set_index("name")
    assert recs.loc["Compost Val de Loire", "waste_types"] == ["biodechets", "dechets_verts"]
    assert recs.loc["Ferrailles du Cher", "waste_types"] == ["metaux", "vhu", "pneus"]
    point = recs.loc["Compost Val de Loire", "geometry"]
    assert (round(point.x, 4), round(point.y, 4)) == (1.9093, 47.9029)  # decimal comma read
    assert recs.loc["Ferrailles du Cher", "geometry"] is None
    assert all("dechets" in f for f in recs["purchase_families"])


def test_enrichment_completes_rows_with_a_siret() -> None:
    entry = {
        "name": "COMPOST VAL DE LOIRE",
        "naf": "38.21Z",
        "legal_form": "5710",
        "actor_kinds": ["ei", "esus"],
        "labels": ["rfar"],
        "lon": 1.91,
        "lat": 47.9,
        "code_insee": "45234",
    }
    recs = records("agire", {"55210055400013": entry}).set_index("name")
    row = recs.loc["Compost Val de Loire"]
    assert row["naf"] == "38.21Z" and row["legal_form"] == "5710"
    assert {"ei", "esus"} <= set(row["actor_kinds"]) and row["labels"] == ["rfar"]
    assert round(row["geometry"].x, 4) == 1.9093  # the partner's own coordinates win
    urscop = records("urscop", {"73282932000025": entry}).set_index("name").loc["Coop Bâtisseurs"]
    assert urscop["naf"] == "41.20A"  # the partner's NAF wins
    assert (urscop["geometry"].x, urscop["geometry"].y) == (1.91, 47.9)  # coordinates from the Annuaire
