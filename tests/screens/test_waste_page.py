"""« Déchets et économie circulaire » (/dechets) through AppTest: the page's count is the core's search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import store
from mapping.places.resolve import resolve_place
from mapping.reference import geography
from mapping.screens import waste_texts
from mapping.search.index import SupplierIndex

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/dechets.py"
DEMO_STATUS = {"demo": True, "sources": {}, "built_at": None}
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture
def table(actors_factory, tmp_path, monkeypatch):
    gdf = actors_factory(80)
    path = store.write_suppliers(gdf, tmp_path / "suppliers.parquet")
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(path))
    monkeypatch.setattr(store, "data_status", lambda: DEMO_STATUS)
    return gdf


def open_page(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()  # the navigation first (its new page is then known to the test harness)
    at.query_params.clear()
    at.query_params.update(params)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def count(at: AppTest) -> int:
    (value,) = [s.value for s in at.subheader]
    return int(re.match(r"(\d[\d\u202f ]*)", value).group(1).replace("\u202f", "").replace(" ", ""))


def lycee_name() -> str:
    lycees = geography.lycees()
    return str(lycees[lycees["commune"].str.contains("Orléans", na=False)]["nom"].iloc[0])


@pytest.mark.parametrize(
    "params",
    [
        {"dechets": "deee", "actions": "reparation"},
        {"dechets": "deee,encombrants", "public": "particuliers"},
        {"actions": "collecte,tri", "lieu": "Orléans", "rayon": "100"},
        {"dechets": "biodechets,dechets_verts", "lieu": "LYCEE"},
    ],
)
def test_count_equals_the_core_search(table, params) -> None:
    params = {k: (lycee_name() if v == "LYCEE" else v) for k, v in params.items()}
    at = open_page(params)
    criteria = {
        "waste_types": [v for v in params.get("dechets", "").split(",") if v],
        "circular_actions": [v for v in params.get("actions", "").split(",") if v],
        "audiences": [v for v in params.get("public", "").split(",") if v],
    }
    if "lieu" in params:
        criteria.update(resolve_place(params["lieu"]).criteria(radius_km=float(params.get("rayon", 20))))
    expected = SupplierIndex(table).search(**criteria).attrs["total"]
    assert count(at) == expected


def test_bad_code_ignored_with_a_french_message(table) -> None:
    at = open_page({"dechets": "plutonium,deee", "actions": "broyer"})
    warnings = " ".join(w.value for w in at.warning)
    assert "plutonium" in warnings and "broyer" in warnings
    assert count(at) == SupplierIndex(table).search(waste_types="deee").attrs["total"]


def test_empty_result_says_what_to_widen(table) -> None:
    at = open_page({"dechets": "amiante", "actions": "location"})
    assert count(at) == 0
    assert any(waste_texts.EMPTY_HINT in i.value for i in at.info)


def test_table_says_non_precise_when_sources_are_silent(table) -> None:
    at = open_page({"dechets": "textiles"})
    frame = at.dataframe[0].value
    assert set(frame[waste_texts.TABLE_AUDIENCES]) == {waste_texts.NOT_SAID}
