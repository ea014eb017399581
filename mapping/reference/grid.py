"""Lambert-93 projection and the 5 km grid shared by the build (storage order) and the search index."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from mapping.reference.schema import CRS_LAMBERT93, CRS_WGS84

#: Side of a grid cell, metres.
CELL_M = 5_000.0


@lru_cache(maxsize=1)
def _projection() -> tuple[pyproj.Transformer, np.ndarray, np.ndarray]:
    """WGS84 -> Lambert-93 transformer and a latitude -> scale-factor table (conformal: k = k(lat))."""
    transformer = pyproj.Transformer.from_crs(CRS_WGS84, CRS_LAMBERT93, always_xy=True)
    lats = np.arange(-89.0, 89.01, 0.01)
    scale = pyproj.Proj(CRS_LAMBERT93).get_factors(np.full(lats.shape, 3.0), lats).parallel_scale
    ok = np.isfinite(scale)
    return transformer, lats[ok], np.asarray(scale, dtype=float)[ok]


def project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lambert-93 ``x, y`` (metres) and scale factor of WGS84 points (NaN stays NaN)."""
    transformer, lats, scale = _projection()
    x, y = transformer.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float), np.interp(lat, lats, scale)


def lon_lat(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitudes and latitudes of the table's points (NaN where missing)."""
    geometry = gdf.geometry if gdf.crs is None or gdf.crs.to_epsg() == 4326 else gdf.geometry.to_crs(CRS_WGS84)
    points = geometry.to_numpy()
    return shapely.get_x(points), shapely.get_y(points)


def grid_cells(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, tuple[float, float], int, int]:
    """Grid cell of each point (row-major, unlocated last), origin (aligned on ``CELL_M``), width, height."""
    located = np.isfinite(x) & np.isfinite(y)
    if not located.any():
        return np.full(len(x), np.iinfo(np.int64).max, dtype=np.int64), (0.0, 0.0), 1, 0
    origin = (float(np.nanmin(x) // CELL_M * CELL_M), float(np.nanmin(y) // CELL_M * CELL_M))
    cx = np.where(located, (x - origin[0]) // CELL_M, 0).astype(np.int64)
    cy = np.where(located, (y - origin[1]) // CELL_M, 0).astype(np.int64)
    width, height = int(cx.max()) + 1, int(cy.max()) + 1
    return np.where(located, cy * width + cx, np.iinfo(np.int64).max), origin, width, height


def grid_order(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Row positions of ``gdf`` in the index's grid order (5 km cells row by row, unlocated rows last).

    Stable: rows of one cell keep their order. A table stored in this order (``mapping.build.pipeline``
    writes it so) puts the rows of a radius search in a few contiguous stretches of memory, which
    makes copying them about twice as fast at 1M actors.
    """
    x, y, _ = project(*lon_lat(gdf))
    return np.argsort(grid_cells(x, y)[0], kind="stable")


__all__ = ["CELL_M", "grid_cells", "grid_order", "lon_lat", "project"]
