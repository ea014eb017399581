"""mapping.coverage on a small handwritten world: exact counts, white/thin flags, thresholds from data."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from mapping import coverage
from mapping.coverage import export
from mapping.reference import geography, taxonomy
from tests.conftest import make_actors

#: (code_insee, kinds, families, waste types, offset of the point in degrees)
WORLD = (
    ("45234", ["aci"], ["nettoyage", "espaces_verts"], [], 0.0),  # Orléans
    ("45234", ["esat"], ["nettoyage"], [], 0.001),  # Orléans
    ("45234", ["association", "esus"], ["nettoyage"], ["textiles"], 0.002),  # Orléans
    ("37261", ["scop"], ["nettoyage"], [], 0.0),  # Tours
    ("18033", ["entreprise"], ["espaces_verts", "espaces_verts"], ["deee"], 0.0),  # Bourges (listed twice)
)


def world() -> gpd.GeoDataFrame:
    rows = [geography.commune(code) for code, *_ in WORLD]
    actors = make_actors(len(WORLD))
    actors["code_insee"] = [r["code_insee"] for r in rows]
    actors["departement"] = [r["departement"] for r in rows]
    actors["epci"] = [None, rows[1]["epci"], rows[2]["epci"], rows[3]["epci"], None]  # two filled from the commune
    actors["actor_kinds"] = [list(w[1]) for w in WORLD]
    actors["purchase_families"] = [list(w[2]) for w in WORLD]
    actors["waste_types"] = [list(w[3]) for w in WORLD]
    actors["geometry"] = [Point(r["lon"] + w[4], r["lat"]) for r, w in zip(rows, WORLD, strict=True)]
    return actors


def test_matrix_by_departement_counts_every_actor_once_per_code():
    matrix = coverage.coverage_matrix(world())
    assert list(matrix.index) == taxonomy.codes("purchase_families")
    assert list(matrix.columns) == geography.departements()
    assert matrix.loc["nettoyage", "45"] == 3 and matrix.loc["nettoyage", "37"] == 1
    assert matrix.loc["espaces_verts", "45"] == 1 and matrix.loc["espaces_verts", "18"] == 1
    assert matrix.loc["nettoyage", "18"] == 0 and matrix.to_numpy().sum() == 6
    assert matrix.loc["traiteur"].sum() == 0  # an empty row is still there


def test_matrix_by_epci_has_every_epci_of_the_region():
    matrix = coverage.coverage_matrix(world(), by="epci")
    orleans, tours, bourges = (geography.commune(c)["epci"] for c in ("45234", "37261", "18033"))
    assert set(matrix.columns) == {c for c in geography.epci_polygons()["code"]}
    assert matrix.loc["nettoyage", orleans] == 3 and matrix.loc["nettoyage", tours] == 1
    assert matrix.loc["espaces_verts", bourges] == 1
    assert matrix.to_numpy().sum() == 6


def test_kinds_restrict_the_count_by_code_group_or_article():
    actors = world()
    assert coverage.coverage_matrix(actors, kinds=["esat"]).loc["nettoyage", "45"] == 1
    assert coverage.coverage_matrix(actors, kinds=["insertion"]).loc["nettoyage"].sum() == 1
    assert coverage.coverage_matrix(actors, kinds=["L2113-15"]).loc["nettoyage"].to_dict()["37"] == 1
    waste = coverage.coverage_matrix(actors, dimension="waste_types", kinds=["entreprise"])
    assert waste.loc["deee", "18"] == 1 and waste.loc["textiles"].sum() == 0
    with pytest.raises(ValueError, match="Type d'acteur inconnu"):
        coverage.coverage_matrix(actors, kinds=["licorne"])
    with pytest.raises(ValueError, match="Dimension inconnue"):
        coverage.coverage_matrix(actors, dimension="colours")
    with pytest.raises(ValueError, match="Niveau de territoire inconnu"):
        coverage.coverage_matrix(actors, by="canton")


def test_lycee_areas_count_actors_within_the_radius():
    lycees = geography.lycees()
    first = lycees.iloc[0]
    actors = make_actors(2)
    actors["purchase_families"] = [["traiteur"], ["traiteur"]]
    # one at the lycée itself, one 0.5° of latitude (≈ 55 km) north of it
    actors["geometry"] = [Point(first["lon"], first["lat"]), Point(first["lon"], first["lat"] + 0.5)]
    matrix = coverage.coverage_matrix(actors, by="lycee:10")
    assert list(matrix.columns) == list(lycees["uai"])
    same_place = lycees[(lycees["lon"] == first["lon"]) & (lycees["lat"] == first["lat"])]["uai"]
    row = matrix.loc["traiteur"]
    assert set(row[row > 0].index) >= set(same_place)
    assert row[list(same_place)].eq(1).all()
    wide = coverage.coverage_matrix(actors, by="lycee:60").loc["traiteur"]
    assert wide[first["uai"]] == 2


def test_white_and_thin_flags_follow_the_thresholds_file(tmp_path):
    matrix = coverage.coverage_matrix(world())
    committed = json.loads(coverage.thresholds_path().read_text(encoding="utf-8"))
    limits = coverage.load_thresholds()
    assert limits.thin_below == committed["thin_below"] and limits.white_at_most == committed["white_at_most"]
    status = coverage.cell_status(matrix, limits)
    assert status.loc["nettoyage", "18"] == "white"
    expected_45 = "thin" if committed["thin_below"] > 3 else "covered"
    assert status.loc["nettoyage", "45"] == expected_45
    changed = dict(committed, thin_below=4, white_at_most=1)
    path = tmp_path / "coverage_thresholds.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    edited = coverage.cell_status(matrix, coverage.load_thresholds(path))
    assert edited.loc["nettoyage", "45"] == "thin" and edited.loc["nettoyage", "37"] == "white"
    flagged = coverage.flagged_cells(matrix, coverage.load_thresholds(path))
    assert ("nettoyage", "37", "white") in set(
        flagged[["code", "territory", "status"]].itertuples(index=False, name=None)
    )
    path.write_text(json.dumps(dict(committed, reserve_lot_at_least=0)), encoding="utf-8")
    with pytest.raises(ValueError, match="reserve_lot_at_least"):
        coverage.load_thresholds(path)


def test_reservation_potential_reads_the_thresholds(tmp_path, monkeypatch):
    actors = world()
    committed = json.loads(coverage.thresholds_path().read_text(encoding="utf-8"))
    path = tmp_path / "coverage_thresholds.json"
    path.write_text(json.dumps(dict(committed, reserve_contract_at_least=3, reserve_lot_at_least=2)), "utf-8")
    table = coverage.reservation_potential(actors, codes=["nettoyage"], thresholds=coverage.load_thresholds(path))
    row = table.set_index("territory").loc["45"]
    # Orléans: aci (SIAE), esat (ESAT/EA), association+esus (ESS): one eligible structure per article
    assert (row["eligible_L2113-12"], row["eligible_L2113-13"], row["eligible_L2113-15"]) == (1, 1, 1)
    assert row["potential"] == "clause" and row["articles"] == ""
    path.write_text(json.dumps(dict(committed, reserve_contract_at_least=2, reserve_lot_at_least=1)), "utf-8")
    table = coverage.reservation_potential(actors, codes=["nettoyage"], thresholds=coverage.load_thresholds(path))
    row = table.set_index("territory").loc["45"]
    assert row["potential"] == "lot" and row["articles"] == "L2113-12;L2113-13;L2113-15"
    assert table.set_index("territory").loc["37", "potential"] == "lot"  # the Scop is ESS


def test_indicators_give_shares_by_category_and_export_safely():
    actors = world()
    actors.loc[0, "name"] = "=HYPERLINK(1)"
    table = coverage.indicators(actors, codes=["nettoyage"])
    region = table[(table["level"] == "region") & (table["category"] == "siae")].iloc[0]
    assert (region["suppliers"], region["total"], region["share"]) == (1, 4, 25.0)
    loiret = table[(table["territory"] == "45") & (table["category"] == "esat_ea")].iloc[0]
    assert (loiret["suppliers"], loiret["total"]) == (1, 3)
    empty = table[(table["territory"] == "36")].iloc[0]
    assert empty["total"] == 0 and np.isnan(empty["share"])
    table.loc[0, "territory_name"] = "=cmd|' /C calc'!A0"
    data = export.to_csv(export.french_headers(table))
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
    assert "'=cmd" in data.decode("utf-8-sig") and "\n=cmd" not in data.decode("utf-8-sig")
    assert export.to_xlsx(table)[:2] == b"PK"


def test_choropleth_escapes_names_and_draws_no_tiles():
    from mapping import maps
    from mapping.maps.choropleth import class_color, class_legend

    polygons = geography.departement_polygons()
    counts = {code: i for i, code in enumerate(polygons["code"])}
    evil = "<img src=x onerror=alert(1)>${x}`"
    html = (
        maps.build_choropleth(polygons, counts, tooltips={c: evil for c in counts}, legend_title="Fournisseurs")
        .get_root()
        .render()
    )
    assert "<img src=x" not in html and "tile.openstreetmap" not in html and "/app/static/vendor/leaflet" in html
    top = max(counts.values())
    for label, color in class_legend(top)[1:]:
        low, _, high = label.partition(" à ")
        assert class_color(int(low), top) == color == class_color(int(high or low), top)
