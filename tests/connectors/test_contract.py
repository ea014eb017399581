"""Contract every registered connector must honour (docs/ARCHITECTURE.md, section Connectors).

Checked against the hand-written fixtures (``tests/fixtures/snapshots/<name>/``) and, when it
exists, the committed demo snapshot (``data/snapshots/<name>/``): a fetch replayed from a
snapshot reproduces it byte for byte, and parse + normalize give valid records.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import responses

import connectors
from connectors.base import read_snapshot
from mapping import settings
from mapping.reference import geography, taxonomy
from mapping.reference.schema import CODE_LIST_COLUMNS, GEO_PRECISIONS, LIST_COLUMNS, RECORD_COLUMNS, is_valid_siret
from tests.connectors.conftest import FIXTURES
from tests.connectors.fakehttp import make_client, serve_snapshot

NAMES = sorted(connectors.REGISTRY)
ROOTS = {"fixtures": FIXTURES, "committed": settings.get().snapshots_dir}
CASES = [pytest.param(name, kind, id=f"{name}-{kind}") for name in NAMES for kind in ROOTS]


def snapshot_root(name: str, kind: str) -> Path:
    root = ROOTS[kind]
    if not (root / name).is_dir():
        if kind == "fixtures":
            pytest.fail(f"pas de fixture pour {name} dans {root}")
        pytest.skip(f"pas d'instantané committé pour {name}")
    return root


@pytest.mark.parametrize("name", NAMES)
def test_attributes(name: str) -> None:
    connector = connectors.get(name)
    assert isinstance(connector, connectors.Connector)
    assert name == connector.NAME
    for attr in ("TITLE", "LICENCE", "ATTRIBUTION", "DEFAULT_BASE_URL", "HOMEPAGE"):
        value = getattr(connector, attr)
        assert isinstance(value, str) and value.strip(), attr
    assert connector.DEFAULT_BASE_URL.startswith("https://")
    assert connector.DEFAULT_BASE_URL.count("/") == 2  # scheme + host only
    for method in ("fetch", "parse", "normalize", "snapshot_path", "base_url"):
        assert callable(getattr(connector, method)), method


def test_get_unknown_source() -> None:
    with pytest.raises(KeyError, match="source inconnue"):
        connectors.get("nope")


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_fetch_replays_snapshot_byte_for_byte(name: str, kind: str, rsps: responses.RequestsMock) -> None:
    root = snapshot_root(name, kind)
    connector = connectors.get(name)
    if getattr(connector, "MANUAL_IMPORT", False):  # partner files: no live API, fetch tells how to import
        http, _ = make_client()
        with pytest.raises(connectors.SourceError, match="importez un fichier"):
            list(connector.fetch(http, region=geography.region_code()))
        assert not rsps.calls
        return
    server = serve_snapshot(rsps, connector, root / name)
    http, _ = make_client()
    fetched = {f.path: f.content for f in connector.fetch(http, region=geography.region_code())}
    expected = {f.path: f.content for f in read_snapshot(name, root=root)}
    assert not server.missing, f"fichiers demandés absents de l'instantané : {server.missing[:5]}"
    assert sorted(fetched) == sorted(expected)
    assert fetched == expected
    assert len(server.requests) == len(fetched)  # one request per file


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_records_follow_the_schema(name: str, kind: str) -> None:
    root = snapshot_root(name, kind)
    connector = connectors.get(name)
    records = connector.normalize(connector.parse(read_snapshot(name, root=root)))
    assert list(records.columns) == list(RECORD_COLUMNS)
    assert records.crs is not None and records.crs.to_epsg() == 4326
    assert len(records) > 0
    assert (records["source"] == name).all()
    assert records["source_id"].notna().all() and records["source_id"].is_unique
    assert records["name"].notna().all()
    sirets = records["siret"].dropna()
    assert sirets.map(is_valid_siret).all()
    assert (records.loc[sirets.index, "siren"] == sirets.str[:9]).all()
    for column in LIST_COLUMNS:
        if column in records:
            assert records[column].map(lambda v: isinstance(v, list)).all(), column
    for column in CODE_LIST_COLUMNS:
        known = set(taxonomy.codes(column))
        unknown = {c for codes in records[column] for c in codes} - known
        assert not unknown, f"{column}: {sorted(unknown)}"
    located = records.geometry.notna()
    assert (records.loc[located, "geo_precision"].isin(GEO_PRECISIONS)).all()
    assert records.loc[~located, "geo_precision"].isna().all()
    assert (records.loc[located].geometry.geom_type == "Point").all()
    assert str(records["updated_at"].dtype) == "datetime64[ns, UTC]"


def test_record_constructor_fills_defaults_and_refuses_typos():
    from shapely.geometry import Point

    from connectors.base import record
    from mapping.reference.schema import LIST_COLUMNS, RECORD_COLUMNS

    row = record("carteco", "42", name="Recyclerie", siret="12345678900011", geometry=Point(1.9, 47.9))
    assert list(row) == list(RECORD_COLUMNS) or set(row) == set(RECORD_COLUMNS)
    assert row["source"] == "carteco" and row["source_id"] == "42"
    assert row["siren"] == "123456789" and row["geo_precision"] == "source"
    assert all(row[c] == [] for c in LIST_COLUMNS if c in RECORD_COLUMNS)
    assert row["email"] is None
    bare = record("sinoe", "7", siren=None, geo_precision=None)
    assert bare["siren"] is None and bare["geo_precision"] is None
    with pytest.raises(TypeError, match="nmae"):
        record("sinoe", "7", nmae="typo")
