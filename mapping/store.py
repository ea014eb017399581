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


def _lists(values: object) -> object:
    return list(values) if isinstance(values, np.ndarray) else values


def read_suppliers(path: Path | None = None) -> gpd.GeoDataFrame:
    """Read a built table; list columns come back as Python lists (optional columns kept)."""
    gdf = gpd.read_parquet(Path(path or build_path()))
    for col in LIST_COLUMNS:
        gdf[col] = gdf[col].map(_lists)
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
