"""``refresh`` swaps a snapshot in only when the source was read completely; else nothing is lost."""

from __future__ import annotations

import json
import re

import pytest
import responses

from connectors._http import HttpClient
from mapping.refresh import refresh_source

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
    assert not [p for p in snapshots.iterdir() if p.name.startswith(".")]  # no temporary left


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
