"""Folium map of actors, modelled on ``GeoDataFrame.explore()``, safe with untrusted data and offline.

* Every string coming from the data goes through :func:`escape_text` before it reaches the page:
  folium and Leaflet insert popup/tooltip text as HTML, and folium puts some of it inside JavaScript
  template literals, where ``${...}`` and backticks would execute (see TECHNICAL.md § 5.4).
* Points go into one ``FastMarkerCluster``: the data travel as a compact JSON array and a small JS
  callback builds a circle marker per row (popups built lazily, on click). 20,000 points make a
  ~3 MB page rendered in a fraction of a second, where per-object folium markers would take minutes.
* Leaflet and Leaflet.markercluster are loaded from ``asset_base`` (the vendored copies in
  ``static/vendor/``, served by Streamlit at ``/app/static/vendor``): no CDN URL is ever emitted.

This module never imports streamlit.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import math
import re
from collections.abc import Callable, Sequence

import folium
import geopandas as gpd
import pandas as pd
from folium.map import FitBounds
from folium.plugins import FastMarkerCluster
from folium.template import Template
from jinja2.utils import htmlsafe_json_dumps

from mapping import taxonomy, texts
from mapping.schema import CRS_WGS84, as_list

log = logging.getLogger(__name__)

#: Bounds of the Région Centre-Val de Loire (lat/lon), used when there is nothing to fit.
DEFAULT_BOUNDS = ((46.35, 0.05), (48.95, 3.13))
_OTHER = len(texts.KIND_GROUPS)
_COLORS = [color for _, _, color in texts.KIND_GROUPS] + [texts.OTHER_GROUP[1]]
_GROUP_NAMES = [name for _, name, _ in texts.KIND_GROUPS] + [texts.OTHER_GROUP[0]]
_EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
#: What :func:`escape_text` replaces, ``&`` first (same entities as ``html.escape(quote=True)``).
_ENTITIES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
    ("`", "&#96;"),
    ("$", "&#36;"),
    ("\\", "&#92;"),
)
_OUTLINE_STYLE = {"color": "#8a8a8a", "weight": 1.2, "opacity": 0.8, "fill": False}
_FR_PHONE_RE = re.compile(r"^0\d(?: \d\d){4}$")


def escape_text(value: object) -> str:
    """Make any value safe to show inside folium/Leaflet HTML and JS template literals.

    ``html.escape(quote=True)`` plus backtick, dollar and backslash as HTML entities, so that the text
    can neither open a tag, close a ``<script>``, nor run ``${...}`` in a template literal.
    Missing values (None, NaN, NA) give ``""``.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def _website(value: object) -> str:
    """An escaped http(s) URL, or "" (never a ``javascript:`` or other scheme)."""
    url = str(value).strip() if isinstance(value, str) else ""
    if url.lower().startswith("www."):
        url = f"https://{url}"
    return escape_text(url) if re.match(r"^https?://[^\s]+$", url, re.IGNORECASE) else ""


