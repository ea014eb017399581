"""Tests of mapping.reference.geography against the committed reference files (no network)."""

from __future__ import annotations

import math

import pytest

from mapping.reference import geography as geo


@pytest.fixture(autouse=True)
def _region_24(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCIER_REGION", raising=False)


def test_communes_columns_and_orleans() -> None:
    table = geo.communes()
    assert list(table.columns) == [
        "code_insee", "nom", "codes_postaux", "departement", "region", "epci", "population", "lon", "lat",
    ]  # fmt: skip
    assert table["code_insee"].is_unique
    orleans = geo.commune("45234")
    assert orleans is not None
    assert orleans["nom"] == "Orléans"
    assert orleans["codes_postaux"].split("|") == ["45000", "45100"]
    assert orleans["epci"] == "244500468"
    assert geo.epci_names()["244500468"] == "Orléans Métropole"
    assert geo.commune("99999") is None


def test_region_departements() -> None:
    assert geo.region_code() == "24"
    assert geo.departements() == ["18", "28", "36", "37", "41", "45"]
    assert geo.departements("53") == ["22", "29", "35", "56"]
    assert geo.departement_names()["45"] == "Loiret"


def test_region_code_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCIER_REGION", "53")
    assert geo.region_code() == "53"
    assert geo.departements() == ["22", "29", "35", "56"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"code_insee": "45234"}, "45234"),
        ({"postcode": "45000", "city": "orleans"}, "45234"),
        ({"postcode": "45100", "city": "ORLÉANS CEDEX 2"}, "45234"),
        ({"postcode": "45100", "city": "Orlaens"}, "45234"),  # typo
        ({"postcode": "45800", "city": "ST JEAN DE BRAYE"}, "45284"),
        ({"postcode": "45000"}, "45234"),  # a postcode with one commune needs no city
        ({"city": "Saint-Jean-de-Braye"}, "45284"),  # name alone, unique in the region
        ({"postcode": "18016", "city": "BOURGES CEDEX"}, "18033"),  # CEDEX postcode: name in the département
        ({"postcode": "28300", "city": "Amilly"}, "28006"),  # homonyms resolved by postcode
        ({"postcode": "45200", "city": "AMILLY"}, "45004"),
        ({"postcode": "36100", "city": "les bordes"}, "36021"),
        ({"postcode": "45460", "city": "Les Bordes"}, "45042"),
    ],
)
def test_find_commune(kwargs: dict, expected: str) -> None:
    found = geo.find_commune(**kwargs)
    assert found is not None
    assert found["code_insee"] == expected
    assert not math.isnan(found["lon"])


def test_find_commune_ambiguous_or_unknown() -> None:
    assert geo.find_commune(city="Amilly") is None  # two homonyms in the region, no postcode
    assert geo.find_commune(postcode="45300") is None  # shared by many communes, no city
    assert geo.find_commune(city="Atlantis") is None
    assert geo.find_commune() is None


def test_postcode_shared_by_several_communes() -> None:
    shared = geo.communes_for_postcode("45300")
    assert len(shared) > 10
    assert set(shared["departement"]) == {"45"}
    pithiviers = geo.find_commune(postcode="45300", city="Pithiviers")
    assert pithiviers is not None
    assert pithiviers["code_insee"] == "45252"
    assert set(geo.communes_for_postcode("4530")["departement"]) == {"04"}  # lost leading zero restored
    assert geo.communes_for_postcode("123").empty


def test_normalize_place_name() -> None:
    assert geo.normalize_place_name("Sainte-Maure-de-Touraine") == geo.normalize_place_name("STE MAURE DE TOURAINE")
    assert geo.normalize_place_name("BLOIS CEDEX 2") == "BLOIS"
    assert geo.normalize_place_name("L'Île-Bouchard") == "L ILE BOUCHARD"
    assert geo.normalize_place_name(None) == ""


def test_polygons_cover_region() -> None:
    communes = geo.commune_polygons()
    region = geo.communes()
    assert set(communes["code_insee"]) == set(region.loc[region["region"] == "24", "code_insee"])
    assert communes.crs.to_epsg() == 4326
    assert communes.geometry.is_valid.all()
    epci = geo.epci_polygons()
    assert "244500468" in set(epci["code"])
    assert epci.set_index("code").loc["244500468", "nom"] == "Orléans Métropole"
    assert list(geo.departement_polygons()["code"]) == geo.departements()


def test_missing_region_files_message() -> None:
    with pytest.raises(FileNotFoundError, match="Géographie de la région 99 absente"):
        geo.commune_polygons("99")


def test_lycees_located_in_region() -> None:
    lycees = geo.lycees()
    assert len(lycees) == 187
    assert set(lycees["departement"]) == set(geo.departements())
    located = geo.locate_points(lycees["lon"], lycees["lat"])
    assert located["code_insee"].notna().all()
    assert (located["code_insee"].to_numpy() == lycees["code_insee"].to_numpy()).all()
    assert len(geo.lycees("53")) > 0


def test_locate_points() -> None:
    orleans = geo.commune("45234")
    assert orleans is not None
    out = geo.locate_points([orleans["lon"], 2.3522, float("nan")], [orleans["lat"], 48.8566, float("nan")])
    assert list(out.columns) == ["code_insee", "departement", "epci"]
    assert out.iloc[0].tolist() == ["45234", "45", "244500468"]
    assert out.iloc[1].isna().all()  # Paris is outside the region
    assert out.iloc[2].isna().all()
    assert geo.locate_points([], []).empty


def test_region_bbox() -> None:
    min_lon, min_lat, max_lon, max_lat = geo.region_bbox()
    assert 0 < min_lon < max_lon < 3.2
    assert 46 < min_lat < max_lat < 49
    assert geo.region_bbox("53")[0] < -4  # Brittany, from commune points when no polygons


def test_communes_table_is_complete_and_cached() -> None:
    geo.communes.cache_clear()
    geo._index.cache_clear()
    table = geo.communes()
    assert len(table) > 34000 and table["code_insee"].is_unique
    assert {"45234", "37261", "36018"} <= set(table["code_insee"])  # Orléans, Tours, Le Blanc
    assert geo.communes() is table


def test_is_known_postcode_agrees_with_communes_for_postcode() -> None:
    for postcode in ("45000", "41000", "37000", "3600", "99999", "", None):
        assert geo.is_known_postcode(postcode) == (not geo.communes_for_postcode(postcode).empty)
    assert geo.is_known_postcode("45100")
    assert not geo.is_known_postcode("99999")
