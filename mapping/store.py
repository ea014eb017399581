"""The supplier table the app reads, and what the app says about its data.

Public seam: :func:`load_suppliers` returns the canonical GeoDataFrame, building it first from the
committed snapshots when it is missing. :func:`data_status` gives per-source freshness and
attribution. Reading and writing the file itself is :mod:`mapping.build.table`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pyarrow.parquet as pq

import connectors
from connectors.snapshots import MANIFEST_NAME, read_manifest, snapshots_root
from mapping.build.pipeline import build
from mapping.build.table import build_path, read_suppliers, write_suppliers
from mapping.reference.schema import COLUMNS

log = logging.getLogger(__name__)


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
    if not rebuild and target.exists() and (missing := missing_columns(target)):
        log.warning(
            "Table %s construite par une version antérieure (colonnes absentes : %s) : reconstruction",
            target,
            ", ".join(missing),
        )
        rebuild = True
    if rebuild or not target.exists():
        report = build(output=target)
        log.info("%s", report.summary())
    return read_suppliers(target)


def missing_columns(path: Path) -> list[str]:
    """Columns of the actor schema a built file lacks (a table written by an older version of Sourcier)."""
    try:
        names = set(pq.read_schema(path).names)
    except (OSError, ValueError) as exc:
        log.warning("Schéma illisible pour %s : %s", path, exc)
        return []
    return [c for c in COLUMNS if c not in names and c != "geometry"]


def manifests(root: Path | None = None) -> dict[str, dict]:
    """Snapshot manifests by source name (``data/snapshots/<source>/manifest.json``)."""
    root = snapshots_root(root)
    found = {
        path.parent.name: read_manifest(path.parent.name, root) for path in sorted(root.glob(f"*/{MANIFEST_NAME}"))
    }
    return {name: manifest for name, manifest in found.items() if manifest}  # unreadable ones are logged


def data_status(root: Path | None = None) -> dict:
    """What the app shows about its data: demo or not, per-source freshness and attribution."""
    found = manifests(root)
    sources = {}
    for name, man in found.items():
        conn = connectors.REGISTRY.get(name)
        sources[name] = {
            "title": connectors.title(name),
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


__all__ = [
    "build_path",
    "data_status",
    "load_suppliers",
    "manifests",
    "missing_columns",
    "read_suppliers",
    "write_suppliers",
]