def _email(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    return escape_text(text) if _EMAIL_RE.match(text) else ""


def _label(name: str, code: str) -> str:
    return taxonomy.label(name, code)


@functools.lru_cache(maxsize=1)
def _group_of_kind() -> dict[str, int]:
    """``actor_kinds`` code -> index of its colour group in :data:`texts.KIND_GROUPS`."""
    order = {group: i for i, (group, _, _) in enumerate(texts.KIND_GROUPS)}
    return {e["code"]: order.get(e.get("group"), _OTHER) for e in taxonomy.entries("actor_kinds")}


def _source_title(name: str) -> str:
    import connectors  # local import: the registry imports every connector module

    return getattr(connectors.REGISTRY.get(name), "TITLE", name)


class _Lookup:
    """Codes -> small integers, with the escaped labels as a JS array (keeps the data compact)."""

    def __init__(self, labeller: Callable[[str], str]) -> None:
        self._labeller = labeller
        self.index: dict[str, int] = {}
        self.labels: list[str] = []

    def __call__(self, codes: object) -> list[int]:
        out = []
        for code in as_list(codes):
            if code not in self.index:
                self.index[code] = len(self.labels)
                self.labels.append(escape_text(self._labeller(code)))
            out.append(self.index[code])
        return out


def _compact_phone(phone: str) -> str:
    """``"02 38 00 00 00"`` -> ``"0238000000"`` (the popup puts the spaces back); other formats unchanged."""
    return phone.replace(" ", "") if _FR_PHONE_RE.match(phone) else phone


def _main_group(kinds: object, groups: dict[str, int]) -> int:
    return min((groups.get(k, _OTHER) for k in as_list(kinds)), default=_OTHER)


def escape_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`escape_text` of a column (missing values give ``""``)."""
    out = values.astype("string").fillna("")
    for char, entity in _ENTITIES:
        out = out.str.replace(char, entity, regex=False)
    return out


def _rows(gdf: gpd.GeoDataFrame) -> tuple[list[list], dict[str, list[str]]]:
    """The FastMarkerCluster data (one list per actor) and the label tables it refers to."""
    kinds = _Lookup(functools.partial(_label, "actor_kinds"))
    families = _Lookup(functools.partial(_label, "purchase_families"))
    wastes = _Lookup(functools.partial(_label, "waste_types"))
    sources = _Lookup(_source_title)
    groups = _group_of_kind()
    coords = gdf.geometry.get_coordinates()
    place = (escape_series(gdf["postcode"]) + " " + escape_series(gdf["city"])).str.strip()
    if "distance_km" in gdf.columns:
        distance = [None if pd.isna(d) else round(float(d), 1) for d in gdf["distance_km"]]
    else:
        distance = [None] * len(gdf)
    columns = zip(
        coords["y"].round(5).tolist(),
        coords["x"].round(5).tolist(),
        [_main_group(k, groups) for k in gdf["actor_kinds"]],
        escape_series(gdf["name"]).tolist(),
        [kinds(v) for v in gdf["actor_kinds"]],
        [families(v) for v in gdf["purchase_families"]],
        [wastes(v) for v in gdf["waste_types"]],
        escape_series(gdf["address"]).tolist(),
        place.tolist(),
        [_compact_phone(v) for v in escape_series(gdf["phone"]).str.strip().tolist()],
        [_email(v) for v in gdf["email"].tolist()],
        [_website(v).removeprefix("https://") for v in gdf["website"].tolist()],
        [sources(v) for v in gdf["sources"]],
        distance,
        strict=True,
    )
    rows = [list(row) for row in columns]
    tables = {"k": kinds.labels, "f": families.labels, "w": wastes.labels, "s": sources.labels}
    return rows, tables


_CALLBACK = r"""(function () {
    var T = %(tables)s, COLORS = %(colors)s, LBL = %(labels)s;
    function names(idx, table) { return idx.map(function (i) { return table[i]; }).join(", "); }
    function line(label, value) {
        return value ? "<div><b>" + label + " :</b> " + value + "</div>" : "";
    }
    function popup(r) {
        var h = "<div class='sourcier-popup' style='font:13px/1.45 sans-serif;overflow-wrap:anywhere'>";
        h += "<div style='font-weight:600;font-size:1.1em;margin-bottom:2px'>";
        h += r[3] + "</div>";
        h += line(LBL.kinds, names(r[4], T.k)) + line(LBL.families, names(r[5], T.f));
        h += line(LBL.waste, names(r[6], T.w));
        if (r[7] || r[8]) { h += "<div>" + [r[7], r[8]].filter(Boolean).join(", ") + "</div>"; }
        if (r[9]) { h += "<div>" + r[9].replace(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/, "$1 $2 $3 $4 $5") + "</div>"; }
        if (r[10]) { h += "<div><a href='mailto:" + r[10] + "'>" + r[10] + "</a></div>"; }
        if (r[11]) {  // http(s) only; "https://" is left out of the data
            var url = r[11].indexOf("http://") === 0 ? r[11] : "https://" + r[11];
            h += "<div><a href='" + url + "' target='_blank' rel='noopener noreferrer'>";
            h += LBL.website + "</a></div>";
        }
        if (r[13] !== null) { h += line(LBL.distance, r[13].toFixed(1).replace(".", ",") + " km"); }
        return h + line(LBL.sources, names(r[12], T.s)) + "</div>";
    }
    return function (row) {
        var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {
            radius: 7, color: "#ffffff", weight: 1.5, fillColor: COLORS[row[2]], fillOpacity: 0.9
        });
        marker.bindPopup(function () { return popup(row); }, {maxWidth: 340});
        marker.bindTooltip(row[3]);
        return marker;
    };
})()"""


class _CompactCluster(FastMarkerCluster):
    """``FastMarkerCluster`` whose rows are compact JSON (no spaces, UTF-8) added in one ``addLayers`` call.

    The rows hold HTML-escaped text only; ``htmlsafe_json_dumps`` also turns ``<``, ``>``, ``&`` and ``'``
    into ``\\u`` escapes, so nothing in them can close the ``<script>`` block.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var callback = {{ this.callback }};
                var data = {{ this.data_json }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                cluster.addLayers(data.map(callback));
                cluster.addTo({{ this._parent.get_name() }});
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, data: list[list], *, callback: str, **kwargs: object) -> None:
        super().__init__([], callback=callback, **kwargs)
        self.callback = callback
        self.data_json = str(htmlsafe_json_dumps(data, ensure_ascii=False, separators=(",", ":")))


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


