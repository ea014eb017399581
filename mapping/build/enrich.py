"""The enrichment index of partner imports: the committed Annuaire des Entreprises snapshot by SIRET.

:func:`snapshot_index` reads ``<snapshots>/recherche_entreprises/`` through its connector, cached until
its manifest changes. What an import keeps and how a row is completed is :mod:`connectors.enrichment`.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import connectors
from connectors.enrichment import ENRICHMENT_FILE, SOURCE, complete, dumps, index_from_records, loads, select
from connectors.snapshots import MANIFEST_NAME, read_manifest, read_snapshot, snapshots_root
from mapping.errors import SourceError

log = logging.getLogger(__name__)


@lru_cache(maxsize=2)
def _cached_index(root: str, stamp: float) -> tuple[dict[str, dict[str, Any]], str | None]:
    connector = connectors.REGISTRY[SOURCE]
    try:
        files = read_snapshot(SOURCE, root=root)
    except SourceError as exc:
        log.warning("Enrichissement impossible : %s", exc)
        return {}, None
    index = index_from_records(connector.normalize(connector.parse(files)))
    fetched = read_manifest(SOURCE, root).get("fetched_at")
    log.info("Annuaire des Entreprises : %d établissements indexés pour l'enrichissement", len(index))
    return index, fetched


def snapshot_index(root: Path | None = None) -> tuple[dict[str, dict[str, Any]], str | None]:
    """``(index, fetched_at)`` of the recherche_entreprises snapshot under ``root`` (default: the
    committed snapshots), cached until its manifest changes; empty when there is no snapshot."""
    folder = snapshots_root(root)
    manifest = folder / SOURCE / MANIFEST_NAME
    stamp = manifest.stat().st_mtime if manifest.exists() else 0.0
    return _cached_index(str(folder), stamp)


__all__ = ["ENRICHMENT_FILE", "SOURCE", "complete", "dumps", "index_from_records", "loads", "select", "snapshot_index"]
