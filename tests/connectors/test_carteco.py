"""CARTECO (GoGoCarto): fetch, token-protected instance, parse and normalize, category mapping."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
import responses

from connectors.base import SnapshotFile, SourceError, read_snapshot
from connectors.carteco import (
    MAPPED_COLUMNS,
    MAPPING_PATH,
    CartecoConnector,
    bounds_param,
    category_names,
    parse_date,
    statut_kinds,
)
from mapping.reference import taxonomy
from mapping.reference.schema import RECORD_COLUMNS
from tests.connectors.conftest import FIXTURES
from tests.connectors.fakehttp import make_client, serve_sequence, serve_snapshot

NAME = "carteco"
ELEMENTS = "https://carteco-ess.org/api/elements.json"


@pytest.fixture
def connector() -> CartecoConnector:
    return CartecoConnector()


@pytest.fixture
def records(connector: CartecoConnector) -> pd.DataFrame:
    frame = connector.normalize(connector.parse(read_snapshot(NAME, root=FIXTURES)))
    return frame.set_index("source_id", drop=False)


def test_fetch_one_request_with_region_bounds(rsps: responses.RequestsMock, connector) -> None:
    server = serve_snapshot(rsps, connector, FIXTURES / NAME)
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert [f.path for f in files] == ["elements.json"]
    assert files[0].content == (FIXTURES / NAME / "elements.json").read_bytes()
    (url,) = server.requests
    assert urlsplit(url).path == "/api/elements.json"
    assert dict(parse_qsl(urlsplit(url).query)) == {"bounds": "0.0527,46.3469,3.1287,48.9411"}


def test_token_protected_instance_answers_text(rsps, connector) -> None:
    count = serve_sequence(
        rsps,
        ELEMENTS,
        [(200, {"Content-Type": "text/html"}, "Vous devez fournir un token valide pour accéder à l'API")],
    )
    http, _ = make_client()
    with pytest.raises(SourceError, match="réponse illisible") as info:
        list(connector.fetch(http, region="24"))
    assert info.value.source == NAME and "token valide" in str(info.value)
    assert count() == 1


def test_forbidden_is_fatal(rsps, connector) -> None:
    count = serve_sequence(rsps, ELEMENTS, [(403, {}, "Forbidden")])
    http, _ = make_client()
    with pytest.raises(SourceError, match=r"HTTP 403"):
        list(connector.fetch(http, region="24"))
    assert count() == 1


def test_base_url_from_environment(rsps, connector, monkeypatch) -> None:
    monkeypatch.setenv("SOURCIER_CARTECO_URL", "http://localhost:9000")
    server = serve_snapshot(rsps, connector, FIXTURES / NAME)
    http, _ = make_client()
    list(connector.fetch(http, region="24"))
    assert [urlsplit(u).netloc for u in server.requests] == ["localhost:9000"]


def test_parse_skips_unvalidated_and_deleted(connector) -> None:
    ids = [e["id"] for e in connector.parse(read_snapshot(NAME, root=FIXTURES))]
    assert ids == ["Ab12", "Cd34", "Ij90"]  # Ef56 status 0, Gh78 status -1


def test_parse_malformed_snapshot(connector) -> None:
    with pytest.raises(SourceError, match="réponse illisible"):
        list(connector.parse([SnapshotFile("elements.json", b"Token invalide")]))
    with pytest.raises(SourceError, match="data"):
        list(connector.parse([SnapshotFile("elements.json", b'{"ontology":"gogofull"}')]))


def test_normalize_fields(records: pd.DataFrame) -> None:
    assert list(records.columns) == list(RECORD_COLUMNS)
    row = records.loc["Ab12"]
    assert row["source"] == NAME and row["name"] == "Ressourcerie La Pagaille"
    assert (row["siret"], row["siren"]) == ("79988877100018", "799888771")
    assert (row["address"], row["postcode"], row["city"]) == ("14 rue Nationale", "37000", "Tours")
    assert (row.geometry.x, row.geometry.y) == (0.6892, 47.3936)
    assert row["geo_precision"] == "source"
    assert row["actor_kinds"] == ["association"]
    assert row["purchase_families"] == ["reemploi_reparation", "dechets"]
    assert row["waste_types"] == ["mobilier", "encombrants", "textiles", "deee"]
    assert row["website"] == "https://ressourcerie-pagaille.example.org"
    assert row["email"] == "contact@ressourcerie-pagaille.example.org"
    assert row["phone"] == "02 47 00 00 00"
    assert row["description"].startswith("Collecte, valorisation")
    assert row["updated_at"] == pd.Timestamp("2024-01-10T08:00:00", tz="UTC")


def test_normalize_dmy_date_custom_address_and_invalid_siret(records: pd.DataFrame) -> None:
    row = records.loc["Cd34"]
    assert row["updated_at"] == pd.Timestamp("2021-06-15", tz="UTC")
    assert row["address"] == "Place Cujas, 18000 Bourges"
    assert row["siret"] is None and row["siren"] is None
    assert row["actor_kinds"] == ["scic"]
    assert row["purchase_families"] == ["reemploi_reparation"]
    assert row["website"] == "https://reparvelo.example.org"
    assert row["description"] == "Atelier de réparation de vélos."
    assert (row.geometry.x, row.geometry.y) == (2.3958, 47.0833)


def test_elements_outside_the_region_stay(records: pd.DataFrame) -> None:
    row = records.loc["Ij90"]
    assert row["city"] == "Paris"
    assert row["actor_kinds"] == ["esus"]
    assert row["updated_at"] == pd.Timestamp("2025-02-01T12:30:00", tz="UTC")


def test_unknown_categories_are_counted(connector, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="connectors.carteco"):
        connector.normalize(connector.parse(read_snapshot(NAME, root=FIXTURES)))
    assert "2 catégorie(s) inconnue(s) ignorée(s)" in caplog.text
    assert "Mobilité douce (1)" in caplog.text and "1234 (1)" in caplog.text


def test_category_names_variants() -> None:
    assert category_names({"categories": ["Réemploi", 12, None]}) == ["Réemploi", "12"]
    assert category_names({"categoriesFull": [{"id": 3, "name": "Réparation"}, {"id": 4}]}) == [
        "Réparation",
        "4",
    ]
    assert category_names({}) == []


def test_statut_kinds_tolerant() -> None:
    assert statut_kinds("  association ") == ["association"]
    assert statut_kinds(["Scop", "Entreprise adaptée"]) == ["scop", "ea"]
    assert statut_kinds("Inconnu") == [] and statut_kinds(None) == []


def test_parse_date() -> None:
    assert parse_date("05/11/2018") == pd.Timestamp("2018-11-05", tz="UTC")
    assert parse_date("2024-03-11T09:41:45+01:00") == pd.Timestamp("2024-03-11T08:41:45", tz="UTC")
    assert parse_date("31/02/2020") is None
    assert parse_date("n'importe quoi") is None
    assert parse_date(None) is None


def test_bounds_rounded_outwards() -> None:
    assert bounds_param((0.05, 46.34, 3.13, 48.95)) == "0.05,46.34,3.13,48.95"
    assert bounds_param((0.123456, -1.00001, 2.00001, 3.9)) == "0.1234,-1.0001,2.0001,3.9"


def test_mapping_uses_known_taxonomy_codes() -> None:
    data = json.loads(MAPPING_PATH.read_text(encoding="utf-8"))
    for section in ("categories", "statut_ess"):
        for label, entry in data[section].items():
            assert set(entry) <= set(MAPPED_COLUMNS), label
            for column, codes in entry.items():
                unknown = set(codes) - set(taxonomy.codes(column))
                assert not unknown, f"{section}/{label}: {unknown}"