@functools.lru_cache(maxsize=1)
def _outlines_geojson() -> dict | None:
    """Département outlines as a GeoJSON dict (None when the reference polygons are unavailable)."""
    try:
        from mapping import geography

        polygons = geography.departement_polygons()
    except (ImportError, AttributeError, OSError, ValueError) as exc:
        log.warning("Contours des départements indisponibles : %s", exc)
        return None
    return json.loads(polygons[["geometry"]].to_crs(CRS_WGS84).to_json(drop_id=True))


def _vendored(element: folium.MacroElement, asset_base: str) -> None:
    """Point ``element`` at the vendored Leaflet files (instance attributes: folium stays untouched)."""
    if isinstance(element, FastMarkerCluster):
        element.default_js = [("markerclusterjs", f"{asset_base}/markercluster/leaflet.markercluster.js")]
        element.default_css = [
            ("markerclustercss", f"{asset_base}/markercluster/MarkerCluster.css"),
            ("markerclusterdefaultcss", f"{asset_base}/markercluster/MarkerCluster.Default.css"),
        ]
    else:
        element.default_js = [("leaflet", f"{asset_base}/leaflet/leaflet.js")]
        element.default_css = [("leaflet_css", f"{asset_base}/leaflet/leaflet.css")]


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
        return [list(DEFAULT_BOUNDS[0]), list(DEFAULT_BOUNDS[1])]
    pad = 0.01 if max(lats) - min(lats) < 0.01 and max(lons) - min(lons) < 0.01 else 0.0
    return [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]


def build_map(
    gdf: gpd.GeoDataFrame,
    *,
    center: Sequence[float] | None = None,
    radius_km: float | None = None,
    tiles: str | None = "OpenStreetMap",
    asset_base: str = "/app/static/vendor",
    outlines: bool = True,
    max_points: int | None = None,
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
    _vendored(m, asset_base)
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
        rows, tables = _rows(gdf)
        labels = {k: escape_text(v) for k, v in texts.POPUP_LABELS.items()}
        callback = _CALLBACK % {
            "tables": json.dumps(tables),
            "colors": json.dumps(_COLORS),
            "labels": json.dumps(labels),
        }
        cluster = _CompactCluster(
            rows,
            callback=callback,
            control=False,
            chunkedLoading=True,
            showCoverageOnHover=False,
            maxClusterRadius=50,
            disableClusteringAtZoom=16,
        )
        _vendored(cluster, asset_base)
        cluster.add_to(m)
        present = sorted({row[2] for row in rows})
        Legend(texts.LEGEND_TITLE, [(_GROUP_NAMES[i], _COLORS[i]) for i in present]).add_to(m)
    return m
