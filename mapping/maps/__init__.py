"""Maps: the folium map of actors, offline (vendored Leaflet), every source text escaped.

Public names: :func:`build_map`, :func:`escape_text`, :func:`escape_series`. Modules: ``builder``
(the map), ``data`` (escaping, compact rows, popup script), ``leaflet`` (folium elements).
"""

from mapping.maps.builder import DEFAULT_BOUNDS, Legend, MetricScale, build_map, escape_series, escape_text

__all__ = ["DEFAULT_BOUNDS", "Legend", "MetricScale", "build_map", "escape_series", "escape_text"]
