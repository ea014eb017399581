"""The « Sources et imports » page through AppTest: sources table, import report, refusals, who may
import (headers injected through ``st.context``), drop confirmation, restore, journal."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import connectors
from connectors.snapshots import history, read_manifest, replace_snapshot
from mapping import store
from mapping.build import imports, journal
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


HEADER = "N° ADHÉRENT;Raison sociale;Famille de l'ESS;Code postal;Ville\n"


def cress_csv(ids: range) -> bytes:
    return (HEADER + "".join(f"CR{i};Structure {i};Association;45000;Orléans\n" for i in ids)).encode()


@pytest.fixture
def snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Snapshots and built table of this test only (an empty snapshot per source)."""
    root = tmp_path / "snapshots"
    for name in connectors.REGISTRY:
        (root / name).mkdir(parents=True)
    monkeypatch.setenv("SOURCIER_SNAPSHOTS_DIR", str(root))
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(tmp_path / "build" / "suppliers.parquet"))
    return root


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch, snapshots: Path) -> AppTest:
    st.cache_data.clear()
    monkeypatch.setattr(store, "data_status", lambda root=None: STATUS)
    return AppTest.from_file(str(ROOT / "pages" / "sources.py"), default_timeout=60)


def as_agent(monkeypatch: pytest.MonkeyPatch, headers: dict[str, str]) -> None:
    """Guard imports with a header and one allowed agent, and make the session's request carry ``headers``
    (AppTest sends no request: ``st.context`` is replaced for the test)."""
    monkeypatch.setenv("SOURCIER_USER_HEADER", "X-Forwarded-User")
    monkeypatch.setenv("SOURCIER_IMPORTERS", "alice")
    monkeypatch.setattr(st, "context", SimpleNamespace(headers=headers))


def uploaders(page: AppTest) -> list:
    return page.get("file_uploader")


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


def test_accept_writes_rebuilds_and_journals(page: AppTest, snapshots: Path, private_journal: Path) -> None:
    page.session_state["import_result"] = imports.prepare_import(
        "cress", "cress.csv", CRESS.read_bytes(), index={}, index_fetched_at=None
    )
    page.run()
    page.button[0].click().run()
    assert not page.exception
    assert (snapshots / "cress" / "cress.csv").read_bytes() == CRESS.read_bytes()
    assert any("Import enregistré : 3 structures" in s.value for s in page.success)
    assert any("Table des acteurs reconstruite : — → 3 acteurs" in s.value for s in page.success)
    (entry,) = journal.read(private_journal)
    assert entry["action"] == "import" and entry["user"] is None and entry["via"] == journal.VIA_WEB
    table = page.dataframe[-1].value  # the journal, shown on the page
    assert table.iloc[0]["Action"] == "Import de fichier" and table.iloc[0]["Par"] == "non identifié"
    assert table.iloc[0]["Fichier"] == "cress.csv" and table.iloc[0]["Acteurs"] == "— → 3"


def test_allowed_agent_sees_the_upload(page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    as_agent(monkeypatch, {"X-Forwarded-User": "alice"})
    page.run()
    assert not page.exception
    assert len(uploaders(page)) == 1 and page.selectbox(key="import_source")
    assert any("Connecté en tant que « alice »" in c.value for c in page.caption)
    assert not page.info


@pytest.mark.parametrize(
    ("headers", "sentence"),
    [({"X-Forwarded-User": "bob"}, "Connecté en tant que « bob »"), ({}, "Votre identité n'a pas été transmise")],
)
def test_other_or_missing_identity_sees_status_but_no_upload(
    page: AppTest, monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], sentence: str
) -> None:
    as_agent(monkeypatch, headers)
    page.run()
    assert not page.exception
    assert not uploaders(page)
    assert sentence in page.info[0].value and "adressez-vous à : alice." in page.info[0].value
    assert "cress" in list(page.dataframe[0].value["Code"])  # the sources' status is still there


def test_refused_agent_cannot_accept_a_report_left_in_session(page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    as_agent(monkeypatch, {"X-Forwarded-User": "bob"})
    page.session_state["import_result"] = imports.prepare_import(
        "cress", "cress.csv", CRESS.read_bytes(), index={}, index_fetched_at=None
    )
    page.run()
    assert not page.exception and not page.button


def test_large_drop_asks_for_confirmation(page: AppTest, snapshots: Path, private_journal: Path) -> None:
    replace_snapshot("cress", [("cress.csv", cress_csv(range(1, 11)))], {"source": "cress", "records": 10})
    page.session_state["import_result"] = imports.prepare_import(
        "cress", "petit.csv", cress_csv(range(1, 3)), index={}, index_fetched_at=None
    )
    page.run()
    accept = next(b for b in page.button if b.label == import_texts.ACCEPT_BUTTON)
    assert accept.disabled and not journal.read(private_journal)
    assert any("Cet import retirerait 8 des 10 structures" in w.value for w in page.warning)
    page.checkbox[0].check().run()
    accept = next(b for b in page.button if b.label == import_texts.ACCEPT_BUTTON)
    assert not accept.disabled
    accept.click().run()
    assert not page.exception
    assert read_manifest("cress")["records"] == 2
    assert journal.read(private_journal)[0]["forced"] is True


def test_restore_from_the_page(page: AppTest, monkeypatch: pytest.MonkeyPatch, private_journal: Path) -> None:
    replace_snapshot("cress", [("cress.csv", cress_csv(range(1, 5)))], {"source": "cress", "records": 4})
    replace_snapshot("cress", [("cress.csv", cress_csv(range(1, 3)))], {"source": "cress", "records": 2})
    as_agent(monkeypatch, {"X-Forwarded-User": "bob"})
    page.run()
    assert not page.exception
    assert page.selectbox(key="restore_version").options  # bob sees the versions, not the button
    assert import_texts.RESTORE_BUTTON not in [b.label for b in page.button]
    monkeypatch.setattr(st, "context", SimpleNamespace(headers={"X-Forwarded-User": "alice"}))
    page.run()
    (version,) = history("cress")
    assert page.selectbox(key="restore_version").value == version.id
    next(b for b in page.button if b.label == import_texts.RESTORE_BUTTON).click().run()
    assert not page.exception
    assert read_manifest("cress")["records"] == 4
    assert any(f"Version {version.id}" in s.value for s in page.success)
    (entry,) = journal.read(private_journal)
    assert (entry["action"], entry["user"], entry["restored_version"]) == ("restore", "alice", version.id)


def test_refused_file_shows_the_reason(page: AppTest) -> None:
    page.session_state["import_result"] = imports.prepare_import("cress", "photo.png", b"\x89PNG")
    page.run()
    assert not page.exception
    assert "type de fichier refusé" in page.error[0].value
    assert not page.button


def test_identity_is_shown_as_text_not_markdown(page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    as_agent(monkeypatch, {"X-Forwarded-User": "[piège](https://evil.example) <b>x</b>"})
    page.run()
    assert not page.exception
    assert "« \\[piège\\](https://evil.example) \\<b\\>x\\</b\\> »" in page.info[0].value
