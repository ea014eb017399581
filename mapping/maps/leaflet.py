"""Folium elements of the map: the actors' marker cluster, the legend, the scale, vendored Leaflet files.

:class:`ActorCluster` feeds the compact rows of :mod:`mapping.maps.data` to Leaflet.markercluster;
:class:`Legend` and :class:`MetricScale` are small Leaflet controls; :func:`vendored` points folium's
elements at the local copies of Leaflet and Leaflet.markercluster instead of a CDN. Private: the public
API is ``mapping.maps.builder``.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
from folium.plugins import MarkerCluster
from folium.template import Template

from mapping.maps.data import escape_text, script_json


class ActorCluster(MarkerCluster):
    """Leaflet.markercluster group of circle markers built in JS from compact rows (``mapping.maps.data.marker_rows``).

    The group is put on the map before its markers are added: off the map, markercluster checks every new
    marker against the whole pending list (quadratic). Rows are compact JSON of escaped strings and
    numbers only (:func:`script_json`): nothing in them can close the ``<script>`` block.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var actors = {{ this.callback }};
                var data = {{ this.data_json }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                // Our circle markers are never dragged nor moved by the user: skip the three listeners
                // markercluster 1.1 puts on every marker to follow such moves (20,000 x 3 handlers).
                cluster._childMarkerEventHandlers = {};
                cluster.addTo({{ this._parent.get_name() }});
                cluster.on("mouseover", actors.hover).on("click", actors.click);
                cluster.addLayers(data.map(actors.marker));
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, data: list[list], *, callback: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._name = "ActorCluster"
        self.callback = callback
        self.data_json = script_json(data)


class Legend(folium.MacroElement):
    """A Leaflet control listing colours and their (escaped) labels, bottom right of the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "sourcier-legend");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title: str, items: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._name = "Legend"
        lines = "".join(
            f"<div><span style='display:inline-block;width:11px;height:11px;border-radius:50%;"
            f"margin-right:6px;background:{escape_text(color)}'></span>{escape_text(label)}</div>"
            for label, color in items
        )
        self.html = (
            "<div style='background:rgba(255,255,255,.92);padding:6px 9px;border-radius:4px;"
            "box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.5 sans-serif;color:#222'>"
            f"<div style='font-weight:600;margin-bottom:2px'>{escape_text(title)}</div>{lines}</div>"
        )


class MetricScale(folium.MacroElement):
    """Leaflet's scale bar in kilometres only (folium's ``control_scale`` adds miles too)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


def vendored(element: folium.MacroElement, asset_base: str) -> None:
    """Point ``element`` at the vendored Leaflet files (instance attributes: folium stays untouched)."""
    if isinstance(element, MarkerCluster):
        element.default_js = [("markerclusterjs", f"{asset_base}/markercluster/leaflet.markercluster.js")]
        element.default_css = [
            ("markerclustercss", f"{asset_base}/markercluster/MarkerCluster.css"),
            ("markerclusterdefaultcss", f"{asset_base}/markercluster/MarkerCluster.Default.css"),
        ]
    else:
        element.default_js = [("leaflet", f"{asset_base}/leaflet/leaflet.js")]
        element.default_css = [("leaflet_css", f"{asset_base}/leaflet/leaflet.css")]
