"""The offline build on the committed snapshots, the store seam and the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mapping import store
from mapping.build.pipeline import build
from mapping.reference import geography, schema
from mapping.reference.grid import grid_order

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "suppliers.parquet"
    report = build(output=out)
    return report, store.read_suppliers(out)


def test_build_offline_meets_the_foundation_targets(built):
    report, actors = built
    assert len(actors) >= 3000
    assert len(report.records_per_source) >= 2
    assert actors["sources"].explode().nunique() >= 2
    assert actors["departement"].isin(geography.departements()).all()
    assert actors["siret"].dropna().map(schema.is_valid_siret).all()
    assert report.outside_region > 0  # the demo world puts some actors just outside the region
    assert report.multi_source_actors > 0  # and sources overlap
    schema.validate(actors)


def test_every_input_record_lands_in_exactly_one_actor(built):
    report, actors = built
    keys = actors["source_keys"].explode()
    assert keys.is_unique
    assert len(keys) == report.records - report.outside_region - report.unlocated


def test_merged_actors_explain_why(built):
    _, actors = built
    multi = actors[actors["source_keys"].map(len) > 1]
    assert len(multi) > 0
    assert multi["merge_explanation"].notna().all()
    assert multi["merge_explanation"].str.contains("SIRET|nom", regex=True).mean() > 0.9


def test_points_are_inside_the_region_polygons(built):
    _, actors = built
    found = geography.locate_points(actors.geometry.x.to_numpy(), actors.geometry.y.to_numpy())
    inside = found["code_insee"].notna().mean()
    assert inside > 0.99  # a few points jittered across the border of the region are tolerated


def test_built_table_is_stored_in_the_search_grid_order(built):
    _, actors = built
    assert (grid_order(actors) == np.arange(len(actors))).all()


def test_read_suppliers_shares_equal_code_lists_and_keeps_values(built, tmp_path):
    import pyarrow.parquet as pq

    _, actors = built
    kinds = actors["actor_kinds"]
    assert kinds.map(id).nunique() == kinds.map(tuple).nunique() < len(actors) / 10  # one object per value
    assert actors["source_keys"].map(id).nunique() == len(actors)  # unique per actor: not shared
    sample = actors.iloc[:50].copy()
    sample["labels"] = [[] if i % 3 else ["ab", ""] for i in range(50)]  # [] and [""] stay apart
    sample["waste_types"] = [[] for _ in range(50)]  # a column of empty lists only (stored as list<null>)
    path = store.write_suppliers(sample, tmp_path / "sample.parquet")
    back = store.read_suppliers(path)
    raw = pq.read_table(path)
    for column in schema.LIST_COLUMNS:
        assert back[column].tolist() == [list(v) for v in raw.column(column).to_pylist()], column
        assert back[column].map(lambda v: isinstance(v, list)).all()


def test_load_suppliers_builds_when_missing(tmp_path, monkeypatch):
    target = tmp_path / "sub" / "suppliers.parquet"
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(target))
    gdf = store.load_suppliers()
    assert target.exists()
    assert list(gdf.columns)[: len(schema.COLUMNS)] == list(schema.COLUMNS)
    assert set(gdf.columns) - set(schema.COLUMNS) <= set(schema.OPTIONAL_COLUMNS)
    assert isinstance(gdf.loc[0, "source_keys"], list)


def test_data_status_says_demo():
    status = store.data_status()
    assert status["demo"] is True
    assert {"recherche_entreprises", "carteco"} <= set(status["sources"])


def test_cli_build_prints_a_summary(tmp_path):
    out = tmp_path / "s.parquet"
    proc = subprocess.run(
        [sys.executable, "-m", "mapping", "build", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "acteurs après fusion" in proc.stdout
    assert out.exists()


def test_cli_refresh_rejects_unknown_source():
    proc = subprocess.run(
        [sys.executable, "-m", "mapping", "refresh", "--source", "inconnue"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Source inconnue" in proc.stderr
