"""Choropleth of a count per territory (département or EPCI polygons), offline and escaped.

No base tiles; Leaflet comes from the vendored copies (:func:`mapping.maps.leaflet.vendored`); every name
in a tooltip goes through :func:`escape_text`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import folium
import geopandas as gpd

from mapping.maps.data import escape_text
from mapping.maps.leaflet import Legend, vendored
from mapping.reference.schema import CRS_WGS84

#: Colours of the classes: white zone, then light to dark blue.
WHITE = "#ffffff"
CLASSES = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")


def class_color(count: int, top: int) -> str:
    """Colour of ``count`` among counts up to ``top`` (0 is white)."""
    if count <= 0 or top <= 0:
        return WHITE
    step = min(len(CLASSES) - 1, int((count - 1) * len(CLASSES) / max(top, 1)))
    return CLASSES[step]


def class_legend(top: int) -> list[tuple[str, str]]:
    """Legend of :func:`class_color` for counts up to ``top``: ``("0", white)``, then each class's range."""
    items = [("0", WHITE)]
    n = len(CLASSES)
    for i, color in enumerate(CLASSES):
        # class i holds the counts c with i <= (c - 1) * n / top < i + 1
        low, high = -(-i * top // n) + 1, min(top, -(-(i + 1) * top // n))
        if i == n - 1:
            high = top
        if low <= high:
            items.append((str(low) if low == high else f"{low} à {high}", color))
    return items


def build_choropleth(
    polygons: gpd.GeoDataFrame,
    counts: Mapping[str, int],
    *,
    tooltips: Mapping[str, str],
    legend_title: str,
    legend_items: list[tuple[str, str]] | None = None,
    asset_base: str = "/app/static/vendor",
) -> folium.Map:
    """``polygons`` (``code``, ``geometry``) coloured by ``counts[code]``, ``tooltips[code]`` on hover (escaped)."""
    shapes = polygons[["code", "geometry"]].to_crs(CRS_WGS84)
    top = max([int(v) for v in counts.values()] or [0])
    shapes = shapes.assign(
        fill=[class_color(int(counts.get(c, 0)), top) for c in shapes["code"]],
        tip=[escape_text(tooltips.get(c, c)) for c in shapes["code"]],
    )
    west, south, east, north = shapes.total_bounds
    m = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=8, tiles=None, zoomSnap=0.5)
    vendored(m, asset_base.rstrip("/"))
    folium.GeoJson(
        json.loads(shapes.to_json(drop_id=True)),
        style_function=lambda feature: {
            "fillColor": feature["properties"]["fill"],
            "color": "#555555",
            "weight": 0.8,
            "fillOpacity": 0.85,
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        control=False,
    ).add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    items = legend_items or class_legend(top)
    Legend(legend_title, items).add_to(m)
    return m
