"""Tests of mapping.reference.schema: SIRET checks and validate(), one test per kind of problem."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from mapping.reference import schema
from mapping.reference.schema import COLUMNS, CRS_WGS84, SchemaError, validate

#: Luhn-valid SIRETs (SIREN and SIRET both pass) and a La Poste establishment (digit sum % 5 == 0).
SIRET_A = "77567227200017"
SIRET_B = "55210055400013"
SIRET_LA_POSTE = "35600000000015"


def _actors() -> gpd.GeoDataFrame:
    rows = [
        {
            "uid": "a-1",
            "name": "Les Jardins de Cocagne du Loiret",
            "siret": SIRET_A,
            "siren": SIRET_A[:9],
            "address": "12 rue des Maraîchers",
            "postcode": "45000",
            "city": "Orléans",
            "code_insee": "45234",
            "departement": "45",
            "epci": "244500468",
            "geometry": Point(1.9093, 47.9025),
            "geo_precision": "housenumber",
            "actor_kinds": ["aci", "association"],
            "purchase_families": ["espaces_verts", "restauration_collective"],
            "waste_types": [],
            "product_types": ["legumes"],
            "labels": ["ab"],
            "circular_actions": [],
            "audiences": [],
            "products": [],
            "naf": "01.13Z",
            "legal_form": "9220",
            "phone": "02 38 00 00 00",
            "email": "contact@example.org",
            "website": "https://example.org",
            "description": "Maraîchage biologique d'insertion.",
            "sources": ["recherche_entreprises"],
            "source_keys": [f"recherche_entreprises:{SIRET_A}"],
            "updated_at": pd.Timestamp("2026-11-01"),
        },
        {
            "uid": "a-2",
            "name": "ESAT du Val de Loire",
            "siret": SIRET_B,
            "siren": SIRET_B[:9],
            "address": None,
            "postcode": "37000",
            "city": "Tours",
            "code_insee": "37261",
            "departement": "37",
            "epci": None,
            "geometry": Point(0.6848, 47.3941),
            "geo_precision": "municipality",
            "actor_kinds": ["esat"],
            "purchase_families": ["blanchisserie"],
            "waste_types": [],
            "product_types": [],
            "labels": [],
            "circular_actions": [],
            "audiences": [],
            "products": [],
            "naf": "96.01A",
            "legal_form": "9220",
            "phone": None,
            "email": None,
            "website": None,
            "description": None,
            "sources": ["carteco", "recherche_entreprises"],
            "source_keys": ["carteco:42", f"recherche_entreprises:{SIRET_B}"],
            "updated_at": pd.Timestamp("2026-11-01"),
        },
        {
            "uid": "a-3",
            "name": "La Poste – plateforme de Bourges",
            "siret": SIRET_LA_POSTE,
            "siren": SIRET_LA_POSTE[:9],
            "address": None,
            "postcode": "18000",
            "city": "Bourges",
            "code_insee": "18033",
            "departement": "18",
            "epci": None,
            "geometry": Point(2.3987, 47.0810),
            "geo_precision": "source",
            "actor_kinds": ["entreprise"],
            "purchase_families": ["transport_logistique"],
            "waste_types": ["papiers_cartons"],
            "product_types": [],
            "labels": [],
            "circular_actions": ["tri", "reemploi"],
            "audiences": ["particuliers"],
            "products": [],
            "naf": "53.10Z",
            "legal_form": "5510",
            "phone": None,
            "email": None,
            "website": None,
            "description": None,
            "sources": ["carteco"],
            "source_keys": ["carteco:43"],
            "updated_at": pd.Timestamp("2026-11-01"),
        },
    ]
    return gpd.GeoDataFrame(pd.DataFrame(rows)[list(COLUMNS)], geometry="geometry", crs=CRS_WGS84)


@pytest.fixture
def actors() -> gpd.GeoDataFrame:
    return _actors()


def _only_problem(gdf: gpd.GeoDataFrame) -> schema.Problem:
    with pytest.raises(SchemaError) as info:
        validate(gdf)
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


# ------------------------------------------------------------------ SIRET / SIREN


def test_example_sirets_are_valid() -> None:
    assert schema.is_valid_siret(SIRET_A)
    assert schema.is_valid_siret(SIRET_B)
    assert schema.is_valid_siren(SIRET_A[:9])
    assert schema.is_valid_siren(schema.LA_POSTE_SIREN)


def test_la_poste_sirets() -> None:
    assert not schema.luhn_valid(SIRET_LA_POSTE)  # only the digit-sum rule makes it valid
    assert sum(map(int, SIRET_LA_POSTE)) % 5 == 0
    assert schema.is_valid_siret(SIRET_LA_POSTE)
    assert schema.is_valid_siret("35600000000048")  # head office: passes Luhn, digit sum 26
    assert not schema.is_valid_siret("35600000000011")


def test_invalid_sirets() -> None:
    assert not schema.is_valid_siret("77567227200018")  # wrong check digit
    assert not schema.is_valid_siret("7756722720001")  # 13 digits
    assert not schema.is_valid_siret(77567227200017)  # not a string
    assert schema.clean_siret("775 672 272 00017") == SIRET_A
    assert schema.clean_siret(float("nan")) is None


# ------------------------------------------------------------------ validate


def test_valid_table_passes(actors: gpd.GeoDataFrame) -> None:
    assert validate(actors) is actors
    assert schema.problems(actors) == []


def test_empty_tables_pass() -> None:
    validate(schema.empty_actors())
    validate(schema.empty_records(), columns=schema.RECORD_COLUMNS)


def test_invalid_siret_checksum(actors: gpd.GeoDataFrame) -> None:
    actors.loc[1, "siret"] = SIRET_B[:-1] + "4"
    actors.loc[1, "siren"] = SIRET_B[:9]
    problem = _only_problem(actors)
    assert (problem.column, problem.rows) == ("siret", (1,))
    assert "SIRET invalide" in str(problem)


def test_siren_siret_mismatch(actors: gpd.GeoDataFrame) -> None:
    actors.loc[0, "siren"] = SIRET_B[:9]
    problem = _only_problem(actors)
    assert (problem.column, problem.rows) == ("siren", (0,))
    assert "9 premiers chiffres" in problem.message


def test_duplicate_uid(actors: gpd.GeoDataFrame) -> None:
    actors.loc[2, "uid"] = "a-1"
    problem = _only_problem(actors)
    assert (problem.column, problem.rows) == ("uid", (0, 2))
    assert "double" in problem.message


def test_empty_name(actors: gpd.GeoDataFrame) -> None:
    actors.loc[1, "name"] = "   "
    problem = _only_problem(actors)
    assert (problem.column, problem.rows) == ("name", (1,))


def test_missing_geometry(actors: gpd.GeoDataFrame) -> None:
    actors.loc[2, "geometry"] = None
    problem = _only_problem(actors)
    assert (problem.column, problem.rows) == ("geometry", (2,))
    assert "localisation manquante" in problem.message


def test_wrong_crs(actors: gpd.GeoDataFrame) -> None:
    # Same points, declared in Lambert-93: only the CRS is wrong.
    problem = _only_problem(actors.set_crs(schema.CRS_LAMBERT93, allow_override=True))
    assert (problem.column, problem.rows) == ("geometry", ())
    assert "EPSG:4326" in problem.message
    with pytest.raises(SchemaError, match="EPSG:4326"):
        validate(actors.to_crs(schema.CRS_LAMBERT93))  # reprojected: coordinates out of range too


def test_unknown_taxonomy_code(actors: gpd.GeoDataFrame) -> None:
    actors.at[1, "waste_types"] = ["deee", "licornes"]
    problem = _only_problem(actors)
    assert (problem.column, problem.rows) == ("waste_types", (1,))
    assert "licornes" in problem.message


def test_list_column_not_a_list(actors: gpd.GeoDataFrame) -> None:
    actors.at[0, "labels"] = "ab"
    problem = _only_problem(actors)
    assert (problem.column, problem.rows) == ("labels", (0,))
    assert "liste" in problem.message


def test_duplicate_source_key_across_rows(actors: gpd.GeoDataFrame) -> None:
    actors.at[2, "source_keys"] = ["carteco:43", "carteco:42"]
    problem = _only_problem(actors)
    assert (problem.column, problem.rows) == ("source_keys", (1, 2))


def test_unknown_geo_precision(actors: gpd.GeoDataFrame) -> None:
    actors.loc[0, "geo_precision"] = "rooftop"
    problem = _only_problem(actors)
    assert (problem.column, problem.rows) == ("geo_precision", (0,))


def test_missing_column(actors: gpd.GeoDataFrame) -> None:
    problem = _only_problem(actors.drop(columns=["naf"]))
    assert problem.column == "*"
    assert "naf" in problem.message


def test_error_message_names_column_and_rows(actors: gpd.GeoDataFrame) -> None:
    actors.loc[1, "name"] = None
    actors.loc[2, "geo_precision"] = None
    with pytest.raises(SchemaError) as info:
        validate(actors)
    text = str(info.value)
    assert "name: nom vide (lignes 1)" in text
    assert "geo_precision" in text and "(lignes 2)" in text
