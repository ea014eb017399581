"""Maps: the folium map of actors, offline (vendored Leaflet), every source text escaped.

Public names: :func:`build_map`, :func:`escape_text`, :func:`escape_series`. Modules: ``builder``
(the map), ``data`` (escaping, compact rows, popup script), ``leaflet`` (folium elements).
"""

from mapping.maps.builder import Legend, MetricScale, build_map, default_bounds, escape_series, escape_text
from mapping.maps.choropleth import build_choropleth

__all__ = ["Legend", "MetricScale", "build_choropleth", "build_map", "default_bounds", "escape_series", "escape_text"]
