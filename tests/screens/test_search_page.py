"""« Rechercher des fournisseurs » through ``streamlit.testing.v1.AppTest`` (no browser).

The page runs on 40 test actors (``tests/conftest.py``: ten communes, eight profiles cycled) written to
a temporary GeoParquet file, with a demo ``data_status``; one test runs it on the embedded data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import store
from mapping.screens import query, texts
from tests.maps.test_maps import map_points

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/search.py"
DEMO_STATUS = {"demo": True, "sources": {}, "built_at": None}


pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture
def page(actors_factory, tmp_path, monkeypatch) -> AppTest:
    """The search page on 40 test actors, data flagged as demo (first run done)."""
    path = store.write_suppliers(actors_factory(40), tmp_path / "suppliers.parquet")
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(path))
    monkeypatch.setattr(store, "data_status", lambda: DEMO_STATUS)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def headline(at: AppTest) -> str:
    (value,) = [s.value for s in at.subheader]
    return value


def map_args(at: AppTest) -> dict:
    found = [
        e for e in at.main if getattr(getattr(e, "proto", None), "component_name", None) == "streamlit_folium.st_folium"
    ]
    assert len(found) == 1, "expected one st_folium component"
    return json.loads(found[0].proto.json_args)


def map_rows(args: dict) -> list[list]:
    return json.loads(re.search(r"var data = (\[.*?\]);\n", args["script"], re.DOTALL).group(1))


def choose(at: AppTest, name: str, *codes: str) -> AppTest:
    widget = at.sidebar.multiselect(key=f"critere_{name}")
    for code in codes:
        widget.select(code)
    return widget.run()


def test_page_renders_whole_region_without_place(page):
    assert page.title[0].value == texts.SEARCH_PAGE_TITLE
    assert headline(page) == "40 fournisseurs dans la région"
    assert any("Données de démonstration" in w.value for w in page.warning)
    assert page.slider(key="rayon").value == 20 and page.slider(key="rayon").disabled
    labels = [m.label for m in page.sidebar.multiselect]
    assert labels == [
        "Familles d'achat",
        "Natures de déchets",
        "Produits alimentaires",
        "Types d'acteurs",
        "Labels",
        "Marchés réservés",
        "Sources",
    ]
    assert "Espaces verts et paysage (5)" in page.sidebar.multiselect(key="critere_purchase_families").options
    args = map_args(page)
    assert args["returned_objects"] == []
    assert "L.circle(" not in args["script"]
    assert len(map_rows(args)) == 40
    table = page.dataframe[0].value
    assert list(table.columns)[:7] == [
        "Nom",
        "SIRET",
        "Types",
        "Familles / Déchets",
        "Produits / Labels",
        "Commune",
        "Contact",
    ]


def test_place_and_family_give_count_circle_and_sorted_table(page):
    page.text_input(key="lieu").input("Orléans").run()
    at = choose(page, "purchase_families", "espaces_verts")
    assert not at.exception
    assert any("Lieu retenu : **Orléans (45)**" in c.value for c in at.caption)
    assert not at.slider(key="rayon").disabled
    count = headline(at)
    assert re.fullmatch(r"\d+ fournisseurs? à moins de 20 km d'Orléans \(45\)", count), count
    n = int(count.split()[0])
    assert n >= 1
    args = map_args(at)
    assert "L.circle(" in args["script"] and '"radius": 20000' in args["script"]
    points = map_points(args["script"])
    assert len(points) == n and all(p["distance_km"] is not None and p["distance_km"] <= 20 for p in points)
    table = at.dataframe[0].value
    assert list(table.columns)[:4] == ["Nom", "Distance (km)", "SIRET", "Types"]
    assert table["Distance (km)"].is_monotonic_increasing and len(table) == n
    assert all("Espaces verts" in offer for offer in table["Familles / Déchets"])
    at.slider(key="rayon").set_value(100).run()
    assert headline(at).startswith("5 fournisseurs à moins de 100 km")  # every espaces_verts actor


def test_unknown_place_shows_the_french_error(page):
    at = page.text_input(key="lieu").input("Zzyzxville").run()
    assert not at.exception
    assert at.error[0].value.startswith("Lieu introuvable : « Zzyzxville »")
    assert not at.subheader and not at.dataframe


def test_ambiguous_place_offers_candidates(page):
    at = page.text_input(key="lieu").input("Saint-Martin").run()
    assert not at.exception
    assert "désigne plusieurs communes" in at.info[0].value
    choice = at.selectbox(key="lieu_choix")
    assert choice.label == "Précisez le lieu"
    assert "Saint-Martin-le-Beau (37)" in choice.options
    assert not at.subheader  # nothing searched until a place is chosen
    at = choice.select("Saint-Martin-le-Beau (37)").run()
    assert not at.exception
    assert headline(at).endswith("à moins de 20 km de Saint-Martin-le-Beau (37)")


def test_no_match_says_so_and_suggests_widening(page):
    page.text_input(key="lieu").input("Bourges").run()
    page.slider(key="rayon").set_value(1).run()
    at = choose(page, "purchase_families", "traiteur")
    assert not at.exception
    assert headline(at) == "0 fournisseur à moins de 1 km de Bourges (18)"
    (message,) = [i.value for i in at.info]
    assert message.startswith("Aucun fournisseur ne correspond à ces critères à moins de 1 km de Bourges (18).")
    assert "Élargissez le rayon" in message
    assert not at.dataframe


def test_reserved_contract_filter(page):
    at = choose(page, "reserved_contracts", "L2113-12")
    assert not at.exception
    options = at.sidebar.multiselect(key="critere_reserved_contracts").options
    assert "Marchés réservés aux ESAT et EA (art. L2113-12 CCP) (10)" in options
    assert headline(at) == "10 fournisseurs dans la région"
    types = at.dataframe[0].value["Types"]
    assert all("ESAT" in t or "Entreprise adaptée" in t for t in types), list(types)
    at = choose(at, "reserved_contracts", "L2113-13")
    assert headline(at) == "15 fournisseurs dans la région"


@pytest.fixture
def labelled_page(actors_factory, tmp_path, monkeypatch) -> AppTest:
    """The search page on 40 test actors: 4 hold « C du Centre » and « AB », 6 only AB, 3 only C du Centre."""
    labels = [[] for _ in range(40)]
    for i in range(4):
        labels[i] = ["c_du_centre", "ab"]
    for i in range(4, 10):
        labels[i] = ["ab"]
    for i in range(10, 13):
        labels[i] = ["c_du_centre", "hve"]
    path = store.write_suppliers(actors_factory(40, labels=labels), tmp_path / "suppliers.parquet")
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(path))
    monkeypatch.setattr(store, "data_status", lambda: DEMO_STATUS)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def test_all_chosen_labels_checkbox(labelled_page):
    box = labelled_page.sidebar.checkbox(key="labels_tous")
    assert box.label == "Tous les labels choisis" and not box.value
    at = choose(labelled_page, "labels", "c_du_centre", "ab")
    assert not at.exception
    assert headline(at) == "13 fournisseurs dans la région"  # C du Centre or AB
    at = at.sidebar.checkbox(key="labels_tous").check().run()
    assert not at.exception
    assert headline(at) == "4 fournisseurs dans la région"  # C du Centre and AB
    assert all(
        "C du Centre" in food and "Agriculture biologique" in food
        for food in at.dataframe[0].value["Produits / Labels"]
    ), list(at.dataframe[0].value["Produits / Labels"])
    assert len(map_rows(map_args(at))) == 4


def test_run_search_labels_all(actors_factory):
    from mapping.search.index import SupplierIndex

    gdf = actors_factory(12, labels=[["ab", "c_du_centre"], ["ab"], ["c_du_centre"], *[[]] * 9])
    index = SupplierIndex(gdf)
    choices = {"labels": ["ab", "c_du_centre"]}
    assert query.run_search(index, place=None, choices=choices).total == 3
    both = query.run_search(index, place=None, choices=choices, labels_all=True)
    assert both.total == 1 and both.criteria["labels_all"] is True
    one = query.run_search(index, place=None, choices={"labels": ["ab"]}, labels_all=True)
    assert one.total == 2 and "labels_all" not in one.criteria  # one label: nothing to combine


def test_area_place_filters_without_radius(page):
    at = page.text_input(key="lieu").input("Indre-et-Loire").run()
    assert not at.exception
    assert at.slider(key="rayon").disabled
    assert headline(at) == "8 fournisseurs en Indre-et-Loire (37)"  # Tours and Amboise, 4 actors each
    assert "L.circle(" not in map_args(at)["script"]
    assert "Distance (km)" not in at.dataframe[0].value.columns


def test_text_search_and_cap(page, monkeypatch):
    monkeypatch.setattr(query, "MAX_RESULTS", 5)
    at = page.text_input(key="texte").input("Acteur").run()
    assert not at.exception
    assert headline(at) == "40 fournisseurs dans la région"
    assert "La carte et le tableau montrent les 5 premiers fournisseurs sur 40." in [c.value for c in at.caption]
    assert len(map_rows(map_args(at))) == 5 and len(at.dataframe[0].value) == 5


def test_search_page_on_embedded_data(monkeypatch):
    """The first user story on the committed demo data: biodéchets within 20 km of lycée Pothier."""
    monkeypatch.delenv("SOURCIER_BUILD_PATH", raising=False)
    store.load_suppliers()  # build outside AppTest's timeout when data/build/ is empty
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(PAGE).run()
    at.text_input(key="lieu").input("lycée Pothier").run()
    at = choose(at, "waste_types", "biodechets")
    assert not at.exception
    assert re.fullmatch(r"\d+ fournisseurs? à moins de 20 km du lycée Pothier \(Orléans\)", headline(at))
    assert map_args(at)
