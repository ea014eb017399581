"""« Sélections » and « Préparer une rencontre » through AppTest, on 40 test actors and a SQLite file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import shortlists, store
from mapping.screens import shortlist_texts as texts

ROOT = Path(__file__).resolve().parents[2]
SHORTLISTS = "pages/selections.py"
MEETING = "pages/rencontre.py"

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture
def db(actors_factory, tmp_path, monkeypatch) -> shortlists.ShortlistStore:
    actors = actors_factory(40)
    actors.loc[2, "name"] = "Recyclerie ${(window.parent.__pwned=1)} <b>gras</b>"
    path = store.write_suppliers(actors, tmp_path / "suppliers.parquet")
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(path))
    monkeypatch.setenv("SOURCIER_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setattr(store, "data_status", lambda: {"demo": True, "sources": {}, "built_at": None})
    yield shortlists.open_store()
    shortlists.close_all()


def run(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["auteur"] = "Camille Martin"
    at.run()  # a first run registers the pages' url_path (AppTest.switch_page's documented requirement)
    at.switch_page(page).run()
    assert not at.exception
    return at


def map_rows(at: AppTest) -> list:
    (found,) = [
        e for e in at.main if getattr(getattr(e, "proto", None), "component_name", None) == "streamlit_folium.st_folium"
    ]
    script = json.loads(found.proto.json_args)["script"]
    return json.loads(re.search(r"var data = (\[.*?\]);\n", script, re.DOTALL).group(1))


def test_no_list_yet_then_create_one_with_the_author(db):
    at = run(SHORTLISTS)
    assert at.title[0].value == texts.SHORTLISTS_PAGE_TITLE
    assert any(texts.NO_LISTS in i.value for i in at.info)
    at.text_input(key="nouveau_nom").input("Rencontre réemploi")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    (row,) = db.lists()
    assert row["name"] == "Rencontre réemploi" and row["owner"] == "Camille Martin"
    assert at.selectbox(key="selection").value == row["id"]
    assert any("Créée par Camille Martin" in c.value for c in at.caption)
    assert any(texts.EMPTY_LIST in i.value for i in at.info)


def test_add_search_results_then_note_reorder_remove(db):
    list_id = db.create("Réemploi", owner="Dominique")
    at = run(SHORTLISTS)
    at.text_input(key="ajout_recherche").input("Recyclerie").run()
    (choice,) = at.multiselect(key="ajout_choix").options
    assert choice.startswith("Recyclerie ${(window.parent.__pwned=1)} <b>gras</b>")
    at.multiselect(key="ajout_choix").set_value(["a00002"]).run()
    at.button(key="ajouter").click().run()
    assert not at.exception
    db.add(list_id, "a00007")
    db.add(list_id, "disparu", "à relancer", snapshot={"name": "Ancienne ressourcerie", "city": "Dreux"})
    at.run()
    assert [i["uid"] for i in db.items(list_id)] == ["a00002", "a00007", "disparu"]
    titles = [m.value for m in at.markdown if m.value.startswith("**")]
    assert titles[0] == r"**1. Recyclerie \${(window.parent.\_\_pwned=1)} \<b\>gras\</b\>**"
    assert any("n'est plus dans les données" in w.value and "Dreux" in w.value for w in at.warning)

    at.text_area(key=f"note_{list_id}_a00007").input("Très réactif").run()
    assert db.items(list_id)[1]["note"] == "Très réactif"
    at.button(key="up_a00007").click().run()
    assert [i["uid"] for i in db.items(list_id)] == ["a00007", "a00002", "disparu"]
    at.button(key="remove_a00002").click().run()
    assert not at.exception
    assert [i["uid"] for i in db.items(list_id)] == ["a00007", "disparu"]
    assert len(map_rows(at)) == 1  # the one supplier still in the data, on the map


def test_rename_and_delete(db):
    list_id = db.create("Ancien nom")
    at = run(SHORTLISTS)
    at.text_input(key=f"renommer_{list_id}").input("Nouveau nom")
    at.button(key="renommer").click().run()
    assert db.get(list_id)["name"] == "Nouveau nom"
    assert at.button(key="supprimer").disabled
    at.checkbox(key=f"confirmer_{list_id}").check().run()
    at.button(key="supprimer").click().run()
    assert not at.exception and db.lists() == []


def test_meeting_page_offers_the_pack_the_table_the_invitations_and_mailto(db):
    list_id = db.create("Rencontre de mars", owner="Camille Martin")
    for uid in ("a00001", "a00002", "a00003"):
        db.add(list_id, uid)
    db.add(list_id, "disparu", snapshot={"name": "Ancienne recyclerie"})
    at = run(MEETING)
    assert at.title[0].value == texts.MEETING_PAGE_TITLE
    assert at.selectbox(key="rencontre_selection").value == list_id
    assert any("4 fournisseurs dont 3 avec une adresse électronique" in m.value for m in at.markdown)
    assert any("1 fournisseur n'est plus dans les données : il figure" in w.value for w in at.warning)
    labels = [e.proto.label for e in at.get("download_button")]
    assert labels == [texts.DOWNLOAD_PDF, texts.DOWNLOAD_XLSX, texts.DOWNLOAD_CSV]
    (link,) = at.get("link_button")
    assert link.proto.url.startswith("mailto:?bcc=contact1@exemple.fr,contact2@exemple.fr,contact3@exemple.fr")


def test_meeting_page_opens_on_the_list_chosen_in_selections(db):
    first = db.create("Première")
    second = db.create("Seconde")
    at = run(SHORTLISTS)
    at.selectbox(key="selection").select(first).run()
    at.switch_page(MEETING).run()
    assert not at.exception
    assert at.selectbox(key="rencontre_selection").value == first != second


def test_meeting_page_without_lists(db):
    at = run(MEETING)
    assert any(texts.NO_LISTS in i.value for i in at.info)


def _card_script() -> None:
    """What the supplier card will do: « Ajouter à une sélection » for one actor."""
    from mapping import store as built
    from pages import _shortlist_widgets as widgets

    widgets.add_to_shortlist(built.read_suppliers(built.build_path()), "a00004", key="fiche")


def test_card_component_adds_the_actor_with_a_snapshot(db):
    list_id = db.create("Depuis la fiche")
    at = AppTest.from_function(_card_script, default_timeout=60).run()
    assert not at.exception
    at.text_area(key="fiche_note").input("Rencontré à Tours")
    at.button(key="fiche_ajouter").click().run()
    assert not at.exception
    assert any("Ajouté à « Depuis la fiche »" in s.value for s in at.success)
    (item,) = db.items(list_id)
    assert item["uid"] == "a00004" and item["note"] == "Rencontré à Tours"
    assert item["snapshot"]["name"] == "Acteur 4 Chartres" and item["snapshot"]["city"] == "Chartres"
    at.button(key="fiche_ajouter").click().run()
    assert any("Déjà dans « Depuis la fiche »" in s.value for s in at.success)
