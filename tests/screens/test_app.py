"""The Streamlit app through ``streamlit.testing.v1.AppTest`` (no browser).

Most tests run the page on a small actor table written to a temporary GeoParquet file
(``SOURCIER_BUILD_PATH``) with a demo ``data_status``; one runs it on the embedded data, as
``make run`` does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import store
from mapping.screens import texts

ROOT = Path(__file__).resolve().parents[2]
DEMO_STATUS = {
    "demo": True,
    "sources": {
        "carteco": {
            "title": "CartEco",
            "records": 20,
            "fetched_at": "2026-11-02T10:00:00+00:00",
            "licence": "ODbL 1.0",
            "attribution": "CartEco – ESS France, ADEME",
            "demo": True,
        }
    },
    "built_at": "2026-11-29T18:00:00+00:00",
}


pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture
def app(actors_factory, tmp_path, monkeypatch) -> AppTest:
    """The app on 40 test actors, data flagged as demo."""
    path = store.write_suppliers(actors_factory(40), tmp_path / "suppliers.parquet")
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(path))
    monkeypatch.setattr(store, "data_status", lambda: DEMO_STATUS)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def run_map(at: AppTest) -> AppTest:
    """The map page (``/carte``): a first run registers the pages' url_path, then the switch."""
    at.run()
    return at.switch_page("pages/carte.py").run()


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def map_component(at: AppTest):
    found = [
        e for e in at.main if getattr(getattr(e, "proto", None), "component_name", None) == "streamlit_folium.st_folium"
    ]
    assert len(found) == 1, "expected one st_folium component"
    return found[0]


def test_page_renders_count_notice_map_and_table(app):
    at = run_map(app)
    assert not at.exception
    assert at.title[0].value == texts.MAP_PAGE_TITLE
    assert "40 acteurs" in subheaders(at)
    assert any("Données de démonstration" in w.value for w in at.warning)
    args = json.loads(map_component(at).proto.json_args)
    assert "/app/static/vendor/leaflet/leaflet.js" in args["js_links"]
    assert "/app/static/vendor/markercluster/leaflet.markercluster.js" in args["js_links"]
    assert "/app/static/vendor/leaflet/leaflet.css" in args["css_links"]
    raw = map_component(at).proto.json_args
    for marker in ("cdn.", "jsdelivr", "code.jquery", "cdnjs", "unpkg"):
        assert marker not in raw, marker
    assert args["returned_objects"] == []
    points = json.loads(re.search(r"var data = (\[.*?\]);\n", args["script"], re.DOTALL).group(1))
    assert len(points) == 40
    table = at.dataframe[0].value
    assert list(table.columns)[:5] == ["Nom", "SIRET", "Types", "Commune", "Département"] and len(table) == 40
    captions = [c.value for c in at.caption]
    assert any("CartEco – ESS France, ADEME" in c and "ODbL 1.0" in c for c in captions)


def test_sidebar_options_are_french_with_counts(app):
    at = run_map(app)
    kinds = at.sidebar.multiselect(key="kinds")
    assert kinds.label == "Types d'acteurs"
    assert "Atelier et chantier d'insertion (ACI) (5)" in kinds.options
    sources = at.sidebar.multiselect(key="sources")
    assert sources.label == "Sources"
    assert any(o.startswith("Annuaire des Entreprises") and o.endswith("(20)") for o in sources.options)


def test_filter_by_kind_reduces_the_count(app):
    at = run_map(app)
    at.sidebar.multiselect(key="kinds").select("aci").run()
    assert not at.exception
    assert "5 acteurs" in subheaders(at)
    args = json.loads(map_component(at).proto.json_args)
    assert len(json.loads(re.search(r"var data = (\[.*?\]);\n", args["script"]).group(1))) == 5
    at.sidebar.multiselect(key="kinds").select("esat").run()
    assert "10 acteurs" in subheaders(at)


def test_no_match_shows_a_message_and_no_map(app):
    at = run_map(app)
    at.sidebar.multiselect(key="kinds").select("aci").run()  # aci actors all come from recherche_entreprises
    at.sidebar.multiselect(key="sources").select("carteco").run()
    assert not at.exception
    assert "0 acteur" in subheaders(at)
    assert [i.value for i in at.info] == [texts.NO_RESULT]
    assert not [e for e in at.main if getattr(getattr(e, "proto", None), "component_name", None)]


def test_no_demo_notice_on_real_data(app, monkeypatch):
    monkeypatch.setattr(store, "data_status", lambda: {**DEMO_STATUS, "demo": False})
    at = run_map(app)
    assert not at.exception
    assert not at.warning


def test_load_error_is_shown_in_french(app, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("fichier illisible")

    monkeypatch.setattr(store, "load_suppliers", broken)
    at = run_map(app)
    assert not at.exception
    assert at.error[0].value.startswith("Les données n'ont pas pu être chargées")


def test_app_on_embedded_data(monkeypatch):
    """What ``make run`` shows first (the home page): the committed (demo) snapshots, built on first use."""
    monkeypatch.delenv("SOURCIER_BUILD_PATH", raising=False)
    store.load_suppliers()  # build outside AppTest's timeout when data/build/ is empty
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    count = next(s for s in subheaders(at) if " acteurs dans " in s)
    assert int(count.split(" acteur")[0].replace("\u202f", "")) == len(store.load_suppliers()) > 100
    assert store.data_status()["demo"], "the committed data are demo data"
    assert any("Données de démonstration" in w.value for w in at.warning)
    map_component(at)


def test_every_page_file_is_named_after_its_url_path():
    """A bookmarked ``/acheteurs`` on a server no session has visited yet is served by Streamlit's pages-folder
    mode, which finds pages by file name: each ``st.Page`` file must be named after its ``url_path``."""
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\("pages/(\w+)\.py"[^)]*?(?:url_path="([^"]*)")?[^)]*\)', source)
    assert len(pages) >= 9
    for stem, url_path in pages:
        if url_path:
            assert stem == url_path, (stem, url_path)
        assert (ROOT / "pages" / f"{stem}.py").exists()
