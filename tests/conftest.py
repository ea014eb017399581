"""Shared fixtures: a small, valid actor table built from real communes of the Centre-Val de Loire."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from mapping.reference.schema import COLUMNS, CRS_WGS84

ROOT = Path(__file__).resolve().parents[1]

#: (code_insee, name, postcode, departement, lon, lat) of real communes (town-hall points).
COMMUNES = (
    ("45234", "Orléans", "45000", "45", 1.9093, 47.9025),
    ("37261", "Tours", "37000", "37", 0.6848, 47.3941),
    ("18033", "Bourges", "18000", "18", 2.3987, 47.0810),
    ("41018", "Blois", "41000", "41", 1.3359, 47.5861),
    ("28085", "Chartres", "28000", "28", 1.4890, 48.4469),
    ("36044", "Châteauroux", "36000", "36", 1.6913, 46.8103),
    ("18279", "Vierzon", "18100", "18", 2.0683, 47.2218),
    ("28134", "Dreux", "28100", "28", 1.3664, 48.7367),
    ("45208", "Montargis", "45200", "45", 2.7339, 47.9975),
    ("37003", "Amboise", "37400", "37", 0.9826, 47.4125),
)

#: (actor_kinds, purchase_families, waste_types, product_types) profiles cycled over the actors.
PROFILES = (
    (["aci"], ["espaces_verts", "nettoyage"], [], []),
    (["esat"], ["blanchisserie", "conditionnement"], [], []),
    (["association", "esus"], ["reemploi_reparation"], ["textiles", "mobilier"], []),
    (["scop"], ["btp_second_oeuvre"], [], []),
    (["producteur"], ["restauration_collective"], [], ["legumes", "fruits"]),
    (["decheterie"], ["dechets"], ["deee", "encombrants", "dechets_verts"], []),
    (["entreprise"], ["informatique_reconditionnement"], ["deee"], []),
    (["ea", "entreprise"], ["impression"], ["papiers_cartons"], []),
)

#: (circular_actions, audiences) of the profiles above that say them (by profile position).
CIRCULAR = {
    2: (["reemploi", "vente_seconde_main"], []),
    5: (["collecte", "tri"], ["particuliers"]),
    6: (["reparation", "vente_seconde_main"], ["professionnels", "particuliers"]),
}


def _luhn_complete(digits: str) -> str:
    """Append the check digit that makes ``digits`` + it pass Luhn."""
    for check in "0123456789":
        candidate = digits + check
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def make_actors(n: int = 40, *, seed: int = 0, **columns: list) -> gpd.GeoDataFrame:
    """A valid canonical actor table of ``n`` rows; ``columns`` override whole columns."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        insee, city, postcode, dep, lon, lat = COMMUNES[i % len(COMMUNES)]
        kinds, families, wastes, products = PROFILES[i % len(PROFILES)]
        actions, audiences = CIRCULAR.get(i % len(PROFILES), ([], []))
        source = ("recherche_entreprises", "carteco")[i % 2]
        siren = _luhn_complete(f"{80000000 + i:08d}")
        siret = _luhn_complete(f"{siren}0001")
        rows.append(
            {
                "uid": f"a{i:05d}",
                "name": f"Acteur {i} {city}",
                "siret": siret,
                "siren": siren,
                "address": f"{i + 1} rue de la République",
                "postcode": postcode,
                "city": city,
                "code_insee": insee,
                "departement": dep,
                "epci": None,
                "geometry": Point(lon + rng.uniform(-0.03, 0.03), lat + rng.uniform(-0.03, 0.03)),
                "geo_precision": "housenumber",
                "actor_kinds": list(kinds),
                "purchase_families": list(families),
                "waste_types": list(wastes),
                "product_types": list(products),
                "labels": [],
                "circular_actions": list(actions),
                "audiences": list(audiences),
                "products": [],
                "naf": None,
                "legal_form": None,
                "phone": "02 38 00 00 00",
                "email": f"contact{i}@exemple.fr",
                "website": f"https://acteur{i}.exemple.fr",
                "description": None,
                "sources": [source],
                "source_keys": [f"{source}:{i}"],
                "updated_at": None,
            }
        )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS_WGS84)[list(COLUMNS)]
    for name, values in columns.items():
        gdf[name] = values
    return gdf


@pytest.fixture(autouse=True)
def private_journal(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test journals into its own file: a test that imports or restores never writes the
    checkout's ``data/journal.jsonl``."""
    path = tmp_path_factory.mktemp("journal") / "journal.jsonl"
    monkeypatch.setenv("SOURCIER_JOURNAL_PATH", str(path))
    return path


@pytest.fixture
def actors_factory() -> Callable[..., gpd.GeoDataFrame]:
    """The :func:`make_actors` factory (``actors_factory(n, seed=..., name=[...])``)."""
    return make_actors


@pytest.fixture
def actors() -> gpd.GeoDataFrame:
    """40 valid actors spread over ten communes of the région."""
    return make_actors(40)


@pytest.fixture
def fresh_streamlit_caches():
    """Streamlit caches are global to the process: a page test starts and ends with empty ones."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
