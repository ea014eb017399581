"""BAN geocoding: parsing of recorded answers, cache, throttled requests, offline fallback."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import responses
from shapely.geometry import Point

from mapping.build import geocoding
from mapping.http import HttpClient
from mapping.reference import geography, schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ban"
URL = "https://data.geopf.fr/geocodage"


def record(source_id: str, **fields: object) -> dict:
    row = {c: None for c in schema.RECORD_COLUMNS}
    row.update({c: [] for c in schema.CODE_LIST_COLUMNS})
    row.update(source="carteco", source_id=source_id, name=f"Acteur {source_id}")
    row.update(fields)
    return row


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=schema.CRS_WGS84)


@pytest.fixture
def geocoder(tmp_path):
    http = HttpClient(sleep=lambda s: None, jitter=lambda: 0.0)
    cache = geocoding.GeocodeCache(tmp_path / "cache.sqlite")
    yield geocoding.BanGeocoder(http, cache=cache, url=URL)
    cache.close()


def test_parse_search_takes_the_best_feature_of_a_geocodejson_answer():
    import json

    answer = geocoding.parse_search(json.loads((FIXTURES / "search.json").read_text(encoding="utf-8")))
    assert answer.type == "housenumber"
    assert answer.citycode == "45234"
    assert answer.lon == pytest.approx(1.909251)
    assert answer.score > 0.9
    assert geocoding.parse_search({"type": "FeatureCollection", "features": []}) is None


def test_parse_csv_reads_a_recorded_batch_answer():
    answers = geocoding.parse_csv((FIXTURES / "search_csv.csv").read_bytes())
    assert answers["0"].citycode == "37261"
    assert answers["0"].type == "housenumber"
    assert answers["1"].score < geocoding.MIN_SCORE  # parsed, but not to be trusted
    assert answers["2"] is None  # not-found


@responses.activate
def test_search_is_cached_and_never_asked_twice(geocoder):
    responses.get(f"{URL}/search", body=(FIXTURES / "search.json").read_bytes(), content_type="application/json")
    first = geocoder.search("1 place de l'Étape", "45000", "Orléans")
    second = geocoder.search("1  Place de l'Étape", "45000", "ORLÉANS")  # same query once normalised
    assert first == second
    assert len(responses.calls) == 1
    assert geocoder.cache.hits == 1
    assert "q=1+place" in responses.calls[0].request.url


@responses.activate
def test_batch_posts_a_csv_retries_on_429_and_caches_every_answer(geocoder):
    body = (FIXTURES / "search_csv.csv").read_bytes()
    responses.post(f"{URL}/search/csv/", status=429, headers={"Retry-After": "1"})
    responses.post(f"{URL}/search/csv/", body=body, content_type="text/csv")
    queries = pd.DataFrame(
        {
            "address": ["12 rue de la république", "la grande borde", "zz introuvable 999", "route de vierzon"],
            "postcode": ["37000", "36300", "18000", "18100"],
            "city": ["tours", "le blanc", "bourges", "mehun-sur-yevre"],
        }
    )
    answers = geocoder.search_many(queries)
    assert len(responses.calls) == 2
    sent = responses.calls[1].request.body
    assert b'name="data"' in sent and b"12 rue de la r" in sent and b'name="columns"' in sent
    assert sum(a is not None for a in answers.values()) == 3
    again = geocoder.search_many(queries)  # all from the cache, "not-found" included
    assert len(responses.calls) == 2
    assert again == answers


@responses.activate
def test_batch_jobs_go_through_the_client_policy():
    # HttpClient.post: same retry loop (Retry-After honoured), same User-Agent as GET
    waits: list[float] = []
    http = HttpClient(sleep=waits.append, jitter=lambda: 0.0)
    responses.post(f"{URL}/search/csv/", status=503, headers={"Retry-After": "2"})
    responses.post(f"{URL}/search/csv/", body=b"id,latitude\n", content_type="text/csv")
    answer = http.post(f"{URL}/search/csv/", data=[("columns", "adresse")], files={"data": ("a.csv", b"id\n")})
    assert answer.status_code == 200 and len(responses.calls) == 2
    assert 2.0 in waits
    assert responses.calls[1].request.headers["User-Agent"].startswith("Sourcier/")


@responses.activate
def test_online_mode_uses_trusted_answers_and_falls_back_to_the_commune(geocoder):
    responses.post(f"{URL}/search/csv/", body=(FIXTURES / "search_csv.csv").read_bytes(), content_type="text/csv")
    recs = frame(
        [
            record("a", address="12 rue de la république", postcode="37000", city="tours"),
            record("b", address="la grande borde", postcode="36300", city="le blanc"),  # score 0.41
        ]
    )
    out = geocoding.geocode_records(recs, mode="online", geocoder=geocoder)
    assert out.loc[0, "geo_precision"] == "housenumber"
    assert out.loc[0, "code_insee"] == "37261"
    assert out.geometry[0].y == pytest.approx(47.391567)
    assert out.loc[1, "geo_precision"] == "municipality"
    assert out.loc[1, "code_insee"] == "36018"


@responses.activate
def test_online_mode_survives_a_ban_outage(geocoder):
    responses.post(f"{URL}/search/csv/", status=503)
    recs = frame([record("a", address="12 rue de la république", postcode="37000", city="tours")])
    out = geocoding.geocode_records(recs, mode="online", geocoder=geocoder)
    assert out.loc[0, "geo_precision"] == "municipality"


def test_offline_mode_gives_every_locatable_record_a_point_and_codes():
    tours = geography.commune("37261")
    recs = frame(
        [
            record("a", postcode="37000", city="Tours"),
            record("b", geometry=Point(tours["lon"], tours["lat"]), geo_precision="source"),
        ]
    )
    out = geocoding.geocode_records(recs)
    assert out.geometry.notna().all()
    assert out["geo_precision"].tolist() == ["municipality", "source"]
    assert out["code_insee"].tolist() == ["37261", "37261"]
    assert out["departement"].tolist() == ["37", "37"]


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode de géocodage inconnu"):
        geocoding.geocode_records(frame([record("a")]), mode="bientôt")
