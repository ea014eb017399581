"""Folium map of actors, modelled on ``GeoDataFrame.explore()``, safe with untrusted data and offline.

* Every string coming from the data goes through :func:`escape_text` before it reaches the page:
  folium and Leaflet insert popup/tooltip text as HTML, and folium puts some of it inside JavaScript
  template literals, where ``${...}`` and backticks would execute (see TECHNICAL.md § 5.4).
* Points go into one Leaflet.markercluster group: the data travel as compact JSON rows (repeated
  strings and code lists as indices into small tables, coordinates as integers of 1e-5 degree) and a
  small JS function builds a circle marker per row; tooltips and popups are bound on the first hover
  or click. 20,000 points make a ~2.7 MB page, clustered in the browser in about a second, where
  per-object folium markers would take minutes.
* Leaflet and Leaflet.markercluster are loaded from ``asset_base`` (the vendored copies in
  ``static/vendor/``, served by Streamlit at ``/app/static/vendor``): no CDN URL is ever emitted.

Escaping and row encoding live in ``mapping.maps.data``, the folium/Leaflet elements in
``mapping.maps.leaflet``. This module never imports streamlit.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections.abc import Sequence

import folium
import geopandas as gpd
from folium.map import FitBounds

from mapping.maps import texts
from mapping.maps.data import (
    GROUP_COLORS,
    GROUP_NAMES,
    POPUP_CALLBACK,
    escape_series,
    escape_text,
    marker_rows,
    script_json,
)
from mapping.maps.leaflet import ActorCluster, Legend, MetricScale, vendored
from mapping.reference import geography
from mapping.reference.schema import CRS_WGS84

__all__ = ["Legend", "MetricScale", "build_map", "default_bounds", "escape_series", "escape_text"]

log = logging.getLogger(__name__)


def default_bounds() -> tuple[tuple[float, float], tuple[float, float]]:
    """``((south, west), (north, east))`` of the settings' region, used when there is nothing to fit."""
    west, south, east, north = geography.region_bbox()
    return (south, west), (north, east)


_OUTLINE_STYLE = {"color": "#8a8a8a", "weight": 1.2, "opacity": 0.8, "fill": False}


