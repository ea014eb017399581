"""Merge located source records into actors (exact SIRET for now).

Records sharing a valid SIRET become one actor; records without SIRET stay alone. Survivorship:
each field is taken from the most trusted source for it (``data/reference/survivorship.json``),
list columns are unioned, and every input ``"<source>:<source_id>"`` is kept in ``source_keys``.
Fuzzy deduplication (names, addresses, distance) is ``mapping.dedup``'s job.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping.schema import CODE_LIST_COLUMNS, COLUMNS, CRS_WGS84

SURVIVORSHIP_FILE = Path(__file__).resolve().parents[1] / "data" / "reference" / "survivorship.json"

#: Scalar columns chosen by survivorship (geometry travels with geo_precision as one "location").
SCALAR_COLUMNS = tuple(
    c
    for c in COLUMNS
    if c not in ("uid", "geometry", "geo_precision", "updated_at", "sources", "source_keys", *CODE_LIST_COLUMNS)
)


@lru_cache(maxsize=1)
def survivorship() -> dict[str, list[str]]:
    """Source trust order per field (``default`` for fields not listed)."""
    with SURVIVORSHIP_FILE.open(encoding="utf-8") as fh:
        rules = json.load(fh)
    return {k: v for k, v in rules.items() if not k.startswith("_")}


def _rank(sources: pd.Series, field: str) -> np.ndarray:
    rules = survivorship()
    order = rules.get(field, rules["default"])
    ranks = {name: i for i, name in enumerate(order)}
    return sources.map(ranks).fillna(len(order)).to_numpy()


def make_uid(key: str) -> str:
    """Stable opaque identifier from a merge key (SIRET or smallest source key)."""
    return "a" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def merge_exact(records: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Merge ``records`` (``schema.RECORD_COLUMNS``) on exact SIRET.

    Returns
    -------
    GeoDataFrame
        One row per actor, columns ``schema.COLUMNS``.
    """
    rec = pd.DataFrame(records.drop(columns="geometry"))
    geom = records.geometry
    has_point = (geom.notna() & ~geom.is_empty).to_numpy()
    rec["_x"] = np.where(has_point, geom.x.where(has_point), np.nan)
    rec["_y"] = np.where(has_point, geom.y.where(has_point), np.nan)
    rec["_key"] = rec["source"].astype(str) + ":" + rec["source_id"].astype(str)
    siret = rec["siret"].astype("string")
    rec["_group"] = siret.where(siret.notna(), "k:" + rec["_key"]).astype(str)

    grouped_order = rec.sort_values(["_group", "_key"])
    groups = grouped_order.groupby("_group", sort=True)
    out = pd.DataFrame(index=pd.Index(sorted(rec["_group"].unique()), name="_group"))

    for field in SCALAR_COLUMNS:
        ranked = rec.assign(_r=_rank(rec["source"], field)).sort_values(["_group", "_r", "_key"])
        vals = ranked[field].replace("", None) if ranked[field].dtype == object else ranked[field]
        out[field] = vals.groupby(ranked["_group"]).first()

    ranked = rec.assign(_r=_rank(rec["source"], "geometry"))
    ranked = ranked[ranked["_x"].notna()].sort_values(["_group", "_r", "_key"])
    loc = ranked.groupby("_group")[["_x", "_y", "geo_precision"]].first()
    out = out.join(loc)
    out["updated_at"] = groups["updated_at"].max()

    for col in (*CODE_LIST_COLUMNS,):
        exploded = rec[["_group", col]].explode(col).dropna()
        exploded = exploded.drop_duplicates()
        lists = exploded.groupby("_group")[col].agg(lambda s: sorted(s))
        out[col] = lists.reindex(out.index)
        out[col] = out[col].map(lambda v: v if isinstance(v, list) else [])
    out["sources"] = groups["source"].agg(lambda s: sorted(set(s)))
    out["source_keys"] = groups["_key"].agg(list)
    out["uid"] = [make_uid(g[2:] if g.startswith("k:") else g) for g in out.index]

    geometry = gpd.points_from_xy(out["_x"], out["_y"], crs=CRS_WGS84)
    geometry = gpd.GeoSeries(geometry, index=out.index, crs=CRS_WGS84).where(out["_x"].notna(), None)
    actors = gpd.GeoDataFrame(out.drop(columns=["_x", "_y"]), geometry=geometry, crs=CRS_WGS84)
    actors = actors.reset_index(drop=True)
    return actors[list(COLUMNS)]
