"""« Accueil » (``/``) through AppTest and the pure overview behind it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import store
from mapping.screens import home, home_texts

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
def actors(actors_factory, tmp_path, monkeypatch):
    gdf = actors_factory(40)
    gdf.loc[0, "departement"] = "75"  # one actor outside the région
    path = store.write_suppliers(gdf, tmp_path / "suppliers.parquet")
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(path))
    monkeypatch.setattr(store, "data_status", lambda: DEMO_STATUS)
    return gdf


def test_overview_counts_by_departement_kind_and_source(actors):
    summary = home.overview(actors)
    assert summary.total == 40
    deps = dict(
        zip(summary.by_departement[home_texts.DEPARTEMENT_COLUMN], summary.by_departement["Acteurs"], strict=True)
    )
    assert deps[home_texts.OUTSIDE_REGION] == 1
    assert sum(deps.values()) == 40
    loiret = int((actors["departement"] == "45").sum())
    assert deps.get("Loiret (45)", 0) == loiret == summary.departement_counts["45"]
    kinds = dict(zip(summary.by_kind["Type"], summary.by_kind["Acteurs"], strict=True))
    associations = sum("association" in list(k) for k in actors["actor_kinds"])
    assert kinds["Association"] == associations


def test_home_page_shows_doors_counts_map_notice_and_freshness(actors):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.subheader[0].value.startswith("40 acteurs")
    assert any("Données de démonstration" in w.value for w in at.warning)
    links = [p.proto.page for p in at.get("page_link")]
    assert {"acheteurs", "selections", "carte", "search"} <= set(links), links
    captions = " ".join(c.value for c in at.caption)
    assert "CartEco – ESS France, ADEME" in captions and "02/11/2026" in captions
    (folium,) = [
        e for e in at.main if getattr(getattr(e, "proto", None), "component_name", None) == "streamlit_folium.st_folium"
    ]
    args = json.loads(folium.proto.json_args)
    assert "Loiret (45) : " in args["script"]
    assert "cdn" not in args["script"]
