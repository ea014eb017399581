"""SINOE déchèteries (data-fair ``lines``): nomenclature + cursor paging, latest survey, faults."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from connectors.base import SnapshotFile, SourceError, read_snapshot
from connectors.sinoe import DECHETERIES, NOMENCLATURE, SinoeConnector, waste_types
from tests.connectors.conftest import FIXTURES
from tests.connectors.fakehttp import host_pattern, make_client, serve_snapshot

NAME = "sinoe"
BASE = "https://data.ademe.fr/data-fair/api/v1/datasets"


@pytest.fixture
def connector() -> SinoeConnector:
    return SinoeConnector()


def _page(rows: list[dict], **extra: object) -> bytes:
    return json.dumps({"total": len(rows), **extra, "results": rows}).encode()


def test_paging_reads_the_nomenclature_then_every_page(rsps: responses.RequestsMock, connector) -> None:
    server = serve_snapshot(rsps, connector, FIXTURES / NAME)
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert [f.path for f in files] == [
        "nomenclature/page-start.json",
        "decheteries/page-start.json",
        "decheteries/page-after-000000000276.json",
        "decheteries/page-after-000000000556.json",
    ]
    assert f"/datasets/{NOMENCLATURE}/lines" in server.requests[0]
    params = dict(parse_qsl(urlsplit(server.requests[1]).query))
    assert params["C_DEPT_in"] == "18,28,36,37,41,45" and params["size"] == "1000"


def test_latest_survey_per_site_with_earlier_waste_list(connector) -> None:
    raw = list(connector.parse(read_snapshot(NAME, root=FIXTURES)))
    assert len(raw) == 17 and len({r["site"]["C_SERVICE"] for r in raw}) == 17
    for r in raw:
        assert r["site"]["ANNEE"] == max(r["years"])
    listed = [r for r in raw if r["waste"]]
    assert listed and all(r["waste_year"] <= 2015 for r in listed)  # recent vintages leave it empty
    records = connector.normalize(raw)
    assert (records["actor_kinds"].map(lambda k: k == ["decheterie"])).all()
    assert records["waste_types"].map(len).min() >= 1
    assert records["description"].str.contains("enquête SINOE 2025").any()


def test_site_without_any_list_gets_the_default_streams(connector) -> None:
    nomenclature = _page([{"C_TYP_DECHET": "02.1", "L_TYP_DECHET": "Déchets verts"}])
    rows = [
        {"ANNEE": 2017, "C_SERVICE": 7, "N_SERVICE": "D1", "C_DEPT": "45", "LST_TYPE_DECHET": "02.1|99"},
        {"ANNEE": 2023, "C_SERVICE": 7, "N_SERVICE": "D1", "C_DEPT": "45", "LST_TYPE_DECHET": None},
        {"ANNEE": 2023, "C_SERVICE": 8, "N_SERVICE": "D2", "C_DEPT": "45", "GPS_LAT": 47.9, "GPS_LONG": 1.9},
        {"ANNEE": 2023, "C_SERVICE": 9, "N_SERVICE": "D3", "C_DEPT": "75"},
    ]
    files = [
        SnapshotFile("nomenclature/page-start.json", nomenclature),
        SnapshotFile("decheteries/page-start.json", _page(rows)),
    ]
    records = connector.normalize(connector.parse(files)).set_index("source_id")
    assert list(records.index) == ["7", "8"]  # Paris dropped
    assert records.loc["7", "waste_types"] == ["dechets_verts"]  # code 99 unknown, counted in the log
    assert "deee" in records.loc["8", "waste_types"] and records.loc["8"].geometry is not None


def test_waste_label_keywords() -> None:
    assert waste_types("x", "Déchets d'équipements électriques et électroniques (DEEE)") == ["deee"]
    assert waste_types("x", "Huiles alimentaires usagées") == ["huiles_alimentaires"]
    assert waste_types("x", "Gravats et déchets inertes") == ["inertes"]


def test_429_with_retry_after_is_honoured(rsps, connector) -> None:
    server = serve_snapshot(rsps, connector, FIXTURES / NAME, failures=[(429, {"Retry-After": "12"}, b"")])
    http, clock = make_client()
    assert len(list(connector.fetch(http, region="24"))) == 4
    assert len(server.requests) == 5 and 12 in clock.sleeps


def test_500_storm_is_a_french_source_error(rsps, connector) -> None:
    serve_snapshot(rsps, connector, FIXTURES / NAME, failures=[(503, {}, b"Service Unavailable")] * 9)
    http, _ = make_client(max_attempts=3)
    with pytest.raises(SourceError, match=r"après 3 tentative\(s\).*HTTP 503"):
        list(connector.fetch(http, region="24"))


def test_malformed_json_is_a_source_error(rsps, connector) -> None:
    rsps.add(responses.GET, host_pattern(f"{BASE}/{NOMENCLATURE}/lines"), body=_page([]))
    rsps.add(responses.GET, host_pattern(f"{BASE}/{DECHETERIES}/lines"), body=b'{"total":3,"results":[{"ANN')
    http, _ = make_client()
    with pytest.raises(SourceError, match="réponse illisible"):
        list(connector.fetch(http, region="24"))


def test_empty_result(rsps, connector) -> None:
    rsps.add(responses.GET, host_pattern(BASE), body=_page([]))
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert len(files) == 2 and len(connector.normalize(connector.parse(files))) == 0
