"""The source records written beside the built table, and their loader indexed by uid."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import connectors
from mapping import store
from mapping.build import records as source_records
from mapping.build.pipeline import build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "suppliers.parquet"
    build(output=out)
    return out, store.read_suppliers(out), source_records.read_source_records(source_records.records_path(out))


def test_build_writes_the_records_beside_the_table(built):
    out, _, records = built
    assert source_records.records_path(out) == out.with_name("records.parquet")
    assert source_records.records_path(out).exists()
    assert records.available
    names = pq.read_schema(source_records.records_path(out)).names
    assert tuple(names) == source_records.RECORD_TABLE_COLUMNS


def test_companion_name_for_other_tables():
    assert source_records.records_path(Path("/x/bench.parquet")) == Path("/x/bench.records.parquet")


def test_every_source_key_of_every_actor_has_its_record(built):
    _, actors, records = built
    assert len(records) == actors["source_keys"].map(len).sum()
    for _, actor in actors.sample(200, random_state=1).iterrows():
        found = records.for_uid(actor["uid"])
        assert sorted(r.key for r in found) == sorted(actor["source_keys"])
        assert {r.source for r in found} == set(actor["sources"])


def test_records_of_a_multi_source_actor(built):
    _, actors, records = built
    multi = actors[actors["sources"].map(len) >= 2].iloc[0]
    found = records.for_uid(multi["uid"])
    assert len(found) >= 2
    for r in found:
        assert r.title == connectors.REGISTRY[r.source].TITLE
        assert r.name
        assert r.full_address
    assert any(r.updated_at is not None for r in found)


def test_links_exist_only_where_the_source_has_a_page(built):
    _, _, records = built
    seen = {}
    for uid in records._uids[::7]:
        for r in records.for_uid(uid):
            seen.setdefault(r.source, r)
    re_ = seen["recherche_entreprises"]
    assert re_.url == f"https://annuaire-entreprises.data.gouv.fr/etablissement/{re_.source_id}"
    assert seen["carteco"].url.startswith("https://carteco-ess.org/annuaire#/fiche/")
    assert seen["georisques"].url.startswith("https://www.georisques.gouv.fr/risques/installations/donnees/details/")
    assert seen["ademe_lvao"].url.startswith("https://quefairedemesdechets.ademe.fr/adresse_details/")
    for name in ("sinoe", "cress", "urscop", "france_active", "cducentre", "agire"):
        if name in seen:
            assert seen[name].url is None


def test_record_url_rules():
    assert source_records.record_url("recherche_entreprises", "123") is None  # not a SIRET
    assert source_records.record_url("sinoe", "42") is None
    assert source_records.record_url("carteco", "") is None
    assert source_records.record_url("carteco", None) is None
    hostile = source_records.record_url("georisques", 'x"/><script>')
    assert "<" not in hostile and '"' not in hostile


def test_unknown_uid_and_missing_file(tmp_path):
    missing = source_records.read_source_records(tmp_path / "records.parquet")
    assert not missing.available
    assert missing.for_uid("a123") == []
    assert source_records.SourceRecords().for_uid(None) == []


def test_records_table_keeps_the_merged_records_once(tmp_path):
    records = pd.DataFrame(
        {
            "source": ["carteco", "carteco", "cress", "sinoe"],
            "source_id": ["1", "1", "C9", "out"],
            "name": ["Recyclerie ${(window.parent.__pwned=1)}", "doublon", None, "hors région"],
            "siret": [None, None, "12345678901234", None],
            "address": ["1 rue X", None, None, None],
            "postcode": ["45000", None, None, None],
            "city": ["Orléans", None, None, None],
            "updated_at": [pd.Timestamp("2026-11-02", tz="UTC"), None, None, None],
        }
    )
    actors = pd.DataFrame({"uid": ["a1"], "source_keys": [["carteco:1", "cress:C9"]]})
    table = source_records.records_table(records, actors)
    assert table["source_key"].tolist() == ["carteco:1", "cress:C9"]
    path = source_records.write_source_records(table, tmp_path / "records.parquet")
    loaded = source_records.read_source_records(path).for_uid("a1")
    assert [r.name for r in loaded] == ["Recyclerie ${(window.parent.__pwned=1)}", None]
    assert loaded[0].updated_at.year == 2026 and loaded[1].updated_at is None
    assert loaded[0].full_address == "1 rue X, 45000 Orléans"
    assert loaded[1].full_address is None


def test_stale_records_are_not_shown(tmp_path, monkeypatch):
    import os

    table = tmp_path / "suppliers.parquet"
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(table))
    records = source_records.write_source_records(
        source_records.records_table(
            pd.DataFrame({"source": ["carteco"], "source_id": ["1"], "name": ["X"]}),
            pd.DataFrame({"uid": ["a1"], "source_keys": [["carteco:1"]]}),
        ),
        source_records.records_path(),
    )
    table.write_bytes(b"")
    assert source_records.read_source_records().available  # written together
    os.utime(records, (1_000_000, 1_000_000))  # the table is newer than its records
    assert not source_records.read_source_records().available
