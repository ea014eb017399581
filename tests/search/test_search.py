"""Tests of mapping.search.index: every criterion alone and combined, text, radius against brute force."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import Point

from mapping.reference import taxonomy
from mapping.reference.grid import CELL_M, grid_order, project
from mapping.screens.tables import contains_any
from mapping.search.index import SupplierIndex, normalize_text, search, tokenize

GEOD = Geod(ellps="GRS80")
EARTH_RADIUS_KM = 6371.0088
#: Haversine (sphere) differs from the ellipsoid by up to ~0.3 % at 47° N (east-west): membership may
#: differ inside this relative band around the radius.
HAVERSINE_BAND = 0.004
#: The index's corrected Lambert-93 distance agrees with the geodesic to well under a metre.
GEODESIC_BAND_M = 1.0


def by_name(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in the order of results without a point or text: name ignoring accents and case, stable."""
    keys = frame["name"].map(lambda v: normalize_text(v) if isinstance(v, str) else "\U0010ffff")
    return frame.iloc[np.argsort(keys.to_numpy(dtype=object), kind="stable")]


def haversine_km(lon1: float, lat1: float, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


@pytest.fixture
def table(actors_factory) -> gpd.GeoDataFrame:
    gdf = actors_factory(40)
    epcis = ["244500468", "243700754", None, "200033181"]
    gdf["epci"] = [epcis[i % 4] for i in range(len(gdf))]
    gdf.loc[3, "labels"] = ["ab", "c_du_centre"]
    gdf.loc[4, "labels"] = ["c_du_centre"]
    return gdf


@pytest.fixture
def index(table) -> SupplierIndex:
    return SupplierIndex(table)


LIST_CASES = [
    ("purchase_families", ["espaces_verts"]),
    ("purchase_families", ["blanchisserie", "impression"]),
    ("waste_types", ["deee"]),
    ("waste_types", ["textiles", "encombrants"]),
    ("product_types", ["legumes"]),
    ("actor_kinds", ["esat", "ea"]),
    ("labels", ["c_du_centre"]),
    ("circular_actions", ["reparation"]),
    ("circular_actions", ["collecte", "reemploi"]),
    ("audiences", ["professionnels"]),
    ("audiences", ["particuliers", "professionnels"]),
    ("sources", ["carteco"]),
]


@pytest.mark.parametrize(("column", "codes"), LIST_CASES)
def test_each_list_criterion_alone(index, table, column, codes):
    found = index.search(**{column: codes})
    expected = table[contains_any(table[column], codes)]
    assert list(found.index) == list(by_name(expected).index)  # name order when there is no point
    assert len(found) > 0


@pytest.mark.parametrize(
    ("criterion", "column", "values"),
    [
        ("departements", "departement", ["37", "45"]),
        ("epcis", "epci", ["244500468"]),
        ("communes", "code_insee", ["37261"]),
    ],
)
def test_each_area_criterion_alone(index, table, criterion, column, values):
    found = index.search(**{criterion: values})
    assert list(found.index) == list(by_name(table[table[column].isin(values)]).index)


def test_reserved_contracts_come_from_actor_kinds(index, table):
    found = index.search(reserved_contracts="L2113-13")  # SIAE
    expected = table["actor_kinds"].map(lambda ks: "L2113-13" in taxonomy.reserved_contracts(ks))
    assert list(found.index) == list(by_name(table[expected]).index)
    handicap = index.search(reserved_contracts=["L2113-12"])
    assert all({"esat", "ea"} & set(kinds) for kinds in handicap["actor_kinds"])


def test_criteria_combine_with_and_values_with_or(index, table):
    found = index.search(purchase_families=["espaces_verts", "impression"], departements=["45", "37", "18"])
    expected = contains_any(table["purchase_families"], ["espaces_verts", "impression"]) & table["departement"].isin(
        ["45", "37", "18"]
    )
    assert list(found.index) == list(by_name(table[expected]).index)
    assert index.search(actor_kinds="esat", waste_types="deee").empty  # no ESAT collects DEEE here


def test_actions_and_audiences_combine_with_the_waste_types(index, table):
    found = index.search(waste_types="deee", circular_actions=["reparation", "tri"], audiences="professionnels")
    expected = (
        contains_any(table["waste_types"], ["deee"])
        & contains_any(table["circular_actions"], ["reparation", "tri"])
        & contains_any(table["audiences"], ["professionnels"])
    )
    assert len(found) and list(found.index) == list(by_name(table[expected]).index)
    unsaid = table["audiences"].map(len) == 0
    assert not found.index.isin(table.index[unsaid]).any()  # « not said » never matches a public


def test_labels_all_needs_every_label(index, table):
    either = index.search(labels=["c_du_centre", "ab"])
    assert list(either.index) == [3, 4]  # default: any of them
    both = index.search(labels=["c_du_centre", "ab"], labels_all=True)
    assert list(both.index) == [3]  # « C du Centre » and « AB »
    assert all({"c_du_centre", "ab"} <= set(labels) for labels in both["labels"])
    assert list(index.search(labels="c_du_centre", labels_all=True).index) == [3, 4]  # one label: same as any
    assert index.search(labels=["c_du_centre", "ab", "hve"], labels_all=True).empty  # nobody holds all three
    assert list(index.search(labels=["C du Centre", "ab"], labels_all=True).index) == [3]  # French label
    near = index.search(labels=["ab", "c_du_centre"], labels_all=True, near=(1.9093, 47.9025), radius_km=400)
    assert list(near.index) == [3] and "distance_km" in near.columns
    assert list(search(table, labels=["ab", "c_du_centre"], labels_all=True).index) == [3]
    assert list(index.search(labels_all=True).index) == list(by_name(table).index)  # no label chosen: no filter


def test_labels_all_on_a_large_table_uses_postings(actors_factory):
    gdf = actors_factory(400)
    gdf["labels"] = [["ab", "c_du_centre"] if i % 50 == 0 else (["ab"] if i % 2 else []) for i in range(len(gdf))]
    found = SupplierIndex(gdf).search(labels=["ab", "c_du_centre"], labels_all=True)  # 8 rows < 1/32 of the table
    assert list(found.index) == list(by_name(gdf.iloc[list(range(0, 400, 50))]).index)


def test_results_keep_columns_and_dtypes_of_a_parquet_table(table, tmp_path):
    """GeoParquet tables come back with pyarrow string columns in several chunks (one per row group)."""
    import pyarrow.parquet as pq

    table = table.assign(uid=[f"u{i}" for i in range(len(table))])
    table.to_parquet(tmp_path / "t.parquet", row_group_size=7)
    loaded = gpd.read_parquet(tmp_path / "t.parquet")
    assert pq.ParquetFile(tmp_path / "t.parquet").num_row_groups > 1
    index = SupplierIndex(loaded)
    q = (1.9093, 47.9025)
    found = index.search(near=q, radius_km=150, purchase_families="dechets")
    expected = loaded.loc[found.index].assign(distance_km=found["distance_km"].to_numpy())
    pd.testing.assert_frame_equal(found, expected)
    assert isinstance(found, gpd.GeoDataFrame) and found.crs == loaded.crs
    plain = index.search(departements=["45", "18"])
    pd.testing.assert_frame_equal(plain, by_name(loaded[loaded["departement"].isin(["45", "18"])]))
    assert len(index.search(limit=0)) == 0 and list(index.search(limit=0).columns) == list(loaded.columns)


def test_labels_accepted_and_siae_alias(index):
    by_label = index.search(purchase_families="Espaces verts")
    assert list(by_label.index) == list(index.search(purchase_families="espaces_verts").index)
    siae = index.search(actor_kinds="siae")
    assert len(siae) and all(set(k) & taxonomy.SIAE_KINDS for k in siae["actor_kinds"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"purchase_families": ["xyz"]}, "Famille d'achat inconnue : xyz"),
        ({"waste_types": "plutonium"}, "Type de déchet inconnu : plutonium"),
        ({"actor_kinds": ["sarl"]}, "Type de structure inconnu : sarl"),
        ({"labels": ["bio"]}, "Label inconnu : bio"),
        ({"circular_actions": ["broyer"]}, "Action inconnue : broyer"),
        ({"audiences": ["touristes"]}, "Public inconnu : touristes"),
        ({"reserved_contracts": ["L9999"]}, "Marché réservé inconnu : L9999"),
        ({"sources": ["pagesjaunes"]}, "Source inconnue : pagesjaunes"),
        ({"departements": ["99"]}, "Département inconnu : 99"),
        ({"communes": ["99999"]}, "Commune inconnue"),
        ({"radius_km": 5}, "point de départ"),
        ({"near": (1.9, 47.9), "radius_km": -1}, "strictement positif"),
        ({"near": (200, 47.9)}, "Coordonnées hors limites"),
        ({"limit": -1}, "entier positif"),
    ],
)
def test_bad_criteria_give_french_errors(index, kwargs, message):
    with pytest.raises(ValueError, match=message):
        index.search(**kwargs)


