"""Exports of a supplier list (CSV for French Excel, XLSX, GeoJSON): they parse back, hold the
result's rows, render codes as French labels and neutralise spreadsheet formulas."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from xml.etree import ElementTree

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest

from mapping import exports, store
from mapping.reference import taxonomy
from mapping.search import SupplierIndex

ORLEANS = (1.9093, 47.9025)
HOSTILE = (
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://x","y")',
    "Recyclerie ${(window.parent.__pwned=1)}",
)


@pytest.fixture
def found(actors_factory):
    """A radius search result (with ``distance_km``) whose three first names are hostile."""
    table = actors_factory(40)
    table.loc[:2, "name"] = list(HOSTILE)
    result = SupplierIndex(table).search(near=ORLEANS, radius_km=200)
    assert "distance_km" in result.columns and len(result) == 40
    return result


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", decimal=",", dtype={"SIRET": str})


def read_xlsx(data: bytes) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[list]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_csv_is_for_french_excel_and_parses_back(found):
    data = exports.to_csv(found)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    assert data.decode("utf-8-sig").splitlines()[0].split(";") == list(exports.HEADERS)
    frame = read_csv(data)
    assert len(frame) == len(found)
    assert frame["SIRET"].tolist() == found["siret"].tolist()
    assert frame["Distance (km)"].tolist() == pytest.approx(found["distance_km"].round(1).tolist())
    distance = list(exports.HEADERS).index("Distance (km)")
    assert "," in data.decode("utf-8-sig").splitlines()[1].split(";")[distance]  # decimal comma
    expected = [("'" + n) if n.startswith("=") else n for n in found["name"]]
    assert frame["Nom"].tolist() == expected


def test_xlsx_has_a_styled_frozen_header_and_no_formula(found):
    data = exports.to_xlsx(found)
    sheet, rows = read_xlsx(data)
    assert rows[0] == list(exports.HEADERS)
    assert len(rows) == len(found) + 1
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(len(rows[0]))]
    assert all(8 <= w <= 60 for w in widths)
    names = [r[0] for r in rows[1:]]
    assert names == [("'" + n) if n.startswith("=") else n for n in found["name"]]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # well-formed XML
    distance = rows[0].index("Distance (km)")
    assert [r[distance] for r in rows[1:]] == pytest.approx(found["distance_km"].round(1).tolist())


def test_geojson_is_wgs84_one_feature_per_supplier_text_unchanged(found):
    data = exports.to_geojson(found)
    back = gpd.read_file(io.BytesIO(data))
    assert back.crs.to_epsg() == 4326
    assert len(back) == len(found)
    assert back["Nom"].tolist() == found["name"].tolist()  # hostile names come out exactly as they are
    assert np.allclose(back.geometry.x, found.geometry.x, atol=1e-6)
    assert np.allclose(back.geometry.y, found.geometry.y, atol=1e-6)
    raw = json.loads(data)
    assert [f["id"] for f in raw["features"]] == found["uid"].tolist()


@pytest.mark.parametrize("export", [exports.to_csv, exports.to_xlsx])
def test_hostile_names_are_text_in_spreadsheets(found, export):
    data = export(found)
    names = read_csv(data)["Nom"].tolist() if export is exports.to_csv else [r[0] for r in read_xlsx(data)[1][1:]]
    expected = {HOSTILE[0]: HOSTILE[0], HOSTILE[1]: "'" + HOSTILE[1], HOSTILE[2]: HOSTILE[2]}
    got = dict(zip(found["name"], names, strict=True))
    assert {name: got[name] for name in HOSTILE} == expected


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_prefix_is_neutralised_and_nothing_else(actors_factory, prefix):
    table = actors_factory(3)
    table.loc[0, "name"] = prefix + "1+1"
    table.loc[1, "name"] = "a=b+c-d@e"  # formula characters inside a cell are harmless
    table.loc[2, "phone"] = "+33 2 38 00 00 00"
    frame = read_csv(exports.to_csv(table))
    assert frame["Nom"].tolist()[:2] == ["'" + prefix + "1+1", "a=b+c-d@e"]
    assert frame["Téléphone"].tolist()[2] == "'+33 2 38 00 00 00"
    _, rows = read_xlsx(exports.to_xlsx(table))
    assert rows[1][0] == "'" + prefix + "1+1"
    assert exports.neutralise(prefix + "x") == "'" + prefix + "x"
    assert exports.neutralise(12.5) == 12.5


def test_xlsx_keeps_text_exactly(actors_factory):
    table = actors_factory(4)
    table["name"] = ["  espaces autour  ", "a & b <c> \"d\" 'e'", "ligne 1\r\nligne 2", "bip\x07 \x00fin"]
    _, rows = read_xlsx(exports.to_xlsx(table))
    assert [r[0] for r in rows[1:]] == [*table["name"][:3], "bip fin"]  # XML cannot hold \x07 or \x00


def test_codes_come_out_as_french_labels(actors_factory):
    table = actors_factory(2)  # profiles: ACI (espaces verts, nettoyage), ESAT (blanchisserie…)
    frame = read_csv(exports.to_csv(table))
    assert frame["Types"].tolist() == [taxonomy.label("actor_kinds", "aci"), taxonomy.label("actor_kinds", "esat")]
    assert frame["Marchés réservés"].tolist() == [
        taxonomy.reserved_contract_label("L2113-13"),
        taxonomy.reserved_contract_label("L2113-12"),
    ]
    assert frame["Familles d'achat"][0] == exports.LIST_SEPARATOR.join(
        taxonomy.labels_for("purchase_families", ["espaces_verts", "nettoyage"])
    )
    assert frame["Département"][0] == "Loiret (45)"
    assert frame["Sources"][0].startswith("Annuaire des Entreprises")
    assert frame["Lien vers la fiche"][0] == "http://localhost:8501/search?fournisseur=a00000"


def test_base_url_of_the_card_link(actors_factory):
    table = actors_factory(1)
    frame = read_csv(exports.to_csv(table, base_url="https://sourcier.example.fr/"))
    assert frame["Lien vers la fiche"][0] == "https://sourcier.example.fr/search?fournisseur=a00000"
    assert exports.card_url("a b&c") == "http://localhost:8501/search?fournisseur=a%20b%26c"


def test_no_distance_column_without_a_place(actors_factory):
    table = actors_factory(5)
    assert "Distance (km)" not in read_csv(exports.to_csv(table)).columns
    assert "Distance (km)" not in read_xlsx(exports.to_xlsx(table))[1][0]
    assert "Distance (km)" not in json.loads(exports.to_geojson(table))["features"][0]["properties"]


def test_empty_results_give_the_header_alone(actors_factory):
    empty = SupplierIndex(actors_factory(5)).search(near=ORLEANS, radius_km=200, text="zzzzzz introuvable")
    assert len(empty) == 0
    frame = read_csv(exports.to_csv(empty))
    assert len(frame) == 0 and list(frame.columns) == list(exports.HEADERS)
    _, rows = read_xlsx(exports.to_xlsx(empty))
    assert rows == [list(exports.HEADERS)]
    assert json.loads(exports.to_geojson(empty)) == {"type": "FeatureCollection", "features": []}


def test_missing_values_and_numpy_lists(actors_factory):
    table = actors_factory(3)
    as_lists = exports.to_csv(table)
    for column in ("actor_kinds", "purchase_families", "waste_types", "product_types", "labels", "sources"):
        table[column] = [np.array(v, dtype=object) for v in table[column]]
    assert exports.to_csv(table) == as_lists
    table["phone"] = [None, np.nan, pd.NA]
    table["labels"] = [None, np.nan, np.array([], dtype=object)]
    table.loc[0, "geometry"] = None
    frame = read_csv(exports.to_csv(table))
    assert frame["Téléphone"].isna().all() and frame["Labels"].isna().all()
    _, rows = read_xlsx(exports.to_xlsx(table))
    assert [r[rows[0].index("Téléphone")] for r in rows[1:]] == [None, None, None]
    features = json.loads(exports.to_geojson(table))["features"]
    assert features[0]["geometry"] is None and features[1]["geometry"]["type"] == "Point"
    assert features[0]["properties"]["Téléphone"] is None


def test_exports_of_the_built_table_parse(built_actors):
    sample = built_actors.iloc[:300]
    assert len(read_csv(exports.to_csv(sample))) == 300
    assert len(read_xlsx(exports.to_xlsx(sample))[1]) == 301
    assert len(gpd.read_file(io.BytesIO(exports.to_geojson(sample)))) == 300


@pytest.fixture(scope="module")
def built_actors():
    return store.load_suppliers()


def test_geojson_from_another_crs_and_file_names(actors_factory):
    table = actors_factory(3)
    back = gpd.read_file(io.BytesIO(exports.to_geojson(table.to_crs("EPSG:2154"))))
    assert np.allclose(back.geometry.x, table.geometry.x, atol=1e-5)
    assert exports.file_name("xlsx", when=date(2026, 12, 1)) == "fournisseurs-2026-12-01.xlsx"
