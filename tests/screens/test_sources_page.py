"""The « Sources et imports » page through AppTest: sources table, import report, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from mapping import store
from mapping.build import imports
from mapping.screens import import_texts

ROOT = Path(__file__).resolve().parents[2]
CRESS = ROOT / "tests" / "fixtures" / "partners" / "cress_cp1252_semicolon.csv"
STATUS = {
    "demo": True,
    "sources": {
        "cress": {
            "title": "CRESS",
            "records": 876,
            "fetched_at": "2026-11-22T06:24:00+00:00",
            "licence": "Convention",
            "attribution": "CRESS Centre-Val de Loire",
            "demo": True,
        }
    },
    "built_at": None,
}


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    st.cache_data.clear()
    monkeypatch.setattr(store, "data_status", lambda root=None: STATUS)
    return AppTest.from_file(str(ROOT / "pages" / "sources.py"), default_timeout=60)


def test_sources_table_lists_every_registered_source(page: AppTest) -> None:
    page.run()
    assert not page.exception
    assert page.title[0].value == import_texts.PAGE_TITLE
    table = page.dataframe[0].value
    assert "cress" in list(table["Code"]) and "carteco" in list(table["Code"])
    cress = table.set_index("Code").loc["cress"]
    assert cress["Mise à jour"] == "import de fichier" and cress["Enregistrements"] == 876
    assert cress["Date des données"] == "2026-11-22" and cress["Démonstration"] == "oui"
    assert table.set_index("Code").loc["carteco", "Date des données"] == "aucun instantané"
    assert any(import_texts.DEMO_NOTICE in w.value for w in page.warning)
    assert page.selectbox(key="import_source").options[0]


def test_report_from_session_state_is_shown(page: AppTest) -> None:
    result = imports.prepare_import("cress", "cress.csv", CRESS.read_bytes(), index={}, index_fetched_at=None)
    page.session_state["import_result"] = result
    page.run()
    assert not page.exception
    assert any("8 lignes lues — 3 importées — 5 refusées" in s.value for s in page.success)
    assert "ligne 7 : SIRET invalide (clé de contrôle)" in page.text[0].value
    refused = page.dataframe[1].value
    assert list(refused["Ligne"]) == [6, 7, 9, 10, 11]
    assert [b.label for b in page.button] == [import_texts.ACCEPT_BUTTON, import_texts.CANCEL_BUTTON]


def test_accept_writes_the_import(page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[str] = []
    monkeypatch.setattr(imports, "write_import", lambda result: written.append(result.source))
    page.session_state["import_result"] = imports.prepare_import(
        "cress", "cress.csv", CRESS.read_bytes(), index={}, index_fetched_at=None
    )
    page.run()
    page.button[0].click().run()
    assert not page.exception and written == ["cress"]
    assert any("Import enregistré : 3 structures" in s.value for s in page.success)


def test_refused_file_shows_the_reason(page: AppTest) -> None:
    page.session_state["import_result"] = imports.prepare_import("cress", "photo.png", b"\x89PNG")
    page.run()
    assert not page.exception
    assert "type de fichier refusé" in page.error[0].value
    assert not page.button