def test_index_does_not_mutate_input_and_results_are_copies(table):
    before = table.copy()
    index = SupplierIndex(table)
    found = index.search(departements="45", near=(1.9093, 47.9025))
    found.loc[found.index[0], "name"] = "modifié"
    pd.testing.assert_frame_equal(table, before)
    assert "distance_km" not in table.columns


def test_grid_order_keeps_each_5_km_cell_together_unlocated_last(actors_factory):
    gdf = actors_factory(80)
    gdf.loc[5, "geometry"] = None
    order = grid_order(gdf)
    assert sorted(order) == list(range(80)) and order[-1] == 5
    stored = gdf.iloc[order]
    assert list(grid_order(stored)) == list(range(80))  # stable: a stored table is already in order
    x, y, _ = project(stored.geometry.x.to_numpy()[:-1], stored.geometry.y.to_numpy()[:-1])
    cells = list(zip(y // CELL_M, x // CELL_M, strict=True))
    runs = [cell for i, cell in enumerate(cells) if i == 0 or cell != cells[i - 1]]
    assert len(runs) == len(set(cells)) < len(cells)  # one stretch per cell, some cells hold several rows
    assert runs == sorted(runs)  # cells row by row, south to north
    point = {"near": (1.9093, 47.9025), "radius_km": 150, "purchase_families": "dechets"}
    pd.testing.assert_frame_equal(search(stored, **point), search(gdf, **point))


def test_shared_list_objects_index_like_separate_ones(actors_factory):
    """The built table shares equal code lists (mapping.store); cells may also be arrays, tuples or None."""
    separate = actors_factory(60)
    separate["labels"] = [["c_du_centre", "ab"] if i % 4 == 0 else ([] if i % 4 == 1 else ["ab"]) for i in range(60)]
    shared = separate.copy()
    pool: dict[tuple, list] = {}
    for column in ("purchase_families", "labels", "sources"):
        shared[column] = [pool.setdefault((column, *v), list(v)) for v in separate[column]]
    assert shared["labels"].map(id).nunique() < len(shared)
    odd = separate.copy()
    odd["labels"] = [np.array(v, dtype=object) if i % 3 == 0 else tuple(v) for i, v in enumerate(odd["labels"])]
    odd.at[7, "purchase_families"] = None
    for criteria in (
        {"labels": "c_du_centre"},
        {"purchase_families": ["espaces_verts", "dechets"]},
        {"sources": "carteco"},
    ):
        expected = search(separate, **criteria)
        assert len(expected) > 0, criteria
        pd.testing.assert_frame_equal(search(shared, **criteria), expected)
        kept = [i for i in expected.index if not (i == 7 and "purchase_families" in criteria)]
        assert list(search(odd, **criteria).index) == kept


def test_module_level_search_filters_and_sorts_by_distance(table):
    near = (1.9093, 47.9025)
    found = search(table, purchase_families="dechets", near=near, radius_km=150)
    expected = table[[("dechets" in list(f)) for f in table["purchase_families"]]]
    assert set(found.index) == set(expected.index) and len(found) > 0
    assert found["distance_km"].is_monotonic_increasing and found["distance_km"].max() <= 150


def test_a_code_listed_twice_gives_one_row(actors_factory):
    gdf = actors_factory(4)
    gdf.at[0, "waste_types"] = ["deee", "deee"]
    assert list(search(gdf, waste_types="deee").index) == [0]


def test_no_criterion_returns_the_whole_table_by_name(index, table):
    assert list(index.search().index) == list(by_name(table).index)
    assert list(index.search(limit=3).index) == list(by_name(table).index[:3])
    assert index.search(limit=0).empty


def test_name_order_ignores_accents_and_case_and_puts_missing_names_last(actors_factory):
    gdf = actors_factory(5)
    gdf["name"] = ["Zéphyr", "écocyclerie", None, "Atelier", "eco Bois"]
    assert list(search(gdf).index) == [3, 4, 1, 0, 2]  # atelier, eco bois, ecocyclerie, zephyr, (none)


def test_total_counts_every_match_before_the_limit(index, table):
    point = {"near": (1.9093, 47.9025), "radius_km": 150}
    every = index.search(**point)
    page = index.search(**point, limit=5)
    assert every.attrs["total"] == len(every) > 5
    assert page.attrs["total"] == len(every) and len(page) == 5
    pd.testing.assert_frame_equal(page, every.iloc[:5])
    assert index.search(limit=0).attrs["total"] == len(table)


# ----------------------------------------------------------------------------- text


@pytest.fixture
def named(actors_factory) -> SupplierIndex:
    names = [
        "La Ressourcerie du Berry",
        "ESAT Les Ateliers de Tours",
        "Jardins de Cocagne Blésois",
        "Biodéchets Services Orléans",
        "Œuvre Sociale Sainte-Thérèse",
        "Atelier Vélo Solidaire",
    ]
    descriptions = [
        None,
        "Blanchisserie et espaces verts",
        "Maraîchage bio d'insertion",
        None,
        None,
        "Collecte de biodéchets",
    ]
    return SupplierIndex(actors_factory(6, name=names, description=descriptions))


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("ressourcerie", "La Ressourcerie du Berry"),
        ("ressoucerie", "La Ressourcerie du Berry"),  # one letter missing
        ("RESOURCERIE berry", "La Ressourcerie du Berry"),
        ("biodechets orleans", "Biodéchets Services Orléans"),  # accents
        ("biodéchet", "Biodéchets Services Orléans"),  # prefix; description hits rank after the name
        ("oeuvre sainte therese", "Œuvre Sociale Sainte-Thérèse"),
        ("atelier tours", "ESAT Les Ateliers de Tours"),
        ("maraichage", "Jardins de Cocagne Blésois"),  # description
    ],
)
def test_text_tolerates_typos_and_accents(named, query, first):
    found = named.search(text=query)
    assert found["name"].iloc[0] == first


