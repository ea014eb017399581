"""``refresh`` swaps a snapshot in only when the source was read completely; else nothing is lost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
import responses

import connectors
import mapping.build.refresh as refresh_module
from connectors.snapshots import history
from mapping import store
from mapping.__main__ import main
from mapping.build import journal
from mapping.build.refresh import refresh_source
from mapping.http import HttpClient
from tests.connectors.conftest import FIXTURES
from tests.connectors.fakehttp import make_client, serve_sequence, serve_snapshot

CARTECO_URL = re.compile(r"https://carteco\.example/api/elements\.json.*")

GOOD = {
    "ontology": "gogofull",
    "data": [
        {
            "id": "Ab12",
            "name": "Ressourcerie du Giennois",
            "geo": {"latitude": 47.68, "longitude": 2.63},
            "address": {
                "streetAddress": "2 rue de la Paix",
                "addressLocality": "Gien",
                "postalCode": "45500",
                "addressCountry": "FR",
            },
            "categories": ["Centre-Val de Loire", "Recyclerie / Ressourcerie"],
            "status": 1,
        }
    ],
}


@pytest.fixture
def snapshots(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCIER_CARTECO_URL", "https://carteco.example")
    old = tmp_path / "carteco"
    old.mkdir()
    (old / "elements.json").write_bytes(b'{"ontology":"gogofull","data":[]}')
    (old / "manifest.json").write_text('{"source": "carteco", "records": 0}')
    return tmp_path


def client() -> HttpClient:
    waits: list[float] = []
    return HttpClient(sleep=waits.append, max_attempts=3)


def snapshot_bytes(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@responses.activate
def test_success_swaps_in_new_snapshot_with_manifest(snapshots):
    responses.get(CARTECO_URL, body=json.dumps(GOOD))
    result = refresh_source("carteco", http=client(), root=snapshots)
    assert result.ok, result.error
    assert result.records == 1
    assert json.loads((snapshots / "carteco" / "elements.json").read_bytes()) == GOOD
    manifest = json.loads((snapshots / "carteco" / "manifest.json").read_text())
    assert manifest["records"] == 1 and manifest["demo"] is False
    assert manifest["url"] == "https://carteco.example"
    assert [p.name for p in snapshots.iterdir() if p.name.startswith(".")] == [".history"]  # no temporary left
    kept = snapshots / ".history" / "carteco" / result.previous_version / "elements.json"
    assert kept.read_bytes() == b'{"ontology":"gogofull","data":[]}'  # the replaced snapshot is kept
    assert result.records_before == 0 and len(result.sha256) == 64


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("storm", "500"),
        ("malformed", "illisible"),
        ("text", "illisible"),
    ],
)
@responses.activate
def test_failure_keeps_previous_snapshot_byte_for_byte(snapshots, kind, reason):
    before = snapshot_bytes(snapshots)
    if kind == "storm":
        responses.get(CARTECO_URL, status=500, body="erreur interne")
    elif kind == "malformed":
        responses.get(CARTECO_URL, body=json.dumps(GOOD)[:-40])
    else:
        responses.get(CARTECO_URL, body="Vous devez fournir un token pour accéder à l'API", content_type="text/plain")
    result = refresh_source("carteco", http=client(), root=snapshots)
    assert not result.ok
    assert reason in result.error
    assert "conservé" in result.line()
    assert snapshot_bytes(snapshots) == before


# ---------------------------------------------------------------- waste sources, every fault, CLI

WASTE_SOURCES = ("ademe_lvao", "sinoe", "georisques")
BASES = {
    "ademe_lvao": "https://data.ademe.fr",
    "sinoe": "https://data.ademe.fr",
    "georisques": "https://www.georisques.gouv.fr",
}


@pytest.fixture
def waste_root(tmp_path: Path) -> Path:
    """A snapshots folder holding an old snapshot (with manifest) of each waste source."""
    for name in WASTE_SOURCES:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "old-page.json").write_bytes(b'{"ancien": true}')
        (folder / "manifest.json").write_text(f'{{"source": "{name}", "records": 1, "demo": true}}')
    return tmp_path


def fake_client():
    return make_client(max_attempts=3)[0]


def test_waste_source_success_writes_manifest_with_attribution(waste_root):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_snapshot(rsps, connectors.get("ademe_lvao"), FIXTURES / "ademe_lvao")
        progress = refresh_module.Progress()
        result = refresh_source("ademe_lvao", http=fake_client(), root=waste_root, progress=progress)
    assert result.ok, result.error
    assert (progress.pages, progress.records) == (3, 96)
    assert not (waste_root / "ademe_lvao" / "old-page.json").exists()
    manifest = json.loads((waste_root / "ademe_lvao" / "manifest.json").read_text())
    assert manifest["records"] == 96 and manifest["files"] == 3 and manifest["demo"] is False
    assert manifest["attribution"].startswith("ADEME – Que faire") and "CartEco" in manifest["attribution"]
    assert manifest["fetched_at"] and manifest["url"] == "https://data.ademe.fr"


@pytest.mark.parametrize("name", WASTE_SOURCES)
@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("storm500", "HTTP 500"),
        ("storm429", "HTTP 429"),
        ("timeout", "délai d'attente dépassé"),
        ("malformed", "réponse illisible"),
        ("text", "réponse illisible"),
        ("truncated", "lecture incomplète"),
    ],
)
def test_every_fault_keeps_the_previous_snapshot(waste_root, name, fault, reason):
    before = snapshot_bytes(waste_root)
    truncated = (
        b'{"results": 500, "page": 1, "total_pages": 1, "data": []}'
        if name == "georisques"
        else b'{"total": 500, "results": []}'
    )
    answers = {
        "storm500": (500, {}, "erreur interne"),
        "storm429": (429, {"Retry-After": "1"}, "trop de requêtes"),
        "malformed": (200, {}, b'{"total": 3, "results": [{"identifiant"'),
        "text": (200, {"Content-Type": "text/plain"}, "Jeton d'accès requis"),
        "truncated": (200, {}, truncated),
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        if fault == "timeout":
            rsps.add(responses.GET, re.compile(re.escape(BASES[name]) + ".*"), body=requests.Timeout("trop lent"))
        else:
            serve_sequence(rsps, BASES[name], [answers[fault]])
        result = refresh_source(name, http=fake_client(), root=waste_root)
    assert not result.ok
    assert reason in result.error, result.error
    assert result.line().startswith(f"{name} : ÉCHEC, instantané précédent conservé")
    assert snapshot_bytes(waste_root) == before
    assert not [p for p in waste_root.iterdir() if p.name.startswith(".")]


def test_cli_one_source_fails_the_others_swap_and_exit_1(waste_root, monkeypatch, capsys, private_journal):
    monkeypatch.setenv("SOURCIER_SNAPSHOTS_DIR", str(waste_root))
    monkeypatch.setattr(refresh_module, "default_client", fake_client)
    before_sinoe = (waste_root / "sinoe" / "old-page.json").read_bytes()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_snapshot(rsps, connectors.get("georisques"), FIXTURES / "georisques")
        rsps.add_callback(
            responses.GET,
            re.compile(r"https://data\.ademe\.fr/.*sinoe.*"),
            callback=lambda r: (503, {}, "indisponible"),
        )
        serve_snapshot(rsps, connectors.get("ademe_lvao"), FIXTURES / "ademe_lvao")
        status = main(["refresh", "--source", "ademe_lvao", "--source", "sinoe", "--source", "georisques"])
    out, err = capsys.readouterr()
    assert status == 1
    assert "sinoe : ÉCHEC, instantané précédent conservé" in err and "HTTP 503" in err
    assert "1 source(s) en échec : sinoe" in err
    assert "ademe_lvao : instantané mis à jour (3 fichiers, 96 enregistrements)" in out
    assert "georisques : instantané mis à jour (6 fichiers, 31 enregistrements)" in out
    assert (waste_root / "sinoe" / "old-page.json").read_bytes() == before_sinoe
    assert (waste_root / "georisques" / "dep-45" / "page-0001.json").exists()
    assert store.data_status(waste_root)["sources"]["georisques"]["records"] == 31
    entries = journal.read(private_journal)  # the two swapped snapshots are journalled, the failure is not
    assert [(e["action"], e["source"], e["records_after"]) for e in entries] == [
        ("refresh", "ademe_lvao", 96),
        ("refresh", "georisques", 31),
    ]
    assert all(e["via"] == journal.VIA_CLI and e["user"] and len(e["sha256"]) == 64 for e in entries)
    assert entries[1]["previous_version"] in [v.id for v in history("georisques", waste_root)]


def test_cli_every_source_ok_exits_0(waste_root, monkeypatch, capsys):
    monkeypatch.setenv("SOURCIER_SNAPSHOTS_DIR", str(waste_root))
    monkeypatch.setattr(refresh_module, "default_client", fake_client)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_snapshot(rsps, connectors.get("georisques"), FIXTURES / "georisques")
        assert main(["refresh", "--source", "georisques"]) == 0
    assert "Toutes les sources ont été rafraîchies" in capsys.readouterr().out


def test_cli_refresh_with_build_journals_actors_after(waste_root, monkeypatch, capsys, private_journal, tmp_path):
    for name in connectors.REGISTRY:  # the build reads every source: empty snapshots for the others
        (waste_root / name).mkdir(exist_ok=True)
    monkeypatch.setenv("SOURCIER_SNAPSHOTS_DIR", str(waste_root))
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(tmp_path / "build" / "suppliers.parquet"))
    monkeypatch.setattr(refresh_module, "default_client", fake_client)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_snapshot(rsps, connectors.get("georisques"), FIXTURES / "georisques")
        assert main(["refresh", "--source", "georisques", "--build"]) == 0
    assert "python -m mapping build" not in capsys.readouterr().out
    (entry,) = journal.read(private_journal)
    assert entry["source"] == "georisques" and entry["actors_before"] is None
    assert entry["actors_after"] == journal.count_actors() and entry["actors_after"] > 0
