"""ADEME « Longue vie aux objets » (data-fair ``lines``): cursor paging, faults, vocabulary, attribution."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from connectors import datafair
from connectors.ademe_lvao import DATASET, MAPPING, AdemeLvaoConnector, attribution, vocabulary_codes
from connectors.base import SnapshotFile, SourceError, read_snapshot
from mapping.reference import taxonomy
from tests.connectors.conftest import FIXTURES
from tests.connectors.fakehttp import make_client, serve_sequence, serve_snapshot

NAME = "ademe_lvao"
LINES = f"https://data.ademe.fr/data-fair/api/v1/datasets/{DATASET}/lines"
EMPTY = b'{"total":0,"results":[]}'


@pytest.fixture
def connector() -> AdemeLvaoConnector:
    return AdemeLvaoConnector()


def test_paging_follows_next_to_the_end(rsps: responses.RequestsMock, connector) -> None:
    server = serve_snapshot(rsps, connector, FIXTURES / NAME)
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert [f.path for f in files] == [
        "lines/page-start.json",
        "lines/page-after-000000128375.json",
        "lines/page-after-000000329342.json",
    ]
    first = dict(parse_qsl(urlsplit(server.requests[0]).query))
    assert first["size"] == "1000" and first["sort"] == "_i" and first["bbox"] == "0.0527,46.3469,3.1287,48.9411"
    assert first["type_dacteur_nin"] == "pav_public,pav_prive,pav_ponctuel,acteur_digital"
    assert "paternite" in first["select"].split(",")
    assert dict(parse_qsl(urlsplit(server.requests[1]).query))["after"] == "128375"
    rows = sum(len(json.loads(f.content)["results"]) for f in files)
    assert rows == json.loads(files[0].content)["total"] == 96


def test_next_is_rebased_on_the_configured_host(rsps, connector, monkeypatch) -> None:
    monkeypatch.setenv("SOURCIER_ADEME_LVAO_URL", "http://127.0.0.1:8765")
    server = serve_snapshot(rsps, connector, FIXTURES / NAME)
    http, _ = make_client()
    list(connector.fetch(http, region="24"))
    assert {urlsplit(u).netloc for u in server.requests} == {"127.0.0.1:8765"}  # next says data.ademe.fr


def test_429_with_retry_after_is_honoured(rsps, connector) -> None:
    failures = [(429, {"Retry-After": "7"}, b'{"error":"too many requests"}')]
    server = serve_snapshot(rsps, connector, FIXTURES / NAME, failures=failures)
    http, clock = make_client()
    files = list(connector.fetch(http, region="24"))
    assert len(files) == 3 and len(server.requests) == 4
    assert 7 in clock.sleeps


def test_500_storm_is_a_french_source_error(rsps, connector) -> None:
    server = serve_snapshot(rsps, connector, FIXTURES / NAME, failures=[(500, {}, b"Internal Server Error")] * 9)
    http, _ = make_client(max_attempts=3)
    with pytest.raises(SourceError, match=r"après 3 tentative\(s\).*HTTP 500") as info:
        list(connector.fetch(http, region="24"))
    assert info.value.source == NAME and len(server.requests) == 3


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"total":5,"results":[{"identifiant":"a"', "réponse illisible"),
        (b"<html>Vous devez vous authentifier</html>", "réponse illisible"),
        (b'{"total":5,"rows":[]}', "results"),
    ],
)
def test_malformed_page_is_a_source_error(rsps, connector, body: bytes, reason: str) -> None:
    serve_sequence(rsps, LINES, [(200, {"Content-Type": "application/json"}, body)])
    http, _ = make_client()
    with pytest.raises(SourceError, match=reason):
        list(connector.fetch(http, region="24"))


def test_truncated_read_and_looping_cursor(rsps, connector) -> None:
    page = {"total": 3, "next": f"{LINES}?size=1000&after=5", "results": [{"identifiant": "a", "nom": "A", "_i": 5}]}
    serve_sequence(rsps, LINES, [(200, {}, json.dumps(page))])  # the same cursor again and again
    http, _ = make_client()
    with pytest.raises(SourceError, match=r"curseur .* répété"):
        list(connector.fetch(http, region="24"))
    rsps.reset()
    serve_sequence(rsps, LINES, [(200, {}, json.dumps({**page, "next": None}))])
    with pytest.raises(SourceError, match="lecture incomplète : 1 lignes reçues sur 3"):
        list(connector.fetch(http, region="24"))


def test_empty_result(rsps, connector) -> None:
    serve_sequence(rsps, LINES, [(200, {}, EMPTY)])
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert [f.path for f in files] == ["lines/page-start.json"]
    assert len(connector.normalize(connector.parse(files))) == 0


def test_records_vocabulary_and_carteco_rows(connector) -> None:
    files = read_snapshot(NAME, root=FIXTURES)
    raw = list(connector.parse(files))
    records = connector.normalize(raw)
    assert len(records) == 96 and records["source_id"].is_unique
    assert records.geometry.notna().all()
    assert any("CartEco" in r["paternite"] for r in raw)  # re-published CARTECO entries are kept
    wastes = Counter(w for codes in records["waste_types"] for w in codes)
    assert len(wastes) >= 5
    sorting = records[records["actor_kinds"].map(lambda k: "decheterie" in k)]
    assert len(sorting) and sorting["purchase_families"].map(lambda f: "dechets" in f).all()


def test_vocabulary_codes() -> None:
    row = {
        "type_dacteur": "artisan",
        "qualites_et_labels": "reparacteur|bonusrepar_ecosystem",
        "type_de_services": "service_de_reparation",
        "reparer": "petit_electromenager|materiel_informatique",
        "propositions_de_services": json.dumps([{"action": "trier", "sous_categories": ["dechets_verts"]}]),
        "acheter": "livre",
    }
    unknown: Counter[str] = Counter()
    codes = vocabulary_codes(row, unknown)
    assert codes["actor_kinds"] == ["entreprise"]
    assert set(codes["labels"]) == {"reparacteur", "qualirepar"}
    assert set(codes["waste_types"]) == {"deee", "dechets_verts"}  # acheter takes nothing in
    assert {"reemploi_reparation", "informatique_reconditionnement", "dechets"} <= set(codes["purchase_families"])
    assert not unknown
    vocabulary_codes({"type_dacteur": "inconnu"}, unknown)
    assert unknown == {"type_dacteur:inconnu": 1}


def test_excluded_types_are_dropped(connector) -> None:
    page = {"total": 2, "results": [{"identifiant": "a", "nom": "Borne", "type_dacteur": "pav_public"},
                                    {"identifiant": "b", "nom": "Atelier", "type_dacteur": "artisan"}]}  # fmt: skip
    raw = list(connector.parse([SnapshotFile("lines/page-start.json", json.dumps(page).encode())]))
    assert [r["identifiant"] for r in raw] == ["b"]


def test_attribution_names_the_contributors(connector) -> None:
    assert attribution(
        ["Que faire de mes objets et déchets|ADEME|CartEco", "Que faire de mes objets et déchets|ADEME"]
    ) == ("ADEME – Que faire de mes objets et déchets (Longue vie aux objets), d'après : CartEco")
    text = connector.attribution(read_snapshot(NAME, root=FIXTURES))
    assert text.startswith("ADEME – Que faire") and "CartEco" in text


def test_mapping_uses_known_codes() -> None:
    data = json.loads((Path(datafair.__file__).parents[1] / "data/reference/mappings" / f"{MAPPING}.json").read_text())
    for section in ("actions", "type_dacteur", "type_de_services", "qualites_et_labels", "sous_categories"):
        for key, entry in data[section].items():
            for column in ("actor_kinds", "purchase_families", "waste_types", "labels"):
                assert set(entry.get(column, [])) <= set(taxonomy.codes(column)), f"{section}/{key}"


def test_attribution_skips_both_names_of_the_publisher() -> None:
    from connectors.ademe_lvao import attribution

    text = attribution(
        ["Longue Vie Aux Objets|ADEME|ADEME - SINOE|ECOMAISON", "Que faire de mes objets et déchets|ADEME|CartEco"]
    )
    assert text.endswith("d'après : ADEME - SINOE, CartEco, ECOMAISON")
