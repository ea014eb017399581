"""Géorisques ICPE: per-département paging, waste rubriques kept, faults."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from connectors.base import SnapshotFile, SourceError, read_snapshot
from connectors.georisques import GeorisquesConnector, normalize_naf, waste_rubriques
from tests.connectors.conftest import FIXTURES
from tests.connectors.fakehttp import make_client, serve_sequence, serve_snapshot

NAME = "georisques"
URL = "https://www.georisques.gouv.fr/api/v1/installations_classees"


@pytest.fixture
def connector() -> GeorisquesConnector:
    return GeorisquesConnector()


def _install(code: str, rubriques: list[tuple[str, str]], **extra: object) -> dict:
    return {
        "codeAIOT": code,
        "raisonSociale": f"SITE {code}",
        "codeInsee": "45234",
        "longitude": 1.9,
        "latitude": 47.9,
        "etatActivite": "En fonctionnement",
        "rubriques": [{"numeroRubrique": n, "alinea": a, "regimeAutoriseAlinea": "E"} for n, a in rubriques],
        **extra,
    }


def _payload(items: list[dict], *, page: int = 1, pages: int = 1, total: int | None = None) -> bytes:
    body = {"results": len(items) if total is None else total, "page": page, "total_pages": pages, "data": items}
    return json.dumps(body).encode()


def test_paging_per_departement_to_the_end(rsps: responses.RequestsMock, connector) -> None:
    server = serve_snapshot(rsps, connector, FIXTURES / NAME)
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert [f.path for f in files] == [f"dep-{d}/page-0001.json" for d in ("18", "28", "36", "37", "41", "45")]
    assert dict(parse_qsl(urlsplit(server.requests[0]).query)) == {"departement": "18", "page": "1", "page_size": "100"}


def test_two_pages_then_stop(rsps, connector) -> None:
    pages = [_payload([_install("1", [("2791", "")])], page=1, pages=2, total=2),
             _payload([_install("2", [("2780", "")])], page=2, pages=2, total=2)]  # fmt: skip
    answers = [(200, {}, pages[0]), (200, {}, pages[1])] + [(200, {}, _payload([]))] * 5
    count = serve_sequence(rsps, URL, answers)
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert [f.path for f in files][:2] == ["dep-18/page-0001.json", "dep-18/page-0002.json"] and count() == 7


def test_truncated_read_is_an_error(rsps, connector) -> None:
    serve_sequence(rsps, URL, [(200, {}, _payload([_install("1", [("2791", "")])], pages=1, total=40))])
    http, _ = make_client()
    with pytest.raises(SourceError, match=r"lecture incomplète .* 1 installations reçues sur 40"):
        list(connector.fetch(http, region="24"))


def test_only_operating_waste_installations_with_their_rubriques(connector) -> None:
    items = [
        _install("1", [("2760", "3"), ("1510", "2")], siret="44306184100047", codeNaf="3821Z", regime="Enregistrement"),
        _install("2", [("2101", "2")]),  # a farm
        _install("3", [("2791", "")], etatActivite="En cessation d'activité"),
        _install("4", [("2710", "2")], codeInsee="75056"),
    ]
    raw = list(connector.parse([SnapshotFile("dep-45/page-0001.json", _payload(items))]))
    assert [r["codeAIOT"] for r in raw] == ["1"]
    row = connector.normalize(raw).iloc[0]
    assert row["waste_types"] == ["inertes"] and row["actor_kinds"] == ["icpe"]
    assert row["naf"] == "38.21Z" and row["siret"] == "44306184100047"
    assert "2760-3 (E) installation de stockage de déchets inertes" in row["description"]
    assert "1510" not in row["description"]


def test_fixture_records(connector) -> None:
    records = connector.normalize(connector.parse(read_snapshot(NAME, root=FIXTURES)))
    assert len(records) == 31 and records["description"].str.contains("rubriques déchets").all()
    decheteries = records[records["actor_kinds"].map(lambda k: "decheterie" in k)]
    assert len(decheteries) > 0


def test_rubrique_alinea_wins() -> None:
    kept = waste_rubriques([{"numeroRubrique": "2760", "alinea": "1"}, {"numeroRubrique": "4331"}])
    assert len(kept) == 1 and "dechets_dangereux" in kept[0][1]["waste_types"]
    assert normalize_naf("3832Z") == "38.32Z" and normalize_naf("n/a") is None


def test_429_with_retry_after_is_honoured(rsps, connector) -> None:
    server = serve_snapshot(rsps, connector, FIXTURES / NAME, failures=[(429, {"Retry-After": "30"}, b"")] * 2)
    http, clock = make_client()
    assert len(list(connector.fetch(http, region="24"))) == 6
    assert len(server.requests) == 8 and clock.sleeps.count(30) == 2


def test_500_storm_is_a_french_source_error(rsps, connector) -> None:
    serve_snapshot(rsps, connector, FIXTURES / NAME, failures=[(502, {}, b"Bad Gateway")] * 9)
    http, _ = make_client(max_attempts=4)
    with pytest.raises(SourceError, match=r"après 4 tentative\(s\).*HTTP 502"):
        list(connector.fetch(http, region="24"))


@pytest.mark.parametrize(
    "body", [b'{"results": 3, "data": [{"codeAIOT": "1"', b"Maintenance en cours", b'{"results": 0}']
)
def test_malformed_json_is_a_source_error(rsps, connector, body: bytes) -> None:
    serve_sequence(rsps, URL, [(200, {}, body)])
    http, _ = make_client()
    with pytest.raises(SourceError, match=r"réponse illisible|inattendue"):
        list(connector.fetch(http, region="24"))


def test_empty_result(rsps, connector) -> None:
    count = serve_sequence(rsps, URL, [(200, {}, _payload([]))])
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert len(files) == 6 and count() == 6
    assert len(connector.normalize(connector.parse(files))) == 0


def test_naf_division_as_the_published_model_sends_it(connector) -> None:
    """``codeNaf`` is documented as the first two characters of the NAF code: the division's
    families are used, no NAF code is invented; a full code still reads as one."""
    item = {
        "codeAIOT": "0001234567",
        "raisonSociale": "RECYCLAGE DU CENTRE",
        "codeInsee": "45234",
        "codeNaf": "38",
        "etatActivite": "En fonctionnement",
        "longitude": 1.9,
        "latitude": 47.9,
        "rubriques": [{"numeroRubrique": "2714", "alinea": "1", "nature": "Transit de déchets"}],
    }
    record = connector.normalize([item]).iloc[0]
    assert record["naf"] is None and "dechets" in record["purchase_families"]
    full = connector.normalize([{**item, "codeNaf": "3832Z"}]).iloc[0]
    assert full["naf"] == "38.32Z"
    # a mixed division (46, wholesale) adds no family of its own: only those of the rubriques remain
    wholesale = connector.normalize([{**item, "codeNaf": "46"}]).iloc[0]
    rubriques_only = connector.normalize([{**item, "codeNaf": None}]).iloc[0]
    assert wholesale["purchase_families"] == rubriques_only["purchase_families"]
