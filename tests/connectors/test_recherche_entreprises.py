"""API Recherche d'entreprises: paging, errors, base URL override, parse and normalize."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
import responses

from connectors.base import SourceError, read_snapshot
from connectors.recherche_entreprises import (
    RechercheEntreprisesConnector,
    actor_kinds,
    street_address,
)
from mapping.reference.schema import RECORD_COLUMNS
from tests.connectors.conftest import FIXTURES
from tests.connectors.fakehttp import make_client, serve_snapshot

NAME = "recherche_entreprises"
QUERY_DEPS = [f"{q}-{d}" for q in ("ess", "siae", "scop", "dechets") for d in ("18", "28", "36", "37", "41", "45")]
EMPTY = b'{"results":[],"total_results":0,"page":1,"per_page":25,"total_pages":0}'


@pytest.fixture
def connector() -> RechercheEntreprisesConnector:
    return RechercheEntreprisesConnector()


@pytest.fixture
def records(connector: RechercheEntreprisesConnector) -> pd.DataFrame:
    frame = connector.normalize(connector.parse(read_snapshot(NAME, root=FIXTURES)))
    return frame.set_index("source_id", drop=False)


def empty_snapshot(root: Path) -> Path:
    """A snapshot folder where every query of region 24 has one empty page."""
    folder = root / NAME
    for name in QUERY_DEPS:
        (folder / name).mkdir(parents=True)
        (folder / name / "page-0001.json").write_bytes(EMPTY)
    return folder


# ------------------------------------------------------------------ fetch


def test_fetch_pages_every_query_to_the_end(rsps: responses.RequestsMock, connector) -> None:
    server = serve_snapshot(rsps, connector, FIXTURES / NAME)
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert [f.path for f in files][:3] == [
        "ess-18/page-0001.json",
        "ess-28/page-0001.json",
        "ess-36/page-0001.json",
    ]
    assert "ess-45/page-0002.json" in [f.path for f in files]
    assert len(files) == 25 and not server.missing  # 4 queries × 6 départements + ess-45 page 2
    params = dict(parse_qsl(urlsplit(server.requests[0]).query))
    assert params == {
        "est_ess": "true",
        "region": "24",
        "departement": "18",
        "per_page": "25",
        "page": "1",
        "minimal": "true",
        "include": "siege,complements,matching_etablissements",
        "limite_matching_etablissements": "100",
        "etat_administratif": "A",
    }
    scop = dict(parse_qsl(urlsplit(server.requests[-7]).query))
    assert scop["nature_juridique"] == "5458,5558,5658" and scop["departement"] == "45"
    waste = dict(parse_qsl(urlsplit(server.requests[-1]).query))
    assert waste["activite_principale"] == "38.11Z,38.12Z,38.21Z,38.22Z,38.31Z,38.32Z,39.00Z,46.77Z"
    assert waste["departement"] == "45"


def test_fetch_stops_on_an_empty_page(rsps, connector, tmp_path: Path) -> None:
    folder = empty_snapshot(tmp_path)
    page1 = json.loads((FIXTURES / NAME / "ess-45/page-0001.json").read_bytes())
    page1["total_pages"] = 9
    (folder / "ess-45/page-0001.json").write_text(json.dumps(page1))
    (folder / "ess-45/page-0002.json").write_bytes(EMPTY.replace(b'"page":1', b'"page":2'))
    server = serve_snapshot(rsps, connector, folder)
    http, _ = make_client()
    paths = [f.path for f in connector.fetch(http, region="24")]
    assert paths.count("ess-45/page-0002.json") == 1
    assert "ess-45/page-0003.json" not in paths and not server.missing


def test_fetch_refuses_pages_past_the_cap(rsps, connector, caplog) -> None:
    serve_snapshot(rsps, connector, FIXTURES / NAME)
    connector.max_pages = 1
    http, _ = make_client()
    with caplog.at_level(logging.WARNING):
        paths = [f.path for f in connector.fetch(http, region="24")]
    assert "ess-45/page-0002.json" not in paths
    assert "résultats tronqués pour ess-45" in caplog.text


def test_429_with_retry_after_then_success(rsps, connector) -> None:
    server = serve_snapshot(
        rsps,
        connector,
        FIXTURES / NAME,
        failures=[(429, {"Retry-After": "2"}, b'{"erreur":"trop de requetes"}')],
    )
    http, clock = make_client()
    files = list(connector.fetch(http, region="24"))
    assert len(files) == 25
    assert len(server.requests) == 26
    assert max(clock.sleeps) >= 2


def test_500_storm_is_a_french_source_error(rsps, connector) -> None:
    server = serve_snapshot(rsps, connector, FIXTURES / NAME, failures=[(500, {}, b"Internal Server Error")] * 10)
    http, _ = make_client(max_attempts=4)
    with pytest.raises(SourceError) as info:
        list(connector.fetch(http, region="24"))
    assert len(server.requests) == 4
    assert info.value.source == NAME
    assert "après 4 tentative(s)" in str(info.value) and "HTTP 500" in str(info.value)


def test_malformed_json_is_a_source_error(rsps, connector, tmp_path: Path) -> None:
    folder = empty_snapshot(tmp_path)
    (folder / "ess-18/page-0001.json").write_bytes(b"<html>maintenance</html>")
    serve_snapshot(rsps, connector, folder)
    http, _ = make_client()
    with pytest.raises(SourceError, match="réponse illisible"):
        list(connector.fetch(http, region="24"))


def test_empty_results(rsps, connector, tmp_path: Path) -> None:
    folder = empty_snapshot(tmp_path)
    serve_snapshot(rsps, connector, folder)
    http, _ = make_client()
    files = list(connector.fetch(http, region="24"))
    assert len(files) == 24 and all(f.content == EMPTY for f in files)
    frame = connector.normalize(connector.parse(files))
    assert frame.empty and list(frame.columns) == list(RECORD_COLUMNS)
    assert frame.crs.to_epsg() == 4326


def test_base_url_from_environment(rsps, connector, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCIER_RECHERCHE_ENTREPRISES_URL", "http://127.0.0.1:8765/")
    server = serve_snapshot(rsps, connector, empty_snapshot(tmp_path))
    http, _ = make_client()
    list(connector.fetch(http, region="24"))
    assert len(server.requests) == 24
    assert {urlsplit(u).netloc for u in server.requests} == {"127.0.0.1:8765"}
    assert all(urlsplit(u).path == "/search" for u in server.requests)


def test_snapshot_path(connector) -> None:
    url = "https://recherche-entreprises.api.gouv.fr/search"
    assert (
        connector.snapshot_path(url, {"est_siae": "true", "departement": "37", "page": "12"})
        == "siae-37/page-0012.json"
    )
    assert connector.snapshot_path(url + "?nature_juridique=5458,5558,5658&departement=2A") == "scop-2A/page-0001.json"
    with pytest.raises(ValueError):
        connector.snapshot_path(url, {"est_bio": "true", "departement": "37"})
    with pytest.raises(ValueError):
        connector.snapshot_path("https://recherche-entreprises.api.gouv.fr/near_point", {})


# ------------------------------------------------------------------ parse / normalize


def test_parse_keeps_open_diffusible_establishments_in_the_region(connector) -> None:
    raws = list(connector.parse(read_snapshot(NAME, root=FIXTURES)))
    sirets = [r["etablissement"]["siret"] for r in raws]
    assert len(sirets) == len(set(sirets))
    assert "78452013200019" in sirets  # open establishment
    assert "78452013200027" not in sirets  # closed (etat_administratif F)
    assert "90211122800018" not in sirets  # non-diffusible (P)
    assert "42100300500012" not in sirets  # Sarthe, outside the region
    assert "83300777600010" in sirets  # no matching establishment: siège used
    by_siret = {r["etablissement"]["siret"]: r for r in raws}
    assert by_siret["44123456400017"]["queries"] == ["ess", "scop"]  # two queries, one record
    assert by_siret["51987654000000"]["queries"] == ["ess", "siae"]


def test_normalize_fields(records: pd.DataFrame) -> None:
    assert list(records.columns) == list(RECORD_COLUMNS)
    assert len(records) == 6
    row = records.loc["78452013200019"]
    assert row["source"] == NAME
    assert row["name"] == "RESSOURCERIE DU LOIRET"
    assert (row["siret"], row["siren"]) == ("78452013200019", "784520132")
    assert row["address"] == "12B RUE DES CARMES"
    assert (row["postcode"], row["city"], row["code_insee"], row["departement"]) == (
        "45000",
        "ORLEANS",
        "45234",
        "45",
    )
    assert row["epci"] == "244500468"
    assert (row.geometry.x, row.geometry.y) == (1.9093, 47.9029)
    assert row["geo_precision"] == "source"
    assert row["actor_kinds"] == ["association", "aci", "ei"]
    assert row["purchase_families"] == ["dechets"]
    assert (row["naf"], row["legal_form"]) == ("38.32Z", "9220")
    assert row["updated_at"] == pd.Timestamp("2025-10-02T03:12:44", tz="UTC")
    assert records["updated_at"].dtype == "datetime64[ns, UTC]"


def test_normalize_commercial_ess_and_labels(records: pd.DataFrame) -> None:
    nettoyage = records.loc["81234567600017"]
    assert nettoyage["actor_kinds"] == ["entreprise", "esus"]
    assert nettoyage["labels"] == ["rge"]
    assert nettoyage["address"] == "ZA DU TERTRE"  # from `adresse`, postcode and city cut
    numerique = records.loc["88877766100016"]
    assert numerique["labels"] == ["qualiopi", "rfar", "entreprise_mission"]
    assert numerique["purchase_families"] == []
    scop = records.loc["44123456400017"]
    assert scop["actor_kinds"] == ["scop"]  # ESS by status: no "esus"


def test_normalize_invalid_siret_and_missing_coordinates(records: pd.DataFrame) -> None:
    bad = records.loc["51987654000000"]
    assert bad["siret"] is None
    assert bad["siren"] == "519876544"  # the source's SIREN is valid
    assert bad["actor_kinds"] == ["association", "ei"]
    jardin = records.loc["83300777600010"]
    assert jardin.geometry is None and jardin["geo_precision"] is None
    assert jardin["labels"] == ["ab"]


def test_actor_kinds_rules() -> None:
    assert actor_kinds("5710", {"est_siae": True, "type_siae": "ETTI, EITI"}) == [
        "entreprise",
        "etti",
        "eiti",
    ]
    assert actor_kinds(None, {"type_siae": "ESAT; EA; OPCS"}) == ["esat", "ea"]
    assert actor_kinds("9220", {"est_ess": True}) == ["association"]
    assert actor_kinds(None, {}) == []


def test_street_address_variants() -> None:
    assert street_address({"numero_voie": "3", "type_voie": "AV", "libelle_voie": "DE PARIS"}) == "3 AV DE PARIS"
    assert street_address({"adresse": "LIEU DIT LA MOTTE 41000 BLOIS", "code_postal": "41000"}) == "LIEU DIT LA MOTTE"
    assert street_address({"adresse": "BLOIS", "libelle_commune": "BLOIS"}) is None
    assert street_address({}) is None


def test_parse_ignores_manifest(connector, tmp_path: Path) -> None:
    folder = tmp_path / NAME
    shutil.copytree(FIXTURES / NAME, folder)
    (folder / "manifest.json").write_text("{}")
    files = read_snapshot(NAME, root=tmp_path)
    assert "manifest.json" not in [f.path for f in files]
    assert len(list(connector.parse(files))) == 6


def test_waste_naf_gives_natures_of_waste() -> None:
    from connectors.recherche_entreprises import QUERIES, waste_types_for_naf

    assert QUERIES["dechets"] == {"activite_principale": "38.11Z,38.12Z,38.21Z,38.22Z,38.31Z,38.32Z,39.00Z,46.77Z"}
    assert waste_types_for_naf("38.31Z") == ["vhu", "metaux", "pneus"]
    assert waste_types_for_naf("81.21Z") == [] and waste_types_for_naf(None) == []
