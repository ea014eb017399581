"""« Couverture du territoire » under AppTest: counts equal coverage_matrix, bad URL parameters ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import coverage, store
from mapping.screens import coverage as screen
from mapping.screens import coverage_texts

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/couverture.py"

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture
def built(actors_factory, tmp_path, monkeypatch):
    actors = actors_factory(40)
    path = store.write_suppliers(actors, tmp_path / "suppliers.parquet")
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(path))
    return store.read_suppliers(path)


def run(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()  # a first run registers the pages' url_path (AppTest.switch_page's documented requirement)
    at.query_params.clear()
    at.query_params.update(query or {})
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def leading(text: str) -> int:
    return int(text.split(" ", 1)[0].replace("\u202f", ""))


def test_count_shown_equals_the_matrix(built):
    at = run({"code": "espaces_verts", "par": "epci", "types": "aci"})
    assert at.title[0].value == coverage_texts.PAGE_TITLE
    matrix = coverage.coverage_matrix(built, dimension="purchase_families", by="departement", kinds=["aci"])
    assert leading(at.subheader[0].value) == matrix.loc["espaces_verts"].sum() > 0
    epci = coverage.coverage_matrix(built, by="epci", kinds=["aci"])
    shown = at.dataframe[1].value  # potential, matrix, indicators
    assert shown.drop(columns=[coverage_texts.LABEL_COLUMN]).to_numpy().tolist() == epci.to_numpy().tolist()
    at.selectbox(key="couv_code").set_value("nettoyage").run()
    assert leading(at.subheader[0].value) == matrix.loc["nettoyage"].sum()
    assert not at.warning


def test_bad_url_parameters_are_ignored_with_a_message(built):
    at = run({"dimension": "couleurs", "code": "<b>x</b>", "par": "canton", "types": "licorne", "zoom": "3"})
    messages = " ".join(w.value for w in at.warning)
    for name in ("dimension", "code", "par", "types", "zoom"):
        assert f"« {name} »" in messages
    matrix = coverage.coverage_matrix(built)
    first = screen.code_options("purchase_families")
    code = next(iter(first))
    assert leading(at.subheader[0].value) == matrix.loc[code].sum()
    assert any("Aucun fournisseur" in m.value or "Couverture faible" in m.value for m in at.markdown)