def test_text_matches_siret_and_siren(named):
    row = named.search(text="velo").iloc[0]
    assert list(named.search(text=row["siret"])["siret"]) == [row["siret"]]
    assert list(named.search(text=f"{row['siren'][:3]} {row['siren'][3:6]} {row['siren'][6:]}")["siren"]) == []
    assert row["siren"] in set(named.search(text=row["siren"])["siren"])


def test_text_requires_every_word_when_possible(named):
    assert list(named.search(text="ateliers tours")["name"]) == ["ESAT Les Ateliers de Tours"]
    assert named.search(text="zzzzqqq").empty
    assert len(named.search(text=" - ")) == 6  # nothing searchable: no text filter


def test_text_with_near_sorts_by_distance(named):
    found = named.search(text="biodechets", near=(1.9093, 47.9025))
    assert list(found["distance_km"]) == sorted(found["distance_km"])
    assert set(found["name"]) == {"Biodéchets Services Orléans", "Atelier Vélo Solidaire"}


def test_tokenize():
    assert tokenize("L'Œuvre des Biodéchets, ÉTÉ-2024") == ["oeuvre", "biodechets", "ete", "2024"]


# ----------------------------------------------------------------------------- radius vs brute force


@pytest.fixture(scope="module")
def random_table() -> gpd.GeoDataFrame:
    from tests.conftest import make_actors

    rng = np.random.default_rng(42)
    n = 3000
    lon = rng.uniform(0.0, 3.2, n)
    lat = rng.uniform(46.3, 48.9, n)
    gdf = make_actors(n, seed=1)
    gdf["geometry"] = [Point(x, y) for x, y in zip(lon, lat, strict=True)]
    gdf.loc[5, "geometry"] = None  # an unlocated row is never found by distance
    return gdf