def build_map(
    gdf: gpd.GeoDataFrame,
    *,
    center: Sequence[float] | None = None,
    radius_km: float | None = None,
    tiles: str | None = "OpenStreetMap",
    asset_base: str = "/app/static/vendor",
    outlines: bool = True,
    max_points: int | None = None,
    card_link: str | None = None,
    legend: bool = True,
) -> folium.Map:
    """Build the folium map of ``gdf``'s actors.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Actors (canonical columns); any CRS, reprojected to EPSG:4326. An optional ``distance_km``
        column is shown in the popups. Rows without geometry are left out.
    center : (lat, lon), optional
        Centre of a search, in folium's (latitude, longitude) order; drawn with ``radius_km``.
    radius_km : float, optional
        Radius of the search circle around ``center``.
    tiles : str or None
        Folium tile layer name; ``None`` for no base map (tests, offline).
    asset_base : str
        URL prefix of the vendored Leaflet files (``static/vendor`` served by Streamlit).
    outlines : bool
        Draw the région's département outlines.
    max_points : int, optional
        Show at most this many actors (the first rows: sort ``gdf`` beforehand).

    legend : bool
        Draw the legend of the colour groups (a small map, such as a supplier card's, goes without).
    card_link : str, optional
        URL prefix of a supplier card (``"/search?lieu=Tours&fournisseur="``): each popup then links to
        ``card_link + uid`` (new tab: Streamlit's component frame may not navigate the page).

    Returns
    -------
    folium.Map
    """
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(CRS_WGS84)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if max_points is not None and len(gdf) > max_points:
        log.info("Carte limitée à %d acteurs sur %d", max_points, len(gdf))
        gdf = gdf.iloc[:max_points]
    asset_base = asset_base.rstrip("/")
    bounds = _bounds(gdf, center, radius_km)
    m = folium.Map(
        location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        zoom_start=8,
        tiles=tiles,
        control_scale=False,
        maxZoom=18,
        zoomSnap=0.5,  # half zoom levels: the région fills the map instead of a quarter of it
    )
    vendored(m, asset_base)
    MetricScale().add_to(m)
    if outlines and (geojson := _outlines_geojson()) is not None:
        folium.GeoJson(geojson, style_function=lambda _: _OUTLINE_STYLE, control=False, interactive=False).add_to(m)
    if center is not None:
        if radius_km:
            folium.Circle(
                location=list(center),
                radius=radius_km * 1000,
                color="#1f5f8b",
                weight=2,
                fill=True,
                fill_opacity=0.05,
                bubbling_mouse_events=True,  # folium drops `interactive`; clicks reach the map
            ).add_to(m)
        folium.CircleMarker(
            location=list(center),
            radius=5,
            color="#1f5f8b",
            fill=True,
            fill_opacity=1,
            tooltip=escape_text(texts.SEARCH_CENTER),
        ).add_to(m)
    # Fit first and without animation: a zoom ending while markercluster adds chunks breaks it (markercluster
    # _zoomEnd on half-built clusters: "Cannot read properties of undefined (reading 'lat')", 20k points).
    fit = FitBounds(bounds, padding=(24, 24), max_zoom=14)
    fit.options["animate"] = False
    fit.add_to(m)
    if len(gdf):
        rows, tables, present = marker_rows(gdf, with_uid=card_link is not None)
        labels = {k: escape_text(v) for k, v in texts.POPUP_LABELS.items()}
        callback = POPUP_CALLBACK % {
            "tables": script_json(tables),
            "colors": json.dumps(GROUP_COLORS),
            "labels": script_json(labels),
            "card": script_json(escape_text(card_link) if card_link else ""),
        }
        cluster = ActorCluster(
            rows,
            callback=callback,
            control=False,
            chunkedLoading=True,
            chunkDelay=10,  # yield to the browser between 200 ms chunks, without idling a quarter of the time
            showCoverageOnHover=False,
            # Clustering time follows the zoom levels a marker is tried at before it meets a neighbour:
            # markers alone from zoom 15 and a slightly wider radius cut the work by a third (20,000 rows).
            maxClusterRadius=60,
            disableClusteringAtZoom=15,
        )
        vendored(cluster, asset_base)
        cluster.add_to(m)
        if legend:
            Legend(texts.LEGEND_TITLE, [(GROUP_NAMES[i], GROUP_COLORS[i]) for i in present]).add_to(m)
    return m


@functools.lru_cache(maxsize=1)
def _outlines_geojson() -> dict | None:
    """Département outlines as a GeoJSON dict (None when the reference polygons are unavailable)."""
    try:
        polygons = geography.departement_polygons()
    except (ImportError, AttributeError, OSError, ValueError) as exc:
        log.warning("Contours des départements indisponibles : %s", exc)
        return None
    return json.loads(polygons[["geometry"]].to_crs(CRS_WGS84).to_json(drop_id=True))


def _bounds(gdf: gpd.GeoDataFrame, center: Sequence[float] | None, radius_km: float | None) -> list:
    lats, lons = [], []
    if len(gdf):
        minx, miny, maxx, maxy = gdf.total_bounds
        lats += [miny, maxy]
        lons += [minx, maxx]
    if center is not None:
        dlat = (radius_km or 0) / 111.0
        dlon = dlat / max(0.2, abs(math.cos(math.radians(center[0]))))
        lats += [center[0] - dlat, center[0] + dlat]
        lons += [center[1] - dlon, center[1] + dlon]
    if not lats:
        south_west, north_east = default_bounds()
        return [list(south_west), list(north_east)]
    pad = 0.01 if max(lats) - min(lats) < 0.01 and max(lons) - min(lons) < 0.01 else 0.0
    return [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]
