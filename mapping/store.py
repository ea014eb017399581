"""Where the merged table lives: ``data/build/suppliers.parquet`` (GeoParquet, git-ignored).

Public seam: :func:`load_suppliers` returns the canonical GeoDataFrame, building it first from the
committed snapshots when it is missing.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mapping._arrow import single_chunks
from mapping.schema import COLUMNS, LIST_COLUMNS, OPTIONAL_COLUMNS

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
SNAPSHOTS_DIR = DATA_DIR / "snapshots"
BUILD_PATH = DATA_DIR / "build" / "suppliers.parquet"


def build_path() -> Path:
    """Path of the built table (env ``SOURCIER_BUILD_PATH`` overrides it, e.g. for benchmarks)."""
    return Path(os.environ.get("SOURCIER_BUILD_PATH", BUILD_PATH))


def write_suppliers(actors: gpd.GeoDataFrame, path: Path | None = None) -> Path:
    """Write ``actors`` atomically as GeoParquet (geoarrow point encoding, bbox-filterable)."""
    path = Path(path or build_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.parquet")
    actors.to_parquet(tmp, index=False, geometry_encoding="geoarrow")
    os.replace(tmp, path)
    return path


def _list_column(column: pa.ChunkedArray, *, shared: bool) -> np.ndarray:
    """Python lists of a pyarrow list column (object ndarray; null stays None).

    With ``shared``, equal lists are one Python object: a code-list column holds a few hundred distinct
    lists (``["esat"]``, ``[]``…) for a million rows, which saves ~80 MB per column at 1M actors and
    keeps row copies fast (one hot object instead of a million scattered ones). The table is read-only.
    """
    out = np.empty(len(column), dtype=object)
    if not shared:
        out[:] = column.to_pylist()
        return out
    column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not pa.types.is_string(column.type.value_type):  # list<null> when every list is empty
        column = column.cast(pa.list_(pa.string()))
    lengths = pc.cast(pc.list_value_length(column), pa.string())
    key = pc.binary_join_element_wise(lengths, pc.binary_join(column, "\x1f"), ":")  # [] != [""]
    codes = key.dictionary_encode().indices.fill_null(-1).to_numpy(zero_copy_only=False)  # -1: null list
    _, first, which = np.unique(codes, return_index=True, return_inverse=True)
    lookup = np.empty(len(first), dtype=object)
    lookup[:] = column.take(pa.array(first)).to_pylist()
    out[:] = lookup[which]
    return out


def read_suppliers(path: Path | None = None) -> gpd.GeoDataFrame:
    """Read a built table (optional columns kept); never mutate it, its equal lists are shared.

    List columns come back as Python lists (equal code lists are one shared object), pyarrow string
    columns in one chunk each.
    """
    path = Path(path or build_path())
    names = pq.read_schema(path).names
    lists = [c for c in LIST_COLUMNS if c in names]
    gdf = gpd.read_parquet(path, columns=[c for c in names if c not in lists])
    gdf = single_chunks(gdf)
    list_data = pq.read_table(path, columns=lists)
    for col in lists:
        gdf[col] = _list_column(list_data.column(col), shared=col != "source_keys")
    return gdf[[*COLUMNS, *(c for c in OPTIONAL_COLUMNS if c in gdf.columns)]]


def load_suppliers(path: Path | None = None, *, rebuild: bool = False) -> gpd.GeoDataFrame:
    """Return the merged supplier table, building it from the committed snapshots when missing.

    Parameters
    ----------
    path
        Parquet file to read (default :func:`build_path`).
    rebuild
        Build again even if the file exists.
    """
    target = Path(path or build_path())
    if rebuild or not target.exists():
        from mapping.pipeline import build  # local import: pipeline imports this module

        report = build(output=target)
        log.info("%s", report.summary())
    return read_suppliers(target)


def manifests(root: Path | None = None) -> dict[str, dict]:
    """Snapshot manifests by source name (``data/snapshots/<source>/manifest.json``)."""
    root = Path(root or SNAPSHOTS_DIR)
    found = {}
    for manifest in sorted(root.glob("*/manifest.json")):
        try:
            found[manifest.parent.name] = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            log.warning("Manifeste illisible %s : %s", manifest, exc)
    return found


def data_status(root: Path | None = None) -> dict:
    """What the app shows about its data: demo or not, per-source freshness and attribution."""
    import connectors  # local import: connectors are optional for the core store

    found = manifests(root)
    sources = {}
    for name, man in found.items():
        conn = connectors.REGISTRY.get(name)
        sources[name] = {
            "title": getattr(conn, "TITLE", name),
            "records": man.get("records"),
            "fetched_at": man.get("fetched_at"),
            "licence": man.get("licence") or getattr(conn, "LICENCE", ""),
            "attribution": man.get("attribution") or getattr(conn, "ATTRIBUTION", ""),
            "demo": bool(man.get("demo")),
        }
    built = None
    target = build_path()
    if target.exists():
        built = datetime.fromtimestamp(target.stat().st_mtime, tz=UTC).isoformat(timespec="seconds")
    return {"demo": any(s["demo"] for s in sources.values()), "sources": sources, "built_at": built}
