"""Card, exports and shareable links on the search and map pages (issue « From a list to action»), AppTest.

Downloads are read back from AppTest's in-memory media storage (captured by a fixture), then parsed as a
buyer's tools would: pandas for the French CSV, openpyxl for the XLSX, geopandas for the GeoJSON.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from mapping import store
from mapping.screens import texts

ROOT = Path(__file__).resolve().parents[2]
DEMO_STATUS = {"demo": True, "sources": {}, "built_at": None}
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://x","y")',
    "Recyclerie ${(window.parent.__pwned=1)}",
]

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture
def media(monkeypatch) -> list[MemoryMediaFileStorage]:
    """Every media storage AppTest creates (one per run), to read downloads back."""
    made: list[MemoryMediaFileStorage] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    return made


@pytest.fixture
def table(actors_factory, tmp_path, monkeypatch) -> gpd.GeoDataFrame:
    """40 test actors, the first three with hostile names, written where the app reads its table."""
    gdf = actors_factory(40)
    gdf.loc[:2, "name"] = HOSTILE
    path = store.write_suppliers(gdf, tmp_path / "suppliers.parquet")
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(path))
    monkeypatch.setattr(store, "data_status", lambda: DEMO_STATUS)
    return gdf


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()  # a first run registers the pages' url_path (AppTest.switch_page's documented requirement)
    at.query_params.clear()
    at.query_params.update(params or {})
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def download(at: AppTest, media: list[MemoryMediaFileStorage], ext: str) -> bytes:
    (button,) = [b for b in at.get("download_button") if b.proto.url.endswith(f".{ext}")]
    file_id = button.proto.url.rsplit("/", 1)[1].split(".")[0]
    for storage in reversed(media):
        try:
            return storage.get_file(file_id).content
        except Exception:
            continue
    raise AssertionError(f"no media file {file_id}")


def prepare_exports(at: AppTest) -> AppTest:
    (button,) = [b for b in at.button if b.label.startswith("Préparer")]
    button.click().run()
    assert not at.exception
    return at


@pytest.mark.parametrize(("page", "params"), [("pages/search.py", {"familles": "dechets"}), ("pages/carte.py", {})])
def test_exports_give_the_whole_result_in_three_parseable_files(table, media, page, params):
    at = prepare_exports(open_page(page, params))
    total = int(re.match(r"(\d+)", at.subheader[0].value.replace("\u202f", "")).group(1))
    expected = table if not params else table[[("dechets" in list(f)) for f in table["purchase_families"]]]
    assert total == len(expected) > 0

    csv = pd.read_csv(io.BytesIO(download(at, media, "csv")), sep=";", encoding="utf-8-sig", dtype=str)
    assert len(csv) == total and set(csv["Nom"]) == {n if n[0] not in "=+-@" else f"'{n}" for n in expected["name"]}
    assert "Lien vers la fiche" in csv.columns and "SIRET" in csv.columns

    book = openpyxl.load_workbook(io.BytesIO(download(at, media, "xlsx")))
    sheet = book.active
    assert sheet.max_row == total + 1 and sheet.freeze_panes == "A2"
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    geo = gpd.read_file(io.BytesIO(download(at, media, "geojson")))
    assert len(geo) == total and geo.crs.to_epsg() == 4326
    assert set(geo["Nom"]) == set(expected["name"])  # GeoJSON keeps text as it is


def test_hostile_names_are_text_in_table_card_popup_and_exports(table, media):
    uid = table["uid"].iloc[1]  # the =HYPERLINK one
    at = open_page("pages/search.py", {"texte": "", "fournisseur": uid})
    card_text = " ".join(m.value for m in at.markdown)
    assert "=HYPERLINK" in card_text and "<img" not in card_text.replace("\\<img", "")
    shown = at.dataframe[0].value
    assert set(HOSTILE) <= set(shown["Nom"])  # st.dataframe shows text, never HTML
    (folium,) = [
        e for e in at.main if getattr(getattr(e, "proto", None), "component_name", "") == "streamlit_folium.st_folium"
    ][-1:]
    script = json.loads(folium.proto.json_args)["script"]
    assert "<img src=x" not in script and "${(window" not in script and "&lt;img src=x" in script
    at = prepare_exports(at)
    csv_text = download(at, media, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text


def test_url_parameters_reproduce_the_search(table):
    at = open_page("pages/search.py", {"lieu": "Orléans", "rayon": "30", "familles": "dechets", "texte": ""})
    assert at.text_input(key="lieu").value == "Orléans" and at.slider(key="rayon").value == 30
    assert at.sidebar.multiselect(key="critere_purchase_families").value == ["dechets"]
    headline = at.subheader[0].value
    assert re.match(r"^\d+ fournisseurs? à moins de 30 km d'Orléans", headline)
    again = open_page("pages/search.py", dict(at.query_params))
    assert again.subheader[0].value == headline


def test_changing_a_widget_changes_the_url(table):
    at = open_page("pages/search.py")
    at.text_input(key="lieu").input("Tours").run()
    assert at.query_params.get("lieu") in ("Tours", ["Tours"])


def test_bad_parameters_give_french_messages_and_no_exception(table):
    at = open_page("pages/search.py", {"rayon": "beaucoup", "familles": "inconnue", "pirate": "1"})
    warnings = " ".join(w.value for w in at.warning)
    assert "beaucoup" in warnings and "inconnue" in warnings and "pirate" in warnings
    assert at.subheader[0].value.startswith("40 fournisseurs")


def test_unknown_supplier_in_url_says_so(table):
    at = open_page("pages/search.py", {"fournisseur": "a0000000000000000"})
    assert any("n'est pas dans les données" in w.value for w in at.warning)


def test_map_page_reads_its_parameters_and_opens_a_card(table):
    uid = table["uid"].iloc[5]
    at = open_page("pages/carte.py", {"types": "esat", "fournisseur": uid})
    assert at.sidebar.multiselect(key="kinds").value == ["esat"]
    assert at.subheader[0].value == texts.actors_count(5)
    assert any(table["name"].iloc[5] in m.value for m in at.markdown)


def test_card_on_embedded_data_lists_its_sources(monkeypatch):
    monkeypatch.delenv("SOURCIER_BUILD_PATH", raising=False)
    actors = store.load_suppliers()
    multi = actors[actors["sources"].map(len) >= 2].iloc[0]
    at = open_page("pages/search.py", {"fournisseur": multi["uid"]})
    text = " ".join(m.value for m in at.markdown)
    assert "Sources" in text and "Pourquoi ces enregistrements ont été réunis" in text
    (popover,) = at.get("popover")
    assert popover.proto.popover.label == "Ajouter à une sélection"  # the shortlists' component
