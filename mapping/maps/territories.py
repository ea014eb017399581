"""Choropleth of a count per territory (département or EPCI), drawn from the committed polygons, no tiles.

Used by the home page (actors per département) and the coverage page. Territory names come from the
reference files and counts are numbers; both are still escaped before they reach a tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping

import folium
import geopandas as gpd
import numpy as np

from mapping.maps import texts
from mapping.maps.data import escape_text
from mapping.maps.leaflet import Legend, vendored
from mapping.reference.schema import CRS_WGS84


def classes(values: Mapping[str, int], n: int = len(texts.TERRITORY_COLORS)) -> list[int]:
    """Upper bounds of ``n`` classes of the non-zero values (quantiles, rounded, increasing, unique)."""
    positive = np.array([v for v in values.values() if v > 0], dtype=float)
    if not len(positive):
        return []
    bounds = np.unique(np.ceil(np.quantile(positive, np.linspace(0, 1, n + 1)[1:])).astype(int))
    return [int(b) for b in bounds]


def _color(value: int, bounds: list[int]) -> str:
    if value <= 0 or not bounds:
        return texts.TERRITORY_EMPTY_COLOR
    position = int(np.searchsorted(bounds, value, side="left"))
    palette = (
        texts.TERRITORY_COLORS[-len(bounds) :] if len(bounds) < len(texts.TERRITORY_COLORS) else texts.TERRITORY_COLORS
    )
    return palette[min(position, len(palette) - 1)]


def territory_map(
    polygons: gpd.GeoDataFrame,
    counts: Mapping[str, int],
    *,
    title: str,
    unit: str = "",
    asset_base: str = "/app/static/vendor",
) -> folium.Map:
    """A folium map of ``polygons`` (columns ``code``, ``nom``, ``geometry``) coloured by ``counts[code]``.

    Territories absent from ``counts`` count 0 and are drawn grey (a white zone). ``unit`` follows the count
    in the tooltips (« 12 acteurs »: ``unit="acteurs"``).
    """
    shapes = polygons.to_crs(CRS_WGS84) if polygons.crs is not None and polygons.crs.to_epsg() != 4326 else polygons
    values = {str(code): int(counts.get(str(code), 0)) for code in shapes["code"]}
    bounds = classes(values)
    minx, miny, maxx, maxy = shapes.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=7, tiles=None, zoomSnap=0.25)
    vendored(m, asset_base.rstrip("/"))
    features = shapes[["code", "nom", "geometry"]].copy()
    features["fill"] = [_color(values[str(c)], bounds) for c in features["code"]]
    features["tip"] = [
        escape_text(
            texts.TERRITORY_TOOLTIP.format(
                name=nom,
                code=code,
                count=f"{values[str(code)]} {unit}".strip() if values[str(code)] else texts.TERRITORY_EMPTY,
            )
        )
        for code, nom in zip(features["code"], features["nom"], strict=True)
    ]
    folium.GeoJson(
        features[["tip", "fill", "geometry"]].to_json(drop_id=True),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.85,
            "color": "#555",
            "weight": 1,
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        control=False,
    ).add_to(m)
    folium.FitBounds([[miny, minx], [maxy, maxx]], padding=(8, 8)).add_to(m)
    items = [(texts.TERRITORY_EMPTY, texts.TERRITORY_EMPTY_COLOR)] if 0 in values.values() else []
    low = 1
    for bound in bounds:
        items.append((f"{low}–{bound}" if bound > low else str(bound), _color(bound, bounds)))
        low = bound + 1
    Legend(title, items).add_to(m)
    return m


__all__ = ["classes", "territory_map"]
