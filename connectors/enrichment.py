"""Complete partner rows that carry a SIRET from the API Recherche d'entreprises, offline (pure).

An import keeps the entries of its SIRETs in ``enrichment.json`` next to the imported file
(:func:`select`, index built by :func:`mapping.build.enrich.snapshot_index`), so a build stays
reproducible and never needs the network. :func:`complete` fills what a partner file rarely has:
NAF code, legal form, ESS/SIAE kinds and labels, coordinates (SIRENE's geocoding) and commune.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd

from mapping.reference import taxonomy

log = logging.getLogger(__name__)

SOURCE = "recherche_entreprises"
ENRICHMENT_FILE = "enrichment.json"
#: Fields kept per establishment.
FIELDS = ("name", "naf", "legal_form", "actor_kinds", "labels", "lon", "lat", "code_insee")


def index_from_records(records: gpd.GeoDataFrame) -> dict[str, dict[str, Any]]:
    """``{siret: {name, naf, legal_form, actor_kinds, labels, lon, lat, code_insee}}`` of normalised
    recherche_entreprises records (pure)."""
    index: dict[str, dict[str, Any]] = {}
    geometry = records.geometry
    for position, row in enumerate(records.itertuples(index=False)):
        siret = row.siret
        if not isinstance(siret, str) or siret in index:
            continue
        point = geometry.iloc[position]
        located = point is not None and not point.is_empty
        index[siret] = {
            "name": row.name,
            "naf": row.naf,
            "legal_form": row.legal_form,
            "actor_kinds": list(row.actor_kinds),
            "labels": list(row.labels),
            "lon": round(float(point.x), 6) if located else None,
            "lat": round(float(point.y), 6) if located else None,
            "code_insee": row.code_insee,
        }
    return index


def select(index: Mapping[str, dict[str, Any]], sirets: Iterable[str | None], *, fetched_at: str | None = None) -> dict:
    """The content of ``enrichment.json`` for ``sirets``: the index entries found, sorted."""
    found = {s: index[s] for s in sorted({s for s in sirets if s}) if s in index}
    return {"source": SOURCE, "fetched_at": fetched_at, "etablissements": found}


def dumps(enrichment: Mapping[str, Any]) -> bytes:
    """``enrichment.json`` bytes (stable, readable)."""
    return (json.dumps(enrichment, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def loads(content: bytes) -> dict[str, dict[str, Any]]:
    """Establishments of an ``enrichment.json`` (empty when unreadable)."""
    try:
        payload = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        log.warning("%s illisible : enrichissement ignoré", ENRICHMENT_FILE)
        return {}
    found = payload.get("etablissements") if isinstance(payload, dict) else None
    return found if isinstance(found, dict) else {}


def complete(row: dict[str, Any], entry: Mapping[str, Any] | None) -> bool:
    """Fill ``row`` (canonical partner row) in place from an index ``entry``; True when it did.

    The partner's own values win; kinds, labels and purchase families are unioned; coordinates and
    commune are taken only when the row has none.
    """
    if not entry:
        return False
    row["naf"] = row.get("naf") or entry.get("naf")
    row["legal_form"] = row.get("legal_form") or entry.get("legal_form")
    if not row.get("actor_kinds") and row.get("legal_form"):
        row["actor_kinds"] = list(taxonomy.kinds_for_legal_form(row["legal_form"]))
    row["actor_kinds"] = list(dict.fromkeys([*row.get("actor_kinds", []), *entry.get("actor_kinds", [])]))
    row["labels"] = list(dict.fromkeys([*row.get("labels", []), *entry.get("labels", [])]))
    if row.get("naf"):
        families = [*row.get("purchase_families", []), *taxonomy.families_for_naf(row["naf"])]
        row["purchase_families"] = list(dict.fromkeys(families))
    if row.get("lon") is None and entry.get("lon") is not None and entry.get("lat") is not None:
        row["lon"], row["lat"] = entry["lon"], entry["lat"]
        row["code_insee"] = row.get("code_insee") or entry.get("code_insee")
    return True