@pytest.mark.parametrize("seed", range(6))
def test_radius_matches_brute_force_geodesic_and_haversine(random_table, seed):
    rng = np.random.default_rng(seed)
    index = SupplierIndex(random_table)
    located = random_table.geometry.notna()
    lon = random_table.geometry[located].x.to_numpy()
    lat = random_table.geometry[located].y.to_numpy()
    labels = random_table.index[located]
    for _ in range(10):
        q = (float(rng.uniform(0.2, 3.0)), float(rng.uniform(46.5, 48.7)))
        radius = float(rng.choice([1.0, 5.0, 12.5, 20.0, 50.0]))
        found = index.search(near=q, radius_km=radius)
        _az, _baz, metres = GEOD.inv(np.full(len(lon), q[0]), np.full(len(lon), q[1]), lon, lat)
        truth = metres / 1000.0
        inside = set(labels[truth <= radius - GEODESIC_BAND_M / 1000])
        maybe = set(labels[truth <= radius + GEODESIC_BAND_M / 1000])
        got = set(found.index)
        assert inside <= got <= maybe
        by_label = pd.Series(truth, index=labels)
        assert np.allclose(found["distance_km"], by_label[found.index], atol=GEODESIC_BAND_M / 1000, rtol=0)
        assert np.all(np.diff(found["distance_km"].to_numpy()) >= 0)
        assert np.all(np.diff(by_label[found.index].to_numpy()) >= -GEODESIC_BAND_M / 1000)
        hav = pd.Series(haversine_km(q[0], q[1], lon, lat), index=labels)
        assert set(hav.index[hav <= radius * (1 - HAVERSINE_BAND)]) <= got
        assert got <= set(hav.index[hav <= radius * (1 + HAVERSINE_BAND)])
        assert np.all(np.diff(hav[found.index].to_numpy()) >= -radius * HAVERSINE_BAND)


def test_near_without_radius_sorts_everything_and_limit_applies_after_sorting(random_table):
    index = SupplierIndex(random_table)
    q = (1.9093, 47.9025)
    everything = index.search(near=q)
    assert len(everything) == len(random_table) - 1  # the unlocated row has no distance
    assert np.all(np.diff(everything["distance_km"].to_numpy()) >= 0)
    top = index.search(near=q, limit=25)
    assert list(top.index) == list(everything.index[:25])
    within = index.search(near=q, radius_km=30, limit=10, purchase_families="dechets")
    full = index.search(near=q, radius_km=30, purchase_families="dechets")
    assert list(within.index) == list(full.index[:10])


def test_by_uid_returns_the_asked_actors_in_order(index, table):
    uids = table["uid"].tolist()
    found = index.by_uid([uids[3], "inconnu", uids[0]])
    assert found["uid"].tolist() == [uids[3], uids[0]]
    assert index.by_uid(uids[1])["uid"].tolist() == [uids[1]]
    assert index.by_uid([]).empty
