"""Locate, merge and build: from normalised records to the validated actor table."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from mapping.build.locate import in_region, locate
from mapping.build.pipeline import build_table
from mapping.dedup import deduplicate
from mapping.reference import geography, schema
from mapping.reference.survivorship import survivorship

# Luhn-valid SIRETs (checked by test_test_identifiers_are_valid).
SIRET_A = "13002526500013"
SIRET_B = "44306184100047"


def record(source: str, source_id: str, **fields: object) -> dict:
    row = {c: None for c in schema.RECORD_COLUMNS}
    row.update({c: [] for c in schema.CODE_LIST_COLUMNS})
    row.update(source=source, source_id=source_id, name=f"Acteur {source_id}", geo_precision=None)
    row.update(fields)
    return row


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=schema.CRS_WGS84)


def test_test_identifiers_are_valid():
    assert schema.is_valid_siret(SIRET_A)
    assert schema.is_valid_siret(SIRET_B)


def test_locate_uses_commune_point_when_source_has_no_coordinates():
    recs = frame([record("carteco", "x1", postcode="45000", city="Orleans")])
    out = locate(recs)
    orleans = geography.commune("45234")
    assert out.loc[0, "code_insee"] == "45234"
    assert out.loc[0, "departement"] == "45"
    assert out.loc[0, "geo_precision"] == "municipality"
    assert out.geometry[0].x == pytest.approx(orleans["lon"])
    assert out.geometry[0].y == pytest.approx(orleans["lat"])


def test_locate_reverse_lookup_fills_commune_of_a_point():
    orleans = geography.commune("45234")
    recs = frame([record("carteco", "x1", geometry=Point(orleans["lon"], orleans["lat"]), geo_precision="source")])
    out = locate(recs)
    assert out.loc[0, "code_insee"] == "45234"
    assert out.loc[0, "epci"] == orleans["epci"]
    assert out.loc[0, "geo_precision"] == "source"


def test_locate_keeps_unlocatable_record_without_point():
    out = locate(frame([record("carteco", "x1", city="Nulle-Part-Sur-Rien")]))
    assert out.geometry[0] is None
    assert not in_region(out)[0]


def test_in_region_excludes_points_of_a_neighbouring_region():
    tours = geography.commune("37261")
    poitiers = geography.commune("86194")
    recs = frame(
        [
            record("carteco", "in", geometry=Point(tours["lon"], tours["lat"]), geo_precision="source"),
            record(
                "carteco",
                "out",
                code_insee="86194",
                geometry=Point(poitiers["lon"], poitiers["lat"]),
                geo_precision="source",
            ),
        ]
    )
    assert in_region(locate(recs)).tolist() == [True, False]


def test_same_siret_merges_unions_lists_and_keeps_every_key():
    recs = frame(
        [
            record(
                "recherche_entreprises",
                SIRET_A,
                siret=SIRET_A,
                siren=SIRET_A[:9],
                name="ASSOCIATION TRI VAL",
                phone=None,
                actor_kinds=["association"],
                purchase_families=["dechets"],
                geometry=Point(1.9, 47.9),
                geo_precision="source",
                code_insee="45234",
                departement="45",
            ),
            record(
                "carteco",
                "c1",
                siret=SIRET_A,
                name="Tri'Val",
                phone="02 38 00 00 00",
                actor_kinds=["association", "aci"],
                waste_types=["deee"],
                geometry=Point(1.91, 47.91),
                geo_precision="source",
                code_insee="45234",
                departement="45",
            ),
            record("carteco", "c2", name="Sans SIRET", geometry=Point(1.0, 47.0), geo_precision="source"),
        ]
    )
    actors = deduplicate(recs)
    assert len(actors) == 2
    merged = actors[actors["siret"] == SIRET_A].iloc[0]
    # identity from the most trusted source, contact from the one that has it
    assert merged["name"] == "ASSOCIATION TRI VAL"
    assert merged["phone"] == "02 38 00 00 00"
    assert merged["actor_kinds"] == ["aci", "association"]
    assert merged["waste_types"] == ["deee"] and merged["purchase_families"] == ["dechets"]
    assert sorted(merged["source_keys"]) == ["carteco:c1", f"recherche_entreprises:{SIRET_A}"]
    assert merged["sources"] == ["carteco", "recherche_entreprises"]
    assert merged.geometry.x == pytest.approx(1.9)  # SIRENE location trusted over CARTECO's
    alone = actors[actors["siret"].isna()].iloc[0]
    assert alone["source_keys"] == ["carteco:c2"]


def test_merge_never_merges_different_sirets_and_uid_is_stable():
    recs = frame(
        [
            record("carteco", "1", siret=SIRET_A, name="Même nom", geometry=Point(1, 47), geo_precision="source"),
            record("carteco", "2", siret=SIRET_B, name="Même nom", geometry=Point(1, 47), geo_precision="source"),
        ]
    )
    first = deduplicate(recs)
    again = deduplicate(recs.iloc[::-1].reset_index(drop=True))
    assert len(first) == 2
    assert sorted(first["uid"]) == sorted(again["uid"])


def test_survivorship_is_declared_in_data_for_every_field_used():
    rules = survivorship()
    assert rules["default"][0] == "recherche_entreprises"
    assert all(isinstance(v, list) and v for v in rules.values())


def test_build_table_validates_and_filters_region():
    tours = geography.commune("37261")
    recs = frame(
        [
            record(
                "recherche_entreprises",
                SIRET_A,
                siret=SIRET_A,
                siren=SIRET_A[:9],
                geometry=Point(tours["lon"], tours["lat"]),
                geo_precision="source",
            ),
            record("carteco", "far", postcode="75001", city="Paris"),
        ]
    )
    actors = build_table(recs)
    assert len(actors) == 1
    assert actors.loc[0, "code_insee"] == "37261"
    schema.validate(actors)
