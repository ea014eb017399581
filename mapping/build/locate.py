"""Give every normalised record a location and its administrative codes (offline).

Records with coordinates keep them (``geo_precision`` from the source); the others get the point of
their commune (``geo_precision="municipality"``), found by INSEE code, else postcode + city name.
Records that have a point but no commune get ``code_insee``/``departement``/``epci`` from the
commune polygons (reverse lookup). Online geocoding (BAN) comes later, in ``mapping.build.geocoding``.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping.reference import geography
from mapping.reference.schema import CRS_WGS84

log = logging.getLogger(__name__)


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.astype("string").str.strip() == "")


def locate(records: gpd.GeoDataFrame, *, region: str | None = None) -> gpd.GeoDataFrame:
    """Return a copy of ``records`` where every locatable record has a point and its commune codes.

    Parameters
    ----------
    records
        Normalised records (``schema.RECORD_COLUMNS``), geometry possibly null.
    region
        Region whose commune polygons serve the reverse lookup (default: ``geography.region_code()``).

    Returns
    -------
    GeoDataFrame
        Same rows; records that could not be located keep a null geometry.
    """
    out = records.copy()
    communes = geography.communes().set_index("code_insee")

    # 1. Commune from postcode + city when the INSEE code is missing.
    need_insee = _blank(out["code_insee"]) & ~(_blank(out["postcode"]) & _blank(out["city"]))
    if need_insee.any():
        pairs = out.loc[need_insee, ["postcode", "city"]].astype("string").fillna("")
        found: dict[tuple[str, str], str | None] = {}
        for key in pairs.drop_duplicates().itertuples(index=False, name=None):
            hit = geography.find_commune(postcode=key[0] or None, city=key[1] or None)
            found[key] = hit["code_insee"] if hit else None
        out.loc[need_insee, "code_insee"] = [found[k] for k in pairs.itertuples(index=False, name=None)]

    # 2. Point of the commune when coordinates are missing.
    geom = out.geometry
    missing = geom.isna() | geom.is_empty
    known = out["code_insee"].isin(communes.index)
    fill = missing & known
    if fill.any():
        codes = out.loc[fill, "code_insee"]
        pts = gpd.points_from_xy(communes.loc[codes, "lon"].to_numpy(), communes.loc[codes, "lat"].to_numpy())
        out.loc[fill, "geometry"] = pts
        out.loc[fill, "geo_precision"] = "municipality"

    # 3. Commune from the point (reverse) when the INSEE code is still unknown.
    geom = out.geometry
    has_point = geom.notna() & ~geom.is_empty
    reverse = has_point & ~out["code_insee"].isin(communes.index)
    if reverse.any():
        pts = geom[reverse]
        found_codes = geography.locate_points(pts.x.to_numpy(), pts.y.to_numpy())
        out.loc[reverse, "code_insee"] = found_codes["code_insee"].to_numpy()

    # 4. Département and EPCI from the commune table (authoritative over source values).
    known = out["code_insee"].isin(communes.index)
    codes = out.loc[known, "code_insee"]
    out.loc[known, "departement"] = communes.loc[codes, "departement"].to_numpy()
    epci = communes.loc[codes, "epci"].astype("string").replace({"": pd.NA})
    out.loc[known, "epci"] = epci.to_numpy(dtype=object, na_value=None)
    fill_city = known & _blank(out["city"])
    out.loc[fill_city, "city"] = communes.loc[out.loc[fill_city, "code_insee"], "nom"].to_numpy()

    out.loc[has_point | fill, "geo_precision"] = out.loc[has_point | fill, "geo_precision"].fillna("source")
    unlocated = int((out.geometry.isna() | out.geometry.is_empty).sum())
    if unlocated:
        log.warning("%d enregistrement(s) sans localisation possible", unlocated)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=CRS_WGS84)


def in_region(records: gpd.GeoDataFrame, *, region: str | None = None) -> np.ndarray:
    """Boolean mask of records located in ``region`` (by département of their commune)."""
    deps = set(geography.departements(region))
    located = records.geometry.notna() & ~records.geometry.is_empty
    return (located & records["departement"].isin(deps)).to_numpy()
